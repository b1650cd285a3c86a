//! `tamga lsp` driven as an editor drives it: JSON-RPC over the built binary's stdin and stdout,
//! on a copy of the demonstration methodology in a temporary folder (two files: the questions in
//! `questions.tamga`, included by `methodology.tamga`). Paths in snapshots are written
//! `file:///ROOT/…`.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet looked at.
    notes: Vec<Value>,
    root: String,
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tamga"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tamga lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        // stderr is read so that the server never blocks on it
        let mut stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            let mut sink = String::new();
            let _ = stderr.read_to_string(&mut sink);
        });
        let root = uri(root);
        Client { child, stdin, messages: rx, next_id: 0, notes: vec![], root }
    }

    fn send(&mut self, v: &Value) {
        self.send_raw(&frame(&v.to_string()));
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request_full(method, params);
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].clone()
    }

    fn request_full(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.messages.recv_timeout(Duration::from_secs(60)).expect("the server answers within a minute");
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return m;
            }
            self.notes.push(m);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn initialize(&mut self) -> Value {
        self.initialize_with(Value::Null)
    }

    fn initialize_with(&mut self, options: Value) -> Value {
        let root = self.root.clone();
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// Every notification sent so far (a request answered means every earlier message is in).
    fn drain(&mut self) -> Vec<Value> {
        self.request_full("workspace/symbol", json!({"query": "a query that matches nothing at all"}));
        std::mem::take(&mut self.notes)
    }

    /// The diagnostics published so far, the last for each file, by file name.
    fn diagnostics(&mut self) -> Vec<(String, Value)> {
        let mut last: Vec<(String, Value)> = vec![];
        for n in self.drain() {
            if n["method"] == "textDocument/publishDiagnostics" {
                let file = n["params"]["uri"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or("").to_string();
                last.retain(|(f, _)| *f != file);
                last.push((file, n["params"]["diagnostics"].clone()));
            }
        }
        last.sort_by(|a, b| a.0.cmp(&b.0));
        last
    }

    fn open(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).expect("read");
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": "tamga", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, path: &Path, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(path), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Redacts the temporary folder.
    fn redact(&self, v: &Value) -> String {
        serde_json::to_string_pretty(v).expect("json").replace(&self.root, "file:///ROOT")
    }

    fn stop(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        status.code().unwrap_or(-1)
    }
}

fn uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// A copy of rules/demo in a temporary folder.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("demo");
    std::fs::create_dir(&root).expect("mkdir");
    for f in ["methodology.tamga", "questions.tamga"] {
        std::fs::copy(Path::new("rules/demo").join(f), root.join(f)).expect("copy");
    }
    (dir, root)
}

/// The line and UTF-16 column of the `nth` occurrence of `needle` (plus `shift` characters).
fn pos(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).map(|(k, _)| k).expect("needle in text");
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap_or("").encode_utf16().count() + shift;
    json!({"line": line, "character": col})
}

fn at(path: &Path, p: Value) -> Value {
    json!({"textDocument": {"uri": uri(path)}, "position": p})
}

#[test]
fn initialize_announces_what_the_server_can_do() {
    let (_dir, root) = demo();
    let mut c = Client::start(&root);
    let mut caps = c.initialize();
    caps["serverInfo"]["version"] = json!("VERSION");
    insta::assert_snapshot!(c.redact(&caps));
    assert_eq!(c.stop(), 0);
}

#[test]
fn diagnostics_as_you_type_with_did_you_mean_and_cleared_when_fixed() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    let first = c.diagnostics();
    // every file of the methodology is published, with nothing in it
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first.iter().all(|(_, d)| d.as_array().is_some_and(Vec::is_empty)), "{first:?}");

    // a typo in a name (in a line after Cyrillic labels) and a syntax slip in the questions
    let typo = text.replacen("indicator advisory = q02_advisory_body", "indicator advisory = q02_advisory_bdy", 1);
    c.change(&main, 2, &typo);
    let diags = c.diagnostics();
    let (file, list) = diags.iter().find(|(_, d)| d.as_array().is_some_and(|a| !a.is_empty())).expect("a diagnostic");
    assert_eq!(file, "methodology.tamga");
    let d = &list[0];
    assert!(d["message"].as_str().unwrap_or_default().contains("did you mean `q02_advisory_body`"), "{d}");
    assert_eq!(d["range"]["start"], pos(&typo, "q02_advisory_bdy", 0, 0));
    insta::assert_snapshot!("typo", c.redact(list));

    // fixed: the file's list is published again, empty
    c.change(&main, 3, &text);
    let fixed = c.diagnostics();
    assert!(
        fixed.iter().any(|(f, d)| f == "methodology.tamga" && d.as_array().is_some_and(Vec::is_empty)),
        "{fixed:?}"
    );

    // an error in the other file, unsaved: reported in that file, with the related place
    let q = root.join("questions.tamga");
    let qtext = std::fs::read_to_string(&q).expect("read");
    c.open(&q);
    c.change(&q, 2, &qtext.replacen("question q09_declarations", "question q09_inspected", 1));
    let dup = c.diagnostics();
    let (_, list) = dup.iter().find(|(f, _)| f == "questions.tamga").expect("questions published");
    assert!(!list.as_array().expect("list").is_empty());
    insta::assert_snapshot!("duplicate_in_included_file", c.redact(list));
    assert_eq!(c.stop(), 0);
}

