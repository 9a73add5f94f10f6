//! Loading the packages to type-check: the target packages and the packages they import
//! directly, not the whole import graph.
//!
//! `mapvet_semantic::program::load_sources` reads every transitive import (1 083 files for
//! net/http) because rules may follow types anywhere. Here the types only have to say which
//! expressions and variables of the target packages are maps, and those types are spelled in
//! the target packages or declared by what they import directly (`url.Values`, `http.Header`);
//! a type only reachable through a deeper package is Unknown, and an Unknown is never taken for
//! a map. Half the files (531 for net/http) are read and parsed, while the compiler runs.

use std::collections::VecDeque;
use std::path::PathBuf;

use mapvet_semantic::check::PackageDesc;
use mapvet_semantic::load::{header, Loader, PackageSource};
use mapvet_semantic::program::Sources;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Import paths of a package with the directories they resolved to.
type ResolvedImports = Vec<(String, Option<PathBuf>)>;

/// Reads the target packages in `dirs` and the packages they import, `depth` import levels
/// deep (1: direct imports only).
pub(crate) fn load_sources(loader: &Loader, dirs: &[PathBuf], depth: u32) -> Sources {
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
            let link_only = next > depth;
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
                        None => continue,
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
