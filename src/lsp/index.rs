//! What the editor asks about, read from the syntax trees of a methodology's files: every
//! declaration (its id, kind, place and labels) and every use of a name (in formulas, conditions,
//! scoring rules, `met(…)`, `include`), with the declaration it appears in.
//!
//! Built from the trees, not from the checked model, so that go to definition, references,
//! outlines and rename keep working while a file has errors the checker rejects.

use crate::source::Span;
use crate::syntax::ast::{self, Decl, DeclKind, Expr, ExprKind, Item, ItemKind, QType};

/// A declaration.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// The id (a standard's code).
    pub name: String,
    /// The declaration's keyword: `question`, `indicator`, `area`, ….
    pub kind: &'static str,
    /// The id's place.
    pub span: Span,
    /// The id of the declaration it is nested in (an area, a group, a chapter).
    pub container: Option<String>,
    /// Labels by language, as written.
    pub labels: Vec<(String, String)>,
    /// The options of a choice question.
    pub options: Vec<(String, Span)>,
}

/// What a use of a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A question, indicator, group, area or recommendation in a formula or condition.
    Name,
    /// A standard's code in `met(…)`, `level(…)`, `attainment(…)`.
    Standard,
    /// A function called in a formula.
    Function,
    /// The path of an `include`.
    Include,
}

/// A use of a name.
#[derive(Debug, Clone)]
pub struct Ref {
    /// The name as written (for an include: the path).
    pub name: String,
    /// Where.
    pub span: Span,
    /// What it refers to.
    pub kind: RefKind,
    /// The id of the declaration it is written in.
    pub owner: Option<String>,
}

/// The declarations and uses of names of one file.
#[derive(Debug, Clone, Default)]
pub struct FileIndex {
    /// Declarations, in the order written (outer before inner).
    pub symbols: Vec<Symbol>,
    /// Uses of names, in the order written.
    pub refs: Vec<Ref>,
}

impl FileIndex {
    /// The index of a parsed file.
    pub fn new(file: &ast::File) -> Self {
        let mut ix = FileIndex::default();
        for d in &file.decls {
            ix.decl(d, None);
        }
        ix
    }

    fn decl(&mut self, d: &Decl, container: Option<&str>) {
        if let DeclKind::Include = d.kind {
            self.refs.push(Ref { name: d.id.name.clone(), span: d.id.span, kind: RefKind::Include, owner: None });
            return;
        }
        let named = match &d.kind {
            DeclKind::Require { named, .. } => *named,
            DeclKind::Uncertainty => false,
            _ => true,
        };
        let owner = Some(d.id.name.as_str());
        if named {
            let mut options = vec![];
            if let DeclKind::Question { ty: QType::Choice(opts), .. } = &d.kind {
                options = opts.iter().map(|o| (o.name.clone(), o.span)).collect();
            }
            for it in &d.body {
                if let ItemKind::Option(id, _) = &it.kind {
                    if !options.iter().any(|(n, _)| *n == id.name) {
                        options.push((id.name.clone(), id.span));
                    }
                }
            }
            let labels = d
                .body
                .iter()
                .filter_map(|it| match &it.kind {
                    ItemKind::Label(lang, text) => Some((lang.name.clone(), text.clone())),
                    _ => None,
                })
                .collect();
            self.symbols.push(Symbol {
                name: d.id.name.clone(),
                kind: d.kind.keyword(),
                span: d.id.span,
                container: container.map(str::to_string),
                labels,
                options,
            });
        }
        match &d.kind {
            DeclKind::Indicator { formula: Some(e) } => self.expr(e, owner),
            DeclKind::Const { value } => self.expr(value, owner),
            DeclKind::Question { range: Some(r), .. } => self.range(r, owner),
            DeclKind::Recommend { when } => self.expr(when, owner),
            DeclKind::Require { cond, .. } => self.expr(cond, owner),
            _ => {}
        }
        for it in &d.body {
            self.item(it, owner);
        }
    }

