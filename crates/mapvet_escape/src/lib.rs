//! `mapvet escape`: the Go compiler's escape decisions about maps, shown and explained.
//!
//! The compiler decides where every `make(map...)`, map literal and map variable lives; only
//! it knows (a map in a struct does not always escape, a map does not always escape). This
//! crate asks it — one `go build` (or `go test -c`) of the user's packages with the compiler's
//! JSON optimization log (see [`toolchain`]) — while the semantic model loads and type-checks
//! the same packages and finds their map sites. Then it keeps the decisions about maps: what
//! the log says escapes or leaks, with the compiler's reason chain turned into sentences, and
//! what it does not mention, which stays on the stack (`analyze`).
//!
//! Code map: [`toolchain`] (finding and running go, fallbacks), [`json_log`] and
//! [`text_log`] (the two log formats), [`model`] (what they hold), `load` (target packages
//! and direct imports), `index` (positions back to syntax nodes), `analyze` (map sites,
//! classification, derivation, explanations), [`report`] (the result, text and JSON).

mod analyze;
mod index;
pub mod json_log;
pub mod model;
pub mod report;
pub mod text_log;
pub mod toolchain;

use std::fmt;
use std::path::{Component, Path, PathBuf};

use mapvet_semantic::load::{clean_path, BuildContext, Loader};
use mapvet_semantic::program;

pub use report::{Decision, Kind, Outcome, Report, Summary, TextOptions};
pub use toolchain::{LogMode, Toolchain};

/// What to analyse and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Package patterns or paths, as the go command takes them (`./...`, `.`, `./cmd/x`,
    /// `example.com/m/p`, a directory or a file, standing for its directory). Empty: `./...`.
    pub patterns: Vec<String>,
    /// The go command (`--go`); `None`: `go` on PATH.
    pub go: Option<PathBuf>,
    /// Include `_test.go` files (`go test -c` instead of `go build`).
    pub tests: bool,
    /// Build tags (`-tags`).
    pub tags: Option<Vec<String>>,
    /// Target (`GOOS`, `GOARCH` for the go command and the loader).
    pub goos: Option<String>,
    pub goarch: Option<String>,
    /// The directory relative patterns and paths are relative to (the working directory).
    pub cwd: PathBuf,
    /// Read the chains from `-m=2` text even when the compiler can write the JSON log (the
    /// fallback path, for tests).
    pub force_text: bool,
}

impl Options {
    pub fn new(cwd: PathBuf) -> Options {
        Options {
            patterns: Vec::new(),
            go: None,
            tests: false,
            tags: None,
            goos: None,
            goarch: None,
            cwd,
            force_text: false,
        }
    }
}

/// Why a run could not produce a report.
#[derive(Debug)]
pub enum Error {
    /// No usable Go toolchain; the message says how to point at one.
    NoToolchain(String),
    /// The go command failed: the packages do not build (or the patterns match nothing).
    BuildFailed { command: String, output: String },
    /// Scratch files could not be written.
    Io(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoToolchain(m) | Error::Io(m) => f.write_str(m),
            Error::BuildFailed { command, output } => {
                let errors = compiler_errors(output);
                // Compiler errors have positions; the go command's own (a pattern that matches
                // nothing, no module) do not.
                let compiler = errors
                    .lines()
                    .any(|l| text_log::split_pos(l, Path::new("/")).is_some());
                if compiler {
                    writeln!(f, "the packages do not build; `{command}` said:")?;
                } else {
                    writeln!(f, "`{command}` failed:")?;
                }
                write!(f, "{}", errors.trim_end())
            }
        }
    }
}

impl std::error::Error for Error {}

