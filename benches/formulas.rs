//! (a) The 10-formula workload of the performance issue over 100,000 synthetic records:
//! tamga against native Rust, fasteval and evalexpr, side by side in one run.
//!
//! ```sh
//! cargo bench --bench formulas                      # everything, then tables of ratios
//! cargo bench --bench formulas -- workload/         # the whole workload only
//! cargo bench --bench formulas -- per_formula/      # each formula alone
//! ```
//!
//! Times are the benchmark thread's CPU time (`common::CpuTime`), not wall time. What is
//! measured, per record × formula (`Throughput::Elements` = records × formulas):
//!
//! - `native`: one plain Rust function per formula, a loop over `Vec<f64>` columns;
//! - `tamga_kernel`: the formulas as tamga compiles them (each indicator's `Ir` compiled by
//!   `tamga::eval::chunk::Kernel::new`, with its scalar closure `tamga::eval::compile::compile`
//!   for the units a kernel flags), run over tamga's `Column`s exactly as `eval` runs a formula
//!   step (`tamga::eval::chunk::column`, a chunk of 256 units per call), without events: apples to
//!   apples with `native` and the peers;
//! - `tamga_scalar`: the same formulas unit by unit through their scalar closures alone (what a
//!   formula without a kernel costs, and what every formula cost before the kernels);
//! - `tamga_evaluate`: the whole public pipeline, `evaluate_compiled` on a `Dataset` of 100,000
//!   submissions in one period (answers → columns, the formulas, events, the union summary);
//! - `fasteval`: each formula parsed and compiled once into its own slab, evaluated per record
//!   with a callback namespace (the library's documented fast path without `unsafe-vars`);
//! - `evalexpr` (11.3): each formula built once into an operator tree, evaluated per record
//!   against a `Context` that serves the record's values from a `Vec<Value>` (faster than a
//!   `HashMapContext` refilled per record, so the comparison favours evalexpr);
//! - `evalexpr_hashmap`: the same trees against a `HashMapContext` whose 38 variables are set
//!   per record (`set_value`), as evalexpr's documentation shows it.
//!
//! After criterion, when no filter is given, the whole workload runs again, 5 rounds with the
//! engines interleaved (each engine twice in a row, the second run timed), and a second table gives
//! the medians of those rounds: on a shared machine its ratios are the steadier ones.
//!
//! Every engine's results are compared with native Rust's before measuring: tamga's must be
//! identical bit for bit (native uses `libm::pow`, as tamga does), with and without kernels, the
//! peers' equal within 1e-9.

mod common;

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use common::{human, median_ns, thread_cpu_ns, CpuTime, Rng, RECORDS, SEED};
use criterion::{Criterion, Throughput};
use tamga::data::{Answer, Dataset, Submission};
use tamga::eval::chunk;
use tamga::eval::compile::{compile, Code};
use tamga::eval::{evaluate_compiled, Compiled};
use tamga::model::{Column, Ir, Model, Step, Val};

/// The number of formulas of the workload.
const FORMULAS: usize = 10;

/// The workload's variables, in column order: 20 numbers, two yes/no, 16 yes/no in a group.
fn variables() -> Vec<String> {
    let mut v: Vec<String> = (0..20).map(|k| format!("f{k}")).collect();
    v.push("q0".into());
    v.push("q1".into());
    v.extend((0..16).map(|k| format!("y{k:02}")));
    v
}

/// The column of a variable name (`f7` → 7, `q1` → 21, `y03` → 25).
#[inline]
fn var_index(name: &str) -> Option<usize> {
    let (head, num) = name.split_at(1);
    let k: usize = num.parse().ok()?;
    match head {
        "f" if k < 20 => Some(k),
        "q" if k < 2 => Some(20 + k),
        "y" if k < 16 => Some(22 + k),
        _ => None,
    }
}

