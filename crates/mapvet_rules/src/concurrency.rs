//! Goroutine, lock and channel reasoning for the concurrency rule (MV005).
//!
//! - [`Key`]: which expressions denote the same map: a variable, or a path of fields of a
//!   variable (through pointers). Keys are made of objects, so they compare across functions
//!   and files, and a callee's keys rooted at its parameters are rewritten into the caller's
//!   keys by substituting the arguments ([`Summary::instantiate`]).
//! - [`NodeFx`]: what one CFG node does that matters here: map accesses (direct, or through a
//!   call of an analysed function), lock operations, joins (`wg.Wait()`, channel receives),
//!   channel sends and closes, whole-value assignments (which end the sharing of the old
//!   value), goroutine starts.
//! - [`LockFlow`]: a must-dataflow over a body's CFG of the locks held and the channels
//!   received from on every path (an access after `<-start` cannot run before someone sends
//!   on or closes `start`).
//! - [`Summary`]: what a function body does to the maps reachable from its parameters,
//!   receiver, captured variables and package-level variables, with the protection held at
//!   each access, and its net lock effect (`func (s *S) lock() { s.mu.Lock() }`). Calls are
//!   followed into functions of the checked file's package, three levels deep; each callee
//!   is summarized once per checked file ([`Env::callee_summary`]).
//!
//! Everything here leans towards silence: an unknown type makes a `Lock()` a lock and a
//! `Wait()` a join, an access whose map cannot be named is not an access.

use mapvet_semantic::cfg::{BlockId, Cfg, Edge, EdgeKind, Node, NodeRef};
use mapvet_semantic::check::{Checker, Selection};
use mapvet_semantic::dataflow::{self, Analysis, Lattice};
use mapvet_semantic::objects::{Builtin, ObjId, ObjKind, PkgId, VarKind};
use mapvet_semantic::types::{Type, TypeId};
use mapvet_syntax::ast::*;
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;
use rustc_hash::{FxHashMap, FxHashSet};
use std::rc::Rc;

/// How deep callee summaries follow calls of analysed functions.
const MAX_DEPTH: u32 = 3;
/// How deeply nested function literals called on the spot are followed.
const MAX_LIT_DEPTH: u32 = 6;
/// Longest field path kept in a [`Key`].
const MAX_PATH: usize = 6;
/// At most this many locks / received channels are tracked per program point.
const MAX_HELD: usize = 8;

// -----------------------------------------------------------------------------------------
// Keys

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Step {
    Field(ObjId),
    Deref,
}

/// A name for a map (or a channel, or a struct holding them): a variable and a field path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Key {
    pub root: ObjId,
    pub path: Vec<Step>,
}

impl Key {
    fn var(root: ObjId) -> Key {
        Key {
            root,
            path: Vec::new(),
        }
    }

    /// `self` is `p` or a field path below it.
    pub fn has_prefix(&self, p: &Key) -> bool {
        self.root == p.root && self.path.starts_with(&p.path)
    }
}

/// An argument as seen by a callee's parameter: the value of a keyed expression, or the
/// address of one (`&m`, `&s`).
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Val(Key),
    Addr(Key),
}

impl Arg {
    /// The caller's key for the callee's key `param + path`.
    fn join(&self, path: &[Step]) -> Option<Key> {
        match self {
            Arg::Val(k) => {
                let mut k = k.clone();
                for &s in path {
                    if matches!(s, Step::Field(_)) && k.path.last() == Some(&Step::Deref) {
                        k.path.pop();
                    }
                    k.path.push(s);
                }
                (k.path.len() <= MAX_PATH).then_some(k)
            }
            Arg::Addr(k) => match path.first() {
                Some(Step::Deref) => Arg::Val(k.clone()).join(&path[1..]),
                Some(Step::Field(_)) => Arg::Val(k.clone()).join(path),
                None => None,
            },
        }
    }
}

// -----------------------------------------------------------------------------------------
// Accesses, protection

/// The lock held at an access: none, a read lock (`RLock`), an exclusive lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Prot {
    None,
    Read,
    Write,
}

/// One access to a map.
#[derive(Clone, Debug)]
pub(crate) struct Access {
    pub key: Key,
    pub write: bool,
    /// The strongest lock held (inside the body that contains it; callers raise it with
    /// their own).
    pub prot: Prot,
    /// Channels received from on every path before the access.
    pub gates: Vec<Key>,
    /// Where: the file, the access (`m[k]`, `delete(m, k)`), and the map expression.
    pub file: u32,
    pub span: Span,
    pub name: Span,
    /// The analysed function, called from the body the access is attributed to, that makes
    /// the access (`None` when the access is written in that body itself).
    pub via: Option<ObjId>,
}

/// Two accesses to the same map from two goroutines can overlap: at least one writes, and the
/// locks held do not exclude each other (none, or read locks on both sides).
pub(crate) fn conflicts(a: &Access, b: &Access) -> bool {
    (a.write || b.write)
        && (a.prot == Prot::None
            || b.prot == Prot::None
            || (a.prot == Prot::Read && b.prot == Prot::Read))
}

/// The access is not protected: no lock, or a write holding only a read lock.
pub(crate) fn unprotected(a: &Access) -> bool {
    a.prot == Prot::None || (a.write && a.prot == Prot::Read)
}

// -----------------------------------------------------------------------------------------
// Node effects

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LockOp {
    Acquire(Prot),
    Release,
}

/// What starts a goroutine and what it runs.
#[derive(Clone, Debug)]
pub(crate) enum Target<'a> {
    /// `go func(...) {...}(args)`, `wg.Go(func() {...})`.
    Lit(&'a FuncLit<'a>),
    /// `go f(args)`, `go x.m(args)`, `g.Go(x.m)`: a function of the analysed code.
    Func(ObjId),
    /// `go work()` where `work` is a local variable (holding a function literal, see the
    /// rule).
    Var(ObjId),
    /// `go delete(m, k)`, `go clear(m)`: the goroutine makes this one write.
    Builtin(Access),
}

#[derive(Clone, Debug)]
pub(crate) struct Spawn<'a> {
    /// The `go` statement (or the `.Go(...)` call).
    pub span: Span,
    pub target: Target<'a>,
    pub recv: Option<Arg>,
    pub args: Vec<Option<Arg>>,
    /// `g.Go(f)` of a `sync.WaitGroup` / `errgroup.Group`: `g.Wait()` joins it.
    pub joined_by: Option<Key>,
}

