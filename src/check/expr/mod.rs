//! Formulas: type and unit checking, and lowering from AST to [`Ir`] over slots.
//!
//! The walk over an expression is here ([`Checker::lower`]); what each kind of expression checks
//! is in the files named after it:
//! - `types`: what a place needs (a number, yes/no) and the common type of two values, with units;
//! - `names`: names in a formula (`value`, a question, an indicator, an area) and `met`/`gap` of
//!   a standard;
//! - `operators`: arithmetic (units, division by a value that may be zero), comparisons, `match`
//!   and the options of a choice;
//! - `functions`: calls (`min`, `round`, `sum`, `share`, `missing`, `union_*`, …), their arguments,
//!   and the decimal comma in arguments.
//!
//! Scoring rules and bands are `check::scoring`'s.

mod functions;
mod names;
mod operators;
mod types;

pub(crate) use functions::decimal_comma;

use crate::check::units::Unit;
use crate::check::{to_range, Checker, Def, Ty};
use crate::diagnostics::{Code, Diag};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, BinOp, ExprKind};

/// The context of one formula being lowered.
pub(crate) struct Cx {
    /// The slot the formula computes.
    pub owner: Slot,
    /// Whether the formula is a judgment (standard, recommendation): references read values
    /// rounded to their display precision.
    pub judged: bool,
    /// Slots read, with the place of each reference (for cycles and the plan).
    pub deps: Vec<(Slot, Span)>,
    /// In a `score formula(…)`: the indicator's value slot and type.
    pub value: Option<(Slot, Ty)>,
    /// Slots tested by an enclosing condition (a division by them is guarded).
    guards: Vec<Slot>,
    /// Depth of enclosing `??` left operands (a division there is guarded).
    coalesced: usize,
}

impl Cx {
    /// A fresh context.
    pub fn new(owner: Slot, judged: bool) -> Self {
        Cx { owner, judged, deps: vec![], value: None, guards: vec![], coalesced: 0 }
    }
}

