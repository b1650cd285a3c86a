//! CSV for spreadsheets: `matrix.csv` (one row per state and period: the index and every area's
//! score) and `standards.csv` (one row per state, period and standard).
//!
//! UTF-8 with a byte-order mark, so Excel reads Cyrillic names correctly; comma-separated, with a
//! header row of stable ids; lines end with `\n`. Numbers are the published values (rounded as
//! in the report, `.` as the decimal point); a missing value is an empty cell and its reason is
//! in the `missing` column; a score computed over fewer children than declared is listed in the
//! `reweighted` column as `id=counted/declared (weight share)`. Full-precision values are in `result.json`. Every row ends with its
//! provenance: the submission's SHA-256, the methodology's id, version (and fingerprint, when the
//! result carries one) and the tamga version, then what it is: the methodology's status
//! (`draft`… `approved`), the Board's decision and its date when approved, and the submission's
//! note on its data (`ILLUSTRATIVE DATA: …`). A row copied elsewhere still says where it came
//! from and whether it is official (docs/report.md argues for columns over a companion file).
//!
//! CSV injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
//! (a unit's name, a note) would be run by Excel as a formula; such a cell gets a leading `'`,
//! as OWASP recommends. Numbers (`-0.5`) are written as they are ([`neutralise`]).

use super::json::{Num, ResultDoc, UnitResult};
use crate::i18n::Lang;
use crate::model::Model;

/// The byte-order mark written first.
pub const BOM: &str = "\u{feff}";

fn published(n: &Num) -> String {
    n.display.clone().or_else(|| n.value.map(crate::number::shortest)).unwrap_or_default()
}

/// A CSV writer into `w`, the byte-order mark written first.
fn writer(w: &mut dyn std::io::Write) -> std::io::Result<::csv::Writer<&mut dyn std::io::Write>> {
    w.write_all(BOM.as_bytes())?;
    Ok(::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(w))
}

/// A cell as Excel may read it safely: a text that Excel would take for a formula (it begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`; a number is left alone.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Writes a row, every cell neutralised.
fn record(w: &mut ::csv::Writer<&mut dyn std::io::Write>, row: &[String]) -> std::io::Result<()> {
    Ok(w.write_record(row.iter().map(|c| neutralise(c).into_owned()))?)
}