/// What a CFG node does (see the module documentation).
#[derive(Default, Debug)]
pub(crate) struct NodeFx<'a> {
    pub accesses: Vec<Access>,
    pub locks: Vec<(LockOp, Box<str>)>,
    /// A `x.TryLock()` condition: (lock, mode, negated).
    pub try_lock: Option<(Box<str>, Prot, bool)>,
    /// A condition with a constant value (`if debug {` with `const debug = false`).
    pub cond_const: Option<bool>,
    /// A join of every goroutine: a call that waits on something not named (a wrapper's
    /// `Wait`, an interface).
    pub waits: bool,
    /// `wg.Wait()` of a named `sync.WaitGroup` / `errgroup.Group`: joins the goroutines that
    /// call `wg.Done()` (or were started by `wg.Go`), and those whose joins are not known.
    pub waits_on: Vec<Key>,
    /// `wg.Done()` of a named `sync.WaitGroup`.
    pub dones: Vec<Key>,
    /// A `Done()` of a WaitGroup that cannot be named.
    pub dones_unknown: bool,
    /// Channels received from.
    pub recvs: Vec<Key>,
    /// Channels sent on or closed.
    pub sends: Vec<Key>,
    /// Channels passed to calls that are not analysed (they may send on or close them).
    pub passes: Vec<Key>,
    /// Keys assigned as a whole (`m = ...`, `s.m = ...`, `x := ...`).
    pub assigns: Vec<Key>,
    pub spawn: Option<Spawn<'a>>,
}

/// The effects of every node of a CFG, by block and node index (empty for unreachable
/// blocks).
pub(crate) type BodyFx<'a> = Vec<Vec<NodeFx<'a>>>;

// -----------------------------------------------------------------------------------------
// Summaries

/// Which roots of a summarized body are visible outside it.
#[derive(Clone, Copy)]
pub(crate) enum Scope {
    /// A function declaration: parameters, receiver, package-level variables.
    Decl,
    /// A function literal (its span): also the variables it captures.
    Lit(u32, Span),
}

/// What a body does to the maps and channels visible outside it.
#[derive(Default, Debug)]
pub(crate) struct Summary {
    /// Receiver (when `has_recv`) then parameters; `None` for unnamed ones.
    pub params: Vec<Option<ObjId>>,
    pub has_recv: bool,
    pub accesses: Vec<Access>,
    pub sends: Vec<Key>,
    pub passes: Vec<Key>,
    pub recvs: Vec<Key>,
    pub assigns: Vec<Key>,
    pub waits: bool,
    pub waits_on: Vec<Key>,
    pub dones: Vec<Key>,
    pub dones_unknown: bool,
    /// The body returns holding a lock it took (`func (s *S) lock() { s.mu.Lock() }`).
    pub acquires: Option<Prot>,
    /// The body releases a lock it did not take (`func (s *S) unlock() { s.mu.Unlock() }`).
    pub releases: bool,
}

/// A summary rewritten into a caller's keys.
#[derive(Default, Debug)]
pub(crate) struct Inst {
    pub accesses: Vec<Access>,
    pub sends: Vec<Key>,
    pub passes: Vec<Key>,
    pub recvs: Vec<Key>,
    pub assigns: Vec<Key>,
    pub waits: bool,
    pub waits_on: Vec<Key>,
    pub dones: Vec<Key>,
    pub dones_unknown: bool,
}

impl Summary {
    /// Rewrites the summary for a call with these receiver and arguments; keys rooted at a
    /// parameter whose argument has no key are dropped. `via` is the callee (for messages).
    pub fn instantiate(
        &self,
        recv: Option<&Arg>,
        args: &[Option<Arg>],
        via: Option<ObjId>,
    ) -> Inst {
        let mut map: Vec<(ObjId, Option<&Arg>)> = Vec::new();
        let mut i = 0;
        if self.has_recv {
            if let Some(Some(p)) = self.params.first() {
                map.push((*p, recv));
            }
            i = 1;
        }
        for (j, p) in self.params[i.min(self.params.len())..].iter().enumerate() {
            if let Some(p) = p {
                map.push((*p, args.get(j).and_then(|a| a.as_ref())));
            }
        }
        let sub = |k: &Key| -> Option<Key> {
            match map.iter().find(|(p, _)| *p == k.root) {
                Some((_, Some(a))) => a.join(&k.path),
                Some((_, None)) => None,
                None => Some(k.clone()),
            }
        };
        let subs = |ks: &[Key]| -> Vec<Key> { ks.iter().filter_map(sub).collect() };
        let accesses = self
            .accesses
            .iter()
            .filter_map(|a| {
                let key = sub(&a.key)?;
                Some(Access {
                    key,
                    gates: subs(&a.gates),
                    via: a.via.or(via),
                    ..a.clone()
                })
            })
            .collect();
        let dones = subs(&self.dones);
        let waits_on = subs(&self.waits_on);
        Inst {
            accesses,
            sends: subs(&self.sends),
            passes: subs(&self.passes),
            recvs: subs(&self.recvs),
            assigns: subs(&self.assigns),
            // A wait whose WaitGroup has no name here waits on something unknown.
            waits: self.waits || waits_on.len() < self.waits_on.len(),
            dones_unknown: self.dones_unknown || dones.len() < self.dones.len(),
            dones,
            waits_on,
        }
    }
}

// -----------------------------------------------------------------------------------------
// The environment: the checker, memo tables

pub(crate) struct Env<'x, 'a> {
    pub c: &'x mut Checker<'a>,
    /// The package of the file being checked.
    pkg: Option<PkgId>,
    summaries: FxHashMap<ObjId, Option<Rc<Summary>>>,
    wait_methods: FxHashMap<ObjId, bool>,
    /// Functions that start one of their parameters in a goroutine, see `spawned_param`.
    spawners: FxHashMap<ObjId, Option<usize>>,
    /// Per file: variables and fields assigned `make(chan T, 1)` there (semaphores).
    sems: FxHashMap<u32, FxHashSet<ObjId>>,
    depth: u32,
}

impl<'x, 'a> Env<'x, 'a> {
    /// The environment for checking file `file`: calls are followed into functions of its
    /// package only (a bounded amount of work per file).
    pub fn new(c: &'x mut Checker<'a>, file: u32) -> Env<'x, 'a> {
        let pkg = c.file_package(file).map(PkgId);
        Env {
            c,
            pkg,
            summaries: FxHashMap::default(),
            wait_methods: FxHashMap::default(),
            spawners: FxHashMap::default(),
            sems: FxHashMap::default(),
            depth: 0,
        }
    }

    // -- Types and objects of any recorded file --------------------------------------------

    pub fn ty(&self, file: u32, e: Expr<'_>) -> TypeId {
        self.c.infos[file as usize]
            .expr_types
            .get(e.id().index())
            .copied()
            .unwrap_or(TypeId::UNKNOWN)
    }

    pub fn obj(&self, file: u32, id: &Ident<'_>) -> Option<ObjId> {
        self.c.infos[file as usize]
            .ident_objs
            .get(id.id.index())
            .copied()
            .filter(|o| !o.is_none())
    }

    fn is_map(&self, t: TypeId) -> bool {
        self.c.types.is_map(t)
    }

    fn is_chan(&self, t: TypeId) -> bool {
        matches!(self.c.types.get(self.c.types.core(t)), Type::Chan(..))
    }

