//! The type checker: scopes, objects and types for every identifier and expression.
//!
//! It is a deliberately small cousin of go/types. It resolves package-level declarations
//! lazily (a dependency's declarations are typed only when something needs them, its function
//! bodies never), checks every declaration and function body of the *target* packages, and
//! records per file which object each identifier denotes and the type of each expression.
//! It never reports type errors: whatever it cannot resolve is `Unknown`, and rules must not
//! report on Unknown.

mod decl;
mod expr;
mod lookup;
mod stmt;
mod subst;
mod universe;

use crate::objects::*;
use crate::types::*;
use mapvet_syntax::ast;
use rustc_hash::FxHashMap;
use std::path::PathBuf;

pub use lookup::Selection;

/// One parsed source file given to the checker.
pub struct SourceFile<'a> {
    pub path: PathBuf,
    pub src: &'a [u8],
    pub ast: &'a ast::File<'a>,
    /// The file has syntax errors (its tree is partial; rules skip it).
    pub has_errors: bool,
    /// Its syntax errors, sorted by offset.
    pub errors: Vec<mapvet_syntax::SyntaxError>,
    /// Its comments, in source order (directives, suppressions); empty for a
    /// declarations-only parse.
    pub comments: Vec<mapvet_syntax::Comment>,
    /// `src` is empty because the text was released after a declarations-only parse
    /// (the tree does not need it): what needs the text (a label's line) reads `path`.
    pub text_released: bool,
}

impl<'a> SourceFile<'a> {
    /// Another handle on the same tree, for the file list of another checker.
    pub fn share(&self) -> SourceFile<'a> {
        SourceFile {
            path: self.path.clone(),
            src: self.src,
            ast: self.ast,
            has_errors: self.has_errors,
            errors: self.errors.clone(),
            comments: self.comments.clone(),
            text_released: self.text_released,
        }
    }
}

/// A package given to the checker.
#[derive(Clone)]
pub struct PackageDesc {
    pub import_path: String,
    pub name: String,
    pub dir: PathBuf,
    /// Indices into the file list.
    pub files: Vec<u32>,
    /// Check everything (declarations and bodies) and record results.
    pub is_target: bool,
    /// Import path → package index, for every import of the package's files that resolved.
    pub imports: FxHashMap<String, u32>,
}

/// What the checker records about one file.
#[derive(Default)]
pub struct FileInfo {
    /// Object of each identifier (definition or use), by `NodeId`; `ObjId::NONE` if none.
    pub ident_objs: Vec<ObjId>,
    /// Type of each expression, by `NodeId`; Unknown if not typed.
    pub expr_types: Vec<TypeId>,
    /// Every recorded identifier, in recording order: (offset, object, type at this use:
    /// a field selected on a generic instance has its substituted type; Unknown = the
    /// object's own type).
    pub idents: Vec<(u32, ObjId, TypeId)>,
    /// Results are recorded for this file.
    pub recording: bool,
}

pub struct Package<'a> {
    pub desc: PackageDesc,
    pub scope: FxHashMap<&'a str, ObjId>,
    /// The declarations have been collected into `scope`.
    collected: bool,
}

/// Per-file import scope.
#[derive(Default)]
struct FileScope<'a> {
    names: FxHashMap<&'a str, ObjId>,
    dot_imports: Vec<PkgId>,
}

