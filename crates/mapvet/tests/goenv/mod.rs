//! Shared by the tests that use Go as an oracle: the go command, GOROOT, building a tool of
//! `tools/` into the target dir, and checked process output.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A command with `GOTOOLCHAIN=local GOFLAGS=-mod=mod`.
pub fn go_cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.env("GOTOOLCHAIN", "local").env("GOFLAGS", "-mod=mod");
    c
}

/// `go env GOROOT`, or None (with a note) when Go is not installed. Panics when `CI` is set,
/// so CI never silently skips an oracle test.
pub fn goroot(what: &str) -> Option<PathBuf> {
    match go_cmd("go").args(["env", "GOROOT"]).output() {
        Ok(o) if o.status.success() => Some(PathBuf::from(
            String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )),
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but `go env GOROOT` failed: {why}");
            }
            eprintln!("note: Go not available ({}), skipping {what}", why.trim());
            None
        }
    }
}

/// The cargo target dir: parent of CARGO_TARGET_TMPDIR, else derived from the test exe
/// (<target>/<profile>/deps/<test>-HASH).
pub fn target_dir() -> PathBuf {
    if let Some(tmp) = option_env!("CARGO_TARGET_TMPDIR") {
        if let Some(parent) = Path::new(tmp).parent() {
            return parent.to_path_buf();
        }
    }
    let exe = std::env::current_exe().expect("current_exe");
    exe.ancestors()
        .nth(3)
        .expect("test exe is under <target>/<profile>/deps")
        .to_path_buf()
}

/// Builds `tools/<name>` into the target dir and returns the binary's path.
pub fn build_tool(name: &str) -> PathBuf {
    let bin = target_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tools")
        .join(name);
    let out = go_cmd("go")
        .arg("build")
        .arg("-o")
        .arg(&bin)
        .arg(".")
        .current_dir(&src)
        .output()
        .expect("running go build");
    assert!(
        out.status.success(),
        "building the oracle in {} failed:\n{}",
        src.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    bin
}

/// stdout of a run that must succeed.
pub fn stdout_ok(who: &str, o: &Output) -> String {
    assert!(
        o.status.success(),
        "{who} failed ({}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}
