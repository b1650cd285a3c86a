//! Excel submissions: the questionnaire written by `tamga template --format xlsx`, filled in.
//!
//! The workbook is read with `calamine`. The sheet that holds the keys `unit` and `period` in
//! column A (the first sheet of the template) gives the unit's code, the period and optionally the
//! unit's name from column C. Every other sheet whose column A holds the header `id` is a sheet of
//! questions: each row below the header with a question id in column A gives the answer (column
//! E), the reason why it is missing (column F) and a comment (column G). See
//! [`crate::sheet`] for the layout.
//!
//! Cells are read as their values: numbers as numbers (a text cell holding a plain number such as
//! `12.5` too), yes/no as the words of the template's lists (`yes`/`no`, `да`/`нет`, in any case)
//! or as TRUE/FALSE, a choice as its option's id or label (in any language), a reason as its code
//! or its words (`неприменимо`, `not applicable`). An empty answer with an empty reason is not
//! answered. A workbook has no text to point into, so diagnostics name the file, the sheet and the
//! cell at the start of their message.

use super::validate::{number_kind, text_value, Checker, Loaded, Place};
use super::xlsx_bounds::Scan;
use super::{Answer, Answers, Format, Kind, Submission};
use crate::diagnostics::{Code, Diag};
use crate::model::{Labels, Model, Question, Reason};
use crate::sheet;
use calamine::{Data, Ods, Range, Reader, Xlsx};
use std::collections::HashMap;
use std::io::Cursor;

/// The name of a cell: `E7` for row 6, column 4 (both from 0).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = vec![];
    let mut n = col + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// A date from an Excel serial day number (days since 1899-12-30), as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    // Excel's dates end at 9999-12-31 (serial 2,958,465); a cell formatted as a date may hold any
    // number, which would overflow the arithmetic below: shown as the number it is.
    if !(-693_593.0..=2_958_466.0).contains(&serial) {
        return crate::number::shortest(serial);
    }
    // Days from 1970-01-01; then the civil date (Howard Hinnant's algorithm).
    let z = serial.floor() as i64 - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A cell's value as the checks see it; `None` for an empty cell (or one holding only spaces).
fn cell_kind(cell: Option<&Data>, q: Option<&Question>) -> Option<Kind> {
    let kind = match cell? {
        Data::Empty => return None,
        Data::String(s) if s.trim().is_empty() => return None,
        Data::String(s) => match q {
            Some(q) => text_value(q, s),
            None => Kind::Str(s.trim().to_string()),
        },
        Data::Float(x) => number_kind(*x),
        Data::Int(n) => Kind::Num { value: *n as f64, int: Some(n.to_string()) },
        Data::Bool(b) => Kind::Bool(*b),
        Data::DateTime(d) => Kind::Date(excel_date(d.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Kind::Date(s.clone()),
        Data::Error(e) => Kind::Error(e.to_string()),
    };
    Some(kind)
}

/// A cell's text, trimmed (a number as its shortest text); empty for an empty cell.
fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(x)) => crate::number::shortest(*x),
        Some(Data::Int(n)) => n.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The Excel format a workbook is saved in, as the Russian Excel names it.
const BOOK_RU: &str = "«Книга Excel (.xlsx)»";

struct Reading<'a> {
    c: Checker<'a>,
    display: &'a str,
}

impl Reading<'_> {
    fn at(&self, sheet: &str, row: u32, col: u16) -> Place {
        Place::Named(format!("`{}`, sheet «{sheet}», cell {}", self.display, cell_name(row, u32::from(col))))
    }

    /// An error about the whole workbook: the message and the help in English and Russian.
    fn file_error(&mut self, message: [String; 2], help: [&str; 2]) {
        let [message, message_ru] = message;
        let d = Diag::error(Code::DataFormat, message).help(help[0].to_string()).ru(
            message_ru,
            None,
            Some(help[1].to_string()),
        );
        self.c.diags.push(d);
    }
}

