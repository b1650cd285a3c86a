//! The manifest `methodology.toml`: id, version, status, approval record, authors, changelog.

use crate::diagnostics::{Code, Diag};
use crate::source::{FileId, Span};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The manifest's file name, beside `methodology.tamga`.
pub const MANIFEST_FILE: &str = "methodology.toml";

/// Where a methodology stands in its approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being written; results are not official.
    Draft,
    /// Submitted to the Board.
    Proposed,
    /// Approved by a decision; locked.
    Approved,
    /// Replaced by a later version.
    Superseded,
}

impl Status {
    /// Parses the status word.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "proposed" => Some(Status::Proposed),
            "approved" => Some(Status::Approved),
            "superseded" => Some(Status::Superseded),
            _ => None,
        }
    }

    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::Superseded => "superseded",
        }
    }
}

/// The record of a Board decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    /// Who approved (`Board of the Eurasian Economic Commission`).
    pub body: String,
    /// The decision (`Decision No. 12`).
    pub decision: String,
    /// Date of the decision, `YYYY-MM-DD`.
    pub date: String,
    /// From when it applies: a date `YYYY-MM-DD`, or the first period it applies to (`2025`,
    /// `2025-Q2`, `2025-H1`, `2025-04`); `eval --official` refuses periods that start before it.
    pub effective_from: Option<String>,
}

/// One changelog entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeEntry {
    /// The version described.
    pub version: String,
    /// Its date, if given.
    pub date: Option<String>,
    /// What changed, one line each.
    pub changes: Vec<String>,
}

/// A checked manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// Must equal the `methodology` header's id.
    pub id: String,
    /// Must equal the header's version.
    pub version: String,
    /// Approval status.
    pub status: Status,
    /// Authors.
    pub authors: Vec<String>,
    /// Free notes (the weighting proposal, sources).
    pub notes: Option<String>,
    /// The approval record (required when approved).
    pub approval: Option<Approval>,
    /// Newest first, as written.
    pub changelog: Vec<ChangeEntry>,
    /// The manifest file's id in the source map (for diagnostics).
    #[serde(skip)]
    pub file: FileId,
    /// Where `id` and `version` are written.
    #[serde(skip)]
    pub spans: (Span, Span),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    version: Spanned<String>,
    status: Spanned<String>,
    #[serde(default)]
    authors: Vec<String>,
    notes: Option<String>,
    approval: Option<Spanned<RawApproval>>,
    #[serde(default)]
    changelog: Vec<RawChange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    body: String,
    decision: String,
    date: Spanned<DateText>,
    effective_from: Option<Spanned<DateText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    version: String,
    date: Option<Spanned<DateText>>,
    #[serde(default)]
    changes: Vec<String>,
}

/// A date written as a TOML date (`2025-03-01`) or as text (`"2025-03-01"`).
#[derive(Deserialize)]
#[serde(untagged)]
enum DateText {
    Date(toml::value::Datetime),
    Text(String),
}

impl DateText {
    fn text(&self) -> String {
        match self {
            DateText::Date(d) => d.to_string(),
            DateText::Text(s) => s.clone(),
        }
    }
}

/// Whether `s` is a calendar date `YYYY-MM-DD`.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2999).contains(&y) && d >= 1 && d <= days
}

/// The first day of a period, or of a date, as (year, month, day): `2025` → 2025-01-01,
/// `2025-Q2` → 2025-04-01, `2025-H2` → 2025-07-01, `2025-04` → 2025-04-01, `2025-04-15` → itself.
/// `None` for any other label (`pilot`, `2025/26`): such a period cannot be placed in time.
pub fn period_start(s: &str) -> Option<(u32, u32, u32)> {
    let year = |y: &str| (y.len() == 4).then(|| y.parse::<u32>().ok()).flatten().filter(|y| (1900..=2999).contains(y));
    if valid_date(s) {
        let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
        return Some((n(0..4)?, n(5..7)?, n(8..10)?));
    }
    let (y, rest) = match s.split_once('-') {
        Some((y, rest)) => (year(y)?, rest),
        None => return Some((year(s)?, 1, 1)),
    };
    let month = match rest.as_bytes() {
        [b'Q' | b'q', q @ b'1'..=b'4'] => 3 * u32::from(q - b'1') + 1,
        [b'H' | b'h', h @ b'1'..=b'2'] => 6 * u32::from(h - b'1') + 1,
        [a @ b'0'..=b'1', b @ b'0'..=b'9'] => {
            let m = u32::from(a - b'0') * 10 + u32::from(b - b'0');
            if !(1..=12).contains(&m) {
                return None;
            }
            m
        }
        _ => return None,
    };
    Some((y, month, 1))
}

/// Whether `s` can be an `effective_from`: a date, or a period [`period_start`] can place.
pub fn valid_effective_from(s: &str) -> bool {
    period_start(s).is_some()
}

fn span(file: FileId, r: std::ops::Range<usize>) -> Span {
    Span::new(file, r.start, r.end)
}

const EFFECTIVE: &str = "date or first period it takes effect";

