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
    let mut staged = Staged::create(path)?;
    staged.write_all(bytes)?;
    staged.commit()
}

/// The size of a [`Staged`] file's buffer: large writes, few system calls.
const STAGED_BUFFER: usize = 256 * 1024;

/// An output being written: a temporary file beside the target, written through a buffer, that
/// replaces the target only when [`commit`](Staged::commit)ted (flushed to disk, then renamed over
/// it). Dropped without a commit (an error, a panic), it removes its temporary file and the target
/// stays as it was. The target is found and refused as [`write_atomic`] does: through symbolic
/// links, and never a pipe, a device, a socket or a folder. Several files staged first and
/// committed together make an all-or-nothing write of all of them (`tamga report`).
#[derive(Debug)]
pub struct Staged {
    /// The file the commit replaces (symbolic links followed).
    target: PathBuf,
    /// The temporary file beside it.
    tmp: PathBuf,
    /// The open temporary file; `None` once committed or discarded.
    file: Option<std::io::BufWriter<std::fs::File>>,
    /// Flushed and synchronised to disk: ready to be renamed.
    synced: bool,
}

impl Staged {
    /// Creates the temporary file for `path` (refused when something other than a regular file is
    /// there, [`unwritable_target`]); nothing is written at `path` until [`commit`](Self::commit).
    pub fn create(path: &Path) -> std::io::Result<Staged> {
        if let Some(why) = unwritable_target(path) {
            return Err(std::io::Error::other(why));
        }
        let target = resolve_target(path)?;
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{}.tamga-tmp-{}-{n}", truncate(&name, MAX_TMP_STEM), std::process::id()));
        let f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        Ok(Staged { target, tmp, file: Some(std::io::BufWriter::with_capacity(STAGED_BUFFER, f)), synced: false })
    }

    /// The open file, or an error once it was committed or discarded.
    fn open(&mut self) -> std::io::Result<&mut std::io::BufWriter<std::fs::File>> {
        self.file.as_mut().ok_or_else(|| std::io::Error::other("the staged file is closed"))
    }

    /// Flushes what was written to disk, with the permissions of the target when it exists: after
    /// this only the rename is left. [`commit`](Self::commit) does it when it was not done; doing
    /// it first for every file of a set leaves the least to fail between the first rename and the
    /// last.
    pub fn sync(&mut self) -> std::io::Result<()> {
        let target = self.target.clone();
        let w = self.open()?;
        w.flush()?;
        let f = w.get_ref();
        if let Ok(meta) = std::fs::metadata(&target) {
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        self.synced = true;
        Ok(())
    }

    /// Replaces the target with what was written: flushed to disk ([`sync`](Self::sync)), then
    /// renamed over it. On an error the target is untouched and the temporary file removed.
    pub fn commit(mut self) -> std::io::Result<()> {
        if !self.synced {
            self.sync()?;
        }
        // closed before the rename (some systems refuse to rename an open file)
        drop(self.file.take());
        std::fs::rename(&self.tmp, &self.target)?;
        // renamed: nothing left to remove
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.synced = false;
        self.open()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.synced = false;
        self.open()?.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.open()?.flush()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(w) = self.file.take() {
            // what is still buffered is thrown away, not written to a file about to be removed
            let (f, _) = w.into_parts();
            drop(f);
        }
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
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
