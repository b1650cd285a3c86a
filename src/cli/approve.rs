//! `tamga approve <methodology> --decision "…" --date YYYY-MM-DD`: records the Board's decision in
//! the manifest and writes the lock.

use super::{Env, EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::check::{check, parse_spec, Store};
use crate::diagnostics::{self, Code, Diag};
use crate::source::SourceMap;
use crate::version::{manifest::valid_date, Lock, Status, LOCK_FILE, MANIFEST_FILE};
use std::path::PathBuf;

/// Arguments of `tamga approve`.
#[derive(Debug, clap::Args)]
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
    /// From when the methodology applies, YYYY-MM-DD.
    #[arg(long)]
    pub effective_from: Option<String>,
}

fn fail(env: &Env, d: Diag, code: i32) -> i32 {
    env.report(&[d], &SourceMap::new());
    code
}

/// Runs the command.
pub fn run(args: &Args, env: &Env) -> i32 {
    for (what, d) in [("--date", Some(&args.date)), ("--effective-from", args.effective_from.as_ref())] {
        if let Some(d) = d {
            if !valid_date(d) {
                return fail(
                    env,
                    Diag::error(Code::Usage, format!("{what} `{d}` is not a date"))
                        .help("write YYYY-MM-DD, e.g. 2025-03-01"),
                    EXIT_USAGE,
                );
            }
        }
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
    let Some(manifest) = &checked.manifest else {
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
    let lock = Lock {
        id: manifest.id.clone(),
        version: manifest.version.clone(),
        fingerprint: checked.fingerprint.clone().unwrap_or_default(),
        decision: args.decision.clone(),
        date: args.date.clone(),
        files: checked.files.clone(),
    };
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
        "approved {} {} by {} ({}, {})\nfingerprint {}\nwrote {} and {}\n",
        lock.id,
        lock.version,
        args.body,
        args.decision,
        args.date,
        lock.fingerprint,
        mpath.display(),
        lpath.display()
    ));
    EXIT_OK
}
