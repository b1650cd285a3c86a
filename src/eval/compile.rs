//! Compiling [`Ir`] to closures over columns: done once per methodology, run per unit.
//!
//! The operations themselves (arithmetic with its division-by-zero and domain checks, Kleene
//! logic, rounding, functions, the choice of a band or a `match` arm) are the small `#[inline]`
//! functions at the top of this file. The compiled closures call them, and so does the recording
//! interpreter of [`trace`](super::trace), so an explanation can never compute a value differently
//! from the evaluation it explains.

use crate::model::{ArithOp, CmpOp, Column, Func, Ir, Miss, NumRange, Reason, Unanswered, Val};
use crate::number::{round, Rounding};

/// The columns of one period: `cols[slot].get(unit)`.
pub type Cols = [Column];

/// A compiled formula: reads the columns for one unit.
pub type Code = Box<dyn Fn(&Cols, usize) -> Val + Send + Sync>;

// ───────────────────────────── shared operations ─────────────────────────────

#[inline]
fn miss(reason: Reason, origin: u32) -> Miss {
    Miss { reason, origin }
}

/// A finite result, or a domain miss (overflow to infinity, NaN).
#[inline]
pub(crate) fn fin(x: f64, origin: u32) -> Val {
    if x.is_finite() {
        Ok(if x == 0.0 { 0.0 } else { x })
    } else {
        Err(miss(Reason::Domain, origin))
    }
}

/// yes/no as 1/0.
#[inline]
pub(crate) fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// A slot's value rounded to `digits` (what is published is what is judged).
#[inline]
pub(crate) fn rounded(v: Val, digits: u32, mode: Rounding) -> Val {
    v.map(|x| round(x, digits, mode))
}

/// `-x` (never −0).
#[inline]
pub(crate) fn neg(v: Val) -> Val {
    v.map(|x| if x == 0.0 { 0.0 } else { -x })
}

/// `not x` (missing stays missing).
#[inline]
pub(crate) fn not(v: Val) -> Val {
    v.map(|x| b(x == 0.0))
}

/// `x op y` on two present numbers: division by zero and `0 ^ negative` give
/// `division_by_zero`, an infinite or undefined result gives `domain`.
#[inline]
pub(crate) fn arith(op: ArithOp, x: f64, y: f64, o: u32) -> Val {
    match op {
        ArithOp::Add => fin(x + y, o),
        ArithOp::Sub => fin(x - y, o),
        ArithOp::Mul => fin(x * y, o),
        ArithOp::Div => {
            if y == 0.0 {
                Err(miss(Reason::DivisionByZero, o))
            } else {
                fin(x / y, o)
            }
        }
        ArithOp::Pow => power(x, y, o),
    }
}

/// `x ^ y` and `pow(x, y)`.
#[inline]
pub(crate) fn power(x: f64, y: f64, o: u32) -> Val {
    if x == 0.0 && y < 0.0 {
        return Err(miss(Reason::DivisionByZero, o));
    }
    fin(libm::pow(x, y), o)
}

/// `x op y` for a comparison, as 1/0.
#[inline]
pub(crate) fn compare(op: CmpOp, x: f64, y: f64) -> f64 {
    b(match op {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
    })
}

/// Kleene `and`: `no and missing` is no. `r` is computed only when it can change the result.
#[inline]
pub(crate) fn and(l: Val, r: impl FnOnce() -> Val) -> Val {
    match l {
        Ok(0.0) => Ok(0.0),
        Ok(_) => r().map(|y| b(y != 0.0)),
        Err(m) => match r() {
            Ok(0.0) => Ok(0.0),
            _ => Err(m),
        },
    }
}

