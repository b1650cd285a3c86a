//! Re-evaluating a methodology under a sample of its uncertain choices, efficiently.
//!
//! - The model is prepared once ([`prepare`]): every scored indicator gets an `Impute` step (an
//!   indicator without a declared imputation gets `impute none`, which changes nothing), so an
//!   alternative imputation has a step to act on. Formulas are compiled once, for every sample.
//! - The choices that change the scores — the imputation and the normalisation, each drawn
//!   among a few alternatives — are evaluated once per combination ([`Engine::new`]): one full
//!   evaluation of the period, with screening, per imputation × normalisation alternative.
//! - A sample then only picks its combination and recomputes the areas and the index from those
//!   scores with its weights and aggregation method ([`Engine::index`]): what no choice affects
//!   (answers, formulas, indicator values) is never recomputed, nor is what only the combination
//!   affects.
//! - When a formula reads something a sample changes (a scoring or imputation formula that reads
//!   an area's score), that shortcut is not valid, and each sample is a full evaluation of the
//!   period with the sample's choices ([`Path::Full`]); both ways give the same numbers
//!   (`tests/sensitivity.rs` compares them).

use super::estimate::{pick, uniform, STREAM_WEIGHTS};
use crate::data::Dataset;
use crate::eval::{
    aggregate_across, aggregate_values, evaluate_compiled, evaluate_period_with, Compiled, Overrides, PeriodOutcome,
};
use crate::model::*;

/// How a sample is re-evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// Scores are taken from the evaluation of the sample's imputation × normalisation; the
    /// areas and the index are recomputed.
    Aggregates,
    /// Every sample is a full evaluation of the period.
    Full,
}

/// The model with an `Impute` step for every scored indicator (see the module's documentation).
pub fn prepare(model: &Model) -> Model {
    let mut m = model.clone();
    let mut inserts: Vec<(usize, Step)> = vec![];
    for k in 0..m.indicators.len() {
        let (score, imputed, value, treated) = {
            let ind = &m.indicators[k];
            (ind.score.is_some(), ind.imputed, ind.value, ind.treated)
        };
        if !score || imputed.is_some() {
            continue;
        }
        let slot = Slot(m.slots.len() as u32);
        m.slots.push(SlotKind::Hidden(format!("impute({})", m.indicators[k].id)));
        let Some(at) = m.plan.iter().position(
            |s| matches!(s, Step::Treat { indicator, .. } | Step::Score { indicator, .. } if *indicator == k),
        ) else {
            continue;
        };
        let origin = match &m.plan[at] {
            Step::Treat { origin, .. } | Step::Score { origin, .. } => *origin,
            _ => 0,
        };
        for s in m.plan.iter_mut() {
            if let Step::Treat { indicator, src, .. } = s {
                if *indicator == k {
                    *src = slot;
                }
            }
        }
        let ind = &mut m.indicators[k];
        ind.imputed = Some(slot);
        if treated.is_none() {
            ind.score_input = slot;
        }
        inserts.push((at, Step::Impute { slot, indicator: k, src: value, origin }));
    }
    // insert from the back, so earlier positions stay valid
    inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    for (at, step) in inserts {
        m.plan.insert(at, step);
    }
    m
}

/// One uncertain factor, resolved against the model.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// Every weight × U[1 − by, 1 + by], from one of `sets` noisy weight sets.
    Weights {
        /// Half-width.
        by: f64,
        /// How many noisy sets the factor picks among (N).
        sets: usize,
    },
    /// These weight entries drawn in [lo, hi].
    Weight {
        /// Positions in the flat weight list.
        entries: Vec<usize>,
        /// Lowest.
        lo: f64,
        /// Highest.
        hi: f64,
    },
    /// Every area's method among these.
    Aggregate(Vec<Aggregation>),
    /// Every scored indicator's rule: the alternative's index.
    Score(usize),
    /// Every indicator's imputation: the alternative's index.
    Impute(usize),
    /// None, or one of these weight entries set to 0.
    DropOne(Vec<usize>),
}

