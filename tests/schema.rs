//! The JSON Schemas (`tamga schema`, `schemas/`): the committed schemas are the ones the types
//! give, and real documents pass them: the example submissions against their methodology's
//! schema (broken ones fail it, as `tamga validate` refuses them), `eval --format json` against
//! the result's, `check --format json` against the diagnostics'.
//!
//! The validator is a small one, of the keywords these schemas use; it panics on any other, so a
//! schema cannot pass by using a keyword the check ignores.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tamga` with these arguments, run from the crate root: (exit code, stdout, stderr).
fn tamga(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .current_dir(root())
        .arg("--color")
        .arg("never")
        .args(args)
        .output()
        .expect("tamga runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON `tamga` prints with these arguments (it must succeed).
fn tamga_json(args: &[&str]) -> Value {
    let (code, out, err) = tamga(args);
    assert!(code == 0 || code == 1, "tamga {args:?} failed ({code}): {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("tamga {args:?} prints JSON: {e}\n{out}"))
}

// ───────────── a validator of the keywords used ─────────────

/// Where an instance fails, or `Ok`.
fn validate(root: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let Value::Object(s) = schema else {
        return match schema {
            Value::Bool(true) => Ok(()),
            _ => Err(format!("{at}: schema `false`")),
        };
    };
    for (k, x) in s {
        match k.as_str() {
            "$schema" | "$id" | "title" | "description" | "examples" | "format" | "$defs" | "x-tamga-type" => {}
            "$ref" => {
                let path = x.as_str().and_then(|r| r.strip_prefix("#/$defs/")).expect("a local $ref");
                validate(root, &root["$defs"][path], v, at)?;
            }
            "anyOf" | "oneOf" => {
                let list = x.as_array().expect("a list");
                let ok = list.iter().filter(|s| validate(root, s, v, at).is_ok()).count();
                let pass = if k == "anyOf" { ok >= 1 } else { ok == 1 };
                if !pass {
                    let why: Vec<String> = list.iter().filter_map(|s| validate(root, s, v, at).err()).collect();
                    return Err(format!("{at}: {ok} of {k} match: {}", why.join(" | ")));
                }
            }
            "allOf" => {
                for s in x.as_array().expect("a list") {
                    validate(root, s, v, at)?;
                }
            }
            "type" => {
                let types: Vec<&str> = match x {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("type {x}"),
                };
                if !types.iter().any(|t| is_type(v, t)) {
                    return Err(format!("{at}: {v} is not {types:?}"));
                }
            }
            "enum" => {
                if !x.as_array().expect("a list").contains(v) {
                    return Err(format!("{at}: {v} is not one of {x}"));
                }
            }
            "const" => {
                if x != v {
                    return Err(format!("{at}: {v} is not {x}"));
                }
            }
            "pattern" => {
                if let Value::String(text) = v {
                    let re = regex::Regex::new(x.as_str().expect("a pattern")).expect("a regex");
                    if !re.is_match(text) {
                        return Err(format!("{at}: {text:?} does not match {x}"));
                    }
                }
            }
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                if let (Some(n), Some(b)) = (v.as_f64(), x.as_f64()) {
                    let ok = match k.as_str() {
                        "minimum" => n >= b,
                        "maximum" => n <= b,
                        "exclusiveMinimum" => n > b,
                        _ => n < b,
                    };
                    if !ok {
                        return Err(format!("{at}: {n} fails {k} {b}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(a), Some(b)) = (v.as_array(), x.as_u64()) {
                    let ok = if k == "minItems" { a.len() as u64 >= b } else { a.len() as u64 <= b };
                    if !ok {
                        return Err(format!("{at}: {} items fail {k} {b}", a.len()));
                    }
                }
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, item) in a.iter().enumerate() {
                        validate(root, x, item, &format!("{at}/{i}"))?;
                    }
                }
            }
            "required" => {
                if let Some(o) = v.as_object() {
                    for r in x.as_array().expect("a list") {
                        let r = r.as_str().expect("a key");
                        if !o.contains_key(r) {
                            return Err(format!("{at}: `{r}` is required"));
                        }
                    }
                }
            }
            "properties" | "additionalProperties" | "propertyNames" => {
                let Some(o) = v.as_object() else { continue };
                let props = s.get("properties").and_then(Value::as_object);
                for (key, item) in o {
                    let here = format!("{at}/{key}");
                    match k.as_str() {
                        "properties" => {
                            if let Some(p) = props.and_then(|p| p.get(key)) {
                                validate(root, p, item, &here)?;
                            }
                        }
                        "additionalProperties" => {
                            if props.is_none_or(|p| !p.contains_key(key)) {
                                validate(root, x, item, &here).map_err(|e| format!("{e} (`{key}` is not allowed)"))?;
                            }
                        }
                        _ => validate(root, x, &json!(key), &here)?,
                    }
                }
            }
            other => panic!("the validator does not know the keyword `{other}` (at {at})"),
        }
    }
    Ok(())
}

/// Whether `v` is of the JSON Schema type `t`.
fn is_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|x| x.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

/// Asserts that `v` passes `schema`.
fn passes(schema: &Value, v: &Value, what: &str) {
    if let Err(e) = validate(schema, schema, v, "") {
        panic!("{what} fails the schema: {e}");
    }
}

/// The error `v` fails `schema` with (it must fail).
fn fails(schema: &Value, v: &Value, what: &str) -> String {
    match validate(schema, schema, v, "") {
        Ok(()) => panic!("{what} passes the schema"),
        Err(e) => e,
    }
}

/// A submission file as JSON (TOML read into the same values).
fn submission(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable");
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str(&text).expect("JSON"),
        Some("toml") => serde_json::to_value(text.parse::<toml::Table>().expect("TOML")).expect("as JSON"),
        _ => panic!("{}", path.display()),
    }
}

/// The submission files of a folder.
fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "toml")))
        .collect();
    out.sort();
    out
}

