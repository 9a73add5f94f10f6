//! Finding and running the Go toolchain.
//!
//! One compilation gives everything: `go build -o /dev/null -gcflags=PATTERN=-json=0,DIR`
//! (`go test -c -vet=off -o /dev/null ...` with `--tests`, the way gopls does it) for each
//! package pattern, so that only the user's packages are compiled with the flag and logged;
//! dependencies come from the build cache untouched. The log directory is new for every run, so
//! the flags never match a cached compilation (a cache hit would write no log).
//!
//! Not `-m`: it turns off the compiler's concurrent back end (`concurrentFlagOk` in
//! cmd/compile), which costs a third of the wall time of net/http on two cores. What `-m`
//! would add — the allocations that stay on the stack, which the JSON log does not record —
//! is derived from the semantic model instead (`analyze`).
//!
//! Fallbacks: a compiler that does not know `-json` (`flag provided but not defined: -json`)
//! is run again with `-m=2`, whose text carries the decisions and the same chains; so are the
//! packages whose JSON log lost a file (`analyze::lost_files`); a go command that cannot
//! `test -c` several packages at once (before Go 1.21) is run once per package.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::Error;

/// The go command to run.
#[derive(Clone, Debug)]
pub struct Toolchain {
    pub go: PathBuf,
    /// The GOROOT it belongs to, when it sits in one (`GOROOT/bin/go`).
    pub goroot: Option<PathBuf>,
    /// Set `GOROOT` to [`Toolchain::goroot`] for the go command (an explicit `--go`, so that
    /// a `$GOROOT` of another installation does not mix two releases).
    pub set_goroot: bool,
}

const HOW_TO: &str = "install Go (https://go.dev/dl/) and put its bin directory on PATH, \
     or point mapvet at a toolchain with --go /path/to/go/bin/go";

impl Toolchain {
    /// The toolchain named by `--go` (a `go` binary, or a GOROOT directory), else `go` on
    /// PATH, else `$GOROOT/bin/go`.
    pub fn find(explicit: Option<&Path>) -> Result<Toolchain, Error> {
        if let Some(p) = explicit {
            let go = if p.is_dir() {
                p.join("bin").join(exe("go"))
            } else {
                p.to_path_buf()
            };
            if !is_executable(&go) {
                return Err(Error::NoToolchain(format!(
                    "--go {}: no executable go command there; pass the path of a `go` binary \
                     (for example /usr/local/go/bin/go) or of a GOROOT directory",
                    p.display()
                )));
            }
            let goroot = goroot_of(&go);
            return Ok(Toolchain {
                set_goroot: goroot.is_some(),
                go,
                goroot,
            });
        }
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                let go = dir.join(exe("go"));
                if is_executable(&go) {
                    let goroot = goroot_of(&go);
                    return Ok(Toolchain {
                        go,
                        goroot,
                        set_goroot: false,
                    });
                }
            }
        }
        if let Some(root) = std::env::var_os("GOROOT").filter(|r| !r.is_empty()) {
            let go = PathBuf::from(root).join("bin").join(exe("go"));
            if is_executable(&go) {
                let goroot = goroot_of(&go);
                return Ok(Toolchain {
                    go,
                    goroot,
                    set_goroot: false,
                });
            }
        }
        Err(Error::NoToolchain(format!(
            "mapvet escape asks the Go compiler, but no `go` command was found on PATH: {HOW_TO}"
        )))
    }
}

fn exe(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    }
}

fn is_executable(p: &Path) -> bool {
    let Ok(m) = std::fs::metadata(p) else {
        return false;
    };
    if !m.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// `GOROOT` of `GOROOT/bin/go` (symlinks resolved), if the layout is there.
fn goroot_of(go: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(go).ok()?;
    let root = real.parent()?.parent()?;
    root.join("src")
        .join("runtime")
        .is_dir()
        .then(|| root.to_path_buf())
}

pub(crate) const DEV_NULL: &str = if cfg!(windows) { "NUL" } else { "/dev/null" };

/// How the compiler reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogMode {
    /// `-json=0,DIR`: what escapes and why from the JSON log; what stays on the stack derived.
    Json,
    /// `-m=2`: decisions and chains from the text (compilers without `-json`).
    Text,
}

