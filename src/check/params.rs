//! Named constants and lookup tables (`const`, `table`): read before the check, and replaced by
//! their values wherever the rule files use them, so every later pass sees numbers.
//!
//! In: the parsed rule files and the table files the loader read (`load::TableFile`, CSV
//! text in the source map). Out: the same declarations with each constant's name and each table
//! lookup (`goalposts("release", "best")`) replaced by a number (at the place it was written, so
//! diagnostics still point there): in formulas and rules' arguments, and where a number stands on
//! its own (a range's end, `scale`, a band, `weight`, `baseline`, `vary … by`/`in`); the parameters
//! and tables for the model; diagnostics with the table file's line for a bad number, a missing
//! cell, a duplicate key; and the constants and tables nothing reads (a warning, see
//! [`unused_warnings`]).

use crate::diagnostics::{suggest, Code, Diag};
use crate::load::TableFile;
use crate::model::TableInfo;
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{self, Decl, DeclKind, Expr, ExprKind, ItemKind};
use indexmap::IndexMap;
use std::collections::HashSet;

/// The most rows a table may have (with its header): parameters published per indicator or per
/// state, not data.
pub const MAX_TABLE_ROWS: usize = 10_000;

/// One table as read: its columns (the key column excluded) and its rows by key.
struct Table {
    columns: Vec<String>,
    rows: IndexMap<String, Row>,
    /// Where the table is declared.
    decl: Span,
}

struct Row {
    cells: Vec<Option<f64>>,
    /// The row's line in the table file.
    span: Span,
}