#[test]
fn hover_shows_labels_units_and_rules_in_words() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    // a question used in a formula, declared in the other file
    let q = c.request("textDocument/hover", at(&main, pos(&text, "q05_import_release_hours", 0, 3)));
    let q = q["contents"]["value"].as_str().expect("markdown").to_string();
    assert!(q.contains("Среднее время с момента прибытия товаров"), "{q}");
    assert!(q.contains("Average time from the arrival"), "{q}");
    assert!(q.contains("`h`"), "{q}");
    // an indicator's declaration: its scoring rule in words, in English and Russian
    let i = c.request("textDocument/hover", at(&main, pos(&text, "indicator import_release", 0, 12)));
    let i = i["contents"]["value"].as_str().expect("markdown").to_string();
    assert!(i.contains("goalposts") || i.contains("best"), "{i}");
    // a function
    let f = c.request("textDocument/hover", at(&main, pos(&text, "union_mean(import_release)", 0, 2)));
    let f = f["contents"]["value"].as_str().expect("markdown").to_string();
    assert!(f.contains("union_mean(x)"), "{f}");
    // a standard in `met(…)`
    let s = c.request("textDocument/hover", at(&main, pos(&text, "met(TF-1)", 0, 5)));
    let s = s["contents"]["value"].as_str().expect("markdown").to_string();
    insta::assert_snapshot!("question", q);
    insta::assert_snapshot!("indicator", i);
    insta::assert_snapshot!("function", f);
    insta::assert_snapshot!("standard", s);
    assert_eq!(c.stop(), 0);
}

#[test]
fn hover_shows_the_values_of_the_sample_submissions() {
    let (_dir, root) = demo();
    let examples = root.join("examples");
    std::fs::create_dir(&examples).expect("mkdir");
    for e in std::fs::read_dir("examples/demo").expect("examples/demo").flatten() {
        std::fs::copy(e.path(), examples.join(e.file_name())).expect("copy");
    }
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize_with(json!({"examples": "examples", "lang": "ru"}));
    c.open(&main);
    let h = c.request("textDocument/hover", at(&main, pos(&text, "indicator import_release", 0, 12)));
    let h = h["contents"]["value"].as_str().expect("markdown").to_string();
    let table = &h[h.find("\nin `").expect("the samples' table") + 1..];
    // the states in the Union's order, the value and its score (goalposts 2..72 h, lower is better)
    assert!(table.contains("| state | value | score |"), "{table}");
    let rows: Vec<&str> =
        table.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| state") && !l.starts_with("| ---")).collect();
    assert_eq!(rows.len(), 5, "{table}");
    for row in &rows {
        let cells: Vec<f64> = row.split('|').skip(2).filter_map(|c| c.trim().parse().ok()).collect();
        let [value, score] = cells[..] else { panic!("{row}") };
        let expected = (100.0 * (72.0 - value) / 70.0).clamp(0.0, 100.0);
        assert!((score - expected).abs() <= 0.05 + 1e-9, "{row}: {score} against {expected}");
    }
    insta::assert_snapshot!("sample_values", table);
    assert_eq!(c.stop(), 0);
}

