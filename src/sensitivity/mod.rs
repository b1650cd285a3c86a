//! Uncertainty and sensitivity analysis of the ranking: `tamga sensitivity`, as COINr's
//! `get_sensitivity` (and the OECD/JRC Handbook's §7).
//!
//! The methodology declares which of its choices are uncertain (`uncertainty { vary … }`,
//! [`Uncertainty`](crate::model::Uncertainty)). [`analyse`] draws samples of those choices,
//! re-evaluates the index of one period under each ([`engine`]: the compiled methodology and
//! everything no choice affects are reused), and reports per unit the nominal rank, the median rank and the 5–95 % rank interval,
//! and — for a sensitivity analysis — per uncertain choice its first-order and total
//! sensitivity indices ([`estimate`]). Everything is deterministic given the seed, whatever the
//! number of threads. The definitions are in `docs/composite.md` ("Sensitivity and
//! uncertainty").

pub mod engine;
pub mod estimate;
pub mod text;
pub mod view;

use crate::data::Dataset;
use crate::model::{Factor, Labels, Model, Val};
use estimate::Design;
use serde::Serialize;

/// Uncertainty analysis (N samples: rank intervals) or sensitivity analysis (the Saltelli design,
/// N·(k + 2) samples: rank intervals and sensitivity indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// COINr's `SA_type = "UA"`.
    Uncertainty,
    /// COINr's `SA_type = "SA"`.
    Sensitivity,
}

/// The output whose variance the sensitivity indices apportion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "unit")]
pub enum Target {
    /// The mean, over the units, of the absolute difference between a unit's rank in the sample
    /// and its nominal rank (COINr's target).
    RankShift,
    /// One unit's index score.
    Score(String),
    /// One unit's rank.
    Rank(String),
}

impl std::str::FromStr for Target {
    type Err = String;

    /// `rank-shift`, `score:UNIT` or `rank:UNIT`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once(':') {
            None if s == "rank-shift" || s == "rank_shift" => Ok(Target::RankShift),
            Some(("score", u)) if !u.is_empty() => Ok(Target::Score(u.to_string())),
            Some(("rank", u)) if !u.is_empty() => Ok(Target::Rank(u.to_string())),
            _ => Err(format!("`{s}` is not a target: write rank-shift, score:UNIT or rank:UNIT")),
        }
    }
}

/// The most base samples an analysis draws: memory and time grow with them (COINr's vignette
/// uses 100, the default is 1000).
pub const MAX_SAMPLES: usize = 100_000;

/// The most bootstrap resamples of the indices' intervals.
pub const MAX_BOOTSTRAP: usize = 10_000;

/// The most values an analysis holds: its evaluations (N, or N·(k + 2)) × the period's units.
pub const MAX_SAMPLE_VALUES: usize = 50_000_000;

/// What to analyse, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// N, the base sample count.
    pub samples: usize,
    /// The seed of every random number.
    pub seed: u64,
    /// The period (default: the latest).
    pub period: Option<String>,
    /// Uncertainty or sensitivity analysis.
    pub mode: Mode,
    /// The output of the sensitivity indices.
    pub target: Target,
    /// Bootstrap resamples for the intervals of the indices (0: none).
    pub bootstrap: usize,
    /// Threads evaluating samples (at least 1); the results do not depend on it.
    pub threads: usize,
    /// Evaluate every sample in full (the whole period), even where only the aggregates need
    /// recomputing: slower, the same numbers; for checking the shortcut.
    pub full: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            samples: 1000,
            seed: 1,
            period: None,
            mode: Mode::Sensitivity,
            target: Target::RankShift,
            bootstrap: 100,
            threads: 1,
            full: false,
        }
    }
}

