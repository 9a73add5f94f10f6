//! `MV003` `lost-map-param-assign`.

use crate::context::FileCx;
use crate::params::{lost_assignments, LostAssign};
use mapvet_semantic::objects::VarKind;

declare_rule! {
    /// ## What it does
    /// Finds a parameter or receiver of map type that the function reassigns
    /// (`m = make(...)`, `m = map[K]V{}`, `m = nil`, `m = other`) when nothing reads the new
    /// map back afterwards: the function only stores into it, deletes from it, takes its
    /// length or prints it — or does not use it at all (a dead store).
    ///
    /// ## Why is this bad?
    /// A map value is a reference to a hash table, and a parameter holds a *copy* of the
    /// caller's reference. Assigning the parameter rebinds only that copy: the caller's map is
    /// unchanged, and every entry stored into the new map after the assignment is lost when
    /// the function returns. The classic case is lazy initialisation of a nil map argument:
    ///
    /// ```go
    /// func add(set map[string]bool, k string) {
    ///     if set == nil {
    ///         set = make(map[string]bool) // the caller's variable stays nil
    ///     }
    ///     set[k] = true // stored into a map nobody else sees
    /// }
    /// ```
    ///
    /// `m = nil` "to free the map" does not free anything either: the caller still holds it.
    ///
    /// Not reported: the function reads entries of the new map back afterwards (index reads,
    /// comma-ok tests, `range`) — the parameter is then used as local scratch on purpose,
    /// e.g. an optional `seen` set; the new map is returned, stored into a field, a global or
    /// another variable, or passed to another call (printing and logging do not count); the
    /// new value is derived from the parameter itself (walking a tree of nested maps:
    /// `next := m[k].(map[string]any); m = next`); blank and unnamed parameters; parameters
    /// that a function literal mentions other than to store into it, when the literal may
    /// run elsewhere (stores made by a closure called on the spot, deferred, or bound to a
    /// local that is only called are the function's own stores). When the new value is not a
    /// fresh map (`make`, a literal, `nil`, or a local holding one) but a map the caller may
    /// reach (another parameter, a global, a field, a call's result), stores into it are not
    /// lost: it is reported only when nothing is stored into it afterwards (a dead store, or
    /// only its length taken or printed).
    ///
    /// ## Example
    /// ```go
    /// func register(handlers map[string]Handler, name string, h Handler) {
    ///     if handlers == nil {
    ///         handlers = map[string]Handler{}
    ///     }
    ///     handlers[name] = h
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Return the map:
    /// ```go
    /// func register(handlers map[string]Handler, name string, h Handler) map[string]Handler {
    ///     if handlers == nil {
    ///         handlers = map[string]Handler{}
    ///     }
    ///     handlers[name] = h
    ///     return handlers
    /// }
    /// ```
    /// or take a pointer and assign through it:
    /// ```go
    /// func register(handlers *map[string]Handler, name string, h Handler) {
    ///     if *handlers == nil {
    ///         *handlers = map[string]Handler{}
    ///     }
    ///     (*handlers)[name] = h
    /// }
    /// ```
    META { code: "MV003", name: "lost-map-param-assign", severity: Warning,
           summary: "map parameter reassigned: the caller never sees the new map or what is stored into it",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let funcs = cx.functions().to_vec();
    let mut found: Vec<LostAssign<'_>> = Vec::new();
    for f in &funcs {
        found.extend(lost_assignments(cx.c, cx.file, f, false));
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
    let fixes = format!("return the map to the caller, or take `*{ty}` and assign `*{name} = ...`");
    let msg = if l.dead {
        let new = match l.rhs {
            Some(r) => format!("`{}`", cx.expr_text(r)),
            None => "a new value".to_string(),
        };
        format!(
            "map {what} `{name}` is reassigned to {new}, which is never used afterwards: the \
             {what} is only a copy of the caller's map reference, so this assignment has no \
             effect and the caller's map is unchanged (and not freed); {fixes} (or delete the \
             assignment)"
        )
    } else if l.first_store.is_none() {
        let new = match l.rhs {
            Some(r) => format!(" to `{}`", cx.expr_text(r)),
            None => String::new(),
        };
        format!(
            "map {what} `{name}` is reassigned{new}, but the {what} is only a copy of the \
             caller's map reference: the caller's map is unchanged, and the function only takes \
             the new map's length or prints it afterwards; {fixes}"
        )
    } else {
        format!(
            "map {what} `{name}` is reassigned, but the {what} is only a copy of the caller's map \
             reference: the caller's map is unchanged and everything stored into the new map \
             afterwards is lost when the function returns; {fixes}"
        )
    };
    let decl = cx.loc(l.param.span());
    let store = l.first_store.map(|s| cx.loc(s));
    let d = cx.report(l.at, msg);
    d.label(
        decl,
        format!("`{name}` is a {what} of type `{ty}`: the function has its own copy of the map reference"),
    );
    if let Some(s) = store {
        d.label(s, "stored into the new map, which the caller never sees");
    }
    d.help(format!(
        "return the new map, or change the {what} to `*{ty}` and assign `*{name} = ...`"
    ));
}
