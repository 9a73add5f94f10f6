//! `MP003` `map-size-hint`.

use crate::context::FileCx;
use crate::diagnostic::{Applicability, Edit, Fix};
use mapvet_semantic::objects::{Builtin, ObjId, ObjKind, VarKind};
use mapvet_semantic::types::{Type, TypeId};
use mapvet_syntax::ast::{self, Expr, Stmt};
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;

declare_rule! {
    /// ## What it does
    /// Finds a map created without a size (`m := make(map[K]V)`, `m = make(map[K]V)`,
    /// `var m = make(map[K]V)`, or an empty literal `map[K]V{}`) that the next statement of the
    /// same block — statements that do not mention `m` may stand between — fills with a
    /// `range` loop over a slice, array or map whose body stores into `m` (`m[k] = v`,
    /// `m[k]++`, `m[k] op= v`) on every iteration: unconditionally, with no `continue` before
    /// the store and no `break` or `return` out of the loop. A pointer to an array counts as
    /// an array (`len(p)` is its length), and the map may be one of several values of a
    /// multi-value definition (`m, n := make(map[K]V), 0`).
    ///
    /// Loops over strings (the rune count is not `len`), channels, integers and functions are
    /// not reported, nor stores under a constant key, nor a `make` that already has a size.
    ///
    /// ## Why is this bad?
    /// A map created without a size hint starts with room for a handful of entries. As the
    /// loop fills it, the table is reallocated again and again, and every entry is rehashed
    /// into the new table each time. The number of entries is known before the loop
    /// (`len(xs)`, an upper bound when keys repeat), so one allocation of the right size does.
    ///
    /// ## Example
    /// ```go
    /// func index(users []User) map[string]User {
    ///     byID := make(map[string]User)
    ///     for _, u := range users {
    ///         byID[u.ID] = u
    ///     }
    ///     return byID
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func index(users []User) map[string]User {
    ///     byID := make(map[string]User, len(users))
    ///     for _, u := range users {
    ///         byID[u.ID] = u
    ///     }
    ///     return byID
    /// }
    /// ```
    ///
    /// ## Fix
    /// `--fix` adds `len(xs)` to the `make` (or turns the empty literal into a `make`) only when
    /// that is safe: the range operand has no side effects, so evaluating it twice is harmless
    /// — it is built from variables, field selections, dereferences (`*p`), index expressions
    /// (`g[k]`, `xs[i+1]`) and slicing (`xs[1:]`) whose indexes and bounds have no side effects
    /// either (no calls other than `len`, `cap`, `min`, `max` and conversions) — and every
    /// variable it mentions is declared before the map is created (not in the same statement)
    /// and not assigned in between. When statements stand between and the operand reads
    /// through a pointer, a slice element, a map entry or an index that may be out of range,
    /// those statements must be plain assignments or declarations to variables with no calls
    /// (they might otherwise guard against nil or change what is read). Otherwise the hint is
    /// reported without a fix, and the help says why.
    META { code: "MP003", name: "map-size-hint", severity: Hint,
           summary: "map filled by a range loop is created without a size hint",
           fixable: true }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let ast = cx.ast;
    let mut v = Lists { cx };
    visit::walk_file(&mut v, ast);
}

/// Visits every statement list (blocks, case and comm clause bodies).
struct Lists<'x, 'c, 'a> {
    cx: &'x mut FileCx<'c, 'a>,
}

impl<'a> Visitor<'a> for Lists<'_, '_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Block(b) => check_list(self.cx, b.list, b.span),
            Stmt::CaseClause(c) => check_list(self.cx, c.body, c.span),
            Stmt::CommClause(c) => check_list(self.cx, c.body, c.span),
            _ => {}
        }
        true
    }
}

/// How the map is created.
#[derive(Clone, Copy)]
enum Creation<'a> {
    /// `make(map[K]V)`.
    Make(&'a ast::CallExpr<'a>),
    /// `map[K]V{}`.
    Lit(&'a ast::CompositeLit<'a>, Expr<'a>),
}

/// A map created without a size, waiting for the loop that fills it.
#[derive(Clone, Copy)]
struct Pending<'a> {
    obj: ObjId,
    /// Index of the creating statement in the list.
    idx: usize,
    creation: Creation<'a>,
}

/// A map filled by the loop that follows it.
struct Found<'a> {
    p: Pending<'a>,
    r: &'a ast::RangeStmt<'a>,
    range_idx: usize,
}

/// Checks one statement list; `region` is the block or clause holding it.
fn check_list<'a>(cx: &mut FileCx<'_, 'a>, list: &'a [Stmt<'a>], region: Span) {
    let mut pending: Vec<Pending<'a>> = Vec::new();
    let mut found: Vec<Found<'a>> = Vec::new();
    for (i, &s) in list.iter().enumerate() {
        if !pending.is_empty() {
            let (inner, label) = match s {
                Stmt::Labeled(l) => (l.stmt, Some(l.label.name)),
                _ => (s, None),
            };
            if let Stmt::Range(r) = inner {
                let mut k = 0;
                while k < pending.len() {
                    if fills_every_iteration(cx, pending[k].obj, r, label) {
                        let p = pending.remove(k);
                        found.push(Found { p, r, range_idx: i });
                    } else {
                        k += 1;
                    }
                }
            }
            // A statement that mentions the map ends the search for it.
            if !pending.is_empty() {
                let objs: Vec<ObjId> = pending.iter().map(|p| p.obj).collect();
                let mentioned = mentions(cx, s, &objs);
                pending.retain(|p| !mentioned.contains(&p.obj));
            }
        }
        pending.extend(creations(cx, s, i));
    }
    if found.is_empty() {
        return;
    }
    let edits: Vec<Result<RawEdit, NoFix>> = found
        .iter()
        .map(|f| {
            let operand = f.r.x.unparen();
            let between = &list[f.p.idx + 1..f.range_idx];
            fix_edit(cx, f.p, list[f.p.idx], operand, between)
        })
        .collect();
    let raw: Vec<Option<RawEdit>> = edits.iter().map(|e| e.as_ref().ok().cloned()).collect();
    let fixes = align::fixes(cx, region, &raw);
    for ((f, fix), e) in found.iter().zip(fixes).zip(&edits) {
        report(cx, f, fix, e.as_ref().err());
    }
}

