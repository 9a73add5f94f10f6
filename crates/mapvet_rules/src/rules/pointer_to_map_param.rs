//! `MP001` `pointer-to-map-param`.

use crate::context::FileCx;
use crate::params::{obj_in, params_where, Targets, UseKind, UseWalker};
use mapvet_semantic::check::Checker;
use mapvet_semantic::objects::ObjId;
use mapvet_semantic::types::{Type, TypeId, TypeTable};
use mapvet_syntax::ast::{self, Expr};
use mapvet_syntax::visit::{self, Visitor};
use rustc_hash::FxHashSet;

declare_rule! {
    /// ## What it does
    /// Finds a parameter of type `*map[K]V` (also through defined types) that the function
    /// only dereferences to index, range over or take the length of: it never assigns the
    /// whole map (`*p = ...`) and never passes the pointer on.
    ///
    /// ## Why is this bad?
    /// A map value already refers to the caller's hash table: entries stored through a plain
    /// `map[K]V` parameter are visible to the caller. The pointer adds an indirection, a
    /// possible nil pointer dereference (`panic: runtime error: invalid memory address or nil
    /// pointer dereference`) and `(*p)[k]` noise at every use. A pointer to a map is only
    /// needed to replace the caller's map as a whole (`*p = make(...)`).
    ///
    /// A `p == nil` check does not make the pointer necessary. Not reported when the signature
    /// is fixed from outside: methods (they may implement an interface), functions used as a
    /// value (a callback, a variable or field, a conversion to a named function type) anywhere
    /// in the package, and function literals; nor when the pointer is passed on to another call
    /// (`json.Unmarshal(data, p)`), returned or stored. Parameters of interface or type
    /// parameter type are never inspected.
    ///
    /// ## Example
    /// ```go
    /// func count(words []string, counts *map[string]int) {
    ///     for _, w := range words {
    ///         (*counts)[w]++
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func count(words []string, counts map[string]int) {
    ///     for _, w := range words {
    ///         counts[w]++
    ///     }
    /// }
    /// ```
    META { code: "MP001", name: "pointer-to-map-param", severity: Hint,
           summary: "pointer-to-map parameter only used to index, range or take the length: take the map",
           fixable: false }
}

struct Candidate<'a> {
    func: ObjId,
    func_name: &'a str,
    param: &'a ast::Ident<'a>,
    ty: TypeId,
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let mut cands: Vec<Candidate<'_>> = Vec::new();
    for d in cx.ast.decls {
        // Methods may implement an interface; function literals are values with a fixed type.
        let ast::Decl::Func(d) = *d else { continue };
        let (None, Some(body)) = (d.recv, d.body) else {
            continue;
        };
        let Some(fobj) = cx.obj_of(d.name) else {
            continue;
        };
        let types = &cx.c.types;
        let params = params_where(cx.c, cx.file, None, d.ty.params, |t| {
            types.is_ptr_to_map(t) && !is_type_param(types, t)
        });
        for (ident, p) in params {
            if only_indexed(cx.c, cx.file, body, p) {
                cands.push(Candidate {
                    func: fobj,
                    func_name: d.name.name,
                    param: ident,
                    ty: cx.c.obj(p).ty,
                });
            }
        }
    }
    if cands.is_empty() {
        return;
    }
    let funcs: Vec<ObjId> = cands.iter().map(|c| c.func).collect();
    let used = used_as_value(cx.c, &funcs);
    for c in cands {
        if used.contains(&c.func) {
            continue;
        }
        let ty = cx.type_string(c.ty);
        let elem = cx.c.types.pointer_elem(c.ty).unwrap_or(TypeId::UNKNOWN);
        let elem_s = cx.type_string(elem);
        let name = c.param.name;
        let msg = format!(
            "parameter `{name}` of `{}` has type `{ty}`, but `{}` never assigns `*{name}`: it \
             only indexes, ranges over or takes the length of the map, which a parameter of \
             type `{elem_s}` does as well (a map value already refers to the caller's table); the \
             pointer only adds an indirection and a possible nil dereference",
            c.func_name, c.func_name
        );
        cx.report(c.param.span(), msg).help(format!(
            "take `{name} {elem_s}`, write `{name}[k]` instead of `(*{name})[k]`, and pass the map \
             instead of its address"
        ));
    }
}