    fn pkg_path(&self, o: ObjId) -> Option<&str> {
        let p = self.c.obj(o).pkg?;
        Some(self.c.pkgs.get(p.0 as usize)?.desc.import_path.as_str())
    }

    pub fn text(&self, file: u32, span: Span) -> &'a str {
        let src = self.c.files[file as usize].src;
        let s = span.start as usize;
        let e = (span.end as usize).min(src.len());
        std::str::from_utf8(src.get(s..e).unwrap_or(b"")).unwrap_or("")
    }

    fn builtin(&self, file: u32, e: Expr<'_>) -> Option<Builtin> {
        let Expr::Ident(i) = e.unparen() else {
            return None;
        };
        match self.c.obj(self.obj(file, i)?).kind {
            ObjKind::Builtin(b) => Some(b),
            _ => None,
        }
    }

    /// The key of a map/channel/struct expression: `m`, `s.f.g`, `*p`, `pkg.V`.
    pub fn key_of(&self, file: u32, e: Expr<'_>) -> Option<Key> {
        match e.unparen() {
            Expr::Ident(i) => {
                let o = self.obj(file, i)?;
                match self.c.obj(o).kind {
                    ObjKind::Var(k) if k != VarKind::Field => Some(Key::var(o)),
                    _ => None,
                }
            }
            Expr::Selector(s) => {
                let o = self.obj(file, s.sel)?;
                let ob = self.c.obj(o);
                match ob.kind {
                    ObjKind::Var(VarKind::Field) => {
                        let mut k = self.key_of(file, s.x)?;
                        if k.path.last() == Some(&Step::Deref) {
                            k.path.pop();
                        }
                        k.path.push(Step::Field(o));
                        (k.path.len() <= MAX_PATH).then_some(k)
                    }
                    ObjKind::Var(_) if ob.package_level => Some(Key::var(o)),
                    _ => None,
                }
            }
            Expr::Star(s) => {
                let mut k = self.key_of(file, s.x)?;
                k.path.push(Step::Deref);
                (k.path.len() <= MAX_PATH).then_some(k)
            }
            _ => None,
        }
    }

    pub fn arg_of(&self, file: u32, e: Expr<'_>) -> Option<Arg> {
        match e.unparen() {
            Expr::Unary(u) if u.op == Tok::And => self.key_of(file, u.x).map(Arg::Addr),
            e => self.key_of(file, e).map(Arg::Val),
        }
    }

    /// The function a call's callee denotes when it is a function or method of the analysed
    /// code (or any function: the caller decides), with the receiver argument of a method.
    fn callee(&self, file: u32, fun: Expr<'_>) -> Option<(ObjId, Option<Arg>, bool)> {
        match fun.unparen() {
            Expr::Ident(i) => {
                let o = self.obj(file, i)?;
                matches!(self.c.obj(o).kind, ObjKind::Func).then_some((o, None, false))
            }
            Expr::Selector(s) => {
                let o = self.obj(file, s.sel)?;
                if !matches!(self.c.obj(o).kind, ObjKind::Func) {
                    return None;
                }
                if let Expr::Ident(x) = s.x.unparen() {
                    if let Some(xo) = self.obj(file, x) {
                        if matches!(self.c.obj(xo).kind, ObjKind::PkgName(_)) {
                            return Some((o, None, false));
                        }
                    }
                }
                Some((o, self.arg_of(file, s.x), true))
            }
            Expr::IndexList(_) | Expr::Index(_) => {
                // An instantiation `f[T](...)`.
                let x = match fun.unparen() {
                    Expr::Index(ix) => ix.x,
                    Expr::IndexList(ix) => ix.x,
                    _ => return None,
                };
                let (o, _, _) = self.callee(file, x)?;
                Some((o, None, false))
            }
            _ => None,
        }
    }

    /// The declaration of a function object, when its file is in the program.
    pub fn func_decl(&self, f: ObjId) -> Option<(u32, &'a FuncDecl<'a>)> {
        let pos = self.c.obj(f).pos;
        let file = self.c.files.get(pos.file as usize)?;
        for d in file.ast.decls {
            if let Decl::Func(fd) = *d {
                if fd.name.pos == pos.offset {
                    return Some((pos.file, fd));
                }
            }
        }
        None
    }

    fn recording(&self, file: u32) -> bool {
        self.c.infos.get(file as usize).is_some_and(|i| i.recording)
            && !self.c.files[file as usize].has_errors
    }

    /// The summary of an analysed function (memoized; `None` when its body is not available
    /// with types, or while it is being computed: recursion).
    pub fn callee_summary(&mut self, f: ObjId) -> Option<Rc<Summary>> {
        if let Some(s) = self.summaries.get(&f) {
            return s.clone();
        }
        if self.depth >= MAX_DEPTH || self.pkg.is_none() || self.c.obj(f).pkg != self.pkg {
            return None;
        }
        self.summaries.insert(f, None);
        let (file, fd) = self.func_decl(f)?;
        let body = fd.body?;
        if !self.recording(file) {
            return None;
        }
        let mut params = Vec::new();
        let has_recv = fd.recv.is_some();
        if let Some(r) = fd.recv {
            match r.list.first().and_then(|f| f.names.first()) {
                Some(n) => params.push(self.obj(file, n)),
                None => params.push(None),
            }
        }
        for fld in fd.ty.params.list {
            if fld.names.is_empty() {
                params.push(None);
            }
            for n in fld.names {
                params.push(self.obj(file, n));
            }
        }
        self.depth += 1;
        let mut s = summarize(self, file, body, params, Scope::Decl);
        self.depth -= 1;
        s.has_recv = has_recv;
        let s = Rc::new(s);
        self.summaries.insert(f, Some(s.clone()));
        Some(s)
    }

    /// The summary of a function literal (captured variables keep their own keys).
    pub fn lit_summary(&mut self, file: u32, fl: &'a FuncLit<'a>) -> Summary {
        let mut params = Vec::new();
        for fld in fl.ty.params.list {
            if fld.names.is_empty() {
                params.push(None);
            }
            for n in fld.names {
                params.push(self.obj(file, n));
            }
        }
        if self.depth >= MAX_LIT_DEPTH {
            return Summary {
                params,
                ..Summary::default()
            };
        }
        self.depth += 1;
        let s = summarize(self, file, fl.body, params, Scope::Lit(file, fl.span));
        self.depth -= 1;
        s
    }

    // -- Locks, joins, semaphores ---------------------------------------------------------------

    /// `x.Lock()`, `x.RLock()`, `x.Unlock()`, `x.RUnlock()` on a value whose type has the
    /// matching pair of methods (or whose type is unknown): the operation and the lock's text.
    fn lock_call(&mut self, file: u32, call: &CallExpr<'_>) -> Option<(LockOp, Box<str>)> {
        let Expr::Selector(s) = call.fun.unparen() else {
            return None;
        };
        if !call.args.is_empty() {
            return None;
        }
        let (op, pair) = match s.sel.name {
            "Lock" => (LockOp::Acquire(Prot::Write), ("Lock", "Unlock")),
            "Unlock" => (LockOp::Release, ("Lock", "Unlock")),
            "RLock" => (LockOp::Acquire(Prot::Read), ("RLock", "RUnlock")),
            "RUnlock" => (LockOp::Release, ("RLock", "RUnlock")),
            _ => return None,
        };
        let t = self.ty(file, s.x);
        if !t.is_unknown() {
            let a = self.c.lookup_field_or_method(t, pair.0);
            let b = self.c.lookup_field_or_method(t, pair.1);
            if !matches!(a, Some(Selection::Method { .. }))
                || !matches!(b, Some(Selection::Method { .. }))
            {
                return None;
            }
        }
        Some((op, lock_text(self.text(file, s.x.span()))))
    }

    /// `x.TryLock()` / `x.TryRLock()` (possibly negated) as a condition.
    fn try_lock(&mut self, file: u32, e: Expr<'_>) -> Option<(Box<str>, Prot, bool)> {
        let (e, neg) = match e.unparen() {
            Expr::Unary(u) if u.op == Tok::Not => (u.x.unparen(), true),
            e => (e, false),
        };
        let Expr::Call(call) = e else { return None };
        let Expr::Selector(s) = call.fun.unparen() else {
            return None;
        };
        let mode = match s.sel.name {
            "TryLock" => Prot::Write,
            "TryRLock" => Prot::Read,
            _ => return None,
        };
        Some((lock_text(self.text(file, s.x.span())), mode, neg))
    }

    /// A call that waits for goroutines: `Wait()` of `sync.WaitGroup`/`sync.Cond`,
    /// `errgroup.Group`, of a wrapper type whose `Wait` method waits (calls a `Wait` method
    /// or receives from a channel), or of a value of unknown or interface type.
    fn is_wait_call(&mut self, file: u32, call: &CallExpr<'_>) -> bool {
        let Expr::Selector(s) = call.fun.unparen() else {
            return false;
        };
        if s.sel.name != "Wait" {
            return false;
        }
        let Some(o) = self.obj(file, s.sel) else {
            return call.args.is_empty();
        };
        if !matches!(self.c.obj(o).kind, ObjKind::Func) {
            return false;
        }
        match self.pkg_path(o) {
            Some("sync") => return true,
            Some(p) if p.ends_with("/errgroup") => return true,
            _ => {}
        }
        if let Some(&w) = self.wait_methods.get(&o) {
            return w;
        }
        let w = match self.func_decl(o) {
            Some((file, fd)) if !self.c.files[file as usize].ast.bodies_skipped => {
                fd.body.is_some_and(body_waits)
            }
            // An interface method (the dynamic type is not known), or a dependency's, whose
            // body is not parsed: assume it waits rather than report what it may prevent.
            _ => call.args.is_empty(),
        };
        self.wait_methods.insert(o, w);
        w
    }

    /// The receiver `x` of a call `x.NAME(...)` of a method of `sync.WaitGroup` or
    /// `errgroup.Group` (through pointers), when it can be named.
    pub fn group_of(&mut self, file: u32, call: &CallExpr<'_>, name: &str) -> Option<Key> {
        let Expr::Selector(s) = call.fun.unparen() else {
            return None;
        };
        if s.sel.name != name {
            return None;
        }
        let o = self.obj(file, s.sel)?;
        let ours = match self.pkg_path(o) {
            Some("sync") => {
                let t = self.ty(file, s.x);
                let t = self.c.types.pointer_elem(t).unwrap_or(t);
                self.type_name_is(t, "WaitGroup")
            }
            Some(p) => p.ends_with("/errgroup"),
            None => false,
        };
        if !ours {
            return None;
        }
        self.key_of(file, s.x)
    }

    /// `wg.Done()` of a `sync.WaitGroup`: `Some(Some(key))` when `wg` can be named.
    fn wg_done(&mut self, file: u32, call: &CallExpr<'_>) -> Option<Option<Key>> {
        let Expr::Selector(s) = call.fun.unparen() else {
            return None;
        };
        if s.sel.name != "Done" || !call.args.is_empty() {
            return None;
        }
        let o = self.obj(file, s.sel)?;
        if self.pkg_path(o) != Some("sync") {
            return None;
        }
        let t = self.ty(file, s.x);
        let t = self.c.types.pointer_elem(t).unwrap_or(t);
        if !self.type_name_is(t, "WaitGroup") {
            return None;
        }
        Some(self.key_of(file, s.x))
    }

    /// `t` is a defined type named `name`.
    fn type_name_is(&self, t: TypeId, name: &str) -> bool {
        match self.c.types.get(t) {
            Type::Named(n) => self
                .c
                .types
                .named
                .get(n.0 as usize)
                .is_some_and(|ni| self.c.obj(ni.obj).name == name),
            _ => false,
        }
    }

    /// `x.Go(f)` / `x.TryGo(f)` of `sync.WaitGroup` or `errgroup.Group`, or of a wrapper of
    /// the analysed code whose `Go` method starts its function argument in a goroutine: the
    /// function started.
    fn go_call(&mut self, file: u32, call: &'a CallExpr<'a>) -> Option<Expr<'a>> {
        let Expr::Selector(s) = call.fun.unparen() else {
            return None;
        };
        if !matches!(s.sel.name, "Go" | "TryGo") || call.args.is_empty() {
            return None;
        }
        let o = self.obj(file, s.sel)?;
        match self.pkg_path(o) {
            Some("sync") if call.args.len() == 1 => Some(call.args[0]),
            Some(p) if p.ends_with("/errgroup") && call.args.len() == 1 => Some(call.args[0]),
            _ => {
                let i = self.spawned_param(o)?;
                call.args.get(i).copied()
            }
        }
    }

    /// The parameter of function `f` that `f` starts in a goroutine: `go fn()`,
    /// `go func() { ...; fn() }()`, `wg.Go(fn)` (memoized; declarations of the package only).
    fn spawned_param(&mut self, f: ObjId) -> Option<usize> {
        if let Some(&r) = self.spawners.get(&f) {
            return r;
        }
        let mut r = None;
        if self.c.obj(f).pkg == self.pkg {
            if let Some((file, fd)) = self.func_decl(f) {
                if let (Some(body), true) = (fd.body, self.recording(file)) {
                    let mut params = Vec::new();
                    for fld in fd.ty.params.list {
                        if fld.names.is_empty() {
                            params.push(None);
                        }
                        for n in fld.names {
                            params.push(self.obj(file, n));
                        }
                    }
                    let mut v = SpawnedParam {
                        env: self,
                        file,
                        params: &params,
                        in_go: false,
                        found: None,
                    };
                    visit::walk_stmt(&mut v, Stmt::Block(body));
                    r = v.found;
                }
            }
        }
        self.spawners.insert(f, r);
        r
    }

    /// A variable or field that holds a channel of capacity 1 (`make(chan T, 1)`), used as
    /// a semaphore: `sem <- x` acquires, `<-sem` releases.
    pub fn is_sem(&mut self, k: &Key) -> bool {
        let last = match k.path.last() {
            Some(Step::Field(f)) => *f,
            Some(Step::Deref) => return false,
            None => k.root,
        };
        // The `make` is looked for in the file that declares the variable or field.
        let f = self.c.obj(last).pos.file;
        if !self.sems.contains_key(&f) {
            let mut set = FxHashSet::default();
            if self.recording(f) {
                let ast = self.c.files[f as usize].ast;
                let mut v = SemFinder {
                    env: self,
                    file: f,
                    out: &mut set,
                };
                visit::walk_file(&mut v, ast);
            }
            self.sems.insert(f, set);
        }
        self.sems[&f].contains(&last)
    }
}

