//! Small SVG charts for the HTML report: a column chart of the states' scores with the union
//! mean marked, a horizontal profile of one state across areas, and the colour scale of the
//! matrix.
//!
//! The charts are meant to sit inline in HTML, so they carry no namespace declaration (an HTML
//! parser gives inline `<svg>` its namespace); a standalone file needs [`standalone`].
//!
//! The charts draw what they are given and compute nothing but geometry: values, their published
//! text and the union mean come from the result. Every text is escaped; fonts are the system's
//! (no external font is ever referenced); the output is deterministic (coordinates are written
//! with one decimal), so a chart can be snapshotted.

use std::fmt::Write;

/// The font stack of every chart: system fonts only.
pub const FONTS: &str = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, DejaVu Sans, Arial, sans-serif";

/// The colour classes of the scale, low to high: ColorBrewer's YlGnBu, five classes, which stays
/// readable for the common colour-vision deficiencies and in greyscale (it is sequential in
/// lightness). Each is `(fill, text colour on it)`.
pub const CLASSES: [(&str, &str); 5] = [
    ("#ffffcc", "#1a1a1a"),
    ("#a1dab4", "#1a1a1a"),
    ("#41b6c4", "#1a1a1a"),
    ("#2c7fb8", "#ffffff"),
    ("#253494", "#ffffff"),
];

/// The colour of the union-mean marks: an orange that stands apart from every class.
pub const MEAN_COLOUR: &str = "#c2410c";

/// The fill of a missing value's placeholder.
pub const MISSING_COLOUR: &str = "#e5e5e5";

/// The class (0–4) of a value on a scale: five classes of equal width; values outside the
/// scale fall in the end classes.
pub fn class_of(value: f64, scale: (f64, f64)) -> usize {
    let (bottom, top) = scale;
    if top <= bottom || !value.is_finite() {
        return 0;
    }
    let t = ((value - bottom) / (top - bottom) * 5.0).floor();
    t.clamp(0.0, 4.0) as usize
}

/// The edges of the five classes: `bottom, …, top` (six numbers).
pub fn class_edges(scale: (f64, f64)) -> [f64; 6] {
    let (b, t) = scale;
    std::array::from_fn(|k| b + (t - b) * k as f64 / 5.0)
}

/// Escapes text for SVG (XML) content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One bar: a label, the value (none when missing) and the text shown for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar stands for (a state's code, an area's name).
    pub label: String,
    /// The value, for the geometry; `None` when missing.
    pub value: Option<f64>,
    /// The text shown: the published value, or why it is missing.
    pub text: String,
    /// A longer description for the tooltip (the state's name, the reason a value is missing).
    pub tooltip: String,
    /// The union mean for this bar's row, in a profile chart.
    pub mean: Option<f64>,
    /// Whether to emphasise the bar (the index in a profile).
    pub strong: bool,
    /// How far to indent the label (a sub-area's depth below the areas), in a profile.
    pub indent: u32,
}

/// The union mean line of a column chart.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanLine {
    /// The value.
    pub value: f64,
    /// Its label (`union mean 58.4`).
    pub label: String,
}

/// A coordinate with one decimal, as `format!("{:.1}")` writes it (`-0.0` as `0.0`). Charts of a
/// large report hold millions of them: when ten times `x` is not near a half (where the decimal
/// rounding of the exact value could differ from that of the product), the digits come from an
/// integer, without the float formatting machinery (a tenth of a 100,000-unit report was spent
/// there); the same text either way ([`n1_exact`]).
fn n1(x: f64) -> String {
    let t = x * 10.0;
    let r = t.round();
    // below 1e12 the product is off by less than 1e-3, far within the 0.01 kept from a half
    if (t - r).abs() < 0.49 && r.abs() < 1e12 {
        let k = r as i64;
        let sign = if k < 0 { "-" } else { "" };
        let k = k.unsigned_abs();
        return format!("{sign}{}.{}", k / 10, k % 10);
    }
    n1_exact(x)
}

