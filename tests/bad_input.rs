//! Bad inputs: each file in `tests/cases/bad-input/` is something a user may well hand tamga (a
//! file saved in the wrong encoding, a number written as text, a CSV file from a spreadsheet set
//! to another language), and the snapshot records what tamga decides: accepted, and read how, or
//! rejected, with what message. Nothing is guessed silently. docs/reliability.md lists every case
//! with its decision.
//!
//! - `rules-*.tamga` are rule files, checked as `tamga check` does;
//! - every other file is a submission, loaded as `tamga eval` does with `questions.tamga`.
//!
//! Cases that cannot be committed as plain files (workbooks with merged cells, formulas or dates,
//! symbolic-link loops, folders where a file is expected) are made by the tests below.

use std::path::{Path, PathBuf};
use tamga::check::{check, check_text, Methodology};
use tamga::data::Answer;
use tamga::diagnostics::{has_errors, render, Diag, Style};
use tamga::source::SourceMap;

const STYLE: Style = Style { color: false, width: 100 };

/// The path relative to the crate root, as a user would type it (file names appear in output).
fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().expect("crate root");
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).expect("current dir");
    assert_eq!(cwd, root, "the cases run from the crate root, as `cargo test` does");
    path.canonicalize().expect("a case file").strip_prefix(&root).expect("a case inside the crate").to_path_buf()
}

fn questions() -> Methodology {
    let checked = check(Path::new("tests/cases/bad-input/questions.tamga"));
    let (meth, _unused_questions) = checked.methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
    meth
}

/// What was read from a submission, answer by answer.
fn outcome(meth: &Methodology, subs: &[tamga::data::Submission], diags: &[Diag], sources: &SourceMap) -> String {
    let mut out = String::new();
    if subs.is_empty() {
        out.push_str("rejected: no submission read\n");
    } else {
        let verdict = if has_errors(diags) { "accepted with errors" } else { "accepted" };
        for s in subs {
            out.push_str(&format!("{verdict}: unit `{}`, period `{}`\n", s.unit, s.period));
            for (q, a) in meth.model.questions.keys().zip(s.answers.iter()) {
                let shown = match a {
                    None => "not answered".to_string(),
                    Some(Answer::Number(x)) => format!("{x:?}"),
                    Some(Answer::Missing(r)) => format!("missing ({})", r.as_str()),
                };
                out.push_str(&format!("  {q} = {shown}\n"));
            }
        }
    }
    out.push('\n');
    out.push_str(&render(diags, sources, STYLE));
    out
}

#[test]
fn rule_files() {
    insta::glob!("cases/bad-input/rules-*.tamga", |path| {
        let rel = relative(path);
        let checked = check(&rel);
        let verdict = match (&checked.model, has_errors(&checked.diags)) {
            (Some(m), _) => format!(
                "accepted: methodology `{}` {}, {} question(s)",
                m.header.id,
                m.header.version,
                m.questions.len()
            ),
            (None, true) => "rejected".to_string(),
            (None, false) => panic!("{}: no model and no error", rel.display()),
        };
        insta::assert_snapshot!(format!("{verdict}\n\n{}", render(&checked.diags, &checked.sources, STYLE)));
    });
}

#[test]
fn submissions() {
    let meth = questions();
    insta::glob!("cases/bad-input/*.{json,toml,csv,xlsx}", |path| {
        let rel = relative(path);
        let mut sources = meth.sources.clone();
        let loading = tamga::data::load_files(&meth.model, std::slice::from_ref(&rel), &mut sources);
        let diags: Vec<Diag> = loading.diags.into_iter().map(|(_, d)| d).collect();
        let subs = loading.dataset.submissions;
        insta::assert_snapshot!(outcome(&meth, &subs, &diags, &sources));
    });
}

// ───────────── workbooks ─────────────

/// A questionnaire laid out as `tamga template --format xlsx` writes it (docs/results.md), with
/// `edit` applied to its sheet of questions before it is saved.
fn workbook(edit: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    {
        let s = book.add_worksheet();
        s.set_name("Submission").expect("name");
        for (row, (key, value)) in
            [("methodology", "b"), ("version", "1"), ("language", "en"), ("unit", "AM"), ("period", "2023")]
                .into_iter()
                .enumerate()
        {
            s.write_string(row as u32, 0, key).expect("key");
            s.write_string(row as u32, 2, value).expect("value");
        }
    }
    {
        let s = book.add_worksheet();
        s.set_name("Questions").expect("name");
        for (col, h) in ["id", "question", "help", "allowed", "answer", "missing", "comment"].into_iter().enumerate() {
            s.write_string(0, col as u16, h).expect("header");
        }
        for (row, id) in ["q_num", "q_cnt", "q_yes"].into_iter().enumerate() {
            s.write_string(row as u32 + 1, 0, id).expect("id");
        }
        s.write_number(1, 4, 12.5).expect("answer");
    }
    edit(&mut book);
    book.save_to_buffer().expect("an xlsx file")
}

