//! `parsebench`: single-thread parse throughput of mapvet's parser or tree-sitter-go.
//!
//! ```text
//! parsebench --parser mapvet|treesitter [-n N] PATH...
//! ```
//!
//! Collects every `*.go` file under the given paths exactly as `tools/goparse bench` does
//! (recursively, symlinked directories below an argument not followed, sorted byte-wise), loads
//! them all into memory, then parses the whole set N times (default 3) on the current thread and
//! prints the best pass:
//!
//! ```text
//! parser P files F bytes B best_seconds S mb_per_s X
//! ```
//!
//! MB is 10^6 bytes. Only parsing is timed: reading the files is not. For mapvet one arena is
//! reused and `reset()` between files, as the CLI does; for tree-sitter one `Parser` is reused and
//! each tree is dropped after its file. A note with the number of files that had syntax errors
//! goes to stderr (a sanity check that both parsers saw real Go).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Mapvet,
    TreeSitter,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Mapvet => "mapvet",
            Which::TreeSitter => "treesitter",
        }
    }
}

const USAGE: &str = "usage: parsebench --parser mapvet|treesitter [-n N] PATH...";

fn main() -> ExitCode {
    let mut which = None;
    let mut passes: usize = 3;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--parser" | "-p" => match args.next().as_deref() {
                Some("mapvet") => which = Some(Which::Mapvet),
                Some("treesitter") | Some("tree-sitter") => which = Some(Which::TreeSitter),
                other => return usage_error(&format!("unknown parser {other:?}")),
            },
            "-n" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => passes = n,
                _ => return usage_error("-n needs a positive integer"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if arg.starts_with('-') && arg.len() > 1 => {
                return usage_error(&format!("unknown flag {arg}"))
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let Some(which) = which else {
        return usage_error("--parser is required");
    };
    if paths.is_empty() {
        return usage_error("no PATH given");
    }

    let mut files = Vec::new();
    for p in &paths {
        if let Err(e) = collect_go_files(p, &mut files) {
            eprintln!("parsebench: {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    // Byte-wise order, like goparse's sort.Strings: same files, same order.
    files.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    let mut sources = Vec::with_capacity(files.len());
    for f in &files {
        match std::fs::read(f) {
            Ok(src) => sources.push(src),
            Err(e) => {
                eprintln!("parsebench: {}: {e}", f.display());
                return ExitCode::from(2);
            }
        }
    }
    if sources.is_empty() {
        eprintln!("parsebench: no .go files found");
        return ExitCode::from(2);
    }
    let bytes: usize = sources.iter().map(Vec::len).sum();

    let mut best = Duration::MAX;
    let mut files_with_errors = 0;
    for _ in 0..passes {
        let (elapsed, errs) = match which {
            Which::Mapvet => pass_mapvet(&sources),
            Which::TreeSitter => pass_treesitter(&sources),
        };
        best = best.min(elapsed);
        files_with_errors = errs;
    }
    let secs = best.as_secs_f64();
    let mbps = bytes as f64 / 1e6 / secs;
    eprintln!(
        "note: {}: {files_with_errors} of {} files have syntax errors",
        which.name(),
        sources.len()
    );
    println!(
        "parser {} files {} bytes {} best_seconds {:.6} mb_per_s {:.2}",
        which.name(),
        sources.len(),
        bytes,
        secs,
        mbps
    );
    ExitCode::SUCCESS
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("parsebench: {msg}\n{USAGE}");
    ExitCode::from(2)
}

/// One timed pass over every file with mapvet's parser. Returns the time and the number of files
/// with at least one syntax error.
fn pass_mapvet(sources: &[Vec<u8>]) -> (Duration, usize) {
    let mut arena = mapvet_syntax::Bump::new();
    let mut with_errors = 0;
    let start = Instant::now();
    for src in sources {
        {
            let parsed = mapvet_syntax::parse_file(&arena, black_box(src));
            with_errors += usize::from(!parsed.errors.is_empty());
            black_box(&parsed.file);
            black_box(&parsed.comments);
        }
        arena.reset();
    }
    (start.elapsed(), with_errors)
}

/// One timed pass over every file with tree-sitter-go, reusing one `Parser`.
fn pass_treesitter(sources: &[Vec<u8>]) -> (Duration, usize) {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_go::LANGUAGE.into())
        .expect("tree-sitter-go grammar ABI is incompatible with this tree-sitter version");
    let mut with_errors = 0;
    let start = Instant::now();
    for src in sources {
        let tree = parser
            .parse(black_box(src), None)
            .expect("tree-sitter returned no tree (no language, timeout or cancellation)");
        with_errors += usize::from(tree.root_node().has_error());
        black_box(&tree);
        // The tree is dropped (freed) here, inside the timed loop, just as mapvet's arena reset is.
    }
    (start.elapsed(), with_errors)
}

/// Appends every `*.go` file under `path` (or `path` itself, whatever its name, if it is a file).
/// A symlinked argument is followed; symlinks below it are not (as `goparse` collects files).
fn collect_go_files(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        walk_dir(path, out)
    } else {
        out.push(path.to_path_buf());
        Ok(())
    }
}

fn walk_dir(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ty = entry.file_type()?; // does not follow symlinks
        let p = entry.path();
        if ty.is_dir() {
            walk_dir(&p, out)?;
        } else if p.as_os_str().as_encoded_bytes().ends_with(b".go") {
            if ty.is_symlink() && std::fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
                continue; // symlinked directory named *.go: not followed
            }
            out.push(p);
        }
    }
    Ok(())
}
