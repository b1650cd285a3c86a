//! Validation of a parsed submission against the methodology's questions.
//!
//! Every problem is reported; an answer that fails validation becomes missing with reason
//! `invalid`. Spans point at the value (or the key) in the file's text.

use super::{Answer, Entry, Format, Kind, Node, Submission};
use crate::diagnostics::{suggest, Code, Diag};
use crate::model::{ChoiceOption, Labels, Model, Question, QuestionType, Reason};
use crate::number::shortest;
use crate::source::{FileId, Span};
use std::collections::HashMap;
use std::ops::Range;

/// The reasons a submission may declare for a missing answer.
const SUBMITTABLE: [Reason; 3] = [Reason::NotSubmitted, Reason::NotApplicable, Reason::Confidential];

/// The keys at the top of a submission.
const TOP_KEYS: [&str; 5] = ["unit", "period", "name", "note", "answers"];

/// A validated submission and where its `unit` is written (for duplicate reports).
pub(super) struct Loaded {
    pub(super) sub: Submission,
    pub(super) unit_span: Span,
}

/// Validates a parsed file. Returns no submission if `unit`, `period` or `answers` is unusable.
pub(super) fn submission(
    model: &Model,
    file: FileId,
    format: Format,
    text: &str,
    root: &Node,
    display: &str,
    sha256: String,
) -> (Option<Loaded>, Vec<Diag>) {
    let mut v = Validator { model, file, format, text, diags: vec![] };
    let sub = v.top(root, display, sha256);
    (sub, v.diags)
}

struct Validator<'a> {
    model: &'a Model,
    file: FileId,
    format: Format,
    text: &'a str,
    diags: Vec<Diag>,
}

/// The first entry with this key, if any.
fn first<'e>(seen: &HashMap<&str, &'e Entry>, key: &str) -> Option<&'e Entry> {
    seen.get(key).copied()
}

