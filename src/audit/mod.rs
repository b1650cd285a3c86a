//! The statistical audit of a methodology on its results: [`Model`] × [`Outcome`] → [`Audit`].
//!
//! After evaluation, per period and for every node of the hierarchy (the index, each area and
//! sub-area):
//!
//! - the correlations between its children (indicators or sub-areas) and of each child with the
//!   node's own score: Pearson's r (with its two-sided p-value) and Spearman's ρ (average ranks for
//!   ties), over the units of the period that have both scores (pairwise-complete observations,
//!   COINr's `get_corr()`);
//! - Cronbach's alpha of its children, as COINr's `get_cronbach()` (pairwise covariances), and over
//!   complete cases;
//! - flags: a child negatively correlated with its node (r < 0), and pairs of children nearly
//!   collinear (|r| > [`COLLINEAR`]).
//!
//! Correlations are computed on the **scores**: what the node aggregates (an indicator's score
//! after imputation, treatment and scoring; a sub-area's score). Data availability is counted on
//! the indicators' **values** before imputation ([`Indicator::value`]): per unit (overall and
//! within each area, COINr's `get_data_avail()`), per indicator, and every missing value with its
//! reason.
//!
//! Pure and deterministic; no figure is NaN: one that cannot be computed (fewer than
//! [`MIN_PAIRS`] units with both values, a column without variance) says why. The statistics are
//! in [`stats`]; [`text`] has the fixed texts (en, ru) and [`view`] lays the audit out for the
//! terminal, the Markdown and the HTML report, which compute nothing.

pub mod stats;
pub mod text;
pub mod view;

use crate::eval::{Outcome, PeriodOutcome};
use crate::model::*;
use indexmap::IndexMap;
use serde::Serialize;
pub use stats::MIN_PAIRS;

/// The schema identifier written into every audit.
pub const SCHEMA: &str = "tamga.audit/1";

/// Two children are flagged as nearly collinear when |r| is above this.
pub const COLLINEAR: f64 = 0.92;

/// Everything [`audit`] computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The methodology.
    pub methodology: MethodologyId,
    /// What is correlated: `scores`.
    pub correlations_on: &'static str,
    /// What availability counts: `values` (before imputation).
    pub availability_on: &'static str,
    /// The fewest units with both values for a figure ([`MIN_PAIRS`]).
    pub min_pairs: usize,
    /// The collinearity threshold ([`COLLINEAR`]).
    pub collinear_above: f64,
    /// One per period, in the outcome's order.
    pub periods: Vec<PeriodAudit>,
}

/// The methodology an audit is of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodologyId {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
}

/// The audit of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodAudit {
    /// The period.
    pub period: String,
    /// The units evaluated together (screened-out units are not among them), in code order.
    pub units: Vec<String>,
    /// The index and every area and sub-area, in tree order (each area followed by its sub-areas).
    pub areas: Vec<AreaAudit>,
    /// Data availability.
    pub availability: Availability,
    /// The set named by [`Options::set`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set: Option<SetAudit>,
    /// The correlation matrix of every scored indicator ([`Options::matrix`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrix: Option<MatrixAudit>,
}

/// A child of a node, as audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildRef {
    /// `indicator` or `area`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
}

/// A figure, or why it cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    /// The value, or null.
    pub value: Option<f64>,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_computable: Option<NotComputable>,
}

impl Figure {
    fn of(r: Result<f64, stats::Why>) -> Figure {
        match r {
            Ok(v) => Figure { value: Some(v), not_computable: None },
            Err(w) => Figure { value: None, not_computable: Some(w.into()) },
        }
    }
}

/// Why a figure cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum NotComputable {
    /// Fewer than [`MIN_PAIRS`] units have both values.
    TooFewPairs {
        /// Units with both values.
        pairs: usize,
    },
    /// A column has the same value in every unit used.
    NoVariance {
        /// The first column (the row child; for a correlation with the node, the child).
        first: bool,
        /// The second column (the column child; the node).
        second: bool,
    },
    /// Cronbach's alpha of a node with one child.
    TooFewChildren {
        /// Children.
        children: usize,
    },
    /// Cronbach's alpha when every child is constant.
    ZeroTotalVariance,
}

