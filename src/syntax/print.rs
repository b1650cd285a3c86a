//! Printing the AST back as rule text: the canonical layout of `tamga fmt` (with every comment
//! kept) and the comment-free canonical form that the fingerprint hashes.
//!
//! Printing then parsing gives the same AST (spans aside): parentheses are added exactly where
//! precedence needs them, numbers are written in their shortest round-trip form.

use super::ast::*;
use crate::number::shortest;

/// Comments of one source file: `(start, end, text)` in byte offsets, in order.
#[derive(Debug, Clone, Default)]
pub struct Comments {
    items: Vec<(u32, u32, String)>,
    next: usize,
    text: String,
}

impl Comments {
    /// Finds every `# …` comment outside strings.
    pub fn scan(text: &str) -> Comments {
        let mut items = vec![];
        let mut in_str = false;
        let mut escaped = false;
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if let Some(s) = start {
                if c == '\n' {
                    items.push((s as u32, i as u32, text[s..i].trim_end().to_string()));
                    start = None;
                }
                continue;
            }
            if in_str {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '#' => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            items.push((s as u32, text.len() as u32, text[s..].trim_end().to_string()));
        }
        Comments { items, next: 0, text: text.to_string() }
    }

    /// Comments that start before `pos` and were not printed yet, with whether a blank line
    /// separates each from what precedes it.
    fn take_before(&mut self, pos: u32) -> Vec<(String, bool)> {
        let mut out = vec![];
        while self.next < self.items.len() && self.items[self.next].0 < pos {
            let (s, _, t) = &self.items[self.next];
            let before = &self.text[..*s as usize];
            let blank = blank_line_before(before);
            out.push((t.clone(), blank));
            self.next += 1;
        }
        out
    }

    /// A comment on the same line right after `end`, if any.
    fn take_trailing(&mut self, end: u32) -> Option<String> {
        let (s, _, t) = self.items.get(self.next)?;
        let between = self.text.get(end as usize..*s as usize)?;
        if !between.contains('\n') {
            let t = t.clone();
            self.next += 1;
            Some(t)
        } else {
            None
        }
    }

    /// Whether the source has a blank line between `end` and `start`.
    fn blank_between(&self, end: u32, start: u32) -> bool {
        let Some(between) = self.text.get(end as usize..start as usize) else { return false };
        let lines: Vec<&str> = between.split('\n').collect();
        lines.len() > 2 && lines[1..lines.len() - 1].iter().any(|l| l.trim().is_empty())
    }

    /// Whether any comment is left.
    fn remaining(&mut self) -> Vec<(String, bool)> {
        self.take_before(u32::MAX)
    }
}

fn blank_line_before(before: &str) -> bool {
    // the text before the comment's line ends with an empty line
    let trimmed = before.trim_end_matches([' ', '\t']);
    let Some(rest) = trimmed.strip_suffix('\n') else { return false };
    let last_line = rest.rsplit('\n').next().unwrap_or("");
    last_line.trim().is_empty() && rest.contains('\n')
}

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `tamga fmt`: declaration order kept, comments kept.
    Format,
    /// The fingerprint's form: no comments, no includes, top-level declarations sorted by kind and id.
    Canonical,
}

/// Formats one file in the canonical layout, keeping every comment.
pub fn format_file(file: &File, text: &str) -> String {
    let mut p = Printer { out: String::new(), indent: 0, comments: Some(Comments::scan(text)), mode: Mode::Format };
    p.decls(&file.decls.iter().collect::<Vec<_>>(), true, None);
    if let Some(c) = p.comments.as_mut() {
        let rest = c.remaining();
        for (t, blank) in rest {
            if blank && !p.out.is_empty() && !p.out.ends_with("\n\n") {
                p.out.push('\n');
            }
            p.out.push_str(&t);
            p.out.push('\n');
        }
    }
    let mut out = p.out.trim_end().to_string();
    out.push('\n');
    out
}

/// The canonical, comment-free form of a whole methodology (all files): what the fingerprint
/// hashes. Top-level declarations are sorted by kind and id, so moving one to another file or
/// reordering independent declarations does not change it; order inside bodies is kept.
pub fn canonical(files: &[&File]) -> String {
    let mut decls: Vec<&Decl> =
        files.iter().flat_map(|f| f.decls.iter()).filter(|d| !matches!(d.kind, DeclKind::Include)).collect();
    decls.sort_by(|a, b| (kind_rank(&a.kind), &a.id.name).cmp(&(kind_rank(&b.kind), &b.id.name)));
    let mut p = Printer { out: String::new(), indent: 0, comments: None, mode: Mode::Canonical };
    p.decls(&decls, true, None);
    p.out
}

