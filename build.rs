//! Build script: records the commit tamga is built from, for `tamga --version` and the results
//! (`tamga::VERSION`, e.g. `0.1.0 (312483f)`, or `0.1.0 (312483f-dirty)` when tracked files have
//! changes not yet committed).
//!
//! The commit comes from `TAMGA_COMMIT` when that is set (a packager building from a source
//! tarball; empty for none), else from git. Without git or outside a checkout (`cargo install`
//! from a copy, a crate downloaded from a registry) the version is the package's alone.
//! The script reruns when HEAD, the branch it points to, the index or the sources change.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let version = env_or_panic("CARGO_PKG_VERSION");
    println!("cargo:rerun-if-env-changed=TAMGA_COMMIT");
    let commit = match std::env::var("TAMGA_COMMIT") {
        Ok(c) => Some(c.trim().to_string()).filter(|c| !c.is_empty()),
        Err(_) => from_git(),
    };
    let full = match &commit {
        Some(c) => format!("{version} ({c})"),
        None => version,
    };
    println!("cargo:rustc-env=TAMGA_BUILD_COMMIT={}", commit.unwrap_or_default());
    println!("cargo:rustc-env=TAMGA_BUILD_VERSION={full}");
}

fn env_or_panic(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name} for build scripts"))
}

/// Output of `git <args>` run in the package's folder, or `None` when git is absent or fails.
fn git(args: &[&str]) -> Option<String> {
    let dir = env_or_panic("CARGO_MANIFEST_DIR");
    // --no-optional-locks: `git status` must not refresh the index, which would make cargo rerun
    // this script on every build
    let out = Command::new("git").arg("--no-optional-locks").args(args).current_dir(dir).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `312483f` or `312483f-dirty` from git, when the package is the top of a git work tree (not a
/// crate unpacked inside somebody else's repository).
fn from_git() -> Option<String> {
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let manifest = PathBuf::from(env_or_panic("CARGO_MANIFEST_DIR"));
    if top.canonicalize().ok()? != manifest.canonicalize().ok()? {
        return None;
    }
    // the files whose change means another commit or other staged changes; in a worktree of
    // several, `--git-path` finds this worktree's HEAD and index and the shared refs
    let mut watched = vec!["HEAD".to_string(), "index".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in &watched {
        if let Some(path) = git(&["rev-parse", "--git-path", name]) {
            let path = manifest.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    // an edit to what the binary is built from reruns the script too, so `-dirty` follows it (an
    // edit elsewhere, to the README, shows once the index or another watched file changes)
    for input in ["src", "grammar", "templates", "build.rs", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={input}");
    }
    let hash = git(&["rev-parse", "--short=7", "HEAD"])?;
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{hash}-dirty") } else { hash })
}
