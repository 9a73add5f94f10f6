//! End-to-end tests of what a team adopting `mapvet check` relies on: every output format,
//! every exit status, config discovery and errors, each suppression form, `--fix`/`--diff`
//! idempotence, standard-input mode, SARIF validity for GitHub code scanning.
//!
//! Findings come from `MV006 unchecked-map-assertion` (warning), `MP003 map-size-hint` (hint,
//! with a safe fix and a label) and `MV000 syntax-error` (error).
//!
//! Snapshots live in `tests/snapshots/`. After an intended change of output (a rule's
//! message, say), review and update them with `cargo insta review`, or rewrite them all with
//! `INSTA_UPDATE=always cargo test -p mapvet --test check` and read the diff.

use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// MV006 at 4:9 (a warning).
const ASSERT: &str =
    "package p\n\nfunc labels(v any) map[string]string {\n\treturn v.(map[string]string)\n}\n";
/// MP003 at 4:7 with a label on the loop and a safe fix (a hint).
const GROW: &str = "package p\n\nfunc index(xs []string) map[string]int {\n\tm := make(map[string]int)\n\tfor i, x := range xs {\n\t\tm[x] = i\n\t}\n\treturn m\n}\n";
const GROW_FIXED: &str = "package p\n\nfunc index(xs []string) map[string]int {\n\tm := make(map[string]int, len(xs))\n\tfor i, x := range xs {\n\t\tm[x] = i\n\t}\n\treturn m\n}\n";
/// MV000 at 3:1 (an error).
const BAD: &str = "package c\nfunc f() {\n";
const GOOD: &str = "package p\n\nfunc f() {}\n";

fn mapvet(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mapvet"));
    cmd.current_dir(dir)
        // The tests' own result cache (replays are checked by every snapshot run twice).
        .env(
            "MAPVET_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/mapvet-cache-check"),
        )
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("GOFLAGS")
        .env("CGO_ENABLED", "0");
    cmd
}

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

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    mapvet(dir).args(args).output().unwrap()
}

fn run_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    mapvet(dir)
        .args(args)
        .write_stdin(input.as_bytes().to_vec())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[track_caller]
