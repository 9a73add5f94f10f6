//! Control-flow graphs of Go function bodies.
//!
//! The CFG is purely syntactic: it is built from the AST alone, before and independently of type
//! checking. One [`Cfg`] is built per function body: every `FuncDecl` with a body and every
//! `FuncLit` ([`file_functions`] enumerates them with stable indices). A function literal is
//! *not* inlined into its parent: in the parent's CFG it is an opaque expression inside some
//! node, and it has its own CFG.
//!
//! # Shape
//!
//! - A [`Cfg`] has one entry block ([`Cfg::entry`], always `BlockId(0)`) and one exit block
//!   ([`Cfg::exit`]). `return` statements and falling off the end of the body reach the exit
//!   with an [`EdgeKind::Return`] edge; calls that never return (see [`NoReturn`]) reach it
//!   with an [`EdgeKind::Panic`] or [`EdgeKind::Exit`] edge.
//! - A block holds [`Node`]s in evaluation order: atomic statements (assignments, expression
//!   statements, sends, `go`, `defer`, `return`, ...) and control points (an `if`/`for`
//!   condition, a switch tag, a case expression, a range operand and the range loop head, ...).
//!   A block that branches ends with its control node, and its out-edges say how the branch
//!   went ([`EdgeKind::True`]/[`EdgeKind::False`] after a [`Node::Cond`], ...).
//! - Conditions of `if`, `for` and tagless `switch` cases are split at `&&` and `||` (and `!`
//!   around them), like `golang.org/x/tools/go/cfg`: every [`Node::Cond`] is an atomic condition
//!   (never an `&&`/`||`), so an analysis refining on `m != nil && m[k] > 0` sees each part
//!   on its own edge.
//! - Deferred calls: each `defer` statement is a [`Node::Defer`] where it is executed (the
//!   call's function value and arguments are evaluated there), and it is listed in
//!   [`Cfg::defers`] in source order. The exit block holds one [`Node::RunDefer`] per `defer`
//!   statement in *reverse* source order (LIFO), so a forward analysis that reaches the exit runs
//!   them. They run on `return` and on panics ([`EdgeKind::Panic`]), not after `os.Exit`
//!   ([`EdgeKind::Exit`]); a `defer` may also not have executed on every path to the exit (an
//!   analysis that cares tracks the [`Node::Defer`] nodes it went through).
//! - Code that cannot be reached (after `return`, `break`, `goto`, `panic(...)`, `select {}`,
//!   an infinite loop) is kept in blocks that are not reachable from the entry
//!   ([`Cfg::is_reachable`]). Blocks are numbered in reverse postorder: reachable blocks
//!   first (`0..cfg.num_reachable()`, the exit last among them when it is reachable), then
//!   the unreachable ones (the exit last of all when nothing reaches it: `for {}`).
//! - Empty blocks that only pass control on (the empty body of `if c {}`, a clause ending in
//!   `continue`, ...) are removed: the edge leading to them leads to their successor instead,
//!   keeping its kind. So an edge may go straight to a join, and a branching block may have its
//!   `True` and `False` edges (or `CaseMatch` and `CaseNoMatch`) go to the same block.
//! - Which edges leave a block is determined by its last node: [`Node::Cond`] → `True`,
//!   `False`; [`Node::Case`] → `CaseMatch`, `CaseNoMatch`; [`Node::TypeSwitchGuard`] →
//!   `CaseMatch`* then `CaseNoMatch`; [`Node::RangeNext`] → `RangeBody`, `RangeExit`;
//!   [`Node::Select`] → `SelectCase`* (one per clause, in source order); [`Node::Return`] →
//!   `Return`; a no-return call → `Panic` or `Exit`; anything else → `Normal` edges (one,
//!   or none for the exit). Within one block, [`Cfg::succs`] keeps this order.
//!
//! # Using it
//!
//! A rule enumerates a file's bodies with [`file_functions`], builds each graph with
//! [`Cfg::build`] (passing a type-aware `no_return` predicate) and runs a forward analysis with
//! [`crate::dataflow::solve`]; it then replays each reachable block
//! ([`crate::dataflow::Results::replay`]) to look at the state before each node it cares
//! about. [`Cfg::dominators`] answers "does this check dominate that store"
//! ([`Dominators::dominates_node`], [`Cfg::edge_dominates`] for "only when that condition
//! was true"). [`Cfg::to_string`] prints a graph for tests and debugging.
//!
//! Cost: building allocates the result only (nodes, blocks, edges; the `defer` and label
//! lists when there are some); temporaries live in per-thread scratch vectors. Over all of
//! GOROOT/src (2.85 M lines, 101 k bodies) building every CFG takes about 75 ms on one core.
//!
//! # Example
//!
//! ```
//! use mapvet_semantic::cfg::{file_functions, Cfg};
//! let src = "package p\nfunc f(m map[string]int) {\n\tif m == nil {\n\t\treturn\n\t}\n\tm[\"a\"] = 1\n}\n";
//! let arena = mapvet_syntax::Bump::new();
//! let parsed = mapvet_syntax::parse_file(&arena, src.as_bytes());
//! let f = file_functions(parsed.file)[0];
//! let cfg = Cfg::build_default(f.body);
//! assert_eq!(cfg.num_blocks(), 4);
//! print!("{}", cfg.to_string(src.as_bytes()));
//! ```

use mapvet_syntax::ast::*;
use mapvet_syntax::token::Tok;
use mapvet_syntax::Span;

/// Index of a basic block in its [`Cfg`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

impl BlockId {
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A node position: the `index`-th node of `block`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeRef {
    pub block: BlockId,
    pub index: u32,
}

/// How control leaves a block along an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Unconditional sequencing (including loop back edges, `break`, `continue`, `goto`,
    /// `fallthrough`).
    Normal,
    /// The block's last node is a [`Node::Cond`] and it evaluated to true.
    True,
    /// The block's last node is a [`Node::Cond`] and it evaluated to false.
    False,
    /// Expression switch: the block's last node is a [`Node::Case`] and the tag equals the case
    /// expression. Type switch: from the [`Node::TypeSwitchGuard`] block to a non-default
    /// clause (whose first node, [`Node::TypeCase`], says which types matched).
    CaseMatch,
    /// Expression switch: the case expression of the block's last [`Node::Case`] did not match;
    /// leads to the next case test, or to the `default` clause / the end of the switch after the
    /// last test. Type switch: from the guard to the `default` clause or the end of the switch.
    CaseNoMatch,
    /// From a [`Node::RangeNext`] block into the loop body (one more iteration).
    RangeBody,
    /// From a [`Node::RangeNext`] block out of the loop (iteration is over).
    RangeExit,
    /// From a [`Node::Select`] block to the clause chosen (`default` included).
    SelectCase,
    /// To the exit block: a `return` statement, or falling off the end of the body.
    Return,
    /// To the exit block: a call that panics or ends the goroutine (deferred calls run).
    Panic,
    /// To the exit block: a call that ends the process (`os.Exit`, `log.Fatal`; deferred calls
    /// do not run).
    Exit,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Normal => "",
            EdgeKind::True => "true",
            EdgeKind::False => "false",
            EdgeKind::CaseMatch => "match",
            EdgeKind::CaseNoMatch => "nomatch",
            EdgeKind::RangeBody => "body",
            EdgeKind::RangeExit => "done",
            EdgeKind::SelectCase => "case",
            EdgeKind::Return => "return",
            EdgeKind::Panic => "panic",
            EdgeKind::Exit => "exit",
        }
    }
}

/// A successor (in [`Cfg::succs`]) or predecessor (in [`Cfg::preds`]) edge: the block at the
/// other end, and the kind of the edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub block: BlockId,
    pub kind: EdgeKind,
}

/// What a call that never returns does, as told by the `no_return` predicate of
/// [`Cfg::build`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoReturn {
    /// The goroutine unwinds and deferred calls run: `panic`, `log.Panic*`, `runtime.Goexit`,
    /// `testing.T.Fatal*`/`FailNow`/`Skip*` (which call `runtime.Goexit`).
    Panic,
    /// The process exits at once, deferred calls do not run: `os.Exit`, `log.Fatal*`.
    Exit,
}