fn load_workbook(name: &str, bytes: &[u8]) -> String {
    let meth = questions();
    let mut sources = meth.sources.clone();
    let (subs, diags) = tamga::data::load_bytes(&meth.model, name, bytes, &mut sources);
    outcome(&meth, &subs, &diags, &sources)
}

fn questions_sheet(book: &mut rust_xlsxwriter::Workbook) -> &mut rust_xlsxwriter::Worksheet {
    book.worksheet_from_name("Questions").expect("the sheet of questions")
}

#[test]
fn xlsx_as_written_by_the_template() {
    insta::assert_snapshot!(load_workbook("plain.xlsx", &workbook(|_| {})));
}

/// Merged cells: the value is in the top-left cell, the others are empty.
#[test]
fn xlsx_with_merged_cells() {
    let bytes = workbook(|book| {
        let s = questions_sheet(book);
        let f = rust_xlsxwriter::Format::new();
        s.merge_range(2, 4, 2, 6, "7", &f).expect("merge E3:G3");
        s.merge_range(3, 3, 3, 4, "yes", &f).expect("merge D4:E4");
    });
    insta::assert_snapshot!(load_workbook("merged.xlsx", &bytes));
}

/// Formulas: the value the spreadsheet program last computed is read, with a warning.
#[test]
fn xlsx_with_formulas() {
    let bytes = workbook(|book| {
        let s = questions_sheet(book);
        s.write_formula(1, 4, rust_xlsxwriter::Formula::new("=10+2.5").set_result("12.5")).expect("formula");
        s.write_formula(2, 4, "=1+1").expect("a formula with no computed value");
    });
    insta::assert_snapshot!(load_workbook("formulas.xlsx", &bytes));
}

/// Dates: a date where a number is asked is a type error; a date as the period too.
#[test]
fn xlsx_with_dates() {
    let bytes = workbook(|book| {
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let when = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 5, 1).expect("a date");
        questions_sheet(book).write_datetime_with_format(1, 4, &when, &date).expect("date answer");
        let s = book.worksheet_from_name("Submission").expect("sheet");
        s.write_datetime_with_format(4, 2, &when, &date).expect("date period");
    });
    insta::assert_snapshot!(load_workbook("dates.xlsx", &bytes));
}

/// An extra sheet (notes, a chart's data) is skipped with a warning; an extra sheet with an `id`
/// header is read as a sheet of questions.
#[test]
fn xlsx_with_an_extra_sheet() {
    let bytes = workbook(|book| {
        let s = book.add_worksheet();
        s.set_name("Notes").expect("name");
        s.write_string(0, 0, "figures checked by the statistics office").expect("text");
        let s = book.add_worksheet();
        s.set_name("More").expect("name");
        s.write_string(0, 0, "id").expect("id");
        s.write_string(1, 0, "q_num").expect("id");
        s.write_number(1, 4, 13).expect("a second answer");
    });
    insta::assert_snapshot!(load_workbook("extra.xlsx", &bytes));
}

/// A second `unit` row was ignored without a word: now an error naming both rows.
#[test]
fn xlsx_with_a_second_unit_row() {
    let bytes = workbook(|book| {
        let s = book.worksheet_from_name("Submission").expect("sheet");
        s.write_string(5, 0, "unit").expect("key");
        s.write_string(5, 2, "BY").expect("value");
    });
    insta::assert_snapshot!(load_workbook("two-units.xlsx", &bytes));
}

/// The workbook with one part replaced (or added): `edit` gets the part's text (empty when new).
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
    if let Some(edit) = edit {
        out.start_file(name, opts).expect("start");
        out.write_all(edit("").as_bytes()).expect("write");
    }
    out.finish().expect("zip").into_inner()
}

/// The sheet of questions with `rows` added before the end of its data.
fn with_rows(rows: &str) -> Vec<u8> {
    with_part(&workbook(|_| {}), "xl/worksheets/sheet2.xml", |xml| {
        assert!(xml.contains("</sheetData>"), "{xml}");
        xml.replace("</sheetData>", &format!("{rows}</sheetData>"))
    })
}