/// One analysis's go command line, minus the log flags.
#[derive(Debug)]
pub(crate) struct Invocation {
    pub toolchain: Toolchain,
    /// Directory the go command runs in; relative paths in its output are relative to it.
    pub cwd: PathBuf,
    /// Package patterns, in the go command's syntax (`./x/...`, `example.com/m/p`).
    pub patterns: Vec<String>,
    pub tests: bool,
    pub tags: Option<Vec<String>>,
    /// `GOOS`, `GOARCH` overrides.
    pub env: Vec<(String, String)>,
    /// Scratch directory (log directories and output files go below it).
    pub work: PathBuf,
    /// Runs started so far (names their scratch files).
    runs: AtomicU32,
}

/// A go command that was started.
pub(crate) struct Running {
    child: Child,
    output: PathBuf,
    json_dir: Option<PathBuf>,
    mode: LogMode,
    /// Printable command line, for error messages.
    shown: String,
}

/// What a finished run left.
#[derive(Debug)]
pub(crate) struct RunOutput {
    /// The go command's combined stdout and stderr.
    pub text: String,
    pub json_dir: Option<PathBuf>,
    pub mode: LogMode,
}

impl Invocation {
    pub fn new(
        toolchain: Toolchain,
        cwd: PathBuf,
        patterns: Vec<String>,
        tests: bool,
        tags: Option<Vec<String>>,
        env: Vec<(String, String)>,
        work: PathBuf,
    ) -> Invocation {
        Invocation {
            toolchain,
            cwd,
            patterns,
            tests,
            tags,
            env,
            work,
            runs: AtomicU32::new(0),
        }
    }

    fn flag_value(&self, mode: LogMode, json_dir: &Path) -> String {
        match mode {
            LogMode::Json => {
                let d = json_dir.to_string_lossy();
                let json = format!("-json=0,{d}");
                let json = if d.contains([' ', '\t', '\'', '"']) {
                    if d.contains('\'') {
                        format!("\"{json}\"")
                    } else {
                        format!("'{json}'")
                    }
                } else {
                    json
                };
                json
            }
            LogMode::Text => "-m=2".to_string(),
        }
    }

    /// The `-gcflags` arguments: one per pattern, so that only the packages the user named
    /// are compiled with the flags (and logged). With tests, an import path `p` also gets
    /// `p_test`, its external test package (a directory pattern matches it already).
    fn gcflags(&self, patterns: &[String], mode: LogMode, json_dir: &Path) -> Vec<String> {
        let value = self.flag_value(mode, json_dir);
        let mut out = Vec::new();
        for p in patterns {
            out.push(format!("-gcflags={p}={value}"));
            let local = p == "." || p == ".." || p.starts_with("./") || p.starts_with("../");
            if self.tests && !local && !p.contains("...") && !matches!(p.as_str(), "all" | "std") {
                out.push(format!("-gcflags={p}_test={value}"));
            }
        }
        out
    }

