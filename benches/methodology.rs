//! (b) `check` and (c) `eval` of the bundled EAEU methodology (`rules/eaeu`; `rules/demo` when
//! the EAEU one does not check, with a note on stderr).
//!
//! ```sh
//! cargo bench --bench methodology                   # everything, then a summary table
//! cargo bench --bench methodology -- check/         # (b) only
//! cargo bench --bench methodology -- eval/          # (c) only
//! ```
//!
//! Times are the benchmark thread's CPU time (`common::CpuTime`), not wall time.
//!
//! - `check/parse_check`: `tamga::check::check` of the folder: read, parse, check (names, types,
//!   units, weights, cycles, the plan), fingerprint and lock;
//! - `check/compile`: `Compiled::new` of the checked model (every formula to closures);
//! - `check/parse_check_compile`: both, what `tamga eval` does before it reads any data;
//! - `eval/samples`: `evaluate_compiled` of the sample submissions (5 states × 2 periods);
//! - `eval/synthetic_100k`: `evaluate_compiled` of 100,000 synthetic units in one period
//!   (customs posts × months), answers drawn within each question's type and range, 1 % left
//!   out, including the methodology's cross-unit functions (`union_mean`), scores, areas,
//!   standards, recommendations and the union summary;
//! - `report/synthetic_100k`: the same evaluation, then the report of it as `tamga report`
//!   renders it (the result document, HTML, Markdown, CSV and JSON): what the report adds to
//!   `eval` (it was quadratic in units);
//! - `parts/summary_100k`: `tamga::eval::summary::summarize` of that outcome alone (the union
//!   statistics per area, indicator, chapter and standard);
//! - `parts/round_100k`: `tamga::number::round` of 100,000 values to one decimal (what every
//!   `Rounded` read of a standard or a recommendation, and the summary's `best`, costs).
//!
//! - `cross_unit/union_*_10k`: `evaluate_compiled` of a one-question, one-indicator methodology
//!   whose indicator is `union_mean(q)`, `union_median(q)`, `union_rank(q)` or
//!   `union_percentile(q)`, over 10,000 units: how each cross-unit function grows with units;
//! - `cross_unit/union_rank_100k`, `cross_unit/union_percentile_100k`: the same over 100,000
//!   units (`union_rank` and `union_percentile` sort the column: O(n log n)).
//!
//! (d), `sensitivity` with 10,000 samples over the ASEM example, is not here yet: tamga has no
//! `sensitivity` command. Peak memory of `eval/synthetic_100k` is measured by
//! `benches/peak_memory.rs`.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{human, median_ns, methodology_dirs, model_of, sample_dataset, synthetic_dataset, RECORDS, SEED};
use tamga::eval::{evaluate_compiled, Compiled};

/// The cross-unit functions measured alone.
const CROSS_UNIT: [&str; 4] = ["union_mean", "union_median", "union_rank", "union_percentile"];

/// Units for the cross-unit functions alone.
const CROSS_UNITS: usize = 10_000;

/// The cross-unit functions also measured over 100,000 units (`RECORDS`): those that sort.
const CROSS_UNIT_LARGE: [&str; 2] = ["union_rank", "union_percentile"];

/// The share of synthetic answers left out.
const MISSING: f64 = 0.01;

