//! Scores outside the declared scale: one rule for every scoring rule. By default a score outside
//! the scale is kept and warned about (`tamga::eval::scale`, one per state and indicator);
//! `outside_scale clamp` moves it to the nearest end and records it (`tamga::eval::clamped`,
//! shown by `explain`); `outside_scale allow` keeps it without a warning. `check` warns where it
//! can tell before any data. Each case: a tiny methodology on a scale 0..=100, hand-computed.

use tamga::check::{check_text, Methodology};
use tamga::data::{load_text, Dataset};
use tamga::diagnostics::{has_errors, render, Code, Diag, Style};
use tamga::eval::{evaluate, EventKind, Outcome};
use tamga::explain::{self, Target};
use tamga::report::Lang;

const STYLE: Style = Style { color: false, width: 100 };

const QUESTIONS: &str = r#"question x : number { en "x" ru "x" }
question ok : yesno { en "ok" ru "ok" }
"#;

struct Run {
    meth: Methodology,
    sources: tamga::source::SourceMap,
    data: Dataset,
    out: Outcome,
    warnings: Vec<Diag>,
}

/// `header_extra` goes into the methodology header; `indicator` is one indicator `i` (with its
/// scoring rule and `outside_scale`, if any) inside the area `a`. States: (code, x, ok).
fn run(header_extra: &str, indicator: &str, states: &[(&str, f64, bool)]) -> Run {
    let text = format!(
        "methodology t {{ en \"t\" ru \"t\" version \"1\" {header_extra} }}\n{QUESTIONS}area a {{ en \"a\" ru \"a\"\n{indicator}\n}}\n"
    );
    let c = check_text("case.tamga", &text);
    let (meth, warnings) = match c.methodology() {
        Ok(x) => x,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, STYLE)),
    };
    let mut sources = meth.sources.clone();
    let mut data = Dataset::default();
    for (unit, x, ok) in states {
        let json = format!(r#"{{"unit": "{unit}", "period": "2023", "answers": {{"x": {x}, "ok": {ok}}}}}"#);
        let (s, d) = load_text(&meth.model, &format!("{unit}.json"), &json, &mut sources);
        assert!(!has_errors(&d), "{}", render(&d, &sources, STYLE));
        data.submissions.push(s.expect("submission"));
    }
    data.submissions.sort_by(|a, b| a.unit.cmp(&b.unit));
    let out = evaluate(&meth.model, &data);
    Run { meth, sources, data, out, warnings }
}

impl Run {
    fn score(&self, unit: &str) -> f64 {
        let p = &self.out.periods[0];
        let slot = self.meth.model.indicators["i"].score_slot;
        p.get(slot, p.unit_index(unit).expect("unit")).expect("a score")
    }
    /// (unit, score as computed) of the `tamga::eval::scale` warnings.
    fn kept(&self) -> Vec<(String, f64)> {
        self.out
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::OutsideScale { score } => Some((e.unit.clone().unwrap_or_default(), score)),
                _ => None,
            })
            .collect()
    }
    /// (unit, score as computed, clamped to) of the `tamga::eval::clamped` records.
    fn clamped(&self) -> Vec<(String, f64, f64)> {
        self.out
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Clamped { score, to } => Some((e.unit.clone().unwrap_or_default(), score, to)),
                _ => None,
            })
            .collect()
    }
    fn static_warnings(&self) -> usize {
        self.warnings.iter().filter(|d| d.code == Code::CheckScale).count()
    }
    fn explain(&self, unit: &str) -> String {
        let p = &self.out.periods[0];
        let u = p.unit_index(unit).expect("unit");
        let target = Target::resolve(&self.meth.model, "score(i)").expect("score(i)");
        let e = explain::explain(
            &self.meth.model,
            &self.sources,
            Some(&self.data),
            p,
            u,
            &target,
            explain::Options { lang: Lang::En, max_depth: None },
        );
        assert_eq!(e.mismatches, 0, "the trace agrees with the evaluation");
        explain::text::render(&e, "t", Lang::En)
    }
}

fn ind(rule: &str, policy: &str) -> String {
    format!("indicator i = x {{ en \"i\" ru \"i\" {policy} score {rule} }}")
}

