//! The checked methodology (stage 2's output): what every later stage uses.
//!
//! Names are resolved: questions, indicators and areas are addressed by [`Slot`]s, formulas are
//! [`Ir`] over slots, and [`Model::plan`] is the order in which `eval` computes them. Nothing after
//! the checker looks up a name in a string.

use crate::number::Rounding;
use crate::source::Span;
use indexmap::IndexMap;
use serde::Serialize;

/// A column of values: one per unit. Questions, indicator values and scores, area scores,
/// standard verdicts and hidden intermediate values each have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Slot(pub u32);

/// Texts in several languages, keyed by language code (`en`, `ru`), in declaration order.
pub type Labels = IndexMap<String, String>;

/// Why a value is missing. Missing values propagate through formulas and are reported with
/// their reason; they never turn into zero by accident.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The state did not answer the question.
    NotSubmitted,
    /// The state declared the question not applicable.
    NotApplicable,
    /// The state declared the answer confidential.
    Confidential,
    /// The answer failed validation (wrong type, out of range).
    Invalid,
    /// A division by zero.
    DivisionByZero,
    /// A function outside its domain (ln of a non-positive number, a result too large).
    Domain,
    /// A cross-unit statistic with too few values, or without spread.
    InsufficientData,
    /// An aggregate whose missing-data policy says it cannot be assessed.
    NotAssessable,
}

impl Reason {
    /// Every reason, in the order of the built-in choice list.
    pub const ALL: [Reason; 8] = [
        Reason::NotSubmitted,
        Reason::NotApplicable,
        Reason::Confidential,
        Reason::Invalid,
        Reason::DivisionByZero,
        Reason::Domain,
        Reason::InsufficientData,
        Reason::NotAssessable,
    ];

    /// The name as written in rule files, submissions and results.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotSubmitted => "not_submitted",
            Reason::NotApplicable => "not_applicable",
            Reason::Confidential => "confidential",
            Reason::Invalid => "invalid",
            Reason::DivisionByZero => "division_by_zero",
            Reason::Domain => "domain",
            Reason::InsufficientData => "insufficient_data",
            Reason::NotAssessable => "not_assessable",
        }
    }

    /// Parses a reason's name.
    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A missing value: its reason and where it arose (an index into [`Model::origins`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// Why.
    pub reason: Reason,
    /// Where it arose: an index into [`Model::origins`].
    pub origin: u32,
}

/// A value: a finite number or a missing value. Yes/no is 1/0; a choice is the option's index.
pub type Val = Result<f64, Miss>;

/// A column of values, one per unit, in 8 bytes each: a number as itself, a missing value as a
/// NaN whose payload holds its reason and origin. Values are never NaN or infinite, so every NaN
/// is a missing value and nothing is lost by packing ([`Column::get`] gives back the exact
/// [`Val`]). Half the memory of `Vec<Val>`, and kernels can read the numbers as a `&[f64]`.
#[derive(Clone, Default, PartialEq)]
pub struct Column(Vec<f64>);

/// The NaN bits a missing value is packed into: quiet NaN, the reason in bits 32–34, the origin
/// in bits 0–31.
const MISS_TAG: u64 = 0x7FF8_0000_0000_0000;

/// What reading past the end of a column gives: a slot not computed is not assessable.
const UNASSESSED: Val = Err(Miss { reason: Reason::NotAssessable, origin: 0 });

impl Column {
    /// `n` copies of `v`.
    pub fn filled(v: Val, n: usize) -> Column {
        Column(vec![Column::pack(v); n])
    }

    /// A value as stored.
    #[inline]
    pub fn pack(v: Val) -> f64 {
        match v {
            Ok(x) => {
                debug_assert!(x.is_finite(), "a value is finite: {x}");
                x
            }
            Err(m) => f64::from_bits(MISS_TAG | ((m.reason as u64) << 32) | u64::from(m.origin)),
        }
    }

    /// A stored value.
    #[inline]
    pub fn unpack(x: f64) -> Val {
        if x.is_nan() {
            let bits = x.to_bits();
            Err(Miss { reason: Reason::ALL[((bits >> 32) & 7) as usize], origin: bits as u32 })
        } else {
            Ok(x)
        }
    }

    /// The value of unit `u` (past the end: not assessable).
    #[inline]
    pub fn get(&self, u: usize) -> Val {
        match self.0.get(u) {
            Some(x) => Column::unpack(*x),
            None => UNASSESSED,
        }
    }

    /// Sets the value of unit `u` (which must exist).
    #[inline]
    pub fn set(&mut self, u: usize, v: Val) {
        if let Some(x) = self.0.get_mut(u) {
            *x = Column::pack(v);
        }
    }

    /// The number of units.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the column has no units.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values in unit order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Val> + '_ {
        self.0.iter().map(|x| Column::unpack(*x))
    }

    /// The stored numbers: a NaN is a missing value ([`Column::unpack`] says which).
    pub fn raw(&self) -> &[f64] {
        &self.0
    }

    /// A column of stored numbers, as [`Column::raw`] gives them.
    pub fn from_raw(raw: Vec<f64>) -> Column {
        Column(raw)
    }

    /// The values as a vector.
    pub fn to_vals(&self) -> Vec<Val> {
        self.iter().collect()
    }
}

impl FromIterator<Val> for Column {
    fn from_iter<I: IntoIterator<Item = Val>>(iter: I) -> Column {
        Column(iter.into_iter().map(Column::pack).collect())
    }
}

impl<'a> IntoIterator for &'a Column {
    type Item = Val;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, f64>, fn(&f64) -> Val>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|x| Column::unpack(*x))
    }
}

impl From<Vec<Val>> for Column {
    fn from(v: Vec<Val>) -> Column {
        // a new allocation of the right size: `into_iter().collect()` would reuse the vector's,
        // twice as large as the column needs
        v.iter().copied().collect()
    }
}

impl std::fmt::Debug for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Where a missing value can arise: an answer, or an operation in a formula.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// The slot whose computation holds the operation.
    pub slot: Slot,
    /// The operation's place in the rule files.
    #[serde(skip)]
    pub span: Span,
    /// The operation as written (`q23_2_origin_paid / q23_2_origin_assessed`), for messages
    /// that explain a missing value without the rule files at hand.
    #[serde(skip)]
    pub text: String,
}

