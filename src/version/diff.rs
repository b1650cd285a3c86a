//! A semantic diff of two methodology versions: what was added, removed or changed, field by
//! field (formula, scoring rule, weight, aggregation, missing policy, labels), not a text diff.

use crate::check::Methodology;
use crate::i18n::{glossary, Lang};
use crate::model::*;
use crate::number::shortest;
use crate::words;
use indexmap::IndexMap;
use serde::Serialize;
use std::fmt::Write;

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// As given on the command line (`rules/eaeu`, `git:v1.0:rules/eaeu`).
    pub spec: String,
    /// Methodology id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Status from the manifest, if any.
    pub status: Option<String>,
    /// The methodology's scenario this side is evaluated under (`tamga impact --scenario`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

impl Side {
    /// Describes a checked methodology.
    pub fn of(spec: &str, m: &Methodology) -> Side {
        Side {
            spec: spec.to_string(),
            id: m.model.header.id.clone(),
            version: m.model.header.version.clone(),
            fingerprint: m.fingerprint.clone(),
            status: m.manifest.as_ref().map(|x| x.status.as_str().to_string()),
            scenario: None,
        }
    }
}

/// A changed field.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    /// The field (`weight`, `score`, `label (ru)`).
    pub field: String,
    /// Before (empty when absent).
    pub old: String,
    /// After (empty when absent).
    pub new: String,
}

/// One entity added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// `methodology`, `question`, `group`, `indicator`, `area`, `chapter`, `standard`, `recommendation`, `rule`.
    pub entity: &'static str,
    /// Id or code.
    pub id: String,
    /// Labels (of the new version, or the old one when removed).
    pub labels: Labels,
    /// For `changed`: every field that differs; for added/removed: every field.
    pub fields: Vec<FieldChange>,
}

/// The whole diff.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The older version.
    pub old: Side,
    /// The newer version.
    pub new: Side,
    /// Changes, grouped by entity kind in a fixed order, then in the new version's order.
    pub changes: Vec<Change>,
    /// Weight-share thresholds whose number of children needed moved with the weights.
    pub threshold_shifts: Vec<ThresholdShift>,
}

/// A `reweight(min: …)` weight-share threshold that needs a different number of children
/// present after the change (a weight changed, a child was added or removed): a manifest that
/// promised "four of six areas" may no longer hold.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThresholdShift {
    /// The area (or the index).
    pub area: String,
    /// The threshold of the new version, as `67% of weight`.
    pub min: String,
    /// Before: the fewest and the most children needed, and the number of children.
    pub old: (usize, usize, usize),
    /// After: the same.
    pub new: (usize, usize, usize),
}

/// The weight-share thresholds whose number of children needed differs between two versions.
pub(crate) fn threshold_shifts(o: &Model, n: &Model) -> Vec<ThresholdShift> {
    let needed = |a: &Area| match a.missing {
        MissingPolicy::Reweight { min: t @ Threshold::Weight(share) } if share > 0.0 => {
            let w: Vec<f64> = a.children.iter().map(|c| c.weight).collect();
            t.children_needed(&w).map(|(f, m)| (f, m, w.len(), share))
        }
        _ => None,
    };
    n.areas
        .values()
        .filter_map(|a| {
            let (nf, nm, nn, share) = needed(a)?;
            let (of, om, on, _) = needed(o.areas.get(&a.id)?)?;
            ((of, om, on) != (nf, nm, nn)).then(|| ThresholdShift {
                area: a.id.clone(),
                min: format!(
                    "{}% of weight",
                    shortest(crate::number::round(share * 100.0, 2, crate::number::Rounding::HalfEven))
                ),
                old: (of, om, on),
                new: (nf, nm, nn),
            })
        })
        .collect()
}

/// «из 1 дочернего элемента», «из 3 дочерних элементов»: the genitive after «из».
fn children_of(n: usize) -> &'static str {
    words::plural(n as u64, "дочернего элемента", "дочерних элементов", "дочерних элементов")
}

