//! Consistency rules between answers (`require`).

use super::*;

impl<'a> Checker<'a> {
    /// `require [id:] cond { labels, severity }`: a yes/no condition over answers only, judged
    /// per submission before anything is computed from them.
    pub(super) fn rules_pass(&mut self) {
        let decls = std::mem::take(&mut self.req_decls);
        for d in &decls {
            let DeclKind::Require { cond, .. } = &d.kind else {
                continue;
            };
            let slot = self.slot(SlotKind::Rule(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let mut severity = Severity::Error;
            for item in &d.body {
                if let ItemKind::Severity(w) = &item.kind {
                    match w.name.as_str() {
                        "error" => severity = Severity::Error,
                        "warning" => severity = Severity::Warning,
                        other => {
                            self.err(
                                Diag::error(Code::Invalid, format!("`{other}` is not a severity"))
                                    .at(w.span, "unknown severity")
                                    .help("write `severity error` (the answers become invalid) or `severity warning` (reported only)"),
                            );
                        }
                    }
                }
            }
            let mut cx = expr::Cx::new(slot, false);
            let (ir, ty) = self.lower(cond, &mut cx);
            self.expect_bool(&ty, cond.span, "the condition of a consistency rule");
            let mut questions: Vec<usize> = vec![];
            let mut reported: Vec<Slot> = vec![];
            for (dep, span) in &cx.deps {
                match &self.slots[dep.0 as usize] {
                    SlotKind::Question(q) => {
                        if let Some(i) = self.questions.get_index_of(q.as_str()) {
                            if !questions.contains(&i) {
                                questions.push(i);
                            }
                        }
                    }
                    other if !reported.contains(dep) => {
                        reported.push(*dep);
                        let what = match other {
                            SlotKind::Value(id) => format!("the indicator `{id}`"),
                            SlotKind::Hidden(t) => format!("`{t}`, a value over every state"),
                            _ => format!("`{}`", self.src.slice(*span)),
                        };
                        self.err(
                            Diag::error(Code::RuleOperand, format!("a consistency rule judges answers; {what} is not an answer"))
                                .at(*span, "not a question")
                                .help("write the rule over the questions themselves (an indicator's formula, written out), so that the answers it names can be marked invalid when it is violated"),
                        );
                    }
                    _ => {}
                }
            }
            let origin = self.origin(slot, cond.span);
            let unverified_origin = self.origin(slot, cond.span);
            self.rules.insert(
                d.id.name.clone(),
                Rule {
                    id: d.id.name.clone(),
                    labels,
                    text: crate::syntax::print::expr(cond),
                    severity,
                    ir,
                    questions,
                    slot,
                    origin,
                    unverified_origin,
                    span: d.span,
                },
            );
        }
        self.req_decls = decls;
    }

    pub(super) fn unused_pass(&mut self) {
        // with errors, "unused" is usually a side effect of them (a misspelt name)
        if diagnostics::has_errors(&self.diags) {
            return;
        }
        let mut unused = vec![];
        for q in self.questions.values() {
            if !self.used[q.slot.0 as usize] {
                unused.push((q.id.clone(), q.span));
            }
        }
        for (id, span) in unused {
            self.err(
                Diag::warning(Code::Unused, format!("the question `{id}` is not used by any formula"))
                    .at(span, "asked but never used")
                    .help("use it in an indicator, or remove it from the questionnaire"),
            );
        }
    }
}
