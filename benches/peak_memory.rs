//! (e) Peak memory of (c): one evaluation of the EAEU methodology over 100,000 synthetic units.
//!
//! Not a criterion benchmark: it builds the dataset, evaluates it once and prints the resident
//! set size before and after (`VmRSS`, `VmHWM` of `/proc/self/status`) with the time taken (wall
//! and CPU).
//! For the figure of record, run the binary under `/usr/bin/time -v` (docs/performance.md):
//!
//! ```sh
//! cargo bench --bench peak_memory                       # prints its own measurements
//! EXE="$(cargo bench --bench peak_memory --no-run --message-format=json 2>/dev/null \
//!   | grep '"name":"peak_memory"' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p')"
//! /usr/bin/time -v "$EXE" 2>&1 | grep -E 'Maximum resident|Elapsed'   # apt-get install time
//! ```
//!
//! `TAMGA_BENCH_UNITS=10000` changes the number of units.

mod common;

use std::time::Instant;

use common::{methodology_dirs, model_of, peak_rss_kib, rss_kib, synthetic_dataset, thread_cpu_ns, RECORDS, SEED};
use tamga::eval::{evaluate_compiled, Compiled};

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.1} MiB", k as f64 / 1024.0)).unwrap_or_else(|| "?".into())
}

fn main() {
    let units: usize = std::env::var("TAMGA_BENCH_UNITS").ok().and_then(|s| s.parse().ok()).unwrap_or(RECORDS);
    let (rules, _) = methodology_dirs();
    let model = model_of(rules);
    let compiled = Compiled::new(&model);
    let start = Instant::now();
    let data = synthetic_dataset(&model, units, 0.01, SEED);
    let generated = start.elapsed();
    let before = rss_kib();
    let (start, cpu) = (Instant::now(), thread_cpu_ns());
    let outcome = evaluate_compiled(&compiled, &data);
    let (took, cpu) = (start.elapsed(), (thread_cpu_ns() - cpu) as f64 / 1e9);
    let after = rss_kib();
    let peak = peak_rss_kib();
    let values: usize =
        outcome.periods.iter().map(|p| p.columns.iter().map(tamga::model::Column::len).sum::<usize>()).sum();
    println!("{rules}: {units} units × {} slots in one period", model.slot_count());
    println!("  dataset generated in {generated:.2?}");
    println!("  evaluated in         {took:.2?} (CPU time {cpu:.2} s)");
    println!("  events               {}", outcome.events.len());
    println!("  values in the result {values} (8 bytes each: tamga::model::Column)");
    println!("  RSS before eval      {} (model, dataset)", mib(before));
    println!("  RSS after eval       {} (+ the outcome)", mib(after));
    println!("  peak RSS (VmHWM)     {}", mib(peak));
    drop(outcome);
}
