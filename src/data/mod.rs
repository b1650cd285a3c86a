//! Submissions: JSON, TOML, CSV and Excel files → a validated [`Dataset`].
//!
//! A submission is one unit's (state's) answers for one period:
//!
//! ```json
//! {
//!   "unit": "AM",
//!   "period": "2023",
//!   "name": { "en": "Armenia", "ru": "Армения" },
//!   "note": "Illustrative data, not official",
//!   "answers": {
//!     "q05_import_release_hours": 36.5,
//!     "q02_advisory_body": true,
//!     "q03_format": "council",
//!     "q09_inspected": { "missing": "not_applicable", "comment": "no inspections in 2022" }
//!   }
//! }
//! ```
//!
//! TOML has the same structure (`unit`, `period`, `name`, `note` at the top, then an `[answers]`
//! table; a missing answer is `{ missing = "confidential" }`). An optional `groups` table gives the
//! unit's groups (`"groups": { "EurAsia_group": "Asia" }`), for group imputation. A CSV file holds
//! one row per answer (`unit,period,question,answer,missing,comment`), or one row per unit with a
//! column per question (`unit,period,group:EurAsia_group,q05,…`, the "wide" form), for any number
//! of units and periods; an Excel workbook is the questionnaire written by `tamga template`
//! ([`crate::template`]), filled in, also as LibreOffice saves it (`.ods`).
//!
//! A CSV file is read as spreadsheets write it ([`ReadOptions`]): separated by `;` when its header
//! line holds more `;` than `,` outside quotes (Excel under Russian regional settings), and then
//! with decimal commas (`12,5` is 12.5; never in a file separated by `,`); in Windows-1251 when it
//! is not UTF-8 but reads as Windows-1251 with Cyrillic letters (with a warning). Texts such as `NA`
//! may be declared to mean "not submitted", and columns that are not questions skipped.
//!
//! Loading reads only the methodology's questions. Every problem of a file is reported, with a
//! span into the file's text (added to the [`SourceMap`]); an answer that fails validation is kept
//! as missing with reason `invalid`, so evaluation still runs and shows it. A file whose `unit`,
//! `period` or `answers` cannot be read gives no submission.
//!
//! Results never depend on the order of the input: the dataset is sorted by period and unit, and
//! of two submissions for the same unit and period the one from the file whose path sorts first is
//! kept (the other is reported and dropped).

mod answers;
pub mod cp1251;
mod csv;
mod json;
mod ods_bounds;
pub mod ru;
mod toml;
mod validate;
mod xlsx;
mod xlsx_bounds;

pub use answers::Answers;
pub use csv::{COLUMNS as CSV_COLUMNS, INFO_COLUMNS as CSV_INFO_COLUMNS};
pub use validate::{NO_WORDS, YES_WORDS};
pub use xlsx::cell_name;

use crate::diagnostics::{Code, Diag};
use crate::fingerprint::sha256_hex;
use crate::model::{Labels, Model, Reason};
use crate::source::{FileId, SourceMap, Span};
use indexmap::IndexMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The largest submission file read (checked before reading): a questionnaire for thousands of
/// units is a few megabytes.
pub const MAX_SUBMISSION_BYTES: u64 = 64 * 1024 * 1024;

/// The most units evaluated together in one period. Cross-unit statistics and normalisations
/// compare every unit of a period, so a period above this is refused when it is loaded.
pub const MAX_UNITS_PER_PERIOD: usize = 100_000;

/// One answer after validation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    /// A finite number. Yes/no answers are 1 (yes) and 0 (no); a choice answer is the index of the
    /// option in [`QuestionType::Choice`](crate::model::QuestionType::Choice).
    Number(f64),
    /// No value, with the reason: declared by the state (`not_submitted`, `not_applicable`,
    /// `confidential`) or `invalid` when the answer failed validation.
    Missing(Reason),
}

/// One unit's (state's) answers for one period.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The unit's code (`AM`): any text without whitespace.
    pub unit: String,
    /// The period (`2023`); a whole number in the file is turned into its decimal text.
    pub period: String,
    /// The unit's name per language, if given.
    pub name: Labels,
    /// The groups the unit belongs to, key → label (`"EurAsia_group"` → `"Asia"`), in file order:
    /// what group imputation (`impute group_mean(by: EurAsia_group)`) groups units by. Keys are
    /// ids; labels are texts, compared exactly.
    pub groups: IndexMap<String, String>,
    /// The submission's note on its data (`"ILLUSTRATIVE DATA: …"`), as written; not used in
    /// computations, but every output says which submissions carry which note.
    pub note: Option<String>,
    /// The file's path as the user gave it (or as found in a folder), with `/` separators.
    pub file: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// One entry per question, indexed like [`Model::questions`]; `None` = not answered.
    pub answers: Answers,
}

impl Submission {
    /// The answer to question `q` (an index into [`Model::questions`]), `None` when not answered.
    #[inline]
    pub fn answer(&self, q: usize) -> Option<Answer> {
        self.answers.get(q)
    }
}

/// All submissions loaded together.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Sorted by period, then unit, so input order never matters. Periods that are whole numbers
    /// sort numerically (`999` before `2023`) and before other periods, which sort as text.
    pub submissions: Vec<Submission>,
}

/// One file met by [`load_files`]: read, or named on the command line and unreadable.
#[derive(Debug, Clone, PartialEq)]
pub struct FileInfo {
    /// The path as shown (as given, or as found in a folder), with `/` separators.
    pub file: String,
    /// The submissions read from it, as (unit, period), in file order; one dropped as a second
    /// submission for the same unit and period is listed too.
    pub submissions: Vec<(String, String)>,
}

/// How submission files are read: the options of the commands that read them (`--delimiter`,
/// `--na`, `--ignore-unknown-columns`). The default reads as tamga always has, the CSV delimiter
/// detected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The delimiter of CSV files; `None`: detected from the header line, `;` when it holds more
    /// `;` than `,` outside quotes (as Excel writes CSV under Russian regional settings). With `;`,
    /// a number may have a decimal comma (`12,5` is 12.5); with `,`, never.
    pub delimiter: Option<u8>,
    /// Texts of CSV cells that mean "not submitted" besides an empty cell (`NA`, `..`, `n/a`):
    /// compared trimmed, in any case.
    pub na: Vec<String>,
    /// Columns of a CSV file that are neither questions of the methodology nor columns tamga knows
    /// (`iso3`, `country`) are skipped, listed in one warning, instead of an error each.
    pub ignore_unknown_columns: bool,
}

/// What [`load_files`] read.
#[derive(Debug, Clone, Default)]
pub struct Loading {
    /// The submissions, validated, sorted and without duplicates.
    pub dataset: Dataset,
    /// Every file met, in the order read.
    pub files: Vec<FileInfo>,
    /// Every diagnostic in the order found, with the index in `files` of the file it concerns
    /// (none for a folder's).
    pub diags: Vec<(Option<usize>, Diag)>,
}

/// Loads submission files and folders.
///
/// A folder contributes every `*.json`, `*.toml`, `*.csv`, `*.xlsx` and `*.ods` file directly in it
/// (extensions in any case; hidden files, the `~$…` lock files of spreadsheet programs,
/// sub-folders and other files are skipped), sorted by name. A file given explicitly must have one
/// of these extensions. A path given twice is read once. Every text file is added to `sources` so
/// diagnostics can point into it; a workbook has no text, so its diagnostics name the sheet and
/// cell in their message.
pub fn load(model: &Model, paths: &[PathBuf], sources: &mut SourceMap) -> (Dataset, Vec<Diag>) {
    let loading = load_files(model, paths, sources);
    (loading.dataset, loading.diags.into_iter().map(|(_, d)| d).collect())
}

/// Loads like [`load`], and tells which file each diagnostic concerns (for `tamga validate`).
pub fn load_files(model: &Model, paths: &[PathBuf], sources: &mut SourceMap) -> Loading {
    load_files_with(model, paths, &ReadOptions::default(), sources)
}

/// Loads like [`load_files`], reading the files as `options` say.
pub fn load_files_with(model: &Model, paths: &[PathBuf], options: &ReadOptions, sources: &mut SourceMap) -> Loading {
    let mut targets = vec![];
    for path in paths {
        collect(path, &mut targets);
    }
    let mut loading = Loading::default();
    let mut loaded: Vec<(usize, validate::Loaded)> = vec![];
    for target in targets {
        let (display, path, format) = match target {
            Target::Folder(d) => {
                loading.diags.push((None, d));
                continue;
            }
            Target::Bad(display, d) => {
                loading.files.push(FileInfo { file: display, submissions: vec![] });
                loading.diags.push((Some(loading.files.len() - 1), d));
                continue;
            }
            Target::File(display, path, format) => (display, path, format),
        };
        loading.files.push(FileInfo { file: display.clone(), submissions: vec![] });
        let index = loading.files.len() - 1;
        let bytes = match read_limited(&path) {
            Ok(b) => b,
            Err(Some(size)) => {
                let d = Diag::error(
                    Code::DataFormat,
                    format!("`{display}` is larger than {} MiB ({size} bytes)", MAX_SUBMISSION_BYTES / 1024 / 1024),
                )
                .help("split the submissions into several files (one per unit, or per period)")
                .ru(
                    format!(
                        "`{display}` больше {}{}МиБ ({}{}байт)",
                        MAX_SUBMISSION_BYTES / 1024 / 1024,
                        crate::i18n::NBSP,
                        crate::i18n::number(crate::i18n::Lang::Ru, &size.to_string()),
                        crate::i18n::NBSP
                    ),
                    None,
                    Some("разделите данные на несколько файлов (по государству или по периоду)".into()),
                );
                loading.diags.push((Some(index), d));
                continue;
            }
            Err(None) => match std::fs::read(&path) {
                Ok(_) => unreachable!("read_limited reads what can be read"),
                Err(e) => {
                    loading.diags.push((Some(index), io_error(&display, &e)));
                    continue;
                }
            },
        };
        let sha = sha256_hex(&bytes);
        let (subs, diags) = load_bytes_as(model, &display, format, bytes, sha, options, sources);
        loading.diags.extend(diags.into_iter().map(|d| (Some(index), d)));
        for l in subs {
            loading.files[index].submissions.push((l.sub.unit.clone(), l.sub.period.clone()));
            loaded.push((index, l));
        }
    }
    let submissions = dedupe(loaded, &mut loading.diags);
    loading.dataset = Dataset { submissions: limit_units(submissions, &mut loading.diags) };
    loading
}