/// Reads a workbook's bytes (an OpenDocument spreadsheet's when `ods`, its parts scanned by
/// [`super::ods_bounds::scan`]). A damaged workbook is an error, never a panic nor an allocation
/// without bound: its parts are scanned first ([`super::xlsx_bounds::scan`]: the unpacked size,
/// cells beyond Excel's last, the used range, shared formulas, reversed ranges), and any other
/// panic inside calamine is caught.
pub(super) fn load(model: &Model, display: &str, bytes: &[u8], sha: String, ods: bool) -> (Vec<Loaded>, Vec<Diag>) {
    let (kind, kind_ru) = if ods {
        ("OpenDocument spreadsheet", "таблица OpenDocument")
    } else {
        ("Excel workbook", "книга Excel")
    };
    let damaged = |what: String, what_ru: String| {
        let (help, help_ru) = if ods {
            (
                "open it in a spreadsheet program and save it again as an ODF Spreadsheet (.ods) or an Excel Workbook (.xlsx)".to_string(),
                format!("откройте её в табличной программе и сохраните заново как «Электронная таблица ODF (.ods)» или {BOOK_RU}"),
            )
        } else {
            (
                "open it in a spreadsheet program and save it again as an Excel Workbook (.xlsx)".to_string(),
                format!("откройте её в табличной программе и сохраните заново как {BOOK_RU}"),
            )
        };
        Diag::error(Code::DataFormat, format!("`{display}` is a damaged {kind}: {what}")).help(help).ru(
            format!("`{display}` — повреждённая {kind_ru}: {what_ru}"),
            None,
            Some(help_ru),
        )
    };
    let scanned = if ods { super::ods_bounds::scan(bytes) } else { super::xlsx_bounds::scan(bytes) };
    let scan = match scanned {
        Ok(scan) => scan,
        Err(r) if r.damaged => return (vec![], vec![damaged(r.what, r.what_ru)]),
        Err(r) => {
            let d = Diag::error(Code::DataFormat, format!("`{display}` is too large for a questionnaire: {}", r.what))
                .help("fill the questionnaire written by `tamga template --format xlsx`, leaving the cells outside its rows empty")
                .ru(
                    format!("`{display}` — слишком {} для анкеты: {}", if ods { "большая таблица" } else { "большая книга" }, r.what_ru),
                    None,
                    Some("заполните анкету, созданную командой `tamga template --format xlsx`, оставив ячейки вне её строк пустыми".into()),
                );
            return (vec![], vec![d]);
        }
    };
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut r = Reading { c: Checker::new(model, Format::Xlsx), display };
        let book = if ods { ods_contents(&mut r, bytes) } else { xlsx_contents(&mut r, bytes) };
        match book {
            Some(book) => read_book(model, r, book, sha, &scan),
            None => (vec![], r.c.diags),
        }
    }));
    read.unwrap_or_else(|_| (vec![], vec![damaged("it cannot be read".to_string(), "её нельзя прочитать".to_string())]))
}

/// What is read of a workbook's sheets (the list sheet left out): per sheet its values, and its
/// formulas and merged cells (neither is in the values read).
struct Book {
    sheets: Vec<(String, Range<Data>)>,
    formulas: HashMap<String, Range<String>>,
    merged: HashMap<String, Vec<calamine::Dimensions>>,
}

/// The sheets of an Excel workbook, or `None` (with an error) when it is not one.
fn xlsx_contents(r: &mut Reading, bytes: &[u8]) -> Option<Book> {
    let display = r.display;
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(mut book) => {
            let mut out = contents(r, &mut book, "Excel Workbook (.xlsx)", BOOK_RU);
            for (name, _) in &out.sheets {
                if let Some(Ok(m)) = book.worksheet_merge_cells(name) {
                    out.merged.insert(name.clone(), m);
                }
            }
            Some(out)
        }
        Err(e) => {
            r.file_error(
                [
                    format!("`{display}` is not an Excel workbook (.xlsx): {e}"),
                    format!("`{display}` — не книга Excel (.xlsx): {e}"),
                ],
                [
                    "save the questionnaire in the «Excel Workbook (.xlsx)» format; `tamga template --format xlsx` writes a blank one",
                    "сохраните анкету в формате «Книга Excel (.xlsx)»; пустую анкету создаёт `tamga template --format xlsx`",
                ],
            );
            None
        }
    }
}

