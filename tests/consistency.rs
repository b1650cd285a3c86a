//! Issue #13, items 5 and 7: a missing value keeps its root cause; consistency rules
//! (`require …`) are judged on the answers, reported, and make what depends on a violated
//! `error` rule not assessable.

use insta_cmd::get_cargo_bin;
use std::process::Command;
use tamga::check::{check_text, Methodology};
use tamga::data::{load_text, Dataset};
use tamga::diagnostics::{has_errors, render, Code, Style};
use tamga::eval::cause::{Causes, Root};
use tamga::eval::{evaluate, Outcome};
use tamga::model::{Reason, Slot};
use tamga::report::{cause::sentence, Lang};
use tamga::source::FileId;
use tamga::syntax::{parse_file, print};

const RULES: &str = r#"
methodology t { en "t" ru "t" version "1" }
question est : count { en "Established" ru "Установлено" }
question ren : count { en "Rendered" ru "Оказано" }
question gni : number { en "GNI" ru "ВНД" }
question life : number { en "Life expectancy" ru "Продолжительность жизни" }
question paid : number { en "Paid" ru "Уплачено" }
question assessed : number { en "Assessed" ru "Начислено" }
question q23 : number { en "Q23" ru "В23" }
require services_ok: ren <= est { en "Rendered within established" ru "Оказано не больше установленного" }
require paid <= assessed * 2 { en "Paid within twice assessed" ru "Уплачено не более двух начисленных" severity warning }
indicator share = ren / est * 100 { en "Share" ru "Доля" }
indicator collection = paid / assessed * 100 { en "Collection" ru "Собираемость" }
indicator income = gni / 1000 { en "Income" ru "Доход" }
indicator income_twice = income * 2 { en "Income ×2" ru "Доход ×2" }
indicator income_chain = income_twice + q23 { en "Income chain" ru "Цепочка" }
index idx { en "Index" ru "Индекс" missing not_assessable }
area services { en "Services" ru "Услуги"
  indicator s1 = share { en "S1" ru "S1" score goalposts(best: 100, worst: 0) }
}
area wellbeing { en "Wellbeing" ru "Благополучие" missing not_assessable
  area health { en "Health" ru "Здоровье"
    indicator h1 = life { en "H1" ru "H1" score goalposts(best: 85, worst: 20) }
  }
  area wealth { en "Wealth" ru "Богатство" missing not_assessable
    indicator w1 = income_chain { en "W1" ru "W1" score goalposts(best: 100, worst: 0) }
    indicator w2 = collection { en "W2" ru "W2" score goalposts(best: 100, worst: 0) }
  }
}
standard SRV-1 { en "All services rendered" ru "Все услуги оказаны" requires share >= 100 }
"#;

struct Run {
    meth: Methodology,
    out: Outcome,
}

