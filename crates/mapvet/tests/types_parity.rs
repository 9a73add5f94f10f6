//! Parity with go/types on map identifiers, through the oracle in `tools/gotypes`:
//! `mapvet debug map-idents --tests=false .` vs `gotypes map-idents .` (both with
//! CGO_ENABLED=0), lines `relpath:line:col map|ptrmap NAME`.
//! - `types_parity_goroot_src`: on `$(go env GOROOT)/src`, restricted to the files go/types
//!   checks without error (the oracle's `FILE` lines); precision and recall must be ≥ 0.995.
//! - `types_parity_fixture`: on the hand-made package `tests/fixtures/mapidents` (every case
//!   the checker must get right); the two outputs must be identical.
//!
//! Needs Go on PATH; without it the tests print a note and pass, except when `CI` is set.

mod goenv;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const MAPVET: &str = env!("CARGO_BIN_EXE_mapvet");
const MIN_PRECISION: f64 = 0.995;
const MIN_RECALL: f64 = 0.995;
/// How many false positives / negatives / kind mismatches to print.
const SHOW: usize = 40;

struct Oracle {
    goroot: PathBuf,
    gotypes: PathBuf,
}

/// Finds GOROOT and builds the oracle once (None when Go is not installed).
fn oracle() -> Option<&'static Oracle> {
    static ORACLE: OnceLock<Option<Oracle>> = OnceLock::new();
    ORACLE
        .get_or_init(|| {
            let goroot = goenv::goroot("go/types parity tests")?;
            Some(Oracle {
                goroot,
                gotypes: goenv::build_tool("gotypes"),
            })
        })
        .as_ref()
}

/// Runs `gotypes map-idents .` and `mapvet debug map-idents --tests=false .` in `dir`,
/// concurrently, both with CGO_ENABLED=0. Returns ((go output, time), (mapvet output, time)).
fn run_both(o: &Oracle, dir: &Path) -> ((Output, Duration), (Output, Duration)) {
    let mut go = goenv::go_cmd(&o.gotypes);
    go.args(["map-idents", "."]);
    let mut mv = Command::new(MAPVET);
    mv.args(["debug", "map-idents", "--tests=false", "."]);
    for c in [&mut go, &mut mv] {
        c.current_dir(dir).env("CGO_ENABLED", "0");
    }
    let timed = |mut c: Command, who: &str| {
        let t = Instant::now();
        let out = c.output().unwrap_or_else(|e| panic!("running {who}: {e}"));
        (out, t.elapsed())
    };
    std::thread::scope(|s| {
        let g = s.spawn(|| timed(go, "gotypes"));
        let m = s.spawn(|| timed(mv, "mapvet"));
        (g.join().unwrap(), m.join().unwrap())
    })
}

/// One identifier line, split; ordered like the tools print (path bytes, line, column).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Ident {
    path: String,
    line: u32,
    col: u32,
    kind: String,
    name: String,
}

impl Ident {
    /// Parses `path:line:col kind name`.
    fn parse(line: &str) -> Option<Ident> {
        let mut words = line.rsplitn(3, ' ');
        let (name, kind, loc) = (words.next()?, words.next()?, words.next()?);
        let mut parts = loc.rsplitn(3, ':');
        let (col, ln, path) = (parts.next()?, parts.next()?, parts.next()?);
        Some(Ident {
            path: path.to_string(),
            line: ln.parse().ok()?,
            col: col.parse().ok()?,
            kind: kind.to_string(),
            name: name.to_string(),
        })
    }

    /// Everything but the kind.
    fn key(&self) -> (&str, u32, u32, &str) {
        (&self.path, self.line, self.col, &self.name)
    }
}

/// The oracle's `FILE` set and identifier lines.
fn parse_oracle(text: &str) -> (BTreeSet<String>, BTreeSet<Ident>) {
    let mut files = BTreeSet::new();
    let mut idents = BTreeSet::new();
    for line in text.lines() {
        if let Some(f) = line.strip_prefix("FILE ") {
            files.insert(f.to_string());
        } else {
            idents
                .insert(Ident::parse(line).unwrap_or_else(|| panic!("gotypes: bad line {line:?}")));
        }
    }
    (files, idents)
}

fn parse_mapvet(text: &str) -> BTreeSet<Ident> {
    text.lines()
        .map(|line| Ident::parse(line).unwrap_or_else(|| panic!("mapvet: bad line {line:?}")))
        .collect()
}

/// The last non-empty stderr line (the oracle's summary).
fn last_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Source lines for the mismatch listings, files read once.
struct Sources<'a> {
    root: &'a Path,
    files: HashMap<String, Vec<String>>,
}