/// A question's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// Any number.
    Number,
    /// A whole number ≥ 0.
    Count,
    /// Percentage points, 0–100 unless a range says otherwise.
    Percent,
    /// Hours ≥ 0.
    Hours,
    /// An amount of money ≥ 0.
    Money,
    /// yes or no.
    YesNo,
    /// One of the declared options.
    Choice(Vec<ChoiceOption>),
}

impl QuestionType {
    /// The type's name as written.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionType::Number => "number",
            QuestionType::Count => "count",
            QuestionType::Percent => "percent",
            QuestionType::Hours => "hours",
            QuestionType::Money => "money",
            QuestionType::YesNo => "yesno",
            QuestionType::Choice(_) => "choice",
        }
    }
}

/// An option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceOption {
    /// The option's id, as answered and as written in formulas (`"council"`).
    pub id: String,
    /// Its labels.
    pub labels: Labels,
}

/// An inclusive or exclusive bound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bound {
    /// The value.
    pub value: f64,
    /// Whether the value itself is inside.
    pub inclusive: bool,
}

/// A range of numbers with explicit edges.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct NumRange {
    /// Lower bound.
    pub lo: Option<Bound>,
    /// Upper bound.
    pub hi: Option<Bound>,
}

impl NumRange {
    /// Whether `x` is in the range.
    pub fn contains(&self, x: f64) -> bool {
        let lo = self.lo.is_none_or(|b| if b.inclusive { x >= b.value } else { x > b.value });
        let hi = self.hi.is_none_or(|b| if b.inclusive { x <= b.value } else { x < b.value });
        lo && hi
    }

    /// The range as written (`0..=100`, `1..`).
    pub fn display(&self) -> String {
        use crate::number::shortest;
        let lo = self.lo.map(|b| shortest(b.value)).unwrap_or_default();
        let hi = self.hi.map(|b| shortest(b.value)).unwrap_or_default();
        let op = match (self.lo.is_some_and(|b| !b.inclusive), self.hi.is_some_and(|b| b.inclusive)) {
            (false, false) => "..",
            (false, true) => "..=",
            (true, false) => "<..",
            (true, true) => "<..=",
        };
        format!("{lo}{op}{hi}")
    }
}

/// One question of the questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// Stable id (`q05_import_release_hours`).
    pub id: String,
    /// Labels per language.
    pub labels: Labels,
    /// Help text per language.
    pub help: Labels,
    /// Type.
    #[serde(rename = "type")]
    pub ty: QuestionType,
    /// Unit as displayed (`h`, `%`, `USD`); empty for none.
    pub unit: String,
    /// The unit's label per language (`unit en "h" ru "ч"`); empty when written `unit "h"`.
    #[serde(skip_serializing_if = "Labels::is_empty")]
    pub unit_labels: Labels,
    /// Valid range for numbers.
    pub range: NumRange,
    /// Whether an answer is required.
    pub required: bool,
    /// The group the question belongs to, if any.
    pub group: Option<String>,
    /// The value column.
    pub slot: Slot,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// A group of questions that formulas can count over (`count(auto)`, `share(auto)`).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Id.
    pub id: String,
    /// Labels.
    pub labels: Labels,
    /// Member questions' ids in order.
    pub questions: Vec<String>,
    /// What `count` and `share` over the group do with an unanswered item (`None`: not declared,
    /// [`Unanswered::Skip`]'s behaviour).
    pub missing: Option<Unanswered>,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// What `count(group)` and `share(group)` do with an item that has no answer (`missing …` in a
/// group). An item declared not applicable is left out under every policy but `skip`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unanswered {
    /// `missing reweight`: `share` is taken among the answered items only, `count` is missing
    /// when an item is (the behaviour without a declaration).
    Skip,
    /// `missing zero`: an unanswered item counts as `no`; a not-applicable one is left out.
    Zero,
    /// `missing not_assessable`: an unanswered item makes `count` and `share` missing (with the
    /// item's reason); a not-applicable one is left out.
    NotAssessable,
}

/// Higher or lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (default).
    HigherIsBetter,
    /// Less is better.
    LowerIsBetter,
}

/// How ties are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ties {
    /// Tied units all get the best (smallest) rank of the tie: 1, 1, 3 (default; as sports tables).
    Min,
    /// Tied units all get the worst rank: 2, 2, 3.
    Max,
    /// Tied units get the mean of their ranks: 1.5, 1.5, 3.
    Average,
}

/// The reference of a distance score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// The mean of the units evaluated together.
    Mean,
    /// The best unit's value.
    Best,
    /// The worst unit's value.
    Worst,
    /// A fixed target.
    Target(f64),
}

/// How a distance score compares a value with its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceKind {
    /// `as: ratio` (default): x / ref × scale top (ref / x × top if lower is better).
    Ratio,
    /// `as: difference`: x − ref (ref − x if lower is better).
    Difference,
    /// `as: relative`: (x − ref) / ref × scale top ((ref − x) / ref × top if lower is better),
    /// the Handbook's relative distance to a reference (2008, section 5, table 14).
    Relative,
}

impl DistanceKind {
    /// The kind as written after `as:`.
    pub fn text(self) -> &'static str {
        match self {
            DistanceKind::Ratio => "ratio",
            DistanceKind::Difference => "difference",
            DistanceKind::Relative => "relative",
        }
    }
}

impl Reference {
    /// As written in a rule file: `mean`, `best`, `worst`, or the target (`24`).
    pub fn written(self) -> String {
        match self {
            Reference::Mean => "mean".into(),
            Reference::Best => "best".into(),
            Reference::Worst => "worst".into(),
            Reference::Target(t) => crate::number::shortest(t),
        }
    }
}

