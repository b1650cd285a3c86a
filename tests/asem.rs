//! COINr's ASEM example (`examples/asem`), the reference of the JRC's composite-indicator package:
//!
//! (a) `examples/asem/asem.csv` is COINr's `ASEM_iData` reshaped into tamga's wide CSV form,
//!     columns kept as they are (regenerate it with `TAMGA_REGENERATE_ASEM=1 cargo test --test
//!     asem`);
//! (b) `examples/asem/methodology.tamga` is COINr's `ASEM_iMeta`: 53 questions, 49 indicators,
//!     8 pillars, 2 sub-indices and the index, with iMeta's directions, weights, denominators and
//!     names;
//! (c) COINr's whole `build_example_coin()` pipeline — denominate → impute by group mean → screen
//!     at 90 % → treat → min-max → aggregate — reproduced with the functions of
//!     `tamga::eval::composite` (not the evaluator) on the submissions tamga loads from the CSV,
//!     gives every number of `data/coinr-asem/coinr_asem_expected_full_pipeline.csv` to a relative
//!     1e-9, and every number COINr's documentation prints at its printed precision.
//!
//! The files under `data/coinr-asem/` are copies of the shared originals (see `SOURCE.md` there).
//! Run with `cargo test --test asem`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tamga::check::{check, Methodology};
use tamga::data::{self, Answer};
use tamga::diagnostics::{has_errors, render, Code, Severity, Style};
use tamga::eval::composite::{self, Order, TreatOutcome, WinsoriseSpec};
use tamga::model::{Direction, ScoreRule, Ties};

const DATA: &str = "data/coinr-asem";
const EXAMPLE: &str = "examples/asem";