impl Sources<'_> {
    fn line(&mut self, path: &str, line: u32) -> String {
        let root = self.root;
        let lines = self.files.entry(path.to_string()).or_insert_with(|| {
            std::fs::read(root.join(path))
                .map(|b| {
                    String::from_utf8_lossy(&b)
                        .lines()
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        });
        let text = lines
            .get((line as usize).wrapping_sub(1))
            .map_or("<no such line>", String::as_str);
        text.trim_end().replace('\t', "    ")
    }
}

/// Prints up to SHOW identifiers grouped by file, each with its source line.
fn show(title: &str, items: &[(Ident, Option<&str>)], src: &mut Sources) {
    if items.is_empty() {
        return;
    }
    println!(
        "{title}: {}{}",
        items.len(),
        if items.len() > SHOW {
            format!(" (first {SHOW})")
        } else {
            String::new()
        }
    );
    let mut by_file: BTreeMap<&str, Vec<&(Ident, Option<&str>)>> = BTreeMap::new();
    for it in items.iter().take(SHOW) {
        by_file.entry(&it.0.path).or_default().push(it);
    }
    for (path, its) in by_file {
        println!("  {path}");
        for (id, other_kind) in its {
            let kind = match other_kind {
                Some(k) => format!("{} (go/types: {k})", id.kind),
                None => id.kind.clone(),
            };
            println!(
                "    {}:{} {kind} {}  | {}",
                id.line,
                id.col,
                id.name,
                src.line(&id.path, id.line)
            );
        }
    }
}

struct Comparison {
    common: usize,
    false_pos: usize,
    false_neg: usize,
}

/// Compares the sets and prints the differences: kind mismatches (same identifier, other
/// kind), then the remaining false positives and false negatives.
fn compare(root: &Path, go: &BTreeSet<Ident>, mv: &BTreeSet<Ident>) -> Comparison {
    let common = go.intersection(mv).count();
    let go_kind: HashMap<_, &str> = go.iter().map(|i| (i.key(), i.kind.as_str())).collect();
    let mv_keys: BTreeSet<_> = mv.iter().map(Ident::key).collect();
    let mut kind = Vec::new();
    let mut fps = Vec::new();
    for id in mv.difference(go) {
        match go_kind.get(&id.key()) {
            Some(k) => kind.push((id.clone(), Some(*k))),
            None => fps.push((id.clone(), None)),
        }
    }
    let fns: Vec<_> = go
        .difference(mv)
        .filter(|id| !mv_keys.contains(&id.key()))
        .map(|id| (id.clone(), None))
        .collect();
    let mut src = Sources {
        root,
        files: HashMap::new(),
    };
    show(
        "KIND MISMATCH (mapvet kind, go/types kind)",
        &kind,
        &mut src,
    );
    show("FALSE POSITIVE (mapvet only)", &fps, &mut src);
    show("FALSE NEGATIVE (go/types only)", &fns, &mut src);
    Comparison {
        common,
        false_pos: mv.len() - common,
        false_neg: go.len() - common,
    }
}

#[test]
fn types_parity_goroot_src() {
    let Some(o) = oracle() else { return };
    let root = o.goroot.join("src");
    let ((g, gt), (m, mt)) = run_both(o, &root);
    let (files, go) = parse_oracle(&goenv::stdout_ok("gotypes map-idents", &g));
    let skips = String::from_utf8_lossy(&g.stderr)
        .lines()
        .filter(|l| l.starts_with("SKIP "))
        .count();
    let all = parse_mapvet(&goenv::stdout_ok("mapvet debug map-idents", &m));
    let total = all.len();
    let mv: BTreeSet<Ident> = all
        .into_iter()
        .filter(|i| files.contains(&i.path))
        .collect();
    println!(
        "go/types: {} ({:.1}s, {skips} packages skipped); mapvet: {total} lines, {} in the oracle's {} files ({:.2}s)",
        last_line(&g),
        gt.as_secs_f64(),
        mv.len(),
        files.len(),
        mt.as_secs_f64()
    );
    assert!(
        !files.is_empty() && !go.is_empty(),
        "the oracle checked no file or found no map identifier under {}",
        root.display()
    );
    let c = compare(&root, &go, &mv);
    let precision = ratio(c.common, mv.len());
    let recall = ratio(c.common, go.len());
    println!(
        "map-idents GOROOT/src: precision {precision:.4} recall {recall:.4} \
         (common {}, mapvet {}, go/types {}, false positives {}, false negatives {})",
        c.common,
        mv.len(),
        go.len(),
        c.false_pos,
        c.false_neg
    );
    assert!(
        precision >= MIN_PRECISION && recall >= MIN_RECALL,
        "map-idents parity on GOROOT/src: precision {precision:.4} recall {recall:.4} \
         (≥ {MIN_PRECISION} and ≥ {MIN_RECALL} required)"
    );
}

#[test]
fn types_parity_fixture() {
    let Some(o) = oracle() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mapidents");
    let ((g, _), (m, _)) = run_both(o, &root);
    let (files, go) = parse_oracle(&goenv::stdout_ok("gotypes map-idents", &g));
    let summary = last_line(&g);
    assert!(
        summary.contains(" skipped 0 ") && !files.is_empty(),
        "the oracle must type-check every fixture package: {}",
        String::from_utf8_lossy(&g.stderr)
    );
    let mv = parse_mapvet(&goenv::stdout_ok("mapvet debug map-idents", &m));
    let c = compare(&root, &go, &mv);
    println!(
        "map-idents fixture: go/types {}, mapvet {}, common {}, false positives {}, false negatives {}",
        go.len(),
        mv.len(),
        c.common,
        c.false_pos,
        c.false_neg
    );
    assert!(
        c.false_pos == 0 && c.false_neg == 0,
        "map-idents on tests/fixtures/mapidents differs from go/types \
         ({} false positives, {} false negatives; exact equality required)",
        c.false_pos,
        c.false_neg
    );
}
