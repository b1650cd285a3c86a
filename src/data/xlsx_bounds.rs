//! What a workbook holds before calamine reads it: a bounded scan of its zip parts that refuses
//! what would make calamine allocate without limit or read a cell at the wrong place, and finds
//! the cells formatted as percentages (calamine's values do not say how a cell is shown).
//!
//! Refused, as a damaged or oversized workbook (each was an allocation abort, a panic or a wrong
//! answer inside calamine 0.32):
//! - parts that unpack to more than [`MAX_UNPACKED_BYTES`] in all (a 1 MB shared-strings bomb
//!   unpacking to 1 GiB);
//! - a cell, row or range beyond Excel's last cell `XFD1048576` (`E4294967300` wrapped around
//!   onto row 4 and was read as the answer);
//! - a sheet whose cells span more than [`MAX_CELLS`] cells (calamine allocates the whole
//!   rectangle: a value in `A1` and one in `XFD1048576` is 17 billion cells);
//! - shared formulas whose index or ranges exceed [`MAX_CELLS`] (calamine grows a table to the
//!   index, and maps every cell of the range);
//! - a range that ends before it starts (`A7:G6`: an overflow in calamine).

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

/// The most bytes the XML parts of a workbook may unpack to, in all. The questionnaire of the
/// EAEU methodology unpacks to under 1 MiB.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// The most cells a sheet's used range may span (and the shared formulas' ranges, in all).
pub const MAX_CELLS: u64 = 1_000_000;

/// Excel's last row and column (1-based): `XFD1048576`.
pub(super) const MAX_ROW: u64 = 1_048_576;
pub(super) const MAX_COL: u64 = 16_384;

/// What the scan found in a workbook that can be read.
#[derive(Debug, Default)]
pub struct Scan {
    /// Per sheet name: the cells (row, column, from 0) whose format shows a percentage.
    pub percent: HashMap<String, HashSet<(u32, u32)>>,
}

/// Why a workbook is refused: the message (after the file's name) and whether it is damaged
/// (rather than only too large).
#[derive(Debug)]
pub struct Refusal {
    /// What is wrong, e.g. `its part xl/worksheets/sheet1.xml has a cell beyond …`.
    pub what: String,
    /// The same in Russian.
    pub what_ru: String,
    /// Damaged (save it again) or too large (split or trim it).
    pub damaged: bool,
}

pub(super) fn damaged(what: String, what_ru: String) -> Refusal {
    Refusal { what, what_ru, damaged: true }
}

/// Scans a workbook's parts. Not a zip file: an empty scan (calamine says what is wrong).
pub fn scan(bytes: &[u8]) -> Result<Scan, Refusal> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(Scan::default()) };
    let mut total = 0u64;
    let mut parts: Vec<(String, Vec<u8>)> = vec![];
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let name = part.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = vec![];
        // what was read before an error (a wrong checksum) counts: calamine reads it too
        let _ = part.take(MAX_UNPACKED_BYTES - total + 1).read_to_end(&mut text);
        total += text.len() as u64;
        if total > MAX_UNPACKED_BYTES {
            return Err(Refusal {
                what: format!("its parts unpack to more than {} MiB (at `{name}`)", MAX_UNPACKED_BYTES / 1024 / 1024),
                what_ru: format!(
                    "её части в распакованном виде больше {}\u{a0}МиБ (превышено на части `{name}`)",
                    MAX_UNPACKED_BYTES / 1024 / 1024
                ),
                damaged: false,
            });
        }
        parts.push((name, text));
    }
    let get = |n: &str| parts.iter().find(|(p, _)| p == n).map(|(_, t)| t.as_slice());
    let percent_styles = get("xl/styles.xml").map(percent_styles).unwrap_or_default();
    let sheet_of_part = sheet_names(get("xl/workbook.xml"), get("xl/_rels/workbook.xml.rels"));
    let mut scan = Scan::default();
    for (name, text) in &parts {
        if !contains(text, b"<sheetData") && !contains(text, b":sheetData") {
            continue;
        }
        let cells = scan_sheet(name, text, &percent_styles)?;
        if let Some(sheet) = sheet_of_part.get(name) {
            scan.percent.insert(sheet.clone(), cells);
        }
    }
    Ok(scan)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// One tag of an XML text: its local name (without a prefix), whether it closes an element, and
/// its attributes' text.
pub(super) struct Tag<'a> {
    pub(super) name: &'a [u8],
    pub(super) end: bool,
    pub(super) attrs: &'a [u8],
}

