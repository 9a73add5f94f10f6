//! Constant boolean conditions (`const debug = false` ... `if debug {`): a branch on one has
//! a single feasible side, for every path-sensitive analysis.

use mapvet_semantic::check::Checker;
use mapvet_semantic::objects::{DeclPos, ObjKind};
use mapvet_syntax::ast::*;
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};

/// The value of a constant boolean condition made of `true`, `false`, declared boolean
/// constants (`const debug = false`, local or package-level, also of another package), `!`,
/// `&&`, `||` and parentheses; `None` for anything else. A branch on such a condition has
/// one feasible side (`if debug { trace[k]++ }` never runs with `debug` false).
pub(crate) fn const_bool(c: &Checker<'_>, file: u32, e: Expr<'_>) -> Option<bool> {
    bool_in(c, file, e, 0)
}

fn bool_in(c: &Checker<'_>, file: u32, e: Expr<'_>, depth: u32) -> Option<bool> {
    if depth > 16 {
        return None;
    }
    match e.unparen() {
        Expr::Unary(u) if u.op == Tok::Not => bool_in(c, file, u.x, depth + 1).map(|b| !b),
        Expr::Binary(b) if matches!(b.op, Tok::LAnd | Tok::LOr) => {
            let x = bool_in(c, file, b.x, depth + 1)?;
            let y = bool_in(c, file, b.y, depth + 1)?;
            Some(if b.op == Tok::LAnd { x && y } else { x || y })
        }
        e @ (Expr::Ident(_) | Expr::Selector(_)) => {
            let i = match e {
                Expr::Selector(s) => s.sel,
                Expr::Ident(i) => i,
                _ => return None,
            };
            let o = c.infos[file as usize]
                .ident_objs
                .get(i.id.index())
                .copied()
                .filter(|o| !o.is_none())?;
            let ob = c.obj(o);
            if ob.kind != ObjKind::Const {
                return None;
            }
            if ob.pos.file == u32::MAX {
                return match ob.name {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                };
            }
            let value = const_init(c, ob.pos)?;
            bool_in(c, ob.pos.file, value, depth + 1)
        }
        _ => None,
    }
}

/// The expression a constant declared at `pos` is initialised with (a spec without values
/// repeats the previous spec's, as in `const ( a = false; b )`).
fn const_init<'a>(c: &Checker<'a>, pos: DeclPos) -> Option<Expr<'a>> {
    struct Find<'a> {
        offset: u32,
        found: Option<Expr<'a>>,
    }
    impl<'a> Find<'a> {
        fn decl(&mut self, g: &'a GenDecl<'a>) {
            if g.tok != Tok::Const || self.found.is_some() {
                return;
            }
            let mut last: &'a [Expr<'a>] = &[];
            for spec in g.specs {
                let Spec::Value(vs) = spec else { continue };
                if !vs.values.is_empty() {
                    last = vs.values;
                }
                if let Some(j) = vs.names.iter().position(|n| n.pos == self.offset) {
                    self.found = last.get(j).copied();
                    return;
                }
            }
        }
    }
    impl<'a> Visitor<'a> for Find<'a> {
        fn visit_decl(&mut self, d: &Decl<'a>) -> bool {
            if let Decl::Gen(g) = d {
                self.decl(g);
            }
            self.found.is_none()
        }
        fn visit_stmt(&mut self, _s: Stmt<'a>) -> bool {
            self.found.is_none()
        }
    }
    let sf = c.files.get(pos.file as usize)?;
    let mut f = Find {
        offset: pos.offset,
        found: None,
    };
    for d in sf.ast.decls {
        match d {
            Decl::Gen(g) => f.decl(g),
            // A local constant: declared inside this function's body.
            Decl::Func(fd) if fd.span.start <= pos.offset && pos.offset < fd.span.end => {
                visit::walk_decl(&mut f, d);
            }
            _ => {}
        }
        if f.found.is_some() {
            break;
        }
    }
    f.found
}
