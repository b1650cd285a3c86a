//! An explanation as readable text, in English or Russian: a tree from the target down to the
//! answers, one node per value, with its label, place in the rules and how it was computed.

use super::*;
use crate::i18n::{glossary, Lang};
use crate::number::shortest;
use std::fmt::Write;

/// The word in the language.
fn tr(lang: Lang, en: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// A number for reading: the shortest text, or about six decimals when it has more.
pub fn approx(x: f64) -> String {
    approx_to(x, 6)
}

/// The shortest text, or about `d` decimals (marked ≈) when it has more.
fn approx_to(x: f64, d: usize) -> String {
    let s = shortest(x);
    let decimals = s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
    if decimals <= d && !s.contains('e') {
        return s;
    }
    let r = format!("{x:.d$}");
    let r = r.trim_end_matches('0').trim_end_matches('.');
    if r == "0" || r == "-0" {
        format!("≈{}", s)
    } else {
        format!("≈{r}")
    }
}

/// A share as a percentage in the language's notation (`37.5%`, `37,5 %`).
fn pct(lang: Lang, x: f64) -> String {
    crate::i18n::with_unit(lang, &crate::i18n::number(lang, &approx_short(x * 100.0)), "%")
}

/// [`approx`] in the language's notation (`≈0,333333`).
fn approx_in(lang: Lang, x: f64) -> String {
    crate::i18n::number(lang, &approx(x))
}

/// A number with at most one decimal shown (for shares and fractions).
fn approx_short(x: f64) -> String {
    let r = crate::number::round(x, 1, crate::number::Rounding::HalfAwayFromZero);
    shortest(if r == 0.0 { 0.0 } else { r })
}

fn reason(lang: Lang, r: Reason) -> String {
    match lang {
        Lang::En => r.as_str().replace('_', " "),
        Lang::Ru => match r {
            Reason::NotSubmitted => "не представлено",
            Reason::NotApplicable => "неприменимо",
            Reason::Confidential => "конфиденциально",
            Reason::Invalid => "недопустимый ответ",
            Reason::DivisionByZero => "деление на ноль",
            Reason::Domain => "вне области определения",
            Reason::InsufficientData => "недостаточно данных",
            Reason::NotAssessable => "не поддаётся оценке",
        }
        .to_string(),
    }
}

fn word(lang: Lang, text: &str) -> String {
    let pairs: &[(&str, &str, &str)] = &[
        ("yes", "yes", "да"),
        ("no", "no", "нет"),
        ("met", glossary::MET.en, glossary::MET.ru),
        ("not_met", glossary::NOT_MET.en, glossary::NOT_MET.ru),
        ("not_assessable", glossary::NOT_ASSESSABLE.en, glossary::NOT_ASSESSABLE.ru),
        ("none", "none", "нет"),
        ("applies", "applies", "применяется"),
        ("does_not_apply", "does not apply", "не применяется"),
        ("present", "present", "есть"),
    ];
    pairs
        .iter()
        .find(|(k, _, _)| *k == text)
        .map(|(_, en, ru)| tr(lang, en, ru).to_string())
        .unwrap_or_else(|| text.to_string())
}

/// A value as read: the published number, yes/no, the option, or why it is missing.
fn value(lang: Lang, v: &Value, unit: Option<&str>) -> String {
    if let Some(r) = v.missing {
        let base = match &v.text {
            Some(t) => format!("{} ", word(lang, t)),
            None => String::new(),
        };
        return format!("{base}{} ({})", tr(lang, "missing", "нет значения"), reason(lang, r));
    }
    if let Some(l) = &v.label {
        return format!("«{l}»");
    }
    if let Some(t) = &v.text {
        return word(lang, t);
    }
    let number = crate::i18n::number(lang, &v.display.clone().or(v.value.map(approx)).unwrap_or_default());
    match unit {
        Some(u) if !u.is_empty() && u != "count" && u != "money" => crate::i18n::with_unit(lang, &number, u),
        _ => number,
    }
}

fn kind(lang: Lang, k: Kind) -> &'static str {
    match k {
        Kind::Answer => tr(lang, "answer", "ответ"),
        Kind::Indicator => glossary::INDICATOR.get(lang),
        Kind::Score => glossary::SCORE.get(lang),
        Kind::Area => glossary::AREA.get(lang),
        Kind::Index => glossary::INDEX.get(lang),
        Kind::Standard => glossary::STANDARD.get(lang),
        Kind::Chapter => glossary::CHAPTER.get(lang),
        Kind::Code => tr(lang, "Code", "Кодекс"),
        Kind::Recommendation => glossary::RECOMMENDATION.get(lang),
        Kind::Intermediate => tr(lang, "intermediate value", "промежуточное значение"),
        Kind::UnionStatistic => tr(lang, "union statistic", "показатель по Союзу"),
    }
}