/// The bytes a writer form gives, written into memory (which cannot fail).
fn in_memory(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Vec<u8> {
    let mut bytes = vec![];
    let _ = write(&mut bytes);
    bytes
}

/// Provenance column names.
fn provenance_head(doc: &ResultDoc) -> Vec<String> {
    let mut h = vec!["submission_sha256".to_string(), "methodology".into(), "methodology_version".into()];
    if doc.methodology.fingerprint.is_some() {
        h.push("methodology_fingerprint".into());
    }
    h.push("tamga".into());
    h.extend(["methodology_status", "approval_decision", "approval_date", "data_note"].map(String::from));
    h
}

/// The provenance of every row, looked up by key: built once per file, so that writing N rows
/// takes N look-ups, not N searches through N inputs (a quadratic report at 20,000 units).
struct Provenance<'a> {
    doc: &'a ResultDoc,
    /// (period, unit, file) → the submission's SHA-256.
    sha: std::collections::HashMap<(&'a str, &'a str, &'a str), &'a str>,
    /// (period, unit) → the first note that names the submission.
    notes: std::collections::HashMap<(&'a str, &'a str), &'a str>,
}

impl<'a> Provenance<'a> {
    fn new(doc: &'a ResultDoc) -> Self {
        let mut sha = std::collections::HashMap::new();
        for i in &doc.inputs {
            sha.entry((i.period.as_str(), i.unit.as_str(), i.file.as_str())).or_insert(i.sha256.as_str());
        }
        let mut notes = std::collections::HashMap::new();
        for n in &doc.status.data.notes {
            for s in &n.submissions {
                notes.entry((s.period.as_str(), s.unit.as_str())).or_insert(n.note.as_str());
            }
        }
        Provenance { doc, sha, notes }
    }

    fn row(&self, period: &str, r: &UnitResult) -> Vec<String> {
        let doc = self.doc;
        let sha = self.sha.get(&(period, r.unit.as_str(), r.file.as_str())).copied().unwrap_or_default();
        let m = &doc.methodology;
        let mut row = vec![sha.to_string(), m.id.clone(), m.version.clone()];
        if let Some(f) = &m.fingerprint {
            row.push(f.clone());
        }
        row.push(doc.tamga.to_string());
        let st = &doc.status;
        row.push(st.methodology.to_string());
        row.push(st.approval.as_ref().map(|a| a.decision.clone()).unwrap_or_default());
        row.push(st.approval.as_ref().map(|a| a.date.clone()).unwrap_or_default());
        row.push(self.notes.get(&(period, r.unit.as_str())).copied().unwrap_or_default().to_string());
        row
    }
}

/// `matrix.csv`: period, unit, name (in `lang`), the index and every area in tree order, the
/// Code's score and counts, the reasons of missing scores, provenance.
pub fn matrix(model: &Model, doc: &ResultDoc, lang: Lang) -> Vec<u8> {
    in_memory(|w| write_matrix(model, doc, lang, w))
}

/// Writes `matrix.csv` into `w`, row by row: the same bytes as [`matrix`].
pub fn write_matrix(model: &Model, doc: &ResultDoc, lang: Lang, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut areas: Vec<&str> = vec![];
    let mut stack = vec![model.index.as_str()];
    while let Some(id) = stack.pop() {
        let Some(a) = model.areas.get(id) else { continue };
        if a.id != model.index {
            areas.push(&a.id);
        }
        stack.extend(a.children.iter().rev().filter(|c| c.kind == "area").map(|c| c.id.as_str()));
    }
    let prov = Provenance::new(doc);
    let mut w = writer(w)?;
    let mut head: Vec<String> = vec!["period".into(), "unit".into(), "name".into(), model.index.clone()];
    head.extend(areas.iter().map(|a| a.to_string()));
    head.extend(
        ["code_score", "standards_met", "standards_not_met", "standards_not_assessable", "missing", "reweighted"]
            .map(String::from),
    );
    head.extend(provenance_head(doc));
    record(&mut w, &head)?;
    for p in &doc.periods {
        for r in &p.results {
            let mut missing = vec![];
            let mut reweighted = vec![];
            let mut row = vec![p.period.clone(), r.unit.clone(), lang.pick(&r.name, &r.unit).to_string()];
            let mut put = |id: &str, n: &Num, row: &mut Vec<String>| {
                if let Some(reason) = n.missing {
                    missing.push(format!("{id}={}", reason.as_str()));
                }
                if let Some(c) = &n.coverage {
                    // children counted / declared, and their share of the weight (0–1, unrounded)
                    reweighted.push(format!(
                        "{id}={}/{} ({})",
                        c.counted,
                        c.declared,
                        crate::number::shortest(c.weight_share)
                    ));
                }
                row.push(published(n));
            };
            put(&model.index, &r.index, &mut row);
            for a in &areas {
                match r.areas.get(*a) {
                    Some(n) => put(a, n, &mut row),
                    None => row.push(String::new()),
                }
            }
            put("code_score", &r.code.score, &mut row);
            row.extend([r.code.met, r.code.not_met, r.code.not_assessable].map(|n| n.to_string()));
            row.push(missing.join("; "));
            row.push(reweighted.join("; "));
            row.extend(prov.row(&p.period, r));
            record(&mut w, &row)?;
        }
    }
    w.flush()
}

/// `standards.csv`: one row per period, unit and standard: chapter, code, kind, verdict, the
/// reason when not assessable, level, attainment, the compared value and the target, provenance.
pub fn standards(model: &Model, doc: &ResultDoc) -> Vec<u8> {
    in_memory(|w| write_standards(model, doc, w))
}

/// Writes `standards.csv` into `w`, row by row: the same bytes as [`standards`].
pub fn write_standards(model: &Model, doc: &ResultDoc, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let prov = Provenance::new(doc);
    let mut w = writer(w)?;
    let mut head: Vec<String> =
        ["period", "unit", "chapter", "code", "kind", "verdict", "missing", "level", "attainment", "value", "target"]
            .map(String::from)
            .to_vec();
    head.extend(provenance_head(doc));
    record(&mut w, &head)?;
    for p in &doc.periods {
        for r in &p.results {
            for s in model.standards.values() {
                let Some(res) = r.standards.get(&s.code) else { continue };
                let kind = match s.kind {
                    crate::model::StandardKind::Standard => "standard",
                    crate::model::StandardKind::Transitional => "transitional",
                    crate::model::StandardKind::Recommended => "recommended",
                };
                let mut row = vec![
                    p.period.clone(),
                    r.unit.clone(),
                    s.chapter.clone().unwrap_or_default(),
                    s.code.clone(),
                    kind.to_string(),
                    res.verdict.to_string(),
                    res.missing.map(|m| m.as_str().to_string()).unwrap_or_default(),
                    res.level.clone().unwrap_or_default(),
                    published(&res.attainment),
                    res.value.as_ref().map(published).unwrap_or_default(),
                    res.target.map(crate::number::shortest).unwrap_or_default(),
                ];
                row.extend(prov.row(&p.period, r));
                record(&mut w, &row)?;
            }
        }
    }
    w.flush()
}
