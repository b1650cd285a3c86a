//! The language server (`tamga lsp`): the editor's view of a methodology as it is typed.
//!
//! Speaks the Language Server Protocol (JSON-RPC over stdin/stdout, one request at a time) with
//! `lsp-server`'s messages and `lsp-types`' shapes. It keeps the unsaved text of every open rule
//! file and checks the whole methodology of a file on open and on every change, as `tamga check`
//! does ([`world`]); what the editor asks is answered from the syntax trees ([`index`]) and the last
//! model that checked ([`features`]). Positions are UTF-16 code units ([`pos`]).
//!
//! It never stops on bad input: a malformed message, an unknown file, a file outside any
//! methodology or a half-typed one is logged on stderr and the server carries on.

mod docs;
mod features;
mod index;
pub mod pos;
mod world;

use index::RefKind;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as note, request as req};
use lsp_types::{
    CompletionOptions, Hover, HoverContents, HoverProviderCapability, InitializeResult, MarkupContent, MarkupKind,
    OneOf, PositionEncodingKind, PrepareRenameResponse, PublishDiagnosticsParams, RenameOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use world::{path_of, World};

/// Serves the protocol on stdin and stdout until `exit` or the end of input; returns the exit
/// code (0 after `shutdown`, 1 otherwise, as the protocol asks).
pub fn serve_stdio() -> i32 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    serve(&mut stdin.lock(), &mut stdout.lock())
}

/// Serves the protocol on any reader and writer (see [`serve_stdio`]).
pub fn serve(input: &mut impl BufRead, output: &mut impl Write) -> i32 {
    let mut server = Session::new();
    loop {
        let msg = match Message::read(input) {
            Ok(Some(m)) => m,
            Ok(None) => return 1,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                log(&format!("ignored a malformed message: {e}"));
                continue;
            }
            Err(e) => {
                log(&format!("cannot read from the editor: {e}"));
                return 1;
            }
        };
        if let Message::Notification(n) = &msg {
            if n.method == note::Exit::METHOD {
                return if server.shutdown { 0 } else { 1 };
            }
        }
        // a bug in one handler must not end the session: it is logged and the request fails
        let id = match &msg {
            Message::Request(r) => Some(r.id.clone()),
            _ => None,
        };
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.handle(msg)));
        if handled.is_err() {
            log("internal error while handling a message (please report it)");
            if let Some(id) = id {
                server.out.push(Message::Response(Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    "internal error in tamga lsp".into(),
                )));
            }
        }
        for m in server.out.drain(..) {
            if let Err(e) = m.write(output) {
                log(&format!("cannot write to the editor: {e}"));
                return 1;
            }
        }
        let _ = output.flush();
    }
}

fn log(text: &str) {
    eprintln!("tamga lsp: {text}");
}

/// A session with one editor: its open files and checked methodologies. [`serve`] reads the
/// messages; [`Session::message`] handles one given as JSON text (for benchmarks and embedding).
pub struct Session {
    world: World,
    shutdown: bool,
    out: Vec<Message>,
    /// The workspace's folder, when the editor gave one.
    root: Option<PathBuf>,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    /// A session before `initialize`.
    pub fn new() -> Self {
        Session { world: World::default(), shutdown: false, out: vec![], root: None }
    }

    /// Handles one JSON-RPC message (a request or a notification) and returns what the server
    /// sends back, as JSON texts: the response to a request, and notifications (diagnostics).
    /// Text that is not a message is logged and answers nothing.
    pub fn message(&mut self, json: &str) -> Vec<String> {
        match serde_json::from_str::<Message>(json) {
            Ok(m) => self.handle(m),
            Err(e) => log(&format!("ignored a malformed message: {e}")),
        }
        self.out
            .drain(..)
            .filter_map(|m| {
                let mut v = serde_json::to_value(&m).ok()?;
                v.as_object_mut()?.insert("jsonrpc".into(), Value::from("2.0"));
                serde_json::to_string(&v).ok()
            })
            .collect()
    }
}

fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, String> {
    serde_json::from_value(v).map_err(|e| format!("invalid parameters: {e}"))
}

