//! Explanations: the derivation of any number of a result, down to the answers.
//!
//! `Outcome` × a target (an indicator, an area, the index, a standard, a recommendation) × a unit
//! → an [`Explanation`]: a tree whose nodes are the values the target was computed from, each with
//! its label, its value (or missing reason), how it was computed (the formula's intermediate
//! values, the scoring rule and where the value fell, the weights and contributions of an
//! aggregate, the units behind a cross-unit statistic) and its place in the rule files. The tree
//! is built from [`trace`](crate::eval::trace)s, which re-run the evaluation's own operations; it
//! is rendered as text in English or Russian ([`text`]) or serialised as JSON.

mod build;
mod print;
pub mod text;

pub use build::{explain, Options};

use crate::model::Reason;
use serde::Serialize;

/// The schema identifier of the JSON form.
pub const SCHEMA: &str = "tamga.explain/1";

/// What an explanation is of, resolved from an id typed by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A question's answer.
    Question(String),
    /// An indicator: its value, and its score if it is scored.
    Indicator(String),
    /// An indicator's value only.
    Value(String),
    /// An area's score (or the index's).
    Area(String),
    /// A standard: verdict, level, attainment.
    Standard(String),
    /// A chapter's score.
    Chapter(String),
    /// A recommendation: whether it applies.
    Recommendation(String),
}

impl Target {
    /// Resolves an id: an indicator, `score(indicator)`, an area, the index, a standard's or a
    /// chapter's code, a recommendation or a question. `Err` holds the closest known id.
    pub fn resolve(model: &crate::model::Model, id: &str) -> Result<Target, Option<String>> {
        let id = id.trim();
        let inner = id.strip_prefix("score(").and_then(|s| s.strip_suffix(')')).map(str::trim);
        let id = inner.unwrap_or(id);
        if model.indicators.contains_key(id) {
            return Ok(Target::Indicator(id.into()));
        }
        if model.areas.contains_key(id) {
            return Ok(Target::Area(id.into()));
        }
        if inner.is_none() {
            if model.standards.contains_key(id) {
                return Ok(Target::Standard(id.into()));
            }
            if model.chapters.contains_key(id) {
                return Ok(Target::Chapter(id.into()));
            }
            if model.recommendations.contains_key(id) {
                return Ok(Target::Recommendation(id.into()));
            }
            if model.questions.contains_key(id) {
                return Ok(Target::Question(id.into()));
            }
        }
        let all = model
            .indicators
            .keys()
            .chain(model.areas.keys())
            .chain(model.standards.keys())
            .chain(model.chapters.keys())
            .chain(model.recommendations.keys())
            .chain(model.questions.keys())
            .map(String::as_str);
        Err(crate::diagnostics::suggest(id, all).map(str::to_string))
    }
}

/// An explanation of one target for one unit in one period.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The methodology's id.
    pub methodology: String,
    /// Its version.
    pub version: String,
    /// The unit's code.
    pub unit: String,
    /// The unit's name in the chosen language, if the submission gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// The period.
    pub period: String,
    /// The language of labels.
    pub lang: &'static str,
    /// When the value explained is missing: why, down to its root cause (an answer not
    /// submitted, a violated consistency rule, a division by zero), as a sentence in the
    /// explanation's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_missing: Option<String>,
    /// The same cause as the result's `cause` object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<crate::report::cause::CauseDoc>,
    /// The derivation.
    pub root: Node,
    /// How many values the trace computed differently from the evaluation (always 0 unless tamga
    /// has a bug).
    pub mismatches: usize,
}

/// What a node of the derivation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An answer of the submission.
    Answer,
    /// An indicator's value.
    Indicator,
    /// An indicator's score.
    Score,
    /// An area's score.
    Area,
    /// The index.
    Index,
    /// A standard.
    Standard,
    /// A chapter's score.
    Chapter,
    /// The whole Code's score.
    Code,
    /// A recommendation.
    Recommendation,
    /// An intermediate value (the operand of a cross-unit function).
    Intermediate,
    /// A statistic over the units evaluated together (`union_mean(x)`).
    UnionStatistic,
}

/// A number or a missing value, with its published text and its meaning for yes/no and choices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    /// The full-precision value.
    pub value: Option<f64>,
    /// The value as published (rounded to its precision), for numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// `yes`/`no`, or the option's id, for yes/no and choice values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A choice's label in the explanation's language (the option's id is in `text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Why the value is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Reason>,
}

/// A place in the rule files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The file, as shown in diagnostics.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// One node of the derivation.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// Its id as written in rules (`import_release`, `score(import_release)`, `TF-1`,
    /// `union_mean(import_release)`).
    pub id: String,
    /// Its label in the chosen language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its value for the unit.
    pub value: Value,
    /// The unit of measurement (`h`, `%`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Where it is declared or computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// How it was computed. Absent when the node was already explained higher in the tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Detail>,
    /// The values it was computed from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Node>,
    /// Already explained above: see the first occurrence.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub see_above: bool,
    /// Not expanded further (the depth limit was reached).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// Set if the trace computed another value than the evaluation: a bug in tamga.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<Value>,
}

