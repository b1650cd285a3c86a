//! Stage 2, check: AST → [`Model`].
//!
//! Resolves names to slots, checks types, units, weights, bands and cycles, compiles every
//! formula to [`Ir`] and orders the evaluation plan. It reports every problem it finds, not only
//! the first: a declaration with an error is still checked as far as it can be, and errors are
//! not repeated downstream (an unknown type yields `Ty::Error`, which is silently compatible).
//!
//! Where each rule is enforced, by what it checks:
//! - `collect`: names, nesting and placement (what may be written where);
//! - `header`: the methodology header, labels and notes;
//! - `questions`: questions, their types, units, ranges, options and groups;
//! - `indicators`: indicators' formulas, units, precision and direction;
//! - `scoring`: scoring rules (`goalposts`, `bands`, `formula`, …), their arguments and scale,
//!   and gaps and overlaps between bands;
//! - `treatment`: imputation, outlier treatment and screening;
//! - `areas`: areas and the index, weights, aggregation and missing-data policies;
//! - `standards`: standards, chapters and recommendations;
//! - `rules`: consistency rules between answers;
//! - `expr`: formulas, in `expr/`: `types` (types and units of values), `names` (names and
//!   standards' `met`/`gap`), `operators` (arithmetic, comparisons, `match`), `functions`
//!   (calls and their arguments); `units`: units of measurement;
//! - `plan`: the evaluation order; `defaults`: what was left to a default;
//! - `approval`: the manifest and the lock against the methodology; `adhoc`: `eval --expr`.
//!
//! Reading the files (folders, `include`, `git:` specs, the manifest and the lock) is
//! [`crate::load`]'s: [`check`] and [`check_with`] load, then check what was read.

mod adhoc;
mod approval;
mod areas;
mod collect;
mod defaults;
mod expr;
mod header;
mod indicators;
mod params;
mod plan;
mod questions;
mod rules;
mod scenarios;
mod scoring;
mod standards;
mod treatment;
mod units;
mod weights;

pub use defaults::{to_text as defaults_text, Defaulted};

pub use adhoc::{check_expr, Adhoc, EXPR_FILE};
pub use params::MAX_TABLE_ROWS;

use crate::diagnostics::{self, Code, Diag, Diags};
use crate::load::Overlay;
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
    pub files: IndexMap<String, crate::load::FileLock>,
    /// The manifest, if any.
    pub manifest: Option<crate::load::Manifest>,
    /// The methodology's folder as shown, when a folder was given.
    pub folder: Option<String>,
}

