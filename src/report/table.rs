//! The terminal table: units × areas with the index, per period, under the result's status
//! line (draft or approved, version, fingerprint, the data's notes).

use crate::eval::Outcome;
use crate::i18n::Lang;
use crate::model::*;
use std::fmt::Write;

fn cell(v: Val, prec: u32, mode: crate::number::Rounding, lang: Lang) -> String {
    crate::i18n::fixed(lang, v.ok(), prec, mode)
}

/// Renders the table of every period, under the status line and the data's notes, however
/// wide it comes out.
pub fn render(model: &Model, outcome: &Outcome, status: &super::status::Status, lang: Lang) -> String {
    render_fit(model, outcome, status, lang, usize::MAX)
}

/// [`render`] for a terminal `width` columns wide: headers longer than their column's figures
/// are cut (`classif…`; the legend under the table names each column in full) until the table
/// fits, where it can, and the lines of text (notes, legend) are wrapped.
pub fn render_fit(
    model: &Model,
    outcome: &Outcome,
    status: &super::status::Status,
    lang: Lang,
    width: usize,
) -> String {
    let text = render_table(model, outcome, status, lang, width);
    if width == usize::MAX {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&wrap(line, width));
        out.push('\n');
    }
    out
}

/// A line of text wrapped at spaces to `width` columns; the continuation lines are indented
/// four columns more than the line. A line that fits, or a word longer than the width, stays.
fn wrap(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_string();
    }
    let lead = line.len() - line.trim_start().len();
    let indent = " ".repeat(lead + 4);
    let mut out = String::new();
    let mut current = line[..lead].to_string();
    let mut len = lead;
    let mut fresh = true;
    for word in line[lead..].split(' ') {
        let w = word.chars().count();
        if !fresh && len + 1 + w > width {
            out.push_str(current.trim_end());
            out.push('\n');
            current = indent.clone();
            len = indent.len();
            fresh = true;
        }
        if !fresh {
            current.push(' ');
            len += 1;
        }
        current.push_str(word);
        len += w;
        fresh = false;
    }
    out.push_str(&current);
    out
}

/// Cuts headers (never figures) until `2 + Σ widths + 2·(n − 1)` fits in `width`: one column
/// at a time, the widest whose header is longer than its figures, down to four characters.
fn fit_headers(headers: &mut [String], widths: &mut [usize], data: &[usize], width: usize) {
    let total = |w: &[usize]| 2 + w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    while total(widths) > width {
        let floor = |c: usize| data[c].max(4);
        let Some(c) = (0..widths.len()).filter(|&c| widths[c] > floor(c)).max_by_key(|&c| (widths[c], c)) else {
            break;
        };
        widths[c] -= 1;
    }
    for (h, w) in headers.iter_mut().zip(widths.iter()) {
        if h.chars().count() > *w {
            let kept: String = h.chars().take(w.saturating_sub(1)).collect();
            *h = format!("{kept}…");
        }
    }
}