/// Workbooks made to exhaust memory or to be misread (issue #15): refused before calamine
/// allocates, in a fraction of a second, each with a message that names the part and the cell.
#[test]
fn xlsx_bombs_are_refused_before_they_are_read() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // 65 MiB of shared strings, a few kilobytes packed
        (
            "shared-strings-bomb",
            with_part(&workbook(|_| {}), "xl/sharedStrings.xml", |_| {
                format!("<sst>{}</sst>", " ".repeat(65 * 1024 * 1024))
            }),
        ),
        // a value in Excel's last cell: the used range would be 17 billion cells
        ("last-cell", with_rows(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#)),
        // a row number past u32: wrapped around onto row 4 and read as q_cnt's answer
        ("row-wraps", with_rows(r#"<row r="4"><c r="E4294967300"><v>7</v></c></row>"#)),
        ("row-beyond", with_rows(r#"<row r="4294967300"><c><v>7</v></c></row>"#)),
        // shared formulas: an index calamine grows a table to, a range it maps cell by cell
        (
            "shared-formula-index",
            with_rows(r#"<row r="9"><c r="H9"><f t="shared" si="1000000000000" ref="H9">1</f><v>1</v></c></row>"#),
        ),
        (
            "shared-formula-range",
            with_rows(r#"<row r="9"><c r="H9"><f t="shared" si="0" ref="A1:XFD1048576">1</f><v>1</v></c></row>"#),
        ),
    ];
    for (name, bytes) in cases {
        let started = std::time::Instant::now();
        let text = load_workbook(&format!("{name}.xlsx"), &bytes);
        assert!(started.elapsed().as_secs() < 10, "{name}: {:?}", started.elapsed());
        insta::assert_snapshot!(format!("xlsx_bomb_{name}"), text);
    }
}

/// A cell formatted as a percentage holds the fraction (`20 %` typed is 0.2 stored): read as the
/// percentage shown for a percentage question, as stored for another, with a warning either way.
#[test]
fn xlsx_with_percent_formatted_cells() {
    let rules = "methodology p { en \"P\" ru \"P\" version \"1\" }\n\
                 question q_pct : percent { en \"Share\" ru \"Доля\" }\n\
                 question q_num : number { en \"Number\" ru \"Число\" }\n";
    let (meth, _) =
        check_text("p.tamga", rules).methodology().unwrap_or_else(|(s, d)| panic!("{}", render(&d, &s, STYLE)));
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    for (row, (key, value)) in
        [("methodology", "p"), ("version", "1"), ("unit", "AM"), ("period", "2023")].into_iter().enumerate()
    {
        s.write_string(row as u32, 0, key).expect("key");
        s.write_string(row as u32, 2, value).expect("value");
    }
    let s = book.add_worksheet();
    s.write_string(0, 0, "id").expect("header");
    let pct = rust_xlsxwriter::Format::new().set_num_format("0%");
    s.write_string(1, 0, "q_pct").expect("id");
    s.write_number_with_format(1, 4, 0.2, &pct).expect("20 %");
    s.write_string(2, 0, "q_num").expect("id");
    s.write_number_with_format(2, 4, 0.075, &rust_xlsxwriter::Format::new().set_num_format("0.0%")).expect("7.5 %");
    let bytes = book.save_to_buffer().expect("xlsx");
    let mut sources = meth.sources.clone();
    let (subs, diags) = tamga::data::load_bytes(&meth.model, "percent.xlsx", &bytes, &mut sources);
    assert_eq!(subs[0].answer(0), Some(Answer::Number(20.0)));
    assert_eq!(subs[0].answer(1), Some(Answer::Number(0.075)));
    insta::assert_snapshot!(outcome(&meth, &subs, &diags, &sources));
}

// ───────────── the file system ─────────────

/// Replaces the temporary folder in messages.
fn redact(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[tmp]")
}

#[test]
fn a_folder_where_a_file_is_expected() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sub = dir.path().join("answers.json");
    std::fs::create_dir(&sub).expect("a folder named like a file");
    std::fs::create_dir(dir.path().join("rules")).expect("a folder");
    std::fs::create_dir(dir.path().join("rules/methodology.tamga")).expect("a folder named like the entry file");
    std::fs::write(
        dir.path().join("main.tamga"),
        "methodology b { en \"B\" ru \"B\" version \"1\" }\ninclude \"rules\"\n",
    )
    .expect("write");
    let mut out = String::new();
    for path in [dir.path().join("rules"), dir.path().join("main.tamga")] {
        let checked = check(&path);
        out.push_str(&render(&checked.diags, &checked.sources, STYLE));
    }
    let meth = questions();
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, &[sub], &mut sources);
    assert!(data.submissions.is_empty());
    out.push_str(&render(&diags, &sources, STYLE));
    insta::assert_snapshot!(redact(&out, dir.path()));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (a, b) = (dir.path().join("a.tamga"), dir.path().join("b.tamga"));
    std::os::unix::fs::symlink(&b, &a).expect("a → b");
    std::os::unix::fs::symlink(&a, &b).expect("b → a");
    let (x, y) = (dir.path().join("x.json"), dir.path().join("y.json"));
    std::os::unix::fs::symlink(&y, &x).expect("x → y");
    std::os::unix::fs::symlink(&x, &y).expect("y → x");
    let folder = dir.path().join("loop");
    std::os::unix::fs::symlink(&folder, &folder).expect("a folder linking to itself");
    let mut out = String::new();
    let checked = check(&a);
    out.push_str(&render(&checked.diags, &checked.sources, STYLE));
    let meth = questions();
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, &[x, folder], &mut sources);
    assert!(data.submissions.is_empty());
    out.push_str(&render(&diags, &sources, STYLE));
    insta::assert_snapshot!(redact(&out, dir.path()));
}

/// A rule file that includes itself, and two that include each other.
#[test]
fn include_loops() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let head = "methodology b { en \"B\" ru \"B\" version \"1\" }\n";
    std::fs::write(dir.path().join("self.tamga"), format!("{head}include \"self.tamga\"\n")).expect("write");
    std::fs::write(dir.path().join("one.tamga"), format!("{head}include \"two.tamga\"\n")).expect("write");
    std::fs::write(dir.path().join("two.tamga"), "include \"one.tamga\"\n").expect("write");
    let mut out = String::new();
    for f in ["self.tamga", "one.tamga"] {
        let checked = check(&dir.path().join(f));
        out.push_str(&render(&checked.diags, &checked.sources, STYLE));
    }
    insta::assert_snapshot!(redact(&out, dir.path()));
}

/// An include, or a symbolic link it reaches, that leads out of the methodology's folder is
/// refused before anything is read (an include of `../../../../etc/passwd` once quoted the
/// file's first line); a missing file inside is still "does not exist". The secret below is
/// never shown.
#[test]
fn includes_stay_inside_the_methodology_s_folder() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("secret.txt"), "root:x:0:0:SECRET-LINE\n").expect("write");
    let m = dir.path().join("m");
    std::fs::create_dir_all(m.join("areas")).expect("mkdir");
    let head = "methodology b { en \"B\" ru \"B\" version \"1\" }\n";
    let deep = "../".repeat(12) + "etc/passwd";
    std::fs::write(
        m.join("methodology.tamga"),
        format!("{head}include \"../secret.txt\"\ninclude \"{deep}\"\ninclude \"areas/inside.tamga\"\ninclude \"missing.tamga\"\n"),
    )
    .expect("write");
    // inside, but climbing out and back in is fine; a link inside that points out is not
    std::fs::write(m.join("areas/inside.tamga"), "include \"../areas/../link.tamga\"\n").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink("../secret.txt", m.join("link.tamga")).expect("link");
    #[cfg(not(unix))]
    std::fs::write(m.join("link.tamga"), "").expect("write");
    let checked = check(&m);
    let out = render(&checked.diags, &checked.sources, STYLE);
    assert!(!out.contains("SECRET-LINE") && !out.contains("root:"), "{out}");
    insta::assert_snapshot!(redact(&out, dir.path()));
}

