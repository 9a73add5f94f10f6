//! Output formats for `mapvet check`.
//!
//! - `text`: one line per diagnostic, `path:line:col: CODE message` (`path: CODE message` for
//!   whole-file diagnostics such as `E001`), then one summary line:
//!   `Found N diagnostics in M files (K files checked).` or `All checks passed (K files checked).`
//! - `json`: one compact line,
//!   `{"diagnostics":[{"code","name","severity","message","path","line","column","end_line",
//!   "end_column"}...],"summary":{"files","diagnostics","errors","warnings","hints"}}`.
//!   Whole-file diagnostics have line/column 0; point diagnostics have end == start.
//!
//! Diagnostics must already be sorted (see [`crate::diagnostic::sort`]).

use std::collections::HashSet;
use std::io::{self, Write};

use clap::ValueEnum;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Counts for the summary line / object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Go files considered (including those that could not be read).
    pub files: usize,
    pub diagnostics: usize,
    pub errors: usize,
    pub warnings: usize,
    pub hints: usize,
    /// Distinct paths with at least one diagnostic (text output only).
    #[serde(skip)]
    pub files_with_diagnostics: usize,
}

impl Summary {
    pub fn new(files: usize, diags: &[Diagnostic]) -> Summary {
        let count = |s| diags.iter().filter(|d| d.severity == s).count();
        let paths: HashSet<&str> = diags.iter().map(|d| d.path.as_str()).collect();
        Summary {
            files,
            diagnostics: diags.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            hints: count(Severity::Hint),
            files_with_diagnostics: paths.len(),
        }
    }
}

pub fn write(
    out: &mut dyn Write,
    format: Format,
    diags: &[Diagnostic],
    summary: &Summary,
) -> io::Result<()> {
    match format {
        Format::Text => write_text(out, diags, summary),
        Format::Json => write_json(out, diags, summary),
    }
}

pub fn write_text(out: &mut dyn Write, diags: &[Diagnostic], summary: &Summary) -> io::Result<()> {
    for d in diags {
        if d.start.line == 0 {
            writeln!(out, "{}: {} {}", d.path, d.code, d.message)?;
        } else {
            writeln!(
                out,
                "{}:{}:{}: {} {}",
                d.path, d.start.line, d.start.column, d.code, d.message
            )?;
        }
        for (path, pos, msg) in &d.labels {
            writeln!(out, "  --> {path}:{}:{}: {msg}", pos.line, pos.column)?;
        }
        if let Some(h) = &d.help {
            writeln!(out, "  help: {h}")?;
        }
    }
    let checked = plural(summary.files, "file");
    if summary.diagnostics == 0 {
        writeln!(out, "All checks passed ({checked} checked).")
    } else {
        writeln!(
            out,
            "Found {} in {} ({checked} checked).",
            plural(summary.diagnostics, "diagnostic"),
            plural(summary.files_with_diagnostics, "file"),
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

pub fn write_json(out: &mut dyn Write, diags: &[Diagnostic], summary: &Summary) -> io::Result<()> {
    let report = JsonReport {
        diagnostics: diags
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code,
                name: d.name,
                severity: d.severity,
                message: &d.message,
                path: &d.path,
                line: d.start.line,
                column: d.start.column,
                end_line: d.end.line,
                end_column: d.end.column,
                help: d.help.as_deref(),
                labels: d
                    .labels
                    .iter()
                    .map(|(path, pos, message)| JsonLabel {
                        path,
                        line: pos.line,
                        column: pos.column,
                        message,
                    })
                    .collect(),
            })
            .collect(),
        summary,
    };
    serde_json::to_writer(&mut *out, &report).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Position, SYNTAX_ERROR};

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::io_error(
                "a.go",
                "cannot read file: Permission denied (os error 13)".into(),
            ),
            Diagnostic::new(
                SYNTAX_ERROR,
                "b.go",
                Position::new(3, 1),
                Position::new(3, 1),
                "expected '}', found 'EOF'".into(),
            ),
        ]
    }

    #[test]
    fn text() {
        let d = sample();
        let mut out = Vec::new();
        write_text(&mut out, &d, &Summary::new(3, &d)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a.go: E001 cannot read file: Permission denied (os error 13)\n\
             b.go:3:1: MV000 expected '}', found 'EOF'\n\
             Found 2 diagnostics in 2 files (3 files checked).\n"
        );
        let mut out = Vec::new();
        write_text(&mut out, &[], &Summary::new(1, &[])).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "All checks passed (1 file checked).\n"
        );
    }

    #[test]
    fn json() {
        let d = sample();
        let mut out = Vec::new();
        write_json(&mut out, &d[1..], &Summary::new(1, &d[1..])).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"diagnostics":[{"code":"MV000","name":"syntax-error","severity":"error","message":"expected '}', found 'EOF'","path":"b.go","line":3,"column":1,"end_line":3,"end_column":1}],"summary":{"files":1,"diagnostics":1,"errors":1,"warnings":0,"hints":0}}"#
                .to_owned()
                + "\n"
        );
    }
}