/// An expression as text.
pub fn expr(e: &Expr) -> String {
    let mut s = String::new();
    write_expr(&mut s, e, 0);
    s
}

fn kind_rank(k: &DeclKind) -> u8 {
    match k {
        DeclKind::Methodology => 0,
        DeclKind::Include => 1,
        DeclKind::Question { .. } => 2,
        DeclKind::Group => 3,
        DeclKind::Indicator { .. } => 4,
        DeclKind::Index => 5,
        DeclKind::Area => 6,
        DeclKind::Chapter => 7,
        DeclKind::Standard => 8,
        DeclKind::Recommend { .. } => 9,
        DeclKind::Require { .. } => 10,
        DeclKind::Uncertainty => 11,
        DeclKind::Const { .. } => 12,
        DeclKind::Table { .. } => 13,
        DeclKind::Scenario => 14,
    }
}

fn item_rank(k: &ItemKind) -> (u8, String) {
    let lang = |l: &Ident| l.name.clone();
    match k {
        ItemKind::Label(l, _) => (0, lang(l)),
        ItemKind::Help(l, _) => (1, lang(l)),
        ItemKind::Note(l, _) => (2, lang(l)),
        ItemKind::Source(_) => (3, String::new()),
        ItemKind::Version(_) => (4, String::new()),
        ItemKind::Languages(_) => (5, String::new()),
        ItemKind::UnitName(l, _) => (6, lang(l)),
        ItemKind::Units(_) => (6, "~units".into()),
        ItemKind::Scale(_) => (7, String::new()),
        ItemKind::Precision(_) => (8, String::new()),
        ItemKind::ScorePrecision(_) => (9, String::new()),
        ItemKind::Rounding(_) => (10, String::new()),
        ItemKind::Unit(_) | ItemKind::UnitLabels(_) => (11, String::new()),
        ItemKind::Range(_) => (12, String::new()),
        ItemKind::Presence(_) => (13, String::new()),
        ItemKind::Option(..) => (14, String::new()),
        ItemKind::Direction(_) => (15, String::new()),
        ItemKind::ReportedOnly => (15, "reported_only".into()),
        ItemKind::Score(_) => (16, String::new()),
        ItemKind::OutsideScale(_) => (16, "outside_scale".into()),
        ItemKind::Weight(_) | ItemKind::WeightOf(_) => (17, String::new()),
        ItemKind::Weights(_) => (17, "weights".into()),
        ItemKind::Aggregate(..) => (18, String::new()),
        ItemKind::Missing(..) => (19, String::new()),
        ItemKind::Kind(_) | ItemKind::Severity(_) => (20, String::new()),
        ItemKind::Requires(_) => (21, String::new()),
        ItemKind::Baseline(_) | ItemKind::BaselineOf(_) => (22, String::new()),
        ItemKind::Level(..) => (23, String::new()),
        ItemKind::Impute(..) => (24, String::new()),
        ItemKind::Treat(..) => (25, String::new()),
        ItemKind::Screen(..) => (26, String::new()),
        ItemKind::Vary { .. } => (26, String::new()),
        ItemKind::Decl(_) => (27, String::new()),
    }
}

fn has_body(e: &Elem) -> bool {
    let d: &Decl = match e {
        Elem::Decl(d) => d,
        Elem::Item(Item { kind: ItemKind::Decl(d), .. }) => d,
        Elem::Item(_) => return false,
    };
    !matches!(d.kind, DeclKind::Include)
        && (!d.body.is_empty() || !matches!(d.kind, DeclKind::Question { .. } | DeclKind::Indicator { .. }))
}

struct Printer {
    out: String,
    indent: usize,
    comments: Option<Comments>,
    mode: Mode,
}

/// Something printable in a list of declarations or body items.
enum Elem<'a> {
    Decl(&'a Decl),
    Item(&'a Item),
}

impl Elem<'_> {
    fn span(&self) -> (u32, u32) {
        match self {
            Elem::Decl(d) => (d.whole.start, d.whole.end),
            Elem::Item(Item { kind: ItemKind::Decl(d), .. }) => (d.whole.start, d.whole.end),
            Elem::Item(i) => (i.span.start, i.span.end),
        }
    }
}