/// The three policies on one rule: (warn: kept and warned), (clamp: clamped and recorded),
/// (allow: kept, silent). `expect` is (unit, score as the rule computes it) for every state
/// whose score leaves 0..=100.
fn three_ways(rule: &str, states: &[(&str, f64, bool)], expect: &[(&str, f64)]) {
    let clamp = |x: f64| x.clamp(0.0, 100.0);
    let warn = run("", &ind(rule, ""), states);
    let kept: Vec<(String, f64)> = expect.iter().map(|(u, x)| (u.to_string(), *x)).collect();
    assert_eq!(warn.kept(), kept, "{rule}: warn");
    assert!(warn.clamped().is_empty());
    for (u, x) in expect {
        assert_eq!(warn.score(u), *x, "{rule}: {u} kept as computed");
    }
    let c = run("", &ind(rule, "outside_scale clamp"), states);
    assert!(c.kept().is_empty(), "{rule}: clamp does not warn as kept");
    let clamped: Vec<(String, f64, f64)> = expect.iter().map(|(u, x)| (u.to_string(), *x, clamp(*x))).collect();
    assert_eq!(c.clamped(), clamped, "{rule}: clamp");
    for (u, x) in expect {
        assert_eq!(c.score(u), clamp(*x), "{rule}: {u} clamped");
        let text = c.explain(u);
        assert!(text.contains("lies outside the scale 0–100: clamped to"), "{rule}: explain says so:\n{text}");
    }
    let a = run("", &ind(rule, "outside_scale allow"), states);
    assert!(a.kept().is_empty() && a.clamped().is_empty(), "{rule}: allow is silent");
    for (u, x) in expect {
        assert_eq!(a.score(u), *x, "{rule}: {u} allowed");
    }
}

const FIVE: &[(&str, f64, bool)] =
    &[("AM", 10.0, true), ("BY", 20.0, false), ("KG", 30.0, true), ("KZ", 40.0, false), ("RU", 100.0, true)];

#[test]
fn zscore() {
    // mean 40, sample sd = sqrt((900 + 400 + 100 + 0 + 3600) / 4) = sqrt(1250) = 35.355…;
    // RU: z = 60 / 35.355 = 1.697 → 50 + 40 × 1.697 = 117.88…; AM: z = −0.8485 → 16.06 (inside)
    let z = 60.0 / 1250f64.sqrt();
    three_ways("zscore(center: 50, scale: 40)", FIVE, &[("RU", 50.0 + 40.0 * z)]);
}

#[test]
fn rank() {
    // on a scale 0..=100 five ranks 1..5 stay inside (a small scale: `rank_on_a_small_scale`)
    let r = run("", &ind("rank", ""), FIVE);
    assert!(r.kept().is_empty(), "ranks 1..5 fit 0..=100");
    assert_eq!(r.static_warnings(), 1, "but n may exceed 100: check says so");
    assert_eq!(run("", &ind("rank", "outside_scale allow"), FIVE).static_warnings(), 0);
}

#[test]
fn rank_on_a_small_scale() {
    // scale 0..=3: ranks 4 (KZ) and 5 (RU) lie above it
    let r = run("scale 0..=3", &ind("rank", ""), FIVE);
    assert_eq!(r.kept(), vec![("KZ".to_string(), 4.0), ("RU".to_string(), 5.0)]);
    let c = run("scale 0..=3", &ind("rank", "outside_scale clamp"), FIVE);
    assert_eq!(c.clamped(), vec![("KZ".to_string(), 4.0, 3.0), ("RU".to_string(), 5.0, 3.0)]);
    assert_eq!((c.score("KZ"), c.score("RU"), c.score("KG")), (3.0, 3.0, 3.0));
    let a = run("scale 0..=3", &ind("rank", "outside_scale allow"), FIVE);
    assert!(a.kept().is_empty());
    assert_eq!(a.score("RU"), 5.0);
}

#[test]
fn distance() {
    // to the mean 40, as a ratio: x / 40 × 100 → RU 250; as a difference x − 40 → AM −30, BY −20,
    // KG −10, RU 60 (inside)
    three_ways("distance(to: mean)", FIVE, &[("RU", 250.0)]);
    three_ways("distance(to: mean, as: difference)", FIVE, &[("AM", -30.0), ("BY", -20.0), ("KG", -10.0)]);
}

#[test]
fn threshold() {
    // above the mean 40 + 10 % → 120; below 40 − 10 % → −5; within → 50
    let rule = "threshold(p: 10, above: 120, within: 50, below: -5)";
    three_ways(rule, FIVE, &[("AM", -5.0), ("BY", -5.0), ("KG", -5.0), ("RU", 120.0)]);
    assert_eq!(run("", &ind(rule, ""), FIVE).static_warnings(), 1);
}

