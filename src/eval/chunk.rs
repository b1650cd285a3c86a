//! Column-at-a-time kernels: a formula computed for a chunk of [`CHUNK`] units per call.
//!
//! [`compile`](super::compile::compile) turns a formula into one closure per node, called once
//! per unit, each returning a [`Val`](crate::model::Val). Here the same [`Ir`] becomes one closure
//! per node that fills a buffer with the values of a whole chunk of units, reading the columns'
//! stored numbers ([`Column::raw`]) directly: the indirect call is paid once per chunk and the
//! loops over the chunk vectorise. Buffers for operands come from one scratch allocation per run.
//!
//! **Exactness by flagging, not branching.** The scalar closure stays the reference. A kernel
//! computes plain IEEE arithmetic, and every node keeps this invariant for every unit of the
//! chunk:
//!
//! > if the kernel's value is finite, the scalar closure of the same node gives `Ok` of exactly
//! > that value (the same bits).
//!
//! A non-finite value is a *flag*: "ask the scalar closure". Missing inputs are NaN (that is how
//! a [`Column`] stores them) and NaN propagates through arithmetic; where it would not (a
//! comparison, `min`, `clamp`, `exp(-inf)`, `x / inf`…) the node adds `x − x` (0, or NaN for a
//! flag) or selects NaN itself, and where the scalar semantics differ from IEEE (division by
//! zero, domain errors, Kleene `and` / `or` with a missing side, `??`, `is_missing`, `if` with a
//! missing condition, an overflow) the result is not finite either. After a chunk,
//! [`Kernel::run`] recomputes every unit whose result is not finite with the scalar closure,
//! which gives the value or the miss with its reason and origin. So a column computed by a kernel
//! is bit for bit the column the scalar closure computes. `fin`'s normalisation of −0 to 0 is
//! `v + 0.0` (exact for every other value). Two facts known at compile time sharpen this: an
//! *exact* operand (a slot) is not finite exactly where it is missing, with its reason in the NaN
//! (`share`, `answered`, `??`, `is_missing` and `missing_reason` of slots need no recomputation);
//! a *normal* operand is never −0, so `clamp` with constant bounds has no sign of zero to choose.
//!
//! Constant sub-trees are folded first ([`fold`]) when the scalar closure gives them a value (a
//! division by a constant zero stays, so its miss and origin stay); leaves are read in their
//! parent's loop (`slot op constant`, `slot op slot`), and a chain of one or two `op constant`
//! steps on a slot, `clamp`ed to constant bounds or not (goalposts: `clamp((x - 20) / 60, 0, 1)`),
//! is one loop. A formula with an operation no kernel handles, or deeper than [`MAX_DEPTH`], has
//! no kernel: it is evaluated unit by unit as before.

// indexed loops over slices of one length vectorise where zips of three iterators do not
#![allow(clippy::needless_range_loop)]

use super::compile::{arm_of, band_of, compile as scalar, is_missing, missing_reason, Code, Cols};
use crate::model::{ArithOp, CmpOp, Column, Func, Ir, NumRange};
use crate::number::{round, Rounding};

/// Units per chunk.
pub const CHUNK: usize = 256;

/// The deepest formula given a kernel (deeper ones, rare, keep the scalar closures alone).
pub const MAX_DEPTH: usize = 64;

/// Computes `out.len()` (≤ [`CHUNK`]) units from `start` into `out`; `scratch` is working space
/// for the node's own buffers and its operands' (its `need` chunks).
type Kern = Box<dyn Fn(&Cols, usize, &mut [f64], &mut [f64]) + Send + Sync>;

/// An operand: a constant and a slot are read in their parent's loop; a node is computed into a
/// buffer first.
enum Arg {
    Const(f64),
    Slot(usize),
    Node {
        k: Kern,
        /// A non-finite value is the scalar closure's miss itself, packed as a [`Column`] packs
        /// it (a slot read through `Rounded`, `??` of such operands).
        exact: bool,
        /// Chunks of scratch space it needs.
        need: usize,
        /// A finite value is never −0 (it is normalised, or a count, or yes/no).
        normal: bool,
    },
}

impl Arg {
    /// Whether every non-finite value of this operand is the scalar miss itself (a slot is
    /// stored exactly so; a constant is always finite).
    fn exact(&self) -> bool {
        match self {
            Arg::Const(_) | Arg::Slot(_) => true,
            Arg::Node { exact, .. } => *exact,
        }
    }

    /// Chunks of scratch space it needs.
    fn need(&self) -> usize {
        match self {
            Arg::Node { need, .. } => *need,
            _ => 0,
        }
    }

    /// Whether a finite value is never −0.
    fn normal(&self) -> bool {
        match self {
            Arg::Const(x) => !(*x == 0.0 && x.is_sign_negative()),
            Arg::Slot(_) => false,
            Arg::Node { normal, .. } => *normal,
        }
    }

    fn is_node(&self) -> bool {
        matches!(self, Arg::Node { .. })
    }
}

/// The most scratch space any of `args` needs.
fn most(args: &[&Arg]) -> usize {
    args.iter().map(|a| a.need()).max().unwrap_or(0)
}

/// A formula compiled to a kernel over chunks of units.
pub struct Kernel {
    root: Arg,
    /// The slots it reads: each must have a value for every unit (else the scalar closure runs).
    slots: Vec<usize>,
}

impl Kernel {
    /// The kernel of a formula, or `None` when an operation in it has no kernel (the scalar
    /// closure is then the only code). `mode` is the methodology's rounding mode, as for
    /// [`compile`](super::compile::compile).
    pub fn new(ir: &Ir, mode: Rounding) -> Option<Kernel> {
        if depth(ir) > MAX_DEPTH {
            return None;
        }
        let ir = fold(ir, mode);
        let mut slots = vec![];
        let root = build(&ir, mode, &mut slots)?;
        slots.sort_unstable();
        slots.dedup();
        Some(Kernel { root, slots })
    }

