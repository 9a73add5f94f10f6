//! Output formats for `mapvet check` (README, "Output formats", shows a sample of each):
//!
//! - `text` (default): rustc/ruff-style, `path:line:col: CODE message`, the source line with a
//!   caret range, secondary labels, `help:`; colour on a terminal. Then one summary line.
//! - `concise`: one line per diagnostic, `path:line:col: CODE message` (editors, grep).
//! - `json`: one compact JSON object (schema in `json.rs` and README).
//! - `sarif`: SARIF 2.1.0 for GitHub code scanning (`sarif.rs`).
//! - `github`: GitHub Actions workflow commands, one annotation per diagnostic (`github.rs`).
//!
//! `--statistics` replaces the list by counts per rule (`text`, `concise` and `json`).
//! Diagnostics must already be sorted (see [`crate::diagnostic::sort`]).

mod github;
mod json;
mod sarif;
mod text;

use std::collections::HashSet;
use std::io::{self, Write};

use clap::ValueEnum;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Kind, Severity, BUILTIN_KINDS};

pub use text::Style;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with their source lines, labels and help (rustc/ruff style).
    Text,
    /// One line per diagnostic: path:line:col: CODE message.
    Concise,
    /// One JSON object with every diagnostic and a summary.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

/// When to colour `text` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal, $NO_COLOR is unset and $TERM is not dumb.
    Auto,
    Always,
    Never,
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
    /// Diagnostics with a safe fix (`--fix` would apply it).
    pub fixable: usize,
    /// Diagnostics fixed by `--fix` in this run.
    pub fixed: usize,
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
            fixable: diags.iter().filter(|d| d.has_safe_fix()).count(),
            fixed: 0,
            files_with_diagnostics: paths.len(),
        }
    }
}

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub format: Format,
    pub style: Style,
    /// `--statistics`: counts per rule instead of the diagnostics.
    pub statistics: bool,
    /// `--quiet`: no summary line.
    pub quiet: bool,
}

pub fn write(
    out: &mut dyn Write,
    opts: &Options,
    diags: &[Diagnostic],
    summary: &Summary,
) -> io::Result<()> {
    if opts.statistics {
        return match opts.format {
            Format::Json => json::write_statistics(out, &statistics(diags)),
            _ => text::write_statistics(out, &statistics(diags), opts.style),
        };
    }
    match opts.format {
        Format::Text => text::write(out, diags, summary, opts.style, opts.quiet),
        Format::Concise => text::write_concise(out, diags, summary, opts.quiet),
        Format::Json => json::write(out, diags, summary),
        Format::Sarif => sarif::write(out, diags),
        Format::Github => github::write(out, diags),
    }
}

/// One row of `--statistics`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stat {
    pub code: &'static str,
    pub name: &'static str,
    pub count: usize,
    /// How many of them have a safe fix.
    pub fixable: usize,
}

/// Counts per rule, the most frequent first (then by code).
pub fn statistics(diags: &[Diagnostic]) -> Vec<Stat> {
    let mut rows: Vec<Stat> = Vec::new();
    for d in diags {
        match rows.iter_mut().find(|r| r.code == d.code) {
            Some(r) => {
                r.count += 1;
                r.fixable += usize::from(d.has_safe_fix());
            }
            None => rows.push(Stat {
                code: d.code,
                name: d.name,
                count: 1,
                fixable: usize::from(d.has_safe_fix()),
            }),
        }
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

/// Every kind of diagnostic mapvet can print: the rules, then mapvet's own.
pub fn all_kinds() -> Vec<(Kind, Option<&'static mapvet_rules::RuleMeta>)> {
    let mut kinds: Vec<_> = mapvet_rules::RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            (
                Kind {
                    code: m.code,
                    name: m.name,
                    severity: m.severity.into(),
                    summary: m.summary,
                },
                Some(m),
            )
        })
        .collect();
    kinds.extend(BUILTIN_KINDS.iter().map(|k| (*k, None)));
    kinds
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Fix, Label, Position, SourceText, SYNTAX_ERROR};

    /// One diagnostic of each shape: whole-file, point, ranged with label, help and fix.
    pub fn sample() -> Vec<Diagnostic> {
        let src = "package p\n\nfunc f(v any) {\n\tm := v.(map[string]int)\n\t_ = m\n}\n";
        let text = SourceText::new(src.as_bytes());
        let off = |needle: &str| src.find(needle).unwrap() as u32;
        let kind = Kind {
            code: "MV006",
            name: "unchecked-map-assertion",
            severity: Severity::Warning,
            summary: "",
        };
        let start = text.position(off("v.("));
        let end = text.position(off("\n\t_"));
        let mut ranged = Diagnostic::new(
            kind,
            "b.go",
            start,
            end,
            "type assertion to map[string]int panics: 50% of \"cases\"".into(),
        );
        ranged.line_text = text.line_text(start.line);
        ranged.labels.push(Label {
            path: "b.go".into(),
            start: text.position(off("v any")),
            end: text.position(off(" any")),
            message: "v is declared here".into(),
            line_text: text.line_text(3),
        });
        ranged.help = Some("use the two-result form `m, ok := v.(map[string]int)`".into());
        let at = off(")\n\t_");
        ranged.fix = Some(Fix {
            title: "make it a comma-ok assertion".into(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                path: "b.go".into(),
                start: text.position(at),
                end: text.position(at),
                start_offset: at,
                end_offset: at,
                replacement: ", ok".into(),
            }],
        });
        let mut point = Diagnostic::new(
            SYNTAX_ERROR,
            "c.go",
            Position::new(3, 1),
            Position::new(3, 1),
            "expected '}', found 'EOF'".into(),
        );
        point.line_text = String::new();
        vec![
            Diagnostic::io_error(
                "a.go",
                "cannot read file: Permission denied (os error 13)".into(),
            ),
            ranged,
            point,
        ]
    }

    #[test]
    fn statistics_are_sorted_by_count() {
        let mut d = sample();
        d.push(d[2].clone());
        let s = statistics(&d);
        let got: Vec<_> = s.iter().map(|r| (r.code, r.count, r.fixable)).collect();
        assert_eq!(got, [("MV000", 2, 0), ("E001", 1, 0), ("MV006", 1, 1)]);
    }
}