/// A named pipe as a rule file (included, or the entry) is refused without being opened: an
/// include of a pipe once waited forever for a writer. A pipe given as a submission too.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_as_a_rule_file_or_a_submission() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let head = "methodology b { en \"B\" ru \"B\" version \"1\" }\nquestion q_num : number { en \"N\" ru \"N\" }\n";
    std::fs::write(dir.path().join("methodology.tamga"), format!("{head}include \"pipe.tamga\"\n")).expect("write");
    mkfifo(&dir.path().join("pipe.tamga"));
    mkfifo(&dir.path().join("answers.json"));
    let started = std::time::Instant::now();
    let checked = check(dir.path());
    let mut out = render(&checked.diags, &checked.sources, STYLE);
    let checked = check(&dir.path().join("pipe.tamga"));
    out.push_str(&render(&checked.diags, &checked.sources, STYLE));
    let meth = questions();
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, &[dir.path().join("answers.json")], &mut sources);
    assert!(data.submissions.is_empty());
    out.push_str(&render(&diags, &sources, STYLE));
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    insta::assert_snapshot!(redact(&out, dir.path()));
}

/// Text given to the library directly (as `tamga eval --expr` and tests do) follows the same
/// rules as files: a byte-order mark is skipped, CRLF and tabs are white space.
#[test]
fn text_with_a_byte_order_mark_crlf_and_tabs() {
    let text = "\u{feff}methodology b {\r\n\ten \"B\"\tru \"B\"\r\n\tversion \"1\"\r\n}\r\n";
    let checked = check_text("b.tamga", text);
    assert!(checked.model.is_some(), "{}", render(&checked.diags, &checked.sources, STYLE));
}