impl Methodology {
    /// Whether the methodology is approved (and, having passed `check`, matches its lock).
    pub fn is_approved(&self) -> bool {
        self.manifest.as_ref().is_some_and(|m| m.status == crate::load::Status::Approved)
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
    pub files: IndexMap<String, crate::load::FileLock>,
    /// The manifest, when the methodology is a folder with `methodology.toml`.
    pub manifest: Option<crate::load::Manifest>,
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
    check_with(path, &Overlay::default())
}

/// [`check`], reading the rule files from `overlay` (an editor's unsaved buffers) in preference
/// to the disk.
pub fn check_with(path: &Path, overlay: &Overlay) -> Checked {
    check_loaded(crate::load::load(path, overlay))
}

/// [`check_with`], also giving the syntax trees of the rule files that parsed, by file (what an
/// editor's language server indexes, without parsing the files a second time).
pub fn check_with_trees(path: &Path, overlay: &Overlay) -> (Checked, Vec<(crate::source::FileId, ast::File)>) {
    let loaded = crate::load::load(path, overlay);
    let trees = loaded.files.clone();
    (check_loaded(loaded), trees)
}

fn check_loaded(loaded: crate::load::Loaded) -> Checked {
    let mut checked =
        finish(loaded.sources, loaded.files, loaded.diags, &loaded.names, &loaded.tables, &loaded.table_names);
    if let Some(folder) = loaded.folder {
        checked.folder = Some(folder.shown.clone());
        approval::attach(folder, &mut checked);
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
            finish(sources, vec![(id, file)], diags, &[name.to_string()], &[], &[])
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
    tables: &[crate::load::TableFile],
    table_names: &[String],
) -> Checked {
    let syntax_failed = diagnostics::has_errors(&diags);
    for (id, _) in &files {
        diags.extend(crate::load::bidi_warnings(*id, &sources.get(*id).text));
    }
    // constants and table lookups replaced by their values: the checker sees numbers
    let mut resolved = files.clone();
    let params = params::substitute(&mut resolved, tables, table_names, &sources, &mut diags);
    let (model, mut defaults) = if resolved.is_empty() {
        (None, vec![])
    } else {
        let decls: Vec<&Decl> = resolved.iter().flat_map(|(_, f)| f.decls.iter()).collect();
        let mut c = Checker::new(&sources);
        let model = c.run(&decls).map(|mut m| {
            m.parameters = params.constants.clone();
            m.tables = params.tables.clone();
            m
        });
        // what the checker says around a failed lookup is its consequence (a 0 stands there)
        let around = |d: &Diag| {
            d.primary.as_ref().is_some_and(|l| {
                params.failed.iter().any(|f| f.file == l.span.file && l.span.start <= f.start && f.end <= l.span.end)
            })
        };
        diags.extend(c.diags.into_iter().filter(|d| !around(d)));
        // with errors, an unused constant is usually a side effect of them (a misspelt name)
        if !diagnostics::has_errors(&diags) {
            diags.extend(params::unused_warnings(&params));
        }
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
        let mut canonical = crate::syntax::print::canonical(&asts);
        // a table's content is part of the methodology's meaning: its hash, by the table's name
        for (name, t) in &params.tables {
            canonical.push_str(&format!("table {name} sha256 {}\n", t.sha256));
        }
        sha(canonical.as_bytes())
    });
    let hashes = files
        .iter()
        .zip(names)
        .map(|((id, f), name)| {
            let lock = crate::load::FileLock {
                sha256: sha(sources.get(*id).text.as_bytes()),
                canonical: sha(crate::syntax::print::canonical(&[f]).as_bytes()),
            };
            (name.clone(), lock)
        })
        .chain(tables.iter().zip(table_names).map(|(t, name)| {
            // a table has no canonical form: its text is its meaning
            let sha256 = sha(sources.get(t.file).text.as_bytes());
            (name.clone(), crate::load::FileLock { canonical: sha256.clone(), sha256 })
        }))
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
    sc_decls: Vec<&'a Decl>,
    scenarios: IndexMap<String, Scenario>,
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
        &[
            "label",
            "help",
            "note",
            "source",
            "weight",
            "weights",
            "aggregate",
            "missing",
            "impute",
            "treat",
            "indicator",
            "area",
        ],
    ),
    (
        "index",
        &[
            "label",
            "help",
            "note",
            "source",
            "weights",
            "aggregate",
            "missing",
            "impute",
            "treat",
            "screen",
            "indicator",
            "area",
        ],
    ),
    ("chapter", &["label", "help", "note", "source", "standard"]),
    ("standard", &["label", "help", "note", "source", "kind", "requires", "level", "baseline"]),
    ("recommend", &["label", "help", "note", "source"]),
    ("require", &["label", "help", "note", "source", "severity"]),
    ("uncertainty", &["label", "help", "note", "source", "vary"]),
    ("scenario", &["label", "help", "note", "source", "indicator", "area"]),
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
            sc_decls: vec![],
            scenarios: IndexMap::new(),
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
        self.noncompensatory_pass();
        self.unaggregated_pass();
        self.standards_pass();
        self.recommendations_pass();
        self.rules_pass();
        self.screen_pass();
        self.uncertainty_pass();
        self.scenarios_pass();
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
            parameters: IndexMap::new(),
            tables: IndexMap::new(),
            scenarios: std::mem::take(&mut self.scenarios),
        })
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

pub(crate) fn to_range(r: &ast::Range) -> NumRange {
    NumRange {
        lo: r.lo.map(|(value, inclusive)| Bound { value, inclusive }),
        hi: r.hi.map(|(value, inclusive)| Bound { value, inclusive }),
    }
}