/// `m := make(map[K]V)`, `m = make(map[K]V)`, `var m = make(map[K]V)`, or the same with an
/// empty literal; also each map so created in a multi-value form (`m, n := make(map[K]V), 0`).
fn creations<'a>(cx: &FileCx<'_, 'a>, s: Stmt<'a>, idx: usize) -> Vec<Pending<'a>> {
    let pairs: Vec<(&'a ast::Ident<'a>, Expr<'a>)> = match s {
        Stmt::Assign(a)
            if matches!(a.tok, Tok::Define | Tok::Assign) && a.lhs.len() == a.rhs.len() =>
        {
            a.lhs
                .iter()
                .zip(a.rhs)
                .filter_map(|(l, &r)| Some((l.unparen().as_ident()?, r)))
                .collect()
        }
        Stmt::Decl(d) => {
            let ast::Decl::Gen(g) = d.decl else {
                return Vec::new();
            };
            if g.tok != Tok::Var || g.specs.len() != 1 {
                return Vec::new();
            }
            let ast::Spec::Value(vs) = g.specs[0] else {
                return Vec::new();
            };
            if vs.names.len() != vs.values.len() {
                return Vec::new();
            }
            vs.names
                .iter()
                .copied()
                .zip(vs.values.iter().copied())
                .collect()
        }
        _ => return Vec::new(),
    };
    pairs
        .into_iter()
        .filter_map(|(lhs, rhs)| creation(cx, lhs, rhs, idx))
        .collect()
}

/// The map created for `lhs` when `rhs` is an unsized `make` or an empty literal.
fn creation<'a>(
    cx: &FileCx<'_, 'a>,
    lhs: &'a ast::Ident<'a>,
    rhs: Expr<'a>,
    idx: usize,
) -> Option<Pending<'a>> {
    if lhs.is_blank() {
        return None;
    }
    let obj = cx.obj_of(lhs)?;
    if !matches!(cx.c.obj(obj).kind, ObjKind::Var(k) if k != VarKind::Field) {
        return None;
    }
    if !cx.is_map(cx.type_of(rhs)) {
        return None;
    }
    let creation = match rhs.unparen() {
        Expr::Call(c) => {
            let f = c.fun.unparen().as_ident()?;
            let fo = cx.obj_of(f)?;
            if cx.c.obj(fo).kind != ObjKind::Builtin(Builtin::Make) || c.args.len() != 1 {
                return None;
            }
            if c.ellipsis.is_some() {
                return None;
            }
            Creation::Make(c)
        }
        Expr::CompositeLit(l) if l.elts.is_empty() => Creation::Lit(l, l.ty?),
        _ => return None,
    };
    Some(Pending { obj, idx, creation })
}

/// Object ids among `objs` that `s` mentions anywhere (function literals included).
fn mentions(cx: &FileCx<'_, '_>, s: Stmt<'_>, objs: &[ObjId]) -> Vec<ObjId> {
    let mut m = Mentions {
        cx,
        objs,
        found: Vec::new(),
    };
    visit::walk_stmt(&mut m, s);
    m.found
}

struct Mentions<'x, 'c, 'a> {
    cx: &'x FileCx<'c, 'a>,
    objs: &'x [ObjId],
    found: Vec<ObjId>,
}

impl<'v> Visitor<'v> for Mentions<'_, '_, '_> {
    fn visit_expr(&mut self, e: Expr<'v>) -> bool {
        if let Expr::Ident(i) = e {
            if let Some(o) = self.cx.obj_of(i) {
                if self.objs.contains(&o) && !self.found.contains(&o) {
                    self.found.push(o);
                }
            }
        }
        true
    }
}

/// Is `r` a range over a slice, array or map that does not involve `m`, whose body stores
/// into `m` on every iteration?
fn fills_every_iteration(
    cx: &FileCx<'_, '_>,
    m: ObjId,
    r: &ast::RangeStmt<'_>,
    label: Option<&str>,
) -> bool {
    if !ranges_len_elements(cx, cx.type_of(r.x)) {
        return false;
    }
    let mut in_operand = Mentions {
        cx,
        objs: &[m],
        found: Vec::new(),
    };
    visit::walk_expr(&mut in_operand, r.x);
    if !in_operand.found.is_empty() {
        return false;
    }
    let mut inner_labels = Vec::new();
    collect_labels(r.body.list, &mut inner_labels);
    let named_result = cx.var_kind(m) == Some(VarKind::Result);
    let returns_map = |ret: &ast::ReturnStmt<'_>| {
        if ret.results.is_empty() {
            return named_result;
        }
        let mut v = Mentions {
            cx,
            objs: &[m],
            found: Vec::new(),
        };
        for &e in ret.results {
            visit::walk_expr(&mut v, e);
        }
        !v.found.is_empty()
    };
    let b = Branches {
        label,
        inner_labels: &inner_labels,
        returns_map: &returns_map,
    };
    // No early way out of the loop that keeps the map: every iteration runs, and the loop
    // runs len(xs) times.
    if b.leaves_loop(r.body.list, 0, 0) {
        return false;
    }
    // A store to `m` among the body's top-level statements, with no `continue` before it.
    let mut found = false;
    for_each_top(r.body.list, &mut |s| {
        if found {
            return false;
        }
        if is_store_into(cx, s, m) {
            found = true;
            return false;
        }
        if b.continues(s) {
            return false;
        }
        true
    });
    found
}

/// Range over a type whose iteration count is `len(x)`: slice, array, pointer to an array or
/// map (directly or as the core type of a type parameter). Not strings, channels, integers,
/// functions.
fn ranges_len_elements(cx: &FileCx<'_, '_>, t: TypeId) -> bool {
    if t.is_unknown() {
        return false;
    }
    let core = cx.c.types.core(t);
    match cx.c.types.get(core) {
        Type::Slice(_) | Type::Array(..) | Type::Map(..) => true,
        Type::Pointer(e) => matches!(cx.c.types.get(cx.c.types.core(*e)), Type::Array(..)),
        _ => false,
    }
}