impl Printer {
    fn pad(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    fn line(&mut self, text: &str) {
        self.pad();
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn leading(&mut self, start: u32) {
        let Some(c) = self.comments.as_mut() else { return };
        let first = c.next;
        let cs = c.take_before(start);
        let last_end = c.items.get(c.next.wrapping_sub(1)).filter(|_| c.next > first).map(|x| x.1);
        let blank_after = last_end.is_some_and(|e| c.blank_between(e, start));
        for (t, blank) in cs {
            if blank && !self.out.is_empty() && !self.out.ends_with("\n\n") && !self.out.ends_with("{\n") {
                self.out.push('\n');
            }
            self.line(&t);
        }
        if blank_after {
            self.out.push('\n');
        }
    }

    fn trailing(&mut self, end: u32) {
        let Some(c) = self.comments.as_mut() else { return };
        if let Some(t) = c.take_trailing(end) {
            if self.out.ends_with('\n') {
                self.out.pop();
            }
            self.out.push_str("  ");
            self.out.push_str(&t);
            self.out.push('\n');
        }
    }

    /// A list of declarations or items; `top` separates declarations with blank lines.
    fn decls(&mut self, decls: &[&Decl], top: bool, _close: Option<u32>) {
        let elems: Vec<Elem> = decls.iter().map(|d| Elem::Decl(d)).collect();
        self.elems(&elems, top);
    }

    fn elems(&mut self, elems: &[Elem], top: bool) {
        let mut prev_end: Option<u32> = None;
        let mut prev_block = false;
        for (k, e) in elems.iter().enumerate() {
            let (start, end) = e.span();
            let blank = match (&self.comments, prev_end) {
                (Some(c), Some(pe)) => c.blank_between(pe, start),
                _ => false,
            };
            let block = has_body(e);
            let sep = blank || (top && (block || prev_block || self.mode == Mode::Canonical));
            if k > 0 && sep && !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
            self.leading(start);
            match e {
                Elem::Decl(d) => self.decl(d),
                Elem::Item(i) => self.item(i),
            }
            self.trailing(end);
            prev_end = Some(end);
            prev_block = block;
        }
    }

    fn body(&mut self, body: &[Item], end: u32) {
        self.out.push_str(" {\n");
        self.indent += 1;
        let mut items: Vec<&Item> = body.iter().collect();
        if self.mode == Mode::Canonical {
            // properties in a fixed order (stable: levels, options and nested declarations keep theirs)
            items.sort_by_key(|i| item_rank(&i.kind));
        }
        let elems: Vec<Elem> = items.iter().map(|i| Elem::Item(i)).collect();
        self.elems(&elems, false);
        // comments before the closing brace
        if let Some(c) = self.comments.as_mut() {
            let cs = c.take_before(end.saturating_sub(1));
            for (t, _) in cs {
                self.line(&t);
            }
        }
        self.indent -= 1;
        self.pad();
        self.out.push('}');
        self.out.push('\n');
    }

    fn decl(&mut self, d: &Decl) {
        self.pad();
        let id = &d.id.name;
        match &d.kind {
            DeclKind::Methodology => self.out.push_str(&format!("methodology {id}")),
            DeclKind::Include => {
                self.out.push_str(&format!("include {}\n", quote(id)));
                return;
            }
            DeclKind::Const { value } => {
                let mut s = String::new();
                write_expr_at(&mut s, value, 0, self.indent);
                self.out.push_str(&format!("const {id} = {s}\n"));
                return;
            }
            DeclKind::Table { file, .. } => {
                self.out.push_str(&format!("table {id} from {}\n", quote(file)));
                return;
            }
            DeclKind::Question { ty, range, presence } => {
                self.out.push_str(&format!("question {id} : {}", qtype(ty)));
                if let Some(r) = range {
                    self.out.push_str(&format!(" in {}", range_text(r)));
                }
                match presence {
                    Some((false, _)) => self.out.push_str(" optional"),
                    Some((true, _)) if self.mode == Mode::Format => self.out.push_str(" required"),
                    _ => {}
                }
            }
            DeclKind::Group => self.out.push_str(&format!("group {id}")),
            DeclKind::Indicator { formula } => {
                self.out.push_str(&format!("indicator {id}"));
                if let Some(f) = formula {
                    self.out.push_str(" = ");
                    let mut s = String::new();
                    write_expr_at(&mut s, f, 0, self.indent);
                    self.out.push_str(&s);
                }
            }
            DeclKind::Area => self.out.push_str(&format!("area {id}")),
            DeclKind::Index => self.out.push_str(&format!("index {id}")),
            DeclKind::Chapter => self.out.push_str(&format!("chapter {id}")),
            DeclKind::Standard => self.out.push_str(&format!("standard {id}")),
            DeclKind::Uncertainty => self.out.push_str("uncertainty"),
            DeclKind::Scenario => self.out.push_str(&format!("scenario {id}")),
            DeclKind::Recommend { when } => {
                let mut s = String::new();
                write_expr_at(&mut s, when, 0, self.indent);
                self.out.push_str(&format!("recommend {id} when {s}"));
            }
            DeclKind::Require { cond, named } => {
                let mut s = String::new();
                write_expr_at(&mut s, cond, 0, self.indent);
                if *named {
                    self.out.push_str(&format!("require {id}: {s}"));
                } else {
                    self.out.push_str(&format!("require {s}"));
                }
            }
        }
        let needs_body =
            !matches!(d.kind, DeclKind::Question { .. } | DeclKind::Indicator { .. } | DeclKind::Require { .. })
                || !d.body.is_empty();
        if needs_body {
            self.body(&d.body, d.whole.end);
        } else {
            self.out.push('\n');
        }
    }

    fn item(&mut self, i: &Item) {
        let text = match &i.kind {
            ItemKind::Decl(d) => {
                self.decl(d);
                return;
            }
            ItemKind::Label(l, s) => format!("{} {}", l.name, quote(s)),
            ItemKind::Help(l, s) => format!("help {} {}", l.name, quote(s)),
            ItemKind::Note(l, s) => format!("note {} {}", l.name, quote(s)),
            ItemKind::Source(s) => format!("source {}", quote(s)),
            ItemKind::Version(s) => format!("version {}", quote(s)),
            ItemKind::Scale(r) => format!("scale {}", range_text(r)),
            ItemKind::Precision(p) => format!("precision {p}"),
            ItemKind::ScorePrecision(p) => format!("score_precision {p}"),
            ItemKind::Rounding(r) => format!("rounding {}", r.name),
            ItemKind::UnitName(l, s) => format!("unit_name {} {}", l.name, quote(s)),
            ItemKind::Languages(ls) => {
                format!("languages {}", ls.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", "))
            }
            ItemKind::Units(us) => {
                format!("units {}", us.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", "))
            }
            ItemKind::Unit(u) => format!("unit {}", quote(u)),
            ItemKind::UnitLabels(ls) => {
                let mut s = "unit".to_string();
                for (l, u) in ls {
                    s.push_str(&format!(" {} {}", l.name, quote(u)));
                }
                s
            }
            ItemKind::Range(r) => format!("range {}", range_text(r)),
            ItemKind::Presence(true) => "required".into(),
            ItemKind::Presence(false) => "optional".into(),
            ItemKind::Option(id, labels) => {
                let mut s = format!("option {}", id.name);
                for (l, t) in labels {
                    s.push_str(&format!(" {} {}", l.name, quote(t)));
                }
                s
            }
            ItemKind::Direction(true) => "higher_is_better".into(),
            ItemKind::Direction(false) => "lower_is_better".into(),
            ItemKind::ReportedOnly => "reported_only".into(),
            ItemKind::Score(r) => {
                let mut s = format!("score {}", r.name.name);
                if !r.args.is_empty() {
                    s.push('(');
                    s.push_str(&args(&r.args));
                    s.push(')');
                }
                if let Some(b) = &r.bands {
                    s.push(' ');
                    s.push_str(&band_block(b, self.indent, s.len()));
                }
                s
            }
            ItemKind::Weight(w) => format!("weight {}", shortest(*w)),
            ItemKind::WeightOf(e) => format!("weight {}", expr(e)),
            ItemKind::Weights(w) => {
                let mut s = name_args("weights", &w.method, &w.args);
                if !w.entries.is_empty() {
                    let entries: Vec<String> = w
                        .entries
                        .iter()
                        .map(|e| match &e.b {
                            Some(b) => format!("{} vs {}: {}", e.a.name, b.name, expr(&e.value)),
                            None => format!("{}: {}", e.a.name, expr(&e.value)),
                        })
                        .collect();
                    s.push_str(&format!(" {{ {} }}", entries.join(", ")));
                }
                s
            }
            ItemKind::Aggregate(n, a) => name_args("aggregate", n, a),
            ItemKind::Missing(n, a) => name_args("missing", n, a),
            ItemKind::Kind(k) => format!("kind {}", k.name),
            ItemKind::OutsideScale(k) => format!("outside_scale {}", k.name),
            ItemKind::Severity(k) => format!("severity {}", k.name),
            ItemKind::Requires(e) => format!("requires {}", expr(e)),
            ItemKind::Level(n, e) => format!("level {}: {}", n.name, expr(e)),
            ItemKind::Baseline(b) => format!("baseline {}", shortest(*b)),
            ItemKind::BaselineOf(e) => format!("baseline {}", expr(e)),
            ItemKind::Impute(n, a) => name_args("impute", n, a),
            ItemKind::Treat(n, a) => name_args("treat", n, a),
            ItemKind::Screen(a) => format!("screen({})", args(a)),
            ItemKind::Vary { what, target, spec } => {
                let mut s = format!("vary {}", what.name);
                if let Some(t) = target {
                    s.push(' ');
                    s.push_str(&t.name);
                }
                match spec {
                    VarySpec::None => {}
                    VarySpec::By(x, pct) => s.push_str(&format!(" by {}{}", shortest(*x), if *pct { "%" } else { "" })),
                    VarySpec::ByOf(e) => s.push_str(&format!(" by {}", expr(e))),
                    VarySpec::In(r) => s.push_str(&format!(" in {}", range_text(r))),
                    VarySpec::Among(alts) => {
                        let parts: Vec<String> = alts
                            .iter()
                            .map(
                                |(n, a)| if a.is_empty() { n.name.clone() } else { format!("{}({})", n.name, args(a)) },
                            )
                            .collect();
                        s.push_str(&format!(" among {}", parts.join(", ")));
                    }
                }
                s
            }
        };
        self.line(&text);
    }
}

