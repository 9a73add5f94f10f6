//! `github`: GitHub Actions workflow commands, one annotation per diagnostic:
//!
//! ```text
//! ::warning file=b.go,line=4,col=7,endLine=4,endColumn=25,title=MV006 unchecked-map-assertion::message
//! ```
//! Severity maps to `error`, `warning` and `notice`. Escaping follows `@actions/core`: in the
//! message `%`, CR and LF become `%25`, `%0D`, `%0A`; in properties `:` and `,` also become
//! `%3A` and `%2C`. Columns count UTF-16 code units; whole-file diagnostics carry no line.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};

/// `escapeData` of `@actions/core`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `escapeProperty` of `@actions/core`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn command(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "notice",
    };
    let mut props = vec![format!("file={}", escape_property(&d.path))];
    if d.start.line > 0 {
        let (end_line, mut end_col) = if d.end.line < d.start.line {
            (d.start.line, d.start.utf16_column)
        } else {
            (d.end.line, d.end.utf16_column)
        };
        if end_line == d.start.line && end_col <= d.start.utf16_column {
            end_col = d.start.utf16_column + 1;
        }
        props.push(format!("line={}", d.start.line));
        props.push(format!("col={}", d.start.utf16_column));
        props.push(format!("endLine={end_line}"));
        props.push(format!("endColumn={end_col}"));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", d.code, d.name))
    ));
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

pub fn write(out: &mut dyn Write, diags: &[Diagnostic]) -> io::Result<()> {
    for d in diags {
        writeln!(out, "{}", command(d))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::sample;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn commands() {
        let mut d = sample();
        d[1].path = "dir,x/b:1.go".into();
        let got: Vec<String> = d.iter().map(command).collect();
        insta::assert_snapshot!(got.join("\n"), @r#"
        ::error file=a.go,title=E001 io-error::cannot read file: Permission denied (os error 13)
        ::warning file=dir%2Cx/b%3A1.go,line=4,col=7,endLine=4,endColumn=25,title=MV006 unchecked-map-assertion::type assertion to map[string]int panics: 50%25 of "cases"%0Ahelp: use the two-result form `m, ok := v.(map[string]int)`
        ::error file=c.go,line=3,col=1,endLine=3,endColumn=2,title=MV000 syntax-error::expected '}', found 'EOF'
        "#);
    }
}
