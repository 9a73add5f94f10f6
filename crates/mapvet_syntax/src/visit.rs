//! A pre-order AST walker. Implement [`Visitor`]; return `false` from a `visit_*` method to
//! skip the node's children. Children are visited in source order (go/ast.Walk order).

use crate::ast::*;

pub trait Visitor<'a> {
    fn visit_expr(&mut self, _e: Expr<'a>) -> bool {
        true
    }
    fn visit_stmt(&mut self, _s: Stmt<'a>) -> bool {
        true
    }
    fn visit_decl(&mut self, _d: &Decl<'a>) -> bool {
        true
    }
    fn visit_field_list(&mut self, _l: &'a FieldList<'a>) -> bool {
        true
    }
    /// Called after a statement's children were visited.
    fn leave_stmt(&mut self, _s: Stmt<'a>) {}
    /// Called after an expression's children were visited.
    fn leave_expr(&mut self, _e: Expr<'a>) {}
}

pub fn walk_file<'a, V: Visitor<'a> + ?Sized>(v: &mut V, f: &'a File<'a>) {
    for d in f.decls {
        walk_decl(v, d);
    }
}

pub fn walk_decl<'a, V: Visitor<'a> + ?Sized>(v: &mut V, d: &Decl<'a>) {
    if !v.visit_decl(d) {
        return;
    }
    match d {
        Decl::Bad(_) => {}
        Decl::Gen(g) => {
            for s in g.specs {
                match s {
                    Spec::Import(_) => {}
                    Spec::Value(vs) => {
                        for &n in vs.names {
                            walk_expr(v, Expr::Ident(n));
                        }
                        if let Some(t) = vs.ty {
                            walk_expr(v, t);
                        }
                        for &e in vs.values {
                            walk_expr(v, e);
                        }
                    }
                    Spec::Type(ts) => {
                        walk_expr(v, Expr::Ident(ts.name));
                        if let Some(tp) = ts.type_params {
                            walk_field_list(v, tp);
                        }
                        walk_expr(v, ts.ty);
                    }
                }
            }
        }
        Decl::Func(fd) => {
            if let Some(r) = fd.recv {
                walk_field_list(v, r);
            }
            walk_expr(v, Expr::Ident(fd.name));
            walk_func_type(v, fd.ty);
            if let Some(b) = fd.body {
                walk_stmt(v, Stmt::Block(b));
            }
        }
    }
}

pub fn walk_field_list<'a, V: Visitor<'a> + ?Sized>(v: &mut V, l: &'a FieldList<'a>) {
    if !v.visit_field_list(l) {
        return;
    }
    for f in l.list {
        for &n in f.names {
            walk_expr(v, Expr::Ident(n));
        }
        walk_expr(v, f.ty);
        if let Some(t) = f.tag {
            walk_expr(v, Expr::BasicLit(t));
        }
    }
}

fn walk_func_type<'a, V: Visitor<'a> + ?Sized>(v: &mut V, t: &'a FuncType<'a>) {
    if let Some(tp) = t.type_params {
        walk_field_list(v, tp);
    }
    walk_field_list(v, t.params);
    if let Some(r) = t.results {
        walk_field_list(v, r);
    }
}

pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, e: Expr<'a>) {
    stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || walk_expr_inner(v, e))
}

fn opt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, e: Option<Expr<'a>>) {
    if let Some(e) = e {
        walk_expr(v, e);
    }
}

