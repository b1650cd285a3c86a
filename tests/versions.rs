//! Versions for Board approval: fingerprint invariance and sensitivity, the manifest, `approve`
//! and the lock, `fmt`, `diff` and `impact`.

use std::path::{Path, PathBuf};
use tamga::check::{check, check_text};
use tamga::diagnostics::{has_errors, render, Code, Style};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// A copy of the demo methodology in a temporary folder, with a draft manifest.
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("demo");
    copy_dir(Path::new("rules/demo"), &dir);
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
        eprintln!("skipped: not in a git checkout");
        return;
    }
    let c = check(Path::new("git:HEAD:rules/demo"));
    assert!(!has_errors(&c.diags), "{}", render(&c.diags, &c.sources, Style { color: false, width: 100 }));
    assert!(c.sources.files()[0].name.starts_with("git:HEAD:rules/demo/"), "{}", c.sources.files()[0].name);
    let c = check(Path::new("git:HEAD:rules/no-such"));
    assert!(c.diags.iter().any(|d| d.code == Code::Io));
}
