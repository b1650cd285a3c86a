//! The base of every output a person reads: languages ([`Lang`]), numbers in the language's
//! notation ([`number`], [`with_unit`]), Russian plurals ([`count`]), dates ([`date`]) and the
//! glossary ([`glossary`]) whose terms every output uses, so that the report, `explain`, `diff`
//! and `impact` say the same thing with the same word.
//!
//! Nothing here computes a value: a number arrives already rounded to its display precision
//! (as text, from [`crate::number::fixed`] or [`crate::number::shortest`]) and leaves in the
//! reader's notation.

pub mod glossary;

/// Languages an output can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// The language code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language of a code (`en`, `ru`); `None` for a language tamga has no words for.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// Picks a label in this language, falling back to English, then to any.
    pub fn pick<'a>(self, labels: &'a crate::model::Labels, fallback: &'a str) -> &'a str {
        labels
            .get(self.code())
            .or_else(|| labels.get("en"))
            .or_else(|| labels.values().next())
            .map(String::as_str)
            .unwrap_or(fallback)
    }

    /// The English or the Russian text, by this language.
    pub fn tr(self, en: &'static str, ru: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

/// "Not available": `n/a`, `н/д`.
pub fn na(lang: Lang) -> &'static str {
    glossary::NOT_AVAILABLE.get(lang)
}

/// The no-break space between a number and its unit (`24 ч`, `75 %`).
pub const NBSP: char = '\u{a0}';

/// The thin no-break space that groups thousands in Russian (`12 345,6`).
pub const THIN_NBSP: char = '\u{202f}';

/// A number already rounded and written in the program's notation (`-12345.6`, `1e-8`) in the
/// language's: a true minus sign in both; in Russian a decimal comma and, from five integer
/// digits on, thousands grouped by a thin no-break space (`−12 345,6`; `1200` stays whole, as
/// Russian office convention keeps four-digit numbers together outside tables). Text that is not
/// a number passes through with only its minus signs changed.
pub fn number(lang: Lang, display: &str) -> String {
    let s = display.replace('-', "−");
    match lang {
        Lang::En => s,
        Lang::Ru => {
            let (sign, rest) = match s.strip_prefix('−') {
                Some(r) => ("−", r),
                None => ("", s.as_str()),
            };
            let (int, frac) = match rest.split_once('.') {
                Some((i, f)) => (i, Some(f)),
                None => (rest, None),
            };
            let grouped = if int.len() >= 5 && int.bytes().all(|b| b.is_ascii_digit()) {
                let mut g = String::new();
                for (k, c) in int.chars().enumerate() {
                    if k > 0 && (int.len() - k) % 3 == 0 {
                        g.push(THIN_NBSP);
                    }
                    g.push(c);
                }
                g
            } else {
                int.to_string()
            };
            match frac {
                Some(f) => format!("{sign}{grouped},{f}"),
                None => format!("{sign}{grouped}"),
            }
        }
    }
}

/// `x` rounded to `digits` decimals in the language's notation (`7,0`), or `н/д` for `None`.
pub fn fixed(lang: Lang, x: Option<f64>, digits: u32, mode: crate::number::Rounding) -> String {
    match x {
        Some(x) if x.is_finite() => number(lang, &crate::number::fixed(x, digits, mode)),
        _ => na(lang).to_string(),
    }
}

/// The shortest text of `x` that reads back as the same value, in the language's notation.
pub fn shortest(lang: Lang, x: f64) -> String {
    if x.is_finite() {
        number(lang, &crate::number::shortest(x))
    } else {
        na(lang).to_string()
    }
}

/// A number (already in the language's notation) with its unit label: a no-break space between
/// them (`24 ч`, `75 %`; English writes `75%` closed up), nothing when the unit is empty.
pub fn with_unit(lang: Lang, number: &str, unit: &str) -> String {
    if unit.is_empty() {
        number.to_string()
    } else if unit == "%" && lang == Lang::En {
        format!("{number}%")
    } else {
        format!("{number}{NBSP}{unit}")
    }
}

/// The label of a unit in `lang`: the declared one (`unit en "h" ru "ч"`), else the label a
/// question type implies (hours `h` → `ч`, a count → none, a percentage `%`), else the unit as
/// written (`unit "USD million"` is the author's text in every language).
pub fn unit_label(lang: Lang, unit: &str, labels: &crate::model::Labels) -> String {
    if let Some(l) = labels.get(lang.code()) {
        return l.clone();
    }
    match (lang, unit) {
        (_, "count") => String::new(),
        (Lang::Ru, "h" | "hours") => "ч".into(),
        (Lang::Ru, "min" | "minutes") => "мин".into(),
        (Lang::Ru, "days") => "дн.".into(),
        _ => unit.to_string(),
    }
}