    /// The formula for units `0..n` as a column: `code` is the formula's scalar closure, which
    /// computes every unit the kernel flags. The result is exactly
    /// `(0..n).map(|u| code(cols, u)).collect()`.
    pub fn run(&self, code: &Code, cols: &Cols, n: usize) -> Column {
        if self.slots.iter().any(|s| cols.get(*s).is_none_or(|c| c.len() < n)) {
            // a slot not computed for every unit reads as not assessable: the scalar closure says so
            return (0..n).map(|u| code(cols, u)).collect();
        }
        let mut scratch = vec![0.0; self.root.need() * CHUNK];
        let mut out: Vec<f64> = Vec::with_capacity(n);
        while out.len() < n {
            let start = out.len();
            out.resize((start + CHUNK).min(n), 0.0);
            let chunk = &mut out[start..];
            eval_into(&self.root, cols, start, chunk, &mut scratch);
            if chunk.iter().fold(false, |any, x| any | !finite(*x)) {
                for (i, x) in chunk.iter_mut().enumerate() {
                    if !finite(*x) {
                        *x = Column::pack(code(cols, start + i));
                    }
                }
            }
        }
        Column::from_raw(out)
    }
}

/// A formula's column: with its kernel if it has one, else unit by unit with `code`. Either way
/// the result is exactly `(0..n).map(|u| code(cols, u)).collect()`.
pub fn column(kernel: Option<&Kernel>, code: &Code, cols: &Cols, n: usize) -> Column {
    match kernel {
        Some(k) => k.run(code, cols, n),
        None => (0..n).map(|u| code(cols, u)).collect(),
    }
}

// ───────────────────────────── constant folding ─────────────────────────────

/// The depth of a formula's tree.
fn depth(ir: &Ir) -> usize {
    1 + children(ir).into_iter().map(depth).max().unwrap_or(0)
}

/// The sub-expressions of a node, in order.
fn children(ir: &Ir) -> Vec<&Ir> {
    match ir {
        Ir::Const(_) | Ir::Slot(_) | Ir::Rounded(..) => vec![],
        Ir::RoundExpr(a, _) | Ir::Neg(a) | Ir::Not(a) | Ir::IsMissing(a, _) | Ir::MissingReason(a) => vec![a],
        Ir::Arith(_, l, r, _) | Ir::Cmp(_, l, r) | Ir::And(l, r) | Ir::Or(l, r) | Ir::Coalesce(l, r) => vec![l, r],
        Ir::If(c, t, f) => vec![c, t, f],
        Ir::Call(_, args, _) => args.iter().collect(),
        Ir::Bands(s, arms, otherwise, _) => {
            std::iter::once(&**s).chain(arms.iter().map(|(_, v)| v)).chain(otherwise.as_deref()).collect()
        }
        Ir::Match(s, arms, otherwise, _) => {
            std::iter::once(&**s).chain(arms.iter().map(|(_, v)| v)).chain(otherwise.as_deref()).collect()
        }
    }
}

/// The parts of a `bands` or `match` folded: `Ok` of the branch taken when the selector is a
/// constant that an arm (`find`) or `else` takes; otherwise `Err` of the folded selector, arms
/// and `else`, to rebuild the node.
#[allow(clippy::type_complexity)]
fn fold_choice<K: Clone>(
    selector: &Ir,
    arms: &[(K, Ir)],
    otherwise: Option<&Ir>,
    mode: Rounding,
    find: fn(&[(K, Ir)], f64) -> Option<usize>,
) -> Result<Ir, (Box<Ir>, Vec<(K, Ir)>, Option<Box<Ir>>)> {
    let s = fold(selector, mode);
    if let Ir::Const(x) = s {
        if let Some(k) = find(arms, x) {
            return Ok(fold(&arms[k].1, mode));
        }
        if let Some(e) = otherwise {
            return Ok(fold(e, mode));
        }
    }
    let arms = arms.iter().map(|(k, v)| (k.clone(), fold(v, mode))).collect();
    Err((Box::new(s), arms, otherwise.map(|e| Box::new(fold(e, mode)))))
}

/// `ir` with its constant sub-trees replaced by the values the scalar closure gives them.
///
/// A node whose operands are all constants becomes `Const` of its scalar value when that value is
/// present (`(90 - 10)` → 80, `1 / 3` → 0.333…); when it is missing (`1 / 0`, `ln(0)`,
/// `missing(…)`) the node stays, so the miss, its reason and its origin are computed per unit as
/// before. A choice on a constant (`if 1 then a else b`, `bands(5) { … }`) becomes the branch the
/// scalar closure takes, and `constant ?? b` the constant. Every rewrite gives, for every unit,
/// exactly what the scalar closure of the original gives.
pub fn fold(ir: &Ir, mode: Rounding) -> Ir {
    let f = |a: &Ir| Box::new(fold(a, mode));
    let node = match ir {
        Ir::Const(_) | Ir::Slot(_) | Ir::Rounded(..) => return ir.clone(),
        Ir::RoundExpr(a, p) => Ir::RoundExpr(f(a), *p),
        Ir::Neg(a) => Ir::Neg(f(a)),
        Ir::Not(a) => Ir::Not(f(a)),
        Ir::Arith(op, l, r, o) => Ir::Arith(*op, f(l), f(r), *o),
        Ir::Cmp(op, l, r) => Ir::Cmp(*op, f(l), f(r)),
        Ir::And(l, r) => Ir::And(f(l), f(r)),
        Ir::Or(l, r) => Ir::Or(f(l), f(r)),
        Ir::Coalesce(l, r) => {
            let l = fold(l, mode);
            if let Ir::Const(x) = l {
                // `Ok(x).or_else(…)` is `Ok(x)`
                return Ir::Const(x);
            }
            Ir::Coalesce(Box::new(l), f(r))
        }
        Ir::IsMissing(a, reason) => Ir::IsMissing(f(a), *reason),
        Ir::MissingReason(a) => Ir::MissingReason(f(a)),
        Ir::If(c, t, e) => {
            let c = fold(c, mode);
            if let Ir::Const(k) = c {
                // `truth(Ok(k))` picks the branch
                return if k != 0.0 { fold(t, mode) } else { fold(e, mode) };
            }
            Ir::If(Box::new(c), f(t), f(e))
        }
        Ir::Call(func, args, o) => Ir::Call(*func, args.iter().map(|a| fold(a, mode)).collect(), *o),
        Ir::Bands(s, arms, otherwise, o) => match fold_choice(s, arms, otherwise.as_deref(), mode, band_of) {
            Ok(taken) => return taken,
            Err((s, arms, otherwise)) => Ir::Bands(s, arms, otherwise, *o),
        },
        Ir::Match(s, arms, otherwise, o) => match fold_choice(s, arms, otherwise.as_deref(), mode, arm_of) {
            Ok(taken) => return taken,
            Err((s, arms, otherwise)) => Ir::Match(s, arms, otherwise, *o),
        },
    };
    if children(&node).iter().all(|c| matches!(c, Ir::Const(_))) {
        // no slot below: the scalar closure gives the same for every unit (it reads no column)
        if let Ok(x) = scalar(&node, mode)(&[], 0) {
            return Ir::Const(x);
        }
    }
    node
}