    fn command(&self, patterns: &[String], mode: LogMode, json_dir: &Path) -> Command {
        let mut cmd = Command::new(&self.toolchain.go);
        if self.tests {
            cmd.args(["test", "-c", "-vet=off", "-o", DEV_NULL]);
        } else {
            cmd.args(["build", "-o", DEV_NULL]);
        }
        if let Some(tags) = &self.tags {
            cmd.arg(format!("-tags={}", tags.join(",")));
        }
        cmd.args(self.gcflags(patterns, mode, json_dir));
        cmd.args(patterns);
        cmd.current_dir(&self.cwd);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if self.toolchain.set_goroot {
            if let Some(r) = &self.toolchain.goroot {
                cmd.env("GOROOT", r);
            }
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    fn shown(&self, patterns: &[String], mode: LogMode, json_dir: &Path) -> String {
        let c = self.command(patterns, mode, json_dir);
        let mut s = self.toolchain.go.display().to_string();
        for a in c.get_args() {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    }

    /// Starts the go command for `patterns` (all of them when `None`).
    pub fn spawn(&self, patterns: Option<&[String]>, mode: LogMode) -> Result<Running, Error> {
        let patterns = patterns.unwrap_or(&self.patterns);
        let n = self.runs.fetch_add(1, Ordering::Relaxed);
        let json_dir = self.work.join(format!("log{n}"));
        let output = self.work.join(format!("out{n}.txt"));
        let file =
            File::create(&output).map_err(|e| Error::Io(format!("{}: {e}", output.display())))?;
        let err = file
            .try_clone()
            .map_err(|e| Error::Io(format!("{}: {e}", output.display())))?;
        let mut cmd = self.command(patterns, mode, &json_dir);
        cmd.stdout(file).stderr(err);
        let child = cmd.spawn().map_err(|e| {
            Error::NoToolchain(format!(
                "cannot run {}: {e}; {HOW_TO}",
                self.toolchain.go.display()
            ))
        })?;
        Ok(Running {
            child,
            output,
            shown: self.shown(patterns, mode, &json_dir),
            json_dir: (mode == LogMode::Json).then_some(json_dir),
            mode,
        })
    }

    /// Waits for `run`, and handles the fallbacks (see the module documentation).
    pub fn finish(&self, run: Running) -> Result<RunOutput, Error> {
        let (status, text) = wait(run.child, &run.output)?;
        if status.success() {
            return Ok(RunOutput {
                text,
                json_dir: run.json_dir,
                mode: run.mode,
            });
        }
        if run.mode == LogMode::Json && text.contains("flag provided but not defined: -json") {
            let again = self.spawn(None, LogMode::Text)?;
            return self.finish(again);
        }
        if self.tests && text.contains("cannot use -c flag with multiple packages") {
            return self.per_package(run.mode);
        }
        Err(Error::BuildFailed {
            command: run.shown,
            output: text,
        })
    }

    /// `go test -c` once per package (go commands before 1.21).
    fn per_package(&self, mode: LogMode) -> Result<RunOutput, Error> {
        let mut list = Command::new(&self.toolchain.go);
        list.args(["list", "-e", "-f", "{{.ImportPath}}"]);
        if let Some(tags) = &self.tags {
            list.arg(format!("-tags={}", tags.join(",")));
        }
        list.args(&self.patterns).current_dir(&self.cwd);
        for (k, v) in &self.env {
            list.env(k, v);
        }
        if self.toolchain.set_goroot {
            if let Some(r) = &self.toolchain.goroot {
                list.env("GOROOT", r);
            }
        }
        let out = list
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| Error::NoToolchain(format!("cannot run go list: {e}")))?;
        let pkgs: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let mut text = String::new();
        let mut json_dirs = Vec::new();
        let mut mode = mode;
        let mut i = 0;
        while i < pkgs.len() {
            let one = std::slice::from_ref(&pkgs[i]);
            let run = self.spawn(Some(one), mode)?;
            let dir = run.json_dir.clone();
            let shown = run.shown.clone();
            let (status, t) = wait(run.child, &run.output)?;
            if !status.success() {
                if mode == LogMode::Json && t.contains("flag provided but not defined: -json") {
                    mode = LogMode::Text;
                    text.clear();
                    json_dirs.clear();
                    i = 0;
                    continue;
                }
                return Err(Error::BuildFailed {
                    command: shown,
                    output: t,
                });
            }
            text.push_str(&t);
            json_dirs.extend(dir);
            i += 1;
        }
        // One log directory for the analysis: move the per-package ones under a common root.
        let json_dir = (mode == LogMode::Json).then(|| self.work.join("log-all"));
        if let Some(root) = &json_dir {
            let _ = std::fs::create_dir_all(root);
            for (n, d) in json_dirs.iter().enumerate() {
                let _ = std::fs::rename(d, root.join(n.to_string()));
            }
        }
        Ok(RunOutput {
            text,
            json_dir,
            mode,
        })
    }
}

fn wait(mut child: Child, output: &Path) -> Result<(ExitStatus, String), Error> {
    let status = child
        .wait()
        .map_err(|e| Error::Io(format!("waiting for the go command: {e}")))?;
    let bytes = std::fs::read(output).unwrap_or_default();
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}
