//! What an OpenDocument spreadsheet (`.ods`, LibreOffice's own format) holds before calamine reads
//! it: the same bounds as [`super::xlsx_bounds`] for a workbook, on the spreadsheet's zip.
//!
//! calamine 0.32 reads the whole `content.xml` and copies a cell once per repetition
//! (`table:number-columns-repeated`, `table:number-rows-repeated`): one short cell repeated
//! 16,384 times on a row repeated a million times is 17 billion cells. Refused before calamine
//! sees it, as a damaged or oversized spreadsheet:
//! - XML parts that unpack to more than [`MAX_UNPACKED_BYTES`] in all;
//! - a repetition count that is not a whole number from 1, or a row or column beyond the last a
//!   spreadsheet has (1,048,576 rows, 16,384 columns);
//! - a table whose cells that hold something span more than [`MAX_CELLS`] cells.
//!
//! Empty cells and rows repeated to the end of the sheet (as LibreOffice writes them) are not
//! counted: calamine does not copy them. The scan also finds the cells that hold a percentage
//! (`office:value-type="percentage"`), which calamine reads as the fraction stored.

use super::xlsx_bounds::{attr, damaged, tags, unescape, Refusal, Scan, MAX_COL, MAX_ROW};
use super::xlsx_bounds::{MAX_CELLS, MAX_UNPACKED_BYTES};
use std::collections::HashSet;
use std::io::{Cursor, Read};

/// The most percentage cells one repeated cell may stand for in the scan's list (a questionnaire
/// has one answer per row; a repeated percentage block larger than this is not an answer).
const MAX_PERCENT_CELLS: u64 = 4096;

/// Scans a spreadsheet's parts. Not a zip file: an empty scan (calamine says what is wrong).
pub fn scan(bytes: &[u8]) -> Result<Scan, Refusal> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(Scan::default()) };
    let mut total = 0u64;
    let mut content = None;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let name = part.name().to_string();
        if !name.ends_with(".xml") {
            continue;
        }
        let mut text = vec![];
        let _ = part.take(MAX_UNPACKED_BYTES - total + 1).read_to_end(&mut text);
        total += text.len() as u64;
        if total > MAX_UNPACKED_BYTES {
            return Err(Refusal {
                what: format!("its parts unpack to more than {} MiB (at `{name}`)", MAX_UNPACKED_BYTES / 1024 / 1024),
                what_ru: format!(
                    "его части в распакованном виде больше {}\u{a0}МиБ (превышено на части `{name}`)",
                    MAX_UNPACKED_BYTES / 1024 / 1024
                ),
                damaged: false,
            });
        }
        if name == "content.xml" {
            content = Some(text);
        }
    }
    match content {
        Some(xml) => scan_content(&xml),
        None => Ok(Scan::default()),
    }
}

/// A repetition count: a whole number from 1 (absent: 1).
fn repeats(attrs: &[u8], key: &[u8]) -> Result<u64, Refusal> {
    let Some(v) = attr(attrs, key, false) else { return Ok(1) };
    let text = String::from_utf8_lossy(v);
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(damaged(
            format!("its part `content.xml` repeats a row or cell {} times", text.trim()),
            format!("его часть `content.xml` повторяет строку или ячейку {} раз", text.trim()),
        )),
    }
}

/// One table being scanned.
#[derive(Default)]
struct Table {
    name: String,
    /// The next row's index (from 0), and the next cell's column on the current row.
    row: u64,
    col: u64,
    /// The current row's repetitions and whether it holds something.
    row_repeats: u64,
    row_used: bool,
    /// The end (exclusive) of the used rows and columns.
    rows_used: u64,
    cols_used: u64,
    percent: HashSet<(u32, u32)>,
}