// ───────────── outputs: safe writes ─────────────
//
// Every output is written to a temporary file beside the target and renamed into place
// (`tamga::fsutil::write_atomic`): a run that fails or is killed while writing leaves the old
// file as it was. A failure is simulated here with a target that cannot be replaced.

fn tamga(args: &[&str], dir: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tamga")).args(args).current_dir(dir).output().expect("tamga runs")
}

/// Files in a folder other than `keep`: no temporary file may be left behind.
fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // the target is a folder: the rename fails after the temporary file was written
    let target = dir.path().join("result.json");
    std::fs::create_dir(&target).expect("a folder in the way");
    std::fs::write(target.join("old.txt"), "old").expect("write");
    assert!(tamga::fsutil::write_atomic(&target, b"new").is_err());
    assert_eq!(std::fs::read_to_string(target.join("old.txt")).expect("read"), "old");
    assert_eq!(leftovers(dir.path(), &["result.json"]), Vec::<String>::new());
    // the target's folder is a file: nothing can be created
    let file = dir.path().join("plain");
    std::fs::write(&file, "old").expect("write");
    assert!(tamga::fsutil::write_atomic(&file.join("result.json"), b"new").is_err());
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "old");
    // and a write that succeeds replaces the file whole, keeping its permissions
    let out = dir.path().join("out.json");
    std::fs::write(&out, "old").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    tamga::fsutil::write_atomic(&out, b"new").expect("written");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "new");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    assert_eq!(leftovers(dir.path(), &["result.json", "plain", "out.json"]), Vec::<String>::new());
}

/// A symbolic link to an output is written through: the link stays a link.
#[cfg(unix)]
#[test]
fn a_write_through_a_symbolic_link_keeps_the_link() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "old").expect("write");
    std::os::unix::fs::symlink(&real, &link).expect("link");
    tamga::fsutil::write_atomic(&link, b"new").expect("written");
    assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
}

/// `eval`, `audit`, `sensitivity`, `template` and `report` refuse to write over an input: a
/// submission or a rule file. `report` writes all of its files or none.
#[test]
fn outputs_never_overwrite_inputs() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules = std::fs::read_to_string("tests/cases/bad-input/questions.tamga").expect("read");
    std::fs::write(dir.path().join("rules.tamga"), &rules).expect("write");
    let sub = r#"{ "unit": "AM", "period": "2023", "answers": { "q_num": 1 } }"#;
    std::fs::write(dir.path().join("am.json"), sub).expect("write");
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    std::fs::write(dir.path().join("out/result.json"), sub).expect("write");
    for args in [
        &["eval", "rules.tamga", "am.json", "--format", "json", "--out", "am.json"][..],
        &["eval", "rules.tamga", ".", "--format", "json", "--out", "./am.json"][..],
        &["eval", "rules.tamga", "am.json", "--out", "rules.tamga"][..],
        &["audit", "rules.tamga", "am.json", "--out", "am.json"][..],
        &["sensitivity", "rules.tamga", "am.json", "--out", "rules.tamga"][..],
        &["template", "rules.tamga", "--format", "csv", "--out", "rules.tamga"][..],
        // the report's result.json would replace a submission read from the output folder
        &["report", "rules.tamga", "am.json", "out/result.json", "--out", "out"][..],
    ] {
        let out = tamga(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("does not overwrite its inputs"), "{args:?}");
        assert_eq!(std::fs::read_to_string(dir.path().join("am.json")).expect("read"), sub);
        assert_eq!(std::fs::read_to_string(dir.path().join("rules.tamga")).expect("read"), rules);
        assert_eq!(std::fs::read_to_string(dir.path().join("out/result.json")).expect("read"), sub);
        assert_eq!(leftovers(&dir.path().join("out"), &["result.json"]), Vec::<String>::new(), "{args:?}");
    }
    // and no command writes into a submission: eval reads it, the bytes stay
    let out = tamga(&["eval", "rules.tamga", "am.json", "--out", "result.txt"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join("am.json")).expect("read"), sub);
    assert_eq!(leftovers(dir.path(), &["rules.tamga", "am.json", "result.txt", "out"]), Vec::<String>::new());
}

