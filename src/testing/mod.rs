//! Tests written beside the rules: `<methodology>/tests/*.toml` → cases run against the
//! methodology → PASS or FAIL per case, with the derivation of every value that differs.
//!
//! A case gives answers for one or more states (inline, or a submission file) and expects values
//! of indicators, scores, areas, the index, standard verdicts and levels, recommendations, missing
//! reasons, or a diagnostic of the answers. The format and the comparison rule are described in
//! docs/testing.md:
//!
//! - an expected number matches when the actual value, rounded (with the methodology's rounding
//!   mode) to as many decimals as the expected number is written with, equals it: `41.2` accepts
//!   41.2499 and refuses 41.25 (which is published as 41.3); `41.20` checks two decimals;
//! - with `tolerance = t`, it matches when |actual − expected| ≤ t (the difference taken to 12
//!   decimals, so 41.21 − 41.2 is 0.01).

mod coverage;
mod format;
mod output;

pub use coverage::Coverage;
pub use format::decimals_of;
pub use output::{render_json, render_text};

use crate::check::Methodology;
use crate::data::{Dataset, Submission};
use crate::diagnostics::{Code, Diag};
use crate::eval::PeriodOutcome;
use crate::explain::{self, Explanation};
use crate::model::{Model, Reason, Val};
use crate::number::{round, shortest, Rounding};
use crate::source::{FileId, SourceMap, Span};
use std::path::{Path, PathBuf};

/// The folder of tests of a methodology given as a folder or as its entry file.
pub fn tests_dir(methodology: &Path) -> PathBuf {
    if methodology.is_dir() {
        methodology.join("tests")
    } else {
        methodology.parent().unwrap_or(Path::new("")).join("tests")
    }
}

/// One test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// Its path, as shown.
    pub name: String,
    /// Its text in the source map.
    pub file: FileId,
    /// Its cases, in order.
    pub cases: Vec<Case>,
}

/// A test case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its name, printed with PASS or FAIL.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// The period the states are evaluated in (default `test`).
    pub period: String,
    /// The states and their answers.
    pub units: Vec<UnitInput>,
    /// What is expected.
    pub expects: Vec<Expect>,
    /// Diagnostic codes the answers must produce (`tamga::data::range`).
    pub errors: Vec<(String, Span)>,
    /// The test file has errors in this case (reported when it was read): it fails.
    pub broken: bool,
}

/// One state's answers in a case.
#[derive(Debug, Clone)]
pub struct UnitInput {
    /// The state's code.
    pub code: String,
    /// Where it is written (`[case.answers.AM]`).
    pub span: Span,
    /// A submission file to start from: (path, as written, where written).
    pub file: Option<(PathBuf, String, Span)>,
    /// Inline answers: (question id, where, the answer as TOML, where).
    pub answers: Vec<(String, Span, String, Span)>,
}

/// What an expectation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An indicator.
    Indicator(String),
    /// An area or the index.
    Area(String),
    /// A standard.
    Standard(String),
    /// A chapter of standards.
    Chapter(String),
    /// A recommendation.
    Recommendation(String),
}

/// Which value of the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// An indicator's value.
    Value,
    /// A score (an indicator's, an area's, the index's, a chapter's).
    Score,
    /// A standard's verdict.
    Verdict,
    /// A graded standard's level.
    Level,
    /// A standard's attainment.
    Attainment,
    /// The value a standard compares with its target.
    Compared,
    /// Whether a recommendation applies.
    Status,
}

/// An expected number as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The number.
    pub value: f64,
    /// As written.
    pub text: String,
    /// Decimals written (see [`decimals_of`]).
    pub decimals: u32,
}

/// An expected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    /// A number.
    Number(Num),
    /// yes or no.
    Bool(bool),
    /// Missing, with this reason.
    Missing(Reason),
    /// A verdict, a level or a status.
    Word(String),
}

/// One expectation of a case.
#[derive(Debug, Clone)]
pub struct Expect {
    /// The state.
    pub unit: String,
    /// What.
    pub target: Target,
    /// Which value.
    pub what: What,
    /// The expected value.
    pub want: Want,
    /// The tolerance for numbers (none: exact to the decimals written).
    pub tolerance: Option<f64>,
    /// Where the id is written.
    pub key_span: Span,
    /// Where the expected value is written.
    pub span: Span,
}