/// The sheets of an OpenDocument spreadsheet (LibreOffice's `.ods`), or `None` (with an error).
fn ods_contents(r: &mut Reading, bytes: &[u8]) -> Option<Book> {
    let display = r.display;
    match Ods::new(Cursor::new(bytes)) {
        Ok(mut book) => Some(contents(r, &mut book, "ODF Spreadsheet (.ods)", "«Электронная таблица ODF (.ods)»")),
        Err(e) => {
            r.file_error(
                [
                    format!("`{display}` is not an OpenDocument spreadsheet (.ods): {e}"),
                    format!("`{display}` — не таблица OpenDocument (.ods): {e}"),
                ],
                [
                    "save the questionnaire in the «ODF Spreadsheet (.ods)» or «Excel Workbook (.xlsx)» format; `tamga template --format xlsx` writes a blank one",
                    "сохраните анкету в формате «Электронная таблица ODF (.ods)» или «Книга Excel (.xlsx)»; пустую анкету создаёт `tamga template --format xlsx`",
                ],
            );
            None
        }
    }
}

/// Reads every sheet but the list sheet, with its formulas; a sheet that cannot be read is an
/// error. `format` names the format to save in, in English and Russian.
fn contents<RS, R>(r: &mut Reading, book: &mut R, format: &str, format_ru: &str) -> Book
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let display = r.display;
    let mut out = Book { sheets: vec![], formulas: HashMap::new(), merged: HashMap::new() };
    for name in book.sheet_names() {
        if name == sheet::LISTS {
            continue;
        }
        if let Ok(f) = book.worksheet_formula(&name) {
            out.formulas.insert(name.clone(), f);
        }
        match book.worksheet_range(&name) {
            Ok(range) => out.sheets.push((name, range)),
            Err(e) => {
                let d = Diag::error(Code::DataFormat, format!("`{display}`: sheet «{name}» cannot be read: {e}"))
                    .help(format!("open the workbook in a spreadsheet program and save it again as an {format}"))
                    .ru(
                        format!("`{display}`: лист «{name}» не читается: {e}"),
                        None,
                        Some(format!("откройте книгу в табличной программе и сохраните её заново как {format_ru}")),
                    );
                r.c.diags.push(d);
            }
        }
    }
    out
}

