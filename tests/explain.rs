//! `explain` on the demonstration methodology and its 2023 example submissions: the derivation of
//! an indicator, of an area with a missing value (re-weighted), of a band score, of a score
//! computed across the states, of an unmet standard, and of a recommendation over a union mean,
//! as the text a Board paper would quote (English and Russian) and as JSON.
//!
//! The numbers in the snapshots are checked by hand in each test's comment; a snapshot that
//! disagrees with them is a bug, not a snapshot to accept.

use std::path::PathBuf;
use tamga::check::{check, Methodology};
use tamga::data::Dataset;
use tamga::eval::{evaluate, Outcome};
use tamga::explain::{self, Explanation, Target};
use tamga::report::Lang;
use tamga::source::SourceMap;

struct Demo {
    meth: Methodology,
    sources: SourceMap,
    data: Dataset,
    outcome: Outcome,
}

fn demo() -> Demo {
    let checked = check(&PathBuf::from("rules/demo"));
    let (meth, _) = checked.methodology().unwrap_or_else(|_| panic!("rules/demo checks"));
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, &[PathBuf::from("examples/demo")], &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "the examples load");
    let outcome = evaluate(&meth.model, &data);
    Demo { meth, sources, data, outcome }
}

impl Demo {
    fn explain(&self, period: &str, unit: &str, id: &str, lang: Lang) -> Explanation {
        let p = self.outcome.periods.iter().find(|p| p.period == period).expect("period");
        let u = p.unit_index(unit).expect("unit");
        let target = Target::resolve(&self.meth.model, id).expect("a known id");
        let e = explain::explain(
            &self.meth.model,
            &self.sources,
            Some(&self.data),
            p,
            u,
            &target,
            explain::Options { lang, max_depth: None },
        );
        assert_eq!(e.mismatches, 0, "the trace agrees with the evaluation");
        e
    }

    fn text(&self, period: &str, unit: &str, id: &str, lang: Lang) -> String {
        let e = self.explain(period, unit, id, lang);
        explain::text::render(&e, lang.pick(&self.meth.model.header.title, ""), lang)
    }
}

/// AM 2023: 20.5 h → goalposts (20.5 − 72) / (2 − 72) = 0.7357 → 73.6.
#[test]
fn an_indicator_with_its_score() {
    insta::assert_snapshot!(demo().text("2023", "AM", "import_release", Lang::En));
}

/// KG 2023: inspections are confidential, so trade facilitation is re-weighted over the release
/// time (80 h, beyond the worst goalpost: 0) and the AEOs (3, the minimum: 0): 2 of 3 weights,
/// exactly the 2/3 the area requires → (0 + 0) / 2 = 0.
#[test]
fn an_area_with_a_missing_value_reweighted() {
    insta::assert_snapshot!(demo().text("2023", "KG", "facilitation", Lang::En));
}

/// BY 2023: 7000 / 100000 × 100 = 7.000000000000001, published 7.0, in the band 5<..=10 → 75.
#[test]
fn a_band_score() {
    insta::assert_snapshot!(demo().text("2023", "BY", "score(inspection_share)", Lang::En));
}

/// BY 2023: AEOs min-max over the states present (KZ is confidential): (95 − 3) / (230 − 3) = 0.405.
#[test]
fn a_score_across_the_states() {
    insta::assert_snapshot!(demo().text("2023", "BY", "aeo_count", Lang::En));
}

/// BY 2023: 30 h > 24 h: not met, 6.0 h from the target; attainment (30 − 72) / (24 − 72) = 87.5;
/// level basic (≤ 48).
#[test]
fn an_unmet_standard() {
    insta::assert_snapshot!(demo().text("2023", "BY", "TF-1", Lang::En));
}

/// The same in Russian.
#[test]
fn an_unmet_standard_in_russian() {
    insta::assert_snapshot!(demo().text("2023", "BY", "TF-1", Lang::Ru));
}

/// The band score in Russian: the rule and the band in words, no rule syntax.
#[test]
fn a_band_score_in_russian() {
    let text = demo().text("2023", "BY", "score(inspection_share)", Lang::Ru);
    for syntax in ["<..", "..=", "=>", "bands {", "goalposts("] {
        assert!(!text.contains(syntax), "`{syntax}` in:\n{text}");
    }
    assert!(text.contains("попадает в диапазон «свыше 5 до 10\u{a0}% включительно»"), "{text}");
    insta::assert_snapshot!(text);
}

/// The recommendation in Russian: its condition in words, the rounding's plural.
#[test]
fn a_recommendation_over_a_union_mean_in_russian() {
    let text = demo().text("2023", "BY", "rec_facilitation", Lang::Ru);
    assert!(text.contains("условие: оценка по направлению «"), "{text}");
    assert!(text.contains("— ниже среднего по Союзу"), "{text}");
    assert!(text.contains("округлено: 1\u{a0}знак после запятой, из"), "{text}");
    assert!(!text.contains("знака(-ов)"));
    assert!(!text.contains("goalposts("), "{text}");
    insta::assert_snapshot!(text);
}

/// BY 2023: facilitation 58.5 against the union mean 52.0 (rounded as published): does not apply.
#[test]
fn a_recommendation_over_a_union_mean() {
    insta::assert_snapshot!(demo().text("2023", "BY", "rec_facilitation", Lang::En));
}

/// The index of AM 2022, in Russian, one level deep.
#[test]
fn the_index_one_level_deep_in_russian() {
    let d = demo();
    let p = d.outcome.periods.iter().find(|p| p.period == "2022").expect("2022");
    let u = p.unit_index("AM").expect("AM");
    let target = Target::resolve(&d.meth.model, "customs_index").expect("the index");
    let e = explain::explain(
        &d.meth.model,
        &d.sources,
        Some(&d.data),
        p,
        u,
        &target,
        explain::Options { lang: Lang::Ru, max_depth: Some(1) },
    );
    insta::assert_snapshot!(explain::text::render(&e, "Демонстрационная методика", Lang::Ru));
}

