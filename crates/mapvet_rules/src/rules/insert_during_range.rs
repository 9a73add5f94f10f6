//! `MV007` `insert-during-range`.

use crate::context::FileCx;
use mapvet_semantic::objects::{Builtin, ObjId, ObjKind, VarKind};
use mapvet_syntax::ast::{self, Expr, Stmt};
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;

declare_rule! {
    /// ## What it does
    /// Finds stores of a possibly new key into the map that the enclosing `range` loop is
    /// iterating over: `m[k2] = v`, `m[k2] op= v`, `m[k2]++` inside `for k := range m`, where
    /// `k2` is not the loop's own key (or is the loop key after the body reassigned it, as in
    /// `k = strings.ToLower(k); m[k] = v`). "The same map" means the same variable, the
    /// same chain of field selections on the same variable, or the same index expression on
    /// them (`groups[g]`, indexed by the same variable, which the body does not reassign).
    ///
    /// Stores under the loop's own, unchanged key (and copies of it, also made in a
    /// multi-value `kk, vv := k, v`), `delete`, and a store that is immediately followed by
    /// leaving the loop (`return`, `break`, `panic`) are not reported.
    ///
    /// ## Why is this bad?
    /// The Go specification leaves it unspecified whether an entry added to a map during
    /// iteration is produced by that same iteration: "If a map entry is created during
    /// iteration, that entry may be produced during the iteration or may be skipped." The
    /// choice varies from run to run. That is harmless when the body is idempotent for the
    /// new key (visiting it again stores the same entry), but counters, appends, output, or
    /// keys derived again from the new key (`k+"x"`, then `k+"xx"`, ...) then give results
    /// that differ between runs — or a loop that keeps growing the map.
    ///
    /// ## Example
    /// ```go
    /// func addLower(headers map[string]int) {
    ///     for k, v := range headers {
    ///         headers[strings.ToLower(k)] += v // the new key may be visited too: counted twice
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func addLower(headers map[string]int) {
    ///     lower := make(map[string]int, len(headers))
    ///     for k, v := range headers {
    ///         lower[strings.ToLower(k)] += v
    ///     }
    ///     for k, v := range lower {
    ///         headers[k] += v
    ///     }
    /// }
    /// ```
    META { code: "MV007", name: "insert-during-range", severity: Hint,
           summary: "store of a possibly new key into the map being ranged over",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let ast = cx.ast;
    let mut v = RangeFinder {
        cx,
        labels: Vec::new(),
        active: Vec::new(),
        fn_depth: 0,
    };
    visit::walk_file(&mut v, ast);
}

/// Finds every `range` over a map expression that names a variable or a field chain.
struct RangeFinder<'x, 'c, 'a> {
    cx: &'x mut FileCx<'c, 'a>,
    /// (range statement start, label) of labeled range statements.
    labels: Vec<(u32, &'a str)>,
    /// Ranges being analysed that enclose the current statement: (end, function-literal
    /// depth, map). A range over the same map nested in one of them, in the same function,
    /// is covered by the outer analysis (whose loop key is also an existing key inside the
    /// inner loop).
    active: Vec<(u32, u32, Vec<Step>)>,
    /// Function literals around the current node.
    fn_depth: u32,
}

impl<'a> Visitor<'a> for RangeFinder<'_, '_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Labeled(l) => {
                if let Stmt::Range(r) = l.stmt {
                    self.labels.push((r.span.start, l.label.name));
                }
            }
            Stmt::Range(r) => {
                let t = self.cx.type_of(r.x);
                if self.cx.is_map(t) {
                    if let Some(path) = map_path(self.cx, r.x) {
                        self.active.retain(|(end, _, _)| *end > r.span.start);
                        let depth = self.fn_depth;
                        if self
                            .active
                            .iter()
                            .any(|(_, d, p)| *d == depth && *p == path)
                        {
                            return true;
                        }
                        let label = self
                            .labels
                            .iter()
                            .find(|(p, _)| *p == r.span.start)
                            .map(|(_, l)| *l);
                        check_range(self.cx, r, &path, label);
                        self.active.push((r.span.end, depth, path));
                    }
                }
            }
            _ => {}
        }
        true
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        if let Expr::FuncLit(_) = e {
            self.fn_depth += 1;
        }
        true
    }

    fn leave_expr(&mut self, e: Expr<'a>) {
        if let Expr::FuncLit(_) = e {
            self.fn_depth -= 1;
        }
    }
}

