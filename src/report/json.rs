//! The result as JSON: the documented, stable schema of `docs/results.md`.

use crate::check::Methodology;
use crate::data::Dataset;
use crate::eval::summary::{self, RecTally, Tally};
use crate::eval::{EventKind, Outcome};
use crate::model::*;
use crate::number::fixed;
use crate::source::SourceMap;
use indexmap::IndexMap;
use serde::Serialize;

/// The schema identifier written into every result.
pub const SCHEMA: &str = "tamga.result/1";

/// A number or a missing value, with its published (rounded) text.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Num {
    /// The full-precision value (shortest round-trip), or null.
    pub value: Option<f64>,
    /// The value as published: rounded to its display precision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Why the value is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Reason>,
    /// Where the missing value comes from, down to its root cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<super::cause::CauseDoc>,
    /// For an aggregate computed over fewer children than declared (the others re-weighted
    /// away): how many entered it and their share of the weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageResult>,
}

/// The coverage of a re-weighted aggregate ([`crate::eval::Coverage`]).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CoverageResult {
    /// Children that entered the aggregate.
    pub counted: usize,
    /// Children declared.
    pub declared: usize,
    /// Their share of the declared weight (0–1).
    pub weight_share: f64,
}

/// `n` with the coverage of `slot` for unit `u`, if it was re-weighted.
fn covered(
    mut n: Num,
    index: &std::collections::HashMap<(Slot, usize), &crate::eval::Coverage>,
    slot: Slot,
    u: usize,
) -> Num {
    if let Some(c) = index.get(&(slot, u)) {
        n.coverage = Some(CoverageResult { counted: c.counted, declared: c.declared, weight_share: c.weight_share });
    }
    n
}

fn num(v: Val, precision: u32, mode: crate::number::Rounding) -> Num {
    match v {
        Ok(x) => {
            Num { value: Some(x), display: Some(fixed(x, precision, mode)), missing: None, coverage: None, cause: None }
        }
        Err(m) => Num { value: None, display: None, missing: Some(m.reason), coverage: None, cause: None },
    }
}

fn raw(v: Val) -> Num {
    match v {
        Ok(x) => Num { value: Some(x), display: None, missing: None, coverage: None, cause: None },
        Err(m) => Num { value: None, display: None, missing: Some(m.reason), coverage: None, cause: None },
    }
}

/// The cause of `slot`'s missing value for unit `u`, as the result's JSON object.
fn cause_of(
    causes: &crate::eval::cause::Causes,
    m: &Model,
    p: &crate::eval::PeriodOutcome,
    slot: Slot,
    u: usize,
) -> Option<super::cause::CauseDoc> {
    causes.of(p, slot, u).map(|c| super::cause::doc(m, &c))
}

/// The methodology a result came from.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MethodologyRef {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// SHA-256 of the canonical methodology, when the checker provides one (see [`fingerprint`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Title per language.
    pub title: Labels,
    /// Score scale.
    pub scale: [f64; 2],
    /// Rule files with their SHA-256.
    pub files: Vec<InputFile>,
}

/// An input file and its hash.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct InputFile {
    /// Path as given.
    pub file: String,
    /// SHA-256 of its bytes as read (after removing a byte-order mark).
    pub sha256: String,
}

/// A submission used.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct InputSubmission {
    /// Path as given.
    pub file: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Unit code.
    pub unit: String,
    /// Period.
    pub period: String,
}

/// One indicator's result for one unit.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct IndicatorResult {
    /// The value.
    pub value: Num,
    /// The score, if the indicator is scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Num>,
    /// What the scoring rule saw, when the value was imputed or treated: the notes, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub treatment: Vec<crate::eval::NoteKind>,
}

/// One standard's verdict for one unit.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StandardResult {
    /// `met`, `not_met` or `not_assessable`.
    pub verdict: &'static str,
    /// Why it is not assessable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Reason>,
    /// Where that comes from, down to its root cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<super::cause::CauseDoc>,
    /// The highest level attained (`none` if none), for graded standards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Attainment on the scale.
    pub attainment: Num,
    /// The value compared with the target, for a simple requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Num>,
    /// The target, for a simple requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

