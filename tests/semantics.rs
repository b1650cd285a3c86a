//! Numeric and missing-value semantics, as small tables of named cases with hand-computed
//! expectations. Each case is a tiny methodology evaluated on a few inline submissions.

use tamga::check::{check_text, Methodology};
use tamga::data::{load_text, Dataset};
use tamga::diagnostics::{has_errors, render, Style};
use tamga::eval::{evaluate, EventKind, Outcome};
use tamga::model::Reason;

const HEADER: &str = "methodology t { en \"t\" ru \"t\" version \"1\" }\n";

struct Run {
    meth: Methodology,
    out: Outcome,
}

/// Checks `rules` (after a standard header) and evaluates submissions given as
/// `(unit, answers as JSON object text)`, all in period 2023.
fn run(rules: &str, subs: &[(&str, &str)]) -> Run {
    let text = format!("{HEADER}{rules}");
    let c = check_text("case.tamga", &text);
    let (meth, _) = match c.methodology() {
        Ok(x) => x,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, Style { color: false, width: 100 })),
    };
    let mut sources = meth.sources.clone();
    let mut data = Dataset::default();
    for (unit, answers) in subs {
        let json = format!(r#"{{"unit": "{unit}", "period": "2023", "answers": {answers}}}"#);
        let (s, d) = load_text(&meth.model, &format!("{unit}.json"), &json, &mut sources);
        assert!(!has_errors(&d), "bad submission {unit}: {}", render(&d, &sources, Style { color: false, width: 100 }));
        data.submissions.push(s.expect("submission"));
    }
    data.submissions.sort_by(|a, b| a.unit.cmp(&b.unit));
    let out = evaluate(&meth.model, &data);
    Run { meth, out }
}

impl Run {
    fn unit(&self, unit: &str) -> usize {
        self.out.periods[0].unit_index(unit).expect("unit")
    }
    fn value(&self, unit: &str, id: &str) -> Result<f64, Reason> {
        let i = &self.meth.model.indicators[id];
        self.out.periods[0].get(i.value, self.unit(unit)).map_err(|m| m.reason)
    }
    fn score(&self, unit: &str, id: &str) -> Result<f64, Reason> {
        let i = &self.meth.model.indicators[id];
        self.out.periods[0].get(i.score_slot, self.unit(unit)).map_err(|m| m.reason)
    }
    fn area(&self, unit: &str, id: &str) -> Result<f64, Reason> {
        let a = &self.meth.model.areas[id];
        self.out.periods[0].get(a.slot, self.unit(unit)).map_err(|m| m.reason)
    }
    fn met(&self, unit: &str, code: &str) -> Result<bool, Reason> {
        let s = &self.meth.model.standards[code];
        self.out.periods[0].get(s.met, self.unit(unit)).map(|x| x != 0.0).map_err(|m| m.reason)
    }
}

fn close(a: Result<f64, Reason>, b: f64) -> bool {
    matches!(a, Ok(x) if (x - b).abs() < 1e-9)
}

const Q2: &str = "question a : number { en \"a\" ru \"a\" }\nquestion b : number { en \"b\" ru \"b\" }\n";

