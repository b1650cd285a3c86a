//! Reading a methodology's rule files: the entry file and everything it `include`s, from disk, a
//! git revision or an editor's unsaved buffers.

use crate::diagnostics::{Code, Diag};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{DeclKind, File};
use std::path::{Path, PathBuf};

use super::Overlay;

/// The name of the entry file when a folder is given.
pub const ENTRY_FILE: &str = "methodology.tamga";

/// The largest rule file read, checked before it is read: the bundled EAEU methodology is under
/// 300 KiB in all, so a bigger file is almost certainly a mistake (a data file given as rules).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// All parsed files of a methodology, in load order (entry first, includes depth-first).
pub struct Files {
    /// Parsed files with their ids.
    pub files: Vec<(FileId, File)>,
    /// Each parsed file's path, in the same order.
    pub paths: Vec<PathBuf>,
}

/// Display form of a path: as given, with `/` separators.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Reads a file as UTF-8 text, or explains why it cannot be read.
pub fn read_text(path: &Path) -> Result<String, Diag> {
    let shown = display_path(path);
    let meta = std::fs::metadata(path).map_err(|e| io_diag(&shown, &e))?;
    if meta.is_dir() {
        return Err(Diag::error(Code::Io, format!("`{shown}` is a folder, not a file")).help("give the path of a file"));
    }
    // a named pipe would block until something writes to it, a device may never end
    if !meta.is_file() {
        return Err(Diag::error(
            Code::Io,
            format!("`{shown}` is not a regular file (a named pipe, a device or a socket)"),
        )
        .help("give the path of a rule file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(&shown));
    }
    // the size may change, or be unknown (a pipe, a device): never read more than the limit
    let mut bytes = vec![];
    let file = std::fs::File::open(path).map_err(|e| io_diag(&shown, &e))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_FILE_BYTES + 1), &mut bytes)
        .map_err(|e| io_diag(&shown, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(&shown));
    }
    decode(&shown, bytes)
}

/// The characters that change the direction of the text around them (Unicode's bidirectional
/// controls and marks), with their names.
const BIDI: [(char, &str); 12] = [
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{061C}', "ARABIC LETTER MARK"),
];

/// A warning at every bidirectional control character of a rule file, in a label, a comment or
/// anywhere ("Trojan Source", CVE-2021-42574): such a character makes the text show in another
/// order than the one tamga reads, so a reviewer may approve what they did not see. At most 20
/// per file.
pub fn bidi_warnings(file: FileId, text: &str) -> Vec<Diag> {
    // also control characters (an escape sequence in a label would act on the terminal that shows
    // it) and invisible ones (a zero-width space makes two labels look the same)
    let other = |c: char| crate::diagnostics::hidden_char(c, false);
    text.char_indices()
        .filter_map(|(at, c)| match BIDI.iter().find(|(b, _)| *b == c) {
            Some((_, name)) => Some((at, c, Some(name))),
            None if other(c) => Some((at, c, None)),
            None => None,
        })
        .take(20)
        .map(|(at, c, name)| {
            let message = match name {
                Some(name) => format!("a bidirectional control character (U+{:04X} {name}): the text may show in another order than tamga reads it", u32::from(c)),
                None => format!("an invisible or control character (U+{:04X}): it cannot be seen, or it acts on the terminal that shows it", u32::from(c)),
            };
            Diag::warning(Code::Syntax, message)
                .at(Span::new(file, at, at + c.len_utf8()), "invisible character here")
                .help("delete it (it is invisible in most editors: move with the arrow keys, or search for it); right-to-left text needs no control characters")
        })
        .collect()
}

