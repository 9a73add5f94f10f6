//! Objects (what identifiers denote): variables, constants, type names, functions, package
//! names, builtins, labels. Stored in one `Vec` and named by [`ObjId`].

use crate::types::TypeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

impl ObjId {
    pub const NONE: ObjId = ObjId(u32::MAX);

    #[inline]
    pub fn is_none(self) -> bool {
        self == ObjId::NONE
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PkgId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    /// Local or package-level variable.
    Var,
    Param,
    Result,
    Receiver,
    Field,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Append,
    Cap,
    Clear,
    Close,
    Complex,
    Copy,
    Delete,
    Imag,
    Len,
    Make,
    Max,
    Min,
    New,
    Panic,
    Print,
    Println,
    Real,
    Recover,
    // package unsafe
    Add,
    Alignof,
    Offsetof,
    Sizeof,
    Slice,
    SliceData,
    String,
    StringData,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjKind {
    Var(VarKind),
    Const,
    TypeName,
    Func,
    PkgName(PkgId),
    Builtin(Builtin),
    Nil,
    Label,
}

/// Where an object is declared, for positions and lazy typing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeclPos {
    /// File index in the program (`u32::MAX` for universe objects).
    pub file: u32,
    /// Byte offset of the declaring identifier.
    pub offset: u32,
}

impl DeclPos {
    pub const NONE: DeclPos = DeclPos {
        file: u32::MAX,
        offset: 0,
    };
}

#[derive(Clone, Debug)]
pub struct Object<'a> {
    /// The name, borrowed from the source (or static, for the universe).
    pub name: &'a str,
    pub kind: ObjKind,
    /// Declaring package (`None` for universe objects).
    pub pkg: Option<PkgId>,
    /// The object's type; for a `TypeName`, the type it denotes. Unknown until resolved.
    pub ty: TypeId,
    pub pos: DeclPos,
    /// Declared at package level (package-level var/const/type/func).
    pub package_level: bool,
    /// A field that is embedded, or an alias `TypeName`.
    pub flag: bool,
}

impl Object<'_> {
    pub fn is_var(&self) -> bool {
        matches!(self.kind, ObjKind::Var(_))
    }

    pub fn is_exported(&self) -> bool {
        self.name.chars().next().is_some_and(char::is_uppercase)
    }
}
