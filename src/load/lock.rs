//! The lock `methodology.lock`: what the Board approved, file by file.
//!
//! `tamga approve` writes it; `check`, `eval` and `report` compare the methodology with it. The
//! fingerprint decides; the per-file hashes name the file that changed. A file whose bytes changed
//! but whose canonical form did not (layout, comments) is not a change of the approved methodology.

use crate::diagnostics::{Code, Diag};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The lock's file name, beside `methodology.tamga`.
pub const LOCK_FILE: &str = "methodology.lock";

/// One file's hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLock {
    /// SHA-256 of the file's text.
    pub sha256: String,
    /// SHA-256 of its canonical form (comments and layout aside).
    pub canonical: String,
}

/// The lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Methodology id.
    pub id: String,
    /// Version approved.
    pub version: String,
    /// Fingerprint approved.
    pub fingerprint: String,
    /// The decision.
    pub decision: String,
    /// Its date.
    pub date: String,
    /// The methodology's own test cases (`tests/*.toml`) that passed when it was approved.
    pub tests_passed: usize,
    /// The test cases run when it was approved (0 when approved `--without-tests`).
    pub tests_total: usize,
    /// SHA-256 of every other field ([`Lock::compute_seal`]): a lock edited by hand (a fingerprint
    /// pasted in, a file hash changed) no longer matches it.
    pub seal: String,
    /// Files, by path relative to the methodology's folder.
    pub files: IndexMap<String, FileLock>,
}

impl Lock {
    /// The lock as TOML text, with a header comment.
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# Written by `tamga approve`: what the Board approved. Do not edit.\n# `tamga check` compares the methodology with this file.\n\n{body}")
    }

    /// The seal of the lock's contents: SHA-256 of the id, version, fingerprint, decision, date, test
    /// count and every file's name and hashes, one per line.
    pub fn compute_seal(&self) -> String {
        let mut text = format!(
            "tamga.lock/1\n{}\n{}\n{}\n{}\n{}\n{}/{}\n",
            self.id, self.version, self.fingerprint, self.decision, self.date, self.tests_passed, self.tests_total
        );
        for (name, f) in &self.files {
            text.push_str(&format!("{name}\t{}\t{}\n", f.sha256, f.canonical));
        }
        crate::fingerprint::sha256_hex(text.as_bytes())
    }

    /// The lock with its seal computed.
    pub fn sealed(mut self) -> Lock {
        self.seal = self.compute_seal();
        self
    }

    /// An error when the lock does not agree with its own seal: its fingerprint, its file hashes or
    /// its test count were edited after `tamga approve` wrote it.
    pub fn verify_seal(&self, name: &str) -> Option<Diag> {
        (self.seal != self.compute_seal()).then(|| {
            Diag::error(
                Code::Lock,
                format!("`{name}` was edited by hand: its fingerprint, file hashes and test count do not agree with its seal"),
            )
            .help("a lock is written only by `tamga approve`: restore it from version control, or approve the methodology again after the Board's decision")
        })
    }

    /// Parses a lock.
    pub fn parse(name: &str, text: &str) -> Result<Lock, Diag> {
        toml::from_str(text).map_err(|e| {
            Diag::error(Code::Lock, format!("`{name}` cannot be read: {}", e.message()))
                .help("the lock is written by `tamga approve`; restore it from version control, or approve again")
        })
    }
}

/// Compares the current files with the lock; errors name every file changed, added or removed.
pub fn verify(lock: &Lock, fingerprint: &str, files: &IndexMap<String, FileLock>, folder: &str) -> Vec<Diag> {
    if lock.fingerprint == fingerprint {
        return vec![];
    }
    let mut changed = vec![];
    for (name, f) in files {
        match lock.files.get(name) {
            Some(l) if l.canonical == f.canonical => {}
            Some(_) => changed.push(format!("`{folder}/{name}` was changed")),
            None => changed.push(format!("`{folder}/{name}` was added")),
        }
    }
    for name in lock.files.keys() {
        if !files.contains_key(name) {
            changed.push(format!("`{folder}/{name}` was removed"));
        }
    }
    if changed.is_empty() {
        changed.push("declarations were moved between files or reordered in a way that changes meaning".into());
    }
    vec![Diag::error(
        Code::Lock,
        format!(
            "the approved methodology `{}` {} was edited after approval: {}",
            lock.id,
            lock.version,
            changed.join(", ")
        ),
    )
    .help(format!(
        "an approved methodology cannot change: raise `version` in {folder}/methodology.toml, set `status = \"draft\"`, remove {folder}/{LOCK_FILE}, and approve the new version after the Board's decision (or restore the approved files)"
    ))]
}