fn lock_text(s: &str) -> Box<str> {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .into_boxed_str()
}

/// A `Wait` method body that waits: it calls a `Wait` method or receives from a channel.
fn body_waits(b: &BlockStmt<'_>) -> bool {
    struct W(bool);
    impl<'a> Visitor<'a> for W {
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            match e {
                Expr::Call(c) => {
                    if let Expr::Selector(s) = c.fun.unparen() {
                        if s.sel.name == "Wait" {
                            self.0 = true;
                        }
                    }
                }
                Expr::Unary(u) if u.op == Tok::Arrow => self.0 = true,
                _ => {}
            }
            !self.0
        }
        fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
            if matches!(s, Stmt::Select(_)) {
                self.0 = true;
            }
            !self.0
        }
    }
    let mut w = W(false);
    visit::walk_stmt(&mut w, Stmt::Block(b));
    w.0
}

/// Finds a call of a function-typed parameter made in a goroutine.
struct SpawnedParam<'e, 'x, 'a, 'p> {
    env: &'e Env<'x, 'a>,
    file: u32,
    params: &'p [Option<ObjId>],
    /// Inside the function literal of a `go` statement.
    in_go: bool,
    found: Option<usize>,
}

impl SpawnedParam<'_, '_, '_, '_> {
    fn param(&self, e: Expr<'_>) -> Option<usize> {
        let Expr::Ident(i) = e.unparen() else {
            return None;
        };
        let o = self.env.obj(self.file, i)?;
        self.params.iter().position(|p| *p == Some(o))
    }
}