#[test]
fn missing_propagates_with_the_leftmost_reason() {
    let r = run(
        &format!(
            "{Q2}indicator sum = a + b {{ en \"s\" ru \"s\" }}\nindicator cmp = a > b {{ en \"c\" ru \"c\" }}\n\
             indicator dflt = (a + b) ?? 0 {{ en \"d\" ru \"d\" }}\nindicator both = if a > 0 then a else b {{ en \"i\" ru \"i\" }}\n"
        ),
        &[
            ("AM", r#"{"a": {"missing": "confidential"}, "b": {"missing": "not_applicable"}}"#),
            ("BY", r#"{"a": 1, "b": {"missing": "not_applicable"}}"#),
            ("KZ", r#"{"b": 2}"#),
            ("RU", r#"{"a": 1, "b": 2}"#),
        ],
    );
    let cases: &[(&str, &str, Result<f64, Reason>)] = &[
        ("left reason wins", "AM", Err(Reason::Confidential)),
        ("right reason when left present", "BY", Err(Reason::NotApplicable)),
        ("unanswered is not_submitted", "KZ", Err(Reason::NotSubmitted)),
        ("present", "RU", Ok(3.0)),
    ];
    for (name, unit, want) in cases {
        assert_eq!(r.value(unit, "sum"), *want, "{name}");
    }
    assert_eq!(r.value("AM", "cmp"), Err(Reason::Confidential));
    assert_eq!(r.value("AM", "dflt"), Ok(0.0), "?? replaces a missing value");
    assert_eq!(r.value("RU", "dflt"), Ok(3.0));
    assert_eq!(r.value("KZ", "both"), Err(Reason::NotSubmitted), "a missing condition makes `if` missing");
}

#[test]
fn division_by_zero_is_missing_with_a_warning_for_that_unit_only() {
    let r = run(
        &format!("{Q2}indicator ratio = a / b {{ en \"r\" ru \"r\" }}\nindicator after = ratio * 2 {{ en \"x\" ru \"x\" }}\n"),
        &[("AM", r#"{"a": 1, "b": 0}"#), ("BY", r#"{"a": 1, "b": 4}"#)],
    );
    assert_eq!(r.value("AM", "ratio"), Err(Reason::DivisionByZero));
    assert_eq!(r.value("AM", "after"), Err(Reason::DivisionByZero), "the reason propagates");
    assert_eq!(r.value("BY", "ratio"), Ok(0.25), "other units are not affected");
    let events: Vec<_> = r.out.events.iter().filter(|e| e.kind == EventKind::DivisionByZero).collect();
    assert_eq!(events.len(), 1, "one warning, at the division, not at every value it reaches");
    assert_eq!(events[0].unit.as_deref(), Some("AM"));
}

#[test]
fn domain_errors_never_give_nan_or_infinity() {
    let r = run(
        &format!(
            "{Q2}indicator l = ln(a) {{ en \"l\" ru \"l\" }}\nindicator s = sqrt(a) {{ en \"s\" ru \"s\" }}\n\
             indicator e = exp(b) {{ en \"e\" ru \"e\" }}\nindicator p = a ^ b {{ en \"p\" ru \"p\" }}\n"
        ),
        &[("AM", r#"{"a": -1, "b": 1000}"#), ("BY", r#"{"a": 0, "b": -1}"#)],
    );
    assert_eq!(r.value("AM", "l"), Err(Reason::Domain));
    assert_eq!(r.value("BY", "l"), Err(Reason::Domain), "ln(0)");
    assert_eq!(r.value("AM", "s"), Err(Reason::Domain));
    assert_eq!(r.value("AM", "e"), Err(Reason::Domain), "exp(1000) overflows");
    assert_eq!(r.value("BY", "p"), Err(Reason::DivisionByZero), "0^-1");
    assert_eq!(r.value("AM", "p"), Ok(1.0), "(-1)^1000 = 1");
}

#[test]
fn kleene_logic_for_and_or() {
    let r = run(
        &format!(
            "{Q2}indicator x = a > 0 and b > 0 {{ en \"x\" ru \"x\" }}\nindicator y = a > 0 or b > 0 {{ en \"y\" ru \"y\" }}\n"
        ),
        &[("AM", r#"{"a": -1}"#), ("BY", r#"{"a": 1}"#)],
    );
    assert_eq!(r.value("AM", "x"), Ok(0.0), "no and missing = no");
    assert_eq!(r.value("BY", "x"), Err(Reason::NotSubmitted), "yes and missing = missing");
    assert_eq!(r.value("BY", "y"), Ok(1.0), "yes or missing = yes");
    assert_eq!(r.value("AM", "y"), Err(Reason::NotSubmitted), "no or missing = missing");
}

#[test]
fn band_edges_are_judged_on_the_published_value() {
    let r = run(
        "question q : number { en \"q\" ru \"q\" }\n\
         area ar { en \"a\" ru \"a\"\n indicator share = q { en \"s\" ru \"s\" precision 1 lower_is_better\n\
           score bands { ..=5 => 100, 5<..=10 => 75, 10<.. => 0 } } }\n",
        &[
            ("AM", r#"{"q": 5}"#),
            ("BY", r#"{"q": 5.04}"#),
            ("KG", r#"{"q": 5.05}"#),
            ("KZ", r#"{"q": 10}"#),
            ("RU", r#"{"q": 10.000001}"#),
        ],
    );
    let cases = [
        ("5 is in ..=5", "AM", 100.0),
        ("5.04 is published as 5.0", "BY", 100.0),
        ("5.05 is published as 5.1 (half away from zero)", "KG", 75.0),
        ("10 is in 5<..=10", "KZ", 75.0),
        ("10.000001 is published as 10.0", "RU", 75.0),
    ];
    for (name, unit, want) in cases {
        assert_eq!(r.score(unit, "share"), Ok(want), "{name}");
    }
}

#[test]
fn seven_percent_computed_meets_at_most_seven() {
    let r = run(
        "question part : number { en \"p\" ru \"p\" }\n\
         indicator share = part * 100 { en \"s\" ru \"s\" unit \"%\" precision 1 }\n\
         standard S-1 { en \"s\" ru \"s\" requires share <= 7 }\n",
        &[("AM", r#"{"part": 0.07}"#), ("BY", r#"{"part": 0.0751}"#)],
    );
    assert_eq!(r.value("AM", "share"), Ok(0.07 * 100.0));
    let (part, hundred) = (std::hint::black_box(0.07_f64), std::hint::black_box(100.0_f64));
    assert!(part * hundred > 7.0, "the binary product is above 7");
    assert_eq!(r.met("AM", "S-1"), Ok(true), "7.000000000000001 is published as 7.0 and meets ≤ 7");
    assert_eq!(r.met("BY", "S-1"), Ok(false), "7.51 is published as 7.5");
}

#[test]
fn goalposts_clamp_in_both_directions() {
    let r = run(
        "question h : hours { en \"h\" ru \"h\" }\nquestion p : percent { en \"p\" ru \"p\" }\n\
         area ar { en \"a\" ru \"a\"\n\
           indicator rel = h { en \"r\" ru \"r\" score goalposts(best: 2, worst: 72) }\n\
           indicator cov = p { en \"c\" ru \"c\" score goalposts(best: 90, worst: 10) }\n\
           indicator lg = h { en \"l\" ru \"l\" score goalposts(best: 1000, worst: 1, log: yes) } }\n",
        &[
            ("AM", r#"{"h": 1, "p": 100}"#),
            ("BY", r#"{"h": 80, "p": 0}"#),
            ("KZ", r#"{"h": 37, "p": 50}"#),
            ("RU", r#"{"h": 0, "p": 10}"#),
        ],
    );
    let cases = [
        ("better than best (lower is better)", "AM", "rel", 100.0),
        ("worse than worst (lower is better)", "BY", "rel", 0.0),
        ("midway", "KZ", "rel", 50.0),
        ("better than best (higher is better)", "AM", "cov", 100.0),
        ("worse than worst (higher is better)", "BY", "cov", 0.0),
        ("midway higher", "KZ", "cov", 50.0),
        ("at worst", "RU", "cov", 0.0),
    ];
    for (name, unit, id, want) in cases {
        assert!(close(r.score(unit, id), want), "{name}: {:?}", r.score(unit, id));
    }
    assert!(close(r.score("KZ", "lg"), 100.0 * (37f64.ln() / 1000f64.ln())), "log goalposts");
    assert_eq!(r.score("RU", "lg"), Err(Reason::Domain), "ln(0) on log goalposts");
    assert_eq!(
        r.meth.model.indicators["rel"].direction,
        tamga::model::Direction::LowerIsBetter,
        "best < worst sets the direction"
    );
}

const THREE: &str = "question x : number { en \"x\" ru \"x\" }\nquestion y : number { en \"y\" ru \"y\" }\nquestion z : number { en \"z\" ru \"z\" }\n";

fn three(agg: &str, missing: &str) -> String {
    format!(
        "{THREE}area ar {{ en \"a\" ru \"a\" aggregate {agg} missing {missing}\n\
         indicator ix = x {{ en \"x\" ru \"x\" score value }}\n indicator iy = y {{ en \"y\" ru \"y\" score value weight 2 }}\n\
         indicator iz = z {{ en \"z\" ru \"z\" score value }} }}\n"
    )
}

#[test]
fn aggregation_methods() {
    let subs = [("AM", r#"{"x": 10, "y": 40, "z": 90}"#), ("BY", r#"{"x": 0, "y": 50, "z": 100}"#)];
    let mean = run(&three("mean", "reweight"), &subs);
    assert!(close(mean.area("AM", "ar"), (10.0 + 80.0 + 90.0) / 4.0), "weighted arithmetic mean");
    let geo = run(&three("geometric", "reweight"), &subs);
    let want = ((10f64.ln() + 2.0 * 40f64.ln() + 90f64.ln()) / 4.0).exp();
    assert!(close(geo.area("AM", "ar"), want), "weighted geometric mean");
    assert_eq!(geo.area("BY", "ar"), Ok(0.0), "geometric mean with a zero is zero");
    let min = run(&three("min", "reweight"), &subs);
    assert_eq!(min.area("AM", "ar"), Ok(10.0));
}

#[test]
fn missing_data_policies() {
    let subs = [("AM", r#"{"x": 10, "y": 40}"#), ("BY", r#"{"x": 30}"#), ("KZ", r#"{"x": 10, "y": 40, "z": 90}"#)];
    // weights 1, 2, 1: AM has 3/4 of the weight, BY 1/4
    let cases: &[(&str, &str, &str, Result<f64, Reason>)] = &[
        ("reweight over present", "reweight", "AM", Ok((10.0 + 80.0) / 3.0)),
        ("reweight, any coverage", "reweight", "BY", Ok(30.0)),
        ("coverage 3/4 ≥ 2/3", "reweight(min: 2/3)", "AM", Ok((10.0 + 80.0) / 3.0)),
        ("coverage 1/4 < 2/3", "reweight(min: 2/3)", "BY", Err(Reason::NotAssessable)),
        ("coverage 3/4 ≥ 75%", "reweight(min: 75%)", "AM", Ok((10.0 + 80.0) / 3.0)),
        ("coverage 3/4 < 76%", "reweight(min: 76%)", "AM", Err(Reason::NotAssessable)),
        ("zero counts the bottom", "zero", "AM", Ok((10.0 + 80.0) / 4.0)),
        ("not assessable with any missing", "not_assessable", "AM", Err(Reason::NotAssessable)),
        ("not assessable, all present", "not_assessable", "KZ", Ok((10.0 + 80.0 + 90.0) / 4.0)),
    ];
    for (name, policy, unit, want) in cases {
        let r = run(&three("mean", policy), &subs);
        let got = r.area(unit, "ar");
        match want {
            Ok(w) => assert!(close(got, *w), "{name}: {got:?}"),
            Err(e) => assert_eq!(got, Err(*e), "{name}"),
        }
    }
}

#[test]
fn omission_is_told_from_not_applicable() {
    // weights 1, 2, 1; x = 10, y = 40, z = 90 when all answered
    let subs = [
        ("AM", r#"{"x": 10, "y": 40}"#),                                     // z omitted
        ("BY", r#"{"x": 10, "y": 40, "z": {"missing": "not_applicable"}}"#), // z not applicable
        ("KG", r#"{"x": 10, "y": 40, "z": {"missing": "confidential"}}"#),   // z withheld
        (
            "KZ",
            r#"{"x": {"missing": "not_applicable"}, "y": {"missing": "not_applicable"}, "z": {"missing": "not_applicable"}}"#,
        ),
        ("RU", r#"{"x": 10, "y": 40, "z": 90}"#),
    ];
    let cases: &[(&str, &str, &str, Result<f64, Reason>)] = &[
        ("no policy: not assessable (the safe default)", "", "AM", Err(Reason::NotAssessable)),
        ("no policy, all present", "", "RU", Ok((10.0 + 80.0 + 90.0) / 4.0)),
        ("omitted counts as 0", "zero(not_applicable: reweight)", "AM", Ok((10.0 + 80.0) / 4.0)),
        ("confidential counts as 0", "zero(not_applicable: reweight)", "KG", Ok((10.0 + 80.0) / 4.0)),
        ("not applicable is left out", "zero(not_applicable: reweight)", "BY", Ok((10.0 + 80.0) / 3.0)),
        ("all not applicable: so is the area", "zero(not_applicable: reweight)", "KZ", Err(Reason::NotApplicable)),
        ("omitted: not assessable", "not_assessable(not_applicable: reweight)", "AM", Err(Reason::NotAssessable)),
        ("not applicable left out", "not_assessable(not_applicable: reweight)", "BY", Ok((10.0 + 80.0) / 3.0)),
        ("plain zero counts not applicable as 0", "zero", "BY", Ok((10.0 + 80.0) / 4.0)),
        ("reweight lets omission pay", "reweight", "AM", Ok((10.0 + 80.0) / 3.0)),
    ];
    for (name, policy, unit, want) in cases {
        let rules =
            if policy.is_empty() { three("mean", "x").replace(" missing x", "") } else { three("mean", policy) };
        let r = run(&rules, &subs);
        let got = r.area(unit, "ar");
        match want {
            Ok(w) => assert!(close(got, *w), "{name}: {got:?}"),
            Err(e) => assert_eq!(got, Err(*e), "{name}"),
        }
    }
    // the value computed over fewer children carries its coverage, and a warning per unit and node
    let r = run(&three("mean", "zero(not_applicable: reweight)"), &subs);
    let p = &r.out.periods[0];
    let ar = r.meth.model.areas["ar"].slot;
    let cov: Vec<_> = p
        .coverage
        .iter()
        .filter(|c| c.slot == ar)
        .map(|c| (p.units[c.unit].as_str(), c.counted, c.declared, c.weight_share))
        .collect();
    assert_eq!(cov, [("BY", 2, 3, 0.75)], "only BY is re-weighted (AM and KG count z as 0; KZ is not applicable)");
    let warned: Vec<_> = r
        .out
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Reweighted { counted: 2, declared: 3, .. }))
        .map(|e| e.unit.clone().unwrap_or_default())
        .collect();
    assert_eq!(warned, ["BY"]);
    let r = run(&three("mean", "reweight"), &subs);
    let p = &r.out.periods[0];
    let units: Vec<&str> = p.coverage.iter().filter(|c| c.slot == ar).map(|c| p.units[c.unit].as_str()).collect();
    assert_eq!(units, ["AM", "BY", "KG"], "reweight: every unit with a child left out");
}

const GROUP: &str = "group g { en \"g\" ru \"g\" POLICY\n\
    question a : yesno { en \"a\" ru \"a\" }\n question b : yesno { en \"b\" ru \"b\" }\n\
    question c : yesno { en \"c\" ru \"c\" }\n question d : yesno { en \"d\" ru \"d\" }\n\
    question e : yesno { en \"e\" ru \"e\" } }\n\
    indicator sh = share(g) { en \"s\" ru \"s\" }\nindicator ct = count(g) { en \"c\" ru \"c\" }\n\
    indicator an = answered(g) { en \"n\" ru \"n\" }\n";

#[test]
fn a_groups_policy_decides_what_an_unanswered_item_counts() {
    let subs = [
        ("AM", r#"{"a": true, "b": true, "c": true, "d": false, "e": false}"#),
        ("BY", r#"{"a": true, "b": true, "c": true, "d": false}"#), // a `no` left blank
        ("KG", r#"{"a": true, "b": true, "c": true}"#),             // both `no` left blank
        ("KZ", r#"{"a": true, "b": true, "c": true, "d": false, "e": {"missing": "not_applicable"}}"#),
    ];
    type Got = Result<f64, Reason>;
    let cases: &[(&str, &str, Got, Got)] = &[
        // (policy, unit, share, count)
        ("", "AM", Ok(60.0), Ok(3.0)),
        ("", "KG", Ok(100.0), Err(Reason::NotSubmitted)),
        ("missing reweight", "BY", Ok(75.0), Err(Reason::NotSubmitted)),
        ("missing zero", "AM", Ok(60.0), Ok(3.0)),
        ("missing zero", "BY", Ok(60.0), Ok(3.0)),
        ("missing zero", "KG", Ok(60.0), Ok(3.0)),
        ("missing zero", "KZ", Ok(75.0), Ok(3.0)),
        ("missing not_assessable", "BY", Err(Reason::NotSubmitted), Err(Reason::NotSubmitted)),
        ("missing not_assessable", "KZ", Ok(75.0), Ok(3.0)),
    ];
    for (policy, unit, share, count) in cases {
        let r = run(&GROUP.replace("POLICY", policy), &subs);
        assert_eq!(r.value(unit, "sh"), *share, "{policy:?} {unit}: share");
        assert_eq!(r.value(unit, "ct"), *count, "{policy:?} {unit}: count");
    }
    let r = run(&GROUP.replace("POLICY", "missing zero"), &subs);
    assert_eq!(r.value("KG", "an"), Ok(3.0), "answered counts the answers present");
    // without a policy, `share` over the group is a warning in check
    let text = format!("{HEADER}{}", GROUP.replace("POLICY", ""));
    let c = check_text("case.tamga", &text);
    let Ok((_, warnings)) = c.methodology() else { panic!("does not check") };
    assert!(warnings.iter().any(|d| d.code.as_str() == "tamga::check::unanswered"), "a warning");
    let text = format!("{HEADER}{}", GROUP.replace("POLICY", "missing zero"));
    let Ok((_, warnings)) = check_text("case.tamga", &text).methodology() else { panic!("does not check") };
    assert!(!warnings.iter().any(|d| d.code.as_str() == "tamga::check::unanswered"), "no warning");
}

#[test]
fn a_standard_not_assessed_counts_as_not_attained_in_its_chapter() {
    let rules = "question r : number { en \"r\" ru \"r\" }\nquestion s : number { en \"s\" ru \"s\" }\n\
        chapter C { en \"c\" ru \"c\"\n\
          standard C-1 { en \"1\" ru \"1\" requires r <= 10 }\n\
          standard C-2 { en \"2\" ru \"2\" requires s <= 10 } }\n";
    let subs = [
        ("AM", r#"{"r": 5, "s": 50}"#),                            // one met, one failing
        ("BY", r#"{"r": 5}"#),                                     // the failing one blanked
        ("KZ", r#"{"r": 5, "s": {"missing": "not_applicable"}}"#), // not applicable
    ];
    let r = run(rules, &subs);
    let chapter = |u: &str| r.out.periods[0].get(r.meth.model.chapters["C"].score, r.unit(u)).map_err(|m| m.reason);
    assert_eq!(chapter("AM"), Ok(50.0));
    assert_eq!(chapter("BY"), Ok(50.0), "blanking a failing standard does not raise the chapter");
    assert_eq!(chapter("KZ"), Ok(100.0), "a standard not applicable is left out");
    let code = |u: &str| r.out.periods[0].get(r.meth.model.code_score, r.unit(u)).map_err(|m| m.reason);
    assert_eq!(code("BY"), Ok(50.0));
}

#[test]
fn reweighting_equals_the_full_mean_when_nothing_is_missing() {
    let subs = [("AM", r#"{"x": 12.5, "y": 47.25, "z": 99}"#)];
    let a = run(&three("mean", "reweight"), &subs).area("AM", "ar");
    let b = run(&three("mean", "zero"), &subs).area("AM", "ar");
    let c = run(&three("mean", "not_assessable"), &subs).area("AM", "ar");
    assert_eq!(a, b);
    assert_eq!(b, c);
}

#[test]
fn cross_unit_functions_with_ties() {
    let r = run(
        "question x : number { en \"x\" ru \"x\" }\n\
         indicator rmin = union_rank(x) { en \"r\" ru \"r\" }\n\
         indicator rmax = union_rank(x, ties: max) { en \"r\" ru \"r\" }\n\
         indicator ravg = union_rank(x, ties: average) { en \"r\" ru \"r\" }\n\
         indicator pct = union_percentile(x) { en \"p\" ru \"p\" }\n\
         indicator mean = union_mean(x) { en \"m\" ru \"m\" }\n\
         indicator med = union_median(x) { en \"m\" ru \"m\" }\n\
         indicator sd = union_sd(x) { en \"s\" ru \"s\" }\n\
         indicator n = union_count(x) { en \"n\" ru \"n\" }\n",
        &[
            ("AM", r#"{"x": 10}"#),
            ("BY", r#"{"x": 20}"#),
            ("KG", r#"{"x": 20}"#),
            ("KZ", r#"{"x": 5}"#),
            ("RU", r#"{}"#),
        ],
    );
    let table: &[(&str, [f64; 4])] = &[
        // AM=10, BY=20, KG=20, KZ=5 (RU missing)
        ("rmin", [3.0, 1.0, 1.0, 4.0]),
        ("rmax", [3.0, 2.0, 2.0, 4.0]),
        ("ravg", [3.0, 1.5, 1.5, 4.0]),
        ("pct", [100.0 / 3.0, 250.0 / 3.0, 250.0 / 3.0, 0.0]),
    ];
    for (id, want) in table {
        for (k, unit) in ["AM", "BY", "KG", "KZ"].iter().enumerate() {
            assert!(close(r.value(unit, id), want[k]), "{id} {unit}: {:?}", r.value(unit, id));
        }
    }
    assert_eq!(r.value("RU", "rmin"), Err(Reason::NotSubmitted), "a missing unit has no rank");
    assert_eq!(r.value("RU", "mean"), Ok(13.75), "statistics are the same for every unit");
    assert_eq!(r.value("AM", "med"), Ok(15.0));
    let sd = ((3.75f64.powi(2) + 6.25f64.powi(2) * 2.0 + 8.75f64.powi(2)) / 3.0).sqrt();
    assert!(close(r.value("AM", "sd"), sd), "sample sd");
    assert_eq!(r.value("AM", "n"), Ok(4.0));
}

#[test]
fn normalisations_on_a_hand_computed_table() {
    // values: AM 10, BY 20, KZ 40, RU 30; mean 25; sample sd sqrt(500/3)
    let rules = "question x : number { en \"x\" ru \"x\" }\n\
        area ar { en \"a\" ru \"a\"\n\
        indicator mm = x { en \"m\" ru \"m\" score minmax }\n\
        indicator mml = x { en \"m\" ru \"m\" lower_is_better score minmax }\n\
        indicator z = x { en \"z\" ru \"z\" score zscore }\n\
        indicator z2 = x { en \"z\" ru \"z\" score zscore(center: 50, scale: 10) }\n\
        indicator rk = x { en \"r\" ru \"r\" score rank }\n\
        indicator pc = x { en \"p\" ru \"p\" score percentile }\n\
        indicator dm = x { en \"d\" ru \"d\" score distance(to: mean) }\n\
        indicator db = x { en \"d\" ru \"d\" score distance(to: best, as: difference) }\n\
        indicator dt = x { en \"d\" ru \"d\" lower_is_better score distance(to: 20) }\n\
        indicator th = x { en \"t\" ru \"t\" score threshold(p: 10) }\n\
        indicator ct = x { en \"c\" ru \"c\" score categorical { ..50 => 0, 50..=100 => 100 } }\n\
        indicator fm = x { en \"f\" ru \"f\" score formula(100 - value) } }\n";
    let r =
        run(rules, &[("AM", r#"{"x": 10}"#), ("BY", r#"{"x": 20}"#), ("KZ", r#"{"x": 40}"#), ("RU", r#"{"x": 30}"#)]);
    let sd = (500.0f64 / 3.0).sqrt();
    let table: &[(&str, [f64; 4])] = &[
        // AM, BY, KZ, RU
        ("mm", [0.0, 100.0 / 3.0, 100.0, 200.0 / 3.0]),
        ("mml", [100.0, 200.0 / 3.0, 0.0, 100.0 / 3.0]),
        ("z", [-15.0 / sd, -5.0 / sd, 15.0 / sd, 5.0 / sd]),
        ("z2", [50.0 - 150.0 / sd, 50.0 - 50.0 / sd, 50.0 + 150.0 / sd, 50.0 + 50.0 / sd]),
        ("rk", [1.0, 2.0, 4.0, 3.0]),
        ("pc", [0.0, 100.0 / 3.0, 100.0, 200.0 / 3.0]),
        ("dm", [40.0, 80.0, 160.0, 120.0]),
        ("db", [-30.0, -20.0, 0.0, -10.0]),
        ("dt", [200.0, 100.0, 50.0, 200.0 / 3.0]),
        ("th", [0.0, 0.0, 100.0, 100.0]),
        ("ct", [0.0, 0.0, 100.0, 100.0]),
        ("fm", [90.0, 80.0, 60.0, 70.0]),
    ];
    for (id, want) in table {
        for (k, unit) in ["AM", "BY", "KZ", "RU"].iter().enumerate() {
            assert!(close(r.score(unit, id), want[k]), "{id} {unit}: {:?} != {}", r.score(unit, id), want[k]);
        }
    }
}

#[test]
fn statistics_without_spread_are_insufficient_data() {
    let r = run(
        "question x : number { en \"x\" ru \"x\" }\narea ar { en \"a\" ru \"a\"\n indicator mm = x { en \"m\" ru \"m\" score minmax } }\n",
        &[("AM", r#"{"x": 3}"#), ("BY", r#"{"x": 3}"#)],
    );
    assert_eq!(r.score("AM", "mm"), Err(Reason::InsufficientData));
    assert!(r.out.events.iter().any(|e| matches!(e.kind, EventKind::InsufficientData { present: 2 })));
}

#[test]
fn standards_levels_and_attainment() {
    let r = run(
        "question h : hours { en \"h\" ru \"h\" }\nindicator rel = h { en \"r\" ru \"r\" unit \"h\" precision 1 }\n\
         standard TF-1 { en \"t\" ru \"t\" requires rel <= 24 baseline 168\n level basic: rel <= 48\n level advanced: rel <= 24\n level leading: rel <= 6 }\n\
         standard TF-2 { en \"t\" ru \"t\" level basic: rel <= 48\n level advanced: rel <= 24 }\n",
        &[("AM", r#"{"h": 4}"#), ("BY", r#"{"h": 24.04}"#), ("KG", r#"{"h": 30}"#), ("KZ", r#"{"h": 96}"#), ("RU", r#"{}"#)],
    );
    let s = &r.meth.model.standards["TF-1"];
    let p = &r.out.periods[0];
    let level = |u: &str, code: &str| p.get(r.meth.model.standards[code].level, r.unit(u));
    let att = |u: &str, code: &str| p.get(r.meth.model.standards[code].attainment, r.unit(u)).map_err(|m| m.reason);
    assert_eq!(r.met("AM", "TF-1"), Ok(true));
    assert_eq!(level("AM", "TF-1"), Ok(3.0), "leading");
    assert_eq!(r.met("BY", "TF-1"), Ok(true), "24.04 is published as 24.0");
    assert_eq!(level("BY", "TF-1"), Ok(2.0));
    assert_eq!(r.met("KZ", "TF-1"), Ok(false));
    assert!(close(att("KZ", "TF-1"), 100.0 * (96.0 - 168.0) / (24.0 - 168.0)), "linear from the baseline");
    assert_eq!(att("AM", "TF-1"), Ok(100.0));
    assert_eq!(r.met("RU", "TF-1"), Err(Reason::NotSubmitted), "not assessable");
    assert_eq!(s.target, Some(24.0));
    // graded only: met at the lowest level, attainment by level
    assert_eq!(r.met("KZ", "TF-2"), Ok(false));
    assert_eq!(att("KZ", "TF-2"), Ok(0.0));
    assert_eq!(att("BY", "TF-2"), Ok(100.0));
    assert_eq!(r.met("KG", "TF-2"), Ok(true), "basic is met");
    assert_eq!(att("KG", "TF-2"), Ok(50.0), "basic of two levels is half way");
}

/// Like [`run`], with whole submission documents (for groups and several periods).
fn run_docs(rules: &str, docs: &[&str]) -> Run {
    let text = format!("{HEADER}{rules}");
    let c = check_text("case.tamga", &text);
    let (meth, _) = match c.methodology() {
        Ok(x) => x,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, Style { color: false, width: 100 })),
    };
    let mut sources = meth.sources.clone();
    let mut data = Dataset::default();
    for (k, doc) in docs.iter().enumerate() {
        let (s, d) = load_text(&meth.model, &format!("s{k}.json"), doc, &mut sources);
        assert!(!has_errors(&d), "{}", render(&d, &sources, Style { color: false, width: 100 }));
        data.submissions.push(s.expect("submission"));
    }
    data.submissions.sort_by_key(|a| (a.period.clone(), a.unit.clone()));
    let out = evaluate(&meth.model, &data);
    Run { meth, out }
}

fn imputed(r: &Run, period: usize, unit: &str, id: &str) -> Result<f64, Reason> {
    let i = &r.meth.model.indicators[id];
    let p = &r.out.periods[period];
    let u = p.unit_index(unit).expect("unit");
    p.get(i.score_input, u).map_err(|m| m.reason)
}

#[test]
fn imputation_methods_fill_only_what_the_score_sees() {
    let rules = |method: &str| {
        format!(
            "question x : number {{ en \"x\" ru \"x\" }}\narea a {{ en \"a\" ru \"a\"\n indicator ix = x {{ en \"x\" ru \"x\" impute {method} score value }} }}\n"
        )
    };
    let doc = |u: &str, x: &str, g: &str| {
        format!(r#"{{"unit": "{u}", "period": "2023", "groups": {{"region": "{g}"}}, "answers": {{ {x} }}}}"#)
    };
    let docs = [
        doc("AM", r#""x": 10"#, "west"),
        doc("BY", r#""x": 20"#, "west"),
        doc("KG", r#""x": 90"#, "east"),
        doc("KZ", "", "east"),
        doc("RU", r#""x": {"missing": "not_applicable"}"#, "east"),
    ];
    let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let cases: &[(&str, Result<f64, Reason>)] = &[
        ("none", Err(Reason::NotSubmitted)),
        ("mean", Ok(40.0)),
        ("median", Ok(20.0)),
        ("group_mean(by: region)", Ok(90.0)),
        ("formula(union_min(x) / 2)", Ok(5.0)),
    ];
    for (method, want) in cases {
        let r = run_docs(&rules(method), &docs);
        assert_eq!(imputed(&r, 0, "KZ", "ix"), *want, "impute {method}");
        assert_eq!(r.value("KZ", "ix"), Err(Reason::NotSubmitted), "the published value stays missing ({method})");
        assert_eq!(
            imputed(&r, 0, "RU", "ix"),
            Err(Reason::NotApplicable),
            "not applicable is never imputed ({method})"
        );
        if want.is_ok() {
            assert_eq!(r.score("KZ", "ix"), *want, "the score sees the imputed value ({method})");
            let note = &r.out.periods[0].notes;
            assert_eq!(note.len(), 1, "{method}: {note:?}");
        }
    }
}

#[test]
fn imputation_carries_the_previous_period_forward_and_is_inherited() {
    let rules = "question x : number { en \"x\" ru \"x\" }\nindex i { en \"i\" ru \"i\" impute previous }\n\
        area a { en \"a\" ru \"a\"\n indicator ix = x { en \"x\" ru \"x\" score value }\n indicator iy = x { en \"y\" ru \"y\" impute none score value } }\n";
    let r = run_docs(
        rules,
        &[
            r#"{"unit": "AM", "period": "2021", "answers": {"x": 7}}"#,
            r#"{"unit": "AM", "period": "2022", "answers": {}}"#,
            r#"{"unit": "AM", "period": "2023", "answers": {}}"#,
        ],
    );
    assert_eq!(imputed(&r, 1, "AM", "ix"), Ok(7.0), "from 2021");
    assert_eq!(imputed(&r, 2, "AM", "ix"), Ok(7.0), "the latest earlier value, not an imputed one");
    assert_eq!(imputed(&r, 2, "AM", "iy"), Err(Reason::NotSubmitted), "`impute none` on the indicator wins");
    match &r.out.periods[2].notes[0].kind {
        tamga::eval::NoteKind::Imputed { from_period, .. } => assert_eq!(from_period.as_deref(), Some("2021")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn treatment_and_screening() {
    // one extreme value among ten: skewness and kurtosis far beyond the thresholds
    let mut docs = vec![];
    for (k, v) in [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 4.0, 5.0, 1000.0].iter().enumerate() {
        docs.push(format!(r#"{{"unit": "U{k:02}", "period": "1", "answers": {{"x": {v}, "y": 1}}}}"#));
    }
    docs.push(r#"{"unit": "U99", "period": "1", "answers": {}}"#.to_string());
    let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let rules = "question x : number { en \"x\" ru \"x\" }\nquestion y : number { en \"y\" ru \"y\" }\n\
        index i { en \"i\" ru \"i\" screen(min: 50%) }\n\
        area a { en \"a\" ru \"a\"\n indicator w = x { en \"w\" ru \"w\" treat winsorise(points: 5, skew: 2, kurtosis: 3.5) score minmax }\n\
        indicator l = x { en \"l\" ru \"l\" treat log score minmax }\n indicator y1 = y { en \"y\" ru \"y\" score value } }\n";
    let r = run_docs(rules, &docs);
    let p = &r.out.periods[0];
    assert_eq!(p.excluded.len(), 1, "U99 has no indicator: screened out");
    assert_eq!(p.excluded[0].unit, "U99");
    assert_eq!(p.units.len(), 10);
    let w = imputed(&r, 0, "U09", "w").expect("treated");
    assert!(w < 1000.0, "the extreme point was winsorised or logged: {w}");
    assert_eq!(r.value("U09", "w"), Ok(1000.0), "the published value is untouched");
    assert_eq!(imputed(&r, 0, "U00", "l"), Ok(0.0), "ln 1");
    assert!(p.notes.iter().any(|n| matches!(n.kind, tamga::eval::NoteKind::Treated { .. })));
}

#[test]
fn harmonic_and_power_means() {
    let subs = [("AM", r#"{"x": 10, "y": 40, "z": 90}"#), ("BY", r#"{"x": 0, "y": 50, "z": 100}"#)];
    let h = run(&three("harmonic", "reweight"), &subs);
    assert!(close(h.area("AM", "ar"), 4.0 / (1.0 / 10.0 + 2.0 / 40.0 + 1.0 / 90.0)));
    assert_eq!(h.area("BY", "ar"), Ok(0.0), "harmonic mean with a zero");
    let p = run(&three("power(p: 2)", "reweight"), &subs);
    assert!(close(p.area("AM", "ar"), ((100.0 + 2.0 * 1600.0 + 8100.0) / 4.0f64).sqrt()));
    let one = run(&three("power(p: 1)", "reweight"), &subs);
    let mean = run(&three("mean", "reweight"), &subs);
    assert!(close(one.area("AM", "ar"), mean.area("AM", "ar").expect("mean")), "p = 1 is the arithmetic mean");
}