/// Why a block was created; only used to make printed CFGs readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Entry,
    Exit,
    IfThen,
    IfElse,
    IfDone,
    /// The right operand of `&&`/`||` in a condition.
    CondRhs,
    ForHead,
    ForBody,
    ForPost,
    ForDone,
    RangeHead,
    RangeBody,
    RangeDone,
    /// A case-expression test of an expression switch (after the first).
    SwitchCase,
    SwitchBody,
    SwitchDone,
    TypeSwitchBody,
    TypeSwitchDone,
    SelectCase,
    SelectDone,
    /// The statement of a label (target of `goto`); see [`Cfg::label_block`].
    Label,
    /// Code after `return`, `break`, `continue`, `goto`, `fallthrough` or a no-return call.
    Dead,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Entry => "entry",
            BlockKind::Exit => "exit",
            BlockKind::IfThen => "if.then",
            BlockKind::IfElse => "if.else",
            BlockKind::IfDone => "if.done",
            BlockKind::CondRhs => "cond.rhs",
            BlockKind::ForHead => "for.head",
            BlockKind::ForBody => "for.body",
            BlockKind::ForPost => "for.post",
            BlockKind::ForDone => "for.done",
            BlockKind::RangeHead => "range.head",
            BlockKind::RangeBody => "range.body",
            BlockKind::RangeDone => "range.done",
            BlockKind::SwitchCase => "switch.case",
            BlockKind::SwitchBody => "switch.body",
            BlockKind::SwitchDone => "switch.done",
            BlockKind::TypeSwitchBody => "typeswitch.body",
            BlockKind::TypeSwitchDone => "typeswitch.done",
            BlockKind::SelectCase => "select.case",
            BlockKind::SelectDone => "select.done",
            BlockKind::Label => "label",
            BlockKind::Dead => "dead",
        }
    }
}

/// One step of a block, in evaluation order. Every variant refers into the AST.
#[derive(Clone, Copy, Debug)]
pub enum Node<'a> {
    /// `x = y`, `x := y`, `x op= y`.
    Assign(&'a AssignStmt<'a>),
    /// An expression statement (usually a call or a receive).
    Expr(&'a ExprStmt<'a>),
    IncDec(&'a IncDecStmt<'a>),
    Send(&'a SendStmt<'a>),
    /// `var`/`const`/`type` declaration inside the body.
    Decl(&'a DeclStmt<'a>),
    /// `go f(x)`: the function value and arguments are evaluated here, then the call starts
    /// concurrently (a `FuncLit` callee has its own CFG).
    Go(&'a GoStmt<'a>),
    /// `defer f(x)`: the function value and arguments are evaluated here; the call itself is the
    /// matching [`Node::RunDefer`] in the exit block.
    Defer(&'a DeferStmt<'a>),
    /// A `return` statement (with or without results); always followed by an
    /// [`EdgeKind::Return`] edge to the exit.
    Return(&'a ReturnStmt<'a>),
    /// An atomic condition (`if`, `for`, a case of a tagless `switch`, or an operand of `&&`/`||`
    /// in one of those); the block ends here with a [`EdgeKind::True`] and a [`EdgeKind::False`]
    /// edge. Parentheses are removed; never a `&&`/`||` expression.
    Cond(Expr<'a>),
    /// Evaluation of the tag of `switch tag { ... }` (only when there is a tag).
    SwitchTag(&'a SwitchStmt<'a>),
    /// `tag == expr` test of one case expression of a tagged switch; the block ends here with a
    /// [`EdgeKind::CaseMatch`] and a [`EdgeKind::CaseNoMatch`] edge.
    Case {
        switch: &'a SwitchStmt<'a>,
        clause: &'a CaseClause<'a>,
        expr: Expr<'a>,
    },
    /// Evaluation of the guard `x := y.(type)` of a type switch; the block ends here with one
    /// [`EdgeKind::CaseMatch`] edge per non-default clause and one [`EdgeKind::CaseNoMatch`]
    /// edge (to `default` or past the switch).
    TypeSwitchGuard(&'a TypeSwitchStmt<'a>),
    /// First node of every clause of a type switch: the clause was chosen and its symbol (`x`
    /// in `x := y.(type)`) is bound.
    TypeCase {
        switch: &'a TypeSwitchStmt<'a>,
        clause: &'a CaseClause<'a>,
    },
    /// Evaluation of the range operand `x` of `for ... range x`, once, before the loop.
    RangeOperand(&'a RangeStmt<'a>),
    /// The loop head of a range loop: fetch the next element and assign the key and value (if
    /// any); the block ends here with a [`EdgeKind::RangeBody`] and a [`EdgeKind::RangeExit`]
    /// edge (the assignment really happens only on the `RangeBody` edge).
    RangeNext(&'a RangeStmt<'a>),
    /// Entry of a `select`: channel operands and sent values of all clauses are evaluated;
    /// the block ends here with one [`EdgeKind::SelectCase`] edge per clause (none for
    /// `select {}`, which blocks forever).
    Select(&'a SelectStmt<'a>),
    /// First node of a non-default `select` clause: the clause's communication (`clause.comm`,
    /// a send, a receive, or an assignment of a receive, e.g. `v, ok := <-ch` or
    /// `m[k] = <-ch`) happens here.
    Comm {
        select: &'a SelectStmt<'a>,
        clause: &'a CommClause<'a>,
    },
    /// A deferred call run at function exit (exit block only, LIFO order).
    RunDefer(&'a DeferStmt<'a>),
}

impl<'a> Node<'a> {
    /// The source span the node stands for (a statement, an expression, or the head of a
    /// construct).
    pub fn span(&self) -> Span {
        match *self {
            Node::Assign(s) => s.span,
            Node::Expr(s) => s.span,
            Node::IncDec(s) => s.span,
            Node::Send(s) => s.span,
            Node::Decl(s) => s.span,
            Node::Go(s) => s.span,
            Node::Defer(s) => s.span,
            Node::Return(s) => s.span,
            Node::Cond(e) => e.span(),
            Node::SwitchTag(s) => s.tag.map_or(s.span, |t| t.span()),
            Node::Case { expr, .. } => expr.span(),
            Node::TypeSwitchGuard(s) => s.assign.span(),
            Node::TypeCase { clause, .. } => clause.span,
            Node::RangeOperand(r) => r.x.span(),
            Node::RangeNext(r) => Span::new(r.span.start, r.x.span().end),
            Node::Select(s) => s.span,
            Node::Comm { clause, .. } => clause.comm.map_or(clause.span, |c| c.span()),
            Node::RunDefer(d) => d.call.span,
        }
    }

    /// The statement this node is, for the atomic statement nodes.
    pub fn as_stmt(&self) -> Option<Stmt<'a>> {
        Some(match *self {
            Node::Assign(s) => Stmt::Assign(s),
            Node::Expr(s) => Stmt::Expr(s),
            Node::IncDec(s) => Stmt::IncDec(s),
            Node::Send(s) => Stmt::Send(s),
            Node::Decl(s) => Stmt::Decl(s),
            Node::Go(s) => Stmt::Go(s),
            Node::Defer(s) => Stmt::Defer(s),
            Node::Return(s) => Stmt::Return(s),
            _ => return None,
        })
    }
}

