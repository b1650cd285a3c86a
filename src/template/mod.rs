//! Blank questionnaires: what a state's customs service fills in, written from the methodology.
//!
//! [`render`] writes one of four forms of the same questionnaire, in English or Russian:
//!
//! - **xlsx**, the one that is really used: a first sheet for the unit's code (a list of the
//!   methodology's `units` when declared), the period and the instructions, then one sheet per top-level area with the questions its indicators use
//!   (questions no area uses go on a last sheet). Only the answer, reason and comment cells can be
//!   edited (the sheets are protected without a password, against accidental edits); answers have
//!   data validation (yes/no and choice lists, whole or decimal numbers within the question's
//!   range, any number (`ISNUMBER`) when it has none) and the reason cells a list of the reasons a state may give. See [`sheet`] for the
//!   layout that `tamga eval` and `tamga validate` read back.
//! - **csv**: the long format of CSV submissions, one row per question with the answer empty.
//! - **json**: a submission with every question declared `not_submitted`, to be replaced by the
//!   answers.
//! - **md**: a readable questionnaire (for a Board paper): per area, a table of the questions.
//!
//! Output is deterministic: the same methodology and options give the same bytes (the workbook's
//! creation date is fixed at 2024-01-01).

mod text;
mod xlsx;

use crate::i18n::Lang;
use crate::model::{Model, NumRange, Question, QuestionType, Slot, Step};
use std::collections::{BTreeSet, HashMap};

/// The layout of the Excel questionnaire: it lives in [`crate::sheet`], shared by this writer and
/// the reader (`data::xlsx`); re-exported for callers that named it `template::sheet` before.
pub use crate::sheet;

/// The forms a questionnaire can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook.
    Xlsx,
    /// CSV in the long format.
    Csv,
    /// A JSON submission skeleton.
    Json,
    /// Markdown.
    Md,
}

impl Format {
    /// The format a file name's extension stands for.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" => Some(Format::Md),
            _ => None,
        }
    }
}

/// Writes the blank questionnaire of `model` in `format` and `lang`.
pub fn render(model: &Model, format: Format, lang: Lang) -> Result<Vec<u8>, String> {
    match format {
        Format::Xlsx => xlsx::write(model, lang).map_err(|e| e.to_string()),
        Format::Csv => text::csv(model, lang),
        Format::Json => Ok(text::json(model, lang).into_bytes()),
        Format::Md => Ok(text::markdown(model, lang).into_bytes()),
    }
}

/// The questions of one area (one sheet of the workbook, one section of the document).
#[derive(Debug, Clone)]
pub struct Section<'m> {
    /// The top-level area's id; `None` for the questions no area uses.
    pub area: Option<&'m str>,
    /// The area's label in the language asked for.
    pub title: String,
    /// The sheet's name: the title made a valid, unique Excel sheet name.
    pub sheet: String,
    /// The questions, in declaration order.
    pub questions: Vec<&'m Question>,
}

/// The sections of the questionnaire: one per top-level area that uses questions, in declaration
/// order, then one for the questions no area uses (if any). A question belongs to the first
/// top-level area whose indicators use it, directly or through other indicators and intermediate
/// values. The first sheet's name is reserved, so no section takes it.
pub fn sections(model: &Model, lang: Lang) -> Vec<Section<'_>> {
    let words = Words::of(lang);
    let uses = question_uses(model);
    let mut taken: Vec<Option<usize>> = vec![None; model.questions.len()];
    let tops: Vec<_> = model.areas.values().filter(|a| a.depth == 1).collect();
    for (t, area) in tops.iter().enumerate() {
        if let Some(qs) = uses.get(&area.slot) {
            for &q in qs {
                if taken[q].is_none() {
                    taken[q] = Some(t);
                }
            }
        }
    }
    let mut names: Vec<String> = vec![words.submission.to_string(), sheet::LISTS.to_string()];
    let mut out = vec![];
    let questions: Vec<&Question> = model.questions.values().collect();
    for t in (0..tops.len()).map(Some).chain([None]) {
        let qs: Vec<&Question> =
            questions.iter().enumerate().filter(|(i, _)| taken[*i] == t).map(|(_, q)| *q).collect();
        if qs.is_empty() {
            continue;
        }
        let (area, title) = match t {
            Some(t) => (Some(tops[t].id.as_str()), lang.pick(&tops[t].labels, &tops[t].id).to_string()),
            None => (None, words.other.to_string()),
        };
        let sheet = sheet_name(&title, &names);
        names.push(sheet.clone());
        out.push(Section { area, title, sheet, questions: qs });
    }
    out
}