impl From<stats::Why> for NotComputable {
    fn from(w: stats::Why) -> Self {
        match w {
            stats::Why::TooFewPairs { pairs } => NotComputable::TooFewPairs { pairs },
            stats::Why::NoVariance { x, y } => NotComputable::NoVariance { first: x, second: y },
            stats::Why::TooFewColumns { columns } => NotComputable::TooFewChildren { children: columns },
            stats::Why::ZeroTotalVariance => NotComputable::ZeroTotalVariance,
        }
    }
}

/// The correlation of two columns over the units with both values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Correlation {
    /// Units with both values.
    pub n: usize,
    /// Pearson's r.
    pub pearson: Figure,
    /// The two-sided p-value of r (R's `cor.test()`); null when r is not computed.
    pub p_value: Option<f64>,
    /// Spearman's ρ (average ranks for ties).
    pub spearman: Figure,
}

/// Correlates two columns (pairwise-complete observations).
pub fn correlate(x: &[Option<f64>], y: &[Option<f64>]) -> Correlation {
    let (a, b) = stats::pairwise(x, y);
    let pearson = stats::pearson(&a, &b);
    Correlation {
        n: a.len(),
        p_value: pearson.ok().and_then(|r| stats::pearson_p_value(r, a.len())),
        pearson: Figure::of(pearson),
        spearman: Figure::of(stats::spearman(&a, &b)),
    }
}

/// A child's correlation with its node's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithNode {
    /// The child's id.
    pub child: String,
    /// The correlation.
    pub correlation: Correlation,
}

/// The correlation of two children (each pair once, in the order of the children: `a` before `b`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The first child.
    pub a: String,
    /// The second child.
    pub b: String,
    /// The correlation.
    pub correlation: Correlation,
}

/// Cronbach's alpha of a node's children.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlphaAudit {
    /// The number of children.
    pub k: usize,
    /// COINr's `get_cronbach()`: covariances over pairwise-complete observations.
    pub pairwise: Figure,
    /// When `pairwise` is not computable because of one pair of children: that pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<[String; 2]>,
    /// Units with every child present.
    pub complete_cases: usize,
    /// The same formula over complete cases only.
    pub complete: Figure,
}

/// Something in a node's correlations worth a methodologist's look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "flag")]
pub enum Flag {
    /// A child whose score is negatively correlated with its node's (Pearson's r < 0).
    Negative {
        /// The child.
        child: String,
        /// r.
        pearson: f64,
        /// Units.
        n: usize,
    },
    /// Two children nearly collinear: |r| > [`COLLINEAR`] (one may be redundant).
    Collinear {
        /// The first child.
        a: String,
        /// The second child.
        b: String,
        /// r.
        pearson: f64,
        /// Units.
        n: usize,
    },
}

/// The audit of one node (the index, an area or a sub-area).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaAudit {
    /// The node's id.
    pub area: String,
    /// Its parent, if any.
    pub parent: Option<String>,
    /// 0 for the index.
    pub depth: u32,
    /// Its children in declaration order.
    pub children: Vec<ChildRef>,
    /// Each child's correlation with the node's score.
    pub with_area: Vec<WithNode>,
    /// Every pair of children.
    pub pairs: Vec<Pair>,
    /// Cronbach's alpha of the children.
    pub alpha: AlphaAudit,
    /// Flags, negative correlations first.
    pub flags: Vec<Flag>,
    /// Each child's Cronbach's alpha if deleted and corrected item-total correlation.
    pub items: Vec<ItemAudit>,
    /// The principal components of the children's scores (eigenvalues and explained variance).
    pub components: ComponentsAudit,
}

/// A child (item) of a node or of a set: what Cronbach's alpha would be without it, and its
/// correlation with the sum of the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAudit {
    /// The child's id.
    pub id: String,
    /// Cronbach's alpha of the other children (pairwise covariances; `psych::alpha()`'s
    /// `alpha.drop`).
    pub alpha_if_deleted: Figure,
    /// The corrected item-total (item–rest) correlation: with the sum of the other children
    /// (`psych::alpha()`'s `r.drop`).
    pub item_rest: Figure,
}

