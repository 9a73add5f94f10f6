//! Go types. Every type lives in one [`TypeTable`] and is named by a [`TypeId`]; structural
//! types are hash-consed, so two identical composite types have the same id (type identity is
//! id equality, except for the corner cases go/types treats specially and that rules never ask
//! about). `Unknown` is a real type: whatever cannot be resolved is Unknown, and every
//! predicate answers "no" for it.

use crate::objects::ObjId;
use rustc_hash::FxHashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

impl TypeId {
    pub const UNKNOWN: TypeId = TypeId(0);

    #[inline]
    pub fn is_unknown(self) -> bool {
        self == TypeId::UNKNOWN
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NamedId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TParamId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basic {
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Complex64,
    Complex128,
    String,
    UnsafePointer,
    UntypedBool,
    UntypedInt,
    UntypedRune,
    UntypedFloat,
    UntypedComplex,
    UntypedString,
    UntypedNil,
}

impl Basic {
    pub fn is_untyped(self) -> bool {
        matches!(
            self,
            Basic::UntypedBool
                | Basic::UntypedInt
                | Basic::UntypedRune
                | Basic::UntypedFloat
                | Basic::UntypedComplex
                | Basic::UntypedString
                | Basic::UntypedNil
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Basic::Bool => "bool",
            Basic::Int => "int",
            Basic::Int8 => "int8",
            Basic::Int16 => "int16",
            Basic::Int32 => "int32",
            Basic::Int64 => "int64",
            Basic::Uint => "uint",
            Basic::Uint8 => "uint8",
            Basic::Uint16 => "uint16",
            Basic::Uint32 => "uint32",
            Basic::Uint64 => "uint64",
            Basic::Uintptr => "uintptr",
            Basic::Float32 => "float32",
            Basic::Float64 => "float64",
            Basic::Complex64 => "complex64",
            Basic::Complex128 => "complex128",
            Basic::String => "string",
            Basic::UnsafePointer => "unsafe.Pointer",
            Basic::UntypedBool => "untyped bool",
            Basic::UntypedInt => "untyped int",
            Basic::UntypedRune => "untyped rune",
            Basic::UntypedFloat => "untyped float",
            Basic::UntypedComplex => "untyped complex",
            Basic::UntypedString => "untyped string",
            Basic::UntypedNil => "untyped nil",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// The field's object (a `Var` with `VarKind::Field`).
    pub obj: ObjId,
    pub ty: TypeId,
    pub embedded: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Method {
    /// The method's object (a `Func`).
    pub obj: ObjId,
    /// Its signature (without receiver).
    pub sig: TypeId,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Interface {
    /// Explicitly declared methods.
    pub methods: Vec<Method>,
    /// Embedded elements: interfaces, types, unions (`Type::Union`), `~T` terms.
    pub embeddeds: Vec<TypeId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    pub params: Vec<TypeId>,
    pub results: Vec<TypeId>,
    /// The last parameter is `...T` (its type is recorded as `[]T`).
    pub variadic: bool,
    /// Type parameters of a generic function (types of kind `TypeParam`).
    pub tparams: Vec<TypeId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Unknown,
    Basic(Basic),
    Pointer(TypeId),
    Slice(TypeId),
    Array(TypeId, Option<u64>),
    Map(TypeId, TypeId),
    Chan(ChanDir, TypeId),
    Struct(Vec<Field>),
    Interface(Interface),
    Func(Signature),
    Tuple(Vec<TypeId>),
    Named(NamedId),
    TypeParam(TParamId),
    /// A union of terms in a constraint: `(tilde, type)` pairs.
    Union(Vec<(bool, TypeId)>),
}

/// A defined (named) type, possibly an instance of a generic one.
#[derive(Clone, Debug)]
pub struct NamedInfo {
    /// The `TypeName` object.
    pub obj: ObjId,
    /// Underlying type; `None` until resolved.
    pub underlying: Option<TypeId>,
    /// Methods declared on the type (for instances: on the origin).
    pub methods: Vec<ObjId>,
    /// Type parameters of a generic type (on the origin).
    pub tparams: Vec<TypeId>,
    /// Type arguments of an instance.
    pub targs: Vec<TypeId>,
    /// The generic type this is an instance of.
    pub origin: Option<NamedId>,
}

#[derive(Clone, Debug)]
pub struct TParamInfo {
    pub obj: ObjId,
    pub index: u32,
    /// Constraint (an interface type, or Unknown until resolved).
    pub constraint: TypeId,
}

/// All types of a program.
pub struct TypeTable {
    types: Vec<Type>,
    intern: FxHashMap<Type, TypeId>,
    pub named: Vec<NamedInfo>,
    pub tparams: Vec<TParamInfo>,
    instances: FxHashMap<(NamedId, Vec<TypeId>), TypeId>,
    basics: Vec<TypeId>,
}

impl Default for TypeTable {
    fn default() -> Self {
        Self::new()
    }
}

const ALL_BASICS: [Basic; 25] = [
    Basic::Bool,
    Basic::Int,
    Basic::Int8,
    Basic::Int16,
    Basic::Int32,
    Basic::Int64,
    Basic::Uint,
    Basic::Uint8,
    Basic::Uint16,
    Basic::Uint32,
    Basic::Uint64,
    Basic::Uintptr,
    Basic::Float32,
    Basic::Float64,
    Basic::Complex64,
    Basic::Complex128,
    Basic::String,
    Basic::UnsafePointer,
    Basic::UntypedBool,
    Basic::UntypedInt,
    Basic::UntypedRune,
    Basic::UntypedFloat,
    Basic::UntypedComplex,
    Basic::UntypedString,
    Basic::UntypedNil,
];

impl TypeTable {
    pub fn new() -> TypeTable {
        let mut t = TypeTable {
            types: Vec::with_capacity(1 << 16),
            intern: FxHashMap::default(),
            named: Vec::new(),
            tparams: Vec::new(),
            instances: FxHashMap::default(),
            basics: Vec::new(),
        };
        let u = t.intern(Type::Unknown);
        debug_assert_eq!(u, TypeId::UNKNOWN);
        for b in ALL_BASICS {
            let id = t.intern(Type::Basic(b));
            t.basics.push(id);
        }
        t
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    pub fn intern(&mut self, ty: Type) -> TypeId {
        if let Some(&id) = self.intern.get(&ty) {
            return id;
        }
        let id = TypeId(self.types.len() as u32);
        self.types.push(ty.clone());
        self.intern.insert(ty, id);
        id
    }

    #[inline]
    pub fn get(&self, id: TypeId) -> &Type {
        &self.types[id.0 as usize]
    }

    pub fn basic(&self, b: Basic) -> TypeId {
        self.basics[ALL_BASICS.iter().position(|&x| x == b).unwrap_or(0)]
    }

    pub fn pointer(&mut self, elem: TypeId) -> TypeId {
        self.intern(Type::Pointer(elem))
    }

    pub fn slice(&mut self, elem: TypeId) -> TypeId {
        self.intern(Type::Slice(elem))
    }

    pub fn map(&mut self, k: TypeId, v: TypeId) -> TypeId {
        self.intern(Type::Map(k, v))
    }

    pub fn tuple(&mut self, elems: Vec<TypeId>) -> TypeId {
        self.intern(Type::Tuple(elems))
    }

    /// A new defined type (not interned: every declaration is distinct).
    pub fn new_named(&mut self, obj: ObjId) -> TypeId {
        let nid = NamedId(self.named.len() as u32);
        self.named.push(NamedInfo {
            obj,
            underlying: None,
            methods: Vec::new(),
            tparams: Vec::new(),
            targs: Vec::new(),
            origin: None,
        });
        let id = TypeId(self.types.len() as u32);
        self.types.push(Type::Named(nid));
        id
    }

    pub fn new_tparam(&mut self, obj: ObjId, index: u32) -> TypeId {
        let pid = TParamId(self.tparams.len() as u32);
        self.tparams.push(TParamInfo {
            obj,
            index,
            constraint: TypeId::UNKNOWN,
        });
        let id = TypeId(self.types.len() as u32);
        self.types.push(Type::TypeParam(pid));
        id
    }

    /// The instance of generic `origin` with `targs`, created once per distinct argument list.
    /// Its underlying type is computed lazily by the checker (see `named_underlying`).
    pub fn instance(&mut self, origin: NamedId, targs: Vec<TypeId>) -> TypeId {
        let key = (origin, targs);
        if let Some(&id) = self.instances.get(&key) {
            return id;
        }
        let o = &self.named[origin.0 as usize];
        let info = NamedInfo {
            obj: o.obj,
            underlying: None,
            methods: o.methods.clone(),
            tparams: Vec::new(),
            targs: key.1.clone(),
            origin: Some(origin),
        };
        let nid = NamedId(self.named.len() as u32);
        self.named.push(info);
        let id = TypeId(self.types.len() as u32);
        self.types.push(Type::Named(nid));
        self.instances.insert(key, id);
        id
    }

    pub fn named_info(&self, id: NamedId) -> &NamedInfo {
        &self.named[id.0 as usize]
    }

    /// The underlying type as far as it is resolved (Unknown for unresolved named types).
    /// Type parameters are their own underlying type here; see [`TypeTable::core`].
    pub fn underlying(&self, mut id: TypeId) -> TypeId {
        for _ in 0..100 {
            match self.get(id) {
                Type::Named(n) => match self.named[n.0 as usize].underlying {
                    Some(u) if u != id => id = u,
                    _ => return TypeId::UNKNOWN,
                },
                _ => return id,
            }
        }
        TypeId::UNKNOWN
    }

    /// The core type: the underlying type, or for a type parameter the single underlying
    /// type shared by every term of its constraint's type set (Unknown when there is none).
    pub fn core(&self, id: TypeId) -> TypeId {
        let u = self.underlying(id);
        match self.get(u) {
            Type::TypeParam(p) => {
                let c = self.tparams[p.0 as usize].constraint;
                self.constraint_core(c, 0)
            }
            _ => u,
        }
    }

    fn constraint_core(&self, c: TypeId, depth: u32) -> TypeId {
        if depth > 10 {
            return TypeId::UNKNOWN;
        }
        let u = self.underlying(c);
        match self.get(u) {
            Type::Interface(iface) => {
                let mut core: Option<TypeId> = None;
                for &e in &iface.embeddeds {
                    let t = self.constraint_core(e, depth + 1);
                    if t.is_unknown() {
                        // an embedded interface without a core type (e.g. comparable)
                        // only narrows the set; ignore plain method interfaces
                        if self.is_method_only_interface(e) {
                            continue;
                        }
                        return TypeId::UNKNOWN;
                    }
                    match core {
                        None => core = Some(t),
                        Some(c) if c == t => {}
                        Some(_) => return TypeId::UNKNOWN,
                    }
                }
                core.unwrap_or(TypeId::UNKNOWN)
            }
            Type::Union(terms) => {
                let mut core: Option<TypeId> = None;
                for &(_, t) in terms {
                    let t = self.core(t);
                    match core {
                        None => core = Some(t),
                        Some(c) if c == t => {}
                        Some(_) => return TypeId::UNKNOWN,
                    }
                }
                core.unwrap_or(TypeId::UNKNOWN)
            }
            Type::Unknown => TypeId::UNKNOWN,
            Type::TypeParam(_) => TypeId::UNKNOWN,
            _ => u,
        }
    }

    fn is_method_only_interface(&self, t: TypeId) -> bool {
        let u = self.underlying(t);
        match self.get(u) {
            Type::Interface(i) => i
                .embeddeds
                .iter()
                .all(|&e| self.is_method_only_interface(e)),
            _ => false,
        }
    }

    /// `map` or a type whose core type is a map.
    pub fn is_map(&self, t: TypeId) -> bool {
        matches!(self.get(self.core(t)), Type::Map(..))
    }

    /// Pointer to a map (through defined types and type parameters).
    pub fn is_ptr_to_map(&self, t: TypeId) -> bool {
        match self.get(self.core(t)) {
            Type::Pointer(e) => self.is_map(*e),
            _ => false,
        }
    }

    /// Key and value types of a map-like type.
    pub fn map_kv(&self, t: TypeId) -> Option<(TypeId, TypeId)> {
        match self.get(self.core(t)) {
            Type::Map(k, v) => Some((*k, *v)),
            _ => None,
        }
    }

    /// Element of a pointer-like type.
    pub fn pointer_elem(&self, t: TypeId) -> Option<TypeId> {
        match self.get(self.core(t)) {
            Type::Pointer(e) => Some(*e),
            _ => None,
        }
    }

    pub fn is_untyped(&self, t: TypeId) -> bool {
        matches!(self.get(t), Type::Basic(b) if b.is_untyped())
    }

    pub fn is_interface(&self, t: TypeId) -> bool {
        matches!(self.get(self.underlying(t)), Type::Interface(_))
    }

    /// The default type of an untyped constant type (`untyped int` → `int`, ...).
    pub fn default_type(&self, t: TypeId) -> TypeId {
        match self.get(t) {
            Type::Basic(b) => match b {
                Basic::UntypedBool => self.basic(Basic::Bool),
                Basic::UntypedInt => self.basic(Basic::Int),
                Basic::UntypedRune => self.basic(Basic::Int32),
                Basic::UntypedFloat => self.basic(Basic::Float64),
                Basic::UntypedComplex => self.basic(Basic::Complex128),
                Basic::UntypedString => self.basic(Basic::String),
                Basic::UntypedNil => TypeId::UNKNOWN,
                _ => t,
            },
            _ => t,
        }
    }

    /// A short human-readable rendering (for messages and debugging).
    pub fn display(&self, t: TypeId, name_of: &dyn Fn(ObjId) -> String) -> String {
        let mut s = String::new();
        self.write(&mut s, t, name_of, 0);
        s
    }

    fn write(&self, s: &mut String, t: TypeId, name_of: &dyn Fn(ObjId) -> String, depth: u32) {
        if depth > 8 {
            s.push_str("...");
            return;
        }
        let d = depth + 1;
        match self.get(t) {
            Type::Unknown => s.push('?'),
            Type::Basic(b) => s.push_str(b.name()),
            Type::Pointer(e) => {
                s.push('*');
                self.write(s, *e, name_of, d);
            }
            Type::Slice(e) => {
                s.push_str("[]");
                self.write(s, *e, name_of, d);
            }
            Type::Array(e, n) => {
                match n {
                    Some(n) => s.push_str(&format!("[{n}]")),
                    None => s.push_str("[?]"),
                }
                self.write(s, *e, name_of, d);
            }
            Type::Map(k, v) => {
                s.push_str("map[");
                self.write(s, *k, name_of, d);
                s.push(']');
                self.write(s, *v, name_of, d);
            }
            Type::Chan(dir, e) => {
                s.push_str(match dir {
                    ChanDir::Both => "chan ",
                    ChanDir::Send => "chan<- ",
                    ChanDir::Recv => "<-chan ",
                });
                self.write(s, *e, name_of, d);
            }
            Type::Struct(fields) => {
                s.push_str("struct{");
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        s.push_str("; ");
                    }
                    if !f.embedded {
                        s.push_str(&name_of(f.obj));
                        s.push(' ');
                    }
                    self.write(s, f.ty, name_of, d);
                }
                s.push('}');
            }
            Type::Interface(i) => {
                if i.methods.is_empty() && i.embeddeds.is_empty() {
                    s.push_str("interface{}");
                } else {
                    s.push_str("interface{...}");
                }
            }
            Type::Func(sig) => {
                s.push_str("func(");
                for (i, p) in sig.params.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    self.write(s, *p, name_of, d);
                }
                s.push(')');
                match sig.results.len() {
                    0 => {}
                    1 => {
                        s.push(' ');
                        self.write(s, sig.results[0], name_of, d);
                    }
                    _ => {
                        s.push_str(" (");
                        for (i, p) in sig.results.iter().enumerate() {
                            if i > 0 {
                                s.push_str(", ");
                            }
                            self.write(s, *p, name_of, d);
                        }
                        s.push(')');
                    }
                }
            }
            Type::Tuple(ts) => {
                s.push('(');
                for (i, p) in ts.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    self.write(s, *p, name_of, d);
                }
                s.push(')');
            }
            Type::Named(n) => {
                let info = &self.named[n.0 as usize];
                s.push_str(&name_of(info.obj));
                if !info.targs.is_empty() {
                    s.push('[');
                    for (i, a) in info.targs.iter().enumerate() {
                        if i > 0 {
                            s.push_str(", ");
                        }
                        self.write(s, *a, name_of, d);
                    }
                    s.push(']');
                }
            }
            Type::TypeParam(p) => s.push_str(&name_of(self.tparams[p.0 as usize].obj)),
            Type::Union(terms) => {
                for (i, (tilde, t)) in terms.iter().enumerate() {
                    if i > 0 {
                        s.push_str(" | ");
                    }
                    if *tilde {
                        s.push('~');
                    }
                    self.write(s, *t, name_of, d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_and_predicates() {
        let mut t = TypeTable::new();
        let s = t.basic(Basic::String);
        let i = t.basic(Basic::Int);
        let m1 = t.map(s, i);
        let m2 = t.map(s, i);
        assert_eq!(m1, m2);
        assert!(t.is_map(m1));
        let p = t.pointer(m1);
        assert!(t.is_ptr_to_map(p));
        assert!(!t.is_map(p));
        assert!(!t.is_map(TypeId::UNKNOWN));
        assert!(!t.is_ptr_to_map(TypeId::UNKNOWN));
        let ui = t.basic(Basic::UntypedInt);
        assert_eq!(t.default_type(ui), i);
    }

    #[test]
    fn named_map_is_map() {
        let mut t = TypeTable::new();
        let s = t.basic(Basic::String);
        let m = t.map(s, s);
        let n = t.new_named(ObjId(0));
        if let Type::Named(nid) = *t.get(n) {
            t.named[nid.0 as usize].underlying = Some(m);
        }
        assert!(t.is_map(n));
        let p = t.pointer(n);
        assert!(t.is_ptr_to_map(p));
    }
}
