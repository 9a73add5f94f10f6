//! From the compiler's log to the report: keep the map-related decisions (the semantic model
//! says which nodes and variables are maps), and turn each reason chain into sentences.
//!
//! With the JSON log, a decision is one of its records: `X escapes to heap` at an allocation
//! (or, at a variable's declaration, the variable moved to the heap) and `parameter p leaks to
//! ...`. The log records nothing that stays on the stack, so those decisions are derived: a map
//! site (see [`MapSite`]) that the log does not mention did not escape. The derivation declines
//! where the compiler may have decided elsewhere or not at all: package-level initializers
//! (static data), generic functions (compiled per instantiation), function literals called in
//! place or that the compiler can inline (their body may be inlined into the callers, decided
//! at the calls), branches under a constant condition (`if debug {`, dropped before escape
//! analysis). Against `-m=2` on GOROOT packages the derived decisions never contradict the
//! compiler (`tests/escape.rs`). With `-m=2` text (the fallback), every decision is the
//! compiler's own.

use std::path::{Path, PathBuf};

use mapvet_semantic::check::Checker;
use mapvet_semantic::objects::{Builtin, ObjId, ObjKind, VarKind};
use mapvet_semantic::types::{Type, TypeId};
use mapvet_semantic::MapKind;
use mapvet_syntax::ast::{self, Expr};
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Span;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::index::{shorten, FileIndex, Node};
use crate::model::{CompilerLog, ExplKind, Explanation, RawDecision, RawVerdict};
use crate::report::{
    Decision, FunctionSummary, Kind, Outcome, PackageReport, Reason, Report, Summary,
};
use crate::toolchain::LogMode;

pub(crate) const PACKAGE_INIT: &str = "package initialization";

/// What can be computed before the compiler's log is there (while the compiler runs): the
/// target files, their position indices, and their map sites.
pub(crate) struct Prepared<'a> {
    files: TargetFiles,
    index: FxHashMap<u32, FileIndex<'a>>,
    /// Per file, the places the compiler decides about that concern maps.
    sites: FxHashMap<u32, Vec<MapSite>>,
}

/// A node or parameter the compiler makes a decision about, that concerns a map: a map
/// allocation (`make`, literal, `new`, `&T{...}` holding a map, a slice literal of maps), a
/// closure capturing a map, a parameter of map type. The JSON log records only what escapes
/// (and leaks); a site it does not mention stays on the stack — when the compiler compiles its
/// code once, by itself, which `derivable` says.
#[derive(Clone, Debug)]
struct MapSite {
    off: u32,
    /// The node as the compiler would name it (close to its source text).
    subject: String,
    /// Not in a generic function (compiled per instantiation, if at all) nor in a function
    /// literal that is called where it is written (inlined into its caller, decided there).
    derivable: bool,
}

/// Whether a condition is, or combines with `!`, `&&`, `||`, a named constant (`debug`,
/// `false`, `pkg.Enabled`).
fn mentions_const(c: &Checker<'_>, fi: u32, e: Expr<'_>) -> bool {
    use mapvet_syntax::token::Tok;
    match e.unparen() {
        Expr::Ident(i) => ident_obj(c, fi, i).is_some_and(|o| c.obj(o).kind == ObjKind::Const),
        Expr::Selector(s) => {
            ident_obj(c, fi, s.sel).is_some_and(|o| c.obj(o).kind == ObjKind::Const)
        }
        Expr::Unary(u) if u.op == Tok::Not => mentions_const(c, fi, u.x),
        Expr::Binary(b) if matches!(b.op, Tok::LAnd | Tok::LOr) => {
            mentions_const(c, fi, b.x) || mentions_const(c, fi, b.y)
        }
        _ => false,
    }
}

/// The map sites of one file.
fn map_sites(c: &mut Checker<'_>, fx: &FileIndex<'_>) -> Vec<MapSite> {
    let fi = fx.file;
    // Function literals called where they are written (not by `go` / `defer`).
    let mut called_lits: FxHashSet<u32> = FxHashSet::default();
    for node in fx.nodes.values() {
        if let Node::Call(call) = node {
            if let Expr::FuncLit(f) = call.fun.unparen() {
                if !fx.go_calls.contains_key(&call.lparen) {
                    called_lits.insert(f.span.start);
                }
            }
        }
    }
    // Branches under a condition involving a constant (`if debug {`): the compiler may drop
    // them before escape analysis.
    let const_branches: Vec<Span> = fx
        .ifs
        .iter()
        .filter(|(_, cond)| mentions_const(c, fi, *cond))
        .map(|(span, _)| *span)
        .collect();
    let derivable = |off: u32| -> bool {
        // At package level, `&T{...}` is static data, decided by no escape analysis.
        let mut at = fx.func_at(off);
        if at.is_none() || const_branches.iter().any(|s| s.start <= off && off < s.end) {
            return false;
        }
        while let Some(i) = at {
            let f = &fx.funcs[i];
            if f.lit.is_some_and(|l| called_lits.contains(&l)) {
                return false;
            }
            if let Some(d) = f.decl {
                let generic_recv = d.recv.and_then(|r| r.list.first()).is_some_and(|r| {
                    let t = match r.ty.unparen() {
                        Expr::Star(s) => s.x,
                        t => t,
                    };
                    matches!(t.unparen(), Expr::Index(_) | Expr::IndexList(_))
                });
                return d.ty.type_params.is_none() && !generic_recv;
            }
            // The enclosing function of a literal.
            at = fx
                .funcs
                .iter()
                .enumerate()
                .filter(|(_, g)| g.span.start < f.span.start && f.span.end <= g.span.end)
                .max_by_key(|(_, g)| g.span.start)
                .map(|(j, _)| j);
        }
        true
    };
    let mut out = Vec::new();
    let mut offs: Vec<u32> = fx.nodes.keys().copied().collect();
    offs.sort_unstable();
    for off in offs {
        let node = fx.nodes[&off];
        let site = match node {
            Node::Call(call) => match builtin_of(c, fi, call.fun) {
                Some(Builtin::Make) => {
                    let t = expr_type(c, fi, Expr::Call(call));
                    c.classify(t) == Some(MapKind::Map)
                }
                Some(Builtin::New) => {
                    let t = expr_type(c, fi, Expr::Call(call));
                    c.classify(t) == Some(MapKind::PtrMap)
                }
                _ => false,
            },
            Node::Lit(lit) => {
                let t = expr_type(c, fi, Expr::CompositeLit(lit));
                if c.classify(t) == Some(MapKind::Map) {
                    true
                } else {
                    // A slice literal allocates its array; a struct or array literal is a value.
                    let u = c.types.underlying(t);
                    matches!(c.types.get(u), Type::Slice(_)) && holds_map(c, t, 0).is_some()
                }
            }
            Node::AddrOf(lit) => {
                let t = expr_type(c, fi, Expr::CompositeLit(lit));
                c.classify(t) == Some(MapKind::Map) || holds_map(c, t, 0).is_some()
            }
            Node::FuncLit(fl) => !called_lits.contains(&off) && !captured(c, fi, fl).is_empty(),
            _ => false,
        };
        if site {
            out.push(MapSite {
                off,
                subject: source_name(fx, off).unwrap_or_default(),
                derivable: derivable(off),
            });
        }
    }
    // Receivers and parameters of functions with a body.
    for f in &fx.funcs {
        let (recv, ty) = match (f.decl, f.lit) {
            (Some(d), _) if d.body.is_some() => (d.recv, d.ty),
            (None, Some(l)) => match fx.nodes.get(&l) {
                Some(Node::FuncLit(fl)) => (None, fl.ty),
                _ => continue,
            },
            _ => continue,
        };
        for field in recv.into_iter().flat_map(|r| r.list).chain(ty.params.list) {
            for name in field.names {
                if name.name == "_" {
                    continue;
                }
                let Some(o) = ident_obj(c, fi, name) else {
                    continue;
                };
                let t = c.obj_type_pub(o);
                if c.classify(t).is_some() {
                    out.push(MapSite {
                        off: name.pos,
                        subject: name.name.to_string(),
                        derivable: derivable(name.pos),
                    });
                }
            }
        }
    }
    out
}

impl Prepared<'_> {
    /// The target file the compiler names `p`.
    pub(crate) fn find(&self, p: &Path) -> Option<u32> {
        self.files.find(p)
    }
}

pub(crate) fn prepare<'a>(c: &mut Checker<'a>) -> Prepared<'a> {
    use rayon::prelude::*;
    let files = TargetFiles::new(c);
    let todo: Vec<(u32, &'a ast::File<'a>, &'a [u8])> = c
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| c.infos[*i].recording)
        .map(|(i, f)| (i as u32, f.ast, f.src))
        .collect();
    let index: FxHashMap<u32, FileIndex<'a>> = todo
        .into_par_iter()
        .map(|(i, ast, src)| (i, FileIndex::new(i, ast, src)))
        .collect();
    let mut sites = FxHashMap::default();
    let mut ids: Vec<u32> = index.keys().copied().collect();
    ids.sort_unstable();
    for fi in ids {
        sites.insert(fi, map_sites(c, &index[&fi]));
    }
    Prepared {
        files,
        index,
        sites,
    }
}

