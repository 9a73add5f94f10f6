//! The one diagnostic type every producer (syntax errors, I/O errors, the rules of
//! `mapvet_rules`, unused suppressions) hands to the output layer.
//!
//! A diagnostic carries everything the output formats print — positions, the text of the
//! source line it points at (for snippets and fingerprints), labels, help and fix — and owns
//! its strings, so that results from parallel workers can be merged and sorted without
//! lifetimes and printed without reading the files again.

use std::cmp::Ordering;
use std::fmt;

use mapvet_syntax::{LineIndex, SyntaxError};
use serde::{Deserialize, Serialize};

/// How bad a diagnostic is (see RULES.md: `error` panics or corrupts state at run time,
/// `warning` is almost certainly not what the author meant, `hint` is performance or clarity).
/// Ordered from the most to the least severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Hint];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl From<mapvet_rules::Severity> for Severity {
    fn from(s: mapvet_rules::Severity) -> Severity {
        match s {
            mapvet_rules::Severity::Error => Severity::Error,
            mapvet_rules::Severity::Warning => Severity::Warning,
            mapvet_rules::Severity::Hint => Severity::Hint,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable identity of a kind of diagnostic: code, kebab-case name, default severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `mapvet rules` and SARIF's `shortDescription`.
    pub summary: &'static str,
}

/// A file that go/parser would reject. One diagnostic per syntax error the parser reports.
pub const SYNTAX_ERROR: Kind = Kind {
    code: "MV000",
    name: "syntax-error",
    severity: Severity::Error,
    summary: "the file is not valid Go: go/parser rejects it",
};

/// A file or directory that could not be read (permission denied, dangling symbolic link,
/// directory loop, file larger than [`crate::source::MAX_FILE_SIZE`]). Reported at line 0,
/// column 0: it concerns the whole path.
pub const IO_ERROR: Kind = Kind {
    code: "E001",
    name: "io-error",
    severity: Severity::Error,
    summary: "a file or directory could not be read",
};

/// A suppression comment that suppressed nothing (`--report-unused-ignores`).
pub const UNUSED_IGNORE: Kind = Kind {
    code: "E002",
    name: "unused-ignore",
    severity: Severity::Warning,
    summary: "a suppression comment that matches no diagnostic",
};

/// mapvet's own diagnostics, which are not rules (no `--select`, always on).
pub const BUILTIN_KINDS: [Kind; 3] = [SYNTAX_ERROR, IO_ERROR, UNUSED_IGNORE];

/// A 1-based line and 1-based byte column, as go/token reports them, plus the same column
/// counted in UTF-16 code units (what SARIF and GitHub annotations count). `0:0` means "the
/// whole file" (used by [`IO_ERROR`]).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub utf16_column: u32,
}

impl Position {
    pub const WHOLE_FILE: Position = Position {
        line: 0,
        column: 0,
        utf16_column: 0,
    };

    /// A position in ASCII text (the UTF-16 column equals the byte column).
    #[allow(dead_code)] // tests
    pub fn new(line: u32, column: u32) -> Position {
        Position {
            line,
            column,
            utf16_column: column,
        }
    }
}

/// A file's text with its line index: turns byte offsets into positions and lines into text.
pub struct SourceText<'a> {
    pub src: &'a [u8],
    pub index: LineIndex,
}

impl<'a> SourceText<'a> {
    pub fn new(src: &'a [u8]) -> SourceText<'a> {
        SourceText {
            src,
            index: LineIndex::new(src),
        }
    }

    /// The position of byte `offset` (clamped to the end of the file).
    pub fn position(&self, offset: u32) -> Position {
        let offset = offset.min(self.src.len() as u32);
        let (line, column) = self.index.line_col(offset);
        let start = (offset - (column - 1)) as usize;
        let before = String::from_utf8_lossy(&self.src[start..offset as usize]);
        Position {
            line,
            column,
            utf16_column: before.encode_utf16().count() as u32 + 1,
        }
    }

    /// The text of 1-based `line` without its line terminator (invalid UTF-8 replaced).
    pub fn line_text(&self, line: u32) -> String {
        let Some(start) = self.index.line_start(line) else {
            return String::new();
        };
        let end = self
            .index
            .line_start(line + 1)
            .map_or(self.src.len(), |e| e as usize);
        let mut text = &self.src[(start as usize).min(self.src.len())..end];
        while let [rest @ .., b'\n' | b'\r'] = text {
            text = rest;
        }
        String::from_utf8_lossy(text).into_owned()
    }
}

/// A secondary location: the origin of the problem (a declaration, a `go` statement, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub message: String,
    /// The text of the start line (empty when unknown).
    pub line_text: String,
}

/// Whether `--fix` applies a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Applied by `--fix`: keeps the program's meaning and the file gofmt-clean.
    Safe,
    /// Shown only, never applied automatically.
    DisplayOnly,
}

/// Replace the bytes `[start_offset, end_offset)` of `path` by `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub start_offset: u32,
    pub end_offset: u32,
    pub replacement: String,
}

