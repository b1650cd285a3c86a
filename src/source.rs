//! Source files and spans: where every piece of a methodology came from.
//!
//! Every stage keeps [`Span`]s (a file id and a byte range); the text is attached only when a
//! diagnostic is rendered, through the [`SourceMap`].

use std::fmt;
use std::path::{Path, PathBuf};

/// The index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start: start as u32, end: end as u32 }
    }

    /// The smallest span that covers both (they must be in the same file).
    pub fn join(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// The length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// One loaded source file: its display name (repo-relative as given by the user) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// All files of a methodology (and of submissions, for diagnostics that point into them).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Each file's absolute path on disk, when it was read from one (by id).
    paths: Vec<Option<PathBuf>>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_at(name, text, None)
    }

    /// Adds a file read from `path` (absolute, for an editor to find it again) and returns its id.
    pub fn add_at(&mut self, name: impl Into<String>, text: impl Into<String>, path: Option<PathBuf>) -> FileId {
        self.files.push(SourceFile { name: name.into(), text: text.into() });
        self.paths.push(path);
        FileId((self.files.len() - 1) as u32)
    }

    /// The absolute path the file was read from, when it was read from disk (not for a file
    /// at a git revision, given as text, or a submission).
    pub fn path(&self, id: FileId) -> Option<&Path> {
        self.paths.get(id.0 as usize).and_then(|p| p.as_deref())
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files in load order.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        let text = &self.get(span.file).text;
        text.get(span.start as usize..span.end as usize).unwrap_or("")
    }

    /// 1-based line and column of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let text = &self.get(span.file).text;
        let upto = &text[..(span.start as usize).min(text.len())];
        let line = upto.matches('\n').count() + 1;
        let col = upto.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file#{}", self.0)
    }
}