// ───────────────────────────── loops ─────────────────────────────

/// yes/no as 1/0.
#[inline(always)]
fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// A flag where `ok` is false.
#[inline(always)]
fn ok_or_flag(ok: bool, v: f64) -> f64 {
    if ok {
        v
    } else {
        f64::NAN
    }
}

/// Whether `x` is finite, as a vector compare (`f64::is_finite` may become an integer test of
/// the bits, which keeps the loops from vectorising on the baseline x86-64 target).
#[inline(always)]
fn finite(x: f64) -> bool {
    flag_of(x) == 0.0
}

/// 0 for a finite `x`, NaN (a flag) otherwise: `v + flag_of(x)` flags `v` where `x` is a flag,
/// in arithmetic that vectorises, for a `v` that is never −0 or that `fin` normalises anyway.
#[inline(always)]
#[allow(clippy::eq_op)] // x − x is 0 or NaN: the point
fn flag_of(x: f64) -> f64 {
    x - x
}

/// `fin` for a value computed from finite operands: −0 becomes 0, a non-finite value stays a flag.
#[inline(always)]
fn norm(v: f64) -> f64 {
    v + 0.0
}

/// The stored numbers of a slot for a chunk.
#[inline(always)]
fn col(c: &Cols, s: usize, start: usize, n: usize) -> &[f64] {
    &c[s].raw()[start..start + n]
}

/// The first chunk of `scratch` (cut to `n`), and the rest.
#[inline(always)]
fn split(scratch: &mut [f64], n: usize) -> (&mut [f64], &mut [f64]) {
    let (buf, rest) = scratch.split_at_mut(CHUNK);
    (&mut buf[..n], rest)
}

/// An operand's values into `out`.
#[inline(always)]
fn eval_into(a: &Arg, c: &Cols, start: usize, out: &mut [f64], scratch: &mut [f64]) {
    match a {
        Arg::Const(x) => out.fill(*x),
        Arg::Slot(s) => out.copy_from_slice(col(c, *s, start, out.len())),
        Arg::Node { k, .. } => k(c, start, out, scratch),
    }
}

/// An operand's values: a slot's own numbers, or computed into `buf` (a constant is filled in).
#[inline(always)]
fn fetch<'a>(a: &'a Arg, c: &'a Cols, start: usize, buf: &'a mut [f64], scratch: &mut [f64]) -> &'a [f64] {
    match a {
        Arg::Slot(s) => col(c, *s, start, buf.len()),
        _ => {
            eval_into(a, c, start, buf, scratch);
            buf
        }
    }
}

/// `out[i] = f(x[i])`.
#[inline(always)]
fn unary(c: &Cols, start: usize, out: &mut [f64], scratch: &mut [f64], a: &Arg, f: impl Fn(f64) -> f64) {
    let n = out.len();
    match a {
        Arg::Const(x) => out.fill(f(*x)),
        Arg::Slot(s) => {
            let xs = col(c, *s, start, n);
            for i in 0..n {
                out[i] = f(xs[i]);
            }
        }
        Arg::Node { k, .. } => {
            k(c, start, out, scratch);
            for o in out.iter_mut() {
                *o = f(*o);
            }
        }
    }
}

/// The scratch space of [`binary`].
fn binary_need(l: &Arg, r: &Arg) -> usize {
    if l.is_node() && r.is_node() {
        l.need().max(1 + r.need())
    } else {
        l.need().max(r.need())
    }
}

/// `out[i] = f(x[i], y[i])`, each kind of operand read in place.
#[inline(always)]
fn binary(c: &Cols, start: usize, out: &mut [f64], scratch: &mut [f64], l: &Arg, r: &Arg, f: impl Fn(f64, f64) -> f64) {
    let n = out.len();
    match (l, r) {
        (Arg::Node { k: l, .. }, Arg::Node { k: r, .. }) => {
            l(c, start, out, scratch);
            let (ys, rest) = split(scratch, n);
            r(c, start, ys, rest);
            for i in 0..n {
                out[i] = f(out[i], ys[i]);
            }
        }
        (Arg::Node { k: l, .. }, Arg::Slot(s)) => {
            l(c, start, out, scratch);
            let ys = col(c, *s, start, n);
            for i in 0..n {
                out[i] = f(out[i], ys[i]);
            }
        }
        (Arg::Node { k: l, .. }, Arg::Const(y)) => {
            l(c, start, out, scratch);
            let y = *y;
            for o in out.iter_mut() {
                *o = f(*o, y);
            }
        }
        (Arg::Slot(s), Arg::Node { k: r, .. }) => {
            r(c, start, out, scratch);
            let xs = col(c, *s, start, n);
            for i in 0..n {
                out[i] = f(xs[i], out[i]);
            }
        }
        (Arg::Const(x), Arg::Node { k: r, .. }) => {
            r(c, start, out, scratch);
            let x = *x;
            for o in out.iter_mut() {
                *o = f(x, *o);
            }
        }
        (Arg::Slot(s), Arg::Slot(t)) => {
            let (xs, ys) = (col(c, *s, start, n), col(c, *t, start, n));
            for i in 0..n {
                out[i] = f(xs[i], ys[i]);
            }
        }
        (Arg::Slot(s), Arg::Const(y)) => {
            let (xs, y) = (col(c, *s, start, n), *y);
            for i in 0..n {
                out[i] = f(xs[i], y);
            }
        }
        (Arg::Const(x), Arg::Slot(s)) => {
            let (x, ys) = (*x, col(c, *s, start, n));
            for i in 0..n {
                out[i] = f(x, ys[i]);
            }
        }
        (Arg::Const(x), Arg::Const(y)) => out.fill(f(*x, *y)),
    }
}

