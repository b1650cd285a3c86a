//! The Excel questionnaire, written with `rust_xlsxwriter`.

use super::{allowed, effective_range, explanation, sections, sheet, Style, Words};
use crate::i18n::Lang;
use crate::model::{Bound, Model, Question, QuestionType, Reason};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

/// The reasons a state may give for a missing answer, as listed (in words of the questionnaire's
/// language) in the reason cells.
const REASONS: [Reason; 3] = [Reason::NotApplicable, Reason::Confidential, Reason::NotSubmitted];

/// The longest list Excel takes inline in a data validation (ids joined by commas).
const MAX_INLINE_LIST: usize = 255;

/// Excel's limits on the input and error messages of a data validation.
const MAX_TITLE: usize = 32;
const MAX_MESSAGE: usize = 255;

/// The widths of the columns of a sheet of questions (A to G), in characters.
const WIDTHS: [f64; 7] = [26.0, 50.0, 40.0, 24.0, 16.0, 20.0, 30.0];
/// The widths of the columns of the first sheet (A to C).
const FIRST_WIDTHS: [f64; 3] = [14.0, 70.0, 30.0];
/// The height of one line of text, in points.
const LINE: f64 = 15.0;

/// The light yellow of the cells to fill in.
const INPUT: u32 = 0xFFF2CC;
/// The grey of the headers.
const HEADER: u32 = 0xD9D9D9;
/// The grey of group headings.
const GROUP: u32 = 0xEDEDED;
/// The grey of ids and keys.
const DIM: u32 = 0x595959;

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    id: Format,
    text: Format,
    group: Format,
    input: Format,
    input_text: Format,
    bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let top = Format::new().set_align(FormatAlign::Top);
        let input = top.clone().set_unlocked().set_background_color(Color::RGB(INPUT)).set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic().set_font_color(Color::RGB(DIM)),
            header: top
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(HEADER))
                .set_border(FormatBorder::Thin),
            id: top.clone().set_font_color(Color::RGB(DIM)),
            text: top.clone().set_text_wrap(),
            group: top.clone().set_bold().set_italic().set_background_color(Color::RGB(GROUP)),
            input_text: input.clone().set_text_wrap(),
            input,
            bold: Format::new().set_bold(),
        }
    }
}

/// `s` cut to `max` characters (with an ellipsis when cut).
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

/// The protection of every sheet: no password; cells can be selected, rows and columns resized.
fn protection() -> ProtectionOptions {
    ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::new() }
}

/// Writes the workbook.
pub(super) fn write(model: &Model, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let w = Words::of(lang);
    let f = Formats::new();
    let h = &model.header;
    let title = lang.pick(&h.title, &h.id).to_string();
    let sections = sections(model, lang);
    let mut book = Workbook::new();
    // A fixed creation date: the same inputs give the same bytes.
    let props = DocProperties::new()
        .set_title(format!("{} — {}", w.questionnaire, title))
        .set_subject(format!("{} {}", h.id, h.version))
        .set_author("tamga")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2024, 1, 1)?);
    book.set_properties(&props);

    book.push_worksheet(first_sheet(model, &w, &f, &title)?);

    // Choice lists too long to write inline go to a hidden sheet, one column per question.
    let mut lists = Worksheet::new();
    lists.set_name(sheet::LISTS)?;
    let mut list_columns = 0u16;
    for s in &sections {
        let mut ws = Worksheet::new();
        ws.set_name(&s.sheet)?;
        ws.write_string_with_format(0, sheet::QUESTION, &s.title, &f.title)?;
        for (col, text) in w.headers.iter().enumerate() {
            ws.write_string_with_format(1, col as u16, *text, &f.header)?;
        }
        for (col, width) in WIDTHS.iter().enumerate() {
            ws.set_column_width(col as u16, *width)?;
        }
        ws.set_row_height(1, row_height(w.headers.iter().copied().zip(WIDTHS)))?;
        ws.set_freeze_panes(2, 0)?;
        ws.set_repeat_rows(0, 1)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        let mut row = 2u32;
        let mut group: Option<&str> = None;
        let first_row = row;
        for q in &s.questions {
            if q.group.as_deref() != group {
                group = q.group.as_deref();
                if let Some(g) = group.and_then(|g| model.groups.get(g)) {
                    let label = lang.pick(&g.labels, &g.id);
                    if label != s.title {
                        for col in 0..=sheet::COMMENT {
                            ws.write_blank(row, col, &f.group)?;
                        }
                        ws.write_string_with_format(row, sheet::QUESTION, label, &f.group)?;
                        row += 1;
                    }
                }
            }
            let allowed_text = allowed(q, &w, Style::Sheet);
            ws.write_string_with_format(row, sheet::ID, &q.id, &f.id)?;
            ws.write_string_with_format(row, sheet::QUESTION, lang.pick(&q.labels, &q.id), &f.text)?;
            ws.write_string_with_format(row, sheet::HELP, explanation(q, lang), &f.text)?;
            ws.write_string_with_format(row, sheet::ALLOWED, &allowed_text, &f.text)?;
            ws.write_blank(row, sheet::ANSWER, &f.input)?;
            ws.write_blank(row, sheet::MISSING, &f.input)?;
            ws.write_blank(row, sheet::COMMENT, &f.input_text)?;
            let (label, help) = (lang.pick(&q.labels, &q.id), explanation(q, lang));
            let texts = [q.id.as_str(), label, help.as_str(), allowed_text.as_str()];
            ws.set_row_height(row, row_height(texts.into_iter().zip(WIDTHS)))?;
            let v = answer_validation(q, &w, &allowed_text, row, &mut lists, &mut list_columns)?;
            ws.add_data_validation(row, sheet::ANSWER, row, sheet::ANSWER, &v)?;
            row += 1;
        }
        let reason_words: Vec<&str> = REASONS.iter().filter_map(|r| crate::i18n::submitted_reason(lang, *r)).collect();
        let reasons = DataValidation::new()
            .allow_list_strings(&reason_words)?
            .set_input_title(cut(w.headers[sheet::MISSING as usize], MAX_TITLE))?
            .set_input_message(cut(w.reason_hint, MAX_MESSAGE))?;
        ws.add_data_validation(
            first_row,
            sheet::MISSING,
            row.saturating_sub(1).max(first_row),
            sheet::MISSING,
            &reasons,
        )?;
        ws.protect_with_options(&protection());
        book.push_worksheet(ws);
    }
    if list_columns > 0 {
        lists.set_hidden(true);
        lists.protect_with_options(&protection());
        book.push_worksheet(lists);
    }
    book.save_to_buffer()
}

