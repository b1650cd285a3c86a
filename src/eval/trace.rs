//! Traces: how one slot got its value for one unit, re-computed by a recording interpreter.
//!
//! The evaluation runs compiled closures and keeps only values. To explain a value, [`Tracer`]
//! re-runs the one step of the plan that computed the slot, for one unit, over the columns the
//! evaluation produced, and records every intermediate value: each operation of a formula, where
//! a value fell under its scoring rule, the children of an aggregate with their weights, the units
//! behind a cross-unit statistic. It uses the very operations of the evaluation (the shared
//! functions of [`compile`](mod@super::compile), `stats::score_detailed`,
//! [`aggregate`](fn@super::aggregate), `stats::column`), so it cannot reach a value
//! by another road; and it checks anyway: [`SlotTrace::agrees`] says whether the traced value is
//! the evaluated one (a debug build asserts it), and explanations print a loud warning if not.

use super::compile::{self as ops, Cols};
use super::stats::{self, Placement};
use super::{aggregate, PeriodOutcome};
use crate::model::*;
use crate::number::Rounding;

/// One traced operation of a formula: the [`Ir`] node, its value, and its operands' traces.
#[derive(Debug, Clone)]
pub struct Expr<'m> {
    /// The node.
    pub ir: &'m Ir,
    /// Its value; `None` if it was not computed (the other side of `and`, `or`, `??`, `if`, or an
    /// argument after a missing one).
    pub value: Option<Val>,
    /// The operands in the order of the node's fields (for `bands` and `match`: the subject, the
    /// arms, then `else`); an operand not computed is present with `value: None`.
    pub args: Vec<Expr<'m>>,
    /// For `if`: 1 the `then` branch, 2 the `else` branch; for `bands` and `match`: the arm
    /// taken, by position (the arms count from 0; `else` is the number of arms); `None` if no arm.
    pub chosen: Option<usize>,
}

impl<'m> Expr<'m> {
    fn skipped(ir: &'m Ir) -> Self {
        Expr { ir, value: None, args: vec![], chosen: None }
    }

    /// The value, or `not_assessable` if it was not computed.
    pub fn val(&self) -> Val {
        self.value.unwrap_or(Err(Miss { reason: Reason::NotAssessable, origin: 0 }))
    }
}

/// A child of an aggregate, as the aggregate saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildTrace {
    /// The child's score column.
    pub slot: Slot,
    /// Its weight as declared (negative weights count as 0).
    pub weight: f64,
    /// Its score.
    pub value: Val,
}

/// How a slot was computed.
#[derive(Debug, Clone)]
pub enum How<'m> {
    /// An answer from the submission.
    Input {
        /// Index into [`Model::questions`].
        question: usize,
    },
    /// A formula (an indicator, a standard's condition, a recommendation, an intermediate value).
    Formula(Expr<'m>),
    /// A cross-unit statistic.
    Column {
        /// The statistic.
        op: ColumnOp,
        /// The column it runs over.
        src: Slot,
        /// Every unit of the period with its value of `src` (missing ones are left out).
        units: Vec<(String, Val)>,
    },
    /// An indicator's score.
    Score {
        /// Index into [`Model::indicators`].
        indicator: usize,
        /// The indicator's value.
        input: Val,
        /// Where the value fell.
        placement: Placement,
        /// For `score formula(…)`: the formula's trace.
        formula: Option<Expr<'m>>,
        /// Every unit of the period with its value (what rules that compare units see).
        units: Vec<(String, Val)>,
        /// The score as the rule computed it, when `outside_scale clamp` moved it to the scale.
        clamped_from: Option<f64>,
    },
    /// An aggregate of children's scores.
    Aggregate {
        /// The method.
        method: Aggregation,
        /// The missing-data policy.
        policy: MissingPolicy,
        /// The children in order.
        children: Vec<ChildTrace>,
    },
    /// Imputation or outlier treatment of an indicator's values: what the evaluation recorded.
    Noted {
        /// Index into [`Model::indicators`].
        indicator: usize,
        /// The column before.
        src: Slot,
        /// The value before.
        before: Val,
        /// What happened to this unit's value, if anything.
        note: Option<crate::eval::NoteKind>,
    },
    /// Nothing computes this slot (the score of an unscored indicator, the level of an ungraded
    /// standard).
    Nothing,
}

/// A slot's trace for one unit.
#[derive(Debug, Clone)]
pub struct SlotTrace<'m> {
    /// The slot.
    pub slot: Slot,
    /// The value the evaluation stored.
    pub value: Val,
    /// The value the trace computed.
    pub traced: Val,
    /// How.
    pub how: How<'m>,
}