/// A scoring rule: raw value → score on the methodology's scale.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum ScoreRule {
    /// `(x - worst) / (best - worst)` clamped to 0..1, times the scale; on ln values with `log`.
    Goalposts {
        /// The value that scores the top of the scale.
        best: f64,
        /// The value that scores the bottom.
        worst: f64,
        /// Use natural logarithms of value and goalposts.
        log: bool,
    },
    /// `(x - min) / (max - min)` over the units evaluated together (flipped if lower is better).
    MinMax,
    /// `(x - mean) / sd` with the sample sd, then `center + z * scale`.
    ZScore {
        /// Added to z.
        center: f64,
        /// Multiplies z.
        scale: f64,
    },
    /// Rank among the units: ascending (default) worst = 1, best = n; descending best = 1,
    /// worst = n (a league table's position).
    Rank {
        /// Tie rule.
        ties: Ties,
        /// `order: descending`: the best unit is 1.
        descending: bool,
    },
    /// Percentile rank r by quality: `(r - 1) / (n - 1)` (default, ties averaged) or, with
    /// `definition: rank_over_n`, the Handbook's `r / n`; times the scale, worst = bottom.
    Percentile {
        /// `definition: rank_over_n`: r / n instead of (r − 1)/(n − 1).
        over_n: bool,
        /// Tie rule for r (default: averaged).
        ties: Ties,
    },
    /// Ratio to, difference from, or relative difference from a reference.
    Distance {
        /// What to compare with.
        to: Reference,
        /// `ratio`, `difference` or `relative`.
        how: DistanceKind,
    },
    /// Above / within / below the mean ± p %.
    Threshold {
        /// p, in percent of the mean.
        p: f64,
        /// Score above.
        above: f64,
        /// Score within.
        within: f64,
        /// Score below.
        below: f64,
    },
    /// Percentile classes → scores.
    Categorical {
        /// Percentile range → score.
        classes: Vec<(NumRange, f64)>,
    },
    /// Value ranges → scores (the value rounded to its display precision first).
    Bands {
        /// Range → score.
        bands: Vec<(NumRange, f64)>,
        /// Score for values outside every band.
        otherwise: Option<f64>,
    },
    /// yes → `yes`, no → `no`.
    YesNo {
        /// Score for yes.
        yes: f64,
        /// Score for no.
        no: f64,
    },
    /// The value is the score.
    Value,
    /// A formula of `value` (and anything else).
    Formula {
        /// The compiled formula; `value` reads the indicator's value slot.
        #[serde(skip)]
        ir: Ir,
        /// As written.
        text: String,
    },
}

impl ScoreRule {
    /// The rule's name as written.
    pub fn name(&self) -> &'static str {
        match self {
            ScoreRule::Goalposts { .. } => "goalposts",
            ScoreRule::MinMax => "minmax",
            ScoreRule::ZScore { .. } => "zscore",
            ScoreRule::Rank { .. } => "rank",
            ScoreRule::Percentile { .. } => "percentile",
            ScoreRule::Distance { .. } => "distance",
            ScoreRule::Threshold { .. } => "threshold",
            ScoreRule::Categorical { .. } => "categorical",
            ScoreRule::Bands { .. } => "bands",
            ScoreRule::YesNo { .. } => "yesno",
            ScoreRule::Value => "value",
            ScoreRule::Formula { .. } => "formula",
        }
    }
}

/// How missing values of an indicator are filled before it is scored (never in its reported value).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum Imputation {
    /// Missing stays missing.
    None,
    /// The mean of the units evaluated together.
    Mean,
    /// The median of the units evaluated together.
    Median,
    /// The mean of the units in the same group (from the submissions' `groups`).
    GroupMean {
        /// The group key (`EurAsia_group`).
        by: String,
    },
    /// The median of the units in the same group.
    GroupMedian {
        /// The group key.
        by: String,
    },
    /// The unit's value in the latest earlier period that has one (carried forward).
    Previous,
    /// A formula, evaluated for the unit.
    Formula {
        /// Compiled.
        #[serde(skip)]
        ir: Ir,
        /// As written.
        text: String,
    },
}

impl Imputation {
    /// The method's name as written.
    pub fn name(&self) -> &'static str {
        match self {
            Imputation::None => "none",
            Imputation::Mean => "mean",
            Imputation::Median => "median",
            Imputation::GroupMean { .. } => "group_mean",
            Imputation::GroupMedian { .. } => "group_median",
            Imputation::Previous => "previous",
            Imputation::Formula { .. } => "formula",
        }
    }
}

/// Outlier treatment of an indicator's values before scoring.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum Treatment {
    /// No treatment.
    None,
    /// COINr's rule: while |skewness| ≥ `skew` and kurtosis ≥ `kurtosis`, replace the most
    /// extreme point (on the side of the skew) by the next one, up to `points` points.
    Winsorise {
        /// The most points winsorised.
        points: u32,
        /// Absolute skewness threshold.
        skew: f64,
        /// Kurtosis threshold.
        kurtosis: f64,
    },
    /// Natural logarithm of every value (values must be positive).
    Log,
}

/// The choices a sensitivity analysis varies (`uncertainty { vary … }`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Uncertainty {
    /// The uncertain factors, in declaration order.
    pub factors: Vec<Factor>,
}

/// One uncertain choice.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "factor")]
pub enum Factor {
    /// `vary weights by 25%`: every weight multiplied by a factor drawn uniformly in [1 − by, 1 + by].
    Weights {
        /// The relative half-width (0.25).
        by: f64,
    },
    /// `vary weight facilitation in 0.5..=2`: one node's weight drawn uniformly in the range.
    Weight {
        /// The indicator or area.
        node: String,
        /// Lowest weight.
        lo: f64,
        /// Highest weight.
        hi: f64,
    },
    /// `vary aggregate among mean, geometric`: every area's method drawn among these.
    Aggregate {
        /// The alternatives.
        among: Vec<Aggregation>,
    },
    /// `vary score among declared, minmax, zscore`: every scored indicator's rule drawn among
    /// these (`None` = as declared).
    Score {
        /// The alternatives.
        among: Vec<Option<ScoreRule>>,
    },
    /// `vary impute among none, mean, group_mean(by: g)`: every indicator's imputation drawn
    /// among these (`None` = as declared).
    Impute {
        /// The alternatives.
        among: Vec<Option<Imputation>>,
    },
    /// `vary drop_one`: one indicator (or none) left out of its area.
    DropOne,
}

