//! `tamga report`: the full report of one evaluation in HTML, Markdown, CSV and JSON.
//!
//! Snapshots of the Markdown and CSV of the demo and of one chart's SVG; the HTML holds no
//! external URL and escapes labels; the same inputs give byte-identical files; and a real browser
//! (headless Chromium) renders the HTML to a picture that is not blank. The browser test is
//! skipped where Chromium is absent, unless `TAMGA_BROWSER_TESTS=required` (as `.ci/run` sets
//! after installing it); with `TAMGA_SCREENSHOT_OUT=path.png` it also keeps the screenshot
//! (that is how `docs/img/report.png` is made, see docs/report.md).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tamga::diagnostics::{render, Style};
use tamga::report::svg::{self, Bar, MeanLine};
use tamga::report::{self, json, Format, Lang};
#[path = "support/skip.rs"]
mod skip;

const STYLE: Style = Style { color: false, width: 100 };

/// The result of a methodology on submissions, which must have no errors.
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

fn demo_files() -> Vec<PathBuf> {
    vec![PathBuf::from("examples/demo")]
}

/// Text with what changes without a change of the report's logic replaced by placeholders: hashes
/// of files (a rule file laid out anew), the fingerprint and tamga's version.
fn redact(text: &str) -> String {
    let v = tamga::VERSION;
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        match run.len() {
            64 => out.push_str("[sha256]"),
            12 if run.chars().any(|c| c.is_ascii_alphabetic()) => out.push_str("[fingerprint]"),
            _ => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
        } else {
            let word = c.is_alphanumeric() || c == '_';
            if word {
                out.push_str(&run);
                run.clear();
            } else {
                flush(&mut run, &mut out);
            }
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out.replace(&format!("tamga {v}"), "tamga [version]")
        .replace(&format!("tamga: `{v}`"), "tamga: `[version]`")
        .replace(&format!(",{v}\n"), ",[version]\n")
        // in a CSV row, the tamga version after the fingerprint, before the status columns
        .replace(&format!("],{v},"), "],[version],")
}

/// One file of the demo report.
fn demo_file(name: &str, lang: Lang) -> String {
    let (meth, doc) = evaluate("rules/demo", &demo_files());
    let files = report::render(&meth.model, &doc, lang, &Format::ALL);
    let bytes = files.into_iter().find(|(n, _)| *n == name).map(|(_, b)| b).expect(name);
    String::from_utf8(bytes).expect("UTF-8")
}

/// A fresh folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tamga-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn tamga(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tamga")
}

#[test]
fn markdown_in_english() {
    insta::assert_snapshot!("report_md_en", redact(&demo_file("report.md", Lang::En)));
}

#[test]
fn markdown_in_russian() {
    insta::assert_snapshot!("report_md_ru", redact(&demo_file("report.md", Lang::Ru)));
}

#[test]
fn csv_matrix() {
    let text = demo_file("matrix.csv", Lang::En);
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a byte-order mark, for Excel");
    insta::assert_snapshot!("matrix_csv", redact(text.trim_start_matches('\u{feff}')));
}

#[test]
fn csv_standards() {
    let text = demo_file("standards.csv", Lang::Ru);
    assert!(text.starts_with('\u{feff}'));
    insta::assert_snapshot!("standards_csv", redact(text.trim_start_matches('\u{feff}')));
}

#[test]
fn redaction_replaces_hashes_and_versions_only() {
    let sha = "02b5242671fdd907bb96baceb6365cfa5a445524780d61abdf510579eab63ae5";
    let v = tamga::VERSION;
    let text =
        format!("a {sha} · fingerprint 02b5242671fd · tamga {v}\nx,{sha},{v}\nq09_inspected 100.0 2023 deadbeef\n");
    assert_eq!(
        redact(&text),
        "a [sha256] · fingerprint [fingerprint] · tamga [version]\nx,[sha256],[version]\nq09_inspected 100.0 2023 deadbeef\n"
    );
}

#[test]
fn csv_rows_have_as_many_cells_as_the_header() {
    for name in ["matrix.csv", "standards.csv"] {
        let text = demo_file(name, Lang::Ru);
        let mut rd = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let width = rd.headers().expect("header").len();
        let mut rows = 0;
        for r in rd.records() {
            assert_eq!(r.expect("record").len(), width, "{name}");
            rows += 1;
        }
        assert!(rows >= 10, "{name}: two periods of five states");
    }
}

