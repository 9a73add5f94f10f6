//! Property test: parsing never panics, whatever the input.
//!
//! Takes real Go files (from `$(go env GOROOT)/src` when Go is installed, plus inline snippets so
//! that the test never runs on nothing), applies deterministic pseudo-random mutations (deleted,
//! duplicated and swapped ranges, inserted delimiters / quotes / comment openers / NUL / 0xFF,
//! truncation, 200k nested `(`), and checks for every mutant that
//!
//! - `parse_file` does not panic,
//! - every error offset is `<= src.len()` and the errors are sorted by offset,
//! - `dump::dump` of the returned tree does not panic (except for trees nested deeper than the
//!   dump can print in reasonable space: see `DUMP_DEPTH`).
//!
//! Each mutant runs in its own thread (default 2 MiB stack, like a worker thread of the CLI)
//! named after the mutant, so that even a stack overflow, which aborts the process instead of
//! unwinding, names the input that caused it. A panicking mutant is reported with its seed file,
//! mutant number and mutations, and written to `CARGO_TARGET_TMPDIR` for reproduction.
//!
//! Everything is deterministic: the PRNG (xorshift64*) of mutant `i` of seed file `f` is seeded
//! from a constant, the file's name and `i`.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use mapvet_syntax::{parse_file, Bump};

/// Mutants per seed file when GOROOT is found; more per seed when only the inline snippets are
/// available, so that the total stays in the thousands either way.
const MUTANTS_PER_SEED: usize = 64;
const MIN_TOTAL_MUTANTS: usize = 2000;
/// Soft time budget: stop generating mutants past it (the test must stay well under 30 s even on
/// a loaded machine). Hitting it is reported on stderr.
const TIME_BUDGET: Duration = Duration::from_secs(20);
/// Seed files larger than this are skipped (keeps the run time bounded).
const MAX_SEED_LEN: usize = 256 * 1024;
/// Nesting depth of the deep-nesting inputs: twice go/parser's limit (100_000).
const DEEP: usize = 200_000;
/// The canonical dump indents each line by its depth, so a tree `d` levels deep dumps to ~d²
/// bytes: 10 GB at the parser's nesting limit. So the deep-nesting test dumps its shapes at this
/// depth only (deep enough to catch a dump that is not stack-safe on a 2 MiB thread), and mutants
/// that got the 200k-paren mutation are parsed but not dumped.
const DUMP_DEPTH: usize = 5_000;
const BASE_SEED: u64 = 0x6d61_7076_6574_2121; // "mapvet!!"

