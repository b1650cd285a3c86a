//! The command line as a user meets it: help, exit codes, what goes to stdout and to stderr.
//!
//! Every command runs from the crate root, so paths in the output read as the user typed them,
//! and with `--color never` where diagnostics are printed (the tests' stderr is not a terminal
//! anyway; the flag makes the intent visible in the snapshot).
//!
//! `tamga --version` and the JSON result carry the tamga version; they are snapshotted through
//! [`transcript`], which redacts it (a release must not change these snapshots).

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};
use std::process::Command;

/// `tamga` with these arguments, run from the crate root.
fn tamga(args: &[&str]) -> Command {
    let mut cmd = Command::new(get_cargo_bin("tamga"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.args(args);
    cmd
}

/// Runs `tamga` and lays out its result as `assert_cmd_snapshot!` does, with the version redacted.
fn transcript(args: &[&str]) -> String {
    let out = tamga(args).output().expect("tamga runs");
    let redact = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(tamga::VERSION, "[VERSION]");
    format!(
        "args: {args:?}\nsuccess: {:?}\nexit_code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        out.status.success(),
        out.status.code().unwrap_or(!0),
        redact(&out.stdout),
        redact(&out.stderr),
    )
}

/// The exit code alone, for cases whose output is snapshotted elsewhere.
fn exit_code(args: &[&str]) -> i32 {
    tamga(args).output().expect("tamga runs").status.code().unwrap_or(!0)
}

// ───────────── help ─────────────

#[test]
fn help() {
    assert_cmd_snapshot!(tamga(&["--help"]));
}

#[test]
fn short_help() {
    assert_cmd_snapshot!(tamga(&["-h"]));
}

#[test]
fn help_of_check() {
    assert_cmd_snapshot!(tamga(&["check", "--help"]));
}

#[test]
fn help_of_eval() {
    assert_cmd_snapshot!(tamga(&["eval", "--help"]));
}

#[test]
fn version() {
    insta::assert_snapshot!(transcript(&["--version"]));
}

/// `tamga --version` and the JSON result name the commit tamga was built from, as git sees the
/// checkout, unless `TAMGA_COMMIT` named it at build.
#[test]
fn version_names_the_commit() {
    let out = tamga(&["--version"]).output().expect("tamga runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("tamga {}\n", tamga::VERSION));
    match tamga::COMMIT {
        Some(commit) => assert_eq!(tamga::VERSION, format!("{} ({commit})", env!("CARGO_PKG_VERSION"))),
        None => assert_eq!(tamga::VERSION, env!("CARGO_PKG_VERSION")),
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match option_env!("TAMGA_COMMIT") {
        Some(named) => assert_eq!(tamga::COMMIT, Some(named.trim()).filter(|c| !c.is_empty())),
        None => {
            // the hash only: `-dirty` may lag behind an edit that rebuilt nothing (the README)
            if let Some(head) = git(&["rev-parse", "--short=7", "HEAD"]) {
                let commit = tamga::COMMIT.unwrap_or_default();
                assert!(commit == head || commit == format!("{head}-dirty"), "{commit} for HEAD {head}");
            }
        }
    }
    let json = tamga(&["eval", "rules/demo", "examples/demo", "--format", "json"]).output().expect("tamga runs");
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("a JSON result");
    assert_eq!(doc["tamga"], tamga::VERSION);
}

#[test]
fn no_arguments() {
    assert_cmd_snapshot!(tamga(&[]));
}

// ───────────── usage errors: exit 2 ─────────────

#[test]
fn unknown_subcommand() {
    assert_cmd_snapshot!(tamga(&["chek", "rules/demo"]));
}

#[test]
fn unknown_flag() {
    assert_cmd_snapshot!(tamga(&["check", "rules/demo", "--colour", "never"]));
}

#[test]
fn unknown_format() {
    assert_cmd_snapshot!(tamga(&["eval", "rules/demo", "examples/demo", "--format", "csv"]));
}

#[test]
fn eval_without_submissions() {
    assert_cmd_snapshot!(tamga(&["eval", "rules/demo"]));
}

#[test]
fn check_missing_folder() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "no/such/dir"]));
}

#[test]
fn check_folder_without_entry_file() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "examples/demo"]));
}

#[test]
fn eval_missing_submission() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "eval", "rules/demo", "examples/demo/xx-2023.json"]));
}

// ───────────── check ─────────────

#[test]
fn check_demo() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "rules/demo"]));
}

#[test]
fn check_explain_defaults_demo() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "rules/demo", "--explain-defaults"]));
}