/// An area's aggregation, in plan order.
#[derive(Debug, Clone)]
struct Node {
    /// The plan step.
    step: usize,
    /// The children: a score column (`Ok(slot)`) or an earlier node (`Err(node)`).
    children: Vec<Result<usize, usize>>,
    /// The first position of its children in the flat weight list.
    first: usize,
    method: Aggregation,
    policy: MissingPolicy,
    origin: u32,
    /// Whether the area derives its weights from the data (`weights pca`).
    derived: bool,
}

/// A sample's choices, resolved.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The imputation alternative (0 when imputation does not vary).
    pub impute: usize,
    /// The normalisation alternative (0 when it does not vary).
    pub score: usize,
    /// The aggregation method of every area, when it varies.
    pub aggregate: Option<Aggregation>,
    /// The children's weights, in the flat order of [`Engine::weights`].
    pub weights: Vec<f64>,
}

/// The period evaluated under every imputation × normalisation alternative, and the hierarchy's
/// aggregations, ready for samples.
pub struct Engine<'m> {
    compiled: Compiled<'m>,
    data: &'m Dataset,
    /// Every unit with a submission in the period, in code order: what ranks are reported for.
    pub units: Vec<String>,
    /// Per imputation alternative (fast path): the position in `units` of each unit evaluated.
    unit_maps: Vec<Vec<usize>>,
    /// The outcome of the whole dataset as declared (nominal), by the prepared model.
    pub nominal: crate::eval::Outcome,
    /// The position of the analysed period in `nominal.periods`.
    pub period: usize,
    /// The imputation alternatives (`None`: as declared).
    impute_alts: Vec<Option<Imputation>>,
    /// The normalisation alternatives (`None`: as declared).
    score_alts: Vec<Option<ScoreRule>>,
    /// `combos[a · score_alts + r]`: the period under imputation a and normalisation r.
    combos: Vec<PeriodOutcome>,
    nodes: Vec<Node>,
    /// The node of the index.
    index_node: usize,
    /// Nominal weights of the children of every node, flat, in node order.
    pub weights: Vec<f64>,
    /// The ids of the children, in the same order.
    pub weight_ids: Vec<(String, &'static str)>,
    /// The factors, resolved, in declaration order.
    pub factors: Vec<Resolved>,
    /// Which path samples take.
    pub path: Path,
    /// Whether a factor changes weights or aggregation methods (otherwise the combinations'
    /// areas are the samples').
    aggregates_vary: bool,
    /// The index's column.
    index_slot: usize,
    seed: u64,
    bottom: f64,
}

/// Working space of one thread.
pub struct Scratch {
    areas: Vec<Vec<Val>>,
    present: Vec<(f64, f64)>,
    /// The index of every unit evaluated by the last [`Engine::index`].
    pub index: Vec<Val>,
    /// The position in [`Engine::units`] of each of those units.
    pub units: Vec<usize>,
    /// Whether the last [`Engine::index`] weighted an area `weights pca` equally, its principal
    /// components not being computable on the sample's data.
    pub pca_equal: bool,
}

