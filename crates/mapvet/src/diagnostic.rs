//! The one diagnostic type every producer (syntax errors, I/O errors, and later the rules of
//! `mapvet_rules`) hands to the output layer.
//!
//! A diagnostic carries everything the output formats print; it owns its path so that results
//! from parallel workers can be merged and sorted without lifetimes.

use std::cmp::Ordering;
use std::fmt;

use mapvet_syntax::{LineIndex, SyntaxError};
use serde::Serialize;

/// How bad a diagnostic is (see RULES.md: `error` panics or corrupts state at run time,
/// `warning` is almost certainly not what the author meant, `hint` is performance or clarity).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
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
}

/// A file that go/parser would reject. One diagnostic per syntax error the parser reports.
pub const SYNTAX_ERROR: Kind = Kind {
    code: "MV000",
    name: "syntax-error",
    severity: Severity::Error,
};

/// A file or directory that could not be read (permission denied, dangling symbolic link,
/// directory loop, file larger than [`crate::source::MAX_FILE_SIZE`]). Reported at line 0,
/// column 0: it concerns the whole path.
pub const IO_ERROR: Kind = Kind {
    code: "E001",
    name: "io-error",
    severity: Severity::Error,
};

/// A 1-based line and 1-based byte column, as go/token reports them. `0:0` means "the whole
/// file" (used by [`IO_ERROR`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const WHOLE_FILE: Position = Position { line: 0, column: 0 };

    #[allow(dead_code)] // for the rules, which report ranges
    pub fn new(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    /// The position of byte `offset` in the file indexed by `index`.
    pub fn at(index: &LineIndex, offset: u32) -> Position {
        let (line, column) = index.line_col(offset);
        Position { line, column }
    }
}

/// One finding, ready for output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The path as walked (see `walk.rs` for how it is spelled).
    pub path: String,
    pub start: Position,
    /// Inclusive end of the reported range. Equal to `start` for point diagnostics such as
    /// syntax errors, which go/parser reports at a single position.
    pub end: Position,
    /// Secondary labels: (path, position, message).
    pub labels: Vec<(String, Position, String)>,
    /// How to fix it.
    pub help: Option<String>,
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
        }
    }

    /// `MV000 syntax-error` at the error's offset (a point range: end == start).
    pub fn syntax_error(path: &str, index: &LineIndex, err: &SyntaxError) -> Self {
        let pos = Position::at(index, err.offset);
        Diagnostic::new(SYNTAX_ERROR, path, pos, pos, err.msg.clone())
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

/// Sorts diagnostics into output order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(Diagnostic::sort_key_cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_is_a_point() {
        let src = b"package p\nfunc f() {\n";
        let idx = LineIndex::new(src);
        let err = SyntaxError {
            offset: src.len() as u32,
            msg: "expected '}', found 'EOF'".into(),
        };
        let d = Diagnostic::syntax_error("a.go", &idx, &err);
        assert_eq!(
            (d.code, d.name, d.severity),
            ("MV000", "syntax-error", Severity::Error)
        );
        assert_eq!(d.start, Position::new(3, 1));
        assert_eq!(d.end, d.start);
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
