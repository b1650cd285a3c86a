//! Questionnaires: `tamga template` writes them, a state fills them, `tamga eval` and `tamga
//! validate` read them back.
//!
//! The round trip: for each form (xlsx in both languages, csv, json), the blank questionnaire of
//! rules/demo is generated, filled programmatically with the answers of examples/demo, loaded and
//! evaluated; the result must be the one of the JSON submissions themselves (file names and hashes
//! aside). The Excel form is also read back with calamine and its XML inspected for the sheets,
//! the protection and the data validations; its bytes must be deterministic. Diagnostics of bad
//! workbooks and CSV files are snapshots; the CLI's exit codes are checked.

use calamine::{Data, Reader, Xlsx};
use serde_json::{Map, Value};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use tamga::check::{check, Methodology};
use tamga::data::{self, Answer, Dataset};
use tamga::diagnostics::{has_errors, render, Diag, Style};
use tamga::model::Reason;
use tamga::report::{json, Lang};
use tamga::source::SourceMap;
use tamga::template::{self, sheet, Format};
#[path = "support/skip.rs"]
mod skip;

// ───────────────────────────── helpers ─────────────────────────────

fn demo() -> Methodology {
    match check(Path::new("rules/demo")).methodology() {
        Ok((m, _)) => m,
        Err((sources, diags)) => panic!("rules/demo does not check:\n{}", render(&diags, &sources, style())),
    }
}

fn style() -> Style {
    Style { color: false, width: 100 }
}

/// One sample submission of examples/demo, as written.
struct Sample {
    unit: String,
    period: String,
    name: Map<String, Value>,
    answers: Map<String, Value>,
}

fn samples() -> Vec<Sample> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("examples/demo")
        .expect("examples/demo")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 10);
    files
        .iter()
        .map(|f| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(f).expect("a sample")).expect("JSON");
            Sample {
                unit: v["unit"].as_str().expect("unit").to_string(),
                period: v["period"].as_str().expect("period").to_string(),
                name: v["name"].as_object().cloned().unwrap_or_default(),
                answers: v["answers"].as_object().cloned().expect("answers"),
            }
        })
        .collect()
}

/// A fresh temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamga-questionnaire-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Loads files or folders; panics on an error. Returns the warnings' codes too (examples/demo
/// leaves one required question unanswered).
fn load_clean(meth: &Methodology, paths: &[PathBuf]) -> (Dataset, SourceMap, Vec<&'static str>) {
    let mut sources = meth.sources.clone();
    let (data, diags) = data::load(&meth.model, paths, &mut sources);
    assert!(!has_errors(&diags), "{}", render(&diags, &sources, style()));
    let warnings = diags.iter().map(|d| d.code.as_str()).collect();
    (data, sources, warnings)
}

/// The evaluated result as JSON, without what names the input files (paths, hashes, names) and
/// the data's notes (a questionnaire has no `note`, the JSON samples have one).
fn result(meth: &Methodology, data: &Dataset, sources: &SourceMap) -> Value {
    let outcome = tamga::eval::evaluate(&meth.model, data);
    let doc = json::build(meth, sources, data, &outcome);
    let mut v: Value = serde_json::from_str(&json::to_string(&doc)).expect("the result is JSON");
    v["status"].as_object_mut().expect("status").remove("data");
    for input in v["inputs"].as_array_mut().expect("inputs") {
        let o = input.as_object_mut().expect("an input");
        o.remove("file");
        o.remove("sha256");
    }
    for period in v["periods"].as_array_mut().expect("periods") {
        for r in period["results"].as_array_mut().expect("results") {
            let o = r.as_object_mut().expect("a result");
            o.remove("file");
            o.remove("name");
        }
    }
    v
}

/// Each submission's unit, period and answers; an answer declared `not_submitted` is the same as
/// none (as the JSON questionnaire declares every answer until it is filled).
fn answers(data: &Dataset) -> Vec<(String, String, Vec<Option<Answer>>)> {
    let none = |a: Option<Answer>| if a == Some(Answer::Missing(Reason::NotSubmitted)) { None } else { a };
    data.submissions.iter().map(|s| (s.unit.clone(), s.period.clone(), s.answers.iter().map(none).collect())).collect()
}

/// The reference: the JSON samples themselves.
fn reference(meth: &Methodology) -> (Dataset, Value, Vec<&'static str>) {
    let (data, sources, warnings) = load_clean(meth, &[PathBuf::from("examples/demo")]);
    let v = result(meth, &data, &sources);
    (data, v, warnings)
}

