//! The command line: one module per sub-command; `main.rs` only calls [`run`].
//!
//! Exit codes (documented in README.md and `tamga --help`):
//! - 0: done; warnings may have been printed.
//! - 1: the inputs have errors (the methodology, or a submission).
//! - 2: tamga could not run (bad arguments, a missing or unreadable file).

mod approve;
mod audit;
mod check;
mod completions;
mod diff;
mod eval;
mod explain;
mod fmt;
mod impact;
mod lsp;
mod man;
mod read;
mod report;
mod schema;
mod sensitivity;
mod template;
pub use read::ReadArgs;
pub mod terminal;
mod test;
mod validate;

use crate::diagnostics::{self, Diag, Style};
use crate::i18n::Lang;
use crate::source::SourceMap;
use clap::{Parser, Subcommand, ValueEnum};
use std::cell::{Cell, RefCell};
use std::ffi::OsString;
use std::io::Write;

/// Exit code: done.
pub const EXIT_OK: i32 = 0;
/// Exit code: errors in the methodology or the submissions.
pub const EXIT_INPUT: i32 = 1;
/// Exit code: could not run.
pub const EXIT_USAGE: i32 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  done (warnings may have been printed)
  1  the methodology or a submission has errors
  2  tamga could not run (bad arguments, a missing or unreadable file)

Terminal output:
  Warnings of eval, report, audit, sensitivity, impact and explain are summed up in one line;
  -v shows each in full, -q none (errors are always shown). With --format json they go into
  the output's `diagnostics` instead of stderr. Colour: --color, NO_COLOR, CLICOLOR_FORCE;
  width: COLUMNS, else the terminal's.

Examples:
  tamga check rules/demo
  tamga eval rules/demo examples/demo
  tamga report rules/demo examples/demo --out report";

/// The heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// tamga: methodologies for assessing customs regulation, checked and evaluated.
#[derive(Debug, Parser)]
#[command(name = "tamga", version = crate::VERSION, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = GLOBAL)]
    pub color: ColorChoice,
    /// Show no warnings and no progress (errors are always shown).
    #[arg(long, short, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
    /// Show every warning in full.
    ///
    /// By default, commands that produce results (eval, report, audit, sensitivity, impact,
    /// explain) sum their warnings up in one line; with --format json they go into the output's
    /// `diagnostics`, and -v prints them on stderr too.
    #[arg(long, short, global = true, help_heading = GLOBAL)]
    pub verbose: bool,
    /// Language of labels in tables and reports.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::En, help_heading = GLOBAL)]
    pub lang: LangArg,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and check a methodology; report every problem.
    Check(check::Args),
    /// Evaluate a methodology on submissions (JSON, TOML, CSV or Excel files, or folders of them).
    Eval(eval::Args),
    /// Write the blank questionnaire (xlsx, csv, json or md) that a state fills in.
    Template(template::Args),
    /// Check filled questionnaires and report every problem, without evaluating.
    Validate(validate::Args),
    /// Evaluate and write the full report (HTML, Markdown, CSV, JSON) into a folder.
    Report(report::Args),
    /// Rewrite rule files in the canonical layout (comments kept, meaning unchanged).
    Fmt(fmt::Args),
    /// Show what changed between two versions of a methodology (folders or git:REV:path).
    Diff(diff::Args),
    /// Show how a change of methodology moves the scores, ranks and verdicts of the same submissions.
    Impact(impact::Args),
    /// Record the Board's approval in methodology.toml and lock the methodology.
    Approve(approve::Args),
    /// Run the test cases written beside the rules (`<methodology>/tests/*.toml`).
    Test(test::Args),
    /// Show how one number was computed, down to the answers (text in en/ru, or JSON).
    Explain(explain::Args),
    /// How robust the ranking is to the uncertain choices: rank intervals, sensitivity indices.
    Sensitivity(sensitivity::Args),
    /// Statistical audit: correlations within areas, Cronbach's alpha, flags, data availability.
    Audit(audit::Args),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(completions::Args),
    /// Print the manual page (roff), or write a page per command into a folder.
    Man(man::Args),
    /// Print the JSON Schema of a methodology's submissions, of results or of diagnostics.
    Schema(schema::Args),
    /// Run the language server for editors (diagnostics as you type, hover, completion…) on stdio.
    Lsp(lsp::Args),
}

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal, NO_COLOR is not set (or empty) and TERM is not dumb;
    /// CLICOLOR_FORCE (not empty, not 0) forces it.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Russian.
    Ru,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => Lang::En,
            LangArg::Ru => Lang::Ru,
        }
    }
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiagFormat {
    /// Human-readable diagnostics.
    Text,
    /// One JSON document with every diagnostic.
    Json,
}

