//! Diagnostics: every problem tamga reports, from any stage, with a stable code.
//!
//! Stages produce [`Diag`]s that carry only [`Span`]s; the text is attached once, when a
//! diagnostic is rendered ([`render`]) or serialised ([`to_json`]), through the [`SourceMap`].
//! Messages are lower case, name things in backticks, and the help says what to write instead.

use crate::source::{SourceMap, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is. Errors stop the stage; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the user should look at; the result is still produced.
    Warning,
    /// The input cannot be used as it is.
    Error,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )*) => {
        /// The stable code of a diagnostic, e.g. `tamga::check::unknown_name`.
        ///
        /// Codes never change meaning; new ones are added. Each variant says which input triggers it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            /// The code as printed.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// Every code, for the documentation test.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];
        }
    };
}

codes! {
    /// A file or folder given on the command line (or by `include`) cannot be read.
    Io => "tamga::io",
    /// The rule file does not follow the grammar: `indicator x = q1 +`.
    Syntax => "tamga::syntax",
    /// `a < b < c`: comparisons cannot be chained.
    ChainedComparison => "tamga::syntax::chained_comparison",
    /// A number that is not finite or is too large: `1e400`.
    BadNumber => "tamga::syntax::bad_number",
    /// A name that is not declared: `q5_relese` for `q5_release`.
    UnknownName => "tamga::check::unknown_name",
    /// Two declarations with the same id.
    Duplicate => "tamga::check::duplicate",
    /// Indicators that depend on each other in a circle.
    Cycle => "tamga::check::cycle",
    /// A value of the wrong type: `yes` in arithmetic, a number where yes/no is needed.
    Type => "tamga::check::type_mismatch",
    /// Quantities of different units added or compared: hours compared with a count.
    Unit => "tamga::check::unit_mismatch",
    /// A negative weight, or weights in one area that sum to zero.
    Weight => "tamga::check::weight",
    /// A pairwise comparison matrix (`weights ahp { … }`) whose consistency ratio is above 0.1.
    Ahp => "tamga::check::ahp",
    /// A scoring rule that cannot score: goalposts with best = worst, unknown rule names.
    Scoring => "tamga::check::scoring",
    /// Bands that leave a gap or overlap.
    Bands => "tamga::check::bands",
    /// A property in the wrong place: `aggregate` inside an indicator.
    Misplaced => "tamga::check::misplaced",
    /// A property given twice in one declaration.
    Repeated => "tamga::check::repeated",
    /// A required property is missing: an indicator in an area without a scoring rule.
    MissingProperty => "tamga::check::missing_property",
    /// A function called with the wrong arguments: `clamp(x)`.
    Arguments => "tamga::check::arguments",
    /// A value outside what the language allows: precision 20, an empty range.
    Invalid => "tamga::check::invalid",
    /// The methodology has no `methodology` header, or more than one.
    Header => "tamga::check::header",
    /// `include` of a file that is already included, or of itself.
    Include => "tamga::check::include",
    /// A denominator that may be zero (warning).
    MaybeZero => "tamga::check::zero_denominator",
    /// A question no formula uses (warning).
    Unused => "tamga::check::unused",
    /// `-2^2`: reads as -(2^2) = -4, while Excel reads (-2)^2 = 4 (warning).
    AmbiguousPower => "tamga::check::ambiguous_power",
    /// An indicator whose formula's unit differs from its declared unit (warning).
    UnitDeclared => "tamga::check::declared_unit",
    /// A `reweight(min: …)` threshold whose meaning depends on which children are missing (warning).
    Threshold => "tamga::check::threshold",
    /// A scored indicator that no area or index aggregates and that is not declared `reported_only` (warning).
    Unaggregated => "tamga::check::unaggregated",
    /// A consistency rule (`require …`) that names something other than answers: an indicator,
    /// a cross-unit value.
    RuleOperand => "tamga::check::require",
    /// A label missing in one of the declared languages (warning).
    Label => "tamga::check::label",
    /// A scoring rule that gives, or may give, a score outside the scale without `outside_scale
    /// clamp` or `allow`: a band scoring 120 on 0..=100, a rank, a z-score (warning).
    CheckScale => "tamga::check::scale",
    /// `share(group)` over a group that declares no `missing` policy for unanswered items (warning).
    Unanswered => "tamga::check::unanswered",
    /// An aggregate computed over fewer children than declared, the others re-weighted away
    /// (warning, one per unit and node).
    EvalReweighted => "tamga::eval::reweighted",
    /// The submission is not valid JSON or TOML, or lacks `unit`, `period` or `answers`.
    DataFormat => "tamga::data::format",
    /// An answer to a question the methodology does not have.
    DataUnknownQuestion => "tamga::data::unknown_question",
    /// An answer of the wrong type: `"12,5"` for a number, `"yes"` for yes/no.
    DataType => "tamga::data::type",
    /// An answer outside the question's valid range.
    DataRange => "tamga::data::range",
    /// A choice answer that is not one of the declared options.
    DataChoice => "tamga::data::choice",
    /// A required question not answered (warning): its value is `not_submitted`.
    DataRequired => "tamga::data::required",
    /// Two submissions for the same unit and period.
    DataDuplicate => "tamga::data::duplicate",
    /// A missing-value declaration with an unknown reason.
    DataReason => "tamga::data::reason",
    /// A submission whose answers violate a consistency rule (`require …`): an error (the answers
    /// it names become `invalid`), or a warning for `severity warning`.
    DataRule => "tamga::data::require",
    /// Division by zero while evaluating a formula for one unit (warning).
    EvalDivisionByZero => "tamga::eval::division_by_zero",
    /// A function outside its domain (ln of a non-positive number) for one unit (warning).
    EvalDomain => "tamga::eval::domain",
    /// A cross-unit statistic that cannot be computed (too few values, no spread) (warning).
    EvalInsufficient => "tamga::eval::insufficient_data",
    /// A score outside the methodology's scale (warning).
    EvalScale => "tamga::eval::scale",
    /// A score outside the scale moved to its nearest end, as `outside_scale clamp` declares
    /// (warning: the clamping is recorded in the result).
    EvalClamped => "tamga::eval::clamped",
    /// A Kemeny–Young aggregate over more units than it ranks exactly (warning: every value of
    /// the aggregate is then `not_assessable`).
    EvalTooManyUnits => "tamga::eval::too_many_units",
    /// Command-line arguments that do not make sense together.
    Usage => "tamga::usage",
    /// A questionnaire made for another methodology or version than the one evaluated (warning).
    DataMethodology => "tamga::data::methodology",
    /// `methodology.toml` is malformed or disagrees with the rule files.
    Manifest => "tamga::manifest",
    /// An approved methodology was edited after approval, or its lock is missing or unreadable.
    Lock => "tamga::lock",
    /// `--official` on a methodology that is not approved.
    NotApproved => "tamga::not_approved",
    /// `tamga approve` on a methodology whose own test cases fail, or that has none (without
    /// `--without-tests`).
    ApproveTests => "tamga::approve::tests",
    /// `--official` on a period that precedes the methodology's `effective_from`, or that cannot be
    /// compared with it (an error; a warning with `--allow-earlier-periods`).
    EarlierPeriod => "tamga::official::earlier_period",
    /// `tamga fmt --check` found files that are not in the canonical layout.
    Unformatted => "tamga::fmt::unformatted",
    /// A test file that is not valid TOML or not shaped as docs/testing.md says: a case without a
    /// name, `period = 2023.5`, an expectation that is neither a number nor a word.
    TestFormat => "tamga::test::format",
    /// A test file names something the methodology does not have: an unknown indicator, state,
    /// question or expectation field (with "did you mean").
    TestUnknown => "tamga::test::unknown_name",
    /// `tamga test` found no test files beside the rules (warning).
    TestNone => "tamga::test::none",
    /// `tamga check --untested`: an indicator that no test case checks (warning).
    Untested => "tamga::check::untested",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One labelled place in a source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is wrong (or relevant) there.
    pub text: String,
}