// ---------------------------------------------------------------------------------------------
// PRNG

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 once, so that nearby seeds give unrelated streams; never zero.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform-ish in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next() % den < num
    }
    /// A range length: mostly short, sometimes long.
    fn len_in(&mut self, max: usize) -> usize {
        if max == 0 {
            return 0;
        }
        let cap = match self.below(20) {
            0 => max,              // 5%: up to everything
            1..=5 => max.min(512), // 25%
            _ => max.min(16),      // 70%
        };
        1 + self.below(cap)
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// Byte sequences worth inserting: unbalanced delimiters, quote and comment openers, NUL, 0xFF,
/// broken UTF-8, a BOM, operators and keywords that change the statement structure.
#[rustfmt::skip]
const INTERESTING: &[&[u8]] = &[
    b"{", b"}", b"(", b")", b"[", b"]", b"\"", b"`", b"'", b"/*", b"*/", b"//", b"\0", b"\xff",
    b"\xc3", b"\xe2\x82", b"\xef\xbb\xbf", b"\xc3\xa9", b"\n", b"\r", b";", b",", b":", b":=",
    b"...", b".", b"<-", b"~", b"\\", b"0x", b"0b1_", b"1e", b"1.5i", b"'\\", b"\"\\", b"func",
    b"func(", b"type", b"interface{", b"struct{", b"map[", b"chan", b"go ", b"defer ", b"return",
    b"case", b"default:", b"select{", b"switch", b"for", b"range", b"if", b"else", b"package",
    b"import", b"[T any]", b"goto", b"fallthrough", b"_", b"&^=", b"<<=", b"!", b"&&", b"|",
];

fn insert_bytes(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..1 + rng.below(4) {
        if rng.chance(1, 5) {
            out.push(rng.next() as u8); // any byte
        } else {
            out.extend_from_slice(INTERESTING[rng.below(INTERESTING.len())]);
        }
    }
    out
}

/// Up to 24 bytes of `bytes`, escaped as in a Rust byte string.
fn show(bytes: &[u8]) -> String {
    let shown: String = bytes[..bytes.len().min(24)]
        .iter()
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect();
    let more = if bytes.len() > 24 { "..." } else { "" };
    format!("b\"{shown}\"{more}")
}

/// Applies one random mutation to `src` and describes it in `log`. Returns false when the result
/// may be nested too deeply to dump (see `DUMP_DEPTH`).
fn mutate_once(rng: &mut Rng, src: &mut Vec<u8>, log: &mut String) -> bool {
    let n = src.len();
    // 1 in 256 mutations nests 200k `(` (deep recursion); the other kinds share the rest.
    if rng.chance(1, 256) {
        let at = rng.below(n + 1);
        src.splice(at..at, vec![b'('; DEEP]);
        let _ = write!(log, " [repeat '(' x{DEEP} @{at}]");
        return false;
    }
    match rng.below(6) {
        0 if n > 0 => {
            let start = rng.below(n);
            let len = rng.len_in(n - start);
            src.drain(start..start + len);
            let _ = write!(log, " [delete {start}..{}]", start + len);
        }
        1 if n > 0 => {
            let start = rng.below(n);
            let len = rng.len_in(n - start);
            let at = rng.below(n + 1);
            let piece = src[start..start + len].to_vec();
            src.splice(at..at, piece);
            let _ = write!(log, " [duplicate {start}..{} @{at}]", start + len);
        }
        3 if n > 1 => {
            // Swap two non-overlapping ranges a < b.
            let a_start = rng.below(n - 1);
            let a_end = a_start + rng.len_in(n - 1 - a_start);
            let b_start = a_end + rng.below(n - a_end);
            let b_end = b_start + rng.len_in(n - b_start);
            let mut out = Vec::with_capacity(n);
            out.extend_from_slice(&src[..a_start]);
            out.extend_from_slice(&src[b_start..b_end]);
            out.extend_from_slice(&src[a_end..b_start]);
            out.extend_from_slice(&src[a_start..a_end]);
            out.extend_from_slice(&src[b_end..]);
            *src = out;
            let _ = write!(log, " [swap {a_start}..{a_end} <-> {b_start}..{b_end}]");
        }
        4 if n > 0 => {
            let at = rng.below(n);
            src.truncate(at);
            let _ = write!(log, " [truncate @{at}]");
        }
        _ => {
            let at = rng.below(n + 1);
            let bytes = insert_bytes(rng);
            let _ = write!(log, " [insert {} @{at}]", show(&bytes));
            src.splice(at..at, bytes);
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Checking one input

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook that, on threads running a mutant, records the panic message instead of printing
/// it (thousands of identical panics would drown the report); elsewhere it defers to the default.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                CAPTURED.with(|c| *c.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Parses `src` and, if `dump`, dumps the tree; `Err` describes the first violated property.
fn check_input(src: &[u8], dump: bool) -> Result<(), String> {
    CAPTURING.with(|c| c.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let arena = Bump::new();
        let parsed = parse_file(&arena, src);
        let mut problem = None;
        let mut prev = 0u32;
        for e in &parsed.errors {
            if e.offset as usize > src.len() {
                problem = Some(format!(
                    "error offset {} > src.len() {} ({:?})",
                    e.offset,
                    src.len(),
                    e.msg
                ));
                break;
            }
            if e.offset < prev {
                problem = Some(format!(
                    "errors not sorted by offset: {} after {prev} ({:?})",
                    e.offset, e.msg
                ));
                break;
            }
            prev = e.offset;
        }
        if problem.is_none() {
            // The declarations-only parse must survive the same inputs.
            let arena = Bump::new();
            let decls = mapvet_syntax::parse_file_decls(&arena, src);
            if let Some(e) = decls.errors.iter().find(|e| e.offset as usize > src.len()) {
                problem = Some(format!(
                    "parse_file_decls: error offset {} > src.len()",
                    e.offset
                ));
            }
        }
        if problem.is_none() && dump {
            let dumped = catch_unwind(AssertUnwindSafe(|| {
                std::hint::black_box(mapvet_syntax::dump::dump(parsed.file, src));
            }));
            if dumped.is_err() {
                problem = Some(format!("dump panicked: {}", take_captured()));
            }
        }
        problem
    }));
    CAPTURING.with(|c| c.set(false));
    match result {
        Ok(None) => Ok(()),
        Ok(Some(problem)) => Err(problem),
        Err(_) => Err(format!("parse_file panicked: {}", take_captured())),
    }
}

fn take_captured() -> String {
    CAPTURED
        .with(|c| c.borrow_mut().take())
        .unwrap_or_else(|| "<no message>".to_string())
}

/// Runs `check_input` on a fresh thread named `name` (visible in a stack-overflow abort).
fn check_on_thread(name: &str, src: &[u8], dump: bool) -> Result<(), String> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn_scoped(s, || check_input(src, dump))
            .expect("spawn mutant thread")
            .join()
            .unwrap_or_else(|_| Err("thread died".to_string()))
    })
}