/// The parameter's type is a type parameter (its core type may be a pointer to a map, but the
/// signature is generic).
fn is_type_param(types: &TypeTable, t: TypeId) -> bool {
    matches!(types.get(types.underlying(t)), Type::TypeParam(_))
}

/// Every use of `p` in the body (closures included) dereferences it to index, range, take the
/// length, delete or clear, or compares `p` or `*p` with nil; and there is at least one
/// dereference.
fn only_indexed<'a>(c: &Checker<'a>, file: u32, body: &'a ast::BlockStmt<'a>, p: ObjId) -> bool {
    let mut w = UseWalker::new(c, file, Targets::Vars(std::slice::from_ref(&p)));
    w.block(body);
    let mut derefs = 0;
    for u in &w.uses {
        match (u.deref, u.kind) {
            (true, UseKind::Store | UseKind::Read | UseKind::Len | UseKind::NilCmp) => derefs += 1,
            (false, UseKind::NilCmp) => {}
            _ => return false,
        }
    }
    derefs > 0
}

/// The functions of `funcs` that some file of their package uses other than by calling them
/// (passed as a value, assigned, converted, compared, ...).
fn used_as_value(c: &Checker<'_>, funcs: &[ObjId]) -> FxHashSet<ObjId> {
    struct V<'c, 'x> {
        c: &'c Checker<'x>,
        file: u32,
        funcs: &'c [ObjId],
        /// Identifiers that are the function of a call (or the declared name).
        callee_ids: FxHashSet<u32>,
        used: FxHashSet<ObjId>,
    }
    impl<'a> Visitor<'a> for V<'_, '_> {
        fn visit_decl(&mut self, d: &ast::Decl<'a>) -> bool {
            if let ast::Decl::Func(f) = d {
                self.callee_ids.insert(f.name.id.0);
            }
            true
        }
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            match e {
                Expr::Call(call) => {
                    let mut f = call.fun.unparen();
                    loop {
                        match f {
                            Expr::Index(ix) => f = ix.x.unparen(),
                            Expr::IndexList(ix) => f = ix.x.unparen(),
                            _ => break,
                        }
                    }
                    match f {
                        Expr::Ident(i) => {
                            self.callee_ids.insert(i.id.0);
                        }
                        Expr::Selector(s) => {
                            self.callee_ids.insert(s.sel.id.0);
                        }
                        _ => {}
                    }
                }
                Expr::Ident(i) if !self.callee_ids.contains(&i.id.0) => {
                    if let Some(o) = obj_in(self.c, self.file, i) {
                        if self.funcs.contains(&o) {
                            self.used.insert(o);
                        }
                    }
                }
                _ => {}
            }
            true
        }
    }
    let mut used = FxHashSet::default();
    let mut pkgs: Vec<usize> = funcs
        .iter()
        .filter_map(|&f| c.obj(f).pkg.map(|p| p.0 as usize))
        .collect();
    pkgs.sort_unstable();
    pkgs.dedup();
    for p in pkgs {
        let Some(pkg) = c.pkgs.get(p) else { continue };
        if pkg
            .desc
            .files
            .iter()
            .any(|&f| c.files[f as usize].has_errors)
        {
            // A partial tree may hide uses: keep every function of the package.
            used.extend(funcs.iter().copied());
            continue;
        }
        for &file in &pkg.desc.files {
            if !c.infos[file as usize].recording {
                continue;
            }
            let mut v = V {
                c,
                file,
                funcs,
                callee_ids: FxHashSet::default(),
                used: std::mem::take(&mut used),
            };
            visit::walk_file(&mut v, c.files[file as usize].ast);
            used = v.used;
        }
    }
    used
}