/// A problem found by any stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// One line: what is wrong.
    pub message: String,
    /// The main place, if the problem has one.
    pub primary: Option<Label>,
    /// Other places (the first declaration of a duplicate, the edges of a cycle).
    pub secondary: Vec<Label>,
    /// What to write instead.
    pub help: Option<String>,
    /// The same in Russian, for a diagnostic a state's official reads (`validate --lang ru`).
    pub ru: Option<Box<Translation>>,
}

/// A diagnostic's words in another language; what is not given stays as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Translation {
    /// The message.
    pub message: String,
    /// The main place's label.
    pub label: Option<String>,
    /// The help.
    pub help: Option<String>,
    /// The other places' labels, in the order of [`Diag::secondary`]; one not given stays as
    /// written.
    pub secondary: Vec<String>,
}

impl Diag {
    /// A new error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: vec![],
            help: None,
            ru: None,
        }
    }

    /// Gives the Russian words: the message, and the main label and the help when they have one.
    pub fn ru(mut self, message: impl Into<String>, label: Option<String>, help: Option<String>) -> Self {
        let secondary = self.ru.take().map(|t| t.secondary).unwrap_or_default();
        self.ru = Some(Box::new(Translation { message: message.into(), label, help, secondary }));
        self
    }

    /// Gives the Russian label of the next other place (see [`Diag::also`]), in order: the first
    /// call labels the first other place. Without Russian words ([`Diag::ru`]) it does nothing.
    pub fn ru_also(mut self, label: impl Into<String>) -> Self {
        if let Some(t) = self.ru.as_mut() {
            t.secondary.push(label.into());
        }
        self
    }

    /// This diagnostic in `lang`: in Russian, its translation where it has one; a diagnostic of
    /// submissions without one is headed by its kind in Russian (`crate::data::ru::title`).
    pub fn localized(&self, lang: crate::i18n::Lang) -> Diag {
        let mut d = self.clone();
        if lang != crate::i18n::Lang::Ru {
            return d;
        }
        match self.ru.as_deref() {
            Some(t) => {
                d.message = t.message.clone();
                if let (Some(p), Some(l)) = (d.primary.as_mut(), &t.label) {
                    p.text = l.clone();
                }
                if t.help.is_some() {
                    d.help = t.help.clone();
                }
                for (l, text) in d.secondary.iter_mut().zip(&t.secondary) {
                    l.text = text.clone();
                }
            }
            None => {
                if let Some(title) = crate::data::ru::title(self.code, lang) {
                    d.message = format!("{title}: {}", self.message);
                }
            }
        }
        d
    }

    /// A new warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diag { severity: Severity::Warning, ..Diag::error(code, message) }
    }

    /// Sets the main place.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label { span, text: label.into() });
        self
    }

    /// Adds another place.
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label { span, text: label.into() });
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Diagnostics collected by a stage, in the order they were found.
pub type Diags = Vec<Diag>;