impl<'m> Engine<'m> {
    /// Prepares the samples of `period` (an index into the periods of `data`, in order).
    /// `model` must be [`prepare`]d. `sets` is the number of noisy weight sets (N).
    pub fn new(model: &'m Model, data: &'m Dataset, period: usize, seed: u64, sets: usize, full: bool) -> Self {
        let compiled = Compiled::new(model);
        let nominal = evaluate_compiled(&compiled, data);
        let factors_decl: Vec<Factor> = model.uncertainty.as_ref().map(|u| u.factors.clone()).unwrap_or_default();
        let mut impute_alts: Vec<Option<Imputation>> = vec![None];
        let mut score_alts: Vec<Option<ScoreRule>> = vec![None];
        for f in &factors_decl {
            match f {
                Factor::Impute { among } => impute_alts = among.clone(),
                Factor::Score { among } => score_alts = among.clone(),
                _ => {}
            }
        }
        // the hierarchy's aggregations, in plan order
        let area_of_slot = |slot: Slot| model.areas.values().position(|a| a.slot == slot);
        let mut nodes: Vec<Node> = vec![];
        let mut node_of_slot: Vec<Option<usize>> = vec![None; model.slots.len()];
        let mut weights = vec![];
        let mut weight_ids = vec![];
        for (k, step) in model.plan.iter().enumerate() {
            let Step::Aggregate { slot, children, method, policy, origin } = step else { continue };
            let Some(a) = area_of_slot(*slot) else { continue };
            let area = &model.areas[a];
            let first = weights.len();
            let mut refs = vec![];
            for (s, w) in children {
                let child = area.children.iter().find(|c| c.slot == *s);
                weights.push(*w);
                weight_ids.push(child.map(|c| (c.id.clone(), c.kind)).unwrap_or_default());
                refs.push(match node_of_slot[s.0 as usize] {
                    Some(node) => Err(node),
                    None => Ok(s.0 as usize),
                });
            }
            node_of_slot[slot.0 as usize] = Some(nodes.len());
            let derived = area.weights_from == crate::model::WeightsFrom::Pca;
            nodes.push(Node {
                step: k,
                children: refs,
                first,
                method: *method,
                policy: *policy,
                origin: *origin,
                derived,
            });
        }
        let index_slot = model.areas.get(&model.index).map(|a| a.slot);
        let index_node = nodes
            .iter()
            .position(|n| matches!(&model.plan[n.step], Step::Aggregate { slot, .. } if Some(*slot) == index_slot))
            .unwrap_or(nodes.len().saturating_sub(1));
        let entries_of = |pred: &dyn Fn(&str, &str) -> bool| -> Vec<usize> {
            weight_ids.iter().enumerate().filter(|(_, (id, kind))| pred(id, kind)).map(|(e, _)| e).collect()
        };
        let factors: Vec<Resolved> = factors_decl
            .iter()
            .map(|f| match f {
                Factor::Weights { by } => Resolved::Weights { by: *by, sets: sets.max(1) },
                Factor::Weight { node, lo, hi } => {
                    Resolved::Weight { entries: entries_of(&|id, _| id == node), lo: *lo, hi: *hi }
                }
                Factor::Aggregate { among } => Resolved::Aggregate(among.clone()),
                Factor::Score { among } => Resolved::Score(among.len()),
                Factor::Impute { among } => Resolved::Impute(among.len()),
                Factor::DropOne => Resolved::DropOne(entries_of(&|_, kind| kind == "indicator")),
            })
            .collect();
        // does anything a sample changes feed a score? (a formula reading an area's score)
        let mut dirty = vec![false; model.slots.len()];
        for n in &nodes {
            if let Step::Aggregate { slot, .. } = &model.plan[n.step] {
                dirty[slot.0 as usize] = true;
            }
        }
        let mut scores_clean = true;
        for step in &model.plan {
            let (slot, reads) = step_reads(model, step);
            if matches!(step, Step::Aggregate { .. }) && dirty[slot.0 as usize] {
                continue;
            }
            if reads.iter().any(|s| dirty[s.0 as usize]) {
                dirty[slot.0 as usize] = true;
                if matches!(step, Step::Score { .. } | Step::Impute { .. } | Step::Treat { .. }) {
                    scores_clean = false;
                }
            }
        }
        // an area whose weights come from the data (`weights pca`, `aggregate bod`) is evaluated
        // as the methodology evaluates it, in every sample
        let derives = model.areas.values().any(|a| {
            a.weights_from == crate::model::WeightsFrom::Pca || matches!(a.aggregate, Aggregation::Bod { .. })
        });
        let path = if full || !scores_clean || derives { Path::Full } else { Path::Aggregates };
        let earlier = &nominal.periods[..period];
        let period_name = nominal.periods[period].period.clone();
        let mut combos = vec![];
        if path == Path::Aggregates {
            for a in &impute_alts {
                for r in &score_alts {
                    let ov = overrides(model, a.as_ref(), r.as_ref(), vec![]);
                    combos.push(evaluate_period_with(&compiled, data, &period_name, earlier, &ov).0);
                }
            }
        }
        let bottom = model.header.scale.0;
        let mut units: Vec<String> =
            data.submissions.iter().filter(|s| s.period == period_name).map(|s| s.unit.clone()).collect();
        units.sort();
        units.dedup();
        let position = |code: &String| units.binary_search(code).unwrap_or(0);
        let unit_maps = (0..impute_alts.len())
            .map(|a| match combos.get(a * score_alts.len()) {
                Some(c) => c.units.iter().map(position).collect(),
                None => vec![],
            })
            .collect();
        let aggregates_vary = factors.iter().any(|f| {
            matches!(
                f,
                Resolved::Weights { .. } | Resolved::Weight { .. } | Resolved::Aggregate(_) | Resolved::DropOne(_)
            )
        });
        Engine {
            aggregates_vary,
            index_slot: index_slot.map(|s| s.0 as usize).unwrap_or(0),
            compiled,
            data,
            units,
            unit_maps,
            nominal,
            period,
            impute_alts,
            score_alts,
            combos,
            nodes,
            index_node,
            weights,
            weight_ids,
            factors,
            path,
            seed,
            bottom,
        }
    }

