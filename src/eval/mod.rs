//! Stage 3, eval: [`Model`] × [`Dataset`] → [`Outcome`].
//!
//! Pure and deterministic. Formulas are compiled once ([`Compiled`]) and evaluated column by
//! column over the units of one period, in the model's plan order; cross-unit statistics are
//! computed once per column. Problems in one unit's data (a division by zero, a missing
//! answer) give that unit a missing value with its reason and an [`Event`]; they never stop the
//! others.

pub mod cause;
pub mod chunk;
pub mod compile;
pub mod composite;
pub mod scenario;
mod stats;
pub mod summary;
pub mod trace;
pub mod weights;

pub use stats::Placement;

use crate::data::{Answer, Dataset};
use crate::model::*;
use compile::{compile, fin, Code};
use serde::Serialize;

/// A methodology compiled for evaluation: one closure per formula step, and the formula's kernel
/// over chunks of units when it has one ([`chunk`]).
pub struct Compiled<'m> {
    model: &'m Model,
    codes: Vec<Option<Code>>,
    kernels: Vec<Option<chunk::Kernel>>,
    score_codes: Vec<Option<Code>>,
    score_kernels: Vec<Option<chunk::Kernel>>,
    impute_codes: Vec<Option<Code>>,
    rule_codes: Vec<Code>,
}

impl<'m> Compiled<'m> {
    /// Compiles every formula of the model.
    pub fn new(model: &'m Model) -> Self {
        let mode = model.header.rounding;
        let codes = model
            .plan
            .iter()
            .map(|s| match s {
                Step::Formula { ir, .. } => Some(compile(ir, mode)),
                _ => None,
            })
            .collect();
        let kernels = model
            .plan
            .iter()
            .map(|s| match s {
                Step::Formula { ir, .. } => chunk::Kernel::new(ir, mode),
                _ => None,
            })
            .collect();
        let score_codes = model
            .indicators
            .values()
            .map(|i| match &i.score {
                Some(ScoreRule::Formula { ir, .. }) => Some(compile(ir, mode)),
                _ => None,
            })
            .collect();
        let score_kernels = model
            .indicators
            .values()
            .map(|i| match &i.score {
                Some(ScoreRule::Formula { ir, .. }) => chunk::Kernel::new(ir, mode),
                _ => None,
            })
            .collect();
        let impute_codes = model
            .indicators
            .values()
            .map(|i| match &i.impute {
                Imputation::Formula { ir, .. } => Some(compile(ir, mode)),
                _ => None,
            })
            .collect();
        let rule_codes = model.rules.values().map(|r| compile(&r.ir, mode)).collect();
        Compiled { model, codes, kernels, score_codes, score_kernels, impute_codes, rule_codes }
    }

    /// The methodology compiled.
    pub fn model(&self) -> &'m Model {
        self.model
    }
}

/// Choices that replace the methodology's own in one evaluation: what a sensitivity analysis
/// ([`crate::sensitivity`]) varies from sample to sample. The default replaces nothing, and an
/// evaluation with it is exactly [`evaluate_compiled`]'s.
#[derive(Debug, Clone, Default)]
pub struct Overrides<'a> {
    /// Per indicator, in [`Model::indicators`] order (empty: none): the imputation used instead
    /// of the declared one, at the indicator's `Impute` step (an indicator without one is not
    /// imputed whatever this says). A `formula` here must be the declared one (it is compiled).
    pub impute: Vec<Option<&'a Imputation>>,
    /// Per indicator (empty: none): the scoring rule used instead of the declared one. A
    /// `formula` here must be the declared one (it is compiled).
    pub score: Vec<Option<&'a ScoreRule>>,
    /// Per plan step, in [`Model::plan`] order (empty: none): for an `Aggregate` step, the
    /// weights of its children (in the step's order) and the method used instead. Weights `None`
    /// are the methodology's: the declared ones, or those an area derives from the period's data
    /// (`weights pca`), derived again from the data as these overrides make it.
    pub aggregate: Vec<Option<(Option<Vec<f64>>, Aggregation)>>,
}

impl<'a> Overrides<'a> {
    fn impute_of(&self, indicator: usize) -> Option<&'a Imputation> {
        self.impute.get(indicator).copied().flatten()
    }

    fn score_of(&self, indicator: usize) -> Option<&'a ScoreRule> {
        self.score.get(indicator).copied().flatten()
    }
}

/// How a value came to differ from what was computed: imputed, or treated as an outlier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellNote {
    /// The column (an indicator's imputed or treated values).
    pub slot: Slot,
    /// Index into [`PeriodOutcome::units`].
    pub unit: usize,
    /// What happened.
    pub kind: NoteKind,
}

/// Kinds of [`CellNote`].
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "note")]
pub enum NoteKind {
    /// A missing value was imputed.
    Imputed {
        /// The method (`mean`, `group_mean`, `previous`, …).
        method: &'static str,
        /// The value put in.
        value: f64,
        /// Why it was missing.
        was: Reason,
        /// For `previous`: the period it comes from.
        #[serde(skip_serializing_if = "Option::is_none")]
        from_period: Option<String>,
        /// For group methods: the unit's group.
        #[serde(skip_serializing_if = "Option::is_none")]
        group: Option<String>,
    },
    /// An outlier treatment changed the value.
    Treated {
        /// `winsorised_high`, `winsorised_low`, `log_ct` (COINr's fallback), or `log`.
        method: &'static str,
        /// Before.
        old: f64,
        /// After.
        new: f64,
    },
}

