//! tamga: declarative methodologies for assessing customs regulation.
pub mod data;
pub mod diagnostics;
pub mod model;
pub mod number;
pub mod source;
pub mod syntax;
