//! Compiling [`Ir`] to closures over columns: done once per methodology, run per unit.

use crate::model::{ArithOp, CmpOp, Func, Ir, Miss, Reason, Val};
use crate::number::{round, Rounding};

/// The columns of one period: `cols[slot][unit]`.
pub type Cols = [Vec<Val>];

/// A compiled formula: reads the columns for one unit.
pub type Code = Box<dyn Fn(&Cols, usize) -> Val + Send + Sync>;

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

#[inline]
fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// Compiles an expression. `mode` is the methodology's rounding mode for `Rounded` reads.
pub fn compile(ir: &Ir, mode: Rounding) -> Code {
    match ir {
        Ir::Const(x) => {
            let x = *x;
            Box::new(move |_, _| Ok(x))
        }
        Ir::Slot(s) => {
            let s = s.0 as usize;
            Box::new(move |c, u| c[s][u])
        }
        Ir::Rounded(s, p) => {
            let (s, p) = (s.0 as usize, *p);
            Box::new(move |c, u| c[s][u].map(|x| round(x, p, mode)))
        }
        Ir::RoundExpr(a, p) => {
            let (a, p) = (compile(a, mode), *p);
            Box::new(move |c, u| a(c, u).map(|x| round(x, p, mode)))
        }
        Ir::Neg(a) => {
            let a = compile(a, mode);
            Box::new(move |c, u| a(c, u).map(|x| if x == 0.0 { 0.0 } else { -x }))
        }
        Ir::Not(a) => {
            let a = compile(a, mode);
            Box::new(move |c, u| a(c, u).map(|x| b(x == 0.0)))
        }
        Ir::Arith(op, l, r, o) => {
            let (l, r, o) = (compile(l, mode), compile(r, mode), *o);
            match op {
                ArithOp::Add => Box::new(move |c, u| fin(l(c, u)? + r(c, u)?, o)),
                ArithOp::Sub => Box::new(move |c, u| fin(l(c, u)? - r(c, u)?, o)),
                ArithOp::Mul => Box::new(move |c, u| fin(l(c, u)? * r(c, u)?, o)),
                ArithOp::Div => Box::new(move |c, u| {
                    let x = l(c, u)?;
                    let y = r(c, u)?;
                    if y == 0.0 {
                        Err(miss(Reason::DivisionByZero, o))
                    } else {
                        fin(x / y, o)
                    }
                }),
                ArithOp::Pow => Box::new(move |c, u| {
                    let x = l(c, u)?;
                    let y = r(c, u)?;
                    if x == 0.0 && y < 0.0 {
                        return Err(miss(Reason::DivisionByZero, o));
                    }
                    fin(libm::pow(x, y), o)
                }),
            }
        }
        Ir::Cmp(op, l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            match op {
                CmpOp::Lt => Box::new(move |c, u| Ok(b(l(c, u)? < r(c, u)?))),
                CmpOp::Le => Box::new(move |c, u| Ok(b(l(c, u)? <= r(c, u)?))),
                CmpOp::Gt => Box::new(move |c, u| Ok(b(l(c, u)? > r(c, u)?))),
                CmpOp::Ge => Box::new(move |c, u| Ok(b(l(c, u)? >= r(c, u)?))),
                CmpOp::Eq => Box::new(move |c, u| Ok(b(l(c, u)? == r(c, u)?))),
                CmpOp::Ne => Box::new(move |c, u| Ok(b(l(c, u)? != r(c, u)?))),
            }
        }
        Ir::And(l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            Box::new(move |c, u| match l(c, u) {
                Ok(x) if x == 0.0 => Ok(0.0),
                Ok(_) => r(c, u).map(|y| b(y != 0.0)),
                Err(m) => match r(c, u) {
                    Ok(y) if y == 0.0 => Ok(0.0),
                    _ => Err(m),
                },
            })
        }
        Ir::Or(l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            Box::new(move |c, u| match l(c, u) {
                Ok(x) if x != 0.0 => Ok(1.0),
                Ok(_) => r(c, u).map(|y| b(y != 0.0)),
                Err(m) => match r(c, u) {
                    Ok(y) if y != 0.0 => Ok(1.0),
                    _ => Err(m),
                },
            })
        }
        Ir::Coalesce(l, r) => {
            let (l, r) = (compile(l, mode), compile(r, mode));
            Box::new(move |c, u| l(c, u).or_else(|_| r(c, u)))
        }
        Ir::IsMissing(a, reason) => {
            let (a, reason) = (compile(a, mode), *reason);
            Box::new(move |c, u| {
                Ok(match a(c, u) {
                    Ok(_) => 0.0,
                    Err(m) => b(reason.is_none_or(|r| r == m.reason)),
                })
            })
        }
        Ir::MissingReason(a) => {
            let a = compile(a, mode);
            Box::new(move |c, u| {
                Ok(match a(c, u) {
                    Ok(_) => Reason::ALL.len() as f64,
                    Err(m) => Reason::ALL.iter().position(|r| *r == m.reason).unwrap_or(0) as f64,
                })
            })
        }
        Ir::If(cond, t, f) => {
            let (cond, t, f) = (compile(cond, mode), compile(t, mode), compile(f, mode));
            Box::new(move |c, u| if cond(c, u)? != 0.0 { t(c, u) } else { f(c, u) })
        }
        Ir::Call(func, args, o) => call(*func, args.iter().map(|a| compile(a, mode)).collect(), *o),
        Ir::Bands(s, arms, otherwise, o) => {
            let s = compile(s, mode);
            let arms: Vec<_> = arms.iter().map(|(r, v)| (*r, compile(v, mode))).collect();
            let otherwise = otherwise.as_ref().map(|e| compile(e, mode));
            let o = *o;
            Box::new(move |c, u| {
                let x = s(c, u)?;
                for (r, v) in &arms {
                    if r.contains(x) {
                        return v(c, u);
                    }
                }
                match &otherwise {
                    Some(e) => e(c, u),
                    None => Err(miss(Reason::Domain, o)),
                }
            })
        }
        Ir::Match(s, arms, otherwise, o) => {
            let s = compile(s, mode);
            let arms: Vec<_> = arms.iter().map(|(keys, v)| (keys.clone(), compile(v, mode))).collect();
            let otherwise = otherwise.as_ref().map(|e| compile(e, mode));
            let o = *o;
            Box::new(move |c, u| {
                let k = s(c, u)? as u32;
                for (keys, v) in &arms {
                    if keys.contains(&k) {
                        return v(c, u);
                    }
                }
                match &otherwise {
                    Some(e) => e(c, u),
                    None => Err(miss(Reason::Domain, o)),
                }
            })
        }
    }
}