/// For every slot computed by the plan, the indices (in [`Model::questions`]) of the questions its
/// value depends on.
fn question_uses(model: &Model) -> HashMap<Slot, BTreeSet<usize>> {
    let slot_question: HashMap<Slot, usize> = model.questions.values().enumerate().map(|(i, q)| (q.slot, i)).collect();
    let mut uses: HashMap<Slot, BTreeSet<usize>> = HashMap::new();
    let mut deps = vec![];
    for step in &model.plan {
        deps.clear();
        let slot = match step {
            Step::Input { slot, question } => {
                uses.entry(*slot).or_default().insert(*question);
                continue;
            }
            Step::Formula { slot, ir } => {
                ir.slots_into(&mut deps);
                *slot
            }
            Step::Column { slot, src, .. } | Step::Treat { slot, src, .. } => {
                deps.push(*src);
                *slot
            }
            Step::Impute { slot, src, indicator, .. } => {
                deps.push(*src);
                if let crate::model::Imputation::Formula { ir, .. } = &model.indicators[*indicator].impute {
                    ir.slots_into(&mut deps);
                }
                *slot
            }
            Step::Score { slot, indicator, .. } => {
                if let Some((_, ind)) = model.indicators.get_index(*indicator) {
                    deps.push(ind.value);
                    if let Some(crate::model::ScoreRule::Formula { ir, .. }) = &ind.score {
                        ir.slots_into(&mut deps);
                    }
                }
                *slot
            }
            Step::Aggregate { slot, children, .. } => {
                deps.extend(children.iter().map(|(s, _)| *s));
                *slot
            }
        };
        let mut set = uses.remove(&slot).unwrap_or_default();
        for d in &deps {
            if let Some(&q) = slot_question.get(d) {
                set.insert(q);
            }
            if let Some(qs) = uses.get(d) {
                set.extend(qs.iter().copied());
            }
        }
        uses.insert(slot, set);
    }
    uses
}

/// A valid Excel sheet name from a title: at most 31 characters, none of `[]:*?/\`, not
/// beginning or ending with an apostrophe, not `History`, and different (ignoring case) from
/// every name in `taken`.
pub fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = clean.trim_matches('\'').trim().to_string();
    let base = if clean.is_empty() || clean.eq_ignore_ascii_case("history") { "Sheet".to_string() } else { clean };
    let fit = |s: &str, max: usize| -> String { fit_words(s, max) };
    let free = |name: &str| !taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    let first = fit(&base, 31);
    if free(&first) {
        return first;
    }
    for n in 2.. {
        let suffix = format!(" ({n})");
        let name = format!("{}{suffix}", fit(&base, 31 - suffix.chars().count()));
        if free(&name) {
            return name;
        }
    }
    unreachable!("some suffix is free")
}

/// `s` cut to at most `max` characters at a word boundary: a word cut in two is left out, and so
/// are the short words (`и`, `of`, `and`) and punctuation that would end the name. A first word
/// longer than `max` is cut where it must be.
fn fit_words(s: &str, max: usize) -> String {
    let tidy = |t: &str| t.trim_end().trim_end_matches('\'').to_string();
    if s.chars().count() <= max {
        return tidy(s);
    }
    let cut: String = s.chars().take(max).collect();
    let next = s.chars().nth(max);
    let mut words: Vec<&str> = cut.split(' ').collect();
    if next.is_some_and(|c| c != ' ') && words.len() > 1 {
        words.pop();
    }
    const DANGLING: [&str; 12] = ["and", "or", "of", "the", "for", "to", "in", "with", "для", "при", "или", "на"];
    while words.len() > 1 {
        let last = words[words.len() - 1].trim_end_matches([',', ';', '-', '–', '—', '.', '(']);
        if last.is_empty() || last.chars().count() <= 2 || DANGLING.contains(&last.to_lowercase().as_str()) {
            words.pop();
        } else {
            break;
        }
    }
    let joined = words.join(" ");
    tidy(joined.trim_end_matches([',', ';', '-', '–', '—', ' ', '(']))
}