/// Folds operands into `out` in order: `out = first`, then `out[i] = f(out[i], x[i])` for each
/// next operand. Needs a chunk more than its operands.
#[inline(always)]
fn fold_args(c: &Cols, start: usize, out: &mut [f64], scratch: &mut [f64], args: &[Arg], f: impl Fn(f64, f64) -> f64) {
    let Some((first, rest)) = args.split_first() else { return };
    let n = out.len();
    eval_into(first, c, start, out, scratch);
    let (buf, scratch) = split(scratch, n);
    for a in rest {
        match a {
            Arg::Const(y) => {
                let y = *y;
                for o in out.iter_mut() {
                    *o = f(*o, y);
                }
            }
            _ => {
                let ys = &fetch(a, c, start, buf, scratch)[..n];
                for i in 0..n {
                    out[i] = f(out[i], ys[i]);
                }
            }
        }
    }
}

/// `out[i] = options[which(key[i])][i]`: the key is computed into `out`, `which` gives the
/// option to take (`None`: a flag), and only the options some unit takes are computed. Needs a
/// chunk more than its operands.
#[inline(always)]
fn select(
    c: &Cols,
    start: usize,
    out: &mut [f64],
    scratch: &mut [f64],
    key: &Arg,
    options: &[Arg],
    which: impl Fn(f64) -> Option<usize>,
) {
    let n = out.len();
    eval_into(key, c, start, out, scratch);
    // u16::MAX: flagged
    let mut pick = [u16::MAX; CHUNK];
    let pick = &mut pick[..n];
    for i in 0..n {
        if let Some(j) = which(out[i]) {
            pick[i] = j as u16;
        }
    }
    out.fill(f64::NAN);
    let (buf, scratch) = split(scratch, n);
    for (j, a) in options.iter().enumerate() {
        let j = j as u16;
        if !pick.contains(&j) {
            continue;
        }
        let vs = match a {
            Arg::Const(v) => {
                for i in 0..n {
                    out[i] = if pick[i] == j { *v } else { out[i] };
                }
                continue;
            }
            _ => &fetch(a, c, start, buf, scratch)[..n],
        };
        for i in 0..n {
            out[i] = if pick[i] == j { vs[i] } else { out[i] };
        }
    }
}

// ───────────────────────────── kernels ─────────────────────────────

/// A node flagging every unit (the scalar closure computes them all).
fn flagged() -> Option<Arg> {
    node(0, |_, _, out, _| out.fill(f64::NAN))
}

/// A node of a closure that needs `need` chunks of scratch space.
fn node(need: usize, k: impl Fn(&Cols, usize, &mut [f64], &mut [f64]) + Send + Sync + 'static) -> Option<Arg> {
    Some(Arg::Node { k: Box::new(k), exact: false, need, normal: false })
}

/// A node whose every non-finite value is the scalar miss itself.
fn exact_node(need: usize, k: impl Fn(&Cols, usize, &mut [f64], &mut [f64]) + Send + Sync + 'static) -> Option<Arg> {
    Some(Arg::Node { k: Box::new(k), exact: true, need, normal: false })
}

/// `a`, marked as never −0.
fn normal(a: Option<Arg>) -> Option<Arg> {
    a.map(|a| match a {
        Arg::Node { k, exact, need, .. } => Arg::Node { k, exact, need, normal: true },
        other => other,
    })
}

/// A choice among `options` by a function of `key` (`bands`, `match`).
fn choice(key: Arg, options: Vec<Arg>, which: impl Fn(f64) -> Option<usize> + Send + Sync + 'static) -> Option<Arg> {
    if options.len() >= u16::MAX as usize {
        return None;
    }
    let need = key.need().max(1 + options.iter().map(Arg::need).max().unwrap_or(0));
    node(need, move |c, start, out, scratch| select(c, start, out, scratch, &key, &options, &which))
}

