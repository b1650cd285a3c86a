//! Omission never pays (issue #13, item 6): over the bundled methodologies and their sample
//! submissions, removing any set of one submission's answers never raises any score of that unit.
//!
//! The property, precisely. Take a period's submissions, one unit U and a set S of U's answers.
//! Evaluate the period as submitted and again with the answers in S removed (not submitted),
//! every other unit's answers unchanged. Then for U, every indicator score, area, the index, every
//! standard's attainment, every chapter and the Code score is, after the removal, either missing
//! or not above its value before (1e-9 of slack for the order of floating-point sums); a value
//! missing before may not become present. A value becoming missing is not a raise: it is not
//! published as a number.
//!
//! Cross-unit normalisations (min-max, percentile, rank, z-score…) compare U with the others.
//! The property says nothing about the *other* units: when U's value drops out of a column, the
//! minimum, the mean or the ranks of the others move, and some of them may gain (a state is
//! not judged on its own answers alone). It does hold for U itself, because every normalisation is
//! non-decreasing in U's own value with the others fixed (min-max, ranks, percentiles and
//! z-scores are; the mean and sd that include U's value move less than U's value does), and a
//! value U loses counts as the bottom of the scale under the bundled policies.
//!
//! Size, per run (printed with `--nocapture`; the lower bounds are asserted): 4 methodologies
//! (eaeu, eaeu-2025, wco-pmm-pilot, demo) × 10 sample submissions each (5 states × 2 periods) ×
//! the subsets of each submission's answers: every single answer, every whole group, all the `no`
//! answers of each group, and 40 random subsets (each answer removed with probability 1/2 or
//! 1/8): 1,851 + 1,851 + 764 + 457 = 4,923 evaluations of a whole period, about 5 s in debug.
//! `cargo test` runs it.

use std::path::{Path, PathBuf};
use tamga::data::{Answer, Dataset};
use tamga::eval::evaluate;
use tamga::model::{Model, Slot, SlotKind, Val};

/// Random subsets per submission.
const RANDOM: usize = 40;

/// A deterministic xorshift generator: the same subsets on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// The slots whose values are scores of a unit: indicator scores, areas and the index,
/// attainments, chapters and the Code.
fn scored(model: &Model) -> Vec<(Slot, String)> {
    model
        .slots
        .iter()
        .enumerate()
        .filter_map(|(k, kind)| {
            let name = match kind {
                SlotKind::Score(id) => format!("score({id})"),
                SlotKind::Area(id) => format!("area {id}"),
                SlotKind::Attainment(code) => format!("attainment({code})"),
                SlotKind::Chapter(code) => format!("chapter {code}"),
                SlotKind::Code => "the Code".into(),
                _ => return None,
            };
            Some((Slot(k as u32), name))
        })
        .collect()
}

fn load(rules: &str, data: &str) -> (Model, Dataset) {
    let checked = tamga::check::check(Path::new(rules));
    let Ok((meth, _)) = checked.methodology() else { panic!("{rules} does not check") };
    let mut sources = meth.sources.clone();
    let (dataset, diags) = tamga::data::load(&meth.model, &[PathBuf::from(data)], &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "{data} does not load");
    (meth.model, dataset)
}

/// Evaluates one period's submissions and returns, per slot of `slots`, the value of `unit`.
fn values(model: &Model, data: &Dataset, unit: &str, slots: &[(Slot, String)]) -> Vec<Val> {
    let outcome = evaluate(model, data);
    let p = &outcome.periods[0];
    let u = p.unit_index(unit).expect("the unit is evaluated");
    slots.iter().map(|(s, _)| p.get(*s, u)).collect()
}

/// The first score of `unit` raised by removing `removed`, if any.
fn raised(before: &[Val], after: &[Val], slots: &[(Slot, String)]) -> Option<String> {
    for ((b, a), (_, name)) in before.iter().zip(after).zip(slots) {
        match (b, a) {
            (_, Err(_)) => {}
            (Err(m), Ok(x)) => return Some(format!("{name}: missing ({}) became {x}", m.reason.as_str())),
            (Ok(x), Ok(y)) if *y > *x + 1e-9 => return Some(format!("{name}: {x} became {y}")),
            _ => {}
        }
    }
    None
}

/// Every subset tried for one submission: the questions (indices) to remove.
fn subsets(model: &Model, answered: &[usize], yes_no_false: &[usize], rng: &mut Rng) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = answered.iter().map(|q| vec![*q]).collect();
    for g in model.groups.values() {
        let members: Vec<usize> =
            g.questions.iter().filter_map(|id| model.questions.get_index_of(id.as_str())).collect();
        out.push(members.iter().copied().filter(|q| answered.contains(q)).collect());
        out.push(members.iter().copied().filter(|q| yes_no_false.contains(q)).collect());
    }
    for k in 0..RANDOM {
        let one_in = if k % 2 == 0 { 2 } else { 8 };
        out.push(answered.iter().copied().filter(|_| rng.next().is_multiple_of(one_in)).collect());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Runs the property over one methodology and its sample data; returns (submissions, subsets).
fn omission_never_pays(rules: &str, data: &str) -> (usize, usize) {
    let (model, dataset) = load(rules, data);
    property(rules, &model, &dataset)
}

/// The property over a dataset already loaded.
fn property(rules: &str, model: &Model, dataset: &Dataset) -> (usize, usize) {
    let (model, dataset) = (model.clone(), dataset.clone());
    let slots = scored(&model);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut submissions, mut tried) = (0, 0);
    let mut failures = vec![];
    for i in 0..dataset.submissions.len() {
        let period = dataset.submissions[i].period.clone();
        let unit = dataset.submissions[i].unit.clone();
        // the period alone: the bundled methodologies do not carry values across periods
        let mut one =
            Dataset { submissions: dataset.submissions.iter().filter(|s| s.period == period).cloned().collect() };
        let me = one.submissions.iter().position(|s| s.unit == unit).expect("the submission");
        let before = values(&model, &one, &unit, &slots);
        let answers = one.submissions[me].answers.clone();
        let answered: Vec<usize> = (0..answers.len()).filter(|q| answers.get(*q).is_some()).collect();
        let no: Vec<usize> = answered
            .iter()
            .copied()
            .filter(|q| {
                matches!(answers.get(*q), Some(Answer::Number(x)) if x == 0.0)
                    && matches!(model.questions[*q].ty, tamga::model::QuestionType::YesNo)
            })
            .collect();
        submissions += 1;
        for removed in subsets(&model, &answered, &no, &mut rng) {
            tried += 1;
            for q in &removed {
                one.submissions[me].answers.set(*q, None);
            }
            let after = values(&model, &one, &unit, &slots);
            if let Some(what) = raised(&before, &after, &slots) {
                let ids: Vec<&str> = removed.iter().map(|q| model.questions[*q].id.as_str()).collect();
                failures.push(format!("{rules} {unit} {period}: removing {} raised {what}", ids.join(", ")));
            }
            one.submissions[me].answers = answers.clone();
        }
    }
    assert!(failures.is_empty(), "{} omissions raised a score:\n{}", failures.len(), failures.join("\n"));
    (submissions, tried)
}