/// The eigenvalues of the correlation matrix of some scores over the complete cases (R's
/// `prcomp(scale = TRUE)`, COINr's `get_PCA()`), and the share of the variance each explains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentsAudit {
    /// Units with every score present (the observations used).
    pub complete_cases: usize,
    /// One per component, largest eigenvalue first; empty when not computable.
    pub components: Vec<ComponentAudit>,
    /// Why the components cannot be computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_computable: Option<NotComputable>,
}

/// One principal component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentAudit {
    /// Its eigenvalue (the variance of the component, in standardised units).
    pub eigenvalue: f64,
    /// The share of the total variance it explains: eigenvalue / k.
    pub share: f64,
    /// The cumulative share, with the components before it.
    pub cumulative: f64,
    /// Its loadings (`prcomp`'s rotation: the unit eigenvector, largest element positive), one per
    /// score in the order given.
    pub loadings: Vec<f64>,
}

/// Cronbach's alpha, each item's alpha if deleted and item–rest correlation, and the principal
/// components of a set of scores named on the command line (`tamga audit --set`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetAudit {
    /// The scores, as named.
    pub members: Vec<ChildRef>,
    /// Cronbach's alpha of the set.
    pub alpha: AlphaAudit,
    /// Per member.
    pub items: Vec<ItemAudit>,
    /// The principal components.
    pub components: ComponentsAudit,
}

/// The correlation matrix of every scored indicator (`tamga audit --matrix`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixAudit {
    /// The indicators, in declaration order.
    pub indicators: Vec<String>,
    /// Pearson's r over pairwise-complete observations: `pearson[i][j]`, null when not computable
    /// (1 on the diagonal for an indicator with a spread).
    pub pearson: Vec<Vec<Option<f64>>>,
    /// Spearman's ρ, likewise.
    pub spearman: Vec<Vec<Option<f64>>>,
    /// Units with both values.
    pub n: Vec<Vec<usize>>,
}

/// What [`audit_with`] computes beyond the nodes and availability.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// A set of indicators or areas (ids) to audit together, as `--set` names them.
    pub set: Vec<String>,
    /// Whether to compute the correlation matrix of every scored indicator.
    pub matrix: bool,
}

/// Values present out of those counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// Values present.
    pub present: usize,
    /// Values counted.
    pub total: usize,
    /// present / total (null when nothing is counted).
    pub share: Option<f64>,
}

impl Share {
    fn new(present: usize, total: usize) -> Share {
        Share { present, total, share: (total > 0).then(|| present as f64 / total as f64) }
    }
}

/// A unit's data availability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitAvailability {
    /// Unit code.
    pub unit: String,
    /// Over every scored indicator (COINr's `Dat_Avail`).
    pub overall: Share,
    /// Within each area and sub-area (the scored indicators below it; COINr's `ByGroup`).
    pub areas: IndexMap<String, Share>,
}

/// An indicator's data availability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorAvailability {
    /// Indicator id.
    pub indicator: String,
    /// Over the units of the period.
    pub overall: Share,
}

/// A missing value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingValue {
    /// Unit code.
    pub unit: String,
    /// Indicator id.
    pub indicator: String,
    /// Why it is missing.
    pub reason: Reason,
}

/// A unit left out of the period by screening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenedOut {
    /// Unit code.
    pub unit: String,
    /// Its availability (0–1) as the screen counted it.
    pub availability: f64,
    /// The threshold.
    pub threshold: f64,
}

/// Data availability of one period: the values of the scored indicators before imputation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Availability {
    /// The indicators counted: every scored indicator, in declaration order.
    pub indicators: Vec<String>,
    /// Per unit.
    pub units: Vec<UnitAvailability>,
    /// Per indicator.
    pub by_indicator: Vec<IndicatorAvailability>,
    /// Every missing value, in unit then indicator order.
    pub missing: Vec<MissingValue>,
    /// Units left out by screening (not counted above).
    pub screened_out: Vec<ScreenedOut>,
}

/// Audits every period of an outcome.
pub fn audit(model: &Model, outcome: &Outcome) -> Audit {
    audit_with(model, outcome, &Options::default())
}

/// The ids in `set` that are neither an indicator with a score nor an area.
pub fn unknown_members(model: &Model, set: &[String]) -> Vec<String> {
    set.iter().filter(|id| member(model, id).is_none()).cloned().collect()
}

