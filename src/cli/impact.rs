//! `tamga impact <old> <new> <submissions…>`: what a change of methodology does to the scores;
//! `tamga impact <methodology> --scenario ID <submissions…>`: what one of its scenarios would do.

use super::diff::{load, Format};
use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{self, Code, Diag};
use crate::version::{diff::Side, impact};
use std::path::PathBuf;

/// Arguments of `tamga impact`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga impact rules/eaeu rules/eaeu-2025 examples/eaeu
  tamga --lang ru impact rules/eaeu rules/eaeu-2025 examples/eaeu --format md > impact.md
  tamga impact git:HEAD~1:rules/eaeu rules/eaeu examples/eaeu --format json
  tamga impact rules/eaeu --scenario equal_weights examples/eaeu

With --scenario, give one methodology and then the submissions: the methodology is compared with
itself evaluated under its scenario ID (a `scenario` block of the methodology).")]
pub struct Args {
    /// The older version: a folder, a file, or `git:REV:path` (with --scenario: the methodology).
    pub old: PathBuf,
    /// The newer version (with --scenario: the first submission).
    pub new: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them, evaluated with both versions.
    #[arg(required_unless_present = "scenario")]
    pub submissions: Vec<PathBuf>,
    /// Compare the methodology with itself under this scenario (its id, from a `scenario` block)
    /// instead of two versions.
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
    /// How CSV submissions are read.
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    if args.format == Format::Json {
        env.json_output();
    }
    if let Some(id) = &args.scenario {
        return run_scenario(args, id, env);
    }
    let old = match load(&args.old, env) {
        Ok(m) => m,
        Err(c) => return c,
    };
    let new = match load(&args.new, env) {
        Ok(m) => m,
        Err(c) => return c,
    };
    let mut outcomes = vec![];
    let mut datas = vec![];
    let mut data_errors = false;
    // submissions are read once per version: a question added by the new version is reported
    // by the new version only, and what both versions say is said once
    let mut seen = std::collections::HashSet::new();
    for m in [&old, &new] {
        let (data, errors) = match read(m, &args.submissions, args, env, &mut seen) {
            Ok(x) => x,
            Err(c) => return c,
        };
        data_errors |= errors;
        outcomes.push(crate::eval::evaluate(&m.model, &data));
        datas.push(data);
    }
    let im = impact::impact(
        Side::of(&args.old.to_string_lossy(), &old),
        &old.model,
        &outcomes[0],
        Side::of(&args.new.to_string_lossy(), &new),
        &new.model,
        &outcomes[1],
    );
    finish(im, &new, &datas, data_errors, args.format, env)
}