#[test]
fn positions_count_utf16_units_after_cyrillic() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    // one line: a Cyrillic label, then a use of a question (2 bytes, 1 unit per letter)
    let line = "area cyr { ru \"Время выпуска товаров\" indicator cyr_release = q05_import_release_hours { ru \"Время\" en \"Time\" } }\n";
    let edited = format!("{text}\n{line}");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    c.change(&main, 2, &edited);
    c.diagnostics();
    let p = pos(&edited, "q05_import_release_hours { ru", 0, 0);
    // the column is counted in UTF-16 units, not bytes
    let byte_col = line.find("q05_import_release_hours").expect("in line");
    assert!(p["character"].as_u64().expect("col") < byte_col as u64);
    let def = c.request("textDocument/definition", at(&main, p.clone()));
    assert_eq!(def[0]["uri"].as_str().map(|u| u.ends_with("/questions.tamga")), Some(true), "{def}");
    let h = c.request("textDocument/hover", at(&main, p.clone()));
    assert!(h["contents"]["value"].as_str().is_some_and(|t| t.contains("q05_import_release_hours")), "{h}");
    // one unit to the left of the name: the space, nothing there
    let mut before = p.clone();
    before["character"] = json!(p["character"].as_u64().expect("col") - 2);
    let none = c.request("textDocument/hover", at(&main, before));
    assert_eq!(none, Value::Null);
    // references report UTF-16 ranges too
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&main)}, "position": p, "context": {"includeDeclaration": false}}),
    );
    let mine = refs
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["range"]["start"]["line"] == p["line"])
        .expect("the use in the Cyrillic line");
    assert_eq!(mine["range"]["start"], p);
    assert_eq!(mine["range"]["end"]["character"], json!(p["character"].as_u64().expect("col") + 24));
    assert_eq!(c.stop(), 0);
}

#[test]
fn definition_references_and_symbols_across_files() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    let def = c.request("textDocument/definition", at(&main, pos(&text, "q05_import_release_hours", 0, 0)));
    insta::assert_snapshot!("definition", c.redact(&def));
    let inc = c.request("textDocument/definition", at(&main, pos(&text, "\"questions.tamga\"", 0, 3)));
    assert_eq!(inc[0]["uri"].as_str().map(|u| u.ends_with("/demo/questions.tamga")), Some(true), "{inc}");
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&main)}, "position": pos(&text, "import_release <= 24", 0, 0), "context": {"includeDeclaration": true}}),
    );
    insta::assert_snapshot!("references", c.redact(&refs));
    let outline = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri(&main)}}));
    let names: Vec<String> = outline
        .as_array()
        .expect("list")
        .iter()
        .map(|s| {
            let kids: Vec<&str> = s["children"]
                .as_array()
                .map(|k| k.iter().filter_map(|k| k["name"].as_str()).collect())
                .unwrap_or_default();
            format!(
                "{} [{}]: {}",
                s["name"].as_str().unwrap_or(""),
                s["detail"].as_str().unwrap_or(""),
                kids.join(", ")
            )
        })
        .collect();
    insta::assert_snapshot!("document_symbols", names.join("\n"));
    let ws = c.request("workspace/symbol", json!({"query": "release"}));
    let found: Vec<String> = ws
        .as_array()
        .expect("list")
        .iter()
        .map(|s| {
            format!(
                "{} ({})",
                s["name"].as_str().unwrap_or(""),
                s["location"]["uri"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("")
            )
        })
        .collect();
    insta::assert_snapshot!("workspace_symbols", found.join("\n"));
    assert_eq!(c.stop(), 0);
}

#[test]
fn workspace_symbols_by_label_before_any_file_is_opened() {
    let (_dir, root) = demo();
    let mut c = Client::start(&root);
    c.initialize();
    // found by a Russian label, in either file
    let ws = c.request("workspace/symbol", json!({"query": "время выпуска"}));
    let mut names: Vec<&str> = ws.as_array().expect("list").iter().filter_map(|s| s["name"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["import_release", "rec_release", "release_vs_union"], "{ws}");
    assert_eq!(c.stop(), 0);
}

fn labels(items: &Value) -> Vec<String> {
    items.as_array().expect("list").iter().filter_map(|i| i["label"].as_str().map(str::to_string)).collect()
}

#[test]
fn completion_of_ids_keywords_functions_and_choice_values() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    // anywhere: ids, keywords, functions (with named arguments as a snippet)
    let all = c.request("textDocument/completion", at(&main, pos(&text, "q05_import_release_hours", 0, 0)));
    let l = labels(&all);
    for want in ["q05_import_release_hours", "import_release", "TF-1", "indicator", "weight", "union_mean", "goalposts"]
    {
        assert!(l.iter().any(|x| x == want), "{want} missing from {l:?}");
    }
    let goalposts = all.as_array().expect("list").iter().find(|i| i["label"] == "goalposts").expect("goalposts");
    insta::assert_snapshot!("goalposts_item", c.redact(goalposts));
    // after `==`: the options of the choice question
    let edited = text.replacen("indicator advisory = q02_advisory_body", "indicator advisory = q02_format == ", 1);
    c.change(&main, 2, &edited);
    let choices = c.request("textDocument/completion", at(&main, pos(&edited, "q02_format == ", 0, 14)));
    // the line does not parse yet: the questions (in the file it includes) are known from before
    assert_eq!(labels(&choices), ["\"council\"", "\"working_group\"", "\"conference\"", "\"other\""]);
    insta::assert_snapshot!("choice_values", c.redact(&choices));
    // inside a scoring rule's parentheses: its named arguments first
    let edited = text.replacen("score goalposts(best: 2, worst: 72)", "score goalposts(", 1);
    c.change(&main, 3, &edited);
    let args = c.request("textDocument/completion", at(&main, pos(&edited, "goalposts(", 0, 10)));
    let l = labels(&args);
    assert!(
        l.iter().any(|x| x == "best:") && l.iter().any(|x| x == "worst:") && l.iter().any(|x| x == "log:"),
        "{l:?}"
    );
    assert_eq!(c.stop(), 0);
}

