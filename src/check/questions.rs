//! Questions: types, units, ranges, options, presence and groups.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn questions_pass(&mut self) {
        // origins 0..n are the questions' answers
        let q_decls = std::mem::take(&mut self.q_decls);
        let mut slots = vec![];
        for (d, _) in &q_decls {
            let s = self.slot(SlotKind::Question(d.id.name.clone()), d.id.span);
            slots.push(s);
        }
        for (i, (d, _)) in q_decls.iter().enumerate() {
            self.origin(slots[i], d.id.span);
        }
        for (i, (d, group)) in q_decls.iter().enumerate() {
            let q = self.question(d, *group, slots[i]);
            self.set_step(slots[i], Step::Input { slot: slots[i], question: i });
            self.questions.insert(q.id.clone(), q);
        }
        self.q_decls = q_decls;
        let g_decls = std::mem::take(&mut self.g_decls);
        for (gi, d) in g_decls.iter().enumerate() {
            let labels = self.labels(d);
            let questions: Vec<String> =
                self.q_decls.iter().filter(|(_, g)| *g == Some(gi)).map(|(q, _)| q.id.name.clone()).collect();
            if questions.is_empty() {
                self.err(
                    Diag::error(Code::MissingProperty, format!("the group `{}` has no questions", d.id.name))
                        .at(d.span, "empty group")
                        .help("declare its questions inside it: `group g { question a : yesno { … } }`"),
                );
            }
            let mut missing = None;
            for item in &d.body {
                if let ItemKind::Missing(name, args) = &item.kind {
                    missing = self.unanswered_policy(name, args);
                }
            }
            self.groups
                .insert(d.id.name.clone(), Group { id: d.id.name.clone(), labels, questions, missing, span: d.span });
        }
        self.g_decls = g_decls;
    }

    pub(super) fn question(&mut self, d: &Decl, group: Option<usize>, slot: Slot) -> Question {
        let DeclKind::Question { ty, range, presence } = &d.kind else { unreachable!("collected as a question") };
        let labels = self.labels(d);
        self.warn_languages(d, &labels);
        let help = Self::texts(d, |k| if let ItemKind::Help(l, s) = k { Some((l, s)) } else { None });
        let mut unit_text: Option<(String, Span)> = None;
        let mut unit_labels = Labels::new();
        let mut body_range = None;
        let mut required = presence.map(|(r, _)| r).unwrap_or(true);
        let mut option_labels: Vec<(&ast::Ident, Labels)> = vec![];
        for item in &d.body {
            match &item.kind {
                ItemKind::Unit(u) => {
                    self.warn_unit_languages(u, item.span);
                    unit_text = Some((u.clone(), item.span))
                }
                ItemKind::UnitLabels(ls) => {
                    let (u, l) = self.unit_labels(ls);
                    unit_text = Some((u, item.span));
                    unit_labels = l;
                }
                ItemKind::Range(r) => body_range = Some(r),
                ItemKind::Presence(r) => required = *r,
                ItemKind::Option(id, ls) => {
                    let mut labels = Labels::new();
                    for (l, s) in ls {
                        labels.insert(l.name.clone(), s.clone());
                    }
                    option_labels.push((id, labels));
                }
                _ => {}
            }
        }
        if let (Some(_), Some(r)) = (range.as_ref(), body_range) {
            self.err(
                Diag::error(Code::Repeated, format!("the range of `{}` is given twice", d.id.name))
                    .at(r.span, "second range")
                    .help("keep the range in the header (`in 0..=100`) or in the body, not both"),
            );
        }
        let range = range.as_ref().or(body_range);
        let qty = match ty {
            ast::QType::Choice(opts) => {
                let mut options: Vec<ChoiceOption> = vec![];
                for o in opts {
                    if options.iter().any(|x| x.id == o.name) {
                        self.err(
                            Diag::error(Code::Duplicate, format!("the option `{}` is listed twice", o.name))
                                .at(o.span, "again here"),
                        );
                    }
                    options.push(ChoiceOption { id: o.name.clone(), labels: Labels::new() });
                }
                for (id, labels) in option_labels {
                    match options.iter_mut().find(|x| x.id == id.name) {
                        Some(o) => o.labels = labels,
                        None => {
                            let names: Vec<&str> = opts.iter().map(|o| o.name.as_str()).collect();
                            let mut diag = Diag::error(
                                Code::UnknownName,
                                format!("`{}` is not an option of `{}`", id.name, d.id.name),
                            )
                            .at(id.span, "not in the choice list");
                            diag = match diagnostics::suggest(&id.name, names.iter().copied()) {
                                Some(s) => diag.help(format!("did you mean `{s}`?")),
                                None => diag.help(format!("the options are {}", names.join(", "))),
                            };
                            self.err(diag);
                        }
                    }
                }
                QuestionType::Choice(options)
            }
            ast::QType::Named(n) => match n.name.as_str() {
                "number" => QuestionType::Number,
                "count" => QuestionType::Count,
                "percent" => QuestionType::Percent,
                "hours" => QuestionType::Hours,
                "money" => QuestionType::Money,
                "yesno" => QuestionType::YesNo,
                other => {
                    let known = ["number", "count", "percent", "hours", "money", "yesno", "choice"];
                    let help = match diagnostics::suggest(other, known) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "the types are number, count, percent, hours, money, yesno and choice(a, b, …)".into(),
                    };
                    self.err(
                        Diag::error(Code::Type, format!("unknown question type `{other}`"))
                            .at(n.span, "not a type")
                            .help(help),
                    );
                    QuestionType::Number
                }
            },
        };
        if matches!(qty, QuestionType::YesNo | QuestionType::Choice(_)) {
            if let Some(r) = range {
                self.err(
                    Diag::error(Code::Invalid, format!("a {} question has no numeric range", qty.name()))
                        .at(r.span, "remove this range")
                        .help("ranges apply to number, count, percent, hours and money"),
                );
            }
            if let Some((_, span)) = &unit_text {
                self.err(
                    Diag::error(Code::Invalid, format!("a {} question has no unit", qty.name()))
                        .at(*span, "remove this unit"),
                );
            }
        }
        let mut nr = range.map(to_range).unwrap_or_default();
        if let Some(r) = range {
            self.check_range_nonempty(&nr, r.span);
        }
        // implied ranges
        let nonneg = Some(Bound { value: 0.0, inclusive: true });
        match qty {
            QuestionType::Percent if range.is_none() => {
                nr = NumRange { lo: nonneg, hi: Some(Bound { value: 100.0, inclusive: true }) };
            }
            QuestionType::Count | QuestionType::Hours | QuestionType::Money if nr.lo.is_none() => nr.lo = nonneg,
            _ => {}
        }
        let unit = match (&qty, &unit_text) {
            (_, Some((u, _))) => u.clone(),
            (QuestionType::Hours, None) => "h".into(),
            (QuestionType::Percent, None) => "%".into(),
            (QuestionType::Count, None) => "count".into(),
            (QuestionType::Money, None) => "money".into(),
            _ => String::new(),
        };
        Question {
            id: d.id.name.clone(),
            labels,
            help,
            ty: qty,
            unit,
            unit_labels,
            range: nr,
            required,
            group: group.map(|g| self.g_decls.get(g).map(|d| d.id.name.clone()).unwrap_or_default()),
            slot,
            span: d.id.span,
        }
    }

    pub(super) fn check_range_nonempty(&mut self, r: &NumRange, span: Span) {
        if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
            let empty = lo.value > hi.value || (lo.value == hi.value && !(lo.inclusive && hi.inclusive));
            if empty {
                self.err(
                    Diag::error(Code::Invalid, format!("the range `{}` is empty", r.display()))
                        .at(span, "no number lies in it")
                        .help("write the smaller bound first: `0..=100`"),
                );
            }
        }
    }

    /// `unit en "h" ru "ч"`: the unit the type checker reads (the English label, else the first)
    /// and the labels per language. A language given twice is an error: it is most often a
    /// declaration's own label written after the unit (`unit en "h"` then `en "Release time"`).
    pub(super) fn unit_labels(&mut self, ls: &[(ast::Ident, String)]) -> (String, Labels) {
        let mut labels = Labels::new();
        for (l, u) in ls {
            if labels.contains_key(&l.name) {
                self.err(
                    Diag::error(Code::Repeated, format!("the unit's label in `{}` is given twice", l.name))
                        .at(l.span, "again here")
                        .help("write the declaration's labels before `unit`, or put the unit on its own line after them: `unit en \"h\" ru \"ч\"`"),
                );
                continue;
            }
            labels.insert(l.name.clone(), u.clone());
        }
        let unit = labels.get("en").or_else(|| labels.values().next()).cloned().unwrap_or_default();
        (unit, labels)
    }

    /// The unit of a question's answers, for the type checker.
    pub(super) fn question_unit(q: &Question) -> Unit {
        match q.ty {
            QuestionType::Hours => Unit::base("h"),
            QuestionType::Count => Unit::base("count"),
            QuestionType::Percent => Unit::plain(),
            QuestionType::Money if q.unit == "money" => Unit::base("money"),
            _ => Unit::parse(&q.unit),
        }
    }

    pub(super) fn question_ty(&self, qi: usize) -> Ty {
        let q = &self.questions[qi];
        if self.bad_type.contains(&q.slot) {
            return Ty::Error;
        }
        match q.ty {
            QuestionType::YesNo => Ty::Bool,
            QuestionType::Choice(_) => Ty::Choice(ChoiceSet::Question(qi)),
            _ => Ty::Num(Self::question_unit(q)),
        }
    }
}
