//! The Markdown report, for a Board paper: the same sections as the HTML page, as pipe tables
//! (CommonMark with the table extension, as GitHub and pandoc read it), without charts.
//!
//! Text from rule files is escaped (every Markdown punctuation character that could start markup
//! is backslash-escaped); ids and conditions are code spans.

use super::view::{Cell, View};
use std::fmt::Write;

/// Escapes text for Markdown, including a table cell (`|`, line breaks).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span that holds any text (a longer fence when the text has backticks).
pub fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A sentence whose names are written in backticks (a missing value's cause): text escaped, the
/// names as code spans.
pub fn prose(s: &str) -> String {
    s.split('`').enumerate().map(|(k, part)| if k % 2 == 1 { code(part) } else { escape(part) }).collect()
}

fn row(out: &mut Out<'_>, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn rule(out: &mut Out<'_>, first_left: usize, n: usize) {
    let cells: Vec<&str> = (0..n).map(|k| if k < first_left { ":--" } else { "--:" }).collect();
    row(out, &cells.iter().map(|s| s.to_string()).collect::<Vec<_>>());
}

fn score(c: &Cell) -> String {
    if c.reason.is_empty() {
        escape(&c.text)
    } else {
        format!("{} ({})", escape(&c.text), escape(&c.reason))
    }
}

/// The matrix at full depth: every indicator's value and score per state by area, and the
/// state × element matrices of the element lists.
fn depth(out: &mut Out<'_>, v: &View, p: &super::view::PeriodView) {
    let t = v.t;
    let blocks = [
        (t.indicators_by_state, t.indicators_note, &p.indicators),
        (t.elements_by_state, t.elements_note, &p.elements),
    ];
    for (title, note, list) in blocks {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", escape(title));
        let _ = writeln!(out, "{}\n", escape(note));
        let mut head = vec![String::new()];
        head.extend(p.units.iter().map(|u| escape(&u.code)));
        row(out, &head);
        rule(out, 1, head.len());
        for b in list.iter() {
            if !b.label.is_empty() {
                let mut cells = vec![format!("**{}**", escape(&b.label))];
                cells.extend(vec![String::new(); p.units.len()]);
                row(out, &cells);
            }
            for r in &b.rows {
                let mut cells = vec![escape(&r.label)];
                cells.extend(r.cells.iter().map(|c| escape(&c.text)));
                row(out, &cells);
            }
        }
        out.push('\n');
    }
}

/// The executive summary: a table of the states, the largest changes, the key recommendations.
fn summary(out: &mut Out<'_>, s: &super::view::Summary) {
    let _ = writeln!(out, "## {}\n", escape(s.heading));
    let _ = writeln!(out, "{}\n", escape(&s.intro));
    let head: Vec<String> = s.head.iter().map(|h| escape(h)).collect();
    row(out, &head);
    rule(out, 1, head.len());
    for r in s.rows.iter().chain(std::iter::once(&s.mean)) {
        let name = if r.unit.code.is_empty() {
            format!("*{}*", escape(&r.unit.name))
        } else {
            format!("{} ({})", escape(&r.unit.name), escape(&r.unit.code))
        };
        let change = format!("{} {}", r.change.arrow, escape(&r.change.text)).trim().to_string();
        row(out, &[name, score(&r.index), escape(&r.rank), escape(&r.met), change]);
    }
    out.push('\n');
    if !s.changes.is_empty() {
        let _ = writeln!(out, "**{}**\n", escape(s.changes_heading));
        for c in &s.changes {
            let _ = writeln!(out, "- {}", escape(c));
        }
        out.push('\n');
    }
    for c in &s.mean_caveats {
        let _ = writeln!(out, "> {}\n", escape(c));
    }
    let _ = writeln!(out, "**{}**\n", escape(s.recs_heading));
    for (u, key, rest) in &s.recs {
        if key.is_empty() {
            continue;
        }
        let _ = writeln!(out, "- {} ({}):", escape(&u.name), escape(&u.code));
        for k in key {
            let _ = writeln!(out, "  - {}", escape(k));
        }
        if !rest.is_empty() {
            let _ = writeln!(out, "  - *{}*", escape(rest));
        }
    }
    out.push('\n');
}

/// Renders the view as Markdown.
pub fn render(v: &View) -> String {
    let mut bytes = vec![];
    // writing into memory cannot fail, and every piece written is a `str`
    let _ = write(v, &mut bytes);
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes the view as Markdown into `w`, piece by piece (a report of 100,000 units is hundreds of
/// megabytes): the same bytes as [`render`]. The first error of `w` stops nothing but is returned.
pub fn write(v: &View, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = Out { w: std::io::BufWriter::with_capacity(super::WRITE_BUFFER, w), err: None };
    body(&mut out, v);
    match out.err {
        Some(e) => Err(e),
        None => std::io::Write::flush(&mut out.w),
    }
}

/// Text written into an [`std::io::Write`] as a [`std::fmt::Write`]: the first error is kept and
/// nothing more is written after it.
struct Out<'a> {
    /// A buffer of a known type: the many small pieces are copies, not calls through `dyn Write`.
    w: std::io::BufWriter<&'a mut dyn std::io::Write>,
    err: Option<std::io::Error>,
}

impl Out<'_> {
    fn push(&mut self, c: char) {
        let mut buf = [0; 4];
        let _ = self.write_str(c.encode_utf8(&mut buf));
    }
}

impl std::fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.err.is_some() {
            return Err(std::fmt::Error);
        }
        std::io::Write::write_all(&mut self.w, s.as_bytes()).map_err(|e| {
            self.err = Some(e);
            std::fmt::Error
        })
    }
}

