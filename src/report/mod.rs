//! Stage 4, report: the result ([`json::ResultDoc`]) → JSON, terminal tables, and the full report
//! (HTML, Markdown, CSV).
//!
//! Renders what the result holds and computes nothing new (display rounding aside): union
//! statistics and changes over time are computed by the eval stage
//! ([`summary`](crate::eval::summary)) and carried in the result. Every renderer of the full
//! report draws from one [`view::View`], built from the result and the methodology's labels.

pub mod cause;
pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod print;
pub mod status;
pub mod svg;
pub mod table;
pub mod text;
pub mod view;

/// The language of an output; it lives in [`crate::i18n`], re-exported here for callers that
/// named it `report::Lang` before.
pub use crate::i18n::Lang;

/// A format of the full report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// `report.html`: the self-contained page.
    Html,
    /// `report.md`: Markdown, for a Board paper.
    Markdown,
    /// `matrix.csv` and `standards.csv`, for spreadsheets.
    Csv,
    /// `result.json`: the result (schema in docs/results.md).
    Json,
    /// `report.docx`: the Board paper as a Word document; written only when asked for.
    Docx,
}

impl Format {
    /// The formats written by default, in the order files are written.
    pub const ALL: [Format; 4] = [Format::Html, Format::Markdown, Format::Csv, Format::Json];
    /// Every format, in the order files are written: the default ones, then those written only
    /// when asked for.
    pub const EVERY: [Format; 5] = [Format::Html, Format::Markdown, Format::Csv, Format::Json, Format::Docx];
}

/// Renders the full report in the given formats: `(file name, bytes)` in a fixed order.
/// The same result, methodology and language always give the same bytes.
pub fn render(
    model: &crate::model::Model,
    doc: &json::ResultDoc,
    lang: Lang,
    formats: &[Format],
) -> Vec<(&'static str, Vec<u8>)> {
    render_with_audit(model, doc, None, lang, formats)
}

/// Renders the full report as [`render`] does, with the statistical audit when one is given: a
/// section of the HTML and Markdown reports (latest period first), and `audit.json` beside
/// `result.json`. The audit is computed before ([`crate::audit::audit`]); rendering computes
/// nothing.
pub fn render_with_audit(
    model: &crate::model::Model,
    doc: &json::ResultDoc,
    audit: Option<&crate::audit::Audit>,
    lang: Lang,
    formats: &[Format],
) -> Vec<(&'static str, Vec<u8>)> {
    render_with(model, doc, audit, None, lang, formats)
}

/// Renders the full report as [`render_with_audit`] does, with the uncertainty and sensitivity
/// analysis when one is given: a section of the HTML report (the rank-interval chart) and of the
/// Markdown report, and `sensitivity.json` beside `result.json`. The analysis is made before
/// ([`crate::sensitivity::analyse`]); rendering computes nothing.
pub fn render_with(
    model: &crate::model::Model,
    doc: &json::ResultDoc,
    audit: Option<&crate::audit::Audit>,
    sensitivity: Option<&crate::sensitivity::Analysis>,
    lang: Lang,
    formats: &[Format],
) -> Vec<(&'static str, Vec<u8>)> {
    let mut view = view::build(model, doc, lang);
    view.sensitivity = sensitivity.map(|s| crate::sensitivity::view::build(s, lang));
    view.audit = audit.map(|a| {
        let mut v = crate::audit::view::build(model, a, lang);
        v.periods.reverse();
        v
    });
    let mut out = vec![];
    for f in Format::EVERY {
        if !formats.contains(&f) {
            continue;
        }
        match f {
            Format::Html => out.push(("report.html", html::render(&view).into_bytes())),
            Format::Markdown => out.push(("report.md", markdown::render(&view).into_bytes())),
            Format::Csv => {
                out.push(("matrix.csv", csv::matrix(model, doc, lang)));
                out.push(("standards.csv", csv::standards(model, doc)));
            }
            Format::Json => {
                out.push(("result.json", json::to_string(doc).into_bytes()));
                if let Some(a) = audit {
                    out.push(("audit.json", crate::audit::to_json(a).into_bytes()));
                }
                if let Some(s) = sensitivity {
                    out.push(("sensitivity.json", crate::sensitivity::to_json(s).into_bytes()));
                }
            }
            // writing to memory fails only if the zip writer does; then a file in its place says
            // so, listed with the others, rather than an empty or missing document
            Format::Docx => match docx::render(&view, model) {
                Ok(bytes) => out.push(("report.docx", bytes)),
                Err(e) => {
                    out.push(("report.docx.error.txt", format!("report.docx could not be written: {e}\n").into_bytes()))
                }
            },
        }
    }
    out
}