/// [`n1`] by the float formatting of the standard library.
fn n1_exact(x: f64) -> String {
    let s = format!("{:.1}", x);
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

/// Tick values of an axis: the scale's ends and three points between.
fn ticks(scale: (f64, f64)) -> Vec<f64> {
    let (b, t) = scale;
    (0..=4).map(|k| b + (t - b) * k as f64 / 4.0).collect()
}

fn tick_text(x: f64) -> String {
    let s = format!("{:.1}", x);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

fn open(out: &mut String, w: f64, h: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" font-family="{FONTS}" font-size="11"><title>{}</title>"#,
        escape(title)
    );
}

/// A column chart: one bar per state on the scale, the value above each bar, the state below,
/// and the union mean as a dashed line across.
pub fn columns(title: &str, bars: &[Bar], scale: (f64, f64), mean: Option<&MeanLine>) -> String {
    let (w, h) = (290.0, 210.0);
    let (left, right, top, bottom) = (30.0, 8.0, 32.0, 34.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let span = if scale.1 > scale.0 { scale.1 - scale.0 } else { 1.0 };
    let y = |v: f64| top + ph - ((v - scale.0) / span).clamp(0.0, 1.0) * ph;
    let mut out = String::new();
    open(&mut out, w, h, title);
    for t in ticks(scale) {
        let yy = n1(y(t));
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{yy}" y2="{yy}" stroke="#d4d4d4" stroke-width="0.6"/><text x="{}" y="{yy}" dy="3.5" text-anchor="end" fill="#525252" font-size="9.5">{}</text>"##,
            w - right,
            left - 4.0,
            tick_text(t)
        );
    }
    let n = bars.len().max(1) as f64;
    let band = pw / n;
    let bw = (band * 0.62).min(46.0);
    // the states' names under the bars, on up to two lines, in a size at which the longest word fits
    let widest = bars.iter().flat_map(|b| b.label.split_whitespace()).map(text_width).fold(0.0_f64, f64::max);
    let name_size = if widest > 0.0 { ((band - 3.0) / widest).clamp(6.5, 9.5) } else { 9.5 };
    // where the value labels are, so that the mean line passes them by
    let mut gaps: Vec<(f64, f64)> = vec![];
    let ym = mean.map(|m| y(m.value));
    for (k, b) in bars.iter().enumerate() {
        let cx = left + band * (k as f64 + 0.5);
        let x = n1(cx - bw / 2.0);
        let _ = write!(out, "<g><title>{}</title>", escape(&b.tooltip));
        match b.value {
            Some(v) => {
                let (fill, _) = CLASSES[class_of(v, scale)];
                let yv = y(v);
                if let Some(ym) = ym {
                    let half = text_width(&b.text) * 11.0 * 1.05 / 2.0 + 2.0;
                    if ym > yv - 4.0 - 11.0 && ym < yv - 4.0 + 3.0 {
                        gaps.push((cx - half, cx + half));
                    }
                }
                let _ = write!(
                    out,
                    r##"<rect x="{x}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#404040" stroke-width="0.6"/><text x="{}" y="{}" text-anchor="middle" fill="#171717" font-weight="600"{HALO}>{}</text>"##,
                    n1(yv),
                    n1(bw),
                    n1(top + ph - yv),
                    n1(cx),
                    n1(yv - 4.0),
                    escape(&b.text)
                );
            }
            None => {
                // no bar for a missing value: its mark at the baseline
                let yb = top + ph - 4.0;
                if let Some(ym) = ym {
                    let half = text_width(&b.text) * 11.0 / 2.0 + 2.0;
                    if ym > yb - 11.0 && ym < yb + 3.0 {
                        gaps.push((cx - half, cx + half));
                    }
                }
                let _ = write!(
                    out,
                    r##"<text x="{}" y="{}" text-anchor="middle" fill="#525252" font-style="italic">{}</text>"##,
                    n1(cx),
                    n1(yb),
                    escape(&b.text)
                );
            }
        }
        let _ = write!(
            out,
            r##"<text text-anchor="middle" fill="#262626" font-weight="600" font-size="{}">"##,
            n1(name_size)
        );
        for (i, l) in wrap(&b.label, (band - 3.0) / name_size, 2).iter().enumerate() {
            let _ = write!(
                out,
                r##"<tspan x="{}" y="{}">{}</tspan>"##,
                n1(cx),
                n1(h - bottom + 13.0 + (name_size + 1.5) * i as f64),
                escape(l)
            );
        }
        out.push_str("</text></g>");
    }
    let _ = write!(
        out,
        r##"<line x1="{left}" x2="{}" y1="{}" y2="{}" stroke="#404040" stroke-width="1"/>"##,
        w - right,
        n1(top + ph),
        n1(top + ph)
    );
    if let Some(m) = mean {
        // the dashed line across, interrupted where a value label sits on it
        gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
        let yl = n1(y(m.value));
        let _ = write!(out, "<g><title>{}</title>", escape(&m.label));
        let mut x0 = left;
        for (a, b) in gaps.iter().copied().chain(std::iter::once((w - right, w - right))) {
            if a > x0 {
                let _ = write!(
                    out,
                    r##"<line x1="{}" x2="{}" y1="{yl}" y2="{yl}" stroke="{MEAN_COLOUR}" stroke-width="1.6" stroke-dasharray="6 3"/>"##,
                    n1(x0),
                    n1(a)
                );
            }
            x0 = x0.max(b);
        }
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="9" y2="9" stroke="{MEAN_COLOUR}" stroke-width="1.6" stroke-dasharray="6 3"/><text x="{}" y="12.5" fill="{MEAN_COLOUR}" font-weight="600">{}</text></g>"##,
            left + 20.0,
            left + 25.0,
            escape(&m.label)
        );
    }
    out.push_str("</svg>");
    out
}

