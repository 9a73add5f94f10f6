//! Expression typing.

use super::{Checker, Mode, Operand};
use crate::objects::*;
use crate::types::*;
use mapvet_syntax::ast::{self, Expr};
use mapvet_syntax::token::Tok;

/// Unresolved import: a package whose members are all Unknown.
pub(super) const MISSING_PKG: PkgId = PkgId(u32::MAX - 1);
pub(super) const UNSAFE_PKG: PkgId = PkgId(u32::MAX);

impl<'a> Checker<'a> {
    /// Types `e`. `hint` is the expected type where Go lets it be elided (composite literal
    /// elements); Unknown otherwise.
    pub(crate) fn expr(&mut self, e: Expr<'a>, hint: TypeId) -> Operand {
        if self.depth > 400 {
            return Operand::INVALID;
        }
        self.depth += 1;
        let op = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || self.expr_inner(e, hint));
        self.depth -= 1;
        self.record_type(e.id(), op.ty);
        op
    }

    fn expr_inner(&mut self, e: Expr<'a>, hint: TypeId) -> Operand {
        match e {
            Expr::Bad(_) => Operand::INVALID,
            Expr::Ident(id) => self.ident(id),
            Expr::BasicLit(l) => Operand::value(self.types.basic(match l.kind {
                Tok::Int => Basic::UntypedInt,
                Tok::Float => Basic::UntypedFloat,
                Tok::Imag => Basic::UntypedComplex,
                Tok::Char => Basic::UntypedRune,
                _ => Basic::UntypedString,
            })),
            Expr::CompositeLit(cl) => self.composite_lit(cl, hint),
            Expr::FuncLit(fl) => {
                self.open_scope();
                let sig = self.signature(fl.ty, Vec::new(), true);
                self.func_body(sig, fl.body);
                self.close_scope();
                Operand::value(sig)
            }
            Expr::Paren(p) => self.expr(p.x, hint),
            Expr::Selector(s) => self.selector(s),
            Expr::Index(ix) => self.index(e, ix.x, std::slice::from_ref(&ix.index)),
            Expr::IndexList(ix) => self.index(e, ix.x, ix.indices),
            Expr::Slice(s) => {
                let x = self.expr(s.x, TypeId::UNKNOWN);
                for i in [s.low, s.high, s.max].into_iter().flatten() {
                    self.expr(i, TypeId::UNKNOWN);
                }
                let c = self.core(x.ty);
                let t = match self.types.get(c).clone() {
                    Type::Basic(Basic::String) | Type::Basic(Basic::UntypedString) => {
                        if self.types.is_untyped(x.ty) {
                            self.types.basic(Basic::String)
                        } else {
                            x.ty
                        }
                    }
                    Type::Slice(_) => x.ty,
                    Type::Array(el, _) => self.types.slice(el),
                    Type::Pointer(p) => {
                        let pc = self.core(p);
                        match self.types.get(pc).clone() {
                            Type::Array(el, _) => self.types.slice(el),
                            _ => TypeId::UNKNOWN,
                        }
                    }
                    _ => TypeId::UNKNOWN,
                };
                Operand::value(t)
            }
            Expr::TypeAssert(ta) => {
                self.expr(ta.x, TypeId::UNKNOWN);
                match ta.ty {
                    Some(t) => {
                        let t = self.type_expr(t);
                        Operand {
                            mode: Mode::CommaOk,
                            ty: t,
                        }
                    }
                    None => Operand::INVALID,
                }
            }
            Expr::Call(c) => self.call(c),
            Expr::Star(s) => {
                let x = self.expr(s.x, TypeId::UNKNOWN);
                match x.mode {
                    Mode::Type => Operand::typ(self.types.pointer(x.ty)),
                    Mode::Invalid => Operand::INVALID,
                    _ => {
                        let c = self.core(x.ty);
                        match self.types.get(c) {
                            Type::Pointer(el) => Operand::value(*el),
                            _ => Operand::value(TypeId::UNKNOWN),
                        }
                    }
                }
            }
            Expr::Unary(u) => self.unary(u, hint),
            Expr::Binary(b) => self.binary(b),
            Expr::KeyValue(kv) => {
                self.expr(kv.key, TypeId::UNKNOWN);
                self.expr(kv.value, TypeId::UNKNOWN)
            }
            Expr::Ellipsis(el) => {
                let t = match el.elt {
                    Some(e) => self.type_expr(e),
                    None => TypeId::UNKNOWN,
                };
                Operand::typ(self.types.slice(t))
            }
            Expr::ArrayType(at) => {
                let elt = self.type_expr(at.elt);
                let t = match at.len {
                    None => self.types.slice(elt),
                    Some(l) => {
                        if !matches!(l, Expr::Ellipsis(_)) {
                            self.expr(l, TypeId::UNKNOWN);
                        }
                        self.types.intern(Type::Array(elt, None))
                    }
                };
                Operand::typ(t)
            }
            Expr::StructType(st) => Operand::typ(self.struct_type(st)),
            Expr::FuncType(ft) => {
                self.open_scope();
                let t = self.signature(ft, Vec::new(), false);
                self.close_scope();
                Operand::typ(t)
            }
            Expr::InterfaceType(it) => Operand::typ(self.interface_type(it)),
            Expr::MapType(mt) => {
                let k = self.type_expr(mt.key);
                let v = self.type_expr(mt.value);
                Operand::typ(self.types.map(k, v))
            }
            Expr::ChanType(ct) => {
                let v = self.type_expr(ct.value);
                let dir = match ct.dir {
                    ast::ChanDir::Both => ChanDir::Both,
                    ast::ChanDir::Send => ChanDir::Send,
                    ast::ChanDir::Recv => ChanDir::Recv,
                };
                Operand::typ(self.types.intern(Type::Chan(dir, v)))
            }
        }
    }

    fn ident(&mut self, id: &'a ast::Ident<'a>) -> Operand {
        if id.name == "_" {
            return Operand::INVALID;
        }
        let Some(obj) = self.lookup(id.name) else {
            return Operand::INVALID;
        };
        self.record(id, obj);
        self.obj_operand(obj)
    }

    pub(super) fn obj_operand(&mut self, obj: ObjId) -> Operand {
        let kind = self.objs[obj.0 as usize].kind;
        match kind {
            ObjKind::Var(_) | ObjKind::Const | ObjKind::Func => {
                let t = self.obj_type(obj);
                if kind == ObjKind::Const && self.objs[obj.0 as usize].name == "iota" {
                    return Operand::value(self.types.basic(Basic::UntypedInt));
                }
                Operand::value(t)
            }
            ObjKind::TypeName => {
                let t = self.obj_type(obj);
                Operand::typ(t)
            }
            ObjKind::PkgName(p) => Operand {
                mode: Mode::Package(p),
                ty: TypeId::UNKNOWN,
            },
            ObjKind::Builtin(b) => Operand {
                mode: Mode::Builtin(b),
                ty: TypeId::UNKNOWN,
            },
            ObjKind::Nil => Operand::value(self.types.basic(Basic::UntypedNil)),
            ObjKind::Label => Operand::INVALID,
        }
    }

    fn selector(&mut self, s: &'a ast::SelectorExpr<'a>) -> Operand {
        // Package-qualified identifier?
        if let Expr::Ident(x) = s.x {
            if let Some(obj) = self.lookup(x.name) {
                if let ObjKind::PkgName(p) = self.objs[obj.0 as usize].kind {
                    self.record(x, obj);
                    self.record_type(s.x.id(), TypeId::UNKNOWN);
                    if p == MISSING_PKG {
                        return Operand::INVALID;
                    }
                    let Some(m) = self.package_member(p, s.sel.name) else {
                        return Operand::INVALID;
                    };
                    if p != UNSAFE_PKG && !self.objs[m.0 as usize].is_exported() {
                        return Operand::INVALID;
                    }
                    self.record(s.sel, m);
                    return self.obj_operand(m);
                }
            }
        }
        let x = self.expr(s.x, TypeId::UNKNOWN);
        match x.mode {
            Mode::Type => {
                // Method expression T.m / (*T).m: func(recv T, params...) results.
                let Some(sel) = self.lookup_field_or_method(x.ty, s.sel.name) else {
                    return Operand::INVALID;
                };
                match sel {
                    super::Selection::Method { obj, sig } => {
                        self.record(s.sel, obj);
                        let t = match self.types.get(sig).clone() {
                            Type::Func(mut f) => {
                                f.params.insert(0, x.ty);
                                self.types.intern(Type::Func(f))
                            }
                            _ => TypeId::UNKNOWN,
                        };
                        Operand::value(t)
                    }
                    super::Selection::Field { .. } => Operand::INVALID,
                }
            }
            Mode::Value | Mode::CommaOk => {
                if x.ty.is_unknown() {
                    return Operand::value(TypeId::UNKNOWN);
                }
                match self.lookup_field_or_method(x.ty, s.sel.name) {
                    Some(super::Selection::Field { obj, ty }) => {
                        self.record_with_type(s.sel, obj, ty);
                        Operand::value(ty)
                    }
                    Some(super::Selection::Method { obj, sig }) => {
                        self.record(s.sel, obj);
                        Operand::value(sig)
                    }
                    None => Operand::value(TypeId::UNKNOWN),
                }
            }
            _ => Operand::INVALID,
        }
    }

    fn index(&mut self, e: Expr<'a>, xe: Expr<'a>, indices: &'a [Expr<'a>]) -> Operand {
        let x = self.expr(xe, TypeId::UNKNOWN);
        let _ = e;
        match x.mode {
            Mode::Type => {
                // Instantiation of a generic type.
                let args: Vec<TypeId> = indices.iter().map(|&i| self.type_expr(i)).collect();
                Operand::typ(self.instantiate_type(xe, x.ty, args))
            }
            Mode::Value | Mode::CommaOk => {
                // Generic function instantiation?
                if let Type::Func(sig) = self.types.get(x.ty) {
                    if !sig.tparams.is_empty() {
                        let sig = sig.clone();
                        let args: Vec<TypeId> =
                            indices.iter().map(|&i| self.type_expr(i)).collect();
                        let mut m: Vec<(TypeId, TypeId)> = Vec::new();
                        for (i, &tp) in sig.tparams.iter().enumerate() {
                            if let Some(&a) = args.get(i) {
                                m.push((tp, a));
                            }
                        }
                        let remaining: Vec<TypeId> =
                            sig.tparams[args.len().min(sig.tparams.len())..].to_vec();
                        let inst = self.subst(x.ty, &m);
                        let inst = match self.types.get(inst).clone() {
                            Type::Func(mut f) => {
                                f.tparams = remaining;
                                self.types.intern(Type::Func(f))
                            }
                            _ => inst,
                        };
                        return Operand::value(inst);
                    }
                }
                for &i in indices {
                    self.expr(i, TypeId::UNKNOWN);
                }
                let c = self.core(x.ty);
                match self.types.get(c).clone() {
                    Type::Map(_, v) => Operand {
                        mode: Mode::CommaOk,
                        ty: v,
                    },
                    Type::Slice(el) | Type::Array(el, _) => Operand::value(el),
                    Type::Pointer(p) => {
                        let pc = self.core(p);
                        match self.types.get(pc) {
                            Type::Array(el, _) => Operand::value(*el),
                            _ => Operand::value(TypeId::UNKNOWN),
                        }
                    }
                    Type::Basic(Basic::String) | Type::Basic(Basic::UntypedString) => {
                        Operand::value(self.types.basic(Basic::Uint8))
                    }
                    _ => Operand::value(TypeId::UNKNOWN),
                }
            }
            _ => {
                for &i in indices {
                    self.expr(i, TypeId::UNKNOWN);
                }
                Operand::INVALID
            }
        }
    }

    /// `G[args]` for a generic named type or generic alias.
    fn instantiate_type(&mut self, xe: Expr<'a>, t: TypeId, args: Vec<TypeId>) -> TypeId {
        // Generic alias?
        let alias_obj = match xe.unparen() {
            Expr::Ident(i) => self.lookup(i.name),
            Expr::Selector(s) => self.infos_obj(s.sel),
            _ => None,
        };
        if let Some(o) = alias_obj {
            if let Some(tps) = self.alias_tparams.get(&o).cloned() {
                let m: Vec<(TypeId, TypeId)> = tps.into_iter().zip(args).collect();
                let base = self.objs[o.0 as usize].ty;
                return self.subst(base, &m);
            }
        }
        match self.types.get(t).clone() {
            Type::Named(n) => {
                let info = self.types.named_info(n);
                if info.tparams.is_empty() || info.origin.is_some() {
                    return t;
                }
                if info.tparams == args {
                    return t;
                }
                let inst = self.types.instance(n, args);
                self.complete_named(inst);
                inst
            }
            _ => TypeId::UNKNOWN,
        }
    }

    fn infos_obj(&self, id: &ast::Ident<'_>) -> Option<ObjId> {
        let info = &self.infos[self.ctx.file as usize];
        if !info.recording {
            return None;
        }
        info.ident_objs
            .get(id.id.index())
            .copied()
            .filter(|o| !o.is_none())
    }

    fn composite_lit(&mut self, cl: &'a ast::CompositeLit<'a>, hint: TypeId) -> Operand {
        let t = match cl.ty {
            Some(Expr::ArrayType(at)) if matches!(at.len, Some(Expr::Ellipsis(_))) => {
                let elt = self.type_expr(at.elt);
                let t = self.types.intern(Type::Array(elt, None));
                self.record_type(cl.ty.map_or(cl.id, |e| e.id()), t);
                t
            }
            Some(te) => self.type_expr(te),
            None => {
                // Elided type: `{...}` of element type T or *T.
                let c = self.core(hint);
                match self.types.get(c) {
                    Type::Pointer(el) => {
                        let el = *el;
                        self.elements(cl, el);
                        return Operand::value(hint);
                    }
                    _ => hint,
                }
            }
        };
        self.elements(cl, t);
        Operand::value(t)
    }

    fn elements(&mut self, cl: &'a ast::CompositeLit<'a>, t: TypeId) {
        let c = self.core(t);
        match self.types.get(c).clone() {
            Type::Struct(fields) => {
                for &el in cl.elts {
                    match el {
                        Expr::KeyValue(kv) => {
                            let mut ft = TypeId::UNKNOWN;
                            if let Expr::Ident(k) = kv.key {
                                if let Some(f) = fields
                                    .iter()
                                    .find(|f| self.objs[f.obj.0 as usize].name == k.name)
                                {
                                    self.record_with_type(k, f.obj, f.ty);
                                    ft = f.ty;
                                    self.record_type(kv.key.id(), ft);
                                }
                            }
                            self.expr(kv.value, ft);
                        }
                        _ => {
                            self.expr(el, TypeId::UNKNOWN);
                        }
                    }
                }
            }
            Type::Map(k, v) => {
                for &el in cl.elts {
                    match el {
                        Expr::KeyValue(kv) => {
                            self.expr(kv.key, k);
                            self.expr(kv.value, v);
                        }
                        _ => {
                            self.expr(el, v);
                        }
                    }
                }
            }
            Type::Slice(elt) | Type::Array(elt, _) => {
                for &el in cl.elts {
                    match el {
                        Expr::KeyValue(kv) => {
                            self.expr(kv.key, TypeId::UNKNOWN);
                            self.expr(kv.value, elt);
                        }
                        _ => {
                            self.expr(el, elt);
                        }
                    }
                }
            }
            _ => {
                for &el in cl.elts {
                    match el {
                        Expr::KeyValue(kv) => {
                            // Keys may be field names of an unknown struct: do not resolve
                            // them as identifiers in scope.
                            if !matches!(kv.key, Expr::Ident(_)) {
                                self.expr(kv.key, TypeId::UNKNOWN);
                            }
                            self.expr(kv.value, TypeId::UNKNOWN);
                        }
                        _ => {
                            self.expr(el, TypeId::UNKNOWN);
                        }
                    }
                }
            }
        }
    }

    fn unary(&mut self, u: &'a ast::UnaryExpr<'a>, hint: TypeId) -> Operand {
        match u.op {
            Tok::And => {
                // &T{...} with an elided type in a composite literal of *T elements.
                let inner_hint = match self.types.get(self.types.core(hint)) {
                    Type::Pointer(el) => *el,
                    _ => TypeId::UNKNOWN,
                };
                let x = self.expr(u.x, inner_hint);
                if x.mode == Mode::Invalid {
                    return Operand::INVALID;
                }
                Operand::value(self.types.pointer(x.ty))
            }
            Tok::Arrow => {
                let x = self.expr(u.x, TypeId::UNKNOWN);
                let c = self.core(x.ty);
                let t = match self.types.get(c) {
                    Type::Chan(_, el) => *el,
                    _ => TypeId::UNKNOWN,
                };
                Operand {
                    mode: Mode::CommaOk,
                    ty: t,
                }
            }
            Tok::Not => {
                let x = self.expr(u.x, TypeId::UNKNOWN);
                Operand::value(x.ty)
            }
            Tok::Tilde => {
                let t = self.type_expr(u.x);
                Operand::typ(self.types.intern(Type::Union(vec![(true, t)])))
            }
            _ => {
                let x = self.expr(u.x, TypeId::UNKNOWN);
                Operand::value(x.ty)
            }
        }
    }

    fn binary(&mut self, b: &'a ast::BinaryExpr<'a>) -> Operand {
        let x = self.expr(b.x, TypeId::UNKNOWN);
        let y = self.expr(b.y, TypeId::UNKNOWN);
        if b.op == Tok::Or && (x.mode == Mode::Type || y.mode == Mode::Type) {
            // A union in a constraint.
            let mut terms = Vec::new();
            for t in [x.ty, y.ty] {
                match self.types.get(t).clone() {
                    Type::Union(ts) => terms.extend(ts),
                    _ => terms.push((false, t)),
                }
            }
            return Operand::typ(self.types.intern(Type::Union(terms)));
        }
        match b.op {
            Tok::Eql | Tok::Neq | Tok::Lss | Tok::Leq | Tok::Gtr | Tok::Geq => {
                Operand::value(self.types.basic(Basic::UntypedBool))
            }
            Tok::LAnd | Tok::LOr => {
                if self.types.is_untyped(x.ty) {
                    Operand::value(y.ty)
                } else {
                    Operand::value(x.ty)
                }
            }
            Tok::Shl | Tok::Shr => Operand::value(x.ty),
            _ => {
                let xu = self.types.is_untyped(x.ty);
                let yu = self.types.is_untyped(y.ty);
                let t = match (xu, yu) {
                    (true, false) => y.ty,
                    (false, _) => x.ty,
                    (true, true) => {
                        // the "larger" untyped kind
                        let rank = |t: &Type| match t {
                            Type::Basic(Basic::UntypedInt) => 1,
                            Type::Basic(Basic::UntypedRune) => 2,
                            Type::Basic(Basic::UntypedFloat) => 3,
                            Type::Basic(Basic::UntypedComplex) => 4,
                            _ => 0,
                        };
                        if rank(self.types.get(y.ty)) > rank(self.types.get(x.ty)) {
                            y.ty
                        } else {
                            x.ty
                        }
                    }
                };
                Operand::value(t)
            }
        }
    }

    fn call(&mut self, c: &'a ast::CallExpr<'a>) -> Operand {
        let f = self.expr(c.fun, TypeId::UNKNOWN);
        match f.mode {
            Mode::Type => {
                // Conversion.
                for &a in c.args {
                    self.expr(a, f.ty);
                }
                Operand::value(f.ty)
            }
            Mode::Builtin(b) => self.builtin(b, c),
            Mode::Value | Mode::CommaOk => {
                let core = self.core(f.ty);
                let generic = match self.types.get(core) {
                    Type::Func(sig) => !sig.tparams.is_empty(),
                    _ => {
                        for &a in c.args {
                            self.expr(a, TypeId::UNKNOWN);
                        }
                        return Operand::value(TypeId::UNKNOWN);
                    }
                };
                if !generic {
                    // The common case: no inference, only the results are needed.
                    for &a in c.args {
                        self.expr(a, TypeId::UNKNOWN);
                    }
                    let Type::Func(sig) = self.types.get(core) else {
                        return Operand::value(TypeId::UNKNOWN);
                    };
                    return match sig.results.len() {
                        0 => Operand {
                            mode: Mode::NoValue,
                            ty: TypeId::UNKNOWN,
                        },
                        1 => Operand::value(sig.results[0]),
                        _ => {
                            let rs = sig.results.clone();
                            Operand::value(self.types.tuple(rs))
                        }
                    };
                }
                let Type::Func(sig) = self.types.get(core).clone() else {
                    return Operand::value(TypeId::UNKNOWN);
                };
                // Argument types (a single multi-valued call spreads).
                let mut arg_types = Vec::with_capacity(c.args.len());
                for (i, &a) in c.args.iter().enumerate() {
                    let hint = self.param_hint(&sig, i, c.args.len());
                    let op = self.expr(a, hint);
                    if c.args.len() == 1 {
                        if let Type::Tuple(ts) = self.types.get(op.ty) {
                            arg_types.extend(ts.clone());
                            continue;
                        }
                    }
                    arg_types.push(op.ty);
                }
                let sig = if sig.tparams.is_empty() {
                    sig
                } else {
                    self.infer_call(&sig, &arg_types, c.ellipsis.is_some())
                };
                match sig.results.len() {
                    0 => Operand {
                        mode: Mode::NoValue,
                        ty: TypeId::UNKNOWN,
                    },
                    1 => Operand::value(sig.results[0]),
                    _ => Operand::value(self.types.tuple(sig.results.clone())),
                }
            }
            _ => {
                for &a in c.args {
                    self.expr(a, TypeId::UNKNOWN);
                }
                Operand::INVALID
            }
        }
    }

    /// Expected type of argument `i` (used for elided literal types in func-typed args: none
    /// in Go; kept Unknown except for untyped nil handling).
    fn param_hint(&self, _sig: &Signature, _i: usize, _n: usize) -> TypeId {
        TypeId::UNKNOWN
    }

    fn builtin(&mut self, b: Builtin, c: &'a ast::CallExpr<'a>) -> Operand {
        let args = c.args;
        let mut first = Operand::INVALID;
        let type_first = matches!(b, Builtin::Make | Builtin::New | Builtin::Offsetof)
            || matches!(b, Builtin::Sizeof | Builtin::Alignof);
        for (i, &a) in args.iter().enumerate() {
            let op = if i == 0 && matches!(b, Builtin::Make | Builtin::New) {
                let t = self.type_expr(a);
                Operand::typ(t)
            } else {
                self.expr(a, TypeId::UNKNOWN)
            };
            if i == 0 {
                first = op;
            }
        }
        let _ = type_first;
        let int = self.types.basic(Basic::Int);
        let t = match b {
            Builtin::Make => first.ty,
            Builtin::New => self.types.pointer(first.ty),
            Builtin::Append => {
                if self.types.is_untyped(first.ty) {
                    TypeId::UNKNOWN
                } else {
                    first.ty
                }
            }
            Builtin::Len | Builtin::Cap | Builtin::Copy => int,
            Builtin::Complex => {
                let c = self.types.basic(Basic::Complex128);
                match self.types.get(self.types.underlying(first.ty)) {
                    Type::Basic(Basic::Float32) => self.types.basic(Basic::Complex64),
                    Type::Basic(Basic::UntypedFloat | Basic::UntypedInt | Basic::UntypedRune) => {
                        self.types.basic(Basic::UntypedComplex)
                    }
                    _ => c,
                }
            }
            Builtin::Real | Builtin::Imag => {
                match self.types.get(self.types.underlying(first.ty)) {
                    Type::Basic(Basic::Complex64) => self.types.basic(Basic::Float32),
                    Type::Basic(
                        Basic::UntypedComplex | Basic::UntypedFloat | Basic::UntypedInt,
                    ) => self.types.basic(Basic::UntypedFloat),
                    _ => self.types.basic(Basic::Float64),
                }
            }
            Builtin::Min | Builtin::Max => {
                // The first typed operand's type, else the first's.
                let mut t = first.ty;
                for &a in args {
                    let at = self.infos_type(a);
                    if !at.is_unknown() && !self.types.is_untyped(at) {
                        t = at;
                        break;
                    }
                }
                t
            }
            Builtin::Recover => self.types.intern(Type::Interface(Interface {
                methods: Vec::new(),
                embeddeds: Vec::new(),
            })),
            Builtin::Sizeof | Builtin::Alignof | Builtin::Offsetof => {
                self.types.basic(Basic::Uintptr)
            }
            Builtin::Add => self.types.basic(Basic::UnsafePointer),
            Builtin::Slice => match self.types.get(self.types.core(first.ty)) {
                Type::Pointer(el) => {
                    let el = *el;
                    self.types.slice(el)
                }
                _ => TypeId::UNKNOWN,
            },
            Builtin::SliceData => match self.types.get(self.types.core(first.ty)) {
                Type::Slice(el) => {
                    let el = *el;
                    self.types.pointer(el)
                }
                _ => TypeId::UNKNOWN,
            },
            Builtin::String => self.types.basic(Basic::String),
            Builtin::StringData => {
                let b = self.types.basic(Basic::Uint8);
                self.types.pointer(b)
            }
            Builtin::Clear
            | Builtin::Close
            | Builtin::Delete
            | Builtin::Panic
            | Builtin::Print
            | Builtin::Println => {
                return Operand {
                    mode: Mode::NoValue,
                    ty: TypeId::UNKNOWN,
                }
            }
        };
        Operand::value(t)
    }

    fn infos_type(&self, e: Expr<'_>) -> TypeId {
        let info = &self.infos[self.ctx.file as usize];
        info.expr_types
            .get(e.id().index())
            .copied()
            .unwrap_or(TypeId::UNKNOWN)
    }
}