#[test]
fn check_explain_defaults_tiny() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "check",
        "tests/cases/defaults/tiny.tamga",
        "--explain-defaults"
    ]));
}

#[test]
fn check_explain_defaults_tiny_in_russian() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "--lang",
        "ru",
        "check",
        "tests/cases/defaults/tiny.tamga",
        "--explain-defaults"
    ]));
}

#[test]
fn check_explain_defaults_as_json() {
    assert_cmd_snapshot!(tamga(&[
        "check",
        "tests/cases/defaults/tiny.tamga",
        "--explain-defaults",
        "--format",
        "json"
    ]));
}

#[test]
fn check_demo_entry_file() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "rules/demo/methodology.tamga"]));
}

#[test]
fn check_with_errors() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "check",
        "tests/cases/err/duplicate_question_and_indicator.tamga"
    ]));
}

#[test]
fn check_with_a_syntax_error() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "tests/cases/err/syntax_single_equals.tamga"]));
}

#[test]
fn check_with_warnings_only() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "check", "tests/cases/err/warn_zero_denominator.tamga"]));
}

#[test]
fn check_errors_as_json() {
    assert_cmd_snapshot!(tamga(&["check", "--format", "json", "tests/cases/err/unknown_name.tamga"]));
}

#[test]
fn check_demo_as_json() {
    assert_cmd_snapshot!(tamga(&["check", "--format", "json", "rules/demo"]));
}

#[test]
fn colour_always() {
    // the escape codes are there when asked for, even though stderr is not a terminal
    let out =
        tamga(&["--color", "always", "check", "tests/cases/err/unknown_name.tamga"]).output().expect("tamga runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\u{1b}["));
}

#[test]
fn colour_never_is_plain() {
    let out = tamga(&["--color", "never", "check", "tests/cases/err/unknown_name.tamga"]).output().expect("tamga runs");
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

// ───────────── eval ─────────────

#[test]
fn eval_demo_table() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "eval", "rules/demo", "examples/demo"]));
}

#[test]
fn eval_demo_table_in_russian() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "--lang", "ru", "eval", "rules/demo", "examples/demo"]));
}

#[test]
fn eval_demo_json() {
    insta::assert_snapshot!(transcript(&[
        "--color",
        "never",
        "eval",
        "rules/demo",
        "examples/demo",
        "--format",
        "json"
    ]));
}

#[test]
fn eval_one_period() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "eval",
        "rules/demo",
        "examples/demo/am-2023.json",
        "examples/demo/by-2023.json",
        "examples/demo/ru-2023.json"
    ]));
}

#[test]
fn eval_bad_submission() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "eval",
        "rules/demo",
        "tests/cases/submissions/am-2023-bad.json"
    ]));
}

#[test]
fn eval_methodology_with_errors() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "eval", "tests/cases/err/unknown_name.tamga", "examples/demo"]));
}

#[test]
fn eval_to_a_file() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-eval-out");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("result.json");
    let _ = std::fs::remove_file(&file);
    let file_arg = file.to_str().expect("UTF-8 path");
    let args = ["--color", "never", "eval", "rules/demo", "examples/demo", "--format", "json", "--out", file_arg];
    let out = tamga(&args).output().expect("tamga runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "with --out nothing goes to stdout");
    let written = std::fs::read_to_string(&file).expect("the result was written");
    let printed = tamga(&args[..7]).output().expect("tamga runs").stdout;
    assert_eq!(written.as_bytes(), printed.as_slice());
}

#[test]
fn exit_codes() {
    assert_eq!(exit_code(&["check", "rules/demo"]), 0);
    assert_eq!(exit_code(&["check", "tests/cases/err/warn_unused_question.tamga"]), 0);
    assert_eq!(exit_code(&["check", "tests/cases/err/bands_gap.tamga"]), 1);
    assert_eq!(exit_code(&["check", "tests/cases/err/syntax_missing_brace.tamga"]), 1);
    assert_eq!(exit_code(&["check", "no/such/dir"]), 2);
    assert_eq!(exit_code(&["check"]), 2);
    assert_eq!(exit_code(&["eval", "rules/demo", "examples/demo"]), 0);
    assert_eq!(exit_code(&["eval", "rules/demo", "tests/cases/submissions/am-2023-bad.json"]), 1);
    assert_eq!(exit_code(&["eval", "rules/demo", "no/such/file.json"]), 2);
    assert_eq!(exit_code(&["--help"]), 0);
    assert_eq!(exit_code(&["--version"]), 0);
    assert_eq!(exit_code(&["frobnicate"]), 2);
}

