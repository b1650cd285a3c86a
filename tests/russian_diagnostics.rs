//! Every diagnostic a state's official reads exists in Russian (issue 14, item 10): whatever
//! `validate` and the loading of submissions can say, under `--lang ru`, is said in Russian.
//!
//! The cases are every submission of `tests/cases/bad-input/`, `tests/cases/submissions/`,
//! `tests/cases/consistency/` and `tests/cases/ru-diagnostics/` (the last made so that each
//! diagnostic of submissions is reached by some case), workbooks built here (a workbook's
//! problems cannot be written as text), and what needs the file system: a missing path, an
//! empty folder, a named pipe, a file above the size limit, a period with too many units.
//!
//! Each diagnostic must carry its own Russian words ([`tamga::diagnostics::Diag::ru`]), and in
//! Russian its message, main label, help and other places' labels must hold Cyrillic letters.
//! A new diagnostic added without Russian fails here, listed with its case and its English
//! message.

use std::path::{Path, PathBuf};
use tamga::check::{check, Methodology};
use tamga::diagnostics::Diag;
use tamga::i18n::Lang;

fn cyrillic(s: &str) -> bool {
    s.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
}

/// What the cases said: the diagnostics without Russian, and the English messages seen.
#[derive(Default)]
struct Seen {
    offenders: Vec<String>,
    messages: Vec<String>,
}

impl Seen {
    /// Checks the diagnostics of one case.
    fn check(&mut self, case: &str, diags: &[Diag]) {
        for d in diags {
            let ru = d.localized(Lang::Ru);
            let labels = ru.primary.iter().chain(&ru.secondary).map(|l| format!("[{}]", l.text)).collect::<String>();
            let help = ru.help.as_deref().unwrap_or("");
            self.messages.push(format!("{case}: {}\n    {}\n    {labels} {help}", d.message, ru.message));
            let mut wrong = vec![];
            if d.ru.is_none() {
                wrong.push("no Russian words".to_string());
            }
            if !cyrillic(&ru.message) {
                wrong.push(format!("message «{}»", ru.message));
            }
            if let Some(l) = ru.primary.as_ref().filter(|l| !l.text.is_empty() && !cyrillic(&l.text)) {
                wrong.push(format!("label «{}»", l.text));
            }
            if let Some(h) = ru.help.as_ref().filter(|h| !cyrillic(h)) {
                wrong.push(format!("help «{h}»"));
            }
            for l in ru.secondary.iter().filter(|l| !cyrillic(&l.text)) {
                wrong.push(format!("other label «{}»", l.text));
            }
            if !wrong.is_empty() {
                self.offenders.push(format!("{case}: {} «{}»: {}", d.code.as_str(), d.message, wrong.join("; ")));
            }
            assert_eq!(d.localized(Lang::En), *d, "{case}: English is as written");
        }
    }
}

fn methodology(path: &str) -> Methodology {
    let checked = check(Path::new(path));
    checked.methodology().unwrap_or_else(|_| panic!("{path} checks")).0
}

/// Loads `paths` as `tamga validate` does and checks what is said.
fn validate(seen: &mut Seen, meth: &Methodology, case: &str, paths: &[PathBuf]) {
    let mut sources = meth.sources.clone();
    let loading = tamga::data::load_files(&meth.model, paths, &mut sources);
    let diags: Vec<Diag> = loading.diags.into_iter().map(|(_, d)| d).collect();
    seen.check(case, &diags);
}

/// Every submission file of a folder of cases (and every folder in it, loaded as a folder).
fn corpus(seen: &mut Seen, dir: &str, meth: &Methodology) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_none_or(|x| x != "tamga" && x != "md"))
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    paths.sort();
    for p in paths {
        let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&p).display().to_string();
        validate(seen, meth, &rel, &[p]);
    }
}

// ───────────── workbooks ─────────────

