//! Safe writes: every output goes to a temporary file beside the target and is renamed into
//! place, so an interrupted run leaves the old file intact.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Distinguishes the temporary files of one process (two threads may write at once).
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Writes `bytes` to `path` atomically: to a temporary file in the same folder, flushed to disk,
/// then renamed over the target. If anything fails the target is untouched and the temporary
/// file is removed. A target that is a symbolic link is written through the link (the link
/// stays); an existing target keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tamga-tmp-{}-{n}", std::process::id()));
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

/// The input files an output must not replace: refuses `out` when it is one of `inputs` (the
/// same file, by whatever path). tamga overwrites no input file, except `fmt` and `approve` on
/// rule files.
pub fn is_input(out: &Path, inputs: &[PathBuf]) -> bool {
    let Ok(out) = std::fs::canonicalize(out) else { return false };
    inputs.iter().any(|i| std::fs::canonicalize(i).is_ok_and(|i| i == out))
}