/// The consistency rules a submission violates, as diagnostics at the submission (its `unit`):
/// the rule, its label, the answers it names with their values, and what follows from it.
fn rule_diags(model: &Model, codes: &[crate::eval::compile::Code], l: &validate::Loaded) -> Vec<Diag> {
    use crate::model::Severity;
    let verdicts = crate::eval::judge_submission(model, codes, &l.sub);
    let mut out = vec![];
    for (r, v) in model.rules.values().zip(verdicts) {
        if v.is_err() && r.severity == Severity::Error {
            // not judged: an answer it names left out makes the others unverifiable, and unused
            let missing = |q: &usize| match l.sub.answer(*q) {
                None => Some(crate::model::Reason::NotSubmitted),
                Some(Answer::Missing(reason)) if reason != crate::model::Reason::NotApplicable => Some(reason),
                _ => None,
            };
            let left: Vec<String> = r
                .questions
                .iter()
                .filter_map(|q| {
                    missing(q).map(|why| format!("`{}` ({})", model.questions[*q].id, why.as_str().replace('_', " ")))
                })
                .collect();
            // in Russian: the reason in words (an invalid answer is not a reason a state gives)
            let left_ru: Vec<String> = r
                .questions
                .iter()
                .filter_map(|q| {
                    missing(q).map(|why| {
                        let words =
                            crate::i18n::submitted_reason(crate::i18n::Lang::Ru, why).unwrap_or("ответ недопустим");
                        format!("`{}` ({words})", model.questions[*q].id)
                    })
                })
                .collect();
            let given: Vec<String> = r
                .questions
                .iter()
                .filter(|q| matches!(l.sub.answer(**q), Some(Answer::Number(_))))
                .map(|q| format!("`{}`", model.questions[*q].id))
                .collect();
            if !left.is_empty() && !given.is_empty() {
                let d = Diag::warning(
                    Code::DataRule,
                    format!(
                        "{} {}: the consistency rule `{}` cannot be judged: {} left out; {} cannot be verified and count as invalid",
                        l.sub.unit,
                        l.sub.period,
                        r.id,
                        left.join(", "),
                        given.join(", ")
                    ),
                )
                .help(format!(
                    "`require {}` checks these answers together: give the missing answer (or declare it `not_applicable` if it does not apply), so that the others can be used",
                    r.text
                ))
                .ru(
                    format!(
                        "{} {}: правило согласованности `{}` нельзя проверить: нет {}; {} нельзя проверить, и они считаются недопустимыми",
                        l.sub.unit,
                        l.sub.period,
                        r.id,
                        left_ru.join(", "),
                        given.join(", ")
                    ),
                    Some("в этих данных".into()),
                    Some(format!(
                        "`require {}` проверяет эти ответы вместе: дайте недостающий ответ (или объявите его `not_applicable`, если вопрос неприменим), чтобы остальные можно было использовать",
                        r.text
                    )),
                );
                out.push(l.unit_at.put(d, "in this submission"));
            }
            continue;
        }
        if v != Ok(0.0) {
            continue;
        }
        let values: Vec<String> = r
            .questions
            .iter()
            .map(|q| format!("`{}` = {}", model.questions[*q].id, answer_text(model, *q, l.sub.answer(*q))))
            .collect();
        let label = r.labels.get("en").or_else(|| r.labels.values().next());
        let what = match label {
            Some(t) => format!("`{}` ({t})", r.id),
            None => format!("`{}`", r.id),
        };
        let names = r.questions.iter().map(|q| format!("`{}`", model.questions[*q].id)).collect::<Vec<_>>().join(", ");
        let message = format!(
            "{} {}: the answers violate the consistency rule {what}: {}",
            l.sub.unit,
            l.sub.period,
            values.join(", ")
        );
        // in Russian: the rule's Russian label, the answers in the Russian notation
        let values_ru: Vec<String> = r
            .questions
            .iter()
            .map(|q| {
                let a = answer_text(model, *q, l.sub.answer(*q));
                let a = match a.as_str() {
                    "yes" => "да".to_string(),
                    "no" => "нет".to_string(),
                    "not submitted" => "не представлено".to_string(),
                    "not applicable" => "неприменимо".to_string(),
                    "confidential" => "конфиденциально".to_string(),
                    other => crate::i18n::number(crate::i18n::Lang::Ru, other),
                };
                format!("`{}` = {a}", model.questions[*q].id)
            })
            .collect();
        let what_ru = match r.labels.get("ru").or(label) {
            Some(t) => format!("`{}` ({t})", r.id),
            None => format!("`{}`", r.id),
        };
        let message_ru = format!(
            "{} {}: ответы нарушают правило согласованности {what_ru}: {}",
            l.sub.unit,
            l.sub.period,
            values_ru.join(", ")
        );
        let d = match r.severity {
            Severity::Error => Diag::error(Code::DataRule, message).help(format!(
                "`require {}` does not hold: correct the answers, or declare the wrong one missing with its reason; until then {names} count as invalid, and what is computed from them is not assessable",
                r.text
            )).ru(message_ru.clone(), Some("в этих данных".into()), Some(format!(
                "условие `require {}` не выполняется: исправьте ответы или объявите неверный ответ отсутствующим с указанием причины; до тех пор {names} считаются недопустимыми, а то, что из них рассчитывается, не оценивается",
                r.text
            ))),
            Severity::Warning => Diag::warning(Code::DataRule, message).help(format!(
                "`require {}` does not hold: check the answers with the state (the rule is a warning: the answers are used as given)",
                r.text
            )).ru(message_ru, Some("в этих данных".into()), Some(format!(
                "условие `require {}` не выполняется: сверьте ответы с государством (правило — предупреждение: ответы используются как есть)",
                r.text
            ))),
        };
        out.push(l.unit_at.put(d, "in this submission"));
    }
    out
}

/// An answer as a reader writes it: a number, yes or no, an option, or why it is missing.
pub fn answer_text(model: &Model, q: usize, a: Option<Answer>) -> String {
    use crate::model::QuestionType;
    match a {
        None => "not submitted".into(),
        Some(Answer::Missing(r)) => r.as_str().replace('_', " "),
        Some(Answer::Number(x)) => match &model.questions[q].ty {
            QuestionType::YesNo => if x != 0.0 { "yes" } else { "no" }.into(),
            QuestionType::Choice(opts) => {
                opts.get(x as usize).map(|o| format!("\"{}\"", o.id)).unwrap_or_else(|| crate::number::shortest(x))
            }
            _ => crate::number::shortest(x),
        },
    }
}

/// A file's bytes, or `Err(Some(size))` when it is larger than [`MAX_SUBMISSION_BYTES`], or
/// `Err(None)` when it cannot be read (the caller reads it again for the error).
fn read_limited(path: &Path) -> Result<Vec<u8>, Option<u64>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|_| None)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_SUBMISSION_BYTES {
        return Err(Some(size));
    }
    // the file may grow while it is read: read one byte more than the limit at most
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_SUBMISSION_BYTES + 1).read_to_end(&mut bytes).map_err(|_| None)?;
    if bytes.len() as u64 > MAX_SUBMISSION_BYTES {
        return Err(Some(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Drops every period with more than [`MAX_UNITS_PER_PERIOD`] units, with an error.
fn limit_units(subs: Vec<Submission>, diags: &mut Vec<(Option<usize>, Diag)>) -> Vec<Submission> {
    let mut counts: Vec<(String, usize)> = vec![];
    for s in &subs {
        match counts.last_mut() {
            Some((p, n)) if *p == s.period => *n += 1,
            _ => counts.push((s.period.clone(), 1)),
        }
    }
    let over: Vec<&(String, usize)> = counts.iter().filter(|(_, n)| *n > MAX_UNITS_PER_PERIOD).collect();
    if over.is_empty() {
        return subs;
    }
    for (period, n) in &over {
        let d = Diag::error(
            Code::DataFormat,
            format!("period `{period}` has {n} units, more than the {MAX_UNITS_PER_PERIOD} tamga evaluates together"),
        )
        .help("evaluate the units in groups (one run per group), or check that the unit codes are right")
        .ru(
            format!(
                "за период `{period}` — {}: больше {}, которые tamga оценивает вместе",
                crate::i18n::count(crate::i18n::Lang::Ru, *n as f64, &crate::i18n::nouns::STATE),
                crate::i18n::number(crate::i18n::Lang::Ru, &MAX_UNITS_PER_PERIOD.to_string())
            ),
            None,
            Some("оцените государства по группам (по одному запуску на группу) или проверьте правильность кодов государств".into()),
        );
        diags.push((None, d));
    }
    let over: Vec<String> = over.into_iter().map(|(p, _)| p.clone()).collect();
    subs.into_iter().filter(|s| !over.contains(&s.period)).collect()
}

/// Loads one submission from in-memory text. `name` is the display name; its extension (`.json`,
/// `.toml` or `.csv`) chooses the format. The text is added to `sources`. Of a CSV file that holds
/// several submissions, the first is returned (see [`load_bytes`] for all).
pub fn load_text(model: &Model, name: &str, text: &str, sources: &mut SourceMap) -> (Option<Submission>, Vec<Diag>) {
    let (subs, diags) = load_bytes(model, name, text.as_bytes(), sources);
    (subs.into_iter().next(), diags)
}

/// Loads the submissions of one file's bytes, in file order: one from a JSON, TOML or Excel file,
/// any number from a CSV file. `name` is the display name; its extension chooses the format.
/// Submissions are not checked against each other (two for the same unit and period are both
/// returned).
pub fn load_bytes(model: &Model, name: &str, bytes: &[u8], sources: &mut SourceMap) -> (Vec<Submission>, Vec<Diag>) {
    let sha = sha256_hex(bytes);
    let Some(format) = Format::of(Path::new(name)) else {
        sources.add(name, String::from_utf8_lossy(bytes).into_owned());
        return (vec![], vec![not_a_submission(name)]);
    };
    let (subs, diags) = load_bytes_as(model, name, format, bytes.to_vec(), sha, &ReadOptions::default(), sources);
    (subs.into_iter().map(|l| l.sub).collect(), diags)
}

/// The file formats of submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Toml,
    Csv,
    /// An Excel workbook, or an OpenDocument spreadsheet (`.ods`, LibreOffice's own format) read
    /// the same way (told apart by the extension: [`is_ods`]).
    Xlsx,
}

/// Whether a spreadsheet's name ends in `.ods` (in any case).
fn is_ods(name: &str) -> bool {
    Path::new(name).extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("ods"))
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Xlsx),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Toml => "TOML",
            Format::Csv => "CSV",
            Format::Xlsx => "Excel",
        }
    }
}

