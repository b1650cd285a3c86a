//! What a report shows, in one language: the [`ResultDoc`] laid out for reading, with the
//! methodology's labels and structure from the [`Model`].
//!
//! Every number here is a figure of the result (its published text, and its value for chart
//! geometry); union statistics and changes come from the result's `union` and `change`, which the
//! eval stage computed. Building the view only picks labels, formats and orders. Each renderer
//! (HTML, Markdown, CSV) draws from one [`View`].

use super::cause::CauseDoc;
use super::json::{Num, ResultDoc, StatResult, UnitResult};
use super::svg::{self, Bar, MeanLine};
use super::text::{self, Texts};
use crate::i18n::Lang;
use crate::model::*;
use crate::number::shortest;

/// A report's content in one language.
#[derive(Debug)]
pub struct View {
    /// The language.
    pub lang: Lang,
    /// Fixed texts in that language.
    pub t: &'static Texts,
    /// The methodology's title.
    pub title: String,
    /// What a unit is called (`State`), capitalised for headers.
    pub unit_word: String,
    /// The score scale.
    pub scale: (f64, f64),
    /// The scale as text (`0–100`).
    pub scale_text: String,
    /// The colour classes of the scale.
    pub legend: Vec<LegendItem>,
    /// What the result is: the methodology's status and the data's notes.
    pub status: StatusView,
    /// Where the figures come from.
    pub provenance: Provenance,
    /// The executive summary of the latest period, before the detail.
    pub summary: Option<Summary>,
    /// Periods, the latest first.
    pub periods: Vec<PeriodView>,
    /// Change over time, when more than one period was evaluated.
    pub change: Option<ChangeView>,
    /// Missing values, values that cannot be assessed, warnings.
    pub quality: Quality,
    /// The indicators by area with their rationale and source, as the rule files give them.
    pub indicators: Vec<IndicatorGroup>,
    /// The statistical audit, when asked for (`tamga report --audit`): computed by
    /// [`crate::audit`] before rendering, laid out by [`crate::audit::view`].
    pub audit: Option<crate::audit::view::AuditView>,
    /// The ranks by scenario, when the methodology declares scenarios (`scenario name { … }`).
    pub scenarios: Option<ScenariosView>,
    /// The uncertainty and sensitivity analysis, when asked for (`tamga report --sensitivity N`):
    /// computed by [`crate::sensitivity`] before rendering, laid out by
    /// [`crate::sensitivity::view`].
    pub sensitivity: Option<crate::sensitivity::view::SensitivityView>,
}

/// The status of the result, in the report's language.
#[derive(Debug)]
pub struct StatusView {
    /// Fixed texts of the status.
    pub t: &'static super::status::Texts,
    /// `DRAFT`, `ПРОЕКТ`…, when the methodology is not approved (or no longer in force).
    pub mark: Option<String>,
    /// The decision (`approved by Decision No. 7 of 01.06.2025`), when one is recorded.
    pub decision: Option<String>,
    /// The mark's first words, for the printed watermark.
    pub watermark: Option<String>,
    /// The one status line (mark or decision, version, fingerprint, data).
    pub line: String,
    /// What the data say of themselves, short (`data: …`).
    pub data: String,
    /// The same without `data:`.
    pub data_text: String,
    /// Each distinct note of the submissions: who carries it, and the note.
    pub notes: Vec<(String, String)>,
}

/// The indicators of one area (or those outside every area).
#[derive(Debug)]
pub struct IndicatorGroup {
    /// The area's label; empty for indicators outside every area.
    pub label: String,
    /// The area's depth (0 for the index).
    pub depth: u32,
    /// Its indicators, in declaration order.
    pub rows: Vec<IndicatorRow>,
}

/// An indicator with its rationale and source.
#[derive(Debug)]
pub struct IndicatorRow {
    /// Id (for a tooltip).
    pub id: String,
    /// Label.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// The rationale (`note`) in the report's language, or empty.
    pub note: String,
    /// The source, as written, or empty.
    pub source: String,
}

/// One colour class of the legend.
#[derive(Debug)]
pub struct LegendItem {
    /// CSS class (`s0`…`s4`).
    pub class: String,
    /// The range it covers (`20–40`).
    pub range: String,
}

/// Provenance: the methodology, the inputs and tamga.
#[derive(Debug)]
pub struct Provenance {
    /// Methodology id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// Its fingerprint, when the result carries one.
    pub fingerprint: Option<String>,
    /// The tamga version.
    pub tamga: String,
    /// Rule files with their SHA-256.
    pub rule_files: Vec<FileHash>,
    /// Submissions with their SHA-256.
    pub inputs: Vec<InputHash>,
}

/// A file and its hash.
#[derive(Debug)]
pub struct FileHash {
    /// Path as given.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
}

/// A submission and its hash.
#[derive(Debug)]
pub struct InputHash {
    /// Path as given.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Unit code.
    pub unit: String,
    /// Period.
    pub period: String,
}

/// The executive summary (one page): index and rank per state, standards met, the largest
/// changes since the previous period and the key recommendations.
#[derive(Debug)]
pub struct Summary {
    /// Heading.
    pub heading: &'static str,
    /// The period summarised and what the table shows.
    pub intro: String,
    /// Column headings: state, index, rank, standards met, change.
    pub head: Vec<String>,
    /// One row per state, in the methodology's order of the states.
    pub rows: Vec<SummaryRow>,
    /// The union mean's index and change.
    pub mean: SummaryRow,
    /// Heading of the largest changes.
    pub changes_heading: &'static str,
    /// The largest changes since the previous period, in words (empty for one period).
    pub changes: Vec<String>,
    /// A union mean that moved while a state's score went missing, in words.
    pub mean_caveats: Vec<String>,
    /// Heading of the key recommendations.
    pub recs_heading: &'static str,
    /// Per state: its key recommendations (those of unmet standards first) and what else applies.
    pub recs: Vec<(UnitRef, Vec<String>, String)>,
}

/// A state's line of the summary.
#[derive(Debug)]
pub struct SummaryRow {
    /// The state.
    pub unit: UnitRef,
    /// Its index.
    pub index: Cell,
    /// Its rank by the published index (1 = highest; ties share a rank), or n/a.
    pub rank: String,
    /// The rank as a number, when ranked.
    pub rank_value: Option<usize>,
    /// Standards met, of the Code's standards (`14 of 25`).
    pub met: String,
    /// The change of its index since the previous period.
    pub change: DeltaCell,
}

/// A state: code and name.
#[derive(Debug, Clone)]
pub struct UnitRef {
    /// Code (`AM`).
    pub code: String,
    /// Name in the language (`Armenia`), or the code.
    pub name: String,
}

/// A column of the matrix: the index, an area or a sub-area.
#[derive(Debug, Clone)]
pub struct Column {
    /// Area id.
    pub id: String,
    /// Label.
    pub label: String,
    /// 0 for the index, 1 for areas, 2+ for sub-areas.
    pub depth: u32,
}

/// A score cell.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The published value, or "n/a".
    pub text: String,
    /// The value as published in the result (`.` decimals), empty when missing.
    pub plain: String,
    /// CSS class: `s0`…`s4`, or `na`.
    pub class: String,
    /// Why the value is missing (empty when present).
    pub reason: String,
    /// The value, for geometry.
    pub value: Option<f64>,
}

/// A row of the matrix: the index or an area, its score in every state, the union mean and the
/// best score.
#[derive(Debug)]
pub struct MatrixRow {
    /// The index or the area.
    pub area: Column,
    /// One cell per state.
    pub cells: Vec<Cell>,
    /// The union mean.
    pub mean: Cell,
    /// The best score.
    pub best: BestCell,
}

/// The best score of a column and who holds it.
#[derive(Debug)]
pub struct BestCell {
    /// The published best score.
    pub text: String,
    /// The states holding it (codes).
    pub units: String,
}

/// The states × areas matrix of one period, laid out with a row per area (and sub-area) and a
/// column per state, so that it reads and prints the same for three areas or thirty.
#[derive(Debug)]
pub struct Matrix {
    /// The states (columns).
    pub units: Vec<UnitRef>,
    /// The index, then each area followed by its sub-areas.
    pub rows: Vec<MatrixRow>,
    /// Per state: standards met, as `2/3`.
    pub met: Vec<String>,
    /// Number of standards.
    pub standards: usize,
    /// The scores marked `*` (computed over fewer children than declared), said in words:
    /// `Armenia (AM) — Business: 1 of 2, 50.0 % of the weight`.
    pub reweighted: Vec<String>,
    /// The areas whose weights are not declared one by one, each in a sentence with its weights.
    pub weights: Vec<String>,
}

/// A chart with its heading.
#[derive(Debug)]
pub struct Chart {
    /// Heading.
    pub title: String,
    /// The SVG element.
    pub svg: String,
}

/// One state's verdict on one standard.
#[derive(Debug)]
pub struct StdCell {
    /// `met`, `not_met` or `na`.
    pub class: &'static str,
    /// ✓, ✗ or ?.
    pub symbol: &'static str,
    /// The verdict in words.
    pub verdict: String,
    /// The level attained, for graded standards.
    pub level: String,
    /// The value against the target (`20.5 h; target ≤ 24 h`), or why it cannot be assessed.
    pub detail: String,
    /// Attainment on the scale.
    pub attainment: String,
}

/// A standard: its definition, every state's verdict, and the union count.
#[derive(Debug)]
pub struct StdRow {
    /// Code (`TF-1`).
    pub code: String,
    /// Label.
    pub label: String,
    /// Kind in words.
    pub kind: String,
    /// The requirement as written.
    pub requirement: String,
    /// Its levels (`basic: import_release <= 48`).
    pub levels: Vec<String>,
    /// The rationale (`note`) in the report's language, or empty.
    pub note: String,
    /// The source, as written, or empty.
    pub source: String,
    /// One cell per state.
    pub cells: Vec<StdCell>,
    /// Union count: met.
    pub met: usize,
    /// Union count: not met.
    pub not_met: usize,
    /// Union count: not assessable.
    pub not_assessable: usize,
}

/// A chapter of the Code with its standards.
#[derive(Debug)]
pub struct ChapterBlock {
    /// Code (`TF`); empty for standards outside any chapter.
    pub code: String,
    /// Label.
    pub label: String,
    /// Its standards.
    pub rows: Vec<StdRow>,
}