/// Why an analysis cannot be made.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The methodology declares no `uncertainty` block, or one that varies nothing.
    NoUncertainty,
    /// No submission at all.
    NoData,
    /// The period asked for has no submission.
    UnknownPeriod {
        /// What was asked.
        asked: String,
        /// The periods there are.
        available: Vec<String>,
    },
    /// The unit of a `score:` or `rank:` target has no submission in the period.
    UnknownUnit(String),
    /// Fewer than 2 samples.
    TooFewSamples,
    /// More base samples than [`MAX_SAMPLES`] (`--samples 18446744073709551615` overflowed the
    /// design's size; a trillion aborted on allocation).
    TooManySamples(usize),
    /// More bootstrap resamples than [`MAX_BOOTSTRAP`].
    TooManyResamples(usize),
    /// The design's evaluations × the period's units exceed [`MAX_SAMPLE_VALUES`].
    TooLarge {
        /// Evaluations of the design (N, or N·(k + 2) for the sensitivity indices).
        rows: usize,
        /// Units in the period.
        units: usize,
    },
    /// The methodology has no hierarchy to rank by.
    NoIndex,
    /// A factor sets the weight of a child (`vary weight`, `vary drop_one`) of an area that
    /// derives its weights from the data (`weights pca`, `aggregate bod`): the area's weights are
    /// derived again in every sample, so a weight set there would not be used.
    DerivedWeights {
        /// The factor (`weight trade`, `drop_one`).
        factor: String,
        /// The area that derives its weights.
        area: String,
        /// The child whose weight the factor would set.
        child: String,
    },
}

impl Error {
    /// The message.
    pub fn message(&self) -> String {
        match self {
            Error::NoUncertainty => "the methodology declares nothing uncertain".into(),
            Error::NoData => "no submission to analyse".into(),
            Error::UnknownPeriod { asked, available } => {
                format!("no submission is for the period `{asked}` (there are: {})", available.join(", "))
            }
            Error::UnknownUnit(u) => format!("the target's unit `{u}` has no submission in the period"),
            Error::TooFewSamples => "a sensitivity analysis needs at least 2 samples".into(),
            Error::TooManySamples(n) => format!("{n} samples are more than the {MAX_SAMPLES} an analysis draws"),
            Error::TooManyResamples(n) => {
                format!("{n} bootstrap resamples are more than the {MAX_BOOTSTRAP} an analysis makes")
            }
            Error::TooLarge { rows, units } => format!(
                "{rows} evaluations of {units} units are more than the {MAX_SAMPLE_VALUES} values an analysis holds"
            ),
            Error::NoIndex => "the methodology has no area to aggregate into an index".into(),
            Error::DerivedWeights { factor, area, child } => format!(
                "`vary {factor}` would set the weight of `{child}`, but `{area}` derives its weights from the data (`weights pca` or `aggregate bod`) in every sample"
            ),
        }
    }

    /// What to do.
    pub fn help(&self) -> &'static str {
        match self {
            Error::NoUncertainty => {
                "add an `uncertainty { vary … }` block (docs/language.md, \"Uncertainty, for sensitivity analysis\")"
            }
            Error::NoData => "give the submissions of at least one period",
            Error::UnknownPeriod { .. } => "give one of the periods listed with --period",
            Error::UnknownUnit(_) => "give the code of a unit evaluated in the period",
            Error::TooFewSamples => "give --samples 2 or more (COINr's vignette uses 100; 1000 is the default)",
            Error::TooManySamples(_) => {
                "give fewer --samples (1000 is the default; rank intervals settle long before 100000)"
            }
            Error::TooManyResamples(_) => "give fewer --bootstrap resamples (100 is the default)",
            Error::TooLarge { .. } => "give fewer --samples, or vary fewer factors in `uncertainty`",
            Error::NoIndex => "declare areas with scored indicators",
            Error::DerivedWeights { .. } => {
                "remove that factor from `uncertainty`: the derived weights already follow the data of each sample (`vary weights by …` leaves them too), or analyse a version of the methodology with the weights declared"
            }
        }
    }
}

