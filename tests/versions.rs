//! Versions for Board approval: fingerprint invariance and sensitivity, the manifest, `approve`
//! and the lock, `fmt`, `diff` and `impact`.

use std::path::{Path, PathBuf};
use tamga::check::{check, check_text};
use tamga::diagnostics::{has_errors, render, Code, Style};
#[path = "support/skip.rs"]
mod skip;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// A copy of the demo methodology in a temporary folder, with a draft manifest and its test cases
/// (their submission files still read from the repository's `examples/demo`).
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("demo");
    copy_dir(Path::new("rules/demo"), &dir);
    let examples = std::fs::canonicalize("examples/demo").expect("examples");
    std::fs::create_dir_all(dir.join("tests")).expect("mkdir");
    for e in std::fs::read_dir("rules/demo/tests").expect("read dir").flatten() {
        let text = std::fs::read_to_string(e.path()).expect("read");
        let text = text.replace("../../../examples/demo", &examples.to_string_lossy().replace('\\', "/"));
        std::fs::write(dir.join("tests").join(e.file_name()), text).expect("write");
    }
    std::fs::write(
        dir.join("methodology.toml"),
        "# the demo's manifest\nid = \"eaeu_demo\"\nversion = \"0.1.0\"\nstatus = \"draft\"\nauthors = [\"tamga tests\"]\n",
    )
    .expect("manifest");
    (tmp, dir)
}

fn fingerprint(text: &str) -> String {
    let c = check_text("m.tamga", text);
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    c.fingerprint.expect("fingerprint")
}

fn run(args: &[&str]) -> i32 {
    tamga::cli::run(std::iter::once("tamga").chain(args.iter().copied()).map(Into::into))
}

const BASE: &str = r#"methodology m { en "M" ru "М" version "1" }
question q : hours { en "Q" ru "В" }
question c : count in 1.. { en "C" ru "С" }
area a { en "A" ru "Н"
  indicator i = q / c { en "I" ru "И" score goalposts(best: 1, worst: 10) weight 1 }
}
standard S-1 { en "S" ru "С" requires i <= 5 }
recommend r when not met(S-1) { en "Do" ru "Сделать" }
"#;

#[test]
fn fingerprint_ignores_layout_comments_and_declaration_order() {
    let base = fingerprint(BASE);
    let reordered = r#"# a comment
recommend r when not met(S-1) { en "Do" ru "Сделать" }   # trailing
standard S-1 { ru "С"  en "S"  requires i<=5 }
question c : count in 1.. { ru "С" en "C" }
area a {
  en "A"
  ru "Н"

  indicator i = (q / c) {
    en "I" ru "И"
    weight 1
    score goalposts(best: 1, worst: 10)
  }
}
question q : hours { en "Q" ru "В" }
methodology m { version "1" en "M" ru "М" }
"#;
    assert_eq!(base, fingerprint(reordered));
}