/// Kleene `or`: `yes or missing` is yes. `r` is computed only when it can change the result.
#[inline]
pub(crate) fn or(l: Val, r: impl FnOnce() -> Val) -> Val {
    match l {
        Ok(x) if x != 0.0 => Ok(1.0),
        Ok(_) => r().map(|y| b(y != 0.0)),
        Err(m) => match r() {
            Ok(y) if y != 0.0 => Ok(1.0),
            _ => Err(m),
        },
    }
}

/// `a ?? b`: `b` is computed only when `a` is missing.
#[inline]
pub(crate) fn coalesce(l: Val, r: impl FnOnce() -> Val) -> Val {
    l.or_else(|_| r())
}

/// `is_missing(x)`, `is_missing(x, "reason")`.
#[inline]
pub(crate) fn is_missing(v: Val, reason: Option<Reason>) -> Val {
    Ok(match v {
        Ok(_) => 0.0,
        Err(m) => b(reason.is_none_or(|r| r == m.reason)),
    })
}

/// `missing_reason(x)`: the reason's index in [`Reason::ALL`], or its length ("present").
#[inline]
pub(crate) fn missing_reason(v: Val) -> Val {
    Ok(match v {
        Ok(_) => Reason::ALL.len() as f64,
        Err(m) => Reason::ALL.iter().position(|r| *r == m.reason).unwrap_or(0) as f64,
    })
}

/// The condition of `if`: missing makes the whole `if` missing.
#[inline]
pub(crate) fn truth(v: Val) -> Result<bool, Miss> {
    v.map(|x| x != 0.0)
}

/// The band holding `x`, by position.
#[inline]
pub(crate) fn band_of<T>(arms: &[(NumRange, T)], x: f64) -> Option<usize> {
    arms.iter().position(|(r, _)| r.contains(x))
}

/// The `match` arm listing option `k`, by position.
#[inline]
pub(crate) fn arm_of<T>(arms: &[(Vec<u32>, T)], k: f64) -> Option<usize> {
    let k = k as u32;
    arms.iter().position(|(keys, _)| keys.contains(&k))
}

/// A value outside every band, or an option no arm lists, without `else`.
#[inline]
pub(crate) fn no_arm(o: u32) -> Val {
    Err(miss(Reason::Domain, o))
}

