//! Checking one file: read, parse, collect diagnostics. Runs on rayon worker threads; the
//! caller merges and sorts the results (see [`check_all`]).
//!
//! This is where rule diagnostics will plug in: after parsing, hand the tree to the rules and
//! append what they report to [`FileReport::diagnostics`].

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use mapvet_semantic::load::BuildContext;
use mapvet_syntax::{parse_file, Bump, LineIndex};
use rayon::prelude::*;

use crate::diagnostic::{self, Diagnostic};
use crate::output::{self, Format, Summary};
use crate::source::{io_message, read_source};
use crate::stats::Stats;
use crate::walk::{walk_check, Entry, EntryKind};
use crate::{ignore_broken_pipe, Failure};

/// What checking one walk entry produced.
#[derive(Debug, Default)]
pub struct FileReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes read (0 when the file could not be read).
    pub bytes: u64,
    /// Lines of the file (0 when it could not be read).
    pub lines: u64,
}

/// Checks every entry in parallel on the current rayon pool. The result has one report per
/// entry, in entry order.
pub fn check_all(entries: &[Entry]) -> Vec<FileReport> {
    entries
        .par_iter()
        .map_init(Bump::new, check_entry)
        .collect()
}

/// Checks one entry, reusing `arena` (reset first).
pub fn check_entry(arena: &mut Bump, entry: &Entry) -> FileReport {
    let path = &entry.display;
    if let Some(msg) = entry.error() {
        return FileReport {
            diagnostics: vec![Diagnostic::io_error(path, msg.to_owned())],
            ..Default::default()
        };
    }
    debug_assert!(matches!(entry.kind, EntryKind::File));
    let src = match read_source(&entry.path) {
        Ok(src) => src,
        Err(err) => {
            let msg = format!("cannot read file: {}", io_message(&err));
            return FileReport {
                diagnostics: vec![Diagnostic::io_error(path, msg)],
                ..Default::default()
            };
        }
    };
    arena.reset();
    let parsed = parse_file(arena, &src);
    let index = LineIndex::new(&src);
    let diagnostics = parsed
        .errors
        .iter()
        .map(|e| Diagnostic::syntax_error(path, &index, e))
        .collect();
    FileReport {
        diagnostics,
        bytes: src.len() as u64,
        lines: index.line_count() as u64,
    }
}

/// `mapvet check PATH...`: walk, check in parallel, print sorted diagnostics and the summary.
/// Returns the exit code: 0 without diagnostics, 1 with.
///
/// The rules run on the packages of the walked files' directories, loaded with `build`.
pub fn run(
    paths: &[PathBuf],
    format: Format,
    build: &BuildContext,
    selection: &crate::rules::Selection,
    out: &mut dyn Write,
    stats: &mut Stats,
) -> Result<ExitCode, Failure> {
    let entries = walk_check(paths).map_err(Failure::Usage)?;
    stats.phase("walk");

    let reports = check_all(&entries);
    let files = entries.iter().filter(|e| e.is_file()).count();
    stats.files = files as u64;
    stats.bytes = reports.iter().map(|r| r.bytes).sum();
    stats.lines = reports.iter().map(|r| r.lines).sum();
    let mut diags: Vec<Diagnostic> = reports.into_iter().flat_map(|r| r.diagnostics).collect();
    stats.phase("read+parse");
    if selection.any() {
        diags.extend(crate::rules::run(&entries, build, selection));
        stats.phase("semantic+rules");
    }
    diagnostic::sort(&mut diags);

    if entries.is_empty() {
        eprintln!("mapvet: warning: no Go files found");
    }
    let summary = Summary::new(files, &diags);
    ignore_broken_pipe(output::write(out, format, &diags, &summary).and_then(|()| out.flush()))?;
    stats.phase("output");
    Ok(ExitCode::from(u8::from(!diags.is_empty())))
}
