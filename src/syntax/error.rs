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
    if let ErrorVariant::CustomError { message } = &e.variant {
        if let Some(d) = limit(file, text, pos, message) {
            return d;
        }
    }
    let found = found_at(text, pos);
    let span = Span::new(file, pos, pos + found.len());
    let (expected, help) = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_list(positives, text, pos),
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let shown = if found.is_empty() { "the end of the file".to_string() } else { format!("`{found}`") };
    if let Some(d) = special(file, text, pos) {
        return d;
    }
    let mut d = Diag::error(Code::Syntax, format!("expected {expected}, found {shown}"))
        .at(span, if found.is_empty() { "the text ends here" } else { "not expected here" });
    if let Some(h) = help {
        d = d.help(h);
    }
    if found.is_empty() {
        if let Some(open) = unclosed_brace(text) {
            d = d.also(Span::new(file, open, open + 1), "this `{` is never closed");
        }
    }
    d
}

/// pest gave up: the text needs more rule calls than [`super::MAX_PARSE_CALLS`], or more stack
/// than is left.
fn limit(file: FileId, text: &str, pos: usize, message: &str) -> Option<Diag> {
    let what = match message {
        "call limit reached" => format!("the parser gave up after {} steps", super::MAX_PARSE_CALLS),
        "stack limit reached" => "the text is nested too deeply for the parser".to_string(),
        _ => return None,
    };
    let pos = pos.min(text.len());
    let pos = (0..=pos).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    Some(
        Diag::error(Code::Syntax, what)
            .at(Span::new(file, pos, pos), "while reading this")
            .help("split long or deeply nested formulas into several indicators, and large files into several files with `include`"),
    )
}

/// Errors with a known cause get their own message: a Cyrillic or Greek look-alike letter in a
/// name, an unclosed text, a question without a type.
fn special(file: FileId, text: &str, pos: usize) -> Option<Diag> {
    if let Some(d) = lookalike_name(file, text, pos) {
        return Some(d);
    }
    if let Some(d) = decimal_comma(file, text, pos) {
        return Some(d);
    }
    if let Some(start) = unclosed_string(text, pos) {
        let line = text[..start].matches('\n').count() + 1;
        return Some(
            Diag::error(Code::Syntax, format!("the text starting on line {line} is not closed"))
                .at(Span::new(file, start, start + 1), "this `\"` has no closing `\"` on its line")
                .help("close the text with `\"` on the same line; write a line break inside a text as `\\n`"),
        );
    }
    let rest = &text[pos..];
    for (bad, good) in [("&&", "and"), ("||", "or")] {
        if rest.starts_with(bad) {
            return Some(
                Diag::error(Code::Syntax, format!("`{bad}` is not an operator in tamga"))
                    .at(Span::new(file, pos, pos + 2), format!("write `{good}`"))
                    .help(format!(
                        "conditions are joined with `and` and `or`, and negated with `not`: `a > 0 {good} b > 0`"
                    )),
            );
        }
    }
    // `question name {` without `: type`
    let line_start = text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &text[line_start..];
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("question ") {
        let name: String = rest.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let after = rest.trim_start()[name.len()..].trim_start();
        if !name.is_empty() && !after.starts_with(':') {
            let at = line_start
                + (line.len() - trimmed.len())
                + "question ".len()
                + (rest.len() - rest.trim_start().len())
                + name.len();
            return Some(
                Diag::error(Code::Syntax, format!("the question `{name}` has no type"))
                    .at(Span::new(file, at, at), "expected `:` and a type here")
                    .help(format!("write `question {name} : hours {{ … }}` (types: number, count, percent, hours, money, yesno, choice(a, b))")),
            );
        }
    }
    None
}

/// A name with a Cyrillic or Greek letter that looks like a Latin one (`q08а`): pest stops at
/// that letter (ids are ASCII), or at the start of the declaration whose line holds it. The name
/// around `pos` is tried first, then each name on the rest of the line (texts and comments aside).
fn lookalike_name(file: FileId, text: &str, pos: usize) -> Option<Diag> {
    let word = |c: &char| c.is_alphanumeric() || *c == '_';
    let before = text.get(..pos)?;
    let mut start = pos - before.chars().rev().take_while(word).map(char::len_utf8).sum::<usize>();
    let line_end = text.get(pos..)?.find('\n').map_or(text.len(), |i| pos + i);
    let mut in_text = false;
    while start < line_end {
        let rest = text.get(start..line_end)?;
        let c = rest.chars().next()?;
        if in_text || c == '"' {
            in_text = c != '"' || !in_text;
            start += c.len_utf8();
            continue;
        }
        if c == '#' {
            return None;
        }
        let len: usize = rest.chars().take_while(word).map(char::len_utf8).sum();
        if len == 0 {
            start += c.len_utf8();
            continue;
        }
        let name = &rest[..len];
        if let Some((note, fixed)) = crate::diagnostics::lookalike(name) {
            return Some(
                Diag::error(Code::Syntax, note.clone())
                    .at(Span::new(file, start, start + len), "a letter here is not Latin")
                    .help(format!(
                        "did you mean `{fixed}`? ids are written in Latin letters, digits and `_`: retype {} in the Latin keyboard layout",
                        if note.contains(", and ") { "these letters" } else { "the letter" }
                    )),
            );
        }
        start += len;
    }
    None
}