impl Error {
    /// The message and what to do, in Russian.
    pub fn russian(&self) -> (String, &'static str) {
        let message = match self {
            Error::NoUncertainty => "в методике не объявлено ничего неопределённого".into(),
            Error::NoData => "нет представлений для анализа".into(),
            Error::UnknownPeriod { asked, available } => {
                format!("нет представлений за период `{asked}` (есть: {})", available.join(", "))
            }
            Error::UnknownUnit(u) => format!("у `{u}`, заданного целью анализа, нет представления за период"),
            Error::TooFewSamples => "для анализа чувствительности нужно не менее 2 выборок".into(),
            Error::TooManySamples(n) => format!("{n} выборок — больше предельных {MAX_SAMPLES}"),
            Error::TooManyResamples(n) => format!("{n} бутстреп-повторов — больше предельных {MAX_BOOTSTRAP}"),
            Error::TooLarge { rows, units } => format!(
                "{rows} расчётов по {units} государствам — больше предельных {MAX_SAMPLE_VALUES} значений анализа"
            ),
            Error::NoIndex => "в методике нет областей, из которых складывается индекс".into(),
            Error::DerivedWeights { factor, area, child } => format!(
                "`vary {factor}` задаёт вес `{child}`, но веса `{area}` в каждой выборке выводятся из данных (`weights pca` или `aggregate bod`)"
            ),
        };
        let help = match self {
            Error::NoUncertainty => "добавьте блок `uncertainty { vary … }` (docs/language.md, «Uncertainty, for sensitivity analysis»)",
            Error::NoData => "укажите представления хотя бы за один период",
            Error::UnknownPeriod { .. } => "укажите в --period один из перечисленных периодов",
            Error::UnknownUnit(_) => "укажите код государства, оценённого за этот период",
            Error::TooFewSamples => "укажите --samples 2 или больше (по умолчанию 1000)",
            Error::TooManySamples(_) => "уменьшите --samples (по умолчанию 1000)",
            Error::TooManyResamples(_) => "уменьшите --bootstrap (по умолчанию 100)",
            Error::TooLarge { .. } => "уменьшите --samples или число факторов в `uncertainty`",
            Error::NoIndex => "объявите области с оцениваемыми индикаторами",
            Error::DerivedWeights { .. } => {
                "уберите этот фактор из `uncertainty`: выведенные из данных веса и так следуют данным каждой выборки, или анализируйте версию методики с объявленными весами"
            }
        };
        (message, help)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The methodology analysed.
#[derive(Debug, Clone, Serialize)]
pub struct MethodologyRef {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
}

/// How the samples were drawn and evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct DesignInfo {
    /// N, the base sample count.
    pub samples: usize,
    /// k, the number of uncertain factors.
    pub factors: usize,
    /// Evaluations made: N (uncertainty) or N·(k + 2) (sensitivity).
    pub evaluations: usize,
    /// The rows whose ranks make the rank statistics: N, or the 2N rows of A and B.
    pub ranked_samples: usize,
    /// The seed.
    pub seed: u64,
    /// Bootstrap resamples of the indices' intervals.
    pub bootstrap: usize,
    /// How samples were re-evaluated: `aggregates` (scores reused, areas and index recomputed) or
    /// `full`.
    pub reevaluation: engine::Path,
    /// Evaluations in which an area with `weights pca` was weighted equally, its principal
    /// components not being computable on the sample's data (too few complete states, a child
    /// without spread), as the methodology's own evaluation does and says.
    #[serde(skip_serializing_if = "is_zero")]
    pub pca_equal_weights: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One uncertain factor as declared.
#[derive(Debug, Clone, Serialize)]
pub struct FactorInfo {
    /// A short name (`weights`, `weight aeo`, `aggregate`, …).
    pub name: String,
    /// `weights`, `weight`, `aggregate`, `score`, `impute` or `drop_one`.
    pub kind: &'static str,
    /// `weights`: the relative half-width of the noise (0.25).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<f64>,
    /// `weight`: the indicator or area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// `weight`: the range its weight is drawn in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// The discrete alternatives, as written in rule files (`declared`, `mean`, `zscore(center: 10,
    /// scale: 2)`; for `drop_one`, `none` and the indicators' ids).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub among: Option<Vec<String>>,
    /// How many alternatives the factor picks among: the noisy weight sets of `weights` (N), the
    /// length of `among`; `null` for `weight`, drawn in a continuous range.
    pub alternatives: Option<usize>,
    /// The declaration.
    #[serde(skip)]
    pub declared: Factor,
}

/// A unit's ranks.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRanks {
    /// Code.
    pub unit: String,
    /// Name per language, as submitted.
    pub name: Labels,
    /// The index as the methodology declares it.
    pub nominal_score: Option<f64>,
    /// Its rank (ties share the best rank).
    pub nominal_rank: Option<u32>,
    /// The median rank over the samples in which it is ranked.
    pub median_rank: Option<f64>,
    /// The mean rank.
    pub mean_rank: Option<f64>,
    /// The 5th percentile of its ranks (R's `quantile`, type 7).
    pub rank_q05: Option<f64>,
    /// The 95th percentile.
    pub rank_q95: Option<f64>,
    /// The mean of |rank − nominal rank|.
    pub mean_abs_shift: Option<f64>,
    /// In how many of the ranked samples it has a rank.
    pub ranked: usize,
}

/// A factor's sensitivity indices.
#[derive(Debug, Clone, Serialize)]
pub struct FactorIndices {
    /// The factor's name.
    pub factor: String,
    /// The indices.
    #[serde(flatten)]
    pub indices: estimate::Indices,
}

/// The sensitivity indices.
#[derive(Debug, Clone, Serialize)]
pub struct SensitivityIndices {
    /// Var(target) over the rows of A and B; `null` when the target does not vary.
    pub variance: Option<f64>,
    /// The mean of the target over the rows of A and B.
    pub mean: Option<f64>,
    /// Per factor, in declaration order.
    pub factors: Vec<FactorIndices>,
}

/// The result of an analysis (its JSON is documented in docs/composite.md).
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// `tamga.sensitivity/1`: the version of this JSON's schema.
    pub schema: &'static str,
    /// The methodology.
    pub methodology: MethodologyRef,
    /// The period analysed.
    pub period: String,
    /// Uncertainty or sensitivity.
    pub analysis: Mode,
    /// The output of the indices.
    pub target: Target,
    /// The design.
    pub design: DesignInfo,
    /// The factors, in declaration order.
    pub factors: Vec<FactorInfo>,
    /// Every unit, by nominal rank (units without one last, by code).
    pub units: Vec<UnitRanks>,
    /// The sensitivity indices (sensitivity analysis only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indices: Option<SensitivityIndices>,
}