    fn item(&mut self, it: &Item, owner: Option<&str>) {
        let args = |ix: &mut Self, args: &[ast::Arg]| {
            for a in args {
                ix.expr(&a.value, owner);
            }
        };
        // the name of a scoring rule or policy: hover shows its signature
        let rule_name = match &it.kind {
            ItemKind::Score(rule) => Some(&rule.name),
            ItemKind::Aggregate(n, _) | ItemKind::Missing(n, _) | ItemKind::Impute(n, _) | ItemKind::Treat(n, _) => {
                Some(n)
            }
            _ => None,
        };
        if let Some(n) = rule_name {
            self.refs.push(Ref {
                name: n.name.clone(),
                span: n.span,
                kind: RefKind::Function,
                owner: owner.map(str::to_string),
            });
        }
        match &it.kind {
            ItemKind::Score(rule) => {
                args(self, &rule.args);
                if let Some(b) = &rule.bands {
                    self.bands(b, owner);
                }
            }
            ItemKind::Aggregate(_, a)
            | ItemKind::Missing(_, a)
            | ItemKind::Impute(_, a)
            | ItemKind::Treat(_, a)
            | ItemKind::Screen(a) => args(self, a),
            ItemKind::Requires(e) | ItemKind::Level(_, e) => self.expr(e, owner),
            ItemKind::Vary { target, spec, .. } => {
                if let Some(t) = target {
                    self.refs.push(Ref {
                        name: t.name.clone(),
                        span: t.span,
                        kind: RefKind::Name,
                        owner: owner.map(str::to_string),
                    });
                }
                match spec {
                    ast::VarySpec::ByOf(e) => self.expr(e, owner),
                    ast::VarySpec::In(r) => self.range(r, owner),
                    _ => {}
                }
            }
            // constants (and tables' cells) written where a number is
            ItemKind::WeightOf(e) | ItemKind::BaselineOf(e) => self.expr(e, owner),
            ItemKind::Range(r) | ItemKind::Scale(r) => self.range(r, owner),
            ItemKind::Weights(w) => {
                args(self, &w.args);
                for e in &w.entries {
                    self.expr(&e.value, owner);
                }
            }
            ItemKind::Decl(d) => self.decl(d, owner),
            _ => {}
        }
    }

    /// The bounds of a range written by name.
    fn range(&mut self, r: &ast::Range, owner: Option<&str>) {
        if let Some(names) = &r.names {
            for e in names.lo.iter().chain(&names.hi) {
                self.expr(e, owner);
            }
        }
    }

    fn bands(&mut self, b: &ast::BandBlock, owner: Option<&str>) {
        for (r, e) in &b.arms {
            self.range(r, owner);
            self.expr(e, owner);
        }
        if let Some(e) = &b.otherwise {
            self.expr(e, owner);
        }
    }

    fn expr(&mut self, e: &Expr, owner: Option<&str>) {
        let own = || owner.map(str::to_string);
        match &e.kind {
            ExprKind::Number(_) | ExprKind::Percent(_) | ExprKind::Str(_) | ExprKind::Bool(_) => {}
            ExprKind::Name(id) => {
                self.refs.push(Ref { name: id.name.clone(), span: id.span, kind: RefKind::Name, owner: own() })
            }
            ExprKind::Neg(a) | ExprKind::Not(a) => self.expr(a, owner),
            ExprKind::Binary(_, a, b) => {
                self.expr(a, owner);
                self.expr(b, owner);
            }
            ExprKind::Chained(es, _) => {
                for x in es {
                    self.expr(x, owner);
                }
            }
            ExprKind::If(c, a, b) => {
                self.expr(c, owner);
                self.expr(a, owner);
                self.expr(b, owner);
            }
            ExprKind::Call(name, args) => {
                self.refs.push(Ref { name: name.name.clone(), span: name.span, kind: RefKind::Function, owner: own() });
                for a in args {
                    self.expr(&a.value, owner);
                }
            }
            ExprKind::Standard(_, code) => {
                self.refs.push(Ref { name: code.name.clone(), span: code.span, kind: RefKind::Standard, owner: own() })
            }
            ExprKind::Bands(x, b) => {
                self.expr(x, owner);
                self.bands(b, owner);
            }
            ExprKind::Match(x, arms, otherwise) => {
                self.expr(x, owner);
                for (_, e) in arms {
                    self.expr(e, owner);
                }
                if let Some(e) = otherwise {
                    self.expr(e, owner);
                }
            }
        }
    }
}