/// The default, purely syntactic `no_return` predicate: the builtin `panic` (by name),
/// `log.Panic`, `log.Panicf`, `log.Panicln`, `runtime.Goexit` ([`NoReturn::Panic`]);
/// `os.Exit`, `log.Fatal`, `log.Fatalf`, `log.Fatalln` ([`NoReturn::Exit`]). Package names are
/// matched syntactically (a local variable named `os` would fool it); a type-aware caller
/// supplies its own predicate (and adds `t.Fatal`, `t.FailNow`, `t.Skip*`, ...).
pub fn default_no_return(call: &CallExpr<'_>) -> Option<NoReturn> {
    match call.fun.unparen() {
        Expr::Ident(id) if id.name == "panic" => Some(NoReturn::Panic),
        Expr::Selector(sel) => {
            let Expr::Ident(pkg) = sel.x.unparen() else {
                return None;
            };
            match (pkg.name, sel.sel.name) {
                ("os", "Exit") | ("log", "Fatal" | "Fatalf" | "Fatalln") => Some(NoReturn::Exit),
                ("log", "Panic" | "Panicf" | "Panicln") | ("runtime", "Goexit") => {
                    Some(NoReturn::Panic)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[derive(Clone, Copy, Debug)]
struct BlockData {
    kind: BlockKind,
    nodes: (u32, u32),
    succs: (u32, u32),
    preds: (u32, u32),
}

/// The control-flow graph of one function body. See the module documentation.
pub struct Cfg<'a> {
    /// The body the graph was built from.
    pub body: &'a BlockStmt<'a>,
    /// Always `BlockId(0)`.
    pub entry: BlockId,
    pub exit: BlockId,
    /// Every `defer` statement of the body (not of nested function literals), in source order.
    pub defers: Vec<&'a DeferStmt<'a>>,
    blocks: Vec<BlockData>,
    nodes: Vec<Node<'a>>,
    /// Successor lists, then predecessor lists.
    edges: Vec<Edge>,
    num_reachable: u32,
    labels: Vec<(&'a str, BlockId)>,
}

impl<'a> Cfg<'a> {
    /// Builds the CFG of a function body with the syntactic [`default_no_return`] predicate.
    pub fn build_default(body: &'a BlockStmt<'a>) -> Cfg<'a> {
        Cfg::build(body, &default_no_return)
    }

    /// Builds the CFG of a function body. `no_return` says which calls never return: an
    /// expression statement whose expression is such a call ends its block with a
    /// [`EdgeKind::Panic`] or [`EdgeKind::Exit`] edge to the exit block. Never panics, on any
    /// tree the parser produces (invalid code included), and never overflows the stack.
    pub fn build(
        body: &'a BlockStmt<'a>,
        no_return: &dyn Fn(&CallExpr<'a>) -> Option<NoReturn>,
    ) -> Cfg<'a> {
        with_scratch(|sc| {
            let mut b = Builder::new(sc, body, no_return);
            b.stmts(body.list);
            b.finish(body)
        })
    }

    /// Number of blocks (reachable or not).
    #[inline]
    pub fn num_blocks(&self) -> usize {
        self.blocks.len()
    }

    /// All block ids, in order (reachable ones first, in reverse postorder).
    pub fn blocks(&self) -> impl DoubleEndedIterator<Item = BlockId> + ExactSizeIterator {
        (0..self.blocks.len() as u32).map(BlockId)
    }

    /// Number of blocks reachable from the entry; they are `BlockId(0..num_reachable)`.
    #[inline]
    pub fn num_reachable(&self) -> usize {
        self.num_reachable as usize
    }

    /// Whether `b` is reachable from the entry (along any edges: no condition is evaluated).
    #[inline]
    pub fn is_reachable(&self, b: BlockId) -> bool {
        b.0 < self.num_reachable
    }

    /// The reachable blocks in reverse postorder (every block comes before its successors
    /// except along back edges; the exit is last). The block numbering *is* this order.
    pub fn rpo(&self) -> impl DoubleEndedIterator<Item = BlockId> + ExactSizeIterator {
        (0..self.num_reachable).map(BlockId)
    }

    /// Position of `b` in [`Cfg::rpo`], `None` when `b` is unreachable.
    #[inline]
    pub fn rpo_index(&self, b: BlockId) -> Option<usize> {
        self.is_reachable(b).then_some(b.index())
    }

    #[inline]
    pub fn kind(&self, b: BlockId) -> BlockKind {
        self.blocks[b.index()].kind
    }

    /// The nodes of `b` in evaluation order.
    #[inline]
    pub fn nodes(&self, b: BlockId) -> &[Node<'a>] {
        let (s, e) = self.blocks[b.index()].nodes;
        &self.nodes[s as usize..e as usize]
    }

    #[inline]
    pub fn node(&self, at: NodeRef) -> &Node<'a> {
        &self.nodes(at.block)[at.index as usize]
    }

    /// The last node of `b`: for a branching block, the node the branch depends on.
    #[inline]
    pub fn last_node(&self, b: BlockId) -> Option<&Node<'a>> {
        self.nodes(b).last()
    }

    /// Every node of every block (reachable or not), with its position.
    pub fn all_nodes(&self) -> impl Iterator<Item = (NodeRef, &Node<'a>)> + '_ {
        self.blocks().flat_map(move |b| {
            self.nodes(b).iter().enumerate().map(move |(i, n)| {
                (
                    NodeRef {
                        block: b,
                        index: i as u32,
                    },
                    n,
                )
            })
        })
    }

    /// Successor edges of `b` (in a fixed order: true before false, match before no-match,
    /// clauses in source order).
    #[inline]
    pub fn succs(&self, b: BlockId) -> &[Edge] {
        let (s, e) = self.blocks[b.index()].succs;
        &self.edges[s as usize..e as usize]
    }

    /// Predecessor edges of `b` (`Edge::block` is the predecessor).
    #[inline]
    pub fn preds(&self, b: BlockId) -> &[Edge] {
        let (s, e) = self.blocks[b.index()].preds;
        &self.edges[s as usize..e as usize]
    }

    /// The block of the statement labelled `name` (the target of `goto name`).
    pub fn label_block(&self, name: &str) -> Option<BlockId> {
        self.labels
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, b)| b)
    }

    /// Locates the node whose span contains `offset` most tightly (ties: the lowest block id,
    /// so reachable blocks first); e.g. the node of the statement containing a given expression. Nodes of a nested
    /// function literal's body are not in this CFG: the offset of an expression inside it
    /// yields the node containing the literal. Linear in the number of nodes.
    pub fn node_at(&self, offset: u32) -> Option<NodeRef> {
        let mut best: Option<(NodeRef, u32)> = None;
        for (at, n) in self.all_nodes() {
            let sp = n.span();
            if sp.start <= offset && offset < sp.end.max(sp.start + 1) {
                let len = sp.end - sp.start;
                match best {
                    Some((_, l)) if l <= len => {}
                    _ => best = Some((at, len)),
                }
            }
        }
        best.map(|(at, _)| at)
    }

    /// Computes the dominator tree (Cooper, Harvey and Kennedy's iterative algorithm).
    pub fn dominators(&self) -> Dominators {
        let n = self.num_reachable as usize;
        // (idom, preorder, postorder) per reachable block.
        let mut info = vec![[NONE, 0, 0]; n];
        if n == 0 {
            return Dominators { info };
        }
        info[0][0] = 0;
        let mut changed = true;
        while changed {
            changed = false;
            for b in 1..n {
                let mut new_idom = NONE;
                for p in self.preds(BlockId(b as u32)) {
                    let p = p.block.0;
                    if p as usize >= n || info[p as usize][0] == NONE {
                        continue;
                    }
                    new_idom = if new_idom == NONE {
                        p
                    } else {
                        // Block ids are reverse-postorder numbers.
                        let (mut x, mut y) = (p, new_idom);
                        while x != y {
                            while x > y {
                                x = info[x as usize][0];
                            }
                            while y > x {
                                y = info[y as usize][0];
                            }
                        }
                        x
                    };
                }
                if info[b][0] != new_idom {
                    info[b][0] = new_idom;
                    changed = true;
                }
            }
        }
        // Pre/post numbering of the dominator tree for O(1) queries.
        with_scratch(|sc| {
            let first = &mut sc.counts;
            first.clear();
            first.resize(n + 1, 0);
            for b in 1..n {
                first[info[b][0] as usize + 1] += 1;
            }
            for i in 1..=n {
                first[i] += first[i - 1];
            }
            let fill = &mut sc.start;
            fill.clear();
            fill.extend_from_slice(first);
            let children = &mut sc.order;
            children.clear();
            children.resize(n, 0);
            for (b, inf) in info.iter().enumerate().skip(1) {
                let p = inf[0] as usize;
                children[fill[p] as usize] = b as u32;
                fill[p] += 1;
            }
            let mut clock = 1u32;
            let stack = &mut sc.dfs;
            stack.clear();
            stack.push((0, first[0]));
            while let Some(top) = stack.last_mut() {
                let (b, next) = *top;
                if next < first[b as usize + 1] {
                    top.1 += 1;
                    let c = children[next as usize];
                    info[c as usize][1] = clock;
                    clock += 1;
                    stack.push((c, first[c as usize]));
                } else {
                    info[b as usize][2] = clock;
                    clock += 1;
                    stack.pop();
                }
            }
        });
        Dominators { info }
    }

    /// Whether every path from the entry to `b` goes through the edge `from -> to` (the
    /// successor edge of `from` with index `succ_index` in [`Cfg::succs`]), e.g. "this block only
    /// runs when that condition was true". False when `b` is unreachable.
    pub fn edge_dominates(
        &self,
        doms: &Dominators,
        from: BlockId,
        succ_index: usize,
        b: BlockId,
    ) -> bool {
        let Some(edge) = self.succs(from).get(succ_index) else {
            return false;
        };
        let to = edge.block;
        if !self.is_reachable(from) || !doms.dominates(to, b) {
            return false;
        }
        // Every other way into `to` must come from inside the region `to` dominates.
        let mut seen_self = false;
        for p in self.preds(to) {
            if p.block == from && p.kind == edge.kind && !seen_self {
                seen_self = true;
                continue;
            }
            if self.is_reachable(p.block) && !doms.dominates(to, p.block) {
                return false;
            }
        }
        true
    }

    /// A readable dump of the graph, one block after the other:
    ///
    /// ```text
    /// b0 entry
    ///   x := 0
    ///   cond x > 0
    ///   -> b1 (true), b2 (false)
    /// ```
    ///
    /// Statements are printed as their source text (whitespace collapsed); control nodes as
    /// `cond E`, `tag E`, `case E`, `typeswitch S`, `typecase T, U`/`typecase default`,
    /// `range X`, `next K, V`, `select`, `comm S`/`comm default`, `rundefer CALL`. Blocks not
    /// reachable from the entry are marked `(unreachable)`; edge kinds other than `Normal`
    /// are printed in parentheses.
    #[allow(clippy::inherent_to_string)]
    pub fn to_string(&self, src: &[u8]) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        for b in self.blocks() {
            let _ = write!(out, "b{} {}", b.0, self.kind(b).as_str());
            for (name, _) in self.labels.iter().filter(|(_, lb)| *lb == b) {
                let _ = write!(out, " {name}:");
            }
            if !self.is_reachable(b) {
                out.push_str(" (unreachable)");
            }
            out.push('\n');
            for n in self.nodes(b) {
                out.push_str("  ");
                write_node(&mut out, src, n);
                out.push('\n');
            }
            let succs = self.succs(b);
            if !succs.is_empty() {
                out.push_str("  ->");
                for (i, e) in succs.iter().enumerate() {
                    let _ = write!(out, "{} b{}", if i == 0 { "" } else { "," }, e.block.0);
                    if e.kind != EdgeKind::Normal {
                        let _ = write!(out, " ({})", e.kind.as_str());
                    }
                }
                out.push('\n');
            }
        }
        out
    }
}

