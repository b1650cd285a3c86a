//! The report on paper: the HTML printed to A4 by headless Chromium (`--print-to-pdf`), read back
//! with poppler's `pdftotext` and `pdfinfo`.
//!
//! No table row and no chart may be cut by a page break or by the page's right edge. The test
//! marks, in a copy of the page, the start and the end of every cell and of every figure with a
//! tiny unique word (`zq17s`, `zq17e`); printed, every mark must be found, and on each page a
//! row's cells all start and end there (a repeated header row is complete on every page it is on).
//! A row cut between two pages leaves a cell's start on one page and its end on the next; a table
//! wider than the page loses the marks of its last cells.
//!
//! Skipped with a message on stderr where Chromium or poppler-utils is missing, unless
//! `TAMGA_BROWSER_TESTS=required`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tamga::diagnostics::{render, Style};
use tamga::report::{self, json, Format, Lang};
#[path = "support/skip.rs"]
mod skip;

const STYLE: Style = Style { color: false, width: 100 };

fn evaluate(meth_path: &str, files: &[PathBuf]) -> (tamga::check::Methodology, json::ResultDoc) {
    let (meth, _) = match tamga::check::check(Path::new(meth_path)).methodology() {
        Ok(x) => x,
        Err((sources, diags)) => panic!("{meth_path}:\n{}", render(&diags, &sources, STYLE)),
    };
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, files, &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, STYLE));
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    (meth, doc)
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in names {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Chromium and poppler's tools, or `None` after saying on stderr why the test is skipped.
fn tools(test: &str) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let required = std::env::var("TAMGA_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let browser = on_path(&["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]);
    let text = on_path(&["pdftotext"]);
    let info = on_path(&["pdfinfo"]);
    match (browser, text, info) {
        (Some(b), Some(t), Some(i)) => Some((b, t, i)),
        _ => {
            assert!(
                !required,
                "TAMGA_BROWSER_TESTS=required, but chromium or poppler-utils (pdftotext, pdfinfo) is not on PATH"
            );
            skip::skip(
                test,
                "chromium or pdftotext/pdfinfo not on PATH (install Debian's `chromium` and `poppler-utils`; \
                 TAMGA_BROWSER_TESTS=required makes this a failure)",
            );
            None
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamga-print-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Prints an HTML file to PDF with headless Chromium, waiting at most three minutes.
fn print_to_pdf(browser: &Path, html: &Path, pdf: &Path, profile: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the browser");
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{} did not finish within 180 s", browser.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    assert!(status.success(), "{} failed: {status}\n{stderr}", browser.display());
    assert!(pdf.is_file(), "no PDF written:\n{stderr}");
}

fn pages(pdfinfo: &Path, pdf: &Path) -> usize {
    let out = Command::new(pdfinfo).arg(pdf).output().expect("run pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count from pdfinfo:\n{text}"))
}

/// The PDF's text, one string per page.
fn page_texts(pdftotext: &Path, pdf: &Path) -> Vec<String> {
    let out = Command::new(pdftotext).arg(pdf).arg("-").output().expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// What was marked: per table row (and per figure), how many cells it has.
struct Marked {
    html: String,
    cells: BTreeMap<usize, usize>,
}

/// A copy of the page with a start and an end mark in every cell of every table row and in every
/// figure; row `n`'s marks are `zq{n}s` and `zq{n}e`, figure `n`'s `zq{n}s`, `zq{n}e` too (one
/// "cell"). The marks are 2px words in the text's colour's lightest shade: they change the layout
/// by no more than a letter.
fn mark(html: &str) -> Marked {
    let mut out = String::with_capacity(html.len() * 2);
    let mut cells = BTreeMap::new();
    let mut row = 0usize;
    let mut rest = html;
    let word = |n: usize, end: char| format!("<span style=\"font-size:2px;color:#ddd\">zq{n}{end}</span>");
    // only the body: the style sheet and the title hold no cells
    let body = rest.find("<body").unwrap_or(0);
    out.push_str(&rest[..body]);
    rest = &rest[body..];
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let close = rest.find('>').map_or(rest.len(), |j| j + 1);
        let tag = &rest[..close];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "tr" => {
                row += 1;
                out.push_str(tag);
            }
            "figure" => {
                row += 1;
                cells.insert(row, 1);
                out.push_str(tag);
                out.push_str(&word(row, 's'));
            }
            "td" | "th" => {
                *cells.entry(row).or_insert(0) += 1;
                out.push_str(tag);
                out.push_str(&word(row, 's'));
            }
            "/td" | "/th" => {
                out.push_str(&word(row, 'e'));
                out.push_str(tag);
            }
            "/figure" => {
                out.push_str(&word(row, 'e'));
                out.push_str(tag);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    Marked { html: out, cells }
}

/// Counts `zq{n}s` and `zq{n}e` on a page.
fn marks_on(page: &str) -> BTreeMap<(usize, char), usize> {
    // marks of adjacent cells may come out of the PDF as one word (`zq3ezq3s`)
    let mut found = BTreeMap::new();
    let mut rest = page;
    while let Some(i) = rest.find("zq") {
        rest = &rest[i + 2..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let end = rest[digits..].chars().next();
        if let (Ok(n), Some(end @ ('s' | 'e'))) = (rest[..digits].parse::<usize>(), end) {
            *found.entry((n, end)).or_insert(0) += 1;
        }
    }
    found
}

/// Prints the report of `rules` on `data` in `lang`: the page count of the page as it is, and a
/// list of the rows and figures cut in the marked copy (empty when none is).
fn print_report(test: &str, rules: &str, data: &str, lang: Lang) -> Option<(usize, Vec<String>, String)> {
    let (browser, pdftotext, pdfinfo) = tools(test)?;
    let dir = temp_dir(test);
    let (meth, doc) = evaluate(rules, &[PathBuf::from(data)]);
    let html = String::from_utf8(report::render(&meth.model, &doc, lang, &[Format::Html]).remove(0).1).expect("utf-8");
    let plain = dir.join("report.html");
    std::fs::write(&plain, &html).expect("write html");
    print_to_pdf(&browser, &plain, &dir.join("report.pdf"), &dir.join("profile"));
    let count = pages(&pdfinfo, &dir.join("report.pdf"));

    let marked = mark(&html);
    let marked_path = dir.join("marked.html");
    std::fs::write(&marked_path, &marked.html).expect("write html");
    print_to_pdf(&browser, &marked_path, &dir.join("marked.pdf"), &dir.join("profile"));
    let texts = page_texts(&pdftotext, &dir.join("marked.pdf"));
    let mut cut = vec![];
    let mut seen = BTreeMap::new();
    for (p, text) in texts.iter().enumerate() {
        let found = marks_on(text);
        let mut rows: Vec<usize> = found.keys().map(|k| k.0).collect();
        rows.dedup();
        for r in rows {
            let n = marked.cells.get(&r).copied().unwrap_or(0);
            let s = found.get(&(r, 's')).copied().unwrap_or(0);
            let e = found.get(&(r, 'e')).copied().unwrap_or(0);
            *seen.entry(r).or_insert(0) += s;
            if n == 0 || s != e || s % n != 0 {
                cut.push(format!("row or figure {r} ({n} cells): {s} starts and {e} ends on page {}", p + 1));
            }
        }
    }
    // a row none of whose cells is printed is hidden in print (the screen's copy of a matrix
    // printed in parts); a row printed in part is cut at the page's edge
    for (r, n) in &marked.cells {
        let printed = seen.get(r).copied().unwrap_or(0);
        if *n > 0 && printed > 0 && printed < *n {
            cut.push(format!("row or figure {r}: {} of its {n} cells printed", seen.get(r).copied().unwrap_or(0)));
        }
    }
    if std::env::var_os("TAMGA_PRINT_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("kept {}", dir.display());
    }
    Some((count, cut, texts.join("\u{c}")))
}

#[test]
fn the_marks_find_a_row_cut_between_pages() {
    // the check itself: a row taller than a page must be cut, and the marks must say so
    let Some((browser, pdftotext, _)) = tools("the_marks_find_a_row_cut_between_pages") else { return };
    let dir = temp_dir("cut");
    let tall = "line<br>".repeat(150);
    let html = format!(
        "<!doctype html><html><head><meta charset=utf-8></head><body><table><tr><td>a</td><td>b</td></tr>\
         <tr><td>{tall}</td><td>c</td></tr></table></body></html>"
    );
    let marked = mark(&html);
    assert_eq!(marked.cells.values().copied().collect::<Vec<_>>(), [2, 2]);
    let path = dir.join("cut.html");
    std::fs::write(&path, &marked.html).expect("write");
    print_to_pdf(&browser, &path, &dir.join("cut.pdf"), &dir.join("profile"));
    let texts = page_texts(&pdftotext, &dir.join("cut.pdf"));
    assert!(texts.len() >= 2, "150 lines fit on one page?");
    let first = marks_on(&texts[0]);
    assert_eq!(first.get(&(1, 's')), Some(&2), "{first:?}");
    assert_eq!(first.get(&(1, 'e')), Some(&2), "{first:?}");
    // the tall row starts on the first page and ends on a later one
    assert_eq!(first.get(&(2, 's')), Some(&2), "{first:?}");
    assert_eq!(first.get(&(2, 'e')), Some(&1), "{first:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_eaeu_report_prints_to_a4_without_cut_rows_or_charts() {
    for lang in [Lang::En, Lang::Ru] {
        let Some((pages, cut, _)) = print_report(
            "the_eaeu_report_prints_to_a4_without_cut_rows_or_charts",
            "rules/eaeu",
            "examples/eaeu",
            lang,
        ) else {
            return;
        };
        eprintln!("the 2-period EAEU report ({}) prints to {pages} A4 pages", lang.code());
        assert!(cut.is_empty(), "{}: cut on paper:\n{}", lang.code(), cut.join("\n"));
        // docs/report.md records the count; a report that grows or shrinks much should be looked at
        // (the summary and the full-depth matrices of the latest period, issue 14, brought it from
        // about 40 to about 64 pages)
        assert!((20..=75).contains(&pages), "{}: {pages} pages", lang.code());
    }
}

#[test]
fn the_demo_report_prints_without_cut_rows_or_charts() {
    let Some((pages, cut, _)) =
        print_report("the_demo_report_prints_without_cut_rows_or_charts", "rules/demo", "examples/demo", Lang::Ru)
    else {
        return;
    };
    assert!(cut.is_empty(), "cut on paper:\n{}", cut.join("\n"));
    assert!(pages >= 2, "{pages} pages");
}

#[test]
fn a_matrix_of_51_states_prints_in_parts_of_a_page_width() {
    // the ASEM example: 51 partners, far wider than a page; printed in parts of 8 states, every
    // cell on paper
    let Some((_, cut, text)) = print_report(
        "a_matrix_of_51_states_prints_in_parts_of_a_page_width",
        "examples/asem",
        "examples/asem/asem.csv",
        Lang::En,
    ) else {
        return;
    };
    assert!(cut.is_empty(), "cut on paper:\n{}", cut.join("\n"));
    for part in ["States 1–8 / 51", "States 9–16 / 51", "States 49–51 / 51"] {
        assert!(text.contains(part), "no part `{part}` printed");
    }
    // the full-depth matrix prints too, part by part, not as a heading over nothing: its parts
    // repeat the captions after the matrix's own
    let depth = text.find("Indicators by state").expect("the full-depth matrix printed");
    assert!(text[depth..].contains("States 1–8 / 51") && text[depth..].contains("States 49–51 / 51"), "its parts");
}
