//! Shared by the benchmarks: a deterministic generator, synthetic datasets, the methodology used
//! for (b)–(e), and a table of ratios read back from criterion's estimates.
//!
//! Every bench target includes this file with `mod common;`; each uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tamga::data::{Answer, Dataset, Submission};
use tamga::model::{Model, QuestionType, Reason};

/// SplitMix64: a tiny deterministic generator (no `rand` dependency, same numbers everywhere).
pub struct Rng(u64);

impl Rng {
    /// A generator with a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A whole number in [lo, hi].
    pub fn int(&mut self, lo: i64, hi: i64) -> f64 {
        (lo + (self.next_u64() % (hi - lo + 1) as u64) as i64) as f64
    }

    /// yes (1) with probability `p`, else no (0).
    pub fn yes(&mut self, p: f64) -> f64 {
        if self.unit() < p {
            1.0
        } else {
            0.0
        }
    }
}

/// The seed of every synthetic dataset.
pub const SEED: u64 = 0x0007_A36A_2023;

/// The number of records of the formula workload and of synthetic units of the methodology.
pub const RECORDS: usize = 100_000;

/// The unit code of the `i`-th synthetic unit: customs posts × months (`P00042-07`).
pub fn unit_code(i: usize) -> String {
    format!("P{:05}-{:02}", i / 12, i % 12 + 1)
}

/// A synthetic answer to a question, within its type and range.
fn answer(ty: &QuestionType, range: &tamga::model::NumRange, rng: &mut Rng) -> f64 {
    // a typical span for the open end of a range
    let span = match ty {
        QuestionType::Hours => 200.0,
        QuestionType::Count => 10_000.0,
        QuestionType::Money => 10_000_000.0,
        QuestionType::Percent => 100.0,
        _ => 1_000.0,
    };
    let lo = range.lo.map(|b| b.value).unwrap_or(0.0);
    let hi = range.hi.map(|b| b.value).unwrap_or(match ty {
        QuestionType::Percent => 100.0,
        _ => lo + span,
    });
    for _ in 0..100 {
        let x = match ty {
            QuestionType::YesNo => rng.yes(0.6),
            QuestionType::Choice(options) => rng.int(0, options.len() as i64 - 1),
            QuestionType::Count => rng.int(lo.ceil() as i64, hi.floor() as i64),
            _ => rng.range(lo, hi),
        };
        if matches!(ty, QuestionType::YesNo | QuestionType::Choice(_)) || range.contains(x) {
            return x;
        }
    }
    // a range so narrow that 100 draws missed it (`0<..1` for a count): its middle
    (lo + hi) / 2.0
}

/// `n` synthetic submissions to `model` in one period, answers within each question's type and
/// range; `missing` is the share of answers left out (`not_submitted`) at random.
pub fn synthetic_dataset(model: &Model, n: usize, missing: f64, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let questions: Vec<_> = model.questions.values().collect();
    let submissions = (0..n)
        .map(|i| Submission {
            unit: unit_code(i),
            period: "2023".into(),
            name: Default::default(),
            groups: Default::default(),
            note: None,
            file: "synthetic".into(),
            sha256: String::new(),
            answers: questions
                .iter()
                .map(|q| {
                    if missing > 0.0 && rng.unit() < missing {
                        Some(Answer::Missing(Reason::NotSubmitted))
                    } else {
                        Some(Answer::Number(answer(&q.ty, &q.range, &mut rng)))
                    }
                })
                .collect(),
        })
        .collect();
    Dataset { submissions }
}

/// The methodology of (b)–(e): `rules/eaeu` when it checks without errors, else `rules/demo`.
/// Returns the folder and the folder of its sample submissions.
pub fn methodology_dirs() -> (&'static str, &'static str) {
    let eaeu = tamga::check::check(Path::new("rules/eaeu"));
    if eaeu.model.is_some() {
        ("rules/eaeu", "examples/eaeu")
    } else {
        eprintln!("note: rules/eaeu does not check; benchmarking rules/demo instead");
        ("rules/demo", "examples/demo")
    }
}

/// Checks a methodology folder and returns its model (panics on errors: a benchmark has nothing
/// to measure then).
pub fn model_of(dir: &str) -> Model {
    match tamga::check::check(Path::new(dir)).methodology() {
        Ok((m, _)) => m.model,
        Err(_) => panic!("{dir} does not check: run `cargo run -- check {dir}`"),
    }
}

/// The sample submissions of a folder.
pub fn sample_dataset(model: &Model, dir: &str) -> Dataset {
    let mut sources = tamga::source::SourceMap::new();
    let (data, _diags) = tamga::data::load(model, &[PathBuf::from(dir)], &mut sources);
    data
}

/// The peak resident set size of this process so far (`VmHWM` of `/proc/self/status`), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The current resident set size (`VmRSS`), in KiB.
pub fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The CPU time this thread has run, in ns: the first field of `/proc/thread-self/schedstat`
/// (the scheduler's `sum_exec_runtime`, user and kernel time, at nanosecond resolution).
pub fn thread_cpu_ns() -> u64 {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").expect("/proc/thread-self/schedstat (Linux)");
    text.split_whitespace().next().and_then(|t| t.parse().ok()).expect("a number of nanoseconds")
}

/// A criterion measurement of the benchmark thread's CPU time instead of wall time.
///
/// The benchmarks are single-threaded, so on an idle machine the two agree; on a shared one
/// (this project's 2-core machines run other builds and tests) time spent waiting for a core is
/// left out, and medians stop depending on what else runs. Cache and memory-bandwidth
/// contention still count.
pub struct CpuTime;

impl criterion::measurement::Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }

    fn add(&self, v1: &u64, v2: &u64) -> u64 {
        v1 + v2
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn criterion::measurement::ValueFormatter {
        // nanoseconds, as wall time's: the same formatter
        static WALL: criterion::measurement::WallTime = criterion::measurement::WallTime;
        criterion::measurement::Measurement::formatter(&WALL)
    }
}

/// Criterion configured for these benchmarks: thread CPU time, no plots.
pub fn criterion() -> criterion::Criterion<CpuTime> {
    criterion::Criterion::default().with_measurement(CpuTime).without_plots().configure_from_args()
}

/// Where criterion writes its estimates (as criterion itself decides, without `cargo metadata`).
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("criterion"),
        None => PathBuf::from("target/criterion"),
    }
}

/// The median (ns per iteration) that criterion estimated for `group/id` in this run (an estimate
/// written before `since` is an old run's and is ignored).
pub fn median_ns(group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_home().join(group).join(id).join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// Formats nanoseconds with a sensible unit.
pub fn human(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.2} ns")
    }
}
