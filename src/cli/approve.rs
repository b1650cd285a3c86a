//! `tamga approve <methodology> --decision "…" --date YYYY-MM-DD`: records the Board's decision in
//! the manifest and writes the lock.
//!
//! Only a methodology that checks without errors and passes its own test cases (`tests/*.toml`
//! beside the rules, as `tamga test` runs them) is approved; one without test cases only with
//! `--without-tests`. The lock records how many cases passed.

use super::{Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::check::{check, Methodology};
use crate::diagnostics::{self, Code, Diag};
use crate::load::{parse_spec, Store};
use crate::source::SourceMap;
use crate::testing;
use crate::version::{manifest::valid_date, manifest::valid_effective_from, Lock, Status, LOCK_FILE, MANIFEST_FILE};
use std::path::{Path, PathBuf};

/// Arguments of `tamga approve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  tamga approve rules/eaeu --decision \"Decision No. 7\" --date 2025-06-01
  tamga approve rules/eaeu --decision \"Decision No. 7\" --date 2025-06-01 --effective-from 2025-Q3
  tamga approve rules/eaeu-2025 --decision \"Decision No. 9\" --date 2025-09-01 --without-tests")]
pub struct Args {
    /// The methodology folder (with methodology.tamga and methodology.toml).
    pub methodology: PathBuf,
    /// The decision that approves it, e.g. "Decision of the Board No. 12".
    #[arg(long)]
    pub decision: String,
    /// The date of the decision, YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    /// The approving body.
    #[arg(long, default_value = "Board of the Eurasian Economic Commission")]
    pub body: String,
    /// From when the methodology applies: a date YYYY-MM-DD, or the first period it applies to
    /// (2025, 2025-Q2, 2025-H1, 2025-04). `eval --official` refuses earlier periods.
    #[arg(long)]
    pub effective_from: Option<String>,
    /// Approve a methodology that has no test cases (the lock records 0 tests). Without it, a
    /// methodology without `tests/*.toml` is not approved.
    #[arg(long)]
    pub without_tests: bool,
}

fn fail(env: &Env, d: Diag, code: i32) -> i32 {
    env.report(&[d], &SourceMap::new());
    code
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    if !valid_date(&args.date) {
        return fail(
            env,
            Diag::error(Code::Usage, format!("--date `{}` is not a date", args.date))
                .help("write YYYY-MM-DD, e.g. 2025-03-01"),
            EXIT_USAGE,
        );
    }
    if let Some(e) = args.effective_from.as_ref().filter(|e| !valid_effective_from(e)) {
        return fail(
            env,
            Diag::error(Code::Usage, format!("--effective-from `{e}` is neither a date nor a period"))
                .help("write a date YYYY-MM-DD (2025-04-01) or the first period the methodology applies to (2025, 2025-Q2, 2025-H1, 2025-04)"),
            EXIT_USAGE,
        );
    }
    if args.decision.trim().is_empty() {
        return fail(
            env,
            Diag::error(Code::Usage, "the decision is empty")
                .help("write the decision's number and title: --decision \"Decision No. 12\""),
            EXIT_USAGE,
        );
    }
    let (store, folder) = parse_spec(&args.methodology);
    if store != Store::Disk || !folder.is_dir() {
        return fail(
            env,
            Diag::error(Code::Usage, "approve needs a methodology folder on disk")
                .help("give the folder that holds methodology.tamga and methodology.toml"),
            EXIT_USAGE,
        );
    }
    let checked = check(&args.methodology);
    if diagnostics::has_errors(&checked.diags) || checked.model.is_none() {
        env.report(&checked.diags, &checked.sources);
        eprintln!("not approved: the methodology has errors");
        return EXIT_INPUT;
    }
    let Some(manifest) = checked.manifest.clone() else {
        let model = checked.model.as_ref().map(|m| (m.header.id.clone(), m.header.version.clone())).unwrap_or_default();
        return fail(
            env,
            Diag::error(Code::Manifest, format!("`{}` has no {MANIFEST_FILE}", folder.display())).help(format!(
                "create it with:\n  id = \"{}\"\n  version = \"{}\"\n  status = \"proposed\"\n  authors = [\"…\"]",
                model.0, model.1
            )),
            EXIT_INPUT,
        );
    };
    match manifest.status {
        Status::Draft | Status::Proposed => {}
        other => {
            return fail(
                env,
                Diag::error(
                    Code::Manifest,
                    format!("the methodology is {}, not a draft or a proposal", other.as_str()),
                )
                .help("to approve a new version, raise `version`, set `status = \"draft\"` and remove the lock first"),
                EXIT_INPUT,
            )
        }
    }
    // the manifest, edited in place so its comments and layout stay
    let mpath = folder.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&mpath).unwrap_or_default();
    let mut doc: toml_edit::DocumentMut = match text.parse() {
        Ok(d) => d,
        Err(e) => {
            return fail(env, Diag::error(Code::Manifest, format!("{MANIFEST_FILE} cannot be edited: {e}")), EXIT_INPUT)
        }
    };
    doc["status"] = toml_edit::value("approved");
    let mut approval = toml_edit::Table::new();
    approval["body"] = toml_edit::value(args.body.as_str());
    approval["decision"] = toml_edit::value(args.decision.as_str());
    approval["date"] = toml_edit::value(args.date.as_str());
    if let Some(e) = &args.effective_from {
        approval["effective_from"] = toml_edit::value(e.as_str());
    }
    doc["approval"] = toml_edit::Item::Table(approval);
    let Ok((meth, _)) = checked.methodology() else { return EXIT_INPUT };
    let (tests_passed, tests_total) = match own_tests(&meth, &args.methodology, args.without_tests, env) {
        Ok(count) => count,
        Err(code) => return code,
    };
    let lock = Lock {
        id: meth.model.header.id.clone(),
        version: meth.model.header.version.clone(),
        fingerprint: meth.fingerprint.clone(),
        decision: args.decision.clone(),
        date: args.date.clone(),
        tests_passed,
        tests_total,
        seal: String::new(),
        files: meth.files.clone(),
    }
    .sealed();
    let lpath = folder.join(LOCK_FILE);
    if let Err(e) = crate::fsutil::write_atomic(&lpath, lock.to_text().as_bytes()) {
        return fail(env, Diag::error(Code::Io, format!("cannot write `{}`: {e}", lpath.display())), EXIT_USAGE);
    }
    if let Err(e) = crate::fsutil::write_atomic(&mpath, doc.to_string().as_bytes()) {
        let _ = std::fs::remove_file(&lpath);
        return fail(env, Diag::error(Code::Io, format!("cannot write `{}`: {e}", mpath.display())), EXIT_USAGE);
    }
    // the approved methodology must now check clean against its own lock
    let again = check(&args.methodology);
    if diagnostics::has_errors(&again.diags) {
        env.report(&again.diags, &again.sources);
        return EXIT_INPUT;
    }
    super::out(&format!(
        "approved {} {} by {} ({}, {})\n{}\nfingerprint {}\nwrote {} and {}\n",
        lock.id,
        lock.version,
        args.body,
        args.decision,
        args.date,
        tests_line(lock.tests_passed, lock.tests_total),
        lock.fingerprint,
        mpath.display(),
        lpath.display()
    ));
    EXIT_OK
}

