//! The fixed texts of the statistical audit in English and Russian, and the audit as plain text
//! for the terminal and a Board paper (`tamga audit`).

use super::view::{AuditView, Cell};
use crate::i18n::Lang;
use std::fmt::Write;

/// Every fixed text of the audit in one language.
#[derive(Debug)]
pub struct AuditTexts {
    /// The section's title.
    pub title: &'static str,
    /// "period".
    pub period: &'static str,
    /// "version".
    pub version: &'static str,
    /// What is computed and how (one paragraph).
    pub method: &'static str,
    /// How to read a node's table.
    pub table_note: &'static str,
    /// "States".
    pub states: &'static str,
    /// Column: the child's number.
    pub num: &'static str,
    /// Column: the child.
    pub child: &'static str,
    /// Column heading of the correlations with the node.
    pub with_node: &'static str,
    /// Column heading of the correlations between children.
    pub between: &'static str,
    /// "indicator" / "indicators" (1, many).
    pub indicators: (&'static str, &'static str, &'static str),
    /// "area" / "areas".
    pub areas: (&'static str, &'static str, &'static str),
    /// Cronbach's alpha, short.
    pub alpha: &'static str,
    /// Complete cases, for alpha: "over the {n} states with every score".
    pub alpha_complete: &'static str,
    /// A figure that cannot be computed.
    pub dash_note: &'static str,
    /// Reason: too few pairs: "{n} states with both scores, 3 needed".
    pub too_few_pairs: &'static str,
    /// Reason: no variance: "{id} has the same score in every state".
    pub no_variance: &'static str,
    /// Reason: alpha of one child.
    pub one_child: &'static str,
    /// Reason: every child constant.
    pub zero_total_variance: &'static str,
    /// Note: pairs over fewer states than the period's.
    pub fewer_units: &'static str,
    /// Flag: negative correlation with the node.
    pub flag_negative: &'static str,
    /// Flag: nearly collinear pair.
    pub flag_collinear: &'static str,
    /// "Flags".
    pub flags: &'static str,
    /// No flag in the period.
    pub no_flags: &'static str,
    /// Summary of the flags of a period: "{neg} {negative}, {col} {collinear}".
    pub flag_summary: &'static str,
    /// "negative correlation(s) with the area" (one, few, many).
    pub negative_words: (&'static str, &'static str, &'static str),
    /// "nearly collinear pair(s)" (one, few, many).
    pub collinear_words: (&'static str, &'static str, &'static str),
    /// Heading: data availability.
    pub availability: &'static str,
    /// What availability counts: "{k} scored indicators".
    pub availability_note: &'static str,
    /// Column: values present.
    pub present: &'static str,
    /// Column: share present.
    pub share: &'static str,
    /// Column: missing values with reasons.
    pub missing: &'static str,
    /// Heading: indicators with missing values.
    pub incomplete_indicators: &'static str,
    /// Every indicator complete.
    pub all_complete: &'static str,
    /// Units left out by screening: "{unit}: {share} < {threshold}".
    pub screened_out: &'static str,
    /// Column heading of the overall availability.
    pub overall: &'static str,
    /// Column heading of a unit.
    pub state: &'static str,
    /// Column heading of an indicator.
    pub indicator: &'static str,
    /// The legend of the colours (HTML): negative, weak, moderate to strong, nearly collinear.
    pub legend: [&'static str; 4],
    /// Quotes.
    pub quotes: (&'static str, &'static str),
    /// Column: Cronbach's alpha without the child.
    pub alpha_drop: &'static str,
    /// Column: the corrected item-total correlation.
    pub item_rest: &'static str,
    /// "Eigenvalues (share of variance, cumulative)".
    pub eigenvalues: &'static str,
    /// Heading of a set named on the command line.
    pub set: &'static str,
    /// Heading of the correlation matrix of every scored indicator.
    pub matrix: &'static str,
}

const EN: AuditTexts = AuditTexts {
    title: "Statistical audit",
    period: "period",
    version: "version",
    method: "Correlations are computed on the scores, which is what each area aggregates (indicator \
             scores after imputation, treatment and scoring; sub-area scores), over the states of the \
             period that have both scores (pairwise-complete observations, as COINr's get_corr). \
             r is Pearson's correlation and p its two-sided p-value (t-test, as R's cor.test); ρ is \
             Spearman's rank correlation, with average ranks for ties. Cronbach's α is that of COINr's \
             get_cronbach (covariances over pairwise-complete observations). Flags: a child negatively \
             correlated with its area (r < 0); two children nearly collinear (|r| > 0.92). A figure needs \
             at least 3 states with both values and a spread in each; otherwise it is shown as — with \
             the reason. Data availability counts the indicators' values before imputation.",
    table_note: "n, r, p, ρ: each child against the area's own score. α w/o: Cronbach's α of the other \
                 children; r rest: the child's correlation with the sum of the others (corrected item-total). \
                 The numbered columns: r between children above the diagonal, ρ below.",
    states: "States",
    num: "#",
    child: "child",
    with_node: "with the area",
    between: "between children",
    indicators: ("indicator", "indicators", "indicators"),
    areas: ("area", "areas", "areas"),
    alpha: "Cronbach's α",
    alpha_complete: "over the {n} states with every score",
    dash_note: "not computable",
    too_few_pairs: "{n} states with both scores, 3 needed",
    no_variance: "{id} has the same score in every state",
    one_child: "one child",
    zero_total_variance: "every child has the same score in every state",
    fewer_units: "over fewer states",
    flag_negative: "{child} is negatively correlated with the score of {area}: r = {r} (n = {n})",
    flag_collinear: "{a} and {b} are nearly collinear: r = {r} (n = {n}); one may duplicate the other",
    flags: "Flags",
    no_flags: "No flags.",
    flag_summary: "Flags: {neg} {negative} with the area, {col} {collinear}.",
    negative_words: ("negative correlation", "negative correlations", "negative correlations"),
    collinear_words: ("nearly collinear pair", "nearly collinear pairs", "nearly collinear pairs"),
    availability: "Data availability",
    availability_note: "Values of the {k} scored indicators before imputation, per state (overall and \
                        within each area, as COINr's get_data_avail) and per indicator.",
    present: "present",
    share: "share",
    missing: "missing",
    incomplete_indicators: "Indicators with missing values",
    all_complete: "Every indicator has a value for every state.",
    screened_out: "Left out by screening: {unit} ({share}, threshold {threshold}).",
    overall: "all",
    state: "State",
    indicator: "Indicator",
    legend: ["r < 0", "0 ≤ r < 0.3", "0.3 ≤ r ≤ 0.92", "|r| > 0.92: nearly collinear"],
    quotes: ("“", "”"),
    alpha_drop: "α w/o",
    item_rest: "r rest",
    eigenvalues: "Eigenvalues of the correlations (share of variance, cumulative)",
    set: "Set",
    matrix: "Correlations of every scored indicator (Pearson's r, pairwise-complete observations)",
};

const RU: AuditTexts = AuditTexts {
    title: "Статистический аудит",
    period: "период",
    version: "версия",
    method: "Корреляции рассчитаны по оценкам, то есть по тому, что агрегирует каждое направление \
             (оценки показателей после восстановления пропусков, обработки выбросов и оценивания; \
             оценки поднаправлений), по государствам периода, имеющим обе оценки (попарно полные \
             наблюдения, как get_corr в COINr). r — коэффициент корреляции Пирсона, p — его двусторонний \
             p-уровень (t-критерий, как cor.test в R); ρ — ранговая корреляция Спирмена, при совпадениях \
             — средние ранги. α Кронбаха — как get_cronbach в COINr (ковариации по попарно полным \
             наблюдениям). Отметки: элемент, отрицательно коррелирующий со своим направлением (r < 0); \
             два элемента, почти коллинеарные (|r| > 0,92). Для расчёта нужны не менее 3 государств с \
             обоими значениями и разброс в каждом столбце; иначе показано — с причиной. Наличие данных \
             считается по значениям показателей до восстановления пропусков.",
    table_note: "n, r, p, ρ: каждый элемент в сравнении с оценкой самого направления. α без: α Кронбаха \
                 остальных элементов; r ост.: корреляция элемента с суммой остальных (скорректированная \
                 корреляция с итогом). Нумерованные столбцы: r между элементами выше диагонали, ρ ниже.",
    states: "Государства",
    num: "№",
    child: "элемент",
    with_node: "с направлением",
    between: "между элементами",
    indicators: ("показатель", "показателя", "показателей"),
    areas: ("направление", "направления", "направлений"),
    alpha: "α Кронбаха",
    alpha_complete: "по {n} государствам со всеми оценками",
    dash_note: "не рассчитывается",
    too_few_pairs: "государств с обеими оценками: {n}, нужно 3",
    no_variance: "у {id} одинаковая оценка во всех государствах",
    one_child: "один элемент",
    zero_total_variance: "у каждого элемента одинаковая оценка во всех государствах",
    fewer_units: "по меньшему числу государств",
    flag_negative: "{child} отрицательно коррелирует с оценкой {area}: r = {r} (n = {n})",
    flag_collinear: "{a} и {b} почти коллинеарны: r = {r} (n = {n}); один может дублировать другой",
    flags: "Отметки",
    no_flags: "Отметок нет.",
    flag_summary: "Отметки: {neg} {negative} с направлением, {col} {collinear}.",
    negative_words: ("отрицательная корреляция", "отрицательные корреляции", "отрицательных корреляций"),
    collinear_words: ("почти коллинеарная пара", "почти коллинеарные пары", "почти коллинеарных пар"),
    availability: "Наличие данных",
    availability_note: "Значения {k} оцениваемых показателей до восстановления пропусков, по государствам \
                        (в целом и внутри каждого направления, как get_data_avail в COINr) и по показателям.",
    present: "есть",
    share: "доля",
    missing: "нет",
    incomplete_indicators: "Показатели с пропусками",
    all_complete: "У каждого показателя есть значения для всех государств.",
    screened_out: "Исключено при отборе: {unit} ({share}, порог {threshold}).",
    overall: "всего",
    state: "Государство",
    indicator: "Показатель",
    legend: ["r < 0", "0 ≤ r < 0,3", "0,3 ≤ r ≤ 0,92", "|r| > 0,92: почти коллинеарны"],
    quotes: ("«", "»"),
    alpha_drop: "α без",
    item_rest: "r ост.",
    eigenvalues: "Собственные значения корреляций (доля дисперсии, накопленная)",
    set: "Набор",
    matrix: "Корреляции всех оцениваемых показателей (r Пирсона, попарно полные наблюдения)",
};

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static AuditTexts {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// The word for `n` things in the language: (one, few, many) as Russian needs (1 показатель,
/// 2 показателя, 5 показателей; [`crate::i18n::ru_form`]); English uses one and many.
pub fn plural(lang: Lang, n: usize, forms: (&'static str, &'static str, &'static str)) -> &'static str {
    match lang {
        Lang::En if n == 1 => forms.0,
        Lang::En => forms.2,
        Lang::Ru => [forms.0, forms.1, forms.2][crate::i18n::ru_form(n as f64)],
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Wraps a paragraph at `cols` characters, every line starting with `indent`.
pub fn wrap(text: &str, cols: usize, indent: &str) -> String {
    hanging(text, cols, indent, indent)
}

/// Wraps a paragraph at `cols` characters: the first line starts with `first`, the others with
/// `rest`.
pub fn hanging(text: &str, cols: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut indent = first;
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        if width(&line) > width(indent) && width(&line) + 1 + width(word) > cols {
            out.push_str(line.trim_end());
            out.push('\n');
            indent = rest;
            line = String::from(indent);
        }
        if width(&line) > width(indent) {
            line.push(' ');
        }
        line.push_str(word);
    }
    if width(&line) > width(indent) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Lays rows of cells out in columns: the first `left` columns aligned left, the others right;
/// then each row's `tail` (free text), if any, after two spaces.
fn columns(rows: &[Vec<String>], left: usize, indent: &str, tails: &[String]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..n).map(|k| rows.iter().filter_map(|r| r.get(k)).map(|s| width(s)).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::from(indent);
        for (k, cell) in r.iter().enumerate() {
            if k > 0 {
                line.push_str("  ");
            }
            if k < left {
                line.push_str(&pad_right(cell, widths[k]));
            } else {
                line.push_str(&pad_left(cell, widths[k]));
            }
        }
        if let Some(tail) = tails.get(i).filter(|t| !t.is_empty()) {
            line.push_str("  ");
            line.push_str(tail);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The audit as plain text: per period, the method, every node's table with its flags and notes,
/// then data availability.
pub fn render(v: &AuditView) -> String {
    let t = v.t;
    let mut out = String::new();
    for (k, p) in v.periods.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{} · {} · {} {} · {} {}", t.title, v.title, t.version, v.version, t.period, p.period);
        out.push('\n');
        out.push_str(&wrap(t.method, 100, ""));
        out.push('\n');
        out.push_str(&wrap(t.table_note, 100, ""));
        out.push('\n');
        let _ = writeln!(out, "{} ({}): {}", t.states, p.unit_count, p.units);
        let _ = writeln!(out, "{}", p.flag_summary);
        for a in &p.areas {
            out.push('\n');
            let _ = writeln!(out, "{} ({})", a.label, a.id);
            out.push_str(&wrap(&a.summary, 100, "  "));
            let mut rows: Vec<Vec<String>> = vec![];
            let mut tails = vec![String::new()];
            let mut head = vec![
                t.num.to_string(),
                t.child.to_string(),
                "n".into(),
                "r".into(),
                "p".into(),
                "ρ".into(),
                t.alpha_drop.into(),
                t.item_rest.into(),
            ];
            head.push("│".into());
            head.extend(a.heads.iter().cloned());
            rows.push(head);
            for r in &a.rows {
                let mut row = vec![
                    if r.flagged { format!("!{}", r.num) } else { r.num.clone() },
                    r.id.clone(),
                    r.n.clone(),
                    r.r.text.clone(),
                    r.p.clone(),
                    r.rho.text.clone(),
                    r.alpha_drop.clone(),
                    r.item_rest.clone(),
                    "│".into(),
                ];
                row.extend(r.cells.iter().map(|c: &Cell| c.text.clone()));
                rows.push(row);
                tails.push(r.label.clone());
            }
            out.push_str(&columns(&rows, 2, "  ", &tails));
            for f in &a.flags {
                out.push_str(&hanging(f, 100, "  ! ", "    "));
            }
            out.push_str(&hanging(&a.components, 100, "  ", "    "));
            for n in &a.notes {
                out.push_str(&hanging(n, 100, "  — ", "    "));
            }
        }
        if let Some(s) = &p.set {
            out.push('\n');
            out.push_str(&hanging(&s.summary, 100, "", "  "));
            let mut rows = vec![vec![t.child.to_string(), t.alpha_drop.to_string(), t.item_rest.to_string()]];
            let mut tails = vec![String::new()];
            for [id, label, a, r] in &s.rows {
                rows.push(vec![id.clone(), a.clone(), r.clone()]);
                tails.push(label.clone());
            }
            out.push_str(&columns(&rows, 1, "  ", &tails));
            out.push_str(&hanging(&s.components, 100, "  ", "    "));
        }
        if let Some(m) = &p.matrix {
            out.push('\n');
            let _ = writeln!(out, "{} · {} {}", t.matrix, t.period, p.period);
            let mut head = vec![t.num.to_string(), t.indicator.to_string(), "│".into()];
            head.extend(m.heads.iter().cloned());
            let mut rows = vec![head];
            let mut tails = vec![String::new()];
            for (num, id, label, cells) in &m.rows {
                let mut row = vec![num.clone(), id.clone(), "│".into()];
                row.extend(cells.iter().cloned());
                rows.push(row);
                tails.push(label.clone());
            }
            out.push_str(&columns(&rows, 2, "  ", &tails));
        }
        // availability
        let av = &p.availability;
        out.push('\n');
        let _ = writeln!(out, "{} · {} {}", t.availability, t.period, p.period);
        out.push('\n');
        out.push_str(&wrap(&av.note, 100, ""));
        out.push('\n');
        let mut rows = vec![];
        let mut head = vec![t.state.to_string(), t.present.to_string(), t.share.to_string()];
        head.extend(av.areas.iter().map(|a| a.id.clone()));
        rows.push(head);
        for u in &av.units {
            let mut row = vec![u.unit.clone(), u.present.clone(), u.share.clone()];
            row.extend(u.areas.iter().cloned());
            rows.push(row);
        }
        out.push_str(&columns(&rows, 1, "  ", &[]));
        for s in &av.screened_out {
            out.push_str(&wrap(s, 100, "  "));
        }
        out.push('\n');
        if av.indicators.is_empty() {
            let _ = writeln!(out, "{}", t.all_complete);
        } else {
            let _ = writeln!(out, "{} ({}):", t.incomplete_indicators, av.indicators.len());
            let mut rows = vec![vec![t.indicator.to_string(), t.present.to_string(), t.share.to_string()]];
            let mut tails = vec![t.missing.to_string()];
            for i in &av.indicators {
                rows.push(vec![i.id.clone(), i.present.clone(), i.share.clone()]);
                tails.push(i.missing.clone());
            }
            out.push_str(&columns(&rows, 1, "  ", &tails));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let f = ("показатель", "показателя", "показателей");
        let got: Vec<&str> = [1, 2, 5, 11, 12, 21, 22, 25, 111].iter().map(|n| plural(Lang::Ru, *n, f)).collect();
        assert_eq!(
            got,
            [
                "показатель",
                "показателя",
                "показателей",
                "показателей",
                "показателей",
                "показатель",
                "показателя",
                "показателей",
                "показателей"
            ]
        );
        assert_eq!(plural(Lang::En, 1, ("indicator", "indicators", "indicators")), "indicator");
        assert_eq!(plural(Lang::En, 0, ("indicator", "indicators", "indicators")), "indicators");
    }

    #[test]
    fn paragraphs_wrap_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc dd", 5, ""), "aa bb\ncc dd\n");
        assert_eq!(wrap("aa bb", 10, "  "), "  aa bb\n");
    }
}
