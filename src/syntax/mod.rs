//! Stage 1, syntax: rule-file text → [`ast::File`].
//!
//! The only module that names pest. One builder function per grammar rule, named after it;
//! `Pair` never leaves this module. Syntax errors become [`Diag`]s in human words through the
//! adapter in the `error` module.

pub mod ast;
mod error;
pub mod names;
pub mod print;

use crate::diagnostics::{Code, Diag};
use crate::source::{FileId, Span};
use ast::*;
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tamga.pest"]
struct Grammar;

pub use self::Rule as GrammarRule;

/// The deepest nesting of parentheses and braces the parser accepts before it reports an error
/// rather than risking the stack (checked on the text, before pest sees it).
pub const MAX_DEPTH: usize = 200;

/// The deepest tree a formula may make: each operator, function call, `if`, `not` and minus is a
/// level, so a chain `a + b + c + …` of n terms is n − 1 levels. Deeper formulas are a syntax
/// error; every walk over a formula (checking, compiling, evaluating, printing) recurses at most
/// this deep. It is below [`MAX_DEPTH`], so that what `fmt` prints (at most one pair of
/// parentheses per level) parses again.
pub const MAX_EXPR_DEPTH: usize = 128;

/// The most rule calls pest may make for one file or expression (`pest::set_call_limit`): a
/// backstop against inputs that make the parser backtrack without end. Measured: ordinary rule
/// files need about 7 calls a byte, the densest text the grammar accepts (a flat
/// `sum(q,q,q,…)`) 110, so the largest file read ([`crate::load::MAX_FILE_BYTES`], 16 MiB) needs
/// at most 1.9 billion; at about 13 ns a call the limit stops a runaway parse within a minute.
pub const MAX_PARSE_CALLS: usize = 3_000_000_000;

/// Runs pest with the call limit.
fn pest_parse(rule: Rule, text: &str) -> Result<pest::iterators::Pairs<'_, Rule>, pest::error::Error<Rule>> {
    pest::set_call_limit(std::num::NonZeroUsize::new(MAX_PARSE_CALLS));
    Grammar::parse(rule, text)
}

/// The stack pest and the builders run on. pest stops with "stack limit reached" when less than
/// 64 KiB is left, which in a debug build a thread's 2 MiB reach at about 150 nested parentheses:
/// parsing gets a stack of its own, so [`MAX_DEPTH`] and [`MAX_EXPR_DEPTH`] hold in any thread.
const PARSE_STACK: usize = 32 * 1024 * 1024;

/// Parses one rule file. Returns the AST, or the syntax errors (pest stops at the first one;
/// the builders may add more, such as numbers out of range).
pub fn parse_file(file: FileId, text: &str) -> Result<File, Vec<Diag>> {
    stacker::grow(PARSE_STACK, || parse_file_here(file, text))
}

fn parse_file_here(file: FileId, text: &str) -> Result<File, Vec<Diag>> {
    if let Some(d) = error::check_depth(file, text, MAX_DEPTH) {
        return Err(vec![d]);
    }
    let mut pairs = pest_parse(Rule::file, text).map_err(|e| vec![error::from_pest(file, text, e)])?;
    let mut b = Builder::new(file, text);
    let root = pairs.next().map(|p| b.file(p)).unwrap_or(File { decls: vec![] });
    if b.errors.is_empty() {
        Ok(root)
    } else {
        Err(b.errors)
    }
}

/// Parses a single expression (for `--expr` and tests).
pub fn parse_expr(file: FileId, text: &str) -> Result<Expr, Vec<Diag>> {
    stacker::grow(PARSE_STACK, || parse_expr_here(file, text))
}

fn parse_expr_here(file: FileId, text: &str) -> Result<Expr, Vec<Diag>> {
    if let Some(d) = error::check_depth(file, text, MAX_DEPTH) {
        return Err(vec![d]);
    }
    let mut pairs = pest_parse(Rule::expr, text).map_err(|e| vec![error::from_pest(file, text, e)])?;
    let Some(p) = pairs.next() else {
        return Err(vec![Diag::error(Code::Syntax, "empty expression").at(Span::new(file, 0, 0), "here")]);
    };
    if p.as_span().end() != text.trim_end().len() {
        let end = p.as_span().end();
        return Err(vec![Diag::error(Code::Syntax, "unexpected text after the expression")
            .at(Span::new(file, end, text.len()), "not part of the expression")
            .help("join the parts with an operator, or remove the extra text")]);
    }
    let mut b = Builder::new(file, text);
    let e = b.expr(p);
    if b.errors.is_empty() {
        Ok(e)
    } else {
        Err(b.errors)
    }
}

struct Builder {
    file: FileId,
    errors: Vec<Diag>,
    /// The depth of the expression node being built (0 for a whole formula).
    level: usize,
    too_deep_reported: bool,
    /// The comments of the text, as byte ranges from `#` to the end of the line, in order.
    comments: Vec<(usize, usize)>,
}