/// The 10 formulas as a tamga methodology (top-level indicators: values, no scores).
fn methodology() -> String {
    let mut t = String::from("methodology bench_formulas { en \"Formula workload\" version \"1\" }\n\n");
    // ranges keep the unguarded denominators (f1, f15, f18) away from zero; f13 may be zero
    for k in 0..20 {
        let range = match k {
            1 | 15 | 18 => " in 1..",
            _ => "",
        };
        t += &format!("question f{k} : number{range} {{ en \"f{k}\" }}\n");
    }
    t += "question q0 : yesno { en \"q0\" }\nquestion q1 : yesno { en \"q1\" }\n\n";
    t += "group g {\n  en \"Sixteen yes/no elements\"\n";
    for k in 0..16 {
        t += &format!("  question y{k:02} : yesno {{ en \"y{k:02}\" }}\n");
    }
    t += "}\n\n";
    for (k, f) in TAMGA.iter().enumerate() {
        t += &format!("indicator i{k} = {f} {{ en \"i{k}\" }}\n");
    }
    t
}

/// The formulas in tamga.
const TAMGA: [&str; FORMULAS] = [
    "f0 / f1 * 100",
    "clamp((f2 - 10) / (90 - 10), 0, 1)",
    "0.3 * clamp((f3 - 20) / (80 - 20), 0, 1) + 0.25 * clamp((f4 - 0) / (100 - 0), 0, 1) \
     + 0.2 * clamp((f5 - 10) / (60 - 10), 0, 1) + 0.15 * clamp((f6 - 5) / (95 - 5), 0, 1) \
     + 0.1 * clamp((f7 - 90) / (10 - 90), 0, 1)",
    "(f8 * f9 * f10) ^ (1 / 3)",
    "share(g)",
    "if f11 < 24 then 1 else if f11 < 72 then 0.5 else 0",
    "if f13 > 0 then f12 / f13 else 0",
    "(f14 - f15) / f15 * 100",
    "clamp((f16 - 72) / (2 - 72), 0, 1)",
    "if q0 and not q1 then f17 / f18 else (f19 + f17) / 2",
];

/// The formulas in fasteval (no `if`: `&&` / `||` return the last operand evaluated, and every
/// guarded value is non-zero in this data; no `clamp`).
const FASTEVAL: [&str; FORMULAS] = [
    "f0 / f1 * 100",
    "min(max((f2 - 10) / (90 - 10), 0), 1)",
    "0.3 * min(max((f3 - 20) / (80 - 20), 0), 1) + 0.25 * min(max((f4 - 0) / (100 - 0), 0), 1) \
     + 0.2 * min(max((f5 - 10) / (60 - 10), 0), 1) + 0.15 * min(max((f6 - 5) / (95 - 5), 0), 1) \
     + 0.1 * min(max((f7 - 90) / (10 - 90), 0), 1)",
    "(f8 * f9 * f10) ^ (1 / 3)",
    "(y00 + y01 + y02 + y03 + y04 + y05 + y06 + y07 + y08 + y09 + y10 + y11 + y12 + y13 + y14 + y15) / 16 * 100",
    "(f11 < 24 && 1) || (f11 < 72 && 0.5) || 0",
    "(f13 > 0 && f12 / f13) || 0",
    "(f14 - f15) / f15 * 100",
    "min(max((f16 - 72) / (2 - 72), 0), 1)",
    "(q0 && !q1 && f17 / f18) || (f19 + f17) / 2",
];

/// The formulas in evalexpr (float literals: `1 / 3` is integer division there; `if` is a
/// function whose arguments are all evaluated).
const EVALEXPR: [&str; FORMULAS] = [
    "f0 / f1 * 100.0",
    "min(max((f2 - 10.0) / (90.0 - 10.0), 0.0), 1.0)",
    "0.3 * min(max((f3 - 20.0) / (80.0 - 20.0), 0.0), 1.0) + 0.25 * min(max((f4 - 0.0) / (100.0 - 0.0), 0.0), 1.0) \
     + 0.2 * min(max((f5 - 10.0) / (60.0 - 10.0), 0.0), 1.0) + 0.15 * min(max((f6 - 5.0) / (95.0 - 5.0), 0.0), 1.0) \
     + 0.1 * min(max((f7 - 90.0) / (10.0 - 90.0), 0.0), 1.0)",
    "(f8 * f9 * f10) ^ (1.0 / 3.0)",
    "(y00 + y01 + y02 + y03 + y04 + y05 + y06 + y07 + y08 + y09 + y10 + y11 + y12 + y13 + y14 + y15) / 16.0 * 100.0",
    "if(f11 < 24.0, 1.0, if(f11 < 72.0, 0.5, 0.0))",
    "if(f13 > 0.0, f12 / f13, 0.0)",
    "(f14 - f15) / f15 * 100.0",
    "min(max((f16 - 72.0) / (2.0 - 72.0), 0.0), 1.0)",
    "if(q0 && !q1, f17 / f18, (f19 + f17) / 2.0)",
];