/// A questionnaire laid out as `tamga template --format xlsx` writes it for
/// `ru-diagnostics/questions.tamga`: the keys (`rows` of the first sheet) and the sheet of
/// questions, then `edit`.
fn workbook(keys: &[(&str, &str)], edit: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    {
        let s = book.add_worksheet();
        s.set_name("Submission").expect("name");
        for (row, (key, value)) in keys.iter().enumerate() {
            s.write_string(row as u32, 0, *key).expect("key");
            s.write_string(row as u32, 2, *value).expect("value");
        }
    }
    {
        let s = book.add_worksheet();
        s.set_name("Questions").expect("name");
        for (col, h) in ["id", "question", "help", "allowed", "answer", "missing", "comment"].into_iter().enumerate() {
            s.write_string(0, col as u16, h).expect("header");
        }
        s.write_string(1, 0, "q_num").expect("id");
        s.write_number(1, 4, 12.5).expect("answer");
    }
    edit(&mut book);
    book.save_to_buffer().expect("an xlsx file")
}

const KEYS: [(&str, &str); 5] =
    [("methodology", "r"), ("version", "1"), ("language", "ru"), ("unit", "AM"), ("period", "2023")];

fn questions_sheet(book: &mut rust_xlsxwriter::Workbook) -> &mut rust_xlsxwriter::Worksheet {
    book.worksheet_from_name("Questions").expect("the sheet of questions")
}

/// The workbook with one part's text edited.
fn with_part(bytes: &[u8], name: &str, edit: impl FnOnce(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut edit = Some(edit);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("a part");
        let mut text = String::new();
        part.read_to_string(&mut text).expect("text");
        let part_name = part.name().to_string();
        if part_name == name {
            text = edit.take().expect("once")(&text);
        }
        out.start_file(part_name, opts).expect("start");
        out.write_all(text.as_bytes()).expect("write");
    }
    assert!(edit.is_none(), "no part {name}");
    out.finish().expect("zip").into_inner()
}

