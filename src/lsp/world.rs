//! The server's picture of the methodologies being edited: the open buffers, and for each
//! methodology folder, its files as last checked (with unsaved text), their syntax trees and
//! indexes, the diagnostics, and the last model that checked without errors (so hovers keep their
//! words while a file is half-typed).

use super::index::{FileIndex, RefKind, Symbol};
use super::pos::LineIndex;
use crate::check::{self, Checked};
use crate::diagnostics::{Diag, Severity};
use crate::eval::PeriodOutcome;
use crate::i18n::Lang;
use crate::load::{self, Overlay};
use crate::model::Model;
use crate::source::{FileId, Span};
use crate::syntax::ast;
use lsp_types::{Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri};
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One file of a checked methodology.
#[derive(Debug)]
pub struct FileData {
    /// Its absolute path.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Whether its index is from an earlier check: it did not parse this time (its index is the
    /// last that did), or it was not read this time ([`FileData::carried`]).
    pub stale: bool,
    /// Whether it was carried over from an earlier check without being read this time (a file
    /// that includes it did not parse).
    pub carried: bool,
    /// Its lines.
    pub lines: LineIndex,
    /// Its syntax tree, when it parses.
    pub ast: Option<ast::File>,
    /// Its declarations and uses of names.
    pub index: FileIndex,
}

/// A methodology: the entry file and everything it includes, as last checked.
pub struct Folder {
    /// The entry file (`methodology.tamga`, or a lone rule file).
    pub entry: PathBuf,
    /// The files, by [`FileId`].
    pub files: Vec<FileData>,
    /// What the check found.
    pub diags: Vec<Diag>,
    /// The model of the last check without errors.
    pub model: Option<Model>,
    /// Whether [`Folder::model`] is from the latest check (not an older one).
    pub fresh: bool,
    /// The files diagnostics were last published for.
    pub published: BTreeSet<PathBuf>,
    /// The folder of sample submissions (`initializationOptions.examples`), if any, and its
    /// name as given.
    pub examples: Option<(PathBuf, String)>,
    /// The last period of the samples evaluated with [`Folder::model`], computed at the first
    /// hover that shows it.
    pub samples: OnceCell<Option<Samples>>,
}

/// The samples evaluated: the folder as shown, and the values of its last period.
pub struct Samples {
    /// The folder, as shown.
    pub folder: String,
    /// The last period's values.
    pub period: PeriodOutcome,
}

impl Folder {
    /// The file at `path`, if it belongs to this methodology.
    pub fn file(&self, path: &Path) -> Option<(FileId, &FileData)> {
        self.files.iter().enumerate().find(|(_, f)| f.path == path).map(|(k, f)| (FileId(k as u32), f))
    }

    /// The sample submissions evaluated with the model, when a folder of them is configured
    /// and a model checked.
    pub fn samples(&self) -> Option<&Samples> {
        self.samples
            .get_or_init(|| {
                let (dir, shown) = self.examples.as_ref()?;
                let model = self.model.as_ref()?;
                let mut sources = crate::source::SourceMap::new();
                let (data, _) = crate::data::load(model, std::slice::from_ref(dir), &mut sources);
                let period = crate::eval::evaluate(model, &data).periods.pop()?;
                Some(Samples { folder: shown.clone(), period })
            })
            .as_ref()
    }

    /// The text of a file.
    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id.0 as usize).map_or("", |f| f.text.as_str())
    }

    /// The editor's location of a span.
    pub fn location(&self, span: Span) -> Option<Location> {
        let f = self.files.get(span.file.0 as usize)?;
        let text = self.text(span.file);
        Some(Location { uri: uri_of(&f.path)?, range: f.lines.range(text, span.start as usize, span.end as usize) })
    }

    /// Every declaration of `name` (of a standard when `kind` is [`RefKind::Standard`]).
    pub fn declarations(&self, name: &str, kind: RefKind) -> Vec<&Symbol> {
        self.files
            .iter()
            .flat_map(|f| f.index.symbols.iter())
            .filter(|s| s.name == name && matches_kind(s.kind, kind))
            .collect()
    }
}

/// Whether a declaration of this keyword is what a use of this kind names.
pub fn matches_kind(keyword: &str, kind: RefKind) -> bool {
    let standard = matches!(keyword, "standard" | "chapter");
    match kind {
        RefKind::Standard => standard,
        RefKind::Name => !standard,
        RefKind::Function | RefKind::Include => false,
    }
}

