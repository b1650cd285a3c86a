//! The third-party licence notice (THIRD-PARTY.md) is generated from the dependency graph, never
//! kept by hand: this test asks `cargo metadata` (offline, with the committed Cargo.lock) which
//! crates the `tamga` binary links, lays out their names, versions, licence expressions and
//! repositories, and compares that with the committed file. After a dependency changes, regenerate
//! it with `TAMGA_UPDATE_LICENSES=1 cargo test --test licenses` and read the diff.
//!
//! It also fails on a licence that does not allow tamga's binary to be distributed under
//! Apache-2.0 (an expression none of whose alternatives is on [`ALLOWED`]), naming the crate.
//!
//! What counts as linked: the normal dependencies of the `tamga` package, followed through the
//! normal dependencies of each. Left out: dev-dependencies (tests, benches), build-dependencies
//! (build scripts run on the builder's machine) and procedural macros with everything they pull
//! in (they run in the compiler; only the code they write, tamga's own, is in the binary). The
//! graph is the one for Linux on x86-64 (`--filter-platform`), the platform tamga is released
//! for; the same filter keeps `cargo metadata` from wanting crates of other platforms, which a
//! build never downloads.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

/// The platform whose dependency graph the notice describes.
const PLATFORM: &str = "x86_64-unknown-linux-gnu";

/// SPDX licences (and exceptions) that allow a binary to be distributed under Apache-2.0 with a
/// notice: the permissive ones, and MPL-2.0 (file-level copyleft: its files stay available as
/// they are in the crate's published source).
const ALLOWED: &[&str] = &[
    "0BSD",
    "Apache-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSL-1.0",
    "CC0-1.0",
    "ISC",
    "LLVM-exception",
    "MIT",
    "MIT-0",
    "MPL-2.0",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "Zlib",
];

/// One crate in the notice.
struct Crate {
    name: String,
    version: String,
    license: Option<String>,
    repository: String,
}

/// Runs `cargo metadata` and returns the crates the binary links, sorted by name and version.
fn linked_crates() -> Vec<Crate> {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked", "--offline", "--filter-platform", PLATFORM])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed (run `cargo fetch` once if the crates are not downloaded yet):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata writes JSON");
    let packages: HashMap<&str, &Value> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("package id"), p))
        .collect();
    let nodes: HashMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve.nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("node id"), n))
        .collect();
    let root_id = packages
        .values()
        .find(|p| p["name"] == "tamga" && p["source"].is_null())
        .and_then(|p| p["id"].as_str())
        .expect("the tamga package");
    let is_proc_macro = |p: &Value| {
        p["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| t["kind"].as_array().into_iter().flatten().any(|k| k == "proc-macro"))
    };
    let mut seen: BTreeMap<(String, String), Crate> = BTreeMap::new();
    let mut ids_seen = std::collections::HashSet::new();
    let mut stack = vec![root_id];
    while let Some(id) = stack.pop() {
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            // a normal edge: `kind` null (not "dev", not "build")
            let normal = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
            let dep_id = dep["pkg"].as_str().expect("dep pkg");
            let package = packages[dep_id];
            if !normal || is_proc_macro(package) || !ids_seen.insert(dep_id) {
                continue;
            }
            stack.push(dep_id);
            let text = |key: &str| package[key].as_str().map(str::to_owned);
            let krate = Crate {
                name: text("name").expect("name"),
                version: text("version").expect("version"),
                license: text("license"),
                repository: text("repository").unwrap_or_default(),
            };
            seen.insert((krate.name.clone(), krate.version.clone()), krate);
        }
    }
    seen.into_values().collect()
}