/// Parses and checks the text of a manifest already in a source map as `file`, named `name`.
pub fn parse_file(file: FileId, name: &str, text: &str) -> (Option<Manifest>, Vec<Diag>) {
    let mut diags = vec![];
    let raw: Raw = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let mut d = Diag::error(Code::Manifest, format!("`{name}`: {}", e.message()))
                .help("the manifest's keys are id, version, status, authors, notes, [approval] (body, decision, date, effective_from) and [[changelog]] (version, date, changes): see docs/versions.md");
            if let Some(r) = e.span() {
                d = d.at(span(file, r), "here");
            }
            return (None, vec![d]);
        }
    };
    let status = match Status::parse(raw.status.get_ref()) {
        Some(s) => s,
        None => {
            diags.push(
                Diag::error(Code::Manifest, format!("unknown status `{}`", raw.status.get_ref()))
                    .at(span(file, raw.status.span()), "not a status")
                    .help("write one of \"draft\", \"proposed\", \"approved\", \"superseded\""),
            );
            Status::Draft
        }
    };
    let mut date_of = |d: &Spanned<DateText>, what: &str| -> String {
        let t = d.get_ref().text();
        if what == EFFECTIVE && !valid_effective_from(&t) {
            diags.push(
                Diag::error(Code::Manifest, format!("`{t}` is neither a date nor a period"))
                    .at(span(file, d.span()), format!("the {what}"))
                    .help("write a date YYYY-MM-DD (2025-04-01) or the first period the methodology applies to (2025, 2025-Q2, 2025-H1, 2025-04)"),
            );
        } else if what != EFFECTIVE && !valid_date(&t) {
            diags.push(
                Diag::error(Code::Manifest, format!("`{t}` is not a date"))
                    .at(span(file, d.span()), format!("the {what}"))
                    .help("write the date as YYYY-MM-DD, e.g. 2025-03-01"),
            );
        }
        t
    };
    let approval = raw.approval.as_ref().map(|a| {
        let r = a.get_ref();
        Approval {
            body: r.body.clone(),
            decision: r.decision.clone(),
            date: date_of(&r.date, "date of the decision"),
            effective_from: r.effective_from.as_ref().map(|d| date_of(d, EFFECTIVE)),
        }
    });
    let changelog = raw
        .changelog
        .iter()
        .map(|c| ChangeEntry {
            version: c.version.clone(),
            date: c.date.as_ref().map(|d| date_of(d, "date of the change")),
            changes: c.changes.clone(),
        })
        .collect();
    if status == Status::Approved && approval.is_none() {
        diags.push(
            Diag::error(Code::Manifest, "an approved methodology needs its approval record")
                .at(span(file, raw.status.span()), "approved, but by which decision?")
                .help("run `tamga approve <methodology> --decision \"…\" --date YYYY-MM-DD`, which writes [approval] and the lock"),
        );
    }
    if matches!(status, Status::Draft | Status::Proposed) {
        if let Some(a) = &raw.approval {
            diags.push(
                Diag::warning(Code::Manifest, format!("a {} methodology has an approval record", status.as_str()))
                    .at(span(file, a.span()), "left from an earlier version?")
                    .help("remove [approval] when starting a new version; `tamga approve` writes it again"),
            );
        }
    }
    let m = Manifest {
        id: raw.id.get_ref().clone(),
        version: raw.version.get_ref().clone(),
        status,
        authors: raw.authors,
        notes: raw.notes,
        approval,
        changelog,
        file,
        spans: (span(file, raw.id.span()), span(file, raw.version.span())),
    };
    (Some(m), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2023-13-01"));
        assert!(!valid_date("01.03.2025"));
    }

    #[test]
    fn periods_are_placed_in_time() {
        assert_eq!(period_start("2025"), Some((2025, 1, 1)));
        assert_eq!(period_start("2025-Q2"), Some((2025, 4, 1)));
        assert_eq!(period_start("2025-H2"), Some((2025, 7, 1)));
        assert_eq!(period_start("2025-04"), Some((2025, 4, 1)));
        assert_eq!(period_start("2025-04-15"), Some((2025, 4, 15)));
        for bad in ["pilot", "2025-Q5", "2025-13", "25", "2025/26", "2025-02-30", "test", ""] {
            assert_eq!(period_start(bad), None, "{bad}");
        }
    }

    #[test]
    fn manifest_errors_point_at_the_key() {
        let mut s = crate::source::SourceMap::new();
        let text = "id = \"x\"\nversion = \"1\"\nstatus = \"aproved\"\n";
        let (m, d) = parse_file(s.add("m.toml", text), "m.toml", text);
        assert!(m.is_some());
        assert_eq!(d.len(), 1);
        assert_eq!(s.slice(d[0].primary.as_ref().map(|l| l.span).unwrap_or_default()), "\"aproved\"");
        let text = "id = \"x\"\nversion = \"1\"\nstatus = \"draft\"\nauthor = [\"a\"]\n";
        let (m, d) = parse_file(s.add("m.toml", text), "m.toml", text);
        assert!(m.is_none());
        assert!(d[0].message.contains("unknown field"), "{}", d[0].message);
    }
}
