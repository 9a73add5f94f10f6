//! Package loading: which files form which package, where an import path lives on disk, and
//! what a directory's import path is — the go tool's rules, without the go tool.
//!
//! - [`BuildContext`]: the target (GOOS, GOARCH, tags, cgo, tests) and the GOROOT override.
//! - [`file_matches`]: one file's name rules and header constraints (`go/build.MatchFile`).
//! - [`Loader`]: directories → [`PackageSource`]s, import resolution and import paths. It caches
//!   go.mod/go.work parsing and resolutions, is `Send + Sync`, and never fails: what cannot be
//!   read or found becomes a note ([`Loader::notes`]) and an empty/None answer.
//!
//! Paths returned are absolute and lexically clean (no `.`/`..`), built from the paths given
//! (symlinks are not resolved), except that a discovered GOROOT is used as found.
//!
//! Submodules: [`constraint`] (build constraints, file-name rules), [`header`] (package clause
//! and imports of a file head), [`gomod`] (go.mod/go.work, module-cache encoding, versions),
//! [`env`](mod@env) (GOROOT/GOPATH/GOMODCACHE discovery); `package` and `resolve` hold the
//! `Loader`'s directory scanning and import resolution.

pub mod constraint;
pub mod env;
pub mod gomod;
pub mod header;
pub mod memo;
mod package;
mod resolve;

#[cfg(test)]
mod oracle_tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

pub use env::GoEnv;

/// The newest Go release whose `go1.N` release tag is satisfied by default.
pub const GO_MINOR: u32 = 26;

/// The build target and options: what the go tool takes from `GOOS`, `GOARCH`, `-tags`,
/// `CGO_ENABLED`, `GOEXPERIMENT` and `GOAMD64`-style variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildContext {
    pub goos: String,
    pub goarch: String,
    /// User build tags (`--tags`).
    pub tags: Vec<String>,
    /// Whether cgo is enabled: the `cgo` tag, and files importing "C" belong to the package
    /// (with cgo off they are ignored, as by the go tool).
    pub cgo: bool,
    /// Whether `_test.go` files are loaded by [`Loader::packages_in_dir`].
    pub tests: bool,
    /// GOROOT to use; None = discover (`$GOROOT`, `go env GOROOT`, common install paths).
    pub goroot: Option<PathBuf>,
    /// Release tags `go1.1` … `go1.<go_minor>` are satisfied.
    pub go_minor: u32,
    /// A GOEXPERIMENT setting applied on top of the release's default experiments
    /// (`goexperiment.X` tags), e.g. `"jsonv2,nogreenteagc"`; "" = the defaults.
    pub goexperiment: String,
    /// The micro-architecture level for `goarch` (the value of `GOAMD64`, `GOARM64`, `GOARM`,
    /// `GO386`, `GOMIPS`, `GOMIPS64`, `GOPPC64` or `GORISCV64`; tags such as `amd64.v2`);
    /// "" = the default level. Reset it when changing `goarch` (see [`BuildContext::new`]).
    pub goarch_level: String,
}

impl BuildContext {
    /// A context for the given target with default settings: no user tags, cgo enabled,
    /// tests on, GOROOT discovered, default experiments and micro-architecture level.
    pub fn new(goos: &str, goarch: &str) -> BuildContext {
        BuildContext {
            goos: goos.to_string(),
            goarch: goarch.to_string(),
            tags: Vec::new(),
            cgo: true,
            tests: true,
            goroot: None,
            go_minor: GO_MINOR,
            goexperiment: String::new(),
            goarch_level: String::new(),
        }
    }

    /// The host target as the go tool sees it: `GOOS`/`GOARCH` from the environment, else the
    /// machine this runs on (mapped to Go's names); `CGO_ENABLED` (default on: "0" turns it
    /// off); `-tags` from `GOFLAGS`; `GOEXPERIMENT`; the level variable of the GOARCH; tests on.
    pub fn host() -> BuildContext {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let goos = var("GOOS").unwrap_or_else(|| host_goos().to_string());
        let goarch = var("GOARCH").unwrap_or_else(|| host_goarch().to_string());
        let mut c = BuildContext::new(&goos, &goarch);
        c.cgo = var("CGO_ENABLED").as_deref() != Some("0");
        c.tags = var("GOFLAGS").map(|f| goflags_tags(&f)).unwrap_or_default();
        c.goexperiment = var("GOEXPERIMENT").unwrap_or_default();
        if let Some(name) = level_var(&goarch) {
            c.goarch_level = var(name).unwrap_or_default();
        }
        c.goroot = var("GOROOT").map(PathBuf::from);
        c
    }

