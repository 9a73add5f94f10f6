//! `mapvet check`: settings per path, walk, parse (syntax errors, suppression comments), rules,
//! suppressions and severity overrides, fixes, output, exit status.
//!
//! One run:
//! 1. **Settings**: the paths are grouped by the config file that applies to them
//!    (`config.rs`); each group has its own selection, excludes, build context and `fail-on`.
//! 2. **Walk** each group's paths (`walk.rs`), minus `exclude`; or the one standard-input file.
//! 3. **Rules** on the packages of the walked files (`rules.rs`), with the overlay (standard
//!    input, files fixed in memory) in place of the files on disk; groups of packages whose
//!    result is in the cache (`cache.rs`) are replayed. The loader's parse gives each walked
//!    file its report: syntax errors become `MV000`, and the file's suppression comments are
//!    collected (`suppress.rs`).
//! 4. **Read + parse** the walked files the loader did not read (build-constrained out,
//!    unreadable; all of them when no rule runs), in parallel or from the cache
//!    ([`check_entries`]).
//! 5. Suppressions hide what they cover, `[severity]` overrides apply, unused suppressions are
//!    reported on request; the diagnostics are sorted.
//! 6. `--fix`/`--diff`: safe fixes are applied in memory and steps 3–5 run again, until no fix
//!    is left (`fix.rs`); then files are written atomically, or the diff is printed.
//! 7. Output (`output/`) and the exit status: 1 when a diagnostic is at or above its group's
//!    `fail-on`, else 0.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mapvet_syntax::{ast, parse_file, Bump, Comment, SyntaxError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use mapvet_semantic::load::memo::{FileMemo, Known, Stamp};

use crate::cache::{hash_text, Cache, KeyBuilder};
use crate::cli::CheckArgs;
use crate::config::{absolute, Settings};
use crate::diagnostic::{self, Diagnostic, SourceText, SYNTAX_ERROR};
use crate::output::{self, ColorChoice, Format, Style, Summary};
use crate::progress::Progress;
use crate::source::{io_message, read_source_in, Overlay, MAX_FILE_SIZE};
use crate::stats::Stats;
use crate::suppress::FileSuppressions;
use crate::walk::{walk_check, Entry, EntryKind};
use crate::{fix, ignore_broken_pipe, Failure};

/// Fix rounds before giving up on fixes that keep producing new fixes.
const MAX_FIX_ROUNDS: usize = 10;

/// What checking one walk entry produced.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FileReport {
    pub diagnostics: Vec<Diagnostic>,
    /// The file's suppression comments (None when it could not be read).
    pub suppressions: Option<FileSuppressions>,
    /// The file parsed without errors (the rules ran on it).
    pub syntax_ok: bool,
    /// Bytes read (0 when the file could not be read).
    pub bytes: u64,
    /// Lines of the file (0 when it could not be read).
    pub lines: u64,
}

/// The reports of `entries` (files the package loader did not read, or every file when no
/// rule runs), in order: from the cache when it has the reports of exactly these files
/// with exactly these texts, else from parsing each in parallel.
fn check_entries(
    entries: &[&Entry],
    overlay: &Overlay,
    cache: Option<&Cache>,
    memo: Option<&FileMemo>,
    progress: &Progress,
) -> Vec<FileReport> {
    // With a memo, the digests of unchanged files are known without reading them.
    let mut texts: Vec<EntryText> = entries
        .par_iter()
        .map(|e| entry_text(memo, e, overlay))
        .collect();
    // Keyed by each file's displayed name and text (or why it could not be read).
    let key = cache.filter(|_| !entries.is_empty()).and_then(|_| {
        let mut k = KeyBuilder::new("files")?;
        for (e, t) in entries.iter().zip(&texts) {
            k.str(&e.display);
            match t {
                EntryText::Known(d) => k.bool(true).u128(*d),
                EntryText::Read(Ok(t)) => k.bool(true).u128(hash_text(t)),
                EntryText::Read(Err(msg)) => k.bool(false).str(msg),
            };
        }
        Some(k.finish())
    });
    if let Some(reports) = key.and_then(|k| cache?.get::<Vec<FileReport>>(k)) {
        if reports.len() == entries.len() {
            for _ in &reports {
                progress.inc();
            }
            return reports;
        }
    }
    // A miss: the files known by their digest are read now.
    texts.par_iter_mut().zip(entries).for_each(|(t, e)| {
        if matches!(t, EntryText::Known(_)) {
            *t = EntryText::Read(read_entry(e, overlay));
        }
    });
    let reports: Vec<FileReport> = entries
        .par_iter()
        .zip(texts.par_iter())
        .map_init(Bump::new, |arena, (e, t)| {
            let EntryText::Read(t) = t else {
                unreachable!("every text read")
            };
            let r = entry_report(arena, e, t);
            progress.inc();
            r
        })
        .collect();
    // Overlay texts (standard input, files being fixed) seldom come back: not stored.
    let transient = entries.iter().any(|e| overlay.get(&e.path).is_some());
    if let (Some(cache), Some(k), false) = (cache, key, transient) {
        cache.put(k, &reports);
    }
    reports
}

