//! What a result is: the methodology's status (draft, proposed, approved by which decision,
//! superseded), its version and fingerprint, and the notes the submissions carry on their data
//! (`"ILLUSTRATIVE DATA: …"`). Built once into the result ([`Status`], the `status` object of
//! the JSON), and said in one line on every output: the terminal table, the reports (HTML,
//! Markdown), every CSV row.

use crate::check::Methodology;
use crate::data::Dataset;
use crate::i18n::Lang;
use crate::version::Status as ManifestStatus;
use serde::Serialize;

/// The status of a result: what the methodology is, and what the data say of themselves.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Status {
    /// `draft`, `proposed`, `approved`, `superseded`, or `no_manifest` (a methodology without
    /// `methodology.toml`: not approved).
    pub methodology: &'static str,
    /// The methodology's version.
    pub version: String,
    /// Its fingerprint, when the checker provides one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The Board's decision, when the manifest records one (approved, or superseded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalRef>,
    /// The notes the submissions carry.
    pub data: DataStatus,
}

/// The decision that approved the methodology, from its manifest (which `check` has compared
/// with the lock).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ApprovalRef {
    /// Who decided (`Board of the Eurasian Economic Commission`).
    pub body: String,
    /// The decision, as recorded (`Decision No. 7`).
    pub decision: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// From when it applies, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
}

/// The notes of the submissions evaluated.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DataStatus {
    /// Submissions evaluated.
    pub submissions: usize,
    /// How many of them carry a note.
    pub with_note: usize,
    /// Every distinct note, in the order first met (submissions are sorted by period and unit),
    /// with the submissions that carry it.
    pub notes: Vec<DataNote>,
}

/// One distinct note and who carries it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DataNote {
    /// The note, as written.
    pub note: String,
    /// The submissions that carry it, by period then unit.
    pub submissions: Vec<UnitPeriod>,
}

/// A submission named by its unit and period.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UnitPeriod {
    /// Unit code.
    pub unit: String,
    /// Period.
    pub period: String,
}

/// The status of a methodology evaluated on a dataset.
pub fn build(meth: &Methodology, data: &Dataset) -> Status {
    let manifest = meth.manifest.as_ref();
    let methodology = manifest.map(|m| m.status.as_str()).unwrap_or("no_manifest");
    let approval = manifest.and_then(|m| m.approval.as_ref()).filter(|_| {
        manifest.is_some_and(|m| matches!(m.status, ManifestStatus::Approved | ManifestStatus::Superseded))
    });
    let mut notes: Vec<DataNote> = vec![];
    let mut with_note = 0;
    for s in &data.submissions {
        let Some(note) = s.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) else { continue };
        with_note += 1;
        let who = UnitPeriod { unit: s.unit.clone(), period: s.period.clone() };
        match notes.iter_mut().find(|n| n.note == note) {
            Some(n) => n.submissions.push(who),
            None => notes.push(DataNote { note: note.to_string(), submissions: vec![who] }),
        }
    }
    Status {
        methodology,
        version: meth.model.header.version.clone(),
        fingerprint: super::json::fingerprint(meth),
        approval: approval.map(|a| ApprovalRef {
            body: a.body.clone(),
            decision: a.decision.clone(),
            date: a.date.clone(),
            effective_from: a.effective_from.clone(),
        }),
        data: DataStatus { submissions: data.submissions.len(), with_note, notes },
    }
}

impl Status {
    /// Whether the methodology is approved (results may be official).
    pub fn is_approved(&self) -> bool {
        self.methodology == "approved"
    }

