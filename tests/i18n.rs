//! The base of the outputs' language: the glossary file and the module agree, and the Russian
//! notation of numbers, plurals and dates (hand assertions).

use tamga::i18n::{self, glossary, nouns, Lang};

/// The rows of the glossary's table in `docs/glossary.md`: (key, English, Russian).
fn glossary_rows() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/glossary.md")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].trim_matches('`').to_string(), cells[1].to_string(), cells[2].to_string())
        })
        .collect()
}

#[test]
fn the_glossary_file_and_the_module_agree() {
    let rows = glossary_rows();
    let module: Vec<(String, String, String)> =
        glossary::ALL.iter().map(|t| (t.key.to_string(), t.en.to_string(), t.ru.to_string())).collect();
    assert!(module.len() >= 30, "the glossary has {} terms", module.len());
    assert_eq!(rows, module, "docs/glossary.md and src/i18n/glossary.rs say different things");
    let mut keys: Vec<&str> = glossary::ALL.iter().map(|t| t.key).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), glossary::ALL.len(), "a key twice");
    assert_eq!(glossary::AREA.ru, "направление");
}

#[test]
fn the_report_uses_the_glossary_words() {
    let ru = tamga::report::text::texts(Lang::Ru);
    assert_eq!(ru.kind_transitional, glossary::TRANSITIONAL_STANDARD.ru);
    assert_eq!(ru.kind_recommended, glossary::RECOMMENDED_PRACTICE.ru);
    assert_eq!(ru.node_area, glossary::AREA.ru);
    assert_eq!(ru.na, "н/д");
    assert_eq!(tamga::report::text::texts(Lang::En).na, "n/a");
}

#[test]
fn russian_numbers_plurals_and_dates() {
    assert_eq!(i18n::number(Lang::Ru, "12345.6"), "12\u{202f}345,6");
    assert_eq!(i18n::number(Lang::Ru, "9.0"), "9,0");
    assert_eq!(i18n::with_unit(Lang::Ru, &i18n::number(Lang::Ru, "24"), "ч"), "24\u{a0}ч");
    assert_eq!(i18n::with_unit(Lang::Ru, "75", "%"), "75\u{a0}%");
    for (n, want) in [(1.0, "знак"), (2.0, "знака"), (5.0, "знаков"), (11.0, "знаков"), (21.0, "знак"), (1.5, "знака")]
    {
        assert_eq!(nouns::DIGIT.form(Lang::Ru, n), want, "{n}");
    }
    assert_eq!(i18n::count(Lang::Ru, 1.5, &nouns::DIGIT), "1,5\u{a0}знака");
    assert_eq!(i18n::date(Lang::Ru, "2025-06-01"), "01.06.2025");
}

// ───────────── item 9: units are labels ─────────────

use tamga::check::{check_text, Methodology};
use tamga::diagnostics::{render, Style};
use tamga::source::FileId;
use tamga::syntax::{parse_file, print};

const UNITS: &str = "methodology t { en \"t\" ru \"t\" version \"1\" }\n\
    question amount : money { en \"Amount\" ru \"Сумма\" unit en \"USD million\" ru \"млн долл. США\" }\n\
    question hours : hours { en \"Hours\" ru \"Часы\" }\n\
    index idx { en \"i\" ru \"и\"\n\
      indicator spent = amount { en \"Spent\" ru \"Израсходовано\" unit en \"USD million\" ru \"млн долл. США\" score value }\n\
      indicator wait = hours { en \"Wait\" ru \"Ожидание\" unit \"h\" score value }\n\
    }\n";

fn meth_of(text: &str) -> Methodology {
    match check_text("m.tamga", text).methodology() {
        Ok((m, _)) => m,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, Style { color: false, width: 100 })),
    }
}

#[test]
fn a_unit_has_a_label_per_language_and_the_checker_reads_the_english_one() {
    let m = meth_of(UNITS);
    let q = &m.model.questions["amount"];
    assert_eq!(q.unit, "USD million");
    assert_eq!(q.unit_labels.get("ru").map(String::as_str), Some("млн долл. США"));
    let i = &m.model.indicators["spent"];
    assert_eq!(i18n::unit_label(Lang::Ru, &i.unit, &i.unit_labels), "млн долл. США");
    assert_eq!(i18n::unit_label(Lang::En, &i.unit, &i.unit_labels), "USD million");
    // a question type's implied unit has its Russian label without being declared
    let w = &m.model.indicators["wait"];
    assert_eq!(i18n::unit_label(Lang::Ru, &w.unit, &w.unit_labels), "ч");
}