// ───────────────────────────── data ─────────────────────────────

/// The synthetic records, column-major: `cols[variable][record]`.
struct Records {
    cols: Vec<Vec<f64>>,
}

fn records(n: usize) -> Records {
    let mut rng = Rng::new(SEED);
    let mut cols: Vec<Vec<f64>> = (0..38).map(|_| Vec::with_capacity(n)).collect();
    for _ in 0..n {
        let mut put = |k: usize, x: f64| cols[k].push(x);
        put(0, rng.range(0.0, 1000.0));
        put(1, rng.range(1.0, 1000.0));
        for k in 2..=7 {
            put(k, rng.range(0.0, 100.0));
        }
        for k in 8..=10 {
            put(k, rng.range(1.0, 100.0));
        }
        put(11, rng.range(0.0, 120.0));
        put(12, rng.range(0.0, 1000.0));
        put(13, rng.int(0, 9)); // zero one time in ten: the guard matters
        put(14, rng.range(1.0, 1000.0));
        put(15, rng.range(1.0, 1000.0));
        put(16, rng.range(0.0, 100.0));
        put(17, rng.range(1.0, 100.0));
        put(18, rng.range(1.0, 100.0));
        put(19, rng.range(0.0, 100.0));
        put(20, rng.yes(0.5));
        put(21, rng.yes(0.5));
        for k in 22..38 {
            put(k, rng.yes(0.6));
        }
    }
    Records { cols }
}

// ───────────────────────────── native Rust ─────────────────────────────

/// `clamp(x, 0, 1)` as tamga computes it (`max` then `min`), for bit-identical results.
#[inline]
#[allow(clippy::manual_clamp)]
fn clamp01(x: f64) -> f64 {
    x.max(0.0).min(1.0)
}

fn n0(c: &[Vec<f64>], out: &mut [f64]) {
    let (f0, f1) = (&c[0], &c[1]);
    for i in 0..out.len() {
        out[i] = f0[i] / f1[i] * 100.0;
    }
}

fn n1(c: &[Vec<f64>], out: &mut [f64]) {
    let f2 = &c[2];
    for i in 0..out.len() {
        out[i] = clamp01((f2[i] - 10.0) / (90.0 - 10.0));
    }
}

fn n2(c: &[Vec<f64>], out: &mut [f64]) {
    let (f3, f4, f5, f6, f7) = (&c[3], &c[4], &c[5], &c[6], &c[7]);
    for i in 0..out.len() {
        out[i] = 0.3 * clamp01((f3[i] - 20.0) / (80.0 - 20.0))
            + 0.25 * clamp01((f4[i] - 0.0) / (100.0 - 0.0))
            + 0.2 * clamp01((f5[i] - 10.0) / (60.0 - 10.0))
            + 0.15 * clamp01((f6[i] - 5.0) / (95.0 - 5.0))
            + 0.1 * clamp01((f7[i] - 90.0) / (10.0 - 90.0));
    }
}

fn n3(c: &[Vec<f64>], out: &mut [f64]) {
    let (f8, f9, f10) = (&c[8], &c[9], &c[10]);
    for i in 0..out.len() {
        out[i] = libm::pow(f8[i] * f9[i] * f10[i], 1.0 / 3.0);
    }
}