/// An aggregate computed over fewer children than declared, the others re-weighted away (a
/// `reweight` policy, or a child declared not applicable under `…(not_applicable: reweight)`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The aggregate's column (an area, the index, a chapter or the Code).
    pub slot: Slot,
    /// Index into [`PeriodOutcome::units`].
    pub unit: usize,
    /// Children that entered the aggregate (with a value, or counted as the bottom).
    pub counted: usize,
    /// Children declared.
    pub declared: usize,
    /// Their share of the declared weight (0–1).
    pub weight_share: f64,
}

/// A unit left out of a period by screening.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Excluded {
    /// Unit code.
    pub unit: String,
    /// Its share of scored indicators with a value (0–1).
    pub availability: f64,
    /// The threshold it did not reach.
    pub threshold: f64,
}

/// Something worth telling about one evaluation (a warning, not an error).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The period.
    pub period: String,
    /// The unit, if the event concerns one unit.
    pub unit: Option<String>,
    /// The slot computed.
    pub slot: Slot,
    /// Where it arose ([`Model::origins`]).
    pub origin: u32,
    /// What happened.
    pub kind: EventKind,
}

/// Kinds of [`Event`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A division by zero.
    DivisionByZero,
    /// A function outside its domain, an overflow, or a value outside every band.
    Domain,
    /// A cross-unit statistic with too few values or no spread.
    InsufficientData {
        /// How many values were present.
        present: usize,
    },
    /// A score outside the methodology's scale, kept (`outside_scale warn`, the default).
    OutsideScale {
        /// The score.
        score: f64,
    },
    /// A score outside the scale moved to its nearest end (`outside_scale clamp`).
    Clamped {
        /// The score as the rule computed it.
        score: f64,
        /// The end of the scale it was moved to.
        to: f64,
    },
    /// A Kemeny–Young aggregate over more units than it ranks exactly: every unit's value is
    /// missing (`not_assessable`).
    TooManyUnits {
        /// Units to rank.
        units: usize,
        /// The most it ranks ([`composite::KEMENY_MAX_UNITS`]).
        max: usize,
    },
    /// An aggregate computed over fewer children than declared ([`Coverage`]).
    Reweighted {
        /// Children that entered the aggregate.
        counted: usize,
        /// Children declared.
        declared: usize,
        /// Their share of the declared weight (0–1).
        weight_share: f64,
    },
}

/// The results of one period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodOutcome {
    /// The period.
    pub period: String,
    /// The units evaluated together, in code order.
    pub units: Vec<String>,
    /// Index into [`Dataset::submissions`] for each unit.
    pub submissions: Vec<usize>,
    /// `columns[slot].get(unit)`.
    #[serde(skip)]
    pub columns: Vec<Column>,
    /// Imputed and treated values, in plan and unit order.
    pub notes: Vec<CellNote>,
    /// Aggregates computed over fewer children than declared, in plan and unit order.
    pub coverage: Vec<Coverage>,
    /// Units left out by screening (they are not in `units`).
    pub excluded: Vec<Excluded>,
    /// Weights derived from this period's data (`weights pca`, `aggregate bod`), in plan order.
    pub derived: Vec<Derived>,
}

/// Weights an area derived from a period's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derived {
    /// The area.
    pub area: String,
    /// Its score column.
    #[serde(skip)]
    pub slot: Slot,
    /// Its children, in order.
    pub children: Vec<String>,
    /// How, and what.
    #[serde(flatten)]
    pub kind: DerivedKind,
}

/// What an area derived from a period's data.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum DerivedKind {
    /// `weights pca`: one set of weights for every unit.
    Pca {
        /// The weights used (summing to 1); equal weights when PCA cannot be computed.
        weights: Vec<f64>,
        /// The analysis.
        #[serde(skip_serializing_if = "Option::is_none")]
        pca: Option<weights::PcaWeights>,
        /// Why PCA cannot be computed in this period (equal weights are used instead).
        #[serde(skip_serializing_if = "Option::is_none")]
        not_computable: Option<weights::PcaFailure>,
    },
    /// `aggregate bod`: each unit's own weights.
    Bod {
        /// Per unit, in the period's order.
        units: Vec<weights::BodUnit>,
    },
}

impl PeriodOutcome {
    /// A slot's value for a unit.
    pub fn get(&self, slot: Slot, unit: usize) -> Val {
        self.columns[slot.0 as usize].get(unit)
    }

    /// The coverage of every value computed over fewer children than declared, by (slot, unit).
    pub fn coverage_index(&self) -> std::collections::HashMap<(Slot, usize), &Coverage> {
        self.coverage.iter().map(|c| ((c.slot, c.unit), c)).collect()
    }

    /// The index of a unit by code.
    pub fn unit_index(&self, code: &str) -> Option<usize> {
        self.units.iter().position(|u| u == code)
    }
}

/// Everything an evaluation produced.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Periods in order.
    pub periods: Vec<PeriodOutcome>,
    /// Warnings, in period, plan and unit order.
    pub events: Vec<Event>,
    /// Union statistics per period and the changes between periods.
    pub summary: summary::Summary,
    /// The model's scenarios, evaluated beside it (empty: none declared).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<scenario::ScenarioOutcome>,
}

/// Evaluates a model on a dataset.
pub fn evaluate(model: &Model, data: &Dataset) -> Outcome {
    let compiled = Compiled::new(model);
    evaluate_compiled(&compiled, data)
}

/// Evaluates with formulas already compiled (for repeated evaluation).
pub fn evaluate_compiled(c: &Compiled, data: &Dataset) -> Outcome {
    let mut out = evaluate_all_with(c, data, &Overrides::default());
    out.scenarios = scenario::run(c, data, &out.periods);
    out
}