impl Expect {
    /// The subject as a methodologist writes it: `import_release`, `score(import_release)`,
    /// `TF-1`, `TF-1 level`.
    pub fn subject(&self) -> String {
        match (&self.target, self.what) {
            (Target::Indicator(i), What::Score) => format!("score({i})"),
            (Target::Indicator(i) | Target::Area(i) | Target::Chapter(i) | Target::Recommendation(i), _) => i.clone(),
            (Target::Standard(c), What::Level) => format!("{c} level"),
            (Target::Standard(c), What::Attainment) => format!("attainment({c})"),
            (Target::Standard(c), What::Compared) => format!("{c} value"),
            (Target::Standard(c), _) => c.clone(),
        }
    }
}

/// Reads every `*.toml` file of `dir` (in name order) as test files.
pub fn load(model: &Model, dir: &Path, sources: &mut SourceMap) -> (Vec<TestFile>, Vec<Diag>) {
    let mut files = vec![];
    let mut diags = vec![];
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"))
                    && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect(),
        Err(_) => vec![],
    };
    paths.sort();
    for path in paths {
        let shown = path.to_string_lossy().replace('\\', "/");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diag::error(Code::Io, format!("cannot read `{shown}`: {e}"))
                        .help("check the file's permissions and encoding (UTF-8)"),
                );
                continue;
            }
        };
        let id = sources.add(shown, text);
        let (f, mut d) = format::parse(model, sources, id, path.parent().unwrap_or(Path::new("")));
        diags.append(&mut d);
        files.push(f);
    }
    (files, diags)
}

/// Parses one test file given as text (for tests of tamga itself).
pub fn load_text(model: &Model, name: &str, text: &str, dir: &Path, sources: &mut SourceMap) -> (TestFile, Vec<Diag>) {
    let id = sources.add(name, text);
    format::parse(model, sources, id, dir)
}

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The state.
    pub unit: String,
    /// What (`score(import_release)`).
    pub subject: String,
    /// The expected value, as written.
    pub expected: String,
    /// The actual value.
    pub actual: String,
    /// Where the expectation is written.
    pub span: Span,
    /// The derivation of the actual value.
    pub explanation: Option<Explanation>,
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Its name.
    pub name: String,
    /// The test file, as shown.
    pub file: String,
    /// Where the name is written.
    pub span: Span,
    /// Whether every expectation held.
    pub passed: bool,
    /// Expectations that did not hold.
    pub failures: Vec<Failure>,
    /// Errors in the answers that the case did not expect.
    pub problems: Vec<Diag>,
    /// Diagnostic codes the case expected that the answers did not produce.
    pub missing_errors: Vec<(String, Span)>,
    /// The case could not be read completely (its problems were reported with the test file).
    pub broken: bool,
}

/// The results of a run.
#[derive(Debug, Clone)]
pub struct Run {
    /// Every case run, in file and case order.
    pub cases: Vec<CaseResult>,
    /// What the cases touched.
    pub coverage: Coverage,
}