    /// The mark of a methodology that is not approved, or of one no longer in force (`DRAFT`,
    /// `ПРОЕКТ`); none when it is approved.
    pub fn mark(&self, lang: Lang) -> Option<&'static str> {
        let ru = lang == Lang::Ru;
        match self.methodology {
            "approved" => None,
            "proposed" => Some(if ru {
                "ПРОЕКТ (внесён на рассмотрение)"
            } else {
                "PROPOSED, NOT APPROVED"
            }),
            "superseded" => Some(if ru { "УТРАТИЛА СИЛУ" } else { "SUPERSEDED" }),
            "no_manifest" => Some(if ru { "ПРОЕКТ (без манифеста)" } else { "DRAFT (no manifest)" }),
            _ => Some(if ru { "ПРОЕКТ" } else { "DRAFT" }),
        }
    }

    /// The mark as a watermark: its first words (`DRAFT`, `ПРОЕКТ`, `SUPERSEDED`).
    pub fn watermark(&self, lang: Lang) -> Option<&'static str> {
        self.mark(lang).map(|m| m.split(" (").next().unwrap_or(m).split(',').next().unwrap_or(m))
    }

    /// The decision in words: `Approved by Decision No. 7 of 01.06.2025` / `Утверждена: Decision
    /// No. 7 от 01.06.2025` (the decision as the manifest records it); none without an approval
    /// record.
    pub fn decision(&self, lang: Lang) -> Option<String> {
        let a = self.approval.as_ref()?;
        let date = dotted(&a.date);
        let mut s = match lang {
            Lang::Ru => format!("Утверждена: {} от {date}", a.decision),
            Lang::En => format!("Approved by {} of {date}", a.decision),
        };
        if let Some(e) = &a.effective_from {
            s.push_str(&match lang {
                Lang::Ru => format!(", применяется с {}", dotted(e)),
                Lang::En => format!(", in effect from {}", dotted(e)),
            });
        }
        Some(s)
    }

    /// What the data say of themselves, short: `data: “ILLUSTRATIVE DATA” (10 of 10
    /// submissions)`, `data: no note (10 submissions)`, `data: 2 notes (7 of 10 submissions)`.
    pub fn data_summary(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => format!("данные: {}", self.data_text(lang)),
            Lang::En => format!("data: {}", self.data_text(lang)),
        }
    }

    /// [`Status::data_summary`] without its `data:`.
    pub fn data_text(&self, lang: Lang) -> String {
        let d = &self.data;
        let ru = lang == Lang::Ru;
        let (q0, q1) = if ru { ("«", "»") } else { ("“", "”") };
        let of = if ru {
            format!("{} из {} {}", d.with_note, d.submissions, of_submissions_word(d.submissions))
        } else {
            format!("{} of {} submission{}", d.with_note, d.submissions, if d.submissions == 1 { "" } else { "s" })
        };
        match d.notes.as_slice() {
            [] if ru => format!("без примечаний ({} {})", d.submissions, submissions_word(d.submissions)),
            [] => format!("no note ({} submission{})", d.submissions, if d.submissions == 1 { "" } else { "s" }),
            [n] => format!("{q0}{}{q1} ({of})", heading(&n.note)),
            many if ru => format!("{} {} ({of})", many.len(), notes_word(many.len())),
            many => format!("{} notes ({of})", many.len()),
        }
    }

    /// The one status line: `DRAFT · eaeu_customs 0.1.0 · fingerprint 3f2a9c1b0e4d · data: …`,
    /// or, approved, `approved by Decision No. 7 of 01.06.2025 · eaeu_customs 1.0.0 · …`.
    pub fn line(&self, id: &str, lang: Lang) -> String {
        let mut parts = vec![];
        let head = match (self.mark(lang), self.decision(lang)) {
            (Some(m), Some(d)) => format!("{m} ({d})"),
            (Some(m), None) => m.to_string(),
            (None, Some(d)) => d,
            (None, None) => if lang == Lang::Ru { "УТВЕРЖДЕНА" } else { "APPROVED" }.to_string(),
        };
        parts.push(head);
        parts.push(format!("{id} {}", self.version));
        if let Some(f) = &self.fingerprint {
            let word = if lang == Lang::Ru { "отпечаток" } else { "fingerprint" };
            parts.push(format!("{word} {}", super::view::short_hash(f)));
        }
        parts.push(self.data_summary(lang));
        parts.join(" · ")
    }

    /// One line per distinct note: who carries it (`2022: AM, BY; 2023: AM`), then the note, its
    /// line breaks and runs of spaces made one space (the JSON keeps it as written).
    pub fn note_lines(&self, lang: Lang) -> Vec<(String, String)> {
        self.data.notes.iter().map(|n| (carriers(n, self.data.submissions, lang), one_line(&n.note))).collect()
    }
}

