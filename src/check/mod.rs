//! Stage 2, check: AST → [`Model`].
//!
//! Resolves names to slots, checks types, units, weights, bands and cycles, compiles every
//! formula to [`Ir`] and orders the evaluation plan. It reports every problem it finds, not only
//! the first: a declaration with an error is still checked as far as it can be, and errors are
//! not repeated downstream (an unknown type yields `Ty::Error`, which is silently compatible).

mod adhoc;
mod defaults;
mod expr;
mod load;
mod plan;
mod units;

pub use defaults::{to_text as defaults_text, Defaulted};

pub use adhoc::{check_expr, Adhoc, EXPR_FILE};
pub use load::{
    display_path, entry_in, entry_path, load_from as load_files, normalise, parse_spec, read_text, Loaded, Store,
    ENTRY_FILE, MAX_FILE_BYTES,
};

use crate::diagnostics::{self, Code, Diag, Diags};
use crate::model::*;
use crate::number::{Rounding, MAX_PRECISION};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Decl, DeclKind, ExprKind as ExprKindRef, Item, ItemKind};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::path::Path;
use units::Unit;

/// A checked methodology with the sources it came from.
#[derive(Debug, Clone)]
pub struct Methodology {
    /// The compiled model.
    pub model: Model,
    /// The rule files (for diagnostics and traces).
    pub sources: SourceMap,
    /// SHA-256 (hex) of the methodology's canonical form: unchanged by layout, comments and the
    /// order of top-level declarations; changed by any change of meaning or of a label.
    pub fingerprint: String,
    /// Each rule file's hashes, by path relative to the methodology's folder.
    pub files: IndexMap<String, crate::version::FileLock>,
    /// The manifest, if any.
    pub manifest: Option<crate::version::Manifest>,
    /// The methodology's folder as shown, when a folder was given.
    pub folder: Option<String>,
}

impl Methodology {
    /// Whether the methodology is approved (and, having passed `check`, matches its lock).
    pub fn is_approved(&self) -> bool {
        self.manifest.as_ref().is_some_and(|m| m.status == crate::version::Status::Approved)
    }
}

/// What [`check`] found: the model if there were no errors, and every diagnostic.
pub struct Checked {
    /// The rule files read.
    pub sources: SourceMap,
    /// The model, if there were no errors.
    pub model: Option<Model>,
    /// Errors and warnings, sorted by place.
    pub diags: Diags,
    /// The fingerprint, when every file parsed.
    pub fingerprint: Option<String>,
    /// Each rule file's hashes, by path relative to the methodology's folder.
    pub files: IndexMap<String, crate::version::FileLock>,
    /// The manifest, when the methodology is a folder with `methodology.toml`.
    pub manifest: Option<crate::version::Manifest>,
    /// The methodology's folder as shown (`rules/eaeu`, `git:HEAD:rules/eaeu`), when a folder was given.
    pub folder: Option<String>,
    /// The properties left unwritten whose defaults change a number (empty when it does not check).
    pub defaults: Vec<Defaulted>,
}

impl Checked {
    /// The methodology, if the check succeeded.
    pub fn methodology(self) -> Result<(Methodology, Diags), (SourceMap, Diags)> {
        match self.model {
            Some(model) => Ok((
                Methodology {
                    model,
                    sources: self.sources,
                    fingerprint: self.fingerprint.unwrap_or_default(),
                    files: self.files,
                    manifest: self.manifest,
                    folder: self.folder,
                },
                self.diags,
            )),
            None => Err((self.sources, self.diags)),
        }
    }
}

/// Reads, parses and checks the methodology at `path`: a folder with `methodology.tamga`, a rule
/// file, or `git:REV:path` for either at a git revision (read with the `git` command).
pub fn check(path: &Path) -> Checked {
    let mut sources = SourceMap::new();
    let mut diags = vec![];
    let (store, path) = load::parse_spec(path);
    let entry = match load::entry_in(&store, &path) {
        Ok(e) => e,
        Err(d) => return Checked::failed(sources, vec![d]),
    };
    let is_dir = store.is_dir(&path);
    let loaded = load::load_from(&store, &entry, &mut sources, &mut diags);
    let base = if is_dir { normalise(&path) } else { normalise(path.parent().unwrap_or(Path::new(""))) };
    let rel: Vec<String> =
        loaded.paths.iter().map(|p| display_path(normalise(p).strip_prefix(&base).unwrap_or(p))).collect();
    let mut checked = finish(sources, loaded.files, diags, &rel);
    if is_dir {
        checked.folder = Some(store.show(&path));
        crate::version::attach(&store, &path, &mut checked);
    }
    checked
}

impl Checked {
    fn failed(sources: SourceMap, diags: Diags) -> Checked {
        Checked {
            sources,
            model: None,
            diags,
            fingerprint: None,
            files: IndexMap::new(),
            manifest: None,
            folder: None,
            defaults: vec![],
        }
    }
}

/// Checks a methodology given as text (one file, no includes): for tests and examples.
pub fn check_text(name: &str, text: &str) -> Checked {
    let mut sources = SourceMap::new();
    let id = sources.add(name, text);
    match crate::syntax::parse_file(id, text) {
        Ok(file) => {
            let mut diags = vec![];
            for d in file.decls.iter().filter(|d| matches!(d.kind, DeclKind::Include)) {
                diags.push(
                    Diag::error(Code::Include, "`include` needs a methodology read from files")
                        .at(d.span, "here")
                        .help("run `tamga check` on the folder or entry file"),
                );
            }
            finish(sources, vec![(id, file)], diags, &[name.to_string()])
        }
        Err(diags) => Checked::failed(sources, diags),
    }
}

/// The smallest and largest positive weight: a subnormal weight (5e-324) or a huge one loses the
/// result's precision when multiplied by a score (issue #15); weights are relative, so any
/// sensible scheme fits.
pub const MIN_WEIGHT: f64 = 1e-9;
/// See [`MIN_WEIGHT`].
pub const MAX_WEIGHT: f64 = 1e9;

fn finish(
    sources: SourceMap,
    files: Vec<(crate::source::FileId, ast::File)>,
    mut diags: Diags,
    names: &[String],
) -> Checked {
    let syntax_failed = diagnostics::has_errors(&diags);
    for (id, _) in &files {
        diags.extend(load::bidi_warnings(*id, &sources.get(*id).text));
    }
    let (model, mut defaults) = if files.is_empty() {
        (None, vec![])
    } else {
        let decls: Vec<&Decl> = files.iter().flat_map(|(_, f)| f.decls.iter()).collect();
        let mut c = Checker::new(&sources);
        let model = c.run(&decls);
        diags.extend(c.diags);
        (model, c.defaults)
    };
    diagnostics::sort(&mut diags);
    let model = if syntax_failed || diagnostics::has_errors(&diags) { None } else { model };
    if model.is_none() {
        defaults.clear();
    }
    let sha = crate::fingerprint::sha256_hex;
    let fingerprint = (!syntax_failed).then(|| {
        let asts: Vec<&ast::File> = files.iter().map(|(_, f)| f).collect();
        sha(crate::syntax::print::canonical(&asts).as_bytes())
    });
    let hashes = files
        .iter()
        .zip(names)
        .map(|((id, f), name)| {
            let lock = crate::version::FileLock {
                sha256: sha(sources.get(*id).text.as_bytes()),
                canonical: sha(crate::syntax::print::canonical(&[f]).as_bytes()),
            };
            (name.clone(), lock)
        })
        .collect();
    Checked { sources, model, diags, fingerprint, files: hashes, manifest: None, folder: None, defaults }
}

// ───────────────────────────── types ─────────────────────────────

/// The type of an expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// A number with a unit.
    Num(Unit),
    /// yes/no.
    Bool,
    /// One of a list of options.
    Choice(ChoiceSet),
    /// A text literal (only meaningful compared with a choice).
    Str(String),
    /// Already reported: compatible with everything, to avoid cascades.
    Error,
}

impl Ty {
    fn describe(&self) -> String {
        match self {
            Ty::Num(u) if u.is_plain() => "a number".into(),
            Ty::Num(u) => format!("a number in {u}"),
            Ty::Bool => "yes/no".into(),
            Ty::Choice(_) => "a choice".into(),
            Ty::Str(_) => "a text".into(),
            Ty::Error => "an unknown value".into(),
        }
    }
}

/// Which list of options a choice value comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ChoiceSet {
    /// A question's options.
    Question(usize),
    /// Missing reasons (and `present`), from `missing_reason(x)`.
    Reasons,
    /// A standard's levels (and `none`), from `level(code)`.
    Levels(usize),
}

/// What a top-level name refers to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Def {
    Question(usize),
    Group(usize),
    Indicator(usize),
    Area(usize),
    Recommend(usize),
}