/// A parsed value and its byte span in the file's text.
#[derive(Debug, Clone)]
struct Node {
    span: Range<usize>,
    kind: Kind,
}

/// What a value is. Tables keep their entries in file order, duplicates included.
#[derive(Debug, Clone)]
enum Kind {
    Null,
    Bool(bool),
    /// A number; `int` is its decimal text if it was written as a whole number (no `.` or
    /// exponent).
    Num {
        value: f64,
        int: Option<String>,
    },
    Str(String),
    /// A TOML date or time, or a spreadsheet date, as written.
    Date(String),
    /// A spreadsheet error value (`#DIV/0!`).
    Error(String),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

/// A key and its value.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    key_span: Range<usize>,
    value: Node,
}

/// A file that is not valid JSON or TOML: the parser's message and where.
#[derive(Debug, Clone)]
struct SyntaxError {
    message: String,
    span: Range<usize>,
}

/// Reads one file's bytes in its format (text formats are added to `sources`).
fn load_bytes_as(
    model: &Model,
    display: &str,
    format: Format,
    bytes: Vec<u8>,
    sha: String,
    options: &ReadOptions,
    sources: &mut SourceMap,
) -> (Vec<validate::Loaded>, Vec<Diag>) {
    if format == Format::Xlsx {
        let (subs, mut diags) = xlsx::load(model, display, &bytes, sha, is_ods(display));
        return with_rules(model, subs, &mut diags);
    }
    let help = match format {
        Format::Csv => "save the file as «CSV UTF-8 (comma delimited)» (Excel) or with the UTF-8 encoding",
        _ => "save the file with the UTF-8 encoding",
    };
    // UTF-16 ("Unicode" in Windows programs) is said so, without echoing its bytes
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if utf16 || bytes.contains(&0) {
        let what = if utf16 {
            "is UTF-16 text, not UTF-8"
        } else {
            "is not text: it holds zero bytes (UTF-16, or a binary file)"
        };
        let what_ru = if utf16 {
            "— текст в кодировке UTF-16, а не UTF-8"
        } else {
            "— не текст: в нём нулевые байты (UTF-16 или двоичный файл)"
        };
        let help_ru = match format {
            Format::Csv => "сохраните файл как «CSV UTF-8 (разделитель — запятая)» (Excel) или в кодировке UTF-8",
            _ => "сохраните файл в кодировке UTF-8",
        };
        let d = Diag::error(Code::DataFormat, format!("`{display}` {what}")).help(help).ru(
            format!("`{display}` {what_ru}"),
            None,
            Some(help_ru.into()),
        );
        return (vec![], vec![d]);
    }
    let mut decoded = None;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) if format == Format::Csv && cp1251::decode(e.as_bytes()).is_some() => {
            let d = Diag::warning(
                Code::DataFormat,
                format!("`{display}` is in the Windows-1251 encoding, not UTF-8: read as Windows-1251"),
            )
            .help("check the Russian texts below; save the file as «CSV UTF-8 (comma delimited)» to be sure")
            .ru(
                format!("`{display}` — в кодировке Windows-1251, а не UTF-8: прочитан как Windows-1251"),
                None,
                Some(
                    "проверьте русские тексты ниже; надёжнее сохранить файл как «CSV UTF-8 (разделитель — запятая)»"
                        .into(),
                ),
            );
            decoded = Some(d);
            cp1251::decode(e.as_bytes()).unwrap_or_default()
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = sources.add(display.to_string(), lossy);
            let span = json::char_span(&sources.get(file).text, at);
            let help_ru = match format {
                Format::Csv => "сохраните файл как «CSV UTF-8 (разделитель — запятая)» (Excel) или в кодировке UTF-8",
                _ => "сохраните файл в кодировке UTF-8",
            };
            let d = Diag::error(Code::DataFormat, format!("`{display}` is not UTF-8 text"))
                .at(Span::new(file, span.start, span.end), "not UTF-8")
                .help(help)
                .ru(format!("`{display}` — текст не в кодировке UTF-8"), Some("не UTF-8".into()), Some(help_ru.into()));
            return (vec![], vec![d]);
        }
    };
    let (subs, mut diags) = load_one(model, display, format, text, sha, options, sources);
    diags.splice(0..0, decoded);
    with_rules(model, subs, &mut diags)
}

/// Judges the consistency rules on every submission loaded, adding a diagnostic per violation.
fn with_rules(model: &Model, subs: Vec<validate::Loaded>, diags: &mut Vec<Diag>) -> (Vec<validate::Loaded>, Vec<Diag>) {
    if !model.rules.is_empty() {
        let codes = crate::eval::compile_rules(model);
        for l in &subs {
            diags.extend(rule_diags(model, &codes, l));
        }
    }
    (subs, std::mem::take(diags))
}

/// Parses and validates one text file (adding it to `sources`).
fn load_one(
    model: &Model,
    display: &str,
    format: Format,
    text: String,
    sha: String,
    options: &ReadOptions,
    sources: &mut SourceMap,
) -> (Vec<validate::Loaded>, Vec<Diag>) {
    let file = sources.add(display, text);
    let text = sources.get(file).text.as_str();
    // A byte-order mark (as some spreadsheet tools write) is not part of the content.
    let start = if text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
    let parsed = match format {
        Format::Json => json::parse(text, start),
        Format::Toml => toml::parse(text, start),
        Format::Csv => return csv::load(model, file, text, start, display, sha, options),
        Format::Xlsx => return (vec![], vec![not_a_submission(display)]),
    };
    match parsed {
        Ok(root) => {
            let (sub, diags) = validate::submission(model, file, format, text, &root, display, sha);
            (sub.into_iter().collect(), diags)
        }
        Err(e) => (vec![], vec![syntax_error(file, format, e)]),
    }
}

fn syntax_error(file: FileId, format: Format, e: SyntaxError) -> Diag {
    let help = match format {
        Format::Toml => "check the TOML near this place: `key = value` per line, texts in double quotes, each key once per table",
        _ => "check the JSON near this place: keys and texts in double quotes, a comma between entries and none after the last",
    };
    let message = e.message.lines().next().unwrap_or("").trim().to_string();
    let help_ru = match format {
        Format::Toml => "проверьте TOML рядом с этим местом: `ключ = значение` по одному в строке, тексты в двойных кавычках, каждый ключ один раз в таблице",
        _ => "проверьте JSON рядом с этим местом: ключи и тексты в двойных кавычках, запятая между элементами и ни одной после последнего",
    };
    Diag::error(Code::DataFormat, format!("the submission is not valid {}", format.name()))
        .at(Span::new(file, e.span.start, e.span.end), message.clone())
        .help(help)
        .ru(
            format!("файл не является правильным {}", format.name()),
            Some(format!("ошибка разбора: {message}")),
            Some(help_ru.into()),
        )
}

/// The path as shown: as given, with `/` separators.
fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn io_error(display: &str, e: &std::io::Error) -> Diag {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => format!("`{display}` does not exist"),
        _ => format!("cannot read `{display}`: {e}"),
    };
    let message_ru = match e.kind() {
        std::io::ErrorKind::NotFound => format!("`{display}` не существует"),
        _ => format!("не удаётся прочитать `{display}`: {e}"),
    };
    Diag::error(Code::Io, message).help("check the path; give submission files or folders that hold them").ru(
        message_ru,
        None,
        Some("проверьте путь; укажите файлы с данными или папки, в которых они лежат".into()),
    )
}

/// The error of a command that evaluates when none of the files given holds a submission that
/// could be read (each file's own problems are reported before it).
pub fn no_submission() -> Diag {
    Diag::error(Code::DataFormat, "no submission could be read")
        .help("give submission files (JSON, TOML, CSV or Excel), or folders that hold them")
        .ru(
            "не удалось прочитать ни одного файла с данными анкет",
            None,
            Some("укажите файлы с данными анкет (JSON, TOML, CSV или Excel) или папки, в которых они лежат".into()),
        )
}