/// A staged output (`tamga::fsutil::Staged`, what `report` streams each file into) replaces its
/// target only when committed: dropped before, it leaves the target as it was and no temporary
/// file; committed, the target holds every byte written, its permissions kept.
#[test]
fn a_staged_file_replaces_its_target_only_when_committed() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("report.html");
    std::fs::write(&target, "old").expect("write");
    let mut staged = tamga::fsutil::Staged::create(&target).expect("staged");
    // more than the buffer holds, so that some of it reached the temporary file
    let big = vec![b'x'; 600 * 1024];
    staged.write_all(&big).expect("written");
    assert_eq!(leftovers(dir.path(), &["report.html"]).len(), 1, "the temporary file is beside the target");
    drop(staged);
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "old");
    assert_eq!(leftovers(dir.path(), &["report.html"]), Vec::<String>::new());
    let mut staged = tamga::fsutil::Staged::create(&target).expect("staged");
    staged.write_all(&big).expect("written");
    staged.write_all(b"end").expect("written");
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "old", "nothing replaced before the commit");
    staged.commit().expect("committed");
    let bytes = std::fs::read(&target).expect("read");
    assert_eq!(bytes.len(), big.len() + 3);
    assert!(bytes.ends_with(b"xend"));
    assert_eq!(leftovers(dir.path(), &["report.html"]), Vec::<String>::new());
    // a folder in the way is refused before anything is created
    std::fs::create_dir(dir.path().join("matrix.csv")).expect("mkdir");
    assert!(tamga::fsutil::Staged::create(&dir.path().join("matrix.csv")).is_err());
    assert_eq!(leftovers(dir.path(), &["report.html", "matrix.csv"]), Vec::<String>::new());
}

/// `report` writes all of its files or none: when a later file cannot be written (here
/// `result.json` is a link into a folder that does not exist, which no check before writing can
/// see), the files rendered before it replace nothing and leave no temporary file.
#[cfg(unix)]
#[test]
fn a_report_that_fails_part_way_replaces_no_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules = std::fs::read_to_string("tests/cases/bad-input/questions.tamga").expect("read");
    std::fs::write(dir.path().join("rules.tamga"), &rules).expect("write");
    let sub = r#"{ "unit": "AM", "period": "2023", "answers": { "q_num": 1 } }"#;
    std::fs::write(dir.path().join("am.json"), sub).expect("write");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let olds = ["report.html", "report.md", "matrix.csv", "standards.csv"];
    for name in olds {
        std::fs::write(out.join(name), "old").expect("write");
    }
    std::os::unix::fs::symlink("missing/result.json", out.join("result.json")).expect("link");
    let o = tamga(&["report", "rules.tamga", "am.json", "--out", "out"], dir.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write") && stderr.contains("result.json"), "{stderr}");
    assert!(stderr.contains("no file of the report was replaced"), "{stderr}");
    assert!(o.stdout.is_empty(), "no file is listed as written: {}", String::from_utf8_lossy(&o.stdout));
    for name in olds {
        assert_eq!(std::fs::read_to_string(out.join(name)).expect("read"), "old", "{name} was replaced");
    }
    let mut keep = olds.to_vec();
    keep.push("result.json");
    assert_eq!(leftovers(&out, &keep), Vec::<String>::new(), "no temporary file is left");
    // with the link's folder there, the same report replaces every file
    std::fs::create_dir(out.join("missing")).expect("mkdir");
    let o = tamga(&["report", "rules.tamga", "am.json", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    for name in olds {
        assert_ne!(std::fs::read_to_string(out.join(name)).expect("read"), "old", "{name} was not replaced");
    }
    assert!(std::fs::read_to_string(out.join("missing/result.json")).expect("read").starts_with('{'));
    keep.push("missing");
    assert_eq!(leftovers(&out, &keep), Vec::<String>::new());
}

/// `fmt` writes nothing when the formatted form would not read back the same: here a formula 120
/// levels deep inside areas nested 90 deep, whose formatted form needs 209 levels of brackets.
#[test]
fn fmt_leaves_files_alone_when_the_result_would_not_parse() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut text =
        String::from("methodology b { en \"B\" ru \"B\" version \"1\" }\nquestion q : number { en \"Q\" ru \"Q\" }\n");
    for i in 0..90 {
        text.push_str(&format!("area a{i} {{ en \"A\" ru \"A\"\n"));
    }
    text.push_str(&format!("indicator x = {}q {{ en \"X\" ru \"X\" score value }}\n", "-".repeat(120)));
    text.push_str(&"}\n".repeat(90));
    std::fs::write(dir.path().join("methodology.tamga"), &text).expect("write");
    std::fs::write(dir.path().join("other.tamga"), "question   r : number { en \"R\" ru \"R\" }\n").expect("write");
    let with_include = text.replacen("\n", "\ninclude \"other.tamga\"\n", 1);
    std::fs::write(dir.path().join("methodology.tamga"), &with_include).expect("write");
    let out = tamga(&["fmt", "."], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nested too deeply"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // neither file was touched, not even the one that could be formatted
    assert_eq!(std::fs::read_to_string(dir.path().join("methodology.tamga")).expect("read"), with_include);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.tamga")).expect("read"),
        "question   r : number { en \"R\" ru \"R\" }\n"
    );
    assert_eq!(leftovers(dir.path(), &["methodology.tamga", "other.tamga"]), Vec::<String>::new());
}

/// A run killed while it writes: the old output stays whole. `tamga template` writes a
/// questionnaire of a methodology with many questions; it is killed at once, many times, and
/// every time the output is the old file or the new one, never a part.
#[cfg(unix)]
#[test]
fn a_run_killed_while_writing_leaves_a_whole_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut rules = String::from("methodology k { en \"K\" ru \"K\" version \"1\" }\n");
    for i in 0..3000 {
        rules.push_str(&format!("question q{i} : number {{ en \"Question {i}\" ru \"Вопрос {i}\" }}\n"));
    }
    std::fs::write(dir.path().join("rules.tamga"), &rules).expect("write");
    let out = dir.path().join("form.csv");
    std::fs::write(&out, "old").expect("write");
    let full = tamga(&["template", "rules.tamga", "--format", "csv", "--out", "new.csv"], dir.path());
    assert!(full.status.success());
    let new = std::fs::read(dir.path().join("new.csv")).expect("read");
    for delay_ms in [0u64, 5, 10, 20, 40, 80, 160] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tamga"))
            .args(["template", "rules.tamga", "--format", "csv", "--out", "form.csv"])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("tamga starts");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).expect("read");
        assert!(now == b"old" || now == new, "after {delay_ms} ms: {} bytes, neither old nor new", now.len());
    }
}

