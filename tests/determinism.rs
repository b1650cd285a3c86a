//! Results never depend on the order of the input: the demo methodology evaluated on the demo
//! submissions gives byte-identical JSON whatever order the files are given in, whatever their
//! names (once the names themselves are set aside), and whatever order the answers are written in.

use std::path::{Path, PathBuf};
use tamga::check::Methodology;
use tamga::diagnostics::{render, Style};

const STYLE: Style = Style { color: false, width: 100 };

fn demo() -> Methodology {
    let (meth, warnings) = match tamga::check::check(Path::new("rules/demo")).methodology() {
        Ok(x) => x,
        Err((sources, diags)) => panic!("rules/demo:\n{}", render(&diags, &sources, STYLE)),
    };
    assert!(warnings.is_empty(), "{}", render(&warnings, &meth.sources, STYLE));
    meth
}

/// The demo submissions, sorted by path.
fn demo_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("examples/demo")
        .expect("examples/demo")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the demo has two periods of five states");
    files
}

/// The JSON result of evaluating `meth` on `paths`, given in this order.
fn result(meth: &Methodology, paths: &[PathBuf]) -> String {
    let mut sources = meth.sources.clone();
    let (data, diags) = tamga::data::load(&meth.model, paths, &mut sources);
    assert!(!tamga::diagnostics::has_errors(&diags), "{}", render(&diags, &sources, STYLE));
    let outcome = tamga::eval::evaluate(&meth.model, &data);
    let doc = tamga::report::json::build(meth, &sources, &data, &outcome);
    tamga::report::json::to_string(&doc)
}

/// A small deterministic generator (64-bit LCG), so no `rand` is needed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Orders to try: reversed, every rotation, odd/even interleaved, and seeded Fisher–Yates shuffles.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    let mut out = vec![(0..n).rev().collect::<Vec<_>>()];
    for k in 1..n {
        out.push((0..n).map(|i| (i + k) % n).collect());
    }
    out.push((0..n).filter(|i| i % 2 == 1).chain((0..n).filter(|i| i % 2 == 0)).collect());
    for seed in [1u64, 7, 42, 2023, 0xEAE5] {
        let mut rng = Lcg(seed);
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            p.swap(i, rng.below(i + 1));
        }
        out.push(p);
    }
    out
}

#[test]
fn file_order_does_not_matter() {
    let meth = demo();
    let files = demo_files();
    let expected = result(&meth, &files);
    let orders = permutations(files.len());
    assert!(orders.len() >= 15);
    for order in orders {
        let shuffled: Vec<PathBuf> = order.iter().map(|&i| files[i].clone()).collect();
        let got = result(&meth, &shuffled);
        assert!(
            got == expected,
            "different result for the order {:?}",
            shuffled.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_folder_and_its_files_give_the_same_result() {
    let meth = demo();
    let mut files = demo_files();
    let from_folder = result(&meth, &[PathBuf::from("examples/demo")]);
    files.reverse();
    assert_eq!(from_folder, result(&meth, &files));
}

#[test]
fn repeated_evaluation_is_identical() {
    let meth = demo();
    let files = demo_files();
    let first = result(&meth, &files);
    for _ in 0..3 {
        assert_eq!(first, result(&meth, &files));
    }
}

/// A fresh, empty folder under the target's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The result with what legitimately differs between copies set aside: file names and hashes.
fn without_files(json: &str) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("file");
                map.remove("sha256");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    strip(&mut v);
    v
}

#[test]
fn file_names_do_not_matter() {
    // copies named so that sorting by name puts the states and periods in another order
    let meth = demo();
    let files = demo_files();
    let expected = result(&meth, &files);
    let dir = temp_dir("determinism-renamed");
    let n = files.len();
    let mut copies = vec![];
    for (i, f) in files.iter().enumerate() {
        let copy = dir.join(format!("{:02}-submission.json", n - i));
        std::fs::copy(f, &copy).expect("copy");
        copies.push(copy);
    }
    let renamed = result(&meth, std::slice::from_ref(&dir));
    assert_ne!(renamed, expected, "the file names are part of the result");
    assert_eq!(without_files(&renamed), without_files(&expected));
    // and, as files, in a shuffled order
    let order = &permutations(n)[n + 1];
    let shuffled: Vec<PathBuf> = order.iter().map(|&i| copies[i].clone()).collect();
    assert_eq!(result(&meth, &shuffled), renamed);
}

#[test]
fn answer_order_does_not_matter() {
    // each submission rewritten with its answers (and top-level keys) in reverse order
    let meth = demo();
    let files = demo_files();
    let expected = result(&meth, &files);
    let dir = temp_dir("determinism-reordered");
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let reversed = reverse_keys(&v);
        let out = dir.join(f.file_name().expect("file name"));
        std::fs::write(&out, serde_json::to_string_pretty(&reversed).expect("JSON")).expect("write");
    }
    let reordered = result(&meth, &[dir]);
    assert_eq!(without_files(&reordered), without_files(&expected));
}

fn reverse_keys(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, x) in map.iter().rev() {
                out.insert(k.clone(), reverse_keys(x));
            }
            serde_json::Value::Object(out)
        }
        other => other.clone(),
    }
}

#[test]
fn the_command_line_agrees() {
    // the CLI with the files in two orders prints the same JSON as the library
    let meth = demo();
    let files = demo_files();
    let expected = result(&meth, &files);
    let bin = env!("CARGO_BIN_EXE_tamga");
    for order in [permutations(files.len())[0].clone(), (0..files.len()).collect()] {
        let out = std::process::Command::new(bin)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["eval", "rules/demo", "--format", "json"])
            .args(order.iter().map(|&i| &files[i]))
            .output()
            .expect("tamga runs");
        assert_eq!(out.status.code(), Some(0));
        // the library's result, byte for byte, and the diagnostics last (what stderr would show)
        let stdout = String::from_utf8_lossy(&out.stdout);
        let body = expected.trim_end().strip_suffix('}').expect("an object").trim_end();
        assert!(stdout.starts_with(body));
        assert!(stdout[body.len()..].starts_with(",\n  \"diagnostics\": ["), "{}", &stdout[body.len()..]);
    }
}

#[test]
fn duplicate_submissions_resolve_the_same_way_in_any_order() {
    // two files for AM 2023 that disagree: whichever order they come in, the same one is kept
    let meth = demo();
    let original = PathBuf::from("examples/demo/am-2023.json");
    let dir = temp_dir("determinism-duplicate");
    let text = std::fs::read_to_string(&original).expect("read");
    let changed = text.replace("\"q11_aeo_registry\": 12", "\"q11_aeo_registry\": 99");
    assert_ne!(text, changed, "the demo answer to change is there");
    let copy = dir.join("am-2023.json");
    std::fs::write(&copy, changed).expect("write");
    let run = |paths: &[PathBuf]| {
        let mut sources = meth.sources.clone();
        let (data, diags) = tamga::data::load(&meth.model, paths, &mut sources);
        assert!(diags.iter().any(|d| d.code == tamga::diagnostics::Code::DataDuplicate), "the duplicate is reported");
        let outcome = tamga::eval::evaluate(&meth.model, &data);
        let doc = tamga::report::json::build(&meth, &sources, &data, &outcome);
        (tamga::report::json::to_string(&doc), render(&diags, &sources, STYLE))
    };
    let forward = run(&[original.clone(), copy.clone()]);
    let backward = run(&[copy, original]);
    assert_eq!(forward.0, backward.0);
    assert_eq!(forward.1, backward.1);
}
