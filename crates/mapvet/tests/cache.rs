//! The result cache of `mapvet check`: a run that replays results prints exactly what a run
//! without the cache prints, after any change to the code (a file edited, added, removed, a
//! dependency changed, a build constraint, a go.mod), to the way paths are spelled, to the
//! rules or build flags; and a cache that is unusable or damaged is no cache.
//!
//! Every comparison is against `--no-cache` on the same tree. `MAPVET_TRACE` tells how many
//! groups were replayed, so the tests also prove the cache is used where it should be.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

struct Project {
    dir: TempDir,
    cache: TempDir,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        let p = Project {
            dir: tempfile::tempdir().unwrap(),
            cache: tempfile::tempdir().unwrap(),
        };
        for (path, text) in files {
            p.write(path, text);
        }
        p
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn cmd(&self, args: &[&str], cache: bool) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mapvet"));
        cmd.current_dir(self.root())
            .env_remove("CI")
            .env_remove("GOFLAGS")
            .env("CGO_ENABLED", "0")
            .env("MAPVET_CACHE_DIR", self.cache.path())
            .env("MAPVET_TRACE", "1")
            .arg("check");
        if !cache {
            cmd.arg("--no-cache");
        }
        cmd.args(args);
        cmd
    }

    fn run(&self, args: &[&str], cache: bool) -> Output {
        self.cmd(args, cache).output().unwrap()
    }

    /// Runs with the cache and without; asserts both print the same and exit the same, and
    /// returns the cached run's (replayed groups, groups) and its standard output.
    fn same(&self, args: &[&str]) -> ((usize, usize), String) {
        let with = self.run(args, true);
        let without = self.run(args, false);
        let out = String::from_utf8(with.stdout).unwrap();
        assert_eq!(
            out,
            String::from_utf8(without.stdout).unwrap(),
            "cached and uncached outputs differ for {args:?}"
        );
        assert_eq!(with.status.code(), without.status.code());
        (replayed(&String::from_utf8_lossy(&with.stderr)), out)
    }

    /// [`Project::same`] with one group per directory.
    fn same_grouped(&self, args: &[&str]) -> ((usize, usize), String) {
        let run = |cache| {
            self.cmd(args, cache)
                .env("MAPVET_GROUP_BYTES", "1")
                .output()
                .unwrap()
        };
        let (with, without) = (run(true), run(false));
        let out = String::from_utf8(with.stdout).unwrap();
        assert_eq!(out, String::from_utf8(without.stdout).unwrap());
        (replayed(&String::from_utf8_lossy(&with.stderr)), out)
    }

    fn entries(&self) -> usize {
        count_files(&self.cache.path().join("v1"))
    }
}

/// `(replayed, groups)` from the `MAPVET_TRACE` line `cache: N of M groups replayed`.
fn replayed(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("cache: ")
                .filter(|l| l.contains(" replayed"))
        })
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"));
    let w: Vec<&str> = line.split_whitespace().collect();
    (w[0].parse().unwrap(), w[2].parse().unwrap())
}