fn walk_expr_inner<'a, V: Visitor<'a> + ?Sized>(v: &mut V, e: Expr<'a>) {
    if !v.visit_expr(e) {
        return;
    }
    match e {
        Expr::Bad(_) | Expr::Ident(_) | Expr::BasicLit(_) => {}
        Expr::CompositeLit(x) => {
            opt(v, x.ty);
            for &el in x.elts {
                walk_expr(v, el);
            }
        }
        Expr::FuncLit(x) => {
            walk_func_type(v, x.ty);
            walk_stmt(v, Stmt::Block(x.body));
        }
        Expr::Paren(x) => walk_expr(v, x.x),
        Expr::Selector(x) => {
            walk_expr(v, x.x);
            walk_expr(v, Expr::Ident(x.sel));
        }
        Expr::Index(x) => {
            walk_expr(v, x.x);
            walk_expr(v, x.index);
        }
        Expr::IndexList(x) => {
            walk_expr(v, x.x);
            for &i in x.indices {
                walk_expr(v, i);
            }
        }
        Expr::Slice(x) => {
            walk_expr(v, x.x);
            opt(v, x.low);
            opt(v, x.high);
            opt(v, x.max);
        }
        Expr::TypeAssert(x) => {
            walk_expr(v, x.x);
            opt(v, x.ty);
        }
        Expr::Call(x) => {
            walk_expr(v, x.fun);
            for &a in x.args {
                walk_expr(v, a);
            }
        }
        Expr::Star(x) => walk_expr(v, x.x),
        Expr::Unary(x) => walk_expr(v, x.x),
        Expr::Binary(x) => {
            walk_expr(v, x.x);
            walk_expr(v, x.y);
        }
        Expr::KeyValue(x) => {
            walk_expr(v, x.key);
            walk_expr(v, x.value);
        }
        Expr::Ellipsis(x) => opt(v, x.elt),
        Expr::ArrayType(x) => {
            opt(v, x.len);
            walk_expr(v, x.elt);
        }
        Expr::StructType(x) => walk_field_list(v, x.fields),
        Expr::FuncType(x) => walk_func_type(v, x),
        Expr::InterfaceType(x) => walk_field_list(v, x.methods),
        Expr::MapType(x) => {
            walk_expr(v, x.key);
            walk_expr(v, x.value);
        }
        Expr::ChanType(x) => walk_expr(v, x.value),
    }
    v.leave_expr(e);
}

pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, s: Stmt<'a>) {
    stacker::maybe_grow(64 * 1024, 4 * 1024 * 1024, || walk_stmt_inner(v, s))
}

fn opt_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, s: Option<Stmt<'a>>) {
    if let Some(s) = s {
        walk_stmt(v, s);
    }
}

fn walk_stmt_inner<'a, V: Visitor<'a> + ?Sized>(v: &mut V, s: Stmt<'a>) {
    if !v.visit_stmt(s) {
        return;
    }
    match s {
        Stmt::Bad(_) | Stmt::Empty(_) => {}
        Stmt::Decl(x) => walk_decl(v, &x.decl),
        Stmt::Labeled(x) => walk_stmt(v, x.stmt),
        Stmt::Expr(x) => walk_expr(v, x.x),
        Stmt::Send(x) => {
            walk_expr(v, x.chan);
            walk_expr(v, x.value);
        }
        Stmt::IncDec(x) => walk_expr(v, x.x),
        Stmt::Assign(x) => {
            for &e in x.lhs {
                walk_expr(v, e);
            }
            for &e in x.rhs {
                walk_expr(v, e);
            }
        }
        Stmt::Go(x) => walk_expr(v, Expr::Call(x.call)),
        Stmt::Defer(x) => walk_expr(v, Expr::Call(x.call)),
        Stmt::Return(x) => {
            for &e in x.results {
                walk_expr(v, e);
            }
        }
        Stmt::Branch(_) => {}
        Stmt::Block(x) => {
            for &st in x.list {
                walk_stmt(v, st);
            }
        }
        Stmt::If(x) => {
            opt_stmt(v, x.init);
            walk_expr(v, x.cond);
            walk_stmt(v, Stmt::Block(x.body));
            opt_stmt(v, x.else_);
        }
        Stmt::CaseClause(x) => {
            for &e in x.list {
                walk_expr(v, e);
            }
            for &st in x.body {
                walk_stmt(v, st);
            }
        }
        Stmt::Switch(x) => {
            opt_stmt(v, x.init);
            opt(v, x.tag);
            walk_stmt(v, Stmt::Block(x.body));
        }
        Stmt::TypeSwitch(x) => {
            opt_stmt(v, x.init);
            walk_stmt(v, x.assign);
            walk_stmt(v, Stmt::Block(x.body));
        }
        Stmt::CommClause(x) => {
            opt_stmt(v, x.comm);
            for &st in x.body {
                walk_stmt(v, st);
            }
        }
        Stmt::Select(x) => walk_stmt(v, Stmt::Block(x.body)),
        Stmt::For(x) => {
            opt_stmt(v, x.init);
            opt(v, x.cond);
            opt_stmt(v, x.post);
            walk_stmt(v, Stmt::Block(x.body));
        }
        Stmt::Range(x) => {
            opt(v, x.key);
            opt(v, x.value);
            walk_expr(v, x.x);
            walk_stmt(v, Stmt::Block(x.body));
        }
    }
    v.leave_stmt(s);
}
