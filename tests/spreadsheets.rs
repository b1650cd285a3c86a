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
    let (data, _, _) = load(&meth, std::slice::from_ref(&dir));
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

// ───────────────────────────── CSV as Excel writes it in Russia ─────────────────────────────

#[test]
fn semicolons_are_detected_and_allow_decimal_commas() {
    let meth = demo();
    let dir = temp_dir("semicolon");
    let path = dir.join("eaeu.csv");
    std::fs::write(
        &path,
        "unit;period;q05_import_release_hours;q02_advisory_body;q09_inspected\nAM;2023;20,5;да;\"1200\"\nBY;2023;31;нет;12\n",
    )
    .expect("written");
    let (data, diags, sources) = load(&meth, std::slice::from_ref(&path));
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, style()));
    assert_eq!(answer(&meth, &data, "AM", "q05_import_release_hours"), Some(Answer::Number(20.5)));
    assert_eq!(answer(&meth, &data, "AM", "q09_inspected"), Some(Answer::Number(1200.0)));
    assert_eq!(answer(&meth, &data, "BY", "q02_advisory_body"), Some(Answer::Number(0.0)));
    // the long form too
    std::fs::write(&path, "unit;period;question;answer;missing;comment\nAM;2023;q05_import_release_hours;12,25;;\n")
        .expect("written");
    let (data, _, _) = load(&meth, std::slice::from_ref(&path));
    assert_eq!(answer(&meth, &data, "AM", "q05_import_release_hours"), Some(Answer::Number(12.25)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_decimal_comma_is_never_guessed_in_a_comma_separated_file() {
    let meth = demo();
    let dir = temp_dir("comma");
    let path = dir.join("eaeu.csv");
    // "20,5" in quotes in a comma-separated file is a text, not 20.5
    std::fs::write(&path, "unit,period,q05_import_release_hours\nAM,2023,\"20,5\"\n").expect("written");
    let (data, diags, _) = load(&meth, std::slice::from_ref(&path));
    assert_eq!(answer(&meth, &data, "AM", "q05_import_release_hours"), Some(Answer::Missing(Reason::Invalid)));
    assert!(diags.iter().any(|d| d.is_error() && d.message.contains("20,5")), "{diags:?}");
}

#[test]
fn the_delimiter_can_be_given() {
    let dir = temp_dir("delimiter");
    let path = dir.join("am.csv");
    // one `;` against two `,` in the header: detected as `,`, which fails; `--delimiter ';'` reads it
    std::fs::write(&path, "unit;period;\"a,b,c\"\nAM;2023;1\n").expect("written");
    let file = path.to_str().expect("a path");
    let (code, _, _) = tamga(&["validate", "rules/demo", file]);
    assert_eq!(code, 1);
    let (code, _, err) = tamga(&["validate", "rules/demo", file, "--delimiter", ";"]);
    assert!(err.contains("unknown column `a,b,c`"), "{err}");
    assert_eq!(code, 1);
    let (code, _, err) = tamga(&["validate", "rules/demo", file, "--delimiter", "|"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a delimiter"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn windows_1251_is_read_with_a_warning() {
    let meth = demo();
    let dir = temp_dir("cp1251");
    let path = dir.join("am.csv");
    // "unit;period;name;q02_advisory_body\nAM;2023;Армения;да\n" in Windows-1251
    let mut bytes = b"unit;period;name;q02_advisory_body\nAM;2023;".to_vec();
    bytes.extend([0xC0, 0xF0, 0xEC, 0xE5, 0xED, 0xE8, 0xFF, b';', 0xE4, 0xE0, b'\n']);
    std::fs::write(&path, &bytes).expect("written");
    let (data, diags, sources) = load(&meth, std::slice::from_ref(&path));
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, style()));
    assert_eq!(answer(&meth, &data, "AM", "q02_advisory_body"), Some(Answer::Number(1.0)));
    assert_eq!(data.submissions[0].name.get("en").map(String::as_str), Some("Армения"));
    assert!(
        diags.iter().any(|d| !d.is_error()
            && d.message.ends_with("am.csv` is in the Windows-1251 encoding, not UTF-8: read as Windows-1251")),
        "{diags:?}"
    );
    // bytes that are neither UTF-8 nor Cyrillic Windows-1251 stay an error
    std::fs::write(&path, b"unit,period\nAM,2023\x98\n").expect("written");
    let (_, diags, _) = load(&meth, std::slice::from_ref(&path));
    assert!(diags.iter().any(|d| d.is_error() && d.message.ends_with("is not UTF-8 text")), "{diags:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ───────────────────────────── a statistics office's wide file ─────────────────────────────

#[test]
fn unknown_columns_and_na_tokens() {
    let dir = temp_dir("office");
    let path = dir.join("office.csv");
    std::fs::write(
        &path,
        "iso3,country,unit,period,q05_import_release_hours,q02_advisory_body\nARM,Armenia,AM,2023,NA,yes\nBLR,Belarus,BY,2023,..,n/a\n",
    )
    .expect("written");
    let file = path.to_str().expect("a path");
    // without the options: an error per column, the hints from this methodology's ids
    let (code, _, err) = tamga(&["validate", "rules/demo", file]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("unknown column `iso3`") && err.contains("unknown column `country`"), "{err}");
    assert!(err.replace(char::is_whitespace, "").contains("--ignore-unknown-columns"), "{err}");
    assert!(!err.contains("EurAsia_group"), "{err}");
    // with them: one warning naming both, NA, .. and n/a not submitted
    let options = ["--ignore-unknown-columns", "--na", "NA", "--na", "..", "--na", "N/A"];
    let (code, _, err) = tamga(&[&["validate", "rules/demo", file], &options[..]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("columns that are not questions of this methodology are skipped: `iso3`, `country`").count(),
        1,
        "{err}"
    );
    assert!(!err.contains("must be a number") && !err.contains("must be true or false"), "{err}");
    // eval takes the same options, and carries the warning in its result
    let (code, out, err) = tamga(&[&["eval", "rules/demo", file, "--format", "json"], &options[..]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("are skipped: `iso3`, `country`").count(), 1);
    let meth = demo();
    let mut sources = meth.sources.clone();
    let options = data::ReadOptions {
        delimiter: None,
        na: vec!["NA".into(), "..".into(), "n/a".into()],
        ignore_unknown_columns: true,
    };
    let loading = data::load_files_with(&meth.model, std::slice::from_ref(&path), &options, &mut sources);
    assert_eq!(answer(&meth, &loading.dataset, "AM", "q05_import_release_hours"), None);
    assert_eq!(answer(&meth, &loading.dataset, "BY", "q02_advisory_body"), None);
    assert_eq!(answer(&meth, &loading.dataset, "AM", "q02_advisory_body"), Some(Answer::Number(1.0)));
    let _ = std::fs::remove_dir_all(&dir);
}

// ───────────────────────────── the Excel template ─────────────────────────────

fn zip_text(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the workbook"));
    let mut s = String::new();
    file.read_to_string(&mut s).expect("UTF-8 XML");
    s
}

#[test]
fn the_template_offers_the_declared_units_and_sensible_number_rules() {
    let text = "methodology m { en \"M\" version \"1\" units AM, BY, KZ }\n\
        question q1 : number { en \"Q1\" }\nquestion q2 : number in 0..=10 { en \"Q2\" }\n\
        area a { en \"Favourable conditions and interaction with business\" \
        indicator i = q1 + q2 { en \"I\" score minmax } }\n";
    let checked = tamga::check::check_text("m.tamga", text);
    let model = checked.model.unwrap_or_else(|| panic!("the methodology checks: {:?}", checked.diags));
    let bytes =
        tamga::template::render(&model, tamga::template::Format::Xlsx, tamga::report::Lang::En).expect("a workbook");
    let first = zip_text(&bytes, "xl/worksheets/sheet1.xml");
    // the state code cell: a list of the declared units, which warns (a state not listed may be typed)
    assert!(
        first.contains("<dataValidation type=\"list\" errorStyle=\"warning\"")
            && first.contains("sqref=\"C7\"><formula1>\"AM,BY,KZ\"</formula1>"),
        "{first}"
    );
    let questions = zip_text(&bytes, "xl/worksheets/sheet2.xml");
    // no ±1e300 bounds: an unbounded number is any number (ISNUMBER), a bounded one its range
    assert!(!questions.to_lowercase().contains("e+300") && !questions.contains("1e300"), "{questions}");
    assert!(questions.contains("<formula1>ISNUMBER(E3)</formula1>"), "{questions}");
    assert!(questions.contains("type=\"decimal\"") && questions.contains("<formula2>10</formula2>"), "{questions}");
    // the sheet's name cut at a word (31 characters at most), without a dangling word
    let workbook = zip_text(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"Favourable conditions\""), "{workbook}");
}