fn code(o: &Output, want: i32) {
    assert_eq!(
        o.status.code(),
        Some(want),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// The three kinds of finding, one per file.
fn sample() -> TempDir {
    tree(&[("a.go", ASSERT), ("b.go", GROW), ("c/bad.go", BAD)])
}

fn codes_in_json(o: &Output) -> Vec<String> {
    let v: Value = serde_json::from_str(&stdout(o)).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect()
}

// --- formats -----------------------------------------------------------------------------------

#[test]
fn format_text() {
    let d = sample();
    let o = run(d.path(), &["check"]);
    code(&o, 1);
    assert!(!stdout(&o).contains('\x1b'), "no colour when piped");
    insta::assert_snapshot!("text", stdout(&o));
}

#[test]
fn format_text_colour() {
    let d = sample();
    let always = stdout(&run(d.path(), &["check", "--color=always"]));
    assert!(always.contains("\x1b[1;33mMV006\x1b[0m"), "{always}");
    assert!(always.contains("\x1b[1;31mMV000\x1b[0m"), "{always}");
    let never = stdout(&run(d.path(), &["check", "--color", "never"]));
    assert!(!never.contains('\x1b'));
    // NO_COLOR wins over auto, never over always.
    let o = mapvet(d.path())
        .args(["check", "--color=auto"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn format_concise() {
    let d = sample();
    let o = run(d.path(), &["check", "--format", "concise"]);
    code(&o, 1);
    insta::assert_snapshot!("concise", stdout(&o));
}

#[test]
fn format_json() {
    let d = sample();
    let o = run(d.path(), &["check", "--format", "json"]);
    code(&o, 1);
    assert_eq!(stdout(&o).lines().count(), 1, "one compact line");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    insta::assert_snapshot!("json", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn format_github() {
    let d = sample();
    let o = run(d.path(), &["check", "--format", "github"]);
    code(&o, 1);
    insta::assert_snapshot!("github", stdout(&o));
}

#[test]
fn format_sarif() {
    let d = sample();
    let o = run(d.path(), &["check", "--format", "sarif"]);
    code(&o, 1);
    let mut v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // The rules' documentation is snapshotted by the rules crate: keep ids and levels here.
    let rules = v["runs"][0]["tool"]["driver"]["rules"].take();
    let brief: Vec<String> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["id"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r["defaultConfiguration"]["level"].as_str().unwrap()
            )
        })
        .collect();
    v["runs"][0]["tool"]["driver"]["rules"] = Value::from(brief);
    v["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    v["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn sarif_round_trips_through_the_typed_model() {
    let d = sample();
    let o = run(d.path(), &["check", "--format", "sarif"]);
    let text = stdout(&o);
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_str(&text).expect("mapvet's SARIF parses as the typed SARIF 2.1.0 model");
    let original: Value = serde_json::from_str(&text).unwrap();
    let again = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        again, original,
        "fields lost or changed through the typed model"
    );
    assert_eq!(typed.runs.len(), 1);
    assert_eq!(typed.runs[0].results.as_ref().unwrap().len(), 3);
}

/// The fields GitHub code scanning requires (docs: "SARIF support for code scanning"), each
/// present and non-empty, for every rule and every result.
#[test]
fn sarif_has_every_field_github_code_scanning_requires() {
    let d = sample();
    let v: Value =
        serde_json::from_str(&stdout(&run(d.path(), &["check", "--format", "sarif"]))).unwrap();
    #[track_caller]
    fn present(v: &Value, path: &str) {
        let mut cur = v;
        for key in path.split('/') {
            cur = match key.parse::<usize>() {
                Ok(i) => &cur[i],
                Err(_) => &cur[key],
            };
        }
        let ok = match cur {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            Value::Number(n) => n.as_u64().is_some_and(|n| n >= 1) || n.as_i64().is_some(),
            Value::Bool(_) => true,
        };
        assert!(ok, "{path} missing or empty in {v:#}");
    }
    assert_eq!(v["version"], "2.1.0");
    present(&v, "$schema");
    present(&v, "runs/0/tool/driver/name");
    present(&v, "runs/0/tool/driver/semanticVersion");
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 13, "every rule and mapvet's own diagnostics");
    for r in rules {
        for f in [
            "id",
            "name",
            "shortDescription/text",
            "fullDescription/text",
            "help/text",
            "defaultConfiguration/level",
            "properties/tags",
        ] {
            present(r, f);
        }
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
    }
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for r in results {
        for f in [
            "ruleId",
            "level",
            "message/text",
            "locations/0/physicalLocation/artifactLocation/uri",
            "locations/0/physicalLocation/region/startLine",
            "partialFingerprints",
        ] {
            present(r, f);
        }
        // ruleIndex points at the rule with the same id.
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        // Relative URIs: GitHub resolves them against the repository root.
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
        for (k, fp) in r["partialFingerprints"].as_object().unwrap() {
            assert!(!k.is_empty() && fp.as_str().is_some_and(|s| !s.is_empty()));
        }
    }
}

#[test]
fn statistics() {
    let d = sample();
    let o = run(d.path(), &["check", "--statistics"]);
    code(&o, 1);
    insta::assert_snapshot!("statistics", stdout(&o));
    let o = run(d.path(), &["check", "--statistics", "--format=json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"code": "MP003", "name": "map-size-hint", "count": 1, "fixable": 1},
            {"code": "MV000", "name": "syntax-error", "count": 1, "fixable": 0},
            {"code": "MV006", "name": "unchecked-map-assertion", "count": 1, "fixable": 0},
        ])
    );
    code(
        &run(d.path(), &["check", "--statistics", "--format=sarif"]),
        2,
    );
}

#[test]
fn quiet_and_verbose() {
    let d = sample();
    let o = run(d.path(), &["check", "--quiet", "--format=concise"]);
    code(&o, 1);
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
    assert!(!stdout(&o).contains("Found"));
    let empty = tree(&[("README", "")]);
    let o = run(empty.path(), &["check", "-q"]);
    assert_eq!(stderr(&o), "", "no warning with --quiet");
    let o = run(
        d.path(),
        &["check", "--verbose", "--format=concise", "--select=MV006"],
    );
    assert!(
        stderr(&o).contains("mapvet: no config file"),
        "{}",
        stderr(&o)
    );
    let bad_import = tree(&[(
        "x.go",
        "package p\n\nimport \"example.com/nowhere\"\n\nvar _ = nowhere.X\n",
    )]);
    let o = run(bad_import.path(), &["check", "-v"]);
    assert!(
        stderr(&o).contains("mapvet: note: ") && stderr(&o).contains("example.com/nowhere"),
        "{}",
        stderr(&o)
    );
    code(&run(d.path(), &["check", "-q", "-v"]), 2);
}

/// No progress bar or other noise on stderr when it is not a terminal, however long the run.
#[test]
fn no_progress_output_when_piped() {
    let d = tempfile::tempdir().unwrap();
    for i in 0..250 {
        write(d.path(), &format!("d{}/f{i}.go", i % 5), GOOD);
    }
    let o = run(d.path(), &["check"]);
    code(&o, 0);
    assert_eq!(stderr(&o), "");
    assert_eq!(stdout(&o), "All checks passed (250 files checked).\n");
}

// --- exit codes ---------------------------------------------------------------------------------

#[test]
fn exit_codes_follow_fail_on() {
    let hint_only = tree(&[("b.go", GROW)]);
    let warning = tree(&[("a.go", ASSERT)]);
    let error = tree(&[("c/bad.go", BAD)]);
    let clean = tree(&[("ok.go", GOOD)]);
    for (dir, flag, want) in [
        (&clean, None, 0),
        (&hint_only, None, 0), // default fail-on = warning: hints are printed, exit 0
        (&hint_only, Some("hint"), 1),
        (&warning, None, 1),
        (&warning, Some("warning"), 1),
        (&warning, Some("error"), 0),
        (&error, Some("error"), 1),
        (&error, Some("never"), 0),
        (&clean, Some("hint"), 0),
    ] {
        let mut args = vec!["check", "--format=concise"];
        let f;
        if let Some(v) = flag {
            f = format!("--fail-on={v}");
            args.push(&f);
        }
        let o = run(dir.path(), &args);
        code(&o, want);
        if dir.path() != clean.path() {
            assert!(stdout(&o).contains("Found 1 diagnostic"), "{}", stdout(&o));
        }
    }
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let d = sample();
    for (args, msg) in [
        (
            &["check", "--format", "xml"][..],
            "invalid value 'xml' for '--format",
        ),
        (
            &["check", "--fail-on", "sometimes"],
            "invalid value 'sometimes'",
        ),
        (&["check", "--color", "blue"], "invalid value 'blue'"),
        (&["check", "--select", "MV999"], "unknown rule \"MV999\""),
        (
            &["check", "--ignore", "nil-map-wrte"],
            "unknown rule \"nil-map-wrte\"",
        ),
        (
            &["check", "--frobnicate"],
            "unexpected argument '--frobnicate'",
        ),
        (
            &["check", "-", "a.go"],
            "`-` (standard input) must be the only path",
        ),
        (
            &["check", "--stdin-filename", "a.go", "a.go"],
            "--stdin-filename needs `-`",
        ),
        (&["check", "--fix", "--diff"], "cannot be used with"),
        (
            &["check", "--config", "a.toml", "--no-config"],
            "cannot be used with",
        ),
        (&["check", "missing"], "cannot access 'missing'"),
        (&["explain", "MV999"], "unknown rule \"MV999\""),
        (&["config", "missing"], "cannot access 'missing'"),
    ] {
        let o = run(d.path(), args);
        code(&o, 2);
        assert!(stderr(&o).contains(msg), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{args:?}");
    }
}

// --- config -------------------------------------------------------------------------------------

#[test]
fn config_is_found_walking_up_from_each_path() {
    let d = tree(&[
        ("mapvet.toml", "ignore = [\"MV006\"]\n"),
        ("a.go", ASSERT),
        ("sub/deeper/a.go", ASSERT),
        ("other/.mapvet.toml", "select = [\"MP\"]\n"),
        ("other/a.go", ASSERT),
        ("other/b.go", GROW),
    ]);
    // From the root and from a subdirectory: the root's file ignores MV006.
    code(&run(d.path(), &["check", "--format=concise", "sub"]), 0);
    code(
        &run(&d.path().join("sub/deeper"), &["check", "--format=concise"]),
        0,
    );
    // A path with its own (dot-named) file uses it; each path gets its own settings.
    let o = run(
        d.path(),
        &["check", "--format=json", "--fail-on=hint", "a.go", "other"],
    );
    assert_eq!(codes_in_json(&o), ["other/b.go:4:7 MP003 hint"]);
    code(&o, 1);
    // --no-config and --config.
    let o = run(d.path(), &["check", "--format=json", "--no-config", "sub"]);
    assert_eq!(codes_in_json(&o), ["sub/deeper/a.go:4:9 MV006 warning"]);
    let o = run(
        d.path(),
        &[
            "check",
            "--format=json",
            "--config",
            "other/.mapvet.toml",
            "sub",
            "other",
        ],
    );
    assert_eq!(codes_in_json(&o), ["other/b.go:4:7 MP003 hint"]);
}

#[test]
fn config_keys_apply_and_flags_win() {
    let d = tree(&[
        (
            "mapvet.toml",
            "# A project's settings.\n\
             select = [\"MV\", \"map-size-hint\"]\n\
             ignore = [\"MV001\"]\n\
             exclude = [\"gen\", \"*_gen.go\"]\n\
             tests = false\n\
             tags = [\"integration\"]\n\
             goos = \"windows\"\n\
             fail-on = \"hint\"\n\
             \n\
             [severity]\n\
             map-size-hint = \"error\"\n",
        ),
        ("b.go", GROW),
        ("gen/a.go", ASSERT),
        ("x_gen.go", ASSERT),
        ("a_test.go", ASSERT),
        ("win_windows.go", ASSERT),
        ("lin_linux.go", ASSERT),
        ("tagged.go", &format!("//go:build integration\n\n{ASSERT}")),
    ]);
    let o = run(d.path(), &["check", "--format=json"]);
    assert_eq!(
        codes_in_json(&o),
        [
            "b.go:4:7 MP003 error",             // [severity]
            "tagged.go:6:9 MV006 warning",      // tags
            "win_windows.go:4:9 MV006 warning", // goos; lin_linux.go is out
        ]
    );
    code(&o, 1);
    // Flags win: --tests, --goos, --tags, --fail-on, --select; --exclude and --ignore add.
    let o = run(
        d.path(),
        &[
            "check",
            "--format=json",
            "--tests",
            "--goos=linux",
            "--tags=",
            "--exclude=b.go",
            "--ignore=MV007",
        ],
    );
    assert_eq!(
        codes_in_json(&o),
        [
            "a_test.go:4:9 MV006 warning",
            "lin_linux.go:4:9 MV006 warning"
        ]
    );
    let o = run(
        d.path(),
        &[
            "check",
            "--format=json",
            "--select=MP003",
            "--fail-on=never",
        ],
    );
    assert_eq!(codes_in_json(&o), ["b.go:4:7 MP003 error"]);
    code(&o, 0);
    // An excluded file named on the command line stays excluded (pre-commit passes names).
    let o = run(d.path(), &["check", "--format=json", "x_gen.go"]);
    assert_eq!(codes_in_json(&o), Vec::<String>::new());
}

#[test]
fn config_command_prints_effective_settings() {
    let d = tree(&[(
        ".mapvet.toml",
        "select = [\"MV00\"]\nignore = [\"MV005\"]\nexclude = [\"gen/**\"]\ngoos = \"darwin\"\ngoarch = \"arm64\"\n\n[severity]\nMV006 = \"error\"\n",
    )]);
    let o = mapvet(d.path())
        .args(["config", "--ignore", "MV001", "--fail-on", "error"])
        .output()
        .unwrap();
    code(&o, 0);
    let text = stdout(&o).replace(&d.path().display().to_string(), "[dir]");
    insta::assert_snapshot!("config", text);
}

#[test]
fn malformed_config_is_exit_2_with_location() {
    for (name, text) in [
        ("unknown_key", "select = [\"MV\"]\nselcet = [\"MP\"]\n"),
        ("bad_type", "tests = \"no\"\n"),
        ("bad_rule", "ignore = [\"MV001\", \"MV0X\"]\n"),
        ("bad_severity", "[severity]\nMV006 = \"loud\"\n"),
        ("bad_fail_on", "fail-on = \"often\"\n"),
        ("bad_glob", "exclude = [\"a/[\"]\n"),
        ("bad_toml", "select = [\"MV\"\n"),
    ] {
        let d = tree(&[("mapvet.toml", text), ("a.go", GOOD)]);
        let o = run(d.path(), &["check"]);
        code(&o, 2);
        assert_eq!(stdout(&o), "");
        let err = stderr(&o).replace(&d.path().display().to_string(), "[dir]");
        insta::assert_snapshot!(format!("config_error_{name}"), err);
    }
    let d = tree(&[("mapvet.toml", ""), (".mapvet.toml", ""), ("a.go", GOOD)]);
    let o = run(d.path(), &["check"]);
    code(&o, 2);
    assert!(stderr(&o).contains("keep one of them"), "{}", stderr(&o));
    let o = run(d.path(), &["check", "--config", "nope.toml"]);
    code(&o, 2);
    assert!(
        stderr(&o).contains("cannot read config file nope.toml"),
        "{}",
        stderr(&o)
    );
}

// --- suppressions -------------------------------------------------------------------------------

/// Every suppression form; the line comments say what must be reported.
const SUPPRESSED: &str = r#"package p

func trailing(v any) {
	_ = v.(map[string]int) //mapvet:ignore MV006 decoded by us
	_ = v.(map[string]int) //mapvet:ignore unchecked-map-assertion
	_ = v.(map[string]int) //mapvet:ignore MV001
	_ = v.(map[string]int) //nolint:mapvet
	_ = v.(map[string]int) //nolint:all
	_ = v.(map[string]int) //nolint
	_ = v.(map[string]int) //nolint:errcheck,mapvet // reason
	_ = v.(map[string]int) //nolint:errcheck
}

func above(v any) {
	// Explained, then suppressed.
	//mapvet:ignore MV006
	_ = v.(map[string]int)
	_ = v.(map[string]int)
}

// block is exempt as a whole.
//
//nolint:mapvet // it is a test helper
func block(v any) {
	_ = v.(map[string]int)
	if v != nil {
		_ = v.(map[string]int)
	}
}

func statement(v any) {
	//nolint:mapvet
	if v != nil {
		_ = v.(map[string]int)
	}
	_ = v.(map[string]int)
}
"#;

#[test]
fn suppression_forms() {
    let d = tree(&[("s.go", SUPPRESSED)]);
    let o = run(d.path(), &["check", "--format=json", "--select=MV006"]);
    assert_eq!(
        codes_in_json(&o),
        [
            "s.go:6:6 MV006 warning",  // names another rule
            "s.go:11:6 MV006 warning", // names another linter only
            "s.go:18:6 MV006 warning", // the line after the one covered
            "s.go:36:6 MV006 warning", // after the covered if statement
        ]
    );
}

#[test]
fn file_wide_suppressions() {
    let d = tree(&[
        (
            "above_package.go",
            &format!(
                "// Package p is generated.\n//\n//nolint:mapvet\n{}",
                &ASSERT
            ),
        ),
        (
            "file_ignore.go",
            &ASSERT.replace(
                "package p\n",
                "package p\n\n//mapvet:file-ignore MV006 legacy\n",
            ),
        ),
        (
            "other_rule.go",
            &ASSERT.replace("package p\n", "package p\n\n//mapvet:file-ignore MV001\n"),
        ),
    ]);
    let o = run(d.path(), &["check", "--format=json", "--select=MV006"]);
    assert_eq!(codes_in_json(&o), ["other_rule.go:6:9 MV006 warning"]);
}

#[test]
fn unused_and_unknown_suppressions() {
    let d = tree(&[(
        "u.go",
        "package p\n\n\
         func f(v any) {\n\
         \t_ = v.(map[string]int) //mapvet:ignore MV006\n\
         \t_ = 1 //mapvet:ignore MV006\n\
         \t_ = 2 //nolint:mapvet\n\
         \t_ = v.(map[string]int) //mapvet:ignore MV006,MV001\n\
         \t_ = 3 //mapvet:ignore MV0X6\n\
         \t_ = 4 //nolint:errcheck\n\
         }\n",
    )]);
    let o = run(d.path(), &["check", "--format=concise"]);
    code(&o, 0);
    assert_eq!(
        stderr(&o),
        "mapvet: warning: u.go:8:8: `//mapvet:ignore` names an unknown rule \"MV0X6\"\n"
    );
    let o = run(
        d.path(),
        &["check", "--format=concise", "--report-unused-ignores"],
    );
    code(&o, 1); // unused-ignore is a warning
    insta::assert_snapshot!("unused_ignores", stdout(&o));
    // Only rules that ran count: with MV001 alone, the MV006 directives are not "unused".
    let o = run(
        d.path(),
        &[
            "check",
            "--format=concise",
            "--report-unused-ignores",
            "--select=MV001",
        ],
    );
    let out = stdout(&o);
    assert!(out.contains("u.go:6:8: E002 unused `//nolint`"), "{out}");
    assert!(
        out.contains("u.go:7:25: E002 unused `//mapvet:ignore`: no MV001"),
        "{out}"
    );
    assert!(!out.contains("u.go:5:"), "{out}");
}

// --- fixes --------------------------------------------------------------------------------------

fn gofmt_clean(dir: &Path) {
    match std::process::Command::new("gofmt")
        .arg("-l")
        .arg(dir)
        .output()
    {
        Ok(o) => assert_eq!(String::from_utf8_lossy(&o.stdout), "", "gofmt -l"),
        Err(_) => eprintln!("gofmt not found: skipping the gofmt check"),
    }
}

#[test]
fn fix_applies_safe_fixes_and_is_idempotent() {
    let d = tree(&[("b.go", GROW), ("a.go", ASSERT), ("sub/b.go", GROW)]);
    let o = run(d.path(), &["check", "--fix"]);
    code(&o, 1); // MV006 has no fix and is still there
    insta::assert_snapshot!("fix", stdout(&o));
    assert_eq!(read(d.path(), "b.go"), GROW_FIXED);
    assert_eq!(read(d.path(), "sub/b.go"), GROW_FIXED);
    assert_eq!(read(d.path(), "a.go"), ASSERT, "no fix, no change");
    gofmt_clean(d.path());
    // Nothing left to fix: a second run changes nothing and reports the same rest.
    let o = run(d.path(), &["check", "--fix", "--format=concise"]);
    code(&o, 1);
    assert!(!stdout(&o).contains("Fixed"), "{}", stdout(&o));
    assert_eq!(read(d.path(), "b.go"), GROW_FIXED);
    let o = run(d.path(), &["check", "--diff"]);
    code(&o, 0);
    assert_eq!(stdout(&o), "");
    // No temporary file left behind.
    let names: Vec<String> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("mapvet")), "{names:?}");
}

#[test]
fn fix_respects_suppressions_and_selection() {
    let d = tree(&[(
        "b.go",
        &GROW.replace(
            "m := make(map[string]int)",
            "m := make(map[string]int) //mapvet:ignore MP003",
        ),
    )]);
    let before = read(d.path(), "b.go");
    code(&run(d.path(), &["check", "--fix"]), 0);
    assert_eq!(read(d.path(), "b.go"), before);
    let d = tree(&[("b.go", GROW)]);
    code(&run(d.path(), &["check", "--fix", "--ignore=MP003"]), 0);
    assert_eq!(read(d.path(), "b.go"), GROW);
}

#[test]
fn diff_prints_without_writing() {
    let d = tree(&[("b.go", GROW), ("a.go", ASSERT)]);
    let o = run(d.path(), &["check", "--diff"]);
    code(&o, 1);
    insta::assert_snapshot!("diff", stdout(&o));
    assert_eq!(stderr(&o), "mapvet: would fix 1 diagnostic\n");
    assert_eq!(read(d.path(), "b.go"), GROW, "--diff writes nothing");
    // The diff applies cleanly and gives what --fix writes.
    let patched = tree(&[("b.go", GROW)]);
    let applied = std::process::Command::new("patch")
        .args(["-p1", "--quiet"])
        .current_dir(patched.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&o.stdout)?;
            c.wait()
        });
    if let Ok(status) = applied {
        assert!(status.success());
        assert_eq!(read(patched.path(), "b.go"), GROW_FIXED);
    }
}

// --- standard input -----------------------------------------------------------------------------

#[test]
fn stdin_replaces_the_file_in_its_package() {
    // `Labels` is declared in another file: only the package context makes it a map type.
    let d = tree(&[
        (
            "pkg/types.go",
            "package pkg\n\ntype Labels map[string]string\n",
        ),
        (
            "pkg/use.go",
            "package pkg\n\nfunc get(v any) Labels {\n\tl, _ := v.(Labels)\n\treturn l\n}\n",
        ),
    ]);
    code(&run(d.path(), &["check", "--format=concise"]), 0);
    let edited = "package pkg\n\nfunc get(v any) Labels {\n\treturn v.(Labels)\n}\n";
    let o = run_stdin(
        d.path(),
        &[
            "check",
            "--format=concise",
            "--stdin-filename",
            "pkg/use.go",
            "-",
        ],
        edited,
    );
    code(&o, 1);
    let out = stdout(&o);
    assert!(out.starts_with("pkg/use.go:4:9: MV006 "), "{out}");
    assert!(out.contains("(1 file checked)"), "{out}");
    // The file on disk is untouched, and stays clean.
    assert!(read(d.path(), "pkg/use.go").contains("l, _ :="));
    // A file that exists only in the editor joins its package.
    let o = run_stdin(
        d.path(),
        &[
            "check",
            "--format=concise",
            "--stdin-filename",
            "pkg/new.go",
            "-",
        ],
        "package pkg\n\nfunc other(v any) Labels {\n\treturn v.(Labels)\n}\n",
    );
    code(&o, 1);
    assert!(
        stdout(&o).starts_with("pkg/new.go:4:9: MV006 "),
        "{}",
        stdout(&o)
    );
    // Syntax errors, with the given name.
    let o = run_stdin(
        d.path(),
        &[
            "check",
            "--format=concise",
            "--stdin-filename",
            "pkg/use.go",
            "-",
        ],
        BAD,
    );
    assert!(
        stdout(&o).starts_with("pkg/use.go:3:1: MV000 "),
        "{}",
        stdout(&o)
    );
    // Without a name: `-`, no package around it.
    let o = run_stdin(d.path(), &["check", "--format=concise", "-"], ASSERT);
    code(&o, 1);
    assert!(stdout(&o).starts_with("-:4:9: MV006 "), "{}", stdout(&o));
}

#[test]
fn stdin_with_fix_and_diff() {
    let d = tree(&[("b.go", GOOD)]);
    let o = run_stdin(
        d.path(),
        &["check", "--fix", "--stdin-filename", "b.go", "-"],
        GROW,
    );
    code(&o, 0);
    assert_eq!(stdout(&o), GROW_FIXED, "the fixed text on stdout");
    assert!(stderr(&o).contains("Fixed 1 diagnostic."), "{}", stderr(&o));
    assert_eq!(read(d.path(), "b.go"), GOOD, "nothing written");
    let o = run_stdin(
        d.path(),
        &["check", "--diff", "--stdin-filename", "b.go", "-"],
        GROW,
    );
    code(&o, 1);
    assert!(
        stdout(&o).starts_with("--- a/b.go\n+++ b/b.go\n"),
        "{}",
        stdout(&o)
    );
    // The config of the named file's directory applies, excludes included.
    write(d.path(), "mapvet.toml", "exclude = [\"b.go\"]\n");
    let o = run_stdin(
        d.path(),
        &["check", "--format=concise", "--stdin-filename", "b.go", "-"],
        ASSERT,
    );
    code(&o, 0);
}

// --- paths --------------------------------------------------------------------------------------

#[test]
fn go_style_patterns() {
    let d = sample();
    let dots = run(d.path(), &["check", "--format=concise", "./..."]);
    let plain = run(d.path(), &["check", "--format=concise", "."]);
    code(&dots, 1);
    assert_eq!(
        stdout(&dots).replace("./", ""),
        stdout(&plain),
        "./... walks like ."
    );
    let sub = run(d.path(), &["check", "--format=concise", "c/..."]);
    assert!(
        stdout(&sub).starts_with("c/bad.go:3:1: MV000"),
        "{}",
        stdout(&sub)
    );
}
