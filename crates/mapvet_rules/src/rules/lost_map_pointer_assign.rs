//! `MV004` `lost-map-pointer-assign`.

use crate::context::FileCx;
use crate::params::{lost_assignments, LostAssign};
use mapvet_semantic::objects::VarKind;
use mapvet_semantic::types::TypeId;
use mapvet_syntax::ast::{Expr, File, Stmt};
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;

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
    } else if l.first_store.is_some() {
        "everything stored through it afterwards goes into a map the caller never sees"
    } else {
        "what the function does with it afterwards concerns a map the caller never sees"
    };
    // Under `if p == nil`, assigning through the nil pointer would panic: the caller has no
    // map to receive one.
    let nil_guarded = under_nil_check(cx.ast, name, l.at);
    let (fix, help) = if nil_guarded {
        (
            format!(
                "`{name}` is nil here, so assigning through it (`*{name} = ...`) would panic: \
                 return the new map to the caller instead, or require a non-nil pointer"
            ),
            "return the new map, or require callers to pass a non-nil pointer and assign through it".to_string(),
        )
    } else {
        (
            format!("to replace the caller's map, assign through the pointer: {suggestion}"),
            format!("assign the map through the pointer: {suggestion}"),
        )
    };
    let msg = format!(
        "pointer {what} `{name}` is itself reassigned: it now points to a different map, but \
         the caller's pointer and map are unchanged and {effect}; {fix}"
    );
    let decl = cx.loc(l.param.span());
    let store = l.first_store.map(|s| cx.loc(s));
    let d = cx.report(l.at, msg);
    d.label(
        decl,
        format!("`{name}` is a {what} of type `{ty}`, a copy of the caller's pointer to {elem_s}"),
    );
    if let Some(s) = store {
        d.label(s, "stored into the new map, which the caller never sees");
    }
    d.help(help);
}

/// `at` is inside the body of an `if name == nil { ... }` (or in the `else` of `name != nil`).
fn under_nil_check(file: &File<'_>, name: &str, at: Span) -> bool {
    struct V<'n> {
        name: &'n str,
        at: Span,
        found: bool,
    }
    fn is_nil_test(e: Expr<'_>, name: &str, eq: bool) -> bool {
        match e.unparen() {
            Expr::Binary(b) if b.op == if eq { Tok::Eql } else { Tok::Neq } => {
                let id = |x: Expr<'_>| matches!(x.unparen(), Expr::Ident(i) if i.name == name);
                let nil = |x: Expr<'_>| matches!(x.unparen(), Expr::Ident(i) if i.name == "nil");
                (id(b.x) && nil(b.y)) || (nil(b.x) && id(b.y))
            }
            _ => false,
        }
    }
    impl<'a> Visitor<'a> for V<'_> {
        fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
            if let Stmt::If(i) = s {
                let inside = |sp: Span| sp.start <= self.at.start && self.at.end <= sp.end;
                if inside(i.body.span) && is_nil_test(i.cond, self.name, true) {
                    self.found = true;
                }
                if let Some(e) = i.else_ {
                    if inside(e.span()) && is_nil_test(i.cond, self.name, false) {
                        self.found = true;
                    }
                }
            }
            !self.found
        }
    }
    let mut v = V {
        name,
        at,
        found: false,
    };
    visit::walk_file(&mut v, file);
    v.found
}
