//! The fixed text of the reports, in English and Russian: headings, legends, verdicts, reasons.
//! Labels of questions, indicators, areas, standards and recommendations come from the
//! methodology ([`Lang::pick`](crate::i18n::Lang::pick)).

use crate::i18n::glossary;
use crate::i18n::Lang;
use crate::model::Reason;

/// Every fixed text of a report in one language.
#[derive(Debug)]
pub struct Texts {
    /// The language code, for `<html lang>`.
    pub code: &'static str,
    /// The report's kind, above the methodology's title.
    pub report: &'static str,
    /// "Contents".
    pub contents: &'static str,
    /// "Period".
    pub period: &'static str,
    /// "Periods".
    pub periods: &'static str,
    /// Heading of one period's results.
    pub results: &'static str,
    /// Heading of the matrix.
    pub matrix: &'static str,
    /// Note under the matrix.
    pub matrix_note: &'static str,
    /// Legend of the `*` mark: a score computed over fewer children than declared.
    pub reweighted: &'static str,
    /// Heading of the weights not declared one by one (`weights …`, `aggregate bod`).
    pub derived_weights: &'static str,
    /// "of" in "3 of 4".
    pub of: &'static str,
    /// "of the weight" after a percentage.
    pub of_weight: &'static str,
    /// "Colour scale".
    pub colour_scale: &'static str,
    /// Row of union means.
    pub union_mean: &'static str,
    /// Short form for charts.
    pub mean_short: &'static str,
    /// Row of best values.
    pub best: &'static str,
    /// Heading of the charts.
    pub charts: &'static str,
    /// Charts per area.
    pub by_area: &'static str,
    /// Charts per state.
    pub by_state: &'static str,
    /// Note under the charts.
    pub charts_note: &'static str,
    /// Heading of the Code.
    pub standards: &'static str,
    /// Note under the standards table.
    pub standards_note: &'static str,
    /// "Standard".
    pub standard: &'static str,
    /// "Requirement".
    pub requirement: &'static str,
    /// Column of union counts.
    pub union_count: &'static str,
    /// "met".
    pub met: &'static str,
    /// "not met".
    pub not_met: &'static str,
    /// "not assessable".
    pub not_assessable: &'static str,
    /// "level".
    pub level: &'static str,
    /// "attainment".
    pub attainment: &'static str,
    /// "target".
    pub target: &'static str,
    /// Heading of chapter and Code scores.
    pub chapter_scores: &'static str,
    /// "Chapter".
    pub chapter: &'static str,
    /// The whole Code's row.
    pub code_score: &'static str,
    /// Kinds of standards.
    pub kind_standard: &'static str,
    /// Transitional standard.
    pub kind_transitional: &'static str,
    /// Recommended practice.
    pub kind_recommended: &'static str,
    /// Heading of the recommendations.
    pub recommendations: &'static str,
    /// "Condition".
    pub condition: &'static str,
    /// When no recommendation applies to a state.
    pub no_recommendations: &'static str,
    /// Heading of the full-depth matrix of indicators.
    pub indicators_by_state: &'static str,
    /// What its cells say.
    pub indicators_note: &'static str,
    /// Heading of the state × element matrices.
    pub elements_by_state: &'static str,
    /// What their cells say.
    pub elements_note: &'static str,
    /// A recommendation whose condition cannot be assessed.
    pub rec_not_assessable: &'static str,
    /// "applies to".
    pub applies_to: &'static str,
    /// Heading of the change over time.
    pub change: &'static str,
    /// Note under it.
    pub change_note: &'static str,
    /// Heading of data quality.
    pub quality: &'static str,
    /// Missing answers.
    pub missing_answers: &'static str,
    /// Values that cannot be assessed.
    pub not_assessable_nodes: &'static str,
    /// Answers that violate a consistency rule.
    pub rules_violated: &'static str,
    /// "Rule".
    pub rule: &'static str,
    /// "Answers".
    pub answers: &'static str,
    /// A violated rule of severity error: what follows.
    pub rule_error: &'static str,
    /// A violated rule of severity warning: what follows.
    pub rule_warning: &'static str,
    /// Evaluation warnings.
    pub warnings: &'static str,
    /// "None."
    pub none: &'static str,
    /// "Question".
    pub question: &'static str,
    /// "What".
    pub what: &'static str,
    /// "Reason".
    pub reason: &'static str,
    /// "Where".
    pub place: &'static str,
    /// "Message".
    pub message: &'static str,
    /// Node kinds.
    pub node_index: &'static str,
    /// An area.
    pub node_area: &'static str,
    /// An indicator's value.
    pub node_value: &'static str,
    /// An indicator's score.
    pub node_score: &'static str,
    /// A standard.
    pub node_standard: &'static str,
    /// A chapter.
    pub node_chapter: &'static str,
    /// The Code.
    pub node_code: &'static str,
    /// A recommendation.
    pub node_recommendation: &'static str,
    /// "all states".
    pub all_units: &'static str,
    /// Heading of provenance.
    pub provenance: &'static str,
    /// Note on provenance.
    pub provenance_note: &'static str,
    /// "Methodology".
    pub methodology: &'static str,
    /// "version".
    pub version: &'static str,
    /// "fingerprint".
    pub fingerprint: &'static str,
    /// Rule files.
    pub rule_files: &'static str,
    /// Submissions.
    pub submissions: &'static str,
    /// "File".
    pub file: &'static str,
    /// "tamga version".
    pub tamga: &'static str,
    /// Shown for a missing value.
    pub na: &'static str,
    /// "Code" (a state's code).
    pub unit_code: &'static str,
    /// The unit word when the methodology has none.
    pub unit_fallback: &'static str,
    /// "Scale".
    pub scale: &'static str,
    /// "Index".
    pub index: &'static str,
    /// Heading of the states' list.
    pub states: &'static str,
    /// Note when a chart is in the HTML only (Markdown).
    pub charts_in_html: &'static str,
    /// Opening and closing quotation marks.
    pub quotes: (&'static str, &'static str),
    /// Row of standards met per state.
    pub standards_met: &'static str,
}

