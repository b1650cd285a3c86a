//! The bundled methodologies `rules/eaeu` and `rules/wco-pmm-pilot`:
//!
//! (a) both check without errors (warnings are listed; the EAEU one has exactly one, documented);
//! (b) every numbered item, sub-item, table column and element of the source document listed in
//!     `tests/eaeu_items.txt` is encoded by questions or indicators that exist in the model;
//! (c) the counts of the document hold: 16 automation elements, 47 digitalisation elements,
//!     items 1–12 and 17–25 present, items 13–16 absent (the document skips them);
//! (d) the illustrative submissions of `examples/eaeu` evaluate: 10 submissions, 2 periods,
//!     no data errors, at least one `division_by_zero` event (the planned zero denominator).
//!
//! Run with `cargo test --test eaeu`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tamga::check::{check, Methodology};
use tamga::diagnostics::{has_errors, render, Diag, Severity, Style};
use tamga::eval::EventKind;
use tamga::model::{MissingPolicy, Model, Unanswered};

const ITEMS: &str = "tests/eaeu_items.txt";

fn style() -> Style {
    Style { color: false, width: 100 }
}

/// Checks a methodology folder: no errors; returns the methodology and its warnings.
fn checked(dir: &str) -> (Methodology, Vec<Diag>) {
    let c = check(Path::new(dir));
    assert!(!has_errors(&c.diags), "{dir} does not check:\n{}", render(&c.diags, &c.sources, style()));
    match c.methodology() {
        Ok((m, diags)) => {
            let warnings: Vec<Diag> = diags.into_iter().filter(|d| d.severity == Severity::Warning).collect();
            if !warnings.is_empty() {
                eprintln!("{dir}: {} warning(s):\n{}", warnings.len(), render(&warnings, &m.sources, style()));
            }
            (m, warnings)
        }
        Err((s, d)) => panic!("{dir} has no model:\n{}", render(&d, &s, style())),
    }
}

/// The lines of the items file: (line number, reference, ids).
fn items() -> Vec<(usize, String, Vec<String>)> {
    let text = std::fs::read_to_string(ITEMS).expect("tests/eaeu_items.txt");
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace().map(str::to_string);
        let reference = words.next().expect("a reference");
        let ids: Vec<String> = words.collect();
        assert!(!ids.is_empty(), "{ITEMS}:{}: `{reference}` has no id", i + 1);
        out.push((i + 1, reference, ids));
    }
    out
}

fn has_id(m: &Model, id: &str) -> bool {
    m.questions.contains_key(id) || m.indicators.contains_key(id)
}

/// The element number of an id such as `auto_02a_…` or `dig_13b_…` (the prefix given): two
/// digits, an optional sub-item letter, then `_`.
fn element_number(id: &str, prefix: &str) -> Option<u32> {
    let rest = id.strip_prefix(prefix)?;
    let b = rest.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return None;
    }
    let i = if b[2].is_ascii_lowercase() { 3 } else { 2 };
    (b.get(i) == Some(&b'_')).then(|| rest[..2].parse().ok()).flatten()
}

/// The element number of a reference such as `AUTO.2a` or `DIG.13b`.
fn reference_number(reference: &str, prefix: &str) -> Option<u32> {
    let rest = reference.strip_prefix(prefix)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let tail = &rest[digits.len()..];
    (tail.is_empty() || (tail.len() == 1 && tail.chars().all(|c| c.is_ascii_lowercase())))
        .then(|| digits.parse().ok())
        .flatten()
}

#[test]
fn eaeu_methodology_checks_clean() {
    let (m, warnings) = checked("rules/eaeu");
    // item 23.2 may have nothing to collect: guarded with `missing("not_applicable")` (payments.tamga)
    assert!(warnings.is_empty(), "undocumented warnings:\n{}", render(&warnings, &m.sources, style()));
    // omission never pays: every area and the index count an omitted child as 0, and every group
    // an unanswered item as no (tests/omission.rs proves it on the examples)
    for area in m.model.areas.values() {
        assert_eq!(area.missing, MissingPolicy::ZeroExceptNotApplicable, "area `{}`", area.id);
    }
    for g in m.model.groups.values() {
        assert_eq!(g.missing, Some(Unanswered::Zero), "group `{}`", g.id);
    }
    let model = &m.model;
    assert_eq!(model.header.id, "eaeu_customs");
    assert!(model.header.languages.iter().any(|l| l == "ru") && model.header.languages.iter().any(|l| l == "en"));
    assert!(model.standards.len() >= 10, "only {} standards", model.standards.len());
    // every indicator inside an area has a scoring rule, a rationale and a source
    for ind in model.indicators.values().filter(|i| i.area.is_some()) {
        assert!(ind.score.is_some(), "indicator `{}` in an area has no scoring rule", ind.id);
        assert!(!ind.notes.is_empty(), "indicator `{}` has no rationale (`note`)", ind.id);
        assert!(ind.source.is_some(), "indicator `{}` has no `source`", ind.id);
    }
    // equal weights: no weight other than 1 anywhere (the default proposal for the methodologists)
    for ind in model.indicators.values() {
        assert_eq!(ind.weight, 1.0, "indicator `{}` has weight {}", ind.id, ind.weight);
    }
    for area in model.areas.values() {
        assert_eq!(area.weight, 1.0, "area `{}` has weight {}", area.id, area.weight);
    }
    // the index follows the document: I–IV, automation, digitalisation
    let top: Vec<&str> = model.areas.values().filter(|a| a.depth == 1).map(|a| a.id.as_str()).collect();
    assert_eq!(top, ["business", "facilitation", "classification", "payments", "automation", "digitalisation"]);
}

