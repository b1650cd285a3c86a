//! The Board paper as a Word document (`report.docx`, Office Open XML, ECMA-376): drawn from the
//! same [`View`] as the HTML and Markdown reports, so it computes nothing.
//!
//! Laid out as an analytical note: the status mark (ПРОЕКТ) or the decision, the title, the status
//! line and the data's notes, then per period the matrix, the figures, the Code of Customs
//! Standards and the recommendations, then the change over time, the ranks by scenario (when the
//! methodology declares scenarios), the statistical audit (when asked for, compactly) and the
//! provenance. Tables are native Word tables, numbered («Таблица 1 — …» above each), with their
//! header row repeated on every page and rows that never break across pages; the charts are
//! native too: a table of bars per area («Рисунок 1 — …»), as the SVG charts have no pure-Rust
//! path to PNG that is not larger than the rest of the report code. Page A4 portrait with the
//! margins of Russian office papers (left 3 cm, right 1.5 cm, top and bottom 2 cm), Times New
//! Roman, the status line and the page number in every page's footer.
//!
//! The package is written with the `zip` crate the build already has (see Cargo.toml for why not
//! a docx crate): six parts, fixed timestamps, so the same view gives the same bytes.

use super::view::{Cell, View};
use super::Lang;
use std::fmt::Write as _;
use std::io::Write as _;

/// Fixed words of the Word document.
struct Words {
    table: &'static str,
    figure: &'static str,
    page: &'static str,
    state: &'static str,
    recommendation: &'static str,
    no: &'static str,
    lang: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &Words {
            table: "Table",
            figure: "Figure",
            page: "page",
            state: "State",
            recommendation: "Recommendation",
            no: "No.",
            lang: "en-GB",
        },
        Lang::Ru => &Words {
            table: "Таблица",
            figure: "Рисунок",
            page: "стр.",
            state: "Государство",
            recommendation: "Рекомендация",
            no: "№",
            lang: "ru-RU",
        },
    }
}

/// The cell colours of the five score classes (ColorBrewer YlGnBu, as in the HTML), and whether
/// the text on them is white.
fn class_fill(class: &str) -> Option<(&'static str, bool)> {
    match class {
        "s0" => Some(("FFFFCC", false)),
        "s1" => Some(("A1DAB4", false)),
        "s2" => Some(("41B6C4", false)),
        "s3" => Some(("2C7FB8", true)),
        "s4" => Some(("253494", true)),
        "na" => Some(("EEEEEE", false)),
        _ => None,
    }
}

/// Escapes text for XML, dropping the control characters XML 1.0 cannot hold.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// How a run of text looks.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
    small: bool,
    white: bool,
    colour: Option<&'static str>,
}

impl Look {
    const PLAIN: Look = Look { bold: false, italic: false, small: false, white: false, colour: None };
    const BOLD: Look = Look { bold: true, ..Look::PLAIN };
    const ITALIC: Look = Look { italic: true, ..Look::PLAIN };
    const SMALL: Look = Look { small: true, ..Look::PLAIN };
}

fn run(out: &mut String, text: &str, look: Look) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    let mut props = String::new();
    if look.bold {
        props.push_str("<w:b/><w:bCs/>");
    }
    if look.italic {
        props.push_str("<w:i/><w:iCs/>");
    }
    if look.white {
        props.push_str("<w:color w:val=\"FFFFFF\"/>");
    } else if let Some(c) = look.colour {
        let _ = write!(props, "<w:color w:val=\"{c}\"/>");
    }
    if look.small {
        props.push_str("<w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/>");
    }
    if !props.is_empty() {
        let _ = write!(out, "<w:rPr>{props}</w:rPr>");
    }
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(line));
    }
    out.push_str("</w:r>");
}

/// A paragraph of one style made of runs.
fn para(out: &mut String, style: &str, runs: &[(&str, Look)]) {
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    for (t, l) in runs {
        run(out, t, *l);
    }
    out.push_str("</w:p>");
}

/// A cell of a table: its text in paragraphs (lines), a fill, alignment.
struct Tc {
    lines: Vec<(String, Look)>,
    fill: Option<&'static str>,
    centre: bool,
    span: usize,
}