/// "4 of 6 whichever are missing" or "between 3 and 5 of 6, depending on which are missing".
fn needed_text((fewest, most, n): (usize, usize, usize), lang: Lang) -> String {
    match (fewest == most, lang) {
        (true, Lang::En) => format!("{fewest} of {n} children present, whichever are missing"),
        (true, Lang::Ru) => format!("{fewest} из {n} {}, какие бы ни отсутствовали", children_of(n)),
        (false, Lang::En) => {
            format!("between {fewest} and {most} of {n} children present, depending on which are missing")
        }
        (false, Lang::Ru) => {
            format!("от {fewest} до {most} из {n} {}, в зависимости от того, какие отсутствуют", children_of(n))
        }
    }
}

type Fields = IndexMap<String, String>;

fn labels_into(f: &mut Fields, prefix: &str, l: &Labels) {
    for (lang, text) in l {
        f.insert(format!("{prefix} ({lang})"), text.clone());
    }
}

/// An entity as compared: its id, labels and fields.
type Entry = (String, Labels, Fields);

fn entry(id: &str, labels: &Labels, fields: Fields) -> Entry {
    (id.to_string(), labels.clone(), fields)
}

/// The fields of an entity with labels and a few other fields: the labels under `label_key`
/// (`label (en)`), then the others in order.
fn few_fields<const N: usize>(label_key: &str, labels: &Labels, others: [(&str, String); N]) -> Fields {
    let mut f = Fields::new();
    labels_into(&mut f, label_key, labels);
    for (k, v) in others {
        f.insert(k.into(), v);
    }
    f
}

fn range_text(r: &NumRange) -> String {
    if r.lo.is_none() && r.hi.is_none() {
        String::new()
    } else {
        r.display()
    }
}

/// A scoring rule as written in rule files.
pub fn score_text(r: &ScoreRule) -> String {
    let bands = |b: &[(NumRange, f64)]| {
        b.iter().map(|(r, s)| format!("{} => {}", r.display(), shortest(*s))).collect::<Vec<_>>().join(", ")
    };
    match r {
        ScoreRule::Goalposts { best, worst, log } => {
            format!(
                "goalposts(best: {}, worst: {}{})",
                shortest(*best),
                shortest(*worst),
                if *log { ", log: yes" } else { "" }
            )
        }
        ScoreRule::MinMax => "minmax".into(),
        ScoreRule::ZScore { center, scale } => {
            format!("zscore(center: {}, scale: {})", shortest(*center), shortest(*scale))
        }
        ScoreRule::Rank { ties, descending } => {
            format!("rank(ties: {}{})", ties_text(*ties), if *descending { ", order: descending" } else { "" })
        }
        ScoreRule::Percentile { over_n: false, ties: Ties::Average } => "percentile".into(),
        ScoreRule::Percentile { over_n, ties } => format!(
            "percentile(definition: {}, ties: {})",
            if *over_n { "rank_over_n" } else { "interpolated" },
            ties_text(*ties)
        ),
        ScoreRule::Distance { to, how } => {
            let to = to.written();
            format!("distance(to: {to}, as: {})", how.text())
        }
        ScoreRule::Threshold { p, above, within, below } => format!(
            "threshold(p: {}, above: {}, within: {}, below: {})",
            shortest(*p),
            shortest(*above),
            shortest(*within),
            shortest(*below)
        ),
        ScoreRule::Categorical { classes } => format!("categorical {{ {} }}", bands(classes)),
        ScoreRule::Bands { bands: b, otherwise } => match otherwise {
            Some(o) => format!("bands {{ {}, else => {} }}", bands(b), shortest(*o)),
            None => format!("bands {{ {} }}", bands(b)),
        },
        ScoreRule::YesNo { yes, no } => format!("yesno(yes: {}, no: {})", shortest(*yes), shortest(*no)),
        ScoreRule::Value => "value".into(),
        ScoreRule::Formula { text, .. } => format!("formula({text})"),
    }
}

/// A tie rule as written after `ties:`.
fn ties_text(t: Ties) -> &'static str {
    match t {
        Ties::Min => "min",
        Ties::Max => "max",
        Ties::Average => "average",
    }
}

fn aggregation_text(a: Aggregation) -> String {
    a.text()
}

