//! A per-file index of the syntax nodes the compiler names by position.
//!
//! The compiler reports a node at one position: a call (`make(...)`, an inlined call) at its
//! `(`, a composite literal at its `{`, `&T{...}` at the `&`, a function literal at `func`, a
//! variable or parameter at its name, a `go`/`defer` statement (its implicit closure, Go 1.21+)
//! at the keyword, a `return` at the keyword, an assignment at its operator. The index maps
//! those byte offsets back to the nodes, and knows the function around any offset.

use mapvet_syntax::ast::{self, Expr, Stmt};
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::{LineIndex, Span};
use rustc_hash::FxHashMap;

#[derive(Clone, Copy, Debug)]
pub(crate) enum Node<'a> {
    Call(&'a ast::CallExpr<'a>),
    Lit(&'a ast::CompositeLit<'a>),
    /// `&T{...}`.
    AddrOf(&'a ast::CompositeLit<'a>),
    FuncLit(&'a ast::FuncLit<'a>),
    Ident(&'a ast::Ident<'a>),
    /// A `go` statement (keyed by its keyword) and its call.
    Go(&'a ast::CallExpr<'a>),
    Defer(&'a ast::CallExpr<'a>),
    Return,
    Assign(&'a ast::AssignStmt<'a>),
    Send,
}

/// A function declaration or literal.
#[derive(Clone, Debug)]
pub(crate) struct Func<'a> {
    pub span: Span,
    /// `F`, `T.M`, `(*T).M`; for a literal, the name of the declaration around it.
    pub name: String,
    pub decl: Option<&'a ast::FuncDecl<'a>>,
    /// The literal's `func` keyword offset.
    pub lit: Option<u32>,
    /// Index of the outermost function (the declaration) in [`FileIndex::funcs`].
    pub top: usize,
    /// The literal is the function of a `go` / `defer` statement on this line.
    pub go_line: Option<u32>,
    pub defer_line: Option<u32>,
}

pub(crate) struct FileIndex<'a> {
    pub file: u32,
    pub src: &'a [u8],
    pub lines: LineIndex,
    pub nodes: FxHashMap<u32, Node<'a>>,
    pub funcs: Vec<Func<'a>>,
    /// Call `(` offset → (`go` or `defer`, line of the statement).
    pub go_calls: FxHashMap<u32, (bool, u32)>,
    /// `if` statements: the span of their branches (body and else) and their condition.
    pub ifs: Vec<(Span, Expr<'a>)>,
}

impl<'a> FileIndex<'a> {
    pub fn new(file: u32, ast: &'a ast::File<'a>, src: &'a [u8]) -> FileIndex<'a> {
        let mut b = Builder {
            ix: FileIndex {
                file,
                src,
                lines: LineIndex::new(src),
                nodes: FxHashMap::default(),
                funcs: Vec::new(),
                go_calls: FxHashMap::default(),
                ifs: Vec::new(),
            },
            stack: Vec::new(),
            pending_go: FxHashMap::default(),
        };
        for d in ast.decls {
            if let ast::Decl::Func(fd) = d {
                let idx = b.ix.funcs.len();
                b.ix.funcs.push(Func {
                    span: fd.span,
                    name: func_decl_name(fd),
                    decl: Some(fd),
                    lit: None,
                    top: idx,
                    go_line: None,
                    defer_line: None,
                });
                b.stack.push(idx);
                visit::walk_decl(&mut b, d);
                b.stack.pop();
            } else {
                visit::walk_decl(&mut b, d);
            }
        }
        b.ix
    }

    /// 1-based line and byte column → offset.
    pub fn offset(&self, line: u32, col: u32) -> Option<u32> {
        let start = self.lines.line_start(line)?;
        let off = start + col.max(1) - 1;
        (off as usize <= self.src.len()).then_some(off)
    }

    pub fn line(&self, off: u32) -> u32 {
        self.lines.line_col(off).0
    }

    /// The innermost function containing `off`.
    pub fn func_at(&self, off: u32) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, f) in self.funcs.iter().enumerate() {
            if f.span.start <= off && off < f.span.end {
                match best {
                    Some(b) if self.funcs[b].span.len() <= f.span.len() => {}
                    _ => best = Some(i),
                }
            }
        }
        best
    }

    /// The declared function around `off` (`None` at package level).
    pub fn top_func(&self, off: u32) -> Option<&Func<'a>> {
        self.func_at(off).map(|i| &self.funcs[self.funcs[i].top])
    }

    pub fn text(&self, span: Span) -> &'a str {
        let s = self.src;
        std::str::from_utf8(&s[span.start as usize..(span.end as usize).min(s.len())]).unwrap_or("")
    }

    /// The source line around `off`, trimmed, shortened to about 100 characters.
    pub fn line_text(&self, off: u32) -> String {
        let line = self.line(off);
        let start = self.lines.line_start(line).unwrap_or(0) as usize;
        let end = self
            .lines
            .line_start(line + 1)
            .map_or(self.src.len(), |e| e as usize);
        let text = String::from_utf8_lossy(&self.src[start..end.min(self.src.len())]);
        let text = text.trim();
        // Drop a trailing line comment.
        let text = match text.find(" //") {
            Some(i) => text[..i].trim_end(),
            None => text,
        };
        shorten(text, 100)
    }
}

