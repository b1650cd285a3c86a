//! The report's ranks by scenario and its full audit.
//!
//! - Ranks by scenario (`tests/cases/scenarios`: the data of tests/handbook.rs, whose ranks
//!   scenarios.py checks): the Markdown section snapshotted in English and Russian; the HTML has
//!   the section, its link in the contents and the right rank and shift of one state; the Word
//!   document has the table; a methodology without scenarios has no such section.
//! - The audit (`tamga report --audit --audit-set … --audit-matrix` on ASEM): alpha if deleted,
//!   the item–rest correlation and the eigenvalues of every area, the set and the correlation
//!   matrix, with the figures `tamga audit` prints.

use insta_cmd::get_cargo_bin;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use tamga::diagnostics::{render, Style};
use tamga::report::{self, json, Format, Lang};

const STYLE: Style = Style { color: false, width: 100 };

const CASE: &str = "tests/cases/scenarios";

/// The result of the scenarios case, which must have no errors.
fn evaluate() -> (tamga::check::Methodology, json::ResultDoc) {
    let (meth, _) = match tamga::check::check(Path::new(CASE)).methodology() {
        Ok(x) => x,
        Err((sources, diags)) => panic!("{CASE}:\n{}", render(&diags, &sources, STYLE)),
    };
    let mut sources = meth.sources.clone();
    let files = [PathBuf::from(CASE).join("data")];
    let (data, diags) = tamga::data::load(&meth.model, &files, &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, STYLE));
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    (meth, doc)
}

/// One file of the report of the scenarios case.
fn file(name: &str, lang: Lang, formats: &[Format]) -> Vec<u8> {
    let (meth, doc) = evaluate();
    report::render(&meth.model, &doc, lang, formats)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("{name} is written"))
}

fn text(name: &str, lang: Lang, format: Format) -> String {
    String::from_utf8(file(name, lang, &[format])).expect("UTF-8")
}

/// A `## ` section of a Markdown report, from its heading to the next one.
fn md_section(md: &str, heading: &str) -> String {
    let start = md.find(&format!("## {heading}\n")).unwrap_or_else(|| panic!("no section {heading}:\n{md}"));
    let rest = &md[start..];
    let end = rest[3..].find("\n## ").map(|k| k + 4).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The row of a table that starts with `first` (in the HTML, the `<tr>` holding it).
fn html_row<'a>(html: &'a str, section: &str, first: &str) -> &'a str {
    let s = html.find(&format!("<section id=\"{section}\">")).expect("the section");
    let at = s + html[s..].find(first).unwrap_or_else(|| panic!("{first} in the section"));
    let start = html[..at].rfind("<tr>").expect("a row");
    let end = at + html[at..].find("</tr>").expect("the row's end");
    &html[start..end]
}

#[test]
fn ranks_by_scenario_in_markdown() {
    let md = text("report.md", Lang::En, Format::Markdown);
    let section = md_section(&md, "Ranks by scenario");
    insta::assert_snapshot!("ranks_by_scenario_md_en", section);
    // scenarios.py: Beta (U1) is first (tied with Gamma) under the methodology, fourth with equal
    // weights, fifth under the geometric index
    assert!(section.contains("| Beta (U1) | 56.7 | 1 | 45.0 | 4 (▼ −3) | 21.9 | 5 (▼ −4) |"), "{section}");
    assert!(
        section.contains(
            "**The largest shift: Beta (U1), rank 1 under the methodology, 5 under “Geometric index, B by rank” (▼ −4).**"
        ),
        "{section}"
    );
    // Beta has no index in 2023 (no answer to C): n/a with the reason, never 0 or blank
    assert!(section.contains("| Beta (U1) | n/a (not assessable) | n/a | n/a (not assessable) | n/a |"), "{section}");
    // the latest period first, as the rest of the report
    let (a, b) = (section.find("· 2024").expect("2024"), section.find("· 2023").expect("2023"));
    assert!(a < b);
}

#[test]
fn ranks_by_scenario_in_russian() {
    let md = text("report.md", Lang::Ru, Format::Markdown);
    let section = md_section(&md, "Места по сценариям");
    insta::assert_snapshot!("ranks_by_scenario_md_ru", section);
    assert!(
        section.contains(
            "Сдвиг — место по методике минус место по сценарию: положительный (▲) означает более высокое \
             место по сценарию, отрицательный (▼) — более низкое."
        ),
        "{section}"
    );
    assert!(section.contains("| Бета (U1) | 56,7 | 1 | 45,0 | 4 (▼ −3) | 21,9 | 5 (▼ −4) |"), "{section}");
    assert!(section.contains("**Наибольший сдвиг: Бета (U1) — 1-е место по методике, 5-е по сценарию «Геометрическое среднее, Б по рангу» (▼ −4).**"), "{section}");
}

