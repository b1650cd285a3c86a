//! ARCHITECTURE.md says which module may import which; this test reads its tables and the
//! source, and fails when the code imports something the table does not allow, when a module is
//! missing from the table, or when a listed exception is no longer needed (so that the list of
//! wrong-way imports only shrinks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn block<'a>(doc: &'a str, tag: &str) -> &'a str {
    let start = doc.find(&format!("```{tag}\n")).unwrap_or_else(|| panic!("no ```{tag} block")) + tag.len() + 4;
    let end = doc[start..].find("```").expect("closing fence") + start;
    &doc[start..end]
}

/// Every `crate::module` a top-level module's files name outside comments and tests.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![Path::new("src").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix("src").expect("under src");
            let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let set = out.entry(module.clone()).or_default();
            for line in code.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
                for (k, _) in line.match_indices("crate::") {
                    let name: String = line[k + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        set.insert(name);
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_import_is_allowed_by_architecture_md() {
    let doc = std::fs::read_to_string("ARCHITECTURE.md").expect("ARCHITECTURE.md");
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in block(&doc, "imports").lines().filter(|l| !l.trim().is_empty()) {
        let (m, rest) = line.split_once(':').unwrap_or_else(|| panic!("`{line}`: write `module: imports…`"));
        allowed.insert(m.trim().to_string(), rest.split_whitespace().map(String::from).collect());
    }
    let mut exceptions: BTreeSet<(String, String)> = BTreeSet::new();
    for line in block(&doc, "exceptions").lines().filter(|l| !l.trim().is_empty()) {
        let (pair, _why) = line.split_once(':').unwrap_or_else(|| panic!("`{line}`: write `a -> b: why`"));
        let (a, b) = pair.split_once("->").unwrap_or_else(|| panic!("`{line}`: write `a -> b: why`"));
        exceptions.insert((a.trim().to_string(), b.trim().to_string()));
    }
    let actual = imports();
    let mut problems = vec![];
    for (module, uses) in &actual {
        let Some(may) = allowed.get(module) else {
            problems.push(format!("`{module}` is not in ARCHITECTURE.md's table"));
            continue;
        };
        for u in uses {
            if !may.contains(u) && !exceptions.contains(&(module.clone(), u.clone())) {
                problems.push(format!("`{module}` imports `{u}`, which ARCHITECTURE.md does not allow"));
            }
        }
    }
    for (a, b) in &exceptions {
        if !actual.get(a).is_some_and(|u| u.contains(b)) {
            problems.push(format!("the exception `{a} -> {b}` is no longer needed: remove it from ARCHITECTURE.md"));
        }
    }
    for m in allowed.keys() {
        if !actual.contains_key(m) {
            problems.push(format!("ARCHITECTURE.md lists `{m}`, which is not a module of src/"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(actual.len() >= 20, "{} modules found", actual.len());
}
