//! The fuzz targets' bodies, shared by the cargo-fuzz binaries (`fuzz_targets/`) and by the
//! regression test in the main crate (`tests/fuzz_regressions.rs` includes this file), which runs
//! every input saved in `tests/cases/fuzz-regressions/<target>/` through the same function.
//!
//! Each function must return normally for any input: a panic, a stack overflow, an abort or a
//! hang is a finding. The assertions below are the properties each target checks beyond "does
//! not crash".

use tamga::data::{Answer, Dataset, Submission};
use tamga::diagnostics::{render, to_json, Diag, Style};
use tamga::model::{Model, QuestionType, Reason};
use tamga::source::{FileId, SourceMap};
use tamga::syntax::{parse_file, print};

const STYLE: Style = Style { color: false, width: 100 };

/// Renders diagnostics as the command line and `--format json` do (rendering must not panic
/// either: spans must lie inside their files).
fn show(diags: &[Diag], sources: &SourceMap) {
    let _ = render(diags, sources, STYLE);
    let _ = to_json(diags, sources);
}

/// A dataset of `units` units for one period, every question answered from `values` (cycled);
/// a value that is not finite makes the answer missing.
fn dataset(model: &Model, units: usize, values: &[f64]) -> Dataset {
    let mut k = 0;
    let mut next = || {
        let v = if values.is_empty() { 1.0 } else { values[k % values.len()] };
        k += 1;
        v
    };
    let submissions = (0..units)
        .map(|u| Submission {
            unit: format!("U{u}"),
            period: "2023".into(),
            name: Default::default(),
            groups: Default::default(),
            note: None,
            file: format!("u{u}.json"),
            sha256: String::new(),
            answers: model
                .questions
                .values()
                .map(|q| {
                    let v = next();
                    if !v.is_finite() {
                        return Some(Answer::Missing(Reason::NotSubmitted));
                    }
                    // as validation leaves answers: whole counts, in the question's range
                    let v = match &q.ty {
                        QuestionType::YesNo => (v != 0.0) as u8 as f64,
                        QuestionType::Choice(options) => (v.abs() as usize % options.len().max(1)) as f64,
                        QuestionType::Count => v.abs().floor(),
                        _ => v,
                    };
                    if q.range.contains(v) {
                        Some(Answer::Number(v))
                    } else {
                        Some(Answer::Missing(Reason::Invalid))
                    }
                })
                .collect(),
        })
        .collect();
    Dataset { submissions }
}

/// Every computed value is a finite number or a missing value with a reason (docs/results.md:
/// "NaN and infinity never appear").
fn assert_finite(outcome: &tamga::eval::Outcome) {
    for p in &outcome.periods {
        for (slot, column) in p.columns.iter().enumerate() {
            for (unit, v) in column.iter().enumerate() {
                if let Ok(x) = v {
                    assert!(x.is_finite(), "slot {slot}, unit {unit}: {x}");
                }
            }
        }
    }
}

/// Target `parse_check`: a rule file is parsed and checked; diagnostics are rendered; a
/// methodology that checks is evaluated over three units.
pub fn parse_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let checked = tamga::check::check_text("fuzz.tamga", text);
    show(&checked.diags, &checked.sources);
    if let Ok((meth, _)) = checked.methodology() {
        let values: Vec<f64> = data.iter().take(64).map(|&b| f64::from(b) - 64.0).collect();
        let outcome = tamga::eval::evaluate(&meth.model, &dataset(&meth.model, 3, &values));
        assert_finite(&outcome);
    }
}

/// Target `fmt_roundtrip`: parse → fmt → parse gives the same canonical form (the fingerprint),
/// and fmt is idempotent. A formatted text that cannot be parsed again because it is nested too
/// deeply is the one documented exception (`tamga fmt` then refuses to write it).
pub fn fmt_roundtrip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(ast) = parse_file(FileId(0), text) else { return };
    let once = print::format_file(&ast, text);
    let again = match parse_file(FileId(0), &once) {
        Ok(a) => a,
        Err(d) if d.iter().any(|d| d.message.contains("nest")) => return,
        Err(d) => panic!("fmt output does not parse: {}\n---\n{once}", d[0].message),
    };
    assert_eq!(print::canonical(&[&ast]), print::canonical(&[&again]), "fmt changed the meaning:\n{once}");
    let twice = print::format_file(&again, &once);
    assert_eq!(once, twice, "fmt is not idempotent");
}

