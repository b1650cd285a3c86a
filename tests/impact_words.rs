//! `tamga impact` as a Board paper reads it: states, areas, standards and recommendations by
//! label, numbers in the report language's format (the decimal comma in Russian), the
//! recommendations that start or stop applying, the missing-data thresholds that moved, and each
//! warning about the submissions once, although both versions read them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// The index's policy in both versions: a weight-share threshold, whose number of areas moves
/// with the weights (the demo itself declares `zero(not_applicable: reweight)`).
fn share_threshold(text: &str) -> String {
    let index = text.find("index customs_index").expect("the demo's index");
    let at = index + text[index..].find("missing zero(not_applicable: reweight)").expect("the index's policy");
    format!("{}missing reweight(min: 50%){}", &text[..at], &text[at + "missing zero(not_applicable: reweight)".len()..])
}

/// The demo as the old version, its index re-weighting over half of the weight ([`share_threshold`]).
fn demo_v1(tmp: &Path) -> PathBuf {
    let dir = tmp.join("demo-0.1.0");
    copy_dir(Path::new("rules/demo"), &dir);
    let m = dir.join("methodology.tamga");
    let text = share_threshold(&std::fs::read_to_string(&m).expect("read"));
    std::fs::write(&m, text).expect("write");
    dir
}

/// The demo's next version: the facilitation area weighs 3 (was 2, which moves the index's
/// missing-data threshold), the release time is scored between 1 and 48 hours, and TF-1 asks
/// for 12 hours (was 24), so more states miss it and its recommendation applies to them.
fn demo_v2() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("demo");
    copy_dir(Path::new("rules/demo"), &dir);
    let m = dir.join("methodology.tamga");
    let text = share_threshold(&std::fs::read_to_string(&m).expect("read"))
        .replace("version \"0.1.0\"", "version \"0.2.0\"")
        .replace("  weight 2\n", "  weight 3\n")
        .replace("score goalposts(best: 2, worst: 72)", "score goalposts(best: 1, worst: 48)")
        .replace("requires import_release <= 24", "requires import_release <= 12");
    std::fs::write(&m, text).expect("write");
    (tmp, dir)
}

fn impact(lang: &str, new: &Path) -> (String, String) {
    let old = demo_v1(new.parent().expect("the temporary folder"));
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        // -v: every warning in full (the test counts them)
        .args(["--lang", lang, "-v", "impact"])
        .arg(&old)
        .arg(new)
        .arg("examples/demo")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tamga");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let text = text
        .lines()
        .map(|l| {
            if l.contains("0.2.0 (") && l.contains("demo") {
                "- [new version]"
            } else if l.contains("0.1.0 (") && l.contains("demo-0.1.0") {
                "- [old version]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    (text, String::from_utf8(out.stderr).expect("utf-8"))
}

#[test]
fn impact_in_russian_uses_labels_and_the_decimal_comma() {
    let (_tmp, dir) = demo_v2();
    let (text, stderr) = impact("ru", &dir);
    // states and areas by name, numbers with the decimal comma and a true minus
    assert!(text.contains("| Армения | 60,9 | "), "{text}");
    assert!(text.contains("| Упрощение процедур торговли |"), "{text}");
    assert!(text.contains("−"), "{text}");
    assert!(!text.contains("| AM |"), "{text}");
    assert!(!text.contains("facilitation`"), "{text}");
    // the standard by code and label, the recommendation by its text
    assert!(
        text.contains("TF-1 «Товары при импорте выпускаются в течение 24 часов»: выполнен → не выполнен"),
        "{text}"
    );
    assert!(text.contains("### Рекомендации, применимость которых изменилась"), "{text}");
    assert!(text.contains("«Сократить время выпуска при импорте: "), "{text}");
    assert!(text.contains("не применяется → применяется"), "{text}");
    // the moved missing-data threshold, by the index's label
    assert!(text.contains("## Изменившиеся пороги полноты данных"), "{text}");
    // each warning about the submissions once (both versions read the same files)
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.trim_start().starts_with('⚠')).collect();
    let mut unique = warnings.clone();
    unique.sort();
    unique.dedup();
    assert!(!warnings.is_empty(), "the demo's submissions have warnings: {stderr}");
    assert_eq!(warnings.len(), unique.len(), "a warning printed twice:\n{stderr}");
    insta::assert_snapshot!(text);
}

#[test]
fn impact_in_english_uses_labels() {
    let (_tmp, dir) = demo_v2();
    let (text, _) = impact("en", &dir);
    assert!(text.contains("| Armenia | 60.9 | "), "{text}");
    assert!(text.contains("### Recommendations that changed"), "{text}");
    assert!(text.contains("does not apply → applies"), "{text}");
    insta::assert_snapshot!(text);
}
