//! The impact of a methodology change: both versions evaluated on the same submissions, and per
//! state how the index, each area and the rank moved, and which standards changed verdict.

use super::diff::Side;
use crate::eval::{Outcome, PeriodOutcome};
use crate::i18n::{self, Lang};
use crate::model::{Model, Reason, Val};
use crate::number::{fixed, Rounding};
use indexmap::IndexMap;
use serde::Serialize;
use std::fmt::Write;

/// A score in both versions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Delta {
    /// Before.
    pub old: Option<f64>,
    /// After.
    pub new: Option<f64>,
    /// After − before, when both are present.
    pub change: Option<f64>,
    /// Why the old value is missing (or the area does not exist in the old version: `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_missing: Option<Reason>,
    /// Why the new value is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_missing: Option<Reason>,
}

impl Delta {
    fn of(old: Option<Val>, new: Option<Val>) -> Delta {
        let o = old.and_then(|v| v.ok());
        let n = new.and_then(|v| v.ok());
        Delta {
            old: o,
            new: n,
            change: match (o, n) {
                (Some(a), Some(b)) => Some(b - a),
                _ => None,
            },
            old_missing: old.and_then(|v| v.err()).map(|m| m.reason),
            new_missing: new.and_then(|v| v.err()).map(|m| m.reason),
        }
    }
}

/// A rank in both versions (1 = the highest index).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RankMove {
    /// Before.
    pub old: Option<u32>,
    /// After.
    pub new: Option<u32>,
    /// Places gained (positive: moved up).
    pub moved: Option<i32>,
}

/// A standard whose verdict changed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VerdictChange {
    /// Code.
    pub code: String,
    /// Before (`absent` if the standard is new).
    pub old: &'static str,
    /// After (`absent` if removed).
    pub new: &'static str,
}

/// One unit in one period.
#[derive(Debug, Clone, Serialize)]
pub struct UnitImpact {
    /// Unit code.
    pub unit: String,
    /// The index.
    pub index: Delta,
    /// The rank by index.
    pub rank: RankMove,
    /// Areas of either version, by id (top-level areas first, then sub-areas).
    pub areas: IndexMap<String, Delta>,
    /// Standards whose verdict changed.
    pub standards: Vec<VerdictChange>,
    /// Recommendations that apply in one version and not in the other (`applies`,
    /// `does_not_apply`, `not_assessable`, `absent`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<VerdictChange>,
}

/// One period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodImpact {
    /// Period.
    pub period: String,
    /// Units in code order.
    pub units: Vec<UnitImpact>,
}

/// The impact of a change.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// The older version.
    pub old: Side,
    /// The newer version.
    pub new: Side,
    /// Periods.
    pub periods: Vec<PeriodImpact>,
    /// Top-level areas of either version (shown as columns in the text forms).
    #[serde(skip)]
    pub top_areas: Vec<String>,
    /// Decimals of scores in the text forms (the newer version's).
    #[serde(skip)]
    pub precision: u32,
    /// Rounding mode for the text forms.
    #[serde(skip)]
    pub rounding: Rounding,
    /// What the submissions say of themselves (`data: “ILLUSTRATIVE DATA” (10 of 10
    /// submissions)`) and one line per distinct note, for the text forms; set by the caller.
    #[serde(skip)]
    pub data: Vec<String>,
    /// Missing-data thresholds (`reweight(min: …% of weight)`) that need a different number of
    /// children present in the newer version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threshold_shifts: Vec<super::diff::ThresholdShift>,
    /// Labels of areas, standards and recommendations in en and ru (the newer version's, else the
    /// older's), for the text forms.
    #[serde(skip)]
    pub labels: IndexMap<String, crate::model::Labels>,
    /// States' names by code, for the text forms; set by the caller from the submissions.
    #[serde(skip)]
    pub unit_names: IndexMap<String, crate::model::Labels>,
}

fn ranks(m: &Model, p: &PeriodOutcome) -> Vec<Option<u32>> {
    let slot = m.areas[&m.index].slot;
    let vals: Vec<Option<f64>> = (0..p.units.len()).map(|u| p.get(slot, u).ok()).collect();
    vals.iter().map(|v| v.map(|x| 1 + vals.iter().filter(|w| w.is_some_and(|y| y > x)).count() as u32)).collect()
}

fn applies(m: &Model, p: &PeriodOutcome, id: &str, u: usize) -> &'static str {
    match m.recommendations.get(id) {
        None => "absent",
        Some(r) => match p.get(r.slot, u) {
            Ok(x) if x != 0.0 => "applies",
            Ok(_) => "does_not_apply",
            Err(_) => "not_assessable",
        },
    }
}

