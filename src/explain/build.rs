//! Building the derivation tree from traces.

use super::print::{Options as Opts, Printer};
use super::{
    Detail, Explanation, Kind, LevelOut, Node, Note, Part, Placement, Source, Step, Target, UnitValue, Value, SCHEMA,
};
use crate::data::Dataset;
use crate::eval::trace::{ChildTrace, Expr, How, SlotTrace, Tracer};
use crate::eval::PeriodOutcome;
use crate::i18n::Lang;
use crate::model::Step as PlanStep;
use crate::model::*;
use crate::number::{fixed, shortest};
use crate::source::{SourceMap, Span};
use crate::words;
use std::collections::HashSet;

/// How much to explain, and in which language.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The language of labels.
    pub lang: Lang,
    /// Expand at most this many levels below the target (`None`: down to the answers).
    pub max_depth: Option<usize>,
}

/// Explains `target` for the unit at index `unit` of an evaluated `period` of `model`.
/// `sources` are the rule files (for file and line); `data`, if given, names the submission files.
pub fn explain(
    model: &Model,
    sources: &SourceMap,
    data: Option<&Dataset>,
    period: &PeriodOutcome,
    unit: usize,
    target: &Target,
    opts: Options,
) -> Explanation {
    let mut b = Builder {
        model,
        sources,
        data,
        period,
        tracer: Tracer::new(model, period),
        unit,
        opts,
        printer: Printer { model },
        expanded: HashSet::new(),
        mismatches: 0,
    };
    let root = match target {
        Target::Question(id) => b.slot_node(model.questions[id.as_str()].slot, 0),
        Target::Indicator(id) => {
            let ind = &model.indicators[id.as_str()];
            if ind.score.is_some() {
                b.slot_node(ind.score_slot, 0)
            } else {
                b.slot_node(ind.value, 0)
            }
        }
        Target::Value(id) => b.slot_node(model.indicators[id.as_str()].value, 0),
        Target::Area(id) => b.slot_node(model.areas[id.as_str()].slot, 0),
        Target::Standard(code) => b.standard(code, 0),
        Target::Chapter(code) => b.slot_node(model.chapters[code.as_str()].score, 0),
        Target::Recommendation(id) => b.slot_node(model.recommendations[id.as_str()].slot, 0),
    };
    let slot = match target {
        Target::Question(id) => model.questions[id.as_str()].slot,
        Target::Indicator(id) => {
            let ind = &model.indicators[id.as_str()];
            if ind.score.is_some() {
                ind.score_slot
            } else {
                ind.value
            }
        }
        Target::Value(id) => model.indicators[id.as_str()].value,
        Target::Area(id) => model.areas[id.as_str()].slot,
        Target::Standard(code) => model.standards[code.as_str()].met,
        Target::Chapter(code) => model.chapters[code.as_str()].score,
        Target::Recommendation(id) => model.recommendations[id.as_str()].slot,
    };
    let cause = crate::eval::cause::Causes::new(model).of(period, slot, unit);
    let why_missing = cause.as_ref().map(|c| crate::report::cause::sentence(model, c, opts.lang));
    let cause = cause.map(|c| crate::report::cause::doc(model, &c));
    let unit_name = data
        .and_then(|d| period.submissions.get(unit).and_then(|i| d.submissions.get(*i)))
        .map(|s| opts.lang.pick(&s.name, "").to_string())
        .filter(|s| !s.is_empty());
    Explanation {
        schema: SCHEMA,
        methodology: model.header.id.clone(),
        version: model.header.version.clone(),
        unit: period.units[unit].clone(),
        unit_name,
        period: period.period.clone(),
        lang: opts.lang.code(),
        why_missing,
        cause,
        root,
        mismatches: b.mismatches,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Slot(Slot),
    Standard(String),
}

struct Builder<'m> {
    model: &'m Model,
    sources: &'m SourceMap,
    data: Option<&'m Dataset>,
    period: &'m PeriodOutcome,
    tracer: Tracer<'m>,
    unit: usize,
    opts: Options,
    printer: Printer<'m>,
    expanded: HashSet<Key>,
    mismatches: usize,
}

/// A value as JSON and text: a plain number.
pub(super) fn plain(v: Val) -> Value {
    match v {
        Ok(x) => Value { value: Some(x), display: None, text: None, label: None, missing: None },
        Err(m) => Value { value: None, display: None, text: None, label: None, missing: Some(m.reason) },
    }
}

fn rounded_to(v: Val, p: u32, mode: crate::number::Rounding) -> Value {
    match v {
        Ok(x) => Value { value: Some(x), display: Some(fixed(x, p, mode)), text: None, label: None, missing: None },
        Err(_) => plain(v),
    }
}

fn with_text(v: Val, text: impl FnOnce(f64) -> Option<String>) -> Value {
    match v {
        Ok(x) => Value { value: Some(x), display: None, text: text(x), label: None, missing: None },
        Err(_) => plain(v),
    }
}

fn yes_no(x: f64) -> Option<String> {
    Some(if x != 0.0 { "yes" } else { "no" }.into())
}

impl<'m> Builder<'m> {
    fn mode(&self) -> crate::number::Rounding {
        self.model.header.rounding
    }

    fn source(&self, span: Span) -> Option<Source> {
        if span.is_empty() || span.file.0 as usize >= self.sources.files().len() {
            return None;
        }
        let (line, _) = self.sources.line_col(span);
        Some(Source { file: self.sources.get(span.file).name.clone(), line })
    }