impl Builder {
    fn new(file: FileId, text: &str) -> Builder {
        Builder { file, errors: vec![], level: 0, too_deep_reported: false, comments: comments(text) }
    }
}

/// The comments of a text, as byte ranges from `#` to the end of its line (texts in quotes
/// skipped; a text ends at the end of its line, as in the grammar).
fn comments(text: &str) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let (mut in_str, mut escaped, mut comment) = (false, false, None);
    for (i, c) in text.char_indices() {
        if let Some(start) = comment {
            if c == '\n' {
                out.push((start, i));
                comment = None;
            }
            continue;
        }
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => comment = Some(i),
            '"' => in_str = true,
            _ => {}
        }
    }
    if let Some(start) = comment {
        out.push((start, text.len()));
    }
    out
}

fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Builder {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), trim_end(p.get_input(), &self.comments, s.start(), s.end()))
    }

    fn ident(&self, p: Pair<Rule>) -> Ident {
        Ident { name: p.as_str().to_string(), span: self.span(&p) }
    }

    fn string(&self, p: Pair<Rule>) -> String {
        // string = ${ "\"" ~ str_inner ~ "\"" }
        p.into_inner().next().map(|i| unquote(i.as_str())).unwrap_or_default()
    }

    fn number(&mut self, p: Pair<Rule>) -> f64 {
        let span = self.span(&p);
        match p.as_str().parse::<f64>() {
            Ok(x) if x.is_finite() => x,
            _ => {
                self.errors.push(
                    Diag::error(Code::BadNumber, format!("the number `{}` is too large", p.as_str()))
                        .at(span, "not a finite number")
                        .help("numbers must lie within ±1.7e308"),
                );
                0.0
            }
        }
    }

    /// `signed = ${ "-"? ~ (percent | number) }` → (value, is_percent)
    fn signed(&mut self, p: Pair<Rule>) -> (f64, bool) {
        let neg = p.as_str().starts_with('-');
        let inner = p.into_inner().next();
        let (x, pct) = match inner {
            Some(i) if i.as_rule() == Rule::percent => {
                let n = i.into_inner().next().map(|n| self.number(n)).unwrap_or(0.0);
                (n, true)
            }
            Some(i) => (self.number(i), false),
            None => (0.0, false),
        };
        (if neg { -x } else { x }, pct)
    }

    fn file(&mut self, p: Pair<Rule>) -> File {
        let decls = p.into_inner().filter(|p| p.as_rule() != Rule::EOI).map(|p| self.decl(p)).collect();
        File { decls }
    }

    fn decl(&mut self, p: Pair<Rule>) -> Decl {
        let whole = self.span(&p);
        let mut d = self.decl_inner(p);
        d.whole = whole;
        d
    }

    fn decl_inner(&mut self, p: Pair<Rule>) -> Decl {
        match p.as_rule() {
            Rule::methodology => self.simple_decl(p, DeclKind::Methodology),
            Rule::include => self.include(p),
            Rule::param => {
                let span = self.span(&p);
                let mut inner = p.into_inner();
                let id = inner.next().map(|i| self.ident(i));
                let value = inner.next().map(|e| self.expr(e));
                let id = id.unwrap_or(Ident { name: String::new(), span });
                let value = value.unwrap_or(Expr { kind: ExprKind::Number(0.0), span });
                Decl { whole: Span::default(), kind: DeclKind::Const { value }, span: id.span, id, body: vec![] }
            }
            Rule::table => {
                let span = self.span(&p);
                let mut inner = p.into_inner();
                let id = inner.next().map(|i| self.ident(i));
                let file = inner.next().map(|s| (self.span(&s), self.string(s)));
                let id = id.unwrap_or(Ident { name: String::new(), span });
                let (file_span, file) = file.unwrap_or((span, String::new()));
                Decl {
                    whole: Span::default(),
                    kind: DeclKind::Table { file, file_span },
                    span: id.span,
                    id,
                    body: vec![],
                }
            }
            Rule::question => self.question(p),
            Rule::group => self.simple_decl(p, DeclKind::Group),
            Rule::indicator => self.indicator(p),
            Rule::area => self.simple_decl(p, DeclKind::Area),
            Rule::index => self.simple_decl(p, DeclKind::Index),
            Rule::scenario => self.simple_decl(p, DeclKind::Scenario),
            Rule::chapter => self.simple_decl(p, DeclKind::Chapter),
            Rule::standard => self.simple_decl(p, DeclKind::Standard),
            Rule::recommend => self.recommend(p),
            Rule::require => self.require(p),
            Rule::uncertainty => {
                let span = self.span(&p);
                let body = p.into_inner().next().map(|b| self.body(b)).unwrap_or_default();
                let id = Ident {
                    name: "uncertainty".into(),
                    span: Span { end: span.start + "uncertainty".len() as u32, ..span },
                };
                Decl { whole: Span::default(), kind: DeclKind::Uncertainty, span: id.span, id, body }
            }
            other => unreachable_rule(other),
        }
    }

    /// methodology, group, area, index, chapter, standard: `KEYWORD id body`
    fn simple_decl(&mut self, p: Pair<Rule>, kind: DeclKind) -> Decl {
        let mut inner = p.into_inner();
        let id =
            inner.next().map(|i| self.ident(i)).unwrap_or_else(|| Ident { name: String::new(), span: Span::default() });
        let body = inner.next().map(|b| self.body(b)).unwrap_or_default();
        Decl { whole: Span::default(), kind, span: id.span, id, body }
    }

    fn include(&mut self, p: Pair<Rule>) -> Decl {
        let span = self.span(&p);
        let path = p.into_inner().next().map(|s| (self.span(&s), self.string(s)));
        let (pspan, path) = path.unwrap_or((span, String::new()));
        Decl {
            whole: Span::default(),
            kind: DeclKind::Include,
            id: Ident { name: path, span: pspan },
            span,
            body: vec![],
        }
    }

    fn question(&mut self, p: Pair<Rule>) -> Decl {
        let mut id = None;
        let mut ty = None;
        let mut range = None;
        let mut presence = None;
        let mut body = vec![];
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::ident => id = Some(self.ident(i)),
                Rule::qtype => ty = Some(self.qtype(i)),
                Rule::range => range = Some(self.range(i)),
                Rule::presence => presence = Some((i.as_str() == "required", self.span(&i))),
                Rule::body => body = self.body(i),
                other => unreachable_rule(other),
            }
        }
        let id = id.unwrap_or_else(|| Ident { name: String::new(), span: Span::default() });
        let ty = ty.unwrap_or_else(|| QType::Named(id.clone()));
        Decl { whole: Span::default(), kind: DeclKind::Question { ty, range, presence }, span: id.span, id, body }
    }

    fn qtype(&mut self, p: Pair<Rule>) -> QType {
        let Some(i) = p.into_inner().next() else {
            return QType::Choice(vec![]);
        };
        match i.as_rule() {
            Rule::choice_type => QType::Choice(i.into_inner().map(|o| self.ident(o)).collect()),
            _ => QType::Named(self.ident(i)),
        }
    }

    fn indicator(&mut self, p: Pair<Rule>) -> Decl {
        let mut id = None;
        let mut formula = None;
        let mut body = vec![];
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::ident => id = Some(self.ident(i)),
                Rule::expr => formula = Some(self.expr(i)),
                Rule::body => body = self.body(i),
                other => unreachable_rule(other),
            }
        }
        let id = id.unwrap_or_else(|| Ident { name: String::new(), span: Span::default() });
        Decl { whole: Span::default(), kind: DeclKind::Indicator { formula }, span: id.span, id, body }
    }

    fn recommend(&mut self, p: Pair<Rule>) -> Decl {
        let mut inner = p.into_inner();
        let id =
            inner.next().map(|i| self.ident(i)).unwrap_or_else(|| Ident { name: String::new(), span: Span::default() });
        let when = inner.next().map(|e| self.expr(e)).unwrap_or(Expr { kind: ExprKind::Bool(false), span: id.span });
        let body = inner.next().map(|b| self.body(b)).unwrap_or_default();
        Decl { whole: Span::default(), kind: DeclKind::Recommend { when }, span: id.span, id, body }
    }

    fn require(&mut self, p: Pair<Rule>) -> Decl {
        let mut id = None;
        let mut cond = None;
        let mut body = vec![];
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::ident => id = Some(self.ident(i)),
                Rule::expr => cond = Some(self.expr(i)),
                Rule::body => body = self.body(i),
                other => unreachable_rule(other),
            }
        }
        let cond = cond.unwrap_or(Expr { kind: ExprKind::Bool(true), span: Span::default() });
        let named = id.is_some();
        // an unnamed rule is known by its condition, as printed
        let id = id.unwrap_or_else(|| Ident { name: crate::syntax::print::expr(&cond), span: cond.span });
        Decl { whole: Span::default(), kind: DeclKind::Require { cond, named }, span: id.span, id, body }
    }

    fn body(&mut self, p: Pair<Rule>) -> Vec<Item> {
        p.into_inner().map(|i| self.item(i)).collect()
    }

    fn lang_string(&mut self, p: Pair<Rule>) -> (Ident, String) {
        let mut inner = p.into_inner();
        let lang =
            inner.next().map(|l| self.ident(l)).unwrap_or_else(|| Ident { name: String::new(), span: Span::default() });
        let text = inner.next().map(|s| self.string(s)).unwrap_or_default();
        (lang, text)
    }

    fn first_string(&mut self, p: Pair<Rule>) -> String {
        p.into_inner().next().map(|s| self.string(s)).unwrap_or_default()
    }

    fn first_ident(&mut self, p: Pair<Rule>) -> Ident {
        let span = self.span(&p);
        p.into_inner().next().map(|s| self.ident(s)).unwrap_or(Ident { name: String::new(), span })
    }

    fn name_args(&mut self, p: Pair<Rule>) -> (Ident, Vec<Arg>) {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let name = inner.next().map(|s| self.ident(s)).unwrap_or(Ident { name: String::new(), span });
        let args =
            inner.filter(|a| matches!(a.as_rule(), Rule::arg | Rule::missing_arg)).map(|a| self.arg(a)).collect();
        (name, args)
    }

    fn item(&mut self, p: Pair<Rule>) -> Item {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::label => {
                let (l, s) = self.lang_string(p);
                ItemKind::Label(l, s)
            }
            Rule::help => {
                let (l, s) = self.lang_string(p);
                ItemKind::Help(l, s)
            }
            Rule::note => {
                let (l, s) = self.lang_string(p);
                ItemKind::Note(l, s)
            }
            Rule::prop_unit_name => {
                let (l, s) = self.lang_string(p);
                ItemKind::UnitName(l, s)
            }
            Rule::source => ItemKind::Source(self.first_string(p)),
            Rule::prop_version => ItemKind::Version(self.first_string(p)),
            Rule::prop_unit => {
                let labels: Vec<Pair<Rule>> =
                    p.clone().into_inner().filter(|i| i.as_rule() == Rule::unit_label).collect();
                if labels.is_empty() {
                    ItemKind::Unit(self.first_string(p))
                } else {
                    ItemKind::UnitLabels(labels.into_iter().map(|l| self.lang_string(l)).collect())
                }
            }
            Rule::prop_scale => ItemKind::Scale(self.inner_range(p)),
            Rule::prop_range => ItemKind::Range(self.inner_range(p)),
            Rule::prop_precision | Rule::prop_score_precision => {
                let rule = p.as_rule();
                let text = p.clone().into_inner().next().map(|i| i.as_str().to_string()).unwrap_or_default();
                let n = match text.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => {
                        self.errors.push(
                            Diag::error(Code::BadNumber, "precision is too large")
                                .at(span, "here")
                                .help("write a number of decimals from 0 to 12"),
                        );
                        0
                    }
                };
                if rule == Rule::prop_precision {
                    ItemKind::Precision(n)
                } else {
                    ItemKind::ScorePrecision(n)
                }
            }
            Rule::prop_rounding => ItemKind::Rounding(self.first_ident(p)),
            Rule::prop_kind => ItemKind::Kind(self.first_ident(p)),
            Rule::prop_outside_scale => ItemKind::OutsideScale(self.first_ident(p)),
            Rule::prop_severity => ItemKind::Severity(self.first_ident(p)),
            Rule::prop_languages => ItemKind::Languages(p.into_inner().map(|l| self.ident(l)).collect()),
            Rule::prop_units => ItemKind::Units(p.into_inner().map(|l| self.ident(l)).collect()),
            Rule::presence => ItemKind::Presence(p.as_str() == "required"),
            Rule::direction => ItemKind::Direction(p.as_str() == "higher_is_better"),
            Rule::reported_only => ItemKind::ReportedOnly,
            Rule::prop_option => {
                let mut inner = p.into_inner();
                let id = inner.next().map(|i| self.ident(i)).unwrap_or(Ident { name: String::new(), span });
                let labels = inner.map(|l| self.lang_string(l)).collect();
                ItemKind::Option(id, labels)
            }
            Rule::prop_weight => match p.into_inner().next() {
                Some(r) if r.as_rule() == Rule::num_ref => ItemKind::WeightOf(self.num_ref(r)),
                Some(s) => ItemKind::Weight(self.signed(s).0),
                None => ItemKind::Weight(0.0),
            },
            Rule::prop_baseline => match p.into_inner().next() {
                Some(r) if r.as_rule() == Rule::num_ref => ItemKind::BaselineOf(self.num_ref(r)),
                Some(s) => ItemKind::Baseline(self.signed(s).0),
                None => ItemKind::Baseline(0.0),
            },
            Rule::prop_aggregate => {
                let (n, a) = self.name_args(p);
                ItemKind::Aggregate(n, a)
            }
            Rule::prop_weights => {
                let mut method = Ident { name: String::new(), span };
                let (mut args, mut entries) = (vec![], vec![]);
                for i in p.into_inner() {
                    match i.as_rule() {
                        Rule::ident => method = self.ident(i),
                        Rule::arg => args.push(self.arg(i)),
                        Rule::weights_block => {
                            for e in i.into_inner() {
                                let mut names = vec![];
                                let mut value = None;
                                for x in e.into_inner() {
                                    match x.as_rule() {
                                        Rule::ident => names.push(self.ident(x)),
                                        Rule::expr => value = Some(self.expr(x)),
                                        _ => {}
                                    }
                                }
                                let mut names = names.into_iter();
                                if let (Some(a), Some(value)) = (names.next(), value) {
                                    entries.push(WeightsEntry { a, b: names.next(), value });
                                }
                            }
                        }
                        _ => {}
                    }
                }
                ItemKind::Weights(WeightsDecl { method, args, entries })
            }
            Rule::prop_missing => {
                let (n, a) = self.name_args(p);
                ItemKind::Missing(n, a)
            }
            Rule::prop_impute => {
                let (n, a) = self.name_args(p);
                ItemKind::Impute(n, a)
            }
            Rule::prop_treat => {
                let (n, a) = self.name_args(p);
                ItemKind::Treat(n, a)
            }
            Rule::prop_screen => ItemKind::Screen(p.into_inner().map(|a| self.arg(a)).collect()),
            Rule::prop_vary => {
                let mut what = Ident { name: String::new(), span };
                let mut target = None;
                let mut spec = VarySpec::None;
                for i in p.into_inner() {
                    match i.as_rule() {
                        Rule::rule_name => what = self.ident(i),
                        Rule::ident => target = Some(self.ident(i)),
                        Rule::vary_spec => spec = self.vary_spec(i),
                        other => unreachable_rule(other),
                    }
                }
                ItemKind::Vary { what, target, spec }
            }
            Rule::prop_requires => {
                let e =
                    p.into_inner().next().map(|e| self.expr(e)).unwrap_or(Expr { kind: ExprKind::Bool(true), span });
                ItemKind::Requires(e)
            }
            Rule::prop_level => {
                let mut inner = p.into_inner();
                let id = inner.next().map(|i| self.ident(i)).unwrap_or(Ident { name: String::new(), span });
                let e = inner.next().map(|e| self.expr(e)).unwrap_or(Expr { kind: ExprKind::Bool(true), span });
                ItemKind::Level(id, e)
            }
            Rule::prop_score => ItemKind::Score(self.score_rule(p)),
            Rule::question | Rule::indicator | Rule::area | Rule::standard => ItemKind::Decl(Box::new(self.decl(p))),
            other => unreachable_rule(other),
        };
        Item { kind, span }
    }

    fn vary_spec(&mut self, p: Pair<Rule>) -> VarySpec {
        let text = p.as_str().trim_start().to_string();
        let inner: Vec<Pair<Rule>> = p.into_inner().collect();
        if text.starts_with("by") {
            match inner.into_iter().next() {
                Some(r) if r.as_rule() == Rule::num_ref => VarySpec::ByOf(self.num_ref(r)),
                Some(s) => {
                    let (x, pct) = self.signed(s);
                    VarySpec::By(x, pct)
                }
                None => VarySpec::By(0.0, false),
            }
        } else if text.starts_with("in") {
            match inner.into_iter().next() {
                Some(r) => VarySpec::In(self.range(r)),
                None => VarySpec::None,
            }
        } else {
            let alts = inner
                .into_iter()
                .map(|alt| {
                    let (name, args) = self.name_args_of(alt);
                    (name, args)
                })
                .collect();
            VarySpec::Among(alts)
        }
    }

    fn name_args_of(&mut self, p: Pair<Rule>) -> (Ident, Vec<Arg>) {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let name = inner.next().map(|s| self.ident(s)).unwrap_or(Ident { name: String::new(), span });
        let args = inner.filter(|a| a.as_rule() == Rule::arg).map(|a| self.arg(a)).collect();
        (name, args)
    }

    fn score_rule(&mut self, p: Pair<Rule>) -> ScoreRule {
        let span = self.span(&p);
        let mut name = Ident { name: String::new(), span };
        let mut args = vec![];
        let mut bands = None;
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::rule_name => name = self.ident(i),
                Rule::arg => args.push(self.arg(i)),
                Rule::band_block => bands = Some(self.band_block(i)),
                other => unreachable_rule(other),
            }
        }
        ScoreRule { name, args, bands, span }
    }

    fn arg(&mut self, p: Pair<Rule>) -> Arg {
        let mut name = None;
        let mut value = None;
        let mut of = None;
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::arg_name => name = Some(self.ident(i)),
                Rule::arg_of => of = Some(self.arg_of(i)),
                _ => value = Some(self.expr(i)),
            }
        }
        let value = value.unwrap_or(Expr { kind: ExprKind::Bool(false), span: Span::default() });
        Arg { name, value, of }
    }

    /// `of weight` or `of 6`.
    fn arg_of(&mut self, p: Pair<Rule>) -> Of {
        let mut of = Of::Weight;
        for i in p.into_inner() {
            if i.as_rule() == Rule::integer {
                let span = self.span(&i);
                match i.as_str().parse::<u32>() {
                    Ok(n) => of = Of::Children(n, span),
                    Err(_) => {
                        self.errors.push(
                            Diag::error(Code::BadNumber, "too many children")
                                .at(span, "here")
                                .help("write the number of children the area declares"),
                        );
                        of = Of::Children(0, span);
                    }
                }
            }
        }
        of
    }

    /// The range inside `p` (the grammar puts one there; without one, the unbounded range).
    fn inner_range(&mut self, p: Pair<Rule>) -> Range {
        let span = self.span(&p);
        match p.into_inner().next() {
            Some(r) => self.range(r),
            None => Range { lo: None, hi: None, span, names: None },
        }
    }

    fn range(&mut self, p: Pair<Rule>) -> Range {
        let span = self.span(&p);
        let (mut lo, mut hi, mut op) = (None, None, None);
        let (mut lo_name, mut hi_name) = (None, None);
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::signed if op.is_none() => lo = Some(self.signed(i).0),
                Rule::signed => hi = Some(self.signed(i).0),
                Rule::num_ref if op.is_none() => {
                    lo = Some(0.0);
                    lo_name = Some(self.num_ref(i));
                }
                Rule::num_ref => {
                    hi = Some(0.0);
                    hi_name = Some(self.num_ref(i));
                }
                Rule::range_op => op = Some(i.as_str().to_string()),
                other => unreachable_rule(other),
            }
        }
        let op = op.unwrap_or_default();
        let lo_incl = !op.starts_with('<');
        let hi_incl = op.ends_with('=');
        let names = (lo_name.is_some() || hi_name.is_some()).then(|| Box::new(RangeNames { lo: lo_name, hi: hi_name }));
        Range { lo: lo.map(|x| (x, lo_incl)), hi: hi.map(|x| (x, hi_incl)), span, names }
    }

    /// `num_ref = ${ "-"? ~ (num_cell | ident) }` → the expression it names: a constant or a
    /// table's cell, negated or not (the checker puts its value in its place).
    fn num_ref(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let neg = p.as_str().starts_with('-');
        let inner = match p.into_inner().next() {
            Some(i) if i.as_rule() == Rule::num_cell => self.call(i),
            Some(i) => {
                let id = self.ident(i);
                Expr { span: id.span, kind: ExprKind::Name(id) }
            }
            None => Expr { kind: ExprKind::Number(0.0), span },
        };
        if neg {
            Expr { kind: ExprKind::Neg(Box::new(inner)), span }
        } else {
            inner
        }
    }

    fn band_block(&mut self, p: Pair<Rule>) -> BandBlock {
        let span = self.span(&p);
        let mut arms = vec![];
        let mut otherwise = None;
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::band_arm => {
                    let mut inner = i.into_inner();
                    let r = inner.next().map(|r| self.range(r));
                    let e = inner.next().map(|e| self.expr(e));
                    if let (Some(r), Some(e)) = (r, e) {
                        arms.push((r, e));
                    }
                }
                Rule::else_arm => otherwise = i.into_inner().next().map(|e| Box::new(self.expr(e))),
                other => unreachable_rule(other),
            }
        }
        BandBlock { arms, otherwise, span }
    }

    // ───────────── expressions ─────────────
    //
    // The grammar's precedence levels give every operand a chain of pairs (`expr` → `or_expr` →
    // … → `power`) that each hold one child; [`descend`] walks down such chains in a loop, so the
    // builder recurses once per node of the tree it builds, not once per pair. `self.level` is the
    // depth of the node being built: no node is built deeper than [`MAX_EXPR_DEPTH`], so every
    // recursive walk over a formula later (checking, compiling, printing, dropping) is bounded.
    // Each kind of node is built by its own function, which keeps the recursive frame small.

    fn expr(&mut self, p: Pair<Rule>) -> Expr {
        let p = descend(p);
        if self.level >= MAX_EXPR_DEPTH {
            return self.too_deep(&p);
        }
        match p.as_rule() {
            Rule::if_expr => self.if_expr(p),
            Rule::or_expr | Rule::and_expr | Rule::coalesce | Rule::sum | Rule::product => self.left_assoc(p),
            Rule::not_expr | Rule::unary => self.prefixed(p),
            Rule::cmp_expr => self.cmp_expr(p),
            Rule::power => self.power(p),
            Rule::call => self.call(p),
            Rule::bands_expr => self.bands_expr(p),
            Rule::match_expr => self.match_expr(p),
            _ => self.leaf(p),
        }
    }

    /// Builds `p` as a child `extra` levels below the node being built.
    fn child(&mut self, p: Pair<Rule>, extra: usize) -> Expr {
        self.level += extra;
        let e = self.expr(p);
        self.level -= extra;
        e
    }

    /// The error for a formula nested deeper than [`MAX_EXPR_DEPTH`] (reported once per file),
    /// and a placeholder for the part not built.
    #[inline(never)]
    fn too_deep(&mut self, p: &Pair<Rule>) -> Expr {
        let span = self.span(p);
        if !self.too_deep_reported {
            self.too_deep_reported = true;
            self.errors.push(
                Diag::error(Code::Syntax, format!("the formula is nested more than {MAX_EXPR_DEPTH} levels deep"))
                    .at(Span { end: span.start, ..span }, "too deep from here")
                    .help(
                        "each operator, function call, `if`, `not` and minus nests one level (a chain `a + b + c + …` of n \
                         terms is n − 1 levels): split the formula into several indicators, or add long lists with \
                         `sum(a, b, c, …)`",
                    ),
            );
        }
        Expr { kind: ExprKind::Number(0.0), span }
    }

    #[inline(never)]
    fn leaf(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::number => ExprKind::Number(self.number(p)),
            Rule::percent => ExprKind::Percent(p.into_inner().next().map(|n| self.number(n)).unwrap_or(0.0)),
            Rule::string => ExprKind::Str(self.string(p)),
            Rule::yes_lit => ExprKind::Bool(true),
            Rule::no_lit | Rule::expr => ExprKind::Bool(false),
            Rule::ident => ExprKind::Name(self.ident(p)),
            Rule::standard_ref => {
                let mut inner = p.into_inner();
                let f = match inner.next().map(|f| f.as_str().to_string()).as_deref() {
                    Some("met") => StandardFn::Met,
                    Some("level") => StandardFn::Level,
                    _ => StandardFn::Attainment,
                };
                let code = inner.next().map(|c| self.ident(c)).unwrap_or(Ident { name: String::new(), span });
                ExprKind::Standard(f, code)
            }
            other => unreachable_rule(other),
        };
        Expr { kind, span }
    }

    #[inline(never)]
    fn if_expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let (c, t, e) = (inner.next(), inner.next(), inner.next());
        match (c, t, e) {
            (Some(c), Some(t), Some(e)) => {
                let (c, t, e) = (self.child(c, 1), self.child(t, 1), self.child(e, 1));
                Expr { kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)), span }
            }
            _ => Expr { kind: ExprKind::Bool(false), span },
        }
    }

    /// `not_op* ~ cmp_expr` and `neg_op* ~ power`: the operand nested under each prefix.
    #[inline(never)]
    fn prefixed(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let not = p.as_rule() == Rule::not_expr;
        let p_copy = p.clone();
        let mut ops = vec![];
        let mut operand = None;
        for i in p.into_inner() {
            if matches!(i.as_rule(), Rule::not_op | Rule::neg_op) {
                ops.push(self.span(&i));
            } else {
                operand = Some(i);
            }
        }
        if self.level + ops.len() >= MAX_EXPR_DEPTH {
            // at the first `not` or minus
            return self.too_deep(&p_copy);
        }
        let mut e = match operand {
            Some(o) => self.child(o, ops.len()),
            None if not => Expr { kind: ExprKind::Bool(false), span },
            None => Expr { kind: ExprKind::Number(0.0), span },
        };
        for s in ops.into_iter().rev() {
            let sp = s.join(e.span);
            e = Expr { kind: if not { ExprKind::Not(Box::new(e)) } else { ExprKind::Neg(Box::new(e)) }, span: sp };
        }
        e
    }

    #[inline(never)]
    fn cmp_expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let parts: Vec<Pair<Rule>> = p.into_inner().collect();
        if parts.len() > 3 {
            // `a < b < c`: the checker explains what to write; the operands are not needed.
            let ops = parts.iter().filter(|x| x.as_rule() == Rule::cmp_op).map(|x| binop(x.as_str())).collect();
            let operands: Vec<Expr> =
                parts.into_iter().filter(|x| x.as_rule() != Rule::cmp_op).map(|x| self.child(x, 1)).collect();
            return Expr { kind: ExprKind::Chained(operands, ops), span };
        }
        let mut it = parts.into_iter();
        let (Some(l), Some(op), Some(r)) = (it.next(), it.next(), it.next()) else {
            return Expr { kind: ExprKind::Bool(false), span };
        };
        let op = binop(op.as_str());
        let (l, r) = (self.child(l, 1), self.child(r, 1));
        Expr { kind: ExprKind::Binary(op, Box::new(l), Box::new(r)), span }
    }

    #[inline(never)]
    fn power(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let base = inner.next();
        match (base, inner.next(), inner.next()) {
            (Some(base), Some(_op), Some(exp)) => {
                let (base, exp) = (self.child(base, 1), self.child(exp, 1));
                Expr { kind: ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)), span }
            }
            (Some(base), _, _) => self.expr(base),
            _ => Expr { kind: ExprKind::Number(0.0), span },
        }
    }

    #[inline(never)]
    fn call(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let name = inner.next().map(|n| self.ident(n)).unwrap_or(Ident { name: String::new(), span });
        self.level += 1;
        let args = inner.map(|a| self.arg(a)).collect();
        self.level -= 1;
        Expr { kind: ExprKind::Call(name, args), span }
    }

    #[inline(never)]
    fn bands_expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let subject = match inner.next() {
            Some(e) => self.child(e, 1),
            None => Expr { kind: ExprKind::Number(0.0), span },
        };
        self.level += 1;
        let block =
            inner.next().map(|b| self.band_block(b)).unwrap_or(BandBlock { arms: vec![], otherwise: None, span });
        self.level -= 1;
        Expr { kind: ExprKind::Bands(Box::new(subject), block), span }
    }

    #[inline(never)]
    fn match_expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let subject = match inner.next() {
            Some(e) => self.child(e, 1),
            None => Expr { kind: ExprKind::Number(0.0), span },
        };
        let mut arms = vec![];
        let mut otherwise = None;
        for i in inner {
            match i.as_rule() {
                Rule::match_arm => {
                    let mut keys = vec![];
                    let mut value = None;
                    for j in i.into_inner() {
                        if j.as_rule() == Rule::string {
                            let sp = self.span(&j);
                            keys.push((self.string(j), sp));
                        } else {
                            value = Some(self.child(j, 1));
                        }
                    }
                    if let Some(v) = value {
                        arms.push((keys, v));
                    }
                }
                Rule::else_arm => otherwise = i.into_inner().next().map(|e| Box::new(self.child(e, 1))),
                other => unreachable_rule(other),
            }
        }
        Expr { kind: ExprKind::Match(Box::new(subject), arms, otherwise), span }
    }

    /// `operand (op operand)*`, folded to the left: the first operand lies as many levels down
    /// as there are operators.
    #[inline(never)]
    fn left_assoc(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let parts: Vec<Pair<Rule>> = p.into_inner().collect();
        let ops = parts.len() / 2;
        if parts.is_empty() {
            return Expr { kind: ExprKind::Bool(false), span };
        }
        if self.level + ops >= MAX_EXPR_DEPTH {
            return self.too_deep(&parts[0]);
        }
        let mut inner = parts.into_iter();
        let first = inner.next().map(|f| self.child(f, ops));
        let mut acc = first.unwrap_or(Expr { kind: ExprKind::Bool(false), span });
        let mut depth = ops;
        while let (Some(op), Some(rhs)) = (inner.next(), inner.next()) {
            let op = binop(op.as_str());
            let rhs = self.child(rhs, depth);
            depth -= 1;
            let span = acc.span.join(rhs.span);
            acc = Expr { kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)), span };
        }
        acc
    }
}