fn read_book(model: &Model, mut r: Reading, book: Book, sha: String, scan: &Scan) -> (Vec<Loaded>, Vec<Diag>) {
    let display = r.display;
    let Book { sheets, formulas, merged } = book;
    let get = |range: &Range<Data>, row: u32, col: u16| range.get_value((row, u32::from(col))).cloned();
    let rows = |range: &Range<Data>| range.end().map(|(r, _)| r + 1).unwrap_or(0);

    // ── the submission sheet: keys in column A, values in column C ──
    let keys = sheets.iter().position(|(_, range)| {
        (0..rows(range)).any(|row| cell_text(get(range, row, sheet::KEY).as_ref()) == sheet::KEY_UNIT)
    });
    let mut unit = None;
    let mut period = None;
    let mut name = Labels::new();
    match keys {
        None => r.file_error(
            [
                format!("`{display}` has no sheet with the unit's code and the period"),
                format!("в `{display}` нет листа с кодом государства и периодом"),
            ],
            [
                "use the questionnaire written by `tamga template --format xlsx`: its first sheet has the rows `unit` and `period` in column A",
                "используйте анкету, созданную командой `tamga template --format xlsx`: на её первом листе в столбце A есть строки `unit` и `period`",
            ],
        ),
        Some(k) => {
            let (sheet_name, range) = &sheets[k];
            let mut found: HashMap<String, u32> = HashMap::new();
            for row in 0..rows(range) {
                let key = cell_text(get(range, row, sheet::KEY).as_ref());
                if key.is_empty() {
                    continue;
                }
                match found.get(&key) {
                    // a second `unit` or `period` row: which one the person meant cannot be told
                    Some(&first) if key == sheet::KEY_UNIT || key == sheet::KEY_PERIOD => {
                        let d = Diag::error(
                            Code::DataDuplicate,
                            format!(
                                "`{key}` is given twice: in row {} and in row {} (the first is read)",
                                first + 1,
                                row + 1
                            ),
                        )
                        .help("keep one row per key: delete the second row, or start again from `tamga template --format xlsx`")
                        .ru(
                            format!(
                                "`{key}` указан дважды: в строке {} и в строке {} (читается первая)",
                                first + 1,
                                row + 1
                            ),
                            None,
                            Some("оставьте одну строку на ключ: удалите вторую строку или начните заново с анкеты `tamga template --format xlsx`".into()),
                        );
                        let d = r.at(sheet_name, row, sheet::KEY).put(d, "");
                        r.c.diags.push(d);
                    }
                    Some(_) => {}
                    None => {
                        found.insert(key, row);
                    }
                }
            }
            let value = |key: &str| found.get(key).map(|&row| (row, get(range, row, sheet::VALUE)));
            match value(sheet::KEY_UNIT) {
                Some((row, cell)) => {
                    let at = r.at(sheet_name, row, sheet::VALUE);
                    let kind = cell_kind(cell.as_ref(), None).unwrap_or(Kind::Str(String::new()));
                    unit = r.c.unit(&kind, &at).map(|u| (u, at));
                }
                None => unreachable!("the sheet was chosen for its `unit` key"),
            }
            match value(sheet::KEY_PERIOD) {
                Some((row, cell)) => {
                    let kind = cell_kind(cell.as_ref(), None).unwrap_or(Kind::Str(String::new()));
                    period = r.c.period(&kind, &r.at(sheet_name, row, sheet::VALUE));
                }
                None => r.file_error(
                    [
                        format!("`{display}`, sheet «{sheet_name}»: no row `period` in column A"),
                        format!("`{display}`, лист «{sheet_name}»: в столбце A нет строки `period`"),
                    ],
                    [
                        "add a row with `period` in column A and the period (e.g. 2023) in column C, or start again from `tamga template --format xlsx`",
                        "добавьте строку с `period` в столбце A и периодом (например, 2023) в столбце C или начните заново с анкеты `tamga template --format xlsx`",
                    ],
                ),
            }
            let lang = value(sheet::KEY_LANGUAGE).map(|(_, c)| cell_text(c.as_ref())).unwrap_or_default();
            if let Some((_, cell)) = value(sheet::KEY_NAME) {
                let text = cell_text(cell.as_ref());
                if !text.is_empty() {
                    name.insert(if lang.is_empty() { "en".to_string() } else { lang }, text);
                }
            }
            let id = value(sheet::KEY_METHODOLOGY).map(|(_, c)| cell_text(c.as_ref()));
            let version = value(sheet::KEY_VERSION).map(|(_, c)| cell_text(c.as_ref()));
            let h = &model.header;
            if let (Some(id), Some(version)) = (id, version) {
                if id != h.id || version != h.version {
                    let d = Diag::warning(
                        Code::DataMethodology,
                        format!(
                            "`{display}` is the questionnaire of methodology `{id}` {version}, read with `{}` {}",
                            h.id, h.version
                        ),
                    )
                    .help("questions that differ are reported below; to be sure, fill a questionnaire made from this methodology by `tamga template`")
                    .ru(
                        format!("`{display}` — анкета методики `{id}` {version}, прочитана по методике `{}` {}", h.id, h.version),
                        None,
                        Some("различающиеся вопросы указаны ниже; надёжнее заполнить анкету, созданную из этой методики командой `tamga template`".into()),
                    );
                    r.c.diags.push(d);
                }
            }
        }
    }

    // ── the sheets of questions ──
    let mut answers = Answers::unanswered(model.questions.len());
    let mut rows_of: HashMap<usize, (String, u32)> = HashMap::new();
    for (k, (sheet_name, range)) in sheets.iter().enumerate() {
        if Some(k) == keys {
            continue;
        }
        let Some(header) = (0..rows(range))
            .find(|&row| cell_text(get(range, row, sheet::ID).as_ref()).to_lowercase() == sheet::ID_HEADER)
        else {
            if range.used_cells().next().is_some() {
                let d = Diag::warning(
                    Code::DataFormat,
                    format!("`{display}`: sheet «{sheet_name}» holds no questions (no `id` header in column A); it is skipped"),
                )
                .help("answers are read from the sheets of the questionnaire written by `tamga template --format xlsx`")
                .ru(
                    format!("`{display}`: на листе «{sheet_name}» нет вопросов (нет заголовка `id` в столбце A); лист пропущен"),
                    None,
                    Some("ответы читаются с листов анкеты, созданной командой `tamga template --format xlsx`".into()),
                );
                r.c.diags.push(d);
            }
            continue;
        };
        for row in header + 1..rows(range) {
            let id = cell_text(get(range, row, sheet::ID).as_ref());
            let answer_cell = get(range, row, sheet::ANSWER);
            let missing_cell = get(range, row, sheet::MISSING);
            if id.is_empty() {
                if cell_kind(answer_cell.as_ref(), None).is_some() || cell_kind(missing_cell.as_ref(), None).is_some() {
                    let d = Diag::error(Code::DataFormat, "an answer without a question id in column A")
                        .help("answer in the rows of the questions; do not add rows")
                        .ru(
                            "ответ без идентификатора вопроса в столбце A",
                            None,
                            Some("отвечайте в строках вопросов; не добавляйте строки".into()),
                        );
                    let d = r.at(sheet_name, row, sheet::ANSWER).put(d, "");
                    r.c.diags.push(d);
                }
                continue;
            }
            let Some((qi, _, q)) = model.questions.get_full(id.as_str()) else {
                r.c.unknown_question(&id, &r.at(sheet_name, row, sheet::ID));
                continue;
            };
            if let Some((first_sheet, first_row)) = rows_of.get(&qi) {
                let first = r.at(first_sheet, *first_row, sheet::ID);
                r.c.twice(
                    [format!("question `{id}`"), format!("вопрос `{id}`")],
                    &r.at(sheet_name, row, sheet::ID),
                    &id,
                    &first,
                    [
                        "keep one row per question; until then the answer counts as invalid",
                        "оставьте одну строку на вопрос; до тех пор ответ считается недопустимым",
                    ],
                );
                answers.set(qi, Some(Answer::Missing(Reason::Invalid)));
                continue;
            }
            rows_of.insert(qi, (sheet_name.clone(), row));
            for col in [sheet::ANSWER, sheet::MISSING] {
                hidden_cells(&mut r, sheet_name, &formulas, &merged, row, col, get(range, row, col).as_ref());
            }
            let answer_cell = percent_cell(&mut r, scan, sheet_name, row, q, answer_cell);
            let value = cell_kind(answer_cell.as_ref(), Some(q));
            let reason = cell_kind(missing_cell.as_ref(), None);
            let answer = match (value, reason) {
                (None, None) => None,
                (Some(_), Some(_)) => Some(r.c.answer_and_reason(q, &r.at(sheet_name, row, sheet::ANSWER))),
                (None, Some(reason)) => {
                    let at = r.at(sheet_name, row, sheet::MISSING);
                    Some(Answer::Missing(r.c.reason(q, &reason, &at).unwrap_or(Reason::Invalid)))
                }
                (Some(value), None) => Some(r.c.value(q, &value, &r.at(sheet_name, row, sheet::ANSWER))),
            };
            answers.set(qi, answer);
        }
    }
    for (i, q) in model.questions.values().enumerate() {
        if q.required && answers.get(i).is_none() {
            let (at, help) = match rows_of.get(&i) {
                Some((s, row)) => (
                    r.at(s, *row, sheet::ANSWER),
                    format!(
                        "enter the answer in cell {}, or choose why it is missing in cell {}",
                        cell_name(*row, u32::from(sheet::ANSWER)),
                        cell_name(*row, u32::from(sheet::MISSING))
                    ),
                ),
                None => (
                    Place::Named(format!("`{display}`")),
                    "the workbook has no row for it: fill a questionnaire made by `tamga template --format xlsx`"
                        .to_string(),
                ),
            };
            r.c.not_answered(q, &at, None, help);
        }
    }
    let sub = match (unit, period) {
        (Some((unit, unit_at)), Some(period)) => vec![Loaded {
            sub: Submission {
                unit,
                period,
                name,
                groups: Default::default(),
                note: None,
                file: display.to_string(),
                sha256: sha,
                answers,
            },
            unit_at,
        }],
        _ => vec![],
    };
    (sub, r.c.diags)
}