impl Factor {
    /// A short name for reports (`weights`, `weight facilitation`, `aggregate`, …).
    pub fn name(&self) -> String {
        match self {
            Factor::Weights { .. } => "weights".into(),
            Factor::Weight { node, .. } => format!("weight {node}"),
            Factor::Aggregate { .. } => "aggregate".into(),
            Factor::Score { .. } => "score".into(),
            Factor::Impute { .. } => "impute".into(),
            Factor::DropOne => "drop_one".into(),
        }
    }
}

/// `screen(min: 90%)`: which units are evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Screen {
    /// The least share (0–1) of scored indicators a unit must have.
    pub min: f64,
    /// Count the values after imputation (`on: imputed`, as COINr's `build_example_coin()`),
    /// rather than the values as computed from the answers (`on: values`, the default).
    pub imputed: bool,
}

/// An indicator: a formula, its unit and precision, and how it is scored and weighted.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Id.
    pub id: String,
    /// Labels.
    pub labels: Labels,
    /// Notes (rationale, source) per language.
    pub notes: Labels,
    /// Source of the scoring rule, as written.
    pub source: Option<String>,
    /// The formula as written.
    pub formula_text: String,
    /// Unit as displayed.
    pub unit: String,
    /// The unit's label per language (`unit en "h" ru "ч"`); empty when written `unit "h"`.
    #[serde(skip_serializing_if = "Labels::is_empty")]
    pub unit_labels: Labels,
    /// Decimals shown and judged.
    pub precision: u32,
    /// Higher or lower is better.
    pub direction: Direction,
    /// How the value becomes a score.
    pub score: Option<ScoreRule>,
    /// Weight in its area.
    pub weight: f64,
    /// The area it belongs to, if any.
    pub area: Option<String>,
    /// Declared `reported_only`: scored and reported, deliberately aggregated nowhere.
    pub reported_only: bool,
    /// Whether the value is yes/no.
    pub boolean: bool,
    /// How missing values are filled before scoring.
    pub impute: Imputation,
    /// Outlier treatment before scoring.
    pub treat: Treatment,
    /// The value column.
    pub value: Slot,
    /// The imputed values, when `impute` is declared.
    pub imputed: Option<Slot>,
    /// The treated values, when `treat` is declared.
    pub treated: Option<Slot>,
    /// What the scoring rule reads: the treated, else the imputed, else the value column.
    pub score_input: Slot,
    /// The score column.
    pub score_slot: Slot,
    /// What happens to a score outside the scale: the indicator's `outside_scale`, else the
    /// header's, else [`OutsideScale::Warn`].
    pub outside_scale: OutsideScale,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// What happens to a score outside the methodology's scale (`outside_scale …`), whatever the
/// scoring rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutsideScale {
    /// Kept as computed, with one warning `tamga::eval::scale` per state and indicator (the default).
    #[default]
    Warn,
    /// Moved to the nearest end of the scale; each clamping is recorded (`tamga::eval::clamped`)
    /// and shown by `explain`.
    Clamp,
    /// Kept as computed, without a warning: the methodology means it (ranks 1..n on a 0..1 scale).
    Allow,
}

impl OutsideScale {
    /// Parses the word.
    pub fn parse(s: &str) -> Option<OutsideScale> {
        match s {
            "warn" => Some(OutsideScale::Warn),
            "clamp" => Some(OutsideScale::Clamp),
            "allow" => Some(OutsideScale::Allow),
            _ => None,
        }
    }
}

/// How an area combines its children's scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted arithmetic mean (default).
    Mean,
    /// Weighted geometric mean (0 if any child scores 0; negative scores are a domain error).
    Geometric,
    /// The smallest child score (weights ignored).
    Min,
    /// Weighted harmonic mean Σw / Σ(w/s) (0 if any score is 0).
    Harmonic,
    /// Weighted generalised (power) mean (Σw·sᵖ / Σw)^(1/p).
    Power(f64),
    /// Benefit of the doubt (`aggregate bod`): each unit's weighted sum under the weights most
    /// favourable to it, found by linear programming, every unit's sum under them at most 1
    /// (Cherchye et al. 2007; OECD/JRC Handbook, 2008, section 6.1.3); on the methodology's scale.
    /// Declared weights are not used.
    Bod {
        /// The least share of the unit's own sum each child must carry (`min_share: 5%`).
        min_share: Option<f64>,
        /// The greatest share (`max_share: 50%`).
        max_share: Option<f64>,
    },
    /// Copeland's score (COINr's `a_copeland`): over every other unit, +1 when the children that
    /// prefer this unit weigh more than half, −1 when less, 0 when even. Needs every unit's
    /// children at once.
    Copeland,
    /// The Kemeny–Young ranking (Condorcet-consistent): the order of the units that agrees with
    /// the most weighted pairwise preferences of the children; the value is n + 1 − place (the
    /// first n, the last 1). Needs every unit's children at once; exact up to
    /// `eval::composite::KEMENY_MAX_UNITS` units.
    Kemeny,
}

impl Aggregation {
    /// Whether the method ranks the units against each other (it needs every unit's children at
    /// once), rather than combining one unit's children.
    pub fn across_units(self) -> bool {
        matches!(self, Aggregation::Copeland | Aggregation::Kemeny)
    }

    /// The method as written after `aggregate`.
    pub fn text(self) -> String {
        match self {
            Aggregation::Mean => "mean".into(),
            Aggregation::Geometric => "geometric".into(),
            Aggregation::Min => "min".into(),
            Aggregation::Harmonic => "harmonic".into(),
            Aggregation::Power(p) => format!("power(p: {})", crate::number::shortest(p)),
            Aggregation::Copeland => "copeland".into(),
            Aggregation::Kemeny => "kemeny".into(),
            Aggregation::Bod { min_share, max_share } => bod_text(min_share, max_share),
        }
    }
}

/// `bod`, `bod(min_share: 0.05, max_share: 0.5)`: the aggregation as written.
pub fn bod_text(min_share: Option<f64>, max_share: Option<f64>) -> String {
    let mut args = vec![];
    if let Some(x) = min_share {
        args.push(format!("min_share: {}", crate::number::shortest(x)));
    }
    if let Some(x) = max_share {
        args.push(format!("max_share: {}", crate::number::shortest(x)));
    }
    if args.is_empty() {
        "bod".into()
    } else {
        format!("bod({})", args.join(", "))
    }
}

