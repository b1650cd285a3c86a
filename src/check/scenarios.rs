//! Scenarios (`scenario name { area trade { weight 1 } indicator release { score minmax } }`):
//! named variants of the methodology, checked against its areas and indicators. In: the
//! `scenario` declarations; out: `model::Scenario`s (weights, aggregations and scoring rules by
//! id), which `eval` runs beside the methodology.

use super::{expr, Checker};
use crate::diagnostics::{suggest, Code, Diag};
use crate::model::{Scenario, ScoreRule};
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
                        }
                        ItemKind::Aggregate(name, args) if is_area => {
                            if let Some(m) = self.aggregation(name, args) {
                                sc.aggregates.insert(id.clone(), m);
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
            self.scenarios.insert(sc.id.clone(), sc);
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
