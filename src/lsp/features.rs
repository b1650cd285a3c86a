//! The answers to the editor's requests, over a [`Folder`]: hover, go to definition, references,
//! outlines, workspace symbols, completion, formatting and rename.

use super::docs::{self, Callable};
use super::index::{Ref, RefKind, Symbol};
use super::world::{matches_kind, FileData, Folder, Samples};
use crate::i18n::Lang;
use crate::model::{Direction, Model, QuestionType, Slot};
use crate::source::{FileId, Span};
use crate::syntax::{ast, print};
use crate::words::{self, Words};
use lsp_types::{
    CompletionItem, CompletionItemKind, DocumentSymbol, InsertTextFormat, Location, Position, SymbolKind, TextEdit,
};
use std::collections::HashMap;

/// What the cursor is on.
pub enum At<'a> {
    /// A use of a name.
    Ref(&'a Ref),
    /// A declaration's id.
    Decl(&'a Symbol),
}

/// What is at a byte offset of a file (a name touched at either end counts).
pub fn at(file: &FileData, offset: usize) -> Option<At<'_>> {
    // an index from an earlier text (the file does not parse now) counts where the name is still
    // written at the same place
    let still = |s: Span, name: &str| !file.stale || file.text.get(s.start as usize..s.end as usize) == Some(name);
    let on = |s: Span| (s.start as usize) <= offset && offset <= s.end as usize;
    if let Some(r) = file.index.refs.iter().find(|r| on(r.span) && still(r.span, &r.name)) {
        return Some(At::Ref(r));
    }
    file.index.symbols.iter().find(|s| on(s.span) && still(s.span, &s.name)).map(At::Decl)
}

/// The kind of use a declaration's id stands for.
fn kind_of(sym: &Symbol) -> RefKind {
    if matches!(sym.kind, "standard" | "chapter") {
        RefKind::Standard
    } else {
        RefKind::Name
    }
}

/// The name and the kind of name under the cursor, for definition, references and rename.
pub fn name_at(file: &FileData, offset: usize) -> Option<(String, RefKind)> {
    match at(file, offset)? {
        At::Ref(r) => Some((r.name.clone(), r.kind)),
        At::Decl(s) => Some((s.name.clone(), kind_of(s))),
    }
}

/// Hover text (Markdown) at a byte offset.
pub fn hover(folder: &Folder, file: &FileData, offset: usize) -> Option<String> {
    match at(file, offset)? {
        At::Ref(r) => match r.kind {
            RefKind::Function => docs::callable(&r.name).map(callable_text),
            RefKind::Include => Some(format!("include `{}`", r.name)),
            kind => {
                let decl = folder.declarations(&r.name, kind).into_iter().next()?;
                Some(symbol_text(folder, decl))
            }
        },
        At::Decl(s) => Some(symbol_text(folder, s)),
    }
}

fn callable_text(c: &Callable) -> String {
    let what = match c.what {
        "function" => "function".to_string(),
        other => format!("{other} rule"),
    };
    format!("```tamga\n{}\n```\n{what}: {}", c.signature, c.doc)
}

/// Everything worth knowing about a declaration: its labels (ru, en), type, unit, range,
/// formula or scoring rule in words (in English and Russian, from the last model that checked),
/// and where it is used.
pub fn symbol_text(folder: &Folder, sym: &Symbol) -> String {
    let mut out = format!("**{}** `{}`", sym.kind, sym.name);
    if let Some(c) = &sym.container {
        out.push_str(&format!(" · in `{c}`"));
    }
    out.push_str("\n\n");
    for lang in ["ru", "en"] {
        if let Some((_, text)) = sym.labels.iter().find(|(l, _)| l == lang) {
            out.push_str(&format!("- {lang}: {text}\n"));
        }
    }
    if let Some(m) = &folder.model {
        let facts = model_facts(m, sym);
        if !facts.is_empty() {
            out.push('\n');
            for line in facts {
                out.push_str(&format!("{line}\n"));
            }
        }
        if !folder.fresh {
            out.push_str("\n*(as of the last check without errors)*\n");
        }
        if let Some(samples) = folder.samples() {
            out.push_str(&sample_values(m, sym, samples));
        }
    }
    let mut users: Vec<&str> = vec![];
    for f in &folder.files {
        for r in &f.index.refs {
            if r.name == sym.name && matches_kind(sym.kind, r.kind) {
                if let Some(o) = r.owner.as_deref().filter(|o| *o != sym.name && !users.contains(o)) {
                    users.push(o);
                }
            }
        }
    }
    if !users.is_empty() {
        let list: Vec<String> = users.iter().take(12).map(|u| format!("`{u}`")).collect();
        let more = if users.len() > 12 { format!(" and {} more", users.len() - 12) } else { String::new() };
        out.push_str(&format!("\nused in {}{more}\n", list.join(", ")));
    }
    out.trim_end().to_string()
}