/// The workbooks, each loaded as `tamga validate` loads a file.
fn workbooks(seen: &mut Seen, meth: &Methodology) {
    use rust_xlsxwriter::{Format, Formula};
    let percent = Format::new().set_num_format("0%");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("no keys", workbook(&[("methodology", "r")], |_| {})),
        ("no period", workbook(&KEYS[..4], |_| {})),
        (
            "another methodology",
            workbook(&[("methodology", "other"), ("version", "9"), ("unit", "AM"), ("period", "2023")], |_| {}),
        ),
        ("keys twice", workbook(&[("unit", "AM"), ("period", "2023"), ("unit", "BY"), ("period", "2024")], |_| {})),
        (
            "an extra sheet",
            workbook(&KEYS, |book| {
                book.add_worksheet().set_name("Notes").expect("name").write_string(0, 0, "notes").expect("text");
            }),
        ),
        (
            "rows",
            workbook(&KEYS, |book| {
                let s = questions_sheet(book);
                // an answer without an id, an unknown question, a question twice
                s.write_number(2, 4, 1.0).expect("answer");
                s.write_string(3, 0, "q_unknown").expect("id");
                s.write_string(4, 0, "q_num").expect("id");
                // a percent-formatted cell for a percentage and for a count
                s.write_string(5, 0, "q_pct").expect("id");
                s.write_number_with_format(5, 4, 0.2, &percent).expect("answer");
                s.write_string(6, 0, "q_cnt").expect("id");
                s.write_number_with_format(6, 4, 0.5, &percent).expect("answer");
                // a formula, a merged cell
                s.write_string(7, 0, "q_part").expect("id");
                s.write_formula(7, 4, Formula::new("=1+1").set_result("2")).expect("formula");
                s.write_string(8, 0, "q_yes").expect("id");
                s.merge_range(8, 3, 8, 4, "yes", &Format::new()).expect("merge");
                // an answer and a reason, an unknown reason, a wrong choice, a text for a number
                s.write_string(9, 0, "q_ch").expect("id");
                s.write_string(9, 4, "c").expect("answer");
            }),
        ),
        (
            "no row for a required question",
            workbook(&KEYS, |book| {
                questions_sheet(book).write_string(1, 0, "q_cnt").expect("id");
            }),
        ),
    ];
    let mut cases = cases;
    // damaged or too large (tests/bad_input.rs shows each in English)
    let plain = workbook(&KEYS, |_| {});
    let sheet = |edit: &dyn Fn(&str) -> String| with_part(&plain, "xl/worksheets/sheet2.xml", edit);
    let rows =
        |rows: &'static str| sheet(&move |xml: &str| xml.replace("</sheetData>", &format!("{rows}</sheetData>")));
    cases.extend([
        (
            "a range beyond the last cell",
            sheet(&|xml| xml.replace("<dimension ref=\"A1:G2\"/>", "<dimension ref=\"A1:XFE2\"/>")),
        ),
        ("a reversed range", sheet(&|xml| xml.replace("<dimension ref=\"A1:G2\"/>", "<dimension ref=\"G2:A1\"/>"))),
        ("a used range too large", rows(r#"<row r="1048576"><c r="Z1048576"><v>1</v></c></row>"#)),
        ("a cell beyond the last", rows(r#"<row r="4"><c r="E4294967300"><v>7</v></c></row>"#)),
        ("a row beyond the last", rows(r#"<row r="4294967300"><c><v>7</v></c></row>"#)),
        ("cells beyond the last", rows(r#"<row r="9"><c r="XFD9"><v>1</v></c><c><v>2</v></c></row>"#)),
        (
            "a shared formula's number",
            rows(r#"<row r="9"><c r="H9"><f t="shared" si="1000000000000" ref="H9">1</f><v>1</v></c></row>"#),
        ),
        (
            "a shared formula's range",
            rows(r#"<row r="9"><c r="H9"><f t="shared" si="0" ref="A1:XFD1048576">1</f><v>1</v></c></row>"#),
        ),
        (
            "parts too large unpacked",
            with_part(&plain, "xl/sharedStrings.xml", |_| format!("<sst>{}</sst>", " ".repeat(65 * 1024 * 1024))),
        ),
        ("a sheet that cannot be read", rows(r#"<row r="9"><c r="A9"><v>1</v></x></row>"#)),
    ]);
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (case, bytes) in cases {
        let path = dir.path().join(format!("{}.xlsx", case.replace(' ', "-")));
        std::fs::write(&path, bytes).expect("write");
        validate(seen, meth, &format!("workbook: {case}"), &[path]);
    }
}

// ───────────── the file system ─────────────

fn file_system(seen: &mut Seen, meth: &Methodology) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    validate(seen, meth, "a missing file", &[dir.path().join("missing.json")]);
    validate(seen, meth, "an unknown extension", &[Path::new("tests/cases/ru-diagnostics/questions.tamga").into()]);
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("a folder");
    validate(seen, meth, "an empty folder", &[empty]);
    #[cfg(unix)]
    {
        let pipe = dir.path().join("pipe.json");
        let status = std::process::Command::new("mkfifo").arg(&pipe).status().expect("mkfifo runs");
        assert!(status.success());
        validate(seen, meth, "a named pipe", &[pipe]);
    }
    // above the size limit: a sparse file, not written
    let big = dir.path().join("big.json");
    std::fs::File::create(&big).and_then(|f| f.set_len(tamga::data::MAX_SUBMISSION_BYTES + 1)).expect("a big file");
    validate(seen, meth, "a file too large", &[big]);
    let n = tamga::data::MAX_UNITS_PER_PERIOD + 1;
    let mut csv = String::with_capacity(n * 20);
    csv.push_str("unit,period,q_num\n");
    for i in 0..n {
        csv.push_str(&format!("U{i},2023,1\n"));
    }
    let many = dir.path().join("many.csv");
    std::fs::write(&many, csv).expect("write");
    validate(seen, meth, "too many units", &[many]);
    seen.check("no submission", &[tamga::data::no_submission()]);
}

#[test]
fn every_diagnostic_of_submissions_is_in_russian() {
    let mut seen = Seen::default();
    corpus(&mut seen, "tests/cases/bad-input", &methodology("tests/cases/bad-input/questions.tamga"));
    corpus(&mut seen, "tests/cases/submissions", &methodology("rules/demo"));
    corpus(&mut seen, "tests/cases/consistency", &methodology("tests/cases/consistency/methodology.tamga"));
    let meth = methodology("tests/cases/ru-diagnostics/questions.tamga");
    corpus(&mut seen, "tests/cases/ru-diagnostics", &meth);
    workbooks(&mut seen, &meth);
    file_system(&mut seen, &meth);
    if std::env::var_os("TAMGA_LIST_DIAGNOSTICS").is_some() {
        eprintln!("{}", seen.messages.join("\n"));
    }
    assert!(seen.offenders.is_empty(), "{} without Russian:\n{}", seen.offenders.len(), seen.offenders.join("\n"));
    assert!(seen.messages.len() >= 130, "only {} diagnostics seen", seen.messages.len());
}
