//! `MV004` `lost-map-pointer-assign`.

use crate::context::FileCx;
use crate::params::{lost_assignments, LostAssign};
use mapvet_semantic::objects::VarKind;
use mapvet_semantic::types::TypeId;

declare_rule! {
    /// ## What it does
    /// Finds a parameter of type `*map[K]V` that the function reassigns itself
    /// (`p = &local`, `p = &map[K]V{}`, `p = new(map[K]V)`) instead of assigning the map it
    /// points to (`*p = ...`), when nothing reads the new map back afterwards.
    ///
    /// ## Why is this bad?
    /// The pointer parameter is a copy of the caller's pointer. Assigning `p` makes the copy
    /// point somewhere else: the caller's pointer and the caller's map are unchanged, and every
    /// entry stored through `p` afterwards goes into a map the caller never sees. The point of
    /// taking `*map[K]V` is to replace the caller's map, which is spelled `*p = ...`.
    ///
    /// Not reported (as for `lost-map-param-assign`): the new map is read back afterwards
    /// (`(*p)[k]` as a value, `range *p`, or reads of the local it points to); the pointer or
    /// the map is returned, stored elsewhere or passed to another call (printing does not
    /// count); the new value is derived from the parameter itself.
    ///
    /// ## Example
    /// ```go
    /// func load(dst *map[string]string, lines []string) {
    ///     if *dst == nil {
    ///         dst = &map[string]string{} // the caller's map stays nil
    ///     }
    ///     for _, l := range lines {
    ///         k, v, _ := strings.Cut(l, "=")
    ///         (*dst)[k] = v
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func load(dst *map[string]string, lines []string) {
    ///     if *dst == nil {
    ///         *dst = map[string]string{}
    ///     }
    ///     for _, l := range lines {
    ///         k, v, _ := strings.Cut(l, "=")
    ///         (*dst)[k] = v
    ///     }
    /// }
    /// ```
    META { code: "MV004", name: "lost-map-pointer-assign", severity: Warning,
           summary: "pointer-to-map parameter repointed instead of assigning `*p`: the caller's map is unchanged",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let funcs = cx.functions().to_vec();
    let mut found: Vec<LostAssign<'_>> = Vec::new();
    for f in &funcs {
        found.extend(lost_assignments(cx.c, cx.file, f, true));
    }
    for l in found {
        report(cx, &l);
    }
}

fn report(cx: &mut FileCx<'_, '_>, l: &LostAssign<'_>) {
    let name = l.param.name;
    let t = cx.obj_type(l.param_obj);
    let ty = cx.type_string(t);
    let what = if cx.var_kind(l.param_obj) == Some(VarKind::Receiver) {
        "receiver"
    } else {
        "parameter"
    };
    let elem = cx.c.types.pointer_elem(t).unwrap_or(TypeId::UNKNOWN);
    let elem_s = if elem.is_unknown() {
        "the map".to_string()
    } else {
        format!("`{}`", cx.type_string(elem))
    };
    let suggestion = match l.rhs.map(|r| r.unparen()) {
        Some(mapvet_syntax::ast::Expr::Unary(u)) => {
            format!("`*{name} = {}`", cx.expr_text(u.x))
        }
        Some(mapvet_syntax::ast::Expr::Call(_)) => {
            format!("`*{name} = make({})`", cx.type_string(elem))
        }
        _ => format!("`*{name} = ...`"),
    };
    let effect = if l.dead {
        "the new pointer is never used afterwards, so this assignment has no effect"
    } else {
        "everything stored through it afterwards goes into a map the caller never sees"
    };
    let msg = format!(
        "pointer {what} `{name}` is itself reassigned: it now points to a different map, but \
         the caller's pointer and map are unchanged and {effect}; to replace the caller's map, \
         assign through the pointer: {suggestion}"
    );
    let decl = cx.loc(l.param.span);
    let store = l.first_store.map(|s| cx.loc(s));
    let d = cx.report(l.at, msg);
    d.label(
        decl,
        format!("`{name}` is a {what} of type `{ty}`, a copy of the caller's pointer to {elem_s}"),
    );
    if let Some(s) = store {
        d.label(s, "stored into the new map, which the caller never sees");
    }
    d.help(format!("assign the map through the pointer: {suggestion}"));
}
