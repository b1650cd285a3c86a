//! Terminal output as a user meets it (README.md, "Terminal output"): warnings summed up in one
//! line, `-v` and `-q`, diagnostics in the JSON output, colour by `--color`, `NO_COLOR`,
//! `CLICOLOR_FORCE` and `TERM`, the width by `COLUMNS`, the progress line only on a terminal.
//!
//! Every command runs from the crate root with the terminal variables removed, so the
//! environment the tests run in does not change what they see. Cases that need a terminal run
//! under `script` (util-linux), which gives the command a pseudo-terminal; without it they are
//! reported as skipped.

use std::process::{Command, Output};

/// `tamga` with these arguments and these variables set, the other terminal variables removed.
fn tamga_env(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tamga"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    for v in ["NO_COLOR", "CLICOLOR_FORCE", "TERM", "COLUMNS"] {
        cmd.env_remove(v);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().expect("tamga runs")
}

/// `tamga` with these arguments: (exit code, stdout, stderr).
fn tamga(args: &[&str]) -> (i32, String, String) {
    let out = tamga_env(args, &[]);
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `s` holds an ANSI escape sequence.
fn ansi(s: &str) -> bool {
    s.contains("\u{1b}[")
}

/// The README's main command.
const README: &[&str] = &["eval", "rules/eaeu", "examples/eaeu"];

/// The README's ASEM audit.
const ASEM_AUDIT: &[&str] = &["audit", "examples/asem", "examples/asem/asem.csv"];

fn with<'a>(flags: &[&'a str], args: &[&'a str]) -> Vec<&'a str> {
    flags.iter().chain(args).copied().collect()
}

// ───────────── one summary line, -v, -q ─────────────

#[test]
fn the_readme_command_sums_its_warnings_up_in_one_line() {
    let (code, stdout, stderr) = tamga(README);
    assert_eq!(code, 0);
    assert!(stdout.contains("eaeu_index"), "the table: {stdout}");
    assert_eq!(
        stderr,
        "5 warnings: 4 missing answers in 2 states, 1 re-weighted aggregate in 1 state — `-v` to list them\n"
    );
}

#[test]
fn the_asem_audit_sums_its_sixty_four_warnings_up_in_russian() {
    let (code, _, stderr) = tamga(&with(&["--lang", "ru"], ASEM_AUDIT));
    assert_eq!(code, 0);
    assert_eq!(stderr, "64 предупреждения: 64 пропущенных ответа в 20 государствах — показать все: `-v`\n");
    let (_, _, stderr) = tamga(ASEM_AUDIT);
    assert_eq!(stderr, "64 warnings: 64 missing answers in 20 states — `-v` to list them\n");
}

#[test]
fn verbose_lists_every_warning_in_full() {
    let (code, _, stderr) = tamga(&with(&["-v"], README));
    assert_eq!(code, 0);
    assert_eq!(stderr.matches('⚠').count(), 5, "{stderr}");
    assert!(stderr.contains("required question `dig_15_digital_twins` is not answered"), "{stderr}");
    assert!(!stderr.contains("to list them"), "no summary with -v: {stderr}");
    // the global option goes after the command too
    let (_, _, after) = tamga(&with(README, &["--verbose"]));
    assert_eq!(after, stderr);
}

#[test]
fn quiet_shows_no_warning_but_every_error() {
    let (code, stdout, stderr) = tamga(&with(&["-q"], README));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("eaeu_index"));
    // a submission with errors (and a warning): the errors in full, the warning not at all
    let bad = ["-q", "eval", "rules/demo", "tests/cases/submissions/am-2023-bad.json"];
    let (code, _, stderr) = tamga(&bad);
    assert_eq!(code, 1);
    assert!(stderr.contains("× `q05_import_release_hours` must be a number"), "{stderr}");
    assert!(!stderr.contains('⚠') && !stderr.contains("warning"), "{stderr}");
    // without -q the same run ends with the summary of its warnings
    let (_, _, loud) = tamga(&bad[1..]);
    assert!(loud.contains("× `q05_import_release_hours` must be a number"), "{loud}");
    assert!(
        loud.ends_with(
            "3 warnings: 1 missing answer in 1 state, 2 statistics without enough data — `-v` to list them\n"
        ),
        "{loud}"
    );
}

