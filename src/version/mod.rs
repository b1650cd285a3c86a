//! Versions for Board approval: semantic diffs and the impact of a change.
//!
//! The fingerprint itself (SHA-256 of the canonical form) is computed by `check`; `load` reads
//! `methodology.toml` and `methodology.lock` (re-exported here, where the approval commands look
//! for them), and `check` verifies them; this module compares two versions.

pub mod diff;
pub mod impact;

pub use crate::load::{lock, lock_of, manifest};
pub use lock::{FileLock, Lock, LOCK_FILE};
pub use manifest::{Manifest, Status, MANIFEST_FILE};