fn too_large(shown: &str) -> Diag {
    Diag::error(Code::Io, format!("`{shown}` is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024))
        .help("split the methodology into several files with `include`")
}

/// A rule file's bytes as text: UTF-8, with or without a byte-order mark. UTF-16 (what some
/// Windows editors call "Unicode") and other encodings are refused with a message that says so.
fn decode(shown: &str, bytes: Vec<u8>) -> Result<String, Diag> {
    let save_as = "save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)";
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Diag::error(Code::Io, format!("`{shown}` is UTF-16 text, not UTF-8")).help(save_as));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Diag::error(
            Code::Io,
            format!("`{shown}` is not text: it holds a zero byte at offset {at} (UTF-16 text, or a binary file)"),
        )
        .help(save_as));
    }
    String::from_utf8(bytes).map_err(|e| {
        Diag::error(
            Code::Io,
            format!("`{shown}` is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
        .help(save_as)
    })
}

fn io_diag(shown: &str, e: &std::io::Error) -> Diag {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)".to_string(),
        _ => format!("cannot be read: {e}"),
    };
    Diag::error(Code::Io, format!("`{shown}` {what}")).help("check the path")
}

/// Where a methodology's files are read from: the file system, or a git revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    /// Files on disk.
    Disk,
    /// Files at a git revision (`git:REV:path`), read with `git show` from the current folder's repository.
    Git {
        /// The revision (a commit, tag or branch).
        rev: String,
    },
}

/// Splits a methodology argument: `git:REV:rules/eaeu` → (Git, `rules/eaeu`), anything else → (Disk, path).
pub fn parse_spec(spec: &Path) -> (Store, PathBuf) {
    let text = spec.to_string_lossy();
    if let Some(rest) = text.strip_prefix("git:") {
        if let Some((rev, path)) = rest.split_once(':') {
            return (Store::Git { rev: rev.to_string() }, PathBuf::from(if path.is_empty() { "." } else { path }));
        }
    }
    (Store::Disk, spec.to_path_buf())
}

/// Removes `.` and resolves `..` lexically (git paths cannot contain them).
pub fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = std::process::Command::new("git").args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

impl Store {
    /// The name shown for a path.
    pub fn show(&self, path: &Path) -> String {
        match self {
            Store::Disk => display_path(path),
            Store::Git { rev } => format!("git:{rev}:{}", display_path(&normalise(path))),
        }
    }

    fn git_object(rev: &str, path: &Path) -> String {
        format!("{rev}:./{}", display_path(&normalise(path)))
    }

    /// Whether the path is a folder.
    pub fn is_dir(&self, path: &Path) -> bool {
        match self {
            Store::Disk => path.is_dir(),
            Store::Git { rev } => {
                git(&["cat-file", "-t", &Self::git_object(rev, path)]).map(|o| o.starts_with(b"tree")).unwrap_or(false)
            }
        }
    }

    /// Whether the path exists as a file.
    pub fn is_file(&self, path: &Path) -> bool {
        match self {
            Store::Disk => path.is_file(),
            Store::Git { rev } => {
                git(&["cat-file", "-t", &Self::git_object(rev, path)]).map(|o| o.starts_with(b"blob")).unwrap_or(false)
            }
        }
    }

    /// The file's absolute path on disk, for files on disk (not at a git revision).
    pub fn local(&self, path: &Path) -> Option<PathBuf> {
        match self {
            Store::Disk => Some(super::absolute(path)),
            Store::Git { .. } => None,
        }
    }

    /// Reads a file as UTF-8 text.
    pub fn read(&self, path: &Path) -> Result<String, Diag> {
        match self {
            Store::Disk => read_text(path),
            Store::Git { rev } => {
                let shown = self.show(path);
                let bytes = git(&["show", &Self::git_object(rev, path)]).map_err(|e| {
                    Diag::error(Code::Io, format!("`{shown}` cannot be read from git: {e}"))
                        .help("check the revision (`git log`) and the path at that revision (`git ls-tree REV path`)")
                })?;
                if bytes.len() as u64 > MAX_FILE_BYTES {
                    return Err(too_large(&shown));
                }
                decode(&shown, bytes)
            }
        }
    }