fn verdict(m: &Model, p: &PeriodOutcome, code: &str, u: usize) -> &'static str {
    match m.standards.get(code) {
        None => "absent",
        Some(s) => match p.get(s.met, u) {
            Ok(x) if x != 0.0 => "met",
            Ok(_) => "not_met",
            Err(_) => "not_assessable",
        },
    }
}

/// Compares two evaluations of the same submissions.
pub fn impact(
    old_side: Side,
    old: &Model,
    old_out: &Outcome,
    new_side: Side,
    new: &Model,
    new_out: &Outcome,
) -> Impact {
    let mut area_ids: Vec<String> = old.areas.keys().filter(|k| **k != old.index).cloned().collect();
    for k in new.areas.keys() {
        if *k != new.index && !area_ids.contains(k) {
            area_ids.push(k.clone());
        }
    }
    let mut codes: Vec<String> = old.standards.keys().cloned().collect();
    for k in new.standards.keys() {
        if !codes.contains(k) {
            codes.push(k.clone());
        }
    }
    let mut recs: Vec<String> = old.recommendations.keys().cloned().collect();
    for k in new.recommendations.keys() {
        if !recs.contains(k) {
            recs.push(k.clone());
        }
    }
    let mut periods = vec![];
    let mut names: Vec<&String> = new_out.periods.iter().map(|p| &p.period).collect();
    for p in &old_out.periods {
        if !names.contains(&&p.period) {
            names.push(&p.period);
        }
    }
    for period in names {
        let po = old_out.periods.iter().find(|p| &p.period == period);
        let pn = new_out.periods.iter().find(|p| &p.period == period);
        let mut units: Vec<String> = po.map(|p| p.units.clone()).unwrap_or_default();
        for u in pn.map(|p| p.units.clone()).unwrap_or_default() {
            if !units.contains(&u) {
                units.push(u);
            }
        }
        units.sort();
        let ro = po.map(|p| ranks(old, p));
        let rn = pn.map(|p| ranks(new, p));
        let mut out = vec![];
        for unit in units {
            let uo = po.and_then(|p| p.unit_index(&unit).map(|i| (p, i)));
            let un = pn.and_then(|p| p.unit_index(&unit).map(|i| (p, i)));
            let get = |m: &Model, x: Option<(&PeriodOutcome, usize)>, area: &str| -> Option<Val> {
                let (p, i) = x?;
                m.areas.get(area).map(|a| p.get(a.slot, i))
            };
            let index = Delta::of(get(old, uo, &old.index), get(new, un, &new.index));
            let r_old = uo.and_then(|(_, i)| ro.as_ref().and_then(|r| r[i]));
            let r_new = un.and_then(|(_, i)| rn.as_ref().and_then(|r| r[i]));
            let rank = RankMove {
                old: r_old,
                new: r_new,
                moved: match (r_old, r_new) {
                    (Some(a), Some(b)) => Some(a as i32 - b as i32),
                    _ => None,
                },
            };
            let areas = area_ids.iter().map(|a| (a.clone(), Delta::of(get(old, uo, a), get(new, un, a)))).collect();
            let mut standards = vec![];
            for code in &codes {
                let vo = uo.map(|(p, i)| verdict(old, p, code, i)).unwrap_or("absent");
                let vn = un.map(|(p, i)| verdict(new, p, code, i)).unwrap_or("absent");
                if vo != vn {
                    standards.push(VerdictChange { code: code.clone(), old: vo, new: vn });
                }
            }
            let mut recommendations = vec![];
            for id in &recs {
                let vo = uo.map(|(p, i)| applies(old, p, id, i)).unwrap_or("absent");
                let vn = un.map(|(p, i)| applies(new, p, id, i)).unwrap_or("absent");
                if vo != vn {
                    recommendations.push(VerdictChange { code: id.clone(), old: vo, new: vn });
                }
            }
            out.push(UnitImpact { unit, index, rank, areas, standards, recommendations });
        }
        periods.push(PeriodImpact { period: period.clone(), units: out });
    }
    let top_areas = area_ids
        .iter()
        .filter(|a| old.areas.get(*a).or_else(|| new.areas.get(*a)).is_some_and(|x| x.depth == 1))
        .cloned()
        .collect();
    let mut labels = IndexMap::new();
    for m in [old, new] {
        for (id, a) in &m.areas {
            labels.insert(id.clone(), a.labels.clone());
        }
        for (code, st) in &m.standards {
            labels.insert(code.clone(), st.labels.clone());
        }
        for (id, r) in &m.recommendations {
            labels.insert(id.clone(), r.labels.clone());
        }
    }
    Impact {
        old: old_side,
        new: new_side,
        periods,
        top_areas,
        precision: new.header.score_precision,
        rounding: new.header.rounding,
        data: vec![],
        threshold_shifts: super::diff::threshold_shifts(old, new),
        labels,
        unit_names: IndexMap::new(),
    }
}

