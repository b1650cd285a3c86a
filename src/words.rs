//! Rules in words: expressions, ranges and scoring rules of a checked [`Model`] rendered as text a
//! reader of a Board paper understands, in English or Russian, with the labels of questions,
//! indicators, areas and standards and with units, instead of the rule files' identifiers and
//! syntax.
//!
//! `q05_release <= 24` → «Среднее время выпуска при импорте — не более 24 ч»;
//! `goalposts(best: 2, worst: 72)` → «нормирование по целевым значениям: лучшее 2 ч, худшее
//! 72 ч»; `10<..=20` → «свыше 10 до 20 включительно». Used by `explain`, `diff` and the report;
//! what cannot be said in words (arithmetic) is written as a formula over labels in «quotes».

use crate::i18n::Lang;
use crate::model::*;
use crate::number::shortest;

/// No-break space, between a number and its unit.
const NBSP: char = '\u{a0}';

fn tr(lang: Lang, en: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// A number as a reader writes it: the shortest exact text, the decimal comma in Russian, a true
/// minus sign.
pub fn number(x: f64, lang: Lang) -> String {
    let s = shortest(if x == 0.0 { 0.0 } else { x }).replace('-', "−");
    match lang {
        Lang::Ru => s.replace('.', ","),
        Lang::En => s,
    }
}

/// The Russian plural of a count: `plural(n, "знак", "знака", "знаков")`.
pub fn plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

/// A unit as shown after a number in a language; empty for counts, money without a currency and
/// no unit. (Labels of units declared in the rule files take precedence once they exist; this is
/// the fallback for the usual unit names.)
pub fn unit_text(unit: &str, lang: Lang) -> String {
    let u = unit.trim();
    let ru = match u.to_ascii_lowercase().as_str() {
        "" | "count" | "number" | "money" | "score" => return String::new(),
        "%" | "percent" | "pp" => return "%".into(),
        "h" | "hours" | "hour" => "ч",
        "d" | "days" | "day" => "дн.",
        "min" | "minutes" => "мин",
        "usd" => "долл. США",
        "usd million" | "million usd" => "млн долл. США",
        "ratio" => return String::new(),
        _ => return u.to_string(),
    };
    match lang {
        Lang::Ru => ru.into(),
        Lang::En => u.to_string(),
    }
}

/// A number with its unit: `24 ч`, `75 %`.
pub fn quantity(x: f64, unit: &str, lang: Lang) -> String {
    let u = unit_text(unit, lang);
    if u.is_empty() {
        number(x, lang)
    } else {
        format!("{}{NBSP}{u}", number(x, lang))
    }
}

/// A range in words: `10<..=20` → «свыше 10 до 20 включительно» / "over 10 up to and including
/// 20"; `..=24` → «не более 24 ч».
pub fn range_in_words(r: &NumRange, unit: &str, lang: Lang) -> String {
    let q = |b: &Bound| quantity(b.value, unit, lang);
    match (&r.lo, &r.hi) {
        (None, None) => tr(lang, "any value", "любое значение").into(),
        (Some(lo), None) if lo.inclusive => format!("{} {}", tr(lang, "at least", "не менее"), q(lo)),
        (Some(lo), None) => format!("{} {}", tr(lang, "over", "свыше"), q(lo)),
        (None, Some(hi)) if hi.inclusive => format!("{} {}", tr(lang, "at most", "не более"), q(hi)),
        (None, Some(hi)) => format!("{} {}", tr(lang, "below", "менее"), q(hi)),
        (Some(lo), Some(hi)) if lo.inclusive && hi.inclusive && lo.value == hi.value => {
            format!("{} {}", tr(lang, "exactly", "ровно"), q(hi))
        }
        (Some(lo), Some(hi)) => {
            let lo_n = number(lo.value, lang);
            match (lo.inclusive, hi.inclusive) {
                (true, true) => {
                    format!(
                        "{} {lo_n} {} {} {}",
                        tr(lang, "from", "от"),
                        tr(lang, "to", "до"),
                        q(hi),
                        tr(lang, "inclusive", "включительно")
                    )
                }
                (false, true) => format!(
                    "{} {lo_n} {} {}{}",
                    tr(lang, "over", "свыше"),
                    tr(lang, "up to and including", "до"),
                    q(hi),
                    tr(lang, "", " включительно")
                ),
                (true, false) => {
                    format!("{} {lo_n} {} {}", tr(lang, "from", "от"), tr(lang, "to below", "до менее"), q(hi))
                }
                (false, false) => {
                    format!("{} {lo_n} {} {}", tr(lang, "over", "свыше"), tr(lang, "and below", "и менее"), q(hi))
                }
            }
        }
    }
}

/// "otherwise": the arm of `bands` for a value in no band.
pub fn otherwise(lang: Lang) -> &'static str {
    tr(lang, "otherwise", "иначе")
}

