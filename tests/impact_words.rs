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

/// The demo with two scenarios: the facilitation area weighing 1 (its weight is 2), and the index
/// a geometric mean.
fn demo_with_scenarios(tmp: &Path) -> PathBuf {
    let dir = tmp.join("demo");
    copy_dir(Path::new("rules/demo"), &dir);
    let m = dir.join("methodology.tamga");
    let mut text = std::fs::read_to_string(&m).expect("read");
    text.push_str(
        "\nscenario light_facilitation {\n  en \"Facilitation weighs 1\"\n  ru \"Вес упрощения процедур 1\"\n  \
         area facilitation { weight 1 }\n}\n\
         scenario geometric {\n  en \"Geometric index\"\n  ru \"Геометрический индекс\"\n  \
         area customs_index { aggregate geometric }\n}\n",
    );
    std::fs::write(&m, text).expect("write");
    dir
}

fn tamga(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tamga")
}

/// `tamga impact <methodology> --scenario <id> <data> --format json`.
fn impact_of_scenario(methodology: &std::ffi::OsStr, id: &str, data: &std::ffi::OsStr) -> serde_json::Value {
    let os = std::ffi::OsStr::new;
    json(&tamga(&[os("impact"), methodology, os("--scenario"), os(id), data, os("--format"), os("json")]))
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// `impact --scenario` is the impact of the version that makes the scenario's change: the same
/// scores, ranks and verdicts as comparing the methodology with a copy whose facilitation area
/// weighs 1, computed the other way (two versions read and evaluated apart).
#[test]
fn impact_of_a_scenario_equals_the_impact_of_the_version_that_makes_its_change() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = demo_with_scenarios(tmp.path());
    let changed = tmp.path().join("changed");
    copy_dir(&dir, &changed);
    let m = changed.join("methodology.tamga");
    let text = std::fs::read_to_string(&m).expect("read");
    let at = text.find("area facilitation {").expect("the area");
    let weight = at + text[at..].find("  weight 2\n").expect("its weight");
    std::fs::write(&m, format!("{}  weight 1\n{}", &text[..weight], &text[weight + "  weight 2\n".len()..]))
        .expect("write");
    let os = |s: &str| std::ffi::OsString::from(s);
    let by_scenario = impact_of_scenario(dir.as_os_str(), "light_facilitation", &os("examples/demo"));
    let by_versions = json(&tamga(&[
        &os("impact"),
        dir.as_os_str(),
        changed.as_os_str(),
        &os("examples/demo"),
        &os("--format"),
        &os("json"),
    ]));
    assert_eq!(by_scenario["new"]["scenario"], "light_facilitation");
    assert!(by_scenario["old"].get("scenario").is_none(), "{}", by_scenario["old"]);
    assert_eq!(by_scenario["old"]["fingerprint"], by_scenario["new"]["fingerprint"], "one methodology");
    assert!(!by_scenario["periods"].as_array().expect("periods").is_empty());
    assert_eq!(by_scenario["periods"], by_versions["periods"]);
    // and something moves: the facilitation area's weight changes the index of some state
    let moved = by_scenario["periods"][0]["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["index"]["change"].as_f64().is_some_and(|c| c != 0.0))
        .count();
    assert!(moved > 0, "{}", by_scenario["periods"][0]);
}

/// The ranks `impact --scenario` gives are the scenario's ranks of `eval --format json`.
#[test]
fn impact_of_a_scenario_ranks_as_eval_does() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = demo_with_scenarios(tmp.path());
    let os = |s: &str| std::ffi::OsString::from(s);
    let im = impact_of_scenario(dir.as_os_str(), "geometric", &os("examples/demo"));
    let ev = json(&tamga(&[&os("eval"), dir.as_os_str(), &os("examples/demo"), &os("--format"), &os("json")]));
    let sc = ev["scenarios"].as_array().expect("scenarios").iter().find(|s| s["id"] == "geometric").expect("geometric");
    let mut compared = 0;
    for (p, sp) in im["periods"].as_array().expect("periods").iter().zip(sc["periods"].as_array().expect("periods")) {
        for r in sp["results"].as_array().expect("results") {
            let u = p["units"].as_array().expect("units").iter().find(|u| u["unit"] == r["unit"]).expect("the unit");
            assert_eq!(u["rank"]["old"].as_f64(), r["base_rank"].as_f64(), "{u} {r}");
            assert_eq!(u["rank"]["new"].as_f64(), r["rank"].as_f64(), "{u} {r}");
            compared += 1;
        }
    }
    assert!(compared >= 5, "{compared}");
}

