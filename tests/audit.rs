//! `tamga audit`: the statistical audit of a methodology's results (docs/composite.md).
//!
//! - The statistics on small tables computed by hand: Pearson's r, Spearman's ρ with ties,
//!   Cronbach's alpha (pairwise and complete cases), the p-value of r.
//! - A small methodology evaluated end to end: the flags (negative correlation with the area,
//!   near collinearity), figures that cannot be computed, data availability with reasons; its
//!   JSON snapshotted.
//! - COINr's ASEM example (`examples/asem`, which tamga evaluates as COINr does): the numbers
//!   COINr's documentation prints (`vignettes/analysis`: `get_corr`, `get_corr_flags`,
//!   `get_cronbach`, `get_data_avail`), and every correlation of the audit against a naive
//!   computation.
//! - The text of the EAEU methodology on its sample submissions for 2023 (en, ru), snapshotted.
//! - The command line: exit codes, `--period`, `--format json`, `tamga report --audit`.

use insta_cmd::get_cargo_bin;
use std::path::{Path, PathBuf};
use std::process::Command;
use tamga::audit::{self, stats, Flag, NotComputable};
use tamga::check::Methodology;
use tamga::diagnostics::{render, Style};
use tamga::eval::Outcome;
use tamga::report::Lang;

const STYLE: Style = Style { color: false, width: 100 };

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

// ───────────── the statistics, by hand ─────────────

#[test]
fn pearson_of_a_small_table() {
    // x̄ = ȳ = 3; Σdxdy = 2 + 2 + 0 + 0 + 4 = 8; Σdx² = Σdy² = 10: r = 0.8
    let r = stats::pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0]).expect("r");
    assert_eq!(r, 0.8);
    // a perfect decreasing line
    assert_eq!(stats::pearson(&[1.0, 2.0, 3.0], &[9.0, 6.0, 3.0]), Ok(-1.0));
    // R: cor.test(1:5, c(2, 1, 4, 3, 5))$p.value = 0.1040880; with df = 3 the two-sided p is
    // 1 − (2/π)(atan(t/√3) + (t/√3)/(1 + t²/3)) for t = 0.8·√3/0.6
    let t = 0.8 * 3f64.sqrt() / 0.6;
    let u = t / 3f64.sqrt();
    let want = 1.0 - 2.0 / std::f64::consts::PI * (u.atan() + u / (1.0 + u * u));
    let p = stats::pearson_p_value(r, 5).expect("p");
    assert!(close(p, want, 1e-13), "{p} vs {want}");
    assert!(close(p, 0.1040880, 5e-8));
}

#[test]
fn spearman_with_ties_takes_average_ranks() {
    // ranks of x (1, 2, 2, 3): 1, 2.5, 2.5, 4; of y (1, 3, 2, 4): 1, 3, 2, 4.
    // Around the mean 2.5: dx = (−1.5, 0, 0, 1.5), dy = (−1.5, 0.5, −0.5, 1.5):
    // Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5: ρ = 4.5/√22.5 = 3/√10
    let rho = stats::spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]).expect("ρ");
    assert!(close(rho, 3.0 / 10f64.sqrt(), 1e-15), "{rho}");
    // ρ sees only the order: any increasing transformation gives 1
    assert_eq!(stats::spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 10.0, 100.0, 1000.0]), Ok(1.0));
    // three-way tie
    assert_eq!(stats::average_ranks(&[5.0, 1.0, 5.0, 5.0]), [3.0, 1.0, 3.0, 3.0]);
}