/// The words of a reason a state gives for a missing answer (the questionnaire's list):
/// `неприменимо`, `конфиденциально`, `не представлено`; `None` for a reason only the evaluation
/// gives.
pub fn submitted_reason(lang: Lang, r: crate::model::Reason) -> Option<&'static str> {
    use crate::model::Reason;
    let t = match r {
        Reason::NotApplicable => glossary::NOT_APPLICABLE,
        Reason::Confidential => glossary::CONFIDENTIAL,
        Reason::NotSubmitted => glossary::NOT_SUBMITTED,
        _ => return None,
    };
    Some(t.get(lang))
}

/// A noun's forms for counting: English singular and plural; Russian for 1 (21, 31…), for 2–4
/// (22–24…, and fractions) and for 5–20 (and 0, 25–30…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noun {
    /// English: one.
    pub en_one: &'static str,
    /// English: other.
    pub en_other: &'static str,
    /// Russian: 1, 21, 101 (знак).
    pub ru_one: &'static str,
    /// Russian: 2–4, 22–24, and any fraction (знака).
    pub ru_few: &'static str,
    /// Russian: 0, 5–20, 25–30 (знаков).
    pub ru_many: &'static str,
}

/// Which Russian form a number takes: 0 one, 1 few, 2 many. A fraction takes the genitive
/// singular (`1,5 знака`), as Russian grammar says.
pub fn ru_form(n: f64) -> usize {
    if n.fract() != 0.0 {
        return 1;
    }
    let n = n.abs();
    let n100 = (n % 100.0) as u32;
    let n10 = n100 % 10;
    if (11..=14).contains(&n100) {
        2
    } else if n10 == 1 {
        0
    } else if (2..=4).contains(&n10) {
        1
    } else {
        2
    }
}

impl Noun {
    /// The form of this noun that goes with `n`.
    pub fn form(&self, lang: Lang, n: f64) -> &'static str {
        match lang {
            Lang::En if n == 1.0 => self.en_one,
            Lang::En => self.en_other,
            Lang::Ru => [self.ru_one, self.ru_few, self.ru_many][ru_form(n)],
        }
    }
}

/// `n` and the noun in the right form: `1 знак`, `2 знака`, `5 знаков`, `1,5 знака`, `21 знак`.
pub fn count(lang: Lang, n: f64, noun: &Noun) -> String {
    format!("{}{NBSP}{}", shortest(lang, n), noun.form(lang, n))
}

/// An ISO date (`2025-06-01`) in the language's notation: `01.06.2025` in Russian, unchanged in
/// English (ISO is unambiguous there). Text that is not an ISO date passes through.
pub fn date(lang: Lang, iso: &str) -> String {
    let b = iso.as_bytes();
    let is_iso = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit());
    match lang {
        Lang::Ru if is_iso => format!("{}.{}.{}", &iso[8..10], &iso[5..7], &iso[0..4]),
        _ => iso.to_string(),
    }
}

/// Nouns counted in outputs.
pub mod nouns {
    use super::Noun;

    /// A decimal digit (знак после запятой).
    pub const DIGIT: Noun =
        Noun {
            en_one: "decimal", en_other: "decimals", ru_one: "знак", ru_few: "знака", ru_many: "знаков"
        };
    /// A state (a unit of assessment).
    pub const STATE: Noun = Noun {
        en_one: "state",
        en_other: "states",
        ru_one: "государство",
        ru_few: "государства",
        ru_many: "государств",
    };
    /// A value.
    pub const VALUE: Noun =
        Noun {
            en_one: "value", en_other: "values", ru_one: "значение", ru_few: "значения", ru_many: "значений"
        };
    /// An answer.
    pub const ANSWER: Noun =
        Noun {
            en_one: "answer", en_other: "answers", ru_one: "ответ", ru_few: "ответа", ru_many: "ответов"
        };
    /// An hour.
    pub const HOUR: Noun =
        Noun { en_one: "hour", en_other: "hours", ru_one: "час", ru_few: "часа", ru_many: "часов" };
    /// A standard.
    pub const STANDARD: Noun = Noun {
        en_one: "standard",
        en_other: "standards",
        ru_one: "стандарт",
        ru_few: "стандарта",
        ru_many: "стандартов",
    };
    /// A point of a score.
    pub const POINT: Noun =
        Noun { en_one: "point", en_other: "points", ru_one: "балл", ru_few: "балла", ru_many: "баллов" };
    /// A warning.
    pub const WARNING: Noun = Noun {
        en_one: "warning",
        en_other: "warnings",
        ru_one: "предупреждение",
        ru_few: "предупреждения",
        ru_many: "предупреждений",
    };
    /// A required answer, in the genitive after «нет» (нет 1 обязательного ответа, 2 обязательных
    /// ответов): the form a count of missing answers takes.
    pub const REQUIRED_ANSWER_GENITIVE: Noun = Noun {
        en_one: "required answer",
        en_other: "required answers",
        ru_one: "обязательного ответа",
        ru_few: "обязательных ответов",
        ru_many: "обязательных ответов",
    };
    /// A file.
    pub const FILE: Noun =
        Noun { en_one: "file", en_other: "files", ru_one: "файл", ru_few: "файла", ru_many: "файлов" };
    /// An error.
    pub const ERROR: Noun =
        Noun {
            en_one: "error", en_other: "errors", ru_one: "ошибка", ru_few: "ошибки", ru_many: "ошибок"
        };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Rounding::HalfAwayFromZero;

