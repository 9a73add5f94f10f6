//! The semantic model: package loading (build constraints, module/GOPATH/GOROOT import
//! resolution), scopes, objects and types for every identifier and expression, control-flow
//! graphs and a dataflow framework.
//!
//! **Architecture invariant:** `Unknown` is a real type. Whatever cannot be resolved (a missing
//! import, cgo, invalid code) is typed Unknown, and the predicates rules use (`is_map`,
//! `is_ptr_to_map`, ...) answer "no" for it: a rule never reports on Unknown.

pub mod cfg;
pub mod check;
pub mod dataflow;
pub mod load;
pub mod objects;
pub mod program;
pub mod types;

use std::path::PathBuf;

/// Whether an identifier's object is a map or a pointer to a map.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum MapKind {
    Map,
    PtrMap,
}

impl std::fmt::Display for MapKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MapKind::Map => "map",
            MapKind::PtrMap => "ptrmap",
        })
    }
}

/// One identifier (definition or use) denoting a variable, parameter, result or struct field
/// of map or pointer-to-map type.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MapIdent {
    pub path: PathBuf,
    pub line: u32,
    pub col: u32,
    pub kind: MapKind,
    pub name: String,
}

/// Every map / pointer-to-map identifier of the packages under `paths` (the
/// `mapvet debug map-idents` surface, compared with go/types by the parity test).
pub fn map_idents(paths: &[PathBuf], ctx: &load::BuildContext) -> Vec<MapIdent> {
    let t0 = std::time::Instant::now();
    let dirs = program::target_dirs(paths);
    let mut sources = program::load_sources(&dirs, ctx);
    if std::env::var_os("MAPVET_TRACE").is_some() {
        eprintln!("load: {:?} ({} files)", t0.elapsed(), sources.files.len());
    }
    let mut out: Vec<MapIdent> = program::check_groups(&mut sources, true, |c, _own| {
        let mut out = Vec::new();
        // Classification by type (types are interned: one answer per id).
        let mut kinds: rustc_hash::FxHashMap<types::TypeId, Option<MapKind>> =
            rustc_hash::FxHashMap::default();
        for fi in 0..c.files.len() {
            if !c.infos[fi].recording {
                continue;
            }
            let idents = std::mem::take(&mut c.infos[fi].idents);
            let li = mapvet_syntax::LineIndex::new(c.files[fi].src);
            for &(off, obj, use_ty) in &idents {
                if obj.is_none() || !c.obj(obj).is_var() || c.obj(obj).name == "_" {
                    continue;
                }
                let t = if use_ty.is_unknown() {
                    c.obj_type_pub(obj)
                } else {
                    use_ty
                };
                let kind = match kinds.get(&t) {
                    Some(&k) => k,
                    None => {
                        let k = c.classify(t);
                        kinds.insert(t, k);
                        k
                    }
                };
                if let Some(kind) = kind {
                    let (line, col) = li.line_col(off);
                    out.push(MapIdent {
                        path: c.files[fi].path.clone(),
                        line,
                        col,
                        kind,
                        name: c.obj(obj).name.to_string(),
                    });
                }
            }
            c.infos[fi].idents = idents;
        }
        out
    })
    .into_iter()
    .flatten()
    .collect();
    out.sort();
    out.dedup();
    out
}
