//! Nil-ness of maps and map pointers: the analysis behind MV001 `nil-map-write` and MV002
//! `nil-map-pointer-deref` (../shared/RULES.md).
//!
//! # Model
//!
//! One forward dataflow per function body over its CFG. The state is a small **set of path
//! states** (bounded path sensitivity): each path state maps *places* to abstract values and
//! carries the branch outcomes taken on the way (*literals*), so that paths that only look
//! feasible can be dropped:
//!
//! - a place is a local variable, parameter, named result or qualifying package-level variable
//!   (the root) followed by up to three steps: struct fields (through value fields and the
//!   root's own automatic dereference) or a `*` dereference of a map pointer;
//! - values: `Nil(origin)`, `Zero(origin)` (a struct value whose fields are all zero), `NotNil`,
//!   `Const(n)` (bools, and ints at 0, for variables used in conditions and assigned next to
//!   a map), `Unknown`, `MaybeNil`/`MaybeZero` after a lossy merge, and `Cond` (nil exactly
//!   when a branch outcome holds: what a lossy merge keeps of a correlation). A missing entry
//!   is Unknown unless a prefix is `Zero` (then a map field is nil). **Unknown is never nil**:
//!   parameters, call results and fields of values from elsewhere are never reported;
//! - edges refine: `m == nil`/`m != nil`, reads that prove non-nil-ness (a nil map reads
//!   only zero values: `m[k] > 0`, `m[k] != nil`, `len(m[k]) > 0`, `m[k].f`, a variable
//!   assigned `m[k]` and tested later, comma-ok `ok`, `has := m != nil`, `len(m) > 0`, a range
//!   body), bool/int constants, and correlated conditions: the same unchanged condition
//!   tested twice contradicts itself (conditions on calls and on elements `x[i]` only until
//!   the next call or element store; fields through pointers not across loop iterations;
//!   `range x` implies `len(x) > 0`); a path state that contradicts an edge is dropped; a path
//!   that stored into a nil map has panicked, so the paths that go on have it non-nil;
//! - a deferred call runs at exit only on the paths that executed its `defer` (a literal
//!   per `defer`, false at entry);
//! - path states with equal facts stay apart while there are at most [`MAX_PATHS`] (their
//!   literals tell `a && b` from `!(a && b)`), then are merged (literals intersected); facts
//!   about variables that no later block names are dropped on edges (a cheap liveness); past
//!   [`MAX_PATHS`] distinct states, or after many joins at one block, states are merged
//!   lossily: a map nil in one state and not in the other becomes `Cond` on an outcome the
//!   two disagree on, and maps nil in exactly the same states (made together) share one
//!   outcome of their own, so that a nil check on one still decides the others.
//!
//! Closures: a function literal that is called right away, deferred, or bound to a local
//! variable that is only ever called (in the same body) is analysed with the states at the
//! points where it runs; other literals (callbacks, goroutines) only see variables that
//! nothing ever assigns. Variables assigned inside such escaping closures, or whose address
//! is kept (`q := &s` with `q` passed on, a method value `s.Init`), are never tracked; an
//! address handed to a call (`json.Unmarshal(b, &s)`, `s.Init()`) forgets the variable there
//! and after every later call. Except for pointer-receiver methods of the analysed code that provably assign
//! no map-holding part of the receiver and do not let it escape (setters of other fields,
//! counters: [`receiver_effect`]), and pointer methods of fields whose type holds no map
//! (`s.mu.Lock()`): those change only the fields they name, which become unknown. A local pointer that only ever points at one local place
//! (`p := &m`, `p := &s.f`, never reassigned, copied, passed on or used in a closure, only
//! dereferenced or used for fields) is an alias: `*p` and `p.f` are that place.
//!
//! Calls: a callee in the analysed code is summarised on demand (once per function,
//! parameter and place): "stores into (or dereferences) this parameter's map on every path
//! that returns, if it is nil on entry". Lazy initialisation (`if *s == nil { *s = make(..) }`)
//! makes the store safe, so such callees are never reported.
//!
//! Cost: most functions are dismissed by a scan of the checker's per-node type table (no map
//! type in the function's node range) and a cheap syntactic pass (no nil source); only the
//! rest get the pre-scan ([`Scan`]), a CFG and the dataflow. Per-program facts (package-level
//! maps nothing assigns, callee summaries) are memoized per thread.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::consts::const_bool;
use crate::context::FileCx;
use crate::diagnostic::Loc;
use mapvet_semantic::cfg::{
    default_no_return, BlockId, Cfg, Edge, EdgeKind, FuncBody, FuncKind, NoReturn, Node, NodeRef,
};
use mapvet_semantic::check::Checker;
use mapvet_semantic::dataflow::{self, Analysis, Lattice};
use mapvet_semantic::objects::{Builtin, ObjId, ObjKind, VarKind};
use mapvet_semantic::types::{Basic, Type, TypeId};
use mapvet_syntax::ast::*;
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

pub(crate) const MV001: &str = "MV001";
pub(crate) const MV002: &str = "MV002";

const PANIC_NIL_MAP: &str = "\"assignment to entry in nil map\"";
const PANIC_NIL_PTR: &str = "\"invalid memory address or nil pointer dereference\"";

/// At most this many path states per program point before states are merged lossily.
const MAX_PATHS: usize = 32;
/// After this many joins at one block, the block's state is kept as one lossy path state.
const COARSE_AFTER: u16 = 40;
/// At most this many literals (branch outcomes) per path state.
const MAX_LITS: usize = 16;
/// Depth of callee summaries (a callee passing the map on to another callee).
const MAX_SUMMARY_DEPTH: u32 = 2;
/// Callees larger than this are not summarised.
const MAX_CALLEE_BYTES: u32 = 4000;

/// One diagnostic of MV001 or MV002, before it is reported.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub labels: Vec<(Loc, String)>,
    pub help: String,
}

/// Reports the findings of `code` for the file of `cx`.
pub(crate) fn report(cx: &mut FileCx<'_, '_>, code: &'static str) {
    let all = findings(cx);
    for f in all.iter().filter(|f| f.code == code) {
        let d = cx.report(f.span, f.message.clone());
        for (loc, msg) in &f.labels {
            d.label(*loc, msg.clone());
        }
        d.help(f.help.clone());
    }
}

type ProgramKey = u64;
type FileKey = (ProgramKey, u32);

/// Identifies the checker: the memo's object and type ids are only meaningful in it.
fn program_key(c: &Checker<'_>) -> ProgramKey {
    c.uid
}

/// Per-thread memo of what does not depend on the file being checked: package-level variables
/// that nothing assigns, and callee summaries. Cleared when the program changes.
#[derive(Default)]
struct Memo {
    key: Option<ProgramKey>,
    pkg_var: FxHashMap<ObjId, bool>,
    pkg_candidates: FxHashMap<u32, Rc<Vec<ObjId>>>,
    file_pkg: Vec<u32>,
    summaries: FxHashMap<(ObjId, i32, [u32; 3], u32), Option<Summary>>,
    in_progress: FxHashSet<(ObjId, i32, [u32; 3])>,
    /// Recursion cycles met so far (results computed across one are not memoized).
    cycles: u64,
    last_file: Option<(FileKey, Rc<Vec<Finding>>)>,
    /// [`receiver_effect`] per method.
    recv_effects: FxHashMap<ObjId, Option<Rc<Vec<ObjId>>>>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

fn with_memo<R>(c: &Checker<'_>, f: impl FnOnce(&mut Memo) -> R) -> R {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let k = program_key(c);
        if m.key != Some(k) {
            *m = Memo {
                key: Some(k),
                ..Memo::default()
            };
            TYPE_FLAGS.with(|f| f.borrow_mut().clear());
        }
        f(&mut m)
    })
}

/// The findings of both rules for the file of `cx` (computed once when both rules run).
fn findings(cx: &mut FileCx<'_, '_>) -> Rc<Vec<Finding>> {
    let key = (program_key(cx.c), cx.file);
    if let Some(f) = with_memo(cx.c, |m| {
        m.last_file
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    }) {
        return f;
    }
    let out = Rc::new(analyze_file(cx.c, cx.file));
    with_memo(cx.c, |m| m.last_file = Some((key, out.clone())));
    out
}

