//! The text forms of the questionnaire: CSV, JSON and Markdown.

use super::{allowed, explanation, sections, Style, Words};
use crate::i18n::Lang;
use crate::model::Model;

/// The CSV questionnaire: the long format with one row per question, `unit`, `period`, `answer`,
/// `missing` and `comment` empty, then the question's label and allowed answers (ignored when
/// read). It starts with a byte-order mark, so that Excel opens it as UTF-8.
pub(super) fn csv(model: &Model, lang: Lang) -> Result<Vec<u8>, String> {
    let w = Words::of(lang);
    let mut out = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(&mut out);
        let mut header: Vec<&str> = crate::data::CSV_COLUMNS.to_vec();
        header.extend(["label", "allowed"]);
        writer.write_record(&header).map_err(|e| e.to_string())?;
        for s in sections(model, lang) {
            for q in s.questions {
                let label = lang.pick(&q.labels, &q.id);
                writer
                    .write_record(["", "", &q.id, "", "", "", label, &allowed(q, &w, Style::Sheet)])
                    .map_err(|e| e.to_string())?;
            }
        }
        writer.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The JSON questionnaire: a submission whose every answer is `{ "missing": "not_submitted" }`
/// with the question and its allowed answers as the comment, to be replaced by the answers;
/// `unit` and `period` are empty.
pub(super) fn json(model: &Model, lang: Lang) -> String {
    let w = Words::of(lang);
    let h = &model.header;
    let mut answers = serde_json::Map::new();
    for s in sections(model, lang) {
        for q in s.questions {
            let comment = format!("{} — {}", lang.pick(&q.labels, &q.id), allowed(q, &w, Style::Json));
            answers.insert(q.id.clone(), serde_json::json!({ "missing": "not_submitted", "comment": comment }));
        }
    }
    let note = match lang {
        Lang::En => format!(
            "Questionnaire of methodology {} {}: write the unit's code and the period, and replace each {{ \"missing\": \"not_submitted\" }} by the answer (a number, true or false, or an option in quotes), or give the reason why it is missing: not_applicable, confidential or not_submitted.",
            h.id, h.version
        ),
        Lang::Ru => format!(
            "Анкета методики {} {}: укажите код государства и период и замените каждое {{ \"missing\": \"not_submitted\" }} ответом (числом, true или false, вариантом в кавычках) либо укажите причину отсутствия ответа: not_applicable, confidential или not_submitted.",
            h.id, h.version
        ),
    };
    let doc = serde_json::json!({
        "unit": "",
        "period": "",
        "note": note,
        "answers": answers,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// A cell of a Markdown table: pipes escaped, line breaks as `<br>`.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace("\r\n", "\n").replace('\n', "<br>")
}

/// The Markdown questionnaire: per area, a table of the questions.
pub(super) fn markdown(model: &Model, lang: Lang) -> String {
    let w = Words::of(lang);
    let h = &model.header;
    let title = lang.pick(&h.title, &h.id);
    let mut out = format!("# {title}\n\n");
    let intro = match lang {
        Lang::En => format!(
            "{} of methodology `{}`, version {}. Yes/no questions are answered {} or {}; a question with options by one of the options listed (or its code); numbers within the range shown. An answer that cannot be given is left empty with its reason: not applicable, confidential or not submitted.\n\n",
            w.questionnaire, h.id, h.version, w.yes, w.no
        ),
        Lang::Ru => format!(
            "{} методики `{}`, версия {}. На вопросы «да/нет» отвечают «{}» или «{}»; на вопросы с вариантами — одним из перечисленных вариантов (или его кодом); числа — в указанных пределах. Если ответ дать нельзя, он остаётся пустым с указанием причины: «неприменимо», «конфиденциально» или «не представлено».\n\n",
            w.questionnaire, h.id, h.version, w.yes, w.no
        ),
    };
    out.push_str(&intro);
    out.push_str(&format!("{}: ____________\n\n{}: ____________\n\n", w.unit, w.period));
    let header = format!(
        "| {} | {} | {} | {} |\n| --- | --- | --- | --- |\n",
        w.headers[0], w.headers[1], w.headers[2], w.headers[3]
    );
    for (n, s) in sections(model, lang).into_iter().enumerate() {
        out.push_str(&format!("## {}. {}\n\n", n + 1, s.title));
        let mut group: Option<&str> = None;
        let mut open = false;
        for q in &s.questions {
            if q.group.as_deref() != group {
                group = q.group.as_deref();
                if open {
                    out.push('\n');
                    open = false;
                }
                if let Some(g) = group.and_then(|g| model.groups.get(g)) {
                    let label = lang.pick(&g.labels, &g.id);
                    if label != s.title {
                        out.push_str(&format!("### {label}\n\n"));
                    }
                }
            }
            if !open {
                out.push_str(&header);
                open = true;
            }
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                q.id,
                cell(lang.pick(&q.labels, &q.id)),
                cell(&explanation(q, lang)),
                cell(&allowed(q, &w, Style::Sheet))
            ));
        }
        out.push('\n');
    }
    out
}