/// A row of chapter (or Code) scores: one cell per state and the union mean.
#[derive(Debug)]
pub struct ScoreRow {
    /// Label.
    pub label: String,
    /// Whether this is the whole Code's row.
    pub total: bool,
    /// Per state.
    pub cells: Vec<Cell>,
    /// Per state: met / not met / not assessable, as text.
    pub counts: Vec<String>,
    /// The union mean.
    pub mean: Cell,
}

/// The Code of Customs Standards, scored, for one period.
#[derive(Debug)]
pub struct Standards {
    /// The states (the columns).
    pub units: Vec<UnitRef>,
    /// Chapters with their standards.
    pub chapters: Vec<ChapterBlock>,
    /// Chapter scores, then the Code's.
    pub scores: Vec<ScoreRow>,
    /// The chapter and Code scores marked `*` (standards not applicable left out), in words.
    pub reweighted: Vec<String>,
}

/// A recommendation for a state.
#[derive(Debug)]
pub struct RecItem {
    /// Id.
    pub id: String,
    /// Text.
    pub text: String,
    /// The condition that triggered it, as written.
    pub condition: String,
    /// Whether it applies (otherwise its condition cannot be assessed).
    pub applies: bool,
    /// Why it cannot be assessed.
    pub reason: String,
    /// Its place in the reading order: 0 an unmet standard, 1 a transitional standard, 2 a
    /// recommended practice, 3 any other condition (below the union mean…), 4 cannot be assessed.
    pub rank: u8,
    /// Recommendations folded into this one because they say the same about the same area (an
    /// area below the union mean where a standard of that area is not met): text and condition.
    pub also: Vec<RecAlso>,
}

/// A recommendation folded into another ([`super::merge`]).
#[derive(Debug)]
pub struct RecAlso {
    /// Id.
    pub id: String,
    /// Text.
    pub text: String,
    /// The condition that triggered it, in words.
    pub condition: String,
}

/// The recommendations of one state.
#[derive(Debug)]
pub struct UnitRecs {
    /// The state.
    pub unit: UnitRef,
    /// Recommendations that apply or cannot be assessed.
    pub items: Vec<RecItem>,
}

/// Everything about one period.
#[derive(Debug)]
pub struct PeriodView {
    /// Period.
    pub period: String,
    /// The states evaluated.
    pub units: Vec<UnitRef>,
    /// States × areas.
    pub matrix: Matrix,
    /// A column chart per area (the index first).
    pub area_charts: Vec<Chart>,
    /// A profile per state.
    pub unit_charts: Vec<Chart>,
    /// The Code, scored.
    pub standards: Standards,
    /// Recommendations per state.
    pub recommendations: Vec<UnitRecs>,
    /// Every indicator's value and score per state, by area.
    pub indicators: Vec<DepthBlock>,
    /// State × element matrices of the element lists (groups of yes/no questions).
    pub elements: Vec<DepthBlock>,
}

/// The states of one table of the full-depth matrices: all of them, or, for a matrix too wide
/// for a page, a page's width of states ([`super::print::STATES_PER_PAGE`]).
#[derive(Debug, Clone, Copy)]
pub struct DepthPart {
    /// Index of its first state.
    pub first: usize,
    /// Index after its last state.
    pub end: usize,
}

impl PeriodView {
    /// The tables the full-depth matrices are set in: one, or a page's width of states each when
    /// the matrix prints in parts.
    pub fn depth_parts(&self) -> Vec<DepthPart> {
        let n = self.units.len();
        if !self.matrix.prints_in_parts() {
            return vec![DepthPart { first: 0, end: n }];
        }
        let per = super::print::STATES_PER_PAGE.max(1);
        (0..n).step_by(per).map(|a| DepthPart { first: a, end: (a + per).min(n) }).collect()
    }

    /// The states of a part.
    pub fn units_in(&self, part: &DepthPart) -> &[UnitRef] {
        self.units.get(part.first..part.end).unwrap_or(&[])
    }
}

impl DepthRow {
    /// The cells of a part's states.
    pub fn cells_in(&self, part: &DepthPart) -> &[DepthCell] {
        self.cells.get(part.first..part.end).unwrap_or(&[])
    }
}

/// A block of the full-depth matrix: an area's indicators, or an element list's elements.
#[derive(Debug)]
pub struct DepthBlock {
    /// The area or the list.
    pub label: String,
    /// 0 for the index, 1 for areas, 2+ for sub-areas.
    pub depth: u32,
    /// Its rows.
    pub rows: Vec<DepthRow>,
}

/// One indicator or element: a cell per state.
#[derive(Debug)]
pub struct DepthRow {
    /// Label.
    pub label: String,
    /// Id (for tooltips only).
    pub id: String,
    /// Per state.
    pub cells: Vec<DepthCell>,
}

/// An indicator's value and score (`9,0 ч → 90,0`), or an element's presence, in one state.
#[derive(Debug)]
pub struct DepthCell {
    /// The text.
    pub text: String,
    /// CSS class: the score's colour class, `met`, `not_met` or `na`.
    pub class: String,
    /// Why the value is missing, or empty.
    pub reason: String,
}

/// A difference between two periods.
#[derive(Debug, Clone)]
pub struct DeltaCell {
    /// `+2.5`, `−1.2`, `0.0`, or n/a.
    pub text: String,
    /// The difference as published in the result, empty when missing.
    pub plain: String,
    /// `up`, `down`, `flat` or `na`.
    pub class: &'static str,
    /// ▲, ▼, = or nothing.
    pub arrow: &'static str,
}

/// One line of a state's change: the index or an area.
#[derive(Debug)]
pub struct ChangeRow {
    /// Label.
    pub label: String,
    /// Area id.
    pub id: String,
    /// 0 for the index.
    pub depth: u32,
    /// The score in each period.
    pub scores: Vec<Cell>,
    /// The difference between each pair of consecutive periods.
    pub deltas: Vec<DeltaCell>,
}

/// One state's (or the union mean's) change.
#[derive(Debug)]
pub struct UnitChangeView {
    /// The state (or the union).
    pub unit: UnitRef,
    /// The index, then the areas.
    pub rows: Vec<ChangeRow>,
}

/// Change over time.
#[derive(Debug)]
pub struct ChangeView {
    /// The periods, earliest first.
    pub periods: Vec<String>,
    /// Headings of the differences (`2023 − 2022`).
    pub delta_heads: Vec<String>,
    /// The union mean first, then each state.
    pub units: Vec<UnitChangeView>,
    /// Union means that moved while a state's score went missing, in words.
    pub caveats: Vec<String>,
}

/// The ranks by scenario (the OECD/JRC Handbook's tables of rankings by method): each unit's
/// index and rank under the methodology, then under each scenario with the shift of its rank.
/// Every figure is the result's (`scenarios` of the result); the view picks labels and formats.
#[derive(Debug)]
pub struct ScenariosView {
    /// Heading (`Ranks by scenario`).
    pub heading: &'static str,
    /// What the tables show.
    pub intro: &'static str,
    /// What a rank and a shift are: the sign of a shift, ties, a unit without an index.
    pub note: &'static str,
    /// The heading over the methodology's columns (`Methodology`).
    pub methodology: &'static str,
    /// The heading of an index column.
    pub index: &'static str,
    /// The heading of a rank column.
    pub rank: &'static str,
    /// The heading of a shift column.
    pub shift: &'static str,
    /// The heading of the units' column (`State`).
    pub unit_word: String,
    /// The heading of the list of scenarios (`Scenarios`).
    pub list_heading: &'static str,
    /// The scenarios, in declaration order.
    pub scenarios: Vec<ScenarioHead>,
    /// One table per period, the latest first.
    pub periods: Vec<ScenarioTable>,
}

/// A scenario: its label and what it changes.
#[derive(Debug)]
pub struct ScenarioHead {
    /// Id.
    pub id: String,
    /// Label in the language, or the id.
    pub label: String,
    /// What it changes, as written (`weight trade 1`, `aggregate index geometric`).
    pub changes: Vec<String>,
}

/// The ranks by scenario in one period.
#[derive(Debug)]
pub struct ScenarioTable {
    /// Period.
    pub period: String,
    /// One row per unit, in the period's order.
    pub rows: Vec<ScenarioRow>,
    /// The largest shift of a rank and whose it is, in one sentence.
    pub largest: String,
}

/// A unit's index and rank under the methodology and under every scenario.
#[derive(Debug)]
pub struct ScenarioRow {
    /// The unit.
    pub unit: UnitRef,
    /// Its index under the methodology.
    pub index: Cell,
    /// Its rank under the methodology, or n/a.
    pub rank: String,
    /// Per scenario, in the order of [`ScenariosView::scenarios`].
    pub cells: Vec<ScenarioCell>,
}

/// A unit under one scenario.
#[derive(Debug)]
pub struct ScenarioCell {
    /// Its index under the scenario.
    pub index: Cell,
    /// Its rank under the scenario, or n/a.
    pub rank: String,
    /// The shift of its rank (the rank under the methodology less the rank under the scenario):
    /// `+2` (up), `−3` (down), `0`, or n/a.
    pub shift: DeltaCell,
}

impl ScenarioCell {
    /// The rank with its shift in one cell, as narrow tables show it: `4 (▼ −3)`, `1 (= 0)`, or
    /// n/a.
    pub fn rank_and_shift(&self) -> String {
        if self.shift.class == "na" {
            self.rank.clone()
        } else {
            format!("{} ({} {})", self.rank, self.shift.arrow, self.shift.text)
        }
    }
}

/// A missing value or a value that cannot be assessed.
#[derive(Debug)]
pub struct QualityRow {
    /// Period.
    pub period: String,
    /// State code.
    pub unit: String,
    /// What (`question q09_inspected`).
    pub what: String,
    /// Its id.
    pub id: String,
    /// Why, in words.
    pub reason: String,
}

/// A consistency rule a state's answers violate.
#[derive(Debug)]
pub struct RuleRow {
    /// Period.
    pub period: String,
    /// State code.
    pub unit: String,
    /// The rule's label.
    pub label: String,
    /// The rule's id.
    pub id: String,
    /// The condition as written (empty when it is the id).
    pub condition: String,
    /// The answers it names, as submitted (`ren = 25, est = 22`).
    pub answers: String,
    /// What follows (error: not used; warning: used as given).
    pub effect: String,
}

