//! A small generic forward dataflow framework over [`Cfg`]s.
//!
//! An analysis ([`Analysis`]) gives the state at the entry, a transfer function per
//! [`Node`], and optionally a refinement per edge ([`Analysis::transfer_edge`]: e.g. on the
//! `True` edge of `cond m == nil`, `m` is nil; an edge can also be declared infeasible). The
//! state type is a [`Lattice`]: states meeting at a block are joined. [`solve`] iterates in
//! reverse postorder with a worklist until nothing changes, which terminates when the lattice
//! has finite height (the usual case: finite sets of facts, small enums per variable).
//!
//! Blocks that no feasible edge reaches have no state (`None`): "not reached" is kept apart
//! from the lattice, so a must-analysis (join = intersection) needs no "universe" element.
//!
//! The solver stores one state per block (its entry state); the state before any node is
//! recomputed by replaying the block ([`Results::replay`], [`Results::state_before`]), which is
//! what a rule does once the fixpoint is reached: walk each reachable block, look at the state
//! before each interesting node, report.

use crate::cfg::{BlockId, Cfg, Edge, Node, NodeRef};

/// A join-semilattice of analysis states.
pub trait Lattice: Clone {
    /// Joins `other` into `self` (least upper bound: "what holds on one path or the other");
    /// returns whether `self` changed. Must be monotone, and return `false` once `self`
    /// already includes `other`, or the solver never stops.
    fn join(&mut self, other: &Self) -> bool;
}