/// A white outline behind a text, so it stays legible over lines.
const HALO: &str = r##" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##;

/// A chart as a standalone SVG document (with its namespace declaration).
pub fn standalone(svg: &str) -> String {
    match svg.strip_prefix("<svg ") {
        Some(rest) => format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {rest}\n"),
        None => svg.to_string(),
    }
}

/// The approximate width of a text in ems, in a sans-serif system font: SVG text does not wrap,
/// so labels are broken into lines by this estimate (on the wide side, so that they fit).
pub fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| match c {
            ' ' => 0.32,
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '(' | ')' => 0.3,
            'f' | 't' | 'r' | '-' => 0.42,
            'm' | 'w' | 'M' | 'W' | 'ш' | 'щ' | 'ж' | 'ю' | 'ы' | 'м' | 'Ш' | 'Щ' | 'Ж' | 'Ю' | 'Ы' | 'М' => {
                0.9
            }
            c if c.is_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.64,
            c if ('\u{0400}'..='\u{04ff}').contains(&c) => 0.64,
            _ => 0.6,
        })
        .sum()
}

/// Splits a label into at most `lines` lines no wider than `width` ems ([`text_width`]), at
/// spaces; what does not fit is cut with an ellipsis.
pub fn wrap(text: &str, width: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let joined = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if !cur.is_empty() && text_width(&joined) > width {
            out.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = joined;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    let cut = out.len() > lines;
    out.truncate(lines);
    for (k, l) in out.iter_mut().enumerate() {
        let last = k + 1 == lines;
        if text_width(l) > width || (cut && last) {
            let mut s: String = l.clone();
            while !s.is_empty() && text_width(&s) + 0.6 > width {
                s.pop();
            }
            *l = format!("{}…", s.trim_end());
        }
    }
    out
}

/// A horizontal profile: one bar per area for one state, its value at the end of the bar, and a
/// tick at each area's union mean.
pub fn profile(title: &str, rows: &[Bar], scale: (f64, f64), mean_label: &str) -> String {
    let w = 440.0;
    let (label_w, value_w, top) = (204.0, 44.0, 22.0);
    let pw = w - label_w - value_w - 8.0;
    // every label in full: wrapped on as many lines as it needs (up to six), its row as tall
    let wrapped: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let indent = 10.0 * f64::from(r.indent.min(4));
            wrap(&r.label, (label_w - 10.0 - indent) / 11.0 / if r.strong { 1.06 } else { 1.0 }, 6)
        })
        .collect();
    let heights: Vec<f64> = wrapped.iter().map(|l| (12.0 * l.len() as f64 + 8.0).max(32.0)).collect();
    let h = top + heights.iter().sum::<f64>() + 20.0;
    let span = if scale.1 > scale.0 { scale.1 - scale.0 } else { 1.0 };
    let x = |v: f64| label_w + ((v - scale.0) / span).clamp(0.0, 1.0) * pw;
    let mut out = String::new();
    open(&mut out, w, h, title);
    // legend of the mean tick
    let _ = write!(
        out,
        r##"<line x1="{}" x2="{}" y1="6" y2="16" stroke="{MEAN_COLOUR}" stroke-width="2.2"/><text x="{}" y="14.5" fill="{MEAN_COLOUR}" font-size="10">{}</text>"##,
        n1(label_w),
        n1(label_w),
        n1(label_w + 5.0),
        escape(mean_label)
    );
    for t in ticks(scale) {
        let xx = n1(x(t));
        let _ = write!(
            out,
            r##"<line x1="{xx}" x2="{xx}" y1="{top}" y2="{}" stroke="#e5e5e5" stroke-width="0.6"/><text x="{xx}" y="{}" text-anchor="middle" fill="#525252" font-size="9.5">{}</text>"##,
            n1(h - 18.0),
            n1(h - 6.0),
            tick_text(t)
        );
    }
    let mut y0 = top;
    for ((r, lines), row_h) in rows.iter().zip(&wrapped).zip(&heights) {
        let row_h = *row_h;
        let bar_y = y0 + row_h / 2.0 - 9.0;
        let bar_h = 18.0;
        let _ = write!(out, "<g><title>{}</title>", escape(&r.tooltip));
        let indent = 10.0 * f64::from(r.indent.min(4));
        let first_dy = row_h / 2.0 + 3.5 - 6.0 * (lines.len() as f64 - 1.0);
        let weight = if r.strong { r#" font-weight="700""# } else { "" };
        for (i, l) in lines.iter().enumerate() {
            let _ = write!(
                out,
                r##"<text x="{indent}" y="{}" fill="#262626"{weight}>{}</text>"##,
                n1(y0 + first_dy + 12.0 * i as f64),
                escape(l)
            );
        }
        match r.value {
            Some(v) => {
                let (fill, _) = CLASSES[class_of(v, scale)];
                let _ = write!(
                    out,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#404040" stroke-width="0.6"/><text x="{}" y="{}" text-anchor="end" fill="#171717" font-weight="600">{}</text>"##,
                    n1(label_w),
                    n1(bar_y),
                    n1(x(v) - label_w),
                    n1(bar_h),
                    n1(w - 2.0),
                    n1(bar_y + bar_h / 2.0 + 4.0),
                    escape(&r.text)
                );
            }
            None => {
                // no bar for a missing value: its mark at the baseline
                let _ = write!(
                    out,
                    r##"<text x="{}" y="{}" fill="#525252" font-style="italic">{}</text>"##,
                    n1(label_w + 4.0),
                    n1(bar_y + bar_h / 2.0 + 4.0),
                    escape(&r.text)
                );
            }
        }
        if let Some(m) = r.mean {
            let xm = n1(x(m));
            let _ = write!(
                out,
                r##"<line x1="{xm}" x2="{xm}" y1="{}" y2="{}" stroke="{MEAN_COLOUR}" stroke-width="2.2"/>"##,
                n1(bar_y - 4.0),
                n1(bar_y + bar_h + 4.0)
            );
        }
        out.push_str("</g>");
        y0 += row_h;
    }
    let _ = write!(
        out,
        r##"<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{}" stroke="#404040" stroke-width="1"/>"##,
        n1(h - 18.0)
    );
    out.push_str("</svg>");
    out
}

