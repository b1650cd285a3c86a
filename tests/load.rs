//! Loading is a stage of its own: `check_with` reads an editor's unsaved buffers (an
//! [`Overlay`]) in preference to the disk, and every file read from disk keeps the absolute path
//! it was read from.

use std::path::Path;
use tamga::check::{check, check_with};
use tamga::diagnostics::has_errors;
use tamga::load::Overlay;

const ENTRY: &str = r#"methodology m { en "M" ru "М" version "1" }
include "questions.tamga"
area a { en "A" ru "Н"
  indicator i = q / 2 { en "I" ru "И" score goalposts(best: 1, worst: 10) weight 1 }
}
"#;

const QUESTIONS: &str = "question q : hours { en \"Q\" ru \"В\" }\n";

fn folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("methodology.tamga"), ENTRY).expect("write");
    std::fs::write(tmp.path().join("questions.tamga"), QUESTIONS).expect("write");
    tmp
}

fn canon(p: &Path) -> std::path::PathBuf {
    std::fs::canonicalize(p).expect("canonicalize")
}

#[test]
fn an_unsaved_buffer_is_read_instead_of_the_file_on_disk() {
    let tmp = folder();
    assert!(!has_errors(&check(tmp.path()).diags));
    let mut overlay = Overlay::default();
    // the editor's path, with a detour that normalising removes
    let edited = tmp.path().join("sub").join("..").join("questions.tamga");
    overlay
        .insert(edited, "question q : hours { en \"Q\" ru \"В\" }\nquestion q : count { en \"Q\" ru \"В\" }\n".into());
    let checked = check_with(tmp.path(), &overlay);
    assert!(has_errors(&checked.diags), "the buffer's duplicate question is reported");
    let names: Vec<&str> = checked.sources.files().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(checked.sources.files()[1].text.contains("count"), "the buffer's text is the one kept");
    // the disk is unchanged, and removing the buffer reads it again
    overlay.remove(&tmp.path().join("questions.tamga"));
    assert!(!has_errors(&check_with(tmp.path(), &overlay).diags));
}

#[test]
fn a_buffer_of_a_file_not_yet_saved_can_be_included() {
    let tmp = folder();
    std::fs::remove_file(tmp.path().join("questions.tamga")).expect("remove");
    assert!(has_errors(&check(tmp.path()).diags), "the include is missing on disk");
    let mut overlay = Overlay::default();
    overlay.insert(tmp.path().join("questions.tamga"), QUESTIONS.into());
    let checked = check_with(tmp.path(), &overlay);
    assert!(!has_errors(&checked.diags));
    assert!(checked.model.is_some());
}

#[test]
fn every_rule_file_keeps_the_absolute_path_it_was_read_from() {
    let tmp = folder();
    let checked = check(tmp.path());
    assert_eq!(checked.sources.files().len(), 2);
    let entry = checked.sources.path(tamga::source::FileId(0)).expect("the entry's path");
    let included = checked.sources.path(tamga::source::FileId(1)).expect("the include's path");
    assert!(entry.is_absolute() && included.is_absolute());
    assert_eq!(canon(entry), canon(&tmp.path().join("methodology.tamga")));
    assert_eq!(canon(included), canon(&tmp.path().join("questions.tamga")));
    // the names shown stay as given
    assert_eq!(checked.sources.files()[0].name, format!("{}/methodology.tamga", tmp.path().display()));
    // a methodology given as text was read from no file
    let text = tamga::check::check_text("m.tamga", QUESTIONS);
    assert_eq!(text.sources.path(tamga::source::FileId(0)), None);
}

#[cfg(unix)]
#[test]
fn a_buffer_is_found_through_a_symbolic_link_to_its_folder() {
    let tmp = folder();
    let link = tempfile::tempdir().expect("tempdir");
    let linked = link.path().join("m");
    std::os::unix::fs::symlink(tmp.path(), &linked).expect("symlink");
    let mut overlay = Overlay::default();
    // the editor names the real file; the methodology is checked through the link
    overlay.insert(tmp.path().join("questions.tamga"), "question q : hours { en \"Q\" ru \"В\" } !".into());
    assert!(has_errors(&check_with(&linked, &overlay).diags), "the buffer's syntax error is reported");
    overlay.remove(&linked.join("questions.tamga"));
    assert!(overlay.is_empty(), "removed by the linked path");
    assert!(!has_errors(&check_with(&linked, &overlay).diags));
}