struct Failure {
    name: String,
    problem: String,
    input: Vec<u8>,
}

/// Writes the failing input next to the test binary and builds the report.
fn report(failures: &[Failure], total: usize) -> String {
    let first = &failures[0];
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutate-failure.go");
    let saved = match std::fs::write(&path, &first.input) {
        Ok(()) => format!("input written to {}", path.display()),
        Err(e) => format!("could not write the input to {}: {e}", path.display()),
    };
    let mut msg = format!(
        "{} of {total} inputs violate the parser's properties.\nfirst: {}\n  {}\n  {saved} ({} bytes)\n",
        failures.len(),
        first.name,
        first.problem,
        first.input.len()
    );
    for f in failures.iter().skip(1).take(9) {
        let _ = writeln!(msg, "also: {}\n  {}", f.name, f.problem);
    }
    msg
}

// ---------------------------------------------------------------------------------------------
// Seeds

const SNIPPETS: &[(&str, &str)] = &[
    (
        "snippet:hello",
        "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello, world\")\n}\n",
    ),
    (
        "snippet:generics",
        r#"package p

type Number interface {
	~int | ~int64 | ~float64
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func Sum[T Number](xs ...T) (s T) {
	for _, x := range xs {
		s += x
	}
	return
}

func Map[S ~[]E, E, R any](s S, f func(E) R) []R {
	out := make([]R, 0, len(s))
	for i := range s {
		out = append(out, f(s[i]))
	}
	return out
}

var _ = Sum[int](1, 2, 3)
var _ = Pair[string, []map[int]chan<- *Pair[int, int]]{Key: "k"}
"#,
    ),
    (
        "snippet:statements",
        r#"package p

import (
	"context"
	"errors"
	"sync"
)

const (
	a = iota << 1
	b
	c = "raw `x`"
)

type T struct {
	mu sync.Mutex
	m  map[string][]int `json:"m,omitempty"`
	f  func(int, ...string) (bool, error)
}

func (t *T) Run(ctx context.Context, ch <-chan int, out chan<- []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("panic")
		}
	}()
	t.mu.Lock()
	defer t.mu.Unlock()
outer:
	for i := 0; i < 10; i++ {
		select {
		case v, ok := <-ch:
			if !ok {
				break outer
			}
			switch x := any(v).(type) {
			case int, int64:
				_ = x
				fallthrough
			default:
				continue outer
			}
		case out <- []byte{'a', '\n', 0x7f}:
		case <-ctx.Done():
			return ctx.Err()
		default:
			goto end
		}
	}
end:
	go func(x float64) { _ = x * 1e-3 / 0x1p4 }(1.5i)
	var arr [4]int
	s := arr[1:3:4]
	s[0] &^= 3
	t.m["k"] = append(t.m["k"], s...)
	/* block
	   comment */
	return nil // line comment
}
"#,
    ),
    (
        "snippet:types",
        "package p\n\ntype (\n\tI interface {\n\t\tM(int) string\n\t\tfmt.Stringer\n\t}\n\tF func() func() []*[3]chan int\n\tA = map[[2]string]struct{ x, y int }\n)\n\nvar x, y = 1, 2\nvar z = struct{}{}\nvar w = [...]string{2: \"c\", 0: \"a\"}\n",
    ),
    (
        "snippet:composite",
        "package p\n\nfunc f() {\n\tif x := (T{}); x.a {\n\t}\n\tfor k, v := range map[string]int{\"a\": 1} {\n\t\t_, _ = k, v\n\t}\n\tfor range 10 {\n\t}\n\tp := &struct{ a []int }{a: []int{1, 2}}\n\tp.a[0]++\n\tvar f = func(a, b int) int { return a &^ b << 2 }\n\t_ = f\n}\n",
    ),
];