/// One step of a map's path: a variable or field, or an index into the container named by
/// the steps before it (by a variable; `None`: by any other expression).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Step {
    Obj(ObjId),
    Index(Option<ObjId>),
}

/// A map named by a variable, a chain of field selections on it and index expressions by
/// variables (`groups[g]`, `s.byKind[k].items`); dereferences are ignored: `(*p)[k]` and `p`
/// ranged as `*p` are the same map.
fn map_path(cx: &FileCx<'_, '_>, e: Expr<'_>) -> Option<Vec<Step>> {
    path_of(cx, e, false)
}

/// Like [`map_path`]; with `any_index`, an index by any expression is accepted (as
/// `Step::Index(None)`), for finding what an assignment may replace.
fn path_of(cx: &FileCx<'_, '_>, e: Expr<'_>, any_index: bool) -> Option<Vec<Step>> {
    match e.unparen() {
        Expr::Ident(i) => {
            let o = cx.obj_of(i)?;
            cx.c.obj(o).is_var().then(|| vec![Step::Obj(o)])
        }
        Expr::Selector(s) => {
            let o = cx.obj_of(s.sel)?;
            if let Expr::Ident(base) = s.x.unparen() {
                if let Some(b) = cx.obj_of(base) {
                    if matches!(cx.c.obj(b).kind, ObjKind::PkgName(_)) {
                        // pkg.Var
                        return cx.c.obj(o).is_var().then(|| vec![Step::Obj(o)]);
                    }
                }
            }
            if cx.c.obj(o).kind != ObjKind::Var(VarKind::Field) {
                return None;
            }
            let mut p = path_of(cx, s.x, any_index)?;
            p.push(Step::Obj(o));
            Some(p)
        }
        Expr::Index(ix) => {
            let by = match ix.index.unparen() {
                Expr::Ident(i) => cx.obj_of(i).filter(|&o| cx.c.obj(o).is_var()),
                _ => None,
            };
            if by.is_none() && !any_index {
                return None;
            }
            let mut p = path_of(cx, ix.x, any_index)?;
            p.push(Step::Index(by));
            Some(p)
        }
        Expr::Star(s) => path_of(cx, s.x, any_index),
        _ => None,
    }
}

/// May assigning the container named by `assigned` replace the map named by `path` (or one
/// that holds it)? Indexes are compared loosely: `groups[h] = x` may replace `groups[g]`.
fn replaces(assigned: &[Step], path: &[Step]) -> bool {
    assigned.len() <= path.len()
        && assigned.iter().zip(path).all(|(a, p)| match (a, p) {
            (Step::Index(_), Step::Index(_)) => true,
            _ => a == p,
        })
}

/// Facts about a range body gathered before looking at its stores.
#[derive(Default)]
struct BodyFacts {
    /// Assignments to variables: (variable, assigning statement, inside a function literal).
    assigns: Vec<(ObjId, Span, bool)>,
    /// Loops nested in the body (outside function literals).
    loops: Vec<Span>,
    /// `x := k` / `var x = k` (also one pair of a multi-value definition): (x, k, offset of
    /// the end of the definition).
    copies: Vec<(ObjId, ObjId, u32)>,
    /// Labels declared inside the body.
    labels: Vec<String>,
    has_goto: bool,
    /// Variables and field chains assigned as a whole (`m = other`, `s.m = nil`).
    assigned_paths: Vec<Vec<Step>>,
}

struct FactCollector<'x, 'c, 'a> {
    cx: &'x FileCx<'c, 'a>,
    facts: BodyFacts,
    in_closure: u32,
}