#[test]
fn ranks_by_scenario_in_html() {
    let html = text("report.html", Lang::En, Format::Html);
    assert!(html.contains("<a href=\"#scenarios\">Ranks by scenario</a>"), "a link in the contents");
    assert!(html.contains("<h3 id=\"scenarios-1\">Ranks by scenario · 2024</h3>"));
    assert!(html.contains("<th colspan=\"3\" class=\"sep\" title=\"equal\">Equal weights</th>"));
    let beta = html_row(&html, "scenarios", "Beta");
    // the methodology: 56.7, rank 1; equal weights: 45.0, rank 4, three places down
    assert!(beta.contains(">56.7</td><td class=\"rank\">1</td>"), "{beta}");
    assert!(
        beta.contains(
            ">45.0</td><td class=\"rank\">4</td><td class=\"num delta down\"><span aria-hidden=\"true\">▼</span> −3</td>"
        ),
        "{beta}"
    );
    let alpha = html_row(&html, "scenarios", "Alpha");
    assert!(
        alpha.contains(
            "<td class=\"rank\">1</td><td class=\"num delta up\"><span aria-hidden=\"true\">▲</span> +3</td>"
        ),
        "{alpha}"
    );
    assert!(html.contains("positive (▲) means a better place under the scenario"));
    assert!(html.contains("ties “min”"));
    let ru = text("report.html", Lang::Ru, Format::Html);
    assert!(ru.contains("<a href=\"#scenarios\">Места по сценариям</a>"));
    assert!(ru.contains("Сдвиг — место по методике минус место по сценарию"));
}

