//! The Go environment without the go command: GOROOT, GOPATH, GOMODCACHE, GOWORK,
//! GO111MODULE. Each setting comes from the process environment, else the go env file
//! (`$GOENV`, default `<user config dir>/go/env`, written by `go env -w`), else the default.
//! GOROOT alone may ask a `go` binary on PATH (`go env GOROOT`, short timeout).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The resolved environment, computed once per [`super::Loader`].
#[derive(Clone, Debug, Default)]
pub struct GoEnv {
    pub goroot: Option<PathBuf>,
    /// `$GOPATH` entries (default `~/go`), followed by `/usr/share/gocode` (Debian) when it
    /// exists and is not listed.
    pub gopath: Vec<PathBuf>,
    pub gomodcache: Option<PathBuf>,
    /// `GOWORK=off` disables workspaces; `Some(path)` forces one go.work file.
    pub gowork: GoWorkSetting,
    /// `GO111MODULE=off`: GOPATH mode everywhere.
    pub gopath_mode: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum GoWorkSetting {
    /// Look for go.work walking up from the module root.
    #[default]
    Auto,
    Off,
    File(PathBuf),
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The go env file's settings (`go env -w`).
fn env_file() -> HashMap<String, String> {
    let path = match std::env::var_os("GOENV") {
        Some(p) if p == "off" => return HashMap::new(),
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => {
            let config = if cfg!(target_os = "macos") {
                home().map(|h| h.join("Library/Application Support"))
            } else if cfg!(windows) {
                std::env::var_os("AppData").map(PathBuf::from)
            } else {
                std::env::var_os("XDG_CONFIG_HOME")
                    .filter(|x| !x.is_empty())
                    .map(PathBuf::from)
                    .or_else(|| home().map(|h| h.join(".config")))
            };
            match config {
                Some(c) => c.join("go/env"),
                None => return HashMap::new(),
            }
        }
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.starts_with('#') {
                return None;
            }
            let (k, v) = l.split_once('=')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// A setting from the environment or the go env file; empty counts as unset.
fn setting(file: &HashMap<String, String>, key: &str) -> Option<String> {
    match std::env::var(key) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => file.get(key).filter(|v| !v.is_empty()).cloned(),
    }
}

impl GoEnv {
    /// Reads the environment. `goroot` overrides GOROOT discovery when given.
    pub fn discover(goroot: Option<PathBuf>) -> GoEnv {
        let file = env_file();
        let goroot = goroot.or_else(|| discover_goroot(&file));
        let mut gopath: Vec<PathBuf> = match setting(&file, "GOPATH") {
            Some(v) => std::env::split_paths(&v)
                .filter(|p| p.is_absolute())
                .collect(),
            None => home().map(|h| h.join("go")).into_iter().collect(),
        };
        // GOPATH must not be GOROOT (go/build drops it too).
        if let Some(r) = &goroot {
            gopath.retain(|p| p != r);
        }
        let debian = PathBuf::from("/usr/share/gocode");
        if !gopath.contains(&debian) && debian.is_dir() {
            gopath.push(debian);
        }
        let gomodcache = setting(&file, "GOMODCACHE")
            .map(PathBuf::from)
            .or_else(|| gopath.first().map(|p| p.join("pkg/mod")));
        let gowork = match setting(&file, "GOWORK") {
            Some(v) if v == "off" => GoWorkSetting::Off,
            Some(v) => GoWorkSetting::File(PathBuf::from(v)),
            None => GoWorkSetting::Auto,
        };
        let gopath_mode = setting(&file, "GO111MODULE").as_deref() == Some("off");
        GoEnv {
            goroot,
            gopath,
            gomodcache,
            gowork,
            gopath_mode,
        }
    }
}

/// Whether `dir` looks like a Go installation (has `src/runtime`).
pub fn is_goroot(dir: &Path) -> bool {
    dir.join("src/runtime").is_dir()
}

/// GOROOT: `$GOROOT`, else `go env GOROOT` (a `go` binary on PATH, 3 s timeout), else the
/// common install locations. None when nothing is found.
pub fn discover_goroot(file: &HashMap<String, String>) -> Option<PathBuf> {
    if let Some(r) = setting(file, "GOROOT") {
        let r = PathBuf::from(r);
        if is_goroot(&r) {
            return Some(r);
        }
    }
    if let Some(r) = go_env_goroot() {
        return Some(r);
    }
    common_goroots().into_iter().find(|p| is_goroot(p))
}

fn go_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let exe = if cfg!(windows) { "go.exe" } else { "go" };
    std::env::split_paths(&path)
        .map(|d| d.join(exe))
        .find(|p| p.is_file())
}

/// Asks `go env GOROOT`, with GOTOOLCHAIN=local (never download a toolchain) from a neutral
/// directory. Gives up after 3 seconds. Asked once per process.
fn go_env_goroot() -> Option<PathBuf> {
    static ANSWER: OnceLock<Option<PathBuf>> = OnceLock::new();
    ANSWER.get_or_init(ask_go_env_goroot).clone()
}

fn ask_go_env_goroot() -> Option<PathBuf> {
    let go = go_on_path()?;
    let mut child = Command::new(go)
        .args(["env", "GOROOT"])
        .env("GOTOOLCHAIN", "local")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?;
    let p = PathBuf::from(s.trim());
    is_goroot(&p).then_some(p)
}

/// `/usr/local/go`, `/usr/lib/go`, `/usr/lib/go-1.*` (newest first), `~/sdk/go*` and
/// `~/go/go*` (newest first).
fn common_goroots() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("/usr/local/go"), PathBuf::from("/usr/lib/go")];
    out.extend(versioned_dirs(Path::new("/usr/lib"), "go-"));
    if let Some(h) = home() {
        out.extend(versioned_dirs(&h.join("sdk"), "go"));
        out.extend(versioned_dirs(&h.join("go"), "go"));
    }
    out
}

/// Entries of `dir` named `<prefix><version>`, newest version first.
fn versioned_dirs(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<(Vec<u64>, PathBuf)> = rd
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let ver = name.strip_prefix(prefix)?;
            let key = version_key(ver)?;
            Some((key, e.path()))
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    v.into_iter().map(|(_, p)| p).collect()
}

/// `1.22.3` → [1, 22, 3]; `1.23rc1` → [1, 23, 0] (pre-releases sort with their release).
fn version_key(v: &str) -> Option<Vec<u64>> {
    let mut key = Vec::new();
    for part in v.split('.') {
        let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return None;
        }
        key.push(digits.parse().ok()?);
    }
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_keys() {
        assert_eq!(version_key("1.22.3"), Some(vec![1, 22, 3]));
        assert_eq!(version_key("1.9"), Some(vec![1, 9]));
        assert!(version_key("1.10").unwrap() > version_key("1.9").unwrap());
        assert_eq!(version_key("x"), None);
    }

    #[test]
    fn versioned_dir_order() {
        let t = tempfile::tempdir().unwrap();
        for d in ["go-1.9", "go-1.22", "go-1.21", "gox", "other"] {
            std::fs::create_dir(t.path().join(d)).unwrap();
        }
        let got: Vec<_> = versioned_dirs(t.path(), "go-")
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, ["go-1.22", "go-1.21", "go-1.9"]);
    }
}
