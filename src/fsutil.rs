//! Safe writes: every output goes to a temporary file beside the target and is renamed into
//! place, so an interrupted run leaves the old file intact. Only regular files (or new paths) are
//! written: a named pipe, a device, a socket or a folder at the target is refused, never replaced.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Distinguishes the temporary files of one process (two threads may write at once).
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The most symbolic links followed to find a target (the system's own limit is 40).
const MAX_LINKS: usize = 40;

/// The most bytes of the target's name kept in the temporary file's name, so that the temporary
/// name stays within the 255 bytes file systems allow even for a legal 255-byte target name.
const MAX_TMP_STEM: usize = 160;

/// The file a write to `path` lands in: `path` itself, or what its chain of symbolic links points
/// to, even when the last link dangles (a dangling link is written through, as an existing one).
pub fn resolve_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            // absent or not a link: the target itself
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Why `path` cannot be an output, when something other than a regular file is there (after
/// symbolic links): a named pipe, a device, a socket or a folder is never replaced nor written
/// to (as root, replacing `/dev/null` by a regular file would break the system).
pub fn unwritable_target(path: &Path) -> Option<String> {
    let target = match resolve_target(path) {
        Ok(t) => t,
        Err(e) => return Some(e.to_string()),
    };
    let meta = std::fs::symlink_metadata(&target).ok()?;
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    let what = if ft.is_dir() { "a folder" } else { special_kind(&ft) };
    Some(format!("it is {what}, not a regular file: tamga writes its outputs only to regular files or new paths"))
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Writes `bytes` to `path` atomically: to a temporary file in the same folder, flushed to disk,
/// then renamed over the target. If anything fails the target is untouched and the temporary
/// file is removed. A target that is a symbolic link, even a dangling one, is written through
/// the link (the link stays); an existing target keeps its permissions. A target that exists and
/// is not a regular file (a pipe, a device, a folder) is refused ([`unwritable_target`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(why) = unwritable_target(path) {
        return Err(std::io::Error::other(why));
    }
    let path = resolve_target(path)?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{}.tamga-tmp-{}-{n}", truncate(&name, MAX_TMP_STEM), std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        if let Ok(meta) = std::fs::metadata(&path) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The input files an output must not replace: refuses `out` when it is one of `inputs` (the
/// same file, by whatever path, symbolic links followed even when the last one dangles). tamga
/// overwrites no input file, except `fmt` and `approve` on rule files.
pub fn is_input(out: &Path, inputs: &[PathBuf]) -> bool {
    let Some(out) = identity(out) else { return false };
    inputs.iter().any(|i| identity(i).is_some_and(|i| i == out))
}

/// A path's identity: the canonical path of the file a write would land in.
fn identity(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    // absent (or a dangling link): the canonical folder and the name
    let target = resolve_target(path).ok()?;
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(dir).ok()?.join(target.file_name()?))
}