fn main() {
    let since = SystemTime::now();
    let (rules, examples) = methodology_dirs();
    let model = model_of(rules);
    let mut c = common::criterion();

    {
        let mut g = c.benchmark_group("check");
        g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
        g.bench_function("parse_check", |b| b.iter(|| black_box(tamga::check::check(Path::new(black_box(rules))))));
        g.bench_function("compile", |b| b.iter(|| black_box(Compiled::new(black_box(&model)))));
        g.bench_function("parse_check_compile", |b| {
            b.iter(|| {
                let checked = tamga::check::check(Path::new(black_box(rules)));
                let model = checked.model.expect("the methodology checks");
                black_box(Compiled::new(&model));
            })
        });
        g.finish();
    }

    let compiled = Compiled::new(&model);
    {
        let mut g = c.benchmark_group("eval");
        let samples = sample_dataset(&model, examples);
        g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
        g.bench_function("samples", |b| b.iter(|| black_box(evaluate_compiled(&compiled, black_box(&samples)))));

        let synthetic = synthetic_dataset(&model, RECORDS, MISSING, SEED);
        g.sample_size(10).measurement_time(Duration::from_secs(10));
        g.bench_function("synthetic_100k", |b| {
            b.iter(|| black_box(evaluate_compiled(&compiled, black_box(&synthetic))))
        });
        g.finish();

        // two parts of it, measured alone: the union summary, and decimal-correct rounding
        let mut g = c.benchmark_group("parts");
        g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
        let outcome = evaluate_compiled(&compiled, &synthetic);
        g.bench_function("summary_100k", |b| {
            b.iter(|| black_box(tamga::eval::summary::summarize(&model, black_box(&outcome.periods))))
        });
        drop(outcome);
        g.finish();

        // the report of the same 100,000 units: the result document and every format (issue #15:
        // quadratic in units before; it should stay within 3× of `eval/synthetic_100k`)
        let mut g = c.benchmark_group("report");
        g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
        let meth = match tamga::check::check(Path::new(rules)).methodology() {
            Ok((m, _)) => m,
            Err(_) => panic!("{rules} does not check"),
        };
        let formats = [
            tamga::report::Format::Html,
            tamga::report::Format::Markdown,
            tamga::report::Format::Csv,
            tamga::report::Format::Json,
        ];
        g.bench_function("synthetic_100k", |b| {
            b.iter(|| {
                let outcome = evaluate_compiled(&compiled, black_box(&synthetic));
                let doc = tamga::report::json::build(&meth, &meth.sources, &synthetic, &outcome);
                black_box(tamga::report::render_with(&meth.model, &doc, None, None, tamga::report::Lang::En, &formats))
            })
        });
        g.finish();

        let mut g = c.benchmark_group("parts");
        g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
        let xs: Vec<f64> = (0..RECORDS).map(|i| i as f64 * 0.731 + 0.0049).collect();
        let mode = model.header.rounding;
        g.bench_function("round_100k", |b| {
            b.iter(|| xs.iter().map(|x| tamga::number::round(*x, 1, mode)).fold(0.0, |a, r| a + r))
        });
        g.finish();
    }

    // the cross-unit functions alone, each in a one-indicator methodology over 10,000 units
    {
        let mut g = c.benchmark_group("cross_unit");
        g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
        let runs =
            CROSS_UNIT.iter().map(|f| (*f, CROSS_UNITS, "10k")).chain(CROSS_UNIT_LARGE.map(|f| (f, RECORDS, "100k")));
        for (f, units, size) in runs {
            let text = format!(
                "methodology x {{ en \"Cross-unit\" version \"1\" }}\n\
                 question q : number in 0..=1000 {{ en \"q\" }}\n\
                 indicator v = {f}(q) {{ en \"v\" }}\n"
            );
            let model = tamga::check::check_text("cross.tamga", &text).methodology().expect("checks").0.model;
            let data = synthetic_dataset(&model, units, 0.0, SEED);
            let compiled = Compiled::new(&model);
            g.bench_function(format!("{f}_{size}"), |b| {
                b.iter(|| black_box(evaluate_compiled(&compiled, black_box(&data))))
            });
        }
        g.finish();
    }
    c.final_summary();

    let rows = [
        ("check", "parse_check"),
        ("check", "compile"),
        ("check", "parse_check_compile"),
        ("eval", "samples"),
        ("eval", "synthetic_100k"),
        ("report", "synthetic_100k"),
        ("parts", "summary_100k"),
        ("parts", "round_100k"),
        ("cross_unit", "union_mean_10k"),
        ("cross_unit", "union_median_10k"),
        ("cross_unit", "union_rank_10k"),
        ("cross_unit", "union_percentile_10k"),
        ("cross_unit", "union_rank_100k"),
        ("cross_unit", "union_percentile_100k"),
    ];
    let found: Vec<_> = rows.iter().filter_map(|(g, id)| Some((g, id, median_ns(g, id, since)?))).collect();
    if !found.is_empty() {
        println!(
            "\n{rules}: {} questions, {} indicators, {} areas, {} standards, {} recommendations, {} plan steps\n",
            model.questions.len(),
            model.indicators.len(),
            model.areas.len(),
            model.standards.len(),
            model.recommendations.len(),
            model.plan.len()
        );
        println!("| benchmark | median |");
        println!("| --- | ---: |");
        for (g, id, ns) in found {
            let extra = if id.ends_with("_100k") {
                format!(" ({:.2} µs / unit)", ns / RECORDS as f64 / 1e3)
            } else {
                String::new()
            };
            println!("| {g}/{id} | {}{extra} |", human(ns));
        }
    }
}