fn name_args(kw: &str, n: &Ident, a: &[Arg]) -> String {
    if a.is_empty() {
        format!("{kw} {}", n.name)
    } else {
        format!("{kw} {}({})", n.name, args(a))
    }
}

fn args(a: &[Arg]) -> String {
    a.iter()
        .map(|a| {
            let of = match a.of {
                None => String::new(),
                Some(Of::Weight) => " of weight".into(),
                Some(Of::Children(n, _)) => format!(" of {n}"),
            };
            match &a.name {
                Some(n) => format!("{}: {}{of}", n.name, expr(&a.value)),
                None => format!("{}{of}", expr(&a.value)),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn band_block(b: &BandBlock, indent: usize, used: usize) -> String {
    let mut arms: Vec<String> = b.arms.iter().map(|(r, e)| format!("{} => {}", range_text(r), expr(e))).collect();
    if let Some(o) = &b.otherwise {
        arms.push(format!("else => {}", expr(o)));
    }
    let one = format!("{{ {} }}", arms.join(", "));
    if indent * 2 + used + one.len() <= 100 {
        one
    } else {
        let pad = "  ".repeat(indent + 1);
        let close = "  ".repeat(indent);
        format!("{{\n{}\n{close}}}", arms.iter().map(|a| format!("{pad}{a},")).collect::<Vec<_>>().join("\n"))
    }
}

fn qtype(t: &QType) -> String {
    match t {
        QType::Named(n) => n.name.clone(),
        QType::Choice(opts) => {
            format!("choice({})", opts.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", "))
        }
    }
}

/// A range as written: `0..=100`, `5<..10`, `..5`, `0..=cap` (a bound written by name keeps it).
pub fn range_text(r: &Range) -> String {
    let names = r.names.as_deref();
    let lo = match names.and_then(|n| n.lo.as_ref()) {
        Some(e) => expr(e),
        None => r.lo.map(|(x, _)| shortest(x)).unwrap_or_default(),
    };
    let hi = match names.and_then(|n| n.hi.as_ref()) {
        Some(e) => expr(e),
        None => r.hi.map(|(x, _)| shortest(x)).unwrap_or_default(),
    };
    let excl_lo = r.lo.is_some_and(|(_, inc)| !inc);
    let incl_hi = r.hi.is_some_and(|(_, inc)| inc);
    let op = match (excl_lo, incl_hi) {
        (false, false) => "..",
        (false, true) => "..=",
        (true, false) => "<..",
        (true, true) => "<..=",
    };
    format!("{lo}{op}{hi}")
}

/// A text in double quotes with escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// precedence levels, loosest first
const P_IF: u8 = 0;
const P_OR: u8 = 1;
const P_AND: u8 = 2;
const P_NOT: u8 = 3;
const P_CMP: u8 = 4;
const P_COALESCE: u8 = 5;
const P_ADD: u8 = 6;
const P_MUL: u8 = 7;
const P_NEG: u8 = 8;
const P_POW: u8 = 9;
const P_ATOM: u8 = 10;

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::If(..) => P_IF,
        ExprKind::Binary(op, ..) => match op {
            BinOp::Or => P_OR,
            BinOp::And => P_AND,
            BinOp::Coalesce => P_COALESCE,
            BinOp::Add | BinOp::Sub => P_ADD,
            BinOp::Mul | BinOp::Div => P_MUL,
            BinOp::Pow => P_POW,
            _ => P_CMP,
        },
        ExprKind::Chained(..) => P_CMP,
        ExprKind::Not(_) => P_NOT,
        ExprKind::Neg(_) => P_NEG,
        _ => P_ATOM,
    }
}

fn write_expr(out: &mut String, e: &Expr, min: u8) {
    write_expr_at(out, e, min, 0)
}

fn write_expr_at(out: &mut String, e: &Expr, min: u8, ind: usize) {
    let p = prec(e);
    let paren = p < min;
    if paren {
        out.push('(');
    }
    match &e.kind {
        ExprKind::Number(x) => out.push_str(&shortest(*x)),
        ExprKind::Percent(x) => {
            out.push_str(&shortest(*x));
            out.push('%');
        }
        ExprKind::Str(s) => out.push_str(&quote(s)),
        ExprKind::Bool(b) => out.push_str(if *b { "yes" } else { "no" }),
        ExprKind::Name(n) => out.push_str(&n.name),
        ExprKind::Neg(a) => {
            out.push('-');
            // `-(a ^ b)` keeps its parentheses: without them it reads like Excel's (-a)^b
            let min = if matches!(a.kind, ExprKind::Binary(BinOp::Pow, ..)) { P_ATOM } else { P_POW };
            write_expr_at(out, a, min, ind);
        }
        ExprKind::Not(a) => {
            out.push_str("not ");
            write_expr_at(out, a, P_NOT, ind);
        }
        ExprKind::Binary(op, a, b) => {
            let (lmin, rmin) = match op {
                BinOp::Pow => (P_ATOM, P_NEG),
                o if o.is_comparison() => (P_COALESCE, P_COALESCE),
                _ => (p, p + 1),
            };
            write_expr_at(out, a, lmin, ind);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_expr_at(out, b, rmin, ind);
        }
        ExprKind::Chained(parts, ops) => {
            for (k, part) in parts.iter().enumerate() {
                if k > 0 {
                    out.push(' ');
                    out.push_str(ops.get(k - 1).map(|o| o.symbol()).unwrap_or("<"));
                    out.push(' ');
                }
                write_expr_at(out, part, P_COALESCE, ind);
            }
        }
        ExprKind::If(c, t, f) => {
            out.push_str("if ");
            write_expr_at(out, c, 0, ind);
            out.push_str(" then ");
            write_expr_at(out, t, 0, ind);
            out.push_str(" else ");
            write_expr_at(out, f, 0, ind);
        }
        ExprKind::Call(n, a) => {
            out.push_str(&n.name);
            out.push('(');
            out.push_str(&args(a));
            out.push(')');
        }
        ExprKind::Standard(f, code) => {
            out.push_str(match f {
                StandardFn::Met => "met",
                StandardFn::Level => "level",
                StandardFn::Attainment => "attainment",
            });
            out.push('(');
            out.push_str(&code.name);
            out.push(')');
        }
        ExprKind::Bands(s, b) => {
            out.push_str("bands(");
            write_expr_at(out, s, 0, ind);
            out.push_str(") ");
            out.push_str(&band_block(b, ind, 0));
        }
        ExprKind::Match(s, arms, other) => {
            out.push_str("match(");
            write_expr_at(out, s, 0, ind);
            out.push_str(") { ");
            let mut parts: Vec<String> = arms
                .iter()
                .map(|(keys, v)| {
                    format!("{} => {}", keys.iter().map(|(k, _)| quote(k)).collect::<Vec<_>>().join(" | "), expr(v))
                })
                .collect();
            if let Some(o) = other {
                parts.push(format!("else => {}", expr(o)));
            }
            let one = parts.join(", ");
            if one.len() > 60 {
                let pad = "  ".repeat(ind + 1);
                out.truncate(out.len() - 1);
                out.push('\n');
                for p in &parts {
                    out.push_str(&format!("{pad}{p},\n"));
                }
                out.push_str(&"  ".repeat(ind));
                out.push('}');
            } else {
                out.push_str(&one);
                out.push_str(" }");
            }
        }
    }
    if paren {
        out.push(')');
    }
}
