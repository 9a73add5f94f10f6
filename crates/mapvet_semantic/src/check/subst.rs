//! Generics: type substitution, lazy completion of instances, and inference of a generic
//! function's type arguments from its call arguments (unification, then core-type
//! inference from constraints such as `M ~map[K]V`).

use super::Checker;
use crate::types::*;

impl Checker<'_> {
    /// Substitutes type parameters in `t` according to `map` (type param → type).
    pub(crate) fn subst(&mut self, t: TypeId, map: &[(TypeId, TypeId)]) -> TypeId {
        if map.is_empty() {
            return t;
        }
        self.subst_depth(t, map, 0)
    }

    fn subst_depth(&mut self, t: TypeId, map: &[(TypeId, TypeId)], depth: u32) -> TypeId {
        if depth > 32 {
            return t;
        }
        let d = depth + 1;
        match self.types.get(t).clone() {
            Type::TypeParam(_) => map.iter().find(|(p, _)| *p == t).map_or(t, |&(_, a)| a),
            Type::Unknown | Type::Basic(_) => t,
            Type::Pointer(e) => {
                let e = self.subst_depth(e, map, d);
                self.types.pointer(e)
            }
            Type::Slice(e) => {
                let e = self.subst_depth(e, map, d);
                self.types.slice(e)
            }
            Type::Array(e, n) => {
                let e = self.subst_depth(e, map, d);
                self.types.intern(Type::Array(e, n))
            }
            Type::Map(k, v) => {
                let k = self.subst_depth(k, map, d);
                let v = self.subst_depth(v, map, d);
                self.types.map(k, v)
            }
            Type::Chan(dir, e) => {
                let e = self.subst_depth(e, map, d);
                self.types.intern(Type::Chan(dir, e))
            }
            Type::Struct(fields) => {
                let fields = fields
                    .into_iter()
                    .map(|f| Field {
                        ty: self.subst_depth(f.ty, map, d),
                        ..f
                    })
                    .collect();
                self.types.intern(Type::Struct(fields))
            }
            Type::Interface(i) => {
                let methods = i
                    .methods
                    .into_iter()
                    .map(|m| Method {
                        sig: self.subst_depth(m.sig, map, d),
                        ..m
                    })
                    .collect();
                let embeddeds = i
                    .embeddeds
                    .into_iter()
                    .map(|e| self.subst_depth(e, map, d))
                    .collect();
                self.types
                    .intern(Type::Interface(Interface { methods, embeddeds }))
            }
            Type::Func(sig) => {
                let params = sig
                    .params
                    .iter()
                    .map(|&p| self.subst_depth(p, map, d))
                    .collect();
                let results = sig
                    .results
                    .iter()
                    .map(|&p| self.subst_depth(p, map, d))
                    .collect();
                self.types.intern(Type::Func(Signature {
                    params,
                    results,
                    variadic: sig.variadic,
                    tparams: sig.tparams,
                }))
            }
            Type::Tuple(ts) => {
                let ts = ts.iter().map(|&p| self.subst_depth(p, map, d)).collect();
                self.types.tuple(ts)
            }
            Type::Union(terms) => {
                let terms = terms
                    .iter()
                    .map(|&(tilde, p)| (tilde, self.subst_depth(p, map, d)))
                    .collect();
                self.types.intern(Type::Union(terms))
            }
            Type::Named(n) => {
                let info = self.types.named_info(n);
                if info.targs.is_empty() {
                    return t;
                }
                let origin = info.origin.unwrap_or(n);
                let targs = info.targs.clone();
                let new: Vec<TypeId> = targs.iter().map(|&a| self.subst_depth(a, map, d)).collect();
                if new == targs {
                    return t;
                }
                let otps = self.types.named_info(origin).tparams.clone();
                if otps == new {
                    // Instance with its own parameters is the generic type itself.
                    return self.objs_named_type(origin);
                }
                self.types.instance(origin, new)
            }
        }
    }

    fn objs_named_type(&self, n: NamedId) -> TypeId {
        let obj = self.types.named_info(n).obj;
        self.objs[obj.0 as usize].ty
    }

    /// Computes the underlying type of a generic instance once its origin is resolved.
    pub(crate) fn complete_named(&mut self, t: TypeId) {
        let Type::Named(n) = *self.types.get(t) else {
            return;
        };
        let info = self.types.named_info(n);
        if info.underlying.is_some() {
            return;
        }
        let Some(origin) = info.origin else {
            // A plain named type still being resolved: resolve its declaration.
            let obj = info.obj;
            if self.lazy_pending(obj) {
                self.resolve(obj);
            }
            return;
        };
        let targs = info.targs.clone();
        let oinfo = self.types.named_info(origin);
        let Some(ou) = oinfo.underlying else {
            let obj = oinfo.obj;
            if self.lazy_pending(obj) {
                self.resolve(obj);
            }
            if self.types.named_info(origin).underlying.is_none() {
                return;
            }
            return self.complete_named(t);
        };
        let tps = oinfo.tparams.clone();
        // Mark as in progress (Unknown) to stop recursion through self-referential types.
        self.types.named[n.0 as usize].underlying = Some(TypeId::UNKNOWN);
        let map: Vec<(TypeId, TypeId)> = tps.into_iter().zip(targs).collect();
        let u = self.subst(ou, &map);
        self.types.named[n.0 as usize].underlying = Some(u);
    }

    fn lazy_pending(&self, obj: crate::objects::ObjId) -> bool {
        self.lazy.contains_key(&obj) && !self.in_progress.contains(&obj)
    }

    /// Instantiates a generic signature for a call with the given argument types.
    pub(crate) fn infer_call(&mut self, sig: &Signature, args: &[TypeId], dots: bool) -> Signature {
        let mut map: Vec<(TypeId, TypeId)> = Vec::new();
        let n = sig.params.len();
        for (i, &a) in args.iter().enumerate() {
            let p = if sig.variadic && i + 1 >= n && n > 0 {
                let last = sig.params[n - 1];
                if dots {
                    last
                } else {
                    match self.types.get(last) {
                        Type::Slice(e) => *e,
                        _ => last,
                    }
                }
            } else if let Some(&p) = sig.params.get(i) {
                p
            } else {
                continue;
            };
            if a.is_unknown() || self.types.is_untyped(a) {
                continue;
            }
            self.unify(p, a, &sig.tparams, &mut map, 0);
        }
        // Untyped arguments bound last, with their default types.
        for (i, &a) in args.iter().enumerate() {
            if !self.types.is_untyped(a) {
                continue;
            }
            if let Some(&p) = sig.params.get(i.min(n.saturating_sub(1))) {
                if sig.tparams.contains(&p) && !map.iter().any(|(x, _)| *x == p) {
                    let d = self.types.default_type(a);
                    if !d.is_unknown() {
                        map.push((p, d));
                    }
                }
            }
        }
        // Core type inference: a bound type parameter whose constraint has a core type
        // (e.g. M ~map[K]V) binds the parameters of that core type.
        for _ in 0..3 {
            let mut changed = false;
            for &tp in &sig.tparams {
                let Some(&(_, bound)) = map.iter().find(|(x, _)| *x == tp) else {
                    continue;
                };
                let Type::TypeParam(pid) = *self.types.get(tp) else {
                    continue;
                };
                let c = self.types.tparams[pid.0 as usize].constraint;
                let core = self.core_of_constraint(c);
                if core.is_unknown() {
                    continue;
                }
                let bu = self.under(bound);
                let before = map.len();
                self.unify(core, bu, &sig.tparams, &mut map, 0);
                changed |= map.len() != before;
            }
            // Unbound parameters whose constraint core type is fully known.
            for &tp in &sig.tparams {
                if map.iter().any(|(x, _)| *x == tp) {
                    continue;
                }
                let Type::TypeParam(pid) = *self.types.get(tp) else {
                    continue;
                };
                let c = self.types.tparams[pid.0 as usize].constraint;
                let core = self.core_of_constraint(c);
                if core.is_unknown() {
                    continue;
                }
                let s = self.subst(core, &map);
                if !self.mentions(s, &sig.tparams) {
                    map.push((tp, s));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let params = sig.params.iter().map(|&p| self.subst(p, &map)).collect();
        let results = sig
            .results
            .iter()
            .map(|&r| {
                let s = self.subst(r, &map);
                if self.mentions(s, &sig.tparams) {
                    TypeId::UNKNOWN
                } else {
                    s
                }
            })
            .collect();
        Signature {
            params,
            results,
            variadic: sig.variadic,
            tparams: Vec::new(),
        }
    }

    fn core_of_constraint(&mut self, c: TypeId) -> TypeId {
        // Build a throwaway type parameter-free view: the core of the constraint interface.
        let u = self.under(c);
        match self.types.get(u).clone() {
            Type::Interface(i) => {
                let mut core = None;
                for e in i.embeddeds {
                    let t = match self.types.get(e).clone() {
                        Type::Union(terms) if terms.len() == 1 => terms[0].1,
                        Type::Union(_) => return TypeId::UNKNOWN,
                        Type::Interface(_) | Type::Named(_) if self.types.is_interface(e) => {
                            continue
                        }
                        _ => e,
                    };
                    let t = self.under(t);
                    match core {
                        None => core = Some(t),
                        Some(c) if c == t => {}
                        Some(_) => return TypeId::UNKNOWN,
                    }
                }
                core.unwrap_or(TypeId::UNKNOWN)
            }
            _ => TypeId::UNKNOWN,
        }
    }

    /// Whether `t` mentions any of `tps`.
    fn mentions(&self, t: TypeId, tps: &[TypeId]) -> bool {
        self.mentions_depth(t, tps, 0)
    }

    fn mentions_depth(&self, t: TypeId, tps: &[TypeId], depth: u32) -> bool {
        if depth > 16 {
            return false;
        }
        let d = depth + 1;
        match self.types.get(t) {
            Type::TypeParam(_) => tps.contains(&t),
            Type::Pointer(e) | Type::Slice(e) | Type::Array(e, _) | Type::Chan(_, e) => {
                self.mentions_depth(*e, tps, d)
            }
            Type::Map(k, v) => self.mentions_depth(*k, tps, d) || self.mentions_depth(*v, tps, d),
            Type::Func(s) => s
                .params
                .iter()
                .chain(s.results.iter())
                .any(|&p| self.mentions_depth(p, tps, d)),
            Type::Tuple(ts) => ts.iter().any(|&p| self.mentions_depth(p, tps, d)),
            Type::Named(n) => self.types.named[n.0 as usize]
                .targs
                .iter()
                .any(|&a| self.mentions_depth(a, tps, d)),
            Type::Struct(fs) => fs.iter().any(|f| self.mentions_depth(f.ty, tps, d)),
            _ => false,
        }
    }

    /// Structural unification of parameter type `p` with argument type `a`, binding type
    /// parameters of `tps` into `map`.
    fn unify(
        &mut self,
        p: TypeId,
        a: TypeId,
        tps: &[TypeId],
        map: &mut Vec<(TypeId, TypeId)>,
        depth: u32,
    ) {
        if depth > 16 || a.is_unknown() {
            return;
        }
        let d = depth + 1;
        if tps.contains(&p) {
            if !map.iter().any(|(x, _)| *x == p) {
                map.push((p, a));
            }
            return;
        }
        let pt = self.types.get(p).clone();
        // Named generic instances: unify type arguments pairwise when the origins match.
        if let Type::Named(pn) = pt {
            if let Type::Named(an) = *self.types.get(a) {
                let pi = self.types.named_info(pn).clone();
                let ai = self.types.named_info(an).clone();
                let po = pi.origin.unwrap_or(pn);
                let ao = ai.origin.unwrap_or(an);
                if po == ao {
                    let pargs = if pi.origin.is_some() {
                        pi.targs
                    } else {
                        pi.tparams
                    };
                    for (x, y) in pargs.iter().zip(ai.targs.iter()) {
                        self.unify(*x, *y, tps, map, d);
                    }
                }
            }
            return;
        }
        // Otherwise compare structure against the argument's underlying type (inexact
        // unification, as Go does for assignability).
        let au = if matches!(self.types.get(a), Type::Named(_)) {
            self.under(a)
        } else {
            a
        };
        match (pt, self.types.get(au).clone()) {
            (Type::Pointer(x), Type::Pointer(y))
            | (Type::Slice(x), Type::Slice(y))
            | (Type::Array(x, _), Type::Array(y, _))
            | (Type::Chan(_, x), Type::Chan(_, y)) => self.unify(x, y, tps, map, d),
            (Type::Map(k1, v1), Type::Map(k2, v2)) => {
                self.unify(k1, k2, tps, map, d);
                self.unify(v1, v2, tps, map, d);
            }
            (Type::Func(s1), Type::Func(s2)) => {
                for (x, y) in s1.params.iter().zip(s2.params.iter()) {
                    self.unify(*x, *y, tps, map, d);
                }
                for (x, y) in s1.results.iter().zip(s2.results.iter()) {
                    self.unify(*x, *y, tps, map, d);
                }
            }
            _ => {}
        }
    }
}