fn scan_content(xml: &[u8]) -> Result<Scan, Refusal> {
    let mut scan = Scan::default();
    let mut t: Option<Table> = None;
    let beyond = |name: &str| {
        damaged(
            format!("its table «{name}» has a cell beyond a spreadsheet's last (row 1048576, column 16384)"),
            format!("в его таблице «{name}» есть ячейка за последней ячейкой листа (строка 1048576, столбец 16384)"),
        )
    };
    for tag in tags(xml) {
        let closed = tag.attrs.trim_ascii_end().ends_with(b"/");
        match (tag.name, tag.end) {
            (b"table", false) => {
                let name = attr(tag.attrs, b"table:name", false).map(|n| unescape(&String::from_utf8_lossy(n)));
                t = Some(Table { name: name.unwrap_or_default(), ..Table::default() });
            }
            (b"table", true) => {
                if let Some(t) = t.take() {
                    scan.percent.insert(t.name, t.percent);
                }
            }
            (b"table-row", false) => {
                let Some(t) = t.as_mut() else { continue };
                t.row_repeats = repeats(tag.attrs, b"table:number-rows-repeated")?;
                t.col = 0;
                t.row_used = false;
                if closed {
                    t.row += t.row_repeats;
                }
                if t.row + t.row_repeats > MAX_ROW {
                    return Err(beyond(&t.name));
                }
            }
            (b"table-row", true) => {
                let Some(t) = t.as_mut() else { continue };
                t.row += t.row_repeats;
                if t.row_used {
                    t.rows_used = t.row;
                }
            }
            (b"table-cell" | b"covered-table-cell", false) => {
                let Some(t) = t.as_mut() else { continue };
                let n = repeats(tag.attrs, b"table:number-columns-repeated")?;
                if t.col + n > MAX_COL {
                    return Err(beyond(&t.name));
                }
                let value_type = attr(tag.attrs, b"office:value-type", false);
                let used = !closed || value_type.is_some() || attr(tag.attrs, b"table:formula", false).is_some();
                if used {
                    t.row_used = true;
                    t.cols_used = t.cols_used.max(t.col + n);
                    if value_type == Some(b"percentage".as_slice()) && n * t.row_repeats <= MAX_PERCENT_CELLS {
                        for r in t.row..t.row + t.row_repeats {
                            for c in t.col..t.col + n {
                                t.percent.insert((r as u32, c as u32));
                            }
                        }
                    }
                    // calamine copies the rows up to this one, each as wide as the widest
                    let rows = t.row + t.row_repeats;
                    if rows.max(t.rows_used) * t.cols_used > MAX_CELLS {
                        return Err(Refusal {
                            what: format!(
                                "its table «{}» spans more than {} cells (up to row {rows}, column {})",
                                t.name, MAX_CELLS, t.cols_used
                            ),
                            what_ru: format!(
                                "его таблица «{}» занимает больше {} ячеек (до строки {rows}, столбца {})",
                                t.name, MAX_CELLS, t.cols_used
                            ),
                            damaged: false,
                        });
                    }
                }
                t.col += n;
            }
            _ => {}
        }
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(rows: &str) -> Vec<u8> {
        format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"S\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        )
        .into_bytes()
    }

    #[test]
    fn empty_repetitions_to_the_end_are_not_counted() {
        let xml = content(
            "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>\
             <table:table-cell table:number-columns-repeated=\"16383\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>",
        );
        assert!(scan_content(&xml).is_ok());
    }

    #[test]
    fn a_repeated_block_of_values_is_refused() {
        let xml = content(
            "<table:table-row table:number-rows-repeated=\"100000\"><table:table-cell table:number-columns-repeated=\"100\" office:value-type=\"float\" office:value=\"1\"/></table:table-row>",
        );
        let r = scan_content(&xml).err().map(|r| (r.damaged, r.what));
        assert_eq!(
            r,
            Some((false, "its table «S» spans more than 1000000 cells (up to row 100000, column 100)".to_string()))
        );
    }

    #[test]
    fn bad_counts_and_cells_beyond_the_last_are_damage() {
        for rows in [
            "<table:table-row table:number-rows-repeated=\"0\"><table:table-cell/></table:table-row>",
            "<table:table-row><table:table-cell table:number-columns-repeated=\"x\"/></table:table-row>",
            "<table:table-row><table:table-cell table:number-columns-repeated=\"16385\"/></table:table-row>",
            "<table:table-row table:number-rows-repeated=\"1048577\"><table:table-cell/></table:table-row>",
        ] {
            assert!(scan_content(&content(rows)).is_err_and(|r| r.damaged), "{rows}");
        }
    }

    #[test]
    fn percentage_cells() {
        let xml = content(
            "<table:table-row><table:table-cell table:number-columns-repeated=\"4\"/>\
             <table:table-cell office:value-type=\"percentage\" office:value=\"0.2\"><text:p>20%</text:p></table:table-cell></table:table-row>",
        );
        let scan = scan_content(&xml).ok().unwrap_or_default();
        assert_eq!(scan.percent.get("S").map(|s| s.iter().copied().collect::<Vec<_>>()), Some(vec![(0, 4)]));
    }
}