/// Whether any of the diagnostics is an error.
pub fn has_errors(diags: &[Diag]) -> bool {
    diags.iter().any(Diag::is_error)
}

/// Sorts diagnostics by file and position (stable for the same position), so the report reads
/// top to bottom whatever order the checker found them in.
pub fn sort(diags: &mut [Diag]) {
    diags.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.file, l.span.start, l.span.end)));
}

/// The longest name (in bytes) a suggestion is looked for, or offered: the distances below cost
/// the product of the two lengths, so a 200,000-character identifier or a 10 MB unknown key took
/// over a minute. Names of the languages' ids and submissions' keys are far shorter.
pub const MAX_SUGGEST_LEN: usize = 128;

/// The `"did you mean …?"` candidate: the closest name within a small edit distance. Names
/// longer than [`MAX_SUGGEST_LEN`] get no suggestion (and are never suggested).
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if name.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates.into_iter().filter(|c| c.len() <= MAX_SUGGEST_LEN) {
        let score = strsim::jaro_winkler(name, c);
        let close = strsim::levenshtein(name, c) <= (name.len().max(3) / 3).max(2) || score >= 0.88;
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Cyrillic and Greek letters that look like Latin ones, with the Latin letter and the script.
const LOOKALIKES: &[(char, char, &str)] = &[
    ('а', 'a', "Cyrillic"),
    ('в', 'b', "Cyrillic"),
    ('е', 'e', "Cyrillic"),
    ('і', 'i', "Cyrillic"),
    ('ј', 'j', "Cyrillic"),
    ('к', 'k', "Cyrillic"),
    ('м', 'm', "Cyrillic"),
    ('н', 'h', "Cyrillic"),
    ('о', 'o', "Cyrillic"),
    ('р', 'p', "Cyrillic"),
    ('с', 'c', "Cyrillic"),
    ('ѕ', 's', "Cyrillic"),
    ('т', 't', "Cyrillic"),
    ('у', 'y', "Cyrillic"),
    ('х', 'x', "Cyrillic"),
    ('һ', 'h', "Cyrillic"),
    ('ԁ', 'd', "Cyrillic"),
    ('ԛ', 'q', "Cyrillic"),
    ('ԝ', 'w', "Cyrillic"),
    ('А', 'A', "Cyrillic"),
    ('В', 'B', "Cyrillic"),
    ('Е', 'E', "Cyrillic"),
    ('І', 'I', "Cyrillic"),
    ('Ј', 'J', "Cyrillic"),
    ('К', 'K', "Cyrillic"),
    ('М', 'M', "Cyrillic"),
    ('Н', 'H', "Cyrillic"),
    ('О', 'O', "Cyrillic"),
    ('Р', 'P', "Cyrillic"),
    ('С', 'C', "Cyrillic"),
    ('Ѕ', 'S', "Cyrillic"),
    ('Т', 'T', "Cyrillic"),
    ('У', 'Y', "Cyrillic"),
    ('Х', 'X', "Cyrillic"),
    ('α', 'a', "Greek"),
    ('ι', 'i', "Greek"),
    ('κ', 'k', "Greek"),
    ('ν', 'v', "Greek"),
    ('ο', 'o', "Greek"),
    ('ρ', 'p', "Greek"),
    ('υ', 'u', "Greek"),
    ('Α', 'A', "Greek"),
    ('Β', 'B', "Greek"),
    ('Ε', 'E', "Greek"),
    ('Ζ', 'Z', "Greek"),
    ('Η', 'H', "Greek"),
    ('Ι', 'I', "Greek"),
    ('Κ', 'K', "Greek"),
    ('Μ', 'M', "Greek"),
    ('Ν', 'N', "Greek"),
    ('Ο', 'O', "Greek"),
    ('Ρ', 'P', "Greek"),
    ('Τ', 'T', "Greek"),
    ('Υ', 'Y', "Greek"),
    ('Χ', 'X', "Greek"),
];

/// A name written with Cyrillic or Greek letters that look like Latin ones (`q08а` with a
/// Cyrillic `а`): the sentence naming each such letter, and the name with them replaced
/// (`q08a`). `None` unless the replacement leaves an ASCII id (a name written in Russian,
/// `время_выпуска`, is not a look-alike).
pub fn lookalike(name: &str) -> Option<(String, String)> {
    // as for suggestions: a name this long is no one's misspelt id
    if name.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let mut fixed = String::new();
    let mut found: Vec<String> = vec![];
    for c in name.chars() {
        match LOOKALIKES.iter().find(|(l, _, _)| *l == c) {
            Some((l, latin, script)) => {
                fixed.push(*latin);
                let note =
                    format!("the {script} letter `{l}` (U+{:04X}) that looks like the Latin `{latin}`", u32::from(*l));
                if !found.contains(&note) {
                    found.push(note);
                }
            }
            None => fixed.push(c),
        }
    }
    let ascii_id = fixed.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if found.is_empty() || !ascii_id {
        return None;
    }
    Some((format!("`{name}` contains {}", found.join(", and ")), fixed))
}

// ───────────────────────────── rendering ─────────────────────────────

/// A file's text as miette reads it, borrowed, never copied: a diagnostic used to copy its
/// whole file, so N warnings in a large CSV file cost N copies (and miette counted the lines
/// from the top each time). Here the lines are indexed once per file and rendering ([`render`]),
/// and miette is given only the lines around the span.
struct Named<'a> {
    name: &'a str,
    text: std::borrow::Cow<'a, str>,
    /// The byte offset of the start of each line.
    lines: std::borrow::Cow<'a, [usize]>,
    /// The 0-based line in the file of the first line of `text` (0 unless cut, [`cut`]).
    first_line: usize,
    /// For a snippet cut around its labels ([`cut`]): per line of `text`, what to add to a
    /// column (in bytes) to give the column in the file. Empty otherwise.
    shifts: Vec<isize>,
}