/// Everything the server holds.
#[derive(Default)]
pub struct World {
    /// Unsaved texts of open files, by absolute path.
    pub open: Overlay,
    /// Methodologies by entry file.
    pub folders: BTreeMap<PathBuf, Folder>,
    /// The language of diagnostics (`initializationOptions.lang`).
    pub lang: Lang,
    /// A folder of sample submissions whose values hovers show (`initializationOptions.examples`),
    /// and its name as given.
    pub examples: Option<(PathBuf, String)>,
}

impl World {
    /// The entry file of the methodology a rule file belongs to: the nearest `methodology.tamga`
    /// in its folder or above (at most 8 levels) that includes it, else the file itself.
    pub fn entry_of(&self, path: &Path) -> PathBuf {
        if let Some((entry, _)) = self.folders.iter().find(|(_, f)| f.file(path).is_some()) {
            return entry.clone();
        }
        let mut dir = path.parent();
        for _ in 0..8 {
            let Some(d) = dir else { break };
            let candidate = d.join(load::ENTRY_FILE);
            if candidate.is_file() || self.open.get(&candidate).is_some() {
                return candidate;
            }
            dir = d.parent();
        }
        path.to_path_buf()
    }

    /// Checks the methodology of `path` again (with the unsaved texts) and returns its entry
    /// file. A file that its folder's methodology does not include is checked on its own.
    pub fn recheck(&mut self, path: &Path) -> PathBuf {
        let entry = self.entry_of(path);
        let folder = self.build(&entry);
        if folder.file(path).is_none() && entry != path {
            // not part of that methodology (a file the entry does not include): on its own
            let alone = self.build(path);
            self.insert(path.to_path_buf(), alone);
            return path.to_path_buf();
        }
        self.insert(entry.clone(), folder);
        entry
    }

    fn insert(&mut self, entry: PathBuf, mut folder: Folder) {
        if let Some(old) = self.folders.remove(&entry) {
            let Folder { published, model, files: old_files, .. } = old;
            folder.published = published;
            if folder.model.is_none() {
                folder.model = model;
            }
            // while a file is half typed, what it declares (and the files only it includes) stay
            // known from the last time it parsed: completion, hover and go to definition keep
            // working
            for f in &mut folder.files {
                if f.ast.is_none() {
                    if let Some(before) = old_files.iter().find(|o| o.path == f.path) {
                        if before.ast.is_some() || before.stale {
                            f.index = before.index.clone();
                            f.stale = true;
                        }
                    }
                }
            }
            for before in old_files {
                if folder.file(&before.path).is_none() && (before.ast.is_some() || before.stale) {
                    folder.files.push(FileData { ast: None, stale: true, carried: true, ..before });
                }
            }
            for (k, f) in folder.files.iter_mut().enumerate() {
                if f.stale {
                    remap(&mut f.index, FileId(u32::MAX), FileId(k as u32));
                }
            }
        }
        self.folders.insert(entry, folder);
    }

    /// Checks a methodology from its entry file, with the unsaved texts.
    pub fn build(&self, entry: &Path) -> Folder {
        let (checked, trees) = check_with(entry, &self.open);
        let Checked { sources, model, diags, .. } = checked;
        let mut trees: HashMap<FileId, ast::File> = trees.into_iter().collect();
        let files = (0..sources.files().len())
            .map(|k| {
                let id = FileId(k as u32);
                let file = sources.get(id);
                let ast = trees.remove(&id);
                let index = ast.as_ref().map(FileIndex::new).unwrap_or_default();
                FileData {
                    path: sources.path(id).map_or_else(|| load::absolute(Path::new(&file.name)), load::absolute),
                    text: file.text.clone(),
                    stale: false,
                    carried: false,
                    lines: LineIndex::new(&file.text),
                    ast,
                    index,
                }
            })
            .collect();
        let fresh = model.is_some();
        Folder {
            entry: entry.to_path_buf(),
            files,
            diags,
            model,
            fresh,
            published: BTreeSet::new(),
            examples: self.examples.clone(),
            samples: OnceCell::new(),
        }
    }

    /// The methodology a file belongs to, checking it first if it was never checked.
    pub fn folder_of(&mut self, path: &Path) -> Option<&Folder> {
        if !self.folders.values().any(|f| f.file(path).is_some()) {
            if !path.is_file() && self.open.get(path).is_none() {
                return None;
            }
            self.recheck(path);
        }
        self.folders.values().find(|f| f.file(path).is_some())
    }