fn word(key: &str, lang: Lang) -> &'static str {
    match (key, lang) {
        ("title", Lang::En) => "Impact of the change",
        ("title", Lang::Ru) => "Влияние изменений",
        ("period", Lang::En) => "Period",
        ("period", Lang::Ru) => "Период",
        ("unit", Lang::En) => "State",
        ("unit", Lang::Ru) => "Государство",
        ("index", Lang::En) => "Index",
        ("index", Lang::Ru) => "Индекс",
        ("rank", Lang::En) => "Rank",
        ("rank", Lang::Ru) => "Место",
        ("areas", Lang::En) => "Change of area scores",
        ("areas", Lang::Ru) => "Изменение оценок по направлениям",
        ("sub", Lang::En) => "Sub-areas that moved",
        ("sub", Lang::Ru) => "Изменившиеся поднаправления",
        ("standards", Lang::En) => "Standards that changed verdict",
        ("standards", Lang::Ru) => "Стандарты, оценка которых изменилась",
        ("none", Lang::En) => "none",
        ("none", Lang::Ru) => "нет",
        ("met", l) => i18n::glossary::MET.get(l),
        ("not_met", l) => i18n::glossary::NOT_MET.get(l),
        ("not_assessable", l) => i18n::glossary::NOT_ASSESSABLE.get(l),
        ("absent", Lang::En) => "absent",
        ("applies", Lang::En) => "applies",
        ("applies", Lang::Ru) => "применяется",
        ("does_not_apply", Lang::En) => "does not apply",
        ("does_not_apply", Lang::Ru) => "не применяется",
        ("recommendations", Lang::En) => "Recommendations that changed",
        ("recommendations", Lang::Ru) => "Рекомендации, применимость которых изменилась",
        ("thresholds", Lang::En) => "Missing-data thresholds that moved",
        ("thresholds", Lang::Ru) => "Изменившиеся пороги полноты данных",
        ("new", Lang::En) => "new",
        ("new", Lang::Ru) => "новое",
        ("na", Lang::En) => "n/a",
        ("na", Lang::Ru) => "н/д",
        (_, _) => "отсутствует",
    }
}

/// A value in the language's notation; `n/a (reason)` / `н/д (причина)` when it is missing.
fn num(lang: Lang, x: Option<f64>, missing: Option<Reason>, d: u32, r: Rounding) -> String {
    match (x, missing) {
        (Some(v), _) => i18n::number(lang, &fixed(v, d, r)),
        (None, Some(m)) => format!("{} ({})", i18n::na(lang), crate::report::text::reason(lang, m)),
        (None, None) => "—".into(),
    }
}

/// A change with its sign, in the language's notation (`+1,5`, `−0,3`, `0,0`).
fn signed(lang: Lang, x: Option<f64>, d: u32, r: Rounding) -> String {
    match x {
        Some(v) => {
            let t = fixed(v, d, r);
            let t = if t.starts_with('-') || t.trim_start_matches(['0', '.']).is_empty() { t } else { format!("+{t}") };
            i18n::number(lang, &t)
        }
        None => "—".into(),
    }
}