fn body(out: &mut Out<'_>, v: &View) {
    let t = v.t;
    let mut periods: Vec<&str> = v.periods.iter().map(|p| p.period.as_str()).collect();
    periods.reverse();
    if let Some(m) = &v.status.mark {
        let _ = writeln!(out, "**{}**\n", escape(m));
    }
    let _ = writeln!(out, "# {}\n", escape(&v.title));
    let _ = writeln!(
        out,
        "*{}* · {}: {} · {} {}\n",
        escape(t.report),
        escape(t.periods),
        escape(&periods.join(", ")),
        escape(t.scale),
        escape(&v.scale_text)
    );
    let _ = writeln!(out, "> {} · tamga {}", escape(&v.status.line), escape(&v.provenance.tamga));
    for (who, note) in &v.status.notes {
        let _ = writeln!(out, ">\n> {} ({}): {}", escape(v.status.t.note), escape(who), escape(note));
    }
    out.push('\n');
    if let Some(s) = &v.summary {
        summary(out, s);
    }
    for p in &v.periods {
        let _ = writeln!(out, "## {} · {}\n", escape(t.results), escape(&p.period));
        // the matrix
        let m = &p.matrix;
        let _ = writeln!(out, "### {}\n", escape(t.matrix));
        let mut head = vec![String::new()];
        head.extend(m.units.iter().map(|u| format!("{} ({})", escape(&u.name), escape(&u.code))));
        head.push(escape(t.union_mean));
        head.push(escape(t.best));
        row(out, &head);
        rule(out, 1, head.len());
        for r in &m.rows {
            let l = escape(&r.area.label);
            let label = match r.area.depth {
                0 => format!("**{l}**"),
                1 => l,
                d => format!("{}*{l}*", "\u{a0}\u{a0}".repeat(d as usize - 1)),
            };
            let mut cells = vec![label];
            cells.extend(r.cells.iter().map(score));
            cells.push(format!("*{}*", escape(&r.mean.text)));
            cells.push(if r.best.units.is_empty() {
                escape(&r.best.text)
            } else {
                format!("{} ({})", escape(&r.best.text), escape(&r.best.units))
            });
            row(out, &cells);
        }
        if m.standards > 0 {
            let mut cells = vec![escape(t.standards_met)];
            cells.extend(m.met.iter().map(|x| escape(x)));
            cells.extend([String::new(), String::new()]);
            row(out, &cells);
        }
        let _ = writeln!(out, "\n{} {}\n", escape(t.matrix_note), escape(t.charts_in_html));
        if !m.reweighted.is_empty() {
            let _ = writeln!(out, "{}:\n", escape(t.reweighted));
            for r in &m.reweighted {
                let _ = writeln!(out, "- {}", escape(r));
            }
            out.push('\n');
        }
        if !m.weights.is_empty() {
            let _ = writeln!(out, "{}:\n", escape(t.derived_weights));
            for w in &m.weights {
                let _ = writeln!(out, "- {}", escape(w));
            }
            out.push('\n');
        }
        depth(out, v, p);
        // the Code
        let s = &p.standards;
        if !s.chapters.is_empty() {
            let _ = writeln!(out, "### {}\n", escape(t.standards));
            let _ = writeln!(out, "{}\n", escape(t.standards_note));
            let mut head = vec![escape(t.standard)];
            head.extend(s.units.iter().map(|u| escape(&u.code)));
            head.push(escape(t.union_count));
            row(out, &head);
            rule(out, head.len(), head.len());
            for ch in &s.chapters {
                if !ch.code.is_empty() {
                    let mut cells =
                        vec![format!("**{} {} · {}**", escape(t.chapter), escape(&ch.code), escape(&ch.label))];
                    cells.extend(vec![String::new(); s.units.len() + 1]);
                    row(out, &cells);
                }
                for st in &ch.rows {
                    let mut req = escape(&st.requirement);
                    for l in &st.levels {
                        req.push_str(&format!("; {}", escape(l)));
                    }
                    let mut cells =
                        vec![format!("**{}** {} ({}; {})", escape(&st.code), escape(&st.label), escape(&st.kind), req)];
                    cells.extend(st.cells.iter().map(|c| {
                        let mut parts = vec![format!("{} {}", c.symbol, escape(&c.verdict))];
                        if !c.level.is_empty() {
                            parts.push(format!("{}: {}", escape(t.level), escape(&c.level)));
                        }
                        if !c.detail.is_empty() {
                            parts.push(escape(&c.detail));
                        }
                        parts.join(" · ")
                    }));
                    cells.push(format!("{} / {} / {}", st.met, st.not_met, st.not_assessable));
                    row(out, &cells);
                }
            }
            let explained: Vec<_> = s
                .chapters
                .iter()
                .flat_map(|c| &c.rows)
                .filter(|st| !st.note.is_empty() || !st.source.is_empty())
                .collect();
            if !explained.is_empty() {
                let _ = writeln!(out, "\n{} · {}:\n", escape(v.status.t.rationale), escape(v.status.t.source));
                for st in explained {
                    let mut line = format!("- **{}** {}", escape(&st.code), escape(&st.label));
                    if !st.note.is_empty() {
                        line.push_str(&format!(": {}", escape(&st.note)));
                    }
                    if !st.source.is_empty() {
                        line.push_str(&format!(" *{}: {}*", escape(v.status.t.source), escape(&st.source)));
                    }
                    let _ = writeln!(out, "{line}");
                }
            }
            let _ = writeln!(out, "\n#### {}\n", escape(t.chapter_scores));
            let mut head = vec![String::new()];
            head.extend(s.units.iter().map(|u| escape(&u.code)));
            head.push(escape(t.union_mean));
            row(out, &head);
            rule(out, 1, head.len());
            for r in &s.scores {
                let label = if r.total { format!("**{}**", escape(&r.label)) } else { escape(&r.label) };
                let mut cells = vec![label];
                cells.extend(r.cells.iter().zip(&r.counts).map(|(c, n)| format!("{} ({})", score(c), escape(n))));
                cells.push(format!("*{}*", escape(&r.mean.text)));
                row(out, &cells);
            }
            let _ = writeln!(
                out,
                "\n(n / n / n): {} / {} / {}\n",
                escape(t.met),
                escape(t.not_met),
                escape(t.not_assessable)
            );
            if !s.reweighted.is_empty() {
                let _ = writeln!(out, "{}:\n", escape(t.reweighted));
                for r in &s.reweighted {
                    let _ = writeln!(out, "- {}", escape(r));
                }
                out.push('\n');
            }
        }
        // recommendations
        let _ = writeln!(out, "### {}\n", escape(t.recommendations));
        for u in &p.recommendations {
            let _ = writeln!(out, "**{} ({})**\n", escape(&u.unit.name), escape(&u.unit.code));
            if u.items.is_empty() {
                let _ = writeln!(out, "{}\n", escape(t.no_recommendations));
                continue;
            }
            for (k, r) in u.items.iter().enumerate() {
                let status = if r.applies {
                    String::new()
                } else {
                    format!(" *({}: {})*", escape(t.rec_not_assessable), escape(&r.reason))
                };
                let _ = writeln!(
                    out,
                    "{}. {}{status}  \n   {}: {}",
                    k + 1,
                    escape(&r.text),
                    escape(t.condition),
                    escape(&r.condition)
                );
                for a in &r.also {
                    let _ =
                        writeln!(out, "   {}  \n   {}: {}", escape(&a.text), escape(t.condition), escape(&a.condition));
                }
            }
            out.push('\n');
        }
    }
    if let Some(ch) = &v.change {
        let _ = writeln!(out, "## {}\n", escape(t.change));
        let _ = writeln!(out, "{}\n", escape(t.change_note));
        let mut head = vec![escape(&v.unit_word), String::new()];
        head.extend(ch.periods.iter().map(|p| escape(p)));
        head.extend(ch.delta_heads.iter().map(|h| escape(h)));
        row(out, &head);
        rule(out, 2, head.len());
        for u in &ch.units {
            for (k, r) in u.rows.iter().enumerate() {
                let who = if k > 0 {
                    String::new()
                } else if u.unit.code.is_empty() {
                    format!("*{}*", escape(&u.unit.name))
                } else {
                    format!("{} ({})", escape(&u.unit.name), escape(&u.unit.code))
                };
                let label = if r.depth == 0 { format!("**{}**", escape(&r.label)) } else { escape(&r.label) };
                let mut cells = vec![who, label];
                cells.extend(r.scores.iter().map(|c| escape(&c.text)));
                cells.extend(r.deltas.iter().map(|d| {
                    if d.arrow.is_empty() {
                        escape(&d.text)
                    } else {
                        format!("{} {}", d.arrow, escape(&d.text))
                    }
                }));
                row(out, &cells);
            }
        }
        out.push('\n');
        for c in &ch.caveats {
            let _ = writeln!(out, "> {}\n", escape(c));
        }
    }
    if let Some(sc) = &v.scenarios {
        scenarios(out, sc);
    }
    if let Some(a) = &v.audit {
        audit(out, a);
    }
    if let Some(s) = &v.sensitivity {
        sensitivity(out, s);
    }
    // the indicators' rationale and sources
    if !v.indicators.is_empty() {
        let st = v.status.t;
        let _ = writeln!(out, "## {}\n", escape(st.indicators));
        let _ = writeln!(out, "{}\n", escape(st.indicators_note));
        row(out, &[escape(st.indicator), escape(st.unit), escape(st.rationale), escape(st.source)]);
        rule(out, 4, 4);
        for g in &v.indicators {
            let label = if g.label.is_empty() { st.outside_areas } else { &g.label };
            row(out, &[format!("**{}**", escape(label)), String::new(), String::new(), String::new()]);
            for i in &g.rows {
                row(out, &[escape(&i.label), escape(&i.unit), escape(&i.note), escape(&i.source)]);
            }
        }
        out.push('\n');
    }
    // data quality
    let q = &v.quality;
    let _ = writeln!(out, "## {}\n", escape(t.quality));
    for (title, list, what) in
        [(t.missing_answers, &q.missing_answers, t.question), (t.not_assessable_nodes, &q.not_assessable, t.what)]
    {
        let _ = writeln!(out, "### {} ({})\n", escape(title), list.len());
        if list.is_empty() {
            let _ = writeln!(out, "{}\n", escape(t.none));
            continue;
        }
        row(out, &[escape(t.period), escape(&v.unit_word), escape(what), escape(t.reason)]);
        rule(out, 4, 4);
        for r in list.iter() {
            let id = if r.id.is_empty() { String::new() } else { format!(" {}", code(&r.id)) };
            row(out, &[escape(&r.period), escape(&r.unit), format!("{}{id}", escape(&r.what)), prose(&r.reason)]);
        }
        out.push('\n');
    }
    if !q.rules.is_empty() {
        let _ = writeln!(out, "### {} ({})\n", escape(t.rules_violated), q.rules.len());
        row(out, &[escape(t.period), escape(&v.unit_word), escape(t.rule), escape(t.answers)]);
        rule(out, 4, 4);
        for r in &q.rules {
            row(
                out,
                &[
                    escape(&r.period),
                    escape(&r.unit),
                    if r.condition.is_empty() {
                        format!("{} {}", escape(&r.label), code(&r.id))
                    } else {
                        format!("{} {}: {}", escape(&r.label), code(&r.id), code(&r.condition))
                    },
                    format!("{} — {}", escape(&r.answers), escape(&r.effect)),
                ],
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### {} ({})\n", escape(t.warnings), q.warnings.len());
    if q.warnings.is_empty() {
        let _ = writeln!(out, "{}\n", escape(t.none));
    } else {
        row(out, &[escape(t.period), escape(&v.unit_word), escape(t.what), escape(t.message), escape(t.place)]);
        rule(out, 5, 5);
        for w in &q.warnings {
            row(
                out,
                &[
                    escape(&w.period),
                    escape(&w.unit),
                    escape(&w.target),
                    format!("{} {}", escape(&w.message), code(&w.expression)),
                    code(&w.place),
                ],
            );
        }
        out.push('\n');
    }
    // provenance
    let pv = &v.provenance;
    let _ = writeln!(out, "## {}\n", escape(t.provenance));
    let _ = writeln!(out, "{}\n", escape(t.provenance_note));
    let status = match (&v.status.mark, &v.status.decision) {
        (Some(m), Some(d)) => format!("{m} ({d})"),
        (Some(m), None) => m.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => String::new(),
    };
    let _ = writeln!(out, "- {}: {}", escape(v.status.t.status), escape(&status));
    let _ = writeln!(out, "- {}: {}", escape(v.status.t.data_notes), escape(&v.status.data_text));
    for (who, note) in &v.status.notes {
        let _ = writeln!(out, "  - {}: {}", escape(who), escape(note));
    }
    let _ = writeln!(out, "- {}: {}", escape(t.methodology), code(&pv.id));
    let _ = writeln!(out, "- {}: {}", escape(t.version), code(&pv.version));
    if let Some(f) = &pv.fingerprint {
        let _ = writeln!(out, "- {}: {}", escape(t.fingerprint), code(f));
    }
    let _ = writeln!(out, "- {}: {}\n", escape(t.tamga), code(&pv.tamga));
    let _ = writeln!(out, "### {}\n", escape(t.rule_files));
    row(out, &[escape(t.file), "SHA-256".into()]);
    rule(out, 2, 2);
    for f in &pv.rule_files {
        row(out, &[code(&f.file), code(&f.sha256)]);
    }
    let _ = writeln!(out, "\n### {}\n", escape(t.submissions));
    row(out, &[escape(t.period), escape(&v.unit_word), escape(t.file), "SHA-256".into()]);
    rule(out, 4, 4);
    for f in &pv.inputs {
        row(out, &[escape(&f.period), escape(&f.unit), code(&f.file), code(&f.sha256)]);
    }
}

/// The ranks by scenario: the scenarios and what they change, then a table per period (the
/// methodology's index and rank, then each scenario's index and its rank with the shift).
fn scenarios(out: &mut Out<'_>, sc: &super::view::ScenariosView) {
    let _ = writeln!(out, "## {}\n", escape(sc.heading));
    let _ = writeln!(out, "{}\n", escape(sc.intro));
    let _ = writeln!(out, "**{}**\n", escape(sc.list_heading));
    for h in &sc.scenarios {
        let changes: Vec<String> = h.changes.iter().map(|c| code(c)).collect();
        let what = if changes.is_empty() { String::new() } else { format!(": {}", changes.join(", ")) };
        let _ = writeln!(out, "- **{}** {}{what}", escape(&h.label), code(&h.id));
    }
    let _ = writeln!(out, "\n{}\n", escape(sc.note));
    let rank_shift = format!("{} ({})", sc.rank, sc.shift.to_lowercase());
    for t in &sc.periods {
        let _ = writeln!(out, "### {} · {}\n", escape(sc.heading), escape(&t.period));
        let mut head = vec![
            escape(&sc.unit_word),
            format!("{} · {}", escape(sc.methodology), escape(sc.index)),
            format!("{} · {}", escape(sc.methodology), escape(sc.rank)),
        ];
        for h in &sc.scenarios {
            head.push(format!("{} · {}", escape(&h.label), escape(sc.index)));
            head.push(format!("{} · {}", escape(&h.label), escape(&rank_shift)));
        }
        row(out, &head);
        rule(out, 1, head.len());
        for r in &t.rows {
            let mut cells =
                vec![format!("{} ({})", escape(&r.unit.name), escape(&r.unit.code)), score(&r.index), escape(&r.rank)];
            for c in &r.cells {
                cells.push(score(&c.index));
                cells.push(escape(&c.rank_and_shift()));
            }
            row(out, &cells);
        }
        let _ = writeln!(out, "\n**{}**\n", escape(&t.largest));
    }
}

/// The statistical audit (`tamga report --audit`): per period, a table per area (each child
/// against the area, then r above and ρ below the diagonal), flags, notes, data availability.
fn audit(out: &mut Out<'_>, a: &crate::audit::view::AuditView) {
    let t = a.t;
    let _ = writeln!(out, "## {}\n", escape(t.title));
    let _ = writeln!(out, "{}\n", escape(t.method));
    let _ = writeln!(out, "{}\n", escape(t.table_note));
    for p in &a.periods {
        let _ = writeln!(out, "### {} · {}\n", escape(t.title), escape(&p.period));
        let _ = writeln!(
            out,
            "{} ({}): {}. **{}**\n",
            escape(t.states),
            p.unit_count,
            escape(&p.units),
            escape(&p.flag_summary)
        );
        for ar in &p.areas {
            let _ = writeln!(out, "#### {} {}\n", escape(&ar.label), code(&ar.id));
            let _ = writeln!(out, "{}\n", escape(&ar.summary));
            let mut head: Vec<String> =
                [t.num, t.child, "n", "r", "p", "ρ", t.alpha_drop, t.item_rest].iter().map(|h| escape(h)).collect();
            head.extend(ar.heads.iter().map(|h| escape(h)));
            row(out, &head);
            let mut rule_cells = vec![":--".to_string(), ":--".to_string()];
            rule_cells.extend((2..head.len()).map(|_| "--:".to_string()));
            row(out, &rule_cells);
            for r in &ar.rows {
                let num = if r.flagged { format!("**{}** !", escape(&r.num)) } else { escape(&r.num) };
                let mut cells = vec![
                    num,
                    format!("{} {}", escape(&r.label), code(&r.id)),
                    escape(&r.n),
                    escape(&r.r.text),
                    escape(&r.p),
                    escape(&r.rho.text),
                    escape(&r.alpha_drop),
                    escape(&r.item_rest),
                ];
                cells.extend(r.cells.iter().map(|c| escape(&c.text)));
                row(out, &cells);
            }
            out.push('\n');
            for f in &ar.flags {
                let _ = writeln!(out, "- **!** {}", escape(f));
            }
            if !ar.flags.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}\n", escape(&ar.components));
            for n in &ar.notes {
                let _ = writeln!(out, "- — {}", escape(n));
            }
            if !ar.notes.is_empty() {
                out.push('\n');
            }
        }
        if let Some(s) = &p.set {
            let _ = writeln!(out, "#### {} · {}\n", escape(t.set), escape(&p.period));
            let _ = writeln!(out, "{}\n", escape(&s.summary));
            row(out, &[escape(t.child), escape(t.alpha_drop), escape(t.item_rest)]);
            rule(out, 1, 3);
            for [id, label, a, r] in &s.rows {
                row(out, &[format!("{} {}", escape(label), code(id)), escape(a), escape(r)]);
            }
            let _ = writeln!(out, "\n{}\n", escape(&s.components));
        }
        if let Some(m) = &p.matrix {
            let _ = writeln!(out, "#### {} · {}\n", escape(t.matrix), escape(&p.period));
            let mut head = vec![escape(t.num), escape(t.indicator)];
            head.extend(m.heads.iter().map(|h| escape(h)));
            row(out, &head);
            rule(out, 2, head.len());
            for (num, id, label, cells) in &m.rows {
                let mut c = vec![escape(num), format!("{} {}", escape(label), code(id))];
                c.extend(cells.iter().map(|x| escape(x)));
                row(out, &c);
            }
            out.push('\n');
        }
        let av = &p.availability;
        let _ = writeln!(out, "#### {} · {}\n", escape(t.availability), escape(&p.period));
        let _ = writeln!(out, "{}\n", escape(&av.note));
        let mut head = vec![escape(t.state), escape(t.present), escape(t.share)];
        head.extend(av.areas.iter().map(|h| escape(&h.label)));
        row(out, &head);
        rule(out, 1, head.len());
        for u in &av.units {
            let mut cells = vec![escape(&u.unit), escape(&u.present), escape(&u.share)];
            cells.extend(u.areas.iter().map(|s| escape(s)));
            row(out, &cells);
        }
        out.push('\n');
        for s in &av.screened_out {
            let _ = writeln!(out, "{}\n", escape(s));
        }
        if av.indicators.is_empty() {
            let _ = writeln!(out, "{}\n", escape(t.all_complete));
        } else {
            let _ = writeln!(out, "{} ({}):\n", escape(t.incomplete_indicators), av.indicators.len());
            row(out, &[escape(t.indicator), escape(t.present), escape(t.share), escape(t.missing)]);
            row(out, &[":--".into(), "--:".into(), "--:".into(), ":--".into()]);
            for i in &av.indicators {
                row(
                    out,
                    &[
                        format!("{} {}", escape(&i.label), code(&i.id)),
                        escape(&i.present),
                        escape(&i.share),
                        escape(&i.missing),
                    ],
                );
            }
            out.push('\n');
        }
    }
}

/// The uncertainty and sensitivity analysis (`tamga report --sensitivity N`): the indices per
/// uncertain choice, then the ranks of every unit (the chart is the HTML report's).
fn sensitivity(out: &mut Out<'_>, s: &crate::sensitivity::view::SensitivityView) {
    let t = s.t;
    let _ = writeln!(out, "## {}\n", escape(&s.heading));
    let _ = writeln!(out, "{}\n", escape(&s.design));
    if s.has_indices {
        let _ = writeln!(out, "### {}\n", escape(&s.indices_heading));
        let _ = writeln!(out, "{}\n", escape(&s.variance));
        if !s.indices.is_empty() {
            let head = [
                String::new(),
                String::new(),
                escape(t.first_order),
                escape(t.interval),
                escape(t.total),
                escape(t.interval),
            ];
            row(out, &head);
            row(out, &[":--", ":--", "--:", ":--", "--:", ":--"].map(String::from));
            for r in &s.indices {
                let cells = [
                    code(&r.factor),
                    escape(&r.what),
                    escape(&r.first_order),
                    escape(&r.first_order_interval),
                    escape(&r.total),
                    escape(&r.total_interval),
                ];
                row(out, &cells);
            }
            out.push('\n');
        }
        let _ = writeln!(out, "{}\n", escape(&s.estimators));
    }
    let _ = writeln!(out, "### {}\n", escape(&s.chart_title));
    let head = [t.nominal, t.unit, t.name, t.score, t.median, t.q05, t.q95, t.shift].map(escape);
    row(out, &head);
    rule(out, 3, head.len());
    for r in &s.rows {
        let cells = [&r.nominal, &r.unit, &r.name, &r.score, &r.median, &r.q05, &r.q95, &r.shift].map(|c| escape(c));
        row(out, &cells);
    }
    let _ = writeln!(out, "\n{}\n", escape(t.percentile_note));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_labels_is_escaped() {
        assert_eq!(escape("a|b *c* <x> [l](u) #1"), r"a\|b \*c\* \<x\> \[l\](u) \#1");
        assert_eq!(escape("line\nbreak"), "line break");
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code("not met(TF-1)"), "`not met(TF-1)`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a || b"), r"`a \|\| b`");
    }

    #[test]
    fn prose_keeps_names_as_code() {
        assert_eq!(prose("because `q_02` was not submitted"), "because `q_02` was not submitted");
        assert_eq!(prose("a_b `x <= y`"), r"a\_b `x <= y`");
    }
}
