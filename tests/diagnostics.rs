//! Every file in `tests/cases/err/` holds one mistake a methodologist would make; the checker's
//! report on it is snapshotted in full, as the user sees it (no colour, 100 columns).
//!
//! The first line of each file says what the mistake is. Files named `warn_*` are correct but
//! deserve a warning; every other file must give at least one error.

use std::path::{Path, PathBuf};
use tamga::diagnostics::{has_errors, render, Style};

/// The path relative to the crate root, as a user would type it (file names appear in output).
fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().expect("crate root");
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).expect("current dir");
    assert_eq!(cwd, root, "the cases run from the crate root, as `cargo test` does");
    path.canonicalize().expect("a case file").strip_prefix(&root).expect("a case inside the crate").to_path_buf()
}

#[test]
fn err_cases() {
    insta::glob!("cases/err/*.tamga", |path| {
        let rel = relative(path);
        let checked = tamga::check::check(&rel);
        let report = render(&checked.diags, &checked.sources, Style { color: false, width: 100 });
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with("warn_") {
            assert!(!has_errors(&checked.diags), "{name} should only warn:\n{report}");
            assert!(!checked.diags.is_empty(), "{name} should give a warning");
            assert!(checked.model.is_some(), "{name}: warnings keep the model");
        } else {
            assert!(has_errors(&checked.diags), "{name} should give an error:\n{report}");
            assert!(checked.model.is_none(), "{name}: errors give no model");
        }
        insta::assert_snapshot!(report);
    });
}

/// A decimal comma in the arguments of a property (`missing reweight(min: 0,67)`) is named as
/// such, with the decimal point to write, whatever else the property's own check says.
#[test]
fn decimal_comma_in_property_arguments() {
    let text = "methodology m { en \"M\" ru \"М\" version \"1\" }\nquestion q : hours { en \"Q\" ru \"В\" }\n\
                area a { en \"A\" ru \"Н\" missing reweight(min: 0,67)\n  indicator i = q { en \"I\" ru \"И\" score goalposts(best: 0, worst: 4) }\n}\n";
    let c = tamga::check::check_text("m.tamga", text);
    let d = c.diags.iter().find(|d| d.message.contains("decimal comma")).expect("the decimal comma is named");
    assert_eq!(d.message, "`0,67` is written with a decimal comma");
    assert_eq!(d.help.as_deref(), Some("write `0.67`: tamga uses a decimal point"));
}
