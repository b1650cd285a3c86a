//! Areas and the index: children, weights, aggregation, missing-data policies and thresholds.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn area_entries(&mut self) {
        // the root: the declared index, or an implicit one named `index`
        let root = match self.a_decls.iter().position(|a| a.is_index) {
            Some(r) => r,
            None => {
                self.a_decls.push(ADecl { decl: None, parent: None, is_index: true });
                let r = self.a_decls.len() - 1;
                if !self.names.contains_key("index") {
                    self.names.insert("index".into(), (Def::Area(r), Span::default()));
                }
                r
            }
        };
        self.root = root;
        let n = self.a_decls.len();
        let ids: Vec<String> =
            self.a_decls.iter().map(|a| a.decl.map(|d| d.id.name.clone()).unwrap_or_else(|| "index".into())).collect();
        self.index_id = ids[root].clone();
        let spans: Vec<Span> = self.a_decls.iter().map(|a| a.decl.map(|d| d.id.span).unwrap_or_default()).collect();
        let slots: Vec<Slot> = (0..n).map(|k| self.slot(SlotKind::Area(ids[k].clone()), spans[k])).collect();
        // the index first, then areas in declaration order
        let mut order = vec![root];
        order.extend((0..n).filter(|k| *k != root));
        for &k in &order {
            let a = &self.a_decls[k];
            let decl = a.decl;
            let parent_idx = if a.is_index { None } else { Some(a.parent.unwrap_or(root)) };
            let mut area = Area {
                id: ids[k].clone(),
                labels: decl.map(|d| self.labels(d)).unwrap_or_else(|| self.header_model.title.clone()),
                weight: 1.0,
                aggregate: Aggregation::Mean,
                weights_from: WeightsFrom::Declared,
                // safe by default: a value that was not judged is not published (docs/language.md)
                missing: MissingPolicy::NotAssessable,
                children: vec![],
                parent: parent_idx.map(|p| ids[p].clone()),
                depth: 0,
                slot: slots[k],
                span: spans[k],
            };
            if let Some(d) = decl {
                let labels = area.labels.clone();
                self.warn_languages(d, &labels);
                for item in &d.body {
                    match &item.kind {
                        ItemKind::Weight(w) => area.weight = *w,
                        ItemKind::Aggregate(name, args) => {
                            if let Some(m) = self.aggregation(name, args) {
                                area.aggregate = m;
                            }
                        }
                        ItemKind::Missing(name, args) => {
                            if let Some((p, written)) = self.missing_policy(name, args) {
                                area.missing = p;
                                if let Some(w) = written {
                                    self.min_written.insert(ids[k].clone(), w);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            self.areas.insert(area.id.clone(), area);
        }
        for (k, id) in ids.iter().enumerate().take(n) {
            let mut depth = 0;
            let mut cur = k;
            while !self.a_decls[cur].is_index && depth < 1000 {
                cur = self.a_decls[cur].parent.unwrap_or(root);
                depth += 1;
            }
            self.areas[id].depth = depth;
        }
        self.area_ids = ids;
        self.area_slots = slots;
    }

    pub(super) fn areas_pass(&mut self) {
        let root = self.root;
        let n = self.a_decls.len();
        let ids = self.area_ids.clone();
        let slots = self.area_slots.clone();
        let mut order = vec![root];
        order.extend((0..n).filter(|k| *k != root));
        // children, in declaration order: walk each area's body
        for &k in &order {
            let mut children: Vec<Child> = vec![];
            let mut spans: Vec<Span> = vec![];
            // where a child declares its own `weight` (against the area's `weights …`)
            let mut explicit: Vec<Option<Span>> = vec![];
            let is_index = self.a_decls[k].is_index;
            let top_level = |j: usize, a: &ADecl| !a.is_index && a.parent.is_none() && j != k;
            let mut declared_children = is_index && self.a_decls.iter().enumerate().any(|(j, a)| top_level(j, a));
            if is_index {
                // top-level areas declared before the index, then what the index holds, then the
                // top-level areas after it: declaration order
                for (j, a) in self.a_decls.iter().enumerate().filter(|(j, a)| *j < k && top_level(*j, a)) {
                    let w = self.areas[&ids[j]].weight;
                    children.push(Child { kind: "area", id: ids[j].clone(), slot: slots[j], weight: w });
                    spans.push(a.decl.map(|d| d.id.span).unwrap_or_default());
                    explicit.push(a.decl.and_then(own_weight));
                }
            }
            if let Some(d) = self.a_decls[k].decl {
                declared_children |= d.body.iter().any(|i| matches!(&i.kind, ItemKind::Decl(x) if matches!(x.kind, DeclKind::Indicator { .. } | DeclKind::Area)));
                for item in &d.body {
                    if let ItemKind::Decl(inner) = &item.kind {
                        match self.names.get(&inner.id.name) {
                            Some((Def::Indicator(i), span)) if *span == inner.id.span => {
                                let ind = &self.indicators[*i];
                                if ind.score.is_some() {
                                    children.push(Child {
                                        kind: "indicator",
                                        id: ind.id.clone(),
                                        slot: ind.score_slot,
                                        weight: ind.weight,
                                    });
                                    spans.push(inner.id.span);
                                    explicit.push(own_weight(inner));
                                }
                            }
                            Some((Def::Area(j), span)) if *span == inner.id.span => {
                                let w = self.areas[&ids[*j]].weight;
                                children.push(Child { kind: "area", id: ids[*j].clone(), slot: slots[*j], weight: w });
                                spans.push(inner.id.span);
                                explicit.push(own_weight(inner));
                            }
                            _ => {}
                        }
                    }
                }
            }
            if is_index {
                for (j, a) in self.a_decls.iter().enumerate().filter(|(j, a)| *j > k && top_level(*j, a)) {
                    let w = self.areas[&ids[j]].weight;
                    children.push(Child { kind: "area", id: ids[j].clone(), slot: slots[j], weight: w });
                    spans.push(a.decl.map(|d| d.id.span).unwrap_or_default());
                    explicit.push(a.decl.and_then(own_weight));
                }
            }
            let area_span = self.areas[&ids[k]].span;
            let weights_decl = self.a_decls[k].decl.and_then(|d| {
                d.body.iter().find_map(|i| if let ItemKind::Weights(w) = &i.kind { Some(w) } else { None })
            });
            if let Some(w) = weights_decl {
                if let Some(from) = self.weights_from(&ids[k], w, &mut children, &explicit) {
                    self.areas[&ids[k]].weights_from = from;
                    // the children's own records carry the derived weight too (explain, diff)
                    for c in &children {
                        if c.kind == "area" {
                            if let Some(a) = self.areas.get_mut(&c.id) {
                                a.weight = c.weight;
                            }
                        } else if let Some(ind) = self.indicators.get_mut(&c.id) {
                            ind.weight = c.weight;
                        }
                    }
                }
            }
            if let Aggregation::Bod { min_share, max_share } = self.areas[&ids[k]].aggregate {
                let n = children.len() as f64;
                let infeasible =
                    min_share.is_some_and(|l| l * n > 1.0 + 1e-12) || max_share.is_some_and(|u| u * n < 1.0 - 1e-12);
                if infeasible && !children.is_empty() {
                    self.err(
                        Diag::error(
                            Code::Invalid,
                            format!(
                                "`{}`: {} children cannot each carry the shares `aggregate bod` asks for",
                                ids[k],
                                children.len()
                            ),
                        )
                        .at(area_span, "shares that cannot add up to 100 %")
                        .help(format!(
                            "with {} children, `min_share` must be at most {} and `max_share` at least that",
                            children.len(),
                            crate::number::shortest(1.0 / n)
                        )),
                    );
                }
                if let Some(w) = weights_decl {
                    self.err(
                        Diag::error(
                            Code::Invalid,
                            format!("`{}` aggregates by `bod`, which finds its own weights", ids[k]),
                        )
                        .at(w.method.span, "these weights would be ignored")
                        .help("remove `weights …`, or aggregate by `mean`"),
                    );
                }
            }
            for (c, s) in children.iter().zip(&spans) {
                if c.weight < 0.0 {
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!("`{}` has a negative weight ({})", c.id, crate::number::shortest(c.weight)),
                        )
                        .at(*s, "negative weight")
                        .help("weights are ≥ 0; a weight of 0 keeps the indicator in reports without counting it"),
                    );
                } else if c.weight > 0.0 && !(MIN_WEIGHT..=MAX_WEIGHT).contains(&c.weight) {
                    // 5e-324 (a subnormal) multiplied by a score loses every digit of the result
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!(
                                "`{}` has the weight {}, outside the range 1e-9 to 1e9 tamga computes exactly enough",
                                c.id,
                                crate::number::shortest(c.weight)
                            ),
                        )
                        .at(*s, "weight out of range")
                        .help("weights are relative: scale them all (e.g. 1, 2, 0.5), or give 0 to leave a child out"),
                    );
                }
            }
            let total: f64 = children.iter().map(|c| c.weight.max(0.0)).sum();
            let negative = children.iter().any(|c| c.weight < 0.0);
            if children.is_empty() {
                // an implicit index without areas is fine: a methodology of values and standards only;
                // an area whose indicators all failed to score was already reported
                if self.a_decls[k].decl.is_some() && !declared_children {
                    let (what, help) = if is_index {
                        (
                            "the index has no areas or scored indicators",
                            "declare areas (`area facilitation { … }`) at the top level or inside the index, or indicators with a scoring rule inside it",
                        )
                    } else {
                        (
                            "the area has no scored indicators or sub-areas",
                            "declare indicators with a scoring rule (or sub-areas) inside it",
                        )
                    };
                    let mut d = Diag::error(Code::MissingProperty, format!("`{}`: {what}", ids[k])).help(help);
                    if self.a_decls[k].decl.is_some() {
                        d = d.at(area_span, "empty");
                    }
                    self.err(d);
                }
            } else if total == 0.0 && !negative {
                self.err(
                    Diag::error(Code::Weight, format!("the weights in `{}` sum to zero", ids[k]))
                        .at(if area_span.is_empty() { spans[0] } else { area_span }, "no child carries weight")
                        .help("give at least one child a positive weight"),
                );
            }
            self.check_threshold(&ids[k], &children);
            let a = &self.areas[&ids[k]];
            let (method, policy, slot) = (a.aggregate, a.missing, a.slot);
            let deps: Vec<(Slot, Span)> = children.iter().zip(&spans).map(|(c, s)| (c.slot, *s)).collect();
            let origin = self.origin(slot, area_span);
            self.deps[slot.0 as usize] = deps;
            let step_children = children.iter().map(|c| (c.slot, c.weight)).collect();
            self.set_step(slot, Step::Aggregate { slot, children: step_children, method, policy, origin });
            self.areas[&ids[k]].children = children;
        }
    }

    /// `min: 4 of 6` must name the number of children declared; a bare `min: 2/3` whose weights
    /// make the number of children it needs depend on which are missing is a warning.
    pub(super) fn check_threshold(&mut self, id: &str, children: &[Child]) {
        let Some(written) = self.min_written.get(id).cloned() else { return };
        let n = children.len();
        match written {
            MinWritten::Children(of, span) if of as usize != n => {
                let min = match self.areas[id].missing {
                    MissingPolicy::Reweight { min: Threshold::Children(k) } => k,
                    _ => 0,
                };
                self.err(
                    Diag::error(
                        Code::Invalid,
                        format!("`{id}` has {n} {} to aggregate, not {of}", if n == 1 { "child" } else { "children" }),
                    )
                    .at(span, format!("{of} declared here"))
                    .help(format!(
                        "write `min: {} of {n}`, or say which share of the weight must be present: `min: 2/3 of weight`",
                        min.min(n as u32)
                    )),
                );
            }
            MinWritten::Bare(span, written) => {
                let min = self.areas[id].missing;
                let MissingPolicy::Reweight { min: t @ Threshold::Weight(_) } = min else { return };
                let weights: Vec<f64> = children.iter().map(|c| c.weight).collect();
                if let Some((fewest, most)) = t.children_needed(&weights) {
                    if fewest != most {
                        self.err(
                            Diag::warning(
                                Code::Threshold,
                                format!(
                                    "with these weights `min: {written}` needs between {fewest} and {most} of {n} children of `{id}` present, depending on which are missing"
                                ),
                            )
                            .at(span, "a share of the weight")
                            .help(format!(
                                "write `min: {most} of {n}` (or another count) to count children, or `min: {written} of weight` to keep the share of the weight"
                            )),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// A scored indicator that no area or index aggregates is a warning, unless declared
    /// `reported_only`; `reported_only` inside an area (which aggregates it) is an error.
    pub(super) fn unaggregated_pass(&mut self) {
        for (i, &(d, area)) in self.i_decls.iter().enumerate() {
            let ind = &self.indicators[i];
            let flag = d.body.iter().find(|it| matches!(it.kind, ItemKind::ReportedOnly)).map(|it| it.span);
            match (area, flag) {
                (Some(a), Some(span)) => {
                    let place = if self.a_decls[a].is_index { "the index" } else { "an area" };
                    let d = Diag::error(
                        Code::Misplaced,
                        format!("`{}` is in {place}, which aggregates it: it cannot be `reported_only`", ind.id),
                    )
                    .at(span, "here")
                    .help("remove `reported_only`, or move the indicator to the top level, outside every area");
                    self.diags.push(d);
                }
                (None, None) if ind.score.is_some() => {
                    let d = Diag::warning(
                        Code::Unaggregated,
                        format!("the indicator `{}` is scored but no area or index aggregates it", ind.id),
                    )
                    .at(d.id.span, "declared outside every area")
                    .help(format!(
                        "move `{}` into an area (or into the index) to count its score, or declare it `reported_only` if its score is published but not aggregated",
                        ind.id
                    ));
                    self.diags.push(d);
                }
                _ => {}
            }
        }
    }

    pub(super) fn aggregation(&mut self, name: &ast::Ident, args: &[ast::Arg]) -> Option<Aggregation> {
        let m = match name.name.as_str() {
            "mean" => Aggregation::Mean,
            "geometric" => Aggregation::Geometric,
            "min" => Aggregation::Min,
            "harmonic" => Aggregation::Harmonic,
            "copeland" => Aggregation::Copeland,
            "kemeny" => Aggregation::Kemeny,
            "bod" => {
                let mut shares = [None, None];
                for a in args {
                    let which = match a.name.as_ref().map(|n| n.name.as_str()) {
                        Some("min_share") => 0,
                        Some("max_share") => 1,
                        _ => {
                            self.err(
                                Diag::error(Code::Arguments, "`aggregate bod` takes `min_share` and `max_share`")
                                    .at(a.value.span, "here")
                                    .help("write `aggregate bod(min_share: 5%, max_share: 50%)`: the least and the greatest share of a state's own score each child may carry"),
                            );
                            return None;
                        }
                    };
                    let share = match const_value(&a.value) {
                        Some((x, true)) => x / 100.0,
                        Some((x, false)) => x,
                        None => f64::NAN,
                    };
                    if !(0.0..=1.0).contains(&share) {
                        self.err(
                            Diag::error(Code::Arguments, "a share of `aggregate bod` is from 0 to 1 (or 0% to 100%)")
                                .at(a.value.span, "here"),
                        );
                        return None;
                    }
                    shares[which] = Some(share);
                }
                if let [Some(lo), Some(hi)] = shares {
                    if lo > hi {
                        self.err(
                            Diag::error(Code::Arguments, "`min_share` is above `max_share`").at(name.span, "here"),
                        );
                        return None;
                    }
                }
                return Some(Aggregation::Bod { min_share: shares[0], max_share: shares[1] });
            }
            "power" => {
                let p = args
                    .iter()
                    .find(|a| a.name.as_ref().is_none_or(|x| x.name == "p"))
                    .and_then(|a| const_value(&a.value))
                    .map(|(x, _)| x);
                match p {
                    Some(p) if p != 0.0 && p.is_finite() => return Some(Aggregation::Power(p)),
                    _ => {
                        self.err(
                            Diag::error(Code::Arguments, "`aggregate power` needs a power p ≠ 0")
                                .at(name.span, "here")
                                .help("write `aggregate power(p: 2)`; p = 1 is the arithmetic mean, p = -1 the harmonic; for p → 0 use `geometric`"),
                        );
                        return None;
                    }
                }
            }
            other => {
                let synonym = match other {
                    "average" | "avg" | "arithmetic" | "arithmetic_mean" | "weighted_mean" => Some("mean"),
                    "geometric_mean" | "geomean" => Some("geometric"),
                    "minimum" | "weakest" => Some("min"),
                    _ => None,
                };
                let help = match synonym
                    .or_else(|| diagnostics::suggest(other, ["mean", "geometric", "min", "harmonic", "power", "copeland", "kemeny", "bod"]))
                {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "the methods are `mean` (weighted arithmetic), `geometric`, `harmonic`, `power(p: 2)`, `min`, `bod` (benefit of the doubt), and the non-compensatory `copeland` and `kemeny`"
                            .into()
                    }
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown aggregation `{other}`"))
                        .at(name.span, "here")
                        .help(help),
                );
                return None;
            }
        };
        if let Some(a) = args.first() {
            self.err(
                Diag::error(Code::Arguments, format!("`aggregate {}` takes no arguments", name.name))
                    .at(a.value.span, "remove this"),
            );
        }
        Some(m)
    }

    pub(super) fn missing_policy(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Arg],
    ) -> Option<(MissingPolicy, Option<MinWritten>)> {
        match name.name.as_str() {
            "reweight" => {
                let mut min = Threshold::NONE;
                let mut written = None;
                for a in args {
                    let key = a.name.as_ref().map(|n| n.name.as_str()).unwrap_or("min");
                    if key != "min" {
                        self.err(
                            Diag::error(Code::Arguments, format!("`reweight` has no argument `{key}`"))
                                .at(a.value.span, "here")
                                .help("write `missing reweight(min: 4 of 6)` to count children present, or `missing reweight(min: 2/3 of weight)` for a share of the weight"),
                        );
                        continue;
                    }
                    match (const_value(&a.value), a.of) {
                        (Some((x, false)), Some(ast::Of::Children(n, n_span))) => {
                            if x.fract() != 0.0 || x < 0.0 || x > f64::from(n) {
                                self.err(
                                    Diag::error(Code::Invalid, format!("`min: {} of {n}` is not a number of children", crate::number::shortest(x)))
                                        .at(a.value.span, "here")
                                        .help(format!("write a whole number from 0 to {n}: `min: 4 of {n}`")),
                                );
                            } else {
                                min = Threshold::Children(x as u32);
                                written = Some(MinWritten::Children(n, n_span));
                            }
                        }
                        (Some((x, true)), Some(ast::Of::Children(n, _))) => self.err(
                            Diag::error(Code::Invalid, "a count of children is not a percentage")
                                .at(a.value.span, "here")
                                .help(format!(
                                    "write a number of children present, `min: {} of {n}`, or a share of the weight, `min: {}% of weight`",
                                    (x / 100.0 * f64::from(n)).ceil(),
                                    crate::number::shortest(x)
                                )),
                        ),
                        (Some((x, pct)), of) => {
                            let share = if pct { x / 100.0 } else { x };
                            if !(0.0..=1.0).contains(&share) {
                                self.err(
                                    Diag::error(Code::Invalid, "the minimum coverage must lie between 0% and 100%")
                                        .at(a.value.span, "here")
                                        .help("write a share of the weight such as `2/3 of weight` or `67% of weight`, or a number of children such as `4 of 6`"),
                                );
                            } else {
                                min = Threshold::Weight(share);
                                written = Some(match of {
                                    Some(_) => MinWritten::Weight,
                                    None => MinWritten::Bare(a.value.span, self.src.slice(a.value.span).to_string()),
                                });
                            }
                        }
                        (None, _) => self.err(
                            Diag::error(Code::Arguments, "the minimum coverage must be a number")
                                .at(a.value.span, "here")
                                .help("write `min: 4 of 6` or `min: 2/3 of weight`"),
                        ),
                    }
                }
                Some((MissingPolicy::Reweight { min }, written))
            }
            "zero" | "not_assessable" => {
                let zero = name.name == "zero";
                let mut except = false;
                for a in args {
                    let key = a.name.as_ref().map(|n| n.name.as_str());
                    let value = match &a.value.kind {
                        ExprKindRef::Name(v) => Some(v.name.as_str()),
                        _ => None,
                    };
                    match (key, value) {
                        (Some("not_applicable"), Some("reweight")) => except = true,
                        (Some("not_applicable"), Some(v)) if v == name.name => {}
                        _ => self.err(
                            Diag::error(
                                Code::Arguments,
                                format!("`{}` takes one argument, `not_applicable: reweight`", name.name),
                            )
                            .at(a.value.span, "here")
                            .help(format!(
                                "write `missing {}(not_applicable: reweight)` to leave out the children declared \
                                 not applicable, or `missing {}` to treat them as any other missing child",
                                name.name, name.name
                            )),
                        ),
                    }
                }
                Some((
                    match (zero, except) {
                        (true, false) => MissingPolicy::Zero,
                        (true, true) => MissingPolicy::ZeroExceptNotApplicable,
                        (false, false) => MissingPolicy::NotAssessable,
                        (false, true) => MissingPolicy::NotAssessableExceptNotApplicable,
                    },
                    None,
                ))
            }
            other => {
                let help = match diagnostics::suggest(other, ["reweight", "zero", "not_assessable"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "the policies are `reweight(min: 67%)`, `zero`, `zero(not_applicable: reweight)`, \
                             `not_assessable` and `not_assessable(not_applicable: reweight)`"
                        .into(),
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown missing-data policy `{other}`"))
                        .at(name.span, "here")
                        .help(help),
                );
                None
            }
        }
    }

    /// A group's `missing …`: what `count` and `share` do with an unanswered item.
    pub(super) fn unanswered_policy(&mut self, name: &ast::Ident, args: &[ast::Arg]) -> Option<Unanswered> {
        let policy = match name.name.as_str() {
            "reweight" => Unanswered::Skip,
            "zero" => Unanswered::Zero,
            "not_assessable" => Unanswered::NotAssessable,
            other => {
                let help = match diagnostics::suggest(other, ["reweight", "zero", "not_assessable"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "write `missing zero` (an unanswered item counts as no), `missing not_assessable` \
                             (an unanswered item makes `count` and `share` missing) or `missing reweight` \
                             (`share` among the answered items only)"
                        .into(),
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown missing-data policy `{other}` for a group"))
                        .at(name.span, "here")
                        .help(help),
                );
                return None;
            }
        };
        if let Some(a) = args.first() {
            self.err(
                Diag::error(Code::Arguments, format!("a group's `missing {}` takes no arguments", name.name))
                    .at(a.value.span, "remove this")
                    .help("an item declared not applicable is always left out of `share`"),
            );
        }
        Some(policy)
    }
}

impl Checker<'_> {
    /// A warning where an area aggregated by `copeland` or `kemeny` (a count of wins or a place,
    /// not a score on the scale) enters its parent's mean with a weight: the parent would average
    /// it with scores.
    pub(super) fn noncompensatory_pass(&mut self) {
        let mut warnings = vec![];
        for a in self.areas.values().filter(|a| a.aggregate.across_units()) {
            let Some(parent) = a.parent.as_ref().and_then(|p| self.areas.get(p)) else { continue };
            if parent.aggregate.across_units() {
                continue; // ranks of ranks: no scale is mixed
            }
            let Some(child) = parent.children.iter().find(|c| c.kind == "area" && c.id == a.id) else { continue };
            if child.weight > 0.0 {
                let what = if a.aggregate == Aggregation::Copeland {
                    "a Copeland score (wins minus losses)"
                } else {
                    "a Kemeny–Young place (n + 1 − place)"
                };
                warnings.push(
                    Diag::warning(
                        Code::CheckScale,
                        format!("the value of `{}` is {what}, not a score on the scale, and `{}` averages it with scores", a.id, parent.id),
                    )
                    .at(a.span, "aggregated by rank")
                    .help(format!(
                        "give `{}` `weight 0` (its value and rank are still reported), or aggregate `{}` by `copeland` or `kemeny` too",
                        a.id, parent.id
                    )),
                );
            }
        }
        for w in warnings {
            self.err(w);
        }
    }
}

/// Where a declaration gives its own `weight`.
fn own_weight(d: &Decl) -> Option<Span> {
    d.body.iter().find(|i| matches!(i.kind, ItemKind::Weight(_))).map(|i| i.span)
}
