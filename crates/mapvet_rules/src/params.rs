//! What a function does with a map, a pointer to a map, or a pointer-to-map field: shared by
//! `MV003` (lost-map-param-assign), `MV004` (lost-map-pointer-assign), `MP001`
//! (pointer-to-map-param) and `MP002` (pointer-to-map-field).
//!
//! [`UseWalker`] walks statements, expressions or single CFG nodes and classifies every
//! occurrence of a *target* (a variable, or a field selected on any value) by what the
//! occurrence does with it ([`UseKind`]): assigns it as a whole, stores into its entries, reads
//! entries back, takes the length, compares it with nil, prints it — or anything else
//! ([`UseKind::Other`]: passed to a call, returned, stored elsewhere, address taken, ...).
//! A `*t` dereference of a pointer target is classified the same way, with [`Use::deref`] set.
//!
//! [`lost_assignments`] is the flow-aware liveness analysis behind MV003 and MV004: for each
//! reassignment of a map (or pointer-to-map) parameter, which uses of the new value are reachable
//! on the CFG before the parameter is assigned again.

use mapvet_semantic::cfg::{Cfg, FuncBody, FuncKind, Node, NodeRef};
use mapvet_semantic::check::Checker;
use mapvet_semantic::objects::{Builtin, ObjId, ObjKind, VarKind};
use mapvet_semantic::types::{Type, TypeId};
use mapvet_syntax::ast::*;
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;
use rustc_hash::FxHashSet;

/// What one occurrence of a target does.
#[derive(Clone, Copy, Debug)]
pub(crate) enum UseKind<'a> {
    /// `t = rhs` as a whole (also `t, err = f()`, a `:=` redeclaration, a range key/value, a
    /// `select` receive, a keyed or positional composite-literal field). `rhs` is the value
    /// assigned when there is one per target, `None` when one multi-valued call (or a range)
    /// provides it; `all_rhs` is the whole right-hand side.
    Assign {
        rhs: Option<Expr<'a>>,
        all_rhs: &'a [Expr<'a>],
    },
    /// `t[k] = v`, `t[k] op= v`, `t[k]++`, `delete(t, k)`, `clear(t)`.
    Store,
    /// `t[k]` as a value (comma-ok included), `range t`.
    Read,
    /// `len(t)`, `cap(t)`.
    Len,
    /// `t == nil`, `t != nil`.
    NilCmp,
    /// An argument of a printing or logging call (`fmt.Print*`, `log.*`, `t.Logf`, ...).
    Print,
    /// Anything else: passed to a call, returned, sent, stored elsewhere, converted, address
    /// taken, compared with something else than nil, a method called on it, ...
    Other,
}

/// One occurrence of a target.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Use<'a> {
    /// Index of the target in [`Targets`].
    pub target: usize,
    /// The occurrence is `*t`; `kind` says what is done with the dereferenced map.
    pub deref: bool,
    pub kind: UseKind<'a>,
    /// The occurrence (`t`, or `*t` when `deref`).
    pub span: Span,
    /// Inside a function literal nested in the walked code.
    pub in_closure: bool,
}

