//! The canonical AST dump (docs/AST_DUMP.md), compared with go/parser's by the parity test.

use crate::ast::*;
use crate::token::Tok;
use crate::Span;
use std::fmt::Write;

/// Dumps `file` in the canonical format. `src` is the file's text (unused today, kept so the
/// format can grow literal values without an API change).
pub fn dump(file: &File<'_>, _src: &[u8]) -> String {
    let mut d = Dumper {
        out: String::with_capacity(4096),
        depth: 0,
    };
    d.file(file);
    d.out
}

/// FNV-1a, 64 bit.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

struct Dumper {
    out: String,
    depth: usize,
}

impl Dumper {
    fn line(&mut self, kind: &str, span: Span, extra: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        let _ = write!(self.out, "{} {} {}", kind, span.start, span.end);
        if !extra.is_empty() {
            self.out.push(' ');
            self.out.push_str(extra);
        }
        self.out.push('\n');
    }

    fn node(&mut self, kind: &str, span: Span, extra: &str, children: impl FnOnce(&mut Self)) {
        self.line(kind, span, extra);
        self.depth += 1;
        children(self);
        self.depth -= 1;
    }

    fn file(&mut self, f: &File<'_>) {
        self.node("File", f.span, "", |d| {
            d.ident(f.name);
            for decl in f.decls {
                d.decl(decl);
            }
        });
    }

    fn ident(&mut self, i: &Ident<'_>) {
        self.line("Ident", i.span(), i.name);
    }

    fn decl(&mut self, decl: &Decl<'_>) {
        match decl {
            Decl::Bad(s) => self.line("BadDecl", *s, ""),
            Decl::Gen(g) => self.node("GenDecl", g.span, g.tok.as_str(), |d| {
                for s in g.specs {
                    d.spec(s);
                }
            }),
            Decl::Func(f) => self.node("FuncDecl", f.span, "", |d| {
                if let Some(r) = f.recv {
                    d.field_list(r);
                }
                d.ident(f.name);
                d.func_type(f.ty);
                if let Some(b) = f.body {
                    d.block(b);
                }
            }),
        }
    }

    fn spec(&mut self, s: &Spec<'_>) {
        match s {
            Spec::Import(s) => self.node("ImportSpec", s.span, "", |d| {
                if let Some(n) = s.name {
                    d.ident(n);
                }
                d.basic_lit(s.path);
            }),
            Spec::Value(s) => self.node("ValueSpec", s.span, "", |d| {
                for n in s.names {
                    d.ident(n);
                }
                if let Some(t) = s.ty {
                    d.expr(t);
                }
                d.exprs(s.values);
            }),
            Spec::Type(s) => self.node("TypeSpec", s.span, "", |d| {
                d.ident(s.name);
                if let Some(tp) = s.type_params {
                    d.field_list(tp);
                }
                d.expr(s.ty);
            }),
        }
    }

    fn field_list(&mut self, l: &FieldList<'_>) {
        self.node("FieldList", l.span, "", |d| {
            for f in l.list {
                d.node("Field", f.span, "", |d| {
                    for n in f.names {
                        d.ident(n);
                    }
                    d.expr(f.ty);
                    if let Some(t) = f.tag {
                        d.basic_lit(t);
                    }
                });
            }
        });
    }

    fn func_type(&mut self, t: &FuncType<'_>) {
        self.node("FuncType", t.span, "", |d| {
            if let Some(tp) = t.type_params {
                d.field_list(tp);
            }
            d.field_list(t.params);
            if let Some(r) = t.results {
                d.field_list(r);
            }
        });
    }

    fn basic_lit(&mut self, l: &BasicLit<'_>) {
        self.line("BasicLit", l.span, l.kind.as_str());
    }

    fn block(&mut self, b: &BlockStmt<'_>) {
        self.node("BlockStmt", b.span, "", |d| d.stmts(b.list));
    }

    fn exprs(&mut self, list: &[Expr<'_>]) {
        for e in list {
            self.expr(*e);
        }
    }

    fn opt_expr(&mut self, e: Option<Expr<'_>>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: Expr<'_>) {
        // Trees can nest 100k levels deep (go/parser's limit): never overflow the stack.
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.expr_inner(e))
    }

