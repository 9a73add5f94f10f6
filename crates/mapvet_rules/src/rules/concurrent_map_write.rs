//! `MV005` `concurrent-map-write`.
//!
//! For every function that starts goroutines (`go` statements, `wg.Go(f)`, errgroup's
//! `g.Go(f)`), each goroutine is summarized (the maps it reads and writes, named by
//! [`Key`]s of the spawning function, with the lock held at each access) and a forward
//! dataflow over the spawning function's CFG tracks which goroutines may still be running
//! (started and not joined: `wg.Wait()`, a receive from a channel the goroutine sends on or
//! closes, a call that waits). A goroutine started while another one (or an earlier run of
//! the same `go` statement, around a loop) is still running, and an access of the spawning
//! function while one is running, are checked for conflicting accesses.

use crate::concurrency::{
    body_fx, conflicts, const_feasible, lock_states, node_fx, unprotected, Access, BodyFx, Env,
    Inst, Key, NodeFx, Prot, Step, Target,
};
use crate::context::FileCx;
use mapvet_semantic::cfg::{BlockId, BlockKind, Cfg, Edge, EdgeKind, Node, NodeRef};
use mapvet_semantic::dataflow::{self, Analysis, Lattice};
use mapvet_semantic::objects::ObjId;
use mapvet_syntax::ast::{BlockStmt, Decl, Expr, FuncLit, Spec, Stmt};
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;
use rustc_hash::{FxHashMap, FxHashSet};

declare_rule! {
    /// ## What it does
    /// Finds maps that one goroutine writes while another goroutine may read or write them
    /// with no synchronization: goroutines started in a loop (or by several `go` statements)
    /// that each write the same map, and goroutines that write a map the function that
    /// started them still reads or writes before waiting for them (`wg.Wait()`, a receive
    /// from a channel the goroutine sends on or closes, `errgroup.Group.Wait()`; a receive
    /// from a channel that another goroutine closes or sends on after its own wait, as in
    /// `go func() { wg.Wait(); close(done) }()`, waits for what that goroutine waited for). A
    /// `wg.Wait()` waits only for the goroutines that call `Done` on that same WaitGroup (or
    /// were started by its `Go`); a goroutine whose WaitGroup cannot be named (handed to a
    /// worker by address, a wrapper type) counts as joined by any wait. The `Wait()` method
    /// of a wrapper type waits if its body calls a `Wait` method or receives from a channel;
    /// for a wrapper declared in a dependency (whose bodies mapvet does not read) or an
    /// interface, a `Wait()` without arguments is taken to wait.
    ///
    /// "The same map" is the same variable, the same field of the same variable, or the same
    /// map passed as an argument to the function the goroutine runs (`go worker(m)`,
    /// `go s.run()`); `go delete(m, k)` and `go clear(m)` are goroutines that write `m`.
    /// Accesses made while a lock is held are fine: any value with
    /// `Lock()`/`Unlock()` methods (`sync.Mutex`, `sync.RWMutex`, a mutex embedded in the
    /// struct, a project's own mutex type), or a channel of capacity 1 used as a semaphore.
    /// `RLock()` only protects reads: a write made under a read lock is reported. When the
    /// goroutines lock but another access to the map does not, that access is reported.
    ///
    /// ## Why is this bad?
    /// Maps are not safe for concurrent use. The runtime detects a write that overlaps
    /// another access and aborts the whole program with
    /// `fatal error: concurrent map writes` (or `fatal error: concurrent map read and map
    /// write`). This is not a panic: `recover` cannot stop it, and every goroutine dies. The
    /// check is best-effort, so the crash comes rarely and under load, in production.
    ///
    /// ## Example
    /// ```go
    /// func count(words []string) map[string]int {
    ///     counts := map[string]int{}
    ///     var wg sync.WaitGroup
    ///     for _, w := range words {
    ///         wg.Add(1)
    ///         go func() {
    ///             defer wg.Done()
    ///             counts[w]++ // goroutines write counts at the same time
    ///         }()
    ///     }
    ///     wg.Wait()
    ///     return counts
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func count(words []string) map[string]int {
    ///     counts := map[string]int{}
    ///     var mu sync.Mutex
    ///     var wg sync.WaitGroup
    ///     for _, w := range words {
    ///         wg.Add(1)
    ///         go func() {
    ///             defer wg.Done()
    ///             mu.Lock()
    ///             counts[w]++
    ///             mu.Unlock()
    ///         }()
    ///     }
    ///     wg.Wait()
    ///     return counts
    /// }
    /// ```
    /// Or wait for the goroutines (`wg.Wait()`) before touching the map, or use `sync.Map`.
    META { code: "MV005", name: "concurrent-map-write", severity: Error,
           summary: "map written by a goroutine while another goroutine may access it: fatal error: concurrent map writes",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    if !may_spawn(cx.src) {
        return;
    }
    let file = cx.file;
    let funcs: Vec<&BlockStmt<'_>> = cx
        .functions()
        .iter()
        .filter(|f| has_spawn(f.body))
        .map(|f| f.body)
        .collect();
    if funcs.is_empty() {
        return;
    }
    let mut findings = Vec::new();
    let mut texts: Vec<Finding> = Vec::new();
    {
        let mut env = Env::new(&mut *cx.c, file);
        for body in funcs {
            analyze(&mut env, file, body, &mut findings);
        }
        for f in findings {
            texts.push(f.render(&env));
        }
    }
    for f in texts {
        let loc_file = f.file;
        let d = cx.report(f.span, f.message);
        d.loc.file = loc_file;
        for (file, span, msg) in f.labels {
            d.label(crate::diagnostic::Loc { file, span }, msg);
        }
        d.help(f.help);
    }
}

/// A cheap filter on the source text: the file may contain a `go` statement or a `.Go(` /
/// `.TryGo(` call. gofmt starts a `go` statement on its own line, except in a one-line
/// block (`func() { go f() }()`): a `go` followed by a blank, at the start of a line (after
/// indentation) or after `{ `. One pass over the text for each of `go` and `Go(`.
fn may_spawn(src: &[u8]) -> bool {
    use memchr::memmem;
    if memmem::find_iter(src, b"Go(")
        .any(|i| src[..i].ends_with(b".") || src[..i].ends_with(b".Try"))
    {
        return true;
    }
    memmem::find_iter(src, b"go ")
        .chain(memmem::find_iter(src, b"go\t"))
        .any(|i| {
            let before = &src[..i];
            let line = match memchr::memrchr(b'\n', before) {
                Some(k) => &before[k + 1..],
                None => before,
            };
            line.iter().all(|&b| b == b' ' || b == b'\t') || line.ends_with(b"{ ")
        })
}

/// The body starts goroutines itself (not only in nested function literals).
fn has_spawn(body: &BlockStmt<'_>) -> bool {
    struct S(bool);
    impl<'a> Visitor<'a> for S {
        fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
            if matches!(s, Stmt::Go(_)) {
                self.0 = true;
            }
            !self.0
        }
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            match e {
                Expr::FuncLit(_) => return false,
                Expr::Call(c) if c.args.len() == 1 => {
                    if let Expr::Selector(s) = c.fun.unparen() {
                        if matches!(s.sel.name, "Go" | "TryGo") {
                            self.0 = true;
                        }
                    }
                }
                _ => {}
            }
            !self.0
        }
    }
    let mut s = S(false);
    visit::walk_stmt(&mut s, Stmt::Block(body));
    s.0
}