/// What [`substitute`] found.
pub(crate) struct Params {
    /// The constants and their values, in declaration order.
    pub constants: IndexMap<String, f64>,
    /// The tables: file and SHA-256.
    pub tables: IndexMap<String, TableInfo>,
    /// The places of lookups that failed (reported): a 0 stands there, and what the checker
    /// says about a declaration around one is a consequence, not news.
    pub failed: Vec<Span>,
    /// The constants and tables never used (name, `constant` or `table`, the name's place).
    pub unused: Vec<(String, &'static str, Span)>,
}

/// Replaces every constant and table lookup in `files` by its value, and returns what was
/// declared. `tables` are the files read by the loader (none for a methodology given as text:
/// then a `table` declaration is an error), `table_names` their paths relative to the
/// methodology's folder.
pub(crate) fn substitute(
    files: &mut [(FileId, ast::File)],
    tables: &[TableFile],
    table_names: &[String],
    sources: &SourceMap,
    diags: &mut Vec<Diag>,
) -> Params {
    let mut out = Params { constants: IndexMap::new(), tables: IndexMap::new(), failed: vec![], unused: vec![] };
    // every other name the methodology declares, at any depth: a constant or table may not reuse one
    let mut taken: IndexMap<String, (&'static str, Span)> = IndexMap::new();
    for (_, f) in files.iter() {
        for d in &f.decls {
            names_of(d, &mut taken);
        }
    }
    let mut constants: IndexMap<String, (ExprKind, Span)> = IndexMap::new();
    let mut read: IndexMap<String, (Option<Table>, Span)> = IndexMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for (_, f) in files.iter() {
        for d in &f.decls {
            let name = &d.id.name;
            let clash = taken.get(name).map(|(k, s)| (*k, *s)).or_else(|| {
                constants
                    .get(name)
                    .map(|(_, s)| ("constant", *s))
                    .or_else(|| read.get(name).map(|(_, s)| ("table", *s)))
            });
            let what = match d.kind {
                DeclKind::Const { .. } => "constant",
                DeclKind::Table { .. } => "table",
                _ => continue,
            };
            if let Some((kind, at)) = clash {
                diags.push(
                    Diag::error(
                        Code::Duplicate,
                        format!("`{name}` is already declared as {} {kind}", super::article(kind)),
                    )
                    .at(d.id.span, "declared again here")
                    .also(at, "first declared here")
                    .help(format!("give the {what} another name")),
                );
                continue;
            }
            match &d.kind {
                DeclKind::Const { value } => {
                    let mut v = value.clone();
                    let no_tables = IndexMap::new();
                    let mut cx = Ctx {
                        constants: &constants,
                        tables: &no_tables,
                        taken: &taken,
                        diags,
                        failed: &mut vec![],
                        used: &mut used,
                    };
                    cx.replace(&mut v);
                    let kind = match fold(&v) {
                        Some((x, false)) => ExprKind::Number(x),
                        Some((x, true)) => ExprKind::Percent(x),
                        None => {
                            out.failed.push(value.span);
                            diags.push(
                                Diag::error(Code::Type, format!("the constant `{name}` must be a number"))
                                    .at(value.span, "not a number")
                                    .help("write a number (`0.25`, `25%`, `1/3`), or a constant declared before it"),
                            );
                            ExprKind::Number(0.0)
                        }
                    };
                    constants.insert(name.clone(), (kind, d.id.span));
                }
                DeclKind::Table { file, file_span } => {
                    let table = match tables.iter().position(|t| t.decl == *file_span) {
                        Some(k) => {
                            let t = &tables[k];
                            let text = &sources.get(t.file).text;
                            let shown = table_names.get(k).cloned().unwrap_or_else(|| sources.get(t.file).name.clone());
                            let table = parse(name, t.file, text, d.span, diags);
                            if table.is_some() {
                                let sha256 = crate::fingerprint::sha256_hex(text.as_bytes());
                                out.tables.insert(name.clone(), TableInfo { file: shown, sha256 });
                            }
                            table
                        }
                        None => {
                            // no file was read for it: the loader said why, or the methodology
                            // was given as text
                            let said = diags.iter().any(|x| x.primary.as_ref().is_some_and(|l| l.span == *file_span));
                            if !said {
                                diags.push(
                                    Diag::error(Code::Include, format!("the table's file `{file}` was not read: `table` needs a methodology read from files"))
                                        .at(*file_span, "here")
                                        .help("run `tamga check` on the folder or entry file"),
                                );
                            }
                            None
                        }
                    };
                    read.insert(name.clone(), (table, d.id.span));
                }
                _ => {}
            }
        }
    }
    out.constants = constants
        .iter()
        .map(|(k, (v, _))| {
            let x = match v {
                ExprKind::Number(x) | ExprKind::Percent(x) => *x,
                _ => 0.0,
            };
            (k.clone(), x)
        })
        .collect();
    let declared: Vec<(String, &'static str, Span)> = constants
        .iter()
        .map(|(k, (_, s))| (k.clone(), "constant", *s))
        .chain(read.iter().map(|(k, (_, s))| (k.clone(), "table", *s)))
        .collect();
    let lookups: IndexMap<String, Option<Table>> = read.into_iter().map(|(k, (t, _))| (k, t)).collect();
    let mut cx =
        Ctx { constants: &constants, tables: &lookups, taken: &taken, diags, failed: &mut out.failed, used: &mut used };
    for (_, f) in files.iter_mut() {
        for d in &mut f.decls {
            if matches!(d.kind, DeclKind::Const { .. } | DeclKind::Table { .. }) {
                continue;
            }
            cx.in_decl(d);
        }
    }
    // a constant or table declared and never read is likely a mistake (the checker's `unused`
    // warnings do not see them: they are gone from the formulas); `finish` says so when the
    // methodology has no error
    out.unused = declared.into_iter().filter(|(k, _, _)| !used.contains(k)).collect();
    out
}

/// The warnings for the constants and tables [`substitute`] found unused.
pub(crate) fn unused_warnings(params: &Params) -> Vec<Diag> {
    params
        .unused
        .iter()
        .map(|(name, kind, span)| {
            let (ru_kind, ru_label) = if *kind == "table" {
                ("таблица", "объявлена, но ни одна ячейка не читается")
            } else {
                ("константа", "объявлена, но нигде не используется")
            };
            Diag::warning(Code::Unused, format!("the {kind} `{name}` is not used"))
                .at(*span, "declared but never used")
                .help("remove it or use it")
                .ru(
                    format!("{ru_kind} `{name}` не используется"),
                    Some(ru_label.to_string()),
                    Some("удалите её или используйте".to_string()),
                )
        })
        .collect()
}

/// The value of a constant expression: numbers, percentages, constants already replaced, and
/// arithmetic on them (`1/3`, `2 * 0.5`, `-a`); a percentage (`25%`) only alone or negated. `None`
/// for anything else, or a result that is not finite.
fn fold(e: &Expr) -> Option<(f64, bool)> {
    let r = match &e.kind {
        ExprKind::Number(x) => (*x, false),
        ExprKind::Percent(x) => (*x, true),
        ExprKind::Neg(x) => fold(x).map(|(x, p)| (-x, p))?,
        ExprKind::Binary(op, a, b) => {
            let ((x, false), (y, false)) = (fold(a)?, fold(b)?) else { return None };
            let v = match op {
                ast::BinOp::Add => x + y,
                ast::BinOp::Sub => x - y,
                ast::BinOp::Mul => x * y,
                ast::BinOp::Div => x / y,
                ast::BinOp::Pow => libm::pow(x, y),
                _ => return None,
            };
            (v, false)
        }
        _ => return None,
    };
    r.0.is_finite().then_some(r)
}

/// Records the names a declaration (and everything inside it) declares.
fn names_of(d: &Decl, out: &mut IndexMap<String, (&'static str, Span)>) {
    let kind = match &d.kind {
        DeclKind::Question { .. } => Some("question"),
        DeclKind::Group => Some("group"),
        DeclKind::Indicator { .. } => Some("indicator"),
        DeclKind::Area => Some("area"),
        DeclKind::Index => Some("index"),
        DeclKind::Recommend { .. } => Some("recommendation"),
        _ => None,
    };
    if let Some(k) = kind {
        out.entry(d.id.name.clone()).or_insert((k, d.id.span));
    }
    for it in &d.body {
        if let ItemKind::Decl(inner) = &it.kind {
            names_of(inner, out);
        }
    }
}

/// What the replacement reads and writes, for one pass over the declarations.
struct Ctx<'a> {
    /// The constants declared (so far) and their values.
    constants: &'a IndexMap<String, (ExprKind, Span)>,
    /// The tables read (`None`: not read, already reported).
    tables: &'a IndexMap<String, Option<Table>>,
    /// The other names the methodology declares, for a message about a bound naming one.
    taken: &'a IndexMap<String, (&'static str, Span)>,
    diags: &'a mut Vec<Diag>,
    /// The places of failed lookups (see [`Params::failed`]).
    failed: &'a mut Vec<Span>,
    /// The constants and tables read somewhere.
    used: &'a mut HashSet<String>,
}

impl Ctx<'_> {
    /// Replaces in every expression of a declaration, nested ones included.
    fn in_decl(&mut self, d: &mut Decl) {
        match &mut d.kind {
            DeclKind::Indicator { formula: Some(e) } => self.replace(e),
            DeclKind::Recommend { when } => self.replace(when),
            DeclKind::Require { cond, .. } => self.replace(cond),
            DeclKind::Question { range: Some(r), .. } => self.range(r),
            _ => {}
        }
        for it in &mut d.body {
            match &mut it.kind {
                ItemKind::Decl(inner) => self.in_decl(inner),
                ItemKind::WeightOf(e) => {
                    // as a literal `weight 25%` is 25; a weight that cannot be read is 1 (an
                    // error is reported)
                    let w = self.number(e, "a weight").map_or(1.0, |(x, _)| x);
                    it.kind = ItemKind::Weight(w);
                }
                ItemKind::BaselineOf(e) => {
                    let x = self.number(e, "a baseline").map_or(0.0, |(x, _)| x);
                    it.kind = ItemKind::Baseline(x);
                }
                ItemKind::Scale(r) | ItemKind::Range(r) => self.range(r),
                ItemKind::Score(rule) => {
                    self.args(&mut rule.args);
                    if let Some(b) = &mut rule.bands {
                        self.block(b);
                    }
                }
                ItemKind::Aggregate(_, a)
                | ItemKind::Missing(_, a)
                | ItemKind::Impute(_, a)
                | ItemKind::Treat(_, a) => self.args(a),
                ItemKind::Screen(a) => self.args(a),
                ItemKind::Weights(w) => {
                    self.args(&mut w.args);
                    for entry in &mut w.entries {
                        self.replace(&mut entry.value);
                    }
                }
                ItemKind::Requires(e) | ItemKind::Level(_, e) => self.replace(e),
                ItemKind::Vary { spec, .. } => match spec {
                    ast::VarySpec::Among(alts) => {
                        for (_, a) in alts.iter_mut() {
                            self.args(a);
                        }
                    }
                    ast::VarySpec::In(r) => self.range(r),
                    ast::VarySpec::ByOf(e) => {
                        let (x, pct) = self.number(e, "a spread").unwrap_or((0.0, false));
                        *spec = ast::VarySpec::By(x, pct);
                    }
                    ast::VarySpec::None | ast::VarySpec::By(..) => {}
                },
                _ => {}
            }
        }
    }

    fn args(&mut self, args: &mut [ast::Arg]) {
        for a in args.iter_mut() {
            self.replace(&mut a.value);
        }
    }

    fn block(&mut self, b: &mut ast::BandBlock) {
        for (r, e) in b.arms.iter_mut() {
            self.range(r);
            self.replace(e);
        }
        if let Some(o) = &mut b.otherwise {
            self.replace(o);
        }
    }

    /// Puts the values of a range's bounds written by name (`0..=cap`) in their places.
    fn range(&mut self, r: &mut ast::Range) {
        let Some(names) = r.names.as_deref_mut() else { return };
        if let (Some(e), Some((x, _))) = (names.lo.as_mut(), r.lo.as_mut()) {
            *x = self.number(e, "a range's bound").map_or(0.0, |(v, _)| v);
        }
        if let (Some(e), Some((x, _))) = (names.hi.as_mut(), r.hi.as_mut()) {
            *x = self.number(e, "a range's bound").map_or(0.0, |(v, _)| v);
        }
    }

    /// The value of a number written by name where a literal stands (`cap`, `-cap`, a table's
    /// cell), and whether it is a percentage; `None` (reported) when it names no constant.
    fn number(&mut self, e: &mut Expr, what: &str) -> Option<(f64, bool)> {
        let mut name = &*e;
        while let ExprKind::Neg(inner) = &name.kind {
            name = inner;
        }
        if let ExprKind::Name(n) = &name.kind {
            if !self.constants.contains_key(&n.name) && !self.tables.contains_key(&n.name) {
                let n = n.clone();
                let rule = format!(
                    "{what} is a number, a constant (`const {} = 100` at the top level) or a table's cell",
                    n.name
                );
                let ru = format!(
                    "{} — число, константа (`const {} = 100` в начале файла) или ячейка таблицы",
                    ru_what(what),
                    n.name
                );
                let (en, ru) = match self.taken.get(&n.name) {
                    Some((kind, _)) => (
                        format!(
                            "`{}` is {} {kind}, not a constant: {what} is a number, a constant or a table's cell",
                            n.name,
                            super::article(kind)
                        ),
                        format!(
                            "`{}` — {}, а не константа; {} — число, константа или ячейка таблицы",
                            n.name,
                            ru_kind(kind),
                            ru_what(what)
                        ),
                    ),
                    None => (rule, ru),
                };
                self.unknown(&n, &en, &ru);
                return None;
            }
        }
        let failed = self.failed.len();
        self.replace(e);
        if self.failed.len() > failed {
            return None; // reported
        }
        let v = fold(e);
        if v.is_none() {
            self.diags.push(
                Diag::error(Code::Type, format!("{what} must be a number"))
                    .at(e.span, "not a number")
                    .help("write a number, a constant (`cap`, `-cap`) or a table's cell (`goalposts(\"release\", \"best\")`)")
                    .ru(
                        format!("{} долж{} быть числом", ru_what(what), if what == "a weight" { "ен" } else { "на" }),
                        Some("не число".to_string()),
                        Some("напишите число, константу (`cap`, `-cap`) или ячейку таблицы (`goalposts(\"release\", \"best\")`)".to_string()),
                    ),
            );
            self.failed.push(e.span);
        }
        v
    }

    /// Reports a name that is not a declared constant, with the constants near it; `hint`
    /// (English, Russian) says what may stand there, when no constant is near.
    fn unknown(&mut self, n: &ast::Ident, hint: &str, hint_ru: &str) {
        let names: Vec<&str> = self.constants.keys().map(String::as_str).collect();
        let (en, ru) = match suggest(&n.name, names.iter().copied()) {
            Some(s) => (format!("did you mean `{s}`?"), format!("возможно, имелась в виду константа `{s}`?")),
            None if names.is_empty() => {
                (format!("{hint}; no constant is declared"), format!("{hint_ru}; констант не объявлено"))
            }
            None => {
                let listed =
                    if names.len() > 12 { format!("{}, …", names[..12].join(", ")) } else { names.join(", ") };
                (format!("{hint}; the constants: {listed}"), format!("{hint_ru}; объявлены константы: {listed}"))
            }
        };
        self.diags.push(
            Diag::error(Code::UnknownName, format!("unknown constant `{}`", n.name))
                .at(n.span, "not a declared constant")
                .help(en)
                .ru(
                    format!("неизвестная константа `{}`", n.name),
                    Some("константа не объявлена".to_string()),
                    Some(ru),
                ),
        );
        self.failed.push(n.span);
    }

    /// Replaces constants and table lookups inside one expression.
    fn replace(&mut self, e: &mut Expr) {
        let new = match &mut e.kind {
            ExprKind::Name(n) => {
                if let Some((v, _)) = self.constants.get(&n.name) {
                    self.used.insert(n.name.clone());
                    Some(v.clone())
                } else if self.tables.contains_key(&n.name) {
                    self.used.insert(n.name.clone());
                    self.diags.push(
                        Diag::error(Code::Arguments, format!("`{}` is a table: read one cell of it", n.name))
                            .at(n.span, "a table")
                            .help(format!(
                                "write `{}(\"key\", \"column\")`: the row's key (first column) and the column's name",
                                n.name
                            )),
                    );
                    self.failed.push(n.span);
                    Some(ExprKind::Number(0.0))
                } else {
                    None
                }
            }
            ExprKind::Call(f, args) if self.tables.contains_key(&f.name) => {
                self.used.insert(f.name.clone());
                let table = self.tables.get(&f.name).and_then(Option::as_ref);
                let x = lookup(&f.name, table, args, e.span, self.diags);
                if x.is_none() {
                    self.failed.push(e.span);
                }
                Some(ExprKind::Number(x.unwrap_or(0.0)))
            }
            ExprKind::Number(_)
            | ExprKind::Percent(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Standard(..) => None,
            ExprKind::Neg(x) | ExprKind::Not(x) => {
                self.replace(x);
                None
            }
            ExprKind::Binary(_, a, b) => {
                self.replace(a);
                self.replace(b);
                None
            }
            ExprKind::Chained(xs, _) => {
                for x in xs.iter_mut() {
                    self.replace(x);
                }
                None
            }
            ExprKind::If(c, a, b) => {
                self.replace(c);
                self.replace(a);
                self.replace(b);
                None
            }
            ExprKind::Call(_, args) => {
                self.args(args);
                None
            }
            ExprKind::Bands(x, b) => {
                self.replace(x);
                self.block(b);
                None
            }
            ExprKind::Match(x, arms, otherwise) => {
                self.replace(x);
                for (_, a) in arms.iter_mut() {
                    self.replace(a);
                }
                if let Some(o) = otherwise {
                    self.replace(o);
                }
                None
            }
        };
        if let Some(k) = new {
            e.kind = k;
        }
    }
}

/// A declared name's kind in Russian, for «`q5` — вопрос, а не константа».
fn ru_kind(kind: &str) -> &'static str {
    match kind {
        "question" => "вопрос",
        "group" => "группа вопросов",
        "indicator" => "индикатор",
        "area" => "направление",
        "recommendation" => "рекомендация",
        "index" => "индекс",
        _ => "имя",
    }
}

/// The Russian words for what [`Ctx::number`] reads, all feminine as the message agrees.
fn ru_what(what: &str) -> &'static str {
    match what {
        "a baseline" => "базовая величина",
        "a weight" => "вес",
        "a spread" => "величина разброса",
        _ => "граница диапазона",
    }
}

