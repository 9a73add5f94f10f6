//! mapvet's rules (../shared/RULES.md): one file per rule under `rules/`, each with its user
//! documentation in its doc comment, registered in `registry.rs`.
//!
//! Rules run on a checked program (`mapvet_semantic::program`): for every target file, every
//! enabled rule's check function is called with a [`FileCx`], which answers questions about
//! types and objects and collects [`Diagnostic`]s.

#[macro_use]
mod macros;
mod concurrency;
mod consts;
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
use mapvet_semantic::types::TypeId;
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
    let mut map_types: Vec<u8> = Vec::new();
    for file in 0..c.files.len() as u32 {
        if !c.infos[file as usize].recording || c.files[file as usize].has_errors {
            continue;
        }
        let names_maps = names_maps(c, file, &mut map_types);
        let mut cx = FileCx::new(c, file);
        for r in &rules {
            if r.needs_map_names && !names_maps {
                continue;
            }
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

/// Whether some expression or identifier of `file` has a map or pointer-to-map type (through
/// defined types and type parameters). `memo` caches the answer per type: 0 not known yet,
/// 1 no, 2 yes.
fn names_maps(c: &mut Checker<'_>, file: u32, memo: &mut Vec<u8>) -> bool {
    fn is_map_like(c: &Checker<'_>, t: TypeId, memo: &mut Vec<u8>) -> bool {
        if t.is_unknown() {
            return false;
        }
        let i = t.0 as usize;
        if memo.len() <= i {
            memo.resize(i + 1, 0);
        }
        if memo[i] == 0 {
            let yes = c.types.is_map(t) || c.types.is_ptr_to_map(t);
            memo[i] = if yes { 2 } else { 1 };
        }
        memo[i] == 2
    }
    let info = &c.infos[file as usize];
    let mut last = TypeId::UNKNOWN;
    for &t in &info.expr_types {
        if t != last {
            last = t;
            if is_map_like(c, t, memo) {
                return true;
            }
        }
    }
    let n = c.infos[file as usize].idents.len();
    for k in 0..n {
        let (_, o, t) = c.infos[file as usize].idents[k];
        let t = if t.is_unknown() && !o.is_none() && c.obj(o).is_var() {
            c.obj_type_pub(o)
        } else {
            t
        };
        if is_map_like(c, t, memo) {
            return true;
        }
    }
    false
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

#[cfg(test)]
mod tests {
    use mapvet_semantic::load::BuildContext;
    use mapvet_semantic::program;

    /// `names_maps` for each file of a package written to a temporary directory.
    fn names(files: &[(&str, &str)]) -> Vec<(String, bool)> {
        let dir = std::env::temp_dir().join(format!("mapvet_names_maps_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (n, src) in files {
            std::fs::write(dir.join(n), src).unwrap();
        }
        let mut ctx = BuildContext::host();
        ctx.tests = false;
        let sources = program::load_sources(std::slice::from_ref(&dir), &ctx);
        let out = program::with_checked_program(sources, |c| {
            let mut memo = Vec::new();
            let mut out = Vec::new();
            for f in 0..c.files.len() as u32 {
                if c.infos[f as usize].recording {
                    let name = c.files[f as usize].path.file_name().unwrap();
                    let name = name.to_string_lossy().into_owned();
                    out.push((name, super::names_maps(c, f, &mut memo)));
                }
            }
            out.sort();
            out
        });
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    #[test]
    fn files_without_map_names_are_told_apart() {
        let got = names(&[
            (
                "decl.go",
                "package p\n\ntype Index map[string]int\n\ntype T struct{ f *Index }\n",
            ),
            ("param.go", "package p\n\nfunc f(p *Index) {}\n"),
            (
                "generic.go",
                "package p\n\nfunc g[M ~map[string]int](m M) {}\n",
            ),
            (
                "assert.go",
                "package p\n\nfunc h(x any) { _ = x.(Index) }\n",
            ),
            (
                "field.go",
                "package p\n\nfunc k(t T) bool { return t.f != nil }\n",
            ),
            (
                "none.go",
                "package p\n\nfunc n(t T) T { return t }\n\nvar s []string\n",
            ),
        ]);
        let want: Vec<(String, bool)> = [
            ("assert.go", true),
            ("decl.go", true),
            ("field.go", true),
            ("generic.go", true),
            ("none.go", false),
            ("param.go", true),
        ]
        .iter()
        .map(|(n, b)| (n.to_string(), *b))
        .collect();
        assert_eq!(got, want);
    }
}