/// The impact as Markdown (also readable in a terminal).
pub fn to_markdown(im: &Impact, lang: Lang) -> String {
    let (d, r) = (im.precision, im.rounding);
    let mut s = String::new();
    // a side evaluated under a scenario is named by it, beside its version
    let name = |side: &Side| match &side.scenario {
        Some(id) => format!("{} ({} `{id}`)", side.version, lang.tr("scenario", "сценарий")),
        None => side.version.clone(),
    };
    let _ = writeln!(s, "# {}: `{}` {} → {}\n", word("title", lang), im.new.id, name(&im.old), name(&im.new));
    let fp = i18n::glossary::FINGERPRINT.get(lang);
    // each version's status, as every output says it (a draft against the approved version)
    fn status(side: &Side, lang: Lang) -> &str {
        match (side.status.as_deref(), lang) {
            (Some("draft"), Lang::Ru) => "проект",
            (Some("proposed"), Lang::Ru) => "внесена на рассмотрение",
            (Some("approved"), Lang::Ru) => "утверждена",
            (Some("superseded"), Lang::Ru) => "утратила силу",
            (Some(st), _) => st,
            (None, Lang::Ru) => "без манифеста",
            (None, Lang::En) => "no manifest",
        }
    }
    for side in [&im.old, &im.new] {
        let _ = writeln!(
            s,
            "- `{}` {} ({}): {fp} `{}`",
            side.spec,
            name(side),
            status(side, lang),
            &side.fingerprint[..side.fingerprint.len().min(16)]
        );
    }
    for line in &im.data {
        let _ = writeln!(s, "- {line}");
    }
    s.push('\n');
    let escape = crate::report::markdown::escape;
    let label = |id: &str| im.labels.get(id).map_or(id.to_string(), |l| lang.pick(l, id).to_string());
    let unit = |code: &str| match im.unit_names.get(code) {
        Some(names) => escape(lang.pick(names, code)),
        None => code.to_string(),
    };
    if !im.threshold_shifts.is_empty() {
        let _ = writeln!(s, "## {}\n", word("thresholds", lang));
        for t in &im.threshold_shifts {
            let _ = writeln!(s, "- {}", super::diff::shift_text(t, &format!("«{}»", escape(&label(&t.area))), lang));
        }
        s.push('\n');
    }
    for p in &im.periods {
        let _ = writeln!(s, "## {} {}\n", word("period", lang), p.period);
        let _ = writeln!(
            s,
            "| {} | {} {} | {} {} | Δ | {} |",
            word("unit", lang),
            word("index", lang),
            name(&im.old),
            word("index", lang),
            name(&im.new),
            word("rank", lang)
        );
        let _ = writeln!(s, "| --- | ---: | ---: | ---: | :---: |");
        for u in &p.units {
            let rank = match (u.rank.old, u.rank.new) {
                (Some(a), Some(b)) => format!("{a} → {b}"),
                (a, b) => format!(
                    "{} → {}",
                    a.map(|x| x.to_string()).unwrap_or("—".into()),
                    b.map(|x| x.to_string()).unwrap_or("—".into())
                ),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                unit(&u.unit),
                num(lang, u.index.old, u.index.old_missing, d, r),
                num(lang, u.index.new, u.index.new_missing, d, r),
                signed(lang, u.index.change, d, r),
                rank
            );
        }
        let ids: Vec<&String> = im.top_areas.iter().collect();
        let cell = |dl: &Delta| match (dl.old, dl.new) {
            (Some(_), Some(_)) => signed(lang, dl.change, d, r),
            (None, Some(v)) => format!("{} {}", lang.tr("new", "новое"), i18n::number(lang, &fixed(v, d, r))),
            (Some(_), None) => i18n::na(lang).into(),
            (None, None) if dl.old_missing.is_some() || dl.new_missing.is_some() => i18n::na(lang).into(),
            (None, None) => "—".into(),
        };
        if !ids.is_empty() {
            let _ = writeln!(s, "\n### {}\n", word("areas", lang));
            let _ = writeln!(
                s,
                "| {} | {} |",
                word("unit", lang),
                ids.iter().map(|a| escape(&label(a))).collect::<Vec<_>>().join(" | ")
            );
            let _ = writeln!(s, "| --- |{}", " ---: |".repeat(ids.len()));
            for u in &p.units {
                let cells: Vec<String> =
                    ids.iter().map(|a| u.areas.get(*a).map(cell).unwrap_or_else(|| "—".into())).collect();
                let _ = writeln!(s, "| {} | {} |", unit(&u.unit), cells.join(" | "));
            }
            // sub-areas: only those that moved
            let mut moved = vec![];
            for u in &p.units {
                for (a, dl) in &u.areas {
                    let changed =
                        dl.change.is_some_and(|c| !fixed(c, d, r).trim_start_matches(['-', '0', '.']).is_empty())
                            || dl.old.is_some() != dl.new.is_some();
                    if !im.top_areas.contains(a) && changed {
                        moved.push(format!("{}: «{}» {}", unit(&u.unit), escape(&label(a)), cell(dl)));
                    }
                }
            }
            if !moved.is_empty() {
                let _ = writeln!(s, "\n{}: {}", word("sub", lang), moved.join("; "));
            }
        }
        let _ = writeln!(s, "\n### {}\n", word("standards", lang));
        let mut any = false;
        for u in &p.units {
            for v in &u.standards {
                any = true;
                let _ = writeln!(
                    s,
                    "- {}: {} «{}»: {} → {}",
                    unit(&u.unit),
                    v.code,
                    escape(&label(&v.code)),
                    word(v.old, lang),
                    word(v.new, lang)
                );
            }
        }
        if !any {
            let _ = writeln!(s, "{}", word("none", lang));
        }
        if p.units.iter().any(|u| !u.recommendations.is_empty()) {
            let _ = writeln!(s, "\n### {}\n", word("recommendations", lang));
            for u in &p.units {
                for v in &u.recommendations {
                    let _ = writeln!(
                        s,
                        "- {}: «{}»: {} → {}",
                        unit(&u.unit),
                        escape(&label(&v.code)),
                        word(v.old, lang),
                        word(v.new, lang)
                    );
                }
            }
        }
        s.push('\n');
    }
    s
}