/// A chapter's (or the Code's) summary for one unit.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CodeSummary {
    /// Mean attainment.
    pub score: Num,
    /// Standards met.
    pub met: usize,
    /// Standards not met.
    pub not_met: usize,
    /// Standards not assessable.
    pub not_assessable: usize,
}

/// A recommendation whose condition holds (or cannot be assessed).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RecommendationResult {
    /// Id.
    pub id: String,
    /// `applies` or `not_assessable`.
    pub status: &'static str,
    /// Why not assessable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Reason>,
    /// Where that comes from, down to its root cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<super::cause::CauseDoc>,
    /// Text per language.
    pub text: Labels,
}

/// A consistency rule a unit's answers violate, or that cannot be judged.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RuleResult {
    /// The rule's id.
    pub rule: String,
    /// `violated`, or `not_judged` (an answer it names is missing: not a violation).
    pub status: &'static str,
    /// `error` (the answers it names are `invalid` in this result) or `warning` (reported only).
    pub severity: Severity,
    /// The condition as written.
    pub condition: String,
    /// The rule's labels.
    pub text: Labels,
    /// The answers it names, as submitted (a missing one with its reason).
    pub answers: IndexMap<String, Num>,
}

/// Everything for one unit in one period.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct UnitResult {
    /// Unit code.
    pub unit: String,
    /// Name per language, from the submission.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub name: Labels,
    /// The submission file.
    pub file: String,
    /// The index score.
    pub index: Num,
    /// Area scores (the index excluded), in declaration order.
    pub areas: IndexMap<String, Num>,
    /// The unit's rank (1 = first, ties `min`) in every area (or the index) aggregated by a
    /// non-compensatory method (`aggregate copeland`, `aggregate kemeny`), whose value is a
    /// Copeland score or a Kemeny–Young place rather than a score on the scale.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub ranks: IndexMap<String, f64>,
    /// Indicator values and scores.
    pub indicators: IndexMap<String, IndicatorResult>,
    /// Answers as evaluated (with missing reasons).
    pub answers: IndexMap<String, Num>,
    /// Standard verdicts.
    pub standards: IndexMap<String, StandardResult>,
    /// Chapters.
    pub chapters: IndexMap<String, CodeSummary>,
    /// The whole Code.
    pub code: CodeSummary,
    /// Recommendations that apply or cannot be assessed.
    pub recommendations: Vec<RecommendationResult>,
    /// Consistency rules the answers violate or that cannot be judged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleResult>,
}

/// One period.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PeriodResult {
    /// Period.
    pub period: String,
    /// Units evaluated together, in code order.
    pub units: Vec<String>,
    /// Per unit.
    pub results: Vec<UnitResult>,
    /// Union statistics over the units.
    pub union: UnionResult,
    /// The change from the previous period (absent for the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeResult>,
    /// Units left out by screening.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<crate::eval::Excluded>,
    /// The areas whose weights are not declared one by one (`weights …`, `aggregate bod`): how
    /// they were obtained, and what this period's data gave.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<WeightsResult>,
}

/// How an area's weights were obtained.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct WeightsResult {
    /// The area.
    pub area: String,
    /// Its children, in order.
    pub children: Vec<String>,
    /// The weights used, one per child, summing to 1 (absent for `aggregate bod`: each unit has
    /// its own, in `data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
    /// The declaration: `equal`, `budget` (with the points), `ahp` (with the matrix and its
    /// consistency), `pca`, or `declared` for `aggregate bod`.
    pub how: crate::model::WeightsFrom,
    /// What this period's data gave (`pca`: the analysis; `bod`: each unit's score and weights).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<crate::eval::DerivedKind>,
}