/// An answer cell formatted as a percentage holds a fraction: a person who types `20 %` sees
/// 20 % and Excel stores 0.2. For a percentage question the value shown is read (0.2 → 20,
/// shifted in decimal, so no binary rounding is added); for any other question the value stored.
/// Either way a warning names the cell and says what was read.
fn percent_cell(
    r: &mut Reading,
    scan: &Scan,
    sheet_name: &str,
    row: u32,
    q: &Question,
    cell: Option<Data>,
) -> Option<Data> {
    let formatted = scan.percent.get(sheet_name).is_some_and(|cells| cells.contains(&(row, u32::from(sheet::ANSWER))));
    let x = match cell {
        Some(Data::Float(x)) => x,
        Some(Data::Int(n)) => n as f64,
        other => return other,
    };
    if !formatted || !x.is_finite() {
        return cell;
    }
    let shown = percent_points(x);
    let ru = |x: f64| crate::i18n::number(crate::i18n::Lang::Ru, &crate::number::shortest(x));
    let nbsp = crate::i18n::NBSP;
    let (read, message, message_ru) = if q.ty == crate::model::QuestionType::Percent {
        let n = crate::number::shortest(shown);
        (
            shown,
            format!("the cell is formatted as a percentage: it shows {n} %, read as {n} percentage points"),
            format!(
                "у ячейки процентный формат: в ней видно {}{nbsp}%, читается как {} (в процентных пунктах)",
                ru(shown),
                ru(shown)
            ),
        )
    } else {
        (
            x,
            format!(
                "the cell is formatted as a percentage: it shows {} %, but the question is not a percentage: the value stored, {}, is read",
                crate::number::shortest(shown),
                crate::number::shortest(x)
            ),
            format!(
                "у ячейки процентный формат: в ней видно {}{nbsp}%, но вопрос не о процентах: читается хранимое значение {}",
                ru(shown),
                ru(x)
            ),
        )
    };
    let d = Diag::warning(Code::DataFormat, message)
        .help("format the answer cell as a plain number (Home → Number → General) and type the number itself")
        .ru(
            message_ru,
            None,
            Some("задайте ячейке ответа числовой формат (Главная → Число → Общий) и введите само число".into()),
        );
    let d = r.at(sheet_name, row, sheet::ANSWER).put(d, "");
    r.c.diags.push(d);
    Some(Data::Float(read))
}

