//! `tamga impact <old> <new> <submissions…>`: what a change of methodology does to the scores.

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
  tamga impact git:HEAD~1:rules/eaeu rules/eaeu examples/eaeu --format json")]
pub struct Args {
    /// The older version: a folder, a file, or `git:REV:path`.
    pub old: PathBuf,
    /// The newer version.
    pub new: PathBuf,
    /// Submission files (.json, .toml, .csv, .xlsx) or folders of them, evaluated with both versions.
    #[arg(required = true)]
    pub submissions: Vec<PathBuf>,
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
    let mut seen = std::collections::HashSet::new();
    for m in [&old, &new] {
        let mut sources = m.sources.clone();
        let loading = crate::data::load_files_with(&m.model, &args.submissions, &args.read.options(), &mut sources);
        let units: Vec<Option<String>> =
            loading.diags.iter().map(|(f, d)| super::unit_of(&loading.files, *f, d)).collect();
        let (data, diags): (crate::data::Dataset, Vec<Diag>) =
            (loading.dataset, loading.diags.into_iter().map(|(_, d)| d).collect());
        // submissions are read once per version: a question added by the new version is
        // reported by the new version only, and what both versions say is said once
        let (fresh, fresh_units): (Vec<Diag>, Vec<Option<String>>) = diags
            .iter()
            .zip(units)
            .filter(|(d, _)| seen.insert(diagnostics::render(std::slice::from_ref(*d), &sources, env.style)))
            .map(|(d, u)| (d.clone(), u))
            .unzip();
        env.report_for(&fresh, &fresh_units, &sources);
        if diags.iter().any(|d| d.is_error() && d.code == Code::Io) {
            return EXIT_USAGE;
        }
        data_errors |= diags.iter().any(|d| d.is_error());
        outcomes.push(crate::eval::evaluate(&m.model, &data));
        datas.push(data);
    }
    let mut im = impact::impact(
        Side::of(&args.old.to_string_lossy(), &old),
        &old.model,
        &outcomes[0],
        Side::of(&args.new.to_string_lossy(), &new),
        &new.model,
        &outcomes[1],
    );
    // the states' names, as the submissions give them
    for sub in datas.iter().flat_map(|d| &d.submissions) {
        if !sub.name.is_empty() {
            im.unit_names.entry(sub.unit.clone()).or_insert_with(|| sub.name.clone());
        }
    }
    // the notes the submissions carry, as the newer version read them
    let status = crate::report::status::build(&new, &datas[1]);
    let escape = crate::report::markdown::escape;
    im.data.push(escape(&status.data_summary(env.lang)));
    for (who, note) in status.note_lines(env.lang) {
        im.data.push(format!("{} ({}): {}", crate::report::status::texts(env.lang).note, escape(&who), escape(&note)));
    }
    match args.format {
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