/// "a" or "an" before a word.
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl Def {
    fn kind(self) -> &'static str {
        match self {
            Def::Question(_) => "question",
            Def::Group(_) => "group",
            Def::Indicator(_) => "indicator",
            Def::Area(_) => "area",
            Def::Recommend(_) => "recommendation",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum TyState {
    NotStarted,
    InProgress,
    Done(Ty, Option<u32>),
}

struct ADecl<'a> {
    decl: Option<&'a Decl>,
    parent: Option<usize>,
    is_index: bool,
}

/// The checker's working state.
pub(crate) struct Checker<'a> {
    src: &'a SourceMap,
    diags: Diags,
    names: IndexMap<String, (Def, Span)>,
    codes: IndexMap<String, Span>,
    header: Option<&'a Decl>,
    q_decls: Vec<(&'a Decl, Option<usize>)>,
    g_decls: Vec<&'a Decl>,
    i_decls: Vec<(&'a Decl, Option<usize>)>,
    a_decls: Vec<ADecl<'a>>,
    c_decls: Vec<&'a Decl>,
    s_decls: Vec<(&'a Decl, Option<usize>)>,
    r_decls: Vec<&'a Decl>,
    req_decls: Vec<&'a Decl>,
    // model under construction
    header_model: Header,
    questions: IndexMap<String, Question>,
    groups: IndexMap<String, Group>,
    indicators: IndexMap<String, Indicator>,
    ind_state: Vec<TyState>,
    areas: IndexMap<String, Area>,
    chapters: IndexMap<String, Chapter>,
    standards: IndexMap<String, Standard>,
    recs: IndexMap<String, Recommendation>,
    rules: IndexMap<String, Rule>,
    slots: Vec<SlotKind>,
    slot_spans: Vec<Span>,
    steps: Vec<Option<Step>>,
    deps: Vec<Vec<(Slot, Span)>>,
    origins: Vec<Origin>,
    column_memo: HashMap<(String, Slot), Slot>,
    used: Vec<bool>,
    index_id: String,
    code_score: Slot,
    root: usize,
    screen: Option<Screen>,
    u_decl: Option<&'a Decl>,
    uncertainty: Option<Uncertainty>,
    bad_type: Vec<Slot>,
    area_ids: Vec<String>,
    area_slots: Vec<Slot>,
    /// How each area's `min:` threshold was written.
    min_written: HashMap<String, MinWritten>,
    /// The defaults the methodology relies on.
    defaults: Vec<Defaulted>,
}

/// How a `reweight(min: …)` threshold was written.
#[derive(Debug, Clone)]
enum MinWritten {
    /// `min: 2/3`: a share of the weight, without saying so, and the share as written.
    Bare(Span, String),
    /// `min: 2/3 of weight`.
    Weight,
    /// `min: 4 of 6`: the 6, and where it is written.
    Children(u32, Span),
}

const ALLOWED: &[(&str, &[&str])] = &[
    (
        "methodology",
        &[
            "label",
            "version",
            "scale",
            "precision",
            "score_precision",
            "rounding",
            "unit_name",
            "languages",
            "units",
            "note",
            "source",
            "help",
            "screen",
            "outside_scale",
        ],
    ),
    ("question", &["label", "help", "note", "source", "unit", "range", "required", "optional", "option"]),
    ("group", &["label", "help", "note", "source", "missing", "question"]),
    (
        "indicator",
        &[
            "label",
            "help",
            "note",
            "source",
            "unit",
            "precision",
            "higher_is_better",
            "lower_is_better",
            "score",
            "weight",
            "impute",
            "treat",
            "reported_only",
            "outside_scale",
        ],
    ),
    (
        "area",
        &["label", "help", "note", "source", "weight", "aggregate", "missing", "impute", "treat", "indicator", "area"],
    ),
    (
        "index",
        &["label", "help", "note", "source", "aggregate", "missing", "impute", "treat", "screen", "indicator", "area"],
    ),
    ("chapter", &["label", "help", "note", "source", "standard"]),
    ("standard", &["label", "help", "note", "source", "kind", "requires", "level", "baseline"]),
    ("recommend", &["label", "help", "note", "source"]),
    ("require", &["label", "help", "note", "source", "severity"]),
    ("uncertainty", &["label", "help", "note", "source", "vary"]),
];

/// Items that may be given more than once.
const REPEATABLE: &[&str] =
    &["label", "help", "note", "option", "level", "question", "indicator", "area", "standard", "unit_name", "vary"];

fn allowed(kind: &str) -> &'static [&'static str] {
    ALLOWED.iter().find(|(k, _)| *k == kind).map(|(_, a)| *a).unwrap_or(&[])
}

fn belongs_to(item: &str) -> Vec<&'static str> {
    ALLOWED.iter().filter(|(_, a)| a.contains(&item)).map(|(k, _)| *k).collect()
}

impl<'a> Checker<'a> {
    fn new(src: &'a SourceMap) -> Self {
        Checker {
            src,
            diags: vec![],
            names: IndexMap::new(),
            codes: IndexMap::new(),
            header: None,
            q_decls: vec![],
            g_decls: vec![],
            i_decls: vec![],
            a_decls: vec![],
            c_decls: vec![],
            s_decls: vec![],
            r_decls: vec![],
            req_decls: vec![],
            header_model: Header {
                id: String::new(),
                version: String::new(),
                title: Labels::new(),
                scale: (0.0, 100.0),
                precision: 1,
                score_precision: 1,
                rounding: Rounding::default(),
                languages: vec![],
                unit_name: Labels::new(),
                units: vec![],
            },
            questions: IndexMap::new(),
            groups: IndexMap::new(),
            indicators: IndexMap::new(),
            ind_state: vec![],
            areas: IndexMap::new(),
            chapters: IndexMap::new(),
            standards: IndexMap::new(),
            recs: IndexMap::new(),
            rules: IndexMap::new(),
            slots: vec![],
            slot_spans: vec![],
            steps: vec![],
            deps: vec![],
            origins: vec![],
            column_memo: HashMap::new(),
            used: vec![],
            index_id: String::new(),
            code_score: Slot(0),
            root: 0,
            screen: None,
            u_decl: None,
            uncertainty: None,
            bad_type: vec![],
            area_ids: vec![],
            area_slots: vec![],
            min_written: HashMap::new(),
            defaults: vec![],
        }
    }

    fn err(&mut self, d: Diag) {
        self.diags.push(d);
    }

    fn slot(&mut self, kind: SlotKind, span: Span) -> Slot {
        self.slots.push(kind);
        self.slot_spans.push(span);
        self.steps.push(None);
        self.deps.push(vec![]);
        self.used.push(false);
        Slot((self.slots.len() - 1) as u32)
    }

    fn origin(&mut self, slot: Slot, span: Span) -> u32 {
        let text = if span.is_empty() { String::new() } else { self.src.slice(span).to_string() };
        self.origins.push(Origin { slot, span, text });
        (self.origins.len() - 1) as u32
    }

    fn set_step(&mut self, slot: Slot, step: Step) {
        self.steps[slot.0 as usize] = Some(step);
    }

    fn run(&mut self, decls: &[&'a Decl]) -> Option<Model> {
        for d in decls {
            self.collect(d, Ctx::Top);
        }
        self.check_header();
        self.questions_pass();
        self.indicator_entries();
        self.area_entries();
        self.standard_entries();
        self.indicators_pass();
        self.areas_pass();
        self.unaggregated_pass();
        self.standards_pass();
        self.recommendations_pass();
        self.rules_pass();
        self.screen_pass();
        self.uncertainty_pass();
        self.unused_pass();
        self.defaults = self.defaults_pass();
        let plan = self.plan();
        let plan = plan?;
        Some(Model {
            header: self.header_model.clone(),
            questions: std::mem::take(&mut self.questions),
            groups: std::mem::take(&mut self.groups),
            indicators: std::mem::take(&mut self.indicators),
            areas: std::mem::take(&mut self.areas),
            index: self.index_id.clone(),
            chapters: std::mem::take(&mut self.chapters),
            standards: std::mem::take(&mut self.standards),
            code_score: self.code_score,
            recommendations: std::mem::take(&mut self.recs),
            rules: std::mem::take(&mut self.rules),
            screen: self.screen,
            uncertainty: self.uncertainty.take(),
            slots: std::mem::take(&mut self.slots),
            origins: std::mem::take(&mut self.origins),
            plan,
        })
    }

    // ───────────── collection: names, nesting, placement ─────────────

    fn declare(&mut self, id: &ast::Ident, def: Def) -> bool {
        if let Some((prev, span)) = self.names.get(&id.name) {
            let (prev, span) = (*prev, *span);
            self.err(
                Diag::error(Code::Duplicate, format!("`{}` is declared twice", id.name))
                    .at(id.span, format!("this {} has the same id", def.kind()))
                    .also(span, format!("first declared here as {} {}", article(prev.kind()), prev.kind()))
                    .help("ids are unique across questions, groups, indicators, areas and recommendations: rename one"),
            );
            return false;
        }
        self.names.insert(id.name.clone(), (def, id.span));
        true
    }

    fn declare_code(&mut self, id: &ast::Ident, what: &str) -> bool {
        if let Some(span) = self.codes.get(&id.name) {
            let span = *span;
            self.err(
                Diag::error(Code::Duplicate, format!("`{}` is declared twice", id.name))
                    .at(id.span, format!("this {what} has the same code"))
                    .also(span, "first declared here")
                    .help("chapter and standard codes are unique: renumber one"),
            );
            return false;
        }
        self.codes.insert(id.name.clone(), id.span);
        true
    }

    fn collect(&mut self, d: &'a Decl, ctx: Ctx) {
        let kind = d.kind.keyword();
        // where a declaration may appear
        let ok_here = matches!(
            (&d.kind, ctx),
            (DeclKind::Question { .. }, Ctx::Top | Ctx::Group(_))
                | (DeclKind::Indicator { .. }, Ctx::Top | Ctx::Area(_))
                | (DeclKind::Area, Ctx::Top | Ctx::Area(_))
                | (DeclKind::Standard, Ctx::Top | Ctx::Chapter(_))
                | (_, Ctx::Top)
        );
        if !ok_here {
            let place = ctx.name();
            self.err(
                Diag::error(Code::Misplaced, format!("{} {kind} cannot be declared inside {place}", article(kind)))
                    .at(d.span, "declared here")
                    .help(match &d.kind {
                        DeclKind::Question { .. } => "declare questions at the top level or inside a `group`",
                        DeclKind::Indicator { .. } => "declare indicators at the top level or inside an `area`",
                        DeclKind::Standard => "declare standards at the top level or inside a `chapter`",
                        _ => "move it to the top level",
                    }),
            );
            // still declare it (as if at the top level), so its uses do not cascade into "unknown name"
            return self.collect(d, Ctx::Top);
        }
        self.check_items(d);
        match &d.kind {
            DeclKind::Methodology => {
                if let Some(prev) = self.header {
                    self.err(
                        Diag::error(Code::Header, "a methodology has one `methodology` header")
                            .at(d.span, "second header")
                            .also(prev.span, "first header here")
                            .help("keep one header; other files are joined with `include`"),
                    );
                } else {
                    self.header = Some(d);
                }
            }
            DeclKind::Include => {}
            DeclKind::Question { .. } => {
                let idx = self.q_decls.len();
                if self.declare(&d.id, Def::Question(idx)) {
                    let group = if let Ctx::Group(g) = ctx { Some(g) } else { None };
                    self.q_decls.push((d, group));
                }
            }
            DeclKind::Group => {
                let idx = self.g_decls.len();
                if self.declare(&d.id, Def::Group(idx)) {
                    self.g_decls.push(d);
                    for item in &d.body {
                        if let ItemKind::Decl(inner) = &item.kind {
                            self.collect(inner, Ctx::Group(idx));
                        }
                    }
                }
            }
            DeclKind::Indicator { .. } => {
                let idx = self.i_decls.len();
                if self.declare(&d.id, Def::Indicator(idx)) {
                    let area = if let Ctx::Area(a) = ctx { Some(a) } else { None };
                    self.i_decls.push((d, area));
                }
            }
            DeclKind::Area | DeclKind::Index => {
                let idx = self.a_decls.len();
                let is_index = matches!(d.kind, DeclKind::Index);
                if is_index {
                    if let Some(prev) = self.a_decls.iter().find(|a| a.is_index).and_then(|a| a.decl) {
                        let prev = prev.span;
                        self.err(
                            Diag::error(Code::Duplicate, "a methodology has one `index`")
                                .at(d.span, "second index")
                                .also(prev, "first index here")
                                .help("the index is the root of the hierarchy; make the other one an `area`"),
                        );
                        return;
                    }
                }
                if self.declare(&d.id, Def::Area(idx)) {
                    let parent = if let Ctx::Area(a) = ctx { Some(a) } else { None };
                    self.a_decls.push(ADecl { decl: Some(d), parent, is_index });
                    for item in &d.body {
                        if let ItemKind::Decl(inner) = &item.kind {
                            self.collect(inner, Ctx::Area(idx));
                        }
                    }
                }
            }
            DeclKind::Chapter => {
                let idx = self.c_decls.len();
                if self.declare_code(&d.id, "chapter") {
                    self.c_decls.push(d);
                    for item in &d.body {
                        if let ItemKind::Decl(inner) = &item.kind {
                            self.collect(inner, Ctx::Chapter(idx));
                        }
                    }
                }
            }
            DeclKind::Standard => {
                if self.declare_code(&d.id, "standard") {
                    let ch = if let Ctx::Chapter(c) = ctx { Some(c) } else { None };
                    self.s_decls.push((d, ch));
                }
            }
            DeclKind::Uncertainty => {
                if let Some(prev) = self.u_decl {
                    self.err(
                        Diag::error(Code::Duplicate, "a methodology has one `uncertainty` declaration")
                            .at(d.span, "second one")
                            .also(prev.span, "first one here")
                            .help("put every `vary` line in one `uncertainty { … }`"),
                    );
                } else {
                    self.u_decl = Some(d);
                }
            }
            DeclKind::Require { .. } => {
                if let Some(prev) = self.req_decls.iter().find(|r| r.id.name == d.id.name) {
                    let prev = prev.span;
                    self.err(
                        Diag::error(Code::Duplicate, format!("the consistency rule `{}` is declared twice", d.id.name))
                            .at(d.span, "second one")
                            .also(prev, "first one here")
                            .help("keep one, or give them different ids: `require my_id: …`"),
                    );
                } else {
                    self.req_decls.push(d);
                }
            }
            DeclKind::Recommend { .. } => {
                let idx = self.r_decls.len();
                if self.declare(&d.id, Def::Recommend(idx)) {
                    self.r_decls.push(d);
                }
            }
        }
    }

    /// Misplaced and repeated properties.
    fn check_items(&mut self, d: &Decl) {
        let kind = d.kind.keyword();
        let ok = allowed(kind);
        let mut seen: HashMap<String, Span> = HashMap::new();
        for item in &d.body {
            let word = item.kind.keyword();
            // `missing reweight(min: 0,67)`: a decimal comma (scoring rules are checked with their rule)
            if let ItemKind::Missing(_, args)
            | ItemKind::Aggregate(_, args)
            | ItemKind::Impute(_, args)
            | ItemKind::Treat(_, args)
            | ItemKind::Screen(args) = &item.kind
            {
                if let Some(d) = expr::decimal_comma(self.src, args) {
                    self.err(d);
                }
            }
            if !ok.contains(&word) {
                if matches!(item.kind, ItemKind::Decl(_)) {
                    continue; // reported by `collect` with a better message
                }
                let homes = belongs_to(word);
                let help = if homes.is_empty() {
                    format!("remove `{word}`")
                } else {
                    format!(
                        "`{word}` belongs to: {}",
                        homes.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                    )
                };
                self.err(
                    Diag::error(Code::Misplaced, format!("`{word}` is not a property of {} {kind}", article(kind)))
                        .at(item.span, "not allowed here")
                        .help(help),
                );
                continue;
            }
            let key = match &item.kind {
                ItemKind::Label(l, _) | ItemKind::Help(l, _) | ItemKind::Note(l, _) | ItemKind::UnitName(l, _) => {
                    format!("{word} {}", l.name)
                }
                ItemKind::Presence(_) => "presence".into(),
                ItemKind::Direction(_) => "direction".into(),
                _ if REPEATABLE.contains(&word) => continue,
                _ => word.to_string(),
            };
            if let Some(first) = seen.get(&key) {
                let first = *first;
                self.err(
                    Diag::error(Code::Repeated, format!("`{key}` is given twice in `{}`", d.id.name))
                        .at(item.span, "given again here")
                        .also(first, "first given here")
                        .help("keep one"),
                );
            } else {
                seen.insert(key, item.span);
            }
        }
    }

    // ───────────── header ─────────────

    fn check_header(&mut self) {
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
    fn screen_pass(&mut self) {
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
    fn uncertainty_pass(&mut self) {
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

    fn factor(
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
                        "rank" => Some(ScoreRule::Rank { ties: Ties::Min }),
                        "percentile" => Some(ScoreRule::Percentile),
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

    fn precision(&mut self, p: u32, span: Span) -> u32 {
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
    fn labels(&mut self, d: &Decl) -> Labels {
        let mut labels = Labels::new();
        for item in &d.body {
            if let ItemKind::Label(l, s) = &item.kind {
                labels.insert(l.name.clone(), s.clone());
            }
        }
        labels
    }

    fn texts(d: &Decl, pick: fn(&ItemKind) -> Option<(&ast::Ident, &String)>) -> Labels {
        let mut out = Labels::new();
        for item in &d.body {
            if let Some((l, s)) = pick(&item.kind) {
                out.insert(l.name.clone(), s.clone());
            }
        }
        out
    }

    fn warn_languages(&mut self, d: &Decl, labels: &Labels) {
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
    fn warn_unit_languages(&mut self, unit: &str, span: Span) {
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

    fn source_of(d: &Decl) -> Option<String> {
        d.body.iter().find_map(|i| if let ItemKind::Source(s) = &i.kind { Some(s.clone()) } else { None })
    }

    // ───────────── questions ─────────────

    fn questions_pass(&mut self) {
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

    fn question(&mut self, d: &Decl, group: Option<usize>, slot: Slot) -> Question {
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
                ItemKind::Range(r) => body_range = Some(*r),
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
        if let (Some(_), Some(r)) = (range, body_range) {
            self.err(
                Diag::error(Code::Repeated, format!("the range of `{}` is given twice", d.id.name))
                    .at(r.span, "second range")
                    .help("keep the range in the header (`in 0..=100`) or in the body, not both"),
            );
        }
        let range = range.or(body_range);
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

    fn check_range_nonempty(&mut self, r: &NumRange, span: Span) {
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
    fn unit_labels(&mut self, ls: &[(ast::Ident, String)]) -> (String, Labels) {
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
    fn question_unit(q: &Question) -> Unit {
        match q.ty {
            QuestionType::Hours => Unit::base("h"),
            QuestionType::Count => Unit::base("count"),
            QuestionType::Percent => Unit::plain(),
            QuestionType::Money if q.unit == "money" => Unit::base("money"),
            _ => Unit::parse(&q.unit),
        }
    }

    fn question_ty(&self, qi: usize) -> Ty {
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

    // ───────────── indicators ─────────────

    fn indicator_entries(&mut self) {
        let i_decls = std::mem::take(&mut self.i_decls);
        let header_items = self.header.map(|h| h.body.as_slice()).unwrap_or(&[]);
        let outside_scale = self.outside_scale_of(header_items).unwrap_or_default();
        for (d, area) in &i_decls {
            let value = self.slot(SlotKind::Value(d.id.name.clone()), d.id.span);
            let score_slot = self.slot(SlotKind::Score(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let notes = Self::texts(d, |k| if let ItemKind::Note(l, s) = k { Some((l, s)) } else { None });
            let mut ind = Indicator {
                id: d.id.name.clone(),
                labels,
                notes,
                source: Self::source_of(d),
                formula_text: String::new(),
                unit: String::new(),
                unit_labels: Labels::new(),
                precision: self.header_model.precision,
                direction: Direction::HigherIsBetter,
                score: None,
                weight: 1.0,
                area: area.and_then(|a| self.a_decls.get(a)).and_then(|a| a.decl).map(|a| a.id.name.clone()),
                reported_only: false,
                boolean: false,
                impute: Imputation::None,
                treat: Treatment::None,
                value,
                imputed: None,
                treated: None,
                score_input: value,
                score_slot,
                outside_scale,
                span: d.id.span,
            };
            if let Some(o) = self.outside_scale_of(&d.body) {
                ind.outside_scale = o;
            }
            if let DeclKind::Indicator { formula: Some(f) } = &d.kind {
                ind.formula_text = crate::syntax::print::expr(f);
            }
            for item in &d.body {
                match &item.kind {
                    ItemKind::Unit(u) => {
                        self.warn_unit_languages(u, item.span);
                        ind.unit = u.clone()
                    }
                    ItemKind::UnitLabels(ls) => (ind.unit, ind.unit_labels) = self.unit_labels(ls),
                    ItemKind::Precision(p) => ind.precision = self.precision(*p, item.span),
                    ItemKind::Direction(h) => {
                        ind.direction = if *h { Direction::HigherIsBetter } else { Direction::LowerIsBetter }
                    }
                    ItemKind::Weight(w) => ind.weight = *w,
                    ItemKind::ReportedOnly => ind.reported_only = true,
                    _ => {}
                }
            }
            self.indicators.insert(ind.id.clone(), ind);
            self.ind_state.push(TyState::NotStarted);
        }
        self.i_decls = i_decls;
    }

    fn indicators_pass(&mut self) {
        for i in 0..self.i_decls.len() {
            self.indicator_ty(i);
        }
        for i in 0..self.i_decls.len() {
            self.score_pass(i);
        }
    }

    /// The type of an indicator's value, lowering its formula on first use.
    pub(crate) fn indicator_ty(&mut self, i: usize) -> (Ty, Option<u32>) {
        match &self.ind_state[i] {
            TyState::Done(t, p) => return (t.clone(), *p),
            TyState::InProgress => return (Ty::Error, None), // a cycle: reported by the planner
            TyState::NotStarted => {}
        }
        self.ind_state[i] = TyState::InProgress;
        let (d, _) = self.i_decls[i];
        let slot = self.indicators[i].value;
        let prec = self.indicators[i].precision;
        let ty = match &d.kind {
            DeclKind::Indicator { formula: Some(f) } => {
                let mut cx = expr::Cx::new(slot, false);
                let (ir, ty) = self.lower(f, &mut cx);
                self.deps[slot.0 as usize] = cx.deps;
                self.set_step(slot, Step::Formula { slot, ir });
                let declared = self.indicators[i].unit.clone();
                match &ty {
                    Ty::Num(u) => {
                        let settled = u.settle();
                        // a unit with spaces or digits ("per 100 importers") is a caption: shown, not checked
                        let caption = declared.chars().any(|c| c.is_whitespace() || c.is_ascii_digit());
                        if declared.is_empty() || caption {
                            Ty::Num(settled)
                        } else {
                            let du = Unit::parse(&declared);
                            if !du.compatible(u) {
                                self.err(
                                    Diag::warning(Code::UnitDeclared, format!("`{}` is declared in `{declared}` but its formula gives {settled}", d.id.name))
                                        .at(f.span, format!("this is in {settled}"))
                                        .help(if settled.is_plain() || du.is_plain() {
                                            "check the formula (a ratio of two counts is a plain number; × 100 makes a percentage), or correct `unit`"
                                        } else {
                                            "convert the formula's result to the declared unit (e.g. hours / 24 for days), or correct `unit`"
                                        }),
                                );
                            }
                            Ty::Num(du)
                        }
                    }
                    Ty::Bool => {
                        self.indicators[i].boolean = true;
                        Ty::Bool
                    }
                    Ty::Choice(_) | Ty::Str(_) => {
                        self.err(
                            Diag::error(Code::Type, format!("the indicator `{}` must be a number or yes/no, not {}", d.id.name, ty.describe()))
                                .at(f.span, "a choice")
                                .help("turn options into numbers: `match(q) { \"full\" => 100, \"partial\" => 50, else => 0 }`"),
                        );
                        Ty::Error
                    }
                    Ty::Error => Ty::Error,
                }
            }
            _ => {
                self.err(
                    Diag::error(Code::MissingProperty, format!("the indicator `{}` has no formula", d.id.name))
                        .at(d.span, "no `= …` after the name")
                        .help(format!("write `indicator {} = <formula> {{ … }}`", d.id.name)),
                );
                Ty::Error
            }
        };
        self.ind_state[i] = TyState::Done(ty.clone(), Some(prec));
        (ty, Some(prec))
    }

    /// What `check` can tell before any data: a scoring rule that gives (a band's score, a yes/no
    /// score) or may give (a rank, a z-score) a score outside the scale, when the indicator keeps
    /// such scores with a warning (`outside_scale warn`, the default).
    fn scale_warning(&mut self, i: usize, rule: &ScoreRule, span: Span) {
        let ind = &self.indicators[i];
        if ind.outside_scale != OutsideScale::Warn {
            return;
        }
        let (bottom, top) = self.header_model.scale;
        let sh = crate::number::shortest;
        let outside = |x: f64| x < bottom || x > top;
        let first_outside = |xs: &[f64]| xs.iter().copied().find(|x| outside(*x));
        let why = match rule {
            ScoreRule::Bands { bands, otherwise } => {
                let xs: Vec<f64> = bands.iter().map(|(_, s)| *s).chain(*otherwise).collect();
                first_outside(&xs).map(|x| format!("a band scores {}", sh(x)))
            }
            ScoreRule::Categorical { classes } => {
                let xs: Vec<f64> = classes.iter().map(|(_, s)| *s).collect();
                first_outside(&xs).map(|x| format!("a class scores {}", sh(x)))
            }
            ScoreRule::Threshold { above, within, below, .. } => {
                first_outside(&[*above, *within, *below]).map(|x| format!("a class scores {}", sh(x)))
            }
            ScoreRule::YesNo { yes, no } => first_outside(&[*yes, *no]).map(|x| format!("an answer scores {}", sh(x))),
            ScoreRule::Rank { .. } if bottom > 1.0 || top < crate::data::MAX_UNITS_PER_PERIOD as f64 => Some(format!(
                "ranks run from 1 to the number of states n, which {}",
                if bottom > 1.0 { "starts below the scale".to_string() } else { format!("may exceed {}", sh(top)) }
            )),
            ScoreRule::ZScore { .. } => {
                Some("a z-score has no bounds: a value far from the mean scores beyond either end".into())
            }
            _ => None,
        };
        let Some(why) = why else { return };
        let id = ind.id.clone();
        self.err(
            Diag::warning(Code::CheckScale, format!("the score of `{id}` may lie outside the scale {}..={}: {why}", sh(bottom), sh(top)))
                .at(span, "this rule")
                .help("such a score is kept, with a warning for each state (`tamga::eval::scale`); say what is meant: `outside_scale clamp` (moved to the nearest end of the scale) or `outside_scale allow` (kept, no warning), in the indicator or the methodology header"),
        );
    }

    /// The `outside_scale` declared among `items`, if any (an unknown word is reported).
    fn outside_scale_of(&mut self, items: &[Item]) -> Option<OutsideScale> {
        let word = items.iter().find_map(|it| if let ItemKind::OutsideScale(w) = &it.kind { Some(w) } else { None })?;
        let parsed = OutsideScale::parse(&word.name);
        if parsed.is_none() {
            let help = match diagnostics::suggest(&word.name, ["warn", "clamp", "allow"]) {
                Some(s) => format!("did you mean `{s}`? write `outside_scale warn` (keep the score, with a warning: the default), `outside_scale clamp` (move it to the nearest end of the scale) or `outside_scale allow` (keep it, no warning)"),
                None => "write `outside_scale warn` (keep the score, with a warning: the default), `outside_scale clamp` (move it to the nearest end of the scale) or `outside_scale allow` (keep it, no warning)".into(),
            };
            self.err(
                Diag::error(Code::Invalid, format!("unknown `outside_scale` `{}`", word.name))
                    .at(word.span, "here")
                    .help(help),
            );
        }
        parsed
    }

    fn score_pass(&mut self, i: usize) {
        let (d, area) = self.i_decls[i];
        let Some(rule) = d.body.iter().find_map(|it| if let ItemKind::Score(r) = &it.kind { Some(r) } else { None })
        else {
            if let Some(a) = area {
                let place = if self.a_decls[a].is_index { "the index" } else { "an area" };
                self.err(
                    Diag::error(Code::MissingProperty, format!("the indicator `{}` is in {place} but has no scoring rule", d.id.name))
                        .at(d.span, "no `score …`")
                        .help("add a scoring rule such as `score goalposts(best: 1, worst: 72)`, `score minmax` or `score bands { … }`"),
                );
            }
            return;
        };
        let score_slot = self.indicators[i].score_slot;
        let (ty, _) = self.indicator_ty(i);
        self.data_treatment(i, &ty);
        let value = self.indicators[i].score_input;
        let mut cx = expr::Cx::new(score_slot, false);
        cx.deps.push((value, rule.span));
        if let Some(r) = self.score_rule(i, rule, &ty, &mut cx) {
            let origin = self.origin(score_slot, rule.span);
            self.scale_warning(i, &r, rule.span);
            self.indicators[i].score = Some(r);
            self.deps[score_slot.0 as usize] = cx.deps;
            self.set_step(score_slot, Step::Score { slot: score_slot, indicator: i, origin });
        }
    }

    // ───────────── data treatment: imputation and outliers ─────────────

    /// The nearest declaration of `impute` (or `treat`) for an indicator: its own, its areas'
    /// from the innermost out, the index's, then the methodology header's.
    fn inherited(&self, i: usize, word: &str) -> Option<&'a Item> {
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
    fn data_treatment(&mut self, i: usize, ty: &Ty) {
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

    fn imputation(
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

    fn treatment(&mut self, name: &ast::Ident, args: &[ast::Arg], ty: &Ty, id: &str) -> Option<Treatment> {
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

    // ───────────── areas and the index ─────────────

    fn area_entries(&mut self) {
        // the root: the declared index, or an implicit one named `index`
        let root = match self.a_decls.iter().position(|a| a.is_index) {
            Some(r) => r,
            None => {
                self.a_decls.push(ADecl { decl: None, parent: None, is_index: true });
                let r = self.a_decls.len() - 1;
                if !self.names.contains_key("index") {
                    self.names.insert("index".into(), (Def::Area(r), Span::default()));
                }
                r
            }
        };
        self.root = root;
        let n = self.a_decls.len();
        let ids: Vec<String> =
            self.a_decls.iter().map(|a| a.decl.map(|d| d.id.name.clone()).unwrap_or_else(|| "index".into())).collect();
        self.index_id = ids[root].clone();
        let spans: Vec<Span> = self.a_decls.iter().map(|a| a.decl.map(|d| d.id.span).unwrap_or_default()).collect();
        let slots: Vec<Slot> = (0..n).map(|k| self.slot(SlotKind::Area(ids[k].clone()), spans[k])).collect();
        // the index first, then areas in declaration order
        let mut order = vec![root];
        order.extend((0..n).filter(|k| *k != root));
        for &k in &order {
            let a = &self.a_decls[k];
            let decl = a.decl;
            let parent_idx = if a.is_index { None } else { Some(a.parent.unwrap_or(root)) };
            let mut area = Area {
                id: ids[k].clone(),
                labels: decl.map(|d| self.labels(d)).unwrap_or_else(|| self.header_model.title.clone()),
                weight: 1.0,
                aggregate: Aggregation::Mean,
                // safe by default: a value that was not judged is not published (docs/language.md)
                missing: MissingPolicy::NotAssessable,
                children: vec![],
                parent: parent_idx.map(|p| ids[p].clone()),
                depth: 0,
                slot: slots[k],
                span: spans[k],
            };
            if let Some(d) = decl {
                let labels = area.labels.clone();
                self.warn_languages(d, &labels);
                for item in &d.body {
                    match &item.kind {
                        ItemKind::Weight(w) => area.weight = *w,
                        ItemKind::Aggregate(name, args) => {
                            if let Some(m) = self.aggregation(name, args) {
                                area.aggregate = m;
                            }
                        }
                        ItemKind::Missing(name, args) => {
                            if let Some((p, written)) = self.missing_policy(name, args) {
                                area.missing = p;
                                if let Some(w) = written {
                                    self.min_written.insert(ids[k].clone(), w);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            self.areas.insert(area.id.clone(), area);
        }
        for (k, id) in ids.iter().enumerate().take(n) {
            let mut depth = 0;
            let mut cur = k;
            while !self.a_decls[cur].is_index && depth < 1000 {
                cur = self.a_decls[cur].parent.unwrap_or(root);
                depth += 1;
            }
            self.areas[id].depth = depth;
        }
        self.area_ids = ids;
        self.area_slots = slots;
    }

    fn areas_pass(&mut self) {
        let root = self.root;
        let n = self.a_decls.len();
        let ids = self.area_ids.clone();
        let slots = self.area_slots.clone();
        let mut order = vec![root];
        order.extend((0..n).filter(|k| *k != root));
        // children, in declaration order: walk each area's body
        for &k in &order {
            let mut children: Vec<Child> = vec![];
            let mut spans: Vec<Span> = vec![];
            let is_index = self.a_decls[k].is_index;
            let top_level = |j: usize, a: &ADecl| !a.is_index && a.parent.is_none() && j != k;
            let mut declared_children = is_index && self.a_decls.iter().enumerate().any(|(j, a)| top_level(j, a));
            if is_index {
                // top-level areas declared before the index, then what the index holds, then the
                // top-level areas after it: declaration order
                for (j, a) in self.a_decls.iter().enumerate().filter(|(j, a)| *j < k && top_level(*j, a)) {
                    let w = self.areas[&ids[j]].weight;
                    children.push(Child { kind: "area", id: ids[j].clone(), slot: slots[j], weight: w });
                    spans.push(a.decl.map(|d| d.id.span).unwrap_or_default());
                }
            }
            if let Some(d) = self.a_decls[k].decl {
                declared_children |= d.body.iter().any(|i| matches!(&i.kind, ItemKind::Decl(x) if matches!(x.kind, DeclKind::Indicator { .. } | DeclKind::Area)));
                for item in &d.body {
                    if let ItemKind::Decl(inner) = &item.kind {
                        match self.names.get(&inner.id.name) {
                            Some((Def::Indicator(i), span)) if *span == inner.id.span => {
                                let ind = &self.indicators[*i];
                                if ind.score.is_some() {
                                    children.push(Child {
                                        kind: "indicator",
                                        id: ind.id.clone(),
                                        slot: ind.score_slot,
                                        weight: ind.weight,
                                    });
                                    spans.push(inner.id.span);
                                }
                            }
                            Some((Def::Area(j), span)) if *span == inner.id.span => {
                                let w = self.areas[&ids[*j]].weight;
                                children.push(Child { kind: "area", id: ids[*j].clone(), slot: slots[*j], weight: w });
                                spans.push(inner.id.span);
                            }
                            _ => {}
                        }
                    }
                }
            }
            if is_index {
                for (j, a) in self.a_decls.iter().enumerate().filter(|(j, a)| *j > k && top_level(*j, a)) {
                    let w = self.areas[&ids[j]].weight;
                    children.push(Child { kind: "area", id: ids[j].clone(), slot: slots[j], weight: w });
                    spans.push(a.decl.map(|d| d.id.span).unwrap_or_default());
                }
            }
            let area_span = self.areas[&ids[k]].span;
            for (c, s) in children.iter().zip(&spans) {
                if c.weight < 0.0 {
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!("`{}` has a negative weight ({})", c.id, crate::number::shortest(c.weight)),
                        )
                        .at(*s, "negative weight")
                        .help("weights are ≥ 0; a weight of 0 keeps the indicator in reports without counting it"),
                    );
                } else if c.weight > 0.0 && !(MIN_WEIGHT..=MAX_WEIGHT).contains(&c.weight) {
                    // 5e-324 (a subnormal) multiplied by a score loses every digit of the result
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!(
                                "`{}` has the weight {}, outside the range 1e-9 to 1e9 tamga computes exactly enough",
                                c.id,
                                crate::number::shortest(c.weight)
                            ),
                        )
                        .at(*s, "weight out of range")
                        .help("weights are relative: scale them all (e.g. 1, 2, 0.5), or give 0 to leave a child out"),
                    );
                }
            }
            let total: f64 = children.iter().map(|c| c.weight.max(0.0)).sum();
            let negative = children.iter().any(|c| c.weight < 0.0);
            if children.is_empty() {
                // an implicit index without areas is fine: a methodology of values and standards only;
                // an area whose indicators all failed to score was already reported
                if self.a_decls[k].decl.is_some() && !declared_children {
                    let (what, help) = if is_index {
                        (
                            "the index has no areas or scored indicators",
                            "declare areas (`area facilitation { … }`) at the top level or inside the index, or indicators with a scoring rule inside it",
                        )
                    } else {
                        (
                            "the area has no scored indicators or sub-areas",
                            "declare indicators with a scoring rule (or sub-areas) inside it",
                        )
                    };
                    let mut d = Diag::error(Code::MissingProperty, format!("`{}`: {what}", ids[k])).help(help);
                    if self.a_decls[k].decl.is_some() {
                        d = d.at(area_span, "empty");
                    }
                    self.err(d);
                }
            } else if total == 0.0 && !negative {
                self.err(
                    Diag::error(Code::Weight, format!("the weights in `{}` sum to zero", ids[k]))
                        .at(if area_span.is_empty() { spans[0] } else { area_span }, "no child carries weight")
                        .help("give at least one child a positive weight"),
                );
            }
            self.check_threshold(&ids[k], &children);
            let a = &self.areas[&ids[k]];
            let (method, policy, slot) = (a.aggregate, a.missing, a.slot);
            let deps: Vec<(Slot, Span)> = children.iter().zip(&spans).map(|(c, s)| (c.slot, *s)).collect();
            let origin = self.origin(slot, area_span);
            self.deps[slot.0 as usize] = deps;
            let step_children = children.iter().map(|c| (c.slot, c.weight)).collect();
            self.set_step(slot, Step::Aggregate { slot, children: step_children, method, policy, origin });
            self.areas[&ids[k]].children = children;
        }
    }

    /// `min: 4 of 6` must name the number of children declared; a bare `min: 2/3` whose weights
    /// make the number of children it needs depend on which are missing is a warning.
    fn check_threshold(&mut self, id: &str, children: &[Child]) {
        let Some(written) = self.min_written.get(id).cloned() else { return };
        let n = children.len();
        match written {
            MinWritten::Children(of, span) if of as usize != n => {
                let min = match self.areas[id].missing {
                    MissingPolicy::Reweight { min: Threshold::Children(k) } => k,
                    _ => 0,
                };
                self.err(
                    Diag::error(
                        Code::Invalid,
                        format!("`{id}` has {n} {} to aggregate, not {of}", if n == 1 { "child" } else { "children" }),
                    )
                    .at(span, format!("{of} declared here"))
                    .help(format!(
                        "write `min: {} of {n}`, or say which share of the weight must be present: `min: 2/3 of weight`",
                        min.min(n as u32)
                    )),
                );
            }
            MinWritten::Bare(span, written) => {
                let min = self.areas[id].missing;
                let MissingPolicy::Reweight { min: t @ Threshold::Weight(_) } = min else { return };
                let weights: Vec<f64> = children.iter().map(|c| c.weight).collect();
                if let Some((fewest, most)) = t.children_needed(&weights) {
                    if fewest != most {
                        self.err(
                            Diag::warning(
                                Code::Threshold,
                                format!(
                                    "with these weights `min: {written}` needs between {fewest} and {most} of {n} children of `{id}` present, depending on which are missing"
                                ),
                            )
                            .at(span, "a share of the weight")
                            .help(format!(
                                "write `min: {most} of {n}` (or another count) to count children, or `min: {written} of weight` to keep the share of the weight"
                            )),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// A scored indicator that no area or index aggregates is a warning, unless declared
    /// `reported_only`; `reported_only` inside an area (which aggregates it) is an error.
    fn unaggregated_pass(&mut self) {
        for (i, &(d, area)) in self.i_decls.iter().enumerate() {
            let ind = &self.indicators[i];
            let flag = d.body.iter().find(|it| matches!(it.kind, ItemKind::ReportedOnly)).map(|it| it.span);
            match (area, flag) {
                (Some(a), Some(span)) => {
                    let place = if self.a_decls[a].is_index { "the index" } else { "an area" };
                    let d = Diag::error(
                        Code::Misplaced,
                        format!("`{}` is in {place}, which aggregates it: it cannot be `reported_only`", ind.id),
                    )
                    .at(span, "here")
                    .help("remove `reported_only`, or move the indicator to the top level, outside every area");
                    self.diags.push(d);
                }
                (None, None) if ind.score.is_some() => {
                    let d = Diag::warning(
                        Code::Unaggregated,
                        format!("the indicator `{}` is scored but no area or index aggregates it", ind.id),
                    )
                    .at(d.id.span, "declared outside every area")
                    .help(format!(
                        "move `{}` into an area (or into the index) to count its score, or declare it `reported_only` if its score is published but not aggregated",
                        ind.id
                    ));
                    self.diags.push(d);
                }
                _ => {}
            }
        }
    }

    fn aggregation(&mut self, name: &ast::Ident, args: &[ast::Arg]) -> Option<Aggregation> {
        let m = match name.name.as_str() {
            "mean" => Aggregation::Mean,
            "geometric" => Aggregation::Geometric,
            "min" => Aggregation::Min,
            "harmonic" => Aggregation::Harmonic,
            "power" => {
                let p = args
                    .iter()
                    .find(|a| a.name.as_ref().is_none_or(|x| x.name == "p"))
                    .and_then(|a| const_value(&a.value))
                    .map(|(x, _)| x);
                match p {
                    Some(p) if p != 0.0 && p.is_finite() => return Some(Aggregation::Power(p)),
                    _ => {
                        self.err(
                            Diag::error(Code::Arguments, "`aggregate power` needs a power p ≠ 0")
                                .at(name.span, "here")
                                .help("write `aggregate power(p: 2)`; p = 1 is the arithmetic mean, p = -1 the harmonic; for p → 0 use `geometric`"),
                        );
                        return None;
                    }
                }
            }
            other => {
                let synonym = match other {
                    "average" | "avg" | "arithmetic" | "arithmetic_mean" | "weighted_mean" => Some("mean"),
                    "geometric_mean" | "geomean" => Some("geometric"),
                    "minimum" | "weakest" => Some("min"),
                    _ => None,
                };
                let help = match synonym
                    .or_else(|| diagnostics::suggest(other, ["mean", "geometric", "min", "harmonic", "power"]))
                {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "the methods are `mean` (weighted arithmetic), `geometric`, `harmonic`, `power(p: 2)` and `min`"
                            .into()
                    }
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown aggregation `{other}`"))
                        .at(name.span, "here")
                        .help(help),
                );
                return None;
            }
        };
        if let Some(a) = args.first() {
            self.err(
                Diag::error(Code::Arguments, format!("`aggregate {}` takes no arguments", name.name))
                    .at(a.value.span, "remove this"),
            );
        }
        Some(m)
    }

    fn missing_policy(&mut self, name: &ast::Ident, args: &[ast::Arg]) -> Option<(MissingPolicy, Option<MinWritten>)> {
        match name.name.as_str() {
            "reweight" => {
                let mut min = Threshold::NONE;
                let mut written = None;
                for a in args {
                    let key = a.name.as_ref().map(|n| n.name.as_str()).unwrap_or("min");
                    if key != "min" {
                        self.err(
                            Diag::error(Code::Arguments, format!("`reweight` has no argument `{key}`"))
                                .at(a.value.span, "here")
                                .help("write `missing reweight(min: 4 of 6)` to count children present, or `missing reweight(min: 2/3 of weight)` for a share of the weight"),
                        );
                        continue;
                    }
                    match (const_value(&a.value), a.of) {
                        (Some((x, false)), Some(ast::Of::Children(n, n_span))) => {
                            if x.fract() != 0.0 || x < 0.0 || x > f64::from(n) {
                                self.err(
                                    Diag::error(Code::Invalid, format!("`min: {} of {n}` is not a number of children", crate::number::shortest(x)))
                                        .at(a.value.span, "here")
                                        .help(format!("write a whole number from 0 to {n}: `min: 4 of {n}`")),
                                );
                            } else {
                                min = Threshold::Children(x as u32);
                                written = Some(MinWritten::Children(n, n_span));
                            }
                        }
                        (Some((x, true)), Some(ast::Of::Children(n, _))) => self.err(
                            Diag::error(Code::Invalid, "a count of children is not a percentage")
                                .at(a.value.span, "here")
                                .help(format!(
                                    "write a number of children present, `min: {} of {n}`, or a share of the weight, `min: {}% of weight`",
                                    (x / 100.0 * f64::from(n)).ceil(),
                                    crate::number::shortest(x)
                                )),
                        ),
                        (Some((x, pct)), of) => {
                            let share = if pct { x / 100.0 } else { x };
                            if !(0.0..=1.0).contains(&share) {
                                self.err(
                                    Diag::error(Code::Invalid, "the minimum coverage must lie between 0% and 100%")
                                        .at(a.value.span, "here")
                                        .help("write a share of the weight such as `2/3 of weight` or `67% of weight`, or a number of children such as `4 of 6`"),
                                );
                            } else {
                                min = Threshold::Weight(share);
                                written = Some(match of {
                                    Some(_) => MinWritten::Weight,
                                    None => MinWritten::Bare(a.value.span, self.src.slice(a.value.span).to_string()),
                                });
                            }
                        }
                        (None, _) => self.err(
                            Diag::error(Code::Arguments, "the minimum coverage must be a number")
                                .at(a.value.span, "here")
                                .help("write `min: 4 of 6` or `min: 2/3 of weight`"),
                        ),
                    }
                }
                Some((MissingPolicy::Reweight { min }, written))
            }
            "zero" | "not_assessable" => {
                let zero = name.name == "zero";
                let mut except = false;
                for a in args {
                    let key = a.name.as_ref().map(|n| n.name.as_str());
                    let value = match &a.value.kind {
                        ExprKindRef::Name(v) => Some(v.name.as_str()),
                        _ => None,
                    };
                    match (key, value) {
                        (Some("not_applicable"), Some("reweight")) => except = true,
                        (Some("not_applicable"), Some(v)) if v == name.name => {}
                        _ => self.err(
                            Diag::error(
                                Code::Arguments,
                                format!("`{}` takes one argument, `not_applicable: reweight`", name.name),
                            )
                            .at(a.value.span, "here")
                            .help(format!(
                                "write `missing {}(not_applicable: reweight)` to leave out the children declared \
                                 not applicable, or `missing {}` to treat them as any other missing child",
                                name.name, name.name
                            )),
                        ),
                    }
                }
                Some((
                    match (zero, except) {
                        (true, false) => MissingPolicy::Zero,
                        (true, true) => MissingPolicy::ZeroExceptNotApplicable,
                        (false, false) => MissingPolicy::NotAssessable,
                        (false, true) => MissingPolicy::NotAssessableExceptNotApplicable,
                    },
                    None,
                ))
            }
            other => {
                let help = match diagnostics::suggest(other, ["reweight", "zero", "not_assessable"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "the policies are `reweight(min: 67%)`, `zero`, `zero(not_applicable: reweight)`, \
                             `not_assessable` and `not_assessable(not_applicable: reweight)`"
                        .into(),
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown missing-data policy `{other}`"))
                        .at(name.span, "here")
                        .help(help),
                );
                None
            }
        }
    }

    /// A group's `missing …`: what `count` and `share` do with an unanswered item.
    fn unanswered_policy(&mut self, name: &ast::Ident, args: &[ast::Arg]) -> Option<Unanswered> {
        let policy = match name.name.as_str() {
            "reweight" => Unanswered::Skip,
            "zero" => Unanswered::Zero,
            "not_assessable" => Unanswered::NotAssessable,
            other => {
                let help = match diagnostics::suggest(other, ["reweight", "zero", "not_assessable"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "write `missing zero` (an unanswered item counts as no), `missing not_assessable` \
                             (an unanswered item makes `count` and `share` missing) or `missing reweight` \
                             (`share` among the answered items only)"
                        .into(),
                };
                self.err(
                    Diag::error(Code::Invalid, format!("unknown missing-data policy `{other}` for a group"))
                        .at(name.span, "here")
                        .help(help),
                );
                return None;
            }
        };
        if let Some(a) = args.first() {
            self.err(
                Diag::error(Code::Arguments, format!("a group's `missing {}` takes no arguments", name.name))
                    .at(a.value.span, "remove this")
                    .help("an item declared not applicable is always left out of `share`"),
            );
        }
        Some(policy)
    }

    // ───────────── standards and chapters ─────────────

    fn standard_entries(&mut self) {
        let s_decls = std::mem::take(&mut self.s_decls);
        for (d, ch) in &s_decls {
            let met = self.slot(SlotKind::Met(d.id.name.clone()), d.id.span);
            let level = self.slot(SlotKind::Level(d.id.name.clone()), d.id.span);
            let attainment = self.slot(SlotKind::Attainment(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let levels = d
                .body
                .iter()
                .filter_map(|i| {
                    if let ItemKind::Level(n, e) = &i.kind {
                        Some(Level { name: n.name.clone(), text: crate::syntax::print::expr(e) })
                    } else {
                        None
                    }
                })
                .collect();
            let std = Standard {
                code: d.id.name.clone(),
                labels,
                notes: Self::texts(d, |k| if let ItemKind::Note(l, s) = k { Some((l, s)) } else { None }),
                source: Self::source_of(d),
                chapter: ch.and_then(|c| self.c_decls.get(c)).map(|c| c.id.name.clone()),
                kind: StandardKind::Standard,
                requires_text: String::new(),
                target: None,
                baseline: None,
                levels,
                met,
                level,
                attainment,
                value: None,
                span: d.id.span,
            };
            self.standards.insert(std.code.clone(), std);
        }
        self.s_decls = s_decls;
    }

    fn standards_pass(&mut self) {
        for k in 0..self.s_decls.len() {
            self.standard(k);
        }
        // chapters
        let c_decls = std::mem::take(&mut self.c_decls);
        for (ci, d) in c_decls.iter().enumerate() {
            let slot = self.slot(SlotKind::Chapter(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let members: Vec<usize> = (0..self.s_decls.len()).filter(|k| self.s_decls[*k].1 == Some(ci)).collect();
            if members.is_empty() {
                self.err(
                    Diag::warning(Code::MissingProperty, format!("the chapter `{}` has no standards", d.id.name))
                        .at(d.span, "empty chapter")
                        .help("declare standards inside it, or remove it"),
                );
            }
            let children: Vec<(Slot, f64)> = members.iter().map(|k| (self.standards[*k].attainment, 1.0)).collect();
            let deps = members.iter().map(|k| (self.standards[*k].attainment, self.standards[*k].span)).collect();
            let origin = self.origin(slot, d.span);
            self.deps[slot.0 as usize] = deps;
            self.set_step(
                slot,
                Step::Aggregate {
                    slot,
                    children,
                    method: Aggregation::Mean,
                    // a standard not assessed counts as not attained, unless it is not applicable
                    policy: MissingPolicy::ZeroExceptNotApplicable,
                    origin,
                },
            );
            let standards = members.iter().map(|k| self.standards[*k].code.clone()).collect();
            self.chapters
                .insert(d.id.name.clone(), Chapter { code: d.id.name.clone(), labels, standards, score: slot });
        }
        self.c_decls = c_decls;
        // the whole Code
        let slot = self.slot(SlotKind::Code, Span::default());
        let children: Vec<(Slot, f64)> = self.standards.values().map(|s| (s.attainment, 1.0)).collect();
        let deps = self.standards.values().map(|s| (s.attainment, s.span)).collect();
        let origin = self.origin(slot, Span::default());
        self.deps[slot.0 as usize] = deps;
        self.set_step(
            slot,
            Step::Aggregate {
                slot,
                children,
                method: Aggregation::Mean,
                policy: MissingPolicy::ZeroExceptNotApplicable,
                origin,
            },
        );
        self.code_score = slot;
    }

    fn standard(&mut self, k: usize) {
        let (d, _) = self.s_decls[k];
        let (met, level_slot, attainment) = {
            let s = &self.standards[k];
            (s.met, s.level, s.attainment)
        };
        let (bottom, top) = self.header_model.scale;
        let mut requires: Option<&ast::Expr> = None;
        let mut baseline: Option<(f64, Span)> = None;
        for item in &d.body {
            match &item.kind {
                ItemKind::Kind(kd) => {
                    let kind = match kd.name.as_str() {
                        "standard" => Some(StandardKind::Standard),
                        "transitional" | "transitional_standard" => Some(StandardKind::Transitional),
                        "recommended" | "recommended_practice" => Some(StandardKind::Recommended),
                        other => {
                            self.err(
                                Diag::error(Code::Invalid, format!("unknown kind of standard `{other}`"))
                                    .at(kd.span, "here")
                                    .help("the kinds are `standard`, `transitional` and `recommended` (as in the WCO Revised Kyoto Convention)"),
                            );
                            None
                        }
                    };
                    if let Some(kind) = kind {
                        self.standards[k].kind = kind;
                    }
                }
                ItemKind::Requires(e) => requires = Some(e),
                ItemKind::Baseline(b) => baseline = Some((*b, item.span)),
                _ => {}
            }
        }
        let levels: Vec<(&ast::Ident, &ast::Expr)> = d
            .body
            .iter()
            .filter_map(|i| if let ItemKind::Level(n, e) = &i.kind { Some((n, e)) } else { None })
            .collect();
        for (j, (n, _)) in levels.iter().enumerate() {
            if n.name == "none" || levels[..j].iter().any(|(m, _)| m.name == n.name) {
                self.err(
                    Diag::error(Code::Duplicate, format!("the level `{}` is declared twice or reserved", n.name))
                        .at(n.span, "here")
                        .help("level names are unique; `none` means no level attained"),
                );
            }
        }
        if requires.is_none() && levels.is_empty() {
            self.err(
                Diag::error(Code::MissingProperty, format!("the standard `{}` has no requirement", d.id.name))
                    .at(d.span, "nothing to meet")
                    .help("add `requires <condition>` (e.g. `requires release_hours <= 24`) or graded `level basic: …` lines"),
            );
            return;
        }
        // levels: the level column holds the index of the highest level attained (0 = none)
        let mut level_irs = vec![];
        for (n, e) in &levels {
            let mut cx = expr::Cx::new(level_slot, true);
            let (ir, ty) = self.lower(e, &mut cx);
            self.expect_bool(&ty, e.span, &format!("the level `{}`", n.name));
            self.deps[level_slot.0 as usize].extend(cx.deps);
            level_irs.push(ir);
        }
        let level_ir = level_irs.iter().enumerate().fold(Ir::Const(0.0), |acc, (j, ir)| {
            Ir::If(Box::new(ir.clone()), Box::new(Ir::Const((j + 1) as f64)), Box::new(acc))
        });
        if !levels.is_empty() {
            self.set_step(level_slot, Step::Formula { slot: level_slot, ir: level_ir });
        }
        // met, with the value and target of a simple comparison
        let mut met_ir = None;
        let mut linear: Option<(Slot, f64, f64)> = None; // value slot, baseline, target
        if let Some(e) = requires {
            self.standards[k].requires_text = crate::syntax::print::expr(e);
            if let ast::ExprKind::Binary(op, lhs, rhs) = &e.kind {
                if let (true, Some((target, _))) =
                    (op.is_comparison() && !matches!(op, ast::BinOp::Eq | ast::BinOp::Ne), const_value(rhs))
                {
                    let vslot = self.slot(SlotKind::StandardValue(d.id.name.clone()), lhs.span);
                    let mut cx = expr::Cx::new(vslot, true);
                    let (ir, ty) = self.lower(lhs, &mut cx);
                    let goal_worst = self.goalpost_worst(lhs);
                    self.deps[vslot.0 as usize] = cx.deps;
                    if !matches!(ty, Ty::Num(_) | Ty::Error) {
                        self.err(
                            Diag::error(
                                Code::Type,
                                format!("the left side of this requirement is {}, not a number", ty.describe()),
                            )
                            .at(lhs.span, "here"),
                        );
                    }
                    self.set_step(vslot, Step::Formula { slot: vslot, ir });
                    self.standards[k].value = Some(vslot);
                    self.standards[k].target = Some(target);
                    let cmp = match op {
                        ast::BinOp::Lt => CmpOp::Lt,
                        ast::BinOp::Le => CmpOp::Le,
                        ast::BinOp::Gt => CmpOp::Gt,
                        _ => CmpOp::Ge,
                    };
                    met_ir = Some(Ir::Cmp(cmp, Box::new(Ir::Slot(vslot)), Box::new(Ir::Const(target))));
                    self.deps[met.0 as usize].push((vslot, lhs.span));
                    let base = baseline.map(|(b, _)| b).or(goal_worst);
                    if let Some(b) = base {
                        if b == target {
                            let span = baseline.map(|(_, s)| s).unwrap_or(e.span);
                            self.err(Diag::error(Code::Invalid, "the baseline equals the target").at(span, "here").help("the baseline is the value at which attainment is 0: choose a value on the far side of the target"));
                        } else {
                            linear = Some((vslot, b, target));
                        }
                    }
                }
            }
            if met_ir.is_none() {
                let mut cx = expr::Cx::new(met, true);
                let (ir, ty) = self.lower(e, &mut cx);
                self.expect_bool(&ty, e.span, "a requirement");
                self.deps[met.0 as usize].extend(cx.deps);
                met_ir = Some(ir);
                if let Some((_, span)) = baseline {
                    self.err(
                        Diag::warning(Code::Invalid, "a baseline needs a requirement of the form `value <= target`")
                            .at(span, "not used")
                            .help("write the requirement as one comparison with a number on the right"),
                    );
                }
            }
        }
        let met_ir = match met_ir {
            Some(ir) => ir,
            None => {
                // graded only: met = the lowest level attained
                self.deps[met.0 as usize].push((level_slot, d.span));
                Ir::Cmp(CmpOp::Ge, Box::new(Ir::Slot(level_slot)), Box::new(Ir::Const(1.0)))
            }
        };
        self.standards[k].baseline = linear.map(|(_, b, _)| b);
        self.set_step(met, Step::Formula { slot: met, ir: met_ir });
        // attainment
        let otherwise = match (linear, levels.is_empty()) {
            (Some((v, b, t)), _) => {
                // bottom + (top - bottom) * clamp((v - b) / (t - b), 0, 1)
                let frac = Ir::Call(
                    Func::Clamp,
                    vec![
                        Ir::Arith(
                            ArithOp::Div,
                            Box::new(Ir::Arith(ArithOp::Sub, Box::new(Ir::Slot(v)), Box::new(Ir::Const(b)), 0)),
                            Box::new(Ir::Const(t - b)),
                            0,
                        ),
                        Ir::Const(0.0),
                        Ir::Const(1.0),
                    ],
                    0,
                );
                self.deps[attainment.0 as usize].push((v, d.span));
                Ir::Arith(
                    ArithOp::Add,
                    Box::new(Ir::Const(bottom)),
                    Box::new(Ir::Arith(ArithOp::Mul, Box::new(Ir::Const(top - bottom)), Box::new(frac), 0)),
                    0,
                )
            }
            (None, false) => {
                let n = levels.len() as f64;
                self.deps[attainment.0 as usize].push((level_slot, d.span));
                Ir::Arith(
                    ArithOp::Add,
                    Box::new(Ir::Const(bottom)),
                    Box::new(Ir::Arith(
                        ArithOp::Mul,
                        Box::new(Ir::Const((top - bottom) / n)),
                        Box::new(Ir::Slot(level_slot)),
                        0,
                    )),
                    0,
                )
            }
            (None, true) => Ir::Const(bottom),
        };
        self.deps[attainment.0 as usize].push((met, d.span));
        // a graded standard without a requirement is attained level by level (met from the
        // lowest level on, but `leading` attains more than `basic`)
        let att = if requires.is_none() && linear.is_none() && !levels.is_empty() {
            otherwise
        } else {
            Ir::If(Box::new(Ir::Slot(met)), Box::new(Ir::Const(top)), Box::new(otherwise))
        };
        self.set_step(attainment, Step::Formula { slot: attainment, ir: att });
    }

    /// The worst goalpost of an indicator referenced directly (the default baseline).
    fn goalpost_worst(&self, e: &ast::Expr) -> Option<f64> {
        let ast::ExprKind::Name(n) = &e.kind else {
            return None;
        };
        let Some((Def::Indicator(i), _)) = self.names.get(&n.name) else {
            return None;
        };
        match self.indicators.get_index(*i).and_then(|(_, ind)| ind.score.as_ref()) {
            Some(ScoreRule::Goalposts { worst, .. }) => Some(*worst),
            _ => None,
        }
    }

    fn expect_bool(&mut self, ty: &Ty, span: Span, what: &str) {
        if !matches!(ty, Ty::Bool | Ty::Error) {
            self.err(
                Diag::error(Code::Type, format!("{what} must be yes/no, but this is {}", ty.describe()))
                    .at(span, "not a condition")
                    .help("compare it with something: `x <= 24`, `score(area) >= 50`"),
            );
        }
    }

    // ───────────── recommendations ─────────────

    fn recommendations_pass(&mut self) {
        let r_decls = std::mem::take(&mut self.r_decls);
        for d in &r_decls {
            let DeclKind::Recommend { when } = &d.kind else {
                continue;
            };
            let slot = self.slot(SlotKind::Recommend(d.id.name.clone()), d.id.span);
            let labels = self.labels(d);
            self.warn_languages(d, &labels);
            let mut cx = expr::Cx::new(slot, true);
            let (ir, ty) = self.lower(when, &mut cx);
            self.expect_bool(&ty, when.span, "the condition of a recommendation");
            self.deps[slot.0 as usize] = cx.deps;
            self.set_step(slot, Step::Formula { slot, ir });
            self.recs.insert(
                d.id.name.clone(),
                Recommendation {
                    id: d.id.name.clone(),
                    labels,
                    when_text: crate::syntax::print::expr(when),
                    slot,
                    span: d.id.span,
                },
            );
        }
        self.r_decls = r_decls;
    }

    // ───────────── consistency rules ─────────────

    /// `require [id:] cond { labels, severity }`: a yes/no condition over answers only, judged
    /// per submission before anything is computed from them.
    fn rules_pass(&mut self) {
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

    fn unused_pass(&mut self) {
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

/// Where a declaration is being collected.
#[derive(Debug, Clone, Copy)]
enum Ctx {
    Top,
    Group(usize),
    Area(usize),
    Chapter(usize),
}

impl Ctx {
    fn name(self) -> &'static str {
        match self {
            Ctx::Top => "the top level",
            Ctx::Group(_) => "a group",
            Ctx::Area(_) => "an area",
            Ctx::Chapter(_) => "a chapter",
        }
    }
}

/// A constant number written as a literal (`24`, `-3`, `67%`): (value, was a percentage).
/// A fraction of two literals (`2/3`) is a constant too.
pub(crate) fn const_value(e: &ast::Expr) -> Option<(f64, bool)> {
    match &e.kind {
        ast::ExprKind::Number(x) => Some((*x, false)),
        ast::ExprKind::Percent(x) => Some((*x, true)),
        ast::ExprKind::Neg(inner) => const_value(inner).map(|(x, p)| (-x, p)),
        ast::ExprKind::Binary(ast::BinOp::Div, a, b) => match (const_value(a), const_value(b)) {
            (Some((x, false)), Some((y, false))) if y != 0.0 => Some((x / y, false)),
            _ => None,
        },
        _ => None,
    }
}

pub(crate) fn to_range(r: ast::Range) -> NumRange {
    NumRange {
        lo: r.lo.map(|(value, inclusive)| Bound { value, inclusive }),
        hi: r.hi.map(|(value, inclusive)| Bound { value, inclusive }),
    }
}