/// An evaluation warning.
#[derive(Debug)]
pub struct WarningRow {
    /// Period.
    pub period: String,
    /// State code, or "all states".
    pub unit: String,
    /// What was computed.
    pub target: String,
    /// What happened.
    pub message: String,
    /// `file:line`.
    pub place: String,
    /// The expression.
    pub expression: String,
}

/// The data-quality section.
#[derive(Debug)]
pub struct Quality {
    /// Answers missing, with their reason.
    pub missing_answers: Vec<QualityRow>,
    /// Values that cannot be assessed, with their cause.
    pub not_assessable: Vec<QualityRow>,
    /// Consistency rules violated.
    pub rules: Vec<RuleRow>,
    /// Warnings from the evaluation.
    pub warnings: Vec<WarningRow>,
}

/// Builds the view of a result in a language.
pub fn build(model: &Model, doc: &ResultDoc, lang: Lang) -> View {
    let t = text::texts(lang);
    let scale = (doc.methodology.scale[0], doc.methodology.scale[1]);
    let edges = svg::class_edges(scale);
    let legend = (0..5)
        .map(|k| LegendItem {
            class: format!("s{k}"),
            range: format!("{}–{}", text::number(lang, &tick(edges[k])), text::number(lang, &tick(edges[k + 1]))),
        })
        .collect();
    let unit_word = capitalise(lang.pick(&model.header.unit_name, t.unit_fallback));
    let links = super::merge::Links::new(model, |id| {
        model
            .recommendations
            .get(id)
            .map(|r| {
                model.standards.values().filter(|s| names_code(&r.when_text, &s.code)).map(|s| s.code.clone()).collect()
            })
            .unwrap_or_default()
    });
    let b = Builder { model, doc, lang, t, scale, links };
    let mut periods: Vec<PeriodView> = doc.periods.iter().map(|p| b.period(p)).collect();
    periods.reverse();
    // the full-depth matrices for the latest period only: an earlier period's detail is its
    // matrix and the change over time, not the whole paper again
    for p in periods.iter_mut().skip(1) {
        p.indicators.clear();
        p.elements.clear();
    }
    View {
        lang,
        t,
        title: lang.pick(&doc.methodology.title, &doc.methodology.id).to_string(),
        unit_word,
        scale,
        scale_text: format!("{}–{}", text::number(lang, &tick(scale.0)), text::number(lang, &tick(scale.1))),
        legend,
        status: b.status(),
        provenance: b.provenance(),
        summary: b.summary(),
        periods,
        change: b.change(),
        quality: b.quality(),
        indicators: b.indicators(),
        scenarios: b.scenarios(),
        audit: None,
        sensitivity: None,
    }
}

fn tick(x: f64) -> String {
    shortest(x)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

struct Builder<'a> {
    model: &'a Model,
    doc: &'a ResultDoc,
    lang: Lang,
    t: &'static Texts,
    scale: (f64, f64),
    links: super::merge::Links,
}

