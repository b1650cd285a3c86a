//! Every output says what it is (issue #13, item 12): the methodology's status (draft, or
//! approved by which decision), its version and fingerprint, and the notes the submissions carry
//! on their data, in the terminal table, the HTML and Markdown reports, every CSV row and the
//! JSON result; and the rationale (`note`) and `source` of indicators and standards in the
//! report.

use std::path::{Path, PathBuf};
use tamga::diagnostics::{render, Style};
use tamga::report::{self, json, Format, Lang};

const STYLE: Style = Style { color: false, width: 100 };

/// The result of a methodology on submissions, which must check.
fn evaluate(meth_path: &Path, files: &[PathBuf]) -> (tamga::check::Methodology, json::ResultDoc) {
    let (meth, _) = match tamga::check::check(meth_path).methodology() {
        Ok(x) => x,
        Err((sources, diags)) => panic!("{}:\n{}", meth_path.display(), render(&diags, &sources, STYLE)),
    };
    let mut sources = meth.sources.clone();
    let (data, _) = tamga::data::load(&meth.model, files, &mut sources);
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    (meth, doc)
}

/// Every file of the report, as text.
fn files(meth: &tamga::check::Methodology, doc: &json::ResultDoc, lang: Lang) -> Vec<(&'static str, String)> {
    report::render(&meth.model, doc, lang, &Format::ALL)
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8(b).expect("UTF-8")))
        .collect()
}