/// Calls `f` on the top-level statements of `list` in order, descending into plain blocks,
/// until `f` returns false.
fn for_each_top<'a>(list: &'a [Stmt<'a>], f: &mut dyn FnMut(Stmt<'a>) -> bool) -> bool {
    for &s in list {
        let go_on = match s {
            Stmt::Block(b) => for_each_top(b.list, f),
            _ => f(s),
        };
        if !go_on {
            return false;
        }
    }
    true
}

/// `m[k] = v`, `m[k] op= v`, `m[k]++`/`--` with a key that is not a constant.
fn is_store_into(cx: &FileCx<'_, '_>, s: Stmt<'_>, m: ObjId) -> bool {
    let lhs: &[Expr<'_>] = match s {
        Stmt::Assign(a) if a.tok != Tok::Define => a.lhs,
        Stmt::IncDec(d) => std::slice::from_ref(&d.x),
        _ => return false,
    };
    lhs.iter().any(|l| {
        let Expr::Index(ix) = l.unparen() else {
            return false;
        };
        let Some(base) = ix.x.unparen().as_ident() else {
            return false;
        };
        cx.obj_of(base) == Some(m) && !is_constant(cx, ix.index)
    })
}

/// An expression made only of literals and named constants.
fn is_constant(cx: &FileCx<'_, '_>, e: Expr<'_>) -> bool {
    match e.unparen() {
        Expr::BasicLit(_) => true,
        Expr::Ident(i) => cx
            .obj_of(i)
            .is_some_and(|o| cx.c.obj(o).kind == ObjKind::Const),
        Expr::Selector(s) => cx
            .obj_of(s.sel)
            .is_some_and(|o| cx.c.obj(o).kind == ObjKind::Const),
        Expr::Binary(b) => is_constant(cx, b.x) && is_constant(cx, b.y),
        Expr::Unary(u) => u.op != Tok::Arrow && is_constant(cx, u.x),
        _ => false,
    }
}

fn collect_labels<'a>(list: &'a [Stmt<'a>], out: &mut Vec<&'a str>) {
    struct L<'x, 'a> {
        out: &'x mut Vec<&'a str>,
    }
    impl<'a> Visitor<'a> for L<'_, 'a> {
        fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
            if let Stmt::Labeled(l) = s {
                self.out.push(l.label.name);
            }
            true
        }
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            !matches!(e, Expr::FuncLit(_))
        }
    }
    let mut l = L { out };
    for &s in list {
        visit::walk_stmt(&mut l, s);
    }
}

/// Branch statements of a range body, relative to the range loop.
struct Branches<'x> {
    label: Option<&'x str>,
    inner_labels: &'x [&'x str],
    /// Does this `return` hand back the partly filled map?
    returns_map: &'x dyn Fn(&ast::ReturnStmt<'_>) -> bool,
}