/// The texts of the questionnaire in one language.
pub(crate) struct Words {
    pub lang: Lang,
    pub submission: &'static str,
    pub other: &'static str,
    pub questionnaire: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub optional: &'static str,
    pub unit_of_measure: &'static str,
    pub headers: [&'static str; 7],
    pub methodology: &'static str,
    pub version: &'static str,
    pub language: &'static str,
    pub unit: &'static str,
    pub period: &'static str,
    pub name: &'static str,
    pub unit_hint: &'static str,
    pub period_hint: &'static str,
    pub name_hint: &'static str,
    pub reason_hint: &'static str,
    pub not_allowed: &'static str,
    pub instructions_title: &'static str,
    pub instructions: &'static [&'static str],
}

const EN_INSTRUCTIONS: &[&str] = &[
    "1. Enter the state's code and the period in the yellow cells above.",
    "2. Each of the following sheets holds the questions of one area of the assessment. Enter each answer in column E (Answer) of the question's row. Only the yellow cells can be edited.",
    "3. Yes/no questions: choose yes or no from the cell's list. Questions with options: choose the option from the list; column C explains the options.",
    "4. Numbers: enter a number (not a text), within the range shown in column D. Percentages are entered as numbers from 0 to 100.",
    "5. If an answer cannot be given, leave column E empty and choose the reason in column F: not applicable (the question does not apply), confidential (the figure cannot be disclosed), not submitted (no data).",
    "6. Column G is for comments; they are kept with the answers and do not change the results.",
    "7. Do not change the codes in column A, the sheets' names or the order of the rows. The sheets are protected without a password, only against accidental edits.",
    "8. Check the filled questionnaire with: tamga validate <methodology> <this file>.",
];

const RU_INSTRUCTIONS: &[&str] = &[
    "1. Укажите код государства и период в жёлтых ячейках выше.",
    "2. На каждом из следующих листов — вопросы одного направления оценки. Ответ вносится в столбец E («Ответ») строки вопроса. Изменять можно только жёлтые ячейки.",
    "3. Вопросы «да/нет»: выберите «да» или «нет» из списка ячейки. Вопросы с вариантами: выберите вариант из списка; варианты пояснены в столбце C.",
    "4. Числа: вводите число (не текст) в пределах, указанных в столбце D. Проценты вводятся числом от 0 до 100.",
    "5. Если ответ дать нельзя, оставьте столбец E пустым и выберите причину в столбце F: «неприменимо» (вопрос неприменим), «конфиденциально» (сведения конфиденциальны), «не представлено» (данных нет).",
    "6. Столбец G — для комментариев; они сохраняются вместе с ответами и не влияют на результаты.",
    "7. Не изменяйте коды в столбце A, названия листов и порядок строк. Листы защищены без пароля — только от случайных изменений.",
    "8. Проверить заполненную анкету: tamga validate <методика> <этот файл>.",
];

impl Words {
    pub(crate) fn of(lang: Lang) -> Words {
        match lang {
            Lang::En => Words {
                lang,
                submission: "Submission",
                other: "Other questions",
                questionnaire: "Questionnaire",
                yes: crate::data::YES_WORDS[0],
                no: crate::data::NO_WORDS[0],
                optional: "optional",
                unit_of_measure: "unit",
                headers: [
                    sheet::ID_HEADER,
                    "Question",
                    "Explanation",
                    "Allowed answers",
                    "Answer",
                    "If no answer: reason",
                    "Comment",
                ],
                methodology: "Methodology",
                version: "Version",
                language: "Language of the questionnaire",
                unit: "Code of the state (e.g. AM, BY, KZ, KG, RU)",
                period: "Period the data refer to (e.g. 2023)",
                name: "Name of the state (optional)",
                unit_hint: "The state's code, without spaces: AM, BY, KZ, KG or RU.",
                period_hint: "The period (year) the data refer to, e.g. 2023.",
                name_hint: "The state's name (optional).",
                reason_hint: "Only if the answer is empty: not applicable (does not apply), confidential (cannot be disclosed), not submitted (no data).",
                not_allowed: "Not an allowed answer",
                instructions_title: "How to fill in the questionnaire",
                instructions: EN_INSTRUCTIONS,
            },
            Lang::Ru => Words {
                lang,
                submission: "Анкета",
                other: "Прочие вопросы",
                questionnaire: "Анкета",
                yes: crate::data::YES_WORDS[1],
                no: crate::data::NO_WORDS[1],
                optional: "необязательный",
                unit_of_measure: "единица",
                headers: [
                    sheet::ID_HEADER,
                    "Вопрос",
                    "Пояснение",
                    "Допустимые ответы",
                    "Ответ",
                    "Причина отсутствия ответа",
                    "Комментарий",
                ],
                methodology: "Методика",
                version: "Версия",
                language: "Язык анкеты",
                unit: "Код государства (например, AM, BY, KZ, KG, RU)",
                period: "Период, к которому относятся данные (например, 2023)",
                name: "Наименование государства (необязательно)",
                unit_hint: "Код государства без пробелов: AM, BY, KZ, KG или RU.",
                period_hint: "Период (год), к которому относятся данные, например 2023.",
                name_hint: "Наименование государства (необязательно).",
                reason_hint: "Только если ответа нет: неприменимо, конфиденциально, не представлено (данных нет).",
                not_allowed: "Недопустимый ответ",
                instructions_title: "Порядок заполнения анкеты",
                instructions: RU_INSTRUCTIONS,
            },
        }
    }
}