/// The offsets of the starts of the lines of `text`: after each `\n`, and (when `cr`) after
/// each `\r` not followed by `\n`, as miette counts lines.
fn line_starts(text: &str, cr: bool) -> Vec<usize> {
    let b = text.as_bytes();
    let breaks =
        b.iter().enumerate().filter(|&(i, &c)| c == b'\n' || (cr && c == b'\r' && b.get(i + 1) != Some(&b'\n')));
    std::iter::once(0).chain(breaks.map(|(i, _)| i + 1)).collect()
}

/// Whether a reader cannot see `c`, or a terminal would act on it: a control character (line
/// breaks and tabs only when `breaks` is false), a bidirectional control (it reorders the text
/// shown: Trojan Source) or an invisible character (zero-width space, word joiner, byte-order
/// mark). The one definition used by snippets, submissions' names, rule files and tables.
pub fn hidden_char(c: char, breaks: bool) -> bool {
    (c.is_control() && (breaks || !matches!(c, '\n' | '\r' | '\t')))
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// A file's text as a snippet shows it on a terminal: control characters (an escape sequence
/// would reach the terminal), bidirectional controls (they would reorder the line shown) and
/// invisible characters (zero-width space, word joiner, byte-order mark) are replaced by a
/// visible character of the same length in bytes (`?` for one byte, `¤` for two, `�` for three),
/// so every offset and span stays where it was. Copied only when there is one.
fn shown_text(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| hidden_char(c, false);
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let shown = text
        .chars()
        .map(|c| match (hidden(c), c.len_utf8()) {
            (false, _) => c.to_string(),
            (true, 1) => "?".to_string(),
            (true, 2) => "¤".to_string(),
            (true, 3) => "\u{FFFD}".to_string(),
            (true, _) => "????".to_string(),
        })
        .collect();
    std::borrow::Cow::Owned(shown)
}

/// The 0-based line of a byte offset.
fn line_of(lines: &[usize], offset: usize) -> usize {
    lines.partition_point(|&s| s <= offset).saturating_sub(1)
}

impl miette::SourceCode for Named<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let first = line_of(&self.lines, start).saturating_sub(before);
        let last = line_of(&self.lines, end.saturating_sub(1).max(start)).saturating_add(after);
        let from = self.lines[first];
        let to = self.lines.get(last + 1).copied().unwrap_or(self.text.len()).max(end);
        let window = &self.text[from..to];
        let inner = window.read_span(&SourceSpan::new((start - from).into(), span.len()), before, after)?;
        let line = inner.line() + first;
        // in a cut snippet, the column in the file (the header's `file:line:column`)
        let column = match self.shifts.get(line) {
            Some(&shift) if inner.column() > 0 => inner.column().saturating_add_signed(shift),
            _ => inner.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            line + self.first_line,
            column,
            // miette's count runs from the top of the text (it decides which snippets to join)
            inner.line_count() + first + self.first_line,
        )))
    }
}

