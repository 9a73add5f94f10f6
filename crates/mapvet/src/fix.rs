//! `--fix` and `--diff`: applying safe fixes to file contents, unified diffs, atomic writes.
//!
//! A fix is a list of edits applied all together or not at all. Fixes are applied in order
//! of their first edit; a fix that overlaps one already taken waits for the next round (the
//! driver in `check.rs` re-checks the fixed text and applies fixes until none is left, so
//! the result is the same as running `--fix` again: idempotent).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Fix};

/// The text after applying the safe fixes of `diags` that edit only `path`, and how many
/// fixes were applied.
pub fn apply(path: &str, text: &[u8], diags: &[&Diagnostic]) -> (Vec<u8>, usize) {
    let mut fixes: Vec<&Fix> = diags
        .iter()
        .filter(|d| d.has_safe_fix())
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| !f.edits.is_empty() && f.edits.iter().all(|e| e.path == path))
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.start_offset).min());
    let mut taken: Vec<(u32, u32, &str)> = Vec::new();
    let mut applied = 0;
    'fixes: for f in fixes {
        let mut edits: Vec<(u32, u32, &str)> = f
            .edits
            .iter()
            .map(|e| (e.start_offset, e.end_offset, e.replacement.as_str()))
            .collect();
        edits.sort();
        for (i, &(s, e, _)) in edits.iter().enumerate() {
            if s > e || e as usize > text.len() {
                continue 'fixes;
            }
            let clash = |&(ts, te, _): &(u32, u32, &str)| s < te && ts < e || (s == ts && s == e);
            if taken.iter().any(clash) || edits[..i].iter().any(clash) {
                continue 'fixes;
            }
        }
        taken.extend(edits);
        applied += 1;
    }
    taken.sort_by_key(|t| (t.0, t.1));
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0usize;
    for (s, e, r) in taken {
        out.extend_from_slice(&text[at..s as usize]);
        out.extend_from_slice(r.as_bytes());
        at = e as usize;
    }
    out.extend_from_slice(&text[at..]);
    (out, applied)
}

/// A unified diff (`--- a/path`, `+++ b/path`, 3 lines of context), empty when equal.
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Replaces the contents of `path` atomically: the new text goes to a temporary file in the
/// same directory, which then takes the file's place by `rename`, so a crash leaves either
/// the old or the new file, never half of one. The file's permissions are kept, and a
/// symbolic link is followed (its target is replaced, the link stays).
pub fn write_atomic(path: &Path, text: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let perms = fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".mapvet-fix-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text)?;
    tmp.as_file().sync_all()?;
    fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Position, SYNTAX_ERROR};

    fn edit(s: u32, e: u32, r: &str) -> Edit {
        Edit {
            path: "a.go".into(),
            start: Position::default(),
            end: Position::default(),
            start_offset: s,
            end_offset: e,
            replacement: r.into(),
        }
    }

    fn with_fix(edits: Vec<Edit>, applicability: Applicability) -> Diagnostic {
        let mut d = Diagnostic::new(
            SYNTAX_ERROR,
            "a.go",
            Position::default(),
            Position::default(),
            String::new(),
        );
        d.fix = Some(Fix {
            title: "t".into(),
            applicability,
            edits,
        });
        d
    }

    #[test]
    fn applies_safe_fixes_in_order_and_skips_overlaps() {
        let text = b"m := make(map[string]int)\nfor _, x := range xs {}\n";
        let size_hint = with_fix(vec![edit(24, 24, ", len(xs)")], Applicability::Safe);
        let two_edits = with_fix(
            vec![edit(0, 1, "n"), edit(26, 29, "FOR")],
            Applicability::Safe,
        );
        let overlapping = with_fix(vec![edit(0, 4, "x := ")], Applicability::Safe);
        let display_only = with_fix(vec![edit(5, 9, "new")], Applicability::DisplayOnly);
        let (out, n) = apply(
            "a.go",
            text,
            &[&size_hint, &two_edits, &overlapping, &display_only],
        );
        assert_eq!(n, 2);
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "n := make(map[string]int, len(xs))\nFOR _, x := range xs {}\n"
        );
        // Idempotent once the fixes are taken: nothing left applies to the new text.
        let (again, n) = apply("a.go", &out, &[]);
        assert_eq!((again, n), (out, 0));
        // Two insertions at one point conflict (their order would be arbitrary).
        let a = with_fix(vec![edit(3, 3, "a")], Applicability::Safe);
        let b = with_fix(vec![edit(3, 3, "b")], Applicability::Safe);
        assert_eq!(apply("a.go", b"0123", &[&a, &b]), (b"012a3".to_vec(), 1));
        // Out of range: ignored, never a panic.
        let bad = with_fix(vec![edit(2, 99, "")], Applicability::Safe);
        assert_eq!(apply("a.go", b"0123", &[&bad]), (b"0123".to_vec(), 0));
        // Edits of another file are not applied here.
        let mut other = with_fix(vec![edit(0, 1, "x")], Applicability::Safe);
        other.fix.as_mut().unwrap().edits[0].path = "b.go".into();
        assert_eq!(apply("a.go", b"0123", &[&other]), (b"0123".to_vec(), 0));
    }

    #[test]
    fn diff_format() {
        assert_eq!(unified_diff("a.go", b"x\n", b"x\n"), "");
        assert_eq!(
            unified_diff("a.go", b"a\nb\nc\n", b"a\nB\nc\n"),
            "--- a/a.go\n+++ b/a.go\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }

    #[test]
    fn atomic_write_keeps_mode_and_links() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.go");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
            std::os::unix::fs::symlink("a.go", d.path().join("link.go")).unwrap();
            write_atomic(&d.path().join("link.go"), b"new").unwrap();
            assert!(fs::symlink_metadata(d.path().join("link.go"))
                .unwrap()
                .file_type()
                .is_symlink());
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        #[cfg(not(unix))]
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        // No temporary file left behind.
        let names: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.to_string_lossy().contains("mapvet-fix")),
            "{names:?}"
        );
    }
}
