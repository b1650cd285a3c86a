//! `tamga report --format docx`: the Board paper as a Word document.
//!
//! Always: the package is a zip with the parts Word needs, every part is well-formed XML, and the
//! document holds the headings, the numbered native tables (with repeated header rows and rows
//! that do not break), the figures, the Russian text, A4 with its margins and Times New Roman.
//! Where LibreOffice is installed (`soffice`), it converts the document to PDF and the PDF's text
//! is checked too; without it that part is skipped with a message on stderr.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
#[path = "support/skip.rs"]
mod skip;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamga-docx-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `tamga --lang ru report rules/eaeu examples/eaeu --format docx` into `dir`.
fn eaeu_docx(dir: &std::path::Path, lang: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["--lang", lang, "report", "rules/eaeu", "examples/eaeu", "--format", "docx", "--out"])
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tamga");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("report.docx"), "{listed}");
    assert!(!dir.join("report.html").exists(), "--format docx writes only the document");
    std::fs::read(dir.join("report.docx")).expect("report.docx")
}

fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut out = vec![];
    for k in 0..zip.len() {
        let mut f = zip.by_index(k).expect("a part");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("a UTF-8 part");
        out.push((f.name().to_string(), text));
    }
    out
}

/// A small check of well-formedness: every start tag is closed in order, attributes are quoted,
/// and `&` starts one of XML's five entities or a character reference.
fn well_formed(name: &str, xml: &str) {
    let body = xml.strip_prefix("<?xml").and_then(|s| s.split_once("?>")).map_or(xml, |(_, b)| b);
    let mut stack: Vec<String> = vec![];
    let mut rest = body;
    while let Some(i) = rest.find(['<', '&']) {
        let (text, tail) = rest.split_at(i);
        assert!(!text.contains('>'), "{name}: a stray `>` in text");
        if tail.starts_with('&') {
            let end = tail.find(';').unwrap_or_else(|| panic!("{name}: `&` without `;`"));
            let entity = &tail[1..end];
            assert!(
                ["amp", "lt", "gt", "quot", "apos"].contains(&entity) || entity.starts_with('#'),
                "{name}: unknown entity &{entity};"
            );
            rest = &tail[end + 1..];
            continue;
        }
        let end = tail.find('>').unwrap_or_else(|| panic!("{name}: an unclosed tag"));
        let tag = &tail[1..end];
        assert!(tag.matches('"').count() % 2 == 0, "{name}: unbalanced quotes in <{tag}>");
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("{name}: </{closing}> closes nothing"));
            assert_eq!(open, closing, "{name}: </{closing}> closes <{open}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or_default().to_string());
        }
        rest = &tail[end + 1..];
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
}

/// The text of `<w:t>` elements, joined.
fn text_of(document: &str) -> String {
    let mut out = String::new();
    for piece in document.split("<w:t xml:space=\"preserve\">").skip(1) {
        if let Some((t, _)) = piece.split_once("</w:t>") {
            out.push_str(&t.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\""));
            out.push(' ');
        }
    }
    out
}

