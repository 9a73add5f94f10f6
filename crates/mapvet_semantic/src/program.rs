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

/// Files larger than this (1 GiB) are not read.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// A whole file, or `None` when it cannot be read or is larger than [`MAX_FILE_SIZE`].
fn read_bounded(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_SIZE {
        return None;
    }
    let mut buf = Vec::with_capacity(meta.len() as usize + 1);
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= MAX_FILE_SIZE).then_some(buf)
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
    let t0 = std::time::Instant::now();
    let targets: Vec<PackageSource> = dirs
        .par_iter()
        .flat_map_iter(|d| loader.packages_in_dir(d))
        .collect();
    if trace_on() {
        eprintln!("load: targets {:?}", t0.elapsed());
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut packages: Vec<PackageDesc> = Vec::new();
    let mut level: Vec<u32> = Vec::new();
    let mut by_dir: FxHashMap<PathBuf, u32> = FxHashMap::default();
    let mut notes = Vec::new();

    let add = |ps: PackageSource,
               is_target: bool,
               files: &mut Vec<(PathBuf, Vec<u8>)>,
               packages: &mut Vec<PackageDesc>,
               by_dir: &mut FxHashMap<PathBuf, u32>,
               notes: &mut Vec<String>|
     -> u32 {
        let idx = packages.len() as u32;
        let contents: Vec<(PathBuf, Option<Vec<u8>>)> = ps
            .files
            .par_iter()
            .map(|f| (f.clone(), read_bounded(f)))
            .collect();
        let mut ids = Vec::with_capacity(contents.len());
        for (path, text) in contents {
            // A file that cannot be read is left out of its package (the CLI reports it).
            let Some(text) = text else {
                notes.push(format!("{}: cannot read file", path.display()));
                continue;
            };
            ids.push(files.len() as u32);
            files.push((path, text));
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
        let i = add(t, true, &mut files, &mut packages, &mut by_dir, &mut notes);
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
                            let i = add(
                                ps,
                                false,
                                &mut files,
                                &mut packages,
                                &mut by_dir,
                                &mut notes,
                            );
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
    if trace_on() {
        eprintln!(
            "load: {:?} ({} files, {} packages)",
            t0.elapsed(),
            files.len(),
            packages.len()
        );
    }
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
    let mut arenas = Arenas::for_files(&sources.files);
    let parsed = parse_sources(&sources.files, &mut arenas);
    let t1 = std::time::Instant::now();
    let mut checker = Checker::new(&parsed, sources.packages);
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

/// Like [`with_checked_program_opts`], with the target packages checked in groups in
/// parallel (see [`check_partitions`]).
pub fn with_checked_partitions<R: Send>(
    sources: Sources,
    keep_ident_list: bool,
    f: impl Fn(&mut Checker<'_>) -> R + Sync,
) -> Vec<R> {
    let mut arenas = Arenas::for_files(&sources.files);
    let parsed = parse_sources(&sources.files, &mut arenas);
    check_partitions(&parsed, &sources.packages, keep_ident_list, f)
}

/// Target source bytes per group of a partitioned check (see [`check_partitions`]).
pub const GROUP_BYTES: u64 = 32 << 20;

/// Type-checks the target packages of `packages` in groups of about [`GROUP_BYTES`] of
/// source each, in parallel, each group by a checker of its own that shares the parsed
/// files: `f` runs once per group (on the group's checker, whose targets are the group's
/// packages) and the results come back in group order.
///
/// The grouping depends on the input alone (package paths and sizes), never on the number
/// of threads, so the results are the same whatever the thread count. A directory's packages
/// (the package, its tests and its `_test` package) always share a group. Analyses that
/// follow calls into other target code see the target code of their own group: an input
/// smaller than one group is checked as one program; in a larger one, a call into a target
/// package of another group is treated like a call into a dependency.
pub fn check_partitions<'a, R: Send>(
    parsed: &'a [SourceFile<'a>],
    packages: &[PackageDesc],
    keep_ident_list: bool,
    f: impl Fn(&mut Checker<'a>) -> R + Sync,
) -> Vec<R> {
    let group_bytes = std::env::var("MAPVET_GROUP_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(GROUP_BYTES)
        .max(1);
    let groups = partition(
        packages,
        |f| parsed[f as usize].src.len() as u64,
        group_bytes,
    );
    let t1 = std::time::Instant::now();
    let out = groups
        .par_iter()
        .map(|group| {
            let mut pkgs = packages.to_vec();
            for (i, p) in pkgs.iter_mut().enumerate() {
                p.is_target = group.binary_search(&(i as u32)).is_ok();
            }
            let mut checker = Checker::new(parsed, pkgs);
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

/// Splits the target packages into groups of about `group_bytes` of source each (at least
/// one group), each a run of directories in path order; package indices sorted per group.
fn partition(
    packages: &[PackageDesc],
    file_bytes: impl Fn(u32) -> u64,
    group_bytes: u64,
) -> Vec<Vec<u32>> {
    let mut dirs: Vec<(&Path, u64, Vec<u32>)> = Vec::new();
    let mut by_dir: FxHashMap<&Path, usize> = FxHashMap::default();
    for (i, p) in packages.iter().enumerate().filter(|(_, p)| p.is_target) {
        let bytes: u64 = p.files.iter().map(|&f| file_bytes(f)).sum();
        let d = *by_dir.entry(p.dir.as_path()).or_insert_with(|| {
            dirs.push((p.dir.as_path(), 0, Vec::new()));
            dirs.len() - 1
        });
        dirs[d].1 += bytes;
        dirs[d].2.push(i as u32);
    }
    dirs.sort_by(|a, b| a.0.cmp(b.0));
    let total: u64 = dirs.iter().map(|d| d.1).sum();
    let parts = total
        .div_ceil(group_bytes)
        .clamp(1, dirs.len().max(1) as u64);
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

/// The arenas the parsed files live in: one per run of files of about equal size, a few per
/// thread (one arena per file would waste up to half of every file's last chunk).
pub struct Arenas(Vec<(Bump, std::ops::Range<usize>)>);

impl Arenas {
    pub fn for_files(files: &[(PathBuf, Vec<u8>)]) -> Arenas {
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
        Arenas(ranges.into_iter().map(|r| (Bump::new(), r)).collect())
    }
}

/// Parses every file of `files` in parallel into `arenas` (made for these files), in file
/// order.
pub fn parse_sources<'a>(
    files: &'a [(PathBuf, Vec<u8>)],
    arenas: &'a mut Arenas,
) -> Vec<SourceFile<'a>> {
    let t0 = std::time::Instant::now();
    let arena_bytes = std::sync::atomic::AtomicUsize::new(0);
    let parsed: Vec<SourceFile<'a>> = arenas
        .0
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
                        comments: p.comments,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(dir: &str, files: Vec<u32>, is_target: bool) -> PackageDesc {
        PackageDesc {
            import_path: dir.to_string(),
            name: "p".to_string(),
            dir: PathBuf::from(dir),
            files,
            is_target,
            imports: FxHashMap::default(),
        }
    }

    #[test]
    fn partition_groups_directories_by_size() {
        // Files 0..8 of 10 bytes each; /b holds a package and its `_test` package.
        let pkgs = vec![
            pkg("/c", vec![0, 1], true),
            pkg("/a", vec![2, 3], true),
            pkg("/b", vec![4], true),
            pkg("/b", vec![5], true),
            pkg("/dep", vec![6, 7], false),
        ];
        let size = |_| 10;
        // 60 target bytes: one group when it fits, else runs of directories in path order.
        assert_eq!(partition(&pkgs, size, 100), vec![vec![0, 1, 2, 3]]);
        assert_eq!(partition(&pkgs, size, 30), vec![vec![1, 2, 3], vec![0]]);
        assert_eq!(
            partition(&pkgs, size, 1),
            vec![vec![1], vec![2, 3], vec![0]]
        );
        // No targets: one empty group.
        let deps = vec![pkg("/dep", vec![0], false)];
        assert_eq!(partition(&deps, size, 1), vec![Vec::<u32>::new()]);
    }
}