// -----------------------------------------------------------------------------------------
// The spawning function

/// A goroutine that waits and then signals on channels (`go func() { wg.Wait();
/// close(done) }()`): receiving from one of its channels is its wait, passed on.
struct Relay {
    chans: Vec<Key>,
    waits: bool,
    waits_on: Vec<Key>,
}

/// One goroutine start.
struct Site {
    span: Span,
    accesses: Vec<Access>,
    /// Channels the goroutine sends on, closes, or hands to other code.
    chans: Vec<Key>,
    /// Channels the goroutine receives from.
    recvs: Vec<Key>,
    /// The WaitGroups (errgroups) whose `Wait` joins it, when known: those it calls `Done` on,
    /// or the group that started it. `None`: any wait joins it.
    joined_by: Option<Vec<Key>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// The same `go` statement, on another loop iteration.
    Loop,
    /// Another goroutine started by the same function.
    Other,
    /// The function that started the goroutine.
    Parent,
}

/// A conflict to report: `primary` is the unprotected access.
struct Conflict {
    primary: Access,
    primary_in_goroutine: bool,
    partner: Access,
    kind: Kind,
    go_span: Span,
    other_go: Option<Span>,
    go_file: u32,
}

fn analyze<'a>(env: &mut Env<'_, 'a>, file: u32, body: &'a BlockStmt<'a>, out: &mut Vec<Conflict>) {
    let cfg = Cfg::build_default(body);
    // The goroutines, from the nodes that start them alone: most start none that touches a
    // map, and the rest of the body need not be looked at then.
    let mut closures: Option<FxHashMap<ObjId, Option<&'a FuncLit<'a>>>> = None;
    let mut found: Vec<(usize, usize, Span, Inst, Option<Key>)> = Vec::new();
    let mut relays: Vec<Relay> = Vec::new();
    for b in cfg.rpo() {
        for (i, n) in cfg.nodes(b).iter().enumerate() {
            let may = match n {
                Node::Go(_) => true,
                Node::Expr(e) => matches!(e.x.unparen(), Expr::Call(c)
                    if matches!(c.fun.unparen(), Expr::Selector(s) if matches!(s.sel.name, "Go" | "TryGo"))),
                _ => false,
            };
            if !may {
                continue;
            }
            let Some(sp) = node_fx(env, file, n).spawn else {
                continue;
            };
            let inst = match &sp.target {
                Target::Lit(fl) => {
                    let s = env.lit_summary(file, fl);
                    Some(s.instantiate(None, &sp.args, None))
                }
                Target::Func(o) => env
                    .callee_summary(*o)
                    .map(|s| s.instantiate(sp.recv.as_ref(), &sp.args, Some(*o))),
                Target::Builtin(a) => Some(Inst {
                    accesses: vec![a.clone()],
                    ..Inst::default()
                }),
                Target::Var(o) => {
                    let cl = closures.get_or_insert_with(|| closure_vars(env, file, &cfg));
                    cl.get(o).and_then(|fl| *fl).map(|fl| {
                        let s = env.lit_summary(file, fl);
                        s.instantiate(None, &sp.args, None)
                    })
                }
            };
            let Some(mut inst) = inst else { continue };
            // `go func() { wg.Wait(); close(done) }()`: receiving from `done` waits for wg.
            if (inst.waits || !inst.waits_on.is_empty()) && !inst.sends.is_empty() {
                relays.push(Relay {
                    chans: inst.sends.clone(),
                    waits: inst.waits,
                    waits_on: inst.waits_on.clone(),
                });
            }
            // A map the goroutine assigns as a whole is its own (or a different race).
            let assigns = std::mem::take(&mut inst.assigns);
            inst.accesses
                .retain(|a| !assigns.iter().any(|k| a.key.has_prefix(k)));
            if !inst.accesses.is_empty() {
                found.push((b.index(), i, sp.span, inst, sp.joined_by.clone()));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let fx = body_fx(env, file, &cfg);
    let states = lock_states(&cfg, &fx);
    let mut sites: Vec<Site> = Vec::new();
    let mut site_at: Vec<Vec<u32>> = fx.iter().map(|v| vec![u32::MAX; v.len()]).collect();
    for (b, i, span, inst, started_by) in found {
        let mut accesses = inst.accesses;
        // `sem <- x; go func() { defer func() { <-sem }(); ... }()`: the goroutine runs
        // holding the semaphore the spawning function took for it.
        let sem_held = states[b]
            .get(i)
            .is_some_and(|st| st.held.iter().any(|h| h.0.starts_with("chan:")));
        if sem_held && inst.recvs.iter().any(|k| env.is_sem(k)) {
            for a in &mut accesses {
                a.prot = Prot::Write;
            }
        }
        let mut chans = inst.sends;
        chans.extend(inst.passes);
        if let Some(slot) = site_at.get_mut(b).and_then(|v| v.get_mut(i)) {
            *slot = sites.len() as u32;
            let joined_by = match started_by {
                Some(g) => Some(vec![g]),
                None if inst.dones_unknown || inst.dones.is_empty() => None,
                None => Some(inst.dones),
            };
            sites.push(Site {
                span,
                accesses,
                chans,
                recvs: inst.recvs,
                joined_by,
            });
        }
    }
    let mut parent_sends: FxHashSet<&Key> = FxHashSet::default();
    for nf in fx.iter().flatten() {
        parent_sends.extend(nf.sends.iter());
    }
    // Facts: (goroutine, map) pairs, with the goroutine's accesses to that map.
    let mut facts = Facts::default();
    for (s, site) in sites.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::new();
        for (i, a) in site.accesses.iter().enumerate() {
            match mine.iter().find(|&&f| facts.key[f] == a.key) {
                Some(&f) => facts.accs[f].push(i),
                None => {
                    let f = facts.key.len();
                    facts.key.push(a.key.clone());
                    facts.site.push(s);
                    facts.accs.push(vec![i]);
                    facts.by_key.entry(a.key.clone()).or_default().push(f);
                    mine.push(f);
                }
            }
            // Only channels this function sends on or closes hold the goroutine back until
            // it does; a ticker, a context, another goroutine may release it at any time.
            for g in a.gates.iter().filter(|g| parent_sends.contains(g)) {
                let n = facts.gates.len();
                facts.gates.entry(g.clone()).or_insert(n);
            }
        }
        facts.of_site.push(mine);
    }
    let exits = loop_exits(&cfg, &fx, body);
    let mut flow = LiveFlow {
        fx: &fx,
        site_at: &site_at,
        sites: &sites,
        facts: &facts,
        exits: &exits,
        relays: &relays,
    };
    let res = dataflow::solve(&cfg, &mut flow);
    let mut rep = Reporter {
        sites: &sites,
        facts: &facts,
        reported_loc: FxHashSet::default(),
        reported_fact: FxHashSet::default(),
        file,
        out,
    };
    for b in cfg.rpo() {
        res.replay(&cfg, &mut flow, b, |at, _, st| {
            let i = at.index as usize;
            let Some(nf) = fx[b.index()].get(i) else {
                return;
            };
            let prot = states[b.index()].get(i).map_or(Prot::None, |s| s.prot());
            // A goroutine starts while others (or earlier ones from this statement) run.
            let s = site_at[b.index()][i];
            if s != u32::MAX {
                let s = s as usize;
                for &f in &facts.of_site[s] {
                    let key = &facts.key[f];
                    for &g in facts.by_key.get(key).map_or(&[][..], |v| &v[..]) {
                        if st.has(g) {
                            rep.go_go(s, f, g);
                        }
                    }
                }
            }
            // The spawning function accesses a map a running goroutine uses.
            for p in &nf.accesses {
                let Some(fs) = facts.by_key.get(&p.key) else {
                    continue;
                };
                let mut p = p.clone();
                p.prot = p.prot.max(prot);
                for &f in fs {
                    if !st.has(f) {
                        continue;
                    }
                    // A call that takes a lock to touch the map and also sends the goroutine
                    // a message follows a protocol with it (an actor whose state says who
                    // owns the map): not judged.
                    let site = &sites[facts.site[f]];
                    if p.prot != Prot::None && nf.sends.iter().any(|k| site.recvs.contains(k)) {
                        continue;
                    }
                    rep.parent(f, &p, st);
                }
            }
        });
    }
}

/// Local variables of the body assigned exactly once, from a function literal
/// (`work := func() {...}`), for `go work()`; `None` for variables assigned more than once.
fn closure_vars<'a>(
    env: &Env<'_, 'a>,
    file: u32,
    cfg: &Cfg<'a>,
) -> FxHashMap<ObjId, Option<&'a FuncLit<'a>>> {
    let mut out: FxHashMap<ObjId, Option<&'a FuncLit<'a>>> = FxHashMap::default();
    let mut add = |o: ObjId, fl: Option<&'a FuncLit<'a>>| {
        out.entry(o).and_modify(|v| *v = None).or_insert(fl);
    };
    for (_, n) in cfg.all_nodes() {
        match *n {
            Node::Assign(a) => {
                for (i, l) in a.lhs.iter().enumerate() {
                    let Expr::Ident(id) = l.unparen() else {
                        continue;
                    };
                    let Some(o) = env.obj(file, id) else { continue };
                    let fl = match a.rhs.get(i).map(|r| r.unparen()) {
                        Some(Expr::FuncLit(fl)) if a.lhs.len() == a.rhs.len() => Some(fl),
                        _ => None,
                    };
                    add(o, fl);
                }
            }
            Node::Decl(d) => {
                if let Decl::Gen(g) = d.decl {
                    for sp in g.specs {
                        let Spec::Value(vs) = sp else { continue };
                        for (i, id) in vs.names.iter().enumerate() {
                            let Some(o) = env.obj(file, id) else { continue };
                            let fl = match vs.values.get(i).map(|r| r.unparen()) {
                                Some(Expr::FuncLit(fl)) if vs.names.len() == vs.values.len() => {
                                    Some(fl)
                                }
                                _ => None,
                            };
                            add(o, fl);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[derive(Default)]
struct Facts {
    key: Vec<Key>,
    site: Vec<usize>,
    /// Indices into the site's accesses.
    accs: Vec<Vec<usize>>,
    of_site: Vec<Vec<usize>>,
    by_key: FxHashMap<Key, Vec<usize>>,
    /// Channels that gate goroutine accesses → bit index.
    gates: FxHashMap<Key, usize>,
}

/// Joins made by a loop body, applied when the loop exits (a loop that receives once per
/// goroutine started: the path that skips the loop only exists when none was started).
struct LoopExit {
    kind: EdgeKind,
    waits: bool,
    waits_on: Vec<Key>,
    recvs: Vec<Key>,
}

fn loop_exits<'a>(
    cfg: &Cfg<'a>,
    fx: &BodyFx<'a>,
    body: &'a BlockStmt<'a>,
) -> FxHashMap<u32, LoopExit> {
    let mut out = FxHashMap::default();
    // Nodes that join.
    let mut joins: Vec<(Span, bool, &[Key], &[Key])> = Vec::new();
    for b in cfg.rpo() {
        for (n, nf) in cfg.nodes(b).iter().zip(&fx[b.index()]) {
            if nf.waits || !nf.waits_on.is_empty() || !nf.recvs.is_empty() {
                joins.push((n.span(), nf.waits, &nf.waits_on, &nf.recvs));
            }
        }
    }
    if joins.is_empty() {
        return out;
    }
    // Conditions of `for` loops → their bodies.
    struct Loops(Vec<(Span, Span)>);
    impl<'a> Visitor<'a> for Loops {
        fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
            if let Stmt::For(f) = s {
                if let Some(c) = f.cond {
                    self.0.push((c.span(), f.body.span));
                }
            }
            true
        }
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            !matches!(e, Expr::FuncLit(_))
        }
    }
    let mut loops = Loops(Vec::new());
    visit::walk_stmt(&mut loops, Stmt::Block(body));
    let aggregate = |span: Span| -> Option<(bool, Vec<Key>, Vec<Key>)> {
        let mut waits = false;
        let mut waits_on: Vec<Key> = Vec::new();
        let mut recvs: Vec<Key> = Vec::new();
        let mut any = false;
        for (s, w, wo, r) in &joins {
            if span.start <= s.start && s.end <= span.end {
                any = true;
                waits |= *w;
                for k in wo.iter() {
                    if !waits_on.contains(k) {
                        waits_on.push(k.clone());
                    }
                }
                for k in r.iter() {
                    if !recvs.contains(k) {
                        recvs.push(k.clone());
                    }
                }
            }
        }
        any.then_some((waits, waits_on, recvs))
    };
    for b in cfg.rpo() {
        let (span, kind) = match cfg.last_node(b) {
            Some(Node::Cond(e))
                if matches!(cfg.kind(b), BlockKind::ForHead | BlockKind::CondRhs) =>
            {
                let es = e.span();
                let Some(&(_, body)) = loops
                    .0
                    .iter()
                    .filter(|(c, _)| c.start <= es.start && es.end <= c.end)
                    .min_by_key(|(c, _)| c.end - c.start)
                else {
                    continue;
                };
                (body, EdgeKind::False)
            }
            Some(Node::RangeNext(r)) => (r.body.span, EdgeKind::RangeExit),
            _ => continue,
        };
        if let Some((waits, waits_on, recvs)) = aggregate(span) {
            out.insert(
                b.0,
                LoopExit {
                    kind,
                    waits,
                    waits_on,
                    recvs,
                },
            );
        }
    }
    out
}

#[derive(Clone, PartialEq, Debug)]
struct Live {
    facts: Vec<u64>,
    opened: Vec<u64>,
}

impl Lattice for Live {
    fn join(&mut self, other: &Self) -> bool {
        let mut changed = false;
        for (a, b) in self.facts.iter_mut().zip(&other.facts) {
            changed |= *a | b != *a;
            *a |= b;
        }
        for (a, b) in self.opened.iter_mut().zip(&other.opened) {
            changed |= *a | b != *a;
            *a |= b;
        }
        changed
    }
}

fn bit(v: &[u64], i: usize) -> bool {
    v.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

impl Live {
    fn has(&self, f: usize) -> bool {
        bit(&self.facts, f)
    }

    fn set(&mut self, f: usize, on: bool) {
        if let Some(w) = self.facts.get_mut(f / 64) {
            if on {
                *w |= 1 << (f % 64);
            } else {
                *w &= !(1 << (f % 64));
            }
        }
    }

    fn opened(&self, g: usize) -> bool {
        bit(&self.opened, g)
    }
}

struct LiveFlow<'t, 'a> {
    fx: &'t BodyFx<'a>,
    site_at: &'t [Vec<u32>],
    sites: &'t [Site],
    facts: &'t Facts,
    exits: &'t FxHashMap<u32, LoopExit>,
    relays: &'t [Relay],
}

impl LiveFlow<'_, '_> {
    fn join(&self, st: &mut Live, waits: bool, waits_on: &[Key], recvs: &[Key]) {
        for r in recvs {
            for relay in self.relays.iter().filter(|x| x.chans.contains(r)) {
                self.join(st, relay.waits, &relay.waits_on, &[]);
            }
        }
        if waits {
            st.facts.iter_mut().for_each(|w| *w = 0);
            return;
        }
        // `wg.Wait()` joins the goroutines of `wg` (and those whose group is not known).
        if !waits_on.is_empty() {
            for (s, site) in self.sites.iter().enumerate() {
                let joined = match &site.joined_by {
                    None => true,
                    Some(gs) => gs.iter().any(|g| waits_on.contains(g)),
                };
                if joined {
                    for &f in &self.facts.of_site[s] {
                        st.set(f, false);
                    }
                }
            }
        }
        for r in recvs {
            for (s, site) in self.sites.iter().enumerate() {
                if site.chans.contains(r) {
                    for &f in &self.facts.of_site[s] {
                        st.set(f, false);
                    }
                }
            }
        }
    }

    fn apply(&self, st: &mut Live, nf: &NodeFx<'_>, site: u32) {
        self.join(st, nf.waits, &nf.waits_on, &nf.recvs);
        for k in &nf.assigns {
            for (f, fk) in self.facts.key.iter().enumerate() {
                if fk.has_prefix(k) {
                    st.set(f, false);
                }
            }
        }
        for k in &nf.sends {
            if let Some(&g) = self.facts.gates.get(k) {
                if let Some(w) = st.opened.get_mut(g / 64) {
                    *w |= 1 << (g % 64);
                }
            }
        }
        if site != u32::MAX {
            for &f in &self.facts.of_site[site as usize] {
                st.set(f, true);
            }
        }
    }
}

impl<'a> Analysis<'a> for LiveFlow<'_, 'a> {
    type State = Live;

    fn initial(&mut self, _cfg: &Cfg<'a>) -> Live {
        Live {
            facts: vec![0; self.facts.key.len().div_ceil(64)],
            opened: vec![0; self.facts.gates.len().div_ceil(64)],
        }
    }

    fn transfer(&mut self, at: NodeRef, _node: &Node<'a>, st: &mut Live) {
        let (b, i) = (at.block.index(), at.index as usize);
        if let Some(nf) = self.fx.get(b).and_then(|v| v.get(i)) {
            self.apply(st, nf, self.site_at[b][i]);
        }
    }

    fn transfer_edge(
        &mut self,
        from: BlockId,
        edge: Edge,
        _last: Option<&Node<'a>>,
        st: &mut Live,
    ) -> bool {
        if let Some(fx) = self.fx.get(from.index()).and_then(|b| b.last()) {
            if !const_feasible(fx, edge) {
                return false;
            }
        }
        if let Some(x) = self.exits.get(&from.0) {
            if x.kind == edge.kind {
                self.join(st, x.waits, &x.waits_on, &x.recvs);
            }
        }
        true
    }
}

// -----------------------------------------------------------------------------------------
// Choosing what to report

struct Reporter<'t> {
    sites: &'t [Site],
    facts: &'t Facts,
    reported_loc: FxHashSet<(u32, u32)>,
    /// (goroutine, map) facts already reported on the goroutine's side.
    reported_fact: FxHashSet<usize>,
    file: u32,
    out: &'t mut Vec<Conflict>,
}

impl<'t> Reporter<'t> {
    fn accs(&self, f: usize) -> impl Iterator<Item = &'t Access> + 't {
        let s = &self.sites[self.facts.site[f]];
        self.facts.accs[f].iter().map(move |&i| &s.accesses[i])
    }

    /// Goroutine `s` (fact `f`) starts while fact `g`'s goroutine may run.
    fn go_go(&mut self, s: usize, f: usize, g: usize) {
        if self.reported_fact.contains(&f) && self.reported_fact.contains(&g) {
            return;
        }
        let t = self.facts.site[g];
        let kind = if s == t { Kind::Loop } else { Kind::Other };
        let mut pairs: Vec<(&'t Access, &'t Access)> = Vec::new();
        for a in self.accs(f) {
            if kind == Kind::Loop && conflicts(a, a) {
                pairs.push((a, a));
            }
            for b in self.accs(g) {
                if conflicts(a, b) {
                    pairs.push((a, b));
                }
            }
        }
        if pairs.is_empty() {
            return;
        }
        // (fact, access, partner, other site)
        let mut cands: Vec<(usize, &'t Access, &'t Access, usize)> = Vec::new();
        for &(a, b) in &pairs {
            if a.write && unprotected(a) {
                cands.push((f, a, b, t));
            }
            if b.write && unprotected(b) {
                cands.push((g, b, a, s));
            }
        }
        if cands.is_empty() {
            for &(a, b) in &pairs {
                if unprotected(a) {
                    cands.push((f, a, b, t));
                }
                if unprotected(b) {
                    cands.push((g, b, a, s));
                }
            }
        }
        for (fact, p, mut partner, other) in cands {
            if kind == Kind::Loop && conflicts(p, p) {
                partner = p;
            }
            if self.reported_fact.contains(&fact)
                || self.reported_loc.contains(&(p.file, p.span.start))
            {
                continue;
            }
            self.reported_fact.insert(fact);
            self.reported_loc.insert((p.file, p.span.start));
            let site = self.facts.site[fact];
            self.out.push(Conflict {
                primary: p.clone(),
                primary_in_goroutine: true,
                partner: partner.clone(),
                kind,
                go_span: self.sites[site].span,
                other_go: (kind == Kind::Other).then(|| self.sites[other].span),
                go_file: self.file,
            });
        }
    }

    /// The spawning function makes access `p` while fact `f`'s goroutine may run.
    fn parent(&mut self, f: usize, p: &Access, st: &Live) {
        if self.reported_loc.contains(&(p.file, p.span.start)) && self.reported_fact.contains(&f) {
            return;
        }
        let s = self.facts.site[f];
        let gates = &self.facts.gates;
        let pairs: Vec<&'t Access> = self
            .accs(f)
            .filter(|a| {
                a.gates
                    .iter()
                    .all(|g| gates.get(g).is_none_or(|&i| st.opened(i)))
                    && conflicts(a, p)
            })
            .collect();
        if pairs.is_empty() {
            return;
        }
        let mut chosen: Option<(&Access, &Access, bool)> = None;
        if let Some(a) = pairs.iter().find(|a| a.write && unprotected(a)) {
            chosen = Some((a, p, true));
        }
        if chosen.is_none() && unprotected(p) {
            let partner = pairs.iter().find(|a| a.write).unwrap_or(&pairs[0]);
            chosen = Some((p, partner, false));
        }
        let Some((prim, partner, in_go)) = chosen else {
            return;
        };
        if self.reported_loc.contains(&(prim.file, prim.span.start))
            || (in_go && self.reported_fact.contains(&f))
        {
            return;
        }
        if in_go {
            self.reported_fact.insert(f);
        }
        self.reported_loc.insert((prim.file, prim.span.start));
        self.out.push(Conflict {
            primary: prim.clone(),
            primary_in_goroutine: in_go,
            partner: partner.clone(),
            kind: Kind::Parent,
            go_span: self.sites[s].span,
            other_go: None,
            go_file: self.file,
        });
    }
}

// -----------------------------------------------------------------------------------------
// Messages

struct Finding {
    file: u32,
    span: Span,
    message: String,
    labels: Vec<(u32, Span, String)>,
    help: String,
}

/// A map's name as written in the function analysed: `counts`, `s.byName`.
fn key_text(env: &Env<'_, '_>, key: &Key) -> String {
    let mut out = env.c.obj(key.root).name.to_string();
    for step in &key.path {
        if let Step::Field(f) = step {
            out.push('.');
            out.push_str(env.c.obj(*f).name);
        }
    }
    out
}

impl Conflict {
    fn render(self, env: &Env<'_, '_>) -> Finding {
        let p = &self.primary;
        let q = &self.partner;
        // An access made in a callee names the map as the caller knows it (`counts`), the
        // callee's own name for it following (`as `dst` in `tally``).
        let name_of = |a: &Access| match a.via {
            Some(_) => key_text(env, &a.key),
            None => env.text(a.file, a.name).to_string(),
        };
        let name = name_of(p);
        let qname = name_of(q);
        let rw = |a: &Access| if a.write { "writes" } else { "reads" };
        let fatal = if p.write && q.write {
            "fatal error: concurrent map writes"
        } else {
            "fatal error: concurrent map read and map write"
        };
        let via = |a: &Access| match a.via {
            Some(o) => {
                let inner = env.text(a.file, a.name);
                if inner == name_of(a) {
                    format!(" (in `{}`)", env.c.obj(o).name)
                } else {
                    format!(" (as `{inner}` in `{}`)", env.c.obj(o).name)
                }
            }
            None => String::new(),
        };
        let rlock = if p.write && p.prot == Prot::Read {
            " holding only a read lock (RLock), which does not keep other readers out,"
        } else {
            ""
        };
        let what = match (self.kind, self.primary_in_goroutine) {
            (Kind::Loop, _) if !p.write => format!(
                "goroutines started in a loop read map `{name}`{} without the lock that other runs of the same goroutine hold to write it",
                via(p)
            ),
            (Kind::Loop, _) => format!(
                "goroutines started in a loop all {} map `{name}`{}{}, so two of them can run at once",
                if p.write { "write" } else { "read" },
                via(p),
                if rlock.is_empty() { " with no lock held" } else { rlock.trim_end_matches(',') }
            ),
            (Kind::Other, _) => format!(
                "this goroutine {} map `{name}`{}{rlock} while another goroutine started by the same function {} it{}",
                rw(p),
                via(p),
                rw(q),
                if unprotected(q) { "" } else { " under a lock this access does not take" }
            ),
            (Kind::Parent, true) => format!(
                "this goroutine {} map `{name}`{}{rlock} while the function that started it still {} it before waiting for the goroutine",
                rw(p),
                via(p),
                rw(q)
            ),
            (Kind::Parent, false) if unprotected(q) => format!(
                "map `{name}` is {}{}{rlock} while a goroutine started above, not yet waited for, {} it",
                if p.write { "written" } else { "read" },
                via(p),
                rw(q),
            ),
            (Kind::Parent, false) if !rlock.is_empty() => format!(
                "map `{name}` is written{} holding only a read lock (RLock) while a goroutine started above {} it under the lock: a read lock does not keep other readers out, so the write can overlap that access",
                via(p),
                rw(q),
            ),
            (Kind::Parent, false) => format!(
                "map `{name}` is {}{} without the lock while a goroutine started above {} it under a lock: a lock only protects accesses that take it",
                if p.write { "written" } else { "read" },
                via(p),
                rw(q),
            ),
        };
        // Goroutines racing with each other are not fixed by waiting for them afterwards.
        let fix = match self.kind {
            _ if !rlock.is_empty() => format!(
                "take the write lock (Lock, not RLock) for every write to `{name}`, or use sync.Map"
            ),
            Kind::Loop | Kind::Other => format!(
                "guard every access to `{name}` with one sync.Mutex (or give each goroutine its own map and merge them after wg.Wait()), or use sync.Map"
            ),
            Kind::Parent => format!(
                "guard every access to `{name}` with a sync.Mutex, wait for the goroutine (wg.Wait(), or a receive from a channel it sends on when done) before touching it, or use sync.Map"
            ),
        };
        let message = format!(
            "concurrent map access: {what}; the runtime aborts the whole program with \"{fatal}\", which recover cannot stop; {fix}"
        );
        let mut labels = Vec::new();
        let same = q.file == p.file && q.span == p.span;
        if !same {
            let whose = match self.kind {
                Kind::Loop => "in another run of the same goroutine",
                Kind::Other => "in another goroutine",
                Kind::Parent if self.primary_in_goroutine => {
                    "in the function that started the goroutine, before any join"
                }
                Kind::Parent => "in the goroutine",
            };
            labels.push((
                q.file,
                q.span,
                format!(
                    "conflicting {} of `{qname}` {whose}{}",
                    if q.write { "write" } else { "read" },
                    via(q)
                ),
            ));
        }
        labels.push((
            self.go_file,
            self.go_span,
            if self.kind == Kind::Loop {
                "goroutine started here, once per loop iteration, while earlier ones may still run"
                    .to_string()
            } else {
                "goroutine started here".to_string()
            },
        ));
        if let Some(o) = self.other_go {
            labels.push((
                self.go_file,
                o,
                "the other goroutine is started here".to_string(),
            ));
        }
        Finding {
            file: p.file,
            span: p.span,
            message,
            labels,
            help: match self.kind {
                Kind::Loop | Kind::Other => format!(
                    "hold one sync.Mutex (Lock, not RLock) around every access to `{name}` in every goroutine, or collect results per goroutine and merge them after the join, or use sync.Map"
                ),
                Kind::Parent => format!(
                    "hold one sync.Mutex (Lock, not RLock) around every access to `{name}`, or join the goroutine before touching it, or use sync.Map"
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::may_spawn;

    #[test]
    fn spawn_filter_sees_go_statements_and_group_calls() {
        for src in [
            "package p\nfunc f() {\n\tgo g()\n}\n",
            "package p\nfunc f() {\n    go\tg()\n}\n",
            "package p\nfunc f() { go g() }\n",
            "go g()",
            "package p\nfunc f(eg *errgroup.Group) { eg.Go(func() error { return nil }) }\n",
            "package p\nfunc f(eg *errgroup.Group) { eg.TryGo(h) }\n",
        ] {
            assert!(may_spawn(src.as_bytes()), "{src:?}");
        }
        for src in [
            "package p\n// we go on\nfunc f() { algo() }\n",
            "package p\nfunc f() { s := \"cargo \"; ego(s) }\n",
            "package p\nfunc f() { x.GoTo(1); NoGo(2) }\n",
        ] {
            assert!(!may_spawn(src.as_bytes()), "{src:?}");
        }
    }
}
