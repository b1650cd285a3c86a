//! Why a value is missing, down to its root cause: an [`Outcome`](super::Outcome)'s period × a
//! (slot, unit) → [`Cause`].
//!
//! A missing value carries only its reason and an origin ([`Miss`]). Formulas keep the reason and
//! origin of their first missing operand, so a formula's missing value already points at its root
//! (an answer, or the operation where it arose). An aggregate that cannot be assessed starts a
//! new `not_assessable` with its own origin; the walk then goes down to its first missing child
//! (in declaration order), and so on, using only the outcome's columns: no memory per value, and
//! nothing added to the evaluation's loops.

use super::PeriodOutcome;
use crate::model::*;

/// The root cause of a missing value.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// The value's own reason.
    pub reason: Reason,
    /// The slots walked, from the value asked about to the one where the cause arose.
    pub path: Vec<Slot>,
    /// At the first aggregate on the way: which of its children are missing.
    pub children: Option<Children>,
    /// Where the cause arose.
    pub root: Root,
    /// The root's reason (`not_submitted` under a `not_assessable` area).
    pub root_reason: Reason,
}

/// The missing children of an aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct Children {
    /// The aggregate (an area, the index, a chapter).
    pub node: Slot,
    /// Its children that are missing, in declaration order.
    pub missing: Vec<Slot>,
    /// How many children it has.
    pub total: usize,
}

/// Where a missing value's cause arose.
#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    /// An answer: not submitted, not applicable, confidential, or invalid (failed validation).
    Answer {
        /// Index into [`Model::questions`].
        question: usize,
    },
    /// An answer made invalid by a violated consistency rule.
    Rule {
        /// Index into [`Model::rules`].
        rule: usize,
        /// The answer (index into [`Model::questions`]), when the walk went through it.
        question: Option<usize>,
    },
    /// An answer made invalid because a consistency rule (`severity error`) that names it could
    /// not verify it: another answer the rule names was left out ([`Rule::unverified_origin`]).
    Unverified {
        /// Index into [`Model::rules`].
        rule: usize,
        /// The answer made invalid (index into [`Model::questions`]), when the walk went through it.
        question: Option<usize>,
        /// The answer left out (index into [`Model::questions`]) and why it is missing.
        left_out: Option<(usize, Reason)>,
    },
    /// An operation in a formula: a division by zero, a function outside its domain, a
    /// statistic without data, an explicit `missing(…)`.
    Operation {
        /// Index into [`Model::origins`].
        origin: u32,
    },
    /// An aggregate that cannot be assessed although no child is missing (no child with a
    /// weight), or a value never computed.
    Node {
        /// The slot.
        slot: Slot,
    },
}

/// What finds causes in a model's outcomes: built once per model.
pub struct Causes<'m> {
    model: &'m Model,
    step_of: Vec<Option<usize>>,
}

impl<'m> Causes<'m> {
    /// Indexes the model's plan.
    pub fn new(model: &'m Model) -> Self {
        let mut step_of = vec![None; model.slots.len()];
        for (k, step) in model.plan.iter().enumerate() {
            if let Some(s) = step_of.get_mut(step.slot().0 as usize) {
                *s = Some(k);
            }
        }
        Causes { model, step_of }
    }

    /// The root cause of `slot`'s value for `unit` in `period`; none when the value is present.
    pub fn of(&self, period: &PeriodOutcome, slot: Slot, unit: usize) -> Option<Cause> {
        let m = self.model;
        let first = period.get(slot, unit).err()?;
        let mut miss = first;
        let mut cur = slot;
        let mut path = vec![slot];
        let mut children = None;
        let done = |path: Vec<Slot>, children, root, root_reason| {
            Some(Cause { reason: first.reason, path, children, root, root_reason })
        };
        // each step moves to another slot; a walk longer than the slots would be a loop
        for _ in 0..=m.slots.len() {
            let Some(o) = m.origins.get(miss.origin as usize) else {
                return done(path, children, Root::Node { slot: cur }, miss.reason);
            };
            match &m.slots[o.slot.0 as usize] {
                SlotKind::Question(id) => {
                    let answer = matches!(
                        miss.reason,
                        Reason::NotSubmitted | Reason::NotApplicable | Reason::Confidential | Reason::Invalid
                    );
                    let root = match (answer, m.questions.get_index_of(id.as_str())) {
                        (true, Some(question)) => Root::Answer { question },
                        // a slot never computed reads as not assessable with origin 0
                        _ => Root::Node { slot: cur },
                    };
                    if cur != o.slot && answer {
                        path.push(o.slot);
                    }
                    return done(path, children, root, miss.reason);
                }
                SlotKind::Rule(id) => {
                    let rule = m.rules.get_index_of(id.as_str()).unwrap_or(0);
                    // the answer the walk came through, or the first the rule names that holds this miss
                    let question = match &m.slots[cur.0 as usize] {
                        SlotKind::Question(q) => m.questions.get_index_of(q.as_str()),
                        _ => m.rules.get_index(rule).and_then(|(_, r)| {
                            r.questions.iter().copied().find(|q| period.get(m.questions[*q].slot, unit) == Err(miss))
                        }),
                    };
                    let r = m.rules.get_index(rule).map(|(_, r)| r);
                    if r.is_some_and(|r| r.unverified_origin == miss.origin) {
                        // the first answer the rule names that was missing as submitted
                        let left_out = r.and_then(|r| {
                            r.questions.iter().find_map(|q| match period.get(m.questions[*q].slot, unit) {
                                Err(x) if x.origin != r.origin && x.origin != r.unverified_origin => {
                                    Some((*q, x.reason))
                                }
                                _ => None,
                            })
                        });
                        return done(path, children, Root::Unverified { rule, question, left_out }, miss.reason);
                    }
                    return done(path, children, Root::Rule { rule, question }, miss.reason);
                }
                _ => {}
            }
            if o.slot != cur {
                // the missing value arose elsewhere and came here unchanged: walk from there
                match period.get(o.slot, unit) {
                    Err(there) if there == miss => {
                        cur = o.slot;
                        path.push(cur);
                        continue;
                    }
                    _ => return done(path, children, Root::Operation { origin: miss.origin }, miss.reason),
                }
            }
            // it arose here
            let step = self.step_of.get(cur.0 as usize).copied().flatten().map(|k| &m.plan[k]);
            if miss.reason != Reason::NotAssessable {
                return done(path, children, Root::Operation { origin: miss.origin }, miss.reason);
            }
            let inputs = step.map(|s| s.inputs(m)).unwrap_or_default();
            let missing: Vec<Slot> = inputs.iter().copied().filter(|s| period.get(*s, unit).is_err()).collect();
            let aggregate = matches!(step, Some(Step::Aggregate { .. }));
            let Some(next) = missing.first().copied() else {
                let root = if aggregate || step.is_none() {
                    Root::Node { slot: cur }
                } else {
                    Root::Operation { origin: miss.origin }
                };
                return done(path, children, root, miss.reason);
            };
            if aggregate && children.is_none() {
                children = Some(Children { node: cur, missing: missing.clone(), total: inputs.len() });
            }
            let Err(next_miss) = period.get(next, unit) else {
                return done(path, children, Root::Node { slot: cur }, miss.reason);
            };
            cur = next;
            miss = next_miss;
            path.push(cur);
        }
        done(path, children, Root::Node { slot: cur }, miss.reason)
    }
}