/// A fix: edits applied all together or not at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// One finding, ready for output. (Serialized only for the result cache: the output formats
/// have their own shapes.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    #[serde(with = "known_str")]
    pub code: KnownStr,
    #[serde(with = "known_str")]
    pub name: KnownStr,
    pub severity: Severity,
    pub message: String,
    /// The path as walked (see `walk.rs` for how it is spelled).
    pub path: String,
    pub start: Position,
    /// End of the reported range, exclusive (the position just after its last byte). Equal
    /// to `start` for point diagnostics such as syntax errors, which go/parser reports at a
    /// single position.
    pub end: Position,
    pub labels: Vec<Label>,
    /// How to fix it, in words.
    pub help: Option<String>,
    /// How to fix it, as edits.
    pub fix: Option<Fix>,
    /// The text of the start line (empty for whole-file diagnostics).
    pub line_text: String,
}

impl Diagnostic {
    pub fn new(kind: Kind, path: &str, start: Position, end: Position, message: String) -> Self {
        Diagnostic {
            code: kind.code,
            name: kind.name,
            severity: kind.severity,
            message,
            path: path.to_owned(),
            start,
            end,
            labels: Vec::new(),
            help: None,
            fix: None,
            line_text: String::new(),
        }
    }

    /// `MV000 syntax-error` at the error's offset (a point range: end == start).
    pub fn syntax_error(path: &str, text: &SourceText<'_>, err: &SyntaxError) -> Self {
        let pos = text.position(err.offset);
        let mut d = Diagnostic::new(SYNTAX_ERROR, path, pos, pos, err.msg.clone());
        d.line_text = text.line_text(pos.line);
        d
    }

    /// `E001 io-error` for the whole path.
    pub fn io_error(path: &str, message: String) -> Self {
        Diagnostic::new(
            IO_ERROR,
            path,
            Position::WHOLE_FILE,
            Position::WHOLE_FILE,
            message,
        )
    }

    /// Whether `--fix` would apply this diagnostic's fix.
    pub fn has_safe_fix(&self) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    }

    /// The output order: path (byte-wise), then position, then code and message so that the
    /// order is total and independent of how work was split between threads.
    pub fn sort_key_cmp(&self, other: &Self) -> Ordering {
        self.path
            .as_bytes()
            .cmp(other.path.as_bytes())
            .then(self.start.cmp(&other.start))
            .then(self.end.cmp(&other.end))
            .then(self.code.cmp(other.code))
            .then(self.message.cmp(&other.message))
    }
}

/// A code or name of a rule or built-in kind. (An alias, so that serde's derive does not take
/// it for a string borrowed from the input.)
pub type KnownStr = &'static str;

/// Serde for the `&'static str` codes and names of diagnostics: written as strings, read
/// back as the rule's or built-in kind's own string (an unknown one does not decode).
pub mod known_str {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// The interned spelling of a rule's or built-in kind's code or name.
    pub fn intern(s: &str) -> Option<&'static str> {
        let rules = mapvet_rules::RULES
            .iter()
            .flat_map(|r| [r.meta.code, r.meta.name]);
        let builtin = super::BUILTIN_KINDS.iter().flat_map(|k| [k.code, k.name]);
        rules.chain(builtin).find(|k| *k == s)
    }

    pub fn serialize<S: Serializer>(v: &&'static str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
        let s = String::deserialize(d)?;
        intern(&s).ok_or_else(|| D::Error::custom(format!("unknown code or name {s:?}")))
    }
}

/// Sorts diagnostics into output order and drops exact duplicates (a file reached through
/// two overlapping paths).
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(Diagnostic::sort_key_cmp);
    diags.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_is_a_point() {
        let src = b"package p\nfunc f() {\n";
        let text = SourceText::new(src);
        let err = SyntaxError {
            offset: src.len() as u32,
            msg: "expected '}', found 'EOF'".into(),
        };
        let d = Diagnostic::syntax_error("a.go", &text, &err);
        assert_eq!(
            (d.code, d.name, d.severity),
            ("MV000", "syntax-error", Severity::Error)
        );
        assert_eq!(d.start, Position::new(3, 1));
        assert_eq!(d.end, d.start);
        assert_eq!(d.line_text, "");
    }

    #[test]
    fn positions_count_bytes_and_utf16_units() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
        let src = "x := \"é𝄞\" + y\r\nz\n".as_bytes();
        let text = SourceText::new(src);
        let y = src.iter().position(|&b| b == b'y').unwrap() as u32;
        let p = text.position(y);
        assert_eq!((p.line, p.column, p.utf16_column), (1, 17, 14));
        assert_eq!(text.line_text(1), "x := \"é𝄞\" + y");
        assert_eq!(text.line_text(2), "z");
        assert_eq!(text.line_text(3), "");
        assert_eq!(text.line_text(9), "");
        // Past the end: clamped.
        assert_eq!(text.position(1000).line, 3);
    }

    #[test]
    fn order_is_path_bytes_then_position() {
        let p = |path: &str, line, col| {
            Diagnostic::new(
                SYNTAX_ERROR,
                path,
                Position::new(line, col),
                Position::new(line, col),
                String::new(),
            )
        };
        let mut v = vec![
            p("a/b.go", 1, 1),
            p("a.go", 2, 1),
            p("a.go", 1, 5),
            p("a.go", 1, 2),
            p("a.go", 1, 2),
        ];
        sort(&mut v);
        let got: Vec<_> = v
            .iter()
            .map(|d| (d.path.as_str(), d.start.line, d.start.column))
            .collect();
        assert_eq!(
            got,
            [
                ("a.go", 1, 2),
                ("a.go", 1, 5),
                ("a.go", 2, 1),
                ("a/b.go", 1, 1)
            ]
        );
    }
}