impl Branches<'_> {
    /// Does `list` hold a statement that ends the loop early with the map still in use (a
    /// `return` of the map, `goto`, a `break` of this loop, a labeled `break`/`continue` of
    /// an outer one)? A `return` that abandons the map (`return nil, err`) does not count: on
    /// the path that keeps the map, every iteration stores. `loops`/`breakables` count the
    /// nested loops and loops-or-switches around the statements.
    fn leaves_loop(&self, list: &[Stmt<'_>], loops: u32, breakables: u32) -> bool {
        list.iter().any(|&s| self.stmt_leaves(s, loops, breakables))
    }

    fn stmt_leaves(&self, s: Stmt<'_>, loops: u32, breakables: u32) -> bool {
        match s {
            Stmt::Return(r) => (self.returns_map)(r),
            Stmt::Branch(b) => match (b.tok, b.label) {
                (Tok::Goto, _) => true,
                (Tok::Break, None) => breakables == 0,
                (Tok::Break, Some(l)) => {
                    Some(l.name) == self.label || !self.inner_labels.contains(&l.name)
                }
                (Tok::Continue, Some(l)) => {
                    Some(l.name) != self.label && !self.inner_labels.contains(&l.name)
                }
                _ => false,
            },
            Stmt::Labeled(l) => self.stmt_leaves(l.stmt, loops, breakables),
            Stmt::Block(b) => self.leaves_loop(b.list, loops, breakables),
            Stmt::If(i) => {
                self.leaves_loop(i.body.list, loops, breakables)
                    || i.else_
                        .is_some_and(|e| self.stmt_leaves(e, loops, breakables))
            }
            Stmt::Switch(sw) => self.clauses_leave(sw.body, loops, breakables + 1),
            Stmt::TypeSwitch(ts) => self.clauses_leave(ts.body, loops, breakables + 1),
            Stmt::Select(sel) => self.clauses_leave(sel.body, loops, breakables + 1),
            Stmt::For(f) => self.leaves_loop(f.body.list, loops + 1, breakables + 1),
            Stmt::Range(r) => self.leaves_loop(r.body.list, loops + 1, breakables + 1),
            _ => false,
        }
    }

    fn clauses_leave(&self, body: &ast::BlockStmt<'_>, loops: u32, breakables: u32) -> bool {
        body.list.iter().any(|&c| match c {
            Stmt::CaseClause(cc) => self.leaves_loop(cc.body, loops, breakables),
            Stmt::CommClause(cc) => self.leaves_loop(cc.body, loops, breakables),
            _ => false,
        })
    }

    /// Does `s` hold a `continue` of this loop (the store after it is then skipped on some
    /// iterations)?
    fn continues(&self, s: Stmt<'_>) -> bool {
        self.stmt_continues(s, 0)
    }

    fn stmt_continues(&self, s: Stmt<'_>, loops: u32) -> bool {
        let list_continues =
            |list: &[Stmt<'_>], loops: u32| list.iter().any(|&s| self.stmt_continues(s, loops));
        match s {
            Stmt::Branch(b) if b.tok == Tok::Continue => match b.label {
                None => loops == 0,
                Some(l) => Some(l.name) == self.label,
            },
            Stmt::Labeled(l) => self.stmt_continues(l.stmt, loops),
            Stmt::Block(b) => list_continues(b.list, loops),
            Stmt::If(i) => {
                list_continues(i.body.list, loops)
                    || i.else_.is_some_and(|e| self.stmt_continues(e, loops))
            }
            Stmt::Switch(sw) => sw.body.list.iter().any(|&c| self.stmt_continues(c, loops)),
            Stmt::TypeSwitch(ts) => ts.body.list.iter().any(|&c| self.stmt_continues(c, loops)),
            Stmt::Select(sel) => sel.body.list.iter().any(|&c| self.stmt_continues(c, loops)),
            Stmt::CaseClause(cc) => list_continues(cc.body, loops),
            Stmt::CommClause(cc) => list_continues(cc.body, loops),
            Stmt::For(f) => list_continues(f.body.list, loops + 1),
            Stmt::Range(r) => list_continues(r.body.list, loops + 1),
            _ => false,
        }
    }
}

fn report(cx: &mut FileCx<'_, '_>, f: &Found<'_>, fix: FixOutcome, why: Option<&NoFix>) {
    let name = cx.obj_name(f.p.obj).to_string();
    let operand = f.r.x.unparen();
    let (span, map_ty) = match f.p.creation {
        Creation::Make(c) => (c.span, cx.text(c.args[0].span()).to_string()),
        Creation::Lit(l, ty) => (l.span, cx.text(ty.span()).to_string()),
    };
    let xs = one_line(&cx.expr_text(operand));
    let msg = format!(
        "map `{name}` is created without a size hint and then filled by the loop over \
         `{xs}`, one store per iteration: as it grows, its table is reallocated again and \
         again and every entry rehashed, although the loop's count of entries (at most \
         `len({xs})`) is known before it starts"
    );
    let title = format!("preallocate: `make({map_ty}, len({xs}))`");
    let help = match &fix {
        FixOutcome::Edits(_) => title.clone(),
        FixOutcome::Unsafe => match why {
            Some(NoFix::SideEffects) => format!(
                "store `{xs}` in a variable `v` before creating the map, then create it with \
                 `make({map_ty}, len(v))` and range over `v` (not fixed automatically: \
                 `{xs}` contains a call or an operation with side effects, which \
                 `len({xs})` would evaluate a second time)"
            ),
            Some(NoFix::DeclaredAfter(o, same)) => {
                let v = cx.obj_name(*o).to_string();
                let at = if *same {
                    "in the same statement as the map, so it does not exist yet where the \
                     size would be computed"
                } else {
                    "after the map is created"
                };
                format!(
                    "create the map after `{v}` is declared, with `make({map_ty}, \
                     len({xs}))` (not fixed automatically: `{v}` is declared {at})"
                )
            }
            Some(NoFix::Assigned(o, same)) => {
                let v = cx.obj_name(*o).to_string();
                let (fix, at) = if *same {
                    (
                        "in a statement of its own after that one",
                        "by the statement that creates the map",
                    )
                } else {
                    (
                        "right before the loop",
                        "between the map's creation and the loop",
                    )
                };
                format!(
                    "create the map {fix}, with `make({map_ty}, len({xs}))` (not fixed \
                     automatically: `{v}` is assigned {at}, so `len({xs})` at the creation may \
                     not be the loop's count)"
                )
            }
            Some(NoFix::Guarded) => format!(
                "create the map right before the loop, with `make({map_ty}, len({xs}))` \
                 (not fixed automatically: `{xs}` reads through a pointer, a slice or map \
                 element or an index, and the statements between the map's creation and the \
                 loop may check or change it first; evaluated earlier it could panic or give \
                 another count)"
            ),
            Some(NoFix::SameStatement) => format!(
                "create the map in a statement of its own, with `make({map_ty}, len({xs}))` \
                 (not fixed automatically: the statement that creates the map also makes \
                 calls, which Go may evaluate before or after `len({xs})`)"
            ),
            Some(NoFix::Text) | None => format!(
                "preallocate with `make({map_ty}, len({xs}))` (not fixed automatically: the \
                 text of the map's creation could not be rewritten mechanically)"
            ),
        },
        FixOutcome::WithOther(line) => {
            format!("{title} (fixed together with the map created on line {line})")
        }
        FixOutcome::Layout => format!(
            "{title} (not fixed automatically: the trailing comments around it could not be \
             kept aligned)"
        ),
    };
    let range_loc = cx.loc(Span {
        start: f.r.span.start,
        end: f.r.body.span.start,
    });
    let d = cx.report(span, msg);
    d.label(
        range_loc,
        format!("every iteration of this loop stores into `{name}`"),
    );
    d.help(help);
    if let FixOutcome::Edits(edits) = fix {
        d.fix(Fix {
            title,
            applicability: Applicability::Safe,
            edits,
        });
    }
}

/// Source text on one line for a message: whitespace runs become one space.
fn one_line(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.char_indices().nth(48) {
        Some((i, _)) => format!("{}…", t[..i].trim_end_matches('…')),
        None => t,
    }
}

/// What `--fix` can do for one finding.
pub(crate) enum FixOutcome {
    /// Apply these edits.
    Edits(Vec<Edit>),
    /// Evaluating the operand at the creation is not safe.
    Unsafe,
    /// Another finding's fix (the map created on this 1-based line) includes this one: they
    /// share a block of aligned trailing comments.
    WithOther(u32),
    /// Trailing comments around the creation could not be kept gofmt-aligned.
    Layout,
}

/// Why no fix is offered for a finding.
pub(crate) enum NoFix {
    /// The operand has a call or side effects: `len(xs)` would evaluate it twice.
    SideEffects,
    /// A variable of the operand is declared after the creation, or (`true`) in the same
    /// statement.
    DeclaredAfter(ObjId, bool),
    /// A variable of the operand is assigned between the creation and the loop, or (`true`)
    /// by the creating statement.
    Assigned(ObjId, bool),
    /// The operand reads through a pointer, element or index, and the statements between
    /// may guard or change it.
    Guarded,
    /// The creating statement also makes calls, unordered with respect to `len(xs)`.
    SameStatement,
    /// The creation's text cannot be edited mechanically.
    Text,
}

/// A text edit: replace `start..end` by `text`.
#[derive(Clone, Debug)]
pub(crate) struct RawEdit {
    start: u32,
    end: u32,
    text: String,
}

/// The text edit adding `len(xs)`, when evaluating `xs` at the creation is safe.
fn fix_edit<'a>(
    cx: &FileCx<'_, 'a>,
    p: Pending<'a>,
    creation_stmt: Stmt<'a>,
    operand: Expr<'a>,
    between: &'a [Stmt<'a>],
) -> Result<RawEdit, NoFix> {
    let xs = cx.text(operand.span());
    let mut objs = Vec::new();
    let indirect = safe_operand(cx, operand, &mut objs).ok_or(NoFix::SideEffects)?;
    // Every variable must already be declared where the map is created.
    let created = creation_stmt.span();
    for &o in &objs {
        let ob = cx.c.obj(o);
        if !ob.package_level
            && ob.kind != ObjKind::Var(VarKind::Field)
            && ob.pos.file == cx.file
            && ob.pos.offset >= created.start
        {
            return Err(NoFix::DeclaredAfter(o, ob.pos.offset < created.end));
        }
    }
    // The creating statement itself (a multi-value form) may assign them, or make calls
    // that Go may order before or after `len(xs)`.
    let mut assigned = Vec::new();
    assigned_objs(cx, creation_stmt, &mut assigned);
    if let Some(&o) = objs.iter().find(|o| assigned.contains(o)) {
        return Err(NoFix::Assigned(o, true));
    }
    if !inert(cx, creation_stmt) {
        return Err(NoFix::SameStatement);
    }
    if !between.is_empty() {
        let mut assigned = Vec::new();
        for &s in between {
            assigned_objs(cx, s, &mut assigned);
        }
        if let Some(&o) = objs.iter().find(|o| assigned.contains(o)) {
            return Err(NoFix::Assigned(o, false));
        }
        // A statement in between may check a pointer for nil or an index against the length
        // before the loop reads through it (`if p == nil { return }`, `t.Fatal`), or change
        // the element read through an alias; evaluating it earlier could then panic or count
        // something else.
        if indirect && !between.iter().all(|&s| inert(cx, s) && plain_targets(s)) {
            return Err(NoFix::Guarded);
        }
    }
    let edit = match p.creation {
        Creation::Make(c) => {
            let arg_end = c.args[0].span().end;
            let rparen = c.span.end.checked_sub(1).ok_or(NoFix::Text)?;
            if cx.text(Span {
                start: rparen,
                end: c.span.end,
            }) != ")"
            {
                return Err(NoFix::Text);
            }
            let gap = cx.text(Span {
                start: arg_end,
                end: rparen,
            });
            // Only whitespace and an optional trailing comma (no comments) may be replaced.
            if gap.trim_start().trim_start_matches(',').trim() != "" || gap.matches(',').count() > 1
            {
                return Err(NoFix::Text);
            }
            RawEdit {
                start: arg_end,
                end: rparen,
                text: format!(", len({xs})"),
            }
        }
        Creation::Lit(l, ty) => {
            let inner = cx.text(Span {
                start: l.lbrace,
                end: l.span.end,
            });
            let inner = inner
                .strip_prefix('{')
                .and_then(|i| i.strip_suffix('}'))
                .ok_or(NoFix::Text)?;
            if !inner.trim().is_empty() {
                return Err(NoFix::Text);
            }
            RawEdit {
                start: l.span.start,
                end: l.span.end,
                text: format!("make({}, len({xs}))", cx.text(ty.span())),
            }
        }
    };
    if xs.contains('\n') {
        return Err(NoFix::Text);
    }
    Ok(edit)
}