    /// Changes the target, resetting the micro-architecture level.
    pub fn set_target(&mut self, goos: &str, goarch: &str) {
        if goarch != self.goarch {
            self.goarch_level.clear();
        }
        self.goos = goos.to_string();
        self.goarch = goarch.to_string();
    }

    /// The tool tags the go command would set: enabled `goexperiment.X` and the
    /// micro-architecture tags (`amd64.v1`, `arm64.v8.0`, ...).
    pub fn tool_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = experiments(&self.goos, &self.goarch, &self.goexperiment)
            .into_iter()
            .map(|e| format!("goexperiment.{e}"))
            .collect();
        tags.extend(arch_tags(&self.goarch, &self.goarch_level));
        tags
    }
}

impl Default for BuildContext {
    fn default() -> Self {
        BuildContext::host()
    }
}

/// Go's name for the OS this program runs on.
pub fn host_goos() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        // linux, windows, freebsd, netbsd, openbsd, dragonfly, solaris, illumos, android, ios,
        // aix, hurd: the same names.
        other => other,
    }
}

/// Go's name for the architecture this program runs on.
pub fn host_goarch() -> &'static str {
    let le = cfg!(target_endian = "little");
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "arm" => "arm",
        "loongarch64" => "loong64",
        "powerpc64" => {
            if le {
                "ppc64le"
            } else {
                "ppc64"
            }
        }
        "powerpc" => "ppc",
        "mips" => {
            if le {
                "mipsle"
            } else {
                "mips"
            }
        }
        "mips64" => {
            if le {
                "mips64le"
            } else {
                "mips64"
            }
        }
        "wasm32" => "wasm",
        other => other, // riscv64, s390x, sparc64
    }
}

fn level_var(goarch: &str) -> Option<&'static str> {
    Some(match goarch {
        "amd64" => "GOAMD64",
        "arm64" => "GOARM64",
        "arm" => "GOARM",
        "386" => "GO386",
        "mips" | "mipsle" => "GOMIPS",
        "mips64" | "mips64le" => "GOMIPS64",
        "ppc64" | "ppc64le" => "GOPPC64",
        "riscv64" => "GORISCV64",
        _ => return None,
    })
}

/// `-tags` values in a GOFLAGS string (`-tags=a,b` or `--tags=a,b`).
fn goflags_tags(goflags: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in goflags.split_whitespace() {
        let f = f.trim_start_matches('-');
        if let Some(v) = f.strip_prefix("tags=") {
            out = v
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
        }
    }
    out
}

/// Enabled experiments (lowercase names): Go 1.26's baseline (`internal/buildcfg`) with a
/// GOEXPERIMENT string applied.
fn experiments(goos: &str, goarch: &str, goexp: &str) -> BTreeSet<String> {
    let regabi = matches!(
        goarch,
        "amd64" | "arm64" | "loong64" | "ppc64le" | "ppc64" | "riscv64" | "s390x"
    );
    let mut on = BTreeSet::new();
    if regabi {
        on.insert("regabiwrappers".to_string());
        on.insert("regabiargs".to_string());
    }
    if !matches!(goos, "darwin" | "ios" | "aix") {
        on.insert("dwarf5".to_string());
    }
    on.insert("randomizedheapbase64".to_string());
    on.insert("greenteagc".to_string());
    for f in goexp.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        if f == "none" {
            on.clear();
            continue;
        }
        let (name, val) = match f.strip_prefix("no") {
            Some(n) => (n, false),
            None => (f, true),
        };
        let names: &[&str] = if name == "regabi" {
            &["regabiwrappers", "regabiargs"]
        } else {
            &[name]
        };
        for n in names {
            if val {
                on.insert(n.to_string());
            } else {
                on.remove(*n);
            }
        }
    }
    on
}

