//! The audit laid out for reading, in one language: the figures of an [`Audit`] formatted, with
//! the methodology's labels. The terminal text ([`text::render`]) and the audit section
//! of the Markdown and HTML reports draw from one [`AuditView`]; none computes a
//! figure (display rounding aside).

use super::text::{self, fill, plural, AuditTexts};
use super::{
    AreaAudit, Audit, ComponentsAudit, Correlation, Figure, Flag, ItemAudit, MatrixAudit, NotComputable, PeriodAudit,
    SetAudit, COLLINEAR,
};
use crate::i18n::Lang;
use crate::model::Model;
use crate::number::fixed;
use crate::report::text as rtext;

/// The audit in one language.
#[derive(Debug)]
pub struct AuditView {
    /// The fixed texts.
    pub t: &'static AuditTexts,
    /// The language.
    pub lang: Lang,
    /// The methodology's title.
    pub title: String,
    /// Its version.
    pub version: String,
    /// The periods, in the audit's order.
    pub periods: Vec<PeriodView>,
}

/// The audit of one period.
#[derive(Debug)]
pub struct PeriodView {
    /// The period.
    pub period: String,
    /// How many states.
    pub unit_count: usize,
    /// Their codes, comma-separated.
    pub units: String,
    /// How many flags, in words.
    pub flag_summary: String,
    /// The index, then each area followed by its sub-areas.
    pub areas: Vec<AreaView>,
    /// Data availability.
    pub availability: AvailabilityView,
    /// The set named on the command line.
    pub set: Option<SetView>,
    /// The correlation matrix of every scored indicator.
    pub matrix: Option<MatrixView>,
}

/// A set of scores audited together (`--set`).
#[derive(Debug)]
pub struct SetView {
    /// Its members and Cronbach's alpha, in one line.
    pub summary: String,
    /// Per member: id, label, alpha if deleted, item–rest correlation.
    pub rows: Vec<[String; 4]>,
    /// The eigenvalues and explained variance, in one line.
    pub components: String,
}

/// The correlation matrix of every scored indicator (`--matrix`).
#[derive(Debug)]
pub struct MatrixView {
    /// Column headings: the indicators' numbers.
    pub heads: Vec<String>,
    /// Per indicator: its number, id, label and r with every indicator.
    pub rows: Vec<(String, String, String, Vec<String>)>,
}

/// A correlation (or its absence) as shown.
#[derive(Debug, Clone)]
pub struct Cell {
    /// `0.95`, `−0.30`, `·` on the diagonal, `—` when not computable.
    pub text: String,
    /// CSS class: `neg`, `weak`, `ok`, `high`, `na` or `diag`.
    pub class: &'static str,
    /// What the cell is, for a tooltip.
    pub title: String,
}

/// A child of a node: its correlation with the node and with every other child.
#[derive(Debug)]
pub struct ChildRow {
    /// Its number in the node's table (`1`).
    pub num: String,
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Units with both scores (with the node).
    pub n: String,
    /// r with the node.
    pub r: Cell,
    /// p of that r.
    pub p: String,
    /// ρ with the node.
    pub rho: Cell,
    /// Whether it is flagged as negatively correlated with the node.
    pub flagged: bool,
    /// One cell per child: r above the diagonal, ρ below.
    pub cells: Vec<Cell>,
    /// Cronbach's alpha of the node without this child.
    pub alpha_drop: String,
    /// Its corrected item-total (item–rest) correlation.
    pub item_rest: String,
}

/// One node (the index, an area, a sub-area).
#[derive(Debug)]
pub struct AreaView {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// 0 for the index.
    pub depth: u32,
    /// Its children and Cronbach's alpha, in one line.
    pub summary: String,
    /// The numbers of the children (column headings).
    pub heads: Vec<String>,
    /// One row per child.
    pub rows: Vec<ChildRow>,
    /// The flags, as sentences.
    pub flags: Vec<String>,
    /// Figures that cannot be computed, and correlations over fewer states than the period's.
    pub notes: Vec<String>,
    /// The eigenvalues of the children's correlation matrix and the variance they explain.
    pub components: String,
}