/// How an area's children's weights were obtained (`weights …` in the area).
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum WeightsFrom {
    /// Each child's `weight` (1 by default).
    #[default]
    Declared,
    /// `weights equal`: every child 1.
    Equal,
    /// `weights budget(100) { a: 40, b: 60 }`: points per child out of a budget; weight = points /
    /// budget.
    Budget {
        /// The budget.
        budget: f64,
        /// Each child's points, in the order of the children.
        points: Vec<f64>,
    },
    /// `weights ahp { a vs b: 3, … }`: Saaty's analytic hierarchy process.
    Ahp(Ahp),
    /// `weights pca`: from the period's data by principal components (OECD/JRC Handbook, section
    /// 6.1); the children's declared weights are not used. Computed per period by `eval`.
    Pca,
}

/// The analytic hierarchy process of an area's children: the pairwise comparison matrix, its
/// principal eigenvector (the weights) and its consistency.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Ahp {
    /// `matrix[i][j]`: how many times child i is as important as child j (reciprocal).
    pub matrix: Vec<Vec<f64>>,
    /// The principal eigenvector, summing to 1: the weights.
    pub weights: Vec<f64>,
    /// The principal eigenvalue λmax.
    pub lambda_max: f64,
    /// The consistency index CI = (λmax − n)/(n − 1) (0 for n ≤ 2).
    pub ci: f64,
    /// Saaty's random index RI for n children (0 for n ≤ 2).
    pub ri: f64,
    /// The consistency ratio CR = CI / RI (0 for n ≤ 2): above 0.1, the comparisons are
    /// inconsistent enough to revise (warning `tamga::check::ahp`).
    pub cr: f64,
}

/// What an area does when a child's score is missing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "policy")]
pub enum MissingPolicy {
    /// Aggregate over the present children, re-weighted, if they reach the threshold `min`.
    Reweight {
        /// How many children (or how much of the weight) must be present.
        min: Threshold,
    },
    /// A missing child counts as the bottom of the scale.
    Zero,
    /// Any missing child makes the area not assessable.
    NotAssessable,
    /// `zero(not_applicable: reweight)`: a child declared not applicable (its value missing with
    /// the reason `not_applicable`) is re-weighted away; any other missing child counts as the
    /// bottom of the scale, so leaving a child out never raises the aggregate.
    ZeroExceptNotApplicable,
    /// `not_assessable(not_applicable: reweight)`: a child declared not applicable is
    /// re-weighted away; any other missing child makes the area not assessable.
    NotAssessableExceptNotApplicable,
}

impl MissingPolicy {
    /// Whether a missing child can be left out and the others re-weighted (the value then
    /// carries its coverage).
    pub fn reweights(self) -> bool {
        !matches!(self, MissingPolicy::Zero | MissingPolicy::NotAssessable)
    }

    /// The policy as written in a rule file.
    pub fn text(self) -> &'static str {
        match self {
            MissingPolicy::Reweight { .. } => "reweight",
            MissingPolicy::Zero => "zero",
            MissingPolicy::NotAssessable => "not_assessable",
            MissingPolicy::ZeroExceptNotApplicable => "zero(not_applicable: reweight)",
            MissingPolicy::NotAssessableExceptNotApplicable => "not_assessable(not_applicable: reweight)",
        }
    }
}

/// The threshold of `missing reweight(min: …)`: what must be present for an area to be assessed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "counts", content = "min")]
pub enum Threshold {
    /// `min: 2/3 of weight` (or a bare `min: 2/3`): the share (0–1) of the total weight present.
    Weight(f64),
    /// `min: 4 of 6`: the number of children present (the 6 must be the number declared).
    Children(u32),
}

impl Threshold {
    /// No threshold: one child present (with a positive weight) is enough.
    pub const NONE: Threshold = Threshold::Weight(0.0);

    /// Whether `present` of `total` children, carrying `present_w` of the weight `total_w`, reach it.
    pub fn reached(self, present: usize, present_w: f64, total_w: f64) -> bool {
        match self {
            // a little slack for weights such as 0.1 + 0.2 that do not add up exactly in binary
            Threshold::Weight(share) => total_w > 0.0 && present_w / total_w + 1e-12 >= share,
            Threshold::Children(k) => present >= k as usize,
        }
    }

    /// For a weight share: the fewest and the most children that must be present to reach it,
    /// depending on which are missing (`None` for a count of children, or when it cannot be reached).
    pub fn children_needed(self, weights: &[f64]) -> Option<(usize, usize)> {
        let Threshold::Weight(_) = self else { return None };
        let mut w: Vec<f64> = weights.iter().map(|w| w.max(0.0)).collect();
        let total: f64 = w.iter().sum();
        let needed = |sorted: &[f64]| {
            let mut acc = 0.0;
            for (k, x) in sorted.iter().enumerate() {
                acc += x;
                if acc > 0.0 && self.reached(k + 1, acc, total) {
                    return Some(k + 1);
                }
            }
            None
        };
        w.sort_by(|a, b| b.total_cmp(a));
        let fewest = needed(&w)?;
        w.reverse();
        let most = needed(&w)?;
        Some((fewest, most))
    }
}

/// A child of an area.
#[derive(Debug, Clone, Serialize)]
pub struct Child {
    /// `indicator` or `area`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Score column.
    pub slot: Slot,
    /// Weight.
    pub weight: f64,
}

/// A node of the hierarchy: an area, a sub-area, or the index (the root).
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    /// Id.
    pub id: String,
    /// Labels.
    pub labels: Labels,
    /// Weight in the parent.
    pub weight: f64,
    /// Aggregation method.
    pub aggregate: Aggregation,
    /// How the children's weights were obtained (`weights …`; declared one by one by default).
    pub weights_from: WeightsFrom,
    /// Missing-data policy.
    pub missing: MissingPolicy,
    /// Children in declaration order.
    pub children: Vec<Child>,
    /// The parent area (none for the index).
    pub parent: Option<String>,
    /// Depth: 0 for the index, 1 for top-level areas.
    pub depth: u32,
    /// Score column.
    pub slot: Slot,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// The kind of a standard, as in the WCO Revised Kyoto Convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardKind {
    /// A standard.
    Standard,
    /// A transitional standard.
    Transitional,
    /// A recommended practice.
    Recommended,
}

