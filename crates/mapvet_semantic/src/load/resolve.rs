//! Import paths and import resolution: where a directory lives (GOROOT, a module, GOPATH or
//! nowhere), and where an import path leads from there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::env::GoWorkSetting;
use super::gomod::{self, compare_versions, escape_path, is_directory_path, unescape_path, GoMod};
use super::{clean_path, join_slash, rel_slash, Loader, Module, Place, Source};

/// Whether an import path is a standard-library path: no dot in its first element.
pub fn is_std_path(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or(path);
    !first.contains('.')
}

/// Prefixes of an import path, longest first: `a/b/c`, `a/b`, `a`.
fn prefixes(path: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut cut = Some(path.len());
    std::iter::from_fn(move || {
        let i = cut?;
        let (p, rest) = (&path[..i], path.get(i + 1..).unwrap_or(""));
        cut = path[..i].rfind('/');
        Some((p, rest))
    })
}

impl Loader {
    /// The import path of the package in `dir`:
    /// - inside `GOROOT/src`: the path below it (`fmt`, `vendor/golang.org/x/net/...`,
    ///   `cmd/go/...`);
    /// - inside a module: module path + path below the module root (modules in the module
    ///   cache included); below the module's `vendor/` directory, the path below it;
    /// - inside a GOPATH `src` tree: the path below `src`;
    /// - elsewhere: `_` + the absolute directory (go/build's convention for local directories,
    ///   e.g. `_/home/me/scratch`), unique and stable.
    pub fn import_path_of(&self, dir: &Path) -> String {
        let dir = clean_path(dir);
        match &*self.place_of(&dir) {
            Place::Goroot { rel, .. } if !rel.is_empty() => rel.clone(),
            // Module mode: a vendored package keeps its own import path.
            Place::Module { module, rel } if !module.in_modcache && rel.starts_with("vendor/") => {
                rel["vendor/".len()..].to_string()
            }
            Place::Module { module, rel } if !module.path.is_empty() => {
                if rel.is_empty() {
                    module.path.clone()
                } else {
                    format!("{}/{rel}", module.path)
                }
            }
            Place::Gopath { rel, .. } if !rel.is_empty() => rel.clone(),
            _ => synthetic_path(&dir),
        }
    }

