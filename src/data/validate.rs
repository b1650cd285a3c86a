//! Validation of a submission against the methodology's questions.
//!
//! [`Checker`] holds the rules every format shares: the unit's code, the period, the type, range
//! and options of each answer, the reasons for missing answers, unknown question ids, answers
//! given twice and required questions left unanswered. Each problem is reported at a [`Place`]: a
//! span in a text file (JSON, TOML, CSV), or a named place without text to point into (a cell of
//! an Excel workbook). [`submission`] walks a parsed JSON or TOML tree; `csv.rs` and `xlsx.rs` read
//! rows and cells, turn each value into a [`Kind`] and call the same checks.
//!
//! Every problem is reported; an answer that fails validation becomes missing with reason
//! `invalid`.

use super::{Answer, Answers, Entry, Format, Kind, Node, Submission};
use crate::diagnostics::{suggest, Code, Diag};
use crate::model::{ChoiceOption, Labels, Model, Question, QuestionType, Reason};
use crate::number::shortest;
use crate::source::{FileId, Span};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::ops::Range;

/// The reasons a submission may declare for a missing answer.
pub(super) const SUBMITTABLE: [Reason; 3] = [Reason::NotSubmitted, Reason::NotApplicable, Reason::Confidential];

/// The help for a key given twice, in English and Russian.
const KEEP_ONE: [&str; 2] =
    ["keep one of the two; the second is not used", "оставьте одно из двух: второе не используется"];

/// The keys at the top of a submission.
const TOP_KEYS: [&str; 6] = ["unit", "period", "name", "note", "groups", "answers"];

/// The words read as yes in a spreadsheet or CSV (any case): the English and Russian words that
/// `tamga template` writes, and `true`.
pub const YES_WORDS: [&str; 3] = ["yes", "да", "true"];

/// The words read as no in a spreadsheet or CSV (any case).
pub const NO_WORDS: [&str; 3] = ["no", "нет", "false"];

/// A validated submission and where its `unit` is written (for duplicate reports).
pub(super) struct Loaded {
    pub(super) sub: Submission,
    pub(super) unit_at: Place,
}

/// Where a value is written, for diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Place {
    /// A byte range in a text file (JSON, TOML, CSV).
    Text(Span),
    /// A place without text to point into, named in words: "`am.xlsx`, sheet «Trade
    /// facilitation», cell E7".
    Named(String),
}

impl Place {
    /// Puts a diagnostic at this place: a labelled span, or the place's name before the message.
    pub(super) fn put(&self, mut d: Diag, label: impl Into<String>) -> Diag {
        match self {
            Place::Text(span) => d.at(*span, label),
            Place::Named(name) => {
                d.message = format!("{name}: {}", d.message);
                if let Some(t) = d.ru.as_mut() {
                    t.message = format!("{}: {}", named_ru(name), t.message);
                }
                d
            }
        }
    }

    /// Adds another place, labelled in English and Russian: a labelled span, or "(label: name)"
    /// after the message.
    pub(super) fn also(&self, mut d: Diag, label: impl Into<String>, label_ru: impl Into<String>) -> Diag {
        match self {
            Place::Text(span) => d.also(*span, label).ru_also(label_ru),
            Place::Named(name) => {
                d.message = format!("{} ({}: {name})", d.message, label.into());
                if let Some(t) = d.ru.as_mut() {
                    t.message = format!("{} ({}: {})", t.message, label_ru.into(), named_ru(name));
                }
                d
            }
        }
    }
}

/// Validates a parsed JSON or TOML file. Returns no submission if `unit`, `period` or `answers`
/// is unusable.
pub(super) fn submission(
    model: &Model,
    file: FileId,
    format: Format,
    text: &str,
    root: &Node,
    display: &str,
    sha256: String,
) -> (Option<Loaded>, Vec<Diag>) {
    let mut v = Validator { c: Checker::new(model, format), file, text };
    let sub = v.top(root, display, sha256);
    (sub, v.c.diags)
}

/// The value a text in a CSV file or a spreadsheet cell stands for, given the question it answers:
/// a plain number (`12.5`, `-3`, `1e6`) for number questions, yes or no for yes/no questions (the
/// words of [`YES_WORDS`] and [`NO_WORDS`], in any case); otherwise the text itself, which the
/// checks then report with a hint. Surrounding spaces are ignored.
pub(super) fn text_value(q: &Question, s: &str) -> Kind {
    let t = s.trim();
    match &q.ty {
        QuestionType::YesNo => {
            let lower = t.to_lowercase();
            if YES_WORDS.contains(&lower.as_str()) {
                return Kind::Bool(true);
            }
            if NO_WORDS.contains(&lower.as_str()) {
                return Kind::Bool(false);
            }
        }
        QuestionType::Choice(_) => {}
        _ => {
            if let Some(kind) = plain_number(t) {
                return kind;
            }
        }
    }
    Kind::Str(t.to_string())
}

/// A number written plainly: digits, an optional sign, decimal point and exponent.
fn plain_number(t: &str) -> Option<Kind> {
    if t.is_empty()
        || !t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        || !t.bytes().next().is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+'))
    {
        return None;
    }
    let value: f64 = t.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let int = if t.bytes().any(|c| matches!(c, b'.' | b'e' | b'E')) {
        None
    } else {
        Some(t.parse::<i128>().map(|n| n.to_string()).unwrap_or_else(|_| t.to_string()))
    };
    Some(Kind::Num { value, int })
}

/// A number read from a spreadsheet cell; whole numbers keep their decimal text.
pub(super) fn number_kind(value: f64) -> Kind {
    let int = (value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15).then(|| format!("{}", value as i64));
    Kind::Num { value, int }
}

