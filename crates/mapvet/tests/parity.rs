//! Parity with go/parser, through the oracle in `tools/goparse` (see docs/AST_DUMP.md):
//! - accept/reject sets of `mapvet debug parse` vs `goparse check` on GOROOT/src and GOROOT/test;
//! - canonical AST dump hashes of `mapvet debug ast --hash` vs `goparse hash` on every accepted
//!   file of GOROOT/src and GOROOT/test.
//!
//! Needs Go on PATH; without it the tests print a note and pass, except when `CI` is set.

mod goenv;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const MAPVET: &str = env!("CARGO_BIN_EXE_mapvet");

struct Oracle {
    goroot: PathBuf,
    goparse: PathBuf,
}

/// Finds GOROOT and builds the oracle once (None when Go is not installed).
fn oracle() -> Option<&'static Oracle> {
    static ORACLE: OnceLock<Option<Oracle>> = OnceLock::new();
    ORACLE
        .get_or_init(|| {
            let goroot = goenv::goroot("parity tests")?;
            Some(Oracle {
                goroot,
                goparse: goenv::build_tool("goparse"),
            })
        })
        .as_ref()
}

fn cmd(program: &Path, args: &[&str], path: &Path) -> Command {
    let mut c = Command::new(program);
    c.args(args).arg(path);
    c
}

/// Runs the go/parser side and the mapvet side concurrently; returns (go, mapvet).
fn run_both(mut go: Command, mut mv: Command) -> (Output, Output) {
    std::thread::scope(|s| {
        let g = s.spawn(move || go.output().expect("running goparse"));
        let m = s.spawn(move || mv.output().expect("running mapvet"));
        (g.join().unwrap(), m.join().unwrap())
    })
}

struct Check {
    files: u64,
    bytes: u64,
    nrej: u64,                          // `rejected M` of the summary line
    rejected: BTreeMap<String, String>, // path -> message
}

/// Parses `REJECT <path>: <msg>` lines and the final `files N rejected M bytes B` line.
/// The exit status is not checked (a rejecting run may exit non-zero) but the summary is required.
fn parse_check(who: &str, o: &Output) -> Check {
    let out = String::from_utf8_lossy(&o.stdout);
    let mut rejected = BTreeMap::new();
    let mut summary = None;
    for line in out.lines() {
        if let Some(rest) = line.strip_prefix("REJECT ") {
            let (path, msg) = rest.split_once(": ").unwrap_or((rest, ""));
            rejected.insert(path.to_string(), msg.to_string());
        } else if line.starts_with("files ") {
            let w: Vec<&str> = line.split_whitespace().collect();
            let num = |i: usize| w.get(i).and_then(|s| s.parse::<u64>().ok());
            summary = Some((num(1), num(3), num(5)));
        }
    }
    let Some((Some(files), Some(nrej), Some(bytes))) = summary else {
        panic!(
            "{who}: no `files N rejected M bytes B` line (status {}); stderr:\n{}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        )
    };
    Check {
        files,
        bytes,
        nrej,
        rejected,
    }
}

fn accept_reject(sub: &str) {
    let Some(o) = oracle() else { return };
    let root = o.goroot.join(sub);
    let (g, m) = run_both(
        cmd(&o.goparse, &["check"], &root),
        cmd(Path::new(MAPVET), &["debug", "parse"], &root),
    );
    let g = parse_check("goparse check", &g);
    let m = parse_check("mapvet debug parse", &m);
    println!(
        "{}: go/parser files {} rejected {} bytes {}; mapvet files {} rejected {} bytes {}",
        root.display(),
        g.files,
        g.rejected.len(),
        g.bytes,
        m.files,
        m.rejected.len(),
        m.bytes
    );
    let paths: BTreeSet<&String> = g.rejected.keys().chain(m.rejected.keys()).collect();
    let mut mismatches = 0;
    for p in paths {
        match (g.rejected.get(p), m.rejected.get(p)) {
            (Some(gm), None) => {
                println!("MISMATCH {p}\n  go/parser rejects: {gm}\n  mapvet accepts")
            }
            (None, Some(mm)) => {
                println!("MISMATCH {p}\n  go/parser accepts\n  mapvet rejects: {mm}")
            }
            _ => continue,
        }
        mismatches += 1;
    }
    for (who, c) in [("goparse", &g), ("mapvet", &m)] {
        assert_eq!(
            c.nrej as usize,
            c.rejected.len(),
            "{who}: summary `rejected` vs REJECT lines"
        );
    }
    assert_eq!(
        g.files, m.files,
        "file counts differ (go/parser {}, mapvet {})",
        g.files, m.files
    );
    assert!(
        mismatches == 0,
        "{mismatches} accept/reject mismatches under {} (0 required)",
        root.display()
    );
}

#[test]
fn parity_accept_reject_goroot_src() {
    accept_reject("src");
}

#[test]
fn parity_accept_reject_goroot_test() {
    accept_reject("test");
}

fn parse_hashes(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(p, h)| (p.to_string(), h.to_string()))
        .collect()
}