// ───────────── the committed schemas ─────────────

/// The committed schema `name` is the one the types give; `TAMGA_UPDATE_SCHEMAS=1` rewrites it.
fn committed(name: &str, schema: Value) {
    let path = root().join("schemas").join(name);
    let text = format!("{}\n", serde_json::to_string_pretty(&schema).expect("a schema"));
    if std::env::var_os("TAMGA_UPDATE_SCHEMAS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &text).expect("writable");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "schemas/{name} differs from the schema the types give: run `TAMGA_UPDATE_SCHEMAS=1 cargo test --test schema` and read the diff"
    );
}

#[test]
fn the_committed_schemas_are_the_ones_the_types_give() {
    committed("result.schema.json", tamga::schema::result());
    committed("diagnostics.schema.json", tamga::schema::diagnostics());
}

#[test]
fn the_command_prints_the_committed_schemas() {
    for (flag, name) in [("--result", "result.schema.json"), ("--diagnostics", "diagnostics.schema.json")] {
        let (code, out, err) = tamga(&["schema", flag]);
        assert_eq!(code, 0, "{err}");
        let file = std::fs::read_to_string(root().join("schemas").join(name)).expect("committed");
        assert!(out == file, "tamga schema {flag} prints schemas/{name}");
    }
}

#[test]
fn the_schemas_are_draft_2020_12() {
    for s in [tamga::schema::result(), tamga::schema::diagnostics(), tamga_json(&["schema", "rules/demo"])] {
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(s["type"], "object");
    }
}

// ───────────── submissions ─────────────

/// The example submissions of `dir` pass the schema of `rules`, but for the required answers
/// they leave out: a file `tamga validate` warns about fails on exactly the questions it names,
/// and passes once they are declared not submitted. The files that failed.
fn examples_pass(rules: &str, dir: &str) -> Vec<String> {
    let schema = tamga_json(&["schema", rules]);
    let required = schema["properties"]["answers"]["required"].as_array().expect("a list").clone();
    let mut incomplete = vec![];
    for path in files(dir) {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a name").to_string();
        let mut v = submission(&path);
        let left_out: Vec<String> = required
            .iter()
            .filter_map(Value::as_str)
            .filter(|q| v["answers"].get(q).is_none())
            .map(str::to_string)
            .collect();
        let (_, _, err) = tamga(&["validate", rules, path.to_str().expect("a path")]);
        let warned: Vec<&str> = err
            .lines()
            .filter_map(|l| l.split("required question `").nth(1))
            .filter_map(|l| l.split('`').next())
            .collect();
        assert_eq!(left_out, warned, "{name}: the schema's required answers are the ones validate warns about");
        if left_out.is_empty() {
            passes(&schema, &v, &name);
        } else {
            fails(&schema, &v, &name);
            for q in &left_out {
                v["answers"][q] = json!({ "missing": "not_submitted" });
            }
            passes(&schema, &v, &name);
            incomplete.push(name);
        }
    }
    incomplete
}

#[test]
fn the_eaeu_examples_pass_the_eaeu_schema() {
    assert_eq!(files("examples/eaeu").len(), 10);
    // am-2023.toml, incomplete too, declares its required answer `not_submitted`: it passes
    assert_eq!(examples_pass("rules/eaeu", "examples/eaeu"), ["am-2022.json", "kz-2022.json"]);
}