const EN: Texts = Texts {
    code: "en",
    report: "Assessment report",
    contents: "Contents",
    period: "Period",
    periods: "Periods",
    results: "Results",
    matrix: "Scores by state and area",
    matrix_note: "Each cell shows the score; its colour repeats it on five classes of equal width. \
                  The union mean and the best score are over the states with a score.",
    derived_weights: "Weights not declared one by one (from comparisons, a budget, or this period's data)",
    reweighted: "* computed over the parts present only, the others missing and re-weighted away (as the \
                 methodology's missing-data policy declares): parts counted of those declared, and their share \
                 of the weight",
    of: "of",
    of_weight: "of the weight",
    colour_scale: "Colour scale",
    union_mean: "Union mean",
    mean_short: "union mean",
    best: "Best",
    charts: "Charts",
    by_area: "States by area",
    by_state: "Profile of each state",
    charts_note: "The dashed line and the ticks mark the union mean.",
    standards: "Code of Customs Standards",
    standards_note: "✓ met, ✗ not met, ? not assessable; with the level attained and the value against the target.",
    standard: "Standard",
    requirement: "Requirement",
    union_count: "Union: met / not met / n.a.",
    met: glossary::MET.en,
    not_met: glossary::NOT_MET.en,
    not_assessable: glossary::NOT_ASSESSABLE.en,
    level: glossary::LEVEL.en,
    attainment: "attainment",
    target: "target",
    chapter_scores: "Chapter and Code scores",
    chapter: "Chapter",
    code_score: glossary::CODE.en,
    kind_standard: glossary::STANDARD.en,
    kind_transitional: glossary::TRANSITIONAL_STANDARD.en,
    kind_recommended: glossary::RECOMMENDED_PRACTICE.en,
    recommendations: "Recommendations for aligning practice",
    condition: "Condition",
    no_recommendations: "No recommendation applies.",
    indicators_by_state: "Indicators by state",
    indicators_note:
        "Each indicator's value and its score (value → score); n/a — not available, * — scored over the parts present.",
    elements_by_state: "Elements by state",
    elements_note: "Who has which element: ✓ present, ✗ absent, ? not answered, — not applicable.",
    rec_not_assessable: "cannot be assessed",
    applies_to: "applies to",
    change: "Change over time",
    change_note: "Δ is the later score minus the earlier one, computed from unrounded scores, so it may \
                  differ by one in the last digit from the difference of the published scores.",
    quality: "Data quality",
    missing_answers: "Missing answers",
    not_assessable_nodes: "Values that cannot be assessed",
    rules_violated: "Answers that violate consistency rules",
    rule: "Rule",
    answers: "Answers",
    rule_error: "error: these answers are not used, what is computed from them is not assessable",
    rule_warning: "warning: the answers are used as given",
    warnings: "Evaluation warnings",
    none: "None.",
    question: "Question",
    what: "What",
    reason: "Reason",
    place: "Where",
    message: "Message",
    node_index: glossary::INDEX.en,
    node_area: glossary::AREA.en,
    node_value: glossary::INDICATOR.en,
    node_score: "score of",
    node_standard: glossary::STANDARD.en,
    node_chapter: glossary::CHAPTER.en,
    node_code: "Code",
    node_recommendation: glossary::RECOMMENDATION.en,
    all_units: "all states",
    provenance: "Provenance",
    provenance_note:
        "Identical inputs give identical reports: the report holds no date, and every input is named with its SHA-256.",
    methodology: "Methodology",
    version: glossary::VERSION.en,
    fingerprint: glossary::FINGERPRINT.en,
    rule_files: "Rule files",
    submissions: "Submissions",
    file: "File",
    tamga: "tamga",
    na: glossary::NOT_AVAILABLE.en,
    unit_code: "Code",
    unit_fallback: "state",
    scale: "Scale",
    index: "Index",
    states: "States",
    charts_in_html: "Charts are in report.html.",
    quotes: ("“", "”"),
    standards_met: "Standards met",
};

