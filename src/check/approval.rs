//! The manifest and the lock of a methodology folder, against the checked methodology: the
//! manifest's id and version must match the header; an approved methodology must match its lock.
//! Both files are read by `load`; nothing here reads a file.

use super::Checked;
use crate::diagnostics::{self, Code, Diag};
use crate::load::{lock, Folder, Status};

/// Verifies the folder's manifest and lock against `checked`, and keeps the manifest in it.
pub(super) fn attach(folder: Folder, checked: &mut Checked) {
    let Folder { shown, manifest: m, manifest_diags, lock, lock_shown } = folder;
    checked.diags.extend(manifest_diags);
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
                    format!("the manifest says version `{}` but the methodology says `{}`", m.version, header.version),
                )
                .at(m.spans.1, "version in the manifest")
                .help("keep one version in both places: raise both together"),
            );
        }
    }
    checked.manifest = m;
    let status = checked.manifest.as_ref().map(|m| m.status);
    if let Some(lock) = lock {
        match (lock, status) {
            (Err(d), Some(Status::Approved)) => checked.diags.push(d),
            (Ok(lock), Some(Status::Approved)) => {
                checked.diags.extend(lock.verify_seal(&lock_shown));
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
                    format!("`{lock_shown}` is left from an approval, but the methodology is not approved"),
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
