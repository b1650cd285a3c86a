//! Column-at-a-time kernels (`tamga::eval::chunk`) compute exactly what the scalar closures of
//! `tamga::eval::compile` compute: the same bits for every value, the same reason and origin for
//! every miss, at every chunk boundary, on generated formulas over generated columns with misses
//! of every reason, on the edge cases by name, and on every formula of the EAEU methodology.

use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::Path;
use tamga::check::check_text;
use tamga::eval::chunk::{column, Kernel, CHUNK};
use tamga::eval::compile::compile;
use tamga::eval::{evaluate, EventKind};
use tamga::model::{ArithOp, Bound, CmpOp, Column, Func, Ir, Miss, NumRange, Reason, Slot, Step, Val};
use tamga::number::Rounding;

/// The unit counts around the chunk size that every case runs at.
const SIZES: [usize; 6] = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 1000];

/// The scalar closure's column: the reference.
fn reference(ir: &Ir, mode: Rounding, cols: &[Column], n: usize) -> Column {
    let code = compile(ir, mode);
    (0..n).map(|u| code(cols, u)).collect()
}

/// Asserts that the kernel of `ir` (or the scalar path when it has none) gives the reference
/// column bit for bit; returns whether `ir` has a kernel.
fn same(ir: &Ir, mode: Rounding, cols: &[Column], n: usize) -> bool {
    let expected = reference(ir, mode, cols, n);
    let kernel = Kernel::new(ir, mode);
    let code = compile(ir, mode);
    let got = column(kernel.as_ref(), &code, cols, n);
    assert_eq!(got.len(), n);
    for u in 0..n {
        let (g, e) = (got.raw()[u], expected.raw()[u]);
        assert!(
            g.to_bits() == e.to_bits(),
            "unit {u} of {n}: kernel {:?} ({g:e}, {:#x}), scalar {:?} ({e:e}, {:#x})\nformula {ir:?}",
            got.get(u),
            g.to_bits(),
            expected.get(u),
            e.to_bits(),
        );
    }
    kernel.is_some()
}

fn miss(reason: Reason, origin: u32) -> Val {
    Err(Miss { reason, origin })
}

fn c(x: f64) -> Box<Ir> {
    Box::new(Ir::Const(x))
}

fn s(k: u32) -> Box<Ir> {
    Box::new(Ir::Slot(Slot(k)))
}

fn arith(op: ArithOp, l: Box<Ir>, r: Box<Ir>, o: u32) -> Box<Ir> {
    Box::new(Ir::Arith(op, l, r, o))
}

fn call(f: Func, args: Vec<Ir>, o: u32) -> Box<Ir> {
    Box::new(Ir::Call(f, args, o))
}

fn range(lo: Option<(f64, bool)>, hi: Option<(f64, bool)>) -> NumRange {
    let b = |(value, inclusive)| Bound { value, inclusive };
    NumRange { lo: lo.map(b), hi: hi.map(b) }
}

// ───────────── generated columns ─────────────

/// A value of a column: numbers that make every edge case happen (zero for divisions and `0 ^
/// negative`, huge ones for overflow, tiny negative ones for −0 after a product, negative ones for
/// `ln` and `sqrt`, whole numbers for `match`, yes/no) and misses of every reason.
fn value() -> impl Strategy<Value = Val> {
    prop_oneof![
        4 => prop_oneof![
            Just(0.0),
            Just(1.0),
            Just(-1.0),
            Just(2.0),
            Just(0.5),
            Just(1e300),
            Just(-1e300),
            Just(1e-300),
            Just(-1e-300),
            Just(5e-324),
            Just(f64::MAX),
            (0u32..6).prop_map(f64::from),
            (-100.0f64..100.0),
            (-1e6f64..1e6),
        ]
        .prop_map(Ok),
        1 => (0..Reason::ALL.len(), 0u32..1000).prop_map(|(r, o)| miss(Reason::ALL[r], o)),
    ]
}

/// The number of slots of the generated formulas.
const SLOTS: u32 = 5;

/// `SLOTS` columns of `n` values drawn from a pool (so that every size sees every kind of value);
/// sometimes one of them is shorter than `n` (a slot not computed: not assessable).
fn columns() -> impl Strategy<Value = (Vec<Column>, usize)> {
    (
        prop::collection::vec(prop::collection::vec(value(), 1..40), SLOTS as usize),
        prop::sample::select(SIZES.to_vec()),
        prop::option::weighted(0.1, (0..SLOTS as usize, 0usize..300)),
    )
        .prop_map(|(pools, n, short)| {
            let mut cols: Vec<Column> =
                pools.iter().map(|pool| (0..n).map(|u| pool[(u * 7 + u / 3) % pool.len()]).collect()).collect();
            if let Some((k, len)) = short {
                cols[k] = cols[k].iter().take(len.min(n)).collect();
            }
            (cols, n)
        })
}