fn file<'a>(files: &'a [(&'static str, String)], name: &str) -> &'a str {
    files.iter().find(|(n, _)| *n == name).map(|(_, t)| t.as_str()).expect(name)
}

fn run(args: &[&str]) -> i32 {
    tamga::cli::run(std::iter::once("tamga").chain(args.iter().copied()).map(Into::into))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

/// A copy of the demo methodology with a draft manifest, approved by "Decision No. 7" of
/// 1 June 2025 through `tamga approve`.
fn approved_demo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("demo");
    copy_dir(Path::new("rules/demo"), &dir);
    std::fs::write(dir.join("methodology.toml"), "id = \"eaeu_demo\"\nversion = \"0.1.0\"\nstatus = \"draft\"\n")
        .expect("manifest");
    let d = dir.to_str().expect("UTF-8");
    // the copy has no test cases (copy_dir copies the files only): approve says so explicitly
    assert_eq!(run(&["approve", d, "--decision", "Decision No. 7", "--date", "2025-06-01", "--without-tests"]), 0);
    (tmp, dir)
}

/// The status as JSON, the fingerprint redacted (it changes with any change of the rules).
fn status_json(doc: &json::ResultDoc) -> serde_json::Value {
    let mut v = serde_json::to_value(&doc.status).expect("JSON");
    if v.get("fingerprint").is_some() {
        v["fingerprint"] = "[fingerprint]".into();
    }
    v
}

/// CSV rows as maps column → value (the byte-order mark dropped).
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records().map(|rec| head.iter().cloned().zip(rec.expect("a row").iter().map(String::from)).collect()).collect()
}

#[test]
fn a_draft_is_marked_on_every_output() {
    let (meth, doc) = evaluate(Path::new("rules/eaeu"), &[PathBuf::from("examples/eaeu")]);
    assert_eq!(doc.status.methodology, "draft");
    let fp: String = meth.fingerprint.chars().take(12).collect();
    let line = doc.status.line("eaeu_customs", Lang::En);
    assert_eq!(
        line,
        format!("DRAFT · eaeu_customs 0.1.0 · fingerprint {fp} · data: “ILLUSTRATIVE DATA” (10 of 10 submissions)")
    );
    assert_eq!(
        doc.status.line("eaeu_customs", Lang::Ru),
        format!("ПРОЕКТ · eaeu_customs 0.1.0 · отпечаток {fp} · данные: «ILLUSTRATIVE DATA» (10 из 10 анкет)")
    );
    for lang in [Lang::En, Lang::Ru] {
        let mark = if lang == Lang::En { "DRAFT" } else { "ПРОЕКТ" };
        let f = files(&meth, &doc, lang);
        let html = file(&f, "report.html");
        // on screen, under the title; printed, at the top of every page and as a watermark
        assert!(html.contains(&format!("<span class=\"mark\">{mark}</span>")), "{lang:?}: the mark");
        assert!(html.contains(&format!("@top-center {{ content: \"{mark}\"")), "{lang:?}: the page header");
        assert!(html.contains(&format!("<div class=\"watermark\" aria-hidden=\"true\">{mark}</div>")));
        assert!(!html.contains("class=\"decision\""), "a draft has no decision");
        assert!(html.contains(&format!("<title>{mark} · ")), "{lang:?}: the window's and the print's title");
        assert!(html.contains("ILLUSTRATIVE DATA: invented figures to demonstrate the EAEU methodology"), "the note");
        let md = file(&f, "report.md");
        assert!(md.starts_with(&format!("**{mark}**\n\n# ")), "{lang:?}: {}", &md[..80]);
        assert!(md.contains(&format!("> {mark} · eaeu\\_customs 0.1.0 · ")), "{lang:?}");
    }
    // every CSV row says it is a draft and carries its submission's note
    let f = files(&meth, &doc, Lang::En);
    for name in ["matrix.csv", "standards.csv"] {
        let rows = csv_rows(file(&f, name));
        assert!(!rows.is_empty());
        for r in rows {
            assert_eq!(r["methodology_status"], "draft", "{name}");
            assert_eq!(r["approval_decision"], "", "{name}");
            assert!(r["data_note"].starts_with("ILLUSTRATIVE DATA: "), "{name}: {}", r["data_note"]);
        }
    }
    let result: serde_json::Value = serde_json::from_str(file(&f, "result.json")).expect("JSON");
    assert_eq!(result["status"]["methodology"], "draft");
    assert_eq!(result["status"]["data"]["with_note"], 10);
}

#[test]
fn json_status_of_a_draft() {
    let (_, doc) = evaluate(Path::new("rules/eaeu"), &[PathBuf::from("examples/eaeu")]);
    let mut v = status_json(&doc);
    // the note's text is the samples', not tamga's: shorten it for the snapshot
    let note = v["data"]["notes"][0]["note"].as_str().expect("a note").to_string();
    assert!(note.starts_with("ILLUSTRATIVE DATA: "));
    v["data"]["notes"][0]["note"] = "[the samples' note]".into();
    insta::assert_json_snapshot!("status_json_draft", v);
}

#[test]
fn an_approved_methodology_says_by_which_decision() {
    let (_tmp, dir) = approved_demo();
    let (meth, doc) = evaluate(&dir, &[PathBuf::from("examples/demo")]);
    assert!(meth.is_approved());
    insta::assert_json_snapshot!("status_json_approved", {
        let mut v = status_json(&doc);
        v["data"]["notes"][0]["note"] = "[the samples' note]".into();
        v
    });
    let fp: String = meth.fingerprint.chars().take(12).collect();
    assert!(doc
        .status
        .line("eaeu_demo", Lang::En)
        .starts_with(&format!("Approved by Decision No. 7 of 01.06.2025 · eaeu_demo 0.1.0 · fingerprint {fp} · ")));
    for (lang, decision) in
        [(Lang::En, "Approved by Decision No. 7 of 01.06.2025"), (Lang::Ru, "Утверждена: Decision No. 7 от 01.06.2025")]
    {
        let f = files(&meth, &doc, lang);
        let html = file(&f, "report.html");
        assert!(html.contains(&format!("<span class=\"decision\">{decision}</span>")), "{lang:?}");
        assert!(html.contains(&format!("@top-center {{ content: \"{decision}\"")), "{lang:?}");
        assert!(!html.contains("class=\"mark\"") && !html.contains("class=\"watermark\""), "no draft mark");
        assert!(html.contains("<title>Customs regulation") || html.contains("<title>Таможенное"), "{lang:?}");
        let md = file(&f, "report.md");
        assert!(md.starts_with("# "), "no mark above the title");
        assert!(md.contains(&format!("> {decision} · eaeu\\_demo 0.1.0 · ")), "{lang:?}");
        for name in ["matrix.csv", "standards.csv"] {
            for r in csv_rows(file(&f, name)) {
                assert_eq!(
                    (r["methodology_status"].as_str(), r["approval_decision"].as_str(), r["approval_date"].as_str()),
                    ("approved", "Decision No. 7", "2025-06-01"),
                    "{name}"
                );
            }
        }
    }
    // the official report says it too
    let out = tempfile::tempdir().expect("tempdir");
    let d = dir.to_str().expect("UTF-8");
    let o = out.path().to_str().expect("UTF-8");
    assert_eq!(run(&["report", "--official", d, "examples/demo", "--out", o, "--format", "html"]), 0);
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert!(html.contains("<span class=\"decision\">Approved by Decision No. 7 of 01.06.2025</span>"));
}

#[test]
fn the_eval_table_starts_with_the_status_line() {
    let (_tmp, dir) = approved_demo();
    let out = tempfile::tempdir().expect("tempdir");
    let table = out.path().join("table.txt");
    let args = |lang: &'static str| {
        vec![
            "--lang".to_string(),
            lang.into(),
            "eval".into(),
            "--official".into(),
            dir.display().to_string(),
            "examples/demo/am-2023.json".into(),
            "examples/demo/by-2023.json".into(),
            "--out".into(),
            table.display().to_string(),
        ]
    };
    let mut head = String::new();
    for lang in ["en", "ru"] {
        let a = args(lang);
        assert_eq!(run(&a.iter().map(String::as_str).collect::<Vec<_>>()), 0);
        let text = std::fs::read_to_string(&table).expect("the table");
        let (status, _) = text.split_once("\n\n").expect("a blank line after the status");
        head.push_str(status);
        head.push_str("\n---\n");
    }
    let fp = tamga::check::check(&dir).fingerprint.expect("fingerprint");
    insta::assert_snapshot!("eval_table_status_approved", head.replace(&fp[..12], "[fingerprint]"));
}