/// The lower bound a question's answers have in effect: its range's, or 0 for counts, hours and
/// money (which cannot be negative).
pub(crate) fn effective_range(q: &Question) -> NumRange {
    let mut r = q.range;
    let non_negative = matches!(q.ty, QuestionType::Count | QuestionType::Hours | QuestionType::Money);
    if non_negative && !matches!(r.lo, Some(b) if b.value >= 0.0) {
        r.lo = Some(crate::model::Bound { value: 0.0, inclusive: true });
    }
    r
}

/// The words a spreadsheet's list offers for a question's options: each option's label in `lang`,
/// or every option's id when two options share a label there (a label must name one option) or
/// one has none. Reading accepts ids and labels in any language
/// ([`crate::data`]'s choice answers).
pub(crate) fn choice_words(options: &[crate::model::ChoiceOption], lang: Lang) -> Vec<&str> {
    let labels: Vec<Option<&str>> = options.iter().map(|o| o.labels.get(lang.code()).map(String::as_str)).collect();
    let mut seen: Vec<&str> = vec![];
    for l in labels.iter().flatten() {
        if seen.iter().any(|s| s.trim().to_lowercase() == l.trim().to_lowercase()) || l.trim().is_empty() {
            return options.iter().map(|o| o.id.as_str()).collect();
        }
        seen.push(l);
    }
    if labels.iter().any(Option::is_none) {
        return options.iter().map(|o| o.id.as_str()).collect();
    }
    seen
}

/// A range in words: "from 0 to 100", "≥ 0", "> 0 and ≤ 5"; empty for no bounds.
pub(crate) fn range_text(r: &NumRange, lang: Lang) -> String {
    let (from, to, and) = match lang {
        Lang::En => ("from", "to", "and"),
        Lang::Ru => ("от", "до", "и"),
    };
    let shortest = |x: f64| crate::i18n::shortest(lang, x);
    match (r.lo, r.hi) {
        (Some(lo), Some(hi)) if lo.inclusive && hi.inclusive => {
            format!("{from} {} {to} {}", shortest(lo.value), shortest(hi.value))
        }
        (lo, hi) => {
            let lo = lo.map(|b| format!("{} {}", if b.inclusive { "≥" } else { ">" }, shortest(b.value)));
            let hi = hi.map(|b| format!("{} {}", if b.inclusive { "≤" } else { "<" }, shortest(b.value)));
            lo.into_iter().chain(hi).collect::<Vec<_>>().join(&format!(" {and} "))
        }
    }
}

/// How the yes/no and choice answers are written in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// A spreadsheet, CSV or document: yes/no in words, options by their labels (by their ids
    /// when the labels cannot tell them apart).
    Sheet,
    /// JSON: `true`/`false`, options in quotes.
    Json,
}

