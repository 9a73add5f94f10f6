//! Loading a program: the target packages under the given paths, the packages they import
//! (transitively, found through the loader), parsing everything in parallel, and running the
//! checker. Results are handed to a closure, because the checker borrows the parsed files'
//! arenas.

use crate::check::{Checker, PackageDesc, SourceFile};
use crate::load::memo::{text_digest, FileMemo, Known, Stamp};
use crate::load::{BuildContext, Loader, PackageSource};
use mapvet_syntax::Bump;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// Import paths of a package with the directories they resolved to.
type ResolvedImports = Vec<(String, Option<PathBuf>)>;

/// Everything read from disk for one analysis.
#[derive(Default)]
pub struct Sources {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub packages: Vec<PackageDesc>,
    /// Notes for `--verbose` (unresolved imports, skipped files).
    pub notes: Vec<String>,
    /// Files whose text is not the one on disk (the overlay: standard input, files fixed
    /// in memory): [`check_groups`] never releases their text.
    pub pinned: FxHashSet<u32>,
    /// Files whose text [`check_groups`] released, or that were never read because the
    /// loader's memo knew them (their entry in `files` is empty; what needs it reads it from
    /// disk: [`Sources::text`]).
    pub released: FxHashSet<u32>,
    /// The size of each file's text (kept when the text is released).
    pub sizes: Vec<u64>,
    /// The [`text_digest`] of each file's text, when known (loaded with a memo).
    pub digests: Vec<Option<u128>>,
    /// Files [`check_planned`] read for the first time and found different from the digest
    /// the memo gave (changed on disk during the run).
    pub changed: FxHashSet<u32>,
}

impl Sources {
    /// Puts `text` in place of file `i`'s (an overlay: pinned, never released).
    pub fn replace_text(&mut self, i: u32, text: Vec<u8>) {
        let k = i as usize;
        if let Some(n) = self.sizes.get_mut(k) {
            *n = text.len() as u64;
        }
        if let Some(d) = self.digests.get_mut(k) {
            *d = None;
        }
        self.files[k].1 = text;
        self.released.remove(&i);
        self.pinned.insert(i);
    }

    /// Adds a file that exists only as `text` (an overlay: pinned); its index.
    pub fn push_file(&mut self, path: PathBuf, text: Vec<u8>) -> u32 {
        let i = self.files.len() as u32;
        if self.sizes.len() == self.files.len() {
            self.sizes.push(text.len() as u64);
        }
        if self.digests.len() == self.files.len() {
            self.digests.push(None);
        }
        self.files.push((path, text));
        self.pinned.insert(i);
        i
    }

    /// The size of file `i`'s text (also when it is not in memory).
    pub fn size(&self, i: u32) -> u64 {
        match self.sizes.get(i as usize) {
            Some(&n) if self.released.contains(&i) => n,
            _ => self.files[i as usize].1.len() as u64,
        }
    }

    /// The text of file `i`: as read, or read again if [`check_groups`] released it (empty
    /// if it can no longer be read).
    pub fn text(&self, i: u32) -> std::borrow::Cow<'_, [u8]> {
        if self.released.contains(&i) {
            std::borrow::Cow::Owned(read_bounded(&self.files[i as usize].0).unwrap_or_default())
        } else {
            std::borrow::Cow::Borrowed(&self.files[i as usize].1)
        }
    }
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
    read_stamped(path).map(|(t, _)| t)
}

/// [`read_bounded`], with the file's stamp as it was opened.
fn read_stamped(path: &Path) -> Option<(Vec<u8>, Option<Stamp>)> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_SIZE {
        return None;
    }
    let stamp = Stamp::of(&meta);
    let mut buf = Vec::with_capacity(meta.len() as usize + 1);
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= MAX_FILE_SIZE).then_some((buf, stamp))
}

/// One file of a package being loaded.
enum Loaded {
    /// Its text, and its digest when the loader has a memo.
    Read(Vec<u8>, Option<u128>),
    /// Not read: the memo knows its size and digest.
    Known(u64, u128),
    /// It cannot be read.
    Unreadable,
}

/// A package's source description with its files.
type Read = (PackageSource, Vec<(PathBuf, Loaded)>);

/// Reads the files of `pkgs` the loader has neither read nor found in its memo, all in
/// parallel (packages are often a few small files). With a memo, what is read is digested
/// and recorded there.
fn read_packages(loader: &Loader, mut pkgs: Vec<PackageSource>) -> Vec<Read> {
    let mut files: Vec<Vec<Option<Loaded>>> = pkgs
        .iter_mut()
        .map(|p| {
            let mut texts = std::mem::take(&mut p.texts);
            texts.resize(p.files.len(), None);
            texts
                .into_iter()
                .enumerate()
                .map(|(j, text)| {
                    let digest = p.digests.get(j).copied().flatten();
                    match (text, digest) {
                        (Some(t), d) => Some(Loaded::Read(t, d)),
                        (None, Some(d)) => Some(Loaded::Known(p.sizes[j], d)),
                        (None, None) => None,
                    }
                })
                .collect()
        })
        .collect();
    let missing: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            t.iter()
                .enumerate()
                .filter(|(_, x)| x.is_none())
                .map(move |(j, _)| (i, j))
        })
        .collect();
    let memo = loader.memo();
    let read: Vec<Loaded> = missing
        .par_iter()
        .map(|&(i, j)| {
            let path = &pkgs[i].files[j];
            let Some((text, stamp)) = read_stamped(path) else {
                return Loaded::Unreadable;
            };
            let Some(memo) = memo else {
                return Loaded::Read(text, None);
            };
            let digest = text_digest(&text);
            if let Some(stamp) = stamp {
                let digest = Some(digest);
                memo.record(
                    path,
                    Known {
                        stamp,
                        digest,
                        head: None,
                    },
                );
            }
            Loaded::Read(text, Some(digest))
        })
        .collect();
    for ((i, j), t) in missing.into_iter().zip(read) {
        files[i][j] = Some(t);
    }
    pkgs.into_iter()
        .zip(files)
        .map(|(p, t)| {
            let files = p
                .files
                .iter()
                .cloned()
                .zip(t.into_iter().map(|x| x.expect("every file looked at")))
                .collect();
            (p, files)
        })
        .collect()
}