#[test]
fn validate_counts_the_required_answers_missing_per_state() {
    // a blank required answer is not "ok": the summary says how many each state left out
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "validate",
        "rules/demo",
        "examples/demo/kg-2023.json",
        "examples/demo/ru-2023.json"
    ]));
}

// ───────────── help of every command, completions, man page ─────────────

/// The names of tamga's sub-commands, from the command-line definition (so a new one is covered).
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    tamga::cli::Cli::command().get_subcommands().map(|c| c.get_name().to_string()).collect()
}

/// `tamga help <command>` prints the command's help, the same as `tamga <command> --help`, and
/// every command's help shows examples.
#[test]
fn help_of_every_command_has_examples() {
    let names = subcommands();
    assert!(names.len() >= 15, "{names:?}");
    for name in names.iter().filter(|n| *n != "help") {
        let out = tamga(&["help", name]).output().expect("tamga runs");
        assert_eq!(out.status.code(), Some(0), "tamga help {name}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("\nExamples:\n  tamga "), "`tamga help {name}` shows no examples:\n{help}");
        let long = tamga(&[name, "--help"]).output().expect("tamga runs");
        assert_eq!(String::from_utf8_lossy(&long.stdout), help, "tamga {name} --help");
    }
}

/// Every command that reads submissions names the formats it reads, Excel and CSV included.
#[test]
fn help_names_every_submission_format() {
    for name in ["eval", "validate", "report", "explain", "impact", "audit", "sensitivity"] {
        let help = String::from_utf8_lossy(&tamga(&["help", name]).output().expect("tamga runs").stdout).to_string();
        assert!(help.contains("Submission files (.json, .toml, .csv, .xlsx)"), "tamga help {name}:\n{help}");
    }
}

#[test]
fn bash_completions_name_every_command() {
    let out = tamga(&["completions", "bash"]).output().expect("tamga runs");
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(script.contains("_tamga()"), "{script}");
    for name in subcommands() {
        assert!(script.contains(&format!("tamga,{name})")), "bash completion lacks `{name}`");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = tamga(&["completions", shell]).output().expect("tamga runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("explain"), "{shell}");
    }
    assert_eq!(exit_code(&["completions", "tcsh"]), 2);
}

#[test]
fn man_page_is_roff_with_every_command() {
    let out = tamga(&["man"]).output().expect("tamga runs");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    // after clap_mangen's two-line preamble defining the quote string
    let first = page.lines().find(|l| !l.starts_with(".ie ") && !l.starts_with(".el ")).unwrap_or_default();
    assert!(first.starts_with(".TH tamga 1 "), "{}", &page[..page.len().min(200)]);
    assert!(page.contains("sensitivity"), "{page}");

    let dir = tempfile::tempdir().expect("a temp dir");
    let folder = dir.path().join("man1");
    let out = tamga(&["man", "--out", folder.to_str().expect("utf-8 path")]).output().expect("tamga runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for name in subcommands().iter().filter(|n| *n != "help") {
        let page = std::fs::read_to_string(folder.join(format!("tamga-{name}.1"))).expect("a page per command");
        assert!(page.contains(&format!(".TH tamga-{name} 1 ")), "tamga-{name}.1");
        assert!(page.contains("Examples:"), "tamga-{name}.1 has no examples");
    }
    assert!(folder.join("tamga.1").is_file());
}

/// Every example in the help parses as a tamga command line (options spelt as the command has them).
#[test]
fn examples_in_the_help_parse() {
    use clap::Parser;
    let mut n = 0;
    for name in subcommands().iter().filter(|n| *n != "help") {
        let help = String::from_utf8_lossy(&tamga(&["help", name]).output().expect("tamga runs").stdout).to_string();
        let examples = help.split("\nExamples:\n").nth(1).unwrap_or_default();
        for line in examples.lines().filter(|l| l.starts_with("  tamga ")) {
            // the command alone: no comment, no redirection, no pipe
            let command = line.split(['#', '>', '|']).next().unwrap_or_default();
            let mut words = vec![];
            for (i, part) in command.split('"').enumerate() {
                if i % 2 == 1 {
                    words.push(part.to_string());
                } else {
                    words.extend(part.split_whitespace().map(str::to_string));
                }
            }
            if let Err(e) = tamga::cli::Cli::try_parse_from(&words) {
                panic!("`tamga help {name}`: the example `{}` does not parse:\n{e}", line.trim());
            }
            n += 1;
        }
    }
    assert!(n >= 40, "only {n} examples");
}