#[test]
fn the_other_examples_pass_their_schemas() {
    let demo = examples_pass("rules/demo", "examples/demo");
    assert!(demo.len() < files("examples/demo").len(), "{demo:?}");
    examples_pass("rules/wco-pmm-pilot", "examples/wco-pmm-pilot");
}

#[test]
fn the_submission_schema_follows_the_questions() {
    let s = tamga_json(&["schema", "rules/demo"]);
    let answers = &s["properties"]["answers"];
    assert_eq!(answers["additionalProperties"], false);
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(s["required"], json!(["unit", "period", "answers"]));
    let q = &answers["properties"];
    // a yes/no question, a choice, hours, a percentage
    assert_eq!(q["q02_advisory_body"]["anyOf"][0], json!({ "type": "boolean" }));
    assert_eq!(q["q02_format"]["anyOf"][0], json!({ "enum": ["council", "working_group", "conference", "other"] }));
    assert_eq!(q["q02_format"]["title"], "Format of the advisory mechanism");
    assert_eq!(q["q02_advisory_body"]["anyOf"][1], json!({ "$ref": "#/$defs/missing" }));
    let missing = &s["$defs"]["missing"];
    assert_eq!(missing["properties"]["missing"]["enum"], json!(["not_submitted", "not_applicable", "confidential"]));
    assert_eq!(missing["required"], json!(["missing"]));
    assert_eq!(missing["additionalProperties"], false);
    let every: Vec<&String> = q.as_object().expect("questions").keys().collect();
    let required: Vec<&str> =
        answers["required"].as_array().expect("a list").iter().filter_map(Value::as_str).collect();
    assert!(required.iter().all(|r| every.iter().any(|k| k == r)));
    // declared units are examples: other codes are accepted
    let s = tamga_json(&["schema", "rules/eaeu"]);
    assert_eq!(s["properties"]["unit"]["examples"], json!(["AM", "BY", "KZ", "KG", "RU"]));
    assert!(s["properties"]["unit"].get("enum").is_none());
}

#[test]
fn numbers_carry_their_ranges() {
    let s = tamga_json(&["schema", "rules/eaeu"]);
    let q = &s["properties"]["answers"]["properties"];
    // hours: a number of at least 0; a count: an integer of at least 0; a percentage: 0–100
    assert_eq!(q["q05_import_release_hours"]["anyOf"][0], json!({ "type": "number", "minimum": 0, "maximum": 8760 }));
    assert_eq!(q["q03_meetings"]["anyOf"][0], json!({ "type": "integer", "minimum": 0 }));
    let s = tamga_json(&["schema", "rules/wco-pmm-pilot"]);
    let percent = &s["properties"]["answers"]["properties"]["wco_q_staff_engagement_index"];
    assert_eq!(percent["x-tamga-type"], "percent");
    assert_eq!(percent["anyOf"][0], json!({ "type": "number", "minimum": 0, "maximum": 100 }));
}

#[test]
fn labels_follow_the_language() {
    let en = tamga_json(&["schema", "rules/demo"]);
    let ru = tamga_json(&["--lang", "ru", "schema", "rules/demo"]);
    let title = |s: &Value| s["properties"]["answers"]["properties"]["q02_format"]["title"].clone();
    assert_eq!(title(&en), "Format of the advisory mechanism");
    assert_ne!(title(&ru), title(&en));
    assert!(title(&ru).as_str().is_some_and(|t| t.chars().any(|c| ('а'..='я').contains(&c))), "{}", title(&ru));
}

/// A change made to a good submission.
type Change = Box<dyn Fn(&mut Value)>;

