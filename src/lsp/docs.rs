//! What the editor shows about the language itself: the functions of formulas, the scoring rules,
//! aggregations and missing-data policies with their named arguments, and the keywords (read from
//! the grammar, so that a new keyword is offered without a change here). The one-line docs follow
//! `docs/language.md`.

/// A function, scoring rule or policy: its name, what it is, its signature and one line of doc.
#[derive(Debug, Clone, Copy)]
pub struct Callable {
    /// The name: `goalposts`, `union_rank`.
    pub name: &'static str,
    /// Where it is written: `function`, `score`, `aggregate`, `missing`, `impute`, `treat`.
    pub what: &'static str,
    /// The signature: `goalposts(best: b, worst: w, log: yes)`.
    pub signature: &'static str,
    /// Its named arguments, in order.
    pub named: &'static [&'static str],
    /// One line: what it gives.
    pub doc: &'static str,
}

const fn c(
    name: &'static str,
    what: &'static str,
    signature: &'static str,
    named: &'static [&'static str],
    doc: &'static str,
) -> Callable {
    Callable { name, what, signature, named, doc }
}

/// Every function of formulas and every rule and policy with arguments.
pub const CALLABLES: &[Callable] = &[
    c("min", "function", "min(a, b, …)", &[], "the smallest of its arguments"),
    c("max", "function", "max(a, b, …)", &[], "the largest of its arguments"),
    c("sum", "function", "sum(a, b, …)", &[], "the sum of its arguments"),
    c("mean", "function", "mean(a, b, …)", &[], "the arithmetic mean of its arguments"),
    c("clamp", "function", "clamp(x, low, high)", &[], "x limited to [low, high]"),
    c("abs", "function", "abs(x)", &[], "the absolute value"),
    c(
        "round",
        "function",
        "round(x, digits, \"half_even\")",
        &[],
        "decimal-correct rounding (mode: the header's, or the one given)",
    ),
    c("ln", "function", "ln(x)", &[], "the natural logarithm (the same bits on every machine)"),
    c("exp", "function", "exp(x)", &[], "e to the power x"),
    c("sqrt", "function", "sqrt(x)", &[], "the square root"),
    c("pow", "function", "pow(x, y)", &[], "x to the power y"),
    c("count", "function", "count(group) or count(a, b, …)", &[], "the number of yes answers"),
    c("share", "function", "share(group) or share(a, b, …)", &[], "% of yes among the answered"),
    c("answered", "function", "answered(group) or answered(a, b, …)", &[], "the number answered"),
    c("is_missing", "function", "is_missing(x, \"confidential\")", &[], "yes if x is missing (for that reason)"),
    c("missing_reason", "function", "missing_reason(x)", &[], "a choice: the reason x is missing, or \"present\""),
    c("missing", "function", "missing(\"not_applicable\")", &[], "a missing value with that reason"),
    c("score", "function", "score(x)", &[], "the score of an indicator or an area"),
    c("union_mean", "function", "union_mean(x)", &[], "the mean over the states evaluated together"),
    c("union_median", "function", "union_median(x)", &[], "the median over the states evaluated together"),
    c("union_min", "function", "union_min(x)", &[], "the smallest value among the states"),
    c("union_max", "function", "union_max(x)", &[], "the largest value among the states"),
    c("union_sd", "function", "union_sd(x)", &[], "the sample standard deviation among the states (n − 1)"),
    c("union_sum", "function", "union_sum(x)", &[], "the sum over the states"),
    c("union_count", "function", "union_count(x)", &[], "the number of states with a value"),
    c(
        "union_rank",
        "function",
        "union_rank(x, ties: min)",
        &["ties"],
        "the rank among the states, largest = 1; ties `min`, `max` or `average`",
    ),
    c("union_percentile", "function", "union_percentile(x)", &[], "the percentile rank 0–100 among the states"),
    c(
        "goalposts",
        "score",
        "goalposts(best: b, worst: w, log: no)",
        &["best", "worst", "log"],
        "B + (T−B)·clamp((x − w)/(b − w), 0, 1); best < worst means lower is better",
    ),
    c("minmax", "score", "minmax", &[], "B + (T−B)·(x − min)/(max − min) over the states"),
    c(
        "zscore",
        "score",
        "zscore(center: 50, scale: 10)",
        &["center", "scale"],
        "center + scale·(x − mean)/sd over the states",
    ),
    c("rank", "score", "rank(ties: average)", &["ties"], "the rank by quality: the worst 1, the best n"),
    c("percentile", "score", "percentile", &[], "B + (T−B)·(r − 1)/(n − 1), r the rank by quality"),
    c(
        "distance",
        "score",
        "distance(to: mean, as: ratio)",
        &["to", "as"],
        "T·x/ref (T·ref/x if lower is better), or the difference",
    ),
    c(
        "threshold",
        "score",
        "threshold(p: 10, above: 100, within: 50, below: 0)",
        &["p", "above", "within", "below"],
        "above, within or below the mean by p %",
    ),
    c("categorical", "score", "categorical { ..25 => 0, … }", &[], "the score of the percentile class"),
    c("bands", "score", "bands { ..=5 => 100, 5<.. => 0 }", &[], "the score of the band holding the value"),
    c("yesno", "score", "yesno(yes: 100, no: 0)", &["yes", "no"], "for yes/no indicators"),
    c("value", "score", "value", &[], "the value itself is the score"),
    c("formula", "score", "formula(100 - value)", &[], "any formula; `value` is the indicator's value"),
    c("geometric", "aggregate", "geometric", &[], "weighted geometric mean"),
    c("harmonic", "aggregate", "harmonic", &[], "weighted harmonic mean"),
    c("power", "aggregate", "power(p: 2)", &["p"], "generalised mean (Σwᵢsᵢᵖ / Σwᵢ)^(1/p)"),
    c(
        "reweight",
        "missing",
        "reweight(min: 2/3)",
        &["min"],
        "aggregate over the children present, re-weighted, when enough are present",
    ),
    c(
        "zero",
        "missing",
        "zero(not_applicable: reweight)",
        &["not_applicable"],
        "a missing child counts as the bottom of the scale",
    ),
    c(
        "not_assessable",
        "missing",
        "not_assessable(not_applicable: reweight)",
        &["not_applicable"],
        "any missing child makes the area not assessable (the default)",
    ),
    c("group_mean", "impute", "group_mean(by: region)", &["by"], "the mean of the units of the same group"),
    c("group_median", "impute", "group_median(by: region)", &["by"], "the median of the units of the same group"),
    c(
        "winsorise",
        "treat",
        "winsorise(points: 5, skew: 2, kurtosis: 3.5)",
        &["points", "skew", "kurtosis"],
        "COINr's winsorisation of outliers, then a log transform if needed",
    ),
];

/// The function, rule or policy of this name (the functions of formulas first).
pub fn callable(name: &str) -> Option<&'static Callable> {
    CALLABLES.iter().find(|c| c.name == name)
}

/// The keywords of the language: every word the grammar (`grammar/tamga.pest`) writes in quotes.
pub fn keywords() -> Vec<&'static str> {
    let grammar = include_str!("../../grammar/tamga.pest");
    let mut words: Vec<&'static str> = vec![];
    let mut rest = grammar;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else { break };
        let word = &after[..close];
        if word.len() > 1 && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && !words.contains(&word) {
            words.push(word);
        }
        rest = &after[close + 1..];
    }
    // comments in the grammar name no keyword in quotes, but skip languages: they are labels
    words.retain(|w| !matches!(*w, "en" | "ru" | "kk" | "ky" | "hy" | "be"));
    words.sort_unstable();
    words
}