/// Each file's line index, built when a diagnostic first needs it.
struct Lines<'a> {
    sources: &'a SourceMap,
    /// Lines as miette counts them (for snippets).
    index: Vec<std::cell::OnceCell<Vec<usize>>>,
    /// Lines ended by `\n` only (for line and column numbers in words and JSON).
    lf: Vec<std::cell::OnceCell<Vec<usize>>>,
    /// The text as snippets show it ([`shown_text`]).
    shown: Vec<std::cell::OnceCell<std::borrow::Cow<'a, str>>>,
}

impl<'a> Lines<'a> {
    fn new(sources: &'a SourceMap) -> Self {
        let cells = || (0..sources.files().len()).map(|_| std::cell::OnceCell::new()).collect();
        Lines {
            sources,
            index: cells(),
            lf: cells(),
            shown: (0..sources.files().len()).map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    fn named(&self, file: crate::source::FileId) -> Named<'_> {
        let f = self.sources.get(file);
        let i = file.0 as usize;
        Named {
            name: &f.name,
            text: std::borrow::Cow::Borrowed(self.shown[i].get_or_init(|| shown_text(&f.text))),
            lines: std::borrow::Cow::Borrowed(self.index[i].get_or_init(|| line_starts(&f.text, true))),
            first_line: 0,
            shifts: vec![],
        }
    }

    /// 1-based line and column (in characters) of a span's start.
    fn line_col(&self, span: Span) -> (usize, usize) {
        let text = &self.sources.get(span.file).text;
        let lines = self.lf[span.file.0 as usize].get_or_init(|| line_starts(text, false));
        let at = (span.start as usize).min(text.len());
        let line = line_of(lines, at);
        let col = text.get(lines[line]..at).map(|l| l.chars().count()).unwrap_or(0) + 1;
        (line + 1, col)
    }
}

struct Rendered<'a> {
    diag: &'a Diag,
    /// The places, in words, when the snippet is not drawn ([`too_far_right`]).
    places: String,
    source: Option<Named<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shortened(&self.diag.message))?;
        f.write_str(&self.places)
    }
}