/// A level of a graded standard.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    /// Name (`basic`, `advanced`, `leading`).
    pub name: String,
    /// The condition as written.
    pub text: String,
}

/// A numbered standard of the Code of Customs Standards.
#[derive(Debug, Clone, Serialize)]
pub struct Standard {
    /// Code (`TF-1`).
    pub code: String,
    /// Labels.
    pub labels: Labels,
    /// Notes (rationale) per language, shown beside the standard in reports.
    pub notes: Labels,
    /// Where the standard comes from, as written.
    pub source: Option<String>,
    /// Chapter code.
    pub chapter: Option<String>,
    /// Kind.
    pub kind: StandardKind,
    /// The requirement as written.
    pub requires_text: String,
    /// The target of a simple comparison requirement (`x <= 24` → 24).
    pub target: Option<f64>,
    /// The value at which attainment is 0.
    pub baseline: Option<f64>,
    /// Levels from lowest to highest.
    pub levels: Vec<Level>,
    /// yes/no column: met.
    pub met: Slot,
    /// Column: the index of the highest level attained (0 = none), if levels are declared.
    pub level: Slot,
    /// Column: attainment on the scale.
    pub attainment: Slot,
    /// Column: the value compared with the target, if the requirement is a simple comparison.
    pub value: Option<Slot>,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// A chapter of the Code.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    /// Code.
    pub code: String,
    /// Labels.
    pub labels: Labels,
    /// Standards' codes in order.
    pub standards: Vec<String>,
    /// Column: the mean attainment of its standards.
    pub score: Slot,
}

/// A recommendation for aligning practice.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    /// Id.
    pub id: String,
    /// Text per language.
    pub labels: Labels,
    /// The condition as written.
    pub when_text: String,
    /// yes/no column: the condition holds.
    pub slot: Slot,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// How a violated consistency rule is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The answers it names become `invalid` (the default): what is computed from them is not
    /// assessable, and `validate`/`eval` report an error.
    Error,
    /// Reported only: the answers keep their values.
    Warning,
}

impl Severity {
    /// The word as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A consistency rule between answers: `require srv_rendered <= srv_established { … }`.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Its id: the one declared (`require srv_rendered_within_established: …`), or the condition as written.
    pub id: String,
    /// Labels (what the rule says, for a reader).
    pub labels: Labels,
    /// The condition as written.
    pub text: String,
    /// Error (the answers become invalid) or warning (reported only).
    pub severity: Severity,
    /// The condition, over the questions' answers only.
    #[serde(skip)]
    pub ir: Ir,
    /// The questions it names, as indices into [`Model::questions`], in the order written.
    pub questions: Vec<usize>,
    /// yes/no column: the verdict per unit (missing when an answer it names is missing).
    pub slot: Slot,
    /// The origin given to the answers it invalidates ([`Model::origins`]).
    pub origin: u32,
    /// The origin given to the answers it cannot verify: an `error` rule that cannot be judged
    /// because an answer it names is missing (not submitted, confidential, invalid) makes the
    /// other answers it names invalid too, so that leaving one answer out never rescues the
    /// others from the rule (omission never pays). A named answer declared not applicable
    /// leaves the rule not judged and the others as they are.
    pub unverified_origin: u32,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Span,
}

/// What a slot holds, for traces and messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum SlotKind {
    /// A question's answer.
    Question(String),
    /// An indicator's value.
    Value(String),
    /// An indicator's score.
    Score(String),
    /// An area's (or the index's) score.
    Area(String),
    /// A standard: met.
    Met(String),
    /// A standard: level.
    Level(String),
    /// A standard: attainment.
    Attainment(String),
    /// A standard: the value compared with its target.
    StandardValue(String),
    /// A chapter's score.
    Chapter(String),
    /// The whole Code's score.
    Code,
    /// A recommendation's condition.
    Recommend(String),
    /// An intermediate value (the operand of a cross-unit function).
    Hidden(String),
    /// A consistency rule's verdict (`require …`): yes when the answers agree with it.
    Rule(String),
}

/// Functions of one unit's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Func {
    /// smallest argument
    Min,
    /// largest argument
    Max,
    /// clamp(x, lo, hi)
    Clamp,
    /// |x|
    Abs,
    /// round(x, digits) with the methodology's mode
    Round,
    /// round(x, digits) half to even
    RoundHalfEven,
    /// natural log
    Ln,
    /// e^x
    Exp,
    /// square root
    Sqrt,
    /// pow(x, y)
    Pow,
    /// sum of arguments (missing propagates)
    Sum,
    /// mean of arguments (missing propagates)
    Mean,
    /// number of arguments that are yes / present
    Count,
    /// share (%) of yes among the arguments that are present
    Share,
    /// number of arguments that are present
    Answered,
    /// `count(group)` under the group's declared [`Unanswered`] policy.
    GroupCount(Unanswered),
    /// `share(group)` under the group's declared [`Unanswered`] policy.
    GroupShare(Unanswered),
    /// a missing value with this reason (`missing("not_applicable")`)
    Missing(Reason),
}

/// Cross-unit functions over the units evaluated together in one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnOp {
    /// mean of present values
    Mean,
    /// median of present values
    Median,
    /// smallest present value
    Min,
    /// largest present value
    Max,
    /// sample standard deviation (n − 1)
    Sd,
    /// sum of present values
    Sum,
    /// number of present values
    Count,
    /// rank, largest = 1
    Rank(Ties),
    /// percentile rank 0–100, largest = 100
    Percentile,
}