/// Every period of the dataset evaluated with some of the methodology's choices replaced (the
/// periods, events and summary of an [`Outcome`]; no scenarios). With [`Overrides::default`]
/// this is [`evaluate_compiled`]'s outcome without its scenarios.
pub fn evaluate_all_with(c: &Compiled, data: &Dataset, ov: &Overrides) -> Outcome {
    // the dataset is sorted by period (whole-number periods numerically), so first appearance is order
    let mut periods: Vec<String> = vec![];
    for s in &data.submissions {
        if !periods.contains(&s.period) {
            periods.push(s.period.clone());
        }
    }
    let mut out = Outcome { periods: vec![], events: vec![], summary: summary::Summary::default(), scenarios: vec![] };
    for p in periods {
        let (po, events) = evaluate_period_with(c, data, &p, &out.periods, ov);
        out.periods.push(po);
        out.events.extend(events);
    }
    out.summary = summary::summarize(c.model, &out.periods);
    out
}

/// Evaluates one period (with screening) with some of the methodology's choices replaced:
/// `earlier` are the periods before it, as [`evaluate_compiled`] gives them (what `impute
/// previous` reads). With [`Overrides::default`] this is exactly the period of
/// [`evaluate_compiled`]'s outcome.
pub fn evaluate_period_with(
    c: &Compiled,
    data: &Dataset,
    period: &str,
    earlier: &[PeriodOutcome],
    ov: &Overrides,
) -> (PeriodOutcome, Vec<Event>) {
    let p = period;
    let mut idx: Vec<usize> = (0..data.submissions.len()).filter(|i| data.submissions[*i].period == p).collect();
    // the methodology's order of the units (`units AM, BY, …`), then the rest by code
    let header = &c.model.header;
    idx.sort_by(|a, b| header.unit_rank(&data.submissions[*a].unit).cmp(&header.unit_rank(&data.submissions[*b].unit)));
    let (mut po, mut events) = eval_period(c, data, p, &idx, earlier, ov);
    if let Some(screen) = c.model.screen {
        // screening on the values as computed (or, `on: imputed`, after imputation); then the
        // units kept are evaluated together again, so every cross-unit figure sees only them
        let threshold = screen.min;
        let scored: Vec<Slot> = c
            .model
            .indicators
            .values()
            .filter(|i| i.score.is_some())
            .map(|i| if screen.imputed { i.imputed.unwrap_or(i.value) } else { i.value })
            .collect();
        let mut excluded = vec![];
        let mut keep = vec![];
        for (u, i) in idx.iter().enumerate() {
            let row: Vec<Option<f64>> = scored.iter().map(|s| po.get(*s, u).ok()).collect();
            let availability = composite::data_availability(&row).unwrap_or(1.0);
            if composite::screen_by_na(&row, threshold).unwrap_or(true) {
                keep.push(*i);
            } else {
                excluded.push(Excluded { unit: po.units[u].clone(), availability, threshold });
            }
        }
        if !excluded.is_empty() {
            let (again, ev) = eval_period(c, data, p, &keep, earlier, ov);
            po = again;
            events = ev;
        }
        po.excluded = excluded;
    }
    (po, events)
}