/// Target files whose JSON log was overwritten: the compiler names a log file after the
/// source file's base name only, so when a function of another package's file of the same
/// name (`sync/atomic/type.go` and a `type.go` of the package) is inlined, one of the two logs
/// is lost. A lost file has functions but no log of its own while a file of its name has one.
/// Returns the directories of the packages to compile again with `-m=2`, and the files.
pub(crate) fn lost_files(
    c: &Checker<'_>,
    prep: &Prepared<'_>,
    log: &CompilerLog,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let logged: FxHashSet<u32> = log
        .logged
        .iter()
        .filter_map(|p| prep.files.find(p))
        .collect();
    let names: FxHashSet<&std::ffi::OsStr> =
        log.logged.iter().filter_map(|p| p.file_name()).collect();
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for p in &c.pkgs {
        if !p.desc.is_target {
            continue;
        }
        for &fi in &p.desc.files {
            let f = &c.files[fi as usize];
            if logged.contains(&fi) || !f.path.file_name().is_some_and(|n| names.contains(n)) {
                continue;
            }
            let has_body = f
                .ast
                .decls
                .iter()
                .any(|d| matches!(d, ast::Decl::Func(fd) if fd.body.is_some()));
            if has_body {
                files.push(f.path.clone());
                if !dirs.contains(&p.desc.dir) {
                    dirs.push(p.desc.dir.clone());
                }
            }
        }
    }
    (dirs, files)
}

/// Builds the report of the target packages of `c` from `log`.
pub(crate) fn analyze<'a>(
    c: &mut Checker<'a>,
    prep: Prepared<'a>,
    log: CompilerLog,
    mode: LogMode,
    cwd: &Path,
) -> Report {
    let t0 = std::time::Instant::now();
    let trace = |what: &str| {
        if std::env::var_os("MAPVET_TRACE").is_some() {
            eprintln!("analyze: {what} at {:?}", t0.elapsed());
        }
    };
    let Prepared {
        files,
        mut index,
        sites,
    } = prep;
    let CompilerLog {
        decisions,
        explanations,
        go_version,
        other,
        inlinable,
        logged: _,
        text_files,
    } = log;
    let text_files: FxHashSet<u32> = text_files.iter().filter_map(|p| files.find(p)).collect();
    let version = go_version.as_deref().and_then(parse_version);

    // Explanations by file, and by position.
    let mut expl_file: Vec<Option<u32>> = Vec::with_capacity(explanations.len());
    let mut expl_at: FxHashMap<(u32, u32, u32), Vec<usize>> = FxHashMap::default();
    let mut expl_of_file: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, e) in explanations.iter().enumerate() {
        let fi = files.find(&e.pos.file);
        expl_file.push(fi);
        if let Some(fi) = fi {
            expl_of_file.entry(fi).or_default().push(i);
            expl_at
                .entry((fi, e.pos.line, e.pos.col))
                .or_default()
                .push(i);
        }
    }

    // Decisions by file; a file compiled twice (a package and its test variant) keeps the
    // decisions of the first block that reported on it.
    let mut per_file: FxHashMap<u32, Vec<RawDecision>> = FxHashMap::default();
    let mut block_of: FxHashMap<u32, u32> = FxHashMap::default();
    let mut seen_at: FxHashSet<(u32, u32, u32, String)> = FxHashSet::default();
    for d in decisions {
        let Some(fi) = files.find(&d.pos.file) else {
            continue;
        };
        let b = *block_of.entry(fi).or_insert(d.block);
        if b != d.block {
            continue;
        }
        seen_at.insert((fi, d.pos.line, d.pos.col, d.subject.clone()));
        per_file.entry(fi).or_default().push(d);
    }
    // What the JSON log says and the text does not: everything, with the JSON log alone.
    // A parameter's leaks are one decision: to the heap if any leak is, else to a result,
    // else only its contents leak.
    let mut leaks: FxHashMap<(u32, u32, u32, String), LeakSummary> = FxHashMap::default();
    for (i, e) in explanations.iter().enumerate() {
        let Some(fi) = expl_file[i] else { continue };
        let key = (fi, e.pos.line, e.pos.col, e.subject.clone());
        if seen_at.contains(&key) {
            continue;
        }
        match &e.kind {
            ExplKind::Escape => {
                seen_at.insert(key);
                per_file.entry(fi).or_default().push(RawDecision {
                    pos: e.pos.clone(),
                    subject: e.subject.clone(),
                    verdict: RawVerdict::EscapesOrMoved,
                    package: String::new(),
                    block: 0,
                    derived: false,
                });
            }
            ExplKind::Leak { to, derefs } => {
                let entry = leaks.entry(key).or_default();
                if *derefs > 0 {
                    entry.content = true;
                } else if to == "{heap}" || !is_result_name(to) && to.starts_with('{') {
                    entry.heap = true;
                } else {
                    entry.result.get_or_insert_with(|| to.clone());
                }
            }
        }
    }
    let mut leak_keys: Vec<_> = leaks.into_iter().collect();
    leak_keys.sort_by(|a, b| a.0.cmp(&b.0));
    for ((fi, line, col, subject), l) in leak_keys {
        let verdict = if l.heap {
            RawVerdict::Leaks { to_result: None }
        } else if let Some(r) = l.result {
            RawVerdict::Leaks { to_result: Some(r) }
        } else if l.content {
            RawVerdict::LeaksContent
        } else {
            continue;
        };
        seen_at.insert((fi, line, col, subject.clone()));
        let file = c.files[fi as usize].path.clone();
        per_file.entry(fi).or_default().push(RawDecision {
            pos: crate::model::Pos { file, line, col },
            subject,
            verdict,
            package: String::new(),
            block: 0,
            derived: false,
        });
    }
    // With the JSON log, what it does not mention stays on the stack. Function literals the
    // compiler can inline may be inlined where they are called, the closure gone and its
    // allocations decided at the calls: nothing is said about their sites.
    let inlinable: FxHashSet<(u32, u32, u32)> = inlinable
        .iter()
        .filter_map(|p| files.find(&p.file).map(|fi| (fi, p.line, p.col)))
        .collect();
    if mode == LogMode::Json {
        let mut decided: FxHashSet<(u32, u32, u32)> = FxHashSet::default();
        for k in &seen_at {
            decided.insert((k.0, k.1, k.2));
        }
        let mut ids: Vec<&u32> = sites.keys().collect();
        ids.sort_unstable();
        for fi in ids {
            let fx = &index[fi];
            for site in &sites[fi] {
                if !site.derivable
                    || text_files.contains(fi)
                    || in_inlinable_literal(fx, site.off, &inlinable, *fi)
                {
                    continue;
                }
                let (line, col) = fx.lines.line_col(site.off);
                if decided.contains(&(*fi, line, col)) {
                    continue;
                }
                let file = c.files[*fi as usize].path.clone();
                per_file.entry(*fi).or_default().push(RawDecision {
                    pos: crate::model::Pos { file, line, col },
                    subject: site.subject.clone(),
                    verdict: RawVerdict::NoEscape,
                    package: String::new(),
                    block: 0,
                    derived: true,
                });
            }
        }
    }

    trace("grouped");
    let mut found: Vec<(u32, Decision, u32)> = Vec::new(); // (file, decision, function line)
    let mut file_ids: Vec<u32> = per_file.keys().copied().collect();
    file_ids.sort_unstable();
    for fi in file_ids {
        let raws = &per_file[&fi];
        let Some(fx) = index.remove(&fi) else {
            continue;
        };
        let display = display_path(&c.files[fi as usize].path, cwd);
        // Explanations of this file by subject (for `{storage for X}` and variables).
        let mut by_subject: FxHashMap<&str, Vec<(u32, usize)>> = FxHashMap::default();
        for &i in expl_of_file.get(&fi).map_or(&[][..], Vec::as_slice) {
            let e = &explanations[i];
            if e.kind != ExplKind::Escape {
                continue;
            }
            if let Some(off) = fx.offset(e.pos.line, e.pos.col) {
                by_subject
                    .entry(e.subject.as_str())
                    .or_default()
                    .push((off, i));
            }
        }
        let mut classified = Vec::new();
        for d in raws {
            let Some(off) = fx.offset(d.pos.line, d.pos.col) else {
                continue;
            };
            if let Some(mut site) = classify(c, &fx, d, off) {
                site.src = source_name(&fx, off).unwrap_or_else(|| clean_shapes(&site.name));
                classified.push((d, off, site));
            }
        }
        let mut used: FxHashMap<usize, ()> = FxHashMap::default();
        for (d, off, site) in classified {
            let expl = pick_explanation(&explanations, &expl_at, &mut used, fi, d, &site);
            let mut ex = Explainer {
                c: &mut *c,
                fx: &fx,
                expls: &explanations,
                by_subject: &by_subject,
                seen: Vec::new(),
                version,
            };
            let decision = ex.decision(d, off, &site, expl, &display);
            let fline = fx.top_func(off).map_or(0, |f| fx.line(f.span.start));
            found.push((fi, decision, fline));
        }
    }

    trace("explained");
    // Packages.
    let mut packages = Vec::new();
    let mut total = Summary::default();
    for p in 0..c.pkgs.len() {
        let desc = &c.pkgs[p].desc;
        if !desc.is_target {
            continue;
        }
        let mut decisions: Vec<(Decision, u32)> = found
            .iter()
            .filter(|(fi, _, _)| desc.files.contains(fi))
            .map(|(_, d, fl)| (d.clone(), *fl))
            .collect();
        decisions.sort_by(|a, b| {
            (&a.0.file, a.0.line, a.0.column).cmp(&(&b.0.file, b.0.line, b.0.column))
        });
        let mut summary = Summary::default();
        let mut functions: Vec<FunctionSummary> = Vec::new();
        for (d, fline) in &decisions {
            summary.count(d);
            match functions
                .iter_mut()
                .find(|f| f.name == d.function && f.file == d.file)
            {
                Some(f) => f.summary.count(d),
                None => {
                    let mut s = Summary::default();
                    s.count(d);
                    functions.push(FunctionSummary {
                        name: d.function.clone(),
                        file: d.file.clone(),
                        line: *fline,
                        summary: s,
                    });
                }
            }
        }
        functions.sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        total.add(&summary);
        packages.push(PackageReport {
            import_path: desc.import_path.clone(),
            dir: display_path(&desc.dir, cwd),
            summary,
            functions,
            decisions: decisions.into_iter().map(|(d, _)| d).collect(),
        });
    }
    packages.sort_by(|a, b| a.import_path.cmp(&b.import_path));

    let warnings = other
        .into_iter()
        .filter(|l| l.starts_with("go: ") || l.starts_with("warning: "))
        .collect();
    Report {
        go_version,
        log: match mode {
            LogMode::Json => "json".to_string(),
            LogMode::Text => "m=2".to_string(),
        },
        packages,
        summary: total,
        warnings,
    }
}

