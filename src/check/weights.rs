//! `weights …` in an area: equal weights, a budget of points, Saaty's analytic hierarchy process
//! (fixed when the methodology is checked), or principal components (left to `eval`, which
//! derives them from each period's data).

use super::*;

/// Saaty's random consistency index RI for n = 1…15 (Saaty 1980, as the OECD/JRC Handbook, 2008,
/// section 6.1.5, uses it).
pub(crate) const RANDOM_INDEX: [f64; 15] =
    [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

/// Above this consistency ratio the comparisons are flagged (`tamga::check::ahp`).
pub const AHP_MAX_CR: f64 = 0.1;

/// The principal eigenvector (summing to 1) and eigenvalue of a positive reciprocal matrix, by
/// power iteration (the Perron vector: unique and positive).
pub(crate) fn ahp(matrix: Vec<Vec<f64>>) -> Ahp {
    let n = matrix.len();
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..10_000 {
        let next: Vec<f64> = matrix.iter().map(|row| row.iter().zip(&w).map(|(a, x)| a * x).sum()).collect();
        let total: f64 = next.iter().sum();
        let next: Vec<f64> = next.iter().map(|x| x / total).collect();
        let change = next.iter().zip(&w).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        w = next;
        if change < 1e-16 {
            break;
        }
    }
    // λmax = Σ (A·w)_i when Σ w = 1
    let lambda_max: f64 = matrix.iter().map(|row| row.iter().zip(&w).map(|(a, x)| a * x).sum::<f64>()).sum();
    let nf = n as f64;
    let (ci, ri) = if n > 2 { ((lambda_max - nf) / (nf - 1.0), RANDOM_INDEX[n - 1]) } else { (0.0, 0.0) };
    let ci = ci.max(0.0);
    let cr = if ri > 0.0 { ci / ri } else { 0.0 };
    Ahp { matrix, weights: w, lambda_max, ci, ri, cr }
}

impl<'a> Checker<'a> {
    /// Applies `weights …` to an area's children: their weights, and how they were obtained.
    pub(super) fn weights_from(
        &mut self,
        area: &str,
        w: &ast::WeightsDecl,
        children: &mut [Child],
        explicit: &[Option<Span>],
    ) -> Option<WeightsFrom> {
        let method = w.method.name.as_str();
        let methods = ["equal", "budget", "ahp", "pca"];
        if !methods.contains(&method) {
            let help = match diagnostics::suggest(method, methods) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "the methods are `equal`, `budget(100) { a: 40, b: 60 }`, `ahp { a vs b: 3 }` and `pca`".into(),
            };
            self.err(
                Diag::error(Code::Invalid, format!("unknown way of weighting `{method}`"))
                    .at(w.method.span, "here")
                    .help(help),
            );
            return None;
        }
        // the children's own `weight` would be silently overridden
        for (c, s) in children.iter().zip(explicit) {
            if let Some(s) = s {
                self.err(
                    Diag::error(
                        Code::Weight,
                        format!("`{}` has its own weight, but `{area}` declares `weights {method}`", c.id),
                    )
                    .at(*s, "its own weight")
                    .also(w.method.span, "the area's weights")
                    .help("remove the child's `weight`, or the area's `weights`"),
                );
            }
        }
        if method != "budget" {
            if let Some(a) = w.args.first() {
                self.err(
                    Diag::error(Code::Arguments, format!("`weights {method}` takes no arguments"))
                        .at(a.value.span, "remove this"),
                );
            }
        }
        if matches!(method, "equal" | "pca") {
            if let Some(e) = w.entries.first() {
                self.err(
                    Diag::error(Code::Arguments, format!("`weights {method}` takes no block of weights"))
                        .at(e.a.span, "remove the block")
                        .help(if method == "equal" {
                            "`weights equal` gives every child the same weight"
                        } else {
                            "`weights pca` derives the weights from each period's data"
                        }),
                );
            }
        }
        let ids: Vec<&str> = children.iter().map(|c| c.id.as_str()).collect();
        let position = |this: &mut Self, id: &ast::Ident| -> Option<usize> {
            let p = ids.iter().position(|c| *c == id.name);
            if p.is_none() {
                let help = match diagnostics::suggest(&id.name, ids.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the children of `{area}` are {}",
                        ids.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                    ),
                };
                this.err(
                    Diag::error(Code::UnknownName, format!("`{}` is not a scored child of `{area}`", id.name))
                        .at(id.span, "not a child")
                        .help(help),
                );
            }
            p
        };
        let n = children.len();
        match method {
            "equal" => {
                children.iter_mut().for_each(|c| c.weight = 1.0);
                Some(WeightsFrom::Equal)
            }
            "pca" => {
                if self.areas[area].aggregate != Aggregation::Mean {
                    self.err(
                        Diag::error(Code::Invalid, format!("`weights pca` in `{area}` needs `aggregate mean`"))
                            .at(w.method.span, "weights for an arithmetic mean")
                            .help("the Handbook's factor-analysis weights are for a weighted arithmetic mean; remove the `aggregate`"),
                    );
                    return None;
                }
                children.iter_mut().for_each(|c| c.weight = 1.0);
                Some(WeightsFrom::Pca)
            }
            "budget" => {
                let budget = w.args.first().and_then(|a| const_value(&a.value)).map(|(x, _)| x);
                let Some(budget) = budget.filter(|b| *b > 0.0 && b.is_finite()) else {
                    self.err(
                        Diag::error(Code::Arguments, "`weights budget` needs the budget, a positive number")
                            .at(w.method.span, "here")
                            .help(
                                "write `weights budget(100) { a: 40, b: 60 }`: each child's points out of the budget",
                            ),
                    );
                    return None;
                };
                let mut points: Vec<Option<f64>> = vec![None; n];
                let mut ok = true;
                for e in &w.entries {
                    if let Some(b) = &e.b {
                        self.err(
                            Diag::error(Code::Arguments, "a budget gives points to each child, not comparisons")
                                .at(b.span, "a comparison")
                                .help(format!("write `{}: 40`", e.a.name)),
                        );
                        ok = false;
                        continue;
                    }
                    let Some(i) = position(self, &e.a) else {
                        ok = false;
                        continue;
                    };
                    match const_value(&e.value) {
                        Some((x, false)) if x >= 0.0 && x.is_finite() => {
                            if points[i].replace(x).is_some() {
                                self.err(
                                    Diag::error(Code::Repeated, format!("`{}` is given points twice", e.a.name))
                                        .at(e.a.span, "again"),
                                );
                                ok = false;
                            }
                        }
                        _ => {
                            self.err(
                                Diag::error(
                                    Code::Arguments,
                                    format!("the points of `{}` must be a number ≥ 0", e.a.name),
                                )
                                .at(e.value.span, "here"),
                            );
                            ok = false;
                        }
                    }
                }
                let missing: Vec<&str> =
                    ids.iter().zip(&points).filter(|(_, p)| p.is_none()).map(|(c, _)| *c).collect();
                if ok && !missing.is_empty() {
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!("the budget of `{area}` gives no points to {}", quoted(&missing)),
                        )
                        .at(w.method.span, "every child needs its points")
                        .help(format!("add `{}: 0` to leave it out on purpose", missing[0])),
                    );
                    return None;
                }
                if !ok {
                    return None;
                }
                let points: Vec<f64> = points.into_iter().map(|p| p.unwrap_or(0.0)).collect();
                let total: f64 = points.iter().sum();
                if (total - budget).abs() > 1e-9 * budget {
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!(
                                "the points in `{area}` sum to {}, not to the budget {}",
                                crate::number::shortest(total),
                                crate::number::shortest(budget)
                            ),
                        )
                        .at(w.method.span, "a budget to allocate in full")
                        .help("a budget allocation shares out the whole budget: change the points or the budget"),
                    );
                    return None;
                }
                for (c, p) in children.iter_mut().zip(&points) {
                    c.weight = p / budget;
                }
                Some(WeightsFrom::Budget { budget, points })
            }
            _ => {
                // ahp
                if n > RANDOM_INDEX.len() {
                    self.err(
                        Diag::error(
                            Code::Weight,
                            format!("`weights ahp` compares at most {} children; `{area}` has {n}", RANDOM_INDEX.len()),
                        )
                        .at(w.method.span, "too many to compare")
                        .help("group the children into sub-areas, each weighted by its own comparisons"),
                    );
                    return None;
                }
                let mut m: Vec<Vec<Option<f64>>> = vec![vec![None; n]; n];
                let mut ok = true;
                for e in &w.entries {
                    let Some(b) = &e.b else {
                        self.err(
                            Diag::error(Code::Arguments, "`weights ahp` takes comparisons of two children")
                                .at(e.a.span, "one child")
                                .help(format!("write `{} vs other: 3` (3 times as important)", e.a.name)),
                        );
                        ok = false;
                        continue;
                    };
                    let (Some(i), Some(j)) = (position(self, &e.a), position(self, b)) else {
                        ok = false;
                        continue;
                    };
                    let x = match const_value(&e.value) {
                        Some((x, false)) if (1.0 / 9.0 - 1e-12..=9.0 + 1e-12).contains(&x) => x,
                        _ => {
                            self.err(
                                Diag::error(Code::Arguments, "a comparison is a number from 1/9 to 9 (Saaty's scale)")
                                    .at(e.value.span, "here")
                                    .help("1 equal importance, 3 moderate, 5 strong, 7 very strong, 9 extreme; 1/3 … the other way round"),
                            );
                            ok = false;
                            continue;
                        }
                    };
                    if i == j {
                        self.err(
                            Diag::error(Code::Arguments, format!("`{}` is compared with itself", e.a.name))
                                .at(b.span, "the same child"),
                        );
                        ok = false;
                    } else if m[i][j].is_some() {
                        self.err(
                            Diag::error(Code::Repeated, format!("`{}` and `{}` are compared twice", e.a.name, b.name))
                                .at(e.a.span, "again"),
                        );
                        ok = false;
                    } else {
                        m[i][j] = Some(x);
                        m[j][i] = Some(1.0 / x);
                    }
                }
                if !ok {
                    return None;
                }
                let mut missing = vec![];
                for i in 0..n {
                    m[i][i] = Some(1.0);
                    for j in i + 1..n {
                        if m[i][j].is_none() {
                            missing.push(format!("`{} vs {}`", ids[i], ids[j]));
                        }
                    }
                }
                if !missing.is_empty() {
                    self.err(
                        Diag::error(Code::Weight, format!("`weights ahp` in `{area}` lacks {}", missing.join(", ")))
                            .at(w.method.span, "every pair of children is compared once")
                            .help(format!(
                                "add `{}: 1` (equal importance) or another number from 1/9 to 9",
                                missing[0].trim_matches('`')
                            )),
                    );
                    return None;
                }
                let matrix: Vec<Vec<f64>> =
                    m.into_iter().map(|r| r.into_iter().map(|x| x.unwrap_or(1.0)).collect()).collect();
                let a = ahp(matrix);
                if a.cr > AHP_MAX_CR {
                    self.err(
                        Diag::warning(
                            Code::Ahp,
                            format!(
                                "the comparisons in `{area}` are inconsistent: consistency ratio {:.3} > {AHP_MAX_CR}",
                                a.cr
                            ),
                        )
                        .at(w.method.span, format!("CR = CI/RI = {:.3}/{:.2}", a.ci, a.ri))
                        .help("Saaty's rule: revise the comparisons until CR ≤ 0.1 (if a is 3 times b and b 3 times c, a should be near 9 times c)"),
                    );
                }
                for (c, x) in children.iter_mut().zip(&a.weights) {
                    c.weight = *x;
                }
                Some(WeightsFrom::Ahp(a))
            }
        }
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}