fn eval_period(
    c: &Compiled,
    data: &Dataset,
    period: &str,
    idx: &[usize],
    earlier: &[PeriodOutcome],
    ov: &Overrides,
) -> (PeriodOutcome, Vec<Event>) {
    let m = c.model;
    let n = idx.len();
    let mut notes: Vec<CellNote> = vec![];
    let mut coverage: Vec<Coverage> = vec![];
    let mut derived: Vec<Derived> = vec![];
    let unassessed = Err(Miss { reason: Reason::NotAssessable, origin: 0 });
    // each column is allocated when its step runs; one never computed reads as not assessable
    let mut cols: Vec<Column> = vec![Column::default(); m.slots.len()];
    let mut events = vec![];
    let units: Vec<String> = idx.iter().map(|i| data.submissions[*i].unit.clone()).collect();
    let (bottom, top) = m.header.scale;
    // the answers first (they depend on nothing), then the consistency rules judge them before
    // anything is computed from them
    for step in &m.plan {
        if let Step::Input { slot, question } = step {
            let q = *question;
            cols[slot.0 as usize] = idx
                .iter()
                .map(|i| match data.submissions[*i].answer(q) {
                    None => Err(Miss { reason: Reason::NotSubmitted, origin: q as u32 }),
                    Some(Answer::Number(x)) => Ok(x),
                    Some(Answer::Missing(r)) => Err(Miss { reason: r, origin: q as u32 }),
                })
                .collect();
        }
    }
    judge_rules(c, &mut cols, n);
    for (k, step) in m.plan.iter().enumerate() {
        match step {
            Step::Input { .. } => {}
            Step::Formula { slot, .. } => {
                let Some(code) = &c.codes[k] else { continue };
                // exactly the scalar closure's column, a chunk of units at a time when it can be
                let col = chunk::column(c.kernels[k].as_ref(), code, &cols, n);
                for (u, x) in col.raw().iter().enumerate() {
                    if let (true, Err(miss)) = (x.is_nan(), Column::unpack(*x)) {
                        note_origin(m, *slot, &miss, period, &units[u], &mut events);
                    }
                }
                cols[slot.0 as usize] = col;
            }
            Step::Column { slot, op, src, origin } => {
                let (col, present) = stats::column(*op, &cols[src.0 as usize].to_vals(), *origin);
                if col.iter().any(|v| matches!(v, Err(Miss { reason: Reason::InsufficientData, .. }))) {
                    events.push(Event {
                        period: period.into(),
                        unit: None,
                        slot: *slot,
                        origin: *origin,
                        kind: EventKind::InsufficientData { present },
                    });
                }
                cols[slot.0 as usize] = col.into();
            }
            Step::Score { slot, indicator, origin } => {
                let ind = &m.indicators[*indicator];
                let rule = ov.score_of(*indicator).or(ind.score.as_ref());
                let col = match rule {
                    Some(ScoreRule::Formula { .. }) => match &c.score_codes[*indicator] {
                        Some(code) => chunk::column(c.score_kernels[*indicator].as_ref(), code, &cols, n).to_vals(),
                        None => vec![unassessed; n],
                    },
                    Some(rule) => stats::score(
                        rule,
                        ind,
                        &cols[ind.score_input.0 as usize].to_vals(),
                        (bottom, top),
                        m.header.rounding,
                        *origin,
                    ),
                    None => vec![unassessed; n],
                };
                let mut col = col;
                let mut insufficient = false;
                for (u, v) in col.iter_mut().enumerate() {
                    match v {
                        Err(miss) if miss.origin == *origin && miss.reason == Reason::InsufficientData => {
                            insufficient = true
                        }
                        Err(miss) => note_origin(m, *slot, miss, period, &units[u], &mut events),
                        // one rule for every scoring rule: warn (default), clamp or allow
                        Ok(x) if *x < bottom || *x > top => {
                            let kind = match ind.outside_scale {
                                OutsideScale::Warn => EventKind::OutsideScale { score: *x },
                                OutsideScale::Clamp => {
                                    let to = x.clamp(bottom, top);
                                    let kind = EventKind::Clamped { score: *x, to };
                                    *x = to;
                                    kind
                                }
                                OutsideScale::Allow => continue,
                            };
                            events.push(Event {
                                period: period.into(),
                                unit: Some(units[u].clone()),
                                slot: *slot,
                                origin: *origin,
                                kind,
                            })
                        }
                        Ok(_) => {}
                    }
                }
                if insufficient {
                    let present = cols[ind.score_input.0 as usize].iter().filter(|v| v.is_ok()).count();
                    events.push(Event {
                        period: period.into(),
                        unit: None,
                        slot: *slot,
                        origin: *origin,
                        kind: EventKind::InsufficientData { present },
                    });
                }
                cols[slot.0 as usize] = col.into();
            }
            Step::Aggregate { slot, children, method, policy, origin }
                if ov.aggregate.get(k).and_then(Option::as_ref).map_or(*method, |(_, m)| *m).across_units() =>
            {
                let declared = || children.iter().map(|(_, w)| *w).collect();
                let (weights, method) = match ov.aggregate.get(k).and_then(Option::as_ref) {
                    Some((weights, method)) => (weights.clone().unwrap_or_else(declared), *method),
                    None => (declared(), *method),
                };
                let rows: Vec<Vec<Val>> =
                    (0..n).map(|u| children.iter().map(|(s, _)| cols[s.0 as usize].get(u)).collect()).collect();
                let (col, too_many) = aggregate_across(&rows, &weights, method, *policy, bottom, *origin);
                if let Some(units) = too_many {
                    events.push(Event {
                        period: period.into(),
                        unit: None,
                        slot: *slot,
                        origin: *origin,
                        kind: EventKind::TooManyUnits { units, max: composite::KEMENY_MAX_UNITS },
                    });
                }
                let col: Column = col.into();
                if policy.reweights() {
                    let before = coverage.len();
                    coverage_of(&cols, &col, children, &weights, *policy, *slot, &mut coverage);
                    reweighted_events(&coverage[before..], period, &units, *slot, *origin, &mut events);
                }
                cols[slot.0 as usize] = col;
            }
            Step::Aggregate { slot, children, method, policy, origin } => {
                let overridden = ov.aggregate.get(k).and_then(Option::as_ref);
                let area = m.areas.values().find(|a| a.slot == *slot);
                let method_now = overridden.map(|(_, m)| *m).unwrap_or(*method);
                if let (Aggregation::Bod { min_share, max_share }, Some(area)) = (method_now, area) {
                    let (col, d) =
                        bod_column(&cols, n, children, area, &units, min_share, max_share, (bottom, top), *origin);
                    derived.push(d);
                    cols[slot.0 as usize] = col;
                    continue;
                }
                // `weights pca`: the weights of this period's data (as the overrides make it),
                // unless the overrides give the weights
                let given: Option<&Vec<f64>> = overridden.and_then(|(w, _)| w.as_ref());
                let pca: Option<Vec<f64>> = match (given, area) {
                    (None, Some(a)) if a.weights_from == WeightsFrom::Pca => {
                        let columns: Vec<Vec<Option<f64>>> = children
                            .iter()
                            .map(|(s, _)| (0..n).map(|u| cols[s.0 as usize].get(u).ok()).collect())
                            .collect();
                        let (w, pca, why) = match weights::pca_weights(&columns) {
                            Ok(p) => (p.weights.clone(), Some(p), None),
                            Err(why) => (vec![1.0; children.len()], None, Some(why)),
                        };
                        derived.push(Derived {
                            area: a.id.clone(),
                            slot: *slot,
                            children: a.children.iter().map(|c| c.id.clone()).collect(),
                            kind: DerivedKind::Pca { weights: w.clone(), pca, not_computable: why },
                        });
                        Some(w)
                    }
                    _ => None,
                };
                let weights_now: Option<&Vec<f64>> = given.or(pca.as_ref());
                let declared: Vec<f64> = children.iter().map(|(_, w)| *w).collect();
                let col = match (weights_now, overridden) {
                    (None, None) => {
                        (0..n).map(|u| aggregate(&cols, u, children, *method, *policy, bottom, *origin)).collect()
                    }
                    (weights, _) => {
                        let weights = weights.unwrap_or(&declared);
                        let mut scratch = Vec::with_capacity(children.len());
                        (0..n)
                            .map(|u| {
                                let values =
                                    children.iter().zip(weights).map(|((s, _), w)| (cols[s.0 as usize].get(u), *w));
                                aggregate_values(values, method_now, *policy, bottom, *origin, &mut scratch)
                            })
                            .collect()
                    }
                };
                if policy.reweights() {
                    // from the children's columns after the step, so the aggregate itself stays as fast
                    let weights = weights_now.unwrap_or(&declared);
                    let before = coverage.len();
                    coverage_of(&cols, &col, children, weights, *policy, *slot, &mut coverage);
                    reweighted_events(&coverage[before..], period, &units, *slot, *origin, &mut events);
                }
                cols[slot.0 as usize] = col;
            }
            Step::Impute { slot, indicator, src, .. } => {
                let method = ov.impute_of(*indicator).unwrap_or(&m.indicators[*indicator].impute);
                let col = impute(c, *indicator, method, &cols, *src, *slot, data, idx, &units, earlier, &mut notes);
                cols[slot.0 as usize] = col.into();
            }
            Step::Treat { slot, indicator, src, origin } => {
                let col = treat(m, *indicator, &cols[src.0 as usize].to_vals(), *slot, *origin, &mut notes);
                for (u, v) in col.iter().enumerate() {
                    if let Err(miss) = v {
                        note_origin(m, *slot, miss, period, &units[u], &mut events);
                    }
                }
                cols[slot.0 as usize] = col.into();
            }
        }
    }
    (
        PeriodOutcome {
            period: period.into(),
            units,
            submissions: idx.to_vec(),
            columns: cols,
            notes,
            coverage,
            excluded: vec![],
            derived,
        },
        events,
    )
}

