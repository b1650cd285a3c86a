//! The hierarchy says what it aggregates (issue #13, items 1 and 4): indicators written inside
//! the index are its children, a scored indicator no aggregate reaches is a warning unless
//! declared `reported_only`, and a `reweight(min: …)` threshold says whether it counts children
//! (`min: 4 of 6`) or weight (`min: 2/3 of weight`).

use tamga::check::{check_text, Checked, Methodology};
use tamga::data::{load_text, Dataset};
use tamga::diagnostics::{has_errors, render, Code, Style};
use tamga::eval::evaluate;
use tamga::model::Reason;
use tamga::source::FileId;
use tamga::syntax::{parse_file, print};

const HEADER: &str = "methodology t { en \"t\" ru \"t\" version \"1\" }\n\
    question x : number { en \"x\" ru \"x\" }\nquestion y : number { en \"y\" ru \"y\" }\n\
    question z : number { en \"z\" ru \"z\" }\n";

fn checked(rules: &str) -> Checked {
    check_text("case.tamga", &format!("{HEADER}{rules}"))
}

fn meth(rules: &str) -> Methodology {
    match checked(rules).methodology() {
        Ok((m, _)) => m,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, Style { color: false, width: 100 })),
    }
}

/// The diagnostics' codes, leaving out questions no formula uses.
fn codes(c: &Checked) -> Vec<&'static str> {
    c.diags.iter().filter(|d| d.code != Code::Unused).map(|d| d.code.as_str()).collect()
}