/// A walk entry's text as [`check_entries`] has it.
enum EntryText {
    Read(Result<Vec<u8>, String>),
    /// Not read: the memo knows the digest of this version of the file.
    Known(u128),
}

/// A walk entry's text, or only its digest when the memo knows this version of the file;
/// with a memo, what is read is learned (its stamp taken before the read: a change in
/// between shows as a new stamp next time).
fn entry_text(memo: Option<&FileMemo>, e: &Entry, overlay: &Overlay) -> EntryText {
    let Some(memo) = memo.filter(|_| e.error().is_none() && overlay.get(&e.path).is_none()) else {
        return EntryText::Read(read_entry(e, overlay));
    };
    let path = absolute(&e.path);
    let stamp = Stamp::of_path(&path);
    if let Some(d) = stamp
        .as_ref()
        .and_then(|s| memo.lookup(&path, s))
        .and_then(|k| k.digest)
    {
        return EntryText::Known(d);
    }
    let text = read_entry(e, overlay);
    if let (Ok(t), Some(stamp)) = (&text, stamp) {
        let digest = Some(hash_text(t));
        memo.record(
            &path,
            Known {
                stamp,
                digest,
                head: None,
            },
        );
    }
    EntryText::Read(text)
}

/// The text of a walk entry (through the overlay), or the message of why it has none.
fn read_entry(entry: &Entry, overlay: &Overlay) -> Result<Vec<u8>, String> {
    if let Some(msg) = entry.error() {
        return Err(msg.to_owned());
    }
    debug_assert!(matches!(entry.kind, EntryKind::File));
    read_source_in(&entry.path, overlay)
        .map_err(|err| format!("cannot read file: {}", io_message(&err)))
}

/// The report of a walk entry from its text (parsed into `arena`, reset first), or an
/// `E001` for why it has none.
fn entry_report(arena: &mut Bump, entry: &Entry, text: &Result<Vec<u8>, String>) -> FileReport {
    match text {
        Ok(src) => {
            arena.reset();
            let parsed = parse_file(arena, src);
            file_report(
                &entry.display,
                src,
                parsed.file,
                &parsed.comments,
                &parsed.errors,
            )
        }
        Err(msg) => FileReport {
            diagnostics: vec![Diagnostic::io_error(&entry.display, msg.clone())],
            ..Default::default()
        },
    }
}

/// The report of a file read and parsed (here or by the package loader): its syntax errors
/// as `MV000` diagnostics, its suppression comments, its size.
pub fn file_report(
    path: &str,
    src: &[u8],
    file: &ast::File<'_>,
    comments: &[Comment],
    errors: &[SyntaxError],
) -> FileReport {
    let diagnostics = if errors.is_empty() {
        Vec::new()
    } else {
        let text = SourceText::new(src);
        errors
            .iter()
            .map(|e| Diagnostic::syntax_error(path, &text, e))
            .collect()
    };
    FileReport {
        diagnostics,
        suppressions: Some(FileSuppressions::parse(src, file, comments)),
        syntax_ok: errors.is_empty(),
        bytes: src.len() as u64,
        // As `LineIndex::line_count`: a final line without `\n` counts.
        lines: memchr::memchr_iter(b'\n', src).count() as u64 + 1,
    }
}

/// Paths that share one config file, with the settings it gives.
struct Group {
    settings: Settings,
    /// The paths given for this group (absolute): with the build context, what the
    /// loader's memo is kept for.
    roots: Vec<PathBuf>,
    entries: Vec<Entry>,
}

/// The diagnostics of all groups, ready for output.
#[derive(Default)]
struct Analysis {
    diags: Vec<Diagnostic>,
    /// Some diagnostic is at or above its group's `fail-on`.
    failing: bool,
    files: usize,
    /// Problems with suppression comments: unknown rule names (`path:line:col: message`).
    problems: Vec<String>,
    /// The package loader's notes.
    notes: Vec<String>,
}

