//! `text` (rustc/ruff style) and `concise` output, and the `--statistics` table.
//!
//! ```text
//! b.go:4:7: MV006 [*] type assertion to map[string]int panics ...
//!   |
//! 4 |     m := v.(map[string]int)
//!   |          ^^^^^^^^^^^^^^^^^^
//!   |
//!  --> b.go:3:8
//!   |
//! 3 | func f(v any) {
//!   |        - v is declared here
//!   |
//!   = help: use the two-result form `m, ok := v.(map[string]int)`
//!   = fix: make it a comma-ok assertion
//! ```
//! Tabs are shown as four spaces so that carets line up; wide characters count double.

use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use super::{plural, Stat, Summary};
use crate::diagnostic::{Applicability, Diagnostic, Position, Severity};

const TAB: &str = "    ";

/// ANSI styling, on or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, s: &str, sgr: &str) -> String {
        if self.color && !s.is_empty() {
            format!("\x1b[{sgr}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(self, s: &str) -> String {
        self.paint(s, "1")
    }
    fn gutter(self, s: &str) -> String {
        self.paint(s, "1;34")
    }
    fn severity(self, s: &str, sev: Severity) -> String {
        self.paint(
            s,
            match sev {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Hint => "1;36",
            },
        )
    }
}

pub fn write(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    summary: &Summary,
    style: Style,
    quiet: bool,
) -> io::Result<()> {
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_one(out, d, style)?;
    }
    if quiet {
        return Ok(());
    }
    if !diags.is_empty() {
        writeln!(out)?;
    }
    write_summary(out, summary, style)
}

fn write_summary(out: &mut dyn Write, summary: &Summary, style: Style) -> io::Result<()> {
    if summary.fixed > 0 {
        writeln!(out, "Fixed {}.", plural(summary.fixed, "diagnostic"))?;
    }
    let checked = plural(summary.files, "file");
    if summary.diagnostics == 0 {
        writeln!(out, "All checks passed ({checked} checked).")?;
    } else {
        writeln!(
            out,
            "Found {} in {} ({checked} checked).",
            plural(summary.diagnostics, "diagnostic"),
            plural(summary.files_with_diagnostics, "file"),
        )?;
    }
    if summary.fixable > 0 {
        writeln!(
            out,
            "{} {} fixable with `mapvet check --fix`.",
            style.paint("[*]", "36"),
            summary.fixable
        )?;
    }
    Ok(())
}

/// `path:line:col` (`path` alone for whole-file diagnostics).
fn location(path: &str, p: Position) -> String {
    if p.line == 0 {
        path.to_owned()
    } else {
        format!("{path}:{}:{}", p.line, p.column)
    }
}

fn write_one(out: &mut dyn Write, d: &Diagnostic, style: Style) -> io::Result<()> {
    let fixable = if d.has_safe_fix() {
        format!(" {}", style.paint("[*]", "36"))
    } else {
        String::new()
    };
    writeln!(
        out,
        "{}: {}{fixable} {}",
        style.bold(&location(&d.path, d.start)),
        style.severity(d.code, d.severity),
        d.message
    )?;
    let width = std::iter::once(d.start.line)
        .chain(d.labels.iter().map(|l| l.start.line))
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    let pad = " ".repeat(width);
    let bar = style.gutter("|");
    let mut had_snippet = false;
    if d.start.line > 0 {
        let to = (d.end.line == d.start.line).then_some(d.end.column);
        let carets = style.severity(
            &"^".repeat(caret_len(&d.line_text, d.start.column, to)),
            d.severity,
        );
        snippet(
            out,
            &pad,
            d.start.line,
            &d.line_text,
            d.start.column,
            &carets,
            style,
        )?;
        had_snippet = true;
    }
    for l in &d.labels {
        writeln!(out, "{pad} {bar}")?;
        writeln!(
            out,
            "{pad}{} {}",
            style.gutter("-->"),
            location(&l.path, l.start)
        )?;
        let to = (l.end.line == l.start.line).then_some(l.end.column);
        let marks = style.gutter(&"-".repeat(caret_len(&l.line_text, l.start.column, to)));
        let marks = if l.message.is_empty() {
            marks
        } else {
            format!("{marks} {}", style.gutter(&l.message))
        };
        snippet(
            out,
            &pad,
            l.start.line,
            &l.line_text,
            l.start.column,
            &marks,
            style,
        )?;
        had_snippet = true;
    }
    let notes: Vec<(&str, &str)> = d
        .help
        .iter()
        .map(|h| ("help", h.as_str()))
        .chain(
            d.fix
                .iter()
                .filter(|f| d.help.as_deref() != Some(f.title.as_str()))
                .map(|f| {
                    let what = match f.applicability {
                        Applicability::Safe => "fix",
                        Applicability::DisplayOnly => "suggestion",
                    };
                    (what, f.title.as_str())
                }),
        )
        .collect();
    if !notes.is_empty() && had_snippet {
        writeln!(out, "{pad} {bar}")?;
    }
    for (label, text) in notes {
        let text = text.replace('\n', &format!("\n{pad}   {}", " ".repeat(label.len() + 2)));
        writeln!(
            out,
            "{pad} {} {}: {text}",
            style.gutter("="),
            style.bold(label)
        )?;
    }
    Ok(())
}