    /// File names (not folders) directly in a folder, sorted.
    pub fn list(&self, dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = match self {
            Store::Disk => std::fs::read_dir(dir)
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect())
                .unwrap_or_default(),
            Store::Git { rev } => git(&["ls-tree", "--name-only", &format!("{}/", Self::git_object(rev, dir))])
                .map(|o| {
                    String::from_utf8_lossy(&o).lines().map(|l| l.rsplit('/').next().unwrap_or(l).to_string()).collect()
                })
                .unwrap_or_default(),
        };
        names.sort();
        names
    }

    /// A key that identifies the file (for "included twice").
    fn key(&self, path: &Path) -> PathBuf {
        match self {
            Store::Disk => std::fs::canonicalize(path).unwrap_or_else(|_| normalise(path)),
            Store::Git { .. } => normalise(path),
        }
    }
}

/// Resolves the entry file: a file as given, or `methodology.tamga` in a folder.
pub fn entry_path(path: &Path) -> Result<PathBuf, Diag> {
    entry_in(&Store::Disk, path)
}

/// [`entry_path`] in a store.
pub fn entry_in(store: &Store, path: &Path) -> Result<PathBuf, Diag> {
    entry_with(store, &Overlay::default(), path)
}

/// A buffer of the overlay, for files on disk.
fn buffer<'a>(store: &Store, overlay: &'a Overlay, path: &Path) -> Option<&'a str> {
    match store {
        Store::Disk => overlay.get(path),
        Store::Git { .. } => None,
    }
}

/// [`entry_in`], where a file may also be an unsaved buffer of the overlay.
pub(super) fn entry_with(store: &Store, overlay: &Overlay, path: &Path) -> Result<PathBuf, Diag> {
    let is_file = |p: &Path| buffer(store, overlay, p).is_some() || store.is_file(p);
    if buffer(store, overlay, path).is_none() && store.is_dir(path) {
        let entry = path.join(ENTRY_FILE);
        if is_file(&entry) {
            return Ok(entry);
        }
        let found: Vec<String> = store.list(path).into_iter().filter(|n| n.ends_with(".tamga")).collect();
        let help = if found.is_empty() {
            "a methodology folder holds `methodology.tamga`, which may `include` other files".to_string()
        } else {
            format!("the folder has {}; name the entry file, or rename it to `{ENTRY_FILE}`", found.join(", "))
        };
        return Err(Diag::error(Code::Io, format!("`{}` has no `{ENTRY_FILE}`", store.show(path))).help(help));
    }
    if !is_file(path) {
        return Err(match store {
            // the system's own reason: missing, a symbolic-link loop, no permission
            Store::Disk => match std::fs::metadata(path) {
                Err(e) => io_diag(&display_path(path), &e),
                Ok(_) => Diag::error(Code::Io, format!("`{}` is not a file", display_path(path)))
                    .help("give a rule file or a folder with `methodology.tamga`"),
            },
            Store::Git { .. } => {
                Diag::error(Code::Io, format!("`{}` does not exist at that revision", store.show(path)))
                    .help("check the revision and the path: `git ls-tree -r REV --name-only`")
            }
        });
    }
    Ok(path.to_path_buf())
}

/// Loads the entry file and its includes from a store. Syntax errors in one file do not stop
/// the others.
pub fn load_files(store: &Store, entry: &Path, sources: &mut SourceMap, diags: &mut Vec<Diag>) -> Files {
    load_with(store, &Overlay::default(), entry, sources, diags)
}

/// [`load_files`], reading the overlay's buffers in preference to the disk.
pub(super) fn load_with(
    store: &Store,
    overlay: &Overlay,
    entry: &Path,
    sources: &mut SourceMap,
    diags: &mut Vec<Diag>,
) -> Files {
    let mut loaded = Files { files: vec![], paths: vec![] };
    let mut seen: Vec<(PathBuf, FileId)> = vec![];
    let root = store.key(entry.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")));
    let walk = Walk { store, overlay, root: &root };
    walk.load_one(entry, None, sources, diags, &mut loaded, &mut seen, 0);
    loaded
}

/// What every step of loading shares: where files are read from, and the methodology's folder
/// (the entry file's, as the system resolves it), which no include may leave.
struct Walk<'a> {
    store: &'a Store,
    overlay: &'a Overlay,
    root: &'a Path,
}

