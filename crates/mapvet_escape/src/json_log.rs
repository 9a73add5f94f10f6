//! The compiler's machine-readable optimization log (`-json=0,DIR`, the format gopls reads).
//!
//! `DIR/<escaped package path>/<file>.json` holds, for one source file, a header line
//! (`{"version":0,"package":...,"goos":...,"goarch":...,"gc_version":...,"file":...}`) and then
//! one LSP diagnostic per line: 1-based `range.start` `line`/`character` (byte column), a `code`
//! (`escape`, `escapes`, `leak`, `canInlineFunction`, `nilcheck`, ...) and for escapes and leaks
//! the reason chain in `relatedInformation`: `escflow:    flow: DST ← SRC:` and
//! `escflow:      from WHAT (WHY)` entries, each located, followed by `inlineLoc` entries for
//! positions inside inlined calls. Every escape is logged twice: once with the message and the
//! chain, once with an empty message. The log says nothing about what does *not* escape.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use std::sync::{Arc, OnceLock};

use crate::model::{
    split_flow, split_leak, split_note, ExplKind, Explanation, Flow, LazyFlows, Note, Pos,
};

#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    gc_version: String,
    #[serde(default)]
    file: String,
}

#[derive(Deserialize)]
struct Diagnostic {
    #[serde(default, rename = "relatedInformation")]
    related: Vec<Related>,
}

#[derive(Deserialize)]
struct Related {
    location: Location,
    message: String,
}

#[derive(Deserialize)]
struct Location {
    uri: String,
    range: Range,
}

#[derive(Deserialize)]
struct Range {
    start: LspPos,
}

#[derive(Deserialize)]
struct LspPos {
    line: u32,
    character: u32,
}

/// What the JSON log holds: chains, inlinable functions and the compiler version.
#[derive(Debug, Default)]
pub struct JsonLog {
    pub explanations: Vec<Explanation>,
    /// `canInlineFunction` positions.
    pub inlinable: Vec<Pos>,
    pub go_version: Option<String>,
    /// The source file of each log file (its header's `file`).
    pub logged: Vec<PathBuf>,
}

/// Everything in the log files under `dir`.
pub fn read_dir(dir: &Path) -> JsonLog {
    let mut files = Vec::new();
    collect(dir, &mut files, 0);
    files.sort();
    let parsed: Vec<JsonLog> = files
        .par_iter()
        .map(|f| match std::fs::read(f) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                parse_text(Arc::new(text))
            }
            Err(_) => JsonLog::default(),
        })
        .collect();
    let mut out = JsonLog::default();
    for p in parsed {
        out.explanations.extend(p.explanations);
        out.inlinable.extend(p.inlinable);
        out.logged.extend(p.logged);
        if out.go_version.is_none() {
            out.go_version = p.go_version;
        }
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() && depth < 4 => collect(&p, out, depth + 1),
            Ok(t) if t.is_file() && p.extension().is_some_and(|x| x == "json") => out.push(p),
            _ => {}
        }
    }
}

/// Parses one log file. Only escape and leak records with a message are kept (most of a log
/// is inlining notes, and every escape is logged a second time without a message); their
/// position, code and message are read straight from the line, and the chain is left encoded
/// until it is needed ([`crate::model::Explanation::flows`]). A line that cannot be read (a
/// log written twice at once by two compilations of one package, in `go test` mode) is
/// skipped.
pub fn parse_file(text: &str) -> JsonLog {
    parse_text(Arc::new(text.to_string()))
}