impl<'a> Visitor<'a> for SpawnedParam<'_, '_, 'a, '_> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        if self.found.is_some() {
            return false;
        }
        if let Stmt::Go(g) = s {
            if let Some(i) = self.param(g.call.fun) {
                self.found = Some(i);
                return false;
            }
            if let Expr::FuncLit(fl) = g.call.fun.unparen() {
                let was = self.in_go;
                self.in_go = true;
                visit::walk_stmt(self, Stmt::Block(fl.body));
                self.in_go = was;
                return false;
            }
        }
        true
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        if self.found.is_some() {
            return false;
        }
        if let Expr::Call(c) = e {
            if self.in_go {
                self.found = self.param(c.fun);
            } else if let Expr::Selector(s) = c.fun.unparen() {
                if s.sel.name == "Go" && c.args.len() == 1 {
                    self.found = self.param(c.args[0]);
                }
            }
        }
        self.found.is_none()
    }
}

/// `make(chan T, 1)`.
fn is_make_chan1(env: &Env<'_, '_>, file: u32, e: Expr<'_>) -> bool {
    let Expr::Call(c) = e.unparen() else {
        return false;
    };
    if c.args.len() != 2 || env.builtin(file, c.fun) != Some(Builtin::Make) {
        return false;
    }
    matches!(c.args[0].unparen(), Expr::ChanType(_))
        && matches!(c.args[1].unparen(), Expr::BasicLit(l) if l.value == "1")
}

struct SemFinder<'e, 'x, 'a, 's> {
    env: &'e Env<'x, 'a>,
    file: u32,
    out: &'s mut FxHashSet<ObjId>,
}

impl<'a> Visitor<'a> for SemFinder<'_, '_, 'a, '_> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        if let Stmt::Assign(a) = s {
            if a.lhs.len() == a.rhs.len() {
                for (l, r) in a.lhs.iter().zip(a.rhs) {
                    if is_make_chan1(self.env, self.file, *r) {
                        self.add(*l);
                    }
                }
            }
        }
        true
    }

    fn visit_decl(&mut self, d: &Decl<'a>) -> bool {
        if let Decl::Gen(g) = d {
            for s in g.specs {
                if let Spec::Value(v) = s {
                    if v.names.len() == v.values.len() {
                        for (n, r) in v.names.iter().zip(v.values) {
                            if is_make_chan1(self.env, self.file, *r) {
                                self.add(Expr::Ident(n));
                            }
                        }
                    }
                }
            }
        }
        true
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        if let Expr::KeyValue(kv) = e {
            if is_make_chan1(self.env, self.file, kv.value) {
                if let Expr::Ident(i) = kv.key {
                    if let Some(o) = self.env.obj(self.file, i) {
                        self.out.insert(o);
                    }
                }
            }
        }
        true
    }
}

impl SemFinder<'_, '_, '_, '_> {
    fn add(&mut self, l: Expr<'_>) {
        let o = match l.unparen() {
            Expr::Ident(i) => self.env.obj(self.file, i),
            Expr::Selector(s) => self.env.obj(self.file, s.sel),
            _ => None,
        };
        if let Some(o) = o {
            self.out.insert(o);
        }
    }
}

// -----------------------------------------------------------------------------------------
// Extracting node effects

/// The effects of every reachable node of `cfg` (a body of file `file`).
pub(crate) fn body_fx<'a>(env: &mut Env<'_, 'a>, file: u32, cfg: &Cfg<'a>) -> BodyFx<'a> {
    let mut out: BodyFx<'a> = Vec::with_capacity(cfg.num_blocks());
    for b in cfg.blocks() {
        if !cfg.is_reachable(b) {
            out.push(Vec::new());
            continue;
        }
        let nodes = cfg.nodes(b);
        let mut v = Vec::with_capacity(nodes.len());
        for n in nodes {
            v.push(node_fx(env, file, n));
        }
        out.push(v);
    }
    out
}