fn render_table(model: &Model, outcome: &Outcome, status: &super::status::Status, lang: Lang, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", status.line(&model.header.id, lang));
    for (who, note) in status.note_lines(lang) {
        let _ = writeln!(out, "  {} ({who}): {note}", super::status::texts(lang).note);
    }
    out.push('\n');
    let sp = model.header.score_precision;
    let mode = model.header.rounding;
    let top: Vec<&Area> = model.areas.values().filter(|a| a.depth == 1).collect();
    let index = &model.areas[&model.index];
    let causes = crate::eval::cause::Causes::new(model);
    let title = printable(lang.pick(&model.header.title, &model.header.id));
    let unit_word = printable(lang.pick(&model.header.unit_name, if lang == Lang::Ru { "единица" } else { "unit" }));
    for p in &outcome.periods {
        let _ = writeln!(
            out,
            "{title} · {} {} · {} {}",
            if lang == Lang::Ru { "версия" } else { "version" },
            model.header.version,
            if lang == Lang::Ru { "период" } else { "period" },
            p.period
        );
        let mut headers: Vec<String> = vec![unit_word.to_string(), index.id.clone()];
        headers.extend(top.iter().map(|a| a.id.clone()));
        headers.push(if lang == Lang::Ru { "стандарты" } else { "standards" }.into());
        let mut rows: Vec<Vec<String>> = vec![];
        let mut missing: Vec<String> = vec![];
        let mut reweighted: Vec<String> = vec![];
        let cov = p.coverage_index();
        for (u, code) in p.units.iter().enumerate() {
            let mut row = vec![code.clone()];
            for a in std::iter::once(index).chain(top.iter().copied()) {
                let v = p.get(a.slot, u);
                if let Err(m) = v {
                    let why = match causes.of(p, a.slot, u) {
                        Some(c) => super::cause::sentence(model, &c, lang),
                        None => m.reason.as_str().to_string(),
                    };
                    missing.push(format!("{code} {}: {why}", a.id));
                }
                let mut text = cell(v, sp, mode, lang);
                // a value computed over fewer children than declared is marked, and said how
                if let Some(c) = cov.get(&(a.slot, u)) {
                    text.push('*');
                    let share = super::text::number(
                        lang,
                        &crate::number::fixed(c.weight_share * 100.0, 1, crate::number::Rounding::HalfAwayFromZero),
                    );
                    reweighted.push(if lang == Lang::Ru {
                        format!("{code} {} — {} из {} (вес {share}\u{a0}%)", a.id, c.counted, c.declared)
                    } else {
                        format!("{code} {}: {} of {} ({share}% of the weight)", a.id, c.counted, c.declared)
                    });
                }
                row.push(text);
            }
            let met = model.standards.values().filter(|s| matches!(p.get(s.met, u), Ok(x) if x != 0.0)).count();
            row.push(format!("{met}/{}", model.standards.len()));
            rows.push(row);
        }
        let data: Vec<usize> =
            (0..headers.len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
        let mut widths: Vec<usize> = (0..headers.len()).map(|c| data[c].max(headers[c].chars().count())).collect();
        fit_headers(&mut headers, &mut widths, &data, width);
        let line = |cells: &[String]| -> String {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(
                    |(c, s)| {
                        if c == 0 {
                            format!("{s:<w$}", w = widths[c])
                        } else {
                            format!("{s:>w$}", w = widths[c])
                        }
                    },
                )
                .collect();
            format!("  {}", parts.join("  ")).trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&headers));
        for r in &rows {
            let _ = writeln!(out, "{}", line(r));
        }
        for a in std::iter::once(index).chain(top.iter().copied()) {
            let _ = writeln!(out, "  {}: {}", a.id, printable(lang.pick(&a.labels, &a.id)));
        }
        if !missing.is_empty() {
            let _ = writeln!(
                out,
                "  {}: {}",
                if lang == Lang::Ru { "н/д (нет данных)" } else { "n/a (not available)" },
                missing.join("; ")
            );
        }
        if !reweighted.is_empty() {
            let _ = writeln!(
                out,
                "  {}: {}",
                if lang == Lang::Ru {
                    "* перевзвешено, учтены не все составляющие"
                } else {
                    "* re-weighted over the children present"
                },
                reweighted.join("; ")
            );
        }
        out.push('\n');
    }
    out
}

/// A label as a terminal may show it: control characters (an escape sequence would act on the
/// terminal), bidirectional controls and invisible characters become `\u{…}` escapes. `check`
/// warns about them in the rule files; the table never passes them through.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if crate::diagnostics::hidden_char(c, true) {
                format!("\\u{{{:04X}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_reach_the_terminal_without_control_characters() {
        assert_eq!(super::printable("Hidden\u{1b}[31m red"), "Hidden\\u{001B}[31m red");
        assert_eq!(super::printable("A\u{200b}M \u{202e}x"), "A\\u{200B}M \\u{202E}x");
        assert_eq!(super::printable("Армения"), "Армения");
    }
}