fn policy_text(p: MissingPolicy, children: usize) -> String {
    match p {
        MissingPolicy::Reweight { min: Threshold::Weight(share) } => {
            if share == 0.0 {
                "reweight".into()
            } else {
                format!(
                    "reweight(min: {}% of weight)",
                    shortest(crate::number::round(share * 100.0, 6, crate::number::Rounding::HalfEven))
                )
            }
        }
        MissingPolicy::Reweight { min: Threshold::Children(k) } => format!("reweight(min: {k} of {children})"),
        MissingPolicy::Zero => "zero".into(),
        MissingPolicy::NotAssessable => "not_assessable".into(),
        other => other.text().into(),
    }
}

fn header_fields(m: &Model) -> Fields {
    let h = &m.header;
    let mut f = Fields::new();
    labels_into(&mut f, "title", &h.title);
    f.insert("scale".into(), format!("{}..={}", shortest(h.scale.0), shortest(h.scale.1)));
    f.insert("precision".into(), h.precision.to_string());
    f.insert("score_precision".into(), h.score_precision.to_string());
    f.insert("rounding".into(), h.rounding.as_str().into());
    f.insert("languages".into(), h.languages.join(", "));
    f.insert(
        "uncertainty".into(),
        m.uncertainty
            .as_ref()
            .map(|u| {
                u.factors.iter().map(|f| serde_json::to_string(f).unwrap_or_default()).collect::<Vec<_>>().join("; ")
            })
            .unwrap_or_default(),
    );
    f.insert(
        "screen".into(),
        m.screen
            .map(|x| {
                let pct = shortest(crate::number::round(x.min * 100.0, 6, crate::number::Rounding::HalfEven));
                format!("screen(min: {pct}%{})", if x.imputed { ", on: imputed" } else { "" })
            })
            .unwrap_or_default(),
    );
    labels_into(&mut f, "unit_name", &h.unit_name);
    f
}

fn question_fields(q: &Question) -> Fields {
    let mut f = Fields::new();
    labels_into(&mut f, "label", &q.labels);
    labels_into(&mut f, "help", &q.help);
    let ty = match &q.ty {
        QuestionType::Choice(opts) => {
            format!("choice({})", opts.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", "))
        }
        t => t.name().to_string(),
    };
    f.insert("type".into(), ty);
    if let QuestionType::Choice(opts) = &q.ty {
        for o in opts {
            labels_into(&mut f, &format!("option {}", o.id), &o.labels);
        }
    }
    f.insert("unit".into(), q.unit.clone());
    labels_into(&mut f, "unit", &q.unit_labels);
    f.insert("range".into(), range_text(&q.range));
    f.insert("required".into(), if q.required { "required" } else { "optional" }.into());
    f.insert("group".into(), q.group.clone().unwrap_or_default());
    f
}

fn indicator_fields(i: &Indicator) -> Fields {
    let mut f = Fields::new();
    labels_into(&mut f, "label", &i.labels);
    f.insert("formula".into(), i.formula_text.clone());
    f.insert("unit".into(), i.unit.clone());
    labels_into(&mut f, "unit", &i.unit_labels);
    f.insert("precision".into(), i.precision.to_string());
    f.insert(
        "direction".into(),
        match i.direction {
            Direction::HigherIsBetter => "higher_is_better",
            Direction::LowerIsBetter => "lower_is_better",
        }
        .into(),
    );
    f.insert("score".into(), i.score.as_ref().map(score_text).unwrap_or_default());
    f.insert(
        "outside_scale".into(),
        match i.outside_scale {
            OutsideScale::Warn => "warn",
            OutsideScale::Clamp => "clamp",
            OutsideScale::Allow => "allow",
        }
        .into(),
    );
    f.insert(
        "impute".into(),
        match &i.impute {
            Imputation::None => String::new(),
            Imputation::GroupMean { by } => format!("group_mean(by: {by})"),
            Imputation::GroupMedian { by } => format!("group_median(by: {by})"),
            Imputation::Formula { text, .. } => format!("formula({text})"),
            other => other.name().to_string(),
        },
    );
    f.insert(
        "treat".into(),
        match i.treat {
            Treatment::None => String::new(),
            Treatment::Winsorise { points, skew, kurtosis } => {
                format!("winsorise(points: {points}, skew: {}, kurtosis: {})", shortest(skew), shortest(kurtosis))
            }
            Treatment::Log => "log".into(),
        },
    );
    f.insert("weight".into(), shortest(i.weight));
    f.insert("area".into(), i.area.clone().unwrap_or_default());
    if i.reported_only {
        f.insert("reported_only".into(), "yes".into());
    }
    labels_into(&mut f, "note", &i.notes);
    f.insert("source".into(), i.source.clone().unwrap_or_default());
    f
}