/// Broken submissions fail the schema, and `tamga validate` refuses them too.
#[test]
fn broken_submissions_fail_the_schema_as_validate_refuses_them() {
    let schema = tamga_json(&["schema", "rules/eaeu"]);
    let good = submission(&root().join("examples/eaeu/by-2023.json"));
    passes(&schema, &good, "by-2023.json");
    let dir = tempfile::tempdir().expect("a temp dir");
    let broken: Vec<(&str, Change)> = vec![
        ("a text for hours", Box::new(|v| v["answers"]["q05_import_release_hours"] = json!("9"))),
        ("negative hours", Box::new(|v| v["answers"]["q05_import_release_hours"] = json!(-1))),
        ("a fraction of a count", Box::new(|v| v["answers"]["q03_meetings"] = json!(2.5))),
        ("a number for yes/no", Box::new(|v| v["answers"]["q02_advisory_body"] = json!(1))),
        ("an unknown option", Box::new(|v| v["answers"]["q02_format"] = json!("council_of_elders"))),
        ("an unknown question", Box::new(|v| v["answers"]["q99_unknown"] = json!(1))),
        ("an unknown reason", Box::new(|v| v["answers"]["q03_meetings"] = json!({ "missing": "lost" }))),
        ("a reason of the evaluation", Box::new(|v| v["answers"]["q03_meetings"] = json!({ "missing": "invalid" }))),
        (
            "an unknown key of a missing answer",
            Box::new(|v| v["answers"]["q03_meetings"] = json!({ "missing": "confidential", "why": "…" })),
        ),
        ("no reason", Box::new(|v| v["answers"]["q03_meetings"] = json!({ "comment": "…" }))),
        ("an unknown top key", Box::new(|v| v["year"] = json!(2023))),
        ("no unit", Box::new(|v| drop(v.as_object_mut().map(|o| o.remove("unit"))))),
        ("a unit with a space", Box::new(|v| v["unit"] = json!("A M"))),
        ("an empty period", Box::new(|v| v["period"] = json!(""))),
    ];
    for (what, change) in broken {
        let mut v = good.clone();
        change(&mut v);
        fails(&schema, &v, what);
        let file = dir.path().join("broken.json");
        std::fs::write(&file, serde_json::to_string(&v).expect("JSON")).expect("writable");
        let (code, _, err) = tamga(&["validate", "rules/eaeu", file.to_str().expect("a path")]);
        assert_eq!(code, 1, "tamga validate refuses {what}: {err}");
    }
    // what the schema allows, the loader takes without an error: a declared missing answer with
    // a comment, a unit not in the declared list, a text period
    let mut v = good.clone();
    v["answers"]["q03_meetings"] = json!({ "missing": "confidential", "comment": "ведомственные данные" });
    v["unit"] = json!("AM-01");
    v["period"] = json!("2023-Q1");
    passes(&schema, &v, "a declared missing answer");
    let file = dir.path().join("fine.json");
    std::fs::write(&file, serde_json::to_string(&v).expect("JSON")).expect("writable");
    let (code, _, err) = tamga(&["validate", "rules/eaeu", file.to_str().expect("a path")]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_required_answer_left_out_fails_the_schema() {
    let schema = tamga_json(&["schema", "rules/eaeu"]);
    let required = schema["properties"]["answers"]["required"].as_array().expect("a list").clone();
    let first = required.first().and_then(Value::as_str).expect("a required question");
    let mut v = submission(&root().join("examples/eaeu/by-2023.json"));
    v["answers"].as_object_mut().expect("answers").remove(first);
    fails(&schema, &v, "a required answer left out");
    v["answers"][first] = json!({ "missing": "not_submitted" });
    passes(&schema, &v, "a required answer declared not submitted");
}

// ───────────── results and diagnostics ─────────────

#[test]
fn eval_json_passes_the_result_schema() {
    let schema = tamga::schema::result();
    let doc = tamga_json(&["eval", "rules/demo", "examples/demo", "--format", "json"]);
    assert!(!doc["periods"].as_array().expect("periods").is_empty());
    assert!(doc["diagnostics"].is_array(), "eval --format json always ends with its diagnostics");
    passes(&schema, &doc, "eval rules/demo");
    let doc = tamga_json(&["eval", "rules/eaeu", "examples/eaeu", "--format", "json"]);
    passes(&schema, &doc, "eval rules/eaeu");
    // a broken result fails it
    let mut broken = doc.clone();
    broken["periods"][0]["results"][0]["index"]["value"] = json!("high");
    fails(&schema, &broken, "an index that is a text");
    let mut broken = doc;
    broken["schema"] = json!("tamga.result/2");
    fails(&schema, &broken, "another schema id");
}

#[test]
fn the_reports_result_json_passes_the_result_schema() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("report");
    let (code, _, err) = tamga(&["report", "rules/demo", "examples/demo", "--out", out.to_str().expect("a path")]);
    assert_eq!(code, 0, "{err}");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("result.json")).expect("written")).expect("JSON");
    passes(&tamga::schema::result(), &doc, "result.json of tamga report");
}