/// How much a command says on stderr besides errors (`-q`, `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// `-q`: no warnings, no progress.
    Quiet,
    /// Warnings of commands that produce results summed up in one line ([`Env::finish`]).
    Normal,
    /// `-v`: every warning in full.
    Verbose,
}

/// What a sub-command needs from the environment.
pub struct Env {
    /// Diagnostic style.
    pub style: Style,
    /// Label language.
    pub lang: Lang,
    /// `-q`, `-v` or neither.
    pub verbosity: Verbosity,
    /// Whether warnings are summed up in one line rather than shown (commands whose output is a
    /// result; `check` and `validate`, whose output is the diagnostics, show them).
    summarise: bool,
    /// Whether the output is JSON: then diagnostics go into it ([`Env::with_diagnostics`]).
    json: Cell<bool>,
    /// The warnings not shown, each with its state when it concerns one, for the summary.
    noted: RefCell<Vec<(diagnostics::Code, Option<String>)>>,
    /// Every diagnostic reported while the output is JSON.
    collected: RefCell<Vec<serde_json::Value>>,
}

impl Env {
    /// An environment for a command; `summarise`: whether warnings are summed up in one line
    /// rather than shown (the commands that produce results).
    pub fn new(style: Style, lang: Lang, verbosity: Verbosity, summarise: bool) -> Self {
        Env {
            style,
            lang,
            verbosity,
            summarise,
            json: Cell::new(false),
            noted: RefCell::new(vec![]),
            collected: RefCell::new(vec![]),
        }
    }

    /// Reports diagnostics: errors in full on stderr; warnings in full, summed up (see
    /// [`Env::finish`]) or not at all, by `-q`/`-v` and the command.
    pub fn report(&self, diags: &[Diag], sources: &SourceMap) {
        let units: Vec<Option<String>> = vec![None; diags.len()];
        self.report_for(diags, &units, sources);
    }