impl SlotTrace<'_> {
    /// Whether the traced value is the evaluated one (the same number to the bit, or the same
    /// missing reason from the same place).
    pub fn agrees(&self) -> bool {
        same(self.value, self.traced)
    }
}

/// Whether two values are identical.
pub fn same(a: Val, b: Val) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x.to_bits() == y.to_bits() || x == y,
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

/// Re-computes slots of one evaluated period.
pub struct Tracer<'m> {
    model: &'m Model,
    period: &'m PeriodOutcome,
    /// The plan step of each slot.
    steps: Vec<Option<usize>>,
}

impl<'m> Tracer<'m> {
    /// A tracer over one period of an outcome of `model`.
    pub fn new(model: &'m Model, period: &'m PeriodOutcome) -> Self {
        let mut steps = vec![None; model.slots.len()];
        for (k, step) in model.plan.iter().enumerate() {
            let slot = match step {
                Step::Input { slot, .. }
                | Step::Formula { slot, .. }
                | Step::Column { slot, .. }
                | Step::Score { slot, .. }
                | Step::Impute { slot, .. }
                | Step::Treat { slot, .. }
                | Step::Aggregate { slot, .. } => *slot,
            };
            if let Some(s) = steps.get_mut(slot.0 as usize) {
                *s = Some(k);
            }
        }
        Tracer { model, period, steps }
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The period.
    pub fn period(&self) -> &'m PeriodOutcome {
        self.period
    }

    /// The evaluated value of a slot for a unit.
    pub fn value(&self, slot: Slot, unit: usize) -> Val {
        self.period.get(slot, unit)
    }