fn n4(c: &[Vec<f64>], out: &mut [f64]) {
    let y = &c[22..38];
    for i in 0..out.len() {
        let mut yes = 0.0;
        for col in y {
            yes += col[i];
        }
        out[i] = yes / 16.0 * 100.0;
    }
}

fn n5(c: &[Vec<f64>], out: &mut [f64]) {
    let f11 = &c[11];
    for i in 0..out.len() {
        out[i] = if f11[i] < 24.0 {
            1.0
        } else if f11[i] < 72.0 {
            0.5
        } else {
            0.0
        };
    }
}

fn n6(c: &[Vec<f64>], out: &mut [f64]) {
    let (f12, f13) = (&c[12], &c[13]);
    for i in 0..out.len() {
        out[i] = if f13[i] > 0.0 { f12[i] / f13[i] } else { 0.0 };
    }
}

fn n7(c: &[Vec<f64>], out: &mut [f64]) {
    let (f14, f15) = (&c[14], &c[15]);
    for i in 0..out.len() {
        out[i] = (f14[i] - f15[i]) / f15[i] * 100.0;
    }
}

fn n8(c: &[Vec<f64>], out: &mut [f64]) {
    let f16 = &c[16];
    for i in 0..out.len() {
        out[i] = clamp01((f16[i] - 72.0) / (2.0 - 72.0));
    }
}

fn n9(c: &[Vec<f64>], out: &mut [f64]) {
    let (f17, f18, f19, q0, q1) = (&c[17], &c[18], &c[19], &c[20], &c[21]);
    for i in 0..out.len() {
        out[i] = if q0[i] != 0.0 && q1[i] == 0.0 { f17[i] / f18[i] } else { (f19[i] + f17[i]) / 2.0 };
    }
}

type Native = fn(&[Vec<f64>], &mut [f64]);
const NATIVE: [Native; FORMULAS] = [n0, n1, n2, n3, n4, n5, n6, n7, n8, n9];

// ───────────────────────────── tamga ─────────────────────────────

/// The workload's model, checked from text.
fn model() -> Model {
    let text = methodology();
    match tamga::check::check_text("formulas.tamga", &text).methodology() {
        Ok((m, _warnings)) => m.model,
        Err((sources, diags)) => {
            let style = tamga::diagnostics::Style { color: false, width: 100 };
            panic!("the workload does not check:\n{}", tamga::diagnostics::render(&diags, &sources, style))
        }
    }
}

/// The formulas compiled one by one, with the columns they read and write: `eval`'s formula step
/// without its events (`chunked`: with the formulas' kernels, else unit by unit).
struct Kernel {
    steps: Vec<(usize, Code, Option<chunk::Kernel>)>,
    cols: Vec<Column>,
    n: usize,
}

impl Kernel {
    fn new(model: &Model, r: &Records, chunked: bool) -> Self {
        let names = variables();
        let n = r.cols[0].len();
        let mut cols: Vec<Column> = vec![Column::default(); model.slot_count()];
        for (k, name) in names.iter().enumerate() {
            let slot = model.questions[name.as_str()].slot.0 as usize;
            cols[slot] = r.cols[k].iter().map(|x| Ok(*x)).collect();
        }
        let mode = model.header.rounding;
        let steps = indicator_irs(model)
            .into_iter()
            .map(|(slot, ir)| {
                let kernel =
                    chunked.then(|| chunk::Kernel::new(ir, mode).expect("every workload formula has a kernel"));
                (slot, compile(ir, mode), kernel)
            })
            .collect();
        Kernel { steps, cols, n }
    }

    /// One formula over every record, into its column.
    #[inline]
    fn run_one(&mut self, k: usize) {
        let (slot, code, kernel) = &self.steps[k];
        let col = chunk::column(kernel.as_ref(), code, &self.cols, self.n);
        self.cols[*slot] = col;
    }

    fn run(&mut self) {
        for k in 0..self.steps.len() {
            self.run_one(k);
        }
    }

    fn result(&self, k: usize) -> Vec<Val> {
        self.cols[self.steps[k].0].to_vals()
    }
}

