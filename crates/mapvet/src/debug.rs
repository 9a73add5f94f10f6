//! `mapvet debug ...`: developer commands used by the parser parity tests.
//!
//! - `debug parse PATH...`: parses every `*.go` under the paths (no skipping, see
//!   [`crate::walk::walk_all`]) and prints `REJECT <path>: <line>:<col>: <first error>` for each
//!   file with syntax errors (`REJECT <path>: <io error>` for unreadable ones), then
//!   `files N rejected M bytes B`.
//! - `debug ast FILE`: prints the canonical dump (docs/AST_DUMP.md) of one file, syntax errors
//!   or not (the errors go to stderr).
//! - `debug ast --hash PATH...`: `<path> <fnv1a64 of the dump, 16 hex digits>` for every file
//!   without syntax errors, same walk as `debug parse`.
//! - `debug map-idents PATH...`: type-checks the packages under the paths and prints
//!   `relpath:line:col map|ptrmap NAME` for every identifier whose object is a variable of map or
//!   pointer-to-map type; the go/types oracle `tools/gotypes map-idents` prints the same lines
//!   (`tests/types_parity.rs`). Paths are relative to the current directory when below it.
//!
//! All print in byte-wise path order whatever the thread count.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use mapvet_syntax::{dump, parse_file, Bump, LineIndex};
use rayon::prelude::*;

use crate::source::{io_message, read_source};
use crate::stats::Stats;
use crate::walk::{walk_all, Entry};
use crate::Failure;

struct Parsed {
    /// The first error (`line:col: msg`) or the I/O error; `None` when the file parses.
    reject: Option<String>,
    /// The dump's hash, when asked for and the file parses.
    hash: Option<u64>,
    bytes: u64,
    lines: u64,
}

fn parse_entry(arena: &mut Bump, entry: &Entry, want_hash: bool) -> Parsed {
    if let Some(msg) = entry.error() {
        return Parsed {
            reject: Some(msg.to_owned()),
            hash: None,
            bytes: 0,
            lines: 0,
        };
    }
    let src = match read_source(&entry.path) {
        Ok(src) => src,
        Err(err) => {
            let msg = format!("cannot read file: {}", io_message(&err));
            return Parsed {
                reject: Some(msg),
                hash: None,
                bytes: 0,
                lines: 0,
            };
        }
    };
    arena.reset();
    let parsed = parse_file(arena, &src);
    let index = LineIndex::new(&src);
    let reject = parsed.errors.first().map(|e| {
        let (line, col) = index.line_col(e.offset);
        format!("{line}:{col}: {}", e.msg)
    });
    let hash = (want_hash && reject.is_none())
        .then(|| dump::fnv1a64(dump::dump(parsed.file, &src).as_bytes()));
    Parsed {
        reject,
        hash,
        bytes: src.len() as u64,
        lines: index.line_count() as u64,
    }
}

fn parse_all(roots: &[PathBuf], want_hash: bool, stats: &mut Stats) -> (Vec<Entry>, Vec<Parsed>) {
    let entries = walk_all(roots);
    stats.phase("walk");
    let results: Vec<Parsed> = entries
        .par_iter()
        .map_init(Bump::new, |arena, e| parse_entry(arena, e, want_hash))
        .collect();
    stats.files = entries.len() as u64;
    stats.bytes = results.iter().map(|r| r.bytes).sum();
    stats.lines = results.iter().map(|r| r.lines).sum();
    stats.phase("read+parse");
    (entries, results)
}

/// `mapvet debug parse PATH...`. Always succeeds (exit 0) unless stdout fails.
pub fn parse(roots: &[PathBuf], out: &mut dyn Write, stats: &mut Stats) -> Result<(), Failure> {
    let (entries, results) = parse_all(roots, false, stats);
    let mut rejected = 0;
    for (entry, result) in entries.iter().zip(&results) {
        if let Some(reject) = &result.reject {
            rejected += 1;
            writeln!(out, "REJECT {}: {reject}", entry.display)?;
        }
    }
    writeln!(
        out,
        "files {} rejected {rejected} bytes {}",
        entries.len(),
        stats.bytes
    )?;
    out.flush()?;
    stats.phase("output");
    Ok(())
}

/// `mapvet debug ast --hash PATH...`.
pub fn ast_hashes(
    roots: &[PathBuf],
    out: &mut dyn Write,
    stats: &mut Stats,
) -> Result<(), Failure> {
    let (entries, results) = parse_all(roots, true, stats);
    for (entry, result) in entries.iter().zip(&results) {
        if let Some(hash) = result.hash {
            writeln!(out, "{} {hash:016x}", entry.display)?;
        }
    }
    out.flush()?;
    stats.phase("output");
    Ok(())
}

/// `mapvet debug ast FILE`: the dump on stdout, syntax errors (if any) on stderr.
pub fn ast(file: &Path, out: &mut dyn Write, stats: &mut Stats) -> Result<(), Failure> {
    let src = read_source(file).map_err(|e| {
        Failure::Usage(format!(
            "cannot read '{}': {}",
            file.display(),
            io_message(&e)
        ))
    })?;
    stats.files = 1;
    stats.bytes = src.len() as u64;
    stats.phase("read");
    let arena = Bump::new();
    let parsed = parse_file(&arena, &src);
    let index = LineIndex::new(&src);
    stats.lines = index.line_count() as u64;
    let text = dump::dump(parsed.file, &src);
    stats.phase("parse+dump");
    for e in &parsed.errors {
        let (line, col) = index.line_col(e.offset);
        eprintln!("{}:{line}:{col}: {}", file.display(), e.msg);
    }
    out.write_all(text.as_bytes())?;
    out.flush()?;
    stats.phase("output");
    Ok(())
}

/// `mapvet debug map-idents PATH...`: one `relpath:line:col map|ptrmap NAME` line per map
/// identifier, sorted by (path bytes, line, column), without duplicates.
pub fn map_idents(
    roots: &[PathBuf],
    ctx: &mapvet_semantic::load::BuildContext,
    out: &mut dyn Write,
    stats: &mut Stats,
) -> Result<(), Failure> {
    for root in roots {
        std::fs::metadata(root).map_err(|e| {
            Failure::Usage(format!(
                "cannot read '{}': {}",
                root.display(),
                io_message(&e)
            ))
        })?;
    }
    let idents = mapvet_semantic::map_idents(roots, ctx);
    stats.phase("load+check");
    let cwd = std::env::current_dir().ok();
    let mut lines: Vec<(String, u32, u32, String)> = idents
        .into_iter()
        .map(|id| {
            let path = relative_display(&id.path, cwd.as_deref());
            (path, id.line, id.col, format!("{} {}", id.kind, id.name))
        })
        .collect();
    lines.sort_unstable();
    lines.dedup();
    for (path, line, col, rest) in &lines {
        writeln!(out, "{path}:{line}:{col} {rest}")?;
    }
    out.flush()?;
    stats.phase("output");
    Ok(())
}

/// `path` as printed by `debug map-idents`: relative to `cwd` when below it (an absolute path
/// elsewhere stays absolute), `.` components dropped, `/`-separated.
fn relative_display(path: &Path, cwd: Option<&Path>) -> String {
    let rel = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut s = String::new();
    for c in rel.components() {
        match c {
            Component::CurDir => continue,
            Component::RootDir => s.push('/'),
            Component::Prefix(p) => s.push_str(&p.as_os_str().to_string_lossy()),
            Component::ParentDir | Component::Normal(_) => {
                if !s.is_empty() && !s.ends_with('/') {
                    s.push('/');
                }
                s.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    if s.is_empty() {
        s.push('.');
    }
    s
}
