//! Stage 1, syntax: rule-file text → [`ast::File`].
//!
//! The only module that names pest. One builder function per grammar rule, named after it;
//! `Pair` never leaves this module. Syntax errors become [`Diag`]s in human words through the
//! adapter in [`error`].

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

/// The deepest nesting of expressions the parser accepts before it reports an error rather than
/// risking the stack.
pub const MAX_DEPTH: usize = 200;

/// Parses one rule file. Returns the AST, or the syntax errors (pest stops at the first one;
/// the builders may add more, such as numbers out of range).
pub fn parse_file(file: FileId, text: &str) -> Result<File, Vec<Diag>> {
    if let Some(d) = error::check_depth(file, text, MAX_DEPTH) {
        return Err(vec![d]);
    }
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|e| vec![error::from_pest(file, text, e)])?;
    let mut b = Builder { file, errors: vec![] };
    let root = pairs.next().map(|p| b.file(p)).unwrap_or(File { decls: vec![] });
    if b.errors.is_empty() {
        Ok(root)
    } else {
        Err(b.errors)
    }
}

/// Parses a single expression (for `--expr` and tests).
pub fn parse_expr(file: FileId, text: &str) -> Result<Expr, Vec<Diag>> {
    if let Some(d) = error::check_depth(file, text, MAX_DEPTH) {
        return Err(vec![d]);
    }
    let wrapped = text;
    let mut pairs = Grammar::parse(Rule::expr, wrapped).map_err(|e| vec![error::from_pest(file, text, e)])?;
    let Some(p) = pairs.next() else {
        return Err(vec![Diag::error(Code::Syntax, "empty expression").at(Span::new(file, 0, 0), "here")]);
    };
    if p.as_span().end() != text.trim_end().len() {
        let end = p.as_span().end();
        return Err(vec![Diag::error(Code::Syntax, "unexpected text after the expression")
            .at(Span::new(file, end, text.len()), "not part of the expression")
            .help("join the parts with an operator, or remove the extra text")]);
    }
    let mut b = Builder { file, errors: vec![] };
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
        Span::new(self.file, s.start(), trim_end(p.get_input(), s.start(), s.end()))
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
            Rule::question => self.question(p),
            Rule::group => self.simple_decl(p, DeclKind::Group),
            Rule::indicator => self.indicator(p),
            Rule::area => self.simple_decl(p, DeclKind::Area),
            Rule::index => self.simple_decl(p, DeclKind::Index),
            Rule::chapter => self.simple_decl(p, DeclKind::Chapter),
            Rule::standard => self.simple_decl(p, DeclKind::Standard),
            Rule::recommend => self.recommend(p),
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
        let args = inner.filter(|a| a.as_rule() == Rule::arg).map(|a| self.arg(a)).collect();
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
            Rule::prop_unit => ItemKind::Unit(self.first_string(p)),
            Rule::prop_scale => ItemKind::Scale(self.range(p.into_inner().next().expect("grammar: scale has a range"))),
            Rule::prop_range => ItemKind::Range(self.range(p.into_inner().next().expect("grammar: range"))),
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
            Rule::prop_languages => ItemKind::Languages(p.into_inner().map(|l| self.ident(l)).collect()),
            Rule::presence => ItemKind::Presence(p.as_str() == "required"),
            Rule::direction => ItemKind::Direction(p.as_str() == "higher_is_better"),
            Rule::prop_option => {
                let mut inner = p.into_inner();
                let id = inner.next().map(|i| self.ident(i)).unwrap_or(Ident { name: String::new(), span });
                let labels = inner.map(|l| self.lang_string(l)).collect();
                ItemKind::Option(id, labels)
            }
            Rule::prop_weight => {
                let (x, _) = p.into_inner().next().map(|s| self.signed(s)).unwrap_or((0.0, false));
                ItemKind::Weight(x)
            }
            Rule::prop_baseline => {
                let (x, _) = p.into_inner().next().map(|s| self.signed(s)).unwrap_or((0.0, false));
                ItemKind::Baseline(x)
            }
            Rule::prop_aggregate => {
                let (n, a) = self.name_args(p);
                ItemKind::Aggregate(n, a)
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
            let (x, pct) = inner.into_iter().next().map(|s| self.signed(s)).unwrap_or((0.0, false));
            VarySpec::By(x, pct)
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
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::arg_name => name = Some(self.ident(i)),
                _ => value = Some(self.expr(i)),
            }
        }
        let value = value.unwrap_or(Expr { kind: ExprKind::Bool(false), span: Span::default() });
        Arg { name, value }
    }

    fn range(&mut self, p: Pair<Rule>) -> Range {
        let span = self.span(&p);
        let (mut lo, mut hi, mut op) = (None, None, None);
        for i in p.into_inner() {
            match i.as_rule() {
                Rule::signed if op.is_none() => lo = Some(self.signed(i).0),
                Rule::signed => hi = Some(self.signed(i).0),
                Rule::range_op => op = Some(i.as_str().to_string()),
                other => unreachable_rule(other),
            }
        }
        let op = op.unwrap_or_default();
        let lo_incl = !op.starts_with('<');
        let hi_incl = op.ends_with('=');
        Range { lo: lo.map(|x| (x, lo_incl)), hi: hi.map(|x| (x, hi_incl)), span }
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

    fn expr(&mut self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::expr => match p.into_inner().next() {
                Some(i) => self.expr(i),
                None => Expr { kind: ExprKind::Bool(false), span },
            },
            Rule::if_expr => {
                let mut inner = p.into_inner().map(|e| self.expr(e));
                let (c, t, e) = (inner.next(), inner.next(), inner.next());
                match (c, t, e) {
                    (Some(c), Some(t), Some(e)) => {
                        Expr { kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)), span }
                    }
                    _ => Expr { kind: ExprKind::Bool(false), span },
                }
            }
            Rule::or_expr | Rule::and_expr | Rule::coalesce | Rule::sum | Rule::product => self.left_assoc(p),
            Rule::not_expr => {
                let mut nots = vec![];
                let mut operand = None;
                for i in p.into_inner() {
                    if i.as_rule() == Rule::not_op {
                        nots.push(self.span(&i));
                    } else {
                        operand = Some(self.expr(i));
                    }
                }
                let mut e = operand.unwrap_or(Expr { kind: ExprKind::Bool(false), span });
                for s in nots.into_iter().rev() {
                    let sp = s.join(e.span);
                    e = Expr { kind: ExprKind::Not(Box::new(e)), span: sp };
                }
                e
            }
            Rule::cmp_expr => {
                let parts: Vec<Pair<Rule>> = p.into_inner().collect();
                if parts.len() == 1 {
                    return self.expr(parts.into_iter().next().expect("one part"));
                }
                if parts.len() > 3 {
                    let ops = parts.iter().filter(|x| x.as_rule() == Rule::cmp_op).map(|x| binop(x.as_str())).collect();
                    let operands =
                        parts.into_iter().filter(|x| x.as_rule() != Rule::cmp_op).map(|x| self.expr(x)).collect();
                    return Expr { kind: ExprKind::Chained(operands, ops), span };
                }
                let mut it = parts.into_iter();
                let l = self.expr(it.next().expect("lhs"));
                let op = binop(it.next().expect("op").as_str());
                let r = self.expr(it.next().expect("rhs"));
                Expr { kind: ExprKind::Binary(op, Box::new(l), Box::new(r)), span }
            }
            Rule::unary => {
                let mut negs = vec![];
                let mut operand = None;
                for i in p.into_inner() {
                    if i.as_rule() == Rule::neg_op {
                        negs.push(self.span(&i));
                    } else {
                        operand = Some(self.expr(i));
                    }
                }
                let mut e = operand.unwrap_or(Expr { kind: ExprKind::Number(0.0), span });
                for s in negs.into_iter().rev() {
                    let sp = s.join(e.span);
                    e = Expr { kind: ExprKind::Neg(Box::new(e)), span: sp };
                }
                e
            }
            Rule::power => {
                let mut inner = p.into_inner();
                let base = inner.next().map(|b| self.expr(b)).unwrap_or(Expr { kind: ExprKind::Number(0.0), span });
                match (inner.next(), inner.next()) {
                    (Some(_op), Some(exp)) => {
                        let exp = self.expr(exp);
                        Expr { kind: ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)), span }
                    }
                    _ => base,
                }
            }
            Rule::number => Expr { kind: ExprKind::Number(self.number(p)), span },
            Rule::percent => {
                let n = p.into_inner().next().map(|n| self.number(n)).unwrap_or(0.0);
                Expr { kind: ExprKind::Percent(n), span }
            }
            Rule::string => Expr { kind: ExprKind::Str(self.string(p)), span },
            Rule::yes_lit => Expr { kind: ExprKind::Bool(true), span },
            Rule::no_lit => Expr { kind: ExprKind::Bool(false), span },
            Rule::ident => Expr { kind: ExprKind::Name(self.ident(p)), span },
            Rule::call => {
                let mut inner = p.into_inner();
                let name = inner.next().map(|n| self.ident(n)).unwrap_or(Ident { name: String::new(), span });
                let args = inner.map(|a| self.arg(a)).collect();
                Expr { kind: ExprKind::Call(name, args), span }
            }
            Rule::standard_ref => {
                let mut inner = p.into_inner();
                let f = match inner.next().map(|f| f.as_str().to_string()).as_deref() {
                    Some("met") => StandardFn::Met,
                    Some("level") => StandardFn::Level,
                    _ => StandardFn::Attainment,
                };
                let code = inner.next().map(|c| self.ident(c)).unwrap_or(Ident { name: String::new(), span });
                Expr { kind: ExprKind::Standard(f, code), span }
            }
            Rule::bands_expr => {
                let mut inner = p.into_inner();
                let subject = inner.next().map(|e| self.expr(e)).unwrap_or(Expr { kind: ExprKind::Number(0.0), span });
                let block = inner.next().map(|b| self.band_block(b)).unwrap_or(BandBlock {
                    arms: vec![],
                    otherwise: None,
                    span,
                });
                Expr { kind: ExprKind::Bands(Box::new(subject), block), span }
            }
            Rule::match_expr => {
                let mut inner = p.into_inner();
                let subject = inner.next().map(|e| self.expr(e)).unwrap_or(Expr { kind: ExprKind::Number(0.0), span });
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
                                    value = Some(self.expr(j));
                                }
                            }
                            if let Some(v) = value {
                                arms.push((keys, v));
                            }
                        }
                        Rule::else_arm => otherwise = i.into_inner().next().map(|e| Box::new(self.expr(e))),
                        other => unreachable_rule(other),
                    }
                }
                Expr { kind: ExprKind::Match(Box::new(subject), arms, otherwise), span }
            }
            other => unreachable_rule(other),
        }
    }

    /// `operand (op operand)*`, folded to the left.
    fn left_assoc(&mut self, p: Pair<Rule>) -> Expr {
        let mut inner = p.into_inner();
        let Some(first) = inner.next() else {
            return Expr { kind: ExprKind::Bool(false), span: Span::default() };
        };
        let mut acc = self.expr(first);
        while let (Some(op), Some(rhs)) = (inner.next(), inner.next()) {
            let op = binop(op.as_str());
            let rhs = self.expr(rhs);
            let span = acc.span.join(rhs.span);
            acc = Expr { kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)), span };
        }
        acc
    }
}

/// The end of a span without the white space and comments that pest's implicit skipping may
/// leave at its tail (a rule ending in an optional part consumes the space before it).
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    let mut end = end;
    loop {
        let slice = &text[start..end];
        let trimmed = slice.trim_end();
        end = start + trimmed.len();
        // a comment on the last line of the span?
        let line_start = trimmed.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let line = &trimmed[line_start..];
        let mut in_str = false;
        let mut escaped = false;
        let mut hash = None;
        for (i, c) in line.char_indices() {
            if in_str {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_str = false,
                    _ => {}
                }
            } else if c == '"' {
                in_str = true;
            } else if c == '#' {
                hash = Some(i);
                break;
            }
        }
        match hash {
            Some(h) if line_start + h > 0 => end = start + line_start + h,
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
