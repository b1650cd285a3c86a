//! Expressions: type and unit checking, and lowering from AST to [`Ir`] over slots.

use super::units::Unit;
use super::{const_value, to_range, Checker, ChoiceSet, Def, Ty};
use crate::diagnostics::{self, Code, Diag};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, BinOp, ExprKind, StandardFn};

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

/// Names of functions, for "did you mean".
const FUNCTIONS: &[&str] = &[
    "missing",
    "min",
    "max",
    "clamp",
    "abs",
    "round",
    "ln",
    "exp",
    "sqrt",
    "pow",
    "sum",
    "mean",
    "count",
    "share",
    "answered",
    "is_missing",
    "missing_reason",
    "score",
    "union_mean",
    "union_median",
    "union_min",
    "union_max",
    "union_sd",
    "union_sum",
    "union_count",
    "union_rank",
    "union_percentile",
];

impl Checker<'_> {
    fn type_error(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.err(Diag::error(Code::Type, message).at(span, label).help(help));
    }

    /// Requires a number; reports otherwise.
    fn want_num(&mut self, ty: &Ty, span: Span, what: &str) -> Unit {
        match ty {
            Ty::Num(u) => u.clone(),
            Ty::Error => Unit::Free,
            Ty::Bool => {
                self.type_error(
                    span,
                    format!("yes/no cannot be used {what}"),
                    "this is yes/no",
                    "count yes answers with `count(a, b, …)` or `share(group)`, or write `if q then 1 else 0`",
                );
                Unit::Free
            }
            Ty::Choice(_) => {
                self.type_error(
                    span,
                    format!("a choice cannot be used {what}"),
                    "this is a choice",
                    "turn options into numbers: `match(q) { \"full\" => 100, else => 0 }`",
                );
                Unit::Free
            }
            Ty::Str(_) => {
                self.type_error(
                    span,
                    format!("a text cannot be used {what}"),
                    "this is a text",
                    "texts only name options of a choice: `q == \"council\"`",
                );
                Unit::Free
            }
        }
    }

    fn unit_mismatch(&mut self, a: &Unit, b: &Unit, sa: Span, sb: Span, what: &str) {
        self.err(
            Diag::error(Code::Unit, format!("{what} values of different units: {a} and {b}"))
                .at(sa, format!("in {a}"))
                .also(sb, format!("in {b}"))
                .help("convert one side first (a share of a count is `part / total * 100`), or check that the right names are used"),
        );
    }

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
                let ranges: Vec<(NumRange, Span)> = block.arms.iter().map(|(r, _)| (to_range(*r), r.span)).collect();
                self.check_bands(&ranges, block.span);
                let mut ty = None;
                let mut arms = vec![];
                for (r, v) in &block.arms {
                    let (vi, vt) = self.lower(v, cx);
                    ty = Some(match ty {
                        None => vt,
                        Some(prev) => self.same(&prev, &vt, block.span, v.span, "the values of `bands` are"),
                    });
                    arms.push((to_range(*r), vi));
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

    fn want_bool(&mut self, ty: &Ty, span: Span, what: &str) {
        if !matches!(ty, Ty::Bool | Ty::Error) {
            self.type_error(
                span,
                format!("yes/no is needed {what}, but this is {}", ty.describe()),
                "not yes/no",
                "compare it with something: `x > 0`",
            );
        }
    }

    /// The common type of two branches.
    pub(crate) fn same(&mut self, a: &Ty, b: &Ty, sa: Span, sb: Span, what: &str) -> Ty {
        match (a, b) {
            (Ty::Error, t) | (t, Ty::Error) => t.clone(),
            (Ty::Num(x), Ty::Num(y)) => {
                if x.compatible(y) {
                    Ty::Num(x.join(y))
                } else {
                    self.unit_mismatch(x, y, sa, sb, what);
                    Ty::Error
                }
            }
            (Ty::Bool, Ty::Bool) => Ty::Bool,
            (Ty::Choice(x), Ty::Choice(y)) if x == y => a.clone(),
            _ => {
                self.err(
                    Diag::error(
                        Code::Type,
                        format!("{what} of different types: {} and {}", a.describe(), b.describe()),
                    )
                    .at(sb, b.describe())
                    .also(sa, a.describe())
                    .help("make both give numbers, or both yes/no"),
                );
                Ty::Error
            }
        }
    }

    /// A direct reference to an indicator's value or score, rounded to its display precision
    /// (bands and judgments compare what is published).
    fn round_direct(&self, subject: &ast::Expr, ir: Ir) -> Ir {
        match (&ir, self.ref_precision(subject)) {
            (Ir::Slot(s), Some(p)) => Ir::Rounded(*s, p),
            _ => ir,
        }
    }

    /// The display precision of a direct reference to an indicator, a score or an area score.
    fn ref_precision(&self, e: &ast::Expr) -> Option<u32> {
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

    fn name(&mut self, id: &ast::Ident, cx: &mut Cx) -> (Ir, Ty) {
        if id.name == "value" {
            if let Some((slot, ty)) = cx.value.clone() {
                cx.deps.push((slot, id.span));
                return (Ir::Slot(slot), ty);
            }
        }
        match self.names.get(&id.name).copied() {
            Some((Def::Question(q), _)) => {
                let slot = self.questions[q].slot;
                self.used[slot.0 as usize] = true;
                cx.deps.push((slot, id.span));
                (Ir::Slot(slot), self.question_ty(q))
            }
            Some((Def::Indicator(i), _)) => {
                let slot = self.indicators[i].value;
                let (ty, prec) = self.indicator_ty(i);
                cx.deps.push((slot, id.span));
                let ir = match (cx.judged, &ty, prec) {
                    (true, Ty::Num(_), Some(p)) => Ir::Rounded(slot, p),
                    _ => Ir::Slot(slot),
                };
                (ir, ty)
            }
            Some((Def::Area(_), _)) => {
                self.err(
                    Diag::error(Code::Type, format!("`{}` is an area: it has a score, not a value", id.name))
                        .at(id.span, "an area")
                        .help(format!("write `score({})`", id.name)),
                );
                (Ir::Const(0.0), Ty::Error)
            }
            Some((Def::Group(_), _)) => {
                self.err(
                    Diag::error(Code::Type, format!("`{}` is a group of questions, not a value", id.name))
                        .at(id.span, "a group")
                        .help(format!(
                            "count its yes answers with `count({0})`, or take their share with `share({0})`",
                            id.name
                        )),
                );
                (Ir::Const(0.0), Ty::Error)
            }
            Some((Def::Recommend(_), _)) => {
                self.err(
                    Diag::error(Code::Type, format!("`{}` is a recommendation, not a value", id.name))
                        .at(id.span, "a recommendation"),
                );
                (Ir::Const(0.0), Ty::Error)
            }
            None => {
                self.unknown_name(id, "name");
                (Ir::Const(0.0), Ty::Error)
            }
        }
    }

    pub(crate) fn unknown_name(&mut self, id: &ast::Ident, what: &str) {
        let names: Vec<&str> = self.names.keys().map(String::as_str).collect();
        let mut d = Diag::error(Code::UnknownName, format!("unknown {what} `{}`", id.name)).at(id.span, "not declared");
        d = match diagnostics::suggest(&id.name, names.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("declare it as a question or an indicator, or check the spelling"),
        };
        self.err(d);
    }

    fn binary(&mut self, op: BinOp, a: &ast::Expr, b: &ast::Expr, span: Span, cx: &mut Cx) -> (Ir, Ty) {
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

    fn zero_denominator(&mut self, bi: &Ir, b: &ast::Expr, cx: &Cx) {
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

    fn comparison(&mut self, op: BinOp, a: &ast::Expr, b: &ast::Expr, span: Span, cx: &mut Cx) -> (Ir, Ty) {
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

    fn option_index(&mut self, set: &ChoiceSet, s: &str, span: Span) -> f64 {
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

    fn match_expr(
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

    fn standard_ref(&mut self, f: StandardFn, code: &ast::Ident, cx: &mut Cx) -> (Ir, Ty) {
        let Some(k) = self.standards.get_index_of(&code.name) else {
            let codes: Vec<&str> = self.standards.keys().map(String::as_str).collect();
            let mut d = Diag::error(Code::UnknownName, format!("unknown standard `{}`", code.name))
                .at(code.span, "not declared");
            if let Some(s) = diagnostics::suggest(&code.name, codes.iter().copied()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            self.err(d);
            return (Ir::Const(0.0), Ty::Error);
        };
        let s = &self.standards[k];
        let (met, level, att, has_levels) = (s.met, s.level, s.attainment, !s.levels.is_empty());
        match f {
            StandardFn::Met => {
                cx.deps.push((met, code.span));
                (Ir::Slot(met), Ty::Bool)
            }
            StandardFn::Attainment => {
                cx.deps.push((att, code.span));
                (Ir::Slot(att), Ty::Num(Unit::plain()))
            }
            StandardFn::Level => {
                if !has_levels {
                    self.err(
                        Diag::error(Code::Invalid, format!("the standard `{}` has no levels", code.name))
                            .at(code.span, "no `level` lines")
                            .help("use `met(…)`, or declare `level basic: …` lines in the standard"),
                    );
                    return (Ir::Const(0.0), Ty::Error);
                }
                cx.deps.push((level, code.span));
                (Ir::Slot(level), Ty::Choice(ChoiceSet::Levels(k)))
            }
        }
    }

    fn call(&mut self, name: &ast::Ident, args: &[ast::Arg], span: Span, cx: &mut Cx) -> (Ir, Ty) {
        let n = name.name.as_str();
        for a in args {
            if let Some(an) = &a.name {
                let allowed = n == "union_rank" && an.name == "ties";
                if !allowed {
                    self.err(
                        Diag::error(Code::Arguments, format!("`{n}` has no argument named `{}`", an.name))
                            .at(an.span, "unknown argument")
                            .help("pass the arguments in order, without names"),
                    );
                }
            }
        }
        let arity = |c: &mut Self, lo: usize, hi: usize, usage: &str| -> bool {
            if args.len() < lo || args.len() > hi {
                if let Some(d) = decimal_comma(c.src, args) {
                    c.err(d);
                    return false;
                }
                c.err(
                    Diag::error(
                        Code::Arguments,
                        format!(
                            "`{n}` takes {} argument{}, not {}",
                            if lo == hi {
                                lo.to_string()
                            } else if hi == usize::MAX {
                                format!("at least {lo}")
                            } else {
                                format!("{lo} to {hi}")
                            },
                            if hi == 1 { "" } else { "s" },
                            args.len()
                        ),
                    )
                    .at(span, "here")
                    .help(format!("write `{usage}`")),
                );
                false
            } else {
                true
            }
        };
        match n {
            "score" => {
                if !arity(self, 1, 1, "score(indicator_or_area)") {
                    return (Ir::Const(0.0), Ty::Error);
                }
                let arg = &args[0].value;
                let ExprKind::Name(id) = &arg.kind else {
                    self.err(
                        Diag::error(Code::Arguments, "`score` takes the name of an indicator or an area")
                            .at(arg.span, "not a name"),
                    );
                    return (Ir::Const(0.0), Ty::Error);
                };
                let slot = match self.names.get(&id.name).copied() {
                    Some((Def::Indicator(i), _)) => {
                        if self.i_decls[i].0.body.iter().all(|it| !matches!(it.kind, ast::ItemKind::Score(_))) {
                            self.err(
                                Diag::error(
                                    Code::MissingProperty,
                                    format!("the indicator `{}` has no scoring rule", id.name),
                                )
                                .at(id.span, "has no score")
                                .help("add `score …` to the indicator, or use its value"),
                            );
                            return (Ir::Const(0.0), Ty::Error);
                        }
                        self.indicators[i].score_slot
                    }
                    Some((Def::Area(k), _)) => self.area_slots[k],
                    Some((other, _)) => {
                        self.err(
                            Diag::error(
                                Code::Type,
                                format!("`{}` is a {}: only indicators and areas have scores", id.name, other.kind()),
                            )
                            .at(id.span, "no score"),
                        );
                        return (Ir::Const(0.0), Ty::Error);
                    }
                    None => {
                        self.unknown_name(id, "indicator or area");
                        return (Ir::Const(0.0), Ty::Error);
                    }
                };
                cx.deps.push((slot, id.span));
                let ir = if cx.judged { Ir::Rounded(slot, self.header_model.score_precision) } else { Ir::Slot(slot) };
                (ir, Ty::Num(Unit::plain()))
            }
            "count" | "share" | "answered" => {
                // over a group, or over listed yes/no values
                let mut items: Vec<Ir> = vec![];
                if let [ast::Arg { value: ast::Expr { kind: ExprKind::Name(g), .. }, .. }] = args {
                    if let Some((Def::Group(gi), _)) = self.names.get(&g.name).copied() {
                        let gid = self.g_decls[gi].id.name.clone();
                        let members = self.groups.get(&gid).map(|g| g.questions.clone()).unwrap_or_default();
                        let policy = self.groups.get(&gid).and_then(|g| g.missing);
                        if n == "share" && policy.is_none() {
                            let gspan = self.groups.get(&gid).map(|g| g.span).unwrap_or_default();
                            self.err(
                                Diag::warning(
                                    Code::Unanswered,
                                    format!("`share({})` relies on no declared policy for unanswered items", g.name),
                                )
                                .at(g.span, "counts only the answered items")
                                .also(gspan, "the group")
                                .help(
                                    "leaving a `no` blank raises this share; declare in the group `missing zero` (an \
                                     unanswered item counts as no) or `missing not_assessable`, or `missing reweight` \
                                     to keep the share among the answered items",
                                ),
                            );
                        }
                        for m in members {
                            let q = &self.questions[&m];
                            let slot = q.slot;
                            if n != "answered" && !matches!(q.ty, QuestionType::YesNo) {
                                let qspan = q.span;
                                self.err(
                                    Diag::error(Code::Type, format!("`{n}({})` needs yes/no questions, but `{m}` is a {}", g.name, q.ty.name()))
                                        .at(g.span, "this group")
                                        .also(qspan, "not yes/no")
                                        .help("count and share work on yes/no answers; use `answered(…)` to count answers of any type"),
                                );
                            }
                            self.used[slot.0 as usize] = true;
                            cx.deps.push((slot, g.span));
                            items.push(Ir::Slot(slot));
                        }
                        let f = match (n, policy) {
                            ("count", None | Some(Unanswered::Skip)) => Func::Count,
                            ("count", Some(p)) => Func::GroupCount(p),
                            ("share", None | Some(Unanswered::Skip)) => Func::Share,
                            ("share", Some(p)) => Func::GroupShare(p),
                            _ => Func::Answered,
                        };
                        let unit = if n == "share" { Unit::plain() } else { Unit::base("count") };
                        let origin = self.origin(cx.owner, span);
                        return (Ir::Call(f, items, origin), Ty::Num(unit));
                    }
                }
                if !arity(self, 1, usize::MAX, &format!("{n}(group) or {n}(a, b, …)")) {
                    return (Ir::Const(0.0), Ty::Error);
                }
                for a in args {
                    let (ir, ty) = self.lower(&a.value, cx);
                    if n != "answered" {
                        self.want_bool(&ty, a.value.span, &format!("in `{n}`"));
                    }
                    items.push(ir);
                }
                let f = match n {
                    "count" => Func::Count,
                    "share" => Func::Share,
                    _ => Func::Answered,
                };
                let unit = if n == "share" { Unit::plain() } else { Unit::base("count") };
                let origin = self.origin(cx.owner, span);
                (Ir::Call(f, items, origin), Ty::Num(unit))
            }
            "is_missing" => {
                if !arity(self, 1, 2, "is_missing(x) or is_missing(x, \"not_applicable\")") {
                    return (Ir::Const(0.0), Ty::Error);
                }
                let (ir, _) = self.lower(&args[0].value, cx);
                let reason = match args.get(1).map(|a| &a.value) {
                    None => None,
                    Some(ast::Expr { kind: ExprKind::Str(s), span }) => match Reason::parse(s) {
                        Some(r) => Some(r),
                        None => {
                            let names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
                            self.err(
                                Diag::error(Code::UnknownName, format!("unknown missing reason `{s}`"))
                                    .at(*span, "here")
                                    .help(format!("the reasons are {}", names.join(", "))),
                            );
                            None
                        }
                    },
                    Some(other) => {
                        self.err(
                            Diag::error(Code::Arguments, "the reason is written in quotes")
                                .at(other.span, "here")
                                .help("write `is_missing(x, \"confidential\")`"),
                        );
                        None
                    }
                };
                (Ir::IsMissing(Box::new(ir), reason), Ty::Bool)
            }
            "missing" => {
                // an explicit missing value: `if d > 0 then n / d else missing("not_applicable")`
                let reason = match args {
                    [ast::Arg { value: ast::Expr { kind: ExprKind::Str(r), span }, .. }] => match Reason::parse(r) {
                        Some(reason) => Some(reason),
                        None => {
                            let names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
                            self.err(
                                Diag::error(Code::UnknownName, format!("unknown missing reason `{r}`"))
                                    .at(*span, "here")
                                    .help(format!("the reasons are {}", names.join(", "))),
                            );
                            None
                        }
                    },
                    _ => {
                        self.err(
                            Diag::error(Code::Arguments, "`missing` takes the reason, in quotes")
                                .at(span, "here")
                                .help("write `missing(\"not_applicable\")`"),
                        );
                        None
                    }
                };
                let origin = self.origin(cx.owner, span);
                (Ir::Call(Func::Missing(reason.unwrap_or(Reason::NotAssessable)), vec![], origin), Ty::Error)
            }
            "missing_reason" => {
                if !arity(self, 1, 1, "missing_reason(x)") {
                    return (Ir::Const(0.0), Ty::Error);
                }
                let (ir, _) = self.lower(&args[0].value, cx);
                (Ir::MissingReason(Box::new(ir)), Ty::Choice(ChoiceSet::Reasons))
            }
            "union_mean" | "union_median" | "union_min" | "union_max" | "union_sd" | "union_sum" | "union_count"
            | "union_rank" | "union_percentile" => self.column(n, args, span, cx),
            "min" | "max" | "sum" | "mean" | "clamp" | "abs" | "round" | "ln" | "exp" | "sqrt" | "pow" => {
                self.scalar(n, args, span, cx, &arity)
            }
            _ => {
                let mut d =
                    Diag::error(Code::UnknownName, format!("unknown function `{n}`")).at(name.span, "not a function");
                d = match synonym(n).or_else(|| diagnostics::suggest(n, FUNCTIONS.iter().copied())) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("the functions are {}", FUNCTIONS.join(", "))),
                };
                self.err(d);
                for a in args {
                    self.lower(&a.value, cx);
                }
                (Ir::Const(0.0), Ty::Error)
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn scalar(
        &mut self,
        n: &str,
        args: &[ast::Arg],
        span: Span,
        cx: &mut Cx,
        arity: &dyn Fn(&mut Self, usize, usize, &str) -> bool,
    ) -> (Ir, Ty) {
        let (lo, hi, usage) = match n {
            "min" | "max" | "sum" | "mean" => (1, usize::MAX, format!("{n}(a, b, …)")),
            "clamp" => (3, 3, "clamp(x, low, high)".to_string()),
            "round" => (1, 3, "round(x, digits) or round(x, digits, \"half_even\")".to_string()),
            "pow" => (2, 2, "pow(x, y)".to_string()),
            _ => (1, 1, format!("{n}(x)")),
        };
        if !arity(self, lo, hi, &usage) {
            return (Ir::Const(0.0), Ty::Error);
        }
        if n == "round" {
            let (x, t) = self.lower(&args[0].value, cx);
            let u = self.want_num(&t, args[0].value.span, "in `round`");
            let digits = match args.get(1).map(|a| &a.value) {
                None => 0.0,
                Some(d) => match const_value(d) {
                    Some((k, false)) if k.fract() == 0.0 && (0.0..=12.0).contains(&k) => k,
                    _ => {
                        self.err(
                            Diag::error(
                                Code::Arguments,
                                "the number of decimals must be a whole number from 0 to 12 written in the formula",
                            )
                            .at(d.span, "here"),
                        );
                        0.0
                    }
                },
            };
            let f = match args.get(2).map(|a| &a.value) {
                None => Func::Round,
                Some(ast::Expr { kind: ExprKind::Str(s), .. }) if s == "half_even" => Func::RoundHalfEven,
                Some(ast::Expr { kind: ExprKind::Str(s), .. }) if s == "half_away_from_zero" => Func::Round,
                Some(other) => {
                    self.err(
                        Diag::error(Code::Arguments, "unknown rounding mode")
                            .at(other.span, "here")
                            .help("write \"half_even\" or \"half_away_from_zero\""),
                    );
                    Func::Round
                }
            };
            let f = if f == Func::Round
                && self.header_model.rounding == crate::number::Rounding::HalfEven
                && args.get(2).is_none()
            {
                Func::RoundHalfEven
            } else {
                f
            };
            let origin = self.origin(cx.owner, span);
            return (Ir::Call(f, vec![x, Ir::Const(digits)], origin), Ty::Num(u));
        }
        let mut irs = vec![];
        let mut units = vec![];
        for a in args {
            let (ir, t) = self.lower(&a.value, cx);
            let u = self.want_num(&t, a.value.span, &format!("in `{n}`"));
            irs.push(ir);
            units.push((u, a.value.span));
        }
        let unit = match n {
            "min" | "max" | "sum" | "mean" | "clamp" => {
                let mut acc = Unit::Free;
                let mut acc_span = span;
                for (u, s) in &units {
                    if !acc.compatible(u) {
                        self.unit_mismatch(&acc, u, acc_span, *s, &format!("`{n}` of"));
                    } else {
                        acc = acc.join(u);
                        acc_span = *s;
                    }
                }
                acc
            }
            "abs" => units[0].0.clone(),
            "sqrt" => match &units[0].0 {
                u if u.is_plain() => u.clone(),
                u => {
                    self.err(
                        Diag::error(Code::Unit, format!("the square root of a quantity in {u}"))
                            .at(units[0].1, "not a plain number")
                            .help("divide by a reference value first"),
                    );
                    Unit::Free
                }
            },
            "pow" => units[0].0.clone(),
            _ => Unit::plain(), // ln, exp
        };
        let f = match n {
            "min" => Func::Min,
            "max" => Func::Max,
            "sum" => Func::Sum,
            "mean" => Func::Mean,
            "clamp" => Func::Clamp,
            "abs" => Func::Abs,
            "ln" => Func::Ln,
            "exp" => Func::Exp,
            "sqrt" => Func::Sqrt,
            _ => Func::Pow,
        };
        let origin = self.origin(cx.owner, span);
        (Ir::Call(f, irs, origin), Ty::Num(unit))
    }

    /// A cross-unit function: its operand becomes a column (a hidden slot unless it is a direct
    /// reference), and the statistic is computed once per column.
    fn column(&mut self, n: &str, args: &[ast::Arg], span: Span, cx: &mut Cx) -> (Ir, Ty) {
        let positional: Vec<&ast::Arg> = args.iter().filter(|a| a.name.is_none()).collect();
        if positional.len() != 1 {
            self.err(
                Diag::error(Code::Arguments, format!("`{n}` takes one value, not {}", positional.len()))
                    .at(span, "here")
                    .help(format!("write `{n}(x)`: the function runs over all units evaluated together")),
            );
            return (Ir::Const(0.0), Ty::Error);
        }
        let mut ties = Ties::Min;
        for a in args.iter().filter(|a| a.name.is_some()) {
            match &a.value.kind {
                ExprKind::Name(t) if t.name == "min" => ties = Ties::Min,
                ExprKind::Name(t) if t.name == "max" => ties = Ties::Max,
                ExprKind::Name(t) if t.name == "average" => ties = Ties::Average,
                _ => self.err(
                    Diag::error(Code::Arguments, "unknown tie rule")
                        .at(a.value.span, "here")
                        .help("write `ties: min` (1, 1, 3), `ties: max` (2, 2, 3) or `ties: average` (1.5, 1.5, 3)"),
                ),
            }
        }
        let operand = &positional[0].value;
        let before = self.origins.len();
        let mut cx2 = Cx::new(cx.owner, cx.judged);
        // in a `score formula(…)`, `value` is the indicator's value here too: `union_mean(value)`
        cx2.value = cx.value.clone();
        let (ir, ty) = self.lower(operand, &mut cx2);
        let unit = if n == "union_count" {
            Unit::plain()
        } else {
            self.want_num(&ty, operand.span, &format!("in `{n}`")).settle()
        };
        let (src, prec) = match ir {
            Ir::Slot(s) => (s, None),
            Ir::Rounded(s, p) => (s, Some(p)),
            other => {
                let text = self.src.slice(operand.span).to_string();
                let h = self.slot(SlotKind::Hidden(text), operand.span);
                for o in &mut self.origins[before..] {
                    o.slot = h;
                }
                self.deps[h.0 as usize] = cx2.deps;
                self.set_step(h, Step::Formula { slot: h, ir: other });
                (h, None)
            }
        };
        let op = match n {
            "union_mean" => ColumnOp::Mean,
            "union_median" => ColumnOp::Median,
            "union_min" => ColumnOp::Min,
            "union_max" => ColumnOp::Max,
            "union_sd" => ColumnOp::Sd,
            "union_sum" => ColumnOp::Sum,
            "union_count" => ColumnOp::Count,
            "union_rank" => ColumnOp::Rank(ties),
            _ => ColumnOp::Percentile,
        };
        let key = format!("{op:?}");
        let col = match self.column_memo.get(&(key.clone(), src)) {
            Some(c) => *c,
            None => {
                let text = format!("{n}({})", self.src.slice(operand.span));
                let c = self.slot(SlotKind::Hidden(text), span);
                let origin = self.origin(c, span);
                self.deps[c.0 as usize] = vec![(src, operand.span)];
                self.set_step(c, Step::Column { slot: c, op, src, origin });
                self.column_memo.insert((key, src), c);
                c
            }
        };
        cx.deps.push((col, span));
        let result_unit = match op {
            ColumnOp::Count | ColumnOp::Rank(_) | ColumnOp::Percentile => Unit::plain(),
            _ => unit,
        };
        let ir = match (cx.judged, prec, op) {
            (
                true,
                Some(p),
                ColumnOp::Mean | ColumnOp::Median | ColumnOp::Min | ColumnOp::Max | ColumnOp::Sd | ColumnOp::Sum,
            ) => Ir::RoundExpr(Box::new(Ir::Slot(col)), p),
            _ => Ir::Slot(col),
        };
        (ir, Ty::Num(result_unit))
    }

    /// Gaps and overlaps between bands (in any order of writing).
    pub(crate) fn check_bands(&mut self, ranges: &[(NumRange, Span)], block: Span) {
        for (r, s) in ranges {
            if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
                if lo.value > hi.value || (lo.value == hi.value && !(lo.inclusive && hi.inclusive)) {
                    self.err(
                        Diag::error(Code::Bands, format!("the band `{}` is empty", r.display()))
                            .at(*s, "no value lies in it")
                            .help("write the smaller bound first"),
                    );
                }
            }
        }
        let mut sorted: Vec<&(NumRange, Span)> = ranges.iter().collect();
        sorted.sort_by(|a, b| {
            let ka = a.0.lo.map(|b| (b.value, !b.inclusive));
            let kb = b.0.lo.map(|b| (b.value, !b.inclusive));
            match (ka, kb) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, _) => std::cmp::Ordering::Less,
                (_, None) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            }
        });
        let sh = crate::number::shortest;
        for w in sorted.windows(2) {
            let (a, sa) = (w[0].0, w[0].1);
            let (b, sb) = (w[1].0, w[1].1);
            let (ad, bd) = (a.display(), b.display());
            match (a.hi, b.lo) {
                (None, _) | (_, None) => {
                    self.err(
                        Diag::error(Code::Bands, format!("the bands `{ad}` and `{bd}` overlap"))
                            .at(sb, "overlaps")
                            .also(sa, "with this band")
                            .help("each value must fall in exactly one band"),
                    );
                }
                (Some(h), Some(l)) => {
                    if h.value < l.value {
                        self.err(
                            Diag::error(
                                Code::Bands,
                                format!("values between {} and {} fall in no band", sh(h.value), sh(l.value)),
                            )
                            .at(sb, "this band starts later")
                            .also(sa, "than this one ends")
                            .help(format!("make this band start where the previous one ends, at {}", sh(h.value))),
                        );
                    } else if h.value > l.value {
                        self.err(
                            Diag::error(
                                Code::Bands,
                                format!(
                                    "the bands `{ad}` and `{bd}` overlap between {} and {}",
                                    sh(l.value),
                                    sh(h.value)
                                ),
                            )
                            .at(sb, "overlaps")
                            .also(sa, "with this band")
                            .help("each value must fall in exactly one band: make one band end where the next begins"),
                        );
                    } else if h.inclusive && l.inclusive {
                        let v = sh(h.value);
                        self.err(
                            Diag::error(Code::Bands, format!("{v} falls in two bands: `{ad}` and `{bd}`"))
                                .at(sb, format!("includes {v}"))
                                .also(sa, format!("also includes {v}"))
                                .help(format!(
                                    "say which band {v} belongs to: `..={v}` then `{v}<..`, or `..{v}` then `{v}..`"
                                )),
                        );
                    } else if !h.inclusive && !l.inclusive {
                        let v = sh(h.value);
                        self.err(
                            Diag::error(
                                Code::Bands,
                                format!("{v} falls in no band: `{ad}` and `{bd}` both leave it out"),
                            )
                            .at(sb, format!("excludes {v}"))
                            .also(sa, format!("also excludes {v}"))
                            .help(format!(
                                "include {v} in one of them: `..={v}` then `{v}<..`, or `..{v}` then `{v}..`"
                            )),
                        );
                    }
                }
            }
        }
        let _ = block;
    }

    // ───────────── scoring rules ─────────────

    /// Compiles an indicator's scoring rule.
    pub(crate) fn score_rule(&mut self, i: usize, rule: &ast::ScoreRule, ty: &Ty, cx: &mut Cx) -> Option<ScoreRule> {
        let name = rule.name.name.as_str();
        let id = self.indicators[i].id.clone();
        let boolean = matches!(ty, Ty::Bool);
        let (bottom, top) = self.header_model.scale;
        const RULES: &[&str] = &[
            "goalposts",
            "minmax",
            "zscore",
            "rank",
            "percentile",
            "distance",
            "threshold",
            "categorical",
            "bands",
            "yesno",
            "value",
            "formula",
        ];
        if !RULES.contains(&name) {
            let help = match diagnostics::suggest(name, RULES.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the scoring rules are {}", RULES.join(", ")),
            };
            self.err(
                Diag::error(Code::Scoring, format!("unknown scoring rule `{name}`"))
                    .at(rule.name.span, "not a scoring rule")
                    .help(help),
            );
            return None;
        }
        if boolean && !matches!(name, "yesno" | "formula") {
            self.err(
                Diag::error(Code::Scoring, format!("`{id}` is yes/no: score it with `yesno`"))
                    .at(rule.name.span, "needs a number")
                    .help(format!(
                        "write `score yesno` (yes → {}, no → {}) or `score yesno(yes: 100, no: 0)`",
                        crate::number::shortest(top),
                        crate::number::shortest(bottom)
                    )),
            );
            return None;
        }
        if !boolean && name == "yesno" && !matches!(ty, Ty::Error) {
            self.err(
                Diag::error(Code::Scoring, format!("`{id}` is a number: `yesno` scores yes/no indicators"))
                    .at(rule.name.span, "not yes/no")
                    .help("use goalposts, bands or minmax"),
            );
            return None;
        }
        let allowed: &[&str] = match name {
            "goalposts" => &["best", "worst", "log"],
            "zscore" => &["center", "scale"],
            "rank" => &["ties", "order"],
            "percentile" => &["definition", "ties"],
            "distance" => &["to", "as"],
            "threshold" => &["p", "above", "within", "below"],
            "yesno" => &["yes", "no"],
            "formula" => &[],
            _ => &[],
        };
        let mut named: Vec<(&str, &ast::Expr)> = vec![];
        let mut positional: Vec<&ast::Expr> = vec![];
        for a in &rule.args {
            match &a.name {
                Some(n) if allowed.contains(&n.name.as_str()) => {
                    if named.iter().any(|(k, _)| *k == n.name) {
                        self.err(
                            Diag::error(Code::Repeated, format!("`{}` is given twice", n.name)).at(n.span, "again"),
                        );
                    }
                    named.push((n.name.as_str(), &a.value));
                }
                Some(n) => {
                    let help = if allowed.is_empty() {
                        format!("`{name}` takes no named arguments")
                    } else {
                        format!(
                            "`{name}` takes {}",
                            allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                        )
                    };
                    self.err(
                        Diag::error(Code::Arguments, format!("`{name}` has no argument `{}`", n.name))
                            .at(n.span, "unknown argument")
                            .help(help),
                    );
                }
                None => positional.push(&a.value),
            }
        }
        if let Some(d) = decimal_comma(self.src, &rule.args) {
            self.err(d);
            return None;
        }
        if name != "formula" {
            if let Some(p) = positional.first() {
                let values: Vec<String> = positional.iter().map(|e| self.src.slice(e.span).to_string()).collect();
                let example = allowed
                    .iter()
                    .enumerate()
                    .map(|(k, a)| format!("{a}: {}", values.get(k).map(String::as_str).unwrap_or("…")))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    Diag::error(Code::Arguments, format!("name the arguments of `{name}`"))
                        .at(p.span, "unnamed")
                        .help(format!("write `{name}({example})`")),
                );
                return None;
            }
        }
        if rule.bands.is_some() && !matches!(name, "bands" | "categorical") {
            self.err(
                Diag::error(Code::Scoring, format!("`{name}` takes no block of bands"))
                    .at(rule.span, "here")
                    .help("only `bands` and `categorical` have a `{ … }` block"),
            );
        }
        let num = |c: &mut Self, key: &str, default: Option<f64>| -> Option<f64> {
            match named.iter().find(|(k, _)| *k == key) {
                Some((_, e)) => match const_value(e) {
                    Some((x, _)) => Some(x),
                    None => {
                        c.err(
                            Diag::error(Code::Arguments, format!("`{key}` must be a number written here"))
                                .at(e.span, "not a number"),
                        );
                        None
                    }
                },
                None => {
                    if default.is_none() {
                        c.err(
                            Diag::error(Code::Arguments, format!("`{name}` needs `{key}`"))
                                .at(rule.span, format!("`{key}` missing"))
                                .help(format!("write `{key}: …`")),
                        );
                    }
                    default
                }
            }
        };
        let word = |key: &str| -> Option<(String, Span)> {
            named.iter().find(|(k, _)| *k == key).map(|(_, e)| match &e.kind {
                ExprKind::Name(n) => (n.name.clone(), n.span),
                ExprKind::Bool(true) => ("yes".into(), e.span),
                ExprKind::Bool(false) => ("no".into(), e.span),
                _ => (String::new(), e.span),
            })
        };
        let dir = self.indicators[i].direction;
        let explicit_dir = self.i_decls[i].0.body.iter().any(|it| matches!(it.kind, ast::ItemKind::Direction(_)));
        Some(match name {
            "goalposts" => {
                let best = num(self, "best", None)?;
                let worst = num(self, "worst", None)?;
                let log = match word("log") {
                    None => false,
                    Some((w, _)) if w == "yes" => true,
                    Some((w, _)) if w == "no" => false,
                    Some((_, s)) => {
                        self.err(Diag::error(Code::Arguments, "`log` is yes or no").at(s, "here"));
                        false
                    }
                };
                if best == worst {
                    self.err(
                        Diag::error(Code::Scoring, format!("the goalposts of `{id}` are equal (best = worst = {})", crate::number::shortest(best)))
                            .at(rule.span, "cannot score between equal goalposts")
                            .help("best is the value that scores the top of the scale, worst the value that scores the bottom: they must differ"),
                    );
                    return None;
                }
                if log && (best <= 0.0 || worst <= 0.0) {
                    self.err(
                        Diag::error(Code::Scoring, "log goalposts must be positive")
                            .at(rule.span, "here")
                            .help("the logarithm of 0 or a negative number is undefined"),
                    );
                    return None;
                }
                let says_lower = best < worst;
                if explicit_dir && says_lower != (dir == Direction::LowerIsBetter) {
                    let (d1, d2) = if says_lower { ("lower", "higher") } else { ("higher", "lower") };
                    self.err(
                        Diag::error(Code::Scoring, format!("the goalposts of `{id}` say {d1} is better, but the indicator is declared {d2}_is_better"))
                            .at(rule.span, format!("best {} worst", if says_lower { "<" } else { ">" }))
                            .help("swap `best` and `worst`, or change the direction"),
                    );
                }
                if !explicit_dir && says_lower {
                    self.indicators[i].direction = Direction::LowerIsBetter;
                }
                ScoreRule::Goalposts { best, worst, log }
            }
            "minmax" => ScoreRule::MinMax,
            "zscore" => {
                ScoreRule::ZScore { center: num(self, "center", Some(0.0))?, scale: num(self, "scale", Some(1.0))? }
            }
            "rank" | "percentile" => {
                let default_ties = if name == "rank" { Ties::Min } else { Ties::Average };
                let ties = match word("ties") {
                    None => default_ties,
                    Some((w, s)) => match w.as_str() {
                        "min" => Ties::Min,
                        "max" => Ties::Max,
                        "average" => Ties::Average,
                        _ => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown tie rule")
                                    .at(s, "here")
                                    .help("write `ties: min`, `ties: max` or `ties: average`"),
                            );
                            default_ties
                        }
                    },
                };
                if name == "rank" {
                    let descending = match word("order") {
                        None => false,
                        Some((w, _)) if w == "ascending" => false,
                        Some((w, _)) if w == "descending" => true,
                        Some((_, s)) => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown order of ranks")
                                    .at(s, "here")
                                    .help("write `order: ascending` (the worst 1, the best n; the default) or `order: descending` (the best 1)"),
                            );
                            false
                        }
                    };
                    ScoreRule::Rank { ties, descending }
                } else {
                    let over_n = match word("definition") {
                        None => false,
                        Some((w, _)) if w == "rank_over_n" => true,
                        Some((w, _)) if w == "interpolated" => false,
                        Some((_, s)) => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown definition of the percentile rank")
                                    .at(s, "here")
                                    .help("write `definition: interpolated` ((r − 1)/(n − 1), the default) or `definition: rank_over_n` (r/n, the OECD/JRC Handbook's)"),
                            );
                            false
                        }
                    };
                    ScoreRule::Percentile { over_n, ties }
                }
            }
            "distance" => {
                let to = match named.iter().find(|(k, _)| *k == "to") {
                    None => {
                        self.err(
                            Diag::error(Code::Arguments, "`distance` needs `to`")
                                .at(rule.span, "here")
                                .help("write `distance(to: mean)`, `to: best`, `to: worst` or `to: 24` (a target)"),
                        );
                        return None;
                    }
                    Some((_, e)) => match (&e.kind, const_value(e)) {
                        (_, Some((x, _))) => Reference::Target(x),
                        (ExprKind::Name(n), _) if n.name == "mean" => Reference::Mean,
                        (ExprKind::Name(n), _) if n.name == "best" => Reference::Best,
                        (ExprKind::Name(n), _) if n.name == "worst" => Reference::Worst,
                        _ => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown reference")
                                    .at(e.span, "here")
                                    .help("write `to: mean`, `to: best`, `to: worst` or a number"),
                            );
                            return None;
                        }
                    },
                };
                let how = match word("as") {
                    None => DistanceKind::Ratio,
                    Some((w, _)) if w == "ratio" => DistanceKind::Ratio,
                    Some((w, _)) if w == "difference" => DistanceKind::Difference,
                    Some((w, _)) if w == "relative" => DistanceKind::Relative,
                    Some((_, s)) => {
                        self.err(
                            Diag::error(Code::Arguments, "`as` is `ratio`, `difference` or `relative`")
                                .at(s, "here")
                                .help("`ratio`: x / ref; `difference`: x − ref; `relative`: (x − ref) / ref"),
                        );
                        DistanceKind::Ratio
                    }
                };
                if let Reference::Target(0.0) = to {
                    if how != DistanceKind::Difference {
                        self.err(
                            Diag::error(
                                Code::Scoring,
                                format!(
                                    "a {} to a target of 0 is undefined",
                                    if how == DistanceKind::Ratio { "ratio" } else { "relative difference" }
                                ),
                            )
                            .at(rule.span, "here")
                            .help("use `as: difference`"),
                        );
                        return None;
                    }
                }
                ScoreRule::Distance { to, how }
            }
            "threshold" => {
                let p = num(self, "p", None)?;
                if p < 0.0 {
                    self.err(Diag::error(Code::Scoring, "the threshold p must be ≥ 0").at(rule.span, "here"));
                    return None;
                }
                ScoreRule::Threshold {
                    p,
                    above: num(self, "above", Some(top))?,
                    within: num(self, "within", Some((top + bottom) / 2.0))?,
                    below: num(self, "below", Some(bottom))?,
                }
            }
            "categorical" | "bands" => {
                let Some(block) = &rule.bands else {
                    self.err(
                        Diag::error(Code::Scoring, format!("`{name}` needs a block of bands"))
                            .at(rule.span, "no `{ … }`")
                            .help(if name == "bands" { "write `score bands { ..5 => 100, 5..10 => 75, 10.. => 0 }`" } else { "write `score categorical { ..25 => 0, 25..50 => 33, 50..75 => 67, 75.. => 100 }` (percentile classes)" }),
                    );
                    return None;
                };
                let ranges: Vec<(NumRange, Span)> = block.arms.iter().map(|(r, _)| (to_range(*r), r.span)).collect();
                self.check_bands(&ranges, block.span);
                let mut out = vec![];
                for (r, e) in &block.arms {
                    match const_value(e) {
                        Some((x, _)) => out.push((to_range(*r), x)),
                        None => self.err(
                            Diag::error(Code::Scoring, "a band's score must be a number written here")
                                .at(e.span, "not a number")
                                .help("for a computed score use `score formula(…)`"),
                        ),
                    }
                }
                let otherwise = match &block.otherwise {
                    None => None,
                    Some(e) => match const_value(e) {
                        Some((x, _)) => Some(x),
                        None => {
                            self.err(
                                Diag::error(Code::Scoring, "the `else` score must be a number")
                                    .at(e.span, "not a number"),
                            );
                            None
                        }
                    },
                };
                if name == "categorical" {
                    if otherwise.is_some() {
                        self.err(
                            Diag::error(Code::Scoring, "percentile classes cover 0–100: no `else`")
                                .at(block.span, "here"),
                        );
                    }
                    ScoreRule::Categorical { classes: out }
                } else {
                    ScoreRule::Bands { bands: out, otherwise }
                }
            }
            "yesno" => ScoreRule::YesNo { yes: num(self, "yes", Some(top))?, no: num(self, "no", Some(bottom))? },
            "value" => ScoreRule::Value,
            _ => {
                // formula(expr), with `value` bound to the indicator's value
                let [e] = positional.as_slice() else {
                    self.err(
                        Diag::error(Code::Arguments, "`formula` takes one expression")
                            .at(rule.span, "here")
                            .help("write `score formula(100 - value)`"),
                    );
                    return None;
                };
                cx.value = Some((self.indicators[i].value, ty.clone()));
                let (ir, t) = self.lower(e, cx);
                self.want_num(&t, e.span, "as a score");
                ScoreRule::Formula { ir, text: crate::syntax::print::expr(e) }
            }
        })
    }
}