/// The tags of an XML text, in order (comments, declarations and CDATA skipped). A bounded,
/// forgiving scan: what it cannot make sense of it skips; calamine reports bad XML itself.
pub(super) fn tags(xml: &[u8]) -> impl Iterator<Item = Tag<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let start = at + xml.get(at..)?.iter().position(|&c| c == b'<')?;
        let rest = &xml[start + 1..];
        let skip_to = |pat: &[u8]| rest.windows(pat.len()).position(|w| w == pat).map(|p| start + 1 + p + pat.len());
        if rest.starts_with(b"!--") {
            at = skip_to(b"-->").unwrap_or(xml.len());
            continue;
        }
        if rest.starts_with(b"![CDATA[") {
            at = skip_to(b"]]>").unwrap_or(xml.len());
            continue;
        }
        // the end of the tag: the first `>` outside quotes
        let mut quote = None;
        let mut end = None;
        for (i, &c) in rest.iter().enumerate() {
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end?;
        at = start + 1 + end + 1;
        let body = &rest[..end];
        if body.first().is_some_and(|&c| c == b'?' || c == b'!') {
            continue;
        }
        let (closing, body) = match body.strip_prefix(b"/") {
            Some(b) => (true, b),
            None => (false, body),
        };
        let name_len = body.iter().position(|&c| c.is_ascii_whitespace() || c == b'/').unwrap_or(body.len());
        let full = &body[..name_len];
        let name = full.iter().rposition(|&c| c == b':').map_or(full, |p| &full[p + 1..]);
        return Some(Tag { name, end: closing, attrs: &body[name_len..] });
    })
}

/// The value of the attribute `key` (compared with its prefix, if any, removed when `local`).
pub(super) fn attr<'a>(attrs: &'a [u8], key: &[u8], local: bool) -> Option<&'a [u8]> {
    let mut rest = attrs;
    loop {
        let eq = rest.iter().position(|&c| c == b'=')?;
        let name = rest[..eq].trim_ascii();
        let after = rest[eq + 1..].trim_ascii_start();
        let q = *after.first()?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let close = after[1..].iter().position(|&c| c == q)?;
        let value = &after[1..1 + close];
        let bare = if local { name.iter().rposition(|&c| c == b':').map_or(name, |p| &name[p + 1..]) } else { name };
        if bare == key {
            return Some(value);
        }
        rest = &after[close + 2..];
    }
}

/// A cell name's (row, column), 1-based, within Excel's sheet (`$` signs allowed); `None` when
/// it is not a cell name or lies beyond `XFD1048576`.
fn cell(name: &[u8]) -> Option<(u64, u64)> {
    let name: Vec<u8> = name.iter().copied().filter(|&c| c != b'$').collect();
    let letters = name.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = &name[letters..];
    if letters == 0 || letters > 3 || digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = name[..letters].iter().fold(0u64, |n, c| n * 26 + u64::from(c.to_ascii_uppercase() - b'A' + 1));
    let row = digits.iter().fold(0u64, |n, c| n * 10 + u64::from(c - b'0'));
    ((1..=MAX_ROW).contains(&row) && (1..=MAX_COL).contains(&col)).then_some((row, col))
}

/// A range `A1:C7` (or one cell) as its corners and number of cells.
fn range(part: &str, text: &[u8]) -> Result<u64, Refusal> {
    let shown = String::from_utf8_lossy(text).to_string();
    let corners: Vec<Option<(u64, u64)>> = text.split(|&c| c == b':').map(cell).collect();
    let beyond = || {
        damaged(
            format!("its part `{part}` names the cell range {shown}, beyond Excel's last cell XFD1048576"),
            format!("её часть `{part}` называет диапазон ячеек {shown} за последней ячейкой Excel XFD1048576"),
        )
    };
    match corners[..] {
        [Some(_)] => Ok(1),
        [Some(a), Some(b)] if b.0 < a.0 || b.1 < a.1 => Err(damaged(
            format!("its part `{part}` gives the cell range {shown}, which ends before it starts"),
            format!("её часть `{part}` задаёт диапазон ячеек {shown}, который кончается раньше, чем начинается"),
        )),
        [Some(a), Some(b)] => Ok((b.0 - a.0 + 1) * (b.1 - a.1 + 1)),
        _ => Err(beyond()),
    }
}