#[test]
fn bands() {
    let rule = "bands { ..25 => 0, 25..50 => 60, 50.. => 130 }";
    three_ways(rule, FIVE, &[("RU", 130.0)]);
    let r = run("", &ind(rule, ""), FIVE);
    assert_eq!(r.static_warnings(), 1, "check sees the band scoring 130");
    assert!(r.warnings.iter().any(|d| d.message.contains("a band scores 130")));
    assert_eq!(run("", &ind(rule, "outside_scale clamp"), FIVE).static_warnings(), 0);
}

#[test]
fn categorical() {
    // percentile ranks by quality (rank − 1) / (n − 1): KZ 75, RU 100 fall in the top class
    let rule = "categorical { ..50 => 0, 50..75 => 50, 75.. => 110 }";
    three_ways(rule, FIVE, &[("KZ", 110.0), ("RU", 110.0)]);
    assert_eq!(run("", &ind(rule, ""), FIVE).static_warnings(), 1);
}

#[test]
fn value_and_formula() {
    three_ways("value", FIVE, &[]);
    let over = &[("AM", 150.0, true), ("BY", -1.0, false), ("KG", 50.0, true)];
    three_ways("value", over, &[("AM", 150.0), ("BY", -1.0)]);
    three_ways("formula(value * 2)", FIVE, &[("RU", 200.0)]);
}

#[test]
fn yesno() {
    let rule = "yesno(yes: 100, no: -50)";
    let text = format!(
        "methodology t {{ en \"t\" ru \"t\" version \"1\" }}\n{QUESTIONS}area a {{ en \"a\" ru \"a\"\n indicator i = ok {{ en \"i\" ru \"i\" score {rule} }}\n}}\n"
    );
    let c = check_text("case.tamga", &text);
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, STYLE));
    let w: Vec<&Diag> = c.diags.iter().filter(|d| d.code == Code::CheckScale).collect();
    assert_eq!(w.len(), 1, "an answer scoring −50 is seen by check");
    assert!(w[0].message.contains("an answer scores -50"), "{}", w[0].message);
}

#[test]
fn bounded_rules_never_leave_the_scale() {
    for rule in ["goalposts(best: 100, worst: 0)", "minmax", "percentile"] {
        let r = run("", &ind(rule, ""), FIVE);
        assert!(r.kept().is_empty() && r.clamped().is_empty(), "{rule}");
        assert_eq!(r.static_warnings(), 0, "{rule}");
    }
}

#[test]
fn the_header_sets_the_policy_for_every_indicator_and_an_indicator_overrides_it() {
    let r = run("outside_scale clamp", &ind("formula(value * 2)", ""), FIVE);
    assert_eq!(r.score("RU"), 100.0);
    let r = run("outside_scale clamp", &ind("formula(value * 2)", "outside_scale warn"), FIVE);
    assert_eq!(r.score("RU"), 200.0);
    assert_eq!(r.kept(), vec![("RU".to_string(), 200.0)]);
    let r = run("outside_scale allow", &ind("zscore(center: 50, scale: 40)", ""), FIVE);
    assert_eq!(r.static_warnings(), 0);
    assert!(r.kept().is_empty());
}

#[test]
fn an_unknown_policy_is_an_error() {
    let text = format!(
        "methodology t {{ en \"t\" ru \"t\" version \"1\" }}\n{QUESTIONS}area a {{ en \"a\" ru \"a\"\n{}\n}}\n",
        ind("value", "outside_scale clip")
    );
    let c = check_text("case.tamga", &text);
    let e: Vec<&Diag> = c.diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(e.len(), 1, "{}", render(&c.diags, &c.sources, STYLE));
    assert!(e[0].message.contains("unknown `outside_scale` `clip`"));
    assert!(e[0].help.as_deref().unwrap_or("").contains("did you mean `clamp`?"));
}

#[test]
fn a_clamped_score_is_in_the_result_json_warnings() {
    let r = run("", &ind("formula(value * 2)", "outside_scale clamp"), FIVE);
    let doc = tamga::report::json::build(&r.meth, &r.sources, &r.data, &r.out);
    let w: Vec<_> = doc.warnings.iter().filter(|w| w.code == "tamga::eval::clamped").collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].unit.as_deref(), Some("RU"));
    assert!(w[0].message.contains("the score 200 lies outside the scale: clamped to 100"), "{}", w[0].message);
}
