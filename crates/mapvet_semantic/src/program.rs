//! Loading a program: the target packages under the given paths, the packages they import
//! (transitively, found through the loader), parsing everything in parallel, and running the
//! checker. Results are handed to a closure, because the checker borrows the parsed files'
//! arenas.

use crate::check::{Checker, PackageDesc, SourceFile};
use crate::load::{header, BuildContext, Loader, PackageSource};
use mapvet_syntax::Bump;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// Import paths of a package with the directories they resolved to.
type ResolvedImports = Vec<(String, Option<PathBuf>)>;

/// Everything read from disk for one analysis.
pub struct Sources {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub packages: Vec<PackageDesc>,
    /// Notes for `--verbose` (unresolved imports, skipped files).
    pub notes: Vec<String>,
}

/// Directories under `paths` that may hold target packages, walked like the go tool walks
/// `./...` (skipping `vendor`, `testdata`, `.x`, `_x`). A file path stands for its directory.
pub fn target_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            if let Some(d) = p.parent() {
                out.push(if d.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    d.to_path_buf()
                });
            }
        } else {
            walk_dirs(p, &mut out, 0);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk_dirs(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
    if depth > 64 {
        return;
    }
    out.push(dir.to_path_buf());
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subs: Vec<PathBuf> = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.starts_with('_') || name == "vendor" || name == "testdata"
        {
            continue;
        }
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            subs.push(e.path());
        }
    }
    subs.sort();
    for s in subs {
        walk_dirs(&s, out, depth + 1);
    }
}

/// Reads the target packages of `dirs` and everything they import.
pub fn load_sources(dirs: &[PathBuf], ctx: &BuildContext) -> Sources {
    load_sources_from(&Loader::new(ctx.clone()), dirs, None)
}

/// Reads the target packages in `dirs` and the packages they import, breadth-first (each
/// wave resolved in parallel). With `max_depth`, only that many import levels are loaded
/// (1: direct imports only); imports of the last level are linked to packages already
/// loaded, nothing more (`mapvet escape` needs only the types its targets spell).
pub fn load_sources_from(loader: &Loader, dirs: &[PathBuf], max_depth: Option<u32>) -> Sources {
    let targets: Vec<PackageSource> = dirs
        .par_iter()
        .flat_map_iter(|d| loader.packages_in_dir(d))
        .collect();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut packages: Vec<PackageDesc> = Vec::new();
    let mut level: Vec<u32> = Vec::new();
    let mut by_dir: FxHashMap<PathBuf, u32> = FxHashMap::default();
    let mut notes = Vec::new();

    let add = |ps: PackageSource,
               is_target: bool,
               files: &mut Vec<(PathBuf, Vec<u8>)>,
               packages: &mut Vec<PackageDesc>,
               by_dir: &mut FxHashMap<PathBuf, u32>|
     -> u32 {
        let idx = packages.len() as u32;
        let contents: Vec<(PathBuf, Vec<u8>)> = ps
            .files
            .par_iter()
            .map(|f| (f.clone(), std::fs::read(f).unwrap_or_default()))
            .collect();
        let mut ids = Vec::with_capacity(contents.len());
        for c in contents {
            ids.push(files.len() as u32);
            files.push(c);
        }
        if !ps.is_xtest {
            by_dir.entry(ps.dir.clone()).or_insert(idx);
        }
        packages.push(PackageDesc {
            import_path: ps.import_path,
            name: ps.name,
            dir: ps.dir,
            files: ids,
            is_target,
            imports: FxHashMap::default(),
        });
        idx
    };

    let mut queue: VecDeque<u32> = VecDeque::new();
    for t in targets {
        let i = add(t, true, &mut files, &mut packages, &mut by_dir);
        level.push(0);
        queue.push_back(i);
    }
    while !queue.is_empty() {
        let wave: Vec<u32> = queue.drain(..).collect();
        let resolved: Vec<(u32, ResolvedImports)> = wave
            .par_iter()
            .map(|&p| {
                let desc = &packages[p as usize];
                let mut paths: Vec<String> = Vec::new();
                for &f in &desc.files {
                    for imp in header::read_go_header(&files[f as usize].1).imports {
                        if imp != "C" && imp != "unsafe" && !paths.contains(&imp) {
                            paths.push(imp);
                        }
                    }
                }
                let res = paths
                    .into_iter()
                    .map(|ip| {
                        let d = loader.resolve_import(&desc.dir, &ip);
                        (ip, d)
                    })
                    .collect();
                (p, res)
            })
            .collect();
        for (p, res) in resolved {
            let next = level[p as usize] + 1;
            // The last level links its imports to packages already loaded, loads no more.
            let link_only = max_depth.is_some_and(|d| next > d);
            for (ip, dir) in res {
                let Some(dir) = dir else {
                    if link_only {
                        continue;
                    }
                    notes.push(format!(
                        "{}: cannot find package {ip:?}",
                        packages[p as usize].import_path
                    ));
                    continue;
                };
                let dep = match by_dir.get(&dir) {
                    Some(&d) => d,
                    None if link_only => continue,
                    None => match loader.packages_in_dir_for_import(&dir) {
                        Some(ps) => {
                            let i = add(ps, false, &mut files, &mut packages, &mut by_dir);
                            level.push(next);
                            queue.push_back(i);
                            i
                        }
                        None => {
                            notes.push(format!("{ip}: no buildable Go files in {}", dir.display()));
                            continue;
                        }
                    },
                };
                if dep != p {
                    packages[p as usize].imports.insert(ip, dep);
                }
            }
        }
    }
    notes.extend(loader.notes());
    Sources {
        files,
        packages,
        notes,
    }
}