/// Submissions of the demo for 2023 in a temporary folder, with the notes given per unit.
fn demo_2023_with_notes(notes: &[(&str, Option<&str>)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (unit, note) in notes {
        let name = format!("{}-2023.json", unit.to_lowercase());
        let text = std::fs::read_to_string(Path::new("examples/demo").join(&name)).expect("sample");
        let mut v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let o = v.as_object_mut().expect("an object");
        match note {
            Some(n) => o.insert("note".into(), (*n).into()),
            None => o.remove("note"),
        };
        std::fs::write(tmp.path().join(&name), serde_json::to_string_pretty(&v).expect("JSON")).expect("write");
    }
    let dir = tmp.path().to_path_buf();
    (tmp, dir)
}

#[test]
fn distinct_notes_say_who_carries_them() {
    let (_tmp, dir) = demo_2023_with_notes(&[
        ("AM", Some("Preliminary: revised figures expected in March")),
        ("BY", None),
        ("KG", Some("Estimated by the Commission: no answer from the state")),
        ("KZ", Some("Preliminary: revised figures expected in March")),
    ]);
    let (meth, doc) = evaluate(Path::new("rules/demo"), &[dir]);
    let d = &doc.status.data;
    assert_eq!((d.submissions, d.with_note, d.notes.len()), (4, 3, 2));
    let who = |i: usize| d.notes[i].submissions.iter().map(|s| s.unit.as_str()).collect::<Vec<_>>();
    assert_eq!((who(0), who(1)), (vec!["AM", "KZ"], vec!["KG"]));
    assert_eq!(doc.status.data_summary(Lang::En), "data: 2 notes (3 of 4 submissions)");
    assert_eq!(doc.status.data_summary(Lang::Ru), "данные: 2 примечания (3 из 4 анкет)");
    assert_eq!(
        doc.status.note_lines(Lang::En),
        [
            ("2023: AM, KZ".to_string(), "Preliminary: revised figures expected in March".to_string()),
            ("2023: KG".to_string(), "Estimated by the Commission: no answer from the state".to_string()),
        ]
    );
    // each CSV row carries its own submission's note, and none for Belarus
    let f = files(&meth, &doc, Lang::En);
    let notes: Vec<(String, String)> =
        csv_rows(file(&f, "matrix.csv")).into_iter().map(|r| (r["unit"].clone(), r["data_note"].clone())).collect();
    assert_eq!(
        notes,
        [
            ("AM".to_string(), "Preliminary: revised figures expected in March".to_string()),
            ("BY".to_string(), String::new()),
            ("KG".to_string(), "Estimated by the Commission: no answer from the state".to_string()),
            ("KZ".to_string(), "Preliminary: revised figures expected in March".to_string()),
        ]
    );
    // and the report lists both notes with who carries them
    let md = file(&f, "report.md");
    assert!(md.contains("> note (2023: AM, KZ): Preliminary: revised figures expected in March"), "{md}");
    assert!(md.contains("> note (2023: KG): Estimated by the Commission: no answer from the state"), "{md}");
}

#[test]
fn data_without_notes_say_so() {
    let (_tmp, dir) = demo_2023_with_notes(&[("AM", None), ("BY", None)]);
    let (_, doc) = evaluate(Path::new("rules/demo"), &[dir]);
    assert_eq!(doc.status.data_summary(Lang::En), "data: no note (2 submissions)");
    assert!(doc.status.note_lines(Lang::En).is_empty());
}

#[test]
fn notes_and_sources_of_indicators_and_standards_are_in_the_report() {
    let (meth, doc) = evaluate(Path::new("rules/eaeu"), &[PathBuf::from("examples/eaeu")]);
    let bus1 = &meth.model.standards["BUS-1"];
    let (note_en, note_ru) = (&bus1.notes["en"], &bus1.notes["ru"]);
    let source = bus1.source.as_deref().expect("BUS-1 has a source");
    let ind = meth.model.indicators.values().find(|i| i.notes.contains_key("ru") && i.source.is_some()).expect("one");
    for (lang, std_note, ind_note) in [(Lang::En, note_en, &ind.notes["en"]), (Lang::Ru, note_ru, &ind.notes["ru"])] {
        let f = files(&meth, &doc, lang);
        let html = file(&f, "report.html");
        let md = file(&f, "report.md");
        let esc = |s: &str| s.replace('&', "&amp;").replace('"', "&#34;").replace('\'', "&#39;");
        // the standard's note in the report's language, and its source, in the Code section
        let code_section = &html[html.find("class=\"standards\"").expect("the Code")..];
        assert!(code_section.contains(&esc(std_note)), "{lang:?}: {std_note}");
        assert!(code_section.contains(&esc(source)), "{lang:?}: {source}");
        let md_note = tamga::report::markdown::escape(std_note);
        assert!(md.contains(&md_note), "{lang:?}: {md_note}");
        // the indicator's, beside it in the indicators' section
        let section = &html[html.find("<section id=\"indicators\">").expect("the indicators")..];
        let row = &section[section.find(&format!("title=\"{}\"", ind.id)).expect("the indicator's row")..];
        let row = &row[..row.find("</tr>").expect("end of row")];
        assert!(row.contains(&esc(ind_note)), "{lang:?}: {row}");
        assert!(row.contains(&esc(ind.source.as_deref().unwrap_or_default())), "{lang:?}: {row}");
        assert!(md.contains(&tamga::report::markdown::escape(ind_note)), "{lang:?}");
    }
}

/// stdout of the tamga binary.
fn stdout_of(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("tamga runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn explain_audit_sensitivity_and_impact_say_the_status_too() {
    let draft = "DRAFT (no manifest) · eaeu_demo 0.1.0 · fingerprint ";
    let explain =
        stdout_of(&["explain", "rules/demo", "examples/demo", "--state", "KG", "--period", "2023", "facilitation"]);
    assert!(explain.starts_with(draft), "{explain}");
    assert!(explain.contains("\n  note (all 10 submissions): ILLUSTRATIVE DATA for the demonstration methodology: "));
    assert!(explain.contains("\n\nExplanation of `facilitation`"), "{explain}");
    let audit = stdout_of(&["audit", "rules/demo", "examples/demo"]);
    assert!(audit.starts_with(draft) && audit.contains("\n\nStatistical audit · "), "{audit}");
    // a wide CSV has no note: the line says so
    let sens =
        stdout_of(&["sensitivity", "examples/asem/sensitivity.tamga", "examples/asem/asem.csv", "--samples", "16"]);
    let first = sens.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("DRAFT (no manifest) · asem ") && first.ends_with(" · data: no note (51 submissions)"),
        "{first}"
    );
    assert!(sens.contains("\n\nSensitivity analysis · "), "{sens}");
    let impact = stdout_of(&["impact", "rules/demo", "rules/demo/methodology.tamga", "examples/demo"]);
    assert!(impact.contains("- `rules/demo` 0.1.0 (no manifest): fingerprint `"), "{impact}");
    assert!(
        impact.contains("- data: “ILLUSTRATIVE DATA for the demonstration methodology” (10 of 10 submissions)\n"),
        "{impact}"
    );
}