/// The rules every format shares. Problems go to `diags`.
pub(super) struct Checker<'a> {
    pub(super) model: &'a Model,
    pub(super) format: Format,
    pub(super) diags: Vec<Diag>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(model: &'a Model, format: Format) -> Self {
        Checker { model, format, diags: vec![] }
    }

    fn push(&mut self, d: Diag) {
        self.diags.push(d);
    }

    /// Reports `d` at `at`.
    fn report(&mut self, d: Diag, at: &Place, label: impl Into<String>) {
        let d = at.put(d, label);
        self.push(d);
    }

    /// "an object" (JSON) or "a table" (TOML).
    fn table_noun(&self) -> &'static str {
        match self.format {
            Format::Json => "an object",
            Format::Toml => "a table",
            Format::Csv | Format::Xlsx => "a table",
        }
    }

    /// [`Self::table_noun`] in Russian: "объект" (JSON) or "таблица", and its instrumental case
    /// ("должно быть объектом").
    fn table_noun_ru(&self) -> (&'static str, &'static str) {
        match self.format {
            Format::Json => ("объект", "объектом"),
            _ => ("таблица", "таблицей"),
        }
    }

    /// How a missing answer is declared, in this file's syntax.
    fn missing_example(&self) -> &'static str {
        match self.format {
            Format::Json => r#"{ "missing": "not_applicable" }"#,
            Format::Toml => r#"{ missing = "not_applicable" }"#,
            Format::Csv => "leave `answer` empty and write the reason in `missing`, e.g. not_applicable",
            Format::Xlsx => "leave the answer empty and choose the reason in column F, e.g. not_applicable",
        }
    }

    /// [`Self::say_missing`] in Russian.
    fn say_missing_ru(&self) -> String {
        match self.format {
            Format::Json => "укажите причину отсутствия: `{ \"missing\": \"not_applicable\" }`".to_string(),
            Format::Toml => "укажите причину отсутствия: `{ missing = \"not_applicable\" }`".to_string(),
            Format::Csv => {
                "укажите причину отсутствия: оставьте `answer` пустым и напишите причину в `missing`, например not_applicable"
                    .to_string()
            }
            Format::Xlsx => {
                "укажите причину отсутствия: оставьте ответ пустым и выберите причину в столбце F, например not_applicable"
                    .to_string()
            }
        }
    }

    /// "true or false" / "yes or no" in Russian.
    fn yes_or_no_ru(&self) -> &'static str {
        match self.format {
            Format::Json | Format::Toml => "true или false",
            Format::Csv | Format::Xlsx => "да или нет",
        }
    }

    /// What a question's answer must be, in Russian ("целым числом").
    fn expected_ru(&self, q: &Question) -> String {
        match &q.ty {
            QuestionType::Count => "целым числом".into(),
            QuestionType::YesNo => self.yes_or_no_ru().into(),
            QuestionType::Choice(options) => {
                format!("одним из вариантов {}", option_list(options).replace(" or ", " или "))
            }
            _ => "числом".into(),
        }
    }

    /// "say why it is missing: …", in this file's terms.
    fn say_missing(&self) -> String {
        match self.format {
            Format::Json | Format::Toml => format!("say why it is missing: `{}`", self.missing_example()),
            Format::Csv | Format::Xlsx => format!("say why it is missing: {}", self.missing_example()),
        }
    }

    /// `key: value` in this file's syntax (a spreadsheet or CSV cell holds the bare value).
    fn key_value(&self, key: &str, value: &str) -> String {
        match self.format {
            Format::Json => format!("\"{key}\": {value}"),
            Format::Toml => format!("{key} = {value}"),
            Format::Csv | Format::Xlsx => value.trim_matches('"').to_string(),
        }
    }

    /// "write", or "enter" for a spreadsheet.
    fn write(&self) -> &'static str {
        match self.format {
            Format::Xlsx => "enter",
            _ => "write",
        }
    }

    /// A short description of a value, for "found …".
    pub(super) fn describe(&self, kind: &Kind) -> String {
        match kind {
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
            Kind::Error(e) => format!("the spreadsheet error {e}"),
            Kind::Array(items) if items.is_empty() => "an empty list".into(),
            Kind::Array(_) => "a list".into(),
            Kind::Table(_) => self.table_noun().into(),
        }
    }

    // ───────────────────────────── unit and period ─────────────────────────────

    /// The unit's code.
    pub(super) fn unit(&mut self, v: &Kind, at: &Place) -> Option<String> {
        let (message, label, help) = match v {
            Kind::Str(s) if !s.is_empty() && s.chars().all(unit_char) => return Some(s.clone()),
            Kind::Str(s) if !s.is_empty() && !s.chars().any(char::is_whitespace) => {
                let bad = s.chars().find(|c| !unit_char(*c)).unwrap_or(' ');
                let what = if bad.is_control() || bad.escape_debug().count() > 1 {
                    format!("the invisible or control character U+{:04X}", u32::from(bad))
                } else if bad.is_alphabetic() {
                    format!("the non-Latin letter `{bad}` (U+{:04X})", u32::from(bad))
                } else {
                    format!("`{bad}`")
                };
                (
                    format!("`unit` must be a code of Latin letters, digits, `-`, `_`, `.` and `/`, found {}", quote(s)),
                    format!("holds {what}"),
                    "write the unit's code in Latin letters and digits (e.g. AM, or AM-01 for a customs post); a full name goes in `name`".to_string(),
                )
            }
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
                match self.format {
                    Format::Xlsx => format!(
                        "enter the code as a text (type an apostrophe first: '{n}), or the letter code, e.g. AM"
                    ),
                    _ => format!("write the code in quotes: \"{n}\""),
                },
            ),
            _ => (
                format!("`unit` must be a text, found {}", self.describe(v)),
                "not a text".to_string(),
                format!("write the unit's code, e.g. `{}`", self.key_value("unit", "\"AM\"")),
            ),
        };
        let found = match v {
            Kind::Str(s) if s.trim().is_empty() => "пусто".to_string(),
            _ => super::ru::describe(&self.describe(v)),
        };
        let help_ru = match (v, self.format) {
            (Kind::Num { int: Some(n), .. }, Format::Xlsx) => {
                format!("введите код как текст (начав с апострофа: '{n}) или буквенный код, например AM")
            }
            (Kind::Num { int: Some(n), .. }, _) => format!("напишите код в кавычках: \"{n}\""),
            _ => format!(
                "напишите код государства без пробелов, например `{}`; полное название — в `name`",
                self.key_value("unit", "\"AM\"")
            ),
        };
        let d = Diag::error(Code::DataFormat, message).help(help).ru(
            format!("код государства (`unit`) должен быть текстом без пробелов, а указано: {found}"),
            Some("не код государства".into()),
            Some(help_ru),
        );
        self.report(d, at, label);
        None
    }

    /// The period: a text, or a whole number turned into its decimal text.
    pub(super) fn period(&mut self, v: &Kind, at: &Place) -> Option<String> {
        let (message, label, help) = match v {
            // a number with a fraction written as text (`2023.0` from a spreadsheet's CSV) would
            // be a period of its own beside `2023`: refused as JSON refuses the number 2023.0
            Kind::Str(s) if s.contains('.') && s.parse::<f64>().is_ok() => (
                format!("`period` must be a whole number or a text such as 2023-Q1, found {}", quote(s)),
                "a number with a fraction".to_string(),
                match s.parse::<f64>() {
                    Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("write {}", quote(&format!("{x:.0}"))),
                    _ => format!(
                        "write the period as a whole number or a text, e.g. `{}`",
                        self.key_value("period", "\"2023\"")
                    ),
                },
            ),
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
        let found = match v {
            Kind::Str(s) if s.trim().is_empty() => "пусто".to_string(),
            _ => super::ru::describe(&self.describe(v)),
        };
        let d = Diag::error(Code::DataFormat, message).help(help).ru(
            format!("период (`period`) должен быть текстом без пробелов по краям или целым числом, а указано: {found}"),
            Some("не период".into()),
            Some(format!("укажите период, например `{}`", self.key_value("period", "\"2023\""))),
        );
        self.report(d, at, label);
        None
    }

    /// A group membership: the key must be an id (a letter or `_`, then letters, digits and `_`),
    /// the label a text that is not empty. `None` (reported) otherwise.
    pub(super) fn group(&mut self, key: &str, key_at: &Place, v: &Kind, at: &Place) -> Option<String> {
        if !is_id(key) {
            let d = Diag::error(Code::DataFormat, format!("the group key {} is not an id", quote(key)))
                .help("a group key is written like an id: a letter or `_`, then letters, digits and `_` (EurAsia_group)")
                .ru(
                    format!("ключ группы {} не является идентификатором", quote(key)),
                    Some("не идентификатор".into()),
                    Some("ключ группы пишется как идентификатор: латинская буква или `_`, затем латинские буквы, цифры и `_` (EurAsia_group)".into()),
                );
            self.report(d, key_at, "not an id");
            return None;
        }
        let example = self.key_value(key, "\"Asia\"");
        let (message, label, message_ru, label_ru) = match v {
            Kind::Str(s) if !s.trim().is_empty() => return Some(s.trim().to_string()),
            Kind::Str(_) => (
                format!("the group `{key}` is empty"),
                "no label",
                format!("группа `{key}` не указана (пусто)"),
                "пусто",
            ),
            _ => (
                format!("the group `{key}` must be a text, found {}", self.describe(v)),
                "not a text",
                format!("группа `{key}` должна быть текстом, а указано: {}", super::ru::describe(&self.describe(v))),
                "не текст",
            ),
        };
        let (help, help_ru) = match self.format {
            Format::Json | Format::Toml => (
                format!("write the unit's group in quotes, `{example}`, or leave the key out"),
                format!("напишите группу государства в кавычках, `{example}`, или уберите этот ключ"),
            ),
            Format::Csv | Format::Xlsx => (
                "write the unit's group, or leave the cell empty".to_string(),
                format!(
                    "{} группу государства или оставьте ячейку пустой",
                    super::ru::write(self.format == Format::Xlsx)
                ),
            ),
        };
        let d = Diag::error(Code::DataFormat, message).help(help).ru(message_ru, Some(label_ru.into()), Some(help_ru));
        self.report(d, at, label);
        None
    }

    // ───────────────────────────── answers ─────────────────────────────

    /// Reports a key (or a row) given a second time: `what` and `help` in English and Russian.
    pub(super) fn twice(&mut self, what: [String; 2], again: &Place, again_key: &str, first: &Place, help: [&str; 2]) {
        let [what, what_ru] = what;
        let d = Diag::error(Code::DataFormat, format!("{what} given twice")).help(help[0].to_string()).ru(
            format!("дважды указано: {what_ru}"),
            Some(format!("`{again_key}` ещё раз")),
            Some(help[1].to_string()),
        );
        let d = again.put(d, format!("`{again_key}` again"));
        let d = first.also(d, "first given here", "впервые указано");
        self.push(d);
    }

    /// Reports an answer to a question the methodology does not have.
    pub(super) fn unknown_question(&mut self, key: &str, at: &Place) {
        let model = self.model;
        let lookalike = crate::diagnostics::lookalike(key);
        // looked for once: a suggestion scans every question id
        let suggestion = suggest(key, model.questions.keys().map(String::as_str));
        let help = if let Some((note, fixed)) = &lookalike {
            format!("{note}; did you mean `{fixed}`? question ids are written in Latin letters")
        } else if self.format == Format::Toml && TOP_KEYS.contains(&key) {
            format!(
                "in TOML every line after `[answers]` belongs to `answers`: move `{key}` above the `[answers]` line"
            )
        } else if let Some(s) = &suggestion {
            format!("did you mean `{s}`?")
        } else {
            "answer only the questions of the methodology, by their ids".to_string()
        };
        let help_ru = if let Some((_, fixed)) = &lookalike {
            format!("возможно, имелось в виду `{fixed}`? идентификаторы вопросов пишутся латиницей")
        } else if self.format == Format::Toml && TOP_KEYS.contains(&key) {
            format!(
                "в TOML все строки после `[answers]` относятся к `answers`: перенесите `{key}` выше строки `[answers]`"
            )
        } else if let Some(s) = &suggestion {
            format!("возможно, имелось в виду `{s}`?")
        } else {
            "отвечайте только на вопросы методики, по их идентификаторам".to_string()
        };
        let d = Diag::error(Code::DataUnknownQuestion, format!("unknown question `{key}`")).help(help).ru(
            format!("неизвестный вопрос `{key}`"),
            Some("такого вопроса в методике нет".into()),
            Some(help_ru),
        );
        self.report(d, at, "not a question of this methodology");
    }

    /// Warns that a required question is not answered. `whose` names the submission when a file
    /// holds several (CSV).
    pub(super) fn not_answered(&mut self, q: &Question, at: &Place, whose: Option<&str>, help: String) {
        let whose_ru = whose.map(|w| format!(" ({w})")).unwrap_or_default();
        let whose = whose.map(|w| format!(" for {w}")).unwrap_or_default();
        let d = Diag::warning(
            Code::DataRequired,
            format!("required question `{}` is not answered{whose}; it counts as not submitted", q.id),
        )
        .help(help)
        .ru(
            format!("нет ответа на обязательный вопрос `{}`{whose_ru}; он считается непредставленным", q.id),
            Some(format!("здесь нет ответа на `{}`", q.id)),
            Some(format!("дайте ответ на `{}` или {}", q.id, self.say_missing_ru())),
        );
        self.report(d, at, format!("no answer to `{}` in here", q.id));
    }

    /// Validates an answer's value (not a declaration of a missing answer).
    pub(super) fn value(&mut self, q: &Question, v: &Kind, at: &Place) -> Answer {
        match &q.ty {
            QuestionType::Number
            | QuestionType::Count
            | QuestionType::Percent
            | QuestionType::Hours
            | QuestionType::Money => self.number(q, v, at),
            QuestionType::YesNo => self.yesno(q, v, at),
            QuestionType::Choice(options) => self.choice(q, options, v, at),
        }
    }

    /// What a question's answer must be, for "`q` must be …".
    pub(super) fn expected(&self, q: &Question) -> String {
        match &q.ty {
            QuestionType::Count => "a whole number".into(),
            QuestionType::YesNo => self.yes_or_no().into(),
            QuestionType::Choice(options) => format!("one of {}", option_list(options)),
            _ => "a number".into(),
        }
    }

    /// "true or false" (JSON, TOML) or "yes or no" (spreadsheets, CSV).
    fn yes_or_no(&self) -> &'static str {
        match self.format {
            Format::Json | Format::Toml => "true or false",
            Format::Csv | Format::Xlsx => "yes or no",
        }
    }

    /// The reason for a missing answer; `None` (reported) if it is not one a submission can give.
    pub(super) fn reason(&mut self, q: &Question, v: &Kind, at: &Place) -> Option<Reason> {
        let text = match v {
            Kind::Str(s) => {
                if let Some(r) = Reason::parse(s).filter(|r| SUBMITTABLE.contains(r)) {
                    return Some(r);
                }
                // a spreadsheet's or CSV's list offers the reasons in words, in either language
                if matches!(self.format, Format::Csv | Format::Xlsx) {
                    if let Some(r) = reason_word(s) {
                        return Some(r);
                    }
                }
                Some(s.as_str())
            }
            _ => None,
        };
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
        let ru_list =
            "`not_submitted` (не представлено), `not_applicable` (неприменимо) и `confidential` (конфиденциально)";
        let (message_ru, label_ru) = match text.map(|s| (s, Reason::parse(s))) {
            Some((s, Some(_))) => (
                format!("причину `{s}` нельзя указать в представленных данных (вопрос `{}`)", q.id),
                "эту причину нельзя указать в анкете",
            ),
            Some((s, None)) => {
                (format!("неизвестная причина {} отсутствия ответа на `{}`", quote(s), q.id), "это не причина")
            }
            None => (
                format!(
                    "причина отсутствия ответа на `{}` должна быть текстом, а указано: {}",
                    q.id,
                    super::ru::describe(&self.describe(v))
                ),
                "это не причина",
            ),
        };
        let help_ru = match text.and_then(|s| suggest(s, names)) {
            Some(s) => format!("возможно, имелось в виду `{s}`? в анкете можно указать причины {ru_list}"),
            None => format!("в анкете можно указать причины {ru_list}"),
        };
        let d = Diag::error(Code::DataReason, message).help(help).ru(message_ru, Some(label_ru.into()), Some(help_ru));
        self.report(d, at, label);
        None
    }

    /// An answer and a reason for a missing answer on one row (CSV, spreadsheets).
    pub(super) fn answer_and_reason(&mut self, q: &Question, at: &Place) -> Answer {
        let d = Diag::error(
            Code::DataReason,
            format!("`{}` has both an answer and a reason why the answer is missing", q.id),
        )
        .help("keep the answer and clear the reason, or clear the answer and keep the reason")
        .ru(
            format!("у `{}` есть и ответ, и причина отсутствия ответа", q.id),
            Some("и ответ, и причина".into()),
            Some("оставьте ответ и удалите причину или удалите ответ и оставьте причину".into()),
        );
        self.report(d, at, "an answer and a reason");
        Answer::Missing(Reason::Invalid)
    }

    fn number(&mut self, q: &Question, v: &Kind, at: &Place) -> Answer {
        let invalid = Answer::Missing(Reason::Invalid);
        let expected = self.expected(q);
        let x = match v {
            Kind::Num { value, .. } => *value,
            Kind::Str(s) => {
                let help = match (self.format, loose_number(s)) {
                    (Format::Json | Format::Toml, Some((x, Loose::Plain))) => {
                        format!("write the number without quotes: {}", shortest(x))
                    }
                    (Format::Json | Format::Toml, Some((x, Loose::DecimalComma))) => {
                        format!("write the number without quotes and with a decimal point: {}", shortest(x))
                    }
                    (Format::Json | Format::Toml, Some((x, Loose::Grouped))) => format!(
                        "write the number without quotes, without spaces or thousands separators, and with a decimal point if it has decimals: {}",
                        shortest(x)
                    ),
                    (Format::Json | Format::Toml, None) => {
                        format!("write a number without quotes, e.g. 12.5, or {}", self.say_missing())
                    }
                    (Format::Xlsx, Some((x, _))) => format!(
                        "enter the number as a number, not as a text (the cell must not be formatted as text), without spaces or thousands separators: {}",
                        shortest(x)
                    ),
                    (Format::Csv, Some((x, Loose::DecimalComma))) => {
                        format!("write the number with a decimal point: {}", shortest(x))
                    }
                    (Format::Csv, Some((x, _))) => format!(
                        "write the number without spaces or thousands separators, and with a decimal point if it has decimals: {}",
                        shortest(x)
                    ),
                    (Format::Csv | Format::Xlsx, None) => {
                        format!("{} a number, e.g. 12.5, or {}", self.write(), self.say_missing())
                    }
                };
                let help_ru = match loose_number(s) {
                    Some((x, _)) if self.format == Format::Xlsx => format!(
                        "введите число как число, а не как текст (ячейка не должна иметь текстовый формат), без пробелов и разделителей тысяч: {}",
                        shortest(x)
                    ),
                    Some((x, _)) if self.format == Format::Csv => format!(
                        "напишите число без пробелов и разделителей тысяч, дробную часть — через точку: {}",
                        shortest(x)
                    ),
                    Some((x, _)) => format!(
                        "напишите число без кавычек, без пробелов и разделителей тысяч, дробную часть — через точку: {}",
                        shortest(x)
                    ),
                    None => format!("{} число, например 12.5, или {}", super::ru::write(self.format == Format::Xlsx), self.say_missing_ru()),
                };
                let d =
                    Diag::error(Code::DataType, format!("`{}` must be {expected}, found the text {}", q.id, quote(s)))
                        .help(help)
                        .ru(
                            format!(
                                "ответ на `{}` должен быть {}, а указан текст {}",
                                q.id,
                                self.expected_ru(q),
                                quote(s)
                            ),
                            Some("текст, а не число".into()),
                            Some(help_ru),
                        );
                self.report(d, at, "a text, not a number");
                return invalid;
            }
            _ => {
                let d =
                    Diag::error(Code::DataType, format!("`{}` must be {expected}, found {}", q.id, self.describe(v)))
                        .help(format!("{} a number, e.g. 12.5, or {}", self.write(), self.say_missing()))
                        .ru(
                            format!(
                                "ответ на `{}` должен быть {}, а указано: {}",
                                q.id,
                                self.expected_ru(q),
                                super::ru::describe(&self.describe(v))
                            ),
                            Some("не число".into()),
                            Some(format!(
                                "{} число, например 12.5, или {}",
                                super::ru::write(self.format == Format::Xlsx),
                                self.say_missing_ru()
                            )),
                        );
                self.report(d, at, "not a number");
                return invalid;
            }
        };
        if !x.is_finite() {
            let d =
                Diag::error(Code::DataType, format!("`{}` must be a finite number, found {}", q.id, self.describe(v)))
                    .help(format!("write the number itself, or {}", self.say_missing()))
                    .ru(
                        format!(
                            "ответ на `{}` должен быть конечным числом, а указано: {}",
                            q.id,
                            super::ru::describe(&self.describe(v))
                        ),
                        Some("не конечное число".into()),
                        Some(format!("напишите само число или {}", self.say_missing_ru())),
                    );
            self.report(d, at, "not a finite number");
            return invalid;
        }
        let x = if x == 0.0 { 0.0 } else { x }; // no negative zero
        if q.ty == QuestionType::Count && x.fract() != 0.0 {
            let d = Diag::error(Code::DataType, format!("`{}` must be a whole number, found {}", q.id, shortest(x)))
                .help("a count is a whole number: write it without decimals")
                .ru(
                    format!(
                        "ответ на `{}` должен быть целым числом, а указано {}",
                        q.id,
                        crate::i18n::number(crate::i18n::Lang::Ru, &shortest(x))
                    ),
                    Some("не целое число".into()),
                    Some("количество — целое число: напишите его без дробной части".into()),
                );
            self.report(d, at, "not a whole number");
            return invalid;
        }
        let non_negative = matches!(q.ty, QuestionType::Count | QuestionType::Hours | QuestionType::Money);
        if non_negative && x < 0.0 {
            let d = Diag::error(Code::DataRange, format!("`{}` cannot be negative, found {}", q.id, shortest(x)))
                .help(format!("{} is 0 or more: write the value without a minus sign", type_noun(&q.ty)))
                .ru(
                    format!(
                        "ответ на `{}` не может быть отрицательным, а указано {}",
                        q.id,
                        crate::i18n::number(crate::i18n::Lang::Ru, &shortest(x))
                    ),
                    Some("отрицательное число".into()),
                    Some("значение не меньше 0: напишите его без знака минус".into()),
                );
            self.report(d, at, "negative");
            return invalid;
        }
        if !q.range.contains(x) {
            let range = q.range.display();
            let unit = if q.unit.is_empty() { String::new() } else { format!(" ({})", q.unit) };
            let d = Diag::error(
                Code::DataRange,
                format!("`{}` must be in the range {range}{unit}, found {}", q.id, shortest(x)),
            )
            .help(format!("write a value in {range}, or {}", self.say_missing()))
            .ru(
                format!(
                    "ответ на `{}` должен лежать в пределах {range}{}, а указано {}",
                    q.id,
                    if q.unit.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", crate::i18n::unit_label(crate::i18n::Lang::Ru, &q.unit, &q.unit_labels))
                    },
                    crate::i18n::number(crate::i18n::Lang::Ru, &shortest(x))
                ),
                Some(format!("вне {range}")),
                Some(format!("укажите значение в пределах {range} или {}", self.say_missing_ru())),
            );
            self.report(d, at, format!("outside {range}"));
            return invalid;
        }
        Answer::Number(x)
    }

    fn yesno(&mut self, q: &Question, v: &Kind, at: &Place) -> Answer {
        let (label, guess) = match v {
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
        let (label, help) = match self.format {
            Format::Json | Format::Toml => (
                label.to_string(),
                match guess {
                    Some(b) => format!("write true or false without quotes: {b}"),
                    None => "write true or false".to_string(),
                },
            ),
            Format::Xlsx => (
                "not yes or no".to_string(),
                "choose yes or no from the cell's list (да or нет in a Russian questionnaire)".to_string(),
            ),
            Format::Csv => ("not yes or no".to_string(), "write yes or no (or да or нет)".to_string()),
        };
        let help_ru = match self.format {
            Format::Json | Format::Toml => "напишите true или false без кавычек",
            Format::Xlsx => "выберите «да» или «нет» из списка ячейки",
            Format::Csv => "напишите да или нет (или yes, no)",
        };
        let d =
            Diag::error(Code::DataType, format!("`{}` must be {}, found {}", q.id, self.yes_or_no(), self.describe(v)))
                .help(help)
                .ru(
                    format!(
                        "ответ на `{}` должен быть {}, а указано: {}",
                        q.id,
                        self.yes_or_no_ru(),
                        super::ru::describe(&self.describe(v))
                    ),
                    Some(format!("не {}", self.yes_or_no_ru())),
                    Some(help_ru.into()),
                );
        self.report(d, at, label);
        Answer::Missing(Reason::Invalid)
    }

    fn choice(&mut self, q: &Question, options: &[ChoiceOption], v: &Kind, at: &Place) -> Answer {
        if let Kind::Str(s) = v {
            if let Some(i) = options.iter().position(|o| o.id == *s) {
                return Answer::Number(i as f64);
            }
            // a spreadsheet's or CSV's list offers the options' labels, in either language
            if matches!(self.format, Format::Csv | Format::Xlsx) {
                if let Some(i) = option_by_label(options, s) {
                    return Answer::Number(i as f64);
                }
            }
        }
        let all = options.iter().map(|o| format!("\"{}\"", o.id)).collect::<Vec<_>>().join(", ");
        let verb = if self.format == Format::Xlsx { "choose" } else { "write" };
        let help = match v {
            Kind::Str(s) => match suggest(s, options.iter().map(|o| o.id.as_str())) {
                Some(best) => format!("did you mean \"{best}\"? {verb} one of {all}"),
                None => format!("{verb} one of {all}"),
            },
            _ => match self.format {
                Format::Json | Format::Toml => format!("write one of the options in quotes: {all}"),
                Format::Xlsx => format!("choose one of the options from the cell's list: {all}"),
                Format::Csv => format!("write one of the options: {all}"),
            },
        };
        let verb_ru = if self.format == Format::Xlsx { "выберите" } else { "напишите" };
        let help_ru = match v {
            Kind::Str(s) => match suggest(s, options.iter().map(|o| o.id.as_str())) {
                Some(best) => format!("возможно, имелось в виду \"{best}\"? {verb_ru} один из вариантов: {all}"),
                None => format!("{verb_ru} один из вариантов: {all}"),
            },
            _ => format!("{verb_ru} один из вариантов: {all}"),
        };
        let d = Diag::error(
            Code::DataChoice,
            format!("`{}` must be one of {}, found {}", q.id, option_list(options), self.describe(v)),
        )
        .help(help)
        .ru(
            format!(
                "ответ на `{}` должен быть {}, а указано: {}",
                q.id,
                self.expected_ru(q),
                super::ru::describe(&self.describe(v))
            ),
            Some("не из списка вариантов".into()),
            Some(help_ru),
        );
        self.report(d, at, "not one of the options");
        Answer::Missing(Reason::Invalid)
    }
}