/// The allowed answers of a question: "yes / no", "hours, from 0 to 8760", "one of: a, b".
pub(crate) fn allowed(q: &Question, w: &Words, style: Style) -> String {
    let en = w.lang == Lang::En;
    let kind = match &q.ty {
        QuestionType::YesNo => match style {
            Style::Sheet => format!("{} / {}", w.yes, w.no),
            Style::Json => "true / false".to_string(),
        },
        QuestionType::Choice(options) => {
            let ids: Vec<String> = match style {
                Style::Json => options.iter().map(|o| format!("\"{}\"", o.id)).collect(),
                Style::Sheet => choice_words(options, w.lang).into_iter().map(str::to_string).collect(),
            };
            format!("{}: {}", if en { "one of" } else { "одно из" }, ids.join(", "))
        }
        QuestionType::Number => (if en { "number" } else { "число" }).to_string(),
        QuestionType::Count => (if en { "whole number" } else { "целое число" }).to_string(),
        QuestionType::Percent => (if en { "percent" } else { "процент" }).to_string(),
        QuestionType::Hours => (if en { "hours" } else { "часы" }).to_string(),
        QuestionType::Money => (if en { "amount of money" } else { "денежная сумма" }).to_string(),
    };
    let mut parts = vec![kind];
    if !matches!(q.ty, QuestionType::YesNo | QuestionType::Choice(_)) {
        let range = range_text(&effective_range(q), w.lang);
        if !range.is_empty() {
            parts.push(range);
        }
        let restated = matches!(
            (&q.ty, q.unit.as_str()),
            (QuestionType::Hours, "h") | (QuestionType::Count, "count") | (QuestionType::Percent, "%")
        );
        if !q.unit.is_empty() && !restated {
            parts.push(format!("{}: {}", w.unit_of_measure, crate::i18n::unit_label(w.lang, &q.unit, &q.unit_labels)));
        }
    }
    if !q.required {
        parts.push(w.optional.to_string());
    }
    parts.join("; ")
}

/// The explanation of a question: its help text, then its options with their labels.
pub(crate) fn explanation(q: &Question, lang: Lang) -> String {
    let mut lines = vec![];
    let help = lang.pick(&q.help, "");
    if !help.is_empty() {
        lines.push(help.to_string());
    }
    if let QuestionType::Choice(options) = &q.ty {
        for o in options {
            lines.push(format!("{} — {}", o.id, lang.pick(&o.labels, &o.id)));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Submission".to_string()];
        assert_eq!(sheet_name("Trade facilitation", &taken), "Trade facilitation");
        assert_eq!(sheet_name("submission", &taken), "submission (2)");
        assert_eq!(sheet_name("a/b: [c]?", &taken), "a b c");
        assert_eq!(sheet_name("'quoted'", &taken), "quoted");
        assert_eq!(sheet_name("", &taken), "Sheet");
        assert_eq!(sheet_name("History", &taken), "Sheet");
        let long = "Благоприятные условия и взаимодействие с бизнесом";
        // cut at a word, without a dangling conjunction
        let name = sheet_name(long, &taken);
        assert_eq!(name, "Благоприятные условия");
        let again = sheet_name(long, std::slice::from_ref(&name));
        assert_eq!(again, "Благоприятные условия (2)");
        assert_eq!(sheet_name("Transparency, predictability and appeals", &taken), "Transparency, predictability");
        // a word longer than the limit is cut where it must be
        let one = "Внешнеэкономическойдеятельностиучастники";
        assert_eq!(sheet_name(one, &taken).chars().count(), 31);
        assert_eq!(sheet_name("Exactly thirty-one characters!!", &taken), "Exactly thirty-one characters!!");
    }

    #[test]
    fn ranges_in_words() {
        use crate::model::Bound;
        let b = |value, inclusive| Some(Bound { value, inclusive });
        assert_eq!(range_text(&NumRange { lo: b(0.0, true), hi: b(100.0, true) }, Lang::En), "from 0 to 100");
        assert_eq!(range_text(&NumRange { lo: b(0.0, true), hi: b(8760.0, true) }, Lang::Ru), "от 0 до 8760");
        assert_eq!(range_text(&NumRange { lo: b(1.0, true), hi: None }, Lang::En), "≥ 1");
        assert_eq!(range_text(&NumRange { lo: b(0.0, false), hi: b(5.5, true) }, Lang::En), "> 0 and ≤ 5.5");
        assert_eq!(range_text(&NumRange::default(), Lang::En), "");
    }
}
