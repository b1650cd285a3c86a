//! Which defaults a methodology relies on: every property that changes a number and that a
//! declaration left unwritten, found from the AST (what was written) and the model (what it
//! became). `tamga check --explain-defaults` prints them; `docs/language.md` ("Defaults, and
//! why") gives each default's reason.

use super::Checker;
use crate::i18n::Lang;
use crate::model::{Imputation, MissingPolicy, ScoreRule, Threshold, Treatment};
use crate::number::shortest;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Decl, DeclKind, Expr, ExprKind, ItemKind};
use serde::Serialize;
use std::fmt::Write;

/// A property a declaration did not write, and the value it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Defaulted {
    /// The property as it would be written: `weight`, `aggregate`, `missing`, `ties`, ….
    pub property: &'static str,
    /// The value it took, as it would be written: `1`, `mean`, `higher_is_better`, ….
    pub value: String,
    /// What declares it: `methodology`, `index`, `area`, `indicator`, `standard` or `recommendation`.
    pub what: &'static str,
    /// The declaration's id.
    pub id: String,
    /// The declaration's place.
    #[serde(skip)]
    pub span: Span,
}

/// The properties, in the order they are listed (the order of the table in `docs/language.md`).
const ORDER: &[&str] = &[
    "missing",
    "aggregate",
    "weight",
    "min",
    "direction",
    "ties",
    "order",
    "zscore",
    "threshold scores",
    "yesno scores",
    "distance as",
    "bands else",
    "precision",
    "score_precision",
    "rounding",
    "scale",
    "impute",
    "treat",
    "screen",
    "languages",
];

fn has(d: &Decl, word: &str) -> bool {
    d.body.iter().any(|it| it.kind.keyword() == word && !matches!(it.kind, ItemKind::Decl(_)))
}

