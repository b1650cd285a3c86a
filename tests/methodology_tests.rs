//! `tamga test`: the bundled methodologies pass the tests written beside their rules (this is how
//! `.ci/run`, which is `cargo test`, runs `tamga test` on them), and the runner reports a failing
//! case, a malformed test file and the comparison rule as docs/testing.md says.

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};
use std::path::{Path, PathBuf};
use std::process::Command;
use tamga::diagnostics::{has_errors, render, Style};
use tamga::report::Lang;
use tamga::testing::{self, number_matches, Num};

const STYLE: Style = Style { color: false, width: 100 };

/// `tamga` with these arguments, run from the crate root.
fn tamga(args: &[&str]) -> Command {
    let mut cmd = Command::new(get_cargo_bin("tamga"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.args(args);
    cmd
}

/// Every methodology under `rules/` that has a `tests` folder.
fn methodologies_with_tests() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("rules")
        .expect("rules/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("tests").is_dir())
        .collect();
    out.sort();
    out
}

#[test]
fn bundled_methodologies_pass_their_tests() {
    let all = methodologies_with_tests();
    assert!(all.iter().any(|p| p.ends_with("demo")), "rules/demo has tests");
    for path in all {
        let shown = path.display().to_string();
        let checked = tamga::check::check(&path);
        let (meth, _) = match checked.methodology() {
            Ok(x) => x,
            Err((sources, diags)) => panic!("{shown} does not check:\n{}", render(&diags, &sources, STYLE)),
        };
        let mut sources = meth.sources.clone();
        let (files, diags) = testing::load(&meth.model, &testing::tests_dir(&path), &mut sources);
        assert!(!has_errors(&diags), "{shown}: the test files have errors:\n{}", render(&diags, &sources, STYLE));
        let run = testing::run(&meth, &files, &mut sources, None);
        let report = testing::render_text(&run, &sources, Lang::En, true, STYLE);
        assert!(run.passed() > 0, "{shown}: no test cases");
        assert_eq!(run.failed(), 0, "{shown}: failing tests:\n{report}");
        // every area is exercised by some case
        assert!(run.coverage.untested_areas.is_empty(), "{shown}: areas no test touches:\n{report}");
    }
}

#[test]
fn a_failing_case_is_shown_with_its_derivation() {
    assert_cmd_snapshot!(tamga(&["--color", "never", "test", "tests/cases/test-fail"]));
}

#[test]
fn a_filtered_run_with_coverage() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "test",
        "tests/cases/test-fail",
        "--filter",
        "RELEASE",
        "--coverage"
    ]));
}

#[test]
fn a_failing_case_as_json() {
    let out = tamga(&["test", "tests/cases/test-fail", "--format", "json"]).output().expect("tamga runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["schema"], "tamga.test/1");
    assert_eq!(doc["passed"], 2);
    assert_eq!(doc["failed"], 3);
    let failure = &doc["cases"][1]["failures"][0];
    assert_eq!(failure["subject"], "inspections");
    assert_eq!(failure["expected"], "41.2");
    assert_eq!(failure["explanation"]["kind"], "indicator");
}

#[test]
fn a_malformed_test_file_is_reported_with_places_and_hints() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "test",
        "tests/cases/test-fail",
        "--tests",
        "tests/cases/test-fail/malformed"
    ]));
}

#[test]
fn the_demo_passes_from_the_command_line() {
    let out = tamga(&["test", "rules/demo"]).output().expect("tamga runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap_or("");
    assert!(last.ends_with(" passed, 0 failed"), "the closing line: {last}");
}

#[test]
fn check_warns_about_untested_indicators() {
    // the fixture's tests touch both indicators; a copy without tests touches none
    let dir = std::env::temp_dir().join(format!("tamga-untested-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy("tests/cases/test-fail/methodology.tamga", dir.join("methodology.tamga")).expect("copy");
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::write(
        dir.join("tests/one.toml"),
        "[[case]]\nname = \"release only\"\n[case.answers.AM]\nq05_release = 10\n[case.expect.AM]\nrelease = 10\n",
    )
    .expect("write");
    let out = tamga(&["--color", "never", "check", dir.to_str().expect("utf-8"), "--untested"]).output().expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "warnings only");
    assert!(stderr.contains("tamga::check::untested"), "{stderr}");
    assert!(stderr.contains("no test checks the indicator `inspections`"), "{stderr}");
    assert!(!stderr.contains("indicator `release`"), "{stderr}");
}

#[test]
fn eval_an_expression() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "eval",
        "rules/demo",
        "examples/demo/by-2023.json",
        "examples/demo/ru-2023.json",
        "--expr",
        "import_release <= 24 and inspection_share < union_mean(inspection_share)",
        "--explain"
    ]));
}

#[test]
fn eval_an_expression_with_a_typo() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "eval",
        "rules/demo",
        "examples/demo",
        "--expr",
        "q05_import_release_hour * 2"
    ]));
}

#[test]
fn explain_refuses_an_unknown_id() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "explain",
        "rules/demo",
        "examples/demo",
        "--state",
        "AM",
        "--period",
        "2023",
        "facilitaton"
    ]));
}