    /// Traces the computation of `slot` for `unit` (an index into the period's units).
    pub fn trace(&self, slot: Slot, unit: usize) -> SlotTrace<'m> {
        let value = self.period.get(slot, unit);
        let cols: &Cols = &self.period.columns;
        let m = self.model;
        let (bottom, top) = m.header.scale;
        let mode = m.header.rounding;
        let step = self.steps.get(slot.0 as usize).copied().flatten().map(|k| &m.plan[k]);
        let (traced, how) = match step {
            None => (value, How::Nothing),
            Some(Step::Input { question, .. }) => (value, How::Input { question: *question }),
            Some(Step::Formula { ir, .. }) => {
                let e = Interp { cols, u: unit, mode }.eval(ir);
                (e.val(), How::Formula(e))
            }
            Some(Step::Column { op, src, origin, .. }) => {
                let (col, _) = stats::column(*op, &cols[src.0 as usize].to_vals(), *origin);
                let v = col.get(unit).copied().unwrap_or(value);
                (v, How::Column { op: *op, src: *src, units: self.units_of(*src) })
            }
            Some(Step::Impute { indicator, src, .. }) | Some(Step::Treat { indicator, src, .. }) => {
                // the evaluation records every imputed and treated value: the trace reads it
                let note = self.period.notes.iter().find(|n| n.slot == slot && n.unit == unit).map(|n| n.kind.clone());
                (value, How::Noted { indicator: *indicator, src: *src, before: cols[src.0 as usize].get(unit), note })
            }
            Some(Step::Score { indicator, origin, .. }) => {
                let ind = &m.indicators[*indicator];
                let input = cols[ind.score_input.0 as usize].get(unit);
                let units = self.units_of(ind.score_input);
                // `outside_scale clamp`, as the evaluation applies it
                let clamp = |v: Val| -> (Val, Option<f64>) {
                    match v {
                        Ok(x) if ind.outside_scale == OutsideScale::Clamp && (x < bottom || x > top) => {
                            (Ok(x.clamp(bottom, top)), Some(x))
                        }
                        v => (v, None),
                    }
                };
                match &ind.score {
                    Some(ScoreRule::Formula { ir, .. }) => {
                        let e = Interp { cols, u: unit, mode }.eval(ir);
                        let (v, clamped_from) = clamp(e.val());
                        (
                            v,
                            How::Score {
                                indicator: *indicator,
                                input,
                                placement: Placement::None,
                                formula: Some(e),
                                units,
                                clamped_from,
                            },
                        )
                    }
                    Some(rule) => {
                        let scored = stats::score_detailed(
                            rule,
                            ind,
                            &cols[ind.score_input.0 as usize].to_vals(),
                            (bottom, top),
                            mode,
                            *origin,
                        );
                        let (v, placement) = scored.get(unit).copied().unwrap_or((value, Placement::None));
                        let (v, clamped_from) = clamp(v);
                        (v, How::Score { indicator: *indicator, input, placement, formula: None, units, clamped_from })
                    }
                    None => (value, How::Nothing),
                }
            }
            Some(Step::Aggregate { children, method, policy, origin, .. }) => {
                // weights derived from the period's data replace the declared ones
                let derived = self.period.derived.iter().find(|d| d.slot == slot).map(|d| &d.kind);
                let weights: Vec<f64> = match derived {
                    Some(super::DerivedKind::Pca { weights, .. }) => weights.clone(),
                    Some(super::DerivedKind::Bod { units }) => units
                        .get(unit)
                        .map(|u| u.weights.clone())
                        .filter(|w| w.len() == children.len())
                        .unwrap_or_else(|| vec![0.0; children.len()]),
                    None => children.iter().map(|(_, w)| *w).collect(),
                };
                let pairs: Vec<(Slot, f64)> = children.iter().zip(&weights).map(|((s, _), w)| (*s, *w)).collect();
                let v = match (method, derived) {
                    // the linear programme is not re-solved: the value is the evaluation's
                    (Aggregation::Bod { .. }, _) => value,
                    _ if method.across_units() => {
                        // ranked against every unit of the period: recomputed over all of them
                        let n = cols[children.first().map_or(0, |(s, _)| s.0 as usize)].len();
                        let rows: Vec<Vec<Val>> =
                            (0..n).map(|u| children.iter().map(|(s, _)| cols[s.0 as usize].get(u)).collect()).collect();
                        let (col, _) = super::aggregate_across(&rows, &weights, *method, *policy, bottom, *origin);
                        col.get(unit).copied().unwrap_or(value)
                    }
                    _ => aggregate(cols, unit, &pairs, *method, *policy, bottom, *origin),
                };
                let children = pairs
                    .iter()
                    .map(|(s, w)| ChildTrace { slot: *s, weight: w.max(0.0), value: cols[s.0 as usize].get(unit) })
                    .collect();
                (v, How::Aggregate { method: *method, policy: *policy, children })
            }
        };
        let t = SlotTrace { slot, value, traced, how };
        debug_assert!(
            t.agrees(),
            "the trace of slot {} differs from the evaluation: {:?} vs {:?}",
            slot.0,
            t.traced,
            t.value
        );
        t
    }

    /// Traces an expression of the model (a part of a formula, such as one level of a graded
    /// standard) for `unit`, over the evaluated columns.
    pub fn eval_ir<'i>(&self, ir: &'i Ir, unit: usize) -> Expr<'i> {
        Interp { cols: &self.period.columns, u: unit, mode: self.model.header.rounding }.eval(ir)
    }

    /// Every unit of the period with its value of a column.
    pub fn units_of(&self, slot: Slot) -> Vec<(String, Val)> {
        self.period.units.iter().enumerate().map(|(u, code)| (code.clone(), self.period.get(slot, u))).collect()
    }
}

/// The recording interpreter: the same operations as the compiled closures, one unit at a time.
struct Interp<'c> {
    cols: &'c Cols,
    u: usize,
    mode: Rounding,
}