    /// Working space for one thread.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            areas: vec![vec![]; self.nodes.len()],
            present: vec![],
            index: vec![],
            units: vec![],
            pca_equal: false,
        }
    }

    /// The choices of a sample row `u` (one uniform number per factor).
    pub fn choose(&self, u: &[f64], weights: &mut Vec<f64>) -> Choice {
        weights.clear();
        weights.extend_from_slice(&self.weights);
        let mut choice = Choice { impute: 0, score: 0, aggregate: None, weights: vec![] };
        // noise first, then the weights drawn in a range, then the indicator left out
        for (f, x) in self.factors.iter().zip(u) {
            if let Resolved::Weights { by, sets } = f {
                let set = pick(*x, *sets) as u64;
                for (e, w) in weights.iter_mut().enumerate() {
                    *w *= 1.0 + by * (2.0 * uniform(self.seed, STREAM_WEIGHTS, set, e as u64) - 1.0);
                }
            }
        }
        for (f, x) in self.factors.iter().zip(u) {
            match f {
                Resolved::Weight { entries, lo, hi } => {
                    for e in entries {
                        weights[*e] = lo + x * (hi - lo);
                    }
                }
                Resolved::Aggregate(among) => choice.aggregate = Some(among[pick(*x, among.len())]),
                Resolved::Score(n) => choice.score = pick(*x, *n),
                Resolved::Impute(n) => choice.impute = pick(*x, *n),
                _ => {}
            }
        }
        for (f, x) in self.factors.iter().zip(u) {
            if let Resolved::DropOne(entries) = f {
                let d = pick(*x, entries.len() + 1);
                if d > 0 {
                    weights[entries[d - 1]] = 0.0;
                }
            }
        }
        choice.weights = std::mem::take(weights);
        choice
    }

    /// Every unit's index under a choice, into `scratch.index`, and the units it is of into
    /// `scratch.units`.
    pub fn index(&self, choice: &Choice, scratch: &mut Scratch) {
        match self.path {
            Path::Aggregates => {
                let combo = &self.combos[choice.impute * self.score_alts.len() + choice.score];
                self.aggregates(combo, choice, scratch);
                scratch.units.clear();
                scratch.units.extend_from_slice(&self.unit_maps[choice.impute]);
            }
            Path::Full => {
                let model = self.compiled.model();
                let mut agg: Vec<Option<(Option<Vec<f64>>, Aggregation)>> = vec![None; model.plan.len()];
                for n in &self.nodes {
                    // weights derived from the data (`weights pca`) are derived again from the
                    // sample's data; the others are the sample's
                    let w = (!n.derived).then(|| choice.weights[n.first..n.first + n.children.len()].to_vec());
                    agg[n.step] = Some((w, choice.aggregate.unwrap_or(n.method)));
                }
                let ov = overrides(
                    model,
                    self.impute_alts[choice.impute].as_ref(),
                    self.score_alts[choice.score].as_ref(),
                    agg,
                );
                let p = &self.nominal.periods[self.period];
                let (po, _) = evaluate_period_with(
                    &self.compiled,
                    self.data,
                    &p.period,
                    &self.nominal.periods[..self.period],
                    &ov,
                );
                let index = model.areas[&model.index].slot;
                scratch.index.clear();
                scratch.index.extend(po.columns[index.0 as usize].iter());
                scratch.units.clear();
                scratch.units.extend(po.units.iter().map(|c| self.units.binary_search(c).unwrap_or(0)));
                scratch.pca_equal = po
                    .derived
                    .iter()
                    .any(|d| matches!(&d.kind, crate::eval::DerivedKind::Pca { not_computable: Some(_), .. }));
            }
        }
    }

    /// The fast path: areas and index from the combination's scores.
    #[allow(clippy::needless_range_loop)]
    fn aggregates(&self, combo: &PeriodOutcome, choice: &Choice, scratch: &mut Scratch) {
        let n = combo.units.len();
        let Scratch { areas, present, index, .. } = scratch;
        if !self.aggregates_vary {
            // nothing a sample draws touches the areas: the combination's index is the sample's
            index.clear();
            index.extend(combo.columns[self.index_slot].iter());
            return;
        }
        for (k, node) in self.nodes.iter().enumerate() {
            let method = choice.aggregate.unwrap_or(node.method);
            let w = &choice.weights[node.first..node.first + node.children.len()];
            let (done, rest) = areas.split_at_mut(k);
            let out = &mut rest[0];
            out.clear();
            if method.across_units() {
                // Copeland, Kemeny–Young: every unit against every other, at once
                let rows: Vec<Vec<Val>> = (0..n)
                    .map(|u| {
                        node.children
                            .iter()
                            .map(|c| match c {
                                Ok(slot) => combo.columns[*slot].get(u),
                                Err(node) => done[*node][u],
                            })
                            .collect()
                    })
                    .collect();
                let (col, _) = aggregate_across(&rows, w, method, node.policy, self.bottom, node.origin);
                out.extend(col);
                continue;
            }
            for u in 0..n {
                let values = node.children.iter().zip(w).map(|(c, w)| {
                    let v = match c {
                        Ok(slot) => combo.columns[*slot].get(u),
                        Err(node) => done[*node][u],
                    };
                    (v, *w)
                });
                out.push(aggregate_values(values, method, node.policy, self.bottom, node.origin, present));
            }
        }
        index.clear();
        if let Some(col) = areas.get(self.index_node) {
            index.extend_from_slice(col);
        }
    }
}