/// The longest name, in characters, a rendered message or help quotes whole between backticks.
pub const MAX_QUOTED_CHARS: usize = 80;

/// The longest message or help, in characters, rendered whole.
const MAX_MESSAGE_CHARS: usize = 4_000;

/// A message or help as a terminal shows it: a name quoted between backticks longer than
/// [`MAX_QUOTED_CHARS`] (a 10 MB unknown key, a 200,000-character identifier) is cut to its
/// beginning and `…`, and a text longer than `MAX_MESSAGE_CHARS` is cut, so a
/// hostile input cannot make a diagnostic megabytes long (and its wrapping take seconds). The
/// JSON diagnostics keep the whole text. Copied only when something is cut.
pub fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    let long_quote = text.split('`').skip(1).step_by(2).any(|q| q.chars().nth(MAX_QUOTED_CHARS).is_some());
    if !long_quote && text.chars().nth(MAX_MESSAGE_CHARS).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && part.chars().nth(MAX_QUOTED_CHARS).is_some() {
            out.extend(part.chars().take(MAX_QUOTED_CHARS / 2));
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    if let Some((at, _)) = out.char_indices().nth(MAX_MESSAGE_CHARS) {
        out.truncate(at);
        out.push('…');
    }
    std::borrow::Cow::Owned(out)
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.as_str()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag.help.as_ref().map(|h| Box::new(shortened(h)) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

/// miette pads a label to its column with a width argument, which Rust's formatting limits to
/// 65,535: a label further right on its line than that (a minified JSON file, a formula of a
/// megabyte) would panic. And it prints the label's whole line, however long. A label on a line
/// longer than this many bytes (at most 4 columns a byte, for tabs) is therefore not drawn: the
/// place is given in words instead.
const MAX_LABEL_COLUMN: usize = 16 * 1024;

fn too_far_right(lines: &Lines, span: Span) -> bool {
    let n = lines.named(span.file);
    let line_len = |at: usize| {
        let l = line_of(&n.lines, at.min(n.text.len()));
        let end = n.lines.get(l + 1).map(|e| e - 1).unwrap_or(n.text.len());
        end - n.lines[l]
    };
    line_len(span.start as usize) > MAX_LABEL_COLUMN || line_len(span.end as usize) > MAX_LABEL_COLUMN
}

/// A snippet of `file` for these labels, and the labels' spans in it: the file itself, or, when
/// a line shown is longer than `limit` characters (a row of a wide CSV file, a minified JSON
/// file), the lines cut around the labels, with `…` where text was left out, so a diagnostic
/// quotes the cell, not the whole row. Line numbers and the header's column stay the file's.
fn snippet<'a>(
    lines: &'a Lines<'a>,
    file: crate::source::FileId,
    spans: &[Span],
    limit: usize,
) -> (Named<'a>, Vec<SourceSpan>) {
    let whole = || (lines.named(file), spans.iter().map(|s| source_span(*s)).collect());
    cut(lines, file, spans, limit).unwrap_or_else(whole)
}

/// The cut snippet of [`snippet`], or `None` when every line fits (or a label spans lines).
fn cut<'a>(
    lines: &'a Lines<'a>,
    file: crate::source::FileId,
    spans: &[Span],
    limit: usize,
) -> Option<(Named<'a>, Vec<SourceSpan>)> {
    let n = lines.named(file);
    let (text, idx): (&str, &[usize]) = (&n.text, &n.lines);
    let bytes = text.as_bytes();
    // the end of a line's text, without its line break
    let line_end = |l: usize| -> usize {
        let start = idx[l];
        let mut e = idx.get(l + 1).copied().unwrap_or(text.len());
        if e > start && bytes[e - 1] == b'\n' {
            e -= 1;
        }
        if e > start && bytes[e - 1] == b'\r' {
            e -= 1;
        }
        e
    };
    let at = |off: usize| line_of(idx, off.min(text.len()));
    let mut on: Vec<usize> = Vec::with_capacity(spans.len());
    for s in spans {
        let (start, end) = (s.start as usize, s.end as usize);
        let line = at(start);
        if end > text.len() || at(end.saturating_sub(1).max(start)) != line {
            return None;
        }
        on.push(line);
    }
    let first = on.iter().min()?.saturating_sub(1);
    let top = *on.iter().max()?;
    let mut last = (top + 1).min(idx.len() - 1);
    // not the empty "line" after a file's last line break
    if last > top && idx[last] >= text.len() {
        last -= 1;
    }
    let line_text = |l: usize| text.get(idx[l]..line_end(l)).unwrap_or("");
    let count = |l: usize| line_text(l).chars().count();
    if (first..=last).all(|l| count(l) <= limit) {
        return None;
    }
    // the window of each labelled line, in characters: around its labels
    let char_at =
        |l: usize, off: usize| text.get(idx[l]..off.clamp(idx[l], line_end(l))).map_or(0, |t| t.chars().count());
    let mut windows: Vec<Option<(usize, usize)>> = vec![None; last - first + 1];
    for l in first..=last {
        let here: Vec<(usize, usize)> = spans
            .iter()
            .zip(&on)
            .filter(|(_, &o)| o == l)
            .map(|(s, _)| (char_at(l, s.start as usize), char_at(l, s.end as usize)))
            .collect();
        let (Some(lo), Some(hi)) = (here.iter().map(|h| h.0).min(), here.iter().map(|h| h.1).max()) else { continue };
        let size = limit.max(hi - lo);
        let from = lo.saturating_sub(limit.saturating_sub(hi - lo) / 2);
        windows[l - first] = Some((from, from + size));
    }
    // a line without labels is cut at the same columns as the first labelled line (the same
    // columns of a CSV file)
    let shared = windows.iter().flatten().next().copied()?;
    let mut out = String::new();
    let mut starts: Vec<usize> = vec![];
    let mut shifts: Vec<isize> = vec![];
    let mut cuts: Vec<usize> = vec![];
    for l in first..=last {
        let t = line_text(l);
        let total = count(l);
        // a window that runs past the end of its line moves left to show as much
        let (a, b) = match windows[l - first] {
            _ if total <= limit => (0, total),
            Some((from, to)) => (from.min(total.saturating_sub(to - from)), to.min(total)),
            None => (shared.0.min(total), shared.1.min(total)),
        };
        let byte = |c: usize| t.char_indices().nth(c).map_or(t.len(), |(i, _)| i);
        let (ba, bb) = (byte(a), byte(b));
        let prefix = if a > 0 { "…" } else { "" };
        starts.push(out.len() + prefix.len());
        shifts.push(ba as isize - prefix.len() as isize);
        cuts.push(ba);
        out.push_str(prefix);
        out.push_str(&t[ba..bb]);
        if bb < t.len() {
            out.push('…');
        }
        out.push('\n');
    }
    let moved = spans
        .iter()
        .zip(&on)
        .map(|(s, &l)| {
            let k = l - first;
            let rel = |off: u32| (off as usize).saturating_sub(idx[l] + cuts[k]);
            let (start, end) = (starts[k] + rel(s.start), starts[k] + rel(s.end));
            SourceSpan::new(start.into(), end - start)
        })
        .collect();
    let named = Named {
        name: n.name,
        lines: std::borrow::Cow::Owned(line_starts(&out, true)),
        text: std::borrow::Cow::Owned(out),
        first_line: first,
        shifts,
    };
    Some((named, moved))
}