/// Every assignment in `s` is to plain variables (no store through an index, a field or a
/// pointer, which could change what an aliasing operand reads).
fn plain_targets(s: Stmt<'_>) -> bool {
    let plain = |e: &Expr<'_>| matches!(e.unparen(), Expr::Ident(_));
    match s {
        Stmt::Assign(a) => a.lhs.iter().all(plain),
        Stmt::IncDec(d) => plain(&d.x),
        _ => true,
    }
}

/// A declaration or assignment that cannot leave the block early: no control flow, no calls
/// other than side-effect-free builtins.
fn inert(cx: &FileCx<'_, '_>, s: Stmt<'_>) -> bool {
    struct I<'x, 'c, 'a> {
        cx: &'x FileCx<'c, 'a>,
        ok: bool,
    }
    impl<'v> Visitor<'v> for I<'_, '_, '_> {
        fn visit_expr(&mut self, e: Expr<'v>) -> bool {
            match e {
                Expr::FuncLit(_) => false,
                Expr::Call(c) => {
                    let builtin = c.fun.unparen().as_ident().and_then(|f| self.cx.obj_of(f));
                    let pure = builtin.is_some_and(|o| {
                        matches!(
                            self.cx.c.obj(o).kind,
                            ObjKind::Builtin(
                                Builtin::Make
                                    | Builtin::New
                                    | Builtin::Len
                                    | Builtin::Cap
                                    | Builtin::Append
                                    | Builtin::Min
                                    | Builtin::Max
                            )
                        )
                    });
                    self.ok &= pure;
                    self.ok
                }
                Expr::Unary(u) if u.op == Tok::Arrow => {
                    self.ok = false;
                    false
                }
                _ => self.ok,
            }
        }
    }
    let simple = match s {
        Stmt::Assign(_) | Stmt::IncDec(_) | Stmt::Empty(_) => true,
        Stmt::Decl(d) => matches!(d.decl, ast::Decl::Gen(g) if g.tok != Tok::Import),
        _ => false,
    };
    if !simple {
        return false;
    }
    let mut v = I { cx, ok: true };
    visit::walk_stmt(&mut v, s);
    v.ok
}