/// THIRD-PARTY.md as it should read.
fn notice(crates: &[Crate]) -> String {
    let mut s = String::from(
        "# Third-party software in the tamga binary\n\
         \n\
         tamga is licensed under Apache-2.0 (LICENSE). The `tamga` binary also contains the code of\n\
         the crates below, each under its own licence (an `OR` lets the distributor choose); their\n\
         licence texts and copyright notices are in each crate's published source (`cargo vendor`\n\
         gathers them) and at its repository.\n\
         \n\
         Generated from `cargo metadata` by tests/licenses.rs (the crates linked into the binary for\n\
         x86_64-unknown-linux-gnu: normal dependencies, without dev- and build-dependencies and\n\
         procedural macros). Do not edit by hand: after a dependency changes, run\n\
         `TAMGA_UPDATE_LICENSES=1 cargo test --test licenses`.\n\
         \n\
         | Crate | Version | Licence | Repository |\n\
         |---|---|---|---|\n",
    );
    for c in crates {
        let license = c.license.as_deref().unwrap_or("(none declared)");
        s.push_str(&format!("| {} | {} | {} | {} |\n", c.name, c.version, license, c.repository));
    }
    s.push_str(&format!("\n{} crates.\n", crates.len()));
    s
}

/// Whether an SPDX expression allows distribution: one of its `OR` alternatives has every `AND`
/// part on [`ALLOWED`] (`X WITH Y` needs both). The old `/` separator reads as `OR`.
fn license_allowed(expr: &str) -> bool {
    let spaced = expr.replace('(', " ( ").replace(')', " ) ").replace('/', " OR ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    let ok = or_expr(&tokens, &mut pos);
    ok && pos == tokens.len()
}

fn or_expr(t: &[&str], pos: &mut usize) -> bool {
    let mut ok = and_expr(t, pos);
    while t.get(*pos) == Some(&"OR") {
        *pos += 1;
        ok |= and_expr(t, pos);
    }
    ok
}

fn and_expr(t: &[&str], pos: &mut usize) -> bool {
    let mut ok = term(t, pos);
    while t.get(*pos) == Some(&"AND") {
        *pos += 1;
        ok &= term(t, pos);
    }
    ok
}

fn term(t: &[&str], pos: &mut usize) -> bool {
    let ok = match t.get(*pos) {
        Some(&"(") => {
            *pos += 1;
            let ok = or_expr(t, pos);
            if t.get(*pos) != Some(&")") {
                return false;
            }
            *pos += 1;
            ok
        }
        Some(id) => {
            *pos += 1;
            ALLOWED.contains(&id.trim_end_matches('+'))
        }
        None => false,
    };
    if t.get(*pos) == Some(&"WITH") {
        let exception = t.get(*pos + 1).is_some_and(|e| ALLOWED.contains(e));
        *pos += 2;
        return ok && exception;
    }
    ok
}

#[test]
fn every_linked_crate_has_a_licence_that_allows_distribution() {
    let bad: Vec<String> = linked_crates()
        .iter()
        .filter(|c| !c.license.as_deref().is_some_and(license_allowed))
        .map(|c| format!("{} {}: {}", c.name, c.version, c.license.as_deref().unwrap_or("no licence declared")))
        .collect();
    assert!(
        bad.is_empty(),
        "crates whose licence is not on the allow-list in tests/licenses.rs (check that it allows \
         distributing tamga's binary under Apache-2.0 before adding it, or drop the crate):\n{}",
        bad.join("\n")
    );
}

#[test]
fn third_party_notice_is_generated_from_the_dependency_graph() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("THIRD-PARTY.md");
    let expected = notice(&linked_crates());
    if std::env::var_os("TAMGA_UPDATE_LICENSES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).expect("THIRD-PARTY.md is written");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "THIRD-PARTY.md is not what the dependency graph gives: regenerate it with \
         `TAMGA_UPDATE_LICENSES=1 cargo test --test licenses` and read the diff"
    );
}

#[test]
fn licence_expressions_are_read_as_spdx() {
    let cases = [
        ("MIT", true),
        ("MIT OR Apache-2.0", true),
        ("MIT/Apache-2.0", true),
        ("Unlicense/MIT", true),
        ("(Apache-2.0 OR MIT) AND BSD-3-Clause", true),
        ("Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT", true),
        ("GPL-3.0-only", false),
        ("AGPL-3.0", false),
        ("GPL-2.0 OR MIT", true),
        ("MIT AND GPL-3.0-only", false),
        ("(MIT OR GPL-3.0-only) AND AGPL-3.0", false),
        ("GPL-2.0 WITH Classpath-exception-2.0", false),
        ("", false),
        ("(MIT", false),
    ];
    for (expr, allowed) in cases {
        assert_eq!(license_allowed(expr), allowed, "{expr}");
    }
}