#[test]
fn fingerprint_changes_with_every_kind_of_change() {
    let base = fingerprint(BASE);
    let changes = [
        ("a label", r#"en "I" ru "И""#, r#"en "Indicator" ru "И""#),
        ("a Russian label", r#"ru "Сделать""#, r#"ru "Сделать немедленно""#),
        ("a formula", "q / c", "q / c * 2"),
        ("a scoring rule", "goalposts(best: 1, worst: 10)", "goalposts(best: 1, worst: 12)"),
        ("a score's outside_scale", "score goalposts", "outside_scale clamp score goalposts"),
        ("a weight", "weight 1", "weight 2"),
        ("an aggregation", r#"area a { en "A" ru "Н""#, r#"area a { en "A" ru "Н" aggregate geometric"#),
        ("a missing policy", r#"area a { en "A" ru "Н""#, r#"area a { en "A" ru "Н" missing zero"#),
        ("a range", "in 1..", "in 0.."),
        ("a question type", "q : hours", "q : number"),
        ("a requirement", "i <= 5", "i <= 4"),
        ("a condition", "not met(S-1)", "met(S-1)"),
        ("the version", r#"version "1""#, r#"version "2""#),
    ];
    for (what, from, to) in changes {
        assert!(BASE.contains(from), "{what}: `{from}` not in the base");
        let changed = BASE.replacen(from, to, 1);
        assert_ne!(base, fingerprint(&changed), "changing {what} must change the fingerprint");
    }
}

#[test]
fn diff_names_a_change_of_outside_scale() {
    let meth = |text: &str| check_text("m.tamga", text).methodology().map_err(|_| "errors").expect("checks").0;
    let old = meth(BASE);
    let new = meth(&BASE.replacen("score goalposts", "outside_scale clamp score goalposts", 1));
    let d = tamga::version::diff::diff("old", &old, "new", &new);
    let text = tamga::version::diff::to_text(&d, tamga::report::Lang::En);
    assert!(text.contains("outside_scale") && text.contains("clamp"), "{text}");
}

#[test]
fn fingerprint_of_a_folder_is_unchanged_by_fmt() {
    let (_tmp, dir) = demo_copy();
    // make the layout untidy first
    let q = dir.join("questions.tamga");
    let text = std::fs::read_to_string(&q).expect("read").replace("  en ", "      en ").replace("\n\n", "\n\n\n");
    std::fs::write(&q, text).expect("write");
    let before = check(&dir).fingerprint.expect("fingerprint");
    assert_eq!(run(&["fmt", "--check", dir.to_str().expect("utf8")]), 1, "untidy files are reported");
    assert_eq!(run(&["fmt", dir.to_str().expect("utf8")]), 0);
    assert_eq!(run(&["fmt", "--check", dir.to_str().expect("utf8")]), 0, "fmt is idempotent");
    assert_eq!(before, check(&dir).fingerprint.expect("fingerprint"));
}

#[test]
fn approve_then_an_edit_is_an_error_naming_the_file() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(
        run(&["approve", d, "--decision", "Decision No. 12", "--date", "2025-03-01", "--effective-from", "2025-04-01"]),
        0
    );
    let c = check(&dir);
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    let m = c.manifest.expect("manifest");
    assert_eq!(m.status, tamga::version::Status::Approved);
    assert_eq!(m.approval.expect("approval").decision, "Decision No. 12");
    let manifest = std::fs::read_to_string(dir.join("methodology.toml")).expect("manifest");
    assert!(manifest.starts_with("# the demo's manifest"), "approve keeps the manifest's comments:\n{manifest}");
    // a comment or a new layout is not a change of the approved methodology
    let q = dir.join("questions.tamga");
    let original = std::fs::read_to_string(&q).expect("read");
    std::fs::write(&q, format!("# reviewed 2025\n{original}")).expect("write");
    assert!(!has_errors(&check(&dir).diags), "a comment does not break the lock");
    // a change of meaning in an included file is an error that names it
    std::fs::write(&q, original.replace("in 0..=8760", "in 0..=1000")).expect("write");
    let c = check(&dir);
    let lock_errors: Vec<_> = c.diags.iter().filter(|d| d.code == Code::Lock).collect();
    assert_eq!(lock_errors.len(), 1, "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    assert!(lock_errors[0].message.contains("questions.tamga` was changed"), "{}", lock_errors[0].message);
    assert!(lock_errors[0].help.as_deref().unwrap_or("").contains("raise `version`"));
    assert!(c.model.is_none(), "an edited approved methodology cannot be used");
    // the other file is not named
    assert!(!lock_errors[0].message.contains("methodology.tamga` was changed"));
}

#[test]
fn official_results_need_an_approved_methodology() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(run(&["eval", "--official", d, "examples/demo"]), 1, "a draft is refused");
    assert_eq!(run(&["approve", d, "--decision", "Decision No. 12", "--date", "2025-03-01"]), 0);
    assert_eq!(
        run(&[
            "eval",
            "--official",
            d,
            "examples/demo",
            "--format",
            "json",
            "--out",
            dir.join("r.json").to_str().expect("utf8")
        ]),
        0
    );
}

#[test]
fn approve_refuses_a_methodology_with_errors_or_bad_arguments() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(run(&["approve", d, "--decision", "No. 1", "--date", "2025-02-30"]), 2, "not a date");
    let m = dir.join("methodology.tamga");
    let text = std::fs::read_to_string(&m).expect("read");
    std::fs::write(&m, text.replace("score goalposts(best: 2, worst: 72)", "score goalposts(best: 2, worst: 2)"))
        .expect("write");
    assert_eq!(run(&["approve", d, "--decision", "No. 1", "--date", "2025-03-01"]), 1);
    assert!(!dir.join("methodology.lock").exists(), "no lock for a methodology with errors");
}

#[test]
fn manifest_must_agree_with_the_rules() {
    let (_tmp, dir) = demo_copy();
    std::fs::write(dir.join("methodology.toml"), "id = \"eaeu_demo\"\nversion = \"0.2.0\"\nstatus = \"approved\"\n")
        .expect("write");
    let c = check(&dir);
    let msgs: Vec<String> = c.diags.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
    assert!(msgs.iter().any(|m| m.contains("version `0.2.0`")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("approval record")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("has no lock")), "{msgs:?}");
}

fn demo_v2(dir: &Path) {
    let m = dir.join("methodology.tamga");
    let text = std::fs::read_to_string(&m).expect("read")
        .replace("version \"0.1.0\"", "version \"0.2.0\"")
        .replace("  weight 2\n", "  weight 3\n")
        .replace("score goalposts(best: 2, worst: 72)", "score goalposts(best: 1, worst: 48)")
        .replace("recommend rec_release", "standard TF-3 {\n  en \"Imports are released within 6 hours\"\n  ru \"Выпуск при импорте в течение 6 часов\"\n  requires import_release <= 6\n}\n\nrecommend rec_release");
    std::fs::write(&m, text).expect("write");
    std::fs::write(dir.join("methodology.toml"), "id = \"eaeu_demo\"\nversion = \"0.2.0\"\nstatus = \"draft\"\n")
        .expect("manifest");
}

#[test]
fn diff_and_impact_between_two_versions() {
    let (_tmp, dir) = demo_copy();
    demo_v2(&dir);
    let old = check(Path::new("rules/demo")).methodology().expect("old").0;
    let new = check(&dir).methodology().expect("new").0;
    let d = tamga::version::diff::diff("rules/demo", &old, "demo-0.2.0", &new);
    insta::assert_snapshot!("diff_demo_en", tamga::version::diff::to_text(&d, tamga::report::Lang::En));
    insta::assert_snapshot!("diff_demo_ru", tamga::version::diff::to_text(&d, tamga::report::Lang::Ru));
    insta::assert_json_snapshot!("diff_demo_json", d);
    let mut outs = vec![];
    for m in [&old, &new] {
        let mut s = m.sources.clone();
        let (data, diags) = tamga::data::load(&m.model, &[PathBuf::from("examples/demo")], &mut s);
        assert!(!has_errors(&diags));
        outs.push(tamga::eval::evaluate(&m.model, &data));
    }
    let side = |spec: &str, m| tamga::version::diff::Side::of(spec, m);
    let im = tamga::version::impact::impact(
        side("rules/demo", &old),
        &old.model,
        &outs[0],
        side("demo-0.2.0", &new),
        &new.model,
        &outs[1],
    );
    insta::assert_snapshot!("impact_demo_md", tamga::version::impact::to_markdown(&im, tamga::report::Lang::En));
    // issue #14, item 9: the Russian impact writes decimal commas, true minus signs and н/д
    insta::assert_snapshot!("impact_demo_md_ru", tamga::version::impact::to_markdown(&im, tamga::report::Lang::Ru));
    insta::assert_json_snapshot!("impact_demo_json", im);
}

#[test]
fn a_git_revision_can_be_checked() {
    // the demo as committed at HEAD (CI runs on a fresh clone, so HEAD has it)
    let inside_git = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !inside_git {
        skip::skip("a_git_revision_can_be_checked", "not in a git checkout, or git not on PATH");
        return;
    }
    let c = check(Path::new("git:HEAD:rules/demo"));
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    assert!(c.sources.files()[0].name.starts_with("git:HEAD:rules/demo/"), "{}", c.sources.files()[0].name);
    let c = check(Path::new("git:HEAD:rules/no-such"));
    assert!(c.diags.iter().any(|d| d.code == Code::Io));
}

fn lock_of(dir: &Path) -> tamga::version::Lock {
    let text = std::fs::read_to_string(dir.join("methodology.lock")).expect("lock");
    tamga::version::Lock::parse("methodology.lock", &text).expect("parse lock")
}

fn lock_errors(dir: &Path) -> Vec<String> {
    let c = check(dir);
    c.diags.iter().filter(|d| d.is_error() && d.code == Code::Lock).map(|d| d.message.clone()).collect()
}

#[test]
fn approve_runs_the_methodologys_tests_and_the_lock_records_the_count() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01"]), 0);
    let lock = lock_of(&dir);
    // as many as `tamga test` runs, all passed
    let (meth, _) = check(&dir).methodology().map_err(|_| "errors").expect("checks");
    let mut sources = meth.sources.clone();
    let (files, _) = tamga::testing::load(&meth.model, &dir.join("tests"), &mut sources);
    let cases: usize = files.iter().map(|f| f.cases.len()).sum();
    assert!(cases > 20, "the demo has its cases: {cases}");
    assert_eq!((lock.tests_passed, lock.tests_total), (cases, cases));
}

#[test]
fn approve_refuses_a_methodology_whose_tests_fail() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    let t = dir.join("tests/facilitation.toml");
    let text = std::fs::read_to_string(&t).expect("read");
    assert!(text.contains("\"score(import_release)\" = 73.6"));
    std::fs::write(&t, text.replace("\"score(import_release)\" = 73.6", "\"score(import_release)\" = 73.7"))
        .expect("write");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01"]), 1);
    assert!(!dir.join("methodology.lock").exists(), "no lock when a test fails");
    let manifest = std::fs::read_to_string(dir.join("methodology.toml")).expect("manifest");
    assert!(manifest.contains("status = \"draft\""), "the manifest is untouched:\n{manifest}");
    // a test file with errors is refused too
    std::fs::write(&t, "[[case]]\nname = \"broken\"\n[case.expect.AM]\nno_such_indicator = 1\n").expect("write");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01"]), 1);
    assert!(!dir.join("methodology.lock").exists());
}

#[test]
fn approve_without_tests_needs_the_explicit_flag() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    std::fs::remove_dir_all(dir.join("tests")).expect("rm tests");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01"]), 1, "no tests: refused");
    assert!(!dir.join("methodology.lock").exists());
    // an empty tests folder is no better
    std::fs::create_dir_all(dir.join("tests")).expect("mkdir");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01"]), 1, "no cases: refused");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01", "--without-tests"]), 0);
    let lock = lock_of(&dir);
    assert_eq!((lock.tests_passed, lock.tests_total), (0, 0));
}