fn chart_bars() -> Vec<Bar> {
    [
        ("AM", Some(63.4), "Armenia"),
        ("BY", Some(60.0), "Belarus"),
        ("KG", None, "Kyrgyzstan"),
        ("KZ", Some(100.0), "Kazakhstan"),
    ]
    .iter()
    .map(|(code, v, name)| Bar {
        label: code.to_string(),
        value: *v,
        text: v.map(|x| format!("{x:.1}")).unwrap_or("n/a".into()),
        tooltip: format!("{name} <&>"),
        mean: None,
        strong: false,
        indent: 0,
    })
    .collect()
}

#[test]
fn column_chart_svg() {
    let mean = MeanLine { value: 74.5, label: "union mean 74.5".into() };
    let svg = svg::columns("Trade facilitation · 2023", &chart_bars(), (0.0, 100.0), Some(&mean));
    insta::assert_snapshot!("column_chart_svg", svg::standalone(&svg).replace("><", ">\n<"));
}

#[test]
fn profile_chart_svg() {
    let rows: Vec<Bar> = [
        ("Index of customs regulation development", Some(63.4), Some(59.0), true),
        ("Favourable conditions and interaction with business", Some(100.0), Some(90.6), false),
        ("Release times", None, Some(52.0), false),
    ]
    .iter()
    .enumerate()
    .map(|(k, (label, v, mean, strong))| Bar {
        label: label.to_string(),
        value: *v,
        text: v.map(|x| format!("{x:.1}")).unwrap_or("n/a".into()),
        tooltip: label.to_string(),
        mean: *mean,
        strong: *strong,
        indent: u32::from(k == 2),
    })
    .collect();
    let svg = svg::profile("Armenia (AM) · 2023", &rows, (0.0, 100.0), "union mean");
    insta::assert_snapshot!("profile_chart_svg", svg::standalone(&svg).replace("><", ">\n<"));
}

/// Every way a page can reach the network: an absolute or protocol-relative URL, a stylesheet
/// import, a CSS `url()`, an external script, stylesheet, image or frame.
fn external_references(html: &str) -> Vec<String> {
    let lower = html.to_lowercase();
    let needles =
        ["http:", "https:", "ftp:", "//", "url(", "@import", "<script", "<link", "<img", "<iframe", "<object", "src="];
    let mut found = vec![];
    for n in needles {
        for (at, _) in lower.match_indices(n) {
            // `//` inside text is harmless only if it is not an attribute value or CSS
            let context: String = html[at.saturating_sub(40)..(at + 40).min(html.len())].to_string();
            found.push(format!("{n}: …{context}…"));
        }
    }
    found
}

#[test]
fn html_reaches_nothing_outside_the_file() {
    for lang in [Lang::En, Lang::Ru] {
        let html = demo_file("report.html", lang);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        let found = external_references(&html);
        assert!(found.is_empty(), "{found:#?}");
        // every section is there, with inline charts
        for id in [
            "id=\"p1-matrix\"",
            "id=\"p1-charts\"",
            "id=\"p1-standards\"",
            "id=\"p1-recommendations\"",
            "id=\"change\"",
            "id=\"quality\"",
            "id=\"provenance\"",
        ] {
            assert!(html.contains(id), "{id}");
        }
        assert!(html.matches("<svg ").count() >= 2 * (4 + 5), "a chart per area and per state, for each period");
        assert!(html.contains("@page") && html.contains("size: A4"));
    }
    assert!(external_references("<a href=\"https://x\">").len() == 2, "the check itself finds URLs");
}

#[test]
fn html_has_the_fixed_text_of_its_language() {
    let en = demo_file("report.html", Lang::En);
    let ru = demo_file("report.html", Lang::Ru);
    for s in [
        "Scores by state and area",
        "Code of Customs Standards",
        "Recommendations for aligning practice",
        "Union mean",
        "Data quality",
    ] {
        assert!(en.contains(s), "{s}");
        assert!(!ru.contains(s), "{s}");
    }
    for s in [
        "Оценки по государствам и направлениям",
        "Кодекс таможенных стандартов",
        "Рекомендации по сближению практики",
        "Среднее по Союзу",
        "Качество данных",
        "Армения",
        "67,8",
        // Kyrgyzstan's business area leaves out the format of a body it does not have (not
        // applicable): marked and said in words
        "0,0*",
        "рассчитано только по имеющимся составляющим",
        "Кыргызстан (KG) — Благоприятные условия и взаимодействие с бизнесом: 1 из 2, 50,0\u{a0}% веса",
    ] {
        assert!(ru.contains(s), "{s}");
    }
    assert!(en.contains("0.0*") && en.contains("computed over the parts present only"), "the mark and its legend");
}

