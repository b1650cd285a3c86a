//! The methodology header: id, version, scale, precisions, rounding, languages, units, defaults, labels and notes.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn check_header(&mut self) {
        let Some(h) = self.header else {
            let span = self.q_decls.first().map(|(d, _)| d.whole).or(self.i_decls.first().map(|(d, _)| d.whole));
            let mut d = Diag::error(Code::Header, "the methodology has no `methodology` header")
                .help("start the entry file with `methodology my_id { en \"Title\" ru \"Название\" version \"1.0\" }`");
            if let Some(s) = span {
                d = d.at(Span { end: s.start, ..s }, "expected before the first declaration");
            }
            self.err(d);
            return;
        };
        self.header_model.id = h.id.name.clone();
        self.header_model.title = self.labels(h);
        for item in &h.body {
            match &item.kind {
                ItemKind::Version(v) => self.header_model.version = v.clone(),
                ItemKind::Scale(r) => {
                    let (Some((lo, _)), Some((hi, _))) = (r.lo, r.hi) else {
                        self.err(Diag::error(Code::Invalid, "the score scale needs both ends").at(r.span, "here").help("write `scale 0..=100`"));
                        continue;
                    };
                    if hi <= lo {
                        self.err(Diag::error(Code::Invalid, "the top of the scale must be above its bottom").at(r.span, "here").help("write `scale 0..=100`"));
                    } else {
                        self.header_model.scale = (lo, hi);
                    }
                }
                ItemKind::Precision(p) => self.header_model.precision = self.precision(*p, item.span),
                ItemKind::ScorePrecision(p) => self.header_model.score_precision = self.precision(*p, item.span),
                ItemKind::Rounding(r) => match Rounding::parse(&r.name) {
                    Some(m) => self.header_model.rounding = m,
                    None => self.err(
                        Diag::error(Code::Invalid, format!("unknown rounding mode `{}`", r.name))
                            .at(r.span, "here")
                            .help("write `rounding half_away_from_zero` (2.5 → 3, the default) or `rounding half_even` (2.5 → 2)"),
                    ),
                },
                ItemKind::UnitName(l, s) => {
                    self.header_model.unit_name.insert(l.name.clone(), s.clone());
                }
                ItemKind::Languages(ls) => self.header_model.languages = ls.iter().map(|l| l.name.clone()).collect(),
                ItemKind::Units(us) => {
                    for (k, u) in us.iter().enumerate() {
                        if us[..k].iter().any(|v| v.name == u.name) {
                            self.err(
                                Diag::error(Code::Repeated, format!("the unit `{}` is listed twice in `units`", u.name))
                                    .at(u.span, "listed again here")
                                    .help("list every unit once, in the order the reports show them"),
                            );
                        } else {
                            self.header_model.units.push(u.name.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        if self.header_model.version.is_empty() {
            self.err(
                Diag::error(Code::MissingProperty, format!("the methodology `{}` has no version", h.id.name))
                    .at(h.span, "here")
                    .help("add `version \"1.0\"`: every result is stamped with it"),
            );
        }
        if self.header_model.languages.is_empty() {
            self.header_model.languages = self.header_model.title.keys().cloned().collect();
        }
    }

    /// `screen(min: 90%)` on the header or the index.
    pub(super) fn screen_pass(&mut self) {
        let decls: Vec<&Decl> =
            self.header.into_iter().chain(self.a_decls.iter().filter(|a| a.is_index).filter_map(|a| a.decl)).collect();
        for d in decls {
            for item in &d.body {
                let ItemKind::Screen(args) = &item.kind else { continue };
                if self.screen.is_some() {
                    self.err(
                        Diag::error(Code::Repeated, "screening is declared twice")
                            .at(item.span, "again here")
                            .help("declare `screen` once, on the index"),
                    );
                    continue;
                }
                let mut imputed = false;
                for a in args {
                    match a.name.as_ref().map(|n| n.name.as_str()) {
                        None | Some("min") => {}
                        Some("on") => match &a.value.kind {
                            ExprKindRef::Name(w) if w.name == "imputed" => imputed = true,
                            ExprKindRef::Name(w) if w.name == "values" => imputed = false,
                            _ => self.err(
                                Diag::error(Code::Arguments, "`on` is `values` or `imputed`")
                                    .at(a.value.span, "here")
                                    .help("`on: values` (the default) counts the values computed from the answers; `on: imputed` counts them after imputation, as COINr does"),
                            ),
                        },
                        Some(other) => self.err(
                            Diag::error(Code::Arguments, format!("`screen` has no argument `{other}`"))
                                .at(a.value.span, "here")
                                .help("write `screen(min: 90%)` or `screen(min: 90%, on: imputed)`"),
                        ),
                    }
                }
                let value = args
                    .iter()
                    .find(|a| a.name.as_ref().is_none_or(|n| n.name == "min"))
                    .and_then(|a| const_value(&a.value));
                match value {
                    Some((x, pct)) => {
                        let share = if pct { x / 100.0 } else { x };
                        if (0.0..=1.0).contains(&share) {
                            self.screen = Some(Screen { min: share, imputed });
                        } else {
                            self.err(Diag::error(Code::Invalid, "the screening threshold must lie between 0% and 100%").at(item.span, "here").help("write `screen(min: 90%)`"));
                        }
                    }
                    None => self.err(
                        Diag::error(Code::Arguments, "`screen` needs the minimum share of indicators a unit must have")
                            .at(item.span, "here")
                            .help("write `screen(min: 90%)`: units with fewer indicators present are left out of the period"),
                    ),
                }
            }
        }
    }

    /// `uncertainty { vary … }`: the factors of a sensitivity analysis.
    pub(super) fn uncertainty_pass(&mut self) {
        let Some(d) = self.u_decl else { return };
        let mut factors = vec![];
        for item in &d.body {
            let ItemKind::Vary { what, target, spec } = &item.kind else { continue };
            if let Some(f) = self.factor(what, target.as_ref(), spec, item.span) {
                factors.push(f);
            }
        }
        if factors.is_empty() {
            self.err(
                Diag::warning(Code::MissingProperty, "the `uncertainty` declaration varies nothing")
                    .at(d.span, "no `vary` line")
                    .help("add lines such as `vary weights by 25%` or `vary aggregate among mean, geometric`"),
            );
        }
        self.uncertainty = Some(Uncertainty { factors });
    }

    pub(super) fn factor(
        &mut self,
        what: &ast::Ident,
        target: Option<&ast::Ident>,
        spec: &ast::VarySpec,
        span: Span,
    ) -> Option<Factor> {
        use ast::VarySpec;
        const WHAT: &[&str] = &["weights", "weight", "aggregate", "score", "impute", "drop_one"];
        let usage = |w: &str| match w {
            "weights" => "vary weights by 25%",
            "weight" => "vary weight <indicator or area> in 0.5..=2",
            "aggregate" => "vary aggregate among mean, geometric",
            "score" => "vary score among declared, minmax, zscore",
            "impute" => "vary impute among declared, none, mean",
            _ => "vary drop_one",
        };
        let bad = |c: &mut Self, w: &str| {
            c.err(
                Diag::error(Code::Invalid, format!("this `vary {w}` line is not understood"))
                    .at(span, "here")
                    .help(format!("write `{}`", usage(w))),
            );
            None
        };
        let w = what.name.as_str();
        if !WHAT.contains(&w) {
            let help = match diagnostics::suggest(w, WHAT.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "what can vary: weights, weight <id>, aggregate, score, impute, drop_one".into(),
            };
            self.err(Diag::error(Code::Invalid, format!("`{w}` cannot be varied")).at(what.span, "here").help(help));
            return None;
        }
        if w != "weight" && target.is_some() {
            return bad(self, w);
        }
        match (w, spec) {
            ("weights", VarySpec::By(x, pct)) => {
                let by = if *pct { x / 100.0 } else { *x };
                if !(by > 0.0 && by < 1.0) {
                    self.err(
                        Diag::error(Code::Invalid, "the noise on weights must lie between 0% and 100%")
                            .at(span, "here")
                            .help("write `vary weights by 25%`"),
                    );
                    return None;
                }
                Some(Factor::Weights { by })
            }
            ("weight", VarySpec::In(r)) => {
                let Some(t) = target else { return bad(self, w) };
                if !(self.indicators.contains_key(&t.name) || self.areas.contains_key(&t.name))
                    || t.name == self.index_id
                {
                    self.unknown_name(t, "indicator or area");
                    return None;
                }
                let (Some((lo, _)), Some((hi, _))) = (r.lo, r.hi) else { return bad(self, w) };
                if lo < 0.0 || hi < lo {
                    self.err(
                        Diag::error(
                            Code::Weight,
                            "weights vary within a range of non-negative numbers, the smaller first",
                        )
                        .at(r.span, "here"),
                    );
                    return None;
                }
                Some(Factor::Weight { node: t.name.clone(), lo, hi })
            }
            ("aggregate", VarySpec::Among(alts)) => {
                let among: Vec<Aggregation> = alts.iter().filter_map(|(n, a)| self.aggregation(n, a)).collect();
                if let Some((n, _)) = alts.iter().find(|(n, _)| n.name == "bod") {
                    self.err(
                        Diag::error(Code::Invalid, "`bod` cannot be varied in a sensitivity analysis")
                            .at(n.span, "derives its weights from the data")
                            .help("vary among `mean`, `geometric`, `harmonic`, `power(p: …)` and `min`"),
                    );
                    return None;
                }
                (among.len() == alts.len() && among.len() >= 2)
                    .then_some(Factor::Aggregate { among })
                    .or_else(|| bad(self, w))
            }
            ("score", VarySpec::Among(alts)) => {
                let mut among = vec![];
                for (n, a) in alts {
                    let rule = match n.name.as_str() {
                        "declared" => None,
                        "minmax" => Some(ScoreRule::MinMax),
                        "rank" => Some(ScoreRule::Rank { ties: Ties::Min, descending: false }),
                        "percentile" => Some(ScoreRule::Percentile { over_n: false, ties: Ties::Average }),
                        "zscore" => {
                            let get = |k: &str, d: f64| {
                                a.iter()
                                    .find(|x| x.name.as_ref().is_some_and(|n| n.name == k))
                                    .and_then(|x| const_value(&x.value))
                                    .map(|(v, _)| v)
                                    .unwrap_or(d)
                            };
                            Some(ScoreRule::ZScore { center: get("center", 0.0), scale: get("scale", 1.0) })
                        }
                        other => {
                            self.err(
                                Diag::error(Code::Scoring, format!("`{other}` cannot be an alternative normalisation"))
                                    .at(n.span, "here")
                                    .help("the alternatives are declared (each indicator's own rule), minmax, zscore(center: …, scale: …), rank and percentile"),
                            );
                            return None;
                        }
                    };
                    among.push(rule);
                }
                (among.len() >= 2).then_some(Factor::Score { among }).or_else(|| bad(self, w))
            }
            ("impute", VarySpec::Among(alts)) => {
                let mut among = vec![];
                for (n, a) in alts {
                    let m = match n.name.as_str() {
                        "declared" => None,
                        "none" => Some(Imputation::None),
                        "mean" => Some(Imputation::Mean),
                        "median" => Some(Imputation::Median),
                        "previous" => Some(Imputation::Previous),
                        "group_mean" | "group_median" => {
                            let by = a.first().and_then(|x| match &x.value.kind {
                                ExprKindRef::Name(k) => Some(k.name.clone()),
                                ExprKindRef::Str(k) => Some(k.clone()),
                                _ => None,
                            });
                            let Some(by) = by else { return bad(self, w) };
                            Some(if n.name == "group_mean" {
                                Imputation::GroupMean { by }
                            } else {
                                Imputation::GroupMedian { by }
                            })
                        }
                        other => {
                            self.err(
                                Diag::error(Code::Invalid, format!("`{other}` cannot be an alternative imputation"))
                                    .at(n.span, "here")
                                    .help("the alternatives are declared, none, mean, median, previous, group_mean(by: key) and group_median(by: key)"),
                            );
                            return None;
                        }
                    };
                    among.push(m);
                }
                (among.len() >= 2).then_some(Factor::Impute { among }).or_else(|| bad(self, w))
            }
            ("drop_one", VarySpec::None) => Some(Factor::DropOne),
            _ => bad(self, w),
        }
    }

    pub(super) fn precision(&mut self, p: u32, span: Span) -> u32 {
        if p > MAX_PRECISION {
            self.err(
                Diag::error(Code::Invalid, format!("precision {p} is more than {MAX_PRECISION} decimals"))
                    .at(span, "here")
                    .help("binary64 numbers carry about 15 significant digits: use at most 12 decimals"),
            );
            MAX_PRECISION
        } else {
            p
        }
    }

    /// Labels of a declaration, with a warning for each declared language that is missing.
    pub(super) fn labels(&mut self, d: &Decl) -> Labels {
        let mut labels = Labels::new();
        for item in &d.body {
            if let ItemKind::Label(l, s) = &item.kind {
                labels.insert(l.name.clone(), s.clone());
            }
        }
        labels
    }

    pub(super) fn texts(d: &Decl, pick: fn(&ItemKind) -> Option<(&ast::Ident, &String)>) -> Labels {
        let mut out = Labels::new();
        for item in &d.body {
            if let Some((l, s)) = pick(&item.kind) {
                out.insert(l.name.clone(), s.clone());
            }
        }
        out
    }

    pub(super) fn warn_languages(&mut self, d: &Decl, labels: &Labels) {
        let missing: Vec<String> =
            self.header_model.languages.iter().filter(|l| !labels.contains_key(*l)).cloned().collect();
        if !missing.is_empty() && self.header.is_some() {
            let example = missing.iter().map(|l| format!("{l} \"…\"")).collect::<Vec<_>>().join(" ");
            self.err(
                Diag::warning(Code::Label, format!("`{}` has no label in {}", d.id.name, missing.join(", ")))
                    .at(d.id.span, "label missing")
                    .help(format!(
                        "the methodology is published in {}: add {example}",
                        self.header_model.languages.join(", ")
                    )),
            );
        }
    }

    /// `unit "USD million"` in a methodology published in several languages: the unit would be
    /// printed as written in every language's report ("9,0 USD million" in Russian text). A unit
    /// without letters (`%`), one tamga says in every language (`h`, `count`), or a methodology
    /// in one language is fine.
    pub(super) fn warn_unit_languages(&mut self, unit: &str, span: Span) {
        let langs = &self.header_model.languages;
        // the units of the type checker (`money`, `count`, `money/count`) are not printed as words
        let typed = unit.split(['/', '*']).all(|p| matches!(p.trim(), "money" | "count"));
        if langs.len() < 2 || self.header.is_none() || typed || !unit.chars().any(char::is_alphabetic) {
            return;
        }
        let missing: Vec<&String> = langs
            .iter()
            .filter(|l| {
                let Some(lang) = crate::i18n::Lang::from_code(l) else { return false };
                crate::i18n::unit_label(lang, unit, &Labels::new()) == unit && lang != crate::i18n::Lang::En
            })
            .collect();
        if missing.is_empty() {
            return;
        }
        let example: Vec<String> =
            langs.iter().map(|l| if l == "en" { format!("en \"{unit}\"") } else { format!("{l} \"…\"") }).collect();
        self.err(
            Diag::warning(
                Code::Label,
                format!(
                    "the unit `{unit}` has no label in {}: it would be printed as written in that language's outputs",
                    missing.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
            .at(span, "one text for every language")
            .help(format!(
                "the methodology is published in {}: write `unit {}`",
                langs.join(", "),
                example.join(" ")
            )),
        );
    }

    pub(super) fn source_of(d: &Decl) -> Option<String> {
        d.body.iter().find_map(|i| if let ItemKind::Source(s) = &i.kind { Some(s.clone()) } else { None })
    }
}