fn parse_text(text: Arc<String>) -> JsonLog {
    let mut lines = LineRanges::new(&text);
    let Some(first) = lines.next() else {
        return JsonLog::default();
    };
    let Ok(header) = serde_json::from_str::<Header>(&text[first]) else {
        return JsonLog::default();
    };
    let file = PathBuf::from(&header.file);
    let version = (!header.gc_version.is_empty()).then_some(header.gc_version);
    let mut out = Vec::new();
    let mut inlinable = Vec::new();
    for range in lines {
        let line = &text[range.clone()];
        let Some(code) = string_field(line, "\"code\":\"") else {
            continue;
        };
        if code == "canInlineFunction" {
            if let (Some(l), Some(ch)) = (
                int_field(line, "\"line\":"),
                int_field(line, "\"character\":"),
            ) {
                inlinable.push(Pos {
                    file: file.clone(),
                    line: l,
                    col: ch,
                });
            }
            continue;
        }
        if !matches!(code.as_str(), "escape" | "escapes" | "leak") {
            continue;
        }
        let Some(message) = string_field(line, "\"message\":\"") else {
            continue;
        };
        if message.is_empty() {
            continue;
        }
        let (Some(l), Some(ch)) = (
            int_field(line, "\"line\":"),
            int_field(line, "\"character\":"),
        ) else {
            continue;
        };
        let pos = Pos {
            file: file.clone(),
            line: l,
            col: ch,
        };
        let (subject, kind) = if code == "leak" {
            let Some((name, to, derefs)) = split_leak(&message) else {
                continue;
            };
            (name, ExplKind::Leak { to, derefs })
        } else {
            let Some(s) = message.strip_suffix(" escapes to heap") else {
                continue;
            };
            (s.to_string(), ExplKind::Escape)
        };
        out.push(Explanation {
            pos,
            subject,
            kind,
            flows: Vec::new(),
            lazy: Some(LazyFlows {
                text: text.clone(),
                range,
                decoded: OnceLock::new(),
            }),
        });
    }
    JsonLog {
        explanations: out,
        inlinable,
        go_version: version,
        logged: vec![file],
    }
}

/// Byte ranges of the lines of `text`.
struct LineRanges<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> LineRanges<'t> {
    fn new(text: &'t str) -> Self {
        LineRanges { text, at: 0 }
    }
}

impl Iterator for LineRanges<'_> {
    type Item = std::ops::Range<usize>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.text.len() {
            return None;
        }
        let start = self.at;
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        self.at = end + 1;
        Some(start..end)
    }
}

