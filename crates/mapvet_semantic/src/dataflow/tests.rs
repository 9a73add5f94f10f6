//! Dataflow framework tests, with two toy analyses: definitely-assigned variables (a must
//! analysis: join is intersection) and may-be-nil maps (edge refinement on `m == nil`, and
//! infeasible edges).

use super::*;
use crate::cfg::{file_functions, EdgeKind};
use mapvet_syntax::ast::{Decl, Expr, Spec, Stmt};
use mapvet_syntax::token::Tok;
use std::collections::{BTreeMap, BTreeSet};

fn with_cfg<R>(src: &str, f: impl FnOnce(&Cfg<'_>, &str) -> R) -> R {
    let src = format!("package p\n{src}");
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let func = file_functions(parsed.file)[0];
    let cfg = Cfg::build_default(func.body);
    f(&cfg, &src)
}

fn node_of(cfg: &Cfg<'_>, src: &str, needle: &str) -> NodeRef {
    let off = src
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in source")) as u32;
    cfg.node_at(off).unwrap()
}

fn ident_names<'a>(exprs: &[Expr<'a>], out: &mut BTreeSet<&'a str>) {
    for e in exprs {
        if let Expr::Ident(i) = e.unparen() {
            if !i.is_blank() {
                out.insert(i.name);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Definitely assigned (by identifier name).

#[derive(Clone, Debug, PartialEq)]
struct Assigned<'a>(BTreeSet<&'a str>);

impl Lattice for Assigned<'_> {
    fn join(&mut self, other: &Self) -> bool {
        let before = self.0.len();
        self.0.retain(|x| other.0.contains(x));
        self.0.len() != before
    }
}

struct DefinitelyAssigned;

impl<'a> Analysis<'a> for DefinitelyAssigned {
    type State = Assigned<'a>;

    fn initial(&mut self, _: &Cfg<'a>) -> Self::State {
        Assigned(BTreeSet::new())
    }

    fn transfer(&mut self, _: NodeRef, node: &Node<'a>, state: &mut Self::State) {
        match *node {
            Node::Assign(a) if a.tok == Tok::Define || a.tok == Tok::Assign => {
                ident_names(a.lhs, &mut state.0)
            }
            Node::Decl(d) => {
                if let Decl::Gen(g) = d.decl {
                    for s in g.specs {
                        if let Spec::Value(v) = s {
                            if !v.values.is_empty() {
                                state.0.extend(v.names.iter().map(|n| n.name));
                            }
                        }
                    }
                }
            }
            Node::Comm { clause, .. } => {
                if let Some(Stmt::Assign(a)) = clause.comm {
                    ident_names(a.lhs, &mut state.0);
                }
            }
            _ => {}
        }
    }

    fn transfer_edge(
        &mut self,
        _: BlockId,
        edge: Edge,
        last: Option<&Node<'a>>,
        state: &mut Self::State,
    ) -> bool {
        // The range key and value are assigned only when the loop goes round.
        if let (EdgeKind::RangeBody, Some(Node::RangeNext(r))) = (edge.kind, last) {
            if r.tok != Tok::Illegal {
                ident_names(
                    &[r.key, r.value].into_iter().flatten().collect::<Vec<_>>(),
                    &mut state.0,
                );
            }
        }
        true
    }
}

#[test]
fn dataflow_definitely_assigned() {
    let src = r#"
func f(c bool, m map[string]int, ch chan int) {
	var a = 1
	if c {
		b := 2
		x = 3
		_ = b
	} else {
		x = 4
	}
	use1(a, x)
	for k := range m {
		y := k
		use2(k, y)
	}
	use3()
	select {
	case v := <-ch:
		use4(v)
	case w, ok := <-ch:
		use5(w, ok)
	}
	use6()
	switch {
	case c:
		z := 1
		_ = z
		return
	default:
		z = 2
	}
	use7(z)
}
"#;
    with_cfg(src, |cfg, src| {
        let mut an = DefinitelyAssigned;
        let res = solve(cfg, &mut an);
        let before = |needle: &str, an: &mut DefinitelyAssigned| {
            let at = node_of(cfg, src, needle);
            let s = res.state_before(cfg, an, at).unwrap();
            s.0.into_iter().collect::<Vec<_>>().join(" ")
        };
        assert_eq!(before("use1(", &mut an), "a x");
        assert_eq!(before("use2(", &mut an), "a k x y");
        assert_eq!(before("use3(", &mut an), "a x");
        assert_eq!(before("use4(", &mut an), "a v x");
        assert_eq!(before("use5(", &mut an), "a ok w x");
        assert_eq!(before("use6(", &mut an), "a x");
        assert_eq!(before("use7(", &mut an), "a x z");
        // At the exit: only the return inside `case c` and the fall off the end meet there.
        let exit: Vec<_> = res.exit_state(cfg).unwrap().0.iter().copied().collect();
        assert_eq!(exit, ["a", "x", "z"]);
    });
}

// ---------------------------------------------------------------------------------------------
// May-be-nil maps, refined on `m == nil` / `m != nil`.

const NIL: u8 = 1;
const NON_NIL: u8 = 2;

#[derive(Clone, Debug, PartialEq)]
struct Nilness<'a>(BTreeMap<&'a str, u8>);