/// The leak records of one parameter.
#[derive(Default)]
struct LeakSummary {
    /// It leaks to the heap.
    heap: bool,
    /// It leaks to this result.
    result: Option<String>,
    /// Only what it points to leaks.
    content: bool,
}

/// Whether `off` is in (or is) a function literal the compiler reports it can inline.
fn in_inlinable_literal(
    fx: &FileIndex<'_>,
    off: u32,
    inlinable: &FxHashSet<(u32, u32, u32)>,
    fi: u32,
) -> bool {
    fx.funcs.iter().any(|f| {
        f.lit.is_some_and(|l| {
            f.span.start <= off && off < f.span.end && {
                let (line, col) = fx.lines.line_col(l);
                inlinable.contains(&(fi, line, col))
            }
        })
    })
}

/// `go1.26.1` → (1, 26).
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let v = v.strip_prefix("go")?;
    let mut it = v.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

/// A path for the report: relative to `cwd` when below it.
fn display_path(p: &Path, cwd: &Path) -> String {
    match p.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        Ok(_) => ".".to_string(),
        Err(_) => p.display().to_string(),
    }
}

/// The checked target files, found by the paths the compiler prints: absolute, through
/// symbolic links, or (with `-trimpath` in GOFLAGS) `import/path/file.go`.
pub(crate) struct TargetFiles {
    by_path: FxHashMap<PathBuf, u32>,
    by_canonical: FxHashMap<PathBuf, u32>,
    /// `import/path/base.go` → file.
    by_import: FxHashMap<String, u32>,
    /// Paths not found directly: their answer through `canonicalize` or the import path.
    misses: std::cell::RefCell<FxHashMap<PathBuf, Option<u32>>>,
}

impl TargetFiles {
    pub(crate) fn new(c: &Checker<'_>) -> TargetFiles {
        let mut by_path = FxHashMap::default();
        let mut by_canonical = FxHashMap::default();
        let mut by_import = FxHashMap::default();
        for (i, f) in c.files.iter().enumerate() {
            if !c.infos[i].recording {
                continue;
            }
            by_path.insert(f.path.clone(), i as u32);
            if let Ok(canon) = std::fs::canonicalize(&f.path) {
                by_canonical.insert(canon, i as u32);
            }
        }
        for p in &c.pkgs {
            if !p.desc.is_target {
                continue;
            }
            let ip = p.desc.import_path.trim_end_matches("_test");
            for &fi in &p.desc.files {
                if let Some(name) = c.files[fi as usize].path.file_name() {
                    by_import.insert(format!("{ip}/{}", name.to_string_lossy()), fi);
                }
            }
        }
        TargetFiles {
            by_path,
            by_canonical,
            by_import,
            misses: Default::default(),
        }
    }

    fn find(&self, p: &Path) -> Option<u32> {
        if let Some(&i) = self.by_path.get(p) {
            return Some(i);
        }
        if let Some(&r) = self.misses.borrow().get(p) {
            return r;
        }
        let r = std::fs::canonicalize(p)
            .ok()
            .and_then(|canon| self.by_canonical.get(&canon).copied())
            .or_else(|| {
                // `-trimpath`: a trailing `import/path/file.go` (relative paths were joined to
                // the go command's directory).
                let parts: Vec<String> = p
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                (2..=parts.len().min(12)).find_map(|n| {
                    self.by_import
                        .get(&parts[parts.len() - n..].join("/"))
                        .copied()
                })
            });
        self.misses.borrow_mut().insert(p.to_path_buf(), r);
        r
    }
}

/// What a decision is about, once recognised as map-related.
#[derive(Clone, Debug)]
struct Site {
    kind: Kind,
    outcome: Outcome,
    /// Variable / parameter name, or the compiler's name of the node.
    name: String,
    /// The node's source text (shortened), for messages.
    src: String,
    detail: Detail,
}

#[derive(Clone, Debug)]
enum Detail {
    None,
    /// `make(T, hint)`: the hint's text, and its value when it is a literal.
    Hint(Option<(String, Option<u64>)>),
    /// A map literal with this many entries.
    Entries(usize),
    /// An allocation inside an inlined call to this function.
    Inlined(String),
    /// A closure capturing these variables.
    Captures(Vec<String>),
    /// A value of type `ty` holding a map (`how`: "the map field `M`").
    Holds {
        ty: String,
        how: String,
    },
    /// A parameter; leaking to this result (`None`: the heap).
    Param {
        to_result: Option<String>,
    },
}

fn expr_type(c: &Checker<'_>, fi: u32, e: Expr<'_>) -> TypeId {
    c.infos[fi as usize]
        .expr_types
        .get(e.id().index())
        .copied()
        .unwrap_or(TypeId::UNKNOWN)
}

fn ident_obj(c: &Checker<'_>, fi: u32, i: &ast::Ident<'_>) -> Option<ObjId> {
    c.infos[fi as usize]
        .ident_objs
        .get(i.id.index())
        .copied()
        .filter(|o| !o.is_none())
}

fn builtin_of(c: &Checker<'_>, fi: u32, fun: Expr<'_>) -> Option<Builtin> {
    let Expr::Ident(i) = fun.unparen() else {
        return None;
    };
    match c.obj(ident_obj(c, fi, i)?).kind {
        ObjKind::Builtin(b) => Some(b),
        _ => None,
    }
}

/// How a value of type `t` holds a map (struct fields and array/slice elements, not through
/// pointers): "the map field `M`", "`inner`, which holds the map field `M`", "map elements".
fn holds_map(c: &mut Checker<'_>, t: TypeId, depth: u32) -> Option<String> {
    if depth > 3 || t.is_unknown() {
        return None;
    }
    c.classify(t);
    let u = c.types.underlying(t);
    match c.types.get(u).clone() {
        Type::Struct(fields) => {
            for f in &fields {
                if c.classify(f.ty).is_some() {
                    return Some(format!("the map field `{}`", c.obj(f.obj).name));
                }
            }
            for f in &fields {
                if let Some(inner) = holds_map(c, f.ty, depth + 1) {
                    return Some(format!("`{}`, which holds {inner}", c.obj(f.obj).name));
                }
            }
            None
        }
        Type::Array(e, _) | Type::Slice(e) => {
            if c.classify(e).is_some() {
                Some("map elements".to_string())
            } else {
                holds_map(c, e, depth + 1).map(|inner| format!("elements holding {inner}"))
            }
        }
        _ => None,
    }
}

fn type_string(c: &Checker<'_>, t: TypeId) -> String {
    c.types.display(t, &|o| c.obj_name(o))
}

/// Map or pointer-to-map variables (and variables holding a map) that a function literal
/// uses from outside itself.
fn captured(c: &mut Checker<'_>, fi: u32, fl: &ast::FuncLit<'_>) -> Vec<String> {
    struct Idents<'x, 'a>(&'x mut Vec<&'a ast::Ident<'a>>);
    impl<'a> Visitor<'a> for Idents<'_, 'a> {
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            if let Expr::Ident(i) = e {
                self.0.push(i);
            }
            true
        }
    }
    let mut ids = Vec::new();
    // SAFETY of lifetimes: the body lives in the checker's arenas for the whole analysis.
    visit::walk_stmt(&mut Idents(&mut ids), ast::Stmt::Block(fl.body));
    let mut out: Vec<String> = Vec::new();
    for i in ids {
        let Some(o) = ident_obj(c, fi, i) else {
            continue;
        };
        let ob = c.obj(o);
        let local = matches!(ob.kind, ObjKind::Var(k) if k != VarKind::Field) && !ob.package_level;
        let outside =
            ob.pos.file == fi && (ob.pos.offset < fl.span.start || ob.pos.offset >= fl.span.end);
        if !local || !outside || out.iter().any(|n| n == i.name) {
            continue;
        }
        let t = c.obj_type_pub(o);
        if c.classify(t).is_some() || holds_map(c, t, 0).is_some() {
            out.push(i.name.to_string());
        }
    }
    out
}

