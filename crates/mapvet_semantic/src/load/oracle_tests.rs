//! Oracle test: file selection on all of `$(go env GOROOT)/src` against `go list`.
//!
//! Skips (with a note) when Go is not installed, unless `CI` is set.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{BuildContext, Loader};

fn find_go() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("go"))
        .chain([PathBuf::from("/usr/local/go/bin/go")])
        .find(|p| p.is_file())
}

fn go(go: &Path, args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> String {
    let out = Command::new(go)
        .args(args)
        .current_dir(cwd)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .envs(env.iter().copied())
        .output()
        .expect("running go");
    assert!(
        out.status.success(),
        "go {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `[a.go b.go]` → {a.go, b.go}.
fn list(s: &str) -> BTreeSet<String> {
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

struct Expected {
    import_path: String,
    go_files: BTreeSet<String>,
    test_files: BTreeSet<String>,
    xtest_files: BTreeSet<String>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    out.push(dir.to_path_buf());
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subs: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n != "testdata" && !n.starts_with('.') && !n.starts_with('_')
        })
        .map(|e| e.path())
        .collect();
    subs.sort();
    for s in subs {
        walk(&s, out);
    }
}

fn names(files: &[PathBuf]) -> BTreeSet<String> {
    files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn goroot_file_selection_matches_go_list() {
    let Some(gobin) = find_go() else {
        if std::env::var_os("CI").is_some() {
            panic!("Go is required in CI for the go list oracle test");
        }
        eprintln!("note: go not found; skipping the go list oracle test");
        return;
    };
    let tmp = std::env::temp_dir();
    let env = go(&gobin, &["env", "GOROOT", "GOOS", "GOARCH"], &tmp, &[]);
    let mut it = env.lines();
    let goroot = PathBuf::from(it.next().unwrap());
    let (goos, goarch) = (
        it.next().unwrap().to_string(),
        it.next().unwrap().to_string(),
    );
    let mut dirs = Vec::new();
    walk(&goroot.join("src"), &mut dirs);

    // The configuration the issue asks for (host, cgo off), then cgo on and a few other
    // targets (different file suffixes, unix tag, experiments, micro-architecture tags).
    check(&gobin, &goroot, &dirs, &goos, &goarch, false);
    check(&gobin, &goroot, &dirs, &goos, &goarch, true);
    check(&gobin, &goroot, &dirs, "windows", "amd64", false);
    check(&gobin, &goroot, &dirs, "darwin", "arm64", true);
    check(&gobin, &goroot, &dirs, "js", "wasm", false);
}

fn check(gobin: &Path, goroot: &Path, dirs: &[PathBuf], goos: &str, goarch: &str, cgo: bool) {
    let src = goroot.join("src");
    const FORMAT: &str =
        "{{.Dir}}\t{{.ImportPath}}\t{{.GoFiles}} {{.CgoFiles}}\t{{.TestGoFiles}}\t{{.XTestGoFiles}}";
    let env = [
        ("GOOS", goos),
        ("GOARCH", goarch),
        ("CGO_ENABLED", if cgo { "1" } else { "0" }),
    ];
    let parse = |out: &str, expected: &mut BTreeMap<PathBuf, Expected>| {
        for line in out.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "{line}");
            expected.insert(
                PathBuf::from(f[0]),
                Expected {
                    import_path: f[1].to_string(),
                    go_files: f[2].split(' ').flat_map(list).collect(),
                    test_files: list(f[3]),
                    xtest_files: list(f[4]),
                },
            );
        }
    };
    let t0 = std::time::Instant::now();
    let out = go(
        gobin,
        &["list", "-e", "-f", FORMAT, "std", "cmd"],
        &src,
        &env,
    );
    let mut go_list_time = t0.elapsed();
    let mut expected: BTreeMap<PathBuf, Expected> = BTreeMap::new();
    parse(&out, &mut expected);
    let listed = expected.len();

    let mut ctx = BuildContext::new(goos, goarch);
    ctx.goexperiment = std::env::var("GOEXPERIMENT").unwrap_or_default();
    if let Some(v) = super::level_var(goarch) {
        ctx.goarch_level = std::env::var(v).unwrap_or_default();
    }
    ctx.cgo = cgo;
    ctx.goroot = Some(goroot.to_path_buf());
    let mut with_tests = ctx.clone();
    with_tests.tests = true;
    ctx.tests = false;

    // The std and cmd patterns leave out a few packages (builtin; runtime/cgo with cgo off;
    // vendored commands): ask go list about those by the import path we compute.
    let probe = Loader::new(ctx.clone());
    let extra: Vec<String> = dirs
        .iter()
        .filter(|d| !expected.contains_key(*d))
        .filter_map(|d| probe.packages_in_dir(d).into_iter().next())
        .map(|p| p.import_path)
        .collect();
    if !extra.is_empty() {
        let mut args = vec!["list", "-e", "-f", FORMAT];
        args.extend(extra.iter().map(String::as_str));
        let t = std::time::Instant::now();
        let out = go(gobin, &args, &src, &env);
        go_list_time += t.elapsed();
        parse(&out, &mut expected);
    }

    let t1 = std::time::Instant::now();
    let loader = Loader::new(ctx);
    let loader_tests = Loader::new(with_tests);
    let (mut mismatches, mut packages, mut files, mut test_files) = (Vec::new(), 0, 0, 0);
    let empty = Expected {
        import_path: String::new(),
        go_files: BTreeSet::new(),
        test_files: BTreeSet::new(),
        xtest_files: BTreeSet::new(),
    };
    for dir in dirs {
        let want = expected.get(dir).unwrap_or(&empty);

        // Tests off: the package's files are exactly GoFiles (+ CgoFiles with cgo on).
        let pkgs = loader.packages_in_dir(dir);
        assert!(pkgs.iter().all(|p| !p.is_xtest));
        let got = pkgs.first().map(|p| names(&p.files)).unwrap_or_default();
        if got != want.go_files {
            mismatches.push(format!(
                "{}: GoFiles: got {got:?}, go list {:?}",
                dir.display(),
                want.go_files
            ));
        }
        if let Some(p) = pkgs.first() {
            packages += 1;
            files += p.files.len();
            if p.import_path != want.import_path {
                mismatches.push(format!(
                    "{}: import path {} vs {}",
                    dir.display(),
                    p.import_path,
                    want.import_path
                ));
            }
        }
        let imp = loader_tests.packages_in_dir_for_import(dir);
        if imp.as_ref().map(|p| names(&p.files)).unwrap_or_default() != want.go_files {
            mismatches.push(format!(
                "{}: packages_in_dir_for_import differs",
                dir.display()
            ));
        }

        // Tests on: GoFiles + TestGoFiles, and XTestGoFiles.
        let pkgs = loader_tests.packages_in_dir(dir);
        let main: BTreeSet<String> = pkgs
            .iter()
            .filter(|p| !p.is_xtest)
            .flat_map(|p| names(&p.files))
            .collect();
        let xtest: BTreeSet<String> = pkgs
            .iter()
            .filter(|p| p.is_xtest)
            .flat_map(|p| names(&p.files))
            .collect();
        let want_main: BTreeSet<String> = want.go_files.union(&want.test_files).cloned().collect();
        if main != want_main || xtest != want.xtest_files {
            mismatches.push(format!(
                "{}: with tests: got {main:?} + {xtest:?}, go list {want_main:?} + {:?}",
                dir.display(),
                want.xtest_files
            ));
        }
        test_files += main.len() + xtest.len();
    }
    let load_time = t1.elapsed();
    let missing: Vec<_> = expected
        .keys()
        .filter(|d| !dirs.contains(d))
        .map(|d| d.display().to_string())
        .collect();
    eprintln!(
        "go list oracle {goos}/{goarch} cgo={cgo}: {} dirs walked, {listed}+{} go list packages; \
         tests off: {packages} packages, {files} files; tests on: {test_files} files; \
         {} mismatches; loader {:.0?} (3 passes), go list {:.0?}",
        dirs.len(),
        extra.len(),
        mismatches.len(),
        load_time,
        go_list_time
    );
    assert!(
        missing.is_empty(),
        "go list directories not walked: {missing:?}"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    let notes = loader.notes();
    assert!(notes.is_empty(), "unexpected notes: {notes:?}");
}

/// Every import of every std and cmd package resolves to the directory go list reports
/// (vendored golang.org/x packages included).
#[test]
fn goroot_import_resolution_matches_go_list() {
    let Some(gobin) = find_go() else {
        if std::env::var_os("CI").is_some() {
            panic!("Go is required in CI for the go list oracle test");
        }
        eprintln!("note: go not found; skipping the go list oracle test");
        return;
    };
    let tmp = std::env::temp_dir();
    let goroot = PathBuf::from(go(&gobin, &["env", "GOROOT"], &tmp, &[]).trim());
    let out = go(
        &gobin,
        &[
            "list",
            "-e",
            "-deps",
            "-f",
            "{{.Dir}}\t{{.ImportPath}}\t{{.Imports}}\t{{.ImportMap}}",
            "std",
            "cmd",
        ],
        &goroot.join("src"),
        &[("CGO_ENABLED", "0")],
    );
    let mut dir_of: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut pkgs = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "{line}");
        dir_of.insert(f[1].to_string(), PathBuf::from(f[0]));
        // map[src:resolved ...] → resolved → src
        let map: BTreeMap<String, String> = f[3]
            .trim_start_matches("map[")
            .trim_end_matches(']')
            .split_whitespace()
            .filter_map(|kv| kv.split_once(':'))
            .map(|(k, v)| (v.to_string(), k.to_string()))
            .collect();
        pkgs.push((PathBuf::from(f[0]), list(f[2]), map));
    }
    let mut ctx = BuildContext::new(super::host_goos(), super::host_goarch());
    ctx.goroot = Some(goroot);
    let loader = Loader::new(ctx);
    let (mut n, mut bad) = (0, Vec::new());
    for (dir, imports, map) in &pkgs {
        for resolved in imports {
            if resolved == "C" {
                continue;
            }
            let raw = map.get(resolved).unwrap_or(resolved);
            let want = dir_of.get(resolved);
            let got = loader.resolve_import(dir, raw);
            n += 1;
            if got.as_ref() != want {
                bad.push(format!(
                    "{}: import {raw:?}: got {got:?}, go list {want:?}",
                    dir.display()
                ));
            }
        }
    }
    eprintln!(
        "go list import oracle: {} packages, {n} imports, {} mismatches",
        pkgs.len(),
        bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Module-mode resolution against go list on local layouts (no network): a go.work
/// workspace with a local `replace`, and a vendored module (`go mod vendor`).
#[test]
fn module_resolution_matches_go_list() {
    let Some(gobin) = find_go() else {
        if std::env::var_os("CI").is_some() {
            panic!("Go is required in CI for the go list oracle test");
        }
        eprintln!("note: go not found; skipping the go list oracle test");
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let root = t.path().canonicalize().unwrap();
    let w = |p: &str, s: &str| {
        let p = root.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    w("ws/go.work", "go 1.22\n\nuse (\n\t./m\n\t./w2\n)\n");
    w("ws/m/go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/local v0.0.0\n\nreplace example.com/local => ../../local\n");
    w(
        "ws/m/a/a.go",
        "package a\n\nimport (\n\t_ \"example.com/local/pkg\"\n\t_ \"fmt\"\n)\n",
    );
    w("ws/m/cmd/tool/main.go", "package main\n\nimport (\n\t_ \"example.com/m/a\"\n\t_ \"example.com/w2/lib\"\n)\n\nfunc main() {}\n");
    w("ws/w2/go.mod", "module example.com/w2\n\ngo 1.22\n");
    w(
        "ws/w2/lib/l.go",
        "package lib\n\nimport _ \"example.com/w2/lib/sub\"\n",
    );
    w("ws/w2/lib/sub/s.go", "package sub\n");
    w("local/go.mod", "module example.com/local\n\ngo 1.22\n");
    w(
        "local/pkg/p.go",
        "package pkg\n\nimport _ \"example.com/local/pkg/inner\"\n",
    );
    w("local/pkg/inner/i.go", "package inner\n");
    w("v/go.mod", "module example.com/v\n\ngo 1.22\n\nrequire example.com/local v0.0.0\n\nreplace example.com/local => ../local\n");
    w(
        "v/main.go",
        "package main\n\nimport _ \"example.com/local/pkg\"\n\nfunc main() {}\n",
    );
    let env = [("GOPROXY", "off"), ("GOFLAGS", ""), ("GOWORK", "off")];
    go(&gobin, &["mod", "vendor"], &root.join("v"), &env);
    assert!(root.join("v/vendor/example.com/local/pkg/p.go").is_file());

    let goroot = PathBuf::from(go(&gobin, &["env", "GOROOT"], &root, &[]).trim());
    let genv = super::GoEnv {
        goroot: Some(goroot),
        ..Default::default()
    };
    let loader = Loader::with_env(
        BuildContext::new(super::host_goos(), super::host_goarch()),
        genv,
    );
    let mut n = 0;
    for (dir, gowork) in [("ws/m", "auto"), ("v", "off")] {
        let out = go(
            &gobin,
            &[
                "list",
                "-e",
                "-deps",
                "-f",
                "{{.Dir}}\t{{.ImportPath}}\t{{.Imports}}",
                "./...",
            ],
            &root.join(dir),
            &[("GOPROXY", "off"), ("GOFLAGS", ""), ("GOWORK", gowork)],
        );
        let mut dir_of = BTreeMap::new();
        let mut pkgs = Vec::new();
        for line in out.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            dir_of.insert(f[1].to_string(), PathBuf::from(f[0]));
            if f[0].starts_with(root.to_str().unwrap()) {
                pkgs.push((PathBuf::from(f[0]), f[1].to_string(), list(f[2])));
            }
        }
        for (pdir, ip, imports) in &pkgs {
            assert_eq!(&loader.import_path_of(pdir), ip);
            for imp in imports {
                let want = dir_of.get(imp);
                assert!(want.is_some(), "{imp}");
                assert_eq!(
                    loader.resolve_import(pdir, imp).as_ref(),
                    want,
                    "{} imports {imp}",
                    pdir.display()
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, 8);
    assert!(loader.notes().is_empty(), "{:?}", loader.notes());
}