/// One unit's row of a rank-interval chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RankInterval {
    /// What the row stands for (`CHE Switzerland`).
    pub label: String,
    /// The tooltip.
    pub tooltip: String,
    /// The nominal rank.
    pub nominal: Option<f64>,
    /// The median rank.
    pub median: Option<f64>,
    /// The 5th and 95th percentiles of the ranks.
    pub interval: Option<(f64, f64)>,
}

/// The rank-interval chart of an uncertainty analysis (COINr's `plot_uncertainty`): a row per
/// unit, in the order given (by nominal rank), with a bar from the 5th to the 95th percentile of
/// its ranks, a dot at the median rank and a tick at the nominal rank; rank 1 on the left.
/// `legend` names the bar, the dot and the tick.
pub fn rank_intervals(title: &str, rows: &[RankInterval], ranks: usize, legend: [&str; 3]) -> String {
    let w = 640.0;
    let (label_w, right, top, row_h) = (190.0, 14.0, 30.0, 14.0);
    let pw = w - label_w - right;
    let h = top + row_h * rows.len() as f64 + 26.0;
    let n = ranks.max(2) as f64;
    let x = |r: f64| label_w + ((r - 1.0) / (n - 1.0)).clamp(0.0, 1.0) * pw;
    let mut out = String::new();
    open(&mut out, w, h, title);
    // legend
    let _ = write!(
        out,
        r##"<rect x="{label_w}" y="8" width="26" height="6" fill="#93c5fd" stroke="#1e3a8a" stroke-width="0.5"/><text x="{}" y="14" fill="#404040" font-size="10">{}</text><circle cx="{}" cy="11" r="3.2" fill="#1e3a8a"/><text x="{}" y="14" fill="#404040" font-size="10">{}</text><line x1="{}" x2="{}" y1="5" y2="17" stroke="{MEAN_COLOUR}" stroke-width="2"/><text x="{}" y="14" fill="#404040" font-size="10">{}</text>"##,
        n1(label_w + 30.0),
        escape(legend[0]),
        n1(label_w + 150.0),
        n1(label_w + 157.0),
        escape(legend[1]),
        n1(label_w + 262.0),
        n1(label_w + 262.0),
        n1(label_w + 268.0),
        escape(legend[2])
    );
    // ticks: rank 1, then every 5 or 10 (or more) ranks, and the last
    let step =
        [1usize, 2, 5, 10, 20, 50, 100, 200, 500, 1000].into_iter().find(|s| ranks / s <= 12).unwrap_or(ranks.max(1));
    let mut ticks: Vec<usize> = vec![1];
    // (a tick too close to the last one is left out, so their numbers do not overlap)
    ticks.extend((1..=ranks / step).map(|k| k * step).filter(|t| *t > 1 && *t < ranks && 2 * (ranks - *t) >= step));
    if ranks > 1 {
        ticks.push(ranks);
    }
    let bottom = top + row_h * rows.len() as f64;
    for t in ticks {
        let xx = n1(x(t as f64));
        let _ = write!(
            out,
            r##"<line x1="{xx}" x2="{xx}" y1="{top}" y2="{}" stroke="#e7e5e4" stroke-width="0.6"/><text x="{xx}" y="{}" text-anchor="middle" fill="#525252" font-size="9.5">{t}</text>"##,
            n1(bottom),
            n1(bottom + 13.0)
        );
    }
    for (k, r) in rows.iter().enumerate() {
        let y0 = top + row_h * k as f64;
        let yc = y0 + row_h / 2.0;
        let _ = write!(out, "<g><title>{}</title>", escape(&r.tooltip));
        if k % 2 == 1 {
            let _ = write!(out, r##"<rect x="0" y="{}" width="{w}" height="{row_h}" fill="#fafaf9"/>"##, n1(y0));
        }
        let mut label = r.label.clone();
        while text_width(&label) * 10.0 > label_w - 8.0 && !label.is_empty() {
            label.pop();
        }
        if label != r.label {
            label = format!("{}…", label.trim_end());
        }
        let _ = write!(
            out,
            r##"<text x="2" y="{}" fill="#262626" font-size="10">{}</text>"##,
            n1(yc + 3.5),
            escape(&label)
        );
        if let Some((lo, hi)) = r.interval {
            let (a, b) = (x(lo), x(hi));
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="6" fill="#93c5fd" stroke="#1e3a8a" stroke-width="0.5"/>"##,
                n1(a - 1.0),
                n1(yc - 3.0),
                n1((b - a) + 2.0)
            );
        }
        if let Some(m) = r.median {
            let _ = write!(out, r##"<circle cx="{}" cy="{}" r="3.2" fill="#1e3a8a"/>"##, n1(x(m)), n1(yc));
        }
        if let Some(m) = r.nominal {
            let xm = n1(x(m));
            let _ = write!(
                out,
                r##"<line x1="{xm}" x2="{xm}" y1="{}" y2="{}" stroke="{MEAN_COLOUR}" stroke-width="2"/>"##,
                n1(y0 + 1.5),
                n1(y0 + row_h - 1.5)
            );
        }
        out.push_str("</g>");
    }
    let _ = write!(
        out,
        r##"<line x1="{label_w}" x2="{}" y1="{}" y2="{}" stroke="#404040" stroke-width="1"/>"##,
        n1(w - right),
        n1(bottom),
        n1(bottom)
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_written_as_the_float_formatting_writes_them() {
        let mut xs =
            vec![0.0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.06, -0.06, 0.25, 0.35, -0.35, 1.45, 2.675, 1e11, -1e11];
        xs.extend([1e12, 1e13, -1e15, 1e300, f64::MAX, f64::MIN_POSITIVE, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        // a sweep of coordinates as charts compute them, and of every hundredth around halves
        xs.extend((0..200_000).map(|k| (k as f64 - 100_000.0) * 0.0137));
        xs.extend((0..20_000).map(|k| (k as f64 - 10_000.0) / 100.0 + 0.005));
        xs.extend((0..20_000).map(|k| 204.0 + (k as f64 / 7.0 - 0.5).clamp(0.0, 1.0) * 184.0));
        for x in xs {
            assert_eq!(n1(x), n1_exact(x), "{x:e}");
        }
    }

    #[test]
    fn classes_split_the_scale_in_five() {
        let s = (0.0, 100.0);
        let cases = [(0.0, 0), (19.99, 0), (20.0, 1), (59.9, 2), (80.0, 4), (100.0, 4), (-5.0, 0), (120.0, 4)];
        for (v, k) in cases {
            assert_eq!(class_of(v, s), k, "{v}");
        }
        assert_eq!(class_of(3.0, (1.0, 5.0)), 2);
        assert_eq!(class_edges((0.0, 100.0)), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(class_of(f64::NAN, s), 0);
        assert_eq!(class_of(5.0, (1.0, 1.0)), 0);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<b>"R&D" 'x'</b>"#), "&lt;b&gt;&quot;R&amp;D&quot; &#39;x&#39;&lt;/b&gt;");
        let bar = Bar {
            label: "<script>".into(),
            value: Some(50.0),
            text: "5&0".into(),
            tooltip: "\"q\"".into(),
            mean: None,
            strong: false,
            indent: 0,
        };
        let svg = columns("a<b", std::slice::from_ref(&bar), (0.0, 100.0), None);
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("5&amp;0"));
        let svg = profile("a<b", &[bar], (0.0, 100.0), "m&m");
        assert!(!svg.contains("<script>") && svg.contains("m&amp;m") && svg.contains("<title>a&lt;b</title>"));
    }

    #[test]
    fn labels_wrap_at_spaces_and_are_cut_with_an_ellipsis() {
        assert_eq!(wrap("Trade facilitation", 16.5, 2), ["Trade facilitation"]);
        assert_eq!(
            wrap("Favourable conditions and interaction with business", 16.5, 2),
            ["Favourable conditions and", "interaction with business"]
        );
        assert_eq!(
            wrap("Индекс развития таможенного регулирования", 16.5, 2),
            ["Индекс развития", "таможенного регулирования"]
        );
        assert_eq!(wrap("one two three four five six", 5.0, 2), ["one two", "three fo…"]);
        assert_eq!(wrap("Supercalifragilisticexpialidocious", 6.0, 2), ["Supercalif…"]);
        assert!(wrap("", 10.0, 2).is_empty());
        for l in wrap("Автоматизация таможенного администрирования и информационные технологии", 16.5, 2)
        {
            assert!(text_width(&l) <= 16.5, "{l}");
        }
    }

    #[test]
    fn rank_intervals_place_ranks_on_the_axis_and_escape_labels() {
        let rows = vec![
            RankInterval {
                label: "A <x>".into(),
                tooltip: "t&t".into(),
                nominal: Some(1.0),
                median: Some(2.0),
                interval: Some((1.0, 11.0)),
            },
            RankInterval { label: "B".into(), tooltip: String::new(), nominal: None, median: None, interval: None },
        ];
        let svg = rank_intervals("r<t", &rows, 11, ["5–95 %", "median", "nominal"]);
        // rank 1 at x = 190, rank 11 at x = 626
        assert!(svg.contains(r#"<rect x="189.0" y="34.0" width="438.0" height="6""#), "{svg}");
        assert!(svg.contains(r#"<circle cx="233.6" cy="37.0""#));
        assert!(svg.contains(r##"<line x1="190.0" x2="190.0" y1="31.5" y2="42.5" stroke="#c2410c""##));
        assert!(svg.contains("A &lt;x&gt;") && svg.contains("t&amp;t") && !svg.contains("<x>"));
        assert!(svg.contains(">11</text>"));
    }

    #[test]
    fn bars_stand_on_the_axis_and_the_mean_line_is_at_its_value() {
        let bars: Vec<Bar> = [("A", Some(100.0)), ("B", Some(0.0)), ("C", None)]
            .iter()
            .map(|(l, v)| Bar {
                label: l.to_string(),
                value: *v,
                text: v.map(|x| x.to_string()).unwrap_or("n/a".into()),
                tooltip: String::new(),
                mean: None,
                strong: false,
                indent: 0,
            })
            .collect();
        let svg = columns("t", &bars, (0.0, 100.0), Some(&MeanLine { value: 50.0, label: "mean 50".into() }));
        // plot from y=32 to y=176 (two lines of names below): the full bar is 144 high, the zero
        // bar has no height, the missing value has no bar at all
        assert!(svg.contains(r#"y="32.0" width="46.0" height="144.0""#), "{svg}");
        assert!(svg.contains(r#"y="176.0" width="46.0" height="0.0""#));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(r#"viewBox="0 0 290 210""#));
        // the mean at half the plot's height
        assert!(svg.contains(r##"y1="104.0" y2="104.0" stroke="#c2410c""##));
        assert!(svg.contains(">n/a</text>"));
    }
}
