//! Operators in formulas: arithmetic (units, constant folding, division by a value that may be
//! zero), comparisons (numbers, yes/no, options of a choice), and `match` over options.

use crate::check::units::Unit;
use crate::check::{const_value, Checker, ChoiceSet, Ty};
use crate::diagnostics::{self, Code, Diag};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, BinOp};

use super::{fold_arith, Cx};

impl Checker<'_> {
    pub(crate) fn binary(&mut self, op: BinOp, a: &ast::Expr, b: &ast::Expr, span: Span, cx: &mut Cx) -> (Ir, Ty) {
        match op {
            BinOp::And | BinOp::Or => {
                let (ai, at) = self.lower(a, cx);
                self.want_bool(&at, a.span, &format!("on the left of `{}`", op.symbol()));
                let n = cx.guards.len();
                if op == BinOp::And {
                    let mut g = vec![];
                    ai.slots_into(&mut g);
                    cx.guards.extend(g);
                }
                let (bi, bt) = self.lower(b, cx);
                cx.guards.truncate(n);
                self.want_bool(&bt, b.span, &format!("on the right of `{}`", op.symbol()));
                let ir = if op == BinOp::And {
                    Ir::And(Box::new(ai), Box::new(bi))
                } else {
                    Ir::Or(Box::new(ai), Box::new(bi))
                };
                (ir, Ty::Bool)
            }
            BinOp::Coalesce => {
                cx.coalesced += 1;
                let (ai, at) = self.lower(a, cx);
                cx.coalesced -= 1;
                let (bi, bt) = self.lower(b, cx);
                let ty = self.same(&at, &bt, a.span, b.span, "the two sides of `??` are");
                (Ir::Coalesce(Box::new(ai), Box::new(bi)), ty)
            }
            _ if op.is_comparison() => self.comparison(op, a, b, span, cx),
            _ => {
                let (ai, at) = self.lower(a, cx);
                let (bi, bt) = self.lower(b, cx);
                let what = match op {
                    BinOp::Add => "in a sum",
                    BinOp::Sub => "in a difference",
                    BinOp::Mul => "in a product",
                    BinOp::Div => "in a division",
                    _ => "in a power",
                };
                let ua = self.want_num(&at, a.span, what);
                let ub = self.want_num(&bt, b.span, what);
                let (aop, unit) = match op {
                    BinOp::Add | BinOp::Sub => {
                        if !ua.compatible(&ub) {
                            self.unit_mismatch(
                                &ua,
                                &ub,
                                a.span,
                                b.span,
                                if op == BinOp::Add { "adding" } else { "subtracting" },
                            );
                        }
                        (if op == BinOp::Add { ArithOp::Add } else { ArithOp::Sub }, ua.join(&ub))
                    }
                    BinOp::Mul => (ArithOp::Mul, ua.combine(&ub, 1)),
                    BinOp::Div => {
                        self.zero_denominator(&bi, b, cx);
                        (ArithOp::Div, ua.combine(&ub, -1))
                    }
                    _ => {
                        let unit = match (const_value(b), ua.is_plain()) {
                            (_, true) => ua.clone(),
                            (Some((n, false)), false) if n.fract() == 0.0 && n.abs() <= 16.0 => ua.powi(n as i32),
                            _ => {
                                self.err(
                                    Diag::error(Code::Unit, format!("a quantity in {ua} can only be raised to a whole number written in the formula"))
                                        .at(b.span, "not a whole number")
                                        .help("divide by a reference value first to get a plain number"),
                                );
                                Unit::Free
                            }
                        };
                        (ArithOp::Pow, unit)
                    }
                };
                let origin = if matches!(aop, ArithOp::Div | ArithOp::Pow | ArithOp::Mul | ArithOp::Add | ArithOp::Sub)
                {
                    self.origin(cx.owner, span)
                } else {
                    0
                };
                (fold_arith(aop, ai, bi, origin), Ty::Num(unit))
            }
        }
    }

    pub(crate) fn zero_denominator(&mut self, bi: &Ir, b: &ast::Expr, cx: &Cx) {
        if cx.coalesced > 0 {
            return;
        }
        let Ir::Slot(s) = bi else { return };
        if cx.guards.contains(s) {
            return;
        }
        let Some(q) = self.questions.values().find(|q| q.slot == *s) else {
            return;
        };
        if q.range.contains(0.0) {
            let qid = q.id.clone();
            self.err(
                Diag::warning(Code::MaybeZero, format!("the denominator `{qid}` may be zero"))
                    .at(b.span, "may be zero")
                    .help(format!(
                        "a state answering 0 gets `division_by_zero` here; if it cannot be zero, declare its range `in 1..`; otherwise say what to do: `if {qid} > 0 then … else …` or `(…) ?? 0`"
                    )),
            );
        }
    }

    pub(crate) fn comparison(&mut self, op: BinOp, a: &ast::Expr, b: &ast::Expr, span: Span, cx: &mut Cx) -> (Ir, Ty) {
        let (ai, at) = self.lower(a, cx);
        let (bi, bt) = self.lower(b, cx);
        let cmp = match op {
            BinOp::Lt => CmpOp::Lt,
            BinOp::Le => CmpOp::Le,
            BinOp::Gt => CmpOp::Gt,
            BinOp::Ge => CmpOp::Ge,
            BinOp::Eq => CmpOp::Eq,
            _ => CmpOp::Ne,
        };
        let ordered = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
        let (ai, bi) = match (&at, &bt) {
            (Ty::Error, _) | (_, Ty::Error) => (ai, bi),
            (Ty::Num(x), Ty::Num(y)) => {
                if !x.compatible(y) {
                    self.unit_mismatch(x, y, a.span, b.span, "comparing");
                }
                (ai, bi)
            }
            (Ty::Bool, Ty::Bool) if !ordered => (ai, bi),
            (Ty::Choice(set), Ty::Str(s)) if !ordered => {
                let k = self.option_index(set, s, b.span);
                (ai, Ir::Const(k))
            }
            (Ty::Str(s), Ty::Choice(set)) if !ordered => {
                let k = self.option_index(set, s, a.span);
                (Ir::Const(k), bi)
            }
            (Ty::Choice(x), Ty::Choice(y)) if !ordered && x == y => (ai, bi),
            (Ty::Choice(_) | Ty::Str(_) | Ty::Bool, _) | (_, Ty::Choice(_) | Ty::Str(_) | Ty::Bool)
                if ordered && (matches!(at, Ty::Choice(_) | Ty::Bool) || matches!(bt, Ty::Choice(_) | Ty::Bool)) =>
            {
                let what = if matches!(at, Ty::Bool) || matches!(bt, Ty::Bool) {
                    "yes and no have"
                } else {
                    "the options of a choice have"
                };
                self.err(
                    Diag::error(Code::Type, format!("{what} no order: `{}` cannot compare them", op.symbol()))
                        .at(span, "ordered comparison")
                        .help("compare with `==` or `!=`, or turn options into numbers with `match(q) { \"full\" => 2, \"partial\" => 1, else => 0 }`"),
                );
                (ai, bi)
            }
            _ => {
                let help = if ordered && matches!((&at, &bt), (Ty::Choice(_), _) | (_, Ty::Choice(_)) | (Ty::Bool, _)) {
                    "options and yes/no are compared with `==` or `!=` only"
                } else {
                    "compare numbers with numbers, yes/no with yes/no, and a choice with one of its options in quotes"
                };
                self.err(
                    Diag::error(Code::Type, format!("cannot compare {} with {}", at.describe(), bt.describe()))
                        .at(span, format!("`{}` between different types", op.symbol()))
                        .help(help),
                );
                (ai, bi)
            }
        };
        (Ir::Cmp(cmp, Box::new(ai), Box::new(bi)), Ty::Bool)
    }

    /// The option names of a choice type.
    pub(crate) fn options_of(&self, set: &ChoiceSet) -> Vec<String> {
        match set {
            ChoiceSet::Question(q) => match &self.questions[*q].ty {
                QuestionType::Choice(opts) => opts.iter().map(|o| o.id.clone()).collect(),
                _ => vec![],
            },
            ChoiceSet::Reasons => {
                Reason::ALL.iter().map(|r| r.as_str().to_string()).chain(["present".to_string()]).collect()
            }
            ChoiceSet::Levels(k) => std::iter::once("none".to_string())
                .chain(self.standards[*k].levels.iter().map(|l| l.name.clone()))
                .collect(),
        }
    }

    pub(crate) fn option_index(&mut self, set: &ChoiceSet, s: &str, span: Span) -> f64 {
        let opts = self.options_of(set);
        match opts.iter().position(|o| o == s) {
            Some(k) => k as f64,
            None => {
                let mut d = Diag::error(Code::UnknownName, format!("`{s}` is not one of the options"))
                    .at(span, "unknown option");
                d = match diagnostics::suggest(s, opts.iter().map(String::as_str)) {
                    Some(x) => d.help(format!("did you mean `{x}`? the options are {}", opts.join(", "))),
                    None => d.help(format!("the options are {}", opts.join(", "))),
                };
                self.err(d);
                -1.0
            }
        }
    }

    pub(crate) fn match_expr(
        &mut self,
        subject: &ast::Expr,
        arms: &[(Vec<(String, Span)>, ast::Expr)],
        otherwise: Option<&ast::Expr>,
        span: Span,
        cx: &mut Cx,
    ) -> (Ir, Ty) {
        let (si, st) = self.lower(subject, cx);
        let set = match &st {
            Ty::Choice(set) => Some(set.clone()),
            Ty::Error => None,
            other => {
                self.type_error(
                    subject.span,
                    format!("`match` needs a choice, but this is {}", other.describe()),
                    "not a choice",
                    "for numbers, use `bands(x) { … }`",
                );
                None
            }
        };
        let mut covered: Vec<u32> = vec![];
        let mut out = vec![];
        let mut ty: Option<Ty> = None;
        for (keys, value) in arms {
            let mut idx = vec![];
            for (k, ks) in keys {
                if let Some(set) = &set {
                    let i = self.option_index(set, k, *ks);
                    if i >= 0.0 {
                        let i = i as u32;
                        if covered.contains(&i) {
                            self.err(
                                Diag::error(Code::Duplicate, format!("the option `{k}` appears in two arms"))
                                    .at(*ks, "again here")
                                    .help("each option goes in one arm"),
                            );
                        }
                        covered.push(i);
                        idx.push(i);
                    }
                }
            }
            let (vi, vt) = self.lower(value, cx);
            ty = Some(match ty {
                None => vt,
                Some(prev) => self.same(&prev, &vt, span, value.span, "the values of `match` are"),
            });
            out.push((idx, vi));
        }
        let other = otherwise.map(|o| {
            let (oi, ot) = self.lower(o, cx);
            if let Some(prev) = &ty {
                let t = self.same(prev, &ot, span, o.span, "the values of `match` are");
                ty = Some(t);
            }
            Box::new(oi)
        });
        if let (Some(set), None) = (&set, &other) {
            let opts = self.options_of(set);
            let missing: Vec<String> = opts
                .iter()
                .enumerate()
                .filter(|(i, _)| !covered.contains(&(*i as u32)))
                .map(|(_, o)| format!("`{o}`"))
                .collect();
            if !missing.is_empty() {
                self.err(
                    Diag::error(Code::Invalid, format!("`match` does not cover {}", missing.join(", ")))
                        .at(span, "not every option has an arm")
                        .help("add arms for them, or `else => …`"),
                );
            }
        }
        let origin = self.origin(cx.owner, span);
        (Ir::Match(Box::new(si), out, other, origin), ty.unwrap_or(Ty::Error))
    }
}