impl<'a> Validator<'a> {
    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.file, r.start, r.end)
    }

    fn push(&mut self, d: Diag) {
        self.diags.push(d);
    }

    /// "an object" (JSON) or "a table" (TOML).
    fn table_noun(&self) -> &'static str {
        match self.format {
            Format::Json => "an object",
            Format::Toml => "a table",
        }
    }

    /// How a missing answer is declared, in this file's syntax.
    fn missing_example(&self) -> &'static str {
        match self.format {
            Format::Json => r#"{ "missing": "not_applicable" }"#,
            Format::Toml => r#"{ missing = "not_applicable" }"#,
        }
    }

    /// `key: value` in this file's syntax.
    fn key_value(&self, key: &str, value: &str) -> String {
        match self.format {
            Format::Json => format!("\"{key}\": {value}"),
            Format::Toml => format!("{key} = {value}"),
        }
    }

    /// A short description of a value, for "found …".
    fn describe(&self, node: &Node) -> String {
        match &node.kind {
            Kind::Null => "null".into(),
            Kind::Bool(b) => b.to_string(),
            Kind::Num { value, int } => match int {
                Some(text) => format!("the number {text}"),
                None if value.is_nan() => "nan (not a number)".into(),
                None if value.is_infinite() => {
                    format!("{}infinity", if *value < 0.0 { "minus " } else { "" })
                }
                None => format!("the number {}", shortest(*value)),
            },
            Kind::Str(s) => format!("the text {}", quote(s)),
            Kind::Date(d) => format!("the date {d}"),
            Kind::Array(items) if items.is_empty() => "an empty list".into(),
            Kind::Array(_) => "a list".into(),
            Kind::Table(_) => self.table_noun().into(),
        }
    }

    /// A span over the first character of a node (where "this file has no `unit`" points).
    fn head(&self, node: &Node) -> Span {
        let at = node.span.start;
        let len = self.text.get(at..).and_then(|t| t.chars().next()).map(char::len_utf8).unwrap_or(0);
        let end = if node.span.is_empty() { at } else { (at + len).min(node.span.end) };
        Span::new(self.file, at, end)
    }

    /// Reports a key given a second time in the same table.
    fn twice(&mut self, what: String, again: &Entry, first: &Entry, help: &str) {
        let d = Diag::error(Code::DataFormat, format!("{what} given twice"))
            .at(self.span(&again.key_span), format!("`{}` again", again.key))
            .also(self.span(&first.key_span), "first given here")
            .help(help.to_string());
        self.push(d);
    }

    // ───────────────────────────── the top level ─────────────────────────────

    fn top(&mut self, root: &Node, display: &str, sha256: String) -> Option<Loaded> {
        let Kind::Table(entries) = &root.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "the submission must be {} with `unit`, `period` and `answers`, found {}",
                    self.table_noun(),
                    self.describe(root)
                ),
            )
            .at(self.span(&root.span), format!("not {}", self.table_noun()))
            .help(format!(
                "write {{ {}, {}, {} }}",
                self.key_value("unit", "\"AM\""),
                self.key_value("period", "\"2023\""),
                self.key_value("answers", "{ … }")
            ));
            self.push(d);
            return None;
        };

        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        let mut unit: Option<(String, Span)> = None;
        let mut period: Option<String> = None;
        let mut name = Labels::new();
        let mut answers: Option<Vec<Option<Answer>>> = None;
        for e in entries {
            if let Some(f) = first(&seen, &e.key) {
                self.twice(format!("`{}`", e.key), e, f, "keep one of the two; the second is not used");
                continue;
            }
            seen.insert(&e.key, e);
            match e.key.as_str() {
                "unit" => unit = self.unit(e),
                "period" => period = self.period(e),
                "name" => name = self.name(e),
                "note" => self.note(e),
                "answers" => answers = self.answers(e),
                _ => self.unknown_top(e),
            }
        }
        for (key, example) in [("unit", "\"AM\""), ("period", "\"2023\""), ("answers", "{ … }")] {
            if !seen.contains_key(key) {
                let help = match (self.format, key) {
                    (Format::Toml, "answers") => "add an `[answers]` table after `unit` and `period`".to_string(),
                    (Format::Toml, _) => format!("add `{}` at the top of the file", self.key_value(key, example)),
                    (Format::Json, _) => format!("add `{}`", self.key_value(key, example)),
                };
                let d = Diag::error(Code::DataFormat, format!("the submission has no `{key}`"))
                    .at(self.head(root), format!("`{key}` is missing in this submission"))
                    .help(help);
                self.push(d);
            }
        }
        let ((unit, unit_span), period, answers) = (unit?, period?, answers?);
        Some(Loaded { sub: Submission { unit, period, name, file: display.to_string(), sha256, answers }, unit_span })
    }

    fn unknown_top(&mut self, e: &Entry) {
        let help = if self.model.questions.contains_key(&e.key) {
            match self.format {
                Format::Json => format!("`{}` is a question: move it into `answers`", e.key),
                Format::Toml => format!("`{}` is a question: move this line below the `[answers]` line", e.key),
            }
        } else if let Some(s) = suggest(&e.key, TOP_KEYS) {
            format!("did you mean `{s}`?")
        } else {
            "the keys of a submission are `unit`, `period`, `name`, `note` and `answers`".to_string()
        };
        let d = Diag::error(Code::DataFormat, format!("unknown key `{}` in the submission", e.key))
            .at(self.span(&e.key_span), "not a key of a submission")
            .help(help);
        self.push(d);
    }

    fn unit(&mut self, e: &Entry) -> Option<(String, Span)> {
        let v = &e.value;
        let span = self.span(&v.span);
        let (message, label, help) = match &v.kind {
            Kind::Str(s) if !s.is_empty() && !s.chars().any(char::is_whitespace) => return Some((s.clone(), span)),
            Kind::Str(s) if s.trim().is_empty() => (
                "`unit` is empty".to_string(),
                "no code".to_string(),
                format!("write the unit's code, e.g. `{}`", self.key_value("unit", "\"AM\"")),
            ),
            Kind::Str(s) => (
                format!("`unit` must be a code without spaces, found {}", quote(s)),
                "contains spaces".to_string(),
                match s.split_whitespace().collect::<Vec<_>>().as_slice() {
                    [one] => format!("write {} without the spaces; a full name goes in `name`", quote(one)),
                    _ => "write the unit's code, e.g. \"AM\"; its full name goes in `name`".to_string(),
                },
            ),
            Kind::Num { int: Some(n), .. } => (
                format!("`unit` must be a text, found the number {n}"),
                "a number, not a text".to_string(),
                format!("write the code in quotes: \"{n}\""),
            ),
            _ => (
                format!("`unit` must be a text, found {}", self.describe(v)),
                "not a text".to_string(),
                format!("write the unit's code, e.g. `{}`", self.key_value("unit", "\"AM\"")),
            ),
        };
        let d = Diag::error(Code::DataFormat, message).at(span, label).help(help);
        self.push(d);
        None
    }

    fn period(&mut self, e: &Entry) -> Option<String> {
        let v = &e.value;
        let (message, label, help) = match &v.kind {
            Kind::Str(s) if !s.trim().is_empty() && s.trim() == s => return Some(s.clone()),
            Kind::Num { int: Some(n), .. } => return Some(n.clone()),
            Kind::Str(s) if s.trim().is_empty() => (
                "`period` is empty".to_string(),
                "no period".to_string(),
                format!("write the period, e.g. `{}`", self.key_value("period", "\"2023\"")),
            ),
            Kind::Str(s) => (
                format!("`period` must not begin or end with spaces, found {}", quote(s)),
                "spaces at the edge".to_string(),
                format!("write {}", quote(s.trim())),
            ),
            _ => (
                format!("`period` must be a text or a whole number, found {}", self.describe(v)),
                "not a period".to_string(),
                format!(
                    "write the period as a text or a whole number, e.g. `{}`",
                    self.key_value("period", "\"2023\"")
                ),
            ),
        };
        let d = Diag::error(Code::DataFormat, message).at(self.span(&v.span), label).help(help);
        self.push(d);
        None
    }

    fn name(&mut self, e: &Entry) -> Labels {
        let mut labels = Labels::new();
        let example = match self.format {
            Format::Json => r#""name": { "en": "Armenia", "ru": "Армения" }"#,
            Format::Toml => r#"name = { en = "Armenia", ru = "Армения" }"#,
        };
        let Kind::Table(entries) = &e.value.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "`name` must be {} of languages and names, found {}",
                    self.table_noun(),
                    self.describe(&e.value)
                ),
            )
            .at(self.span(&e.value.span), format!("not {}", self.table_noun()))
            .help(format!("write the name per language: `{example}`"));
            self.push(d);
            return labels;
        };
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for l in entries {
            if let Some(f) = first(&seen, &l.key) {
                self.twice(format!("the name in `{}`", l.key), l, f, "keep one of the two; the second is not used");
                continue;
            }
            seen.insert(&l.key, l);
            match &l.value.kind {
                Kind::Str(s) => {
                    labels.insert(l.key.clone(), s.clone());
                }
                _ => {
                    let d = Diag::error(
                        Code::DataFormat,
                        format!("the name in `{}` must be a text, found {}", l.key, self.describe(&l.value)),
                    )
                    .at(self.span(&l.value.span), "not a text")
                    .help(format!("write the name in quotes: `{example}`"));
                    self.push(d);
                }
            }
        }
        labels
    }

    fn note(&mut self, e: &Entry) {
        if !matches!(e.value.kind, Kind::Str(_)) {
            let d = Diag::error(Code::DataFormat, format!("`note` must be a text, found {}", self.describe(&e.value)))
                .at(self.span(&e.value.span), "not a text")
                .help(format!("write the note in quotes: `{}`", self.key_value("note", "\"Illustrative data\"")));
            self.push(d);
        }
    }

    // ───────────────────────────── answers ─────────────────────────────

    fn answers(&mut self, e: &Entry) -> Option<Vec<Option<Answer>>> {
        let Kind::Table(entries) = &e.value.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "`answers` must be {} of question ids and answers, found {}",
                    self.table_noun(),
                    self.describe(&e.value)
                ),
            )
            .at(self.span(&e.value.span), format!("not {}", self.table_noun()))
            .help(match self.format {
                Format::Json => r#"write "answers": { "q01": 12.5, "q02": true }"#.to_string(),
                Format::Toml => "write an `[answers]` table with one `question = answer` per line".to_string(),
            });
            self.push(d);
            return None;
        };
        let model = self.model;
        let mut out: Vec<Option<Answer>> = vec![None; model.questions.len()];
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for a in entries {
            if let Some(f) = first(&seen, &a.key) {
                self.twice(
                    format!("answer `{}`", a.key),
                    a,
                    f,
                    "keep only one answer per question; until then the answer counts as invalid",
                );
                if let Some(i) = model.questions.get_index_of(&a.key) {
                    out[i] = Some(Answer::Missing(Reason::Invalid));
                }
                continue;
            }
            seen.insert(&a.key, a);
            let Some((i, _, q)) = model.questions.get_full(&a.key) else {
                self.unknown_question(a);
                continue;
            };
            out[i] = Some(self.answer(q, a));
        }
        for (i, q) in model.questions.values().enumerate() {
            if q.required && out[i].is_none() {
                let help = match self.format {
                    Format::Json => format!(
                        "add `\"{id}\": <answer>` to `answers`, or say why it is missing: `\"{id}\": {}`",
                        self.missing_example(),
                        id = q.id
                    ),
                    Format::Toml => format!(
                        "add `{id} = <answer>` under `[answers]`, or say why it is missing: `{id} = {}`",
                        self.missing_example(),
                        id = q.id
                    ),
                };
                let d = Diag::warning(
                    Code::DataRequired,
                    format!("required question `{}` is not answered; it counts as not submitted", q.id),
                )
                .at(self.span(&e.key_span), format!("no answer to `{}` in here", q.id))
                .help(help);
                self.push(d);
            }
        }
        Some(out)
    }

    fn unknown_question(&mut self, a: &Entry) {
        let model = self.model;
        let help = if self.format == Format::Toml && TOP_KEYS.contains(&a.key.as_str()) {
            format!(
                "in TOML every line after `[answers]` belongs to `answers`: move `{}` above the `[answers]` line",
                a.key
            )
        } else if let Some(s) = suggest(&a.key, model.questions.keys().map(String::as_str)) {
            format!("did you mean `{s}`?")
        } else {
            "answer only the questions of the methodology, by their ids".to_string()
        };
        let d = Diag::error(Code::DataUnknownQuestion, format!("unknown question `{}`", a.key))
            .at(self.span(&a.key_span), "not a question of this methodology")
            .help(help);
        self.push(d);
    }

    /// Validates one answer.
    fn answer(&mut self, q: &Question, a: &Entry) -> Answer {
        let v = &a.value;
        if let Kind::Table(entries) = &v.kind {
            return self.missing(q, v, entries);
        }
        match &q.ty {
            QuestionType::Number
            | QuestionType::Count
            | QuestionType::Percent
            | QuestionType::Hours
            | QuestionType::Money => self.number(q, v),
            QuestionType::YesNo => self.yesno(q, v),
            QuestionType::Choice(options) => self.choice(q, options, v),
        }
    }

    /// What a question's answer must be, for "`q` must be …".
    fn expected(q: &Question) -> String {
        match &q.ty {
            QuestionType::Count => "a whole number".into(),
            QuestionType::YesNo => "true or false".into(),
            QuestionType::Choice(options) => format!("one of {}", option_list(options)),
            _ => "a number".into(),
        }
    }

    /// `{ "missing": "<reason>", "comment": "…" }`.
    fn missing(&mut self, q: &Question, v: &Node, entries: &[Entry]) -> Answer {
        let mut reason = None;
        let mut ok = true;
        let mut unknown = false;
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for m in entries {
            if let Some(f) = first(&seen, &m.key) {
                self.twice(format!("`{}` of `{}`", m.key, q.id), m, f, "keep one of the two");
                ok = false;
                continue;
            }
            seen.insert(&m.key, m);
            match m.key.as_str() {
                "missing" => match &m.value.kind {
                    Kind::Str(s) => match Reason::parse(s).filter(|r| SUBMITTABLE.contains(r)) {
                        Some(r) => reason = Some(r),
                        None => {
                            self.bad_reason(q, &m.value, Some(s));
                            ok = false;
                        }
                    },
                    _ => {
                        self.bad_reason(q, &m.value, None);
                        ok = false;
                    }
                },
                "comment" => {
                    if !matches!(m.value.kind, Kind::Str(_)) {
                        let d = Diag::error(
                            Code::DataFormat,
                            format!("the comment on `{}` must be a text, found {}", q.id, self.describe(&m.value)),
                        )
                        .at(self.span(&m.value.span), "not a text")
                        .help(format!("write the comment in quotes: `{}`", self.key_value("comment", "\"…\"")));
                        self.push(d);
                        ok = false;
                    }
                }
                other => {
                    let help = match suggest(other, ["missing", "comment"]) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "a missing answer has `missing` (the reason) and optionally `comment`: `{}`",
                            self.missing_example()
                        ),
                    };
                    let d = Diag::error(
                        Code::DataFormat,
                        format!("unknown key `{other}` in the missing answer to `{}`", q.id),
                    )
                    .at(self.span(&m.key_span), "not `missing` or `comment`")
                    .help(help);
                    self.push(d);
                    ok = false;
                    unknown = true;
                }
            }
        }
        if !seen.contains_key("missing") && !unknown {
            let d = Diag::error(
                Code::DataType,
                format!(
                    "`{}` must be {} or a missing answer with `missing`, found {} without `missing`",
                    q.id,
                    Self::expected(q),
                    self.table_noun()
                ),
            )
            .at(self.span(&v.span), "no `missing` in here")
            .help(format!("write the answer, or say why it is missing: `{}`", self.missing_example()));
            self.push(d);
            ok = false;
        }
        match (ok, reason) {
            (true, Some(r)) => Answer::Missing(r),
            _ => Answer::Missing(Reason::Invalid),
        }
    }

    fn bad_reason(&mut self, q: &Question, v: &Node, text: Option<&str>) {
        let list = "`not_submitted`, `not_applicable` and `confidential`";
        let (message, label) = match text.map(|s| (s, Reason::parse(s))) {
            Some((s, Some(_))) => (
                format!("the reason `{s}` cannot be declared in a submission (on `{}`)", q.id),
                "not a reason a submission can give".to_string(),
            ),
            Some((s, None)) => (
                format!("unknown reason {} for the missing answer to `{}`", quote(s), q.id),
                "not a reason".to_string(),
            ),
            None => (
                format!("the reason for the missing answer to `{}` must be a text, found {}", q.id, self.describe(v)),
                "not a reason".to_string(),
            ),
        };
        let names = SUBMITTABLE.map(Reason::as_str);
        let help = match text.and_then(|s| suggest(s, names)) {
            Some(s) => format!("did you mean `{s}`? a submission can give the reasons {list}"),
            None => format!("a submission can give the reasons {list}"),
        };
        let d = Diag::error(Code::DataReason, message).at(self.span(&v.span), label).help(help);
        self.push(d);
    }

    fn number(&mut self, q: &Question, v: &Node) -> Answer {
        let span = self.span(&v.span);
        let invalid = Answer::Missing(Reason::Invalid);
        let expected = Self::expected(q);
        let x = match &v.kind {
            Kind::Num { value, .. } => *value,
            Kind::Str(s) => {
                let help = match loose_number(s) {
                    Some((x, Loose::Plain)) => format!("write the number without quotes: {}", shortest(x)),
                    Some((x, Loose::DecimalComma)) => {
                        format!("write the number without quotes and with a decimal point: {}", shortest(x))
                    }
                    Some((x, Loose::Grouped)) => format!(
                        "write the number without quotes, without spaces or thousands separators, and with a decimal point if it has decimals: {}",
                        shortest(x)
                    ),
                    None => format!(
                        "write a number without quotes, e.g. 12.5, or say why it is missing: `{}`",
                        self.missing_example()
                    ),
                };
                let d =
                    Diag::error(Code::DataType, format!("`{}` must be {expected}, found the text {}", q.id, quote(s)))
                        .at(span, "a text, not a number")
                        .help(help);
                self.push(d);
                return invalid;
            }
            _ => {
                let d =
                    Diag::error(Code::DataType, format!("`{}` must be {expected}, found {}", q.id, self.describe(v)))
                        .at(span, "not a number")
                        .help(format!(
                            "write a number, e.g. 12.5, or say why it is missing: `{}`",
                            self.missing_example()
                        ));
                self.push(d);
                return invalid;
            }
        };
        if !x.is_finite() {
            let d =
                Diag::error(Code::DataType, format!("`{}` must be a finite number, found {}", q.id, self.describe(v)))
                    .at(span, "not a finite number")
                    .help(format!("write the number itself, or say why it is missing: `{}`", self.missing_example()));
            self.push(d);
            return invalid;
        }
        let x = if x == 0.0 { 0.0 } else { x }; // no negative zero
        if q.ty == QuestionType::Count && x.fract() != 0.0 {
            let d = Diag::error(Code::DataType, format!("`{}` must be a whole number, found {}", q.id, shortest(x)))
                .at(span, "not a whole number")
                .help("a count is a whole number: write it without decimals");
            self.push(d);
            return invalid;
        }
        let non_negative = matches!(q.ty, QuestionType::Count | QuestionType::Hours | QuestionType::Money);
        if non_negative && x < 0.0 {
            let d = Diag::error(Code::DataRange, format!("`{}` cannot be negative, found {}", q.id, shortest(x)))
                .at(span, "negative")
                .help(format!("{} is 0 or more: write the value without a minus sign", type_noun(&q.ty)));
            self.push(d);
            return invalid;
        }
        if !q.range.contains(x) {
            let range = q.range.display();
            let unit = if q.unit.is_empty() { String::new() } else { format!(" ({})", q.unit) };
            let d = Diag::error(
                Code::DataRange,
                format!("`{}` must be in the range {range}{unit}, found {}", q.id, shortest(x)),
            )
            .at(span, format!("outside {range}"))
            .help(format!("write a value in {range}, or say why it is missing: `{}`", self.missing_example()));
            self.push(d);
            return invalid;
        }
        Answer::Number(x)
    }

    fn yesno(&mut self, q: &Question, v: &Node) -> Answer {
        let (label, guess) = match &v.kind {
            Kind::Bool(b) => return Answer::Number(if *b { 1.0 } else { 0.0 }),
            Kind::Str(s) => ("a text, not true or false", yes_no_word(s)),
            Kind::Num { value, .. } => (
                "a number, not true or false",
                if *value == 1.0 {
                    Some(true)
                } else if *value == 0.0 {
                    Some(false)
                } else {
                    None
                },
            ),
            _ => ("not true or false", None),
        };
        let help = match guess {
            Some(b) => format!("write true or false without quotes: {b}"),
            None => "write true or false".to_string(),
        };
        let d = Diag::error(Code::DataType, format!("`{}` must be true or false, found {}", q.id, self.describe(v)))
            .at(self.span(&v.span), label)
            .help(help);
        self.push(d);
        Answer::Missing(Reason::Invalid)
    }

    fn choice(&mut self, q: &Question, options: &[ChoiceOption], v: &Node) -> Answer {
        if let Kind::Str(s) = &v.kind {
            if let Some(i) = options.iter().position(|o| o.id == *s) {
                return Answer::Number(i as f64);
            }
        }
        let all = options.iter().map(|o| format!("\"{}\"", o.id)).collect::<Vec<_>>().join(", ");
        let help = match &v.kind {
            Kind::Str(s) => match suggest(s, options.iter().map(|o| o.id.as_str())) {
                Some(best) => format!("did you mean \"{best}\"? write one of {all}"),
                None => format!("write one of {all}"),
            },
            _ => format!("write one of the options in quotes: {all}"),
        };
        let d = Diag::error(
            Code::DataChoice,
            format!("`{}` must be one of {}, found {}", q.id, option_list(options), self.describe(v)),
        )
        .at(self.span(&v.span), "not one of the options")
        .help(help);
        self.push(d);
        Answer::Missing(Reason::Invalid)
    }
}