/// The values of a question, indicator or area in the last period of the sample submissions:
/// a table by state, in the methodology's order of states.
fn sample_values(m: &Model, sym: &Symbol, samples: &Samples) -> String {
    let sp = m.header.score_precision as usize;
    // (slot, decimals, header) of each column
    let columns: Vec<(Slot, usize, &str)> = match sym.kind {
        "question" => match m.questions.get(&sym.name) {
            Some(q) => vec![(q.slot, 6, "answer")],
            None => return String::new(),
        },
        "indicator" => match m.indicators.get(&sym.name) {
            Some(i) if i.score.is_some() => vec![(i.value, i.precision as usize, "value"), (i.score_slot, sp, "score")],
            Some(i) => vec![(i.value, i.precision as usize, "value")],
            None => return String::new(),
        },
        "area" | "index" => match m.areas.get(&sym.name) {
            Some(a) => vec![(a.slot, sp, "score")],
            None => return String::new(),
        },
        _ => return String::new(),
    };
    let p = &samples.period;
    // in the methodology's order of states, as evaluated
    let units: Vec<(usize, &str)> = p.units.iter().enumerate().map(|(k, u)| (k, u.as_str())).collect();
    if units.is_empty() {
        return String::new();
    }
    let mut out = format!("\nin `{}`, {}:\n\n| state |", samples.folder, p.period);
    for (_, _, h) in &columns {
        out.push_str(&format!(" {h} |"));
    }
    out.push_str("\n| --- |");
    out.push_str(&" ---: |".repeat(columns.len()));
    out.push('\n');
    for (k, u) in units.iter().take(40) {
        out.push_str(&format!("| {u} |"));
        for (slot, decimals, _) in &columns {
            let cell = match p.get(*slot, *k) {
                Ok(x) => {
                    let x = crate::number::round(x, (*decimals).min(12) as u32, m.header.rounding);
                    words::number(x, Lang::En)
                }
                Err(miss) => miss.reason.as_str().to_string(),
            };
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

fn unit_shown(unit: &str, labels: &crate::model::Labels) -> String {
    let ru = labels.get("ru").map_or_else(|| words::unit_text(unit, Lang::Ru), String::clone);
    match (unit.is_empty(), ru.is_empty() || ru == unit) {
        (true, _) => String::new(),
        (false, true) => format!("`{unit}`"),
        (false, false) => format!("`{unit}` ({ru})"),
    }
}

/// Lines about a declaration from a checked model, in both languages where they are words.
fn model_facts(m: &Model, sym: &Symbol) -> Vec<String> {
    let both = |f: &dyn Fn(&Words) -> String| -> Vec<String> {
        let en = f(&Words::new(m, Lang::En));
        let ru = f(&Words::new(m, Lang::Ru));
        if en == ru {
            vec![en]
        } else {
            vec![en, ru]
        }
    };
    let mut out = vec![];
    match sym.kind {
        "question" => {
            let Some(q) = m.questions.get(&sym.name) else { return out };
            let mut line = format!("type `{}` · {}", q.ty.name(), if q.required { "required" } else { "optional" });
            let unit = unit_shown(&q.unit, &q.unit_labels);
            if !unit.is_empty() {
                line.push_str(&format!(" · unit {unit}"));
            }
            out.push(line);
            if !matches!(q.ty, QuestionType::YesNo | QuestionType::Choice(_)) {
                out.push(format!("- range: {}", words::range_in_words(&q.range, &q.unit, Lang::En)));
                out.push(format!("- диапазон: {}", words::range_in_words(&q.range, &q.unit, Lang::Ru)));
            }
            if let QuestionType::Choice(opts) = &q.ty {
                out.push("options:".into());
                for o in opts {
                    let ru = o.labels.get("ru").map(|l| format!(" — {l}")).unwrap_or_default();
                    out.push(format!("- `\"{}\"`{ru}", o.id));
                }
            }
        }
        "indicator" => {
            let Some(i) = m.indicators.get(&sym.name) else { return out };
            let mut line = format!("precision {}", i.precision);
            let unit = unit_shown(&i.unit, &i.unit_labels);
            if !unit.is_empty() {
                line = format!("unit {unit} · {line}");
            }
            line.push_str(match i.direction {
                Direction::HigherIsBetter => " · higher is better",
                Direction::LowerIsBetter => " · lower is better",
            });
            if i.score.is_some() {
                line.push_str(&format!(" · weight {}", words::number(i.weight, Lang::En)));
            }
            out.push(line);
            for (k, text) in
                both(&|w| w.slot_formula(i.value).unwrap_or_else(|| i.formula_text.clone())).iter().enumerate()
            {
                out.push(format!("- {}: {text}", ["formula", "формула"][k]));
            }
            if let Some(rule) = &i.score {
                out.push(format!("- score: {}", words::rule_in_words(rule, &i.unit, Lang::En)));
                out.push(format!("- оценка: {}", words::rule_in_words(rule, &i.unit, Lang::Ru)));
            }
        }
        "area" | "index" => {
            let Some(a) = m.areas.get(&sym.name) else { return out };
            let agg = a.aggregate.text();
            out.push(format!(
                "weight {} · aggregate `{agg}` · missing `{}` · {} children",
                words::number(a.weight, Lang::En),
                a.missing.text(),
                a.children.len()
            ));
        }
        "standard" => {
            let Some(s) = m.standards.get(&sym.name) else { return out };
            for (k, text) in both(&|w| words::capitalise(&w.requirement(s))).iter().enumerate() {
                out.push(format!("- {}: {text}", ["requires", "требование"][k]));
            }
        }
        "recommend" => {
            let Some(r) = m.recommendations.get(&sym.name) else { return out };
            for (k, text) in both(&|w| words::capitalise(&w.condition(r))).iter().enumerate() {
                out.push(format!("- {}: {text}", ["when", "когда"][k]));
            }
        }
        "group" => {
            if let Some(g) = m.groups.get(&sym.name) {
                out.push(format!("{} questions", g.questions.len()));
            }
        }
        "methodology" => {
            out.push(format!(
                "version {} · scale {}..{}",
                m.header.version,
                words::number(m.header.scale.0, Lang::En),
                words::number(m.header.scale.1, Lang::En)
            ));
        }
        _ => {}
    }
    out
}

/// The locations of the declarations of the name at an offset (the included file for an
/// `include`).
pub fn definition(folder: &Folder, file: &FileData, offset: usize) -> Vec<Location> {
    match at(file, offset) {
        Some(At::Ref(r)) if r.kind == RefKind::Include => {
            let dir = file.path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
            let target = crate::load::normalise(&dir.join(&r.name));
            super::world::uri_of(&target)
                .map(|uri| vec![Location { uri, range: lsp_types::Range::default() }])
                .unwrap_or_default()
        }
        Some(At::Ref(r)) => {
            folder.declarations(&r.name, r.kind).into_iter().filter_map(|s| folder.location(s.span)).collect()
        }
        Some(At::Decl(s)) => folder.location(s.span).into_iter().collect(),
        None => vec![],
    }
}

/// Every place a name is used (and declared, if asked), across the methodology's files.
pub fn references(folder: &Folder, name: &str, kind: RefKind, declaration: bool) -> Vec<Span> {
    let mut spans = vec![];
    for f in &folder.files {
        if declaration {
            spans.extend(f.index.symbols.iter().filter(|s| s.name == name && kind_of(s) == kind).map(|s| s.span));
        }
        spans.extend(f.index.refs.iter().filter(|r| r.name == name && r.kind == kind).map(|r| r.span));
    }
    spans
}

fn symbol_kind(keyword: &str) -> SymbolKind {
    match keyword {
        "methodology" => SymbolKind::MODULE,
        "question" => SymbolKind::FIELD,
        "group" => SymbolKind::STRUCT,
        "indicator" => SymbolKind::VARIABLE,
        "area" => SymbolKind::NAMESPACE,
        "index" => SymbolKind::PACKAGE,
        "chapter" => SymbolKind::CLASS,
        "standard" => SymbolKind::INTERFACE,
        "recommend" => SymbolKind::EVENT,
        "require" => SymbolKind::BOOLEAN,
        _ => SymbolKind::OBJECT,
    }
}

/// The outline of a file: its declarations nested as written (areas, groups, chapters).
pub fn document_symbols(folder: &Folder, id: FileId) -> Vec<DocumentSymbol> {
    let Some(file) = folder.files.get(id.0 as usize) else { return vec![] };
    let Some(ast) = &file.ast else { return vec![] };
    let text = folder.text(id);
    let mut out = vec![];
    for d in &ast.decls {
        if let Some(s) = outline(file, text, d) {
            out.push(s);
        }
    }
    out
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written
fn outline(file: &FileData, text: &str, d: &ast::Decl) -> Option<DocumentSymbol> {
    if matches!(d.kind, ast::DeclKind::Include | ast::DeclKind::Uncertainty) {
        return None;
    }
    let children: Vec<DocumentSymbol> = d
        .body
        .iter()
        .filter_map(|it| match &it.kind {
            ast::ItemKind::Decl(inner) => outline(file, text, inner),
            _ => None,
        })
        .collect();
    let label = d.body.iter().find_map(|it| match &it.kind {
        ast::ItemKind::Label(l, t) if l.name == "ru" => Some(t.clone()),
        _ => None,
    });
    let label = label.or_else(|| {
        d.body.iter().find_map(|it| match &it.kind {
            ast::ItemKind::Label(_, t) => Some(t.clone()),
            _ => None,
        })
    });
    let whole = file.lines.range(text, d.whole.start as usize, d.whole.end as usize);
    let mut selection = file.lines.range(text, d.id.span.start as usize, d.id.span.end as usize);
    if selection.start < whole.start || selection.end > whole.end {
        selection = whole;
    }
    Some(DocumentSymbol {
        name: if d.id.name.is_empty() { d.kind.keyword().to_string() } else { d.id.name.clone() },
        detail: Some(match label {
            Some(l) => format!("{} · {l}", d.kind.keyword()),
            None => d.kind.keyword().to_string(),
        }),
        kind: symbol_kind(d.kind.keyword()),
        tags: None,
        deprecated: None,
        range: whole,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    })
}

/// The declarations of every checked methodology whose id or a label contains the query
/// (ignoring case).
#[allow(deprecated)] // `SymbolInformation::deprecated` must be written
pub fn workspace_symbols<'a>(
    folders: impl Iterator<Item = &'a Folder>,
    query: &str,
) -> Vec<lsp_types::SymbolInformation> {
    let q = query.to_lowercase();
    let mut out = vec![];
    let mut seen = std::collections::HashSet::new();
    for folder in folders {
        for f in &folder.files {
            for s in &f.index.symbols {
                let hit =
                    s.name.to_lowercase().contains(&q) || s.labels.iter().any(|(_, l)| l.to_lowercase().contains(&q));
                if !hit {
                    continue;
                }
                let Some(location) = folder.location(s.span) else { continue };
                if !seen.insert((location.uri.as_str().to_string(), s.span.start)) {
                    continue;
                }
                out.push(lsp_types::SymbolInformation {
                    name: s.name.clone(),
                    kind: symbol_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: s.container.clone(),
                });
                if out.len() >= 500 {
                    return out;
                }
            }
        }
    }
    out
}

/// The completions at a byte offset of a file's current text.
pub fn completion(folder: &Folder, text: &str, offset: usize) -> Vec<CompletionItem> {
    let before = &text[..offset.min(text.len())];
    let line = before.rsplit('\n').next().unwrap_or(before);
    // choice values after `==` / `!=`
    if let Some(items) = choice_values(folder, line) {
        return items;
    }
    let mut items = vec![];
    // named arguments inside a call: `goalposts(` → `best:`, `worst:`
    if let Some(c) = open_call(before).and_then(docs::callable) {
        for n in c.named {
            items.push(CompletionItem {
                label: format!("{n}:"),
                kind: Some(CompletionItemKind::PROPERTY),
                detail: Some(c.signature.to_string()),
                insert_text: Some(format!("{n}: ")),
                sort_text: Some(format!("0{n}")),
                ..CompletionItem::default()
            });
        }
    }
    // ids in scope
    let mut seen = std::collections::HashSet::new();
    for f in &folder.files {
        for s in &f.index.symbols {
            if matches!(s.kind, "methodology") || !seen.insert(s.name.clone()) {
                continue;
            }
            let label = s.labels.iter().find(|(l, _)| l == "ru").or(s.labels.first()).map(|(_, t)| t.clone());
            items.push(CompletionItem {
                label: s.name.clone(),
                kind: Some(match s.kind {
                    "question" => CompletionItemKind::FIELD,
                    "indicator" => CompletionItemKind::VARIABLE,
                    "area" | "index" => CompletionItemKind::MODULE,
                    "standard" | "chapter" => CompletionItemKind::INTERFACE,
                    _ => CompletionItemKind::VALUE,
                }),
                detail: Some(match label {
                    Some(l) => format!("{} · {l}", s.kind),
                    None => s.kind.to_string(),
                }),
                sort_text: Some(format!("1{}", s.name)),
                ..CompletionItem::default()
            });
        }
    }
    // functions, scoring rules and policies, with their named arguments
    for c in docs::CALLABLES {
        let snippet = if c.named.is_empty() {
            None
        } else {
            let args: Vec<String> = c.named.iter().enumerate().map(|(k, n)| format!("{n}: ${}", k + 1)).collect();
            Some(format!("{}({})", c.name, args.join(", ")))
        };
        let plain_call = c.what == "function" && snippet.is_none();
        items.push(CompletionItem {
            label: c.name.to_string(),
            kind: Some(CompletionItemKind::FUNCTION),
            detail: Some(format!("{}: {}", c.what, c.signature)),
            documentation: Some(lsp_types::Documentation::String(c.doc.to_string())),
            insert_text: snippet.clone().or_else(|| plain_call.then(|| format!("{}($1)", c.name))),
            insert_text_format: (snippet.is_some() || plain_call).then_some(InsertTextFormat::SNIPPET),
            sort_text: Some(format!("2{}", c.name)),
            ..CompletionItem::default()
        });
    }
    for k in docs::keywords() {
        if items.iter().any(|i| i.label == k) {
            continue;
        }
        items.push(CompletionItem {
            label: k.to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            sort_text: Some(format!("3{k}")),
            ..CompletionItem::default()
        });
    }
    items
}

/// The id a text ends with (empty if none): `a = q02_format` → `q02_format`.
fn trailing_id(text: &str) -> &str {
    // ASCII only: the boundary found is always a character boundary
    let len = text.bytes().rev().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    &text[text.len() - len..]
}

/// The name of the call whose parentheses the text ends inside, if any.
fn open_call(before: &str) -> Option<&str> {
    let mut depth = 0i32;
    for (at, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let head = before[..at].trim_end();
                let name = trailing_id(head);
                return (!name.is_empty()).then_some(name);
            }
            '(' => depth -= 1,
            '{' | '}' | '\n' => return None,
            _ => {}
        }
    }
    None
}

/// The options of a choice question when the line ends with `question ==` (or `!=`), with or
/// without an opening quote.
fn choice_values(folder: &Folder, line: &str) -> Option<Vec<CompletionItem>> {
    let t = line.trim_end();
    let (t, quoted) = match t.strip_suffix('"') {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    };
    let t = t.strip_suffix("==").or_else(|| t.strip_suffix("!="))?.trim_end();
    let name = trailing_id(t);
    let sym = folder.declarations(name, RefKind::Name).into_iter().find(|s| !s.options.is_empty())?;
    let labels: HashMap<String, String> = folder
        .model
        .as_ref()
        .and_then(|m| m.questions.get(name))
        .and_then(|q| match &q.ty {
            QuestionType::Choice(opts) => Some(
                opts.iter()
                    .filter_map(|o| {
                        Some((o.id.clone(), Lang::Ru.pick(&o.labels, "").to_string())).filter(|(_, l)| !l.is_empty())
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    Some(
        sym.options
            .iter()
            .map(|(o, _)| CompletionItem {
                label: format!("\"{o}\""),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: labels.get(o).cloned(),
                insert_text: Some(if quoted { format!("{o}\"") } else { format!("\"{o}\"") }),
                filter_text: Some(if quoted { o.clone() } else { format!("\"{o}\"") }),
                ..CompletionItem::default()
            })
            .collect(),
    )
}

/// The edit that puts a file in the canonical layout of `tamga fmt` (none when it is already,
/// or when it does not parse).
pub fn formatting(file: &FileData, text: &str) -> Option<Vec<TextEdit>> {
    let ast = file.ast.as_ref()?;
    let formatted = print::format_file(ast, text);
    if formatted == text {
        return Some(vec![]);
    }
    // never an edit that changes meaning (as `tamga fmt` verifies)
    let again = crate::syntax::parse_file(FileId(0), &formatted).ok()?;
    if print::canonical(&[&again]) != print::canonical(&[ast]) {
        return None;
    }
    let end = file.lines.position(text, text.len());
    Some(vec![TextEdit { range: lsp_types::Range { start: Position::default(), end }, new_text: formatted }])
}

/// Whether a new name is an id the grammar accepts (a standard's code for standards).
pub fn valid_name(name: &str, kind: RefKind) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    match kind {
        RefKind::Standard => {
            first.is_ascii_alphanumeric()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
                && !name.ends_with(['.', '-'])
        }
        _ => {
            (first.is_ascii_alphabetic() || first == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !matches!(
                    name,
                    "and"
                        | "or"
                        | "not"
                        | "if"
                        | "then"
                        | "else"
                        | "yes"
                        | "no"
                        | "bands"
                        | "match"
                        | "met"
                        | "level"
                        | "attainment"
                )
        }
    }
}