// ───────────── generated formulas ─────────────

fn constant() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(1.0),
        Just(-1.0),
        Just(2.0),
        Just(3.0),
        Just(0.5),
        Just(1.0 / 3.0),
        Just(100.0),
        Just(1e300),
        Just(-2.5),
        (-10.0f64..10.0),
    ]
}

fn reason() -> impl Strategy<Value = Reason> {
    (0..Reason::ALL.len()).prop_map(|k| Reason::ALL[k])
}

fn num_range() -> impl Strategy<Value = NumRange> {
    let bound = || prop::option::of((constant(), any::<bool>()));
    (bound(), bound()).prop_map(|(lo, hi)| range(lo, hi))
}

/// Formulas of every node and function (mostly with the right number of arguments), nested.
fn formula() -> impl Strategy<Value = Ir> {
    let leaf = prop_oneof![
        3 => constant().prop_map(Ir::Const),
        4 => (0..SLOTS).prop_map(|k| Ir::Slot(Slot(k))),
        1 => ((0..SLOTS), 0u32..3).prop_map(|(k, p)| Ir::Rounded(Slot(k), p)),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        let arith_op = prop::sample::select(vec![ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div, ArithOp::Pow]);
        let cmp_op =
            prop::sample::select(vec![CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq, CmpOp::Ne]);
        let func = prop::sample::select(vec![
            Func::Min,
            Func::Max,
            Func::Clamp,
            Func::Abs,
            Func::Round,
            Func::RoundHalfEven,
            Func::Ln,
            Func::Exp,
            Func::Sqrt,
            Func::Pow,
            Func::Sum,
            Func::Mean,
            Func::Count,
            Func::Share,
            Func::Answered,
            Func::Missing(Reason::NotApplicable),
        ]);
        let b = |s: BoxedStrategy<Ir>| s.prop_map(Box::new);
        let i = inner.clone().boxed();
        prop_oneof![
            4 => (arith_op, b(i.clone()), b(i.clone()), 0u32..50).prop_map(|(op, l, r, o)| Ir::Arith(op, l, r, o)),
            2 => (cmp_op, b(i.clone()), b(i.clone())).prop_map(|(op, l, r)| Ir::Cmp(op, l, r)),
            1 => b(i.clone()).prop_map(Ir::Neg),
            1 => b(i.clone()).prop_map(Ir::Not),
            1 => (b(i.clone()), 0u32..3).prop_map(|(a, p)| Ir::RoundExpr(a, p)),
            1 => (b(i.clone()), b(i.clone())).prop_map(|(l, r)| Ir::And(l, r)),
            1 => (b(i.clone()), b(i.clone())).prop_map(|(l, r)| Ir::Or(l, r)),
            1 => (b(i.clone()), b(i.clone())).prop_map(|(l, r)| Ir::Coalesce(l, r)),
            1 => (b(i.clone()), prop::option::of(reason())).prop_map(|(a, r)| Ir::IsMissing(a, r)),
            1 => b(i.clone()).prop_map(Ir::MissingReason),
            2 => (b(i.clone()), b(i.clone()), b(i.clone())).prop_map(|(k, t, f)| Ir::If(k, t, f)),
            3 => (func, prop::collection::vec(i.clone(), 0..5), 50u32..60).prop_map(|(f, mut args, o)| {
                // mostly the right number of arguments
                let arity = match f {
                    Func::Clamp => Some(3),
                    Func::Round | Func::RoundHalfEven | Func::Pow => Some(2),
                    Func::Abs | Func::Ln | Func::Exp | Func::Sqrt => Some(1),
                    Func::Missing(_) => Some(0),
                    _ => None,
                };
                if let Some(k) = arity {
                    if args.len() != k && args.len() % 4 != 3 {
                        args.resize(k, Ir::Slot(Slot(0)));
                    }
                }
                Ir::Call(f, args, o)
            }),
            1 => (b(i.clone()), prop::collection::vec((num_range(), i.clone()), 1..4), prop::option::of(b(i.clone())), 60u32..70)
                .prop_map(|(x, arms, e, o)| Ir::Bands(x, arms, e, o)),
            1 => (b(i.clone()), prop::collection::vec((prop::collection::vec(0u32..5, 1..3), i.clone()), 1..4), prop::option::of(b(i)), 70u32..80)
                .prop_map(|(x, arms, e, o)| Ir::Match(x, arms, e, o)),
        ]
    })
}

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

