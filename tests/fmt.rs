//! `fmt` keeps meaning and comments, and is idempotent, over every rule file in the repository.

use std::path::{Path, PathBuf};
use tamga::source::FileId;
use tamga::syntax::{parse_file, print};

fn rule_files() -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![PathBuf::from("rules"), PathBuf::from("tests/cases/ok"), PathBuf::from("examples")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "tamga") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn comments(text: &str) -> Vec<String> {
    // every comment, by its text, in order
    let mut v = vec![];
    let mut in_str = false;
    let mut esc = false;
    let mut cur: Option<String> = None;
    for c in text.chars() {
        if let Some(s) = cur.as_mut() {
            if c == '\n' {
                v.push(s.trim_end().to_string());
                cur = None;
            } else {
                s.push(c);
            }
            continue;
        }
        if in_str {
            if esc {
                esc = false
            } else if c == '\\' {
                esc = true
            } else if c == '"' {
                in_str = false
            }
            continue;
        }
        if c == '"' {
            in_str = true
        } else if c == '#' {
            cur = Some("#".into())
        }
    }
    if let Some(s) = cur {
        v.push(s.trim_end().to_string());
    }
    v
}

fn fmt_check(path: &Path) {
    let text = std::fs::read_to_string(path).expect("read");
    let Ok(ast) = parse_file(FileId(0), &text) else { return };
    let once = print::format_file(&ast, &text);
    let ast2 =
        parse_file(FileId(0), &once).unwrap_or_else(|_| panic!("{} does not parse after fmt:\n{once}", path.display()));
    let twice = print::format_file(&ast2, &once);
    assert_eq!(once, twice, "fmt is not idempotent on {}", path.display());
    assert_eq!(print::canonical(&[&ast]), print::canonical(&[&ast2]), "fmt changed the meaning of {}", path.display());
    assert_eq!(comments(&text), comments(&once), "fmt lost or reordered comments in {}", path.display());
}

#[test]
fn fmt_is_idempotent_keeps_comments_and_meaning() {
    let files = rule_files();
    assert!(!files.is_empty());
    for f in &files {
        fmt_check(f);
    }
}

#[test]
fn comments_everywhere_survive() {
    let text = "# head\nmethodology m { # after brace\n  en \"M\" # trailing\n  # inside\n  version \"1\"\n  # before close\n}\n\n# between\nquestion q : number # after header\n\n# end\n";
    let ast = parse_file(FileId(0), text).expect("parses");
    let once = print::format_file(&ast, text);
    assert_eq!(comments(text), comments(&once), "{once}");
    let ast2 = parse_file(FileId(0), &once).expect("parses");
    assert_eq!(print::format_file(&ast2, &once), once);
}

#[test]
fn canonical_form_ignores_layout_comments_and_order() {
    let a = "methodology m { en \"M\" version \"1\" }\nquestion a : number\nquestion b : count in 1..\n";
    let b = "# comment\nquestion b : count in 1..   # x\nmethodology m {\n  version \"1\"\n\n  en \"M\"\n}\nquestion a :   number\n";
    let pa = parse_file(FileId(0), a).expect("a");
    let pb = parse_file(FileId(0), b).expect("b");
    assert_eq!(print::canonical(&[&pa]), print::canonical(&[&pb]), "layout, comments, property and declaration order");
    let pa2 = parse_file(
        FileId(0),
        "question b : count in 1..\nmethodology m { en \"M\" version \"1\" }\nquestion a : number\n",
    )
    .expect("a2");
    assert_eq!(print::canonical(&[&pa]), print::canonical(&[&pa2]));
    let changed = parse_file(
        FileId(0),
        "methodology m { en \"M\" version \"1\" }\nquestion a : number\nquestion b : count in 0..\n",
    )
    .expect("c");
    assert_ne!(print::canonical(&[&pa]), print::canonical(&[&changed]), "a changed range changes the form");
}

#[test]
fn bundled_methodologies_are_in_the_canonical_layout() {
    for entry in std::fs::read_dir("rules").expect("rules").flatten() {
        let dir = entry.path();
        if !dir.join("methodology.tamga").is_file() {
            continue;
        }
        let code = tamga::cli::run(["tamga", "fmt", "--check", dir.to_str().expect("utf8")].map(Into::into));
        assert_eq!(code, 0, "{} is not formatted: run `tamga fmt {}`", dir.display(), dir.display());
    }
}