fn analyze(
    groups: &[Group],
    overlay: &Overlay,
    report_unused: bool,
    cache: Option<&Cache>,
    progress: &Progress,
    stats: &mut Stats,
) -> Analysis {
    let mut a = Analysis::default();
    let (mut bytes, mut lines) = (0, 0);
    for g in groups {
        let s = &g.settings;
        // With rules, the package loader reads and parses the walked files it loads, and
        // their reports come from that parse; the others (build-constrained out, unreadable)
        // are parsed here.
        let mut rules_out = None;
        let memo = cache.and_then(|c| c.memo(&s.build, &g.roots));
        if s.selection.any() {
            progress.spin("loading packages, type-checking, running rules");
            rules_out = Some(crate::rules::run(
                &g.entries,
                &s.build,
                &s.selection,
                overlay,
                progress,
                cache,
                memo.as_ref().map(|m| &m.1),
            ));
            stats.phase("semantic+rules");
        }
        // The reports of the entries the loader did not read (all of them without rules).
        let mut reports: Vec<Option<FileReport>> = match rules_out.as_mut() {
            Some(out) => std::mem::take(&mut out.reports),
            None => g.entries.iter().map(|_| None).collect(),
        };
        let rest: Vec<usize> = (0..reports.len())
            .filter(|&k| reports[k].is_none())
            .collect();
        let rest_entries: Vec<&Entry> = rest.iter().map(|&k| &g.entries[k]).collect();
        for (k, r) in rest.into_iter().zip(check_entries(
            &rest_entries,
            overlay,
            cache,
            memo.as_ref().map(|m| &*m.1),
            progress,
        )) {
            reports[k] = Some(r);
        }
        if let (Some(c), Some((key, m))) = (cache, memo) {
            c.keep_memo(key, m);
        }
        let reports: Vec<FileReport> = reports.into_iter().map(|r| r.unwrap_or_default()).collect();
        a.files += g.entries.iter().filter(|e| e.is_file()).count();
        bytes += reports.iter().map(|r| r.bytes).sum::<u64>();
        lines += reports.iter().map(|r| r.lines).sum::<u64>();
        let mut sups: BTreeMap<String, (FileSuppressions, bool)> = BTreeMap::new();
        let mut diags = Vec::new();
        for (e, r) in g.entries.iter().zip(reports) {
            diags.extend(r.diagnostics);
            if let Some(sup) = r.suppressions {
                sups.insert(e.display.clone(), (sup, r.syntax_ok));
            }
        }
        stats.phase("read+parse");
        let mut rule_diags = Vec::new();
        if let Some(out) = rules_out {
            a.notes.extend(out.notes);
            rule_diags = out.diagnostics;
        }
        rule_diags.retain(|d| {
            !sups
                .get_mut(&d.path)
                .is_some_and(|(sup, _)| sup.suppresses(d))
        });
        for d in &mut rule_diags {
            d.severity = s.severity_of(d.code, d.severity);
        }
        diags.extend(rule_diags);
        for (path, (sup, syntax_ok)) in &sups {
            for (pos, msg) in sup.problems() {
                a.problems
                    .push(format!("{path}:{}:{}: {msg}", pos.line, pos.column));
            }
            if report_unused && *syntax_ok {
                diags.extend(sup.unused(path, &s.selection));
            }
        }
        a.failing |= diags.iter().any(|d| s.fail_on.fails(d.severity));
        a.diags.extend(diags);
    }
    // Counts of the last round (fix rounds check the same files again).
    (stats.files, stats.bytes, stats.lines) = (a.files as u64, bytes, lines);
    diagnostic::sort(&mut a.diags);
    a.notes.sort();
    a.notes.dedup();
    a
}

/// `./...` and `dir/...` (the go tool's patterns) mean the directory, which is walked.
fn go_pattern(p: &Path) -> PathBuf {
    let s = p.to_string_lossy();
    if s == "..." {
        return PathBuf::from(".");
    }
    match s.strip_suffix("/...") {
        Some("") => PathBuf::from("/"),
        Some(dir) => PathBuf::from(dir),
        None => p.to_path_buf(),
    }
}

