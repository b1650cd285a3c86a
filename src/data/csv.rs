//! CSV submissions: one row per answer, for any number of units and periods.
//!
//! ```text
//! unit,period,question,answer,missing,comment
//! AM,2023,q05_import_release_hours,20.5,,
//! AM,2023,q09_inspected,,confidential,the figure is classified
//! BY,2023,q05_import_release_hours,31,,
//! ```
//!
//! The first line names the columns, in any order: `unit`, `period`, `question` and `answer` are
//! required, `missing` and `comment` optional; `label`, `help` and `allowed` (which `tamga
//! template` adds for the person filling the file) are ignored. Rows with the same unit and period
//! make one submission. A row whose unit, period, answer, reason and comment are all empty is
//! skipped (a blank line, or a template row left unfilled). Values are read as in a spreadsheet:
//! a number plainly written (`12.5`), yes/no as `yes`/`no` (also `да`/`нет`, `true`/`false`, in
//! any case), a choice as its option's id or label (in any language), a reason as its code or
//! its words; spaces around a value are ignored. The file is parsed
//! by the `csv` crate; a small scanner finds each field's span for diagnostics.
//!
//! The **wide** form holds one row per unit and period, as practitioners keep indicator tables
//! (COINr's `iData`):
//!
//! ```text
//! unit,period,name,group:EurAsia_group,q05_import_release_hours,q09_inspected
//! AM,2023,Armenia,Asia,20.5,
//! BY,2023,Belarus,Europe,31,12
//! ```
//!
//! `unit` and `period` are required; `name` (the unit's name in the methodology's first language)
//! and `name:<lang>` (`name:ru`), and `group:<key>` columns (the unit's group for group
//! imputation) are optional; every other column is a question id. An empty cell is not
//! submitted. A header with a `question`, `answer`, `missing` or `comment` column is the long form
//! above; any other is the wide form.

use super::validate::{is_id, quote, text_value, Checker, Loaded, Place};
use super::{Answer, Answers, Format, Kind, ReadOptions, Submission};
use crate::diagnostics::{suggest, Code, Diag};
use crate::model::{Labels, Model, Reason};
use crate::source::{FileId, Span};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::ops::Range;

/// The columns of a CSV submission, in the order `tamga template` writes them.
pub const COLUMNS: [&str; 6] = ["unit", "period", "question", "answer", "missing", "comment"];

/// The columns a CSV submission must have.
const REQUIRED: [&str; 4] = ["unit", "period", "question", "answer"];

/// Columns written by `tamga template` for the person filling the file; ignored when read.
pub const INFO_COLUMNS: [&str; 3] = ["label", "help", "allowed"];

/// Columns only the long form has: a header with one of them is read as the long form.
const LONG_ONLY: [&str; 4] = ["question", "answer", "missing", "comment"];

/// The header of a wide CSV file, as an example: with the methodology's first questions.
fn wide_example(model: &Model) -> String {
    let ids: Vec<&str> = model.questions.keys().take(2).map(String::as_str).collect();
    let ids = if ids.is_empty() { "<question id>".to_string() } else { ids.join(",") };
    format!("unit,period,{ids},…")
}

/// The methodology's first question id, as an example.
fn first_question(model: &Model) -> String {
    model.questions.keys().next().cloned().unwrap_or_else(|| "<question id>".to_string())
}

/// How the cells of a file are read: the delimiter (`;` allows a decimal comma) and the texts
/// that mean "not submitted".
struct Cells<'a> {
    delimiter: u8,
    na: &'a [String],
    /// Columns that are not questions are skipped with one warning (`--ignore-unknown-columns`).
    ignore_unknown: bool,
}

impl Cells<'_> {
    /// A cell's text as read, trimmed: empty for a "not submitted" text, `12.5` for `12,5` in a
    /// file separated by `;` (a number with one decimal comma and digits on both sides).
    fn value<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let t = text.trim();
        if !t.is_empty() && self.na.iter().any(|n| n.trim().to_lowercase() == t.to_lowercase()) {
            return "".into();
        }
        if self.delimiter == b';' {
            let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
            if let Some((whole, frac)) = digits.split_once(',') {
                let all = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                if all(whole) && all(frac) {
                    return t.replacen(',', ".", 1).into();
                }
            }
        }
        t.into()
    }
}