/// Prints the first differing line of the two dumps of `path`, with context.
fn show_dump_diff(o: &Oracle, path: &str) {
    let (g, m) = run_both(
        cmd(&o.goparse, &["dump"], Path::new(path)),
        cmd(Path::new(MAPVET), &["debug", "ast"], Path::new(path)),
    );
    let (g, m) = (
        goenv::stdout_ok("goparse dump", &g),
        goenv::stdout_ok("mapvet debug ast", &m),
    );
    let (gl, ml): (Vec<&str>, Vec<&str>) = (g.lines().collect(), m.lines().collect());
    let Some(i) = (0..gl.len().max(ml.len())).find(|&i| gl.get(i) != ml.get(i)) else {
        println!("  dumps are line-identical (difference in line endings or trailing bytes?)");
        return;
    };
    let ctx = i.saturating_sub(3);
    println!("  first difference at dump line {}:", i + 1);
    for (who, lines) in [("go/parser", &gl), ("mapvet", &ml)] {
        println!("  --- {who}");
        for (n, l) in lines.iter().enumerate().skip(ctx).take(i - ctx + 3) {
            println!("  {}{:>6} {l}", if n == i { ">" } else { " " }, n + 1);
        }
        if i >= lines.len() {
            println!("  >{:>6} <end of dump>", i + 1);
        }
    }
}

#[test]
fn parity_ast_dump_goroot_src() {
    ast_dump("src");
}

#[test]
fn parity_ast_dump_goroot_test() {
    ast_dump("test");
}

fn ast_dump(sub: &str) {
    let Some(o) = oracle() else { return };
    let root = o.goroot.join(sub);
    let (g, m) = run_both(
        cmd(&o.goparse, &["hash"], &root),
        cmd(Path::new(MAPVET), &["debug", "ast", "--hash"], &root),
    );
    let g = parse_hashes(&goenv::stdout_ok("goparse hash", &g));
    let m = parse_hashes(&goenv::stdout_ok("mapvet debug ast --hash", &m));
    let paths: BTreeSet<&String> = g.keys().chain(m.keys()).collect();
    let mut bad = Vec::new();
    for p in &paths {
        let (gh, mh) = (g.get(*p), m.get(*p));
        if gh != mh {
            bad.push((*p, gh, mh));
        }
    }
    println!(
        "parity_ast_dump {sub}: {} files compared (go/parser hashed {}, mapvet hashed {}), {} mismatches",
        paths.len(),
        g.len(),
        m.len(),
        bad.len()
    );
    let mut diffed = 0;
    for (p, gh, mh) in &bad {
        let fmt = |h: Option<&String>| {
            h.map_or("(no hash: rejected or not found)".to_string(), |h| {
                h.clone()
            })
        };
        println!("MISMATCH {p}: go/parser {} mapvet {}", fmt(*gh), fmt(*mh));
        if diffed < 10 && gh.is_some() && mh.is_some() {
            diffed += 1;
            show_dump_diff(o, p);
        }
    }
    assert!(
        bad.is_empty(),
        "{} files with differing AST dumps (0 required)",
        bad.len()
    );
}