impl Checker<'_> {
    /// Records the defaults the methodology relies on (after every other pass).
    pub(super) fn defaults_pass(&mut self) -> Vec<Defaulted> {
        let mut out = vec![];
        let mut push_implicit = vec![];
        let mut push = |property: &'static str, value: String, what: &'static str, d: &Decl| {
            out.push(Defaulted { property, value, what, id: d.id.name.clone(), span: d.id.span })
        };
        let Some(h) = self.header else { return vec![] };
        let hm = &self.header_model;
        for (word, value) in [
            ("scale", format!("{}..={}", shortest(hm.scale.0), shortest(hm.scale.1))),
            ("precision", hm.precision.to_string()),
            ("score_precision", hm.score_precision.to_string()),
            ("rounding", hm.rounding.as_str().to_string()),
            ("languages", hm.languages.join(", ")),
        ] {
            if !has(h, word) {
                push(word, value, "methodology", h);
            }
        }
        let index_decl = self.a_decls.iter().find(|a| a.is_index).and_then(|a| a.decl);
        if self.screen.is_none() {
            push(
                "screen",
                "none".into(),
                if index_decl.is_some() { "index" } else { "methodology" },
                index_decl.unwrap_or(h),
            );
        }
        // the index and the areas; an implicit index took every default
        for a in &self.a_decls {
            let Some(d) = a.decl else {
                let area = &self.areas[&self.index_id];
                if !area.children.is_empty() {
                    // the implicit index is named `index`, and placed at the header
                    let (id, span) = (self.index_id.clone(), h.id.span);
                    let implicit = |property, value| Defaulted { property, value, what: "index", id: id.clone(), span };
                    push_implicit.push(implicit("aggregate", "mean".into()));
                    push_implicit.push(implicit("missing", policy_text(area.missing)));
                }
                continue;
            };
            let Some(area) = self.areas.get(&d.id.name) else { continue };
            let what = if a.is_index { "index" } else { "area" };
            if !has(d, "aggregate") {
                push("aggregate", "mean".into(), what, d);
            }
            if !has(d, "missing") {
                push("missing", policy_text(area.missing), what, d);
            } else if let MissingPolicy::Reweight { min: Threshold::Weight(share) } = area.missing {
                // a bare `min: 2/3` is a share of the weight; `reweight` alone needs one child
                let bare = d
                    .body
                    .iter()
                    .any(|it| matches!(&it.kind, ItemKind::Missing(_, args) if args.iter().all(|a| a.of.is_none())));
                if bare {
                    let v = if share == 0.0 { "0".to_string() } else { "of weight".to_string() };
                    push("min", v, what, d);
                }
            }
            if !a.is_index && !has(d, "weight") {
                push("weight", "1".into(), what, d);
            }
        }
        for (i, &(d, area)) in self.i_decls.iter().enumerate() {
            let Some(ind) = self.indicators.get_index(i).map(|(_, x)| x) else { continue };
            if !has(d, "precision") {
                push("precision", ind.precision.to_string(), "indicator", d);
            }
            let Some(rule) = &ind.score else { continue };
            if area.is_some() && !has(d, "weight") {
                push("weight", "1".into(), "indicator", d);
            }
            let compares = matches!(
                rule,
                ScoreRule::MinMax
                    | ScoreRule::ZScore { .. }
                    | ScoreRule::Rank { .. }
                    | ScoreRule::Percentile { .. }
                    | ScoreRule::Distance { .. }
                    | ScoreRule::Threshold { .. }
                    | ScoreRule::Categorical { .. }
            );
            if compares && !has(d, "higher_is_better") && !has(d, "lower_is_better") {
                push("direction", "higher_is_better".into(), "indicator", d);
            }
            let written = d.body.iter().find_map(|it| if let ItemKind::Score(r) = &it.kind { Some(r) } else { None });
            let arg = |name: &str| {
                written.is_some_and(|r| r.args.iter().any(|a| a.name.as_ref().is_some_and(|n| n.name == name)))
            };
            match rule {
                ScoreRule::Rank { .. } if !arg("ties") || !arg("order") => {
                    if !arg("ties") {
                        push("ties", "min".into(), "indicator", d);
                    }
                    if !arg("order") {
                        push("order", "ascending".into(), "indicator", d);
                    }
                }
                ScoreRule::ZScore { center, scale } if !arg("center") || !arg("scale") => push(
                    "zscore",
                    format!("center: {}, scale: {}", shortest(*center), shortest(*scale)),
                    "indicator",
                    d,
                ),
                ScoreRule::Threshold { above, within, below, .. }
                    if !arg("above") || !arg("within") || !arg("below") =>
                {
                    let v = format!(
                        "above: {}, within: {}, below: {}",
                        shortest(*above),
                        shortest(*within),
                        shortest(*below)
                    );
                    push("threshold scores", v, "indicator", d)
                }
                ScoreRule::YesNo { yes, no } if !arg("yes") || !arg("no") => {
                    push("yesno scores", format!("yes: {}, no: {}", shortest(*yes), shortest(*no)), "indicator", d)
                }
                ScoreRule::Distance { .. } if !arg("as") => push("distance as", "ratio".into(), "indicator", d),
                ScoreRule::Bands { otherwise: None, .. } => push("bands else", "domain".into(), "indicator", d),
                _ => {}
            }
            if matches!(ind.impute, Imputation::None) && !self.declared_above(i, "impute") {
                push("impute", "none".into(), "indicator", d);
            }
            if matches!(ind.treat, Treatment::None) && !self.declared_above(i, "treat") {
                push("treat", "none".into(), "indicator", d);
            }
        }
        // in formulas: `union_rank(x)` without `ties:`, `bands(x) { … }` without `else`
        let formulas = self
            .i_decls
            .iter()
            .map(|(d, _)| ("indicator", *d))
            .chain(self.s_decls.iter().map(|(d, _)| ("standard", *d)))
            .chain(self.r_decls.iter().map(|d| ("recommendation", *d)));
        for (what, d) in formulas {
            let mut exprs: Vec<&Expr> = vec![];
            match &d.kind {
                DeclKind::Indicator { formula: Some(f) } => exprs.push(f),
                DeclKind::Recommend { when } => exprs.push(when),
                _ => {}
            }
            for it in &d.body {
                match &it.kind {
                    ItemKind::Requires(e) | ItemKind::Level(_, e) => exprs.push(e),
                    ItemKind::Score(r) => exprs.extend(r.args.iter().map(|a| &a.value)),
                    _ => {}
                }
            }
            let (mut rank, mut bands) = (false, false);
            for e in exprs {
                walk(e, &mut |e| match &e.kind {
                    ExprKind::Call(f, args)
                        if f.name == "union_rank"
                            && !args.iter().any(|a| a.name.as_ref().is_some_and(|n| n.name == "ties")) =>
                    {
                        rank = true
                    }
                    ExprKind::Bands(_, b) if b.otherwise.is_none() => bands = true,
                    _ => {}
                });
            }
            if rank {
                push("ties", "min".into(), what, d);
            }
            if bands {
                push("bands else", "domain".into(), what, d);
            }
        }
        out.extend(push_implicit);
        out.sort_by_key(|x| ORDER.iter().position(|p| *p == x.property).unwrap_or(ORDER.len()));
        out
    }

    /// Whether `word` (`impute`, `treat`) is written on the indicator, an area above it, the
    /// index or the header.
    fn declared_above(&self, i: usize, word: &str) -> bool {
        self.inherited(i, word).is_some()
    }
}

