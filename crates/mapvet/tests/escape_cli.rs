//! End-to-end tests of `mapvet escape` through the binary: exit codes, error messages and the
//! two output formats. What the decisions and explanations are is tested on fixtures in
//! `crates/mapvet_escape/tests`.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../mapvet_escape/tests/fixtures")
        .join(name)
}

fn go_available() -> bool {
    let ok = std::process::Command::new("go")
        .arg("version")
        .env("GOTOOLCHAIN", "local")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("CI is set but Go is not available: the escape tests need it");
    }
    ok
}

fn escape(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mapvet"))
        .current_dir(dir)
        .arg("escape")
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn no_toolchain_exits_2_and_says_how_to_point_at_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_mapvet"))
        .current_dir(fixture("basic"))
        .env("PATH", "")
        .env_remove("GOROOT")
        .args(["escape", "./..."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no `go` command was found on PATH"), "{err}");
    assert!(err.contains("--go"), "{err}");

    let out = escape(&fixture("basic"), &["--go", "/nonexistent/go"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--go /nonexistent/go"));
}

#[test]
fn build_errors_exit_2_with_the_compiler_output() {
    if !go_available() {
        return;
    }
    let out = escape(&fixture("broken"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("do not build"), "{err}");
    assert!(
        err.contains("broken.go:4:9: undefined: undefinedName"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn text_and_json_formats() {
    if !go_available() {
        return;
    }
    let dir = fixture("basic");
    let out = escape(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("package example.com/escfixture (.)"), "{t}");
    assert!(t.contains("maps.go:12:11: heap (Returned)"), "{t}");
    // Explanations are wrapped: compare with the lines joined.
    let joined = t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains("it is returned by `Returned` (line 14)."),
        "{t}"
    );
    assert!(t.contains("maps.go:57:13: stack (Local)"), "{t}");

    let out = escape(&dir, &["--only-escaping", "--format", "json", "./holder"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["log"], "json");
    assert_eq!(v["packages"].as_array().unwrap().len(), 1);
    let p = &v["packages"][0];
    assert_eq!(p["import_path"], "example.com/escfixture/holder");
    assert_eq!(p["summary"]["heap"], 1);
    assert_eq!(p["functions"][0]["name"], "New");
    let d = &p["decisions"][0];
    assert_eq!(d["file"], "holder/holder.go");
    assert_eq!(d["line"], 11);
    assert_eq!(d["kind"], "make");
    assert_eq!(d["outcome"], "heap");
    assert!(d["compiler"][0]
        .as_str()
        .unwrap()
        .contains("escapes to heap"));
}
