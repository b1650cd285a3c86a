//! The layout of the Excel questionnaire (sheets, columns, keys), shared by the writer
//! (`template`) and the reader (`data::xlsx`), so that neither imports the other for it.

/// Column of the question ids on a sheet of questions (A).
pub const ID: u16 = 0;
/// Column of the question's label (B).
pub const QUESTION: u16 = 1;
/// Column of the question's help and options (C).
pub const HELP: u16 = 2;
/// Column of the allowed answers (D).
pub const ALLOWED: u16 = 3;
/// Column of the answer (E), editable.
pub const ANSWER: u16 = 4;
/// Column of the reason why an answer is missing (F), editable.
pub const MISSING: u16 = 5;
/// Column of the comment (G), editable.
pub const COMMENT: u16 = 6;
/// The header of column A above the question rows, in every language.
pub const ID_HEADER: &str = "id";
/// Column of the keys on the first sheet (A).
pub const KEY: u16 = 0;
/// Column of the keys' labels on the first sheet (B).
pub const LABEL: u16 = 1;
/// Column of the keys' values on the first sheet (C).
pub const VALUE: u16 = 2;
/// Key: the methodology's id.
pub const KEY_METHODOLOGY: &str = "methodology";
/// Key: the methodology's version.
pub const KEY_VERSION: &str = "version";
/// Key: the questionnaire's language (`en`, `ru`): the language of the unit's name.
pub const KEY_LANGUAGE: &str = "language";
/// Key: the unit's code (editable).
pub const KEY_UNIT: &str = "unit";
/// Key: the period (editable).
pub const KEY_PERIOD: &str = "period";
/// Key: the unit's name (editable, optional).
pub const KEY_NAME: &str = "name";
/// A hidden sheet with the options of choice questions too long for an inline list.
pub const LISTS: &str = "_lists";
