//! tamga: declarative methodologies for assessing customs regulation.
//!
//! A methodology (rule files, see `docs/language.md`) says which questions a state answers and how
//! the answers become indicators, scores, areas and an index. A program uses tamga in four steps,
//! as the `tamga eval` command does:
//!
//! 1. **check** the methodology: [`check::check`] reads the rule files (with [`load::load`]) and
//!    reports every problem at once; [`check::Checked::methodology`] gives the checked
//!    [`check::Methodology`] (its [`model::Model`]) and its warnings, or the errors (an editor
//!    checks its unsaved buffers with [`check::check_with`] and a [`load::Overlay`]);
//! 2. **load** the submissions (JSON, TOML, CSV, Excel or OpenDocument files, or folders of them):
//!    [`data::load`] validates them against the model into a [`data::Dataset`], with a diagnostic
//!    for every problem ([`data::load_files_with`] takes [`data::ReadOptions`]: the CSV delimiter,
//!    the texts that mean "not submitted");
//! 3. **evaluate**: [`eval::evaluate`] computes every state's scores, period by period, into an
//!    [`eval::Outcome`];
//! 4. **the result**: [`report::json::build`] makes the result document (`docs/results.md`), which
//!    [`report::json::to_string`] writes as JSON.
//!
//! Diagnostics ([`diagnostics::Diag`]) point into the files read, kept in a
//! [`source::SourceMap`]; [`diagnostics::render`] shows them as the command line does.
//!
//! ```
//! use std::path::{Path, PathBuf};
//! use tamga::diagnostics::{has_errors, render, Style};
//!
//! // 1. check
//! let (meth, _warnings) = match tamga::check::check(Path::new("rules/demo")).methodology() {
//!     Ok(checked) => checked,
//!     Err((sources, diags)) => panic!("{}", render(&diags, &sources, Style { color: false, width: 100 })),
//! };
//! // 2. load
//! let mut sources = meth.sources.clone();
//! let (data, diags) = tamga::data::load(&meth.model, &[PathBuf::from("examples/demo")], &mut sources);
//! assert!(!has_errors(&diags));
//! // 3. evaluate
//! let outcome = tamga::eval::evaluate(&meth.model, &data);
//! // 4. the result
//! let result = tamga::report::json::build(&meth, &sources, &data, &outcome);
//! let period = &result.periods[0];
//! assert_eq!(period.period, "2022");
//! let armenia = period.results.iter().find(|r| r.unit == "AM").expect("Armenia is evaluated");
//! println!("Armenia's index in 2022: {:?}", armenia.index);
//! assert!(tamga::report::json::to_string(&result).contains("\"schema\""));
//! ```
// Nothing that depends on input may `unwrap()` or `expect()`: a bad rule file, submission or
// argument is a diagnostic (docs/reliability.md). Tests may (clippy.toml); `.ci/run` runs clippy.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// A diagnostic is 128 bytes since it carries its Russian words (boxed): returned on the paths where
// reading fails, never in a loop, so boxing every `Result<_, Diag>` would buy nothing.
#![allow(clippy::result_large_err)]
pub mod audit;
pub mod check;
#[doc(hidden)]
pub mod cli;
pub mod data;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod fingerprint;
#[doc(hidden)]
pub mod fsutil;
pub mod i18n;
pub mod load;
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