/// The areas of a period whose weights are not declared one by one.
pub fn weights_results(model: &Model, p: &crate::eval::PeriodOutcome) -> Vec<WeightsResult> {
    let mut out = vec![];
    for a in model.areas.values() {
        let derived = p.derived.iter().find(|d| d.slot == a.slot).map(|d| d.kind.clone());
        if a.weights_from == crate::model::WeightsFrom::Declared && derived.is_none() {
            continue;
        }
        let weights = match &derived {
            Some(crate::eval::DerivedKind::Bod { .. }) => None,
            Some(crate::eval::DerivedKind::Pca { weights, .. }) => Some(weights.clone()),
            None => {
                let total: f64 = a.children.iter().map(|c| c.weight).sum();
                // budget and AHP weights already sum to 1 (up to rounding): shown as they are used
                let scale = if total > 0.0 && (total - 1.0).abs() > 1e-9 { total } else { 1.0 };
                Some(a.children.iter().map(|c| c.weight / scale).collect())
            }
        };
        out.push(WeightsResult {
            area: a.id.clone(),
            children: a.children.iter().map(|c| c.id.clone()).collect(),
            weights,
            how: a.weights_from.clone(),
            data: derived,
        });
    }
    out
}

/// Union statistics of one column of scores over the units of a period; missing scores are
/// left out and counted.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct StatResult {
    /// Units with a score.
    pub count: usize,
    /// Units without one.
    pub missing: usize,
    /// Mean of the scores present.
    pub mean: Num,
    /// Smallest score.
    pub min: Num,
    /// Largest score.
    pub max: Num,
    /// Units whose published score equals the published largest (scores are higher-is-better).
    pub best: Vec<String>,
}

/// The union-level figures of a period.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct UnionResult {
    /// The index.
    pub index: StatResult,
    /// Every area and sub-area, in declaration order.
    pub areas: IndexMap<String, StatResult>,
    /// Scored indicators' scores.
    pub indicators: IndexMap<String, StatResult>,
    /// Chapter scores.
    pub chapters: IndexMap<String, StatResult>,
    /// The Code's score.
    pub code: StatResult,
    /// Per standard: units that meet it, do not, or cannot be assessed.
    pub standards: IndexMap<String, Tally>,
    /// Per recommendation: units it applies to, or cannot be assessed for.
    pub recommendations: IndexMap<String, RecTally>,
}

/// Differences (this period − the previous) of the index and area scores.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DeltaResult {
    /// The index.
    pub index: Num,
    /// Every area and sub-area.
    pub areas: IndexMap<String, Num>,
}

/// One unit's change from the previous period.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct UnitDelta {
    /// Unit code.
    pub unit: String,
    /// Its differences.
    #[serde(flatten)]
    pub deltas: DeltaResult,
}

/// The change from the previous period.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ChangeResult {
    /// The previous period.
    pub from: String,
    /// Units evaluated in both periods.
    pub results: Vec<UnitDelta>,
    /// The change of the union mean.
    pub union: DeltaResult,
}

/// A warning from the evaluation.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Warning {
    /// Stable code.
    pub code: &'static str,
    /// Period.
    pub period: String,
    /// Unit, if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What was computed (`indicator x`, `score(x)`).
    pub target: String,
    /// The expression, as written.
    pub expression: String,
    /// Where in the rules.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What happened.
    pub message: String,
}

/// The whole result.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ResultDoc {
    /// [`SCHEMA`].
    #[schemars(description = "The schema identifier: `tamga.result/1`.", extend("const" = "tamga.result/1"))]
    pub schema: &'static str,
    /// The tamga version that computed it.
    pub tamga: &'static str,
    /// The methodology.
    pub methodology: MethodologyRef,
    /// What the result is: the methodology's status (draft… approved by which decision), and
    /// the notes the submissions carry on their data.
    pub status: super::status::Status,
    /// The submissions used, sorted by period and unit.
    pub inputs: Vec<InputSubmission>,
    /// Periods.
    pub periods: Vec<PeriodResult>,
    /// Evaluation warnings.
    pub warnings: Vec<Warning>,
    /// The methodology's scenarios (`scenario name { … }`), each unit's index and rank under each
    /// beside its rank under the methodology (absent when none is declared).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<ScenarioResult>,
}

/// One scenario's results.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ScenarioResult {
    /// The scenario's id.
    pub id: String,
    /// Its labels.
    pub text: Labels,
    /// What it changes, as written: `weight trade 1`, `aggregate index geometric`, `score release minmax`.
    pub changes: Vec<String>,
    /// Per period.
    pub periods: Vec<ScenarioPeriodResult>,
}

/// One period under a scenario.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ScenarioPeriodResult {
    /// The period.
    pub period: String,
    /// Per unit, in the period's order.
    pub results: Vec<ScenarioUnitResult>,
}

