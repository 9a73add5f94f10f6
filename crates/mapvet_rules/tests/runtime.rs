//! Proof against the Go runtime. Every program under `tests/runtime/<CODE>/*.go` is a
//! standalone `package main` whose first lines say what running it does:
//!
//! - `// expect: panic "TEXT"` — `go run` fails and its output contains TEXT;
//! - `// expect: race` — `go run -race` reports a data race (or the runtime's fatal
//!   `concurrent map` error);
//! - `// expect: clean` — `go run` (with `-race` for MV005 programs) succeeds.
//!
//! Each program also carries `// want` annotations, matched both ways against mapvet's
//! diagnostics of rule CODE, so a label nobody ran is never a guess. Needs Go on PATH (skips
//! with a note otherwise, except when `CI` is set).

mod common;

use mapvet_semantic::load::BuildContext;
use mapvet_semantic::program;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Panic(String),
    Race,
    Clean,
}

fn expectation(text: &str) -> Option<Expect> {
    for line in text.lines().take(10) {
        let Some(rest) = line.trim().strip_prefix("// expect:") else {
            continue;
        };
        let rest = rest.trim();
        if rest == "race" {
            return Some(Expect::Race);
        }
        if rest == "clean" {
            return Some(Expect::Clean);
        }
        if let Some(p) = rest.strip_prefix("panic") {
            return Some(Expect::Panic(p.trim().trim_matches('"').to_string()));
        }
    }
    None
}

fn go_available() -> bool {
    let ok = Command::new("go")
        .arg("version")
        .env("GOTOOLCHAIN", "local")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("CI is set but Go is not available: the runtime-proof test needs it");
    }
    ok
}

/// Copies one program into its own module directory (programs in one folder would clash).
fn stage(src: &Path, root: &Path) -> PathBuf {
    let name = src.file_stem().unwrap().to_string_lossy().to_string();
    let dir = root.join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(src, dir.join(src.file_name().unwrap())).unwrap();
    std::fs::write(dir.join("go.mod"), "module runtimeproof\n\ngo 1.22\n").unwrap();
    dir
}

fn mapvet_problems(dir: &Path, file: &Path, code: &str) -> Vec<String> {
    let mut ctx = BuildContext::host();
    ctx.tests = false;
    let sources = program::load_sources(&[dir.to_path_buf()], &ctx);
    let found: Vec<(u32, String, String)> = program::with_checked_program(sources, |c| {
        mapvet_rules::run(c, &|m| m.code == code)
            .into_iter()
            .map(|d| {
                let f = &c.files[d.loc.file as usize];
                let (line, _) = mapvet_syntax::LineIndex::new(f.src).line_col(d.loc.span.start);
                (line, d.code.to_string(), d.message)
            })
            .collect()
    });
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let mut wants = common::wants_in(&[file.to_path_buf()]);
    let mut problems = Vec::new();
    for (line, dcode, msg) in found {
        let hit = wants.get_mut(&(name.clone(), line)).and_then(|ws| {
            ws.iter_mut().find(|w| {
                !w.matched && w.code == dcode && w.regexps.iter().all(|r| r.is_match(&msg))
            })
        });
        match hit {
            Some(w) => w.matched = true,
            None => problems.push(format!(
                "{}:{line}: unexpected {dcode}: {msg}",
                file.display()
            )),
        }
    }
    for ((_, line), ws) in &wants {
        for w in ws.iter().filter(|w| !w.matched && w.code == code) {
            problems.push(format!(
                "{}:{line}: expected {} not reported",
                file.display(),
                w.code
            ));
        }
    }
    problems
}

fn run_program(dir: &Path, file: &Path, race: bool) -> (bool, String) {
    let mut cmd = Command::new("go");
    cmd.arg("run");
    if race {
        cmd.arg("-race");
    }
    cmd.arg(file.file_name().unwrap())
        .current_dir(dir)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod");
    if race {
        cmd.env("CGO_ENABLED", "1");
    }
    match cmd.output() {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, format!("cannot run go: {e}")),
    }
}