impl Walk<'_> {
    /// Whether `path` lies inside the methodology's folder once symbolic links are resolved (a
    /// path that does not exist: its folder resolved; it is then reported as missing).
    fn inside(&self, path: &Path) -> bool {
        match self.store {
            Store::Disk => {
                let resolved = std::fs::canonicalize(path).ok().or_else(|| {
                    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                    Some(std::fs::canonicalize(dir).ok()?.join(path.file_name()?))
                });
                resolved.is_none_or(|p| p.starts_with(self.root))
            }
            Store::Git { .. } => {
                let p = normalise(path);
                p.starts_with(self.root) && !p.starts_with("..")
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn load_one(
        &self,
        path: &Path,
        from: Option<Span>,
        sources: &mut SourceMap,
        diags: &mut Vec<Diag>,
        loaded: &mut Files,
        seen: &mut Vec<(PathBuf, FileId)>,
        depth: usize,
    ) {
        let store = self.store;
        let canon = store.key(path);
        if seen.iter().any(|(p, _)| *p == canon) {
            if let Some(span) = from {
                diags.push(
                    Diag::error(Code::Include, format!("`{}` is included more than once", display_path(path)))
                        .at(span, "included again here")
                        .help("include each file once; declarations would otherwise be duplicated"),
                );
            }
            return;
        }
        if depth > 32 {
            if let Some(span) = from {
                diags.push(Diag::error(Code::Include, "includes nested more than 32 deep").at(span, "here"));
            }
            return;
        }
        if let Some(span) = from {
            // an include (or a symbolic link) leading out of the methodology's folder: refused before
            // anything is read, so no line of a file outside is ever quoted
            if !self.inside(path) {
                diags.push(
                Diag::error(
                    Code::Include,
                    format!("`{}` is outside the methodology's folder", display_path(path)),
                )
                .at(span, "included here")
                .help("a methodology includes only files inside its own folder (symbolic links too): copy the file into the folder"),
            );
                return;
            }
        }
        let read = match buffer(store, self.overlay, path) {
            // the same checks as a file read from disk (a byte-order mark, a zero byte, the size)
            Some(text) if text.len() as u64 > MAX_FILE_BYTES => Err(too_large(&display_path(path))),
            Some(text) => decode(&display_path(path), text.as_bytes().to_vec()),
            None => store.read(path),
        };
        let text = match read {
            Ok(t) => t,
            Err(mut d) => {
                if let Some(span) = from {
                    d = d.at(span, "included here");
                }
                diags.push(d);
                return;
            }
        };
        let id = sources.add_at(store.show(path), text, store.local(path));
        seen.push((canon, id));
        let text = sources.get(id).text.clone();
        let file = match crate::syntax::parse_file(id, &text) {
            Ok(f) => f,
            Err(errs) => {
                diags.extend(errs);
                return;
            }
        };
        let includes: Vec<(String, Span)> = file
            .decls
            .iter()
            .filter(|d| matches!(d.kind, DeclKind::Include))
            .map(|d| (d.id.name.clone(), d.id.span))
            .collect();
        loaded.files.push((id, file));
        loaded.paths.push(path.to_path_buf());
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for (rel, span) in includes {
            if rel.is_empty() || Path::new(&rel).is_absolute() {
                diags.push(
                    Diag::error(Code::Include, "an include needs a path relative to this file")
                        .at(span, "here")
                        .help("write `include \"areas/trade.tamga\"`"),
                );
                continue;
            }
            self.load_one(&dir.join(&rel), Some(span), sources, diags, loaded, seen, depth + 1);
        }
    }
}
