//! `json`: one compact line,
//!
//! ```text
//! {"diagnostics":[{"code","name","severity","message","path","line","column","end_line",
//!   "end_column","help","labels":[{"path","line","column","end_line","end_column","message"}],
//!   "fix":{"title","applicability","edits":[{"path","line","column","end_line","end_column",
//!   "content"}]}}...],
//!  "summary":{"files","diagnostics","errors","warnings","hints","fixable","fixed"}}
//! ```
//! Lines and columns are 1-based; columns count bytes (as go/token does); `end_*` is
//! exclusive (just after the last byte). Whole-file diagnostics have line and column 0; point
//! diagnostics have end == start. `help` and `fix` are `null` when absent, `labels` `[]`.
//! `applicability` is `"safe"` (applied by `--fix`) or `"display-only"`. Every key is always
//! present: the schema only grows.

use std::io::{self, Write};

use serde::Serialize;

use super::{Stat, Summary};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

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
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    content: &'a str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

fn convert(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
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
            .map(|l| JsonLabel {
                path: &l.path,
                line: l.start.line,
                column: l.start.column,
                end_line: l.end.line,
                end_column: l.end.column,
                message: &l.message,
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            title: &f.title,
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    path: &e.path,
                    line: e.start.line,
                    column: e.start.column,
                    end_line: e.end.line,
                    end_column: e.end.column,
                    content: &e.replacement,
                })
                .collect(),
        }),
    }
}

pub fn write(out: &mut dyn Write, diags: &[Diagnostic], summary: &Summary) -> io::Result<()> {
    let report = JsonReport {
        diagnostics: diags.iter().map(convert).collect(),
        summary,
    };
    serde_json::to_writer(&mut *out, &report).map_err(io::Error::from)?;
    writeln!(out)
}

/// `--statistics --format json`: `[{"code","name","count","fixable"}...]`.
pub fn write_statistics(out: &mut dyn Write, rows: &[Stat]) -> io::Result<()> {
    serde_json::to_writer(&mut *out, rows).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::sample;

    #[test]
    fn schema() {
        let d = sample();
        let mut out = Vec::new();
        write(&mut out, &d[1..], &Summary::new(2, &d[1..])).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap(), @r#"
        {
          "diagnostics": [
            {
              "code": "MV006",
              "column": 7,
              "end_column": 25,
              "end_line": 4,
              "fix": {
                "applicability": "safe",
                "edits": [
                  {
                    "column": 24,
                    "content": ", ok",
                    "end_column": 24,
                    "end_line": 4,
                    "line": 4,
                    "path": "b.go"
                  }
                ],
                "title": "make it a comma-ok assertion"
              },
              "help": "use the two-result form `m, ok := v.(map[string]int)`",
              "labels": [
                {
                  "column": 8,
                  "end_column": 9,
                  "end_line": 3,
                  "line": 3,
                  "message": "v is declared here",
                  "path": "b.go"
                }
              ],
              "line": 4,
              "message": "type assertion to map[string]int panics: 50% of \"cases\"",
              "name": "unchecked-map-assertion",
              "path": "b.go",
              "severity": "warning"
            },
            {
              "code": "MV000",
              "column": 1,
              "end_column": 1,
              "end_line": 3,
              "fix": null,
              "help": null,
              "labels": [],
              "line": 3,
              "message": "expected '}', found 'EOF'",
              "name": "syntax-error",
              "path": "c.go",
              "severity": "error"
            }
          ],
          "summary": {
            "diagnostics": 2,
            "errors": 1,
            "files": 2,
            "fixable": 1,
            "fixed": 0,
            "hints": 0,
            "warnings": 1
          }
        }
        "#);
    }
}