/// The fixed text that goes with the status and with the indicators' rationale in a report.
#[derive(Debug)]
pub struct Texts {
    /// "Status".
    pub status: &'static str,
    /// Heading of the data's notes.
    pub data_notes: &'static str,
    /// "Note".
    pub note: &'static str,
    /// Heading of the indicators' section.
    pub indicators: &'static str,
    /// Note under that heading.
    pub indicators_note: &'static str,
    /// "Indicator".
    pub indicator: &'static str,
    /// "Unit".
    pub unit: &'static str,
    /// "Rationale" (an indicator's or a standard's `note`).
    pub rationale: &'static str,
    /// "Source".
    pub source: &'static str,
    /// Group of indicators outside every area.
    pub outside_areas: &'static str,
}

const EN: Texts = Texts {
    status: "Status",
    data_notes: "Notes on the data",
    note: "note",
    indicators: "Indicators: rationale and sources",
    indicators_note: "Every indicator under its area, with the rationale and the source the methodology gives for it.",
    indicator: "Indicator",
    unit: "Unit",
    rationale: "Rationale",
    source: "Source",
    outside_areas: "Outside every area (reported only)",
};

const RU: Texts = Texts {
    status: "Статус",
    data_notes: "Примечания к данным",
    note: "примечание",
    indicators: "Индикаторы: обоснование и источники",
    indicators_note: "Каждый индикатор в своём направлении, с обоснованием и источником, которые приводит методика.",
    indicator: "Индикатор",
    unit: "Единица",
    rationale: "Обоснование",
    source: "Источник",
    outside_areas: "Вне направлений (только для сведения)",
};

/// The texts in a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// Who carries a note: `all 10 submissions`, or per period the units (`2022: AM, BY; 2023: KG`).
pub fn carriers(n: &DataNote, total: usize, lang: Lang) -> String {
    if n.submissions.len() == total && total > 2 {
        return match lang {
            Lang::Ru => format!("все {total} {}", submissions_word(total)),
            Lang::En => format!("all {total} submissions"),
        };
    }
    let mut out: Vec<(String, Vec<&str>)> = vec![];
    for s in &n.submissions {
        match out.iter_mut().find(|(p, _)| *p == s.period) {
            Some((_, units)) => units.push(&s.unit),
            None => out.push((s.period.clone(), vec![&s.unit])),
        }
    }
    out.iter().map(|(p, units)| format!("{p}: {}", units.join(", "))).collect::<Vec<_>>().join("; ")
}

/// The heading of a note: the words before its first colon when they are short
/// (`ILLUSTRATIVE DATA: invented figures…` → `ILLUSTRATIVE DATA`), otherwise its first 40
/// characters with an ellipsis.
pub fn heading(note: &str) -> String {
    let note = &one_line(note);
    let first = note.split(':').next().unwrap_or(note).trim();
    if first.len() < note.trim().len() && first.chars().count() <= 60 && !first.is_empty() {
        return first.to_string();
    }
    let all = note.trim();
    if all.chars().count() <= 40 {
        all.to_string()
    } else {
        let cut: String = all.chars().take(40).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Text on one line: every run of white space (line breaks included) made one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `2025-06-01` → `01.06.2025`; other text as it is.
pub fn dotted(date: &str) -> String {
    match (date.get(0..4), date.get(5..7), date.get(8..10)) {
        (Some(y), Some(m), Some(d)) if date.len() == 10 => format!("{d}.{m}.{y}"),
        _ => date.to_string(),
    }
}

/// The Russian plural of «анкета» (a submission) after `n`.
fn submissions_word(n: usize) -> &'static str {
    match plural(n) {
        0 => "анкета",
        1 => "анкеты",
        _ => "анкет",
    }
}

/// «анкета» after «из N» (genitive): из 1 анкеты, из 4 анкет, из 21 анкеты.
fn of_submissions_word(n: usize) -> &'static str {
    if plural(n) == 0 {
        "анкеты"
    } else {
        "анкет"
    }
}