const RU: Texts = Texts {
    code: "ru",
    report: "Отчёт об оценке",
    contents: "Содержание",
    period: "Период",
    periods: "Периоды",
    results: "Результаты",
    matrix: "Оценки по государствам и направлениям",
    matrix_note: "В каждой ячейке — оценка; цвет повторяет её по пяти классам равной ширины. \
                  Среднее по Союзу и лучшая оценка — по государствам, имеющим оценку.",
    derived_weights: "Веса, не заданные поэлементно (по сравнениям, распределению бюджета или данным этого периода)",
    reweighted: "* рассчитано только по имеющимся составляющим, отсутствующие исключены с перевзвешиванием \
                 (как предусматривает правило методики для отсутствующих данных): учтено составляющих из \
                 предусмотренных и их доля в весе",
    of: "из",
    of_weight: "веса",
    colour_scale: "Цветовая шкала",
    union_mean: "Среднее по Союзу",
    mean_short: glossary::UNION_MEAN.ru,
    best: "Лучшая оценка",
    charts: "Диаграммы",
    by_area: "Государства по направлениям",
    by_state: "Профиль каждого государства",
    charts_note: "Пунктирная линия и засечки отмечают среднее по Союзу.",
    standards: "Кодекс таможенных стандартов",
    standards_note: "✓ выполнен, ✗ не выполнен, ? не оценивается; с достигнутым уровнем и значением в сравнении с целевым.",
    standard: "Стандарт",
    requirement: "Требование",
    union_count: "Союз: выполн. / не выполн. / н. о.",
    met: glossary::MET.ru,
    not_met: glossary::NOT_MET.ru,
    not_assessable: glossary::NOT_ASSESSABLE.ru,
    level: glossary::LEVEL.ru,
    attainment: "достижение",
    target: "цель",
    chapter_scores: "Оценки по главам и Кодексу",
    chapter: "Глава",
    code_score: glossary::CODE.ru,
    kind_standard: glossary::STANDARD.ru,
    kind_transitional: glossary::TRANSITIONAL_STANDARD.ru,
    kind_recommended: glossary::RECOMMENDED_PRACTICE.ru,
    recommendations: "Рекомендации по сближению практики",
    condition: "Условие",
    no_recommendations: "Рекомендаций нет.",
    indicators_by_state: "Показатели по государствам",
    indicators_note: "Значение показателя и его оценка (значение → оценка); н/д — нет данных, * — оценка по имеющимся составляющим.",
    elements_by_state: "Элементы по государствам",
    elements_note: "Кто какими элементами располагает: ✓ есть, ✗ нет, ? нет ответа, — не применимо.",
    rec_not_assessable: "не может быть оценена",
    applies_to: "относится к",
    change: "Изменения во времени",
    change_note: "Δ — поздняя оценка минус ранняя, по неокруглённым оценкам, поэтому может отличаться \
                  на единицу последнего знака от разности опубликованных оценок.",
    quality: "Качество данных",
    missing_answers: "Отсутствующие ответы",
    not_assessable_nodes: "Значения, которые не могут быть оценены",
    rules_violated: "Ответы, нарушающие правила согласованности",
    rule: "Правило",
    answers: "Ответы",
    rule_error: "ошибка: эти ответы не используются, рассчитанное на их основе не оценивается",
    rule_warning: "предупреждение: ответы используются в представленном виде",
    warnings: "Предупреждения при расчёте",
    none: "Нет.",
    question: "Вопрос",
    what: "Что",
    reason: "Причина",
    place: "Где",
    message: "Сообщение",
    node_index: glossary::INDEX.ru,
    node_area: glossary::AREA.ru,
    node_value: glossary::INDICATOR.ru,
    node_score: "оценка показателя",
    node_standard: glossary::STANDARD.ru,
    node_chapter: glossary::CHAPTER.ru,
    node_code: "Кодекс",
    node_recommendation: glossary::RECOMMENDATION.ru,
    all_units: "все государства",
    provenance: "Происхождение",
    provenance_note: "Одинаковые исходные данные дают одинаковые отчёты: в отчёте нет даты, а каждый исходный файл указан с его SHA-256.",
    methodology: "Методика",
    version: glossary::VERSION.ru,
    fingerprint: glossary::FINGERPRINT.ru,
    rule_files: "Файлы правил",
    submissions: "Представленные данные",
    file: "Файл",
    tamga: "tamga",
    na: glossary::NOT_AVAILABLE.ru,
    unit_code: "Код",
    unit_fallback: "государство",
    scale: "Шкала",
    index: "Индекс",
    states: "Государства",
    charts_in_html: "Диаграммы — в report.html.",
    quotes: ("«", "»"),
    standards_met: "Выполнено стандартов",
};

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// A missing value's reason, in words.
pub fn reason(lang: Lang, r: Reason) -> &'static str {
    let ru = lang == Lang::Ru;
    match r {
        Reason::NotSubmitted => {
            if ru {
                "не представлено"
            } else {
                "not submitted"
            }
        }
        Reason::NotApplicable => {
            if ru {
                "не применимо"
            } else {
                "not applicable"
            }
        }
        Reason::Confidential => {
            if ru {
                "конфиденциально"
            } else {
                "confidential"
            }
        }
        Reason::Invalid => {
            if ru {
                "некорректный ответ"
            } else {
                "invalid answer"
            }
        }
        Reason::DivisionByZero => {
            if ru {
                "деление на ноль"
            } else {
                "division by zero"
            }
        }
        Reason::Domain => {
            if ru {
                "вне области определения"
            } else {
                "outside the domain"
            }
        }
        Reason::InsufficientData => {
            if ru {
                "недостаточно данных"
            } else {
                "insufficient data"
            }
        }
        Reason::NotAssessable => {
            if ru {
                "не оценивается"
            } else {
                "not assessable"
            }
        }
    }
}