/// Renders an explanation as text.
pub fn render(e: &Explanation, title: &str, lang: Lang) -> String {
    let mut out = String::new();
    let who = match &e.unit_name {
        Some(n) => format!("{} ({n})", e.unit),
        None => e.unit.clone(),
    };
    let _ = writeln!(
        out,
        "{} `{}`: {who}, {} {}",
        tr(lang, "Explanation of", "Расчёт"),
        e.root.id,
        tr(lang, "period", "период"),
        e.period
    );
    let _ = writeln!(out, "{title}, {} {}", tr(lang, "version", "версия"), e.version);
    if let Some(why) = &e.why_missing {
        let _ = writeln!(out, "{}: {why}", tr(lang, "No value", "Значения нет"));
    }
    if e.mismatches > 0 {
        let _ = writeln!(
            out,
            "⚠ {}",
            tr(
                lang,
                "TRACE MISMATCH: the explanation recomputed some values differently from the evaluation (marked ⚠ below). This is a bug in tamga: please report it.",
                "РАСХОЖДЕНИЕ: при объяснении некоторые значения получились иными, чем при расчёте (отмечены ⚠ ниже). Это ошибка tamga: сообщите о ней."
            )
        );
    }
    out.push('\n');
    node(&mut out, &e.root, "", "", lang, &e.unit);
    out
}

/// Renders one node (and its inputs) as indented lines, marking `unit` in lists of units; for the
/// test runner's failure reports.
pub fn render_node(n: &Node, indent: &str, lang: Lang, unit: &str) -> String {
    let mut out = String::new();
    node(&mut out, n, indent, indent, lang, unit);
    out
}

fn node(out: &mut String, n: &Node, first: &str, rest: &str, lang: Lang, me: &str) {
    let v = value(lang, &n.value, n.unit.as_deref());
    // named by its label, as a reader knows it; the id as written in the rules is a reference in
    // the brackets, after the kind and the place
    let named = n.label.as_deref().filter(|l| !l.is_empty());
    let head = format!("{first}{} = {v}", named.unwrap_or(&n.id));
    if n.see_above {
        let _ = writeln!(out, "{head} ({})", tr(lang, "see above", "см. выше"));
        return;
    }
    let mut place = vec![kind(lang, n.kind).to_string()];
    if let Some(s) = &n.source {
        place.push(format!("{}:{}", s.file, s.line));
    }
    if named.is_some() {
        let id = n.id.strip_prefix("score(").and_then(|i| i.strip_suffix(')')).unwrap_or(&n.id);
        place.push(format!("`{id}`"));
    }
    if let Some(Detail::Answer { file: Some(f), .. }) = &n.detail {
        place.push(f.clone());
    }
    let _ = writeln!(out, "{head} [{}]", place.join(" · "));
    let bar = if n.inputs.is_empty() { format!("{rest}  ") } else { format!("{rest}│ ") };
    if let Some(m) = &n.mismatch {
        let _ = writeln!(
            out,
            "{bar}⚠ {} {}",
            tr(lang, "TRACE MISMATCH: the trace computes", "РАСХОЖДЕНИЕ: объяснение даёт"),
            value(lang, m, n.unit.as_deref())
        );
    }
    if n.truncated {
        let _ = writeln!(out, "{bar}… {}", tr(lang, "(not expanded: depth limit)", "(не раскрыто: предел глубины)"));
    }
    if let Some(d) = &n.detail {
        for line in detail(d, n, lang, me) {
            let _ = writeln!(out, "{bar}{line}");
        }
    }
    let k = n.inputs.len();
    for (i, c) in n.inputs.iter().enumerate() {
        let last = i + 1 == k;
        let (f, r) = if last { ("└─ ", "   ") } else { ("├─ ", "│  ") };
        node(out, c, &format!("{rest}{f}"), &format!("{rest}{r}"), lang, me);
    }
}