impl Tc {
    fn text(s: impl Into<String>) -> Tc {
        Tc { lines: vec![(s.into(), Look::PLAIN)], fill: None, centre: false, span: 1 }
    }
    fn look(s: impl Into<String>, look: Look) -> Tc {
        Tc { lines: vec![(s.into(), look)], fill: None, centre: false, span: 1 }
    }
    fn centre(mut self) -> Tc {
        self.centre = true;
        self
    }
    fn line(mut self, s: impl Into<String>, look: Look) -> Tc {
        let s = s.into();
        if !s.is_empty() {
            self.lines.push((s, look));
        }
        self
    }
}

/// The document being written, with its table and figure counters.
struct Doc<'v> {
    v: &'v View,
    /// Requirements and conditions in words, from the methodology.
    words: crate::words::Words<'v>,
    w: &'static Words,
    body: String,
    tables: usize,
    figures: usize,
}

impl Doc<'_> {
    fn heading(&mut self, level: u8, text: &str) {
        para(&mut self.body, &format!("Heading{level}"), &[(text, Look::PLAIN)]);
    }

    fn text(&mut self, text: &str, look: Look) {
        para(&mut self.body, "Normal", &[(text, look)]);
    }

    /// «Таблица N — caption» above a table, kept with it.
    fn table_caption(&mut self, caption: &str) {
        self.tables += 1;
        let t = format!("{} {} — {caption}", self.w.table, self.tables);
        para(&mut self.body, "Caption", &[(&t, Look::PLAIN)]);
    }

    /// A table of `widths` (in fiftieths of a percent of the text width, summing to 5000) whose
    /// first `head` rows repeat on every page; no row breaks across pages.
    fn table(&mut self, widths: &[u32], head: usize, rows: Vec<Vec<Tc>>) {
        let out = &mut self.body;
        out.push_str(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>\
             <w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" \
             w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        );
        // the grid in twips of the text width (A4 less 3 cm and 1.5 cm margins)
        for w in widths {
            let _ = write!(out, "<w:gridCol w:w=\"{}\"/>", TEXT_WIDTH * w / 5000);
        }
        out.push_str("</w:tblGrid>");
        for (k, r) in rows.into_iter().enumerate() {
            out.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if k < head {
                out.push_str("<w:tblHeader/>");
            }
            out.push_str("</w:trPr>");
            let mut col = 0;
            for c in r {
                let span = c.span.max(1);
                let w: u32 = widths.iter().skip(col).take(span).sum();
                col += span;
                let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>", TEXT_WIDTH * w / 5000);
                if span > 1 {
                    let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
                }
                if let Some(f) = c.fill {
                    let _ = write!(out, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>");
                } else if k < head {
                    out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E5E4\"/>");
                }
                out.push_str("</w:tcPr>");
                let style = if c.centre { "CellCentre" } else { "Cell" };
                if c.lines.is_empty() {
                    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr></w:p>");
                }
                for (text, look) in &c.lines {
                    let look = if k < head { Look { bold: true, small: true, ..*look } } else { *look };
                    para(out, style, &[(text, look)]);
                }
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
        // Word needs a paragraph between two tables, and it spaces the next caption
        para(out, "Normal", &[]);
    }

    /// A figure drawn as a table of bars: a row per state (name, bar of block characters, value).
    fn bars(&mut self, title: &str, rows: &[(String, Option<f64>, String)], mean: Option<(String, String)>) {
        let (lo, hi) = self.v.scale;
        let span = if hi > lo { hi - lo } else { 1.0 };
        let mut table = vec![];
        for (name, value, text) in rows {
            let bar = match value {
                Some(x) if x.is_finite() => bar_of(((x - lo) / span).clamp(0.0, 1.0)),
                _ => String::new(),
            };
            table.push(vec![
                Tc::text(name.clone()),
                Tc::look(bar, Look { colour: Some("2C7FB8"), ..Look::PLAIN }),
                Tc::text(text.clone()).centre(),
            ]);
        }
        if let Some((label, text)) = mean {
            table.push(vec![
                Tc::look(label, Look::ITALIC),
                Tc::text(String::new()),
                Tc::look(text, Look { bold: true, colour: Some("9A3412"), ..Look::PLAIN }).centre(),
            ]);
        }
        self.table(&[1500, 2900, 600], 0, table);
        self.figures += 1;
        let t = format!("{} {} — {title}", self.w.figure, self.figures);
        para(&mut self.body, "FigureCaption", &[(&t, Look::PLAIN)]);
    }
}

/// The text width in twips: A4 (11906) less the left (1701) and right (851) margins.
const TEXT_WIDTH: u32 = 11906 - 1701 - 851;

/// A bar of `share` (0..=1) of 30 full blocks, in eighths.
fn bar_of(share: f64) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (share * 30.0 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    s
}

fn score(c: &Cell) -> Tc {
    let (fill, white) = class_fill(&c.class).map_or((None, false), |(f, w)| (Some(f), w));
    let mut tc = Tc::look(c.text.clone(), Look { white, italic: c.class == "na", ..Look::PLAIN }).centre();
    if !c.reason.is_empty() {
        tc = tc.line(c.reason.clone(), Look { small: true, white, italic: true, ..Look::PLAIN });
    }
    tc.fill = fill;
    tc
}

/// A cell of the full-depth matrices: a value and its score coloured as the matrix's, or an
/// element's presence (why a value is missing is said in the data-quality section, not in each
/// of these many cells).
fn depth_cell(c: &super::view::DepthCell) -> Tc {
    let (fill, white) = match c.class.as_str() {
        "met" => (Some("DCFCE7"), false),
        "not_met" => (Some("FEE2E2"), false),
        other => class_fill(other).map_or((None, false), |(f, w)| (Some(f), w)),
    };
    let mut tc = Tc::look(c.text.clone(), Look { white, italic: c.class == "na", ..Look::PLAIN }).centre();
    tc.fill = fill;
    tc
}

/// Splits `total` fiftieths of a percent between a first column of `first` and `n` equal ones.
fn widths(first: u32, n: usize) -> Vec<u32> {
    let n32 = u32::try_from(n.max(1)).unwrap_or(1);
    let each = (5000 - first) / n32;
    let mut w = vec![first];
    w.extend(std::iter::repeat_n(each, n));
    // the rounding's remainder to the first column, so the table is the text's width
    let sum: u32 = w.iter().sum();
    w[0] += 5000 - sum.min(5000);
    w
}

fn document(v: &View, model: &crate::model::Model) -> String {
    let t = v.t;
    let w = words(v.lang);
    let mut d =
        Doc { v, words: crate::words::Words::new(model, v.lang), w, body: String::new(), tables: 0, figures: 0 };
    // the status first: a draft's figures must not reach a Board paper as a result
    if let Some(m) = &v.status.mark {
        para(&mut d.body, "Mark", &[(m, Look::PLAIN)]);
    }
    if let Some(dec) = &v.status.decision {
        para(&mut d.body, "Decision", &[(dec, Look::PLAIN)]);
    }
    para(&mut d.body, "Title", &[(&v.title, Look::PLAIN)]);
    let mut periods: Vec<&str> = v.periods.iter().map(|p| p.period.as_str()).collect();
    periods.reverse();
    let units: Vec<String> =
        v.periods.first().map(|p| p.units.iter().map(|u| u.name.clone()).collect()).unwrap_or_default();
    let sub = format!(
        "{} · {}: {} · {}: {} · {} {}",
        t.report,
        t.periods,
        periods.join(", "),
        t.states,
        units.join(", "),
        t.scale,
        v.scale_text
    );
    para(&mut d.body, "Subtitle", &[(&sub, Look::PLAIN)]);
    d.text(&v.status.line, Look::SMALL);
    for (who, note) in &v.status.notes {
        d.text(&format!("{} ({who}): {note}", v.status.t.note), Look { small: true, italic: true, ..Look::PLAIN });
    }
    for p in &v.periods {
        d.heading(1, &format!("{} · {}", t.results, p.period));
        // the matrix
        let m = &p.matrix;
        d.heading(2, t.matrix);
        // a matrix wider than the page in parts of a page's width of states, as printed
        let parts = m.print_parts();
        for part in &parts {
            let caption = if parts.len() > 1 {
                format!("{} ({}; {} {}–{} / {})", t.matrix, p.period, t.states, part.first, part.last, part.total)
            } else {
                format!("{} ({})", t.matrix, p.period)
            };
            d.table_caption(&caption);
            let n = part.units.len() + 2;
            let mut rows = vec![];
            let mut head = vec![Tc::text(String::new())];
            head.extend(part.units.iter().map(|u| Tc::text(u.name.clone()).centre()));
            head.push(Tc::text(t.union_mean).centre());
            head.push(Tc::text(t.best).centre());
            rows.push(head);
            for pr in &part.rows {
                let r = pr.row;
                let look = match r.area.depth {
                    0 => Look::BOLD,
                    1 => Look::PLAIN,
                    _ => Look::ITALIC,
                };
                let indent = "    ".repeat(r.area.depth.saturating_sub(1) as usize);
                let mut cells = vec![Tc::look(format!("{indent}{}", r.area.label), look)];
                cells.extend(pr.cells.iter().map(score));
                cells.push(Tc::look(r.mean.text.clone(), Look::BOLD).centre());
                cells.push(Tc::text(r.best.text.clone()).centre().line(r.best.units.clone(), Look::SMALL));
                rows.push(cells);
            }
            if m.standards > 0 {
                let mut cells = vec![Tc::look(t.standards_met, Look::BOLD)];
                cells.extend(part.met.iter().map(|x| Tc::text(x.clone()).centre()));
                cells.push(Tc::text(String::new()));
                cells.push(Tc::text(String::new()));
                rows.push(cells);
            }
            d.table(&widths(1250, n), 1, rows);
        }
        d.text(t.matrix_note, Look::SMALL);
        // the matrix at full depth and the state × element matrices, in parts of a page's width
        // of states as printed
        for (title, note, blocks) in [
            (t.indicators_by_state, t.indicators_note, &p.indicators),
            (t.elements_by_state, t.elements_note, &p.elements),
        ] {
            if blocks.is_empty() {
                continue;
            }
            d.heading(2, title);
            d.text(note, Look::SMALL);
            let parts = p.depth_parts();
            for part in &parts {
                let units = p.units_in(part);
                let caption = if parts.len() > 1 {
                    format!("{title} ({}; {} {}–{} / {})", p.period, t.states, part.first + 1, part.end, p.units.len())
                } else {
                    format!("{title} ({})", p.period)
                };
                d.table_caption(&caption);
                let mut head = vec![Tc::text(String::new())];
                head.extend(units.iter().map(|u| Tc::text(u.name.clone()).centre()));
                let mut rows = vec![head];
                for b in blocks.iter() {
                    if !b.label.is_empty() {
                        let mut c = Tc::look(b.label.clone(), Look::BOLD);
                        c.span = units.len() + 1;
                        c.fill = Some("F5F5F4");
                        rows.push(vec![c]);
                    }
                    for r in &b.rows {
                        let mut cells = vec![Tc::text(r.label.clone())];
                        cells.extend(r.cells_in(part).iter().map(depth_cell));
                        rows.push(cells);
                    }
                }
                d.table(&widths(1600, units.len()), 1, rows);
            }
        }
        // the figures: one per index and area, from the matrix's own numbers
        d.heading(2, t.by_area);
        for r in m.rows.iter().filter(|r| r.area.depth <= 1) {
            let bars: Vec<(String, Option<f64>, String)> =
                m.units.iter().zip(&r.cells).map(|(u, c)| (u.name.clone(), c.value, c.text.clone())).collect();
            d.bars(
                &format!("{} ({})", r.area.label, p.period),
                &bars,
                Some((t.union_mean.into(), r.mean.text.clone())),
            );
        }
        // the Code
        let s = &p.standards;
        if !s.chapters.is_empty() {
            d.heading(2, t.standards);
            d.text(t.standards_note, Look::SMALL);
            d.table_caption(&format!("{} ({})", t.standards, p.period));
            let mut rows = vec![];
            let mut head = vec![Tc::text(t.standard)];
            head.extend(s.units.iter().map(|u| Tc::text(u.name.clone()).centre()));
            head.push(Tc::text(t.union_count).centre());
            rows.push(head);
            let n = s.units.len() + 1;
            for ch in &s.chapters {
                if !ch.code.is_empty() {
                    let mut c = Tc::look(format!("{} {} · {}", t.chapter, ch.code, ch.label), Look::BOLD);
                    c.span = n + 1;
                    c.fill = Some("F5F5F4");
                    rows.push(vec![c]);
                }
                for st in &ch.rows {
                    let mut cells = vec![Tc::look(format!("{} {}", st.code, st.label), Look::BOLD).line(
                        format!(
                            "{}. {}: {}",
                            crate::words::capitalise(&st.kind),
                            t.requirement,
                            // the requirement in words; as written when the standard is unknown
                            d.words.model.standards.get(&st.code).map_or_else(
                                || st.requirement.clone(),
                                |s| crate::words::capitalise(&d.words.requirement(s))
                            )
                        ),
                        Look::SMALL,
                    )];
                    for c in &st.cells {
                        let fill = match c.class {
                            "met" => Some("DCFCE7"),
                            "not_met" => Some("FEE2E2"),
                            _ => Some("F5F5F4"),
                        };
                        let mut tc = Tc::look(format!("{} {}", c.symbol, c.verdict), Look::BOLD)
                            .centre()
                            .line(
                                if c.level.is_empty() { String::new() } else { format!("{}: {}", t.level, c.level) },
                                Look::SMALL,
                            )
                            .line(c.detail.clone(), Look::SMALL);
                        tc.fill = fill;
                        cells.push(tc);
                    }
                    cells.push(Tc::text(format!("{} / {} / {}", st.met, st.not_met, st.not_assessable)).centre());
                    rows.push(cells);
                }
            }
            d.table(&widths(1700, n), 1, rows);
            d.table_caption(&format!("{} ({})", t.chapter_scores, p.period));
            let mut rows = vec![];
            let mut head = vec![Tc::text(String::new())];
            head.extend(s.units.iter().map(|u| Tc::text(u.name.clone()).centre()));
            head.push(Tc::text(t.union_mean).centre());
            rows.push(head);
            for r in &s.scores {
                let mut cells = vec![Tc::look(r.label.clone(), if r.total { Look::BOLD } else { Look::PLAIN })];
                cells.extend(r.cells.iter().zip(&r.counts).map(|(c, k)| score(c).line(k.clone(), Look::SMALL)));
                cells.push(Tc::look(r.mean.text.clone(), Look::BOLD).centre());
                rows.push(cells);
            }
            d.table(&widths(1700, s.units.len() + 1), 1, rows);
        }
        // recommendations: one numbered table, state by state
        d.heading(2, t.recommendations);
        let mut rows =
            vec![vec![Tc::text(w.no).centre(), Tc::text(w.state), Tc::text(w.recommendation), Tc::text(t.condition)]];
        let mut k = 0;
        for u in &p.recommendations {
            for r in &u.items {
                k += 1;
                let mut text = Tc::text(r.text.clone());
                if !r.applies {
                    text = text.line(format!("{}: {}", t.rec_not_assessable, r.reason), Look::SMALL);
                }
                let condition = d
                    .words
                    .model
                    .recommendations
                    .get(&r.id)
                    .map_or_else(|| r.condition.clone(), |rec| crate::words::capitalise(&d.words.condition(rec)));
                let mut condition = Tc::look(condition, Look::SMALL);
                for a in &r.also {
                    text = text.line(a.text.clone(), Look::PLAIN);
                    condition = condition.line(a.condition.clone(), Look::SMALL);
                }
                rows.push(vec![Tc::text(k.to_string()).centre(), Tc::text(u.unit.name.clone()), text, condition]);
            }
        }
        if k == 0 {
            d.text(t.no_recommendations, Look::PLAIN);
        } else {
            d.table_caption(&format!("{} ({})", t.recommendations, p.period));
            d.table(&[400, 1000, 2300, 1300], 1, rows);
        }
    }
    if let Some(ch) = &v.change {
        d.heading(1, t.change);
        d.text(t.change_note, Look::SMALL);
        d.table_caption(t.change);
        let n = ch.periods.len() + ch.delta_heads.len();
        let mut head = vec![Tc::text(v.unit_word.clone()), Tc::text(String::new())];
        head.extend(ch.periods.iter().map(|p| Tc::text(p.clone()).centre()));
        head.extend(ch.delta_heads.iter().map(|h| Tc::text(h.clone()).centre()));
        let mut rows = vec![head];
        for u in &ch.units {
            for (k, r) in u.rows.iter().enumerate() {
                let who = if k == 0 { u.unit.name.clone() } else { String::new() };
                let mut cells = vec![
                    Tc::look(who, Look::BOLD),
                    Tc::look(r.label.clone(), if r.depth == 0 { Look::BOLD } else { Look::PLAIN }),
                ];
                cells.extend(r.scores.iter().map(|c| Tc::text(c.text.clone()).centre()));
                cells.extend(r.deltas.iter().map(|d| {
                    let text = if d.arrow.is_empty() { d.text.clone() } else { format!("{} {}", d.arrow, d.text) };
                    Tc::text(text).centre()
                }));
                rows.push(cells);
            }
        }
        let mut wd = widths(1100, n + 1);
        // the state's column and the area's: the first two
        wd[1] = wd[1].saturating_add(wd[0].saturating_sub(1100));
        wd[0] = 1100.min(wd[0]);
        d.table(&wd, 1, rows);
    }
    if let Some(sc) = &v.scenarios {
        scenarios(&mut d, sc);
    }
    if let Some(a) = &v.audit {
        audit(&mut d, a);
    }
    // provenance
    let pr = &v.provenance;
    d.heading(1, t.provenance);
    d.text(t.provenance_note, Look::SMALL);
    d.text(&v.status.line, Look::PLAIN);
    let mut line = format!("{}: {} · {} {}", t.methodology, pr.id, t.version, pr.version);
    if let Some(f) = &pr.fingerprint {
        let _ = write!(line, " · {} {f}", t.fingerprint);
    }
    let _ = write!(line, " · tamga {}", pr.tamga);
    d.text(&line, Look::PLAIN);
    d.table_caption(t.rule_files);
    let mut rows = vec![vec![Tc::text(t.file), Tc::text("SHA-256")]];
    rows.extend(pr.rule_files.iter().map(|f| vec![Tc::text(f.file.clone()), Tc::look(f.sha256.clone(), Look::SMALL)]));
    d.table(&[2000, 3000], 1, rows);
    d.table_caption(t.submissions);
    let mut rows = vec![vec![Tc::text(t.file), Tc::text(v.unit_word.clone()), Tc::text(t.period), Tc::text("SHA-256")]];
    rows.extend(pr.inputs.iter().map(|f| {
        vec![
            Tc::text(f.file.clone()),
            Tc::text(f.unit.clone()),
            Tc::text(f.period.clone()),
            Tc::look(f.sha256.clone(), Look::SMALL),
        ]
    }));
    d.table(&[1500, 700, 500, 2300], 1, rows);
    let body = d.body;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
    );
    out.push_str(&body);
    // A4 portrait: 210 × 297 mm in twips; margins 2 cm top and bottom, 3 cm left, 1.5 cm right
    out.push_str(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" \
         w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
    );
    out
}

/// The ranks by scenario: the scenarios and what they change, then a numbered table per period
/// (the methodology's index and rank, then each scenario's index and its rank with the shift).
fn scenarios(d: &mut Doc<'_>, sc: &super::view::ScenariosView) {
    d.heading(1, sc.heading);
    d.text(sc.intro, Look::PLAIN);
    for h in &sc.scenarios {
        let what = if h.changes.is_empty() { String::new() } else { format!(": {}", h.changes.join(", ")) };
        d.text(&format!("{} ({}){what}", h.label, h.id), Look::PLAIN);
    }
    d.text(sc.note, Look::SMALL);
    let k = sc.scenarios.len();
    let rank_shift = format!("{} ({})", sc.rank, sc.shift.to_lowercase());
    for t in &sc.periods {
        d.table_caption(&format!("{} ({})", sc.heading, t.period));
        let mut top = vec![Tc::text(sc.unit_word.clone()), {
            let mut c = Tc::text(sc.methodology).centre();
            c.span = 2;
            c
        }];
        for h in &sc.scenarios {
            let mut c = Tc::text(h.label.clone()).centre();
            c.span = 2;
            top.push(c);
        }
        let mut sub = vec![Tc::text(String::new()), Tc::text(sc.index).centre(), Tc::text(sc.rank).centre()];
        for _ in &sc.scenarios {
            sub.push(Tc::text(sc.index).centre());
            sub.push(Tc::text(rank_shift.clone()).centre());
        }
        let mut rows = vec![top, sub];
        for r in &t.rows {
            let mut cells =
                vec![Tc::text(r.unit.name.clone()), score(&r.index), Tc::look(r.rank.clone(), Look::BOLD).centre()];
            for c in &r.cells {
                cells.push(score(&c.index));
                cells.push(Tc::text(c.rank_and_shift()).centre());
            }
            rows.push(cells);
        }
        d.table(&widths(1100, 2 + 2 * k), 2, rows);
        d.text(&t.largest, Look::BOLD);
    }
}

/// The statistical audit, compact: per period (the latest first) and area, each child against the
/// area with alpha if it is deleted and its item–rest correlation (the correlations between
/// children, and the matrix of every indicator, are in the HTML and Markdown reports), the
/// eigenvalues, flags and notes; the set, when one was audited; each state's data availability.
fn audit(d: &mut Doc<'_>, a: &crate::audit::view::AuditView) {
    let t = a.t;
    d.heading(1, t.title);
    d.text(t.method, Look::SMALL);
    d.text(t.table_note, Look::SMALL);
    for p in &a.periods {
        d.heading(2, &format!("{} · {}", t.title, p.period));
        d.text(&format!("{} ({}): {}. {}", t.states, p.unit_count, p.units, p.flag_summary), Look::PLAIN);
        for ar in &p.areas {
            d.table_caption(&format!("{} ({}) · {}", ar.label, ar.id, p.period));
            let mut rows = vec![[t.num, t.child, "n", "r", "p", "ρ", t.alpha_drop, t.item_rest]
                .iter()
                .map(|h| Tc::text(*h).centre())
                .collect::<Vec<_>>()];
            for r in &ar.rows {
                let look = if r.flagged { Look::BOLD } else { Look::PLAIN };
                let num = if r.flagged { format!("!{}", r.num) } else { r.num.clone() };
                let mut cells = vec![
                    Tc::look(num, look).centre(),
                    Tc::look(r.label.clone(), look).line(r.id.clone(), Look::SMALL),
                    Tc::text(r.n.clone()).centre(),
                ];
                cells.push(Tc::text(r.r.text.clone()).centre());
                cells.push(Tc::text(r.p.clone()).centre());
                cells.push(Tc::text(r.rho.text.clone()).centre());
                cells.push(Tc::text(r.alpha_drop.clone()).centre());
                cells.push(Tc::text(r.item_rest.clone()).centre());
                rows.push(cells);
            }
            d.table(&[350, 1850, 400, 400, 500, 400, 550, 550], 1, rows);
            d.text(&ar.summary, Look::SMALL);
            for f in &ar.flags {
                d.text(&format!("! {f}"), Look { bold: true, small: true, ..Look::PLAIN });
            }
            d.text(&ar.components, Look::SMALL);
            for n in &ar.notes {
                d.text(&format!("— {n}"), Look::SMALL);
            }
        }
        if let Some(s) = &p.set {
            d.table_caption(&format!("{} · {}", t.set, p.period));
            let mut rows =
                vec![vec![Tc::text(t.child), Tc::text(t.alpha_drop).centre(), Tc::text(t.item_rest).centre()]];
            for [id, label, al, r] in &s.rows {
                rows.push(vec![
                    Tc::text(label.clone()).line(id.clone(), Look::SMALL),
                    Tc::text(al.clone()).centre(),
                    Tc::text(r.clone()).centre(),
                ]);
            }
            d.table(&[3000, 1000, 1000], 1, rows);
            d.text(&s.summary, Look::SMALL);
            d.text(&s.components, Look::SMALL);
        }
        let av = &p.availability;
        d.table_caption(&format!("{} · {}", t.availability, p.period));
        let mut rows = vec![vec![Tc::text(t.state), Tc::text(t.present).centre(), Tc::text(t.share).centre()]];
        for u in &av.units {
            rows.push(vec![
                Tc::text(u.unit.clone()),
                Tc::text(u.present.clone()).centre(),
                Tc::text(u.share.clone()).centre(),
            ]);
        }
        d.table(&[2000, 1500, 1500], 1, rows);
        d.text(&av.note, Look::SMALL);
        for s in &av.screened_out {
            d.text(s, Look::SMALL);
        }
        if av.indicators.is_empty() {
            d.text(t.all_complete, Look::PLAIN);
        } else {
            d.table_caption(&format!("{} · {}", t.incomplete_indicators, p.period));
            let mut rows = vec![vec![
                Tc::text(t.indicator),
                Tc::text(t.present).centre(),
                Tc::text(t.share).centre(),
                Tc::text(t.missing),
            ]];
            for i in &av.indicators {
                rows.push(vec![
                    Tc::text(i.label.clone()).line(i.id.clone(), Look::SMALL),
                    Tc::text(i.present.clone()).centre(),
                    Tc::text(i.share.clone()).centre(),
                    Tc::look(i.missing.clone(), Look::SMALL),
                ]);
            }
            d.table(&[1800, 600, 600, 2000], 1, rows);
        }
    }
}

/// The footer of every page: the status line, then the page number.
fn footer(v: &View) -> String {
    let w = words(v.lang);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>");
    run(&mut out, &format!("{} · {} ", v.status.line, w.page), Look::PLAIN);
    out.push_str(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
    );
    out.push_str("</w:p></w:ftr>");
    out
}

fn styles(lang: Lang) -> String {
    let l = words(lang).lang;
    let fonts = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" \
                 w:cs=\"Times New Roman\"/>";
    let para_style = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/>\
             <w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        )
    };
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>\
         <w:lang w:val=\"{l}\" w:eastAsia=\"{l}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:jc w:val=\"both\"/></w:pPr></w:style>"
    );
    s.push_str(&para_style(
        "Title",
        "Title",
        "<w:jc w:val=\"center\"/><w:spacing w:before=\"240\" w:after=\"120\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>",
    ));
    s.push_str(&para_style("Subtitle", "Subtitle", "<w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/>", ""));
    s.push_str(&para_style(
        "Mark",
        "Status mark",
        "<w:jc w:val=\"right\"/>",
        "<w:b/><w:bCs/><w:caps/><w:color w:val=\"9A3412\"/><w:spacing w:val=\"20\"/>",
    ));
    s.push_str(&para_style(
        "Decision",
        "Decision",
        "<w:jc w:val=\"right\"/>",
        "<w:b/><w:bCs/><w:color w:val=\"14532D\"/>",
    ));
    for (k, (size, before)) in [(30, 360), (28, 240), (26, 200)].iter().enumerate() {
        let level = k + 1;
        let page = if level == 1 { "<w:pageBreakBefore/>" } else { "" };
        s.push_str(&format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/>\
             <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>{page}\
             <w:spacing w:before=\"{before}\" w:after=\"120\"/><w:jc w:val=\"left\"/><w:outlineLvl w:val=\"{k}\"/></w:pPr>\
             <w:rPr><w:b/><w:bCs/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr></w:style>"
        ));
    }
    s.push_str(&para_style(
        "Caption",
        "caption",
        "<w:keepNext/><w:jc w:val=\"left\"/><w:spacing w:before=\"120\" w:after=\"60\"/>",
        "",
    ));
    s.push_str(&para_style(
        "FigureCaption",
        "Figure caption",
        "<w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/>",
        "",
    ));
    s.push_str(&para_style(
        "Cell",
        "Table text",
        "<w:jc w:val=\"left\"/><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    ));
    s.push_str(&para_style(
        "CellCentre",
        "Table text, centred",
        "<w:jc w:val=\"center\"/><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    ));
    s.push_str(&para_style(
        "Footer",
        "footer",
        "<w:jc w:val=\"left\"/><w:spacing w:after=\"0\"/>",
        "<w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/><w:color w:val=\"57534E\"/>",
    ));
    s.push_str(
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>\
         <w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"Grid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>\
         <w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"78716C\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"78716C\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"78716C\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"78716C\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A8A29E\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"A8A29E\"/></w:tblBorders>\
         <w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"40\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"40\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    );
    s.push_str("</w:styles>");
    s
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

/// The document's properties: its title and language, no date (the same inputs give the same
/// bytes).
fn core(v: &View) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>tamga {}</dc:creator>\
         <dc:language>{}</dc:language></cp:coreProperties>",
        esc(&v.title),
        esc(&v.provenance.tamga),
        words(v.lang).lang
    )
}

/// The parts of the package, in the order they are written.
pub fn parts(v: &View, model: &crate::model::Model) -> Vec<(&'static str, String)> {
    vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(v)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document(v, model)),
        ("word/styles.xml", styles(v.lang)),
        ("word/footer1.xml", footer(v)),
    ]
}

/// Renders the view as a Word document (the bytes of `report.docx`); the methodology gives the
/// requirements of standards and the conditions of recommendations in words.
pub fn render(v: &View, model: &crate::model::Model) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // a fixed time (1980-01-01, zip's first), so the same report gives the same bytes
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts(v, model) {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(esc("a<b>&\"c\u{1}\td"), "a&lt;b&gt;&amp;&quot;c d");
    }

    #[test]
    fn bars_are_proportional_in_eighths() {
        assert_eq!(bar_of(0.0), "");
        assert_eq!(bar_of(1.0).chars().count(), 30);
        assert_eq!(bar_of(0.5), "█".repeat(15));
        assert_eq!(bar_of(1.0 / 240.0), "▏");
    }

    #[test]
    fn columns_fill_the_text_width() {
        for n in 1..12 {
            assert_eq!(widths(1400, n).iter().sum::<u32>(), 5000, "{n}");
        }
    }
}
