//! The VS Code extension's TextMate grammar (`editors/vscode/syntaxes/tamga.tmLanguage.json`)
//! kept in step with the language's grammar (`grammar/tamga.pest`): every keyword is highlighted;
//! and, where Node and the extension's packages are installed (`npm install` in editors/vscode),
//! a sample is tokenised as VS Code does (vscode-textmate with Oniguruma).

#[path = "support/skip.rs"]
mod skip;

use serde_json::Value;
use std::path::Path;

const GRAMMAR: &str = "editors/vscode/syntaxes/tamga.tmLanguage.json";

/// Every word the pest grammar writes in quotes (keywords and label languages).
fn pest_keywords() -> Vec<String> {
    let text = std::fs::read_to_string("grammar/tamga.pest").expect("grammar");
    let mut words = vec![];
    for line in text.lines() {
        // comments of the grammar are prose
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else { break };
            let w = &after[..close];
            if w.len() > 1 && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') && !words.iter().any(|x| x == w) {
                words.push(w.to_string());
            }
            rest = &after[close + 1..];
        }
    }
    words.sort();
    words
}

/// Every (regular expression, scope of what it matches) of the TextMate grammar: `match` with a
/// `name`, and `match`/`begin` whose first capture has a name.
fn patterns(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for key in ["match", "begin"] {
                if let Some(re) = m.get(key).and_then(Value::as_str) {
                    if let Some(name) = m.get("name").and_then(Value::as_str) {
                        out.push((re.to_string(), name.to_string()));
                    }
                    let caps = m.get(if key == "begin" { "beginCaptures" } else { "captures" });
                    if let Some(name) =
                        caps.and_then(|c| c.get("1")).and_then(|c| c.get("name")).and_then(Value::as_str)
                    {
                        out.push((re.to_string(), name.to_string()));
                    }
                }
            }
            for x in m.values() {
                patterns(x, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                patterns(x, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_textmate_grammar_highlights_every_keyword_of_the_pest_grammar() {
    let grammar: Value = serde_json::from_str(&std::fs::read_to_string(GRAMMAR).expect("tmLanguage")).expect("JSON");
    assert_eq!(grammar["scopeName"], "source.tamga");
    let mut pats = vec![];
    patterns(&grammar, &mut pats);
    let highlighted =
        ["keyword.", "storage.", "constant.language.", "support.function.", "entity.other.attribute-name."];
    // the regular expressions the `regex` crate reads (Oniguruma's lookaheads are left out: a
    // keyword matched only by one of those is reported as missing, never passed by mistake)
    let compiled: Vec<(regex::Regex, &str)> = pats
        .iter()
        .filter(|(_, scope)| highlighted.iter().any(|h| scope.starts_with(h)))
        .filter_map(|(re, scope)| Some((regex::Regex::new(&format!("^(?:{re})$")).ok()?, scope.as_str())))
        .collect();
    let keywords = pest_keywords();
    assert!(keywords.len() > 60, "{keywords:?}");
    for must in ["question", "indicator", "requires", "higher_is_better", "met", "en", "ru", "yes"] {
        assert!(keywords.iter().any(|k| k == must), "`{must}` not read from the grammar: {keywords:?}");
    }
    let missing: Vec<&String> = keywords.iter().filter(|k| !compiled.iter().any(|(re, _)| re.is_match(k))).collect();
    assert!(missing.is_empty(), "keywords of grammar/tamga.pest that {GRAMMAR} does not highlight: {missing:?}");
}

#[test]
fn the_textmate_grammar_tokenises_a_sample_as_vs_code_does() {
    let dir = Path::new("editors/vscode");
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.as_ref().is_ok_and(|o| o.status.success()) {
        skip::skip(
            "the_textmate_grammar_tokenises_a_sample_as_vs_code_does",
            "SKIPPED: Node is not installed (install Node, then `npm install` in editors/vscode)",
        );
        return;
    }
    if !dir.join("node_modules/vscode-textmate").is_dir() || !dir.join("node_modules/vscode-oniguruma").is_dir() {
        skip::skip(
            "the_textmate_grammar_tokenises_a_sample_as_vs_code_does",
            "SKIPPED: vscode-textmate and vscode-oniguruma are not installed (`npm install` in editors/vscode)",
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let sample = tmp.path().join("sample.tamga");
    std::fs::write(
        &sample,
        "# a comment with \"quotes\"\n\
         question q05_release : hours in 0..=8760 required {\n\
         \x20 ru \"Время выпуска\" en \"Release \\\"time\\\"\"\n\
         }\n\
         indicator release = if q05_release > 24 then 0 else union_mean(q05_release) {\n\
         \x20 score goalposts(best: 2, worst: 72)\n\
         \x20 higher_is_better\n\
         }\n\
         standard TF-1 { requires met(TF-2) and not release >= 5% }\n",
    )
    .expect("write");
    let out = std::process::Command::new("node")
        .arg("test/tokenize.js")
        .arg(&sample)
        .current_dir(dir)
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tokens: Vec<(u64, String, Vec<String>)> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a token")).collect();
    let scope = |line: u64, text: &str| -> String {
        tokens
            .iter()
            .find(|(n, t, _)| *n == line && t == text)
            .map(|(_, _, s)| s.join(" "))
            .unwrap_or_else(|| panic!("no token `{text}` on line {line}: {tokens:?}"))
    };
    assert!(scope(0, "# a comment with \"quotes\"").starts_with("comment.line"));
    assert_eq!(scope(1, "question"), "storage.type.declaration.tamga");
    assert_eq!(scope(1, "q05_release"), "entity.name.type.tamga");
    assert_eq!(scope(1, "hours"), "variable.other.tamga");
    assert_eq!(scope(1, "in"), "keyword.other.property.tamga");
    assert_eq!(scope(1, "8760"), "constant.numeric.tamga");
    assert_eq!(scope(1, "..="), "keyword.operator.range.tamga");
    assert_eq!(scope(1, "required"), "keyword.other.property.tamga");
    assert_eq!(scope(2, "ru"), "entity.other.attribute-name.language.tamga");
    assert_eq!(scope(2, "Время выпуска"), "string.quoted.double.tamga");
    assert_eq!(scope(2, "en"), "entity.other.attribute-name.language.tamga");
    assert!(scope(2, "\\\"").contains("constant.character.escape"));
    assert_eq!(scope(4, "if"), "keyword.control.tamga");
    assert_eq!(scope(4, "union_mean"), "entity.name.function.tamga");
    assert_eq!(scope(5, "score"), "keyword.other.property.tamga");
    assert_eq!(scope(5, "goalposts"), "entity.name.function.tamga");
    assert_eq!(scope(6, "higher_is_better"), "keyword.other.property.tamga");
    assert_eq!(scope(8, "TF-1"), "entity.name.type.tamga");
    assert_eq!(scope(8, "met"), "support.function.standard.tamga");
    assert_eq!(scope(8, "TF-2"), "entity.name.type.standard.tamga");
    assert_eq!(scope(8, "not"), "keyword.operator.logical.tamga");
    assert_eq!(scope(8, "5%"), "constant.numeric.tamga");
}
