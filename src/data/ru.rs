//! The words of submission diagnostics for a state's official: each kind of problem
//! (`tamga::data::…`) named in English and Russian, and the Russian phrases the checks of
//! answers use. `validate --lang ru` and every command that loads submissions print them
//! ([`crate::diagnostics::Diag::localized`]).

use crate::i18n::Lang;

/// A kind of problem with submissions, in `lang`; `None` for a code that is not about
/// submissions (rule files, evaluation). Every `tamga::data::…` code and `tamga::io` have both
/// languages (a test walks every code).
pub fn title(code: crate::diagnostics::Code, lang: Lang) -> Option<&'static str> {
    let (en, ru) = match code.as_str() {
        "tamga::io" => ("file cannot be read", "файл не читается"),
        "tamga::data::format" => ("the submission's form", "форма представленных данных"),
        "tamga::data::unknown_question" => ("unknown question", "неизвестный вопрос"),
        "tamga::data::type" => ("wrong kind of answer", "ответ не того вида"),
        "tamga::data::range" => ("answer outside the range", "ответ вне допустимых значений"),
        "tamga::data::choice" => ("not one of the options", "ответ не из списка вариантов"),
        "tamga::data::required" => ("required question not answered", "нет ответа на обязательный вопрос"),
        "tamga::data::duplicate" => ("submitted twice", "данные представлены дважды"),
        "tamga::data::reason" => ("reason for a missing answer", "причина отсутствия ответа"),
        "tamga::data::methodology" => ("questionnaire of another methodology", "анкета другой методики"),
        "tamga::data::require" => ("answers that contradict each other", "противоречащие друг другу ответы"),
        _ => return None,
    };
    Some(lang.tr(en, ru))
}

/// "the number 12.5", "the text \"abc\"" … in Russian, from the English description.
pub(super) fn describe(en: &str) -> String {
    if let Some(n) = en.strip_prefix("the number ") {
        return format!("число {}", crate::i18n::number(Lang::Ru, n));
    }
    if let Some(t) = en.strip_prefix("the text ") {
        return format!("текст {t}");
    }
    if let Some(d) = en.strip_prefix("the date ") {
        return format!("дата {d}");
    }
    if let Some(e) = en.strip_prefix("the spreadsheet error ") {
        return format!("ошибка таблицы {e}");
    }
    match en {
        "null" => "null (пусто)".into(),
        "true" => "true (истина)".into(),
        "false" => "false (ложь)".into(),
        "nan (not a number)" => "nan (не число)".into(),
        "infinity" => "бесконечность".into(),
        "minus infinity" => "минус бесконечность".into(),
        "an empty list" => "пустой список".into(),
        "a list" => "список".into(),
        "a table" | "an object" => "таблица".into(),
        other => other.to_string(),
    }
}

/// The Russian for "write" (a file) or "enter" (a spreadsheet).
pub(super) fn write(xlsx: bool) -> &'static str {
    if xlsx {
        "введите"
    } else {
        "напишите"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn every_code_about_submissions_has_both_languages() {
        let mut n = 0;
        for c in Code::ALL {
            let s = c.as_str();
            if s.starts_with("tamga::data::") || s == "tamga::io" {
                let (en, ru) = (title(*c, Lang::En), title(*c, Lang::Ru));
                assert!(en.is_some() && ru.is_some(), "{s} has no title in both languages");
                assert_ne!(en, ru, "{s}");
                n += 1;
            }
        }
        assert!(n >= 10, "{n} codes");
        assert_eq!(title(Code::Syntax, Lang::Ru), None);
    }

    #[test]
    fn descriptions_in_russian() {
        assert_eq!(describe("the number 12.5"), "число 12,5");
        assert_eq!(describe("the text \"abc\""), "текст \"abc\"");
        assert_eq!(describe("an empty list"), "пустой список");
    }
}
