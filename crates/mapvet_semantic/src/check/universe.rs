//! The universe scope and package `unsafe`.

use super::Checker;
use crate::objects::*;
use crate::types::*;

const BASIC_NAMES: &[(&str, Basic)] = &[
    ("bool", Basic::Bool),
    ("int", Basic::Int),
    ("int8", Basic::Int8),
    ("int16", Basic::Int16),
    ("int32", Basic::Int32),
    ("int64", Basic::Int64),
    ("uint", Basic::Uint),
    ("uint8", Basic::Uint8),
    ("uint16", Basic::Uint16),
    ("uint32", Basic::Uint32),
    ("uint64", Basic::Uint64),
    ("uintptr", Basic::Uintptr),
    ("float32", Basic::Float32),
    ("float64", Basic::Float64),
    ("complex64", Basic::Complex64),
    ("complex128", Basic::Complex128),
    ("string", Basic::String),
    ("byte", Basic::Uint8),
    ("rune", Basic::Int32),
];

const BUILTINS: &[(&str, Builtin)] = &[
    ("append", Builtin::Append),
    ("cap", Builtin::Cap),
    ("clear", Builtin::Clear),
    ("close", Builtin::Close),
    ("complex", Builtin::Complex),
    ("copy", Builtin::Copy),
    ("delete", Builtin::Delete),
    ("imag", Builtin::Imag),
    ("len", Builtin::Len),
    ("make", Builtin::Make),
    ("max", Builtin::Max),
    ("min", Builtin::Min),
    ("new", Builtin::New),
    ("panic", Builtin::Panic),
    ("print", Builtin::Print),
    ("println", Builtin::Println),
    ("real", Builtin::Real),
    ("recover", Builtin::Recover),
];

const UNSAFE_BUILTINS: &[(&str, Builtin)] = &[
    ("Add", Builtin::Add),
    ("Alignof", Builtin::Alignof),
    ("Offsetof", Builtin::Offsetof),
    ("Sizeof", Builtin::Sizeof),
    ("Slice", Builtin::Slice),
    ("SliceData", Builtin::SliceData),
    ("String", Builtin::String),
    ("StringData", Builtin::StringData),
];

impl Checker<'_> {
    pub(super) fn init_universe(&mut self) {
        let saved_pkg = self.ctx.pkg;
        self.ctx.pkg = u32::MAX;
        for &(name, b) in BASIC_NAMES {
            let t = self.types.basic(b);
            let o = self.new_obj(name, ObjKind::TypeName, t, DeclPos::NONE);
            self.universe.insert(name, o);
        }
        // any = interface{}
        let empty = self.types.intern(Type::Interface(Interface {
            methods: Vec::new(),
            embeddeds: Vec::new(),
        }));
        let any = self.new_obj("any", ObjKind::TypeName, empty, DeclPos::NONE);
        self.objs[any.0 as usize].flag = true; // alias
        self.universe.insert("any", any);

        // error: interface{ Error() string }
        let err_obj = self.new_obj("error", ObjKind::TypeName, TypeId::UNKNOWN, DeclPos::NONE);
        let err_named = self.types.new_named(err_obj);
        let string = self.types.basic(Basic::String);
        let sig = self.types.intern(Type::Func(Signature {
            params: Vec::new(),
            results: vec![string],
            variadic: false,
            tparams: Vec::new(),
        }));
        let m = self.new_obj("Error", ObjKind::Func, sig, DeclPos::NONE);
        let iface = self.types.intern(Type::Interface(Interface {
            methods: vec![Method { obj: m, sig }],
            embeddeds: Vec::new(),
        }));
        if let Type::Named(n) = *self.types.get(err_named) {
            self.types.named[n.0 as usize].underlying = Some(iface);
        }
        self.objs[err_obj.0 as usize].ty = err_named;
        self.error_type = err_named;
        self.universe.insert("error", err_obj);

        // comparable: an interface with no core type
        let cmp_obj = self.new_obj(
            "comparable",
            ObjKind::TypeName,
            TypeId::UNKNOWN,
            DeclPos::NONE,
        );
        let cmp_named = self.types.new_named(cmp_obj);
        let cmp_iface = self.types.intern(Type::Interface(Interface {
            methods: Vec::new(),
            embeddeds: Vec::new(),
        }));
        if let Type::Named(n) = *self.types.get(cmp_named) {
            self.types.named[n.0 as usize].underlying = Some(cmp_iface);
        }
        self.objs[cmp_obj.0 as usize].ty = cmp_named;
        self.universe.insert("comparable", cmp_obj);

        let ub = self.types.basic(Basic::UntypedBool);
        for name in ["true", "false"] {
            let o = self.new_obj(name, ObjKind::Const, ub, DeclPos::NONE);
            self.universe.insert(name, o);
        }
        let ui = self.types.basic(Basic::UntypedInt);
        let iota = self.new_obj("iota", ObjKind::Const, ui, DeclPos::NONE);
        self.universe.insert("iota", iota);
        let un = self.types.basic(Basic::UntypedNil);
        let nil = self.new_obj("nil", ObjKind::Nil, un, DeclPos::NONE);
        self.universe.insert("nil", nil);
        for &(name, b) in BUILTINS {
            let o = self.new_obj(name, ObjKind::Builtin(b), TypeId::UNKNOWN, DeclPos::NONE);
            self.universe.insert(name, o);
        }

        // package unsafe
        let up = self.types.basic(Basic::UnsafePointer);
        let p = self.new_obj("Pointer", ObjKind::TypeName, up, DeclPos::NONE);
        self.unsafe_scope.insert("Pointer", p);
        for &(name, b) in UNSAFE_BUILTINS {
            let o = self.new_obj(name, ObjKind::Builtin(b), TypeId::UNKNOWN, DeclPos::NONE);
            self.unsafe_scope.insert(name, o);
        }
        self.ctx.pkg = saved_pkg;
    }
}
