//! tamga: declarative methodologies for assessing customs regulation.
pub mod audit;
pub mod check;
pub mod cli;
pub mod data;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod fsutil;
pub mod model;
pub mod number;
pub mod report;
pub mod sensitivity;
pub mod source;
pub mod syntax;
pub mod template;
pub mod testing;
pub mod version;
