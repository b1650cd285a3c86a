//! Types and units in formulas: what a place needs (a number, yes/no), and the common type of
//! two values (both branches of `if`, both sides of `+`), with the errors when they differ.

use crate::check::units::Unit;
use crate::check::{Checker, Ty};
use crate::diagnostics::{Code, Diag};
use crate::source::Span;

impl Checker<'_> {
    pub(crate) fn type_error(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.err(Diag::error(Code::Type, message).at(span, label).help(help));
    }

    /// Requires a number; reports otherwise.
    pub(crate) fn want_num(&mut self, ty: &Ty, span: Span, what: &str) -> Unit {
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

    pub(crate) fn unit_mismatch(&mut self, a: &Unit, b: &Unit, sa: Span, sb: Span, what: &str) {
        self.err(
            Diag::error(Code::Unit, format!("{what} values of different units: {a} and {b}"))
                .at(sa, format!("in {a}"))
                .also(sb, format!("in {b}"))
                .help("convert one side first (a share of a count is `part / total * 100`), or check that the right names are used"),
        );
    }

    pub(crate) fn want_bool(&mut self, ty: &Ty, span: Span, what: &str) {
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
}