/// An `aggregate bod` column: each unit with every child's score gets its benefit-of-the-doubt
/// score on the scale; a unit lacking one is not assessable (it cannot enter the comparison).
#[allow(clippy::too_many_arguments)]
fn bod_column(
    cols: &[Column],
    n: usize,
    children: &[(Slot, f64)],
    area: &Area,
    units: &[String],
    min_share: Option<f64>,
    max_share: Option<f64>,
    (bottom, top): (f64, f64),
    origin: u32,
) -> (Column, Derived) {
    let row = |u: usize| -> Result<Vec<f64>, Miss> {
        children
            .iter()
            .map(|(s, _)| match cols[s.0 as usize].get(u) {
                Ok(x) if x < 0.0 => Err(Miss { reason: Reason::Domain, origin }),
                Ok(x) => Ok(x),
                Err(_) => Err(Miss { reason: Reason::NotAssessable, origin }),
            })
            .collect()
    };
    let rows: Vec<Result<Vec<f64>, Miss>> = (0..n).map(row).collect();
    let complete: Vec<usize> = (0..n).filter(|u| rows[*u].is_ok()).collect();
    let table: Vec<Vec<f64>> = complete.iter().filter_map(|u| rows[*u].clone().ok()).collect();
    let solved = weights::bod(&table, min_share, max_share);
    let mut values: Vec<Val> = rows.iter().map(|r| r.clone().map(|_| 0.0)).collect();
    let mut per_unit: Vec<weights::BodUnit> =
        units.iter().map(|u| weights::BodUnit { unit: u.clone(), score: None, weights: vec![] }).collect();
    for (u, s) in complete.iter().zip(solved) {
        match s {
            Some((score, w)) => {
                values[*u] = fin(bottom + (top - bottom) * score, origin);
                per_unit[*u].score = Some(score);
                per_unit[*u].weights = w;
            }
            None => values[*u] = Err(Miss { reason: Reason::Domain, origin }),
        }
    }
    let d = Derived {
        area: area.id.clone(),
        slot: area.slot,
        children: area.children.iter().map(|c| c.id.clone()).collect(),
        kind: DerivedKind::Bod { units: per_unit },
    };
    (values.into_iter().collect(), d)
}

/// The coverage of an aggregate's values computed over fewer children than declared.
/// One `Reweighted` event per unit whose value was computed over fewer children than declared.
fn reweighted_events(
    coverage: &[Coverage],
    period: &str,
    units: &[String],
    slot: Slot,
    origin: u32,
    events: &mut Vec<Event>,
) {
    events.extend(coverage.iter().map(|cv| Event {
        period: period.into(),
        unit: Some(units[cv.unit].clone()),
        slot,
        origin,
        kind: EventKind::Reweighted { counted: cv.counted, declared: cv.declared, weight_share: cv.weight_share },
    }));
}

fn coverage_of(
    cols: &[Column],
    col: &Column,
    children: &[(Slot, f64)],
    weights: &[f64],
    policy: MissingPolicy,
    slot: Slot,
    out: &mut Vec<Coverage>,
) {
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    for u in 0..col.len() {
        if col.get(u).is_err() {
            continue;
        }
        let (mut counted, mut counted_w) = (0, 0.0);
        for ((s, _), w) in children.iter().zip(weights) {
            let enters = match cols[s.0 as usize].get(u) {
                Ok(_) => true,
                Err(m) => matches!(policy, MissingPolicy::ZeroExceptNotApplicable) && m.reason != Reason::NotApplicable,
            };
            if enters {
                counted += 1;
                counted_w += w.max(0.0);
            }
        }
        if counted < children.len() {
            let weight_share = if total > 0.0 { counted_w / total } else { 0.0 };
            out.push(Coverage { slot, unit: u, counted, declared: children.len(), weight_share });
        }
    }
}