#[test]
fn a_lock_edited_by_hand_is_an_error() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01"]), 0);
    assert!(lock_errors(&dir).is_empty());
    let lpath = dir.join("methodology.lock");
    let approved = std::fs::read_to_string(&lpath).expect("lock");
    let lock = lock_of(&dir);
    // a rule edited, and the new fingerprint pasted into the lock: the lock disagrees with itself
    let m = dir.join("methodology.tamga");
    let rules = std::fs::read_to_string(&m).expect("read");
    std::fs::write(&m, rules.replace("score goalposts(best: 2, worst: 72)", "score goalposts(best: 2, worst: 96)"))
        .expect("write");
    let edited = check(&dir).fingerprint.expect("fingerprint");
    assert_ne!(edited, lock.fingerprint);
    std::fs::write(&lpath, approved.replace(&lock.fingerprint, &edited)).expect("write");
    let errors = lock_errors(&dir);
    assert!(errors.iter().any(|e| e.contains("edited by hand")), "{errors:?}");
    assert!(check(&dir).model.is_none(), "a tampered lock makes the methodology unusable");
    // a per-file hash changed, the rules as approved
    std::fs::write(&m, &rules).expect("write");
    let (name, f) = lock.files.first().expect("a file");
    assert!(approved.contains(&f.canonical), "{name}");
    std::fs::write(&lpath, approved.replace(&f.canonical, &"0".repeat(64))).expect("write");
    assert!(lock_errors(&dir).iter().any(|e| e.contains("edited by hand")));
    // the test count raised by hand
    let count = format!("tests_passed = {}", lock.tests_passed);
    std::fs::write(&lpath, approved.replace(&count, &format!("tests_passed = {}", lock.tests_passed + 1)))
        .expect("write");
    assert!(lock_errors(&dir).iter().any(|e| e.contains("edited by hand")));
    // the lock as approve wrote it is accepted
    std::fs::write(&lpath, &approved).expect("write");
    assert!(lock_errors(&dir).is_empty());
    // the manifest's decision edited: it no longer agrees with the lock
    let mpath = dir.join("methodology.toml");
    let manifest = std::fs::read_to_string(&mpath).expect("manifest");
    std::fs::write(&mpath, manifest.replace("decision = \"No. 12\"", "decision = \"No. 13\"")).expect("write");
    let errors = lock_errors(&dir);
    assert!(errors.iter().any(|e| e.contains("disagrees with the lock (No. 12, 2025-03-01)")), "{errors:?}");
}