pub(crate) fn node_fx<'a>(env: &mut Env<'_, 'a>, file: u32, node: &Node<'a>) -> NodeFx<'a> {
    let mut w = FxWalker {
        env,
        file,
        fx: NodeFx::default(),
        writes: Vec::new(),
    };
    match *node {
        Node::Assign(a) => {
            for &l in a.lhs {
                w.mark_write(l);
                if let Some(k) = w.env.key_of(file, l) {
                    w.fx.assigns.push(k);
                }
            }
            for &l in a.lhs {
                w.walk(l);
            }
            for &r in a.rhs {
                w.walk(r);
            }
        }
        Node::IncDec(s) => {
            w.mark_write(s.x);
            w.walk(s.x);
        }
        Node::Expr(s) => {
            if let Expr::Call(call) = s.x.unparen() {
                if let Some(l) = w.env.lock_call(file, call) {
                    w.fx.locks.push(l);
                    return w.fx;
                }
                if let Some(f) = w.env.go_call(file, call) {
                    w.spawn_value(call.span, f);
                    let by = w
                        .env
                        .group_of(file, call, "Go")
                        .or_else(|| w.env.group_of(file, call, "TryGo"));
                    if let Some(sp) = &mut w.fx.spawn {
                        sp.joined_by = by;
                    }
                    w.walk_call_operands(call);
                    return w.fx;
                }
            }
            if let Expr::Unary(u) = s.x.unparen() {
                if u.op == Tok::Arrow {
                    if let Some(k) = w.env.key_of(file, u.x) {
                        if w.env.is_sem(&k) {
                            let t = lock_text(w.env.text(file, u.x.span()));
                            w.fx.locks
                                .push((LockOp::Release, format!("chan:{t}").into()));
                        }
                    }
                }
            }
            w.walk(s.x);
        }
        Node::Send(s) => {
            if let Some(k) = w.env.key_of(file, s.chan) {
                if w.env.is_sem(&k) {
                    let t = lock_text(w.env.text(file, s.chan.span()));
                    w.fx.locks
                        .push((LockOp::Acquire(Prot::Write), format!("chan:{t}").into()));
                }
                w.fx.sends.push(k);
            }
            w.walk(s.chan);
            w.walk(s.value);
        }
        Node::Decl(d) => {
            if let Decl::Gen(g) = d.decl {
                for s in g.specs {
                    if let Spec::Value(vs) = s {
                        for n in vs.names {
                            if let Some(o) = w.env.obj(file, n) {
                                w.fx.assigns.push(Key::var(o));
                            }
                        }
                        for &v in vs.values {
                            w.walk(v);
                        }
                    }
                }
            }
        }
        Node::Go(g) => {
            w.spawn_call(g.span, g.call);
            w.walk_call_operands(g.call);
        }
        Node::Defer(d) => w.walk_call_operands(d.call),
        Node::RunDefer(d) => {
            if let Some(l) = w.env.lock_call(file, d.call) {
                w.fx.locks.push(l);
            } else {
                w.call(d.call);
            }
        }
        Node::Return(r) => {
            for &e in r.results {
                w.walk(e);
            }
        }
        Node::Cond(e) => {
            w.fx.try_lock = w.env.try_lock(file, e);
            w.fx.cond_const = crate::consts::const_bool(w.env.c, file, e);
            w.walk(e);
        }
        Node::SwitchTag(s) => {
            if let Some(t) = s.tag {
                w.walk(t);
            }
        }
        Node::Case { expr, .. } => w.walk(expr),
        Node::TypeSwitchGuard(ts) => match ts.assign {
            Stmt::Assign(a) => {
                for &r in a.rhs {
                    w.walk(r);
                }
            }
            Stmt::Expr(e) => w.walk(e.x),
            _ => {}
        },
        Node::TypeCase { .. } | Node::Select(_) => {}
        Node::RangeOperand(r) => {
            let t = w.env.ty(file, r.x);
            if w.env.is_map(t) {
                if let Some(k) = w.env.key_of(file, r.x) {
                    w.access(k, false, r.x.span(), r.x.span());
                }
            }
            w.walk(r.x);
        }
        Node::RangeNext(r) => {
            let t = w.env.ty(file, r.x);
            if w.env.is_chan(t) {
                if let Some(k) = w.env.key_of(file, r.x) {
                    w.fx.recvs.push(k);
                }
            }
            if r.tok != Tok::Illegal {
                for e in [r.key, r.value].into_iter().flatten() {
                    w.mark_write(e);
                    if let Some(k) = w.env.key_of(file, e) {
                        w.fx.assigns.push(k);
                    }
                    w.walk(e);
                }
            }
        }
        Node::Comm { clause, .. } => match clause.comm {
            Some(Stmt::Send(s)) => {
                if let Some(k) = w.env.key_of(file, s.chan) {
                    w.fx.sends.push(k);
                }
            }
            Some(Stmt::Expr(e)) => w.walk(e.x),
            Some(Stmt::Assign(a)) => {
                for &l in a.lhs {
                    w.mark_write(l);
                    if let Some(k) = w.env.key_of(file, l) {
                        w.fx.assigns.push(k);
                    }
                    w.walk(l);
                }
                for &r in a.rhs {
                    w.walk(r);
                }
            }
            _ => {}
        },
    }
    w.fx
}

struct FxWalker<'e, 'x, 'a> {
    env: &'e mut Env<'x, 'a>,
    file: u32,
    fx: NodeFx<'a>,
    /// Index expressions that are stored into.
    writes: Vec<NodeId>,
}

impl<'a> FxWalker<'_, '_, 'a> {
    fn walk(&mut self, e: Expr<'a>) {
        visit::walk_expr(self, e);
    }

    fn mark_write(&mut self, l: Expr<'a>) {
        if let Expr::Index(ix) = l.unparen() {
            self.writes.push(ix.id);
        }
    }

    fn access(&mut self, key: Key, write: bool, span: Span, name: Span) {
        self.fx.accesses.push(Access {
            key,
            write,
            prot: Prot::None,
            gates: Vec::new(),
            file: self.file,
            span,
            name,
            via: None,
        });
    }

    /// The operands of a `go`/`defer` call, evaluated where the statement is.
    fn walk_call_operands(&mut self, call: &'a CallExpr<'a>) {
        match call.fun.unparen() {
            Expr::Selector(s) => self.walk(s.x),
            Expr::FuncLit(_) | Expr::Ident(_) => {}
            f => self.walk(f),
        }
        for &a in call.args {
            if !matches!(a.unparen(), Expr::FuncLit(_)) {
                self.walk(a);
            }
        }
    }