fn notes_word(n: usize) -> &'static str {
    match plural(n) {
        0 => "примечание",
        1 => "примечания",
        _ => "примечаний",
    }
}

/// The Russian plural class: 0 for 1, 21…; 1 for 2–4, 22–24…; 2 otherwise.
fn plural(n: usize) -> u8 {
    let (ten, hundred) = (n % 10, n % 100);
    if ten == 1 && hundred != 11 {
        0
    } else if (2..=4).contains(&ten) && !(12..=14).contains(&hundred) {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_notes() {
        assert_eq!(heading("ILLUSTRATIVE DATA: invented figures"), "ILLUSTRATIVE DATA");
        assert_eq!(heading("Preliminary"), "Preliminary");
        assert_eq!(
            heading("Figures of the customs service, revised after the first round: see annex"),
            "Figures of the customs service, revised…"
        );
    }

    fn status(methodology: &'static str, approved: bool) -> Status {
        Status {
            methodology,
            version: "1.0.0".into(),
            fingerprint: Some("3f2a9c1b0e4d77".into()),
            approval: approved.then(|| ApprovalRef {
                body: "Board of the Eurasian Economic Commission".into(),
                decision: "Decision No. 7".into(),
                date: "2025-06-01".into(),
                effective_from: None,
            }),
            data: DataStatus {
                submissions: 2,
                with_note: 1,
                notes: vec![DataNote {
                    note: "Preliminary:\n  to be revised".into(),
                    submissions: vec![UnitPeriod { unit: "AM".into(), period: "2023".into() }],
                }],
            },
        }
    }

    #[test]
    fn every_status_has_its_mark_or_its_decision() {
        let line = |m, a, lang| status(m, a).line("x", lang);
        let tail = "x 1.0.0 · fingerprint 3f2a9c1b0e4d · data: “Preliminary” (1 of 2 submissions)";
        assert_eq!(line("draft", false, Lang::En), format!("DRAFT · {tail}"));
        assert_eq!(line("no_manifest", false, Lang::En), format!("DRAFT (no manifest) · {tail}"));
        assert_eq!(line("proposed", false, Lang::En), format!("PROPOSED, NOT APPROVED · {tail}"));
        assert_eq!(line("approved", true, Lang::En), format!("Approved by Decision No. 7 of 01.06.2025 · {tail}"));
        assert_eq!(
            line("superseded", true, Lang::En),
            format!("SUPERSEDED (Approved by Decision No. 7 of 01.06.2025) · {tail}")
        );
        assert!(line("draft", false, Lang::Ru)
            .starts_with("ПРОЕКТ · x 1.0.0 · отпечаток 3f2a9c1b0e4d · данные: «Preliminary» (1 из 2 анкет)"));
        assert!(line("superseded", true, Lang::Ru)
            .starts_with("УТРАТИЛА СИЛУ (Утверждена: Decision No. 7 от 01.06.2025) · "));
        assert_eq!(status("proposed", false).watermark(Lang::En), Some("PROPOSED"));
        assert_eq!(status("no_manifest", false).watermark(Lang::Ru), Some("ПРОЕКТ"));
        assert_eq!(status("approved", true).watermark(Lang::Ru), None);
        // a note's line breaks do not break the terminal's lines
        assert_eq!(
            status("draft", false).note_lines(Lang::En),
            [("2023: AM".into(), "Preliminary: to be revised".into())]
        );
    }

    #[test]
    fn dates_and_plurals() {
        assert_eq!(dotted("2025-06-01"), "01.06.2025");
        assert_eq!(dotted("soon"), "soon");
        assert_eq!(
            [1, 2, 5, 11, 21, 22, 25].map(submissions_word),
            ["анкета", "анкеты", "анкет", "анкет", "анкета", "анкеты", "анкет"]
        );
        assert_eq!([1, 4, 10, 21].map(of_submissions_word), ["анкеты", "анкет", "анкет", "анкеты"]);
    }
}