#[test]
fn wco_pilot_methodology_checks_clean() {
    let (m, warnings) = checked("rules/wco-pmm-pilot");
    assert!(warnings.is_empty(), "{} warning(s)", warnings.len());
    // one area per expected result I–IX
    let top = m.model.areas.values().filter(|a| a.depth == 1).count();
    assert_eq!(top, 9);
}

#[test]
fn every_item_of_the_document_is_traceable() {
    let (eaeu, _) = checked("rules/eaeu");
    let (wco, _) = checked("rules/wco-pmm-pilot");
    let mut seen = BTreeSet::new();
    for (line, reference, ids) in items() {
        assert!(seen.insert(reference.clone()), "{ITEMS}:{line}: `{reference}` listed twice");
        let model = if reference.starts_with("WCO.") { &wco.model } else { &eaeu.model };
        for id in &ids {
            assert!(has_id(model, id), "{ITEMS}:{line}: `{reference}` → `{id}` is neither a question nor an indicator");
        }
    }
    // every question of the EAEU questionnaire is claimed by some item
    let listed: BTreeSet<String> =
        items().into_iter().filter(|(_, r, _)| !r.starts_with("WCO.")).flat_map(|(_, _, ids)| ids).collect();
    for q in eaeu.model.questions.keys() {
        assert!(listed.contains(q), "question `{q}` is not traced to any item of the document in {ITEMS}");
    }
}

#[test]
fn the_counts_of_the_document_hold() {
    let (m, _) = checked("rules/eaeu");
    let model = &m.model;
    let lines = items();

    // 16 automation elements, 47 digitalisation elements: in the model and in the items file
    for (prefix, reference, n) in [("auto_", "AUTO.", 16u32), ("dig_", "DIG.", 47)] {
        let in_model: BTreeSet<u32> = model.questions.keys().filter_map(|q| element_number(q, prefix)).collect();
        assert_eq!(in_model, (1..=n).collect::<BTreeSet<_>>(), "{prefix} elements in the model");
        let in_items: BTreeSet<u32> = lines.iter().filter_map(|(_, r, _)| reference_number(r, reference)).collect();
        assert_eq!(in_items, (1..=n).collect::<BTreeSet<_>>(), "{reference} elements in {ITEMS}");
    }
    // the sub-items the document gives
    for id in ["auto_02a", "auto_02b", "dig_10a", "dig_10b", "dig_10c", "dig_13a", "dig_13b"] {
        assert!(model.questions.keys().any(|q| q.starts_with(&format!("{id}_"))), "sub-item `{id}_…` missing");
    }

    // items 1–12 and 17–25 present, 13–16 absent (sections I–IV)
    let mut numbers: BTreeMap<u32, usize> = BTreeMap::new();
    for (_, r, _) in &lines {
        let Some((section, rest)) = r.split_once('.') else { continue };
        if !["I", "II", "III", "IV"].contains(&section) {
            continue;
        }
        let item: u32 = rest.split('.').next().unwrap().parse().expect("item number");
        *numbers.entry(item).or_default() += 1;
    }
    let want: BTreeSet<u32> = (1..=12).chain(17..=25).collect();
    assert_eq!(numbers.keys().copied().collect::<BTreeSet<_>>(), want, "items of sections I–IV in {ITEMS}");
    for n in 13..=16 {
        let prefix = format!("q{n}_");
        assert!(
            !model.questions.keys().chain(model.indicators.keys()).any(|id| id.starts_with(&prefix)),
            "item {n} does not exist in the document, but an id `{prefix}…` does"
        );
    }
    // items 2–12 and 17–25 keep the document's number in their ids (item 1 is the services tables)
    for n in want.iter().filter(|n| **n != 1) {
        let prefix = format!("q{n:02}_");
        assert!(model.questions.keys().any(|q| q.starts_with(&prefix)), "no question `{prefix}…` for item {n}");
    }
    // sub-items of sections II–IV
    for r in [
        "II.12.1", "II.12.2", "II.12.3", "III.17.1", "III.17.2", "III.17.3", "III.22.1", "III.22.2", "IV.23.1",
        "IV.23.2", "IV.23.3", "IV.24.1", "IV.24.2", "IV.24.3", "IV.25.1", "IV.25.2", "IV.25.3",
    ] {
        assert!(lines.iter().any(|(_, x, _)| x == r), "sub-item {r} missing from {ITEMS}");
    }
    // the two tables on public services: table 2 columns 2–6, columns 5 and 6 computed
    for r in ["SERV.T2.col2", "SERV.T2.col3", "SERV.T2.col4", "SERV.T2.col5", "SERV.T2.col6"] {
        assert!(lines.iter().any(|(_, x, _)| x == r), "{r} missing from {ITEMS}");
    }
    assert!(model.indicators.contains_key("srv_t2_c5_quality_improvement"));
    assert!(model.indicators.contains_key("srv_t2_c6_electronic_share"));
}