/// "tests: 23 of 23 passed", or that the methodology was approved without tests.
pub(super) fn tests_line(passed: usize, total: usize) -> String {
    if total == 0 {
        "tests: none (approved with --without-tests)".into()
    } else {
        format!("tests: {passed} of {total} passed")
    }
}

/// Runs the methodology's own test cases as `tamga test` does: (passed, total), or the exit code
/// when a case fails, a test file has errors, or there are no cases and `without_tests` is not set.
fn own_tests(meth: &Methodology, methodology: &Path, without_tests: bool, env: &Env) -> Result<(usize, usize), i32> {
    let dir = testing::tests_dir(methodology);
    let shown = dir.to_string_lossy().replace('\\', "/");
    let mut sources = meth.sources.clone();
    let (files, diags) = if dir.is_dir() { testing::load(&meth.model, &dir, &mut sources) } else { (vec![], vec![]) };
    let total: usize = files.iter().map(|f| f.cases.len()).sum();
    if total == 0 && !diagnostics::has_errors(&diags) {
        if without_tests {
            return Ok((0, 0));
        }
        let d = Diag::error(Code::ApproveTests, format!("not approved: the methodology has no test cases in `{shown}`"))
            .help("write test cases in `*.toml` files there (docs/testing.md) and run `tamga test` before approving; to approve without any, say so with --without-tests (the lock records 0 tests)");
        env.report(&[d], &sources);
        return Err(EXIT_INPUT);
    }
    let run = testing::run(meth, &files, &mut sources, None);
    if run.failed() == 0 && !diagnostics::has_errors(&diags) {
        return Ok((run.passed(), run.cases.len()));
    }
    env.report(&diags, &sources);
    let failing: Vec<String> = run
        .cases
        .iter()
        .filter(|c| !c.passed)
        .map(|c| format!("  `{}` ({}:{})", c.name, c.file, sources.line_col(c.span).0))
        .collect();
    let mut message = format!("not approved: {} of {} test cases fail", run.failed(), run.cases.len());
    if diagnostics::has_errors(&diags) {
        message.push_str(", and the test files have errors");
    }
    if !failing.is_empty() {
        message.push_str(&format!(":\n{}", failing.join("\n")));
    }
    let d = Diag::error(Code::ApproveTests, message).help(format!(
        "run `tamga test {}` to see each failure with the derivation of its value; correct the rules or the expectation, then approve",
        methodology.to_string_lossy().replace('\\', "/")
    ));
    env.report(&[d], &sources);
    Err(EXIT_INPUT)
}