#[test]
fn every_page_and_file_carries_its_provenance() {
    let (meth, doc) = evaluate("rules/demo", &demo_files());
    let fingerprint = doc.methodology.fingerprint.clone().expect("the checker fingerprints the methodology");
    assert_eq!(fingerprint, meth.fingerprint);
    let short: String = fingerprint.chars().take(12).collect();
    let files = report::render(&meth.model, &doc, Lang::En, &Format::ALL);
    assert_eq!(
        files.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        ["report.html", "report.md", "matrix.csv", "standards.csv", "result.json"]
    );
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains("eaeu_demo") || text.contains("eaeu\\_demo"), "{name}: methodology id");
        assert!(text.contains("0.1.0"), "{name}: version");
        assert!(text.contains(&short), "{name}: fingerprint");
        // every submission's hash, except in the CSV, where each row carries its own
        let hash = &doc.inputs[0].sha256;
        assert!(text.contains(hash.as_str()), "{name}: input hash");
    }
    let html = String::from_utf8_lossy(&files[0].1);
    for i in &doc.inputs {
        assert!(html.contains(&i.sha256), "{}", i.file);
    }
    // printed, every page's footer repeats the provenance
    assert!(html.contains("@bottom-left") && html.contains(&format!("fingerprint {short}")));
}

