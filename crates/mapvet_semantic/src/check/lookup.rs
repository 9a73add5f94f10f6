//! Field and method lookup (with embedding and promotion), like go/types'
//! `LookupFieldOrMethod`.

use super::Checker;
use crate::objects::*;
use crate::types::*;

/// What a selector `x.name` denotes.
#[derive(Clone, Copy, Debug)]
pub enum Selection {
    /// A struct field, with its type (substituted for generic instances).
    Field { obj: ObjId, ty: TypeId },
    /// A method, with its signature (without receiver; substituted for instances).
    Method { obj: ObjId, sig: TypeId },
}

impl Checker<'_> {
    /// Looks up field or method `name` in type `t` (a pointer to a struct or named type is
    /// dereferenced once). Ambiguous or missing selectors give `None`.
    pub fn lookup_field_or_method(&mut self, t: TypeId, name: &str) -> Option<Selection> {
        if name == "_" {
            return None;
        }
        let mut t = t;
        // Automatic dereference of a pointer (not of a named pointer type's methods).
        if let Type::Pointer(e) = self.types.get(t) {
            t = *e;
        } else {
            let u = self.under(t);
            if let Type::Pointer(e) = self.types.get(u) {
                if !matches!(self.types.get(t), Type::Named(_)) {
                    t = *e;
                } else {
                    // Named pointer types have no methods; fields of the pointee are
                    // still selectable.
                    t = *e;
                }
            }
        }
        // Most selectors are found at depth 0: nothing is allocated for them.
        let first = [t];
        let mut level: Vec<TypeId> = Vec::new();
        let mut seen: Vec<TypeId> = Vec::new();
        for depth in 0..16 {
            let mut found: Option<Selection> = None;
            let mut count = 0;
            let mut next: Vec<TypeId> = Vec::new();
            let cur: &[TypeId] = if depth == 0 { &first } else { &level };
            for &typ in cur {
                if depth > 0 {
                    if seen.contains(&typ) {
                        continue;
                    }
                    seen.push(typ);
                }
                // Methods declared on a named type.
                if let Type::Named(n) = *self.types.get(typ) {
                    if let Some(sel) = self.named_method(n, name) {
                        found = Some(sel);
                        count += 1;
                        continue;
                    }
                }
                let u = self.under(typ);
                match self.types.get(u) {
                    Type::Struct(fields) => {
                        // No clone: fields and objects are read through separate borrows.
                        for f in fields {
                            if self.objs[f.obj.0 as usize].name == name {
                                found = Some(Selection::Field {
                                    obj: f.obj,
                                    ty: f.ty,
                                });
                                count += 1;
                            }
                            if f.embedded {
                                let mut et = f.ty;
                                if let Type::Pointer(e) = self.types.get(et) {
                                    et = *e;
                                }
                                next.push(et);
                            }
                        }
                    }
                    Type::Interface(_) => {
                        if let Some(sel) = self.interface_method(u, name, 0) {
                            found = Some(sel);
                            count += 1;
                        }
                    }
                    Type::TypeParam(p) => {
                        let c = self.types.tparams[p.0 as usize].constraint;
                        if let Some(sel) = self.interface_method(c, name, 0) {
                            found = Some(sel);
                            count += 1;
                        }
                    }
                    _ => {}
                }
            }
            if count == 1 {
                return found;
            }
            if count > 1 || next.is_empty() {
                return None;
            }
            if depth == 0 {
                seen.push(t);
            }
            level = next;
        }
        None
    }

    fn named_method(&mut self, n: NamedId, name: &str) -> Option<Selection> {
        let origin = self.types.named_info(n).origin;
        let methods = &self.types.named_info(origin.unwrap_or(n)).methods;
        let objs = &self.objs;
        let m = methods
            .iter()
            .copied()
            .find(|&m| objs[m.0 as usize].name == name)?;
        let mut sig = self.obj_type(m);
        if let Some(o) = origin {
            let targs = self.types.named_info(n).targs.clone();
            let tps = self.types.named_info(o).tparams.clone();
            let map: Vec<(TypeId, TypeId)> = tps.into_iter().zip(targs).collect();
            sig = self.subst(sig, &map);
        }
        Some(Selection::Method { obj: m, sig })
    }

    /// A method of an interface type, including embedded interfaces.
    fn interface_method(&mut self, t: TypeId, name: &str, depth: u32) -> Option<Selection> {
        if depth > 10 {
            return None;
        }
        let u = self.under(t);
        let Type::Interface(iface) = self.types.get(u) else {
            return None;
        };
        let objs = &self.objs;
        if let Some(m) = iface
            .methods
            .iter()
            .find(|m| objs[m.obj.0 as usize].name == name)
        {
            return Some(Selection::Method {
                obj: m.obj,
                sig: m.sig,
            });
        }
        if iface.embeddeds.is_empty() {
            return None;
        }
        let embeddeds = iface.embeddeds.clone();
        for &e in &embeddeds {
            if let Some(s) = self.interface_method(e, name, depth + 1) {
                return Some(s);
            }
        }
        None
    }
}