/// The variables and fields of an operand that can be evaluated twice without side effects
/// (an identifier, `pkg.Var`, field selections, dereferences, index expressions and slicing
/// with side-effect-free indexes and bounds); returns whether it reads indirectly (through a
/// pointer, explicitly or by promotion through an embedded field, or a slice or map element,
/// or an index or bounds that may be out of range), or `None` for any other operand.
fn safe_operand(cx: &FileCx<'_, '_>, e: Expr<'_>, objs: &mut Vec<ObjId>) -> Option<bool> {
    match e.unparen() {
        Expr::Ident(i) => {
            let o = cx.obj_of(i)?;
            if !matches!(cx.c.obj(o).kind, ObjKind::Var(k) if k != VarKind::Field) {
                return None;
            }
            objs.push(o);
            Some(false)
        }
        Expr::Selector(s) => {
            let o = cx.obj_of(s.sel)?;
            if let Expr::Ident(base) = s.x.unparen() {
                if let Some(b) = cx.obj_of(base) {
                    if matches!(cx.c.obj(b).kind, ObjKind::PkgName(_)) {
                        if !matches!(cx.c.obj(o).kind, ObjKind::Var(VarKind::Var)) {
                            return None;
                        }
                        objs.push(o);
                        return Some(false);
                    }
                }
            }
            if cx.c.obj(o).kind != ObjKind::Var(VarKind::Field) {
                return None;
            }
            let inner = safe_operand(cx, s.x, objs)?;
            objs.push(o);
            Some(inner || !direct_field(cx, cx.type_of(s.x), o))
        }
        Expr::Star(st) => {
            safe_operand(cx, st.x, objs)?;
            Some(true)
        }
        Expr::Index(ix) => {
            if !is_container(cx, cx.type_of(ix.x)) {
                return None;
            }
            safe_operand(cx, ix.x, objs)?;
            pure_value(cx, ix.index, objs).then_some(true)
        }
        Expr::Slice(sl) => {
            if !is_container(cx, cx.type_of(sl.x)) {
                return None;
            }
            safe_operand(cx, sl.x, objs)?;
            [sl.low, sl.high, sl.max]
                .into_iter()
                .flatten()
                .all(|b| pure_value(cx, b, objs))
                .then_some(true)
        }
        _ => None,
    }
}

/// A slice, array, pointer to an array or map (what an index or slice expression of a range
/// operand may apply to; not a generic function being instantiated, not a string).
fn is_container(cx: &FileCx<'_, '_>, t: TypeId) -> bool {
    if t.is_unknown() {
        return false;
    }
    ranges_len_elements(cx, t)
}

/// An index or bound without side effects: literals, constants, operands as in
/// [`safe_operand`], arithmetic on them, and calls of `len`, `cap`, `min`, `max` and
/// conversions. Variables read are added to `objs`.
fn pure_value(cx: &FileCx<'_, '_>, e: Expr<'_>, objs: &mut Vec<ObjId>) -> bool {
    match e.unparen() {
        Expr::BasicLit(_) => true,
        Expr::Ident(i) => match cx.obj_of(i).map(|o| cx.c.obj(o).kind) {
            Some(ObjKind::Const) => true,
            _ => safe_operand(cx, e, objs).is_some(),
        },
        Expr::Selector(s) if cx.obj_of(s.sel).map(|o| cx.c.obj(o).kind) == Some(ObjKind::Const) => {
            true
        }
        Expr::Binary(b) => pure_value(cx, b.x, objs) && pure_value(cx, b.y, objs),
        Expr::Unary(u) => !matches!(u.op, Tok::Arrow | Tok::And) && pure_value(cx, u.x, objs),
        Expr::Call(c) => {
            if c.ellipsis.is_some() {
                return false;
            }
            let pure_fun = match c.fun.unparen() {
                Expr::Ident(f) => cx.obj_of(f).is_some_and(|o| {
                    matches!(
                        cx.c.obj(o).kind,
                        ObjKind::TypeName
                            | ObjKind::Builtin(
                                Builtin::Len | Builtin::Cap | Builtin::Min | Builtin::Max
                            )
                    )
                }),
                _ => false,
            };
            pure_fun && c.args.iter().all(|&a| pure_value(cx, a, objs))
        }
        _ => safe_operand(cx, e, objs).is_some(),
    }
}

/// `f` is a field declared directly in the struct type `t` (not a pointer, not promoted).
fn direct_field(cx: &FileCx<'_, '_>, t: TypeId, f: ObjId) -> bool {
    if t.is_unknown() {
        return false;
    }
    let u = cx.c.types.core(t);
    match cx.c.types.get(u) {
        Type::Struct(fields) => fields.iter().any(|fl| fl.obj == f),
        _ => false,
    }
}

/// Variables and fields that `s` may assign: left-hand sides, `++`/`--`, range variables
/// assigned with `=`, and operands of `&` (function literals included).
fn assigned_objs(cx: &FileCx<'_, '_>, s: Stmt<'_>, out: &mut Vec<ObjId>) {
    struct A<'x, 'c, 'a> {
        cx: &'x FileCx<'c, 'a>,
        out: &'x mut Vec<ObjId>,
    }
    impl A<'_, '_, '_> {
        fn target(&mut self, e: Expr<'_>) {
            match e.unparen() {
                Expr::Ident(i) => {
                    if let Some(o) = self.cx.obj_of(i) {
                        self.out.push(o);
                    }
                }
                Expr::Selector(s) => {
                    if let Some(o) = self.cx.obj_of(s.sel) {
                        self.out.push(o);
                    }
                    self.target(s.x);
                }
                Expr::Index(ix) => self.target(ix.x),
                Expr::Star(st) => self.target(st.x),
                _ => {}
            }
        }
    }
    impl<'v> Visitor<'v> for A<'_, '_, '_> {
        fn visit_stmt(&mut self, s: Stmt<'v>) -> bool {
            match s {
                Stmt::Assign(a) => {
                    for &l in a.lhs {
                        self.target(l);
                    }
                }
                Stmt::IncDec(d) => self.target(d.x),
                Stmt::Range(r) => {
                    for e in [r.key, r.value].into_iter().flatten() {
                        self.target(e);
                    }
                }
                _ => {}
            }
            true
        }
        fn visit_expr(&mut self, e: Expr<'v>) -> bool {
            if let Expr::Unary(u) = e {
                if u.op == Tok::And {
                    self.target(u.x);
                }
            }
            true
        }
    }
    let mut a = A { cx, out };
    visit::walk_stmt(&mut a, s);
}

/// Keeping trailing comments gofmt-aligned. gofmt aligns the `//` comments that end
/// consecutive lines into one column, one space after the longest code; a fix that lengthens
/// one of those lines must re-pad all of them.
mod align {
    use super::{FixOutcome, RawEdit};
    use crate::context::FileCx;
    use crate::diagnostic::Edit;
    use mapvet_syntax::lexer::Lexer;
    use mapvet_syntax::token::Tok;
    use mapvet_syntax::Span;

