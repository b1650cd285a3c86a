//! Scoring rules (`score goalposts(…)`, `score bands {…}`, `score formula(…)`, …): their
//! arguments and scale, and the gaps and overlaps between bands (of a scoring rule or of a
//! `bands` expression).

use crate::check::{const_value, to_range, Checker, Ty};
use crate::diagnostics::{self, Code, Diag};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind};

use super::expr::{decimal_comma, Cx};

impl Checker<'_> {
    /// Gaps and overlaps between bands (in any order of writing).
    pub(crate) fn check_bands(&mut self, ranges: &[(NumRange, Span)], block: Span) {
        for (r, s) in ranges {
            if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
                if lo.value > hi.value || (lo.value == hi.value && !(lo.inclusive && hi.inclusive)) {
                    self.err(
                        Diag::error(Code::Bands, format!("the band `{}` is empty", r.display()))
                            .at(*s, "no value lies in it")
                            .help("write the smaller bound first"),
                    );
                }
            }
        }
        let mut sorted: Vec<&(NumRange, Span)> = ranges.iter().collect();
        sorted.sort_by(|a, b| {
            let ka = a.0.lo.map(|b| (b.value, !b.inclusive));
            let kb = b.0.lo.map(|b| (b.value, !b.inclusive));
            match (ka, kb) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, _) => std::cmp::Ordering::Less,
                (_, None) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            }
        });
        let sh = crate::number::shortest;
        for w in sorted.windows(2) {
            let (a, sa) = (w[0].0, w[0].1);
            let (b, sb) = (w[1].0, w[1].1);
            let (ad, bd) = (a.display(), b.display());
            match (a.hi, b.lo) {
                (None, _) | (_, None) => {
                    self.err(
                        Diag::error(Code::Bands, format!("the bands `{ad}` and `{bd}` overlap"))
                            .at(sb, "overlaps")
                            .also(sa, "with this band")
                            .help("each value must fall in exactly one band"),
                    );
                }
                (Some(h), Some(l)) => {
                    if h.value < l.value {
                        self.err(
                            Diag::error(
                                Code::Bands,
                                format!("values between {} and {} fall in no band", sh(h.value), sh(l.value)),
                            )
                            .at(sb, "this band starts later")
                            .also(sa, "than this one ends")
                            .help(format!("make this band start where the previous one ends, at {}", sh(h.value))),
                        );
                    } else if h.value > l.value {
                        self.err(
                            Diag::error(
                                Code::Bands,
                                format!(
                                    "the bands `{ad}` and `{bd}` overlap between {} and {}",
                                    sh(l.value),
                                    sh(h.value)
                                ),
                            )
                            .at(sb, "overlaps")
                            .also(sa, "with this band")
                            .help("each value must fall in exactly one band: make one band end where the next begins"),
                        );
                    } else if h.inclusive && l.inclusive {
                        let v = sh(h.value);
                        self.err(
                            Diag::error(Code::Bands, format!("{v} falls in two bands: `{ad}` and `{bd}`"))
                                .at(sb, format!("includes {v}"))
                                .also(sa, format!("also includes {v}"))
                                .help(format!(
                                    "say which band {v} belongs to: `..={v}` then `{v}<..`, or `..{v}` then `{v}..`"
                                )),
                        );
                    } else if !h.inclusive && !l.inclusive {
                        let v = sh(h.value);
                        self.err(
                            Diag::error(
                                Code::Bands,
                                format!("{v} falls in no band: `{ad}` and `{bd}` both leave it out"),
                            )
                            .at(sb, format!("excludes {v}"))
                            .also(sa, format!("also excludes {v}"))
                            .help(format!(
                                "include {v} in one of them: `..={v}` then `{v}<..`, or `..{v}` then `{v}..`"
                            )),
                        );
                    }
                }
            }
        }
        let _ = block;
    }

    /// Compiles an indicator's scoring rule.
    pub(crate) fn score_rule(&mut self, i: usize, rule: &ast::ScoreRule, ty: &Ty, cx: &mut Cx) -> Option<ScoreRule> {
        let name = rule.name.name.as_str();
        let id = self.indicators[i].id.clone();
        let boolean = matches!(ty, Ty::Bool);
        let (bottom, top) = self.header_model.scale;
        const RULES: &[&str] = &[
            "goalposts",
            "minmax",
            "zscore",
            "rank",
            "percentile",
            "distance",
            "threshold",
            "categorical",
            "bands",
            "yesno",
            "value",
            "formula",
        ];
        if !RULES.contains(&name) {
            let help = match diagnostics::suggest(name, RULES.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the scoring rules are {}", RULES.join(", ")),
            };
            self.err(
                Diag::error(Code::Scoring, format!("unknown scoring rule `{name}`"))
                    .at(rule.name.span, "not a scoring rule")
                    .help(help),
            );
            return None;
        }
        if boolean && !matches!(name, "yesno" | "formula") {
            self.err(
                Diag::error(Code::Scoring, format!("`{id}` is yes/no: score it with `yesno`"))
                    .at(rule.name.span, "needs a number")
                    .help(format!(
                        "write `score yesno` (yes → {}, no → {}) or `score yesno(yes: 100, no: 0)`",
                        crate::number::shortest(top),
                        crate::number::shortest(bottom)
                    )),
            );
            return None;
        }
        if !boolean && name == "yesno" && !matches!(ty, Ty::Error) {
            self.err(
                Diag::error(Code::Scoring, format!("`{id}` is a number: `yesno` scores yes/no indicators"))
                    .at(rule.name.span, "not yes/no")
                    .help("use goalposts, bands or minmax"),
            );
            return None;
        }
        let allowed: &[&str] = match name {
            "goalposts" => &["best", "worst", "log"],
            "zscore" => &["center", "scale"],
            "rank" => &["ties", "order"],
            "percentile" => &["definition", "ties"],
            "distance" => &["to", "as"],
            "threshold" => &["p", "above", "within", "below"],
            "yesno" => &["yes", "no"],
            "formula" => &[],
            _ => &[],
        };
        let mut named: Vec<(&str, &ast::Expr)> = vec![];
        let mut positional: Vec<&ast::Expr> = vec![];
        for a in &rule.args {
            match &a.name {
                Some(n) if allowed.contains(&n.name.as_str()) => {
                    if named.iter().any(|(k, _)| *k == n.name) {
                        self.err(
                            Diag::error(Code::Repeated, format!("`{}` is given twice", n.name)).at(n.span, "again"),
                        );
                    }
                    named.push((n.name.as_str(), &a.value));
                }
                Some(n) => {
                    let help = if allowed.is_empty() {
                        format!("`{name}` takes no named arguments")
                    } else {
                        format!(
                            "`{name}` takes {}",
                            allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                        )
                    };
                    self.err(
                        Diag::error(Code::Arguments, format!("`{name}` has no argument `{}`", n.name))
                            .at(n.span, "unknown argument")
                            .help(help),
                    );
                }
                None => positional.push(&a.value),
            }
        }
        if let Some(d) = decimal_comma(self.src, &rule.args) {
            self.err(d);
            return None;
        }
        if name != "formula" {
            if let Some(p) = positional.first() {
                let values: Vec<String> = positional.iter().map(|e| self.src.slice(e.span).to_string()).collect();
                let example = allowed
                    .iter()
                    .enumerate()
                    .map(|(k, a)| format!("{a}: {}", values.get(k).map(String::as_str).unwrap_or("…")))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.err(
                    Diag::error(Code::Arguments, format!("name the arguments of `{name}`"))
                        .at(p.span, "unnamed")
                        .help(format!("write `{name}({example})`")),
                );
                return None;
            }
        }
        if rule.bands.is_some() && !matches!(name, "bands" | "categorical") {
            self.err(
                Diag::error(Code::Scoring, format!("`{name}` takes no block of bands"))
                    .at(rule.span, "here")
                    .help("only `bands` and `categorical` have a `{ … }` block"),
            );
        }
        let num = |c: &mut Self, key: &str, default: Option<f64>| -> Option<f64> {
            match named.iter().find(|(k, _)| *k == key) {
                Some((_, e)) => match const_value(e) {
                    Some((x, _)) => Some(x),
                    None => {
                        c.err(
                            Diag::error(Code::Arguments, format!("`{key}` must be a number written here"))
                                .at(e.span, "not a number"),
                        );
                        None
                    }
                },
                None => {
                    if default.is_none() {
                        c.err(
                            Diag::error(Code::Arguments, format!("`{name}` needs `{key}`"))
                                .at(rule.span, format!("`{key}` missing"))
                                .help(format!("write `{key}: …`")),
                        );
                    }
                    default
                }
            }
        };
        let word = |key: &str| -> Option<(String, Span)> {
            named.iter().find(|(k, _)| *k == key).map(|(_, e)| match &e.kind {
                ExprKind::Name(n) => (n.name.clone(), n.span),
                ExprKind::Bool(true) => ("yes".into(), e.span),
                ExprKind::Bool(false) => ("no".into(), e.span),
                _ => (String::new(), e.span),
            })
        };
        let dir = self.indicators[i].direction;
        let explicit_dir = self.i_decls[i].0.body.iter().any(|it| matches!(it.kind, ast::ItemKind::Direction(_)));
        Some(match name {
            "goalposts" => {
                let best = num(self, "best", None)?;
                let worst = num(self, "worst", None)?;
                let log = match word("log") {
                    None => false,
                    Some((w, _)) if w == "yes" => true,
                    Some((w, _)) if w == "no" => false,
                    Some((_, s)) => {
                        self.err(Diag::error(Code::Arguments, "`log` is yes or no").at(s, "here"));
                        false
                    }
                };
                if best == worst {
                    self.err(
                        Diag::error(Code::Scoring, format!("the goalposts of `{id}` are equal (best = worst = {})", crate::number::shortest(best)))
                            .at(rule.span, "cannot score between equal goalposts")
                            .help("best is the value that scores the top of the scale, worst the value that scores the bottom: they must differ"),
                    );
                    return None;
                }
                if log && (best <= 0.0 || worst <= 0.0) {
                    self.err(
                        Diag::error(Code::Scoring, "log goalposts must be positive")
                            .at(rule.span, "here")
                            .help("the logarithm of 0 or a negative number is undefined"),
                    );
                    return None;
                }
                let says_lower = best < worst;
                if explicit_dir && says_lower != (dir == Direction::LowerIsBetter) {
                    let (d1, d2) = if says_lower { ("lower", "higher") } else { ("higher", "lower") };
                    self.err(
                        Diag::error(Code::Scoring, format!("the goalposts of `{id}` say {d1} is better, but the indicator is declared {d2}_is_better"))
                            .at(rule.span, format!("best {} worst", if says_lower { "<" } else { ">" }))
                            .help("swap `best` and `worst`, or change the direction"),
                    );
                }
                if !explicit_dir && says_lower {
                    self.indicators[i].direction = Direction::LowerIsBetter;
                }
                ScoreRule::Goalposts { best, worst, log }
            }
            "minmax" => ScoreRule::MinMax,
            "zscore" => {
                ScoreRule::ZScore { center: num(self, "center", Some(0.0))?, scale: num(self, "scale", Some(1.0))? }
            }
            "rank" | "percentile" => {
                let default_ties = if name == "rank" { Ties::Min } else { Ties::Average };
                let ties = match word("ties") {
                    None => default_ties,
                    Some((w, s)) => match w.as_str() {
                        "min" => Ties::Min,
                        "max" => Ties::Max,
                        "average" => Ties::Average,
                        _ => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown tie rule")
                                    .at(s, "here")
                                    .help("write `ties: min`, `ties: max` or `ties: average`"),
                            );
                            default_ties
                        }
                    },
                };
                if name == "rank" {
                    let descending = match word("order") {
                        None => false,
                        Some((w, _)) if w == "ascending" => false,
                        Some((w, _)) if w == "descending" => true,
                        Some((_, s)) => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown order of ranks")
                                    .at(s, "here")
                                    .help("write `order: ascending` (the worst 1, the best n; the default) or `order: descending` (the best 1)"),
                            );
                            false
                        }
                    };
                    ScoreRule::Rank { ties, descending }
                } else {
                    let over_n = match word("definition") {
                        None => false,
                        Some((w, _)) if w == "rank_over_n" => true,
                        Some((w, _)) if w == "interpolated" => false,
                        Some((_, s)) => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown definition of the percentile rank")
                                    .at(s, "here")
                                    .help("write `definition: interpolated` ((r − 1)/(n − 1), the default) or `definition: rank_over_n` (r/n, the OECD/JRC Handbook's)"),
                            );
                            false
                        }
                    };
                    ScoreRule::Percentile { over_n, ties }
                }
            }
            "distance" => {
                let to = match named.iter().find(|(k, _)| *k == "to") {
                    None => {
                        self.err(
                            Diag::error(Code::Arguments, "`distance` needs `to`")
                                .at(rule.span, "here")
                                .help("write `distance(to: mean)`, `to: best`, `to: worst` or `to: 24` (a target)"),
                        );
                        return None;
                    }
                    Some((_, e)) => match (&e.kind, const_value(e)) {
                        (_, Some((x, _))) => Reference::Target(x),
                        (ExprKind::Name(n), _) if n.name == "mean" => Reference::Mean,
                        (ExprKind::Name(n), _) if n.name == "best" => Reference::Best,
                        (ExprKind::Name(n), _) if n.name == "worst" => Reference::Worst,
                        _ => {
                            self.err(
                                Diag::error(Code::Arguments, "unknown reference")
                                    .at(e.span, "here")
                                    .help("write `to: mean`, `to: best`, `to: worst` or a number"),
                            );
                            return None;
                        }
                    },
                };
                let how = match word("as") {
                    None => DistanceKind::Ratio,
                    Some((w, _)) if w == "ratio" => DistanceKind::Ratio,
                    Some((w, _)) if w == "difference" => DistanceKind::Difference,
                    Some((w, _)) if w == "relative" => DistanceKind::Relative,
                    Some((_, s)) => {
                        self.err(
                            Diag::error(Code::Arguments, "`as` is `ratio`, `difference` or `relative`")
                                .at(s, "here")
                                .help("`ratio`: x / ref; `difference`: x − ref; `relative`: (x − ref) / ref"),
                        );
                        DistanceKind::Ratio
                    }
                };
                if let Reference::Target(0.0) = to {
                    if how != DistanceKind::Difference {
                        self.err(
                            Diag::error(
                                Code::Scoring,
                                format!(
                                    "a {} to a target of 0 is undefined",
                                    if how == DistanceKind::Ratio { "ratio" } else { "relative difference" }
                                ),
                            )
                            .at(rule.span, "here")
                            .help("use `as: difference`"),
                        );
                        return None;
                    }
                }
                ScoreRule::Distance { to, how }
            }
            "threshold" => {
                let p = num(self, "p", None)?;
                if p < 0.0 {
                    self.err(Diag::error(Code::Scoring, "the threshold p must be ≥ 0").at(rule.span, "here"));
                    return None;
                }
                ScoreRule::Threshold {
                    p,
                    above: num(self, "above", Some(top))?,
                    within: num(self, "within", Some((top + bottom) / 2.0))?,
                    below: num(self, "below", Some(bottom))?,
                }
            }
            "categorical" | "bands" => {
                let Some(block) = &rule.bands else {
                    self.err(
                        Diag::error(Code::Scoring, format!("`{name}` needs a block of bands"))
                            .at(rule.span, "no `{ … }`")
                            .help(if name == "bands" { "write `score bands { ..5 => 100, 5..10 => 75, 10.. => 0 }`" } else { "write `score categorical { ..25 => 0, 25..50 => 33, 50..75 => 67, 75.. => 100 }` (percentile classes)" }),
                    );
                    return None;
                };
                let ranges: Vec<(NumRange, Span)> = block.arms.iter().map(|(r, _)| (to_range(r), r.span)).collect();
                self.check_bands(&ranges, block.span);
                let mut out = vec![];
                for (r, e) in &block.arms {
                    match const_value(e) {
                        Some((x, _)) => out.push((to_range(r), x)),
                        None => self.err(
                            Diag::error(Code::Scoring, "a band's score must be a number written here")
                                .at(e.span, "not a number")
                                .help("for a computed score use `score formula(…)`"),
                        ),
                    }
                }
                let otherwise = match &block.otherwise {
                    None => None,
                    Some(e) => match const_value(e) {
                        Some((x, _)) => Some(x),
                        None => {
                            self.err(
                                Diag::error(Code::Scoring, "the `else` score must be a number")
                                    .at(e.span, "not a number"),
                            );
                            None
                        }
                    },
                };
                if name == "categorical" {
                    if otherwise.is_some() {
                        self.err(
                            Diag::error(Code::Scoring, "percentile classes cover 0–100: no `else`")
                                .at(block.span, "here"),
                        );
                    }
                    ScoreRule::Categorical { classes: out }
                } else {
                    ScoreRule::Bands { bands: out, otherwise }
                }
            }
            "yesno" => ScoreRule::YesNo { yes: num(self, "yes", Some(top))?, no: num(self, "no", Some(bottom))? },
            "value" => ScoreRule::Value,
            _ => {
                // formula(expr), with `value` bound to the indicator's value
                let [e] = positional.as_slice() else {
                    self.err(
                        Diag::error(Code::Arguments, "`formula` takes one expression")
                            .at(rule.span, "here")
                            .help("write `score formula(100 - value)`"),
                    );
                    return None;
                };
                cx.value = Some((self.indicators[i].value, ty.clone()));
                let (ir, t) = self.lower(e, cx);
                self.want_num(&t, e.span, "as a score");
                ScoreRule::Formula { ir, text: crate::syntax::print::expr(e) }
            }
        })
    }
}