#[test]
fn formatting_gives_the_canonical_layout() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    let fmt = json!({"textDocument": {"uri": uri(&main)}, "options": {"tabSize": 2, "insertSpaces": true}});
    // already canonical: nothing to change
    assert_eq!(c.request("textDocument/formatting", fmt.clone()), json!([]));
    let messy =
        text.replacen("  weight 1\n  missing not_assessable", "      weight    1\n  missing   not_assessable", 1);
    assert_ne!(messy, text);
    c.change(&main, 2, &messy);
    let edits = c.request("textDocument/formatting", fmt.clone());
    assert_eq!(edits.as_array().map(Vec::len), Some(1), "{edits}");
    assert_eq!(edits[0]["newText"].as_str(), Some(text.as_str()));
    assert_eq!(edits[0]["range"]["start"], json!({"line": 0, "character": 0}));
    // a file that does not parse is left alone
    c.change(&main, 3, &format!("{text}\narea broken {{"));
    assert_eq!(c.request("textDocument/formatting", fmt), Value::Null);
    assert_eq!(c.stop(), 0);
}

#[test]
fn rename_edits_every_file() {
    let (_dir, root) = demo();
    let main = root.join("methodology.tamga");
    let text = std::fs::read_to_string(&main).expect("read");
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    let p = pos(&text, "q05_import_release_hours", 0, 2);
    let prep = c.request("textDocument/prepareRename", at(&main, p.clone()));
    assert_eq!(prep["start"], pos(&text, "q05_import_release_hours", 0, 0));
    let mut params = at(&main, p);
    params["newName"] = json!("q05_release");
    let edit = c.request("textDocument/rename", params.clone());
    let mut files: Vec<(String, usize)> = edit["changes"]
        .as_object()
        .expect("changes")
        .iter()
        .map(|(u, e)| (u.rsplit('/').next().unwrap_or("").to_string(), e.as_array().map_or(0, Vec::len)))
        .collect();
    files.sort();
    assert_eq!(files, [("methodology.tamga".to_string(), 1), ("questions.tamga".to_string(), 1)]);
    // files by name, edits by place (the server's order is a hash map's)
    let mut by_file: Vec<(String, Value)> = edit["changes"].as_object().expect("changes").clone().into_iter().collect();
    by_file.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, e) in by_file.iter_mut() {
        e.as_array_mut()
            .expect("edits")
            .sort_by_key(|x| (x["range"]["start"]["line"].as_u64(), x["range"]["start"]["character"].as_u64()));
    }
    let sorted = json!({"changes": by_file.into_iter().collect::<serde_json::Map<String, Value>>()});
    insta::assert_snapshot!("rename", c.redact(&sorted));
    // a keyword is not an id
    params["newName"] = json!("and");
    let refused = c.request_full("textDocument/rename", params);
    assert!(refused.get("error").is_some(), "{refused}");
    // a function cannot be renamed
    let f = c.request_full("textDocument/prepareRename", at(&main, pos(&text, "union_mean(", 0, 1)));
    assert_eq!(f["result"], Value::Null);
    assert_eq!(c.stop(), 0);
}