/// A state's data availability.
#[derive(Debug)]
pub struct UnitAvailabilityRow {
    /// Unit code.
    pub unit: String,
    /// `40/42`.
    pub present: String,
    /// `95.2%`.
    pub share: String,
    /// The share within each top-level area.
    pub areas: Vec<String>,
    /// Whether every value is present.
    pub complete: bool,
}

/// An indicator with missing values.
#[derive(Debug)]
pub struct IndicatorAvailabilityRow {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// `4/5`.
    pub present: String,
    /// `80.0%`.
    pub share: String,
    /// The states without a value and why: `KZ (not submitted)`.
    pub missing: String,
}

/// A top-level area, as a column of the availability table.
#[derive(Debug)]
pub struct AreaHead {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
}

/// Data availability of one period.
#[derive(Debug)]
pub struct AvailabilityView {
    /// What is counted.
    pub note: String,
    /// The top-level areas.
    pub areas: Vec<AreaHead>,
    /// Per state.
    pub units: Vec<UnitAvailabilityRow>,
    /// Indicators with missing values.
    pub indicators: Vec<IndicatorAvailabilityRow>,
    /// States left out by screening, as sentences.
    pub screened_out: Vec<String>,
}

/// Lays out an audit in a language, with the methodology's labels.
pub fn build(model: &Model, audit: &Audit, lang: Lang) -> AuditView {
    let b = Builder { model, lang, t: text::texts(lang) };
    AuditView {
        t: b.t,
        lang,
        title: lang.pick(&model.header.title, &model.header.id).to_string(),
        version: audit.methodology.version.clone(),
        periods: audit.periods.iter().map(|p| b.period(p)).collect(),
    }
}

struct Builder<'a> {
    model: &'a Model,
    lang: Lang,
    t: &'static AuditTexts,
}