#[test]
fn fmt_prints_unit_labels_and_the_fingerprint_sees_them() {
    let ast = parse_file(FileId(0), UNITS).expect("parses");
    let printed = print::format_file(&ast, UNITS);
    assert!(printed.contains("unit en \"USD million\" ru \"млн долл. США\""), "{printed}");
    let again = parse_file(FileId(0), &printed).expect("parses after fmt");
    assert_eq!(print::canonical(&[&ast]), print::canonical(&[&again]));
    // commas between the labels are allowed and mean the same
    let commas = UNITS.replace("unit en \"USD million\" ru", "unit en \"USD million\", ru");
    let fp = |t: &str| check_text("m.tamga", t).fingerprint.expect("fingerprint");
    assert_eq!(fp(UNITS), fp(&commas));
    let other = UNITS.replacen("ru \"млн долл. США\"", "ru \"млн USD\"", 1);
    assert_ne!(fp(UNITS), fp(&other));
    let d = tamga::version::diff::diff("old", &meth_of(UNITS), "new", &meth_of(&other));
    let text = tamga::version::diff::to_text(&d, Lang::Ru);
    assert!(text.contains("единица измерения (ru): `млн долл. США` → `млн USD`"), "{text}");
}

#[test]
fn a_unit_label_given_twice_in_one_language_is_an_error_that_says_where_labels_go() {
    // the declaration's own label written after the unit reads as a second unit label
    let text = UNITS.replace(
        "question hours : hours { en \"Hours\" ru \"Часы\" }",
        "question hours : hours { unit en \"h\" ru \"ч\" en \"Hours\" ru \"Часы\" }",
    );
    let c = check_text("m.tamga", &text);
    let out = render(&c.diags, &c.sources, Style { color: false, width: 100 });
    assert!(out.contains("the unit's label in `en` is given twice"), "{out}");
    assert!(out.contains("write the declaration's labels before `unit`"), "{out}");
}

#[test]
fn a_russian_report_writes_the_unit_labels_and_decimal_commas() {
    let m = meth_of(UNITS);
    let mut sources = m.sources.clone();
    let json = r#"{"unit": "AM", "period": "2023", "answers": {"amount": 12345.5, "hours": 9}}"#;
    let mut data = tamga::data::Dataset::default();
    let (sub, diags) = tamga::data::load_text(&m.model, "am.json", json, &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "bad submission");
    data.submissions.push(sub.expect("submission"));
    let out = tamga::eval::evaluate(&m.model, &data);
    let doc = tamga::report::json::build(&m, &sources, &data, &out);
    let files = tamga::report::render(&m.model, &doc, Lang::Ru, &[tamga::report::Format::Markdown]);
    let md = String::from_utf8(files[0].1.clone()).unwrap();
    assert!(md.contains("| млн долл. США |"), "{md}");
    assert!(md.contains("| ч |"), "{md}");
    assert!(!md.contains("USD million"), "{md}");
}

// ───────────── item 10: diagnostics a state's official reads ─────────────

/// `tamga` with these arguments, run from the crate root.
fn tamga(args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(insta_cmd::get_cargo_bin("tamga"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.args(args);
    cmd
}

#[test]
fn validate_speaks_russian_under_lang_ru() {
    insta_cmd::assert_cmd_snapshot!(tamga(&[
        "--lang",
        "ru",
        "--color",
        "never",
        "validate",
        "rules/demo",
        "tests/cases/submissions/am-2023-bad.json"
    ]));
}

// every diagnostic of submissions in Russian, case by case: tests/russian_diagnostics.rs

#[test]
fn validate_in_russian_labels_every_place_in_russian() {
    // keys given twice (the first place labelled too), shapes of a submission, CSV rows, and a
    // submission given twice across files
    insta_cmd::assert_cmd_snapshot!(tamga(&[
        "--lang",
        "ru",
        "--color",
        "never",
        "validate",
        "tests/cases/ru-diagnostics/questions.tamga",
        "tests/cases/ru-diagnostics/json-shapes.json",
        "tests/cases/ru-diagnostics/csv-long-rows.csv",
        "tests/cases/ru-diagnostics/twice"
    ]));
}

#[test]
fn a_csv_saved_by_a_russian_excel_is_explained_in_russian() {
    // a Russian Excel separates CSV columns by semicolons: detected (tests/spreadsheets.rs); read
    // with commas on purpose, the official is told in Russian how to read it
    insta_cmd::assert_cmd_snapshot!(tamga(&[
        "--lang",
        "ru",
        "--color",
        "never",
        "validate",
        "rules/demo",
        "tests/cases/bad-input/csv-semicolon.csv",
        "--delimiter",
        ","
    ]));
}
