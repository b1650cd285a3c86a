//! Spreadsheets as Russian users have them: the questionnaire saved by LibreOffice (`.ods`), CSV
//! files separated by `;` with decimal commas (Excel under Russian regional settings), CSV files
//! in Windows-1251, and wide CSV files of a statistics office (columns that are not questions,
//! `NA` for "not submitted"). Read through the library and through the CLI.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use tamga::check::{check, Methodology};
use tamga::data::{self, Answer};
use tamga::diagnostics::{render, Diag, Style};
use tamga::model::Reason;
use tamga::source::SourceMap;

fn demo() -> Methodology {
    match check(Path::new("rules/demo")).methodology() {
        Ok((m, _)) => m,
        Err((sources, diags)) => panic!("rules/demo does not check:\n{}", render(&diags, &sources, style())),
    }
}

fn style() -> Style {
    Style { color: false, width: 100 }
}

/// A fresh temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamga-spreadsheets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn load(meth: &Methodology, paths: &[PathBuf]) -> (data::Dataset, Vec<Diag>, SourceMap) {
    let mut sources = meth.sources.clone();
    let (data, diags) = data::load(&meth.model, paths, &mut sources);
    (data, diags, sources)
}

fn answer(meth: &Methodology, data: &data::Dataset, unit: &str, q: &str) -> Option<Answer> {
    let qi = meth.model.questions.get_index_of(q).expect("a question of rules/demo");
    data.submissions.iter().find(|s| s.unit == unit).expect("the unit").answer(qi)
}

fn tamga(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tamga")).args(args).env("NO_COLOR", "1").output().expect("tamga runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ───────────────────────────── .ods ─────────────────────────────

/// An OpenDocument spreadsheet made by hand: `mimetype` (stored, first), `content.xml` with the
/// tables given, and `META-INF/manifest.xml`.
fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">\
         <office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("mimetype");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").expect("mimetype");
    zip.start_file("content.xml", deflated).expect("content");
    zip.write_all(content.as_bytes()).expect("content");
    zip.start_file("META-INF/manifest.xml", deflated).expect("manifest");
    zip.write_all(manifest.as_bytes()).expect("manifest");
    zip.finish().expect("a zip").into_inner()
}

fn cell(v: &str) -> String {
    if v.is_empty() {
        "<table:table-cell/>".to_string()
    } else if v.parse::<f64>().is_ok() {
        format!("<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>")
    } else {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>")
    }
}

fn row(cells: &[&str]) -> String {
    format!("<table:table-row>{}</table:table-row>", cells.iter().map(|c| cell(c)).collect::<String>())
}

/// The questionnaire of rules/demo for Armenia 2023 as LibreOffice saves it: empty rows and
/// columns repeated to the end of the sheet.
fn questionnaire(answers: &[(&str, &str, &str)]) -> Vec<u8> {
    let tail = "<table:table-row table:number-rows-repeated=\"1048500\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>";
    let keys = [row(&["methodology", "", "demo"]), row(&["unit", "", "AM"]), row(&["period", "", "2023"])].concat();
    let mut questions = row(&["id", "question", "help", "allowed", "answer", "missing", "comment"]);
    for (id, a, m) in answers {
        questions.push_str(&row(&[id, "", "", "", a, m, ""]));
    }
    ods(&format!(
        "<table:table table:name=\"Submission\">{keys}{tail}</table:table>\
         <table:table table:name=\"Questions\">{questions}{tail}</table:table>"
    ))
}

#[test]
fn an_ods_questionnaire_is_read_like_the_xlsx_one() {
    let meth = demo();
    let dir = temp_dir("ods");
    let path = dir.join("am-2023.ods");
    let bytes = questionnaire(&[
        ("q05_import_release_hours", "20.5", ""),
        ("q02_advisory_body", "да", ""),
        ("q09_inspected", "", "confidential"),
    ]);
    std::fs::write(&path, bytes).expect("written");
    let (data, diags, sources) = load(&meth, std::slice::from_ref(&path));
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, style()));
    assert_eq!(data.submissions.len(), 1);
    assert_eq!(answer(&meth, &data, "AM", "q05_import_release_hours"), Some(Answer::Number(20.5)));
    assert_eq!(answer(&meth, &data, "AM", "q02_advisory_body"), Some(Answer::Number(1.0)));
    assert_eq!(answer(&meth, &data, "AM", "q09_inspected"), Some(Answer::Missing(Reason::Confidential)));
    // a folder picks it up too
    let (data, _, _) = load(&meth, &[dir.clone()]);
    assert_eq!(data.submissions.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_ods_bomb_is_refused_before_calamine_reads_it() {
    let meth = demo();
    let dir = temp_dir("ods-bomb");
    // one value repeated over 100,000 rows and 100 columns: 10 million cells for calamine
    let bomb = ods("<table:table table:name=\"S\"><table:table-row table:number-rows-repeated=\"100000\">\
         <table:table-cell table:number-columns-repeated=\"100\" office:value-type=\"float\" office:value=\"1\"/>\
         </table:table-row></table:table>");
    let path = dir.join("bomb.ods");
    std::fs::write(&path, bomb).expect("written");
    let (data, diags, _) = load(&meth, std::slice::from_ref(&path));
    assert!(data.submissions.is_empty());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("is too large for a questionnaire: its table «S» spans more than 1000000 cells"),
        "{}",
        diags[0].message
    );
    // a repetition count of zero is damage
    let zero = ods("<table:table table:name=\"S\"><table:table-row table:number-rows-repeated=\"0\"><table:table-cell/></table:table-row></table:table>");
    std::fs::write(&path, zero).expect("written");
    let (_, diags, _) = load(&meth, std::slice::from_ref(&path));
    assert!(diags[0].message.contains("is a damaged OpenDocument spreadsheet"), "{}", diags[0].message);
    // not a zip at all
    std::fs::write(&path, b"not a spreadsheet").expect("written");
    let (_, diags, _) = load(&meth, std::slice::from_ref(&path));
    assert!(diags[0].message.contains("is not an OpenDocument spreadsheet (.ods)"), "{}", diags[0].message);
    let _ = std::fs::remove_dir_all(&dir);
}