/// `x` × 100 shifted in decimal (`0.2` → `20`, not 20.000000000000004).
fn percent_points(x: f64) -> f64 {
    let text = format!("{x:e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    format!("{mantissa}e{}", exp + 2).parse().unwrap_or(x * 100.0)
}

/// What the values of a workbook do not show: an answer computed by a formula (its value as the
/// spreadsheet program last computed it is read), and an answer cell merged into a range that
/// starts elsewhere (its value is in that range's first cell, so the answer reads as empty). Both
/// are warnings, so that nothing is read differently from what the person filling it in sees
/// without saying so.
fn hidden_cells(
    r: &mut Reading,
    sheet_name: &str,
    formulas: &HashMap<String, Range<String>>,
    merged: &HashMap<String, Vec<calamine::Dimensions>>,
    row: u32,
    col: u16,
    cell: Option<&Data>,
) {
    let at = r.at(sheet_name, row, col);
    let formula = formulas.get(sheet_name).and_then(|f| f.get_value((row, u32::from(col)))).filter(|f| !f.is_empty());
    if let Some(f) = formula {
        let value = match cell {
            None | Some(Data::Empty) => "empty".to_string(),
            Some(c) => format!("`{}`", cell_text(Some(c))),
        };
        let d = Diag::warning(
            Code::DataFormat,
            format!("the cell holds the formula `={f}`: its value as last computed by the spreadsheet program ({value}) is read"),
        )
        .help("type the value itself, or open the workbook in a spreadsheet program and save it so the value is computed")
        .ru(
            format!("в ячейке формула `={f}`: читается её значение, последний раз вычисленное табличной программой ({})", value.replace("empty", "пусто")),
            None,
            Some("введите само значение или откройте книгу в табличной программе и сохраните её, чтобы значение было вычислено".into()),
        );
        let d = at.put(d, "");
        r.c.diags.push(d);
    }
    let (row32, col32) = (row, u32::from(col));
    for m in merged.get(sheet_name).map(Vec::as_slice).unwrap_or(&[]) {
        let inside = (m.start.0..=m.end.0).contains(&row32) && (m.start.1..=m.end.1).contains(&col32);
        // the answer's cell merged across the reason and comment: the answer is read, as shown
        let from_answer = m.start == (row32, u32::from(sheet::ANSWER));
        if inside && m.start != (row32, col32) && !from_answer {
            let range = format!("{}:{}", cell_name(m.start.0, m.start.1), cell_name(m.end.0, m.end.1));
            let d = Diag::warning(
                Code::DataFormat,
                format!(
                    "the cell is merged into {range}, whose value belongs to {}: it is read as empty",
                    cell_name(m.start.0, m.start.1)
                ),
            )
            .help("unmerge the cells (Home → Merge & Center → Unmerge Cells) and enter the answer in its own cell")
            .ru(
                format!(
                    "ячейка входит в объединённые ячейки {range}, значение которых принадлежит {}: она читается как пустая",
                    cell_name(m.start.0, m.start.1)
                ),
                None,
                Some("отмените объединение ячеек (Главная → Объединить и поместить в центре → Отменить объединение) и введите ответ в своей ячейке".into()),
            );
            let d = at.put(d, "");
            r.c.diags.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 4), "E7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(25569.0), "1970-01-01");
        assert_eq!(excel_date(45292.0), "2024-01-01");
        assert_eq!(excel_date(45413.5), "2024-05-01");
        assert_eq!(excel_date(2_958_465.0), "9999-12-31");
    }

    #[test]
    fn percent_points_are_shifted_in_decimal() {
        assert_eq!(percent_points(0.2), 20.0);
        assert_eq!(percent_points(0.075), 7.5);
        assert_eq!(percent_points(1.0), 100.0);
        assert_eq!(percent_points(-0.0123), -1.23);
    }

    /// Regression: a date-formatted cell holding 1e300 overflowed the date arithmetic (a panic in
    /// debug builds).
    #[test]
    fn dates_far_outside_excel_s_range_are_shown_as_numbers() {
        assert_eq!(excel_date(1e300), "1e300");
        assert_eq!(excel_date(-1e300), "-1e300");
    }
}