/// Judges every consistency rule on the answers' columns: each rule's verdict goes to its own
/// column (yes, no, or missing when an answer it names is missing: not judged); the answers named
/// by a violated `error` rule become `invalid`, with the rule as their origin. All rules judge
/// the answers as submitted, so the order of the rules does not matter.
fn judge_rules(c: &Compiled, cols: &mut [Column], n: usize) {
    let m = c.model;
    let mut invalid: Vec<(usize, usize, u32)> = vec![];
    for (r, code) in m.rules.values().zip(&c.rule_codes) {
        let verdicts: Column = (0..n).map(|u| code(cols, u)).collect();
        if r.severity == Severity::Error {
            for (u, v) in verdicts.iter().enumerate() {
                if v == Ok(0.0) {
                    invalid.extend(r.questions.iter().map(|q| (*q, u, r.origin)));
                } else if v.is_err() {
                    // not judged: when an answer it names was left out (not applicable is not an
                    // omission), the others cannot be verified and are not used either
                    let answer = |q: &usize| cols[m.questions[*q].slot.0 as usize].get(u);
                    if r.questions
                        .iter()
                        .any(|q| matches!(answer(q), Err(miss) if miss.reason != Reason::NotApplicable))
                    {
                        invalid.extend(
                            r.questions.iter().filter(|q| answer(q).is_ok()).map(|q| (*q, u, r.unverified_origin)),
                        );
                    }
                }
            }
        }
        if let Some(col) = cols.get_mut(r.slot.0 as usize) {
            *col = verdicts;
        }
    }
    for (q, u, origin) in invalid {
        let slot = m.questions[q].slot;
        if let Some(col) = cols.get_mut(slot.0 as usize) {
            // a second violated rule on the same answer keeps the first rule as the cause
            if col.get(u).is_ok() {
                col.set(u, Err(Miss { reason: Reason::Invalid, origin }));
            }
        }
    }
}

/// The verdicts of every consistency rule on one submission's answers, in [`Model::rules`]
/// order: yes, no, or missing (not judged: an answer it names is missing). What `validate`
/// reports before anything is evaluated.
pub fn judge_submission(m: &Model, codes: &[Code], sub: &crate::data::Submission) -> Vec<Val> {
    if m.rules.is_empty() {
        return vec![];
    }
    let mut cols: Vec<Column> = vec![Column::default(); m.slots.len()];
    for r in m.rules.values() {
        for q in &r.questions {
            let v = match sub.answer(*q) {
                None => Err(Miss { reason: Reason::NotSubmitted, origin: *q as u32 }),
                Some(Answer::Number(x)) => Ok(x),
                Some(Answer::Missing(r)) => Err(Miss { reason: r, origin: *q as u32 }),
            };
            cols[m.questions[*q].slot.0 as usize] = Column::filled(v, 1);
        }
    }
    codes.iter().map(|code| code(&cols, 0)).collect()
}

/// The consistency rules of a model compiled, for [`judge_submission`].
pub fn compile_rules(m: &Model) -> Vec<Code> {
    m.rules.values().map(|r| compile(&r.ir, m.header.rounding)).collect()
}