/// Scans one sheet: positions every cell as calamine does (a cell without `r` follows the one
/// before it, a row without `r` the one before), bounds them, and gives the cells whose style
/// shows a percentage.
fn scan_sheet(part: &str, xml: &[u8], percent_styles: &[bool]) -> Result<HashSet<(u32, u32)>, Refusal> {
    let (mut row, mut col) = (1u64, 1u64);
    // the corners of the used range: (row, column), 1-based
    let mut lo: Option<(u64, u64)> = None;
    let mut hi: Option<(u64, u64)> = None;
    let mut shared = 0u64;
    let mut percent = HashSet::new();
    for tag in tags(xml) {
        match (tag.name, tag.end) {
            (b"row", false) => {
                if let Some(r) = attr(tag.attrs, b"r", false) {
                    let ok = r.len() <= 7 && !r.is_empty() && r.iter().all(u8::is_ascii_digit);
                    row = if ok { r.iter().fold(0u64, |n, c| n * 10 + u64::from(c - b'0')) } else { 0 };
                }
                if !(1..=MAX_ROW).contains(&row) {
                    let shown = attr(tag.attrs, b"r", false).map(String::from_utf8_lossy).unwrap_or_default();
                    return Err(damaged(
                        format!("its part `{part}` has a row {shown} beyond Excel's last row 1048576"),
                        format!("в её части `{part}` есть строка {shown} за последней строкой Excel 1048576"),
                    ));
                }
            }
            (b"row", true) => {
                row += 1;
                col = 1;
            }
            (b"c", false) => {
                let at = match attr(tag.attrs, b"r", false) {
                    Some(r) => cell(r).ok_or_else(|| {
                        let shown = String::from_utf8_lossy(r);
                        damaged(
                            format!("its part `{part}` has a cell {shown} beyond Excel's last cell XFD1048576"),
                            format!("в её части `{part}` есть ячейка {shown} за последней ячейкой Excel XFD1048576"),
                        )
                    })?,
                    None if row <= MAX_ROW && col <= MAX_COL => (row, col),
                    None => {
                        return Err(damaged(
                            format!("its part `{part}` has cells beyond Excel's last cell XFD1048576"),
                            format!("в её части `{part}` есть ячейки за последней ячейкой Excel XFD1048576"),
                        ))
                    }
                };
                col = at.1 + 1;
                lo = Some(lo.map_or(at, |l| (l.0.min(at.0), l.1.min(at.1))));
                hi = Some(hi.map_or(at, |h| (h.0.max(at.0), h.1.max(at.1))));
                let style =
                    attr(tag.attrs, b"s", false).and_then(|s| std::str::from_utf8(s).ok()?.parse::<usize>().ok());
                if style.and_then(|s| percent_styles.get(s)).copied().unwrap_or(false) {
                    percent.insert(((at.0 - 1) as u32, (at.1 - 1) as u32));
                }
            }
            (b"f", false) if attr(tag.attrs, b"t", false) == Some(b"shared") => {
                let si = attr(tag.attrs, b"si", false).and_then(|s| std::str::from_utf8(s).ok()?.parse::<u64>().ok());
                if si.is_none_or(|si| si >= MAX_CELLS) {
                    let shown = attr(tag.attrs, b"si", false).map(String::from_utf8_lossy).unwrap_or_default();
                    return Err(damaged(
                        format!(
                            "its part `{part}` numbers a shared formula {shown}, more than the {MAX_CELLS} a workbook tamga reads may have"
                        ),
                        format!(
                            "её часть `{part}` даёт общей формуле номер {shown}, больше {}, допустимых в книге, которую читает tamga",
                            ru_n(MAX_CELLS)
                        ),
                    ));
                }
                if let Some(r) = attr(tag.attrs, b"ref", false) {
                    shared += range(part, r)?;
                }
            }
            (b"dimension" | b"mergeCell", false) => {
                if let Some(r) = attr(tag.attrs, b"ref", false) {
                    range(part, r)?;
                }
            }
            _ => {}
        }
    }
    if let (Some(lo), Some(hi)) = (lo, hi) {
        let cells = (hi.0 - lo.0 + 1) * (hi.1 - lo.1 + 1);
        if cells > MAX_CELLS {
            let (a, b) = (cell_label(lo), cell_label(hi));
            return Err(Refusal {
                what: format!(
                    "its part `{part}` uses the cells from {a} to {b}, {cells} cells, more than the {MAX_CELLS} tamga reads in a sheet"
                ),
                what_ru: format!(
                    "её часть `{part}` занимает ячейки от {a} до {b} (всего {}), а tamga читает на листе не больше {}",
                    ru_n(cells),
                    ru_n(MAX_CELLS)
                ),
                damaged: false,
            });
        }
    }
    if shared > MAX_CELLS {
        return Err(Refusal {
            what: format!(
                "its part `{part}` shares formulas over {shared} cells, more than the {MAX_CELLS} tamga reads"
            ),
            what_ru: format!(
                "общие формулы её части `{part}` охватывают слишком много ячеек: {}, а tamga читает не больше {}",
                ru_n(shared),
                ru_n(MAX_CELLS)
            ),
            damaged: false,
        });
    }
    Ok(percent)
}