/// The index's score for each `(unit, answers)`, in the order given.
fn index_scores(rules: &str, subs: &[(&str, &str)]) -> Vec<Result<f64, Reason>> {
    let meth = meth(rules);
    let mut sources = meth.sources.clone();
    let mut data = Dataset::default();
    for (unit, answers) in subs {
        let json = format!(r#"{{"unit": "{unit}", "period": "2023", "answers": {answers}}}"#);
        let (s, d) = load_text(&meth.model, &format!("{unit}.json"), &json, &mut sources);
        assert!(!has_errors(&d), "bad submission {unit}");
        data.submissions.push(s.expect("submission"));
    }
    let out = evaluate(&meth.model, &data);
    let slot = meth.model.areas[&meth.model.index].slot;
    let p = &out.periods[0];
    subs.iter().map(|(u, _)| p.get(slot, p.unit_index(u).expect("unit")).map_err(|m| m.reason)).collect()
}

fn close(a: Result<f64, Reason>, b: f64) -> bool {
    matches!(a, Ok(x) if (x - b).abs() < 1e-9)
}

// ───────────── item 1: indicators inside the index ─────────────

const INDEX_WITH_INDICATOR: &str = "area a { en \"a\" ru \"a\" indicator ix = x { en \"x\" ru \"x\" score value } }\n\
    index idx { en \"i\" ru \"i\"\n\
      indicator iy = y { en \"y\" ru \"y\" score value weight 3 }\n\
      area b { en \"b\" ru \"b\" weight 2 indicator iz = z { en \"z\" ru \"z\" score value } }\n\
    }\n";

#[test]
fn the_index_aggregates_indicators_and_areas_declared_inside_it_with_their_weights() {
    let m = meth(INDEX_WITH_INDICATOR);
    let children: Vec<(&str, &str, f64)> =
        m.model.areas["idx"].children.iter().map(|c| (c.kind, c.id.as_str(), c.weight)).collect();
    // declaration order: the area before the index, then what the index holds
    assert_eq!(children, [("area", "a", 1.0), ("indicator", "iy", 3.0), ("area", "b", 2.0)]);
    let got = index_scores(INDEX_WITH_INDICATOR, &[("AM", r#"{"x": 10, "y": 40, "z": 70}"#)]);
    assert!(close(got[0], (10.0 + 3.0 * 40.0 + 2.0 * 70.0) / 6.0), "{got:?}");
}

#[test]
fn an_index_whose_only_child_is_an_indicator_checks_and_is_its_score() {
    let rules = "index idx { en \"i\" ru \"i\" indicator iy = y { en \"y\" ru \"y\" score value } }\n";
    let c = checked(rules);
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    assert_eq!(index_scores(rules, &[("AM", r#"{"y": 42}"#)]), [Ok(42.0)]);
}

#[test]
fn a_scored_indicator_outside_every_aggregate_warns_unless_reported_only() {
    let area = "area a { en \"a\" ru \"a\" indicator ix = x { en \"x\" ru \"x\" score value } }\n";
    let loose = format!("{area}indicator iy = y {{ en \"y\" ru \"y\" score value }}\n");
    let c = checked(&loose);
    assert_eq!(codes(&c), [Code::Unaggregated.as_str()]);
    let d = c.diags.iter().find(|d| d.code == Code::Unaggregated).expect("the warning");
    assert!(d.message.contains("`iy`"), "{}", d.message);
    assert!(d.help.as_deref().unwrap_or_default().contains("reported_only"));
    let declared = format!("{area}indicator iy = y {{ en \"y\" ru \"y\" score value reported_only }}\n");
    let c = checked(&declared);
    assert!(codes(&c).is_empty(), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    let m = meth(&declared);
    assert!(m.model.indicators["iy"].reported_only);
    assert!(!m.model.areas[&m.model.index].children.iter().any(|c| c.id == "iy"));
    // an unscored helper value needs no declaration
    let helper = format!("{area}indicator iy = y {{ en \"y\" ru \"y\" }}\n");
    assert!(codes(&checked(&helper)).is_empty());
}

#[test]
fn reported_only_is_printed_and_part_of_the_fingerprint() {
    let area = "area a { en \"a\" ru \"a\" indicator ix = x { en \"x\" ru \"x\" score value } }\n";
    let with = format!("{HEADER}{area}indicator iy = y {{ en \"y\" ru \"y\" score value reported_only }}\n");
    let without = with.replace(" reported_only", "");
    let ast = parse_file(FileId(0), &with).expect("parses");
    let printed = print::format_file(&ast, &with);
    assert!(printed.contains("\n  reported_only\n"), "{printed}");
    let fp = |t: &str| check_text("m.tamga", t).fingerprint.expect("fingerprint");
    assert_ne!(fp(&with), fp(&without));
    let d = tamga::version::diff::diff("old", &meth_text(&without), "new", &meth_text(&with));
    let change = d.changes.iter().find(|c| c.id == "iy").expect("iy changed");
    assert!(change.fields.iter().any(|f| f.field == "reported_only" && f.new == "yes"), "{:?}", change.fields);
}

fn meth_text(text: &str) -> Methodology {
    check_text("m.tamga", text).methodology().map(|(m, _)| m).unwrap_or_else(|_| panic!("does not check"))
}

// ───────────── item 4: what a `min:` threshold counts ─────────────

/// Three indicators weighted 3, 1, 1 under `missing {policy}`.
fn weighted(policy: &str) -> String {
    format!(
        "area ar {{ en \"a\" ru \"a\" missing {policy}\n\
         indicator ix = x {{ en \"x\" ru \"x\" score value weight 3 }}\n\
         indicator iy = y {{ en \"y\" ru \"y\" score value }}\n\
         indicator iz = z {{ en \"z\" ru \"z\" score value }} }}\n"
    )
}

#[test]
fn a_count_of_children_and_a_share_of_weight_judge_the_same_gaps_differently() {
    // AM lacks z (weight 4 of 5 present, 2 of 3 children); BY lacks x (weight 2 of 5, 2 of 3 children)
    let subs = [("AM", r#"{"x": 10, "y": 40}"#), ("BY", r#"{"y": 40, "z": 70}"#), ("KZ", r#"{"x": 10}"#)];
    let count = index_scores(&weighted("reweight(min: 2 of 3)"), &subs);
    assert!(close(count[0], (30.0 + 40.0) / 4.0), "{count:?}");
    assert!(close(count[1], (40.0 + 70.0) / 2.0), "two of three children present, whichever: {count:?}");
    assert_eq!(count[2], Err(Reason::NotAssessable), "one of three children");
    for policy in ["reweight(min: 2/3 of weight)", "reweight(min: 2/3)"] {
        let share = index_scores(&weighted(policy), &subs);
        assert!(close(share[0], (30.0 + 40.0) / 4.0), "{policy}: 4/5 of the weight ≥ 2/3: {share:?}");
        assert_eq!(share[1], Err(Reason::NotAssessable), "{policy}: 2/5 of the weight < 2/3");
        assert_eq!(share[2], Err(Reason::NotAssessable), "{policy}: 3/5 of the weight < 2/3");
    }
}

#[test]
fn a_count_must_name_the_number_of_children_declared() {
    let c = checked(&weighted("reweight(min: 2 of 4)"));
    assert!(has_errors(&c.diags));
    let d = c.diags.iter().find(|d| d.code == Code::Invalid).expect("an error");
    assert_eq!(d.message, "`ar` has 3 children to aggregate, not 4");
    assert!(d.help.as_deref().unwrap_or_default().contains("`min: 2 of 3`"), "{:?}", d.help);
    let c = checked(&weighted("reweight(min: 4 of 3)"));
    assert!(has_errors(&c.diags), "more children than declared");
}

#[test]
fn a_bare_share_warns_when_weights_make_the_children_needed_vary() {
    let c = checked(&weighted("reweight(min: 2/3)"));
    assert_eq!(codes(&c), [Code::Threshold.as_str()]);
    assert!(c.diags[0].message.contains("needs between 2 and 3 of 3 children"), "{}", c.diags[0].message);
    // saying what it counts, or equal weights, is no warning
    assert!(checked(&weighted("reweight(min: 2/3 of weight)")).diags.is_empty());
    assert!(checked(&weighted("reweight(min: 2 of 3)")).diags.is_empty());
    assert!(checked(&weighted("reweight(min: 2/3)").replace("weight 3", "weight 1")).diags.is_empty());
}

#[test]
fn fmt_prints_the_threshold_as_written_and_the_fingerprint_tells_them_apart() {
    let texts: Vec<String> = ["reweight(min: 2 of 3)", "reweight(min: 2/3 of weight)", "reweight(min: 2/3)"]
        .iter()
        .map(|p| format!("{HEADER}{}", weighted(p)))
        .collect();
    for (t, want) in texts.iter().zip(["min: 2 of 3", "min: 2 / 3 of weight", "min: 2 / 3)"]) {
        let ast = parse_file(FileId(0), t).expect("parses");
        let printed = print::format_file(&ast, t);
        assert!(printed.contains(want), "{want} not in\n{printed}");
        let again = parse_file(FileId(0), &printed).expect("parses after fmt");
        assert_eq!(print::canonical(&[&ast]), print::canonical(&[&again]));
    }
    let fp: Vec<String> = texts.iter().map(|t| check_text("m.tamga", t).fingerprint.expect("fingerprint")).collect();
    assert_ne!(fp[0], fp[1]);
    assert_ne!(fp[1], fp[2]);
}

#[test]
fn diff_warns_when_a_weight_change_moves_a_weight_share_threshold() {
    let six = |w: &str| {
        let mut s = String::from("index idx { en \"i\" ru \"i\" missing reweight(min: 2/3 of weight) }\n");
        for k in 1..=6 {
            let weight = if k == 1 { w } else { "1" };
            s.push_str(&format!(
                "area a{k} {{ en \"a\" ru \"a\" weight {weight} indicator i{k} = x {{ en \"x\" ru \"x\" score value }} }}\n"
            ));
        }
        format!("{HEADER}{s}")
    };
    let (old, new) = (meth_text(&six("1")), meth_text(&six("2")));
    let d = tamga::version::diff::diff("old", &old, "new", &new);
    assert_eq!(d.threshold_shifts.len(), 1, "{:?}", d.threshold_shifts);
    let t = &d.threshold_shifts[0];
    assert_eq!((t.area.as_str(), t.old, t.new), ("idx", (4, 4, 6), (4, 5, 6)));
    let text = tamga::version::diff::to_text(&d, tamga::report::Lang::En);
    assert!(
        text.contains("needed 4 of 6 children present, whichever are missing; now needs between 4 and 5 of 6"),
        "{text}"
    );
    assert!(text.contains("write `min: 4 of 6`"), "{text}");
    // a count of children does not move with the weights
    let count = |w: &str| six(w).replace("min: 2/3 of weight", "min: 4 of 6");
    let d = tamga::version::diff::diff("old", &meth_text(&count("1")), "new", &meth_text(&count("2")));
    assert!(d.threshold_shifts.is_empty());
}

// ───────────── item 2: the defaults a methodology relies on ─────────────

fn defaulted(text: &str) -> Vec<(String, String, String)> {
    let c = check_text("m.tamga", text);
    assert!(c.model.is_some(), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    c.defaults.iter().map(|d| (d.property.to_string(), d.value.clone(), d.id.clone())).collect()
}

#[test]
fn a_declared_property_is_not_listed_as_a_default() {
    let bare = format!("{HEADER}area ar {{ en \"a\" ru \"a\" indicator ix = x {{ en \"x\" ru \"x\" score rank }} }}\n");
    let d = defaulted(&bare);
    let has = |d: &[(String, String, String)], p: &str, id: &str| d.iter().any(|(q, _, i)| q == p && i == id);
    for (p, id) in [
        ("weight", "ix"),
        ("ties", "ix"),
        ("direction", "ix"),
        ("precision", "ix"),
        ("impute", "ix"),
        ("treat", "ix"),
        ("weight", "ar"),
        ("aggregate", "ar"),
        ("missing", "ar"),
        ("rounding", "t"),
        ("scale", "t"),
    ] {
        assert!(has(&d, p, id), "`{p}` of `{id}` is a default: {d:?}");
    }
    let declared = bare
        .replace("score rank", "score rank(ties: average) weight 2 lower_is_better precision 2 impute mean treat log")
        .replace("area ar { en \"a\" ru \"a\"", "area ar { en \"a\" ru \"a\" weight 1 aggregate mean missing zero")
        .replace("version \"1\"", "version \"1\" rounding half_even scale 0..=10");
    let d = defaulted(&declared);
    for (p, id) in [
        ("weight", "ix"),
        ("ties", "ix"),
        ("direction", "ix"),
        ("precision", "ix"),
        ("impute", "ix"),
        ("treat", "ix"),
        ("weight", "ar"),
        ("aggregate", "ar"),
        ("missing", "ar"),
        ("rounding", "t"),
        ("scale", "t"),
    ] {
        assert!(!has(&d, p, id), "`{p}` of `{id}` is declared: {d:?}");
    }
    // an imputation declared on the area is inherited, not a default
    let inherited = bare.replace("area ar { en \"a\" ru \"a\"", "area ar { en \"a\" ru \"a\" impute median");
    assert!(!has(&defaulted(&inherited), "impute", "ix"));
}

#[test]
fn a_bare_min_is_listed_as_a_share_of_the_weight() {
    let d = defaulted(&format!("{HEADER}{}", weighted("reweight(min: 2/3)")));
    assert!(d.contains(&("min".into(), "of weight".into(), "ar".into())), "{d:?}");
    let d = defaulted(&format!("{HEADER}{}", weighted("reweight(min: 2 of 3)")));
    assert!(!d.iter().any(|(p, _, _)| p == "min"), "{d:?}");
}

#[test]
fn explain_says_how_many_children_a_count_threshold_needs() {
    let text = format!("{HEADER}{}", weighted("reweight(min: 2 of 3)"));
    let m = meth_text(&text);
    let mut sources = m.sources.clone();
    let json = r#"{"unit": "AM", "period": "2023", "answers": {"x": 10, "y": 40}}"#;
    let (s, d) = load_text(&m.model, "am.json", json, &mut sources);
    assert!(!has_errors(&d));
    let data = Dataset { submissions: vec![s.expect("submission")] };
    let out = evaluate(&m.model, &data);
    let target = tamga::explain::Target::resolve(&m.model, "ar").expect("the area");
    for (lang, want) in [
        (tamga::report::Lang::En, "if at least 2 of the 3 children are present"),
        (tamga::report::Lang::Ru, "если представлено не менее 2 из 3 дочерних элементов"),
    ] {
        let e = tamga::explain::explain(
            &m.model,
            &sources,
            Some(&data),
            &out.periods[0],
            0,
            &target,
            tamga::explain::Options { lang, max_depth: None },
        );
        let t = tamga::explain::text::render(&e, "t", lang);
        assert!(t.contains(want), "{t}");
    }
}

#[test]
fn tie_rules_and_bands_written_in_formulas_are_listed_unless_declared() {
    let bare = format!(
        "{HEADER}indicator r = union_rank(x) {{ en \"r\" ru \"r\" }}\n\
         indicator b = bands(y) {{ ..5 => 1, 5.. => 0 }} {{ en \"b\" ru \"b\" }}\n\
         standard S-1 {{ en \"s\" ru \"s\" requires union_rank(z) <= 2 }}\n"
    );
    let d = defaulted(&bare);
    for (p, id) in [("ties", "r"), ("bands else", "b"), ("ties", "S-1")] {
        assert!(d.iter().any(|(q, _, i)| q == p && i == id), "`{p}` of `{id}`: {d:?}");
    }
    let declared =
        bare.replace("union_rank(x)", "union_rank(x, ties: average)").replace("5.. => 0 }", "5.. => 0, else => 0 }");
    let d = defaulted(&declared);
    assert!(!d.iter().any(|(q, _, i)| (q == "ties" && i == "r") || (q == "bands else" && i == "b")), "{d:?}");
}