/// Well-known other names of functions (`average` for `mean`).
fn synonym(n: &str) -> Option<&'static str> {
    let (prefix, base) = match n.strip_prefix("union_") {
        Some(b) => ("union_", b),
        None => ("", n),
    };
    let canonical = match base {
        "average" | "avg" | "arithmetic_mean" => "mean",
        "std" | "stdev" | "stddev" | "std_dev" | "standard_deviation" => "sd",
        "minimum" => "min",
        "maximum" => "max",
        "total" => "sum",
        "log" => "ln",
        "percentrank" | "percent_rank" | "pct" => "percentile",
        "n" | "number" => "count",
        _ => return None,
    };
    FUNCTIONS.iter().copied().find(|f| *f == format!("{prefix}{canonical}"))
}

/// `-constant` folds to a constant.
fn fold_neg(ir: Ir) -> Ir {
    match ir {
        Ir::Const(x) => Ir::Const(-x),
        other => Ir::Neg(Box::new(other)),
    }
}

/// Arithmetic on two constants folds to a constant (when the result is finite).
fn fold_arith(op: ArithOp, a: Ir, b: Ir, origin: u32) -> Ir {
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

/// `goalposts(best: 0,25, worst: 4)`: a number, a comma and digits with no space between them,
/// read as two arguments (`0` and `25`) where the author wrote a decimal comma. The error
/// suggests the decimal point (`0.25`), never the digits after the comma alone.
pub(crate) fn decimal_comma(src: &crate::source::SourceMap, args: &[ast::Arg]) -> Option<Diag> {
    let is_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    args.windows(2).find_map(|w| {
        let (a, b) = (&w[0].value, &w[1].value);
        if w[1].name.is_some() || a.span.file != b.span.file {
            return None;
        }
        let (left, right) = (src.slice(a.span), src.slice(b.span));
        let between = src.slice(Span { file: a.span.file, start: a.span.end, end: b.span.start });
        let whole = left.trim_start_matches('-');
        (between == "," && is_digits(whole) && is_digits(right)).then(|| {
            Diag::error(Code::Arguments, format!("`{left},{right}` is written with a decimal comma"))
                .at(
                    Span { file: a.span.file, start: a.span.start, end: b.span.end },
                    format!("read as two numbers, `{left}` and `{right}`"),
                )
                .help(format!("write `{left}.{right}`: tamga uses a decimal point"))
        })
    })
}
