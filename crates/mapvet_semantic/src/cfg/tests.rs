//! CFG tests: one printed-shape test per construct family, dominators, function enumeration,
//! deep nesting, and a robustness pass over real GOROOT files.

use super::*;

/// Parses `package p` + `src` and returns the printed CFG of the first function body.
fn dump(src: &str) -> String {
    let src = format!("package p\n{src}");
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let f = file_functions(parsed.file)[0];
    let cfg = Cfg::build_default(f.body);
    check_invariants(&cfg);
    cfg.to_string(src.as_bytes())
}

/// Parses `package p` + `src`, builds the CFG of the first function and hands it to `f`.
fn with_cfg<R>(src: &str, f: impl FnOnce(&Cfg<'_>, &str) -> R) -> R {
    let src = format!("package p\n{src}");
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let func = file_functions(parsed.file)[0];
    let cfg = Cfg::build_default(func.body);
    check_invariants(&cfg);
    f(&cfg, &src)
}

/// The position of the node containing the first occurrence of `needle` in `src`.
fn node_of(cfg: &Cfg<'_>, src: &str, needle: &str) -> NodeRef {
    let off = src
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in source")) as u32;
    cfg.node_at(off)
        .unwrap_or_else(|| panic!("no node at {needle}"))
}

/// Number of atomic statements of a body, not counting nested function literals.
fn count_atomic_stmts(list: &[Stmt<'_>]) -> usize {
    fn one(s: Stmt<'_>) -> usize {
        match s {
            Stmt::Decl(_)
            | Stmt::Expr(_)
            | Stmt::Send(_)
            | Stmt::IncDec(_)
            | Stmt::Assign(_)
            | Stmt::Go(_)
            | Stmt::Defer(_)
            | Stmt::Return(_) => 1,
            Stmt::Bad(_) | Stmt::Empty(_) | Stmt::Branch(_) => 0,
            Stmt::Labeled(l) => one(l.stmt),
            Stmt::Block(b) => count_atomic_stmts(b.list),
            Stmt::If(i) => {
                i.init.map_or(0, one) + count_atomic_stmts(i.body.list) + i.else_.map_or(0, one)
            }
            Stmt::CaseClause(c) => count_atomic_stmts(c.body),
            // The comm statement is inside the `Comm` node.
            Stmt::CommClause(c) => count_atomic_stmts(c.body),
            Stmt::Switch(s) => s.init.map_or(0, one) + count_atomic_stmts(s.body.list),
            // The guard is inside the `TypeSwitchGuard` node.
            Stmt::TypeSwitch(s) => s.init.map_or(0, one) + count_atomic_stmts(s.body.list),
            Stmt::Select(s) => count_atomic_stmts(s.body.list),
            Stmt::For(f) => {
                f.init.map_or(0, one) + f.post.map_or(0, one) + count_atomic_stmts(f.body.list)
            }
            Stmt::Range(r) => count_atomic_stmts(r.body.list),
        }
    }
    list.iter()
        .map(|s| stacker::maybe_grow(64 * 1024, 1024 * 1024, || one(*s)))
        .sum()
}

/// Structural invariants every CFG must satisfy.
pub(crate) fn check_invariants(cfg: &Cfg<'_>) {
    let n = cfg.num_blocks();
    assert_eq!(cfg.entry, BlockId(0));
    assert!(cfg.exit.index() < n);
    assert_eq!(cfg.kind(cfg.exit), BlockKind::Exit);
    assert!(cfg.succs(cfg.exit).is_empty(), "exit has successors");
    // Predecessor lists mirror successor lists exactly.
    let mut n_succ = 0;
    for b in cfg.blocks() {
        for e in cfg.succs(b) {
            n_succ += 1;
            let fwd = cfg.succs(b).iter().filter(|x| **x == *e).count();
            let back = cfg
                .preds(e.block)
                .iter()
                .filter(|p| p.block == b && p.kind == e.kind)
                .count();
            assert_eq!(fwd, back, "b{} -> b{} not mirrored", b.0, e.block.0);
        }
    }
    assert_eq!(
        n_succ,
        cfg.blocks().map(|b| cfg.preds(b).len()).sum::<usize>()
    );
    // Reachability: blocks 0..num_reachable are exactly those reachable from the entry, and
    // every reachable block but the entry has a predecessor numbered before it (a DFS parent).
    let mut seen = vec![false; n];
    let mut stack = vec![cfg.entry];
    seen[0] = true;
    while let Some(b) = stack.pop() {
        for e in cfg.succs(b) {
            if !seen[e.block.index()] {
                seen[e.block.index()] = true;
                stack.push(e.block);
            }
        }
    }
    for b in cfg.blocks() {
        assert_eq!(
            seen[b.index()],
            cfg.is_reachable(b),
            "b{} reachability",
            b.0
        );
        if cfg.is_reachable(b) && b != cfg.entry {
            assert!(
                cfg.preds(b).iter().any(|p| p.block < b),
                "b{} has no earlier pred",
                b.0
            );
        }
        if !cfg.is_reachable(b) && b != cfg.exit {
            assert!(
                !cfg.nodes(b).is_empty() || !cfg.preds(b).is_empty(),
                "dangling empty block b{}",
                b.0
            );
        }
    }
    // Block endings agree with out-edges.
    for b in cfg.blocks() {
        let nodes = cfg.nodes(b);
        let succs = cfg.succs(b);
        for (i, node) in nodes.iter().enumerate() {
            let is_last = i + 1 == nodes.len();
            match node {
                Node::Cond(e) => {
                    assert!(is_last);
                    assert!(!matches!(e, Expr::Binary(x) if x.op == Tok::LAnd || x.op == Tok::LOr));
                    assert!(!matches!(e, Expr::Paren(_)));
                    let kinds: Vec<_> = succs.iter().map(|e| e.kind).collect();
                    assert_eq!(kinds, [EdgeKind::True, EdgeKind::False]);
                }
                Node::Case { .. } => {
                    let kinds: Vec<_> = succs.iter().map(|e| e.kind).collect();
                    assert!(is_last);
                    assert_eq!(kinds, [EdgeKind::CaseMatch, EdgeKind::CaseNoMatch]);
                }
                Node::RangeNext(_) => {
                    let kinds: Vec<_> = succs.iter().map(|e| e.kind).collect();
                    assert!(is_last);
                    assert_eq!(kinds, [EdgeKind::RangeBody, EdgeKind::RangeExit]);
                }
                Node::TypeSwitchGuard(_) => {
                    assert!(is_last);
                    assert_eq!(succs.last().map(|e| e.kind), Some(EdgeKind::CaseNoMatch));
                    assert!(succs[..succs.len() - 1]
                        .iter()
                        .all(|e| e.kind == EdgeKind::CaseMatch));
                }
                Node::Select(s) => {
                    assert!(is_last);
                    let clauses = s.body.list.len();
                    assert_eq!(succs.len(), clauses);
                    assert!(succs.iter().all(|e| e.kind == EdgeKind::SelectCase));
                }
                Node::Return(_) => {
                    assert!(is_last);
                    assert_eq!(
                        succs,
                        [Edge {
                            block: cfg.exit,
                            kind: EdgeKind::Return
                        }]
                    );
                }
                Node::TypeCase { .. } | Node::Comm { .. } => assert_eq!(i, 0),
                Node::RunDefer(_) => assert_eq!(b, cfg.exit),
                _ => {}
            }
        }
        // Every block ends somewhere: a block without successors is the exit or `select {}`.
        if succs.is_empty() && b != cfg.exit {
            assert!(
                matches!(nodes.last(), Some(Node::Select(s)) if s.body.list.is_empty()),
                "b{} {:?} has no successor",
                b.0,
                cfg.kind(b)
            );
        }
        for e in succs {
            if e.block == cfg.exit {
                assert!(
                    matches!(e.kind, EdgeKind::Return | EdgeKind::Panic | EdgeKind::Exit),
                    "b{} enters the exit with {:?}",
                    b.0,
                    e.kind
                );
            } else {
                assert!(!matches!(
                    e.kind,
                    EdgeKind::Return | EdgeKind::Panic | EdgeKind::Exit
                ));
            }
        }
    }
    // The exit runs every deferred call, in reverse order.
    let run: Vec<_> = cfg
        .nodes(cfg.exit)
        .iter()
        .map(|n| match n {
            Node::RunDefer(d) => d.span,
            _ => panic!("exit node {n:?}"),
        })
        .collect();
    let defers: Vec<_> = cfg.defers.iter().rev().map(|d| d.span).collect();
    assert_eq!(run, defers);
    // Every atomic statement of the body is exactly one node.
    let atomic = cfg
        .all_nodes()
        .filter(|(_, n)| n.as_stmt().is_some())
        .count();
    assert_eq!(atomic, count_atomic_stmts(cfg.body.list));
}

#[test]
fn cfg_straight_line() {
    let got = dump(
        r#"
func f() {
	x := 1
	x++
	var y int
	ch <- x
	g(x, y)
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  x := 1
  x++
  var y int
  ch <- x
  g(x, y)
  -> b1 (return)
b1 exit
"#
    );
}

#[test]
fn cfg_if_else_chain() {
    let got = dump(
        r#"
func f(x int) {
	a := 1
	if x > 0 {
		a++
	} else if y := x * 2; y < -4 {
		a--
	} else {
		a = 0
	}
	use(a)
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  a := 1
  cond x > 0
  -> b1 (true), b2 (false)
b1 if.then
  a++
  -> b5
b2 if.else
  y := x * 2
  cond y < -4
  -> b3 (true), b4 (false)
b3 if.then
  a--
  -> b5
b4 if.else
  a = 0
  -> b5
b5 if.done
  use(a)
  -> b6 (return)
b6 exit
"#
    );
}

#[test]
fn cfg_short_circuit_conditions() {
    let got = dump(
        r#"
func f(m map[string]int, k string) {
	if m != nil && m[k] > 0 || k == "" {
		m[k] = 1
	}
	if !(m == nil || k == "") {
		use(m)
	}
	if !ok {
		use(k)
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  cond m != nil
  -> b1 (true), b2 (false)
b1 cond.rhs
  cond m[k] > 0
  -> b3 (true), b2 (false)
b2 cond.rhs
  cond k == ""
  -> b3 (true), b4 (false)
b3 if.then
  m[k] = 1
  -> b4
b4 if.done
  cond m == nil
  -> b7 (true), b5 (false)
b5 cond.rhs
  cond k == ""
  -> b7 (true), b6 (false)
b6 if.then
  use(m)
  -> b7
b7 if.done
  cond !ok
  -> b8 (true), b9 (false)
b8 if.then
  use(k)
  -> b9
b9 if.done
  -> b10 (return)
b10 exit
"#
    );
}

#[test]
fn cfg_for_loops() {
    let got = dump(
        r#"
func f(n int) {
	for i := 0; i < n; i++ {
		if i == 3 {
			continue
		}
		if i == 5 {
			break
		}
		use(i)
	}
	for n > 0 {
		n--
	}
	for {
		work()
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  i := 0
  -> b1
b1 for.head
  cond i < n
  -> b2 (true), b6 (false)
b2 for.body
  cond i == 3
  -> b5 (true), b3 (false)
b3 if.done
  cond i == 5
  -> b6 (true), b4 (false)
b4 if.done
  use(i)
  -> b5
b5 for.post
  i++
  -> b1
b6 for.head
  cond n > 0
  -> b7 (true), b8 (false)
b7 for.body
  n--
  -> b6
b8 for.body
  work()
  -> b8
b9 exit (unreachable)
"#
    );
}

#[test]
fn cfg_range_loops() {
    let got = dump(
        r#"
func f(m map[string]int, ch chan int) {
	for k, v := range m {
		if v == 0 {
			continue
		}
		use(k, v)
	}
	for range 10 {
	}
	for x = range ch {
		break
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  range m
  -> b1
b1 range.head
  next k, v
  -> b2 (body), b4 (done)
b2 range.body
  cond v == 0
  -> b1 (true), b3 (false)
b3 if.done
  use(k, v)
  -> b1
b4 range.done
  range 10
  -> b5
b5 range.head
  next
  -> b5 (body), b6 (done)
b6 range.done
  range ch
  -> b7
b7 range.head
  next x
  -> b8 (body), b8 (done)
b8 range.done
  -> b9 (return)
b9 exit
"#
    );
}

#[test]
fn cfg_expression_switch() {
    let got = dump(
        r#"
func f(x int) {
	switch y := g(); x {
	case 1, 2:
		a()
		fallthrough
	default:
		b()
	case 3:
		if y {
			break
		}
		c()
	case 4:
		fallthrough
	case 5:
	}
	switch x {
	}
	done()
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  y := g()
  tag x
  case 1
  -> b2 (match), b1 (nomatch)
b1 switch.case
  case 2
  -> b2 (match), b3 (nomatch)
b2 switch.body
  a()
  -> b8
b3 switch.case
  case 3
  -> b4 (match), b6 (nomatch)
b4 switch.body
  cond y
  -> b9 (true), b5 (false)
b5 if.done
  c()
  -> b9
b6 switch.case
  case 4
  -> b9 (match), b7 (nomatch)
b7 switch.case
  case 5
  -> b9 (match), b8 (nomatch)
b8 switch.body
  b()
  -> b9
b9 switch.done
  tag x
  -> b10
b10 switch.done
  done()
  -> b11 (return)
b11 exit
"#
    );
}

#[test]
fn cfg_tagless_switch() {
    let got = dump(
        r#"
func f(x int) {
	switch {
	case x > 1 && x < 5:
		d()
	case x == 0, x == 9:
		e()
	default:
		g()
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  cond x > 1
  -> b1 (true), b3 (false)
b1 cond.rhs
  cond x < 5
  -> b2 (true), b3 (false)
b2 switch.body
  d()
  -> b7
b3 switch.case
  cond x == 0
  -> b5 (true), b4 (false)
b4 switch.case
  cond x == 9
  -> b5 (true), b6 (false)
b5 switch.body
  e()
  -> b7
b6 switch.body
  g()
  -> b7
b7 switch.done
  -> b8 (return)
b8 exit
"#
    );
}

#[test]
fn cfg_type_switch() {
    let got = dump(
        r#"
func f(v any) {
	switch t := v.(type) {
	case int, string:
		use(t)
	case nil:
		return
	default:
		panic(t)
	}
	switch v.(type) {
	case error:
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  typeswitch t := v.(type)
  -> b1 (match), b5 (match), b6 (nomatch)
b1 typeswitch.body
  typecase int, string
  use(t)
  -> b2
b2 typeswitch.done
  typeswitch v.(type)
  -> b3 (match), b4 (nomatch)
b3 typeswitch.body
  typecase error
  -> b4
b4 typeswitch.done
  -> b7 (return)
b5 typeswitch.body
  typecase nil
  return
  -> b7 (return)
b6 typeswitch.body
  typecase default
  panic(t)
  -> b7 (panic)
b7 exit
"#
    );
}

#[test]
fn cfg_select() {
    let got = dump(
        r#"
func f(a, b chan int, m map[int]int) {
	for {
		select {
		case x := <-a:
			use(x)
		case b <- 1:
			break
		case m[0] = <-a:
			return
		case <-b:
			continue
		default:
		}
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  -> b1
b1 for.body
  select
  -> b2 (case), b3 (case), b4 (case), b5 (case), b1 (case)
b2 select.case
  comm x := <-a
  use(x)
  -> b1
b3 select.case
  comm b <- 1
  -> b1
b4 select.case
  comm m[0] = <-a
  return
  -> b6 (return)
b5 select.case
  comm <-b
  -> b1
b6 exit
"#
    );
}

#[test]
fn cfg_select_empty_blocks_forever() {
    let got = dump(
        r#"
func f() {
	go work()
	select {}
	after()
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  go work()
  select
b1 select.done (unreachable)
  after()
  -> b2 (return)
b2 exit (unreachable)
"#
    );
}

#[test]
fn cfg_labeled_break_continue() {
    let got = dump(
        r#"
func f(n int) {
outer:
	for i := 0; i < n; i++ {
	inner:
		for j := range n {
			if j == 1 {
				continue outer
			}
			if j == 2 {
				break outer
			}
			if j == 3 {
				continue inner
			}
			switch j {
			case 4:
				continue
			case 5:
				break inner
			case 6:
				break
			}
		}
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  -> b1
b1 label outer:
  i := 0
  -> b2
b2 for.head
  cond i < n
  -> b3 (true), b12 (false)
b3 label inner:
  range n
  -> b4
b4 range.head
  next j
  -> b5 (body), b11 (done)
b5 range.body
  cond j == 1
  -> b11 (true), b6 (false)
b6 if.done
  cond j == 2
  -> b12 (true), b7 (false)
b7 if.done
  cond j == 3
  -> b4 (true), b8 (false)
b8 if.done
  tag j
  case 4
  -> b4 (match), b9 (nomatch)
b9 switch.case
  case 5
  -> b11 (match), b10 (nomatch)
b10 switch.case
  case 6
  -> b4 (match), b4 (nomatch)
b11 for.post
  i++
  -> b2
b12 for.done
  -> b13 (return)
b13 exit
"#
    );
}

#[test]
fn cfg_labeled_switch_select_break() {
    let got = dump(
        r#"
func f(ch chan int) {
sw:
	switch {
	case c1:
		for {
			break sw
		}
	}
sel:
	select {
	case <-ch:
		for range ch {
			break sel
		}
		after()
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  -> b1
b1 label sw:
  cond c1
  -> b2 (true), b2 (false)
b2 label sel:
  select
  -> b3 (case)
b3 select.case
  comm <-ch
  range ch
  -> b4
b4 range.head
  next
  -> b6 (body), b5 (done)
b5 range.done
  after()
  -> b6
b6 select.done
  -> b7 (return)
b7 exit
"#
    );
}

#[test]
fn cfg_goto() {
    let got = dump(
        r#"
func f(n int) {
	i := 0
loop:
	if i < n {
		i++
		goto loop
	}
	goto end
	dead()
end:
	done()
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  i := 0
  -> b1
b1 label loop:
  cond i < n
  -> b2 (true), b3 (false)
b2 if.then
  i++
  -> b1
b3 label end:
  done()
  -> b4 (return)
b4 exit
b5 dead (unreachable)
  dead()
  -> b3
"#
    );
}

#[test]
fn cfg_goto_backward_loop() {
    let got = dump(
        r#"
func f() {
	i := 0
again:
	i++
	if i < 10 {
		goto again
	}
	use(i)
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  i := 0
  -> b1
b1 label again:
  i++
  cond i < 10
  -> b1 (true), b2 (false)
b2 if.done
  use(i)
  -> b3 (return)
b3 exit
"#
    );
}

#[test]
fn cfg_defer_and_no_return_calls() {
    let got = dump(
        r#"
func f() (err error) {
	defer a()
	if x {
		defer func() { b() }()
		return nil
	}
	defer c(1)
	if y {
		os.Exit(1)
	}
	if z {
		panic("boom")
	}
	if w {
		runtime.Goexit()
	}
	log.Fatalf("x")
	unreachable()
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  defer a()
  cond x
  -> b1 (true), b2 (false)
b1 if.then
  defer func() { b() }()
  return nil
  -> b9 (return)
b2 if.done
  defer c(1)
  cond y
  -> b3 (true), b4 (false)
b3 if.then
  os.Exit(1)
  -> b9 (exit)
b4 if.done
  cond z
  -> b5 (true), b6 (false)
b5 if.then
  panic("boom")
  -> b9 (panic)
b6 if.done
  cond w
  -> b7 (true), b8 (false)
b7 if.then
  runtime.Goexit()
  -> b9 (panic)
b8 if.done
  log.Fatalf("x")
  -> b9 (exit)
b9 exit
  rundefer c(1)
  rundefer func() { b() }()
  rundefer a()
b10 dead (unreachable)
  unreachable()
  -> b9 (return)
"#
    );
}

#[test]
fn cfg_go_and_unreachable() {
    let got = dump(
        r#"
func f() {
	go func() { work() }()
	go g(1)
	return
	x := 1
	use(x)
	for {
	}
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  go func() { work() }()
  go g(1)
  return
  -> b1 (return)
b1 exit
b2 dead (unreachable)
  x := 1
  use(x)
  -> b3
b3 for.head (unreachable)
  -> b3
"#
    );
}

#[test]
fn cfg_empty_body() {
    let got = dump(
        r#"
func f() {
}
"#,
    );
    assert_eq!(
        got,
        r#"b0 entry
  -> b1 (return)
b1 exit
"#
    );
}

#[test]
fn cfg_custom_no_return_predicate() {
    let src =
        "package p\nfunc f(t *testing.T) {\n\tif bad {\n\t\tt.Fatalf(\"x\")\n\t}\n\tpanic(1)\n}\n";
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
    let f = file_functions(parsed.file)[0];
    let typed = |c: &CallExpr<'_>| match c.fun {
        Expr::Selector(s) if s.sel.name.starts_with("Fatal") => Some(NoReturn::Panic),
        _ => None,
    };
    let cfg = Cfg::build(f.body, &typed);
    check_invariants(&cfg);
    assert_eq!(
        cfg.to_string(src.as_bytes()),
        "b0 entry\n  cond bad\n  -> b1 (true), b2 (false)\nb1 if.then\n  t.Fatalf(\"x\")\n  -> b3 (panic)\n\
         b2 if.done\n  panic(1)\n  -> b3 (return)\nb3 exit\n"
    );
}

#[test]
fn cfg_dominators() {
    let src = r#"
func f(m map[string]int, n int) {
	a()
	if m == nil {
		m = make(map[string]int)
	} else {
		b()
	}
	for i := 0; i < n; i++ {
		if i > 2 {
			continue
		}
		m["k"] = i
	}
	c()
}
"#;
    with_cfg(src, |cfg, src| {
        let doms = cfg.dominators();
        let a = node_of(cfg, src, "a()");
        let make = node_of(cfg, src, "m = make");
        let b = node_of(cfg, src, "b()");
        let store = node_of(cfg, src, "m[\"k\"] = i");
        let c = node_of(cfg, src, "c()");
        let cond = node_of(cfg, src, "i < n");
        for x in [a, make, b, store, c, cond] {
            assert!(doms.dominates_node(a, x));
            assert!(doms.dominates(cfg.entry, x.block));
        }
        assert!(!doms.dominates_node(make, store));
        assert!(!doms.dominates_node(b, c));
        assert!(doms.dominates_node(cond, store));
        assert!(doms.dominates_node(cond, c));
        assert!(!doms.dominates_node(store, c));
        assert!(!doms.dominates_node(c, a));
        assert!(doms.dominates_node(a, a));
        assert!(!doms.strictly_dominates(a.block, a.block));
        // The join after the if/else: its immediate dominator is the condition's block.
        let join = cfg.node_at(src.find("i := 0").unwrap() as u32).unwrap();
        assert_eq!(doms.idom(join.block), Some(a.block));
        assert_eq!(doms.idom(cfg.entry), None);
        // Edge dominance: the store runs only when `i > 2` was false.
        let if_blk = node_of(cfg, src, "i > 2").block;
        let t = cfg
            .succs(if_blk)
            .iter()
            .position(|e| e.kind == EdgeKind::True)
            .unwrap();
        let fl = cfg
            .succs(if_blk)
            .iter()
            .position(|e| e.kind == EdgeKind::False)
            .unwrap();
        assert!(cfg.edge_dominates(&doms, if_blk, fl, store.block));
        assert!(!cfg.edge_dominates(&doms, if_blk, t, store.block));
        // `m == nil` false does not dominate c().
        let nil_blk = node_of(cfg, src, "m == nil").block;
        assert!(!cfg.edge_dominates(&doms, nil_blk, 1, c.block));
        assert!(cfg.edge_dominates(&doms, nil_blk, 0, make.block));
    });
}

#[test]
fn cfg_dominators_early_return_and_irreducible_goto() {
    let src = r#"
func f(m map[string]int) {
	if m == nil {
		return
	}
	m["a"] = 1
	if x {
		goto L2
	}
L1:
	a()
L2:
	b()
	if y {
		goto L1
	}
}
"#;
    with_cfg(src, |cfg, src| {
        let doms = cfg.dominators();
        let nil_blk = node_of(cfg, src, "m == nil").block;
        let store = node_of(cfg, src, "m[\"a\"]");
        let fl = cfg
            .succs(nil_blk)
            .iter()
            .position(|e| e.kind == EdgeKind::False)
            .unwrap();
        assert!(cfg.edge_dominates(&doms, nil_blk, fl, store.block));
        let a = node_of(cfg, src, "a()");
        let b = node_of(cfg, src, "b()");
        // Two entries into the L1/L2 loop: neither label dominates the other.
        assert!(!doms.dominates(a.block, b.block));
        assert!(!doms.dominates(b.block, a.block));
        assert!(doms.dominates(store.block, a.block));
        assert!(doms.dominates(store.block, b.block));
        assert_eq!(cfg.label_block("L1"), Some(a.block));
        assert_eq!(cfg.label_block("L2"), Some(b.block));
    });
}

#[test]
fn cfg_unreachable_code() {
    let src = r#"
func f(x int) int {
	for {
		if x > 0 {
			return 1
			dead1()
		}
		break
		dead2()
	}
	switch x {
	case 1:
		panic("no")
		dead3()
	}
	select {}
	dead4()
}
"#;
    with_cfg(src, |cfg, src| {
        for live in ["return 1", "x > 0", "panic(\"no\")", "select {}"] {
            assert!(cfg.is_reachable(node_of(cfg, src, live).block), "{live}");
        }
        for dead in ["dead1()", "dead2()", "dead3()", "dead4()"] {
            assert!(!cfg.is_reachable(node_of(cfg, src, dead).block), "{dead}");
        }
        // The exit is reached by the return and the panic.
        let kinds: Vec<_> = cfg
            .preds(cfg.exit)
            .iter()
            .filter(|p| cfg.is_reachable(p.block))
            .map(|p| p.kind)
            .collect();
        assert_eq!(kinds, [EdgeKind::Return, EdgeKind::Panic]);
    });
}

#[test]
fn cfg_file_functions() {
    let src = r#"package p
var init1 = func() int { return 1 }()
func a() {
	f := func() {
		g := func() {}
		_ = g
	}
	go func() {}()
}
func (r *T) m() { defer func() {}() }
func external()
type T struct{ f [len(func() {})]int }
"#;
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
    let fs = file_functions(parsed.file);
    let desc: Vec<String> = fs
        .iter()
        .map(|f| {
            let what = match f.kind {
                FuncKind::Decl(d) => d.name.name.to_string(),
                FuncKind::Lit(l) => format!("lit@{}", src[..l.span.start as usize].lines().count()),
            };
            assert_eq!(
                f.index as usize,
                fs.iter()
                    .position(|g| std::ptr::eq(g.body, f.body))
                    .unwrap()
            );
            format!("{} {what} {:?}", f.index, f.parent)
        })
        .collect();
    assert_eq!(
        desc,
        [
            "0 lit@2 None",
            "1 a None",
            "2 lit@4 Some(1)",
            "3 lit@5 Some(2)",
            "4 lit@8 Some(1)",
            "5 m None",
            "6 lit@10 Some(5)",
            "7 lit@12 None",
        ]
    );
    // A literal is opaque in its parent: a()'s CFG has 2 nodes, the literals have their own.
    let cfg = Cfg::build_default(fs[1].body);
    check_invariants(&cfg);
    assert_eq!(cfg.all_nodes().count(), 2);
    for f in &fs {
        check_invariants(&Cfg::build_default(f.body));
    }
}

#[test]
fn cfg_deep_nesting_and_long_conditions_do_not_overflow() {
    // 20k nested blocks and an `&&` chain of 20k operands, built on a small stack.
    let depth = 20_000;
    let mut src = String::from("package p\nfunc f() {\n");
    for _ in 0..depth {
        src.push_str("if x {\n");
    }
    src.push_str("a()\n");
    for _ in 0..depth {
        src.push_str("}\n");
    }
    src.push_str("if x");
    for _ in 0..depth {
        src.push_str(" && x");
    }
    src.push_str(" {\nb()\n}\n}\n");
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let arena = mapvet_syntax::Bump::new();
            let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
            assert!(parsed.errors.is_empty());
            let fs = file_functions(parsed.file);
            let cfg = Cfg::build_default(fs[0].body);
            assert_eq!(cfg.num_reachable(), cfg.num_blocks());
            assert_eq!(
                cfg.all_nodes()
                    .filter(|(_, n)| matches!(n, Node::Cond(_)))
                    .count(),
                2 * depth + 1
            );
            let doms = cfg.dominators();
            let a = cfg
                .all_nodes()
                .find(|(_, n)| matches!(n, Node::Expr(_)))
                .unwrap()
                .0;
            assert!(doms.dominates(cfg.entry, a.block));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn cfg_invalid_code_never_panics() {
    // Branches without targets, gotos to missing labels, duplicate labels, stray fallthrough.
    for body in [
        "break; continue; fallthrough; goto nowhere; x()",
        "L: x(); L: y(); goto L",
        "for { switch { case a: fallthrough } }",
        "switch v := x.(type) { case int: fallthrough; default: }",
        "select { case <-c: fallthrough }",
        "if x { goto missing }",
    ] {
        let src = format!("package p\nfunc f() {{ {body} }}\n");
        let arena = mapvet_syntax::Bump::new();
        let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
        for f in file_functions(parsed.file) {
            let cfg = Cfg::build_default(f.body);
            let _ = cfg.to_string(src.as_bytes());
            let _ = cfg.dominators();
        }
    }
}

fn goroot_src() -> Option<std::path::PathBuf> {
    let root = std::env::var_os("GOROOT")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            let out = std::process::Command::new("go")
                .args(["env", "GOROOT"])
                .output()
                .ok()?;
            let s = String::from_utf8(out.stdout).ok()?;
            let s = s.trim();
            (!s.is_empty()).then(|| std::path::PathBuf::from(s))
        })?;
    let src = root.join("src");
    src.is_dir().then_some(src)
}

/// Builds and checks the CFG of every function of one file; returns (functions, blocks).
fn check_file(path: &std::path::Path) -> (usize, usize) {
    let Ok(bytes) = std::fs::read(path) else {
        return (0, 0);
    };
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, &bytes);
    let mut blocks = 0;
    let fs = file_functions(parsed.file);
    for f in &fs {
        let cfg = Cfg::build_default(f.body);
        if parsed.errors.is_empty() {
            check_invariants(&cfg);
        }
        let doms = cfg.dominators();
        for b in cfg.rpo() {
            assert!(doms.dominates(cfg.entry, b));
            if let Some(d) = doms.idom(b) {
                assert!(d < b, "idom must precede in reverse postorder");
            }
        }
        blocks += cfg.num_blocks();
    }
    (fs.len(), blocks)
}

#[test]
fn cfg_robustness_on_real_files() {
    let Some(src) = goroot_src() else {
        eprintln!("GOROOT not found; skipped");
        return;
    };
    let mut total = (0, 0);
    for rel in [
        "go/parser/parser.go",
        "net/http/server.go",
        "runtime/proc.go",
        "runtime/select.go",
        "runtime/mgcmark.go",
        "go/types/stmt.go",
        "text/template/exec.go",
        "go/types/expr.go",
        "syscall/exec_linux.go",
        "internal/types/testdata/check/gotos.go",
        "math/big/natdiv.go",
        "compress/flate/inflate.go",
        "regexp/syntax/parse.go",
        "cmd/compile/internal/ssagen/ssa.go",
    ] {
        let (f, b) = check_file(&src.join(rel));
        total.0 += f;
        total.1 += b;
    }
    eprintln!("{} functions, {} blocks", total.0, total.1);
    assert!(total.0 > 1000);
}

/// The whole of GOROOT/src, with timings:
/// `cargo test -p mapvet_semantic cfg_goroot_all -- --ignored --nocapture`.
#[test]
#[ignore]
fn cfg_goroot_all() {
    // CFG_ROOT overrides the tree (e.g. `$(go env GOROOT)/test`, full of invalid programs).
    let Some(src) = std::env::var_os("CFG_ROOT")
        .map(std::path::PathBuf::from)
        .or_else(goroot_src)
    else {
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "go") {
                files.push(p);
            }
        }
    }
    files.sort();
    let t = std::time::Instant::now();
    let mut total = (0, 0);
    for p in &files {
        let (f, b) = check_file(p);
        total.0 += f;
        total.1 += b;
    }
    eprintln!(
        "{} files, {} functions, {} blocks, {:?} (with checks)",
        files.len(),
        total.0,
        total.1,
        t.elapsed()
    );
    // Timing of the bare CFG construction (parse excluded), then of dominators: per file, the
    // best of 5 runs (the machine is shared).
    let (mut enumerate, mut build, mut dom, mut lines) = (
        std::time::Duration::MAX,
        std::time::Duration::ZERO,
        std::time::Duration::ZERO,
        0,
    );
    enumerate = std::time::Duration::ZERO.min(enumerate);
    for p in &files {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        lines += bytes.iter().filter(|&&c| c == b'\n').count();
        let arena = mapvet_syntax::Bump::new();
        let parsed = mapvet_syntax::parse_file(&arena, &bytes);
        let best = |f: &mut dyn FnMut()| {
            (0..5)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        enumerate += best(&mut || {
            std::hint::black_box(file_functions(parsed.file));
        });
        let fs = file_functions(parsed.file);
        build += best(&mut || {
            for f in &fs {
                std::hint::black_box(Cfg::build_default(f.body));
            }
        });
        let cfgs: Vec<_> = fs.iter().map(|f| Cfg::build_default(f.body)).collect();
        dom += best(&mut || {
            for c in &cfgs {
                std::hint::black_box(c.dominators());
            }
        });
    }
    eprintln!("{lines} lines: file_functions {enumerate:?}, build {build:?}, dominators {dom:?}");
}