impl Run {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// Runs the cases of `files` whose name contains `filter` (in any case). `sources` holds the
/// rule files and the test files; the answers read are added to it. A case whose test file had
/// errors in it runs, but fails.
pub fn run(meth: &Methodology, files: &[TestFile], sources: &mut SourceMap, filter: Option<&str>) -> Run {
    let model = &meth.model;
    let filter = filter.map(str::to_lowercase);
    let mut cases = vec![];
    let mut cov = coverage::Collector::new(model);
    for f in files {
        for c in &f.cases {
            if filter.as_ref().is_some_and(|p| !c.name.to_lowercase().contains(p)) {
                continue;
            }
            let mut r = run_case(meth, f, c, sources, &mut cov);
            if c.broken {
                r.broken = true;
                r.passed = false;
            }
            cases.push(r);
        }
    }
    Run { cases, coverage: cov.finish() }
}

fn run_case(
    meth: &Methodology,
    f: &TestFile,
    c: &Case,
    sources: &mut SourceMap,
    cov: &mut coverage::Collector,
) -> CaseResult {
    let model = &meth.model;
    let mut result = CaseResult {
        name: c.name.clone(),
        file: f.name.clone(),
        span: c.span,
        passed: true,
        failures: vec![],
        problems: vec![],
        missing_errors: vec![],
        broken: false,
    };
    let (data, diags) = submissions(model, f, c, sources);
    for (code, span) in &c.errors {
        if !diags.iter().any(|d| d.code.as_str() == code) {
            result.missing_errors.push((code.clone(), *span));
        }
    }
    result.problems = diags
        .into_iter()
        .filter(|d| d.is_error() && !c.errors.iter().any(|(code, _)| code == d.code.as_str()))
        .collect();
    let outcome = crate::eval::evaluate(model, &data);
    if let Some(period) = outcome.periods.first() {
        for e in &c.expects {
            let Some(u) = period.unit_index(&e.unit) else { continue };
            if let Some(failure) = check(meth, sources, &data, period, u, e) {
                result.failures.push(failure);
            }
        }
        cov.case(&outcome, c);
    }
    result.passed = result.failures.is_empty() && result.problems.is_empty() && result.missing_errors.is_empty();
    result
}

/// The submissions of a case: each state's file (if any) with its inline answers on top, in the
/// case's period.
fn submissions(model: &Model, f: &TestFile, c: &Case, sources: &mut SourceMap) -> (Dataset, Vec<Diag>) {
    let mut diags = vec![];
    let mut subs = vec![];
    for u in &c.units {
        let mut from_file: Option<Submission> = None;
        if let Some((path, written, span)) = &u.file {
            if !path.is_file() {
                diags.push(
                    Diag::error(Code::Io, format!("the submission `{written}` does not exist"))
                        .at(*span, "not found")
                        .help("the path is relative to the folder of the test file"),
                );
            } else {
                let (data, d) = crate::data::load(model, std::slice::from_ref(path), sources);
                diags.extend(d);
                from_file = data.submissions.into_iter().next();
            }
        }
        // the inline answers, read as a submission of their own (also when there are none: the
        // loader makes the submission a state without a file starts from)
        let mut text = format!("unit = {}\nperiod = \"test\"\n\n[answers]\n", toml::Value::String(u.code.clone()));
        // (synthetic range of key, of value) → (span of key, of value) in the test file
        let mut map: Vec<(std::ops::Range<usize>, Span, std::ops::Range<usize>, Span)> = vec![];
        for (q, qspan, value, vspan) in &u.answers {
            let k0 = text.len();
            text.push_str(&format::toml_key(q));
            let k1 = text.len();
            text.push_str(" = ");
            let v0 = text.len();
            text.push_str(value);
            let v1 = text.len();
            text.push('\n');
            map.push((k0..k1, *qspan, v0..v1, *vspan));
        }
        let name = format!("{}#{}.toml", f.name, u.code);
        let before = sources.files().len();
        let (inline, d) = crate::data::load_text(model, &name, &text, sources);
        let synthetic = FileId(before as u32);
        let remap = |s: Span| -> Span {
            if s.file != synthetic {
                return s;
            }
            let at = s.start as usize;
            for (k, ks, v, vs) in &map {
                if k.contains(&at) || (at == k.end && s.is_empty()) {
                    return *ks;
                }
                if v.contains(&at) || at == v.end {
                    return *vs;
                }
            }
            u.span
        };
        for mut d in d {
            if let Some(p) = &mut d.primary {
                p.span = remap(p.span);
            }
            for l in &mut d.secondary {
                l.span = remap(l.span);
            }
            diags.push(d);
        }
        let sub = match (from_file, inline) {
            (Some(mut sub), Some(inline)) => {
                for (k, a) in inline.answers.iter().enumerate() {
                    if a.is_some() {
                        sub.answers.set(k, a);
                    }
                }
                sub
            }
            (Some(sub), None) => sub,
            (None, Some(mut sub)) => {
                sub.file = f.name.clone();
                sub
            }
            (None, None) => continue,
        };
        subs.push(Submission { unit: u.code.clone(), period: c.period.clone(), ..sub });
    }
    // a question a case leaves out is simply not submitted: no warning
    diags.retain(|d| d.code != Code::DataRequired);
    subs.sort_by(|a, b| a.unit.cmp(&b.unit));
    (Dataset { submissions: subs }, diags)
}

/// The actual value of an expectation.
enum Actual {
    Value(Val),
    Word(Result<String, Reason>),
}

fn actual(model: &Model, p: &PeriodOutcome, u: usize, e: &Expect) -> Actual {
    let get = |slot| p.get(slot, u);
    let word = |v: Val, yes: &str, no: &str| {
        Actual::Word(v.map(|x| if x != 0.0 { yes.into() } else { no.into() }).map_err(|m| m.reason))
    };
    match (&e.target, e.what) {
        (Target::Indicator(i), What::Score) => Actual::Value(get(model.indicators[i.as_str()].score_slot)),
        (Target::Indicator(i), _) => Actual::Value(get(model.indicators[i.as_str()].value)),
        (Target::Area(a), _) => Actual::Value(get(model.areas[a.as_str()].slot)),
        (Target::Chapter(c), _) => Actual::Value(get(model.chapters[c.as_str()].score)),
        (Target::Recommendation(r), _) => {
            word(get(model.recommendations[r.as_str()].slot), "applies", "does_not_apply")
        }
        (Target::Standard(c), what) => {
            let s = &model.standards[c.as_str()];
            match what {
                What::Level => Actual::Word(
                    get(s.level)
                        .map(|x| {
                            if x == 0.0 {
                                "none".into()
                            } else {
                                s.levels.get(x as usize - 1).map(|l| l.name.clone()).unwrap_or_default()
                            }
                        })
                        .map_err(|m| m.reason),
                ),
                What::Attainment => Actual::Value(get(s.attainment)),
                What::Compared => match s.value {
                    Some(v) => Actual::Value(get(v)),
                    None => Actual::Word(Err(Reason::NotAssessable)),
                },
                _ => word(get(s.met), "met", "not_met"),
            }
        }
    }
}

/// Whether `actual` matches the expected number (see the module's documentation).
pub fn number_matches(actual: f64, want: &Num, tolerance: Option<f64>, mode: Rounding) -> bool {
    match tolerance {
        Some(t) => {
            let diff = (actual - want.value).abs();
            diff <= t || round(diff, 12, Rounding::HalfEven) <= t
        }
        None => round(actual, want.decimals, mode) == want.value,
    }
}

fn check(
    meth: &Methodology,
    sources: &SourceMap,
    data: &Dataset,
    p: &PeriodOutcome,
    u: usize,
    e: &Expect,
) -> Option<Failure> {
    let model = &meth.model;
    let mode = model.header.rounding;
    let got = actual(model, p, u, e);
    let ok = match (&e.want, &got) {
        (Want::Number(n), Actual::Value(Ok(x))) => number_matches(*x, n, e.tolerance, mode),
        (Want::Bool(b), Actual::Value(Ok(x))) => (*x != 0.0) == *b,
        (Want::Missing(r), Actual::Value(Err(m))) => m.reason == *r,
        (Want::Missing(r), Actual::Word(Err(m))) => m == r,
        (Want::Word(w), Actual::Word(Ok(a))) => w == a,
        (Want::Word(w), Actual::Word(Err(_))) => w == "not_assessable",
        _ => false,
    };
    if ok {
        return None;
    }
    let expected = match &e.want {
        Want::Number(n) => match e.tolerance {
            Some(t) => format!("{} ± {}", n.text, shortest(t)),
            None => n.text.clone(),
        },
        Want::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Want::Missing(r) => format!("missing ({})", r.as_str()),
        Want::Word(w) => w.clone(),
    };
    let actual = match &got {
        Actual::Value(Ok(x)) => match &e.want {
            Want::Bool(_) => if *x != 0.0 { "yes" } else { "no" }.into(),
            Want::Number(n) if e.tolerance.is_none() => {
                let r = round(*x, n.decimals, mode);
                let shown = crate::number::fixed(*x, n.decimals, mode);
                if r == *x {
                    shortest(*x)
                } else {
                    format!(
                        "{} ({shown} to {} decimal{})",
                        shortest(*x),
                        n.decimals,
                        if n.decimals == 1 { "" } else { "s" }
                    )
                }
            }
            _ => shortest(*x),
        },
        Actual::Value(Err(m)) => format!("missing ({})", m.reason.as_str()),
        Actual::Word(Ok(w)) => w.clone(),
        Actual::Word(Err(r)) => match e.what {
            What::Verdict | What::Status => format!("not_assessable ({})", r.as_str()),
            _ => format!("missing ({})", r.as_str()),
        },
    };
    let target = match (&e.target, e.what) {
        (Target::Indicator(i), What::Value) => explain::Target::Value(i.clone()),
        (Target::Indicator(i), _) => explain::Target::Indicator(i.clone()),
        (Target::Area(a), _) => explain::Target::Area(a.clone()),
        (Target::Chapter(c), _) => explain::Target::Chapter(c.clone()),
        (Target::Standard(c), _) => explain::Target::Standard(c.clone()),
        (Target::Recommendation(r), _) => explain::Target::Recommendation(r.clone()),
    };
    let explanation = explain::explain(model, sources, Some(data), p, u, &target, explain::Options::default());
    Some(Failure {
        unit: e.unit.clone(),
        subject: e.subject(),
        expected,
        actual,
        span: e.span,
        explanation: Some(explanation),
    })
}

/// Warnings for `tamga check --untested`: each indicator no test case touches (see [`Coverage`]).
pub fn untested(meth: &Methodology, run: &Run, tests: &Path) -> Vec<Diag> {
    let shown = tests.to_string_lossy().replace('\\', "/");
    run.coverage
        .untested_indicators
        .iter()
        .filter_map(|id| meth.model.indicators.get(id))
        .map(|i| {
            Diag::warning(Code::Untested, format!("no test checks the indicator `{}`", i.id))
                .at(i.span, "not covered by any test case")
                .help(format!(
                    "add a case to `{shown}` that expects `{0}` (or an area or standard that uses it) with `{0}` present",
                    i.id
                ))
        })
        .collect()
}