    fn spawn_call(&mut self, span: Span, call: &'a CallExpr<'a>) {
        let file = self.file;
        let args: Vec<Option<Arg>> = call
            .args
            .iter()
            .map(|&a| self.env.arg_of(file, a))
            .collect();
        if let Some(Builtin::Delete | Builtin::Clear) = self.env.builtin(file, call.fun) {
            let Some(&m) = call.args.first() else { return };
            if !self.env.is_map(self.env.ty(file, m)) {
                return;
            }
            let Some(key) = self.env.key_of(file, m) else {
                return;
            };
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Builtin(Access {
                    key,
                    write: true,
                    prot: Prot::None,
                    gates: Vec::new(),
                    file,
                    span: call.span,
                    name: m.span(),
                    via: None,
                }),
                recv: None,
                args,
                joined_by: None,
            });
        } else if let Expr::FuncLit(fl) = call.fun.unparen() {
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Lit(fl),
                recv: None,
                args,
                joined_by: None,
            });
        } else if let Some((o, recv, _)) = self.env.callee(file, call.fun) {
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Func(o),
                recv,
                args,
                joined_by: None,
            });
        } else if let Some(o) = self.local_func_var(call.fun) {
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Var(o),
                recv: None,
                args,
                joined_by: None,
            });
        }
    }

    fn local_func_var(&self, e: Expr<'_>) -> Option<ObjId> {
        let Expr::Ident(i) = e.unparen() else {
            return None;
        };
        let o = self.env.obj(self.file, i)?;
        let ob = self.env.c.obj(o);
        (ob.kind == ObjKind::Var(VarKind::Var) && !ob.package_level).then_some(o)
    }

    /// `wg.Go(f)`: `f` is a function literal or a function/method value.
    fn spawn_value(&mut self, span: Span, f: Expr<'a>) {
        let file = self.file;
        if let Expr::FuncLit(fl) = f.unparen() {
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Lit(fl),
                recv: None,
                args: Vec::new(),
                joined_by: None,
            });
        } else if let Some((o, recv, _)) = self.env.callee(file, f) {
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Func(o),
                recv,
                args: Vec::new(),
                joined_by: None,
            });
        } else if let Some(o) = self.local_func_var(f) {
            self.fx.spawn = Some(Spawn {
                span,
                target: Target::Var(o),
                recv: None,
                args: Vec::new(),
                joined_by: None,
            });
        }
    }

    fn add_inst(&mut self, inst: Inst) {
        self.fx.accesses.extend(inst.accesses);
        self.fx.sends.extend(inst.sends);
        self.fx.passes.extend(inst.passes);
        self.fx.recvs.extend(inst.recvs);
        self.fx.assigns.extend(inst.assigns);
        self.fx.waits |= inst.waits;
        self.fx.waits_on.extend(inst.waits_on);
        self.fx.dones.extend(inst.dones);
        self.fx.dones_unknown |= inst.dones_unknown;
    }

    /// A call made here (its operands are walked separately).
    fn call(&mut self, call: &'a CallExpr<'a>) {
        let file = self.file;
        if let Some(b) = self.env.builtin(file, call.fun) {
            let first = call.args.first().copied();
            match (b, first) {
                (Builtin::Delete | Builtin::Clear | Builtin::Len, Some(m))
                    if self.env.is_map(self.env.ty(file, m)) =>
                {
                    if let Some(k) = self.env.key_of(file, m) {
                        self.access(k, b != Builtin::Len, call.span, m.span());
                    }
                }
                (Builtin::Close, Some(ch)) => {
                    if let Some(k) = self.env.key_of(file, ch) {
                        self.fx.sends.push(k);
                    }
                }
                _ => {}
            }
            return;
        }
        if self.env.is_wait_call(file, call) {
            match self.env.group_of(file, call, "Wait") {
                Some(k) => self.fx.waits_on.push(k),
                None => self.fx.waits = true,
            }
            return;
        }
        if let Some(done) = self.env.wg_done(file, call) {
            match done {
                Some(k) => self.fx.dones.push(k),
                None => self.fx.dones_unknown = true,
            }
            return;
        }
        if let Expr::FuncLit(fl) = call.fun.unparen() {
            // Called on the spot: its body runs here.
            let args: Vec<Option<Arg>> = call
                .args
                .iter()
                .map(|&a| self.env.arg_of(file, a))
                .collect();
            let s = self.env.lit_summary(file, fl);
            let inst = s.instantiate(None, &args, None);
            self.add_inst(inst);
            return;
        }
        let callee = self.env.callee(file, call.fun);
        if let Some((o, recv, _)) = &callee {
            if let Some(p) = self.env.pkg_path(*o) {
                if p == "maps" || p == "golang.org/x/exp/maps" {
                    let name = self.env.c.obj(*o).name;
                    for (i, &a) in call.args.iter().enumerate() {
                        if !self.env.is_map(self.env.ty(file, a)) {
                            continue;
                        }
                        if let Some(k) = self.env.key_of(file, a) {
                            let write = i == 0 && matches!(name, "Copy" | "DeleteFunc" | "Insert");
                            self.access(k, write, call.span, a.span());
                        }
                    }
                    return;
                }
            }
            if let Some(s) = self.env.callee_summary(*o) {
                let args: Vec<Option<Arg>> = call
                    .args
                    .iter()
                    .map(|&a| self.env.arg_of(file, a))
                    .collect();
                let inst = s.instantiate(recv.as_ref(), &args, Some(*o));
                self.add_inst(inst);
                if s.releases || s.acquires.is_some() {
                    // Lock helpers: `s.lock()` ... `s.unlock()` pair up by their receiver.
                    let recv_text = match call.fun.unparen() {
                        Expr::Selector(sel) => lock_text(self.env.text(file, sel.x.span())),
                        _ => "".into(),
                    };
                    let l: Box<str> = format!("call:{recv_text}").into();
                    if s.releases {
                        self.fx.locks.push((LockOp::Release, l.clone()));
                    }
                    if let Some(p) = s.acquires {
                        self.fx.locks.push((LockOp::Acquire(p), l));
                    }
                }
                return;
            }
        }
        // Not analysed: a map passed to it is read, a channel passed to it may be used.
        let recv_expr = match (call.fun.unparen(), &callee) {
            (Expr::Selector(s), Some((_, _, true))) => Some(s.x),
            _ => None,
        };
        for a in call.args.iter().copied().chain(recv_expr) {
            let t = self.env.ty(file, a);
            if self.env.is_map(t) {
                if let Some(k) = self.env.key_of(file, a) {
                    self.access(k, false, call.span, a.span());
                }
            } else if self.env.is_chan(t) {
                if let Some(k) = self.env.key_of(file, a) {
                    self.fx.passes.push(k);
                }
            }
        }
    }
}

impl<'a> Visitor<'a> for FxWalker<'_, '_, 'a> {
    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        let file = self.file;
        match e {
            Expr::FuncLit(_) => return false,
            Expr::Index(ix) => {
                let t = self.env.ty(file, ix.x);
                if self.env.is_map(t) {
                    if let Some(k) = self.env.key_of(file, ix.x) {
                        let write = self.writes.contains(&ix.id);
                        self.access(k, write, ix.span, ix.x.span());
                    }
                }
            }
            Expr::Unary(u) if u.op == Tok::Arrow => {
                if let Some(k) = self.env.key_of(file, u.x) {
                    self.fx.recvs.push(k);
                }
            }
            Expr::Call(c) => self.call(c),
            _ => {}
        }
        true
    }
}

// -----------------------------------------------------------------------------------------
// Lock flow

