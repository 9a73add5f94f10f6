//! Finding the Go files to analyse.
//!
//! Two walks:
//! - [`walk_check`] (for `mapvet check`) skips what the go tool skips: directories named
//!   `vendor` or `testdata`, and any file or directory whose name starts with `.` or `_`. It
//!   honours `.gitignore` (also outside git repositories), `.ignore` and git's excludes, and it
//!   follows symbolic links to directories, with loop detection. A path given on the command
//!   line is never skipped: a directory argument is walked, a file argument is checked whatever
//!   its name.
//! - [`walk_all`] (for `mapvet debug`) skips nothing and does not follow symbolic links to
//!   directories below a root (symbolic links to files are read); it matches the file list of
//!   the go/parser oracle `tools/goparse`, so unreadable directories are skipped silently.
//!
//! Both return the entries sorted byte-wise by their display path, without duplicates.
//! Display paths are the walked paths (`root.join(relative)`), except that `mapvet check`
//! drops a leading `./` when the root is `.` itself (so the default run prints `a/b.go`, not
//! `./a/b.go`).

use std::ffi::OsStr;
use std::fs;
use std::path::{Component, Path, PathBuf};

use ignore::WalkBuilder;

use crate::source::io_message;

/// One path found by a walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path to open.
    pub path: PathBuf,
    /// The path as printed.
    pub display: String,
    pub kind: EntryKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A Go file to read and parse.
    File,
    /// A Go file the walk already knows it cannot read (e.g. a dangling symbolic link).
    BadFile(String),
    /// A directory that could not be walked (permission denied, a symbolic link loop).
    BadDir(String),
}

impl Entry {
    /// Whether this entry counts as a file (readable or not) in summaries.
    pub fn is_file(&self) -> bool {
        !matches!(self.kind, EntryKind::BadDir(_))
    }

    /// The message of a walk error, if any.
    pub fn error(&self) -> Option<&str> {
        match &self.kind {
            EntryKind::File => None,
            EntryKind::BadFile(m) | EntryKind::BadDir(m) => Some(m),
        }
    }
}

/// The files `mapvet check PATH...` analyses. Fails only when an argument does not exist.
pub fn walk_check(roots: &[PathBuf]) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for root in roots {
        if let Err(err) = fs::symlink_metadata(root) {
            return Err(format!(
                "cannot access '{}': {}",
                root.display(),
                io_message(&err)
            ));
        }
        let is_dir = fs::metadata(root).map(|m| m.is_dir()).unwrap_or(false);
        if !is_dir {
            // An explicit file (or a dangling link, which then fails to read): always checked.
            out.push(Entry {
                path: root.clone(),
                display: display(root, None),
                kind: EntryKind::File,
            });
            continue;
        }
        let strip = is_cur_dir(root).then_some(root.as_path());
        let walk = WalkBuilder::new(root)
            .standard_filters(true)
            .hidden(false) // replaced by the go tool's rule in `go_skips`
            .git_ignore(true)
            .require_git(false)
            .follow_links(true)
            .filter_entry(|ent| {
                let is_dir = ent.file_type().is_some_and(|t| t.is_dir());
                !go_skips(ent.file_name(), is_dir)
            })
            .build();
        for result in walk {
            match result {
                Ok(ent) => {
                    if ent.depth() == 0 {
                        continue;
                    }
                    if ent.file_type().is_some_and(|t| t.is_file()) && is_go(ent.path()) {
                        let path = ent.into_path();
                        out.push(Entry {
                            display: display(&path, strip),
                            path,
                            kind: EntryKind::File,
                        });
                    }
                }
                Err(err) => {
                    let Some((path, message)) = walk_error(err, root) else {
                        continue;
                    };
                    // Errors bypass the walker's filters: apply the go tool's rule here.
                    // Known limitation: the walker gives no way to ask whether .gitignore
                    // excludes the failing path, so an ignored dangling `*.go` link is reported.
                    let name = path.file_name().unwrap_or(OsStr::new(""));
                    if path != *root && go_skips(name, true) {
                        continue;
                    }
                    let Some(kind) = classify_error(&path, message) else {
                        continue;
                    };
                    out.push(Entry {
                        display: display(&path, strip),
                        path,
                        kind,
                    });
                }
            }
        }
    }
    Ok(finish(out))
}