fn steps(lang: Lang, steps: &[Step], out: &mut Vec<String>) {
    for s in steps {
        let said = if s.words.is_empty() { &s.expr } else { &s.words };
        let mut line = format!("  {said} = {}", value(lang, &s.value, None));
        match &s.note {
            Some(Note::Rounded { decimals, from }) => {
                let _ = write!(
                    line,
                    " ({} {} {} {}{})",
                    // "до" would need the genitive (до 2 знаков): the count stands in the nominative
                    tr(lang, "rounded to", "округлено:"),
                    crate::i18n::count(lang, *decimals as f64, &crate::i18n::nouns::DIGIT),
                    tr(lang, "from", "после запятой, из"),
                    value(lang, from, None),
                    tr(lang, ": the published value is judged", ": оценивается опубликованное значение")
                );
            }
            Some(Note::Branch { taken }) => {
                let _ = write!(line, " ({} `{taken}`)", tr(lang, "took", "выбрана ветвь"));
            }
            Some(Note::Arm { words, .. }) => {
                let _ = write!(line, " ({}: {words})", tr(lang, "case", "вариант"));
            }
            Some(Note::ShortCircuit) => {
                let _ =
                    write!(line, " ({})", tr(lang, "the right side was not needed", "правая часть не потребовалась"));
            }
            Some(Note::Unanswered { policy, unanswered, not_applicable }) => {
                let counted = if *policy == "zero" {
                    tr(lang, "counted as no", "считаются ответом «нет»")
                } else {
                    tr(lang, "make it missing", "делают значение отсутствующим")
                };
                let _ = write!(
                    line,
                    " ({}: {unanswered} {counted}; {}: {not_applicable} {}; {})",
                    tr(lang, "unanswered", "без ответа"),
                    tr(lang, "not applicable", "неприменимых"),
                    tr(lang, "left out", "исключено"),
                    tr(lang, "as the group's rule for missing answers says", "по правилу группы для пропусков"),
                );
            }
            None => {}
        }
        out.push(line);
    }
}

fn units_line(lang: Lang, units: &[UnitValue], me: &str, unit: Option<&str>) -> String {
    let list: Vec<String> = units
        .iter()
        .map(|u| {
            let s = format!("{} {}", u.unit, value(lang, &u.value, unit));
            if u.unit == me {
                format!("[{s}]")
            } else {
                s
            }
        })
        .collect();
    list.join(", ")
}

