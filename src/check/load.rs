//! Reading a methodology's files: the entry file and everything it `include`s.

use crate::diagnostics::{Code, Diag};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{DeclKind, File};
use std::path::{Path, PathBuf};

/// The name of the entry file when a folder is given.
pub const ENTRY_FILE: &str = "methodology.tamga";

/// The largest rule file read (bigger files are almost certainly a mistake).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// All parsed files of a methodology, in load order (entry first, includes depth-first).
pub struct Loaded {
    /// Parsed files with their ids.
    pub files: Vec<(FileId, File)>,
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
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diag::error(Code::Io, format!("`{shown}` is larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024))
            .help("split the methodology into several files with `include`"));
    }
    let bytes = std::fs::read(path).map_err(|e| io_diag(&shown, &e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes).to_vec();
    String::from_utf8(bytes).map_err(|e| {
        Diag::error(
            Code::Io,
            format!("`{shown}` is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
        .help("save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)")
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

/// Resolves the entry file: a file as given, or `methodology.tamga` in a folder.
pub fn entry_path(path: &Path) -> Result<PathBuf, Diag> {
    if path.is_dir() {
        let entry = path.join(ENTRY_FILE);
        if entry.is_file() {
            return Ok(entry);
        }
        let mut found: Vec<String> = std::fs::read_dir(path)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|n| n.ends_with(".tamga"))
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        let help = if found.is_empty() {
            "a methodology folder holds `methodology.tamga`, which may `include` other files".to_string()
        } else {
            format!("the folder has {}; name the entry file, or rename it to `{ENTRY_FILE}`", found.join(", "))
        };
        return Err(Diag::error(Code::Io, format!("`{}` has no `{ENTRY_FILE}`", display_path(path))).help(help));
    }
    if !path.exists() {
        return Err(io_diag(&display_path(path), &std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    Ok(path.to_path_buf())
}

/// Loads the entry file and its includes. Syntax errors in one file do not stop the others.
pub fn load(entry: &Path, sources: &mut SourceMap, diags: &mut Vec<Diag>) -> Loaded {
    let mut loaded = Loaded { files: vec![] };
    let mut seen: Vec<(PathBuf, FileId)> = vec![];
    load_one(entry, None, sources, diags, &mut loaded, &mut seen, 0);
    loaded
}

fn load_one(
    path: &Path,
    from: Option<Span>,
    sources: &mut SourceMap,
    diags: &mut Vec<Diag>,
    loaded: &mut Loaded,
    seen: &mut Vec<(PathBuf, FileId)>,
    depth: usize,
) {
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some((_, first)) = seen.iter().find(|(p, _)| *p == canon) {
        if let Some(span) = from {
            let _ = first;
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
    let text = match read_text(path) {
        Ok(t) => t,
        Err(mut d) => {
            if let Some(span) = from {
                d = d.at(span, "included here");
            }
            diags.push(d);
            return;
        }
    };
    let id = sources.add(display_path(path), text);
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
        load_one(&dir.join(&rel), Some(span), sources, diags, loaded, seen, depth + 1);
    }
}