    /// [`Env::report`], with the state each diagnostic concerns (for the summary's "in 12 states").
    pub fn report_for(&self, diags: &[Diag], units: &[Option<String>], sources: &SourceMap) {
        if diags.is_empty() {
            return;
        }
        // a state's official reads the diagnostics of submissions in the chosen language
        let diags: Vec<Diag> = diags.iter().map(|d| d.localized(self.lang)).collect();
        let json = self.json.get();
        if json {
            let values = diagnostics::to_json(&diags, sources).into_iter().filter_map(|d| serde_json::to_value(d).ok());
            self.collected.borrow_mut().extend(values);
        }
        let mut shown = vec![];
        for (k, d) in diags.into_iter().enumerate() {
            let show = d.is_error()
                || match self.verbosity {
                    Verbosity::Verbose => true,
                    Verbosity::Quiet => false,
                    Verbosity::Normal => !self.summarise && !json,
                };
            if show {
                shown.push(d);
            } else if self.verbosity == Verbosity::Normal && !json {
                self.noted.borrow_mut().push((d.code, units.get(k).cloned().flatten()));
            }
        }
        if !shown.is_empty() {
            let text = diagnostics::render(&shown, sources, self.style);
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }

    /// From now on the output is JSON: diagnostics go into it, not to stderr (unless `-v`).
    pub fn json_output(&self) {
        self.json.set(true);
    }

    /// The JSON document `text` (an object) with the diagnostics reported so far as its last
    /// field, `diagnostics` (`[]` when there were none).
    pub fn with_diagnostics(&self, text: &str) -> String {
        let list = serde_json::to_string_pretty(&*self.collected.borrow()).unwrap_or_else(|_| "[]".into());
        let Some(end) = text.rfind('}') else { return text.to_string() };
        let body = text[..end].trim_end();
        let sep = if body.ends_with('{') { "" } else { "," };
        let list = list.replace('\n', "\n  ");
        format!("{body}{sep}\n  \"diagnostics\": {list}\n}}{}", &text[end + 1..])
    }

    /// A progress line for long work (nothing unless stderr is a terminal, never with `-q`).
    pub fn progress(&self, what: &str) -> terminal::Progress {
        terminal::Progress::new(what, self.verbosity != Verbosity::Quiet)
    }

    /// Ends the command's output on stderr: the one line that sums up the warnings not shown.
    pub fn finish(&self) {
        let noted = self.noted.borrow();
        if !noted.is_empty() && self.verbosity == Verbosity::Normal {
            eprintln!("{}", terminal::summary_line(&noted, self.lang));
        }
    }
}

/// Runs tamga with these arguments; returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal::auto_colour(),
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    // commands whose output is a result sum their warnings up; the others' output is them
    let summarise = matches!(
        cli.command,
        Command::Eval(_)
            | Command::Report(_)
            | Command::Audit(_)
            | Command::Sensitivity(_)
            | Command::Impact(_)
            | Command::Explain(_)
    );
    let style = Style { color, width: terminal::width(true, terminal::DIAG_WIDTH) };
    let env = Env::new(style, cli.lang.into(), verbosity, summarise);
    let code = dispatch(cli.command, &env);
    env.finish();
    code
}

/// Runs one command.
fn dispatch(command: Command, env: &Env) -> i32 {
    match command {
        Command::Check(a) => check::run(&a, env),
        Command::Eval(a) => eval::run(&a, env),
        Command::Template(a) => template::run(&a, env),
        Command::Validate(a) => validate::run(&a, env),
        Command::Report(a) => report::run(&a, env),
        Command::Fmt(a) => fmt::run(&a, env),
        Command::Diff(a) => diff::run(&a, env),
        Command::Impact(a) => impact::run(&a, env),
        Command::Approve(a) => approve::run(&a, env),
        Command::Test(a) => test::run(&a, env),
        Command::Explain(a) => explain::run(&a, env),
        Command::Sensitivity(a) => sensitivity::run(&a, env),
        Command::Audit(a) => audit::run(&a, env),
        Command::Completions(a) => completions::run(&a, env),
        Command::Man(a) => man::run(&a, env),
        Command::Schema(a) => schema::run(&a, env),
        Command::Lsp(a) => lsp::run(&a, env),
    }
}

/// Prints to stdout, ignoring a closed pipe.
pub(crate) fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    let _ = o.flush();
}

/// What `eval`, `report`, `audit` and `sensitivity` start from: the methodology checked and the
/// submissions loaded, their diagnostics reported.
pub(crate) struct Prepared {
    pub meth: crate::check::Methodology,
    /// The rule files and the submission files read.
    pub sources: SourceMap,
    pub data: crate::data::Dataset,
    /// What loading the submissions reported (errors included: the exit code depends on them).
    pub data_diags: Vec<Diag>,
    /// Every file tamga read or was asked to read: the rule files, the manifest and the lock, the
    /// paths named on the command line and every submission file met, even one that could not
    /// be read or was dropped (outputs must not replace any of them).
    pub inputs: Vec<std::path::PathBuf>,
}

