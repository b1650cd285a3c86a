//! The report's sensitivity section (`tamga report --sensitivity N`): the analysis laid out for
//! reading, in one language. Every number comes from the [`Analysis`]; building the view only
//! formats and orders.

use super::text::{self, num, opt, Texts};
use super::Analysis;
use crate::i18n::Lang;
use crate::report::svg::{self, RankInterval};

/// A unit's ranks, as text.
#[derive(Debug)]
pub struct RankRow {
    /// Code.
    pub unit: String,
    /// Name in the language (or empty).
    pub name: String,
    /// The nominal index.
    pub score: String,
    /// The nominal rank.
    pub nominal: String,
    /// The median rank.
    pub median: String,
    /// 5th percentile of ranks.
    pub q05: String,
    /// 95th percentile of ranks.
    pub q95: String,
    /// Mean absolute shift.
    pub shift: String,
}

/// A factor's indices, as text.
#[derive(Debug)]
pub struct IndexRow {
    /// The factor's name.
    pub factor: String,
    /// What it varies, in words.
    pub what: String,
    /// Sᵢ.
    pub first_order: String,
    /// Its interval (empty without bootstrap).
    pub first_order_interval: String,
    /// Sᴛᵢ.
    pub total: String,
    /// Its interval.
    pub total_interval: String,
    /// Sᵢ in percent of the bar's width (negative estimates as 0), for its geometry.
    pub first_pct: String,
    /// Sᴛᵢ − Sᵢ in percent (the interactions, ≥ 0).
    pub interaction_pct: String,
}

/// The section.
#[derive(Debug)]
pub struct SensitivityView {
    /// Fixed texts.
    pub t: &'static Texts,
    /// The heading (`Sensitivity analysis · 2018`).
    pub heading: String,
    /// The design in one sentence.
    pub design: String,
    /// What the indices are of (`… of the mean absolute rank change …`).
    pub indices_heading: String,
    /// `Var = …, mean = …`, or why there are no indices.
    pub variance: String,
    /// The note under the indices (estimators, bootstrap).
    pub estimators: String,
    /// The factors' indices (empty for an uncertainty analysis).
    pub indices: Vec<IndexRow>,
    /// Whether indices were estimated (a sensitivity analysis).
    pub has_indices: bool,
    /// The rank-interval chart.
    pub chart: String,
    /// The chart's caption.
    pub chart_title: String,
    /// Every unit, by nominal rank.
    pub rows: Vec<RankRow>,
}

/// Lays an analysis out.
pub fn build(a: &Analysis, lang: Lang) -> SensitivityView {
    let t = text::texts(lang);
    let heading = match a.analysis {
        super::Mode::Uncertainty => t.uncertainty,
        super::Mode::Sensitivity => t.sensitivity,
    };
    let ci = |c: Option<[f64; 2]>| match c {
        Some([lo, hi]) => format!("[{}; {}]", num(lang, lo, 3), num(lang, hi, 3)),
        None => String::new(),
    };
    let (mut indices, mut variance, mut has_indices) = (vec![], String::new(), false);
    if let Some(ix) = &a.indices {
        has_indices = true;
        variance = match ix.variance {
            Some(v) => format!("Var = {}, {} = {}", num(lang, v, 4), t.mean, opt(lang, ix.mean, 4)),
            None => t.no_variance.to_string(),
        };
        indices = ix
            .factors
            .iter()
            .zip(&a.factors)
            .map(|(f, info)| {
                let s = f.indices.first_order.unwrap_or(0.0).clamp(0.0, 1.0);
                let st = f.indices.total.unwrap_or(0.0).clamp(0.0, 1.0);
                IndexRow {
                    factor: f.factor.clone(),
                    what: text::describe(&info.declared, info.alternatives, lang),
                    first_order: opt(lang, f.indices.first_order, 3),
                    first_order_interval: ci(f.indices.first_order_interval),
                    total: opt(lang, f.indices.total, 3),
                    total_interval: ci(f.indices.total_interval),
                    first_pct: format!("{:.1}", s * 100.0),
                    interaction_pct: format!("{:.1}", (st - s).max(0.0) * 100.0),
                }
            })
            .collect();
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
    let ranked = a.units.iter().filter(|u| u.nominal_rank.is_some() || u.ranked > 0).count();
    let chart_rows: Vec<RankInterval> = a
        .units
        .iter()
        .map(|u| {
            let name = lang.pick(&u.name, "");
            let label = if name.is_empty() { u.unit.clone() } else { format!("{} {name}", u.unit) };
            let tooltip = format!(
                "{label}: {} {}, {} {}, {} {}–{}",
                t.nominal,
                u.nominal_rank.map(|r| r.to_string()).unwrap_or_else(|| t.na.into()),
                t.median,
                opt(lang, u.median_rank, 1),
                t.interval,
                opt(lang, u.rank_q05, 1),
                opt(lang, u.rank_q95, 1)
            );
            RankInterval {
                label,
                tooltip,
                nominal: u.nominal_rank.map(f64::from),
                median: u.median_rank,
                interval: u.rank_q05.zip(u.rank_q95),
            }
        })
        .collect();
    let chart_title = format!("{} · {} {}", t.ranks, t.period, a.period);
    let chart =
        svg::rank_intervals(&chart_title, &chart_rows, ranked, [t.legend_interval, t.legend_median, t.legend_nominal]);
    SensitivityView {
        t,
        heading: format!("{heading} · {}", a.period),
        design: text::design(a, lang),
        indices_heading: format!("{} {}", t.indices_of, text::target(&a.target, lang)),
        variance,
        estimators: format!("{}{boot}", t.estimators),
        indices,
        has_indices,
        chart,
        chart_title,
        rows: a
            .units
            .iter()
            .map(|u| RankRow {
                unit: u.unit.clone(),
                name: lang.pick(&u.name, "").to_string(),
                score: text::fixed(lang, u.nominal_score, 2),
                nominal: u.nominal_rank.map(|r| r.to_string()).unwrap_or_else(|| t.na.into()),
                median: opt(lang, u.median_rank, 1),
                q05: opt(lang, u.rank_q05, 1),
                q95: opt(lang, u.rank_q95, 1),
                shift: text::fixed(lang, u.mean_abs_shift, 2),
            })
            .collect(),
    }
}
