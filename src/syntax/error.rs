//! The pest → diagnostic adapter: turns pest's lists of expected rules into human words.
//!
//! pest's own `into_miette` is not used: it loses file names and shows rule names.

use super::names::human;
use super::Rule;
use crate::diagnostics::{Code, Diag};
use crate::source::{FileId, Span};
use pest::error::{ErrorVariant, InputLocation};

/// Converts a pest error into a diagnostic that says what was expected and what was found.
pub(super) fn from_pest(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diag {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = found_at(text, pos);
    let span = Span::new(file, pos, pos + found.len());
    let (expected, help) = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_list(positives, text, pos),
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let shown = if found.is_empty() { "the end of the file".to_string() } else { format!("`{found}`") };
    let mut d = Diag::error(Code::Syntax, format!("expected {expected}, found {shown}"))
        .at(span, if found.is_empty() { "the text ends here" } else { "not expected here" });
    if let Some(h) = help {
        d = d.help(h);
    }
    d
}

/// The word or character at `pos`, to say what was found.
fn found_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let rest = rest.trim_end_matches(['\n', '\r']);
    if rest.is_empty() {
        return "";
    }
    let word_len: usize = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    if word_len > 0 {
        &rest[..word_len]
    } else {
        let c = rest.chars().next().map(char::len_utf8).unwrap_or(0);
        &rest[..c]
    }
}

const BODY_RULES: &[Rule] = &[
    Rule::label,
    Rule::help,
    Rule::note,
    Rule::source,
    Rule::prop_version,
    Rule::prop_scale,
    Rule::prop_precision,
    Rule::prop_score_precision,
    Rule::prop_rounding,
    Rule::prop_unit_name,
    Rule::prop_languages,
    Rule::prop_unit,
    Rule::prop_range,
    Rule::presence,
    Rule::prop_option,
    Rule::direction,
    Rule::prop_score,
    Rule::prop_weight,
    Rule::prop_aggregate,
    Rule::prop_missing,
    Rule::prop_kind,
    Rule::prop_requires,
    Rule::prop_level,
    Rule::prop_baseline,
    Rule::question,
    Rule::indicator,
    Rule::area,
    Rule::standard,
    Rule::lang,
];

/// The words that may start a body item, for "did you mean".
pub(super) const BODY_WORDS: &[&str] = &[
    "help",
    "note",
    "source",
    "version",
    "scale",
    "precision",
    "score_precision",
    "rounding",
    "unit_name",
    "languages",
    "unit",
    "range",
    "required",
    "optional",
    "option",
    "higher_is_better",
    "lower_is_better",
    "score",
    "weight",
    "aggregate",
    "missing",
    "kind",
    "requires",
    "level",
    "baseline",
    "question",
    "indicator",
    "area",
    "standard",
    "en",
    "ru",
];

const DECL_WORDS: &[&str] =
    &["methodology", "include", "question", "group", "indicator", "area", "index", "chapter", "standard", "recommend"];

fn expected_list(positives: &[Rule], text: &str, pos: usize) -> (String, Option<String>) {
    let mut names: Vec<&str> = vec![];
    let body_like = positives.iter().filter(|r| BODY_RULES.contains(r)).count() >= 3;
    let top_level = positives.contains(&Rule::methodology) && positives.contains(&Rule::recommend);
    if body_like {
        names.push("a label (`en \"…\"`), a property (`weight`, `unit`, `score`, …), a nested declaration or `}`");
    } else if top_level {
        names.push("a declaration (`methodology`, `question`, `group`, `indicator`, `area`, `index`, `chapter`, `standard`, `recommend`, `include`)");
    }
    for r in positives {
        if (body_like && BODY_RULES.contains(r))
            || (top_level
                && matches!(
                    r,
                    Rule::methodology
                        | Rule::include
                        | Rule::question
                        | Rule::group
                        | Rule::indicator
                        | Rule::area
                        | Rule::index
                        | Rule::chapter
                        | Rule::standard
                        | Rule::recommend
                        | Rule::EOI
                ))
        {
            continue;
        }
        let n = human(*r);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let list = match names.len() {
        0 => "something else".to_string(),
        1 => names[0].to_string(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} or {}", names.join(", "), last)
        }
    };
    let found = found_at(text, pos);
    let did_you_mean = if body_like {
        crate::diagnostics::suggest(found, BODY_WORDS.iter().copied())
    } else if top_level {
        crate::diagnostics::suggest(found, DECL_WORDS.iter().copied())
    } else {
        None
    };
    let hint = match did_you_mean {
        Some(w) if !found.is_empty() && w != found => Some(format!("did you mean `{w}`?")),
        _ => hint(positives, text, pos),
    };
    (list, hint)
}

/// A context-specific hint for common slips.
fn hint(positives: &[Rule], text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..).unwrap_or("");
    let before = text.get(..pos).unwrap_or("").trim_end();
    if rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>") {
        return Some(
            "to compare, write `==`; a declaration's formula comes right after its name: `indicator x = …`".into(),
        );
    }
    if rest.starts_with("//") {
        return Some("comments start with `#`".into());
    }
    if rest.starts_with('\'') {
        return Some("texts are written in double quotes: \"…\"".into());
    }
    if rest.starts_with("&&") || rest.starts_with("||") {
        return Some("write `and` / `or`".into());
    }
    if rest.starts_with('!') && !rest.starts_with("!=") {
        return Some("write `not`".into());
    }
    if positives.contains(&Rule::EOI) && rest.starts_with('}') {
        return Some("this `}` closes nothing: remove it or check the braces above".into());
    }
    if rest.is_empty() && before.ends_with(['+', '-', '*', '/', '^']) {
        return Some("the expression ends with an operator: add the missing operand".into());
    }
    if rest.is_empty() {
        return Some("the file ends too early: is a `}` or `)` missing?".into());
    }
    if positives.contains(&Rule::ident) && rest.chars().next().is_some_and(|c| c.is_alphabetic() && !c.is_ascii()) {
        return Some("ids are ASCII (`q5_release`); put Russian text in a label: `ru \"…\"`".into());
    }
    None
}

/// Reports nesting deeper than `max` before pest sees the text, so a pathological input is a
/// diagnostic rather than a stack overflow.
pub(super) fn check_depth(file: FileId, text: &str, max: usize) -> Option<Diag> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' => in_str = true,
            '(' | '{' => {
                depth += 1;
                if depth > max {
                    return Some(
                        Diag::error(Code::Syntax, format!("nesting deeper than {max} levels"))
                            .at(Span::new(file, i, i + 1), "too deep here")
                            .help("split the formula into several indicators"),
                    );
                }
            }
            ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