/// A function applied to its arguments, taken in order from `args` and only as far as needed
/// (the first missing argument of `min`, `count`, … makes the result missing with its reason).
#[inline]
pub(crate) fn apply(func: Func, mut args: impl Iterator<Item = Val>, n: usize, o: u32) -> Val {
    match func {
        Func::Min | Func::Max | Func::Sum | Func::Mean => {
            let mut acc: Option<f64> = None;
            for x in args {
                let x = x?;
                acc = Some(match (acc, func) {
                    (None, _) => x,
                    (Some(y), Func::Min) => y.min(x),
                    (Some(y), Func::Max) => y.max(x),
                    (Some(y), _) => y + x,
                });
            }
            let v = acc.unwrap_or(0.0);
            fin(if func == Func::Mean { v / n.max(1) as f64 } else { v }, o)
        }
        Func::Clamp => {
            let mut next = || args.next().unwrap_or(Ok(0.0));
            let x = next()?;
            let lo = next()?;
            let hi = next()?;
            if lo > hi {
                return Err(miss(Reason::Domain, o));
            }
            Ok(x.max(lo).min(hi))
        }
        Func::Abs => args.next().unwrap_or(Ok(0.0)).map(f64::abs),
        Func::Round | Func::RoundHalfEven => {
            let mode = if func == Func::Round { Rounding::HalfAwayFromZero } else { Rounding::HalfEven };
            let x = args.next().unwrap_or(Ok(0.0))?;
            let d = args.next().unwrap_or(Ok(0.0))?;
            Ok(round(x, d as u32, mode))
        }
        Func::Ln => {
            let x = args.next().unwrap_or(Ok(0.0))?;
            if x <= 0.0 {
                Err(miss(Reason::Domain, o))
            } else {
                fin(libm::log(x), o)
            }
        }
        Func::Exp => fin(libm::exp(args.next().unwrap_or(Ok(0.0))?), o),
        Func::Sqrt => {
            let x = args.next().unwrap_or(Ok(0.0))?;
            if x < 0.0 {
                Err(miss(Reason::Domain, o))
            } else {
                Ok(x.sqrt())
            }
        }
        Func::Pow => {
            let x = args.next().unwrap_or(Ok(0.0))?;
            let y = args.next().unwrap_or(Ok(0.0))?;
            power(x, y, o)
        }
        Func::Count => {
            let mut k = 0.0;
            for x in args {
                if x? != 0.0 {
                    k += 1.0;
                }
            }
            Ok(k)
        }
        Func::Share => {
            let (mut yes, mut answered) = (0.0, 0.0);
            let mut first_miss = None;
            for x in args {
                match x {
                    Ok(x) => {
                        answered += 1.0;
                        if x != 0.0 {
                            yes += 1.0;
                        }
                    }
                    Err(m) => {
                        first_miss.get_or_insert(m);
                    }
                }
            }
            if answered == 0.0 {
                return Err(first_miss.unwrap_or(miss(Reason::NotSubmitted, o)));
            }
            fin(yes / answered * 100.0, o)
        }
        Func::Answered => Ok(args.filter(|x| x.is_ok()).count() as f64),
        Func::GroupCount(policy) => {
            let mut k = 0.0;
            for x in args {
                match x {
                    Ok(x) if x != 0.0 => k += 1.0,
                    Ok(_) => {}
                    Err(m) if m.reason == Reason::NotApplicable || policy != Unanswered::NotAssessable => {}
                    Err(m) => return Err(m),
                }
            }
            Ok(k)
        }
        Func::GroupShare(policy) => {
            // not-applicable items are left out; an unanswered one is `no` or makes it missing
            let (mut yes, mut counted) = (0.0, 0.0);
            let mut first_miss = None;
            for x in args {
                match x {
                    Ok(x) => {
                        counted += 1.0;
                        if x != 0.0 {
                            yes += 1.0;
                        }
                    }
                    Err(m) if m.reason == Reason::NotApplicable => {
                        first_miss.get_or_insert(m);
                    }
                    Err(m) => match policy {
                        Unanswered::Zero => counted += 1.0,
                        Unanswered::NotAssessable => return Err(m),
                        Unanswered::Skip => {
                            first_miss.get_or_insert(m);
                        }
                    },
                }
            }
            if counted == 0.0 {
                return Err(first_miss.unwrap_or(miss(Reason::NotApplicable, o)));
            }
            fin(yes / counted * 100.0, o)
        }
        Func::Missing(reason) => Err(miss(reason, o)),
    }
}

// ───────────────────────────── compilation ─────────────────────────────