/// `goalposts("release", "best")`: the cell of the row `release`, column `best`.
fn lookup(name: &str, table: Option<&Table>, args: &[ast::Arg], span: Span, diags: &mut Vec<Diag>) -> Option<f64> {
    let table = table?; // not read: already reported
    let word = |a: &ast::Arg| match &a.value.kind {
        ExprKind::Str(s) => Some(s.clone()),
        ExprKind::Name(n) => Some(n.name.clone()),
        ExprKind::Number(x) => Some(crate::number::shortest(*x)),
        _ => None,
    };
    let (key, column) = match args {
        [k, c] if k.name.is_none() && c.name.is_none() => match (word(k), word(c)) {
            (Some(k), Some(c)) => (k, c),
            _ => {
                diags.push(
                    Diag::error(Code::Arguments, format!("the key and the column of `{name}` must be written here"))
                        .at(span, "here")
                        .help(format!("write `{name}(\"release\", \"best\")`: a row's key and a column's name")),
                );
                return None;
            }
        },
        _ => {
            diags.push(
                Diag::error(Code::Arguments, format!("`{name}` is a table: it takes a row's key and a column's name"))
                    .at(span, "here")
                    .help(format!(
                        "write `{name}(\"{}\", \"{}\")`",
                        table.rows.keys().next().map(String::as_str).unwrap_or("key"),
                        table.columns.first().map(String::as_str).unwrap_or("column")
                    )),
            );
            return None;
        }
    };
    let Some(col) = table.columns.iter().position(|c| *c == column) else {
        let mut d = Diag::error(Code::UnknownName, format!("the table `{name}` has no column `{column}`"))
            .at(args[1].value.span, "unknown column")
            .also(table.decl, "the table");
        d = d.help(match suggest(&column, table.columns.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? its columns: {}", table.columns.join(", ")),
            None => format!("its columns: {}", table.columns.join(", ")),
        });
        diags.push(d);
        return None;
    };
    let Some(row) = table.rows.get(&key) else {
        let keys: Vec<&str> = table.rows.keys().map(String::as_str).collect();
        let listed = if keys.len() > 12 { format!("{}, …", keys[..12].join(", ")) } else { keys.join(", ") };
        diags.push(
            Diag::error(Code::UnknownName, format!("the table `{name}` has no row `{key}`"))
                .at(args[0].value.span, "unknown key")
                .also(table.decl, "the table")
                .help(match suggest(&key, keys.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? its keys (first column): {listed}"),
                    None => format!("its keys (first column): {listed}"),
                }),
        );
        return None;
    };
    match row.cells.get(col).copied().flatten() {
        Some(x) => Some(x),
        None => {
            diags.push(
                Diag::error(Code::MissingProperty, format!("the table `{name}` has no value for `{key}`, `{column}`"))
                    .at(span, "read here")
                    .also(row.span, "the row, its cell empty")
                    .help("fill the cell in the table's file"),
            );
            None
        }
    }
}

