//! Function calls in formulas: the known functions, their arguments (how many, named or not,
//! their types and units), column functions over all units (`union_*`), synonyms for "did you
//! mean", and the decimal comma written in arguments.

use crate::check::units::Unit;
use crate::check::{const_value, Checker, ChoiceSet, Def, Ty};
use crate::diagnostics::{self, Code, Diag};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind};

use super::Cx;

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
    pub(crate) fn call(&mut self, name: &ast::Ident, args: &[ast::Arg], span: Span, cx: &mut Cx) -> (Ir, Ty) {
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
    pub(crate) fn scalar(
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
    pub(crate) fn column(&mut self, n: &str, args: &[ast::Arg], span: Span, cx: &mut Cx) -> (Ir, Ty) {
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