/// The kernel of `ir` (already folded), or `None` if some operation in it has none. `slots`
/// collects the slots read.
fn build(ir: &Ir, mode: Rounding, slots: &mut Vec<usize>) -> Option<Arg> {
    if let Some(fused) = fused(ir, slots) {
        return Some(fused);
    }
    match ir {
        // a constant operand is finite (a non-finite one would not be exact)
        Ir::Const(x) if finite(*x) => Some(Arg::Const(*x)),
        Ir::Const(_) => flagged(),
        Ir::Slot(s) => {
            slots.push(s.0 as usize);
            Some(Arg::Slot(s.0 as usize))
        }
        Ir::Rounded(s, p) => {
            let (s, p) = (s.0 as usize, *p);
            slots.push(s);
            // a miss stays itself, packed
            exact_node(0, move |c, start, out, _| {
                let xs = col(c, s, start, out.len());
                for (o, x) in out.iter_mut().zip(xs) {
                    *o = if finite(*x) { round(*x, p, mode) } else { *x };
                }
            })
        }
        Ir::RoundExpr(a, p) => {
            let (a, p) = (build(a, mode, slots)?, *p);
            node(a.need(), move |c, start, out, scratch| {
                unary(c, start, out, scratch, &a, |x| ok_or_flag(finite(x), round(x, p, mode)))
            })
        }
        Ir::Neg(a) => {
            // a flag stays non-finite
            let a = build(a, mode, slots)?;
            normal(node(a.need(), move |c, start, out, scratch| {
                unary(c, start, out, scratch, &a, |x| if x == 0.0 { 0.0 } else { -x })
            }))
        }
        Ir::Not(a) => {
            let a = build(a, mode, slots)?;
            normal(node(a.need(), move |c, start, out, scratch| {
                unary(c, start, out, scratch, &a, |x| b(x == 0.0) + flag_of(x))
            }))
        }
        // `fin` normalises; comparisons are 1/0
        Ir::Arith(op, l, r, _) => normal(arith(*op, build(l, mode, slots)?, build(r, mode, slots)?)),
        Ir::Cmp(op, l, r) => normal(cmp(*op, build(l, mode, slots)?, build(r, mode, slots)?)),
        Ir::And(l, r) => {
            let (l, r) = (build(l, mode, slots)?, build(r, mode, slots)?);
            // Kleene: a present `no` on either side is no whatever the other side is
            normal(node(binary_need(&l, &r), move |c, start, out, scratch| {
                binary(c, start, out, scratch, &l, &r, |x, y| {
                    if x == 0.0 || y == 0.0 {
                        0.0
                    } else {
                        ok_or_flag(finite(x) && finite(y), 1.0)
                    }
                })
            }))
        }
        Ir::Or(l, r) => {
            let (l, r) = (build(l, mode, slots)?, build(r, mode, slots)?);
            // Kleene: a present `yes` on either side is yes whatever the other side is
            normal(node(binary_need(&l, &r), move |c, start, out, scratch| {
                binary(c, start, out, scratch, &l, &r, |x, y| {
                    if (finite(x) && x != 0.0) || (finite(y) && y != 0.0) {
                        1.0
                    } else {
                        ok_or_flag(finite(x) && finite(y), 0.0)
                    }
                })
            }))
        }
        Ir::Coalesce(l, r) => {
            let (l, r) = (build(l, mode, slots)?, build(r, mode, slots)?);
            if !l.exact() {
                // a flag on the left may hide a value: the scalar closure decides
                return node(l.need(), move |c, start, out, scratch| eval_into(&l, c, start, out, scratch));
            }
            // an exact left side is missing exactly where it is not finite
            let (need, exact) = (binary_need(&l, &r), r.exact());
            let k: Kern = Box::new(move |c, start, out, scratch| {
                binary(c, start, out, scratch, &l, &r, |x, y| if finite(x) { x } else { y })
            });
            Some(Arg::Node { k, exact, need, normal: false })
        }
        Ir::IsMissing(a, reason) => {
            let (a, reason) = (build(a, mode, slots)?, *reason);
            let exact = a.exact();
            normal(node(a.need(), move |c, start, out, scratch| {
                unary(c, start, out, scratch, &a, |x| {
                    if finite(x) {
                        0.0
                    } else if exact {
                        is_missing(Column::unpack(x), reason).unwrap_or(f64::NAN)
                    } else {
                        f64::NAN
                    }
                })
            }))
        }
        Ir::MissingReason(a) => {
            let a = build(a, mode, slots)?;
            let exact = a.exact();
            normal(node(a.need(), move |c, start, out, scratch| {
                unary(c, start, out, scratch, &a, |x| {
                    if finite(x) || exact {
                        missing_reason(Column::unpack(x)).unwrap_or(f64::NAN)
                    } else {
                        f64::NAN
                    }
                })
            }))
        }
        Ir::If(k, t, f) => {
            let (k, t, f) = (build(k, mode, slots)?, build(t, mode, slots)?, build(f, mode, slots)?);
            // both branches computed, the one not taken ignored (a flag in it too): a blend
            let need = k.need().max(2 + most(&[&t, &f]));
            let both_normal = t.normal() && f.normal();
            let blend = node(need, move |c, start, out, scratch| {
                let n = out.len();
                eval_into(&k, c, start, out, scratch);
                let pick = |k: f64, t: f64, f: f64| {
                    let v = if k == 0.0 { f } else { t };
                    if finite(k) {
                        v
                    } else {
                        f64::NAN
                    }
                };
                let (tb, scratch) = split(scratch, n);
                let (fb, scratch) = split(scratch, n);
                match (&t, &f) {
                    (Arg::Const(t), Arg::Const(f)) => {
                        for o in out.iter_mut() {
                            *o = pick(*o, *t, *f);
                        }
                    }
                    (Arg::Const(t), f) => {
                        let fs = &fetch(f, c, start, fb, scratch)[..n];
                        for i in 0..n {
                            out[i] = pick(out[i], *t, fs[i]);
                        }
                    }
                    (t, Arg::Const(f)) => {
                        let ts = &fetch(t, c, start, tb, scratch)[..n];
                        for i in 0..n {
                            out[i] = pick(out[i], ts[i], *f);
                        }
                    }
                    (t, f) => {
                        let ts = &fetch(t, c, start, tb, scratch)[..n];
                        let fs = &fetch(f, c, start, fb, scratch)[..n];
                        for i in 0..n {
                            out[i] = pick(out[i], ts[i], fs[i]);
                        }
                    }
                }
            });
            if both_normal {
                normal(blend)
            } else {
                blend
            }
        }
        Ir::Call(func, args, _) => {
            let args: Vec<Arg> = args.iter().map(|a| build(a, mode, slots)).collect::<Option<_>>()?;
            call(*func, args)
        }
        Ir::Bands(s, arms, otherwise, _) => {
            let ranges: Vec<(NumRange, ())> = arms.iter().map(|(r, _)| (*r, ())).collect();
            let values = arms.iter().map(|(_, v)| v);
            arms_choice(s, values, otherwise.as_deref(), mode, slots, move |x| band_of(&ranges, x))
        }
        Ir::Match(s, arms, otherwise, _) => {
            let keys: Vec<(Vec<u32>, ())> = arms.iter().map(|(k, _)| (k.clone(), ())).collect();
            let values = arms.iter().map(|(_, v)| v);
            arms_choice(s, values, otherwise.as_deref(), mode, slots, move |x| arm_of(&keys, x))
        }
    }
}