fn detail(d: &Detail, n: &Node, lang: Lang, me: &str) -> Vec<String> {
    let mut out = vec![];
    let sh = |x: f64| approx_in(lang, x);
    match d {
        Detail::Answer { .. } => {}
        Detail::Formula { formula, formula_words, steps: st } => {
            // in words when it reads a label, the formula as written under it for the steps' ids
            // the formula as written, on one line (a `match` spans several)
            let written = formula.split_whitespace().collect::<Vec<_>>().join(" ");
            match formula_words {
                Some(w) if w.contains('«') => {
                    out.push(format!("{}: {w}", tr(lang, "formula", "формула")));
                    out.push(format!("  ({} {written})", tr(lang, "in the rules:", "в правилах:")));
                }
                _ => out.push(format!("{}: {written}", tr(lang, "formula", "формула"))),
            }
            steps(lang, st, &mut out);
        }
        Detail::Score {
            rule_words, band_words, direction, scale, placement, steps: st, units, clamped_from, ..
        } => {
            let dir = if *direction == "lower_is_better" {
                tr(lang, "lower is better", "чем меньше, тем лучше")
            } else {
                tr(lang, "higher is better", "чем больше, тем лучше")
            };
            out.push(format!(
                "{}: {rule_words} · {dir} · {} {}–{}",
                tr(lang, "scoring rule", "правило оценки"),
                tr(lang, "scale", "шкала"),
                sh(scale[0]),
                sh(scale[1])
            ));
            let input = n.inputs.first().map(|i| value(lang, &i.value, i.unit.as_deref())).unwrap_or_default();
            // the score as the rule computed it; a clamping is said after it
            let score = match clamped_from {
                Some(x) => sh(*x),
                None => value(lang, &n.value, None),
            };
            let (b, t) = (scale[0], scale[1]);
            match placement {
                Placement::Goalposts { best, worst, log, fraction } => {
                    let mut line = format!(
                        "{} {input} {} {} {} {} {} {}{}",
                        tr(lang, "the value", "значение"),
                        tr(lang, "lies", "находится на"),
                        pct(lang, *fraction),
                        tr(lang, "of the way from the worst goalpost", "пути от худшей границы"),
                        sh(*worst),
                        tr(lang, "to the best", "к лучшей"),
                        sh(*best),
                        if *log { tr(lang, " (on logarithms)", " (по логарифмам)") } else { "" }
                    );
                    if *fraction < 0.0 {
                        let _ = write!(
                            line,
                            "; {}",
                            tr(lang, "beyond the worst: counted as 0%", "хуже худшей границы: принимается 0%")
                        );
                    } else if *fraction > 1.0 {
                        let _ = write!(
                            line,
                            "; {}",
                            tr(lang, "beyond the best: counted as 100%", "лучше лучшей границы: принимается 100%")
                        );
                    }
                    out.push(line);
                    out.push(format!(
                        "{} = {} + ({} − {}) × {} = {score}",
                        tr(lang, "score", "оценка"),
                        sh(b),
                        sh(t),
                        sh(b),
                        pct(lang, fraction.clamp(0.0, 1.0))
                    ));
                }
                Placement::Minmax { min, max } => {
                    let x = n.inputs.first().and_then(|i| i.value.value);
                    let formula = match (x, *direction == "lower_is_better") {
                        (Some(x), true) => format!(
                            "({} − {}) / ({} − {}) = {}",
                            sh(*max),
                            sh(x),
                            sh(*max),
                            sh(*min),
                            pct(lang, (max - x) / (max - min))
                        ),
                        (Some(x), false) => format!(
                            "({} − {}) / ({} − {}) = {}",
                            sh(x),
                            sh(*min),
                            sh(*max),
                            sh(*min),
                            pct(lang, (x - min) / (max - min))
                        ),
                        (None, true) => "(max − x) / (max − min)".to_string(),
                        (None, false) => "(x − min) / (max − min)".to_string(),
                    };
                    out.push(format!(
                        "{} {}, {} {} {}",
                        tr(lang, "min", "минимум"),
                        sh(*min),
                        tr(lang, "max", "максимум"),
                        sh(*max),
                        tr(lang, "among the units compared", "среди сравниваемых"),
                    ));
                    out.push(format!(
                        "{} = {} + ({} − {}) × {formula} → {score}",
                        tr(lang, "score", "оценка"),
                        sh(b),
                        sh(t),
                        sh(b)
                    ));
                }
                Placement::Zscore { mean, sd, z, center, scale } => {
                    out.push(format!(
                        "{} {}, {} {}: z = (x − {}) / {} = {}{}",
                        tr(lang, "mean", "среднее"),
                        sh(*mean),
                        tr(lang, "standard deviation (n − 1)", "стандартное отклонение (n − 1)"),
                        sh(*sd),
                        sh(*mean),
                        sh(*sd),
                        sh(*z),
                        if *direction == "lower_is_better" {
                            tr(lang, " (sign reversed: lower is better)", " (знак обращён: чем меньше, тем лучше)")
                        } else {
                            ""
                        }
                    ));
                    out.push(format!(
                        "{} = {} + {} × z = {score}",
                        tr(lang, "score", "оценка"),
                        sh(*center),
                        sh(*scale)
                    ));
                }
                Placement::Rank { rank, n: k, descending } => out.push(format!(
                    "{} {} {} {k} {}",
                    tr(lang, "rank", "ранг"),
                    sh(*rank),
                    tr(lang, "of", "из"),
                    if *descending {
                        tr(lang, "by quality (the best 1, the worst n)", "по качеству (лучший 1, худший n)")
                    } else {
                        tr(lang, "by quality (the worst 1, the best n)", "по качеству (худший 1, лучший n)")
                    }
                )),
                Placement::Percentile { percentile, n: k, over_n } => out.push(format!(
                    "{} {} {} {k} {}: {} = {} + ({} − {}) × {}/100 = {score}",
                    tr(lang, "percentile rank", "процентильный ранг"),
                    sh(*percentile),
                    tr(lang, "among", "среди"),
                    if *over_n {
                        tr(lang, "by quality (r/n × 100, the best 100)", "по качеству (r/n × 100, лучший 100)")
                    } else {
                        tr(lang, "by quality (the worst 0, the best 100)", "по качеству (худший 0, лучший 100)")
                    },
                    tr(lang, "score", "оценка"),
                    sh(b),
                    sh(t),
                    sh(b),
                    sh(*percentile)
                )),
                Placement::Distance { to, reference, ratio, relative } => {
                    let to = match *to {
                        "mean" => tr(lang, "the union mean", "среднее по Союзу"),
                        "best" => tr(lang, "the best value", "лучшее значение"),
                        "worst" => tr(lang, "the worst value", "худшее значение"),
                        _ => tr(lang, "the target", "цель"),
                    };
                    let how = match (*ratio, *direction == "lower_is_better") {
                        (false, false) if *relative => {
                            let r = tr(lang, "reference", "ориентир");
                            format!("{} × (x − {r}) / {r}", sh(t))
                        }
                        (false, true) if *relative => {
                            let r = tr(lang, "reference", "ориентир");
                            format!("{} × ({r} − x) / {r}", sh(t))
                        }
                        (true, false) => format!("{} × x / {}", sh(t), tr(lang, "reference", "ориентир")),
                        (true, true) => format!("{} × {} / x", sh(t), tr(lang, "reference", "ориентир")),
                        (false, false) => format!("x − {}", tr(lang, "reference", "ориентир")),
                        (false, true) => format!("{} − x", tr(lang, "reference", "ориентир")),
                    };
                    out.push(format!(
                        "{}: {to} = {}; {} = {how} = {score}",
                        tr(lang, "reference", "ориентир"),
                        sh(*reference),
                        tr(lang, "score", "оценка")
                    ));
                }
                Placement::Threshold { mean, low, high, class } => {
                    let class = match *class {
                        "above" => tr(lang, "above", "выше"),
                        "below" => tr(lang, "below", "ниже"),
                        _ => tr(lang, "within", "в пределах"),
                    };
                    out.push(format!(
                        "{} {}, {} {}…{}: {input} {} {class} → {score}",
                        tr(lang, "union mean", "среднее по Союзу"),
                        sh(*mean),
                        tr(lang, "band around it", "коридор"),
                        sh(*low),
                        sh(*high),
                        tr(lang, "is", "—")
                    ));
                }
                Placement::Categorical { percentile, class } => out.push(format!(
                    "{} {} → {} «{}» → {score}",
                    tr(lang, "percentile rank by quality", "процентильный ранг по качеству"),
                    sh(*percentile),
                    tr(lang, "class", "класс"),
                    band_words.as_deref().or(class.as_deref()).unwrap_or("—")
                )),
                Placement::Bands { judged, band } => match band {
                    Some(b) if b == "else" => out.push(format!(
                        "{} {}{} {} → {score}",
                        tr(lang, "the value as published,", "опубликованное значение"),
                        if input.is_empty() { sh(*judged) } else { input.clone() },
                        tr(lang, ",", ""),
                        tr(
                            lang,
                            "falls in no band: «otherwise» applies",
                            "не попадает ни в один диапазон: применяется «иначе»"
                        )
                    )),
                    Some(band) => out.push(format!(
                        "{} {}{} {} «{}» → {score}",
                        tr(lang, "the value as published,", "опубликованное значение"),
                        if input.is_empty() { sh(*judged) } else { input.clone() },
                        tr(lang, ",", ""),
                        tr(lang, "falls in the band", "попадает в диапазон"),
                        band_words.as_deref().unwrap_or(band)
                    )),
                    None => out.push(format!(
                        "{} {}{} {}",
                        tr(lang, "the value as published,", "опубликованное значение"),
                        if input.is_empty() { sh(*judged) } else { input.clone() },
                        tr(lang, ",", ""),
                        tr(lang, "falls in no band", "не попадает ни в один диапазон")
                    )),
                },
                Placement::Yesno { yes, no } => out.push(format!(
                    "{} → {}, {} → {}: {input} → {score}",
                    word(lang, "yes"),
                    sh(*yes),
                    word(lang, "no"),
                    sh(*no)
                )),
                Placement::Value => out.push(tr(lang, "the value is the score", "значение и есть оценка").into()),
                Placement::Formula => steps(lang, st, &mut out),
                Placement::None => {}
            }
            if let Some(x) = clamped_from {
                out.push(format!(
                    "{} {} {}–{}: {} {} (outside_scale clamp)",
                    sh(*x),
                    tr(lang, "lies outside the scale", "лежит вне шкалы"),
                    sh(b),
                    sh(t),
                    tr(lang, "clamped to", "приведено к"),
                    value(lang, &n.value, None)
                ));
            }
            if !units.is_empty() {
                out.push(format!(
                    "{}: {}",
                    tr(lang, "compared", "сравниваются"),
                    units_line(lang, units, me, n.inputs.first().and_then(|i| i.unit.as_deref()))
                ));
            }
        }
        Detail::Aggregate {
            method,
            policy,
            min_coverage,
            min_children,
            total_weight,
            counted_weight,
            reweighted,
            weights_from,
            children,
        } => {
            let m = match *method {
                "bod" => {
                    tr(lang, "benefit of the doubt Σ w·s, on the scale", "«презумпция благоприятности» Σ w·s на шкале")
                }
                "geometric" => tr(lang, "weighted geometric mean", "взвешенное среднее геометрическое"),
                "min" => tr(lang, "the smallest score", "наименьшая оценка"),
                "harmonic" => tr(lang, "weighted harmonic mean Σ w / Σ (w / s)", "взвешенное среднее гармоническое Σ w / Σ (w / s)"),
                "power" => tr(lang, "weighted power mean (Σ w·sᵖ / Σ w)^(1/p)", "взвешенное степенное среднее (Σ w·sᵖ / Σ w)^(1/p)"),
                "copeland" => tr(
                    lang,
                    "Copeland's score: against every other state, +1 if the children on which this state scores higher weigh more than half, −1 if less, 0 if even (ties count half)",
                    "оценка Коупленда: по сравнению с каждым другим государством +1, если дочерние элементы, по которым это государство оценено выше, весят больше половины, −1 — если меньше, 0 — при равенстве (равные оценки — половина веса)",
                ),
                "kemeny" => tr(
                    lang,
                    "Kemeny–Young ranking: the order of the states that agrees with the most weighted pairwise preferences of the children; the value is n + 1 − the place (the first n, the last 1)",
                    "ранжирование Кемени — Янга: порядок государств, наиболее согласный со взвешенными попарными предпочтениями дочерних элементов; значение — n + 1 − место (первое — n, последнее — 1)",
                ),
                _ => tr(lang, "weighted mean Σ w·s / Σ w", "взвешенное среднее Σ w·s / Σ w"),
            };
            let p = match (*policy, min_coverage) {
                ("zero", _) => tr(
                    lang,
                    "a missing score counts as the bottom of the scale",
                    "отсутствующая оценка считается нижней границей шкалы",
                )
                .to_string(),
                ("zero(not_applicable: reweight)", _) => tr(
                    lang,
                    "a missing score counts as the bottom of the scale; one not applicable is left out and the rest re-weighted",
                    "отсутствующая оценка считается нижней границей шкалы; неприменимая исключается с перевзвешиванием",
                )
                .to_string(),
                ("not_assessable(not_applicable: reweight)", _) => tr(
                    lang,
                    "any missing score makes it not assessable; one not applicable is left out and the rest re-weighted",
                    "при любой отсутствующей оценке — не поддаётся оценке; неприменимая исключается с перевзвешиванием",
                )
                .to_string(),
                ("not_assessable", _) => tr(
                    lang,
                    "any missing score makes it not assessable",
                    "при любой отсутствующей оценке — не поддаётся оценке",
                )
                .to_string(),
                (_, _) if min_children.is_some() => format!(
                    "{} {} {} {} {}",
                    tr(
                        lang,
                        "missing scores are left out and the rest re-weighted, if at least",
                        "отсутствующие оценки исключаются с перевзвешиванием, если представлено не менее"
                    ),
                    min_children.unwrap_or(0),
                    tr(lang, "of the", "из"),
                    children.len(),
                    match lang {
                        Lang::En => "children are present",
                        Lang::Ru => crate::words::plural(
                            children.len() as u64,
                            "дочернего элемента",
                            "дочерних элементов",
                            "дочерних элементов",
                        ),
                    }
                ),
                (_, Some(c)) if *c > 0.0 => format!(
                    "{} {} {}",
                    tr(
                        lang,
                        "missing scores are left out and the rest re-weighted, if at least",
                        "отсутствующие оценки исключаются с перевзвешиванием, если представлено не менее"
                    ),
                    pct(lang, *c),
                    tr(lang, "of the weight is present", "веса")
                ),
                _ => tr(
                    lang,
                    "missing scores are left out and the rest re-weighted",
                    "отсутствующие оценки исключаются с перевзвешиванием",
                )
                .to_string(),
            };
            out.push(format!("{m}; {p}"));
            if let Some(w) = weights_from {
                out.push(w.clone());
            }
            let share_of = if *total_weight > 0.0 { counted_weight / total_weight } else { 0.0 };
            let mut line = format!(
                "{} {} {} {} ({})",
                tr(lang, "weight counted:", "учтённый вес:"),
                sh(*counted_weight),
                tr(lang, "of", "из"),
                sh(*total_weight),
                pct(lang, share_of)
            );
            if *reweighted {
                let _ = write!(
                    line,
                    "; {}",
                    tr(lang, "re-weighted over the scores present", "перевзвешено по имеющимся оценкам")
                );
            }
            if n.value.missing.is_some() {
                let _ = write!(line, "; {}", glossary::NOT_ASSESSABLE.get(lang));
            }
            out.push(line);
            // the numbers first, aligned, then the child by its label (the id where it has none)
            let rows: Vec<(String, String)> = children
                .iter()
                .map(|c| {
                    let score = value(lang, &c.score, None);
                    let mut row = format!(
                        "{} {score} · {} {}",
                        tr(lang, "score", "оценка"),
                        tr(lang, "weight", "вес"),
                        sh(c.weight)
                    );
                    if c.as_bottom {
                        let _ = write!(
                            row,
                            " · {}",
                            tr(lang, "counted as the bottom of the scale", "считается нижней границей шкалы")
                        );
                    } else if !c.counted {
                        let _ = write!(row, " · {}", tr(lang, "left out", "исключена"));
                    }
                    if let (Some(s), Some(k)) = (c.share, c.contribution) {
                        let what = if *method == "geometric" {
                            tr(lang, "factor", "множитель")
                        } else {
                            tr(lang, "contributes", "вклад")
                        };
                        let _ = write!(
                            row,
                            " · {} {} → {what} {}",
                            tr(lang, "share", "доля"),
                            pct(lang, s),
                            crate::i18n::number(lang, &approx_to(k, 3))
                        );
                    }
                    let name = match (&c.label, c.kind) {
                        (Some(l), "standard") => format!("{} {l}", c.id),
                        (Some(l), _) => l.clone(),
                        (None, _) => c.id.clone(),
                    };
                    (row, name)
                })
                .collect();
            let width = rows.iter().map(|(r, _)| r.chars().count()).max().unwrap_or(0);
            for (row, name) in rows {
                out.push(format!("  {row:<width$}  {name}"));
            }
        }
        Detail::UnionStatistic { statistic, operand, units, present } => {
            let what = match *statistic {
                "mean" => tr(lang, "mean", "среднее"),
                "median" => tr(lang, "median", "медиана"),
                "min" => tr(lang, "smallest value", "наименьшее значение"),
                "max" => tr(lang, "largest value", "наибольшее значение"),
                "sd" => tr(lang, "standard deviation (n − 1)", "стандартное отклонение (n − 1)"),
                "sum" => tr(lang, "sum", "сумма"),
                "count" => tr(lang, "number of values", "число значений"),
                "rank" => tr(lang, "rank (the largest 1)", "ранг (наибольшее — 1)"),
                _ => tr(
                    lang,
                    "percentile rank (the smallest 0, the largest 100)",
                    "процентильный ранг (наименьшее 0, наибольшее 100)",
                ),
            };
            out.push(format!(
                "{what} {} `{operand}` {} {present} {}",
                tr(lang, "of", "по"),
                tr(lang, "over the", "по"),
                tr(lang, "units with a value", "единицам со значением")
            ));
            out.push(format!("{}: {}", tr(lang, "values", "значения"), units_line(lang, units, me, None)));
        }
        Detail::Standard {
            kind: _,
            verdict,
            requirement_words: requirement,
            value: v,
            target,
            gap,
            baseline,
            attainment,
            attainment_rule,
            level,
            levels,
            steps: st,
            ..
        } => {
            if let Some(r) = requirement {
                out.push(format!("{} {r}", tr(lang, "requires", "требование:")));
            }
            steps(lang, st, &mut out);
            if let (Some(v), Some(t)) = (v, target) {
                let mut line = format!(
                    "{} {} {} {}",
                    tr(lang, "value", "значение"),
                    value(lang, v, None),
                    tr(lang, "against the target", "при цели"),
                    approx_in(lang, *t)
                );
                if let Some(g) = gap {
                    let sign = if *g > 0.0 { "+" } else { "" };
                    let decimals =
                        v.display.as_deref().and_then(|d| d.split_once('.')).map(|(_, f)| f.len()).unwrap_or(0);
                    let g = crate::i18n::number(lang, &format!("{:.*}", decimals, g));
                    let _ = write!(
                        line,
                        ": {} {sign}{g} ({})",
                        tr(lang, "gap", "разрыв"),
                        tr(lang, "value − target", "значение − цель")
                    );
                }
                if *verdict == "not_met" {
                    let _ = write!(line, "; {}", tr(lang, "the target is not reached", "цель не достигнута"));
                }
                out.push(line);
            }
            let how = match *attainment_rule {
                "met" => tr(lang, "met: the top of the scale", "выполнен: верх шкалы").to_string(),
                "linear" => match (baseline, target) {
                    (Some(b), Some(t)) => format!(
                        "{} {} {} {}",
                        tr(lang, "linear from the baseline", "линейно от базового значения"),
                        approx_in(lang, *b),
                        tr(lang, "to the target", "до цели"),
                        approx_in(lang, *t)
                    ),
                    _ => tr(lang, "linear from the baseline to the target", "линейно от базового значения до цели")
                        .to_string(),
                },
                "levels" => {
                    let k = level.as_deref().and_then(|l| levels.iter().position(|x| x.name == l)).map_or(0, |p| p + 1);
                    format!(
                        "{} {k} {} {}",
                        tr(lang, "by the levels attained:", "по достигнутым уровням:"),
                        tr(lang, "of", "из"),
                        levels.len()
                    )
                }
                _ => tr(lang, "not met: the bottom of the scale", "не выполнен: низ шкалы").to_string(),
            };
            out.push(format!(
                "{} {} ({how})",
                tr(lang, "attainment", "степень достижения"),
                value(lang, attainment, None)
            ));
            if let Some(l) = level {
                let conds: Vec<String> = levels
                    .iter()
                    .map(|l| {
                        let mark = match (l.holds.value, l.holds.missing) {
                            (_, Some(_)) => "?",
                            (Some(x), _) if x != 0.0 => "✓",
                            _ => "✗",
                        };
                        format!("{}: {} {mark}", l.label, l.words)
                    })
                    .collect();
                out.push(format!(
                    "{} {} — {}",
                    tr(lang, "level", "уровень"),
                    crate::words::level_name(l, lang),
                    conds.join("; ")
                ));
            }
        }
        Detail::Recommendation { condition_words: condition, steps: st, .. } => {
            out.push(format!("{} {condition}", tr(lang, "when", "условие:")));
            steps(lang, st, &mut out);
        }
    }
    out
}