/// Checks a methodology and loads submissions, reporting what is found. `official` names what
/// the command produces ("results", "reports") when `--official` was given: then an unapproved
/// methodology is refused. On failure, the exit code.
pub(crate) fn prepare(
    methodology: &std::path::Path,
    submissions: &[std::path::PathBuf],
    read: &crate::data::ReadOptions,
    official: Option<&str>,
    env: &Env,
) -> Result<Prepared, i32> {
    use diagnostics::Code;
    let checked = crate::check::check(methodology);
    let (meth, warnings) = match checked.methodology() {
        Ok(x) => x,
        Err((sources, diags)) => {
            env.report(&diags, &sources);
            summary(&diags);
            return Err(exit_for(&diags));
        }
    };
    env.report(&warnings, &meth.sources);
    if let Some(what) = official.filter(|_| !meth.is_approved()) {
        let status = meth.manifest.as_ref().map(|m| m.status.as_str()).unwrap_or("without a manifest");
        let d = Diag::error(
            Code::NotApproved,
            format!(
                "`{}` {} is {status}: --official needs an approved methodology",
                meth.model.header.id, meth.model.header.version
            ),
        )
        .help(format!(
            "official {what} come only from an approved, locked methodology: run `tamga approve` after the Board's decision, or drop --official"
        ));
        env.report(&[d], &meth.sources);
        return Err(EXIT_INPUT);
    }
    let mut sources = meth.sources.clone();
    let loading = crate::data::load_files_with(&meth.model, submissions, read, &mut sources);
    let inputs: Vec<std::path::PathBuf> = methodology_inputs(&meth)
        .into_iter()
        .chain(submissions.iter().cloned())
        .chain(loading.files.iter().map(|f| std::path::PathBuf::from(&f.file)))
        .collect();
    let data = loading.dataset;
    let units: Vec<Option<String>> = loading.diags.iter().map(|(f, d)| unit_of(&loading.files, *f, d)).collect();
    let data_diags: Vec<Diag> = loading.diags.into_iter().map(|(_, d)| d).collect();
    env.report_for(&data_diags, &units, &sources);
    if data_diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
        return Err(EXIT_USAGE);
    }
    if data.submissions.is_empty() {
        let d = crate::data::no_submission();
        env.report(&[d], &sources);
        return Err(EXIT_INPUT);
    }
    Ok(Prepared { meth, sources, data, data_diags, inputs })
}

/// The state a diagnostic of submissions concerns: the one of its file, or, in a file of
/// several (a CSV file, a workbook), the one its message names.
pub(crate) fn unit_of(files: &[crate::data::FileInfo], file: Option<usize>, d: &Diag) -> Option<String> {
    let subs = &files.get(file?)?.submissions;
    let first = &subs.first()?.0;
    if subs.iter().all(|(u, _)| u == first) {
        return Some(first.clone());
    }
    d.message.split('`').skip(1).step_by(2).find(|w| subs.iter().any(|(u, _)| u == w)).map(str::to_string)
}

/// The status of a result as text outputs begin: the status line (draft or approved by which
/// decision, version, fingerprint, the data's notes), one line per distinct note, a blank line.
pub(crate) fn status_header(meth: &crate::check::Methodology, data: &crate::data::Dataset, lang: Lang) -> String {
    let status = crate::report::status::build(meth, data);
    let mut text = format!("{}\n", status.line(&meth.model.header.id, lang));
    for (who, note) in status.note_lines(lang) {
        text.push_str(&format!("  {} ({who}): {note}\n", crate::report::status::texts(lang).note));
    }
    text.push('\n');
    text
}

