//! Stage 1, load: a methodology's files → parsed [`File`]s, with the manifest and the lock.
//!
//! Everything that touches the file system (or a git revision) to read a methodology is here, so
//! that `check` is a pure function of parsed files: the entry file of a folder, every `include`
//! (never leaving the methodology's folder), `git:REV:path` specs ([`Store`]), and the folder's
//! `methodology.toml` ([`manifest`]) and `methodology.lock` ([`lock`]). An [`Overlay`] of unsaved
//! editor buffers is read in preference to the disk for every rule file.
//!
//! - `files`: the [`Store`], reading and decoding text, and the walk over `include`s;
//! - `manifest`, `lock`: the two files of an approved methodology, parsed (verifying them against
//!   the checked methodology is `check`'s).

mod files;
pub mod lock;
pub mod manifest;

pub use files::{
    bidi_warnings, display_path, entry_in, entry_path, load_files, normalise, parse_spec, read_text, Files, Store,
    ENTRY_FILE, MAX_FILE_BYTES,
};
pub use lock::{FileLock, Lock, LOCK_FILE};
pub use manifest::{Manifest, Status, MANIFEST_FILE};

use crate::diagnostics::Diag;
use crate::source::{FileId, SourceMap};
use crate::syntax::ast::File;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Unsaved editor buffers: a file's text by its path, read instead of the file on disk.
///
/// Paths are made absolute (against the current folder) and normalised (`.` and `..` removed)
/// both when a buffer is inserted and when a file is looked up, so `rules/x/../x/a.tamga` and the
/// editor's absolute path name the same buffer; a file reached through a symbolic link is found
/// too, when it exists on disk. A buffer is read only for files on disk (not at a git revision),
/// and only for rule files (the entry file and its includes); the manifest and the lock are
/// always read from disk.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    texts: HashMap<PathBuf, String>,
}

impl Overlay {
    /// Sets the text of the file at `path` (replacing an earlier buffer of the same file).
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.texts.insert(absolute(&path), text);
    }

    /// Forgets the buffer of the file at `path` (the disk is read again).
    pub fn remove(&mut self, path: &Path) {
        let key = self.key(path);
        self.texts.remove(&key.unwrap_or_else(|| absolute(path)));
    }

    /// Whether there are no buffers.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The buffer of the file at `path`, if there is one.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.key(path).and_then(|k| self.texts.get(&k)).map(String::as_str)
    }

    /// The key of the buffer of `path`: its absolute path, or, when that names no buffer, the
    /// buffer whose file is the same once symbolic links are resolved.
    fn key(&self, path: &Path) -> Option<PathBuf> {
        if self.texts.is_empty() {
            return None;
        }
        let key = absolute(path);
        if self.texts.contains_key(&key) {
            return Some(key);
        }
        let real = std::fs::canonicalize(&key).ok()?;
        self.texts.keys().find(|k| std::fs::canonicalize(k).is_ok_and(|c| c == real)).cloned()
    }
}

/// `path` made absolute against the current folder, and normalised (lexically: symbolic links
/// are not resolved).
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return normalise(path);
    }
    match std::env::current_dir() {
        Ok(dir) => normalise(&dir.join(path)),
        Err(_) => normalise(path),
    }
}

/// A methodology read: every rule file parsed, and, for a folder, its manifest and lock.
pub struct Loaded {
    /// The files read (rule files in load order, then the manifest), named as shown.
    pub sources: SourceMap,
    /// The rule files that parsed, with their ids, in load order (entry first, includes
    /// depth-first).
    pub files: Vec<(FileId, File)>,
    /// Each parsed file's name relative to the methodology's folder (the lock's keys), in the
    /// same order.
    pub names: Vec<String>,
    /// Problems reading or parsing the rule files (the manifest's are in [`Folder`]).
    pub diags: Vec<Diag>,
    /// The folder's manifest and lock, when a folder was given.
    pub folder: Option<Folder>,
}

/// What a methodology folder holds beside its rule files.
pub struct Folder {
    /// The folder as shown (`rules/eaeu`, `git:HEAD:rules/eaeu`).
    pub shown: String,
    /// The manifest, when there is one that parsed.
    pub manifest: Option<Manifest>,
    /// Problems reading or parsing the manifest.
    pub manifest_diags: Vec<Diag>,
    /// The lock, when the folder has one: parsed, or why it cannot be.
    pub lock: Option<Result<Lock, Diag>>,
    /// The lock's path as shown.
    pub lock_shown: String,
}

/// Reads the methodology at `spec` (a folder with `methodology.tamga`, a rule file, or
/// `git:REV:path` for either), with unsaved buffers from `overlay`. Syntax errors in one file do
/// not stop the others; a missing entry file is the only diagnostic then.
pub fn load(spec: &Path, overlay: &Overlay) -> Loaded {
    let mut sources = SourceMap::new();
    let mut diags = vec![];
    let (store, path) = parse_spec(spec);
    let entry = match files::entry_with(&store, overlay, &path) {
        Ok(e) => e,
        Err(d) => return Loaded { sources, files: vec![], names: vec![], diags: vec![d], folder: None },
    };
    let is_dir = store.is_dir(&path);
    let loaded = files::load_with(&store, overlay, &entry, &mut sources, &mut diags);
    let base = if is_dir { normalise(&path) } else { normalise(path.parent().unwrap_or(Path::new(""))) };
    let names: Vec<String> =
        loaded.paths.iter().map(|p| display_path(normalise(p).strip_prefix(&base).unwrap_or(p))).collect();
    let folder = is_dir.then(|| read_folder(&store, &path, &mut sources));
    Loaded { sources, files: loaded.files, names, diags, folder }
}

/// Reads a folder's manifest and lock (from disk or the revision, never from an overlay).
fn read_folder(store: &Store, folder: &Path, sources: &mut SourceMap) -> Folder {
    let mut manifest = None;
    let mut manifest_diags = vec![];
    let mpath = folder.join(MANIFEST_FILE);
    if store.is_file(&mpath) {
        match store.read(&mpath) {
            Ok(text) => {
                let id = sources.add_at(store.show(&mpath), text, store.local(&mpath));
                let (m, d) = manifest::parse_file(id, &sources.get(id).name, &sources.get(id).text);
                manifest = m;
                manifest_diags = d;
            }
            Err(d) => manifest_diags.push(d),
        }
    }
    let lpath = folder.join(LOCK_FILE);
    let lock_shown = store.show(&lpath);
    let lock = store.is_file(&lpath).then(|| store.read(&lpath).and_then(|t| Lock::parse(&lock_shown, &t)));
    Folder { shown: store.show(folder), manifest, manifest_diags, lock, lock_shown }
}

/// The lock of a methodology folder (on disk or at a git revision), if it has one that can be read.
pub fn lock_of(methodology: &Path) -> Option<Lock> {
    let (store, folder) = parse_spec(methodology);
    let path = folder.join(LOCK_FILE);
    if !store.is_file(&path) {
        return None;
    }
    store.read(&path).ok().and_then(|t| Lock::parse(LOCK_FILE, &t).ok())
}