fn push_src(out: &mut String, src: &[u8], span: Span) {
    let text = src
        .get(span.start as usize..span.end as usize)
        .unwrap_or(b"?");
    let text = String::from_utf8_lossy(text);
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.ends_with(' ') && !out.ends_with('\n') {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
}

fn write_node(out: &mut String, src: &[u8], n: &Node<'_>) {
    let prefix = |out: &mut String, p: &str, span: Option<Span>| {
        out.push_str(p);
        if let Some(span) = span {
            out.push(' ');
            push_src(out, src, span);
        }
    };
    match *n {
        Node::Cond(e) => prefix(out, "cond", Some(e.span())),
        Node::SwitchTag(s) => prefix(out, "tag", s.tag.map(|t| t.span())),
        Node::Case { expr, .. } => prefix(out, "case", Some(expr.span())),
        Node::TypeSwitchGuard(s) => prefix(out, "typeswitch", Some(s.assign.span())),
        Node::TypeCase { clause, .. } => match (clause.list.first(), clause.list.last()) {
            (Some(f), Some(l)) => prefix(out, "typecase", Some(f.span().to(l.span()))),
            _ => prefix(out, "typecase default", None),
        },
        Node::RangeOperand(r) => prefix(out, "range", Some(r.x.span())),
        Node::RangeNext(r) => {
            out.push_str("next");
            if let Some(k) = r.key {
                out.push(' ');
                push_src(out, src, k.span());
            }
            if let Some(v) = r.value {
                out.push_str(", ");
                push_src(out, src, v.span());
            }
        }
        Node::Select(_) => out.push_str("select"),
        Node::Comm { clause, .. } => match clause.comm {
            Some(c) => prefix(out, "comm", Some(c.span())),
            None => out.push_str("comm default"),
        },
        Node::RunDefer(d) => prefix(out, "rundefer", Some(d.call.span)),
        _ => push_src(out, src, n.span()),
    }
}

/// The dominator tree of a [`Cfg`] ([`Cfg::dominators`]). Unreachable blocks dominate nothing
/// and are dominated by nothing.
pub struct Dominators {
    /// (immediate dominator, preorder, postorder) per reachable block.
    info: Vec<[u32; 3]>,
}

impl Dominators {
    /// The immediate dominator of `b`; `None` for the entry and unreachable blocks.
    pub fn idom(&self, b: BlockId) -> Option<BlockId> {
        if b.0 == 0 || b.index() >= self.info.len() {
            return None;
        }
        Some(BlockId(self.info[b.index()][0]))
    }

    /// Whether every path from the entry to `b` goes through `a` (reflexive).
    #[inline]
    pub fn dominates(&self, a: BlockId, b: BlockId) -> bool {
        match (self.info.get(a.index()), self.info.get(b.index())) {
            (Some(a), Some(b)) => a[1] <= b[1] && b[2] <= a[2],
            _ => false,
        }
    }

    #[inline]
    pub fn strictly_dominates(&self, a: BlockId, b: BlockId) -> bool {
        a != b && self.dominates(a, b)
    }

    /// Whether every path from the entry to node `b` goes through node `a` first (reflexive;
    /// within one block, by node order).
    pub fn dominates_node(&self, a: NodeRef, b: NodeRef) -> bool {
        if a.block == b.block {
            a.index <= b.index && self.dominates(a.block, a.block)
        } else {
            self.dominates(a.block, b.block)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Builder

const UNOPENED: u32 = u32::MAX;
const NONE: u32 = u32::MAX;
/// Stack headroom checked every `STACK_CHECK_EVERY` levels of recursion.
const RED_ZONE: usize = 256 * 1024;
const STACK_SEGMENT: usize = 4 * 1024 * 1024;
/// A power of two.
const STACK_CHECK_EVERY: u32 = 16;

/// A `break`/`continue` target; `label` indexes `Builder::labels` (`NONE`: unlabelled).
struct Target {
    label: u32,
    brk: BlockId,
    cont: Option<BlockId>,
}

struct LabelInfo<'a> {
    name: &'a str,
    block: BlockId,
    defined: bool,
}

/// Temporary vectors of CFG construction and dominator computation, kept per thread so that
/// building a CFG allocates little more than its result.
#[derive(Default)]
struct Scratch {
    /// Per block: kind, node range (contiguous: a block is "current" exactly once).
    blocks: Vec<(BlockKind, u32, u32)>,
    /// (from, edge), in creation order.
    edges: Vec<(u32, Edge)>,
    targets: Vec<Target>,
    /// Stack of per-clause blocks of the switches/selects being built.
    clauses: Vec<BlockId>,
    start: Vec<u32>,
    succs: Vec<Edge>,
    fwd: Vec<u32>,
    flags: Vec<u8>,
    counts: Vec<u32>,
    stack: Vec<u32>,
    post: Vec<u32>,
    dfs: Vec<(u32, u32)>,
    order: Vec<u32>,
    new_id: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch vectors (fresh ones if they are in use).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    let mut sc = SCRATCH
        .with(|c| c.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)))
        .unwrap_or_default();
    let r = f(&mut sc);
    SCRATCH.with(|c| {
        if let Ok(mut s) = c.try_borrow_mut() {
            *s = sc;
        }
    });
    r
}

struct Builder<'a, 'p> {
    no_return: &'p dyn Fn(&CallExpr<'a>) -> Option<NoReturn>,
    sc: &'p mut Scratch,
    nodes: Vec<Node<'a>>,
    cur: BlockId,
    exit: BlockId,
    labels: Vec<LabelInfo<'a>>,
    defers: Vec<&'a DeferStmt<'a>>,
    fallthrough: Option<BlockId>,
    /// Label (index in `labels`) of the loop/switch/select statement about to be built.
    pending_label: u32,
    /// Recursion depth, to check the stack only now and then.
    depth: u32,
}