fn member(model: &Model, id: &str) -> Option<(&'static str, Slot)> {
    if let Some(i) = model.indicators.get(id) {
        return i.score.as_ref().map(|_| ("indicator", i.score_slot));
    }
    model.areas.get(id).map(|a| ("area", a.slot))
}

/// Audits every period of an outcome, with a set and the correlation matrix when asked for
/// (ids in the set that are not scores are left out: check them with [`unknown_members`]).
pub fn audit_with(model: &Model, outcome: &Outcome, options: &Options) -> Audit {
    Audit {
        schema: SCHEMA,
        methodology: MethodologyId { id: model.header.id.clone(), version: model.header.version.clone() },
        correlations_on: "scores",
        availability_on: "values",
        min_pairs: MIN_PAIRS,
        collinear_above: COLLINEAR,
        periods: outcome
            .periods
            .iter()
            .map(|p| {
                let mut a = audit_period(model, p);
                if !options.set.is_empty() {
                    a.set = Some(audit_set(model, p, &options.set));
                }
                if options.matrix {
                    a.matrix = Some(matrix(model, p));
                }
                a
            })
            .collect(),
    }
}

/// The audit as pretty-printed JSON with a final newline (the schema of docs/composite.md).
pub fn to_json(a: &Audit) -> String {
    let mut s = serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The correlation matrices of an audit as CSV: a header `period,indicator,<ids…>`, then one row
/// per period and indicator with Pearson's r (shortest form; empty when not computable).
pub fn matrix_csv(a: &Audit) -> String {
    let mut out = String::new();
    let mut header = false;
    for p in &a.periods {
        let Some(m) = &p.matrix else { continue };
        if !header {
            out.push_str("period,indicator");
            for id in &m.indicators {
                out.push(',');
                out.push_str(id);
            }
            out.push('\n');
            header = true;
        }
        for (i, id) in m.indicators.iter().enumerate() {
            out.push_str(&format!("{},{id}", csv_field(&p.period)));
            for r in &m.pearson[i] {
                out.push(',');
                if let Some(r) = r {
                    out.push_str(&crate::number::shortest(*r));
                }
            }
            out.push('\n');
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The index and the areas in tree order: each area followed by its sub-areas.
pub fn tree_order(model: &Model) -> Vec<&Area> {
    let mut out = vec![];
    let mut stack = vec![model.index.as_str()];
    while let Some(id) = stack.pop() {
        let Some(a) = model.areas.get(id) else { continue };
        out.push(a);
        for c in a.children.iter().rev().filter(|c| c.kind == "area") {
            stack.push(c.id.as_str());
        }
    }
    out
}

fn column(p: &PeriodOutcome, slot: Slot) -> Vec<Option<f64>> {
    p.columns[slot.0 as usize].iter().map(|v| v.ok()).collect()
}

/// Audits one period.
pub fn audit_period(model: &Model, p: &PeriodOutcome) -> PeriodAudit {
    PeriodAudit {
        period: p.period.clone(),
        units: p.units.clone(),
        areas: tree_order(model).into_iter().map(|a| audit_area(a, p)).collect(),
        availability: availability(model, p),
        set: None,
        matrix: None,
    }
}

/// Each column's alpha if deleted and item–rest correlation.
fn items(ids: &[String], cols: &[Vec<Option<f64>>]) -> Vec<ItemAudit> {
    let cov = stats::covariance_matrix(cols);
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            let (alpha_if_deleted, item_rest) = match &cov {
                Ok(c) => (
                    Figure::of(stats::alpha_if_deleted(c).swap_remove(i)),
                    Figure::of(stats::item_rest(c).swap_remove(i)),
                ),
                Err(w) => (Figure::of(Err(w.why)), Figure::of(Err(w.why))),
            };
            ItemAudit { id: id.clone(), alpha_if_deleted, item_rest }
        })
        .collect()
}

/// The principal components of some columns.
fn components_of(cols: &[Vec<Option<f64>>]) -> ComponentsAudit {
    let complete = stats::complete_cases(cols).first().map(Vec::len).unwrap_or(0);
    match stats::components(cols) {
        Ok(c) => {
            let k = cols.len() as f64;
            let mut cumulative = 0.0;
            let components = c
                .eigenvalues
                .iter()
                .zip(c.vectors)
                .map(|(l, v)| {
                    let share = l / k;
                    cumulative += share;
                    ComponentAudit { eigenvalue: *l, share, cumulative, loadings: v }
                })
                .collect();
            ComponentsAudit { complete_cases: c.complete_cases, components, not_computable: None }
        }
        Err(w) => ComponentsAudit { complete_cases: complete, components: vec![], not_computable: Some(w.into()) },
    }
}

fn alpha_audit(ids: &[String], cols: &[Vec<Option<f64>>], units: usize) -> AlphaAudit {
    let complete_cases = (0..units).filter(|u| cols.iter().all(|c| c[*u].is_some())).count();
    let (pairwise, pair) = match stats::cronbach_pairwise(cols) {
        Ok(x) => (Figure { value: Some(x.alpha), not_computable: None }, None),
        Err(w) => (
            Figure { value: None, not_computable: Some(w.why.into()) },
            w.pair.map(|(i, j)| [ids[i].clone(), ids[j].clone()]),
        ),
    };
    let complete = match stats::cronbach_complete(cols) {
        Ok(x) => Figure { value: Some(x.alpha), not_computable: None },
        Err(w) => Figure { value: None, not_computable: Some(w.why.into()) },
    };
    AlphaAudit { k: cols.len(), pairwise, pair, complete_cases, complete }
}

/// Audits a set of scores named by id (indicators or areas; other ids are left out).
fn audit_set(model: &Model, p: &PeriodOutcome, set: &[String]) -> SetAudit {
    let members: Vec<(ChildRef, Slot)> = set
        .iter()
        .filter_map(|id| member(model, id).map(|(kind, slot)| (ChildRef { kind, id: id.clone() }, slot)))
        .collect();
    let ids: Vec<String> = members.iter().map(|(c, _)| c.id.clone()).collect();
    let cols: Vec<Vec<Option<f64>>> = members.iter().map(|(_, s)| column(p, *s)).collect();
    SetAudit {
        alpha: alpha_audit(&ids, &cols, p.units.len()),
        items: items(&ids, &cols),
        components: components_of(&cols),
        members: members.into_iter().map(|(c, _)| c).collect(),
    }
}

/// The correlation matrix of every scored indicator.
fn matrix(model: &Model, p: &PeriodOutcome) -> MatrixAudit {
    let scored: Vec<&Indicator> = model.indicators.values().filter(|i| i.score.is_some()).collect();
    let cols: Vec<Vec<Option<f64>>> = scored.iter().map(|i| column(p, i.score_slot)).collect();
    let k = cols.len();
    let mut m = MatrixAudit {
        indicators: scored.iter().map(|i| i.id.clone()).collect(),
        pearson: vec![vec![None; k]; k],
        spearman: vec![vec![None; k]; k],
        n: vec![vec![0; k]; k],
    };
    for i in 0..k {
        for j in i..k {
            let c = correlate(&cols[i], &cols[j]);
            for (a, b) in [(i, j), (j, i)] {
                m.pearson[a][b] = c.pearson.value;
                m.spearman[a][b] = c.spearman.value;
                m.n[a][b] = c.n;
            }
        }
    }
    m
}

fn audit_area(a: &Area, p: &PeriodOutcome) -> AreaAudit {
    let cols: Vec<Vec<Option<f64>>> = a.children.iter().map(|c| column(p, c.slot)).collect();
    let own = column(p, a.slot);
    let with_area: Vec<WithNode> = a
        .children
        .iter()
        .zip(&cols)
        .map(|(c, x)| WithNode { child: c.id.clone(), correlation: correlate(x, &own) })
        .collect();
    let mut pairs = vec![];
    for i in 0..cols.len() {
        for j in i + 1..cols.len() {
            pairs.push(Pair {
                a: a.children[i].id.clone(),
                b: a.children[j].id.clone(),
                correlation: correlate(&cols[i], &cols[j]),
            });
        }
    }
    let ids: Vec<String> = a.children.iter().map(|c| c.id.clone()).collect();
    let mut flags = vec![];
    for w in &with_area {
        if let Some(r) = w.correlation.pearson.value.filter(|r| *r < 0.0) {
            flags.push(Flag::Negative { child: w.child.clone(), pearson: r, n: w.correlation.n });
        }
    }
    for x in &pairs {
        if let Some(r) = x.correlation.pearson.value.filter(|r| r.abs() > COLLINEAR) {
            flags.push(Flag::Collinear { a: x.a.clone(), b: x.b.clone(), pearson: r, n: x.correlation.n });
        }
    }
    AreaAudit {
        area: a.id.clone(),
        parent: a.parent.clone(),
        depth: a.depth,
        children: a.children.iter().map(|c| ChildRef { kind: c.kind, id: c.id.clone() }).collect(),
        with_area,
        pairs,
        alpha: alpha_audit(&ids, &cols, p.units.len()),
        flags,
        items: items(&ids, &cols),
        components: components_of(&cols),
    }
}

/// The scored indicators below an area (its subtree), in the order of the children.
fn indicators_below<'m>(model: &'m Model, area: &Area) -> Vec<&'m Indicator> {
    let mut out = vec![];
    for c in &area.children {
        if c.kind == "indicator" {
            out.extend(model.indicators.get(&c.id));
        } else if let Some(sub) = model.areas.get(&c.id) {
            out.extend(indicators_below(model, sub));
        }
    }
    out
}