/// `GOROOT`, from the environment or `go env GOROOT`, if it has a `src` directory.
fn goroot() -> Option<PathBuf> {
    let from_env = std::env::var_os("GOROOT").map(PathBuf::from);
    let from_go = || {
        let out = std::process::Command::new("go")
            .args(["env", "GOROOT"])
            .output()
            .ok()?;
        let s = String::from_utf8(out.stdout).ok()?;
        let s = s.trim();
        (!s.is_empty()).then(|| PathBuf::from(s))
    };
    from_env
        .filter(|p| p.join("src").is_dir())
        .or_else(|| from_go().filter(|p| p.join("src").is_dir()))
}

/// Real Go files: a few packages of the standard library and go/parser's test data.
fn goroot_seeds(goroot: &Path) -> Vec<(String, Vec<u8>)> {
    let src = goroot.join("src");
    let dirs = [
        "go/parser",
        "go/parser/testdata",
        "go/ast",
        "go/scanner",
        "fmt",
    ];
    let mut paths = Vec::new();
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(src.join(d)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "go" | "src" | "go2") && p.is_file() {
                paths.push(p);
            }
        }
    }
    paths.push(src.join("net/http/server.go"));
    paths.sort();
    let mut seeds = Vec::new();
    for p in paths {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        if bytes.len() <= MAX_SEED_LEN {
            let name = p.strip_prefix(goroot).unwrap_or(&p).display().to_string();
            seeds.push((name, bytes));
        }
    }
    seeds
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds: Vec<(String, Vec<u8>)> = SNIPPETS
        .iter()
        .map(|(n, s)| (n.to_string(), s.as_bytes().to_vec()))
        .collect();
    match goroot() {
        Some(g) => seeds.extend(goroot_seeds(&g)),
        None => eprintln!("mutate: GOROOT not found, mutating the inline snippets only"),
    }
    seeds
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn seeds_parse_without_panic() {
    install_panic_hook();
    let seeds = seeds();
    assert!(!seeds.is_empty());
    let failures: Vec<Failure> = seeds
        .iter()
        .filter_map(|(name, src)| {
            let name = format!("seed {name}");
            check_on_thread(&name, src, true)
                .err()
                .map(|problem| Failure {
                    name,
                    problem,
                    input: src.clone(),
                })
        })
        .collect();
    if !failures.is_empty() {
        panic!("{}", report(&failures, seeds.len()));
    }
    // The inline snippets are valid Go: they must parse without errors.
    for (name, src) in SNIPPETS {
        let arena = Bump::new();
        let parsed = parse_file(&arena, src.as_bytes());
        let errors: Vec<String> = parsed
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.offset, e.msg))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn mutants_never_panic() {
    install_panic_hook();
    let seeds = seeds();
    let per_seed = MUTANTS_PER_SEED.max(MIN_TOTAL_MUTANTS.div_ceil(seeds.len()));
    let start = Instant::now();
    let mut total = 0usize;
    let mut total_bytes = 0usize;
    let mut slowest = (Duration::ZERO, String::new());
    let mut failures = Vec::new();
    'seeds: for (name, src) in &seeds {
        let file_seed = BASE_SEED ^ fnv1a(name.as_bytes());
        for i in 0..per_seed {
            if start.elapsed() > TIME_BUDGET {
                use std::io::Write as _;
                // Straight to the process's stderr: the harness does not capture this.
                let _ = writeln!(
                    std::io::stderr(),
                    "mutate: time budget of {TIME_BUDGET:?} reached after {total} mutants \
                     (slowest: {:?} for {}): is the parser slow on some input?",
                    slowest.0,
                    slowest.1
                );
                break 'seeds;
            }
            let mut rng = Rng::new(file_seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut input = src.clone();
            let mut log = format!("mutant {name} #{i}:");
            let mut dump = true;
            for _ in 0..1 + rng.below(3) {
                dump &= mutate_once(&mut rng, &mut input, &mut log);
            }
            let t = Instant::now();
            let outcome = check_on_thread(&log, &input, dump);
            let took = t.elapsed();
            if took > slowest.0 {
                slowest = (took, log.clone());
            }
            total += 1;
            total_bytes += input.len();
            if let Err(problem) = outcome {
                failures.push(Failure {
                    name: log,
                    problem,
                    input,
                });
                if failures.len() >= 50 {
                    break 'seeds;
                }
            }
        }
    }
    eprintln!(
        "mutate: {total} mutants of {} seeds, {:.1} MB, {:.2?}; slowest {:.2?}: {}",
        seeds.len(),
        total_bytes as f64 / 1e6,
        start.elapsed(),
        slowest.0,
        slowest.1
    );
    if !failures.is_empty() {
        panic!("{}", report(&failures, total));
    }
    assert!(total >= 1000, "only {total} mutants ran");
}