/// The JSON form of the re-weighted area.
#[test]
fn json_of_an_area() {
    let e = demo().explain("2023", "KG", "facilitation", Lang::En);
    insta::assert_json_snapshot!(e);
}

/// Every number of every unit and period can be explained, and the trace agrees with the
/// evaluation everywhere (`explain` asserts it).
#[test]
fn every_value_of_the_demo_is_explained_identically() {
    let d = demo();
    let m = &d.meth.model;
    let ids: Vec<String> = m
        .indicators
        .keys()
        .chain(m.areas.keys())
        .chain(m.standards.keys())
        .chain(m.chapters.keys())
        .chain(m.recommendations.keys())
        .cloned()
        .collect();
    for p in &d.outcome.periods {
        for u in 0..p.units.len() {
            for id in &ids {
                let target = Target::resolve(m, id).expect("known");
                let e = explain::explain(m, &d.sources, Some(&d.data), p, u, &target, explain::Options::default());
                assert_eq!(e.mismatches, 0, "{id} for {} {}", p.units[u], p.period);
            }
        }
    }
}

/// Unknown ids are refused with the closest known one.
#[test]
fn unknown_ids_suggest_the_closest() {
    let d = demo();
    assert_eq!(Target::resolve(&d.meth.model, "import_relese"), Err(Some("import_release".into())));
    assert_eq!(Target::resolve(&d.meth.model, "score(facilitation)"), Ok(Target::Area("facilitation".into())));
    assert_eq!(Target::resolve(&d.meth.model, "TF-1"), Ok(Target::Standard("TF-1".into())));
}

/// The same for the bundled EAEU and WCO methodologies on their examples: every indicator, area,
/// standard and recommendation of every state and period is traced to the evaluated value.
#[test]
fn every_value_of_the_bundled_methodologies_is_explained_identically() {
    for (rules, examples) in [("rules/eaeu", "examples/eaeu"), ("rules/wco-pmm-pilot", "examples/wco-pmm-pilot")] {
        let (meth, _) = check(&PathBuf::from(rules)).methodology().unwrap_or_else(|_| panic!("{rules} checks"));
        let mut sources = meth.sources.clone();
        let (data, _) = tamga::data::load(&meth.model, &[PathBuf::from(examples)], &mut sources);
        let outcome = evaluate(&meth.model, &data);
        let m = &meth.model;
        let ids: Vec<&String> = m
            .indicators
            .keys()
            .chain(m.areas.keys())
            .chain(m.standards.keys())
            .chain(m.recommendations.keys())
            .collect();
        for p in &outcome.periods {
            for u in 0..p.units.len() {
                for id in &ids {
                    let target = Target::resolve(m, id).expect("known");
                    let e = explain::explain(m, &sources, Some(&data), p, u, &target, explain::Options::default());
                    assert_eq!(e.mismatches, 0, "{rules}: {id} for {} {}", p.units[u], p.period);
                }
            }
        }
    }
}

#[test]
fn a_groups_share_says_how_it_counted_the_unanswered_items() {
    // KG 2023 leaves `auto_08_remote_release` blank; the group declares `missing zero`
    let text = demo().text("2023", "KG", "automation_share", Lang::En);
    assert!(
        text.contains("= 25 (unanswered: 1 counted as no; not applicable: 0 left out; as the group's rule for missing answers says)"),
        "{text}"
    );
    let text = demo().text("2023", "KG", "automation_share", Lang::Ru);
    assert!(text.contains("без ответа: 1 считаются ответом «нет»"), "{text}");
}

/// `explain --lang ru` reads as prose (issue 14, item 11): every node is named by its label, the
/// computation's steps are said in words, and the rule files' ids appear only as references
/// (in backticks, in the node's brackets, or after "в правилах:").
#[test]
fn in_russian_everything_is_named_by_its_label_and_no_rule_syntax_is_shown() {
    let d = demo();
    let m = &d.meth.model;
    let mut ids: Vec<String> = vec![];
    ids.extend(m.questions.keys().cloned());
    ids.extend(m.indicators.keys().cloned());
    ids.extend(m.areas.keys().cloned());
    ids.extend(m.recommendations.keys().cloned());
    let targets: Vec<String> = std::iter::once(m.index.clone())
        .chain(m.recommendations.keys().cloned())
        .chain(m.standards.keys().cloned())
        .chain(m.indicators.keys().map(|i| format!("score({i})")))
        .collect();
    for unit in ["AM", "KG"] {
        for target in &targets {
            let text = d.text("2023", unit, target, Lang::Ru);
            for line in text.lines().skip(4) {
                // references: the brackets of a node, backticks, and the formula as written
                if line.contains("(в правилах:") {
                    continue;
                }
                let said: String = line
                    .split('`')
                    .step_by(2)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split(" [")
                    .next()
                    .unwrap_or_default()
                    .to_string();
                for syntax in ["score(", "union_mean(", "goalposts(", "share(", "<=", ">=", "..=", "not met("] {
                    assert!(!said.contains(syntax), "{unit} {target}: `{syntax}` in\n{line}");
                }
                for id in &ids {
                    let found = said.match_indices(id.as_str()).any(|(k, _)| {
                        let before = said[..k].chars().next_back();
                        let after = said[k + id.len()..].chars().next();
                        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    });
                    assert!(!found, "{unit} {target}: the id `{id}` in\n{line}");
                }
            }
        }
    }
}