#[test]
fn runtime_proof() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runtime");
    if !root.is_dir() {
        panic!("{} is missing", root.display());
    }
    let go = go_available();
    if !go {
        eprintln!("note: Go not available, running only the mapvet half of the runtime proof");
    }
    let tmp = std::env::temp_dir().join(format!("mapvet-runtime-{}", std::process::id()));
    let mut cases: Vec<(String, PathBuf)> = Vec::new();
    let mut codes: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    codes.sort();
    for cdir in codes {
        let code = cdir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&cdir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "go"))
            .collect();
        files.sort();
        cases.extend(files.into_iter().map(|f| (code.clone(), f)));
    }
    // Run the programs two at a time (the machine has two cores).
    let results: Vec<Vec<String>> = std::thread::scope(|s| {
        let chunks: Vec<&[(String, PathBuf)]> =
            cases.chunks(cases.len().div_ceil(2).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let tmp = tmp.clone();
                s.spawn(move || {
                    let mut problems = Vec::new();
                    for (code, file) in chunk {
                        let text = std::fs::read_to_string(file).unwrap();
                        let Some(expect) = expectation(&text) else {
                            problems.push(format!("{}: no `// expect:` line", file.display()));
                            continue;
                        };
                        let dir = stage(file, &tmp.join(code));
                        let staged = dir.join(file.file_name().unwrap());
                        problems.extend(mapvet_problems(&dir, &staged, code).into_iter().map(
                            |p| p.replace(&*staged.to_string_lossy(), &file.to_string_lossy()),
                        ));
                        if !go {
                            continue;
                        }
                        let race = code == "MV005";
                        let (ok, output) = run_program(&dir, &staged, race);
                        let fine = match &expect {
                            Expect::Clean => ok,
                            Expect::Panic(text) => !ok && output.contains(text.as_str()),
                            Expect::Race => {
                                !ok && (output.contains("DATA RACE")
                                    || output.contains("concurrent map"))
                            }
                        };
                        if !fine {
                            let tail: String =
                                output.lines().take(12).collect::<Vec<_>>().join("\n");
                            problems.push(format!(
                                "{}: expected {:?} but `go run{}` {}:\n{tail}",
                                file.display(),
                                expect,
                                if race { " -race" } else { "" },
                                if ok { "succeeded" } else { "failed" }
                            ));
                        }
                    }
                    problems
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let _ = std::fs::remove_dir_all(&tmp);
    let problems: Vec<String> = results.into_iter().flatten().collect();
    println!("{} runtime-proof programs", cases.len());
    assert!(!cases.is_empty(), "no runtime-proof programs found");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// Copies a directory tree (fixture folders hold `vendor/` trees).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Every fixture folder is valid Go: `go vet` type-checks it (a fixture that does not
/// compile tests mapvet on code no Go user has).
#[test]
fn fixtures_are_valid_go() {
    if !go_available() {
        eprintln!("note: Go not available, fixtures not compiled");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let tmp = std::env::temp_dir().join(format!("mapvet-fixtures-go-{}", std::process::id()));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut problems = Vec::new();
    for d in &dirs {
        let dst = tmp.join(d.file_name().unwrap());
        copy_tree(d, &dst);
        if !dst.join("go.mod").exists() {
            std::fs::write(dst.join("go.mod"), "module fixture\n\ngo 1.25\n").unwrap();
        }
        let flags = if dst.join("vendor").is_dir() {
            "-mod=vendor"
        } else {
            "-mod=mod"
        };
        let out = Command::new("go")
            .args(["vet", "./..."])
            .current_dir(&dst)
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", flags)
            .env("GOPROXY", "off")
            .output();
        match out {
            Ok(o) if o.status.success() => {}
            Ok(o) => problems.push(format!(
                "{}: go vet failed:\n{}",
                d.display(),
                String::from_utf8_lossy(&o.stderr)
            )),
            Err(e) => problems.push(format!("cannot run go: {e}")),
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(dirs.len() >= 10, "fixture folders missing");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