/// Reads a table's CSV text: a header line (the key column, then the columns' names), then one row
/// per key. The delimiter is `,`, or `;` when the header holds more `;` than `,`, or a tab.
fn parse(name: &str, file: FileId, text: &str, decl: Span, diags: &mut Vec<Diag>) -> Option<Table> {
    // spans count from the file's start, byte-order mark included
    let offset = if text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
    let text = &text[offset..];
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') && !first.contains(';') {
        b'\t'
    } else if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let line_span = |start: usize| {
        let end = text[start.min(text.len())..].find(['\n', '\r']).map_or(text.len(), |k| start + k);
        Span::new(file, start + offset, end + offset)
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        _ => {
            diags.push(
                Diag::error(Code::Include, format!("the table `{name}` is empty"))
                    .at(decl, "declared here")
                    .help("its first line names the columns: `indicator,best,worst`; then one line per row"),
            );
            return None;
        }
    };
    let header_span = line_span(0);
    let columns: Vec<String> = header.iter().skip(1).map(|c| c.trim().to_string()).collect();
    let mut failed = false;
    if columns.is_empty() {
        diags.push(
            Diag::error(Code::Include, format!("the table `{name}` has no column besides its keys"))
                .at(header_span, "the header")
                .help("the first line names the key column, then the columns: `indicator,best,worst`"),
        );
        return None;
    }
    let mut seen = HashSet::new();
    for c in &columns {
        if c.is_empty() || !seen.insert(c.clone()) {
            diags.push(
                Diag::error(
                    Code::Include,
                    format!(
                        "the table `{name}` has {}",
                        if c.is_empty() { "a column without a name".to_string() } else { format!("two columns `{c}`") }
                    ),
                )
                .at(header_span, "the header")
                .help("name every column once"),
            );
            failed = true;
        }
    }
    let mut rows: IndexMap<String, Row> = IndexMap::new();
    for (k, rec) in records.enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map(|p| p.byte() as usize).unwrap_or(0);
                diags.push(
                    Diag::error(Code::Include, format!("the table `{name}` cannot be read: {e}"))
                        .at(line_span(at), "here")
                        .help("a table is CSV text: one row per line, cells separated by `,` (or `;`)"),
                );
                return None;
            }
        };
        if k + 1 >= MAX_TABLE_ROWS {
            diags.push(
                Diag::error(Code::Include, format!("the table `{name}` has more than {MAX_TABLE_ROWS} rows"))
                    .at(decl, "declared here")
                    .help("a table holds the methodology's parameters (goalposts, weights), not data"),
            );
            return None;
        }
        let start = rec.position().map(|p| p.byte() as usize).unwrap_or(0);
        let span = line_span(start);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let key = rec.get(0).unwrap_or("").trim().to_string();
        if rec.len() != columns.len() + 1 {
            let comma = delimiter == b','
                && rec.len() > columns.len() + 1
                && rec.iter().skip(1).any(|c| c.trim().chars().all(|ch| ch.is_ascii_digit()));
            diags.push(
                Diag::error(
                    Code::Include,
                    format!(
                        "the row `{key}` of the table `{name}` has {} cells, the header {}",
                        rec.len(),
                        columns.len() + 1
                    ),
                )
                .at(span, "this row")
                .help(if comma {
                    "a number with a decimal comma (`0,25`) is read as two cells: write `0.25`".to_string()
                } else {
                    format!("give each row a key and {} values (an empty cell: no value)", columns.len())
                }),
            );
            failed = true;
            continue;
        }
        if key.is_empty() {
            diags.push(
                Diag::error(Code::Include, format!("a row of the table `{name}` has no key"))
                    .at(span, "this row")
                    .help("the first cell of each row is its key: the name a rule file reads it by"),
            );
            failed = true;
            continue;
        }
        let mut cells = vec![];
        for (c, cell) in rec.iter().skip(1).enumerate() {
            let t = cell.trim();
            if t.is_empty() {
                cells.push(None);
                continue;
            }
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() && !t.chars().any(|ch| ch.is_ascii_alphabetic() && ch != 'e' && ch != 'E') => {
                    cells.push(Some(x))
                }
                _ => {
                    let comma =
                        t.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite) && t.matches(',').count() == 1;
                    diags.push(
                        Diag::error(
                            Code::BadNumber,
                            format!(
                                "`{t}` in the table `{name}` (row `{key}`, column `{}`) is not a number",
                                columns[c]
                            ),
                        )
                        .at(span, "this row")
                        .help(if comma {
                            format!(
                                "`{t}` is written with a decimal comma: write `{}`; tables use a decimal point",
                                t.replace(',', ".")
                            )
                        } else {
                            "write a number (`0.25`, `-3`, `1e6`), or leave the cell empty for no value".to_string()
                        }),
                    );
                    failed = true;
                    cells.push(None);
                }
            }
        }
        if let Some(first) = rows.get(&key) {
            diags.push(
                Diag::error(Code::Duplicate, format!("the table `{name}` has two rows `{key}`"))
                    .at(span, "second row")
                    .also(first.span, "first row")
                    .help("give each row its own key"),
            );
            failed = true;
            continue;
        }
        rows.insert(key, Row { cells, span });
    }
    (!failed).then_some(Table { columns, rows, decl })
}