proptest! {
    #![proptest_config(config(400))]

    /// Any formula over any columns: the kernel's column is the scalar closures' column, bit for
    /// bit, misses with their reasons and origins.
    #[test]
    fn kernels_compute_the_scalar_bits(ir in formula(), (cols, n) in columns(), half_even in any::<bool>()) {
        let mode = if half_even { Rounding::HalfEven } else { Rounding::HalfAwayFromZero };
        same(&ir, mode, &cols, n);
    }
}

// ───────────── edge cases by name ─────────────

/// Columns of `n` units with a miss of every reason, zeros, negatives, huge and tiny values, at
/// positions that fall on both sides of every chunk boundary.
fn edge_columns(n: usize) -> Vec<Column> {
    let pattern: Vec<Val> = vec![
        Ok(3.0),
        Ok(0.0),
        Ok(-2.0),
        Ok(1e300),
        Ok(-1e-300),
        Ok(1.0),
        Ok(0.5),
        Ok(4.0),
        Ok(-7.25),
        Ok(1e-300),
        Ok(100.0),
        Ok(2.0),
    ];
    let reasons: Vec<Val> = Reason::ALL.iter().enumerate().map(|(k, r)| miss(*r, 900 + k as u32)).collect();
    (0..SLOTS as usize)
        .map(|k| {
            (0..n)
                .map(|u| {
                    let v = u * (k + 1) + k;
                    // a miss one unit in five, every reason in turn; units 254–258 vary per slot
                    if v % 5 == 4 {
                        reasons[(v / 5) % reasons.len()]
                    } else {
                        pattern[(v + u / 7) % pattern.len()]
                    }
                })
                .collect()
        })
        .collect()
}