/// Names the states, adds what the submissions say of themselves, and prints the impact.
fn finish(
    mut im: impact::Impact,
    new: &crate::check::Methodology,
    datas: &[crate::data::Dataset],
    data_errors: bool,
    format: Format,
    env: &Env,
) -> i32 {
    // the states' names, as the submissions give them
    for sub in datas.iter().flat_map(|d| &d.submissions) {
        if !sub.name.is_empty() {
            im.unit_names.entry(sub.unit.clone()).or_insert_with(|| sub.name.clone());
        }
    }
    // the notes the submissions carry, as the newer version read them
    if let Some(last) = datas.last() {
        let status = crate::report::status::build(new, last);
        let escape = crate::report::markdown::escape;
        im.data.push(escape(&status.data_summary(env.lang)));
        for (who, note) in status.note_lines(env.lang) {
            im.data.push(format!(
                "{} ({}): {}",
                crate::report::status::texts(env.lang).note,
                escape(&who),
                escape(&note)
            ));
        }
    }
    match format {
        Format::Json => {
            out(&env.with_diagnostics(&format!("{}\n", serde_json::to_string_pretty(&im).unwrap_or_default())))
        }
        Format::Text | Format::Md => out(&impact::to_markdown(&im, env.lang)),
    }
    if data_errors {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

/// `--scenario ID`: the methodology against itself under one of its scenarios, on the same data.
fn run_scenario(args: &Args, id: &str, env: &Env) -> i32 {
    let meth = match load(&args.old, env) {
        Ok(m) => m,
        Err(c) => return c,
    };
    // the second path is a submission: a methodology there means two versions were meant
    if looks_like_methodology(&args.new) {
        let d = Diag::error(
            Code::Usage,
            format!("`{}` is a methodology, but with `--scenario` the paths after the methodology are submissions", args.new.display()),
        )
        .help("compare two versions without `--scenario`, or one methodology with its scenario: `tamga impact rules/eaeu --scenario ID examples/eaeu`")
        .ru(
            format!("`{}` — методика, а при `--scenario` после методики указываются только представления государств", args.new.display()),
            None,
            Some("сравните две версии без `--scenario` или одну методику с её сценарием: `tamga impact rules/eaeu --scenario ID examples/eaeu`".into()),
        );
        env.report(&[d], &meth.sources);
        return EXIT_USAGE;
    }
    if !meth.model.scenarios.contains_key(id) {
        let ids: Vec<&str> = meth.model.scenarios.keys().map(String::as_str).collect();
        let (help, help_ru) = match (diagnostics::suggest(id, ids.iter().copied()), ids.is_empty()) {
            (_, true) => (
                "the methodology declares no `scenario`: see docs/language.md, Scenarios".to_string(),
                "в методике не объявлено ни одного сценария (`scenario`): см. docs/language.md, раздел «Scenarios»"
                    .to_string(),
            ),
            (Some(near), _) => (format!("did you mean `{near}`?"), format!("возможно, имелось в виду `{near}`?")),
            (None, _) => {
                let list = ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ");
                (format!("the scenarios are {list}"), format!("сценарии методики: {list}"))
            }
        };
        let d = Diag::error(Code::Usage, format!("`{}` declares no scenario `{id}`", meth.model.header.id))
            .help(help)
            .ru(format!("в методике `{}` нет сценария `{id}`", meth.model.header.id), None, Some(help_ru));
        env.report(&[d], &meth.sources);
        return EXIT_USAGE;
    }
    let paths: Vec<PathBuf> = std::iter::once(args.new.clone()).chain(args.submissions.iter().cloned()).collect();
    let (data, data_errors) = match read(&meth, &paths, args, env, &mut std::collections::HashSet::new()) {
        Ok(x) => x,
        Err(c) => return c,
    };
    let compiled = crate::eval::Compiled::new(&meth.model);
    // the methodology's own outcome (its scenarios are not needed beside it here)
    let base = crate::eval::evaluate_all_with(&compiled, &data, &crate::eval::Overrides::default());
    let Some(under) = crate::eval::scenario::evaluate_under(&compiled, &data, id) else {
        return EXIT_USAGE;
    };
    let spec = args.old.to_string_lossy();
    let mut side = Side::of(&spec, &meth);
    side.scenario = Some(id.to_string());
    // the scenario's weights, for the weight-share thresholds that need a different number of children
    let declared = crate::eval::scenario::declared_under(&meth.model, id).unwrap_or_else(|| meth.model.clone());
    let im = impact::impact(Side::of(&spec, &meth), &meth.model, &base, side, &declared, &under);
    finish(im, &meth, std::slice::from_ref(&data), data_errors, args.format, env)
}

/// Reads the submissions as methodology `m` asks for them and reports what it says of them, each
/// diagnostic not `seen` before: the dataset, and whether any of them is an error. `Err` with the
/// exit code when a file cannot be read at all.
fn read(
    m: &crate::check::Methodology,
    paths: &[PathBuf],
    args: &Args,
    env: &Env,
    seen: &mut std::collections::HashSet<String>,
) -> Result<(crate::data::Dataset, bool), i32> {
    let mut sources = m.sources.clone();
    let loading = crate::data::load_files_with(&m.model, paths, &args.read.options(), &mut sources);
    let units: Vec<Option<String>> = loading.diags.iter().map(|(f, d)| super::unit_of(&loading.files, *f, d)).collect();
    let diags: Vec<Diag> = loading.diags.into_iter().map(|(_, d)| d).collect();
    let (fresh, fresh_units): (Vec<Diag>, Vec<Option<String>>) = diags
        .iter()
        .zip(units)
        .filter(|(d, _)| seen.insert(diagnostics::render(std::slice::from_ref(*d), &sources, env.style)))
        .map(|(d, u)| (d.clone(), u))
        .unzip();
    env.report_for(&fresh, &fresh_units, &sources);
    if diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
        return Err(EXIT_USAGE);
    }
    Ok((loading.dataset, diags.iter().any(|d| d.is_error())))
}

/// Whether a path names a methodology rather than submissions: a `.tamga` file, a `git:` spec,
/// or a folder holding `.tamga` files.
fn looks_like_methodology(path: &std::path::Path) -> bool {
    let text = path.to_string_lossy();
    if text.starts_with("git:") || path.extension().is_some_and(|e| e == "tamga") {
        return true;
    }
    path.is_dir()
        && std::fs::read_dir(path)
            .map(|rd| rd.flatten().any(|e| e.path().extension().is_some_and(|x| x == "tamga")))
            .unwrap_or(false)
}