/// A level's name in words: the usual names are translated, others are shown as written.
pub fn level(lang: Lang, name: &str) -> String {
    let ru = lang == Lang::Ru;
    match name {
        "none" => if ru { "нет" } else { "none" }.into(),
        "basic" if ru => "базовый".into(),
        "advanced" if ru => "продвинутый".into(),
        "leading" if ru => "лидирующий".into(),
        other => other.replace('_', " "),
    }
}

/// What an evaluation warning concerns (`indicator x`, `score(x)`), in the language.
pub fn target(lang: Lang, target: &str) -> String {
    if lang == Lang::En {
        return target.to_string();
    }
    let words = [
        ("indicator ", "показатель "),
        ("question ", "вопрос "),
        ("area ", "направление "),
        ("standard ", "стандарт "),
        ("chapter ", "глава "),
        ("recommendation ", "рекомендация "),
        ("the Code", "Кодекс"),
        ("the methodology", "методика"),
    ];
    for (en, ru) in words {
        if let Some(rest) = target.strip_prefix(en) {
            return format!("{ru}{rest}");
        }
    }
    target.to_string()
}

/// An evaluation warning's message in the language, from its code (the English message of the
/// result otherwise).
pub fn warning(lang: Lang, code: &str, message: &str) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    let present: String = message.chars().take_while(char::is_ascii_digit).collect();
    match code {
        "tamga::eval::division_by_zero" => "деление на ноль: значение отсутствует (division_by_zero)".into(),
        "tamga::eval::domain" => {
            "вне области определения функции или всех диапазонов: значение отсутствует (domain)".into()
        }
        "tamga::eval::insufficient_data" => format!(
            "значений: {present}; слишком мало или все равны для статистики по государствам (insufficient_data)"
        ),
        "tamga::eval::scale" => "оценка лежит вне шкалы".into(),
        "tamga::eval::clamped" => "оценка лежит вне шкалы: приведена к ближайшей границе шкалы (outside_scale clamp)".into(),
        "tamga::official::earlier_period" => {
            "период начинается раньше вступления методики в силу (effective_from): рассчитан намеренно (--allow-earlier-periods)".into()
        }
        "tamga::eval::reweighted" => {
            // "computed over 3 of 4 children (75.0% of the weight): …"
            let nums: Vec<&str> = message
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|s| !s.is_empty() && *s != ".")
                .take(3)
                .collect();
            match nums.as_slice() {
                [counted, declared, share] => {
                    let d: u64 = declared.parse().unwrap_or(0);
                    let parts = if d % 10 == 1 && d % 100 != 11 {
                        "составляющей"
                    } else {
                        "составляющих"
                    };
                    format!(
                        "рассчитано по {counted} из {declared} {parts} ({}\u{a0}% веса): остальные отсутствуют и \
                         исключены с перевзвешиванием (правило методики для отсутствующих данных)",
                        number(lang, share)
                    )
                }
                _ => message.to_string(),
            }
        }
        _ => message.to_string(),
    }
}

