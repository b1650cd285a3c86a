//! The HTML report: one self-contained file (inline CSS and SVG, system fonts, no script, no
//! link to anything outside the file), with a print stylesheet for A4.
//!
//! The page is an askama template (`templates/report.html`), compiled into tamga and checked
//! when tamga is built; askama escapes every value for HTML, so labels from rule files cannot
//! inject markup. Charts come from [`svg`](super::svg), which escapes its own text.

use super::view::View;
use askama::Template;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    v: &'a View,
    periods_text: String,
    units_text: String,
    footer_css: String,
    /// The status mark (or the decision) for the top of every printed page.
    header_css: Option<String>,
}

/// Renders the view as an HTML document.
pub fn render(v: &View) -> String {
    // rendering writes into a String; an error can only come from a failing Display of a field
    page(v)
        .render()
        .unwrap_or_else(|e| format!("<!DOCTYPE html><p>report error: {}</p>", super::svg::escape(&e.to_string())))
}

/// Writes the view as an HTML document into `w` as the template renders it, piece by piece (a
/// report of 100,000 units is most of a gigabyte): the same bytes as [`render`].
pub fn write(v: &View, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    page(v).write_into(w)
}

/// The template's values for a view.
fn page(v: &View) -> Page<'_> {
    let mut periods: Vec<&str> = v.periods.iter().map(|p| p.period.as_str()).collect();
    periods.reverse();
    // a set, not a search of a list: a report of 100,000 units spent most of its time here
    let units: std::collections::BTreeSet<String> =
        v.periods.iter().flat_map(|p| p.units.iter().map(|u| format!("{} ({})", u.name, u.code))).collect();
    let units: Vec<String> = units.into_iter().collect();
    Page {
        v,
        periods_text: periods.join(", "),
        units_text: units.join(", "),
        footer_css: css_string(&format!("{} · {} · tamga {}", v.title, v.status.line, v.provenance.tamga)),
        header_css: v.status.mark.as_ref().or(v.status.decision.as_ref()).map(|h| css_string(h)),
    }
}

/// Text as a quoted CSS string, safe inside a `<style>` element (for `@page` margin boxes).
pub fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string(r#"a "b" </style> \"#), r#""a \22 b\22  \3c /style\3e  \5c ""#);
        assert_eq!(css_string("Таможня"), "\"Таможня\"");
    }
}