#[test]
fn omission_never_raises_a_score_eaeu() {
    let (n, k) = omission_never_pays("rules/eaeu", "examples/eaeu");
    println!("eaeu: {n} submissions, {k} subsets");
    assert_eq!(n, 10);
    assert!(k >= 1800, "{k} subsets");
}

#[test]
fn omission_never_raises_a_score_eaeu_2025() {
    let (n, k) = omission_never_pays("rules/eaeu-2025", "examples/eaeu");
    println!("eaeu-2025: {n} submissions, {k} subsets");
    assert_eq!(n, 10);
    assert!(k >= 1800, "{k} subsets");
}

#[test]
fn omission_never_raises_a_score_wco_pmm_pilot() {
    let (n, k) = omission_never_pays("rules/wco-pmm-pilot", "examples/wco-pmm-pilot");
    println!("wco-pmm-pilot: {n} submissions, {k} subsets");
    assert_eq!(n, 10);
    assert!(k >= 700, "{k} subsets");
}

#[test]
fn omission_never_raises_a_score_demo() {
    let (n, k) = omission_never_pays("rules/demo", "examples/demo");
    println!("demo: {n} submissions, {k} subsets");
    assert_eq!(n, 10);
    assert!(k >= 400, "{k} subsets");
}

/// The case of issue #13: Kyrgyzstan 2022 leaves every `no` of the automation and digitalisation
/// lists blank. Before, automation rose from 33.3 to 100, digitalisation from 17.0 to 100 and the
/// index from 31.9 to 56.8; now nothing moves, because a blank element counts as not in place.
/// The sample submissions made to contradict every consistency rule of the EAEU methodology:
/// the repeated transit element answered both ways, more services rendered than established.
/// Both answers of a violated `error` rule are invalid; the property then also covers leaving
/// one of them out (the other cannot be verified and stays unused).
#[test]
fn omission_never_raises_a_score_eaeu_with_contradicting_answers() {
    let (model, mut dataset) = load("rules/eaeu", "examples/eaeu");
    let q = |id: &str| model.questions.get_index_of(id).expect("question");
    for s in &mut dataset.submissions {
        s.answers.set(q("auto_02a_electronic_transit_declarations"), Some(Answer::Number(1.0)));
        s.answers.set(q("auto_14_electronic_transit_declarations"), Some(Answer::Number(0.0)));
        let established = match s.answers.get(q("srv_t2_c2_established")) {
            Some(Answer::Number(x)) => x,
            _ => 20.0,
        };
        s.answers.set(q("srv_t2_c3_rendered"), Some(Answer::Number(established + 3.0)));
    }
    let (n, k) = property("rules/eaeu (contradicting)", &model, &dataset);
    eprintln!("rules/eaeu with contradicting answers: {n} submissions, {k} subsets");
    assert!(n >= 10 && k >= 1000);
}

#[test]
fn kyrgyzstan_2022_gains_nothing_by_blanking_its_no_answers() {
    let (model, dataset) = load("rules/eaeu", "examples/eaeu");
    let mut one = Dataset { submissions: dataset.submissions.into_iter().filter(|s| s.period == "2022").collect() };
    let slots: Vec<(Slot, String)> = ["eaeu_index", "automation", "digitalisation"]
        .iter()
        .map(|id| (model.areas[*id].slot, id.to_string()))
        .collect();
    let shown = |vals: Vec<Val>| -> Vec<String> {
        vals.iter()
            .map(|v| {
                v.map(|x| tamga::number::fixed(x, 1, tamga::number::Rounding::HalfAwayFromZero)).unwrap_or_default()
            })
            .collect()
    };
    let before = shown(values(&model, &one, "KG", &slots));
    assert_eq!(before, ["31.9", "33.3", "17.0"]);
    let kg = one.submissions.iter().position(|s| s.unit == "KG").expect("KG");
    let mut blanked = 0;
    for (q, question) in model.questions.values().enumerate() {
        let listed = question.id.starts_with("auto_") || question.id.starts_with("dig_");
        if listed && matches!(one.submissions[kg].answers.get(q), Some(Answer::Number(x)) if x == 0.0) {
            one.submissions[kg].answers.set(q, None);
            blanked += 1;
        }
    }
    assert!(blanked > 40, "{blanked} answers blanked");
    assert_eq!(shown(values(&model, &one, "KG", &slots)), before);
}