fn not_a_submission(display: &str) -> Diag {
    Diag::error(Code::DataFormat, format!("`{display}` is not a submission file")).help(
        "submissions are JSON (`.json`), TOML (`.toml`), CSV (`.csv`), Excel (`.xlsx`) or OpenDocument (`.ods`) files; \
         `tamga template` writes a blank one",
    )
    .ru(
        format!("`{display}` — не файл с данными анкеты"),
        None,
        Some("данные анкеты — файлы JSON (`.json`), TOML (`.toml`), CSV (`.csv`), Excel (`.xlsx`) или OpenDocument (`.ods`); пустую анкету создаёт `tamga template`".into()),
    )
}

/// What a path given on the command line stands for.
enum Target {
    /// A submission file to read.
    File(String, PathBuf, Format),
    /// A file that cannot be read as a submission.
    Bad(String, Diag),
    /// A problem with a folder.
    Folder(Diag),
}

/// Adds the submission files a path stands for.
fn collect(path: &Path, targets: &mut Vec<Target>) {
    let display = display_path(path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            targets.push(Target::Bad(display.clone(), io_error(&display, &e)));
            return;
        }
    };
    let push = |targets: &mut Vec<Target>, display: String, path: PathBuf, format: Format| {
        if !targets.iter().any(|t| matches!(t, Target::File(d, _, _) if *d == display)) {
            targets.push(Target::File(display, path, format));
        }
    };
    if !meta.is_dir() && !meta.is_file() {
        // a named pipe would wait for a writer, a device may never end: refused without opening
        let d =
            Diag::error(Code::Io, format!("`{display}` is not a regular file (a named pipe, a device or a socket)"))
                .help("give submission files, or folders that hold them")
                .ru(
                    format!("`{display}` — не обычный файл (именованный канал, устройство или сокет)"),
                    None,
                    Some("укажите файлы с данными или папки, в которых они лежат".into()),
                );
        targets.push(Target::Bad(display.clone(), d));
        return;
    }
    if !meta.is_dir() {
        match Format::of(path) {
            Some(format) => push(targets, display, path.to_path_buf(), format),
            None => targets.push(Target::Bad(display.clone(), not_a_submission(&display))),
        }
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            targets.push(Target::Folder(io_error(&display, &e)));
            return;
        }
    };
    let mut found: Vec<(String, PathBuf, Format)> = vec![];
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                targets.push(Target::Folder(io_error(&display, &e)));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let full = entry.path();
        if name.starts_with('.') || name.starts_with("~$") || !full.is_file() {
            continue;
        }
        if let Some(format) = Format::of(&full) {
            found.push((name, full, format));
        }
    }
    if found.is_empty() {
        targets.push(Target::Folder(
            Diag::warning(Code::DataFormat, format!("folder `{display}` holds no submission files"))
                .help("put the submissions (`.json`, `.toml`, `.csv`, `.xlsx` or `.ods` files) directly in the folder")
                .ru(
                    format!("в папке `{display}` нет файлов с данными анкет"),
                    None,
                    Some("положите файлы (`.json`, `.toml`, `.csv`, `.xlsx` или `.ods`) прямо в папку".into()),
                ),
        ));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let prefix = if display.ends_with('/') { display.clone() } else { format!("{display}/") };
    for (name, full, format) in found {
        push(targets, format!("{prefix}{name}"), full, format);
    }
}

/// Sort key of a period: whole numbers first and numerically, then other texts.
fn period_key(period: &str) -> (u8, usize, &str, &str) {
    if !period.is_empty() && period.bytes().all(|c| c.is_ascii_digit()) {
        let digits = period.trim_start_matches('0');
        (0, digits.len(), digits, period)
    } else {
        (1, 0, period, period)
    }
}

/// Sorts by (period, unit, file) and drops a second submission for the same unit and period,
/// reporting it against the file it came from.
fn dedupe(mut loaded: Vec<(usize, validate::Loaded)>, diags: &mut Vec<(Option<usize>, Diag)>) -> Vec<Submission> {
    loaded.sort_by(|(_, a), (_, b)| {
        (period_key(&a.sub.period), &a.sub.unit, &a.sub.file).cmp(&(
            period_key(&b.sub.period),
            &b.sub.unit,
            &b.sub.file,
        ))
    });
    let mut kept: Vec<validate::Loaded> = Vec::with_capacity(loaded.len());
    for (index, l) in loaded {
        if let Some(first) = kept.last() {
            if first.sub.unit == l.sub.unit && first.sub.period == l.sub.period {
                let d = Diag::error(
                    Code::DataDuplicate,
                    format!(
                        "a second submission for unit `{}` and period `{}`; `{}` is dropped",
                        l.sub.unit, l.sub.period, l.sub.file
                    ),
                )
                .help("keep one submission per unit and period: remove one of the files, or correct its `unit` or `period`")
                .ru(
                    format!(
                        "повторные данные государства `{}` за период `{}`; файл `{}` не учитывается",
                        l.sub.unit, l.sub.period, l.sub.file
                    ),
                    Some(format!("`{}` ещё раз", l.sub.unit)),
                    Some("оставьте одни данные на государство и период: удалите один из файлов или исправьте в нём `unit` или `period`".into()),
                );
                let d = l.unit_at.put(d, format!("`{}` again", l.sub.unit));
                let d = first.unit_at.also(
                    d,
                    format!("first submitted here, in `{}` (kept)", first.sub.file),
                    format!("впервые представлено здесь, в `{}` (учитывается)", first.sub.file),
                );
                diags.push((Some(index), d));
                continue;
            }
        }
        kept.push(l);
    }
    kept.into_iter().map(|l| l.sub).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use crate::model::{Bound, ChoiceOption, Header, NumRange, Question, QuestionType, Slot};
    use crate::number::Rounding;
    use indexmap::IndexMap;

    fn question(id: &str, ty: QuestionType, range: NumRange, required: bool) -> Question {
        Question {
            id: id.into(),
            labels: Labels::new(),
            help: Labels::new(),
            ty,
            unit: String::new(),
            unit_labels: Labels::new(),
            range,
            required,
            group: None,
            slot: Slot(0),
            span: Span::default(),
        }
    }

    fn range(lo: f64, hi: f64) -> NumRange {
        NumRange { lo: Some(Bound { value: lo, inclusive: true }), hi: Some(Bound { value: hi, inclusive: true }) }
    }

    /// A model with one question of each type; only `questions` matters to loading.
    fn model() -> Model {
        let options = ["council", "committee", "none"]
            .into_iter()
            .map(|id| ChoiceOption { id: id.into(), labels: Labels::new() })
            .collect();
        let qs = vec![
            question("q01_release_hours", QuestionType::Hours, NumRange::default(), true),
            question("q02_advisory_body", QuestionType::YesNo, NumRange::default(), false),
            question("q03_format", QuestionType::Choice(options), NumRange::default(), false),
            question("q04_share", QuestionType::Percent, range(0.0, 100.0), false),
            question("q05_staff", QuestionType::Count, NumRange::default(), false),
            question("q06_budget", QuestionType::Money, NumRange::default(), false),
            question("q07_rating", QuestionType::Number, range(1.0, 5.0), false),
            question("q08_inspected", QuestionType::Number, NumRange::default(), false),
        ];
        let mut questions = IndexMap::new();
        for (i, mut q) in qs.into_iter().enumerate() {
            q.slot = Slot(i as u32);
            questions.insert(q.id.clone(), q);
        }
        Model {
            header: Header {
                id: "test".into(),
                version: "1.0".into(),
                title: Labels::new(),
                scale: (0.0, 100.0),
                precision: 1,
                score_precision: 1,
                rounding: Rounding::default(),
                languages: vec!["en".into()],
                unit_name: Labels::new(),
                units: vec![],
            },
            questions,
            groups: IndexMap::new(),
            indicators: IndexMap::new(),
            areas: IndexMap::new(),
            index: String::new(),
            chapters: IndexMap::new(),
            standards: IndexMap::new(),
            code_score: Slot(0),
            recommendations: IndexMap::new(),
            rules: IndexMap::new(),
            screen: None,
            uncertainty: None,
            slots: vec![],
            origins: vec![],
            plan: vec![],
            parameters: IndexMap::new(),
            tables: IndexMap::new(),
            scenarios: IndexMap::new(),
        }
    }

    const GOOD_JSON: &str = r#"{
  "unit": "AM",
  "period": "2023",
  "name": { "en": "Armenia", "ru": "Армения" },
  "note": "Illustrative data, not official",
  "answers": {
    "q01_release_hours": 36.5,
    "q02_advisory_body": true,
    "q03_format": "committee",
    "q04_share": 12,
    "q05_staff": 140,
    "q06_budget": 1500000.25,
    "q07_rating": { "missing": "confidential" },
    "q08_inspected": { "missing": "not_applicable", "comment": "no inspections in 2022" }
  }
}
"#;

    const GOOD_TOML: &str = r#"unit = "AM"
period = 2023
note = "Illustrative data, not official"

[name]
en = "Armenia"
ru = "Армения"

[answers]
q01_release_hours = 36.5
q02_advisory_body = true
q03_format = "committee"
q04_share = 12
q05_staff = 140
q06_budget = 1_500_000.25
q07_rating = { missing = "confidential" }

