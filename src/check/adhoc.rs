//! Checking an expression typed by the user (`tamga eval --expr "…"`) against a methodology.
//!
//! The expression is parsed on its own (so syntax errors point into it), then checked as the
//! formula of one more top-level indicator appended to the methodology's declarations: every name
//! of the methodology resolves, and types, units and cross-unit functions are checked and
//! compiled exactly as in a rule file. The result is a [`Model`] with one more value column to
//! evaluate; diagnostics point into the expression, shown as a file named [`EXPR_FILE`].

use super::{Checker, Methodology};
use crate::diagnostics::{self, Code, Diag, Diags};
use crate::model::{Model, Slot};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{Decl, DeclKind, Ident};

/// The name under which the expression appears in diagnostics.
pub const EXPR_FILE: &str = "--expr";

/// A methodology extended with an ad-hoc expression.
#[derive(Debug, Clone)]
pub struct Adhoc {
    /// The methodology's model with the expression as one more (hidden, top-level) indicator.
    pub model: Model,
    /// The rule files and the expression.
    pub sources: SourceMap,
    /// The column holding the expression's value.
    pub slot: Slot,
    /// The id of the hidden indicator (not a name the methodology uses).
    pub id: String,
    /// Whether the expression is yes/no.
    pub boolean: bool,
    /// The expression as written.
    pub text: String,
    /// Warnings about the expression (an ambiguous power, a denominator that may be zero).
    pub warnings: Diags,
}

/// Checks `text` as an expression over the names of `meth`. On error, returns the diagnostics and
/// the sources they point into.
pub fn check_expr(meth: &Methodology, text: &str) -> Result<Adhoc, (SourceMap, Diags)> {
    let mut sources = meth.sources.clone();
    // the rule files again, as syntax trees (they parsed before, so they parse now)
    let mut files = vec![];
    for (k, f) in meth.sources.files().iter().enumerate() {
        let id = crate::source::FileId(k as u32);
        if let Ok(file) = crate::syntax::parse_file(id, &f.text) {
            files.push(file);
        }
    }
    let expr_file = sources.add(EXPR_FILE, text);
    let expr = match crate::syntax::parse_expr(expr_file, text) {
        Ok(e) => e,
        Err(diags) => return Err((sources, diags)),
    };
    let mut id = "__expr".to_string();
    while meth.model.indicators.contains_key(&id)
        || meth.model.questions.contains_key(&id)
        || meth.model.areas.contains_key(&id)
        || meth.model.groups.contains_key(&id)
        || meth.model.recommendations.contains_key(&id)
    {
        id.push('_');
    }
    let whole = Span::new(expr_file, 0, text.len());
    let decl = Decl {
        kind: DeclKind::Indicator { formula: Some(expr) },
        id: Ident { name: id.clone(), span: whole },
        span: whole,
        whole,
        body: vec![],
    };
    let mut decls: Vec<&Decl> = files.iter().flat_map(|f| f.decls.iter()).collect();
    decls.push(&decl);
    let mut c = Checker::new(&sources);
    let model = c.run(&decls);
    // only what concerns the expression: the methodology itself was checked already
    let mut diags: Diags = c
        .diags
        .into_iter()
        .filter(|d| d.primary.as_ref().is_some_and(|l| l.span.file == expr_file) && d.code != Code::Label)
        .map(|mut d| {
            d.message = d
                .message
                .replace(&format!("the indicator `{id}`"), "the expression")
                .replace(&format!("`{id}`"), "the expression");
            d
        })
        .collect();
    diagnostics::sort(&mut diags);
    match model {
        Some(model) if !diagnostics::has_errors(&diags) => {
            let ind = &model.indicators[id.as_str()];
            let (slot, boolean) = (ind.value, ind.boolean);
            Ok(Adhoc { model, sources, slot, id, boolean, text: text.to_string(), warnings: diags })
        }
        _ => {
            if !diagnostics::has_errors(&diags) {
                diags.push(
                    Diag::error(Code::Invalid, "the expression cannot be checked against this methodology")
                        .at(whole, "here"),
                );
            }
            Err((sources, diags))
        }
    }
}
