//! Rules in words (`tamga::words`): the requirements, levels and conditions of the EAEU
//! methodology, and the scoring rules of its indicators, as a Russian and an English reader sees
//! them: labels and units, no identifier of the rule files and no rule syntax.

use std::fmt::Write;
use std::path::Path;
use tamga::report::Lang;
use tamga::words::{rule_in_words, Words};

fn eaeu() -> tamga::model::Model {
    let (meth, _) =
        tamga::check::check(Path::new("rules/eaeu")).methodology().unwrap_or_else(|_| panic!("rules/eaeu checks"));
    meth.model
}

/// Everything the Code and the recommendations say, in words.
fn code_in_words(model: &tamga::model::Model, lang: Lang) -> String {
    let w = Words::new(model, lang);
    let mut out = String::new();
    for (code, s) in &model.standards {
        let _ = writeln!(out, "{code}: {}", w.requirement(s));
        for (name, cond) in w.levels(s) {
            let _ = writeln!(out, "  {name}: {cond}");
        }
    }
    for r in model.recommendations.values() {
        let _ = writeln!(out, "{}: {}", lang.pick(&r.labels, &r.id), w.condition(r));
    }
    out
}

/// No identifier of the rule files and no rule syntax in a text meant for a reader.
fn assert_no_code(model: &tamga::model::Model, text: &str) {
    let mut ids: Vec<&str> = model.questions.keys().map(String::as_str).collect();
    ids.extend(model.indicators.keys().map(String::as_str));
    ids.extend(model.areas.keys().map(String::as_str));
    ids.extend(model.recommendations.keys().map(String::as_str));
    // ids that are ordinary words (`business`) may stand in a label; those with `_` never do
    ids.retain(|id| id.contains('_'));
    for line in text.lines() {
        let words: Vec<&str> = line.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
        for id in &ids {
            assert!(!words.contains(id), "identifier `{id}` in: {line}");
        }
        for syntax in ["<=", ">=", "==", "!=", "met(", "..", "goalposts(", "&&"] {
            assert!(!line.contains(syntax), "`{syntax}` in: {line}");
        }
    }
}

#[test]
fn eaeu_requirements_in_russian() {
    let model = eaeu();
    let text = code_in_words(&model, Lang::Ru);
    assert_no_code(&model, &text);
    // the requirement of FAC-1 (`q05_import_release_time <= 24`), its unit in Russian
    assert!(
        text.contains("FAC-1: 5. Среднее время от прибытия товаров до их выпуска (импорт) — не более 24\u{a0}ч\n"),
        "{text}"
    );
    assert!(
        text.contains("  передовой: 8. Среднее время таможенных операций при выпуске товаров — не более 0,25\u{a0}ч\n")
    );
    assert!(text.contains("не выполнен стандарт BUS-1 «"));
    assert!(text.contains("— ниже среднего по Союзу\n"));
    insta::assert_snapshot!("eaeu_code_in_words_ru", text);
}

#[test]
fn eaeu_requirements_in_english() {
    let model = eaeu();
    let text = code_in_words(&model, Lang::En);
    assert_no_code(&model, &text);
    insta::assert_snapshot!("eaeu_code_in_words_en", text);
}

#[test]
fn eaeu_scoring_rules_in_russian() {
    let model = eaeu();
    let mut out = String::new();
    for (id, ind) in &model.indicators {
        if let Some(rule) = &ind.score {
            let _ = writeln!(out, "{}: {}", Lang::Ru.pick(&ind.labels, id), rule_in_words(rule, &ind.unit, Lang::Ru));
        }
    }
    assert_no_code(&model, &out);
    assert!(!out.contains("goalposts"), "{out}");
    insta::assert_snapshot!("eaeu_scoring_rules_ru", out);
}
