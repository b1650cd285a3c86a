//! Indicators: formulas, units, precision, direction and scoring rules.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn indicator_entries(&mut self) {
        let i_decls = std::mem::take(&mut self.i_decls);
        let header_items = self.header.map(|h| h.body.as_slice()).unwrap_or(&[]);
        let outside_scale = self.outside_scale_of(header_items).unwrap_or_default();
        for (d, area) in &i_decls {
            let value = self.slot(SlotKind::Value(d.id.name.clone()), d.id.span);
            let score_slot = self.slot(SlotKind::Score(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let notes = Self::texts(d, |k| if let ItemKind::Note(l, s) = k { Some((l, s)) } else { None });
            let mut ind = Indicator {
                id: d.id.name.clone(),
                labels,
                notes,
                source: Self::source_of(d),
                formula_text: String::new(),
                unit: String::new(),
                unit_labels: Labels::new(),
                precision: self.header_model.precision,
                direction: Direction::HigherIsBetter,
                score: None,
                weight: 1.0,
                area: area.and_then(|a| self.a_decls.get(a)).and_then(|a| a.decl).map(|a| a.id.name.clone()),
                reported_only: false,
                boolean: false,
                impute: Imputation::None,
                treat: Treatment::None,
                value,
                imputed: None,
                treated: None,
                score_input: value,
                score_slot,
                outside_scale,
                span: d.id.span,
            };
            if let Some(o) = self.outside_scale_of(&d.body) {
                ind.outside_scale = o;
            }
            if let DeclKind::Indicator { formula: Some(f) } = &d.kind {
                ind.formula_text = crate::syntax::print::expr(f);
            }
            for item in &d.body {
                match &item.kind {
                    ItemKind::Unit(u) => {
                        self.warn_unit_languages(u, item.span);
                        ind.unit = u.clone()
                    }
                    ItemKind::UnitLabels(ls) => (ind.unit, ind.unit_labels) = self.unit_labels(ls),
                    ItemKind::Precision(p) => ind.precision = self.precision(*p, item.span),
                    ItemKind::Direction(h) => {
                        ind.direction = if *h { Direction::HigherIsBetter } else { Direction::LowerIsBetter }
                    }
                    ItemKind::Weight(w) => ind.weight = *w,
                    ItemKind::ReportedOnly => ind.reported_only = true,
                    _ => {}
                }
            }
            self.indicators.insert(ind.id.clone(), ind);
            self.ind_state.push(TyState::NotStarted);
        }
        self.i_decls = i_decls;
    }

    pub(super) fn indicators_pass(&mut self) {
        for i in 0..self.i_decls.len() {
            self.indicator_ty(i);
        }
        for i in 0..self.i_decls.len() {
            self.score_pass(i);
        }
    }

    /// The type of an indicator's value, lowering its formula on first use.
    pub(crate) fn indicator_ty(&mut self, i: usize) -> (Ty, Option<u32>) {
        match &self.ind_state[i] {
            TyState::Done(t, p) => return (t.clone(), *p),
            TyState::InProgress => return (Ty::Error, None), // a cycle: reported by the planner
            TyState::NotStarted => {}
        }
        self.ind_state[i] = TyState::InProgress;
        let (d, _) = self.i_decls[i];
        let slot = self.indicators[i].value;
        let prec = self.indicators[i].precision;
        let ty = match &d.kind {
            DeclKind::Indicator { formula: Some(f) } => {
                let mut cx = expr::Cx::new(slot, false);
                let (ir, ty) = self.lower(f, &mut cx);
                self.deps[slot.0 as usize] = cx.deps;
                self.set_step(slot, Step::Formula { slot, ir });
                let declared = self.indicators[i].unit.clone();
                match &ty {
                    Ty::Num(u) => {
                        let settled = u.settle();
                        // a unit with spaces or digits ("per 100 importers") is a caption: shown, not checked
                        let caption = declared.chars().any(|c| c.is_whitespace() || c.is_ascii_digit());
                        if declared.is_empty() || caption {
                            Ty::Num(settled)
                        } else {
                            let du = Unit::parse(&declared);
                            if !du.compatible(u) {
                                self.err(
                                    Diag::warning(Code::UnitDeclared, format!("`{}` is declared in `{declared}` but its formula gives {settled}", d.id.name))
                                        .at(f.span, format!("this is in {settled}"))
                                        .help(if settled.is_plain() || du.is_plain() {
                                            "check the formula (a ratio of two counts is a plain number; × 100 makes a percentage), or correct `unit`"
                                        } else {
                                            "convert the formula's result to the declared unit (e.g. hours / 24 for days), or correct `unit`"
                                        }),
                                );
                            }
                            Ty::Num(du)
                        }
                    }
                    Ty::Bool => {
                        self.indicators[i].boolean = true;
                        Ty::Bool
                    }
                    Ty::Choice(_) | Ty::Str(_) => {
                        self.err(
                            Diag::error(Code::Type, format!("the indicator `{}` must be a number or yes/no, not {}", d.id.name, ty.describe()))
                                .at(f.span, "a choice")
                                .help("turn options into numbers: `match(q) { \"full\" => 100, \"partial\" => 50, else => 0 }`"),
                        );
                        Ty::Error
                    }
                    Ty::Error => Ty::Error,
                }
            }
            _ => {
                self.err(
                    Diag::error(Code::MissingProperty, format!("the indicator `{}` has no formula", d.id.name))
                        .at(d.span, "no `= …` after the name")
                        .help(format!("write `indicator {} = <formula> {{ … }}`", d.id.name)),
                );
                Ty::Error
            }
        };
        self.ind_state[i] = TyState::Done(ty.clone(), Some(prec));
        (ty, Some(prec))
    }

    /// What `check` can tell before any data: a scoring rule that gives (a band's score, a yes/no
    /// score) or may give (a rank, a z-score) a score outside the scale, when the indicator keeps
    /// such scores with a warning (`outside_scale warn`, the default).
    pub(super) fn scale_warning(&mut self, i: usize, rule: &ScoreRule, span: Span) {
        let ind = &self.indicators[i];
        if ind.outside_scale != OutsideScale::Warn {
            return;
        }
        let (bottom, top) = self.header_model.scale;
        let sh = crate::number::shortest;
        let outside = |x: f64| x < bottom || x > top;
        let first_outside = |xs: &[f64]| xs.iter().copied().find(|x| outside(*x));
        let why = match rule {
            ScoreRule::Bands { bands, otherwise } => {
                let xs: Vec<f64> = bands.iter().map(|(_, s)| *s).chain(*otherwise).collect();
                first_outside(&xs).map(|x| format!("a band scores {}", sh(x)))
            }
            ScoreRule::Categorical { classes } => {
                let xs: Vec<f64> = classes.iter().map(|(_, s)| *s).collect();
                first_outside(&xs).map(|x| format!("a class scores {}", sh(x)))
            }
            ScoreRule::Threshold { above, within, below, .. } => {
                first_outside(&[*above, *within, *below]).map(|x| format!("a class scores {}", sh(x)))
            }
            ScoreRule::YesNo { yes, no } => first_outside(&[*yes, *no]).map(|x| format!("an answer scores {}", sh(x))),
            ScoreRule::Rank { .. } if bottom > 1.0 || top < crate::data::MAX_UNITS_PER_PERIOD as f64 => Some(format!(
                "ranks run from 1 to the number of states n, which {}",
                if bottom > 1.0 { "starts below the scale".to_string() } else { format!("may exceed {}", sh(top)) }
            )),
            ScoreRule::ZScore { .. } => {
                Some("a z-score has no bounds: a value far from the mean scores beyond either end".into())
            }
            _ => None,
        };
        let Some(why) = why else { return };
        let id = ind.id.clone();
        self.err(
            Diag::warning(Code::CheckScale, format!("the score of `{id}` may lie outside the scale {}..={}: {why}", sh(bottom), sh(top)))
                .at(span, "this rule")
                .help("such a score is kept, with a warning for each state (`tamga::eval::scale`); say what is meant: `outside_scale clamp` (moved to the nearest end of the scale) or `outside_scale allow` (kept, no warning), in the indicator or the methodology header"),
        );
    }

    /// The `outside_scale` declared among `items`, if any (an unknown word is reported).
    pub(super) fn outside_scale_of(&mut self, items: &[Item]) -> Option<OutsideScale> {
        let word = items.iter().find_map(|it| if let ItemKind::OutsideScale(w) = &it.kind { Some(w) } else { None })?;
        let parsed = OutsideScale::parse(&word.name);
        if parsed.is_none() {
            let help = match diagnostics::suggest(&word.name, ["warn", "clamp", "allow"]) {
                Some(s) => format!("did you mean `{s}`? write `outside_scale warn` (keep the score, with a warning: the default), `outside_scale clamp` (move it to the nearest end of the scale) or `outside_scale allow` (keep it, no warning)"),
                None => "write `outside_scale warn` (keep the score, with a warning: the default), `outside_scale clamp` (move it to the nearest end of the scale) or `outside_scale allow` (keep it, no warning)".into(),
            };
            self.err(
                Diag::error(Code::Invalid, format!("unknown `outside_scale` `{}`", word.name))
                    .at(word.span, "here")
                    .help(help),
            );
        }
        parsed
    }

    pub(super) fn score_pass(&mut self, i: usize) {
        let (d, area) = self.i_decls[i];
        let Some(rule) = d.body.iter().find_map(|it| if let ItemKind::Score(r) = &it.kind { Some(r) } else { None })
        else {
            if let Some(a) = area {
                let place = if self.a_decls[a].is_index { "the index" } else { "an area" };
                self.err(
                    Diag::error(Code::MissingProperty, format!("the indicator `{}` is in {place} but has no scoring rule", d.id.name))
                        .at(d.span, "no `score …`")
                        .help("add a scoring rule such as `score goalposts(best: 1, worst: 72)`, `score minmax` or `score bands { … }`"),
                );
            }
            return;
        };
        let score_slot = self.indicators[i].score_slot;
        let (ty, _) = self.indicator_ty(i);
        self.data_treatment(i, &ty);
        let value = self.indicators[i].score_input;
        let mut cx = expr::Cx::new(score_slot, false);
        cx.deps.push((value, rule.span));
        if let Some(r) = self.score_rule(i, rule, &ty, &mut cx) {
            let origin = self.origin(score_slot, rule.span);
            self.scale_warning(i, &r, rule.span);
            self.indicators[i].score = Some(r);
            self.deps[score_slot.0 as usize] = cx.deps;
            self.set_step(score_slot, Step::Score { slot: score_slot, indicator: i, origin });
        }
    }
}