/// Deep nesting of every kind of bracket, prefix, postfix and binary chain. At `DEEP` (200k,
/// twice go/parser's limit) parsing must report errors or return a tree without overflowing the
/// stack; at `DUMP_DEPTH` the tree must also dump without overflowing.
#[test]
fn deep_nesting_never_panics() {
    install_panic_hook();
    let shapes: &[(&str, &str, &str, &str)] = &[
        // (what, prefix, repeated, suffix)
        ("open parens", "package p\nvar x = ", "(", ""),
        ("balanced parens", "package p\nvar x = ", "(", "1"),
        ("parens at file start", "", "(", ""),
        ("open brackets", "package p\nvar x = ", "[", ""),
        ("open braces", "package p\nfunc f() ", "{", ""),
        ("slice types", "package p\ntype T ", "[]", "int\n"),
        ("array types", "package p\ntype T ", "[1]", "int\n"),
        ("pointer types", "package p\ntype T ", "*", "int\n"),
        ("chan types", "package p\ntype T ", "chan ", "int\n"),
        ("map types", "package p\ntype T ", "map[int]", "int\n"),
        ("func types", "package p\ntype T ", "func(", ""),
        ("struct types", "package p\ntype T ", "struct{ f ", ""),
        ("unary minus", "package p\nvar x = ", "-", "1\n"),
        ("receive", "package p\nvar x = ", "<-", "c\n"),
        ("binary chain", "package p\nvar x = ", "1+", "1\n"),
        ("selector chain", "package p\nvar x = a", ".b", "\n"),
        ("call chain", "package p\nvar x = f", "()", "\n"),
        ("index chain", "package p\nvar x = a", "[0]", "\n"),
        ("calls", "package p\nvar x = ", "f(", ""),
        ("composite literals", "package p\nvar x = ", "T{", ""),
        ("func literals", "package p\nvar x = ", "func(){", ""),
        ("if statements", "package p\nfunc f() {\n", "if x {\n", ""),
        ("labels", "package p\nfunc f() {\n", "L: ", "\n"),
    ];
    let mut failures = Vec::new();
    let mut total = 0;
    for &(what, prefix, repeated, suffix) in shapes {
        for (depth, dump) in [(DEEP, false), (DUMP_DEPTH, true)] {
            let mut src = String::from(prefix);
            src.push_str(&repeated.repeat(depth));
            src.push_str(suffix);
            if what == "balanced parens" {
                src.push_str(&")".repeat(depth));
                src.push('\n');
            }
            let name = format!("deep nesting: {what} x{depth}");
            total += 1;
            if let Err(problem) = check_on_thread(&name, src.as_bytes(), dump) {
                failures.push(Failure {
                    name,
                    problem,
                    input: src.into_bytes(),
                });
            }
        }
    }
    if !failures.is_empty() {
        panic!("{}", report(&failures, total));
    }
}
