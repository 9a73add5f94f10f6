//! End-to-end tests of `mapvet escape` on the fixture module `tests/fixtures/basic`: the real
//! Go compiler decides, mapvet keeps and explains the map decisions.
//!
//! Every assertion is about something all supported Go releases (1.18+) decide and explain
//! the same way, so a toolchain upgrade does not break them: each case is built so that
//! inlining and the compiler's internal temporaries do not change the chain's meaning. When an
//! older toolchain is installed as well (`MAPVET_TEST_OLD_GO`, default `/usr/bin/go` if it is
//! not the one on PATH), the same assertions run with it.

use std::path::{Path, PathBuf};
use std::process::Command;

use mapvet_escape::{Decision, Error, Kind, Options, Outcome, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn go_available() -> bool {
    let ok = Command::new("go")
        .arg("version")
        .env("GOTOOLCHAIN", "local")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("CI is set but Go is not available: the escape tests need it");
    }
    ok
}

fn run_with(f: impl FnOnce(&mut Options)) -> Report {
    let mut o = Options::new(fixtures().join("basic"));
    o.patterns = vec!["./...".into()];
    f(&mut o);
    match mapvet_escape::run(&o) {
        Ok(r) => r,
        Err(e) => panic!("mapvet escape failed: {e}"),
    }
}

fn all(r: &Report) -> Vec<&Decision> {
    r.packages.iter().flat_map(|p| &p.decisions).collect()
}

/// The one decision of `kind` at `file:line`.
fn at<'r>(r: &'r Report, file: &str, line: u32, kind: Kind) -> &'r Decision {
    let found: Vec<&Decision> = all(r)
        .into_iter()
        .filter(|d| d.file == file && d.line == line && d.kind == kind)
        .collect();
    match found.as_slice() {
        [d] => d,
        _ => panic!(
            "expected one {kind:?} decision at {file}:{line}, found {}:\n{}",
            found.len(),
            dump(r)
        ),
    }
}

fn dump(r: &Report) -> String {
    all(r)
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {:?} {:?} {}\n",
                d.file, d.line, d.column, d.kind, d.outcome, d.message
            )
        })
        .collect()
}

fn has(d: &Decision, needle: &str) {
    assert!(
        d.message.contains(needle),
        "{}:{}: message lacks {needle:?}:\n{}",
        d.file,
        d.line,
        d.message
    );
}

/// The assertions every toolchain and both log formats must satisfy.
fn check_basic(r: &Report) {
    // A returned map.
    let d = at(r, "maps.go", 12, Kind::Make);
    assert_eq!(d.outcome, Outcome::Heap);
    assert_eq!(d.function, "Returned");
    has(
        d,
        "`m := make(map[string]int)` (line 12) escapes to the heap",
    );
    has(d, "returned by `Returned` (line 14)");

    // `&m` returned: the variable moves, and so does the literal stored in it.
    let d = at(r, "maps.go", 19, Kind::Variable);
    assert_eq!(d.outcome, Outcome::Moved);
    has(
        d,
        "its address `&m` is returned (line 20), so `m` itself is moved to the heap",
    );
    let d = at(r, "maps.go", 19, Kind::Literal);
    assert_eq!(d.outcome, Outcome::Heap);
    has(d, "stored in `m` (line 19), which is moved to the heap");

    // A map stored in a struct returned by pointer.
    let d = at(r, "maps.go", 31, Kind::Make);
    assert_eq!(d.outcome, Outcome::Heap);
    has(d, "stored in the struct literal `Config{...}` (line 31)");
    has(d, "returned by `InStructByPointer` (line 32)");
    let d = at(r, "maps.go", 31, Kind::Composite);
    assert_eq!(d.outcome, Outcome::Heap);
    has(d, "holds the map field `Values`");

    // A map passed to fmt.Println.
    let d = at(r, "maps.go", 37, Kind::Make);
    assert_eq!(d.outcome, Outcome::Heap);
    has(
        d,
        "passed to `fmt.Println` (line 39), which takes `...any`: converting it to an interface makes it escape",
    );

    // A map captured by a goroutine.
    let d = at(r, "maps.go", 44, Kind::Make);
    assert_eq!(d.outcome, Outcome::Heap);
    has(d, "captured by the goroutine started at line 47");
    let d = at(r, "maps.go", 47, Kind::Closure);
    assert_eq!(d.outcome, Outcome::Heap);
    has(d, "captures `seen`");

    // A local map stays on the stack.
    let d = at(r, "maps.go", 57, Kind::Make);
    assert_eq!(d.outcome, Outcome::Stack);
    has(d, "does not escape");
    has(d, "`Local`'s stack frame");

    // A map field of a struct that stays on the stack.
    let d = at(r, "maps.go", 66, Kind::Make);
    assert_eq!(d.outcome, Outcome::Stack);
    assert_eq!(d.function, "FieldLocal");

    // Parameters.
    let d = at(r, "maps.go", 74, Kind::Parameter);
    assert_eq!(d.outcome, Outcome::Leaks);
    has(d, "leaks to the heap");
    has(
        d,
        "stored in the package-level variable `registry` (line 75)",
    );
    let d = at(r, "maps.go", 79, Kind::Parameter);
    assert_eq!(d.outcome, Outcome::NoLeak);

    // A struct variable holding a map, returned by address.
    let d = at(r, "holder/holder.go", 15, Kind::StructVariable);
    assert_eq!(d.outcome, Outcome::Moved);
    has(d, "its address `&idx` is returned (line 16)");
    let d = at(r, "holder/holder.go", 11, Kind::Make);
    assert_eq!(d.outcome, Outcome::Heap);
    has(
        d,
        "which is moved to the heap: its address `&idx` is returned (line 16)",
    );

    // Nothing else about maps, and nothing that is not about maps.
    let n = all(r).len();
    assert_eq!(n, 14, "decisions:\n{}", dump(r));

    // Summaries.
    let p = r
        .packages
        .iter()
        .find(|p| p.import_path == "example.com/escfixture")
        .expect("package");
    assert_eq!(p.summary.heap, 5, "{:?}", p.summary);
    assert_eq!(p.summary.stack, 2);
    assert_eq!(p.summary.moved, 1);
    assert_eq!(p.summary.leaking_params, 1);
    let f = p
        .functions
        .iter()
        .find(|f| f.name == "AddrReturned")
        .unwrap();
    assert_eq!((f.summary.heap, f.summary.moved), (1, 1));
    assert_eq!(r.summary.heap, 6);
    assert_eq!(r.packages.len(), 2);
}

