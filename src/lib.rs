//! tamga: declarative methodologies for assessing customs regulation.
// Nothing that depends on input may `unwrap()` or `expect()`: a bad rule file, submission or
// argument is a diagnostic (docs/reliability.md). Tests may (clippy.toml); `.ci/run` runs clippy.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// A diagnostic is 128 bytes since it carries its Russian words (boxed): returned on the paths where
// reading fails, never in a loop, so boxing every `Result<_, Diag>` would buy nothing.
#![allow(clippy::result_large_err)]
pub mod audit;
pub mod check;
pub mod cli;
pub mod data;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod fingerprint;
pub mod fsutil;
pub mod i18n;
pub mod model;
pub mod number;
pub mod report;
pub mod schema;
pub mod sensitivity;
pub mod sheet;
pub mod source;
pub mod syntax;
pub mod template;
pub mod testing;
pub mod version;
pub mod words;

/// tamga's version and the commit it was built from: `0.1.0 (312483f)`, `0.1.0 (312483f-dirty)`
/// when tracked files had changes not yet committed, or `0.1.0` alone when built without git
/// (a source tarball; `TAMGA_COMMIT` set at build time names the commit then). `tamga --version`
/// prints it and every result records it (`"tamga"` in result.json, the reports' provenance).
pub const VERSION: &str = env!("TAMGA_BUILD_VERSION");

/// The commit tamga was built from (`312483f`, `312483f-dirty`), when known (see [`VERSION`]).
pub const COMMIT: Option<&str> = match env!("TAMGA_BUILD_COMMIT").as_bytes() {
    [] => None,
    _ => Some(env!("TAMGA_BUILD_COMMIT")),
};