/// Named formulas of the cases the kernels flag: each must have a kernel and give the scalar bits.
fn edge_formulas() -> Vec<(&'static str, Ir)> {
    use ArithOp::*;
    let div = |l, r| arith(Div, l, r, 7);
    let y = |k| Box::new(Ir::Cmp(CmpOp::Gt, s(k), c(0.0)));
    vec![
        ("division by zero", *div(s(0), s(1))),
        ("division by a constant zero", *div(s(0), c(0.0))),
        ("division by a folded zero", *div(s(0), arith(Sub, c(2.0), c(2.0), 8))),
        ("constant division by zero", *div(c(1.0), c(0.0))),
        ("division by a product that overflows", *div(c(1.0), arith(Mul, s(0), c(1e300), 9))),
        ("overflow of a product", *arith(Mul, s(0), s(3), 3)),
        ("overflow of a sum", *arith(Add, arith(Mul, s(0), c(1e300), 3), c(1e300), 4)),
        ("−0 from a product", *arith(Mul, s(2), s(1), 3)),
        ("−0 from a tiny product", *arith(Mul, s(0), c(-1e-300), 3)),
        ("−0 from a division", *div(s(1), c(-3.0))),
        ("−0 of a constant", *arith(Add, c(-0.0), c(-0.0), 3)),
        ("0 ^ negative", *arith(Pow, s(1), c(-1.0), 5)),
        ("negative ^ fraction", *arith(Pow, s(2), c(0.5), 5)),
        ("ln of zero and negatives", *call(Func::Ln, vec![Ir::Slot(Slot(1))], 11)),
        ("sqrt of negatives", *call(Func::Sqrt, vec![Ir::Slot(Slot(2))], 11)),
        ("exp overflow", *call(Func::Exp, vec![*s(4)], 11)),
        ("exp of a flag", *call(Func::Exp, vec![*arith(Mul, s(0), c(-1e300), 12)], 11)),
        (
            "clamp with constant bounds",
            *call(
                Func::Clamp,
                vec![
                    *div(arith(Sub, s(0), c(10.0), 1), arith(Sub, c(90.0), c(10.0), 2)),
                    Ir::Const(0.0),
                    Ir::Const(1.0),
                ],
                13,
            ),
        ),
        ("clamp to a bound −0", *call(Func::Clamp, vec![*s(1), Ir::Const(-0.0), Ir::Const(1.0)], 13)),
        ("clamp from a bound −0", *call(Func::Clamp, vec![*s(2), Ir::Const(-1.0), Ir::Const(-0.0)], 13)),
        ("clamp of −0", *call(Func::Clamp, vec![Ir::If(y(0), c(-0.0), s(1)), Ir::Const(0.0), Ir::Const(1.0)], 13)),
        (
            "clamp of −0 to −0",
            *call(Func::Clamp, vec![Ir::If(y(0), c(-0.0), s(1)), Ir::Const(-0.0), Ir::Const(2.0)], 13),
        ),
        ("clamp of a slot to 0..1", *call(Func::Clamp, vec![*s(1), Ir::Const(0.0), Ir::Const(1.0)], 13)),
        (
            "goalposts of a slot",
            *call(Func::Clamp, vec![*div(arith(Sub, s(0), c(20.0), 1), c(60.0)), Ir::Const(0.0), Ir::Const(1.0)], 13),
        ),
        (
            "goalposts that overflow",
            *call(
                Func::Clamp,
                vec![*arith(Mul, arith(Mul, s(0), c(1e300), 1), c(1e300), 2), Ir::Const(-1.0), Ir::Const(1.0)],
                13,
            ),
        ),
        ("two steps to −0", *arith(Mul, arith(Add, s(2), c(2.0), 1), c(-1e-300), 2)),
        ("two steps to a division by zero", *div(arith(Sub, s(1), c(1.0), 1), c(0.0))),
        ("one step clamped", *call(Func::Clamp, vec![*div(s(3), c(80.0)), Ir::Const(0.0), Ir::Const(1.0)], 13)),
        ("clamp with lo > hi", *call(Func::Clamp, vec![*s(0), Ir::Const(1.0), Ir::Const(0.0)], 13)),
        ("clamp with slot bounds", *call(Func::Clamp, vec![*s(0), *s(1), *s(2)], 13)),
        ("min of a flag", *call(Func::Min, vec![*s(0), *div(c(1.0), s(1)), *s(2)], 14)),
        (
            "max, mean, sum",
            *arith(
                Add,
                call(Func::Max, vec![*s(0), *s(1)], 14),
                arith(Add, call(Func::Mean, vec![*s(2), *s(3)], 15), call(Func::Sum, vec![*s(3), *s(4)], 16), 17),
                18,
            ),
        ),
        ("Kleene and", Ir::And(y(0), y(1))),
        ("Kleene or", Ir::Or(y(0), y(1))),
        ("Kleene or of a flagged side", Ir::Or(Box::new(Ir::Cmp(CmpOp::Gt, div(c(1.0), s(1)), c(0.0))), y(2))),
        ("and of a constant no", Ir::And(c(0.0), y(1))),
        ("not of a miss", Ir::Not(y(3))),
        ("?? of a slot", Ir::Coalesce(s(0), s(1))),
        ("?? of a division", Ir::Coalesce(div(s(0), s(1)), c(-1.0))),
        ("is_missing", Ir::IsMissing(s(0), None)),
        ("is_missing with a reason", Ir::IsMissing(s(1), Some(Reason::Confidential))),
        ("is_missing of a division", Ir::IsMissing(div(s(0), s(1)), Some(Reason::DivisionByZero))),
        ("missing_reason", Ir::MissingReason(s(2))),
        ("missing_reason of a rounded slot", Ir::MissingReason(Box::new(Ir::Rounded(Slot(2), 1)))),
        ("if with a missing condition", Ir::If(y(0), s(1), s(2))),
        ("if with a missing branch not taken", Ir::If(y(0), div(s(1), s(2)), c(0.0))),
        (
            "if chain of constants",
            Ir::If(
                Box::new(Ir::Cmp(CmpOp::Lt, s(4), c(24.0))),
                c(1.0),
                Box::new(Ir::If(Box::new(Ir::Cmp(CmpOp::Lt, s(4), c(72.0))), c(0.5), c(0.0))),
            ),
        ),
        ("if on a constant", Ir::If(c(1.0), s(0), div(c(1.0), c(0.0)))),
        ("share", *call(Func::Share, (0..SLOTS).map(|k| Ir::Slot(Slot(k))).collect(), 20)),
        ("share of computed operands", *call(Func::Share, vec![*y(0), *y(1), *div(s(2), s(3))], 20)),
        ("count", *call(Func::Count, (0..SLOTS).map(|k| Ir::Slot(Slot(k))).collect(), 21)),
        ("answered", *call(Func::Answered, (0..SLOTS).map(|k| Ir::Slot(Slot(k))).collect(), 22)),
        ("answered of computed operands", *call(Func::Answered, vec![*div(s(0), s(1)), *s(2)], 22)),
        ("missing(…)", Ir::If(y(0), s(1), call(Func::Missing(Reason::NotApplicable), vec![], 23))),
        ("rounded slot", Ir::Rounded(Slot(0), 1)),
        ("round", *call(Func::Round, vec![*div(s(0), c(3.0)), Ir::Const(2.0)], 24)),
        ("round half even", *call(Func::RoundHalfEven, vec![*s(0), *s(1)], 24)),
        ("abs and neg", Ir::Neg(call(Func::Abs, vec![*s(2)], 25))),
        (
            "bands",
            Ir::Bands(
                s(0),
                vec![
                    (range(None, Some((1.0, false))), Ir::Const(0.0)),
                    (range(Some((1.0, true)), Some((4.0, false))), *s(1)),
                ],
                None,
                26,
            ),
        ),
        (
            "bands with else",
            Ir::Bands(s(0), vec![(range(Some((0.0, true)), None), Ir::Const(1.0))], Some(div(s(1), s(2))), 26),
        ),
        ("match", Ir::Match(s(4), vec![(vec![0, 2], Ir::Const(10.0)), (vec![1], *s(0))], Some(c(-1.0)), 27)),
    ]
}

