//! The abstract syntax tree: the contract between `syntax` and `check`.
//!
//! It says what was written, with a [`Span`] on every node, and nothing about whether it makes
//! sense: names are unresolved strings, properties may be in the wrong place. The checker decides.

use crate::source::Span;

/// A name as written, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// One rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// Top-level declarations in order.
    pub decls: Vec<Decl>,
}

/// A declaration, with its span and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    /// What kind of declaration, with its header.
    pub kind: DeclKind,
    /// The id (a standard's or chapter's code is an id too).
    pub id: Ident,
    /// The id's place, for "declared here" labels.
    pub span: Span,
    /// The whole declaration, from its keyword to its closing brace.
    pub whole: Span,
    /// Labels, properties and nested declarations.
    pub body: Vec<Item>,
}

/// The kinds of declaration and what their headers hold.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclKind {
    /// `methodology eaeu { … }`
    Methodology,
    /// `include "areas.tamga"` (the id holds the path).
    Include,
    /// `const release_best = 2`: a named constant, replaced by its value wherever it is used.
    Const {
        /// The value as written (a constant expression).
        value: Expr,
    },
    /// `table goalposts from "goalposts.csv"`: a lookup table read from a CSV file of the
    /// methodology's folder; `goalposts("release", "best")` reads one cell.
    Table {
        /// The file, relative to the rule file.
        file: String,
        /// Where the file name is written.
        file_span: Span,
    },
    /// `question q5 : hours in 0..=8760 required { … }`
    Question {
        /// The declared type.
        ty: QType,
        /// `in RANGE` in the header.
        range: Option<Range>,
        /// `required` or `optional` in the header.
        presence: Option<(bool, Span)>,
    },
    /// `group auto { question … }`
    Group,
    /// `indicator share = a / b * 100 { … }`
    Indicator {
        /// The formula, if written.
        formula: Option<Expr>,
    },
    /// `area tf { … }`
    Area,
    /// `index eaeu_index { … }`: the root of the hierarchy.
    Index,
    /// `chapter TF { standard … }`
    Chapter,
    /// `standard TF-1 { requires … }`
    Standard,
    /// `recommend r1 when cond { … }`
    Recommend {
        /// The condition.
        when: Expr,
    },
    /// `uncertainty { vary … }` (the id is `uncertainty`).
    Uncertainty,
    /// `scenario equal { area trade { weight 1 } indicator release { score minmax } }`: a named
    /// variant of the methodology (other weights, aggregations, scoring rules), evaluated beside it.
    Scenario,
    /// `require [id:] cond { … }`: a consistency rule between answers. Without an id written,
    /// the id is the condition as printed.
    Require {
        /// The condition.
        cond: Expr,
        /// Whether an id was written.
        named: bool,
    },
}

impl DeclKind {
    /// The keyword, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            DeclKind::Methodology => "methodology",
            DeclKind::Include => "include",
            DeclKind::Const { .. } => "const",
            DeclKind::Table { .. } => "table",
            DeclKind::Question { .. } => "question",
            DeclKind::Group => "group",
            DeclKind::Indicator { .. } => "indicator",
            DeclKind::Area => "area",
            DeclKind::Index => "index",
            DeclKind::Chapter => "chapter",
            DeclKind::Standard => "standard",
            DeclKind::Recommend { .. } => "recommend",
            DeclKind::Uncertainty => "uncertainty",
            DeclKind::Scenario => "scenario",
            DeclKind::Require { .. } => "require",
        }
    }
}

/// A question's type as written.
#[derive(Debug, Clone, PartialEq)]
pub enum QType {
    /// `number`, `count`, `percent`, `hours`, `money`, `yesno` (or an unknown word the checker rejects).
    Named(Ident),
    /// `choice(a, b, c)`
    Choice(Vec<Ident>),
}

/// One element of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Where.
    pub span: Span,
}

