//! The analysis as text, in English or Russian: what `tamga sensitivity` prints, and the words
//! the report's sensitivity section uses.

use super::{Analysis, Mode, Target};
use crate::i18n::Lang;
use crate::model::{Aggregation, Factor, Imputation, ScoreRule};
use crate::number::shortest;
use std::fmt::Write;

/// Fixed texts in one language.
#[derive(Debug)]
pub struct Texts {
    /// Heading of an uncertainty analysis.
    pub uncertainty: &'static str,
    /// Heading of a sensitivity analysis.
    pub sensitivity: &'static str,
    /// "period".
    pub period: &'static str,
    /// "Uncertain choices".
    pub factors: &'static str,
    /// "alternatives".
    pub alternatives: &'static str,
    /// "Sensitivity indices of".
    pub indices_of: &'static str,
    /// Column: first order.
    pub first_order: &'static str,
    /// Column: total.
    pub total: &'static str,
    /// Column: interval.
    pub interval: &'static str,
    /// The estimators, for the note under the indices.
    pub estimators: &'static str,
    /// "Ranks".
    pub ranks: &'static str,
    /// Column: unit.
    pub unit: &'static str,
    /// Column: name.
    pub name: &'static str,
    /// Column: nominal rank.
    pub nominal: &'static str,
    /// Column: the nominal index.
    pub score: &'static str,
    /// Column: median rank.
    pub median: &'static str,
    /// Column: 5th percentile.
    pub q05: &'static str,
    /// Column: 95th percentile.
    pub q95: &'static str,
    /// Column: mean absolute shift.
    pub shift: &'static str,
    /// How the percentiles are computed.
    pub percentile_note: &'static str,
    /// The target: mean absolute rank change.
    pub target_shift: &'static str,
    /// The target: a unit's score.
    pub target_score: &'static str,
    /// The target: a unit's rank.
    pub target_rank: &'static str,
    /// The target does not vary.
    pub no_variance: &'static str,
    /// Not available.
    pub na: &'static str,
    /// "mean" (of the target).
    pub mean: &'static str,
    /// "over … samples" after "Ranks".
    pub over_samples: &'static str,
    /// The chart's legend: the interval.
    pub legend_interval: &'static str,
    /// The chart's legend: the median.
    pub legend_median: &'static str,
    /// The chart's legend: the nominal rank.
    pub legend_nominal: &'static str,
    /// Re-evaluation: aggregates only.
    pub path_aggregates: &'static str,
    /// Re-evaluation: full.
    pub path_full: &'static str,
}

const EN: Texts = Texts {
    uncertainty: "Uncertainty analysis",
    sensitivity: "Sensitivity analysis",
    period: "period",
    factors: "Uncertain choices",
    alternatives: "alternatives",
    indices_of: "Sensitivity indices of",
    first_order: "Si (first order)",
    total: "STi (total)",
    interval: "5–95 %",
    estimators: "Si: Saltelli et al. (2010); STi: Jansen (1999); as COINr's get_sensitivity.",
    ranks: "Ranks",
    unit: "unit",
    name: "name",
    nominal: "nominal",
    score: "index",
    median: "median",
    q05: "5 %",
    q95: "95 %",
    shift: "mean |shift|",
    percentile_note: "Percentiles as R's quantile (type 7); ties share the best rank; a unit without an index in a sample is not ranked in it.",
    target_shift: "the mean absolute rank change against the nominal ranking",
    target_score: "the index of",
    target_rank: "the rank of",
    no_variance: "the target does not vary over the samples: no indices",
    na: "n/a",
    mean: "mean",
    over_samples: "samples",
    legend_interval: "5–95 % of ranks",
    legend_median: "median rank",
    legend_nominal: "nominal rank",
    path_aggregates: "scores evaluated once per imputation × normalisation; areas and index recomputed per sample",
    path_full: "every sample evaluated in full",
};

const RU: Texts = Texts {
    uncertainty: "Анализ неопределённости",
    sensitivity: "Анализ чувствительности",
    period: "период",
    factors: "Неопределённые решения",
    alternatives: "варианты",
    indices_of: "Индексы чувствительности для",
    first_order: "Si (первого порядка)",
    total: "STi (полный)",
    interval: "5–95 %",
    estimators: "Si: Saltelli et al. (2010); STi: Jansen (1999); как get_sensitivity в COINr.",
    ranks: "Места",
    unit: "код",
    name: "наименование",
    nominal: "номинальное",
    score: "индекс",
    median: "медиана",
    q05: "5 %",
    q95: "95 %",
    shift: "ср. |сдвиг|",
    percentile_note: "Процентили как quantile в R (тип 7); равные значения делят лучшее место; единица без индекса в выборке в ней не ранжируется.",
    target_shift: "среднего абсолютного изменения места относительно номинального рейтинга",
    target_score: "индекса",
    target_rank: "места",
    no_variance: "целевая величина не меняется по выборкам: индексов нет",
    na: "н/д",
    mean: "среднее",
    over_samples: "выборок",
    legend_interval: "5–95 % мест",
    legend_median: "медиана места",
    legend_nominal: "номинальное место",
    path_aggregates: "оценки рассчитаны один раз для каждого сочетания восстановления пропусков и нормализации; области и индекс пересчитываются для каждой выборки",
    path_full: "каждая выборка рассчитана полностью",
};

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// A number with at most `digits` decimals (trailing zeros dropped), in the language's style.
pub fn num(lang: Lang, x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    let s = if s == "-0" { "0".to_string() } else { s };
    crate::report::text::number(lang, &s)
}