/// One unit under a scenario.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ScenarioUnitResult {
    /// Unit code.
    pub unit: String,
    /// The index under the scenario.
    pub index: Num,
    /// The rank by it (1 = the largest, ties `min`); absent when the index is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<f64>,
    /// The rank under the methodology.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_rank: Option<f64>,
    /// `base_rank − rank`: positive when the unit moves up under the scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift: Option<f64>,
}

/// Hex SHA-256 of bytes; it lives in [`crate::fingerprint`], re-exported here for callers that
/// named it `report::json::sha256_hex` before.
pub use crate::fingerprint::sha256_hex;

/// Describes a slot for messages.
pub fn slot_label(model: &Model, slot: Slot) -> String {
    match &model.slots[slot.0 as usize] {
        SlotKind::Question(id) => format!("question {id}"),
        SlotKind::Value(id) => format!("indicator {id}"),
        SlotKind::Score(id) => format!("score({id})"),
        SlotKind::Area(id) => format!("area {id}"),
        SlotKind::Met(c) | SlotKind::Level(c) | SlotKind::Attainment(c) | SlotKind::StandardValue(c) => {
            format!("standard {c}")
        }
        SlotKind::Chapter(c) => format!("chapter {c}"),
        SlotKind::Code => "the Code".into(),
        SlotKind::Recommend(id) => format!("recommendation {id}"),
        SlotKind::Hidden(t) => t.clone(),
        SlotKind::Rule(id) => format!("consistency rule {id}"),
    }
}

/// The message of an evaluation event.
pub fn event_message(kind: &EventKind) -> (&'static str, String) {
    match kind {
        EventKind::DivisionByZero => {
            ("tamga::eval::division_by_zero", "division by zero: the value is missing (division_by_zero)".into())
        }
        EventKind::Domain => (
            "tamga::eval::domain",
            "outside the domain of the function or of every band: the value is missing (domain)".into(),
        ),
        EventKind::InsufficientData { present } => (
            "tamga::eval::insufficient_data",
            format!(
                "{present} value(s) present: too few, or all equal, for a cross-unit statistic (insufficient_data)"
            ),
        ),
        EventKind::OutsideScale { score } => (
            "tamga::eval::scale",
            format!(
                "the score {} lies outside the scale: kept as computed (declare `outside_scale clamp` to move it to the scale, or `outside_scale allow` if the methodology means it)",
                crate::number::shortest(*score)
            ),
        ),
        EventKind::Clamped { score, to } => (
            "tamga::eval::clamped",
            format!(
                "the score {} lies outside the scale: clamped to {} (`outside_scale clamp`)",
                crate::number::shortest(*score),
                crate::number::shortest(*to)
            ),
        ),
        EventKind::TooManyUnits { units, max } => (
            "tamga::eval::too_many_units",
            format!(
                "{units} units to rank: Kemeny–Young is exact for at most {max} (a search over every order of the units); \
                 the aggregate is not assessable (not_assessable): use `aggregate copeland`, or evaluate fewer units together"
            ),
        ),
        EventKind::Reweighted { counted, declared, weight_share } => (
            "tamga::eval::reweighted",
            format!(
                "computed over {counted} of {declared} children ({}% of the weight): the others, missing, \
                 were left out and the weights re-scaled (its missing-data policy)",
                crate::number::fixed(weight_share * 100.0, 1, crate::number::Rounding::HalfAwayFromZero)
            ),
        ),
    }
}