#[test]
fn every_edge_case_gives_the_scalar_bits_at_every_size() {
    for mode in [Rounding::HalfAwayFromZero, Rounding::HalfEven] {
        for (name, ir) in edge_formulas() {
            for n in SIZES {
                let cols = edge_columns(n);
                assert!(same(&ir, mode, &cols, n), "{name}: no kernel");
            }
        }
    }
}

#[test]
fn the_edge_cases_do_happen() {
    // the columns of the edge cases have every reason, zeros, and values past every boundary
    let cols = edge_columns(1000);
    let reasons: std::collections::BTreeSet<Reason> =
        cols.iter().flat_map(|c| c.iter()).filter_map(|v| v.err()).map(|m| m.reason).collect();
    assert_eq!(reasons.len(), Reason::ALL.len());
    let div = Ir::Arith(ArithOp::Div, s(0), s(1), 7);
    let col = reference(&div, Rounding::HalfAwayFromZero, &cols, 1000);
    let div0 =
        col.iter().filter(|v| matches!(v, Err(m) if m.reason == Reason::DivisionByZero && m.origin == 7)).count();
    assert!(div0 > 10, "divisions by zero: {div0}");
    let prod = Ir::Arith(ArithOp::Mul, s(2), s(1), 3);
    let col = reference(&prod, Rounding::HalfAwayFromZero, &cols, 1000);
    assert!(col.iter().any(|v| v == Ok(0.0)), "products that are zero (−0 normalised)");
}

#[test]
fn a_slot_shorter_than_the_units_reads_as_not_assessable() {
    let mut cols = edge_columns(600);
    cols[1] = cols[1].iter().take(300).collect();
    let ir = Ir::Arith(ArithOp::Add, s(0), s(1), 1);
    assert!(same(&ir, Rounding::HalfAwayFromZero, &cols, 600));
    let code = compile(&ir, Rounding::HalfAwayFromZero);
    let got = column(Kernel::new(&ir, Rounding::HalfAwayFromZero).as_ref(), &code, &cols, 600);
    assert_eq!(got.get(400), miss(Reason::NotAssessable, 0));
}

// ───────────── the EAEU methodology ─────────────