/// The indicators' formula steps, in indicator order: (value slot, formula).
fn indicator_irs(model: &Model) -> Vec<(usize, &Ir)> {
    model
        .indicators
        .values()
        .map(|ind| {
            model
                .plan
                .iter()
                .find_map(|s| match s {
                    Step::Formula { slot, ir } if *slot == ind.value => Some((slot.0 as usize, ir)),
                    _ => None,
                })
                .expect("every indicator has a formula step")
        })
        .collect()
}

/// The records as 100,000 submissions of one period.
fn dataset(model: &Model, r: &Records) -> Dataset {
    let n = r.cols[0].len();
    let order: Vec<usize> = model.questions.keys().map(|id| var_index(id).expect("a workload variable")).collect();
    Dataset {
        submissions: (0..n)
            .map(|i| Submission {
                unit: common::unit_code(i),
                period: "2023".into(),
                name: Default::default(),
                groups: Default::default(),
                note: None,
                file: "synthetic".into(),
                sha256: String::new(),
                answers: order.iter().map(|k| Some(Answer::Number(r.cols[*k][i]))).collect(),
            })
            .collect(),
    }
}

// ───────────────────────────── peers ─────────────────────────────

struct Fasteval {
    exprs: Vec<(fasteval::Slab, fasteval::Instruction)>,
}

impl Fasteval {
    fn new() -> Self {
        use fasteval::Compiler;
        let parser = fasteval::Parser::new();
        let exprs = FASTEVAL
            .iter()
            .map(|f| {
                let mut slab = fasteval::Slab::new();
                let compiled = parser
                    .parse(f, &mut slab.ps)
                    .expect("fasteval parses")
                    .from(&slab.ps)
                    .compile(&slab.ps, &mut slab.cs);
                (slab, compiled)
            })
            .collect();
        Fasteval { exprs }
    }

    /// Formula `k` for record `i`.
    #[inline]
    fn eval(&self, k: usize, r: &Records, i: usize) -> f64 {
        use fasteval::Evaler;
        let (slab, compiled) = &self.exprs[k];
        let mut ns = |name: &str, _args: Vec<f64>| var_index(name).map(|v| r.cols[v][i]);
        compiled.eval(slab, &mut ns).expect("fasteval evaluates")
    }

    fn run(&self, r: &Records, out: &mut [Vec<f64>]) {
        let n = r.cols[0].len();
        for i in 0..n {
            for (k, o) in out.iter_mut().enumerate() {
                o[i] = self.eval(k, r, i);
            }
        }
    }

    fn run_one(&self, k: usize, r: &Records, out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.eval(k, r, i);
        }
    }
}

/// One record's values, served to evalexpr by name.
struct Row {
    values: Vec<evalexpr::Value>,
}

impl evalexpr::Context for Row {
    #[inline]
    fn get_value(&self, identifier: &str) -> Option<&evalexpr::Value> {
        var_index(identifier).map(|k| &self.values[k])
    }

    fn call_function(
        &self,
        identifier: &str,
        _argument: &evalexpr::Value,
    ) -> evalexpr::EvalexprResult<evalexpr::Value> {
        Err(evalexpr::EvalexprError::FunctionIdentifierNotFound(identifier.to_string()))
    }

    fn are_builtin_functions_disabled(&self) -> bool {
        false
    }

    fn set_builtin_functions_disabled(&mut self, _disabled: bool) -> evalexpr::EvalexprResult<()> {
        Ok(())
    }
}

struct Evalexpr {
    trees: Vec<evalexpr::Node>,
}

impl Evalexpr {
    fn new() -> Self {
        Evalexpr {
            trees: EVALEXPR.iter().map(|f| evalexpr::build_operator_tree(f).expect("evalexpr parses")).collect(),
        }
    }