/// ```text
///   |
/// 4 |     m := v.(map[string]int)
///   |          ^^^^^^^^^^^^^^^^^^
/// ```
fn snippet(
    out: &mut dyn Write,
    pad: &str,
    line: u32,
    text: &str,
    column: u32,
    marks: &str,
    style: Style,
) -> io::Result<()> {
    let bar = style.gutter("|");
    let shown = text.replace('\t', TAB);
    let num = style.gutter(&format!("{line:>w$}", w = pad.len()));
    writeln!(out, "{pad} {bar}")?;
    if shown.is_empty() {
        writeln!(out, "{num} {bar}")?;
    } else {
        writeln!(out, "{num} {bar} {shown}")?;
    }
    let indent = " ".repeat(display_width(prefix(text, column)));
    writeln!(out, "{pad} {bar} {indent}{marks}")
}

/// The text before 1-based byte `column` (whole characters only).
fn prefix(text: &str, column: u32) -> &str {
    let mut at = (column.max(1) as usize - 1).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

/// Columns `s` takes on screen, tabs being [`TAB`] wide.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c == '\t' {
                TAB.len()
            } else {
                c.width().unwrap_or(0)
            }
        })
        .sum()
}

/// How many carets mark bytes `[from, to)` of a line (to the end of the line when the range
/// goes on to later lines); at least one.
fn caret_len(text: &str, from: u32, to: Option<u32>) -> usize {
    let start = prefix(text, from).len();
    let end = match to {
        Some(to) => prefix(text, to).len().max(start),
        None => text.len(),
    };
    display_width(&text[start..end]).max(1)
}

/// The foundation's one-line format: `path:line:col: CODE message`.
pub fn write_concise(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    summary: &Summary,
    quiet: bool,
) -> io::Result<()> {
    for d in diags {
        writeln!(
            out,
            "{}: {} {}",
            location(&d.path, d.start),
            d.code,
            d.message
        )?;
    }
    if quiet {
        return Ok(());
    }
    write_summary(out, summary, Style { color: false })
}

/// `--statistics`: `count  CODE  [*] name`, aligned.
pub fn write_statistics(out: &mut dyn Write, rows: &[Stat], style: Style) -> io::Result<()> {
    let cw = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let kw = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let any_fixable = rows.iter().any(|r| r.fixable > 0);
    for r in rows {
        let mark = match (any_fixable, r.fixable > 0) {
            (false, _) => "",
            (true, true) => "[*] ",
            (true, false) => "    ",
        };
        writeln!(
            out,
            "{:>cw$}  {:<kw$}  {}{}",
            r.count,
            r.code,
            style.paint(mark, "36"),
            r.name
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{statistics, tests::sample, Summary};

    fn render(diags: &[Diagnostic], style: Style) -> String {
        let mut out = Vec::new();
        write(&mut out, diags, &Summary::new(3, diags), style, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn full_text() {
        let d = sample();
        insta::assert_snapshot!(render(&d, Style { color: false }), @r#"
        a.go: E001 cannot read file: Permission denied (os error 13)

        b.go:4:7: MV006 [*] type assertion to map[string]int panics: 50% of "cases"
          |
        4 |     m := v.(map[string]int)
          |          ^^^^^^^^^^^^^^^^^^
          |
         --> b.go:3:8
          |
        3 | func f(v any) {
          |        - v is declared here
          |
          = help: use the two-result form `m, ok := v.(map[string]int)`
          = fix: make it a comma-ok assertion

        c.go:3:1: MV000 expected '}', found 'EOF'
          |
        3 |
          | ^

        Found 3 diagnostics in 3 files (3 files checked).
        [*] 1 fixable with `mapvet check --fix`.
        "#);
    }

    #[test]
    fn colour_only_when_asked() {
        let d = sample();
        let plain = render(&d, Style { color: false });
        let coloured = render(&d, Style { color: true });
        assert!(!plain.contains('\x1b'));
        assert!(coloured.contains("\x1b[1;33mMV006\x1b[0m"), "{coloured}");
        assert!(coloured.contains("\x1b[1;31mMV000\x1b[0m"), "{coloured}");
        // Without the escapes, the same text.
        let stripped = coloured
            .split('\x1b')
            .enumerate()
            .map(|(i, s)| {
                if i == 0 {
                    s
                } else {
                    &s[s.find('m').unwrap() + 1..]
                }
            })
            .collect::<String>();
        assert_eq!(stripped, plain);
    }

    #[test]
    fn carets_follow_tabs_and_wide_characters() {
        assert_eq!(caret_len("\tx := 1", 2, Some(3)), 1);
        assert_eq!(display_width(prefix("\tx := 1", 2)), 4);
        assert_eq!(display_width(prefix("s := \"日本\"; y", 16)), 13);
        assert_eq!(caret_len("abc", 2, None), 2);
        assert_eq!(caret_len("abc", 4, Some(4)), 1);
    }

    #[test]
    fn concise_and_statistics() {
        let d = sample();
        let mut out = Vec::new();
        write_concise(&mut out, &d, &Summary::new(3, &d), false).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r#"
        a.go: E001 cannot read file: Permission denied (os error 13)
        b.go:4:7: MV006 type assertion to map[string]int panics: 50% of "cases"
        c.go:3:1: MV000 expected '}', found 'EOF'
        Found 3 diagnostics in 3 files (3 files checked).
        [*] 1 fixable with `mapvet check --fix`.
        "#);
        let mut out = Vec::new();
        write_statistics(&mut out, &statistics(&d), Style { color: false }).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r"
        1  E001       io-error
        1  MV000      syntax-error
        1  MV006  [*] unchecked-map-assertion
        ");
    }
}