/// Walks a JSON or TOML tree.
struct Validator<'a> {
    c: Checker<'a>,
    file: FileId,
    text: &'a str,
}

/// The first entry with this key, if any.
fn first<'e>(seen: &HashMap<&str, &'e Entry>, key: &str) -> Option<&'e Entry> {
    seen.get(key).copied()
}

impl<'a> Validator<'a> {
    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.file, r.start, r.end)
    }

    fn place(&self, r: &Range<usize>) -> Place {
        Place::Text(self.span(r))
    }

    fn push(&mut self, d: Diag) {
        self.c.push(d);
    }

    fn format(&self) -> Format {
        self.c.format
    }

    /// A span over the first character of a node (where "this file has no `unit`" points).
    fn head(&self, node: &Node) -> Span {
        let at = node.span.start;
        let len = self.text.get(at..).and_then(|t| t.chars().next()).map(char::len_utf8).unwrap_or(0);
        let end = if node.span.is_empty() { at } else { (at + len).min(node.span.end) };
        Span::new(self.file, at, end)
    }

    /// Reports a key given a second time in the same table.
    fn twice(&mut self, what: [String; 2], again: &Entry, first: &Entry, help: [&str; 2]) {
        let (a, f) = (self.place(&again.key_span), self.place(&first.key_span));
        self.c.twice(what, &a, &again.key, &f, help);
    }

    // ───────────────────────────── the top level ─────────────────────────────

    fn top(&mut self, root: &Node, display: &str, sha256: String) -> Option<Loaded> {
        let Kind::Table(entries) = &root.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "the submission must be {} with `unit`, `period` and `answers`, found {}",
                    self.c.table_noun(),
                    self.c.describe(&root.kind)
                ),
            )
            .at(self.span(&root.span), format!("not {}", self.c.table_noun()))
            .help(format!(
                "write {{ {}, {}, {} }}",
                self.c.key_value("unit", "\"AM\""),
                self.c.key_value("period", "\"2023\""),
                self.c.key_value("answers", "{ … }")
            ))
            .ru(
                format!(
                    "представленные данные должны быть {} с `unit`, `period` и `answers`, а указано: {}",
                    self.c.table_noun_ru().1,
                    super::ru::describe(&self.c.describe(&root.kind))
                ),
                Some(format!("не {}", self.c.table_noun_ru().0)),
                Some(format!(
                    "напишите {{ {}, {}, {} }}",
                    self.c.key_value("unit", "\"AM\""),
                    self.c.key_value("period", "\"2023\""),
                    self.c.key_value("answers", "{ … }")
                )),
            );
            self.push(d);
            return None;
        };

        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        let mut unit: Option<(String, Place)> = None;
        let mut period: Option<String> = None;
        let mut name = Labels::new();
        let mut groups = IndexMap::new();
        let mut note = None;
        let mut answers: Option<Answers> = None;
        for e in entries {
            if let Some(f) = first(&seen, &e.key) {
                self.twice([format!("`{}`", e.key), format!("ключ `{}`", e.key)], e, f, KEEP_ONE);
                continue;
            }
            seen.insert(&e.key, e);
            match e.key.as_str() {
                "unit" => {
                    let at = self.place(&e.value.span);
                    unit = self.c.unit(&e.value.kind, &at).map(|u| (u, at));
                }
                "period" => period = self.c.period(&e.value.kind, &self.place(&e.value.span)),
                "name" => name = self.name(e),
                "groups" => groups = self.groups(e),
                "note" => note = self.note(e),
                "answers" => answers = self.answers(e),
                _ => self.unknown_top(e),
            }
        }
        for (key, example) in [("unit", "\"AM\""), ("period", "\"2023\""), ("answers", "{ … }")] {
            if !seen.contains_key(key) {
                let help = match (self.format(), key) {
                    (Format::Toml, "answers") => "add an `[answers]` table after `unit` and `period`".to_string(),
                    (Format::Toml, _) => format!("add `{}` at the top of the file", self.c.key_value(key, example)),
                    _ => format!("add `{}`", self.c.key_value(key, example)),
                };
                let what_ru = match key {
                    "unit" => "кода государства",
                    "period" => "периода",
                    _ => "ответов",
                };
                let help_ru = match (self.format(), key) {
                    (Format::Toml, "answers") => "добавьте таблицу `[answers]` после `unit` и `period`".to_string(),
                    (Format::Toml, _) => format!("добавьте `{}` в начало файла", self.c.key_value(key, example)),
                    _ => format!("добавьте `{}`", self.c.key_value(key, example)),
                };
                let d = Diag::error(Code::DataFormat, format!("the submission has no `{key}`"))
                    .at(self.head(root), format!("`{key}` is missing in this submission"))
                    .help(help)
                    .ru(
                        format!("в представленных данных нет `{key}` ({what_ru})"),
                        Some(format!("здесь нет `{key}`")),
                        Some(help_ru),
                    );
                self.push(d);
            }
        }
        let ((unit, unit_at), period, answers) = (unit?, period?, answers?);
        let sub = Submission { unit, period, name, groups, note, file: display.to_string(), sha256, answers };
        Some(Loaded { sub, unit_at })
    }

    fn unknown_top(&mut self, e: &Entry) {
        let help = if self.c.model.questions.contains_key(&e.key) {
            match self.format() {
                Format::Toml => format!("`{}` is a question: move this line below the `[answers]` line", e.key),
                _ => format!("`{}` is a question: move it into `answers`", e.key),
            }
        } else if let Some(s) = suggest(&e.key, TOP_KEYS) {
            format!("did you mean `{s}`?")
        } else {
            "the keys of a submission are `unit`, `period`, `name`, `note`, `groups` and `answers`".to_string()
        };
        let help_ru = if self.c.model.questions.contains_key(&e.key) {
            match self.format() {
                Format::Toml => format!("`{}` — вопрос: перенесите эту строку ниже строки `[answers]`", e.key),
                _ => format!("`{}` — вопрос: перенесите его в `answers`", e.key),
            }
        } else if let Some(s) = suggest(&e.key, TOP_KEYS) {
            format!("возможно, имелось в виду `{s}`?")
        } else {
            "ключи представленных данных: `unit`, `period`, `name`, `note`, `groups` и `answers`".to_string()
        };
        let d = Diag::error(Code::DataFormat, format!("unknown key `{}` in the submission", e.key))
            .at(self.span(&e.key_span), "not a key of a submission")
            .help(help)
            .ru(
                format!("неизвестный ключ `{}` в представленных данных", e.key),
                Some("такого ключа в анкете нет".into()),
                Some(help_ru),
            );
        self.push(d);
    }

    fn name(&mut self, e: &Entry) -> Labels {
        let mut labels = Labels::new();
        let example = match self.format() {
            Format::Toml => r#"name = { en = "Armenia", ru = "Армения" }"#,
            _ => r#""name": { "en": "Armenia", "ru": "Армения" }"#,
        };
        let Kind::Table(entries) = &e.value.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "`name` must be {} of languages and names, found {}",
                    self.c.table_noun(),
                    self.c.describe(&e.value.kind)
                ),
            )
            .at(self.span(&e.value.span), format!("not {}", self.c.table_noun()))
            .help(format!("write the name per language: `{example}`"))
            .ru(
                format!(
                    "`name` должно быть {} языков и наименований, а указано: {}",
                    self.c.table_noun_ru().1,
                    super::ru::describe(&self.c.describe(&e.value.kind))
                ),
                Some(format!("не {}", self.c.table_noun_ru().0)),
                Some(format!("напишите наименование на каждом языке: `{example}`")),
            );
            self.push(d);
            return labels;
        };
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for l in entries {
            if let Some(f) = first(&seen, &l.key) {
                self.twice(
                    [format!("the name in `{}`", l.key), format!("наименование на языке `{}`", l.key)],
                    l,
                    f,
                    KEEP_ONE,
                );
                continue;
            }
            seen.insert(&l.key, l);
            match &l.value.kind {
                Kind::Str(s) => {
                    let what = [format!("the name in `{}`", l.key), format!("наименование на языке `{}`", l.key)];
                    let s = self.visible(s, false, what, &l.value.span);
                    labels.insert(l.key.clone(), s);
                }
                _ => {
                    let d = Diag::error(
                        Code::DataFormat,
                        format!("the name in `{}` must be a text, found {}", l.key, self.c.describe(&l.value.kind)),
                    )
                    .at(self.span(&l.value.span), "not a text")
                    .help(format!("write the name in quotes: `{example}`"))
                    .ru(
                        format!(
                            "наименование на языке `{}` должно быть текстом, а указано: {}",
                            l.key,
                            super::ru::describe(&self.c.describe(&l.value.kind))
                        ),
                        Some("не текст".into()),
                        Some(format!("напишите наименование в кавычках: `{example}`")),
                    );
                    self.push(d);
                }
            }
        }
        labels
    }

    fn note(&mut self, e: &Entry) -> Option<String> {
        if let Kind::Str(s) = &e.value.kind {
            return Some(self.visible(s, true, ["the note".into(), "примечание".into()], &e.value.span));
        }
        let d =
            Diag::error(Code::DataFormat, format!("`note` must be a text, found {}", self.c.describe(&e.value.kind)))
                .at(self.span(&e.value.span), "not a text")
                .help(format!("write the note in quotes: `{}`", self.c.key_value("note", "\"Illustrative data\"")))
                .ru(
                    format!(
                        "примечание (`note`) должно быть текстом, а указано: {}",
                        super::ru::describe(&self.c.describe(&e.value.kind))
                    ),
                    Some("не текст".into()),
                    Some(format!(
                        "напишите примечание в кавычках: `{}`",
                        self.c.key_value("note", "\"Условные данные\"")
                    )),
                );
        self.push(d);
        None
    }

    /// A text shown to readers (a name, a note) without the characters that a reader cannot see
    /// or that act on a terminal: control characters (an escape sequence would reach the
    /// terminal; line breaks are kept in a note), bidirectional controls (they reorder what is
    /// shown, Trojan Source) and invisible ones (zero-width space, word joiner, byte-order mark):
    /// they are removed, with a warning naming each, so two states never look the same while
    /// differing, and nothing in a name can move the cursor.
    fn visible(&mut self, s: &str, lines: bool, what: [String; 2], span: &std::ops::Range<usize>) -> String {
        let [what, what_ru] = what;
        let hidden = |c: char| crate::diagnostics::hidden_char(c, !lines);
        if !s.chars().any(hidden) {
            return s.to_string();
        }
        let mut found: Vec<String> =
            s.chars().filter(|c| hidden(*c)).map(|c| format!("U+{:04X}", u32::from(c))).collect();
        found.dedup();
        let d = Diag::warning(
            Code::DataFormat,
            format!("{what} holds invisible or control characters ({}): they are removed", found.join(", ")),
        )
        .at(self.span(span), "here")
        .help("write the text without them: such characters can make two names look the same, reorder what is shown, or act on a terminal")
        .ru(
            format!("{what_ru} содержит невидимые или управляющие символы ({}): они удалены", found.join(", ")),
            Some("здесь".into()),
            Some("напишите текст без них: такие символы делают два наименования внешне одинаковыми, меняют порядок показываемого текста или управляют терминалом".into()),
        );
        self.push(d);
        s.chars().filter(|c| !hidden(*c)).collect()
    }

    /// `"groups": { "EurAsia_group": "Asia" }`: group key → label, both texts.
    fn groups(&mut self, e: &Entry) -> IndexMap<String, String> {
        let mut out = IndexMap::new();
        let example = match self.format() {
            Format::Toml => r#"groups = { EurAsia_group = "Asia" }"#,
            _ => r#""groups": { "EurAsia_group": "Asia" }"#,
        };
        let Kind::Table(entries) = &e.value.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "`groups` must be {} of group keys and labels, found {}",
                    self.c.table_noun(),
                    self.c.describe(&e.value.kind)
                ),
            )
            .at(self.span(&e.value.span), format!("not {}", self.c.table_noun()))
            .help(format!("write the unit's group per key: `{example}`"))
            .ru(
                format!(
                    "`groups` должно быть {} ключей групп и их значений, а указано: {}",
                    self.c.table_noun_ru().1,
                    super::ru::describe(&self.c.describe(&e.value.kind))
                ),
                Some(format!("не {}", self.c.table_noun_ru().0)),
                Some(format!("напишите группу государства для каждого ключа: `{example}`")),
            );
            self.push(d);
            return out;
        };
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for g in entries {
            if let Some(f) = first(&seen, &g.key) {
                self.twice([format!("group `{}`", g.key), format!("группа `{}`", g.key)], g, f, KEEP_ONE);
                continue;
            }
            seen.insert(&g.key, g);
            let key_at = self.place(&g.key_span);
            let value_at = self.place(&g.value.span);
            if let Some(label) = self.c.group(&g.key, &key_at, &g.value.kind, &value_at) {
                out.insert(g.key.clone(), label);
            }
        }
        out
    }

    // ───────────────────────────── answers ─────────────────────────────

    fn answers(&mut self, e: &Entry) -> Option<Answers> {
        let Kind::Table(entries) = &e.value.kind else {
            let d = Diag::error(
                Code::DataFormat,
                format!(
                    "`answers` must be {} of question ids and answers, found {}",
                    self.c.table_noun(),
                    self.c.describe(&e.value.kind)
                ),
            )
            .at(self.span(&e.value.span), format!("not {}", self.c.table_noun()))
            .help(match self.format() {
                Format::Toml => "write an `[answers]` table with one `question = answer` per line".to_string(),
                _ => r#"write "answers": { "q01": 12.5, "q02": true }"#.to_string(),
            })
            .ru(
                format!(
                    "`answers` должно быть {} идентификаторов вопросов и ответов, а указано: {}",
                    self.c.table_noun_ru().1,
                    super::ru::describe(&self.c.describe(&e.value.kind))
                ),
                Some(format!("не {}", self.c.table_noun_ru().0)),
                Some(match self.format() {
                    Format::Toml => "напишите таблицу `[answers]`, по одной строке `вопрос = ответ`".to_string(),
                    _ => r#"напишите "answers": { "q01": 12.5, "q02": true }"#.to_string(),
                }),
            );
            self.push(d);
            return None;
        };
        let model = self.c.model;
        let mut out = Answers::unanswered(model.questions.len());
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for a in entries {
            if let Some(f) = first(&seen, &a.key) {
                self.twice(
                    [format!("answer `{}`", a.key), format!("ответ на `{}`", a.key)],
                    a,
                    f,
                    [
                        "keep only one answer per question; until then the answer counts as invalid",
                        "оставьте один ответ на вопрос; до тех пор ответ считается недопустимым",
                    ],
                );
                if let Some(i) = model.questions.get_index_of(&a.key) {
                    out.set(i, Some(Answer::Missing(Reason::Invalid)));
                }
                continue;
            }
            seen.insert(&a.key, a);
            let Some((i, _, q)) = model.questions.get_full(&a.key) else {
                self.c.unknown_question(&a.key, &self.place(&a.key_span));
                continue;
            };
            out.set(i, Some(self.answer(q, a)));
        }
        for (i, q) in model.questions.values().enumerate() {
            if q.required && out.get(i).is_none() {
                let help = match self.format() {
                    Format::Toml => format!(
                        "add `{id} = <answer>` under `[answers]`, or say why it is missing: `{id} = {}`",
                        self.c.missing_example(),
                        id = q.id
                    ),
                    _ => format!(
                        "add `\"{id}\": <answer>` to `answers`, or say why it is missing: `\"{id}\": {}`",
                        self.c.missing_example(),
                        id = q.id
                    ),
                };
                self.c.not_answered(q, &self.place(&e.key_span), None, help);
            }
        }
        Some(out)
    }

    /// Validates one answer.
    fn answer(&mut self, q: &Question, a: &Entry) -> Answer {
        let v = &a.value;
        if let Kind::Table(entries) = &v.kind {
            return self.missing(q, v, entries);
        }
        self.c.value(q, &v.kind, &self.place(&v.span))
    }

    /// `{ "missing": "<reason>", "comment": "…" }`.
    fn missing(&mut self, q: &Question, v: &Node, entries: &[Entry]) -> Answer {
        let mut reason = None;
        let mut ok = true;
        let mut unknown = false;
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for m in entries {
            if let Some(f) = first(&seen, &m.key) {
                self.twice(
                    [format!("`{}` of `{}`", m.key, q.id), format!("`{}` в ответе на `{}`", m.key, q.id)],
                    m,
                    f,
                    ["keep one of the two", "оставьте одно из двух"],
                );
                ok = false;
                continue;
            }
            seen.insert(&m.key, m);
            match m.key.as_str() {
                "missing" => match self.c.reason(q, &m.value.kind, &self.place(&m.value.span)) {
                    Some(r) => reason = Some(r),
                    None => ok = false,
                },
                "comment" => {
                    if !matches!(m.value.kind, Kind::Str(_)) {
                        let d = Diag::error(
                            Code::DataFormat,
                            format!(
                                "the comment on `{}` must be a text, found {}",
                                q.id,
                                self.c.describe(&m.value.kind)
                            ),
                        )
                        .at(self.span(&m.value.span), "not a text")
                        .help(format!("write the comment in quotes: `{}`", self.c.key_value("comment", "\"…\"")))
                        .ru(
                            format!(
                                "комментарий к `{}` должен быть текстом, а указано: {}",
                                q.id,
                                super::ru::describe(&self.c.describe(&m.value.kind))
                            ),
                            Some("не текст".into()),
                            Some(format!(
                                "напишите комментарий в кавычках: `{}`",
                                self.c.key_value("comment", "\"…\"")
                            )),
                        );
                        self.push(d);
                        ok = false;
                    }
                }
                other => {
                    let suggestion = suggest(other, ["missing", "comment"]);
                    let help = match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "a missing answer has `missing` (the reason) and optionally `comment`: `{}`",
                            self.c.missing_example()
                        ),
                    };
                    let help_ru = match suggestion {
                        Some(s) => format!("возможно, имелось в виду `{s}`?"),
                        None => format!(
                            "у отсутствующего ответа есть `missing` (причина) и при необходимости `comment` (комментарий): `{}`",
                            self.c.missing_example()
                        ),
                    };
                    let d = Diag::error(
                        Code::DataFormat,
                        format!("unknown key `{other}` in the missing answer to `{}`", q.id),
                    )
                    .at(self.span(&m.key_span), "not `missing` or `comment`")
                    .help(help)
                    .ru(
                        format!("неизвестный ключ `{other}` в отсутствующем ответе на `{}`", q.id),
                        Some("не `missing` и не `comment`".into()),
                        Some(help_ru),
                    );
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
                    self.c.expected(q),
                    self.c.table_noun()
                ),
            )
            .at(self.span(&v.span), "no `missing` in here")
            .help(format!("write the answer, or say why it is missing: `{}`", self.c.missing_example()))
            .ru(
                format!(
                    "ответ на `{}` должен быть {} или отсутствующим ответом с `missing`, а указан{} без `missing`",
                    q.id,
                    self.c.expected_ru(q),
                    match self.format() {
                        Format::Json => " объект",
                        _ => "а таблица",
                    }
                ),
                Some("здесь нет `missing`".into()),
                Some(format!("напишите ответ или {}", self.c.say_missing_ru())),
            );
            self.push(d);
            ok = false;
        }
        match (ok, reason) {
            (true, Some(r)) => Answer::Missing(r),
            _ => Answer::Missing(Reason::Invalid),
        }
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