    fn run(&self, r: &Records, out: &mut [Vec<f64>]) {
        use evalexpr::Value;
        let n = r.cols[0].len();
        let mut row = Row { values: vec![Value::Float(0.0); 38] };
        for i in 0..n {
            for (k, v) in row.values.iter_mut().enumerate() {
                let x = r.cols[k][i];
                *v = if k == 20 || k == 21 { Value::Boolean(x != 0.0) } else { Value::Float(x) };
            }
            for (tree, o) in self.trees.iter().zip(out.iter_mut()) {
                o[i] = tree.eval_number_with_context(&row).expect("evalexpr evaluates");
            }
        }
    }
}

/// evalexpr as its README shows it: a `HashMapContext` whose variables are set per record.
struct EvalexprHashMap {
    trees: Vec<evalexpr::Node>,
    names: Vec<String>,
}

impl EvalexprHashMap {
    fn new() -> Self {
        EvalexprHashMap { trees: Evalexpr::new().trees, names: variables() }
    }

    fn run(&self, r: &Records, out: &mut [Vec<f64>]) {
        use evalexpr::{ContextWithMutableVariables, HashMapContext, Value};
        let n = r.cols[0].len();
        let mut ctx = HashMapContext::new();
        for i in 0..n {
            for (k, name) in self.names.iter().enumerate() {
                let x = r.cols[k][i];
                let v = if k == 20 || k == 21 { Value::Boolean(x != 0.0) } else { Value::Float(x) };
                ctx.set_value(name.clone(), v).expect("a variable");
            }
            for (tree, o) in self.trees.iter().zip(out.iter_mut()) {
                o[i] = tree.eval_number_with_context(&ctx).expect("evalexpr evaluates");
            }
        }
    }
}

// ───────────────────────────── checks ─────────────────────────────

fn native_all(r: &Records, out: &mut [Vec<f64>]) {
    for (f, o) in NATIVE.iter().zip(out.iter_mut()) {
        f(&r.cols, o);
    }
}

/// Every engine computes what native Rust computes (tamga bit for bit, the peers within 1e-9).
fn verify(model: &Model, r: &Records) {
    let n = r.cols[0].len();
    let mut native = vec![vec![0.0; n]; FORMULAS];
    native_all(r, &mut native);
    let mut kernel = Kernel::new(model, r, true);
    kernel.run();
    let mut scalar = Kernel::new(model, r, false);
    scalar.run();
    for k in 0..FORMULAS {
        let (chunked, unit_by_unit) = (kernel.result(k), scalar.result(k));
        for (i, v) in chunked.iter().enumerate() {
            let bits = v.map(f64::to_bits);
            assert_eq!(bits, Ok(native[k][i].to_bits()), "tamga formula {k} record {i}: `{}`", TAMGA[k]);
            assert_eq!(bits, unit_by_unit[i].map(f64::to_bits), "tamga_scalar formula {k} record {i}");
        }
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    let mut peer = vec![vec![0.0; n]; FORMULAS];
    Fasteval::new().run(r, &mut peer);
    for k in 0..FORMULAS {
        for i in 0..n {
            assert!(close(peer[k][i], native[k][i]), "fasteval formula {k} record {i}: `{}`", FASTEVAL[k]);
        }
    }
    let m = n.min(10_000);
    let short = Records { cols: r.cols.iter().map(|c| c[..m].to_vec()).collect() };
    let mut peer = vec![vec![0.0; m]; FORMULAS];
    Evalexpr::new().run(&short, &mut peer);
    let mut peer2 = vec![vec![0.0; m]; FORMULAS];
    EvalexprHashMap::new().run(&short, &mut peer2);
    for k in 0..FORMULAS {
        for i in 0..m {
            assert!(close(peer[k][i], native[k][i]), "evalexpr formula {k} record {i}: `{}`", EVALEXPR[k]);
            assert_eq!(peer2[k][i], peer[k][i], "evalexpr (HashMapContext) formula {k} record {i}");
        }
    }
}

// ───────────────────────────── benchmarks ─────────────────────────────

const GROUP: &str = "workload";
const ENGINES: [&str; 7] =
    ["native", "tamga_kernel", "tamga_scalar", "tamga_evaluate", "fasteval", "evalexpr", "evalexpr_hashmap"];

fn workload(c: &mut Criterion<CpuTime>, model: &Model, r: &Records) {
    let n = r.cols[0].len();
    let mut g = c.benchmark_group(GROUP);
    g.throughput(Throughput::Elements((n * FORMULAS) as u64));
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));

    let mut out = vec![vec![0.0; n]; FORMULAS];
    g.bench_function("native", |b| {
        b.iter(|| {
            native_all(black_box(r), &mut out);
            black_box(&out);
        })
    });

    let mut kernel = Kernel::new(model, r, true);
    g.bench_function("tamga_kernel", |b| {
        b.iter(|| {
            kernel.run();
            black_box(&kernel.cols);
        })
    });
    drop(kernel);

    let mut scalar = Kernel::new(model, r, false);
    g.bench_function("tamga_scalar", |b| {
        b.iter(|| {
            scalar.run();
            black_box(&scalar.cols);
        })
    });
    drop(scalar);

    let compiled = Compiled::new(model);
    let data = dataset(model, r);
    g.bench_function("tamga_evaluate", |b| b.iter(|| black_box(evaluate_compiled(&compiled, black_box(&data)))));
    drop(data);

    let fe = Fasteval::new();
    g.bench_function("fasteval", |b| {
        b.iter(|| {
            fe.run(black_box(r), &mut out);
            black_box(&out);
        })
    });

    let ee = Evalexpr::new();
    g.bench_function("evalexpr", |b| {
        b.iter(|| {
            ee.run(black_box(r), &mut out);
            black_box(&out);
        })
    });

    let eh = EvalexprHashMap::new();
    g.bench_function("evalexpr_hashmap", |b| {
        b.iter(|| {
            eh.run(black_box(r), &mut out);
            black_box(&out);
        })
    });
    g.finish();
}