#[test]
fn the_word_document_is_a_well_formed_package_with_tables_and_headings() {
    let dir = temp_dir("structure");
    let bytes = eaeu_docx(&dir, "ru");
    let parts = parts(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for needed in
        ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"]
    {
        assert!(names.contains(&needed), "{needed} missing from {names:?}");
    }
    for (name, xml) in &parts {
        well_formed(name, xml);
    }
    let doc = &parts.iter().find(|(n, _)| n == "word/document.xml").expect("document").1;
    let text = text_of(doc);
    // the status first, then the title
    let mark = text.find("ПРОЕКТ").expect("the draft mark");
    let title = text.find("Уровень развития таможенного регулирования").expect("the title");
    assert!(mark < title, "the mark comes before the title");
    // headings of both periods, the latest first, and the sections
    for h in [
        "Результаты · 2023",
        "Результаты · 2022",
        "Кодекс таможенных стандартов",
        "Рекомендации по сближению практики",
        "Изменения во времени",
        "Происхождение",
    ] {
        assert!(
            doc.contains(&format!("<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{h}"))
                || doc.contains(&format!("<w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{h}")),
            "heading {h}"
        );
    }
    assert!(text.find("Результаты · 2023") < text.find("Результаты · 2022"));
    // the matrix at full depth and the state × element matrices, of the latest period, as in
    // the HTML report: an indicator's value with its unit and score, an element's presence
    for h in ["Показатели по государствам (2023)", "Элементы по государствам (2023)"]
    {
        assert!(text.contains(&format!("— {h}")), "table {h}");
    }
    assert!(!text.contains("Показатели по государствам (2022)"), "full depth for the latest period only");
    assert!(text.contains("\u{a0}ч → "), "a value in hours and its score");
    assert!(text.contains("✓") && text.contains("✗"), "elements present and absent");
    // numbered tables above their table, figures below theirs
    for k in 1..=8 {
        assert!(text.contains(&format!("Таблица {k} — ")), "table {k}");
    }
    assert!(text.contains("Таблица 1 — Оценки по государствам и направлениям (2023)"));
    assert!(text.contains("Рисунок 1 — "));
    // native tables: as many as captions and figures, at least, with repeated header rows and
    // rows that never break across pages
    let tables = doc.matches("<w:tbl>").count();
    assert!(tables >= 20, "{tables} tables");
    assert!(doc.matches("<w:tblHeader/>").count() >= 8);
    assert_eq!(doc.matches("<w:tr>").count(), doc.matches("<w:cantSplit/>").count());
    // the states in Russian and the decimal comma (the EAEU sample has no missing score since the
    // omission-safe policies: a confidential answer counts as 0)
    for s in ["Армения", "Беларусь", "Казахстан", "Кыргызстан", "Россия", "61,2"]
    {
        assert!(text.contains(s), "{s}");
    }
    // requirements and conditions in words, not in the rule files' syntax
    assert!(
        text.contains("Требование: 5. Среднее время от прибытия товаров до их выпуска (импорт) — не более 24\u{a0}ч"),
        "{text}"
    );
    assert!(text.contains("Не выполнен стандарт FAC-1 «"), "{text}");
    for code in ["<=", ">=", "not met(", "q05_import_release_time", "union_mean("] {
        assert!(!text.contains(code), "`{code}` in the Word document");
    }
    // A4 portrait with Russian office margins, Times New Roman, Russian language
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(doc.contains("w:left=\"1701\""));
    let styles = &parts.iter().find(|(n, _)| n == "word/styles.xml").expect("styles").1;
    assert!(styles.contains("w:ascii=\"Times New Roman\""));
    assert!(styles.contains("w:val=\"ru-RU\""));
    // the same report twice: the same bytes
    let again = eaeu_docx(&temp_dir("again"), "ru");
    assert!(again == bytes, "two runs gave different documents");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_english_word_document_speaks_english() {
    let dir = temp_dir("en");
    let parts = parts(&eaeu_docx(&dir, "en"));
    let doc = &parts.iter().find(|(n, _)| n == "word/document.xml").expect("document").1;
    let text = text_of(doc);
    assert!(text.contains("DRAFT"));
    assert!(text.contains("Table 1 — "));
    assert!(text.contains("Figure 1 — "));
    assert!(!text.contains("Таблица"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn libreoffice_opens_the_word_document() {
    let Some(soffice) = ["soffice", "libreoffice"]
        .iter()
        .find_map(|n| std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(n)).find(|p| p.is_file()))
    else {
        skip::skip(
            "libreoffice_opens_the_word_document",
            "no soffice on PATH (apt-get install libreoffice-writer-nogui); the package's structure is checked by \
             the other tests",
        );
        return;
    };
    let dir = temp_dir("soffice");
    eaeu_docx(&dir, "ru");
    let mut child = Command::new(&soffice)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(dir.join("report.docx"))
        // its own profile, so a LibreOffice already running or a broken profile does not interfere
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start soffice");
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("soffice did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(status.success(), "soffice failed: {status}");
    let pdf = dir.join("report.pdf");
    assert!(pdf.is_file(), "soffice wrote no PDF");
    let Some(pdftotext) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("pdftotext"))
        .find(|p| p.is_file())
    else {
        let _ = writeln!(
            std::io::stderr(),
            "libreoffice_opens_the_word_document: no pdftotext, the PDF's text is not checked"
        );
        return;
    };
    let out = Command::new(pdftotext).arg(&pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    let pages = text.matches('\u{c}').count();
    eprintln!("LibreOffice lays the Russian EAEU report.docx out on {pages} pages");
    assert!(pages >= 10, "{pages} pages");
    for s in [
        "ПРОЕКТ",
        "Таблица 1 — Оценки по государствам и направлениям (2023)",
        "Рисунок 1",
        "Кыргызстан",
        "Кодекс таможенных стандартов",
    ] {
        assert!(text.contains(s), "{s} not in the PDF");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_matrix_of_51_states_is_set_in_parts_of_a_page_width() {
    // the ASEM example: 51 partners; one Word table of 53 columns would be unreadable
    let dir = temp_dir("asem");
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["report", "examples/asem", "examples/asem/asem.csv", "--format", "docx", "--out"])
        .arg(&dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run tamga");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let parts = parts(&std::fs::read(dir.join("report.docx")).expect("report.docx"));
    let doc = &parts.iter().find(|(n, _)| n == "word/document.xml").expect("document").1;
    let text = text_of(doc);
    assert!(text.contains("States 1–8 / 51)"), "no first part");
    assert!(text.contains("States 49–51 / 51)"), "no last part");
    // no table of more than 8 states and the three other columns
    for table in doc.split("<w:tbl>").skip(1) {
        let grid = table.split("</w:tblGrid>").next().unwrap_or_default();
        assert!(
            grid.matches("<w:gridCol ").count() <= 11,
            "a table of {} columns",
            grid.matches("<w:gridCol ").count()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
