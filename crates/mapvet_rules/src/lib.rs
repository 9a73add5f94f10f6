//! mapvet's rules (../shared/RULES.md): one file per rule under `rules/`, each with its user
//! documentation in its doc comment, registered in `registry.rs`.
//!
//! Rules run on a checked program (`mapvet_semantic::program`): for every target file, every
//! enabled rule's check function is called with a [`FileCx`], which answers questions about
//! types and objects and collects [`Diagnostic`]s.

#[macro_use]
mod macros;
mod concurrency;
pub mod context;
pub mod diagnostic;
mod nilness;
mod params;
pub mod registry;
pub mod rules;

pub use context::FileCx;
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Loc, Severity};
pub use registry::{find, Rule, RuleMeta, RULES};

use mapvet_semantic::check::Checker;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// With `MAPVET_TRACE`, the time each rule of [`RULES`] took, summed over threads.
static RULE_NANOS: [AtomicU64; RULES.len()] = [const { AtomicU64::new(0) }; RULES.len()];

/// Runs the rules `enabled` selects on every target file of a checked program. Files with
/// syntax errors are skipped (their tree is partial). The result is sorted by file, offset,
/// code.
pub fn run(c: &mut Checker<'_>, enabled: &dyn Fn(&RuleMeta) -> bool) -> Vec<Diagnostic> {
    let rules: Vec<&Rule> = RULES.iter().filter(|r| enabled(r.meta)).collect();
    let mut out = Vec::new();
    if rules.is_empty() {
        return out;
    }
    let trace = mapvet_semantic::program::trace_on();
    for file in 0..c.files.len() as u32 {
        if !c.infos[file as usize].recording || c.files[file as usize].has_errors {
            continue;
        }
        let mut cx = FileCx::new(c, file);
        for r in &rules {
            cx.current = r.meta;
            let before = cx.diagnostics.len();
            let t0 = trace.then(Instant::now);
            // A bug in one rule must not lose the other rules' and files' results.
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (r.check)(&mut cx)));
            if ok.is_err() {
                cx.diagnostics.truncate(before);
            }
            if let Some(t0) = t0 {
                let i = RULES.iter().position(|x| std::ptr::eq(x, *r)).unwrap_or(0);
                RULE_NANOS[i].fetch_add(t0.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
        }
        out.append(&mut cx.diagnostics);
    }
    out.sort_by(|a, b| (a.loc, a.code).cmp(&(b.loc, b.code)));
    out.dedup_by(|a, b| a.loc == b.loc && a.code == b.code);
    out
}

/// With `MAPVET_TRACE`: the time each rule took so far in this process (all threads), for
/// the rules that ran.
pub fn rule_times() -> Vec<(&'static str, Duration)> {
    RULES
        .iter()
        .zip(&RULE_NANOS)
        .map(|(r, n)| (r.meta.code, Duration::from_nanos(n.load(Ordering::Relaxed))))
        .filter(|(_, d)| !d.is_zero())
        .collect()
}