/// What a [`UseWalker`] looks for.
#[derive(Clone, Copy)]
pub(crate) enum Targets<'t> {
    /// Identifiers denoting these variables.
    Vars(&'t [ObjId]),
    /// Selectors `x.f` (and composite-literal fields) denoting these fields.
    Fields(&'t [ObjId]),
}

/// The context an expression is evaluated in (what its value is used for).
#[derive(Clone, Copy)]
enum Cx<'a> {
    Value,
    /// Left-hand side of an assignment (or `++`/`--`, op-assignment: `rhs` = `None`, `all_rhs`
    /// empty).
    Lhs(Option<Expr<'a>>, &'a [Expr<'a>]),
    /// Base of an index expression that is assigned (`t[k] = v`).
    IndexStore,
    /// Base of an index expression used as a value.
    IndexRead,
    Len,
    /// First argument of `delete`, argument of `clear`.
    Clear,
    NilCmp,
    Print,
    Range,
}

/// Classifies target occurrences; results accumulate in [`UseWalker::uses`].
pub(crate) struct UseWalker<'w, 'a> {
    c: &'w Checker<'a>,
    file: u32,
    targets: Targets<'w>,
    closure_depth: u32,
    depth: u32,
    pub uses: Vec<Use<'a>>,
    /// The code nests deeper than the walker follows: some uses may be missing, so callers
    /// must not report.
    pub overflow: bool,
}

/// Nesting depth past which [`UseWalker`] stops (it recurses on the thread's stack).
const MAX_DEPTH: u32 = 600;

const NO_EXPRS: &[Expr<'static>] = &[];

impl<'w, 'a> UseWalker<'w, 'a> {
    pub fn new(c: &'w Checker<'a>, file: u32, targets: Targets<'w>) -> UseWalker<'w, 'a> {
        UseWalker {
            c,
            file,
            targets,
            closure_depth: 0,
            depth: 0,
            uses: Vec::new(),
            overflow: false,
        }
    }

    fn obj(&self, id: &Ident<'_>) -> Option<ObjId> {
        obj_in(self.c, self.file, id)
    }

    fn target_of(&self, e: Expr<'a>) -> Option<usize> {
        match (self.targets, e) {
            (Targets::Vars(vs), Expr::Ident(i)) => {
                let o = self.obj(i)?;
                vs.iter().position(|&v| v == o)
            }
            (Targets::Fields(fs), Expr::Selector(s)) => {
                let o = self.obj(s.sel)?;
                fs.iter().position(|&v| v == o)
            }
            _ => None,
        }
    }

    fn emit(&mut self, target: usize, deref: bool, cx: Cx<'a>, span: Span) {
        let kind = match cx {
            Cx::Value => UseKind::Other,
            Cx::Lhs(rhs, all_rhs) => UseKind::Assign { rhs, all_rhs },
            Cx::IndexStore | Cx::Clear => UseKind::Store,
            Cx::IndexRead | Cx::Range => UseKind::Read,
            Cx::Len => UseKind::Len,
            Cx::NilCmp => UseKind::NilCmp,
            Cx::Print => UseKind::Print,
        };
        self.uses.push(Use {
            target,
            deref,
            kind,
            span,
            in_closure: self.closure_depth > 0,
        });
    }

    /// Walks an expression evaluated as a value.
    pub fn expr(&mut self, e: Expr<'a>) {
        self.walk(e, Cx::Value);
    }

    fn walk(&mut self, e: Expr<'a>, cx: Cx<'a>) {
        if self.depth >= MAX_DEPTH {
            self.overflow = true;
            return;
        }
        self.depth += 1;
        self.walk_inner(e, cx);
        self.depth -= 1;
    }

    fn walk_inner(&mut self, e: Expr<'a>, cx: Cx<'a>) {
        let e = e.unparen();
        if let Some(t) = self.target_of(e) {
            self.emit(t, false, cx, e.span());
            if let Expr::Selector(s) = e {
                self.walk(s.x, Cx::Value);
            }
            return;
        }
        if let Expr::Star(st) = e {
            let x = st.x.unparen();
            if let Some(t) = self.target_of(x) {
                self.emit(t, true, cx, e.span());
                if let Expr::Selector(s) = x {
                    self.walk(s.x, Cx::Value);
                }
                return;
            }
        }
        match e {
            Expr::Bad(_) | Expr::Ident(_) | Expr::BasicLit(_) | Expr::Ellipsis(_) => {}
            Expr::ArrayType(_)
            | Expr::StructType(_)
            | Expr::FuncType(_)
            | Expr::InterfaceType(_)
            | Expr::MapType(_)
            | Expr::ChanType(_) => {}
            Expr::Paren(p) => self.walk(p.x, cx),
            Expr::Index(ix) => {
                let base = if matches!(cx, Cx::Lhs(..)) {
                    Cx::IndexStore
                } else {
                    Cx::IndexRead
                };
                self.walk(ix.x, base);
                self.walk(ix.index, Cx::Value);
            }
            Expr::IndexList(ix) => {
                self.walk(ix.x, Cx::Value);
                for &i in ix.indices {
                    self.walk(i, Cx::Value);
                }
            }
            Expr::Call(call) => self.call(call),
            Expr::Binary(b) => {
                if matches!(b.op, Tok::Eql | Tok::Neq) {
                    if self.is_nil(b.y) {
                        self.walk(b.x, Cx::NilCmp);
                        return;
                    }
                    if self.is_nil(b.x) {
                        self.walk(b.y, Cx::NilCmp);
                        return;
                    }
                }
                self.walk(b.x, Cx::Value);
                self.walk(b.y, Cx::Value);
            }
            Expr::Unary(u) => self.walk(u.x, Cx::Value),
            Expr::Star(st) => self.walk(st.x, Cx::Value),
            Expr::Selector(s) => self.walk(s.x, Cx::Value),
            Expr::TypeAssert(ta) => self.walk(ta.x, Cx::Value),
            Expr::Slice(s) => {
                self.walk(s.x, Cx::Value);
                for x in [s.low, s.high, s.max].into_iter().flatten() {
                    self.walk(x, Cx::Value);
                }
            }
            Expr::KeyValue(kv) => {
                self.walk(kv.key, Cx::Value);
                self.walk(kv.value, Cx::Value);
            }
            Expr::CompositeLit(cl) => self.composite(cl),
            Expr::FuncLit(fl) => {
                self.closure_depth += 1;
                self.block(fl.body);
                self.closure_depth -= 1;
            }
        }
    }

    fn is_nil(&self, e: Expr<'a>) -> bool {
        match e.unparen() {
            Expr::Ident(i) => self
                .obj(i)
                .is_some_and(|o| self.c.obj(o).kind == ObjKind::Nil),
            _ => false,
        }
    }

    fn composite(&mut self, cl: &'a CompositeLit<'a>) {
        // Fields of a struct literal are assignments to those fields.
        if let Targets::Fields(fs) = self.targets {
            let t = type_in(self.c, self.file, cl.id);
            let fields = match self.c.types.get(self.c.types.core(t)) {
                Type::Struct(f) => Some(f),
                Type::Pointer(p) => match self.c.types.get(self.c.types.core(*p)) {
                    Type::Struct(f) => Some(f),
                    _ => None,
                },
                _ => None,
            };
            if let Some(fields) = fields {
                for (i, &el) in cl.elts.iter().enumerate() {
                    let (field, value) = match el {
                        Expr::KeyValue(kv) => {
                            let f = match kv.key {
                                Expr::Ident(k) => self.obj(k),
                                _ => None,
                            };
                            (f, kv.value)
                        }
                        _ => (fields.get(i).map(|f| f.obj), el),
                    };
                    if let Some(t) = field.and_then(|f| fs.iter().position(|&v| v == f)) {
                        let all: &'a [Expr<'a>] = std::slice::from_ref(match el {
                            Expr::KeyValue(kv) => &kv.value,
                            _ => &cl.elts[i],
                        });
                        self.emit(t, false, Cx::Lhs(Some(value), all), el.span());
                    }
                    self.walk(value, Cx::Value);
                }
                return;
            }
        }
        for &el in cl.elts {
            self.walk(el, Cx::Value);
        }
    }

    fn call(&mut self, call: &'a CallExpr<'a>) {
        let callee = callee_obj(self.c, self.file, call.fun);
        let builtin = callee.and_then(|o| match self.c.obj(o).kind {
            ObjKind::Builtin(b) => Some(b),
            _ => None,
        });
        match builtin {
            Some(Builtin::Len | Builtin::Cap) => {
                for &a in call.args {
                    self.walk(a, Cx::Len);
                }
                return;
            }
            Some(Builtin::Delete | Builtin::Clear) => {
                for (i, &a) in call.args.iter().enumerate() {
                    self.walk(a, if i == 0 { Cx::Clear } else { Cx::Value });
                }
                return;
            }
            Some(Builtin::Print | Builtin::Println) => {
                for &a in call.args {
                    self.walk(a, Cx::Print);
                }
                return;
            }
            Some(Builtin::New | Builtin::Make) => {
                for &a in call.args.iter().skip(1) {
                    self.walk(a, Cx::Value);
                }
                return;
            }
            _ => {}
        }
        let print = callee.is_some_and(|o| is_print_func(self.c, o));
        self.walk(call.fun, Cx::Value);
        for &a in call.args {
            self.walk(a, if print { Cx::Print } else { Cx::Value });
        }
    }

    // -- Statements -------------------------------------------------------------------------

    pub fn block(&mut self, b: &'a BlockStmt<'a>) {
        for &s in b.list {
            self.stmt(s);
        }
    }

    /// Walks a statement and everything nested in it.
    pub fn stmt(&mut self, s: Stmt<'a>) {
        if self.depth >= MAX_DEPTH {
            self.overflow = true;
            return;
        }
        self.depth += 1;
        self.stmt_inner(s);
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, s: Stmt<'a>) {
        match s {
            Stmt::Bad(_) | Stmt::Empty(_) | Stmt::Branch(_) => {}
            Stmt::Decl(d) => self.decl_stmt(d),
            Stmt::Labeled(l) => self.stmt(l.stmt),
            Stmt::Expr(x) => self.walk(x.x, Cx::Value),
            Stmt::Send(x) => {
                self.walk(x.chan, Cx::Value);
                self.walk(x.value, Cx::Value);
            }
            Stmt::IncDec(x) => self.walk(x.x, Cx::Lhs(None, NO_EXPRS)),
            Stmt::Assign(a) => self.assign(a),
            Stmt::Go(g) => self.walk(Expr::Call(g.call), Cx::Value),
            Stmt::Defer(d) => self.walk(Expr::Call(d.call), Cx::Value),
            Stmt::Return(r) => {
                for &e in r.results {
                    self.walk(e, Cx::Value);
                }
            }
            Stmt::Block(b) => self.block(b),
            Stmt::If(i) => {
                if let Some(init) = i.init {
                    self.stmt(init);
                }
                self.walk(i.cond, Cx::Value);
                self.block(i.body);
                if let Some(e) = i.else_ {
                    self.stmt(e);
                }
            }
            Stmt::CaseClause(cc) => {
                for &e in cc.list {
                    self.walk(e, Cx::Value);
                }
                for &s in cc.body {
                    self.stmt(s);
                }
            }
            Stmt::Switch(sw) => {
                if let Some(init) = sw.init {
                    self.stmt(init);
                }
                if let Some(t) = sw.tag {
                    self.walk(t, Cx::Value);
                }
                self.block(sw.body);
            }
            Stmt::TypeSwitch(ts) => {
                if let Some(init) = ts.init {
                    self.stmt(init);
                }
                self.type_switch_guard(ts);
                self.block(ts.body);
            }
            Stmt::CommClause(cc) => {
                if let Some(comm) = cc.comm {
                    self.stmt(comm);
                }
                for &s in cc.body {
                    self.stmt(s);
                }
            }
            Stmt::Select(sel) => self.block(sel.body),
            Stmt::For(f) => {
                if let Some(init) = f.init {
                    self.stmt(init);
                }
                if let Some(c) = f.cond {
                    self.walk(c, Cx::Value);
                }
                if let Some(p) = f.post {
                    self.stmt(p);
                }
                self.block(f.body);
            }
            Stmt::Range(r) => {
                self.walk(r.x, Cx::Range);
                self.range_lhs(r);
                self.block(r.body);
            }
        }
    }

    fn range_lhs(&mut self, r: &'a RangeStmt<'a>) {
        for e in [r.key, r.value].into_iter().flatten() {
            self.walk(e, Cx::Lhs(None, std::slice::from_ref(&r.x)));
        }
    }

    fn type_switch_guard(&mut self, ts: &'a TypeSwitchStmt<'a>) {
        match ts.assign {
            Stmt::Assign(a) => {
                for &r in a.rhs {
                    self.walk(r, Cx::Value);
                }
            }
            Stmt::Expr(x) => self.walk(x.x, Cx::Value),
            _ => {}
        }
    }

    fn decl_stmt(&mut self, d: &'a DeclStmt<'a>) {
        if let Decl::Gen(g) = d.decl {
            for spec in g.specs {
                if let Spec::Value(vs) = spec {
                    for &v in vs.values {
                        self.walk(v, Cx::Value);
                    }
                }
            }
        }
    }

    fn assign(&mut self, a: &'a AssignStmt<'a>) {
        for &r in a.rhs {
            self.walk(r, Cx::Value);
        }
        let plain = matches!(a.tok, Tok::Assign | Tok::Define);
        for (i, &l) in a.lhs.iter().enumerate() {
            let cx = if !plain {
                Cx::Lhs(None, NO_EXPRS)
            } else if a.lhs.len() == a.rhs.len() {
                Cx::Lhs(Some(a.rhs[i]), a.rhs)
            } else {
                Cx::Lhs(None, a.rhs)
            };
            self.walk(l, cx);
        }
    }

    /// Walks what a CFG node evaluates (for statements nested in the node's statement, such as
    /// the bodies of function literals, everything; control nodes only their own expressions).
    pub fn node(&mut self, n: &Node<'a>) {
        match *n {
            Node::Assign(_)
            | Node::Expr(_)
            | Node::IncDec(_)
            | Node::Send(_)
            | Node::Decl(_)
            | Node::Go(_)
            | Node::Defer(_)
            | Node::Return(_) => {
                if let Some(s) = n.as_stmt() {
                    self.stmt(s);
                }
            }
            Node::Cond(e) => self.walk(e, Cx::Value),
            Node::SwitchTag(s) => {
                if let Some(t) = s.tag {
                    self.walk(t, Cx::Value);
                }
            }
            Node::Case { expr, .. } => self.walk(expr, Cx::Value),
            Node::TypeSwitchGuard(ts) => self.type_switch_guard(ts),
            Node::TypeCase { .. } | Node::RunDefer(_) => {}
            Node::RangeOperand(r) => self.walk(r.x, Cx::Range),
            Node::RangeNext(r) => self.range_lhs(r),
            Node::Select(sel) => {
                for &cl in sel.body.list {
                    let Stmt::CommClause(cc) = cl else { continue };
                    match cc.comm {
                        Some(Stmt::Send(s)) => {
                            self.walk(s.chan, Cx::Value);
                            self.walk(s.value, Cx::Value);
                        }
                        Some(Stmt::Expr(x)) => self.walk(x.x, Cx::Value),
                        Some(Stmt::Assign(a)) => {
                            for &r in a.rhs {
                                self.walk(r, Cx::Value);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Node::Comm { clause, .. } => {
                if let Some(Stmt::Assign(a)) = clause.comm {
                    for &l in a.lhs {
                        self.walk(l, Cx::Lhs(None, a.rhs));
                    }
                }
            }
        }
    }
}

// -- Small helpers ----------------------------------------------------------------------------

pub(crate) fn obj_in(c: &Checker<'_>, file: u32, id: &Ident<'_>) -> Option<ObjId> {
    c.infos[file as usize]
        .ident_objs
        .get(id.id.index())
        .copied()
        .filter(|o| !o.is_none())
}

pub(crate) fn type_in(c: &Checker<'_>, file: u32, id: NodeId) -> TypeId {
    c.infos[file as usize]
        .expr_types
        .get(id.index())
        .copied()
        .unwrap_or(TypeId::UNKNOWN)
}

/// The object a call's function expression denotes (`f`, `pkg.F`, `x.M`, `f[T]`).
pub(crate) fn callee_obj(c: &Checker<'_>, file: u32, fun: Expr<'_>) -> Option<ObjId> {
    let mut f = fun.unparen();
    loop {
        match f {
            Expr::Ident(i) => return obj_in(c, file, i),
            Expr::Selector(s) => return obj_in(c, file, s.sel),
            Expr::Index(ix) => f = ix.x.unparen(),
            Expr::IndexList(ix) => f = ix.x.unparen(),
            _ => return None,
        }
    }
}

/// Import path of the package an object belongs to ("" for universe objects).
pub(crate) fn pkg_path<'c>(c: &'c Checker<'_>, o: ObjId) -> &'c str {
    c.obj(o)
        .pkg
        .and_then(|p| c.pkgs.get(p.0 as usize))
        .map_or("", |p| p.desc.import_path.as_str())
}

/// Printing and logging functions: passing a map to them neither keeps it nor reads entries
/// back for the program. `fmt.Print*`/`Fprint*`/`Sprint*`/`Append*`/`Errorf`, and functions or
/// methods named like logging calls (`log.Printf`, `t.Logf`, `logger.Infof`, `slog.Debug`, ...).
fn is_print_func(c: &Checker<'_>, o: ObjId) -> bool {
    let ob = c.obj(o);
    if ob.kind != ObjKind::Func {
        return false;
    }
    let n = ob.name;
    if pkg_path(c, o) == "fmt" {
        return ["Print", "Fprint", "Sprint", "Append"]
            .iter()
            .any(|p| n.starts_with(p))
            || n == "Errorf";
    }
    let base = n
        .strip_suffix("ln")
        .or_else(|| n.strip_suffix('f'))
        .or_else(|| n.strip_suffix('w'))
        .unwrap_or(n);
    matches!(
        base,
        "Print"
            | "Log"
            | "Debug"
            | "Info"
            | "Warn"
            | "Warning"
            | "Error"
            | "Fatal"
            | "Panic"
            | "Trace"
            | "Notice"
            | "Skip"
    )
}

/// Whether `e` (through parentheses) is a call of the builtin `b`.
pub(crate) fn is_builtin_call(c: &Checker<'_>, file: u32, e: Expr<'_>, b: Builtin) -> bool {
    match e.unparen() {
        Expr::Call(call) => {
            callee_obj(c, file, call.fun).is_some_and(|o| c.obj(o).kind == ObjKind::Builtin(b))
        }
        _ => false,
    }
}

pub(crate) fn is_nil(c: &Checker<'_>, file: u32, e: Expr<'_>) -> bool {
    match e.unparen() {
        Expr::Ident(i) => obj_in(c, file, i).is_some_and(|o| c.obj(o).kind == ObjKind::Nil),
        _ => false,
    }
}

/// A local variable declared in a function (not a parameter, result, receiver, field or
/// package-level variable).
pub(crate) fn is_plain_local(c: &Checker<'_>, o: ObjId) -> bool {
    let ob = c.obj(o);
    ob.kind == ObjKind::Var(VarKind::Var) && !ob.package_level
}

/// The named, non-blank parameters (and the receiver) whose type satisfies `keep` (never called
/// with Unknown), with their objects.
pub(crate) fn params_where<'a>(
    c: &Checker<'a>,
    file: u32,
    recv: Option<&'a FieldList<'a>>,
    params: &'a FieldList<'a>,
    keep: impl Fn(TypeId) -> bool,
) -> Vec<(&'a Ident<'a>, ObjId)> {
    let mut out = Vec::new();
    for list in recv.into_iter().chain(std::iter::once(params)) {
        for field in list.list {
            // The names of one field share its type: look at it once.
            let Some(first) = field.names.first() else {
                continue;
            };
            let t = obj_in(c, file, first).map_or(TypeId::UNKNOWN, |o| c.obj(o).ty);
            if t.is_unknown() || !keep(t) {
                continue;
            }
            for &n in field.names {
                if n.is_blank() {
                    continue;
                }
                if let Some(o) = obj_in(c, file, n) {
                    out.push((n, o));
                }
            }
        }
    }
    out
}

// -- Definitions of local variables (for "derived from the parameter") -------------------------

/// Every assignment to a local variable in a function body (closures included), flow
/// insensitively: which variable, the value assigned to it (`None` when it comes from a
/// multi-valued call, a range or a type switch), and the expressions the value is computed from.
pub(crate) struct Defs<'a> {
    pub defs: Vec<Def<'a>>,
}

pub(crate) struct Def<'a> {
    /// The variable, or the declaration offset of a type-switch symbol (one object per clause).
    pub lhs: DefLhs,
    pub value: Option<Expr<'a>>,
    /// `var x T` without a value (the zero value).
    pub zero: bool,
    pub from: &'a [Expr<'a>],
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DefLhs {
    Obj(ObjId),
    TypeSwitchSym(u32),
}

struct DefCollector<'c, 'a> {
    c: &'c Checker<'a>,
    file: u32,
    out: Vec<Def<'a>>,
}

impl<'a> Visitor<'a> for DefCollector<'_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Assign(a) => {
                for (i, &l) in a.lhs.iter().enumerate() {
                    let Expr::Ident(id) = l.unparen() else {
                        continue;
                    };
                    let Some(o) = obj_in(self.c, self.file, id) else {
                        continue;
                    };
                    let value = if a.lhs.len() == a.rhs.len()
                        && matches!(a.tok, Tok::Assign | Tok::Define)
                    {
                        Some(a.rhs[i])
                    } else {
                        None
                    };
                    self.out.push(Def {
                        lhs: DefLhs::Obj(o),
                        value,
                        zero: false,
                        from: a.rhs,
                    });
                }
            }
            Stmt::Range(r) => {
                for e in [r.key, r.value].into_iter().flatten() {
                    let Expr::Ident(id) = e.unparen() else {
                        continue;
                    };
                    let Some(o) = obj_in(self.c, self.file, id) else {
                        continue;
                    };
                    self.out.push(Def {
                        lhs: DefLhs::Obj(o),
                        value: None,
                        zero: false,
                        from: std::slice::from_ref(&r.x),
                    });
                }
            }
            Stmt::TypeSwitch(ts) => {
                if let Stmt::Assign(a) = ts.assign {
                    if let Some(Expr::Ident(id)) = a.lhs.first() {
                        self.out.push(Def {
                            lhs: DefLhs::TypeSwitchSym(id.pos),
                            value: None,
                            zero: false,
                            from: a.rhs,
                        });
                    }
                }
            }
            Stmt::Decl(d) => {
                if let Decl::Gen(g) = d.decl {
                    for spec in g.specs {
                        let Spec::Value(vs) = spec else { continue };
                        for (i, &n) in vs.names.iter().enumerate() {
                            let Some(o) = obj_in(self.c, self.file, n) else {
                                continue;
                            };
                            let value = if vs.values.len() == vs.names.len() {
                                Some(vs.values[i])
                            } else {
                                None
                            };
                            self.out.push(Def {
                                lhs: DefLhs::Obj(o),
                                value,
                                zero: vs.values.is_empty(),
                                from: vs.values,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
        true
    }
}

impl<'a> Defs<'a> {
    pub fn collect(c: &Checker<'a>, file: u32, body: &'a BlockStmt<'a>) -> Defs<'a> {
        let mut dc = DefCollector {
            c,
            file,
            out: Vec::new(),
        };
        visit::walk_stmt(&mut dc, Stmt::Block(body));
        Defs { defs: dc.out }
    }

    /// The variables whose value may be derived from `root` through local assignments
    /// (`next := m[k].(map[string]any)`, `for _, v := range m`, `x := f(m)`, ...).
    pub fn derived_from(&self, c: &Checker<'a>, file: u32, root: ObjId) -> Derived {
        let mut d = Derived {
            objs: FxHashSet::default(),
            sym_offsets: FxHashSet::default(),
            file,
        };
        d.objs.insert(root);
        loop {
            let mut changed = false;
            for def in &self.defs {
                let already = match def.lhs {
                    DefLhs::Obj(o) => d.objs.contains(&o),
                    DefLhs::TypeSwitchSym(off) => d.sym_offsets.contains(&off),
                };
                if already || !def.from.iter().any(|&e| d.mentioned_in(c, e, false)) {
                    continue;
                }
                match def.lhs {
                    DefLhs::Obj(o) => {
                        d.objs.insert(o);
                    }
                    DefLhs::TypeSwitchSym(off) => {
                        d.sym_offsets.insert(off);
                    }
                }
                changed = true;
            }
            if !changed {
                return d;
            }
        }
    }

    /// Whether every value ever assigned to local `o` is a fresh map (`make`, a literal,
    /// `nil`, the zero value of `var o T`).
    pub fn all_fresh_maps(&self, c: &Checker<'a>, file: u32, o: ObjId) -> bool {
        let mut any = false;
        for d in &self.defs {
            if d.lhs != DefLhs::Obj(o) {
                continue;
            }
            any = true;
            let fresh = d.zero || d.value.is_some_and(|v| is_fresh_map(c, file, v));
            if !fresh {
                return false;
            }
        }
        any
    }
}

/// A set of local variables derived from a parameter (see [`Defs::derived_from`]).
pub(crate) struct Derived {
    objs: FxHashSet<ObjId>,
    sym_offsets: FxHashSet<u32>,
    file: u32,
}

impl Derived {
    fn contains(&self, c: &Checker<'_>, o: ObjId) -> bool {
        if self.objs.contains(&o) {
            return true;
        }
        let ob = c.obj(o);
        !self.sym_offsets.is_empty()
            && ob.pos.file == self.file
            && self.sym_offsets.contains(&ob.pos.offset)
    }

    /// Whether `e` mentions one of the variables. With `skip_len`, an operand of `len`/`cap`
    /// does not count (`make(map[K]V, len(m))` is a new map, not derived from `m`).
    pub fn mentioned_in(&self, c: &Checker<'_>, e: Expr<'_>, skip_len: bool) -> bool {
        struct M<'d, 'c, 'x> {
            d: &'d Derived,
            c: &'c Checker<'x>,
            skip_len: bool,
            found: bool,
        }
        impl<'a> Visitor<'a> for M<'_, '_, '_> {
            fn visit_expr(&mut self, e: Expr<'a>) -> bool {
                if self.found {
                    return false;
                }
                match e {
                    Expr::Ident(i) => {
                        if let Some(o) = obj_in(self.c, self.d.file, i) {
                            if self.d.contains(self.c, o) {
                                self.found = true;
                            }
                        }
                        false
                    }
                    Expr::Call(call) if self.skip_len => {
                        let len = callee_obj(self.c, self.d.file, call.fun).is_some_and(|o| {
                            matches!(
                                self.c.obj(o).kind,
                                ObjKind::Builtin(Builtin::Len | Builtin::Cap)
                            )
                        });
                        !len
                    }
                    _ => true,
                }
            }
        }
        let mut m = M {
            d: self,
            c,
            skip_len,
            found: false,
        };
        visit::walk_expr(&mut m, e);
        m.found
    }
}

/// `make(...)`, a composite literal, `nil`, or a conversion of one of them (`Set(nil)`).
pub(crate) fn is_fresh_map(c: &Checker<'_>, file: u32, e: Expr<'_>) -> bool {
    let mut e = e;
    // A loop rather than recursion: conversions may nest arbitrarily deep.
    loop {
        match e.unparen() {
            Expr::CompositeLit(_) => return true,
            Expr::Ident(_) => return is_nil(c, file, e),
            Expr::Call(call) => {
                let Some(o) = callee_obj(c, file, call.fun) else {
                    return false;
                };
                match c.obj(o).kind {
                    ObjKind::Builtin(Builtin::Make) => return true,
                    ObjKind::TypeName if call.args.len() == 1 => e = call.args[0],
                    _ => return false,
                }
            }
            _ => return false,
        }
    }
}

// -- MV003 / MV004: reassigned parameters whose new value is lost -----------------------------

/// A reassignment of a parameter whose new value never reaches anything but stores, length,
/// nil checks and printing (or nothing at all) before the function returns.
pub(crate) struct LostAssign<'a> {
    pub param: &'a Ident<'a>,
    pub param_obj: ObjId,
    /// The assignment statement (or range/select clause) that reassigns the parameter.
    pub at: Span,
    /// The new value was never used at all (a dead store).
    pub dead: bool,
    /// The first store into the new map (or, for a pointer, through it) that is lost.
    pub first_store: Option<Span>,
    /// The value assigned, when there is one per target.
    pub rhs: Option<Expr<'a>>,
}

/// The function literals of a body that run only inside it: called on the spot
/// (`func() {...}()`), deferred (`defer func() {...}()`), or bound to a local variable that
/// is only ever called (`add := func(k string) {...}; add(a)`).
struct LocalLits {
    spans: Vec<Span>,
    /// Literals that may run elsewhere (`go`, passed on, returned, stored).
    escaping: Vec<Span>,
}

impl LocalLits {
    fn collect<'a>(c: &Checker<'a>, file: u32, body: &'a BlockStmt<'a>) -> LocalLits {
        struct V<'x, 'a> {
            c: &'x Checker<'a>,
            file: u32,
            /// Literals called on the spot or deferred.
            called: Vec<Span>,
            /// Literals bound to a local variable, by variable.
            bound: Vec<(ObjId, Span)>,
            /// Variables used other than by calling them.
            other_use: FxHashSet<ObjId>,
            /// Identifiers in call position.
            callee_ids: FxHashSet<u32>,
            all: Vec<Span>,
            in_go: u32,
        }
        impl<'a> Visitor<'a> for V<'_, 'a> {
            fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
                match s {
                    Stmt::Go(g) => {
                        // Nothing started by `go` runs only here.
                        self.in_go += 1;
                        visit::walk_expr(self, Expr::Call(g.call));
                        self.in_go -= 1;
                        return false;
                    }
                    Stmt::Defer(d) => {
                        if let Expr::FuncLit(l) = d.call.fun.unparen() {
                            self.called.push(l.span);
                        }
                    }
                    Stmt::Assign(a) if a.lhs.len() == a.rhs.len() => {
                        for (&l, &r) in a.lhs.iter().zip(a.rhs) {
                            if let (Expr::Ident(i), Expr::FuncLit(fl)) = (l.unparen(), r.unparen())
                            {
                                if let Some(o) = obj_in(self.c, self.file, i) {
                                    if is_plain_local(self.c, o) {
                                        self.bound.push((o, fl.span));
                                        self.callee_ids.insert(i.pos);
                                    }
                                }
                            }
                        }
                    }
                    Stmt::Decl(d) => {
                        if let Decl::Gen(g) = d.decl {
                            for sp in g.specs {
                                if let Spec::Value(vs) = sp {
                                    if vs.names.len() == vs.values.len() {
                                        for (&n, &v) in vs.names.iter().zip(vs.values) {
                                            if let Expr::FuncLit(fl) = v.unparen() {
                                                if let Some(o) = obj_in(self.c, self.file, n) {
                                                    self.bound.push((o, fl.span));
                                                }
                                            }
                                        }
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
                match e {
                    Expr::FuncLit(l) => {
                        if self.in_go > 0 {
                            return true;
                        }
                        self.all.push(l.span);
                    }
                    Expr::Call(call) => match call.fun.unparen() {
                        Expr::FuncLit(l) if self.in_go == 0 => self.called.push(l.span),
                        Expr::Ident(i) => {
                            self.callee_ids.insert(i.pos);
                        }
                        _ => {}
                    },
                    Expr::Ident(i) if !self.callee_ids.contains(&i.pos) => {
                        if let Some(o) = obj_in(self.c, self.file, i) {
                            self.other_use.insert(o);
                        }
                    }
                    _ => {}
                }
                true
            }
        }
        let mut v = V {
            c,
            file,
            called: Vec::new(),
            bound: Vec::new(),
            other_use: FxHashSet::default(),
            callee_ids: FxHashSet::default(),
            all: Vec::new(),
            in_go: 0,
        };
        visit::walk_stmt(&mut v, Stmt::Block(body));
        let mut spans = v.called;
        for (o, sp) in &v.bound {
            if !v.other_use.contains(o) {
                spans.push(*sp);
            }
        }
        let escaping = v
            .all
            .iter()
            .filter(|sp| !spans.contains(sp))
            .copied()
            .collect();
        LocalLits { spans, escaping }
    }

    /// A use at `at` inside function literals runs inside the function: every literal around
    /// it runs only here.
    fn runs_here(&self, at: Span) -> bool {
        let inside = |sp: &Span| sp.start <= at.start && at.end <= sp.end;
        self.spans.iter().any(inside) && !self.escaping.iter().any(inside)
    }
}

/// The candidates of MV003 (`pointer` false: parameters and receivers of map type) or MV004
/// (`pointer` true: parameters of pointer-to-map type) in one function body.
pub(crate) fn lost_assignments<'a>(
    c: &Checker<'a>,
    file: u32,
    f: &FuncBody<'a>,
    pointer: bool,
) -> Vec<LostAssign<'a>> {
    let mut out = Vec::new();
    let recv = match f.kind {
        FuncKind::Decl(d) => d.recv,
        FuncKind::Lit(_) => None,
    };
    let mut params = params_where(c, file, recv, f.ty.params, |t| {
        if pointer {
            c.types.is_ptr_to_map(t)
        } else {
            c.types.is_map(t)
        }
    });
    if params.is_empty() {
        return out;
    }
    // A first, flow-insensitive pass: which parameters are reassigned at all; parameters that a
    // closure mentions are left alone (the closure may run at any time).
    let objs: Vec<ObjId> = params.iter().map(|p| p.1).collect();
    let mut w = UseWalker::new(c, file, Targets::Vars(&objs));
    w.block(f.body);
    if w.overflow {
        return out;
    }
    let mut reassigned = vec![false; objs.len()];
    let mut captured = vec![false; objs.len()];
    let local = LocalLits::collect(c, file, f.body);
    for u in &w.uses {
        if u.in_closure {
            // Stores made by closures that run only inside this function are the function's
            // own stores; anything else a closure does may happen at any time.
            let benign = local.runs_here(u.span)
                && matches!(
                    u.kind,
                    UseKind::Store | UseKind::Len | UseKind::NilCmp | UseKind::Print
                );
            if !benign {
                captured[u.target] = true;
            }
        } else if !u.deref && matches!(u.kind, UseKind::Assign { .. }) {
            reassigned[u.target] = true;
        }
    }
    let mut keep = 0;
    params.retain(|_| {
        let k = reassigned[keep] && !captured[keep];
        keep += 1;
        k
    });
    if params.is_empty() {
        return out;
    }
    let defs = Defs::collect(c, file, f.body);
    let cfg = Cfg::build_default(f.body);

    for &(ident, p) in &params {
        // Aliases: locals assigned to the parameter (`m = local`, `p = &local`) whose uses
        // afterwards are uses of the new map.
        let mut targets = vec![p];
        let mut w = UseWalker::new(c, file, Targets::Vars(std::slice::from_ref(&p)));
        for b in cfg.rpo() {
            for n in cfg.nodes(b) {
                w.node(n);
            }
        }
        for u in &w.uses {
            if let UseKind::Assign { rhs: Some(r), .. } = u.kind {
                if let Some(a) = alias_of(c, file, r, pointer) {
                    if !targets.contains(&a) {
                        targets.push(a);
                    }
                }
            }
        }
        // Uses per node, in CFG order.
        let mut per_node: Vec<Vec<Vec<Use<'a>>>> = Vec::with_capacity(cfg.num_reachable());
        let mut w = UseWalker::new(c, file, Targets::Vars(&targets));
        for b in cfg.rpo() {
            let mut v = Vec::with_capacity(cfg.nodes(b).len());
            for n in cfg.nodes(b) {
                w.uses.clear();
                w.node(n);
                v.push(std::mem::take(&mut w.uses));
            }
            per_node.push(v);
        }
        if w.overflow {
            continue;
        }
        // What closures running here do with the new map (stores only: see above); they are
        // not followed on the CFG.
        let mut closure_store: Option<Span> = None;
        let mut closure_bad = false;
        for u in per_node.iter().flatten().flatten().filter(|u| u.in_closure) {
            match u.kind {
                UseKind::Store if local.runs_here(u.span) => {
                    closure_store = Some(closure_store.map_or(u.span, |s: Span| {
                        if u.span.start < s.start {
                            u.span
                        } else {
                            s
                        }
                    }));
                }
                UseKind::Len | UseKind::NilCmp | UseKind::Print if local.runs_here(u.span) => {}
                _ => closure_bad = true,
            }
        }
        if closure_bad {
            continue;
        }
        for v in per_node.iter_mut().flatten() {
            v.retain(|u| !u.in_closure);
        }
        let derived = defs.derived_from(c, file, p);
        for b in cfg.rpo() {
            for (i, uses) in per_node[b.index()].iter().enumerate() {
                if matches!(cfg.nodes(b)[i], Node::RangeNext(_)) {
                    continue;
                }
                for u in uses {
                    let UseKind::Assign { rhs, all_rhs } = u.kind else {
                        continue;
                    };
                    if u.target != 0 || u.deref {
                        continue;
                    }
                    // Derived from the parameter itself (walking a tree of maps).
                    let from: &[Expr<'a>] = match rhs {
                        Some(ref r) => std::slice::from_ref(r),
                        None => all_rhs,
                    };
                    if from.iter().any(|&e| derived.mentioned_in(c, e, true)) {
                        continue;
                    }
                    let fresh = rhs.is_some_and(|r| is_fresh(c, file, &defs, r, pointer));
                    let at = NodeRef {
                        block: b,
                        index: i as u32,
                    };
                    let Some(mut outcome) = follow(&cfg, &per_node, at) else {
                        continue;
                    };
                    if let Some(cs) = closure_store {
                        outcome.any_use = true;
                        outcome.first_store.get_or_insert(cs);
                    }
                    // Stores into a map the caller may reach some other way (another
                    // parameter, a global, a call's result) are not lost: only a fresh map's.
                    // Without stores (only its length taken or printed), the reassignment
                    // is lost whatever the new map is.
                    if !outcome.any_use || fresh || outcome.first_store.is_none() {
                        out.push(LostAssign {
                            param: ident,
                            param_obj: p,
                            at: cfg.nodes(b)[i].span(),
                            dead: !outcome.any_use,
                            first_store: outcome.first_store,
                            rhs,
                        });
                    }
                }
            }
        }
    }
    out.sort_by_key(|l| l.at.start);
    out.dedup_by_key(|l| l.at.start);
    out
}

/// `local` in `m = local` (MV003) or `p = &local` (MV004), for a plain local variable.
fn alias_of(c: &Checker<'_>, file: u32, rhs: Expr<'_>, pointer: bool) -> Option<ObjId> {
    let e = rhs.unparen();
    let id = if pointer {
        match e {
            Expr::Unary(u) if u.op == Tok::And => u.x.unparen().as_ident()?,
            _ => return None,
        }
    } else {
        e.as_ident()?
    };
    let o = obj_in(c, file, id)?;
    is_plain_local(c, o).then_some(o)
}

/// The new value is a map (or a pointer to a map) that only this call can see.
fn is_fresh<'a>(c: &Checker<'a>, file: u32, defs: &Defs<'a>, rhs: Expr<'a>, pointer: bool) -> bool {
    if !pointer {
        if is_fresh_map(c, file, rhs) {
            return true;
        }
        return alias_of(c, file, rhs, false).is_some_and(|o| defs.all_fresh_maps(c, file, o));
    }
    match rhs.unparen() {
        Expr::Call(_) => is_builtin_call(c, file, rhs, Builtin::New),
        Expr::Unary(u) if u.op == Tok::And => match u.x.unparen() {
            Expr::CompositeLit(_) => true,
            _ => alias_of(c, file, rhs, true).is_some_and(|o| defs.all_fresh_maps(c, file, o)),
        },
        _ => false,
    }
}

struct Outcome {
    any_use: bool,
    first_store: Option<Span>,
}

/// Follows the CFG from the reassignment at `at` until the parameter (target 0) is assigned
/// again. `None` when the new value may be read back or escape; otherwise whether it was used at
/// all (stores, length, nil checks, printing) and the first store.
fn follow(cfg: &Cfg<'_>, per_node: &[Vec<Vec<Use<'_>>>], at: NodeRef) -> Option<Outcome> {
    let mut out = Outcome {
        any_use: false,
        first_store: None,
    };
    let mut seen = vec![false; cfg.num_reachable()];
    let mut stack = vec![(at.block, at.index as usize + 1)];
    while let Some((b, start)) = stack.pop() {
        let mut killed = false;
        let nodes = &per_node[b.index()];
        for (i, uses) in nodes.iter().enumerate().skip(start) {
            let range_next = matches!(cfg.nodes(b)[i], Node::RangeNext(_));
            for u in uses {
                match u.kind {
                    UseKind::Read | UseKind::Other => return None,
                    UseKind::Assign { .. } if u.target == 0 && !u.deref => {
                        if !range_next {
                            killed = true;
                        }
                    }
                    UseKind::Assign { .. } => {
                        out.any_use = true;
                        if u.deref {
                            out.first_store.get_or_insert(u.span);
                        }
                    }
                    UseKind::Store => {
                        out.any_use = true;
                        out.first_store.get_or_insert(u.span);
                    }
                    UseKind::Len | UseKind::NilCmp | UseKind::Print => out.any_use = true,
                }
            }
            if killed {
                break;
            }
        }
        if killed {
            continue;
        }
        for e in cfg.succs(b) {
            let t = e.block.index();
            if t < seen.len() && !seen[t] {
                seen[t] = true;
                stack.push((e.block, 0));
            }
        }
    }
    Some(out)
}