#[test]
fn impact_of_a_scenario_in_russian_names_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = demo_with_scenarios(tmp.path());
    let os = |s: &str| std::ffi::OsString::from(s);
    let out = tamga(&[
        &os("--lang"),
        &os("ru"),
        &os("impact"),
        dir.as_os_str(),
        &os("--scenario"),
        &os("light_facilitation"),
        &os("examples/demo"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("→ 0.1.0 (сценарий `light_facilitation`)"), "{text}");
    assert!(text.contains("| Индекс 0.1.0 | Индекс 0.1.0 (сценарий `light_facilitation`) |"), "{text}");
}

/// A diagnostic's words, whatever the width it was wrapped to.
fn words(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr).split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ")
}

#[test]
fn impact_of_an_unknown_scenario_or_of_two_versions_with_a_scenario_says_what_to_write() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = demo_with_scenarios(tmp.path());
    let os = |s: &str| std::ffi::OsString::from(s);
    let out = tamga(&[&os("impact"), dir.as_os_str(), &os("--scenario"), &os("geometrik"), &os("examples/demo")]);
    assert_eq!(out.status.code(), Some(2));
    let err = words(&out.stderr);
    assert!(err.contains("declares no scenario `geometrik`") && err.contains("did you mean `geometric`?"), "{err}");
    let out = tamga(&[
        &os("--lang"),
        &os("ru"),
        &os("impact"),
        dir.as_os_str(),
        &os("--scenario"),
        &os("geometric"),
        dir.as_os_str(),
        &os("examples/demo"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = words(&out.stderr);
    assert!(err.contains("при `--scenario` после методики указываются только представления"), "{err}");
    let out =
        tamga(&[&os("impact"), Path::new("rules/demo").as_os_str(), &os("--scenario"), &os("x"), &os("examples/demo")]);
    assert_eq!(out.status.code(), Some(2));
    let err = words(&out.stderr);
    assert!(err.contains("the methodology declares no `scenario`"), "{err}");
}

/// `examples/asem/scenarios.tamga`: under `geometric_index` each state's index is the geometric
/// mean of its two sub-indices as the methodology computes them, √(conn · sust), computed here by
/// hand from `eval`'s area scores; the old side is the methodology's own index.
#[test]
fn impact_of_the_asem_geometric_scenario_is_the_geometric_mean_of_the_sub_indices() {
    let os = |s: &str| std::ffi::OsString::from(s);
    let meth = os("examples/asem/scenarios.tamga");
    let data = os("examples/asem/asem.csv");
    let im = impact_of_scenario(&meth, "geometric_index", &data);
    let ev = json(&tamga(&[&os("eval"), &meth, &data, &os("--format"), &os("json")]));
    let results = ev["periods"][0]["results"].as_array().expect("results");
    let units = im["periods"][0]["units"].as_array().expect("units");
    assert_eq!(units.len(), results.len());
    let mut worst: f64 = 0.0;
    let mut moved = 0;
    for r in results {
        let u = units.iter().find(|u| u["unit"] == r["unit"]).expect("the unit");
        let (conn, sust) =
            (r["areas"]["conn"]["value"].as_f64().expect("conn"), r["areas"]["sust"]["value"].as_f64().expect("sust"));
        let geo = (conn * sust).sqrt();
        worst = worst.max((u["index"]["new"].as_f64().expect("new") - geo).abs() / geo);
        assert_eq!(u["index"]["old"].as_f64(), r["index"]["value"].as_f64(), "{u}");
        moved += usize::from(u["rank"]["old"] != u["rank"]["new"]);
    }
    assert!(worst < 1e-13, "relative difference {worst:e}");
    assert!(moved > 0, "the geometric mean moves some ranks");
}

/// A scenario's weights move a weight-share threshold as a version's do: the demo's index needs
/// half of its weight present, and a scenario giving facilitation weight 3 (was 2) changes how
/// many areas that takes; `impact --scenario` lists it as `impact` of the version does.
#[test]
fn impact_of_a_scenario_lists_the_thresholds_its_weights_move() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = demo_v1(tmp.path());
    let m = dir.join("methodology.tamga");
    let mut text = std::fs::read_to_string(&m).expect("read");
    text.push_str("\nscenario heavy {\n  en \"Facilitation weighs 3\"\n  ru \"Вес упрощения 3\"\n  area facilitation { weight 3 }\n}\n");
    std::fs::write(&m, text).expect("write");
    let os = |s: &str| std::ffi::OsString::from(s);
    let im = impact_of_scenario(dir.as_os_str(), "heavy", &os("examples/demo"));
    let shifts = im["threshold_shifts"].as_array().expect("threshold shifts");
    assert_eq!(shifts.len(), 1, "{shifts:?}");
    assert_eq!(shifts[0]["area"], "customs_index");
    assert_ne!(shifts[0]["old"], shifts[0]["new"]);
    // the same shift as the version that makes the change
    let (_tmp2, v2) = demo_v2();
    let by_version = json(&tamga(&[
        &os("impact"),
        dir.as_os_str(),
        v2.as_os_str(),
        &os("examples/demo"),
        &os("--format"),
        &os("json"),
    ]));
    assert_eq!(shifts[0], by_version["threshold_shifts"][0]);
}