/// A number with exactly `digits` decimals, in the language's style (an index: `63.00`).
pub fn fixed(lang: Lang, x: Option<f64>, digits: usize) -> String {
    match x {
        Some(x) => {
            let s = format!("{x:.digits$}");
            let s =
                if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { s.replace('-', "") } else { s };
            crate::report::text::number(lang, &s)
        }
        None => texts(lang).na.to_string(),
    }
}

/// An optional number, or n/a.
pub fn opt(lang: Lang, x: Option<f64>, digits: usize) -> String {
    x.map(|x| num(lang, x, digits)).unwrap_or_else(|| texts(lang).na.to_string())
}

pub(crate) fn aggregation(a: &Aggregation) -> String {
    a.text()
}

pub(crate) fn rule(r: &Option<ScoreRule>) -> String {
    match r {
        None => "declared".into(),
        Some(ScoreRule::ZScore { center, scale }) => {
            format!("zscore(center: {}, scale: {})", shortest(*center), shortest(*scale))
        }
        Some(r) => r.name().into(),
    }
}

pub(crate) fn imputation(m: &Option<Imputation>) -> String {
    match m {
        None => "declared".into(),
        Some(Imputation::GroupMean { by }) => format!("group_mean(by: {by})"),
        Some(Imputation::GroupMedian { by }) => format!("group_median(by: {by})"),
        Some(m) => m.name().into(),
    }
}

/// A factor in words.
pub fn describe(f: &Factor, alternatives: Option<usize>, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    match f {
        Factor::Weights { by } => {
            let (lo, hi) = (num(lang, 1.0 - by, 4), num(lang, 1.0 + by, 4));
            let sets = alternatives.unwrap_or(0);
            if ru {
                format!("каждый вес × U[{lo}; {hi}] (один из {sets} зашумлённых наборов весов)")
            } else {
                format!("every weight × U[{lo}, {hi}] (one of {sets} noisy weight sets)")
            }
        }
        Factor::Weight { node, lo, hi } => {
            let (lo, hi) = (num(lang, *lo, 6), num(lang, *hi, 6));
            if ru {
                format!("вес {node} ~ U[{lo}; {hi}]")
            } else {
                format!("the weight of {node} ~ U[{lo}, {hi}]")
            }
        }
        Factor::Aggregate { among } => {
            let alts: Vec<String> = among.iter().map(aggregation).collect();
            format!("{}: {}", if ru { "агрегирование" } else { "aggregation" }, alts.join(" | "))
        }
        Factor::Score { among } => {
            let alts: Vec<String> = among.iter().map(rule).collect();
            format!("{}: {}", if ru { "нормализация" } else { "normalisation" }, alts.join(" | "))
        }
        Factor::Impute { among } => {
            let alts: Vec<String> = among.iter().map(imputation).collect();
            format!("{}: {}", if ru { "восстановление пропусков" } else { "imputation" }, alts.join(" | "))
        }
        Factor::DropOne => {
            let n = alternatives.unwrap_or(1).saturating_sub(1);
            if ru {
                format!("исключение одного из {n} индикаторов или ни одного")
            } else {
                format!("one of {n} indicators left out, or none")
            }
        }
    }
}

/// The design in one sentence.
pub fn design(a: &Analysis, lang: Lang) -> String {
    let d = &a.design;
    let ru = lang == Lang::Ru;
    let path = match d.reevaluation {
        super::engine::Path::Aggregates => texts(lang).path_aggregates,
        super::engine::Path::Full => texts(lang).path_full,
    };
    let mut s = match (a.analysis, ru) {
        (Mode::Sensitivity, false) => format!(
            "Saltelli's design: N = {} base samples × ({} factors + 2) = {} evaluations (ranks from the {} samples of A and B); seed {}; {path}.",
            d.samples, d.factors, d.evaluations, d.ranked_samples, d.seed
        ),
        (Mode::Sensitivity, true) => format!(
            "План Сальтелли: N = {} базовых выборок × ({} факторов + 2) = {} расчётов (места по {} выборкам A и B); seed {}; {path}.",
            d.samples, d.factors, d.evaluations, d.ranked_samples, d.seed
        ),
        (Mode::Uncertainty, false) => format!(
            "Random design: N = {} samples of {} factors = {} evaluations; seed {}; {path}.",
            d.samples, d.factors, d.evaluations, d.seed
        ),
        (Mode::Uncertainty, true) => format!(
            "Случайный план: N = {} выборок {} факторов = {} расчётов; seed {}; {path}.",
            d.samples, d.factors, d.evaluations, d.seed
        ),
    };
    if d.pca_equal_weights > 0 {
        let n = d.pca_equal_weights;
        s.push_str(&if ru {
            format!(
                " В {n} {} из {} главные компоненты области с `weights pca` не вычислимы по данным выборки (мало полных наблюдений или показатель без разброса): её показатели взвешены поровну, как и в расчёте по методике.",
                ["расчёте", "расчётах", "расчётах"][crate::i18n::ru_form(n as f64)],
                d.evaluations
            )
        } else {
            format!(
                " In {n} of {} evaluations the principal components of an area with `weights pca` cannot be computed on the sample's data (too few complete states, or a child without spread): its children are weighted equally, as in the methodology's own evaluation.",
                d.evaluations
            )
        });
    }
    s
}