fn per_formula(c: &mut Criterion<CpuTime>, model: &Model, r: &Records) {
    let n = r.cols[0].len();
    let mut kernel = Kernel::new(model, r, true);
    let mut scalar = Kernel::new(model, r, false);
    let fe = Fasteval::new();
    let mut out = vec![0.0; n];
    for (k, native) in NATIVE.iter().enumerate() {
        let mut g = c.benchmark_group(format!("per_formula/f{k}"));
        g.throughput(Throughput::Elements(n as u64));
        g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
        g.bench_function("native", |b| {
            b.iter(|| {
                native(black_box(&r.cols), &mut out);
                black_box(&out);
            })
        });
        g.bench_function("tamga_kernel", |b| {
            b.iter(|| {
                kernel.run_one(k);
                black_box(&kernel.cols);
            })
        });
        g.bench_function("tamga_scalar", |b| {
            b.iter(|| {
                scalar.run_one(k);
                black_box(&scalar.cols);
            })
        });
        g.bench_function("fasteval", |b| {
            b.iter(|| {
                fe.run_one(k, black_box(r), &mut out);
                black_box(&out);
            })
        });
        g.finish();
    }
}

/// The table of this run: CPU ns per record × formula, and the ratios.
fn report(since: SystemTime, n: usize) {
    let per = |group: &str, id: &str, evals: usize| median_ns(group, id, since).map(|ns| ns / evals as f64);
    let whole: Vec<Option<f64>> = ENGINES.iter().map(|e| per(GROUP, e, n * FORMULAS)).collect();
    let native = whole[0];
    let kernel = whole[1];
    let scalar = whole[2];
    if whole.iter().any(Option::is_some) {
        println!("\n{n} records × {FORMULAS} formulas (medians of this run, thread CPU time)\n");
        println!("| engine | per iteration | ns / formula | × native | × tamga_kernel | × tamga_scalar |");
        println!("| --- | ---: | ---: | ---: | ---: | ---: |");
        let times = |v: f64, base: Option<f64>| base.map(|x| format!("{:.1}×", v / x)).unwrap_or_default();
        for (e, v) in ENGINES.iter().zip(&whole) {
            let Some(v) = v else { continue };
            println!(
                "| {e} | {} | {v:.2} | {} | {} | {} |",
                human(v * (n * FORMULAS) as f64),
                times(*v, native),
                times(*v, kernel),
                times(*v, scalar)
            );
        }
    }
    let rows: Vec<_> = (0..FORMULAS)
        .filter_map(|k| {
            let g = format!("per_formula_f{k}"); // criterion writes `a/b` groups to `a_b`
            let nat = per(&g, "native", n)?;
            Some((k, nat, per(&g, "tamga_kernel", n), per(&g, "tamga_scalar", n), per(&g, "fasteval", n)))
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    println!("\nper formula, ns / record (× native)\n");
    println!("| formula | native | tamga_kernel | tamga_scalar | fasteval |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let cell = |v: Option<f64>, nat: f64| v.map(|v| format!("{v:.2} ({:.1}×)", v / nat)).unwrap_or_default();
    for (k, nat, t, p, f) in rows {
        println!("| f{k} `{}` | {nat:.2} | {} | {} | {} |", TAMGA[k], cell(t, nat), cell(p, nat), cell(f, nat));
    }
}

/// The whole workload per engine per round, engines interleaved (each round in a rotated order,
/// each engine run twice and the second run timed): on a shared machine, load that comes and goes then slows every engine alike, so the
/// ratios of these medians are steadier than those of criterion's one-engine-after-another runs.
fn interleaved(model: &Model, r: &Records, rounds: usize) {
    let n = r.cols[0].len();
    let mut out = vec![vec![0.0; n]; FORMULAS];
    let mut kernel = Kernel::new(model, r, true);
    let mut scalar = Kernel::new(model, r, false);
    let compiled = Compiled::new(model);
    let data = dataset(model, r);
    let (fe, ee, eh) = (Fasteval::new(), Evalexpr::new(), EvalexprHashMap::new());
    let mut times: Vec<Vec<f64>> = vec![vec![]; ENGINES.len()];
    for round in 0..rounds {
        for j in 0..ENGINES.len() {
            let e = (j + round) % ENGINES.len();
            // twice: the first run brings the engine's data into the caches, the second is timed
            let mut start = thread_cpu_ns();
            for _ in 0..2 {
                start = thread_cpu_ns();
                match ENGINES[e] {
                    "native" => native_all(black_box(r), &mut out),
                    "tamga_kernel" => kernel.run(),
                    "tamga_evaluate" => drop(black_box(evaluate_compiled(&compiled, black_box(&data)))),
                    "tamga_scalar" => scalar.run(),
                    "fasteval" => fe.run(black_box(r), &mut out),
                    "evalexpr" => ee.run(black_box(r), &mut out),
                    "evalexpr_hashmap" => eh.run(black_box(r), &mut out),
                    other => unreachable!("{other}"),
                }
                black_box((&out, &kernel.cols, &scalar.cols));
            }
            times[e].push((thread_cpu_ns() - start) as f64 / (n * FORMULAS) as f64);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let med: Vec<f64> = times.iter_mut().map(median).collect();
    let (native, kernel, unit_by_unit) = (med[0], med[1], med[2]);
    println!("\ninterleaved: {rounds} rounds, engines alternating; median CPU ns / formula\n");
    println!("| engine | ns / formula | × native | × tamga_kernel | × tamga_scalar |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (e, v) in ENGINES.iter().zip(&med) {
        println!("| {e} | {v:.2} | {:.1}× | {:.1}× | {:.1}× |", v / native, v / kernel, v / unit_by_unit);
    }
}

fn main() {
    let since = SystemTime::now();
    let model = model();
    let r = records(RECORDS);
    verify(&model, &r);
    // a filter (`cargo bench --bench formulas -- per_formula/`) runs only what it names
    let filtered = std::env::args().skip(1).any(|a| !a.starts_with('-'));
    let mut c = common::criterion();
    workload(&mut c, &model, &r);
    per_formula(&mut c, &model, &r);
    c.final_summary();
    report(since, RECORDS);
    if !filtered {
        interleaved(&model, &r, 5);
    }
}