/// Builds the result document. `sources` holds the rule files and the submissions (for the
/// places of warnings); the rule files listed are those of `meth`.
pub fn build(meth: &Methodology, sources: &SourceMap, data: &Dataset, outcome: &Outcome) -> ResultDoc {
    let model = &meth.model;
    let mode = model.header.rounding;
    let sp = model.header.score_precision;
    let files = meth
        .sources
        .files()
        .iter()
        .map(|f| InputFile { file: f.name.clone(), sha256: sha256_hex(f.text.as_bytes()) })
        .collect();
    let inputs = data
        .submissions
        .iter()
        .map(|s| InputSubmission {
            file: s.file.clone(),
            sha256: s.sha256.clone(),
            unit: s.unit.clone(),
            period: s.period.clone(),
        })
        .collect();
    let causes = crate::eval::cause::Causes::new(model);
    let mut periods = vec![];
    for p in &outcome.periods {
        let mut results = vec![];
        let cov = p.coverage_index();
        // ranks of the areas aggregated by Copeland or Kemeny–Young: the largest value is 1
        let ranked: Vec<(String, Vec<Option<f64>>)> = model
            .areas
            .values()
            .filter(|a| a.aggregate.across_units())
            .map(|a| {
                let col: Vec<Option<f64>> = (0..p.units.len()).map(|u| p.get(a.slot, u).ok()).collect();
                let order = crate::eval::composite::Order::Descending;
                (a.id.clone(), crate::eval::composite::rank(&col, crate::model::Ties::Min, order))
            })
            .collect();
        for (u, code) in p.units.iter().enumerate() {
            let sub = &data.submissions[p.submissions[u]];
            let cz = |mut n: Num, slot: Slot| {
                if n.missing.is_some() {
                    n.cause = cause_of(&causes, model, p, slot, u);
                }
                n
            };
            let areas = model
                .areas
                .values()
                .filter(|a| a.id != model.index)
                .map(|a| (a.id.clone(), cz(covered(num(p.get(a.slot, u), sp, mode), &cov, a.slot, u), a.slot)))
                .collect();
            let indicators = model
                .indicators
                .values()
                .map(|i| {
                    let value =
                        if i.boolean { raw(p.get(i.value, u)) } else { num(p.get(i.value, u), i.precision, mode) };
                    let value = cz(value, i.value);
                    let score = i.score.as_ref().map(|_| cz(num(p.get(i.score_slot, u), sp, mode), i.score_slot));
                    let treatment = p
                        .notes
                        .iter()
                        .filter(|n| n.unit == u && (Some(n.slot) == i.imputed || Some(n.slot) == i.treated))
                        .map(|n| n.kind.clone())
                        .collect();
                    (i.id.clone(), IndicatorResult { value, score, treatment })
                })
                .collect();
            // an answer missing as submitted is its own cause; one a consistency rule made invalid
            // names the rule
            let answers = model
                .questions
                .values()
                .map(|q| {
                    let mut n = cz(raw(p.get(q.slot, u)), q.slot);
                    n.cause = n.cause.filter(|c| c.kind == "rule");
                    (q.id.clone(), n)
                })
                .collect();
            let rules = model
                .rules
                .values()
                .filter_map(|r| {
                    let status = match p.get(r.slot, u) {
                        Ok(0.0) => "violated",
                        Ok(_) => return None,
                        Err(_) => "not_judged",
                    };
                    let answers = r
                        .questions
                        .iter()
                        .map(|q| {
                            let v = match sub.answer(*q) {
                                None => Err(Miss { reason: Reason::NotSubmitted, origin: *q as u32 }),
                                Some(crate::data::Answer::Number(x)) => Ok(x),
                                Some(crate::data::Answer::Missing(r)) => Err(Miss { reason: r, origin: *q as u32 }),
                            };
                            (model.questions[*q].id.clone(), raw(v))
                        })
                        .collect();
                    Some(RuleResult {
                        rule: r.id.clone(),
                        status,
                        severity: r.severity,
                        condition: r.text.clone(),
                        text: r.labels.clone(),
                        answers,
                    })
                })
                .collect();
            let mut standards = IndexMap::new();
            let mut tally: IndexMap<Option<String>, [usize; 3]> = IndexMap::new();
            for s in model.standards.values() {
                let met = p.get(s.met, u);
                let (verdict, k) = match met {
                    Ok(x) if x != 0.0 => ("met", 0),
                    Ok(_) => ("not_met", 1),
                    Err(_) => ("not_assessable", 2),
                };
                for key in [s.chapter.clone(), None] {
                    tally.entry(key).or_insert([0; 3])[k] += 1;
                }
                let level = if s.levels.is_empty() {
                    None
                } else {
                    match p.get(s.level, u) {
                        Ok(0.0) => Some("none".to_string()),
                        Ok(x) => s.levels.get(x as usize - 1).map(|l| l.name.clone()),
                        Err(_) => None,
                    }
                };
                let value = s.value.map(|v| num(p.get(v, u), precision_of(model, s), mode));
                standards.insert(
                    s.code.clone(),
                    StandardResult {
                        verdict,
                        missing: met.err().map(|m| m.reason),
                        cause: cause_of(&causes, model, p, s.met, u),
                        level,
                        attainment: num(p.get(s.attainment, u), sp, mode),
                        value,
                        target: s.target,
                    },
                );
            }
            let summary = |slot: Slot, key: Option<String>| {
                let t = tally.get(&key).copied().unwrap_or([0; 3]);
                let score = cz(covered(num(p.get(slot, u), sp, mode), &cov, slot, u), slot);
                CodeSummary { score, met: t[0], not_met: t[1], not_assessable: t[2] }
            };
            let chapters =
                model.chapters.values().map(|c| (c.code.clone(), summary(c.score, Some(c.code.clone())))).collect();
            let code_summary = summary(model.code_score, None);
            let recommendations = model
                .recommendations
                .values()
                .filter_map(|r| match p.get(r.slot, u) {
                    Ok(x) if x != 0.0 => Some(RecommendationResult {
                        id: r.id.clone(),
                        status: "applies",
                        missing: None,
                        cause: None,
                        text: r.labels.clone(),
                    }),
                    Ok(_) => None,
                    Err(m) => Some(RecommendationResult {
                        id: r.id.clone(),
                        status: "not_assessable",
                        missing: Some(m.reason),
                        cause: cause_of(&causes, model, p, r.slot, u),
                        text: r.labels.clone(),
                    }),
                })
                .collect();
            results.push(UnitResult {
                unit: code.clone(),
                name: sub.name.clone(),
                file: sub.file.clone(),
                index: {
                    let slot = model.areas[&model.index].slot;
                    cz(covered(num(p.get(slot, u), sp, mode), &cov, slot, u), slot)
                },
                areas,
                ranks: ranked.iter().filter_map(|(id, r)| r[u].map(|r| (id.clone(), r))).collect(),
                indicators,
                answers,
                standards,
                chapters,
                code: code_summary,
                recommendations,
                rules,
            });
        }
        // an outcome built by hand may lack its summary: the eval stage computes it then
        let union = match outcome.summary.periods.iter().find(|s| s.period == p.period) {
            Some(s) => union_result(s, &p.units, sp, mode),
            None => union_result(&summary::summarize(model, std::slice::from_ref(p)).periods[0], &p.units, sp, mode),
        };
        let change = outcome.summary.changes.iter().find(|c| c.to == p.period).map(|c| ChangeResult {
            from: c.from.clone(),
            results: c
                .units
                .iter()
                .map(|u| UnitDelta { unit: u.unit.clone(), deltas: delta_result(&u.deltas, sp, mode) })
                .collect(),
            union: delta_result(&c.union, sp, mode),
        });
        periods.push(PeriodResult {
            period: p.period.clone(),
            units: p.units.clone(),
            results,
            union,
            change,
            excluded: p.excluded.clone(),
            weights: weights_results(model, p),
        });
    }
    let warnings = outcome
        .events
        .iter()
        .map(|e| {
            let origin = &model.origins[e.origin as usize];
            let (line, _) = sources.line_col(origin.span);
            let (code, message) = event_message(&e.kind);
            Warning {
                code,
                period: e.period.clone(),
                unit: e.unit.clone(),
                target: slot_label(model, e.slot),
                expression: sources.slice(origin.span).to_string(),
                file: sources.get(origin.span.file).name.clone(),
                line,
                message,
            }
        })
        .collect();
    ResultDoc {
        schema: SCHEMA,
        tamga: crate::VERSION,
        methodology: MethodologyRef {
            id: model.header.id.clone(),
            version: model.header.version.clone(),
            fingerprint: fingerprint(meth),
            title: model.header.title.clone(),
            scale: [model.header.scale.0, model.header.scale.1],
            files,
        },
        status: super::status::build(meth, data),
        inputs,
        periods,
        warnings,
        scenarios: scenario_results(model, outcome),
    }
}

