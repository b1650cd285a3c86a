//! A missing value's root cause ([`crate::eval::cause`]) told in words (English and Russian) and
//! as the `cause` object of the result's JSON.

use super::Lang;
use crate::eval::cause::{Cause, Root};
use crate::model::*;
use serde::Serialize;

/// The `cause` object beside a missing value's `missing` reason in the result.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CauseDoc {
    /// `answer`, `rule`, `unverified`, `operation` or `aggregate`: where the cause arose.
    pub kind: &'static str,
    /// The root's reason (`not_submitted` under a `not_assessable` area).
    pub reason: Reason,
    /// The question whose answer is missing or invalid (its labels are the methodology's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The consistency rule the answer violates (its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The operation as written (`a / b`), or the violated rule's condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The value that holds the operation or the aggregate (`indicator x`, `area y`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// At the first aggregate on the way: the ids of its missing children, in declaration order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_children: Vec<String>,
    /// That aggregate's number of children.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_children: Option<usize>,
    /// The values walked from this one to the cause (`area payments`, `indicator gni_index`, …).
    pub path: Vec<String>,
    /// The whole explanation as a sentence, per language.
    pub text: Labels,
}

/// The id of a slot's value as a reader of the rules knows it.
fn slot_id(m: &Model, s: Slot) -> String {
    match &m.slots[s.0 as usize] {
        SlotKind::Question(id)
        | SlotKind::Value(id)
        | SlotKind::Score(id)
        | SlotKind::Area(id)
        | SlotKind::Recommend(id)
        | SlotKind::Rule(id)
        | SlotKind::Hidden(id) => id.clone(),
        SlotKind::Met(c) | SlotKind::Level(c) | SlotKind::Attainment(c) | SlotKind::StandardValue(c) => c.clone(),
        SlotKind::Chapter(c) => c.clone(),
        SlotKind::Code => "code".into(),
    }
}

/// The cause as the result's JSON object.
pub fn doc(m: &Model, c: &Cause) -> CauseDoc {
    let mut d = CauseDoc {
        kind: "answer",
        reason: c.root_reason,
        question: None,
        rule: None,
        expression: None,
        place: None,
        missing_children: c
            .children
            .as_ref()
            .map(|k| k.missing.iter().map(|s| slot_id(m, *s)).collect())
            .unwrap_or_default(),
        of_children: c.children.as_ref().map(|k| k.total),
        path: c.path.iter().map(|s| super::json::slot_label(m, *s)).collect(),
        text: [("en", Lang::En), ("ru", Lang::Ru)]
            .into_iter()
            .map(|(k, l)| (k.to_string(), sentence(m, c, l)))
            .collect(),
    };
    match &c.root {
        Root::Answer { question } => {
            d.question = Some(m.questions[*question].id.clone());
        }
        Root::Rule { rule, question } | Root::Unverified { rule, question, .. } => {
            d.kind = if matches!(c.root, Root::Unverified { .. }) { "unverified" } else { "rule" };
            if let Some(r) = m.rules.get_index(*rule).map(|(_, r)| r) {
                d.rule = Some(r.id.clone());
                d.expression = Some(r.text.clone());
            }
            d.question = question.map(|q| m.questions[q].id.clone());
        }
        Root::Operation { origin } => {
            d.kind = "operation";
            if let Some(o) = m.origins.get(*origin as usize) {
                d.expression = Some(o.text.clone()).filter(|t| !t.is_empty());
                d.place = Some(super::json::slot_label(m, o.slot));
            }
        }
        Root::Node { slot } => {
            d.kind = "aggregate";
            d.place = Some(super::json::slot_label(m, *slot));
        }
    }
    d
}

