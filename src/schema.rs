//! JSON Schemas (draft 2020-12) of what tamga reads and writes, so that other systems can check
//! data before sending it, and read tamga's outputs knowing their shape.
//!
//! - [`submission`]: a methodology's JSON submission, built from the [`Model`] (its questions,
//!   types, ranges, options and labels): it depends on the methodology, so it is written here by
//!   hand over `serde_json::Value`.
//! - [`result`] and [`diagnostics`]: derived with `schemars` from the serde types that produce
//!   `tamga eval --format json` ([`ResultDoc`] and the `diagnostics` beside it) and
//!   `tamga check --format json` ([`CheckDoc`]). The schemas are committed in `schemas/`, and a
//!   test fails when the types and the files part.

use crate::diagnostics::{CheckDoc, JsonDiag};
use crate::i18n::{self, Lang};
use crate::model::{Model, NumRange, Question, QuestionType, Reason};
use crate::report::json::ResultDoc;
use serde_json::{json, Map, Value};

/// The draft every schema follows.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The whole output of `tamga eval --format json`: the result, and the diagnostics reported
/// while computing it as its last field.
#[allow(dead_code)] // only its schema is used: the output is written from `ResultDoc`
#[derive(schemars::JsonSchema)]
#[schemars(title = "tamga result")]
struct EvalDoc {
    #[serde(flatten)]
    result: ResultDoc,
    /// The diagnostics reported while loading the submissions and evaluating (warnings, and
    /// errors of submissions that were left out); `[]` when there were none. Always in the output
    /// of `eval --format json`; not in `result.json` of `tamga report`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagnostics: Vec<JsonDiag>,
}

/// The schema of the result, `tamga eval --format json` (and `result.json` of `tamga report`,
/// which is the same document): `schemas/result.schema.json`.
pub fn result() -> Value {
    let mut s = of::<EvalDoc>();
    tidy(&mut s);
    describe(
        &mut s,
        "urn:tamga:schema:result",
        "The result of evaluating a methodology on submissions (`tamga eval --format json`, and \
         `result.json` of `tamga report`); docs/results.md describes every field.",
    );
    s
}

/// The schema of the diagnostics of a methodology, `tamga check --format json`:
/// `schemas/diagnostics.schema.json`.
pub fn diagnostics() -> Value {
    let mut s = of::<CheckDoc>();
    tidy(&mut s);
    describe(
        &mut s,
        "urn:tamga:schema:diagnostics",
        "The diagnostics of a methodology (`tamga check --format json`): every error and warning \
         with its stable code, place and hint.",
    );
    s
}