/// Lazily resolved package-level declaration.
#[derive(Clone, Copy)]
enum Lazy<'a> {
    Var {
        file: u32,
        spec: &'a ast::ValueSpec<'a>,
        index: u32,
    },
    Const {
        file: u32,
        /// The spec that provides type and values (a previous one when elided).
        spec: &'a ast::ValueSpec<'a>,
        index: u32,
        iota: u32,
    },
    Type {
        file: u32,
        spec: &'a ast::TypeSpec<'a>,
    },
    Func {
        file: u32,
        decl: &'a ast::FuncDecl<'a>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Invalid,
    NoValue,
    Value,
    /// A value that also has a comma-ok form (map index, type assertion, receive).
    CommaOk,
    Type,
    Builtin(Builtin),
    Package(PkgId),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Operand {
    pub mode: Mode,
    pub ty: TypeId,
}

impl Operand {
    pub const INVALID: Operand = Operand {
        mode: Mode::Invalid,
        ty: TypeId::UNKNOWN,
    };

    fn value(ty: TypeId) -> Operand {
        Operand {
            mode: Mode::Value,
            ty,
        }
    }

    fn typ(ty: TypeId) -> Operand {
        Operand {
            mode: Mode::Type,
            ty,
        }
    }
}

/// A cheap key of a name (its length and a few of its bytes): scanning the local bindings
/// compares keys, and names only when the keys agree.
fn name_key(name: &str) -> u32 {
    let b = name.as_bytes();
    match b {
        [] => 0,
        [x] => 1 | (*x as u32) << 8,
        [x, .., z] => {
            (b.len() as u32 & 0xff) | (*x as u32) << 8 | (b[1] as u32) << 16 | (*z as u32) << 24
        }
    }
}

/// The innermost binding of `name` among `locals` (innermost last).
fn find_local(locals: &[(u32, &str, ObjId)], name: &str) -> Option<ObjId> {
    let k = name_key(name);
    locals
        .iter()
        .rev()
        .find(|(nk, n, _)| *nk == k && *n == name)
        .map(|&(_, _, o)| o)
}

/// The checker context that changes when switching to another declaration.
#[derive(Default)]
struct Ctx<'a> {
    file: u32,
    pkg: u32,
    /// Local scopes: a stack of bindings (with [`name_key`]) and the start index of each
    /// open scope.
    locals: Vec<(u32, &'a str, ObjId)>,
    marks: Vec<usize>,
    iota: Option<u32>,
}

pub struct Checker<'a> {
    /// Unique per checker in this process (memo keys of the rules).
    pub uid: u64,
    pub types: TypeTable,
    pub objs: Vec<Object<'a>>,
    /// Every file of the program (shared by the checkers of a partitioned run).
    pub files: &'a [SourceFile<'a>],
    pub infos: Vec<FileInfo>,
    pub pkgs: Vec<Package<'a>>,
    file_pkg: Vec<u32>,
    file_scopes: Vec<FileScope<'a>>,
    lazy: FxHashMap<ObjId, Lazy<'a>>,
    in_progress: rustc_hash::FxHashSet<ObjId>,
    /// Methods declared on each package-level type name.
    methods_of: FxHashMap<ObjId, Vec<ObjId>>,
    /// Type parameters of generic aliases.
    alias_tparams: FxHashMap<ObjId, Vec<TypeId>>,
    /// Value specs whose names have all been typed together (`a, b = f()`).
    spec_done: rustc_hash::FxHashSet<usize>,
    universe: FxHashMap<&'static str, ObjId>,
    unsafe_scope: FxHashMap<&'static str, ObjId>,
    /// The `error` type and `comparable`.
    pub error_type: TypeId,
    ctx: Ctx<'a>,
    depth: u32,
    /// Target packages whose check hit an internal error (reported by the CLI as a note).
    pub failed_packages: Vec<u32>,
    /// Keep `FileInfo::idents` (every recorded identifier in order; only `map_idents` needs
    /// it, and it costs 12 bytes per identifier).
    pub keep_ident_list: bool,
}