/// Calls `f` on `e` and every expression inside it.
fn walk(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Number(_) | ExprKind::Percent(_) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::Name(_) => {}
        ExprKind::Standard(..) => {}
        ExprKind::Neg(x) | ExprKind::Not(x) => walk(x, f),
        ExprKind::Binary(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        ExprKind::Chained(xs, _) => xs.iter().for_each(|x| walk(x, f)),
        ExprKind::If(c, a, b) => {
            walk(c, f);
            walk(a, f);
            walk(b, f);
        }
        ExprKind::Call(_, args) => args.iter().for_each(|a| walk(&a.value, f)),
        ExprKind::Bands(x, b) => {
            walk(x, f);
            b.arms.iter().for_each(|(_, e)| walk(e, f));
            if let Some(o) = &b.otherwise {
                walk(o, f);
            }
        }
        ExprKind::Match(x, arms, otherwise) => {
            walk(x, f);
            arms.iter().for_each(|(_, e)| walk(e, f));
            if let Some(o) = otherwise {
                walk(o, f);
            }
        }
    }
}

fn policy_text(p: MissingPolicy) -> String {
    match p {
        MissingPolicy::Reweight { min: Threshold::Weight(0.0) } => "reweight".into(),
        MissingPolicy::Reweight { min: Threshold::Weight(s) } => {
            format!("reweight(min: {}% of weight)", shortest(s * 100.0))
        }
        MissingPolicy::Reweight { min: Threshold::Children(k) } => format!("reweight(min: {k} of …)"),
        other => other.text().into(),
    }
}

/// What a default means, in a few words.
fn meaning(property: &str, value: &str, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let s = match (property, value) {
        ("missing", "not_assessable") if ru => "при отсутствии оценки любого дочернего элемента — не поддаётся оценке",
        ("missing", "not_assessable") => "any missing child makes it not assessable",
        ("missing", "reweight") if ru => "отсутствующие оценки исключаются с перевзвешиванием; достаточно одной",
        ("missing", "reweight") => {
            "missing children are left out and the rest re-weighted; one child present is enough"
        }
        ("missing", _) if ru => "политика пропусков по умолчанию",
        ("missing", _) => "the default missing-data policy",
        ("aggregate", _) if ru => "взвешенное среднее арифметическое",
        ("aggregate", _) => "weighted arithmetic mean",
        ("weight", _) if ru => "равный вес",
        ("weight", _) => "equal weight",
        ("min", "of weight") if ru => "порог `reweight(min: …)` без `of` — доля веса, а не число дочерних элементов",
        ("min", "of weight") => "a `reweight(min: …)` without `of` is a share of the weight, not a number of children",
        ("min", _) if ru => "`reweight` без `min:` — достаточно одного дочернего элемента",
        ("min", _) => "`reweight` without `min:`: one child present is enough",
        ("direction", _) if ru => "чем больше, тем лучше",
        ("direction", _) => "higher is better",
        ("ties", _) if ru => "равным значениям — наименьший ранг",
        ("ties", _) => "equal values share the lowest rank",
        ("order", _) if ru => "по возрастанию: худшее — 1, лучшее — n",
        ("order", _) => "ascending: the worst 1, the best n",
        ("zscore", _) if ru => "стандартная z-оценка",
        ("zscore", _) => "the standard z-score",
        ("threshold scores", _) if ru => "верх шкалы, середина, низ шкалы",
        ("threshold scores", _) => "the top of the scale, its midpoint, its bottom",
        ("yesno scores", _) if ru => "верх и низ шкалы",
        ("yesno scores", _) => "the top and the bottom of the scale",
        ("distance as", _) if ru => "отношение к опорному значению",
        ("distance as", _) => "a ratio to the reference",
        ("bands else", _) if ru => "значение вне всех интервалов отсутствует (причина `domain`)",
        ("bands else", _) => "a value outside every band is missing (reason `domain`)",
        ("precision", _) if ru => "знаков после запятой при публикации и сравнении",
        ("precision", _) => "decimals published and judged",
        ("score_precision", _) if ru => "знаков после запятой в оценках",
        ("score_precision", _) => "decimals of scores",
        ("rounding", _) if ru => "2,5 → 3",
        ("rounding", _) => "2.5 → 3",
        ("scale", _) if ru => "шкала оценок",
        ("scale", _) => "the score scale",
        ("impute", _) if ru => "пропуски не заполняются",
        ("impute", _) => "missing values are not filled",
        ("treat", _) if ru => "выбросы не обрабатываются",
        ("treat", _) => "outliers are not treated",
        ("screen", _) if ru => "оцениваются все участники",
        ("screen", _) => "every unit is evaluated",
        ("languages", _) if ru => "языки названия методики",
        ("languages", _) => "the languages of the title",
        _ => "",
    };
    s.to_string()
}