/// Makes a named pipe (FIFO) at `path` with the system's `mkfifo`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).expect("meta").file_type().is_fifo()
}

/// An output onto a named pipe (or a device, a socket: anything not a regular file) is refused,
/// directly or through a symbolic link, and the pipe stays a pipe (as root, `--out /dev/null`
/// once replaced `/dev/null` by a regular file). Nothing is opened, so nothing blocks.
#[cfg(unix)]
#[test]
fn outputs_onto_a_pipe_or_a_device_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules = std::fs::read_to_string("tests/cases/bad-input/questions.tamga").expect("read");
    std::fs::write(dir.path().join("rules.tamga"), &rules).expect("write");
    let sub = r#"{ "unit": "AM", "period": "2023", "answers": { "q_num": 1 } }"#;
    std::fs::write(dir.path().join("am.json"), sub).expect("write");
    mkfifo(&dir.path().join("pipe"));
    std::os::unix::fs::symlink("pipe", dir.path().join("link")).expect("link");
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    mkfifo(&dir.path().join("out/result.json"));
    for args in [
        &["eval", "rules.tamga", "am.json", "--out", "pipe"][..],
        &["eval", "rules.tamga", "am.json", "--out", "link"][..],
        &["audit", "rules.tamga", "am.json", "--out", "pipe"][..],
        &["sensitivity", "rules.tamga", "am.json", "--out", "link"][..],
        &["template", "rules.tamga", "--format", "csv", "--out", "pipe"][..],
        &["report", "rules.tamga", "am.json", "--out", "out"][..],
    ] {
        let out = tamga(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("it is a named pipe (FIFO), not a regular file"), "{args:?}: {stderr}");
        assert!(is_fifo(&dir.path().join("pipe")) && is_fifo(&dir.path().join("out/result.json")), "{args:?}");
        // the report writes none of its files when one of them cannot be written
        assert_eq!(leftovers(&dir.path().join("out"), &["result.json"]), Vec::<String>::new(), "{args:?}");
    }
    let err = tamga::fsutil::write_atomic(&dir.path().join("pipe"), b"new").expect_err("refused");
    assert!(err.to_string().contains("named pipe"), "{err}");
    assert!(is_fifo(&dir.path().join("pipe")));
    assert_eq!(leftovers(dir.path(), &["rules.tamga", "am.json", "pipe", "link", "out"]), Vec::<String>::new());
}