/// The first sheet: keys in column A, their labels in B, values in C; then the instructions.
fn first_sheet(model: &Model, w: &Words, f: &Formats, title: &str) -> Result<Worksheet, XlsxError> {
    let h = &model.header;
    let mut ws = Worksheet::new();
    ws.set_name(w.submission)?;
    for (col, width) in FIRST_WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    ws.write_string_with_format(0, sheet::LABEL, title, &f.title)?;
    ws.write_string_with_format(1, sheet::LABEL, format!("{} · {} {}", w.questionnaire, h.id, h.version), &f.subtitle)?;
    let fixed = [
        (3, sheet::KEY_METHODOLOGY, w.methodology, h.id.as_str()),
        (4, sheet::KEY_VERSION, w.version, h.version.as_str()),
        (5, sheet::KEY_LANGUAGE, w.language, w.lang.code()),
    ];
    for (row, key, label, value) in fixed {
        ws.write_string_with_format(row, sheet::KEY, key, &f.id)?;
        ws.write_string_with_format(row, sheet::LABEL, label, &f.text)?;
        ws.write_string_with_format(row, sheet::VALUE, value, &f.text)?;
    }
    let inputs = [
        (6, sheet::KEY_UNIT, w.unit, w.unit_hint),
        (7, sheet::KEY_PERIOD, w.period, w.period_hint),
        (8, sheet::KEY_NAME, w.name, w.name_hint),
    ];
    for (row, key, label, hint) in inputs {
        ws.write_string_with_format(row, sheet::KEY, key, &f.id)?;
        ws.write_string_with_format(row, sheet::LABEL, label, &f.bold)?;
        ws.write_blank(row, sheet::VALUE, &f.input)?;
        let v = DataValidation::new();
        // the declared units as a list to choose from; a state not listed may still be typed
        // (the list only warns): `units` orders the outputs, it need not name every state
        let units = &model.header.units;
        let listed = key == sheet::KEY_UNIT
            && !units.is_empty()
            && units.iter().map(|u| u.chars().count() + 1).sum::<usize>() <= MAX_INLINE_LIST
            && !units.iter().any(|u| u.contains(',') || u.contains('"'));
        let v = if listed {
            let codes: Vec<&str> = units.iter().map(String::as_str).collect();
            v.allow_list_strings(&codes)?.set_error_style(DataValidationErrorStyle::Warning)
        } else {
            v.allow_any_value()
        };
        let v = v
            .set_input_title(cut(label.split(" (").next().unwrap_or(label), MAX_TITLE))?
            .set_input_message(cut(hint, MAX_MESSAGE))?;
        ws.add_data_validation(row, sheet::VALUE, row, sheet::VALUE, &v)?;
    }
    ws.write_string_with_format(10, sheet::LABEL, w.instructions_title, &f.bold)?;
    for (i, line) in w.instructions.iter().enumerate() {
        let row = 11 + i as u32;
        ws.write_string_with_format(row, sheet::LABEL, *line, &f.text)?;
        ws.set_row_height(row, row_height([(*line, FIRST_WIDTHS[1])]))?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.protect_with_options(&protection());
    ws.set_active(true);
    Ok(ws)
}

/// The data validation of an answer cell.
fn answer_validation(
    q: &Question,
    w: &Words,
    allowed_text: &str,
    row: u32,
    lists: &mut Worksheet,
    list_columns: &mut u16,
) -> Result<DataValidation, XlsxError> {
    let v = DataValidation::new();
    let v = match &q.ty {
        QuestionType::YesNo => v.allow_list_strings(&[w.yes, w.no])?,
        QuestionType::Choice(options) => {
            let ids = super::choice_words(options, w.lang);
            let inline = ids.iter().map(|i| i.chars().count() + 1).sum::<usize>() <= MAX_INLINE_LIST
                && !ids.iter().any(|i| i.contains(',') || i.contains('"'));
            if inline {
                v.allow_list_strings(&ids)?
            } else {
                let col = *list_columns;
                *list_columns += 1;
                for (r, id) in ids.iter().enumerate() {
                    lists.write_string(r as u32, col, *id)?;
                }
                let letters = crate::data::cell_name(0, u32::from(col));
                let letters = letters.trim_end_matches('1');
                let range = format!("='{}'!${letters}$1:${letters}${}", sheet::LISTS, ids.len().max(1));
                v.allow_list_formula(Formula::new(range))
            }
        }
        QuestionType::Count => {
            let r = effective_range(q);
            let lo = r.lo.map(|b| whole(b, true)).unwrap_or(i32::MIN);
            match r.hi {
                Some(b) => v.allow_whole_number(DataValidationRule::Between(lo, whole(b, false))),
                None => v.allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(lo)),
            }
        }
        _ => {
            let r = effective_range(q);
            let rule = match (r.lo, r.hi) {
                (Some(lo), Some(hi)) => Some(DataValidationRule::Between(lo.value, hi.value)),
                (Some(lo), None) if lo.inclusive => Some(DataValidationRule::GreaterThanOrEqualTo(lo.value)),
                (Some(lo), None) => Some(DataValidationRule::GreaterThan(lo.value)),
                (None, Some(hi)) if hi.inclusive => Some(DataValidationRule::LessThanOrEqualTo(hi.value)),
                (None, Some(hi)) => Some(DataValidationRule::LessThan(hi.value)),
                (None, None) => None,
            };
            match rule {
                Some(rule) => v.allow_decimal_number(rule),
                // no bound: any number, said as such (a spreadsheet shows a decimal rule's bounds,
                // and ±1e300 read as nonsense in its dialog)
                None => v.allow_custom(Formula::new(format!(
                    "=ISNUMBER({})",
                    crate::data::cell_name(row, u32::from(sheet::ANSWER))
                ))),
            }
        }
    };
    let error = match w.lang {
        Lang::En => format!(
            "Allowed: {allowed_text}. If there is no answer, leave the cell empty and choose the reason in column F."
        ),
        Lang::Ru => format!(
            "Допустимо: {allowed_text}. Если ответа нет, оставьте ячейку пустой и выберите причину в столбце F."
        ),
    };
    v.set_input_title(cut(w.headers[sheet::ANSWER as usize], MAX_TITLE))?
        .set_input_message(cut(allowed_text, MAX_MESSAGE))?
        .set_error_title(cut(w.not_allowed, MAX_TITLE))?
        .set_error_message(cut(&error, MAX_MESSAGE))
}

/// A bound of a count as a whole number: the smallest (`lower`) or largest whole number inside it,
/// within Excel's limits.
fn whole(b: Bound, lower: bool) -> i32 {
    let x = match (lower, b.inclusive) {
        (true, true) => b.value.ceil(),
        (true, false) => b.value.floor() + 1.0,
        (false, true) => b.value.floor(),
        (false, false) => b.value.ceil() - 1.0,
    };
    x.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
}

/// The height of a row whose cells wrap these texts in columns of these widths: spreadsheet
/// programs do not grow rows to fit wrapped text written by a library, so the height is set from
/// an estimate (a column `width` characters wide holds about as many characters per line).
fn row_height<'t>(cells: impl IntoIterator<Item = (&'t str, f64)>) -> f64 {
    let lines = cells
        .into_iter()
        .map(|(text, width)| {
            let per_line = (width.floor() as usize).max(1);
            text.split('\n').map(|p| p.chars().count().div_ceil(per_line).max(1)).sum::<usize>()
        })
        .max()
        .unwrap_or(1);
    LINE * lines as f64 + 2.0
}