    /// A unit as the reader sees it: its label in the explanation's language (`ч`), or as
    /// written; `count` and `money` stay codes (the text prints no unit for them).
    fn unit(&self, unit: &str, labels: &crate::model::Labels) -> Option<String> {
        match unit {
            "" => None,
            "count" | "money" => Some(unit.to_string()),
            u => Some(crate::i18n::unit_label(self.opts.lang, u, labels)),
        }
    }

    fn label(&self, labels: &Labels) -> Option<String> {
        let s = self.opts.lang.pick(labels, "");
        (!s.is_empty()).then(|| s.to_string())
    }

    fn score_value(&self, v: Val) -> Value {
        rounded_to(v, self.model.header.score_precision, self.mode())
    }

    /// A slot's value, formatted for what the slot holds.
    fn slot_value(&self, slot: Slot, v: Val) -> Value {
        match &self.model.slots[slot.0 as usize] {
            SlotKind::Question(id) => {
                let q = &self.model.questions[id.as_str()];
                match &q.ty {
                    QuestionType::YesNo => with_text(v, yes_no),
                    QuestionType::Choice(opts) => {
                        let mut value = with_text(v, |x| opts.get(x as usize).map(|o| o.id.clone()));
                        value.label = v.ok().and_then(|x| opts.get(x as usize)).and_then(|o| self.label(&o.labels));
                        value
                    }
                    _ => plain(v),
                }
            }
            SlotKind::Value(id) => {
                let ind = &self.model.indicators[id.as_str()];
                if ind.boolean {
                    with_text(v, yes_no)
                } else {
                    rounded_to(v, ind.precision, self.mode())
                }
            }
            SlotKind::Score(_)
            | SlotKind::Area(_)
            | SlotKind::Attainment(_)
            | SlotKind::Chapter(_)
            | SlotKind::Code => self.score_value(v),
            SlotKind::Met(_) | SlotKind::Recommend(_) => with_text(v, yes_no),
            SlotKind::Level(c) => {
                let std = &self.model.standards[c.as_str()];
                with_text(v, |x| {
                    if x == 0.0 {
                        Some("none".into())
                    } else {
                        std.levels.get(x as usize - 1).map(|l| l.name.clone())
                    }
                })
            }
            SlotKind::StandardValue(c) => {
                let std = &self.model.standards[c.as_str()];
                rounded_to(v, self.standard_precision(std), self.mode())
            }
            SlotKind::Hidden(_) => plain(v),
            SlotKind::Rule(_) => with_text(v, yes_no),
        }
    }

    /// An expression's value, formatted for its type.
    fn expr_value(&self, ir: &Ir, v: Val) -> Value {
        match ir {
            Ir::Slot(s) | Ir::Rounded(s, _) => return self.slot_value(*s, v),
            _ => {}
        }
        if self.printer.is_bool(ir) {
            return with_text(v, yes_no);
        }
        match self.printer.options(ir) {
            o @ Opts::Named(_) => with_text(v, |x| Printer::option(&o, x)),
            Opts::None => plain(v),
        }
    }

    fn standard_precision(&self, s: &Standard) -> u32 {
        let lhs = s.requires_text.split(['<', '>', '=', '!']).next().unwrap_or("").trim();
        self.model.indicators.get(lhs).map(|i| i.precision).unwrap_or(self.model.header.precision)
    }