#[test]
fn labels_from_rule_files_are_escaped() {
    let dir = temp_dir("escape");
    let rules = r#"
methodology esc {
  en "<script>alert('x')</script> & \"quotes\"" ru "Экранирование <b>"
  version "1"
}
question q1 : percent { en "Q <i>one</i>" ru "В <i>один</i>" }
area a1 {
  en "Area | pipe *star* <em>" ru "Направление <em>"
  indicator i1 = q1 { en "I <u>" ru "П <u>" score value }
}
standard S-1 { en "Std </td>" ru "Ст </td>" requires i1 >= 50 }
recommend r1 when not met(S-1) { en "Do <this> & that" ru "Сделать <это>" }
"#;
    std::fs::write(dir.join("methodology.tamga"), rules).expect("write");
    std::fs::write(
        dir.join("x.json"),
        // (a unit code cannot hold `<` since issue #15: its alphabet is letters, digits, -_./)
        r#"{"unit": "X1", "period": "2023", "name": {"en": "<X>"}, "answers": {"q1": 40}}"#,
    )
    .expect("write");
    let (meth, doc) = evaluate(dir.to_str().expect("utf-8"), &[dir.join("x.json")]);
    let files = report::render(&meth.model, &doc, Lang::En, &Format::ALL);
    let html = String::from_utf8_lossy(&files[0].1);
    for raw in ["<script>", "<i>one", "<em>", "<u>", "</td>\"", "<this>", "<X>"] {
        assert!(!html.contains(raw), "unescaped {raw}");
    }
    // askama writes numeric character references; either form is correct HTML
    let named =
        html.replace("&#60;", "&lt;").replace("&#62;", "&gt;").replace("&#38;", "&amp;").replace("&#34;", "&quot;");
    assert!(named.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"), "{named}");
    assert!(named.contains("Do &lt;this&gt; &amp; that"));
    let md = String::from_utf8_lossy(&files[1].1);
    assert!(md.contains(r"Area \| pipe \*star\* \<em\>"), "{md}");
    assert!(!md.contains("<this>"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_inputs_give_byte_identical_reports() {
    let a = temp_dir("same-a");
    let b = temp_dir("same-b");
    let out_a = tamga(&["report", "rules/demo", "examples/demo", "--out", a.to_str().expect("utf-8")]);
    assert_eq!(out_a.status.code(), Some(0), "{}", String::from_utf8_lossy(&out_a.stderr));
    // the same files, named one by one in the reverse order
    let mut files: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"))
        .expect("examples/demo")
        .map(|e| format!("examples/demo/{}", e.expect("entry").file_name().to_string_lossy()))
        .collect();
    files.sort();
    files.reverse();
    let mut args = vec!["report", "rules/demo"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", b.to_str().expect("utf-8")]);
    let out_b = tamga(&args);
    assert_eq!(out_b.status.code(), Some(0), "{}", String::from_utf8_lossy(&out_b.stderr));
    for name in ["report.html", "report.md", "matrix.csv", "standards.csv", "result.json"] {
        let x = std::fs::read(a.join(name)).expect(name);
        let y = std::fs::read(b.join(name)).expect(name);
        assert!(x == y, "{name} differs between runs");
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn the_cli_writes_the_formats_asked_for() {
    let dir = temp_dir("formats");
    let out = dir.join("nested/folder");
    let o = tamga(&[
        "--lang",
        "ru",
        "report",
        "rules/demo",
        "examples/demo",
        "--out",
        out.to_str().expect("utf-8"),
        "--format",
        "md,csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(&out).expect("out").map(|e| e.expect("entry").file_name().to_string_lossy().into()).collect();
    names.sort();
    assert_eq!(names, ["matrix.csv", "report.md", "standards.csv"], "no temporary file is left behind");
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    assert!(md.contains("Кодекс таможенных стандартов"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    // an unknown format is a usage error
    let o = tamga(&["report", "rules/demo", "examples/demo", "--out", out.to_str().expect("utf-8"), "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    // a missing submission folder too
    let o = tamga(&["report", "rules/demo", "examples/nowhere", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_result_carries_the_union_statistics_the_report_shows() {
    let (_, doc) = evaluate("rules/demo", &demo_files());
    let v: serde_json::Value = serde_json::from_str(&json::to_string(&doc)).expect("json");
    for p in v["periods"].as_array().expect("periods") {
        let results = p["results"].as_array().expect("results");
        for (area, stat) in p["union"]["areas"].as_object().expect("areas") {
            let xs: Vec<f64> = results.iter().filter_map(|r| r["areas"][area]["value"].as_f64()).collect();
            assert_eq!(stat["count"].as_u64(), Some(xs.len() as u64), "{area}");
            assert_eq!(stat["missing"].as_u64(), Some((results.len() - xs.len()) as u64), "{area}");
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            assert!((stat["mean"]["value"].as_f64().expect("mean") - mean).abs() < 1e-9, "{area}");
            let max = xs.iter().copied().fold(f64::MIN, f64::max);
            assert_eq!(stat["max"]["value"].as_f64(), Some(max), "{area}");
            assert!(!stat["best"].as_array().expect("best").is_empty());
        }
        for (code, t) in p["union"]["standards"].as_object().expect("standards") {
            let n: u64 = ["met", "not_met", "not_assessable"].iter().map(|k| t[*k].as_u64().expect("count")).sum();
            assert_eq!(n, results.len() as u64, "{code}");
        }
    }
    // the change from 2022 to 2023, per state and area
    let p = &v["periods"][1];
    assert_eq!(p["change"]["from"], "2022");
    let am = &p["change"]["results"][0];
    assert_eq!(am["unit"], "AM");
    let before = v["periods"][0]["results"][0]["areas"]["business"]["value"].as_f64().expect("2022");
    let after = p["results"][0]["areas"]["business"]["value"].as_f64().expect("2023");
    assert_eq!(am["areas"]["business"]["value"].as_f64(), Some(after - before));
    assert!(v["periods"][0].get("change").is_none(), "the first period has no change");
}

/// The first of the browsers that can take a headless screenshot.
fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Decodes a PNG; returns its size and how many of its pixels differ from the top-left one.
fn png_stats(path: &Path) -> (u32, u32, usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("png")));
    let mut reader = decoder.read_info().expect("a valid PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    let bytes = &buf[..info.buffer_size()];
    let px = info.color_type.samples() * if info.bit_depth == png::BitDepth::Sixteen { 2 } else { 1 };
    let first = &bytes[..px];
    let differing = bytes.chunks(px).filter(|p| *p != first).count();
    let mut colours: Vec<&[u8]> = bytes.chunks(px).step_by(7).collect();
    colours.sort();
    colours.dedup();
    (info.width, info.height, differing, colours.len())
}

#[test]
fn a_browser_renders_the_report() {
    let required = std::env::var("TAMGA_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let Some(browser) = find_browser() else {
        assert!(
            !required,
            "TAMGA_BROWSER_TESTS=required, but no chromium, chromium-browser or google-chrome is on PATH"
        );
        skip::skip(
            "a_browser_renders_the_report",
            "no chromium on PATH (install Debian's `chromium`; TAMGA_BROWSER_TESTS=required makes this a failure)",
        );
        return;
    };
    let dir = temp_dir("browser");
    // the demo, unless a screenshot for the documentation asks for other inputs or Russian
    let lang = if std::env::var("TAMGA_SCREENSHOT_LANG").is_ok_and(|l| l == "ru") { Lang::Ru } else { Lang::En };
    let rules = std::env::var("TAMGA_SCREENSHOT_RULES").unwrap_or_else(|_| "rules/demo".into());
    let data = std::env::var("TAMGA_SCREENSHOT_SUBMISSIONS").unwrap_or_else(|_| "examples/demo".into());
    let (meth, doc) = evaluate(&rules, &[PathBuf::from(data)]);
    let html = report::render(&meth.model, &doc, lang, &[Format::Html]).remove(0).1;
    let html_path = dir.join("report.html");
    std::fs::write(&html_path, html).expect("write html");
    let png_path = dir.join("report.png");
    let profile = dir.join("profile");
    let mut child = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("--screenshot={}", png_path.display()))
        .arg(format!("file://{}", html_path.display()))
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
    let meta = std::fs::metadata(&png_path).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{stderr}"));
    assert!(meta.len() > 0, "an empty screenshot");
    let (w, h, differing, colours) = png_stats(&png_path);
    assert_eq!((w, h), (1280, 2000));
    // a blank page is one colour; the report has a masthead, coloured cells and charts
    assert!(differing > (w * h) as usize / 10, "the screenshot is nearly blank: {differing} pixels differ");
    assert!(colours > 50, "the screenshot has only {colours} colours");
    if let Some(out) = std::env::var_os("TAMGA_SCREENSHOT_OUT") {
        std::fs::copy(&png_path, &out).expect("copy the screenshot");
        eprintln!("screenshot: {}", PathBuf::from(out).display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn chapter_and_code_scores_over_fewer_standards_are_marked_and_said() {
    // RU declares its inspections not applicable: TF-2 and GEN-1 are left out of its chapter TF
    // and of the Code, which are computed over the others (coverage in JSON, `*` and a list in the
    // report, a `reweighted` column in matrix.csv)
    let (meth, doc) = evaluate("tests/cases/ok/standards.tamga", &[PathBuf::from("tests/cases/ok/standards")]);
    let ru = doc.periods[0].results.iter().find(|r| r.unit == "RU").expect("RU");
    let cov = ru.chapters["TF"].score.coverage.as_ref().expect("the chapter's coverage");
    assert_eq!((cov.counted, cov.declared), (2, 3));
    let cov = ru.code.score.coverage.as_ref().expect("the Code's coverage");
    assert_eq!((cov.counted, cov.declared, cov.weight_share), (3, 5, 0.6));
    let files = report::render(&meth.model, &doc, Lang::En, &Format::ALL);
    let md = String::from_utf8(files.iter().find(|(n, _)| *n == "report.md").expect("md").1.clone()).expect("UTF-8");
    assert!(md.contains("100.0\\* (2 / 0 / 1)"), "{md}");
    assert!(md.contains("- RU (RU) — TF Trade facilitation: 2 of 3, 66.7% of the weight"), "{md}");
    assert!(md.contains("- RU (RU) — Code of Customs Standards: 3 of 5, 60.0% of the weight"), "{md}");
    let html =
        String::from_utf8(files.iter().find(|(n, _)| *n == "report.html").expect("html").1.clone()).expect("UTF-8");
    assert!(html.contains("<li>RU (RU) — TF Trade facilitation: 2 of 3, 66.7% of the weight</li>"), "the list in HTML");
}

/// CSV injection (OWASP): a text cell that Excel would run as a formula (a name or a note that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`; numbers,
/// negative ones too, are written as they are.
#[test]
fn csv_cells_that_excel_would_run_as_formulas_are_neutralised() {
    assert_eq!(tamga::report::csv::neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
    for risky in ["+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "-", "-inf", "-NaN"] {
        assert_eq!(tamga::report::csv::neutralise(risky), format!("'{risky}"), "{risky:?}");
    }
    for safe in ["-0.5", "+3", "-12", "1e-5", "Armenia", "", "a=b"] {
        assert_eq!(tamga::report::csv::neutralise(safe), safe, "{safe:?}");
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sub = std::fs::read_to_string("examples/demo/am-2023.json").expect("read");
    let sub = sub
        .replace("\"Armenia\"", "\"=HYPERLINK(\\\"http://evil\\\",\\\"Armenia\\\")\"")
        .replace("\"ILLUSTRATIVE DATA", "\"@SUM(1+1) ILLUSTRATIVE DATA");
    std::fs::write(dir.path().join("am.json"), sub).expect("write");
    let out_dir = dir.path().join("out");
    let am = dir.path().join("am.json");
    let out =
        tamga(&["report", "rules/demo", am.to_str().unwrap(), "--format", "csv", "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let matrix = std::fs::read_to_string(out_dir.join("matrix.csv")).expect("matrix.csv");
    assert!(matrix.contains(r#""'=HYPERLINK(""http://evil"",""Armenia"")""#), "{matrix}");
    assert!(matrix.contains("'@SUM(1+1) ILLUSTRATIVE DATA"), "{matrix}");
    let standards = std::fs::read_to_string(out_dir.join("standards.csv")).expect("standards.csv");
    assert!(standards.contains(",\"'@SUM(1+1) ILLUSTRATIVE DATA"), "{standards}");
    // no cell of either file begins with a formula character unless it is a number
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(matrix.as_bytes());
    for rec in reader.records() {
        for cell in rec.expect("a record").iter() {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(!risky || cell.parse::<f64>().is_ok(), "{cell:?}");
        }
    }
}

/// A writer that takes at most five bytes at a time, as a pipe or a full disk may: every
/// renderer must write all of its bytes through `write_all`, none assume one call takes all.
struct Trickle(Vec<u8>);

impl Write for Trickle {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(5);
        self.0.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `tamga report` streams every file into its temporary file (`report::write_with`); the bytes
/// are those `report::render_with` gives in memory, for every format, in both languages, with the
/// audit; and the writer form gives them through a writer that takes a few bytes at a time.
#[test]
fn the_streamed_files_are_the_rendered_bytes() {
    let (meth, _) = match tamga::check::check(Path::new("rules/demo")).methodology() {
        Ok(x) => x,
        Err((sources, diags)) => panic!("rules/demo:\n{}", render(&diags, &sources, STYLE)),
    };
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, &demo_files(), &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags));
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    let audit = tamga::audit::audit(&meth.model, &outcome);
    for (lang, flag) in [(Lang::En, "en"), (Lang::Ru, "ru")] {
        let dir = temp_dir(&format!("streamed-{flag}"));
        let o = tamga(&[
            "--lang",
            flag,
            "report",
            "rules/demo",
            "examples/demo",
            "--audit",
            "--format",
            "html,md,csv,json,docx",
            "--out",
            dir.to_str().expect("utf-8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let files = report::render_with(&meth.model, &doc, Some(&audit), None, lang, &Format::EVERY);
        let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            ["report.html", "report.md", "matrix.csv", "standards.csv", "result.json", "audit.json", "report.docx"]
        );
        assert_eq!(names, report::file_names(&Format::EVERY, true, false));
        for (name, bytes) in &files {
            let written = std::fs::read(dir.join(name)).expect(name);
            assert!(written == *bytes, "{name} ({flag}): the file written differs from the bytes rendered");
        }
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("out")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into())
            .collect();
        on_disk.sort();
        let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        expected.sort();
        assert_eq!(on_disk, expected, "no temporary file is left");
        // the writer form through a writer that takes five bytes at a time
        let mut trickled = vec![];
        report::write_with(&meth.model, &doc, Some(&audit), None, lang, &Format::EVERY, &mut |name, body| {
            let mut w = Trickle(vec![]);
            body(&mut w)?;
            trickled.push((name, w.0));
            Ok(())
        })
        .expect("written");
        assert!(trickled == files, "{flag}: the writer form gives other bytes");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
