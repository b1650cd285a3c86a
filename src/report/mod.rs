//! Stage 4, report: [`Outcome`](crate::eval::Outcome) → JSON and terminal text.
//!
//! Renders what the outcome holds and computes nothing new (display rounding aside).

pub mod json;
pub mod table;

/// Languages a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// The language code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Picks a label in this language, falling back to English, then to any.
    pub fn pick<'a>(self, labels: &'a crate::model::Labels, fallback: &'a str) -> &'a str {
        labels
            .get(self.code())
            .or_else(|| labels.get("en"))
            .or_else(|| labels.values().next())
            .map(String::as_str)
            .unwrap_or(fallback)
    }
}