/// The type named in an allocation the compiler prints (`make(T, n)`, `new(T)`, `T{...}`,
/// `&T{...}`), with whether it was `&T{...}`.
fn allocated_type(subject: &str) -> Option<(&str, bool)> {
    if let Some(rest) = subject
        .strip_prefix("make(")
        .or_else(|| subject.strip_prefix("new("))
    {
        let rest = rest.strip_suffix(')')?;
        let mut depth = 0i32;
        for (i, ch) in rest.char_indices() {
            match ch {
                '[' | '(' | '{' => depth += 1,
                ']' | ')' | '}' => depth -= 1,
                ',' if depth == 0 => return Some((&rest[..i], false)),
                _ => {}
            }
        }
        return Some((rest, false));
    }
    let (s, addr) = match subject.strip_prefix('&') {
        Some(s) => (s, true),
        None => (subject, false),
    };
    let t = s.strip_suffix("{...}").or_else(|| s.strip_suffix("{}"))?;
    Some((t, addr))
}

/// Whether the type text of an inlined allocation is a map: `map[...]...`, or a defined type
/// of the file's package or of a package it imports (`Set`, `url.Values`).
fn type_text_is_map(c: &mut Checker<'_>, fi: u32, text: &str) -> bool {
    if text.starts_with("map[") {
        return true;
    }
    let (qual, name) = match text.rsplit_once('.') {
        Some((q, n)) => (Some(q), n),
        None => (None, text),
    };
    let name = name.split('[').next().unwrap_or(name);
    let Some(pkg) = c.pkgs.iter().position(|p| p.desc.files.contains(&fi)) else {
        return false;
    };
    let target = match qual {
        None => Some(pkg),
        Some(q) => {
            let q = q.rsplit('/').next().unwrap_or(q);
            let imports: Vec<u32> = c.pkgs[pkg].desc.imports.values().copied().collect();
            imports
                .into_iter()
                .map(|i| i as usize)
                .find(|&i| c.pkgs[i].desc.name == q)
        }
    };
    let Some(target) = target else {
        return false;
    };
    let Some(&obj) = c.pkgs[target].scope.get(name) else {
        return false;
    };
    if c.obj(obj).kind != ObjKind::TypeName {
        return false;
    }
    let t = c.obj_type_pub(obj);
    c.classify(t) == Some(MapKind::Map)
}

/// Recognises a map-related decision; `None` for everything else.
fn classify(c: &mut Checker<'_>, fx: &FileIndex<'_>, d: &RawDecision, off: u32) -> Option<Site> {
    let fi = fx.file;
    let node = fx.nodes.get(&off).copied();
    let outcome_alloc = |v: &RawVerdict| match v {
        RawVerdict::Escapes | RawVerdict::EscapesOrMoved => Some(Outcome::Heap),
        RawVerdict::NoEscape => Some(Outcome::Stack),
        _ => None,
    };
    match (&d.verdict, node) {
        // Variables moved to the heap.
        (RawVerdict::Moved, Some(Node::Ident(id)))
        | (RawVerdict::EscapesOrMoved, Some(Node::Ident(id))) => {
            if id.name != d.subject {
                return None;
            }
            let o = ident_obj(c, fi, id)?;
            // A variable is moved at its declaration; `x escapes to heap` at a use of `x` is
            // a copy of its value converted to an interface.
            let decl = c.obj(o).pos;
            if !c.obj(o).is_var() || decl.file != fi || decl.offset != id.pos {
                return None;
            }
            let t = c.obj_type_pub(o);
            if let Some(k) = c.classify(t) {
                return Some(Site {
                    kind: Kind::Variable,
                    outcome: Outcome::Moved,
                    name: id.name.to_string(),
                    src: String::new(),
                    detail: Detail::Holds {
                        ty: type_string(c, t),
                        how: if k == MapKind::PtrMap {
                            "a pointer to a map"
                        } else {
                            "a map"
                        }
                        .to_string(),
                    },
                });
            }
            let how = holds_map(c, t, 0)?;
            Some(Site {
                kind: Kind::StructVariable,
                outcome: Outcome::Moved,
                name: id.name.to_string(),
                src: String::new(),
                detail: Detail::Holds {
                    ty: type_string(c, t),
                    how,
                },
            })
        }
        // Parameters.
        (
            RawVerdict::Leaks { .. } | RawVerdict::LeaksContent | RawVerdict::NoEscape,
            Some(Node::Ident(id)),
        ) => {
            if id.name != d.subject {
                return None;
            }
            let o = ident_obj(c, fi, id)?;
            if !matches!(
                c.obj(o).kind,
                ObjKind::Var(VarKind::Param | VarKind::Receiver)
            ) {
                return None;
            }
            let t = c.obj_type_pub(o);
            let k = c.classify(t)?;
            let (outcome, to_result) = match &d.verdict {
                RawVerdict::Leaks { to_result } => (Outcome::Leaks, to_result.clone()),
                // What a map parameter points to is the map's own memory: only a pointer to a
                // map has a map as its content.
                RawVerdict::LeaksContent if k == MapKind::PtrMap => (Outcome::Leaks, None),
                RawVerdict::NoEscape => (Outcome::NoLeak, None),
                _ => return None,
            };
            Some(Site {
                kind: Kind::Parameter,
                outcome,
                name: id.name.to_string(),
                src: String::new(),
                detail: Detail::Param { to_result },
            })
        }
        (v, Some(Node::Call(call))) => {
            let outcome = outcome_alloc(v)?;
            let b = builtin_of(c, fi, call.fun);
            match b {
                Some(Builtin::Make) => {
                    let t = expr_type(c, fi, Expr::Call(call));
                    if c.classify(t) != Some(MapKind::Map) {
                        return None;
                    }
                    let hint = call.args.get(1).map(|h| {
                        let text = fx.text(h.span()).to_string();
                        let val = match h.unparen() {
                            Expr::BasicLit(l) => parse_int(l.value),
                            _ => None,
                        };
                        (text, val)
                    });
                    Some(Site {
                        kind: Kind::Make,
                        outcome,
                        name: d.subject.clone(),
                        src: String::new(),
                        detail: Detail::Hint(hint),
                    })
                }
                Some(Builtin::New) => {
                    let t = expr_type(c, fi, Expr::Call(call));
                    (c.classify(t) == Some(MapKind::PtrMap)).then(|| Site {
                        kind: Kind::New,
                        outcome,
                        name: d.subject.clone(),
                        src: String::new(),
                        detail: Detail::None,
                    })
                }
                Some(_) => None,
                None => {
                    // An allocation of an inlined call, reported at the call.
                    let (ty, addr) = allocated_type(&d.subject)?;
                    if addr || !type_text_is_map(c, fi, ty) {
                        return None;
                    }
                    let callee = match call.fun.unparen() {
                        Expr::FuncLit(f) => {
                            format!("the function literal at line {}", fx.line(f.span.start))
                        }
                        f => format!("`{}`", shorten(fx.text(f.span()), 40)),
                    };
                    Some(Site {
                        kind: Kind::Inlined,
                        outcome,
                        name: d.subject.clone(),
                        src: String::new(),
                        detail: Detail::Inlined(callee),
                    })
                }
            }
        }
        (v, Some(Node::Lit(lit))) => {
            let outcome = outcome_alloc(v)?;
            let t = expr_type(c, fi, Expr::CompositeLit(lit));
            if c.classify(t) == Some(MapKind::Map) {
                return Some(Site {
                    kind: Kind::Literal,
                    outcome,
                    name: d.subject.clone(),
                    src: String::new(),
                    detail: Detail::Entries(lit.elts.len()),
                });
            }
            let how = holds_map(c, t, 0)?;
            Some(Site {
                kind: Kind::Composite,
                outcome,
                name: d.subject.clone(),
                src: String::new(),
                detail: Detail::Holds {
                    ty: type_string(c, t),
                    how,
                },
            })
        }
        (v, Some(Node::AddrOf(lit))) => {
            let outcome = outcome_alloc(v)?;
            let t = expr_type(c, fi, Expr::CompositeLit(lit));
            if c.classify(t) == Some(MapKind::Map) {
                return Some(Site {
                    kind: Kind::New,
                    outcome,
                    name: d.subject.clone(),
                    src: String::new(),
                    detail: Detail::None,
                });
            }
            let how = holds_map(c, t, 0)?;
            Some(Site {
                kind: Kind::Composite,
                outcome,
                name: d.subject.clone(),
                src: String::new(),
                detail: Detail::Holds {
                    ty: type_string(c, t),
                    how,
                },
            })
        }
        (v, Some(Node::FuncLit(fl))) => {
            let outcome = outcome_alloc(v)?;
            let caps = captured(c, fi, fl);
            (!caps.is_empty()).then(|| Site {
                kind: Kind::Closure,
                outcome,
                name: d.subject.clone(),
                src: String::new(),
                detail: Detail::Captures(caps),
            })
        }
        _ => None,
    }
}