impl Builder<'_> {
    fn label<'b>(&self, labels: &'b Labels, id: &'b str) -> &'b str {
        self.lang.pick(labels, id)
    }

    fn unit(&self, r: &UnitResult) -> UnitRef {
        UnitRef { code: r.unit.clone(), name: self.lang.pick(&r.name, &r.unit).to_string() }
    }

    fn reason(&self, r: Option<Reason>) -> String {
        r.map(|r| text::reason(self.lang, r).to_string()).unwrap_or_default()
    }

    fn num_text(&self, n: &Num) -> String {
        match &n.display {
            Some(d) => text::number(self.lang, d),
            None => match n.value {
                Some(v) => text::number(self.lang, &shortest(v)),
                None => self.t.na.to_string(),
            },
        }
    }

    fn cell(&self, n: &Num) -> Cell {
        let class = match n.value {
            Some(v) => format!("s{}", svg::class_of(v, self.scale)),
            None => "na".into(),
        };
        let mut text = self.num_text(n);
        if n.coverage.is_some() {
            text.push('*');
        }
        Cell {
            text,
            plain: n.display.clone().or_else(|| n.value.map(shortest)).unwrap_or_default(),
            class,
            reason: self.reason(n.missing),
            value: n.value,
        }
    }

    fn na_cell(&self, reason: Reason) -> Cell {
        Cell {
            text: self.t.na.into(),
            plain: String::new(),
            class: "na".into(),
            reason: self.reason(Some(reason)),
            value: None,
        }
    }

    /// The index and the areas in tree order: each area followed by its sub-areas.
    fn columns(&self) -> Vec<Column> {
        let m = self.model;
        let mut out = vec![];
        let mut stack = vec![m.index.as_str()];
        while let Some(id) = stack.pop() {
            let Some(a) = m.areas.get(id) else { continue };
            out.push(Column { id: a.id.clone(), label: self.label(&a.labels, &a.id).to_string(), depth: a.depth });
            for c in a.children.iter().rev().filter(|c| c.kind == "area") {
                stack.push(c.id.as_str());
            }
        }
        out
    }

    fn score_of<'r>(&self, r: &'r UnitResult, area: &str) -> Option<&'r Num> {
        if area == self.model.index {
            Some(&r.index)
        } else {
            r.areas.get(area)
        }
    }

    fn stat_of<'r>(&self, p: &'r super::json::PeriodResult, area: &str) -> Option<&'r StatResult> {
        if area == self.model.index {
            Some(&p.union.index)
        } else {
            p.union.areas.get(area)
        }
    }

    fn period(&self, p: &super::json::PeriodResult) -> PeriodView {
        let columns = self.columns();
        let units: Vec<UnitRef> = p.results.iter().map(|r| self.unit(r)).collect();
        let stats: Vec<Option<&StatResult>> = columns.iter().map(|c| self.stat_of(p, &c.id)).collect();
        let rows = columns
            .iter()
            .zip(&stats)
            .map(|(c, s)| MatrixRow {
                area: c.clone(),
                cells: p
                    .results
                    .iter()
                    .map(|r| {
                        self.score_of(r, &c.id).map(|n| self.cell(n)).unwrap_or(self.na_cell(Reason::NotAssessable))
                    })
                    .collect(),
                mean: s.map(|s| self.cell(&s.mean)).unwrap_or(self.na_cell(Reason::InsufficientData)),
                best: match s {
                    Some(s) if s.max.value.is_some() => {
                        BestCell { text: self.num_text(&s.max), units: best_units(&s.best, self.lang) }
                    }
                    _ => BestCell { text: self.t.na.into(), units: String::new() },
                },
            })
            .collect();
        let mut reweighted = vec![];
        for c in &columns {
            for (r, u) in p.results.iter().zip(&units) {
                if let Some(cv) = self.score_of(r, &c.id).and_then(|n| n.coverage.as_ref()) {
                    reweighted.push(self.coverage_text(u, &c.label, cv));
                }
            }
        }
        let matrix = Matrix {
            units: units.clone(),
            rows,
            met: p.results.iter().map(|r| format!("{}/{}", r.code.met, self.model.standards.len())).collect(),
            standards: self.model.standards.len(),
            reweighted,
            weights: self.weights(p),
        };
        let area_charts = columns
            .iter()
            .zip(&stats)
            .map(|(c, s)| {
                let bars: Vec<Bar> = p
                    .results
                    .iter()
                    .map(|r| {
                        let cell = self
                            .score_of(r, &c.id)
                            .map(|n| self.cell(n))
                            .unwrap_or(self.na_cell(Reason::NotAssessable));
                        let name = self.lang.pick(&r.name, &r.unit);
                        let tooltip = if cell.value.is_some() {
                            format!("{name}: {}", cell.text)
                        } else {
                            format!("{name}: {} ({})", cell.text, cell.reason)
                        };
                        Bar {
                            label: name.to_string(),
                            indent: 0,
                            value: cell.value,
                            text: cell.text,
                            tooltip,
                            mean: None,
                            strong: false,
                        }
                    })
                    .collect();
                let mean = s.and_then(|s| {
                    s.mean.value.map(|v| MeanLine {
                        value: v,
                        label: format!("{} {}", self.t.mean_short, self.num_text(&s.mean)),
                    })
                });
                let title = format!("{} · {}", c.label, p.period);
                Chart { title: c.label.clone(), svg: svg::columns(&title, &bars, self.scale, mean.as_ref()) }
            })
            .collect();
        let unit_charts = p
            .results
            .iter()
            .map(|r| {
                let rows: Vec<Bar> = columns
                    .iter()
                    .zip(&stats)
                    .map(|(c, s)| {
                        let cell = self
                            .score_of(r, &c.id)
                            .map(|n| self.cell(n))
                            .unwrap_or(self.na_cell(Reason::NotAssessable));
                        let mean_text = s.map(|s| self.num_text(&s.mean)).unwrap_or_default();
                        let tooltip = if cell.value.is_some() {
                            format!("{}: {} ({} {mean_text})", c.label, cell.text, self.t.mean_short)
                        } else {
                            format!("{}: {} ({})", c.label, cell.text, cell.reason)
                        };
                        Bar {
                            label: c.label.clone(),
                            indent: c.depth.saturating_sub(1),
                            value: cell.value,
                            text: cell.text,
                            tooltip,
                            mean: s.and_then(|s| s.mean.value),
                            strong: c.depth == 0,
                        }
                    })
                    .collect();
                let u = self.unit(r);
                let title = format!("{} ({}) · {}", u.name, u.code, p.period);
                Chart {
                    title: format!("{} ({})", u.name, u.code),
                    svg: svg::profile(&title, &rows, self.scale, self.t.mean_short),
                }
            })
            .collect();
        PeriodView {
            period: p.period.clone(),
            units: units.clone(),
            matrix,
            area_charts,
            unit_charts,
            standards: self.standards(p, units),
            recommendations: self.recommendations(p),
            indicators: self.indicator_matrix(p),
            elements: self.element_matrices(p),
        }
    }

    /// Each area whose weights are not declared one by one: how they were obtained, and the
    /// weights (for `aggregate bod`, each state's score before it is placed on the scale).
    fn weights(&self, p: &super::json::PeriodResult) -> Vec<String> {
        use crate::eval::DerivedKind;
        use crate::model::WeightsFrom;
        let lang = self.lang;
        let tr = |en: &str, ru: &str| if lang == Lang::Ru { ru.to_string() } else { en.to_string() };
        let num = |x: f64, d: u32| crate::i18n::number(lang, &crate::number::fixed(x, d, self.model.header.rounding));
        p.weights
            .iter()
            .map(|w| {
                let area = self.model.areas.get(&w.area).map(|a| self.label(&a.labels, &a.id)).unwrap_or(&w.area);
                let how = match (&w.how, &w.data) {
                    (_, Some(DerivedKind::Bod { .. })) => tr(
                        "benefit of the doubt: each state's own most favourable weights; its score before scaling",
                        "«презумпция благоприятности»: у каждого государства свои наиболее выгодные веса; оценка до перевода на шкалу",
                    ),
                    (WeightsFrom::Equal, _) => tr("equal weights", "равные веса"),
                    (WeightsFrom::Budget { budget, .. }, _) => {
                        format!("{} {}", tr("budget allocation of", "распределение бюджета"), num(*budget, 2))
                    }
                    (WeightsFrom::Ahp(a), _) => {
                        format!("{} CR = {}", tr("analytic hierarchy process,", "метод анализа иерархий,"), num(a.cr, 3))
                    }
                    (WeightsFrom::Pca, Some(DerivedKind::Pca { pca: Some(x), .. })) => format!(
                        "{} {} ({} {}, {} {})",
                        tr("principal components of the data of", "главные компоненты данных периода"),
                        p.period,
                        x.complete_cases,
                        tr("states", "гос."),
                        x.retained,
                        tr("factor(s)", "фактор(а)")
                    ),
                    (WeightsFrom::Pca, _) => tr(
                        "principal components cannot be computed on this period's data: equal weights",
                        "главные компоненты по данным этого периода не рассчитываются: равные веса",
                    ),
                    (WeightsFrom::Declared, _) => String::new(),
                };
                let values: Vec<String> = match (&w.weights, &w.data) {
                    (Some(ws), _) => w
                        .children
                        .iter()
                        .zip(ws)
                        .map(|(c, x)| {
                            let label = match self.model.indicators.get(c) {
                                Some(i) => self.label(&i.labels, c),
                                None => self.model.areas.get(c).map(|a| self.label(&a.labels, c)).unwrap_or(c),
                            };
                            format!("{label} {}", num(*x, 3))
                        })
                        .collect(),
                    (None, Some(DerivedKind::Bod { units })) => units
                        .iter()
                        .map(|u| format!("{} {}", u.unit, u.score.map(|s| num(s, 3)).unwrap_or_else(|| self.t.na.into())))
                        .collect(),
                    _ => vec![],
                };
                format!("{area} — {how}: {}", values.join(", "))
            })
            .collect()
    }

    fn standards(&self, p: &super::json::PeriodResult, units: Vec<UnitRef>) -> Standards {
        let m = self.model;
        let words = crate::words::Words::new(m, self.lang);
        let t = self.t;
        let mut chapters: Vec<ChapterBlock> = m
            .chapters
            .values()
            .map(|c| ChapterBlock {
                code: c.code.clone(),
                label: self.label(&c.labels, &c.code).to_string(),
                rows: vec![],
            })
            .collect();
        for s in m.standards.values() {
            let cells = p.results.iter().map(|r| self.std_cell(s, r)).collect();
            let tally = p.union.standards.get(&s.code).copied().unwrap_or_default();
            let row = StdRow {
                code: s.code.clone(),
                label: self.label(&s.labels, &s.code).to_string(),
                kind: match s.kind {
                    StandardKind::Standard => t.kind_standard,
                    StandardKind::Transitional => t.kind_transitional,
                    StandardKind::Recommended => t.kind_recommended,
                }
                .to_string(),
                requirement: crate::words::capitalise(&words.requirement(s)),
                levels: {
                    // a level over the requirement's quantity says only its bound: «базовый: не более 48 ч»
                    let req = words.requirement(s);
                    let subject = req.split_once(" — ").map(|(a, _)| format!("{a} — "));
                    words
                        .levels(s)
                        .into_iter()
                        .map(|(name, w)| {
                            let w = match &subject {
                                Some(pre) if w.starts_with(pre.as_str()) && !w[pre.len()..].contains(" — ") => {
                                    w[pre.len()..].to_string()
                                }
                                _ => w,
                            };
                            format!("{name}: {w}")
                        })
                        .collect()
                },
                note: self.note(&s.notes),
                source: s.source.clone().unwrap_or_default(),
                cells,
                met: tally.met,
                not_met: tally.not_met,
                not_assessable: tally.not_assessable,
            };
            match s.chapter.as_ref().and_then(|c| chapters.iter_mut().find(|b| &b.code == c)) {
                Some(b) => b.rows.push(row),
                None => match chapters.iter_mut().find(|b| b.code.is_empty()) {
                    Some(b) => b.rows.push(row),
                    None => chapters.push(ChapterBlock { code: String::new(), label: String::new(), rows: vec![row] }),
                },
            }
        }
        chapters.retain(|c| !c.rows.is_empty());
        let counts = |met: usize, not: usize, na: usize| format!("{met} / {not} / {na}");
        let mut scores: Vec<ScoreRow> = m
            .chapters
            .values()
            .map(|c| ScoreRow {
                label: format!("{} {}", c.code, self.label(&c.labels, &c.code)),
                total: false,
                cells: p
                    .results
                    .iter()
                    .map(|r| {
                        r.chapters
                            .get(&c.code)
                            .map(|s| self.cell(&s.score))
                            .unwrap_or(self.na_cell(Reason::NotAssessable))
                    })
                    .collect(),
                counts: p
                    .results
                    .iter()
                    .map(|r| {
                        r.chapters.get(&c.code).map(|s| counts(s.met, s.not_met, s.not_assessable)).unwrap_or_default()
                    })
                    .collect(),
                mean: p
                    .union
                    .chapters
                    .get(&c.code)
                    .map(|s| self.cell(&s.mean))
                    .unwrap_or(self.na_cell(Reason::InsufficientData)),
            })
            .collect();
        if !m.standards.is_empty() {
            scores.push(ScoreRow {
                label: t.code_score.to_string(),
                total: true,
                cells: p.results.iter().map(|r| self.cell(&r.code.score)).collect(),
                counts: p.results.iter().map(|r| counts(r.code.met, r.code.not_met, r.code.not_assessable)).collect(),
                mean: self.cell(&p.union.code.mean),
            });
        }
        let mut reweighted = vec![];
        for r in &p.results {
            let unit = self.unit(r);
            let nodes = m
                .chapters
                .values()
                .filter_map(|c| {
                    Some((format!("{} {}", c.code, self.label(&c.labels, &c.code)), &r.chapters.get(&c.code)?.score))
                })
                .chain(std::iter::once((t.code_score.to_string(), &r.code.score)));
            for (label, n) in nodes {
                if let Some(cv) = &n.coverage {
                    reweighted.push(self.coverage_text(&unit, &label, cv));
                }
            }
        }
        Standards { units, chapters, scores, reweighted }
    }

    /// `Armenia (AM) — Business: 1 of 2, 50.0 % of the weight`.
    fn coverage_text(&self, u: &UnitRef, label: &str, cv: &super::json::CoverageResult) -> String {
        let share = text::number(
            self.lang,
            &crate::number::fixed(cv.weight_share * 100.0, 1, crate::number::Rounding::HalfAwayFromZero),
        );
        format!(
            "{} ({}) — {label}: {} {} {}, {share}{} {}",
            u.name,
            u.code,
            cv.counted,
            self.t.of,
            cv.declared,
            if self.lang == Lang::Ru { "\u{a0}%" } else { "%" },
            self.t.of_weight
        )
    }

    fn std_cell(&self, s: &Standard, r: &UnitResult) -> StdCell {
        let t = self.t;
        let Some(res) = r.standards.get(&s.code) else {
            return StdCell {
                class: "na",
                symbol: "?",
                verdict: t.not_assessable.into(),
                level: String::new(),
                detail: String::new(),
                attainment: String::new(),
            };
        };
        let (class, symbol, verdict) = match res.verdict {
            "met" => ("met", "✓", t.met),
            "not_met" => ("not_met", "✗", t.not_met),
            _ => ("na", "?", t.not_assessable),
        };
        let detail = match (&res.value, res.target) {
            _ if res.verdict == "not_assessable" => self.reason(res.missing),
            (Some(v), Some(target)) if v.value.is_some() => {
                let (op, unit) = comparison(self.model, self.lang, &s.requires_text);
                let unit = if unit.is_empty() { String::new() } else { format!("\u{a0}{unit}") };
                let target = text::number(self.lang, &shortest(target));
                format!("{}{unit}; {} {op} {target}{unit}", self.num_text(v), t.target)
            }
            (Some(v), _) => self.reason(v.missing),
            _ => String::new(),
        };
        StdCell {
            class,
            symbol,
            verdict: verdict.into(),
            level: res.level.as_deref().map(|l| text::level(self.lang, l)).unwrap_or_default(),
            detail,
            attainment: if res.attainment.value.is_some() { self.num_text(&res.attainment) } else { String::new() },
        }
    }

    /// Every state's recommendations in one reading order: those of unmet standards first (the
    /// Code's standards, then transitional standards, then recommended practices), then the
    /// others (below the union mean…), then those that cannot be assessed; each in declaration
    /// order within its kind. The condition is in words.
    fn recommendations(&self, p: &super::json::PeriodResult) -> Vec<UnitRecs> {
        let words = crate::words::Words::new(self.model, self.lang);
        p.results
            .iter()
            .map(|r| {
                let mut items: Vec<RecItem> = r
                    .recommendations
                    .iter()
                    .map(|rec| {
                        let model = self.model.recommendations.get(&rec.id);
                        let applies = rec.status == "applies";
                        RecItem {
                            id: rec.id.clone(),
                            text: self.label(&rec.text, &rec.id).to_string(),
                            condition: model.map(|m| crate::words::capitalise(&words.condition(m))).unwrap_or_default(),
                            applies,
                            reason: if applies {
                                String::new()
                            } else {
                                self.rec_cause(r, rec.id.as_str(), rec.missing)
                            },
                            rank: if applies { model.map_or(3, |m| self.rec_rank(m)) } else { 4 },
                            also: vec![],
                        }
                    })
                    .collect();
                items.sort_by_key(|i| i.rank);
                self.fold_repeats(&mut items);
                UnitRecs { unit: self.unit(r), items }
            })
            .collect()
    }

    /// Folds each applying recommendation about an area into the first applying recommendation of
    /// an unmet standard of that area (in reading order), so that one weakness is one item.
    fn fold_repeats(&self, items: &mut Vec<RecItem>) {
        let mut k = 0;
        while k < items.len() {
            let it = &items[k];
            let target = if it.applies && it.rank == 3 && self.links.is_about_area(&it.id) {
                items[..k].iter().position(|s| s.applies && s.rank < 3 && self.links.repeats(&s.id, &it.id))
            } else {
                None
            };
            match target {
                Some(t) => {
                    let it = items.remove(k);
                    items[t].also.push(RecAlso { id: it.id, text: it.text, condition: it.condition });
                }
                None => k += 1,
            }
        }
    }

    /// The standards a recommendation's condition names (`not met(TF-1)`), in the Code's order.
    fn rec_standards(&self, rec: &Recommendation) -> Vec<&Standard> {
        self.model.standards.values().filter(|s| names_code(&rec.when_text, &s.code)).collect()
    }

    /// 0 an unmet standard, 1 a transitional standard, 2 a recommended practice, 3 other.
    fn rec_rank(&self, rec: &Recommendation) -> u8 {
        self.rec_standards(rec)
            .iter()
            .map(|s| match s.kind {
                StandardKind::Standard => 0,
                StandardKind::Transitional => 1,
                StandardKind::Recommended => 2,
            })
            .min()
            .unwrap_or(3)
    }

    /// Why a recommendation cannot be assessed, said through what its condition needs: the
    /// standards it names that cannot be assessed, with their reasons, instead of repeating
    /// "cannot be assessed".
    fn rec_cause(&self, r: &UnitResult, id: &str, missing: Option<Reason>) -> String {
        let ru = self.lang == Lang::Ru;
        let causes: Vec<String> = self
            .model
            .recommendations
            .get(id)
            .map(|m| self.rec_standards(m))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| {
                let res = r.standards.get(&s.code)?;
                (res.verdict == "not_assessable").then(|| {
                    let label = self.label(&s.labels, &s.code);
                    let why = self.reason(res.missing);
                    if ru {
                        format!("стандарт {} «{label}» не оценивается ({why})", s.code)
                    } else {
                        format!("standard {} “{label}” cannot be assessed ({why})", s.code)
                    }
                })
            })
            .collect();
        if !causes.is_empty() {
            return causes.join("; ");
        }
        match missing {
            Some(Reason::NotAssessable) | None => {
                if ru {
                    "для её условия нет данных".into()
                } else {
                    "its condition has no data".into()
                }
            }
            Some(m) => self.reason(Some(m)),
        }
    }

    /// A note in the report's language (falling back to English, then any), or empty.
    fn note(&self, notes: &Labels) -> String {
        self.lang.pick(notes, "").to_string()
    }

    fn status(&self) -> StatusView {
        let s = &self.doc.status;
        StatusView {
            t: super::status::texts(self.lang),
            mark: s.mark(self.lang).map(String::from),
            watermark: s.watermark(self.lang).map(String::from),
            decision: s.decision(self.lang),
            line: s.line(&self.doc.methodology.id, self.lang),
            data: s.data_summary(self.lang),
            data_text: s.data_text(self.lang),
            notes: s.note_lines(self.lang),
        }
    }

    /// Every indicator under its area (the index and the areas in tree order), then those outside
    /// every area.
    fn indicators(&self) -> Vec<IndicatorGroup> {
        let row = |i: &Indicator| IndicatorRow {
            id: i.id.clone(),
            label: self.label(&i.labels, &i.id).to_string(),
            // a count has no unit worth printing (as in the standards' details)
            unit: crate::i18n::unit_label(self.lang, &i.unit, &i.unit_labels),
            note: self.note(&i.notes),
            source: i.source.clone().unwrap_or_default(),
        };
        self.by_area(row).into_iter().map(|(label, depth, rows)| IndicatorGroup { label, depth, rows }).collect()
    }

    /// A row per indicator, grouped under its area: the index and the areas in tree order (each
    /// group with the area's label and depth), then the indicators outside every area (an
    /// unlabelled group at depth 1). Areas without indicators have no group.
    fn by_area<R>(&self, row: impl Fn(&Indicator) -> R) -> Vec<(String, u32, Vec<R>)> {
        let m = self.model;
        let mut groups: Vec<(String, u32, Vec<R>)> = self
            .columns()
            .iter()
            .filter_map(|c| {
                let a = m.areas.get(&c.id)?;
                let rows: Vec<R> = a
                    .children
                    .iter()
                    .filter(|ch| ch.kind == "indicator")
                    .filter_map(|ch| m.indicators.get(&ch.id))
                    .map(&row)
                    .collect();
                (!rows.is_empty()).then(|| (c.label.clone(), c.depth, rows))
            })
            .collect();
        let placed =
            |id: &str| m.areas.values().any(|a| a.children.iter().any(|c| c.kind == "indicator" && c.id == id));
        let others: Vec<R> = m.indicators.values().filter(|i| !placed(&i.id)).map(&row).collect();
        if !others.is_empty() {
            groups.push((String::new(), 1, others));
        }
        groups
    }

    fn provenance(&self) -> Provenance {
        let m = &self.doc.methodology;
        Provenance {
            id: m.id.clone(),
            version: m.version.clone(),
            fingerprint: m.fingerprint.clone(),
            tamga: self.doc.tamga.to_string(),
            rule_files: m.files.iter().map(|f| FileHash { file: f.file.clone(), sha256: f.sha256.clone() }).collect(),
            inputs: self
                .doc
                .inputs
                .iter()
                .map(|i| InputHash {
                    file: i.file.clone(),
                    sha256: i.sha256.clone(),
                    unit: i.unit.clone(),
                    period: i.period.clone(),
                })
                .collect(),
        }
    }

    fn delta_cell(&self, n: Option<&Num>) -> DeltaCell {
        match n {
            Some(n) if n.value.is_some() => {
                let d = n.display.clone().unwrap_or_default();
                let zero = d.trim_start_matches('-').chars().all(|c| c == '0' || c == '.');
                let negative = d.starts_with('-') && !zero;
                let (class, arrow, sign) = if zero {
                    ("flat", "=", "")
                } else if negative {
                    ("down", "▼", "")
                } else {
                    ("up", "▲", "+")
                };
                let shown = if zero { d.trim_start_matches('-').to_string() } else { d.clone() };
                DeltaCell {
                    text: format!("{sign}{}", text::number(self.lang, &shown)),
                    plain: n.display.clone().unwrap_or_default(),
                    class,
                    arrow,
                }
            }
            _ => DeltaCell { text: self.t.na.into(), plain: String::new(), class: "na", arrow: "" },
        }
    }

    /// A rank as shown: `3`, or n/a.
    fn rank_text(&self, r: Option<f64>) -> String {
        r.filter(|x| x.is_finite()).map(shortest).unwrap_or_else(|| self.t.na.into())
    }

    /// A shift of rank as shown: `+2` with ▲, `−3` with ▼, `0` with =, or n/a.
    fn shift_cell(&self, s: Option<f64>) -> DeltaCell {
        match s.filter(|x| x.is_finite()) {
            Some(x) if x > 0.0 => {
                DeltaCell { text: format!("+{}", shortest(x)), plain: shortest(x), class: "up", arrow: "▲" }
            }
            Some(x) if x < 0.0 => {
                DeltaCell {
                    text: text::number(self.lang, &shortest(x)), plain: shortest(x), class: "down", arrow: "▼"
                }
            }
            Some(_) => DeltaCell { text: "0".into(), plain: "0".into(), class: "flat", arrow: "=" },
            None => DeltaCell { text: self.t.na.into(), plain: String::new(), class: "na", arrow: "" },
        }
    }

    /// The ranks by scenario: a table per period (the latest first), when the result has scenarios.
    fn scenarios(&self) -> Option<ScenariosView> {
        use std::collections::HashMap;
        if self.doc.scenarios.is_empty() {
            return None;
        }
        let ru = self.lang == Lang::Ru;
        let tr = |en: &'static str, ru_: &'static str| if ru { ru_ } else { en };
        let (q0, q1) = if ru { ("«", "»") } else { ("“", "”") };
        let heads: Vec<ScenarioHead> = self
            .doc
            .scenarios
            .iter()
            .map(|s| ScenarioHead {
                id: s.id.clone(),
                label: self.label(&s.text, &s.id).to_string(),
                changes: s.changes.clone(),
            })
            .collect();
        let mut periods = vec![];
        for p in self.doc.periods.iter().rev() {
            // each scenario's results in this period, looked up by unit code
            let by_unit: Vec<HashMap<&str, &super::json::ScenarioUnitResult>> = self
                .doc
                .scenarios
                .iter()
                .map(|s| {
                    s.periods
                        .iter()
                        .filter(|sp| sp.period == p.period)
                        .flat_map(|sp| sp.results.iter().rev())
                        .map(|u| (u.unit.as_str(), u))
                        .collect()
                })
                .collect();
            // the largest shift (by size): (size, scenario, row)
            let mut largest: Vec<(f64, usize, usize)> = vec![];
            let rows: Vec<ScenarioRow> = p
                .results
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let found: Vec<Option<&&super::json::ScenarioUnitResult>> =
                        by_unit.iter().map(|m| m.get(r.unit.as_str())).collect();
                    let base = found.iter().flatten().find_map(|u| u.base_rank);
                    let cells = found
                        .iter()
                        .enumerate()
                        .map(|(j, u)| match u {
                            Some(u) => {
                                if let Some(x) = u.shift.filter(|x| x.is_finite() && *x != 0.0) {
                                    largest.push((x.abs(), j, k));
                                }
                                ScenarioCell {
                                    index: self.cell(&u.index),
                                    rank: self.rank_text(u.rank),
                                    shift: self.shift_cell(u.shift),
                                }
                            }
                            None => ScenarioCell {
                                index: self.na_cell(Reason::NotAssessable),
                                rank: self.t.na.into(),
                                shift: self.shift_cell(None),
                            },
                        })
                        .collect();
                    ScenarioRow { unit: self.unit(r), index: self.cell(&r.index), rank: self.rank_text(base), cells }
                })
                .collect();
            let top = largest.iter().map(|x| x.0).fold(0.0, f64::max);
            let at_top: Vec<&(f64, usize, usize)> = largest.iter().filter(|x| x.0 == top).collect();
            let largest = if at_top.is_empty() {
                tr(
                    "No state changes its rank under any scenario.",
                    "Ни по одному сценарию ни одно государство не меняет места.",
                )
                .to_string()
            } else {
                // by state (a state may move as far under more than one scenario), at most three
                let mut by_unit: Vec<(usize, Vec<usize>)> = vec![];
                for (_, j, k) in &at_top {
                    match by_unit.iter_mut().find(|(u, _)| u == k) {
                        Some((_, js)) => js.push(*j),
                        None => by_unit.push((*k, vec![*j])),
                    }
                }
                let said: Vec<String> = by_unit
                    .iter()
                    .take(3)
                    .map(|(k, js)| {
                        let row = &rows[*k];
                        let who = format!("{} ({})", row.unit.name, row.unit.code);
                        let under: Vec<String> = js
                            .iter()
                            .map(|j| {
                                let cell = &row.cells[*j];
                                let label = &heads[*j].label;
                                let shift = format!("{} {}", cell.shift.arrow, cell.shift.text);
                                if ru {
                                    format!("{}-е по сценарию {q0}{label}{q1} ({shift})", cell.rank)
                                } else {
                                    format!("{} under {q0}{label}{q1} ({shift})", cell.rank)
                                }
                            })
                            .collect();
                        if ru {
                            format!("{who} — {}-е место по методике, {}", row.rank, under.join(" и "))
                        } else {
                            format!("{who}, rank {} under the methodology, {}", row.rank, under.join(" and "))
                        }
                    })
                    .collect();
                let more = by_unit.len().saturating_sub(3);
                let mut s = format!("{}: {}", tr("The largest shift", "Наибольший сдвиг"), said.join("; "));
                if more > 0 {
                    s.push_str(&if ru {
                        format!(
                            "; и ещё {more} {}",
                            ["государство", "государства", "государств"][crate::i18n::ru_form(more as f64)]
                        )
                    } else {
                        format!("; and {more} more {}", if more == 1 { "state" } else { "states" })
                    });
                }
                s.push('.');
                s
            };
            periods.push(ScenarioTable { period: p.period.clone(), rows, largest });
        }
        Some(ScenariosView {
            heading: tr("Ranks by scenario", "Места по сценариям"),
            intro: tr(
                "Each scenario is a variant of the methodology declared in its rule files (other weights, \
                 aggregations or scoring rules), evaluated on the same data. The table sets each state's \
                 index and rank under the methodology beside its index and rank under each scenario.",
                "Каждый сценарий — вариант методики, объявленный в её файлах правил (иные веса, способы \
                 агрегирования или правила оценивания), рассчитанный по тем же данным. В таблице индекс и \
                 место каждого государства по методике сопоставлены с его индексом и местом по каждому сценарию.",
            ),
            note: tr(
                "Rank: 1 is the highest index; equal indices share the smallest of their ranks (ties “min”); \
                 a state without an index has no rank (n/a). Shift: the rank under the methodology less the \
                 rank under the scenario; positive (▲) means a better place under the scenario, negative (▼) \
                 a worse one. Ranks are those of the indices before rounding.",
                "Место: 1 — наибольший индекс; при равных индексах присваивается наименьшее из мест \
                 (метод «min»); государство без индекса места не получает (н/д). Сдвиг — место по методике минус место \
                 по сценарию: положительный (▲) означает более высокое место по сценарию, отрицательный (▼) — \
                 более низкое. Места определены по индексам до округления.",
            ),
            methodology: tr("Methodology", "Методика"),
            index: tr("Index", "Индекс"),
            rank: tr("Rank", "Место"),
            shift: tr("Shift", "Сдвиг"),
            unit_word: capitalise(self.lang.pick(&self.model.header.unit_name, self.t.unit_fallback)),
            list_heading: tr("Scenarios", "Сценарии"),
            scenarios: heads,
            periods,
        })
    }

    /// The executive summary of the latest period: index, rank, standards met and the change of
    /// the index per state; the largest changes of the index and the areas; the key
    /// recommendations (those of unmet standards of the Code first).
    fn summary(&self) -> Option<Summary> {
        let ru = self.lang == Lang::Ru;
        let tr = |en: &'static str, ru_: &'static str| if ru { ru_ } else { en };
        let p = self.doc.periods.last()?;
        let prev = self.doc.periods.len().checked_sub(2).and_then(|k| self.doc.periods.get(k));
        // ranks by the published index, so that equal printed figures share a rank
        let published: Vec<Option<f64>> = p
            .results
            .iter()
            .map(|r| r.index.value.and(r.index.display.as_deref().and_then(|d| d.parse().ok()).or(r.index.value)))
            .collect();
        let ranks = ranks(&published);
        let n_std = self.model.standards.len();
        let met = |m: usize| {
            if n_std == 0 {
                String::new()
            } else if ru {
                format!("{m} из {n_std}")
            } else {
                format!("{m} of {n_std}")
            }
        };
        // looked up by code, not searched per state (a result of thousands of units)
        let deltas: std::collections::HashMap<&str, &super::json::UnitDelta> =
            p.change.iter().flat_map(|ch| ch.results.iter().rev()).map(|d| (d.unit.as_str(), d)).collect();
        let change_of = |unit: &str| deltas.get(unit).map(|d| &d.deltas.index);
        let rows: Vec<SummaryRow> = p
            .results
            .iter()
            .zip(&ranks)
            .map(|(r, k)| SummaryRow {
                unit: self.unit(r),
                index: self.cell(&r.index),
                rank: k.map(|k| k.to_string()).unwrap_or_else(|| self.t.na.into()),
                rank_value: *k,
                met: met(r.code.met),
                change: self.delta_cell(change_of(&r.unit)),
            })
            .collect();
        let mean = SummaryRow {
            unit: UnitRef { code: String::new(), name: self.t.union_mean.into() },
            index: self.cell(&p.union.index.mean),
            rank: String::new(),
            rank_value: None,
            met: String::new(),
            change: self.delta_cell(p.change.as_ref().map(|ch| &ch.union.index)),
        };
        let head = vec![
            capitalise(self.lang.pick(&self.model.header.unit_name, self.t.unit_fallback)),
            self.columns().first().map(|c| c.label.clone()).unwrap_or_default(),
            tr("Rank", "Место").into(),
            tr("Standards met", "Выполнено стандартов").into(),
            match prev {
                Some(q) => format!("{} {}", tr("Change since", "Изменение с"), q.period),
                None => tr("Change", "Изменение").into(),
            },
        ];
        // the largest changes: the index and the areas (not their sub-areas), by size
        let mut changes = vec![];
        let mut mean_caveats = vec![];
        if let (Some(ch), Some(q)) = (&p.change, prev) {
            let cols: Vec<Column> = self.columns().into_iter().filter(|c| c.depth <= 1).collect();
            let mut moves: Vec<(f64, usize, String)> = vec![];
            let now_by: std::collections::HashMap<&str, &UnitResult> =
                p.results.iter().rev().map(|r| (r.unit.as_str(), r)).collect();
            let before_by: std::collections::HashMap<&str, &UnitResult> =
                q.results.iter().rev().map(|r| (r.unit.as_str(), r)).collect();
            for (ui, d) in ch.results.iter().enumerate() {
                let (Some(now), Some(before)) = (now_by.get(d.unit.as_str()), before_by.get(d.unit.as_str())) else {
                    continue;
                };
                let name = self.unit(now).name;
                for (ci, c) in cols.iter().enumerate() {
                    let delta =
                        if c.id == self.model.index { Some(&d.deltas.index) } else { d.deltas.areas.get(&c.id) };
                    let (Some(delta), Some(a), Some(b)) =
                        (delta, self.score_of(before, &c.id), self.score_of(now, &c.id))
                    else {
                        continue;
                    };
                    let Some(x) = delta.value else { continue };
                    let dc = self.delta_cell(Some(delta));
                    moves.push((
                        x.abs(),
                        ui * cols.len() + ci,
                        format!(
                            "{name} — {}: {} → {} ({} {})",
                            c.label,
                            self.num_text(a),
                            self.num_text(b),
                            dc.arrow,
                            dc.text
                        ),
                    ));
                }
            }
            moves.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            changes = moves.into_iter().filter(|m| m.0 > 0.0).take(5).map(|m| m.2).collect();
            mean_caveats = self.mean_caveats(q, p);
        }
        let recs = self
            .recommendations(p)
            .into_iter()
            .map(|u| {
                let applying: Vec<&RecItem> = u.items.iter().filter(|i| i.applies).collect();
                let key: Vec<String> =
                    applying.iter().filter(|i| i.rank == 0).take(3).map(|i| i.text.clone()).collect();
                let key = if key.is_empty() { applying.iter().take(1).map(|i| i.text.clone()).collect() } else { key };
                let more = applying.len().saturating_sub(key.len());
                let rest = match (more, ru) {
                    (0, _) => String::new(),
                    (n, true) => format!(
                        "Ещё {n} {} — в разделе «{}».",
                        crate::words::plural(n as u64, "рекомендация", "рекомендации", "рекомендаций"),
                        self.t.recommendations
                    ),
                    (n, false) => format!(
                        "{n} more {} in “{}”.",
                        if n == 1 { "recommendation" } else { "recommendations" },
                        self.t.recommendations
                    ),
                };
                (u.unit, key, rest)
            })
            .collect();
        let intro = if ru {
            format!(
                "{}. Место — по индексу (1 — наибольший; при равных опубликованных значениях место общее).",
                p.period
            )
        } else {
            format!("{}. Rank by the index (1 = highest; equal published figures share a rank).", p.period)
        };
        Some(Summary {
            heading: tr("Summary", "Основные результаты"),
            intro,
            head,
            rows,
            mean,
            changes_heading: tr("Largest changes since the previous period", "Наибольшие изменения за период"),
            changes,
            mean_caveats,
            recs_heading: tr("Key recommendations", "Основные рекомендации"),
            recs,
        })
    }

    /// Union means (the index and the areas) that moved from period `q` to `p` while a state
    /// scored in `q` has no score in `p`: the mean is over other states, so part of its change
    /// is the missing data, not practice.
    fn mean_caveats(&self, q: &super::json::PeriodResult, p: &super::json::PeriodResult) -> Vec<String> {
        let ru = self.lang == Lang::Ru;
        let mut out = vec![];
        let now_by: std::collections::HashMap<&str, &UnitResult> =
            p.results.iter().rev().map(|r| (r.unit.as_str(), r)).collect();
        for c in self.columns().iter().filter(|c| c.depth <= 1) {
            let (Some(s0), Some(s1)) = (self.stat_of(q, &c.id), self.stat_of(p, &c.id)) else { continue };
            let scored = |r: &UnitResult| self.score_of(r, &c.id).is_some_and(|n| n.value.is_some());
            let lost: Vec<String> = q
                .results
                .iter()
                .filter(|b| scored(b))
                .filter(|b| !now_by.get(b.unit.as_str()).is_some_and(|r| scored(r)))
                .map(|b| self.unit(b).name)
                .collect();
            if !lost.is_empty() && s0.mean.value != s1.mean.value {
                let (m0, m1) = (self.num_text(&s0.mean), self.num_text(&s1.mean));
                let who = lost.join(", ");
                out.push(if ru {
                    format!(
                        "{}: среднее по Союзу {m0} ({}) → {m1} ({}) рассчитано без данных: {who}; среднее изменилось отчасти из-за отсутствия данных, а не из-за изменения практики.",
                        c.label, q.period, p.period
                    )
                } else {
                    format!(
                        "{}: the union mean {m0} ({}) → {m1} ({}) leaves out {who}; it moved partly because data went missing, not because practice changed.",
                        c.label, q.period, p.period
                    )
                });
            }
        }
        out
    }

    /// A difference of two unrounded values, published at the score precision.
    fn delta_of_values(&self, a: Option<f64>, b: Option<f64>) -> DeltaCell {
        match (a, b) {
            (Some(a), Some(b)) if (b - a).is_finite() => {
                let d = crate::number::fixed(b - a, self.model.header.score_precision, self.model.header.rounding);
                self.delta_cell(Some(&Num {
                    value: Some(b - a),
                    display: Some(d),
                    missing: None,
                    cause: None,
                    coverage: None,
                }))
            }
            _ => self.delta_cell(None),
        }
    }

    /// Every indicator's value (with its unit) and score per state, under its area in the
    /// source's order (the index and the areas in tree order, then the indicators outside them).
    fn indicator_matrix(&self, p: &super::json::PeriodResult) -> Vec<DepthBlock> {
        let row = |i: &Indicator| {
            let unit = crate::i18n::unit_label(self.lang, &i.unit, &i.unit_labels);
            // a short unit (`%`, `ч`) goes with each value; a long one (`тыс. кв. км`) once, after
            // the label, so that a page's width of states fits the page
            let label = self.label(&i.labels, &i.id);
            let (label, unit) = if unit.chars().count() > 4 {
                (format!("{label}, {unit}"), String::new())
            } else {
                (label.to_string(), unit)
            };
            DepthRow {
                label,
                id: i.id.clone(),
                cells: p
                    .results
                    .iter()
                    .map(|r| {
                        let Some(ir) = r.indicators.get(&i.id) else {
                            return DepthCell { text: self.t.na.into(), class: "na".into(), reason: String::new() };
                        };
                        let mut value = self.num_text(&ir.value);
                        if ir.value.value.is_some() && !unit.is_empty() {
                            value = format!("{value}\u{a0}{unit}");
                        }
                        let (text, class) = match &ir.score {
                            // a missing value says so once, not "n/a → n/a"
                            _ if ir.value.value.is_none() => (value, "na".into()),
                            Some(s) => (format!("{value} → {}", self.cell(s).text), self.cell(s).class),
                            None => (value, String::new()),
                        };
                        DepthCell { text, class, reason: self.reason(ir.value.missing) }
                    })
                    .collect(),
            }
        };
        self.by_area(row).into_iter().map(|(label, depth, rows)| DepthBlock { label, depth, rows }).collect()
    }

    /// State × element matrices of the groups of yes/no questions (element lists): present,
    /// absent, not answered, not applicable.
    fn element_matrices(&self, p: &super::json::PeriodResult) -> Vec<DepthBlock> {
        let m = self.model;
        let ru = self.lang == Lang::Ru;
        let word = |en: &'static str, r: &'static str| if ru { r } else { en };
        m.groups
            .values()
            .filter(|g| {
                !g.questions.is_empty()
                    && g.questions.iter().all(|q| m.questions.get(q).is_some_and(|q| q.ty == QuestionType::YesNo))
            })
            .map(|g| DepthBlock {
                label: self.label(&g.labels, &g.id).to_string(),
                depth: 1,
                rows: g
                    .questions
                    .iter()
                    .filter_map(|q| m.questions.get(q))
                    .map(|q| DepthRow {
                        label: self.label(&q.labels, &q.id).to_string(),
                        id: q.id.clone(),
                        cells: p
                            .results
                            .iter()
                            .map(|r| {
                                let a = r.answers.get(&q.id);
                                let (text, class) = match a.map(|a| (a.value, a.missing)) {
                                    Some((Some(v), _)) if v != 0.0 => (word("✓ present", "✓ есть"), "met"),
                                    Some((Some(_), _)) => (word("✗ absent", "✗ нет"), "not_met"),
                                    Some((None, Some(Reason::NotApplicable))) => {
                                        (word("— not applicable", "— не применимо"), "na")
                                    }
                                    _ => (word("? not answered", "? нет ответа"), "na"),
                                };
                                DepthCell {
                                    text: text.into(),
                                    class: class.into(),
                                    reason: a.map(|a| self.reason(a.missing)).unwrap_or_default(),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    fn change(&self) -> Option<ChangeView> {
        let doc = self.doc;
        if doc.periods.len() < 2 {
            return None;
        }
        let columns = self.columns();
        let periods: Vec<String> = doc.periods.iter().map(|p| p.period.clone()).collect();
        let delta_heads = doc.periods.windows(2).map(|w| format!("Δ {} − {}", w[1].period, w[0].period)).collect();
        // every state evaluated in any period, in the methodology's order of the units
        // (looked up by code, not searched per unit: a report of 20,000 units was quadratic)
        let mut first: std::collections::BTreeMap<&str, &UnitResult> = std::collections::BTreeMap::new();
        for p in &doc.periods {
            for r in &p.results {
                first.entry(r.unit.as_str()).or_insert(r);
            }
        }
        let header = &self.model.header;
        let mut codes: Vec<&UnitResult> = first.into_values().collect();
        codes.sort_by(|a, b| header.unit_rank(&a.unit).cmp(&header.unit_rank(&b.unit)));
        let by_unit: Vec<std::collections::HashMap<&str, &UnitResult>> =
            doc.periods.iter().map(|p| p.results.iter().map(|r| (r.unit.as_str(), r)).rev().collect()).collect();
        let deltas_by_unit: Vec<std::collections::HashMap<&str, &super::json::UnitDelta>> = doc.periods[1..]
            .iter()
            .map(|p| p.change.iter().flat_map(|ch| ch.results.iter().rev()).map(|d| (d.unit.as_str(), d)).collect())
            .collect();
        let delta_cell = |n: Option<&Num>| self.delta_cell(n);
        fn delta_of<'d>(index: &str, d: &'d super::json::DeltaResult, id: &str) -> Option<&'d Num> {
            if id == index {
                Some(&d.index)
            } else {
                d.areas.get(id)
            }
        }
        let index = self.model.index.as_str();
        // a row per column (the index and the areas), with the scores and differences given for it
        let rows =
            |scores: &dyn Fn(&Column) -> Vec<Cell>, deltas: &dyn Fn(&Column) -> Vec<DeltaCell>| -> Vec<ChangeRow> {
                columns
                    .iter()
                    .map(|c| ChangeRow {
                        label: c.label.clone(),
                        id: c.id.clone(),
                        depth: c.depth,
                        scores: scores(c),
                        deltas: deltas(c),
                    })
                    .collect()
            };
        let mut units = vec![UnitChangeView {
            unit: UnitRef { code: String::new(), name: self.t.union_mean.into() },
            rows: rows(
                &|c| {
                    doc.periods
                        .iter()
                        .map(|p| {
                            self.stat_of(p, &c.id)
                                .map(|s| self.cell(&s.mean))
                                .unwrap_or(self.na_cell(Reason::InsufficientData))
                        })
                        .collect()
                },
                &|c| {
                    doc.periods[1..]
                        .iter()
                        .map(|p| delta_cell(p.change.as_ref().and_then(|ch| delta_of(index, &ch.union, &c.id))))
                        .collect()
                },
            ),
        }];
        for u in codes {
            let code = u.unit.as_str();
            units.push(UnitChangeView {
                unit: self.unit(u),
                rows: rows(
                    &|c| {
                        by_unit
                            .iter()
                            .map(|results| {
                                results
                                    .get(code)
                                    .and_then(|r| self.score_of(r, &c.id))
                                    .map(|n| self.cell(n))
                                    .unwrap_or(self.na_cell(Reason::NotSubmitted))
                            })
                            .collect()
                    },
                    &|c| {
                        deltas_by_unit
                            .iter()
                            .map(|deltas| delta_cell(deltas.get(code).and_then(|d| delta_of(index, &d.deltas, &c.id))))
                            .collect()
                    },
                ),
            });
        }
        // the Code's score and the standards met, per state, below its areas
        if !self.model.standards.is_empty() {
            let n_std = self.model.standards.len();
            for u in units.iter_mut().skip(1) {
                let results: Vec<Option<&UnitResult>> =
                    by_unit.iter().map(|m| m.get(u.unit.code.as_str()).copied()).collect();
                let code = |r: &Option<&UnitResult>| r.map(|r| r.code.score.value).unwrap_or(None);
                let met = |r: &Option<&UnitResult>| r.map(|r| r.code.met as f64);
                u.rows.push(ChangeRow {
                    label: self.t.code_score.to_string(),
                    id: String::new(),
                    depth: 1,
                    scores: results
                        .iter()
                        .map(|r| r.map(|r| self.cell(&r.code.score)).unwrap_or(self.na_cell(Reason::NotSubmitted)))
                        .collect(),
                    deltas: results.windows(2).map(|w| self.delta_of_values(code(&w[0]), code(&w[1]))).collect(),
                });
                u.rows.push(ChangeRow {
                    label: format!("{} ({} {n_std})", self.t.standards_met, self.t.of),
                    id: String::new(),
                    depth: 1,
                    scores: results
                        .iter()
                        .map(|r| match r {
                            Some(r) => Cell {
                                text: r.code.met.to_string(),
                                plain: r.code.met.to_string(),
                                class: String::new(),
                                reason: String::new(),
                                value: None,
                            },
                            None => self.na_cell(Reason::NotSubmitted),
                        })
                        .collect(),
                    deltas: results
                        .windows(2)
                        .map(|w| match (met(&w[0]), met(&w[1])) {
                            (Some(a), Some(b)) => self.delta_cell(Some(&Num {
                                value: Some(b - a),
                                display: Some(format!("{}", b - a)),
                                missing: None,
                                cause: None,
                                coverage: None,
                            })),
                            _ => self.delta_cell(None),
                        })
                        .collect(),
                });
            }
        }
        let caveats = doc.periods.windows(2).flat_map(|w| self.mean_caveats(&w[0], &w[1])).collect();
        Some(ChangeView { periods, delta_heads, units, caveats })
    }

    fn quality(&self) -> Quality {
        let m = self.model;
        let t = self.t;
        let (q0, q1) = t.quotes;
        let mut missing_answers = vec![];
        let mut not_assessable = vec![];
        let mut rules = vec![];
        for p in &self.doc.periods {
            for r in &p.results {
                for v in &r.rules {
                    if v.status != "violated" {
                        continue;
                    }
                    let answers = v
                        .answers
                        .iter()
                        .map(|(q, n)| {
                            let value = match n.value {
                                Some(_) => self.num_text(n),
                                None => self.reason(n.missing),
                            };
                            format!("{q} = {value}")
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    rules.push(RuleRow {
                        period: p.period.clone(),
                        unit: r.unit.clone(),
                        label: self.label(&v.text, &v.rule).to_string(),
                        id: v.rule.clone(),
                        // an unnamed rule's id is its condition: said once
                        condition: if v.condition == v.rule { String::new() } else { v.condition.clone() },
                        answers,
                        effect: match v.severity {
                            crate::model::Severity::Error => t.rule_error.to_string(),
                            crate::model::Severity::Warning => t.rule_warning.to_string(),
                        },
                    });
                }
                let row =
                    |list: &mut Vec<QualityRow>, what: String, id: &str, n: (Option<Reason>, Option<&CauseDoc>)| {
                        let (reason, cause) = n;
                        let because = cause.and_then(|c| c.text.get(self.lang.code())).cloned();
                        list.push(QualityRow {
                            period: p.period.clone(),
                            unit: r.unit.clone(),
                            what,
                            id: id.to_string(),
                            reason: because.unwrap_or_else(|| self.reason(reason)),
                        })
                    };
                for (id, n) in &r.answers {
                    if n.value.is_none() {
                        let label = m.questions.get(id).map(|q| self.label(&q.labels, id)).unwrap_or(id);
                        // an answer missing as submitted says its reason; one a rule made invalid, the rule
                        let cause = n.cause.as_ref().filter(|c| c.kind == "rule");
                        row(&mut missing_answers, label.to_string(), id, (n.missing, cause));
                    }
                }
                if r.index.value.is_none() {
                    row(
                        &mut not_assessable,
                        t.node_index.to_string(),
                        &m.index,
                        (r.index.missing, r.index.cause.as_ref()),
                    );
                }
                for (id, n) in &r.areas {
                    if n.value.is_none() {
                        let label = m.areas.get(id).map(|a| self.label(&a.labels, id)).unwrap_or(id);
                        row(
                            &mut not_assessable,
                            format!("{} {q0}{label}{q1}", t.node_area),
                            id,
                            (n.missing, n.cause.as_ref()),
                        );
                    }
                }
                for (id, ind) in &r.indicators {
                    let label = m.indicators.get(id).map(|i| self.label(&i.labels, id)).unwrap_or(id);
                    if ind.value.value.is_none() {
                        let n = (ind.value.missing, ind.value.cause.as_ref());
                        row(&mut not_assessable, format!("{} {q0}{label}{q1}", t.node_value), id, n);
                    } else if let Some(s) = ind.score.as_ref().filter(|s| s.value.is_none()) {
                        row(
                            &mut not_assessable,
                            format!("{} {q0}{label}{q1}", t.node_score),
                            id,
                            (s.missing, s.cause.as_ref()),
                        );
                    }
                }
                for (code, s) in &r.standards {
                    if s.verdict == "not_assessable" {
                        let label = m.standards.get(code).map(|x| self.label(&x.labels, code)).unwrap_or(code);
                        let n = (s.missing, s.cause.as_ref());
                        row(&mut not_assessable, format!("{} {q0}{label}{q1}", t.node_standard), code, n);
                    }
                }
                for (code, c) in &r.chapters {
                    if c.score.value.is_none() {
                        let label = m.chapters.get(code).map(|x| self.label(&x.labels, code)).unwrap_or(code);
                        let n = (c.score.missing, c.score.cause.as_ref());
                        row(&mut not_assessable, format!("{} {q0}{label}{q1}", t.node_chapter), code, n);
                    }
                }
                if r.code.score.value.is_none() && !m.standards.is_empty() {
                    row(
                        &mut not_assessable,
                        t.node_code.to_string(),
                        "",
                        (r.code.score.missing, r.code.score.cause.as_ref()),
                    );
                }
                for rec in &r.recommendations {
                    if rec.status != "applies" {
                        row(
                            &mut not_assessable,
                            t.node_recommendation.to_string(),
                            &rec.id,
                            (rec.missing, rec.cause.as_ref()),
                        );
                    }
                }
            }
        }
        let warnings = self
            .doc
            .warnings
            .iter()
            .map(|w| WarningRow {
                period: w.period.clone(),
                unit: w.unit.clone().unwrap_or_else(|| t.all_units.into()),
                target: text::target(self.lang, &w.target),
                message: text::warning(self.lang, w.code, &w.message),
                place: format!("{}:{}", w.file, w.line),
                expression: w.expression.clone(),
            })
            .collect();
        Quality { missing_answers, not_assessable, rules, warnings }
    }
}

/// Whether a condition as written names a standard's code as an argument (`met(TF-1)`).
fn names_code(when: &str, code: &str) -> bool {
    let pat = format!("({code})");
    when.contains(&pat)
}

/// Ranks by a published value, highest first; equal values share a rank (1, 2, 2, 4); missing
/// values are not ranked.
pub fn ranks(values: &[Option<f64>]) -> Vec<Option<usize>> {
    // 1 + the number of values above: found in the values sorted from the highest, not counted
    // by a pass over all of them per unit (quadratic: most of a 100,000-unit report's time)
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    values.iter().map(|v| v.map(|x| 1 + sorted.partition_point(|y| *y > x))).collect()
}

#[cfg(test)]
mod rank_tests {
    /// The definition, quadratic: the oracle of [`super::ranks`].
    fn by_definition(values: &[Option<f64>]) -> Vec<Option<usize>> {
        values.iter().map(|v| v.map(|x| 1 + values.iter().filter(|w| w.is_some_and(|y| y > x)).count())).collect()
    }

    #[test]
    fn ranks_agree_with_their_definition() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for n in [0, 1, 2, 3, 7, 50, 301] {
            for _ in 0..20 {
                let values: Vec<Option<f64>> = (0..n)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        match seed % 7 {
                            0 => None,
                            1 => Some(0.0),
                            2 => Some(-0.0),
                            k => Some((seed % 11) as f64 / (k as f64)),
                        }
                    })
                    .collect();
                assert_eq!(super::ranks(&values), by_definition(&values), "{values:?}");
            }
        }
    }
}

/// The first 12 hex digits of a hash, for one-line mentions.
pub fn short_hash(h: &str) -> String {
    h.chars().take(12).collect()
}

/// The comparison of a simple requirement (`import_release <= 24`): its operator as a sign and
/// the compared indicator's unit.
fn comparison(model: &Model, lang: Lang, requires: &str) -> (&'static str, String) {
    let ops = [("<=", "≤"), (">=", "≥"), ("!=", "≠"), ("==", "="), ("<", "<"), (">", ">")];
    for (op, sign) in ops {
        if let Some((lhs, _)) = requires.split_once(op) {
            let unit = model
                .indicators
                .get(lhs.trim())
                .map(|i| crate::i18n::unit_label(lang, &i.unit, &i.unit_labels))
                .unwrap_or_default();
            return (sign, unit);
        }
    }
    ("≤", String::new())
}

/// The most units named beside a best score; more tied units are counted, not listed, so that a
/// column where thousands of units tie at the top does not repeat all their codes in every row
/// and printed part (the report would grow with the square of the units).
const BEST_NAMED: usize = 5;

/// The units that hold a best score, as a reader sees them: up to [`BEST_NAMED`] codes, then how
/// many more.
fn best_units(best: &[String], lang: Lang) -> String {
    if best.len() <= BEST_NAMED {
        return best.join(", ");
    }
    let more = best.len() - BEST_NAMED;
    let named = best[..BEST_NAMED].join(", ");
    match lang {
        Lang::Ru => format!("{named} и ещё {}", crate::i18n::number(lang, &more.to_string())),
        Lang::En => format!("{named} and {more} more"),
    }
}

#[cfg(test)]
mod best_tests {
    use super::*;

    #[test]
    fn a_best_score_names_five_units_and_counts_the_others() {
        let units: Vec<String> = (1..=7).map(|k| format!("U{k}")).collect();
        assert_eq!(best_units(&units[..3], Lang::En), "U1, U2, U3");
        assert_eq!(best_units(&units, Lang::En), "U1, U2, U3, U4, U5 and 2 more");
        assert_eq!(best_units(&units, Lang::Ru), "U1, U2, U3, U4, U5 и ещё 2");
    }
}