[answers.q08_inspected]
missing = "not_applicable"
comment = "no inspections in 2022"
"#;

    fn expected_answers() -> Vec<Option<Answer>> {
        vec![
            Some(Answer::Number(36.5)),
            Some(Answer::Number(1.0)),
            Some(Answer::Number(1.0)),
            Some(Answer::Number(12.0)),
            Some(Answer::Number(140.0)),
            Some(Answer::Number(1500000.25)),
            Some(Answer::Missing(Reason::Confidential)),
            Some(Answer::Missing(Reason::NotApplicable)),
        ]
    }

    /// Loads one text; returns the submission, the diagnostics and the source map.
    fn run(name: &str, text: &str) -> (Option<Submission>, Vec<Diag>, SourceMap) {
        let mut sources = SourceMap::new();
        let (sub, diags) = load_text(&model(), name, text, &mut sources);
        (sub, diags, sources)
    }

    /// The only diagnostic, which must have this code.
    fn only(diags: &[Diag], code: Code) -> &Diag {
        assert_eq!(diags.len(), 1, "expected one diagnostic, got {diags:#?}");
        assert_eq!(diags[0].code, code, "{:#?}", diags[0]);
        &diags[0]
    }

    fn primary_text<'s>(d: &Diag, sources: &'s SourceMap) -> &'s str {
        sources.slice(d.primary.as_ref().expect("a diagnostic with a place").span)
    }

    fn help(d: &Diag) -> &str {
        d.help.as_deref().unwrap_or("")
    }

    /// A JSON submission with these answers (a JSON object body without braces).
    fn json_with(answers: &str) -> String {
        format!("{{\n  \"unit\": \"AM\",\n  \"period\": \"2023\",\n  \"answers\": {{\n    \"q01_release_hours\": 10,\n    {answers}\n  }}\n}}\n")
    }

    /// A TOML submission with these extra answer lines.
    fn toml_with(answers: &str) -> String {
        format!("unit = \"AM\"\nperiod = \"2023\"\n\n[answers]\nq01_release_hours = 10\n{answers}\n")
    }

    fn answer(sub: &Option<Submission>, id: &str) -> Option<Answer> {
        let i = model().questions.get_index_of(id).expect("a test question");
        sub.as_ref().expect("a submission").answers.get(i)
    }

    #[test]
    fn good_json_and_toml_give_the_same_answers() {
        let (json, jd, _) = run("am.json", GOOD_JSON);
        let (toml, td, _) = run("am.toml", GOOD_TOML);
        assert!(jd.is_empty(), "{jd:#?}");
        assert!(td.is_empty(), "{td:#?}");
        let (json, toml) = (json.expect("json submission"), toml.expect("toml submission"));
        assert_eq!(json.answers, Answers::from(expected_answers()));
        assert_eq!(toml.answers, Answers::from(expected_answers()));
        for s in [&json, &toml] {
            assert_eq!(s.unit, "AM");
            assert_eq!(s.period, "2023");
            assert_eq!(s.name.get("ru").map(String::as_str), Some("Армения"));
            assert_eq!(s.sha256.len(), 64);
        }
        assert_eq!(json.file, "am.json");
        assert_eq!(json.sha256, sha256_hex(GOOD_JSON.as_bytes()));
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let (sub, d, _) = run("am.json", &format!("\u{FEFF}{GOOD_JSON}"));
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(sub.expect("a submission").answers, Answers::from(expected_answers()));
        let (sub, d, _) = run("am.toml", &format!("\u{FEFF}{GOOD_TOML}"));
        assert!(d.is_empty(), "{d:#?}");
        assert_eq!(sub.expect("a submission").answers, Answers::from(expected_answers()));
    }

    #[test]
    fn json_syntax_error_points_at_the_parser_position() {
        let text = "{\n  \"unit\": \"AM\",\n  \"period\": \"2023\"\n  \"answers\": {}\n}\n";
        let (sub, diags, sources) = run("am.json", text);
        assert!(sub.is_none());
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the submission is not valid JSON");
        let span = d.primary.as_ref().expect("a place").span;
        assert_eq!(sources.line_col(span), (4, 3));
        assert_eq!(primary_text(d, &sources), "\"");
        assert!(d.primary.as_ref().is_some_and(|l| l.text.contains("expected `,` or `}`")), "{d:#?}");
    }

    #[test]
    fn json_trailing_comma_and_end_of_file() {
        let (_, diags, sources) = run("am.json", "{\"unit\": \"AM\",}");
        let d = only(&diags, Code::DataFormat);
        assert_eq!(primary_text(d, &sources), "}");
        let (_, diags, sources) = run("am.json", "{\"unit\": \"AM\",\n");
        let d = only(&diags, Code::DataFormat);
        assert_eq!(primary_text(d, &sources), "");
        assert!(d.primary.as_ref().is_some_and(|l| l.text.contains("EOF")), "{d:#?}");
    }

    #[test]
    fn json_number_too_large_is_a_format_error() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q08_inspected\": 1e400"));
        assert!(sub.is_none());
        let d = only(&diags, Code::DataFormat);
        assert!(d.primary.as_ref().is_some_and(|l| l.text.contains("number out of range")), "{d:#?}");
        assert_eq!(sources.line_col(d.primary.as_ref().expect("a place").span).0, 6);
    }

    #[test]
    fn toml_syntax_error_points_at_the_parser_position() {
        let text = "unit = \"AM\"\nperiod = \"2023\"\n[answers]\nq01_release_hours = 12,5\n";
        let (sub, diags, sources) = run("am.toml", text);
        assert!(sub.is_none());
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the submission is not valid TOML");
        assert_eq!(sources.line_col(d.primary.as_ref().expect("a place").span).0, 4);
        assert_eq!(primary_text(d, &sources), ",");
    }

    #[test]
    fn toml_duplicate_key_is_rejected_by_the_parser() {
        let (sub, diags, sources) = run("am.toml", &toml_with("q05_staff = 3\nq05_staff = 4"));
        assert!(sub.is_none());
        let d = only(&diags, Code::DataFormat);
        assert!(d.primary.as_ref().is_some_and(|l| l.text.contains("duplicate key")), "{d:#?}");
        assert_eq!(sources.line_col(d.primary.as_ref().expect("a place").span).0, 7);
    }

    #[test]
    fn not_utf8_is_a_format_error() {
        let dir = temp_dir("utf8");
        let path = dir.join("am.json");
        let mut bytes = b"{\"unit\": \"A".to_vec();
        bytes.push(0xC0);
        bytes.extend_from_slice(b"\"}");
        write(&path, &bytes);
        let mut sources = SourceMap::new();
        let (data, diags) = load(&model(), &[path], &mut sources);
        assert!(data.submissions.is_empty());
        let d = only(&diags, Code::DataFormat);
        assert!(d.message.ends_with("is not UTF-8 text"), "{}", d.message);
        assert_eq!(primary_text(d, &sources), "\u{FFFD}");
        assert_eq!(d.primary.as_ref().expect("a place").span.start, 11);
        cleanup(&dir);
    }

    #[test]
    fn top_level_must_be_an_object() {
        let (sub, diags, sources) = run("am.json", "[1, 2]");
        assert!(sub.is_none());
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the submission must be an object with `unit`, `period` and `answers`, found a list");
        assert_eq!(primary_text(d, &sources), "[1, 2]");
    }

    #[test]
    fn missing_unit_period_and_answers_are_all_reported() {
        let (sub, diags, sources) = run("am.json", "{ \"note\": \"x\" }");
        assert!(sub.is_none());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["the submission has no `unit`", "the submission has no `period`", "the submission has no `answers`"]
        );
        assert!(diags.iter().all(|d| d.code == Code::DataFormat && primary_text(d, &sources) == "{"));
        let (sub, diags, _) = run("am.toml", "unit = \"AM\"\nperiod = 2023\n");
        assert!(sub.is_none());
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the submission has no `answers`");
        assert_eq!(help(d), "add an `[answers]` table after `unit` and `period`");
    }

    #[test]
    fn unknown_top_level_key_suggests_a_name() {
        let text = GOOD_JSON.replace("\"note\"", "\"nots\"");
        let (sub, diags, sources) = run("am.json", &text);
        assert!(sub.is_some(), "an unknown key does not drop the submission");
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "unknown key `nots` in the submission");
        assert_eq!(help(d), "did you mean `note`?");
        assert_eq!(primary_text(d, &sources), "\"nots\"");
        // An answer written above `answers` in JSON.
        let text = GOOD_JSON.replace("\"note\"", "\"q05_staff\"");
        let (_, diags, _) = run("am.json", &text);
        assert_eq!(help(only(&diags, Code::DataFormat)), "`q05_staff` is a question: move it into `answers`");
    }

    #[test]
    fn unit_and_period_are_checked() {
        let (sub, diags, sources) =
            run("am.json", &GOOD_JSON.replace("\"AM\"", "\"Armenia \"").replace("\"2023\"", "2023.5"));
        assert!(sub.is_none());
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(diags[0].message, "`unit` must be a code without spaces, found \"Armenia \"");
        assert_eq!(primary_text(&diags[0], &sources), "\"Armenia \"");
        assert_eq!(help(&diags[0]), "write \"Armenia\" without the spaces; a full name goes in `name`");
        assert_eq!(diags[1].message, "`period` must be a text or a whole number, found the number 2023.5");
        assert_eq!(primary_text(&diags[1], &sources), "2023.5");
        // A whole number is a period; it becomes its decimal text.
        let (sub, diags, _) = run("am.json", &GOOD_JSON.replace("\"2023\"", "2023"));
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(sub.expect("a submission").period, "2023");
        let (_, diags, _) = run("am.json", &GOOD_JSON.replace("\"AM\"", "\"\""));
        assert_eq!(only(&diags, Code::DataFormat).message, "`unit` is empty");
    }

    #[test]
    fn unknown_question_suggests_the_closest_id() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q05_staf\": 3"));
        let d = only(&diags, Code::DataUnknownQuestion);
        assert_eq!(d.message, "unknown question `q05_staf`");
        assert_eq!(help(d), "did you mean `q05_staff`?");
        assert_eq!(primary_text(d, &sources), "\"q05_staf\"");
        assert_eq!(answer(&sub, "q05_staff"), None);
        // In TOML, a top-level key written after `[answers]` lands in `answers`.
        let (_, diags, sources) = run("am.toml", &toml_with("note = \"late\""));
        let d = only(&diags, Code::DataUnknownQuestion);
        assert_eq!(primary_text(d, &sources), "note");
        assert!(help(d).contains("move `note` above the `[answers]` line"), "{}", help(d));
    }

    #[test]
    fn number_written_as_text_is_a_type_error() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q08_inspected\": \"12,5\""));
        let d = only(&diags, Code::DataType);
        assert_eq!(d.message, "`q08_inspected` must be a number, found the text \"12,5\"");
        assert_eq!(d.primary.as_ref().map(|l| l.text.as_str()), Some("a text, not a number"));
        assert_eq!(help(d), "write the number without quotes and with a decimal point: 12.5");
        assert_eq!(primary_text(d, &sources), "\"12,5\"");
        assert_eq!(answer(&sub, "q08_inspected"), Some(Answer::Missing(Reason::Invalid)));

        let (_, diags, _) = run("am.json", &json_with("\"q06_budget\": \"1 234\""));
        let d = only(&diags, Code::DataType);
        assert!(help(d).ends_with(": 1234"), "{}", help(d));
        let (_, diags, _) = run("am.toml", &toml_with("q04_share = \"36.5\""));
        assert_eq!(help(only(&diags, Code::DataType)), "write the number without quotes: 36.5");
        let (_, diags, _) = run("am.json", &json_with("\"q04_share\": \"n/a\""));
        assert_eq!(
            help(only(&diags, Code::DataType)),
            "write a number without quotes, e.g. 12.5, or say why it is missing: `{ \"missing\": \"not_applicable\" }`"
        );
        let (_, diags, sources) = run("am.json", &json_with("\"q04_share\": null"));
        let d = only(&diags, Code::DataType);
        assert_eq!(d.message, "`q04_share` must be a number, found null");
        assert_eq!(primary_text(d, &sources), "null");
    }

    #[test]
    fn count_hours_and_money_cannot_be_negative_and_counts_are_whole() {
        let (sub, diags, sources) =
            run("am.json", &json_with("\"q05_staff\": 2.5,\n    \"q06_budget\": -3,\n    \"q02_advisory_body\": true"));
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(diags[0].code, Code::DataType);
        assert_eq!(diags[0].message, "`q05_staff` must be a whole number, found 2.5");
        assert_eq!(primary_text(&diags[0], &sources), "2.5");
        assert_eq!(diags[1].code, Code::DataRange);
        assert_eq!(diags[1].message, "`q06_budget` cannot be negative, found -3");
        assert_eq!(primary_text(&diags[1], &sources), "-3");
        assert_eq!(answer(&sub, "q05_staff"), Some(Answer::Missing(Reason::Invalid)));
        assert_eq!(answer(&sub, "q06_budget"), Some(Answer::Missing(Reason::Invalid)));
        assert_eq!(answer(&sub, "q02_advisory_body"), Some(Answer::Number(1.0)));
        // 3.0 is a whole number; -0 is 0.
        let (sub, diags, _) = run("am.json", &json_with("\"q05_staff\": 3.0,\n    \"q08_inspected\": -0.0"));
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(answer(&sub, "q05_staff"), Some(Answer::Number(3.0)));
        assert!(matches!(answer(&sub, "q08_inspected"), Some(Answer::Number(x)) if x.is_sign_positive()));
    }

    #[test]
    fn value_outside_the_range_is_a_range_error() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q04_share\": 120,\n    \"q07_rating\": 0.5"));
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert!(diags.iter().all(|d| d.code == Code::DataRange));
        assert_eq!(diags[0].message, "`q04_share` must be in the range 0..=100, found 120");
        assert_eq!(primary_text(&diags[0], &sources), "120");
        assert_eq!(diags[1].message, "`q07_rating` must be in the range 1..=5, found 0.5");
        assert_eq!(answer(&sub, "q04_share"), Some(Answer::Missing(Reason::Invalid)));
    }

    #[test]
    fn toml_infinity_and_nan_are_rejected() {
        let (sub, diags, sources) = run("am.toml", &toml_with("q08_inspected = inf\nq06_budget = nan"));
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert!(diags.iter().all(|d| d.code == Code::DataType));
        assert_eq!(diags[0].message, "`q08_inspected` must be a finite number, found infinity");
        assert_eq!(primary_text(&diags[0], &sources), "inf");
        assert_eq!(primary_text(&diags[1], &sources), "nan");
        assert_eq!(answer(&sub, "q08_inspected"), Some(Answer::Missing(Reason::Invalid)));
    }

    #[test]
    fn yes_no_needs_a_boolean() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q02_advisory_body\": \"да\""));
        let d = only(&diags, Code::DataType);
        assert_eq!(d.message, "`q02_advisory_body` must be true or false, found the text \"да\"");
        assert_eq!(help(d), "write true or false without quotes: true");
        assert_eq!(primary_text(d, &sources), "\"да\"");
        assert_eq!(answer(&sub, "q02_advisory_body"), Some(Answer::Missing(Reason::Invalid)));
        let (_, diags, _) = run("am.toml", &toml_with("q02_advisory_body = \"no\""));
        assert_eq!(help(only(&diags, Code::DataType)), "write true or false without quotes: false");
        let (_, diags, _) = run("am.json", &json_with("\"q02_advisory_body\": \"maybe\""));
        assert_eq!(help(only(&diags, Code::DataType)), "write true or false");
        let (_, diags, _) = run("am.json", &json_with("\"q02_advisory_body\": 1"));
        let d = only(&diags, Code::DataType);
        assert_eq!(d.message, "`q02_advisory_body` must be true or false, found the number 1");
        assert_eq!(help(d), "write true or false without quotes: true");
    }

    #[test]
    fn choice_must_be_a_declared_option() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q03_format\": \"counsil\""));
        let d = only(&diags, Code::DataChoice);
        assert_eq!(
            d.message,
            "`q03_format` must be one of `council`, `committee` or `none`, found the text \"counsil\""
        );
        assert_eq!(help(d), "did you mean \"council\"? write one of \"council\", \"committee\", \"none\"");
        assert_eq!(primary_text(d, &sources), "\"counsil\"");
        assert_eq!(answer(&sub, "q03_format"), Some(Answer::Missing(Reason::Invalid)));
        let (_, diags, _) = run("am.toml", &toml_with("q03_format = 2"));
        let d = only(&diags, Code::DataChoice);
        assert_eq!(help(d), "write one of the options in quotes: \"council\", \"committee\", \"none\"");
        let (sub, diags, _) = run("am.toml", &toml_with("q03_format = \"none\""));
        assert!(diags.is_empty());
        assert_eq!(answer(&sub, "q03_format"), Some(Answer::Number(2.0)));
    }

    #[test]
    fn missing_answers_need_a_reason_a_submission_can_give() {
        let (sub, diags, sources) = run(
            "am.json",
            &json_with(
                "\"q04_share\": { \"missing\": \"invalid\" },\n    \"q05_staff\": { \"missing\": \"confidental\" },\n    \"q06_budget\": { \"missing\": 3 },\n    \"q07_rating\": { \"missing\": \"not_submitted\", \"comment\": \"late\" }",
            ),
        );
        assert_eq!(diags.len(), 3, "{diags:#?}");
        assert!(diags.iter().all(|d| d.code == Code::DataReason));
        assert_eq!(diags[0].message, "the reason `invalid` cannot be declared in a submission (on `q04_share`)");
        assert_eq!(primary_text(&diags[0], &sources), "\"invalid\"");
        assert!(help(&diags[0]).contains("`not_submitted`, `not_applicable` and `confidential`"));
        assert_eq!(diags[1].message, "unknown reason \"confidental\" for the missing answer to `q05_staff`");
        assert!(help(&diags[1]).starts_with("did you mean `confidential`?"), "{}", help(&diags[1]));
        assert_eq!(primary_text(&diags[2], &sources), "3");
        assert_eq!(answer(&sub, "q04_share"), Some(Answer::Missing(Reason::Invalid)));
        assert_eq!(answer(&sub, "q05_staff"), Some(Answer::Missing(Reason::Invalid)));
        assert_eq!(answer(&sub, "q07_rating"), Some(Answer::Missing(Reason::NotSubmitted)));
    }

    #[test]
    fn missing_answer_with_a_misspelt_key() {
        let (sub, diags, sources) = run("am.toml", &toml_with("q04_share = { mising = \"confidential\" }"));
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "unknown key `mising` in the missing answer to `q04_share`");
        assert_eq!(help(d), "did you mean `missing`?");
        assert_eq!(primary_text(d, &sources), "mising");
        assert_eq!(answer(&sub, "q04_share"), Some(Answer::Missing(Reason::Invalid)));
        let (_, diags, sources) = run("am.json", &json_with("\"q04_share\": {}"));
        let d = only(&diags, Code::DataType);
        assert_eq!(primary_text(d, &sources), "{}");
    }

    #[test]
    fn required_question_not_answered_is_a_warning() {
        let text = "{ \"unit\": \"AM\", \"period\": \"2023\", \"answers\": { \"q05_staff\": 3 } }";
        let (sub, diags, sources) = run("am.json", text);
        let d = only(&diags, Code::DataRequired);
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.message, "required question `q01_release_hours` is not answered; it counts as not submitted");
        assert_eq!(primary_text(d, &sources), "\"answers\"");
        assert_eq!(answer(&sub, "q01_release_hours"), None);
        assert_eq!(answer(&sub, "q05_staff"), Some(Answer::Number(3.0)));
        // Declared missing counts as answered.
        let text = "unit = \"AM\"\nperiod = \"2023\"\n[answers]\nq01_release_hours = { missing = \"confidential\" }\n";
        let (_, diags, _) = run("am.toml", text);
        assert!(diags.is_empty(), "{diags:#?}");
    }

    #[test]
    fn duplicate_json_answer_is_reported_at_the_second() {
        let (sub, diags, sources) = run("am.json", &json_with("\"q05_staff\": 3,\n    \"q05_staff\": 4"));
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "answer `q05_staff` given twice");
        let (second, first) = (d.primary.as_ref().expect("a place").span, d.secondary[0].span);
        assert_eq!(sources.slice(second), "\"q05_staff\"");
        assert_eq!(sources.slice(first), "\"q05_staff\"");
        assert!(second.start > first.start);
        assert_eq!(answer(&sub, "q05_staff"), Some(Answer::Missing(Reason::Invalid)));
        // Top-level keys too.
        let (_, diags, _) = run("am.json", &GOOD_JSON.replace("\"note\"", "\"unit\""));
        assert_eq!(only(&diags, Code::DataFormat).message, "`unit` given twice");
    }

    #[test]
    fn toml_dates_and_lists_are_type_errors() {
        let (_, diags, sources) = run("am.toml", &toml_with("q08_inspected = 2024-01-15\nq04_share = [1, 2]"));
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(diags[0].message, "`q08_inspected` must be a number, found the date 2024-01-15");
        assert_eq!(primary_text(&diags[0], &sources), "2024-01-15");
        assert_eq!(diags[1].message, "`q04_share` must be a number, found a list");
        assert_eq!(primary_text(&diags[1], &sources), "[1, 2]");
    }

    #[test]
    fn every_problem_of_a_file_is_reported() {
        let text = json_with(
            "\"q02_advisory_body\": \"yes\",\n    \"q03_format\": \"x\",\n    \"q04_share\": 101,\n    \"q99\": 1,\n    \"q05_staff\": { \"missing\": \"gone\" }",
        );
        let (sub, diags, _) = run("am.json", &text);
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [Code::DataType, Code::DataChoice, Code::DataRange, Code::DataUnknownQuestion, Code::DataReason]
        );
        assert!(sub.is_some());
    }

    #[test]
    fn unknown_extension_is_an_error() {
        let (sub, diags, _) = run("am.txt", "unit,period");
        assert!(sub.is_none());
        assert_eq!(only(&diags, Code::DataFormat).message, "`am.txt` is not a submission file");
    }

    #[test]
    fn no_input_makes_it_panic() {
        // Every prefix of the good files, and some oddities.
        let model = model();
        let mut sources = SourceMap::new();
        for text in [GOOD_JSON, GOOD_TOML] {
            for (i, _) in text.char_indices() {
                let _ = load_text(&model, "x.json", &text[..i], &mut sources);
                let _ = load_text(&model, "x.toml", &text[..i], &mut sources);
            }
        }
        for text in [
            "",
            "\u{FEFF}",
            "null",
            "\"\\ud800\"",
            "{\"unit\": \"\\ud83d\\ude00\", \"period\": 99999999999999999999999999999999999999999, \"answers\": []}",
            &"[".repeat(10_000),
            &"{\"a\":".repeat(10_000),
            "a = { b = { c = [ { d = 1979-05-27T07:32:00Z } ] } }",
            "answers = 1\nunit = 2\nperiod = 3.5",
        ] {
            let _ = load_text(&model, "x.json", text, &mut sources);
            let _ = load_text(&model, "x.toml", text, &mut sources);
        }
    }

    // ───────────────────────────── files and folders ─────────────────────────────

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tamga-data-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    }

    fn write(path: &Path, bytes: &[u8]) {
        std::fs::write(path, bytes).expect("a temporary file");
    }

    fn cleanup(dir: &Path) {
        let _ = std::fs::remove_dir_all(dir);
    }

    fn submission_text(unit: &str, period: &str) -> String {
        format!("{{ \"unit\": \"{unit}\", \"period\": \"{period}\", \"answers\": {{ \"q01_release_hours\": 1 }} }}")
    }

    #[test]
    fn folder_loads_json_and_toml_files_sorted_by_name() {
        let dir = temp_dir("folder");
        write(&dir.join("b.json"), submission_text("BY", "2023").as_bytes());
        write(&dir.join("a.TOML"), b"unit = \"KZ\"\nperiod = 2022\n[answers]\nq01_release_hours = 2\n");
        write(&dir.join("c.json"), submission_text("AM", "2023").as_bytes());
        write(&dir.join("readme.md"), b"# not data");
        write(&dir.join(".hidden.json"), b"not even json");
        std::fs::create_dir_all(dir.join("sub")).expect("a sub-folder");
        write(&dir.join("sub").join("d.json"), submission_text("RU", "2023").as_bytes());
        let mut sources = SourceMap::new();
        let (data, diags) = load(&model(), std::slice::from_ref(&dir), &mut sources);
        assert!(diags.is_empty(), "{diags:#?}");
        let names: Vec<&str> = sources.files().iter().map(|f| f.name.as_str()).collect();
        let shown = display_path(&dir);
        assert_eq!(names, [format!("{shown}/a.TOML"), format!("{shown}/b.json"), format!("{shown}/c.json")]);
        let order: Vec<(&str, &str)> = data.submissions.iter().map(|s| (s.period.as_str(), s.unit.as_str())).collect();
        assert_eq!(order, [("2022", "KZ"), ("2023", "AM"), ("2023", "BY")]);
        assert_eq!(data.submissions[1].file, format!("{shown}/c.json"));
        // A file given explicitly must be .json or .toml; a missing path is an I/O error.
        let (data, diags) = load(&model(), &[dir.join("readme.md"), dir.join("nope.json")], &mut sources);
        assert!(data.submissions.is_empty());
        assert_eq!(diags.len(), 2, "{diags:#?}");
        assert_eq!(diags[0].code, Code::DataFormat);
        assert!(diags[0].message.ends_with("readme.md` is not a submission file"), "{}", diags[0].message);
        assert_eq!(diags[1].code, Code::Io);
        assert!(diags[1].message.ends_with("nope.json` does not exist"), "{}", diags[1].message);
        // An empty folder is worth a warning.
        std::fs::create_dir_all(dir.join("empty")).expect("a sub-folder");
        let (data, diags) = load(&model(), &[dir.join("empty")], &mut sources);
        assert!(data.submissions.is_empty());
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.ends_with("empty` holds no submission files"), "{}", d.message);
        // A path given twice (or a file also found in a folder) is read once.
        let (data, diags) = load(&model(), &[dir.clone(), dir.join("c.json")], &mut sources);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(data.submissions.len(), 3);
        cleanup(&dir);
    }

    #[test]
    fn same_unit_and_period_twice_keeps_the_first_file() {
        let dir = temp_dir("dup");
        write(&dir.join("a.json"), submission_text("AM", "2023").as_bytes());
        write(&dir.join("b.toml"), b"unit = \"AM\"\nperiod = 2023\n[answers]\nq01_release_hours = 2\n");
        for paths in [[dir.join("a.json"), dir.join("b.toml")], [dir.join("b.toml"), dir.join("a.json")]] {
            let mut sources = SourceMap::new();
            let (data, diags) = load(&model(), &paths, &mut sources);
            let d = only(&diags, Code::DataDuplicate);
            assert!(d.message.starts_with("a second submission for unit `AM` and period `2023`; `"), "{}", d.message);
            assert!(d.message.ends_with("b.toml` is dropped"), "{}", d.message);
            assert_eq!(primary_text(d, &sources), "\"AM\"");
            let second = d.primary.as_ref().expect("a place").span;
            assert!(sources.get(second.file).name.ends_with("b.toml"));
            assert!(sources.get(d.secondary[0].span.file).name.ends_with("a.json"));
            assert_eq!(sources.slice(d.secondary[0].span), "\"AM\"");
            assert_eq!(data.submissions.len(), 1);
            assert!(data.submissions[0].file.ends_with("a.json"));
        }
        cleanup(&dir);
    }

    #[test]
    fn input_order_does_not_change_the_dataset() {
        let dir = temp_dir("order");
        let files = [
            ("kz.json", "KZ", "2023"),
            ("am.json", "AM", "2024"),
            ("by.json", "BY", "2023"),
            ("old.json", "AM", "999"),
        ];
        for (name, unit, period) in files {
            write(&dir.join(name), submission_text(unit, period).as_bytes());
        }
        let paths: Vec<PathBuf> = files.iter().map(|(n, _, _)| dir.join(n)).collect();
        let mut reversed = paths.clone();
        reversed.reverse();
        let summary = |paths: &[PathBuf]| {
            let mut sources = SourceMap::new();
            let (data, diags) = load(&model(), paths, &mut sources);
            assert!(diags.is_empty(), "{diags:#?}");
            data.submissions
                .iter()
                .map(|s| (s.period.clone(), s.unit.clone(), s.file.clone(), s.sha256.clone()))
                .collect::<Vec<_>>()
        };
        let a = summary(&paths);
        let b = summary(&reversed);
        assert_eq!(a, b);
        let order: Vec<(&str, &str)> = a.iter().map(|(p, u, _, _)| (p.as_str(), u.as_str())).collect();
        assert_eq!(order, [("999", "AM"), ("2023", "BY"), ("2023", "KZ"), ("2024", "AM")]);
        cleanup(&dir);
    }

    // ───────────────────────────── groups ─────────────────────────────

    #[test]
    fn groups_are_read_from_json_and_toml() {
        let text = GOOD_JSON
            .replace("\"note\"", "\"groups\": { \"EurAsia_group\": \"Asia\", \"GDP_group\": \" L \" },\n  \"note\"");
        let (sub, diags, _) = run("am.json", &text);
        assert!(diags.is_empty(), "{diags:#?}");
        let groups: Vec<(&str, &str)> =
            sub.as_ref().expect("a submission").groups.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(groups, [("EurAsia_group", "Asia"), ("GDP_group", "L")]);
        let text = GOOD_TOML.replace("[answers]\n", "[groups]\nEurAsia_group = \"Europe\"\n\n[answers]\n");
        let (sub, diags, _) = run("am.toml", &text);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(sub.expect("a submission").groups.get("EurAsia_group").map(String::as_str), Some("Europe"));
        // Without `groups`, there are none.
        let (sub, _, _) = run("am.json", GOOD_JSON);
        assert!(sub.expect("a submission").groups.is_empty());
    }

    #[test]
    fn groups_must_be_texts_under_id_keys() {
        let with = |groups: &str| GOOD_JSON.replace("\"note\"", &format!("\"groups\": {groups},\n  \"note\""));
        let (sub, diags, sources) = run("am.json", &with("{ \"EurAsia_group\": 1, \"Pop_group\": \"M\" }"));
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the group `EurAsia_group` must be a text, found the number 1");
        assert_eq!(primary_text(d, &sources), "1");
        assert_eq!(help(d), "write the unit's group in quotes, `\"EurAsia_group\": \"Asia\"`, or leave the key out");
        let sub = sub.expect("the submission is still read");
        assert_eq!(sub.groups.keys().collect::<Vec<_>>(), ["Pop_group"]);
        let (_, diags, sources) = run("am.json", &with("{ \"EurAsia_group\": \"  \" }"));
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the group `EurAsia_group` is empty");
        assert_eq!(primary_text(d, &sources), "\"  \"");
        let (_, diags, sources) = run("am.json", &with("{ \"Eur Asia\": \"Asia\" }"));
        let d = only(&diags, Code::DataFormat);
        assert_eq!(d.message, "the group key \"Eur Asia\" is not an id");
        assert_eq!(primary_text(d, &sources), "\"Eur Asia\"");
        let (_, diags, _) = run("am.json", &with("[\"Asia\"]"));
        assert_eq!(
            only(&diags, Code::DataFormat).message,
            "`groups` must be an object of group keys and labels, found a list"
        );
        let (_, diags, _) = run("am.json", &with("{ \"g\": \"A\", \"g\": \"B\" }"));
        assert_eq!(only(&diags, Code::DataFormat).message, "group `g` given twice");
        let (_, diags, _) = run("am.toml", &format!("groups = \"Asia\"\n{GOOD_TOML}"));
        assert_eq!(
            only(&diags, Code::DataFormat).message,
            "`groups` must be a table of group keys and labels, found the text \"Asia\""
        );
        let (_, diags, _) = run("am.json", &GOOD_JSON.replace("\"note\"", "\"group\": {},\n  \"note\""));
        assert_eq!(help(only(&diags, Code::DataFormat)), "did you mean `groups`?");
    }

    // ───────────────────────────── wide CSV ─────────────────────────────

    fn run_all(name: &str, text: &str) -> (Vec<Submission>, Vec<Diag>, SourceMap) {
        let mut sources = SourceMap::new();
        let (subs, diags) = load_bytes(&model(), name, text.as_bytes(), &mut sources);
        (subs, diags, sources)
    }

    #[test]
    fn wide_csv_holds_one_row_per_unit() {
        let text =
            "unit,period,name,name:ru,group:EurAsia_group,q01_release_hours,q04_share,q02_advisory_body,q03_format\n\
                    AM,2023,Armenia,Армения,Asia,10,12.5,yes,council\n\
                    BY, 2023 ,,,Europe,20,,no,\n\
                    ,,,,,,,,\n\
                    KZ,2024,,,,30,0,,\n";
        let (subs, diags, _) = run_all("wide.csv", text);
        assert!(diags.is_empty(), "{diags:#?}");
        assert_eq!(subs.len(), 3);
        let am = &subs[0];
        assert_eq!((am.unit.as_str(), am.period.as_str()), ("AM", "2023"));
        assert_eq!(am.name.get("en").map(String::as_str), Some("Armenia"));
        assert_eq!(am.name.get("ru").map(String::as_str), Some("Армения"));
        assert_eq!(am.groups.get("EurAsia_group").map(String::as_str), Some("Asia"));
        assert_eq!(am.answers.get(0), Some(Answer::Number(10.0)));
        assert_eq!(am.answers.get(1), Some(Answer::Number(1.0)));
        assert_eq!(am.answers.get(2), Some(Answer::Number(0.0)));
        assert_eq!(am.answers.get(3), Some(Answer::Number(12.5)));
        let by = &subs[1];
        assert_eq!((by.unit.as_str(), by.period.as_str()), ("BY", "2023"));
        assert!(by.name.is_empty());
        assert_eq!(by.answers.get(1), Some(Answer::Number(0.0)));
        assert_eq!(by.answers.get(3), None, "an empty cell is not submitted");
        assert!(subs[2].groups.is_empty(), "an empty group cell is no membership");
        assert_eq!(subs[2].answers.get(3), Some(Answer::Number(0.0)));
    }

    #[test]
    fn wide_csv_problems_point_at_the_cell() {
        let text = "unit,period,group:EurAsia_group,q01_release_hours,q04_share\n\
                    AM,2023,Asia,10,101\n\
                    BY,2023,Europe,\"12,5\",3\n\
                    AM,2023,Asia,11,4\n\
                    KZ,2023,Asia,1\n\
                    KG,2023,Asia,,5\n";
        let (subs, diags, sources) = run_all("wide.csv", text);
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [Code::DataRange, Code::DataType, Code::DataDuplicate, Code::DataFormat, Code::DataRequired],
            "{diags:#?}"
        );
        assert_eq!(primary_text(&diags[0], &sources), "101");
        assert_eq!(diags[0].message, "`q04_share` must be in the range 0..=100, found 101");
        assert_eq!(primary_text(&diags[1], &sources), "\"12,5\"");
        assert_eq!(help(&diags[1]), "write the number with a decimal point: 12.5");
        assert_eq!(
            diags[2].message,
            "a second row for unit `AM` and period `2023` (the first is on line 2); this one is not read"
        );
        assert_eq!(primary_text(&diags[2], &sources), "AM");
        assert_eq!(diags[3].message, "line 5 has 4 values, the header has 5");
        assert_eq!(
            diags[4].message,
            "required question `q01_release_hours` is not answered for `KG` 2023; it counts as not submitted"
        );
        assert_eq!(help(&diags[4]), "fill in the `q01_release_hours` cell on line 6 (an empty cell is not submitted)");
        assert_eq!(subs.iter().map(|s| s.unit.as_str()).collect::<Vec<_>>(), ["AM", "BY", "KG"]);
        assert_eq!(subs[0].answers.get(3), Some(Answer::Missing(Reason::Invalid)));
    }

    #[test]
    fn wide_csv_header_problems() {
        let (subs, diags, sources) = run_all(
            "wide.csv",
            "unit,period,q01_release_hour,Q04_SHARE,group:Eur Asia,q05_staff,q05_staff\nAM,2023,1,2,x,3,4\n",
        );
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown column `q01_release_hour`",
                "unknown column `Q04_SHARE`",
                "the group key \"Eur Asia\" is not an id",
                "column `q05_staff` given twice",
                "required question `q01_release_hours` is not answered for `AM` 2023; it counts as not submitted",
            ]
        );
        assert_eq!(help(&diags[0]), "did you mean `q01_release_hours`?");
        assert_eq!(help(&diags[1]), "did you mean `q04_share`? question ids are written exactly, in the same case");
        assert_eq!(primary_text(&diags[3], &sources), "q05_staff");
        assert_eq!(help(&diags[4]), "add a column `q01_release_hours` and fill it in");
        assert_eq!(subs.len(), 1);
        assert_eq!(subs[0].answers.get(4), Some(Answer::Number(3.0)));
        // Without unit or period, or without a question column.
        let (subs, diags, _) = run_all("wide.csv", "unit,q01_release_hours\nAM,1\n");
        assert!(subs.is_empty());
        assert_eq!(only(&diags, Code::DataFormat).message, "the CSV file has no column `period`");
        let (_, diags, _) = run_all("wide.csv", "unit,period,name\nAM,2023,Armenia\n");
        let d = only(&diags, Code::DataFormat);
        assert!(d.message.starts_with("the CSV file has neither a `question` column"), "{}", d.message);
        let (_, diags, _) = run_all("wide.csv", "unit,period,q01_release_hours\n");
        assert_eq!(only(&diags, Code::DataFormat).message, "the CSV file holds no units");
        // A header with `question`, `answer`, `missing` or `comment` is the long form.
        let (_, diags, _) = run_all("long.csv", "unit,period,answer\nAM,2023,1\n");
        assert_eq!(only(&diags, Code::DataFormat).message, "the CSV file has no column `question`");
    }
}