#[test]
fn eval_json_with_missing_values_and_diagnostics_passes_the_result_schema() {
    // a submission with answers missing for every reason, and an error (left out) beside it
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut v = submission(&root().join("examples/demo/am-2023.json"));
    let ids: Vec<String> = v["answers"].as_object().expect("answers").keys().cloned().collect();
    for (id, reason) in ids.iter().zip(["not_applicable", "confidential", "not_submitted"]) {
        v["answers"][id] = json!({ "missing": reason });
    }
    std::fs::write(dir.path().join("am.json"), serde_json::to_string(&v).expect("JSON")).expect("writable");
    let mut broken = submission(&root().join("examples/demo/kg-2023.json"));
    broken["answers"]["q99_unknown"] = json!(1);
    std::fs::write(dir.path().join("kg.json"), serde_json::to_string(&broken).expect("JSON")).expect("writable");
    let doc = tamga_json(&[
        "eval",
        "rules/demo",
        dir.path().to_str().expect("a path"),
        "examples/demo/by-2023.json",
        "--format",
        "json",
    ]);
    assert!(doc["diagnostics"].as_array().is_some_and(|d| !d.is_empty()), "{}", doc["diagnostics"]);
    assert!(doc.to_string().contains("\"cause\""));
    passes(&tamga::schema::result(), &doc, "eval with missing answers");
}

#[test]
fn check_json_passes_the_diagnostics_schema() {
    let schema = tamga::schema::diagnostics();
    let ok = tamga_json(&["check", "rules/eaeu", "--format", "json", "--explain-defaults"]);
    assert!(ok["defaults"].as_array().is_some_and(|d| !d.is_empty()));
    passes(&schema, &ok, "check rules/eaeu");
    let mut errors = 0;
    for entry in std::fs::read_dir(root().join("tests/cases/err")).expect("a folder") {
        let path = entry.expect("an entry").path();
        let rel = path.strip_prefix(root()).expect("under the root").to_str().expect("a path").to_string();
        let doc = tamga_json(&["check", &rel, "--format", "json"]);
        passes(&schema, &doc, &rel);
        errors += doc["errors"].as_u64().unwrap_or(0);
    }
    assert!(errors > 0);
    let mut broken = ok;
    broken["diagnostics"] = json!([{ "severity": "fatal", "code": "x", "message": "m" }]);
    fails(&schema, &broken, "an unknown severity");
}

/// Copies a folder (without sub-folders' sub-folders: rule folders are flat but for `tests/`).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copied");
        }
    }
}

#[test]
fn an_approved_methodologys_check_and_result_pass_their_schemas() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let rules = dir.path().join("demo");
    copy_dir(&root().join("rules/demo"), &rules);
    // the test cases name the examples relative to the rules: point them at the crate's
    let examples = root().join("examples/demo");
    for e in std::fs::read_dir(rules.join("tests")).expect("a folder") {
        let path = e.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let text = text.replace("../../../examples/demo", &examples.to_string_lossy().replace('\\', "/"));
        std::fs::write(&path, text).expect("writable");
    }
    std::fs::write(rules.join("methodology.toml"), "id = \"eaeu_demo\"\nversion = \"0.1.0\"\nstatus = \"draft\"\n")
        .expect("writable");
    let rules = rules.to_str().expect("a path");
    let (code, _, err) = tamga(&["approve", rules, "--decision", "Decision No. 12", "--date", "2025-03-01"]);
    assert_eq!(code, 0, "{err}");
    let doc = tamga_json(&["check", rules, "--format", "json"]);
    assert_eq!(doc["approval"]["decision"], "Decision No. 12");
    passes(&tamga::schema::diagnostics(), &doc, "check of an approved methodology");
    let doc = tamga_json(&["eval", rules, "examples/demo", "--format", "json"]);
    assert_eq!(doc["status"]["approval"]["decision"], "Decision No. 12");
    passes(&tamga::schema::result(), &doc, "the result of an approved methodology");
}

// ───────────── the command ─────────────

#[test]
fn out_writes_the_schema_and_refuses_an_input() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("eaeu.schema.json");
    let (code, out, err) = tamga(&["schema", "rules/eaeu", "--out", file.to_str().expect("a path")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("the schema of submissions to eaeu"), "{out}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("JSON");
    assert_eq!(written, tamga_json(&["schema", "rules/eaeu"]));
    let (code, _, err) = tamga(&["schema", "rules/demo", "--out", "rules/demo/questions.tamga"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("one of the inputs"), "{err}");
    // a methodology with errors: the diagnostics, exit code 1, no schema
    let (code, out, err) = tamga(&["schema", "tests/cases/err/unknown_name.tamga"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(err.contains("tamga::check::"), "{err}");
    let (code, _, _) = tamga(&["schema"]);
    assert_eq!(code, 2);
    let (code, _, _) = tamga(&["schema", "rules/demo", "--result"]);
    assert_eq!(code, 2);
}
