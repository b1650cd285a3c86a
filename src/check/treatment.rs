//! Data treatment: imputation, outlier treatment and screening.

use super::*;

impl<'a> Checker<'a> {
    /// The nearest declaration of `impute` (or `treat`) for an indicator: its own, its areas'
    /// from the innermost out, the index's, then the methodology header's.
    pub(super) fn inherited(&self, i: usize, word: &str) -> Option<&'a Item> {
        let find = |d: &'a Decl| d.body.iter().find(|it| it.kind.keyword() == word);
        let (d, mut area) = self.i_decls[i];
        if let Some(it) = find(d) {
            return Some(it);
        }
        let mut guard = 0;
        while let Some(a) = area {
            if let Some(it) = self.a_decls[a].decl.and_then(find) {
                return Some(it);
            }
            area = self.a_decls[a].parent;
            guard += 1;
            if guard > 1000 {
                break;
            }
        }
        if let Some(it) = self.a_decls.iter().find(|a| a.is_index).and_then(|a| a.decl).and_then(find) {
            return Some(it);
        }
        self.header.and_then(find)
    }

    /// Imputation and outlier treatment of an indicator, as declared on it or inherited; adds the
    /// steps between its value and its scoring rule.
    pub(super) fn data_treatment(&mut self, i: usize, ty: &Ty) {
        let id = self.indicators[i].id.clone();
        let value = self.indicators[i].value;
        let mut input = value;
        if let Some(item) = self.inherited(i, "impute") {
            let ItemKind::Impute(name, args) = &item.kind else { return };
            let slot = self.slot(SlotKind::Hidden(format!("imputed({id})")), item.span);
            let origin = self.origin(slot, item.span);
            let mut cx = expr::Cx::new(slot, false);
            cx.deps.push((value, item.span));
            if let Some(method) = self.imputation(name, args, ty, &id, &mut cx) {
                if !matches!(method, Imputation::None) {
                    self.deps[slot.0 as usize] = cx.deps;
                    self.set_step(slot, Step::Impute { slot, indicator: i, src: value, origin });
                    self.indicators[i].imputed = Some(slot);
                    input = slot;
                }
                self.indicators[i].impute = method;
            }
        }
        if let Some(item) = self.inherited(i, "treat") {
            let ItemKind::Treat(name, args) = &item.kind else { return };
            if let Some(t) = self.treatment(name, args, ty, &id) {
                if t != Treatment::None {
                    let slot = self.slot(SlotKind::Hidden(format!("treated({id})")), item.span);
                    let origin = self.origin(slot, item.span);
                    self.deps[slot.0 as usize] = vec![(input, item.span)];
                    self.set_step(slot, Step::Treat { slot, indicator: i, src: input, origin });
                    self.indicators[i].treated = Some(slot);
                    input = slot;
                }
                self.indicators[i].treat = t;
            }
        }
        self.indicators[i].score_input = input;
    }

    pub(super) fn imputation(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Arg],
        ty: &Ty,
        id: &str,
        cx: &mut expr::Cx,
    ) -> Option<Imputation> {
        const METHODS: &[&str] = &["none", "mean", "median", "group_mean", "group_median", "previous", "formula"];
        let n = name.name.as_str();
        if !METHODS.contains(&n) {
            let help = match diagnostics::suggest(n, METHODS.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "the methods are none, mean, median, group_mean(by: key), group_median(by: key), previous and formula(…)".into(),
            };
            self.err(
                Diag::error(Code::Invalid, format!("unknown imputation `{n}`"))
                    .at(name.span, "not a method")
                    .help(help),
            );
            return None;
        }
        if matches!(ty, Ty::Bool) && matches!(n, "mean" | "median" | "group_mean" | "group_median") {
            self.err(
                Diag::error(Code::Type, format!("`{id}` is yes/no: a {n} of yes and no is not an answer"))
                    .at(name.span, "cannot average yes/no")
                    .help("impute yes/no with `previous` or `formula(no)`, or leave it missing"),
            );
            return None;
        }
        let group_key = |c: &mut Self| -> Option<String> {
            let by = args.iter().find(|a| a.name.as_ref().is_some_and(|x| x.name == "by")).or(args.first());
            match by.map(|a| &a.value.kind) {
                Some(ExprKindRef::Name(k)) => Some(k.name.clone()),
                Some(ExprKindRef::Str(k)) => Some(k.clone()),
                _ => {
                    c.err(
                        Diag::error(Code::Arguments, format!("`{n}` needs the group key"))
                            .at(name.span, "by which grouping?")
                            .help(format!("write `impute {n}(by: region)`: each submission says its group in `groups`, e.g. {{ \"region\": \"Asia\" }}")),
                    );
                    None
                }
            }
        };
        let takes_args = matches!(n, "group_mean" | "group_median" | "formula");
        if !takes_args {
            if let Some(a) = args.first() {
                self.err(
                    Diag::error(Code::Arguments, format!("`impute {n}` takes no arguments"))
                        .at(a.value.span, "remove this"),
                );
            }
        }
        Some(match n {
            "none" => Imputation::None,
            "mean" => Imputation::Mean,
            "median" => Imputation::Median,
            "previous" => Imputation::Previous,
            "group_mean" => Imputation::GroupMean { by: group_key(self)? },
            "group_median" => Imputation::GroupMedian { by: group_key(self)? },
            _ => {
                let [arg] = args else {
                    self.err(
                        Diag::error(Code::Arguments, "`impute formula` takes one expression")
                            .at(name.span, "here")
                            .help("write `impute formula(union_min(x) / 2)`"),
                    );
                    return None;
                };
                let (ir, t) = self.lower(&arg.value, cx);
                let _ = self.same(ty, &t, name.span, arg.value.span, "the imputed value and the indicator are");
                Imputation::Formula { ir, text: crate::syntax::print::expr(&arg.value) }
            }
        })
    }

    pub(super) fn treatment(&mut self, name: &ast::Ident, args: &[ast::Arg], ty: &Ty, id: &str) -> Option<Treatment> {
        let n = name.name.as_str();
        let t = match n {
            "none" => Treatment::None,
            "winsorise" | "winsorize" => {
                let (mut points, mut skew, mut kurtosis) = (5u32, 2.0, 3.5);
                for a in args {
                    let key = a.name.as_ref().map(|x| x.name.as_str()).unwrap_or("");
                    let v = const_value(&a.value).map(|(x, _)| x);
                    match (key, v) {
                        ("points", Some(x)) if x >= 1.0 && x.fract() == 0.0 && x <= 1000.0 => points = x as u32,
                        ("skew", Some(x)) if x > 0.0 => skew = x,
                        ("kurtosis", Some(x)) => kurtosis = x,
                        _ => {
                            self.err(
                                Diag::error(
                                    Code::Arguments,
                                    "`winsorise` takes `points` (a whole number ≥ 1), `skew` (> 0) and `kurtosis`",
                                )
                                .at(a.value.span, "here")
                                .help("write `treat winsorise(points: 5, skew: 2, kurtosis: 3.5)` (COINr's defaults)"),
                            );
                            return None;
                        }
                    }
                }
                Treatment::Winsorise { points, skew, kurtosis }
            }
            "log" => Treatment::Log,
            other => {
                let help = match diagnostics::suggest(other, ["none", "winsorise", "log"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "the treatments are `winsorise(points: 5, skew: 2, kurtosis: 3.5)`, `log` and `none`".into()
                    }
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown treatment `{other}`"))
                        .at(name.span, "not a treatment")
                        .help(help),
                );
                return None;
            }
        };
        if matches!(ty, Ty::Bool) && t != Treatment::None {
            self.err(
                Diag::error(Code::Type, format!("`{id}` is yes/no: it has no outliers to treat"))
                    .at(name.span, "yes/no")
                    .help("declare `treat none` on it"),
            );
            return None;
        }
        Some(t)
    }
}