/// A scoring rule in words, with the indicator's unit on its goalposts.
pub fn rule_in_words(rule: &ScoreRule, unit: &str, lang: Lang) -> String {
    let n = |x: f64| number(x, lang);
    let q = |x: f64| quantity(x, unit, lang);
    let bands = |bands: &[(NumRange, f64)], otherwise: Option<f64>| {
        let mut arms: Vec<String> =
            bands.iter().map(|(r, s)| format!("{} → {}", range_in_words(r, unit, lang), n(*s))).collect();
        if let Some(o) = otherwise {
            arms.push(format!("{} → {}", tr(lang, "otherwise", "иначе"), n(o)));
        }
        arms.join("; ")
    };
    match rule {
        ScoreRule::Goalposts { best, worst, log } => format!(
            "{}: {} {}, {} {}{}",
            tr(lang, "goalposts", "нормирование по целевым значениям"),
            tr(lang, "best", "лучшее"),
            q(*best),
            tr(lang, "worst", "худшее"),
            q(*worst),
            if *log { tr(lang, ", on logarithms", ", по логарифмам") } else { "" }
        ),
        ScoreRule::MinMax => tr(
            lang,
            "min–max: from the lowest to the highest value among the states",
            "нормирование по размаху: от наименьшего до наибольшего значения среди государств",
        )
        .into(),
        ScoreRule::ZScore { center, scale } => format!(
            "{}: {} {}, {} {}",
            tr(lang, "standardised (z-score)", "стандартизация (z-оценка)"),
            tr(lang, "centre", "центр"),
            n(*center),
            tr(lang, "scale", "масштаб"),
            n(*scale)
        ),
        ScoreRule::Rank { ties, descending } => format!(
            "{}{}",
            if *descending {
                tr(lang, "rank among the states (the best 1)", "ранг среди государств (лучшее — 1)")
            } else {
                tr(lang, "rank among the states (the worst 1)", "ранг среди государств (худшее — 1)")
            },
            match ties {
                Ties::Min => "",
                Ties::Max => tr(lang, ", ties take the higher rank", ", при равенстве — высший ранг"),
                Ties::Average => tr(lang, ", ties take the mean rank", ", при равенстве — средний ранг"),
            }
        ),
        ScoreRule::Percentile { over_n: false, .. } => {
            tr(lang, "percentile rank among the states", "процентильный ранг среди государств").into()
        }
        ScoreRule::Percentile { over_n: true, .. } => {
            tr(lang, "percentile rank among the states, r/n × 100", "процентильный ранг среди государств, r/n × 100")
                .into()
        }
        ScoreRule::Distance { to, how } => {
            let to = match to {
                Reference::Mean => tr(lang, "the union mean", "среднему по Союзу").to_string(),
                Reference::Best => tr(lang, "the best value", "лучшему значению").to_string(),
                Reference::Worst => tr(lang, "the worst value", "худшему значению").to_string(),
                Reference::Target(t) => format!("{} {}", tr(lang, "the target", "цели"), q(*t)),
            };
            match how {
                DistanceKind::Ratio => format!("{} {to}", tr(lang, "ratio to", "отношение к")),
                DistanceKind::Difference => format!("{} {to}", tr(lang, "difference from", "разность по отношению к")),
                DistanceKind::Relative => {
                    format!("{} {to}", tr(lang, "relative difference from", "относительное отклонение по отношению к"))
                }
            }
        }
        ScoreRule::Threshold { p, above, within, below } => format!(
            "{} ±{}{NBSP}%: {} → {}, {} → {}, {} → {}",
            tr(lang, "against the union mean, band", "сравнение со средним по Союзу, коридор"),
            n(*p),
            tr(lang, "above", "выше"),
            n(*above),
            tr(lang, "within", "в пределах"),
            n(*within),
            tr(lang, "below", "ниже"),
            n(*below)
        ),
        ScoreRule::Categorical { classes } => format!(
            "{}: {}",
            tr(lang, "classes of the percentile rank", "классы по процентильному рангу"),
            classes
                .iter()
                .map(|(r, s)| format!("{} → {}", range_in_words(r, "", lang), n(*s)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        ScoreRule::Bands { bands: b, otherwise } => {
            format!("{}: {}", tr(lang, "bands", "по диапазонам"), bands(b, *otherwise))
        }
        ScoreRule::YesNo { yes, no } => {
            format!("{} → {}, {} → {}", tr(lang, "yes", "да"), n(*yes), tr(lang, "no", "нет"), n(*no))
        }
        ScoreRule::Value => tr(lang, "the value is the score", "значение и есть оценка").into(),
        ScoreRule::Formula { text, .. } => format!("{}: {text}", tr(lang, "by a formula", "по формуле")),
    }
}

/// A level's name in a language: the usual grades translated, any other name as written.
pub fn level_name(name: &str, lang: Lang) -> String {
    let ru = match name {
        "basic" => "базовый",
        "advanced" => "продвинутый",
        "leading" => "передовой",
        "none" => "не достигнут",
        _ => return name.replace('_', " "),
    };
    match lang {
        Lang::Ru => ru.into(),
        Lang::En if name == "none" => "none".into(),
        Lang::En => name.into(),
    }
}

/// Expressions of a model in words.
pub struct Words<'m> {
    /// The methodology.
    pub model: &'m Model,
    /// The language.
    pub lang: Lang,
}

impl<'m> Words<'m> {
    /// Words for `model` in `lang`.
    pub fn new(model: &'m Model, lang: Lang) -> Self {
        Words { model, lang }
    }

    fn formula_of(&self, slot: Slot) -> Option<&'m Ir> {
        self.model.plan.iter().find_map(|st| match st {
            Step::Formula { slot: s, ir } if *s == slot => Some(ir),
            _ => None,
        })
    }

    /// What a slot holds, named by its label, and its unit.
    pub fn slot(&self, s: Slot) -> (String, String) {
        let l = self.lang;
        let Some(kind) = self.model.slots.get(s.0 as usize) else { return (String::new(), String::new()) };
        match kind {
            SlotKind::Question(id) => match self.model.questions.get(id.as_str()) {
                Some(q) => (l.pick(&q.labels, id).to_string(), q.unit.clone()),
                None => (id.clone(), String::new()),
            },
            SlotKind::Value(id) => match self.model.indicators.get(id.as_str()) {
                Some(i) => (l.pick(&i.labels, id).to_string(), i.unit.clone()),
                None => (id.clone(), String::new()),
            },
            SlotKind::Score(id) => match self.model.indicators.get(id.as_str()) {
                Some(i) => (
                    format!("{} «{}»", tr(l, "the score of", "оценка показателя"), l.pick(&i.labels, id)),
                    String::new(),
                ),
                None => (id.clone(), String::new()),
            },
            SlotKind::Area(id) => match self.model.areas.get(id.as_str()) {
                Some(a) => (
                    format!("{} «{}»", tr(l, "the score of", "оценка по направлению"), l.pick(&a.labels, id)),
                    String::new(),
                ),
                None => (id.clone(), String::new()),
            },
            SlotKind::Recommend(id) => match self.model.recommendations.get(id.as_str()) {
                Some(r) => (
                    format!("{} «{}»", tr(l, "the recommendation", "рекомендация"), l.pick(&r.labels, id)),
                    String::new(),
                ),
                None => (id.clone(), String::new()),
            },
            SlotKind::Rule(id) => match self.model.rules.get(id.as_str()) {
                Some(r) => (
                    format!("{} «{}»", tr(l, "the consistency rule", "правило согласованности"), l.pick(&r.labels, id)),
                    String::new(),
                ),
                None => (id.clone(), String::new()),
            },
            SlotKind::Met(c) => (self.standard_name(c), String::new()),
            SlotKind::Level(c) => {
                (format!("{} {}", tr(l, "the level of", "уровень по стандарту"), self.standard_name(c)), String::new())
            }
            SlotKind::Attainment(c) => (
                format!("{} {}", tr(l, "the attainment of", "степень достижения стандарта"), self.standard_name(c)),
                String::new(),
            ),
            SlotKind::StandardValue(_) => match self.formula_of(s) {
                Some(ir) => self.operand(ir),
                None => (String::new(), String::new()),
            },
            SlotKind::Chapter(c) => {
                let label =
                    self.model.chapters.get(c.as_str()).map(|ch| l.pick(&ch.labels, c).to_string()).unwrap_or_default();
                (format!("{} {c} «{label}»", tr(l, "the score of chapter", "оценка по главе")), String::new())
            }
            SlotKind::Code => (tr(l, "the Code score", "оценка по Кодексу").into(), String::new()),
            SlotKind::Hidden(t) => self.column(s).unwrap_or_else(|| (t.clone(), String::new())),
        }
    }

    /// A statistic over the states (`union_mean(x)`): its words, and the unit of what it counts.
    fn column(&self, s: Slot) -> Option<(String, String)> {
        let l = self.lang;
        let (op, src) = self.model.plan.iter().find_map(|st| match st {
            Step::Column { slot, op, src, .. } if *slot == s => Some((*op, *src)),
            _ => None,
        })?;
        let (what, unit) = self.slot(src);
        let name = match op {
            ColumnOp::Mean => tr(l, "the union mean of", "среднее по Союзу:"),
            ColumnOp::Median => tr(l, "the union median of", "медиана по Союзу:"),
            ColumnOp::Min => tr(l, "the smallest among the states of", "наименьшее среди государств:"),
            ColumnOp::Max => tr(l, "the largest among the states of", "наибольшее среди государств:"),
            ColumnOp::Sd => {
                tr(l, "the standard deviation among the states of", "стандартное отклонение среди государств:")
            }
            ColumnOp::Sum => tr(l, "the union total of", "сумма по Союзу:"),
            ColumnOp::Count => tr(l, "the number of states with", "число государств со значением:"),
            ColumnOp::Rank(_) => tr(l, "the rank among the states by", "ранг среди государств:"),
            ColumnOp::Percentile => {
                tr(l, "the percentile rank among the states by", "процентильный ранг среди государств:")
            }
        };
        let unit = match op {
            ColumnOp::Count | ColumnOp::Rank(_) | ColumnOp::Percentile => String::new(),
            _ => unit,
        };
        Some((format!("{name} {what}"), unit))
    }

    fn standard_name(&self, code: &str) -> String {
        match self.model.standards.get(code) {
            Some(s) => format!("{code} «{}»", self.lang.pick(&s.labels, code)),
            None => code.to_string(),
        }
    }

    /// An operand: its words and its unit (for the number it is compared with).
    fn operand(&self, ir: &Ir) -> (String, String) {
        match ir {
            Ir::Slot(s) | Ir::Rounded(s, _) => self.slot(*s),
            Ir::RoundExpr(a, _) => self.operand(a),
            _ => (self.formula(ir), String::new()),
        }
    }

    /// A value as a term of a formula: a label in «quotes», a number, or a bracketed formula.
    fn term(&self, ir: &Ir) -> String {
        match ir {
            Ir::Const(x) => number(*x, self.lang),
            Ir::Slot(s) | Ir::Rounded(s, _) => {
                let (w, _) = self.slot(*s);
                if w.contains('«') {
                    w
                } else {
                    format!("«{w}»")
                }
            }
            Ir::RoundExpr(a, _) => self.term(a),
            _ => format!("({})", self.formula(ir)),
        }
    }

    /// Arithmetic as a formula over labels.
    fn formula(&self, ir: &Ir) -> String {
        match ir {
            Ir::Arith(op, a, b, _) => {
                let sym = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "−",
                    ArithOp::Mul => "×",
                    ArithOp::Div => "/",
                    ArithOp::Pow => "^",
                };
                format!("{} {sym} {}", self.term(a), self.term(b))
            }
            Ir::Neg(a) => format!("−{}", self.term(a)),
            Ir::Call(f, args, _) => {
                let name = match f {
                    Func::Min => tr(self.lang, "the smallest of", "наименьшее из"),
                    Func::Max => tr(self.lang, "the largest of", "наибольшее из"),
                    Func::Sum => tr(self.lang, "the sum of", "сумма"),
                    Func::Mean => tr(self.lang, "the mean of", "среднее из"),
                    Func::Count | Func::GroupCount(_) => {
                        tr(self.lang, "the number of yes among", "число ответов «да» среди")
                    }
                    Func::Share | Func::GroupShare(_) => {
                        tr(self.lang, "the share of yes among", "доля ответов «да» среди")
                    }
                    Func::Answered => tr(self.lang, "the number answered among", "число ответов среди"),
                    Func::Abs => tr(self.lang, "the absolute value of", "модуль"),
                    Func::Round | Func::RoundHalfEven => {
                        return args.first().map(|a| self.term(a)).unwrap_or_default();
                    }
                    Func::Clamp => tr(self.lang, "clamped", "в пределах"),
                    Func::Ln => "ln",
                    Func::Exp => "exp",
                    Func::Sqrt => "√",
                    Func::Pow => "pow",
                    Func::Missing(_) => return tr(self.lang, "no value", "нет значения").into(),
                };
                format!("{name} {}", args.iter().map(|a| self.term(a)).collect::<Vec<_>>().join(", "))
            }
            Ir::Const(_) | Ir::Slot(_) | Ir::Rounded(..) | Ir::RoundExpr(..) => self.term(ir),
            _ => self.expr(ir),
        }
    }

    fn yes_no(&self, s: Slot) -> bool {
        match self.model.slots.get(s.0 as usize) {
            Some(SlotKind::Question(id)) => {
                self.model.questions.get(id.as_str()).is_some_and(|q| q.ty == QuestionType::YesNo)
            }
            Some(SlotKind::Value(id)) => self.model.indicators.get(id.as_str()).is_some_and(|i| i.boolean),
            _ => false,
        }
    }

    fn option_label(&self, ir: &Ir, k: f64) -> Option<String> {
        let (Ir::Slot(s) | Ir::Rounded(s, _)) = ir else { return None };
        let Some(SlotKind::Question(id)) = self.model.slots.get(s.0 as usize) else { return None };
        let QuestionType::Choice(opts) = &self.model.questions.get(id.as_str())?.ty else { return None };
        if k < 0.0 || k.fract() != 0.0 {
            return None;
        }
        opts.get(k as usize).map(|o| self.lang.pick(&o.labels, &o.id).to_string())
    }

    /// Options of a choice question by their labels, in «quotes» («Council» or «Working group»).
    pub fn options(&self, question: &Ir, keys: &[u32]) -> String {
        keys.iter()
            .map(|k| format!("«{}»", self.option_label(question, f64::from(*k)).unwrap_or_else(|| k.to_string())))
            .collect::<Vec<_>>()
            .join(tr(self.lang, " or ", " или "))
    }

    /// An expression in words as [`Words::expr`] says it, but a `bands` or `match` by what it
    /// depends on only (its arms are said where the arm taken is named).
    pub fn head(&self, ir: &Ir) -> String {
        match ir {
            Ir::Bands(a, ..) => format!("{} {}", tr(self.lang, "by the value of", "в зависимости от"), self.term(a)),
            Ir::Match(a, ..) => {
                format!("{} {}", tr(self.lang, "by the answer to", "в зависимости от ответа на вопрос"), self.term(a))
            }
            _ => self.expr(ir),
        }
    }

    /// A comparison: «label — не более 24 ч».
    fn comparison(&self, op: CmpOp, a: &Ir, b: &Ir) -> String {
        let l = self.lang;
        // the constant on the right
        let (op, a, b) = match (a, b) {
            (Ir::Const(_), r) if !matches!(r, Ir::Const(_)) => {
                let flipped = match op {
                    CmpOp::Lt => CmpOp::Gt,
                    CmpOp::Le => CmpOp::Ge,
                    CmpOp::Gt => CmpOp::Lt,
                    CmpOp::Ge => CmpOp::Le,
                    o => o,
                };
                (flipped, b, a)
            }
            _ => (op, a, b),
        };
        if let Some(text) = self.level_comparison(op, a, b).or_else(|| self.against_union(op, a, b)) {
            return text;
        }
        let (what, unit) = self.operand(a);
        let phrase = match op {
            CmpOp::Lt => tr(l, "below", "менее"),
            CmpOp::Le => tr(l, "at most", "не более"),
            CmpOp::Gt => tr(l, "over", "более"),
            CmpOp::Ge => tr(l, "at least", "не менее"),
            CmpOp::Eq => "",
            CmpOp::Ne => tr(l, "not", "не"),
        };
        let rhs = match b {
            Ir::Const(x) => {
                if let Some(o) = self.option_label(a, *x) {
                    format!("«{o}»")
                } else if let (Ir::Slot(s) | Ir::Rounded(s, _), true) = (a, *x == 0.0 || *x == 1.0) {
                    if self.yes_no(*s) {
                        let yes = (*x == 1.0) == (op != CmpOp::Ne);
                        return format!("{what}: {}", if yes { tr(l, "yes", "да") } else { tr(l, "no", "нет") });
                    }
                    quantity(*x, &unit, l)
                } else {
                    quantity(*x, &unit, l)
                }
            }
            other => self.operand(other).0,
        };
        if phrase.is_empty() {
            format!("{what} — {rhs}")
        } else {
            format!("{what} — {phrase} {rhs}")
        }
    }

    /// `level(AUT-6) >= 1` → «AUT-6 «…»: достигнут уровень не ниже «базовый»».
    fn level_comparison(&self, op: CmpOp, a: &Ir, b: &Ir) -> Option<String> {
        let l = self.lang;
        let (Ir::Slot(s) | Ir::Rounded(s, _)) = a else { return None };
        let Some(SlotKind::Level(code)) = self.model.slots.get(s.0 as usize) else { return None };
        let Ir::Const(k) = b else { return None };
        let std = self.model.standards.get(code.as_str())?;
        let name = if *k <= 0.0 {
            level_name("none", l)
        } else {
            level_name(&std.levels.get((*k as usize).checked_sub(1)?)?.name, l)
        };
        let phrase = match op {
            CmpOp::Ge => tr(l, "a level of at least", "достигнут уровень не ниже"),
            CmpOp::Gt => tr(l, "a level above", "достигнут уровень выше"),
            CmpOp::Le => tr(l, "a level of at most", "уровень не выше"),
            CmpOp::Lt => tr(l, "a level below", "уровень ниже"),
            CmpOp::Eq => tr(l, "the level", "уровень"),
            CmpOp::Ne => tr(l, "a level other than", "уровень иной, чем"),
        };
        Some(format!("{}: {phrase} «{name}»", self.standard_name(code)))
    }

    /// `score(x) < union_mean(score(x))` → «Оценка по направлению «…» — ниже среднего по Союзу».
    fn against_union(&self, op: CmpOp, a: &Ir, b: &Ir) -> Option<String> {
        let l = self.lang;
        let b = match b {
            Ir::RoundExpr(inner, _) => &**inner,
            b => b,
        };
        let (Ir::Slot(sb) | Ir::Rounded(sb, _)) = b else { return None };
        let (col, src) = self.model.plan.iter().find_map(|st| match st {
            Step::Column { slot, op, src, .. } if slot == sb => Some((*op, *src)),
            _ => None,
        })?;
        let stat = match col {
            ColumnOp::Mean => tr(l, "the union mean", "среднего по Союзу"),
            ColumnOp::Median => tr(l, "the union median", "медианы по Союзу"),
            ColumnOp::Max => tr(l, "the best among the states", "наибольшего среди государств"),
            ColumnOp::Min => tr(l, "the lowest among the states", "наименьшего среди государств"),
            _ => return None,
        };
        let phrase = match op {
            CmpOp::Lt => tr(l, "below", "ниже"),
            CmpOp::Le => tr(l, "not above", "не выше"),
            CmpOp::Gt => tr(l, "above", "выше"),
            CmpOp::Ge => tr(l, "not below", "не ниже"),
            CmpOp::Eq => tr(l, "equal to", "на уровне"),
            CmpOp::Ne => tr(l, "other than", "не на уровне"),
        };
        let (what, _) = self.operand(a);
        let same = matches!(a, Ir::Slot(s) | Ir::Rounded(s, _) if *s == src);
        if same {
            Some(format!("{what} — {phrase} {stat}"))
        } else {
            Some(format!("{what} — {phrase} {stat} ({})", self.slot(src).0))
        }
    }

    /// A yes/no expression or any expression in words.
    pub fn expr(&self, ir: &Ir) -> String {
        let l = self.lang;
        match ir {
            Ir::Cmp(op, a, b) => self.comparison(*op, a, b),
            Ir::And(..) => {
                let mut parts = vec![];
                flatten(ir, true, &mut parts);
                parts.iter().map(|p| self.clause(p)).collect::<Vec<_>>().join(tr(l, "; and ", "; и "))
            }
            Ir::Or(..) => {
                let mut parts = vec![];
                flatten(ir, false, &mut parts);
                parts.iter().map(|p| self.clause(p)).collect::<Vec<_>>().join(tr(l, "; or ", "; или "))
            }
            Ir::Not(a) => match &**a {
                Ir::Slot(s) => match self.model.slots.get(s.0 as usize) {
                    Some(SlotKind::Met(c)) => {
                        format!("{} {}", tr(l, "not met: standard", "не выполнен стандарт"), self.standard_name(c))
                    }
                    _ if self.yes_no(*s) => format!("{}: {}", self.slot(*s).0, tr(l, "no", "нет")),
                    _ => format!("{} {}", tr(l, "not", "не"), self.clause(a)),
                },
                _ => format!("{} ({})", tr(l, "not so", "неверно, что"), self.expr(a)),
            },
            Ir::Slot(s) | Ir::Rounded(s, _) => match self.model.slots.get(s.0 as usize) {
                Some(SlotKind::Met(c)) => {
                    format!("{} {}", tr(l, "met: standard", "выполнен стандарт"), self.standard_name(c))
                }
                _ if self.yes_no(*s) => format!("{}: {}", self.slot(*s).0, tr(l, "yes", "да")),
                _ => self.slot(*s).0,
            },
            Ir::IsMissing(a, _) => format!("{}: {}", self.operand(a).0, tr(l, "no value", "нет значения")),
            Ir::Coalesce(a, b) => {
                format!("{} ({} {})", self.expr(a), tr(l, "if missing:", "при отсутствии —"), self.expr(b))
            }
            Ir::If(c, a, b) => format!(
                "{} {}, {} {}, {} {}",
                tr(l, "if", "если"),
                self.expr(c),
                tr(l, "then", "то"),
                self.expr(a),
                tr(l, "otherwise", "иначе"),
                self.expr(b)
            ),
            Ir::Const(x) => number(*x, l),
            Ir::Arith(..) | Ir::Neg(_) | Ir::Call(..) | Ir::RoundExpr(..) => self.formula(ir),
            Ir::MissingReason(a) => {
                format!("{} {}", tr(l, "why there is no value:", "причина отсутствия значения:"), self.operand(a).0)
            }
            Ir::Bands(a, arms, other, _) => {
                let (what, unit) = self.operand(a);
                let mut said: Vec<String> =
                    arms.iter().map(|(r, v)| format!("{} — {}", range_in_words(r, &unit, l), self.expr(v))).collect();
                if let Some(o) = other {
                    said.push(format!("{} — {}", otherwise(l), self.expr(o)));
                }
                format!("{} {what}: {}", tr(l, "by the value of", "в зависимости от"), said.join("; "))
            }
            Ir::Match(a, arms, other, _) => {
                let what = self.term(a);
                let mut said: Vec<String> =
                    arms.iter().map(|(opts, v)| format!("{} — {}", self.options(a, opts), self.expr(v))).collect();
                if let Some(o) = other {
                    said.push(format!("{} — {}", otherwise(l), self.expr(o)));
                }
                format!(
                    "{} {what}: {}",
                    tr(l, "by the answer to", "в зависимости от ответа на вопрос"),
                    said.join("; ")
                )
            }
        }
    }

    /// A part of an `and`/`or` list; a nested list of the other kind goes in brackets.
    fn clause(&self, ir: &Ir) -> String {
        match ir {
            Ir::And(..) | Ir::Or(..) => format!("({})", self.expr(ir)),
            _ => self.expr(ir),
        }
    }

    /// The unit of what a slot holds (`h`), as the rule files write it.
    pub fn unit_of(&self, s: Slot) -> String {
        self.slot(s).1
    }

    /// The formula that computes a slot (an indicator's value), over labels in «quotes».
    pub fn slot_formula(&self, slot: Slot) -> Option<String> {
        self.formula_of(slot).map(|ir| self.formula(ir))
    }

    /// The requirement of a standard in words, read from its compiled formula; its text as
    /// written when the formula cannot be found. Starts in lower case unless a label starts it
    /// ([`capitalise`] for the start of a sentence).
    pub fn requirement(&self, std: &Standard) -> String {
        match self.formula_of(std.met) {
            Some(ir) => self.expr(ir),
            None => std.requires_text.clone(),
        }
    }

    /// The conditions of a standard's levels in words, lowest first, with the levels' names.
    pub fn levels(&self, std: &Standard) -> Vec<(String, String)> {
        let mut conds = vec![];
        if let Some(mut cur) = self.formula_of(std.level) {
            while let Ir::If(c, _, rest) = cur {
                conds.push(&**c);
                cur = rest;
            }
        }
        conds.reverse();
        std.levels
            .iter()
            .enumerate()
            .map(|(k, lv)| {
                let words = conds.get(k).map_or_else(|| lv.text.clone(), |c| self.expr(c));
                (level_name(&lv.name, self.lang), words)
            })
            .collect()
    }

    /// The condition of a recommendation in words.
    pub fn condition(&self, rec: &Recommendation) -> String {
        match self.formula_of(rec.slot) {
            Some(ir) => self.expr(ir),
            None => rec.when_text.clone(),
        }
    }
}