/// `internal/buildcfg.gogoarchTags` for a GOARCH and level ("" = default).
fn arch_tags(goarch: &str, level: &str) -> Vec<String> {
    let level = level.split(',').next().unwrap_or("");
    let digits = |s: &str| -> Option<u32> { s.parse().ok() };
    match goarch {
        "386" => vec![format!(
            "386.{}",
            if level.is_empty() { "sse2" } else { level }
        )],
        "amd64" => {
            let n = level
                .strip_prefix('v')
                .and_then(digits)
                .unwrap_or(1)
                .clamp(1, 4);
            (1..=n).map(|i| format!("amd64.v{i}")).collect()
        }
        "arm" => {
            let n = digits(level).unwrap_or(7).clamp(5, 7);
            (5..=n).map(|i| format!("arm.{i}")).collect()
        }
        "arm64" => {
            let v = level.strip_prefix('v').unwrap_or("8.0");
            let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
            let major = digits(major).filter(|m| *m == 8 || *m == 9).unwrap_or(8);
            let minor = digits(minor).unwrap_or(0).min(9);
            let mut out: Vec<String> = (0..=minor).map(|i| format!("arm64.v{major}.{i}")).collect();
            if major == 9 {
                out.extend((0..=(minor + 5).min(9)).map(|i| format!("arm64.v8.{i}")));
            }
            out
        }
        "mips" | "mipsle" | "mips64" | "mips64le" => {
            vec![format!(
                "{goarch}.{}",
                if level.is_empty() { "hardfloat" } else { level }
            )]
        }
        "ppc64" | "ppc64le" => {
            let n = level
                .strip_prefix("power")
                .and_then(digits)
                .unwrap_or(8)
                .clamp(8, 10);
            (8..=n).map(|i| format!("{goarch}.power{i}")).collect()
        }
        "riscv64" => {
            let n = level
                .strip_prefix("rva")
                .and_then(|s| s.strip_suffix("u64"))
                .and_then(digits)
                .unwrap_or(20);
            let mut out = vec!["riscv64.rva20u64".to_string()];
            if n >= 22 {
                out.push("riscv64.rva22u64".into());
            }
            if n >= 23 {
                out.push("riscv64.rva23u64".into());
            }
            out
        }
        "wasm" => vec!["wasm.satconv".into(), "wasm.signext".into()],
        _ => Vec::new(),
    }
}

/// Whether a file with this name and content belongs to the build: the name rules (`.go`
/// extension, no leading `_` or `.`, `_test.go` only when `ctx.tests`, `_GOOS`/`_GOARCH`
/// suffixes) and the header's `//go:build` / `// +build` constraints. Like
/// `go/build.MatchFile`, it does not look at the package clause or at `import "C"` (cgo files
/// are dropped by [`Loader::packages_in_dir`] when cgo is off). `src` is the file or at least
/// its head (through the package clause); a leading byte-order mark is ignored. A malformed
/// `//go:build` line (or several of them) does not match.
pub fn file_matches(ctx: &BuildContext, file_name: &str, src: &[u8]) -> bool {
    name_matches(ctx, file_name, ctx.tests)
        && constraint::should_build(ctx, header::strip_bom(src)).unwrap_or(false)
}

/// The name rules of [`file_matches`].
pub(crate) fn name_matches(ctx: &BuildContext, name: &str, tests: bool) -> bool {
    if name.starts_with('_') || name.starts_with('.') || !name.ends_with(".go") {
        return false;
    }
    if !tests && name.ends_with("_test.go") {
        return false;
    }
    constraint::good_os_arch_file(ctx, name)
}

/// The Go files of one package in one directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSource {
    /// The directory (absolute, lexically clean).
    pub dir: PathBuf,
    /// The import path ([`Loader::import_path_of`]; `+ "_test"` for an external test package).
    pub import_path: String,
    /// The package clause's name (`x_test` for an external test package).
    pub name: String,
    /// Full paths, sorted: the package's files and, when tests are on, its in-package
    /// `_test.go` files; or the external test package's files.
    pub files: Vec<PathBuf>,
    /// The contents of `files` (same order) that the loader read whole while it looked at
    /// their headers (small files); `None`: read them yourself, unless the digest is known
    /// (from the loader's [`memo::FileMemo`]): then the file was not read at all.
    pub texts: Vec<Option<Vec<u8>>>,
    /// The [`memo::text_digest`] of each of `files` (same order), when the loader has a
    /// memo and read the file whole or found it in the memo.
    pub digests: Vec<Option<u128>>,
    /// The size of each of `files` (same order) when known (0 otherwise: read it).
    pub sizes: Vec<u64>,
    /// The import paths of each of `files` (same order), from their headers.
    pub imports: Vec<Vec<String>>,
    /// This is the `package x_test` package of the directory.
    pub is_xtest: bool,
}

/// Where a directory lives, which decides its import path and how its imports resolve.
#[derive(Debug)]
pub(crate) enum Place {
    /// Inside `GOROOT/src`: module `std`, or `cmd` under `GOROOT/src/cmd`.
    Goroot {
        src: PathBuf,
        rel: String,
        cmd: bool,
    },
    /// Inside a module (found by its go.mod, or by its module-cache location).
    Module { module: Arc<Module>, rel: String },
    /// Inside a GOPATH `src` tree, no go.mod above.
    Gopath { src: PathBuf, rel: String },
    /// Anywhere else: a standalone directory.
    Standalone,
}