/// A `bands` or `match`: the selector, the arms' values then `else`'s as options, and the
/// option for a selector's value — the arm `find` gives, else `else` when there is one; none
/// (a flag: the scalar closure decides) for a missing selector or a value no arm takes.
fn arms_choice<'a>(
    selector: &Ir,
    values: impl Iterator<Item = &'a Ir>,
    otherwise: Option<&Ir>,
    mode: Rounding,
    slots: &mut Vec<usize>,
    find: impl Fn(f64) -> Option<usize> + Send + Sync + 'static,
) -> Option<Arg> {
    let s = build(selector, mode, slots)?;
    let mut options: Vec<Arg> = values.map(|v| build(v, mode, slots)).collect::<Option<_>>()?;
    let arms = options.len();
    if let Some(e) = otherwise {
        options.push(build(e, mode, slots)?);
    }
    let has_else = otherwise.is_some();
    choice(s, options, move |x| {
        if !finite(x) {
            return None;
        }
        match find(x) {
            Some(k) => Some(k),
            None if has_else => Some(arms),
            None => None,
        }
    })
}

// ───────────────────────────── fused kernels ─────────────────────────────

/// `x op c` for a constant `c` (a divisor finite and non-zero), as `fin` gives it: the operator
/// as a constant parameter, so that a chain of them is one loop.
#[inline(always)]
fn step<const OP: u8>(x: f64, c: f64) -> f64 {
    norm(match OP {
        0 => x + c,
        1 => x - c,
        2 => x * c,
        _ => x / c,
    })
}

/// A chain of one or two `op constant` steps on a slot (`(x - 20) / 60`), with the constant
/// bounds of a `clamp` around it if any (`lo < hi`, neither −0): the slot, the steps, the bounds.
type Chain = (usize, Vec<(u8, f64)>, Option<(f64, f64)>);

/// The chain `ir` is, if it is one.
fn chain_of(ir: &Ir) -> Option<Chain> {
    fn steps(ir: &Ir, depth: usize) -> Option<(usize, Vec<(u8, f64)>)> {
        match ir {
            Ir::Slot(s) => Some((s.0 as usize, vec![])),
            Ir::Arith(op, l, r, _) if depth < 2 => {
                let Ir::Const(c) = **r else { return None };
                let code = match op {
                    ArithOp::Add => 0,
                    ArithOp::Sub => 1,
                    ArithOp::Mul => 2,
                    ArithOp::Div if c != 0.0 => 3,
                    _ => return None,
                };
                if !finite(c) {
                    return None;
                }
                let (s, mut steps) = steps(l, depth + 1)?;
                steps.push((code, c));
                Some((s, steps))
            }
            _ => None,
        }
    }
    match ir {
        Ir::Call(Func::Clamp, args, _) => match args.as_slice() {
            [x, Ir::Const(lo), Ir::Const(hi)] if lo < hi && Arg::Const(*lo).normal() && Arg::Const(*hi).normal() => {
                let (s, steps) = steps(x, 0)?;
                // a clamp of a slot itself reads a value that may be −0: not fused
                (!steps.is_empty()).then_some((s, steps, Some((*lo, *hi))))
            }
            _ => None,
        },
        Ir::Arith(..) => {
            let (s, steps) = steps(ir, 0)?;
            // one step alone is already one loop
            (steps.len() == 2).then_some((s, steps, None))
        }
        _ => None,
    }
}

/// The fused kernel of `ir`, if it is a [`Chain`].
fn fused(ir: &Ir, slots: &mut Vec<usize>) -> Option<Arg> {
    let (s, steps, clamp) = chain_of(ir)?;
    slots.push(s);
    let (a, c1) = *steps.first()?;
    let second = steps.get(1).copied();
    macro_rules! second {
        ($a:literal) => {
            match second {
                None => chain::<$a, 0, false>(s, c1, 0.0, clamp),
                Some((0, c2)) => chain::<$a, 0, true>(s, c1, c2, clamp),
                Some((1, c2)) => chain::<$a, 1, true>(s, c1, c2, clamp),
                Some((2, c2)) => chain::<$a, 2, true>(s, c1, c2, clamp),
                Some((_, c2)) => chain::<$a, 3, true>(s, c1, c2, clamp),
            }
        };
    }
    match a {
        0 => second!(0),
        1 => second!(1),
        2 => second!(2),
        _ => second!(3),
    }
}

/// `((x A c1) B c2)` on slot `s`, clamped to `lo..=hi` if asked, in one loop.
fn chain<const A: u8, const B: u8, const TWO: bool>(
    s: usize,
    c1: f64,
    c2: f64,
    clamp: Option<(f64, f64)>,
) -> Option<Arg> {
    let steps = move |x: f64| {
        let y = step::<A>(x, c1);
        if TWO {
            step::<B>(y, c2)
        } else {
            y
        }
    };
    match clamp {
        None => normal(node(0, move |c, start, out, _| {
            let n = out.len();
            let xs = col(c, s, start, n);
            for i in 0..n {
                out[i] = steps(xs[i]);
            }
        })),
        // as `clamp_const` for an operand that is never −0 (`fin` normalised it)
        Some((lo, hi)) => normal(node(0, move |c, start, out, _| {
            let n = out.len();
            let xs = col(c, s, start, n);
            for i in 0..n {
                let x = steps(xs[i]);
                let v = if x < lo { lo } else { x };
                let v = if v > hi { hi } else { v };
                out[i] = v + flag_of(x);
            }
        })),
    }
}

