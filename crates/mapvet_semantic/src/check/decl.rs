//! Package-level declarations: collection into the package scope, lazy resolution, type
//! expressions, signatures.

use super::{Checker, Lazy, Mode};
use crate::objects::*;
use crate::types::*;
use mapvet_syntax::ast::{self, Decl, Expr, Spec};
use mapvet_syntax::token::Tok;

/// The import path's last element as the default package name (`gopkg.in/yaml.v3` → `yaml`,
/// `example.com/foo/v2` → `foo`).
fn default_pkg_name(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let last = parts.next().unwrap_or(path);
    let last = if last.len() >= 2
        && last.starts_with('v')
        && last[1..].bytes().all(|b| b.is_ascii_digit())
    {
        parts.next().unwrap_or(last)
    } else {
        last
    };
    match last.find('.') {
        Some(i) if last.starts_with("gopkg") || i > 0 => &last[..i],
        _ => last,
    }
}

/// Unquotes an import path literal (plain `"..."` or raw `` `...` ``; escapes are rare).
pub(super) fn unquote(lit: &str) -> Option<String> {
    let b = lit.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let inner = &lit[1..lit.len() - 1];
    if b[0] == b'`' {
        return Some(inner.to_string());
    }
    if !inner.contains('\\') {
        return Some(inner.to_string());
    }
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                other => out.push(other),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

impl<'a> Checker<'a> {
    /// Collects the package-level declarations of package `p` into its scope (once).
    pub(crate) fn collect(&mut self, p: u32) {
        let Some(pkg) = self.pkgs.get(p as usize) else {
            return;
        };
        if pkg.collected {
            return;
        }
        self.pkgs[p as usize].collected = true;
        let files = self.pkgs[p as usize].desc.files.clone();
        let saved = std::mem::take(&mut self.ctx);
        self.ctx.pkg = p;
        let mut methods: Vec<(u32, &'a ast::FuncDecl<'a>)> = Vec::new();
        for &f in &files {
            self.ctx.file = f;
            let file = self.files[f as usize].ast;
            for decl in file.decls {
                match decl {
                    Decl::Bad(_) => {}
                    Decl::Func(fd) => {
                        if fd.recv.is_some() {
                            methods.push((f, fd));
                            continue;
                        }
                        let name = fd.name.name;
                        let obj =
                            self.new_obj(name, ObjKind::Func, TypeId::UNKNOWN, self.pos(fd.name));
                        self.objs[obj.0 as usize].package_level = true;
                        self.lazy.insert(obj, Lazy::Func { file: f, decl: fd });
                        self.record(fd.name, obj);
                        if name != "init" && name != "_" {
                            self.pkgs[p as usize].scope.insert(name, obj);
                        }
                    }
                    Decl::Gen(g) => match g.tok {
                        Tok::Import => self.collect_imports(f, g),
                        Tok::Const => {
                            let mut last: Option<&'a ast::ValueSpec<'a>> = None;
                            for (iota, spec) in g.specs.iter().enumerate() {
                                let Spec::Value(vs) = spec else { continue };
                                if vs.ty.is_some() || !vs.values.is_empty() {
                                    last = Some(vs);
                                }
                                let src = last.unwrap_or(vs);
                                for (i, n) in vs.names.iter().enumerate() {
                                    let obj = self.new_obj(
                                        n.name,
                                        ObjKind::Const,
                                        TypeId::UNKNOWN,
                                        self.pos(n),
                                    );
                                    self.objs[obj.0 as usize].package_level = true;
                                    self.lazy.insert(
                                        obj,
                                        Lazy::Const {
                                            file: f,
                                            spec: src,
                                            index: i as u32,
                                            iota: iota as u32,
                                        },
                                    );
                                    self.record(n, obj);
                                    if n.name != "_" {
                                        self.pkgs[p as usize].scope.insert(n.name, obj);
                                    }
                                }
                            }
                        }
                        Tok::Var => {
                            for spec in g.specs {
                                let Spec::Value(vs) = spec else { continue };
                                for (i, n) in vs.names.iter().enumerate() {
                                    let obj = self.new_obj(
                                        n.name,
                                        ObjKind::Var(VarKind::Var),
                                        TypeId::UNKNOWN,
                                        self.pos(n),
                                    );
                                    self.objs[obj.0 as usize].package_level = true;
                                    self.lazy.insert(
                                        obj,
                                        Lazy::Var {
                                            file: f,
                                            spec: vs,
                                            index: i as u32,
                                        },
                                    );
                                    self.record(n, obj);
                                    if n.name != "_" {
                                        self.pkgs[p as usize].scope.insert(n.name, obj);
                                    }
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
                                self.objs[obj.0 as usize].package_level = true;
                                self.objs[obj.0 as usize].flag = ts.assign.is_some();
                                self.lazy.insert(obj, Lazy::Type { file: f, spec: ts });
                                self.record(ts.name, obj);
                                if ts.name.name != "_" {
                                    self.pkgs[p as usize].scope.insert(ts.name.name, obj);
                                }
                            }
                        }
                        _ => {}
                    },
                }
            }
        }
        // Methods: attach to their receiver base type name.
        for (f, fd) in methods {
            self.ctx.file = f;
            let obj = self.new_obj(
                fd.name.name,
                ObjKind::Func,
                TypeId::UNKNOWN,
                self.pos(fd.name),
            );
            self.objs[obj.0 as usize].package_level = true;
            self.lazy.insert(obj, Lazy::Func { file: f, decl: fd });
            self.record(fd.name, obj);
            if let Some(base) = recv_base_name(fd) {
                if let Some(&tn) = self.pkgs[p as usize].scope.get(base) {
                    if self.objs[tn.0 as usize].kind == ObjKind::TypeName && fd.name.name != "_" {
                        self.methods_of.entry(tn).or_default().push(obj);
                    }
                }
            }
        }
        self.ctx = saved;
    }

    fn collect_imports(&mut self, f: u32, g: &'a ast::GenDecl<'a>) {
        for spec in g.specs {
            let Spec::Import(is) = spec else { continue };
            let Some(path) = unquote(is.path.value) else {
                continue;
            };
            let target = if path == "unsafe" {
                Some(PkgId(u32::MAX))
            } else {
                self.pkgs[self.ctx.pkg as usize]
                    .desc
                    .imports
                    .get(&path)
                    .map(|&i| PkgId(i))
            };
            let local: &'a str = match is.name {
                Some(n) if n.name == "_" => continue,
                Some(n) if n.name == "." => {
                    if let Some(t) = target {
                        self.file_scopes[f as usize].dot_imports.push(t);
                    }
                    continue;
                }
                Some(n) => n.name,
                None => match target {
                    Some(PkgId(u32::MAX)) => "unsafe",
                    Some(t) => match self.pkgs[t.0 as usize].desc.files.first() {
                        Some(&f0) => self.files[f0 as usize].ast.name.name,
                        None => continue,
                    },
                    None => {
                        let d = default_pkg_name(&path);
                        match is.path.value.find(d) {
                            Some(i) => &is.path.value[i..i + d.len()],
                            None => continue,
                        }
                    }
                },
            };
            let kind = match target {
                Some(t) => ObjKind::PkgName(t),
                // Unresolved import: a package name whose members are all Unknown.
                None => ObjKind::PkgName(PkgId(u32::MAX - 1)),
            };
            let pos = match is.name {
                Some(n) => self.pos(n),
                None => DeclPos {
                    file: f,
                    offset: is.path.span.start,
                },
            };
            let obj = self.new_obj(local, kind, TypeId::UNKNOWN, pos);
            if let Some(n) = is.name {
                self.record(n, obj);
            }
            self.file_scopes[f as usize].names.insert(local, obj);
        }
    }

    /// Resolves a lazily declared package-level object.
    pub(crate) fn resolve(&mut self, obj: ObjId) {
        let Some(&lazy) = self.lazy.get(&obj) else {
            return;
        };
        if !self.in_progress.insert(obj) {
            // A cycle (invalid code, or a type referring to itself through its own
            // declaration, which is handled by the Named type being registered first).
            return;
        }
        if self.depth > 200 {
            self.in_progress.remove(&obj);
            return;
        }
        self.depth += 1;
        match lazy {
            Lazy::Type { file, spec } => self.in_file(file, |c| c.resolve_type_decl(obj, spec)),
            Lazy::Func { file, decl } => self.in_file(file, |c| {
                let sig = c.func_decl_signature(decl, false);
                c.objs[obj.0 as usize].ty = sig;
            }),
            Lazy::Var { file, spec, index } => {
                self.in_file(file, |c| c.resolve_var(obj, spec, index))
            }
            Lazy::Const {
                file,
                spec,
                index,
                iota,
            } => self.in_file(file, |c| {
                c.ctx.iota = Some(iota);
                let ty = match spec.ty {
                    Some(t) => c.type_expr(t),
                    None => match spec.values.get(index as usize) {
                        Some(&v) => {
                            let op = c.expr(v, TypeId::UNKNOWN);
                            op.ty
                        }
                        None => TypeId::UNKNOWN,
                    },
                };
                c.objs[obj.0 as usize].ty = ty;
            }),
        }
        self.depth -= 1;
        self.lazy.remove(&obj);
        self.in_progress.remove(&obj);
    }

    fn resolve_var(&mut self, obj: ObjId, spec: &'a ast::ValueSpec<'a>, index: u32) {
        let key = spec as *const _ as usize;
        if let Some(t) = spec.ty {
            let ty = self.type_expr(t);
            self.objs[obj.0 as usize].ty = ty;
            // initializers are checked with the package (see check_package)
            return;
        }
        if self.spec_done.contains(&key) {
            return;
        }
        self.spec_done.insert(key);
        // Type every name of the spec together.
        let names: Vec<ObjId> = spec
            .names
            .iter()
            .map(|n| self.ident_obj_in_pkg(n).unwrap_or(ObjId::NONE))
            .collect();
        let tys = self.init_types(spec.names.len(), spec.values);
        for (i, o) in names.iter().enumerate() {
            if o.is_none() {
                continue;
            }
            let t = tys.get(i).copied().unwrap_or(TypeId::UNKNOWN);
            self.objs[o.0 as usize].ty = t;
            if *o != obj {
                self.lazy.remove(o);
            }
        }
        let _ = index;
    }

    fn ident_obj_in_pkg(&self, n: &ast::Ident<'_>) -> Option<ObjId> {
        let p = self.pkgs.get(self.ctx.pkg as usize)?;
        let o = *p.scope.get(n.name)?;
        let ob = &self.objs[o.0 as usize];
        (ob.pos.offset == n.pos && ob.pos.file == self.ctx.file).then_some(o)
    }

    /// Types of `n` variables initialized from `values` (n values, or one multi-valued).
    pub(crate) fn init_types(&mut self, n: usize, values: &'a [Expr<'a>]) -> Vec<TypeId> {
        if values.len() == n {
            values
                .iter()
                .map(|&v| {
                    let op = self.expr(v, TypeId::UNKNOWN);
                    self.value_type(op)
                })
                .collect()
        } else if values.len() == 1 {
            let op = self.expr(values[0], TypeId::UNKNOWN);
            self.multi_types(op, n)
        } else {
            for &v in values {
                self.expr(v, TypeId::UNKNOWN);
            }
            vec![TypeId::UNKNOWN; n]
        }
    }

    /// The types an operand yields in an n-valued context (tuple or comma-ok).
    pub(crate) fn multi_types(&mut self, op: super::Operand, n: usize) -> Vec<TypeId> {
        if let Type::Tuple(ts) = self.types.get(op.ty) {
            let mut v = ts.clone();
            v.resize(n, TypeId::UNKNOWN);
            return v;
        }
        if n == 2 && op.mode == Mode::CommaOk {
            let b = self.types.basic(Basic::Bool);
            return vec![self.value_type(op), b];
        }
        let mut v = vec![TypeId::UNKNOWN; n];
        if n >= 1 {
            v[0] = self.value_type(op);
        }
        v
    }

    /// The type a variable initialized with `op` gets (untyped constants get their default).
    pub(crate) fn value_type(&mut self, op: super::Operand) -> TypeId {
        match op.mode {
            Mode::Value | Mode::CommaOk => {
                if matches!(self.types.get(op.ty), Type::Tuple(_)) {
                    return TypeId::UNKNOWN;
                }
                self.types.default_type(op.ty)
            }
            _ => TypeId::UNKNOWN,
        }
    }

    fn resolve_type_decl(&mut self, obj: ObjId, spec: &'a ast::TypeSpec<'a>) {
        if spec.assign.is_some() {
            // Alias (possibly generic).
            if let Some(tps) = spec.type_params {
                self.open_scope();
                let tparams = self.declare_tparams(tps);
                self.alias_tparams.insert(obj, tparams);
                let t = self.type_expr(spec.ty);
                self.objs[obj.0 as usize].ty = t;
                self.close_scope();
            } else {
                let t = self.type_expr(spec.ty);
                self.objs[obj.0 as usize].ty = t;
            }
            return;
        }
        let named = self.types.new_named(obj);
        self.objs[obj.0 as usize].ty = named;
        let Type::Named(nid) = *self.types.get(named) else {
            return;
        };
        if let Some(ms) = self.methods_of.get(&obj) {
            self.types.named[nid.0 as usize].methods = ms.clone();
        }
        self.open_scope();
        if let Some(tps) = spec.type_params {
            let tparams = self.declare_tparams(tps);
            self.types.named[nid.0 as usize].tparams = tparams;
        }
        let rhs = self.type_expr(spec.ty);
        self.complete_named(rhs);
        let mut u = self.types.underlying(rhs);
        if u == named || matches!(self.types.get(u), Type::TypeParam(_)) {
            u = TypeId::UNKNOWN;
        }
        self.types.named[nid.0 as usize].underlying = Some(u);
        self.close_scope();
    }

    /// Declares type parameters in the current (local) scope and resolves their constraints.
    pub(crate) fn declare_tparams(&mut self, list: &'a ast::FieldList<'a>) -> Vec<TypeId> {
        let mut tparams = Vec::new();
        let mut idx = 0u32;
        let mut pending = Vec::new();
        for f in list.list {
            for n in f.names {
                let obj = self.new_obj(n.name, ObjKind::TypeName, TypeId::UNKNOWN, self.pos(n));
                let tp = self.types.new_tparam(obj, idx);
                idx += 1;
                self.objs[obj.0 as usize].ty = tp;
                self.record(n, obj);
                self.declare_local(n.name, obj);
                tparams.push(tp);
                pending.push((tp, f.ty));
            }
        }
        for (tp, cexpr) in pending {
            let c = self.constraint_expr(cexpr);
            if let Type::TypeParam(p) = *self.types.get(tp) {
                self.types.tparams[p.0 as usize].constraint = c;
            }
        }
        tparams
    }

    /// A constraint: an interface type, or a type set written inline (`~int | string`,
    /// `map[K]V`), wrapped into an implicit interface.
    fn constraint_expr(&mut self, e: Expr<'a>) -> TypeId {
        let t = self.type_expr(e);
        if self.types.is_interface(t) {
            return t;
        }
        self.types.intern(Type::Interface(Interface {
            methods: Vec::new(),
            embeddeds: vec![t],
        }))
    }

    /// The signature of a function or method declaration. The receiver's type parameters are
    /// bound to the receiver base type's own type parameters (positionally), so an instance's
    /// methods are obtained by substituting the instance's type arguments.
    pub(crate) fn func_decl_signature(
        &mut self,
        fd: &'a ast::FuncDecl<'a>,
        declare: bool,
    ) -> TypeId {
        self.open_scope();
        let mut tparams = Vec::new();
        if let Some(recv) = fd.recv {
            self.declare_recv_tparams(recv);
        }
        if let Some(tps) = fd.ty.type_params {
            tparams = self.declare_tparams(tps);
        }
        let sig = self.signature(fd.ty, tparams, declare);
        self.close_scope();
        sig
    }

    fn declare_recv_tparams(&mut self, recv: &'a ast::FieldList<'a>) {
        let Some(f) = recv.list.first() else { return };
        let mut t = f.ty;
        loop {
            match t {
                Expr::Paren(p) => t = p.x,
                Expr::Star(s) => t = s.x,
                _ => break,
            }
        }
        let (base, args): (Expr<'a>, &'a [Expr<'a>]) = match t {
            Expr::Index(ix) => (ix.x, std::slice::from_ref(&ix.index)),
            Expr::IndexList(ix) => (ix.x, ix.indices),
            _ => return,
        };
        let Expr::Ident(bi) = base else { return };
        let Some(&tn) = self.pkgs[self.ctx.pkg as usize].scope.get(bi.name) else {
            return;
        };
        let named = self.obj_type(tn);
        let tps = match self.types.get(named) {
            Type::Named(n) => self.types.named[n.0 as usize].tparams.clone(),
            _ => Vec::new(),
        };
        for (i, a) in args.iter().enumerate() {
            if let Expr::Ident(ai) = a {
                let ty = tps.get(i).copied().unwrap_or(TypeId::UNKNOWN);
                let obj = self.new_obj(ai.name, ObjKind::TypeName, ty, self.pos(ai));
                self.record(ai, obj);
                self.declare_local(ai.name, obj);
            }
        }
    }

    /// The signature of a function type. Parameter and result names get objects (recorded,
    /// as go/types records them even in function types); with `declare` they are also
    /// declared in the current scope. All types are resolved before any name is declared:
    /// a parameter's scope is the body (`func f(url string, v url.Values)`).
    pub(crate) fn signature(
        &mut self,
        ft: &'a ast::FuncType<'a>,
        tparams: Vec<TypeId>,
        declare: bool,
    ) -> TypeId {
        let mut params = Vec::new();
        let mut variadic = false;
        let n = ft.params.list.len();
        let mut named: Vec<(&'a ast::Ident<'a>, TypeId, VarKind)> = Vec::new();
        for (i, f) in ft.params.list.iter().enumerate() {
            let (t, dots) = match f.ty {
                Expr::Ellipsis(el) if i + 1 == n => {
                    let et = match el.elt {
                        Some(e) => self.type_expr(e),
                        None => TypeId::UNKNOWN,
                    };
                    (self.types.slice(et), true)
                }
                _ => (self.type_expr(f.ty), false),
            };
            variadic |= dots;
            if f.names.is_empty() {
                params.push(t);
            }
            for nm in f.names {
                params.push(t);
                named.push((nm, t, VarKind::Param));
            }
        }
        let mut results = Vec::new();
        if let Some(rl) = ft.results {
            for f in rl.list {
                let t = self.type_expr(f.ty);
                if f.names.is_empty() {
                    results.push(t);
                }
                for nm in f.names {
                    results.push(t);
                    named.push((nm, t, VarKind::Result));
                }
            }
        }
        for (nm, t, kind) in named {
            let o = self.new_obj(nm.name, ObjKind::Var(kind), t, self.pos(nm));
            self.record(nm, o);
            if declare {
                self.declare_local(nm.name, o);
            }
        }
        self.types.intern(Type::Func(Signature {
            params,
            results,
            variadic,
            tparams,
        }))
    }

    /// Resolves a type expression.
    pub(crate) fn type_expr(&mut self, e: Expr<'a>) -> TypeId {
        let op = self.expr(e, TypeId::UNKNOWN);
        match op.mode {
            Mode::Type => op.ty,
            _ => TypeId::UNKNOWN,
        }
    }

    /// A struct type: creates (and records) its field objects.
    pub(crate) fn struct_type(&mut self, st: &'a ast::StructType<'a>) -> TypeId {
        let mut fields = Vec::new();
        for f in st.fields.list {
            let t = self.type_expr(f.ty);
            if f.names.is_empty() {
                // Embedded field: named after its type name.
                let Some(id) = embedded_ident(f.ty) else {
                    continue;
                };
                let o = self.new_obj(id.name, ObjKind::Var(VarKind::Field), t, self.pos(id));
                self.objs[o.0 as usize].flag = true;
                self.record(id, o);
                fields.push(Field {
                    obj: o,
                    ty: t,
                    embedded: true,
                });
            }
            for n in f.names {
                let o = self.new_obj(n.name, ObjKind::Var(VarKind::Field), t, self.pos(n));
                self.record(n, o);
                fields.push(Field {
                    obj: o,
                    ty: t,
                    embedded: false,
                });
            }
        }
        self.types.intern(Type::Struct(fields))
    }

    pub(crate) fn interface_type(&mut self, it: &'a ast::InterfaceType<'a>) -> TypeId {
        let mut methods = Vec::new();
        let mut embeddeds = Vec::new();
        for f in it.methods.list {
            match (f.names.first(), f.ty) {
                (Some(n), Expr::FuncType(ft)) => {
                    self.open_scope();
                    let sig = self.signature(ft, Vec::new(), false);
                    self.close_scope();
                    let o = self.new_obj(n.name, ObjKind::Func, sig, self.pos(n));
                    self.record(n, o);
                    methods.push(Method { obj: o, sig });
                }
                _ => {
                    let t = self.type_expr(f.ty);
                    embeddeds.push(t);
                }
            }
        }
        self.types
            .intern(Type::Interface(Interface { methods, embeddeds }))
    }

    /// Checks everything in a target package: all package-level declarations (so every
    /// struct field and signature is recorded), variable initializers, and function bodies.
    pub(crate) fn check_package(&mut self, p: u32) {
        self.collect(p);
        let files = self.pkgs[p as usize].desc.files.clone();
        let mut objs: Vec<ObjId> = self.pkgs[p as usize].scope.values().copied().collect();
        objs.sort();
        for o in objs {
            self.resolve(o);
        }
        for &f in &files {
            let file = self.files[f as usize].ast;
            for decl in file.decls {
                match decl {
                    Decl::Func(fd) => self.in_file(f, |c| c.check_func_decl(fd)),
                    Decl::Gen(g) => self.in_file(f, |c| c.check_gen_decl_bodies(g)),
                    Decl::Bad(_) => {}
                }
            }
        }
    }

    fn check_func_decl(&mut self, fd: &'a ast::FuncDecl<'a>) {
        // Resolve (and record) the object, then check the body with params declared.
        let obj = self.infos[self.ctx.file as usize]
            .ident_objs
            .get(fd.name.id.index())
            .copied()
            .unwrap_or(ObjId::NONE);
        if !obj.is_none() {
            self.resolve(obj);
        }
        self.open_scope();
        let mut tparams = Vec::new();
        let mut recv = Vec::new();
        if let Some(r) = fd.recv {
            self.declare_recv_tparams(r);
            recv = self.recv_vars(r);
        }
        if let Some(tps) = fd.ty.type_params {
            tparams = self.declare_tparams(tps);
        }
        let sig = self.signature(fd.ty, tparams, true);
        for (n, o) in recv {
            self.declare_local(n, o);
        }
        if let Some(body) = fd.body {
            self.func_body(sig, body);
        }
        self.close_scope();
    }

    /// Creates (and records) the receiver variable; it is declared after the parameters'
    /// types are resolved.
    fn recv_vars(&mut self, recv: &'a ast::FieldList<'a>) -> Vec<(&'a str, ObjId)> {
        let mut out = Vec::new();
        for f in recv.list {
            let t = self.type_expr(f.ty);
            for n in f.names {
                let o = self.new_obj(n.name, ObjKind::Var(VarKind::Receiver), t, self.pos(n));
                self.record(n, o);
                out.push((n.name, o));
            }
        }
        out
    }

    /// Resolves every object a var/const/type declaration of a target file declares (blank
    /// names included, which the package scope does not hold) and checks initializers that
    /// typing did not need (those of explicitly typed variables).
    fn check_gen_decl_bodies(&mut self, g: &'a ast::GenDecl<'a>) {
        for spec in g.specs {
            match spec {
                Spec::Value(vs) => {
                    for n in vs.names {
                        self.resolve_recorded(n);
                    }
                    if g.tok == Tok::Var && vs.ty.is_some() {
                        let t = self.objs_type_of_recorded(vs.names[0]);
                        if vs.values.len() == vs.names.len() {
                            for &v in vs.values {
                                self.expr(v, t);
                            }
                        } else {
                            for &v in vs.values {
                                self.expr(v, TypeId::UNKNOWN);
                            }
                        }
                    }
                }
                Spec::Type(ts) => self.resolve_recorded(ts.name),
                Spec::Import(_) => {}
            }
        }
    }

    fn resolve_recorded(&mut self, n: &ast::Ident<'_>) {
        let o = self.infos[self.ctx.file as usize]
            .ident_objs
            .get(n.id.index())
            .copied()
            .unwrap_or(ObjId::NONE);
        if !o.is_none() {
            self.resolve(o);
        }
    }

    fn objs_type_of_recorded(&mut self, n: &ast::Ident<'_>) -> TypeId {
        let o = self.infos[self.ctx.file as usize]
            .ident_objs
            .get(n.id.index())
            .copied()
            .unwrap_or(ObjId::NONE);
        if o.is_none() {
            TypeId::UNKNOWN
        } else {
            self.obj_type(o)
        }
    }
}

/// The base type name of a method receiver (`(r *T[P])` → `T`).
pub(super) fn recv_base_name<'a>(fd: &'a ast::FuncDecl<'a>) -> Option<&'a str> {
    let f = fd.recv?.list.first()?;
    let mut t = f.ty;
    loop {
        match t {
            Expr::Paren(p) => t = p.x,
            Expr::Star(s) => t = s.x,
            Expr::Index(ix) => t = ix.x,
            Expr::IndexList(ix) => t = ix.x,
            Expr::Ident(i) => return Some(i.name),
            _ => return None,
        }
    }
}

/// The identifier naming an embedded field (`T`, `*T`, `pkg.T`, `T[int]`).
pub(super) fn embedded_ident<'a>(mut t: Expr<'a>) -> Option<&'a ast::Ident<'a>> {
    loop {
        match t {
            Expr::Star(s) => t = s.x,
            Expr::Paren(p) => t = p.x,
            Expr::Index(ix) => t = ix.x,
            Expr::IndexList(ix) => t = ix.x,
            Expr::Selector(s) => return Some(s.sel),
            Expr::Ident(i) => return Some(i),
            _ => return None,
        }
    }
}
