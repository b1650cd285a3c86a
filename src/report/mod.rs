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
///
/// The bytes are those [`write_with`] writes, collected in memory. A renderer that fails (which
/// writing into memory never makes happen) leaves a message in its file's place: an HTML page or
/// a JSON object that says so.
pub fn render_with(
    model: &crate::model::Model,
    doc: &json::ResultDoc,
    audit: Option<&crate::audit::Audit>,
    sensitivity: Option<&crate::sensitivity::Analysis>,
    lang: Lang,
    formats: &[Format],
) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = vec![];
    let mut each = |name: &'static str, body: &mut Body<'_>| {
        let mut bytes = vec![];
        if let Err(e) = body(&mut bytes) {
            bytes = failed(name, &e);
        }
        out.push((name, bytes));
        Ok(())
    };
    // the sink above never fails
    let _ = write_with(model, doc, audit, sensitivity, lang, formats, &mut each);
    out
}

/// What stands in a file of [`render_with`] whose renderer failed.
fn failed(name: &str, e: &std::io::Error) -> Vec<u8> {
    let e = e.to_string();
    if name.ends_with(".html") {
        format!("<!DOCTYPE html><p>report error: {}</p>", svg::escape(&e)).into_bytes()
    } else if name.ends_with(".json") {
        format!("{}\n", serde_json::json!({ "error": e })).into_bytes()
    } else {
        format!("{name} could not be written: {e}\n").into_bytes()
    }
}

/// The buffer a renderer that writes many small pieces puts in front of the writer it is given:
/// as large as a staged file's own buffer (`fsutil::Staged`), so that each full buffer goes
/// through that one without another copy.
pub(crate) const WRITE_BUFFER: usize = 256 * 1024;

/// Writes one file of the report into the writer it is given ([`write_with`]).
pub type Body<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// A file of the full report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Html,
    Markdown,
    Matrix,
    Standards,
    Result,
    Audit,
    Sensitivity,
    Docx,
}

impl Part {
    /// The file's name.
    fn name(self) -> &'static str {
        match self {
            Part::Html => "report.html",
            Part::Markdown => "report.md",
            Part::Matrix => "matrix.csv",
            Part::Standards => "standards.csv",
            Part::Result => "result.json",
            Part::Audit => "audit.json",
            Part::Sensitivity => "sensitivity.json",
            Part::Docx => "report.docx",
        }
    }
}

/// The files of the report in the order they are written.
fn parts(formats: &[Format], audit: bool, sensitivity: bool) -> Vec<Part> {
    let mut out = vec![];
    for f in Format::EVERY {
        if !formats.contains(&f) {
            continue;
        }
        match f {
            Format::Html => out.push(Part::Html),
            Format::Markdown => out.push(Part::Markdown),
            Format::Csv => out.extend([Part::Matrix, Part::Standards]),
            Format::Json => {
                out.push(Part::Result);
                if audit {
                    out.push(Part::Audit);
                }
                if sensitivity {
                    out.push(Part::Sensitivity);
                }
            }
            Format::Docx => out.push(Part::Docx),
        }
    }
    out
}

/// The names of the files [`write_with`] writes for these formats, with an audit and an analysis
/// or not, in the order it writes them: known before anything is rendered, so that a caller can
/// refuse a path before any work. (When the Word document cannot be made, its place is taken by
/// `report.docx.error.txt`.)
pub fn file_names(formats: &[Format], audit: bool, sensitivity: bool) -> Vec<&'static str> {
    parts(formats, audit, sensitivity).into_iter().map(Part::name).collect()
}

/// Writes the full report as [`render_with`] renders it, file by file, into writers the caller
/// gives, so that no file has to be held in memory whole (a report of 100,000 units is over a
/// gigabyte): for each file, in order, `each(name, body)` is called; it opens a writer for `name`
/// and calls `body` with it, which writes the file's bytes. The first error (of `each`, or of a
/// `body` that `each` returns) stops the report and is returned; what to do with the files written
/// so far is the caller's (`tamga report` replaces none).
pub fn write_with(
    model: &crate::model::Model,
    doc: &json::ResultDoc,
    audit: Option<&crate::audit::Audit>,
    sensitivity: Option<&crate::sensitivity::Analysis>,
    lang: Lang,
    formats: &[Format],
    each: &mut dyn FnMut(&'static str, &mut Body<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut view = view::build(model, doc, lang);
    view.sensitivity = sensitivity.map(|s| crate::sensitivity::view::build(s, lang));
    view.audit = audit.map(|a| {
        let mut v = crate::audit::view::build(model, a, lang);
        v.periods.reverse();
        v
    });
    for part in parts(formats, audit.is_some(), sensitivity.is_some()) {
        let name = part.name();
        match part {
            Part::Html => each(name, &mut |w| html::write(&view, w))?,
            Part::Markdown => each(name, &mut |w| markdown::write(&view, w))?,
            Part::Matrix => each(name, &mut |w| csv::write_matrix(model, doc, lang, w))?,
            Part::Standards => each(name, &mut |w| csv::write_standards(model, doc, w))?,
            Part::Result => each(name, &mut |w| json::write(doc, w))?,
            Part::Audit => {
                let text = audit.map(crate::audit::to_json).unwrap_or_default();
                each(name, &mut |w| w.write_all(text.as_bytes()))?
            }
            Part::Sensitivity => {
                let text = sensitivity.map(crate::sensitivity::to_json).unwrap_or_default();
                each(name, &mut |w| w.write_all(text.as_bytes()))?
            }
            // a zip is packed in memory; when that fails, a file in its place says so, listed with
            // the others, rather than an empty or missing document
            Part::Docx => match docx::render(&view, model) {
                Ok(bytes) => each(name, &mut |w| w.write_all(&bytes))?,
                Err(e) => {
                    let text = format!("report.docx could not be written: {e}\n");
                    each("report.docx.error.txt", &mut |w| w.write_all(text.as_bytes()))?
                }
            },
        }
    }
    Ok(())
}
