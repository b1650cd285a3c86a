//! Versions for Board approval: the manifest, the lock, semantic diffs and the impact of a change.
//!
//! The fingerprint itself (SHA-256 of the canonical form) is computed by `check`; this module
//! reads `methodology.toml`, verifies `methodology.lock`, and compares two versions.

pub mod diff;
pub mod impact;
pub mod lock;
pub mod manifest;

pub use lock::{FileLock, Lock, LOCK_FILE};
pub use manifest::{Manifest, Status, MANIFEST_FILE};

use crate::check::{Checked, Store};
use crate::diagnostics::{self, Code, Diag};
use std::path::Path;

/// The lock of a methodology folder (on disk or at a git revision), if it has one that can be read.
pub fn lock_of(methodology: &Path) -> Option<Lock> {
    let (store, folder) = crate::check::parse_spec(methodology);
    let path = folder.join(LOCK_FILE);
    if !store.is_file(&path) {
        return None;
    }
    store.read(&path).ok().and_then(|t| Lock::parse(LOCK_FILE, &t).ok())
}

/// Reads the manifest and the lock of a methodology folder into a [`Checked`]: the manifest's id
/// and version must match the header; an approved methodology must match its lock.
pub fn attach(store: &Store, folder: &Path, checked: &mut Checked) {
    let shown = store.show(folder);
    let mpath = folder.join(MANIFEST_FILE);
    if store.is_file(&mpath) {
        match store.read(&mpath) {
            Ok(text) => {
                let (m, d) = manifest::parse(&store.show(&mpath), &text, &mut checked.sources);
                checked.diags.extend(d);
                if let (Some(m), Some(model)) = (&m, &checked.model) {
                    let header = &model.header;
                    if m.id != header.id {
                        checked.diags.push(
                            Diag::error(
                                Code::Manifest,
                                format!("the manifest says `{}` but the methodology is `{}`", m.id, header.id),
                            )
                            .at(m.spans.0, "id in the manifest")
                            .help(format!("write `id = \"{}\"` in the manifest, or rename the methodology", header.id)),
                        );
                    }
                    if m.version != header.version {
                        checked.diags.push(
                            Diag::error(
                                Code::Manifest,
                                format!(
                                    "the manifest says version `{}` but the methodology says `{}`",
                                    m.version, header.version
                                ),
                            )
                            .at(m.spans.1, "version in the manifest")
                            .help("keep one version in both places: raise both together"),
                        );
                    }
                }
                checked.manifest = m;
            }
            Err(d) => checked.diags.push(d),
        }
    }
    let lpath = folder.join(LOCK_FILE);
    let status = checked.manifest.as_ref().map(|m| m.status);
    if store.is_file(&lpath) {
        let lock = store.read(&lpath).and_then(|t| Lock::parse(&store.show(&lpath), &t));
        match (lock, status) {
            (Err(d), Some(Status::Approved)) => checked.diags.push(d),
            (Ok(lock), Some(Status::Approved)) => {
                checked.diags.extend(lock.verify_seal(&store.show(&lpath)));
                if let Some(fp) = &checked.fingerprint {
                    checked.diags.extend(lock::verify(&lock, fp, &checked.files, &shown));
                }
                if let Some(a) = checked.manifest.as_ref().and_then(|m| m.approval.as_ref()) {
                    if a.decision != lock.decision || a.date != lock.date {
                        checked.diags.push(
                            Diag::error(
                                Code::Lock,
                                format!(
                                    "the manifest's approval ({}, {}) disagrees with the lock ({}, {})",
                                    a.decision, a.date, lock.decision, lock.date
                                ),
                            )
                            .help("the lock records the decision that approved these files: restore [approval] in the manifest, or approve again after the Board's decision"),
                        );
                    }
                }
                if let Some(m) = &checked.manifest {
                    if lock.version != m.version {
                        checked.diags.push(
                            Diag::error(
                                Code::Lock,
                                format!("the lock is for version {} but the manifest says {}", lock.version, m.version),
                            )
                            .help("a new version starts as a draft: set `status = \"draft\"` and remove the lock"),
                        );
                    }
                }
            }
            (_, Some(Status::Superseded)) => {}
            _ => checked.diags.push(
                Diag::warning(
                    Code::Lock,
                    format!("`{}` is left from an approval, but the methodology is not approved", store.show(&lpath)),
                )
                .help("remove the lock when a new draft starts; `tamga approve` writes a new one"),
            ),
        }
    } else if status == Some(Status::Approved) {
        checked.diags.push(
            Diag::error(Code::Lock, format!("the methodology `{shown}` is approved but has no lock"))
                .help("run `tamga approve` to record the decision and write methodology.lock"),
        );
    }
    diagnostics::sort(&mut checked.diags);
    if diagnostics::has_errors(&checked.diags) {
        checked.model = None;
    }
}
