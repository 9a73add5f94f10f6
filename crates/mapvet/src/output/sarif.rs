//! `sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! - `runs[0].tool.driver`: `name`, `version`, `semanticVersion`, and `rules`: every rule and
//!   mapvet's own diagnostics, each with `id`, `name`, `shortDescription`, `fullDescription`,
//!   `help` (text and markdown: the rule's documentation, as `mapvet explain` prints it),
//!   `defaultConfiguration.level` and `properties` (`tags`, `precision`, `problem.severity`).
//! - `results`: `ruleId`, `ruleIndex`, `level` (`error`, `warning`, `note`), `message.text`,
//!   one `locations[0].physicalLocation` (`artifactLocation.uri` relative to `%SRCROOT%`, the
//!   working directory, and a `region`), `relatedLocations` for labels, `partialFingerprints`
//!   and `fixes`.
//!
//! Columns are counted in UTF-16 code units (`columnKind`), as SARIF's default says; a point
//! diagnostic gets a one-column region. Whole-file diagnostics point at line 1.
//! `partialFingerprints["mapvet/v1"]` hashes the rule, the path and the trimmed source line
//! (plus the occurrence count of that triple), so an alert keeps its identity when lines
//! above it move.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::all_kinds;
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::rules::doc_text;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    }
}

/// The first paragraph of the doc's `## What it does` section (or the summary).
fn full_description(doc: &str, summary: &str) -> String {
    let mut lines = doc
        .lines()
        .skip_while(|l| !l.starts_with("## What it does"));
    lines.next();
    let para: Vec<&str> = lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("- "))
        .map(str::trim)
        .collect();
    if para.is_empty() {
        summary.to_owned()
    } else {
        para.join(" ")
    }
}

fn rules() -> Vec<Value> {
    all_kinds()
        .into_iter()
        .map(|(k, meta)| {
            let help = match meta {
                Some(m) => doc_text(m),
                None => format!(
                    "{}: {}. This is one of mapvet's own diagnostics.",
                    k.name, k.summary
                ),
            };
            let full = meta.map_or_else(
                || k.summary.to_owned(),
                |m| full_description(&doc_text(m), k.summary),
            );
            let tag = match k.code {
                c if c.starts_with("MP") => "performance",
                c if c.starts_with("MV") => "correctness",
                _ => "mapvet",
            };
            let problem = match k.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Hint => "recommendation",
            };
            json!({
                "id": k.code,
                "name": k.name,
                "shortDescription": { "text": k.summary },
                "fullDescription": { "text": full },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(k.severity) },
                "properties": {
                    "tags": [tag],
                    "precision": "high",
                    "problem.severity": problem,
                },
            })
        })
        .collect()
}

/// A relative path as a URI reference: `/` separators, `./` dropped, percent-encoded. An
/// absolute path becomes a `file://` URI.
pub fn uri(path: &str) -> (String, bool) {
    let p = path.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let mut enc = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    if p.starts_with('/') {
        (format!("file://{enc}"), false)
    } else {
        (enc, true)
    }
}

fn artifact(path: &str) -> Value {
    let (u, relative) = uri(path);
    if relative {
        json!({ "uri": u, "uriBaseId": "%SRCROOT%" })
    } else {
        json!({ "uri": u })
    }
}

fn region(start: Position, end: Position) -> Value {
    if start.line == 0 {
        return json!({ "startLine": 1 });
    }
    let (end_line, mut end_col) = if end.line < start.line {
        (start.line, start.utf16_column)
    } else {
        (end.line, end.utf16_column)
    };
    if end_line == start.line && end_col <= start.utf16_column {
        end_col = start.utf16_column + 1;
    }
    json!({
        "startLine": start.line,
        "startColumn": start.utf16_column,
        "endLine": end_line,
        "endColumn": end_col,
    })
}

/// FNV-1a, 64 bits: stable across runs, platforms and versions.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub fn document(diags: &[Diagnostic]) -> Value {
    let kinds = all_kinds();
    let index: HashMap<&str, usize> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| (k.0.code, i))
        .collect();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let key = fnv1a(&[d.code.as_bytes(), d.path.as_bytes(), d.line_text.trim().as_bytes()]);
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            let fingerprint = format!("{key:016x}:{n}");
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut r = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact(&d.path),
                        "region": region(d.start, d.end),
                    }
                }],
                "partialFingerprints": { "mapvet/v1": fingerprint },
            });
            if let Some(&i) = index.get(d.code) {
                r["ruleIndex"] = json!(i);
            }
            if !d.labels.is_empty() {
                r["relatedLocations"] = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        json!({
                            "id": i,
                            "physicalLocation": {
                                "artifactLocation": artifact(&l.path),
                                "region": region(l.start, l.end),
                            },
                            "message": { "text": l.message },
                        })
                    })
                    .collect();
            }
            if let Some(f) = &d.fix {
                let mut by_file: Vec<(&str, Vec<Value>)> = Vec::new();
                for e in &f.edits {
                    let rep = json!({
                        "deletedRegion": {
                            "startLine": e.start.line,
                            "startColumn": e.start.utf16_column,
                            "endLine": e.end.line,
                            "endColumn": e.end.utf16_column,
                        },
                        "insertedContent": { "text": e.replacement },
                    });
                    match by_file.iter_mut().find(|(p, _)| *p == e.path) {
                        Some((_, v)) => v.push(rep),
                        None => by_file.push((&e.path, vec![rep])),
                    }
                }
                r["fixes"] = json!([{
                    "description": { "text": f.title },
                    "artifactChanges": by_file
                        .into_iter()
                        .map(|(p, reps)| json!({ "artifactLocation": artifact(p), "replacements": reps }))
                        .collect::<Vec<_>>(),
                }]);
            }
            r
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "mapvet",
                    "version": version,
                    "semanticVersion": version,
                    "rules": rules(),
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

pub fn write(out: &mut dyn Write, diags: &[Diagnostic]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(diags)).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::sample;

    #[test]
    fn uris() {
        assert_eq!(uri("a/b.go"), ("a/b.go".into(), true));
        assert_eq!(uri("./a b/c%.go"), ("a%20b/c%25.go".into(), true));
        assert_eq!(uri("/abs/x.go"), ("file:///abs/x.go".into(), false));
        assert_eq!(uri("dir\\x.go"), ("dir/x.go".into(), true));
    }

    #[test]
    fn regions() {
        let p = Position::new(3, 5);
        assert_eq!(
            region(p, p),
            json!({"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 6})
        );
        assert_eq!(
            region(Position::WHOLE_FILE, Position::WHOLE_FILE),
            json!({"startLine": 1})
        );
    }

    #[test]
    fn fingerprints_survive_line_moves() {
        let d = sample();
        let mut moved = d.clone();
        for x in &mut moved {
            x.start.line += 10;
            x.end.line += 10;
        }
        let fp = |v: &Value| -> Vec<Value> {
            v["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["partialFingerprints"].clone())
                .collect()
        };
        assert_eq!(fp(&document(&d)), fp(&document(&moved)));
        // Two identical findings on identical lines get distinct fingerprints.
        let twice = vec![d[1].clone(), d[1].clone()];
        let f = fp(&document(&twice));
        assert_ne!(f[0], f[1]);
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        let doc = "## What it does\nFinds a\nthing.\n\nMore.\n## Why\nx";
        assert_eq!(full_description(doc, "s"), "Finds a thing.");
        assert_eq!(full_description("(none)", "s"), "s");
    }
}