fn build<'a>(diag: &'a Diag, lines: &'a Lines<'a>, limit: usize) -> Rendered<'a> {
    let sources = lines.sources;
    let Some(primary) = &diag.primary else {
        return Rendered { diag, places: String::new(), source: None, labels: vec![], related: vec![] };
    };
    let all = std::iter::once(primary).chain(&diag.secondary);
    if all.clone().any(|l| too_far_right(lines, l.span)) {
        let mut places = String::new();
        for l in all {
            let (line, column) = lines.line_col(l.span);
            let name = &sources.get(l.span.file).name;
            places.push_str(&format!("\n  at {name}:{line}:{column}: {}", l.text));
        }
        return Rendered { diag, places, source: None, labels: vec![], related: vec![] };
    }
    let file = primary.span.file;
    let here: Vec<&Label> = all.clone().filter(|l| l.span.file == file).collect();
    let (source, spans) = snippet(lines, file, &here.iter().map(|l| l.span).collect::<Vec<_>>(), limit);
    let labels = here
        .iter()
        .zip(spans)
        .enumerate()
        .map(|(k, (l, span))| {
            if k == 0 {
                LabeledSpan::new_primary_with_span(Some(l.text.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(l.text.clone()), span)
            }
        })
        .collect();
    let related = diag
        .secondary
        .iter()
        .filter(|l| l.span.file != file)
        .map(|l| {
            let (source, spans) = snippet(lines, l.span.file, &[l.span], limit);
            Rendered {
                diag,
                places: String::new(),
                source: Some(source),
                labels: spans.into_iter().map(|s| LabeledSpan::new_with_span(Some(l.text.clone()), s)).collect(),
                related: vec![],
            }
        })
        .collect();
    Rendered { diag, places: String::new(), source: Some(source), labels, related }
}