/// One intermediate value of a formula.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The sub-expression, as written in rules.
    pub expr: String,
    /// The sub-expression in words, in the explanation's language, with labels and units.
    pub words: String,
    /// Its value.
    pub value: Value,
    /// What happened there (the branch or band taken, the rounding applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

/// What happened at a step of a formula.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "what")]
pub enum Note {
    /// A value rounded to its display precision before it is judged.
    Rounded {
        /// The decimals.
        decimals: u32,
        /// The value before rounding.
        from: Value,
    },
    /// `if`: the branch taken.
    Branch {
        /// `then` or `else`.
        taken: &'static str,
    },
    /// `bands` or `match`: the arm taken.
    Arm {
        /// The arm as written (`5<..=10`, `"council"`, `else`).
        arm: String,
        /// The arm in words, in the explanation's language ("over 5 h up to 10 h", «Council»,
        /// "otherwise").
        words: String,
    },
    /// `and`, `or`, `??`: the right side was not needed.
    ShortCircuit,
    /// `count(group)`, `share(group)` under the group's `missing zero` or `missing
    /// not_assessable`: items without an answer, and items not applicable (left out).
    Unanswered {
        /// The group's policy: `zero` (an unanswered item counts as no) or `not_assessable`.
        policy: &'static str,
        /// Items unanswered (any reason but `not_applicable`).
        unanswered: usize,
        /// Items not applicable.
        not_applicable: usize,
    },
}

/// A unit and its value, for statistics over the units evaluated together.
#[derive(Debug, Clone, Serialize)]
pub struct UnitValue {
    /// The unit's code.
    pub unit: String,
    /// Its value.
    pub value: Value,
}

/// A child of an aggregate with its part in the result.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// `indicator`, `area` or `standard`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Its label in the chosen language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its score (or attainment).
    pub score: Value,
    /// Its weight as declared.
    pub weight: f64,
    /// Whether it took part (present, or counted as the bottom of the scale).
    pub counted: bool,
    /// Missing, and counted as the bottom of the scale (`missing zero`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub as_bottom: bool,
    /// Its share of the weight taken into account: weight / Σ weights counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// What it adds to the result: share × score (mean); score ^ share (geometric, a factor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contribution: Option<f64>,
}

/// How a node was computed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Detail {
    /// An answer.
    Answer {
        /// The question's type.
        question_type: &'static str,
        /// The submission file.
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
    },
    /// A formula with its intermediate values (in the order they were computed).
    Formula {
        /// The formula as written.
        formula: String,
        /// The formula over labels (for the text), when it is an indicator's.
        #[serde(skip)]
        formula_words: Option<String>,
        /// The operations computed, innermost first; the last one is the node's value.
        steps: Vec<Step>,
    },
    /// A scoring rule.
    Score {
        /// The rule as written.
        rule: String,
        /// The rule in words, in the explanation's language (for the text; JSON keeps `rule`).
        #[serde(skip)]
        rule_words: String,
        /// The band or class the value fell in, in words (for the text).
        #[serde(skip)]
        band_words: Option<String>,
        /// `higher_is_better` or `lower_is_better`.
        direction: &'static str,
        /// The score scale.
        scale: [f64; 2],
        /// Where the value fell.
        placement: Placement,
        /// For `score formula(…)`: its intermediate values.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        steps: Vec<Step>,
        /// The units compared (for rules over the units evaluated together).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        units: Vec<UnitValue>,
        /// The score as the rule computed it, when `outside_scale clamp` moved it to the scale
        /// (the node's value is the clamped score).
        #[serde(skip_serializing_if = "Option::is_none")]
        clamped_from: Option<f64>,
    },
    /// An aggregate of children's scores.
    Aggregate {
        /// `mean`, `geometric` or `min`.
        method: &'static str,
        /// `reweight`, `zero` or `not_assessable`.
        policy: &'static str,
        /// For `reweight`: the share of the weight that must be present.
        #[serde(skip_serializing_if = "Option::is_none")]
        min_coverage: Option<f64>,
        /// For `reweight(min: 4 of 6)`: the number of children that must be present.
        #[serde(skip_serializing_if = "Option::is_none")]
        min_children: Option<u32>,
        /// Σ of all weights.
        total_weight: f64,
        /// Σ of the weights counted.
        counted_weight: f64,
        /// Whether children were missing and the rest re-weighted.
        reweighted: bool,
        /// How the weights were obtained (`weights …`, `aggregate bod`), in a sentence; absent for
        /// weights declared one by one.
        #[serde(skip_serializing_if = "Option::is_none")]
        weights_from: Option<String>,
        /// The children.
        children: Vec<Part>,
    },
    /// A statistic over the units evaluated together.
    UnionStatistic {
        /// `mean`, `median`, `min`, `max`, `sd`, `sum`, `count`, `rank`, `percentile`.
        statistic: &'static str,
        /// What it runs over, as written.
        operand: String,
        /// Every unit with its value (missing ones are left out of the statistic).
        units: Vec<UnitValue>,
        /// How many values were present.
        present: usize,
    },
    /// A standard's verdict.
    Standard {
        /// `standard`, `transitional` or `recommended`.
        kind: &'static str,
        /// `met`, `not_met` or `not_assessable`.
        verdict: &'static str,
        /// The requirement as written.
        #[serde(skip_serializing_if = "Option::is_none")]
        requirement: Option<String>,
        /// The requirement in words (for the text).
        #[serde(skip)]
        requirement_words: Option<String>,
        /// The value compared with the target, as judged (rounded to its precision).
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<Value>,
        /// The target.
        #[serde(skip_serializing_if = "Option::is_none")]
        target: Option<f64>,
        /// value − target.
        #[serde(skip_serializing_if = "Option::is_none")]
        gap: Option<f64>,
        /// The baseline of linear attainment.
        #[serde(skip_serializing_if = "Option::is_none")]
        baseline: Option<f64>,
        /// Attainment on the scale.
        attainment: Value,
        /// How the attainment was computed: `met` (the top of the scale), `linear` (from the
        /// baseline to the target), `levels` (by the levels attained) or `bottom`.
        attainment_rule: &'static str,
        /// The highest level attained (`none`), for graded standards.
        #[serde(skip_serializing_if = "Option::is_none")]
        level: Option<String>,
        /// Each level's condition and whether it holds.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        levels: Vec<LevelOut>,
        /// The requirement's intermediate values (for a condition that is not a simple comparison).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        steps: Vec<Step>,
    },
    /// A recommendation's condition.
    Recommendation {
        /// `applies`, `does_not_apply` or `not_assessable`.
        status: &'static str,
        /// The condition as written.
        condition: String,
        /// The condition in words (for the text).
        #[serde(skip)]
        condition_words: String,
        /// Its intermediate values.
        steps: Vec<Step>,
    },
}