fn flatten<'a>(ir: &'a Ir, and: bool, out: &mut Vec<&'a Ir>) {
    match (ir, and) {
        (Ir::And(a, b), true) | (Ir::Or(a, b), false) => {
            flatten(a, and, out);
            flatten(b, and, out);
        }
        _ => out.push(ir),
    }
}

/// The first letter in capitals.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(lo: Option<(f64, bool)>, hi: Option<(f64, bool)>) -> NumRange {
        NumRange {
            lo: lo.map(|(value, inclusive)| Bound { value, inclusive }),
            hi: hi.map(|(value, inclusive)| Bound { value, inclusive }),
        }
    }

    #[test]
    fn ranges_in_words() {
        let cases = [
            (
                range(Some((10.0, false)), Some((20.0, true))),
                "свыше 10 до 20 ч включительно",
                "over 10 up to and including 20 h",
            ),
            (range(Some((0.0, true)), Some((2.5, true))), "от 0 до 2,5 ч включительно", "from 0 to 2.5 h inclusive"),
            (range(None, Some((24.0, true))), "не более 24 ч", "at most 24 h"),
            (range(Some((48.0, false)), None), "свыше 48 ч", "over 48 h"),
            (range(Some((1.0, true)), Some((5.0, false))), "от 1 до менее 5 ч", "from 1 to below 5 h"),
            (range(None, None), "любое значение", "any value"),
        ];
        for (r, ru, en) in cases {
            assert_eq!(range_in_words(&r, "h", Lang::Ru), ru.replace(" ч", "\u{a0}ч"));
            assert_eq!(range_in_words(&r, "h", Lang::En), en.replace(" h", "\u{a0}h"));
        }
    }

    #[test]
    fn scoring_rules_in_words() {
        let g = ScoreRule::Goalposts { best: 2.0, worst: 72.0, log: false };
        assert_eq!(
            rule_in_words(&g, "h", Lang::Ru),
            "нормирование по целевым значениям: лучшее 2\u{a0}ч, худшее 72\u{a0}ч"
        );
        assert_eq!(rule_in_words(&g, "h", Lang::En), "goalposts: best 2\u{a0}h, worst 72\u{a0}h");
        let b = ScoreRule::Bands {
            bands: vec![(range(Some((10.0, false)), Some((20.0, true))), 50.0)],
            otherwise: Some(0.0),
        };
        assert_eq!(rule_in_words(&b, "", Lang::Ru), "по диапазонам: свыше 10 до 20 включительно → 50; иначе → 0");
        let y = ScoreRule::YesNo { yes: 100.0, no: 0.0 };
        assert_eq!(rule_in_words(&y, "", Lang::Ru), "да → 100, нет → 0");
    }

    #[test]
    fn numbers_plurals_units_and_levels() {
        assert_eq!(number(-2.5, Lang::Ru), "−2,5");
        assert_eq!(number(0.1, Lang::En), "0.1");
        assert_eq!(quantity(75.0, "%", Lang::Ru), "75\u{a0}%");
        assert_eq!(quantity(3.0, "count", Lang::Ru), "3");
        for (n, w) in
            [(1, "знак"), (2, "знака"), (5, "знаков"), (11, "знаков"), (21, "знак"), (22, "знака"), (112, "знаков")]
        {
            assert_eq!(plural(n, "знак", "знака", "знаков"), w, "{n}");
        }
        assert_eq!(level_name("basic", Lang::Ru), "базовый");
        assert_eq!(level_name("leading", Lang::En), "leading");
    }
}