/// Parses `sources` and type-checks the target packages, then hands the checker to `f`.
pub fn with_checked_program<R>(sources: Sources, f: impl FnOnce(&mut Checker<'_>) -> R) -> R {
    with_checked_program_opts(sources, false, f)
}

/// Like [`with_checked_program`]; `keep_ident_list` keeps `FileInfo::idents` (for
/// `map_idents`).
pub fn with_checked_program_opts<R>(
    sources: Sources,
    keep_ident_list: bool,
    f: impl FnOnce(&mut Checker<'_>) -> R,
) -> R {
    let Sources {
        files, packages, ..
    } = sources;
    let mut arenas = arenas_for(&files);
    let parsed = parse_all(&files, &mut arenas);
    let t1 = std::time::Instant::now();
    let mut checker = Checker::new(&parsed, packages);
    checker.keep_ident_list = keep_ident_list;
    checker.check_targets();
    trace_check(&checker, t1);
    let t2 = std::time::Instant::now();
    let r = f(&mut checker);
    if trace_on() {
        eprintln!("output: {:?}", t2.elapsed());
    }
    r
}

/// Like [`with_checked_program_opts`], with the target packages split into `parts` groups
/// checked in parallel, each by a checker of its own that shares the parsed files: `f` runs
/// once per group (on the group's checker, whose targets are the group's packages) and the
/// results come back in group order. A directory's packages (the package, its tests and its
/// `_test` package) always stay in one group, so an analysis that looks at target code of
/// the current directory only gets the same answers however the targets are split.
pub fn with_checked_partitions<R: Send>(
    sources: Sources,
    parts: usize,
    keep_ident_list: bool,
    f: impl Fn(&mut Checker<'_>) -> R + Sync,
) -> Vec<R> {
    let Sources {
        files, packages, ..
    } = sources;
    let groups = partition(&files, &packages, parts);
    let mut arenas = arenas_for(&files);
    let parsed = parse_all(&files, &mut arenas);
    let t1 = std::time::Instant::now();
    let out = groups
        .par_iter()
        .map(|group| {
            let mut pkgs = packages.clone();
            for (i, p) in pkgs.iter_mut().enumerate() {
                p.is_target = group.binary_search(&(i as u32)).is_ok();
            }
            let mut checker = Checker::new(&parsed, pkgs);
            checker.keep_ident_list = keep_ident_list;
            checker.check_targets();
            f(&mut checker)
        })
        .collect();
    if trace_on() {
        eprintln!("check+output ({} groups): {:?}", groups.len(), t1.elapsed());
    }
    out
}

/// Splits the target packages into at most `parts` groups of about equal source size, each a
/// run of directories in path order (sorted package indices per group; never empty).
fn partition(
    files: &[(PathBuf, Vec<u8>)],
    packages: &[PackageDesc],
    parts: usize,
) -> Vec<Vec<u32>> {
    let mut dirs: Vec<(&Path, u64, Vec<u32>)> = Vec::new();
    let mut by_dir: FxHashMap<&Path, usize> = FxHashMap::default();
    for (i, p) in packages.iter().enumerate().filter(|(_, p)| p.is_target) {
        let bytes: u64 = p
            .files
            .iter()
            .map(|&f| files[f as usize].1.len() as u64)
            .sum();
        let d = *by_dir.entry(p.dir.as_path()).or_insert_with(|| {
            dirs.push((p.dir.as_path(), 0, Vec::new()));
            dirs.len() - 1
        });
        dirs[d].1 += bytes;
        dirs[d].2.push(i as u32);
    }
    dirs.sort_by(|a, b| a.0.cmp(b.0));
    let total: u64 = dirs.iter().map(|d| d.1).sum();
    let parts = parts.clamp(1, dirs.len().max(1)) as u64;
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut cur: Vec<u32> = Vec::new();
    let mut acc = 0u64;
    for (_, bytes, pkgs) in dirs {
        cur.extend(pkgs);
        acc += bytes;
        // Close the group when the running total passes its share of the whole.
        if (groups.len() as u64) + 1 < parts && acc * parts >= total * (groups.len() as u64 + 1) {
            cur.sort_unstable();
            groups.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() || groups.is_empty() {
        cur.sort_unstable();
        groups.push(cur);
    }
    groups
}

fn trace_on() -> bool {
    std::env::var_os("MAPVET_TRACE").is_some()
}

fn trace_check(checker: &Checker<'_>, t1: std::time::Instant) {
    if trace_on() {
        eprintln!(
            "check: {:?} ({} types, {} objects)",
            t1.elapsed(),
            checker.types.len(),
            checker.objs.len()
        );
    }
}

/// One arena per run of files of about equal size (a few per thread: one arena per file
/// would waste up to half of every file's last chunk).
fn arenas_for(files: &[(PathBuf, Vec<u8>)]) -> Vec<(Bump, std::ops::Range<usize>)> {
    let nchunks = (rayon::current_num_threads() * 4).clamp(1, files.len().max(1));
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    let per = total / nchunks + 1;
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut acc = 0;
    for (i, f) in files.iter().enumerate() {
        acc += f.1.len();
        if acc >= per {
            ranges.push(start..i + 1);
            start = i + 1;
            acc = 0;
        }
    }
    if start < files.len() {
        ranges.push(start..files.len());
    }
    ranges.into_iter().map(|r| (Bump::new(), r)).collect()
}

/// Parses every file in parallel, in file order.
fn parse_all<'a>(
    files: &'a [(PathBuf, Vec<u8>)],
    arenas: &'a mut [(Bump, std::ops::Range<usize>)],
) -> Vec<SourceFile<'a>> {
    let t0 = std::time::Instant::now();
    let arena_bytes = std::sync::atomic::AtomicUsize::new(0);
    let parsed: Vec<SourceFile<'a>> = arenas
        .par_iter_mut()
        .flat_map_iter(|(arena, range)| {
            let arena: &Bump = arena;
            let out: Vec<SourceFile<'_>> = files[range.clone()]
                .iter()
                .map(|(path, src)| {
                    let p = mapvet_syntax::parse_file(arena, src);
                    SourceFile {
                        path: path.clone(),
                        src,
                        ast: p.file,
                        has_errors: !p.errors.is_empty(),
                        errors: p.errors,
                    }
                })
                .collect();
            arena_bytes.fetch_add(
                arena.allocated_bytes() - arena.chunk_capacity(),
                std::sync::atomic::Ordering::Relaxed,
            );
            out
        })
        .collect();
    if trace_on() {
        let bytes: usize = files.iter().map(|f| f.1.len()).sum();
        eprintln!(
            "parse: {:?} ({} source bytes, {} arena bytes)",
            t0.elapsed(),
            bytes,
            arena_bytes.load(std::sync::atomic::Ordering::Relaxed)
        );
    }
    parsed
}