/// For `--official`: compares every period evaluated with the approved methodology's
/// `effective_from` (a date, or the first period it applies to). A period that starts before it,
/// or that cannot be placed in time (`pilot`), is an error; with `allow_earlier` (the flag
/// `--allow-earlier-periods`) a warning, and the warnings are returned for the output to carry.
/// Also prints which approval the results come from, with the test count of its lock.
pub(crate) fn official_periods(
    methodology: &std::path::Path,
    meth: &crate::check::Methodology,
    data: &crate::data::Dataset,
    allow_earlier: bool,
    env: &Env,
) -> Result<Vec<Diag>, i32> {
    use crate::version::manifest::period_start;
    use diagnostics::Code;
    let header = &meth.model.header;
    let approval = meth.manifest.as_ref().and_then(|m| m.approval.as_ref());
    if let Some(a) = approval.filter(|_| env.verbosity != Verbosity::Quiet) {
        let tests = crate::version::lock_of(methodology)
            .map(|l| approve::tests_line(l.tests_passed, l.tests_total))
            .unwrap_or_else(|| "tests: not recorded".into());
        let effective = a.effective_from.as_deref().map(|e| format!(", effective from {e}")).unwrap_or_default();
        eprintln!(
            "official: `{}` {} approved by {} ({}){effective}; {tests}; fingerprint {}",
            header.id, header.version, a.decision, a.date, meth.fingerprint
        );
    }
    let Some(from) = approval.and_then(|a| a.effective_from.clone()) else { return Ok(vec![]) };
    let Some(start) = period_start(&from) else { return Ok(vec![]) };
    let manifest = format!("{}/{}", meth.folder.as_deref().unwrap_or("."), crate::version::MANIFEST_FILE);
    let mut periods: Vec<&str> = data.submissions.iter().map(|s| s.period.as_str()).collect();
    periods.dedup();
    let diags: Vec<Diag> = periods
        .into_iter()
        .filter_map(|p| {
            let (message, help) = match period_start(p) {
                Some(s) if s >= start => return None,
                Some(_) => (
                    format!("period `{p}` starts before `{}` {} takes effect (`effective_from = \"{from}\"` in {manifest})", header.id, header.version),
                    "official results are for the periods the approved methodology applies to: leave this period out, or, to publish it on purpose under this methodology, give --allow-earlier-periods (the output then says so)",
                ),
                None => (
                    format!("period `{p}` cannot be compared with `effective_from = \"{from}\"` in {manifest}"),
                    "name periods so they can be placed in time (2025, 2025-Q2, 2025-H1, 2025-04, 2025-04-15), or give --allow-earlier-periods (the output then says so)",
                ),
            };
            Some(if allow_earlier {
                Diag::warning(Code::EarlierPeriod, format!("{message}: evaluated anyway (--allow-earlier-periods)"))
            } else {
                Diag::error(Code::EarlierPeriod, message).help(help)
            })
        })
        .collect();
    env.report(&diags, &meth.sources);
    if diagnostics::has_errors(&diags) {
        Err(EXIT_INPUT)
    } else {
        Ok(diags)
    }
}

/// The warnings of [`official_periods`] as warnings of the result, so the published output says
/// that a period before `effective_from` was evaluated on purpose.
pub(crate) fn official_warnings(diags: &[Diag], meth: &crate::check::Methodology) -> Vec<crate::report::json::Warning> {
    // the manifest as read, and the line of its `effective_from`
    let manifest = meth.manifest.as_ref().map(|m| meth.sources.get(m.file));
    let file = manifest.map(|f| f.name.clone()).unwrap_or_else(|| crate::version::MANIFEST_FILE.into());
    let line = manifest
        .and_then(|f| f.text.lines().position(|l| l.trim_start().starts_with("effective_from")))
        .map_or(0, |k| k + 1);
    diags
        .iter()
        .map(|d| crate::report::json::Warning {
            code: d.code.as_str(),
            period: d.message.split('`').nth(1).unwrap_or("").to_string(),
            unit: None,
            target: "the methodology".into(),
            expression: String::new(),
            file: file.clone(),
            line,
            message: d.message.clone(),
        })
        .collect()
}

/// The evaluation's warnings (a division by zero, a statistic without data…) as diagnostics
/// pointing at the place in the rules, for the periods `keep` accepts, reported.
pub(crate) fn report_events(
    env: &Env,
    model: &crate::model::Model,
    events: &[crate::eval::Event],
    keep: impl Fn(&str) -> bool,
    sources: &SourceMap,
) {
    let units: Vec<Option<String>> = events.iter().filter(|e| keep(&e.period)).map(|e| e.unit.clone()).collect();
    env.report_for(&event_diags(model, events, keep), &units, sources);
}

