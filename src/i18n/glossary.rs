//! The glossary: one word per concept in each language, the same in every output (report,
//! `explain`, `diff`, `impact`, `validate`). `docs/glossary.md` is the same table for people;
//! a test reads it and fails when the two disagree.

use super::Lang;

/// A concept's word in English and Russian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The key in `docs/glossary.md`.
    pub key: &'static str,
    /// English.
    pub en: &'static str,
    /// Russian.
    pub ru: &'static str,
}

impl Term {
    /// The word in `lang`.
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ru => self.ru,
        }
    }
}

macro_rules! terms {
    ($($(#[$doc:meta])* $name:ident = $key:literal, $en:literal, $ru:literal;)*) => {
        $( $(#[$doc])* pub const $name: Term = Term { key: $key, en: $en, ru: $ru }; )*
        /// Every term, in the order of `docs/glossary.md`.
        pub const ALL: &[Term] = &[$($name),*];
    };
}

terms! {
    /// The methodology (a set of rule files).
    METHODOLOGY = "methodology", "methodology", "методика";
    /// A member state, the unit of assessment.
    STATE = "state", "state", "государство";
    /// A reporting period.
    PERIOD = "period", "period", "период";
    /// A question of the questionnaire.
    QUESTION = "question", "question", "вопрос";
    /// A state's answers for a period.
    SUBMISSION = "submission", "submission", "представленные данные";
    /// An indicator: a formula over answers.
    INDICATOR = "indicator", "indicator", "показатель";
    /// An indicator's value.
    VALUE = "value", "value", "значение";
    /// A value on the common scale.
    SCORE = "score", "score", "оценка";
    /// A share in an aggregate.
    WEIGHT = "weight", "weight", "вес";
    /// A group of indicators (area of customs regulation).
    AREA = "area", "area", "направление";
    /// The composite index.
    INDEX = "index", "index", "индекс";
    /// The mean over the Union's states.
    UNION_MEAN = "union_mean", "Union mean", "среднее по Союзу";
    /// A standard of the Code.
    STANDARD = "standard", "standard", "стандарт";
    /// A transitional standard.
    TRANSITIONAL_STANDARD = "transitional_standard", "transitional standard", "переходный стандарт";
    /// A recommended practice.
    RECOMMENDED_PRACTICE = "recommended_practice", "recommended practice", "рекомендуемая практика";
    /// A chapter of the Code.
    CHAPTER = "chapter", "chapter", "глава";
    /// The Code of customs standards.
    CODE = "code", "Code of Customs Standards", "Кодекс таможенных стандартов";
    /// What a standard requires.
    REQUIREMENT = "requirement", "requirement", "требование";
    /// A level of attainment of a standard.
    LEVEL = "level", "level", "уровень";
    /// The value from which a standard's attainment is measured (attainment 0 there).
    BASELINE = "baseline", "baseline", "базовое значение";
    /// A standard's verdict: met.
    MET = "met", "met", "выполнен";
    /// A standard's verdict: not met.
    NOT_MET = "not_met", "not met", "не выполнен";
    /// A value that cannot be computed from the data given.
    NOT_ASSESSABLE = "not_assessable", "not assessable", "не оценивается";
    /// A question or standard that does not apply to a state.
    NOT_APPLICABLE = "not_applicable", "not applicable", "неприменимо";
    /// A reason for a missing answer: the figure cannot be disclosed.
    CONFIDENTIAL = "confidential", "confidential", "конфиденциально";
    /// A reason for a missing answer: no data were given.
    NOT_SUBMITTED = "not_submitted", "not submitted", "не представлено";
    /// A missing number in a table.
    NOT_AVAILABLE = "not_available", "n/a", "н/д";
    /// The share of answers or values present.
    COVERAGE = "coverage", "coverage", "полнота данных";
    /// A recommendation to a state.
    RECOMMENDATION = "recommendation", "recommendation", "рекомендация";
    /// A recommendation's condition.
    CONDITION = "condition", "condition", "условие";
    /// A unit of measurement.
    UNIT = "unit", "unit", "единица измерения";
    /// A draft, not approved methodology.
    DRAFT = "draft", "draft", "проект";
    /// An approved methodology.
    APPROVED = "approved", "approved", "утверждено";
    /// The Board of the Commission.
    BOARD = "board", "Board of the Eurasian Economic Commission", "Коллегия Евразийской экономической комиссии";
    /// A decision of the Board.
    DECISION = "decision", "Decision of the EEC Board", "Решение Коллегии ЕЭК";
    /// A version of the methodology.
    VERSION = "version", "version", "версия";
    /// The semantic hash of a methodology.
    FINGERPRINT = "fingerprint", "fingerprint", "отпечаток";
}

/// The term with this key, if any.
pub fn find(key: &str) -> Option<&'static Term> {
    ALL.iter().find(|t| t.key == key)
}