/// The analysis as pretty-printed JSON (its schema is in docs/composite.md), with a final newline.
pub fn to_json(a: &Analysis) -> String {
    format!("{}\n", serde_json::to_string_pretty(a).unwrap_or_default())
}

/// Ranks of present values, largest first, ties sharing the smallest rank (R's
/// `rank(-x, ties.method = "min", na.last = "keep")`): 0 for a missing value.
pub fn ranks(values: &[Val], out: &mut Vec<u32>, order: &mut Vec<(f64, usize)>) {
    out.clear();
    out.resize(values.len(), 0);
    order.clear();
    order.extend(values.iter().enumerate().filter_map(|(u, v)| v.as_ref().ok().map(|x| (*x, u))));
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut rank = 0;
    for (p, (x, u)) in order.iter().enumerate() {
        if p == 0 || *x != order[p - 1].0 {
            rank = p as u32 + 1;
        }
        out[*u] = rank;
    }
}

/// Runs the analysis.
pub fn analyse(model: &Model, data: &Dataset, opts: &Options) -> Result<Analysis, Error> {
    analyse_with_progress(model, data, opts, &|_, _| {})
}

/// A factor that would set the weight of a child of an area deriving its weights from the data
/// (`weights pca`, `aggregate bod`) is an error: the weight would not be used. Such areas are
/// evaluated as the methodology evaluates them, in every sample (their weights derived again
/// from the sample's data); `vary weights by …` perturbs the declared weights only.
fn derived_weights_untouched(model: &Model, factors: &[Factor]) -> Result<(), Error> {
    for a in model.areas.values() {
        let derives = a.weights_from == crate::model::WeightsFrom::Pca
            || matches!(a.aggregate, crate::model::Aggregation::Bod { .. });
        if !derives {
            continue;
        }
        for f in factors {
            let child = match f {
                Factor::Weight { node, .. } => a.children.iter().find(|c| c.id == *node),
                Factor::DropOne => a.children.iter().find(|c| c.kind == "indicator"),
                _ => None,
            };
            if let Some(c) = child {
                let factor = match f {
                    Factor::Weight { node, .. } => format!("weight {node}"),
                    _ => "drop_one".to_string(),
                };
                return Err(Error::DerivedWeights { factor, area: a.id.clone(), child: c.id.clone() });
            }
        }
    }
    Ok(())
}

