//! Collection: names, nesting and placement of declarations (what may be written where), before anything is checked.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn declare(&mut self, id: &ast::Ident, def: Def) -> bool {
        if let Some((prev, span)) = self.names.get(&id.name) {
            let (prev, span) = (*prev, *span);
            self.err(
                Diag::error(Code::Duplicate, format!("`{}` is declared twice", id.name))
                    .at(id.span, format!("this {} has the same id", def.kind()))
                    .also(span, format!("first declared here as {} {}", article(prev.kind()), prev.kind()))
                    .help("ids are unique across questions, groups, indicators, areas and recommendations: rename one"),
            );
            return false;
        }
        self.names.insert(id.name.clone(), (def, id.span));
        true
    }

    pub(super) fn declare_code(&mut self, id: &ast::Ident, what: &str) -> bool {
        if let Some(span) = self.codes.get(&id.name) {
            let span = *span;
            self.err(
                Diag::error(Code::Duplicate, format!("`{}` is declared twice", id.name))
                    .at(id.span, format!("this {what} has the same code"))
                    .also(span, "first declared here")
                    .help("chapter and standard codes are unique: renumber one"),
            );
            return false;
        }
        self.codes.insert(id.name.clone(), id.span);
        true
    }

    pub(super) fn collect(&mut self, d: &'a Decl, ctx: Ctx) {
        let kind = d.kind.keyword();
        // where a declaration may appear
        let ok_here = matches!(
            (&d.kind, ctx),
            (DeclKind::Question { .. }, Ctx::Top | Ctx::Group(_))
                | (DeclKind::Indicator { .. }, Ctx::Top | Ctx::Area(_))
                | (DeclKind::Area, Ctx::Top | Ctx::Area(_))
                | (DeclKind::Standard, Ctx::Top | Ctx::Chapter(_))
                | (_, Ctx::Top)
        );
        if !ok_here {
            let place = ctx.name();
            self.err(
                Diag::error(Code::Misplaced, format!("{} {kind} cannot be declared inside {place}", article(kind)))
                    .at(d.span, "declared here")
                    .help(match &d.kind {
                        DeclKind::Question { .. } => "declare questions at the top level or inside a `group`",
                        DeclKind::Indicator { .. } => "declare indicators at the top level or inside an `area`",
                        DeclKind::Standard => "declare standards at the top level or inside a `chapter`",
                        _ => "move it to the top level",
                    }),
            );
            // still declare it (as if at the top level), so its uses do not cascade into "unknown name"
            return self.collect(d, Ctx::Top);
        }
        self.check_items(d);
        match &d.kind {
            DeclKind::Methodology => {
                if let Some(prev) = self.header {
                    self.err(
                        Diag::error(Code::Header, "a methodology has one `methodology` header")
                            .at(d.span, "second header")
                            .also(prev.span, "first header here")
                            .help("keep one header; other files are joined with `include`"),
                    );
                } else {
                    self.header = Some(d);
                }
            }
            // replaced by their values before the check (`check::params`)
            DeclKind::Include | DeclKind::Const { .. } | DeclKind::Table { .. } => {}
            DeclKind::Question { .. } => {
                let idx = self.q_decls.len();
                if self.declare(&d.id, Def::Question(idx)) {
                    let group = if let Ctx::Group(g) = ctx { Some(g) } else { None };
                    self.q_decls.push((d, group));
                }
            }
            DeclKind::Group => {
                let idx = self.g_decls.len();
                if self.declare(&d.id, Def::Group(idx)) {
                    self.g_decls.push(d);
                    for item in &d.body {
                        if let ItemKind::Decl(inner) = &item.kind {
                            self.collect(inner, Ctx::Group(idx));
                        }
                    }
                }
            }
            DeclKind::Indicator { .. } => {
                let idx = self.i_decls.len();
                if self.declare(&d.id, Def::Indicator(idx)) {
                    let area = if let Ctx::Area(a) = ctx { Some(a) } else { None };
                    self.i_decls.push((d, area));
                }
            }
            DeclKind::Area | DeclKind::Index => {
                let idx = self.a_decls.len();
                let is_index = matches!(d.kind, DeclKind::Index);
                if is_index {
                    if let Some(prev) = self.a_decls.iter().find(|a| a.is_index).and_then(|a| a.decl) {
                        let prev = prev.span;
                        self.err(
                            Diag::error(Code::Duplicate, "a methodology has one `index`")
                                .at(d.span, "second index")
                                .also(prev, "first index here")
                                .help("the index is the root of the hierarchy; make the other one an `area`"),
                        );
                        return;
                    }
                }
                if self.declare(&d.id, Def::Area(idx)) {
                    let parent = if let Ctx::Area(a) = ctx { Some(a) } else { None };
                    self.a_decls.push(ADecl { decl: Some(d), parent, is_index });
                    for item in &d.body {
                        if let ItemKind::Decl(inner) = &item.kind {
                            self.collect(inner, Ctx::Area(idx));
                        }
                    }
                }
            }
            DeclKind::Chapter => {
                let idx = self.c_decls.len();
                if self.declare_code(&d.id, "chapter") {
                    self.c_decls.push(d);
                    for item in &d.body {
                        if let ItemKind::Decl(inner) = &item.kind {
                            self.collect(inner, Ctx::Chapter(idx));
                        }
                    }
                }
            }
            DeclKind::Standard => {
                if self.declare_code(&d.id, "standard") {
                    let ch = if let Ctx::Chapter(c) = ctx { Some(c) } else { None };
                    self.s_decls.push((d, ch));
                }
            }
            DeclKind::Uncertainty => {
                if let Some(prev) = self.u_decl {
                    self.err(
                        Diag::error(Code::Duplicate, "a methodology has one `uncertainty` declaration")
                            .at(d.span, "second one")
                            .also(prev.span, "first one here")
                            .help("put every `vary` line in one `uncertainty { … }`"),
                    );
                } else {
                    self.u_decl = Some(d);
                }
            }
            DeclKind::Scenario => {
                if let Some(prev) = self.sc_decls.iter().find(|s| s.id.name == d.id.name) {
                    let prev = prev.span;
                    self.err(
                        Diag::error(Code::Duplicate, format!("two scenarios `{}`", d.id.name))
                            .at(d.span, "second one")
                            .also(prev, "first one here")
                            .help("give each scenario its own name"),
                    );
                } else {
                    self.sc_decls.push(d);
                }
            }
            DeclKind::Require { .. } => {
                if let Some(prev) = self.req_decls.iter().find(|r| r.id.name == d.id.name) {
                    let prev = prev.span;
                    self.err(
                        Diag::error(Code::Duplicate, format!("the consistency rule `{}` is declared twice", d.id.name))
                            .at(d.span, "second one")
                            .also(prev, "first one here")
                            .help("keep one, or give them different ids: `require my_id: …`"),
                    );
                } else {
                    self.req_decls.push(d);
                }
            }
            DeclKind::Recommend { .. } => {
                let idx = self.r_decls.len();
                if self.declare(&d.id, Def::Recommend(idx)) {
                    self.r_decls.push(d);
                }
            }
        }
    }

    /// Misplaced and repeated properties.
    pub(super) fn check_items(&mut self, d: &Decl) {
        let kind = d.kind.keyword();
        let ok = allowed(kind);
        let mut seen: HashMap<String, Span> = HashMap::new();
        for item in &d.body {
            let word = item.kind.keyword();
            // `missing reweight(min: 0,67)`: a decimal comma (scoring rules are checked with their rule)
            if let ItemKind::Missing(_, args)
            | ItemKind::Aggregate(_, args)
            | ItemKind::Impute(_, args)
            | ItemKind::Treat(_, args)
            | ItemKind::Screen(args) = &item.kind
            {
                if let Some(d) = expr::decimal_comma(self.src, args) {
                    self.err(d);
                }
            }
            if !ok.contains(&word) {
                if matches!(item.kind, ItemKind::Decl(_)) {
                    continue; // reported by `collect` with a better message
                }
                let homes = belongs_to(word);
                let help = if homes.is_empty() {
                    format!("remove `{word}`")
                } else {
                    format!(
                        "`{word}` belongs to: {}",
                        homes.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                    )
                };
                self.err(
                    Diag::error(Code::Misplaced, format!("`{word}` is not a property of {} {kind}", article(kind)))
                        .at(item.span, "not allowed here")
                        .help(help),
                );
                continue;
            }
            let key = match &item.kind {
                ItemKind::Label(l, _) | ItemKind::Help(l, _) | ItemKind::Note(l, _) | ItemKind::UnitName(l, _) => {
                    format!("{word} {}", l.name)
                }
                ItemKind::Presence(_) => "presence".into(),
                ItemKind::Direction(_) => "direction".into(),
                _ if REPEATABLE.contains(&word) => continue,
                _ => word.to_string(),
            };
            if let Some(first) = seen.get(&key) {
                let first = *first;
                self.err(
                    Diag::error(Code::Repeated, format!("`{key}` is given twice in `{}`", d.id.name))
                        .at(item.span, "given again here")
                        .also(first, "first given here")
                        .help("keep one"),
                );
            } else {
                seen.insert(key, item.span);
            }
        }
    }
}