impl Interp<'_> {
    fn eval<'m>(&self, ir: &'m Ir) -> Expr<'m> {
        let node =
            |value: Val, args: Vec<Expr<'m>>, chosen: Option<usize>| Expr { ir, value: Some(value), args, chosen };
        match ir {
            Ir::Const(x) => node(Ok(*x), vec![], None),
            Ir::Slot(s) => node(self.cols[s.0 as usize].get(self.u), vec![], None),
            Ir::Rounded(s, p) => node(ops::rounded(self.cols[s.0 as usize].get(self.u), *p, self.mode), vec![], None),
            Ir::RoundExpr(a, p) => {
                let a = self.eval(a);
                node(ops::rounded(a.val(), *p, self.mode), vec![a], None)
            }
            Ir::Neg(a) => {
                let a = self.eval(a);
                node(ops::neg(a.val()), vec![a], None)
            }
            Ir::Not(a) => {
                let a = self.eval(a);
                node(ops::not(a.val()), vec![a], None)
            }
            Ir::Arith(op, l, r, o) => {
                let le = self.eval(l);
                let v = match le.val() {
                    Err(m) => return node(Err(m), vec![le, Expr::skipped(r)], None),
                    Ok(x) => x,
                };
                let re = self.eval(r);
                let v = re.val().and_then(|y| ops::arith(*op, v, y, *o));
                node(v, vec![le, re], None)
            }
            Ir::Cmp(op, l, r) => {
                let le = self.eval(l);
                let x = match le.val() {
                    Err(m) => return node(Err(m), vec![le, Expr::skipped(r)], None),
                    Ok(x) => x,
                };
                let re = self.eval(r);
                let v = re.val().map(|y| ops::compare(*op, x, y));
                node(v, vec![le, re], None)
            }
            Ir::And(l, r) | Ir::Or(l, r) | Ir::Coalesce(l, r) => {
                let le = self.eval(l);
                let mut right = None;
                let rhs = || {
                    let e = self.eval(r);
                    let v = e.val();
                    right = Some(e);
                    v
                };
                let v = match ir {
                    Ir::And(..) => ops::and(le.val(), rhs),
                    Ir::Or(..) => ops::or(le.val(), rhs),
                    _ => ops::coalesce(le.val(), rhs),
                };
                node(v, vec![le, right.unwrap_or_else(|| Expr::skipped(r))], None)
            }
            Ir::IsMissing(a, reason) => {
                let a = self.eval(a);
                node(ops::is_missing(a.val(), *reason), vec![a], None)
            }
            Ir::MissingReason(a) => {
                let a = self.eval(a);
                node(ops::missing_reason(a.val()), vec![a], None)
            }
            Ir::If(c, t, f) => {
                let ce = self.eval(c);
                match ops::truth(ce.val()) {
                    Err(m) => node(Err(m), vec![ce, Expr::skipped(t), Expr::skipped(f)], None),
                    Ok(true) => {
                        let te = self.eval(t);
                        node(te.val(), vec![ce, te, Expr::skipped(f)], Some(1))
                    }
                    Ok(false) => {
                        let fe = self.eval(f);
                        node(fe.val(), vec![ce, Expr::skipped(t), fe], Some(2))
                    }
                }
            }
            Ir::Call(func, args, o) => {
                let mut done: Vec<Expr<'m>> = Vec::with_capacity(args.len());
                let v = ops::apply(
                    *func,
                    args.iter().map(|a| {
                        let e = self.eval(a);
                        let v = e.val();
                        done.push(e);
                        v
                    }),
                    args.len(),
                    *o,
                );
                let k = done.len();
                done.extend(args[k..].iter().map(Expr::skipped));
                node(v, done, None)
            }
            Ir::Bands(s, arms, otherwise, o) => {
                let se = self.eval(s);
                let n = arms.len();
                let chosen = match se.val() {
                    Err(_) => None,
                    Ok(x) => ops::band_of(arms, x).or(otherwise.as_ref().map(|_| n)),
                };
                let mut out = vec![se];
                let value = self.arms(arms.iter().map(|(_, e)| e), otherwise.as_deref(), chosen, &mut out);
                let value = match (chosen, value) {
                    (Some(_), Some(v)) => v,
                    _ => match out[0].val() {
                        Err(m) => Err(m),
                        Ok(_) => ops::no_arm(*o),
                    },
                };
                node(value, out, chosen)
            }
            Ir::Match(s, arms, otherwise, o) => {
                let se = self.eval(s);
                let n = arms.len();
                let chosen = match se.val() {
                    Err(_) => None,
                    Ok(k) => ops::arm_of(arms, k).or(otherwise.as_ref().map(|_| n)),
                };
                let mut out = vec![se];
                let value = self.arms(arms.iter().map(|(_, e)| e), otherwise.as_deref(), chosen, &mut out);
                let value = match (chosen, value) {
                    (Some(_), Some(v)) => v,
                    _ => match out[0].val() {
                        Err(m) => Err(m),
                        Ok(_) => ops::no_arm(*o),
                    },
                };
                node(value, out, chosen)
            }
        }
    }

    /// Evaluates the chosen arm (the arms, then `else`, by position) and records the others as
    /// not computed; returns the chosen arm's value.
    fn arms<'m>(
        &self,
        arms: impl Iterator<Item = &'m Ir>,
        otherwise: Option<&'m Ir>,
        chosen: Option<usize>,
        out: &mut Vec<Expr<'m>>,
    ) -> Option<Val> {
        let mut value = None;
        for (k, e) in arms.chain(otherwise).enumerate() {
            if Some(k) == chosen {
                let t = self.eval(e);
                value = Some(t.val());
                out.push(t);
            } else {
                out.push(Expr::skipped(e));
            }
        }
        value
    }
}