fn style() -> Style {
    Style { color: false, width: 100 }
}

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A CSV file as a header and rows of texts.
fn read_csv(rel: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let header = r.headers().expect("a header").iter().map(str::to_string).collect();
    let rows = r.records().map(|rec| rec.expect("a row").iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// One row of `ASEM_iMeta`.
#[derive(Debug, Clone)]
struct Meta {
    code: String,
    name: String,
    level: Option<u32>,
    direction: f64,
    weight: f64,
    unit: String,
    denominator: Option<String>,
    parent: Option<String>,
    kind: String,
}

fn imeta() -> Vec<Meta> {
    let (h, rows) = read_csv(&format!("{DATA}/coinr_asem_iMeta.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap_or_else(|| panic!("iMeta has no {name}"));
    let na = |s: &str| if s == "NA" { None } else { Some(s.to_string()) };
    rows.iter()
        .map(|r| Meta {
            code: r[col("iCode")].clone(),
            // the one typo of iMeta's names, corrected in the methodology's labels
            name: r[col("iName")].replace("intenational", "international"),
            level: na(&r[col("Level")]).map(|l| l.parse::<f64>().expect("a level") as u32),
            direction: na(&r[col("Direction")]).map(|d| d.parse().expect("a direction")).unwrap_or(0.0),
            weight: na(&r[col("Weight")]).map(|d| d.parse().expect("a weight")).unwrap_or(0.0),
            unit: r[col("Unit")].clone(),
            denominator: na(&r[col("Denominator")]),
            parent: na(&r[col("Parent")]),
            kind: r[col("Type")].clone(),
        })
        .collect()
}

fn of_kind<'m>(meta: &'m [Meta], kind: &str) -> Vec<&'m Meta> {
    meta.iter().filter(|m| m.kind == kind).collect()
}

// ───────────────────────────── (a) the data ─────────────────────────────

/// `ASEM_iData` in tamga's wide CSV form: `unit` = uCode, `period` = Time (2018), `name` = uName,
/// a `group:` column per group of iMeta, then the denominators and the indicators, with the
/// numbers as the shortest text that reads back as the same binary64 and NA as an empty cell.
fn wide_csv_from_idata() -> String {
    let meta = imeta();
    let (h, rows) = read_csv(&format!("{DATA}/coinr_asem_iData.csv"));
    let col = |name: &str| h.iter().position(|c| c == name).unwrap_or_else(|| panic!("iData has no {name}"));
    let groups: Vec<&str> = of_kind(&meta, "Group").iter().map(|m| m.code.as_str()).collect();
    let numeric: Vec<&str> = of_kind(&meta, "Denominator")
        .iter()
        .chain(of_kind(&meta, "Indicator").iter())
        .map(|m| m.code.as_str())
        .collect();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(vec![]);
    let mut header = vec!["unit".to_string(), "period".to_string(), "name".to_string()];
    header.extend(groups.iter().map(|g| format!("group:{g}")));
    header.extend(numeric.iter().map(|c| c.to_string()));
    w.write_record(&header).expect("write");
    for r in &rows {
        let time: f64 = r[col("Time")].parse().expect("a year");
        assert_eq!(time.fract(), 0.0);
        let mut rec = vec![r[col("uCode")].clone(), format!("{}", time as i64), r[col("uName")].clone()];
        rec.extend(groups.iter().map(|g| r[col(g)].clone()));
        for c in &numeric {
            let v = &r[col(c)];
            rec.push(if v == "NA" {
                String::new()
            } else {
                tamga::number::shortest(v.parse::<f64>().unwrap_or_else(|_| panic!("{c}: {v}")))
            });
        }
        w.write_record(&rec).expect("write");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("UTF-8")
}

#[test]
fn the_csv_is_idata_reshaped() {
    let want = wide_csv_from_idata();
    let file = path(&format!("{EXAMPLE}/asem.csv"));
    if std::env::var("TAMGA_REGENERATE_ASEM").as_deref() == Ok("1") {
        std::fs::write(&file, &want).expect("write examples/asem/asem.csv");
    }
    let got = std::fs::read_to_string(&file).expect("examples/asem/asem.csv");
    assert!(
        got == want,
        "examples/asem/asem.csv is not ASEM_iData reshaped; regenerate it with TAMGA_REGENERATE_ASEM=1 cargo test --test asem"
    );
    // every number reads back as the same binary64 as in iData
    let (h, rows) = read_csv(&format!("{DATA}/coinr_asem_iData.csv"));
    let (wh, wrows) = read_csv(&format!("{EXAMPLE}/asem.csv"));
    assert_eq!(rows.len(), 51);
    let mut cells = 0;
    for (r, wr) in rows.iter().zip(&wrows) {
        for (i, name) in wh.iter().enumerate().skip(7) {
            let j = h.iter().position(|c| c == name).expect("an iData column");
            match r[j].as_str() {
                "NA" => assert_eq!(wr[i], ""),
                v => assert_eq!(wr[i].parse::<f64>().ok(), v.parse::<f64>().ok(), "{name}"),
            }
            cells += 1;
        }
    }
    assert_eq!(cells, 51 * 53);
}

// ───────────────────────────── (b) the methodology ─────────────────────────────

fn methodology() -> Methodology {
    let c = check(&path(EXAMPLE));
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, style()));
    match c.methodology() {
        Ok((m, diags)) => {
            assert!(!has_errors(&diags), "{}", render(&diags, &m.sources, style()));
            m
        }
        Err((s, d)) => panic!("examples/asem has no model:\n{}", render(&d, &s, style())),
    }
}

#[test]
fn the_methodology_is_asem_imeta() {
    let m = methodology();
    let model = &m.model;
    let meta = imeta();
    // questions: the denominators, then the indicators, named as iData's columns
    let questions: Vec<&str> = model.questions.keys().map(String::as_str).collect();
    let want: Vec<&str> = of_kind(&meta, "Denominator")
        .iter()
        .chain(of_kind(&meta, "Indicator").iter())
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(questions, want);
    for d in of_kind(&meta, "Denominator") {
        let q = &model.questions[&d.code];
        assert_eq!(q.unit, d.unit);
        assert!(!q.range.contains(0.0), "a denominator is positive: {}", d.code);
    }
    // 49 indicators: iCode in lower case, the question or the question over its denominator
    let inds = of_kind(&meta, "Indicator");
    assert_eq!(model.indicators.len(), 49);
    for (ind, mi) in model.indicators.values().zip(&inds) {
        assert_eq!(ind.id, mi.code.to_lowercase());
        let formula = match &mi.denominator {
            Some(d) => format!("{} / {d}", mi.code),
            None => mi.code.clone(),
        };
        assert_eq!(ind.formula_text, formula, "{}", ind.id);
        let dir = if mi.direction < 0.0 { Direction::LowerIsBetter } else { Direction::HigherIsBetter };
        assert_eq!(ind.direction, dir, "{}", ind.id);
        assert_eq!(ind.weight, mi.weight, "{}", ind.id);
        assert!(matches!(ind.score, Some(ScoreRule::MinMax)), "{}", ind.id);
        assert_eq!(ind.area.as_deref(), mi.parent.as_ref().map(|p| p.to_lowercase()).as_deref());
        assert_eq!(ind.labels.get("en"), Some(&mi.name), "{}", ind.id);
        assert!(ind.labels.get("ru").is_some_and(|l| !l.is_empty()), "{}", ind.id);
    }
    assert_eq!(inds.iter().filter(|m| m.direction < 0.0).count(), 14);
    assert_eq!(inds.iter().filter(|m| m.denominator.is_some()).count(), 17);
    // 8 pillars, 2 sub-indices and the index (depth 2, 1 and 0)
    let aggs = of_kind(&meta, "Aggregate");
    assert_eq!(aggs.len(), 11);
    assert_eq!(model.index, "index");
    for a in &aggs {
        let id = a.code.to_lowercase();
        let area = model.areas.get(&id).unwrap_or_else(|| panic!("no area `{id}`"));
        let depth = 4 - a.level.expect("a level");
        assert_eq!(area.depth, depth, "{id}");
        assert_eq!(area.labels.get("en"), Some(&a.name), "{id}");
        assert_eq!(area.aggregate, tamga::model::Aggregation::Mean, "{id}");
        if depth > 0 {
            assert_eq!(area.weight, a.weight, "{id}");
            assert_eq!(area.parent.as_deref(), a.parent.as_ref().map(|p| p.to_lowercase()).as_deref(), "{id}");
        }
        let children: Vec<String> = meta
            .iter()
            .filter(|c| c.parent.as_deref() == Some(&a.code) && c.level.is_some())
            .map(|c| c.code.to_lowercase())
            .collect();
        assert_eq!(area.children.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), children, "{id}");
    }
    assert_eq!(model.areas.values().filter(|a| a.depth == 2).count(), 8);
    assert_eq!(model.areas.values().filter(|a| a.depth == 1).count(), 2);
}