/// `l op r`.
fn arith(op: ArithOp, l: Arg, r: Arg) -> Option<Arg> {
    let need = binary_need(&l, &r);
    // `+ - ×` of a flag is a flag (NaN propagates, ∞ stays ∞ or becomes NaN); a non-finite result
    // is `fin`'s domain miss, a flag too
    macro_rules! plain {
        ($f:expr) => {
            node(need, move |c, start, out, scratch| binary(c, start, out, scratch, &l, &r, |x, y| norm($f(x, y))))
        };
    }
    match op {
        ArithOp::Add => plain!(|x: f64, y: f64| x + y),
        ArithOp::Sub => plain!(|x: f64, y: f64| x - y),
        ArithOp::Mul => plain!(|x: f64, y: f64| x * y),
        ArithOp::Div => match r {
            // a finite non-zero divisor: x / y is a flag exactly when x is
            Arg::Const(y) if finite(y) && y != 0.0 => {
                node(need, move |c, start, out, scratch| unary(c, start, out, scratch, &l, |x| norm(x / y)))
            }
            // x / 0 is ±∞ or NaN, a flag (the scalar closure's division by zero); x / ∞ is 0 and
            // must be flagged
            _ => node(need, move |c, start, out, scratch| {
                binary(c, start, out, scratch, &l, &r, |x, y| x / y + flag_of(y))
            }),
        },
        // pow(NaN, 0) and pow(1, NaN) are 1: flags are checked; 0 ^ negative is ∞, a flag (the
        // scalar closure's division by zero)
        ArithOp::Pow => node(need, move |c, start, out, scratch| {
            binary(c, start, out, scratch, &l, &r, |x, y| libm::pow(x, y) + (flag_of(x) + flag_of(y)))
        }),
    }
}

/// `l op r` as 1/0.
fn cmp(op: CmpOp, l: Arg, r: Arg) -> Option<Arg> {
    let need = binary_need(&l, &r);
    macro_rules! with {
        ($f:expr) => {
            node(need, move |c, start, out, scratch| {
                binary(c, start, out, scratch, &l, &r, |x, y| b($f(x, y)) + (flag_of(x) + flag_of(y)))
            })
        };
    }
    match op {
        CmpOp::Lt => with!(|x: f64, y: f64| x < y),
        CmpOp::Le => with!(|x: f64, y: f64| x <= y),
        CmpOp::Gt => with!(|x: f64, y: f64| x > y),
        CmpOp::Ge => with!(|x: f64, y: f64| x >= y),
        CmpOp::Eq => with!(|x: f64, y: f64| x == y),
        CmpOp::Ne => with!(|x: f64, y: f64| x != y),
    }
}

/// `clamp(x, lo, hi)` for constant bounds `lo < hi`: exactly `x.max(lo).min(hi)` as the scalar
/// closure computes it, by comparisons. The two differ only in the sign of a zero when `x` and a
/// bound are zeros of opposite signs (`f64::max` may return either): such a unit is flagged.
fn clamp_const(x: Arg, lo: f64, hi: f64) -> Option<Arg> {
    let need = x.need();
    if x.normal() && Arg::Const(lo).normal() && Arg::Const(hi).normal() {
        // no −0 anywhere: equal values have equal bits, so `max` and `min` have nothing to choose,
        // and a result that is never −0 takes the flag of `x` by an addition
        return normal(node(need, move |c, start, out, scratch| {
            unary(c, start, out, scratch, &x, |x| {
                let v = if x < lo { lo } else { x };
                let v = if v > hi { hi } else { v };
                v + flag_of(x)
            })
        }));
    }
    // a bound that is a zero: a zero `x` of the other sign is flagged (as a sign: −1 or 1)
    let zero_sign = [lo, hi].into_iter().find(|z| *z == 0.0).map(|z| 1f64.copysign(z));
    node(need, move |c, start, out, scratch| {
        unary(c, start, out, scratch, &x, |x| {
            let v = if x < lo { lo } else { x };
            let v = if x > hi { hi } else { v };
            // copysign rather than the sign bit: the loop stays in vector registers
            let tie = zero_sign.is_some_and(|z| (x == 0.0) & (1f64.copysign(x) != z));
            ok_or_flag(finite(x) & !tie, v)
        })
    })
}

/// A function of its operands.
fn call(func: Func, args: Vec<Arg>) -> Option<Arg> {
    // `fin` normalises min, max, sum, mean, ln, exp; |x| and counts are never −0
    let normalised = matches!(
        func,
        Func::Min
            | Func::Max
            | Func::Sum
            | Func::Mean
            | Func::Ln
            | Func::Exp
            | Func::Pow
            | Func::Abs
            | Func::Count
            | Func::Share
            | Func::Answered
            | Func::GroupCount(_)
            | Func::GroupShare(_)
    );
    let k = call_node(func, args);
    if normalised {
        normal(k)
    } else {
        k
    }
}