    fn expr_inner(&mut self, e: Expr<'_>) {
        match e {
            Expr::Bad(x) => self.line("BadExpr", x.span, ""),
            Expr::Ident(x) => self.ident(x),
            Expr::BasicLit(x) => self.basic_lit(x),
            Expr::CompositeLit(x) => self.node("CompositeLit", x.span, "", |d| {
                d.opt_expr(x.ty);
                d.exprs(x.elts);
            }),
            Expr::FuncLit(x) => self.node("FuncLit", x.span, "", |d| {
                d.func_type(x.ty);
                d.block(x.body);
            }),
            Expr::Paren(x) => self.node("ParenExpr", x.span, "", |d| d.expr(x.x)),
            Expr::Selector(x) => self.node("SelectorExpr", x.span, "", |d| {
                d.expr(x.x);
                d.ident(x.sel);
            }),
            Expr::Index(x) => self.node("IndexExpr", x.span, "", |d| {
                d.expr(x.x);
                d.expr(x.index);
            }),
            Expr::IndexList(x) => self.node("IndexListExpr", x.span, "", |d| {
                d.expr(x.x);
                d.exprs(x.indices);
            }),
            Expr::Slice(x) => {
                let n = if x.slice3 { "3" } else { "2" };
                self.node("SliceExpr", x.span, n, |d| {
                    d.expr(x.x);
                    d.opt_expr(x.low);
                    d.opt_expr(x.high);
                    d.opt_expr(x.max);
                })
            }
            Expr::TypeAssert(x) => self.node("TypeAssertExpr", x.span, "", |d| {
                d.expr(x.x);
                d.opt_expr(x.ty);
            }),
            Expr::Call(x) => {
                let extra = if x.ellipsis.is_some() { "..." } else { "" };
                self.node("CallExpr", x.span, extra, |d| {
                    d.expr(x.fun);
                    d.exprs(x.args);
                })
            }
            Expr::Star(x) => self.node("StarExpr", x.span, "", |d| d.expr(x.x)),
            Expr::Unary(x) => self.node("UnaryExpr", x.span, x.op.as_str(), |d| d.expr(x.x)),
            Expr::Binary(x) => self.node("BinaryExpr", x.span, x.op.as_str(), |d| {
                d.expr(x.x);
                d.expr(x.y);
            }),
            Expr::KeyValue(x) => self.node("KeyValueExpr", x.span, "", |d| {
                d.expr(x.key);
                d.expr(x.value);
            }),
            Expr::Ellipsis(x) => self.node("Ellipsis", x.span, "", |d| d.opt_expr(x.elt)),
            Expr::ArrayType(x) => self.node("ArrayType", x.span, "", |d| {
                d.opt_expr(x.len);
                d.expr(x.elt);
            }),
            Expr::StructType(x) => self.node("StructType", x.span, "", |d| d.field_list(x.fields)),
            Expr::FuncType(x) => self.func_type(x),
            Expr::InterfaceType(x) => {
                self.node("InterfaceType", x.span, "", |d| d.field_list(x.methods))
            }
            Expr::MapType(x) => self.node("MapType", x.span, "", |d| {
                d.expr(x.key);
                d.expr(x.value);
            }),
            Expr::ChanType(x) => {
                let dir = match x.dir {
                    ChanDir::Both => "both",
                    ChanDir::Send => "send",
                    ChanDir::Recv => "recv",
                };
                self.node("ChanType", x.span, dir, |d| d.expr(x.value))
            }
        }
    }

    fn stmts(&mut self, list: &[Stmt<'_>]) {
        for s in list {
            self.stmt(*s);
        }
    }

    fn opt_stmt(&mut self, s: Option<Stmt<'_>>) {
        if let Some(s) = s {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: Stmt<'_>) {
        stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || self.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: Stmt<'_>) {
        match s {
            Stmt::Bad(x) => self.line("BadStmt", x.span, ""),
            Stmt::Decl(x) => self.node("DeclStmt", x.span, "", |d| d.decl(&x.decl)),
            Stmt::Empty(x) => {
                let extra = if x.implicit { "implicit" } else { "explicit" };
                self.line("EmptyStmt", x.span, extra)
            }
            Stmt::Labeled(x) => self.node("LabeledStmt", x.span, "", |d| {
                d.ident(x.label);
                d.stmt(x.stmt);
            }),
            Stmt::Expr(x) => self.node("ExprStmt", x.span, "", |d| d.expr(x.x)),
            Stmt::Send(x) => self.node("SendStmt", x.span, "", |d| {
                d.expr(x.chan);
                d.expr(x.value);
            }),
            Stmt::IncDec(x) => self.node("IncDecStmt", x.span, x.tok.as_str(), |d| d.expr(x.x)),
            Stmt::Assign(x) => self.node("AssignStmt", x.span, x.tok.as_str(), |d| {
                d.exprs(x.lhs);
                d.exprs(x.rhs);
            }),
            Stmt::Go(x) => self.node("GoStmt", x.span, "", |d| d.expr(Expr::Call(x.call))),
            Stmt::Defer(x) => self.node("DeferStmt", x.span, "", |d| d.expr(Expr::Call(x.call))),
            Stmt::Return(x) => self.node("ReturnStmt", x.span, "", |d| d.exprs(x.results)),
            Stmt::Branch(x) => self.node("BranchStmt", x.span, x.tok.as_str(), |d| {
                if let Some(l) = x.label {
                    d.ident(l);
                }
            }),
            Stmt::Block(x) => self.block(x),
            Stmt::If(x) => self.node("IfStmt", x.span, "", |d| {
                d.opt_stmt(x.init);
                d.expr(x.cond);
                d.block(x.body);
                d.opt_stmt(x.else_);
            }),
            Stmt::CaseClause(x) => self.node("CaseClause", x.span, "", |d| {
                d.exprs(x.list);
                d.stmts(x.body);
            }),
            Stmt::Switch(x) => self.node("SwitchStmt", x.span, "", |d| {
                d.opt_stmt(x.init);
                d.opt_expr(x.tag);
                d.block(x.body);
            }),
            Stmt::TypeSwitch(x) => self.node("TypeSwitchStmt", x.span, "", |d| {
                d.opt_stmt(x.init);
                d.stmt(x.assign);
                d.block(x.body);
            }),
            Stmt::CommClause(x) => self.node("CommClause", x.span, "", |d| {
                d.opt_stmt(x.comm);
                d.stmts(x.body);
            }),
            Stmt::Select(x) => self.node("SelectStmt", x.span, "", |d| d.block(x.body)),
            Stmt::For(x) => self.node("ForStmt", x.span, "", |d| {
                d.opt_stmt(x.init);
                d.opt_expr(x.cond);
                d.opt_stmt(x.post);
                d.block(x.body);
            }),
            Stmt::Range(x) => {
                let tok = if x.key.is_none() {
                    "none"
                } else if x.tok == Tok::Define {
                    ":="
                } else {
                    "="
                };
                self.node("RangeStmt", x.span, tok, |d| {
                    d.opt_expr(x.key);
                    d.opt_expr(x.value);
                    d.expr(x.x);
                    d.block(x.body);
                })
            }
        }
    }
}