    fn trace(&mut self, slot: Slot) -> SlotTrace<'m> {
        self.tracer.trace(slot, self.unit)
    }

    fn mismatch(&mut self, t: &SlotTrace) -> Option<Value> {
        if t.agrees() {
            None
        } else {
            self.mismatches += 1;
            Some(self.slot_value(t.slot, t.traced))
        }
    }

    /// A node that is not expanded: already explained above, or beyond the depth limit.
    fn stub(&self, kind: Kind, id: String, label: Option<String>, value: Value, see_above: bool) -> Node {
        Node {
            kind,
            id,
            label,
            value,
            unit: None,
            source: None,
            detail: None,
            inputs: vec![],
            see_above,
            truncated: !see_above,
            mismatch: None,
        }
    }

    /// Whether a node must be a stub: returns the reason (`Some(true)`: seen, `Some(false)`: depth).
    fn stop(&mut self, key: Key, depth: usize) -> Option<bool> {
        if self.expanded.contains(&key) {
            return Some(true);
        }
        if self.opts.max_depth.is_some_and(|m| depth > m) {
            return Some(false);
        }
        self.expanded.insert(key);
        None
    }

    /// The node of any slot.
    fn slot_node(&mut self, slot: Slot, depth: usize) -> Node {
        match self.model.slots[slot.0 as usize].clone() {
            SlotKind::Met(c) | SlotKind::Level(c) | SlotKind::Attainment(c) | SlotKind::StandardValue(c) => {
                self.standard(&c, depth)
            }
            kind => {
                let value = self.slot_value(slot, self.period.get(slot, self.unit));
                let (k, id, label) = self.describe(slot, &kind);
                if let Some(seen) = self.stop(Key::Slot(slot), depth) {
                    return self.stub(k, id, label, value, seen);
                }
                let t = self.trace(slot);
                let mismatch = self.mismatch(&t);
                let mut node = match kind {
                    SlotKind::Question(qid) => self.answer(&qid, &t),
                    SlotKind::Value(iid) => self.indicator(&iid, &t, depth),
                    SlotKind::Score(iid) => self.score(&iid, &t, depth),
                    SlotKind::Area(_) | SlotKind::Chapter(_) | SlotKind::Code => self.aggregate(slot, &t, depth),
                    SlotKind::Recommend(rid) => self.recommendation(&rid, &t, depth),
                    SlotKind::Hidden(text) => self.hidden(&text, &t, depth),
                    _ => unreachable!("standards are handled above"),
                };
                node.kind = k;
                node.id = id;
                node.label = label;
                node.value = value;
                node.mismatch = mismatch;
                node
            }
        }
    }

    fn describe(&self, slot: Slot, kind: &SlotKind) -> (Kind, String, Option<String>) {
        let m = self.model;
        match kind {
            SlotKind::Question(id) => (Kind::Answer, id.clone(), self.label(&m.questions[id.as_str()].labels)),
            SlotKind::Value(id) => (Kind::Indicator, id.clone(), self.label(&m.indicators[id.as_str()].labels)),
            SlotKind::Score(id) => (Kind::Score, format!("score({id})"), self.label(&m.indicators[id.as_str()].labels)),
            SlotKind::Area(id) => {
                let kind = if *id == m.index { Kind::Index } else { Kind::Area };
                (kind, id.clone(), self.label(&m.areas[id.as_str()].labels))
            }
            SlotKind::Chapter(c) => (Kind::Chapter, c.clone(), self.label(&m.chapters[c.as_str()].labels)),
            SlotKind::Code => (Kind::Code, "code".into(), None),
            SlotKind::Recommend(id) => {
                (Kind::Recommendation, id.clone(), self.label(&m.recommendations[id.as_str()].labels))
            }
            SlotKind::Hidden(text) => {
                let this = slot;
                let column = m.plan.iter().any(|s| matches!(s, PlanStep::Column { slot, .. } if *slot == this));
                // named in words ("the union mean of the score of «Trade facilitation»")
                let said = words::Words::new(m, self.opts.lang).expr(&Ir::Slot(slot));
                let label = (said != *text && !said.is_empty()).then_some(said);
                (if column { Kind::UnionStatistic } else { Kind::Intermediate }, text.clone(), label)
            }
            SlotKind::Rule(id) => (Kind::Intermediate, id.clone(), self.label(&m.rules[id.as_str()].labels)),
            SlotKind::Met(c) | SlotKind::Level(c) | SlotKind::Attainment(c) | SlotKind::StandardValue(c) => {
                (Kind::Standard, c.clone(), self.label(&m.standards[c.as_str()].labels))
            }
        }
    }

    fn empty(&self, kind: Kind) -> Node {
        Node {
            kind,
            id: String::new(),
            label: None,
            value: plain(Err(Miss { reason: Reason::NotAssessable, origin: 0 })),
            unit: None,
            source: None,
            detail: None,
            inputs: vec![],
            see_above: false,
            truncated: false,
            mismatch: None,
        }
    }

    fn answer(&mut self, qid: &str, _t: &SlotTrace) -> Node {
        let q = &self.model.questions[qid];
        let file = self
            .data
            .and_then(|d| self.period.submissions.get(self.unit).and_then(|i| d.submissions.get(*i)))
            .map(|s| s.file.clone())
            .filter(|f| !f.is_empty());
        let mut n = self.empty(Kind::Answer);
        n.unit = self.unit(&q.unit, &q.unit_labels);
        n.source = self.source(q.span);
        n.detail = Some(Detail::Answer { question_type: q.ty.name(), file });
        n
    }

    /// The slots a traced expression read, in order of first reading.
    fn reads(e: &Expr, out: &mut Vec<Slot>) {
        if e.value.is_none() {
            return;
        }
        match e.ir {
            Ir::Slot(s) | Ir::Rounded(s, _) => {
                if !out.contains(s) {
                    out.push(*s);
                }
            }
            _ => e.args.iter().for_each(|a| Self::reads(a, out)),
        }
    }

    /// The intermediate values of a traced expression, innermost first.
    fn steps(&self, e: &Expr, out: &mut Vec<Step>) {
        let Some(v) = e.value else { return };
        for a in &e.args {
            self.steps(a, out);
        }
        let text = || self.printer.expr(e.ir);
        let said = || words::Words::new(self.model, self.opts.lang).head(e.ir);
        let step = |note: Option<Note>| Step { expr: text(), words: said(), value: self.expr_value(e.ir, v), note };
        match e.ir {
            Ir::Const(_) | Ir::Slot(_) => {}
            Ir::Rounded(s, p) => {
                let raw = self.period.get(*s, self.unit);
                if !crate::eval::trace::same(raw, v) {
                    out.push(Step {
                        expr: text(),
                        words: said(),
                        value: rounded_to(v, *p, self.mode()),
                        note: Some(Note::Rounded { decimals: *p, from: plain(raw) }),
                    });
                }
            }
            Ir::RoundExpr(_, p) => {
                let raw = e.args[0].val();
                if !crate::eval::trace::same(raw, v) {
                    out.push(Step {
                        expr: text(),
                        words: said(),
                        value: rounded_to(v, *p, self.mode()),
                        note: Some(Note::Rounded { decimals: *p, from: plain(raw) }),
                    });
                }
            }
            Ir::If(..) => {
                let taken = match e.chosen {
                    Some(1) => Some("then"),
                    Some(2) => Some("else"),
                    _ => None,
                };
                out.push(step(taken.map(|taken| Note::Branch { taken })));
            }
            Ir::Bands(x, arms, _, _) => {
                let lang = self.opts.lang;
                let unit = match &**x {
                    Ir::Slot(s) | Ir::Rounded(s, _) => words::Words::new(self.model, lang).unit_of(*s),
                    _ => String::new(),
                };
                let arm = e.chosen.map(|k| match arms.get(k) {
                    Some((r, _)) => Note::Arm { arm: r.display(), words: words::range_in_words(r, &unit, lang) },
                    None => Note::Arm { arm: "else".into(), words: words::otherwise(lang).into() },
                });
                out.push(step(arm));
            }
            Ir::Match(s, arms, _, _) => {
                let opts = self.printer.options(s);
                let said = words::Words::new(self.model, self.opts.lang);
                let arm = e.chosen.map(|k| match arms.get(k) {
                    Some((keys, _)) => Note::Arm { arm: self.printer.keys(&opts, keys), words: said.options(s, keys) },
                    None => Note::Arm { arm: "else".into(), words: words::otherwise(self.opts.lang).into() },
                });
                out.push(step(arm));
            }
            Ir::Call(Func::GroupCount(policy) | Func::GroupShare(policy), ..) => {
                let reasons: Vec<Reason> = e.args.iter().filter_map(|a| a.val().err().map(|m| m.reason)).collect();
                let not_applicable = reasons.iter().filter(|r| **r == Reason::NotApplicable).count();
                let unanswered = reasons.len() - not_applicable;
                let policy = match policy {
                    Unanswered::Zero => "zero",
                    Unanswered::NotAssessable => "not_assessable",
                    Unanswered::Skip => "reweight",
                };
                out.push(step((!reasons.is_empty()).then_some(Note::Unanswered {
                    policy,
                    unanswered,
                    not_applicable,
                })));
            }
            Ir::And(..) | Ir::Or(..) | Ir::Coalesce(..) => {
                let short = e.args.get(1).is_some_and(|r| r.value.is_none());
                out.push(step(short.then_some(Note::ShortCircuit)));
            }
            _ => out.push(step(None)),
        }
    }

    fn formula_steps(&self, e: &Expr) -> Vec<Step> {
        let mut out = vec![];
        self.steps(e, &mut out);
        out
    }

    fn inputs(&mut self, slots: &[Slot], depth: usize) -> Vec<Node> {
        slots.iter().map(|s| self.slot_node(*s, depth + 1)).collect()
    }

    fn indicator(&mut self, iid: &str, t: &SlotTrace<'m>, depth: usize) -> Node {
        let ind = &self.model.indicators[iid];
        let mut n = self.empty(Kind::Indicator);
        n.unit = self.unit(&ind.unit, &ind.unit_labels);
        n.source = self.source(ind.span);
        if let How::Formula(e) = &t.how {
            n.detail = Some(Detail::Formula {
                formula: ind.formula_text.clone(),
                formula_words: words::Words::new(self.model, self.opts.lang).slot_formula(ind.value),
                steps: self.formula_steps(e),
            });
            let mut reads = vec![];
            Self::reads(e, &mut reads);
            n.inputs = self.inputs(&reads, depth);
        }
        n
    }

    fn score(&mut self, iid: &str, t: &SlotTrace<'m>, depth: usize) -> Node {
        let m = self.model;
        let ind = &m.indicators[iid];
        let mut n = self.empty(Kind::Score);
        let origin = m.plan.iter().find_map(|s| match s {
            PlanStep::Score { slot, origin, .. } if *slot == ind.score_slot => Some(*origin),
            _ => None,
        });
        n.source = origin.and_then(|o| m.origins.get(o as usize)).map(|o| o.span).and_then(|s| self.source(s));
        let How::Score { placement, formula, units, clamped_from, .. } = &t.how else {
            return n;
        };
        let Some(rule) = &ind.score else { return n };
        let mut steps = vec![];
        let mut reads = vec![ind.value];
        if let Some(e) = formula {
            steps = self.formula_steps(e);
            Self::reads(e, &mut reads);
        }
        let compares = matches!(
            rule,
            ScoreRule::MinMax
                | ScoreRule::ZScore { .. }
                | ScoreRule::Rank { .. }
                | ScoreRule::Percentile { .. }
                | ScoreRule::Threshold { .. }
                | ScoreRule::Categorical { .. }
        ) || matches!(rule, ScoreRule::Distance { to, .. } if !matches!(to, Reference::Target(_)));
        let units = if compares {
            units.iter().map(|(u, v)| UnitValue { unit: u.clone(), value: self.slot_value(ind.value, *v) }).collect()
        } else {
            vec![]
        };
        let lang = self.opts.lang;
        let band_words = match (rule, placement) {
            (ScoreRule::Bands { bands, .. }, crate::eval::Placement::Bands { band, .. }) => Some(match band {
                Some(k) => bands.get(*k).map(|(r, _)| words::range_in_words(r, &ind.unit, lang)).unwrap_or_default(),
                None => words::otherwise(lang).to_string(),
            }),
            (ScoreRule::Categorical { classes }, crate::eval::Placement::Categorical { class, .. }) => {
                class.and_then(|k| classes.get(k)).map(|(r, _)| words::range_in_words(r, "", lang))
            }
            _ => None,
        };
        n.detail = Some(Detail::Score {
            rule: rule_text(rule),
            rule_words: words::rule_in_words(rule, &ind.unit, lang),
            band_words,
            direction: match ind.direction {
                Direction::HigherIsBetter => "higher_is_better",
                Direction::LowerIsBetter => "lower_is_better",
            },
            scale: [m.header.scale.0, m.header.scale.1],
            placement: placement_out(rule, *placement),
            steps,
            units,
            clamped_from: *clamped_from,
        });
        n.inputs = self.inputs(&reads, depth);
        n
    }

    fn aggregate(&mut self, slot: Slot, t: &SlotTrace<'m>, depth: usize) -> Node {
        let m = self.model;
        let mut n = self.empty(Kind::Area);
        let origin = m.plan.iter().find_map(|s| match s {
            PlanStep::Aggregate { slot: s, origin, .. } if *s == slot => Some(*origin),
            _ => None,
        });
        let span = match &m.slots[slot.0 as usize] {
            SlotKind::Area(id) => m.areas[id.as_str()].span,
            _ => origin.and_then(|o| m.origins.get(o as usize)).map(|o| o.span).unwrap_or_default(),
        };
        n.source = self.source(span);
        let How::Aggregate { method, policy, children } = &t.how else {
            return n;
        };
        let bottom = m.header.scale.0;
        let total: f64 = children.iter().map(|c| c.weight).sum();
        let counted_of = |c: &ChildTrace| match (c.value, policy) {
            (Ok(_), _) | (Err(_), MissingPolicy::Zero) => true,
            (Err(m), MissingPolicy::ZeroExceptNotApplicable) => m.reason != Reason::NotApplicable,
            _ => false,
        };
        let counted: f64 = children.iter().filter(|c| counted_of(c)).map(|c| c.weight).sum();
        let result_ok = t.value.is_ok();
        let mut parts = vec![];
        for c in children {
            let (kind, id, label) = match &m.slots[c.slot.0 as usize] {
                SlotKind::Score(id) => {
                    ("indicator", id.clone(), m.indicators.get(id).and_then(|i| self.label(&i.labels)))
                }
                SlotKind::Area(id) => ("area", id.clone(), m.areas.get(id).and_then(|a| self.label(&a.labels))),
                SlotKind::Attainment(code) => {
                    ("standard", code.clone(), m.standards.get(code).and_then(|s| self.label(&s.labels)))
                }
                other => ("value", format!("{other:?}"), None),
            };
            let is_counted = counted_of(c);
            let score = match c.value {
                Ok(x) => x,
                Err(_) => bottom,
            };
            let share = (result_ok && is_counted && counted > 0.0).then(|| c.weight / counted);
            let contribution = share.and_then(|s| match method {
                Aggregation::Mean => Some(s * score),
                Aggregation::Geometric => Some(if score == 0.0 && s > 0.0 { 0.0 } else { libm::pow(score, s) }),
                Aggregation::Min
                | Aggregation::Harmonic
                | Aggregation::Power(_)
                | Aggregation::Copeland
                | Aggregation::Kemeny
                | Aggregation::Bod { .. } => None,
            });
            parts.push(Part {
                kind,
                id,
                label,
                score: self.score_value(c.value),
                weight: c.weight,
                counted: is_counted,
                as_bottom: is_counted && c.value.is_err(),
                share,
                contribution,
            });
        }
        let (policy_name, min_coverage, min_children) = match policy {
            MissingPolicy::Reweight { min: Threshold::Weight(share) } => ("reweight", Some(*share), None),
            MissingPolicy::Reweight { min: Threshold::Children(k) } => ("reweight", None, Some(*k)),
            MissingPolicy::Zero => ("zero", None, None),
            other => (other.text(), None, None),
        };
        n.detail = Some(Detail::Aggregate {
            method: match method {
                Aggregation::Mean => "mean",
                Aggregation::Geometric => "geometric",
                Aggregation::Min => "min",
                Aggregation::Harmonic => "harmonic",
                Aggregation::Power(_) => "power",
                Aggregation::Copeland => "copeland",
                Aggregation::Kemeny => "kemeny",
                Aggregation::Bod { .. } => "bod",
            },
            weights_from: self.weights_from(slot),
            policy: policy_name,
            min_coverage,
            min_children,
            total_weight: total,
            counted_weight: counted,
            reweighted: result_ok && children.iter().any(|c| !counted_of(c)) && policy.reweights(),
            children: parts,
        });
        let slots: Vec<Slot> = children.iter().map(|c| c.slot).collect();
        n.inputs = self.inputs(&slots, depth);
        n
    }

    /// How an area's weights were obtained, in a sentence (none for declared weights).
    fn weights_from(&self, slot: Slot) -> Option<String> {
        let m = self.model;
        let lang = self.opts.lang;
        let tr = |en: &str, ru: &str| if lang == crate::i18n::Lang::Ru { ru.to_string() } else { en.to_string() };
        let num = |x: f64, d: u32| crate::i18n::number(lang, &crate::number::fixed(x, d, m.header.rounding));
        let area = m.areas.values().find(|a| a.slot == slot)?;
        let derived = self.period.derived.iter().find(|d| d.slot == slot).map(|d| &d.kind);
        if let Some(crate::eval::DerivedKind::Bod { .. }) = derived {
            return Some(tr(
                "benefit of the doubt: the weights most favourable to this state, found by linear programming, under which no state's weighted sum exceeds 1 (OECD/JRC Handbook, 6.1.3)",
                "«презумпция благоприятности» (benefit of the doubt): наиболее выгодные для этого государства веса, найденные линейным программированием, при которых взвешенная сумма ни одного государства не превышает 1 (Руководство ОЭСР/ОИЦ, 6.1.3)",
            ));
        }
        match &area.weights_from {
            WeightsFrom::Declared => None,
            WeightsFrom::Equal => Some(tr("equal weights", "равные веса")),
            WeightsFrom::Budget { budget, points } => Some(format!(
                "{} {} {} {}",
                tr("budget allocation:", "распределение бюджета:"),
                points.iter().map(|p| num(*p, 2)).collect::<Vec<_>>().join(", "),
                tr("points of", "баллов из"),
                num(*budget, 2)
            )),
            WeightsFrom::Ahp(a) => Some(format!(
                "{} λmax = {}, CI = {}, CR = {}",
                tr(
                    "analytic hierarchy process (principal eigenvector of the pairwise comparisons):",
                    "метод анализа иерархий (главный собственный вектор попарных сравнений):"
                ),
                num(a.lambda_max, 3),
                num(a.ci, 3),
                num(a.cr, 3)
            )),
            WeightsFrom::Pca => Some(match derived {
                Some(crate::eval::DerivedKind::Pca { pca: Some(p), .. }) => format!(
                    "{} {} {} {}: {} {} {}",
                    tr(
                        "weights from principal components of the data of period",
                        "веса по главным компонентам данных периода"
                    ),
                    self.period.period,
                    tr("over", "по"),
                    p.complete_cases,
                    p.retained,
                    tr("factor(s) retained, explaining", "фактор(а) сохранено, объясняют"),
                    pct_text(lang, p.cumulative)
                ),
                _ => tr(
                    "principal components cannot be computed on this period's data: equal weights",
                    "главные компоненты по данным этого периода не рассчитываются: равные веса",
                ),
            }),
        }
    }

    fn recommendation(&mut self, rid: &str, t: &SlotTrace<'m>, depth: usize) -> Node {
        let r = &self.model.recommendations[rid];
        let mut n = self.empty(Kind::Recommendation);
        n.source = self.source(r.span);
        let status = match t.value {
            Ok(x) if x != 0.0 => "applies",
            Ok(_) => "does_not_apply",
            Err(_) => "not_assessable",
        };
        if let How::Formula(e) = &t.how {
            n.detail = Some(Detail::Recommendation {
                status,
                condition: r.when_text.clone(),
                condition_words: words::Words::new(self.model, self.opts.lang).condition(r),
                steps: self.formula_steps(e),
            });
            let mut reads = vec![];
            Self::reads(e, &mut reads);
            n.inputs = self.inputs(&reads, depth);
        }
        n
    }

    fn hidden(&mut self, text: &str, t: &SlotTrace<'m>, depth: usize) -> Node {
        let m = self.model;
        let mut n = self.empty(Kind::Intermediate);
        let origin = m.plan.iter().find_map(|s| match s {
            PlanStep::Column { slot, origin, .. } if *slot == t.slot => Some(*origin),
            _ => None,
        });
        let span = match origin {
            Some(o) => m.origins.get(o as usize).map(|o| o.span),
            None => m.origins.iter().find(|o| o.slot == t.slot).map(|o| o.span),
        };
        n.source = span.and_then(|s| self.source(s));
        match &t.how {
            How::Column { op, src, units } => {
                n.kind = Kind::UnionStatistic;
                let statistic = match op {
                    ColumnOp::Mean => "mean",
                    ColumnOp::Median => "median",
                    ColumnOp::Min => "min",
                    ColumnOp::Max => "max",
                    ColumnOp::Sd => "sd",
                    ColumnOp::Sum => "sum",
                    ColumnOp::Count => "count",
                    ColumnOp::Rank(_) => "rank",
                    ColumnOp::Percentile => "percentile",
                };
                let present = units.iter().filter(|(_, v)| v.is_ok()).count();
                n.detail = Some(Detail::UnionStatistic {
                    statistic,
                    operand: self.printer.slot(*src),
                    units: units
                        .iter()
                        .map(|(u, v)| UnitValue { unit: u.clone(), value: self.slot_value(*src, *v) })
                        .collect(),
                    present,
                });
                // the operand is explained for this unit only when it is an intermediate formula
                if matches!(m.slots[src.0 as usize], SlotKind::Hidden(_)) {
                    n.inputs = self.inputs(&[*src], depth);
                }
            }
            How::Formula(e) => {
                n.detail = Some(Detail::Formula {
                    formula: text.to_string(),
                    formula_words: None,
                    steps: self.formula_steps(e),
                });
                let mut reads = vec![];
                Self::reads(e, &mut reads);
                n.inputs = self.inputs(&reads, depth);
            }
            How::Noted { indicator, src, before, note } => {
                let ind = &m.indicators[*indicator];
                let sh = crate::number::shortest;
                let what = match note {
                    Some(crate::eval::NoteKind::Imputed { method, value, was, from_period, group }) => {
                        let whence = match (from_period, group) {
                            (Some(p), _) => format!(" (from {p})"),
                            (_, Some(g)) => format!(" (group {g})"),
                            _ => String::new(),
                        };
                        format!("impute {method}: {} → {}{whence}", was.as_str(), sh(*value))
                    }
                    Some(crate::eval::NoteKind::Treated { method, old, new }) => {
                        format!("treat: {method} {} → {}", sh(*old), sh(*new))
                    }
                    None => match before {
                        Ok(_) => format!("{}: unchanged", if ind.imputed == Some(t.slot) { "impute" } else { "treat" }),
                        Err(miss) => format!("impute {}: still missing ({})", ind.impute.name(), miss.reason.as_str()),
                    },
                };
                n.detail = Some(Detail::Formula { formula: what, formula_words: None, steps: vec![] });
                n.inputs = self.inputs(&[*src], depth);
            }
            _ => {}
        }
        n
    }

    fn standard(&mut self, code: &str, depth: usize) -> Node {
        let m = self.model;
        let s = &m.standards[code];
        let met = self.period.get(s.met, self.unit);
        let verdict = match met {
            Ok(x) if x != 0.0 => "met",
            Ok(_) => "not_met",
            Err(_) => "not_assessable",
        };
        let value = with_text(met, |_| Some(verdict.to_string()));
        let value = if met.is_err() { Value { text: Some(verdict.into()), ..value } } else { value };
        let label = self.label(&s.labels);
        if let Some(seen) = self.stop(Key::Standard(code.to_string()), depth) {
            return self.stub(Kind::Standard, code.to_string(), label, value, seen);
        }
        for slot in [Some(s.met), Some(s.level), Some(s.attainment), s.value].into_iter().flatten() {
            self.expanded.insert(Key::Slot(slot));
        }
        let mut mismatch = None;
        let met_t = self.trace(s.met);
        mismatch = mismatch.or(self.mismatch(&met_t));
        let att_t = self.trace(s.attainment);
        mismatch = mismatch.or(self.mismatch(&att_t));
        let mut reads: Vec<Slot> = vec![];
        let mut steps = vec![];
        let mut judged = None;
        if let Some(vslot) = s.value {
            let vt = self.trace(vslot);
            mismatch = mismatch.or(self.mismatch(&vt));
            judged = Some(self.slot_value(vslot, vt.value));
            if let How::Formula(e) = &vt.how {
                Self::reads(e, &mut reads);
            }
        } else if let How::Formula(e) = &met_t.how {
            steps = self.formula_steps(e);
            Self::reads(e, &mut reads);
        }
        // levels: each condition on its own, from the lowest
        let mut levels = vec![];
        let mut level_name = None;
        if !s.levels.is_empty() {
            let lt = self.trace(s.level);
            mismatch = mismatch.or(self.mismatch(&lt));
            level_name = self.slot_value(s.level, lt.value).text;
            if let Some(PlanStep::Formula { ir, .. }) =
                m.plan.iter().find(|st| matches!(st, PlanStep::Formula { slot, .. } if *slot == s.level))
            {
                let mut conds = vec![];
                let mut cur = ir;
                while let Ir::If(c, _, rest) = cur {
                    conds.push(&**c);
                    cur = rest;
                }
                conds.reverse();
                for (l, c) in s.levels.iter().zip(conds) {
                    let e = self.tracer.eval_ir(c, self.unit);
                    Self::reads(&e, &mut reads);
                    levels.push(LevelOut {
                        name: l.name.clone(),
                        condition: l.text.clone(),
                        label: words::level_name(&l.name, self.opts.lang),
                        words: words::Words::new(m, self.opts.lang).expr(c),
                        holds: with_text(e.val(), yes_no),
                    });
                }
            }
        }
        // how attainment was computed, read from its formula
        let att_ir = m.plan.iter().find_map(|st| match st {
            PlanStep::Formula { slot, ir } if *slot == s.attainment => Some(ir),
            _ => None,
        });
        let attainment_rule = match att_ir {
            Some(Ir::If(c, _, rest)) if matches!(**c, Ir::Slot(x) if x == s.met) => {
                if met.is_ok_and(|x| x != 0.0) {
                    "met"
                } else {
                    attainment_kind(rest, s.level)
                }
            }
            Some(ir) => attainment_kind(ir, s.level),
            None => "bottom",
        };
        let own = [Some(s.met), Some(s.level), Some(s.attainment), s.value];
        reads.retain(|r| !own.contains(&Some(*r)));
        let gap = match (judged.as_ref().and_then(|v| v.value), s.target) {
            (Some(v), Some(t)) => Some(crate::number::round(v - t, 12, crate::number::Rounding::HalfEven)),
            _ => None,
        };
        let mut n = self.empty(Kind::Standard);
        n.id = code.to_string();
        n.label = label;
        n.value = value;
        n.source = self.source(s.span);
        n.mismatch = mismatch;
        n.detail = Some(Detail::Standard {
            kind: match s.kind {
                StandardKind::Standard => "standard",
                StandardKind::Transitional => "transitional",
                StandardKind::Recommended => "recommended",
            },
            verdict,
            requirement: (!s.requires_text.is_empty()).then(|| s.requires_text.clone()),
            requirement_words: (!s.requires_text.is_empty())
                .then(|| words::Words::new(m, self.opts.lang).requirement(s)),
            value: judged,
            target: s.target,
            gap,
            baseline: s.baseline,
            attainment: self.score_value(att_t.value),
            attainment_rule,
            level: level_name,
            levels,
            steps,
        });
        n.inputs = self.inputs(&reads, depth);
        n
    }
}

