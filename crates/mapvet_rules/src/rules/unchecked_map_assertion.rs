//! `MV006` `unchecked-map-assertion`.

use crate::context::FileCx;
use mapvet_syntax::ast::{Expr, Stmt};
use mapvet_syntax::visit::{self, Visitor};

declare_rule! {
    /// ## What it does
    /// Finds single-result type assertions whose target is a map or a pointer to a map
    /// (`x.(map[string]int)`, `x.(*map[string]int)`, a defined map type, or a type parameter
    /// whose core type is a map) outside a type switch.
    ///
    /// ## Why is this bad?
    /// A single-result assertion panics when the dynamic type is anything else:
    /// `panic: interface conversion: interface {} is map[string]interface {}, not map[string]string`.
    /// Map types make this easy to get wrong: a decoded JSON object is a
    /// `map[string]interface{}`, never a `map[string]string`, and a defined type
    /// `type Labels map[string]string` stored in an interface does not assert to the plain
    /// `map[string]string` of the same shape (nor the other way round).
    ///
    /// ## Example
    /// ```go
    /// func labels(v any) map[string]string {
    ///     return v.(map[string]string) // panics for map[string]any or Labels
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func labels(v any) (map[string]string, bool) {
    ///     m, ok := v.(map[string]string)
    ///     return m, ok
    /// }
    /// ```
    META { code: "MV006", name: "unchecked-map-assertion", severity: Warning,
           summary: "single-result type assertion to a map type panics on any other dynamic type",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let ast = cx.ast;
    let mut v = Finder {
        cx,
        comma_ok: Vec::new(),
    };
    visit::walk_file(&mut v, ast);
}

struct Finder<'x, 'c, 'a> {
    cx: &'x mut FileCx<'c, 'a>,
    /// Offsets of assertions used in a two-value context.
    comma_ok: Vec<u32>,
}

impl<'a> Visitor<'a> for Finder<'_, '_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        // v, ok := x.(T) / v, ok = x.(T) / var v, ok = x.(T)
        if let Stmt::Assign(a) = s {
            if a.lhs.len() == 2 && a.rhs.len() == 1 {
                if let Expr::TypeAssert(ta) = a.rhs[0].unparen() {
                    self.comma_ok.push(ta.span.start);
                }
            }
        }
        if let Stmt::Decl(d) = s {
            if let mapvet_syntax::ast::Decl::Gen(g) = d.decl {
                for spec in g.specs {
                    if let mapvet_syntax::ast::Spec::Value(vs) = spec {
                        if vs.names.len() == 2 && vs.values.len() == 1 {
                            if let Expr::TypeAssert(ta) = vs.values[0].unparen() {
                                self.comma_ok.push(ta.span.start);
                            }
                        }
                    }
                }
            }
        }
        // The guard of a type switch is not an assertion that can panic.
        !matches!(s, Stmt::TypeSwitch(_)) || {
            if let Stmt::TypeSwitch(ts) = s {
                if let Some(init) = ts.init {
                    visit::walk_stmt(self, init);
                }
                if let Stmt::Assign(a) = ts.assign {
                    if let Some(Expr::TypeAssert(ta)) = a.rhs.first() {
                        visit::walk_expr(self, ta.x);
                    }
                } else if let Stmt::Expr(e) = ts.assign {
                    if let Expr::TypeAssert(ta) = e.x {
                        visit::walk_expr(self, ta.x);
                    }
                }
                visit::walk_stmt(self, Stmt::Block(ts.body));
            }
            false
        }
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        let Expr::TypeAssert(ta) = e else {
            return true;
        };
        let Some(te) = ta.ty else { return true };
        if self.comma_ok.contains(&ta.span.start) {
            return true;
        }
        let cx = &mut *self.cx;
        let t = cx.type_of(te);
        let kind = if cx.is_map(t) {
            "map"
        } else if cx.is_ptr_to_map(t) {
            "pointer-to-map"
        } else {
            return true;
        };
        let target = cx.text(te.span()).to_string();
        let x = cx.expr_text(ta.x);
        let src_t = cx.type_of(ta.x);
        let from = if src_t.is_unknown() {
            "the interface value".to_string()
        } else {
            format!("`{x}` (of type `{}`)", cx.type_string(src_t))
        };
        cx.report(
            ta.span,
            format!(
                "unchecked type assertion to {kind} type `{target}`: if {from} holds any other \
                 dynamic type — even a map of the same shape with a different defined type — this \
                 panics with \"interface conversion\""
            ),
        )
        .help(format!(
            "use the two-result form: `m, ok := {x}.({target})` and handle !ok"
        ));
        true
    }
}