/// The elements a body can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// `en "Trade facilitation"`
    Label(Ident, String),
    /// `help en "…"`
    Help(Ident, String),
    /// `note en "…"`
    Note(Ident, String),
    /// `source "WCO TRS guide, 2018"`
    Source(String),
    /// `version "1.0.0"`
    Version(String),
    /// `scale 0..=100`
    Scale(Range),
    /// `precision 1`
    Precision(u32),
    /// `score_precision 1`
    ScorePrecision(u32),
    /// `rounding half_even`
    Rounding(Ident),
    /// `unit_name en "state"`
    UnitName(Ident, String),
    /// `languages ru, en`
    Languages(Vec<Ident>),
    /// `units AM, BY, KZ`: the order of the units in every output
    Units(Vec<Ident>),
    /// `unit "h"`
    Unit(String),
    /// `unit en "h" ru "ч"`: the unit's label per language
    UnitLabels(Vec<(Ident, String)>),
    /// `range 0..=100`
    Range(Range),
    /// `required` / `optional`
    Presence(bool),
    /// `option council en "Advisory council"`
    Option(Ident, Vec<(Ident, String)>),
    /// `higher_is_better` (true) / `lower_is_better` (false)
    Direction(bool),
    /// `reported_only`: a scored indicator that no area aggregates, on purpose
    ReportedOnly,
    /// `score goalposts(best: 1, worst: 72)`
    Score(ScoreRule),
    /// `weight 2`
    Weight(f64),
    /// `weight release_weight`, `weight weights("trade", "w")`: a constant or a table's cell,
    /// replaced by `Weight` with its value before the check.
    WeightOf(Expr),
    /// `weights budget(100) { a: 40, b: 60 }`, `weights ahp { a vs b: 3 }`, `weights equal`
    Weights(WeightsDecl),
    /// `aggregate geometric`
    Aggregate(Ident, Vec<Arg>),
    /// `missing reweight(min: 67%)`
    Missing(Ident, Vec<Arg>),
    /// `kind transitional`
    Kind(Ident),
    /// `outside_scale clamp` (`warn`, `clamp` or `allow`)
    OutsideScale(Ident),
    /// `requires release <= 24`
    Requires(Expr),
    /// `level advanced: release <= 24`
    Level(Ident, Expr),
    /// `baseline 168`
    Baseline(f64),
    /// `baseline release_baseline`: a constant or a table's cell, replaced by `Baseline` with its
    /// value before the check.
    BaselineOf(Expr),
    /// `severity warning` (of a consistency rule)
    Severity(Ident),
    /// `impute group_mean(by: region)`
    Impute(Ident, Vec<Arg>),
    /// `treat winsorise(points: 5)`
    Treat(Ident, Vec<Arg>),
    /// `screen(min: 90%)`
    Screen(Vec<Arg>),
    /// `vary weights by 25%`, `vary weight x in 0.5..=2`, `vary aggregate among mean, geometric`
    Vary {
        /// What is varied: `weights`, `weight`, `aggregate`, `score`, `impute`, `drop_one`.
        what: Ident,
        /// For `weight`: which node.
        target: Option<Ident>,
        /// How.
        spec: VarySpec,
    },
    /// A nested declaration (question in a group, indicator or area in an area, standard in a chapter).
    Decl(Box<Decl>),
}

impl ItemKind {
    /// The keyword that starts the item, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            ItemKind::Label(..) => "label",
            ItemKind::Help(..) => "help",
            ItemKind::Note(..) => "note",
            ItemKind::Source(..) => "source",
            ItemKind::Version(..) => "version",
            ItemKind::Scale(..) => "scale",
            ItemKind::Precision(..) => "precision",
            ItemKind::ScorePrecision(..) => "score_precision",
            ItemKind::Rounding(..) => "rounding",
            ItemKind::UnitName(..) => "unit_name",
            ItemKind::Languages(..) => "languages",
            ItemKind::Units(..) => "units",
            ItemKind::Unit(..) | ItemKind::UnitLabels(..) => "unit",
            ItemKind::Range(..) => "range",
            ItemKind::Presence(true) => "required",
            ItemKind::Presence(false) => "optional",
            ItemKind::Option(..) => "option",
            ItemKind::Direction(true) => "higher_is_better",
            ItemKind::Direction(false) => "lower_is_better",
            ItemKind::ReportedOnly => "reported_only",
            ItemKind::Score(..) => "score",
            ItemKind::Weight(..) | ItemKind::WeightOf(..) => "weight",
            ItemKind::Weights(..) => "weights",
            ItemKind::Aggregate(..) => "aggregate",
            ItemKind::Missing(..) => "missing",
            ItemKind::Kind(..) => "kind",
            ItemKind::OutsideScale(..) => "outside_scale",
            ItemKind::Requires(..) => "requires",
            ItemKind::Level(..) => "level",
            ItemKind::Baseline(..) | ItemKind::BaselineOf(..) => "baseline",
            ItemKind::Severity(..) => "severity",
            ItemKind::Impute(..) => "impute",
            ItemKind::Treat(..) => "treat",
            ItemKind::Screen(..) => "screen",
            ItemKind::Vary { .. } => "vary",
            ItemKind::Decl(d) => d.kind.keyword(),
        }
    }
}

/// `weights NAME(args) { entries }`: how an area's children are weighted.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightsDecl {
    /// `equal`, `budget`, `ahp` or `pca`.
    pub method: Ident,
    /// Arguments in parentheses (`budget(100)`).
    pub args: Vec<Arg>,
    /// The block's entries, in order.
    pub entries: Vec<WeightsEntry>,
}