fn area_fields(a: &Area) -> Fields {
    let mut f = Fields::new();
    labels_into(&mut f, "label", &a.labels);
    f.insert("weight".into(), shortest(a.weight));
    f.insert("aggregate".into(), aggregation_text(a.aggregate));
    f.insert("missing".into(), policy_text(a.missing, a.children.len()));
    f.insert("parent".into(), a.parent.clone().unwrap_or_default());
    f.insert("children".into(), a.children.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", "));
    f
}

fn standard_fields(s: &Standard) -> Fields {
    let mut f = Fields::new();
    labels_into(&mut f, "label", &s.labels);
    f.insert(
        "kind".into(),
        match s.kind {
            StandardKind::Standard => "standard",
            StandardKind::Transitional => "transitional",
            StandardKind::Recommended => "recommended",
        }
        .into(),
    );
    f.insert("chapter".into(), s.chapter.clone().unwrap_or_default());
    f.insert("requires".into(), s.requires_text.clone());
    f.insert(
        "levels".into(),
        s.levels.iter().map(|l| format!("{}: {}", l.name, l.text)).collect::<Vec<_>>().join("; "),
    );
    f.insert("baseline".into(), s.baseline.map(shortest).unwrap_or_default());
    f
}

fn compare(out: &mut Vec<Change>, entity: &'static str, old: Vec<Entry>, new: Vec<Entry>) {
    let old_map: IndexMap<&str, (&Labels, &Fields)> = old.iter().map(|(id, l, f)| (id.as_str(), (l, f))).collect();
    let new_ids: Vec<&str> = new.iter().map(|(id, _, _)| id.as_str()).collect();
    // an entity added or removed as a whole: every field it has, on its side
    let whole = |kind: &'static str, id: &String, labels: &Labels, fields: &Fields| Change {
        kind,
        entity,
        id: id.clone(),
        labels: labels.clone(),
        fields: fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                let (old, new) = if kind == "added" { (String::new(), v.clone()) } else { (v.clone(), String::new()) };
                FieldChange { field: k.clone(), old, new }
            })
            .collect(),
    };
    for (id, labels, fields) in &new {
        match old_map.get(id.as_str()) {
            None => out.push(whole("added", id, labels, fields)),
            Some((_, of)) => {
                let mut changed = vec![];
                for (k, v) in fields.iter() {
                    let o = of.get(k).cloned().unwrap_or_default();
                    if &o != v {
                        changed.push(FieldChange { field: k.clone(), old: o, new: v.clone() });
                    }
                }
                for (k, o) in of.iter() {
                    if !fields.contains_key(k) && !o.is_empty() {
                        changed.push(FieldChange { field: k.clone(), old: o.clone(), new: String::new() });
                    }
                }
                if !changed.is_empty() {
                    out.push(Change {
                        kind: "changed",
                        entity,
                        id: id.clone(),
                        labels: labels.clone(),
                        fields: changed,
                    });
                }
            }
        }
    }
    for (id, labels, fields) in &old {
        if !new_ids.contains(&id.as_str()) {
            out.push(whole("removed", id, labels, fields));
        }
    }
}