fn call(func: Func, args: Vec<Code>, o: u32) -> Code {
    match func {
        Func::Min | Func::Max | Func::Sum | Func::Mean => Box::new(move |c, u| {
            let mut acc: Option<f64> = None;
            for a in &args {
                let x = a(c, u)?;
                acc = Some(match (acc, func) {
                    (None, _) => x,
                    (Some(y), Func::Min) => y.min(x),
                    (Some(y), Func::Max) => y.max(x),
                    (Some(y), _) => y + x,
                });
            }
            let v = acc.unwrap_or(0.0);
            fin(if func == Func::Mean { v / args.len().max(1) as f64 } else { v }, o)
        }),
        Func::Clamp => Box::new(move |c, u| {
            let x = args[0](c, u)?;
            let lo = args[1](c, u)?;
            let hi = args[2](c, u)?;
            if lo > hi {
                return Err(miss(Reason::Domain, o));
            }
            Ok(x.max(lo).min(hi))
        }),
        Func::Abs => Box::new(move |c, u| args[0](c, u).map(f64::abs)),
        Func::Round | Func::RoundHalfEven => {
            let mode = if func == Func::Round { Rounding::HalfAwayFromZero } else { Rounding::HalfEven };
            Box::new(move |c, u| {
                let x = args[0](c, u)?;
                let d = args[1](c, u)?;
                Ok(round(x, d as u32, mode))
            })
        }
        Func::Ln => Box::new(move |c, u| {
            let x = args[0](c, u)?;
            if x <= 0.0 {
                Err(miss(Reason::Domain, o))
            } else {
                fin(libm::log(x), o)
            }
        }),
        Func::Exp => Box::new(move |c, u| fin(libm::exp(args[0](c, u)?), o)),
        Func::Sqrt => Box::new(move |c, u| {
            let x = args[0](c, u)?;
            if x < 0.0 {
                Err(miss(Reason::Domain, o))
            } else {
                Ok(x.sqrt())
            }
        }),
        Func::Pow => Box::new(move |c, u| {
            let x = args[0](c, u)?;
            let y = args[1](c, u)?;
            if x == 0.0 && y < 0.0 {
                return Err(miss(Reason::DivisionByZero, o));
            }
            fin(libm::pow(x, y), o)
        }),
        Func::Count => Box::new(move |c, u| {
            let mut n = 0.0;
            for a in &args {
                if a(c, u)? != 0.0 {
                    n += 1.0;
                }
            }
            Ok(n)
        }),
        Func::Share => Box::new(move |c, u| {
            let (mut yes, mut answered) = (0.0, 0.0);
            let mut first_miss = None;
            for a in &args {
                match a(c, u) {
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
        }),
        Func::Answered => Box::new(move |c, u| Ok(args.iter().filter(|a| a(c, u).is_ok()).count() as f64)),
    }
}
