//! `tamga test <methodology>`: runs the test cases in `<methodology>/tests/*.toml`.

use super::{out, Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{self, Code, Diag, Style};
use crate::testing;
use std::path::PathBuf;

/// Output format of `test`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// PASS or FAIL per case, with the derivation of each value that differs.
    Text,
    /// Every case and failure as JSON (schema `tamga.test/1`).
    Json,
}

/// Arguments of `tamga test`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The cases are TOML files in the methodology's `tests` folder (see docs/testing.md).
Exit code 0 when every case passes, 1 when one fails or a test file has errors.

Examples:
  tamga test rules/demo
  tamga test rules/demo --filter facilitation --coverage")]
pub struct Args {
    /// The methodology: a folder with `methodology.tamga` and a `tests` folder.
    pub methodology: PathBuf,
    /// Run only the cases whose name contains this text (in any case).
    #[arg(long)]
    pub filter: Option<String>,
    /// List the indicators, areas, bands, standards and recommendations no case touches.
    #[arg(long)]
    pub coverage: bool,
    /// The folder of test files (default: `tests` beside the rules).
    #[arg(long, value_name = "FOLDER")]
    pub tests: Option<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    if args.format == Format::Json {
        env.json_output();
    }
    let meth = match super::explain::load_methodology(&args.methodology, env) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let dir = args.tests.clone().unwrap_or_else(|| testing::tests_dir(&args.methodology));
    let mut sources = meth.sources.clone();
    if !dir.is_dir() {
        let shown = dir.to_string_lossy().replace('\\', "/");
        let d = Diag::error(Code::Io, format!("`{shown}` does not exist"))
            .help("put test files (`*.toml`) in a `tests` folder beside the rules, or give `--tests FOLDER`");
        env.report(&[d], &sources);
        return EXIT_USAGE;
    }
    let (files, diags) = testing::load(&meth.model, &dir, &mut sources);
    env.report(&diags, &sources);
    if files.iter().all(|f| f.cases.is_empty()) {
        let shown = dir.to_string_lossy().replace('\\', "/");
        let d = Diag::warning(Code::TestNone, format!("no test cases in `{shown}`"))
            .help("write cases in `*.toml` files there (see docs/testing.md)");
        env.report(&[d], &sources);
    }
    let run = testing::run(&meth, &files, &mut sources, args.filter.as_deref());
    let style = Style { color: false, width: env.style.width };
    let text = match args.format {
        Format::Text => testing::render_text(&run, &sources, env.lang, args.coverage, style),
        Format::Json => env.with_diagnostics(&testing::render_json(&run, &meth, &sources, args.coverage)),
    };
    out(&text);
    if run.failed() > 0 || diagnostics::has_errors(&diags) {
        EXIT_INPUT
    } else {
        EXIT_OK
    }
}

/// The warnings of `tamga check --untested`: each indicator no test case touches (or one warning
/// that there are no tests). Problems of the test files themselves are left to `tamga test`.
pub(super) fn untested(methodology: &std::path::Path) -> Vec<Diag> {
    let Ok((meth, _)) = crate::check::check(methodology).methodology() else { return vec![] };
    let dir = testing::tests_dir(methodology);
    let mut sources = meth.sources.clone();
    let (files, _) = testing::load(&meth.model, &dir, &mut sources);
    if files.iter().all(|f| f.cases.is_empty()) {
        let shown = dir.to_string_lossy().replace('\\', "/");
        return vec![Diag::warning(Code::TestNone, format!("no test cases in `{shown}`: no indicator is tested"))
            .help("write test cases in `*.toml` files there (see docs/testing.md)")];
    }
    let run = testing::run(&meth, &files, &mut sources, None);
    testing::untested(&meth, &run, &dir)
}