impl FactCollector<'_, '_, '_> {
    fn assigned(&mut self, e: Expr<'_>, at: Span) {
        if let Expr::Ident(i) = e.unparen() {
            if let Some(o) = self.cx.obj_of(i) {
                self.facts.assigns.push((o, at, self.in_closure > 0));
            }
        }
        if let Some(p) = path_of(self.cx, e, true) {
            self.facts.assigned_paths.push(p);
        }
    }

    /// `x := k` or one pair `x, y := k, v` of a definition with as many values as names.
    fn copy_pairs(&mut self, names: &[Expr<'_>], values: &[Expr<'_>], end: u32) {
        if self.in_closure > 0 || names.len() != values.len() {
            return;
        }
        for (&x, &k) in names.iter().zip(values) {
            if let (Expr::Ident(x), Expr::Ident(k)) = (x.unparen(), k.unparen()) {
                if let (Some(xo), Some(ko)) = (self.cx.obj_of(x), self.cx.obj_of(k)) {
                    self.facts.copies.push((xo, ko, end));
                }
            }
        }
    }

    /// An identifier on the left of `:=` is a new variable when it is declared right there.
    fn is_new_def(&self, e: Expr<'_>) -> bool {
        match e.unparen() {
            Expr::Ident(i) => self
                .cx
                .obj_of(i)
                .is_some_and(|o| self.cx.c.obj(o).pos.offset == i.pos),
            _ => false,
        }
    }
}