/// [`analyse`], telling `progress` how many of the samples are evaluated (done, total) now and
/// then, from any of the threads (the command line draws a progress line with it).
pub fn analyse_with_progress(
    model: &Model,
    data: &Dataset,
    opts: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Analysis, Error> {
    let factors = model.uncertainty.as_ref().map(|u| u.factors.clone()).unwrap_or_default();
    if factors.is_empty() {
        return Err(Error::NoUncertainty);
    }
    derived_weights_untouched(model, &factors)?;
    if opts.samples < 2 {
        return Err(Error::TooFewSamples);
    }
    if opts.samples > MAX_SAMPLES {
        return Err(Error::TooManySamples(opts.samples));
    }
    if opts.bootstrap > MAX_BOOTSTRAP {
        return Err(Error::TooManyResamples(opts.bootstrap));
    }
    let mut periods: Vec<String> = vec![];
    for s in &data.submissions {
        if !periods.contains(&s.period) {
            periods.push(s.period.clone());
        }
    }
    let period = match &opts.period {
        None => periods.len().checked_sub(1).ok_or(Error::NoData)?,
        Some(p) => periods
            .iter()
            .position(|x| x == p)
            .ok_or_else(|| Error::UnknownPeriod { asked: p.clone(), available: periods.clone() })?,
    };
    if model.areas.get(&model.index).is_none_or(|a| a.children.is_empty()) {
        return Err(Error::NoIndex);
    }
    let (n, k) = (opts.samples, factors.len());
    let design = Design { n, k, saltelli: opts.mode == Mode::Sensitivity, seed: opts.seed };
    // bounded before anything is allocated for the samples
    let units_in_period = data.submissions.iter().filter(|s| s.period == periods[period]).count();
    let rows = if design.saltelli { n.checked_mul(k.saturating_add(2)) } else { Some(n) };
    match rows {
        Some(rows) if rows.saturating_mul(units_in_period.max(1)) <= MAX_SAMPLE_VALUES => {}
        rows => return Err(Error::TooLarge { rows: rows.unwrap_or(usize::MAX), units: units_in_period }),
    }
    let prepared = engine::prepare(model);
    let eng = engine::Engine::new(&prepared, data, period, opts.seed, n, opts.full);
    let units = &eng.units;
    let g = units.len();
    let target_unit = match &opts.target {
        Target::RankShift => None,
        Target::Score(u) | Target::Rank(u) => Some(units.binary_search(u).map_err(|_| Error::UnknownUnit(u.clone()))?),
    };
    // the nominal index and ranks
    let po = &eng.nominal.periods[period];
    let index_slot = prepared.areas[&prepared.index].slot;
    let mut nominal_score: Vec<Option<f64>> = vec![None; g];
    for (u, code) in po.units.iter().enumerate() {
        if let Ok(i) = units.binary_search(code) {
            nominal_score[i] = po.get(index_slot, u).ok();
        }
    }
    let nominal_vals: Vec<Val> = nominal_score
        .iter()
        .map(|x| x.ok_or(crate::model::Miss { reason: crate::model::Reason::NotAssessable, origin: 0 }))
        .collect();
    let (mut nominal_rank, mut order) = (vec![], vec![]);
    ranks(&nominal_vals, &mut nominal_rank, &mut order);

    // the samples, in contiguous blocks of rows, one per thread
    let rows = design.rows();
    let stats_rows = design.stats_rows();
    let threads = opts.threads.clamp(1, rows.max(1));
    let chunk = rows.div_ceil(threads);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let run = |from: usize, to: usize| -> (Vec<f64>, Vec<u32>, usize) {
        let mut scratch = eng.scratch();
        let mut u = vec![0.0; k];
        let mut wbuf = Vec::with_capacity(eng.weights.len());
        let (mut local, mut order) = (vec![], vec![]);
        let mut y = Vec::with_capacity(to - from);
        let mut ranked = Vec::with_capacity(to.min(stats_rows).saturating_sub(from) * g);
        let mut row_ranks = vec![0u32; g];
        let mut pca_equal = 0;
        for row in from..to {
            if (row - from) % 256 == 255 {
                progress(done.fetch_add(256, std::sync::atomic::Ordering::Relaxed) + 256, rows);
            }
            design.row(row, &mut u);
            let choice = eng.choose(&u, &mut wbuf);
            eng.index(&choice, &mut scratch);
            pca_equal += usize::from(scratch.pca_equal);
            wbuf = choice.weights;
            ranks(&scratch.index, &mut local, &mut order);
            row_ranks.iter_mut().for_each(|r| *r = 0);
            for (l, gi) in scratch.units.iter().enumerate() {
                row_ranks[*gi] = local[l];
            }
            y.push(match (&opts.target, target_unit) {
                (Target::RankShift, _) => {
                    let (mut sum, mut count) = (0.0, 0usize);
                    for (r, r0) in row_ranks.iter().zip(&nominal_rank) {
                        if *r > 0 && *r0 > 0 {
                            sum += (f64::from(*r) - f64::from(*r0)).abs();
                            count += 1;
                        }
                    }
                    if count > 0 {
                        sum / count as f64
                    } else {
                        f64::NAN
                    }
                }
                (Target::Score(_), Some(t)) => {
                    scratch.units.iter().position(|gi| *gi == t).and_then(|l| scratch.index[l].ok()).unwrap_or(f64::NAN)
                }
                (Target::Rank(_), Some(t)) => match row_ranks[t] {
                    0 => f64::NAN,
                    r => f64::from(r),
                },
                _ => f64::NAN,
            });
            if row < stats_rows {
                ranked.extend_from_slice(&row_ranks);
            }
        }
        (y, ranked, pca_equal)
    };
    let parts: Vec<(Vec<f64>, Vec<u32>, usize)> = if threads == 1 {
        vec![run(0, rows)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let (from, to) = ((t * chunk).min(rows), ((t + 1) * chunk).min(rows));
                    let run = &run;
                    s.spawn(move || run(from, to))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        })
    };
    progress(rows, rows);
    let mut y = Vec::with_capacity(rows);
    let mut rank_rows = Vec::with_capacity(stats_rows * g);
    let mut pca_equal_weights = 0;
    for (py, pr, pe) in parts {
        y.extend(py);
        rank_rows.extend(pr);
        pca_equal_weights += pe;
    }

    // rank statistics per unit
    let names = |code: &str| -> Labels {
        data.submissions
            .iter()
            .find(|s| s.unit == code && !s.name.is_empty())
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let mut out_units: Vec<UnitRanks> = (0..g)
        .map(|gi| {
            let mut rs: Vec<f64> =
                (0..stats_rows).map(|r| rank_rows[r * g + gi]).filter(|r| *r > 0).map(f64::from).collect();
            rs.sort_by(f64::total_cmp);
            let r0 = nominal_rank[gi];
            let mean = (!rs.is_empty()).then(|| rs.iter().sum::<f64>() / rs.len() as f64);
            let shift = (r0 > 0 && !rs.is_empty())
                .then(|| rs.iter().map(|r| (r - f64::from(r0)).abs()).sum::<f64>() / rs.len() as f64);
            UnitRanks {
                unit: units[gi].clone(),
                name: names(&units[gi]),
                nominal_score: nominal_score[gi],
                nominal_rank: (r0 > 0).then_some(r0),
                median_rank: estimate::median(&rs),
                mean_rank: mean,
                rank_q05: estimate::quantile(&rs, 0.05),
                rank_q95: estimate::quantile(&rs, 0.95),
                mean_abs_shift: shift,
                ranked: rs.len(),
            }
        })
        .filter(|u| u.nominal_rank.is_some() || u.ranked > 0)
        .collect();
    out_units.sort_by(|a, b| match (a.nominal_rank, b.nominal_rank) {
        (Some(x), Some(y)) => x.cmp(&y).then(a.unit.cmp(&b.unit)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.unit.cmp(&b.unit),
    });

    let indices = (opts.mode == Mode::Sensitivity).then(|| {
        let e = estimate::estimate(&y, n, k, opts.bootstrap, opts.seed);
        let ab: Vec<f64> = y[..2 * n].iter().copied().filter(|x| x.is_finite()).collect();
        SensitivityIndices {
            variance: e.variance,
            mean: (!ab.is_empty()).then(|| ab.iter().sum::<f64>() / ab.len() as f64),
            factors: factors
                .iter()
                .zip(e.factors)
                .map(|(f, indices)| FactorIndices { factor: f.name(), indices })
                .collect(),
        }
    });
    let factor_info = factors
        .iter()
        .zip(&eng.factors)
        .map(|(f, r)| {
            let mut info = FactorInfo {
                name: f.name(),
                kind: "",
                by: None,
                node: None,
                range: None,
                among: None,
                alternatives: None,
                declared: f.clone(),
            };
            match f {
                Factor::Weights { by } => {
                    info.kind = "weights";
                    info.by = Some(*by);
                }
                Factor::Weight { node, lo, hi } => {
                    info.kind = "weight";
                    info.node = Some(node.clone());
                    info.range = Some([*lo, *hi]);
                }
                Factor::Aggregate { among } => {
                    info.kind = "aggregate";
                    info.among = Some(among.iter().map(text::aggregation).collect());
                }
                Factor::Score { among } => {
                    info.kind = "score";
                    info.among = Some(among.iter().map(text::rule).collect());
                }
                Factor::Impute { among } => {
                    info.kind = "impute";
                    info.among = Some(among.iter().map(text::imputation).collect());
                }
                Factor::DropOne => {
                    info.kind = "drop_one";
                    if let engine::Resolved::DropOne(entries) = r {
                        let mut among = vec!["none".to_string()];
                        among.extend(entries.iter().map(|e| eng.weight_ids[*e].0.clone()));
                        info.among = Some(among);
                    }
                }
            }
            info.alternatives = match r {
                engine::Resolved::Weights { sets, .. } => Some(*sets),
                _ => info.among.as_ref().map(Vec::len),
            };
            info
        })
        .collect();
    Ok(Analysis {
        schema: "tamga.sensitivity/1",
        methodology: MethodologyRef { id: model.header.id.clone(), version: model.header.version.clone() },
        period: periods[period].clone(),
        analysis: opts.mode,
        target: opts.target.clone(),
        design: DesignInfo {
            samples: n,
            factors: k,
            evaluations: rows,
            ranked_samples: stats_rows,
            seed: opts.seed,
            bootstrap: if opts.mode == Mode::Sensitivity { opts.bootstrap } else { 0 },
            reevaluation: eng.path,
            pca_equal_weights,
        },
        factors: factor_info,
        units: out_units,
        indices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_r_min_ties_largest_first_missing_kept() {
        let miss = Err(crate::model::Miss { reason: crate::model::Reason::NotAssessable, origin: 0 });
        let vals = [Ok(10.0), Ok(30.0), miss, Ok(30.0), Ok(5.0)];
        let (mut r, mut o) = (vec![], vec![]);
        ranks(&vals, &mut r, &mut o);
        assert_eq!(r, vec![3, 1, 0, 1, 4]);
    }

    #[test]
    fn targets_parse() {
        assert_eq!("rank-shift".parse::<Target>(), Ok(Target::RankShift));
        assert_eq!("score:KAZ".parse::<Target>(), Ok(Target::Score("KAZ".into())));
        assert_eq!("rank:AM".parse::<Target>(), Ok(Target::Rank("AM".into())));
        assert!("score:".parse::<Target>().is_err());
        assert!("mean".parse::<Target>().is_err());
    }
}