#[test]
fn explain_lists_the_states_of_the_period() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "explain",
        "rules/demo",
        "examples/demo",
        "--state",
        "UZ",
        "--period",
        "2023",
        "facilitation"
    ]));
}

#[test]
fn explain_asks_which_period() {
    assert_cmd_snapshot!(tamga(&[
        "--color",
        "never",
        "explain",
        "rules/demo",
        "examples/demo",
        "--state",
        "AM",
        "facilitation"
    ]));
}

/// The comparison rule of docs/testing.md, case by case.
#[test]
fn expected_numbers_compare_at_the_decimals_written() {
    let num = |text: &str| Num {
        value: text.replace('_', "").parse().expect("a number"),
        text: text.into(),
        decimals: testing::decimals_of(text),
    };
    let mode = tamga::number::Rounding::HalfAwayFromZero;
    let cases: &[(&str, f64, Option<f64>, bool)] = &[
        ("41.2", 41.2, None, true),
        ("41.2", 41.2499, None, true),
        ("41.2", 41.25, None, false),
        ("41.2", 41.15, None, true),
        ("41.2", 41.1499, None, false),
        ("41.25", 41.25, None, true),
        ("41.20", 41.2, None, true),
        ("41.20", 41.204, None, true),
        ("41.20", 41.205, None, false),
        ("75", 75.4, None, true),
        ("75", 75.5, None, false),
        ("7", 0.07 * 100.0, None, true),
        ("0.3", 0.1 + 0.2, None, true),
        ("-2.5", -2.45, None, true),
        ("41.2", 41.21, Some(0.01), true),
        ("41.2", 41.22, Some(0.01), false),
        ("60.5", 60.0, Some(0.5), true),
        ("60.5", 60.0, Some(0.1), false),
    ];
    for (text, actual, tol, want) in cases {
        assert_eq!(
            number_matches(*actual, &num(text), *tol, mode),
            *want,
            "{actual} against {text} (tolerance {tol:?})"
        );
    }
}

#[test]
fn the_demo_is_fully_covered() {
    let path = Path::new("rules/demo");
    let (meth, _) = tamga::check::check(path).methodology().unwrap_or_else(|_| panic!("checks"));
    let mut sources = meth.sources.clone();
    let (files, _) = testing::load(&meth.model, &testing::tests_dir(path), &mut sources);
    let run = testing::run(&meth, &files, &mut sources, None);
    let c = &run.coverage;
    assert!(c.untested_indicators.is_empty(), "{:?}", c.untested_indicators);
    assert!(c.bands_not_hit.is_empty(), "{:?}", c.bands_not_hit);
    assert!(c.unasserted_standards.is_empty(), "{:?}", c.unasserted_standards);
    assert!(c.unasserted_recommendations.is_empty(), "{:?}", c.unasserted_recommendations);
}

/// The cases written in docs/testing.md are valid test files of the demo, and pass.
#[test]
fn the_examples_of_the_documentation_pass() {
    let text = std::fs::read_to_string("docs/testing.md").expect("docs/testing.md");
    let blocks: Vec<&str> = text
        .split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .filter(|b| b.contains("[[case]]"))
        .collect();
    assert!(blocks.len() >= 2, "the documentation shows cases");
    let (meth, _) = tamga::check::check(Path::new("rules/demo")).methodology().unwrap_or_else(|_| panic!("checks"));
    for (k, block) in blocks.iter().enumerate() {
        let mut sources = meth.sources.clone();
        let (file, diags) = testing::load_text(
            &meth.model,
            &format!("docs/testing.md#{k}"),
            block,
            Path::new("rules/demo/tests"),
            &mut sources,
        );
        assert!(!has_errors(&diags), "block {k}:\n{}", render(&diags, &sources, STYLE));
        let run = testing::run(&meth, &[file], &mut sources, None);
        assert_eq!(run.failed(), 0, "block {k}:\n{}", testing::render_text(&run, &sources, Lang::En, false, STYLE));
    }
}

/// An expectation on an id written with a Cyrillic look-alike letter names the letter.
#[test]
fn a_lookalike_letter_in_an_expected_id_is_named() {
    let (meth, _) = tamga::check::check(Path::new("rules/demo")).methodology().unwrap_or_else(|_| panic!("checks"));
    let mut sources = meth.sources.clone();
    // `import_releasе` ends with a Cyrillic `е` (U+0435)
    let text = "[[case]]\nname = \"x\"\n[case.answers.AM]\nq05_import_release_hours = 20\n[case.expect.AM]\n\"import_releas\u{0435}\" = 20\n";
    let (_, diags) = testing::load_text(&meth.model, "t.toml", text, Path::new("rules/demo/tests"), &mut sources);
    let help = diags.iter().find_map(|d| d.help.clone()).unwrap_or_default();
    assert!(
        help.contains("the Cyrillic letter `е` (U+0435) that looks like the Latin `e`; did you mean `import_release`?"),
        "{}",
        render(&diags, &sources, STYLE)
    );
}