/// The overrides of an imputation alternative, a normalisation alternative and aggregations.
fn overrides<'a>(
    model: &'a Model,
    impute: Option<&'a Imputation>,
    score: Option<&'a ScoreRule>,
    aggregate: Vec<Option<(Option<Vec<f64>>, Aggregation)>>,
) -> Overrides<'a> {
    Overrides {
        impute: match impute {
            Some(m) => vec![Some(m); model.indicators.len()],
            None => vec![],
        },
        score: match score {
            Some(r) => model.indicators.values().map(|i| i.score.as_ref().map(|_| r)).collect(),
            None => vec![],
        },
        aggregate,
    }
}

/// The slot a step writes and the slots it reads.
fn step_reads(model: &Model, step: &Step) -> (Slot, Vec<Slot>) {
    let mut reads = vec![];
    let slot = match step {
        Step::Input { slot, .. } => *slot,
        Step::Formula { slot, ir } => {
            ir.slots_into(&mut reads);
            *slot
        }
        Step::Column { slot, src, .. } => {
            reads.push(*src);
            *slot
        }
        Step::Score { slot, indicator, .. } => {
            let ind = &model.indicators[*indicator];
            reads.push(ind.score_input);
            if let Some(ScoreRule::Formula { ir, .. }) = &ind.score {
                ir.slots_into(&mut reads);
            }
            *slot
        }
        Step::Impute { slot, indicator, src, .. } => {
            reads.push(*src);
            if let Imputation::Formula { ir, .. } = &model.indicators[*indicator].impute {
                ir.slots_into(&mut reads);
            }
            *slot
        }
        Step::Treat { slot, src, .. } => {
            reads.push(*src);
            *slot
        }
        Step::Aggregate { slot, children, .. } => {
            reads.extend(children.iter().map(|(s, _)| *s));
            *slot
        }
    };
    (slot, reads)
}