/// How an attainment formula computes (apart from "met: the top of the scale").
fn attainment_kind(ir: &Ir, level: Slot) -> &'static str {
    fn has(ir: &Ir, f: &dyn Fn(&Ir) -> bool) -> bool {
        if f(ir) {
            return true;
        }
        match ir {
            Ir::Arith(_, a, b, _) | Ir::Cmp(_, a, b) | Ir::And(a, b) | Ir::Or(a, b) | Ir::Coalesce(a, b) => {
                has(a, f) || has(b, f)
            }
            Ir::If(a, b, c) => has(a, f) || has(b, f) || has(c, f),
            Ir::Call(_, args, _) => args.iter().any(|a| has(a, f)),
            Ir::RoundExpr(a, _) | Ir::Neg(a) | Ir::Not(a) | Ir::IsMissing(a, _) | Ir::MissingReason(a) => has(a, f),
            _ => false,
        }
    }
    if has(ir, &|x| matches!(x, Ir::Call(Func::Clamp, ..))) {
        "linear"
    } else if has(ir, &|x| matches!(x, Ir::Slot(s) if *s == level)) {
        "levels"
    } else {
        "bottom"
    }
}

/// A scoring rule as written.
pub(super) fn rule_text(rule: &ScoreRule) -> String {
    let sh = shortest;
    let arms = |bands: &[(NumRange, f64)]| {
        bands.iter().map(|(r, s)| format!("{} => {}", r.display(), sh(*s))).collect::<Vec<_>>()
    };
    match rule {
        ScoreRule::Goalposts { best, worst, log } => {
            format!("goalposts(best: {}, worst: {}{})", sh(*best), sh(*worst), if *log { ", log: yes" } else { "" })
        }
        ScoreRule::MinMax => "minmax".into(),
        ScoreRule::ZScore { center, scale } if *center == 0.0 && *scale == 1.0 => "zscore".into(),
        ScoreRule::ZScore { center, scale } => format!("zscore(center: {}, scale: {})", sh(*center), sh(*scale)),
        ScoreRule::Rank { ties, descending } => {
            let mut args = vec![];
            if *ties != Ties::Min {
                args.push(format!("ties: {}", if *ties == Ties::Max { "max" } else { "average" }));
            }
            if *descending {
                args.push("order: descending".to_string());
            }
            if args.is_empty() {
                "rank".into()
            } else {
                format!("rank({})", args.join(", "))
            }
        }
        ScoreRule::Percentile { over_n, ties } => {
            let mut args = vec![];
            if *over_n {
                args.push("definition: rank_over_n".to_string());
            }
            if *ties != Ties::Average {
                args.push(format!("ties: {}", if *ties == Ties::Max { "max" } else { "min" }));
            }
            if args.is_empty() {
                "percentile".into()
            } else {
                format!("percentile({})", args.join(", "))
            }
        }
        ScoreRule::Distance { to, how } => {
            let to = to.written();
            match how {
                DistanceKind::Ratio => format!("distance(to: {to})"),
                _ => format!("distance(to: {to}, as: {})", how.text()),
            }
        }
        ScoreRule::Threshold { p, above, within, below } => {
            format!("threshold(p: {}, above: {}, within: {}, below: {})", sh(*p), sh(*above), sh(*within), sh(*below))
        }
        ScoreRule::Categorical { classes } => format!("categorical {{ {} }}", arms(classes).join(", ")),
        ScoreRule::Bands { bands, otherwise } => {
            let mut a = arms(bands);
            if let Some(o) = otherwise {
                a.push(format!("else => {}", sh(*o)));
            }
            format!("bands {{ {} }}", a.join(", "))
        }
        ScoreRule::YesNo { yes, no } => format!("yesno(yes: {}, no: {})", sh(*yes), sh(*no)),
        ScoreRule::Value => "value".into(),
        ScoreRule::Formula { text, .. } => format!("formula({text})"),
    }
}