/// Walks down pairs that hold a single child and stand for no node of their own (an operand
/// without operators at some precedence level, or parentheses).
fn descend(mut p: Pair<Rule>) -> Pair<Rule> {
    loop {
        if !matches!(
            p.as_rule(),
            Rule::expr
                | Rule::or_expr
                | Rule::and_expr
                | Rule::not_expr
                | Rule::cmp_expr
                | Rule::coalesce
                | Rule::sum
                | Rule::product
                | Rule::unary
                | Rule::power
        ) {
            return p;
        }
        let mut inner = p.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) => p = only,
            _ => return p,
        }
    }
}

/// The end of a span without the white space and comments that pest's implicit skipping may
/// leave at its tail (a rule ending in an optional part consumes the space before it).
/// `comments` are the text's comments ([`comments`]); looking them up keeps this independent of
/// the length of the span's line.
fn trim_end(text: &str, comments: &[(usize, usize)], start: usize, end: usize) -> usize {
    let mut end = end;
    loop {
        end = start + text[start..end].trim_end().len();
        // the last comment that starts before the end: does the span end inside it?
        let i = comments.partition_point(|&(c, _)| c < end);
        match i.checked_sub(1).map(|i| comments[i]) {
            Some((c, c_end)) if c > start && end <= c_end => end = c,
            _ => return end,
        }
    }
}

fn binop(s: &str) -> BinOp {
    match s {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "^" => BinOp::Pow,
        "and" => BinOp::And,
        "or" => BinOp::Or,
        "??" => BinOp::Coalesce,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "==" => BinOp::Eq,
        _ => BinOp::Ne,
    }
}

#[track_caller]
fn unreachable_rule(rule: Rule) -> ! {
    // The grammar guarantees which rules appear where; reaching this is a bug in tamga, not in
    // the user's input.
    panic!("internal error: unexpected grammar rule {rule:?}")
}