/// Fills the missing values of an indicator by its imputation method. `not_applicable` values
/// stay missing: a state that declared a question not applicable has no value to estimate.
#[allow(clippy::too_many_arguments)]
fn impute(
    c: &Compiled,
    indicator: usize,
    how: &Imputation,
    cols: &[Column],
    src: Slot,
    slot: Slot,
    data: &Dataset,
    idx: &[usize],
    units: &[String],
    earlier: &[PeriodOutcome],
    notes: &mut Vec<CellNote>,
) -> Vec<Val> {
    let ind = &c.model.indicators[indicator];
    let column = &cols[src.0 as usize].to_vals();
    let mut out = column.clone();
    let xs: Vec<Option<f64>> = column.iter().map(|v| v.ok()).collect();
    let wanted = |u: usize| matches!(column[u], Err(m) if m.reason != Reason::NotApplicable);
    let groups_of = |by: &str| -> Vec<Option<String>> {
        idx.iter().map(|i| data.submissions[*i].groups.get(by).cloned()).collect()
    };
    let method = how.name();
    let mut fill = |u: usize, value: f64, from_period: Option<String>, group: Option<String>, out: &mut Vec<Val>| {
        if let Err(miss) = out[u] {
            notes.push(CellNote {
                slot,
                unit: u,
                kind: NoteKind::Imputed { method, value, was: miss.reason, from_period, group },
            });
            out[u] = Ok(value);
        }
    };
    match how {
        Imputation::None => {}
        Imputation::Mean | Imputation::Median => {
            let filled = if matches!(how, Imputation::Mean) {
                composite::impute_mean(&xs)
            } else {
                composite::impute_median(&xs)
            };
            for (u, v) in filled.iter().enumerate().take(out.len()) {
                if let (true, &Some(v)) = (wanted(u), v) {
                    fill(u, v, None, None, &mut out);
                }
            }
        }
        Imputation::GroupMean { by } | Imputation::GroupMedian { by } => {
            let groups = groups_of(by);
            let refs: Vec<Option<&str>> = groups.iter().map(|g| g.as_deref()).collect();
            let filled = if matches!(how, Imputation::GroupMean { .. }) {
                composite::impute_group_mean(&xs, &refs)
            } else {
                composite::impute_group_median(&xs, &refs)
            };
            if let Ok(filled) = filled {
                for u in 0..out.len() {
                    if let (true, Some(v)) = (wanted(u), filled[u]) {
                        fill(u, v, None, groups[u].clone(), &mut out);
                    }
                }
            }
        }
        Imputation::Previous => {
            // each earlier period's units by code: a map, not a search per unit
            let index: Vec<std::collections::HashMap<&str, usize>> = if (0..units.len()).any(&wanted) {
                earlier.iter().map(|p| p.units.iter().enumerate().map(|(k, c)| (c.as_str(), k)).collect()).collect()
            } else {
                vec![]
            };
            for (u, code) in units.iter().enumerate() {
                if !wanted(u) {
                    continue;
                }
                // the latest earlier period in which the unit has a value
                let found = earlier.iter().zip(&index).rev().find_map(|(p, by_code)| {
                    let k = *by_code.get(code.as_str())?;
                    p.get(ind.value, k).ok().map(|v| (v, p.period.clone()))
                });
                if let Some((v, from)) = found {
                    fill(u, v, Some(from), None, &mut out);
                }
            }
        }
        Imputation::Formula { .. } => {
            if let Some(code) = &c.impute_codes[indicator] {
                for u in 0..out.len() {
                    if wanted(u) {
                        if let Ok(v) = code(cols, u) {
                            fill(u, v, None, None, &mut out);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Treats the outliers of an indicator's column.
fn treat(m: &Model, indicator: usize, column: &[Val], slot: Slot, origin: u32, notes: &mut Vec<CellNote>) -> Vec<Val> {
    let ind = &m.indicators[indicator];
    let mut out = column.to_vec();
    match ind.treat {
        Treatment::None => {}
        Treatment::Winsorise { points, skew, kurtosis } => {
            let xs: Vec<Option<f64>> = column.iter().map(|v| v.ok()).collect();
            let spec = composite::WinsoriseSpec { points: Some(points as usize), skew, kurtosis };
            let t = composite::treat(&xs, &spec);
            for p in &t.points {
                let method = match p.method {
                    composite::TreatMethod::WinsoriseHigh => "winsorised_high",
                    composite::TreatMethod::WinsoriseLow => "winsorised_low",
                    composite::TreatMethod::LogCt => "log_ct",
                };
                notes.push(CellNote {
                    slot,
                    unit: p.index,
                    kind: NoteKind::Treated { method, old: p.old, new: p.new },
                });
            }
            for (u, v) in t.values.iter().enumerate() {
                if let (Some(v), Ok(_)) = (v, out[u]) {
                    out[u] = fin(*v, origin);
                }
            }
        }
        Treatment::Log => {
            for (u, v) in column.iter().enumerate() {
                if let Ok(x) = v {
                    out[u] = if *x > 0.0 {
                        fin(libm::log(*x), origin)
                    } else {
                        Err(Miss { reason: Reason::Domain, origin })
                    };
                    if let Ok(new) = out[u] {
                        notes.push(CellNote { slot, unit: u, kind: NoteKind::Treated { method: "log", old: *x, new } });
                    }
                }
            }
        }
    }
    out
}

/// Records an event for a division by zero or domain error that arose in this very slot.
fn note_origin(m: &Model, slot: Slot, miss: &Miss, period: &str, unit: &str, events: &mut Vec<Event>) {
    let kind = match miss.reason {
        Reason::DivisionByZero => EventKind::DivisionByZero,
        Reason::Domain => EventKind::Domain,
        _ => return,
    };
    if m.origins.get(miss.origin as usize).is_some_and(|o| o.slot == slot) {
        events.push(Event { period: period.into(), unit: Some(unit.into()), slot, origin: miss.origin, kind });
    }
}

/// Combines children's scores for one unit under a method and a missing-data policy.
pub fn aggregate(
    cols: &[Column],
    u: usize,
    children: &[(Slot, f64)],
    method: Aggregation,
    policy: MissingPolicy,
    bottom: f64,
    origin: u32,
) -> Val {
    let mut present: Vec<(f64, f64)> = Vec::with_capacity(children.len());
    let values = children.iter().map(|(slot, w)| (cols[slot.0 as usize].get(u), *w));
    aggregate_values(values, method, policy, bottom, origin, &mut present)
}

/// Aggregates that rank the units against each other (`copeland`, `kemeny`): `rows[u]` holds
/// unit u's children's scores, in the children's order. A unit enters the comparison when the
/// missing-data policy would let a mean of its children be computed; a missing child then counts
/// as the bottom of the scale under `zero` (and `zero(not_applicable: reweight)` for a child not
/// declared not applicable), and is otherwise left out of the comparisons it is in (COINr's
/// `outrankMatrix`). The others are missing, as under the policy. Also returns the number of
/// units when Kemeny–Young is asked to rank more than it ranks exactly (every value is then
/// `not_assessable`).
pub fn aggregate_across(
    rows: &[Vec<Val>],
    weights: &[f64],
    method: Aggregation,
    policy: MissingPolicy,
    bottom: f64,
    origin: u32,
) -> (Vec<Val>, Option<usize>) {
    let not_assessable = Err(Miss { reason: Reason::NotAssessable, origin });
    let mut scratch = vec![];
    let mut out: Vec<Val> = Vec::with_capacity(rows.len());
    let mut entered: Vec<usize> = vec![];
    let mut table: Vec<Vec<Option<f64>>> = vec![];
    for (u, row) in rows.iter().enumerate() {
        let gate = aggregate_values(
            row.iter().zip(weights).map(|(v, w)| (*v, *w)),
            Aggregation::Mean,
            policy,
            bottom,
            origin,
            &mut scratch,
        );
        match gate {
            Err(m) => out.push(Err(m)),
            Ok(_) => {
                out.push(not_assessable);
                entered.push(u);
                table.push(
                    row.iter()
                        .map(|v| match v {
                            Ok(x) => Some(*x),
                            Err(m) => match policy {
                                MissingPolicy::Zero => Some(bottom),
                                MissingPolicy::ZeroExceptNotApplicable if m.reason != Reason::NotApplicable => {
                                    Some(bottom)
                                }
                                _ => None,
                            },
                        })
                        .collect(),
                );
            }
        }
    }
    if table.is_empty() {
        return (out, None);
    }
    let w: Vec<f64> = weights.iter().map(|w| w.max(0.0)).collect();
    let values: Result<Vec<f64>, composite::Why> = match method {
        Aggregation::Kemeny => {
            composite::kemeny(&table, &w).map(|places| places.iter().map(|p| (table.len() + 1 - p) as f64).collect())
        }
        _ => composite::copeland(&table, &w),
    };
    match values {
        Ok(vs) => {
            for (u, v) in entered.into_iter().zip(vs) {
                out[u] = Ok(v);
            }
            (out, None)
        }
        Err(composite::Why::TooMany { present, .. }) => (out, Some(present)),
        Err(_) => (out, None),
    }
}

/// Combines children's scores, given as (score, weight) in the children's order, under a method
/// and a missing-data policy: [`aggregate`] for values that need not sit in columns (a
/// sensitivity analysis's samples). `scratch` is working space, cleared first.
pub fn aggregate_values(
    children: impl Iterator<Item = (Val, f64)>,
    method: Aggregation,
    policy: MissingPolicy,
    bottom: f64,
    origin: u32,
    scratch: &mut Vec<(f64, f64)>,
) -> Val {
    let not_assessable = Err(Miss { reason: Reason::NotAssessable, origin });
    let present = scratch;
    present.clear();
    let (mut total_w, mut present_w, mut present_n) = (0.0, 0.0, 0);
    // children declared not applicable, left out under the `…(not_applicable: reweight)` policies
    let mut not_applicable = false;
    for (v, w) in children {
        let w = w.max(0.0);
        total_w += w;
        match v {
            Ok(x) => {
                present_w += w;
                present_n += 1;
                present.push((x, w));
            }
            Err(m) => match policy {
                MissingPolicy::NotAssessable => return not_assessable,
                MissingPolicy::Zero => {
                    present_w += w;
                    present.push((bottom, w));
                }
                MissingPolicy::Reweight { .. } => {}
                MissingPolicy::ZeroExceptNotApplicable | MissingPolicy::NotAssessableExceptNotApplicable
                    if m.reason == Reason::NotApplicable =>
                {
                    not_applicable = true
                }
                MissingPolicy::ZeroExceptNotApplicable => {
                    present_w += w;
                    present.push((bottom, w));
                }
                MissingPolicy::NotAssessableExceptNotApplicable => return not_assessable,
            },
        }
    }
    if total_w <= 0.0 || present_w <= 0.0 {
        // every child not applicable (under a policy that leaves them out): so is the aggregate,
        // and its parent leaves it out in turn
        if not_applicable && present.is_empty() {
            return Err(Miss { reason: Reason::NotApplicable, origin });
        }
        return not_assessable;
    }
    if let MissingPolicy::Reweight { min } = policy {
        if !min.reached(present_n, present_w, total_w) {
            return not_assessable;
        }
    }
    match method {
        Aggregation::Mean => {
            let s: f64 = present.iter().map(|(x, w)| x * w).sum();
            fin(s / present_w, origin)
        }
        // a comparison of every unit: computed over the whole column (`bod_column`), never per unit
        Aggregation::Bod { .. } => not_assessable,
        Aggregation::Geometric => {
            let mut acc = 0.0;
            for (x, w) in present.iter() {
                if *w == 0.0 {
                    continue;
                }
                if *x < 0.0 {
                    return Err(Miss { reason: Reason::Domain, origin });
                }
                if *x == 0.0 {
                    return Ok(0.0);
                }
                acc += w * libm::log(*x);
            }
            fin(libm::exp(acc / present_w), origin)
        }
        Aggregation::Harmonic => {
            let mut acc = 0.0;
            for (x, w) in present.iter() {
                if *w == 0.0 {
                    continue;
                }
                if *x < 0.0 {
                    return Err(Miss { reason: Reason::Domain, origin });
                }
                if *x == 0.0 {
                    return Ok(0.0);
                }
                acc += w / x;
            }
            fin(present_w / acc, origin)
        }
        Aggregation::Power(p) => {
            let mut acc = 0.0;
            for (x, w) in present.iter() {
                if *w == 0.0 {
                    continue;
                }
                if *x < 0.0 && p.fract() != 0.0 {
                    return Err(Miss { reason: Reason::Domain, origin });
                }
                if *x == 0.0 && p < 0.0 {
                    return Ok(0.0);
                }
                acc += w * libm::pow(*x, p);
            }
            fin(libm::pow(acc / present_w, 1.0 / p), origin)
        }
        Aggregation::Min => {
            let m = present.iter().filter(|(_, w)| *w > 0.0).map(|(x, _)| *x).fold(f64::INFINITY, f64::min);
            fin(m, origin)
        }
        // they rank the units against each other: [`aggregate_across`], never one unit alone
        Aggregation::Copeland | Aggregation::Kemeny => not_assessable,
    }
}