    #[test]
    fn numbers_in_russian_notation() {
        let cases: &[(&str, &str, &str)] = &[
            ("decimal comma", "9.5", "9,5"),
            ("four digits stay whole", "1200", "1200"),
            ("five digits are grouped", "12345.6", "12\u{202f}345,6"),
            ("millions", "1234567", "1\u{202f}234\u{202f}567"),
            ("a true minus", "-2.5", "−2,5"),
            ("negative, grouped", "-12345", "−12\u{202f}345"),
            ("zero", "0", "0"),
            ("not a number passes", "n/a", "n/a"),
        ];
        for (name, input, want) in cases {
            assert_eq!(number(Lang::Ru, input), *want, "{name}");
        }
        assert_eq!(number(Lang::En, "-12345.6"), "−12345.6");
        assert_eq!(fixed(Lang::Ru, Some(9.0), 1, HalfAwayFromZero), "9,0");
        assert_eq!(fixed(Lang::Ru, None, 1, HalfAwayFromZero), "н/д");
        assert_eq!(fixed(Lang::En, Some(f64::NAN), 1, HalfAwayFromZero), "n/a");
        assert_eq!(shortest(Lang::Ru, 0.25), "0,25");
    }

    #[test]
    fn units_have_labels() {
        let mut declared = crate::model::Labels::new();
        declared.insert("en".into(), "USD m".into());
        declared.insert("ru".into(), "млн долл. США".into());
        assert_eq!(unit_label(Lang::Ru, "USD m", &declared), "млн долл. США");
        assert_eq!(unit_label(Lang::En, "USD m", &declared), "USD m");
        let none = crate::model::Labels::new();
        assert_eq!(unit_label(Lang::Ru, "h", &none), "ч");
        assert_eq!(unit_label(Lang::En, "h", &none), "h");
        assert_eq!(unit_label(Lang::Ru, "count", &none), "");
        assert_eq!(unit_label(Lang::Ru, "%", &none), "%");
        assert_eq!(unit_label(Lang::Ru, "l", &none), "l");
    }

    #[test]
    fn units_follow_a_no_break_space() {
        assert_eq!(with_unit(Lang::Ru, "24", "ч"), "24\u{a0}ч");
        assert_eq!(with_unit(Lang::Ru, "75", "%"), "75\u{a0}%");
        assert_eq!(with_unit(Lang::En, "75", "%"), "75%");
        assert_eq!(with_unit(Lang::En, "24", "h"), "24\u{a0}h");
        assert_eq!(with_unit(Lang::Ru, "3", ""), "3");
    }

    #[test]
    fn russian_plurals() {
        let d = &nouns::DIGIT;
        let cases: &[(f64, &str)] = &[
            (0.0, "0\u{a0}знаков"),
            (1.0, "1\u{a0}знак"),
            (2.0, "2\u{a0}знака"),
            (4.0, "4\u{a0}знака"),
            (5.0, "5\u{a0}знаков"),
            (11.0, "11\u{a0}знаков"),
            (12.0, "12\u{a0}знаков"),
            (14.0, "14\u{a0}знаков"),
            (21.0, "21\u{a0}знак"),
            (22.0, "22\u{a0}знака"),
            (25.0, "25\u{a0}знаков"),
            (111.0, "111\u{a0}знаков"),
            (101.0, "101\u{a0}знак"),
            (1.5, "1,5\u{a0}знака"),
        ];
        for (n, want) in cases {
            assert_eq!(count(Lang::Ru, *n, d), *want, "{n}");
        }
        assert_eq!(count(Lang::En, 1.0, d), "1\u{a0}decimal");
        assert_eq!(count(Lang::En, 2.0, d), "2\u{a0}decimals");
    }

    #[test]
    fn dates_in_russian_notation() {
        assert_eq!(date(Lang::Ru, "2025-06-01"), "01.06.2025");
        assert_eq!(date(Lang::En, "2025-06-01"), "2025-06-01");
        assert_eq!(date(Lang::Ru, "2025"), "2025");
        assert_eq!(date(Lang::Ru, "2025-6-1x"), "2025-6-1x");
    }
}