/// The methodology the expressions of `eval_expr` are evaluated in.
pub const EVAL_RULES: &str = r#"methodology f { en "Fuzz" ru "Fuzz" version "1" }
question a : number { en "A" ru "A" }
question b : number { en "B" ru "B" }
question h : hours { en "H" ru "H" }
question n : count { en "N" ru "N" }
question p : percent { en "P" ru "P" }
question y : yesno { en "Y" ru "Y" }
question k : choice(x, z) { en "K" ru "K" option x en "X" ru "X" option z en "Z" ru "Z" }
group g { en "G" ru "G" question g1 : yesno { en "G1" ru "G1" } question g2 : yesno { en "G2" ru "G2" } }
area s {
  en "S" ru "S"
  indicator v = a { en "V" ru "V" score minmax }
  indicator w = b { en "W" ru "W" score goalposts(best: 0, worst: 100) }
}
standard T-1 { en "T" ru "T" requires v <= 10 level basic: v <= 20 level advanced: v <= 10 }
"#;

/// Target `eval_expr`: the first line is a formula, the rest gives the answers of three units
/// (8 bytes a number: any binary64; NaN and infinity stand for a missing answer). The formula is
/// checked as an indicator and a recommendation condition, evaluated, and explained; every value
/// is finite or missing, and the explanation agrees with the evaluation.
pub fn eval_expr(data: &[u8]) {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let Ok(expr) = std::str::from_utf8(&data[..split]) else { return };
    if expr.contains('{') || expr.contains('}') || expr.contains('#') {
        return; // the formula must stay one formula
    }
    let rest = data.get(split + 1..).unwrap_or(&[]);
    let values: Vec<f64> =
        rest.chunks(8).map(|c| f64::from_le_bytes(std::array::from_fn(|i| c.get(i).copied().unwrap_or(0)))).collect();
    let text = format!(
        "{EVAL_RULES}indicator e = {expr} {{ en \"E\" ru \"E\" }}\nrecommend r when e == e {{ en \"R\" ru \"R\" }}\n"
    );
    let checked = tamga::check::check_text("fuzz.tamga", &text);
    show(&checked.diags, &checked.sources);
    let Ok((meth, _)) = checked.methodology() else { return };
    let data = dataset(&meth.model, 3, &values);
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    assert_finite(&outcome);
    let lang = tamga::report::Lang::En;
    let target = tamga::explain::Target::resolve(&meth.model, "e").expect("e is declared");
    for unit in 0..3 {
        let e = tamga::explain::explain(
            &meth.model,
            &meth.sources,
            Some(&data),
            &outcome.periods[0],
            unit,
            &target,
            tamga::explain::Options { lang, max_depth: None },
        );
        assert_eq!(e.mismatches, 0, "the explanation disagrees with the evaluation of {expr}");
        let _ = tamga::explain::text::render(&e, "fuzz", lang);
    }
}

/// The methodology submissions are loaded for in `load_submission`.
pub const LOAD_RULES: &str = r#"methodology l { en "Load" ru "Load" version "1" languages en, ru }
question q_num : number in 0..=100 { en "Num" ru "Num" }
question q_cnt : count { en "Cnt" ru "Cnt" }
question q_hrs : hours optional { en "Hrs" ru "Hrs" }
question q_pct : percent { en "Pct" ru "Pct" }
question q_yes : yesno { en "Yes" ru "Yes" }
question q_opt : choice(council, other) { en "Opt" ru "Opt" option council en "C" ru "C" option other en "O" ru "O" }
area a {
  en "A" ru "A"
  indicator i = q_num { en "I" ru "I" score minmax }
}
"#;

/// Target `load_submission`: the first byte chooses the format (JSON, TOML, CSV, Excel), the rest
/// is the file. Loading must report problems as diagnostics; every answer loaded is finite.
pub fn load_submission(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else { return };
    let name = ["s.json", "s.toml", "s.csv", "s.xlsx"][usize::from(which % 4)];
    let checked = tamga::check::check_text("load.tamga", LOAD_RULES);
    let Ok((meth, _)) = checked.methodology() else { panic!("the fuzz methodology checks") };
    let mut sources = meth.sources.clone();
    let (subs, diags) = tamga::data::load_bytes(&meth.model, name, bytes, &mut sources);
    show(&diags, &sources);
    for s in &subs {
        assert_eq!(s.answers.len(), meth.model.questions.len());
        for a in s.answers.iter().flatten() {
            if let Answer::Number(x) = a {
                assert!(x.is_finite(), "{name}: answer {x}");
            }
        }
    }
    if !subs.is_empty() {
        let outcome = tamga::eval::evaluate(&meth.model, &Dataset { submissions: subs });
        assert_finite(&outcome);
    }
}