/// `in 0,5..10`, `weight 0,5`, `q * 0,5`: the parser stops at the comma of a decimal comma.
fn decimal_comma(file: FileId, text: &str, pos: usize) -> Option<Diag> {
    let rest = text.get(pos..)?.strip_prefix(',')?;
    let before = text.get(..pos)?;
    let whole = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let frac = rest.bytes().take_while(u8::is_ascii_digit).count();
    // digits on both sides, and not the end of a name (`q5,6`)
    let preceded_by_name =
        before[..pos - whole].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if whole == 0 || frac == 0 || preceded_by_name {
        return None;
    }
    let (w, f) = (&before[pos - whole..], &rest[..frac]);
    Some(
        Diag::error(Code::Syntax, format!("`{w},{f}` is written with a decimal comma"))
            .at(Span::new(file, pos - whole, pos + 1 + frac), "a decimal comma")
            .help(format!("write `{w}.{f}`: tamga uses a decimal point")),
    )
}

/// The position of a `"` that opens a text not closed on its line, before `pos`.
fn unclosed_string(text: &str, pos: usize) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > pos {
            break;
        }
        let mut open: Option<usize> = None;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match (open, c) {
                (None, '#') => break,
                (None, '"') => open = Some(offset + i),
                (Some(_), _) if escaped => escaped = false,
                (Some(_), '\\') => escaped = true,
                (Some(_), '"') => open = None,
                _ => {}
            }
        }
        if let Some(o) = open {
            return Some(o);
        }
        offset += line.len();
    }
    None
}

/// The last `{` that is never closed (strings and comments skipped).
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut stack = vec![];
    let (mut in_str, mut in_comment, mut escaped) = (false, false, false);
    for (i, c) in text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' => in_str = true,
            '{' => stack.push(i),
            '}' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
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
    Rule::prop_vary,
    Rule::prop_impute,
    Rule::prop_treat,
    Rule::prop_screen,
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
    Rule::prop_units,
    Rule::prop_unit,
    Rule::prop_range,
    Rule::presence,
    Rule::prop_option,
    Rule::direction,
    Rule::reported_only,
    Rule::prop_score,
    Rule::prop_weight,
    Rule::prop_weights,
    Rule::prop_aggregate,
    Rule::prop_missing,
    Rule::prop_kind,
    Rule::prop_outside_scale,
    Rule::prop_requires,
    Rule::prop_level,
    Rule::prop_baseline,
    Rule::prop_severity,
    Rule::question,
    Rule::indicator,
    Rule::area,
    Rule::standard,
    Rule::lang,
];

/// The words that may start a body item, for "did you mean".
pub(super) const BODY_WORDS: &[&str] = &[
    "vary",
    "impute",
    "treat",
    "screen",
    "outside_scale",
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
    "weights",
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

const DECL_WORDS: &[&str] = &[
    "methodology",
    "include",
    "question",
    "group",
    "indicator",
    "area",
    "index",
    "chapter",
    "standard",
    "recommend",
    "require",
    "uncertainty",
];

fn expected_list(positives: &[Rule], text: &str, pos: usize) -> (String, Option<String>) {
    let mut names: Vec<&str> = vec![];
    let body_like = positives.iter().filter(|r| BODY_RULES.contains(r)).count() >= 3;
    let top_level = positives.contains(&Rule::methodology) && positives.contains(&Rule::recommend);
    if body_like {
        names.push("a label (`en \"…\"`), a property (`weight`, `unit`, `score`, …), a nested declaration or `}`");
    } else if top_level {
        names.push("a declaration (`methodology`, `question`, `group`, `indicator`, `area`, `index`, `chapter`, `standard`, `recommend`, `require`, `include`)");
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
                        | Rule::require
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
    let is_word = found.chars().next().is_some_and(char::is_alphabetic);
    let did_you_mean = if !is_word {
        None
    } else if body_like {
        crate::diagnostics::suggest(found, BODY_WORDS.iter().copied())
    } else if top_level {
        crate::diagnostics::suggest(found, DECL_WORDS.iter().copied())
    } else {
        None
    };
    let hint = match did_you_mean {
        _ if is_word && range_gap(text, pos) => Some(format!(
            "a constant at a range's upper end follows the operator without a space: `0..={found}` \
             (`0.. ` leaves the range open at the top)"
        )),
        Some(w) if !found.is_empty() && w != found => Some(format!("did you mean `{w}`?")),
        _ => hint(positives, text, pos),
    };
    (list, hint)
}

/// Whether a name at `pos` follows a range's operator after spaces (`0.. cap`).
fn range_gap(text: &str, pos: usize) -> bool {
    let head = text.get(..pos).unwrap_or("");
    let trimmed = head.trim_end_matches([' ', '\t']);
    trimmed.len() < head.len() && (trimmed.ends_with("..") || trimmed.ends_with("..="))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// pest's own limits (`set_call_limit`, its stack guard) come as custom errors: they are
    /// reported in words, at a character boundary, not as "expected call limit reached".
    #[test]
    fn pest_limits_are_diagnostics() {
        let text = "indicator x = é + 1";
        for (message, words) in [
            ("call limit reached", "the parser gave up after"),
            ("stack limit reached", "nested too deeply for the parser"),
        ] {
            let variant = ErrorVariant::CustomError { message: message.to_string() };
            let pos = pest::Position::new(text, 14).expect("a position");
            let e = pest::error::Error::<Rule>::new_from_pos(variant, pos);
            let d = from_pest(FileId(0), text, e);
            assert!(d.message.contains(words), "{}", d.message);
            assert_eq!(d.code, Code::Syntax);
        }
        // a position inside a character is moved back to its start
        let d = limit(FileId(0), text, 15, "call limit reached").expect("a limit");
        assert_eq!(d.primary.expect("a place").span.start, 14);
    }
}