fn placement_out(rule: &ScoreRule, p: crate::eval::Placement) -> Placement {
    use crate::eval::Placement as P;
    match (rule, p) {
        (ScoreRule::Goalposts { best, worst, log }, P::Goalposts { fraction }) => {
            Placement::Goalposts { best: *best, worst: *worst, log: *log, fraction }
        }
        (_, P::MinMax { min, max }) => Placement::Minmax { min, max },
        (ScoreRule::ZScore { center, scale }, P::ZScore { mean, sd, z }) => {
            Placement::Zscore { mean, sd, z, center: *center, scale: *scale }
        }
        (_, P::Rank { rank, n }) => {
            Placement::Rank { rank, n, descending: matches!(rule, ScoreRule::Rank { descending: true, .. }) }
        }
        (_, P::Percentile { percentile, n }) => {
            Placement::Percentile { percentile, n, over_n: matches!(rule, ScoreRule::Percentile { over_n: true, .. }) }
        }
        (ScoreRule::Distance { to, how }, P::Distance { reference }) => Placement::Distance {
            to: match to {
                Reference::Mean => "mean",
                Reference::Best => "best",
                Reference::Worst => "worst",
                Reference::Target(_) => "target",
            },
            reference,
            ratio: *how == DistanceKind::Ratio,
            relative: *how == DistanceKind::Relative,
        },
        (_, P::Threshold { mean, half, class }) => Placement::Threshold {
            mean,
            low: mean - half,
            high: mean + half,
            class: match class {
                0 => "below",
                1 => "within",
                _ => "above",
            },
        },
        (ScoreRule::Categorical { classes }, P::Categorical { percentile, class }) => {
            Placement::Categorical { percentile, class: class.and_then(|k| classes.get(k)).map(|(r, _)| r.display()) }
        }
        (ScoreRule::Bands { bands, otherwise }, P::Bands { rounded, band }) => Placement::Bands {
            judged: rounded,
            band: match band {
                Some(k) => bands.get(k).map(|(r, _)| r.display()),
                None => otherwise.map(|_| "else".to_string()),
            },
        },
        (ScoreRule::YesNo { yes, no }, _) => Placement::Yesno { yes: *yes, no: *no },
        (ScoreRule::Value, _) => Placement::Value,
        (ScoreRule::Formula { .. }, _) => Placement::Formula,
        _ => Placement::None,
    }
}

fn pct_text(lang: crate::i18n::Lang, share: f64) -> String {
    let n = crate::i18n::number(lang, &crate::number::fixed(share * 100.0, 1, crate::number::Rounding::HalfEven));
    if lang == crate::i18n::Lang::Ru {
        format!("{n}\u{a0}%")
    } else {
        format!("{n}%")
    }
}