#[test]
fn cronbach_alpha_of_a_small_table() {
    // a = 1 2 3 4, b = 2a, c = 1 1 2 2: var 5/3, 20/3, 1/3; cov(a,b) = 10/3, cov(a,c) = 2/3,
    // cov(b,c) = 4/3. Σ = 26/3 + 2·16/3 = 58/3 (the variance of a + b + c = 4 7 11 14), tr = 26/3:
    // α = 3/2 · (1 − 26/58) = 24/29
    let col = |v: &[f64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
    let cols = vec![col(&[1.0, 2.0, 3.0, 4.0]), col(&[2.0, 4.0, 6.0, 8.0]), col(&[1.0, 1.0, 2.0, 2.0])];
    let a = stats::cronbach_pairwise(&cols).expect("α");
    assert!(close(a.alpha, 24.0 / 29.0, 1e-15), "{}", a.alpha);
    assert_eq!(stats::cronbach_complete(&cols).map(|a| a.alpha).ok(), Some(a.alpha));
    // a fifth unit without c: pairwise covariances of a and b use it, complete cases do not
    let mut gappy = cols.clone();
    gappy[0].push(Some(5.0));
    gappy[1].push(Some(3.0));
    gappy[2].push(None);
    let pw = stats::cronbach_pairwise(&gappy).expect("α");
    let cc = stats::cronbach_complete(&gappy).expect("α");
    assert!(close(cc.alpha, 24.0 / 29.0, 1e-15), "complete cases are the first four units");
    // by hand: over 5 units a = 1..5 (var 2.5), b = 2 4 6 8 3 (mean 4.6, var 5.8, cov(a,b) = 1.5);
    // c, and its covariances, over the first four as before
    let sigall = 2.5 + 5.8 + 1.0 / 3.0 + 2.0 * (1.5 + 2.0 / 3.0 + 4.0 / 3.0);
    let diag = 2.5 + 5.8 + 1.0 / 3.0;
    let want = 9.0 * ((sigall - diag) / 6.0) / sigall;
    assert!(close(pw.alpha, want, 1e-14), "{} vs {want}", pw.alpha);
    // one column, or every column constant: not computable
    assert_eq!(stats::cronbach_pairwise(&cols[..1]).map_err(|w| w.why), Err(stats::Why::TooFewColumns { columns: 1 }));
    let flat = vec![col(&[1.0, 1.0, 1.0]), col(&[2.0, 2.0, 2.0])];
    assert_eq!(stats::cronbach_pairwise(&flat).map_err(|w| w.why), Err(stats::Why::ZeroTotalVariance));
}

#[test]
fn too_few_pairs_or_no_spread_is_not_computable() {
    let c = audit::correlate(&[Some(1.0), Some(2.0), None], &[Some(3.0), Some(1.0), Some(2.0)]);
    assert_eq!(c.n, 2);
    assert_eq!(c.pearson.value, None);
    assert_eq!(c.pearson.not_computable, Some(NotComputable::TooFewPairs { pairs: 2 }));
    assert_eq!(c.spearman.not_computable, Some(NotComputable::TooFewPairs { pairs: 2 }));
    assert_eq!(c.p_value, None);
    let c = audit::correlate(&[Some(1.0), Some(2.0), Some(3.0)], &[Some(7.0), Some(7.0), Some(7.0)]);
    assert_eq!(c.pearson.not_computable, Some(NotComputable::NoVariance { first: false, second: true }));
    assert_eq!(c.spearman.not_computable, Some(NotComputable::NoVariance { first: false, second: true }));
}

// ───────────── a small methodology, end to end ─────────────

const RULES: &str = r#"
methodology t { en "Audit test" ru "Тест аудита" version "1" score_precision 1 }
question q1 : number in 0..=100 { en "Q1" ru "В1" }
question q2 : number in 0..=100 { en "Q2" ru "В2" }
question q3 : number in 0..=100 { en "Q3" ru "В3" }
question q4 : number in 0..=100 { en "Q4" ru "В4" }
question q5 : number in 0..=100 { en "Q5" ru "В5" }
area a {
  en "Area A" ru "Направление А"
  indicator i1 = q1 { en "First" ru "Первый" score value }
  indicator i2 = q2 { en "Second" ru "Второй" score value }
  indicator i3 = q3 { en "Third" ru "Третий" score value }
}
area b {
  en "Area B" ru "Направление Б"
  indicator i4 = q4 { en "Fourth" ru "Четвёртый" score value }
  indicator i5 = q5 { en "Fifth" ru "Пятый" score value }
}
"#;

/// `(unit, [q1 … q5])`; `None` is an answer declared confidential.
type Row = (&'static str, [Option<f64>; 5]);

/// i1 rises, i2 follows it closely (collinear), i3 falls a little (negatively correlated with
/// the area); i4 is the same everywhere; i5 is missing for two states.
const TABLE: [Row; 5] = [
    ("AM", [Some(10.0), Some(12.0), Some(30.0), Some(50.0), Some(10.0)]),
    ("BY", [Some(20.0), Some(19.0), Some(22.0), Some(50.0), None]),
    ("KG", [Some(30.0), Some(33.0), Some(28.0), Some(50.0), Some(30.0)]),
    ("KZ", [Some(40.0), Some(41.0), Some(20.0), Some(50.0), None]),
    ("RU", [Some(50.0), Some(48.0), Some(25.0), Some(50.0), Some(20.0)]),
];

fn small(rows: &[Row]) -> (tamga::model::Model, Outcome) {
    let model = tamga::check::check_text("t.tamga", RULES).model.expect("the rules check");
    let mut sources = tamga::source::SourceMap::new();
    let mut submissions = vec![];
    for (unit, qs) in rows {
        let answers: Vec<String> = qs
            .iter()
            .enumerate()
            .map(|(k, q)| match q {
                Some(x) => format!(r#""q{}": {x}"#, k + 1),
                None => format!(r#""q{}": {{"missing": "confidential"}}"#, k + 1),
            })
            .collect();
        let text = format!(r#"{{"unit": "{unit}", "period": "2023", "answers": {{{}}}}}"#, answers.join(", "));
        let (sub, diags) = tamga::data::load_text(&model, &format!("{unit}.json"), &text, &mut sources);
        submissions.push(sub.unwrap_or_else(|| panic!("{}", render(&diags, &sources, STYLE))));
    }
    let outcome = tamga::eval::evaluate(&model, &tamga::data::Dataset { submissions });
    (model, outcome)
}

/// Pearson's r the naive way: two passes in plain floating point.
fn naive_r(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = pairs.iter().map(|p| (p.1 - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

fn column(p: &tamga::eval::PeriodOutcome, slot: tamga::model::Slot) -> Vec<Option<f64>> {
    (0..p.units.len()).map(|u| p.get(slot, u).ok()).collect()
}

fn pairs_of(x: &[Option<f64>], y: &[Option<f64>]) -> Vec<(f64, f64)> {
    x.iter().zip(y).filter_map(|(a, b)| Some(((*a)?, (*b)?))).collect()
}

#[test]
fn flags_negative_correlations_and_collinear_pairs() {
    let (model, outcome) = small(&TABLE);
    let a = audit::audit(&model, &outcome);
    assert_eq!(a.periods.len(), 1);
    let p = &a.periods[0];
    let ids: Vec<&str> = p.areas.iter().map(|x| x.area.as_str()).collect();
    assert_eq!(ids, [model.index.as_str(), "a", "b"], "the index first, then the areas in order");
    let area_a = &p.areas[1];
    // the area's score is the mean of its three indicators
    let po = &outcome.periods[0];
    let own = column(po, model.areas["a"].slot);
    for (w, id) in area_a.with_area.iter().zip(["i1", "i2", "i3"]) {
        let x = column(po, model.indicators[id].score_slot);
        let want = naive_r(&pairs_of(&x, &own));
        assert!(close(w.correlation.pearson.value.expect("r"), want, 1e-12), "{id}");
        assert_eq!(w.correlation.n, 5);
    }
    let r12 = naive_r(&pairs_of(
        &column(po, model.indicators["i1"].score_slot),
        &column(po, model.indicators["i2"].score_slot),
    ));
    assert!(r12 > 0.92, "the table makes i1 and i2 collinear: {r12}");
    let negative: Vec<&Flag> = area_a.flags.iter().filter(|f| matches!(f, Flag::Negative { .. })).collect();
    assert!(
        matches!(negative.as_slice(), [Flag::Negative { child, pearson, n: 5 }] if child == "i3" && *pearson < 0.0)
    );
    let collinear: Vec<(&str, &str)> = area_a
        .flags
        .iter()
        .filter_map(|f| match f {
            Flag::Collinear { a, b, .. } => Some((a.as_str(), b.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(collinear, [("i1", "i2")]);
    // every pair whose |r| is at most 0.92 is not flagged, whatever its sign
    for pair in &area_a.pairs {
        let r = pair.correlation.pearson.value.expect("r");
        assert_eq!(r.abs() > 0.92, collinear.contains(&(pair.a.as_str(), pair.b.as_str())));
    }
    // alpha of the three children, over the five states
    let cols: Vec<Vec<Option<f64>>> =
        ["i1", "i2", "i3"].iter().map(|id| column(po, model.indicators[*id].score_slot)).collect();
    assert_eq!(area_a.alpha.pairwise.value, stats::cronbach_pairwise(&cols).ok().map(|a| a.alpha));
    assert_eq!(area_a.alpha.complete_cases, 5);
}

#[test]
fn what_cannot_be_computed_says_why() {
    let (model, outcome) = small(&TABLE);
    let a = audit::audit(&model, &outcome);
    let b = &a.periods[0].areas[2];
    assert_eq!(b.area, "b");
    // i4 is 50 everywhere
    let i4 = &b.with_area[0].correlation;
    assert_eq!(i4.pearson.value, None);
    assert_eq!(i4.pearson.not_computable, Some(NotComputable::NoVariance { first: true, second: false }));
    // i5 is present for three states: enough pairs, with its area
    let i5 = &b.with_area[1].correlation;
    assert_eq!(i5.n, 3);
    assert!(i5.pearson.value.is_some());
    // i4 × i5: no variance in i4
    assert_eq!(
        b.pairs[0].correlation.pearson.not_computable,
        Some(NotComputable::NoVariance { first: true, second: false })
    );
    // alpha over the 3 complete cases and pairwise agree here (i4 contributes nothing)
    assert_eq!(b.alpha.complete_cases, 3);
    // two states only: nothing is computable
    let (model, outcome) = small(&TABLE[..2]);
    let a = audit::audit(&model, &outcome);
    let x = &a.periods[0].areas[1];
    assert!(x
        .with_area
        .iter()
        .all(|w| w.correlation.pearson.not_computable == Some(NotComputable::TooFewPairs { pairs: 2 })));
    assert_eq!(x.alpha.pairwise.not_computable, Some(NotComputable::TooFewPairs { pairs: 2 }));
    assert!(x.flags.is_empty());
    // no NaN anywhere in the JSON
    let json = audit::to_json(&a);
    assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
}

#[test]
fn availability_counts_values_before_imputation_with_reasons() {
    let (model, outcome) = small(&TABLE);
    let a = audit::audit(&model, &outcome);
    let av = &a.periods[0].availability;
    assert_eq!(av.indicators, ["i1", "i2", "i3", "i4", "i5"]);
    let by = &av.units[1];
    assert_eq!(by.unit, "BY");
    assert_eq!((by.overall.present, by.overall.total, by.overall.share), (4, 5, Some(0.8)));
    assert_eq!(by.areas["a"].share, Some(1.0));
    assert_eq!((by.areas["b"].present, by.areas["b"].total, by.areas["b"].share), (1, 2, Some(0.5)));
    let am = &av.units[0];
    assert_eq!(am.overall.share, Some(1.0));
    let i5 = av.by_indicator.iter().find(|i| i.indicator == "i5").expect("i5");
    assert_eq!((i5.overall.present, i5.overall.total, i5.overall.share), (3, 5, Some(0.6)));
    let missing: Vec<(&str, &str, &str)> =
        av.missing.iter().map(|m| (m.unit.as_str(), m.indicator.as_str(), m.reason.as_str())).collect();
    assert_eq!(missing, [("BY", "i5", "confidential"), ("KZ", "i5", "confidential")]);
    assert!(av.screened_out.is_empty());
}

#[test]
fn json_of_a_small_case() {
    let (model, outcome) = small(&TABLE);
    insta::assert_snapshot!(audit::to_json(&audit::audit(&model, &outcome)));
}

#[test]
fn text_of_a_small_case_in_russian() {
    let (model, outcome) = small(&TABLE);
    let a = audit::audit(&model, &outcome);
    insta::assert_snapshot!(audit::text::render(&audit::view::build(&model, &a, Lang::Ru)));
}

// ───────────── COINr's ASEM example ─────────────

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn evaluate(meth: &str, inputs: &[&str]) -> (Methodology, Outcome) {
    let (m, _) =
        tamga::check::check(&path(meth)).methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
    let mut sources = m.sources.clone();
    let files: Vec<PathBuf> = inputs.iter().map(|f| path(f)).collect();
    let (data, diags) = tamga::data::load(&m.model, &files, &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, STYLE));
    let outcome = tamga::eval::evaluate(&m.model, &data);
    (m, outcome)
}

fn asem() -> (Methodology, Outcome) {
    evaluate("examples/asem", &["examples/asem/asem.csv"])
}

/// A raw column of ASEM's iData: the question of that name.
fn raw(m: &Methodology, p: &tamga::eval::PeriodOutcome, id: &str) -> Vec<Option<f64>> {
    column(p, m.model.questions[id].slot)
}

/// COINr's analysis vignette: `get_cronbach(coin, dset = "Raw", iCodes = "P2P", Level = 1)`
/// prints 0.05126659. Three P2P indicators have missing values, so the pairwise covariances
/// (COINr's default) and complete cases differ: only the pairwise value is COINr's.
#[test]
fn cronbach_alpha_of_asem_p2p_is_coinrs() {
    let (m, out) = asem();
    let p = &out.periods[0];
    let ids = ["StMob", "Research", "Pat", "CultServ", "CultGood", "Tourist", "MigStock", "Lang"];
    let cols: Vec<Vec<Option<f64>>> = ids.iter().map(|id| raw(&m, p, id)).collect();
    let a = stats::cronbach_pairwise(&cols).expect("α").alpha;
    assert!(close(a, 0.05126659, 5e-9), "{a}");
    let c = stats::cronbach_complete(&cols).expect("α");
    assert_eq!(c.min_pairs, 42, "42 countries have every P2P value");
    assert!((c.alpha - a).abs() > 1e-3, "complete cases give another alpha: {}", c.alpha);
}

/// COINr's analysis vignette: `get_corr(coin, dset = "Raw", iCodes = list("Environ"), Levels = 1)`
/// prints the Pearson correlations of the Environ indicators (pairwise complete), with those whose
/// p-value exceeds 0.05 replaced by NA (`pval = 0.05`, COINr's default; tamga reports every
/// correlation with its p-value instead).
#[test]
fn raw_environ_correlations_are_coinrs() {
    let (m, out) = asem();
    let p = &out.periods[0];
    let corr = |a: &str, b: &str| audit::correlate(&raw(&m, p, a), &raw(&m, p, b));
    // printed at 7 decimals (long form)
    for (a, b, want) in [("MatCon", "CO2", 0.7222051), ("PrimEner", "CO2", 0.3268484), ("Renew", "CO2", -0.5986338)] {
        let c = corr(a, b);
        let r = c.pearson.value.expect("r");
        assert!(close(r, want, 5e-8), "{a} × {b}: {r} vs COINr {want}");
        assert!(c.p_value.expect("p") < 0.05, "{a} × {b} is shown by COINr, so p < 0.05");
    }
    // printed at 2 decimals (wide form)
    for (a, b, want) in [("MatCon", "PrimEner", 0.38), ("MatCon", "Renew", -0.42), ("Forest", "Renew", 0.35)] {
        let c = corr(a, b);
        let r = c.pearson.value.expect("r");
        assert!(close(r, want, 0.005), "{a} × {b}: {r} vs COINr {want}");
        assert!(c.p_value.expect("p") < 0.05, "{a} × {b} is shown by COINr, so p < 0.05");
    }
    // NA in COINr's output: p > 0.05
    for (a, b) in [("Forest", "CO2"), ("Forest", "MatCon"), ("Forest", "PrimEner"), ("PrimEner", "Renew")] {
        let c = corr(a, b);
        assert!(c.p_value.expect("p") > 0.05, "{a} × {b} is NA in COINr's output: p = {:?}", c.p_value);
    }
    // PrimEner has one missing value: 50 pairs
    assert_eq!(corr("PrimEner", "Renew").n, 50);
}

/// COINr's analysis vignette: `get_corr_flags(coin, dset = "Normalised", cor_thresh = 0.75,
/// thresh_type = "high", grouplev = 2)` finds exactly CPI–FreePress 0.761 and CPI–NGOs 0.768
/// (Social), and with `cor_thresh = -0.5, thresh_type = "low"` exactly CostImpEx–TBTs −0.697,
/// RTAs–TBTs −0.752 and TBTs–TIRcon −0.623 (Instit). The normalised data set is what tamga
/// scores, so these are the audit's pairs within the pillars.
#[test]
fn correlations_within_asem_pillars_are_coinrs() {
    let (m, out) = asem();
    let a = audit::audit(&m.model, &out);
    let p = &a.periods[0];
    let pillars: Vec<&audit::AreaAudit> = p.areas.iter().filter(|x| x.depth == 2).collect();
    assert_eq!(pillars.len(), 8);
    let pick = |keep: &dyn Fn(f64) -> bool| {
        let mut found: Vec<(String, String, String, f64)> = vec![];
        for x in &pillars {
            for pair in &x.pairs {
                let r = pair.correlation.pearson.value.expect("r");
                if keep(r) {
                    let mut ab = [pair.a.clone(), pair.b.clone()];
                    ab.sort();
                    let [a, b] = ab;
                    found.push((x.area.clone(), a, b, (r * 1000.0).round() / 1000.0));
                }
            }
        }
        found.sort_by(|x, y| x.partial_cmp(y).expect("ordered"));
        found
    };
    let s = |a: &str, b: &str, c: &str, r: f64| (a.to_string(), b.to_string(), c.to_string(), r);
    assert_eq!(pick(&|r| r > 0.75), [s("social", "cpi", "freepress", 0.761), s("social", "cpi", "ngos", 0.768)]);
    assert_eq!(
        pick(&|r| r < -0.5),
        [
            s("instit", "costimpex", "tbts", -0.697),
            s("instit", "rtas", "tbts", -0.752),
            s("instit", "tbts", "tircon", -0.623)
        ]
    );
    // TBTs pulls against its pillar: the one negative flag of the example
    let flags: Vec<&Flag> = p.areas.iter().flat_map(|x| &x.flags).collect();
    assert!(matches!(flags.as_slice(), [Flag::Negative { child, .. }] if child == "tbts"), "{flags:?}");
}

/// Every correlation of the audit of ASEM (every node, every pair, every child with its node)
/// against a naive two-pass computation on the score columns.
#[test]
fn asem_correlations_agree_with_a_naive_computation() {
    let (m, out) = asem();
    let a = audit::audit(&m.model, &out);
    let po = &out.periods[0];
    let slot = |id: &str| match m.model.indicators.get(id) {
        Some(i) => i.score_slot,
        None => m.model.areas[id].slot,
    };
    let mut checked = 0;
    for x in &a.periods[0].areas {
        let own = column(po, m.model.areas[&x.area].slot);
        for w in &x.with_area {
            let want = naive_r(&pairs_of(&column(po, slot(&w.child)), &own));
            assert!(close(w.correlation.pearson.value.expect("r"), want, 1e-12), "{} × {}", w.child, x.area);
            checked += 1;
        }
        for pair in &x.pairs {
            let want = naive_r(&pairs_of(&column(po, slot(&pair.a)), &column(po, slot(&pair.b))));
            assert!(close(pair.correlation.pearson.value.expect("r"), want, 1e-12), "{} × {}", pair.a, pair.b);
            assert_eq!(pair.correlation.n, 51);
            checked += 1;
        }
    }
    // 49 indicators, 8 pillars and 2 sub-indices with their nodes; the pairs within each node:
    // pillars of 8, 5, 3, 6, 8, 5, 9 and 5 indicators, sub-indices of 5 and 3 pillars, the index of 2
    let pairs = |k: usize| k * (k - 1) / 2;
    let within: usize = [8, 5, 3, 6, 8, 5, 9, 5, 5, 3, 2].iter().map(|k| pairs(*k)).sum();
    assert_eq!(within, 154);
    assert_eq!(checked, 59 + within);
}

/// COINr's analysis vignette: `get_data_avail(coin, dset = "Raw")` prints, for Bangladesh, 6
/// missing of 49 (availability 0.877551) and by pillar ConEcFin 1, Instit 0.8333333, P2P 0.75,
/// Physical 0.875; Australia, Austria, Belgium and Bulgaria miss nothing. tamga counts the
/// indicators' values (denominated), which for these countries are missing exactly where the
/// raw data are.
#[test]
fn asem_availability_is_coinrs() {
    let (m, out) = asem();
    let a = audit::audit(&m.model, &out);
    let av = &a.periods[0].availability;
    let unit = |code: &str| av.units.iter().find(|u| u.unit == code).expect(code);
    let bgd = unit("BGD");
    assert_eq!((bgd.overall.total - bgd.overall.present, bgd.overall.total), (6, 49));
    assert!(close(bgd.overall.share.expect("share"), 0.877551, 5e-7));
    for (pillar, want) in [("conecfin", 1.0), ("instit", 0.8333333), ("p2p", 0.75), ("physical", 0.875)] {
        assert!(close(bgd.areas[pillar].share.expect("share"), want, 5e-8), "BGD {pillar}");
    }
    for code in ["AUS", "AUT", "BEL", "BGR"] {
        assert_eq!(unit(code).overall.share, Some(1.0), "{code}");
    }
    // the values missing are those imputed by the evaluator
    assert_eq!(av.missing.len(), 65, "iData's 63 missing values and LAO's two denominated by a missing Energy");
}

// ───────────── the EAEU methodology, as text ─────────────

fn eaeu_text(lang: Lang) -> String {
    let (m, out) = evaluate("rules/eaeu", &["examples/eaeu"]);
    let mut a = audit::audit(&m.model, &out);
    a.periods.retain(|p| p.period == "2023");
    audit::text::render(&audit::view::build(&m.model, &a, lang))
}

#[test]
fn eaeu_2023_text() {
    insta::assert_snapshot!(eaeu_text(Lang::En));
}

#[test]
fn eaeu_2023_text_in_russian() {
    insta::assert_snapshot!(eaeu_text(Lang::Ru));
}

// ───────────── the command line ─────────────

fn tamga(args: &[&str]) -> std::process::Output {
    Command::new(get_cargo_bin("tamga"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("tamga runs")
}

#[test]
fn cli_exit_codes() {
    let code = |args: &[&str]| tamga(args).status.code().unwrap_or(-1);
    // done
    assert_eq!(code(&["audit", "rules/demo", "examples/demo"]), 0);
    assert_eq!(code(&["audit", "rules/demo", "examples/demo", "--period", "2023", "--format", "json"]), 0);
    // errors in the methodology, or in a submission
    assert_eq!(code(&["audit", "tests/cases/err/unknown_name.tamga", "examples/demo"]), 1);
    assert_eq!(code(&["audit", "rules/demo", "tests/cases/submissions/am-2023-bad.json"]), 1);
    // could not run: a missing file, a period without submissions, bad arguments
    assert_eq!(code(&["audit", "rules/demo", "examples/demo/xx-2023.json"]), 2);
    assert_eq!(code(&["audit", "rules/demo", "examples/demo", "--period", "1999"]), 2);
    assert_eq!(code(&["audit", "rules/demo"]), 2);
    assert_eq!(code(&["audit", "rules/demo", "examples/demo", "--format", "xml"]), 2);
}

#[test]
fn cli_names_the_periods_when_one_is_unknown() {
    let out = tamga(&["--color", "never", "audit", "rules/demo", "examples/demo", "--period", "1999"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no submissions for the period `1999`"), "{stderr}");
    assert!(stderr.contains("the periods are `2022`, `2023`"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn cli_prints_one_period_as_text_or_json() {
    let out = tamga(&["audit", "rules/demo", "examples/demo", "--period", "2023"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    // the status line first (the demo has no manifest: a draft), then the audit
    assert!(text.starts_with("DRAFT (no manifest) · eaeu_demo 0.1.0 · "), "{text}");
    assert!(text.contains("\n\nStatistical audit · "), "{text}");
    assert!(text.contains("period 2023") && !text.contains("period 2022"));
    let out = tamga(&["--lang", "ru", "audit", "rules/demo", "examples/demo", "--period", "2023"]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.starts_with("ПРОЕКТ (без манифеста) · ") && text.contains("\n\nСтатистический аудит · "), "{text}");
    let out = tamga(&["audit", "rules/demo", "examples/demo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["schema"], "tamga.audit/1");
    assert_eq!(v["correlations_on"], "scores");
    let periods: Vec<&str> =
        v["periods"].as_array().expect("periods").iter().filter_map(|p| p["period"].as_str()).collect();
    assert_eq!(periods, ["2022", "2023"]);
}

#[test]
fn report_has_the_audit_only_when_asked() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("audit-report");
    let _ = std::fs::remove_dir_all(&base);
    let (with, without) = (base.join("with"), base.join("without"));
    let run = |dir: &Path, audit: bool| {
        let d = dir.to_str().expect("path");
        let mut args = vec!["report", "rules/demo", "examples/demo", "--out", d];
        if audit {
            args.push("--audit");
        }
        assert_eq!(tamga(&args).status.code(), Some(0));
    };
    run(&with, true);
    run(&without, false);
    let html = std::fs::read_to_string(with.join("report.html")).expect("html");
    assert!(html.contains(r#"<section id="audit">"#) && html.contains("<h2>Statistical audit</h2>"));
    assert!(html.contains(r##"<a href="#audit">"##), "listed in the contents");
    let md = std::fs::read_to_string(with.join("report.md")).expect("md");
    assert!(md.contains("## Statistical audit"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(with.join("audit.json")).expect("audit.json")).expect("JSON");
    assert_eq!(json["schema"], "tamga.audit/1");
    let html = std::fs::read_to_string(without.join("report.html")).expect("html");
    assert!(!html.contains(r#"id="audit""#));
    assert!(!std::fs::read_to_string(without.join("report.md")).expect("md").contains("Statistical audit"));
    assert!(!without.join("audit.json").exists());
    // in Russian
    let ru = base.join("ru");
    let d = ru.to_str().expect("path");
    assert_eq!(
        tamga(&["--lang", "ru", "report", "rules/demo", "examples/demo", "--out", d, "--audit", "--format", "html"])
            .status
            .code(),
        Some(0)
    );
    let html = std::fs::read_to_string(ru.join("report.html")).expect("html");
    assert!(html.contains("<h2>Статистический аудит</h2>"));
}

/// The report renders the audit it is given and computes nothing: the same audit gives the same
/// bytes, and the figures in the HTML are those of the view.
#[test]
fn the_report_renders_the_audit_it_is_given() {
    let (m, out) = evaluate("rules/demo", &["examples/demo"]);
    let mut sources = m.sources.clone();
    let (data, _) = tamga::data::load(&m.model, &[path("examples/demo")], &mut sources);
    let doc = tamga::report::json::build(&m, &sources, &data, &out);
    let a = audit::audit(&m.model, &out);
    let formats = [tamga::report::Format::Html, tamga::report::Format::Markdown];
    let one = tamga::report::render_with_audit(&m.model, &doc, Some(&a), Lang::En, &formats);
    let two = tamga::report::render_with_audit(&m.model, &doc, Some(&a), Lang::En, &formats);
    assert_eq!(one, two);
    let plain = tamga::report::render(&m.model, &doc, Lang::En, &formats);
    assert_eq!(plain, tamga::report::render_with_audit(&m.model, &doc, None, Lang::En, &formats));
    let html = String::from_utf8(one[0].1.clone()).expect("UTF-8");
    let v = audit::view::build(&m.model, &a, Lang::En);
    for p in &v.periods {
        for x in &p.areas {
            for r in &x.rows {
                assert!(html.contains(&format!(">{}</td>", r.r.text)), "{} {}", x.id, r.id);
            }
        }
    }
}

// ───────────── a set, alpha if deleted, item–rest, eigenvalues, the matrix ─────────────

/// `tamga audit --set … --matrix` on the raw values of ASEM's Physical pillar
/// (`tests/independent/asem_physical_raw.tamga`, scores = values), against numpy:
/// `python3 tests/independent/audit_asem.py` (figures pasted below, not tamga's).
#[test]
fn set_of_raw_asem_indicators_matches_numpy() {
    let out = tamga(&[
        "audit",
        "tests/independent/asem_physical_raw.tamga",
        "examples/asem/asem.csv",
        "--ignore-unknown-columns",
        "--set",
        "lpi,flights,ship,elec,conspeed",
        "--matrix",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let p = &v["periods"][0];
    let f = |x: &serde_json::Value| x.as_f64().expect("a number");
    let s = &p["set"];
    assert!(close(f(&s["alpha"]["pairwise"]["value"]), 0.4533322770628803, 1e-12));
    // numpy: alpha if deleted, item–rest (from the pairwise covariance matrix)
    let want = [
        ("lpi", 0.47507152074654757, 0.610359363936803),
        ("flights", 0.17645472201341877, 0.6116548141594891),
        ("ship", 0.40173932958540126, 0.47083352011543445),
        ("elec", 0.22359191918170676, 0.4751631126307206),
        ("conspeed", 0.4665854924322398, 0.14939320548493631),
    ];
    let mut worst: f64 = 0.0;
    for (item, (id, drop, rest)) in s["items"].as_array().expect("items").iter().zip(want) {
        assert_eq!(item["id"], id);
        worst = worst.max((f(&item["alpha_if_deleted"]["value"]) - drop).abs());
        worst = worst.max((f(&item["item_rest"]["value"]) - rest).abs());
    }
    // numpy: eigenvalues of the correlation matrix over the 43 complete cases
    let eig = [2.188699375023792, 1.3371686512330658, 0.8164739199462547, 0.38366085533576794, 0.2739971984611195];
    assert_eq!(s["components"]["complete_cases"], 43);
    let comps = s["components"]["components"].as_array().expect("components");
    assert_eq!(comps.len(), 5);
    let mut cumulative = 0.0;
    for (c, l) in comps.iter().zip(eig) {
        cumulative += l / 5.0;
        worst = worst.max((f(&c["eigenvalue"]) - l).abs());
        worst = worst.max((f(&c["share"]) - l / 5.0).abs());
        worst = worst.max((f(&c["cumulative"]) - cumulative).abs());
    }
    // numpy: Flights × ConSpeed over the 43 pairs
    let m = &p["matrix"];
    let ids: Vec<&str> = m["indicators"].as_array().expect("ids").iter().filter_map(|x| x.as_str()).collect();
    assert_eq!(ids, ["lpi", "flights", "ship", "bord", "elec", "gas", "conspeed", "cov4g"]);
    worst = worst.max((f(&m["pearson"][1][6]) - 0.10738926852562261).abs());
    assert_eq!(m["pearson"][1][6], m["pearson"][6][1]);
    assert_eq!(m["n"][1][6], 43);
    eprintln!("largest difference from numpy: {worst:e}");
    assert!(worst < 1e-12, "largest difference from numpy: {worst:e}");
}

#[test]
fn set_names_only_scores_and_the_matrix_is_csv() {
    let out = tamga(&["--color", "never", "audit", "rules/demo", "examples/demo", "--set", "nonsense,other"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`--set` names no scored indicator or area `nonsense`, `other`"), "{stderr}");
    let out = tamga(&[
        "audit",
        "tests/independent/asem_physical_raw.tamga",
        "examples/asem/asem.csv",
        "--ignore-unknown-columns",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "period,indicator,lpi,flights,ship,bord,elec,gas,conspeed,cov4g");
    assert_eq!(lines.len(), 9);
    assert!(lines[1].starts_with("2018,lpi,1,"), "{}", lines[1]);
    // the text has the set, with alpha if deleted and item–rest, and the eigenvalues
    let out = tamga(&[
        "audit",
        "tests/independent/asem_physical_raw.tamga",
        "examples/asem/asem.csv",
        "--ignore-unknown-columns",
        "--set",
        "lpi,flights,ship",
        "--matrix",
    ]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("Set: lpi, flights, ship · Cronbach's α = "), "{text}");
    assert!(text.contains("Eigenvalues of the correlations (share of variance, cumulative) (n = "), "{text}");
    assert!(text.contains("Correlations of every scored indicator (Pearson's r"), "{text}");
}