/// The delimiter of a CSV file: `;` when the header line holds more `;` than `,` outside quotes
/// (Excel's CSV under Russian regional settings), else `,`.
fn detect(text: &str, start: usize) -> u8 {
    let (mut semicolons, mut commas, mut quoted) = (0usize, 0usize, false);
    for b in text.get(start..).unwrap_or("").bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b';' if !quoted => semicolons += 1,
            b',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// One warning for the columns skipped by `--ignore-unknown-columns`, at the header line.
fn ignored_columns(c: &mut Checker, file: FileId, header: &Row, ignored: &[String]) {
    if ignored.is_empty() {
        return;
    }
    let list = ignored.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    let d = Diag::warning(
        Code::DataUnknownQuestion,
        format!("columns that are not questions of this methodology are skipped: {list}"),
    )
    .at(Span::new(file, header.span.start, header.span.end), "the header line")
    .help("--ignore-unknown-columns skips them; check that none of them is a question whose id is misspelt")
    .ru(
        format!("столбцы, которые не являются вопросами методики, пропущены: {list}"),
        Some("строка заголовков".into()),
        Some(
            "их пропускает --ignore-unknown-columns; проверьте, что среди них нет вопроса с опечаткой в идентификаторе"
                .into(),
        ),
    );
    c.diags.push(d);
}

/// The header line, as written.
fn header_line() -> String {
    COLUMNS.join(",")
}

/// One record: its line, its span and its fields' texts and spans.
struct Row {
    line: u64,
    span: Range<usize>,
    fields: Vec<(String, Range<usize>)>,
}

/// One submission being assembled.
struct Group {
    unit: String,
    period: String,
    unit_at: Place,
    answers: Answers,
    /// Where each answered question's row is, for "given twice".
    seen: HashMap<usize, Place>,
}

/// Reads `text[start..]` (the part after a byte-order mark). Spans are offsets into `text`.
pub(super) fn load(
    model: &Model,
    file: FileId,
    text: &str,
    start: usize,
    display: &str,
    sha: String,
    options: &ReadOptions,
) -> (Vec<Loaded>, Vec<Diag>) {
    let mut c = Checker::new(model, Format::Csv);
    let place = |r: &Range<usize>| Place::Text(Span::new(file, r.start, r.end));
    let delimiter = options.delimiter.unwrap_or_else(|| detect(text, start));
    let cells = Cells { delimiter, na: &options.na, ignore_unknown: options.ignore_unknown_columns };
    let rows = match records(text, start, delimiter) {
        Ok(rows) => rows,
        Err((message, at)) => {
            let d = Diag::error(Code::DataFormat, format!("the submission is not valid CSV: {message}"))
                .at(Span::new(file, at.start, at.end), "here")
                .help("check the quotes near this place: a value with a comma or a quote is written in double quotes, with \"\" for a quote")
                .ru(
                    format!(
                        "файл не является правильным CSV: {}",
                        if message == UNCLOSED[0] { UNCLOSED[1] } else { message.as_str() }
                    ),
                    Some("здесь".into()),
                    Some("проверьте кавычки рядом с этим местом: значение с запятой или кавычкой пишется в двойных кавычках, кавычка внутри — как \"\"".into()),
                );
            return (vec![], vec![d]);
        }
    };
    let Some((header, rows)) = rows.split_first() else {
        let d = Diag::error(Code::DataFormat, "the CSV file is empty")
            .at(Span::new(file, start, start), "no header line")
            .help(format!("the first line names the columns: {}", header_line()))
            .ru(
                "файл CSV пуст",
                Some("нет строки заголовков".into()),
                Some(format!("первая строка называет столбцы: {}", header_line())),
            );
        return (vec![], vec![d]);
    };

    // ── the header ──
    let names: Vec<String> = header.fields.iter().map(|(t, _)| t.trim().to_lowercase()).collect();
    let line_text = text.get(header.span.clone()).unwrap_or("");
    if names.len() == 1 && (line_text.contains(';') || line_text.contains('\t')) {
        let (sep, name) = if line_text.contains(';') { (";", "semicolons (;)") } else { ("\t", "tabs") };
        let d = Diag::error(Code::DataFormat, format!("the CSV file is separated by {name}, not by commas"))
            .at(Span::new(file, header.span.start, header.span.end), "one column only")
            .help(format!(
                "read it with `--delimiter {}`, or save it as «CSV UTF-8 (comma delimited)»: the first line must be `{}`",
                if sep == ";" { "';'" } else { "tab" },
                header_line()
            ))
            .ru(
                format!(
                    "столбцы файла CSV разделены {}, а не запятыми",
                    if sep == ";" { "точкой с запятой (;)" } else { "табуляцией" }
                ),
                Some("только один столбец".into()),
                Some(format!(
                    "прочитайте его с `--delimiter {}` или сохраните как «CSV UTF-8 (разделитель — запятая)»: первая строка должна быть `{}`",
                    if sep == ";" { "';'" } else { "tab" },
                    header_line()
                )),
            );
        return (vec![], vec![d]);
    }
    if !names.iter().any(|n| LONG_ONLY.contains(&n.as_str())) {
        return wide(model, file, header, rows, display, sha, c, &cells);
    }
    let mut column: HashMap<&str, usize> = HashMap::new();
    let mut ignored: Vec<String> = vec![];
    for (i, name) in names.iter().enumerate() {
        let span = header.fields[i].1.clone();
        if let Some(known) = COLUMNS.iter().find(|c| **c == name) {
            if let Some(&first) = column.get(known) {
                let d = Diag::error(Code::DataFormat, format!("column `{name}` given twice"))
                    .at(Span::new(file, span.start, span.end), format!("`{name}` again"))
                    .also(place_span(file, &header.fields[first].1), "first given here")
                    .help("keep one of the two columns")
                    .ru(
                        format!("столбец `{name}` указан дважды"),
                        Some(format!("`{name}` ещё раз")),
                        Some("оставьте один из двух столбцов".into()),
                    )
                    .ru_also("впервые указан здесь");
                c.diags.push(d);
            } else {
                column.insert(known, i);
            }
        } else if !name.is_empty() && !INFO_COLUMNS.contains(&name.as_str()) && options.ignore_unknown_columns {
            ignored.push(header.fields[i].0.trim().to_string());
        } else if !name.is_empty() && !INFO_COLUMNS.contains(&name.as_str()) {
            let suggestion = suggest(name, COLUMNS.into_iter().chain(INFO_COLUMNS));
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the columns are {}; `{}` are ignored",
                    COLUMNS.map(|c| format!("`{c}`")).join(", "),
                    INFO_COLUMNS.join("`, `")
                ),
            };
            let help_ru = match suggestion {
                Some(s) => format!("возможно, имелось в виду `{s}`?"),
                None => format!(
                    "столбцы: {}; `{}` не читаются",
                    COLUMNS.map(|c| format!("`{c}`")).join(", "),
                    INFO_COLUMNS.join("`, `")
                ),
            };
            let d = Diag::error(Code::DataFormat, format!("unknown column `{name}`"))
                .at(Span::new(file, span.start, span.end), "not a column of a submission")
                .help(help)
                .ru(
                    format!("неизвестный столбец `{name}`"),
                    Some("такого столбца в данных анкеты нет".into()),
                    Some(help_ru),
                );
            c.diags.push(d);
        }
    }
    ignored_columns(&mut c, file, header, &ignored);
    let absent: Vec<&str> = REQUIRED.into_iter().filter(|r| !column.contains_key(r)).collect();
    if !absent.is_empty() {
        let list = absent.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>();
        let message = match list.as_slice() {
            [one] => format!("the CSV file has no column {one}"),
            [rest @ .., last] => format!("the CSV file has no columns {} and {last}", rest.join(", ")),
            [] => String::new(),
        };
        let message_ru = match list.as_slice() {
            [one] => format!("в файле CSV нет столбца {one}"),
            [rest @ .., last] => format!("в файле CSV нет столбцов {} и {last}", rest.join(", ")),
            [] => String::new(),
        };
        let d = Diag::error(Code::DataFormat, message)
            .at(Span::new(file, header.span.start, header.span.end), "the header line")
            .help(format!("the first line names the columns: {}", header_line()))
            .ru(
                message_ru,
                Some("строка заголовков".into()),
                Some(format!("первая строка называет столбцы: {}", header_line())),
            );
        c.diags.push(d);
        return (vec![], c.diags);
    }

    // ── the rows ──
    let mut groups: Vec<Group> = vec![];
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    let mut units: HashMap<String, Option<String>> = HashMap::new();
    let mut periods: HashMap<String, Option<String>> = HashMap::new();
    let empty = (String::new(), 0..0);
    for row in rows {
        let get = |name: &str| -> (&str, Range<usize>) {
            match column.get(name).and_then(|&i| row.fields.get(i)) {
                Some((t, r)) => (t.as_str(), r.clone()),
                None => (empty.0.as_str(), row.span.end..row.span.end),
            }
        };
        let (unit, unit_span) = get("unit");
        let (period, period_span) = get("period");
        let (question, question_span) = get("question");
        let (answer, answer_span) = get("answer");
        let (missing, missing_span) = get("missing");
        let (comment, _) = get("comment");
        if [unit, period, answer, missing, comment].iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        if row.fields.len() != names.len() {
            let d = Diag::error(
                Code::DataFormat,
                format!("line {} has {} values, the header has {}", row.line, row.fields.len(), names.len()),
            )
            .at(Span::new(file, row.span.start, row.span.end), "this line")
            .help("write one value per column, separated by commas; a value with a comma goes in double quotes")
            .ru(
                values_ru(row.line, row.fields.len(), names.len()),
                Some("эта строка".into()),
                Some(ONE_VALUE_PER_COLUMN_RU.into()),
            );
            c.diags.push(d);
            continue;
        }
        let unit = match units.get(unit.trim()) {
            Some(u) => u.clone(),
            None => {
                let u = c.unit(&Kind::Str(unit.trim().to_string()), &place(&unit_span));
                units.insert(unit.trim().to_string(), u.clone());
                u
            }
        };
        let period = match periods.get(period.trim()) {
            Some(p) => p.clone(),
            None => {
                let p = c.period(&Kind::Str(period.trim().to_string()), &place(&period_span));
                periods.insert(period.trim().to_string(), p.clone());
                p
            }
        };
        let id = question.trim();
        if id.is_empty() {
            let d = Diag::error(Code::DataFormat, format!("line {} has an answer but no question id", row.line))
                .at(Span::new(file, question_span.start, question_span.end), "no question id")
                .help(format!("write the question's id in the `question` column, e.g. {}", first_question(model)))
                .ru(
                    format!("в строке {} есть ответ, но нет идентификатора вопроса", row.line),
                    Some("нет идентификатора вопроса".into()),
                    Some(format!(
                        "напишите идентификатор вопроса в столбце `question`, например {}",
                        first_question(model)
                    )),
                );
            c.diags.push(d);
            continue;
        }
        let Some((qi, _, q)) = model.questions.get_full(id) else {
            c.unknown_question(id, &place(&question_span));
            continue;
        };
        let (a, m) = (cells.value(answer), missing.trim());
        let a = a.as_ref();
        let value = if a.is_empty() && m.is_empty() {
            None
        } else if !a.is_empty() && !m.is_empty() {
            Some(c.answer_and_reason(q, &place(&answer_span)))
        } else if !m.is_empty() {
            let r = c.reason(q, &Kind::Str(m.to_string()), &place(&missing_span));
            Some(Answer::Missing(r.unwrap_or(Reason::Invalid)))
        } else {
            Some(c.value(q, &text_value(q, a), &place(&answer_span)))
        };
        let (Some(unit), Some(period)) = (unit, period) else { continue };
        let key = (unit.clone(), period.clone());
        let g = match by_key.get(&key) {
            Some(&g) => g,
            None => {
                groups.push(Group {
                    unit,
                    period,
                    unit_at: place(&unit_span),
                    answers: Answers::unanswered(model.questions.len()),
                    seen: HashMap::new(),
                });
                by_key.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        if let Some(first) = group.seen.get(&qi) {
            let what = [
                format!("answer `{id}` for `{}` {}", group.unit, group.period),
                format!("ответ на `{id}` для `{}` {}", group.unit, group.period),
            ];
            let first = first.clone();
            c.twice(
                what,
                &place(&question_span),
                id,
                &first,
                [
                    "keep only one row per question, unit and period; until then the answer counts as invalid",
                    "оставьте одну строку на вопрос, государство и период; до тех пор ответ считается недопустимым",
                ],
            );
            group.answers.set(qi, Some(Answer::Missing(Reason::Invalid)));
            continue;
        }
        group.seen.insert(qi, place(&question_span));
        if value.is_some() {
            group.answers.set(qi, value);
        }
    }
    if groups.is_empty() && c.diags.is_empty() {
        let d = Diag::error(Code::DataFormat, "the CSV file holds no answers")
            .at(Span::new(file, header.span.start, header.span.end), "only the header")
            .help("fill in `unit`, `period` and `answer` (or `missing`) on the rows of the questions answered")
            .ru(
                "в файле CSV нет ответов",
                Some("только строка заголовков".into()),
                Some(
                    "заполните `unit`, `period` и `answer` (или `missing`) в строках вопросов, на которые дан ответ"
                        .into(),
                ),
            );
        c.diags.push(d);
    }
    let mut out = vec![];
    for g in groups {
        for (i, q) in model.questions.values().enumerate() {
            if q.required && g.answers.get(i).is_none() {
                let help = format!(
                    "add the row `{u},{p},{id},<answer>,,` or say why it is missing: `{u},{p},{id},,not_applicable,`",
                    u = g.unit,
                    p = g.period,
                    id = q.id
                );
                c.not_answered(q, &g.unit_at, Some(&format!("`{}` {}", g.unit, g.period)), help);
            }
        }
        let sub = Submission {
            unit: g.unit,
            period: g.period,
            name: Labels::new(),
            groups: IndexMap::new(),
            note: None,
            file: display.to_string(),
            sha256: sha.clone(),
            answers: g.answers,
        };
        out.push(Loaded { sub, unit_at: g.unit_at });
    }
    (out, c.diags)
}

/// What a column of a wide CSV file holds.
#[derive(Debug, Clone)]
enum Wide {
    Unit,
    Period,
    /// The unit's name in a language.
    Name(String),
    /// Membership of a group: the key, and where the header names it.
    Group(String, Range<usize>),
    /// A question: its index in the model.
    Question(usize),
    /// A column to skip (unnamed, repeated or not understood: reported at the header).
    Skip,
}

/// Reads a wide CSV file: one row per unit and period, a column per question.
#[allow(clippy::too_many_arguments)]
fn wide(
    model: &Model,
    file: FileId,
    header: &Row,
    rows: &[Row],
    display: &str,
    sha: String,
    mut c: Checker,
    cells: &Cells,
) -> (Vec<Loaded>, Vec<Diag>) {
    let span = |r: &Range<usize>| Span::new(file, r.start, r.end);
    let place = |r: &Range<usize>| Place::Text(span(r));
    let first_language = model.header.languages.first().cloned().unwrap_or_else(|| "en".to_string());

    // ── the header ──
    let mut kinds: Vec<Wide> = vec![];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ignored: Vec<String> = vec![];
    for (i, (raw, at)) in header.fields.iter().enumerate() {
        let name = raw.trim();
        let lower = name.to_lowercase();
        let (kind, key) = if name.is_empty() {
            (Wide::Skip, None)
        } else if lower == "unit" || lower == "period" || lower == "name" {
            let kind = match lower.as_str() {
                "unit" => Wide::Unit,
                "period" => Wide::Period,
                _ => Wide::Name(first_language.clone()),
            };
            (kind, Some(lower.clone()))
        } else if let Some(lang) = lower.strip_prefix("name:") {
            let lang = lang.trim();
            if !is_id(lang) {
                let d = Diag::error(Code::DataFormat, format!("the column {} names no language", quote(name)))
                    .at(span(at), "no language")
                    .help("write the language code after `name:`, e.g. name:ru")
                    .ru(
                        format!("в столбце {} не указан язык", quote(name)),
                        Some("нет языка".into()),
                        Some("напишите код языка после `name:`, например name:ru".into()),
                    );
                c.diags.push(d);
                (Wide::Skip, None)
            } else {
                (Wide::Name(lang.to_string()), Some(format!("name:{lang}")))
            }
        } else if lower.starts_with("group:") {
            let key = name["group:".len()..].trim();
            if !is_id(key) {
                let d = Diag::error(Code::DataFormat, format!("the group key {} is not an id", quote(key)))
                    .at(span(at), "not an id")
                    .help("write the group's key after `group:` like an id: a letter or `_`, then letters, digits and `_` (group:EurAsia_group)")
                    .ru(
                        format!("ключ группы {} не является идентификатором", quote(key)),
                        Some("не идентификатор".into()),
                        Some("напишите ключ группы после `group:` как идентификатор: латинская буква или `_`, затем латинские буквы, цифры и `_` (group:EurAsia_group)".into()),
                    );
                c.diags.push(d);
                (Wide::Skip, None)
            } else {
                (Wide::Group(key.to_string(), at.clone()), Some(format!("group:{key}")))
            }
        } else if let Some(qi) = model.questions.get_index_of(name) {
            (Wide::Question(qi), Some(name.to_string()))
        } else if cells.ignore_unknown {
            ignored.push(name.to_string());
            (Wide::Skip, None)
        } else {
            let ids = model.questions.keys().map(String::as_str);
            let help = if let Some(q) = model.questions.keys().find(|q| q.eq_ignore_ascii_case(name)) {
                format!("did you mean `{q}`? question ids are written exactly, in the same case")
            } else if let Some(s) = suggest(name, ids.chain(["unit", "period", "name"])) {
                format!("did you mean `{s}`?")
            } else {
                format!(
                    "the columns are `unit`, `period`, optionally `name` and `group:<key>`, and the ids of the methodology's questions: {}; \
                     --ignore-unknown-columns skips the columns that are not questions",
                    wide_example(model)
                )
            };
            let help_ru = match help.strip_prefix("did you mean ").and_then(|h| h.split_once('?')) {
                Some((q, _)) => format!("возможно, имелось в виду {q}?"),
                None => format!(
                    "столбцы: `unit`, `period`, при необходимости `name` и `group:<ключ>`, и идентификаторы вопросов методики: {}; \
                     --ignore-unknown-columns пропускает столбцы, которые не являются вопросами",
                    wide_example(model)
                ),
            };
            let d = Diag::error(Code::DataUnknownQuestion, format!("unknown column `{name}`"))
                .at(span(at), "not a question of this methodology")
                .help(help)
                .ru(
                    format!("неизвестный столбец `{name}`"),
                    Some("такого вопроса в методике нет".into()),
                    Some(help_ru),
                );
            c.diags.push(d);
            (Wide::Skip, None)
        };
        let kind = match key {
            Some(key) => match seen.get(&key) {
                Some(&first) => {
                    let d = Diag::error(Code::DataFormat, format!("column `{name}` given twice"))
                        .at(span(at), format!("`{name}` again"))
                        .also(span(&header.fields[first].1), "first given here")
                        .help("keep one of the two columns; the second is not read")
                        .ru(
                            format!("столбец `{name}` указан дважды"),
                            Some(format!("`{name}` ещё раз")),
                            Some("оставьте один из двух столбцов: второй не читается".into()),
                        )
                        .ru_also("впервые указан здесь");
                    c.diags.push(d);
                    Wide::Skip
                }
                None => {
                    seen.insert(key, i);
                    kind
                }
            },
            None => kind,
        };
        kinds.push(kind);
    }
    ignored_columns(&mut c, file, header, &ignored);
    let absent: Vec<&str> = ["unit", "period"].into_iter().filter(|k| !seen.contains_key(*k)).collect();
    let questions = kinds.iter().filter(|k| matches!(k, Wide::Question(_))).count();
    if !absent.is_empty() || questions == 0 {
        let message = match absent.as_slice() {
            [one] => format!("the CSV file has no column `{one}`"),
            [_, _] => "the CSV file has no columns `unit` and `period`".to_string(),
            _ => "the CSV file has neither a `question` column (one row per answer) nor question columns (one row per unit)".to_string(),
        };
        let message_ru = match absent.as_slice() {
            [one] => format!("в файле CSV нет столбца `{one}`"),
            [_, _] => "в файле CSV нет столбцов `unit` и `period`".to_string(),
            _ => "в файле CSV нет ни столбца `question` (строка на каждый ответ), ни столбцов вопросов (строка на каждое государство)".to_string(),
        };
        let d = Diag::error(Code::DataFormat, message)
            .at(span(&header.span), "the header line")
            .help(format!(
                "the first line names the columns: one row per answer, {}; or one row per unit, {}",
                header_line(),
                wide_example(model)
            ))
            .ru(
                message_ru,
                Some("строка заголовков".into()),
                Some(format!(
                    "первая строка называет столбцы: для строки на каждый ответ — {}; для строки на каждое государство — {}",
                    header_line(),
                    wide_example(model)
                )),
            );
        c.diags.push(d);
        return (vec![], c.diags);
    }

    // ── the rows ──
    let mut out: Vec<Loaded> = vec![];
    let mut first_row: HashMap<(String, String), (Place, u64)> = HashMap::new();
    for row in rows {
        if row.fields.iter().all(|(t, _)| t.trim().is_empty()) {
            continue;
        }
        if row.fields.len() != kinds.len() {
            let d = Diag::error(
                Code::DataFormat,
                format!("line {} has {} values, the header has {}", row.line, row.fields.len(), kinds.len()),
            )
            .at(span(&row.span), "this line")
            .help("write one value per column, separated by commas; a value with a comma goes in double quotes")
            .ru(
                values_ru(row.line, row.fields.len(), kinds.len()),
                Some("эта строка".into()),
                Some(ONE_VALUE_PER_COLUMN_RU.into()),
            );
            c.diags.push(d);
            continue;
        }
        let (mut unit, mut period, mut unit_at) = (None, None, place(&row.span));
        let mut name = Labels::new();
        let mut groups = IndexMap::new();
        let mut answers = Answers::unanswered(model.questions.len());
        for (kind, (text, at)) in kinds.iter().zip(&row.fields) {
            let t = text.trim();
            match kind {
                Wide::Unit => {
                    unit_at = place(at);
                    unit = c.unit(&Kind::Str(t.to_string()), &place(at));
                }
                Wide::Period => period = c.period(&Kind::Str(t.to_string()), &place(at)),
                Wide::Name(lang) if !t.is_empty() => {
                    name.insert(lang.clone(), t.to_string());
                }
                Wide::Group(key, key_at) if !t.is_empty() => {
                    if let Some(label) = c.group(key, &place(key_at), &Kind::Str(t.to_string()), &place(at)) {
                        groups.insert(key.clone(), label);
                    }
                }
                Wide::Question(qi) if !cells.value(t).is_empty() => {
                    let q = &model.questions[*qi];
                    answers.set(*qi, Some(c.value(q, &text_value(q, &cells.value(t)), &place(at))));
                }
                _ => {}
            }
        }
        let (Some(unit), Some(period)) = (unit, period) else { continue };
        let key = (unit.clone(), period.clone());
        if let Some((first, line)) = first_row.get(&key) {
            let d = Diag::error(
                Code::DataDuplicate,
                format!("a second row for unit `{unit}` and period `{period}` (the first is on line {line}); this one is not read"),
            )
            .help("keep one row per unit and period")
            .ru(
                format!("вторая строка для государства `{unit}` и периода `{period}` (первая — в строке {line}); эта строка не читается"),
                Some(format!("`{unit}` ещё раз")),
                Some("оставьте одну строку на государство и период".into()),
            );
            let d = unit_at.put(d, format!("`{unit}` again"));
            let d = first.also(d, "first given here", "впервые указано здесь");
            c.diags.push(d);
            continue;
        }
        first_row.insert(key, (unit_at.clone(), row.line));
        for (i, q) in model.questions.values().enumerate() {
            if q.required && answers.get(i).is_none() {
                let help = match kinds.iter().any(|k| matches!(k, Wide::Question(qi) if *qi == i)) {
                    true => {
                        format!("fill in the `{}` cell on line {} (an empty cell is not submitted)", q.id, row.line)
                    }
                    false => format!("add a column `{}` and fill it in", q.id),
                };
                c.not_answered(q, &unit_at, Some(&format!("`{unit}` {period}")), help);
            }
        }
        let sub = Submission {
            unit,
            period,
            name,
            groups,
            note: None,
            file: display.to_string(),
            sha256: sha.clone(),
            answers,
        };
        out.push(Loaded { sub, unit_at });
    }
    if out.is_empty() && c.diags.is_empty() {
        let d = Diag::error(Code::DataFormat, "the CSV file holds no units")
            .at(span(&header.span), "only the header")
            .help("write one row per unit and period below the header: its `unit`, `period` and answers")
            .ru(
                "в файле CSV нет ни одного государства",
                Some("только строка заголовков".into()),
                Some("напишите под строкой заголовков по строке на каждое государство и период: `unit`, `period` и ответы".into()),
            );
        c.diags.push(d);
    }
    (out, c.diags)
}

/// A value in quotes that the file ends inside, in English and Russian.
const UNCLOSED: [&str; 2] =
    ["a value in quotes is not closed before the end of the file", "значение в кавычках не закрыто до конца файла"];

/// How to write a line of a CSV file, in Russian.
const ONE_VALUE_PER_COLUMN_RU: &str =
    "напишите по одному значению на столбец через запятую; значение с запятой заключите в двойные кавычки";

/// "line 7 has 3 values, the header has 6", in Russian (the plural by the Russian rule).
fn values_ru(line: u64, values: usize, columns: usize) -> String {
    format!(
        "в строке {line} — {}, а в строке заголовков — {columns}",
        crate::i18n::count(crate::i18n::Lang::Ru, values as f64, &crate::i18n::nouns::VALUE)
    )
}

fn place_span(file: FileId, r: &Range<usize>) -> Span {
    Span::new(file, r.start, r.end)
}

/// Every record of `text[start..]` with its line and the spans of its fields (offsets into
/// `text`), or the message and place of a parse error.
fn records(text: &str, start: usize, delimiter: u8) -> Result<Vec<Row>, (String, Range<usize>)> {
    let body = text.get(start..).unwrap_or("");
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(body.as_bytes());
    let mut rows = vec![];
    let mut record = csv::StringRecord::new();
    // lines counted so far, up to `counted` (records come in order: each is counted once)
    let (mut counted, mut lines) = (0usize, 1u64);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let pos = record.position().cloned().unwrap_or_else(csv::Position::new);
                // After a CRLF line end, the record's position is the LF: skip line ends.
                let mut at = (start + pos.byte() as usize).min(text.len());
                while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                    at += 1;
                }
                lines += text.as_bytes()[counted.min(at)..at].iter().filter(|&&c| c == b'\n').count() as u64;
                counted = counted.max(at);
                let line = lines;
                let spans = field_spans(text, at, record.len(), delimiter);
                let end = spans.last().map(|s| s.end).unwrap_or(at);
                let fields = record.iter().map(str::to_string).zip(spans).collect();
                rows.push(Row { line, span: at..end, fields });
            }
            Err(e) => {
                let at = e.position().map(|p| start + p.byte() as usize).unwrap_or(text.len());
                let at = at.min(text.len());
                return Err((e.to_string(), at..at));
            }
        }
    }
    // The csv crate ends a value in quotes that is never closed at the end of the file, taking
    // the rest of the file into it: a truncated file, or a stray quote. That is not guessed.
    if let Some(last) = rows.last() {
        for (_, span) in &last.fields {
            let raw = text.get(span.clone()).unwrap_or("");
            if raw.starts_with('"') && !closed_quote(raw) {
                return Err((UNCLOSED[0].into(), span.start..span.start + 1));
            }
        }
    }
    Ok(rows)
}

/// Whether a field written in quotes (`"…"`, with `""` for a quote) is closed.
fn closed_quote(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'"' {
            if b.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return true;
        }
        i += 1;
    }
    false
}

/// The spans of the `n` fields of the record that starts at `at`: each field as written, quotes
/// included.
fn field_spans(text: &str, at: usize, n: usize, delimiter: u8) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut i = at.min(b.len());
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let s = i;
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < b.len() && b[i] != delimiter && !matches!(b[i], b'\n' | b'\r') {
            i += 1;
        }
        out.push(s..i);
        if b.get(i) == Some(&delimiter) {
            i += 1;
        } else {
            break;
        }
    }
    while out.len() < n {
        out.push(i..i);
    }
    // Snap to character boundaries (a field's edges always are, but be safe with odd input).
    out.into_iter()
        .map(|r| {
            let (mut s, mut e) = (r.start.min(text.len()), r.end.min(text.len()));
            while s > 0 && !text.is_char_boundary(s) {
                s -= 1;
            }
            while e < text.len() && !text.is_char_boundary(e) {
                e += 1;
            }
            s..e
        })
        .collect()
}