// ───────────────────────────── (c) COINr's pipeline ─────────────────────────────

/// The results of the pipeline, by COINr's codes: normalised indicators and aggregates per unit.
struct Pipeline {
    units: Vec<String>,
    /// COINr code → one value per unit (of `units`).
    columns: BTreeMap<String, Vec<Option<f64>>>,
    /// Index rank per unit (1 = best, ties min).
    ranks: Vec<Option<f64>>,
    /// iCode → outcome of the treatment.
    treated: BTreeMap<String, TreatOutcome>,
    /// Missing cells filled by imputation.
    imputed: usize,
    /// Units screened out.
    screened_out: Vec<String>,
}

fn pipeline() -> Pipeline {
    let m = methodology();
    let model = &m.model;
    let meta = imeta();
    let code_of = |id: &str| meta.iter().find(|x| x.code.to_lowercase() == id).expect("an iMeta row").code.clone();

    // load the submissions as tamga does: the only diagnostics are the 64 NA cells of iData
    let mut sources = m.sources.clone();
    let (dataset, diags) = data::load(model, &[path(&format!("{EXAMPLE}/asem.csv"))], &mut sources);
    assert!(!has_errors(&diags), "{}", render(&diags, &sources, style()));
    assert!(diags.iter().all(|d| d.code == Code::DataRequired && d.severity == Severity::Warning));
    assert_eq!(diags.len(), 64, "one warning per NA cell of iData");
    let subs = &dataset.submissions;
    assert_eq!(subs.len(), 51);
    let units: Vec<String> = subs.iter().map(|s| s.unit.clone()).collect();
    let answer = |s: &data::Submission, q: &str| -> Option<f64> {
        match s.answers.get(model.questions.get_index_of(q).expect("a question")) {
            Some(Answer::Number(x)) => Some(x),
            _ => None,
        }
    };

    // 1. denominate (COINr's Denominate: x / denominator), from the indicators' formulas
    let mut cols: Vec<(String, Vec<Option<f64>>)> = vec![];
    for ind in model.indicators.values() {
        let parts: Vec<&str> = ind.formula_text.split(" / ").collect();
        let col = subs
            .iter()
            .map(|s| match parts.as_slice() {
                [q] => answer(s, q),
                [q, d] => Some(answer(s, q)? / answer(s, d)?),
                _ => panic!("unexpected formula {}", ind.formula_text),
            })
            .collect();
        cols.push((ind.id.clone(), col));
    }
    let missing_before: usize = cols.iter().map(|(_, c)| c.iter().filter(|x| x.is_none()).count()).sum();

    // 2. impute by the mean of the unit's EurAsia_group (i_mean_grp)
    let groups: Vec<Option<&str>> = subs.iter().map(|s| s.groups.get("EurAsia_group").map(String::as_str)).collect();
    assert!(groups.iter().all(Option::is_some));
    for (_, c) in cols.iter_mut() {
        *c = composite::impute_group_mean(c, &groups).expect("one group per unit");
    }
    let missing_after: usize = cols.iter().map(|(_, c)| c.iter().filter(|x| x.is_none()).count()).sum();

    // 3. screen: keep the units with at least 90 % of the indicators (Screen byNA, dat_thresh 0.9)
    let keep: Vec<bool> = (0..units.len())
        .map(|u| {
            let row: Vec<Option<f64>> = cols.iter().map(|(_, c)| c[u]).collect();
            composite::screen_by_na(&row, 0.9) == Some(true)
        })
        .collect();
    let screened_out = units.iter().zip(&keep).filter(|(_, k)| !**k).map(|(u, _)| u.clone()).collect();
    let units: Vec<String> = units.iter().zip(&keep).filter(|(_, k)| **k).map(|(u, _)| u.clone()).collect();
    for (_, c) in cols.iter_mut() {
        *c = c.iter().zip(&keep).filter(|(_, k)| **k).map(|(x, _)| *x).collect();
    }

    // 4. treat (Treat defaults: winsorise up to 5 points at skew 2 / kurtosis 3.5, else log_CT)
    let mut treated = BTreeMap::new();
    for (id, c) in cols.iter_mut() {
        let t = composite::treat(c, &WinsoriseSpec::default());
        treated.insert(code_of(id), t.outcome);
        *c = t.values;
    }

    // 5. normalise: min-max to 0–100 with the indicator's direction (n_minmax)
    let mut columns: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    let mut by_id: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for (id, c) in &cols {
        let dir = model.indicators[id].direction;
        let n = composite::minmax(c, 0.0, 100.0, dir).expect("a spread");
        columns.insert(code_of(id), n.clone());
        by_id.insert(id.clone(), n);
    }

    // 6. aggregate: the weighted arithmetic mean (a_amean), from the pillars up to the index
    let mut areas: Vec<&tamga::model::Area> = model.areas.values().collect();
    areas.sort_by_key(|a| std::cmp::Reverse(a.depth));
    for a in areas {
        let w: Vec<f64> = a.children.iter().map(|c| c.weight).collect();
        let col: Vec<Option<f64>> = (0..units.len())
            .map(|u| {
                let xs: Vec<Option<f64>> = a.children.iter().map(|c| by_id[&c.id][u]).collect();
                composite::arithmetic_mean(&xs, &w).expect("a mean")
            })
            .collect();
        columns.insert(code_of(&a.id), col.clone());
        by_id.insert(a.id.clone(), col);
    }
    let ranks = composite::rank(&columns["Index"], Ties::Min, Order::Descending);
    Pipeline { units, columns, ranks, treated, imputed: missing_before - missing_after, screened_out }
}