/// Whether `s` is written like an id: a letter or `_`, then letters, digits and `_`.
pub(super) fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A text in double quotes, shortened if long, with control characters escaped.
/// The alphabet of unit codes: Latin letters, digits, `-`, `_`, `.` and `/`. Two codes that look
/// the same are the same: no invisible, control, bidirectional or look-alike (Cyrillic `А` for
/// Latin `A`) character can make a second state that prints like the first, nor reach a
/// terminal as an escape sequence.
pub(super) fn unit_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')
}

pub(super) fn quote(s: &str) -> String {
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
/// A named place (`` `am.xlsx`, sheet «Trade facilitation», cell E4 ``) in Russian.
fn named_ru(name: &str) -> String {
    name.replace(", sheet «", ", лист «").replace("», cell ", "», ячейка ")
}

/// A reason for a missing answer written in words, in either language, in any case
/// (`неприменимо`, `Not applicable`).
fn reason_word(s: &str) -> Option<Reason> {
    let s = s.trim().to_lowercase();
    SUBMITTABLE.into_iter().find(|r| {
        [crate::i18n::Lang::En, crate::i18n::Lang::Ru]
            .iter()
            .any(|l| crate::i18n::submitted_reason(*l, *r).is_some_and(|w| w.to_lowercase() == s))
    })
}

/// The option whose label, in any language, is this text (trimmed, in any case); none when no
/// label or more than one option's label matches.
fn option_by_label(options: &[ChoiceOption], s: &str) -> Option<usize> {
    let s = s.trim().to_lowercase();
    let hits: Vec<usize> = options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.labels.values().any(|l| l.trim().to_lowercase() == s))
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn yes_no_word(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "да" | "д" | "1" => Some(true),
        "no" | "n" | "false" | "нет" | "н" | "0" => Some(false),
        _ => None,
    }
}