fn availability(model: &Model, p: &PeriodOutcome) -> Availability {
    let scored: Vec<&Indicator> = model.indicators.values().filter(|i| i.score.is_some()).collect();
    let present = |ind: &Indicator, u: usize| p.get(ind.value, u).is_ok();
    let areas: Vec<(&Area, Vec<&Indicator>)> = tree_order(model)
        .into_iter()
        .filter(|a| a.id != model.index)
        .map(|a| (a, indicators_below(model, a)))
        .collect();
    let units = p
        .units
        .iter()
        .enumerate()
        .map(|(u, code)| UnitAvailability {
            unit: code.clone(),
            overall: Share::new(scored.iter().filter(|i| present(i, u)).count(), scored.len()),
            areas: areas
                .iter()
                .map(|(a, inds)| (a.id.clone(), Share::new(inds.iter().filter(|i| present(i, u)).count(), inds.len())))
                .collect(),
        })
        .collect();
    let by_indicator = scored
        .iter()
        .map(|i| IndicatorAvailability {
            indicator: i.id.clone(),
            overall: Share::new((0..p.units.len()).filter(|u| present(i, *u)).count(), p.units.len()),
        })
        .collect();
    let mut missing = vec![];
    for (u, code) in p.units.iter().enumerate() {
        for i in &scored {
            if let Err(m) = p.get(i.value, u) {
                missing.push(MissingValue { unit: code.clone(), indicator: i.id.clone(), reason: m.reason });
            }
        }
    }
    Availability {
        indicators: scored.iter().map(|i| i.id.clone()).collect(),
        units,
        by_indicator,
        missing,
        screened_out: p
            .excluded
            .iter()
            .map(|e| ScreenedOut { unit: e.unit.clone(), availability: e.availability, threshold: e.threshold })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correlation_of_two_columns_with_gaps_uses_the_pairs() {
        let x = [Some(1.0), Some(2.0), None, Some(4.0), Some(5.0)];
        let y = [Some(2.0), Some(1.0), Some(9.0), None, Some(5.0)];
        let c = correlate(&x, &y);
        assert_eq!(c.n, 3);
        // pairs (1, 2), (2, 1), (5, 5): r = 11/√(8.667 · 9.333)... computed by hand below
        let (mx, my) = (8.0 / 3.0, 8.0 / 3.0);
        let sxy = (1.0 - mx) * (2.0 - my) + (2.0 - mx) * (1.0 - my) + (5.0 - mx) * (5.0 - my);
        let sxx = (1.0f64 - mx).powi(2) + (2.0f64 - mx).powi(2) + (5.0f64 - mx).powi(2);
        let syy = (2.0f64 - my).powi(2) + (1.0f64 - my).powi(2) + (5.0f64 - my).powi(2);
        let r = c.pearson.value.expect("r");
        assert!((r - sxy / (sxx * syy).sqrt()).abs() < 1e-15);
        assert_eq!(c.spearman.value, Some(0.5));
    }
}