/// The scenarios' results, from the evaluation's.
fn scenario_results(model: &Model, outcome: &Outcome) -> Vec<ScenarioResult> {
    let (mode, sp) = (model.header.rounding, model.header.score_precision);
    outcome
        .scenarios
        .iter()
        .filter_map(|so| {
            let sc = model.scenarios.get(&so.id)?;
            let mut changes: Vec<String> =
                sc.weights.iter().map(|(id, w)| format!("weight {id} {}", crate::number::shortest(*w))).collect();
            changes.extend(sc.aggregates.iter().map(|(id, a)| format!("aggregate {id} {}", a.text())));
            changes
                .extend(sc.scores.iter().map(|(id, r)| format!("score {id} {}", crate::version::diff::score_text(r))));
            let periods = so
                .periods
                .iter()
                .map(|p| ScenarioPeriodResult {
                    period: p.period.clone(),
                    results: p
                        .units
                        .iter()
                        .enumerate()
                        .map(|(u, code)| {
                            let (rank, base_rank) = (p.rank[u], p.base_rank[u]);
                            ScenarioUnitResult {
                                unit: code.clone(),
                                index: num(p.index[u], sp, mode),
                                rank,
                                base_rank,
                                shift: rank.zip(base_rank).map(|(r, b)| b - r),
                            }
                        })
                        .collect(),
                })
                .collect();
            Some(ScenarioResult { id: so.id.clone(), text: sc.labels.clone(), changes, periods })
        })
        .collect()
}