/// Every formula of the EAEU methodology has a kernel, and gives the scalar bits on columns with
/// misses; `evaluate` of its sample submissions is unchanged (the snapshot tests of tests/eaeu.rs
/// say so for the whole outcome; here: the formula columns against the scalar closures).
#[test]
fn every_eaeu_formula_has_a_kernel_that_gives_the_scalar_bits() {
    let checked = tamga::check::check(Path::new("rules/eaeu"));
    let model = checked.model.expect("rules/eaeu checks");
    let mode = model.header.rounding;
    let n = 1000;
    // every slot filled: 0/1, small whole numbers, percentages, zeros, misses of every reason
    let mut cols: Vec<Column> = (0..model.slot_count())
        .map(|k| {
            (0..n)
                .map(|u| {
                    let v = (u * 31 + k * 17) % 97;
                    match v % 11 {
                        0 => miss(Reason::ALL[(u + k) % Reason::ALL.len()], k as u32),
                        1 | 2 => Ok(0.0),
                        3 | 4 => Ok(1.0),
                        5 => Ok(((u + k) % 4) as f64),
                        _ => Ok(v as f64 * 1.25),
                    }
                })
                .collect()
        })
        .collect();
    let mut without = vec![];
    let mut formulas = 0;
    for step in &model.plan {
        if let Step::Formula { slot, ir } = step {
            formulas += 1;
            if !same(ir, mode, &cols, n) {
                without.push(format!("{slot:?}: {ir:?}"));
            }
            // later formulas read what this one computed
            cols[slot.0 as usize] = reference(ir, mode, &cols, n);
        }
    }
    assert!(formulas > 100, "{formulas} formula steps");
    assert!(without.is_empty(), "formulas without a kernel:\n{}", without.join("\n"));
}

// ───────────── through evaluate ─────────────

/// The kernels inside `evaluate`: values, misses and events for 600 units (three chunks).
#[test]
fn evaluate_gives_the_scalar_values_and_events() {
    let text = "methodology t { en \"t\" ru \"t\" version \"1\" }\n\
                question a : number { en \"a\" ru \"a\" }\n\
                question b : number { en \"b\" ru \"b\" }\n\
                question y : yesno { en \"y\" ru \"y\" }\n\
                indicator r = a / b * 100 { en \"r\" ru \"r\" }\n\
                indicator g = if y and a > 2 then ln(a) else b ?? 0 { en \"g\" ru \"g\" }\n\
                indicator k = clamp((a - 10) / (90 - 10), 0, 1) { en \"k\" ru \"k\" }\n";
    let checked = check_text("t.tamga", text);
    let (meth, _) = checked.methodology().map_err(|_| "does not check").expect("checks");
    let model = &meth.model;
    let n = 600;
    let mut sources = meth.sources.clone();
    let mut data = tamga::data::Dataset::default();
    for u in 0..n {
        let a = match u % 9 {
            0 => r#"{ "missing": "not_applicable" }"#.to_string(),
            1 => "0".to_string(),
            k => format!("{}", (k as f64 - 4.0) * 7.5),
        };
        let b = if u % 13 == 0 { "0".to_string() } else { format!("{}", u % 17) };
        let y = if u % 5 == 0 {
            r#"{ "missing": "confidential" }"#
        } else if u % 2 == 0 {
            "true"
        } else {
            "false"
        };
        let json = format!(r#"{{"unit": "U{u:04}", "period": "2023", "answers": {{"a": {a}, "b": {b}, "y": {y}}}}}"#);
        let (s, d) = tamga::data::load_text(model, &format!("U{u:04}.json"), &json, &mut sources);
        let style = tamga::diagnostics::Style { color: false, width: 100 };
        assert!(!tamga::diagnostics::has_errors(&d), "unit {u}: {}", tamga::diagnostics::render(&d, &sources, style));
        data.submissions.push(s.expect("a submission"));
    }
    data.submissions.sort_by(|a, b| a.unit.cmp(&b.unit));
    let out = evaluate(model, &data);
    let po = &out.periods[0];
    assert_eq!(po.units.len(), n);
    // the events of the formula steps, in plan and unit order, as the scalar columns give them
    let mut expected = vec![];
    for step in &model.plan {
        if let Step::Formula { slot, ir } = step {
            let col = &po.columns[slot.0 as usize];
            let scalar = reference(ir, model.header.rounding, &po.columns, n);
            assert_eq!(
                col.raw().iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                scalar.raw().iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                "{slot:?}"
            );
            for (u, v) in scalar.iter().enumerate() {
                if let Err(m) = v {
                    let kind = match m.reason {
                        Reason::DivisionByZero => EventKind::DivisionByZero,
                        Reason::Domain => EventKind::Domain,
                        _ => continue,
                    };
                    if model.origins.get(m.origin as usize).is_some_and(|o| o.slot == *slot) {
                        expected.push((*slot, po.units[u].clone(), m.origin, kind));
                    }
                }
            }
        }
    }
    assert!(expected.len() > 50, "{} events", expected.len());
    let got: Vec<_> = out
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::DivisionByZero | EventKind::Domain))
        .map(|e| (e.slot, e.unit.clone().unwrap_or_default(), e.origin, e.kind.clone()))
        .collect();
    assert_eq!(got, expected);
}