/// Every `*.go` file under `roots`, skipping nothing, not following symbolic links to
/// directories (for `mapvet debug`). Go files the walk cannot stat become `BadFile` entries;
/// never fails.
pub fn walk_all(roots: &[PathBuf]) -> Vec<Entry> {
    let mut out = Vec::new();
    for root in roots {
        let walk = WalkBuilder::new(root)
            .standard_filters(false)
            .follow_links(false)
            .build();
        for result in walk {
            match result {
                Ok(ent) => {
                    let Some(ft) = ent.file_type() else { continue };
                    let wanted = if ent.depth() == 0 {
                        !ft.is_dir()
                    } else if ft.is_file() {
                        is_go(ent.path())
                    } else if ft.is_symlink() {
                        // A link to a file (or a dangling one, which then fails to read).
                        is_go(ent.path()) && !fs::metadata(ent.path()).is_ok_and(|m| m.is_dir())
                    } else {
                        false
                    };
                    if wanted {
                        let path = ent.into_path();
                        out.push(Entry {
                            display: display(&path, None),
                            path,
                            kind: EntryKind::File,
                        });
                    }
                }
                Err(err) => {
                    // Like the go/parser oracle (tools/goparse): an unreadable directory is
                    // skipped silently; a Go file that cannot be stat'ed is reported.
                    let Some((path, message)) = walk_error(err, root) else {
                        continue;
                    };
                    if let Some(kind @ EntryKind::BadFile(_)) = classify_error(&path, message) {
                        out.push(Entry {
                            display: display(&path, None),
                            path,
                            kind,
                        });
                    }
                }
            }
        }
    }
    finish(out)
}

/// The go tool's rule: it ignores files and directories whose names begin with `.` or `_`,
/// directories named `testdata`, and (in `./...` patterns) `vendor` directories.
pub fn go_skips(name: &OsStr, is_dir: bool) -> bool {
    let b = name.as_encoded_bytes();
    matches!(b.first(), Some(b'.' | b'_')) || (is_dir && (b == b"vendor" || b == b"testdata"))
}

fn is_go(path: &Path) -> bool {
    path.extension() == Some(OsStr::new("go"))
}

fn is_cur_dir(root: &Path) -> bool {
    let mut c = root.components();
    matches!((c.next(), c.next()), (Some(Component::CurDir), None))
}

fn display(path: &Path, strip: Option<&Path>) -> String {
    let shown = strip
        .and_then(|root| path.strip_prefix(root).ok())
        .unwrap_or(path);
    shown.to_string_lossy().into_owned()
}

fn finish(mut out: Vec<Entry>) -> Vec<Entry> {
    out.sort_by(|a, b| a.display.as_bytes().cmp(b.display.as_bytes()));
    out.dedup_by(|a, b| a.display == b.display);
    out
}

/// The path and message of a walk error; `None` for problems in ignore files (bad glob
/// patterns: git ignores those too).
fn walk_error(err: ignore::Error, root: &Path) -> Option<(PathBuf, String)> {
    fn go(err: ignore::Error, path: Option<PathBuf>) -> Option<(Option<PathBuf>, String)> {
        match err {
            ignore::Error::WithDepth { err, .. } => go(*err, path),
            ignore::Error::WithPath { path, err } => go(*err, Some(path)),
            ignore::Error::Loop { ancestor, child } => Some((
                Some(child),
                format!(
                    "cannot read directory: symbolic link loop: it leads back to its ancestor '{}'",
                    ancestor.display()
                ),
            )),
            ignore::Error::Io(io) => Some((path, io_message(&io))),
            ignore::Error::Partial(_)
            | ignore::Error::WithLineNumber { .. }
            | ignore::Error::Glob { .. }
            | ignore::Error::UnrecognizedFileType(_)
            | ignore::Error::InvalidDefinition => None,
        }
    }
    let (path, msg) = go(err, None)?;
    Some((path.unwrap_or_else(|| root.to_path_buf()), msg))
}

/// Turns an I/O error on `path` into an entry: directories and Go files are reported, other
/// paths (say a dangling link named `README`) are not ours to judge. Loop messages come
/// pre-formatted.
fn classify_error(path: &Path, message: String) -> Option<EntryKind> {
    if message.starts_with("cannot read directory:") {
        return Some(EntryKind::BadDir(message));
    }
    if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        Some(EntryKind::BadDir(format!(
            "cannot read directory: {message}"
        )))
    } else if is_go(path) {
        Some(EntryKind::BadFile(format!("cannot read file: {message}")))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_tool_skip_rule() {
        for (name, dir, skip) in [
            (".git", true, true),
            ("_old", true, true),
            ("vendor", true, true),
            ("testdata", true, true),
            ("vendor", false, false),
            ("_x.go", false, true),
            (".x.go", false, true),
            ("a.go", false, false),
            ("vendored", true, false),
        ] {
            assert_eq!(go_skips(OsStr::new(name), dir), skip, "{name}");
        }
    }

    #[test]
    fn cur_dir_roots() {
        assert!(is_cur_dir(Path::new(".")));
        assert!(is_cur_dir(Path::new("./")));
        assert!(!is_cur_dir(Path::new("./src")));
        assert!(!is_cur_dir(Path::new("..")));
        assert_eq!(
            display(Path::new("./a/b.go"), Some(Path::new("."))),
            "a/b.go"
        );
        assert_eq!(display(Path::new("./a/b.go"), None), "./a/b.go");
    }
}