#[test]
fn quiet_and_verbose_cannot_go_together() {
    let (code, _, stderr) = tamga(&with(&["-q", "-v"], README));
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn validate_still_shows_each_warning_it_finds() {
    // validate's output is the diagnostics: it shows them without -v
    let (code, _, stderr) = tamga(&["validate", "rules/demo", "examples/demo/kg-2023.json"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("⚠ required question `auto_08_remote_release` is not answered"), "{stderr}");
}

// ───────────── JSON ─────────────

#[test]
fn json_output_carries_the_diagnostics_and_nothing_goes_to_stderr() {
    for args in [
        with(README, &["--format", "json"]),
        with(ASEM_AUDIT, &["--format", "json"]),
        vec![
            "sensitivity",
            "examples/asem/sensitivity.tamga",
            "examples/asem/asem.csv",
            "--samples",
            "8",
            "--bootstrap",
            "0",
            "--format",
            "json",
        ],
    ] {
        let (code, stdout, stderr) = tamga(&args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        let diags = doc["diagnostics"].as_array().expect("a `diagnostics` list");
        assert!(!diags.is_empty(), "{args:?}");
        assert!(diags.iter().all(|d| d["severity"] == "warning" && d["code"].is_string()), "{args:?}");
    }
    let (_, stdout, _) = tamga(&with(README, &["--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let codes: Vec<&str> = doc["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "tamga::data::required").count(), 4);
    assert_eq!(codes.iter().filter(|c| **c == "tamga::eval::reweighted").count(), 1);
    assert_eq!(doc["diagnostics"][0]["file"], "examples/eaeu/am-2022.json");
}

#[test]
fn impact_and_explain_in_json_carry_their_diagnostics_too() {
    for args in [
        vec!["impact", "rules/eaeu", "rules/eaeu-2025", "examples/eaeu", "--format", "json"],
        vec![
            "explain",
            "rules/eaeu",
            "examples/eaeu",
            "--state",
            "AM",
            "--period",
            "2023",
            "facilitation",
            "--format",
            "json",
        ],
        vec!["eval", "rules/demo", "examples/demo", "--expr", "import_release <= 24", "--format", "json"],
    ] {
        let (code, stdout, stderr) = tamga(&args);
        assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        assert!(doc["diagnostics"].as_array().is_some_and(|d| !d.is_empty()), "{args:?}");
    }
}

#[test]
fn json_output_with_verbose_also_prints_the_warnings() {
    let (code, stdout, stderr) = tamga(&with(&["-v"], &with(README, &["--format", "json"])));
    assert_eq!(code, 0);
    assert_eq!(stderr.matches('⚠').count(), 5, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(5));
}

#[test]
fn json_output_without_warnings_has_an_empty_list() {
    let states = ["am", "by", "kz", "ru"].map(|s| format!("examples/demo/{s}-2023.json"));
    let mut args = vec!["eval", "rules/demo", "--format", "json"];
    args.extend(states.iter().map(String::as_str));
    let (code, stdout, stderr) = tamga(&args);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
}

// ───────────── long lines, width ─────────────

#[test]
fn a_diagnostic_quotes_the_cell_not_the_whole_row() {
    let (_, _, stderr) = tamga(&with(&["-v"], ASEM_AUDIT));
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest <= 100, "a line of {longest} characters");
    // the row is cut, marked, and keeps its line number and the place of the label
    assert!(stderr.contains("╭─[examples/asem/asem.csv:16:1]"), "{stderr}");
    assert!(stderr.contains(" 16 │ ITA,2018,Italy,XL,L,L,Europe,301340,"), "{stderr}");
    assert!(stderr.lines().any(|l| l.starts_with(" 16 │ ITA") && l.ends_with('…')), "{stderr}");
}

#[test]
fn a_cut_line_keeps_the_column_of_a_label_far_right() {
    // a wrong answer far right on a CSV row of ~500 characters
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/asem/asem.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[4].split(',').map(str::to_string).collect();
    let column = cells[..39].iter().map(|c| c.len() + 1).sum::<usize>() + 1;
    cells[39] = "abc".into();
    lines[4] = cells.join(",");
    let file = dir.path().join("asem.csv");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let (code, _, stderr) = tamga(&["validate", "examples/asem", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains(&format!("asem.csv:5:{column}]")), "{stderr}");
    let row = stderr.lines().find(|l| l.starts_with(" 5 │ …")).expect("the row, cut at both ends");
    assert!(row.contains(",abc,") && row.ends_with('…'), "{row}");
    // the label is under `abc`, on the line below
    let marks = stderr.lines().skip_while(|l| !l.starts_with(" 5 │ …")).nth(1).expect("the label");
    let under = row.find(",abc,").map(|b| row[..b].chars().count() + 1);
    assert_eq!(marks.chars().position(|c| c == '─'), under, "{row}\n{marks}");
}

#[test]
fn columns_narrows_the_diagnostics() {
    let args = with(&["-v"], &["eval", "rules/demo", "examples/demo"]);
    let wide = text(&tamga_env(&args, &[]).stderr);
    assert!(wide.lines().any(|l| l.chars().count() > 60), "{wide}");
    let narrow = text(&tamga_env(&args, &[("COLUMNS", "60")]).stderr);
    // messages and helps wrap, source lines are cut (a label's own words are not wrapped)
    assert!(narrow.lines().filter(|l| !l.contains("╰──")).all(|l| l.chars().count() <= 60), "{narrow}");
    assert!(narrow.contains("⚠ required question `auto_08_remote_release` is not\n"), "{narrow}");
    assert_eq!(narrow.matches('⚠').count(), wide.matches('⚠').count());
}

#[test]
fn columns_fits_the_table() {
    let wide = text(&tamga_env(&with(&["-q"], README), &[]).stdout);
    assert!(wide.lines().any(|l| l.chars().count() > 100), "not cut when piped: {wide}");
    let narrow = text(&tamga_env(&with(&["-q"], README), &[("COLUMNS", "80")]).stdout);
    assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
    // the headers cut, the legend in full, the same figures
    assert!(narrow.contains("classi…"), "{narrow}");
    assert!(narrow.contains("  classification: III. Classification of goods"), "{narrow}");
    assert!(narrow.contains("24/25") && narrow.contains("87.9"), "{narrow}");
}

// ───────────── colour ─────────────

#[test]
fn colour_follows_no_color_clicolor_force_and_term() {
    let args = with(&["-v"], &["eval", "rules/demo", "examples/demo"]);
    let coloured = |vars: &[(&str, &str)]| ansi(&text(&tamga_env(&args, vars).stderr));
    // stderr is a pipe here: no colour unless forced
    assert!(!coloured(&[]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "")]));
    // NO_COLOR counts only when not empty (no-color.org), and wins over CLICOLOR_FORCE
    assert!(coloured(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    // --color overrides the environment
    assert!(ansi(&text(&tamga_env(&with(&["--color", "always"], &args), &[("NO_COLOR", "1")]).stderr)));
    assert!(!ansi(&text(&tamga_env(&with(&["--color", "never"], &args), &[("CLICOLOR_FORCE", "1")]).stderr)));
}

/// Runs `tamga` under a pseudo-terminal (`script`), stdout and stderr both on it; `None` when
/// `script` is not there.
fn on_a_terminal(args: &[&str], vars: &[(&str, &str)]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let typescript = dir.path().join("typescript");
    let line = std::iter::once(env!("CARGO_BIN_EXE_tamga")).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
    let mut cmd = Command::new("script");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(["-q", "-e", "-c", &line]).arg(&typescript);
    for v in ["NO_COLOR", "CLICOLOR_FORCE", "TERM", "COLUMNS"] {
        cmd.env_remove(v);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.stdin(std::process::Stdio::null()).output().ok()?;
    out.status.success().then(|| text(&out.stdout))
}

#[test]
fn on_a_terminal_colour_unless_no_color_or_a_dumb_terminal() {
    let args = ["-v", "eval", "rules/demo", "examples/demo"];
    let Some(plain) = on_a_terminal(&args, &[("TERM", "xterm")]) else {
        eprintln!("skipped: no `script` to give tamga a terminal");
        return;
    };
    assert!(ansi(&plain), "colour on a terminal: {plain}");
    assert!(!ansi(&on_a_terminal(&args, &[("TERM", "dumb")]).unwrap()));
    assert!(!ansi(&on_a_terminal(&args, &[("TERM", "xterm"), ("NO_COLOR", "1")]).unwrap()));
    assert!(ansi(&on_a_terminal(&args, &[("TERM", "xterm"), ("NO_COLOR", "")]).unwrap()));
}

// ───────────── progress ─────────────

const SENSITIVITY: &[&str] = &[
    "sensitivity",
    "examples/asem/sensitivity.tamga",
    "examples/asem/asem.csv",
    "--samples",
    "300",
    "--bootstrap",
    "0",
];

#[test]
fn no_progress_when_stderr_is_not_a_terminal() {
    let (code, _, stderr) = tamga(SENSITIVITY);
    assert_eq!(code, 0);
    assert!(!stderr.contains('\r') && !stderr.contains("samples:") && !ansi(&stderr), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "only the summary: {stderr}");
}

#[test]
fn progress_on_a_terminal_but_not_with_quiet() {
    let Some(shown) = on_a_terminal(SENSITIVITY, &[("TERM", "xterm")]) else {
        eprintln!("skipped: no `script` to give tamga a terminal");
        return;
    };
    assert!(shown.contains("samples: "), "{shown}");
    assert!(shown.contains("/2100 ("), "{shown}");
    let quiet = on_a_terminal(&with(&["-q"], SENSITIVITY), &[("TERM", "xterm")]).unwrap();
    assert!(!quiet.contains("samples: "), "{quiet}");
    // a report says it is writing, and erases the line before listing the files
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let report = ["report", "rules/demo", "examples/demo", "--format", "md", "--out", out.to_str().unwrap()];
    let shown = on_a_terminal(&report, &[("TERM", "xterm")]).unwrap();
    assert!(shown.contains("report: writing "), "{shown}");
    assert!(shown.contains("\u{1b}[2K") && shown.contains("report.md"), "{shown}");
    let (_, _, piped) = tamga(&report);
    assert!(!piped.contains("report: "), "{piped}");
}