/// The evaluation's warnings as diagnostics, for the periods `keep` accepts ([`report_events`]).
pub(crate) fn event_diags(
    model: &crate::model::Model,
    events: &[crate::eval::Event],
    keep: impl Fn(&str) -> bool,
) -> Vec<Diag> {
    use crate::report::json;
    use diagnostics::Code;
    events
        .iter()
        .filter(|e| keep(&e.period))
        .map(|e| {
            let origin = &model.origins[e.origin as usize];
            let (code, message) = json::event_message(&e.kind);
            let who = match &e.unit {
                Some(u) => format!("{u} {}", e.period),
                None => format!("all units, {}", e.period),
            };
            let c = Code::ALL.iter().copied().find(|c| c.as_str() == code).unwrap_or(Code::EvalDomain);
            Diag::warning(c, format!("{who}: {}: {message}", json::slot_label(model, e.slot))).at(origin.span, "here")
        })
        .collect()
}

/// The files of a methodology an output must not replace: every rule file read, and the
/// manifest and the lock beside the entry file (read by `check`, written only by `approve`).
pub(crate) fn methodology_inputs(meth: &crate::check::Methodology) -> Vec<std::path::PathBuf> {
    use std::path::PathBuf;
    let rules: Vec<PathBuf> = meth.sources.files().iter().map(|f| PathBuf::from(&f.name)).collect();
    let dir = rules.first().and_then(|e| e.parent()).map(std::path::Path::to_path_buf);
    let beside =
        dir.into_iter().flat_map(|d| [d.join(crate::version::MANIFEST_FILE), d.join(crate::version::LOCK_FILE)]);
    rules.iter().cloned().chain(beside).collect()
}

/// Refuses to write outputs over inputs or onto what is not a regular file: when one of
/// `outputs` is one of `inputs` (see [`Prepared::inputs`]), or a named pipe, a device or a
/// folder, reports every such output and gives the exit code; nothing is written then. tamga
/// overwrites no input (only `fmt` and `approve`, on rule files, by design).
pub(crate) fn refuse_overwriting_inputs(
    outputs: &[std::path::PathBuf],
    inputs: &[std::path::PathBuf],
    sources: &SourceMap,
    env: &Env,
) -> Result<(), i32> {
    let clashes: Vec<Diag> = outputs.iter().filter_map(|path| refusal(path, inputs)).collect();
    if clashes.is_empty() {
        Ok(())
    } else {
        env.report(&clashes, sources);
        Err(EXIT_USAGE)
    }
}

/// Why `path` cannot be written as an output, as a diagnostic.
pub(crate) fn refusal(path: &std::path::Path, inputs: &[std::path::PathBuf]) -> Option<Diag> {
    if crate::fsutil::is_input(path, inputs) {
        return Some(
            Diag::error(
                diagnostics::Code::Usage,
                format!("`{}` is one of the inputs: tamga does not overwrite its inputs", path.display()),
            )
            .help("give --out another path; nothing was written"),
        );
    }
    crate::fsutil::unwritable_target(path).map(|why| {
        Diag::error(diagnostics::Code::Usage, format!("`{}` cannot be an output: {why}", path.display()))
            .help("give --out the path of a regular file (or leave --out out to print); nothing was written")
    })
}

/// Prints "N errors, M warnings" to stderr.
pub(crate) fn summary(diags: &[Diag]) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    eprintln!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
}

/// The exit code for diagnostics: 2 if a file could not be read, 1 for other errors, 0 otherwise.
pub(crate) fn exit_for(diags: &[Diag]) -> i32 {
    if diags.iter().any(|d| d.is_error() && d.code == diagnostics::Code::Io && d.primary.is_none()) {
        EXIT_USAGE
    } else if diagnostics::has_errors(diags) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}
