//! Coverage: what the test cases touch.
//!
//! - An **indicator** is touched when, in at least one case, for one state, its value is present
//!   (not missing) and an expectation checks it: its value or score itself, or an area, standard,
//!   chapter or recommendation computed from it (through any chain of formulas, scores and
//!   aggregates).
//! - An **area** (the index too) is touched in the same way: present, and checked itself or
//!   through an area, standard or recommendation computed from it.
//! - A **band** of a `bands` or `categorical` scoring rule is hit when the value of some state in
//!   some case falls in it (whether or not the case checks that score).
//! - A **standard** or a **recommendation** is covered when some case expects its verdict, level,
//!   attainment or status.

use super::{Case, Target, What};
use crate::eval::trace::{How, Tracer};
use crate::eval::{Outcome, Placement};
use crate::model::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What no test touches.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// Indicators in the methodology.
    pub indicators: usize,
    /// Indicators no case touches, in declaration order.
    pub untested_indicators: Vec<String>,
    /// Areas in the methodology (the index included).
    pub areas: usize,
    /// Areas no case touches.
    pub untested_areas: Vec<String>,
    /// Bands (and percentile classes) of scoring rules.
    pub bands: usize,
    /// Bands no case's value falls in: (indicator, band as written).
    pub bands_not_hit: Vec<(String, String)>,
    /// Standards.
    pub standards: usize,
    /// Standards no case asserts.
    pub unasserted_standards: Vec<String>,
    /// Recommendations.
    pub recommendations: usize,
    /// Recommendations no case asserts.
    pub unasserted_recommendations: Vec<String>,
}

/// Collects coverage over the cases of a run.
pub(super) struct Collector<'m> {
    model: &'m Model,
    deps: Vec<Vec<Slot>>,
    indicators: HashSet<usize>,
    areas: HashSet<usize>,
    standards: HashSet<String>,
    recommendations: HashSet<String>,
    /// Per indicator: the bands hit, by position (`else` is the number of bands).
    bands: HashMap<usize, HashSet<usize>>,
}

fn band_count(rule: &ScoreRule) -> Option<(usize, bool)> {
    match rule {
        ScoreRule::Bands { bands, otherwise } => Some((bands.len(), otherwise.is_some())),
        ScoreRule::Categorical { classes } => Some((classes.len(), false)),
        _ => None,
    }
}

impl<'m> Collector<'m> {
    pub(super) fn new(model: &'m Model) -> Self {
        let mut deps = vec![vec![]; model.slots.len()];
        for step in &model.plan {
            let (slot, d) = match step {
                Step::Input { slot, .. } => (*slot, vec![]),
                Step::Formula { slot, ir } => {
                    let mut d = vec![];
                    ir.slots_into(&mut d);
                    (*slot, d)
                }
                Step::Column { slot, src, .. } => (*slot, vec![*src]),
                Step::Impute { slot, src, indicator, .. } => {
                    let mut d = vec![*src];
                    if let Imputation::Formula { ir, .. } = &model.indicators[*indicator].impute {
                        ir.slots_into(&mut d);
                    }
                    (*slot, d)
                }
                Step::Treat { slot, src, .. } => (*slot, vec![*src]),
                Step::Score { slot, indicator, .. } => {
                    let ind = &model.indicators[*indicator];
                    let mut d = vec![ind.score_input];
                    if let Some(ScoreRule::Formula { ir, .. }) = &ind.score {
                        ir.slots_into(&mut d);
                    }
                    (*slot, d)
                }
                Step::Aggregate { slot, children, .. } => (*slot, children.iter().map(|(s, _)| *s).collect()),
            };
            deps[slot.0 as usize] = d;
        }
        Collector {
            model,
            deps,
            indicators: HashSet::new(),
            areas: HashSet::new(),
            standards: HashSet::new(),
            recommendations: HashSet::new(),
            bands: HashMap::new(),
        }
    }