impl Builder<'_> {
    fn num(&self, x: f64, digits: u32) -> String {
        rtext::number(self.lang, &fixed(x, digits, self.model.header.rounding))
    }

    fn percent(&self, share: Option<f64>) -> String {
        match share {
            Some(s) => {
                let n = self.num(s * 100.0, 1);
                if self.lang == Lang::Ru {
                    format!("{n}\u{a0}%")
                } else {
                    format!("{n}%")
                }
            }
            None => "—".into(),
        }
    }

    fn p_text(&self, p: Option<f64>) -> String {
        match p {
            Some(p) if p < 0.001 => format!("<{}", self.num(0.001, 3)),
            Some(p) => self.num(p, 3),
            None => "—".into(),
        }
    }

    fn label_of(&self, kind: &str, id: &str) -> String {
        let m = self.model;
        let labels = match kind {
            "indicator" => m.indicators.get(id).map(|i| &i.labels),
            _ => m.areas.get(id).map(|a| &a.labels),
        };
        labels.map(|l| self.lang.pick(l, id).to_string()).unwrap_or_else(|| id.to_string())
    }

    fn quoted(&self, kind: &str, id: &str) -> String {
        let (q0, q1) = self.t.quotes;
        format!("{q0}{}{q1} ({id})", self.label_of(kind, id))
    }

    /// The colour class of r: between two children, `high` marks near collinearity; with the
    /// node, a high r is what an aggregate should have, so it is `ok`.
    fn class(r: f64, between: bool) -> &'static str {
        if between && r.abs() > COLLINEAR {
            "high"
        } else if r < 0.0 {
            "neg"
        } else if r < 0.3 {
            "weak"
        } else {
            "ok"
        }
    }

    fn fig_cell(&self, f: &Figure, title: String, between: bool) -> Cell {
        match f.value {
            Some(r) => Cell { text: self.num(r, 2), class: Self::class(r, between), title },
            None => Cell { text: "—".into(), class: "na", title },
        }
    }

    fn why(&self, w: &NotComputable, first: &str, second: &str) -> String {
        let t = self.t;
        match w {
            NotComputable::TooFewPairs { pairs } => fill(t.too_few_pairs, &[("n", &pairs.to_string())]),
            NotComputable::NoVariance { first: a, second: b } => {
                let ids: Vec<&str> =
                    [(*a, first), (*b, second)].iter().filter(|(x, _)| *x).map(|(_, id)| *id).collect();
                fill(t.no_variance, &[("id", &ids.join(", "))])
            }
            NotComputable::TooFewChildren { .. } => t.one_child.into(),
            NotComputable::ZeroTotalVariance => t.zero_total_variance.into(),
        }
    }

    fn tooltip(&self, a: &str, b: &str, c: &Correlation) -> String {
        let f = |x: &Figure| x.value.map(|v| self.num(v, 3)).unwrap_or_else(|| "—".into());
        format!("{a} × {b}: r = {}, ρ = {}, n = {}, p = {}", f(&c.pearson), f(&c.spearman), c.n, self.p_text(c.p_value))
    }

    fn period(&self, p: &PeriodAudit) -> PeriodView {
        let t = self.t;
        let (mut neg, mut col) = (0, 0);
        for a in &p.areas {
            for f in &a.flags {
                match f {
                    Flag::Negative { .. } => neg += 1,
                    Flag::Collinear { .. } => col += 1,
                }
            }
        }
        let flag_summary = if neg + col == 0 {
            t.no_flags.to_string()
        } else {
            fill(
                t.flag_summary,
                &[
                    ("neg", &neg.to_string()),
                    ("negative", plural(self.lang, neg, t.negative_words)),
                    ("col", &col.to_string()),
                    ("collinear", plural(self.lang, col, t.collinear_words)),
                ],
            )
        };
        PeriodView {
            period: p.period.clone(),
            unit_count: p.units.len(),
            units: p.units.join(", "),
            flag_summary,
            areas: p.areas.iter().map(|a| self.area(a, p.units.len())).collect(),
            availability: self.availability(p),
            set: p.set.as_ref().map(|s| self.set(s)),
            matrix: p.matrix.as_ref().map(|m| self.matrix(m)),
        }
    }

    fn area(&self, a: &AreaAudit, units: usize) -> AreaView {
        let t = self.t;
        let kind_of = |id: &str| a.children.iter().find(|c| c.id == id).map(|c| c.kind).unwrap_or("indicator");
        let n_ind = a.children.iter().filter(|c| c.kind == "indicator").count();
        let n_area = a.children.len() - n_ind;
        let mut parts = vec![];
        if n_area > 0 {
            parts.push(format!("{n_area} {}", plural(self.lang, n_area, t.areas)));
        }
        if n_ind > 0 {
            parts.push(format!("{n_ind} {}", plural(self.lang, n_ind, t.indicators)));
        }
        let alpha = match a.alpha.pairwise.value {
            Some(x) => {
                let mut s = format!("{} = {}", t.alpha, self.num(x, 2));
                if a.alpha.complete_cases < units {
                    let c = match a.alpha.complete.value {
                        Some(y) => self.num(y, 2),
                        None => "—".into(),
                    };
                    let over = fill(t.alpha_complete, &[("n", &a.alpha.complete_cases.to_string())]);
                    s.push_str(&format!("; {over}: {c}"));
                }
                s
            }
            None => {
                let why = a.alpha.pairwise.not_computable.map(|w| {
                    let (x, y) = a.alpha.pair.as_ref().map(|[x, y]| (x.as_str(), y.as_str())).unwrap_or(("", ""));
                    let pair = if x.is_empty() { String::new() } else { format!("{x} × {y}: ") };
                    format!("{pair}{}", self.why(&w, x, y))
                });
                format!("{} — ({})", t.alpha, why.unwrap_or_default())
            }
        };
        parts.push(alpha);
        let summary = parts.join(" · ");
        let k = a.children.len();
        let mut notes = vec![];
        let mut fewer = vec![];
        let rows: Vec<ChildRow> = a
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = &a.with_area[i].correlation;
                if let Some(why) = w.pearson.not_computable {
                    notes.push(format!("{} × {}: {} ({})", c.id, a.area, t.dash_note, self.why(&why, &c.id, &a.area)));
                }
                let tip = self.tooltip(&c.id, &a.area, w);
                let cells = (0..k)
                    .map(|j| {
                        if i == j {
                            return Cell { text: "·".into(), class: "diag", title: c.id.clone() };
                        }
                        let (lo, hi) = (i.min(j), i.max(j));
                        let pos = lo * k - lo * (lo + 1) / 2 + (hi - lo - 1);
                        let pair = &a.pairs[pos];
                        let tip = self.tooltip(&pair.a, &pair.b, &pair.correlation);
                        if i < j {
                            self.fig_cell(&pair.correlation.pearson, tip, true)
                        } else {
                            self.fig_cell(&pair.correlation.spearman, tip, true)
                        }
                    })
                    .collect();
                ChildRow {
                    num: (i + 1).to_string(),
                    id: c.id.clone(),
                    label: self.label_of(c.kind, &c.id),
                    n: w.n.to_string(),
                    r: self.fig_cell(&w.pearson, tip.clone(), false),
                    p: self.p_text(w.p_value),
                    rho: self.fig_cell(&w.spearman, tip, false),
                    flagged: a.flags.iter().any(|f| matches!(f, Flag::Negative { child, .. } if *child == c.id)),
                    cells,
                    alpha_drop: self.fig_text(&a.items[i].alpha_if_deleted),
                    item_rest: self.fig_text(&a.items[i].item_rest),
                }
            })
            .collect();
        for pair in &a.pairs {
            if let Some(why) = pair.correlation.pearson.not_computable {
                notes.push(format!("{} × {}: {} ({})", pair.a, pair.b, t.dash_note, self.why(&why, &pair.a, &pair.b)));
            } else if pair.correlation.n < units {
                fewer.push(format!("{} × {} (n = {})", pair.a, pair.b, pair.correlation.n));
            }
        }
        if !fewer.is_empty() {
            notes.push(format!("{}: {}", t.fewer_units, fewer.join(", ")));
        }
        let flags = a
            .flags
            .iter()
            .map(|f| match f {
                Flag::Negative { child, pearson, n } => fill(
                    t.flag_negative,
                    &[
                        ("child", &self.quoted(kind_of(child), child)),
                        ("area", &self.quoted("area", &a.area)),
                        ("r", &self.num(*pearson, 3)),
                        ("n", &n.to_string()),
                    ],
                ),
                Flag::Collinear { a: x, b: y, pearson, n } => fill(
                    t.flag_collinear,
                    &[
                        ("a", &self.quoted(kind_of(x), x)),
                        ("b", &self.quoted(kind_of(y), y)),
                        ("r", &self.num(*pearson, 3)),
                        ("n", &n.to_string()),
                    ],
                ),
            })
            .collect();
        AreaView {
            id: a.area.clone(),
            label: self.label_of("area", &a.area),
            depth: a.depth,
            summary,
            heads: (1..=k).map(|i| i.to_string()).collect(),
            rows,
            flags,
            notes,
            components: self.components(&a.components),
        }
    }

    fn fig_text(&self, f: &Figure) -> String {
        f.value.map(|v| self.num(v, 2)).unwrap_or_else(|| "—".into())
    }

    fn components(&self, c: &ComponentsAudit) -> String {
        let t = self.t;
        if let Some(w) = &c.not_computable {
            return format!("{}: — ({})", t.eigenvalues, self.why(w, "", ""));
        }
        let list: Vec<String> = c
            .components
            .iter()
            .map(|x| {
                format!(
                    "{} ({}, {})",
                    self.num(x.eigenvalue, 2),
                    self.percent(Some(x.share)),
                    self.percent(Some(x.cumulative))
                )
            })
            .collect();
        format!("{} (n = {}): {}", t.eigenvalues, c.complete_cases, list.join("; "))
    }

    fn items(&self, items: &[ItemAudit], kind_of: impl Fn(&str) -> &'static str) -> Vec<[String; 4]> {
        items
            .iter()
            .map(|i| {
                [
                    i.id.clone(),
                    self.label_of(kind_of(&i.id), &i.id),
                    self.fig_text(&i.alpha_if_deleted),
                    self.fig_text(&i.item_rest),
                ]
            })
            .collect()
    }

    fn set(&self, s: &SetAudit) -> SetView {
        let t = self.t;
        let alpha = match s.alpha.pairwise.value {
            Some(x) => format!("{} = {}", t.alpha, self.num(x, 2)),
            None => format!("{} —", t.alpha),
        };
        let ids: Vec<&str> = s.members.iter().map(|m| m.id.as_str()).collect();
        let kind_of = |id: &str| s.members.iter().find(|m| m.id == id).map(|m| m.kind).unwrap_or("indicator");
        SetView {
            summary: format!("{}: {} · {alpha}", t.set, ids.join(", ")),
            rows: self.items(&s.items, kind_of),
            components: self.components(&s.components),
        }
    }

    fn matrix(&self, m: &MatrixAudit) -> MatrixView {
        MatrixView {
            heads: (1..=m.indicators.len()).map(|i| i.to_string()).collect(),
            rows: m
                .indicators
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let cells = m.pearson[i]
                        .iter()
                        .enumerate()
                        .map(|(j, r)| match r {
                            _ if i == j => "·".to_string(),
                            Some(r) => self.num(*r, 2),
                            None => "—".into(),
                        })
                        .collect();
                    ((i + 1).to_string(), id.clone(), self.label_of("indicator", id), cells)
                })
                .collect(),
        }
    }

    fn availability(&self, p: &PeriodAudit) -> AvailabilityView {
        let t = self.t;
        let av = &p.availability;
        let tops: Vec<AreaHead> = self
            .model
            .areas
            .values()
            .filter(|a| a.depth == 1)
            .map(|a| AreaHead { id: a.id.clone(), label: self.label_of("area", &a.id) })
            .collect();
        let units = av
            .units
            .iter()
            .map(|u| UnitAvailabilityRow {
                unit: u.unit.clone(),
                present: format!("{}/{}", u.overall.present, u.overall.total),
                share: self.percent(u.overall.share),
                areas: tops.iter().map(|h| self.percent(u.areas.get(&h.id).and_then(|s| s.share))).collect(),
                complete: u.overall.present == u.overall.total,
            })
            .collect();
        let indicators = av
            .by_indicator
            .iter()
            .filter(|i| i.overall.present < i.overall.total)
            .map(|i| IndicatorAvailabilityRow {
                id: i.indicator.clone(),
                label: self.label_of("indicator", &i.indicator),
                present: format!("{}/{}", i.overall.present, i.overall.total),
                share: self.percent(i.overall.share),
                missing: av
                    .missing
                    .iter()
                    .filter(|m| m.indicator == i.indicator)
                    .map(|m| format!("{} ({})", m.unit, rtext::reason(self.lang, m.reason)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect();
        let screened_out = av
            .screened_out
            .iter()
            .map(|s| {
                fill(
                    t.screened_out,
                    &[
                        ("unit", &s.unit),
                        ("share", &self.percent(Some(s.availability))),
                        ("threshold", &self.percent(Some(s.threshold))),
                    ],
                )
            })
            .collect();
        AvailabilityView {
            note: fill(t.availability_note, &[("k", &av.indicators.len().to_string())]),
            areas: tops,
            units,
            indicators,
            screened_out,
        }
    }
}