/// A forward dataflow analysis over the nodes of one [`Cfg`].
pub trait Analysis<'a> {
    type State: Lattice;

    /// The state on entry to the function.
    fn initial(&mut self, cfg: &Cfg<'a>) -> Self::State;

    /// Applies one node to the state (`at` is the node's position, e.g. to key facts by it).
    fn transfer(&mut self, at: NodeRef, node: &Node<'a>, state: &mut Self::State);

    /// Refines the state leaving `from` along `edge` (`last` is `from`'s last node: the
    /// [`Node::Cond`], [`Node::Case`], [`Node::RangeNext`], ... the branch depends on).
    /// Returns `false` when the edge cannot be taken in `state` (nothing then flows along it).
    /// The default passes the state through unchanged.
    fn transfer_edge(
        &mut self,
        from: BlockId,
        edge: Edge,
        last: Option<&Node<'a>>,
        state: &mut Self::State,
    ) -> bool {
        let _ = (from, edge, last, state);
        true
    }
}

/// The fixpoint of an analysis: the state on entry to every block.
pub struct Results<S> {
    entry: Vec<Option<S>>,
    /// Number of block visits the solver made (for tests and statistics).
    pub visits: usize,
}

/// Runs `analysis` over `cfg` to a fixpoint.
pub fn solve<'a, A: Analysis<'a>>(cfg: &Cfg<'a>, analysis: &mut A) -> Results<A::State> {
    let n = cfg.num_blocks();
    let mut entry: Vec<Option<A::State>> = vec![None; n];
    let mut visits = 0usize;
    if cfg.num_reachable() == 0 {
        return Results { entry, visits };
    }
    entry[cfg.entry.index()] = Some(analysis.initial(cfg));
    // Worklist: a bit set over reverse-postorder positions (= block ids of reachable blocks);
    // the lowest position is taken first, so a block is normally visited after all its
    // forward predecessors.
    let mut work = BitSet::new(cfg.num_reachable());
    work.insert(cfg.entry.index());
    while let Some(b) = work.pop_min() {
        visits += 1;
        let b = BlockId(b as u32);
        let Some(state) = entry[b.index()].as_ref() else {
            continue;
        };
        let mut state = state.clone();
        for (i, node) in cfg.nodes(b).iter().enumerate() {
            analysis.transfer(
                NodeRef {
                    block: b,
                    index: i as u32,
                },
                node,
                &mut state,
            );
        }
        let last = cfg.last_node(b);
        let succs = cfg.succs(b);
        let mut state = Some(state);
        for (i, &edge) in succs.iter().enumerate() {
            // The last edge takes the state itself: one clone fewer.
            let mut out = match state.take() {
                Some(s) if i + 1 == succs.len() => s,
                Some(s) => {
                    let out = s.clone();
                    state = Some(s);
                    out
                }
                None => break,
            };
            if !analysis.transfer_edge(b, edge, last, &mut out) {
                continue;
            }
            let t = edge.block.index();
            let changed = match &mut entry[t] {
                Some(s) => s.join(&out),
                slot @ None => {
                    *slot = Some(out);
                    true
                }
            };
            if changed {
                work.insert(t);
            }
        }
    }
    Results { entry, visits }
}

impl<S: Lattice> Results<S> {
    /// The state on entry to `b`; `None` when no feasible path reaches `b`.
    pub fn entry_state(&self, b: BlockId) -> Option<&S> {
        self.entry.get(b.index()).and_then(|s| s.as_ref())
    }

    /// Whether some feasible path reaches `b`.
    pub fn reached(&self, b: BlockId) -> bool {
        self.entry_state(b).is_some()
    }

    /// The state on entry to the exit block (after the function's last statement, before the
    /// deferred calls, which are the exit block's nodes).
    pub fn exit_state<'a>(&self, cfg: &Cfg<'a>) -> Option<&S> {
        self.entry_state(cfg.exit)
    }

    /// Replays block `b`: calls `f(at, node, state before node)` for each node in order and
    /// returns the state after the last node (`None`, without calling `f`, when `b` was not
    /// reached).
    pub fn replay<'a, A, F>(
        &self,
        cfg: &Cfg<'a>,
        analysis: &mut A,
        b: BlockId,
        mut f: F,
    ) -> Option<S>
    where
        A: Analysis<'a, State = S>,
        F: FnMut(NodeRef, &Node<'a>, &S),
    {
        let mut state = self.entry_state(b)?.clone();
        for (i, node) in cfg.nodes(b).iter().enumerate() {
            let at = NodeRef {
                block: b,
                index: i as u32,
            };
            f(at, node, &state);
            analysis.transfer(at, node, &mut state);
        }
        Some(state)
    }

    /// The state just before node `at` (`None` when its block was not reached).
    pub fn state_before<'a, A>(&self, cfg: &Cfg<'a>, analysis: &mut A, at: NodeRef) -> Option<S>
    where
        A: Analysis<'a, State = S>,
    {
        let mut state = self.entry_state(at.block)?.clone();
        for (i, node) in cfg.nodes(at.block)[..at.index as usize].iter().enumerate() {
            analysis.transfer(
                NodeRef {
                    block: at.block,
                    index: i as u32,
                },
                node,
                &mut state,
            );
        }
        Some(state)
    }

    /// The state after the last node of `b` (before edge refinement).
    pub fn state_after<'a, A>(&self, cfg: &Cfg<'a>, analysis: &mut A, b: BlockId) -> Option<S>
    where
        A: Analysis<'a, State = S>,
    {
        self.replay(cfg, analysis, b, |_, _, _| {})
    }
}

/// A fixed-size bit set with "take the smallest element".
struct BitSet {
    words: Vec<u64>,
    /// No bit is set in words before this one.
    low: usize,
}

impl BitSet {
    fn new(n: usize) -> BitSet {
        BitSet {
            words: vec![0; n.div_ceil(64)],
            low: 0,
        }
    }

    #[inline]
    fn insert(&mut self, i: usize) {
        let w = i / 64;
        if let Some(word) = self.words.get_mut(w) {
            *word |= 1 << (i % 64);
            self.low = self.low.min(w);
        }
    }

    fn pop_min(&mut self) -> Option<usize> {
        while self.low < self.words.len() {
            let word = self.words[self.low];
            if word != 0 {
                let bit = word.trailing_zeros() as usize;
                self.words[self.low] &= !(1 << bit);
                return Some(self.low * 64 + bit);
            }
            self.low += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests;