/// The schema of what `T` serializes to (a field skipped when empty is not required).
fn of<T: schemars::JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// Descriptions taken from doc comments, made plain: the lines of a paragraph joined, and
/// rustdoc's links (`` [`crate::eval::Coverage`] ``) written as code (`` `Coverage` ``).
fn tidy(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    Value::String(text) if k == "description" => *text = plain(text),
                    _ => tidy(x),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// A doc comment as plain text (see [`tidy`]).
fn plain(doc: &str) -> String {
    let joined = doc.split("\n\n").map(|p| p.replace('\n', " ")).collect::<Vec<_>>().join("\n\n");
    let mut out = String::new();
    let mut rest = joined.as_str();
    while let Some(i) = rest.find("[`") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("`]") {
            Some(j) => {
                let name = &after[..j];
                out.push('`');
                out.push_str(name.rsplit("::").next().unwrap_or(name));
                out.push('`');
                rest = &after[j + 2..];
            }
            None => {
                out.push_str("[`");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Puts `$id` and the description first after `$schema`, replacing the type's doc comment.
fn describe(schema: &mut Value, id: &str, description: &str) {
    let Some(map) = schema.as_object_mut() else { return };
    let mut out = Map::new();
    out.insert("$schema".into(), json!(DRAFT));
    out.insert("$id".into(), json!(id));
    if let Some(t) = map.remove("title") {
        out.insert("title".into(), t);
    }
    out.insert("description".into(), json!(description));
    map.remove("$schema");
    map.remove("description");
    out.append(map);
    *map = out;
}

/// The reasons a submission can give for a missing answer (the evaluation's own reasons, such as
/// `division_by_zero`, cannot be declared).
pub fn submitted_reasons() -> Vec<Reason> {
    Reason::ALL.into_iter().filter(|r| i18n::submitted_reason(Lang::En, *r).is_some()).collect()
}

/// The schema of a JSON submission to `model` (TOML submissions have the same shape), with the
/// questions' labels and help in `lang`.
///
/// It says what `tamga validate` refuses as an error, and two things more: every required
/// question must be present (tamga warns and counts one left out as not submitted; the schema
/// wants the answer or `{ "missing": "not_submitted" }`), and a JSON number written with a
/// fraction (`2023.0`) passes as an integer `period` or count although tamga refuses it.
pub fn submission(model: &Model, lang: Lang) -> Value {
    let h = &model.header;
    let title = lang.pick(&h.title, &h.id);
    let mut answers = Map::new();
    let mut required = vec![];
    for q in model.questions.values() {
        answers.insert(q.id.clone(), answer(q, lang));
        if q.required {
            required.push(json!(q.id));
        }
    }
    let mut unit = json!({
        "type": "string",
        "pattern": "^[A-Za-z0-9._/-]+$",
        "description": lang.tr(
            "The unit's code: Latin letters, digits, `-`, `_`, `.` and `/` (AM, or AM-01 for a customs post).",
            "Код государства: латинские буквы, цифры, `-`, `_`, `.` и `/` (AM или AM-01 для таможенного поста).",
        ),
    });
    if !h.units.is_empty() {
        // the declared units give the order of outputs; others are accepted after them, so
        // they are examples, not an enum
        unit["examples"] = json!(h.units);
        unit["description"] = json!(format!(
            "{} {}",
            lang.tr(
                "The unit's code: Latin letters, digits, `-`, `_`, `.` and `/`. The methodology lists",
                "Код государства: латинские буквы, цифры, `-`, `_`, `.` и `/`. В методике перечислены",
            ),
            match lang {
                Lang::En => format!("{} (other codes are accepted and come after them).", h.units.join(", ")),
                Lang::Ru => format!("{} (другие коды допускаются и следуют за ними).", h.units.join(", ")),
            }
        ));
    }
    let missing = json!({
        "type": "object",
        "description": lang.tr(
            "A missing answer and why it is missing, with an optional comment.",
            "Отсутствующий ответ и причина его отсутствия, при необходимости с комментарием.",
        ),
        "properties": {
            "missing": {
                "enum": submitted_reasons().into_iter().map(Reason::as_str).collect::<Vec<_>>(),
                "description": lang.tr(
                    "not_submitted, not_applicable or confidential",
                    "not_submitted (не представлено), not_applicable (неприменимо) или confidential (конфиденциально)",
                ),
            },
            "comment": { "type": "string" },
        },
        "required": ["missing"],
        "additionalProperties": false,
    });
    json!({
        "$schema": DRAFT,
        "$id": format!("urn:tamga:schema:submission:{}:{}", h.id, h.version),
        "title": format!("{} {}", title, h.version),
        "description": match lang {
            Lang::En => format!("A submission to the methodology `{}` {}: one unit's answers for one period.", h.id, h.version),
            Lang::Ru => format!("Анкета по методике `{}` {}: ответы одного государства за один период.", h.id, h.version),
        },
        "type": "object",
        "properties": {
            "unit": unit,
            "period": {
                "description": lang.tr(
                    "The period: a whole number (2023) or a text without spaces at its edges (2023-Q1).",
                    "Период: целое число (2023) или текст без пробелов по краям (2023-Q1).",
                ),
                "anyOf": [
                    { "type": "integer" },
                    { "type": "string", "pattern": "^\\S(.*\\S)?$" },
                ],
            },
            "name": {
                "type": "object",
                "description": lang.tr(
                    "The unit's name per language: { \"en\": \"Armenia\", \"ru\": \"Армения\" }.",
                    "Наименование государства на каждом языке: { \"en\": \"Armenia\", \"ru\": \"Армения\" }.",
                ),
                "additionalProperties": { "type": "string" },
            },
            "note": {
                "type": "string",
                "description": lang.tr(
                    "A note on the data, shown with every result (\"Illustrative data\").",
                    "Примечание к данным, показываемое с каждым результатом («Условные данные»).",
                ),
            },
            "groups": {
                "type": "object",
                "description": lang.tr(
                    "The unit's groups, by group key: { \"EurAsia_group\": \"Asia\" }.",
                    "Группы государства по ключам групп: { \"EurAsia_group\": \"Asia\" }.",
                ),
                "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
                "additionalProperties": { "type": "string", "pattern": "\\S" },
            },
            "answers": {
                "type": "object",
                "description": lang.tr(
                    "One answer per question, by question id; an answer may be replaced by { \"missing\": reason }.",
                    "По одному ответу на вопрос, по идентификатору вопроса; ответ можно заменить на { \"missing\": причина }.",
                ),
                "properties": answers,
                "required": required,
                "additionalProperties": false,
            },
        },
        "required": ["unit", "period", "answers"],
        "additionalProperties": false,
        "$defs": { "missing": missing },
    })
}

/// One question's answer: its value, or a missing answer.
fn answer(q: &Question, lang: Lang) -> Value {
    let value = match &q.ty {
        QuestionType::YesNo => json!({ "type": "boolean" }),
        QuestionType::Choice(options) => {
            json!({ "enum": options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>() })
        }
        QuestionType::Count => number("integer", q.range, true),
        QuestionType::Hours | QuestionType::Money => number("number", q.range, true),
        QuestionType::Number | QuestionType::Percent => number("number", q.range, false),
    };
    let mut out = Map::new();
    out.insert("title".into(), json!(lang.pick(&q.labels, &q.id)));
    let mut about = vec![];
    if !q.help.is_empty() {
        about.push(lang.pick(&q.help, "").to_string());
    }
    if !q.unit.is_empty() {
        let unit = i18n::unit_label(lang, &q.unit, &q.unit_labels);
        about.push(format!("{}: {unit}.", lang.tr("Unit", "Единица измерения")));
    }
    if let QuestionType::Choice(options) = &q.ty {
        let list: Vec<String> = options.iter().map(|o| format!("{} — {}", o.id, lang.pick(&o.labels, &o.id))).collect();
        about.push(format!("{}: {}.", lang.tr("Options", "Варианты"), list.join("; ")));
    }
    if !about.is_empty() {
        out.insert("description".into(), json!(about.join(" ")));
    }
    out.insert("x-tamga-type".into(), json!(q.ty.name()));
    out.insert("anyOf".into(), json!([value, { "$ref": "#/$defs/missing" }]));
    Value::Object(out)
}

/// A number's schema: its type and the bounds of its range (`non_negative`: at least 0 whatever
/// the range, as counts, hours and money are).
fn number(ty: &str, range: NumRange, non_negative: bool) -> Value {
    let mut s = Map::new();
    s.insert("type".into(), json!(ty));
    let mut min = range.lo.filter(|b| b.inclusive).map(|b| b.value);
    if non_negative {
        min = Some(min.map_or(0.0, |m| m.max(0.0)));
    }
    if let Some(m) = min {
        s.insert("minimum".into(), bound(m));
    }
    if let Some(b) = range.lo.filter(|b| !b.inclusive) {
        s.insert("exclusiveMinimum".into(), bound(b.value));
    }
    if let Some(b) = range.hi {
        let key = if b.inclusive { "maximum" } else { "exclusiveMaximum" };
        s.insert(key.into(), bound(b.value));
    }
    Value::Object(s)
}

/// A bound as JSON: a whole number without a fraction (`100`, not `100.0`).
fn bound(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}