/// A function of its operands (see [`call`]).
fn call_node(func: Func, mut args: Vec<Arg>) -> Option<Arg> {
    let n = args.len();
    let refs: Vec<&Arg> = args.iter().collect();
    // operands after the first are read through a buffer
    let fold_need = 1 + most(&refs);
    match func {
        Func::Min | Func::Max | Func::Sum | Func::Mean if n == 0 => Some(Arg::Const(0.0)),
        Func::Min => node(fold_need, move |c, start, out, scratch| {
            fold_args(c, start, out, scratch, &args, |acc, x| acc.min(x) + (flag_of(acc) + flag_of(x)));
            out.iter_mut().for_each(|o| *o = norm(*o));
        }),
        Func::Max => node(fold_need, move |c, start, out, scratch| {
            fold_args(c, start, out, scratch, &args, |acc, x| acc.max(x) + (flag_of(acc) + flag_of(x)));
            out.iter_mut().for_each(|o| *o = norm(*o));
        }),
        Func::Sum => node(fold_need, move |c, start, out, scratch| {
            fold_args(c, start, out, scratch, &args, |acc, x| acc + x);
            out.iter_mut().for_each(|o| *o = norm(*o));
        }),
        Func::Mean => {
            let k = n as f64;
            node(fold_need, move |c, start, out, scratch| {
                fold_args(c, start, out, scratch, &args, |acc, x| acc + x);
                out.iter_mut().for_each(|o| *o = norm(*o / k));
            })
        }
        Func::Clamp if n == 3 => {
            let hi = args.pop()?;
            let lo = args.pop()?;
            let x = args.pop()?;
            match (lo, hi) {
                (Arg::Const(lo), Arg::Const(hi)) if lo < hi => clamp_const(x, lo, hi),
                (lo, hi) => {
                    let need = x.need().max(2 + most(&[&lo, &hi]));
                    node(need, move |c, start, out, scratch| {
                        let n = out.len();
                        eval_into(&x, c, start, out, scratch);
                        let (lb, scratch) = split(scratch, n);
                        let (hb, scratch) = split(scratch, n);
                        let los = &fetch(&lo, c, start, lb, scratch)[..n];
                        let his = &fetch(&hi, c, start, hb, scratch)[..n];
                        for i in 0..n {
                            let (x, l, h) = (out[i], los[i], his[i]);
                            let ok = finite(x) & finite(l) & finite(h) & (l <= h);
                            out[i] = ok_or_flag(ok, x.max(l).min(h));
                        }
                    })
                }
            }
        }
        Func::Abs if n == 1 => {
            let x = args.pop()?;
            // |NaN| and |∞| stay flags
            node(x.need(), move |c, start, out, scratch| unary(c, start, out, scratch, &x, f64::abs))
        }
        Func::Round | Func::RoundHalfEven if n == 2 => {
            let m = if func == Func::Round { Rounding::HalfAwayFromZero } else { Rounding::HalfEven };
            let d = args.pop()?;
            let x = args.pop()?;
            match d {
                Arg::Const(d) if finite(d) => {
                    let d = d as u32;
                    node(x.need(), move |c, start, out, scratch| {
                        unary(c, start, out, scratch, &x, |x| ok_or_flag(finite(x), round(x, d, m)))
                    })
                }
                d => node(binary_need(&x, &d), move |c, start, out, scratch| {
                    binary(c, start, out, scratch, &x, &d, |x, d| {
                        ok_or_flag(finite(x) && finite(d), round(x, d as u32, m))
                    })
                }),
            }
        }
        Func::Ln if n == 1 => {
            let x = args.pop()?;
            node(x.need(), move |c, start, out, scratch| {
                // ln 0 is −∞ and ln of a negative number NaN: flags (the scalar closure's domain miss)
                unary(c, start, out, scratch, &x, |x| norm(libm::log(x)))
            })
        }
        Func::Exp if n == 1 => {
            let x = args.pop()?;
            // exp(-∞) is 0: flags are checked; an overflow is ∞, a flag
            node(x.need(), move |c, start, out, scratch| {
                unary(c, start, out, scratch, &x, |x| libm::exp(x) + flag_of(x))
            })
        }
        Func::Sqrt if n == 1 => {
            let x = args.pop()?;
            // √negative is NaN (the scalar closure's domain miss); no normalisation, as there
            node(x.need(), move |c, start, out, scratch| unary(c, start, out, scratch, &x, f64::sqrt))
        }
        Func::Pow if n == 2 => {
            let y = args.pop()?;
            let x = args.pop()?;
            arith(ArithOp::Pow, x, y)
        }
        // under a group's `missing zero` or `not_assessable` every item answered gives the plain
        // count and share; any missing item is a flag, so the scalar closure decides
        Func::Count | Func::GroupCount(_) => node(fold_need, move |c, start, out, scratch| {
            let n = out.len();
            out.fill(0.0);
            let (buf, scratch) = split(scratch, n);
            for a in &args {
                let xs = &fetch(a, c, start, buf, scratch)[..n];
                for i in 0..n {
                    out[i] += b(xs[i] != 0.0) + flag_of(xs[i]);
                }
            }
        }),
        Func::Share if n > 0 && args.iter().all(Arg::exact) => node(1 + fold_need, move |c, start, out, scratch| {
            // exact operands: not finite is missing, so the answered are counted here; none
            // answered is a flag (the scalar closure gives the first miss)
            let n = out.len();
            out.fill(0.0);
            let (answered, scratch) = split(scratch, n);
            answered.fill(0.0);
            let (buf, scratch) = split(scratch, n);
            for a in &args {
                let xs = &fetch(a, c, start, buf, scratch)[..n];
                for i in 0..n {
                    let present = finite(xs[i]);
                    answered[i] += b(present);
                    out[i] += b(present & (xs[i] != 0.0));
                }
            }
            for i in 0..n {
                out[i] = ok_or_flag(answered[i] != 0.0, norm(out[i] / answered[i] * 100.0));
            }
        }),
        Func::Share | Func::GroupShare(_) if n > 0 => {
            let k = n as f64;
            node(fold_need, move |c, start, out, scratch| {
                let n = out.len();
                out.fill(0.0);
                let (buf, scratch) = split(scratch, n);
                for a in &args {
                    let xs = &fetch(a, c, start, buf, scratch)[..n];
                    for i in 0..n {
                        out[i] += b(xs[i] != 0.0) + flag_of(xs[i]);
                    }
                }
                out.iter_mut().for_each(|o| *o = norm(*o / k * 100.0));
            })
        }
        Func::Answered => {
            let exact = args.iter().all(Arg::exact);
            node(fold_need, move |c, start, out, scratch| {
                let n = out.len();
                out.fill(0.0);
                let (buf, scratch) = split(scratch, n);
                for a in &args {
                    let xs = &fetch(a, c, start, buf, scratch)[..n];
                    for i in 0..n {
                        out[i] += if finite(xs[i]) {
                            1.0
                        } else if exact {
                            0.0
                        } else {
                            f64::NAN
                        };
                    }
                }
            })
        }
        // always missing: every unit is the scalar closure's
        Func::Missing(_) => flagged(),
        _ => None,
    }
}