/// The standard-input file: where it stands (`--stdin-filename`, else a name in a directory
/// that does not exist, so no package on disk joins it) and how it is displayed.
fn stdin_file(args: &CheckArgs) -> (PathBuf, String) {
    match &args.stdin_filename {
        Some(p) => (p.clone(), p.to_string_lossy().into_owned()),
        None => (
            absolute(Path::new("<stdin>")).join("stdin.go"),
            "-".to_owned(),
        ),
    }
}

fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
    if buf.len() as u64 > MAX_FILE_SIZE {
        return Err(Failure::Usage("standard input is larger than 1 GiB".into()));
    }
    Ok(buf)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
                && io::stdout().is_terminal()
        }
    }
}

/// Builds the groups: paths with the same config file share settings.
fn groups(args: &CheckArgs, stdin: Option<&(PathBuf, String)>) -> Result<Vec<Group>, Failure> {
    let mut by_config: Vec<(Option<PathBuf>, Vec<PathBuf>)> = Vec::new();
    let roots: Vec<PathBuf> = match stdin {
        Some((path, _)) => vec![path.clone()],
        None => args.paths.iter().map(|p| go_pattern(p)).collect(),
    };
    for r in roots {
        if stdin.is_none() {
            if let Err(err) = std::fs::symlink_metadata(&r) {
                return Err(Failure::Usage(format!(
                    "cannot access '{}': {}",
                    r.display(),
                    io_message(&err)
                )));
            }
        }
        let cfg = Settings::config_path(&args.settings, &r)?;
        match by_config.iter_mut().find(|g| g.0 == cfg) {
            Some(g) => g.1.push(r),
            None => by_config.push((cfg, vec![r])),
        }
    }
    let mut out = Vec::new();
    for (cfg, roots) in by_config {
        let file = cfg.as_deref().map(crate::config::load).transpose()?;
        let settings = Settings::resolve(&args.settings, file.as_ref())?;
        if args.verbose {
            match &settings.config {
                Some(p) => eprintln!("mapvet: using config file {}", p.display()),
                None => eprintln!("mapvet: no config file"),
            }
        }
        let abs_roots = roots.iter().map(|r| absolute(r)).collect();
        let entries = match stdin {
            Some((path, display)) => vec![Entry {
                path: path.clone(),
                display: display.clone(),
                kind: EntryKind::File,
            }],
            None => walk_check(&roots).map_err(Failure::Usage)?,
        };
        let entries = entries
            .into_iter()
            .filter(|e| !settings.is_excluded(&e.path))
            .collect();
        out.push(Group {
            settings,
            roots: abs_roots,
            entries,
        });
    }
    Ok(out)
}