fn what_word(what: &str, n: usize, lang: Lang) -> String {
    let ru = |one: &str, few: &str, many: &str| {
        let (m10, m100) = (n % 10, n % 100);
        let w = if m10 == 1 && m100 != 11 {
            one
        } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
            few
        } else {
            many
        };
        format!("{n} {w}")
    };
    match (what, lang) {
        ("indicator", Lang::En) => format!("{n} indicator{}", if n == 1 { "" } else { "s" }),
        ("area", Lang::En) => format!("{n} area{}", if n == 1 { "" } else { "s" }),
        ("standard", Lang::En) => format!("{n} standard{}", if n == 1 { "" } else { "s" }),
        ("recommendation", Lang::En) => format!("{n} recommendation{}", if n == 1 { "" } else { "s" }),
        ("index", Lang::En) => "the index".into(),
        (_, Lang::En) => "the header".into(),
        ("indicator", Lang::Ru) => ru("индикатор", "индикатора", "индикаторов"),
        ("area", Lang::Ru) => ru("направление", "направления", "направлений"),
        ("standard", Lang::Ru) => ru("стандарт", "стандарта", "стандартов"),
        ("recommendation", Lang::Ru) => ru("рекомендация", "рекомендации", "рекомендаций"),
        ("index", Lang::Ru) => "индекс".into(),
        (_, Lang::Ru) => "заголовок".into(),
    }
}

/// The defaults as text: grouped by property and value, each with a count and where.
pub fn to_text(defaults: &[Defaulted], sources: &SourceMap, lang: Lang) -> String {
    let mut s = String::new();
    let ru = lang == Lang::Ru;
    if defaults.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            if ru {
                "Методика не опирается на значения по умолчанию."
            } else {
                "The methodology relies on no defaults."
            }
        );
        return s;
    }
    let n = defaults.len();
    let _ = if ru {
        writeln!(
            s,
            "Значения по умолчанию, на которые опирается методика: {n} (обоснование — «Defaults, and why» в docs/language.md)"
        )
    } else {
        writeln!(s, "Defaults this methodology relies on: {n} (the reasons: \"Defaults, and why\" in docs/language.md)")
    };
    let mut groups: Vec<(&str, &str, Vec<&Defaulted>)> = vec![];
    for d in defaults {
        match groups.iter_mut().find(|(p, v, _)| *p == d.property && *v == d.value) {
            Some(g) => g.2.push(d),
            None => groups.push((d.property, &d.value, vec![d])),
        }
    }
    for (property, value, items) in groups {
        let mut kinds: Vec<(&str, usize)> = vec![];
        for d in &items {
            match kinds.iter_mut().find(|(k, _)| *k == d.what) {
                Some(k) => k.1 += 1,
                None => kinds.push((d.what, 1)),
            }
        }
        let counted = kinds.iter().map(|(k, n)| what_word(k, *n, lang)).collect::<Vec<_>>().join(", ");
        let _ = writeln!(s, "\n{property} {value} — {} — {counted}", meaning(property, value, lang));
        for d in items {
            let file = &sources.get(d.span.file).name;
            let (line, _) = sources.line_col(d.span);
            let what = match (d.what, lang) {
                (w, Lang::En) => w,
                ("indicator", Lang::Ru) => "индикатор",
                ("area", Lang::Ru) => "направление",
                ("index", Lang::Ru) => "индекс",
                ("standard", Lang::Ru) => "стандарт",
                ("recommendation", Lang::Ru) => "рекомендация",
                (_, Lang::Ru) => "методика",
            };
            let _ = writeln!(s, "  {file}:{line}  {what} `{}`", d.id);
        }
    }
    s
}