/// The methodology's fingerprint (SHA-256 of its canonical form) for the result and every
/// report's provenance; none for a methodology built without one.
pub fn fingerprint(meth: &Methodology) -> Option<String> {
    Some(meth.fingerprint.clone()).filter(|f| !f.is_empty())
}

fn stat_result(s: &summary::Stat, units: &[String], sp: u32, mode: crate::number::Rounding) -> StatResult {
    let opt = |x: Option<f64>| num(x.ok_or(Miss { reason: Reason::InsufficientData, origin: 0 }), sp, mode);
    StatResult {
        count: s.count,
        missing: s.missing,
        mean: opt(s.mean),
        min: opt(s.min),
        max: opt(s.max),
        best: s.best.iter().filter_map(|u| units.get(*u as usize).cloned()).collect(),
    }
}

fn union_result(s: &summary::PeriodSummary, units: &[String], sp: u32, mode: crate::number::Rounding) -> UnionResult {
    let map = |m: &IndexMap<String, summary::Stat>| {
        m.iter().map(|(k, v)| (k.clone(), stat_result(v, units, sp, mode))).collect()
    };
    UnionResult {
        index: stat_result(&s.index, units, sp, mode),
        areas: map(&s.areas),
        indicators: map(&s.indicators),
        chapters: map(&s.chapters),
        code: stat_result(&s.code, units, sp, mode),
        standards: s.standards.clone(),
        recommendations: s.recommendations.clone(),
    }
}

fn delta_result(d: &summary::Deltas, sp: u32, mode: crate::number::Rounding) -> DeltaResult {
    DeltaResult {
        index: num(d.index, sp, mode),
        areas: d.areas.iter().map(|(k, v)| (k.clone(), num(*v, sp, mode))).collect(),
    }
}

/// The display precision of a standard's compared value: its indicator's, when it is one.
fn precision_of(model: &Model, s: &Standard) -> u32 {
    let text = s.requires_text.split(['<', '>', '=', '!']).next().unwrap_or("").trim();
    model.indicators.get(text).map(|i| i.precision).unwrap_or(model.header.precision)
}

/// Writes the result into `w` as [`to_string`] gives it (pretty JSON, ending with a newline),
/// piece by piece: `result.json` of 100,000 units is hundreds of megabytes.
pub fn write(doc: &ResultDoc, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    // a buffer of a known type, so that the serializer's many small writes are copies, not calls
    // through `dyn Write` (6 % of a large report's
    // time was spent in those calls)
    let mut w = std::io::BufWriter::with_capacity(crate::report::WRITE_BUFFER, w);
    serde_json::to_writer_pretty(&mut w, doc)?;
    std::io::Write::write_all(&mut w, b"\n")?;
    std::io::Write::flush(&mut w)
}

/// The result as pretty JSON text, ending with a newline.
pub fn to_string(doc: &ResultDoc) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