/// `mapvet check`. Returns the exit status (see the module doc).
pub fn run(args: &CheckArgs, out: &mut dyn Write, stats: &mut Stats) -> Result<ExitCode, Failure> {
    let is_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if is_stdin && args.paths.len() > 1 {
        return Err(Failure::Usage(
            "`-` (standard input) must be the only path".into(),
        ));
    }
    if args.stdin_filename.is_some() && !is_stdin {
        return Err(Failure::Usage(
            "--stdin-filename needs `-` as the path (`mapvet check --stdin-filename FILE -`)"
                .into(),
        ));
    }
    if args.statistics && matches!(args.format, Format::Sarif | Format::Github) {
        return Err(Failure::Usage(
            "--statistics works with --format text, concise or json".into(),
        ));
    }
    let mut overlay = Overlay::default();
    let stdin = if is_stdin {
        let (path, display) = stdin_file(args);
        overlay.insert(&path, read_stdin()?);
        Some((path, display))
    } else {
        None
    };

    let groups = groups(args, stdin.as_ref())?;
    stats.phase("walk");
    let total: usize = groups.iter().map(|g| g.entries.len()).sum();
    if total == 0 && stdin.is_none() && !args.quiet {
        eprintln!("mapvet: warning: no Go files found");
    }
    let progress = Progress::new(args.quiet, total);
    let fixing = args.fix || args.diff;
    let cache = match Cache::open(args.no_cache) {
        Ok(c) => c,
        Err(msg) => {
            if args.verbose {
                eprintln!("mapvet: note: {msg}");
            }
            None
        }
    };
    let mut analysis = analyze(
        &groups,
        &overlay,
        args.report_unused_ignores,
        cache.as_ref(),
        &progress,
        stats,
    );

    // Fixes: apply in memory, check again, until nothing is left to fix.
    let real_path: HashMap<&str, &Path> = groups
        .iter()
        .flat_map(|g| &g.entries)
        .map(|e| (e.display.as_str(), e.path.as_path()))
        .collect();
    let mut originals: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut fixed = 0;
    if fixing {
        let broken_before: BTreeSet<String> = syntax_error_paths(&analysis.diags);
        for _ in 0..MAX_FIX_ROUNDS {
            let mut by_path: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
            for d in analysis.diags.iter().filter(|d| d.has_safe_fix()) {
                by_path.entry(d.path.as_str()).or_default().push(d);
            }
            let mut changed = false;
            for (display, ds) in by_path {
                let Some(&path) = real_path.get(display) else {
                    continue;
                };
                let Ok(current) = read_source_in(path, &overlay) else {
                    continue;
                };
                let (new, n) = fix::apply(display, &current, &ds);
                if n > 0 && new != current {
                    originals.entry(display.to_owned()).or_insert(current);
                    overlay.insert(path, new);
                    fixed += n;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
            analysis = analyze(
                &groups,
                &overlay,
                args.report_unused_ignores,
                cache.as_ref(),
                &progress,
                stats,
            );
            let broken: Vec<String> = syntax_error_paths(&analysis.diags)
                .into_iter()
                .filter(|p| originals.contains_key(p) && !broken_before.contains(p))
                .collect();
            if !broken.is_empty() {
                progress.finish();
                return Err(Failure::Internal(format!(
                    "a fix made {} invalid Go; no file was changed (please report this)",
                    broken.join(", ")
                )));
            }
        }
    }
    progress.finish();
    if let Some(c) = &cache {
        c.trim();
    }

    if !args.quiet {
        for p in &analysis.problems {
            eprintln!("mapvet: warning: {p}");
        }
    }
    if args.verbose {
        for n in &analysis.notes {
            eprintln!("mapvet: note: {n}");
        }
    }

    if args.diff {
        let mut any = false;
        for (display, old) in &originals {
            let path = real_path[display.as_str()];
            let new = read_source_in(path, &overlay).unwrap_or_default();
            let d = fix::unified_diff(display, old, &new);
            any |= !d.is_empty();
            ignore_broken_pipe(out.write_all(d.as_bytes()))?;
        }
        ignore_broken_pipe(out.flush())?;
        if !args.quiet {
            eprintln!("mapvet: would fix {}", output::plural(fixed, "diagnostic"));
        }
        stats.phase("output");
        return Ok(ExitCode::from(u8::from(any)));
    }

    let opts = output::Options {
        format: args.format,
        style: Style {
            color: use_color(args.color),
        },
        statistics: args.statistics,
        quiet: args.quiet,
    };
    let mut summary = Summary::new(analysis.files, &analysis.diags);
    summary.fixed = fixed;
    if args.fix {
        match &stdin {
            // The fixed text goes to standard output, the diagnostics to standard error.
            Some((path, _)) => {
                let text = read_source_in(path, &overlay).unwrap_or_default();
                ignore_broken_pipe(out.write_all(&text).and_then(|()| out.flush()))?;
                let mut err = io::stderr().lock();
                let opts = output::Options {
                    style: Style { color: false },
                    ..opts
                };
                ignore_broken_pipe(output::write(&mut err, &opts, &analysis.diags, &summary))?;
                stats.phase("output");
                return Ok(exit_code(analysis.failing));
            }
            None => {
                for display in originals.keys() {
                    let path = real_path[display.as_str()];
                    let new = read_source_in(path, &overlay).unwrap_or_default();
                    fix::write_atomic(path, &new).map_err(|e| {
                        Failure::Internal(format!("cannot write {display}: {}", io_message(&e)))
                    })?;
                }
            }
        }
    }
    ignore_broken_pipe(
        output::write(out, &opts, &analysis.diags, &summary).and_then(|()| out.flush()),
    )?;
    stats.phase("output");
    Ok(exit_code(analysis.failing))
}

fn exit_code(failing: bool) -> ExitCode {
    ExitCode::from(u8::from(failing))
}

fn syntax_error_paths(diags: &[Diagnostic]) -> BTreeSet<String> {
    diags
        .iter()
        .filter(|d| d.code == SYNTAX_ERROR.code)
        .map(|d| d.path.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_patterns() {
        assert_eq!(go_pattern(Path::new("./...")), PathBuf::from("."));
        assert_eq!(go_pattern(Path::new("...")), PathBuf::from("."));
        assert_eq!(go_pattern(Path::new("pkg/x/...")), PathBuf::from("pkg/x"));
        assert_eq!(go_pattern(Path::new("pkg")), PathBuf::from("pkg"));
    }
}
