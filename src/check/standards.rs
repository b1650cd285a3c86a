//! Standards and chapters of the Code (requirements, levels, baselines) and the recommendations that follow from them.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn standard_entries(&mut self) {
        let s_decls = std::mem::take(&mut self.s_decls);
        for (d, ch) in &s_decls {
            let met = self.slot(SlotKind::Met(d.id.name.clone()), d.id.span);
            let level = self.slot(SlotKind::Level(d.id.name.clone()), d.id.span);
            let attainment = self.slot(SlotKind::Attainment(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let levels = d
                .body
                .iter()
                .filter_map(|i| {
                    if let ItemKind::Level(n, e) = &i.kind {
                        Some(Level { name: n.name.clone(), text: crate::syntax::print::expr(e) })
                    } else {
                        None
                    }
                })
                .collect();
            let std = Standard {
                code: d.id.name.clone(),
                labels,
                notes: Self::texts(d, |k| if let ItemKind::Note(l, s) = k { Some((l, s)) } else { None }),
                source: Self::source_of(d),
                chapter: ch.and_then(|c| self.c_decls.get(c)).map(|c| c.id.name.clone()),
                kind: StandardKind::Standard,
                requires_text: String::new(),
                target: None,
                baseline: None,
                levels,
                met,
                level,
                attainment,
                value: None,
                span: d.id.span,
            };
            self.standards.insert(std.code.clone(), std);
        }
        self.s_decls = s_decls;
    }

    pub(super) fn standards_pass(&mut self) {
        for k in 0..self.s_decls.len() {
            self.standard(k);
        }
        // chapters
        let c_decls = std::mem::take(&mut self.c_decls);
        for (ci, d) in c_decls.iter().enumerate() {
            let slot = self.slot(SlotKind::Chapter(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let members: Vec<usize> = (0..self.s_decls.len()).filter(|k| self.s_decls[*k].1 == Some(ci)).collect();
            if members.is_empty() {
                self.err(
                    Diag::warning(Code::MissingProperty, format!("the chapter `{}` has no standards", d.id.name))
                        .at(d.span, "empty chapter")
                        .help("declare standards inside it, or remove it"),
                );
            }
            let children: Vec<(Slot, f64)> = members.iter().map(|k| (self.standards[*k].attainment, 1.0)).collect();
            let deps = members.iter().map(|k| (self.standards[*k].attainment, self.standards[*k].span)).collect();
            let origin = self.origin(slot, d.span);
            self.deps[slot.0 as usize] = deps;
            self.set_step(
                slot,
                Step::Aggregate {
                    slot,
                    children,
                    method: Aggregation::Mean,
                    // a standard not assessed counts as not attained, unless it is not applicable
                    policy: MissingPolicy::ZeroExceptNotApplicable,
                    origin,
                },
            );
            let standards = members.iter().map(|k| self.standards[*k].code.clone()).collect();
            self.chapters
                .insert(d.id.name.clone(), Chapter { code: d.id.name.clone(), labels, standards, score: slot });
        }
        self.c_decls = c_decls;
        // the whole Code
        let slot = self.slot(SlotKind::Code, Span::default());
        let children: Vec<(Slot, f64)> = self.standards.values().map(|s| (s.attainment, 1.0)).collect();
        let deps = self.standards.values().map(|s| (s.attainment, s.span)).collect();
        let origin = self.origin(slot, Span::default());
        self.deps[slot.0 as usize] = deps;
        self.set_step(
            slot,
            Step::Aggregate {
                slot,
                children,
                method: Aggregation::Mean,
                policy: MissingPolicy::ZeroExceptNotApplicable,
                origin,
            },
        );
        self.code_score = slot;
    }

    pub(super) fn standard(&mut self, k: usize) {
        let (d, _) = self.s_decls[k];
        let (met, level_slot, attainment) = {
            let s = &self.standards[k];
            (s.met, s.level, s.attainment)
        };
        let (bottom, top) = self.header_model.scale;
        let mut requires: Option<&ast::Expr> = None;
        let mut baseline: Option<(f64, Span)> = None;
        for item in &d.body {
            match &item.kind {
                ItemKind::Kind(kd) => {
                    let kind = match kd.name.as_str() {
                        "standard" => Some(StandardKind::Standard),
                        "transitional" | "transitional_standard" => Some(StandardKind::Transitional),
                        "recommended" | "recommended_practice" => Some(StandardKind::Recommended),
                        other => {
                            self.err(
                                Diag::error(Code::Invalid, format!("unknown kind of standard `{other}`"))
                                    .at(kd.span, "here")
                                    .help("the kinds are `standard`, `transitional` and `recommended` (as in the WCO Revised Kyoto Convention)"),
                            );
                            None
                        }
                    };
                    if let Some(kind) = kind {
                        self.standards[k].kind = kind;
                    }
                }
                ItemKind::Requires(e) => requires = Some(e),
                ItemKind::Baseline(b) => baseline = Some((*b, item.span)),
                _ => {}
            }
        }
        let levels: Vec<(&ast::Ident, &ast::Expr)> = d
            .body
            .iter()
            .filter_map(|i| if let ItemKind::Level(n, e) = &i.kind { Some((n, e)) } else { None })
            .collect();
        for (j, (n, _)) in levels.iter().enumerate() {
            if n.name == "none" || levels[..j].iter().any(|(m, _)| m.name == n.name) {
                self.err(
                    Diag::error(Code::Duplicate, format!("the level `{}` is declared twice or reserved", n.name))
                        .at(n.span, "here")
                        .help("level names are unique; `none` means no level attained"),
                );
            }
        }
        if requires.is_none() && levels.is_empty() {
            self.err(
                Diag::error(Code::MissingProperty, format!("the standard `{}` has no requirement", d.id.name))
                    .at(d.span, "nothing to meet")
                    .help("add `requires <condition>` (e.g. `requires release_hours <= 24`) or graded `level basic: …` lines"),
            );
            return;
        }
        // levels: the level column holds the index of the highest level attained (0 = none)
        let mut level_irs = vec![];
        for (n, e) in &levels {
            let mut cx = expr::Cx::new(level_slot, true);
            let (ir, ty) = self.lower(e, &mut cx);
            self.expect_bool(&ty, e.span, &format!("the level `{}`", n.name));
            self.deps[level_slot.0 as usize].extend(cx.deps);
            level_irs.push(ir);
        }
        let level_ir = level_irs.iter().enumerate().fold(Ir::Const(0.0), |acc, (j, ir)| {
            Ir::If(Box::new(ir.clone()), Box::new(Ir::Const((j + 1) as f64)), Box::new(acc))
        });
        if !levels.is_empty() {
            self.set_step(level_slot, Step::Formula { slot: level_slot, ir: level_ir });
        }
        // met, with the value and target of a simple comparison
        let mut met_ir = None;
        let mut linear: Option<(Slot, f64, f64)> = None; // value slot, baseline, target
        if let Some(e) = requires {
            self.standards[k].requires_text = crate::syntax::print::expr(e);
            if let ast::ExprKind::Binary(op, lhs, rhs) = &e.kind {
                if let (true, Some((target, _))) =
                    (op.is_comparison() && !matches!(op, ast::BinOp::Eq | ast::BinOp::Ne), const_value(rhs))
                {
                    let vslot = self.slot(SlotKind::StandardValue(d.id.name.clone()), lhs.span);
                    let mut cx = expr::Cx::new(vslot, true);
                    let (ir, ty) = self.lower(lhs, &mut cx);
                    let goal_worst = self.goalpost_worst(lhs);
                    self.deps[vslot.0 as usize] = cx.deps;
                    if !matches!(ty, Ty::Num(_) | Ty::Error) {
                        self.err(
                            Diag::error(
                                Code::Type,
                                format!("the left side of this requirement is {}, not a number", ty.describe()),
                            )
                            .at(lhs.span, "here"),
                        );
                    }
                    self.set_step(vslot, Step::Formula { slot: vslot, ir });
                    self.standards[k].value = Some(vslot);
                    self.standards[k].target = Some(target);
                    let cmp = match op {
                        ast::BinOp::Lt => CmpOp::Lt,
                        ast::BinOp::Le => CmpOp::Le,
                        ast::BinOp::Gt => CmpOp::Gt,
                        _ => CmpOp::Ge,
                    };
                    met_ir = Some(Ir::Cmp(cmp, Box::new(Ir::Slot(vslot)), Box::new(Ir::Const(target))));
                    self.deps[met.0 as usize].push((vslot, lhs.span));
                    let base = baseline.map(|(b, _)| b).or(goal_worst);
                    if let Some(b) = base {
                        if b == target {
                            let span = baseline.map(|(_, s)| s).unwrap_or(e.span);
                            self.err(Diag::error(Code::Invalid, "the baseline equals the target").at(span, "here").help("the baseline is the value at which attainment is 0: choose a value on the far side of the target"));
                        } else {
                            linear = Some((vslot, b, target));
                        }
                    }
                }
            }
            if met_ir.is_none() {
                let mut cx = expr::Cx::new(met, true);
                let (ir, ty) = self.lower(e, &mut cx);
                self.expect_bool(&ty, e.span, "a requirement");
                self.deps[met.0 as usize].extend(cx.deps);
                met_ir = Some(ir);
                if let Some((_, span)) = baseline {
                    self.err(
                        Diag::warning(Code::Invalid, "a baseline needs a requirement of the form `value <= target`")
                            .at(span, "not used")
                            .help("write the requirement as one comparison with a number on the right"),
                    );
                }
            }
        }
        let met_ir = match met_ir {
            Some(ir) => ir,
            None => {
                // graded only: met = the lowest level attained
                self.deps[met.0 as usize].push((level_slot, d.span));
                Ir::Cmp(CmpOp::Ge, Box::new(Ir::Slot(level_slot)), Box::new(Ir::Const(1.0)))
            }
        };
        self.standards[k].baseline = linear.map(|(_, b, _)| b);
        self.set_step(met, Step::Formula { slot: met, ir: met_ir });
        // attainment
        let otherwise = match (linear, levels.is_empty()) {
            (Some((v, b, t)), _) => {
                // bottom + (top - bottom) * clamp((v - b) / (t - b), 0, 1)
                let frac = Ir::Call(
                    Func::Clamp,
                    vec![
                        Ir::Arith(
                            ArithOp::Div,
                            Box::new(Ir::Arith(ArithOp::Sub, Box::new(Ir::Slot(v)), Box::new(Ir::Const(b)), 0)),
                            Box::new(Ir::Const(t - b)),
                            0,
                        ),
                        Ir::Const(0.0),
                        Ir::Const(1.0),
                    ],
                    0,
                );
                self.deps[attainment.0 as usize].push((v, d.span));
                Ir::Arith(
                    ArithOp::Add,
                    Box::new(Ir::Const(bottom)),
                    Box::new(Ir::Arith(ArithOp::Mul, Box::new(Ir::Const(top - bottom)), Box::new(frac), 0)),
                    0,
                )
            }
            (None, false) => {
                let n = levels.len() as f64;
                self.deps[attainment.0 as usize].push((level_slot, d.span));
                Ir::Arith(
                    ArithOp::Add,
                    Box::new(Ir::Const(bottom)),
                    Box::new(Ir::Arith(
                        ArithOp::Mul,
                        Box::new(Ir::Const((top - bottom) / n)),
                        Box::new(Ir::Slot(level_slot)),
                        0,
                    )),
                    0,
                )
            }
            (None, true) => Ir::Const(bottom),
        };
        self.deps[attainment.0 as usize].push((met, d.span));
        // a graded standard without a requirement is attained level by level (met from the
        // lowest level on, but `leading` attains more than `basic`)
        let att = if requires.is_none() && linear.is_none() && !levels.is_empty() {
            otherwise
        } else {
            Ir::If(Box::new(Ir::Slot(met)), Box::new(Ir::Const(top)), Box::new(otherwise))
        };
        self.set_step(attainment, Step::Formula { slot: attainment, ir: att });
    }

    /// The worst goalpost of an indicator referenced directly (the default baseline).
    pub(super) fn goalpost_worst(&self, e: &ast::Expr) -> Option<f64> {
        let ast::ExprKind::Name(n) = &e.kind else {
            return None;
        };
        let Some((Def::Indicator(i), _)) = self.names.get(&n.name) else {
            return None;
        };
        match self.indicators.get_index(*i).and_then(|(_, ind)| ind.score.as_ref()) {
            Some(ScoreRule::Goalposts { worst, .. }) => Some(*worst),
            _ => None,
        }
    }

    pub(super) fn expect_bool(&mut self, ty: &Ty, span: Span, what: &str) {
        if !matches!(ty, Ty::Bool | Ty::Error) {
            self.err(
                Diag::error(Code::Type, format!("{what} must be yes/no, but this is {}", ty.describe()))
                    .at(span, "not a condition")
                    .help("compare it with something: `x <= 24`, `score(area) >= 50`"),
            );
        }
    }

    // ───────────── recommendations ─────────────

    pub(super) fn recommendations_pass(&mut self) {
        let r_decls = std::mem::take(&mut self.r_decls);
        for d in &r_decls {
            let DeclKind::Recommend { when } = &d.kind else {
                continue;
            };
            let slot = self.slot(SlotKind::Recommend(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let mut cx = expr::Cx::new(slot, true);
            let (ir, ty) = self.lower(when, &mut cx);
            self.expect_bool(&ty, when.span, "the condition of a recommendation");
            self.deps[slot.0 as usize] = cx.deps;
            self.set_step(slot, Step::Formula { slot, ir });
            self.recs.insert(
                d.id.name.clone(),
                Recommendation {
                    id: d.id.name.clone(),
                    labels,
                    when_text: crate::syntax::print::expr(when),
                    slot,
                    span: d.id.span,
                },
            );
        }
        self.r_decls = r_decls;
    }
}