/// A number as published, in the language's notation: a decimal comma in Russian.
/// The notation is [`crate::i18n::number`]'s.
pub fn number(lang: Lang, display: &str) -> String {
    crate::i18n::number(lang, display)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(number(Lang::En, "-2.5"), "−2.5");
        assert_eq!(number(Lang::Ru, "63.4"), "63,4");
        assert_eq!(number(Lang::Ru, "1200"), "1200");
    }

    #[test]
    fn the_reweighted_warning_is_told_in_russian() {
        let en = "computed over 3 of 21 children (75.0% of the weight): the others, missing, were left out";
        assert_eq!(
            warning(Lang::Ru, "tamga::eval::reweighted", en),
            "рассчитано по 3 из 21 составляющей (75,0\u{a0}% веса): остальные отсутствуют и исключены с \
             перевзвешиванием (правило методики для отсутствующих данных)"
        );
    }

    #[test]
    fn warnings_are_told_in_russian() {
        assert_eq!(target(Lang::Ru, "indicator share"), "показатель share");
        assert_eq!(target(Lang::Ru, "score(share)"), "score(share)");
        assert_eq!(target(Lang::En, "indicator share"), "indicator share");
        let m = "2 value(s) present: too few, or all equal, for a cross-unit statistic (insufficient_data)";
        assert!(warning(Lang::Ru, "tamga::eval::insufficient_data", m).starts_with("значений: 2;"));
        assert_eq!(warning(Lang::En, "tamga::eval::insufficient_data", m), m);
        assert_eq!(warning(Lang::Ru, "tamga::eval::unknown", "x"), "x");
    }

    #[test]
    fn every_reason_has_words_in_both_languages() {
        for r in Reason::ALL {
            assert_ne!(reason(Lang::En, r), reason(Lang::Ru, r));
        }
    }
}