/// Compares two checked methodologies.
pub fn diff(old_spec: &str, old: &Methodology, new_spec: &str, new: &Methodology) -> Diff {
    let (o, n) = (&old.model, &new.model);
    let mut changes = vec![];
    // one kind of entity of both models: `entries` lists a model's (id, labels, fields)
    let mut kind = |entity: &'static str, entries: &dyn Fn(&Model) -> Vec<Entry>| {
        compare(&mut changes, entity, entries(o), entries(n));
    };
    kind("methodology", &|m| vec![entry(&m.header.id, &m.header.title, header_fields(m))]);
    kind("question", &|m| m.questions.values().map(|q| entry(&q.id, &q.labels, question_fields(q))).collect());
    kind("group", &|m| {
        let f = |g: &Group| few_fields("label", &g.labels, [("questions", g.questions.join(", "))]);
        m.groups.values().map(|g| entry(&g.id, &g.labels, f(g))).collect()
    });
    kind("indicator", &|m| m.indicators.values().map(|i| entry(&i.id, &i.labels, indicator_fields(i))).collect());
    kind("area", &|m| m.areas.values().map(|a| entry(&a.id, &a.labels, area_fields(a))).collect());
    kind("chapter", &|m| {
        let f = |c: &Chapter| few_fields("label", &c.labels, [("standards", c.standards.join(", "))]);
        m.chapters.values().map(|c| entry(&c.code, &c.labels, f(c))).collect()
    });
    kind("standard", &|m| m.standards.values().map(|s| entry(&s.code, &s.labels, standard_fields(s))).collect());
    kind("recommendation", &|m| {
        let f = |r: &Recommendation| few_fields("text", &r.labels, [("when", r.when_text.clone())]);
        m.recommendations.values().map(|r| entry(&r.id, &r.labels, f(r))).collect()
    });
    kind("rule", &|m| {
        let f = |r: &Rule| {
            few_fields("label", &r.labels, [("condition", r.text.clone()), ("severity", r.severity.as_str().into())])
        };
        m.rules.values().map(|r| entry(&r.id, &r.labels, f(r))).collect()
    });
    // the values every use of a constant or a table took are in the fields above; these say why
    kind("parameter", &|m| {
        let none = Labels::new();
        m.parameters
            .iter()
            .map(|(k, v)| entry(k, &none, few_fields("label", &none, [("value", shortest(*v))])))
            .collect()
    });
    kind("table", &|m| {
        let none = Labels::new();
        let f = |t: &TableInfo| few_fields("label", &none, [("file", t.file.clone()), ("sha256", t.sha256.clone())]);
        m.tables.iter().map(|(k, t)| entry(k, &none, f(t))).collect()
    });
    kind("scenario", &|m| {
        let f = |sc: &Scenario| {
            let mut f = few_fields("label", &sc.labels, []);
            for (id, w) in &sc.weights {
                f.insert(format!("weight of {id}"), shortest(*w));
            }
            for (id, a) in &sc.aggregates {
                f.insert(format!("aggregate of {id}"), a.text());
            }
            for (id, r) in &sc.scores {
                f.insert(format!("score of {id}"), score_text(r));
            }
            f
        };
        m.scenarios.values().map(|sc| entry(&sc.id, &sc.labels, f(sc))).collect()
    });
    let threshold_shifts = threshold_shifts(o, n);
    Diff { old: Side::of(old_spec, old), new: Side::of(new_spec, new), changes, threshold_shifts }
}

fn entity_word(e: &str, lang: Lang) -> &'static str {
    match (e, lang) {
        ("methodology", Lang::En) => "Methodology",
        ("methodology", Lang::Ru) => "Методика",
        ("question", Lang::En) => "Questions",
        ("question", Lang::Ru) => "Вопросы",
        ("group", Lang::En) => "Question groups",
        ("group", Lang::Ru) => "Группы вопросов",
        ("indicator", Lang::En) => "Indicators",
        ("indicator", Lang::Ru) => "Индикаторы",
        ("area", Lang::En) => "Areas",
        ("area", Lang::Ru) => "Направления",
        ("chapter", Lang::En) => "Chapters of the Code",
        ("chapter", Lang::Ru) => "Главы Кодекса",
        ("standard", Lang::En) => "Standards",
        ("standard", Lang::Ru) => "Стандарты",
        ("rule", Lang::En) => "Consistency rules",
        ("rule", Lang::Ru) => "Правила согласованности",
        ("parameter", Lang::En) => "Parameters (constants)",
        ("parameter", Lang::Ru) => "Параметры (константы)",
        ("table", Lang::En) => "Parameter tables",
        ("table", Lang::Ru) => "Таблицы параметров",
        ("scenario", Lang::En) => "Scenarios",
        ("scenario", Lang::Ru) => "Сценарии",
        (_, Lang::En) => "Recommendations",
        (_, Lang::Ru) => "Рекомендации",
    }
}