/// Why the root arose, as the end of a sentence: "`gni` was not submitted".
pub fn root(m: &Model, c: &Cause, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    match &c.root {
        Root::Answer { question } => {
            let id = &m.questions[*question].id;
            match (c.root_reason, ru) {
                (Reason::NotSubmitted, false) => format!("`{id}` was not submitted"),
                (Reason::NotSubmitted, true) => format!("не представлен ответ на вопрос `{id}`"),
                (Reason::NotApplicable, false) => format!("`{id}` was declared not applicable"),
                (Reason::NotApplicable, true) => format!("вопрос `{id}` объявлен неприменимым"),
                (Reason::Confidential, false) => format!("`{id}` is confidential"),
                (Reason::Confidential, true) => format!("ответ на вопрос `{id}` конфиденциален"),
                (_, false) => format!("the answer to `{id}` failed validation"),
                (_, true) => format!("ответ на вопрос `{id}` не прошёл проверку"),
            }
        }
        Root::Rule { rule, question } => {
            let text = match m.rules.get_index(*rule).map(|(_, r)| r) {
                Some(r) if r.id != r.text => format!("{}`: `{}", r.id, r.text),
                Some(r) => r.text.clone(),
                None => String::new(),
            };
            match (question.map(|q| &m.questions[q].id), ru) {
                (Some(id), false) => format!("the answer to `{id}` violates the consistency rule `{text}`"),
                (Some(id), true) => format!("ответ на вопрос `{id}` нарушает правило согласованности `{text}`"),
                (None, false) => format!("the answers violate the consistency rule `{text}`"),
                (None, true) => format!("ответы нарушают правило согласованности `{text}`"),
            }
        }
        Root::Unverified { rule, question, left_out } => {
            let text = match m.rules.get_index(*rule).map(|(_, r)| r) {
                Some(r) if r.id != r.text => format!("{}`: `{}", r.id, r.text),
                Some(r) => r.text.clone(),
                None => String::new(),
            };
            let subject = match (question.map(|q| &m.questions[q].id), ru) {
                (Some(id), false) => format!("the answer to `{id}`"),
                (Some(id), true) => format!("ответ на вопрос `{id}`"),
                (None, false) => "the answers".to_string(),
                (None, true) => "ответы".to_string(),
            };
            let why = match left_out {
                Some((q, reason)) => {
                    let id = &m.questions[*q].id;
                    match (reason, ru) {
                        (Reason::NotSubmitted, false) => format!("`{id}` was not submitted"),
                        (Reason::NotSubmitted, true) => format!("не представлен ответ на вопрос `{id}`"),
                        (Reason::Confidential, false) => format!("`{id}` is confidential"),
                        (Reason::Confidential, true) => format!("ответ на вопрос `{id}` конфиденциален"),
                        (_, false) => format!("the answer to `{id}` is invalid"),
                        (_, true) => format!("ответ на вопрос `{id}` недействителен"),
                    }
                }
                None if ru => "отсутствует другой ответ, который оно называет".to_string(),
                None => "another answer it names is missing".to_string(),
            };
            if ru {
                format!("{subject} нельзя проверить правилом согласованности `{text}`: {why}")
            } else {
                format!("{subject} cannot be verified by the consistency rule `{text}`: {why}")
            }
        }
        Root::Operation { origin } => {
            let o = m.origins.get(*origin as usize);
            let text = o.map(|o| o.text.clone()).filter(|t| !t.is_empty());
            let place = o.map(|o| slot_id(m, o.slot)).unwrap_or_default();
            let at = text.unwrap_or_else(|| place.clone());
            match (c.root_reason, ru) {
                (Reason::DivisionByZero, false) => format!("of a division by zero in `{at}`"),
                (Reason::DivisionByZero, true) => format!("в `{at}` деление на ноль"),
                (Reason::Domain, false) => format!("`{at}` is outside its domain (or of every band)"),
                (Reason::Domain, true) => format!("`{at}` вне области определения (или всех диапазонов)"),
                (Reason::InsufficientData, false) => {
                    format!("`{at}` has too few values, or all equal, across the states")
                }
                (Reason::InsufficientData, true) => {
                    format!("для `{at}` слишком мало значений по государствам или все они равны")
                }
                (r, false) => format!("`{at}` in `{place}` gives a missing value ({})", r.as_str()),
                (r, true) => format!("`{at}` в `{place}` даёт пропуск ({})", r.as_str()),
            }
        }
        Root::Node { slot } => {
            let id = slot_id(m, *slot);
            if ru {
                format!("`{id}` не удалось вычислить")
            } else {
                format!("`{id}` could not be computed")
            }
        }
    }
}

/// The whole explanation: "not assessable because `gni` was not submitted", or "not assessable:
/// 2 of 3 parts missing (`income`, `health`); the first because …".
pub fn sentence(m: &Model, c: &Cause, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    // an answer says its own reason; anything computed from it is not assessable
    let own = c.path.first().is_some_and(|s| matches!(m.slots[s.0 as usize], SlotKind::Question(_)));
    let what = super::text::reason(lang, if own { c.reason } else { Reason::NotAssessable });
    let why = root(m, c, lang);
    match &c.children {
        Some(k) if k.missing.len() > 1 || k.total > 1 => {
            let ids = k.missing.iter().map(|s| format!("`{}`", slot_id(m, *s))).collect::<Vec<_>>().join(", ");
            let n = k.missing.len();
            match (ru, n > 1) {
                (true, true) => {
                    let verb =
                        if n % 10 == 1 && n % 100 != 11 { "отсутствует" } else { "отсутствуют" };
                    format!("{what}: {verb} {n} из {} составляющих ({ids}); первая из них — так как {why}", k.total)
                }
                (true, false) => format!("{what}: отсутствует 1 из {} составляющих ({ids}), так как {why}", k.total),
                (false, true) => format!("{what}: {n} of {} parts missing ({ids}); the first because {why}", k.total),
                (false, false) => format!("{what}: 1 of {} parts missing ({ids}) because {why}", k.total),
            }
        }
        _ if ru => format!("{what}, так как {why}"),
        _ => format!("{what} because {why}"),
    }
}
