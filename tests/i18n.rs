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
    for (n, want) in [(1.0, "знак"), (2.0, "знака"), (5.0, "знаков"), (11.0, "знаков"), (21.0, "знак"), (1.5, "знака")] {
        assert_eq!(nouns::DIGIT.form(Lang::Ru, n), want, "{n}");
    }
    assert_eq!(i18n::count(Lang::Ru, 1.5, &nouns::DIGIT), "1,5\u{a0}знака");
    assert_eq!(i18n::date(Lang::Ru, "2025-06-01"), "01.06.2025");
}