impl Lattice for Nilness<'_> {
    fn join(&mut self, other: &Self) -> bool {
        let mut changed = false;
        for (k, v) in &other.0 {
            let e = self.0.entry(k).or_insert(0);
            if *e | v != *e {
                *e |= v;
                changed = true;
            }
        }
        changed
    }
}

fn classify(e: Expr<'_>) -> u8 {
    match e.unparen() {
        Expr::Ident(i) if i.name == "nil" => NIL,
        Expr::CompositeLit(_) => NON_NIL,
        Expr::Call(c) if matches!(c.fun, Expr::Ident(f) if f.name == "make") => NON_NIL,
        _ => NIL | NON_NIL,
    }
}

struct MayBeNil;

impl<'a> Analysis<'a> for MayBeNil {
    type State = Nilness<'a>;

    fn initial(&mut self, _: &Cfg<'a>) -> Self::State {
        Nilness(BTreeMap::new())
    }

    fn transfer(&mut self, _: NodeRef, node: &Node<'a>, state: &mut Self::State) {
        match *node {
            Node::Decl(d) => {
                if let Decl::Gen(g) = d.decl {
                    for s in g.specs {
                        if let Spec::Value(v) = s {
                            for (i, n) in v.names.iter().enumerate() {
                                let val = v.values.get(i).map_or(NIL, |e| classify(*e));
                                state.0.insert(n.name, val);
                            }
                        }
                    }
                }
            }
            Node::Assign(a) if a.lhs.len() == a.rhs.len() => {
                for (l, r) in a.lhs.iter().zip(a.rhs) {
                    if let Expr::Ident(i) = l.unparen() {
                        state.0.insert(i.name, classify(*r));
                    }
                }
            }
            _ => {}
        }
    }

    fn transfer_edge(
        &mut self,
        _: BlockId,
        edge: Edge,
        last: Option<&Node<'a>>,
        state: &mut Self::State,
    ) -> bool {
        let Some(Node::Cond(Expr::Binary(b))) = last else {
            return true;
        };
        if b.op != Tok::Eql && b.op != Tok::Neq {
            return true;
        }
        let (Expr::Ident(x), Expr::Ident(y)) = (b.x.unparen(), b.y.unparen()) else {
            return true;
        };
        if y.name != "nil" {
            return true;
        }
        let Some(bits) = state.0.get_mut(x.name) else {
            return true;
        };
        let nil_branch = (b.op == Tok::Eql) == (edge.kind == EdgeKind::True);
        *bits &= if nil_branch { NIL } else { NON_NIL };
        *bits != 0
    }
}