/// A level of a graded standard.
#[derive(Debug, Clone, Serialize)]
pub struct LevelOut {
    /// Name.
    pub name: String,
    /// Condition as written.
    pub condition: String,
    /// The level's name in the explanation's language (for the text).
    #[serde(skip)]
    pub label: String,
    /// The condition in words (for the text).
    #[serde(skip)]
    pub words: String,
    /// Whether it holds (yes/no, or missing).
    pub holds: Value,
}

/// Where a value fell under its scoring rule (the JSON form of
/// [`crate::eval::Placement`], with the band or class as written).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Placement {
    /// Nothing to add.
    None,
    /// Goalposts.
    Goalposts {
        /// Best goalpost.
        best: f64,
        /// Worst goalpost.
        worst: f64,
        /// On logarithms.
        log: bool,
        /// How far from worst (0) to best (1), before clamping.
        fraction: f64,
    },
    /// Min-max.
    Minmax {
        /// Smallest value of the units.
        min: f64,
        /// Largest.
        max: f64,
    },
    /// z-score.
    Zscore {
        /// Mean.
        mean: f64,
        /// Sample standard deviation.
        sd: f64,
        /// z.
        z: f64,
        /// Added to z × scale.
        center: f64,
        /// Multiplies z.
        scale: f64,
    },
    /// Rank by quality.
    Rank {
        /// Rank (worst 1; best 1 when `descending`).
        rank: f64,
        /// Units ranked.
        n: usize,
        /// `order: descending`: the best unit is 1.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        descending: bool,
    },
    /// Percentile rank by quality.
    Percentile {
        /// 0–100.
        percentile: f64,
        /// Units ranked.
        n: usize,
        /// `definition: rank_over_n`: r / n × 100 (the worst 100/n, not 0).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        over_n: bool,
    },
    /// Distance to a reference.
    Distance {
        /// `mean`, `best`, `worst` or `target`.
        to: &'static str,
        /// The reference value.
        reference: f64,
        /// Ratio (or difference).
        ratio: bool,
        /// Relative difference, (x − ref) / ref (then `ratio` is false).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        relative: bool,
    },
    /// Threshold around the mean.
    Threshold {
        /// Mean.
        mean: f64,
        /// Lower edge of `within`.
        low: f64,
        /// Upper edge of `within`.
        high: f64,
        /// `above`, `within` or `below` (by quality).
        class: &'static str,
    },
    /// Percentile class.
    Categorical {
        /// Percentile rank by quality.
        percentile: f64,
        /// The class as written, if one holds it.
        #[serde(skip_serializing_if = "Option::is_none")]
        class: Option<String>,
    },
    /// Bands.
    Bands {
        /// The value as judged (rounded to its precision).
        judged: f64,
        /// The band as written (`5<..=10`), or `else`; absent when no band holds it.
        #[serde(skip_serializing_if = "Option::is_none")]
        band: Option<String>,
    },
    /// yes/no.
    Yesno {
        /// Score for yes.
        yes: f64,
        /// Score for no.
        no: f64,
    },
    /// The value is the score.
    Value,
    /// A formula.
    Formula,
}