/// The approval lock and the manifest are inputs, and so is every file of a submissions folder
/// that was read but dropped (a damaged workbook, a UTF-16 JSON file): no `--out` replaces them.
#[test]
fn outputs_never_overwrite_the_lock_nor_a_dropped_submission() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules = std::fs::read_to_string("tests/cases/bad-input/questions.tamga").expect("read");
    std::fs::create_dir(dir.path().join("m")).expect("mkdir");
    std::fs::write(dir.path().join("m/methodology.tamga"), &rules).expect("write");
    std::fs::write(dir.path().join("m/methodology.lock"), "lock").expect("write");
    let manifest = "id = \"b\"\nversion = \"1\"\nstatus = \"draft\"\n";
    std::fs::write(dir.path().join("m/methodology.toml"), manifest).expect("write");
    std::fs::create_dir(dir.path().join("subs")).expect("mkdir");
    let sub = r#"{ "unit": "AM", "period": "2023", "answers": { "q_num": 1 } }"#;
    std::fs::write(dir.path().join("subs/am.json"), sub).expect("write");
    std::fs::write(dir.path().join("subs/by.xlsx"), "not a workbook").expect("write");
    let utf16: Vec<u8> = "\u{feff}{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(dir.path().join("subs/result.json"), &utf16).expect("write");
    let lock_before = std::fs::read(dir.path().join("m/methodology.lock")).expect("read");
    for args in [
        &["eval", "m/methodology.tamga", "subs/am.json", "--out", "m/methodology.lock"][..],
        &["eval", "m", "subs", "--out", "m/methodology.toml"][..],
        &["template", "m", "--format", "csv", "--out", "m/methodology.lock"][..],
        &["eval", "m", "subs", "--format", "json", "--out", "subs/by.xlsx"][..],
        &["audit", "m", "subs", "--out", "subs/result.json"][..],
        // result.json of the report would replace the UTF-16 file, read and dropped
        &["report", "m", "subs", "--out", "subs"][..],
    ] {
        let out = tamga(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("does not overwrite its inputs"), "{args:?}: {stderr}");
        assert_eq!(std::fs::read(dir.path().join("m/methodology.lock")).expect("read"), lock_before);
        assert_eq!(std::fs::read_to_string(dir.path().join("m/methodology.toml")).expect("read"), manifest);
        assert_eq!(std::fs::read_to_string(dir.path().join("subs/by.xlsx")).expect("read"), "not a workbook");
        assert_eq!(std::fs::read(dir.path().join("subs/result.json")).expect("read"), utf16);
        assert_eq!(leftovers(&dir.path().join("subs"), &["am.json", "by.xlsx", "result.json"]), Vec::<String>::new());
    }
}

/// A legal long output name (245 and 255 bytes) is written: the temporary name beside it is
/// shortened, not the output's.
#[test]
fn a_long_output_name_is_written() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for len in [245, 255] {
        let name = format!("{}.json", "r".repeat(len - 5));
        let path = dir.path().join(&name);
        tamga::fsutil::write_atomic(&path, b"new").expect("a 255-byte name is legal");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        assert_eq!(leftovers(dir.path(), &[]), vec![name.clone()]);
        std::fs::remove_file(&path).expect("rm");
    }
}

/// A dangling symbolic link as the output is written through, as documented: the link stays and
/// the file it names is created.
#[cfg(unix)]
#[test]
fn a_write_through_a_dangling_symbolic_link_creates_its_target() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("real")).expect("mkdir");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real/result.json", &link).expect("link");
    tamga::fsutil::write_atomic(&link, b"new").expect("written");
    assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(dir.path().join("real/result.json")).expect("read"), "new");
}

/// Issue #15, item 7: a name or note with control, bidirectional or invisible characters is read
/// without them (and warned), so two states never look the same while differing and nothing in a
/// name acts on the terminal.
#[test]
fn names_and_notes_are_read_without_hidden_characters() {
    let meth = questions();
    let mut sources = meth.sources.clone();
    let path = PathBuf::from("tests/cases/bad-input/json-name-hidden-characters.json");
    let loading = tamga::data::load_files(&meth.model, std::slice::from_ref(&path), &mut sources);
    let sub = &loading.dataset.submissions[0];
    assert_eq!(sub.name.get("en").map(String::as_str), Some("Armenia[2J"));
    assert_eq!(sub.name.get("ru").map(String::as_str), Some("яинемрА"));
    assert_eq!(sub.note.as_deref(), Some("Illustrative\ndata"));
    let warned = loading.diags.iter().filter(|(_, d)| d.message.contains("invisible or control characters")).count();
    assert_eq!(warned, 3);
}
