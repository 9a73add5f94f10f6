//! Statements and function bodies: local scopes, short variable declarations, range and
//! type-switch variables.

use super::{Checker, Mode};
use crate::objects::*;
use crate::types::*;
use mapvet_syntax::ast::{self, Expr, Spec, Stmt};
use mapvet_syntax::token::Tok;

impl<'a> Checker<'a> {
    /// Checks a function body; parameters are already declared in the current scope, which is
    /// also the body's scope (Go's function block: `func f(m M) { m, err := g() }` reuses the
    /// parameter `m`).
    pub(crate) fn func_body(&mut self, _sig: TypeId, body: &'a ast::BlockStmt<'a>) {
        let saved_iota = self.ctx.iota.take();
        self.stmts(body.list);
        self.ctx.iota = saved_iota;
    }

    fn stmts(&mut self, list: &'a [Stmt<'a>]) {
        for &s in list {
            self.stmt(s);
        }
    }

    fn block(&mut self, b: &'a ast::BlockStmt<'a>) {
        self.open_scope();
        self.stmts(b.list);
        self.close_scope();
    }

    fn opt_stmt(&mut self, s: Option<Stmt<'a>>) {
        if let Some(s) = s {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: Stmt<'a>) {
        if self.depth > 400 {
            return;
        }
        self.depth += 1;
        stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || self.stmt_inner(s));
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, s: Stmt<'a>) {
        match s {
            Stmt::Bad(_) | Stmt::Empty(_) => {}
            Stmt::Decl(d) => {
                if let ast::Decl::Gen(g) = d.decl {
                    self.local_decl(g);
                }
            }
            Stmt::Labeled(l) => self.stmt(l.stmt),
            Stmt::Expr(e) => {
                self.expr(e.x, TypeId::UNKNOWN);
            }
            Stmt::Send(s) => {
                self.expr(s.chan, TypeId::UNKNOWN);
                self.expr(s.value, TypeId::UNKNOWN);
            }
            Stmt::IncDec(s) => {
                self.expr(s.x, TypeId::UNKNOWN);
            }
            Stmt::Assign(a) => self.assign(a),
            Stmt::Go(g) => {
                self.expr(Expr::Call(g.call), TypeId::UNKNOWN);
            }
            Stmt::Defer(d) => {
                self.expr(Expr::Call(d.call), TypeId::UNKNOWN);
            }
            Stmt::Return(r) => {
                for &e in r.results {
                    self.expr(e, TypeId::UNKNOWN);
                }
            }
            Stmt::Branch(_) => {}
            Stmt::Block(b) => self.block(b),
            Stmt::If(i) => {
                self.open_scope();
                self.opt_stmt(i.init);
                self.expr(i.cond, TypeId::UNKNOWN);
                self.block(i.body);
                self.opt_stmt(i.else_);
                self.close_scope();
            }
            Stmt::CaseClause(c) => {
                for &e in c.list {
                    self.expr(e, TypeId::UNKNOWN);
                }
                self.open_scope();
                self.stmts(c.body);
                self.close_scope();
            }
            Stmt::Switch(sw) => {
                self.open_scope();
                self.opt_stmt(sw.init);
                if let Some(t) = sw.tag {
                    self.expr(t, TypeId::UNKNOWN);
                }
                for &cl in sw.body.list {
                    self.stmt(cl);
                }
                self.close_scope();
            }
            Stmt::TypeSwitch(ts) => self.type_switch(ts),
            Stmt::CommClause(c) => {
                self.open_scope();
                if let Some(comm) = c.comm {
                    self.stmt(comm);
                }
                self.stmts(c.body);
                self.close_scope();
            }
            Stmt::Select(sel) => {
                for &cl in sel.body.list {
                    self.stmt(cl);
                }
            }
            Stmt::For(f) => {
                self.open_scope();
                self.opt_stmt(f.init);
                if let Some(c) = f.cond {
                    self.expr(c, TypeId::UNKNOWN);
                }
                self.opt_stmt(f.post);
                self.block(f.body);
                self.close_scope();
            }
            Stmt::Range(r) => self.range(r),
        }
    }

    fn assign(&mut self, a: &'a ast::AssignStmt<'a>) {
        if a.tok != Tok::Define {
            // Plain or compound assignment: check both sides.
            for &l in a.lhs {
                if !matches!(l, Expr::Ident(i) if i.name == "_") {
                    self.expr(l, TypeId::UNKNOWN);
                }
            }
            if a.lhs.len() == a.rhs.len() {
                for (&l, &r) in a.lhs.iter().zip(a.rhs) {
                    let hint = self.expr_type_recorded(l);
                    self.expr(r, hint);
                }
            } else {
                for &r in a.rhs {
                    self.expr(r, TypeId::UNKNOWN);
                }
            }
            return;
        }
        // Short variable declaration.
        let tys = self.init_types(a.lhs.len(), a.rhs);
        self.define_vars(a.lhs, &tys);
    }

    /// Declares (or reuses, for redeclarations) the variables of a `:=` / range / select
    /// receive left-hand side.
    fn define_vars(&mut self, lhs: &[Expr<'a>], tys: &[TypeId]) {
        let mut new_vars: Vec<(&'a str, ObjId)> = Vec::new();
        for (i, &l) in lhs.iter().enumerate() {
            let Expr::Ident(id) = l else {
                self.expr(l, TypeId::UNKNOWN);
                continue;
            };
            if id.name == "_" {
                continue;
            }
            if let Some(o) = self.lookup_innermost(id.name) {
                if self.objs[o.0 as usize].is_var() {
                    self.record(id, o);
                    continue;
                }
            }
            let t = tys.get(i).copied().unwrap_or(TypeId::UNKNOWN);
            let o = self.new_obj(id.name, ObjKind::Var(VarKind::Var), t, self.pos(id));
            self.record(id, o);
            self.record_type(id.id, t);
            new_vars.push((id.name, o));
        }
        // The new variables are in scope after the statement.
        for (n, o) in new_vars {
            self.declare_local(n, o);
        }
    }

    fn expr_type_recorded(&self, e: Expr<'_>) -> TypeId {
        let info = &self.infos[self.ctx.file as usize];
        info.expr_types
            .get(e.id().index())
            .copied()
            .unwrap_or(TypeId::UNKNOWN)
    }

    fn range(&mut self, r: &'a ast::RangeStmt<'a>) {
        self.open_scope();
        let x = self.expr(r.x, TypeId::UNKNOWN);
        let (kt, vt) = self.range_types(x.ty);
        if r.tok == Tok::Define {
            let lhs: Vec<Expr<'a>> = [r.key, r.value].into_iter().flatten().collect();
            let lhs = &*self.leak_exprs(lhs);
            self.define_vars(lhs, &[kt, vt]);
        } else {
            for e in [r.key, r.value].into_iter().flatten() {
                if !matches!(e, Expr::Ident(i) if i.name == "_") {
                    self.expr(e, TypeId::UNKNOWN);
                }
            }
        }
        self.block(r.body);
        self.close_scope();
    }

    /// Small helper: a 1- or 2-element list as a slice with the arena lifetime. Range
    /// statements hold key/value in separate fields; copy them into a tiny owned array kept
    /// alive for the duration of the call instead of allocating.
    fn leak_exprs(&mut self, v: Vec<Expr<'a>>) -> RangeLhs<'a> {
        RangeLhs(v)
    }

    fn range_types(&mut self, t: TypeId) -> (TypeId, TypeId) {
        let int = self.types.basic(Basic::Int);
        let c = self.core(t);
        match self.types.get(c).clone() {
            Type::Map(k, v) => (k, v),
            Type::Slice(e) | Type::Array(e, _) => (int, e),
            Type::Pointer(p) => {
                let pc = self.core(p);
                match self.types.get(pc).clone() {
                    Type::Array(e, _) => (int, e),
                    _ => (TypeId::UNKNOWN, TypeId::UNKNOWN),
                }
            }
            Type::Basic(Basic::String) | Type::Basic(Basic::UntypedString) => {
                (int, self.types.basic(Basic::Int32))
            }
            Type::Basic(b) if !matches!(b, Basic::UnsafePointer) => {
                (self.types.default_type(t), TypeId::UNKNOWN)
            }
            Type::Chan(_, e) => (e, TypeId::UNKNOWN),
            Type::Func(sig) => {
                // Range over function iterators: func(yield func(K, V) bool).
                let yield_t = sig.params.first().copied().unwrap_or(TypeId::UNKNOWN);
                let yc = self.core(yield_t);
                match self.types.get(yc).clone() {
                    Type::Func(ys) => (
                        ys.params.first().copied().unwrap_or(TypeId::UNKNOWN),
                        ys.params.get(1).copied().unwrap_or(TypeId::UNKNOWN),
                    ),
                    _ => (TypeId::UNKNOWN, TypeId::UNKNOWN),
                }
            }
            _ => (TypeId::UNKNOWN, TypeId::UNKNOWN),
        }
    }

    fn type_switch(&mut self, ts: &'a ast::TypeSwitchStmt<'a>) {
        self.open_scope();
        self.opt_stmt(ts.init);
        // The guard: `x := y.(type)` or `y.(type)`.
        let (sym, xe) = match ts.assign {
            Stmt::Assign(a) => match (a.lhs.first(), a.rhs.first()) {
                (Some(Expr::Ident(id)), Some(Expr::TypeAssert(ta))) => (Some(*id), ta.x),
                _ => (None, a.rhs.first().copied().unwrap_or(Expr::Bad(&BAD))),
            },
            Stmt::Expr(e) => match e.x {
                Expr::TypeAssert(ta) => (None, ta.x),
                other => (None, other),
            },
            _ => (None, Expr::Bad(&BAD)),
        };
        let x = self.expr(xe, TypeId::UNKNOWN);
        for &cl in ts.body.list {
            let Stmt::CaseClause(cc) = cl else { continue };
            let mut case_types = Vec::new();
            for &e in cc.list {
                let op = self.expr(e, TypeId::UNKNOWN);
                case_types.push(if op.mode == Mode::Type {
                    op.ty
                } else {
                    // `nil` case
                    TypeId::UNKNOWN
                });
            }
            self.open_scope();
            if let Some(id) = sym {
                if id.name != "_" {
                    let t = if case_types.len() == 1 && !is_nil_case(cc.list[0]) {
                        case_types[0]
                    } else {
                        x.ty
                    };
                    let o = self.new_obj(id.name, ObjKind::Var(VarKind::Var), t, self.pos(id));
                    self.declare_local(id.name, o);
                }
            }
            self.stmts(cc.body);
            self.close_scope();
        }
        self.close_scope();
    }

    fn local_decl(&mut self, g: &'a ast::GenDecl<'a>) {
        match g.tok {
            Tok::Var => {
                for spec in g.specs {
                    let Spec::Value(vs) = spec else { continue };
                    let tys: Vec<TypeId> = match vs.ty {
                        Some(t) => {
                            let t = self.type_expr(t);
                            for &v in vs.values {
                                self.expr(v, t);
                            }
                            vec![t; vs.names.len()]
                        }
                        None => self.init_types(vs.names.len(), vs.values),
                    };
                    for (i, n) in vs.names.iter().enumerate() {
                        let o =
                            self.new_obj(n.name, ObjKind::Var(VarKind::Var), tys[i], self.pos(n));
                        self.record(n, o);
                        self.declare_local(n.name, o);
                    }
                }
            }
            Tok::Const => {
                let mut last: Option<&'a ast::ValueSpec<'a>> = None;
                for (iota, spec) in g.specs.iter().enumerate() {
                    let Spec::Value(vs) = spec else { continue };
                    if vs.ty.is_some() || !vs.values.is_empty() {
                        last = Some(vs);
                    }
                    let src = last.unwrap_or(vs);
                    let saved = self.ctx.iota.replace(iota as u32);
                    let mut objs = Vec::new();
                    for (i, n) in vs.names.iter().enumerate() {
                        let t = match src.ty {
                            Some(t) => self.type_expr(t),
                            None => match src.values.get(i) {
                                Some(&v) => self.expr(v, TypeId::UNKNOWN).ty,
                                None => TypeId::UNKNOWN,
                            },
                        };
                        let o = self.new_obj(n.name, ObjKind::Const, t, self.pos(n));
                        self.record(n, o);
                        objs.push((n.name, o));
                    }
                    self.ctx.iota = saved;
                    for (n, o) in objs {
                        self.declare_local(n, o);
                    }
                }
            }
            Tok::Type => {
                for spec in g.specs {
                    let Spec::Type(ts) = spec else { continue };
                    let obj = self.new_obj(
                        ts.name.name,
                        ObjKind::TypeName,
                        TypeId::UNKNOWN,
                        self.pos(ts.name),
                    );
                    self.record(ts.name, obj);
                    // In scope in its own declaration (recursive types).
                    self.declare_local(ts.name.name, obj);
                    if ts.assign.is_some() {
                        let t = self.type_expr(ts.ty);
                        self.objs[obj.0 as usize].ty = t;
                        self.objs[obj.0 as usize].flag = true;
                        continue;
                    }
                    let named = self.types.new_named(obj);
                    self.objs[obj.0 as usize].ty = named;
                    let Type::Named(nid) = *self.types.get(named) else {
                        continue;
                    };
                    self.open_scope();
                    if let Some(tps) = ts.type_params {
                        let tparams = self.declare_tparams(tps);
                        self.types.named[nid.0 as usize].tparams = tparams;
                    }
                    let rhs = self.type_expr(ts.ty);
                    self.complete_named(rhs);
                    let mut u = self.types.underlying(rhs);
                    if u == named {
                        u = TypeId::UNKNOWN;
                    }
                    self.types.named[nid.0 as usize].underlying = Some(u);
                    self.close_scope();
                }
            }
            _ => {}
        }
    }
}

static BAD: ast::BadExpr = ast::BadExpr {
    id: ast::NodeId(u32::MAX),
    span: mapvet_syntax::Span { start: 0, end: 0 },
};

fn is_nil_case(e: Expr<'_>) -> bool {
    matches!(e, Expr::Ident(i) if i.name == "nil")
}

/// Owned key/value list of a range statement.
struct RangeLhs<'a>(Vec<Expr<'a>>);

impl<'a> std::ops::Deref for RangeLhs<'a> {
    type Target = [Expr<'a>];
    fn deref(&self) -> &[Expr<'a>] {
        &self.0
    }
}