/// The source lines of the stores `m[k] = v` where `m` may be nil.
fn nil_stores(src: &str) -> (Vec<String>, Vec<String>) {
    with_cfg(src, |cfg, src| {
        let mut an = MayBeNil;
        let res = solve(cfg, &mut an);
        let mut reports = Vec::new();
        let mut unreached = Vec::new();
        // The trimmed source line containing `off`.
        let line_at = |off: u32| {
            let start = src[..off as usize].rfind('\n').map_or(0, |i| i + 1);
            let end = src[off as usize..]
                .find('\n')
                .map_or(src.len(), |i| off as usize + i);
            src[start..end].trim().to_string()
        };
        for b in cfg.blocks() {
            if res
                .replay(cfg, &mut an, b, |_, node, state| {
                    if let Node::Assign(a) = node {
                        if let Expr::Index(ix) = a.lhs[0] {
                            if let Expr::Ident(m) = ix.x {
                                if state.0.get(m.name).is_some_and(|v| v & NIL != 0) {
                                    reports.push(line_at(a.span.start));
                                }
                            }
                        }
                    }
                })
                .is_none()
            {
                for n in cfg.nodes(b) {
                    unreached.push(line_at(n.span().start));
                }
            }
        }
        (reports, unreached)
    })
}

#[test]
fn dataflow_nil_maps_with_edge_refinement() {
    let src = r#"
func f(c bool, k string) {
	var a map[string]int
	a[k] = 1
	var b map[string]int
	if b == nil {
		b = make(map[string]int)
	}
	b[k] = 1
	var d map[string]int
	if c {
		d = make(map[string]int)
	}
	d[k] = 1
	e := map[string]int{}
	e = nil
	if e != nil {
		e[k] = 1
	}
	var g map[string]int
	for i := 0; i < 3; i++ {
		if g == nil {
			g = map[string]int{}
		}
		g[k] = i
	}
	var h map[string]int
	if h != nil && c {
		h[k] = 1
	}
	var q map[string]int
	switch {
	case q == nil:
		q = make(map[string]int)
	}
	q[k] = 1
	var r map[string]int
	for j := 0; j < 2; j++ {
		r[k] = j
		r = make(map[string]int)
	}
	var p map[string]int
	if p == nil {
		panic("nil")
	}
	p[k] = 1
}
"#;
    let (reports, unreached) = nil_stores(src);
    assert_eq!(reports, ["a[k] = 1", "d[k] = 1", "r[k] = j"]);
    // Infeasible branches: `e` is nil, `h` is nil, `p` is nil (so the panic always happens).
    assert_eq!(
        unreached,
        ["e[k] = 1", "if h != nil && c {", "h[k] = 1", "p[k] = 1"]
    );
}

#[test]
fn dataflow_replay_order_and_visits() {
    let src = r#"
func f(c bool) {
	a := 1
	if c {
		a = 2
	} else if d {
		a = 3
	}
	b := a
	return
	dead()
}
"#;
    with_cfg(src, |cfg, _| {
        let mut an = DefinitelyAssigned;
        let res = solve(cfg, &mut an);
        // Acyclic graph, reverse postorder: every reachable block is visited exactly once.
        assert_eq!(res.visits, cfg.num_reachable());
        for b in cfg.blocks() {
            assert_eq!(res.reached(b), cfg.is_reachable(b));
            let mut seen = Vec::new();
            let out = res.replay(cfg, &mut an, b, |at, _, _| seen.push(at.index));
            if cfg.is_reachable(b) {
                assert_eq!(seen, (0..cfg.nodes(b).len() as u32).collect::<Vec<_>>());
                assert_eq!(out, res.state_after(cfg, &mut an, b));
            } else {
                assert!(out.is_none() && seen.is_empty());
            }
        }
    });
}

#[test]
fn dataflow_fixpoint_through_goto_loops() {
    // An irreducible loop (two entries) and a backward goto: the must-analysis still
    // converges, and facts established inside one loop entry path do not leak.
    let src = r#"
func f(c bool) {
	if c {
		x := 1
		_ = x
		goto B
	}
A:
	y := 1
	_ = y
B:
	z := 1
	_ = z
	use(y)
	if c {
		goto A
	}
}
"#;
    with_cfg(src, |cfg, src| {
        let mut an = DefinitelyAssigned;
        let res = solve(cfg, &mut an);
        let at = node_of(cfg, src, "use(y)");
        let s = res.state_before(cfg, &mut an, at).unwrap();
        assert_eq!(s.0.into_iter().collect::<Vec<_>>(), ["z"]);
        let at = node_of(cfg, src, "y := 1");
        let s = res.state_before(cfg, &mut an, at).unwrap();
        assert!(s.0.is_empty());
    });
}