/// Asserts that these files give the reference dataset, warnings (unless `all_declared`: every
/// answer is declared, so no required question goes unanswered) and result.
fn assert_same_as_reference(meth: &Methodology, paths: &[PathBuf], all_declared: bool) {
    let (ref_data, ref_result, ref_warnings) = reference(meth);
    let (data, sources, warnings) = load_clean(meth, paths);
    assert_eq!(answers(&data), answers(&ref_data));
    if all_declared {
        assert!(warnings.is_empty(), "{warnings:?}");
    } else {
        assert_eq!(warnings, ref_warnings);
    }
    assert_eq!(result(meth, &data, &sources), ref_result);
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ───────────────────────────── filling an Excel questionnaire ─────────────────────────────

/// How a simulated user types yes/no answers.
#[derive(Clone, Copy)]
enum YesNo {
    /// Picks the word of the cell's list.
    Words(&'static str, &'static str),
    /// Types TRUE/FALSE (a boolean cell).
    Booleans,
}

/// A cell's text, or empty.
fn cell_text(range: &calamine::Range<Data>, row: u32, col: u16) -> String {
    match range.get_value((row, u32::from(col))) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A copy of the template workbook, with every cell value kept and the sample's answers entered
/// as a user would: numbers as numbers, the period typed as a number, yes/no as `yes_no`, options
/// by id, reasons in column F and comments in column G. `extra` rows are appended to the first
/// sheet of questions: (id, answer, reason).
fn fill_xlsx(template: &[u8], sample: &Sample, yes_no: YesNo, extra: &[(&str, Value, &str)]) -> Vec<u8> {
    let mut book = Xlsx::new(Cursor::new(template.to_vec())).expect("the template opens");
    let mut out = rust_xlsxwriter::Workbook::new();
    let names = book.sheet_names();
    for (k, name) in names.iter().enumerate() {
        let range = book.worksheet_range(name).expect("a sheet");
        let ws = out.add_worksheet();
        ws.set_name(name).expect("a sheet name");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (row, col) = (r0 + r as u32, (c0 + c as u32) as u16);
            match v {
                Data::String(s) => ws.write_string(row, col, s).map(|_| ()),
                Data::Float(x) => ws.write_number(row, col, *x).map(|_| ()),
                Data::Int(n) => ws.write_number(row, col, *n as f64).map(|_| ()),
                Data::Bool(b) => ws.write_boolean(row, col, *b).map(|_| ()),
                _ => Ok(()),
            }
            .expect("a cell");
        }
        let rows = range.end().map(|(r, _)| r + 1).unwrap_or(0);
        let mut lang = String::new();
        for row in 0..rows {
            let key = cell_text(&range, row, sheet::ID);
            match key.as_str() {
                sheet::KEY_UNIT => {
                    ws.write_string(row, sheet::VALUE, &sample.unit).expect("unit");
                }
                sheet::KEY_PERIOD => match sample.period.parse::<f64>() {
                    Ok(x) => ws.write_number(row, sheet::VALUE, x).map(|_| ()),
                    Err(_) => ws.write_string(row, sheet::VALUE, &sample.period).map(|_| ()),
                }
                .expect("period"),
                sheet::KEY_LANGUAGE => lang = cell_text(&range, row, sheet::VALUE),
                sheet::KEY_NAME => {
                    if let Some(n) = sample.name.get(&lang) {
                        ws.write_string(row, sheet::VALUE, text(n)).expect("name");
                    }
                }
                id => {
                    if let Some(v) = sample.answers.get(id) {
                        write_answer(ws, row, v, yes_no);
                    }
                }
            }
        }
        if k == 1 {
            for (i, (id, answer, reason)) in extra.iter().enumerate() {
                let row = rows + i as u32;
                ws.write_string(row, sheet::ID, *id).expect("an id");
                write_answer(ws, row, answer, yes_no);
                if !reason.is_empty() {
                    ws.write_string(row, sheet::MISSING, *reason).expect("a reason");
                }
            }
        }
    }
    out.save_to_buffer().expect("the filled workbook")
}

fn write_answer(ws: &mut rust_xlsxwriter::Worksheet, row: u32, v: &Value, yes_no: YesNo) {
    let r = match v {
        Value::Null => Ok(()),
        Value::Bool(b) => match yes_no {
            YesNo::Words(yes, no) => ws.write_string(row, sheet::ANSWER, if *b { yes } else { no }).map(|_| ()),
            YesNo::Booleans => ws.write_boolean(row, sheet::ANSWER, *b).map(|_| ()),
        },
        Value::Number(n) => ws.write_number(row, sheet::ANSWER, n.as_f64().expect("a number")).map(|_| ()),
        Value::String(s) => ws.write_string(row, sheet::ANSWER, s).map(|_| ()),
        Value::Object(o) => {
            let reason = o.get("missing").map(text).unwrap_or_default();
            let comment = o.get("comment").map(text).unwrap_or_default();
            ws.write_string(row, sheet::MISSING, reason)
                .and_then(|ws| if comment.is_empty() { Ok(ws) } else { ws.write_string(row, sheet::COMMENT, comment) })
                .map(|_| ())
        }
        Value::Array(_) => panic!("no lists in the samples"),
    };
    r.expect("an answer");
}

fn xlsx_template(meth: &Methodology, lang: Lang) -> Vec<u8> {
    template::render(&meth.model, Format::Xlsx, lang).expect("the xlsx template")
}

// ───────────────────────────── round trips ─────────────────────────────

#[test]
fn xlsx_round_trip_gives_the_json_result() {
    let meth = demo();
    for (lang, yes_no, tag) in [
        (Lang::En, YesNo::Words("yes", "no"), "en"),
        (Lang::Ru, YesNo::Words("да", "нет"), "ru"),
        (Lang::En, YesNo::Booleans, "bool"),
    ] {
        let template = xlsx_template(&meth, lang);
        let dir = temp_dir(&format!("xlsx-{tag}"));
        for s in samples() {
            let bytes = fill_xlsx(&template, &s, yes_no, &[]);
            std::fs::write(dir.join(format!("{}-{}.xlsx", s.unit.to_lowercase(), s.period)), bytes).expect("write");
        }
        // A spreadsheet program's lock file is skipped.
        std::fs::write(dir.join("~$am-2022.xlsx"), b"lock").expect("write");
        assert_same_as_reference(&meth, std::slice::from_ref(&dir), false);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn csv_round_trip_gives_the_json_result() {
    let meth = demo();
    for (lang, yes, no) in [(Lang::En, "yes", "no"), (Lang::Ru, "да", "нет")] {
        let template = template::render(&meth.model, Format::Csv, lang).expect("the csv template");
        let blank = String::from_utf8(template).expect("UTF-8");
        assert!(blank.starts_with('\u{FEFF}'), "a byte-order mark for Excel");
        let mut reader = csv::Reader::from_reader(blank.trim_start_matches('\u{FEFF}').as_bytes());
        let header = reader.headers().expect("a header").clone();
        assert_eq!(
            header.iter().collect::<Vec<_>>(),
            ["unit", "period", "question", "answer", "missing", "comment", "label", "allowed"]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
        assert_eq!(rows.len(), meth.model.questions.len());
        // All samples in one file: several units and periods.
        let mut out = csv::Writer::from_writer(vec![]);
        out.write_record(&header).expect("header");
        for s in samples() {
            for row in &rows {
                let id = &row[2];
                let (mut answer, mut missing, mut comment) = (String::new(), String::new(), String::new());
                match s.answers.get(id) {
                    Some(Value::Bool(b)) => answer = (if *b { yes } else { no }).to_string(),
                    Some(Value::Object(o)) => {
                        missing = o.get("missing").map(text).unwrap_or_default();
                        comment = o.get("comment").map(text).unwrap_or_default();
                    }
                    Some(v) => answer = text(v),
                    None => {}
                }
                out.write_record([&s.unit, &s.period, id, &answer, &missing, &comment, &row[6], &row[7]])
                    .expect("a row");
            }
        }
        let dir = temp_dir(&format!("csv-{}", lang.code()));
        let file = dir.join("all.csv");
        std::fs::write(&file, out.into_inner().expect("CSV bytes")).expect("write");
        assert_same_as_reference(&meth, &[file], false);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn json_round_trip_gives_the_json_result() {
    let meth = demo();
    let template = template::render(&meth.model, Format::Json, Lang::En).expect("the json template");
    let blank: Value = serde_json::from_slice(&template).expect("JSON");
    assert_eq!(blank["answers"].as_object().map(Map::len), Some(meth.model.questions.len()));
    let dir = temp_dir("json");
    for s in samples() {
        let mut v = blank.clone();
        v["unit"] = Value::String(s.unit.clone());
        v["period"] = Value::String(s.period.clone());
        for (id, a) in &s.answers {
            v["answers"][id] = a.clone();
        }
        let name = format!("{}-{}.json", s.unit.to_lowercase(), s.period);
        std::fs::write(dir.join(name), serde_json::to_string_pretty(&v).expect("JSON")).expect("write");
    }
    assert_same_as_reference(&meth, std::slice::from_ref(&dir), true);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_blank_json_template_reads_as_nothing_submitted() {
    let meth = demo();
    let template = template::render(&meth.model, Format::Json, Lang::Ru).expect("the json template");
    let text = String::from_utf8(template)
        .expect("UTF-8")
        .replace("\"unit\": \"\"", "\"unit\": \"AM\"")
        .replace("\"period\": \"\"", "\"period\": \"2023\"");
    let mut sources = SourceMap::new();
    let (sub, diags) = data::load_text(&meth.model, "am.json", &text, &mut sources);
    assert!(diags.is_empty(), "{}", render(&diags, &sources, style()));
    let sub = sub.expect("a submission");
    assert!(sub.answers.iter().all(|a| a == Some(Answer::Missing(Reason::NotSubmitted))));
}

#[test]
fn folders_mix_every_format() {
    // JSON, TOML, CSV and Excel submissions evaluated together, as `tamga eval` does with a folder.
    let meth = demo();
    let dir = temp_dir("mixed");
    let template = xlsx_template(&meth, Lang::Ru);
    let samples = samples();
    for (i, s) in samples.iter().enumerate() {
        let stem = format!("{}-{}", s.unit.to_lowercase(), s.period);
        match i % 3 {
            0 => std::fs::write(
                dir.join(format!("{stem}.xlsx")),
                fill_xlsx(&template, s, YesNo::Words("ДА", "Нет"), &[]),
            ),
            1 => std::fs::copy(format!("examples/demo/{stem}.json"), dir.join(format!("{stem}.json"))).map(|_| ()),
            _ => {
                let mut out = String::from("unit,period,question,answer,missing,comment\n");
                for (id, v) in &s.answers {
                    let (a, m) = match v {
                        Value::Object(o) => (String::new(), o.get("missing").map(text).unwrap_or_default()),
                        Value::Bool(b) => ((if *b { "Yes" } else { "No" }).to_string(), String::new()),
                        v => (text(v), String::new()),
                    };
                    out.push_str(&format!("{},{},{id},{a},{m},\n", s.unit, s.period));
                }
                std::fs::write(dir.join(format!("{stem}.csv")), out)
            }
        }
        .expect("write");
    }
    assert_same_as_reference(&meth, std::slice::from_ref(&dir), false);
    let _ = std::fs::remove_dir_all(&dir);
}

// ───────────────────────────── the Excel form itself ─────────────────────────────

/// The text of a file inside the workbook's zip.
fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the workbook"));
    let mut s = String::new();
    file.read_to_string(&mut s).expect("UTF-8 XML");
    s
}

#[test]
fn xlsx_template_has_sheets_protection_and_validations() {
    let meth = demo();
    let bytes = xlsx_template(&meth, Lang::En);
    let mut book = Xlsx::new(Cursor::new(bytes.clone())).expect("calamine opens the template");
    assert_eq!(
        book.sheet_names(),
        ["Submission", "Favourable conditions", "Trade facilitation", "Automation of customs"]
    );
    // The first sheet: keys in column A, the methodology filled, unit and period empty.
    let first = book.worksheet_range("Submission").expect("the first sheet");
    let keys: Vec<(String, String)> = (0..20)
        .map(|r| (cell_text(&first, r, sheet::KEY), cell_text(&first, r, sheet::VALUE)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let keys: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        keys,
        [
            ("methodology", "eaeu_demo"),
            ("version", "0.1.0"),
            ("language", "en"),
            ("unit", ""),
            ("period", ""),
            ("name", "")
        ]
    );
    // Every question appears once, under an `id` header, in declaration order within a sheet.
    let mut seen = vec![];
    for name in &book.sheet_names()[1..] {
        let range = book.worksheet_range(name).expect("a sheet");
        assert_eq!(cell_text(&range, 1, sheet::ID), "id");
        assert_eq!(cell_text(&range, 1, sheet::ANSWER), "Answer");
        for r in 2..range.end().expect("rows").0 + 1 {
            let id = cell_text(&range, r, sheet::ID);
            if !id.is_empty() {
                seen.push(id);
            }
        }
    }
    let mut all: Vec<&str> = meth.model.questions.keys().map(String::as_str).collect();
    let mut got: Vec<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(got.len(), all.len());
    got.sort();
    all.sort();
    assert_eq!(got, all);

    // Protection on every sheet; answer, reason and comment cells unlocked.
    for n in 1..=4 {
        let xml = zip_text(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(xml.contains("<sheetProtection"), "sheet {n} is protected");
        assert!(!xml.contains("password"), "without a password");
    }
    assert!(zip_text(&bytes, "xl/styles.xml").contains("<protection locked=\"0\"/>"), "unlocked cells");
    // Data validations: yes/no and choice lists, whole and decimal numbers in range, reasons.
    let business = zip_text(&bytes, "xl/worksheets/sheet2.xml");
    assert!(business.contains("<formula1>\"yes,no\"</formula1>"), "{business}");
    assert!(business.contains(
        "<formula1>\"Advisory council,Customs-to-business working group,Conference platform,Other\"</formula1>"
    ));
    assert!(business.contains("<formula1>\"not applicable,confidential,not submitted\"</formula1>"));
    let trade = zip_text(&bytes, "xl/worksheets/sheet3.xml");
    assert!(trade.contains("type=\"decimal\""), "hours are decimal numbers");
    assert!(trade.contains("<formula1>0</formula1><formula2>8760</formula2>"), "hours in 0..=8760");
    assert!(trade.contains("type=\"whole\""), "counts are whole numbers");
    assert!(trade.contains("operator=\"greaterThanOrEqual\""), "counts ≥ 0 or ≥ 1");
    assert!(trade.contains("<formula1>1</formula1>"), "declarations ≥ 1");
    // Russian labels and lists.
    let ru = xlsx_template(&meth, Lang::Ru);
    let book = Xlsx::new(Cursor::new(ru.clone())).expect("the Russian template");
    assert_eq!(book.sheet_names()[0], "Анкета");
    assert_eq!(book.sheet_names()[2], "Упрощение процедур торговли");
    let ru_business = zip_text(&ru, "xl/worksheets/sheet2.xml");
    assert!(ru_business.contains("<formula1>\"да,нет\"</formula1>"));
    // the options and the reasons in Russian words (issue #14, item 10)
    assert!(ru_business.contains(
        "<formula1>\"Консультативный совет,Рабочая группа «таможня — бизнес»,Конференц-площадка,Иное\"</formula1>"
    ));
    assert!(ru_business.contains("<formula1>\"неприменимо,конфиденциально,не представлено\"</formula1>"));
}

#[test]
fn every_template_is_deterministic() {
    let meth = demo();
    for format in [Format::Xlsx, Format::Csv, Format::Json, Format::Md] {
        for lang in [Lang::En, Lang::Ru] {
            let a = template::render(&meth.model, format, lang).expect("a template");
            let b = template::render(&meth.model, format, lang).expect("a template");
            assert!(a == b, "{format:?} {lang:?} differs between two runs");
        }
    }
    let bytes = xlsx_template(&meth, Lang::En);
    assert!(zip_text(&bytes, "docProps/core.xml").contains("2024-01-01T00:00:00Z"), "a fixed creation date");
}

#[test]
fn markdown_template() {
    let meth = demo();
    let en = String::from_utf8(template::render(&meth.model, Format::Md, Lang::En).expect("md")).expect("UTF-8");
    insta::assert_snapshot!("markdown_en", en);
    let ru = String::from_utf8(template::render(&meth.model, Format::Md, Lang::Ru).expect("md")).expect("UTF-8");
    assert!(ru.contains("## 2. Упрощение процедур торговли"), "{ru}");
    assert!(ru.contains("| `q02_advisory_body` |"));
    assert!(ru.contains("да / нет"));
}

#[test]
fn questions_go_to_the_first_area_that_uses_them() {
    let meth = demo();
    let sections = template::sections(&meth.model, Lang::En);
    let got: Vec<(Option<&str>, Vec<&str>)> =
        sections.iter().map(|s| (s.area, s.questions.iter().map(|q| q.id.as_str()).collect())).collect();
    assert_eq!(
        got,
        [
            (Some("business"), vec!["q02_advisory_body", "q02_format"]),
            (
                Some("facilitation"),
                vec!["q05_import_release_hours", "q09_inspected", "q09_declarations", "q11_aeo_registry"]
            ),
            (
                Some("automation"),
                vec!["auto_01_personal_cabinet", "auto_03_registration", "auto_05_release", "auto_08_remote_release"]
            ),
        ]
    );
    // A question no area uses goes to the last sheet.
    let text = "methodology m { en \"M\" version \"1\" }\n\
        question q1 : count { en \"Q1\" }\nquestion q2 : yesno { en \"Q2\" }\n\
        area a { en \"A very long area title that does not fit\" indicator i = q1 { en \"I\" score minmax } }\n\
        indicator j = q2 { en \"J\" }\n";
    let checked = tamga::check::check_text("m.tamga", text);
    let model = checked.model.expect("the methodology checks");
    let sections = template::sections(&model, Lang::En);
    let got: Vec<(&str, Vec<&str>)> =
        sections.iter().map(|s| (s.sheet.as_str(), s.questions.iter().map(|q| q.id.as_str()).collect())).collect();
    assert_eq!(got, [("A very long area title that", vec!["q1"]), ("Other questions", vec!["q2"])]);
}

// ───────────────────────────── diagnostics ─────────────────────────────

/// Loads bytes under a name; returns the rendered diagnostics and the diagnostics.
fn diagnose(meth: &Methodology, name: &str, bytes: &[u8]) -> (String, Vec<Diag>, usize) {
    let mut sources = meth.sources.clone();
    let (subs, diags) = data::load_bytes(&meth.model, name, bytes, &mut sources);
    (render(&diags, &sources, style()), diags, subs.len())
}

#[test]
fn xlsx_errors_name_the_sheet_and_cell() {
    let meth = demo();
    let mut s = samples().into_iter().find(|s| s.unit == "AM" && s.period == "2023").expect("AM 2023");
    s.answers.insert("q05_import_release_hours".into(), Value::String("12,5".into()));
    s.answers.insert("q09_declarations".into(), Value::from(0));
    s.answers.insert("q09_inspected".into(), Value::from(12.5));
    s.answers.insert("q02_advisory_body".into(), Value::String("maybe".into()));
    s.answers.insert("q02_format".into(), serde_json::json!({ "missing": "confidental" }));
    s.answers.insert("auto_05_release".into(), Value::from(1));
    let extra = [("q99_unknown", Value::from(3), ""), ("q11_aeo_registr", Value::from(3), "confidential")];
    let bytes = fill_xlsx(&xlsx_template(&meth, Lang::Ru), &s, YesNo::Words("да", "нет"), &extra);
    let (text, diags, subs) = diagnose(&meth, "am-2023.xlsx", &bytes);
    assert_eq!(subs, 1, "the submission is still read");
    assert!(diags.iter().all(|d| d.primary.is_none()), "a workbook has no text to point into");
    insta::assert_snapshot!("xlsx_errors", text);
}

#[test]
fn xlsx_without_unit_and_period_and_not_a_workbook() {
    let meth = demo();
    let blank = xlsx_template(&meth, Lang::En);
    let (text, _, subs) = diagnose(&meth, "blank.xlsx", &blank);
    assert_eq!(subs, 0);
    insta::assert_snapshot!("xlsx_blank", text);
    let (text, _, subs) = diagnose(&meth, "fake.xlsx", b"unit,period\n");
    assert_eq!(subs, 0);
    assert!(text.contains("`fake.xlsx` is not an Excel workbook (.xlsx)"), "{text}");
}

#[test]
fn csv_errors_point_at_the_line() {
    let meth = demo();
    let csv = "unit,period,question,answer,missing,comment\n\
        AM,2023,q05_import_release_hours,\"12,5\",,\n\
        AM,2023,q09_declarations,0,,\n\
        AM,2023,q02_advisory_body,maybe,,\n\
        AM,2023,q99_unknown,3,,\n\
        AM,2023,q09_inspected,12,confidential,\n\
        AM,2023,q11_aeo_registry,,confidental,\n\
        AM,2023,q11_aeo_registry,4,,\n\
        A M,2023,auto_05_release,yes,,\n\
        ,,auto_08_remote_release,,,\n";
    let (text, diags, subs) = diagnose(&meth, "am.csv", csv.as_bytes());
    assert_eq!(subs, 1);
    assert!(diags.iter().all(|d| d.primary.is_some()), "CSV is text: every diagnostic points at a line");
    insta::assert_snapshot!("csv_errors", text);
}

#[test]
fn csv_with_a_missing_column_or_another_delimiter() {
    let meth = demo();
    let (text, _, subs) =
        diagnose(&meth, "no-answer.csv", b"unit,period,question,missing\nAM,2023,q05_import_release_hours,\n");
    assert_eq!(subs, 0);
    insta::assert_snapshot!("csv_missing_column", text);
    // `;` is detected (tests/spreadsheets.rs); tabs are not
    let (text, _, subs) = diagnose(
        &meth,
        "tabs.csv",
        "unit\tperiod\tquestion\tanswer\nAM\t2023\tq05_import_release_hours\t12.5\n".as_bytes(),
    );
    assert_eq!(subs, 0);
    insta::assert_snapshot!("csv_tabs", text);
    let (text, _, subs) = diagnose(&meth, "header-only.csv", b"unit,period,question,answer\n");
    assert_eq!(subs, 0);
    assert!(text.contains("the CSV file holds no answers"), "{text}");
    let (text, _, _) =
        diagnose(&meth, "typo.csv", b"unit,period,question,answr,missing\nAM,2023,q05_import_release_hours,1,\n");
    assert!(text.contains("unknown column `answr`") && text.contains("did you mean `answer`?"), "{text}");
}

// ───────────────────────────── a real spreadsheet program ─────────────────────────────

/// Whether LibreOffice can be run here.
fn soffice() -> bool {
    Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn libreoffice_keeps_the_validations_and_its_saved_file_reads_back() {
    if !soffice() {
        skip::skip(
            "libreoffice_keeps_the_validations_and_its_saved_file_reads_back",
            "no soffice on PATH (apt-get install libreoffice-calc-nogui)",
        );
        return;
    }
    let meth = demo();
    let dir = temp_dir("libreoffice");
    let s = samples().into_iter().find(|s| s.unit == "KZ" && s.period == "2023").expect("KZ 2023");
    let filled = fill_xlsx(&xlsx_template(&meth, Lang::Ru), &s, YesNo::Words("да", "нет"), &[]);
    std::fs::write(dir.join("kz.xlsx"), &filled).expect("write");
    let out = dir.join("out");
    let status = Command::new("soffice")
        .args(["--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(&out)
        .arg(dir.join("kz.xlsx"))
        .env("HOME", &dir)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let saved = std::fs::read(out.join("kz.xlsx")).expect("LibreOffice wrote the file");
    let mut sources = meth.sources.clone();
    let (subs, diags) = data::load_bytes(&meth.model, "kz.xlsx", &saved, &mut sources);
    assert!(diags.is_empty(), "{}", render(&diags, &sources, style()));
    let (ref_data, _, _) = reference(&meth);
    let want = ref_data.submissions.iter().find(|x| x.unit == "KZ" && x.period == "2023").expect("KZ 2023");
    assert_eq!(subs[0].answers, want.answers);
    // The template re-saved by LibreOffice keeps its lists and protection.
    std::fs::write(dir.join("blank.xlsx"), xlsx_template(&meth, Lang::En)).expect("write");
    let status = Command::new("soffice")
        .args(["--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(&out)
        .arg(dir.join("blank.xlsx"))
        .env("HOME", &dir)
        .output()
        .expect("soffice runs");
    assert!(status.status.success());
    let resaved = std::fs::read(out.join("blank.xlsx")).expect("LibreOffice wrote the file");
    let xml = zip_text(&resaved, "xl/worksheets/sheet2.xml");
    assert!(xml.contains("<sheetProtection"), "{xml}");
    assert!(xml.contains("&quot;yes,no&quot;") || xml.contains("\"yes,no\""), "{xml}");
    let _ = std::fs::remove_dir_all(&dir);
}

// ───────────────────────────── the command line ─────────────────────────────

fn tamga(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tamga")).args(args).env("NO_COLOR", "1").output().expect("tamga runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_template_writes_every_form() {
    let dir = temp_dir("cli-template");
    let xlsx = dir.join("q.xlsx");
    let (code, out, err) = tamga(&["template", "rules/demo", "--lang", "ru", "--out", xlsx.to_str().expect("a path")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("10 questions on 4 sheets"), "{out}");
    let bytes = std::fs::read(&xlsx).expect("the workbook");
    assert_eq!(bytes, xlsx_template(&demo(), Lang::Ru));
    let (code, out, _) = tamga(&["template", "rules/demo", "--format", "md"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# Customs regulation in the EAEU"), "{out}");
    let (code, out, _) = tamga(&["template", "rules/demo", "--format", "csv"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("\u{FEFF}unit,period,question,answer,missing,comment,label,allowed\n"), "{out}");
    let (code, out, _) = tamga(&["template", "rules/demo", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(serde_json::from_str::<Value>(&out).is_ok());
    // The form follows --out's extension.
    let md = dir.join("q.md");
    let (code, _, _) = tamga(&["template", "rules/demo", "-o", md.to_str().expect("a path")]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&md).expect("the document").starts_with("# "));
    // Usage errors: xlsx to the terminal, no form at all, an unknown extension.
    let (code, _, err) = tamga(&["template", "rules/demo", "--format", "xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("give --out questionnaire.xlsx"), "{err}");
    let (code, _, _) = tamga(&["template", "rules/demo"]);
    assert_eq!(code, 2);
    let (code, _, _) = tamga(&["template", "rules/demo", "--out", "q.pdf"]);
    assert_eq!(code, 2);
    // A methodology that does not exist.
    let (code, _, _) = tamga(&["template", "rules/nope", "--format", "md"]);
    assert_eq!(code, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_validate_reports_every_file() {
    let (code, out, err) = tamga(&["validate", "rules/demo", "examples/demo"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("examples/demo/am-2022.json: ok (AM 2022)\n"), "{out}");
    assert!(
        out.ends_with("10 files: 10 valid (1 of them incomplete: required answers missing), 0 with errors\n"),
        "{out}"
    );
    let dir = temp_dir("cli-validate");
    let meth = demo();
    let mut s = samples().into_iter().find(|s| s.unit == "BY" && s.period == "2023").expect("BY 2023");
    s.answers.insert("q09_declarations".into(), Value::from(-3));
    std::fs::write(dir.join("by.xlsx"), fill_xlsx(&xlsx_template(&meth, Lang::En), &s, YesNo::Booleans, &[]))
        .expect("write");
    std::fs::write(dir.join("am.csv"), "unit,period,question,answer\nAM,2023,q05_import_release_hours,20.5\n")
        .expect("write");
    let by = dir.join("by.xlsx");
    let am = dir.join("am.csv");
    let (code, out, err) =
        tamga(&["validate", "rules/demo", am.to_str().expect("a path"), by.to_str().expect("a path")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("sheet «Trade facilitation», cell E"), "{err}");
    assert!(err.contains("`q09_declarations` cannot be negative, found -3"), "{err}");
    assert!(out.contains("am.csv: incomplete, 8 warnings (AM 2023: 8 required answers missing)"), "{out}");
    assert!(out.contains("by.xlsx: 1 error, 0 warnings"), "{out}");
    assert!(
        out.ends_with("2 files: 1 valid (1 of them incomplete: required answers missing), 1 with errors\n"),
        "{out}"
    );
    // JSON: per file, with the diagnostics.
    let (code, out, _) = tamga(&["validate", "rules/demo", by.to_str().expect("a path"), "--format", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["files"][0]["status"], "errors");
    assert_eq!(v["files"][0]["submissions"][0]["unit"], "BY");
    assert_eq!(v["files"][0]["diagnostics"][0]["code"], "tamga::data::range");
    // A file that cannot be read: exit 2.
    let (code, out, _) = tamga(&["validate", "rules/demo", "examples/demo/am-2022.json", "nope.xlsx"]);
    assert_eq!(code, 2);
    assert!(out.contains("nope.xlsx: cannot be read"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_eval_reads_xlsx_and_csv() {
    let meth = demo();
    let dir = temp_dir("cli-eval");
    for s in samples().iter().filter(|s| s.period == "2023") {
        let bytes = fill_xlsx(&xlsx_template(&meth, Lang::En), s, YesNo::Words("yes", "no"), &[]);
        std::fs::write(dir.join(format!("{}.xlsx", s.unit.to_lowercase())), bytes).expect("write");
    }
    let (code, out, err) = tamga(&["eval", "rules/demo", dir.to_str().expect("a path")]);
    assert_eq!(code, 0, "{err}");
    let (_, want, _) = tamga(&[
        "eval",
        "rules/demo",
        "examples/demo/am-2023.json",
        "examples/demo/by-2023.json",
        "examples/demo/kg-2023.json",
        "examples/demo/kz-2023.json",
        "examples/demo/ru-2023.json",
    ]);
    // the same table; the status line says the samples carry a note and the workbooks do not
    let table = |s: &str| s.split_once("\n\n").map(|(_, t)| t.to_string()).unwrap_or_default();
    assert!(out.contains("data: no note (5 submissions)"), "{out}");
    assert!(
        want.contains("data: “ILLUSTRATIVE DATA for the demonstration methodology” (5 of 5 submissions)"),
        "{want}"
    );
    assert_eq!(table(&out), table(&want));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn long_choice_lists_go_to_a_hidden_sheet() {
    // Excel takes at most 255 characters in an inline list: longer lists live on a hidden sheet.
    let options: Vec<String> = (1..=12).map(|i| format!("a_rather_long_option_id_{i:02}")).collect();
    let text = format!(
        "methodology m {{ en \"M\" version \"1\" }}\n\
         question q1 : choice({}) {{ en \"Q1\" }}\n\
         area a {{ en \"A\" indicator i = match(q1) {{ \"{}\" => 1, else => 0 }} {{ en \"I\" score value }} }}\n",
        options.join(", "),
        options[0]
    );
    let checked = tamga::check::check_text("m.tamga", &text);
    let model = match checked.model {
        Some(m) => m,
        None => panic!("{}", render(&checked.diags, &checked.sources, style())),
    };
    let bytes = template::render(&model, Format::Xlsx, Lang::En).expect("the template");
    let book = Xlsx::new(Cursor::new(bytes.clone())).expect("calamine opens it");
    assert_eq!(book.sheet_names(), ["Submission", "A", "_lists"]);
    assert!(zip_text(&bytes, "xl/workbook.xml").contains("state=\"hidden\""), "the lists sheet is hidden");
    assert!(zip_text(&bytes, "xl/worksheets/sheet2.xml").contains("<formula1>'_lists'!$A$1:$A$12</formula1>"));
    let sample = Sample {
        unit: "AM".into(),
        period: "2023".into(),
        name: Map::new(),
        answers: [("q1".to_string(), Value::String(options[6].clone()))].into_iter().collect(),
    };
    let filled = fill_xlsx(&bytes, &sample, YesNo::Booleans, &[]);
    let mut sources = SourceMap::new();
    let (subs, diags) = data::load_bytes(&model, "am.xlsx", &filled, &mut sources);
    assert!(diags.is_empty(), "{}", render(&diags, &sources, style()));
    assert_eq!(subs[0].answers.iter().collect::<Vec<_>>(), [Some(Answer::Number(6.0))]);
}

#[test]
fn csv_as_excel_writes_it() {
    // A byte-order mark, CRLF line ends, quoted values with commas and quotes, columns in another
    // order, spaces around values, upper-case yes/no, an unfilled template row.
    let meth = demo();
    let csv = "\u{FEFF}Question,Unit,Period,Answer,Missing,Comment,Label\r\n\
        q02_advisory_body, AM ,2023,YES,,\"a council, since 2019\",\"Do the customs authorities…\"\r\n\
        q02_format,AM,2023,council,,,\r\n\
        q05_import_release_hours,AM,2023, 20.5 ,,\"said \"\"about 20\"\"\",\r\n\
        q09_inspected,AM,2023,,confidential,,\r\n\
        q09_declarations,,,,,,\r\n";
    let mut sources = SourceMap::new();
    let (sub, diags) = data::load_text(&meth.model, "am.csv", csv, &mut sources);
    let errors: Vec<Diag> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    assert!(errors.is_empty(), "{}", render(&errors, &sources, style()));
    let sub = sub.expect("a submission");
    assert_eq!((sub.unit.as_str(), sub.period.as_str()), ("AM", "2023"));
    let answer = |id: &str| sub.answers.get(meth.model.questions.get_index_of(id).expect("a question"));
    assert_eq!(answer("q02_advisory_body"), Some(Answer::Number(1.0)));
    assert_eq!(answer("q02_format"), Some(Answer::Number(0.0)));
    assert_eq!(answer("q05_import_release_hours"), Some(Answer::Number(20.5)));
    assert_eq!(answer("q09_inspected"), Some(Answer::Missing(Reason::Confidential)));
    assert_eq!(answer("q09_declarations"), None);
    // Spans point at the value as written, quotes included, past the byte-order mark.
    let bad = csv.replace(" 20.5 ", "\"20,5\"");
    let mut sources = SourceMap::new();
    let (_, diags) = data::load_text(&meth.model, "am.csv", &bad, &mut sources);
    let d = diags.iter().find(|d| d.is_error()).expect("an error");
    let span = d.primary.as_ref().expect("a place").span;
    assert_eq!(sources.slice(span), "\"20,5\"");
    assert_eq!(sources.line_col(span), (4, 34));
}

#[test]
fn a_russian_questionnaire_answered_with_the_lists_words_reads_as_the_codes() {
    // issue #14, item 10: the lists offer labels and reasons in the questionnaire's language;
    // reading takes them (in either language, in any case) as well as the codes
    let meth = demo();
    let base = samples().into_iter().find(|s| s.unit == "AM" && s.period == "2023").expect("AM 2023");
    let read = |answers: &[(&str, Value)]| {
        let mut s = Sample {
            unit: base.unit.clone(),
            period: base.period.clone(),
            name: base.name.clone(),
            answers: base.answers.clone(),
        };
        for (k, v) in answers {
            s.answers.insert((*k).into(), v.clone());
        }
        let bytes = fill_xlsx(&xlsx_template(&meth, Lang::Ru), &s, YesNo::Words("да", "нет"), &[]);
        let (shown, diags, n) = diagnose(&meth, "am.xlsx", &bytes);
        assert!(diags.is_empty() && n == 1, "{shown}");
        let mut sources = meth.sources.clone();
        let (subs, _) = data::load_bytes(&meth.model, "am.xlsx", &bytes, &mut sources);
        subs.into_iter().next().expect("a submission")
    };
    let by_code = read(&[
        ("q02_format", Value::String("working_group".into())),
        ("q05_import_release_hours", serde_json::json!({ "missing": "confidential" })),
    ]);
    for (label, reason) in [
        ("Рабочая группа «таможня — бизнес»", "конфиденциально"),
        ("customs-to-business working group", "Confidential"),
    ] {
        let by_words = read(&[
            ("q02_format", Value::String(label.into())),
            ("q05_import_release_hours", serde_json::json!({ "missing": reason })),
        ]);
        assert_eq!(by_words.answers, by_code.answers, "{label} / {reason}");
    }
    let na = read(&[("q05_import_release_hours", serde_json::json!({ "missing": "неприменимо" }))]);
    let q = meth.model.questions.get_index_of("q05_import_release_hours").expect("q05");
    assert_eq!(na.answers.get(q), Some(data::Answer::Missing(tamga::model::Reason::NotApplicable)));
}