/// The integer after the first occurrence of `key`.
fn int_field(line: &str, key: &str) -> Option<u32> {
    let i = line.find(key)? + key.len();
    let digits: &str = &line[i..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// The JSON string after the first occurrence of `key` (which ends with the opening quote),
/// unescaped. The top-level `code` and `message` come before `relatedInformation` in the
/// compiler's encoding, so the first occurrence is the record's own.
fn string_field(line: &str, key: &str) -> Option<String> {
    let i = line.find(key)? + key.len();
    let rest = &line[i..];
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((_, ch)) = chars.next() {
        match ch {
            '"' => return Some(out),
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    '"' | '\\' | '/' => out.push(e),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let mut hex = String::new();
                        for _ in 0..4 {
                            hex.push(chars.next()?.1);
                        }
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        // A surrogate pair is decoded by serde when it matters; here it only
                        // names a node, so a replacement character will do.
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    None
}

/// Decodes the chain of one log record (a whole JSON line).
pub(crate) fn decode_flows(line: &str, file: &Path) -> Vec<Flow> {
    let Ok(d) = serde_json::from_str::<Diagnostic>(line) else {
        return Vec::new();
    };
    let mut flows: Vec<Flow> = Vec::new();
    for r in d.related {
        let Some(m) = r.message.strip_prefix("escflow:") else {
            continue; // inlineLoc
        };
        let m = m.trim();
        if let Some(f) = m.strip_prefix("flow: ") {
            if let Some(flow) = split_flow(f) {
                flows.push(flow);
            }
        } else if let Some(n) = m.strip_prefix("from ") {
            if let (Some((what, why)), Some(flow)) = (split_note(n), flows.last_mut()) {
                let pos = Pos {
                    file: uri_path(&r.location.uri).unwrap_or_else(|| file.to_path_buf()),
                    line: r.location.range.start.line,
                    col: r.location.range.start.character,
                };
                flow.notes.push(Note {
                    what,
                    why,
                    pos: Some(pos),
                });
            }
        }
    }
    flows
}

/// `file:///a/b%20c.go` → `/a/b c.go` (`file:///C:/x` → `C:/x`).
fn uri_path(uri: &str) -> Option<PathBuf> {
    let p = uri.strip_prefix("file://")?;
    let bytes = p.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let mut s = String::from_utf8_lossy(&out).into_owned();
    // Windows: `/C:/x`.
    if s.len() > 2 && s.as_bytes()[0] == b'/' && s.as_bytes()[2] == b':' {
        s.remove(0);
    }
    Some(PathBuf::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"{"version":0,"package":"example.com/esc","goos":"linux","goarch":"amd64","gc_version":"go1.26.8","file":"/tmp/esc1/esc.go"}
{"range":{"start":{"line":10,"character":6},"end":{"line":10,"character":6}},"severity":3,"code":"canInlineFunction","source":"go compiler","message":"cost: 13"}
{"range":{"start":{"line":11,"character":11},"end":{"line":11,"character":11}},"severity":3,"code":"escape","source":"go compiler","message":"make(map[string]int) escapes to heap","relatedInformation":[{"location":{"uri":"file:///tmp/esc1/esc.go","range":{"start":{"line":11,"character":11},"end":{"line":11,"character":11}}},"message":"escflow:    flow: m ← \u0026{storage for make(map[string]int)}:"},{"location":{"uri":"file:///tmp/esc1/esc.go","range":{"start":{"line":11,"character":11},"end":{"line":11,"character":11}}},"message":"escflow:      from make(map[string]int) (spill)"},{"location":{"uri":"file:///tmp/esc1/esc.go","range":{"start":{"line":13,"character":2},"end":{"line":13,"character":2}}},"message":"escflow:      from return m (return)"},{"location":{"uri":"file:///usr/local/go/src/fmt/print.go","range":{"start":{"line":315,"character":17},"end":{"line":315,"character":17}}},"message":"inlineLoc"}]}
{"range":{"start":{"line":11,"character":11},"end":{"line":11,"character":11}},"severity":3,"code":"escape","source":"go compiler","message":""}
{"range":{"start":{"line":60,"character":11},"end":{"line":60,"character":11}},"severity":3,"code":"leak","source":"go compiler","message":"parameter m leaks to ~r0 with derefs=0","relatedInformation":[{"location":{"uri":"file:///tmp/esc1/my%20esc.go","range":{"start":{"line":61,"character":2},"end":{"line":61,"character":2}}},"message":"escflow:    flow: ~r0 ← m:"},{"location":{"uri":"file:///tmp/esc1/my%20esc.go","range":{"start":{"line":61,"character":2},"end":{"line":61,"character":2}}},"message":"escflow:      from return m (return)"}]}
"#;

    #[test]
    fn reads_fields_without_decoding() {
        let line = r#"{"range":{"start":{"line":22,"character":7}},"code":"escape","message":"\u0026Holder{...} escapes to heap","relatedInformation":[{"message":"x"}]}"#;
        assert_eq!(
            string_field(line, "\"message\":\"").as_deref(),
            Some("&Holder{...} escapes to heap")
        );
        assert_eq!(int_field(line, "\"line\":"), Some(22));
        assert_eq!(int_field(line, "\"character\":"), Some(7));
        assert_eq!(
            string_field(r#""message":"a\"b""#, "\"message\":\"").as_deref(),
            Some("a\"b")
        );
    }

    #[test]
    fn parses_log() {
        let log = parse_file(LOG);
        assert_eq!(log.go_version.as_deref(), Some("go1.26.8"));
        assert_eq!(log.inlinable.len(), 1);
        let ex = log.explanations;
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].subject, "make(map[string]int)");
        assert_eq!((ex[0].pos.line, ex[0].pos.col), (11, 11));
        assert_eq!(ex[0].flows()[0].notes.len(), 2);
        assert_eq!(ex[0].flows()[0].notes[1].why, "return");
        assert_eq!(
            ex[1].kind,
            ExplKind::Leak {
                to: "~r0".into(),
                derefs: 0
            }
        );
        assert_eq!(
            ex[1].flows()[0].notes[0].pos.as_ref().unwrap().file,
            PathBuf::from("/tmp/esc1/my esc.go")
        );
    }
}