#[test]
fn ranks_by_scenario_in_word() {
    let bytes = file("report.docx", Lang::En, &[Format::Docx]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("the document").read_to_string(&mut xml).expect("UTF-8");
    let at = xml.find("— Ranks by scenario (2024)").expect("the caption");
    let table = &xml[at..at + xml[at..].find("</w:tbl>").expect("the table")];
    for want in ["Equal weights", "Rank (shift)", "Beta", "4 (▼ −3)", "5 (▼ −4)", "1 (▲ +3)"] {
        assert!(table.contains(want), "{want} in the Word table");
    }
    assert!(xml.contains("The largest shift: Beta (U1)"));
}

#[test]
fn a_methodology_without_scenarios_has_no_such_section() {
    let (meth, _) = tamga::check::check(Path::new("rules/demo")).methodology().unwrap_or_else(|_| panic!("demo"));
    let mut sources = meth.sources.clone();
    let (data, _) = tamga::data::load(&meth.model, &[PathBuf::from("examples/demo")], &mut sources);
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = json::build(&meth, &sources, &data, &outcome);
    for (name, bytes) in report::render(&meth.model, &doc, Lang::En, &[Format::Html, Format::Markdown]) {
        let s = String::from_utf8(bytes).expect("UTF-8");
        assert!(!s.contains("Ranks by scenario") && !s.contains("#scenarios"), "{name}");
    }
}

fn tamga(args: &[&str]) -> std::process::Output {
    Command::new(get_cargo_bin("tamga"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("tamga runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-scenarios-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `tamga report --audit` shows what `tamga audit` computes: alpha if deleted, the item–rest
/// correlation and the eigenvalues of each area, the set and the correlation matrix.
#[test]
fn the_report_audit_has_alpha_if_deleted_item_rest_set_and_matrix() {
    let set = "goods,services,fdi,premit,forport";
    let dir = temp("asem-audit");
    let d = dir.to_str().expect("a path");
    let out = tamga(&[
        "report",
        "examples/asem",
        "examples/asem",
        "--out",
        d,
        "--format",
        "md,html,docx",
        "--audit",
        "--audit-set",
        set,
        "--audit-matrix",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(dir.join("report.md")).expect("md");
    let audit_md = md_section(&md, "Statistical audit");
    // the set, as `tamga audit --set` prints it
    let start = audit_md.find("#### Set · 2018").expect("the set");
    let end = start + audit_md[start..].find("#### Correlations").expect("the matrix after the set");
    insta::assert_snapshot!("audit_set_md", &audit_md[start..end]);
    let printed = tamga(&["audit", "examples/asem", "examples/asem", "--set", set]);
    let printed = String::from_utf8(printed.stdout).expect("UTF-8");
    // `  services   0.41    0.69  Trade in services`: alpha without it, its item–rest r
    let line = printed.lines().find(|l| l.trim_start().starts_with("services ")).expect("services in the set");
    let figures: Vec<&str> = line.split_whitespace().skip(1).take(2).collect();
    assert_eq!(figures, ["0.41", "0.69"], "{line}");
    assert!(audit_md.contains("| Trade in services `services` | 0.41 | 0.69 |"), "{audit_md}");
    // every area's table has the two columns, and its eigenvalues below it
    assert!(audit_md.contains("| \\# | child | n | r | p | ρ | α w/o | r rest | 1 | 2 |"));
    assert!(audit_md.contains("| 1 | Connectivity `conn` | 51 | 0.94 | \\<0.001 | 0.95 | — | 0.60 | · | 0.60 |"));
    assert!(audit_md.contains(
        "Eigenvalues of the correlations (share of variance, cumulative) (n = 51): 1.60 (80.1%, 80.1%); 0.40 (19.9%, 100.0%)"
    ));
    // the matrix: one row per scored indicator
    assert!(audit_md
        .contains("#### Correlations of every scored indicator (Pearson's r, pairwise-complete observations) · 2018"));
    assert!(audit_md.contains("| 1 | Logistics Performance Index `lpi` | · | 0.40 | 0.32 |"), "{audit_md}");
    let html = std::fs::read_to_string(dir.join("report.html")).expect("html");
    assert!(html.contains("<th>α w/o</th><th>r rest</th>"));
    assert!(html.contains("<td class=\"lbl\">Trade in services <span class=\"code\">services</span></td><td class=\"num\">0.41</td><td class=\"num\">0.69</td>"));
    assert!(html.contains(
        "<h4>Correlations of every scored indicator (Pearson&#39;s r, pairwise-complete observations) · 2018</h4>"
    ));
    // the Word report has the audit too, compactly: a table per area, the set
    let mut zip = zip::ZipArchive::new(std::fs::File::open(dir.join("report.docx")).expect("docx")).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("the document").read_to_string(&mut xml).expect("UTF-8");
    let at = xml.find("— Set · 2018").expect("the set's table");
    let table = &xml[at..at + xml[at..].find("</w:tbl>").expect("the table")];
    let services = &table[table.find("Trade in services").expect("services")..];
    let row = &services[..services.find("</w:tr>").expect("the row")];
    assert!(row.contains(">0.41<") && row.contains(">0.69<"), "{row}");
    assert!(xml.contains(">α w/o<") && xml.contains(">r rest<"));
}

#[test]
fn the_audit_set_needs_the_audit_and_known_names() {
    let dir = temp("audit-args");
    let d = dir.to_str().expect("a path");
    let without = tamga(&["report", "rules/demo", "examples/demo", "--out", d, "--audit-set", "trade"]);
    assert_eq!(without.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without.stderr).contains("--audit"));
    let unknown = tamga(&[
        "--color",
        "never",
        "report",
        "rules/demo",
        "examples/demo",
        "--out",
        d,
        "--audit",
        "--audit-set",
        "nonsense",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("`--audit-set` names no scored indicator or area `nonsense`"), "{stderr}");
    assert!(!dir.exists(), "nothing is written when the arguments are refused");
}

/// ASEM with its two scenarios (examples/asem/scenarios.tamga): a state that moves as far under
/// both scenarios is named once, with both.
#[test]
fn the_largest_shift_names_a_state_once() {
    let dir = temp("asem-scenarios");
    let d = dir.to_str().expect("a path");
    let out =
        tamga(&["report", "examples/asem/scenarios.tamga", "examples/asem/asem.csv", "--out", d, "--format", "md"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(dir.join("report.md")).expect("md");
    let section = md_section(&md, "Ranks by scenario");
    assert!(
        section.contains(
            "**The largest shift: Myanmar (MMR), rank 41 under the methodology, 47 under “Connectivity weighs twice as \
             much” (▼ −6) and 47 under “Index as the geometric mean of the sub-indices” (▼ −6).**"
        ),
        "{section}"
    );
    // the index with the methodology's precision (2), the rank and its shift
    assert!(section.contains("| Belgium (BEL) | 63.54 | 5 | 63.69 | 3 (▲ +2) | 63.54 | 5 (= 0) |"), "{section}");
}
