//! Every example in the documentation is run: ```tamga blocks must check without errors,
//! ```tamga error blocks must fail the check, and every line of a ```tamga-values block
//! (`EXPRESSION => RESULT`) must evaluate to the stated result.

use tamga::check::check_text;
use tamga::diagnostics::{has_errors, render, Style};

fn blocks(path: &str) -> Vec<(String, String, usize)> {
    let text = std::fs::read_to_string(path).expect("docs file");
    let mut out = vec![];
    let mut cur: Option<(String, String, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut cur {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    if info.starts_with("tamga") {
                        cur = Some((info.trim().to_string(), String::new(), i + 1));
                    }
                }
            }
            Some((_, body, _)) => {
                if line.starts_with("```") {
                    out.push(cur.take().expect("block"));
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    out
}

fn style() -> Style {
    Style { color: false, width: 100 }
}

fn check_blocks(path: &str) -> usize {
    let mut n = 0;
    for (info, body, line) in blocks(path) {
        let name = format!("{path}:{line}");
        match info.as_str() {
            "tamga" => {
                let c = check_text(&name, &body);
                assert!(
                    !has_errors(&c.diags),
                    "example at {name} does not check:\n{}",
                    render(&c.diags, &c.sources, style())
                );
                n += 1;
            }
            "tamga error" => {
                let c = check_text(&name, &body);
                assert!(has_errors(&c.diags), "example at {name} should fail the check");
                n += 1;
            }
            "tamga-values" => {
                for (k, l) in body.lines().enumerate() {
                    if l.trim().is_empty() {
                        continue;
                    }
                    let (expr, want) = l.rsplit_once("=>").expect("EXPR => RESULT");
                    assert_eq!(eval_one(expr.trim()), want.trim(), "{path}:{}: `{}`", line + k + 1, expr.trim());
                    n += 1;
                }
            }
            other => panic!("unknown block kind `{other}` at {name}"),
        }
    }
    n
}

/// Evaluates one constant expression through the whole pipeline.
fn eval_one(expr: &str) -> String {
    let text = format!("methodology v {{ en \"v\" ru \"v\" version \"1\" }}\nindicator v = {expr} {{ en \"v\" ru \"v\" precision 12 }}\n");
    let c = check_text("value.tamga", &text);
    let (m, _) = match c.methodology() {
        Ok(x) => x,
        Err((s, d)) => panic!("`{expr}` does not check:\n{}", render(&d, &s, style())),
    };
    let mut sources = m.sources.clone();
    let (sub, diags) =
        tamga::data::load_text(&m.model, "x.json", r#"{"unit": "XX", "period": "1", "answers": {}}"#, &mut sources);
    assert!(!has_errors(&diags));
    let data = tamga::data::Dataset { submissions: vec![sub.expect("submission")] };
    let out = tamga::eval::evaluate(&m.model, &data);
    let ind = &m.model.indicators["v"];
    match out.periods[0].get(ind.value, 0) {
        Ok(x) if ind.boolean => (if x != 0.0 { "yes" } else { "no" }).to_string(),
        Ok(x) => tamga::number::shortest(x),
        Err(miss) => format!("missing: {}", miss.reason.as_str()),
    }
}

#[test]
fn language_reference_examples_run() {
    let n = check_blocks("docs/language.md");
    assert!(n > 20, "only {n} examples found");
}

#[test]
fn readme_examples_run() {
    check_blocks("README.md");
}