/// The compiled form of a formula: an expression tree over slots, with names resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Ir {
    /// A constant.
    Const(f64),
    /// A slot's value for the current unit.
    Slot(Slot),
    /// A slot's value rounded to `digits` (what is published is what is judged).
    Rounded(Slot, u32),
    /// Round an intermediate value (a cross-unit statistic in a condition) to `digits`.
    RoundExpr(Box<Ir>, u32),
    /// `-x`
    Neg(Box<Ir>),
    /// `not x` (Kleene: not missing = missing)
    Not(Box<Ir>),
    /// Arithmetic; the u32 is the origin of a division by zero or domain error.
    Arith(ArithOp, Box<Ir>, Box<Ir>, u32),
    /// Comparison.
    Cmp(CmpOp, Box<Ir>, Box<Ir>),
    /// `and` (Kleene: no and missing = no).
    And(Box<Ir>, Box<Ir>),
    /// `or` (Kleene: yes or missing = yes).
    Or(Box<Ir>, Box<Ir>),
    /// `a ?? b`
    Coalesce(Box<Ir>, Box<Ir>),
    /// `is_missing(x)` or `is_missing(x, "reason")`
    IsMissing(Box<Ir>, Option<Reason>),
    /// `missing_reason(x)`: the reason's index in [`Reason::ALL`], or 8 ("present") if present.
    MissingReason(Box<Ir>),
    /// `if c then a else b`
    If(Box<Ir>, Box<Ir>, Box<Ir>),
    /// A function; the u32 is the origin of a domain error.
    Call(Func, Vec<Ir>, u32),
    /// `bands(x) { … }`; the u32 is the origin of "outside every band".
    Bands(Box<Ir>, Vec<(NumRange, Ir)>, Option<Box<Ir>>, u32),
    /// `match(q) { … }` on option indices; the u32 is the origin of "no arm matched".
    Match(Box<Ir>, Vec<(Vec<u32>, Ir)>, Option<Box<Ir>>, u32),
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    /// +
    Add,
    /// −
    Sub,
    /// ×
    Mul,
    /// ÷
    Div,
    /// ^
    Pow,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    /// <
    Lt,
    /// <=
    Le,
    /// >
    Gt,
    /// >=
    Ge,
    /// ==
    Eq,
    /// !=
    Ne,
}

/// One step of the evaluation plan, computed for all units of a period before the next.
#[derive(Debug, Clone)]
pub enum Step {
    /// Fill a question's column from the submissions.
    Input {
        /// The column.
        slot: Slot,
        /// Index into [`Model::questions`].
        question: usize,
    },
    /// A formula per unit.
    Formula {
        /// The column.
        slot: Slot,
        /// The formula.
        ir: Ir,
    },
    /// A cross-unit function of another column.
    Column {
        /// The column.
        slot: Slot,
        /// The function.
        op: ColumnOp,
        /// Its operand's column.
        src: Slot,
        /// Origin for "insufficient data".
        origin: u32,
    },
    /// An indicator's score.
    Score {
        /// The score column.
        slot: Slot,
        /// Index into [`Model::indicators`].
        indicator: usize,
        /// Origin for missing scores that arise here.
        origin: u32,
    },
    /// An indicator's values with missing ones imputed.
    Impute {
        /// The imputed column.
        slot: Slot,
        /// Index into [`Model::indicators`].
        indicator: usize,
        /// The column imputed.
        src: Slot,
        /// Origin for values that stay missing.
        origin: u32,
    },
    /// An indicator's values after outlier treatment.
    Treat {
        /// The treated column.
        slot: Slot,
        /// Index into [`Model::indicators`].
        indicator: usize,
        /// The column treated.
        src: Slot,
        /// Origin for values that cannot be treated (log of a non-positive value).
        origin: u32,
    },
    /// An area's (or the index's, or a chapter's) aggregate.
    Aggregate {
        /// The column.
        slot: Slot,
        /// Children's columns and weights.
        children: Vec<(Slot, f64)>,
        /// Method.
        method: Aggregation,
        /// Missing-data policy.
        policy: MissingPolicy,
        /// Origin for "not assessable".
        origin: u32,
    },
}

/// The methodology's header.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// Id.
    pub id: String,
    /// Version as written.
    pub version: String,
    /// Title per language.
    pub title: Labels,
    /// Bottom and top of the score scale.
    pub scale: (f64, f64),
    /// Default display precision of values.
    pub precision: u32,
    /// Display precision of scores.
    pub score_precision: u32,
    /// Rounding mode.
    pub rounding: Rounding,
    /// Declared languages.
    pub languages: Vec<String>,
    /// What a unit is called (`state`, `государство`).
    pub unit_name: Labels,
    /// The order of the units in every output (`units AM, BY, KZ, KG, RU`); units not listed
    /// come after them, by code.
    pub units: Vec<String>,
}

impl Header {
    /// Where a unit stands in the declared order: its place in `units`, then the rest by code.
    pub fn unit_rank<'a>(&self, code: &'a str) -> (usize, &'a str) {
        (self.units.iter().position(|u| u == code).unwrap_or(self.units.len()), code)
    }
}

/// A checked, compiled methodology.
#[derive(Debug, Clone)]
pub struct Model {
    /// Header.
    pub header: Header,
    /// Questions in declaration order.
    pub questions: IndexMap<String, Question>,
    /// Question groups.
    pub groups: IndexMap<String, Group>,
    /// Indicators in declaration order.
    pub indicators: IndexMap<String, Indicator>,
    /// Areas in declaration order; the index first.
    pub areas: IndexMap<String, Area>,
    /// The index's id (the root of [`Model::areas`]).
    pub index: String,
    /// Chapters.
    pub chapters: IndexMap<String, Chapter>,
    /// Standards in declaration order.
    pub standards: IndexMap<String, Standard>,
    /// Column of the whole Code's score.
    pub code_score: Slot,
    /// Recommendations.
    pub recommendations: IndexMap<String, Recommendation>,
    /// Consistency rules between answers, in declaration order.
    pub rules: IndexMap<String, Rule>,
    /// Screening: units with too few scored indicators are left out of the period's evaluation.
    pub screen: Option<Screen>,
    /// The choices a sensitivity analysis varies, if declared.
    pub uncertainty: Option<Uncertainty>,
    /// What each slot holds.
    pub slots: Vec<SlotKind>,
    /// Where missing values can arise.
    pub origins: Vec<Origin>,
    /// The evaluation plan in dependency order.
    pub plan: Vec<Step>,
    /// The named constants (`const name = 0.25`) and their values, in declaration order; every
    /// use was replaced by the value before the check.
    pub parameters: IndexMap<String, f64>,
    /// The lookup tables (`table name from "file.csv"`) and their files; every lookup was
    /// replaced by the cell's value before the check.
    pub tables: IndexMap<String, TableInfo>,
    /// Named variants of the methodology evaluated beside it (`scenario name { … }`).
    pub scenarios: IndexMap<String, Scenario>,
}