/// A count in the Russian notation (`1 000 000` with thin spaces).
fn ru_n(n: u64) -> String {
    crate::i18n::number(crate::i18n::Lang::Ru, &n.to_string())
}

fn cell_label((row, col): (u64, u64)) -> String {
    super::xlsx::cell_name((row - 1) as u32, (col - 1) as u32)
}

/// For each cell style (`<cellXfs>` of `xl/styles.xml`, in order), whether its number format
/// shows a percentage: Excel's built-in formats 9 (`0%`) and 10 (`0.00%`), or a format of the
/// workbook whose code has a `%` outside quotes.
fn percent_styles(xml: &[u8]) -> Vec<bool> {
    let mut custom: HashSet<Vec<u8>> = HashSet::new();
    let mut styles = vec![];
    let mut in_cell_xfs = false;
    for tag in tags(xml) {
        match (tag.name, tag.end) {
            (b"numFmt", false) => {
                if let (Some(id), Some(code)) =
                    (attr(tag.attrs, b"numFmtId", false), attr(tag.attrs, b"formatCode", false))
                {
                    let code = unescape(&String::from_utf8_lossy(code));
                    if code.split('"').step_by(2).any(|part| part.contains('%')) {
                        custom.insert(id.to_vec());
                    }
                }
            }
            (b"cellXfs", end) => in_cell_xfs = !end,
            (b"xf", false) if in_cell_xfs => {
                let id = attr(tag.attrs, b"numFmtId", false).unwrap_or(b"0");
                styles.push(id == b"9" || id == b"10" || custom.contains(id));
            }
            _ => {}
        }
    }
    styles
}

/// The sheets' names by their parts' paths (`xl/worksheets/sheet1.xml` → `Sheet1`).
fn sheet_names(workbook: Option<&[u8]>, rels: Option<&[u8]>) -> HashMap<String, String> {
    let mut targets: HashMap<Vec<u8>, String> = HashMap::new();
    for tag in tags(rels.unwrap_or_default()) {
        if let (b"Relationship", false, Some(id), Some(target)) =
            (tag.name, tag.end, attr(tag.attrs, b"Id", false), attr(tag.attrs, b"Target", false))
        {
            let target = String::from_utf8_lossy(target);
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            targets.insert(id.to_vec(), path);
        }
    }
    let mut names = HashMap::new();
    for tag in tags(workbook.unwrap_or_default()) {
        if let (b"sheet", false, Some(name), Some(id)) =
            (tag.name, tag.end, attr(tag.attrs, b"name", false), attr(tag.attrs, b"id", true))
        {
            if let Some(path) = targets.get(id) {
                names.insert(path.clone(), unescape(&String::from_utf8_lossy(name)));
            }
        }
    }
    names
}

/// XML's five entities (enough for sheet names).
pub(super) fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_within_excel_s_sheet() {
        assert_eq!(cell(b"A1"), Some((1, 1)));
        assert_eq!(cell(b"$XFD$1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell(b"XFE1"), None);
        assert_eq!(cell(b"A1048577"), None);
        assert_eq!(cell(b"E4294967300"), None);
        assert_eq!(cell(b"A0"), None);
    }

    #[test]
    fn ranges_are_bounded_and_ordered() {
        assert_eq!(range("p", b"A1:C7").ok(), Some(21));
        assert!(range("p", b"A7:G6").is_err());
        assert!(range("p", b"A1:XFD1048577").is_err());
    }

    #[test]
    fn cells_without_a_reference_follow_the_one_before() {
        let xml = br#"<worksheet><sheetData><row r="3"><c s="1"><v>1</v></c><c s="0"/></row><row><c r="B9" s="1"/></row></sheetData></worksheet>"#;
        let percent = scan_sheet("p", xml, &[false, true]).expect("read");
        assert_eq!(percent, HashSet::from([(2, 0), (8, 1)]));
    }

    #[test]
    fn a_row_beyond_excel_s_last_is_refused() {
        let xml = br#"<sheetData><row r="99999999"><c><v>1</v></c></row></sheetData>"#;
        assert!(scan_sheet("p", xml, &[]).is_err());
        let xml = br#"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row></sheetData>"#;
        assert!(scan_sheet("p", xml, &[]).err().is_some_and(|r| !r.damaged));
    }

    #[test]
    fn percent_formats() {
        let xml = br#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="&quot;%&quot;0"/></numFmts>
            <cellStyleXfs><xf numFmtId="9"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>"#;
        assert_eq!(percent_styles(xml), vec![false, true, true, false]);
    }
}
