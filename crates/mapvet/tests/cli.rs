//! End-to-end tests of the `mapvet` binary: output formats, exit codes, the walk, I/O errors,
//! determinism and the `debug` commands. Each test builds its own tree in a temporary directory.

use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// A file go/parser rejects: `3:1: expected '}', found 'EOF'`.
const BAD: &str = "package p\nfunc f() {\n";
const GOOD: &str = "package p\n\nfunc f() {}\n";
const EOF_ERR: &str = "3:1: MV000 expected '}', found 'EOF'";

fn mapvet(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mapvet"));
    cmd.current_dir(dir)
        // The tests' own result cache (replays are checked by every snapshot run twice).
        .env(
            "MAPVET_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/mapvet-cache-cli"),
        );
    cmd
}

/// Creates `files` (path, contents) under a new temporary directory.
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> Output {
    mapvet(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[track_caller]
fn expect(o: &Output, code: i32, out: &str) {
    assert_eq!(stdout(o), out, "stderr: {}", stderr(o));
    assert_eq!(o.status.code(), Some(code), "stderr: {}", stderr(o));
}

fn is_root() -> bool {
    // Root can read a chmod 000 file, so the permission test only runs as non-root.
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(true)
}

// --- check: text and exit codes --------------------------------------------------------------

#[test]
fn text_reports_syntax_error_and_exits_1() {
    let d = tree(&[("bad.go", BAD), ("ok.go", GOOD)]);
    let o = run(d.path(), &["check", "--format=concise"]);
    expect(
        &o,
        1,
        &format!("bad.go:{EOF_ERR}\nFound 1 diagnostic in 1 file (2 files checked).\n"),
    );
}

#[test]
fn clean_tree_exits_0() {
    let d = tree(&[("ok.go", GOOD), ("sub/ok.go", GOOD)]);
    expect(
        &run(d.path(), &["check", "--format=concise"]),
        0,
        "All checks passed (2 files checked).\n",
    );
    expect(
        &run(d.path(), &["check", "--format=concise", "ok.go"]),
        0,
        "All checks passed (1 file checked).\n",
    );
}

#[test]
fn paths_are_printed_as_walked() {
    let d = tree(&[("sub/bad.go", BAD)]);
    // The default root `.` prints paths without `./`; other roots are kept as given.
    expect(
        &run(d.path(), &["check", "--format=concise"]),
        1,
        &format!("sub/bad.go:{EOF_ERR}\nFound 1 diagnostic in 1 file (1 file checked).\n"),
    );
    expect(
        &run(d.path(), &["check", "--format=concise", "./sub"]),
        1,
        &format!("./sub/bad.go:{EOF_ERR}\nFound 1 diagnostic in 1 file (1 file checked).\n"),
    );
    expect(
        &run(d.path(), &["check", "--format=concise", "sub/bad.go"]),
        1,
        &format!("sub/bad.go:{EOF_ERR}\nFound 1 diagnostic in 1 file (1 file checked).\n"),
    );
    let abs = d.path().join("sub");
    let o = run(
        Path::new("/"),
        &["check", "--format=concise", abs.to_str().unwrap()],
    );
    assert!(
        stdout(&o).starts_with(&format!("{}/bad.go:3:1: MV000", abs.display())),
        "{}",
        stdout(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let d = tree(&[("ok.go", GOOD)]);
    for args in [
        &["check", "does-not-exist"][..],
        &["check", "--format", "xml"],
        &["check", "-j", "0"],
        &["check", "--no-such-flag"],
        &["frobnicate"],
        &["debug", "ast", "ok.go", "ok.go"],
        &["debug", "ast", "missing.go"],
        &["check", "--tests=maybe"],
        &["check", "--tests", "false"], // bool flags take `=`: `false` is a path
        &["debug", "map-idents"],
        &["debug", "map-idents", "missing"],
    ] {
        let o = run(d.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
}

#[test]
fn build_flags_are_accepted() {
    let d = tree(&[("ok.go", GOOD)]);
    for args in [
        &[
            "check",
            "--goos",
            "windows",
            "--goarch=arm64",
            "--tags",
            "a,b",
            "--tests=false",
        ][..],
        &["check", "--format=concise", "--tests", "--tags="],
        &[
            "check",
            "--format=concise",
            "--tests=true",
            "--tags",
            "x",
            "--tags",
            "y",
        ],
    ] {
        let o = run(d.path(), args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
}

// --- check: json -------------------------------------------------------------------------------

#[test]
fn json_output() {
    let d = tree(&[("bad.go", BAD), ("ok.go", GOOD)]);
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 1, "one compact line: {text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1);
    let d0 = &diags[0];
    assert_eq!(d0["code"], "MV000");
    assert_eq!(d0["name"], "syntax-error");
    assert_eq!(d0["severity"], "error");
    assert_eq!(d0["message"], "expected '}', found 'EOF'");
    assert_eq!(d0["path"], "bad.go");
    assert_eq!(
        (d0["line"].as_u64(), d0["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (d0["end_line"].as_u64(), d0["end_column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 2, "diagnostics": 1, "errors": 1, "warnings": 0, "hints": 0, "fixable": 0, "fixed": 0})
    );

    let o = run(d.path(), &["check", "--format=json", "ok.go"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    assert_eq!(v["summary"]["files"], 1);
}

// --- check: the walk ---------------------------------------------------------------------------

#[test]
fn skips_what_the_go_tool_skips() {
    let d = tree(&[
        ("ok.go", GOOD),
        ("vendor/x/bad.go", BAD),
        ("testdata/bad.go", BAD),
        ("_x/bad.go", BAD),
        (".x/bad.go", BAD),
        ("sub/vendor/bad.go", BAD),
        ("sub/_bad.go", BAD),
        ("sub/.bad.go", BAD),
        ("sub/ok.go", GOOD),
        ("notgo.txt", BAD),
        ("bad.go.orig", BAD),
    ]);
    expect(
        &run(d.path(), &["check", "--format=concise"]),
        0,
        "All checks passed (2 files checked).\n",
    );
    // Explicit arguments are never skipped.
    let o = run(
        d.path(),
        &["check", "--format=concise", "sub/_bad.go", "testdata"],
    );
    expect(&o, 1, &format!("sub/_bad.go:{EOF_ERR}\ntestdata/bad.go:{EOF_ERR}\nFound 2 diagnostics in 2 files (2 files checked).\n"));
}

#[test]
fn honours_gitignore_outside_git() {
    let d = tree(&[
        (".gitignore", "gen/\n*_gen.go\n!keep_gen.go\n"),
        ("ok.go", GOOD),
        ("gen/bad.go", BAD),
        ("a/b_gen.go", BAD),
        ("a/keep_gen.go", BAD),
        ("a/.gitignore", "local.go\n"),
        ("a/local.go", BAD),
        ("local.go", GOOD),
    ]);
    expect(
        &run(d.path(), &["check", "--format=concise"]),
        1,
        &format!("a/keep_gen.go:{EOF_ERR}\nFound 1 diagnostic in 1 file (3 files checked).\n"),
    );
}

#[cfg(unix)]
#[test]
fn unreadable_paths_get_a_diagnostic_and_the_run_goes_on() {
    use std::os::unix::fs::symlink;
    let d = tree(&[("a/bad.go", BAD), ("b/ok.go", GOOD), ("z.go", BAD)]);
    symlink("nowhere.go", d.path().join("dangling.go")).unwrap();
    symlink("nowhere", d.path().join("dangling-not-go")).unwrap(); // not a Go file: silent
    symlink("..", d.path().join("b/loop")).unwrap();
    let mut lines = vec![
        format!("a/bad.go:{EOF_ERR}"),
        "b/loop: E001 cannot read directory: symbolic link loop: it leads back to its ancestor '.'"
            .to_owned(),
        "dangling.go: E001 cannot read file: No such file or directory (os error 2)".to_owned(),
        format!("z.go:{EOF_ERR}"),
    ];
    // A sparse file just over the 1 GiB limit.
    fs::File::create(d.path().join("big.go"))
        .unwrap()
        .set_len((1 << 30) + 1)
        .unwrap();
    lines.insert(
        2,
        "big.go: E001 cannot read file: file is larger than 1 GiB (1073741825 bytes)".to_owned(),
    );
    let mut checked = 5; // dangling.go and big.go count as files, the loop does not
    let locked = d.path().join("locked");
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        write(d.path(), "c/secret.go", GOOD);
        fs::set_permissions(
            d.path().join("c/secret.go"),
            fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        write(d.path(), "locked/x.go", BAD);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        lines.insert(
            3,
            "c/secret.go: E001 cannot read file: Permission denied (os error 13)".to_owned(),
        );
        lines.insert(
            5,
            "locked: E001 cannot read directory: Permission denied (os error 13)".to_owned(),
        );
        checked += 1;
    }
    let n = lines.len();
    let expected = format!(
        "{}\nFound {n} diagnostics in {n} files ({checked} files checked).\n",
        lines.join("\n")
    );
    let o = run(d.path(), &["check", "--format=concise"]);
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    }
    expect(&o, 1, &expected);

    // JSON: whole-path diagnostics are at line 0, column 0.
    let o = run(d.path(), &["check", "--format", "json", "dangling.go"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let d0 = &v["diagnostics"][0];
    assert_eq!(
        (d0["code"].as_str(), d0["name"].as_str()),
        (Some("E001"), Some("io-error"))
    );
    assert_eq!(
        (d0["line"].as_u64(), d0["column"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(o.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn follows_symlinked_directories() {
    use std::os::unix::fs::symlink;
    let outside = tree(&[("lib/bad.go", BAD)]);
    let d = tree(&[("ok.go", GOOD)]);
    symlink(outside.path().join("lib"), d.path().join("lib")).unwrap();
    expect(
        &run(d.path(), &["check", "--format=concise"]),
        1,
        &format!("lib/bad.go:{EOF_ERR}\nFound 1 diagnostic in 1 file (2 files checked).\n"),
    );
}

#[test]
fn output_is_deterministic_across_thread_counts() {
    let d = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let text = if i % 3 == 0 {
            format!("package p\n{}func f() {{\n", "\n".repeat(i % 7))
        } else {
            GOOD.to_owned()
        };
        write(d.path(), &format!("d{}/f{}.go", i % 11, i), &text);
    }
    for format in ["text", "json"] {
        let one = run(d.path(), &["check", "-j1", "--format", format]);
        let four = run(d.path(), &["check", "-j", "4", "--format", format]);
        assert_eq!(one.status.code(), Some(1));
        assert_eq!(stdout(&one), stdout(&four), "{format}");
    }
    let one = run(d.path(), &["debug", "parse", "-j1", "."]);
    let four = run(d.path(), &["debug", "parse", "--threads=4", "."]);
    assert_eq!(stdout(&one), stdout(&four));
    assert!(
        stdout(&one).contains("files 300 rejected 100 bytes "),
        "{}",
        stdout(&one)
    );
}

#[test]
fn stats_go_to_stderr() {
    let d = tree(&[("ok.go", GOOD)]);
    let o = run(d.path(), &["--stats", "check"]);
    expect(&o, 0, "All checks passed (1 file checked).\n");
    let err = stderr(&o);
    for label in [
        "files",
        "bytes",
        "lines",
        "walk",
        "read+parse",
        "output",
        "total",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(label)),
            "{label} missing in:\n{err}"
        );
    }
    // `--stats` is global: accepted after the subcommand and on debug commands too.
    assert!(
        stderr(&run(d.path(), &["check", "--format=concise", "--stats"])).contains("read+parse")
    );
    assert!(stderr(&run(d.path(), &["debug", "parse", ".", "--stats"])).contains("read+parse"));
}

// --- debug -------------------------------------------------------------------------------------

#[test]
fn debug_parse_skips_nothing_and_sorts_bytewise() {
    let d = tree(&[
        ("a.go", GOOD),
        ("a/b.go", BAD),
        ("a-b.go", BAD),
        ("vendor/v.go", BAD),
        (".hidden/h.go", GOOD),
        ("_u/u.go", BAD),
        ("testdata/t.go", GOOD),
        ("x.txt", BAD),
    ]);
    let o = run(d.path(), &["debug", "parse", "."]);
    let bytes = 3 * GOOD.len() + 4 * BAD.len();
    expect(
        &o,
        0,
        &format!(
            "REJECT ./_u/u.go: 3:1: expected '}}', found 'EOF'\n\
             REJECT ./a-b.go: 3:1: expected '}}', found 'EOF'\n\
             REJECT ./a/b.go: 3:1: expected '}}', found 'EOF'\n\
             REJECT ./vendor/v.go: 3:1: expected '}}', found 'EOF'\n\
             files 7 rejected 4 bytes {bytes}\n"
        ),
    );
}

#[cfg(unix)]
#[test]
fn debug_parse_does_not_follow_directory_links() {
    use std::os::unix::fs::symlink;
    let d = tree(&[("p/ok.go", GOOD)]);
    symlink("p", d.path().join("link")).unwrap();
    symlink("p/ok.go", d.path().join("file_link.go")).unwrap();
    symlink("gone.go", d.path().join("dangling.go")).unwrap();
    let o = run(d.path(), &["debug", "parse", "."]);
    expect(
        &o,
        0,
        &format!(
            "REJECT ./dangling.go: cannot read file: No such file or directory (os error 2)\n\
             files 3 rejected 1 bytes {}\n",
            2 * GOOD.len()
        ),
    );
}

#[test]
fn debug_ast() {
    let d = tree(&[
        ("ok.go", GOOD),
        ("bad.go", BAD),
        ("sub/ok2.go", GOOD),
        ("vendor/v.go", GOOD),
    ]);
    let o = run(d.path(), &["debug", "ast", "ok.go"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("File 0 "), "{}", stdout(&o));
    assert!(stdout(&o).ends_with('\n'));

    // Exit 0 even with syntax errors; the errors go to stderr.
    let o = run(d.path(), &["debug", "ast", "bad.go"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("File "));
    assert!(
        stderr(&o).contains("bad.go:3:1: expected '}', found 'EOF'"),
        "{}",
        stderr(&o)
    );

    let o = run(d.path(), &["debug", "ast", "--hash", "."]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let paths: Vec<&str> = out.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(paths, ["./ok.go", "./sub/ok2.go", "./vendor/v.go"]);
    for line in out.lines() {
        let hash = line.rsplit(' ').next().unwrap();
        assert!(
            hash.len() == 16
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{line}"
        );
    }
    // Same content, same dump, same hash.
    let hashes: Vec<&str> = out.lines().map(|l| l.rsplit(' ').next().unwrap()).collect();
    assert!(hashes.iter().all(|h| *h == hashes[0]));
}

#[test]
fn empty_tree() {
    let d = tree(&[("README", "hi")]);
    let o = run(d.path(), &["check", "--format=concise"]);
    expect(&o, 0, "All checks passed (0 files checked).\n");
    assert!(stderr(&o).contains("no Go files"));
}

/// The rules' fixture packages checked as one program, as one group per directory, and on one
/// or four threads: the same findings each time (a partitioned check loses nothing that stays
/// within a package).
#[test]
fn partitioned_check_matches_whole_program() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mapvet_rules/tests/fixtures");
    let check = |threads: &str, group_bytes: Option<&str>| {
        let mut cmd = mapvet(&fixtures);
        cmd.args([
            "check",
            "--format=concise",
            "--fail-on=never",
            "-j",
            threads,
            ".",
        ]);
        match group_bytes {
            Some(b) => cmd.env("MAPVET_GROUP_BYTES", b),
            None => cmd.env_remove("MAPVET_GROUP_BYTES"),
        };
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let whole = check("1", None);
    assert!(whole.matches(": MV0").count() > 50, "{whole}");
    assert!(whole.matches(": MP0").count() > 10, "{whole}");
    assert_eq!(check("4", None), whole);
    assert_eq!(check("1", Some("1")), whole);
    assert_eq!(check("4", Some("1")), whole);
}