/// A named variant of the methodology (`scenario equal { area trade { weight 1 } }`): other
/// weights, aggregations and scoring rules, evaluated beside the methodology on the same data.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Id.
    pub id: String,
    /// Labels.
    pub labels: Labels,
    /// The weight of an area or indicator in its parent, by id, instead of the declared one.
    pub weights: IndexMap<String, f64>,
    /// The aggregation of an area (or the index), by id, instead of the declared one.
    pub aggregates: IndexMap<String, Aggregation>,
    /// The scoring rule of an indicator, by id, instead of the declared one (never a formula).
    pub scores: IndexMap<String, ScoreRule>,
}

/// A lookup table's file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableInfo {
    /// The file's path, relative to the methodology's folder.
    pub file: String,
    /// SHA-256 (hex) of its text.
    pub sha256: String,
}

impl Model {
    /// Number of slots.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Every slot `slot`'s value is computed from, itself included, through the evaluation plan:
    /// `closure[s]` is true for each. The answers' slots are the leaves.
    pub fn depends_on(&self, slot: Slot) -> Vec<bool> {
        let mut step_of = vec![None; self.slots.len()];
        for (k, step) in self.plan.iter().enumerate() {
            if let Some(s) = step_of.get_mut(step.slot().0 as usize) {
                *s = Some(k);
            }
        }
        let mut seen = vec![false; self.slots.len()];
        let mut todo = vec![slot];
        while let Some(s) = todo.pop() {
            match seen.get_mut(s.0 as usize) {
                Some(done) if !*done => *done = true,
                _ => continue,
            }
            if let Some(step) = step_of.get(s.0 as usize).copied().flatten().and_then(|k| self.plan.get(k)) {
                todo.extend(step.inputs(self));
            }
        }
        seen
    }
}

impl Step {
    /// The column the step fills.
    pub fn slot(&self) -> Slot {
        match self {
            Step::Input { slot, .. }
            | Step::Formula { slot, .. }
            | Step::Column { slot, .. }
            | Step::Score { slot, .. }
            | Step::Impute { slot, .. }
            | Step::Treat { slot, .. }
            | Step::Aggregate { slot, .. } => *slot,
        }
    }

    /// The columns the step reads, each once, in the order written.
    pub fn inputs(&self, m: &Model) -> Vec<Slot> {
        let mut out = vec![];
        match self {
            Step::Input { .. } => {}
            Step::Formula { ir, .. } => ir.slots_into(&mut out),
            Step::Column { src, .. } | Step::Treat { src, .. } => out.push(*src),
            Step::Impute { src, indicator, .. } => {
                out.push(*src);
                if let Some(Imputation::Formula { ir, .. }) = m.indicators.get_index(*indicator).map(|(_, i)| &i.impute)
                {
                    ir.slots_into(&mut out);
                }
            }
            Step::Score { indicator, .. } => {
                if let Some(ind) = m.indicators.get_index(*indicator).map(|(_, i)| i) {
                    out.push(ind.score_input);
                    if let Some(ScoreRule::Formula { ir, .. }) = &ind.score {
                        ir.slots_into(&mut out);
                    }
                }
            }
            Step::Aggregate { children, .. } => out.extend(children.iter().map(|(s, _)| *s)),
        }
        let mut seen = vec![];
        out.retain(|s| {
            let new = !seen.contains(s);
            seen.push(*s);
            new
        });
        out
    }
}

impl Ir {
    /// Appends the slots the expression reads, in the order written (repeats included).
    pub fn slots_into(&self, out: &mut Vec<Slot>) {
        match self {
            Ir::Const(_) => {}
            Ir::Slot(s) | Ir::Rounded(s, _) => out.push(*s),
            Ir::RoundExpr(a, _) | Ir::Neg(a) | Ir::Not(a) | Ir::IsMissing(a, _) | Ir::MissingReason(a) => {
                a.slots_into(out)
            }
            Ir::Arith(_, a, b, _) | Ir::Cmp(_, a, b) | Ir::And(a, b) | Ir::Or(a, b) | Ir::Coalesce(a, b) => {
                a.slots_into(out);
                b.slots_into(out);
            }
            Ir::If(a, b, c) => {
                a.slots_into(out);
                b.slots_into(out);
                c.slots_into(out);
            }
            Ir::Call(_, args, _) => args.iter().for_each(|a| a.slots_into(out)),
            Ir::Bands(x, arms, e, _) => {
                x.slots_into(out);
                arms.iter().for_each(|(_, a)| a.slots_into(out));
                if let Some(e) = e {
                    e.slots_into(out);
                }
            }
            Ir::Match(x, arms, e, _) => {
                x.slots_into(out);
                arms.iter().for_each(|(_, a)| a.slots_into(out));
                if let Some(e) = e {
                    e.slots_into(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_gives_back_every_value_exactly() {
        let mut vals: Vec<Val> =
            vec![Ok(0.0), Ok(-1.5), Ok(f64::MAX), Ok(f64::MIN), Ok(f64::MIN_POSITIVE), Ok(5e-324), Ok(1.0 / 3.0)];
        for reason in Reason::ALL {
            assert_eq!(Reason::ALL[reason as usize], reason, "ALL is in declaration order");
            for origin in [0, 1, 7, 65_535, u32::MAX] {
                vals.push(Err(Miss { reason, origin }));
            }
        }
        let col: Column = vals.iter().copied().collect();
        assert_eq!(col.len(), vals.len());
        for (u, v) in vals.iter().enumerate() {
            assert_eq!(col.get(u), *v);
            assert_eq!(col.get(u).map(f64::to_bits), v.map(f64::to_bits), "bit for bit");
        }
        assert_eq!(col.to_vals(), vals);
        assert_eq!(col.get(vals.len()), Err(Miss { reason: Reason::NotAssessable, origin: 0 }));
        assert_eq!(std::mem::size_of::<f64>() * col.len(), std::mem::size_of_val(col.raw()));
    }
}