/// How to draw diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Wrap at this many columns.
    pub width: usize,
}

/// Renders diagnostics as miette's graphical report, one after another.
pub fn render(diags: &[Diag], sources: &SourceMap, style: Style) -> String {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let mut out = String::new();
    let lines = Lines::new(sources);
    // the longest line a snippet quotes whole: the width less the gutter (line numbers, bars)
    let limit = style.width.saturating_sub(12).max(24);
    for d in diags {
        let r = build(d, &lines, limit);
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&d.message);
            out.push('\n');
        }
    }
    out
}

/// A diagnostic as JSON (for `--format json`), with file, line and column resolved.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JsonDiag {
    /// `error` or `warning`.
    pub severity: Severity,
    /// The stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// The file of the main place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Byte offsets `[start, end)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<[u32; 2]>,
    /// The label at the main place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What to write instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonLabel>,
}

/// A secondary place in [`JsonDiag`].
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JsonLabel {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The label.
    pub label: String,
}

/// The document `tamga check --format json` prints (its schema: `schemas/diagnostics.schema.json`).
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[schemars(title = "tamga diagnostics")]
pub struct CheckDoc {
    /// The methodology checked; null when it could not be compiled.
    pub methodology: Option<CheckedRef>,
    /// Errors among the diagnostics.
    pub errors: usize,
    /// Warnings among the diagnostics.
    pub warnings: usize,
    /// Every error and warning.
    pub diagnostics: Vec<JsonDiag>,
    /// With `--explain-defaults`: the properties left unwritten whose default changes a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defaults: Option<Vec<DefaultDoc>>,
    /// For an approved methodology: the decision and the test count its lock records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalDoc>,
}

/// The methodology in [`CheckDoc`].
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CheckedRef {
    /// Id.
    pub id: String,
    /// Version as written.
    pub version: String,
    /// SHA-256 of the canonical methodology; null when a file did not parse.
    pub fingerprint: Option<String>,
}

/// A default the methodology relies on, in [`CheckDoc`].
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DefaultDoc {
    /// The property as it would be written: `weight`, `aggregate`, `missing`, ….
    pub property: String,
    /// The value it took, as it would be written.
    pub value: String,
    /// What declares it: `methodology`, `index`, `area`, `indicator`, `standard` or `recommendation`.
    pub what: String,
    /// The declaration's id.
    pub id: String,
    /// The rule file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// The approval recorded in the lock, in [`CheckDoc`].
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ApprovalDoc {
    /// The Board's decision.
    pub decision: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: String,
    /// The test cases that passed at approval, of how many.
    pub tests: TestCount,
}

/// Test cases passed of a total.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TestCount {
    /// Passed.
    pub passed: usize,
    /// In all.
    pub total: usize,
}

/// Converts diagnostics to their JSON form.
pub fn to_json(diags: &[Diag], sources: &SourceMap) -> Vec<JsonDiag> {
    let lines = Lines::new(sources);
    diags
        .iter()
        .map(|d| {
            let (file, line, column, span, label) = match &d.primary {
                Some(l) => {
                    let (line, col) = lines.line_col(l.span);
                    (
                        Some(sources.get(l.span.file).name.clone()),
                        Some(line),
                        Some(col),
                        Some([l.span.start, l.span.end]),
                        Some(l.text.clone()),
                    )
                }
                None => (None, None, None, None, None),
            };
            JsonDiag {
                severity: d.severity,
                code: d.code.as_str(),
                message: d.message.clone(),
                file,
                line,
                column,
                span,
                label,
                help: d.help.clone(),
                related: d
                    .secondary
                    .iter()
                    .map(|l| {
                        let (line, column) = lines.line_col(l.span);
                        JsonLabel { file: sources.get(l.span.file).name.clone(), line, column, label: l.text.clone() }
                    })
                    .collect(),
            }
        })
        .collect()
}