    /// One line of the region: where its code starts and ends, and its trailing `//`
    /// comment.
    #[derive(Clone, Copy, Default)]
    struct Line {
        start: u32,
        code: Option<(u32, u32)>,
        comment: Option<u32>,
        /// A token or block comment spans lines, or a `/*` comment is on it.
        complex: bool,
    }

    struct Layout {
        lines: Vec<Line>,
    }

    enum Block {
        /// The edited line has no trailing comment.
        None,
        /// Line indices of the aligned block.
        Lines(usize, usize),
        /// Cannot tell how gofmt would lay it out.
        Unknown,
    }

    impl Layout {
        /// Lexes the lines of `region` (a block or clause, so it starts at a token).
        fn new(src: &[u8], region: Span) -> Option<Layout> {
            let start = src[..region.start as usize]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let end = src[region.end as usize..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(src.len(), |p| region.end as usize + p);
            let text = &src[start..end];
            let mut lines = vec![Line {
                start: start as u32,
                ..Line::default()
            }];
            for (i, &b) in text.iter().enumerate() {
                if b == b'\n' {
                    lines.push(Line {
                        start: (start + i + 1) as u32,
                        ..Line::default()
                    });
                }
            }
            let starts: Vec<u32> = lines.iter().map(|l| l.start).collect();
            let line_of = |off: u32| starts.partition_point(|&st| st <= off) - 1;
            let mut lx = Lexer::new(text);
            let mut toks = Vec::new();
            loop {
                let t = lx.next_token();
                if t.tok == Tok::Eof {
                    break;
                }
                if t.tok == Tok::Semicolon && t.end == t.start {
                    continue;
                }
                toks.push((t.start + start as u32, t.end + start as u32));
            }
            if !lx.take_errors().is_empty() {
                return None;
            }
            let comments: Vec<Span> = lx.take_comments().into_iter().map(|c| c.span).collect();
            for (s, e) in toks {
                let (a, b) = (line_of(s), line_of(e.saturating_sub(1).max(s)));
                for l in &mut lines[a..=b] {
                    l.complex |= a != b;
                }
                let l = &mut lines[a];
                l.code = Some(match l.code {
                    None => (s, e),
                    Some((cs, ce)) => (cs.min(s), ce.max(e)),
                });
            }
            for c in comments {
                let (s, e) = (c.start + start as u32, c.end + start as u32);
                let (a, b) = (line_of(s), line_of(e.saturating_sub(1).max(s)));
                let line_comment = src[s as usize..].starts_with(b"//");
                if !line_comment || a != b {
                    for l in &mut lines[a..=b] {
                        l.complex = true;
                    }
                    continue;
                }
                let l = &mut lines[a];
                match l.code {
                    Some((_, ce)) if ce <= s => l.comment = Some(s),
                    _ => {}
                }
            }
            Some(Layout { lines })
        }

        fn line_of(&self, off: u32) -> usize {
            self.lines.partition_point(|l| l.start <= off) - 1
        }

        fn indent<'s>(&self, src: &'s [u8], i: usize) -> &'s [u8] {
            let l = self.lines[i];
            let cs = l.code.map_or(l.start, |c| c.0);
            &src[l.start as usize..cs as usize]
        }