/// Reads the target packages of `dirs` and everything they import.
pub fn load_sources(dirs: &[PathBuf], ctx: &BuildContext) -> Sources {
    load_sources_from(&Loader::new(ctx.clone()), dirs, None)
}

/// [`load_sources`] with a memo: the files it knows unchanged are not read (they come
/// [`Sources::released`], with their size and digest), and every file's digest is known.
pub fn load_sources_with_memo(
    dirs: &[PathBuf],
    ctx: &BuildContext,
    memo: std::sync::Arc<FileMemo>,
) -> Sources {
    load_sources_from(&Loader::new(ctx.clone()).with_memo(memo), dirs, None)
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
    let mut files = LoadedFiles::default();
    let mut packages: Vec<PackageDesc> = Vec::new();
    let mut level: Vec<u32> = Vec::new();
    let mut by_dir: FxHashMap<PathBuf, u32> = FxHashMap::default();
    let mut notes = Vec::new();
    // Each package's imports (from the file headers the loader read), in file order.
    let mut imports_of: Vec<Vec<String>> = Vec::new();

    let add = |(mut ps, contents): Read,
               is_target: bool,
               files: &mut LoadedFiles,
               packages: &mut Vec<PackageDesc>,
               by_dir: &mut FxHashMap<PathBuf, u32>,
               notes: &mut Vec<String>,
               imports_of: &mut Vec<Vec<String>>|
     -> u32 {
        let idx = packages.len() as u32;
        let mut ids = Vec::with_capacity(contents.len());
        let mut imports: Vec<String> = Vec::new();
        let file_imports = std::mem::take(&mut ps.imports);
        for (j, (path, loaded)) in contents.into_iter().enumerate() {
            // A file that cannot be read is left out of its package (the CLI reports it).
            if matches!(loaded, Loaded::Unreadable) {
                notes.push(format!("{}: cannot read file", path.display()));
                continue;
            }
            for imp in file_imports.get(j).into_iter().flatten() {
                if imp != "C" && imp != "unsafe" && !imports.contains(imp) {
                    imports.push(imp.clone());
                }
            }
            ids.push(files.files.len() as u32);
            files.push(path, loaded);
        }
        imports_of.push(imports);
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
    for t in read_packages(loader, targets) {
        let i = add(
            t,
            true,
            &mut files,
            &mut packages,
            &mut by_dir,
            &mut notes,
            &mut imports_of,
        );
        level.push(0);
        queue.push_back(i);
    }
    while !queue.is_empty() {
        let wave: Vec<u32> = queue.drain(..).collect();
        let resolved: Vec<(u32, ResolvedImports)> = wave
            .par_iter()
            .map(|&p| {
                let desc = &packages[p as usize];
                let res = imports_of[p as usize]
                    .iter()
                    .map(|ip| {
                        let d = loader.resolve_import(&desc.dir, ip);
                        (ip.clone(), d)
                    })
                    .collect();
                (p, res)
            })
            .collect();
        // The packages this wave brings in, found and read in parallel; added below in
        // the order a sequential walk would add them.
        let mut fresh: Vec<&PathBuf> = Vec::new();
        let mut fresh_seen: FxHashSet<&PathBuf> = FxHashSet::default();
        for (p, res) in &resolved {
            if max_depth.is_some_and(|d| level[*p as usize] + 1 > d) {
                continue;
            }
            for (_, dir) in res {
                if let Some(dir) = dir {
                    if !by_dir.contains_key(dir) && fresh_seen.insert(dir) {
                        fresh.push(dir);
                    }
                }
            }
        }
        let found: Vec<Option<PackageSource>> = fresh
            .par_iter()
            .map(|d| loader.packages_in_dir_for_import(d))
            .collect();
        let (dirs_found, srcs): (Vec<&PathBuf>, Vec<PackageSource>) = fresh
            .iter()
            .zip(found)
            .filter_map(|(d, ps)| ps.map(|ps| (*d, ps)))
            .unzip();
        let mut preloaded: FxHashMap<PathBuf, Read> = dirs_found
            .into_iter()
            .cloned()
            .zip(read_packages(loader, srcs))
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
                    None => match preloaded.remove(&dir) {
                        Some(ps) => {
                            let i = add(
                                ps,
                                false,
                                &mut files,
                                &mut packages,
                                &mut by_dir,
                                &mut notes,
                                &mut imports_of,
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
            "load: {:?} ({} files, {} packages, {} not read; {})",
            t0.elapsed(),
            files.files.len(),
            packages.len(),
            files.released.len(),
            trace_memory()
        );
    }
    Sources {
        files: files.files,
        packages,
        notes,
        released: files.released,
        sizes: files.sizes,
        digests: files.digests,
        ..Sources::default()
    }
}

/// The files of [`Sources`] being loaded.
#[derive(Default)]
struct LoadedFiles {
    files: Vec<(PathBuf, Vec<u8>)>,
    sizes: Vec<u64>,
    digests: Vec<Option<u128>>,
    released: FxHashSet<u32>,
}

impl LoadedFiles {
    fn push(&mut self, path: PathBuf, loaded: Loaded) {
        let (text, size, digest) = match loaded {
            Loaded::Read(t, d) => {
                let n = t.len() as u64;
                (t, n, d)
            }
            Loaded::Known(size, d) => {
                self.released.insert(self.files.len() as u32);
                (Vec::new(), size, Some(d))
            }
            Loaded::Unreadable => unreachable!("unreadable files are left out"),
        };
        self.files.push((path, text));
        self.sizes.push(size);
        self.digests.push(digest);
    }
}

/// Parses `sources` and type-checks the target packages, then hands the checker to `f`.
pub fn with_checked_program<R>(sources: Sources, f: impl FnOnce(&mut Checker<'_>) -> R) -> R {
    with_checked_program_opts(sources, false, f)
}

/// Like [`with_checked_program`]; `keep_ident_list` keeps `FileInfo::idents` (for
/// `map_idents`). The target packages' files are parsed whole, the others' declarations only
/// (as in [`check_groups`]), all in parallel.
pub fn with_checked_program_opts<R>(
    sources: Sources,
    keep_ident_list: bool,
    f: impl FnOnce(&mut Checker<'_>) -> R,
) -> R {
    let n = sources.files.len();
    let mut is_target = vec![false; n];
    for p in sources.packages.iter().filter(|p| p.is_target) {
        for &i in &p.files {
            is_target[i as usize] = true;
        }
    }
    let (full, decls): (Vec<u32>, Vec<u32>) = (0..n as u32).partition(|&i| is_target[i as usize]);
    let mut full_arenas = Arenas::for_files(&sources.files, &full);
    let mut decl_arenas = Arenas::for_files(&sources.files, &decls);
    let mut parsed: Vec<Option<SourceFile<'_>>> = (0..n).map(|_| None).collect();
    place(
        &mut parsed,
        parse_sources(&sources.files, &mut full_arenas, ParseMode::Full),
    );
    place(
        &mut parsed,
        parse_sources(&sources.files, &mut decl_arenas, ParseMode::Decls),
    );
    let parsed: Vec<SourceFile<'_>> = parsed.into_iter().map(|p| p.expect("parsed")).collect();
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

/// Target source bytes up to which [`check_groups`] checks everything as one program.
pub const GROUP_BYTES: u64 = 8 << 20;

/// The smallest group a larger input is split into. Smaller groups keep less memory in
/// flight (fewer page faults, which cost as much as checking here) but repeat more of the
/// dependencies' declarations per group: on GOROOT/src 4 MiB groups check ~5% faster and
/// peak ~8% lower than 8 MiB ones; on the 600 MB Debian corpus they are ~8% slower, so large
/// inputs keep [`GROUP_BYTES`]-sized groups.
const MIN_GROUP_BYTES: u64 = 4 << 20;

/// The group size for `total` bytes of target source: one group up to [`GROUP_BYTES`], else a
/// sixteenth of the input, between [`MIN_GROUP_BYTES`] and [`GROUP_BYTES`].
fn group_bytes_for(total: u64) -> u64 {
    if total <= GROUP_BYTES {
        GROUP_BYTES
    } else {
        (total / 16).clamp(MIN_GROUP_BYTES, GROUP_BYTES)
    }
}

/// Type-checks the target packages of `sources` in groups of about [`group_bytes_for`] of
/// source each, by a checker of its own per group, and runs `f` on each group's checker
/// (whose targets are the group's packages) with the group's target files (sorted); the
/// results come back in group order.
///
/// Memory stays bounded whatever the size of the input: the files of every package that
/// another imports are first parsed declarations-only ([`mapvet_syntax::parse_file_decls`]),
/// shared by all groups, since that is all a checker needs of the packages it does not
/// check (it sees the other files as their package clause alone); a group's own files are
/// parsed whole into an arena of the group, freed with its checker when `f` returns. Groups
/// run in parallel, the largest first, at most [`IN_FLIGHT_BYTES`] of source at a time.
///
/// The grouping depends on the input alone (package paths and sizes), never on the number
/// of threads, so the results are the same whatever the thread count. A directory's packages
/// (the package, its tests and its `_test` package) always share a group. Analyses that
/// follow calls into other target code see the target code of their own group: an input
/// smaller than one group is checked as one program; in a larger one, a call into a target
/// package of another group is treated like a call into a dependency.
pub fn check_groups<R: Send>(
    sources: &mut Sources,
    keep_ident_list: bool,
    f: impl Fn(&mut Checker<'_>, &[u32]) -> R + Sync,
) -> Vec<R> {
    check_groups_of(sources, None, keep_ident_list, f)
}

/// [`check_groups`], with groups of `group_bytes` when given.
fn check_groups_of<R: Send>(
    sources: &mut Sources,
    group_bytes: Option<u64>,
    keep_ident_list: bool,
    f: impl Fn(&mut Checker<'_>, &[u32]) -> R + Sync,
) -> Vec<R> {
    let plan = GroupPlan::with_bytes(sources, group_bytes);
    let run = vec![true; plan.len()];
    check_planned(sources, &plan, &run, keep_ident_list, f)
        .into_iter()
        .map(|r| r.expect("every group ran"))
        .collect()
}

/// How [`check_groups`] splits the target packages of a [`Sources`] into groups (see there).
/// Computed from the input alone, before anything is parsed, so that a caller can decide
/// which groups to check ([`check_planned`]): the result cache of the CLI replays the
/// others.
pub struct GroupPlan {
    /// Package indices of each group, sorted.
    pub groups: Vec<Vec<u32>>,
    /// File indices of each group's packages, sorted.
    pub group_files: Vec<Vec<u32>>,
    group_bytes: u64,
    /// Size of each file as read.
    file_len: Vec<u64>,
}

impl GroupPlan {
    /// The grouping [`check_groups`] uses for `sources`.
    pub fn new(sources: &Sources) -> GroupPlan {
        GroupPlan::with_bytes(sources, None)
    }

    fn with_bytes(sources: &Sources, group_bytes: Option<u64>) -> GroupPlan {
        let packages = &sources.packages;
        // Sizes as read or known (texts may be released later).
        let file_len: Vec<u64> = (0..sources.files.len() as u32)
            .map(|i| sources.size(i))
            .collect();
        let target_bytes: u64 = packages
            .iter()
            .filter(|p| p.is_target)
            .flat_map(|p| p.files.iter())
            .map(|&f| file_len[f as usize])
            .sum();
        let group_bytes = group_bytes
            .unwrap_or_else(|| env_u64("MAPVET_GROUP_BYTES", group_bytes_for(target_bytes)))
            .max(1);
        let groups = partition(packages, |f| file_len[f as usize], group_bytes);
        let group_files: Vec<Vec<u32>> = groups
            .iter()
            .map(|g| {
                let mut fs: Vec<u32> = g
                    .iter()
                    .flat_map(|&p| packages[p as usize].files.iter().copied())
                    .collect();
                fs.sort_unstable();
                fs.dedup();
                fs
            })
            .collect();
        GroupPlan {
            groups,
            group_files,
            group_bytes,
            file_len,
        }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there is no group (never: an input without packages is one empty group).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The packages group `g`'s checker can see anything of: its own and every package they
    /// import, transitively (sorted). Everything the group's results depend on, besides the
    /// build context and the rules, is in these packages' descriptions and files.
    pub fn reach(&self, packages: &[PackageDesc], g: usize) -> Vec<u32> {
        let mut seen = vec![false; packages.len()];
        let mut stack: Vec<u32> = self.groups[g].clone();
        for &p in &stack {
            seen[p as usize] = true;
        }
        while let Some(p) = stack.pop() {
            for &d in packages[p as usize].imports.values() {
                if !std::mem::replace(&mut seen[d as usize], true) {
                    stack.push(d);
                }
            }
        }
        (0..packages.len() as u32)
            .filter(|&p| seen[p as usize])
            .collect()
    }
}

/// Runs the groups `g` of `plan` with `run[g]` as [`check_groups`] does (`None` for the
/// others). When no group runs, nothing is parsed; when some do, only the declarations of
/// the packages they can see ([`GroupPlan::reach`]) are parsed, so a group's result is the
/// same whichever other groups run with it (the result cache relies on this).
pub fn check_planned<R: Send>(
    sources: &mut Sources,
    plan: &GroupPlan,
    run: &[bool],
    keep_ident_list: bool,
    f: impl Fn(&mut Checker<'_>, &[u32]) -> R + Sync,
) -> Vec<Option<R>> {
    assert_eq!(run.len(), plan.len(), "one flag per group");
    if !run.contains(&true) {
        return (0..plan.len()).map(|_| None).collect();
    }
    let Sources {
        files,
        packages,
        pinned,
        released,
        digests,
        changed,
        ..
    } = sources;
    let packages: &[PackageDesc] = packages;
    let GroupPlan {
        groups,
        group_files,
        group_bytes,
        file_len,
    } = plan;
    let group_bytes = *group_bytes;
    let single = groups.len() == 1;
    // Declarations-only trees, for the non-test files of the packages some other package
    // imports (a package no one imports, such as a command or an external test package, is
    // only ever seen by the group that checks it), except the files of the one group when
    // there is one.
    let mut imported = vec![false; packages.len()];
    for p in packages {
        for &d in p.imports.values() {
            imported[d as usize] = true;
        }
    }
    // Only the packages some group that runs can see (all of them when every group runs):
    // a checker looks at nothing outside its group's imports, transitively.
    let mut needed = vec![false; packages.len()];
    for g in (0..groups.len()).filter(|&g| run[g]) {
        for p in plan.reach(packages, g) {
            needed[p as usize] = true;
        }
    }
    let mut want_decls = vec![false; files.len()];
    for (p, desc) in packages.iter().enumerate() {
        if (imported[p] || !desc.is_target) && needed[p] {
            // An importer never sees the `_test.go` files (only the package's own group,
            // with its external test package, does).
            for &i in &desc.files {
                want_decls[i as usize] = !files[i as usize]
                    .0
                    .as_os_str()
                    .as_encoded_bytes()
                    .ends_with(b"_test.go");
            }
        }
    }
    if single {
        for &i in &group_files[0] {
            want_decls[i as usize] = false;
        }
    }
    let decl_idx: Vec<u32> = (0..files.len() as u32)
        .filter(|&i| want_decls[i as usize])
        .collect();
    // Declarations wanted of files never read (the memo knew them): read now, and checked
    // against the digest the memo gave (a file changed since is noted in `changed`).
    let unread: Vec<u32> = decl_idx
        .iter()
        .copied()
        .filter(|i| released.contains(i))
        .collect();
    let texts: Vec<Option<Vec<u8>>> = unread
        .par_iter()
        .map(|&i| read_bounded(&files[i as usize].0))
        .collect();
    for (i, text) in unread.into_iter().zip(texts) {
        let text = text.unwrap_or_default();
        if digests.get(i as usize).copied().flatten() != Some(text_digest(&text)) {
            changed.insert(i);
        }
        files[i as usize].1 = text;
        released.remove(&i);
    }
    let mut decl_arenas = Arenas::for_sizes(|i| file_len[i as usize], &decl_idx);
    let decl_trees = parse_each(
        &mut decl_arenas,
        ParseMode::Decls,
        |i| files[i as usize].1.as_slice(),
        mapvet_syntax::parse_file_decls,
    );
    // With several groups, the texts are released now (declarations-only trees do not
    // borrow them): each group reads its own files again when it starts, so no more than
    // the groups in progress have their text in memory. The overlay's texts stay.
    if !single {
        for (i, f) in files.iter_mut().enumerate() {
            if !pinned.contains(&(i as u32)) {
                f.1 = Vec::new();
                released.insert(i as u32);
            }
        }
    }
    let files: &[(PathBuf, Vec<u8>)] = files;
    let released: &FxHashSet<u32> = released;
    let mut decls: Vec<Option<SourceFile<'_>>> = (0..files.len()).map(|_| None).collect();
    for (i, p) in decl_trees {
        let gone = released.contains(&i);
        decls[i as usize] = Some(source_file(
            &files[i as usize].0,
            &files[i as usize].1,
            p,
            gone,
        ));
    }
    // What a checker sees of a file no other group needs: its package clause alone.
    let empty_arena = Bump::new();
    let mut empty: Vec<Option<&mapvet_syntax::ast::File<'_>>> = vec![None; files.len()];
    let mut clause: FxHashMap<&str, &mapvet_syntax::ast::File<'_>> = FxHashMap::default();
    for desc in packages {
        for &i in &desc.files {
            if decls[i as usize].is_none() {
                let f = *clause.entry(desc.name.as_str()).or_insert_with(|| {
                    let src = format!("package {}\n", desc.name);
                    mapvet_syntax::parse_file_decls(&empty_arena, src.as_bytes()).file
                });
                empty[i as usize] = Some(f);
            }
        }
    }
    let empty_file = mapvet_syntax::parse_file_decls(&empty_arena, b"package _\n").file;
    let t1 = std::time::Instant::now();
    let run_group = |g: usize| {
        let (group, own) = (&groups[g], &group_files[g]);
        let t0 = std::time::Instant::now();
        // The group's released texts, read again (`None`: it can no longer be read), and
        // the text of each own file (by position in `own`).
        let reread: Vec<Option<Option<Vec<u8>>>> = own
            .iter()
            .map(|&i| {
                released
                    .contains(&i)
                    .then(|| read_bounded(&files[i as usize].0))
            })
            .collect();
        let own_text: Vec<&[u8]> = own
            .iter()
            .zip(&reread)
            .map(|(&i, r)| match r {
                None => files[i as usize].1.as_slice(),
                Some(t) => t.as_deref().unwrap_or_default(),
            })
            .collect();
        let text = |i: u32| own_text[own.binary_search(&i).expect("own file")];
        let mut arenas = if single {
            Arenas::for_sizes(|i| file_len[i as usize], own)
        } else {
            // One arena, parsed on this thread.
            Arenas::one(own)
        };
        let full = parse_each(
            &mut arenas,
            ParseMode::Full,
            text,
            mapvet_syntax::parse_file,
        );
        let mut full = full.into_iter().peekable();
        let mut view: Vec<SourceFile<'_>> = Vec::with_capacity(files.len());
        for (i, d) in decls.iter().enumerate() {
            if full.peek().is_some_and(|(j, _)| *j as usize == i) {
                let (j, p) = full.next().expect("peeked");
                let k = own.binary_search(&j).expect("own file");
                let mut sf = source_file(&files[i].0, own_text[k], p, false);
                if matches!(reread[k], Some(None)) {
                    // Deleted or made unreadable since it was loaded.
                    sf.has_errors = true;
                    sf.errors = vec![mapvet_syntax::SyntaxError {
                        offset: 0,
                        msg: "cannot read the file any more (changed during the run?)".into(),
                    }];
                }
                view.push(sf);
            } else if let Some(d) = d {
                view.push(d.share());
            } else {
                let (path, src) = &files[i];
                view.push(SourceFile {
                    path: path.clone(),
                    src,
                    ast: empty[i].unwrap_or(empty_file),
                    has_errors: false,
                    errors: Vec::new(),
                    comments: Vec::new(),
                    text_released: released.contains(&(i as u32)),
                });
            }
        }
        let mut pkgs = packages.to_vec();
        for (i, p) in pkgs.iter_mut().enumerate() {
            p.is_target = group.binary_search(&(i as u32)).is_ok();
        }
        let t_parse = t0.elapsed();
        let mut checker = Checker::new(&view, pkgs);
        checker.keep_ident_list = keep_ident_list;
        checker.check_targets();
        let t_check = t0.elapsed();
        let r = f(&mut checker, own);
        if trace_on() {
            eprintln!(
                "group {g} ({} files, {} bytes): parse {:?}, check {:?}, rest {:?} ({} types, {} objects); {}",
                own.len(),
                own.iter().map(|&i| file_len[i as usize]).sum::<u64>(),
                t_parse,
                t_check - t_parse,
                t0.elapsed() - t_check,
                checker.types.len(),
                checker.objs.len(),
                trace_memory()
            );
        }
        r
    };
    let todo: Vec<usize> = (0..groups.len()).filter(|&g| run[g]).collect();
    let sizes: Vec<u64> = todo
        .iter()
        .map(|&g| group_files[g].iter().map(|&i| file_len[i as usize]).sum())
        .collect();
    let budget = match std::env::var_os("MAPVET_IN_FLIGHT") {
        Some(_) => group_bytes.saturating_mul(env_u64("MAPVET_IN_FLIGHT", 1).max(1)),
        None => IN_FLIGHT_BYTES,
    };
    let done = run_bounded(&sizes, budget, |k| run_group(todo[k]));
    let mut out: Vec<Option<R>> = (0..groups.len()).map(|_| None).collect();
    for (g, r) in todo.iter().zip(done) {
        out[*g] = Some(r);
    }
    if trace_on() {
        eprintln!(
            "check+output ({} of {} groups): {:?}; {}",
            todo.len(),
            groups.len(),
            t1.elapsed(),
            trace_memory()
        );
    }
    out
}

/// A tuning knob from the environment (tests, experiments), else `default`.
fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Puts parsed files at their indices.
fn place<'a>(slots: &mut [Option<SourceFile<'a>>], parsed: Vec<(u32, SourceFile<'a>)>) {
    for (i, sf) in parsed {
        slots[i as usize] = Some(sf);
    }
}

/// Target source bytes of the groups of [`check_groups`] in progress at once, at most
/// (a group larger than this still runs, alone), whatever the number of threads: what bounds
/// the memory. Room for the largest directory of GOROOT/src (14 MB) beside a small group.
const IN_FLIGHT_BYTES: u64 = 20 << 20;

/// Runs `run(g)` for every job `g` (of `sizes[g]` bytes) on the thread pool, the largest
/// first (the longest job must not start last), never starting one while others run if the
/// sizes in progress would pass `budget` (a smaller job that fits starts instead); returns
/// the results in job order.
fn run_bounded<R: Send>(sizes: &[u64], budget: u64, run: impl Fn(usize) -> R + Sync) -> Vec<R> {
    use std::sync::{Condvar, Mutex};
    struct State {
        /// Jobs not started, largest first.
        queue: Vec<usize>,
        in_flight: u64,
    }
    let mut queue: Vec<usize> = (0..sizes.len()).collect();
    queue.sort_by_key(|&g| (std::cmp::Reverse(sizes[g]), g));
    let state = Mutex::new(State {
        queue,
        in_flight: 0,
    });
    let cv = Condvar::new();
    let slots: Vec<Mutex<Option<R>>> = sizes.iter().map(|_| Mutex::new(None)).collect();
    /// Gives the job's bytes back when the job ends, even by a panic.
    struct Release<'s> {
        state: &'s Mutex<State>,
        cv: &'s Condvar,
        bytes: u64,
    }
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            st.in_flight -= self.bytes;
            self.cv.notify_all();
        }
    }
    let workers = rayon::current_num_threads().clamp(1, sizes.len().max(1));
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| loop {
                let g = {
                    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                    loop {
                        if st.queue.is_empty() {
                            break None;
                        }
                        let fits = if st.in_flight == 0 {
                            Some(0)
                        } else {
                            st.queue
                                .iter()
                                .position(|&g| st.in_flight + sizes[g] <= budget)
                        };
                        if let Some(k) = fits {
                            let g = st.queue.remove(k);
                            st.in_flight += sizes[g];
                            break Some(g);
                        }
                        st = cv.wait(st).unwrap_or_else(|e| e.into_inner());
                    }
                };
                let Some(g) = g else { break };
                let _release = Release {
                    state: &state,
                    cv: &cv,
                    bytes: sizes[g],
                };
                let r = run(g);
                *slots[g].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every job ran")
        })
        .collect()
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
    let n_dirs = dirs.len() as u64;
    for (k, (_, bytes, pkgs)) in dirs.into_iter().enumerate() {
        cur.extend(pkgs);
        acc += bytes;
        // Close the group when the running total passes its share of the whole, or when
        // the directories left are just enough for the groups left (else the last group
        // takes two shares).
        let closed = groups.len() as u64 + 1;
        let dirs_left = n_dirs - k as u64 - 1;
        if closed < parts && (acc * parts >= total * closed || dirs_left <= parts - closed) {
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

/// Whether `MAPVET_TRACE` asks for phase times and memory on standard error.
pub fn trace_on() -> bool {
    std::env::var_os("MAPVET_TRACE").is_some()
}

/// For `MAPVET_TRACE`: the process's resident and peak resident memory (Linux), e.g.
/// `rss 120 MB, peak 300 MB`; empty elsewhere.
fn trace_memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    // Process CPU time so far (user + system), for the idle time between phases.
    let cpu = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|st| {
            let rest = st.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let t = |i: usize| f.get(i)?.parse::<u64>().ok();
            Some((t(11)? + t(12)?) * 10)
        })
        .unwrap_or(0);
    format!(
        "rss {} MB, peak {} MB, cpu {} ms",
        field("VmRSS:"),
        field("VmHWM:"),
        cpu
    )
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

/// How [`parse_sources`] parses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParseMode {
    /// The whole file ([`mapvet_syntax::parse_file`]).
    Full,
    /// Declarations only ([`mapvet_syntax::parse_file_decls`]): for files whose package is
    /// not checked.
    Decls,
}

/// The arenas parsed files live in: one per run of files of about equal size, a few per
/// thread (one arena per file would waste up to half of every file's last chunk).
pub struct Arenas(Vec<(Bump, Vec<u32>)>);

impl Arenas {
    /// Arenas for the files `idx` (indices into `files`, ascending), split for parallel
    /// parsing.
    pub fn for_files(files: &[(PathBuf, Vec<u8>)], idx: &[u32]) -> Arenas {
        Arenas::for_sizes(|i| files[i as usize].1.len() as u64, idx)
    }

    /// Like [`Arenas::for_files`], file `i` being `size(i)` bytes.
    fn for_sizes(size: impl Fn(u32) -> u64, idx: &[u32]) -> Arenas {
        let nchunks = (rayon::current_num_threads() * 4).clamp(1, idx.len().max(1)) as u64;
        let total: u64 = idx.iter().map(|&i| size(i)).sum();
        let per = total / nchunks + 1;
        let mut chunks: Vec<Vec<u32>> = Vec::new();
        let mut cur = Vec::new();
        let mut acc = 0;
        for &i in idx {
            acc += size(i);
            cur.push(i);
            if acc >= per {
                chunks.push(std::mem::take(&mut cur));
                acc = 0;
            }
        }
        if !cur.is_empty() {
            chunks.push(cur);
        }
        Arenas(chunks.into_iter().map(|c| (Bump::new(), c)).collect())
    }

    /// One arena for all of `idx`: parsed on the calling thread.
    pub fn one(idx: &[u32]) -> Arenas {
        Arenas(vec![(Bump::new(), idx.to_vec())])
    }
}

/// Parses the files `arenas` was made for, in parallel when it has several arenas, into
/// them; returns `(index, file)` pairs in index order.
pub fn parse_sources<'a>(
    files: &'a [(PathBuf, Vec<u8>)],
    arenas: &'a mut Arenas,
    mode: ParseMode,
) -> Vec<(u32, SourceFile<'a>)> {
    let text = |i: u32| files[i as usize].1.as_slice();
    let parsed = match mode {
        ParseMode::Full => parse_each(arenas, mode, text, mapvet_syntax::parse_file),
        ParseMode::Decls => parse_each(arenas, mode, text, mapvet_syntax::parse_file_decls),
    };
    parsed
        .into_iter()
        .map(|(i, p)| (i, source_file(&files[i as usize].0, text(i), p, false)))
        .collect()
}

/// A parsed file for the checker. A declarations-only parse has no comments worth keeping
/// (nothing reads a dependency's comments: the loader read its build constraints).
fn source_file<'a>(
    path: &Path,
    src: &'a [u8],
    p: mapvet_syntax::ParsedFile<'a>,
    text_released: bool,
) -> SourceFile<'a> {
    SourceFile {
        path: path.to_path_buf(),
        src,
        has_errors: !p.errors.is_empty(),
        errors: p.errors,
        comments: if p.file.bodies_skipped {
            Vec::new()
        } else {
            p.comments
        },
        ast: p.file,
        text_released,
    }
}

/// Parses file `i` of `arenas` from `text(i)` with `parse`, in parallel when there are
/// several arenas; `(index, parse)` pairs in index order.
fn parse_each<'a, 't>(
    arenas: &'a mut Arenas,
    mode: ParseMode,
    text: impl Fn(u32) -> &'t [u8] + Sync,
    parse: impl Fn(&'a Bump, &'t [u8]) -> mapvet_syntax::ParsedFile<'a> + Sync,
) -> Vec<(u32, mapvet_syntax::ParsedFile<'a>)> {
    let t0 = std::time::Instant::now();
    let arena_bytes = std::sync::atomic::AtomicUsize::new(0);
    let source_bytes = std::sync::atomic::AtomicUsize::new(0);
    let parse_chunk = |(arena, idx): &'a mut (Bump, Vec<u32>)| {
        let arena: &'a Bump = arena;
        let mut bytes = 0;
        let out: Vec<(u32, mapvet_syntax::ParsedFile<'a>)> = idx
            .iter()
            .map(|&i| {
                let src = text(i);
                bytes += src.len();
                (i, parse(arena, src))
            })
            .collect();
        arena_bytes.fetch_add(
            arena.allocated_bytes() - arena.chunk_capacity(),
            std::sync::atomic::Ordering::Relaxed,
        );
        source_bytes.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
        out
    };
    let mut parsed: Vec<(u32, mapvet_syntax::ParsedFile<'a>)> = if arenas.0.len() > 1 {
        arenas.0.par_iter_mut().flat_map_iter(parse_chunk).collect()
    } else {
        arenas.0.iter_mut().flat_map(parse_chunk).collect()
    };
    parsed.sort_by_key(|p| p.0);
    if trace_on() {
        eprintln!(
            "parse {:?}: {:?} ({} files, {} source bytes, {} arena bytes; {})",
            mode,
            t0.elapsed(),
            parsed.len(),
            source_bytes.load(std::sync::atomic::Ordering::Relaxed),
            arena_bytes.load(std::sync::atomic::Ordering::Relaxed),
            trace_memory()
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of two packages, `b` importing `a`.
    /// Writes `p` (relative) under `d` with its directories.
    fn write_in(d: &tempfile::TempDir, p: &str, s: &str) {
        let p = d.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    }

    fn two_packages() -> (tempfile::TempDir, Sources) {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str, s: &str| write_in(&d, p, s);
        w("go.mod", "module example.com/m\n\ngo 1.21\n");
        // `a` is the larger, so that groups of one byte are one package each.
        let doc = "// T holds a map.\n".repeat(8);
        w(
            "a/a.go",
            &format!("package a\n\n{doc}type T struct{{ M map[string]int }}\n"),
        );
        w(
            "b/b.go",
            "package b\n\nimport \"example.com/m/a\"\n\nfunc F() { var t a.T; _ = t.M }\n",
        );
        let dirs = [d.path().join("a"), d.path().join("b")];
        let sources = load_sources(&dirs, &BuildContext::default());
        assert_eq!(sources.files.len(), 2);
        (d, sources)
    }

    /// What each group saw of every file: (own, path's file name, text length, released).
    fn views(sources: &mut Sources, group_bytes: u64) -> Vec<Vec<(bool, String, usize, bool)>> {
        check_groups_of(sources, Some(group_bytes), false, |c, own| {
            (0..c.files.len() as u32)
                .map(|i| {
                    let f = &c.files[i as usize];
                    let name = f.path.file_name().unwrap().to_string_lossy().into_owned();
                    (own.contains(&i), name, f.src.len(), f.text_released)
                })
                .collect()
        })
    }

    #[test]
    fn several_groups_release_texts_and_read_their_own_again() {
        let (_d, mut sources) = two_packages();
        let lens: Vec<usize> = sources.files.iter().map(|f| f.1.len()).collect();
        let seen = views(&mut sources, 1);
        assert_eq!(seen.len(), 2);
        for group in &seen {
            for (i, (own, name, len, released)) in group.iter().enumerate() {
                if *own {
                    // Parsed whole from the text read again.
                    assert_eq!((*len, *released), (lens[i], false), "{name}");
                } else {
                    // A dependency's declarations (or a package clause): no text kept.
                    assert_eq!((*len, *released), (0, true), "{name}");
                }
            }
        }
        // The texts are gone from `sources`, and read again on demand.
        for (i, f) in sources.files.iter().enumerate() {
            assert!(f.1.is_empty());
            assert_eq!(sources.text(i as u32).len(), lens[i]);
        }
    }

    #[test]
    fn one_group_keeps_texts_and_pinned_texts_stay() {
        let (_d, mut sources) = two_packages();
        let lens: Vec<usize> = sources.files.iter().map(|f| f.1.len()).collect();
        for group in views(&mut sources, u64::MAX) {
            for (i, (own, _, len, released)) in group.into_iter().enumerate() {
                assert_eq!((own, len, released), (true, lens[i], false));
            }
        }
        assert!(sources.released.is_empty());

        // An overlaid text (differs from the disk) is never released.
        let (_d, mut sources) = two_packages();
        let a = sources
            .files
            .iter()
            .position(|f| f.0.ends_with("a/a.go"))
            .unwrap() as u32;
        let text = b"package a\n\ntype T struct{}\n";
        sources.files[a as usize].1 = text.to_vec();
        sources.pinned.insert(a);
        for group in views(&mut sources, 1) {
            assert_eq!(group[a as usize].2, text.len());
            assert!(!group[a as usize].3);
        }
        assert_eq!(sources.text(a).as_ref(), text);
    }

    /// `a` (alone), `b` importing `c`; `c` has a map type.
    fn three_packages() -> (tempfile::TempDir, Sources) {
        let d = tempfile::tempdir().unwrap();
        let w = |p: &str, s: &str| write_in(&d, p, s);
        w("go.mod", "module example.com/m\n\ngo 1.21\n");
        // Equal sizes, so that groups of one byte are one package each.
        w("a/a.go", "package a\n\ntype A struct{ N map[string]int }\n");
        w(
            "b/b.go",
            "package b\n\nimport \"example.com/m/c\"\n\nfunc F() { var t c.T; _ = t.M }\n",
        );
        w("c/c.go", "package c\n\ntype T struct{ M map[string]int }\n");
        let dirs = ["a", "b", "c"].map(|x| d.path().join(x));
        let sources = load_sources(&dirs, &BuildContext::default());
        assert_eq!(sources.files.len(), 3);
        (d, sources)
    }

    #[test]
    fn planned_groups_run_alone_and_see_only_their_reach() {
        let (_d, mut sources) = three_packages();
        let plan = GroupPlan::with_bytes(&sources, Some(1));
        assert_eq!(plan.len(), 3);
        let pkg = |name: &str| {
            sources
                .packages
                .iter()
                .position(|p| p.name == name)
                .unwrap() as u32
        };
        let (a, b, c) = (pkg("a"), pkg("b"), pkg("c"));
        let group_of = |p: u32| plan.groups.iter().position(|g| g.contains(&p)).unwrap();
        let sorted = |mut v: Vec<u32>| {
            v.sort();
            v
        };
        assert_eq!(
            plan.reach(&sources.packages, group_of(b)),
            sorted(vec![b, c])
        );
        assert_eq!(plan.reach(&sources.packages, group_of(a)), vec![a]);
        assert_eq!(plan.reach(&sources.packages, group_of(c)), vec![c]);
        // Nothing to run: nothing parsed, nothing released.
        let none = check_planned(&mut sources, &plan, &[false; 3], false, |_, _| ());
        assert!(none.iter().all(Option::is_none));
        assert!(sources.released.is_empty());
        // Each group alone: what it sees of the other files (their declarations), and how
        // many map identifiers it finds in its own.
        let alone = |g: usize| {
            let (_d, mut sources) = three_packages();
            let mut run = vec![false; 3];
            run[g] = true;
            let out = check_planned(&mut sources, &plan, &run, true, |c, own| {
                let other: Vec<(String, usize)> = (0..c.files.len() as u32)
                    .filter(|i| !own.contains(i))
                    .map(|i| {
                        let f = &c.files[i as usize];
                        let name = f.path.file_name().unwrap().to_string_lossy().into_owned();
                        (name, f.ast.decls.len())
                    })
                    .collect();
                let idents: Vec<_> = own
                    .iter()
                    .flat_map(|&i| std::mem::take(&mut c.infos[i as usize].idents))
                    .collect();
                let maps = idents
                    .into_iter()
                    .filter(|&(_, obj, ty)| {
                        !obj.is_none() && {
                            let t = if ty.is_unknown() {
                                c.obj_type_pub(obj)
                            } else {
                                ty
                            };
                            c.classify(t).is_some()
                        }
                    })
                    .count();
                (other, maps)
            });
            assert_eq!(out.iter().filter(|r| r.is_some()).count(), 1);
            out[g].clone().unwrap()
        };
        // a sees nothing of c, although b imports c (b's group does not run).
        let (other, maps) = alone(group_of(a));
        assert_eq!(other, vec![("b.go".into(), 0), ("c.go".into(), 0)]);
        assert_eq!(maps, 1, "a's field N");
        // b sees c's declarations, and types `t.M` as a map through them.
        let (other, maps) = alone(group_of(b));
        assert_eq!(other[0], ("a.go".into(), 0));
        assert!(other[1].1 > 0, "c's declarations are seen: {other:?}");
        assert!(maps > 0, "t.M is a map");
    }

    #[test]
    fn a_file_gone_before_its_group_is_a_syntax_error_not_a_panic() {
        let (d, mut sources) = two_packages();
        std::fs::remove_file(d.path().join("b/b.go")).unwrap();
        let errors = check_groups_of(&mut sources, Some(1), false, |c, own| {
            own.iter()
                .map(|&i| {
                    let f = &c.files[i as usize];
                    (f.has_errors, f.errors.first().map(|e| e.msg.clone()))
                })
                .collect::<Vec<_>>()
        });
        let all: Vec<_> = errors.into_iter().flatten().collect();
        assert_eq!(all.len(), 2);
        assert!(all.contains(&(false, None)));
        assert!(all.iter().any(|(bad, msg)| *bad
            && msg
                .as_deref()
                .is_some_and(|m| m.contains("cannot read the file any more"))));
    }

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
    fn run_bounded_keeps_job_order_and_budget() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let sizes = [5u64, 1, 9, 3, 3, 7, 2];
        let in_flight = AtomicU64::new(0);
        let peak = AtomicU64::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let out = pool.install(|| {
            run_bounded(&sizes, 10, |g| {
                let now = in_flight.fetch_add(sizes[g], Ordering::SeqCst) + sizes[g];
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(5));
                in_flight.fetch_sub(sizes[g], Ordering::SeqCst);
                g * 10
            })
        });
        assert_eq!(out, vec![0, 10, 20, 30, 40, 50, 60]);
        // Never more than the budget at once (a job alone may exceed it; none does here).
        assert!(peak.load(Ordering::SeqCst) <= 10);
        // A job larger than the budget still runs (alone).
        assert_eq!(run_bounded(&[20, 1], 10, |g| g), vec![0, 1]);
        assert!(run_bounded(&[], 10, |g| g).is_empty());
    }

    #[test]
    fn group_size_depends_on_the_input_size() {
        const MIB: u64 = 1 << 20;
        // Up to 8 MiB: one program.
        assert_eq!(group_bytes_for(0), GROUP_BYTES);
        assert_eq!(group_bytes_for(8 * MIB), GROUP_BYTES);
        // Mid-size inputs (GOROOT/src is ~62 MB of targets): 4 MiB groups.
        assert_eq!(group_bytes_for(9 * MIB), MIN_GROUP_BYTES);
        assert_eq!(group_bytes_for(62 * MIB), MIN_GROUP_BYTES);
        assert_eq!(group_bytes_for(96 * MIB), 6 * MIB);
        // Large inputs: groups never larger than 8 MiB.
        assert_eq!(group_bytes_for(600 * MIB), GROUP_BYTES);
        // Room for the largest GOROOT directory beside a small group.
        const { assert!(IN_FLIGHT_BYTES >= 2 * GROUP_BYTES) };
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
        // Small directories before a large one still get a group each when the size asks
        // for as many groups as there are directories.
        let uneven = vec![
            pkg("/a", vec![0], true),
            pkg("/b", vec![1], true),
            pkg("/c", vec![2, 3, 4, 5], true),
        ];
        assert_eq!(partition(&uneven, size, 1), vec![vec![0], vec![1], vec![2]]);
        // No targets: one empty group.
        let deps = vec![pkg("/dep", vec![0], false)];
        assert_eq!(partition(&deps, size, 1), vec![Vec::<u32>::new()]);
    }
}