    /// The diagnostics to publish for every file of a methodology (empty lists for files that
    /// had some and have none now), and remembers which files have some.
    pub fn diagnostics(&mut self, entry: &Path) -> Vec<(Uri, Vec<Diagnostic>)> {
        let lang = self.lang;
        let Some(folder) = self.folders.get_mut(entry) else { return vec![] };
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        let carried: BTreeSet<PathBuf> = folder.files.iter().filter(|f| f.carried).map(|f| f.path.clone()).collect();
        for f in folder.files.iter().filter(|f| !f.carried) {
            by_file.insert(f.path.clone(), vec![]);
        }
        for d in &folder.diags {
            let (path, diag) = to_lsp(folder, d, lang);
            by_file.entry(path).or_default().push(diag);
        }
        // a file carried over from an earlier check keeps what was published for it
        for old in &folder.published {
            if !carried.contains(old) {
                by_file.entry(old.clone()).or_default();
            }
        }
        folder.published = by_file
            .iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(p, _)| p.clone())
            .chain(folder.published.iter().filter(|p| carried.contains(*p)).cloned())
            .collect();
        by_file.into_iter().filter_map(|(p, d)| Some((uri_of(&p)?, d))).collect()
    }
}

/// Points every span of an index at file `to` (all spans when `from` is `u32::MAX`, else those
/// of file `from`).
fn remap(index: &mut FileIndex, from: FileId, to: FileId) {
    let fix = |s: &mut Span| {
        if from.0 == u32::MAX || s.file == from {
            s.file = to;
        }
    };
    for sym in &mut index.symbols {
        fix(&mut sym.span);
        for (_, sp) in &mut sym.options {
            fix(sp);
        }
    }
    for r in &mut index.refs {
        fix(&mut r.span);
    }
}

/// Checks the methodology of an entry file, reading an open file's unsaved text instead of the
/// file on disk.
pub fn check_with(entry: &Path, open: &Overlay) -> (Checked, Vec<(FileId, ast::File)>) {
    check::check_with_trees(entry, open)
}

/// A diagnostic as the editor shows it, and the file it belongs to (a diagnostic without a place:
/// the entry file's first line).
fn to_lsp(folder: &Folder, d: &Diag, lang: Lang) -> (PathBuf, Diagnostic) {
    let ru = d.ru.as_deref().filter(|_| lang == Lang::Ru);
    let mut message = ru.map_or(d.message.clone(), |t| t.message.clone());
    let help = ru.and_then(|t| t.help.clone()).or_else(|| d.help.clone());
    let label = d.primary.as_ref().map(|l| ru.and_then(|t| t.label.clone()).unwrap_or_else(|| l.text.clone()));
    if let Some(label) = label.filter(|l| !l.is_empty() && l != "here") {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = help {
        message.push_str(&format!("\n{}: {help}", if ru.is_some() { "подсказка" } else { "help" }));
    }
    let place = d.primary.as_ref().and_then(|l| folder.files.get(l.span.file.0 as usize).map(|f| (f, l.span)));
    let (path, range) = match place {
        Some((f, span)) => {
            (f.path.clone(), f.lines.range(folder.text(span.file), span.start as usize, span.end as usize))
        }
        None => (folder.entry.clone(), lsp_types::Range::default()),
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .enumerate()
        .filter_map(|(k, l)| {
            let text = ru.and_then(|t| t.secondary.get(k).cloned()).unwrap_or_else(|| l.text.clone());
            Some(DiagnosticRelatedInformation { location: folder.location(l.span)?, message: text })
        })
        .collect();
    let diag = Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("tamga".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    };
    (path, diag)
}

/// The path of a `file:` URI (percent-decoded), made absolute and normalised.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///c%3A/x` (Windows) or `file:///home/x`; a host other than localhost is not ours
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k] == b'%' && k + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[k + 1..k + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                k += 3;
                continue;
            }
        }
        out.push(bytes[k]);
        k += 1;
    }
    let text = String::from_utf8(out).ok()?;
    // Windows: `/c:/x` → `c:/x`
    let text = match text.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => text[1..].to_string(),
        _ => text,
    };
    let path = PathBuf::from(text);
    path.is_absolute().then(|| load::normalise(&path))
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let text = load::display_path(path);
    let mut s = String::from("file://");
    if !text.starts_with('/') {
        s.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&s).ok()
}