impl<'a> Checker<'a> {
    pub fn new(files: &'a [SourceFile<'a>], pkgs: Vec<PackageDesc>) -> Checker<'a> {
        static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut file_pkg = vec![u32::MAX; files.len()];
        for (i, p) in pkgs.iter().enumerate() {
            for &f in &p.files {
                file_pkg[f as usize] = i as u32;
            }
        }
        let infos = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let recording = pkgs.get(file_pkg[i] as usize).is_some_and(|p| p.is_target);
                if recording {
                    let n = f.ast.node_count as usize;
                    FileInfo {
                        ident_objs: vec![ObjId::NONE; n],
                        expr_types: vec![TypeId::UNKNOWN; n],
                        idents: Vec::new(),
                        recording,
                    }
                } else {
                    FileInfo::default()
                }
            })
            .collect();
        let nfiles = files.len();
        let mut c = Checker {
            uid: NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            types: TypeTable::new(),
            objs: Vec::new(),
            files,
            infos,
            pkgs: pkgs
                .into_iter()
                .map(|desc| Package {
                    desc,
                    scope: FxHashMap::default(),
                    collected: false,
                })
                .collect(),
            file_pkg,
            file_scopes: (0..nfiles).map(|_| FileScope::default()).collect(),
            lazy: FxHashMap::default(),
            in_progress: Default::default(),
            methods_of: FxHashMap::default(),
            alias_tparams: FxHashMap::default(),
            spec_done: Default::default(),
            universe: FxHashMap::default(),
            unsafe_scope: FxHashMap::default(),
            error_type: TypeId::UNKNOWN,
            ctx: Ctx::default(),
            depth: 0,
            failed_packages: Vec::new(),
            keep_ident_list: false,
        };
        c.init_universe();
        c
    }

    /// Checks every target package: all declarations and function bodies. Other packages
    /// are collected when a name of theirs is first looked up.
    pub fn check_targets(&mut self) {
        for p in 0..self.pkgs.len() {
            if self.pkgs[p].desc.is_target {
                self.collect(p as u32);
            }
        }
        for p in 0..self.pkgs.len() {
            if self.pkgs[p].desc.is_target {
                // A bug in the checker must not take the whole run down: the package keeps
                // whatever was recorded before the failure, the rest stays Unknown.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.check_package(p as u32)
                }));
                if r.is_err() {
                    self.ctx = Ctx::default();
                    self.in_progress.clear();
                    self.depth = 0;
                    self.failed_packages.push(p as u32);
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Objects

    pub(crate) fn new_obj(
        &mut self,
        name: &'a str,
        kind: ObjKind,
        ty: TypeId,
        pos: DeclPos,
    ) -> ObjId {
        let id = ObjId(self.objs.len() as u32);
        self.objs.push(Object {
            name,
            kind,
            pkg: if self.ctx.pkg == u32::MAX {
                None
            } else {
                Some(PkgId(self.ctx.pkg))
            },
            ty,
            pos,
            package_level: false,
            flag: false,
        });
        id
    }

    pub fn obj(&self, id: ObjId) -> &Object<'a> {
        &self.objs[id.0 as usize]
    }

    pub fn obj_name(&self, id: ObjId) -> String {
        self.objs
            .get(id.0 as usize)
            .map_or_else(|| "?".to_string(), |o| o.name.to_string())
    }

    /// The type of an object, resolving its declaration first if needed.
    pub(crate) fn obj_type(&mut self, id: ObjId) -> TypeId {
        if self.lazy.contains_key(&id) {
            self.resolve(id);
        }
        self.objs[id.0 as usize].ty
    }

    fn pos(&self, ident: &ast::Ident<'_>) -> DeclPos {
        DeclPos {
            file: self.ctx.file,
            offset: ident.pos,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Recording

    #[inline]
    pub(crate) fn record(&mut self, ident: &ast::Ident<'_>, obj: ObjId) {
        self.record_with_type(ident, obj, TypeId::UNKNOWN);
    }

    /// Records a use whose type differs from the object's declared type (fields of generic
    /// instances).
    #[inline]
    pub(crate) fn record_with_type(&mut self, ident: &ast::Ident<'_>, obj: ObjId, ty: TypeId) {
        let info = &mut self.infos[self.ctx.file as usize];
        if info.recording {
            if let Some(slot) = info.ident_objs.get_mut(ident.id.index()) {
                *slot = obj;
            }
            if self.keep_ident_list {
                info.idents.push((ident.pos, obj, ty));
            }
        }
    }

    #[inline]
    pub(crate) fn record_type(&mut self, id: ast::NodeId, ty: TypeId) {
        let info = &mut self.infos[self.ctx.file as usize];
        if info.recording {
            if let Some(slot) = info.expr_types.get_mut(id.index()) {
                *slot = ty;
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Scopes

    pub(crate) fn open_scope(&mut self) {
        self.ctx.marks.push(self.ctx.locals.len());
    }

    pub(crate) fn close_scope(&mut self) {
        if let Some(m) = self.ctx.marks.pop() {
            self.ctx.locals.truncate(m);
        }
    }

    pub(crate) fn declare_local(&mut self, name: &'a str, obj: ObjId) {
        if name != "_" {
            self.ctx.locals.push((name_key(name), name, obj));
        }
    }

    /// Looks a name up in the innermost scope only.
    pub(crate) fn lookup_innermost(&self, name: &str) -> Option<ObjId> {
        let start = self.ctx.marks.last().copied().unwrap_or(0);
        find_local(&self.ctx.locals[start..], name)
    }

    pub(crate) fn lookup(&mut self, name: &str) -> Option<ObjId> {
        if let Some(o) = find_local(&self.ctx.locals, name) {
            return Some(o);
        }
        if let Some(p) = self.pkgs.get(self.ctx.pkg as usize) {
            if let Some(&o) = p.scope.get(name) {
                return Some(o);
            }
        }
        if let Some(fs) = self.file_scopes.get(self.ctx.file as usize) {
            if let Some(&o) = fs.names.get(name) {
                return Some(o);
            }
            let dots = fs.dot_imports.clone();
            for p in dots {
                if let Some(o) = self.package_member(p, name) {
                    return Some(o);
                }
            }
        }
        self.universe.get(name).copied()
    }

    /// An exported member of another package.
    pub(crate) fn package_member(&mut self, pkg: PkgId, name: &str) -> Option<ObjId> {
        if pkg.0 == u32::MAX {
            return self.unsafe_scope.get(name).copied();
        }
        self.collect(pkg.0);
        self.pkgs.get(pkg.0 as usize)?.scope.get(name).copied()
    }

    /// Runs `f` in the context of package-level code of `file` (no local scopes).
    fn in_file<R>(&mut self, file: u32, f: impl FnOnce(&mut Self) -> R) -> R {
        let pkg = self.file_pkg[file as usize];
        let saved = std::mem::replace(
            &mut self.ctx,
            Ctx {
                file,
                pkg,
                ..Ctx::default()
            },
        );
        let r = f(self);
        self.ctx = saved;
        r
    }

    /// Underlying type, completing lazily instantiated generic types.
    pub(crate) fn under(&mut self, t: TypeId) -> TypeId {
        self.complete_named(t);
        self.types.underlying(t)
    }

    /// Core type (see `TypeTable::core`), completing instances first.
    pub(crate) fn core(&mut self, t: TypeId) -> TypeId {
        self.complete_named(t);
        self.types.core(t)
    }

    /// Whether the resolved type of an object is a map / pointer to a map.
    pub fn classify(&mut self, t: TypeId) -> Option<crate::MapKind> {
        self.complete_named(t);
        if let Some(e) = self.types.pointer_elem(t) {
            self.complete_named(e);
        }
        if self.types.is_map(t) {
            Some(crate::MapKind::Map)
        } else if self.types.is_ptr_to_map(t) {
            Some(crate::MapKind::PtrMap)
        } else {
            None
        }
    }
}

impl Checker<'_> {
    /// The package a file belongs to.
    pub fn file_package(&self, file: u32) -> Option<u32> {
        self.file_pkg
            .get(file as usize)
            .copied()
            .filter(|&p| p != u32::MAX)
    }

    /// The type of an object (resolving it if needed).
    pub fn obj_type_pub(&mut self, id: ObjId) -> TypeId {
        self.obj_type(id)
    }
}
