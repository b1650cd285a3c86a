//! Scenarios (`scenario name { area trade { weight 1 } indicator release { score minmax } }`):
//! named variants of the methodology, checked against its areas and indicators. In: the
//! `scenario` declarations; out: `model::Scenario`s (weights, aggregations and scoring rules by
//! id), which `eval` runs beside the methodology.

use super::{expr, Checker};
use crate::diagnostics::{suggest, Code, Diag};
use crate::model::{Aggregation, Scenario, ScoreRule, WeightsFrom};
use crate::source::Span;
use crate::syntax::ast::{DeclKind, ItemKind};
use indexmap::IndexMap;

impl Checker<'_> {
    /// Checks every scenario: what it names must exist, and it may change only a weight, an
    /// aggregation or a (non-formula) scoring rule.
    pub(super) fn scenarios_pass(&mut self) {
        let decls = self.sc_decls.clone();
        for d in decls {
            let mut sc = Scenario {
                id: d.id.name.clone(),
                labels: self.labels(d),
                weights: IndexMap::new(),
                aggregates: IndexMap::new(),
                scores: IndexMap::new(),
            };
            // where each weight and aggregation was set, and the areas given `weights …`
            let mut weight_at: IndexMap<String, Span> = IndexMap::new();
            let mut aggregate_at: IndexMap<String, Span> = IndexMap::new();
            let mut weighted: IndexMap<String, Span> = IndexMap::new();
            for item in &d.body {
                let ItemKind::Decl(inner) = &item.kind else { continue };
                let id = inner.id.name.clone();
                let is_area = matches!(inner.kind, DeclKind::Area);
                let known = if is_area { self.areas.contains_key(&id) } else { self.indicators.contains_key(&id) };
                if !known {
                    let what = if is_area { "area" } else { "indicator" };
                    let names: Vec<&str> = if is_area {
                        self.areas.keys().map(String::as_str).collect()
                    } else {
                        self.indicators.keys().map(String::as_str).collect()
                    };
                    let mut diag = Diag::error(
                        Code::UnknownName,
                        format!("the scenario `{}` names an unknown {what} `{id}`", sc.id),
                    )
                    .at(inner.id.span, format!("no such {what}"));
                    diag = diag.help(match suggest(&id, names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "a scenario changes {what}s the methodology declares; the index is written `area <its id>`"
                        ),
                    });
                    self.err(diag);
                    continue;
                }
                if let DeclKind::Indicator { formula: Some(f) } = &inner.kind {
                    self.err(
                        Diag::error(Code::Misplaced, "a scenario does not change an indicator's formula")
                            .at(f.span, "a formula")
                            .help(
                                "a scenario changes `weight`, `aggregate` (of an area) and `score` (of an indicator)",
                            ),
                    );
                }
                for it in &inner.body {
                    match &it.kind {
                        ItemKind::Weight(w) if is_area && id == self.index_id => self.err(
                            Diag::error(Code::Misplaced, "the index has no weight")
                                .at(it.span, "here")
                                .help("give the weights of its children"),
                        ),
                        ItemKind::Weight(w) => {
                            sc.weights.insert(id.clone(), *w);
                            weight_at.insert(id.clone(), it.span);
                        }
                        ItemKind::Weights(w) if is_area => {
                            if w.method.name == "pca" {
                                self.err(
                                    Diag::error(Code::Misplaced, "a scenario cannot derive weights from the data")
                                        .at(w.method.span, "`weights pca`")
                                        .help("give the scenario `weights equal`, `weights budget(…) { … }` or `weights ahp { … }`, or declare `weights pca` in the methodology")
                                        .ru(
                                            "сценарий не может выводить веса из данных",
                                            None,
                                            Some("задайте в сценарии `weights equal`, `weights budget(…) { … }` или `weights ahp { … }` либо объявите `weights pca` в самой методике".into()),
                                        ),
                                );
                                continue;
                            }
                            let mut children = self.areas[&id].children.clone();
                            let explicit = vec![None; children.len()];
                            if self.weights_from(&id, w, &mut children, &explicit).is_some() {
                                for c in &children {
                                    sc.weights.insert(c.id.clone(), c.weight);
                                }
                                weighted.insert(id.clone(), it.span);
                            }
                        }
                        ItemKind::Aggregate(name, args) if is_area => {
                            if let Some(m) = self.aggregation(name, args) {
                                sc.aggregates.insert(id.clone(), m);
                                aggregate_at.insert(id.clone(), it.span);
                            }
                        }
                        ItemKind::Score(rule) if !is_area => {
                            if let Some(r) = self.scenario_score(&id, rule) {
                                sc.scores.insert(id.clone(), r);
                            }
                        }
                        ItemKind::Label(..) | ItemKind::Help(..) | ItemKind::Note(..) | ItemKind::Source(..) => {}
                        other => self.err(
                            Diag::error(
                                Code::Misplaced,
                                format!(
                                    "a scenario does not change `{}` of an {}",
                                    other.keyword(),
                                    if is_area { "area" } else { "indicator" }
                                ),
                            )
                            .at(it.span, "not changed by a scenario")
                            .help(
                                "a scenario changes `weight`, `aggregate` (of an area) and `score` (of an indicator)",
                            ),
                        ),
                    }
                }
            }
            self.derived_in_scenario(&sc, &weight_at, &aggregate_at, &weighted);
            self.scenarios.insert(sc.id.clone(), sc);
        }
    }

    /// A scenario's weight that would not be used, or would be mixed with weights derived from
    /// the data, is an error: a child's `weight` in an area weighted by `weights pca` (the area's
    /// weights are the data's unless the scenario gives the area `weights …`) or aggregated by
    /// `bod` (which chooses its own weights), and an aggregation other than the mean of an area
    /// whose weights stay derived by principal components.
    fn derived_in_scenario(
        &mut self,
        sc: &Scenario,
        weight_at: &IndexMap<String, Span>,
        aggregate_at: &IndexMap<String, Span>,
        weighted: &IndexMap<String, Span>,
    ) {
        let mut diags = vec![];
        for a in self.areas.values() {
            let aggregate = sc.aggregates.get(&a.id).copied().unwrap_or(a.aggregate);
            let pca = a.weights_from == WeightsFrom::Pca && !weighted.contains_key(&a.id);
            for c in &a.children {
                let Some(span) = weight_at.get(&c.id) else { continue };
                let why = if matches!(aggregate, Aggregation::Bod { .. }) {
                    Some((
                        (
                            "aggregated by `bod`, which chooses each state's weights",
                            "give the area another `aggregate` in the scenario, or remove this weight",
                        ),
                        (
                            "агрегируется методом `bod`, который сам выбирает веса каждого государства",
                            "задайте области в сценарии другой `aggregate` или уберите этот вес",
                        ),
                    ))
                } else if pca {
                    Some((
                        ("weighted by `weights pca`, from the data", "give the whole area weights in the scenario (`area … { weights equal }`, `weights budget(…) { … }`, `weights ahp { … }`), or remove this weight"),
                        ("взвешивается по данным (`weights pca`)", "задайте в сценарии веса всей области (`area … { weights equal }`, `weights budget(…) { … }`, `weights ahp { … }`) или уберите этот вес"),
                    ))
                } else {
                    None
                };
                if let Some(((how, help), (how_ru, help_ru))) = why {
                    diags.push(
                        Diag::error(
                            Code::Weight,
                            format!("the scenario `{}` sets the weight of `{}`, but `{}` is {how}: the weight would not be used", sc.id, c.id, a.id),
                        )
                        .at(*span, "not used")
                        .help(help)
                        .ru(
                            format!("сценарий `{}` задаёт вес `{}`, но область `{}` {how_ru}: этот вес не будет применён", sc.id, c.id, a.id),
                            Some("не применяется".into()),
                            Some(help_ru.into()),
                        ),
                    );
                }
            }
            if let (true, Some(span)) = (pca, aggregate_at.get(&a.id)) {
                if aggregate != Aggregation::Mean && !matches!(aggregate, Aggregation::Bod { .. }) {
                    diags.push(
                        Diag::error(Code::Invalid, format!("`weights pca` in `{}` needs `aggregate mean`", a.id))
                            .at(*span, "the scenario's aggregation")
                            .help("give the area weights in the scenario too (`weights equal`, …), or aggregate it by `mean` or `bod`")
                            .ru(
                                format!("для `weights pca` в `{}` нужен `aggregate mean`", a.id),
                                Some("агрегирование в сценарии".into()),
                                Some("задайте области в сценарии и веса (`weights equal`, …) либо агрегируйте её методом `mean` или `bod`".into()),
                            ),
                    );
                }
            }
        }
        for d in diags {
            self.err(d);
        }
    }

    /// A scenario's scoring rule of an indicator, checked as the indicator's own would be (its
    /// direction kept: the scenario does not change it).
    fn scenario_score(&mut self, id: &str, rule: &crate::syntax::ast::ScoreRule) -> Option<ScoreRule> {
        let i = self.indicators.get_index_of(id)?;
        if self.indicators[i].score.is_none() {
            self.err(
                Diag::error(Code::Misplaced, format!("`{id}` has no score to change"))
                    .at(rule.span, "here")
                    .help("a scenario changes the scoring rule of a scored indicator"),
            );
            return None;
        }
        if rule.name.name == "formula" {
            self.err(
                Diag::error(Code::Scoring, "a scenario's scoring rule cannot be a formula")
                    .at(rule.span, "a formula")
                    .help("use a rule: `minmax`, `zscore`, `rank`, `percentile`, `goalposts(…)`, `distance(…)`, …"),
            );
            return None;
        }
        let (ty, _) = self.indicator_ty(i);
        let direction = self.indicators[i].direction;
        let mut cx = expr::Cx::new(self.indicators[i].score_slot, false);
        let r = self.score_rule(i, rule, &ty, &mut cx);
        self.indicators[i].direction = direction;
        r
    }
}