    /// The directory of `import_path` as imported from a file in `from_dir`, or None (no
    /// error: the caller treats the package's names as unknown; a note is recorded).
    ///
    /// Order: `C` → None; relative paths (`./x`) → `from_dir/x`. Importers inside
    /// `GOROOT/src`: `GOROOT/src/vendor/` (`src/cmd/vendor/` for `cmd`) then `GOROOT/src/`.
    /// Otherwise: the standard library (`GOROOT/src/<path>`, when the first element has no
    /// dot and the directory exists); the nearest `vendor/` directory walking up to the module
    /// root (GOPATH `src` directory); modules by longest module-path prefix — the importer's
    /// module, go.work modules, `replace` targets (local or in the module cache), required
    /// versions in the module cache, then any cached version; finally `$GOPATH/src/<path>`
    /// (and `/usr/share/gocode/src`).
    pub fn resolve_import(&self, from_dir: &Path, import_path: &str) -> Option<PathBuf> {
        if import_path == "C" || import_path.is_empty() {
            return None;
        }
        let from_dir = clean_path(from_dir);
        let key = (from_dir, import_path.to_string());
        if let Some(r) = self
            .resolved
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return r.clone();
        }
        let r = self.resolve_uncached(&key.0, import_path);
        if r.is_none() {
            self.note_unresolved(import_path, &key.0);
        }
        self.resolved
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, r.clone());
        r
    }

    /// `d.is_dir()`, asked of the file system once per directory.
    fn is_dir(&self, d: &Path) -> bool {
        if let Some(&b) = self.dirs.read().unwrap_or_else(|e| e.into_inner()).get(d) {
            return b;
        }
        let b = d.is_dir();
        self.dirs
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(d.to_path_buf(), b);
        b
    }

    fn resolve_uncached(&self, from: &Path, path: &str) -> Option<PathBuf> {
        if path == "." || path == ".." || path.starts_with("./") || path.starts_with("../") {
            let d = clean_path(&from.join(path));
            return self.is_dir(&d).then_some(d);
        }
        let place = self.place_of(from);
        let goroot_src = self.goroot().map(|r| r.join("src"));

        if let Place::Goroot { src, cmd, .. } = &*place {
            let vendor = if *cmd {
                src.join("cmd/vendor")
            } else {
                src.join("vendor")
            };
            let d = join_slash(&vendor, path);
            if self.is_dir(&d) {
                return Some(d);
            }
            let d = join_slash(src, path);
            return self.is_dir(&d).then_some(d);
        }

        if is_std_path(path) {
            if let Some(src) = &goroot_src {
                let d = join_slash(src, path);
                if self.is_dir(&d) {
                    return Some(d);
                }
            }
        }

        // vendor/ directories from the importer up to the module root (GOPATH src dir).
        let vendor_top = match &*place {
            Place::Module { module, .. } if !module.in_modcache => Some(module.root.clone()),
            Place::Gopath { src, .. } => Some(src.clone()),
            _ => None,
        };
        if let Some(top) = vendor_top {
            let mut d = from.to_path_buf();
            loop {
                let v = join_slash(&d.join("vendor"), path);
                if self.is_dir(&v) {
                    return Some(v);
                }
                if d == top || !d.pop() || !d.starts_with(&top) {
                    break;
                }
            }
        }

        if let Place::Module { module, .. } = &*place {
            for (prefix, rest) in prefixes(path) {
                let Some(src) = module.deps.get(prefix) else {
                    continue;
                };
                if let Some(root) = self.source_dir(src) {
                    let d = join_slash(&root, rest);
                    if self.is_dir(&d) {
                        return Some(d);
                    }
                }
            }
        }

        // Any cached version of a module providing the path.
        if self.env().gomodcache.is_some() && !is_std_path(path) {
            for (prefix, rest) in prefixes(path) {
                if let Some(root) = self.newest_cached(prefix) {
                    let d = join_slash(&root, rest);
                    if self.is_dir(&d) {
                        return Some(d);
                    }
                }
            }
        }

        for gp in &self.env().gopath {
            let d = join_slash(&gp.join("src"), path);
            if self.is_dir(&d) {
                return Some(d);
            }
        }
        None
    }

    /// The directory of a module source; a cache entry missing at the exact version falls
    /// back to the newest cached version.
    fn source_dir(&self, src: &Source) -> Option<PathBuf> {
        match src {
            Source::Dir(d) => Some(d.clone()),
            Source::Cache { path, version } => {
                let cache = self.env().gomodcache.as_ref()?;
                let d = join_slash(
                    cache,
                    &format!("{}@{}", escape_path(path), escape_path(version)),
                );
                if self.is_dir(&d) {
                    Some(d)
                } else {
                    self.newest_cached(path)
                }
            }
        }
    }

    /// The newest version of `module_path` extracted in the module cache.
    fn newest_cached(&self, module_path: &str) -> Option<PathBuf> {
        if let Some(r) = self
            .cached_any
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(module_path)
        {
            return r.clone();
        }
        let r = (|| {
            let cache = self.env().gomodcache.as_ref()?;
            let esc = escape_path(module_path);
            let (parent, last) = match esc.rfind('/') {
                Some(i) => (join_slash(cache, &esc[..i]), &esc[i + 1..]),
                None => (cache.clone(), esc.as_str()),
            };
            let want = format!("{last}@");
            let mut best: Option<(String, PathBuf)> = None;
            for e in std::fs::read_dir(&parent).ok()?.flatten() {
                let Ok(name) = e.file_name().into_string() else {
                    continue;
                };
                let Some(v) = name.strip_prefix(&want) else {
                    continue;
                };
                let Some(v) = unescape_path(v) else { continue };
                if !e.path().is_dir() {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((b, _)) => compare_versions(&v, b).then_with(|| v.cmp(b)).is_gt(),
                };
                if better {
                    best = Some((v, e.path()));
                }
            }
            best.map(|(_, p)| p)
        })();
        self.cached_any
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(module_path.to_string(), r.clone());
        r
    }

    // -----------------------------------------------------------------------------------------
    // Places
    // -----------------------------------------------------------------------------------------

    /// Where `dir` (clean, absolute) lives. Cached.
    pub(crate) fn place_of(&self, dir: &Path) -> Arc<Place> {
        if let Some(p) = self
            .places
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
        {
            return p.clone();
        }
        let p = Arc::new(self.compute_place(dir));
        self.places
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), p.clone());
        p
    }

    fn compute_place(&self, dir: &Path) -> Place {
        let env = self.env();
        if let Some(root) = &env.goroot {
            let src = root.join("src");
            if let Some(rel) = rel_under(&src, dir) {
                let cmd = rel == "cmd" || rel.starts_with("cmd/");
                return Place::Goroot { src, rel, cmd };
            }
        }
        if let Some(cache) = &env.gomodcache {
            if let Some(rel) = rel_under(cache, dir) {
                if let Some((module, rel)) = self.modcache_module(cache, &rel) {
                    return Place::Module { module, rel };
                }
                return Place::Standalone;
            }
        }
        if !env.gopath_mode {
            if let Some(root) = self.find_module_root(dir) {
                let module = self.module_at(&root);
                let rel = rel_slash(&root, dir).unwrap_or_default();
                // Another Go tree's `src` (module std) or `src/cmd` (module cmd): a GOROOT.
                if module.path == "std" {
                    return Place::Goroot {
                        src: root,
                        rel,
                        cmd: false,
                    };
                }
                if module.path == "cmd" && root.file_name().is_some_and(|n| n == "cmd") {
                    if let Some(src) = root.parent() {
                        let rel = if rel.is_empty() {
                            "cmd".to_string()
                        } else {
                            format!("cmd/{rel}")
                        };
                        return Place::Goroot {
                            src: src.to_path_buf(),
                            rel,
                            cmd: true,
                        };
                    }
                }
                return Place::Module { module, rel };
            }
        }
        for gp in &env.gopath {
            let src = gp.join("src");
            if let Some(rel) = rel_under(&src, dir) {
                return Place::Gopath { src, rel };
            }
        }
        Place::Standalone
    }

    /// A module-cache directory: `<escaped path>@<escaped version>/<rel>`.
    fn modcache_module(&self, cache: &Path, rel: &str) -> Option<(Arc<Module>, String)> {
        let parts: Vec<&str> = rel.split('/').collect();
        let at = parts.iter().position(|p| p.contains('@'))?;
        let (last, version) = parts[at].split_once('@')?;
        let mut esc: Vec<&str> = parts[..at].to_vec();
        esc.push(last);
        let path = unescape_path(&esc.join("/"))?;
        let _version = unescape_path(version)?;
        let root = join_slash(cache, &parts[..=at].join("/"));
        let rest = parts[at + 1..].join("/");
        let key = root.clone();
        if let Some(m) = self
            .modules
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Some((m.clone(), rest));
        }
        let gomod = self.gomod_in(&root);
        let mut deps = HashMap::new();
        let mod_path = gomod
            .as_ref()
            .map(|g| g.module.clone())
            .filter(|m| !m.is_empty())
            .unwrap_or(path);
        if let Some(g) = &gomod {
            for r in &g.requires {
                deps.insert(
                    r.path.clone(),
                    Source::Cache {
                        path: r.path.clone(),
                        version: r.version.clone(),
                    },
                );
            }
        }
        deps.insert(mod_path.clone(), Source::Dir(root.clone()));
        let m = Arc::new(Module {
            root: root.clone(),
            path: mod_path,
            in_modcache: true,
            deps,
        });
        self.modules
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, m.clone());
        Some((m, rest))
    }

    /// The nearest directory at or above `dir` holding a go.mod.
    fn find_module_root(&self, dir: &Path) -> Option<PathBuf> {
        let mut d = dir.to_path_buf();
        loop {
            if self.gomod_in(&d).is_some() {
                return Some(d);
            }
            if !d.pop() {
                return None;
            }
        }
    }

    /// The parsed go.mod in `dir`, cached.
    fn gomod_in(&self, dir: &Path) -> Option<Arc<GoMod>> {
        if let Some(g) = self
            .gomods
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
        {
            return g.clone();
        }
        let file = dir.join("go.mod");
        let g = if file.is_file() {
            match std::fs::read(&file) {
                Ok(b) => Some(Arc::new(gomod::parse_go_mod(&String::from_utf8_lossy(&b)))),
                Err(e) => {
                    self.note(format!("{}: cannot read: {e}", file.display()));
                    None
                }
            }
        } else {
            None
        };
        self.gomods
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), g.clone());
        g
    }

    /// The module rooted at `root` (which has a go.mod), with its dependency table; go.work
    /// applies when one lists this module.
    fn module_at(&self, root: &Path) -> Arc<Module> {
        if let Some(m) = self
            .modules
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(root)
        {
            return m.clone();
        }
        let gomod = self.gomod_in(root).unwrap_or_default();
        let mut deps: HashMap<String, Source> = HashMap::new();

        // Workspace: used modules, go.work replaces, then every used module's go.mod.
        let mut mods: Vec<(PathBuf, Arc<GoMod>)> = Vec::new();
        let mut replaces: Vec<(PathBuf, gomod::Replace)> = Vec::new();
        if let Some((work_dir, work)) = self.find_work(root) {
            let used: Vec<PathBuf> = work
                .uses
                .iter()
                .map(|u| clean_path(&resolve_rel(&work_dir, u)))
                .collect();
            if used.iter().any(|u| u == root) {
                for u in used {
                    if let Some(g) = self.gomod_in(&u) {
                        mods.push((u, g));
                    }
                }
                replaces.extend(work.replaces.iter().map(|r| (work_dir.clone(), r.clone())));
            }
        }
        if mods.is_empty() {
            mods.push((root.to_path_buf(), gomod.clone()));
        }
        for (dir, g) in &mods {
            replaces.extend(g.replaces.iter().map(|r| (dir.clone(), r.clone())));
        }
        // Required versions: the highest any used module requires.
        let mut required: HashMap<&str, &str> = HashMap::new();
        for (_, g) in &mods {
            for r in &g.requires {
                let e = required
                    .entry(r.path.as_str())
                    .or_insert(r.version.as_str());
                if compare_versions(&r.version, e).is_gt() {
                    *e = r.version.as_str();
                }
            }
        }
        for (path, version) in &required {
            deps.insert(
                path.to_string(),
                Source::Cache {
                    path: path.to_string(),
                    version: version.to_string(),
                },
            );
        }
        // Replaces override requires; earlier replaces (go.work) win over later ones.
        for (dir, r) in replaces.iter().rev() {
            if let Some(v) = &r.old_version {
                if required.get(r.old_path.as_str()) != Some(&v.as_str()) {
                    continue;
                }
            }
            let src = match &r.new_version {
                None if is_directory_path(&r.new_path) => {
                    Source::Dir(clean_path(&resolve_rel(dir, &r.new_path)))
                }
                None => continue,
                Some(v) => Source::Cache {
                    path: r.new_path.clone(),
                    version: v.clone(),
                },
            };
            deps.insert(r.old_path.clone(), src);
        }
        // Main and workspace modules win over everything.
        for (dir, g) in &mods {
            if !g.module.is_empty() {
                deps.insert(g.module.clone(), Source::Dir(dir.clone()));
            }
        }
        let m = Arc::new(Module {
            root: root.to_path_buf(),
            path: gomod.module.clone(),
            in_modcache: false,
            deps,
        });
        self.modules
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(root.to_path_buf(), m.clone());
        m
    }

    /// The go.work that applies to a module root: `GOWORK`, else the nearest one above.
    fn find_work(&self, root: &Path) -> Option<(PathBuf, gomod::GoWork)> {
        let file = match &self.env().gowork {
            GoWorkSetting::Off => return None,
            GoWorkSetting::File(f) => clean_path(f),
            GoWorkSetting::Auto => {
                let mut d = root.to_path_buf();
                loop {
                    let f = d.join("go.work");
                    if f.is_file() {
                        break f;
                    }
                    if !d.pop() {
                        return None;
                    }
                }
            }
        };
        let text = std::fs::read(&file).ok()?;
        let dir = file.parent()?.to_path_buf();
        Some((dir, gomod::parse_go_work(&String::from_utf8_lossy(&text))))
    }
}