/// Writes the result of `eval --official … --format json` for these arguments; (exit code, JSON).
fn official_json(extra: &[&str], dir: &Path, subs: &[&str]) -> (i32, serde_json::Value) {
    let out = dir.parent().expect("parent").join("r.json");
    let _ = std::fs::remove_file(&out);
    let mut args = vec!["eval", "--official"];
    args.extend_from_slice(extra);
    args.push(dir.to_str().expect("utf8"));
    args.extend_from_slice(subs);
    args.extend_from_slice(&["--format", "json", "--out", out.to_str().expect("utf8")]);
    let code = run(&args);
    let json = std::fs::read_to_string(&out).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    (code, json)
}

#[test]
fn official_results_refuse_periods_before_effective_from() {
    let (_tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01", "--effective-from", "2023"]), 0);
    // 2022 precedes 2023: refused, nothing written
    let (code, json) = official_json(&[], &dir, &["examples/demo"]);
    assert_eq!(code, 1);
    assert!(json.is_null(), "no output for a refused period");
    // the periods from 2023 on are official
    let (code, json) = official_json(&[], &dir, &["examples/demo/am-2023.json", "examples/demo/by-2023.json"]);
    assert_eq!(code, 0);
    assert!(json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .all(|w| w["code"] != "tamga::official::earlier_period"));
    // on purpose: evaluated, and the output says so
    let (code, json) = official_json(&["--allow-earlier-periods"], &dir, &["examples/demo"]);
    assert_eq!(code, 0);
    let notes: Vec<&serde_json::Value> = json["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["code"] == "tamga::official::earlier_period")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["period"], "2022");
    assert!(notes[0]["message"].as_str().unwrap_or("").contains("--allow-earlier-periods"));
    // without --official the flag makes no sense
    assert_eq!(run(&["eval", "--allow-earlier-periods", d, "examples/demo"]), 2);
    // `report --official` the same: refused, then written with the warning in its data quality
    let out = dir.parent().expect("parent").join("report");
    let o = out.to_str().expect("utf8");
    assert_eq!(run(&["report", "--official", d, "examples/demo", "--out", o, "--format", "md"]), 1);
    assert!(!out.join("report.md").exists(), "nothing written for a refused period");
    assert_eq!(
        run(&["report", "--official", "--allow-earlier-periods", d, "examples/demo", "--out", o, "--format", "md"]),
        0
    );
    let md = std::fs::read_to_string(out.join("report.md")).expect("report");
    assert!(md.contains("evaluated anyway (--allow-earlier-periods)"), "the report says so");
}

#[test]
fn effective_from_as_a_date_and_periods_that_cannot_be_placed() {
    let (tmp, dir) = demo_copy();
    let d = dir.to_str().expect("utf8");
    assert_eq!(
        run(&["approve", d, "--decision", "No. 12", "--date", "2025-03-01", "--effective-from", "2023-04-01"]),
        0
    );
    // the year 2023 starts before 1 April 2023
    let (code, _) = official_json(&[], &dir, &["examples/demo/am-2023.json"]);
    assert_eq!(code, 1);
    // a period named `pilot` cannot be compared with a date
    let text = std::fs::read_to_string("examples/demo/am-2023.json").expect("read").replace("\"2023\"", "\"pilot\"");
    let pilot = tmp.path().join("am-pilot.json");
    std::fs::write(&pilot, text).expect("write");
    let (code, _) = official_json(&[], &dir, &[pilot.to_str().expect("utf8")]);
    assert_eq!(code, 1);
    let (code, json) = official_json(&["--allow-earlier-periods"], &dir, &[pilot.to_str().expect("utf8")]);
    assert_eq!(code, 0);
    assert!(json["warnings"].to_string().contains("cannot be compared"), "{}", json["warnings"]);
    // in the manifest, an effective_from that is neither a date nor a period is an error
    let mpath = dir.join("methodology.toml");
    let manifest = std::fs::read_to_string(&mpath).expect("manifest").replace("2023-04-01", "spring 2023");
    std::fs::write(&mpath, manifest).expect("write");
    let c = check(&dir);
    assert!(c.diags.iter().any(|d| d.is_error() && d.message.contains("neither a date nor a period")));
    assert_eq!(run(&["approve", d, "--decision", "No. 1", "--date", "2025-03-01", "--effective-from", "May"]), 2);
}