/// A module and how its imports resolve.
#[derive(Debug)]
pub(crate) struct Module {
    pub root: PathBuf,
    pub path: String,
    /// Lives in the module cache (its replaces are ignored, it has no vendor directory).
    pub in_modcache: bool,
    /// Module path → where it comes from, for import resolution (includes this module).
    pub deps: HashMap<String, Source>,
}

/// Where a module's files are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A directory on disk (the main module, a workspace module, a local replacement).
    Dir(PathBuf),
    /// `module@version` in the module cache.
    Cache { path: String, version: String },
}

/// Loads packages and resolves imports; see the module documentation. Cheap to share: all
/// methods take `&self` and may run concurrently.
pub struct Loader {
    ctx: BuildContext,
    env: OnceLock<GoEnv>,
    /// go.mod contents by directory (None: no go.mod there).
    gomods: RwLock<HashMap<PathBuf, Option<Arc<gomod::GoMod>>>>,
    /// Modules by root directory.
    modules: RwLock<HashMap<PathBuf, Arc<Module>>>,
    /// Places by directory.
    places: RwLock<HashMap<PathBuf, Arc<Place>>>,
    /// Resolutions by (importing directory, import path).
    resolved: RwLock<HashMap<(PathBuf, String), Option<PathBuf>>>,
    /// Newest cached version directory by module path.
    cached_any: RwLock<HashMap<String, Option<PathBuf>>>,
    /// Whether a directory exists, by path: imports resolve to the same few directories
    /// from every importer.
    dirs: RwLock<HashMap<PathBuf, bool>>,
    notes: Mutex<Notes>,
    /// What earlier runs learned of files, used instead of reading them (and added to).
    memo: Option<Arc<memo::FileMemo>>,
}

#[derive(Default)]
struct Notes {
    general: BTreeSet<String>,
    /// Unresolved import path → importing directories.
    unresolved: BTreeMap<String, BTreeSet<PathBuf>>,
}

impl Loader {
    pub fn new(ctx: BuildContext) -> Loader {
        Loader {
            ctx,
            env: OnceLock::new(),
            gomods: RwLock::default(),
            modules: RwLock::default(),
            places: RwLock::default(),
            resolved: RwLock::default(),
            cached_any: RwLock::default(),
            dirs: RwLock::default(),
            notes: Mutex::default(),
            memo: None,
        }
    }

    /// This loader, taking what it knows of unchanged files from `memo` instead of reading
    /// them, and recording there what it learns of the others.
    pub fn with_memo(mut self, memo: Arc<memo::FileMemo>) -> Loader {
        self.memo = Some(memo);
        self
    }

    /// The loader's memo, if it has one.
    pub fn memo(&self) -> Option<&memo::FileMemo> {
        self.memo.as_deref()
    }

    /// A loader with an explicit environment (tests, or a caller that discovered it).
    pub fn with_env(ctx: BuildContext, env: GoEnv) -> Loader {
        let l = Loader::new(ctx);
        let _ = l.env.set(env);
        l
    }

    /// The build context.
    pub fn context(&self) -> &BuildContext {
        &self.ctx
    }

    /// The Go environment (discovered on first use; GOROOT may be None).
    pub fn env(&self) -> &GoEnv {
        self.env
            .get_or_init(|| GoEnv::discover(self.ctx.goroot.clone()))
    }

    /// GOROOT, if known.
    pub fn goroot(&self) -> Option<&Path> {
        self.env().goroot.as_deref()
    }

    /// Notes for `--verbose`: skipped files, malformed constraints, unresolved imports, ...
    /// Sorted and deduplicated.
    pub fn notes(&self) -> Vec<String> {
        let n = self.notes.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<String> = n.general.iter().cloned().collect();
        for (path, dirs) in &n.unresolved {
            let first = dirs
                .iter()
                .next()
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            let more = if dirs.len() > 1 {
                format!(" and {} more", dirs.len() - 1)
            } else {
                String::new()
            };
            out.push(format!(
                "cannot find package \"{path}\" (imported from {first}{more})"
            ));
        }
        out.sort();
        out
    }

    pub(crate) fn note(&self, msg: String) {
        self.notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .general
            .insert(msg);
    }

