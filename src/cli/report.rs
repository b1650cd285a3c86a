//! `tamga report <methodology> <submissions…> --out <dir>`: evaluate once and write the full
//! report: `report.html`, `report.md`, `matrix.csv`, `standards.csv`, `result.json` (and
//! `report.docx` with `--format docx`; with
//! `--audit`, the statistical audit too: a section of the HTML and Markdown, and `audit.json`;
//! with `--sensitivity N`, the uncertainty and sensitivity analysis: a section with the
//! rank-interval chart, and `sensitivity.json`).
//!
//! Checks, loads and evaluates exactly as `tamga eval` does (same diagnostics, same exit codes);
//! then renders the one result in every format asked for. Every file is streamed into a temporary
//! file beside its target, and all are renamed into place only when every one is written: a
//! failure part way replaces no file.

use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{self, Code, Diag};
use crate::report::{self, json};
use std::path::PathBuf;

/// A format of the report.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// `report.html`: one self-contained page with charts, printable on A4.
    Html,
    /// `report.md`: Markdown tables, for a Board paper.
    Md,
    /// `matrix.csv` and `standards.csv`: UTF-8 with BOM, for Excel.
    Csv,
    /// `result.json`: the full result (schema in docs/results.md).
    Json,
    /// `report.docx`: the Board paper as a Word document (A4, numbered tables).
    Docx,
}

impl From<FormatArg> for report::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Html => report::Format::Html,
            FormatArg::Md => report::Format::Markdown,
            FormatArg::Csv => report::Format::Csv,
            FormatArg::Json => report::Format::Json,
            FormatArg::Docx => report::Format::Docx,
        }
    }
}