        /// The block of consecutive commented lines holding offset `off`.
        fn block_of(&self, src: &[u8], off: u32) -> Block {
            let i = self.line_of(off);
            let l = self.lines[i];
            if l.comment.is_none() {
                return if l.complex {
                    Block::Unknown
                } else {
                    Block::None
                };
            }
            let ind = self.indent(src, i);
            if l.complex || ind.iter().any(|&b| b != b'\t' && b != b' ') {
                return Block::Unknown;
            }
            let fits = |j: usize| -> Option<bool> {
                let m = self.lines[j];
                if m.comment.is_none() {
                    return Some(false);
                }
                (!m.complex && self.indent(src, j) == ind).then_some(true)
            };
            let (mut a, mut b) = (i, i);
            loop {
                if a == 0 {
                    return Block::Unknown;
                }
                match fits(a - 1) {
                    Some(true) => a -= 1,
                    Some(false) => break,
                    None => return Block::Unknown,
                }
            }
            loop {
                if b + 1 >= self.lines.len() {
                    return Block::Unknown;
                }
                match fits(b + 1) {
                    Some(true) => b += 1,
                    Some(false) => break,
                    None => return Block::Unknown,
                }
            }
            Block::Lines(a, b)
        }
    }

    fn width(src: &[u8], a: u32, b: u32) -> usize {
        String::from_utf8_lossy(&src[a as usize..b as usize])
            .chars()
            .count()
    }

    /// The fixes of the findings of one statement list (`raw[i]` is finding `i`'s edit).
    pub(super) fn fixes(
        cx: &FileCx<'_, '_>,
        region: Span,
        raw: &[Option<RawEdit>],
    ) -> Vec<FixOutcome> {
        let src = cx.src;
        let mut out: Vec<FixOutcome> = Vec::with_capacity(raw.len());
        let mut layout: Option<Option<Layout>> = None;
        // (block first line, block last line, findings)
        let mut groups: Vec<(usize, usize, Vec<usize>)> = Vec::new();
        for (i, e) in raw.iter().enumerate() {
            let Some(e) = e else {
                out.push(FixOutcome::Unsafe);
                continue;
            };
            let plain = FixOutcome::Edits(vec![Edit {
                loc: cx.loc(Span::new(e.start, e.end)),
                replacement: e.text.clone(),
            }]);
            let eol = src[e.end as usize..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(src.len(), |p| e.end as usize + p);
            let rest = &src[e.end as usize..eol];
            if !rest.windows(2).any(|w| w == b"//" || w == b"/*") {
                out.push(plain);
                continue;
            }
            let Some(lay) = layout.get_or_insert_with(|| Layout::new(src, region)) else {
                out.push(FixOutcome::Layout);
                continue;
            };
            match lay.block_of(src, e.start) {
                Block::None => out.push(plain),
                Block::Unknown => out.push(FixOutcome::Layout),
                Block::Lines(a, b) => {
                    match groups.iter_mut().find(|g| g.0 == a) {
                        Some(g) => g.2.push(i),
                        None => groups.push((a, b, vec![i])),
                    }
                    out.push(FixOutcome::Layout); // replaced below
                }
            }
        }
        let Some(Some(lay)) = layout else {
            return out;
        };
        for (a, b, members) in groups {
            // Current layout must be gofmt's: one column, one space after the longest code.
            let mut col = None;
            let mut max_w = 0;
            let mut ok = true;
            let mut widths = Vec::new();
            for j in a..=b {
                let l = lay.lines[j];
                let (cs, ce) = l.code.expect("commented line has code");
                let cm = l.comment.expect("block line has a comment");
                let w = width(src, cs, ce);
                let gap = &src[ce as usize..cm as usize];
                ok &= !gap.is_empty() && gap.iter().all(|&c| c == b' ');
                let c = w + gap.len();
                ok &= *col.get_or_insert(c) == c;
                max_w = max_w.max(w);
                widths.push(w);
            }
            if !ok || col != Some(max_w + 1) {
                continue; // stays FixOutcome::Layout
            }
            let mut edits = Vec::new();
            for &m in &members {
                let e = raw[m].as_ref().expect("grouped findings have edits");
                let j = lay.line_of(e.start);
                let grow = e.text.chars().count() as isize - width(src, e.start, e.end) as isize;
                widths[j - a] = (widths[j - a] as isize + grow) as usize;
                edits.push(Edit {
                    loc: cx.loc(Span::new(e.start, e.end)),
                    replacement: e.text.clone(),
                });
            }
            let new_col = widths.iter().copied().max().unwrap_or(0) + 1;
            for j in a..=b {
                let l = lay.lines[j];
                let (_, ce) = l.code.expect("commented line has code");
                let cm = l.comment.expect("block line has a comment");
                let pad = new_col - widths[j - a];
                if pad != (cm - ce) as usize {
                    edits.push(Edit {
                        loc: cx.loc(Span::new(ce, cm)),
                        replacement: " ".repeat(pad),
                    });
                }
            }
            let first = members[0];
            let first_line = {
                let li = mapvet_syntax::LineIndex::new(src);
                li.line_col(raw[first].as_ref().map_or(0, |e| e.start)).0
            };
            out[first] = FixOutcome::Edits(edits);
            for &m in &members[1..] {
                out[m] = FixOutcome::WithOther(first_line);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use mapvet_semantic::load::BuildContext;
    use mapvet_semantic::program;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Runs MP003 on a one-file package: the number of diagnostics, and the text after
    /// applying the safe fixes (`None` when no fix was offered).
    fn run(src: &str) -> (usize, Option<String>) {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "mapvet_mp003_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.go"), src).unwrap();
        let mut ctx = BuildContext::host();
        ctx.tests = false;
        let sources = program::load_sources(std::slice::from_ref(&dir), &ctx);
        let out = program::with_checked_program(sources, |c| {
            let diags = crate::run(c, &|m| m.code == "MP003");
            let mut edits: Vec<(u32, u32, String)> = diags
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.applicability == Applicability::Safe)
                .flat_map(|f| f.edits.iter())
                .map(|e| (e.loc.span.start, e.loc.span.end, e.replacement.clone()))
                .collect();
            if edits.is_empty() {
                return (diags.len(), None);
            }
            edits.sort_by_key(|e| std::cmp::Reverse(e.0));
            let mut text = src.as_bytes().to_vec();
            for (s, e, r) in edits {
                text.splice(s as usize..e as usize, r.into_bytes());
            }
            (diags.len(), Some(String::from_utf8(text).unwrap()))
        });
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    const SRC: &str = r#"package p

type T struct{ Items []string }

func a(xs []string) map[string]int {
	m := make(map[string]int)
	for i, x := range xs {
		m[x] = i
	}
	return m
}

func b(t T) map[string]struct{} {
	s := map[string]struct{}{}
	for _, x := range t.Items {
		s[x] = struct{}{}
	}
	return s
}

func c(xs []string) map[string]bool {
	var seen = make(
		map[string]bool,
	)
	for _, x := range xs {
		seen[x] = true
	}
	return seen
}
"#;

    #[test]
    fn fix_is_idempotent() {
        let (n, fixed) = run(SRC);
        assert_eq!(n, 3);
        let fixed = fixed.expect("fixes offered");
        assert!(
            fixed.contains("m := make(map[string]int, len(xs))"),
            "{fixed}"
        );
        assert!(
            fixed.contains("s := make(map[string]struct{}, len(t.Items))"),
            "{fixed}"
        );
        assert!(fixed.contains("map[string]bool, len(xs))"), "{fixed}");
        // Re-checking the fixed text: the makes now have a size, nothing is reported and no
        // further fix is offered.
        let (n2, fixed2) = run(&fixed);
        assert_eq!(n2, 0, "{fixed}");
        assert_eq!(fixed2, None);
    }

    #[test]
    fn fix_keeps_trailing_comments_aligned() {
        let src = "package p\n\nfunc f(xs []string) (map[string]int, map[string]bool) {\n\tm := make(map[string]int)     // positions\n\tseen := make(map[string]bool) // seen\n\tn := 0                        // count\n\tfor i, x := range xs {\n\t\tm[x] = i + n\n\t\tseen[x] = true\n\t}\n\treturn m, seen\n}\n";
        let want = "package p\n\nfunc f(xs []string) (map[string]int, map[string]bool) {\n\tm := make(map[string]int, len(xs))     // positions\n\tseen := make(map[string]bool, len(xs)) // seen\n\tn := 0                                 // count\n\tfor i, x := range xs {\n\t\tm[x] = i + n\n\t\tseen[x] = true\n\t}\n\treturn m, seen\n}\n";
        let (n, fixed) = run(src);
        assert_eq!(n, 2);
        assert_eq!(fixed.as_deref(), Some(want));
        assert_eq!(run(want), (0, None));
    }

    #[test]
    fn unsafe_operand_gets_no_fix() {
        let src = "package p\n\nfunc f() []int { return nil }\n\nfunc g() map[int]bool {\n\tm := make(map[int]bool)\n\tfor _, x := range f() {\n\t\tm[x] = true\n\t}\n\treturn m\n}\n";
        assert_eq!(run(src), (1, None));
    }
}