/// `` `a`, `b` or `c` `` (or "no options").
fn option_list(options: &[ChoiceOption]) -> String {
    let ids: Vec<String> = options.iter().map(|o| format!("`{}`", o.id)).collect();
    match ids.as_slice() {
        [] => "no options".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// "a count", "hours", "an amount of money".
fn type_noun(ty: &QuestionType) -> &'static str {
    match ty {
        QuestionType::Count => "a count",
        QuestionType::Hours => "a number of hours",
        QuestionType::Money => "an amount of money",
        _ => "the value",
    }
}

/// A text in double quotes, shortened if long, with control characters escaped.
fn quote(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let short: String = s.chars().take(MAX).collect();
        let quoted = format!("{short:?}");
        let open = quoted.strip_suffix('"').unwrap_or(&quoted);
        format!("{open}…\"")
    } else {
        format!("{s:?}")
    }
}

/// How a number was written in a text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Loose {
    /// "36.5": a number, only in quotes.
    Plain,
    /// "12,5": a decimal comma.
    DecimalComma,
    /// "1 234", "1,234.5", "1.234,5": with thousands separators.
    Grouped,
}

/// The number a text probably means: "12,5" → 12.5, "1 234" → 1234, "12 %" → 12.
fn loose_number(s: &str) -> Option<(f64, Loose)> {
    let t = s.trim().trim_end_matches('%').trim_end();
    let mut grouped = false;
    let mut compact = String::new();
    for c in t.chars() {
        if c.is_whitespace() || c == '_' || c == '\'' || c == '\u{2009}' || c == '\u{202F}' {
            grouped = true;
        } else {
            compact.push(c);
        }
    }
    if compact.is_empty()
        || !compact.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E'))
        || !compact.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let commas = compact.matches(',').count();
    let dots = compact.matches('.').count();
    let (normal, kind) = match (commas, dots) {
        (0, _) => (compact.clone(), if grouped { Loose::Grouped } else { Loose::Plain }),
        (1, 0) => (compact.replace(',', "."), if grouped { Loose::Grouped } else { Loose::DecimalComma }),
        (_, 0) => (compact.replace(',', ""), Loose::Grouped),
        _ => {
            let last_comma = compact.rfind(',').unwrap_or(0);
            let last_dot = compact.rfind('.').unwrap_or(0);
            if last_comma > last_dot {
                (compact.replace('.', "").replace(',', "."), Loose::Grouped)
            } else {
                (compact.replace(',', ""), Loose::Grouped)
            }
        }
    };
    let x: f64 = normal.parse().ok()?;
    x.is_finite().then_some((if x == 0.0 { 0.0 } else { x }, kind))
}

/// What a yes/no word probably means.
fn yes_no_word(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "да" | "д" | "1" => Some(true),
        "no" | "n" | "false" | "нет" | "н" | "0" => Some(false),
        _ => None,
    }
}