fn kind_word(k: &str, lang: Lang) -> &'static str {
    match (k, lang) {
        ("added", Lang::En) => "added",
        ("added", Lang::Ru) => "добавлено",
        ("removed", Lang::En) => "removed",
        ("removed", Lang::Ru) => "исключено",
        (_, Lang::En) => "changed",
        (_, Lang::Ru) => "изменено",
    }
}

/// The diff as readable text (Markdown), with the rule files' values as written.
pub fn to_text(d: &Diff, lang: Lang) -> String {
    render(d, None, lang)
}

/// The diff as a Board paper reads it (Markdown): every value in words, from the two models —
/// scoring rules, requirements, levels and conditions in words with labels and units, members
/// and parents by label, weights with their share of the parent's weight (the effective
/// weight), and added or removed items in full.
pub fn to_text_in_words(d: &Diff, old: &Model, new: &Model, lang: Lang) -> String {
    render(d, Some((old, new)), lang)
}

fn tr(lang: Lang, en: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// `40 %` of the weight of its parent: an item's effective weight.
fn share_in_parent(m: &Model, id: &str, lang: Lang) -> Option<String> {
    let a = m.areas.values().find(|a| a.children.iter().any(|c| c.id == id))?;
    let total: f64 = a.children.iter().map(|c| c.weight).sum();
    let w = a.children.iter().find(|c| c.id == id)?.weight;
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let pct = crate::number::round(w / total * 100.0, 1, crate::number::Rounding::HalfEven);
    Some(format!(
        "{}\u{a0}% {} «{}»",
        words::number(pct, lang),
        tr(lang, "of the weight of", "веса"),
        lang.pick(&a.labels, &a.id)
    ))
}

fn label_of(m: &Model, id: &str, lang: Lang) -> String {
    if let Some(a) = m.areas.get(id) {
        return lang.pick(&a.labels, id).to_string();
    }
    if let Some(i) = m.indicators.get(id) {
        return lang.pick(&i.labels, id).to_string();
    }
    if let Some(q) = m.questions.get(id) {
        return lang.pick(&q.labels, id).to_string();
    }
    if let Some(s) = m.standards.get(id) {
        return format!("{id} {}", lang.pick(&s.labels, id));
    }
    if let Some(c) = m.chapters.get(id) {
        return format!("{id} {}", lang.pick(&c.labels, id));
    }
    id.to_string()
}

/// A field's value in words, read from the model it belongs to; `None` to show it as written.
fn field_in_words(m: &Model, entity: &str, id: &str, field: &str, raw: &str, lang: Lang) -> Option<String> {
    let w = words::Words::new(m, lang);
    let labels = |list: &str| {
        list.split(", ")
            .filter(|x| !x.is_empty())
            .map(|x| format!("«{}»", label_of(m, x, lang)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let direction = |d: &str| match d {
        "lower_is_better" => tr(lang, "lower is better", "чем меньше, тем лучше").to_string(),
        _ => tr(lang, "higher is better", "чем больше, тем лучше").to_string(),
    };
    Some(match (entity, field) {
        (_, "weight") => {
            let n = raw.parse::<f64>().ok().map_or(raw.to_string(), |x| words::number(x, lang));
            match share_in_parent(m, id, lang) {
                Some(share) => format!("{n} ({share})"),
                None => n,
            }
        }
        ("indicator", "score") => {
            let i = m.indicators.get(id)?;
            words::rule_in_words(i.score.as_ref()?, &i.unit, lang)
        }
        ("indicator", "formula") => w.slot_formula(m.indicators.get(id)?.value)?,
        ("indicator", "direction") => direction(raw),
        ("indicator" | "question", "unit") => words::unit_text(raw, lang),
        ("indicator", "area") | ("area", "parent") => labels(raw),
        ("area", "children") | ("group", "questions") => labels(raw),
        ("chapter", "standards") => labels(raw),
        ("question", "range") => words::range_in_words(&m.questions.get(id)?.range, &m.questions.get(id)?.unit, lang),
        ("question", "required") => match raw {
            "required" => tr(lang, "required", "обязательный").into(),
            _ => tr(lang, "optional", "необязательный").into(),
        },
        ("standard", "requires") => w.requirement(m.standards.get(id)?),
        ("standard", "levels") => w
            .levels(m.standards.get(id)?)
            .into_iter()
            .map(|(name, cond)| format!("{name}: {cond}"))
            .collect::<Vec<_>>()
            .join("; "),
        ("standard", "kind") => match raw {
            "transitional" => tr(lang, "transitional standard", "переходный стандарт").into(),
            "recommended" => tr(lang, "recommended practice", "рекомендуемая практика").into(),
            _ => tr(lang, "standard", "стандарт").into(),
        },
        ("standard", "chapter") => labels(raw),
        ("standard", "baseline") => {
            let s = m.standards.get(id)?;
            let unit = s.value.map(|v| w.unit_of(v)).unwrap_or_default();
            words::quantity(raw.parse().ok()?, &unit, lang)
        }
        ("recommendation", "when") => w.condition(m.recommendations.get(id)?),
        _ => return None,
    })
}

/// Whether a field is shown for an added or removed item in `lang`: labels, texts and notes in
/// the other languages are left out (the item's label in `lang` heads it).
fn shown_in(field: &str, lang: Lang) -> bool {
    match field.split_once(" (") {
        Some((head, l)) => {
            let l = l.trim_end_matches(')');
            !matches!(head, "label" | "title" | "text") && l == lang.code()
        }
        None => true,
    }
}

fn render(d: &Diff, models: Option<(&Model, &Model)>, lang: Lang) -> String {
    let mut s = String::new();
    let (title, from, none) = match lang {
        Lang::En => ("Changes to the methodology", "from", "No changes of meaning."),
        Lang::Ru => ("Изменения методики", "с", "Изменений по существу нет."),
    };
    let _ = writeln!(s, "# {title} `{}`: {} → {}\n", d.new.id, d.old.version, d.new.version);
    let fp = glossary::FINGERPRINT.get(lang);
    let _ = writeln!(s, "- {from}: `{}` ({}, {fp} `{}`)", d.old.spec, d.old.version, short(&d.old.fingerprint));
    let to = if lang == Lang::Ru { "на" } else { "to" };
    let _ = writeln!(s, "- {to}: `{}` ({}, {fp} `{}`)\n", d.new.spec, d.new.version, short(&d.new.fingerprint));
    if d.changes.is_empty() {
        let _ = writeln!(s, "{none}");
        return s;
    }
    let mut current = "";
    for c in &d.changes {
        if c.entity != current {
            if !current.is_empty() {
                s.push('\n');
            }
            current = c.entity;
            let _ = writeln!(s, "## {}\n", entity_word(c.entity, lang));
        }
        let label = lang.pick(&c.labels, "");
        if let Some((om, nm)) = models {
            // the item by its label, its id after it for the author
            let head = if label.is_empty() { format!("`{}`", c.id) } else { format!("{label} (`{}`)", c.id) };
            let _ = writeln!(s, "- **{}** {head}", kind_word(c.kind, lang));
            for f in &c.fields {
                if c.kind != "changed" && !shown_in(&f.field, lang) {
                    continue;
                }
                let side = |m: &Model, v: &str| -> String {
                    if v.is_empty() {
                        return "—".into();
                    }
                    field_in_words(m, c.entity, &c.id, &f.field, v, lang).unwrap_or_else(|| format!("`{v}`"))
                };
                let line = match c.kind {
                    "added" => side(nm, &f.new),
                    "removed" => side(om, &f.old),
                    _ => format!("{} → {}", side(om, &f.old), side(nm, &f.new)),
                };
                let _ = writeln!(s, "  - {}: {line}", field_word(&f.field, lang));
            }
            continue;
        }
        let _ = writeln!(
            s,
            "- **{}** `{}`{}",
            kind_word(c.kind, lang),
            c.id,
            if label.is_empty() { String::new() } else { format!(" — {label}") }
        );
        if c.kind == "changed" {
            for f in &c.fields {
                let old = field_value(&f.old, lang);
                let new = field_value(&f.new, lang);
                let _ = writeln!(s, "  - {}: {old} → {new}", field_word(&f.field, lang));
            }
        }
    }
    if !d.threshold_shifts.is_empty() {
        let _ = writeln!(s, "\n## {}\n", if lang == Lang::Ru { "Предупреждения" } else { "Warnings" });
        for t in &d.threshold_shifts {
            let area = match models {
                Some((_, nm)) => format!("«{}»", label_of(nm, &t.area, lang)),
                None => format!("`{}`", t.area),
            };
            let _ = writeln!(s, "- {}", shift_text(t, &area, lang));
        }
    }
    let count = |k: &str| d.changes.iter().filter(|c| c.kind == k).count();
    let _ = writeln!(
        s,
        "\n{}: {} {}, {} {}, {} {}.",
        if lang == Lang::Ru { "Итого" } else { "In all" },
        count("added"),
        kind_word("added", lang),
        count("changed"),
        kind_word("changed", lang),
        count("removed"),
        kind_word("removed", lang)
    );
    s
}

/// A moved threshold in a sentence, the area named as given.
pub(crate) fn shift_text(t: &ThresholdShift, area: &str, lang: Lang) -> String {
    let count = format!("min: {} of {}", t.old.1, t.new.2);
    let (before, after, hint) = match lang {
        Lang::En => ("needed", "now needs", format!("write `{count}` to count children")),
        Lang::Ru => ("требовал", "теперь требует", format!("чтобы считать дочерние элементы, напишите `{count}`")),
    };
    format!(
        "{area}: `min: {}` {before} {}; {after} {} ({hint}).",
        t.min,
        needed_text(t.old, lang),
        needed_text(t.new, lang)
    )
}

/// A field's value: a number in the language's notation (`0,5`), other text as written, in
/// backticks (rule syntax), `—` for none.
fn field_value(v: &str, lang: Lang) -> String {
    if v.is_empty() {
        "—".to_string()
    } else if v.parse::<f64>().is_ok_and(f64::is_finite) && !v.contains(['e', 'E']) {
        crate::i18n::number(lang, v)
    } else {
        format!("`{v}`")
    }
}

/// A field's name in the report's language (`label (en)` → `метка (en)`).
fn field_word(field: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return field.to_string();
    }
    let (head, tail) = match field.split_once(' ') {
        Some((h, t)) => (h, format!(" {t}")),
        None => (field, String::new()),
    };
    let ru = match head {
        "label" => "наименование",
        "help" => "пояснение",
        "note" => "примечание",
        "source" => "источник",
        "title" => "название",
        "text" => "текст",
        "formula" => "формула",
        "unit" => glossary::UNIT.ru,
        "precision" => "точность",
        "score_precision" => "точность оценок",
        "direction" => "направленность",
        "score" => "правило оценки",
        "outside_scale" => "оценка вне шкалы",
        "weight" => glossary::WEIGHT.ru,
        "area" => glossary::AREA.ru,
        "aggregate" => "агрегирование",
        "missing" => "пропуски",
        "parent" => "родительское направление",
        "children" => "состав",
        "type" => "тип",
        "range" => "допустимые значения",
        "required" => "обязательность",
        "group" => "группа",
        "option" => "вариант",
        "questions" => "вопросы",
        "kind" => "вид",
        "chapter" => glossary::CHAPTER.ru,
        "requires" => glossary::REQUIREMENT.ru,
        "levels" => "уровни",
        "baseline" => glossary::BASELINE.ru,
        "standards" => "стандарты",
        "when" => glossary::CONDITION.ru,
        "scale" => "шкала",
        "rounding" => "округление",
        "languages" => "языки",
        "unit_name" => "единица оценки",
        other => other,
    };
    format!("{ru}{tail}")
}

fn short(f: &str) -> &str {
    &f[..f.len().min(16)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_needed_take_the_russian_plural() {
        assert_eq!(needed_text((1, 1, 1), Lang::Ru), "1 из 1 дочернего элемента, какие бы ни отсутствовали");
        assert_eq!(
            needed_text((2, 3, 21), Lang::Ru),
            "от 2 до 3 из 21 дочернего элемента, в зависимости от того, какие отсутствуют"
        );
        assert_eq!(needed_text((4, 4, 6), Lang::Ru), "4 из 6 дочерних элементов, какие бы ни отсутствовали");
    }
}