fn run(subs: &[(&str, &str)]) -> (Run, Vec<tamga::diagnostics::Diag>) {
    let c = check_text("case.tamga", RULES);
    let (meth, _) = match c.methodology() {
        Ok(x) => x,
        Err((s, d)) => panic!("does not check:\n{}", render(&d, &s, Style { color: false, width: 100 })),
    };
    let mut sources = meth.sources.clone();
    let mut data = Dataset::default();
    let mut diags = vec![];
    for (unit, answers) in subs {
        let json = format!(r#"{{"unit": "{unit}", "period": "2023", "answers": {answers}}}"#);
        let (s, d) = load_text(&meth.model, &format!("{unit}.json"), &json, &mut sources);
        diags.extend(d);
        data.submissions.push(s.expect("submission"));
    }
    data.submissions.sort_by(|a, b| a.unit.cmp(&b.unit));
    let out = evaluate(&meth.model, &data);
    (Run { meth, out }, diags)
}

impl Run {
    fn cause(&self, unit: &str, slot: Slot) -> tamga::eval::cause::Cause {
        let p = &self.out.periods[0];
        let u = p.unit_index(unit).expect("unit");
        Causes::new(&self.meth.model).of(p, slot, u).expect("a missing value")
    }
    fn area(&self, id: &str) -> Slot {
        self.meth.model.areas[id].slot
    }
    fn q(&self, id: &str) -> usize {
        self.meth.model.questions.get_index_of(id).expect("question")
    }
    fn en(&self, unit: &str, slot: Slot) -> String {
        sentence(&self.meth.model, &self.cause(unit, slot), Lang::En)
    }
    fn ru(&self, unit: &str, slot: Slot) -> String {
        sentence(&self.meth.model, &self.cause(unit, slot), Lang::Ru)
    }
}

const FULL: &str = r#"{"est": 22, "ren": 20, "gni": 50000, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#;

#[test]
fn an_area_not_assessable_names_the_answer_not_submitted() {
    let (r, _) = run(&[("BY", r#"{"est": 22, "ren": 20, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#)]);
    let c = r.cause("BY", r.area("wealth"));
    assert_eq!(c.reason, Reason::NotAssessable);
    assert_eq!(c.root, Root::Answer { question: r.q("gni") });
    assert_eq!(c.root_reason, Reason::NotSubmitted);
    assert_eq!(
        r.en("BY", r.area("wealth")),
        "not assessable: 1 of 2 parts missing (`w1`) because `gni` was not submitted"
    );
    assert_eq!(
        r.ru("BY", r.area("wealth")),
        "не оценивается: отсутствует 1 из 2 составляющих (`w1`), так как не представлен ответ на вопрос `gni`"
    );
}

#[test]
fn nested_areas_and_the_index_walk_down_to_the_first_missing_child() {
    let (r, _) = run(&[("BY", r#"{"est": 22, "ren": 20, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#)]);
    let c = r.cause("BY", r.area("idx"));
    // the index → wellbeing → wealth → w1 → gni: the first aggregate names its missing child
    assert_eq!(c.root, Root::Answer { question: r.q("gni") });
    let k = c.children.expect("children");
    assert_eq!(k.node, r.area("idx"));
    assert_eq!(k.missing, vec![r.area("wellbeing")]);
    assert_eq!(k.total, 2);
    assert!(c.path.contains(&r.area("wealth")), "{:?}", c.path);
    assert_eq!(
        r.en("BY", r.area("idx")),
        "not assessable: 1 of 2 parts missing (`wellbeing`) because `gni` was not submitted"
    );
}

#[test]
fn a_confidential_answer_is_named_as_such() {
    let (r, _) = run(&[(
        "AM",
        r#"{"est": 22, "ren": 20, "gni": {"missing": "confidential"}, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#,
    )]);
    let c = r.cause("AM", r.area("wealth"));
    assert_eq!(c.root, Root::Answer { question: r.q("gni") });
    assert_eq!(c.root_reason, Reason::Confidential);
    assert!(r.en("AM", r.area("wealth")).ends_with("because `gni` is confidential"));
}

#[test]
fn a_division_by_zero_names_the_expression() {
    let (r, _) =
        run(&[("KZ", r#"{"est": 22, "ren": 20, "gni": 50000, "life": 70, "paid": 5, "assessed": 0, "q23": 1}"#)]);
    let c = r.cause("KZ", r.area("wealth"));
    let Root::Operation { origin } = c.root else { panic!("an operation: {:?}", c.root) };
    assert_eq!(r.meth.model.origins[origin as usize].text, "paid / assessed");
    assert_eq!(c.root_reason, Reason::DivisionByZero);
    assert_eq!(
        r.en("KZ", r.area("wealth")),
        "not assessable: 1 of 2 parts missing (`w2`) because of a division by zero in `paid / assessed`"
    );
}

#[test]
fn a_chain_through_several_indicators_reaches_the_answer() {
    let (r, _) = run(&[("RU", r#"{"est": 22, "ren": 20, "gni": 50000, "life": 70, "paid": 5, "assessed": 10}"#)]);
    // income_chain = income_twice + q23, income_twice = income * 2: q23 is the one missing
    let slot = r.meth.model.indicators["income_chain"].value;
    let c = r.cause("RU", slot);
    assert_eq!(c.root, Root::Answer { question: r.q("q23") });
    assert_eq!(r.en("RU", slot), "not assessable because `q23` was not submitted");
    let c = r.cause("RU", r.area("idx"));
    assert_eq!(c.root, Root::Answer { question: r.q("q23") });
}

#[test]
fn a_standard_that_needs_a_missing_value_names_it() {
    let (r, _) = run(&[("KG", r#"{"ren": 20, "gni": 50000, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#)]);
    let met = r.meth.model.standards["SRV-1"].met;
    let c = r.cause("KG", met);
    // `share = ren / est`: `ren`, the leftmost operand, cannot be verified without `est`
    assert_eq!(
        c.root,
        Root::Unverified { rule: 0, question: Some(r.q("ren")), left_out: Some((r.q("est"), Reason::NotSubmitted)) }
    );
    assert_eq!(
        r.en("KG", met),
        "not assessable because the answer to `ren` cannot be verified by the consistency rule `services_ok`: `ren <= est`: `est` was not submitted"
    );
}

#[test]
fn a_violated_error_rule_makes_its_answers_invalid_and_is_reported() {
    let (r, diags) =
        run(&[("BY", r#"{"est": 22, "ren": 25, "gni": 50000, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#)]);
    let rule: Vec<_> = diags.iter().filter(|d| d.code == Code::DataRule).collect();
    assert_eq!(rule.len(), 1, "one violation");
    assert!(rule[0].is_error());
    assert!(
        rule[0].message.contains("`services_ok` (Rendered within established): `ren` = 25, `est` = 22"),
        "{}",
        rule[0].message
    );
    let p = &r.out.periods[0];
    let u = p.unit_index("BY").expect("unit");
    let m = &r.meth.model;
    // the answers it names are invalid; the share, its score, the area and SRV-1 are not assessable
    for q in ["ren", "est"] {
        assert_eq!(p.get(m.questions[q].slot, u).map_err(|x| x.reason), Err(Reason::Invalid));
    }
    assert_eq!(p.get(m.indicators["share"].value, u).map_err(|x| x.reason), Err(Reason::Invalid));
    assert!(p.get(m.standards["SRV-1"].met, u).is_err(), "SRV-1 is not assessable, not 113.6 % met");
    assert!(p.get(m.areas["services"].slot, u).is_err());
    assert_eq!(p.get(m.rules["services_ok"].slot, u), Ok(0.0));
    let c = r.cause("BY", m.standards["SRV-1"].met);
    assert_eq!(c.root, Root::Rule { rule: 0, question: Some(r.q("ren")) });
    assert_eq!(
        r.en("BY", m.standards["SRV-1"].met),
        "not assessable because the answer to `ren` violates the consistency rule `services_ok`: `ren <= est`"
    );
    assert_eq!(
        r.ru("BY", m.standards["SRV-1"].met),
        "не оценивается, так как ответ на вопрос `ren` нарушает правило согласованности `services_ok`: `ren <= est`"
    );
}

#[test]
fn a_warning_rule_only_reports() {
    let (r, diags) =
        run(&[("AM", r#"{"est": 22, "ren": 20, "gni": 50000, "life": 70, "paid": 50, "assessed": 10, "q23": 1}"#)]);
    let rule: Vec<_> = diags.iter().filter(|d| d.code == Code::DataRule).collect();
    assert_eq!(rule.len(), 1);
    assert!(!rule[0].is_error(), "a warning");
    assert!(!has_errors(&diags));
    let m = &r.meth.model;
    let p = &r.out.periods[0];
    assert_eq!(p.get(m.questions["paid"].slot, 0), Ok(50.0), "the answer is kept");
    assert_eq!(p.get(m.indicators["collection"].value, 0), Ok(500.0));
    assert_eq!(p.get(m.rules["paid <= assessed * 2"].slot, 0), Ok(0.0), "an unnamed rule is known by its condition");
}

#[test]
fn an_answer_a_rule_cannot_verify_because_another_was_left_out_is_not_used() {
    // `est` left out: `services_ok` cannot be judged, and `ren` cannot be verified. Were `ren`
    // kept, leaving `est` out would rescue an answer the rule would have refused (25 > 22):
    // omission must never pay, so `ren` counts as invalid too, with the rule as its cause
    let (r, diags) = run(&[("KG", r#"{"ren": 25, "gni": 50000, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#)]);
    let rule: Vec<_> = diags.iter().filter(|d| d.code == Code::DataRule).collect();
    assert_eq!(rule.len(), 1, "one warning: the rule cannot be judged");
    assert!(!rule[0].is_error());
    assert!(
        rule[0]
            .message
            .contains("`services_ok` cannot be judged: `est` (not submitted) left out; `ren` cannot be verified"),
        "{}",
        rule[0].message
    );
    let m = &r.meth.model;
    let p = &r.out.periods[0];
    assert!(p.get(m.rules["services_ok"].slot, 0).is_err(), "not judged");
    assert_eq!(p.get(m.questions["ren"].slot, 0).map_err(|x| x.reason), Err(Reason::Invalid));
    let c = r.cause("KG", m.questions["ren"].slot);
    assert_eq!(
        c.root,
        Root::Unverified { rule: 0, question: Some(r.q("ren")), left_out: Some((r.q("est"), Reason::NotSubmitted)) }
    );
    assert_eq!(
        r.en("KG", m.indicators["share"].value),
        "not assessable because the answer to `ren` cannot be verified by the consistency rule `services_ok`: `ren <= est`: `est` was not submitted"
    );
}

#[test]
fn a_rule_whose_answer_is_not_applicable_leaves_the_others_as_submitted() {
    let (r, diags) = run(&[(
        "KG",
        r#"{"est": {"missing": "not_applicable"}, "ren": 25, "gni": 50000, "life": 70, "paid": 5, "assessed": 10, "q23": 1}"#,
    )]);
    assert!(diags.iter().all(|d| d.code != Code::DataRule), "nothing to report: the rule does not apply");
    let m = &r.meth.model;
    let p = &r.out.periods[0];
    assert!(p.get(m.rules["services_ok"].slot, 0).is_err(), "not judged");
    assert_eq!(p.get(m.questions["ren"].slot, 0), Ok(25.0), "the answer present stays as submitted");
}

#[test]
fn leaving_out_one_of_two_contradicting_answers_never_pays() {
    // the EAEU's repeated element: 2a and 14 must agree. Contradicting, both are invalid and
    // count as `no` in the group; leaving 14 out must not bring 2a's `yes` back
    let meth = tamga::check::check(std::path::Path::new("rules/eaeu")).methodology().expect("checks").0;
    let base = std::fs::read_to_string("examples/eaeu/kg-2022.json").expect("read");
    let mut doc: serde_json::Value = serde_json::from_str(&base).expect("JSON");
    doc["answers"]["auto_02a_electronic_transit_declarations"] = true.into();
    doc["answers"]["auto_14_electronic_transit_declarations"] = false.into();
    let share = |doc: &serde_json::Value| {
        let mut sources = meth.sources.clone();
        let (s, _) = load_text(&meth.model, "kg-2022.json", &doc.to_string(), &mut sources);
        let data = Dataset { submissions: vec![s.expect("submission")] };
        let out = evaluate(&meth.model, &data);
        out.periods[0].get(meth.model.indicators["auto_share"].value, 0).expect("a share")
    };
    let contradicting = share(&doc);
    doc["answers"].as_object_mut().expect("answers").remove("auto_14_electronic_transit_declarations");
    let left_out = share(&doc);
    assert!(left_out <= contradicting, "leaving 14 out raised the share from {contradicting} to {left_out}");
    assert_eq!(left_out, contradicting, "2a stays unused: it cannot be verified");
}

#[test]
fn the_full_answers_are_all_present() {
    let (r, diags) = run(&[("AM", FULL)]);
    assert!(diags.iter().all(|d| d.code != Code::DataRule));
    assert!(r.out.periods[0].get(r.area("idx"), 0).is_ok());
}

#[test]
fn a_rule_names_answers_only() {
    let text = format!("{RULES}\nrequire share <= 100 {{ en \"x\" ru \"x\" }}\n");
    let c = check_text("case.tamga", &text);
    let Err((sources, diags)) = c.methodology() else { panic!("an indicator in a rule is refused") };
    let out = render(&diags, &sources, Style { color: false, width: 100 });
    assert!(out.contains("tamga::check::require"), "{out}");
    assert!(out.contains("the indicator `share` is not an answer"), "{out}");
    let text = format!("{RULES}\nrequire ren <= est {{ en \"x\" ru \"x\" severity fatal }}\n");
    let Err((sources, diags)) = check_text("case.tamga", &text).methodology() else { panic!("an unknown severity") };
    assert!(render(&diags, &sources, Style { color: false, width: 100 }).contains("`fatal` is not a severity"));
}

#[test]
fn fmt_keeps_a_rule() {
    let text = "methodology t { en \"t\" ru \"t\" version \"1\" }\nquestion a : count { en \"A\" ru \"А\" }\nquestion b : count { en \"B\" ru \"Б\" }\nrequire   ab_ok :  a<=b { en \"a ≤ b\" ru \"a ≤ b\" severity warning }\nrequire a<= b+1 { en \"x\" ru \"x\" }\n";
    let file = parse_file(FileId(0), text).expect("parses");
    let out = print::format_file(&file, text);
    assert!(out.contains("require ab_ok: a <= b {"), "{out}");
    assert!(out.contains("  severity warning\n"), "{out}");
    assert!(out.contains("require a <= b + 1 {"), "{out}");
    let again = print::format_file(&parse_file(FileId(0), &out).expect("parses again"), &out);
    assert_eq!(again, out, "formatting is stable");
    let canon = print::canonical(&[&file]);
    assert!(canon.contains("require ab_ok: a <= b"), "the fingerprint sees the rule: {canon}");
}

#[test]
fn diff_and_the_fingerprint_see_a_rule_change() {
    let old = check_text("a.tamga", RULES).methodology().map_err(|_| ()).expect("checks").0;
    let changed = RULES.replace("require services_ok: ren <= est {", "require services_ok: ren <= est + 1 {");
    let new = check_text("a.tamga", &changed).methodology().map_err(|_| ()).expect("checks").0;
    assert_ne!(old.fingerprint, new.fingerprint);
    let d = tamga::version::diff::diff("old", &old, "new", &new);
    let c: Vec<_> = d.changes.iter().filter(|c| c.entity == "rule").collect();
    assert_eq!(c.len(), 1, "{:?}", d.changes);
    assert_eq!((c[0].kind, c[0].id.as_str()), ("changed", "services_ok"));
    assert_eq!(c[0].fields[0].field, "condition");
    assert_eq!((c[0].fields[0].old.as_str(), c[0].fields[0].new.as_str()), ("ren <= est", "ren <= est + 1"));
    let text = tamga::version::diff::to_text(&d, Lang::En);
    assert!(text.contains("## Consistency rules"), "{text}");
}

// ───────────── the CLI: validate, the table's legend, explain (snapshots) ─────────────

/// Runs `tamga` and lays out its result as a transcript.
fn transcript(args: &[&str]) -> String {
    let out = tamga(args);
    format!(
        "args: {args:?}\nexit_code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        out.status.code().unwrap_or(!0),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

const CASE: &str = "tests/cases/consistency/methodology.tamga";
const BY: &str = "tests/cases/consistency/by.json";
const AM: &str = "tests/cases/consistency/am.json";

#[test]
fn validate_reports_each_violation_with_its_values() {
    insta::assert_snapshot!(transcript(&["--color", "never", "validate", CASE, BY, AM]));
}

#[test]
fn the_tables_legend_says_why_each_value_is_missing() {
    insta::assert_snapshot!(transcript(&["--color", "never", "eval", CASE, BY, AM]));
    insta::assert_snapshot!(transcript(&["--color", "never", "--lang", "ru", "eval", CASE, BY, AM]));
}

#[test]
fn explain_says_why_a_value_is_missing() {
    insta::assert_snapshot!(transcript(&["--color", "never", "explain", CASE, BY, AM, "SRV-1", "--unit", "BY"]));
    insta::assert_snapshot!(transcript(&[
        "--color", "never", "--lang", "ru", "explain", CASE, BY, AM, "payments", "--unit", "AM"
    ]));
}

#[test]
fn the_reports_data_quality_lists_violations_and_causes() {
    let dir = std::env::temp_dir().join(format!("tamga-hc-report-{}", std::process::id()));
    let out = dir.to_string_lossy().to_string();
    let r = tamga(&["--color", "never", "report", CASE, BY, AM, "--out", &out]);
    assert_eq!(r.status.code(), Some(1), "a violated error rule is an input error");
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    assert!(md.contains("### Answers that violate consistency rules (3)"), "{md}");
    assert!(md.contains("| 2023 | BY | Services rendered do not exceed the services established `services_ok`: `ren <= est` | ren = 25, est = 22 — error: these answers are not used"), "{md}");
    assert!(md.contains("| 2023 | AM | Payments within twice the assessments `paid <= assessed * 2` | paid = 30, assessed = 10 — warning"), "{md}");
    assert!(md.contains("| 2023 | AM | area “Payments” `payments` | not assessable: 1 of 2 parts missing (`p2`) because `gni` is confidential |"), "{md}");
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    assert!(html.contains("Answers that violate consistency rules (3)"));
    assert!(html.contains("because of a division by zero in"));
    std::fs::remove_dir_all(&dir).ok();
}

// ───────────── the bundled EAEU methodology: "rendered 25 > established 22" ─────────────

fn tamga(args: &[&str]) -> std::process::Output {
    Command::new(get_cargo_bin("tamga")).current_dir(env!("CARGO_MANIFEST_DIR")).args(args).output().expect("runs")
}

#[test]
fn eaeu_services_rendered_above_established_are_reported_and_srv_1_is_not_assessable() {
    let dir = std::env::temp_dir().join(format!("tamga-hc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/examples/eaeu/by-2023.json")).expect("example");
    assert!(text.contains("\"srv_t2_c3_rendered\": 22,"), "the example as it was");
    let bad = dir.join("by-2023.json");
    std::fs::write(&bad, text.replace("\"srv_t2_c3_rendered\": 22,", "\"srv_t2_c3_rendered\": 25,")).expect("write");
    let bad = bad.to_string_lossy().to_string();
    let v = tamga(&["--color", "never", "validate", "rules/eaeu", &bad]);
    let err = String::from_utf8_lossy(&v.stderr);
    assert_eq!(v.status.code(), Some(1), "validate fails: {err}");
    assert!(err.contains("tamga::data::require"), "{err}");
    assert!(err.contains("`srv_rendered_within_established`"), "{err}");
    assert!(err.contains("`srv_t2_c3_rendered` = 25, `srv_t2_c2_established` = 22"), "{err}");
    let e = tamga(&["--color", "never", "eval", "rules/eaeu", &bad, "--format", "json"]);
    assert_eq!(e.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&e.stdout).expect("json");
    let by = &doc["periods"][0]["results"][0];
    assert_eq!(by["unit"], "BY");
    let srv1 = &by["standards"]["SRV-1"];
    assert_eq!(srv1["verdict"], "not_assessable", "{srv1}");
    assert_eq!(srv1["missing"], "invalid");
    assert_eq!(srv1["cause"]["kind"], "rule");
    assert_eq!(srv1["cause"]["rule"], "srv_rendered_within_established");
    assert_eq!(by["rules"][0]["rule"], "srv_rendered_within_established");
    assert_eq!(by["rules"][0]["status"], "violated");
    assert_eq!(by["rules"][0]["answers"]["srv_t2_c3_rendered"]["value"], 25.0);
    std::fs::remove_dir_all(&dir).ok();
}