/// `p` relative to `dir` unless absolute.
fn resolve_rel(dir: &Path, p: &str) -> PathBuf {
    let pb = Path::new(p);
    if pb.is_absolute() {
        pb.to_path_buf()
    } else {
        dir.join(pb)
    }
}

/// `dir` below `root` (slash-separated), comparing lexically and then with symlinks
/// resolved.
fn rel_under(root: &Path, dir: &Path) -> Option<String> {
    if let Some(r) = rel_slash(root, dir) {
        return Some(r);
    }
    let croot = std::fs::canonicalize(root).ok()?;
    let cdir = std::fs::canonicalize(dir).ok()?;
    if croot == root && cdir == dir {
        return None;
    }
    rel_slash(&croot, &cdir)
}

/// `_` + the absolute directory with `/` separators.
fn synthetic_path(dir: &Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    if s.starts_with('/') {
        format!("_{s}")
    } else {
        format!("_/{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BuildContext, GoEnv};
    use super::*;
    use std::fs;

    fn mkpkg(dir: &Path, name: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("x.go"), format!("package {name}\n")).unwrap();
    }

    fn write(p: &Path, s: &str) {
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, s).unwrap();
    }

    struct Layout {
        _t: tempfile::TempDir,
        root: PathBuf,
        loader: Loader,
    }

    /// A fake GOROOT, GOPATH (with module cache) and a module using them.
    fn layout() -> Layout {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().canonicalize().unwrap();
        let goroot = root.join("goroot");
        mkpkg(&goroot.join("src/runtime"), "runtime");
        mkpkg(&goroot.join("src/fmt"), "fmt");
        mkpkg(&goroot.join("src/net/http"), "http");
        mkpkg(
            &goroot.join("src/vendor/golang.org/x/net/http2/hpack"),
            "hpack",
        );
        mkpkg(&goroot.join("src/cmd/go"), "main");
        mkpkg(
            &goroot.join("src/cmd/vendor/golang.org/x/mod/modfile"),
            "modfile",
        );
        mkpkg(&goroot.join("src/cmd/internal/obj"), "obj");
        write(&goroot.join("src/go.mod"), "module std\n");
        write(&goroot.join("src/cmd/go.mod"), "module cmd\n");

        let gopath = root.join("gopath");
        let cache = gopath.join("pkg/mod");
        mkpkg(&cache.join("github.com/!burnt!sushi/toml@v1.3.2"), "toml");
        mkpkg(
            &cache.join("github.com/!burnt!sushi/toml@v1.3.2/internal"),
            "internal",
        );
        mkpkg(&cache.join("example.com/dep@v1.0.0/sub"), "sub");
        write(
            &cache.join("example.com/dep@v1.0.0/go.mod"),
            "module example.com/dep\n\nrequire example.com/other v0.1.0\n",
        );
        mkpkg(&cache.join("example.com/other@v0.1.0"), "other");
        mkpkg(&cache.join("example.com/other@v0.2.0"), "other");
        mkpkg(&cache.join("example.com/vendored@v1.0.0"), "vendored");
        mkpkg(&cache.join("example.com/newer@v1.2.0"), "newer");
        mkpkg(&cache.join("example.com/newer@v1.10.0"), "newer");
        mkpkg(&cache.join("example.com/newer@v1.9.0-rc1"), "newer");
        mkpkg(&cache.join("example.com/replaced@v2.0.0"), "replaced");
        mkpkg(&gopath.join("src/gp.example/lib"), "lib");
        mkpkg(&gopath.join("src/gp.example/app"), "main");
        mkpkg(&gopath.join("src/gp.example/app/vendor/v.example/x"), "x");

        let m = root.join("work/m");
        write(
            &m.join("go.mod"),
            "module example.com/m\n\ngo 1.22\n\nrequire (\n\tgithub.com/BurntSushi/toml v1.3.2\n\texample.com/dep v1.0.0\n\texample.com/vendored v1.0.0\n\texample.com/newer v1.5.0\n\texample.com/replaced v1.0.0\n\texample.com/local v0.0.0\n)\n\nreplace example.com/replaced => example.com/replaced v2.0.0\nreplace example.com/local => ../local\n",
        );
        mkpkg(&m.join("internal/a"), "a");
        mkpkg(&m.join("cmd/tool"), "main");
        mkpkg(&m.join("vendor/example.com/vendored"), "vendored");
        mkpkg(&root.join("work/local/pkg"), "pkg");
        // A nested module.
        write(&m.join("nested/go.mod"), "module example.com/m/nested\n");
        mkpkg(&m.join("nested/n"), "n");

        let env = GoEnv {
            goroot: Some(goroot),
            gopath: vec![gopath.clone()],
            gomodcache: Some(cache),
            gowork: GoWorkSetting::Auto,
            gopath_mode: false,
        };
        let loader = Loader::with_env(BuildContext::new("linux", "amd64"), env);
        Layout {
            _t: t,
            root,
            loader,
        }
    }

    #[test]
    fn import_paths() {
        let l = layout();
        let r = &l.root;
        let ip = |p: &str| l.loader.import_path_of(&r.join(p));
        assert_eq!(ip("goroot/src/fmt"), "fmt");
        assert_eq!(ip("goroot/src/net/http"), "net/http");
        assert_eq!(
            ip("goroot/src/vendor/golang.org/x/net/http2/hpack"),
            "vendor/golang.org/x/net/http2/hpack"
        );
        assert_eq!(ip("goroot/src/cmd/go"), "cmd/go");
        assert_eq!(ip("work/m"), "example.com/m");
        assert_eq!(ip("work/m/internal/a"), "example.com/m/internal/a");
        assert_eq!(ip("work/m/internal/a/./../a"), "example.com/m/internal/a");
        assert_eq!(ip("work/m/nested/n"), "example.com/m/nested/n");
        assert_eq!(
            ip("work/m/vendor/example.com/vendored"),
            "example.com/vendored"
        );
        assert_eq!(
            ip("gopath/src/gp.example/app/vendor/v.example/x"),
            "gp.example/app/vendor/v.example/x"
        );
        assert_eq!(
            ip("gopath/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/internal"),
            "github.com/BurntSushi/toml/internal"
        );
        assert_eq!(
            ip("gopath/pkg/mod/example.com/dep@v1.0.0/sub"),
            "example.com/dep/sub"
        );
        assert_eq!(ip("gopath/src/gp.example/lib"), "gp.example/lib");
        let lone = r.join("elsewhere/dir");
        fs::create_dir_all(&lone).unwrap();
        assert_eq!(
            l.loader.import_path_of(&lone),
            format!("_{}", lone.display())
        );
    }

    #[test]
    fn resolution_order() {
        let l = layout();
        let r = &l.root;
        let res = |from: &str, p: &str| {
            l.loader
                .resolve_import(&r.join(from), p)
                .map(|d| d.strip_prefix(r).unwrap().to_string_lossy().into_owned())
        };
        // Standard library.
        assert_eq!(res("work/m", "fmt").as_deref(), Some("goroot/src/fmt"));
        // std inside GOROOT: vendor first.
        assert_eq!(
            res("goroot/src/net/http", "golang.org/x/net/http2/hpack").as_deref(),
            Some("goroot/src/vendor/golang.org/x/net/http2/hpack")
        );
        assert_eq!(
            res("goroot/src/net/http", "fmt").as_deref(),
            Some("goroot/src/fmt")
        );
        assert_eq!(
            res("goroot/src/cmd/go", "golang.org/x/mod/modfile").as_deref(),
            Some("goroot/src/cmd/vendor/golang.org/x/mod/modfile")
        );
        assert_eq!(
            res("goroot/src/cmd/go", "cmd/internal/obj").as_deref(),
            Some("goroot/src/cmd/internal/obj")
        );
        assert_eq!(
            res("goroot/src/cmd/go", "golang.org/x/net/http2/hpack"),
            None
        );
        // The std vendor tree is not visible from outside GOROOT.
        assert_eq!(res("work/m", "golang.org/x/net/http2/hpack"), None);
        // Same module.
        assert_eq!(
            res("work/m/cmd/tool", "example.com/m/internal/a").as_deref(),
            Some("work/m/internal/a")
        );
        // Vendor beats the module cache.
        assert_eq!(
            res("work/m/cmd/tool", "example.com/vendored").as_deref(),
            Some("work/m/vendor/example.com/vendored")
        );
        // Module cache with case encoding, at the required version.
        assert_eq!(
            res("work/m", "github.com/BurntSushi/toml/internal").as_deref(),
            Some("gopath/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/internal")
        );
        // Required version missing from the cache: the newest cached one.
        assert_eq!(
            res("work/m", "example.com/newer").as_deref(),
            Some("gopath/pkg/mod/example.com/newer@v1.10.0")
        );
        // Replacements: module → module, module → directory.
        assert_eq!(
            res("work/m", "example.com/replaced").as_deref(),
            Some("gopath/pkg/mod/example.com/replaced@v2.0.0")
        );
        assert_eq!(
            res("work/m", "example.com/local/pkg").as_deref(),
            Some("work/local/pkg")
        );
        // From inside the module cache: that module's own requires.
        assert_eq!(
            res(
                "gopath/pkg/mod/example.com/dep@v1.0.0/sub",
                "example.com/other"
            )
            .as_deref(),
            Some("gopath/pkg/mod/example.com/other@v0.1.0")
        );
        assert_eq!(
            res(
                "gopath/pkg/mod/example.com/dep@v1.0.0/sub",
                "example.com/dep/sub"
            )
            .as_deref(),
            Some("gopath/pkg/mod/example.com/dep@v1.0.0/sub")
        );
        // Not required anywhere, but cached: newest cached version.
        assert_eq!(
            res("work/m", "example.com/other").as_deref(),
            Some("gopath/pkg/mod/example.com/other@v0.2.0")
        );
        // GOPATH layout, with GOPATH-era vendor directories.
        assert_eq!(
            res("gopath/src/gp.example/app", "gp.example/lib").as_deref(),
            Some("gopath/src/gp.example/lib")
        );
        assert_eq!(
            res("gopath/src/gp.example/app", "v.example/x").as_deref(),
            Some("gopath/src/gp.example/app/vendor/v.example/x")
        );
        assert_eq!(res("gopath/src/gp.example/lib", "v.example/x"), None);
        // Relative imports, "C", missing packages.
        assert_eq!(
            res("work/m/cmd/tool", "../../internal/a").as_deref(),
            Some("work/m/internal/a")
        );
        assert_eq!(res("work/m", "C"), None);
        assert_eq!(res("work/m", "example.com/missing/pkg"), None);
        assert_eq!(res("work/m", "nosuchstd"), None);
        let notes = l.loader.notes();
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("cannot find package \"example.com/missing/pkg\"")),
            "{notes:?}"
        );
        assert!(!notes.iter().any(|n| n.contains("\"C\"")));
        // Cached answers are stable.
        assert_eq!(res("work/m", "fmt").as_deref(), Some("goroot/src/fmt"));
    }

    #[test]
    fn workspace() {
        let l = layout();
        let r = &l.root;
        write(
            &r.join("work/go.work"),
            "go 1.22\n\nuse (\n\t./m\n\t./w2\n)\n",
        );
        write(&r.join("work/w2/go.mod"), "module example.com/w2\n");
        mkpkg(&r.join("work/w2/lib"), "lib");
        let got = l
            .loader
            .resolve_import(&r.join("work/m"), "example.com/w2/lib");
        assert_eq!(got, Some(r.join("work/w2/lib")));
        // A module not listed in go.work does not see the workspace.
        write(&r.join("work/w3/go.mod"), "module example.com/w3\n");
        assert_eq!(
            l.loader
                .resolve_import(&r.join("work/w3"), "example.com/w2/lib"),
            None
        );
    }

    #[test]
    fn gopath_mode_and_standalone() {
        let l = layout();
        let r = &l.root;
        let mut env = l.loader.env().clone();
        env.gopath_mode = true;
        let gl = Loader::with_env(BuildContext::new("linux", "amd64"), env);
        // With GO111MODULE=off, a module directory is just a directory.
        assert_eq!(
            gl.import_path_of(&r.join("work/m")),
            format!("_{}", r.join("work/m").display())
        );
        assert_eq!(
            gl.resolve_import(&r.join("work/m"), "fmt"),
            Some(r.join("goroot/src/fmt"))
        );
        assert_eq!(
            gl.resolve_import(&r.join("work/m"), "gp.example/lib"),
            Some(r.join("gopath/src/gp.example/lib"))
        );
    }

    #[test]
    fn other_go_tree() {
        // A Go source tree that is not the GOROOT in use: its std and cmd modules resolve
        // within the tree.
        let l = layout();
        let r = &l.root;
        let tree = r.join("gosrc/src");
        write(&tree.join("go.mod"), "module std\n");
        write(&tree.join("cmd/go.mod"), "module cmd\n");
        mkpkg(&tree.join("fmt"), "fmt");
        mkpkg(&tree.join("net/http"), "http");
        mkpkg(&tree.join("vendor/golang.org/x/net/idna"), "idna");
        mkpkg(&tree.join("cmd/go"), "main");
        mkpkg(&tree.join("cmd/internal/obj"), "obj");
        assert_eq!(l.loader.import_path_of(&tree.join("net/http")), "net/http");
        assert_eq!(l.loader.import_path_of(&tree.join("cmd/go")), "cmd/go");
        assert_eq!(
            l.loader.resolve_import(&tree.join("net/http"), "fmt"),
            Some(tree.join("fmt"))
        );
        assert_eq!(
            l.loader
                .resolve_import(&tree.join("net/http"), "golang.org/x/net/idna"),
            Some(tree.join("vendor/golang.org/x/net/idna"))
        );
        assert_eq!(
            l.loader
                .resolve_import(&tree.join("cmd/go"), "cmd/internal/obj"),
            Some(tree.join("cmd/internal/obj"))
        );
    }

    #[test]
    fn prefix_iteration() {
        let v: Vec<_> = prefixes("a/b/c").collect();
        assert_eq!(v, [("a/b/c", ""), ("a/b", "c"), ("a", "b/c")]);
        assert!(
            is_std_path("net/http") && is_std_path("cmd/go") && !is_std_path("golang.org/x/net")
        );
    }
}