impl Checker<'_> {
    /// Lowers an expression, checking types and recording dependencies in `cx`.
    ///
    /// A formula is at most [`crate::syntax::MAX_EXPR_DEPTH`] deep, but each level takes several
    /// large frames here (up to 18 KiB in a debug build): the stack is extended when it runs low,
    /// so that a thread with a small stack (a test's 2 MiB) can check any formula.
    pub(crate) fn lower(&mut self, e: &ast::Expr, cx: &mut Cx) -> (Ir, Ty) {
        stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || self.lower_here(e, cx))
    }

    fn lower_here(&mut self, e: &ast::Expr, cx: &mut Cx) -> (Ir, Ty) {
        match &e.kind {
            ExprKind::Number(x) => (Ir::Const(*x), Ty::Num(Unit::Free)),
            ExprKind::Percent(x) => (Ir::Const(*x), Ty::Num(Unit::plain())),
            ExprKind::Bool(b) => (Ir::Const(if *b { 1.0 } else { 0.0 }), Ty::Bool),
            ExprKind::Str(s) => (Ir::Const(0.0), Ty::Str(s.clone())),
            ExprKind::Name(id) => self.name(id, cx),
            ExprKind::Neg(inner) => {
                if let ExprKind::Binary(BinOp::Pow, base, _) = &inner.kind {
                    let after_minus = self.src.slice(Span { start: e.span.start + 1, ..e.span }).trim_start();
                    if !after_minus.starts_with('(') {
                        let base_text = self.src.slice(base.span).to_string();
                        self.err(
                            Diag::warning(Code::AmbiguousPower, format!("`{}` means -({}) here", self.src.slice(e.span), self.src.slice(inner.span)))
                                .at(e.span, "the power is taken first, then negated")
                                .help(format!("tamga (like R and Python) reads `-{base_text}^…` as -({base_text}^…); Excel reads it as (-{base_text})^…: add parentheses to say which")),
                        );
                    }
                }
                let (ir, ty) = self.lower(inner, cx);
                let u = self.want_num(&ty, inner.span, "with a minus sign");
                (fold_neg(ir), Ty::Num(u))
            }
            ExprKind::Not(inner) => {
                let (ir, ty) = self.lower(inner, cx);
                self.want_bool(&ty, inner.span, "after `not`");
                (Ir::Not(Box::new(ir)), Ty::Bool)
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.span, cx),
            ExprKind::Chained(parts, ops) => {
                let span = e.span;
                let text = self.src.slice(span).to_string();
                let pieces: Vec<String> = ops
                    .iter()
                    .take(if text.len() <= 200 { usize::MAX } else { 0 })
                    .enumerate()
                    .map(|(k, op)| {
                        format!(
                            "{} {} {}",
                            self.src.slice(parts[k].span),
                            op.symbol(),
                            self.src.slice(parts[k + 1].span)
                        )
                    })
                    .collect();
                // a long chain is not quoted back in full
                let help = if text.len() <= 200 {
                    format!(
                        "`{text}` is ambiguous: write each comparison and join them with `and`: `{}`",
                        pieces.join(" and ")
                    )
                } else {
                    "write each comparison and join them with `and`: `a < b and b < c`".to_string()
                };
                self.err(
                    Diag::error(Code::ChainedComparison, "comparisons cannot be chained")
                        .at(span, "two comparisons in a row")
                        .help(help),
                );
                for p in parts {
                    self.lower(p, cx);
                }
                (Ir::Const(0.0), Ty::Error)
            }
            ExprKind::If(c, t, f) => {
                let (ci, ct) = self.lower(c, cx);
                self.want_bool(&ct, c.span, "as the condition of `if`");
                let mut guards = vec![];
                ci.slots_into(&mut guards);
                let n = cx.guards.len();
                cx.guards.extend(guards);
                let (ti, tt) = self.lower(t, cx);
                let (fi, ft) = self.lower(f, cx);
                cx.guards.truncate(n);
                let ty = self.same(&tt, &ft, t.span, f.span, "the branches of `if` are");
                (Ir::If(Box::new(ci), Box::new(ti), Box::new(fi)), ty)
            }
            ExprKind::Call(name, args) => self.call(name, args, e.span, cx),
            ExprKind::Standard(f, code) => self.standard_ref(*f, code, cx),
            ExprKind::Bands(subject, block) => {
                let (si, st) = self.lower(subject, cx);
                self.want_num(&st, subject.span, "as the subject of `bands`");
                let si = self.round_direct(subject, si);
                let ranges: Vec<(NumRange, Span)> = block.arms.iter().map(|(r, _)| (to_range(r), r.span)).collect();
                self.check_bands(&ranges, block.span);
                let mut ty = None;
                let mut arms = vec![];
                for (r, v) in &block.arms {
                    let (vi, vt) = self.lower(v, cx);
                    ty = Some(match ty {
                        None => vt,
                        Some(prev) => self.same(&prev, &vt, block.span, v.span, "the values of `bands` are"),
                    });
                    arms.push((to_range(r), vi));
                }
                let otherwise = block.otherwise.as_ref().map(|o| {
                    let (oi, ot) = self.lower(o, cx);
                    if let Some(prev) = &ty {
                        let t = self.same(prev, &ot, block.span, o.span, "the values of `bands` are");
                        ty = Some(t);
                    }
                    Box::new(oi)
                });
                let origin = self.origin(cx.owner, e.span);
                (Ir::Bands(Box::new(si), arms, otherwise, origin), ty.unwrap_or(Ty::Error))
            }
            ExprKind::Match(subject, arms, otherwise) => {
                self.match_expr(subject, arms, otherwise.as_deref(), e.span, cx)
            }
        }
    }

    /// A direct reference to an indicator's value or score, rounded to its display precision
    /// (bands and judgments compare what is published).
    pub(crate) fn round_direct(&self, subject: &ast::Expr, ir: Ir) -> Ir {
        match (&ir, self.ref_precision(subject)) {
            (Ir::Slot(s), Some(p)) => Ir::Rounded(*s, p),
            _ => ir,
        }
    }

    /// The display precision of a direct reference to an indicator, a score or an area score.
    pub(crate) fn ref_precision(&self, e: &ast::Expr) -> Option<u32> {
        match &e.kind {
            ExprKind::Name(n) => match self.names.get(&n.name) {
                Some((Def::Indicator(i), _)) => {
                    let ind = &self.indicators[*i];
                    (!ind.boolean).then_some(ind.precision)
                }
                _ => None,
            },
            ExprKind::Call(f, args) if f.name == "score" && args.len() == 1 => Some(self.header_model.score_precision),
            _ => None,
        }
    }
}

/// `-constant` folds to a constant.
pub(crate) fn fold_neg(ir: Ir) -> Ir {
    match ir {
        Ir::Const(x) => Ir::Const(-x),
        other => Ir::Neg(Box::new(other)),
    }
}

/// Arithmetic on two constants folds to a constant (when the result is finite).
pub(crate) fn fold_arith(op: ArithOp, a: Ir, b: Ir, origin: u32) -> Ir {
    if let (Ir::Const(x), Ir::Const(y)) = (&a, &b) {
        let r = match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
            ArithOp::Div if *y != 0.0 => x / y,
            ArithOp::Pow => libm::pow(*x, *y),
            _ => f64::NAN,
        };
        if r.is_finite() {
            return Ir::Const(r);
        }
    }
    Ir::Arith(op, Box::new(a), Box::new(b), origin)
}