/// Arguments of `tamga report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga report rules/eaeu examples/eaeu --out report
  tamga --lang ru report rules/eaeu examples/eaeu --out doklad --format html,docx
  tamga report rules/eaeu examples/eaeu --out report --audit
  tamga report examples/asem examples/asem --out asem --audit --audit-set goods,services --audit-matrix
  tamga report examples/asem/sensitivity.tamga examples/asem/asem.csv --out asem --sensitivity 1000")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga`, or a rule file.
    pub methodology: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// The folder to write the report into (created if needed).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Formats to write, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [FormatArg::Html, FormatArg::Md, FormatArg::Csv, FormatArg::Json])]
    pub format: Vec<FormatArg>,
    /// Refuse a methodology that is not approved (for published reports).
    #[arg(long)]
    pub official: bool,
    /// With `--official`: evaluate periods that start before the methodology's `effective_from`
    /// (or cannot be placed in time) on purpose; each is a warning carried in the output.
    #[arg(long, requires = "official")]
    pub allow_earlier_periods: bool,
    /// Add the statistical audit (as `tamga audit`): a section of the HTML and Markdown reports,
    /// and `audit.json`.
    #[arg(long)]
    pub audit: bool,
    /// With `--audit`: audit these indicators or areas together as `tamga audit --set` does (ids,
    /// comma-separated): Cronbach's alpha, alpha if each is deleted, corrected item-total
    /// correlations, eigenvalues and explained variance.
    #[arg(long, value_delimiter = ',', value_name = "IDS", requires = "audit")]
    pub audit_set: Vec<String>,
    /// With `--audit`: add the correlation matrix of every scored indicator, as `tamga audit
    /// --matrix` does.
    #[arg(long, requires = "audit")]
    pub audit_matrix: bool,
    /// Add the uncertainty and sensitivity analysis of the latest period (as `tamga sensitivity`)
    /// with N base samples: a section of the HTML report with the rank-interval chart, of the
    /// Markdown report, and `sensitivity.json`. The methodology must declare `uncertainty { … }`.
    #[arg(long, value_name = "N")]
    pub sensitivity: Option<usize>,
    /// The seed of the sensitivity analysis.
    #[arg(long, default_value_t = 1, requires = "sensitivity")]
    pub seed: u64,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    let super::Prepared { meth, sources, data, data_diags, inputs } = match super::prepare(
        &args.methodology,
        &args.submissions,
        &args.read.options(),
        args.official.then_some("reports"),
        env,
    ) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let earlier = if args.official {
        match super::official_periods(&args.methodology, &meth, &data, args.allow_earlier_periods, env) {
            Ok(d) => d,
            Err(exit) => return exit,
        }
    } else {
        vec![]
    };
    let outcome = crate::eval::evaluate(&meth.model, &data);
    let mut doc = json::build(&meth, &sources, &data, &outcome);
    doc.warnings.splice(0..0, super::official_warnings(&earlier, &meth));
    super::report_events(env, &meth.model, &outcome.events, |_| true, &sources);
    let unknown = crate::audit::unknown_members(&meth.model, &args.audit_set);
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|u| format!("`{u}`")).collect();
        let d =
            Diag::error(Code::Usage, format!("`--audit-set` names no scored indicator or area {}", names.join(", ")))
                .help("name indicators that have a `score` or areas by their ids, separated by commas");
        env.report(&[d], &sources);
        return EXIT_USAGE;
    }
    let formats: Vec<report::Format> = args.format.iter().map(|f| (*f).into()).collect();
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        let d = Diag::error(Code::Io, format!("cannot create the folder `{}`: {e}", args.out.display()))
            .help("give a folder you can write to");
        env.report(&[d], &sources);
        return EXIT_USAGE;
    }
    let mut written = vec![];
    let options = crate::audit::Options { set: args.audit_set.clone(), matrix: args.audit_matrix };
    let audit = args.audit.then(|| crate::audit::audit_with(&meth.model, &outcome, &options));
    let sensitivity = match args.sensitivity {
        None => None,
        Some(n) => {
            let opts = crate::sensitivity::Options {
                samples: n,
                seed: args.seed,
                threads: super::sensitivity::default_threads(),
                ..crate::sensitivity::Options::default()
            };
            let progress = env.progress(if env.lang == crate::i18n::Lang::Ru { "выборки:" } else { "samples:" });
            let analysed = crate::sensitivity::analyse_with_progress(&meth.model, &data, &opts, &|done, total| {
                progress.tick(done, total)
            });
            progress.finish();
            match analysed {
                Ok(a) => Some(a),
                Err(e) => {
                    let (exit, d) = super::sensitivity::error_diag(&e);
                    env.report(&[d], &sources);
                    return exit;
                }
            }
        }
    };
    // on a terminal, a line while the files are drawn and written (a large report takes seconds)
    let progress = env.progress("report:");
    progress.say(&format!("{} {}", env.lang.tr("writing", "запись:"), args.out.display()));
    let names = report::file_names(&formats, audit.is_some(), sensitivity.is_some());
    let paths: Vec<PathBuf> = names.iter().map(|name| args.out.join(name)).collect();
    // all or nothing: no file is written when one of them would replace an input
    if let Err(exit) = super::refuse_overwriting_inputs(&paths, &inputs, &sources, env) {
        return exit;
    }
    // each file is streamed into a temporary file beside its target; only when every one is
    // written are they renamed into place: a failure part way replaces no file and leaves no
    // temporary file (the staged ones are removed when dropped)
    let mut staged: Vec<(PathBuf, crate::fsutil::Staged)> = vec![];
    let mut failure: Option<Diag> = None;
    let mut each = |name: &'static str, body: &mut report::Body<'_>| -> std::io::Result<()> {
        let path = args.out.join(name);
        // a name not known before (the Word document's error file) is refused here
        if let Some(d) = super::refusal(&path, &inputs) {
            failure = Some(d);
            return Err(std::io::Error::other("refused"));
        }
        let written = crate::fsutil::Staged::create(&path).and_then(|mut file| {
            body(&mut file)?;
            file.sync()?;
            Ok(file)
        });
        match written {
            Ok(file) => {
                staged.push((path, file));
                Ok(())
            }
            Err(e) => {
                let kind = e.kind();
                failure = Some(cannot_write(&path, &e));
                Err(std::io::Error::from(kind))
            }
        }
    };
    let result =
        report::write_with(&meth.model, &doc, audit.as_ref(), sensitivity.as_ref(), env.lang, &formats, &mut each);
    let mut failure = match result {
        Ok(()) => None,
        Err(e) => Some(failure.take().unwrap_or_else(|| cannot_write(&args.out, &e))),
    };
    if failure.is_none() {
        for (path, file) in staged.drain(..) {
            if let Err(e) = file.commit() {
                // every file was written and flushed to disk: only a rename failed
                failure = Some(
                    Diag::error(Code::Io, format!("cannot write `{}`: {e}", path.display()))
                        .help("check that the folder is writable; the files of the report before it were replaced"),
                );
                break;
            }
            written.push(path.display().to_string());
        }
    }
    // the files not committed are dropped here: their temporary files are removed
    drop(staged);
    if let Some(d) = failure {
        env.report(&[d], &sources);
        return EXIT_USAGE;
    }
    progress.finish();
    out(&written.iter().map(|p| format!("{p}\n")).collect::<String>());
    if diagnostics::has_errors(&data_diags) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

/// The error of a file of the report that could not be written.
fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> Diag {
    Diag::error(Code::Io, format!("cannot write `{}`: {e}", path.display()))
        .help("check that the folder is writable; no file of the report was replaced")
}