/// The go command's output without its optimization notes: the errors.
fn compiler_errors(output: &str) -> String {
    let log = text_log::parse(output, Path::new("/"));
    if log.other.is_empty() {
        return output.to_string();
    }
    // Keep `# pkg` headers of blocks that have errors.
    let mut out = String::new();
    let mut header: Option<&str> = None;
    let others: std::collections::HashSet<&str> = log.other.iter().map(String::as_str).collect();
    for line in output.lines() {
        if line.starts_with("# ") {
            header = Some(line);
            continue;
        }
        if others.contains(line) {
            if let Some(h) = header.take() {
                out.push_str(h);
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Runs the compiler on the packages of `opts` and builds the report.
pub fn run(opts: &Options) -> Result<Report, Error> {
    let t0 = std::time::Instant::now();
    let trace = |what: &str| {
        if std::env::var_os("MAPVET_TRACE").is_some() {
            eprintln!(
                "escape: {what} at {:?} (own cpu {})",
                t0.elapsed(),
                own_cpu()
            );
        }
    };
    let toolchain = Toolchain::find(opts.go.as_deref())?;
    let mut ctx = BuildContext::host();
    if opts.goos.is_some() || opts.goarch.is_some() {
        let goos = opts.goos.clone().unwrap_or_else(|| ctx.goos.clone());
        let goarch = opts.goarch.clone().unwrap_or_else(|| ctx.goarch.clone());
        ctx.set_target(&goos, &goarch);
    }
    if let Some(tags) = &opts.tags {
        ctx.tags = tags.clone();
    }
    ctx.tests = opts.tests;
    if toolchain.set_goroot || ctx.goroot.is_none() {
        if let Some(r) = &toolchain.goroot {
            ctx.goroot = Some(r.clone());
        }
    }

    let cwd = clean_path(&opts.cwd);
    let loader = Loader::new(ctx.clone());
    let targets = plan(&opts.patterns, &cwd, &loader);

    let work = tempfile::Builder::new()
        .prefix("mapvet-escape-")
        .tempdir()
        .map_err(|e| Error::Io(format!("cannot create a scratch directory: {e}")))?;
    let mut env = Vec::new();
    if let Some(g) = &opts.goos {
        env.push(("GOOS".to_string(), g.clone()));
    }
    if let Some(g) = &opts.goarch {
        env.push(("GOARCH".to_string(), g.clone()));
    }
    let inv = toolchain::Invocation::new(
        toolchain,
        targets.go_cwd.clone(),
        targets.go_patterns.clone(),
        opts.tests,
        opts.tags.clone(),
        env,
        work.path().to_path_buf(),
    );
    let mode = if opts.force_text {
        LogMode::Text
    } else {
        LogMode::Json
    };
    let running = inv.spawn(None, mode)?;

    trace("compiler started");

    // Load and check the packages while the compiler runs.
    match &targets.dirs {
        Some(dirs) => {
            let sources = mapvet_semantic::program::load_sources_from(&loader, dirs, Some(1));
            trace("sources loaded");
            program::with_checked_program(sources, |c| {
                let prep = analyze::prepare(c);
                trace("checked and indexed");
                let out = inv.finish(running)?;
                trace("compiler done");
                let mut log = read_log(&out, &targets.go_cwd);
                trace("logs read");
                recover_lost(c, &prep, &mut log, &inv, out.mode, &targets.go_cwd)?;
                let r = analyze::analyze(c, prep, log, out.mode, &cwd);
                trace("analysed");
                Ok(r)
            })
        }
        None => {
            let out = inv.finish(running)?;
            let log = read_log(&out, &targets.go_cwd);
            let dirs = dirs_of(&log);
            let sources = mapvet_semantic::program::load_sources_from(&loader, &dirs, Some(1));
            program::with_checked_program(sources, |c| {
                let mut log = log;
                let prep = analyze::prepare(c);
                recover_lost(c, &prep, &mut log, &inv, out.mode, &targets.go_cwd)?;
                Ok(analyze::analyze(c, prep, log, out.mode, &cwd))
            })
        }
    }
}

/// This process's user and system CPU time (Linux; for `MAPVET_TRACE`).
fn own_cpu() -> String {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return "?".to_string();
    };
    // Fields after the command name (which may hold spaces): utime is the 12th, stime 13th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    match (f.get(11), f.get(12)) {
        (Some(u), Some(s)) => format!("user {u} sys {s} ticks"),
        _ => "?".to_string(),
    }
}

/// Compiles again, with `-m=2`, the packages whose JSON log lost files (see
/// `analyze::lost_files`), and takes those files' decisions and chains from that text.
fn recover_lost(
    c: &mapvet_semantic::check::Checker<'_>,
    prep: &analyze::Prepared<'_>,
    log: &mut model::CompilerLog,
    inv: &toolchain::Invocation,
    mode: LogMode,
    go_cwd: &Path,
) -> Result<(), Error> {
    if mode != LogMode::Json {
        return Ok(());
    }
    let (dirs, files) = analyze::lost_files(c, prep, log);
    if files.is_empty() {
        return Ok(());
    }
    let patterns: Vec<String> = dirs.iter().map(|d| relative(go_cwd, d)).collect();
    if std::env::var_os("MAPVET_TRACE").is_some() {
        eprintln!("escape: lost JSON logs of {files:?}: compiling {patterns:?} again with -m=2");
    }
    let run = inv.spawn(Some(&patterns), LogMode::Text)?;
    let out = inv.finish(run)?;
    let text = text_log::parse(&out.text, go_cwd);
    let lost: std::collections::HashSet<u32> = files.iter().filter_map(|p| prep.find(p)).collect();
    let is_lost = |p: &Path| prep.find(p).is_some_and(|i| lost.contains(&i));
    log.decisions
        .extend(text.decisions.into_iter().filter(|d| is_lost(&d.pos.file)));
    log.explanations.extend(
        text.explanations
            .into_iter()
            .filter(|e| is_lost(&e.pos.file)),
    );
    log.text_files.extend(files);
    Ok(())
}

/// Both logs of a finished run.
fn read_log(out: &toolchain::RunOutput, go_cwd: &Path) -> model::CompilerLog {
    let mut log = text_log::parse(&out.text, go_cwd);
    if let Some(dir) = &out.json_dir {
        let json = json_log::read_dir(dir);
        log.explanations = json.explanations;
        log.inlinable = json.inlinable;
        log.go_version = json.go_version;
        log.logged = json.logged;
    }
    log
}

/// Directories of the source files the compiler reported on (when the patterns could not be
/// resolved before the build).
fn dirs_of(log: &model::CompilerLog) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = log
        .decisions
        .iter()
        .map(|d| &d.pos.file)
        .chain(log.explanations.iter().map(|e| &e.pos.file))
        .filter(|f| f.is_absolute())
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// The go command's view of the patterns, and the directories to load.
#[derive(Debug)]
struct Targets {
    go_cwd: PathBuf,
    go_patterns: Vec<String>,
    /// `None` when a pattern names packages only the go command can list (`std`,
    /// `example.com/m/...`): the directories are then taken from the compiler's output.
    dirs: Option<Vec<PathBuf>>,
}

/// Resolves the user's patterns: file-system paths (a file stands for its directory; `/...`
/// walks like the go tool) become patterns relative to the go command's working directory
/// (`-gcflags` patterns match directories only in that form); import paths are resolved by
/// the loader.
fn plan(patterns: &[String], cwd: &Path, loader: &Loader) -> Targets {
    let default = ["./...".to_string()];
    let patterns: &[String] = if patterns.is_empty() {
        &default
    } else {
        patterns
    };
    enum P {
        Fs { abs: PathBuf, recursive: bool },
        Import(String),
    }
    let mut parsed = Vec::new();
    for p in patterns {
        let (base, recursive) = match p.strip_suffix("/...") {
            Some(b) => (if b.is_empty() { "/" } else { b }, true),
            None if p == "..." => (".", true),
            None => (p.as_str(), false),
        };
        let path = Path::new(base);
        let abs = clean_path(&cwd.join(path));
        let looks_local = base == "."
            || base == ".."
            || base.starts_with("./")
            || base.starts_with("../")
            || path.is_absolute();
        if !base.contains("...") && (looks_local || abs.exists()) {
            let abs = if abs.is_file() {
                abs.parent().map_or(abs.clone(), Path::to_path_buf)
            } else {
                abs
            };
            parsed.push(P::Fs { abs, recursive });
        } else {
            parsed.push(P::Import(p.clone()));
        }
    }
    // The go command runs in the directory of the first path given (so that a path in another
    // module, or in a nested module, is built by its own module), else in `cwd`.
    let go_cwd = parsed
        .iter()
        .find_map(|p| match p {
            P::Fs { abs, .. } if abs.is_dir() => Some(abs.clone()),
            _ => None,
        })
        .unwrap_or_else(|| cwd.to_path_buf());
    let mut go_patterns = Vec::new();
    let mut dirs: Option<Vec<PathBuf>> = Some(Vec::new());
    for p in &parsed {
        match p {
            P::Fs { abs, recursive } => {
                let rel = relative(&go_cwd, abs);
                go_patterns.push(if *recursive {
                    format!("{rel}/...")
                } else {
                    rel
                });
                if let Some(d) = dirs.as_mut() {
                    if *recursive {
                        d.extend(program::target_dirs(std::slice::from_ref(abs)));
                    } else {
                        d.push(abs.clone());
                    }
                }
            }
            P::Import(ip) => {
                go_patterns.push(ip.clone());
                let special = ip.contains("...")
                    || matches!(ip.as_str(), "all" | "std" | "cmd" | "tool" | "work");
                match (special, dirs.as_mut()) {
                    (false, Some(d)) => match loader.resolve_import(&go_cwd, ip) {
                        Some(dir) => d.push(dir),
                        None => dirs = None,
                    },
                    (true, _) => dirs = None,
                    _ => {}
                }
            }
        }
    }
    if let Some(d) = dirs.as_mut() {
        d.sort();
        d.dedup();
    }
    Targets {
        go_cwd,
        go_patterns,
        dirs,
    }
}

/// `to` relative to `from` (both absolute and clean), as a go command pattern: `.`, `./x`,
/// `../x`.
fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<Component<'_>> = from.components().collect();
    let t: Vec<Component<'_>> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..f.len() {
        parts.push("..".to_string());
    }
    for c in &t[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() {
        ".".to_string()
    } else if parts[0] == ".." {
        parts.join("/")
    } else {
        format!("./{}", parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_patterns() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/c/d")), "./c/d");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/x")), "../x");
    }

    #[test]
    fn plans_paths_and_import_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = clean_path(dir.path());
        std::fs::create_dir_all(root.join("sub/inner")).unwrap();
        std::fs::write(root.join("sub/x.go"), "package sub\n").unwrap();
        let loader = Loader::new(BuildContext::host());
        let t = plan(
            &["./...".into(), "sub/x.go".into(), "sub".into()],
            &root,
            &loader,
        );
        assert_eq!(t.go_cwd, root);
        assert_eq!(t.go_patterns, ["./...", "./sub", "./sub"]);
        let t = plan(&["sub".into(), "./...".into()], &root, &loader);
        assert_eq!(t.go_cwd, root.join("sub"));
        assert_eq!(t.go_patterns, [".", "../..."]);
        let dirs = t.dirs.unwrap();
        assert!(dirs.contains(&root.join("sub/inner")));
        let t = plan(&["example.com/nothing/...".into()], &root, &loader);
        assert_eq!(t.go_patterns, ["example.com/nothing/..."]);
        assert!(t.dirs.is_none());
        let other = root.join("sub");
        let t = plan(
            &[format!("{}/...", other.display())],
            &root.join("sub/inner"),
            &loader,
        );
        assert_eq!(t.go_cwd, other);
        assert_eq!(t.go_patterns, ["./..."]);
    }
}
