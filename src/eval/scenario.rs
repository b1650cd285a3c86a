//! Scenarios evaluated beside the methodology: each `model::Scenario` becomes evaluation
//! [`Overrides`] (weights and aggregations per aggregate step, scoring rules per indicator), every
//! period is evaluated again with them, and each unit's index and rank under the scenario are set
//! beside its rank under the methodology (the OECD/JRC Handbook's tables of rankings by method).

use super::composite::{rank, Order};
use super::{evaluate_all_with, Compiled, Outcome, Overrides, PeriodOutcome};
use crate::data::Dataset;
use crate::model::{Miss, Model, Reason, Scenario, Slot, Step, Ties, Val};
use serde::Serialize;
use std::collections::HashMap;

/// One scenario's results.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioOutcome {
    /// The scenario's id.
    pub id: String,
    /// Per period, in the methodology's order.
    pub periods: Vec<ScenarioPeriod>,
}

/// One period under a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioPeriod {
    /// The period.
    pub period: String,
    /// The units, in the period's order (as in the methodology's result).
    pub units: Vec<String>,
    /// Each unit's index under the scenario.
    #[serde(skip)]
    pub index: Vec<Val>,
    /// Each unit's rank by the index under the scenario (1 = the largest, ties `min`); `None`
    /// when its index is missing.
    pub rank: Vec<Option<f64>>,
    /// Each unit's rank under the methodology, the same way.
    pub base_rank: Vec<Option<f64>>,
}

/// Ranks of an index column: the largest 1, ties `min`, a missing value unranked.
pub fn ranks_of(col: &[Val]) -> Vec<Option<f64>> {
    let xs: Vec<Option<f64>> = col.iter().map(|v| v.ok()).collect();
    rank(&xs, Ties::Min, Order::Descending)
}

/// The evaluation overrides of a scenario.
fn overrides<'m>(c: &Compiled<'m>, sc: &'m Scenario) -> Overrides<'m> {
    let m = c.model;
    // what each child slot of an aggregate is: an area's score or an indicator's
    let mut id_of: HashMap<Slot, &str> = HashMap::new();
    for a in m.areas.values() {
        id_of.insert(a.slot, &a.id);
    }
    for i in m.indicators.values() {
        id_of.insert(i.score_slot, &i.id);
    }
    let area_of: HashMap<Slot, &str> = m.areas.values().map(|a| (a.slot, a.id.as_str())).collect();
    let aggregate = m
        .plan
        .iter()
        .map(|step| match step {
            Step::Aggregate { slot, children, method, .. } => {
                // the methodology's weights (declared, or derived from the data) unless the
                // scenario sets the weight of a child
                let set = |s: &Slot| id_of.get(s).and_then(|id| sc.weights.get(*id)).copied();
                let weights: Option<Vec<f64>> = children
                    .iter()
                    .any(|(s, _)| set(s).is_some())
                    .then(|| children.iter().map(|(s, w)| set(s).unwrap_or(*w)).collect());
                let method = area_of.get(slot).and_then(|id| sc.aggregates.get(*id)).copied().unwrap_or(*method);
                Some((weights, method))
            }
            _ => None,
        })
        .collect();
    let score = m.indicators.values().map(|i| sc.scores.get(&i.id)).collect();
    Overrides { impute: vec![], score, aggregate }
}

/// The model evaluated under one of its scenarios (`id`), as [`super::evaluate_compiled`]
/// evaluates it under its own choices (periods, events, summary; no scenarios): what `tamga
/// impact --scenario` compares with the methodology. `None` when the model has no such scenario.
pub fn evaluate_under(c: &Compiled, data: &Dataset, id: &str) -> Option<Outcome> {
    let sc = c.model.scenarios.get(id)?;
    Some(evaluate_all_with(c, data, &overrides(c, sc)))
}

/// The model as a scenario describes it: the areas' children weighted and the areas aggregated
/// as the scenario says (for what is read from the model's declarations, such as the number of
/// children a weight-share threshold needs, `tamga impact --scenario`). Its plan is the
/// methodology's: evaluate with [`evaluate_under`]. `None` when the model has no such scenario.
pub fn declared_under(model: &Model, id: &str) -> Option<Model> {
    let sc = model.scenarios.get(id)?;
    let mut m = model.clone();
    for a in m.areas.values_mut() {
        for c in &mut a.children {
            if let Some(w) = sc.weights.get(&c.id) {
                c.weight = *w;
            }
        }
        if let Some(g) = sc.aggregates.get(&a.id) {
            a.aggregate = *g;
        }
    }
    Some(m)
}

/// Every scenario of the model over every period of `base` (the methodology's own outcome).
pub fn run(c: &Compiled, data: &Dataset, base: &[PeriodOutcome]) -> Vec<ScenarioOutcome> {
    let m = c.model;
    let index = m.areas[&m.index].slot;
    m.scenarios
        .values()
        .map(|sc| {
            let under = evaluate_all_with(c, data, &overrides(c, sc));
            let periods = base
                .iter()
                .map(|b| {
                    let po = under.periods.iter().find(|p| p.period == b.period);
                    // the scenario's units are the methodology's (screening is on the values, which
                    // a scenario does not change); a unit the scenario did not evaluate all the same
                    // has no index under it, and says so
                    let col: Vec<Val> = b
                        .units
                        .iter()
                        .map(|u| match po.and_then(|p| p.unit_index(u).map(|k| p.get(index, k))) {
                            Some(v) => v,
                            None => Err(Miss { reason: Reason::NotAssessable, origin: 0 }),
                        })
                        .collect();
                    let base_col: Vec<Val> = (0..b.units.len()).map(|u| b.get(index, u)).collect();
                    ScenarioPeriod {
                        period: b.period.clone(),
                        units: b.units.clone(),
                        rank: ranks_of(&col),
                        base_rank: ranks_of(&base_col),
                        index: col,
                    }
                })
                .collect();
            ScenarioOutcome { id: sc.id.clone(), periods }
        })
        .collect()
}