    /// Records what one evaluated case touches.
    pub(super) fn case(&mut self, outcome: &Outcome, case: &Case) {
        let m = self.model;
        let Some(p) = outcome.periods.first() else { return };
        for e in &case.expects {
            match &e.target {
                Target::Standard(c) => {
                    self.standards.insert(c.clone());
                }
                Target::Recommendation(r) => {
                    self.recommendations.insert(r.clone());
                }
                _ => {}
            }
        }
        for (u, code) in p.units.iter().enumerate() {
            let mut stack: Vec<Slot> = vec![];
            for e in case.expects.iter().filter(|e| e.unit == *code) {
                match (&e.target, e.what) {
                    (Target::Indicator(i), What::Score) => stack.push(m.indicators[i.as_str()].score_slot),
                    (Target::Indicator(i), _) => stack.push(m.indicators[i.as_str()].value),
                    (Target::Area(a), _) => stack.push(m.areas[a.as_str()].slot),
                    (Target::Chapter(c), _) => stack.push(m.chapters[c.as_str()].score),
                    (Target::Recommendation(r), _) => stack.push(m.recommendations[r.as_str()].slot),
                    (Target::Standard(c), _) => {
                        let s = &m.standards[c.as_str()];
                        stack.extend([Some(s.met), Some(s.level), Some(s.attainment), s.value].into_iter().flatten());
                    }
                }
            }
            let mut seen = vec![false; m.slots.len()];
            while let Some(s) = stack.pop() {
                if std::mem::replace(&mut seen[s.0 as usize], true) {
                    continue;
                }
                stack.extend(self.deps[s.0 as usize].iter().copied());
            }
            for (k, ind) in m.indicators.values().enumerate() {
                if (seen[ind.value.0 as usize] || seen[ind.score_slot.0 as usize]) && p.get(ind.value, u).is_ok() {
                    self.indicators.insert(k);
                }
            }
            for (k, a) in m.areas.values().enumerate() {
                if seen[a.slot.0 as usize] && p.get(a.slot, u).is_ok() {
                    self.areas.insert(k);
                }
            }
        }
        // bands hit by any state's value
        let tracer = Tracer::new(m, p);
        for (k, ind) in m.indicators.values().enumerate() {
            let Some((n, _)) = ind.score.as_ref().and_then(band_count) else { continue };
            for u in 0..p.units.len() {
                if p.get(ind.value, u).is_err() {
                    continue;
                }
                if let How::Score { placement, .. } = tracer.trace(ind.score_slot, u).how {
                    let hit = match placement {
                        Placement::Bands { band, .. } => Some(band.unwrap_or(n)),
                        Placement::Categorical { class, .. } => class,
                        _ => None,
                    };
                    if let Some(h) = hit {
                        self.bands.entry(k).or_default().insert(h);
                    }
                }
            }
        }
    }

    pub(super) fn finish(self) -> Coverage {
        let m = self.model;
        let mut c = Coverage {
            indicators: m.indicators.len(),
            areas: m.areas.len(),
            standards: m.standards.len(),
            recommendations: m.recommendations.len(),
            ..Coverage::default()
        };
        for (k, ind) in m.indicators.values().enumerate() {
            if !self.indicators.contains(&k) {
                c.untested_indicators.push(ind.id.clone());
            }
            let Some(rule) = &ind.score else { continue };
            let Some((n, has_else)) = band_count(rule) else { continue };
            let ranges: Vec<String> = match rule {
                ScoreRule::Bands { bands, .. } => bands.iter().map(|(r, _)| r.display()).collect(),
                ScoreRule::Categorical { classes } => classes.iter().map(|(r, _)| r.display()).collect(),
                _ => vec![],
            };
            let hit = self.bands.get(&k);
            let total = n + usize::from(has_else);
            c.bands += total;
            for j in 0..total {
                if !hit.is_some_and(|h| h.contains(&j)) {
                    let name = ranges.get(j).cloned().unwrap_or_else(|| "else".into());
                    c.bands_not_hit.push((ind.id.clone(), name));
                }
            }
        }
        for (k, a) in m.areas.values().enumerate() {
            if !self.areas.contains(&k) {
                c.untested_areas.push(a.id.clone());
            }
        }
        for s in m.standards.keys() {
            if !self.standards.contains(s) {
                c.unasserted_standards.push(s.clone());
            }
        }
        for r in m.recommendations.keys() {
            if !self.recommendations.contains(r) {
                c.unasserted_recommendations.push(r.clone());
            }
        }
        c
    }
}