impl<'a, 'p> Builder<'a, 'p> {
    fn new(
        sc: &'p mut Scratch,
        body: &'a BlockStmt<'a>,
        no_return: &'p dyn Fn(&CallExpr<'a>) -> Option<NoReturn>,
    ) -> Self {
        sc.blocks.clear();
        sc.edges.clear();
        sc.targets.clear();
        sc.clauses.clear();
        let mut b = Builder {
            no_return,
            sc,
            nodes: Vec::with_capacity(2 * body.list.len() + 4),
            cur: BlockId(0),
            exit: BlockId(1),
            labels: Vec::new(),
            defers: Vec::new(),
            fallthrough: None,
            pending_label: NONE,
            depth: 0,
        };
        let entry = b.new_block(BlockKind::Entry);
        b.sc.blocks[entry.index()] = (BlockKind::Entry, 0, 0);
        let exit = b.new_block(BlockKind::Exit);
        debug_assert_eq!(exit, b.exit);
        b
    }

    fn new_block(&mut self, kind: BlockKind) -> BlockId {
        let id = BlockId(self.sc.blocks.len() as u32);
        self.sc.blocks.push((kind, UNOPENED, UNOPENED));
        id
    }

    fn set_current(&mut self, b: BlockId) {
        let n = self.nodes.len() as u32;
        self.sc.blocks[self.cur.index()].2 = n;
        let blk = &mut self.sc.blocks[b.index()];
        debug_assert_eq!(blk.1, UNOPENED, "block made current twice");
        blk.1 = n;
        blk.2 = n;
        self.cur = b;
    }

    /// Runs `f` one recursion level deeper, growing the stack when it runs low. Bodies can nest
    /// 100k levels deep (the parser's limit) and conditions can chain thousands of `&&`.
    #[inline(always)]
    fn deeper(&mut self, f: impl FnOnce(&mut Self)) {
        self.depth += 1;
        if self.depth & (STACK_CHECK_EVERY - 1) == 0 {
            stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || f(self));
        } else {
            f(self);
        }
        self.depth -= 1;
    }

    #[inline]
    fn add(&mut self, n: Node<'a>) {
        self.nodes.push(n);
    }

    #[inline]
    fn edge(&mut self, from: BlockId, to: BlockId, kind: EdgeKind) {
        self.sc.edges.push((from.0, Edge { block: to, kind }));
    }

    #[inline]
    fn jump(&mut self, to: BlockId) {
        self.edge(self.cur, to, EdgeKind::Normal);
    }

    /// Continues in a fresh block that nothing jumps to (code after a jump).
    fn dead(&mut self) {
        let b = self.new_block(BlockKind::Dead);
        self.set_current(b);
    }

    fn stmts(&mut self, list: &'a [Stmt<'a>]) {
        for s in list {
            self.stmt(*s);
        }
    }

    fn stmt(&mut self, s: Stmt<'a>) {
        self.deeper(|b| b.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: Stmt<'a>) {
        match s {
            Stmt::Bad(_) | Stmt::Empty(_) => {}
            Stmt::Decl(d) => self.add(Node::Decl(d)),
            Stmt::Assign(a) => self.add(Node::Assign(a)),
            Stmt::IncDec(x) => self.add(Node::IncDec(x)),
            Stmt::Send(x) => self.add(Node::Send(x)),
            Stmt::Go(g) => self.add(Node::Go(g)),
            Stmt::Defer(d) => {
                self.add(Node::Defer(d));
                self.defers.push(d);
            }
            Stmt::Expr(e) => {
                self.add(Node::Expr(e));
                if let Expr::Call(c) = e.x.unparen() {
                    if let Some(k) = (self.no_return)(c) {
                        let kind = match k {
                            NoReturn::Panic => EdgeKind::Panic,
                            NoReturn::Exit => EdgeKind::Exit,
                        };
                        self.edge(self.cur, self.exit, kind);
                        self.dead();
                    }
                }
            }
            Stmt::Return(r) => {
                self.add(Node::Return(r));
                self.edge(self.cur, self.exit, EdgeKind::Return);
                self.dead();
            }
            Stmt::Labeled(l) => {
                let idx = self.define_label(l.label.name);
                let b = self.labels[idx as usize].block;
                self.jump(b);
                self.set_current(b);
                if matches!(
                    l.stmt,
                    Stmt::For(_)
                        | Stmt::Range(_)
                        | Stmt::Switch(_)
                        | Stmt::TypeSwitch(_)
                        | Stmt::Select(_)
                ) {
                    self.pending_label = idx;
                }
                self.stmt(l.stmt);
            }
            Stmt::Branch(b) => self.branch(b),
            Stmt::Block(b) => self.stmts(b.list),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::For(f) => self.for_stmt(f),
            Stmt::Range(r) => self.range_stmt(r),
            Stmt::Switch(sw) => self.switch_stmt(sw),
            Stmt::TypeSwitch(sw) => self.type_switch_stmt(sw),
            Stmt::Select(sel) => self.select_stmt(sel),
            // Only inside switch/select bodies, handled there.
            Stmt::CaseClause(_) | Stmt::CommClause(_) => {}
        }
    }

    /// Index in `labels` of the label defined here.
    fn define_label(&mut self, name: &'a str) -> u32 {
        if let Some(i) = self.labels.iter().position(|l| l.name == name) {
            if !self.labels[i].defined {
                self.labels[i].defined = true;
                return i as u32;
            }
            // Duplicate label (invalid code): the second one gets its own block.
        }
        let block = self.new_block(BlockKind::Label);
        self.labels.push(LabelInfo {
            name,
            block,
            defined: true,
        });
        (self.labels.len() - 1) as u32
    }

    fn goto_label(&mut self, name: &'a str) -> BlockId {
        if let Some(l) = self.labels.iter().find(|l| l.name == name) {
            return l.block;
        }
        let block = self.new_block(BlockKind::Label);
        self.labels.push(LabelInfo {
            name,
            block,
            defined: false,
        });
        block
    }

    fn take_label(&mut self) -> u32 {
        std::mem::replace(&mut self.pending_label, NONE)
    }

    fn push_target(&mut self, label: u32, brk: BlockId, cont: Option<BlockId>) {
        self.sc.targets.push(Target { label, brk, cont });
    }

    fn branch(&mut self, b: &'a BranchStmt<'a>) {
        let label = b.label.map(|l| l.name);
        let labels = &self.labels;
        let named = |t: &Target, l: &str| t.label != NONE && labels[t.label as usize].name == l;
        let targets = &self.sc.targets;
        let target = match b.tok {
            Tok::Break => match label {
                Some(l) => targets.iter().rev().find(|t| named(t, l)).map(|t| t.brk),
                None => targets.last().map(|t| t.brk),
            },
            Tok::Continue => match label {
                Some(l) => targets
                    .iter()
                    .rev()
                    .find(|t| named(t, l))
                    .and_then(|t| t.cont),
                None => targets.iter().rev().find_map(|t| t.cont),
            },
            Tok::Goto => label.map(|l| self.goto_label(l)),
            Tok::Fallthrough => self.fallthrough,
            _ => None,
        };
        // A branch without a target (invalid code: `break` outside a loop, a `fallthrough` in
        // the last clause) is ignored, so that every block still leads somewhere.
        if let Some(t) = target {
            self.jump(t);
            self.dead();
        }
    }

    /// Emits the branch on `e`: to `t` when true, to `f` when false. `&&`, `||` and `!` around
    /// them are split into several blocks; the current block is left at the last test.
    fn cond(&mut self, e: Expr<'a>, t: BlockId, f: BlockId) {
        self.deeper(|b| b.cond_inner(e, t, f))
    }

    fn cond_inner(&mut self, e: Expr<'a>, t: BlockId, f: BlockId) {
        let e = e.unparen();
        match e {
            Expr::Binary(b) if b.op == Tok::LAnd => {
                let rhs = self.new_block(BlockKind::CondRhs);
                self.cond(b.x, rhs, f);
                self.set_current(rhs);
                self.cond(b.y, t, f);
            }
            Expr::Binary(b) if b.op == Tok::LOr => {
                let rhs = self.new_block(BlockKind::CondRhs);
                self.cond(b.x, t, rhs);
                self.set_current(rhs);
                self.cond(b.y, t, f);
            }
            Expr::Unary(u)
                if u.op == Tok::Not
                    && matches!(u.x.unparen(), Expr::Binary(b) if b.op == Tok::LAnd || b.op == Tok::LOr) =>
            {
                self.cond(u.x, f, t);
            }
            _ => {
                self.add(Node::Cond(e));
                self.edge(self.cur, t, EdgeKind::True);
                self.edge(self.cur, f, EdgeKind::False);
            }
        }
    }

    fn if_stmt(&mut self, s: &'a IfStmt<'a>) {
        if let Some(init) = s.init {
            self.stmt(init);
        }
        let then = self.new_block(BlockKind::IfThen);
        let els = s.else_.map(|_| self.new_block(BlockKind::IfElse));
        let done = self.new_block(BlockKind::IfDone);
        self.cond(s.cond, then, els.unwrap_or(done));
        self.set_current(then);
        self.stmts(s.body.list);
        self.jump(done);
        if let (Some(els), Some(e)) = (els, s.else_) {
            self.set_current(els);
            self.stmt(e);
            self.jump(done);
        }
        self.set_current(done);
    }

    fn for_stmt(&mut self, s: &'a ForStmt<'a>) {
        let label = self.take_label();
        if let Some(init) = s.init {
            self.stmt(init);
        }
        let head = self.new_block(BlockKind::ForHead);
        let body = self.new_block(BlockKind::ForBody);
        let post = s.post.map(|_| self.new_block(BlockKind::ForPost));
        let done = self.new_block(BlockKind::ForDone);
        self.jump(head);
        self.set_current(head);
        match s.cond {
            Some(c) => self.cond(c, body, done),
            None => self.jump(body),
        }
        let cont = post.unwrap_or(head);
        self.push_target(label, done, Some(cont));
        self.set_current(body);
        self.stmts(s.body.list);
        self.jump(cont);
        self.sc.targets.pop();
        if let (Some(post), Some(p)) = (post, s.post) {
            self.set_current(post);
            self.stmt(p);
            self.jump(head);
        }
        self.set_current(done);
    }

    fn range_stmt(&mut self, s: &'a RangeStmt<'a>) {
        let label = self.take_label();
        self.add(Node::RangeOperand(s));
        let head = self.new_block(BlockKind::RangeHead);
        let body = self.new_block(BlockKind::RangeBody);
        let done = self.new_block(BlockKind::RangeDone);
        self.jump(head);
        self.set_current(head);
        self.add(Node::RangeNext(s));
        self.edge(head, body, EdgeKind::RangeBody);
        self.edge(head, done, EdgeKind::RangeExit);
        self.push_target(label, done, Some(head));
        self.set_current(body);
        self.stmts(s.body.list);
        self.jump(head);
        self.sc.targets.pop();
        self.set_current(done);
    }

    fn switch_stmt(&mut self, s: &'a SwitchStmt<'a>) {
        let label = self.take_label();
        if let Some(init) = s.init {
            self.stmt(init);
        }
        if s.tag.is_some() {
            self.add(Node::SwitchTag(s));
        }
        let base = self.sc.clauses.len();
        let mut default = None;
        let mut tests = 0usize;
        for st in s.body.list {
            if let Stmt::CaseClause(cc) = st {
                let b = self.new_block(BlockKind::SwitchBody);
                if cc.is_default {
                    default = Some(b);
                } else {
                    tests += cc.list.len();
                }
                self.sc.clauses.push(b);
            }
        }
        let done = self.new_block(BlockKind::SwitchDone);
        let no_match = default.unwrap_or(done);
        // Case expressions, in order; the first match wins.
        let mut t = 0usize;
        let mut ci = base;
        for st in s.body.list {
            let Stmt::CaseClause(cc) = st else { continue };
            let body = self.sc.clauses[ci];
            ci += 1;
            if cc.is_default {
                continue;
            }
            for &e in cc.list {
                t += 1;
                let last = t == tests;
                let next = if last {
                    no_match
                } else {
                    self.new_block(BlockKind::SwitchCase)
                };
                if s.tag.is_some() {
                    self.add(Node::Case {
                        switch: s,
                        clause: cc,
                        expr: e,
                    });
                    self.edge(self.cur, body, EdgeKind::CaseMatch);
                    self.edge(self.cur, next, EdgeKind::CaseNoMatch);
                } else {
                    self.cond(e, body, next);
                }
                if !last {
                    self.set_current(next);
                }
            }
        }
        if tests == 0 {
            self.jump(no_match);
        }
        // Clause bodies; `fallthrough` continues with the next clause in source order.
        self.push_target(label, done, None);
        let saved_ft = self.fallthrough;
        let end = self.sc.clauses.len();
        let mut ci = base;
        for st in s.body.list {
            let Stmt::CaseClause(cc) = st else { continue };
            let body = self.sc.clauses[ci];
            self.fallthrough = (ci + 1 < end).then(|| self.sc.clauses[ci + 1]);
            ci += 1;
            self.set_current(body);
            self.stmts(cc.body);
            self.jump(done);
        }
        self.fallthrough = saved_ft;
        self.sc.targets.pop();
        self.sc.clauses.truncate(base);
        self.set_current(done);
    }

    fn type_switch_stmt(&mut self, s: &'a TypeSwitchStmt<'a>) {
        let label = self.take_label();
        if let Some(init) = s.init {
            self.stmt(init);
        }
        self.add(Node::TypeSwitchGuard(s));
        let guard = self.cur;
        let base = self.sc.clauses.len();
        let mut default = None;
        for st in s.body.list {
            if let Stmt::CaseClause(cc) = st {
                let b = self.new_block(BlockKind::TypeSwitchBody);
                if cc.is_default {
                    default = Some(b);
                } else {
                    self.edge(guard, b, EdgeKind::CaseMatch);
                }
                self.sc.clauses.push(b);
            }
        }
        let done = self.new_block(BlockKind::TypeSwitchDone);
        self.edge(guard, default.unwrap_or(done), EdgeKind::CaseNoMatch);
        self.push_target(label, done, None);
        let saved_ft = self.fallthrough.take();
        let mut ci = base;
        for st in s.body.list {
            let Stmt::CaseClause(cc) = st else { continue };
            let body = self.sc.clauses[ci];
            ci += 1;
            self.set_current(body);
            self.add(Node::TypeCase {
                switch: s,
                clause: cc,
            });
            self.stmts(cc.body);
            self.jump(done);
        }
        self.fallthrough = saved_ft;
        self.sc.targets.pop();
        self.sc.clauses.truncate(base);
        self.set_current(done);
    }

    fn select_stmt(&mut self, s: &'a SelectStmt<'a>) {
        let label = self.take_label();
        self.add(Node::Select(s));
        let head = self.cur;
        let base = self.sc.clauses.len();
        for st in s.body.list {
            if let Stmt::CommClause(_) = st {
                let b = self.new_block(BlockKind::SelectCase);
                self.edge(head, b, EdgeKind::SelectCase);
                self.sc.clauses.push(b);
            }
        }
        // `select {}` has no clause: no successor, it blocks forever.
        let done = self.new_block(BlockKind::SelectDone);
        self.push_target(label, done, None);
        let mut ci = base;
        for st in s.body.list {
            let Stmt::CommClause(cc) = st else { continue };
            let body = self.sc.clauses[ci];
            ci += 1;
            self.set_current(body);
            if cc.comm.is_some() {
                self.add(Node::Comm {
                    select: s,
                    clause: cc,
                });
            }
            self.stmts(cc.body);
            self.jump(done);
        }
        self.sc.targets.pop();
        self.sc.clauses.truncate(base);
        self.set_current(done);
    }

    /// Closes the graph and lays it out: empty pass-through blocks are forwarded, dangling
    /// empty blocks dropped, blocks renumbered in reverse postorder, edge lists built.
    fn finish(mut self, body: &'a BlockStmt<'a>) -> Cfg<'a> {
        // Falling off the end of the body is an implicit return.
        self.edge(self.cur, self.exit, EdgeKind::Return);
        let exit = self.exit;
        self.set_current(exit);
        for i in (0..self.defers.len()).rev() {
            let d = self.defers[i];
            self.add(Node::RunDefer(d));
        }
        self.sc.blocks[exit.index()].2 = self.nodes.len() as u32;
        // `goto` to a label that does not exist (invalid code): return.
        for i in 0..self.labels.len() {
            if !self.labels[i].defined {
                let b = self.labels[i].block;
                self.edge(b, exit, EdgeKind::Return);
            }
        }
        let Builder {
            sc,
            nodes,
            labels,
            defers,
            ..
        } = self;
        let n = sc.blocks.len();
        for blk in &mut sc.blocks {
            if blk.1 == UNOPENED {
                blk.1 = 0;
                blk.2 = 0;
            }
        }
        let Scratch {
            blocks: sblocks,
            edges: raw,
            start,
            succs,
            fwd,
            flags,
            counts,
            stack,
            post,
            dfs,
            order,
            new_id,
            ..
        } = sc;
        let empty = |b: usize| sblocks[b].1 == sblocks[b].2;

        // Successor lists on the builder's ids (stable counting sort by source block).
        start.clear();
        start.resize(n + 1, 0);
        for &(from, _) in raw.iter() {
            start[from as usize + 1] += 1;
        }
        for i in 1..=n {
            start[i] += start[i - 1];
        }
        let placeholder = Edge {
            block: BlockId(0),
            kind: EdgeKind::Normal,
        };
        succs.clear();
        succs.resize(raw.len(), placeholder);
        counts.clear();
        counts.extend_from_slice(&start[..n]);
        for &(from, e) in raw.iter() {
            succs[counts[from as usize] as usize] = e;
            counts[from as usize] += 1;
        }
        let start: &[u32] = start;
        let range = |b: usize| start[b] as usize..start[b + 1] as usize;

        // Forward empty blocks with one `Normal` successor (an `if` without `else`, a
        // `continue`, ...) to that successor: edges into them go straight to it, keeping
        // their kind. flags: 0 unresolved, 1 on the current chain, 2 resolved.
        fwd.clear();
        fwd.extend(0..n as u32);
        for (b, f) in fwd.iter_mut().enumerate().skip(1) {
            let r = range(b);
            if b != exit.index()
                && r.len() == 1
                && succs[r.start].kind == EdgeKind::Normal
                && empty(b)
            {
                *f = succs[r.start].block.0;
            }
        }
        flags.clear();
        flags.resize(n, 0);
        for b in 0..n {
            if flags[b] == 2 {
                continue;
            }
            stack.clear();
            let mut x = b;
            let root = loop {
                if flags[x] == 2 {
                    break fwd[x];
                }
                // A cycle of empty blocks (`for {}`) keeps one of its blocks.
                if flags[x] == 1 || fwd[x] as usize == x {
                    fwd[x] = x as u32;
                    flags[x] = 2;
                    break x as u32;
                }
                flags[x] = 1;
                stack.push(x as u32);
                x = fwd[x] as usize;
            };
            for &p in stack.iter() {
                fwd[p as usize] = root;
                flags[p as usize] = 2;
            }
        }
        for e in succs.iter_mut() {
            e.block = BlockId(fwd[e.block.index()]);
        }

        // From here on, flags: 0 live, 1 removed, 2 reachable.
        counts.clear();
        counts.resize(n, 0);
        for b in 0..n {
            if fwd[b] as usize == b {
                flags[b] = 0;
                for e in &succs[range(b)] {
                    counts[e.block.index()] += 1;
                }
            } else {
                flags[b] = 1;
            }
        }
        // Drop the empty blocks nothing jumps to (the fresh block after every jump), and those
        // only they jumped to. Unreachable blocks with code stay.
        let removable =
            |b: usize, flags: &[u8]| b != 0 && b != exit.index() && flags[b] == 0 && empty(b);
        stack.clear();
        for (b, &c) in counts.iter().enumerate() {
            if c == 0 && removable(b, flags) {
                stack.push(b as u32);
            }
        }
        while let Some(b) = stack.pop() {
            flags[b as usize] = 1;
            for e in &succs[range(b as usize)] {
                let t = e.block.index();
                counts[t] -= 1;
                if counts[t] == 0 && removable(t, flags) {
                    stack.push(t as u32);
                }
            }
        }

        // Reverse postorder from the entry (successors visited last-first, so that the order
        // reads like the source: `then` before `else`, body before the loop exit).
        post.clear();
        dfs.clear();
        dfs.push((0, range(0).len() as u32));
        flags[0] = 2;
        while let Some(top) = dfs.last_mut() {
            let (b, left) = *top;
            if left > 0 {
                top.1 -= 1;
                let t = succs[start[b as usize] as usize + left as usize - 1]
                    .block
                    .index();
                if flags[t] != 2 {
                    flags[t] = 2;
                    dfs.push((t as u32, range(t).len() as u32));
                }
            } else {
                post.push(b);
                dfs.pop();
            }
        }
        order.clear();
        let exit_reached = flags[exit.index()] == 2;
        order.extend(post.iter().rev().copied().filter(|&b| b != exit.0));
        if exit_reached {
            order.push(exit.0);
        }
        let num_reachable = order.len() as u32;
        order.extend((0..n as u32).filter(|&b| flags[b as usize] == 0 && b != exit.0));
        if !exit_reached {
            order.push(exit.0);
        }
        new_id.clear();
        new_id.resize(n, NONE);
        for (i, &b) in order.iter().enumerate() {
            new_id[b as usize] = i as u32;
        }

        // Final blocks and edges (successor lists, then predecessor lists) on the new ids.
        let m = order.len();
        let n_edges: usize = order.iter().map(|&b| range(b as usize).len()).sum();
        let mut blocks = Vec::with_capacity(m);
        let mut edges = Vec::with_capacity(2 * n_edges);
        counts.clear();
        counts.resize(m + 1, 0);
        for &b in order.iter() {
            let s0 = edges.len() as u32;
            for e in &succs[range(b as usize)] {
                let t = new_id[e.block.index()];
                debug_assert_ne!(t, NONE);
                edges.push(Edge {
                    block: BlockId(t),
                    kind: e.kind,
                });
                counts[t as usize + 1] += 1;
            }
            let blk = sblocks[b as usize];
            blocks.push(BlockData {
                kind: blk.0,
                nodes: (blk.1, blk.2),
                succs: (s0, edges.len() as u32),
                preds: (0, 0),
            });
        }
        for i in 1..=m {
            counts[i] += counts[i - 1];
        }
        let base = n_edges as u32;
        for (i, blk) in blocks.iter_mut().enumerate() {
            blk.preds = (base + counts[i], base + counts[i + 1]);
        }
        edges.resize(2 * n_edges, placeholder);
        for (i, blk) in blocks.iter().enumerate() {
            for j in blk.succs.0..blk.succs.1 {
                let e = edges[j as usize];
                let t = e.block.index();
                edges[n_edges + counts[t] as usize] = Edge {
                    block: BlockId(i as u32),
                    kind: e.kind,
                };
                counts[t] += 1;
            }
        }
        let labels = labels
            .iter()
            .filter(|l| l.defined && new_id[fwd[l.block.index()] as usize] != NONE)
            .map(|l| (l.name, BlockId(new_id[fwd[l.block.index()] as usize])))
            .collect();
        Cfg {
            body,
            entry: BlockId(0),
            exit: BlockId(new_id[exit.index()]),
            defers,
            blocks,
            nodes,
            edges,
            num_reachable,
            labels,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Function enumeration

/// Where a function body comes from.
#[derive(Clone, Copy, Debug)]
pub enum FuncKind<'a> {
    Decl(&'a FuncDecl<'a>),
    Lit(&'a FuncLit<'a>),
}

/// A function body of a file: see [`file_functions`].
#[derive(Clone, Copy, Debug)]
pub struct FuncBody<'a> {
    /// Position in [`file_functions`]'s result.
    pub index: u32,
    pub kind: FuncKind<'a>,
    /// The signature.
    pub ty: &'a FuncType<'a>,
    pub body: &'a BlockStmt<'a>,
    /// The index of the innermost function whose body contains this function literal; `None`
    /// for declarations and for literals outside any function (package-level initializers).
    pub parent: Option<u32>,
}