    fn note_unresolved(&self, path: &str, from: &Path) {
        self.notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unresolved
            .entry(path.to_string())
            .or_default()
            .insert(from.to_path_buf());
    }
}

/// Absolute and lexically clean (`.` removed, `..` applied); symlinks are not resolved.
pub fn clean_path(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `dir` relative to `root` with `/` separators ("" when equal), if inside it.
pub(crate) fn rel_slash(root: &Path, dir: &Path) -> Option<String> {
    let rest = dir.strip_prefix(root).ok()?;
    let mut s = String::new();
    for c in rest.components() {
        let Component::Normal(n) = c else { return None };
        if !s.is_empty() {
            s.push('/');
        }
        s.push_str(n.to_str()?);
    }
    Some(s)
}

/// `root` joined with a slash-separated relative path.
pub(crate) fn join_slash(root: &Path, rel: &str) -> PathBuf {
    let mut p = root.to_path_buf();
    for part in rel.split('/').filter(|s| !s.is_empty()) {
        p.push(part);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_tags_defaults() {
        let c = BuildContext::new("linux", "amd64");
        assert_eq!(
            c.tool_tags(),
            [
                "goexperiment.dwarf5",
                "goexperiment.greenteagc",
                "goexperiment.randomizedheapbase64",
                "goexperiment.regabiargs",
                "goexperiment.regabiwrappers",
                "amd64.v1"
            ]
        );
        let mut c = BuildContext::new("darwin", "arm64");
        c.goexperiment = "jsonv2,nogreenteagc,noregabi".into();
        c.goarch_level = "v9.1".into();
        let t = c.tool_tags();
        assert!(t.contains(&"goexperiment.jsonv2".to_string()));
        assert!(!t
            .iter()
            .any(|s| s.contains("greenteagc") || s.contains("regabi") || s.contains("dwarf5")));
        assert!(t.contains(&"arm64.v9.1".to_string()) && t.contains(&"arm64.v8.6".to_string()));
        assert_eq!(
            arch_tags("amd64", "v3"),
            ["amd64.v1", "amd64.v2", "amd64.v3"]
        );
        assert_eq!(arch_tags("arm", ""), ["arm.5", "arm.6", "arm.7"]);
        assert_eq!(
            arch_tags("ppc64le", "power9"),
            ["ppc64le.power8", "ppc64le.power9"]
        );
    }

    #[test]
    fn goflags() {
        assert_eq!(goflags_tags("-mod=mod -tags=a,b"), ["a", "b"]);
        assert_eq!(goflags_tags("--tags=x"), ["x"]);
        assert!(goflags_tags("-mod=mod").is_empty());
    }

    #[test]
    fn host_names() {
        let g = host_goos();
        assert!(constraint::is_known_os(g), "{g}");
        let a = host_goarch();
        assert!(constraint::is_known_arch(a), "{a}");
    }

    #[test]
    fn file_matches_rules() {
        let mut c = BuildContext::new("linux", "amd64");
        let src = b"package x\n";
        assert!(file_matches(&c, "x_linux_amd64.go", src));
        assert!(!file_matches(&c, "x_windows.go", src));
        assert!(file_matches(&c, "linux.go", src));
        assert!(file_matches(&c, "windows.go", src));
        assert!(file_matches(&c, "x_test.go", src));
        assert!(!file_matches(&c, "_x.go", src));
        assert!(!file_matches(&c, ".x.go", src));
        assert!(!file_matches(&c, "x.s", src));
        assert!(!file_matches(
            &c,
            "x.go",
            b"//go:build ignore\n\npackage x\n"
        ));
        assert!(!file_matches(
            &c,
            "x.go",
            b"\xEF\xBB\xBF//go:build ignore\n\npackage x\n"
        ));
        assert!(!file_matches(&c, "x.go", b"//go:build (\n\npackage x\n"));
        c.tests = false;
        assert!(!file_matches(&c, "x_test.go", src));
    }

    #[test]
    fn paths() {
        assert_eq!(clean_path(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(
            rel_slash(Path::new("/a"), Path::new("/a/b/c")).as_deref(),
            Some("b/c")
        );
        assert_eq!(
            rel_slash(Path::new("/a"), Path::new("/a")).as_deref(),
            Some("")
        );
        assert_eq!(rel_slash(Path::new("/a"), Path::new("/ab")), None);
        assert_eq!(join_slash(Path::new("/a"), "b/c"), PathBuf::from("/a/b/c"));
    }

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn loader_is_send_sync() {
        assert_send_sync::<Loader>();
    }
}