/// Equal to a relative 1e-9 (an absolute 1e-12 near zero).
fn close(a: f64, b: f64) -> bool {
    let d = (a - b).abs();
    d <= 1e-9 * a.abs().max(b.abs()) || d <= 1e-12
}

/// `x` rounded to `digits` decimals, or to `digits` significant figures.
fn round_dp(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

fn signif(x: f64, digits: i32) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let d = digits - 1 - x.abs().log10().floor() as i32;
    round_dp(x, d)
}

#[test]
fn coinr_pipeline_gives_the_expected_numbers() {
    let p = pipeline();
    // iData has 64 NA cells: 63 indicators and LAO's Energy, which makes LAO's Elec / Energy and
    // Gas / Energy missing too
    assert_eq!(p.imputed, 65);
    assert!(p.screened_out.is_empty(), "screening after imputation removes no unit");
    assert_eq!(p.units.len(), 51);

    let (h, rows) = read_csv(&format!("{DATA}/coinr_asem_expected_full_pipeline.csv"));
    assert_eq!(h.len(), 2 + 11 + 49);
    assert_eq!(rows.len(), 51);
    let (mut compared, mut failures, mut identical, mut worst) = (0, vec![], 0, 0.0f64);
    for r in &rows {
        let u = p.units.iter().position(|x| *x == r[0]).unwrap_or_else(|| panic!("unit {}", r[0]));
        let rank: f64 = r[1].parse().expect("a rank");
        assert_eq!(p.ranks[u], Some(rank), "rank of {}", r[0]);
        for (code, text) in h.iter().zip(r).skip(2) {
            let want: f64 = text.parse().expect("a number");
            let got = p.columns.get(code).unwrap_or_else(|| panic!("no column {code}"))[u].expect("a value");
            compared += 1;
            identical += usize::from(got == want);
            if want != 0.0 {
                worst = worst.max(((got - want) / want).abs());
            }
            if !close(got, want) {
                failures.push(format!("{} {code}: {got} vs {want}", r[0]));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {compared} values differ:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(compared, 51 * 60);
    eprintln!("{compared} values compared: {identical} identical to the bit, largest relative difference {worst:e}");
}

#[test]
fn coinr_pipeline_gives_what_coinr_documentation_prints() {
    let p = pipeline();
    let unit = |code: &str| p.units.iter().position(|x| x == code).unwrap_or_else(|| panic!("unit {code}"));
    let aggs = [
        "Index",
        "Conn",
        "Sust",
        "Physical",
        "ConEcFin",
        "Political",
        "Instit",
        "P2P",
        "Environ",
        "Social",
        "SusEcFin",
    ];
    let mut compared = 0;
    // results.html: the top 6 units and India, 2 decimals, and their ranks
    let (h, rows) = read_csv(&format!("{DATA}/coinr_docs_published_outputs.csv"));
    assert_eq!(rows.len(), 7);
    for r in &rows {
        let u = unit(&r[1]);
        assert_eq!(p.ranks[u], Some(r[2].parse().expect("a rank")), "rank of {}", r[1]);
        for code in aggs {
            let i = h.iter().position(|c| c == code).expect("a column");
            let want: f64 = r[i].parse().expect("a number");
            let got = p.columns[code][u].expect("a value");
            assert!((round_dp(got, 2) - want).abs() < 1e-9, "{} {code}: {got} prints as {want}", r[1]);
            compared += 1;
        }
    }
    // results.html: India's unit summary, 2 decimals, rank 45 of the index
    let (h, rows) = read_csv(&format!("{DATA}/coinr_docs_IND_unit_summary.csv"));
    assert_eq!(h[..4], ["Code", "Name", "Score", "Rank"]);
    let ind = unit("IND");
    for r in &rows {
        let want: f64 = r[2].parse().expect("a number");
        let got = p.columns[&r[0]][ind].expect("a value");
        assert!((round_dp(got, 2) - want).abs() < 1e-9, "IND {}: {got} prints as {want}", r[0]);
        compared += 1;
    }
    assert_eq!(p.ranks[ind], Some(45.0));
    // aggregate.html: the first 5 rows, 3 significant figures
    let (h, rows) = read_csv(&format!("{DATA}/coinr_docs_aggregate_vignette_first5.csv"));
    assert_eq!(rows.len(), 5);
    for r in &rows {
        let u = unit(&r[1]);
        for (code, text) in h.iter().zip(r).skip(2) {
            let want: f64 = text.parse().expect("a number");
            let got = p.columns[code][u].expect("a value");
            assert!((signif(got, 3) - want).abs() < 1e-9, "{} {code}: {got} prints as {want}", r[1]);
            compared += 1;
        }
    }
    assert_eq!(compared, 7 * 11 + 11 + 5 * 11);
}

#[test]
fn coinr_treatment_of_asem() {
    // Which indicators COINr's default treatment winsorises, and how many points (nwin); no
    // indicator needs the log fallback. Every treated value is confirmed by the normalised values
    // of the expected pipeline (the test above).
    let p = pipeline();
    let winsorised: Vec<(&str, usize)> = p
        .treated
        .iter()
        .filter_map(|(code, o)| match o {
            TreatOutcome::Winsorised { count } => Some((code.as_str(), *count)),
            _ => None,
        })
        .collect();
    assert_eq!(
        winsorised,
        [
            ("Bord", 3),
            ("CostImpEx", 1),
            ("CultServ", 3),
            ("FDI", 2),
            ("FemLab", 1),
            ("Flights", 1),
            ("ForPort", 3),
            ("Forest", 2),
            ("Gas", 3),
            ("NGOs", 3),
            ("Poverty", 3),
            ("PubDebt", 1),
            ("Services", 4),
            ("StMob", 2),
            ("Tariff", 3),
        ]
    );
    assert_eq!(p.treated.values().filter(|o| **o == TreatOutcome::Passed).count(), 49 - 15);
}

/// The evaluator, running examples/asem as written (imputation, screening, treatment, min-max,
/// weighted means declared in the rule file), reproduces COINr's pipeline: every aggregate and
/// every normalised indicator of every unit, to a relative 1e-9.
#[test]
fn the_evaluator_reproduces_coinr_from_the_rule_file() {
    let checked = tamga::check::check(&path("examples/asem"));
    let (meth, warnings) = checked.methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, style())));
    assert!(warnings.is_empty(), "{}", render(&warnings, &meth.sources, style()));
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, &[path("examples/asem/asem.csv")], &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags));
    let out = tamga::eval::evaluate(&meth.model, &data);
    assert_eq!(out.periods.len(), 1);
    let p = &out.periods[0];
    assert!(p.excluded.is_empty(), "COINr screens after imputing: no unit is left out");
    let (header, rows) = read_csv("data/coinr-asem/coinr_asem_expected_full_pipeline.csv");
    assert_eq!(rows.len(), 51);
    let mut compared = 0;
    for row in &rows {
        let unit = &row[0];
        let u = p.unit_index(unit).unwrap_or_else(|| panic!("unit {unit} not evaluated"));
        for (k, col) in header.iter().enumerate().skip(1) {
            if col.starts_with("Rank") || row[k].is_empty() {
                continue;
            }
            let want: f64 = row[k].parse().expect("number");
            let id = col.to_lowercase();
            let slot = match (meth.model.indicators.get(&id), meth.model.areas.get(&id)) {
                (Some(i), _) => i.score_slot,
                (None, Some(a)) => a.slot,
                (None, None) if col == "Index" => meth.model.areas[&meth.model.index].slot,
                _ => panic!("no indicator or area for the column {col}"),
            };
            let got = p.get(slot, u).unwrap_or_else(|m| panic!("{unit} {col}: missing ({:?})", m.reason));
            assert!(close(got, want), "{unit} {col}: tamga {got} vs COINr {want}");
            compared += 1;
        }
    }
    assert_eq!(compared, 51 * 60, "every aggregate and normalised indicator of every unit");
    // ranks by the index, ties by `min`, as COINr's `rank(-x, ties = "min")`
    let index = meth.model.areas[&meth.model.index].slot;
    let rank_col = header.iter().position(|h| h == "Rank_Index").expect("Rank_Index");
    for row in &rows {
        let u = p.unit_index(&row[0]).expect("unit");
        let x = p.get(index, u).expect("index");
        let rank = 1 + (0..p.units.len()).filter(|v| p.get(index, *v).is_ok_and(|y| y > x)).count();
        assert_eq!(rank.to_string(), row[rank_col], "rank of {}", row[0]);
    }
}