fn evaluate(rules: &str, data: &str) -> (Methodology, tamga::data::Dataset, tamga::eval::Outcome, Vec<Diag>) {
    let (m, _) = checked(rules);
    let mut sources = m.sources.clone();
    let (dataset, diags) = tamga::data::load(&m.model, &[PathBuf::from(data)], &mut sources);
    assert!(!has_errors(&diags), "data errors in {data}:\n{}", render(&diags, &sources, style()));
    if !diags.is_empty() {
        eprintln!("{data}: {} data warning(s):\n{}", diags.len(), render(&diags, &sources, style()));
    }
    let outcome = tamga::eval::evaluate(&m.model, &dataset);
    (m, dataset, outcome, diags)
}

#[test]
fn eaeu_examples_evaluate() {
    let (m, data, out, diags) = evaluate("rules/eaeu", "examples/eaeu");
    assert_eq!(data.submissions.len(), 10);
    let periods: BTreeSet<&str> = data.submissions.iter().map(|s| s.period.as_str()).collect();
    assert_eq!(periods, BTreeSet::from(["2022", "2023"]));
    for p in &out.periods {
        // the order of the Union's documents, declared in rules/eaeu (`units`)
        assert_eq!(p.units, ["AM", "BY", "KZ", "KG", "RU"], "period {}", p.period);
    }
    // every submission says it is illustrative
    for s in &data.submissions {
        let text = std::fs::read_to_string(&s.file).expect("submission");
        assert!(text.contains("ILLUSTRATIVE DATA"), "{} does not say it is illustrative", s.file);
    }
    // the data warnings are the planned ones: required answers left out
    for d in &diags {
        assert_eq!(d.code.as_str(), "tamga::data::required", "unexpected data warning: {}", d.message);
    }
    // Kyrgyzstan 2022 assessed nothing on origin: item 23.2 is not applicable, left out of item 23,
    // which carries its coverage (3 of 4 sub-items) and a warning
    assert!(!out.events.iter().any(|e| e.kind == EventKind::DivisionByZero), "a division by zero");
    let p2022 = out.periods.iter().find(|p| p.period == "2022").expect("2022");
    let kg = p2022.unit_index("KG").expect("KG");
    let ind = &m.model.indicators["q23_2_origin_collection_share"];
    match p2022.get(ind.value, kg) {
        Err(miss) => assert_eq!(miss.reason.as_str(), "not_applicable"),
        Ok(x) => panic!("KG 2022 q23_2 should be missing, is {x}"),
    }
    let item = m.model.areas["item_23_collection"].slot;
    let cover: Vec<_> = p2022.coverage.iter().filter(|c| c.slot == item && c.unit == kg).collect();
    assert_eq!(cover.len(), 1, "coverage of item 23: {:?}", p2022.coverage);
    assert_eq!((cover[0].counted, cover[0].declared, cover[0].weight_share), (3, 4, 0.75));
    let warned = out.events.iter().filter(|e| {
        e.slot == item
            && e.unit.as_deref() == Some("KG")
            && e.period == "2022"
            && matches!(e.kind, EventKind::Reweighted { .. })
    });
    assert_eq!(warned.count(), 1, "one reweighted warning for KG 2022 item 23");
    // every state gets an index in every period
    let index = &m.model.areas[&m.model.index];
    for p in &out.periods {
        for (u, unit) in p.units.iter().enumerate() {
            assert!(p.get(index.slot, u).is_ok(), "{} {unit}: no index", p.period);
        }
    }
}

#[test]
fn wco_pilot_examples_evaluate() {
    let (_, data, out, _) = evaluate("rules/wco-pmm-pilot", "examples/wco-pmm-pilot");
    assert_eq!(data.submissions.len(), 10);
    assert_eq!(out.periods.len(), 2);
    for p in &out.periods {
        assert_eq!(p.units.len(), 5);
    }
}