/// The source text naming the node at `off`: the call, the literal (`T{...}` when long), or
/// the name.
fn source_name(fx: &FileIndex<'_>, off: u32) -> Option<String> {
    let lit = |l: &ast::CompositeLit<'_>| {
        let text = fx.text(l.span);
        if text.len() <= 40 && !text.contains('\n') {
            text.to_string()
        } else {
            let ty = l.ty.map_or("", |t| fx.text(t.span()));
            format!("{}{{...}}", shorten(ty, 40))
        }
    };
    Some(match fx.nodes.get(&off)? {
        Node::Call(c) => {
            let text = fx.text(c.span);
            if text.contains('\n') {
                format!("{}(...)", shorten(fx.text(c.fun.span()), 40))
            } else {
                shorten(text, 60)
            }
        }
        Node::Lit(l) => lit(l),
        Node::AddrOf(l) => format!("&{}", lit(l)),
        Node::FuncLit(_) => "func literal".to_string(),
        Node::Ident(i) => i.name.to_string(),
        _ => return None,
    })
}

/// The compiler's names of generic shapes (`go.shape.string_0`) as plain types (`string`).
fn clean_shapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("go.shape.") {
        out.push_str(&rest[..i]);
        rest = &rest[i + "go.shape.".len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        // `string_0`: the shape's index.
        let name = match name.rsplit_once('_') {
            Some((n, idx)) if !idx.is_empty() && idx.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => name,
        };
        out.push_str(name);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn parse_int(lit: &str) -> Option<u64> {
    let s: String = lit.chars().filter(|&c| c != '_').collect();
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(b) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        u64::from_str_radix(b, 2).ok()
    } else if let Some(o) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        u64::from_str_radix(o, 8).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

/// The explanation of a decision: same position and subject (and for a leak, the same
/// destination); each used once, in order, so that several inlined copies at one call each
/// get their own.
fn pick_explanation(
    expls: &[Explanation],
    at: &FxHashMap<(u32, u32, u32), Vec<usize>>,
    used: &mut FxHashMap<usize, ()>,
    fi: u32,
    d: &RawDecision,
    site: &Site,
) -> Option<usize> {
    if !site.outcome.escapes() {
        return None;
    }
    let cands = at.get(&(fi, d.pos.line, d.pos.col))?;
    let want_result = match &site.detail {
        Detail::Param { to_result } => Some(to_result.clone()),
        _ => None,
    };
    let ok = |i: usize| {
        let e = &expls[i];
        if e.subject != d.subject {
            return false;
        }
        match (&e.kind, &want_result) {
            (ExplKind::Escape, None) => true,
            (ExplKind::Leak { to, .. }, Some(r)) => match r {
                Some(r) => to.eq_ignore_ascii_case(r),
                None => to == "{heap}" || !is_result_name(to),
            },
            _ => false,
        }
    };
    let i = cands
        .iter()
        .copied()
        .find(|&i| ok(i) && !used.contains_key(&i))
        .or_else(|| cands.iter().copied().find(|&i| ok(i)))
        .or_else(|| {
            // A leak to a result explained only as a leak to the heap, or the reverse.
            cands
                .iter()
                .copied()
                .find(|&i| expls[i].subject == d.subject && want_result.is_some())
        })?;
    used.insert(i, ());
    Some(i)
}

/// `~r0`, `~R1`: the compiler's names of unnamed results.
fn is_result_name(s: &str) -> bool {
    s.len() > 2
        && (s.starts_with("~r") || s.starts_with("~R"))
        && s[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Turns chains into sentences, for one file.
struct Explainer<'x, 'a> {
    c: &'x mut Checker<'a>,
    fx: &'x FileIndex<'a>,
    expls: &'x [Explanation],
    /// Escape explanations of the file by subject: (offset, index).
    by_subject: &'x FxHashMap<&'x str, Vec<(u32, usize)>>,
    /// Explanations being explained (cycles, depth).
    seen: Vec<usize>,
    version: Option<(u32, u32)>,
}

/// One event of a chain: a `from WHAT (WHY) at POS` note with the flow it belongs to.
struct Ev<'e> {
    why: &'e str,
    what: &'e str,
    off: Option<u32>,
    line: Option<u32>,
    dst: &'e str,
}

fn reason(text: impl Into<String>, line: Option<u32>) -> Reason {
    Reason {
        text: text.into(),
        line,
    }
}

fn at_line(line: Option<u32>) -> String {
    line.map_or_else(String::new, |l| format!(" (line {l})"))
}

/// Joins reasons into one clause list: `it is stored in ..., which ...`.
fn join(rs: &[Reason]) -> String {
    let mut s = String::new();
    for (i, r) in rs.iter().enumerate() {
        if i == 0 {
            let first = r.text.split(' ').next().unwrap_or("");
            if matches!(
                first,
                "stored"
                    | "returned"
                    | "passed"
                    | "captured"
                    | "assigned"
                    | "converted"
                    | "sent"
                    | "used"
                    | "appended"
            ) {
                s.push_str("it is ");
            }
        } else {
            s.push_str(", ");
            let first = r.text.split(' ').next().unwrap_or("");
            if matches!(
                first,
                "stored"
                    | "returned"
                    | "passed"
                    | "captured"
                    | "assigned"
                    | "converted"
                    | "sent"
                    | "used"
                    | "appended"
            ) {
                s.push_str("then ");
            }
        }
        s.push_str(&r.text);
    }
    s
}

impl<'a> Explainer<'_, 'a> {
    fn func_name(&self, off: u32) -> String {
        self.fx
            .top_func(off)
            .map_or_else(|| PACKAGE_INIT.to_string(), |f| f.name.clone())
    }

    /// "`F`" or "the function literal at line L" for the innermost function at `off`.
    fn returner(&self, off: u32) -> String {
        match self.fx.func_at(off) {
            Some(i) => {
                let f = &self.fx.funcs[i];
                match f.lit {
                    Some(l) => format!("the function literal at line {}", self.fx.line(l)),
                    None => format!("`{}`", f.name),
                }
            }
            None => "the package initializer".to_string(),
        }
    }

    /// Names of the results of the innermost function at `off`.
    fn result_names(&self, off: u32) -> Vec<&'a str> {
        let Some(i) = self.fx.func_at(off) else {
            return Vec::new();
        };
        let f = &self.fx.funcs[i];
        let ty = match (f.decl, f.lit) {
            (Some(d), _) => Some(d.ty),
            (None, Some(l)) => match self.fx.nodes.get(&l) {
                Some(Node::FuncLit(fl)) => Some(fl.ty),
                _ => None,
            },
            _ => None,
        };
        let mut out = Vec::new();
        if let Some(r) = ty.and_then(|t| t.results) {
            for field in r.list {
                for n in field.names {
                    out.push(n.name);
                }
            }
        }
        out
    }

    fn callee(&self, call: &ast::CallExpr<'_>) -> String {
        match call.fun.unparen() {
            Expr::FuncLit(f) => format!(
                "the function literal at line {}",
                self.fx.line(f.span.start)
            ),
            f => format!("`{}`", shorten(self.fx.text(f.span()), 40)),
        }
    }

    /// The parameter type an interface-converted argument at `arg_off` meets: `...any`, `any`,
    /// `io.Writer`.
    fn param_type(&mut self, call: &ast::CallExpr<'_>, arg_off: Option<u32>) -> Option<String> {
        let t = expr_type(self.c, self.fx.file, call.fun);
        if t.is_unknown() {
            return None;
        }
        self.c.classify(t);
        let u = self.c.types.underlying(t);
        let Type::Func(sig) = self.c.types.get(u).clone() else {
            return None;
        };
        let n = sig.params.len();
        let idx = arg_off.and_then(|o| call.args.iter().position(|a| a.span().start == o));
        let pick = match idx {
            Some(i) if sig.variadic && i + 1 >= n && call.ellipsis.is_none() => Some((n - 1, true)),
            Some(i) if i < n => Some((i, false)),
            _ if sig.variadic && n > 0 => Some((n - 1, true)),
            _ => (0..n)
                .find(|&i| self.c.types.is_interface(sig.params[i]))
                .map(|i| (i, false)),
        }?;
        let (i, variadic) = pick;
        let mut pt = sig.params[i];
        if variadic {
            let pu = self.c.types.underlying(pt);
            if let Type::Slice(e) = self.c.types.get(pu) {
                pt = *e;
            }
        }
        let shown = self.type_name(pt);
        Some(if variadic {
            format!("...{shown}")
        } else {
            shown
        })
    }

    fn type_name(&self, t: TypeId) -> String {
        let c = &*self.c;
        if let Type::Interface(i) = c.types.get(t) {
            if i.methods.is_empty() && i.embeddeds.is_empty() {
                return "any".to_string();
            }
        }
        let name_of = |o: ObjId| {
            let ob = c.obj(o);
            match ob.pkg {
                Some(p) if !c.pkgs[p.0 as usize].desc.files.contains(&self.fx.file) => {
                    format!("{}.{}", c.pkgs[p.0 as usize].desc.name, ob.name)
                }
                _ => ob.name.to_string(),
            }
        };
        c.types.display(t, &name_of)
    }

    /// How a store into the left side of `what` (`global = m`, `h.M = m`, `outer[k] = m`,
    /// `*p = m`) puts the value on the heap.
    fn heap_store(&mut self, ev: &Ev<'_>, iface: bool) -> String {
        let lhs = ev
            .what
            .split(" = ")
            .next()
            .unwrap_or(ev.what)
            .split(" := ")
            .next()
            .unwrap_or(ev.what)
            .trim();
        let conv = if iface {
            "converted to an interface and "
        } else {
            ""
        };
        let line = at_line(ev.line);
        // The left side in the syntax tree, when the note sits on an assignment.
        let lhs_expr = ev.off.and_then(|o| match self.fx.nodes.get(&o) {
            Some(Node::Assign(a)) => a
                .lhs
                .iter()
                .copied()
                .find(|l| self.fx.text(l.span()) == lhs)
                .or_else(|| a.lhs.first().copied()),
            // `var x = ...`: the note sits on the name.
            Some(Node::Ident(i)) => Some(Expr::Ident(i)),
            _ => None,
        });
        match lhs_expr.map(|e| e.unparen()) {
            Some(Expr::Ident(i)) => {
                let global = ident_obj(self.c, self.fx.file, i)
                    .is_some_and(|o| self.c.obj(o).package_level && self.c.obj(o).is_var());
                if global {
                    return format!("{conv}stored in the package-level variable `{lhs}`{line}");
                }
                format!("{conv}assigned to `{lhs}`{line}, which outlives the call")
            }
            Some(Expr::Index(ix)) => {
                let t = expr_type(self.c, self.fx.file, ix.x);
                if self.c.classify(t) == Some(MapKind::Map) {
                    format!(
                        "{conv}stored in the map `{}`{line}: what a map holds lives on the heap",
                        shorten(self.fx.text(ix.x.span()), 30)
                    )
                } else {
                    format!("{conv}stored in `{lhs}`{line}, an element of memory on the heap")
                }
            }
            Some(Expr::Selector(_)) => format!(
                "{conv}stored in `{lhs}`{line}, which points outside the function, so it must be on the heap"
            ),
            Some(Expr::Star(_)) => format!(
                "{conv}stored through the pointer `{}`{line}, so it must be on the heap",
                lhs.trim_start_matches('*')
            ),
            _ if lhs.starts_with('*') || lhs.contains('.') || lhs.contains('[') => format!(
                "{conv}stored in `{lhs}`{line}, memory outside the function, so it must be on the heap"
            ),
            _ => format!("{conv}assigned to `{lhs}`{line}, which is on the heap"),
        }
    }

    /// The reason chain of explanation `ei` about the site at `site_off`.
    fn chain(&mut self, ei: usize, site_off: u32, inlined_site: bool) -> Vec<Reason> {
        if self.seen.contains(&ei) || self.seen.len() > 4 {
            return Vec::new();
        }
        self.seen.push(ei);
        let e = &self.expls[ei];
        let mut evs: Vec<Ev<'_>> = Vec::new();
        for f in e.flows() {
            for n in &f.notes {
                let (off, line) = match &n.pos {
                    Some(p) if p.file == e.pos.file => {
                        (self.fx.offset(p.line, p.col), Some(p.line))
                    }
                    Some(p) => (None, Some(p.line)),
                    None => (None, None),
                };
                evs.push(Ev {
                    why: &n.why,
                    what: &n.what,
                    off,
                    line,
                    dst: &f.dst,
                });
            }
        }
        let site_line = self.fx.line(site_off);
        let last_dst: &str = e.flows().last().map_or("", |f| f.dst.as_str());
        let mut out: Vec<Reason> = Vec::new();
        let mut iface: Option<Option<u32>> = None; // pending interface conversion (its offset)
        let mut returned = false;
        let mut closure_done = false;
        let mut anchor = site_off;
        let mut inlined_store: Option<&str> = None;
        let mut i = 0;
        while i < evs.len() {
            let ev = &evs[i];
            if let Some(o) = ev.off {
                anchor = anchor.max(o);
            }
            if ev.why == "spill" {
                i += 1;
                continue;
            }
            if inlined_site && ev.off == Some(site_off) {
                // Inside the inlined callee: only a store to the heap there is worth saying.
                if ev.dst == "{heap}" && ev.why.starts_with("assign") && inlined_store.is_none() {
                    inlined_store = Some(ev.what);
                }
                i += 1;
                continue;
            }
            // Events at a call's `(`: passing the value into the call (its inlined body too).
            let call = ev.off.and_then(|o| match self.fx.nodes.get(&o) {
                Some(Node::Call(c)) => Some(*c),
                _ => None,
            });
            if let (Some(call), Some(off)) = (call, ev.off) {
                let b = builtin_of(self.c, self.fx.file, call.fun);
                if !matches!(b, Some(Builtin::Make | Builtin::New)) {
                    let mut j = i;
                    let mut has_iface = false;
                    let mut heap_store: Option<&str> = None;
                    let mut leaks = false;
                    let mut returns = false;
                    while j < evs.len() && evs[j].off == Some(off) {
                        match evs[j].why {
                            "interface-converted" => has_iface = true,
                            "call parameter" if evs[j].dst == "{heap}" => leaks = true,
                            "return" => returns = true,
                            w if w.starts_with("assign") && evs[j].dst == "{heap}" => {
                                heap_store = Some(evs[j].what)
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    let line = Some(self.fx.line(off));
                    let text = if b == Some(Builtin::Append) {
                        format!(
                            "appended to a slice by `append`{}: a slice's elements are not tracked, so it must be on the heap",
                            at_line(line)
                        )
                    } else if let Some(&(is_go, gl)) = self.fx.go_calls.get(&off) {
                        closure_done = true;
                        if is_go {
                            format!(
                                "passed to the goroutine started at line {gl} (`{}`): a goroutine may outlive the function, so what it is given lives on the heap",
                                shorten(self.fx.text(call.span), 50)
                            )
                        } else {
                            format!("passed to the call deferred at line {gl}")
                        }
                    } else {
                        let callee = self.callee(call);
                        let mut t = format!("passed to {callee}{}", at_line(line));
                        // The chain ends in this call: the callee lets its argument escape.
                        let ends_here = leaks || (j == evs.len() && last_dst == "{heap}");
                        if has_iface || iface.is_some() {
                            let arg = iface.flatten();
                            let p = self.param_type(call, arg);
                            match (p, ends_here) {
                                (Some(p), true) => t.push_str(&format!(
                                    ", which takes `{p}`: converting it to an interface makes it escape, because {callee} lets its arguments escape"
                                )),
                                (None, true) => t.push_str(&format!(
                                    " as an interface: converting it makes it escape, because {callee} lets its arguments escape"
                                )),
                                (Some(p), false) => t.push_str(&format!(" as `{p}`")),
                                (None, false) => t.push_str(" as an interface"),
                            }
                            iface = None;
                        } else if let Some(w) = heap_store {
                            t.push_str(&format!(
                                ", which stores it on the heap (`{}`)",
                                shorten(w, 50)
                            ));
                        } else if leaks {
                            t.push_str(&format!(
                                ", which lets it escape (that parameter of {callee} leaks)"
                            ));
                        } else if returns {
                            t.push_str(", which returns it");
                        }
                        t
                    };
                    if out.last().map(|r| &r.text) != Some(&text) {
                        out.push(reason(text, line));
                    }
                    i = j;
                    continue;
                }
            }
            let line = ev.line;
            match ev.why {
                "interface-converted" => {
                    iface = Some(ev.off);
                }
                w if w.starts_with("assign") || w == "range" => {
                    let dst = ev.dst;
                    if dst == "{heap}" {
                        let t = self.heap_store(ev, iface.is_some());
                        iface = None;
                        out.push(reason(t, line));
                    } else if is_plain_name(dst) {
                        let named_result = self.result_names(ev.off.unwrap_or(site_off)).contains(&dst);
                        if named_result {
                            returned = true;
                            out.push(reason(
                                format!(
                                    "assigned to the result `{dst}` of {}{}",
                                    self.returner(ev.off.unwrap_or(site_off)),
                                    at_line(line)
                                ),
                                line,
                            ));
                        } else if line != Some(site_line) {
                            let conv = if iface.take().is_some() { "converted to an interface and " } else { "" };
                            out.push(reason(format!("{conv}assigned to `{dst}`{}", at_line(line)), line));
                        }
                    }
                }
                "return" => {
                    returned = true;
                    let by = self.returner(ev.off.unwrap_or(site_off));
                    out.push(reason(format!("returned by {by}{}", at_line(line)), line));
                }
                "address-of" => {
                    let x = ev.what.trim_start_matches('&');
                    if i + 1 < evs.len() && evs[i + 1].why == "return" {
                        returned = true;
                        let l2 = evs[i + 1].line;
                        out.push(reason(format!("its address `&{x}` is returned{}", at_line(l2)), l2));
                        i += 2;
                        continue;
                    }
                    out.push(reason(format!("its address `&{x}` is taken{}", at_line(line)), line));
                }
                "slice-literal-element" if ev.what == "... argument" => {}
                "slice-literal-element" => out.push(reason(
                    format!("stored in the slice literal `{}`{}", shorten(ev.what, 40), at_line(line)),
                    line,
                )),
                "array literal element" => out.push(reason(
                    format!("stored in the array literal `{}`{}", shorten(ev.what, 40), at_line(line)),
                    line,
                )),
                "struct literal element" => out.push(reason(
                    format!("stored in the struct literal `{}`{}", shorten(ev.what, 40), at_line(line)),
                    line,
                )),
                "call parameter" => out.push(reason(
                    format!("passed to `{}`{}", shorten(ev.what, 50), at_line(line)),
                    line,
                )),
                "captured by a closure" | "reference" if !closure_done => {
                    let text = self.capture(ev.off);
                    if let Some((text, done)) = text {
                        closure_done = done;
                        out.push(reason(text, line));
                    }
                }
                "key of map put" => out.push(reason(
                    format!("used as a key of the map in `{}`{}: map keys are stored in the map's memory on the heap", shorten(ev.what, 40), at_line(line)),
                    line,
                )),
                "map literal key" | "map literal value" => out.push(reason(
                    format!("stored in a map literal{}: what a map holds lives on the heap", at_line(line)),
                    line,
                )),
                "send" => out.push(reason(
                    format!("sent on a channel{}: another goroutine may receive it, so it must be on the heap", at_line(line)),
                    line,
                )),
                "conversion to unsafe.Pointer" => out.push(reason(
                    format!("converted to `unsafe.Pointer`{}", at_line(line)),
                    line,
                )),
                _ => {}
            }
            i += 1;
        }
        if let Some(off) = iface {
            let line = off.map(|o| self.fx.line(o));
            if out.last().is_none_or(|r| r.line != line) {
                out.push(reason(
                    format!("converted to an interface{}", at_line(line)),
                    line,
                ));
            }
        }

        // Two notes can say the same (`captured by a closure`, then `reference`).
        out.dedup_by(|a, b| a.text == b.text);

        // Where the chain ends.
        let dst = last_dst;
        if is_result_name(dst) {
            if !returned {
                out.push(reason(
                    format!("returned by {}", self.returner(anchor)),
                    None,
                ));
            }
        } else if let Some(x) = dst
            .strip_prefix("{storage for ")
            .and_then(|s| s.strip_suffix('}'))
        {
            if !closure_done {
                let sub = self.storage(x, anchor, site_off);
                match sub {
                    Some((off, sub)) if !sub.is_empty() => {
                        let line = self.fx.line(off);
                        let what = if x == "func literal" {
                            format!("the function literal at line {line}")
                        } else {
                            format!("`{}` (line {line})", shorten(x, 40))
                        };
                        // Drop what the outer chain just said.
                        let mut sub = sub;
                        while let (Some(first), Some(last)) = (sub.first(), out.last()) {
                            if first.text == last.text {
                                sub.remove(0);
                            } else {
                                break;
                            }
                        }
                        let captured = x == "func literal"
                            && out.last().is_some_and(|r| {
                                r.text.starts_with(&format!(
                                    "captured by the function literal at line {line}"
                                ))
                            });
                        let already = captured || out.last().is_some_and(|r| r.line == Some(line));
                        let text = match (already, sub.is_empty()) {
                            (true, true) => "which escapes".to_string(),
                            (true, false) => format!("which escapes: {}", join(&sub)),
                            (false, true) => format!("held by {what}, which escapes"),
                            (false, false) => {
                                format!("held by {what}, which escapes: {}", join(&sub))
                            }
                        };
                        match out.last_mut() {
                            Some(last) if already => {
                                last.text.push_str(", ");
                                last.text.push_str(&text);
                            }
                            _ => out.push(reason(text, Some(line))),
                        }
                    }
                    _ => out.push(reason(
                        format!("held by `{}`, which escapes to the heap", shorten(x, 40)),
                        None,
                    )),
                }
            }
        } else if is_plain_name(dst) && !returned {
            if self.result_names(anchor).contains(&dst) {
                out.push(reason(
                    format!(
                        "assigned to the result `{dst}` of {}, so it is returned",
                        self.returner(anchor)
                    ),
                    None,
                ));
            } else if let Some((off, sub)) = self.variable(dst, anchor) {
                let line = self.fx.line(off);
                let moved = if sub.is_empty() {
                    "which is moved to the heap".to_string()
                } else {
                    format!("which is moved to the heap: {}", join(&sub))
                };
                let assigned = format!("assigned to `{dst}`");
                match out.last_mut() {
                    Some(r) if r.text.starts_with(&assigned) => {
                        r.text.push_str(", ");
                        r.text.push_str(&moved);
                    }
                    _ => out.push(reason(
                        format!("stored in `{dst}` (line {line}), {moved}"),
                        Some(line),
                    )),
                }
            }
        } else if dst == "{heap}" && out.is_empty() {
            match inlined_store {
                Some(w) => out.push(reason(
                    format!(
                        "the inlined body stores it where it outlives the call (`{}`)",
                        shorten(w, 60)
                    ),
                    Some(site_line),
                )),
                None => out.push(reason("it flows to the heap directly", None)),
            }
        }
        self.seen.pop();
        out
    }

    /// The closure that captures at `off`: (reason, whether the closure's fate is said).
    fn capture(&self, off: Option<u32>) -> Option<(String, bool)> {
        let off = off?;
        // The implicit closure of `go f(x)` / `defer f(x)`, at the keyword (Go 1.21+) or at the
        // call's `(`.
        let stmt = match self.fx.nodes.get(&off) {
            Some(Node::Go(c)) => self.fx.go_calls.get(&c.lparen).map(|x| (x, c.span)),
            Some(Node::Defer(c)) => self.fx.go_calls.get(&c.lparen).map(|x| (x, c.span)),
            Some(Node::Call(c)) => self.fx.go_calls.get(&c.lparen).map(|x| (x, c.span)),
            _ => None,
        };
        if let Some((&(is_go, line), span)) = stmt {
            let call = shorten(self.fx.text(span), 50);
            return Some(if is_go {
                (
                    format!("passed to the goroutine started at line {line} (`go {call}`): a goroutine may outlive the function, so what it is given lives on the heap"),
                    true,
                )
            } else {
                (
                    format!("passed to the call deferred at line {line} (`defer {call}`)"),
                    false,
                )
            });
        }
        let fi = self.fx.func_at(off)?;
        let f = &self.fx.funcs[fi];
        let lit_line = self.fx.line(f.lit?);
        Some(if let Some(g) = f.go_line {
            (
                format!("captured by the goroutine started at line {g}: a goroutine may outlive the function, so what it captures lives on the heap"),
                true,
            )
        } else if let Some(d) = f.defer_line {
            (
                format!("captured by the function deferred at line {d}"),
                false,
            )
        } else {
            (
                format!("captured by the function literal at line {lit_line}"),
                false,
            )
        })
    }

    /// The escape explanation of `{storage for X}`: the allocation `X` around or after
    /// `anchor` in the same function, and its chain.
    fn storage(&mut self, x: &str, anchor: u32, site_off: u32) -> Option<(u32, Vec<Reason>)> {
        let cands = self.by_subject.get(x)?;
        let top = self.fx.top_func(site_off).map(|f| f.span);
        let same = |o: u32| top.is_none_or(|s| s.start <= o && o < s.end);
        let pick = cands
            .iter()
            .filter(|(o, _)| same(*o) && *o <= anchor)
            .max_by_key(|(o, _)| *o)
            .or_else(|| {
                cands
                    .iter()
                    .filter(|(o, _)| same(*o) && *o >= site_off)
                    .min_by_key(|(o, _)| *o)
            })
            .copied()?;
        let (off, ei) = pick;
        // An allocation of an inlined call, reported at the call.
        let inlined = matches!(self.fx.nodes.get(&off), Some(Node::Call(c))
            if !matches!(builtin_of(self.c, self.fx.file, c.fun), Some(Builtin::Make | Builtin::New)));
        Some((off, self.chain(ei, off, inlined)))
    }

    /// The explanation of variable `name` being moved to the heap: declared before `anchor`
    /// in the same function.
    fn variable(&mut self, name: &str, anchor: u32) -> Option<(u32, Vec<Reason>)> {
        let cands = self.by_subject.get(name)?;
        let top = self.fx.top_func(anchor).map(|f| f.span);
        let same = |o: u32| top.is_none_or(|s| s.start <= o && o < s.end);
        let (off, ei) = cands
            .iter()
            .filter(|(o, _)| {
                same(*o) && *o <= anchor && matches!(self.fx.nodes.get(o), Some(Node::Ident(_)))
            })
            .max_by_key(|(o, _)| *o)
            .copied()?;
        Some((off, self.chain(ei, off, false)))
    }

    /// What stays on the stack, for a map that does not escape.
    fn stack_note(&self, site: &Site, func: &str) -> String {
        let slot = match self.version {
            Some((1, m)) if m >= 24 => "group",
            Some(_) => "bucket",
            None => "bucket (group since Go 1.24)",
        };
        let frame = if func == PACKAGE_INIT {
            "the package initializer's stack frame".to_string()
        } else {
            format!("`{func}`'s stack frame")
        };
        match &site.detail {
            Detail::Hint(Some((_, Some(n)))) if *n > 8 => format!(
                "its header lives in {frame}, but with a size hint of {n} its table is allocated on the heap"
            ),
            Detail::Hint(Some((text, None))) => format!(
                "its header lives in {frame}, and so does its first {slot} of 8 entries when the size hint `{}` is at most 8 at run time; beyond that it allocates on the heap",
                shorten(text, 30)
            ),
            Detail::Entries(n) if *n > 8 => format!(
                "its header lives in {frame}; with {n} entries its table is allocated on the heap"
            ),
            _ => format!(
                "its header and first {slot} of 8 entries live in {frame}; it allocates on the heap only if it grows beyond that"
            ),
        }
    }

    /// Builds the reported decision.
    fn decision(
        &mut self,
        d: &RawDecision,
        off: u32,
        site: &Site,
        expl: Option<usize>,
        display: &str,
    ) -> Decision {
        let func = self.func_name(off);
        let line = d.pos.line;
        // A parameter is named as such (its line is the whole signature).
        let is_param = matches!(self.fx.nodes.get(&off), Some(Node::Ident(i))
        if ident_obj(self.c, self.fx.file, i).is_some_and(|o| {
            matches!(self.c.obj(o).kind, ObjKind::Var(VarKind::Param | VarKind::Receiver | VarKind::Result))
        }));
        let code = self.fx.line_text(off);
        let var_named = if is_param {
            format!("parameter `{}` of `{func}` (line {line})", site.name)
        } else {
            format!("`{code}` (line {line})")
        };
        let reasons = match expl {
            Some(ei) => {
                self.seen.clear();
                self.chain(ei, off, site.kind == Kind::Inlined)
            }
            None => Vec::new(),
        };
        let because = if reasons.is_empty() {
            String::new()
        } else {
            format!(": {}", join(&reasons))
        };
        // How to name the site: its line when the line is just `x := SITE` (`return SITE`),
        // else the site within its line.
        let subject_in_line = |s: &str| {
            let whole = code == s
                || code.strip_suffix(s).is_some_and(|head| {
                    head.ends_with("= ") || head.ends_with("return ") || head.ends_with("go ")
                });
            if whole {
                format!("`{code}` (line {line})")
            } else {
                format!("`{s}` in `{code}` (line {line})")
            }
        };
        let message = match (site.kind, site.outcome) {
            (Kind::Make | Kind::Literal | Kind::New, Outcome::Heap) => {
                let because = if because.is_empty() {
                    " (the compiler gave no reason chain)".to_string()
                } else {
                    because
                };
                format!(
                    "{} escapes to the heap{because}.",
                    subject_in_line(&site.src)
                )
            }
            (Kind::Make | Kind::Literal, Outcome::Stack) => format!(
                "{} does not escape: {}.",
                subject_in_line(&site.src),
                self.stack_note(site, &func)
            ),
            (Kind::New, Outcome::Stack) => format!(
                "{} does not escape: the pointer's target lives in {}'s stack frame.",
                subject_in_line(&site.src),
                if func == PACKAGE_INIT {
                    func.clone()
                } else {
                    format!("`{func}`")
                }
            ),
            (Kind::Inlined, o) => {
                let Detail::Inlined(callee) = &site.detail else {
                    unreachable!()
                };
                let what = format!(
                    "`{code}` (line {line}): the map made by `{}` in {callee}, inlined here,",
                    shorten(&clean_shapes(&site.name), 40)
                );
                if o == Outcome::Heap {
                    format!("{what} escapes to the heap{because}.")
                } else {
                    format!("{what} does not escape: {}.", self.stack_note(site, &func))
                }
            }
            (Kind::Variable | Kind::StructVariable, _) => {
                let holds = match &site.detail {
                    Detail::Holds { ty, how } if site.kind == Kind::StructVariable => {
                        format!(" (type `{ty}`, holding {how})")
                    }
                    _ => String::new(),
                };
                let n = &site.name;
                if reasons
                    .first()
                    .is_some_and(|r| r.text.starts_with("its address"))
                {
                    format!(
                        "{var_named}{holds}: {}, so `{n}` itself is moved to the heap.",
                        join(&reasons)
                    )
                } else if reasons.is_empty() {
                    format!("{var_named}{holds}: `{n}` is moved to the heap.")
                } else {
                    format!(
                        "{var_named}{holds}: `{n}` is moved to the heap: {}.",
                        join(&reasons)
                    )
                }
            }
            (Kind::Parameter, o) => {
                let to_result = match &site.detail {
                    Detail::Param { to_result } => to_result.clone(),
                    _ => None,
                };
                let n = &site.name;
                match (o, to_result) {
                    (Outcome::NoLeak, _) => format!(
                        "parameter `{n}` of `{func}` (line {line}) does not escape: a map passed to `{func}` can stay on the caller's stack."
                    ),
                    (_, Some(_)) => format!(
                        "parameter `{n}` of `{func}` (line {line}) leaks to a result{because}. The map a caller passes escapes only if the caller lets the result escape."
                    ),
                    (_, None) => format!(
                        "parameter `{n}` of `{func}` (line {line}) leaks to the heap{because}. A map passed to `{func}` therefore escapes in every caller."
                    ),
                }
            }
            (Kind::Closure, o) => {
                let caps = match &site.detail {
                    Detail::Captures(c) => c
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => String::new(),
                };
                let go_line = self.fx.func_at(off).and_then(|i| self.fx.funcs[i].go_line);
                let fl = format!("the function literal at line {line}, which captures {caps},");
                if let (Outcome::Heap, Some(g)) = (o, go_line) {
                    format!(
                        "{fl} escapes to the heap: it is the function of the goroutine started at line {g}, which may outlive the function that starts it, so the closure and what it captures live on the heap."
                    )
                } else if o == Outcome::Heap {
                    format!("{fl} escapes to the heap{because}.")
                } else {
                    format!("{fl} does not escape, so capturing does not move what it captures to the heap.")
                }
            }
            (Kind::Composite, o) => {
                let holds = match &site.detail {
                    Detail::Holds { how, .. } => how.clone(),
                    _ => String::new(),
                };
                let what = format!("{}, which holds {holds},", subject_in_line(&site.src));
                if o == Outcome::Heap {
                    format!("{what} escapes to the heap{because}.")
                } else {
                    format!("{what} does not escape: it lives on the stack (a map it holds is a separate allocation, decided on its own).")
                }
            }
            (k, o) => format!("{} {k:?} {o:?}.", subject_in_line(&site.src)),
        };
        let mut compiler = vec![compiler_line(d)];
        if let Some(ei) = expl {
            for f in self.expls[ei].flows() {
                compiler.push(format!(
                    "flow: {} ← {}{}",
                    f.dst,
                    if f.addr {
                        "&".to_string()
                    } else {
                        "*".repeat(f.derefs as usize)
                    },
                    f.src
                ));
                for n in &f.notes {
                    compiler.push(match &n.pos {
                        Some(p) => format!("  from {} ({}) at line {}", n.what, n.why, p.line),
                        None => format!("  from {} ({})", n.what, n.why),
                    });
                }
            }
        }
        Decision {
            file: display.to_string(),
            line,
            column: d.pos.col,
            function: func,
            kind: site.kind,
            outcome: site.outcome,
            code,
            expr: site.name.clone(),
            message,
            reasons,
            compiler,
        }
    }
}

/// The decision as the compiler's `-m` prints it.
fn compiler_line(d: &RawDecision) -> String {
    if d.derived {
        return format!(
            "{} does not escape (no escape or leak record in the JSON log)",
            d.subject
        );
    }
    match &d.verdict {
        RawVerdict::Escapes | RawVerdict::EscapesOrMoved => {
            format!("{} escapes to heap", d.subject)
        }
        RawVerdict::NoEscape => format!("{} does not escape", d.subject),
        RawVerdict::Moved => format!("moved to heap: {}", d.subject),
        RawVerdict::Leaks { to_result: None } => format!("leaking param: {}", d.subject),
        RawVerdict::Leaks { to_result: Some(r) } => {
            format!("leaking param: {} to result {r}", d.subject)
        }
        RawVerdict::LeaksContent => format!("leaking param content: {}", d.subject),
    }
}

/// A variable's name (not `{heap}`, `{temp}`, `.autotmp_3`, `fmt.a`, `~r0`).
fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(['{', '.', '~'])
        && !s.contains('.')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocated_types() {
        assert_eq!(
            allocated_type("make(map[string]int)"),
            Some(("map[string]int", false))
        );
        assert_eq!(
            allocated_type("make(map[string][2]int, n)"),
            Some(("map[string][2]int", false))
        );
        assert_eq!(allocated_type("sub.Set{}"), Some(("sub.Set", false)));
        assert_eq!(allocated_type("&Holder{...}"), Some(("Holder", true)));
        assert_eq!(allocated_type("func literal"), None);
    }

    #[test]
    fn names() {
        assert!(is_result_name("~r0"));
        assert!(is_result_name("~R12"));
        assert!(!is_result_name("~r"));
        assert!(is_plain_name("out"));
        assert!(!is_plain_name("fmt.a"));
        assert!(!is_plain_name(".autotmp_4"));
        assert!(!is_plain_name("{heap}"));
        assert_eq!(parse_version("go1.26.8"), Some((1, 26)));
        assert_eq!(parse_version("go1.19"), Some((1, 19)));
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("1_000"), Some(1000));
    }
}