impl Session {
    fn handle(&mut self, msg: Message) {
        match msg {
            Message::Request(r) => {
                let id = r.id.clone();
                let method = r.method.clone();
                let response = match self.request(r) {
                    Ok(v) => Response::new_ok(id, v),
                    Err((code, message)) => {
                        log(&format!("{method}: {message}"));
                        Response::new_err(id, code as i32, message)
                    }
                };
                self.out.push(Message::Response(response));
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                if let Err(e) = self.notification(n) {
                    log(&format!("{method}: {e}"));
                }
            }
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, r: Request) -> Result<Value, (ErrorCode, String)> {
        let bad = |e: String| (ErrorCode::InvalidParams, e);
        let to = |v: Result<Value, serde_json::Error>| v.map_err(|e| (ErrorCode::InternalError, e.to_string()));
        match r.method.as_str() {
            req::Initialize::METHOD => {
                let p: lsp_types::InitializeParams = params(r.params).map_err(bad)?;
                self.configure(&p);
                to(serde_json::to_value(initialize_result()))
            }
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(r.params).map_err(bad)?;
                let tp = p.text_document_position_params;
                let hover = self.at(&tp.text_document.uri, tp.position, |folder, file, offset| {
                    features::hover(folder, file, offset)
                });
                to(serde_json::to_value(hover.flatten().map(|text| Hover {
                    contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
                    range: None,
                })))
            }
            req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(r.params).map_err(bad)?;
                let tp = p.text_document_position_params;
                let locs = self.at(&tp.text_document.uri, tp.position, features::definition).unwrap_or_default();
                to(serde_json::to_value(locs))
            }
            req::References::METHOD => {
                let p: lsp_types::ReferenceParams = params(r.params).map_err(bad)?;
                let tp = p.text_document_position;
                let decl = p.context.include_declaration;
                let locs = self
                    .at(&tp.text_document.uri, tp.position, |folder, file, offset| {
                        let (name, kind) = features::name_at(file, offset)?;
                        if matches!(kind, RefKind::Function | RefKind::Include) {
                            return None;
                        }
                        let spans = features::references(folder, &name, kind, decl);
                        Some(spans.into_iter().filter_map(|s| folder.location(s)).collect::<Vec<_>>())
                    })
                    .flatten()
                    .unwrap_or_default();
                to(serde_json::to_value(locs))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(r.params).map_err(bad)?;
                let path = self.path(&p.text_document.uri)?;
                let symbols = self
                    .world
                    .folder_of(&path)
                    .and_then(|f| f.file(&path).map(|(id, _)| features::document_symbols(f, id)))
                    .unwrap_or_default();
                to(serde_json::to_value(symbols))
            }
            req::WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = params(r.params).map_err(bad)?;
                to(serde_json::to_value(features::workspace_symbols(self.world.folders.values(), &p.query)))
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(r.params).map_err(bad)?;
                let tp = p.text_document_position;
                let items = self
                    .at(&tp.text_document.uri, tp.position, |folder, file, offset| {
                        let id = folder.file(&file.path).map(|(id, _)| id)?;
                        Some(features::completion(folder, folder.text(id), offset))
                    })
                    .flatten()
                    .unwrap_or_default();
                to(serde_json::to_value(items))
            }
            req::Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = params(r.params).map_err(bad)?;
                let path = self.path(&p.text_document.uri)?;
                let edits: Option<Vec<TextEdit>> = self.world.folder_of(&path).and_then(|f| {
                    let (id, file) = f.file(&path)?;
                    features::formatting(file, f.text(id))
                });
                to(serde_json::to_value(edits))
            }
            req::PrepareRenameRequest::METHOD => {
                let p: lsp_types::TextDocumentPositionParams = params(r.params).map_err(bad)?;
                let range = self
                    .at(&p.text_document.uri, p.position, |folder, file, offset| {
                        let (name, kind) = features::name_at(file, offset)?;
                        if matches!(kind, RefKind::Function | RefKind::Include)
                            || folder.declarations(&name, kind).is_empty()
                        {
                            return None;
                        }
                        let span = match features::at(file, offset)? {
                            features::At::Ref(r) => r.span,
                            features::At::Decl(s) => s.span,
                        };
                        let id = folder.file(&file.path)?.0;
                        Some(file.lines.range(folder.text(id), span.start as usize, span.end as usize))
                    })
                    .flatten();
                to(serde_json::to_value(range.map(PrepareRenameResponse::Range)))
            }
            req::Rename::METHOD => {
                let p: lsp_types::RenameParams = params(r.params).map_err(bad)?;
                let tp = p.text_document_position;
                let new = p.new_name;
                let edit = self
                    .at(&tp.text_document.uri, tp.position, |folder, file, offset| {
                        let (name, kind) = features::name_at(file, offset).ok_or("no name here to rename")?;
                        if matches!(kind, RefKind::Function | RefKind::Include) {
                            return Err("only ids declared in the methodology can be renamed");
                        }
                        if folder.declarations(&name, kind).is_empty() {
                            return Err("this name is not declared in the methodology");
                        }
                        if !features::valid_name(&new, kind) {
                            return Err("the new name is not a valid id (letters, digits and `_`, not a keyword)");
                        }
                        // lsp-types' own map (a `Uri` caches its parse in a `Cell`, never changed here)
                        #[allow(clippy::mutable_key_type)]
                        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
                        for span in features::references(folder, &name, kind, true) {
                            if let Some(loc) = folder.location(span) {
                                changes
                                    .entry(loc.uri)
                                    .or_default()
                                    .push(TextEdit { range: loc.range, new_text: new.clone() });
                            }
                        }
                        Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
                    })
                    .ok_or_else(|| (ErrorCode::InvalidParams, "the file is not part of a methodology".to_string()))?
                    .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
                to(serde_json::to_value(edit))
            }
            other => Err((ErrorCode::MethodNotFound, format!("`{other}` is not supported"))),
        }
    }

    /// Reads `initializationOptions`: `lang` (of diagnostics) and `examples` (a folder of
    /// sample submissions, relative to the workspace's folder).
    fn configure(&mut self, p: &lsp_types::InitializeParams) {
        #[allow(deprecated)] // `root_uri`: the folder of clients that send no workspace folders
        let root = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or_else(|| p.root_uri.clone())
            .and_then(|u| path_of(&u));
        self.root = root.clone();
        let options = p.initialization_options.as_ref();
        if let Some(lang) = options.and_then(|o| o.get("lang")).and_then(Value::as_str) {
            self.world.lang = if lang == "ru" { crate::i18n::Lang::Ru } else { crate::i18n::Lang::En };
        }
        let Some(dir) = options.and_then(|o| o.get("examples")).and_then(Value::as_str).filter(|d| !d.is_empty())
        else {
            return;
        };
        let shown = dir.to_string();
        let dir = Path::new(dir);
        let path = match root {
            Some(root) if dir.is_relative() => crate::load::normalise(&root.join(dir)),
            _ => crate::load::absolute(dir),
        };
        self.world.examples = Some((path, shown));
    }

    fn path(&self, uri: &Uri) -> Result<PathBuf, (ErrorCode, String)> {
        path_of(uri).ok_or_else(|| (ErrorCode::InvalidParams, format!("`{}` is not a local file", uri.as_str())))
    }

    /// Calls `f` with the methodology, the file and the byte offset of a position.
    fn at<T>(
        &mut self,
        uri: &Uri,
        pos: lsp_types::Position,
        f: impl FnOnce(&world::Folder, &world::FileData, usize) -> T,
    ) -> Option<T> {
        let path = path_of(uri)?;
        let folder = self.world.folder_of(&path)?;
        let (id, file) = folder.file(&path)?;
        let offset = file.lines.offset(folder.text(id), pos);
        Some(f(folder, file, offset))
    }

    fn notification(&mut self, n: Notification) -> Result<(), String> {
        match n.method.as_str() {
            note::Initialized::METHOD => {
                // the methodologies of the workspace, for workspace symbols before a file is opened
                if let Some(root) = self.root.clone() {
                    for entry in methodologies_under(&root) {
                        self.world.recheck(&entry);
                    }
                }
            }
            note::DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = params(n.params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a local file")?;
                self.world.open.insert(path.clone(), p.text_document.text);
                self.changed(&path);
            }
            note::DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = params(n.params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a local file")?;
                let mut text = match self.world.open.get(&path) {
                    Some(t) => t.to_string(),
                    None => std::fs::read_to_string(&path).unwrap_or_default(),
                };
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let lines = pos::LineIndex::new(&text);
                            let start = lines.offset(&text, range.start);
                            let end = lines.offset(&text, range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                self.world.open.insert(path.clone(), text);
                self.changed(&path);
            }
            note::DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = params(n.params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a local file")?;
                self.changed(&path);
            }
            note::DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = params(n.params)?;
                let path = path_of(&p.text_document.uri).ok_or("not a local file")?;
                self.world.open.remove(&path);
                self.changed(&path);
            }
            note::DidChangeWatchedFiles::METHOD => {
                let entries: Vec<PathBuf> = self.world.folders.keys().cloned().collect();
                for e in entries {
                    self.changed(&e);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks the methodology of a changed file again and publishes its diagnostics.
    fn changed(&mut self, path: &Path) {
        if !path.is_file() && self.world.open.get(path).is_none() {
            // closed and gone: nothing left to check
            return;
        }
        let entry = self.world.recheck(path);
        for (uri, diagnostics) in self.world.diagnostics(&entry) {
            let params = PublishDiagnosticsParams { uri, diagnostics, version: None };
            self.out
                .push(Message::Notification(Notification::new(note::PublishDiagnostics::METHOD.to_string(), params)));
        }
    }
}

/// The entry files (`methodology.tamga`) in a folder and the folders below it, at most 3 deep,
/// leaving out hidden folders, `target` and `node_modules`; at most 50.
fn methodologies_under(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![];
    let mut stack = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let entry = dir.join(crate::load::ENTRY_FILE);
        if entry.is_file() {
            found.push(entry);
        }
        if depth == 3 || found.len() >= 50 {
            continue;
        }
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        let mut subs: Vec<PathBuf> = read
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                !name.starts_with('.') && name != "target" && name != "node_modules"
            })
            .map(|e| e.path())
            .collect();
        subs.sort();
        stack.extend(subs.into_iter().rev().map(|p| (p, depth + 1)));
    }
    found.truncate(50);
    found
}

/// What the server can do.
fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["(".into(), "=".into(), "\"".into(), " ".into()]),
                ..CompletionOptions::default()
            }),
            document_formatting_provider: Some(OneOf::Left(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo { name: "tamga".into(), version: Some(crate::VERSION.into()) }),
    }
}