#[test]
fn explains_the_json_log() {
    if !go_available() {
        return;
    }
    let r = run_with(|_| {});
    assert_eq!(r.log, "json");
    assert!(r
        .go_version
        .as_deref()
        .is_some_and(|v| v.starts_with("go1.")));
    check_basic(&r);
}

#[test]
fn explains_the_m2_text_the_same_way() {
    if !go_available() {
        return;
    }
    let r = run_with(|o| o.force_text = true);
    assert_eq!(r.log, "m=2");
    check_basic(&r);
}

/// A compiler without the JSON log (simulated: a go command that fails the way old
/// compilers reject `-json`) is run again with `-m=2`.
#[cfg(unix)]
#[test]
fn falls_back_to_m2_when_json_is_unknown() {
    use std::os::unix::fs::PermissionsExt;
    if !go_available() {
        return;
    }
    let real = String::from_utf8(
        Command::new("go")
            .args(["env", "GOROOT"])
            .env("GOTOOLCHAIN", "local")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let real = PathBuf::from(real.trim()).join("bin/go");
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("go");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\ncase \"$*\" in\n*-json=*) echo '# example.com/escfixture'; echo 'flag provided but not defined: -json'; echo 'usage: compile [options] file.go...'; exit 1;;\nesac\nexec '{}' \"$@\"\n",
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = run_with(|o| o.go = Some(fake.clone()));
    assert_eq!(r.log, "m=2");
    check_basic(&r);
}

/// The same assertions with an older toolchain, when one is installed.
#[test]
fn older_toolchain_agrees() {
    if !go_available() {
        return;
    }
    let old = std::env::var_os("MAPVET_TEST_OLD_GO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/go"));
    let version = |go: &Path| {
        Command::new(go)
            .arg("version")
            .env("GOTOOLCHAIN", "local")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let (Some(old_v), Some(cur_v)) = (version(&old), version(Path::new("go"))) else {
        return;
    };
    if old_v == cur_v {
        return;
    }
    for text in [false, true] {
        let r = run_with(|o| {
            o.go = Some(old.clone());
            o.force_text = text;
        });
        check_basic(&r);
    }
}

#[test]
fn tests_mode_includes_test_files() {
    if !go_available() {
        return;
    }
    let r = run_with(|o| o.tests = true);
    check_basic_no_count(&r);
    let d = at(&r, "maps_test.go", 6, Kind::Literal);
    assert_eq!(d.outcome, Outcome::Stack);
    assert_eq!(d.function, "TestSize");
}

fn check_basic_no_count(r: &Report) {
    let d = at(r, "maps.go", 12, Kind::Make);
    assert_eq!(d.outcome, Outcome::Heap);
    let d = at(r, "maps.go", 57, Kind::Make);
    assert_eq!(d.outcome, Outcome::Stack);
}

#[test]
fn only_the_named_package() {
    if !go_available() {
        return;
    }
    let r = run_with(|o| o.patterns = vec!["./holder".into()]);
    assert_eq!(r.packages.len(), 1);
    assert_eq!(r.packages[0].import_path, "example.com/escfixture/holder");
    assert_eq!(r.summary.heap, 1);
    // A path given from elsewhere.
    let mut o = Options::new(std::env::temp_dir());
    o.patterns = vec![fixtures().join("basic/holder").display().to_string()];
    let r = mapvet_escape::run(&o).unwrap();
    assert_eq!(r.packages.len(), 1);
    assert_eq!(r.summary.heap, 1);
    assert!(r.packages[0].decisions[0]
        .file
        .ends_with("holder/holder.go"));
}

#[test]
fn build_errors_are_shown() {
    if !go_available() {
        return;
    }
    let mut o = Options::new(fixtures().join("broken"));
    o.patterns = vec!["./...".into()];
    match mapvet_escape::run(&o) {
        Err(e @ Error::BuildFailed { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("do not build"), "{msg}");
            assert!(msg.contains("undefinedName"), "{msg}");
            assert!(msg.contains("broken.go:4"), "{msg}");
        }
        other => panic!("expected a build failure, got {other:?}"),
    }
}

#[test]
fn missing_toolchain_says_how_to_point_at_one() {
    let mut o = Options::new(fixtures().join("basic"));
    o.go = Some(PathBuf::from("/nonexistent/bin/go"));
    match mapvet_escape::run(&o) {
        Err(e @ Error::NoToolchain(_)) => {
            let msg = e.to_string();
            assert!(msg.contains("--go"), "{msg}");
        }
        other => panic!("expected NoToolchain, got {other:?}"),
    }
}

#[test]
fn text_and_json_output() {
    if !go_available() {
        return;
    }
    let r = run_with(|_| {});
    let mut text = Vec::new();
    mapvet_escape::report::write_text(&r, Default::default(), &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("maps.go:12:11: heap (Returned)"), "{text}");
    assert!(text.contains("maps.go:57:13: stack (Local)"), "{text}");
    assert!(
        text.contains(
            "example.com/escfixture: 5 map allocations escape to the heap, 2 stay on the stack"
        ),
        "{text}"
    );

    let mut only = Vec::new();
    let opts = mapvet_escape::TextOptions {
        only_escaping: true,
    };
    mapvet_escape::report::write_text(&r, opts, &mut only).unwrap();
    let only = String::from_utf8(only).unwrap();
    assert!(!only.contains(": stack ("), "{only}");
    assert!(only.contains("2 stay on the stack"), "{only}");

    let mut json = Vec::new();
    mapvet_escape::report::write_json(&r, opts, &mut json).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let pkgs = v["packages"].as_array().unwrap();
    let decisions: Vec<&serde_json::Value> = pkgs
        .iter()
        .flat_map(|p| p["decisions"].as_array().unwrap())
        .collect();
    assert!(decisions.iter().all(|d| d["outcome"] != "stack"));
    let d = decisions
        .iter()
        .find(|d| d["line"] == 12 && d["kind"] == "make")
        .unwrap();
    assert_eq!(d["outcome"], "heap");
    assert_eq!(d["function"], "Returned");
    assert!(d["reasons"][0]["text"]
        .as_str()
        .unwrap()
        .contains("returned by `Returned`"));
    assert_eq!(v["summary"]["heap"], 6);
}

/// With the JSON log, what stays on the stack is derived (the log records only escapes): every
/// map site the semantic model finds that the log does not mention. On real packages the
/// derived decisions never contradict the compiler's own `-m=2` ones, every escape is found,
/// and what is missing is only what the derivation declines to guess (copies of inlined calls,
/// sites in function literals the compiler may inline). `encoding/gob` and `mime` have a
/// `type.go` whose log the compiler overwrites with `sync/atomic/type.go`'s (both
/// `type.json`): those files are recompiled with `-m=2`.
#[test]
fn json_derivation_agrees_with_m2_on_goroot_packages() {
    if !go_available() {
        return;
    }
    let goroot = String::from_utf8(
        Command::new("go")
            .args(["env", "GOROOT"])
            .env("GOTOOLCHAIN", "local")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let src = PathBuf::from(goroot.trim()).join("src");
    type Key = (String, u32, u32, String, String);
    let keys = |r: &Report| -> std::collections::BTreeSet<Key> {
        all(r)
            .into_iter()
            .map(|d| {
                (
                    d.file.clone(),
                    d.line,
                    d.column,
                    format!("{:?}", d.kind),
                    format!("{:?}", d.outcome),
                )
            })
            .collect()
    };
    for pkg in [
        "encoding/gob",
        "mime",
        "net/textproto",
        "archive/zip",
        "html/template",
    ] {
        let mut o = Options::new(src.clone());
        o.patterns = vec![pkg.to_string()];
        let json = mapvet_escape::run(&o).unwrap_or_else(|e| panic!("{pkg}: {e}"));
        o.force_text = true;
        let m2 = mapvet_escape::run(&o).unwrap_or_else(|e| panic!("{pkg}: {e}"));
        let (a, b) = (keys(&json), keys(&m2));
        let wrong: Vec<&Key> = a.difference(&b).collect();
        assert!(
            wrong.is_empty(),
            "{pkg}: derived but not said by -m=2: {wrong:?}"
        );
        let missed: Vec<&Key> = b
            .difference(&a)
            .filter(|k| k.4 != "Stack" && k.4 != "NoLeak")
            .collect();
        assert!(missed.is_empty(), "{pkg}: escapes missed: {missed:?}");
        assert!(!a.is_empty(), "{pkg}: no decision");
    }
}
