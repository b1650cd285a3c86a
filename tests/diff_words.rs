//! `tamga diff` as a Board paper reads it: added items in full (scoring rule, kind, requirement
//! and levels in words), weights with their share of the parent's weight, members by label; in
//! Russian and English, through the command line.

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

/// The demo's next version: the facilitation area weighs 3 (was 2), the release time is scored
/// between 1 and 48 hours (was 2 and 72), a graded standard TF-3 and a recommendation on it are
/// added.
fn demo_v2() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("demo");
    copy_dir(Path::new("rules/demo"), &dir);
    let m = dir.join("methodology.tamga");
    let text = std::fs::read_to_string(&m)
        .expect("read")
        .replace("version \"0.1.0\"", "version \"0.2.0\"")
        .replace("  weight 2\n", "  weight 3\n")
        .replace("score goalposts(best: 2, worst: 72)", "score goalposts(best: 1, worst: 48)")
        .replace(
            "recommend rec_release",
            "standard TF-3 {\n  en \"Imports are released within 6 hours\"\n  ru \"Выпуск при импорте в течение 6 часов\"\n  \
             kind recommended\n  requires import_release <= 6\n  level basic: import_release <= 12\n  \
             level leading: import_release <= 2\n}\n\n\
             recommend rec_release_6h when not met(TF-3) and inspection_share > 10 {\n  en \"Release within six hours.\"\n  \
             ru \"Выпускать товары в течение шести часов.\"\n}\n\nrecommend rec_release",
        );
    std::fs::write(&m, text).expect("write");
    (tmp, dir)
}

fn diff(lang: &str, new: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(["--lang", lang, "diff", "rules/demo"])
        .arg(new)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tamga");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    // the temporary folder's name and the fingerprint change from run to run
    text.lines()
        .map(|l| if l.starts_with("- на: ") || l.starts_with("- to: ") { "- [new version]" } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn diff_in_russian_reads_as_words() {
    let (_tmp, dir) = demo_v2();
    let text = diff("ru", &dir);
    // the scoring rule in words, old and new
    assert!(
        text.contains("правило оценки: нормирование по целевым значениям: лучшее 2\u{a0}ч, худшее 72\u{a0}ч → нормирование по целевым значениям: лучшее 1\u{a0}ч, худшее 48\u{a0}ч"),
        "{text}"
    );
    // the weight with its share of the parent's weight
    assert!(text.contains("вес: 2 (50\u{a0}% веса «"), "{text}");
    assert!(text.contains("→ 3 (60\u{a0}% веса «"), "{text}");
    // the added standard in full: kind, requirement and levels in words
    assert!(text.contains("**добавлено** Выпуск при импорте в течение 6 часов (`TF-3`)"), "{text}");
    assert!(text.contains("вид: рекомендуемая практика"), "{text}");
    assert!(text.contains("требование: Среднее время выпуска товаров при импорте — не более 6\u{a0}ч"), "{text}");
    assert!(
        text.contains("уровни: базовый: Среднее время выпуска товаров при импорте — не более 12\u{a0}ч; передовой: "),
        "{text}"
    );
    // the added recommendation's condition in words
    assert!(text.contains("условие: не выполнен стандарт TF-3 «Выпуск при импорте в течение 6 часов»; и "), "{text}");
    // a chapter's members by label
    assert!(!text.contains("import_release <="), "{text}");
    assert!(!text.contains("goalposts("), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn diff_in_english_reads_as_words() {
    let (_tmp, dir) = demo_v2();
    let text = diff("en", &dir);
    assert!(text.contains("weight: 2 (50\u{a0}% of the weight of «"), "{text}");
    assert!(text.contains("requires: Average time to release imports — at most 6\u{a0}h"), "{text}");
    assert!(!text.contains("goalposts("), "{text}");
    insta::assert_snapshot!(text);
}