impl<'a> Visitor<'a> for FactCollector<'_, '_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        let at = s.span();
        match s {
            Stmt::Assign(a) => {
                if a.tok == Tok::Define {
                    self.copy_pairs(a.lhs, a.rhs, a.span.end);
                }
                for &l in a.lhs {
                    if a.tok != Tok::Define || !self.is_new_def(l) {
                        self.assigned(l, at);
                    }
                }
            }
            Stmt::IncDec(d) => self.assigned(d.x, at),
            Stmt::Range(r) => {
                if self.in_closure == 0 {
                    self.facts.loops.push(r.span);
                }
                if r.tok == Tok::Assign {
                    for e in [r.key, r.value].into_iter().flatten() {
                        self.assigned(e, at);
                    }
                }
            }
            Stmt::For(f) if self.in_closure == 0 => self.facts.loops.push(f.span),
            Stmt::Branch(b) if b.tok == Tok::Goto => self.facts.has_goto = true,
            Stmt::Labeled(l) => self.facts.labels.push(l.label.name.to_string()),
            Stmt::Decl(d) => {
                if let ast::Decl::Gen(g) = d.decl {
                    for spec in g.specs {
                        if let ast::Spec::Value(vs) = spec {
                            if vs.ty.is_none() {
                                let names: Vec<Expr<'_>> =
                                    vs.names.iter().map(|&n| Expr::Ident(n)).collect();
                                self.copy_pairs(&names, vs.values, vs.span.end);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        true
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        if let Expr::FuncLit(_) = e {
            self.in_closure += 1;
        }
        true
    }

    fn leave_expr(&mut self, e: Expr<'a>) {
        if let Expr::FuncLit(_) = e {
            self.in_closure -= 1;
        }
    }
}

/// A key variable known to hold a key that the range produced: the variable, and where the
/// value was produced (the range body's start, or the copy's definition).
#[derive(Clone, Copy)]
struct OwnKey {
    obj: ObjId,
    /// The value is produced afresh at this offset on every pass (assignments before it do
    /// not matter).
    from: u32,
    /// The range or copy statement that produced it, for nested-loop reasoning.
    scope: Span,
}

struct Analysis<'x, 'c, 'a> {
    cx: &'x mut FileCx<'c, 'a>,
    range: &'a ast::RangeStmt<'a>,
    path: &'x [Step],
    label: Option<&'a str>,
    facts: BodyFacts,
    own: Vec<OwnKey>,
}

fn check_range<'a>(
    cx: &mut FileCx<'_, 'a>,
    r: &'a ast::RangeStmt<'a>,
    path: &[Step],
    label: Option<&'a str>,
) {
    let mut fc = FactCollector {
        cx,
        facts: BodyFacts::default(),
        in_closure: 0,
    };
    visit::walk_stmt(&mut fc, Stmt::Block(r.body));
    let facts = fc.facts;
    // The map variable (or a variable or field on its chain) is replaced in the body: the
    // stores may go to another map.
    if facts.assigned_paths.iter().any(|a| replaces(a, path)) {
        return;
    }
    // A variable indexing the map's container is changed in the body (or by the range
    // itself): later stores through the same expression may go to another map.
    let index_vars: Vec<ObjId> = path
        .iter()
        .filter_map(|s| match s {
            Step::Index(o) => *o,
            Step::Obj(_) => None,
        })
        .collect();
    if !index_vars.is_empty() {
        let by_range = r.tok == Tok::Assign
            && [r.key, r.value].into_iter().flatten().any(|e| {
                matches!(e.unparen(), Expr::Ident(i)
                    if cx.obj_of(i).is_some_and(|o| index_vars.contains(&o)))
            });
        if by_range || facts.assigns.iter().any(|(o, _, _)| index_vars.contains(o)) {
            return;
        }
    }
    let mut own = Vec::new();
    if let Some(Expr::Ident(k)) = r.key.map(|k| k.unparen()) {
        if let Some(o) = cx.obj_of(k) {
            own.push(OwnKey {
                obj: o,
                from: r.body.span.start,
                scope: r.span,
            });
        }
    }
    let mut a = Analysis {
        cx,
        range: r,
        path,
        label,
        facts,
        own,
    };
    a.list(r.body.list, false, true);
}

impl<'a> Analysis<'_, '_, 'a> {
    /// Walks a statement list. `cont_exits`: control falling off the end of the list leaves
    /// the analysed loop for good; `break_exits`: an unlabeled `break` here does.
    fn list(&mut self, list: &'a [Stmt<'a>], cont_exits: bool, break_exits: bool) {
        for (i, &s) in list.iter().enumerate() {
            let next = list[i + 1..]
                .iter()
                .find(|s| !matches!(s, Stmt::Empty(_)))
                .copied();
            let c = match next {
                Some(n) => self.exits(n, break_exits),
                None => cont_exits,
            };
            self.stmt(s, c, break_exits);
        }
    }

    /// Does executing `s` leave the analysed loop for good?
    fn exits(&self, s: Stmt<'a>, break_exits: bool) -> bool {
        match s {
            Stmt::Return(_) => true,
            Stmt::Branch(b) => match (b.tok, b.label) {
                (Tok::Break, None) => break_exits,
                (Tok::Break | Tok::Continue, Some(l)) => {
                    if Some(l.name) == self.label {
                        b.tok == Tok::Break
                    } else {
                        // A label outside the body: leaves this loop. Inside: unknown.
                        !self.facts.labels.iter().any(|x| x == l.name)
                    }
                }
                _ => false,
            },
            Stmt::Expr(e) => match e.x.unparen() {
                Expr::Call(c) => match c.fun.unparen() {
                    Expr::Ident(f) => self
                        .cx
                        .obj_of(f)
                        .is_some_and(|o| self.cx.c.obj(o).kind == ObjKind::Builtin(Builtin::Panic)),
                    _ => false,
                },
                _ => false,
            },
            Stmt::Block(b) => b
                .list
                .iter()
                .find(|s| !matches!(s, Stmt::Empty(_)))
                .is_some_and(|&s| self.exits(s, break_exits)),
            _ => false,
        }
    }

    fn stmt(&mut self, s: Stmt<'a>, cont_exits: bool, break_exits: bool) {
        match s {
            Stmt::Assign(a) if a.tok != Tok::Define => {
                for &l in a.lhs {
                    self.store(l, a.span, cont_exits);
                }
            }
            Stmt::IncDec(d) => self.store(d.x, d.span, cont_exits),
            Stmt::Block(b) => self.list(b.list, cont_exits, break_exits),
            Stmt::Labeled(l) => self.stmt(l.stmt, cont_exits, break_exits),
            Stmt::If(i) => {
                if let Some(init) = i.init {
                    self.stmt(init, false, break_exits);
                }
                self.list(i.body.list, cont_exits, break_exits);
                if let Some(e) = i.else_ {
                    self.stmt(e, cont_exits, break_exits);
                }
            }
            Stmt::Switch(sw) => {
                if let Some(init) = sw.init {
                    self.stmt(init, false, break_exits);
                }
                self.clauses(sw.body, cont_exits);
            }
            Stmt::TypeSwitch(ts) => {
                if let Some(init) = ts.init {
                    self.stmt(init, false, break_exits);
                }
                self.clauses(ts.body, cont_exits);
            }
            Stmt::Select(sel) => self.clauses(sel.body, cont_exits),
            Stmt::For(f) => {
                if let Some(init) = f.init {
                    self.stmt(init, false, break_exits);
                }
                if let Some(post) = f.post {
                    self.stmt(post, false, false);
                }
                self.list(f.body.list, false, cont_exits);
            }
            Stmt::Range(r) => {
                let pushed = self.nested_range_key(r);
                self.list(r.body.list, false, cont_exits);
                if pushed {
                    self.own.pop();
                }
            }
            Stmt::CaseClause(_) | Stmt::CommClause(_) => {}
            _ => {}
        }
    }

    fn clauses(&mut self, body: &'a ast::BlockStmt<'a>, cont_exits: bool) {
        for &c in body.list {
            match c {
                Stmt::CaseClause(cc) => self.list(cc.body, cont_exits, cont_exits),
                Stmt::CommClause(cc) => {
                    if let Some(comm) = cc.comm {
                        self.stmt(comm, false, cont_exits);
                    }
                    self.list(cc.body, cont_exits, cont_exits);
                }
                _ => {}
            }
        }
    }

    /// A nested `range` over the same map produces existing keys too.
    fn nested_range_key(&mut self, r: &'a ast::RangeStmt<'a>) -> bool {
        if map_path(self.cx, r.x).as_deref() != Some(self.path) {
            return false;
        }
        let Some(Expr::Ident(k)) = r.key.map(|k| k.unparen()) else {
            return false;
        };
        let Some(o) = self.cx.obj_of(k) else {
            return false;
        };
        self.own.push(OwnKey {
            obj: o,
            from: r.body.span.start,
            scope: r.span,
        });
        true
    }

    /// The first assignment to `obj` that may change it between `from` (where it received a
    /// key of the map) and a use at `at`, within `scope`.
    fn reassignment(&self, obj: ObjId, from: u32, at: u32, scope: Span) -> Option<Span> {
        self.facts
            .assigns
            .iter()
            .filter(|(o, _, _)| *o == obj)
            .find(|&&(_, span, in_closure)| {
                let pos = span.start;
                if in_closure || self.facts.has_goto {
                    return true;
                }
                if pos < from {
                    return false;
                }
                if pos < at {
                    return true;
                }
                // After the use: reaches it only through a loop that holds both, nested
                // inside the scope that produced the key.
                self.facts.loops.iter().any(|l| {
                    l.start > scope.start
                        && l.end <= scope.end
                        && l.start <= at
                        && at < l.end
                        && l.start <= pos
                        && pos < l.end
                })
            })
            .map(|&(_, span, _)| span)
    }

    /// Is `key` (used at `at`) a key the range produced, unchanged? Otherwise, where was
    /// the loop key reassigned (if that is the reason)?
    fn key_status(&self, key: Expr<'_>, at: u32) -> KeyStatus {
        let Expr::Ident(i) = key.unparen() else {
            return KeyStatus::New;
        };
        let Some(o) = self.cx.obj_of(i) else {
            return KeyStatus::New;
        };
        self.obj_status(o, at, 0)
    }

    fn obj_status(&self, o: ObjId, at: u32, depth: u32) -> KeyStatus {
        if let Some(k) = self.own.iter().rev().find(|k| k.obj == o) {
            return match self.reassignment(o, k.from, at, k.scope) {
                None => KeyStatus::Own,
                Some(pos) => KeyStatus::Reassigned(pos),
            };
        }
        if depth > 8 {
            return KeyStatus::New;
        }
        // A copy `x := k` of a key, neither changed since.
        if let Some(&(_, src, def)) = self
            .facts
            .copies
            .iter()
            .find(|(x, _, def)| *x == o && *def <= at)
        {
            if matches!(self.obj_status(src, def, depth + 1), KeyStatus::Own)
                && self.reassignment(o, def, at, self.range.span).is_none()
            {
                return KeyStatus::Own;
            }
        }
        KeyStatus::New
    }

    fn store(&mut self, lhs: Expr<'a>, stmt: Span, cont_exits: bool) {
        let Expr::Index(ix) = lhs.unparen() else {
            return;
        };
        if !self.cx.is_map(self.cx.type_of(ix.x)) {
            return;
        }
        if map_path(self.cx, ix.x).as_deref() != Some(self.path) {
            return;
        }
        let status = self.key_status(ix.index, stmt.start);
        if matches!(status, KeyStatus::Own) || cont_exits {
            return;
        }
        let map = one_line(&self.cx.expr_text(ix.x.unparen()));
        let key = one_line(&self.cx.expr_text(ix.index));
        let why = match status {
            KeyStatus::Reassigned(_) => format!(
                "the loop key `{key}` was reassigned after the range produced it, so it may be \
                 a new key"
            ),
            _ => format!("key `{key}` may not be in the map yet"),
        };
        let msg = format!(
            "store into `{map}` while ranging over it: {why}; Go does not specify whether \
             entries added during iteration are produced by this same loop, so the new key may \
             or may not be visited — this matters only if the body is not idempotent for it \
             (counters, appends, output, or keys derived again from the new key)"
        );
        let range_span = Span {
            start: self.range.span.start,
            end: self.range.body.span.start,
        };
        let range_text = one_line(&self.cx.expr_text(self.range.x));
        let range_loc = self.cx.loc(range_span);
        let re_loc = match status {
            KeyStatus::Reassigned(span) => Some(self.cx.loc(span)),
            _ => None,
        };
        let shadow_loc = self.shadowing_decl(ix.index);
        let d = self.cx.report(ix.span, msg);
        d.label(range_loc, format!("ranging over `{range_text}` here"));
        if let Some(l) = re_loc {
            d.label(l, format!("`{key}` is reassigned here"));
        }
        if let Some(l) = shadow_loc {
            d.label(
                l,
                format!("this `{key}` is a new variable that shadows the loop key"),
            );
        }
        d.help(format!(
            "collect the new entries in a separate map and copy them into `{map}` after the loop"
        ));
    }
}

impl Analysis<'_, '_, '_> {
    /// When the key is a variable named like the loop key but declared in the body, where.
    fn shadowing_decl(&self, key: Expr<'_>) -> Option<crate::diagnostic::Loc> {
        let Expr::Ident(i) = key.unparen() else {
            return None;
        };
        let Some(Expr::Ident(k)) = self.range.key.map(|k| k.unparen()) else {
            return None;
        };
        let o = self.cx.obj_of(i)?;
        let ob = self.cx.c.obj(o);
        if k.name != i.name || self.cx.obj_of(k) == Some(o) || ob.pos.file != self.cx.file {
            return None;
        }
        let body = self.range.body.span;
        if ob.pos.offset < body.start || ob.pos.offset >= body.end {
            return None;
        }
        Some(self.cx.loc(Span {
            start: ob.pos.offset,
            end: ob.pos.offset + i.name.len() as u32,
        }))
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

enum KeyStatus {
    /// The key the range produced, unchanged.
    Own,
    /// The loop key, reassigned by this statement.
    Reassigned(Span),
    /// Any other key.
    New,
}