#[test]
fn bad_input_is_logged_and_the_server_carries_on() {
    let (dir, root) = demo();
    let main = root.join("methodology.tamga");
    let mut c = Client::start(&root);
    c.initialize();
    // malformed JSON, a message without a method, an unknown method
    c.send_raw(&frame("{not json"));
    c.send_raw(&frame("{\"jsonrpc\": \"2.0\", \"id\": 99, \"params\": 3}"));
    let unknown = c.request_full("tamga/unknown", json!({}));
    assert!(unknown["error"]["code"].as_i64().is_some(), "{unknown}");
    // wrong parameters
    let wrong = c.request_full("textDocument/hover", json!({"textDocument": 3}));
    assert!(wrong.get("error").is_some(), "{wrong}");
    // a file that does not exist, a non-file URI
    let gone = root.join("nowhere.tamga");
    assert_eq!(c.request("textDocument/hover", at(&gone, json!({"line": 0, "character": 0}))), Value::Null);
    let web = c.request_full(
        "textDocument/hover",
        json!({"textDocument": {"uri": "https://example.org/x.tamga"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(web.get("error").is_none(), "{web}");
    // a rule file outside any methodology folder, half typed
    let lone = dir.path().join("lone.tamga");
    std::fs::write(&lone, "question q : number {\n  ru \"Вопрос\"\n").expect("write");
    c.open(&lone);
    let d = c.diagnostics();
    assert!(d.iter().any(|(f, list)| f == "lone.tamga" && !list.as_array().expect("list").is_empty()), "{d:?}");
    // positions past the end of the text, and on a line that does not exist
    c.open(&main);
    for p in [json!({"line": 0, "character": 10000}), json!({"line": 100000, "character": 3})] {
        c.request("textDocument/hover", at(&main, p.clone()));
        c.request("textDocument/completion", at(&main, p.clone()));
        c.request("textDocument/definition", at(&main, p));
    }
    // an incremental change with a range past the end
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&main), "version": 2}, "contentChanges": [{"range": {"start": {"line": 9999, "character": 0}, "end": {"line": 99999, "character": 5}}, "text": "\n# end\n"}]}),
    );
    c.diagnostics();
    // every prefix of the file (cut every 61 bytes, at a character boundary), as if typed: every
    // request is answered, without an error
    let text = std::fs::read_to_string(&main).expect("read");
    let mut cut = 0;
    let mut version = 10;
    while cut < text.len() {
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        let typed = &text[..cut];
        version += 1;
        c.change(&main, version, typed);
        let end = pos(&format!("{typed}\u{0}"), "\u{0}", 0, 0);
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
            let r = c.request_full(method, at(&main, end.clone()));
            assert!(r.get("error").is_none(), "{method} at byte {cut}: {r}");
        }
        for method in ["textDocument/documentSymbol", "textDocument/formatting"] {
            let r = c.request_full(
                method,
                json!({"textDocument": {"uri": uri(&main)}, "options": {"tabSize": 2, "insertSpaces": true}}),
            );
            assert!(r.get("error").is_none(), "{method} at byte {cut}: {r}");
        }
        cut += 61;
    }
    assert_eq!(c.stop(), 0);
}

/// A constant's uses are found wherever a number may be written: a formula, a question's range,
/// `scale`, a band's bounds, `vary … in`, a weights block, another constant.
#[test]
fn references_of_a_constant_in_every_place_a_number_stands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("m");
    std::fs::create_dir_all(&root).expect("mkdir");
    let main = root.join("methodology.tamga");
    let text = "methodology m { en \"M\" ru \"M\" version \"1\" scale 0..=top }\n\
                const top = 100\n\
                const half = top / 2\n\
                const noise = top / 400\n\
                question q : number in 0..=top { en \"Q\" ru \"В\" }\n\
                question r : number { en \"R\" ru \"Р\" }\n\
                area a {\n  en \"A\" ru \"А\"\n  weights budget(top) { x: half, y: half }\n  \
                indicator x = q { en \"X\" ru \"Х\" score bands { ..top => 1, top.. => 2 } }\n  \
                indicator y = min(r, top) { en \"Y\" ru \"У\" score value }\n}\n\
                uncertainty {\n  vary weight x in 0..=top\n  vary weights by noise\n}\n";
    std::fs::write(&main, text).expect("write");
    let checked = tamga::check::check(&main);
    assert!(checked.model.is_some(), "{:?}", checked.diags);
    let mut c = Client::start(&root);
    c.initialize();
    c.open(&main);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&main)}, "position": pos(text, "const top", 0, 6), "context": {"includeDeclaration": false}}),
    );
    let n = refs.as_array().map_or(0, Vec::len);
    // scale, half, noise, the question's range, budget(top), two band bounds, min(r, top), vary in
    assert_eq!(n, text.matches("top").count() - 1, "{refs}");
    assert_eq!(c.stop(), 0);
}