/// Compiles an expression. `mode` is the methodology's rounding mode for `Rounded` reads.
pub fn compile(ir: &Ir, mode: Rounding) -> Code {
    match ir {
        Ir::Const(x) => {
            let x = *x;
            Box::new(move |_, _| Ok(x))
        }
        Ir::Slot(s) => {
            let s = s.0 as usize;
            Box::new(move |c, u| c[s].get(u))
        }
        Ir::Rounded(s, p) => {
            let (s, p) = (s.0 as usize, *p);
            Box::new(move |c, u| rounded(c[s].get(u), p, mode))
        }
        Ir::RoundExpr(a, p) => {
            let (a, p) = (compile(a, mode), *p);
            Box::new(move |c, u| rounded(a(c, u), p, mode))
        }
        Ir::Neg(a) => {
            let a = compile(a, mode);
            Box::new(move |c, u| neg(a(c, u)))
        }
        Ir::Not(a) => {
            let a = compile(a, mode);
            Box::new(move |c, u| not(a(c, u)))
        }
        Ir::Arith(op, l, r, o) => {
            let (l, r, o) = (compile(l, mode), compile(r, mode), *o);
            // one closure per operator, so the shared operation is inlined with a constant operator
            macro_rules! arith_with {
                ($op:expr) => {
                    Box::new(move |c, u| {
                        let x = l(c, u)?;
                        let y = r(c, u)?;
                        arith($op, x, y, o)
                    })
                };
            }
            match op {
                ArithOp::Add => arith_with!(ArithOp::Add),
                ArithOp::Sub => arith_with!(ArithOp::Sub),
                ArithOp::Mul => arith_with!(ArithOp::Mul),
                ArithOp::Div => arith_with!(ArithOp::Div),
                ArithOp::Pow => arith_with!(ArithOp::Pow),
            }
        }
        Ir::Cmp(op, l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            macro_rules! compare_with {
                ($op:expr) => {
                    Box::new(move |c, u| {
                        let x = l(c, u)?;
                        let y = r(c, u)?;
                        Ok(compare($op, x, y))
                    })
                };
            }
            match op {
                CmpOp::Lt => compare_with!(CmpOp::Lt),
                CmpOp::Le => compare_with!(CmpOp::Le),
                CmpOp::Gt => compare_with!(CmpOp::Gt),
                CmpOp::Ge => compare_with!(CmpOp::Ge),
                CmpOp::Eq => compare_with!(CmpOp::Eq),
                CmpOp::Ne => compare_with!(CmpOp::Ne),
            }
        }
        Ir::And(l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            Box::new(move |c, u| and(l(c, u), || r(c, u)))
        }
        Ir::Or(l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            Box::new(move |c, u| or(l(c, u), || r(c, u)))
        }
        Ir::Coalesce(l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            Box::new(move |c, u| coalesce(l(c, u), || r(c, u)))
        }
        Ir::IsMissing(a, reason) => {
            let (a, reason) = (compile(a, mode), *reason);
            Box::new(move |c, u| is_missing(a(c, u), reason))
        }
        Ir::MissingReason(a) => {
            let a = compile(a, mode);
            Box::new(move |c, u| missing_reason(a(c, u)))
        }
        Ir::If(cond, t, f) => {
            let (cond, t, f) = (compile(cond, mode), compile(t, mode), compile(f, mode));
            Box::new(move |c, u| if truth(cond(c, u))? { t(c, u) } else { f(c, u) })
        }
        Ir::Call(func, args, o) => {
            let (func, o) = (*func, *o);
            let args: Vec<Code> = args.iter().map(|a| compile(a, mode)).collect();
            Box::new(move |c, u| apply(func, args.iter().map(|a| a(c, u)), args.len(), o))
        }
        Ir::Bands(s, arms, otherwise, o) => {
            let s = compile(s, mode);
            let arms: Vec<(NumRange, Code)> = arms.iter().map(|(r, v)| (*r, compile(v, mode))).collect();
            let otherwise = otherwise.as_ref().map(|e| compile(e, mode));
            let o = *o;
            Box::new(move |c, u| {
                let x = s(c, u)?;
                match band_of(&arms, x) {
                    Some(k) => arms[k].1(c, u),
                    None => match &otherwise {
                        Some(e) => e(c, u),
                        None => no_arm(o),
                    },
                }
            })
        }
        Ir::Match(s, arms, otherwise, o) => {
            let s = compile(s, mode);
            let arms: Vec<(Vec<u32>, Code)> = arms.iter().map(|(keys, v)| (keys.clone(), compile(v, mode))).collect();
            let otherwise = otherwise.as_ref().map(|e| compile(e, mode));
            let o = *o;
            Box::new(move |c, u| {
                let k = s(c, u)?;
                match arm_of(&arms, k) {
                    Some(j) => arms[j].1(c, u),
                    None => match &otherwise {
                        Some(e) => e(c, u),
                        None => no_arm(o),
                    },
                }
            })
        }
    }
}