/// `s` cut to about `max` characters, with `…`.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// `F`, `T.M` or `(*T).M` (type parameters dropped), as the compiler names functions.
fn func_decl_name(fd: &ast::FuncDecl<'_>) -> String {
    let Some(recv) = fd.recv.and_then(|r| r.list.first()) else {
        return fd.name.name.to_string();
    };
    fn base<'x>(e: Expr<'x>) -> Option<&'x str> {
        match e.unparen() {
            Expr::Ident(i) => Some(i.name),
            Expr::Index(i) => base(i.x),
            Expr::IndexList(i) => base(i.x),
            _ => None,
        }
    }
    match recv.ty.unparen() {
        Expr::Star(s) => format!("(*{}).{}", base(s.x).unwrap_or("?"), fd.name.name),
        t => format!("{}.{}", base(t).unwrap_or("?"), fd.name.name),
    }
}

struct Builder<'a> {
    ix: FileIndex<'a>,
    /// Enclosing functions (indices into `ix.funcs`).
    stack: Vec<usize>,
    /// FuncLit offset → (`go`, line) for literals called by `go` / `defer` statements.
    pending_go: FxHashMap<u32, (bool, u32)>,
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        match e {
            Expr::Call(c) => {
                self.ix.nodes.insert(c.lparen, Node::Call(c));
            }
            Expr::CompositeLit(l) => {
                self.ix.nodes.insert(l.lbrace, Node::Lit(l));
            }
            Expr::Unary(u) if u.op == mapvet_syntax::token::Tok::And => {
                if let Expr::CompositeLit(l) = u.x.unparen() {
                    self.ix.nodes.insert(u.span.start, Node::AddrOf(l));
                }
            }
            Expr::Ident(i) => {
                self.ix.nodes.entry(i.pos).or_insert(Node::Ident(i));
            }
            Expr::FuncLit(f) => {
                self.ix.nodes.insert(f.span.start, Node::FuncLit(f));
                let parent = self.stack.last().copied();
                let top = parent.map_or(self.ix.funcs.len(), |p| self.ix.funcs[p].top);
                let name = parent.map_or_else(
                    || crate::analyze::PACKAGE_INIT.to_string(),
                    |p| self.ix.funcs[p].name.clone(),
                );
                let (go_line, defer_line) = match self.pending_go.get(&f.span.start) {
                    Some(&(true, l)) => (Some(l), None),
                    Some(&(false, l)) => (None, Some(l)),
                    None => (None, None),
                };
                let idx = self.ix.funcs.len();
                self.ix.funcs.push(Func {
                    span: f.span,
                    name,
                    decl: None,
                    lit: Some(f.span.start),
                    top,
                    go_line,
                    defer_line,
                });
                self.stack.push(idx);
            }
            _ => {}
        }
        true
    }

    fn leave_expr(&mut self, e: Expr<'a>) {
        if let Expr::FuncLit(_) = e {
            self.stack.pop();
        }
    }

    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Go(g) => {
                let line = self.ix.line(g.span.start);
                self.ix.nodes.insert(g.span.start, Node::Go(g.call));
                self.ix.go_calls.insert(g.call.lparen, (true, line));
                if let Expr::FuncLit(f) = g.call.fun.unparen() {
                    self.pending_go.insert(f.span.start, (true, line));
                }
            }
            Stmt::Defer(d) => {
                let line = self.ix.line(d.span.start);
                self.ix.nodes.insert(d.span.start, Node::Defer(d.call));
                self.ix.go_calls.insert(d.call.lparen, (false, line));
                if let Expr::FuncLit(f) = d.call.fun.unparen() {
                    self.pending_go.insert(f.span.start, (false, line));
                }
            }
            Stmt::Return(r) => {
                self.ix.nodes.insert(r.span.start, Node::Return);
            }
            Stmt::If(i) => {
                let end = i.else_.map_or(i.body.span.end, |e| e.span().end);
                self.ix
                    .ifs
                    .push((Span::new(i.body.span.start, end), i.cond));
            }
            Stmt::Assign(a) => {
                self.ix.nodes.insert(a.tok_pos, Node::Assign(a));
            }
            Stmt::Send(x) => {
                self.ix.nodes.insert(x.arrow, Node::Send);
            }
            _ => {}
        }
        true
    }
}