/// `a: 40` (points of a child) or `a vs b: 3` (a pairwise comparison).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightsEntry {
    /// The child.
    pub a: Ident,
    /// The child it is compared with, in `a vs b: 3`.
    pub b: Option<Ident>,
    /// The number.
    pub value: Expr,
}

/// `score NAME(args) { bands }`
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRule {
    /// The rule's name: `goalposts`, `minmax`, `bands`, ….
    pub name: Ident,
    /// Arguments in parentheses.
    pub args: Vec<Arg>,
    /// A `{ range => score, … }` block, for `bands` and `categorical`.
    pub bands: Option<BandBlock>,
    /// The whole rule.
    pub span: Span,
}

/// How a choice is varied in a sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub enum VarySpec {
    /// Nothing more (`vary drop_one`).
    None,
    /// `by 25%`: relative noise.
    By(f64, bool),
    /// `by spread`: a constant or a table's cell, replaced by `By` with its value before the check.
    ByOf(Expr),
    /// `in 0.5..=2`: a range.
    In(Range),
    /// `among mean, geometric`: alternatives with their arguments.
    Among(Vec<(Ident, Vec<Arg>)>),
}

/// A call or rule argument, optionally named: `best: 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// `best` in `best: 1`.
    pub name: Option<Ident>,
    /// The value.
    pub value: Expr,
    /// What a threshold counts (`of 6`, `of weight`): only in `missing reweight(min: …)`.
    pub of: Option<Of>,
}

/// What a `min:` threshold counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Of {
    /// `of weight`: the value is a share of the total weight.
    Weight,
    /// `of 6`: the value is a number of children present, out of this many declared.
    Children(u32, Span),
}

/// A range of numbers with explicit edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// Lower bound and whether it is included.
    pub lo: Option<(f64, bool)>,
    /// Upper bound and whether it is included.
    pub hi: Option<(f64, bool)>,
    /// Where.
    pub span: Span,
    /// The bounds written by name (a constant `cap`, `-cap`, a table's cell), lower then upper:
    /// the bound's number is 0 until the checker puts the value there. The printer writes the names.
    pub names: Option<Box<RangeNames>>,
}

/// The bounds of a [`Range`] written by name; `None` for a bound written as a number or left open.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeNames {
    /// The lower bound as written.
    pub lo: Option<Expr>,
    /// The upper bound as written.
    pub hi: Option<Expr>,
}

impl Range {
    /// Whether `x` lies in the range.
    pub fn contains(&self, x: f64) -> bool {
        let lo_ok = match self.lo {
            None => true,
            Some((b, true)) => x >= b,
            Some((b, false)) => x > b,
        };
        let hi_ok = match self.hi {
            None => true,
            Some((b, true)) => x <= b,
            Some((b, false)) => x < b,
        };
        lo_ok && hi_ok
    }
}

/// `{ ..5 => 100, 5..10 => 75, else => 0 }`
#[derive(Debug, Clone, PartialEq)]
pub struct BandBlock {
    /// The arms in order.
    pub arms: Vec<(Range, Expr)>,
    /// The `else` arm.
    pub otherwise: Option<Box<Expr>>,
    /// The block.
    pub span: Span,
}

/// An expression with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^`
    Pow,
    /// `and`
    And,
    /// `or`
    Or,
    /// `??`
    Coalesce,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Coalesce => "??",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
        }
    }

    /// Whether this is a comparison.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne)
    }
}

/// Which standard function: `met(TF-1)`, `level(TF-1)`, `attainment(TF-1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardFn {
    /// yes/no: the standard is met.
    Met,
    /// the level attained, compared with a level name.
    Level,
    /// 0..scale: how far toward the target.
    Attainment,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `12.5`
    Number(f64),
    /// `5%`: five percentage points, of unit `%`.
    Percent(f64),
    /// `"council"`: a choice option or a missing reason.
    Str(String),
    /// `yes` / `no`
    Bool(bool),
    /// A question, indicator, group or area name.
    Name(Ident),
    /// `-x`
    Neg(Box<Expr>),
    /// `not x`
    Not(Box<Expr>),
    /// `a + b` and the other binary operators.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a < b < c`: kept (operands and operators) so the checker can explain why it is rejected.
    Chained(Vec<Expr>, Vec<BinOp>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `f(args)`
    Call(Ident, Vec<Arg>),
    /// `met(TF-1)`
    Standard(StandardFn, Ident),
    /// `bands(x) { … }`
    Bands(Box<Expr>, BandBlock),
    /// `match(q) { "a" | "b" => 1, else => 0 }`
    Match(Box<Expr>, Vec<(Vec<(String, Span)>, Expr)>, Option<Box<Expr>>),
}