/// What the indices are of.
pub fn target(t: &Target, lang: Lang) -> String {
    let x = texts(lang);
    match t {
        Target::RankShift => x.target_shift.to_string(),
        Target::Score(u) => format!("{} {u}", x.target_score),
        Target::Rank(u) => format!("{} {u}", x.target_rank),
    }
}

/// Left-aligned table with columns as wide as their widest cell; `right` says which columns
/// are right-aligned.
fn table(out: &mut String, rows: &[Vec<String>], right: &[bool]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    for r in rows {
        let mut line = String::from(" ");
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            line.push(' ');
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if c + 1 < r.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
            line.push(' ');
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The analysis as text.
pub fn render(a: &Analysis, lang: Lang) -> String {
    let x = texts(lang);
    let mut out = String::new();
    let heading = match a.analysis {
        Mode::Uncertainty => x.uncertainty,
        Mode::Sensitivity => x.sensitivity,
    };
    let _ = writeln!(out, "{heading} · {} {} · {} {}", a.methodology.id, a.methodology.version, x.period, a.period);
    let _ = writeln!(out, "{}\n", design(a, lang));
    let _ = writeln!(out, "{}", x.factors);
    let rows: Vec<Vec<String>> = a
        .factors
        .iter()
        .enumerate()
        .map(|(i, f)| vec![format!("{}", i + 1), f.name.clone(), describe(&f.declared, f.alternatives, lang)])
        .collect();
    table(&mut out, &rows, &[true, false, false]);
    if let Some(ix) = &a.indices {
        let _ = writeln!(out, "\n{} {}", x.indices_of, target(&a.target, lang));
        match ix.variance {
            None => {
                let _ = writeln!(out, "  {}", x.no_variance);
            }
            Some(v) => {
                let _ = writeln!(out, "  Var = {}, {} = {}", num(lang, v, 4), x.mean, opt(lang, ix.mean, 4));
                let mut rows = vec![vec![
                    String::new(),
                    x.first_order.to_string(),
                    x.interval.to_string(),
                    x.total.to_string(),
                    x.interval.to_string(),
                ]];
                let ci = |c: Option<[f64; 2]>| match c {
                    Some([lo, hi]) => format!("[{}; {}]", num(lang, lo, 3), num(lang, hi, 3)),
                    None => String::new(),
                };
                for f in &ix.factors {
                    rows.push(vec![
                        f.factor.clone(),
                        opt(lang, f.indices.first_order, 3),
                        ci(f.indices.first_order_interval),
                        opt(lang, f.indices.total, 3),
                        ci(f.indices.total_interval),
                    ]);
                }
                table(&mut out, &rows, &[false, true, false, true, false]);
            }
        }
        let boot = if a.design.bootstrap > 0 {
            if lang == Lang::Ru {
                format!(" Интервалы: 5–95 % из {} бутстреп-выборок.", a.design.bootstrap)
            } else {
                format!(" Intervals: 5–95 % of {} bootstrap resamples.", a.design.bootstrap)
            }
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {}{boot}", x.estimators);
    }
    let _ = writeln!(out, "\n{} ({} {})", x.ranks, a.design.ranked_samples, x.over_samples);
    let mut rows = vec![vec![
        x.nominal.to_string(),
        x.unit.to_string(),
        x.name.to_string(),
        x.score.to_string(),
        x.median.to_string(),
        x.q05.to_string(),
        x.q95.to_string(),
        x.shift.to_string(),
    ]];
    for u in &a.units {
        rows.push(vec![
            u.nominal_rank.map(|r| r.to_string()).unwrap_or_else(|| x.na.to_string()),
            u.unit.clone(),
            lang.pick(&u.name, "").to_string(),
            fixed(lang, u.nominal_score, 2),
            opt(lang, u.median_rank, 1),
            opt(lang, u.rank_q05, 1),
            opt(lang, u.rank_q95, 1),
            fixed(lang, u.mean_abs_shift, 2),
        ]);
    }
    table(&mut out, &rows, &[true, false, false, true, true, true, true, true]);
    let _ = writeln!(out, "  {}", x.percentile_note);
    out
}