fn analyze_file(c: &Checker<'_>, file: u32) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = FxHashSet::default();
    let pkg = file_pkg(c, file);
    let mut flags: Vec<u8> = Vec::new();
    let mut struct_maps: FxHashMap<TypeId, bool> = FxHashMap::default();
    let ast = c.files[file as usize].ast;
    let decl_ids: Vec<u32> = ast
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Func(fd) => Some(fd.name.id.0),
            _ => None,
        })
        .collect();
    // Top-level bodies: function declarations, and function literals in package-level
    // initializers.
    let mut tops: Vec<FuncBody<'_>> = Vec::new();
    for d in ast.decls {
        match d {
            Decl::Func(fd) => {
                if let Some(body) = fd.body {
                    tops.push(FuncBody {
                        index: 0,
                        kind: FuncKind::Decl(fd),
                        ty: fd.ty,
                        body,
                        parent: None,
                    });
                }
            }
            Decl::Gen(g) if g.tok == Tok::Var => {
                for spec in g.specs {
                    if let Spec::Value(vs) = spec {
                        for &v in vs.values {
                            each_sub(v, &mut |x| {
                                if let Expr::FuncLit(l) = x {
                                    tops.push(FuncBody {
                                        index: 0,
                                        kind: FuncKind::Lit(l),
                                        ty: l.ty,
                                        body: l.body,
                                        parent: None,
                                    });
                                }
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let pkg_vars = match pkg {
        Some(p) => pkg_candidates(c, p),
        None => Rc::new(Vec::new()),
    };
    let mut next_decl = 0;
    for top in tops {
        let hint = match top.kind {
            FuncKind::Decl(fd) => {
                let lo = fd.name.id.0 as usize;
                // Function declarations come in order: the next one starts this one's end.
                while next_decl < decl_ids.len() && decl_ids[next_decl] <= fd.name.id.0 {
                    next_decl += 1;
                }
                let hi = decl_ids
                    .get(next_decl)
                    .map_or(ast.node_count as usize, |&x| x as usize);
                range_hint(c, file, lo, hi, &mut struct_maps)
            }
            FuncKind::Lit(_) => true,
        };
        if !(hint && quick_has_source(c, file, &pkg_vars, &top, &mut struct_maps)) {
            continue;
        }
        let mut scan = Scan::run(c, file, &top, pkg, &mut flags, &mut struct_maps);
        if !scan.has_source {
            continue;
        }
        let mut group = vec![top];
        for l in std::mem::take(&mut scan.lits) {
            group.push(FuncBody {
                index: group.len() as u32,
                kind: FuncKind::Lit(l),
                ty: l.ty,
                body: l.body,
                parent: Some(0),
            });
        }
        let mut fa = Fa::new(c, file, scan, None);
        fa.struct_maps = std::mem::take(&mut struct_maps);
        fa.analyze_group(&group, &mut out, &mut seen);
        struct_maps = std::mem::take(&mut fa.struct_maps);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Places and values

const NONE: u32 = u32::MAX;
const DEREF: u32 = u32::MAX - 1;
const DEPTH: usize = 4;

/// A root object followed by up to three steps (field objects, or [`DEREF`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
struct Place([u32; DEPTH]);

impl Place {
    fn root(o: ObjId) -> Place {
        let mut a = [NONE; DEPTH];
        a[0] = o.0;
        Place(a)
    }

    fn obj(self) -> ObjId {
        ObjId(self.0[0])
    }

    fn len(self) -> usize {
        self.0.iter().position(|&x| x == NONE).unwrap_or(DEPTH)
    }

    fn push(self, step: u32) -> Option<Place> {
        let n = self.len();
        if n >= DEPTH {
            return None;
        }
        let mut a = self.0;
        a[n] = step;
        Some(Place(a))
    }

    fn prefix(self, n: usize) -> Place {
        let mut a = [NONE; DEPTH];
        a[..n].copy_from_slice(&self.0[..n]);
        Place(a)
    }

    /// `self` is `p` or a place below it.
    fn within(self, p: Place) -> bool {
        let n = p.len();
        self.len() >= n && self.0[..n] == p.0[..n]
    }

    /// Replaces the prefix `from` of `self` by `to`.
    fn rebase(self, from: Place, to: Place) -> Option<Place> {
        let mut p = to;
        for &s in &self.0[from.len()..self.len()] {
            p = p.push(s)?;
        }
        Some(p)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Val {
    Nil(u16),
    MaybeNil(u16),
    /// Nil (origin `.0`) on the paths where the outcome with literal key `.1` is `.2`, not
    /// nil where it is not: what a lossy merge keeps of a map nil in one state and not in the
    /// other (keyed on a branch outcome the two states disagree on, or on an outcome of its
    /// own shared by maps nil together: see [`group_cond`]). Read through [`PState::get`],
    /// which resolves it with the path's own literals (`MaybeNil` while the outcome is not
    /// known); a nil check on it assumes the outcome.
    Cond(u16, u64, bool),
    Zero(u16),
    MaybeZero(u16),
    NotNil,
    Const(i64),
    Unknown,
}

/// What kind of value a place holds (decides its zero value and whether it is tracked).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PKind {
    Map,
    PtrMap,
    /// A struct value with map fields.
    Struct,
    /// A pointer to a struct with map fields (its fields are places of the pointer: the
    /// automatic dereference is transparent).
    PtrStruct,
    Bool,
    Int,
    /// Other pointers, slices, channels, functions, interfaces.
    Nilable,
    Other,
}

impl PKind {
    fn zero(self, o: u16, maybe: bool) -> Val {
        match (self, maybe) {
            (PKind::Map | PKind::PtrMap | PKind::Nilable | PKind::PtrStruct, false) => Val::Nil(o),
            (PKind::Map | PKind::PtrMap | PKind::Nilable | PKind::PtrStruct, true) => {
                Val::MaybeNil(o)
            }
            (PKind::Struct, false) => Val::Zero(o),
            (PKind::Struct, true) => Val::MaybeZero(o),
            (PKind::Bool | PKind::Int, false) => Val::Const(0),
            _ => Val::Unknown,
        }
    }

    fn nilable(self) -> bool {
        matches!(
            self,
            PKind::Map | PKind::PtrMap | PKind::Nilable | PKind::PtrStruct
        )
    }
}

const FRAGILE: u8 = 1;
const CALL: u8 = 2;
const LEN_MAP: u8 = 4;
/// Involves an element `x[i]` (forgotten when an element of the same root is stored into).
const ELEM: u8 = 8;

/// A branch outcome on the path: the condition `key` evaluated to `pol`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
struct Lit {
    key: u64,
    pol: bool,
    /// [`FRAGILE`]: involves fields, derefs or variables that calls may change (forgotten on
    /// back edges); [`CALL`]: involves a call (forgotten at the next call); [`LEN_MAP`]:
    /// involves `len` of a map (forgotten when the map is stored into); [`ELEM`]: involves
    /// an element (forgotten at the next call and when an element of the root is stored).
    flags: u8,
    roots: [u32; 3],
}

#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
struct PState {
    /// Sorted by place. Shared between the path states copied from one another until one
    /// changes it (most statements change no fact), so copies are cheap and equal facts are
    /// mostly told equal by pointer.
    facts: Rc<Vec<(Place, Val)>>,
    /// Sorted by key.
    lits: Vec<Lit>,
    /// A variable that is the zero value when the map place is nil, so a non-zero value
    /// implies the map is not nil: `ok` of a comma-ok read, `has := m != nil`, `v := m[k]`.
    implies: Vec<(u32, Place)>,
    /// Roots whose address was handed to a call: any later call may change them.
    escaped: Vec<u32>,
    /// The literals `Val::Cond` facts depend on (sorted by key; the polarity is unused): when
    /// one may have gone stale, those facts become `MaybeNil`.
    conds: Vec<Lit>,
}

impl Ord for PState {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        let facts = if Rc::ptr_eq(&self.facts, &o.facts) {
            std::cmp::Ordering::Equal
        } else {
            self.facts.cmp(&o.facts)
        };
        facts
            .then_with(|| self.lits.cmp(&o.lits))
            .then_with(|| self.implies.cmp(&o.implies))
            .then_with(|| self.escaped.cmp(&o.escaped))
            .then_with(|| self.conds.cmp(&o.conds))
    }
}

impl PartialOrd for PState {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl PState {
    /// The facts, to change (copied first when shared).
    fn facts_mut(&mut self) -> &mut Vec<(Place, Val)> {
        Rc::make_mut(&mut self.facts)
    }

    fn get(&self, p: Place) -> Option<Val> {
        let v = self
            .facts
            .binary_search_by(|(q, _)| q.cmp(&p))
            .ok()
            .map(|i| self.facts[i].1)?;
        Some(match v {
            Val::Cond(o, key, nil_when) => match self.lits.binary_search_by(|l| l.key.cmp(&key)) {
                Ok(i) if self.lits[i].pol == nil_when => Val::Nil(o),
                Ok(_) => Val::NotNil,
                Err(_) => Val::MaybeNil(o),
            },
            v => v,
        })
    }

    /// The stored value of `p`, a `Val::Cond` unresolved.
    fn raw(&self, p: Place) -> Option<Val> {
        self.facts
            .binary_search_by(|(q, _)| q.cmp(&p))
            .ok()
            .map(|i| self.facts[i].1)
    }

    /// Assumes the outcome `key` of a conditional fact is `pol` (its descriptor is in
    /// `conds`); `false` when the path already assumes the opposite.
    fn assume(&mut self, key: u64, pol: bool) -> bool {
        match self.conds.binary_search_by(|x| x.key.cmp(&key)) {
            Ok(i) => {
                let l = Lit {
                    pol,
                    ..self.conds[i]
                };
                self.add_lit(l)
            }
            Err(_) => true,
        }
    }

    /// Forgets the literals `stale` selects (what they said may no longer hold). Conditional
    /// facts that depend on one keep what it decides on this path (the value was decided
    /// when the literal was still true); where this path does not know, they stay
    /// conditional on an outcome of their own (maps nil together stay so), no longer tied to
    /// the condition.
    fn drop_lits(&mut self, stale: impl Fn(&Lit) -> bool) {
        if self.conds.iter().any(&stale) {
            let gone: Vec<u64> = self
                .conds
                .iter()
                .filter(|l| stale(l))
                .map(|l| l.key)
                .collect();
            self.conds.retain(|l| !stale(l));
            for i in 0..self.facts.len() {
                if let Val::Cond(o, key, nil_when) = self.facts[i].1 {
                    if gone.contains(&key) {
                        let p = self.facts[i].0;
                        let nv = match self.get(p) {
                            Some(Val::MaybeNil(_)) | None => {
                                let k2 = mix(&[0x0dd5, key]);
                                if let Err(j) = self.conds.binary_search_by(|x| x.key.cmp(&k2)) {
                                    self.conds.insert(
                                        j,
                                        Lit {
                                            key: k2,
                                            pol: true,
                                            flags: 0,
                                            roots: [NONE; 3],
                                        },
                                    );
                                }
                                Val::Cond(o, k2, nil_when)
                            }
                            Some(v) => v,
                        };
                        self.facts_mut()[i].1 = nv;
                    }
                }
            }
        }
        self.lits.retain(|l| !stale(l));
    }

    fn set(&mut self, p: Place, v: Val) {
        match self.facts.binary_search_by(|(q, _)| q.cmp(&p)) {
            Ok(i) if self.facts[i].1 == v => {}
            Ok(i) => self.facts_mut()[i].1 = v,
            Err(i) => self.facts_mut().insert(i, (p, v)),
        }
    }

    /// Removes the facts `gone` selects.
    fn remove_facts(&mut self, gone: impl Fn(&(Place, Val)) -> bool) {
        if self.facts.iter().any(&gone) {
            self.facts_mut().retain(|f| !gone(f));
        }
    }

    /// Removes `p` (when `incl`) and every place below it.
    fn remove_within(&mut self, p: Place, incl: bool) {
        self.remove_facts(|(q, _)| q.within(p) && (incl || *q != p));
    }

    fn kill_root(&mut self, r: u32) {
        self.remove_facts(|(q, _)| q.0[0] == r);
        self.implies.retain(|(ok, q)| *ok != r && q.0[0] != r);
    }

    /// The value a prefix of `p` implies for it.
    fn implied(&self, p: Place, kind: PKind) -> Val {
        let n = p.len();
        for k in (1..n).rev() {
            if let Some(v) = self.get(p.prefix(k)) {
                if p.0[k..n].contains(&DEREF) {
                    return Val::Unknown;
                }
                return match v {
                    Val::Zero(o) => kind.zero(o, false),
                    Val::MaybeZero(o) => kind.zero(o, true),
                    _ => Val::Unknown,
                };
            }
        }
        Val::Unknown
    }

    fn lookup(&self, p: Place, kind: PKind) -> Val {
        self.get(p).unwrap_or_else(|| self.implied(p, kind))
    }

    fn has_prefix_entry(&self, p: Place) -> bool {
        (1..p.len()).any(|k| self.get(p.prefix(k)).is_some())
    }

    fn add_lit(&mut self, l: Lit) -> bool {
        match self.lits.binary_search_by(|x| x.key.cmp(&l.key)) {
            Ok(i) => self.lits[i].pol == l.pol,
            Err(i) => {
                if self.lits.len() >= MAX_LITS {
                    // No room to keep the literal: conditional facts on it are decided now.
                    if let Ok(c) = self.conds.binary_search_by(|x| x.key.cmp(&l.key)) {
                        self.conds.remove(c);
                        for (_, v) in self.facts_mut().iter_mut() {
                            if let Val::Cond(o, key, nil_when) = *v {
                                if key == l.key {
                                    *v = if l.pol == nil_when {
                                        Val::Nil(o)
                                    } else {
                                        Val::NotNil
                                    };
                                }
                            }
                        }
                    }
                    return true;
                }
                self.lits.insert(i, l);
                true
            }
        }
    }

    fn invalidate_root(&mut self, r: u32) {
        self.drop_lits(|l| l.roots.contains(&r));
        self.implies.retain(|(ok, q)| *ok != r && q.0[0] != r);
    }

    /// Merges `o` (with the same facts) into `self`.
    fn merge_same(&mut self, o: &PState) {
        self.lits.retain(|l| o.lits.contains(l));
        for l in &o.conds {
            if let Err(i) = self.conds.binary_search_by(|x| x.key.cmp(&l.key)) {
                self.conds.insert(i, *l);
            }
        }
        self.implies.retain(|i| o.implies.contains(i));
        for &e in &o.escaped {
            if !self.escaped.contains(&e) {
                self.escaped.push(e);
            }
        }
        self.escaped.sort_unstable();
    }

    /// Lossy merge: "`self` or `o`".
    fn merge_lossy(&mut self, o: &PState) {
        let mut places: Vec<Place> = self
            .facts
            .iter()
            .chain(o.facts.iter())
            .map(|(p, _)| *p)
            .collect();
        places.sort_unstable();
        places.dedup();
        // A branch outcome the two states hold with opposite polarities (the most stable
        // one): a place nil in one and not nil in the other stays correlated with it.
        let split = self
            .lits
            .iter()
            .filter(|l| o.lits.iter().any(|m| m.key == l.key && m.pol != l.pol))
            .min_by_key(|l| (l.flags, l.key))
            .copied();
        let mut facts = Vec::with_capacity(places.len());
        let mut used_split = false;
        let (mut nil_here, mut nil_there) = (Vec::new(), Vec::new());
        for p in places {
            // The same stored value (a conditional fact included, which stays correlated with
            // its siblings) is kept as it is.
            if let (Some(x), Some(y)) = (self.raw(p), o.raw(p)) {
                if x == y {
                    facts.push((p, x));
                    continue;
                }
            }
            // A conditional fact on one side that the other side's value agrees with (under
            // its own outcome of the condition) holds for both.
            if let Some(v) = cond_agrees(self, o, p).or_else(|| cond_agrees(o, self, p)) {
                facts.push((p, v));
                continue;
            }
            let (a, b) = (self.get(p), o.get(p));
            let hint = a.or(b).unwrap_or(Val::Unknown);
            let a = a.unwrap_or_else(|| implied_like(self, p, hint));
            let b = b.unwrap_or_else(|| implied_like(o, p, hint));
            let v = match (a, b, split) {
                (Val::Nil(n), Val::NotNil, Some(l)) => Val::Cond(n, l.key, l.pol),
                (Val::NotNil, Val::Nil(n), Some(l)) => Val::Cond(n, l.key, !l.pol),
                (Val::Nil(_), Val::NotNil, None) => {
                    nil_here.push(p);
                    vjoin(a, b)
                }
                (Val::NotNil, Val::Nil(_), None) => {
                    nil_there.push(p);
                    vjoin(a, b)
                }
                _ => vjoin(a, b),
            };
            used_split |= matches!(v, Val::Cond(..));
            facts.push((p, v));
        }
        // Without a split literal, maps nil on the same side (made together on the other)
        // stay correlated: conditional on an outcome of their own, "this group is nil".
        for group in [nil_here, nil_there] {
            if group.len() > 1 {
                group_cond(&mut facts, &mut self.conds, &group);
            }
        }
        // Unknown needs no entry unless a prefix would imply something else.
        let keep: Vec<bool> = facts
            .iter()
            .map(|&(p, v)| {
                v != Val::Unknown
                    || (1..p.len()).any(|k| facts.iter().any(|(q, _)| *q == p.prefix(k)))
            })
            .collect();
        let mut i = 0;
        facts.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        self.facts = Rc::new(facts);
        self.merge_same(o);
        if let (Some(l), true) = (split, used_split) {
            if let Err(i) = self.conds.binary_search_by(|x| x.key.cmp(&l.key)) {
                self.conds.insert(i, l);
            }
        }
    }
}

/// `a`'s conditional fact at `p`, when `b` holds the value it gives under `b`'s own outcome
/// of its condition.
fn cond_agrees(a: &PState, b: &PState, p: Place) -> Option<Val> {
    let v @ Val::Cond(_, key, nil_when) = a.raw(p)? else {
        return None;
    };
    let l = b.lits.iter().find(|l| l.key == key)?;
    let agrees = match b.get(p)? {
        Val::Nil(_) => l.pol == nil_when,
        Val::NotNil => l.pol != nil_when,
        _ => false,
    };
    agrees.then_some(v)
}

/// The implied value of `p` in `s`, with the kind guessed from a value `hint` of the same
/// place.
fn implied_like(s: &PState, p: Place, hint: Val) -> Val {
    let kind = match hint {
        Val::Nil(_) | Val::MaybeNil(_) | Val::Cond(..) | Val::NotNil => PKind::Map,
        Val::Zero(_) | Val::MaybeZero(_) => PKind::Struct,
        Val::Const(_) => PKind::Int,
        Val::Unknown => PKind::Other,
    };
    s.implied(p, kind)
}

fn vjoin(a: Val, b: Val) -> Val {
    use Val::*;
    if a == b {
        return a;
    }
    match (a, b) {
        (Nil(x), Nil(y)) => Nil(x.min(y)),
        (Zero(x), Zero(y)) => Zero(x.min(y)),
        (Nil(o) | MaybeNil(o), _) | (_, Nil(o) | MaybeNil(o)) => MaybeNil(o),
        (Zero(o) | MaybeZero(o), _) | (_, Zero(o) | MaybeZero(o)) => MaybeZero(o),
        _ => Unknown,
    }
}

/// The dataflow state: a set of path states (empty = no feasible path).
#[derive(Clone, Debug, Default)]
struct St {
    paths: Vec<PState>,
    joins: u16,
}

impl St {
    fn one(p: PState) -> St {
        St {
            paths: vec![p],
            joins: 0,
        }
    }
}

fn normalize(paths: &mut Vec<PState>, coarse: bool) {
    if paths.len() > 1 {
        paths.sort_unstable();
        paths.dedup();
        // States with the same facts stay apart while there is room: their different
        // assumptions are what tells `(a && !b) || !a` from `a && b` later. A state whose
        // assumptions include another's (same facts) adds nothing and goes. Sorted, the
        // states with the same facts are neighbours: only they are compared (behind the
        // masks of their literals, which tell most non-subsets apart), and the survivors
        // stay sorted.
        let mut out: Vec<(u64, PState)> = Vec::with_capacity(paths.len());
        let mut run = 0;
        for p in paths.drain(..) {
            if out.get(run).is_some_and(|(_, q)| q.facts != p.facts) {
                run = out.len();
            }
            let m = lit_mask(&p);
            if out[run..]
                .iter()
                .any(|(qm, q)| qm & !m == 0 && assumes_less(q, &p))
            {
                continue;
            }
            let mut i = run;
            while i < out.len() {
                if m & !out[i].0 == 0 && assumes_less(&p, &out[i].1) {
                    out.remove(i);
                } else {
                    i += 1;
                }
            }
            out.push((m, p));
        }
        paths.extend(out.into_iter().map(|(_, p)| p));
    }
    if paths.len() > MAX_PATHS || coarse {
        let mut out: Vec<PState> = Vec::with_capacity(paths.len());
        for p in paths.drain(..) {
            match out.last_mut() {
                Some(last) if last.facts == p.facts => last.merge_same(&p),
                _ => out.push(p),
            }
        }
        *paths = out;
    }
    if paths.len() > MAX_PATHS && !coarse {
        // First forget the bool/int constants: states that agree on everything else merge.
        // Each group with its key (computed again when a merge changes its facts).
        let key = |x: &PState| -> Vec<(Place, Val)> {
            x.facts
                .iter()
                .copied()
                .filter(|(_, v)| !matches!(v, Val::Const(_)))
                .collect()
        };
        let mut groups: Vec<(Vec<(Place, Val)>, PState)> = Vec::new();
        for p in paths.drain(..) {
            let k = key(&p);
            match groups.iter_mut().find(|(gk, _)| *gk == k) {
                Some((gk, g)) => {
                    g.merge_lossy(&p);
                    *gk = key(g);
                }
                None => groups.push((k, p)),
            }
        }
        paths.extend(groups.into_iter().map(|(_, g)| g));
        paths.sort();
    }
    if paths.len() > 1 && (coarse || paths.len() > MAX_PATHS) {
        let all = std::mem::take(paths);
        let mut acc = all[0].clone();
        for p in &all[1..] {
            acc.merge_lossy(p);
        }
        keep_siblings(&mut acc, &all);
        paths.push(acc);
    }
}

/// After merging `all` into `acc`: maps that are nil together in every state (nil in the
/// same states, not nil in the others, or conditional on the same outcome) were made
/// together; they become conditional on an outcome of their own, so that a nil check on one
/// of them still decides the others.
fn keep_siblings(acc: &mut PState, all: &[PState]) {
    let mut by_pattern: FxHashMap<u64, Vec<Place>> = FxHashMap::default();
    for &(p, v) in acc.facts.iter() {
        if !matches!(v, Val::MaybeNil(_)) {
            continue;
        }
        let mut h = FxHasher::default();
        let mut shared = true;
        for st in all {
            match (st.raw(p), st.get(p)) {
                (_, Some(Val::Nil(_))) => 1u8.hash(&mut h),
                (_, Some(Val::NotNil)) => 2u8.hash(&mut h),
                (Some(Val::Cond(_, key, pol)), _) => (3u8, key, pol).hash(&mut h),
                _ => {
                    shared = false;
                    break;
                }
            }
        }
        if shared {
            by_pattern.entry(h.finish()).or_default().push(p);
        }
    }
    let mut groups: Vec<Vec<Place>> = by_pattern.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for g in groups {
        let facts: &mut Vec<(Place, Val)> = Rc::make_mut(&mut acc.facts);
        group_cond(facts, &mut acc.conds, &g);
    }
}

/// Makes the `MaybeNil` facts of `group` conditional on one outcome, "this group is nil":
/// the key depends on the group alone, so it means the same wherever it appears (and the
/// analysis still reaches a fixpoint).
fn group_cond(facts: &mut [(Place, Val)], conds: &mut Vec<Lit>, group: &[Place]) {
    let mut h = FxHasher::default();
    (0x7a11_u32, group).hash(&mut h);
    let key = h.finish();
    for (p, v) in facts.iter_mut() {
        if let (true, Val::MaybeNil(o)) = (group.contains(p), *v) {
            *v = Val::Cond(o, key, true);
        }
    }
    if let Err(j) = conds.binary_search_by(|x| x.key.cmp(&key)) {
        conds.insert(
            j,
            Lit {
                key,
                pol: true,
                flags: 0,
                roots: [NONE; 3],
            },
        );
    }
}

/// One bit per literal (key and polarity) of `p`: the literals of a state that assumes less
/// than another set no bit the other's do not.
fn lit_mask(p: &PState) -> u64 {
    p.lits.iter().fold(0, |m, l| {
        let h = (l.key ^ l.pol as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        m | 1 << (h >> 58)
    })
}

/// `a` covers `b`: same facts, and every assumption of `a` is also made by `b`.
fn covers(a: &PState, b: &PState) -> bool {
    a.facts == b.facts && assumes_less(a, b)
}

/// Of two states with the same facts, `a` assumes nothing `b` does not (and `b` has no
/// escaped root `a` lacks). Literals are sorted by key, one per key.
fn assumes_less(a: &PState, b: &PState) -> bool {
    a.lits.len() <= b.lits.len()
        && a.lits.iter().all(|l| {
            b.lits
                .binary_search_by(|m| m.key.cmp(&l.key))
                .is_ok_and(|i| b.lits[i] == *l)
        })
        && a.implies.iter().all(|i| b.implies.contains(i))
        && b.escaped.iter().all(|e| a.escaped.contains(e))
}

impl Lattice for St {
    fn join(&mut self, other: &Self) -> bool {
        // A path state covered by one already here adds nothing (normalizing would drop
        // it): only the others are added.
        let masks: Vec<u64> = self.paths.iter().map(lit_mask).collect();
        let new: Vec<&PState> = other
            .paths
            .iter()
            .filter(|p| {
                let m = lit_mask(p);
                !self
                    .paths
                    .iter()
                    .zip(&masks)
                    .any(|(q, &qm)| qm & !m == 0 && covers(q, p))
            })
            .collect();
        if new.is_empty() {
            return false;
        }
        self.joins = self.joins.saturating_add(1);
        let coarse = self.joins > COARSE_AFTER;
        // Without a lossy merge, a join that is not covered always changes the state.
        let lossy = coarse || self.paths.len() + new.len() > MAX_PATHS;
        let before = if lossy {
            Some(self.paths.clone())
        } else {
            None
        };
        self.paths.extend(new.into_iter().cloned());
        normalize(&mut self.paths, coarse);
        if coarse {
            for p in &mut self.paths {
                p.lits.clear();
            }
        }
        match before {
            Some(b) => self.paths != b,
            None => true,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Origins of nil

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
enum OKind {
    /// `var m map[K]V` (or a pointer to a map).
    VarDecl,
    /// One of several names of `var a, b map[K]V`.
    VarDeclOf,
    /// `var s S`: a struct with map fields.
    ZeroVar,
    NilAssign,
    NamedResult,
    /// `S{...}` / `&S{...}` without some map field.
    Lit,
    /// `new(S)`.
    New,
    /// `new(map[K]V)`: a pointer to a nil map.
    NewMap,
    PkgVar,
    /// An inner map read out of a map of maps never populated in the function.
    Inner,
    /// The same, where the outer map is itself nil (`var m map[K]map[K2]V`).
    InnerOfNil,
    /// A callee's parameter, nil on entry (summaries).
    Param,
    /// A literal `nil` argument.
    NilArg,
}

#[derive(Clone, Debug)]
struct Origin {
    kind: OKind,
    file: u32,
    span: Span,
    /// The variable's name.
    name: String,
    /// Short source text (`var cfg Config`, `&Config{…}`, `m = nil`).
    text: String,
}

impl Origin {
    /// Why the map is nil, for the message. `field`: the field stored into, when the map is a
    /// field of a zero struct.
    fn why(&self, field: Option<&str>) -> String {
        self.why_for(field, None)
    }

    /// Like [`Origin::why`]; `target` is the variable the map is read from, when it differs
    /// from the variable the nil came from (`b := a`).
    fn why_for(&self, field: Option<&str>, target: Option<&str>) -> String {
        let fld = |f: Option<&str>| match f {
            Some(f) => format!("field `{f}`"),
            None => "its map fields".to_string(),
        };
        if let Some(t) = target {
            if !self.name.is_empty() && t != self.name {
                match self.kind {
                    OKind::VarDecl | OKind::VarDeclOf => {
                        return format!(
                            "it holds the value of `{}`, which `{}` leaves nil",
                            self.name, self.text
                        )
                    }
                    OKind::NamedResult => {
                        return format!(
                            "it holds the value of the named result `{}`, which starts out nil",
                            self.name
                        )
                    }
                    _ => {}
                }
            }
        }
        match self.kind {
            OKind::VarDecl => format!("`{}` leaves it nil", self.text),
            OKind::VarDeclOf => format!("`{}` leaves `{}` nil", self.text, self.name),
            OKind::ZeroVar | OKind::Lit | OKind::New => {
                format!("`{}` leaves {} nil", self.text, fld(field))
            }
            OKind::NilAssign => format!("it is set to nil by `{}`", self.text),
            OKind::NamedResult => format!(
                "the named result `{}` starts out nil and is not assigned before this point",
                self.name
            ),
            OKind::NewMap => format!("`{}` points to a nil map", self.text),
            OKind::PkgVar => format!(
                "package-level `{}` is declared without a value and nothing in its package \
                 assigns it, so it is always nil",
                self.name
            ),
            OKind::Inner => format!(
                "nothing is ever stored into `{}` in this function, so every inner map read \
                 from it is nil",
                self.name
            ),
            OKind::InnerOfNil => format!(
                "`{}` itself is nil (declared without a value) and nothing is ever stored \
                 into it, so every inner map read from it is nil",
                self.name
            ),
            OKind::Param => format!("`{}` is nil", self.name),
            OKind::NilArg => "`nil` is passed for it".to_string(),
        }
    }

    fn label(&self) -> Option<String> {
        Some(match self.kind {
            OKind::VarDecl | OKind::VarDeclOf => {
                "declared here without a value, so it is nil".to_string()
            }
            OKind::ZeroVar => {
                "declared here without a value: the zero struct has nil map fields".to_string()
            }
            OKind::NilAssign => "set to nil here".to_string(),
            OKind::NamedResult => "named result declared here; it starts out nil".to_string(),
            OKind::Lit => "created here; map fields the literal does not set are nil".to_string(),
            OKind::New => "allocated here with every field zero".to_string(),
            OKind::NewMap => "allocated here; the map it points to is nil".to_string(),
            OKind::PkgVar => {
                "declared here without a value and never assigned in its package".to_string()
            }
            OKind::Inner => format!(
                "`{}` is created here; nothing is ever stored into it",
                self.name
            ),
            OKind::InnerOfNil => format!(
                "`{}` is declared here without a value, so it is nil",
                self.name
            ),
            OKind::Param | OKind::NilArg => return None,
        })
    }
}

/// The variable at the bottom of an index chain (`m` of `m[a][b]`).
fn index_root<'a>(e: Expr<'a>) -> Option<&'a Ident<'a>> {
    match e.unparen() {
        Expr::Ident(i) => Some(i),
        Expr::Index(ix) => index_root(ix.x),
        _ => None,
    }
}

/// Collapses whitespace and shortens source text for messages.
fn short(src: &[u8], span: Span, max: usize) -> String {
    let t = src
        .get(span.start as usize..(span.end as usize).min(src.len()))
        .unwrap_or(b"");
    let t = String::from_utf8_lossy(t);
    let mut out = String::new();
    let mut space = false;
    for ch in t.chars() {
        if ch.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Per-function pre-scan

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunKind {
    /// `func() {...}()`.
    Immediate,
    /// `defer func() {...}()`.
    Deferred,
    /// `go func() {...}()`.
    Go,
    /// Bound to a local variable that is only called.
    Local(ObjId),
    /// Anything else: may run at any time.
    Escaping,
}

/// What a function (with its closures) does with its variables, found syntactically before
/// the dataflow runs.
#[derive(Default)]
struct Scan<'a> {
    /// Roots never tracked: address kept, aliased pointers, assigned by escaping closures.
    volatile: FxHashSet<ObjId>,
    /// Roots assigned anywhere (including through method calls and `&x` arguments).
    assigned: FxHashSet<ObjId>,
    /// Variables declared outside each closure (by literal offset) that it assigns.
    closure_assigned: FxHashMap<u32, Vec<ObjId>>,
    run_kind: FxHashMap<u32, RunKind>,
    /// Local closure variables and the literals bound to them.
    closure_vars: FxHashMap<ObjId, Vec<u32>>,
    /// Roots used in conditions (bools, ints and non-map pointers are tracked only then).
    cond_roots: FxHashSet<ObjId>,
    /// Variables assigned inside an `if`/`switch`/loop that also assigns a map: their values
    /// may correlate with the map's nil-ness (flags, sibling errors, loop counters).
    linked: FxHashSet<ObjId>,
    /// Bool fields the function sets to `true` (`w.victim = true`): flags it keeps itself,
    /// assumed false until it sets them.
    flag_fields: FxHashSet<ObjId>,
    /// Local maps of maps that are never populated (every inner map read is nil).
    outer_ok: FxHashSet<ObjId>,
    /// Maps of maps with a store into a deeper level (`m[a][b] = make(...)`): their levels
    /// below the first are not assumed nil.
    outer_deep: FxHashSet<ObjId>,
    /// Zero declarations `var x T` of tracked kinds.
    zero_decls: Vec<(ObjId, &'a ValueSpec<'a>)>,
    /// Package-level maps that nothing in the package assigns.
    pkg_ok: Vec<ObjId>,
    has_source: bool,
    /// The function literals inside the function, in source order (parents first).
    lits: Vec<&'a FuncLit<'a>>,
    /// Local pointers that only ever point at one local place: `p := &m`, `p := &s.f` (with
    /// `m`, `s` local values), never reassigned, and only used as `*p` or `p.f` in the body
    /// that defines them. `*p` is that place: `(*p)[k] = v` stores into `m`. The value is
    /// the place expression and its root.
    aliases: FxHashMap<ObjId, (Expr<'a>, ObjId)>,
}

/// A candidate for [`Scan::aliases`], while the function is scanned.
struct AliasCand<'a> {
    target: Expr<'a>,
    root: ObjId,
    /// The body (literal offset) that defines the pointer.
    body: u32,
    assigns: u32,
    bad: bool,
}

impl<'a> Scan<'a> {
    fn run(
        c: &Checker<'a>,
        file: u32,
        top: &FuncBody<'a>,
        pkg: Option<u32>,
        flags: &mut Vec<u8>,
        struct_maps: &mut FxHashMap<TypeId, bool>,
    ) -> Scan<'a> {
        let n = c.files[file as usize].ast.node_count as usize;
        if flags.len() < n {
            flags.resize(n, 0);
        }
        let mut v = ScanV {
            c,
            file,
            pkg,
            s: Scan::default(),
            stack: Vec::new(),
            lit_ctx: FxHashMap::default(),
            lit_parent: FxHashMap::default(),
            flags: std::mem::take(flags),
            frames: Vec::new(),
            closure_bad: FxHashSet::default(),
            closure_call_bodies: FxHashMap::default(),
            outer_seen: FxHashSet::default(),
            outer_bad: FxHashSet::default(),
            pkg_vars: Vec::new(),
            struct_maps: std::mem::take(struct_maps),
            alias_cands: FxHashMap::default(),
        };
        if let Some(res) = top.ty.results {
            v.results_source(res);
        }
        if let FuncKind::Lit(l) = top.kind {
            v.stack.push((l.span.start, l.span));
            v.s.run_kind.insert(l.span.start, RunKind::Escaping);
        }
        visit::walk_stmt(&mut v, Stmt::Block(top.body));
        *flags = std::mem::take(&mut v.flags);
        *struct_maps = std::mem::take(&mut v.struct_maps);
        v.finish()
    }
}

const OK_PTR: u8 = 1;
const OK_ADDR: u8 = 2;
const OK_OUTER: u8 = 4;
const CALL_FUN: u8 = 8;
const BIND: u8 = 16;
/// `&x` defining an alias candidate (see [`Scan::aliases`]).
const ALIAS_DEF: u8 = 32;
/// An identifier used as `*p` or `p.f` (a use an alias allows).
const ALIAS_USE: u8 = 64;

struct ScanV<'x, 'a> {
    c: &'x Checker<'a>,
    file: u32,
    pkg: Option<u32>,
    s: Scan<'a>,
    /// Enclosing function literals: (offset, span).
    stack: Vec<(u32, Span)>,
    lit_ctx: FxHashMap<u32, RunKind>,
    /// Literal → offset of the body it is written in (`NONE` for the top body).
    lit_parent: FxHashMap<u32, u32>,
    /// Per-node context bits of the file ([`OK_PTR`], ...), indexed by `NodeId`.
    flags: Vec<u8>,
    /// Enclosing compound statements: the variables they assign, and whether they assign a
    /// map.
    frames: Vec<(Vec<ObjId>, bool)>,
    closure_bad: FxHashSet<ObjId>,
    closure_call_bodies: FxHashMap<ObjId, Vec<u32>>,
    outer_seen: FxHashSet<ObjId>,
    outer_bad: FxHashSet<ObjId>,
    pkg_vars: Vec<ObjId>,
    struct_maps: FxHashMap<TypeId, bool>,
    alias_cands: FxHashMap<ObjId, AliasCand<'a>>,
}

fn file_pkg(c: &Checker<'_>, file: u32) -> Option<u32> {
    with_memo(c, |m| {
        if m.file_pkg.len() != c.files.len() {
            m.file_pkg = vec![u32::MAX; c.files.len()];
            for (i, p) in c.pkgs.iter().enumerate() {
                for &f in &p.desc.files {
                    if let Some(x) = m.file_pkg.get_mut(f as usize) {
                        *x = i as u32;
                    }
                }
            }
        }
        m.file_pkg
            .get(file as usize)
            .copied()
            .filter(|&p| p != u32::MAX)
    })
}

impl<'a> ScanV<'_, 'a> {
    fn flag(&mut self, id: NodeId, bit: u8) {
        if let Some(f) = self.flags.get_mut(id.index()) {
            *f |= bit;
        }
    }

    fn has(&self, id: NodeId, bit: u8) -> bool {
        self.flags.get(id.index()).is_some_and(|f| f & bit != 0)
    }

    fn obj(&self, i: &Ident<'_>) -> Option<ObjId> {
        obj_in(self.c, self.file, i)
    }

    fn ty(&self, e: Expr<'_>) -> TypeId {
        type_in(self.c, self.file, e)
    }

    fn kind(&mut self, t: TypeId) -> PKind {
        kind_of(self.c, t, &mut self.struct_maps)
    }

    fn cur_body(&self) -> u32 {
        self.stack.last().map_or(NONE, |s| s.0)
    }

    fn is_local(&self, o: ObjId) -> bool {
        let ob = self.c.obj(o);
        ob.is_var() && !ob.package_level && ob.kind != ObjKind::Var(VarKind::Field)
    }

    fn root_ident(&self, e: Expr<'a>) -> Option<&'a Ident<'a>> {
        let mut e = e;
        loop {
            match e {
                Expr::Paren(p) => e = p.x,
                Expr::Selector(s) => {
                    if let Expr::Ident(i) = s.x.unparen() {
                        if let Some(o) = self.obj(i) {
                            if matches!(self.c.obj(o).kind, ObjKind::PkgName(_)) {
                                return Some(s.sel);
                            }
                        }
                    }
                    e = s.x;
                }
                Expr::Star(s) => e = s.x,
                Expr::Index(ix) if !self.c.types.is_map(self.ty(ix.x)) => e = ix.x,
                Expr::Ident(i) => return Some(i),
                _ => return None,
            }
        }
    }

    fn root_obj(&self, e: Expr<'a>) -> Option<ObjId> {
        self.root_ident(e).and_then(|i| self.obj(i))
    }

    /// The root of `x` when `x` is a place that stays where it is for the whole body: a local
    /// variable of map or struct type, or fields of struct values below one.
    fn value_place_root(&mut self, x: Expr<'a>) -> Option<ObjId> {
        match x.unparen() {
            Expr::Ident(i) => {
                let o = self.obj(i)?;
                let k = self.kind(self.ty(x));
                (self.is_local(o) && matches!(k, PKind::Map | PKind::Struct)).then_some(o)
            }
            Expr::Selector(s) => {
                let f = self.obj(s.sel)?;
                if self.c.obj(f).kind != ObjKind::Var(VarKind::Field) {
                    return None;
                }
                if !matches!(
                    self.c.types.get(self.c.types.core(self.ty(s.x))),
                    Type::Struct(_)
                ) {
                    return None;
                }
                if !matches!(self.kind(self.ty(x)), PKind::Map | PKind::Struct) {
                    return None;
                }
                self.value_place_root(s.x)
            }
            _ => None,
        }
    }

    /// `p := &x` (or `var p = &x`): `p` may be an alias of the place `x`.
    fn alias_def(&mut self, name: &'a Ident<'a>, value: Expr<'a>) {
        let Expr::Unary(u) = value.unparen() else {
            return;
        };
        if u.op != Tok::And || name.is_blank() {
            return;
        }
        let Some(p) = self.obj(name) else { return };
        let Some(root) = self.value_place_root(u.x) else {
            return;
        };
        self.flag(u.id, ALIAS_DEF);
        self.flag(name.id, ALIAS_USE);
        let body = self.cur_body();
        self.alias_cands.insert(
            p,
            AliasCand {
                target: u.x,
                root,
                body,
                assigns: 0,
                bad: false,
            },
        );
    }

    /// A use of `o` that an alias does not allow (the pointer itself escapes or changes).
    fn alias_bad(&mut self, o: ObjId) {
        if let Some(a) = self.alias_cands.get_mut(&o) {
            a.bad = true;
        }
    }

    fn frame_assign(&mut self, o: ObjId, map_like: bool) {
        if let Some(f) = self.frames.last_mut() {
            if !f.0.contains(&o) {
                f.0.push(o);
            }
            f.1 |= map_like;
        }
    }

    fn record_assign(&mut self, o: ObjId) {
        self.s.assigned.insert(o);
        self.frame_assign(o, false);
        let decl = self.c.obj(o).pos;
        if decl.file != self.file {
            return;
        }
        for &(lit, span) in &self.stack {
            if !(span.start <= decl.offset && decl.offset < span.end) {
                let v = self.s.closure_assigned.entry(lit).or_default();
                if !v.contains(&o) {
                    v.push(o);
                }
            }
        }
    }

    fn results_source(&mut self, res: &FieldList<'_>) {
        for f in res.list {
            if f.names.is_empty() {
                continue;
            }
            let k = self.kind(self.ty(f.ty));
            if matches!(k, PKind::Map | PKind::PtrMap | PKind::Struct) {
                self.s.has_source = true;
            }
        }
    }

    /// A map of maps (or of structs with map fields): its inner values read back are nil
    /// until something is stored.
    fn outer_type(&mut self, t: TypeId) -> bool {
        match self.c.types.map_kv(t) {
            Some((_, v)) => matches!(self.kind(v), PKind::Map | PKind::Struct),
            None => false,
        }
    }

    /// `make(...)`, an empty map literal: a fresh map with nothing in it.
    fn empty_map_init(&self, e: Expr<'_>) -> bool {
        match e.unparen() {
            Expr::Call(call) => {
                matches!(builtin_of(self.c, self.file, call), Some(Builtin::Make))
            }
            Expr::CompositeLit(cl) => cl.elts.is_empty(),
            _ => false,
        }
    }

    fn lhs(&mut self, lhs: Expr<'a>, rhs: Option<Expr<'a>>, tok: Tok) {
        if !self.frames.is_empty() {
            let k = self.kind(self.ty(lhs));
            let nil_src = rhs.is_some_and(|r| {
                matches!(
                    r.unparen(),
                    Expr::CompositeLit(_) | Expr::Unary(_) | Expr::Call(_)
                )
            });
            if matches!(k, PKind::Map | PKind::PtrMap)
                || (matches!(k, PKind::Struct | PKind::PtrStruct) && nil_src)
            {
                if let Some(f) = self.frames.last_mut() {
                    f.1 = true;
                }
            }
        }
        match lhs.unparen() {
            Expr::Ident(i) => {
                if i.is_blank() {
                    return;
                }
                self.flag(i.id, OK_PTR);
                let Some(o) = self.obj(i) else { return };
                if let Some(a) = self.alias_cands.get_mut(&o) {
                    a.assigns += 1;
                }
                if tok == Tok::Assign || tok == Tok::Define {
                    if let Some(Expr::FuncLit(l)) = rhs.map(|r| r.unparen()) {
                        self.flag(i.id, BIND);
                        self.lit_ctx.insert(l.span.start, RunKind::Local(o));
                        self.s.closure_vars.entry(o).or_default().push(l.span.start);
                    } else {
                        self.closure_bad.insert(o);
                    }
                    let t = self.ty(Expr::Ident(i));
                    if self.outer_type(t) {
                        if rhs.is_some_and(|r| self.empty_map_init(r)) {
                            self.flag(i.id, OK_OUTER);
                            self.outer_seen.insert(o);
                        } else {
                            self.outer_bad.insert(o);
                        }
                    }
                    if let Some(r) = rhs {
                        if is_nil_value(self.c, self.file, r)
                            && matches!(self.kind(t), PKind::Map | PKind::PtrMap)
                        {
                            self.s.has_source = true;
                        }
                    }
                } else {
                    self.closure_bad.insert(o);
                    self.outer_bad.insert(o);
                }
                self.record_assign(o);
            }
            Expr::Index(ix) if self.c.types.is_map(self.ty(ix.x)) => {
                if let Some(o) = self.root_obj(ix.x) {
                    if let Expr::Ident(_) = ix.x.unparen() {
                        self.outer_bad.insert(o);
                    }
                }
                // A store into a deeper level that creates an inner map (`m[a][b] = make(..)`).
                if matches!(ix.x.unparen(), Expr::Index(_)) && self.c.types.is_map(self.ty(lhs)) {
                    if let Some(o) = index_root(ix.x).and_then(|i| self.obj(i)) {
                        self.s.outer_deep.insert(o);
                    }
                }
            }
            e => {
                if let (Expr::Selector(sel), Some(r)) = (e, rhs) {
                    if matches!(r.unparen(), Expr::Ident(t) if t.name == "true") {
                        if let Some(f) = self.obj(sel.sel) {
                            self.s.flag_fields.insert(f);
                        }
                    }
                }
                if let Some(o) = self.root_obj(e) {
                    self.record_assign(o);
                    // `*p = v`, `p.f = v` assign the place an alias points at.
                    if let Some(r) = self.alias_cands.get(&o).map(|a| a.root) {
                        self.record_assign(r);
                    }
                    if let Some(r) = rhs {
                        if is_nil_value(self.c, self.file, r) {
                            let t = self.ty(e);
                            if matches!(self.kind(t), PKind::Map | PKind::PtrMap) {
                                self.s.has_source = true;
                            }
                        }
                    }
                }
            }
        }
    }

    fn cond_roots(&mut self, e: Expr<'a>) {
        struct R<'y, 'x, 'a> {
            v: &'y mut ScanV<'x, 'a>,
        }
        impl<'a> Visitor<'a> for R<'_, '_, 'a> {
            fn visit_expr(&mut self, e: Expr<'a>) -> bool {
                match e {
                    Expr::FuncLit(_) => false,
                    Expr::Ident(i) => {
                        if let Some(o) = self.v.obj(i) {
                            if self.v.c.obj(o).is_var() {
                                self.v.s.cond_roots.insert(o);
                            }
                        }
                        true
                    }
                    _ => true,
                }
            }
        }
        visit::walk_expr(&mut R { v: self }, e);
    }

    fn finish(mut self) -> Scan<'a> {
        let mut cands: Vec<_> = std::mem::take(&mut self.alias_cands).into_iter().collect();
        cands.sort_unstable_by_key(|(p, _)| *p);
        for (p, a) in cands {
            if a.bad || a.assigns != 1 {
                self.s.volatile.insert(a.root);
            } else {
                self.s.aliases.insert(p, (a.target, a.root));
            }
        }
        for (&lit, &ctx) in &self.lit_ctx {
            let parent = self.lit_parent.get(&lit).copied().unwrap_or(NONE);
            let kind = match ctx {
                RunKind::Local(f) => {
                    let bodies_ok = self
                        .closure_call_bodies
                        .get(&f)
                        .is_none_or(|b| b.iter().all(|&b| b == parent));
                    if self.closure_bad.contains(&f) || !bodies_ok {
                        RunKind::Escaping
                    } else {
                        RunKind::Local(f)
                    }
                }
                k => k,
            };
            self.s.run_kind.insert(lit, kind);
        }
        for (&lit, &kind) in &self.s.run_kind {
            if matches!(kind, RunKind::Escaping | RunKind::Go) {
                if let Some(vs) = self.s.closure_assigned.get(&lit) {
                    self.s.volatile.extend(vs.iter().copied());
                }
            }
        }
        // An alias whose target is volatile for another reason points at nothing tracked.
        let vol = &self.s.volatile;
        self.s.aliases.retain(|_, (_, r)| !vol.contains(r));
        for o in self.outer_seen {
            if !self.outer_bad.contains(&o) && !self.s.volatile.contains(&o) {
                self.s.outer_ok.insert(o);
                self.s.has_source = true;
            }
        }
        self.pkg_vars.sort_unstable();
        self.pkg_vars.dedup();
        for o in self.pkg_vars {
            if pkg_var_qualifies(self.c, o) {
                self.s.pkg_ok.push(o);
                self.s.has_source = true;
            }
        }
        self.s
    }
}

impl<'a> Visitor<'a> for ScanV<'_, 'a> {
    fn visit_field_list(&mut self, _l: &'a FieldList<'a>) -> bool {
        false
    }

    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Assign(a) => {
                if a.tok == Tok::Define && a.lhs.len() == 1 && a.rhs.len() == 1 {
                    if let Expr::Ident(i) = a.lhs[0] {
                        self.alias_def(i, a.rhs[0]);
                    }
                }
                let pair = a.lhs.len() == a.rhs.len();
                for (i, &l) in a.lhs.iter().enumerate() {
                    let r = if pair { Some(a.rhs[i]) } else { None };
                    self.lhs(l, r, a.tok);
                }
            }
            Stmt::IncDec(x) => self.lhs(x.x, None, Tok::AddAssign),
            Stmt::Range(r) => {
                self.frames.push((Vec::new(), false));
                for e in [r.key, r.value].into_iter().flatten() {
                    if r.tok == Tok::Assign {
                        self.lhs(e, None, Tok::AddAssign);
                    } else if let Expr::Ident(i) = e {
                        self.flag(i.id, OK_PTR);
                        if let Some(o) = self.obj(i) {
                            self.frame_assign(o, false);
                        }
                    }
                }
                if let Expr::Ident(i) = r.x.unparen() {
                    self.flag(i.id, OK_OUTER);
                }
            }
            Stmt::Decl(d) => {
                if let Decl::Gen(g) = d.decl {
                    if g.tok == Tok::Var {
                        for spec in g.specs {
                            let Spec::Value(vs) = spec else { continue };
                            for (i, &n) in vs.names.iter().enumerate() {
                                self.flag(n.id, OK_PTR);
                                let Some(o) = self.obj(n) else { continue };
                                let t = self.ty(Expr::Ident(n));
                                let k = self.kind(t);
                                self.frame_assign(o, matches!(k, PKind::Map | PKind::PtrMap));
                                match vs.values.get(i) {
                                    None if vs.values.is_empty() => {
                                        if matches!(k, PKind::Map | PKind::PtrMap | PKind::Struct) {
                                            self.s.has_source = true;
                                            self.s.zero_decls.push((o, vs));
                                        }
                                        if self.outer_type(t) {
                                            self.flag(n.id, OK_OUTER);
                                            self.outer_seen.insert(o);
                                        }
                                    }
                                    Some(&v) => {
                                        if vs.names.len() == 1 {
                                            self.alias_def(n, v);
                                            if let Some(a) = self.alias_cands.get_mut(&o) {
                                                a.assigns += 1;
                                            }
                                        }
                                        if let Expr::FuncLit(l) = v.unparen() {
                                            self.flag(n.id, BIND);
                                            self.lit_ctx.insert(l.span.start, RunKind::Local(o));
                                            self.s
                                                .closure_vars
                                                .entry(o)
                                                .or_default()
                                                .push(l.span.start);
                                        }
                                        if is_nil_value(self.c, self.file, v)
                                            && matches!(k, PKind::Map | PKind::PtrMap)
                                        {
                                            self.s.has_source = true;
                                        }
                                        if self.outer_type(t) {
                                            if self.empty_map_init(v) {
                                                self.flag(n.id, OK_OUTER);
                                                self.outer_seen.insert(o);
                                            } else {
                                                self.outer_bad.insert(o);
                                            }
                                        }
                                    }
                                    None => {}
                                }
                            }
                        }
                    }
                }
            }
            Stmt::Go(g) => match g.call.fun.unparen() {
                Expr::FuncLit(l) => {
                    self.lit_ctx.insert(l.span.start, RunKind::Go);
                }
                Expr::Ident(i) => {
                    if let Some(o) = self.obj(i) {
                        self.closure_bad.insert(o);
                    }
                    self.flag(i.id, CALL_FUN);
                }
                _ => {}
            },
            Stmt::Defer(d) => match d.call.fun.unparen() {
                Expr::FuncLit(l) => {
                    self.lit_ctx.insert(l.span.start, RunKind::Deferred);
                }
                Expr::Ident(i) => {
                    self.flag(i.id, CALL_FUN);
                    if let Some(o) = self.obj(i) {
                        let b = self.cur_body();
                        self.closure_call_bodies.entry(o).or_default().push(b);
                    }
                }
                _ => {}
            },
            Stmt::Return(r) => {
                for e in r.results {
                    if let Expr::Ident(i) = e.unparen() {
                        self.flag(i.id, OK_PTR);
                        self.flag(i.id, OK_OUTER);
                    }
                }
            }
            Stmt::If(x) => {
                self.frames.push((Vec::new(), false));
                self.cond_roots(x.cond)
            }
            Stmt::For(x) => {
                self.frames.push((Vec::new(), false));
                if let Some(cnd) = x.cond {
                    self.cond_roots(cnd);
                }
            }
            Stmt::TypeSwitch(_) | Stmt::Select(_) => self.frames.push((Vec::new(), false)),
            Stmt::Switch(x) => {
                self.frames.push((Vec::new(), false));
                if let Some(t) = x.tag {
                    self.cond_roots(t);
                }
                for cl in x.body.list {
                    if let Stmt::CaseClause(cc) = cl {
                        for &e in cc.list {
                            self.cond_roots(e);
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
                let start = l.span.start;
                let parent = self.cur_body();
                self.s.lits.push(l);
                self.lit_parent.insert(start, parent);
                self.lit_ctx.entry(start).or_insert(RunKind::Escaping);
                if let Some(res) = l.ty.results {
                    self.results_source(res);
                }
                self.stack.push((start, l.span));
            }
            Expr::Call(call) => {
                match call.fun.unparen() {
                    Expr::FuncLit(l) => {
                        self.lit_ctx
                            .entry(l.span.start)
                            .or_insert(RunKind::Immediate);
                    }
                    Expr::Ident(i) => {
                        self.flag(i.id, CALL_FUN);
                        if let Some(o) = self.obj(i) {
                            let b = self.cur_body();
                            self.closure_call_bodies.entry(o).or_default().push(b);
                        }
                    }
                    Expr::Selector(s) => {
                        self.flag(s.id, CALL_FUN);
                        if let Some(fo) = self.obj(s.sel) {
                            if self.c.obj(fo).kind == ObjKind::Func
                                && !is_pkg_name(self.c, self.file, s.x)
                            {
                                if let Expr::Ident(i) = s.x.unparen() {
                                    self.flag(i.id, OK_PTR);
                                }
                                if let Some(o) = self.root_obj(s.x) {
                                    self.alias_bad(o);
                                    if self.is_local(o) {
                                        self.record_assign(o);
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
                let b = builtin_of(self.c, self.file, call);
                match b {
                    Some(Builtin::New) => {
                        if let Some(&a) = call.args.first() {
                            let k = self.kind(self.ty(a));
                            if matches!(k, PKind::Map | PKind::Struct) {
                                self.s.has_source = true;
                            }
                        }
                    }
                    Some(Builtin::Len | Builtin::Cap | Builtin::Delete | Builtin::Clear) => {
                        if let Some(Expr::Ident(i)) = call.args.first().map(|a| a.unparen()) {
                            self.flag(i.id, OK_OUTER);
                        }
                    }
                    _ => {}
                }
                let ft = self.ty(call.fun);
                for (j, &a) in call.args.iter().enumerate() {
                    match a.unparen() {
                        Expr::Unary(u) if u.op == Tok::And => {
                            self.flag(u.id, OK_ADDR);
                            if let Some(o) = self.root_obj(u.x) {
                                self.alias_bad(o);
                                if self.is_local(o) {
                                    self.record_assign(o);
                                }
                            }
                        }
                        Expr::Ident(i) => {
                            self.flag(i.id, OK_PTR);
                            if b.is_none() && is_nil(self.c, self.file, a) {
                                if let Some(pt) = param_type(self.c, ft, j) {
                                    if matches!(self.kind(pt), PKind::Map | PKind::PtrMap) {
                                        self.s.has_source = true;
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Expr::Unary(u)
                if u.op == Tok::And
                    && !self.has(u.id, OK_ADDR)
                    && !matches!(u.x.unparen(), Expr::CompositeLit(_)) =>
            {
                if let Some(o) = self.root_obj(u.x) {
                    self.alias_bad(o);
                    if self.is_local(o) {
                        // An alias's target is volatile only if the alias fails (`finish`).
                        if !self.has(u.id, ALIAS_DEF) {
                            self.s.volatile.insert(o);
                        }
                        self.record_assign(o);
                    }
                }
            }
            Expr::Selector(s) => {
                if let Expr::Ident(i) = s.x.unparen() {
                    self.flag(i.id, OK_PTR);
                    if self
                        .obj(s.sel)
                        .is_some_and(|f| self.c.obj(f).kind == ObjKind::Var(VarKind::Field))
                    {
                        self.flag(i.id, ALIAS_USE);
                    }
                }
                // A method value (`f := c.Init`) keeps `&c` for later calls.
                if !self.has(s.id, CALL_FUN)
                    && self
                        .obj(s.sel)
                        .is_some_and(|fo| self.c.obj(fo).kind == ObjKind::Func)
                    && !is_pkg_name(self.c, self.file, s.x)
                {
                    if let Some(o) = self.root_obj(s.x) {
                        self.alias_bad(o);
                        if self.is_local(o) {
                            self.s.volatile.insert(o);
                            self.record_assign(o);
                        }
                    }
                }
            }
            Expr::Star(s) => {
                if let Expr::Ident(i) = s.x.unparen() {
                    self.flag(i.id, OK_PTR);
                    self.flag(i.id, ALIAS_USE);
                }
            }
            Expr::Index(ix) => {
                if let Expr::Ident(i) = ix.x.unparen() {
                    self.flag(i.id, OK_OUTER);
                    self.flag(i.id, OK_PTR);
                }
            }
            Expr::Binary(b) if b.op == Tok::Eql || b.op == Tok::Neq => {
                for (x, y) in [(b.x, b.y), (b.y, b.x)] {
                    if is_nil(self.c, self.file, y) {
                        if let Expr::Ident(i) = x.unparen() {
                            self.flag(i.id, OK_PTR);
                        }
                    }
                }
            }
            Expr::CompositeLit(cl) => {
                let t = self.ty(e);
                if self.kind(t) == PKind::Struct && lit_leaves_nil(self.c, self.file, cl, t) {
                    self.s.has_source = true;
                }
            }
            Expr::Ident(i) => {
                let Some(o) = self.obj(i) else { return true };
                let body = self.cur_body();
                let used_ok = self.has(i.id, ALIAS_USE);
                if let Some(a) = self.alias_cands.get_mut(&o) {
                    if !used_ok || a.body != body {
                        a.bad = true;
                    }
                }
                let ob = self.c.obj(o);
                if !ob.is_var() {
                    return true;
                }
                if ob.package_level {
                    if ob.pkg.map(|p| p.0) == self.pkg && !ob.is_exported() {
                        let k = self.kind(self.ty(e));
                        if matches!(k, PKind::Map | PKind::PtrMap) {
                            self.pkg_vars.push(o);
                        }
                    }
                    return true;
                }
                if ob.kind == ObjKind::Var(VarKind::Field) {
                    return true;
                }
                let t = self.ty(e);
                if !self.has(i.id, CALL_FUN)
                    && !self.has(i.id, BIND)
                    && matches!(self.c.types.get(self.c.types.core(t)), Type::Func(_))
                {
                    self.closure_bad.insert(o);
                }
                let k = self.kind(t);
                if matches!(k, PKind::PtrStruct | PKind::PtrMap) && !self.has(i.id, OK_PTR) {
                    self.s.volatile.insert(o);
                }
                if self.outer_type(t) && !self.has(i.id, OK_OUTER) {
                    self.outer_bad.insert(o);
                }
            }
            _ => {}
        }
        true
    }

    fn leave_stmt(&mut self, s: Stmt<'a>) {
        if matches!(
            s,
            Stmt::If(_)
                | Stmt::For(_)
                | Stmt::Range(_)
                | Stmt::Switch(_)
                | Stmt::TypeSwitch(_)
                | Stmt::Select(_)
        ) {
            if let Some((vars, map_like)) = self.frames.pop() {
                if map_like {
                    self.s.linked.extend(vars.iter().copied());
                }
                if let Some(parent) = self.frames.last_mut() {
                    for v in vars {
                        if !parent.0.contains(&v) {
                            parent.0.push(v);
                        }
                    }
                    parent.1 |= map_like;
                }
            }
        }
    }

    fn leave_expr(&mut self, e: Expr<'a>) {
        if let Expr::FuncLit(l) = e {
            if self.stack.last().is_some_and(|s| s.0 == l.span.start) {
                self.stack.pop();
            }
        }
    }
}

/// The cheapest filter, over the checker's dense per-node tables of one function's node range
/// (node ids are handed out in source order): a function that never has an expression of map,
/// map pointer or map-holding struct type, and never names `nil`, has nothing to report.
fn range_hint(
    c: &Checker<'_>,
    file: u32,
    lo: usize,
    hi: usize,
    memo: &mut FxHashMap<TypeId, bool>,
) -> bool {
    let info = &c.infos[file as usize];
    let hi_t = hi.min(info.expr_types.len());
    if lo >= hi_t {
        return false;
    }
    TYPE_FLAGS.with(|f| {
        let mut flags = f.borrow_mut();
        let mut last = TypeId::UNKNOWN;
        for &t in &info.expr_types[lo..hi_t] {
            if t == last || t.is_unknown() {
                continue;
            }
            last = t;
            let i = t.0 as usize;
            if flags.len() <= i {
                flags.resize(i + 1, 0);
            }
            let yes = match flags[i] {
                1 => false,
                2 => true,
                _ => {
                    let yes = matches!(
                        kind_of(c, t, memo),
                        PKind::Map | PKind::PtrMap | PKind::Struct
                    ) || match c.types.get(t) {
                        Type::Func(sig) => sig
                            .params
                            .iter()
                            .any(|&p| c.types.is_map(p) || c.types.is_ptr_to_map(p)),
                        _ => false,
                    };
                    flags[i] = if yes { 2 } else { 1 };
                    yes
                }
            };
            if yes {
                return true;
            }
        }
        false
    })
}

thread_local! {
    /// Per type id: 0 unknown yet, 1 not interesting, 2 map-like (see [`range_hint`]); reset
    /// with the memo when the program changes.
    static TYPE_FLAGS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A cheap first pass: could this function (with its closures) hold a nil map at all?
/// Most functions cannot, and are skipped before any real work. An iterative walk (no
/// visitor, no recursion) that looks at declarations, `nil` assignments and arguments,
/// struct literals, `new` and the package's never-assigned maps.
fn quick_has_source<'a>(
    c: &Checker<'a>,
    file: u32,
    pkg_vars: &[ObjId],
    top: &FuncBody<'a>,
    memo: &mut FxHashMap<TypeId, bool>,
) -> bool {
    let mut q = Quick {
        c,
        file,
        pkg_vars,
        memo,
    };
    if q.results(top.ty.results) {
        return true;
    }
    let mut stack: Vec<Item<'a>> = Vec::with_capacity(64);
    stack.extend(top.body.list.iter().rev().map(|&s| Item::S(s)));
    while let Some(it) = stack.pop() {
        let found = match it {
            Item::S(s) => q.stmt(s, &mut stack),
            Item::E(e) => q.expr(e, &mut stack),
        };
        if found {
            return true;
        }
    }
    false
}

enum Item<'a> {
    S(Stmt<'a>),
    E(Expr<'a>),
}

struct Quick<'x, 'a, 'm> {
    c: &'x Checker<'a>,
    file: u32,
    /// The package's qualifying package-level maps.
    pkg_vars: &'m [ObjId],
    memo: &'m mut FxHashMap<TypeId, bool>,
}

impl<'a> Quick<'_, 'a, '_> {
    fn kind(&mut self, t: TypeId) -> PKind {
        kind_of(self.c, t, self.memo)
    }

    fn results(&mut self, res: Option<&FieldList<'_>>) -> bool {
        if let Some(res) = res {
            for f in res.list {
                if !f.names.is_empty() {
                    let k = self.kind(type_in(self.c, self.file, f.ty));
                    if matches!(k, PKind::Map | PKind::PtrMap | PKind::Struct) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// `t` is a map of maps initialized empty (`make`, `{}`, or no value).
    fn outer_init(&mut self, t: TypeId, v: Option<Expr<'_>>) -> bool {
        let empty = match v.map(|v| v.unparen()) {
            None => true,
            Some(Expr::Call(call)) => {
                matches!(call.fun.unparen(), Expr::Ident(f) if f.name == "make")
            }
            Some(Expr::CompositeLit(cl)) => cl.elts.is_empty(),
            _ => false,
        };
        empty
            && match self.c.types.map_kv(t) {
                Some((_, vt)) => matches!(self.kind(vt), PKind::Map | PKind::Struct),
                None => false,
            }
    }

    /// A value that, stored in a variable, holds nil maps: a struct literal that leaves a map
    /// field out, `new(S)`, `new(map[K]V)`.
    fn value_source(&mut self, v: Expr<'_>) -> bool {
        let v = match v.unparen() {
            Expr::Unary(u) if u.op == Tok::And => u.x.unparen(),
            v => v,
        };
        match v {
            Expr::CompositeLit(cl) => {
                let t = type_in(self.c, self.file, v);
                self.kind(t) == PKind::Struct && lit_leaves_nil(self.c, self.file, cl, t)
            }
            Expr::Call(call) => {
                matches!(call.fun.unparen(), Expr::Ident(f) if f.name == "new")
                    && matches!(builtin_of(self.c, self.file, call), Some(Builtin::New))
                    && call.args.first().is_some_and(|&a| {
                        let k = self.kind(type_in(self.c, self.file, a));
                        matches!(k, PKind::Map | PKind::Struct)
                    })
            }
            _ => false,
        }
    }

    fn is_nil_lit(&self, e: Expr<'_>) -> bool {
        matches!(e.unparen(), Expr::Ident(i) if i.name == "nil") && is_nil(self.c, self.file, e)
    }

    fn stmt(&mut self, s: Stmt<'a>, st: &mut Vec<Item<'a>>) -> bool {
        let push_s = |x: Stmt<'a>, st: &mut Vec<Item<'a>>| st.push(Item::S(x));
        match s {
            Stmt::Bad(_) | Stmt::Empty(_) | Stmt::Branch(_) => {}
            Stmt::Decl(d) => {
                if let Decl::Gen(g) = d.decl {
                    if g.tok != Tok::Var {
                        return false;
                    }
                    for spec in g.specs {
                        let Spec::Value(vs) = spec else { continue };
                        for (i, &n) in vs.names.iter().enumerate() {
                            let t = type_in(self.c, self.file, Expr::Ident(n));
                            let k = self.kind(t);
                            let v = vs.values.get(i).copied();
                            if matches!(k, PKind::Map | PKind::PtrMap | PKind::Struct)
                                && v.is_none_or(|v| {
                                    self.is_nil_lit(v)
                                        || matches!(v.unparen(), Expr::Call(c)
                                            if c.args.len() == 1 && self.is_nil_lit(c.args[0]))
                                })
                            {
                                return true;
                            }
                            if k == PKind::Map && self.outer_init(t, v) {
                                return true;
                            }
                            if v.is_some_and(|v| self.value_source(v)) {
                                return true;
                            }
                        }
                        st.extend(vs.values.iter().map(|&e| Item::E(e)));
                    }
                }
            }
            Stmt::Labeled(l) => push_s(l.stmt, st),
            Stmt::Expr(x) => st.push(Item::E(x.x)),
            Stmt::Send(x) => {
                st.push(Item::E(x.chan));
                st.push(Item::E(x.value));
            }
            Stmt::IncDec(x) => st.push(Item::E(x.x)),
            Stmt::Assign(a) => {
                if a.lhs.len() == a.rhs.len() && (a.tok == Tok::Assign || a.tok == Tok::Define) {
                    for (&l, &r) in a.lhs.iter().zip(a.rhs.iter()) {
                        match r.unparen() {
                            Expr::Ident(i) if i.name == "nil" => {
                                let t = type_in(self.c, self.file, l);
                                if is_nil(self.c, self.file, r)
                                    && matches!(self.kind(t), PKind::Map | PKind::PtrMap)
                                {
                                    return true;
                                }
                            }
                            Expr::Call(call) => {
                                if call.args.len() == 1 && self.is_nil_lit(call.args[0]) {
                                    // `map[K]V(nil)`
                                    let t = type_in(self.c, self.file, l);
                                    if matches!(self.kind(t), PKind::Map | PKind::PtrMap) {
                                        return true;
                                    }
                                }
                                if matches!(call.fun.unparen(), Expr::Ident(f) if f.name == "make")
                                {
                                    let t = type_in(self.c, self.file, l);
                                    if self.outer_init(t, Some(r)) {
                                        return true;
                                    }
                                } else if self.value_source(r) {
                                    return true;
                                }
                            }
                            Expr::CompositeLit(cl) => {
                                if cl.elts.is_empty() {
                                    let t = type_in(self.c, self.file, l);
                                    if self.outer_init(t, Some(r)) {
                                        return true;
                                    }
                                }
                                if self.value_source(r) {
                                    return true;
                                }
                            }
                            Expr::Unary(u) if u.op == Tok::And && self.value_source(r) => {
                                return true;
                            }
                            _ => {}
                        }
                    }
                }
                st.extend(a.lhs.iter().chain(a.rhs.iter()).map(|&e| Item::E(e)));
            }
            Stmt::Go(g) => st.push(Item::E(Expr::Call(g.call))),
            Stmt::Defer(d) => st.push(Item::E(Expr::Call(d.call))),
            Stmt::Return(r) => st.extend(r.results.iter().map(|&e| Item::E(e))),
            Stmt::Block(b) => st.extend(b.list.iter().rev().map(|&x| Item::S(x))),
            Stmt::If(x) => {
                if let Some(e) = x.else_ {
                    push_s(e, st);
                }
                push_s(Stmt::Block(x.body), st);
                st.push(Item::E(x.cond));
                if let Some(i) = x.init {
                    push_s(i, st);
                }
            }
            Stmt::CaseClause(cc) => {
                st.extend(cc.body.iter().rev().map(|&x| Item::S(x)));
                st.extend(cc.list.iter().map(|&e| Item::E(e)));
            }
            Stmt::Switch(x) => {
                push_s(Stmt::Block(x.body), st);
                if let Some(t) = x.tag {
                    st.push(Item::E(t));
                }
                if let Some(i) = x.init {
                    push_s(i, st);
                }
            }
            Stmt::TypeSwitch(x) => {
                push_s(Stmt::Block(x.body), st);
                push_s(x.assign, st);
                if let Some(i) = x.init {
                    push_s(i, st);
                }
            }
            Stmt::CommClause(cc) => {
                st.extend(cc.body.iter().rev().map(|&x| Item::S(x)));
                if let Some(c) = cc.comm {
                    push_s(c, st);
                }
            }
            Stmt::Select(x) => push_s(Stmt::Block(x.body), st),
            Stmt::For(x) => {
                push_s(Stmt::Block(x.body), st);
                if let Some(p) = x.post {
                    push_s(p, st);
                }
                if let Some(c) = x.cond {
                    st.push(Item::E(c));
                }
                if let Some(i) = x.init {
                    push_s(i, st);
                }
            }
            Stmt::Range(r) => {
                push_s(Stmt::Block(r.body), st);
                st.push(Item::E(r.x));
            }
        }
        false
    }

    fn expr(&mut self, e: Expr<'a>, st: &mut Vec<Item<'a>>) -> bool {
        match e {
            Expr::Ident(i) => {
                if !self.pkg_vars.is_empty() {
                    if let Some(o) = obj_in(self.c, self.file, i) {
                        if self.pkg_vars.contains(&o) {
                            return true;
                        }
                    }
                }
            }
            Expr::Bad(_) | Expr::BasicLit(_) => {}
            Expr::FuncLit(l) => {
                if self.results(l.ty.results) {
                    return true;
                }
                st.extend(l.body.list.iter().rev().map(|&x| Item::S(x)));
            }
            Expr::CompositeLit(cl) => {
                st.extend(cl.elts.iter().map(|&x| Item::E(x)));
            }
            Expr::Call(call) => {
                for (j, &a) in call.args.iter().enumerate() {
                    if self.is_nil_lit(a) {
                        let ft = type_in(self.c, self.file, call.fun);
                        if let Some(pt) = param_type(self.c, ft, j) {
                            if matches!(self.kind(pt), PKind::Map | PKind::PtrMap) {
                                return true;
                            }
                        }
                    }
                }
                st.push(Item::E(call.fun));
                st.extend(call.args.iter().map(|&x| Item::E(x)));
            }
            Expr::Paren(x) => st.push(Item::E(x.x)),
            Expr::Selector(x) => st.push(Item::E(x.x)),
            Expr::Index(x) => {
                st.push(Item::E(x.x));
                st.push(Item::E(x.index));
            }
            Expr::IndexList(x) => st.push(Item::E(x.x)),
            Expr::Slice(x) => {
                st.push(Item::E(x.x));
                st.extend([x.low, x.high, x.max].into_iter().flatten().map(Item::E));
            }
            Expr::TypeAssert(x) => st.push(Item::E(x.x)),
            Expr::Star(x) => st.push(Item::E(x.x)),
            Expr::Unary(x) => st.push(Item::E(x.x)),
            Expr::Binary(x) => {
                st.push(Item::E(x.x));
                st.push(Item::E(x.y));
            }
            Expr::KeyValue(x) => {
                st.push(Item::E(x.key));
                st.push(Item::E(x.value));
            }
            Expr::Ellipsis(_)
            | Expr::ArrayType(_)
            | Expr::StructType(_)
            | Expr::FuncType(_)
            | Expr::InterfaceType(_)
            | Expr::MapType(_)
            | Expr::ChanType(_) => {}
        }
        false
    }
}

// ---------------------------------------------------------------------------------------------
// Small semantic helpers (usable for any recorded file)

fn obj_in(c: &Checker<'_>, file: u32, i: &Ident<'_>) -> Option<ObjId> {
    c.infos[file as usize]
        .ident_objs
        .get(i.id.index())
        .copied()
        .filter(|o| !o.is_none())
}

/// The type of `e`; for an identifier without a recorded type (a definition), its object's.
fn type_in(c: &Checker<'_>, file: u32, e: Expr<'_>) -> TypeId {
    let t = c.infos[file as usize]
        .expr_types
        .get(e.id().index())
        .copied()
        .unwrap_or(TypeId::UNKNOWN);
    if t.is_unknown() {
        if let Expr::Ident(i) = e.unparen() {
            if let Some(o) = obj_in(c, file, i) {
                if c.obj(o).is_var() {
                    return c.obj(o).ty;
                }
            }
        }
    }
    t
}

fn obj_of_expr(c: &Checker<'_>, file: u32, e: Expr<'_>) -> Option<ObjId> {
    match e.unparen() {
        Expr::Ident(i) => obj_in(c, file, i),
        Expr::Selector(s) => obj_in(c, file, s.sel),
        _ => None,
    }
}

fn is_nil(c: &Checker<'_>, file: u32, e: Expr<'_>) -> bool {
    match e.unparen() {
        Expr::Ident(i) => obj_in(c, file, i).is_some_and(|o| c.obj(o).kind == ObjKind::Nil),
        _ => false,
    }
}

/// `nil`, or a conversion of `nil` (`map[K]V(nil)`).
fn is_nil_value(c: &Checker<'_>, file: u32, e: Expr<'_>) -> bool {
    match e.unparen() {
        Expr::Call(call) => {
            call.args.len() == 1 && is_nil(c, file, call.args[0]) && is_conversion(c, file, call)
        }
        e => is_nil(c, file, e),
    }
}

fn is_pkg_name(c: &Checker<'_>, file: u32, e: Expr<'_>) -> bool {
    match e.unparen() {
        Expr::Ident(i) => {
            obj_in(c, file, i).is_some_and(|o| matches!(c.obj(o).kind, ObjKind::PkgName(_)))
        }
        _ => false,
    }
}

fn builtin_of(c: &Checker<'_>, file: u32, call: &CallExpr<'_>) -> Option<Builtin> {
    match obj_of_expr(c, file, call.fun) {
        Some(o) => match c.obj(o).kind {
            ObjKind::Builtin(b) => Some(b),
            _ => None,
        },
        None => None,
    }
}

/// A conversion `T(x)`.
fn is_conversion(c: &Checker<'_>, file: u32, call: &CallExpr<'_>) -> bool {
    let mut f = call.fun.unparen();
    if let Expr::Index(ix) = f {
        f = ix.x.unparen();
    } else if let Expr::IndexList(ix) = f {
        f = ix.x.unparen();
    }
    match f {
        Expr::Ident(_) | Expr::Selector(_) => {
            obj_of_expr(c, file, f).is_some_and(|o| c.obj(o).kind == ObjKind::TypeName)
        }
        Expr::Star(_)
        | Expr::ArrayType(_)
        | Expr::MapType(_)
        | Expr::ChanType(_)
        | Expr::FuncType(_)
        | Expr::InterfaceType(_)
        | Expr::StructType(_) => true,
        _ => false,
    }
}

fn param_type(c: &Checker<'_>, t: TypeId, j: usize) -> Option<TypeId> {
    match c.types.get(c.types.core(t)) {
        Type::Func(sig) => sig.params.get(j).copied(),
        _ => None,
    }
}

fn sig_params(c: &Checker<'_>, t: TypeId) -> Option<Vec<TypeId>> {
    match c.types.get(c.types.core(t)) {
        Type::Func(sig) => Some(sig.params.clone()),
        _ => None,
    }
}

fn struct_fields<'c>(c: &'c Checker<'_>, t: TypeId) -> Option<&'c [mapvet_semantic::types::Field]> {
    match c.types.get(c.types.underlying(t)) {
        Type::Struct(fs) => Some(fs),
        _ => None,
    }
}

fn struct_has_maps(
    c: &Checker<'_>,
    t: TypeId,
    memo: &mut FxHashMap<TypeId, bool>,
    depth: u32,
) -> bool {
    if let Some(&b) = memo.get(&t) {
        return b;
    }
    if depth > 3 {
        return false;
    }
    memo.insert(t, false);
    let mut r = false;
    if let Some(fs) = struct_fields(c, t) {
        for f in fs {
            if c.types.is_map(f.ty)
                || c.types.is_ptr_to_map(f.ty)
                || (matches!(c.types.get(c.types.underlying(f.ty)), Type::Struct(_))
                    && struct_has_maps(c, f.ty, memo, depth + 1))
            {
                r = true;
                break;
            }
        }
    }
    memo.insert(t, r);
    r
}

fn kind_of(c: &Checker<'_>, t: TypeId, memo: &mut FxHashMap<TypeId, bool>) -> PKind {
    if t.is_unknown() {
        return PKind::Other;
    }
    if c.types.is_map(t) {
        return PKind::Map;
    }
    if c.types.is_ptr_to_map(t) {
        return PKind::PtrMap;
    }
    let u = c.types.core(t);
    match c.types.get(u) {
        Type::Struct(_) => {
            if struct_has_maps(c, u, memo, 0) {
                PKind::Struct
            } else {
                PKind::Other
            }
        }
        Type::Pointer(e) => {
            let e = *e;
            if matches!(c.types.get(c.types.underlying(e)), Type::Struct(_))
                && struct_has_maps(c, c.types.underlying(e), memo, 0)
            {
                PKind::PtrStruct
            } else {
                PKind::Nilable
            }
        }
        Type::Basic(Basic::Bool | Basic::UntypedBool) => PKind::Bool,
        Type::Basic(
            Basic::Int
            | Basic::Int8
            | Basic::Int16
            | Basic::Int32
            | Basic::Int64
            | Basic::Uint
            | Basic::Uint8
            | Basic::Uint16
            | Basic::Uint32
            | Basic::Uint64
            | Basic::Uintptr,
        ) => PKind::Int,
        Type::Basic(Basic::UnsafePointer)
        | Type::Slice(_)
        | Type::Chan(..)
        | Type::Func(_)
        | Type::Interface(_) => PKind::Nilable,
        _ => PKind::Other,
    }
}

/// The struct literal of type `t` leaves some map field (possibly nested) nil.
fn lit_leaves_nil(c: &Checker<'_>, file: u32, cl: &CompositeLit<'_>, t: TypeId) -> bool {
    lit_leaves_nil_in(c, file, cl, t, 0)
}

fn lit_leaves_nil_in(
    c: &Checker<'_>,
    file: u32,
    cl: &CompositeLit<'_>,
    t: TypeId,
    depth: u32,
) -> bool {
    let Some(fs) = struct_fields(c, c.types.core(t)) else {
        return false;
    };
    if cl.elts.is_empty() {
        return true;
    }
    // A field's value that is itself a struct literal (`In: Inner{..}`, `P: &Inner{..}`)
    // leaving a map nil.
    let inner_leaves = |v: Expr<'_>| -> bool {
        let x = match v.unparen() {
            Expr::Unary(u) if u.op == Tok::And => u.x.unparen(),
            x => x,
        };
        match x {
            Expr::CompositeLit(icl) if depth < 3 => {
                lit_leaves_nil_in(c, file, icl, type_in(c, file, x), depth + 1)
            }
            _ => false,
        }
    };
    if !matches!(cl.elts.first(), Some(Expr::KeyValue(_))) {
        // Positional: every field is given; look for explicit nils.
        return cl
            .elts
            .iter()
            .any(|&e| is_nil(c, file, e) || inner_leaves(e));
    }
    let mut memo = FxHashMap::default();
    for f in fs {
        let relevant = c.types.is_map(f.ty)
            || c.types.is_ptr_to_map(f.ty)
            || struct_has_maps(c, f.ty, &mut memo, 0);
        if !relevant {
            continue;
        }
        let name = &c.obj(f.obj).name;
        let given = cl.elts.iter().find_map(|&e| match e {
            Expr::KeyValue(kv) => match kv.key {
                Expr::Ident(k) if *k.name == **name => Some(kv.value),
                _ => None,
            },
            _ => None,
        });
        match given {
            None => return true,
            Some(v) if is_nil(c, file, v) || inner_leaves(v) => return true,
            Some(_) => {}
        }
    }
    false
}

/// The chain of field objects that selects `f` in struct type `t` (through embedded value
/// structs); `None` when not found or when the path goes through an embedded pointer.
fn field_path(c: &Checker<'_>, t: TypeId, f: ObjId, depth: u32) -> Option<Vec<ObjId>> {
    let fs = struct_fields(c, t)?;
    if fs.iter().any(|x| x.obj == f) {
        return Some(vec![f]);
    }
    if depth >= 2 {
        return None;
    }
    for x in fs {
        if x.embedded && matches!(c.types.get(c.types.underlying(x.ty)), Type::Struct(_)) {
            if let Some(mut p) = field_path(c, x.ty, f, depth + 1) {
                p.insert(0, x.obj);
                return Some(p);
            }
        }
    }
    None
}

/// The package-level maps of package `pkg` that nothing in the package assigns (memoized).
fn pkg_candidates(c: &Checker<'_>, pkg: u32) -> Rc<Vec<ObjId>> {
    if let Some(v) = with_memo(c, |m| m.pkg_candidates.get(&pkg).cloned()) {
        return v;
    }
    let mut out = Vec::new();
    for &f in &c.pkgs[pkg as usize].desc.files {
        if !c.infos[f as usize].recording {
            continue;
        }
        for d in c.files[f as usize].ast.decls {
            let Decl::Gen(g) = d else { continue };
            if g.tok != Tok::Var {
                continue;
            }
            for spec in g.specs {
                let Spec::Value(vs) = spec else { continue };
                if !vs.values.is_empty() {
                    continue;
                }
                for &n in vs.names {
                    let Some(o) = obj_in(c, f, n) else { continue };
                    let ob = c.obj(o);
                    if ob.is_exported() || !ob.package_level {
                        continue;
                    }
                    if (c.types.is_map(ob.ty) || c.types.is_ptr_to_map(ob.ty))
                        && pkg_var_qualifies(c, o)
                    {
                        out.push(o);
                    }
                }
            }
        }
    }
    let out = Rc::new(out);
    with_memo(c, |m| m.pkg_candidates.insert(pkg, out.clone()));
    out
}

/// A package-level, unexported map (or map pointer) declared without a value that nothing in
/// its package assigns, takes the address of, or names in a `//go:linkname` directive.
fn pkg_var_qualifies(c: &Checker<'_>, o: ObjId) -> bool {
    if let Some(b) = with_memo(c, |m| m.pkg_var.get(&o).copied()) {
        return b;
    }
    let r = pkg_var_check(c, o);
    with_memo(c, |m| m.pkg_var.insert(o, r));
    r
}

fn pkg_var_check(c: &Checker<'_>, o: ObjId) -> bool {
    let ob = c.obj(o);
    if !ob.package_level || ob.is_exported() || ob.pos.file == u32::MAX {
        return false;
    }
    let file = ob.pos.file;
    if !c.infos.get(file as usize).is_some_and(|i| i.recording) {
        return false;
    }
    let Some(pkg) = file_pkg(c, file) else {
        return false;
    };
    // Declared without a value.
    let ast = c.files[file as usize].ast;
    let mut found = false;
    for d in ast.decls {
        let Decl::Gen(g) = d else { continue };
        if g.tok != Tok::Var {
            continue;
        }
        for s in g.specs {
            let Spec::Value(vs) = s else { continue };
            if vs.names.iter().any(|n| n.pos == ob.pos.offset) {
                if !vs.values.is_empty() {
                    return false;
                }
                found = true;
            }
        }
    }
    if !found {
        return false;
    }
    let name = ob.name.to_string();
    for &f in &c.pkgs[pkg as usize].desc.files {
        let src = c.files[f as usize].src;
        if contains(src, b"go:linkname") && contains(src, name.as_bytes()) {
            return false;
        }
        if c.files[f as usize].has_errors {
            return false;
        }
        if !contains(src, name.as_bytes()) {
            continue;
        }
        let mut v = AssignFinder {
            c,
            file: f,
            target: o,
            found: false,
        };
        visit::walk_file(&mut v, c.files[f as usize].ast);
        if v.found {
            return false;
        }
    }
    true
}

/// Substring search (first-byte filter, then compare).
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return false;
    };
    let n = needle.len();
    let mut i = 0;
    while i + n <= hay.len() {
        match hay[i..hay.len() + 1 - n].iter().position(|&b| b == first) {
            Some(j) => {
                let at = i + j;
                if &hay[at + 1..at + n] == rest {
                    return true;
                }
                i = at + 1;
            }
            None => return false,
        }
    }
    false
}

/// Finds an assignment to, address of, or pointer-method call on one package-level variable.
struct AssignFinder<'x, 'a> {
    c: &'x Checker<'a>,
    file: u32,
    target: ObjId,
    found: bool,
}

impl AssignFinder<'_, '_> {
    fn is_target(&self, e: Expr<'_>) -> bool {
        let mut e = e.unparen();
        loop {
            match e {
                Expr::Ident(i) => return obj_in(self.c, self.file, i) == Some(self.target),
                Expr::Selector(s) => {
                    if obj_in(self.c, self.file, s.sel) == Some(self.target) {
                        return true;
                    }
                    e = s.x.unparen();
                }
                Expr::Star(s) => e = s.x.unparen(),
                _ => return false,
            }
        }
    }
}

impl<'a> Visitor<'a> for AssignFinder<'_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Assign(a) if a.lhs.iter().any(|&l| self.is_target(l)) => self.found = true,
            Stmt::IncDec(x) if self.is_target(x.x) => self.found = true,
            Stmt::Range(r)
                if r.tok == Tok::Assign
                    && [r.key, r.value]
                        .into_iter()
                        .flatten()
                        .any(|e| self.is_target(e)) =>
            {
                self.found = true
            }
            _ => {}
        }
        !self.found
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        match e {
            Expr::Unary(u) if u.op == Tok::And && self.is_target(u.x) => self.found = true,
            Expr::Call(call) => {
                if let Expr::Selector(s) = call.fun.unparen() {
                    if self.is_target(s.x)
                        && obj_in(self.c, self.file, s.sel)
                            .is_some_and(|o| self.c.obj(o).kind == ObjKind::Func)
                    {
                        self.found = true;
                    }
                }
            }
            _ => {}
        }
        !self.found
    }
}

// ---------------------------------------------------------------------------------------------
// Expressions evaluated by a CFG node

/// Calls `f` on every sub-expression of `e` (pre-order), not entering function literals.
fn each_sub<'a>(e: Expr<'a>, f: &mut dyn FnMut(Expr<'a>)) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        f(e);
        let mut push = |x: Expr<'a>| stack.push(x);
        match e {
            Expr::FuncLit(_) | Expr::Bad(_) | Expr::Ident(_) | Expr::BasicLit(_) => {}
            Expr::CompositeLit(x) => x.elts.iter().rev().for_each(|&e| push(e)),
            Expr::Paren(x) => push(x.x),
            Expr::Selector(x) => push(x.x),
            Expr::Index(x) => {
                push(x.index);
                push(x.x);
            }
            Expr::IndexList(x) => push(x.x),
            Expr::Slice(x) => {
                for y in [x.max, x.high, x.low].into_iter().flatten() {
                    push(y);
                }
                push(x.x);
            }
            Expr::TypeAssert(x) => push(x.x),
            Expr::Call(x) => {
                x.args.iter().rev().for_each(|&e| push(e));
                push(x.fun);
            }
            Expr::Star(x) => push(x.x),
            Expr::Unary(x) => push(x.x),
            Expr::Binary(x) => {
                push(x.y);
                push(x.x);
            }
            Expr::KeyValue(x) => {
                push(x.value);
                push(x.key);
            }
            Expr::Ellipsis(_)
            | Expr::ArrayType(_)
            | Expr::StructType(_)
            | Expr::FuncType(_)
            | Expr::InterfaceType(_)
            | Expr::MapType(_)
            | Expr::ChanType(_) => {}
        }
    }
}

/// The top-level expressions a node evaluates (a `defer`/`go` call's operands, not the call).
fn node_exprs<'a>(node: &Node<'a>, f: &mut dyn FnMut(Expr<'a>)) {
    let stmt_exprs = |s: Stmt<'a>, f: &mut dyn FnMut(Expr<'a>)| match s {
        Stmt::Assign(a) => a.lhs.iter().chain(a.rhs.iter()).for_each(|&e| f(e)),
        Stmt::Expr(x) => f(x.x),
        Stmt::Send(x) => {
            f(x.chan);
            f(x.value);
        }
        _ => {}
    };
    match *node {
        Node::Assign(a) => a.lhs.iter().chain(a.rhs.iter()).for_each(|&e| f(e)),
        Node::Expr(x) => f(x.x),
        Node::IncDec(x) => f(x.x),
        Node::Send(x) => {
            f(x.chan);
            f(x.value);
        }
        Node::Decl(d) => {
            if let Decl::Gen(g) = d.decl {
                for s in g.specs {
                    if let Spec::Value(vs) = s {
                        vs.values.iter().for_each(|&e| f(e));
                    }
                }
            }
        }
        Node::Go(g) => call_operands(g.call, f),
        Node::Defer(d) => call_operands(d.call, f),
        Node::Return(r) => r.results.iter().for_each(|&e| f(e)),
        Node::Cond(e) => f(e),
        Node::SwitchTag(s) => {
            if let Some(t) = s.tag {
                f(t);
            }
        }
        Node::Case { expr, .. } => f(expr),
        Node::TypeSwitchGuard(ts) => stmt_exprs(ts.assign, f),
        Node::RangeOperand(r) => f(r.x),
        Node::RangeNext(r) => {
            if r.tok == Tok::Assign {
                [r.key, r.value].into_iter().flatten().for_each(&mut *f);
            }
        }
        // `defer x.m()` with a pointer receiver: the method sees `x` as it is at exit.
        Node::RunDefer(d) => {
            if let Expr::Selector(s) = d.call.fun.unparen() {
                f(s.x);
            }
        }
        Node::Select(_) | Node::TypeCase { .. } => {}
        Node::Comm { clause, .. } => {
            if let Some(s) = clause.comm {
                stmt_exprs(s, f);
            }
        }
    }
}

fn call_operands<'a>(call: &'a CallExpr<'a>, f: &mut dyn FnMut(Expr<'a>)) {
    match call.fun.unparen() {
        Expr::FuncLit(_) | Expr::Ident(_) => {}
        Expr::Selector(s) => f(s.x),
        e => f(e),
    }
    call.args.iter().for_each(|&e| f(e));
}

/// The map operands `x` of the stores `x[k] = v` a node performs.
fn node_stores<'a>(node: &Node<'a>, f: &mut dyn FnMut(&'a IndexExpr<'a>)) {
    let mut lhs = |e: Expr<'a>| {
        if let Expr::Index(ix) = e.unparen() {
            f(ix);
        }
    };
    match *node {
        Node::Assign(a) => a.lhs.iter().for_each(|&e| lhs(e)),
        Node::IncDec(x) => lhs(x.x),
        Node::RangeNext(r) if r.tok == Tok::Assign => {
            [r.key, r.value].into_iter().flatten().for_each(lhs)
        }
        Node::Comm { clause, .. } => {
            if let Some(Stmt::Assign(a)) = clause.comm {
                if a.tok == Tok::Assign {
                    a.lhs.iter().for_each(|&e| lhs(e));
                }
            }
        }
        _ => {}
    }
}

/// `no_return` for CFGs: the syntactic defaults plus the usual fatal/skip methods.
fn no_return(call: &CallExpr<'_>) -> Option<NoReturn> {
    if let Some(r) = default_no_return(call) {
        return Some(r);
    }
    match call.fun.unparen() {
        Expr::Selector(s) => match s.sel.name {
            "Fatal" | "Fatalf" | "Fatalln" | "Exit" | "Exitf" => Some(NoReturn::Exit),
            "FailNow" | "SkipNow" | "Skip" | "Skipf" | "Panic" | "Panicf" | "Panicln"
            | "Goexit" => Some(NoReturn::Panic),
            _ => None,
        },
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Values of expressions

/// The abstract value of an expression.
#[derive(Clone, Copy, Debug)]
enum Ev<'a> {
    V(Val),
    /// The literal `nil` (its origin is the assignment).
    NilLit,
    /// A pointer to a new nil map (`new(map[K]V)`).
    NewMap(u16),
    /// The value of a place (copied with its sub-places).
    Copy(Place, PKind),
    /// A struct literal (`S{...}` / `&S{...}`) with its origin.
    Lit(&'a CompositeLit<'a>, TypeId, u16),
}

/// Callee summary: where the callee panics when the parameter's place is nil on entry.
#[derive(Clone, Debug)]
struct Summary {
    file: u32,
    span: Span,
    deref: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParamSel {
    Recv,
    Param(usize),
}

impl ParamSel {
    fn code(self) -> i32 {
        match self {
            ParamSel::Recv => -1,
            ParamSel::Param(i) => i as i32,
        }
    }
}

/// Callee mode: the body is a callee whose parameter place is nil on entry.
struct CalleeMode {
    origin: u16,
    returns: bool,
    panic_at: Option<(Span, bool)>,
}

/// Analysis of one top-level function and its closures (or of one callee).
struct Fa<'x, 'a> {
    c: &'x Checker<'a>,
    file: u32,
    src: &'a [u8],
    scan: Scan<'a>,
    origins: Vec<Origin>,
    origin_ids: FxHashMap<(u32, u8), u16>,
    struct_maps: FxHashMap<TypeId, bool>,
    callee: Option<CalleeMode>,
    depth: u32,
}

/// What a check of one node found.
struct Hit {
    code: &'static str,
    span: Span,
    message: String,
    origin: u16,
    extra: Vec<(Loc, String)>,
    help: String,
}

impl<'x, 'a> Fa<'x, 'a> {
    fn new(c: &'x Checker<'a>, file: u32, scan: Scan<'a>, callee: Option<CalleeMode>) -> Self {
        Fa {
            c,
            file,
            src: c.files[file as usize].src,
            scan,
            origins: Vec::new(),
            origin_ids: FxHashMap::default(),
            struct_maps: FxHashMap::default(),
            callee,
            depth: 0,
        }
    }

    fn obj(&self, i: &Ident<'_>) -> Option<ObjId> {
        obj_in(self.c, self.file, i)
    }

    fn ty(&self, e: Expr<'_>) -> TypeId {
        type_in(self.c, self.file, e)
    }

    fn kind(&mut self, t: TypeId) -> PKind {
        kind_of(self.c, t, &mut self.struct_maps)
    }

    /// A type for a message, with names from other packages qualified (`map[*ir.Name]int64`).
    fn tstr(&self, t: TypeId) -> String {
        let c = self.c;
        let here = file_pkg(c, self.file);
        let s = c.types.display(t, &|o| {
            let ob = c.obj(o);
            match ob.pkg {
                Some(p) if ob.package_level && Some(p.0) != here => {
                    match c.pkgs.get(p.0 as usize) {
                        Some(pk) if !pk.desc.name.is_empty() => {
                            format!("{}.{}", pk.desc.name, ob.name)
                        }
                        _ => ob.name.to_string(),
                    }
                }
                _ => ob.name.to_string(),
            }
        });
        // A type the checker could not resolve in full: no half-known type in a message.
        if s.contains('?') {
            "...".to_string()
        } else {
            s
        }
    }

    fn origin(&mut self, kind: OKind, span: Span, name: &str, text: String) -> u16 {
        let key = (span.start, kind as u8);
        if let Some(&i) = self.origin_ids.get(&key) {
            return i;
        }
        let i = self.origins.len().min(u16::MAX as usize - 1) as u16;
        if self.origins.len() < u16::MAX as usize - 1 {
            self.origins.push(Origin {
                kind,
                file: self.file,
                span,
                name: name.to_string(),
                text,
            });
        }
        self.origin_ids.insert(key, i);
        i
    }

    fn origin_of(&self, o: u16) -> Origin {
        match self.origins.get(o as usize).or(self.origins.last()) {
            Some(org) => org.clone(),
            None => Origin {
                kind: OKind::NilArg,
                file: self.file,
                span: Span::default(),
                name: String::new(),
                text: String::new(),
            },
        }
    }

    /// Whether entries for this root may exist at all.
    fn trackable(&self, o: ObjId) -> bool {
        let ob = self.c.obj(o);
        if !ob.is_var() || ob.kind == ObjKind::Var(VarKind::Field) {
            return false;
        }
        if ob.package_level {
            return self.scan.pkg_ok.contains(&o);
        }
        !self.scan.volatile.contains(&o)
    }

    /// Whether a place of this kind is worth an entry.
    fn wants(&self, p: Place, kind: PKind) -> bool {
        match kind {
            PKind::Map | PKind::PtrMap | PKind::Struct | PKind::PtrStruct => true,
            PKind::Bool | PKind::Int | PKind::Nilable => {
                (p.len() == 1 || (kind == PKind::Bool && self.is_flag_field(p)))
                    && self.scan.cond_roots.contains(&p.obj())
                    && self.scan.linked.contains(&p.obj())
            }
            PKind::Other => false,
        }
    }

    fn is_flag_field(&self, p: Place) -> bool {
        let n = p.len();
        n > 1 && p.0[n - 1] != DEREF && self.scan.flag_fields.contains(&ObjId(p.0[n - 1]))
    }

    /// The place an expression denotes, with its kind.
    fn place(&mut self, e: Expr<'a>) -> Option<(Place, PKind)> {
        let p = self.place_inner(e)?;
        let k = self.kind(self.ty(e));
        Some((p, k))
    }

    /// The place `e` points at when `e` names an alias (`p` of `p := &m`).
    fn alias_target(&self, e: Expr<'a>) -> Option<Expr<'a>> {
        match e.unparen() {
            Expr::Ident(i) => self.scan.aliases.get(&self.obj(i)?).map(|a| a.0),
            _ => None,
        }
    }

    /// The alias `e` goes through and what it points at: `*p`, `p.f`, `(*p).f.g`.
    fn alias_via(&self, e: Expr<'a>) -> Option<(Expr<'a>, Expr<'a>)> {
        match e.unparen() {
            Expr::Star(s) => self.alias_target(s.x).map(|t| (s.x, t)),
            Expr::Selector(s) => match self.alias_target(s.x) {
                Some(t) => Some((s.x, t)),
                None => self.alias_via(s.x),
            },
            _ => None,
        }
    }

    fn place_inner(&mut self, e: Expr<'a>) -> Option<Place> {
        match e.unparen() {
            Expr::Ident(i) => {
                let o = self.obj(i)?;
                if !self.trackable(o) {
                    return None;
                }
                Some(Place::root(o))
            }
            Expr::Selector(s) => {
                let f = self.obj(s.sel)?;
                if self.c.obj(f).kind != ObjKind::Var(VarKind::Field) {
                    return None;
                }
                let xt = self.ty(s.x);
                let (base, st) = match self.alias_target(s.x) {
                    Some(t) => (self.place_inner(t)?, self.ty(t)),
                    None => {
                        let base = self.place_inner(s.x)?;
                        let st = match self.c.types.get(self.c.types.core(xt)) {
                            Type::Pointer(e) => {
                                if base.len() != 1 {
                                    return None;
                                }
                                *e
                            }
                            _ => xt,
                        };
                        (base, st)
                    }
                };
                let path = field_path(self.c, st, f, 0)?;
                let mut p = base;
                for f in path {
                    p = p.push(f.0)?;
                }
                Some(p)
            }
            Expr::Star(s) => {
                if let Some(t) = self.alias_target(s.x) {
                    return self.place_inner(t);
                }
                let xt = self.ty(s.x);
                if self.c.types.is_ptr_to_map(xt) {
                    self.place_inner(s.x)?.push(DEREF)
                } else if self.kind(xt) == PKind::PtrStruct {
                    let b = self.place_inner(s.x)?;
                    (b.len() == 1).then_some(b)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// The value of `e` in path state `ps`.
    fn eval(&mut self, ps: &PState, e: Expr<'a>) -> Ev<'a> {
        let e = e.unparen();
        if self.surely_not_nil(e) {
            return Ev::V(Val::NotNil);
        }
        match e {
            Expr::Ident(i) => {
                let Some(o) = self.obj(i) else {
                    return Ev::V(Val::Unknown);
                };
                let ob = self.c.obj(o);
                match ob.kind {
                    ObjKind::Nil => Ev::NilLit,
                    ObjKind::Const if ob.pos.file == u32::MAX => match ob.name {
                        "true" => Ev::V(Val::Const(1)),
                        "false" => Ev::V(Val::Const(0)),
                        _ => Ev::V(Val::Unknown),
                    },
                    _ => match self.place(e) {
                        Some((p, k)) => Ev::Copy(p, k),
                        None => Ev::V(Val::Unknown),
                    },
                }
            }
            Expr::BasicLit(b) if b.kind == Tok::Int => match parse_int(b.value) {
                Some(n) => Ev::V(Val::Const(n)),
                None => Ev::V(Val::Unknown),
            },
            Expr::Selector(s) => {
                if let Some((p, k)) = self.place(e) {
                    return Ev::Copy(p, k);
                }
                let k = self.kind(self.ty(e));
                // Only a struct *value* read here is still the zero value; through a pointer
                // (`x.p.f` with `x.p = &S{}`), later writes are not tracked.
                if matches!(
                    self.c.types.get(self.c.types.core(self.ty(s.x))),
                    Type::Pointer(_)
                ) {
                    return Ev::V(Val::Unknown);
                }
                match self.eval(ps, s.x) {
                    Ev::V(Val::Zero(o)) => Ev::V(k.zero(o, false)),
                    Ev::V(Val::MaybeZero(o)) => Ev::V(k.zero(o, true)),
                    Ev::Copy(p, _) => match ps.lookup(p, PKind::Struct) {
                        Val::Zero(o) => Ev::V(k.zero(o, false)),
                        Val::MaybeZero(o) => Ev::V(k.zero(o, true)),
                        _ => Ev::V(Val::Unknown),
                    },
                    Ev::Lit(cl, _, o) => {
                        let f = self.obj(s.sel);
                        let given = cl.elts.iter().find_map(|&el| match el {
                            Expr::KeyValue(kv) => match kv.key {
                                Expr::Ident(k) if self.obj(k) == f => Some(kv.value),
                                _ => None,
                            },
                            _ => None,
                        });
                        match given {
                            Some(v) => match self.eval(ps, v) {
                                Ev::NilLit => Ev::V(k.zero(o, false)),
                                ev => ev,
                            },
                            None if matches!(cl.elts.first(), Some(Expr::KeyValue(_)))
                                || cl.elts.is_empty() =>
                            {
                                Ev::V(k.zero(o, false))
                            }
                            None => Ev::V(Val::Unknown),
                        }
                    }
                    _ => Ev::V(Val::Unknown),
                }
            }
            Expr::Star(s) => {
                if let Some((p, k)) = self.place(e) {
                    return Ev::Copy(p, k);
                }
                if self.kind(self.ty(s.x)) == PKind::PtrStruct {
                    return self.eval(ps, s.x);
                }
                Ev::V(Val::Unknown)
            }
            Expr::Index(ix) => {
                if let Expr::Ident(i) = ix.x.unparen() {
                    if let Some(o) = self.obj(i) {
                        if self.scan.outer_ok.contains(&o) {
                            let k = self.kind(self.ty(e));
                            let decl = self.c.obj(o).pos;
                            let name = self.c.obj(o).name.to_string();
                            let sp = Span::new(decl.offset, decl.offset + name.len() as u32);
                            let kind = if self.scan.zero_decls.iter().any(|(z, _)| *z == o) {
                                OKind::InnerOfNil
                            } else {
                                OKind::Inner
                            };
                            let org = self.origin(kind, sp, &name, name.clone());
                            return Ev::V(k.zero(org, false));
                        }
                    }
                }
                // Deeper levels of a never-populated map of maps (`outer[a][b][c] = v`): an
                // inner map read from a nil inner map is nil too, unless the function stores
                // into some deeper level (`outer[a][b] = make(...)`, itself reported).
                if let Expr::Index(inner) = ix.x.unparen() {
                    let deep_ok = index_root(ix.x)
                        .and_then(|r| self.obj(r))
                        .is_some_and(|r| !self.scan.outer_deep.contains(&r));
                    if deep_ok && self.c.types.is_map(self.ty(ix.x)) {
                        if let Ev::V(Val::Nil(o)) = self.eval(ps, Expr::Index(inner)) {
                            let inner_origin = self.origins.get(o as usize).is_some_and(|g| {
                                matches!(g.kind, OKind::Inner | OKind::InnerOfNil)
                            });
                            if inner_origin {
                                return Ev::V(self.kind(self.ty(e)).zero(o, false));
                            }
                        }
                    }
                }
                Ev::V(Val::Unknown)
            }
            Expr::Call(call) => {
                match builtin_of(self.c, self.file, call) {
                    Some(Builtin::Make) => return Ev::V(Val::NotNil),
                    Some(Builtin::New) => {
                        let Some(&a) = call.args.first() else {
                            return Ev::V(Val::NotNil);
                        };
                        let at = self.ty(a);
                        let text = short(self.src, call.span, 50);
                        return match self.kind(at) {
                            PKind::Map => {
                                Ev::NewMap(self.origin(OKind::NewMap, call.span, "", text))
                            }
                            PKind::Struct => {
                                Ev::V(Val::Zero(self.origin(OKind::New, call.span, "", text)))
                            }
                            _ => Ev::V(Val::NotNil),
                        };
                    }
                    Some(_) => return Ev::V(Val::Unknown),
                    None => {}
                }
                if is_conversion(self.c, self.file, call) && call.args.len() == 1 {
                    return match self.eval(ps, call.args[0]) {
                        Ev::Copy(..) | Ev::Lit(..) => Ev::V(Val::Unknown),
                        ev => ev,
                    };
                }
                Ev::V(Val::Unknown)
            }
            Expr::CompositeLit(cl) => {
                let t = self.ty(e);
                match self.kind(t) {
                    PKind::Struct => {
                        let text = lit_text(self.src, cl, None);
                        let o = self.origin(OKind::Lit, cl.span, "", text);
                        Ev::Lit(cl, t, o)
                    }
                    PKind::Map => Ev::V(Val::NotNil),
                    _ => Ev::V(Val::Unknown),
                }
            }
            Expr::Unary(u) if u.op == Tok::And => {
                if let Expr::CompositeLit(cl) = u.x.unparen() {
                    let t = self.ty(u.x);
                    if self.kind(t) == PKind::Struct {
                        let text = lit_text(self.src, cl, Some(u.span));
                        let o = self.origin(OKind::Lit, u.span, "", text);
                        return Ev::Lit(cl, t, o);
                    }
                }
                Ev::V(Val::NotNil)
            }
            Expr::FuncLit(_) => Ev::V(Val::NotNil),
            _ => Ev::V(Val::Unknown),
        }
    }

    /// Values that are not nil in practice: `errors.New(..)`, `fmt.Errorf(..)`, sentinel
    /// errors (`ErrX` package-level variables).
    fn surely_not_nil(&self, e: Expr<'a>) -> bool {
        match e.unparen() {
            Expr::Call(call) => match call.fun.unparen() {
                Expr::Selector(s) if is_pkg_name(self.c, self.file, s.x) => {
                    let pkg = match s.x.unparen() {
                        Expr::Ident(i) => i.name,
                        _ => "",
                    };
                    matches!((pkg, s.sel.name), ("errors", "New") | ("fmt", "Errorf"))
                }
                _ => false,
            },
            Expr::Ident(_) | Expr::Selector(_) => match obj_of_expr(self.c, self.file, e) {
                Some(o) => {
                    let ob = self.c.obj(o);
                    ob.package_level
                        && ob.is_var()
                        && (ob.name.starts_with("Err") || ob.name.starts_with("err"))
                        && self.c.types.is_interface(ob.ty)
                }
                None => false,
            },
            _ => false,
        }
    }

    /// The nil-ness value of `e` (for checks): `Nil`/`MaybeNil` with their origin, or other.
    fn eval_val(&mut self, ps: &PState, e: Expr<'a>) -> Val {
        match self.eval(ps, e) {
            Ev::V(v) => v,
            Ev::Copy(p, k) => ps.lookup(p, k),
            Ev::NilLit => {
                let sp = e.span();
                Val::Nil(self.origin(OKind::NilArg, sp, "", "nil".into()))
            }
            Ev::NewMap(_) => Val::NotNil,
            Ev::Lit(_, _, o) => Val::Zero(o),
        }
    }

    /// Assigns the value `ev` to place `p` of kind `k`; `stmt` is the assignment (for the
    /// origin of a `nil`).
    fn assign(&mut self, ps: &mut PState, p: Place, k: PKind, ev: Ev<'a>, stmt: Span) {
        // Read what a copy needs before the target is cleared.
        let copied: Option<(Val, Vec<(Place, Val)>)> = match ev {
            Ev::Copy(q, qk) => {
                let v = ps.lookup(q, qk);
                let subs = ps
                    .facts
                    .iter()
                    .filter(|(x, _)| x.within(q) && *x != q)
                    .filter_map(|&(x, v)| x.rebase(q, p).map(|y| (y, v)))
                    .collect();
                Some((v, subs))
            }
            _ => None,
        };
        ps.remove_within(p, true);
        if !self.wants(p, k) {
            if ps.has_prefix_entry(p) {
                ps.set(p, Val::Unknown);
            }
            return;
        }
        let v = match ev {
            Ev::NilLit => {
                if k.nilable() {
                    let text = short(self.src, stmt, 50);
                    let name = self.c.obj(p.obj()).name.to_string();
                    Val::Nil(self.origin(OKind::NilAssign, stmt, &name, text))
                } else {
                    Val::Unknown
                }
            }
            Ev::V(v) => match v {
                Val::Nil(_) | Val::MaybeNil(_) | Val::NotNil if k.nilable() => v,
                Val::Zero(_) | Val::MaybeZero(_)
                    if matches!(k, PKind::Struct | PKind::PtrStruct) =>
                {
                    v
                }
                // Ints are tracked at 0 only (counters, first iterations): other values
                // would multiply path states for nothing.
                Val::Const(c) if k == PKind::Bool || (k == PKind::Int && c == 0) => v,
                _ => Val::Unknown,
            },
            Ev::NewMap(o) => {
                ps.set(p, Val::NotNil);
                if let Some(d) = p.push(DEREF) {
                    ps.set(d, Val::Nil(o));
                }
                return;
            }
            Ev::Copy(..) => {
                let (v, subs) = copied.unwrap_or((Val::Unknown, Vec::new()));
                if v != Val::Unknown || ps.has_prefix_entry(p) || !subs.is_empty() {
                    ps.set(p, v);
                }
                for (x, v) in subs {
                    ps.set(x, v);
                }
                return;
            }
            Ev::Lit(cl, t, o) => {
                if !matches!(k, PKind::Struct | PKind::PtrStruct) {
                    Val::Unknown
                } else {
                    ps.set(p, Val::Zero(o));
                    self.assign_lit_fields(ps, p, cl, t, stmt);
                    return;
                }
            }
        };
        if v != Val::Unknown || ps.has_prefix_entry(p) {
            ps.set(p, v);
        }
    }

    fn assign_lit_fields(
        &mut self,
        ps: &mut PState,
        p: Place,
        cl: &'a CompositeLit<'a>,
        t: TypeId,
        stmt: Span,
    ) {
        let st = match self.c.types.get(self.c.types.core(t)) {
            Type::Pointer(e) => *e,
            _ => t,
        };
        let fields: Vec<(ObjId, TypeId)> = struct_fields(self.c, st)
            .map(|fs| fs.iter().map(|f| (f.obj, f.ty)).collect())
            .unwrap_or_default();
        for (i, &el) in cl.elts.iter().enumerate() {
            let (f, ft, v) = match el {
                Expr::KeyValue(kv) => {
                    let Expr::Ident(key) = kv.key else { continue };
                    let Some(f) = self.obj(key) else { continue };
                    let Some(&(_, ft)) = fields.iter().find(|(o, _)| *o == f) else {
                        continue;
                    };
                    (f, ft, kv.value)
                }
                _ => match fields.get(i) {
                    Some(&(f, ft)) => (f, ft, el),
                    None => continue,
                },
            };
            let fk = self.kind(ft);
            if fk == PKind::Other {
                continue;
            }
            if let Some(sub) = p.push(f.0) {
                let ev = self.eval(ps, v);
                let span = if matches!(ev, Ev::NilLit) {
                    match el {
                        Expr::KeyValue(kv) => kv.span,
                        _ => el.span(),
                    }
                } else {
                    stmt
                };
                self.assign(ps, sub, fk, ev, span);
            }
        }
    }

    /// The zero value a declaration `var x T` gives.
    fn zero_decl(&mut self, o: ObjId, vs: &'a ValueSpec<'a>, k: PKind) -> Val {
        let text = format!("var {}", short(self.src, vs.span, 50));
        let name = self.c.obj(o).name.to_string();
        // `var a, b map[K]V`: one origin per name.
        let (span, kind) = match vs.names.iter().find(|n| self.obj(n) == Some(o)) {
            Some(n) if vs.names.len() > 1 => (n.span(), OKind::VarDeclOf),
            _ => (vs.span, OKind::VarDecl),
        };
        match k {
            PKind::Map | PKind::PtrMap | PKind::Nilable | PKind::PtrStruct => {
                Val::Nil(self.origin(kind, span, &name, text))
            }
            PKind::Struct => Val::Zero(self.origin(OKind::ZeroVar, span, &name, text)),
            PKind::Bool | PKind::Int => Val::Const(0),
            PKind::Other => Val::Unknown,
        }
    }

    fn named_results(&mut self, ty: &'a FuncType<'a>) -> Vec<(ObjId, PKind, Span)> {
        let mut out = Vec::new();
        if let Some(res) = ty.results {
            for f in res.list {
                for &n in f.names {
                    if n.is_blank() {
                        continue;
                    }
                    if let Some(o) = self.obj(n) {
                        let k = self.kind(self.ty(Expr::Ident(n)));
                        out.push((o, k, n.span()));
                    }
                }
            }
        }
        out
    }

    /// Analyses a top-level function and its closures.
    fn analyze_group(
        &mut self,
        bodies: &[FuncBody<'a>],
        out: &mut Vec<Finding>,
        seen: &mut FxHashSet<(&'static str, u32)>,
    ) {
        let mut run_states: FxHashMap<u32, St> = FxHashMap::default();
        for (idx, body) in bodies.iter().enumerate() {
            let lit = match body.kind {
                FuncKind::Lit(l) => Some(l),
                FuncKind::Decl(_) => None,
            };
            let (init, run) = match lit {
                Some(l) if idx > 0 => {
                    let run = self
                        .scan
                        .run_kind
                        .get(&l.span.start)
                        .copied()
                        .unwrap_or(RunKind::Escaping);
                    match run {
                        RunKind::Escaping | RunKind::Go => (self.escaping_initial(l), Some(run)),
                        _ => match run_states.remove(&l.span.start) {
                            Some(s) if !s.paths.is_empty() => (s, Some(run)),
                            _ => continue,
                        },
                    }
                }
                _ => (St::one(PState::default()), None),
            };
            let hits = self.analyze_body(body, init, run, &mut run_states);
            for h in hits {
                if !seen.insert((h.code, h.span.start)) {
                    continue;
                }
                let mut labels = h.extra;
                let org = self.origin_of(h.origin);
                if let Some(l) = org.label() {
                    labels.insert(
                        0,
                        (
                            Loc {
                                file: org.file,
                                span: org.span,
                            },
                            l,
                        ),
                    );
                }
                out.push(Finding {
                    code: h.code,
                    span: h.span,
                    message: h.message,
                    labels,
                    help: h.help,
                });
            }
        }
    }

    /// The entry state of a closure that may run at any time: only variables that nothing
    /// ever assigns are nil.
    fn escaping_initial(&mut self, lit: &'a FuncLit<'a>) -> St {
        let mut ps = PState::default();
        let decls = self.scan.zero_decls.clone();
        for (o, vs) in decls {
            let decl = self.c.obj(o).pos;
            if lit.span.start <= decl.offset && decl.offset < lit.span.end {
                continue;
            }
            if self.scan.assigned.contains(&o) || !self.trackable(o) {
                continue;
            }
            let k = self.kind(self.c.obj(o).ty);
            if matches!(k, PKind::Map | PKind::PtrMap | PKind::Struct) {
                let v = self.zero_decl(o, vs, k);
                ps.set(Place::root(o), v);
            }
        }
        St::one(ps)
    }

    fn analyze_body(
        &mut self,
        body: &FuncBody<'a>,
        init: St,
        run: Option<RunKind>,
        run_states: &mut FxHashMap<u32, St>,
    ) -> Vec<Hit> {
        let cfg = Cfg::build(body.body, &no_return);
        let (infos, info_start, live) = node_infos(self.c, self.file, &cfg, &self.scan.aliases);
        let named = self.named_results(body.ty);
        let lit_span = match body.kind {
            FuncKind::Lit(l) => Some(l.span),
            FuncKind::Decl(_) => None,
        };
        let mut flow = Flow {
            fa: self,
            cfg: &cfg,
            named,
            init: Some(init),
            lit_span,
            run,
            hits: Vec::new(),
            run_states: Some(run_states),
            infos,
            info_start,
            live,
        };
        let res = dataflow::solve(&cfg, &mut flow);
        for b in cfg.rpo() {
            let Some(st) = res.entry_state(b) else {
                continue;
            };
            let mut st = st.clone();
            for (i, node) in cfg.nodes(b).iter().enumerate() {
                let at = NodeRef {
                    block: b,
                    index: i as u32,
                };
                flow.check_node(&st, at);
                flow.transfer(at, node, &mut st);
            }
        }
        flow.hits
    }
}

fn parse_int(s: &str) -> Option<i64> {
    let s: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') && s.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

fn lit_text(src: &[u8], cl: &CompositeLit<'_>, amp: Option<Span>) -> String {
    let whole = amp.unwrap_or(cl.span);
    let t = short(src, whole, 60);
    if t.chars().count() <= 40 && !t.contains('…') {
        return t;
    }
    let head = short(src, Span::new(whole.start, cl.lbrace), 40);
    format!("{head}{{…}}")
}

// ---------------------------------------------------------------------------------------------
// The dataflow

struct Flow<'f, 'x, 'a> {
    fa: &'f mut Fa<'x, 'a>,
    cfg: &'f Cfg<'a>,
    named: Vec<(ObjId, PKind, Span)>,
    init: Option<St>,
    /// The literal's span when the body is a closure.
    lit_span: Option<Span>,
    run: Option<RunKind>,
    hits: Vec<Hit>,
    /// Where the direct closures of this body run (reporting pass only).
    run_states: Option<&'f mut FxHashMap<u32, St>>,
    /// Per-node information, and the index of each block's first node in it.
    infos: Vec<NodeInfo<'a>>,
    info_start: Vec<u32>,
    live: Live,
}

/// What a CFG node evaluates, collected once per body.
#[derive(Default)]
struct NodeInfo<'a> {
    /// Calls made while evaluating the node (a `go` statement's call included), in
    /// evaluation order.
    calls: Vec<&'a CallExpr<'a>>,
    /// The deferred call a `RunDefer` node runs.
    run_defer: Option<&'a CallExpr<'a>>,
    /// The call a `defer` statement defers (not a function literal): its receiver and
    /// arguments are evaluated here.
    deferred: Option<&'a CallExpr<'a>>,
    /// Dereferences of map pointers.
    derefs: Vec<&'a StarExpr<'a>>,
    /// Stores `x[k] = v` into maps.
    stores: Vec<&'a IndexExpr<'a>>,
    /// The node receives from a channel (a synchronisation point).
    recv_chan: bool,
}

/// Which local variables may still be referenced from a block on (a cheap liveness: a
/// variable named in a block, or in any block reachable from it). Facts about variables
/// nothing references any more are dropped on edges, so that path states that only differed
/// in them merge. Variables named inside function literals are never dropped.
#[derive(Default)]
struct Live {
    index: FxHashMap<u32, u8>,
    live_in: Vec<u64>,
}

impl Live {
    fn dead_at(&self, r: u32, b: BlockId) -> bool {
        match self.index.get(&r) {
            Some(&i) => self
                .live_in
                .get(b.index())
                .is_some_and(|m| m & (1 << i) == 0),
            None => false,
        }
    }
}

fn node_infos<'a>(
    c: &Checker<'a>,
    file: u32,
    cfg: &Cfg<'a>,
    aliases: &FxHashMap<ObjId, (Expr<'a>, ObjId)>,
) -> (Vec<NodeInfo<'a>>, Vec<u32>, Live) {
    let mut infos = Vec::new();
    let mut start = Vec::with_capacity(cfg.num_blocks() + 1);
    let mut live = Live::default();
    // What an alias points at is named through the alias: never dropped.
    let mut pinned: FxHashSet<u32> = aliases.values().map(|a| a.1 .0).collect();
    let mut occ: Vec<u64> = vec![0; cfg.num_blocks()];
    let mut lits: Vec<&'a FuncLit<'a>> = Vec::new();
    for b in cfg.blocks() {
        start.push(infos.len() as u32);
        for node in cfg.nodes(b) {
            let mut info = NodeInfo::default();
            node_exprs(node, &mut |e| {
                each_sub(e, &mut |x| match x {
                    Expr::Call(call) => info.calls.push(call),
                    Expr::Star(s) if c.types.is_ptr_to_map(type_in(c, file, s.x)) => {
                        info.derefs.push(s)
                    }
                    Expr::Unary(u) if u.op == Tok::Arrow => info.recv_chan = true,
                    Expr::FuncLit(l) => lits.push(l),
                    Expr::Ident(i) => {
                        if let Some(o) = obj_in(c, file, i) {
                            let ob = c.obj(o);
                            if ob.is_var() && !ob.package_level {
                                let n = live.index.len();
                                let bit = *live.index.entry(o.0).or_insert(n.min(255) as u8);
                                if bit < 64 {
                                    occ[b.index()] |= 1 << bit;
                                } else {
                                    pinned.insert(o.0);
                                }
                            }
                        }
                    }
                    _ => {}
                })
            });
            // Edges out of a range head or a case test read the operand / tag again.
            let reread = match *node {
                Node::RangeNext(r) => Some(r.x),
                Node::Case { switch, .. } => switch.tag,
                _ => None,
            };
            if let Some(e) = reread {
                each_sub(e, &mut |x| {
                    if let Expr::Ident(i) = x {
                        if let Some(&bit) = obj_in(c, file, i).and_then(|o| live.index.get(&o.0)) {
                            if bit < 64 {
                                occ[b.index()] |= 1 << bit;
                            }
                        }
                    }
                });
            }
            // Inner calls are evaluated first.
            info.calls.reverse();
            match *node {
                Node::Select(_) | Node::Comm { .. } => info.recv_chan = true,
                Node::Go(g) => {
                    if let Expr::FuncLit(l) = g.call.fun.unparen() {
                        lits.push(l);
                    } else {
                        info.calls.push(g.call);
                    }
                }
                Node::Defer(d) => {
                    if let Expr::FuncLit(l) = d.call.fun.unparen() {
                        lits.push(l);
                    } else {
                        info.deferred = Some(d.call);
                    }
                }
                Node::RunDefer(d) => info.run_defer = Some(d.call),
                _ => {}
            }
            node_stores(node, &mut |ix| {
                if c.types.is_map(type_in(c, file, ix.x)) {
                    info.stores.push(ix)
                }
            });
            infos.push(info);
        }
    }
    start.push(infos.len() as u32);
    // Variables closures name stay live everywhere.
    struct Names<'y, 'c> {
        c: &'y Checker<'c>,
        file: u32,
        out: &'y mut FxHashSet<u32>,
    }
    impl<'a> Visitor<'a> for Names<'_, '_> {
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            if let Expr::Ident(i) = e {
                if let Some(o) = obj_in(self.c, self.file, i) {
                    self.out.insert(o.0);
                }
            }
            true
        }
    }
    for l in lits {
        let mut v = Names {
            c,
            file,
            out: &mut pinned,
        };
        visit::walk_stmt(&mut v, Stmt::Block(l.body));
    }
    live.index.retain(|o, i| *i < 64 && !pinned.contains(o));
    // live_in(b) = occ(b) | live_in(succs), to a fixpoint (reverse order first).
    live.live_in = occ.clone();
    let mut changed = true;
    while changed {
        changed = false;
        for b in cfg.blocks().rev() {
            let mut m = occ[b.index()];
            for e in cfg.succs(b) {
                m |= live.live_in[e.block.index()];
            }
            if m != live.live_in[b.index()] {
                live.live_in[b.index()] = m;
                changed = true;
            }
        }
    }
    (infos, start, live)
}

/// The literal "the `defer` of `call` has been executed" (`pol`).
fn defer_lit(call: &CallExpr<'_>, pol: bool) -> Lit {
    Lit {
        key: 0x2545_f491_4f6c_dd1d ^ call.span.start as u64,
        pol,
        flags: 0,
        roots: [NONE; 3],
    }
}

/// Whether the `defer` of `call` may have been executed on this path.
fn defer_may_run(ps: &PState, call: &CallExpr<'_>) -> bool {
    let l = defer_lit(call, false);
    !ps.lits.iter().any(|x| x.key == l.key && !x.pol)
}

/// The first-iteration literal of the range loop whose head is `b`.
fn first_iter_key(b: BlockId) -> u64 {
    0x9e37_79b9_7f4a_7c15 ^ (b.0 as u64)
}

impl<'a> Analysis<'a> for Flow<'_, '_, 'a> {
    type State = St;

    fn initial(&mut self, _cfg: &Cfg<'a>) -> St {
        let mut st = self
            .init
            .take()
            .unwrap_or_else(|| St::one(PState::default()));
        let pkg = self.fa.scan.pkg_ok.clone();
        let named = self.named.clone();
        for ps in &mut st.paths {
            // No `defer` has run yet: a deferred call runs at exit only on the paths that
            // passed its statement.
            for d in &self.cfg.defers {
                ps.add_lit(defer_lit(d.call, false));
            }
            for &o in &pkg {
                let ob = self.fa.c.obj(o);
                let name = ob.name.to_string();
                let sp = Span::new(ob.pos.offset, ob.pos.offset + name.len() as u32);
                let org = Origin {
                    kind: OKind::PkgVar,
                    file: ob.pos.file,
                    span: sp,
                    name: name.clone(),
                    text: name.clone(),
                };
                let key = (sp.start ^ ob.pos.file.rotate_left(20), OKind::PkgVar as u8);
                let i = match self.fa.origin_ids.get(&key) {
                    Some(&i) => i,
                    None => {
                        let i = self.fa.origins.len() as u16;
                        self.fa.origins.push(org);
                        self.fa.origin_ids.insert(key, i);
                        i
                    }
                };
                ps.set(Place::root(o), Val::Nil(i));
            }
            for &(o, k, sp) in &named {
                if !self.fa.trackable(o) {
                    continue;
                }
                let name = self.fa.c.obj(o).name.to_string();
                let v = match k {
                    PKind::Map | PKind::PtrMap => {
                        Val::Nil(self.fa.origin(OKind::NamedResult, sp, &name, name.clone()))
                    }
                    PKind::Struct => {
                        Val::Zero(self.fa.origin(OKind::NamedResult, sp, &name, name.clone()))
                    }
                    _ => continue,
                };
                ps.set(Place::root(o), v);
            }
        }
        st
    }

    fn transfer(&mut self, at: NodeRef, node: &Node<'a>, state: &mut St) {
        if state.paths.is_empty() {
            return;
        }
        let infos = std::mem::take(&mut self.infos);
        let info = &infos[self.info_start[at.block.index()] as usize + at.index as usize];
        let mut paths = std::mem::take(&mut state.paths);
        paths.retain_mut(|ps| self.step(ps, node, info));
        state.paths = paths;
        self.infos = infos;
    }

    fn transfer_edge(
        &mut self,
        from: BlockId,
        edge: Edge,
        last: Option<&Node<'a>>,
        state: &mut St,
    ) -> bool {
        if state.paths.is_empty() {
            return false;
        }
        let back = edge.block.0 <= from.0;
        let to_head = matches!(self.cfg.last_node(edge.block), Some(Node::RangeNext(_)));
        let mut paths = std::mem::take(&mut state.paths);
        let live = std::mem::take(&mut self.live);
        let target = edge.block;
        paths.retain_mut(|ps| {
            if back {
                ps.drop_lits(|l| l.flags & FRAGILE != 0);
            }

            if to_head {
                let key = first_iter_key(edge.block);
                ps.drop_lits(|l| l.key == key);
                if !back {
                    ps.add_lit(Lit {
                        key,
                        pol: true,
                        flags: 0,
                        roots: [NONE; 3],
                    });
                }
            }
            if !self.refine_edge(ps, from, edge, last) {
                return false;
            }
            // Forget what nothing refers to any more (after the edge's own refinement).
            if !live.index.is_empty() {
                ps.remove_facts(|(p, _)| live.dead_at(p.0[0], target));
                ps.drop_lits(|l| {
                    l.roots
                        .iter()
                        .any(|&r| r != NONE && live.dead_at(r, target))
                });
                ps.implies
                    .retain(|(ok, q)| !live.dead_at(*ok, target) && !live.dead_at(q.0[0], target));
                ps.escaped.retain(|&r| !live.dead_at(r, target));
            }
            true
        });
        self.live = live;
        if paths.len() > 1 {
            normalize(&mut paths, false);
        }
        state.paths = paths;
        if state.paths.is_empty() {
            return false;
        }
        if matches!(edge.kind, EdgeKind::Return | EdgeKind::Exit) {
            if let Some(cm) = &mut self.fa.callee {
                cm.returns = true;
            }
        }
        true
    }
}

impl<'a> Flow<'_, '_, 'a> {
    fn c(&self) -> &Checker<'a> {
        self.fa.c
    }

    // -- Transfer ---------------------------------------------------------------------------

    /// Applies one node to one path state; `false` when the path ends here (callee mode: it
    /// panicked on the parameter).
    fn step(&mut self, ps: &mut PState, node: &Node<'a>, info: &NodeInfo<'a>) -> bool {
        // A call may change what an earlier call returned (a condition is the call it tests).
        if !matches!(node, Node::Cond(_)) && (!info.calls.is_empty() || info.run_defer.is_some()) {
            ps.drop_lits(|l| l.flags & CALL != 0);
        }
        // Calls, then dereferences and stores that would have panicked, then assignments.
        for &call in &info.calls {
            if !self.call_effects(ps, call) {
                return false;
            }
        }
        if let Some(call) = info.run_defer {
            if defer_may_run(ps, call) && !self.call_effects(ps, call) {
                return false;
            }
        }
        if let Node::Defer(d) = *node {
            let key = defer_lit(d.call, true).key;
            ps.drop_lits(|l| l.key == key);
            ps.add_lit(defer_lit(d.call, true));
        }
        if info.recv_chan && !ps.escaped.is_empty() {
            let esc = ps.escaped.clone();
            for r in esc {
                ps.kill_root(r);
            }
        }
        for s in &info.derefs {
            if let Some((p, k)) = self.fa.place(s.x) {
                if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(p, k) {
                    if !self.after_panic_site(ps, p, o, s.x.span(), true) {
                        return false;
                    }
                }
            }
        }
        for ix in &info.stores {
            if let Some(r) = root_of(self.fa.c, self.fa.file, ix.x) {
                ps.drop_lits(|l| l.flags & LEN_MAP != 0 && l.roots.contains(&r.0));
            }
            if let Some((p, k)) = self.fa.place(ix.x) {
                if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(p, k) {
                    if !self.after_panic_site(ps, p, o, ix.span, false) {
                        return false;
                    }
                }
            }
        }
        self.assignments(ps, node);
        true
    }

    /// After a store/deref on a nil place: the paths that go on had it non-nil. In callee
    /// mode a nil parameter ends the path (the callee panics there).
    fn after_panic_site(
        &mut self,
        ps: &mut PState,
        p: Place,
        o: u16,
        span: Span,
        deref: bool,
    ) -> bool {
        if let Some(cm) = &mut self.fa.callee {
            if cm.origin == o {
                if cm.panic_at.is_none() {
                    cm.panic_at = Some((span, deref));
                }
                return false;
            }
        }
        // The outcome a conditional fact depends on is now known too (and decides siblings).
        if let Some(Val::Cond(_, key, nil_when)) = ps.raw(p) {
            if !ps.assume(key, !nil_when) {
                return false;
            }
        }
        ps.set(p, Val::NotNil);
        true
    }

    /// Effects of one call on a path state: closures that run, places the callee may change,
    /// callees that panic on a nil argument (callee mode).
    fn call_effects(&mut self, ps: &mut PState, call: &'a CallExpr<'a>) -> bool {
        let c = self.fa.c;
        let file = self.fa.file;
        match builtin_of(c, file, call) {
            Some(Builtin::Delete | Builtin::Clear) => {
                if let Some(r) = call.args.first().and_then(|&a| root_of(c, file, a)) {
                    ps.drop_lits(|l| l.flags & LEN_MAP != 0 && l.roots.contains(&r.0));
                }
                return true;
            }
            Some(_) => return true,
            None => {}
        }
        if is_conversion(c, file, call) {
            return true;
        }
        // Closures that run here.
        let lits = self.closures_run_by(call);
        if !lits.is_empty() {
            for l in lits {
                if let Some(vs) = self.fa.scan.closure_assigned.get(&l).cloned() {
                    for v in vs {
                        ps.kill_root(v.0);
                        ps.invalidate_root(v.0);
                    }
                }
            }
            return true;
        }
        // Callee mode: passing the nil parameter on to a callee that panics on it.
        if self.fa.callee.is_some() {
            let origin = self.fa.callee.as_ref().map(|c| c.origin);
            for (_, sum) in self.call_panics(ps, call) {
                if Some(sum.origin) == origin {
                    if let Some(cm) = &mut self.fa.callee {
                        if cm.panic_at.is_none() {
                            cm.panic_at = Some((call.span, sum.summary.deref));
                        }
                    }
                    return false;
                }
            }
        }
        // Arguments whose address is taken, pointers passed on, the receiver.
        for &a in call.args {
            match a.unparen() {
                Expr::Unary(u) if u.op == Tok::And => {
                    if let Some((p, _)) = self.fa.place(u.x) {
                        ps.remove_within(p, true);
                        ps.invalidate_root(p.0[0]);
                        self.escape(ps, p.obj());
                    }
                }
                _ => {
                    if let Some((p, k)) = self.fa.place(a) {
                        if matches!(k, PKind::PtrStruct | PKind::PtrMap) {
                            ps.remove_within(p, false);
                            self.escape(ps, p.obj());
                        }
                    }
                }
            }
        }
        if let Expr::Selector(s) = call.fun.unparen() {
            // A method with a value receiver called on a value gets a copy: it cannot change
            // the caller's variable.
            let copies = !matches!(c.types.get(type_in(c, file, s.x)), Type::Pointer(_))
                && obj_in(c, file, s.sel).is_some_and(|m| value_receiver(c, m));
            if !is_pkg_name(c, file, s.x) && !copies {
                if let Some((p, _)) = self.fa.place(s.x) {
                    // A method that only assigns fields holding no map (a setter of other
                    // fields, `c.mu.Lock()`): its map fields keep their value.
                    let effect = obj_in(c, file, s.sel)
                        .filter(|&m| c.obj(m).kind == ObjKind::Func)
                        .and_then(|m| receiver_effect(c, m, 0));
                    let xt = type_in(c, file, s.x);
                    let st = c.types.pointer_elem(xt).unwrap_or(xt);
                    let field_place = |f: ObjId| -> Option<Place> {
                        let mut q = p;
                        for step in field_path(c, st, f, 0)? {
                            q = q.push(step.0)?;
                        }
                        Some(q)
                    };
                    let mut places: Option<Vec<Place>> =
                        effect.and_then(|fs| fs.iter().map(|&f| field_place(f)).collect());
                    // A field whose type holds no map (`s.mu.Lock()`, whatever `Lock` does):
                    // the call can only change that field.
                    if places.is_none()
                        && p.len() > 1
                        && !matches!(
                            self.fa.kind(xt),
                            PKind::Map | PKind::PtrMap | PKind::Struct | PKind::PtrStruct
                        )
                        && !xt.is_unknown()
                        && !matches!(c.types.get(c.types.core(xt)), Type::Pointer(_))
                    {
                        places = Some(vec![p]);
                    }
                    match places {
                        Some(places) => {
                            for fp in places {
                                ps.remove_within(fp, false);
                                ps.set(fp, Val::Unknown);
                            }
                        }
                        None => {
                            ps.remove_within(p, true);
                            self.escape(ps, p.obj());
                        }
                    }
                }
            }
        }
        if !ps.escaped.is_empty() {
            let esc = ps.escaped.clone();
            for r in esc {
                ps.kill_root(r);
            }
        }
        true
    }

    /// Records that the address of root `r` was handed out: any later call may change it.
    fn escape(&mut self, ps: &mut PState, r: ObjId) {
        let k = self.fa.kind(self.c().obj(r).ty);
        if !self.fa.wants(Place::root(r), k) {
            return;
        }
        if let Err(i) = ps.escaped.binary_search(&r.0) {
            ps.escaped.insert(i, r.0);
        }
    }

    /// The function literals a call runs right away: `func(){...}()`, or `f()` of a local
    /// closure variable.
    fn closures_run_by(&self, call: &'a CallExpr<'a>) -> Vec<u32> {
        match call.fun.unparen() {
            Expr::FuncLit(l) => vec![l.span.start],
            Expr::Ident(i) => {
                let Some(o) = self.fa.obj(i) else {
                    return Vec::new();
                };
                match self.fa.scan.closure_vars.get(&o) {
                    Some(ls) => ls
                        .iter()
                        .copied()
                        .filter(|l| self.fa.scan.run_kind.get(l) == Some(&RunKind::Local(o)))
                        .collect(),
                    None => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn assign_expr(&mut self, ps: &mut PState, lhs: Expr<'a>, ev: Ev<'a>, stmt: Span) {
        if let Expr::Ident(i) = lhs.unparen() {
            if i.is_blank() {
                return;
            }
        }
        match self.fa.place(lhs) {
            Some((p, k)) => {
                self.fa_assign(ps, p, k, ev, stmt);
            }
            None => {
                if matches!(lhs.unparen(), Expr::Index(_)) {
                    self.elem_store(ps, lhs);
                    return;
                }
                // Through a pointer or a root we do not track: whatever it may alias changes.
                let esc = ps.escaped.clone();
                for r in esc {
                    ps.kill_root(r);
                }
                if let Expr::Selector(s) = lhs.unparen() {
                    if let Some(f) = self.fa.obj(s.sel) {
                        let fl = f.0;
                        ps.remove_facts(|(q, _)| q.len() >= 2 && q.0[q.len() - 1] == fl);
                    }
                }
                // A write below a tracked place we cannot name (`x.p.f = v` with `x.p` a
                // pointer): forget what we knew about the tracked prefix.
                let mut x = lhs.unparen();
                loop {
                    x = match x {
                        Expr::Selector(s) => s.x.unparen(),
                        Expr::Star(s) => s.x.unparen(),
                        Expr::Index(ix) => ix.x.unparen(),
                        _ => break,
                    };
                    if let Some((p, k)) = self.fa.place(x) {
                        self.fa_assign(ps, p, k, Ev::V(Val::Unknown), stmt);
                        break;
                    }
                }
                if let Some(o) = root_of(self.fa.c, self.fa.file, lhs) {
                    ps.invalidate_root(o.0);
                }
            }
        }
    }

    /// A store into an element of `lhs`'s root: conditions on its elements may change.
    fn elem_store(&mut self, ps: &mut PState, lhs: Expr<'a>) {
        if let Some(r) = root_of(self.fa.c, self.fa.file, lhs) {
            ps.drop_lits(|l| l.flags & ELEM != 0 && l.roots.contains(&r.0));
        }
    }

    fn fa_assign(&mut self, ps: &mut PState, p: Place, k: PKind, ev: Ev<'a>, stmt: Span) {
        self.fa.assign(ps, p, k, ev, stmt);
        ps.invalidate_root(p.0[0]);
    }

    fn assignments(&mut self, ps: &mut PState, node: &Node<'a>) {
        match *node {
            Node::Assign(a) => self.assign_stmt(ps, a),
            Node::IncDec(x) if !matches!(x.x.unparen(), Expr::Index(_)) => {
                self.assign_expr(ps, x.x, Ev::V(Val::Unknown), x.span);
            }
            Node::IncDec(x) => self.elem_store(ps, x.x),
            Node::Decl(d) => {
                let Decl::Gen(g) = d.decl else { return };
                if g.tok != Tok::Var {
                    return;
                }
                for s in g.specs {
                    let Spec::Value(vs) = s else { continue };
                    if vs.values.is_empty() {
                        for &n in vs.names {
                            if n.is_blank() {
                                continue;
                            }
                            let Some((p, k)) = self.fa.place(Expr::Ident(n)) else {
                                continue;
                            };
                            let Some(o) = self.fa.obj(n) else { continue };
                            ps.remove_within(p, true);
                            ps.invalidate_root(p.0[0]);
                            if !self.fa.wants(p, k) {
                                continue;
                            }
                            let v = self.fa.zero_decl(o, vs, k);
                            if v != Val::Unknown {
                                ps.set(p, v);
                            }
                        }
                    } else if vs.values.len() == vs.names.len() {
                        let evs: Vec<Ev<'a>> =
                            vs.values.iter().map(|&v| self.fa.eval(ps, v)).collect();
                        // The statement as written (`var m map[K]V = nil`) when it declares
                        // one spec.
                        let span = if g.specs.len() == 1 { g.span } else { vs.span };
                        for (&n, ev) in vs.names.iter().zip(evs) {
                            self.assign_expr(ps, Expr::Ident(n), ev, span);
                        }
                    } else {
                        for &n in vs.names {
                            self.assign_expr(ps, Expr::Ident(n), Ev::V(Val::Unknown), vs.span);
                        }
                    }
                }
            }
            Node::Return(r) => {
                if self.named.is_empty() || r.results.is_empty() {
                    return;
                }
                let named = self.named.clone();
                if r.results.len() == named.len() {
                    let evs: Vec<Ev<'a>> = r.results.iter().map(|&v| self.fa.eval(ps, v)).collect();
                    for ((o, k, _), ev) in named.into_iter().zip(evs) {
                        if self.fa.trackable(o) {
                            self.fa_assign(ps, Place::root(o), k, ev, r.span);
                        }
                    }
                } else {
                    for (o, k, _) in named {
                        if self.fa.trackable(o) {
                            self.fa_assign(ps, Place::root(o), k, Ev::V(Val::Unknown), r.span);
                        }
                    }
                }
            }
            Node::RangeNext(r) => {
                for e in [r.key, r.value].into_iter().flatten() {
                    if !matches!(e.unparen(), Expr::Index(_)) {
                        self.assign_expr(ps, e, Ev::V(Val::Unknown), r.span);
                    }
                }
            }
            Node::TypeSwitchGuard(ts) => {
                if let Stmt::Assign(a) = ts.assign {
                    for &l in a.lhs {
                        self.assign_expr(ps, l, Ev::V(Val::Unknown), a.span);
                    }
                }
            }
            Node::Comm { clause, .. } => {
                if let Some(Stmt::Assign(a)) = clause.comm {
                    for &l in a.lhs {
                        if !matches!(l.unparen(), Expr::Index(_)) {
                            self.assign_expr(ps, l, Ev::V(Val::Unknown), a.span);
                        }
                    }
                }
            }
            Node::RunDefer(_) | Node::Expr(_) | Node::Go(_) | Node::Defer(_) => {}
            _ => {}
        }
    }

    fn assign_stmt(&mut self, ps: &mut PState, a: &'a AssignStmt<'a>) {
        if a.tok != Tok::Assign && a.tok != Tok::Define {
            for &l in a.lhs {
                if matches!(l.unparen(), Expr::Index(_)) {
                    self.elem_store(ps, l);
                } else {
                    self.assign_expr(ps, l, Ev::V(Val::Unknown), a.span);
                }
            }
            return;
        }
        if a.lhs.len() == a.rhs.len() {
            let mut evs: Vec<Ev<'a>> = a.rhs.iter().map(|&v| self.fa.eval(ps, v)).collect();
            // `a, b = b, a`: every right-hand side is evaluated before anything is assigned,
            // so a copy of a place another left-hand side assigns takes its value now (a
            // map's value; anything else becomes unknown: its parts are not copied).
            if a.lhs.len() > 1 {
                let targets: Vec<Option<Place>> = a
                    .lhs
                    .iter()
                    .map(|&l| self.fa.place(l).map(|(p, _)| p))
                    .collect();
                for (j, ev) in evs.iter_mut().enumerate() {
                    if let Ev::Copy(q, qk) = *ev {
                        let overlaps = targets
                            .iter()
                            .enumerate()
                            .any(|(i, t)| i != j && t.is_some_and(|t| t.within(q) || q.within(t)));
                        if overlaps {
                            *ev = Ev::V(if qk == PKind::Map {
                                ps.lookup(q, qk)
                            } else {
                                Val::Unknown
                            });
                        }
                    }
                }
            }
            // v := m[k] (or a value built from such a read): v non-zero implies m is not nil.
            let reads: Vec<Option<Place>> = a
                .rhs
                .iter()
                .map(|&r| self.zero_if_nil(ps, r).map(|(p, _)| p))
                .collect();
            for (&l, ev) in a.lhs.iter().zip(evs) {
                self.assign_expr(ps, l, ev, a.span);
            }
            for (&l, p) in a.lhs.iter().zip(reads) {
                if let (Expr::Ident(v), Some(p)) = (l.unparen(), p) {
                    if let Some(vo) = self.fa.obj(v) {
                        if self.fa.trackable(vo) && !v.is_blank() {
                            ps.implies.push((vo.0, p));
                            ps.implies.sort_unstable();
                            ps.implies.dedup();
                        }
                    }
                }
            }
            // has := m != nil (or len(m) > 0): `has` true implies m is not nil.
            for (&l, &r) in a.lhs.iter().zip(a.rhs.iter()) {
                if let (Expr::Ident(b), Some(p)) = (l.unparen(), self.proves_not_nil(ps, r)) {
                    if let Some(bo) = self.fa.obj(b) {
                        if self.fa.trackable(bo) {
                            ps.implies.push((bo.0, p));
                            ps.implies.sort_unstable();
                            ps.implies.dedup();
                        }
                    }
                }
            }
            return;
        }
        for &l in a.lhs {
            self.assign_expr(ps, l, Ev::V(Val::Unknown), a.span);
        }
        // `inner, ok := outer[k]` of a map of maps the function never populates: inner is
        // nil and ok false, as in the one-value form.
        if a.lhs.len() == 2 && a.rhs.len() == 1 {
            if let Expr::Index(ix) = a.rhs[0].unparen() {
                if self.c().types.is_map(self.fa.ty(ix.x)) {
                    let ev = self.fa.eval(ps, a.rhs[0]);
                    if matches!(ev, Ev::V(Val::Nil(o)) if self.fa.origins.get(o as usize)
                        .is_some_and(|g| matches!(g.kind, OKind::Inner | OKind::InnerOfNil)))
                    {
                        self.assign_expr(ps, a.lhs[0], ev, a.span);
                        self.assign_expr(ps, a.lhs[1], Ev::V(Val::Const(0)), a.span);
                    }
                }
            }
        }
        // v, ok := m[k]: ok implies m is not nil.
        if a.lhs.len() == 2 && a.rhs.len() == 1 {
            if let (Expr::Index(ix), Expr::Ident(ok)) = (a.rhs[0].unparen(), a.lhs[1].unparen()) {
                if self.c().types.is_map(self.fa.ty(ix.x)) {
                    if let (Some((p, _)), Some(oko)) = (self.fa.place(ix.x), self.fa.obj(ok)) {
                        if self.fa.trackable(oko) {
                            ps.implies.push((oko.0, p));
                            ps.implies.sort_unstable();
                            ps.implies.dedup();
                        }
                    }
                }
            }
        }
    }

    /// The map place a bool expression proves non-nil when true: `m != nil`, `len(m) > 0`,
    /// `len(m) != 0`.
    fn proves_not_nil(&mut self, ps: &PState, e: Expr<'a>) -> Option<Place> {
        let Expr::Binary(b) = e.unparen() else {
            return None;
        };
        for (x, y) in [(b.x, b.y), (b.y, b.x)] {
            if b.op == Tok::Neq && is_nil(self.c(), self.fa.file, y) {
                let (p, k) = self.fa.place(x)?;
                return matches!(k, PKind::Map | PKind::PtrMap).then_some(p);
            }
        }
        // `m[k] > 0`, `m[k] != ""`: false for what a nil map reads as.
        if matches!(
            b.op,
            Tok::Eql | Tok::Neq | Tok::Lss | Tok::Leq | Tok::Gtr | Tok::Geq
        ) {
            for (x, y, flip) in [(b.x, b.y, false), (b.y, b.x, true)] {
                let Some(cv) = self.const_of(y) else { continue };
                let op = if flip { swap_op(b.op) } else { b.op };
                if let Some((p, z)) = self.zero_if_nil(ps, x) {
                    if cmp(z, cv, op) == Some(false) {
                        return Some(p);
                    }
                }
            }
        }
        let (lenx, lit, op) = match (b.x.unparen(), b.y.unparen()) {
            (Expr::Call(c), Expr::BasicLit(l)) => (c, l, b.op),
            (Expr::BasicLit(l), Expr::Call(c)) => (c, l, swap_op(b.op)),
            _ => return None,
        };
        if lit.value != "0" || !matches!(op, Tok::Gtr | Tok::Neq) {
            return None;
        }
        if !matches!(builtin_of(self.c(), self.fa.file, lenx), Some(Builtin::Len)) {
            return None;
        }
        let &a = lenx.args.first()?;
        if !self.c().types.is_map(self.fa.ty(a)) {
            return None;
        }
        self.fa.place(a).map(|(p, _)| p)
    }

    // -- Edges ------------------------------------------------------------------------------

    fn refine_edge(
        &mut self,
        ps: &mut PState,
        from: BlockId,
        edge: Edge,
        last: Option<&Node<'a>>,
    ) -> bool {
        match (last, edge.kind) {
            (Some(&Node::Cond(e)), EdgeKind::True) => self.atom(ps, e, true),
            (Some(&Node::Cond(e)), EdgeKind::False) => self.atom(ps, e, false),
            (
                Some(&Node::Case { switch, expr, .. }),
                k @ (EdgeKind::CaseMatch | EdgeKind::CaseNoMatch),
            ) => {
                let pol = k == EdgeKind::CaseMatch;
                let Some(tag) = switch.tag else { return true };
                if let (Some(a), Some(b)) = (self.cond_key(tag), self.cond_key(expr)) {
                    let key = mix(&[7, a.0.min(b.0), a.0.max(b.0)]);
                    let lit = merge_lit(key, pol, a, b);
                    if let Some(l) = lit {
                        if !ps.add_lit(l) {
                            return false;
                        }
                    }
                }
                self.compare(ps, tag, expr, Tok::Eql, pol)
            }
            (Some(&Node::RangeNext(r)), EdgeKind::RangeBody) => {
                let x = r.x;
                if let Some((p, k)) = self.fa.place(r.x) {
                    if k == PKind::Map && !self.not_nil(ps, p, k) {
                        return false;
                    }
                }
                // An iteration happens: the operand is not empty.
                let xt = self.fa.ty(x);
                let sized = match self.c().types.get(self.c().types.core(xt)) {
                    Type::Slice(_) | Type::Array(..) | Type::Map(..) => true,
                    Type::Basic(b) => matches!(b, Basic::String | Basic::UntypedString),
                    _ => false,
                };
                if sized {
                    for l in self.len_lits(x) {
                        if !ps.add_lit(l) {
                            return false;
                        }
                    }
                }
                // First iteration over an indexable operand: the key is 0.
                let key = first_iter_key(from);
                if ps.lits.iter().any(|l| l.key == key) {
                    if let Some(Expr::Ident(ki)) = r.key.map(|k| k.unparen()) {
                        let xt = self.fa.ty(r.x);
                        let indexable = matches!(
                            self.c().types.get(self.c().types.core(xt)),
                            Type::Slice(_) | Type::Array(..) | Type::Basic(_)
                        ) || matches!(self.c().types.get(self.c().types.core(xt)), Type::Pointer(e) if matches!(self.c().types.get(self.c().types.underlying(*e)), Type::Array(..)));
                        if indexable {
                            if let Some((p, k)) = self.fa.place(Expr::Ident(ki)) {
                                if k == PKind::Int && self.fa.wants(p, k) {
                                    ps.set(p, Val::Const(0));
                                }
                            }
                        }
                    }
                }
                true
            }
            _ => true,
        }
    }

    /// Refines on the atomic condition `e` being `pol`; `false` when that contradicts `ps`.
    fn atom(&mut self, ps: &mut PState, e: Expr<'a>, pol: bool) -> bool {
        let e = e.unparen();
        if let Expr::Unary(u) = e {
            if u.op == Tok::Not {
                return self.atom(ps, u.x, !pol);
            }
        }
        // A constant condition: only one side is feasible.
        if let Some(v) = const_bool(self.c(), self.fa.file, e) {
            return v == pol;
        }
        // The same condition seen before on this path.
        if let Some((key, p2)) = self.canon_key(e) {
            let pol = pol == p2;
            if !ps.add_lit(Lit { pol, ..key }) {
                return false;
            }
        }
        match e {
            Expr::Binary(b) => match b.op {
                Tok::Eql | Tok::Neq | Tok::Lss | Tok::Gtr | Tok::Leq | Tok::Geq => {
                    self.compare(ps, b.x, b.y, b.op, pol)
                }
                _ => true,
            },
            _ => {
                // A bool: a tracked constant, a comma-ok flag, a read `m[k]` of a bool map.
                if let Some((p, k)) = self.fa.place(e) {
                    if k == PKind::Bool {
                        let mut v = ps.lookup(p, k);
                        if v == Val::Unknown && self.fa.is_flag_field(p) && self.fa.wants(p, k) {
                            v = Val::Const(0);
                        }
                        match v {
                            Val::Const(v) => {
                                if (v != 0) != pol {
                                    return false;
                                }
                            }
                            _ => {
                                if self.fa.wants(p, k) {
                                    ps.set(p, Val::Const(pol as i64));
                                }
                            }
                        }
                        if pol {
                            let imps: Vec<Place> = ps
                                .implies
                                .iter()
                                .filter(|(ok, _)| *ok == p.0[0] && p.len() == 1)
                                .map(|&(_, q)| q)
                                .collect();
                            for q in imps {
                                if !self.not_nil(ps, q, PKind::Map) {
                                    return false;
                                }
                            }
                        }
                    }
                    return true;
                }
                if let Some((p, z)) = self.zero_if_nil(ps, e) {
                    if z == Cv::Bool(false) && pol && !self.not_nil(ps, p, PKind::Map) {
                        return false;
                    }
                }
                true
            }
        }
    }

    /// `x op y` is `pol`.
    fn compare(&mut self, ps: &mut PState, x: Expr<'a>, y: Expr<'a>, op: Tok, pol: bool) -> bool {
        // Nil comparisons.
        for (a, b) in [(x, y), (y, x)] {
            if is_nil(self.c(), self.fa.file, b) && (op == Tok::Eql || op == Tok::Neq) {
                let is_nil_now = (op == Tok::Eql) == pol;
                // `m[k] != nil`, `p := m[k]; p != nil`: a non-nil value read from a map.
                if !is_nil_now {
                    if let Some((mp, Cv::Nil)) = self.zero_if_nil(ps, a) {
                        if !self.not_nil(ps, mp, PKind::Map) {
                            return false;
                        }
                    }
                }
                if let Some((p, k)) = self.fa.place(a) {
                    return if is_nil_now {
                        self.nil(ps, p, k)
                    } else {
                        self.not_nil(ps, p, k)
                    };
                }
                return true;
            }
        }
        // A constant on one side.
        for (a, b, flip) in [(x, y, false), (y, x, true)] {
            let Some(cv) = self
                .const_of(b)
                .or_else(|| self.const_eval(ps, b, 0).map(Cv::Int))
            else {
                continue;
            };
            let op = if flip { swap_op(op) } else { op };
            // Both sides known (`i%n == 0` on the first iteration).
            if let Some(v) = self.const_eval(ps, a, 0) {
                if let Some(r) = cmp(Cv::Int(v), cv, op) {
                    if r != pol {
                        return false;
                    }
                }
                return true;
            }
            // What a nil map reads as.
            if let Some((p, z)) = self.zero_if_nil(ps, a) {
                if let Some(r) = cmp(z, cv, op) {
                    if r != pol && !self.not_nil(ps, p, PKind::Map) {
                        return false;
                    }
                }
                return true;
            }
            // A tracked constant variable.
            if let Some((p, k)) = self.fa.place(a) {
                if matches!(k, PKind::Int | PKind::Bool) {
                    match ps.lookup(p, k) {
                        Val::Const(v) => {
                            if let Some(r) = cmp(Cv::Int(v), cv, op) {
                                if r != pol {
                                    return false;
                                }
                            }
                        }
                        _ => {
                            if let (Cv::Int(n), true) = (
                                cv,
                                (op == Tok::Eql) == pol && (op == Tok::Eql || op == Tok::Neq),
                            ) {
                                if self.fa.wants(p, k) && (n == 0 || k == PKind::Bool) {
                                    ps.set(p, Val::Const(n));
                                }
                            }
                        }
                    }
                }
            }
            return true;
        }
        true
    }

    /// The value of a small integer expression in `ps`: literals, tracked constants, and
    /// arithmetic that a zero operand decides (`0 % n`, `0 * n`, `0 & n`).
    fn const_eval(&mut self, ps: &PState, e: Expr<'a>, d: u32) -> Option<i64> {
        if d > 4 {
            return None;
        }
        match e.unparen() {
            Expr::BasicLit(b) if b.kind == Tok::Int => parse_int(b.value),
            e @ (Expr::Ident(_) | Expr::Selector(_)) => {
                let (p, k) = self.fa.place(e)?;
                if !matches!(k, PKind::Int | PKind::Bool) {
                    return None;
                }
                match ps.lookup(p, k) {
                    Val::Const(v) => Some(v),
                    _ => None,
                }
            }
            Expr::Binary(b) => {
                let x = self.const_eval(ps, b.x, d + 1);
                match b.op {
                    Tok::Rem | Tok::Quo | Tok::Shl | Tok::Shr if x == Some(0) => Some(0),
                    Tok::Mul | Tok::And => {
                        if x == Some(0) {
                            return Some(0);
                        }
                        let y = self.const_eval(ps, b.y, d + 1)?;
                        if y == 0 {
                            return Some(0);
                        }
                        let x = x?;
                        if b.op == Tok::Mul {
                            x.checked_mul(y)
                        } else {
                            Some(x & y)
                        }
                    }
                    Tok::Add => x?.checked_add(self.const_eval(ps, b.y, d + 1)?),
                    Tok::Sub => x?.checked_sub(self.const_eval(ps, b.y, d + 1)?),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The place is nil on this edge.
    fn nil(&mut self, ps: &mut PState, p: Place, k: PKind) -> bool {
        // Nil here decides the outcome the value depends on (and so its siblings).
        if let Some(Val::Cond(_, key, nil_when)) = ps.raw(p) {
            if !ps.assume(key, nil_when) {
                return false;
            }
        }
        match ps.lookup(p, k) {
            Val::NotNil | Val::Zero(_) => false,
            Val::MaybeNil(o) => {
                ps.set(p, Val::Nil(o));
                true
            }
            _ => true,
        }
    }

    /// The place is not nil on this edge.
    fn not_nil(&mut self, ps: &mut PState, p: Place, k: PKind) -> bool {
        if let Some(Val::Cond(_, key, nil_when)) = ps.raw(p) {
            if !ps.assume(key, !nil_when) {
                return false;
            }
        }
        match ps.lookup(p, k) {
            Val::Nil(_) => false,
            Val::MaybeNil(_) => {
                ps.set(p, Val::NotNil);
                true
            }
            _ => true,
        }
    }

    /// What `e` evaluates to when a map place is nil: `m[k]`, `len(m)`, and what is built from
    /// a read of it (`len(m[k])`, `m[k].f`, a variable holding `m[k]`). A result that is not
    /// this value proves the map is not nil (a nil map only yields zero values).
    fn zero_if_nil(&mut self, ps: &PState, e: Expr<'a>) -> Option<(Place, Cv)> {
        if let Expr::Call(call) = e.unparen() {
            if !matches!(builtin_of(self.c(), self.fa.file, call), Some(Builtin::Len)) {
                return None;
            }
            let &a = call.args.first()?;
            if self.c().types.is_map(self.fa.ty(a)) {
                let (p, _) = self.fa.place(a)?;
                return Some((p, Cv::Int(0)));
            }
            // The length of a zero string, slice, map or channel is 0 (not of an array).
            let p = self.zero_src(ps, a, 0)?;
            let sized = matches!(
                self.c().types.get(self.c().types.core(self.fa.ty(a))),
                Type::Slice(_) | Type::Map(..) | Type::Chan(..) | Type::Basic(Basic::String)
            );
            return sized.then_some((p, Cv::Int(0)));
        }
        let p = self.zero_src(ps, e, 0)?;
        Some((p, zero_cv(self.c(), self.fa.ty(e))?))
    }

    /// The map place whose nil-ness makes `e` the zero value of its type: `m[k]`, a field of
    /// such a struct value, a variable assigned one (see `implies`).
    fn zero_src(&mut self, ps: &PState, e: Expr<'a>, d: u32) -> Option<Place> {
        if d > 4 {
            return None;
        }
        match e.unparen() {
            Expr::Index(ix) => {
                if !self.c().types.is_map(self.fa.ty(ix.x)) {
                    return None;
                }
                self.fa.place(ix.x).map(|(p, _)| p)
            }
            Expr::Selector(s) => {
                let f = self.fa.obj(s.sel)?;
                if self.c().obj(f).kind != ObjKind::Var(VarKind::Field) {
                    return None;
                }
                // A field of a zero struct value (not through a pointer) is zero.
                let xt = self.fa.ty(s.x);
                if !matches!(self.c().types.get(self.c().types.core(xt)), Type::Struct(_)) {
                    return None;
                }
                self.zero_src(ps, s.x, d + 1)
            }
            Expr::Ident(i) => {
                let o = self.fa.obj(i)?;
                ps.implies.iter().find(|(v, _)| *v == o.0).map(|&(_, p)| p)
            }
            _ => None,
        }
    }

    fn const_of(&self, e: Expr<'a>) -> Option<Cv> {
        match e.unparen() {
            Expr::BasicLit(b) => match b.kind {
                Tok::Int => parse_int(b.value).map(Cv::Int),
                Tok::String => Some(Cv::Str(b.value == "\"\"" || b.value == "``")),
                _ => None,
            },
            Expr::Ident(i) => {
                let o = self.fa.obj(i)?;
                let ob = self.c().obj(o);
                match ob.kind {
                    ObjKind::Nil => Some(Cv::Nil),
                    ObjKind::Const if ob.pos.file == u32::MAX => match ob.name {
                        "true" => Some(Cv::Bool(true)),
                        "false" => Some(Cv::Bool(false)),
                        _ => None,
                    },
                    _ => None,
                }
            }
            Expr::Unary(u) if u.op == Tok::Sub => match self.const_of(u.x)? {
                Cv::Int(n) => Some(Cv::Int(-n)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The correlation key of an atomic condition, with the polarity it stands for (`!=` is
    /// `==` negated, `>=` is `<` negated, ...).
    fn canon_key(&self, e: Expr<'a>) -> Option<(Lit, bool)> {
        if let Expr::Binary(b) = e {
            let (op, x, y, pol) = match b.op {
                Tok::Neq => (Tok::Eql, b.x, b.y, false),
                Tok::Geq => (Tok::Lss, b.x, b.y, false),
                Tok::Gtr => (Tok::Lss, b.y, b.x, true),
                Tok::Leq => (Tok::Lss, b.y, b.x, false),
                op => (op, b.x, b.y, true),
            };
            if matches!(op, Tok::Eql | Tok::Lss) {
                let kx = self.cond_key(x)?;
                let ky = self.cond_key(y)?;
                let key = if op == Tok::Eql {
                    mix(&[7, kx.0.min(ky.0), kx.0.max(ky.0)])
                } else {
                    mix(&[8, kx.0, ky.0])
                };
                return merge_lit(key, true, kx, ky).map(|l| (l, pol));
            }
        }
        let k = self.cond_key(e)?;
        Some((
            Lit {
                key: k.0,
                pol: true,
                flags: k.2,
                roots: k.1,
            },
            true,
        ))
    }

    /// A hash of a side-effect-free expression, its roots and fragility.
    fn cond_key(&self, e: Expr<'a>) -> Option<(u64, [u32; 3], u8)> {
        let mut h = FxHasher::default();
        let mut roots = Vec::new();
        let mut fragile = 0u8;
        if !self.key_rec(e, &mut h, &mut roots, &mut fragile, 0) {
            return None;
        }
        roots.sort_unstable();
        roots.dedup();
        if roots.len() > 3 {
            return None;
        }
        let mut r = [NONE; 3];
        r[..roots.len()].copy_from_slice(&roots);
        Some((h.finish(), r, fragile))
    }

    fn key_rec(
        &self,
        e: Expr<'a>,
        h: &mut FxHasher,
        roots: &mut Vec<u32>,
        fragile: &mut u8,
        d: u32,
    ) -> bool {
        if d > 12 {
            return false;
        }
        let c = self.fa.c;
        match e.unparen() {
            Expr::Ident(i) => {
                let Some(o) = self.fa.obj(i) else {
                    return false;
                };
                let ob = c.obj(o);
                match ob.kind {
                    ObjKind::Nil => 1u8.hash(h),
                    ObjKind::Const | ObjKind::Func | ObjKind::TypeName => {
                        2u8.hash(h);
                        o.0.hash(h);
                    }
                    ObjKind::Var(_) => {
                        3u8.hash(h);
                        o.0.hash(h);
                        if ob.package_level || self.fa.scan.volatile.contains(&o) {
                            *fragile |= FRAGILE;
                        }
                        roots.push(o.0);
                        // A condition on `*p` changes with what `p` points at.
                        if let Some(a) = self.fa.scan.aliases.get(&o) {
                            roots.push(a.1 .0);
                        }
                    }
                    _ => return false,
                }
                true
            }
            Expr::BasicLit(b) => {
                4u8.hash(h);
                b.value.hash(h);
                true
            }
            Expr::Selector(s) => {
                let Some(so) = self.fa.obj(s.sel) else {
                    return false;
                };
                if is_pkg_name(c, self.fa.file, s.x) {
                    5u8.hash(h);
                    so.0.hash(h);
                    if c.obj(so).is_var() {
                        *fragile |= FRAGILE;
                    }
                    return true;
                }
                if c.obj(so).kind != ObjKind::Var(VarKind::Field) {
                    return false;
                }
                // A field of a struct value changes only by an assignment to it (which
                // invalidates the root's literals) or through its address (then the root is
                // volatile); through a pointer, anything may change it.
                let xt = self.fa.ty(s.x);
                if !matches!(c.types.get(c.types.core(xt)), Type::Struct(_)) {
                    *fragile |= FRAGILE;
                }
                6u8.hash(h);
                so.0.hash(h);
                self.key_rec(s.x, h, roots, fragile, d + 1)
            }
            Expr::Star(s) => {
                *fragile |= FRAGILE;
                9u8.hash(h);
                self.key_rec(s.x, h, roots, fragile, d + 1)
            }
            Expr::Index(ix) => {
                // An element of a slice, array, string or map (not an instantiation).
                let indexable = matches!(
                    c.types.get(c.types.core(self.fa.ty(ix.x))),
                    Type::Slice(_) | Type::Array(..) | Type::Map(..) | Type::Basic(_)
                );
                if !indexable {
                    return false;
                }
                // Elements change by stores into them and by calls (both forget it).
                *fragile |= CALL | ELEM;
                14u8.hash(h);
                self.key_rec(ix.x, h, roots, fragile, d + 1)
                    && self.key_rec(ix.index, h, roots, fragile, d + 1)
            }
            Expr::Unary(u) if matches!(u.op, Tok::Not | Tok::Sub | Tok::Xor | Tok::Add) => {
                10u8.hash(h);
                (u.op as u8).hash(h);
                self.key_rec(u.x, h, roots, fragile, d + 1)
            }
            Expr::Binary(b) if !matches!(b.op, Tok::LAnd | Tok::LOr) => {
                11u8.hash(h);
                (b.op as u8).hash(h);
                self.key_rec(b.x, h, roots, fragile, d + 1)
                    && self.key_rec(b.y, h, roots, fragile, d + 1)
            }
            Expr::Call(call) => {
                match builtin_of(c, self.fa.file, call) {
                    Some(Builtin::Len | Builtin::Cap) => {
                        let Some(&a) = call.args.first() else {
                            return false;
                        };
                        if call.args.len() != 1 {
                            return false;
                        }
                        if c.types.is_map(self.fa.ty(a)) {
                            *fragile |= LEN_MAP;
                        }
                        12u8.hash(h);
                        return self.key_rec(a, h, roots, fragile, d + 1);
                    }
                    Some(_) => return false,
                    None => {}
                }
                // Any other call: the same call with the same operands, as long as no other
                // call runs in between (`if !in.IsDelim('}') {...}; for !in.IsDelim('}') {...}`).
                *fragile |= FRAGILE | CALL;
                13u8.hash(h);
                match call.fun.unparen() {
                    Expr::Ident(i) => {
                        let Some(o) = self.fa.obj(i) else {
                            return false;
                        };
                        if !matches!(c.obj(o).kind, ObjKind::Func | ObjKind::TypeName) {
                            return false;
                        }
                        o.0.hash(h);
                    }
                    Expr::Selector(s) => {
                        let Some(o) = self.fa.obj(s.sel) else {
                            return false;
                        };
                        if !matches!(c.obj(o).kind, ObjKind::Func | ObjKind::TypeName) {
                            return false;
                        }
                        o.0.hash(h);
                        if !is_pkg_name(c, self.fa.file, s.x)
                            && !self.key_rec(s.x, h, roots, fragile, d + 1)
                        {
                            return false;
                        }
                    }
                    _ => return false,
                }
                call.args.len().hash(h);
                call.args
                    .iter()
                    .all(|&a| self.key_rec(a, h, roots, fragile, d + 1))
            }
            _ => false,
        }
    }

    /// The literals a non-empty range over `x` implies: `0 < len(x)`, `len(x) == 0` false,
    /// `len(x) < 1` false.
    fn len_lits(&self, x: Expr<'a>) -> Vec<Lit> {
        let mut h = FxHasher::default();
        let mut roots = Vec::new();
        let mut flags = 0u8;
        12u8.hash(&mut h);
        if !self.key_rec(x, &mut h, &mut roots, &mut flags, 1) {
            return Vec::new();
        }
        if self.c().types.is_map(self.fa.ty(x)) {
            flags |= LEN_MAP;
        }
        roots.sort_unstable();
        roots.dedup();
        if roots.len() > 3 {
            return Vec::new();
        }
        let mut r = [NONE; 3];
        r[..roots.len()].copy_from_slice(&roots);
        let klen = h.finish();
        let lit_key = |v: &str| {
            let mut h = FxHasher::default();
            4u8.hash(&mut h);
            v.hash(&mut h);
            h.finish()
        };
        let (k0, k1) = (lit_key("0"), lit_key("1"));
        let mk = |key: u64, pol: bool| Lit {
            key,
            pol,
            flags,
            roots: r,
        };
        vec![
            mk(mix(&[8, k0, klen]), true),
            mk(mix(&[7, klen.min(k0), klen.max(k0)]), false),
            mk(mix(&[8, klen, k1]), false),
        ]
    }

    // -- Checks (reporting pass) ----------------------------------------------------------

    fn check_node(&mut self, st: &St, at: NodeRef) {
        if st.paths.is_empty() {
            return;
        }
        let infos = std::mem::take(&mut self.infos);
        let info = &infos[self.info_start[at.block.index()] as usize + at.index as usize];
        self.check_info(st, info);
        self.infos = infos;
    }

    fn check_info(&mut self, st: &St, info: &NodeInfo<'a>) {
        // A deferred call runs only on the paths that executed its `defer`.
        let filtered;
        let st = match info.run_defer {
            Some(call) if st.paths.iter().any(|ps| !defer_may_run(ps, call)) => {
                filtered = St {
                    paths: st
                        .paths
                        .iter()
                        .filter(|ps| defer_may_run(ps, call))
                        .cloned()
                        .collect(),
                    joins: st.joins,
                };
                if filtered.paths.is_empty() {
                    return;
                }
                &filtered
            }
            _ => st,
        };
        // Closures that run here.
        let mut runs: Vec<u32> = Vec::new();
        for &call in &info.calls {
            runs.extend(self.closures_run_by(call));
        }
        let calls: &[&'a CallExpr<'a>] = &info.calls;
        // The deferred call run here, when it can see what happened since its `defer`
        // (through a pointer receiver or argument; values were taken at the `defer`).
        let mut run_defer: Option<&'a CallExpr<'a>> = None;
        if let Some(call) = info.run_defer {
            runs.extend(self.closures_run_by(call));
            match call.fun.unparen() {
                Expr::FuncLit(_) | Expr::Ident(_) => {}
                _ => run_defer = Some(call),
            }
        }
        if let Some(rs) = self.run_states.as_deref_mut() {
            for l in runs {
                match rs.get_mut(&l) {
                    Some(s) => {
                        s.join(st);
                    }
                    None => {
                        rs.insert(
                            l,
                            St {
                                paths: st.paths.clone(),
                                joins: 0,
                            },
                        );
                    }
                }
            }
        }
        let derefs = &info.derefs;
        let stores = &info.stores;
        for ps in &st.paths {
            for &s in derefs.iter() {
                if let Some((p, k)) = self.fa.place(s.x) {
                    if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(p, k) {
                        self.hit_deref(s, o);
                    }
                }
            }
            // Stores of one statement (`m[a], m[b] = m[b], m[a]`) run in order: after one
            // into a nil map panics, the others are not reached; after one into a map that
            // may be nil, the others into that map are fine if it did not panic.
            let mut maybe_hit: Vec<&[u8]> = Vec::new();
            for &ix in stores.iter() {
                if let Expr::Star(s) = ix.x.unparen() {
                    if let Some((p, k)) = self.fa.place(s.x) {
                        if matches!(ps.lookup(p, k), Val::Nil(_) | Val::MaybeNil(_)) {
                            continue;
                        }
                    }
                }
                let sp = ix.x.span();
                let text = self
                    .fa
                    .src
                    .get(sp.start as usize..sp.end as usize)
                    .unwrap_or_default();
                if !maybe_hit.is_empty() && maybe_hit.contains(&text) {
                    continue;
                }
                match self.fa.eval_val(ps, ix.x) {
                    Val::Nil(o) => {
                        self.hit_store(ix, o);
                        break;
                    }
                    Val::MaybeNil(o) => {
                        self.hit_store(ix, o);
                        maybe_hit.push(text);
                    }
                    _ => {}
                }
            }
            if self.fa.callee.is_none() {
                for &call in calls {
                    for (arg, cp) in self.call_panics(ps, call) {
                        self.hit_call(call, arg, cp, CallTime::Now);
                    }
                }
                if let Some(call) = run_defer {
                    for (arg, cp) in self.call_panics(ps, call) {
                        if !cp.by_value {
                            self.hit_call(call, arg, cp, CallTime::AtExit);
                        }
                    }
                }
                // `defer s.Add(k)`: `s` is evaluated now; a nil map stays nil for the call.
                if let Some(call) = info.deferred {
                    for (arg, cp) in self.call_panics(ps, call) {
                        if cp.by_value {
                            self.hit_call(call, arg, cp, CallTime::Deferred);
                        }
                    }
                }
            }
        }
    }

    /// Why the closure sees the value (empty for the function's own body).
    fn closure_note(&self, root: ObjId) -> &'static str {
        let Some(ls) = self.lit_span else { return "" };
        let decl = self.c().obj(root).pos;
        if decl.file == self.fa.file && ls.start <= decl.offset && decl.offset < ls.end {
            return "";
        }
        if self.c().obj(root).package_level {
            return "";
        }
        match self.run {
            Some(RunKind::Deferred) => {
                ", and the deferred closure that uses it runs at function exit while it is still nil"
            }
            Some(RunKind::Escaping | RunKind::Go) => {
                ", and nothing assigns it before the closure runs"
            }
            Some(_) => ", and the closure that uses it runs while it is still nil",
            None => "",
        }
    }

    /// The variable a plain identifier operand names.
    fn target_name(&self, e: Expr<'_>) -> Option<String> {
        match e.unparen() {
            Expr::Ident(i) => Some(i.name.to_string()),
            _ => None,
        }
    }

    fn field_name(e: Expr<'_>) -> Option<&str> {
        match e.unparen() {
            Expr::Selector(s) => Some(s.sel.name),
            _ => None,
        }
    }

    fn hit_store(&mut self, ix: &'a IndexExpr<'a>, o: u16) {
        let org = self.fa.origin_of(o);
        let name = self.fa.expr_text(ix.x);
        let t = self.fa.tstr(self.fa.ty(ix.x));
        let note = match root_of(self.c(), self.fa.file, ix.x) {
            Some(r) => self.closure_note(r),
            None => "",
        };
        // Through an alias (`p := &m`), the map is what the pointer points at.
        let via = self.fa.alias_via(ix.x);
        let named = match (ix.x.unparen(), via) {
            (Expr::Star(_), Some((_, t))) => t,
            _ => ix.x,
        };
        let target = self.target_name(named);
        let why = org.why_for(Self::field_name(named), target.as_deref());
        let shown = match via {
            Some((ptr, t)) => format!(
                "`{name}` (`{}` points to `{}`)",
                self.fa.expr_text(ptr),
                self.fa.expr_text(t)
            ),
            None => format!("`{name}`"),
        };
        let (message, help) = if org.kind == OKind::InnerOfNil {
            let outer = &org.name;
            (
                format!(
                    "store into nil map {shown}: {why}, so this panics with {PANIC_NIL_MAP}; \
                     initialize `{outer}` with make(...) and create the inner map before \
                     storing into it."
                ),
                format!(
                    "initialize `{outer}`, then create the inner map with `make({t})` and store \
                     it in `{outer}` first"
                ),
            )
        } else if org.kind == OKind::Inner
            && matches!(ix.x.unparen(), Expr::Index(ix2) if matches!(ix2.x.unparen(), Expr::Index(_)))
        {
            // Several levels are nil (`m[a][b]`): each needs creating, outermost first.
            let mut levels = Vec::new();
            let mut e = ix.x;
            while let Expr::Index(l) = e.unparen() {
                levels.push(format!("`{}`", self.fa.expr_text(e)));
                e = l.x;
            }
            levels.reverse();
            (
                format!(
                    "store into nil map {shown}: {why}, so this panics with {PANIC_NIL_MAP}; \
                     create the inner maps first, outermost first ({}), each with \
                     `if x == nil {{ x = make(...) }}`.",
                    levels.join(", then ")
                ),
                format!("create every inner level, down to `make({t})`, before storing"),
            )
        } else if org.kind == OKind::Inner && !matches!(ix.x.unparen(), Expr::Index(_)) {
            // A variable holding the inner map (`inner := outer[a]`): a map made for it must
            // also be stored back into the outer map, or what is stored into it is lost.
            let outer = &org.name;
            (
                format!(
                    "store into nil map {shown}: it was read out of `{outer}`, and {why}, so \
                     this panics with {PANIC_NIL_MAP}; create the inner map and store it in \
                     `{outer}` first: `if {name} == nil {{ {name} = make({t}); {outer}[key] = \
                     {name} }}`."
                ),
                format!("create the inner map with `make({t})` and store it in `{outer}` first"),
            )
        } else if org.kind == OKind::Inner {
            (
                format!(
                    "store into nil map {shown}: {why}, so this panics with {PANIC_NIL_MAP}; \
                     create the inner map first: `if {name} == nil {{ {name} = make({t}) }}`."
                ),
                format!(
                    "create the inner map with `make({t})` and store it in the outer map first"
                ),
            )
        } else {
            (
                format!(
                    "store into nil map {shown}: {why}{note}, so this panics with \
                     {PANIC_NIL_MAP}; initialize it with make({t}) before storing."
                ),
                format!("initialize the map with `make({t})` before storing into it"),
            )
        };
        self.hits.push(Hit {
            code: MV001,
            span: ix.span,
            message,
            origin: o,
            extra: Vec::new(),
            help,
        });
    }

    fn hit_deref(&mut self, s: &'a StarExpr<'a>, o: u16) {
        let org = self.fa.origin_of(o);
        let name = self.fa.expr_text(s.x);
        let pt = self.fa.ty(s.x);
        let mt = match self.c().types.pointer_elem(pt) {
            Some(e) => self.fa.tstr(e),
            None => "map".to_string(),
        };
        let note = match root_of(self.c(), self.fa.file, s.x) {
            Some(r) => self.closure_note(r),
            None => "",
        };
        let target = self.target_name(s.x);
        let why = org.why_for(Self::field_name(s.x), target.as_deref());
        self.hits.push(Hit {
            code: MV002,
            span: s.span,
            message: format!(
                "dereference of nil map pointer `{name}`: {why}{note}, so this panics with \
                 {PANIC_NIL_PTR}; point it at a map first, e.g. `{name} = new({mt})` or \
                 `{name} = &m`."
            ),
            origin: o,
            extra: Vec::new(),
            help: format!(
                "make `{name}` point to a map (`new({mt})`, `&m`) before dereferencing it"
            ),
        });
    }

    fn hit_call(&mut self, call: &'a CallExpr<'a>, arg: String, cp: CallPanic, time: CallTime) {
        let org = self.fa.origin_of(cp.origin);
        let callee = cp.callee_name;
        let what = match cp.sel {
            ParamSel::Recv => "receiver".to_string(),
            ParamSel::Param(_) => format!("parameter `{}`", cp.param_name),
        };
        let why = org.why(cp.field.as_deref());
        let store_loc = Loc {
            file: cp.summary.file,
            span: cp.summary.span,
        };
        let (code, message, label, help) = if cp.summary.deref {
            let message = if org.kind == OKind::NilArg {
                format!(
                    "call to `{callee}` dereferences a nil map pointer: `nil` is passed for its \
                     {what}, and `{callee}` dereferences it on every path, so this panics with \
                     {PANIC_NIL_PTR}; pass a pointer to a map instead."
                )
            } else {
                format!(
                    "call to `{callee}` dereferences nil map pointer `{arg}`: {why}, and \
                     `{callee}` dereferences its {what} on every path, so this panics with \
                     {PANIC_NIL_PTR}; pass a pointer to a map instead."
                )
            };
            (
                MV002,
                message,
                format!("`{callee}` dereferences it here"),
                "pass a non-nil map pointer (`&m`, `new(map[K]V)`)".to_string(),
            )
        } else {
            // `f(&m)`: the map is `m`, passed by its address.
            let (map, passed) = match arg.strip_prefix('&') {
                Some(m) => (m.to_string(), format!(" (passed as `{arg}`)")),
                None => (arg.clone(), String::new()),
            };
            // A struct whose map field is nil: the field is what to initialize.
            let init = match &cp.field {
                Some(f) => format!("{}.{f}", map.trim_start_matches('*')),
                None => map.clone(),
            };
            let (call_kind, when) = match time {
                CallTime::Deferred => (
                    "deferred call",
                    " (a deferred call gets the map as it is at the `defer` statement), so it \
                     panics at function exit with",
                ),
                CallTime::AtExit => (
                    "deferred call",
                    "; the call runs at function exit and the map is still nil then, so it \
                     panics with",
                ),
                CallTime::Now => ("call", ", so this panics with"),
            };
            let message = if org.kind == OKind::NilArg {
                // A literal `nil` argument: there is no variable to initialize.
                format!(
                    "{call_kind} to `{callee}` stores into nil map: `nil` is passed for its \
                     {what}, and `{callee}` stores into it on every path{when} {PANIC_NIL_MAP}; \
                     pass a map made with make({}) instead of `nil`.",
                    cp.map_type
                )
            } else {
                format!(
                    "{call_kind} to `{callee}` stores into nil map `{init}`{passed}: {why}, and \
                     `{callee}` stores into its {what} on every path{when} {PANIC_NIL_MAP}; {}",
                    if org.kind == OKind::InnerOfNil {
                        format!(
                            "initialize `{}` with make(...), then create the inner map: \
                             `{init} = make({})`.",
                            org.name, cp.map_type
                        )
                    } else if org.kind == OKind::Inner {
                        format!(
                            "create the inner map first: `{init} = make({})`.",
                            cp.map_type
                        )
                    } else {
                        format!(
                            "initialize `{init}` with make({}) before the {}.",
                            cp.map_type,
                            match time {
                                CallTime::Deferred => "`defer`",
                                CallTime::AtExit => "deferred call runs",
                                CallTime::Now => "call",
                            }
                        )
                    }
                )
            };
            (
                MV001,
                message,
                format!("`{callee}` stores into it here"),
                format!(
                    "initialize the map with `make({})` before the call",
                    cp.map_type
                ),
            )
        };
        self.hits.push(Hit {
            code,
            span: call.span,
            message,
            origin: cp.origin,
            extra: vec![(store_loc, label)],
            help,
        });
    }

    // -- Calls into summarised callees ----------------------------------------------------

    /// The arguments of `call` that are nil (or have nil map fields) where the callee panics
    /// on them on every path.
    fn call_panics(&mut self, ps: &PState, call: &'a CallExpr<'a>) -> Vec<(String, CallPanic)> {
        let mut out = Vec::new();
        let c = self.fa.c;
        let file = self.fa.file;
        if builtin_of(c, file, call).is_some() || is_conversion(c, file, call) {
            return out;
        }
        if self.fa.depth >= MAX_SUMMARY_DEPTH {
            return out;
        }
        // Nothing nil here: nothing to pass.
        let any_nil = ps.facts.iter().any(|(_, v)| {
            matches!(
                v,
                Val::Nil(_) | Val::MaybeNil(_) | Val::Cond(..) | Val::Zero(_) | Val::MaybeZero(_)
            )
        }) || call.args.iter().any(|&a| is_nil(c, file, a))
            || !self.fa.scan.outer_ok.is_empty();
        if !any_nil {
            return out;
        }
        let Some((callee, recv)) = resolve_callee(c, file, call) else {
            return out;
        };
        let Some(decl) = find_func_decl(c, callee) else {
            return out;
        };
        // A method expression's first argument is the receiver; the others are the
        // parameters.
        let method_expr =
            matches!(call.fun.unparen(), Expr::Selector(s) if is_type_expr(c, file, s.x));
        let call_args: &'a [Expr<'a>] = if method_expr {
            &call.args[1..]
        } else {
            call.args
        };
        let cfile = c.obj(callee).pos.file;
        let mut args: Vec<(ParamSel, Expr<'a>, bool)> = Vec::new();
        // A method promoted from an embedded field: the receiver's nil places, its text.
        let mut promoted: Option<(Vec<Relpath>, String)> = None;
        if let Some(r) = recv {
            let Some(rl) = decl.recv else { return out };
            let Some(f) = rl.list.first() else { return out };
            let ptr_recv = matches!(f.ty.unparen(), Expr::Star(_));
            // The receiver is the method's own type, or an embedded field of that type.
            let rt = type_in(c, cfile, f.ty);
            let rbase = if ptr_recv {
                c.types.pointer_elem(rt).unwrap_or(TypeId::UNKNOWN)
            } else {
                rt
            };
            let xt = type_in(c, file, r);
            let xbase = c
                .types
                .pointer_elem(xt)
                .filter(|_| matches!(c.types.get(xt), Type::Pointer(_)))
                .unwrap_or(xt);
            if rbase.is_unknown() {
                return out;
            }
            if same_defined(c, rbase, xbase) {
                let x_is_ptr = matches!(c.types.get(xt), Type::Pointer(_));
                args.push((ParamSel::Recv, r, ptr_recv && !x_is_ptr));
            } else {
                match self.promoted_recv(ps, r, xt, xbase, rbase) {
                    Some(p) => promoted = Some(p),
                    None => return out,
                }
            }
        }
        let nparams: usize = decl.ty.params.num_fields();
        let variadic = decl
            .ty
            .params
            .list
            .last()
            .is_some_and(|f| matches!(f.ty, Expr::Ellipsis(_)));
        // Arguments map one to one to parameters (a variadic tail is left out).
        let fixed = if variadic { nparams - 1 } else { nparams };
        let arity_ok = if variadic {
            call_args.len() >= fixed && !(call.ellipsis.is_some() && call_args.len() != nparams)
        } else {
            call_args.len() == nparams
        };
        if arity_ok {
            for (j, &a) in call_args.iter().enumerate().take(fixed) {
                args.push((ParamSel::Param(j), a, false));
            }
        }
        let ptypes = sig_params(c, c.obj(callee).ty).unwrap_or_default();
        // The parameter types at this call (a generic callee's instantiated), for messages.
        let at_call = sig_params(c, type_in(c, file, call.fun))
            .filter(|ts| ts.len() == ptypes.len())
            .unwrap_or_default();
        let mut all: Vec<(ParamSel, Vec<Relpath>, String, bool)> = Vec::new();
        if let Some((rels, text)) = promoted {
            // The embedded field is copied into a value receiver, whatever the receiver
            // expression is; a pointer receiver reads it when the method runs.
            let by_value = decl
                .recv
                .and_then(|rl| rl.list.first())
                .is_some_and(|f| !matches!(f.ty.unparen(), Expr::Star(_)));
            all.push((ParamSel::Recv, rels, text, by_value));
        }
        for (sel, a, by_addr) in args {
            let pt = match sel {
                ParamSel::Param(j) => ptypes.get(j).copied().unwrap_or(TypeId::UNKNOWN),
                ParamSel::Recv => TypeId::UNKNOWN,
            };
            let by_value = !by_addr
                && !matches!(a.unparen(), Expr::Unary(u) if u.op == Tok::And)
                && matches!(
                    self.fa.kind(type_in(c, file, a)),
                    PKind::Map | PKind::Struct
                );
            let mut rels = self.nil_relpaths(ps, a, by_addr, pt);
            // `make(T)` advice for a literal `nil` argument names the type at this call.
            if let (ParamSel::Param(j), false, true) = (sel, rels.is_empty(), is_nil(c, file, a)) {
                if let Some(&t) = at_call.get(j).filter(|t| !t.is_unknown()) {
                    let shown = self.fa.tstr(t);
                    if shown != "..." {
                        for r in &mut rels {
                            r.3 = shown.clone();
                        }
                    }
                }
            }
            all.push((sel, rels, self.fa.expr_text(a).to_string(), by_value));
        }
        for (sel, rels, text, by_value) in all {
            for (rel, origin, field, map_t) in rels {
                let Some(summary) = summarize(c, callee, sel, rel, self.fa.depth + 1) else {
                    continue;
                };
                let param_name = param_name(c, cfile, decl, sel);
                let callee_name = callee_display(c, callee, decl);
                out.push((
                    text.clone(),
                    CallPanic {
                        origin,
                        summary,
                        sel,
                        callee_name,
                        param_name,
                        field,
                        map_type: map_t,
                        by_value,
                    },
                ));
            }
        }
        out
    }

    /// The receiver of a method promoted from an embedded field of `r` (one level:
    /// `type W struct{ Set }`, `w.Add(k)` calls `Set.Add` on `w.Set`): its nil places
    /// relative to the method's receiver, and the receiver's text (`w.Set`).
    fn promoted_recv(
        &mut self,
        ps: &PState,
        r: Expr<'a>,
        xt: TypeId,
        xbase: TypeId,
        rbase: TypeId,
    ) -> Option<(Vec<Relpath>, String)> {
        let c = self.fa.c;
        let f = struct_fields(c, xbase)?
            .iter()
            .find(|f| f.embedded && same_defined(c, f.ty, rbase))?;
        let (base, _) = self.fa.place(r)?;
        // Through a pointer, only a root's own automatic dereference is a place.
        if matches!(c.types.get(c.types.core(xt)), Type::Pointer(_)) && base.len() != 1 {
            return None;
        }
        let sub = base.push(f.obj.0)?;
        let name = c.obj(f.obj).name.to_string();
        let x = self.fa.expr_text(r).to_string();
        let mut out = Vec::new();
        // The text names the value whose field `field` is nil: `w` (field `Set`), or `w.Inner`
        // (field `counts`).
        match self.fa.kind(f.ty) {
            PKind::Map => {
                if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(sub, PKind::Map) {
                    out.push(([NONE; 3], o, Some(name), self.fa.tstr(f.ty)));
                }
                Some((out, x))
            }
            PKind::Struct => {
                self.nil_fields(ps, sub, f.ty, &mut out);
                Some((out, format!("{x}.{name}")))
            }
            _ => Some((out, x)),
        }
    }

    /// The places of argument `a` that are nil here, relative to the parameter.
    fn nil_relpaths(
        &mut self,
        ps: &PState,
        a: Expr<'a>,
        by_addr: bool,
        pt: TypeId,
    ) -> Vec<Relpath> {
        let mut out = Vec::new();
        let (base_e, addr) = match a.unparen() {
            Expr::Unary(u) if u.op == Tok::And => (u.x, true),
            x => (x, by_addr),
        };
        let c = self.fa.c;
        if addr {
            let Some((base, k)) = self.fa.place(base_e) else {
                return out;
            };
            match k {
                PKind::Map => {
                    if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(base, k) {
                        let t = self.fa.tstr(self.fa.ty(base_e));
                        out.push(([DEREF, NONE, NONE], o, None, t));
                    }
                }
                PKind::Struct => self.nil_fields(ps, base, self.fa.ty(base_e), &mut out),
                _ => {}
            }
            return out;
        }
        let mut at = self.fa.ty(a);
        if is_nil(c, self.fa.file, a) {
            at = pt;
        }
        let k = self.fa.kind(at);
        match k {
            PKind::Map | PKind::PtrMap => {
                if let Val::Nil(o) | Val::MaybeNil(o) = self.fa.eval_val(ps, a) {
                    out.push(([NONE; 3], o, None, self.fa.tstr(at)));
                } else if k == PKind::PtrMap {
                    if let Some((p, _)) = self.fa.place(a) {
                        if let Some(d) = p.push(DEREF) {
                            if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(d, PKind::Map) {
                                let mt = c
                                    .types
                                    .pointer_elem(at)
                                    .map(|e| self.fa.tstr(e))
                                    .unwrap_or_default();
                                out.push(([DEREF, NONE, NONE], o, None, mt));
                            }
                        }
                    }
                }
            }
            PKind::Struct | PKind::PtrStruct => {
                if let Some((p, _)) = self.fa.place(a) {
                    let st = if k == PKind::PtrStruct {
                        c.types.pointer_elem(at).unwrap_or(TypeId::UNKNOWN)
                    } else {
                        at
                    };
                    self.nil_fields(ps, p, st, &mut out);
                }
            }
            _ => {}
        }
        out
    }

    fn nil_fields(
        &mut self,
        ps: &PState,
        base: Place,
        st: TypeId,
        out: &mut Vec<([u32; 3], u16, Option<String>, String)>,
    ) {
        let c = self.fa.c;
        let Some(fs) = struct_fields(c, st) else {
            return;
        };
        for f in fs.iter().take(16) {
            if !c.types.is_map(f.ty) {
                continue;
            }
            let Some(sub) = base.push(f.obj.0) else {
                continue;
            };
            if let Val::Nil(o) | Val::MaybeNil(o) = ps.lookup(sub, PKind::Map) {
                out.push((
                    [f.obj.0, NONE, NONE],
                    o,
                    Some(c.obj(f.obj).name.to_string()),
                    self.fa.tstr(f.ty),
                ));
            }
        }
    }
}

/// A nil place of an argument relative to the parameter (fields or [`DEREF`]), its origin,
/// the nil field's name (a struct argument) and the map's type.
type Relpath = ([u32; 3], u16, Option<String>, String);

/// When a call that stores into a nil map runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CallTime {
    Now,
    /// `defer f(m)`: at exit, with the value `m` had at the `defer`.
    Deferred,
    /// `defer x.m()` with a pointer receiver: at exit, seeing `x` as it is then.
    AtExit,
}

struct CallPanic {
    origin: u16,
    summary: Summary,
    sel: ParamSel,
    callee_name: String,
    param_name: String,
    field: Option<String>,
    map_type: String,
    /// The map reaches the callee as a value (a map, or a struct holding it), not through a
    /// pointer: a deferred call gets the value it had at the `defer` statement.
    by_value: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cv {
    Int(i64),
    /// A string constant: whether it is empty.
    Str(bool),
    Bool(bool),
    Nil,
}

fn zero_cv(c: &Checker<'_>, t: TypeId) -> Option<Cv> {
    let u = c.types.core(t);
    match c.types.get(u) {
        Type::Basic(Basic::Bool) => Some(Cv::Bool(false)),
        Type::Basic(Basic::String) => Some(Cv::Str(true)),
        Type::Basic(
            Basic::Int
            | Basic::Int8
            | Basic::Int16
            | Basic::Int32
            | Basic::Int64
            | Basic::Uint
            | Basic::Uint8
            | Basic::Uint16
            | Basic::Uint32
            | Basic::Uint64
            | Basic::Uintptr,
        ) => Some(Cv::Int(0)),
        Type::Pointer(_)
        | Type::Slice(_)
        | Type::Map(..)
        | Type::Chan(..)
        | Type::Func(_)
        | Type::Interface(_) => Some(Cv::Nil),
        _ => None,
    }
}

fn cmp(a: Cv, b: Cv, op: Tok) -> Option<bool> {
    match (a, b) {
        (Cv::Int(x), Cv::Int(y)) => Some(match op {
            Tok::Eql => x == y,
            Tok::Neq => x != y,
            Tok::Lss => x < y,
            Tok::Gtr => x > y,
            Tok::Leq => x <= y,
            Tok::Geq => x >= y,
            _ => return None,
        }),
        (Cv::Bool(x), Cv::Bool(y)) | (Cv::Str(x), Cv::Str(y)) => match op {
            // Two non-empty strings may differ: only "empty vs empty" and "empty vs
            // non-empty" are decided.
            Tok::Eql if x || y => Some(x == y),
            Tok::Neq if x || y => Some(x != y),
            _ if matches!(a, Cv::Bool(_)) => match op {
                Tok::Eql => Some(x == y),
                Tok::Neq => Some(x != y),
                _ => None,
            },
            _ => None,
        },
        (Cv::Nil, Cv::Nil) => match op {
            Tok::Eql => Some(true),
            Tok::Neq => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn swap_op(op: Tok) -> Tok {
    match op {
        Tok::Lss => Tok::Gtr,
        Tok::Gtr => Tok::Lss,
        Tok::Leq => Tok::Geq,
        Tok::Geq => Tok::Leq,
        o => o,
    }
}

fn mix(xs: &[u64]) -> u64 {
    let mut h = FxHasher::default();
    xs.hash(&mut h);
    h.finish()
}

fn merge_lit(key: u64, pol: bool, a: (u64, [u32; 3], u8), b: (u64, [u32; 3], u8)) -> Option<Lit> {
    let mut roots: Vec<u32> =
        a.1.iter()
            .chain(b.1.iter())
            .copied()
            .filter(|&r| r != NONE)
            .collect();
    roots.sort_unstable();
    roots.dedup();
    if roots.len() > 3 {
        return None;
    }
    let mut r = [NONE; 3];
    r[..roots.len()].copy_from_slice(&roots);
    Some(Lit {
        key,
        pol,
        flags: a.2 | b.2,
        roots: r,
    })
}

/// The root variable of an lvalue-like expression (`x`, `x.f.g`, `*x`, `x[i].f` of arrays).
fn root_of(c: &Checker<'_>, file: u32, e: Expr<'_>) -> Option<ObjId> {
    let mut e = e;
    loop {
        match e {
            Expr::Paren(p) => e = p.x,
            Expr::Selector(s) => {
                if is_pkg_name(c, file, s.x) {
                    return obj_in(c, file, s.sel);
                }
                e = s.x;
            }
            Expr::Star(s) => e = s.x,
            Expr::Index(ix) if !c.types.is_map(type_in(c, file, ix.x)) => e = ix.x,
            Expr::Ident(i) => return obj_in(c, file, i),
            _ => return None,
        }
    }
}

impl Fa<'_, '_> {
    fn expr_text(&self, e: Expr<'_>) -> String {
        short(self.src, e.span(), 60)
    }
}

/// The function or method a call calls, with the receiver expression of a method call.
fn resolve_callee<'a>(
    c: &Checker<'a>,
    file: u32,
    call: &'a CallExpr<'a>,
) -> Option<(ObjId, Option<Expr<'a>>)> {
    let mut f = call.fun.unparen();
    if let Expr::Index(ix) = f {
        f = ix.x.unparen();
    } else if let Expr::IndexList(ix) = f {
        f = ix.x.unparen();
    }
    match f {
        Expr::Ident(i) => {
            let o = obj_in(c, file, i)?;
            (c.obj(o).kind == ObjKind::Func).then_some((o, None))
        }
        Expr::Selector(s) => {
            let o = obj_in(c, file, s.sel)?;
            if c.obj(o).kind != ObjKind::Func {
                return None;
            }
            if is_pkg_name(c, file, s.x) {
                Some((o, None))
            } else if is_type_expr(c, file, s.x) {
                // A method expression (`Set.Add(s, k)`): the receiver is the first argument.
                Some((o, Some(*call.args.first()?)))
            } else {
                Some((o, Some(s.x)))
            }
        }
        _ => None,
    }
}

/// A type written as an expression: `T`, `pkg.T`, `*T`, `T[int]` (the operand of a method
/// expression).
fn is_type_expr(c: &Checker<'_>, file: u32, e: Expr<'_>) -> bool {
    match e.unparen() {
        Expr::Ident(i) => obj_in(c, file, i).is_some_and(|o| c.obj(o).kind == ObjKind::TypeName),
        Expr::Selector(s) => {
            is_pkg_name(c, file, s.x)
                && obj_in(c, file, s.sel).is_some_and(|o| c.obj(o).kind == ObjKind::TypeName)
        }
        Expr::Star(st) => is_type_expr(c, file, st.x),
        Expr::Index(ix) => is_type_expr(c, file, ix.x),
        Expr::IndexList(ix) => is_type_expr(c, file, ix.x),
        _ => false,
    }
}

/// The declaration of `f` when it is analysed code (a target file of this checker).
/// `m` is a method declared with a value (not pointer) receiver.
fn value_receiver(c: &Checker<'_>, m: ObjId) -> bool {
    let ob = c.obj(m);
    if ob.kind != ObjKind::Func || ob.pos.file == u32::MAX {
        return false;
    }
    let Some(sf) = c.files.get(ob.pos.file as usize) else {
        return false;
    };
    sf.ast.decls.iter().any(|d| match d {
        Decl::Func(fd) if fd.name.pos == ob.pos.offset => fd
            .recv
            .and_then(|r| r.list.first())
            .is_some_and(|f| !matches!(f.ty.unparen(), Expr::Star(_))),
        _ => false,
    })
}

/// The same type, or instances of one generic type (`Set[K]` in the method, `Set[string]`
/// at the call).
fn same_defined(c: &Checker<'_>, a: TypeId, b: TypeId) -> bool {
    if a == b {
        return true;
    }
    let obj = |t: TypeId| match c.types.get(t) {
        Type::Named(n) => c.types.named.get(n.0 as usize).map(|i| i.obj),
        _ => None,
    };
    matches!((obj(a), obj(b)), (Some(x), Some(y)) if x == y)
}

fn find_func_decl<'a>(c: &Checker<'a>, f: ObjId) -> Option<&'a FuncDecl<'a>> {
    let pos = c.obj(f).pos;
    if pos.file == u32::MAX || !c.infos.get(pos.file as usize).is_some_and(|i| i.recording) {
        return None;
    }
    let sf = &c.files[pos.file as usize];
    if sf.has_errors {
        return None;
    }
    sf.ast.decls.iter().find_map(|d| match d {
        Decl::Func(fd) if fd.name.pos == pos.offset && fd.body.is_some() => Some(*fd),
        _ => None,
    })
}

fn param_ident<'a>(decl: &'a FuncDecl<'a>, sel: ParamSel) -> Option<&'a Ident<'a>> {
    match sel {
        ParamSel::Recv => decl.recv?.list.first()?.names.first().copied(),
        ParamSel::Param(i) => {
            let mut k = 0;
            for f in decl.ty.params.list {
                if f.names.is_empty() {
                    if k == i {
                        return None;
                    }
                    k += 1;
                    continue;
                }
                for &n in f.names {
                    if k == i {
                        return Some(n);
                    }
                    k += 1;
                }
            }
            None
        }
    }
}

fn param_name(_c: &Checker<'_>, _file: u32, decl: &FuncDecl<'_>, sel: ParamSel) -> String {
    param_ident(decl, sel).map_or_else(String::new, |i| i.name.to_string())
}

fn callee_display(c: &Checker<'_>, f: ObjId, decl: &FuncDecl<'_>) -> String {
    let name = c.obj(f).name.to_string();
    match decl.recv.and_then(|r| r.list.first()) {
        Some(field) => {
            let file = c.obj(f).pos.file;
            let src = c.files[file as usize].src;
            let t = short(src, field.ty.span(), 40);
            if t.starts_with('*') {
                format!("({t}).{name}")
            } else {
                format!("{t}.{name}")
            }
        }
        None => name,
    }
}

/// Summarises `callee` for a nil `rel` place below parameter `sel`: where it panics on every
/// path that would otherwise return.
fn summarize(
    c: &Checker<'_>,
    callee: ObjId,
    sel: ParamSel,
    rel: [u32; 3],
    depth: u32,
) -> Option<Summary> {
    // The depth is part of the key (deeper summaries see fewer callees), and a result that
    // met a recursion cycle is not kept: results never depend on the order of queries.
    let key = (callee, sel.code(), rel, depth);
    let cycles_before = match with_memo(c, |m| {
        if let Some(r) = m.summaries.get(&key) {
            return Err(r.clone());
        }
        if m.in_progress.contains(&(callee, sel.code(), rel)) {
            m.cycles += 1;
            return Err(None);
        }
        m.in_progress.insert((callee, sel.code(), rel));
        Ok(m.cycles)
    }) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let r = summarize_uncached(c, callee, sel, rel, depth);
    with_memo(c, |m| {
        m.in_progress.remove(&(callee, sel.code(), rel));
        if m.cycles == cycles_before {
            m.summaries.insert(key, r.clone());
        }
    });
    r
}

fn summarize_uncached(
    c: &Checker<'_>,
    callee: ObjId,
    sel: ParamSel,
    rel: [u32; 3],
    depth: u32,
) -> Option<Summary> {
    let decl = find_func_decl(c, callee)?;
    let body = decl.body?;
    // Callees that store on every path are small (setters, `Add` methods).
    if body.span.len() > MAX_CALLEE_BYTES {
        return None;
    }
    let file = c.obj(callee).pos.file;
    let pid = param_ident(decl, sel)?;
    if pid.is_blank() {
        return None;
    }
    let po = obj_in(c, file, pid)?;
    let fb = FuncBody {
        index: 0,
        kind: FuncKind::Decl(decl),
        ty: decl.ty,
        body,
        parent: None,
    };
    let scan = Scan::run(
        c,
        file,
        &fb,
        file_pkg(c, file),
        &mut Vec::new(),
        &mut FxHashMap::default(),
    );
    let mut fa = Fa::new(c, file, scan, None);
    fa.depth = depth;
    if !fa.trackable(po) {
        return None;
    }
    let name = c.obj(po).name.to_string();
    let origin = fa.origin(OKind::Param, pid.span(), &name, name.clone());
    fa.callee = Some(CalleeMode {
        origin,
        returns: false,
        panic_at: None,
    });
    let mut place = Place::root(po);
    for &s in rel.iter().take_while(|&&s| s != NONE) {
        place = place.push(s)?;
    }
    let mut ps = PState::default();
    ps.set(place, Val::Nil(origin));
    let cfg = Cfg::build(body, &no_return);
    let (infos, info_start, live) = node_infos(c, file, &cfg, &fa.scan.aliases);
    let named = fa.named_results(decl.ty);
    let mut flow = Flow {
        fa: &mut fa,
        cfg: &cfg,
        named,
        init: Some(St::one(ps)),
        lit_span: None,
        run: None,
        hits: Vec::new(),
        run_states: None,
        infos,
        info_start,
        live,
    };
    dataflow::solve(&cfg, &mut flow);
    let cm = fa.callee.take()?;
    if cm.returns {
        return None;
    }
    let (span, deref) = cm.panic_at?;
    Some(Summary { file, span, deref })
}

// ---------------------------------------------------------------------------------------------
// What a pointer-receiver method does to its receiver

/// How deep [`receiver_effect`] follows methods called on the receiver.
const MAX_RECV_DEPTH: u32 = 3;

/// What method `m` (a pointer receiver) may do to `*r`: `Some(fields)` when all it does is
/// read it, store into its maps, call methods that do no more, and assign the listed fields
/// of it, none of which holds a map; `None` when it may assign a map-holding part, let the
/// receiver escape (pass it on, copy it, capture it in a closure, take its address), or is
/// not analysed code.
fn receiver_effect(c: &Checker<'_>, m: ObjId, depth: u32) -> Option<Rc<Vec<ObjId>>> {
    if depth > MAX_RECV_DEPTH {
        return None;
    }
    if let Some(r) = with_memo(c, |memo| memo.recv_effects.get(&m).cloned()) {
        return r;
    }
    // A cycle (a method calling itself on its receiver) assumes the worst.
    with_memo(c, |memo| memo.recv_effects.insert(m, None));
    let r = receiver_effect_uncached(c, m, depth).map(Rc::new);
    with_memo(c, |memo| memo.recv_effects.insert(m, r.clone()));
    r
}

fn receiver_effect_uncached(c: &Checker<'_>, m: ObjId, depth: u32) -> Option<Vec<ObjId>> {
    let decl = find_func_decl(c, m)?;
    let file = c.obj(m).pos.file;
    let recv = decl.recv?.list.first()?;
    let Some(name) = recv.names.first() else {
        return Some(Vec::new());
    };
    if name.is_blank() {
        return Some(Vec::new());
    }
    let r = obj_in(c, file, name)?;
    let mut v = RecvUses {
        c,
        file,
        r,
        depth,
        assigned: Vec::new(),
        ok: true,
        memo: FxHashMap::default(),
    };
    visit::walk_stmt(&mut v, Stmt::Block(decl.body?));
    if !v.ok {
        return None;
    }
    v.assigned.sort_unstable();
    v.assigned.dedup();
    Some(v.assigned)
}

struct RecvUses<'x, 'a> {
    c: &'x Checker<'a>,
    file: u32,
    r: ObjId,
    depth: u32,
    /// First-step fields of the receiver the method assigns.
    assigned: Vec<ObjId>,
    ok: bool,
    memo: FxHashMap<TypeId, bool>,
}

impl<'a> RecvUses<'_, 'a> {
    fn is_r(&self, e: Expr<'_>) -> bool {
        matches!(e.unparen(), Expr::Ident(i) if obj_in(self.c, self.file, i) == Some(self.r))
    }

    /// `r.f.g...` (fields only, `(*r).f` included): the first field after `r`.
    fn chain_first(&self, e: Expr<'_>) -> Option<Option<ObjId>> {
        let mut e = e.unparen();
        let mut first = None;
        loop {
            match e {
                Expr::Selector(s) => {
                    let f = obj_in(self.c, self.file, s.sel)?;
                    if self.c.obj(f).kind != ObjKind::Var(VarKind::Field) {
                        return None;
                    }
                    first = Some(f);
                    e = s.x.unparen();
                }
                Expr::Star(s) if self.is_r(s.x) => return Some(first),
                _ if self.is_r(e) => return Some(first),
                _ => return None,
            }
        }
    }

    /// A value of this type holds a map the caller may track.
    fn holds_maps(&mut self, t: TypeId) -> bool {
        t.is_unknown()
            || matches!(
                kind_of(self.c, t, &mut self.memo),
                PKind::Map | PKind::PtrMap | PKind::Struct | PKind::PtrStruct
            )
    }

    /// An assignment to `lhs`.
    fn lhs(&mut self, lhs: Expr<'a>) {
        let mut e = lhs.unparen();
        // `r.m[k] = v` stores into a map: the map itself is unchanged.
        if let Expr::Index(ix) = e {
            if self.c.types.is_map(type_in(self.c, self.file, ix.x)) {
                return;
            }
        }
        // An element of an array field is part of the receiver.
        while let Expr::Index(ix) = e {
            if !matches!(
                self.c
                    .types
                    .get(self.c.types.core(type_in(self.c, self.file, ix.x))),
                Type::Array(..)
            ) {
                return;
            }
            e = ix.x.unparen();
        }
        match self.chain_first(e) {
            None => {}
            // `r = x`, `*r = x`.
            Some(None) => self.ok = false,
            Some(Some(f)) => {
                let t = type_in(self.c, self.file, lhs);
                if self.holds_maps(t) {
                    self.ok = false;
                } else {
                    self.assigned.push(f);
                }
            }
        }
    }
}

impl<'a> Visitor<'a> for RecvUses<'_, 'a> {
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        match s {
            Stmt::Assign(a) => {
                for &l in a.lhs {
                    self.lhs(l);
                }
            }
            Stmt::IncDec(x) => self.lhs(x.x),
            Stmt::Range(r) if r.tok == Tok::Assign => {
                for e in [r.key, r.value].into_iter().flatten() {
                    self.lhs(e);
                }
            }
            // A goroutine that uses the receiver may change it after the call returns.
            Stmt::Go(g) => {
                let mut n = Names {
                    c: self.c,
                    file: self.file,
                    o: self.r,
                    found: false,
                };
                visit::walk_expr(&mut n, Expr::Call(g.call));
                if n.found {
                    self.ok = false;
                }
            }
            _ => {}
        }
        self.ok
    }

    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        if !self.ok {
            return false;
        }
        match e {
            // A closure that names the receiver may run at any time.
            Expr::FuncLit(l) => {
                let mut n = Names {
                    c: self.c,
                    file: self.file,
                    o: self.r,
                    found: false,
                };
                visit::walk_stmt(&mut n, Stmt::Block(l.body));
                if n.found {
                    self.ok = false;
                }
                false
            }
            Expr::Binary(b) if matches!(b.op, Tok::Eql | Tok::Neq) => {
                // `r == nil`: a comparison, not a use of the pointee.
                for x in [b.x, b.y] {
                    if !self.is_r(x) {
                        visit::walk_expr(self, x);
                    }
                }
                false
            }
            Expr::Unary(u) if u.op == Tok::And => {
                if let Some(first) = self.chain_first(u.x) {
                    let t = type_in(self.c, self.file, u.x);
                    if first.is_none() || self.holds_maps(t) {
                        self.ok = false;
                    } else if let Some(f) = first {
                        // `&r.n` (`atomic.AddInt64(&r.n, 1)`): the field may change.
                        self.assigned.push(f);
                    }
                    return false;
                }
                true
            }
            Expr::Call(call) => {
                let Expr::Selector(s) = call.fun.unparen() else {
                    return true;
                };
                let Some(so) = obj_in(self.c, self.file, s.sel) else {
                    return true;
                };
                let Some(first) = self.chain_first(s.x) else {
                    return true;
                };
                if self.c.obj(so).kind == ObjKind::Func {
                    // A method called on (a field of) the receiver.
                    let xt = type_in(self.c, self.file, s.x);
                    let ptr_method = !value_receiver(self.c, so);
                    let on_value = !matches!(self.c.types.get(xt), Type::Pointer(_));
                    match first {
                        None if ptr_method => match receiver_effect(self.c, so, self.depth + 1) {
                            Some(fs) => self.assigned.extend(fs.iter().copied()),
                            None => self.ok = false,
                        },
                        Some(f) if ptr_method && on_value => {
                            if self.holds_maps(xt) {
                                self.ok = false;
                            } else {
                                self.assigned.push(f);
                            }
                        }
                        _ => {}
                    }
                }
                for &a in call.args {
                    visit::walk_expr(self, a);
                }
                false
            }
            Expr::Selector(s) => {
                let Some(first) = self.chain_first(s.x) else {
                    return true;
                };
                // A method value keeps the receiver for later calls.
                if first.is_none()
                    && obj_in(self.c, self.file, s.sel)
                        .is_some_and(|m| self.c.obj(m).kind == ObjKind::Func)
                    && !value_receiver(self.c, obj_in(self.c, self.file, s.sel).unwrap())
                {
                    self.ok = false;
                }
                // A read of the receiver's fields.
                false
            }
            Expr::Ident(i) if obj_in(self.c, self.file, i) == Some(self.r) => {
                // The pointer itself goes somewhere: an argument, a copy, a result.
                self.ok = false;
                false
            }
            _ => true,
        }
    }
}

/// Finds an identifier denoting object `o`.
struct Names<'x, 'a> {
    c: &'x Checker<'a>,
    file: u32,
    o: ObjId,
    found: bool,
}

impl<'a> Visitor<'a> for Names<'_, 'a> {
    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        if let Expr::Ident(i) = e {
            self.found |= obj_in(self.c, self.file, i) == Some(self.o);
        }
        !self.found
    }
}