/// Every function body of a file, in source order of their `func` keyword (a function before
/// the literals it contains): each `FuncDecl` with a body, and each `FuncLit` wherever it occurs
/// (in bodies, package-level initializers, ...). The index of a body in this list is stable for
/// a given file.
pub fn file_functions<'a>(file: &'a File<'a>) -> Vec<FuncBody<'a>> {
    let mut c = FuncCollector {
        out: Vec::new(),
        parent: None,
        depth: 0,
    };
    for d in file.decls {
        match *d {
            Decl::Bad(_) => {}
            Decl::Func(f) => {
                c.field_list_opt(f.recv);
                c.func_type(f.ty);
                if let Some(body) = f.body {
                    let idx = c.out.len() as u32;
                    c.out.push(FuncBody {
                        index: idx,
                        kind: FuncKind::Decl(f),
                        ty: f.ty,
                        body,
                        parent: None,
                    });
                    c.parent = Some(idx);
                    c.stmts(body.list);
                    c.parent = None;
                }
            }
            Decl::Gen(g) => c.gen_decl(g),
        }
    }
    c.out
}

struct FuncCollector<'a> {
    out: Vec<FuncBody<'a>>,
    parent: Option<u32>,
    depth: u32,
}

impl<'a> FuncCollector<'a> {
    #[inline(always)]
    fn deeper(&mut self, f: impl FnOnce(&mut Self)) {
        self.depth += 1;
        if self.depth & (STACK_CHECK_EVERY - 1) == 0 {
            stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || f(self));
        } else {
            f(self);
        }
        self.depth -= 1;
    }

    fn gen_decl(&mut self, g: &'a GenDecl<'a>) {
        for s in g.specs {
            match *s {
                Spec::Import(_) => {}
                Spec::Value(v) => {
                    self.expr_opt(v.ty);
                    self.exprs(v.values);
                }
                Spec::Type(t) => {
                    self.field_list_opt(t.type_params);
                    self.expr(t.ty);
                }
            }
        }
    }

    fn field_list_opt(&mut self, l: Option<&'a FieldList<'a>>) {
        if let Some(l) = l {
            self.field_list(l);
        }
    }

    fn field_list(&mut self, l: &'a FieldList<'a>) {
        for f in l.list {
            self.expr(f.ty);
        }
    }

    fn func_type(&mut self, t: &'a FuncType<'a>) {
        self.field_list_opt(t.type_params);
        self.field_list(t.params);
        self.field_list_opt(t.results);
    }

    fn exprs(&mut self, l: &'a [Expr<'a>]) {
        for e in l {
            self.expr(*e);
        }
    }

    fn expr_opt(&mut self, e: Option<Expr<'a>>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: Expr<'a>) {
        // Most expressions are leaves: no call, no stack check for them.
        if !matches!(e, Expr::Ident(_) | Expr::BasicLit(_) | Expr::Bad(_)) {
            self.deeper(|c| c.expr_inner(e))
        }
    }

    fn expr_inner(&mut self, e: Expr<'a>) {
        match e {
            Expr::Bad(_) | Expr::Ident(_) | Expr::BasicLit(_) => {}
            Expr::CompositeLit(c) => {
                self.expr_opt(c.ty);
                self.exprs(c.elts);
            }
            Expr::FuncLit(f) => {
                self.func_type(f.ty);
                let idx = self.out.len() as u32;
                self.out.push(FuncBody {
                    index: idx,
                    kind: FuncKind::Lit(f),
                    ty: f.ty,
                    body: f.body,
                    parent: self.parent,
                });
                let saved = self.parent.replace(idx);
                self.stmts(f.body.list);
                self.parent = saved;
            }
            Expr::Paren(p) => self.expr(p.x),
            Expr::Selector(s) => self.expr(s.x),
            Expr::Index(i) => {
                self.expr(i.x);
                self.expr(i.index);
            }
            Expr::IndexList(i) => {
                self.expr(i.x);
                self.exprs(i.indices);
            }
            Expr::Slice(s) => {
                self.expr(s.x);
                self.expr_opt(s.low);
                self.expr_opt(s.high);
                self.expr_opt(s.max);
            }
            Expr::TypeAssert(t) => {
                self.expr(t.x);
                self.expr_opt(t.ty);
            }
            Expr::Call(c) => {
                self.expr(c.fun);
                self.exprs(c.args);
            }
            Expr::Star(s) => self.expr(s.x),
            Expr::Unary(u) => self.expr(u.x),
            Expr::Binary(b) => {
                self.expr(b.x);
                self.expr(b.y);
            }
            Expr::KeyValue(kv) => {
                self.expr(kv.key);
                self.expr(kv.value);
            }
            Expr::Ellipsis(el) => self.expr_opt(el.elt),
            Expr::ArrayType(a) => {
                self.expr_opt(a.len);
                self.expr(a.elt);
            }
            Expr::StructType(s) => self.field_list(s.fields),
            Expr::FuncType(f) => self.func_type(f),
            Expr::InterfaceType(i) => self.field_list(i.methods),
            Expr::MapType(m) => {
                self.expr(m.key);
                self.expr(m.value);
            }
            Expr::ChanType(c) => self.expr(c.value),
        }
    }

    fn stmts(&mut self, l: &'a [Stmt<'a>]) {
        for s in l {
            self.stmt(*s);
        }
    }

    fn stmt_opt(&mut self, s: Option<Stmt<'a>>) {
        if let Some(s) = s {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: Stmt<'a>) {
        self.deeper(|c| c.stmt_inner(s))
    }

    fn stmt_inner(&mut self, s: Stmt<'a>) {
        match s {
            Stmt::Bad(_) | Stmt::Empty(_) | Stmt::Branch(_) => {}
            Stmt::Decl(d) => match d.decl {
                Decl::Gen(g) => self.gen_decl(g),
                Decl::Func(_) | Decl::Bad(_) => {}
            },
            Stmt::Labeled(l) => self.stmt(l.stmt),
            Stmt::Expr(e) => self.expr(e.x),
            Stmt::Send(s) => {
                self.expr(s.chan);
                self.expr(s.value);
            }
            Stmt::IncDec(s) => self.expr(s.x),
            Stmt::Assign(a) => {
                self.exprs(a.lhs);
                self.exprs(a.rhs);
            }
            Stmt::Go(g) => self.expr_inner(Expr::Call(g.call)),
            Stmt::Defer(d) => self.expr_inner(Expr::Call(d.call)),
            Stmt::Return(r) => self.exprs(r.results),
            Stmt::Block(b) => self.stmts(b.list),
            Stmt::If(i) => {
                self.stmt_opt(i.init);
                self.expr(i.cond);
                self.stmts(i.body.list);
                self.stmt_opt(i.else_);
            }
            Stmt::CaseClause(c) => {
                self.exprs(c.list);
                self.stmts(c.body);
            }
            Stmt::Switch(s) => {
                self.stmt_opt(s.init);
                self.expr_opt(s.tag);
                self.stmts(s.body.list);
            }
            Stmt::TypeSwitch(s) => {
                self.stmt_opt(s.init);
                self.stmt(s.assign);
                self.stmts(s.body.list);
            }
            Stmt::CommClause(c) => {
                self.stmt_opt(c.comm);
                self.stmts(c.body);
            }
            Stmt::Select(s) => self.stmts(s.body.list),
            Stmt::For(f) => {
                self.stmt_opt(f.init);
                self.expr_opt(f.cond);
                self.stmt_opt(f.post);
                self.stmts(f.body.list);
            }
            Stmt::Range(r) => {
                self.expr_opt(r.key);
                self.expr_opt(r.value);
                self.expr(r.x);
                self.stmts(r.body.list);
            }
        }
    }
}

#[cfg(test)]
mod tests;