/// Locks held and channels received from, on every path.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct LState {
    pub held: Vec<(Box<str>, Prot)>,
    pub recvd: Vec<Key>,
}

impl Lattice for LState {
    fn join(&mut self, other: &Self) -> bool {
        let n = (self.held.len(), self.recvd.len());
        self.held.retain(|h| other.held.contains(h));
        self.recvd.retain(|r| other.recvd.contains(r));
        n != (self.held.len(), self.recvd.len())
    }
}

impl LState {
    pub fn prot(&self) -> Prot {
        self.held.iter().map(|h| h.1).max().unwrap_or(Prot::None)
    }

    fn apply(&mut self, fx: &NodeFx<'_>) {
        for (op, l) in &fx.locks {
            match op {
                LockOp::Acquire(p) => {
                    if !self.held.iter().any(|h| h.0 == *l && h.1 == *p)
                        && self.held.len() < MAX_HELD
                    {
                        self.held.push((l.clone(), *p));
                    }
                }
                LockOp::Release => {
                    if let Some(i) = self.held.iter().rposition(|h| h.0 == *l) {
                        self.held.remove(i);
                    }
                }
            }
        }
        for r in &fx.recvs {
            if !self.recvd.contains(r) && self.recvd.len() < MAX_HELD {
                self.recvd.push(r.clone());
            }
        }
    }
}

pub(crate) struct LockFlow<'t, 'a> {
    pub fx: &'t BodyFx<'a>,
}

impl<'a> Analysis<'a> for LockFlow<'_, 'a> {
    type State = LState;

    fn initial(&mut self, _cfg: &Cfg<'a>) -> LState {
        LState::default()
    }

    fn transfer(&mut self, at: NodeRef, _node: &Node<'a>, state: &mut LState) {
        if let Some(fx) = self
            .fx
            .get(at.block.index())
            .and_then(|b| b.get(at.index as usize))
        {
            state.apply(fx);
        }
    }

    fn transfer_edge(
        &mut self,
        from: BlockId,
        edge: Edge,
        _last: Option<&Node<'a>>,
        state: &mut LState,
    ) -> bool {
        let Some(fx) = self.fx.get(from.index()).and_then(|b| b.last()) else {
            return true;
        };
        if !const_feasible(fx, edge) {
            return false;
        }
        if let Some((l, p, neg)) = &fx.try_lock {
            let taken = match edge.kind {
                EdgeKind::True => !neg,
                EdgeKind::False => *neg,
                _ => false,
            };
            if taken && self.held_room(state) {
                state.held.push((l.clone(), *p));
            }
        }
        true
    }
}

impl LockFlow<'_, '_> {
    fn held_room(&self, s: &LState) -> bool {
        s.held.len() < MAX_HELD
    }
}

/// Whether `edge` can be taken after `fx`, a node that may be a constant condition.
pub(crate) fn const_feasible(fx: &NodeFx<'_>, edge: Edge) -> bool {
    match (fx.cond_const, edge.kind) {
        (Some(v), EdgeKind::True) => v,
        (Some(v), EdgeKind::False) => !v,
        _ => true,
    }
}

/// The lock state before every reachable node, by block and node index.
pub(crate) fn lock_states<'a>(cfg: &Cfg<'a>, fx: &BodyFx<'a>) -> Vec<Vec<LState>> {
    lock_states_and_exit(cfg, fx).0
}

/// [`lock_states`], and the state after the deferred calls at the exit (`None` when the
/// exit is not reached).
fn lock_states_and_exit<'a>(cfg: &Cfg<'a>, fx: &BodyFx<'a>) -> (Vec<Vec<LState>>, Option<LState>) {
    let mut lf = LockFlow { fx };
    let res = dataflow::solve(cfg, &mut lf);
    let mut out = Vec::with_capacity(cfg.num_blocks());
    let mut exit = None;
    for b in cfg.blocks() {
        let mut v = Vec::new();
        let after = res.replay(cfg, &mut lf, b, |_, _, st| v.push(st.clone()));
        if b == cfg.exit {
            exit = after;
        }
        out.push(v);
    }
    (out, exit)
}

/// Summarizes a body: its accesses with the protection and gates in force, and its channel
/// operations, keeping only what is visible outside (see [`Scope`]).
pub(crate) fn summarize<'a>(
    env: &mut Env<'_, 'a>,
    file: u32,
    body: &'a BlockStmt<'a>,
    params: Vec<Option<ObjId>>,
    scope: Scope,
) -> Summary {
    let cfg = Cfg::build_default(body);
    let fx = body_fx(env, file, &cfg);
    let (states, exit) = lock_states_and_exit(&cfg, &fx);
    let visible = |env: &Env<'_, '_>, k: &Key| -> bool {
        if params.contains(&Some(k.root)) {
            return true;
        }
        let ob = env.c.obj(k.root);
        if ob.package_level {
            return true;
        }
        match scope {
            Scope::Decl => false,
            Scope::Lit(f, span) => {
                !(ob.pos.file == f && span.start <= ob.pos.offset && ob.pos.offset < span.end)
            }
        }
    };
    let mut s = Summary {
        params: params.clone(),
        ..Summary::default()
    };
    for b in cfg.rpo() {
        let (Some(nodes), Some(sts)) = (fx.get(b.index()), states.get(b.index())) else {
            continue;
        };
        for (nf, st) in nodes.iter().zip(sts) {
            let prot = st.prot();
            for a in &nf.accesses {
                if !visible(env, &a.key) {
                    continue;
                }
                let mut a = a.clone();
                a.prot = a.prot.max(prot);
                for g in &st.recvd {
                    if !a.gates.contains(g) && visible(env, g) {
                        a.gates.push(g.clone());
                    }
                }
                s.accesses.push(a);
            }
            let keep = |env: &Env<'_, '_>, ks: &[Key], out: &mut Vec<Key>| {
                for k in ks {
                    if visible(env, k) && !out.contains(k) {
                        out.push(k.clone());
                    }
                }
            };
            keep(env, &nf.sends, &mut s.sends);
            keep(env, &nf.passes, &mut s.passes);
            keep(env, &nf.recvs, &mut s.recvs);
            keep(env, &nf.assigns, &mut s.assigns);
            keep(env, &nf.waits_on, &mut s.waits_on);
            keep(env, &nf.dones, &mut s.dones);
            s.waits |= nf.waits || nf.waits_on.iter().any(|k| !visible(env, k));
            s.dones_unknown |= nf.dones_unknown || nf.dones.iter().any(|k| !visible(env, k));
            // A lock released here that the body did not take: a helper like `unlock()`.
            for (op, l) in &nf.locks {
                if *op == LockOp::Release && !st.held.iter().any(|h| h.0 == *l) {
                    s.releases = true;
                }
            }
        }
    }
    // Locks still held when the body returns: a helper like `lock()`.
    s.acquires = exit.and_then(|e| e.held.iter().map(|h| h.1).max());
    s
}