fn count_files(dir: &Path) -> usize {
    let Ok(rd) = fs::read_dir(dir) else { return 0 };
    rd.flatten()
        .map(|e| {
            if e.path().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

const GO_MOD: &str = "module example.com/m\n\ngo 1.22\n";

/// Package `b` declares the map type package `a` stores into; `c` stands alone.
fn three_packages() -> Project {
    Project::new(&[
        ("go.mod", GO_MOD),
        (
            "a/a.go",
            "package a\n\nimport \"example.com/m/b\"\n\nfunc F(k int) {\n\tvar m b.M\n\tm[k] = 1\n}\n",
        ),
        ("b/b.go", "package b\n\ntype M map[int]int\n"),
        (
            "c/c.go",
            "package c\n\nfunc G(v any) map[string]int {\n\treturn v.(map[string]int)\n}\n",
        ),
    ])
}

#[test]
fn a_second_run_replays_everything_and_prints_the_same() {
    let p = three_packages();
    for format in ["text", "json", "sarif", "concise", "github"] {
        let args = ["--format", format, "--color", "never", "."];
        let (first, out) = p.same(&args);
        assert!(out.contains("MV001") && out.contains("MV006"), "{out}");
        assert_eq!(first.1, 1, "a small input is one group");
        let (second, _) = p.same(&args);
        assert_eq!(second, (1, 1), "{format}: the second run replays");
    }
    assert!(p.entries() > 0);
    assert!(p.cache.path().join("CACHEDIR.TAG").is_file());
}

#[test]
fn a_changed_dependency_is_checked_again() {
    let p = three_packages();
    // One group per directory: a's result depends on b's declarations, not on c.
    let grouped = |args: &[&str]| p.same_grouped(args);
    let args = ["--format", "concise", "."];
    let (r, out) = grouped(&args);
    assert_eq!(r.1, 3, "three groups");
    assert!(out.contains("a/a.go:7:2: MV001"), "{out}");
    assert_eq!(grouped(&args).0, (3, 3));
    // b's map type becomes a slice: a is unchanged but its finding goes; c is replayed.
    p.write("b/b.go", "package b\n\ntype M []int\n");
    let (r, out) = grouped(&args);
    assert!(!out.contains("MV001"), "{out}");
    assert_eq!(r, (1, 3), "only c is replayed");
    // And back.
    p.write("b/b.go", "package b\n\ntype M map[int]int\n");
    let (r, out) = grouped(&args);
    assert!(out.contains("a/a.go:7:2: MV001"), "{out}");
    assert_eq!(r, (3, 3), "the earlier results are still there");
    // c changes: a and b are replayed.
    p.write(
        "c/c.go",
        "package c\n\nfunc G(v any) map[string]int {\n\tm, _ := v.(map[string]int)\n\treturn m\n}\n",
    );
    let (r, out) = grouped(&args);
    assert!(!out.contains("MV006"), "{out}");
    assert_eq!(r, (2, 3));
}

#[test]
fn every_kind_of_change_gives_the_uncached_result() {
    let p = three_packages();
    let args = ["--format", "json", "."];
    p.same(&args);
    // Each step, and whether it makes a program not seen before (else its earlier result is
    // replayed, rightly).
    type Step = (Box<dyn Fn(&Project)>, bool);
    let steps: Vec<Step> = vec![
        // A new file in a package.
        (
            Box::new(|p| {
                p.write(
                "b/more.go",
                "package b\n\nfunc Fill(k string) {\n\tvar m map[string]bool\n\tm[k] = true\n}\n",
            )
            }),
            true,
        ),
        // A file edited (the stored value).
        (
            Box::new(|p| {
                p.write(
                "b/more.go",
                "package b\n\nfunc Fill(k string) {\n\tvar m map[string]bool\n\tm[k] = false\n}\n",
            )
            }),
            true,
        ),
        // The same size, one byte different (the map's name).
        (
            Box::new(|p| {
                p.write(
                "b/more.go",
                "package b\n\nfunc Fill(k string) {\n\tvar n map[string]bool\n\tm[k] = false\n}\n",
            )
            }),
            true,
        ),
        // A build constraint takes the file out: package b is as at the start.
        (
            Box::new(|p| {
                p.write(
                "b/more.go",
                "//go:build ignore\n\npackage b\n\nfunc Fill(k string) {\n\tvar m map[string]bool\n\tm[k] = true\n}\n",
            )
            }),
            false,
        ),
        // A syntax error.
        (
            Box::new(|p| p.write("c/c.go", "package c\n\nfunc G( {\n")),
            true,
        ),
        // A suppression comment.
        (
            Box::new(|p| {
                p.write(
                "a/a.go",
                "package a\n\nimport \"example.com/m/b\"\n\nfunc F(k int) {\n\tvar m b.M\n\tm[k] = 1 //mapvet:ignore MV001\n}\n",
            )
            }),
            true,
        ),
        // A file removed.
        (
            Box::new(|p| fs::remove_file(p.root().join("c/c.go")).unwrap()),
            true,
        ),
        // A new package.
        (
            Box::new(|p| {
                p.write(
                "d/d.go",
                "package d\n\nfunc H(xs []string) map[string]int {\n\tm := map[string]int{}\n\tfor _, x := range xs {\n\t\tm[x]++\n\t}\n\treturn m\n}\n",
            )
            }),
            true,
        ),
        // The module path changes: the import no longer resolves.
        (
            Box::new(|p| p.write("go.mod", "module example.com/other\n\ngo 1.22\n")),
            true,
        ),
        // Back: as two steps ago.
        (Box::new(|p| p.write("go.mod", GO_MOD)), false),
        // A test file.
        (
            Box::new(|p| {
                p.write(
                "a/a_test.go",
                "package a\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) {\n\tvar seen map[string]int\n\tseen[t.Name()]++\n}\n",
            )
            }),
            true,
        ),
    ];
    for (i, (step, new)) in steps.iter().enumerate() {
        step(&p);
        let (r, _) = p.same(&args);
        assert_eq!(r.0 == 0, *new, "step {i}: checked again only if new");
        // Unchanged since: replayed, same output.
        let (r, _) = p.same(&args);
        assert_eq!(r.0, r.1, "step {i}: replayed");
    }
}

#[test]
fn flags_and_path_spellings_are_part_of_the_key() {
    let p = three_packages();
    let abs = p.root().to_string_lossy().into_owned();
    let a_abs = p.root().join("a").to_string_lossy().into_owned();
    let runs: Vec<Vec<&str>> = vec![
        vec!["--format", "concise", "."],
        vec!["--format", "concise", "./..."],
        vec!["--format", "concise", &abs],
        vec!["--format", "concise", "a"],
        vec!["--format", "concise", "a/a.go"],
        vec!["--format", "concise", &a_abs],
        vec!["--format", "concise", "--select", "MV006", "."],
        vec!["--format", "concise", "--ignore", "MV006", "."],
        vec!["--format", "concise", "--tests=false", "."],
        vec!["--format", "concise", "--goos", "windows", "."],
        vec!["--format", "concise", "--report-unused-ignores", "."],
    ];
    let mut outputs = Vec::new();
    for args in &runs {
        outputs.push(p.same(args).1);
    }
    // Again, in the other order: every one replays its own result.
    for (args, out) in runs.iter().zip(&outputs).rev() {
        let (r, again) = p.same(args);
        assert_eq!(&again, out, "{args:?}");
        assert_eq!(r.0, r.1, "{args:?} replays");
    }
    assert!(outputs[2].contains(&abs), "absolute spelling kept");
    assert!(!outputs[6].contains("MV001"));
}

#[test]
fn standard_input_is_keyed_by_its_text() {
    let p = three_packages();
    let run = |text: &str, cache: bool| {
        let out = p
            .cmd(
                &["--format", "concise", "--stdin-filename", "c/c.go", "-"],
                cache,
            )
            .write_stdin(text)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let bad = "package c\n\nfunc G(v any) map[string]int {\n\treturn v.(map[string]int)\n}\n";
    let good = "package c\n\nfunc G(v any) map[string]int {\n\tm, _ := v.(map[string]int)\n\treturn m\n}\n";
    for _ in 0..2 {
        for text in [bad, good] {
            assert_eq!(run(text, true), run(text, false));
        }
    }
    assert!(run(bad, true).contains("MV006"));
    assert!(!run(good, true).contains("MV006"));
    // Buffers are not stored (they seldom come back)...
    assert_eq!(p.entries(), 0);
    // ... but a buffer equal to the file on disk replays the result of checking the file.
    p.same(&["--format", "concise", "c/c.go"]);
    let stored = p.entries();
    let out = p
        .cmd(
            &["--format", "concise", "--stdin-filename", "c/c.go", "-"],
            true,
        )
        .write_stdin(bad)
        .output()
        .unwrap();
    assert_eq!(replayed(&String::from_utf8_lossy(&out.stderr)), (1, 1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("MV006"));
    assert_eq!(p.entries(), stored);
}

#[test]
fn fixes_through_the_cache() {
    let grow = "package p\n\nfunc index(xs []string) map[string]int {\n\tm := make(map[string]int)\n\tfor i, x := range xs {\n\t\tm[x] = i\n\t}\n\treturn m\n}\n";
    let p = Project::new(&[("go.mod", GO_MOD), ("p/p.go", grow)]);
    // Warm the cache with the unfixed file, then fix: the file is fixed, and the run after
    // the fix reports nothing, like one without the cache.
    p.same(&["."]);
    let out = p.run(&["--fix", "."], true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = fs::read_to_string(p.root().join("p/p.go")).unwrap();
    assert!(fixed.contains("make(map[string]int, len(xs))"), "{fixed}");
    let (_, out) = p.same(&["--format", "concise", "."]);
    assert!(!out.contains("MP003"), "{out}");
}

#[test]
fn files_outside_the_loaded_packages_are_cached_too() {
    // Build-constrained out: parsed on its own (syntax errors, suppression problems).
    let p = Project::new(&[
        ("go.mod", GO_MOD),
        ("p/p.go", "package p\n"),
        ("p/p_windows.go", "package p\n\nfunc f( {\n"),
    ]);
    let args = ["--format", "concise", "--goos", "linux", "."];
    let (_, out) = p.same(&args);
    assert!(out.contains("p/p_windows.go"), "{out}");
    let before = p.entries();
    p.same(&args);
    assert_eq!(p.entries(), before, "nothing new stored");
    p.write("p/p_windows.go", "package p\n\nfunc f() {}\n");
    let (_, out) = p.same(&args);
    assert!(!out.contains("p/p_windows.go"), "{out}");
}

#[test]
fn no_cache_reads_and_writes_nothing() {
    let p = three_packages();
    let out = p.run(&["."], false);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(p.entries(), 0);
    let out = p
        .cmd(&["."], true)
        .env("MAPVET_CACHE_DIR", "off")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(p.entries(), 0);
}

#[test]
fn an_unusable_cache_directory_is_no_cache() {
    let p = three_packages();
    let blocker = p.cache.path().join("file");
    fs::write(&blocker, "").unwrap();
    let under_file: PathBuf = blocker.join("cache");
    let expected = p.run(&["--format", "concise", "."], false);
    let out = p
        .cmd(&["-v", "--format", "concise", "."], true)
        .env("MAPVET_CACHE_DIR", &under_file)
        .output()
        .unwrap();
    assert_eq!(out.stdout, expected.stdout);
    assert_eq!(out.status.code(), expected.status.code());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot create the cache directory"), "{err}");
}

#[test]
fn damaged_entries_are_misses() {
    let p = three_packages();
    let args = ["--format", "json", "."];
    let (_, good) = p.same(&args);
    // Every entry overwritten with something else (a truncated copy, garbage).
    fn damage(dir: &Path) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                damage(&path);
            } else {
                let data = fs::read(&path).unwrap();
                fs::write(&path, &data[..data.len() / 2]).unwrap();
            }
        }
    }
    damage(&p.cache.path().join("v1"));
    let (r, out) = p.same(&args);
    assert_eq!(out, good);
    assert_eq!(r.0, 0, "nothing replayed from damaged entries");
    // They were rewritten: the next run replays.
    let (r, _) = p.same(&args);
    assert_eq!(r.0, r.1);
}

/// `N` of the `MAPVET_TRACE` line `load: ... (F files, P packages, N not read; ...)`.
fn not_read(stderr: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("load: ") && l.contains(" not read"))
        .unwrap_or_else(|| panic!("no load line in:\n{stderr}"));
    let before = line.split(" not read").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

/// Sets the modification time of `path` back to `to`.
fn set_mtime(path: &Path, to: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(to)
        .unwrap();
}

#[test]
fn unchanged_files_are_not_read_and_any_change_is_seen() {
    let p = three_packages();
    p.write("a/a_windows.go", "package a\n\nfunc f( {\n");
    p.write("c/c_x.go", IGNORED_X);
    // Files are remembered only once both their times are 2 s older than the run.
    std::thread::sleep(std::time::Duration::from_millis(2300));
    let args = ["--format", "concise", "--goos", "linux", "."];
    let first = p.run(&args, true);
    assert_eq!(not_read(&String::from_utf8_lossy(&first.stderr)), 0);
    let (replay, out) = p.same(&args);
    assert_eq!(replay, (1, 1));
    assert!(
        out.contains("MV001") && out.contains("a_windows.go"),
        "{out}"
    );
    let second = p.run(&args, true);
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(not_read(&err), 3, "a, b and c known from the memo:\n{err}");
    assert_eq!(String::from_utf8_lossy(&second.stdout), out);

    // The same size, the old modification time put back: the status-change time shows it.
    let b = p.root().join("b/b.go");
    let mtime = fs::metadata(&b).unwrap().modified().unwrap();
    p.write("b/b.go", "package b\n\ntype M [8]int     \n");
    set_mtime(&b, mtime);
    let (replay, out) = p.same(&args);
    assert_eq!(replay, (0, 1));
    assert!(!out.contains("MV001"), "{out}");
    // Replaced by a rename (another inode), times set back: seen too.
    let tmp = p.root().join("a/a_windows.go.tmp");
    let w = p.root().join("a/a_windows.go");
    let wtime = fs::metadata(&w).unwrap().modified().unwrap();
    fs::write(&tmp, "package a\n\nfunc f() {\n}\n").unwrap();
    set_mtime(&tmp, wtime);
    fs::rename(&tmp, &w).unwrap();
    let (_, out) = p.same(&args);
    assert!(!out.contains("a_windows.go"), "{out}");
    // A build-constrained file joining the package: same size, old time.
    let x = p.root().join("c/c_x.go");
    let xtime = fs::metadata(&x).unwrap().modified().unwrap();
    p.write("c/c_x.go", &IGNORED_X.replace("ignore", "linux "));
    set_mtime(&x, xtime);
    let (_, out) = p.same(&args);
    assert!(out.contains("c/c_x.go:7:2: MV001"), "{out}");
}

const IGNORED_X: &str =
    "//go:build ignore\n\npackage c\n\nfunc H(k int) {\n\tvar m map[int]int\n\tm[k] = 1\n}\n";

#[test]
fn a_group_that_runs_reads_the_declarations_it_did_not_read() {
    let p = three_packages();
    std::thread::sleep(std::time::Duration::from_millis(2300));
    let args = ["--format", "concise", "."];
    assert_eq!(p.same_grouped(&args).0, (0, 3));
    assert_eq!(p.same_grouped(&args).0, (3, 3), "b now known from the memo");
    // a changes: its group runs and needs b's declarations (b.M is a map), which this run
    // did not read.
    p.write(
        "a/a.go",
        "package a\n\nimport \"example.com/m/b\"\n\nfunc F(k int) {\n\tvar m b.M\n\tm[k] = 2\n}\n",
    );
    let (r, out) = p.same_grouped(&args);
    assert_eq!(r, (2, 3));
    assert!(out.contains("a/a.go:7:2: MV001"), "{out}");
}
