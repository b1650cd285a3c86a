//! Names in formulas: `value` in a score formula, questions, indicators, areas and scores (with
//! their slots and types), unknown names with "did you mean", and `met`/`gap` of a standard.

use crate::check::units::Unit;
use crate::check::{Checker, ChoiceSet, Def, Ty};
use crate::diagnostics::{self, Code, Diag};
use crate::model::*;
use crate::syntax::ast::{self, StandardFn};

use super::Cx;

impl Checker<'_> {
    pub(crate) fn name(&mut self, id: &ast::Ident, cx: &mut Cx) -> (Ir, Ty) {
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

    pub(crate) fn standard_ref(&mut self, f: StandardFn, code: &ast::Ident, cx: &mut Cx) -> (Ir, Ty) {
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
}
