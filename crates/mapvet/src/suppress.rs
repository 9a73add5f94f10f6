//! Suppression comments: which lines of a file are exempt from which rules.
//!
//! - `//mapvet:ignore CODE[,CODE...] [reason]` (codes or names): at the end of a line, that
//!   line; alone on a line, the line after its comment block (so a directive can sit under an
//!   explanatory comment).
//! - `//mapvet:file-ignore CODE[,CODE...] [reason]`: the whole file.
//! - `//nolint`, `//nolint:all`, `//nolint:mapvet[,other] [// reason]`: golangci-lint's own
//!   semantics, reproduced from its `nolint` processor. The directive covers the lines of its
//!   comment group (go/parser's grouping), and every syntax node that starts on the line after
//!   the group, in the group's column: for a group alone on its lines, the declaration, the
//!   statement with its blocks, the struct field that follows. Above the package clause that
//!   node is the file: the whole file is covered. A list naming other linters only is not
//!   ours.
//!
//! Syntax errors (`MV000`) and I/O errors (`E001`) cannot be suppressed.

use std::collections::HashSet;

use mapvet_syntax::ast::{self, Decl, Expr, Spec, Stmt};
use mapvet_syntax::visit::{self, Visitor};
use mapvet_syntax::Comment;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, KnownStr, Position, SourceText, UNUSED_IGNORE};
use crate::rules::Selection;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DirectiveKind {
    Ignore,
    FileIgnore,
    Nolint,
}

impl DirectiveKind {
    fn spelling(self) -> &'static str {
        match self {
            DirectiveKind::Ignore => "//mapvet:ignore",
            DirectiveKind::FileIgnore => "//mapvet:file-ignore",
            DirectiveKind::Nolint => "//nolint",
        }
    }
}

/// One suppression comment and the lines it covers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The comment's range.
    pub start: Position,
    pub end: Position,
    pub line_text: String,
    /// The rule codes named; `None` means every mapvet rule (`//nolint`, `//nolint:mapvet`).
    #[serde(with = "known_codes")]
    pub codes: Option<Vec<KnownStr>>,
    /// Names that match no rule (reported, never matching).
    pub unknown: Vec<String>,
    /// First and last line covered (1-based, inclusive).
    pub from: u32,
    pub to: u32,
    /// Which of `codes` (or, for `None`, whether any rule) suppressed something.
    used: Vec<bool>,
}

impl Directive {
    fn covers(&self, d: &Diagnostic) -> Option<usize> {
        if d.start.line < self.from || d.start.line > self.to {
            return None;
        }
        match &self.codes {
            None => Some(0),
            Some(codes) => codes.iter().position(|c| *c == d.code),
        }
    }
}

/// Serde for [`Directive::codes`] (see [`crate::diagnostic::known_str`]).
mod known_codes {
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        v: &Option<Vec<&'static str>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<&'static str>>, D::Error> {
        let v: Option<Vec<String>> = Option::deserialize(d)?;
        v.map(|codes| {
            codes
                .iter()
                .map(|c| {
                    crate::diagnostic::known_str::intern(c)
                        .ok_or_else(|| D::Error::custom(format!("unknown code {c:?}")))
                })
                .collect()
        })
        .transpose()
    }
}

/// The suppressions of one file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileSuppressions {
    pub directives: Vec<Directive>,
}

/// Diagnostics that suppression comments never hide.
fn suppressible(d: &Diagnostic) -> bool {
    mapvet_rules::find(d.code).is_some()
}

impl FileSuppressions {
    /// Finds the directives among `comments` of the file `src` (parsed into `file`).
    pub fn parse(src: &[u8], file: &ast::File<'_>, comments: &[Comment]) -> FileSuppressions {
        // Most files have no directive at all: find out cheaply (a directive's word appears
        // somewhere in the file, then in some comment).
        let in_file = |needle: &[u8]| memchr::memmem::find(src, needle).is_some();
        if !in_file(b"nolint") && !in_file(b"mapvet:") {
            return FileSuppressions::default();
        }
        let has = |c: &Comment, needle: &[u8]| {
            memchr::memmem::find(&src[c.span.start as usize..c.span.end as usize], needle).is_some()
        };
        if !comments
            .iter()
            .any(|c| has(c, b"nolint") || has(c, b"mapvet:"))
        {
            return FileSuppressions::default();
        }
        let text = SourceText::new(src);
        let groups = comment_groups(src, comments);
        let mut directives = Vec::new();
        // Nolint groups standing alone: (end line + 1, column) → expand to the node there.
        let mut pending_nodes: Vec<(usize, u32)> = Vec::new();
        for g in &groups {
            let first = comments[g.first];
            let gstart = text.position(first.span.start);
            let gend = text.position(comments[g.last].span.end);
            for c in &comments[g.first..=g.last] {
                let body = &src[c.span.start as usize..c.span.end as usize];
                let Some(body) = body.strip_prefix(b"//") else {
                    continue; // golangci-lint and Go directives: line comments only
                };
                let body = String::from_utf8_lossy(body);
                let Some((kind, codes, unknown)) = parse_directive(&body) else {
                    continue;
                };
                let start = text.position(c.span.start);
                let (from, to) = match kind {
                    DirectiveKind::FileIgnore => (1, u32::MAX),
                    DirectiveKind::Nolint => (gstart.line, gend.line),
                    DirectiveKind::Ignore if g.trailing => (start.line, start.line),
                    DirectiveKind::Ignore => (start.line, gend.line + 1),
                };
                // golangci-lint expands every group, even one after code (whose column a
                // node on the next line rarely shares).
                if kind == DirectiveKind::Nolint {
                    pending_nodes.push((directives.len(), gstart.column));
                }
                let n = codes.as_ref().map_or(1, Vec::len);
                directives.push(Directive {
                    kind,
                    start,
                    end: text.position(c.span.end),
                    line_text: text.line_text(start.line),
                    codes,
                    unknown,
                    from,
                    to,
                    used: vec![false; n],
                });
            }
        }
        if !pending_nodes.is_empty() {
            expand_to_nodes(&text, file, &mut directives, &pending_nodes);
        }
        FileSuppressions { directives }
    }

    /// Whether `d` is suppressed; marks the directives that suppress it as used.
    pub fn suppresses(&mut self, d: &Diagnostic) -> bool {
        if !suppressible(d) {
            return false;
        }
        let mut hit = false;
        for dir in &mut self.directives {
            if let Some(i) = dir.covers(d) {
                dir.used[i] = true;
                hit = true;
            }
        }
        hit
    }

    /// `E002 unused-ignore` for every directive (or named code) that suppressed nothing,
    /// counting only rules that ran (`selection`).
    pub fn unused(&self, path: &str, selection: &Selection) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for dir in &self.directives {
            let mut unused: Vec<String> = Vec::new();
            match &dir.codes {
                None => {
                    if !dir.used[0] && selection.any() {
                        unused.push(String::new());
                    }
                }
                Some(codes) => {
                    for (i, c) in codes.iter().enumerate() {
                        if !dir.used[i] && selection.is_code_enabled(c) {
                            unused.push((*c).to_owned());
                        }
                    }
                }
            }
            let mut messages = Vec::new();
            if !unused.is_empty() {
                messages.push(match (&dir.codes, dir.kind) {
                    (None, _) => format!(
                        "unused `{}`: no mapvet diagnostic on the lines it covers",
                        dir.kind.spelling()
                    ),
                    (Some(_), DirectiveKind::FileIgnore) => format!(
                        "unused `{}`: no {} diagnostic in this file",
                        dir.kind.spelling(),
                        unused.join(", ")
                    ),
                    (Some(_), _) => format!(
                        "unused `{}`: no {} diagnostic on the line it covers",
                        dir.kind.spelling(),
                        unused.join(", ")
                    ),
                });
            }
            for u in &dir.unknown {
                messages.push(format!(
                    "`{}` names an unknown rule {u:?}; `mapvet rules` lists them",
                    dir.kind.spelling()
                ));
            }
            for message in messages {
                let mut d = Diagnostic::new(UNUSED_IGNORE, path, dir.start, dir.end, message);
                d.line_text = dir.line_text.clone();
                d.help = Some("remove the comment, or fix the rule it names".into());
                out.push(d);
            }
        }
        out
    }

    /// Directives that name rules that do not exist: `(position, message)`.
    pub fn problems(&self) -> impl Iterator<Item = (Position, String)> + '_ {
        self.directives.iter().flat_map(|d| {
            d.unknown.iter().map(move |u| {
                (
                    d.start,
                    format!("`{}` names an unknown rule {u:?}", d.kind.spelling()),
                )
            })
        })
    }
}

/// A directive's kind, the codes it names (None: all of mapvet) and the unknown names, from
/// the text after `//`. None when the comment is not a directive for mapvet.
#[allow(clippy::type_complexity)]
fn parse_directive(body: &str) -> Option<(DirectiveKind, Option<Vec<&'static str>>, Vec<String>)> {
    let trimmed = body.trim_start();
    for (prefix, kind) in [
        ("mapvet:ignore", DirectiveKind::Ignore),
        ("mapvet:file-ignore", DirectiveKind::FileIgnore),
    ] {
        let Some(rest) = trimmed.strip_prefix(prefix) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        let list = rest.split_whitespace().next().unwrap_or("");
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match mapvet_rules::find(name) {
                Some(r) => codes.push(r.meta.code),
                None => unknown.push(name.to_owned()),
            }
        }
        if codes.is_empty() && unknown.is_empty() {
            unknown.push(String::new());
        }
        return Some((kind, Some(codes), unknown));
    }
    // golangci-lint: strings.TrimLeft(text, "/ ") then `^nolint( |:|$)`.
    let text = body.trim_start_matches(['/', ' ']);
    let rest = text.strip_prefix("nolint")?;
    if !(rest.is_empty() || rest.starts_with([' ', ':'])) {
        return None;
    }
    if text.starts_with("nolint:all") || !text.starts_with("nolint:") {
        return Some((DirectiveKind::Nolint, None, Vec::new()));
    }
    let list = text["nolint:".len()..].split("//").next().unwrap_or("");
    let names: Vec<String> = list.split(',').map(|n| n.trim().to_lowercase()).collect();
    if names.iter().any(|n| n == "all" || n == "mapvet") {
        return Some((DirectiveKind::Nolint, None, Vec::new()));
    }
    None
}

/// A comment group as go/parser forms them: comments separated only by whitespace, on
/// adjacent lines; a comment after code on its line starts a group that takes only the
/// comments of that same line.
struct Group {
    first: usize,
    last: usize,
    trailing: bool,
}

fn comment_groups(src: &[u8], comments: &[Comment]) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut i = 0;
    // Lines counted incrementally: comments come in source order.
    let mut lines: Vec<(usize, usize)> = Vec::with_capacity(comments.len());
    let (mut off, mut line) = (0usize, 0usize);
    for c in comments {
        let (s, e) = (c.span.start as usize, c.span.end as usize);
        line += src[off..s].iter().filter(|&&b| b == b'\n').count();
        let start_line = line;
        line += src[s..e].iter().filter(|&&b| b == b'\n').count();
        off = e;
        lines.push((start_line, line));
    }
    while i < comments.len() {
        let s = comments[i].span.start as usize;
        let line_start = src[..s]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let trailing = !src[line_start..s].iter().all(u8::is_ascii_whitespace);
        let n = if trailing { 0 } else { 1 };
        let first = i;
        let mut end_line = lines[i].1;
        i += 1;
        while i < comments.len() {
            let between = &src[comments[i - 1].span.end as usize..comments[i].span.start as usize];
            if lines[i].0 > end_line + n || !between.iter().all(u8::is_ascii_whitespace) {
                break;
            }
            end_line = lines[i].1;
            i += 1;
        }
        groups.push(Group {
            first,
            last: i - 1,
            trailing,
        });
    }
    groups
}

/// golangci-lint's range expansion: a standalone `//nolint` group also covers every node that
/// starts on the line after the group, in the group's column.
fn expand_to_nodes(
    text: &SourceText<'_>,
    file: &ast::File<'_>,
    directives: &mut [Directive],
    pending: &[(usize, u32)],
) {
    // The byte offset where such a node must start, per pending directive.
    let mut targets: Vec<(u32, usize)> = Vec::new();
    for &(i, col) in pending {
        let next = directives[i].to + 1;
        let Some(ls) = text.index.line_start(next) else {
            continue;
        };
        let off = ls + col - 1;
        // The column must exist on that line (a shorter line has no node there).
        if (off as usize) < text.src.len() && text.position(off).line == next {
            targets.push((off, i));
        }
    }
    if targets.is_empty() {
        return;
    }
    let starts: HashSet<u32> = targets.iter().map(|t| t.0).collect();
    let mut f = NodeEnds {
        starts,
        ends: Vec::new(),
    };
    // The file itself starts at `package`: a group right above it covers the whole file.
    if f.starts.contains(&file.package) {
        f.ends.push((file.package, text.src.len() as u32));
    }
    visit::walk_file(&mut f, file);
    for (off, i) in targets {
        let end = f.ends.iter().filter(|e| e.0 == off).map(|e| e.1).max();
        if let Some(end) = end {
            let end_line = text.position(end.saturating_sub(1).max(off)).line;
            let d = &mut directives[i];
            d.to = d.to.max(end_line);
        }
    }
}

/// Collects the end offset of every node that starts at one of `starts`.
struct NodeEnds {
    starts: HashSet<u32>,
    ends: Vec<(u32, u32)>,
}

impl NodeEnds {
    fn node(&mut self, span: mapvet_syntax::Span) {
        if self.starts.contains(&span.start) {
            self.ends.push((span.start, span.end));
        }
    }
}

impl<'a> Visitor<'a> for NodeEnds {
    fn visit_expr(&mut self, e: Expr<'a>) -> bool {
        self.node(e.span());
        true
    }
    fn visit_stmt(&mut self, s: Stmt<'a>) -> bool {
        self.node(s.span());
        true
    }
    fn visit_decl(&mut self, d: &Decl<'a>) -> bool {
        self.node(d.span());
        if let Decl::Gen(g) = d {
            for s in g.specs {
                self.node(match s {
                    Spec::Import(i) => i.span,
                    Spec::Value(v) => v.span,
                    Spec::Type(t) => t.span,
                });
            }
        }
        true
    }
    fn visit_field_list(&mut self, l: &'a ast::FieldList<'a>) -> bool {
        self.node(l.span);
        for f in l.list {
            self.node(f.span);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Kind;
    use mapvet_syntax::{parse_file, Bump};

    /// The lines each directive covers, as `(from, to)`, and the codes it names.
    fn ranges(src: &str) -> Vec<(u32, u32, Option<Vec<&'static str>>)> {
        let arena = Bump::new();
        let p = parse_file(&arena, src.as_bytes());
        let s = FileSuppressions::parse(src.as_bytes(), p.file, &p.comments);
        s.directives
            .into_iter()
            .map(|d| (d.from, d.to, d.codes))
            .collect()
    }

    fn diag(code: &'static str, line: u32) -> Diagnostic {
        let kind = Kind {
            code,
            name: "",
            severity: crate::diagnostic::Severity::Warning,
            summary: "",
        };
        Diagnostic::new(
            kind,
            "a.go",
            Position::new(line, 2),
            Position::new(line, 3),
            String::new(),
        )
    }

    #[test]
    fn directive_syntax() {
        let all = Some((DirectiveKind::Nolint, None, vec![]));
        assert_eq!(parse_directive("nolint"), all);
        assert_eq!(parse_directive(" nolint"), all);
        assert_eq!(parse_directive("nolint:all"), all);
        assert_eq!(parse_directive("nolint:mapvet"), all);
        assert_eq!(parse_directive("nolint:errcheck, MapVet // why"), all);
        assert_eq!(parse_directive("nolint // because"), all);
        assert_eq!(parse_directive("nolint:errcheck"), None);
        assert_eq!(parse_directive("nolint:mapvet reason"), None); // golangci: "mapvet reason"
        assert_eq!(parse_directive("nolintfoo"), None);
        assert_eq!(parse_directive("no lint"), None);
        assert_eq!(
            parse_directive("mapvet:ignore MV006,nil-map-write checked by caller"),
            Some((DirectiveKind::Ignore, Some(vec!["MV006", "MV001"]), vec![]))
        );
        assert_eq!(
            parse_directive("mapvet:file-ignore mv006"),
            Some((DirectiveKind::FileIgnore, Some(vec!["MV006"]), vec![]))
        );
        assert_eq!(
            parse_directive("mapvet:ignore XX1"),
            Some((DirectiveKind::Ignore, Some(vec![]), vec!["XX1".into()]))
        );
        assert_eq!(
            parse_directive("mapvet:ignore"),
            Some((DirectiveKind::Ignore, Some(vec![]), vec![String::new()]))
        );
        assert_eq!(parse_directive("mapvet:ignored MV001"), None);
    }

    #[test]
    fn mapvet_ignore_covers_its_line_or_the_next() {
        let src = "package p\n\
                   func f() {\n\
                   \tx := 1 //mapvet:ignore MV006\n\
                   \t// The value is checked by the caller.\n\
                   \t//mapvet:ignore MV006 reason\n\
                   \ty := 2\n\
                   }\n\
                   //mapvet:file-ignore MV001\n";
        assert_eq!(
            ranges(src),
            [
                (3, 3, Some(vec!["MV006"])),
                (5, 6, Some(vec!["MV006"])),
                (1, u32::MAX, Some(vec!["MV001"]))
            ]
        );
    }

    #[test]
    fn nolint_expands_to_the_following_node() {
        let src = "package p\n\
                   \n\
                   // f does things.\n\
                   //nolint:mapvet // reason\n\
                   func f() {\n\
                   \tg() //nolint\n\
                   \t//nolint:all\n\
                   \tif true {\n\
                   \t\tg()\n\
                   \t}\n\
                   \t//nolint\n\
                   \n\
                   \tg()\n\
                   }\n\
                   \n\
                   type T struct {\n\
                   \t//nolint\n\
                   \tF map[string]int\n\
                   \tG int\n\
                   }\n";
        assert_eq!(
            ranges(src),
            [
                (3, 14, None),  // doc group + the whole function
                (6, 6, None),   // end of line: that line
                (7, 10, None),  // the if statement and its block
                (11, 11, None), // a blank line follows: nothing to expand to
                (17, 18, None), // the field
            ]
        );
    }

    #[test]
    fn nolint_above_package_covers_the_file() {
        let src = "// Copyright notice.\n\n//nolint:mapvet\npackage p\n\nfunc f() {}\n";
        assert_eq!(ranges(src), [(3, 6, None)]);
        // Not in the package's column: only its own lines.
        let src = "  //nolint:mapvet\npackage p\n";
        assert_eq!(ranges(src), [(1, 1, None)]);
    }

    #[test]
    fn matching_and_unused() {
        let src = "package p\n\
                   func f() {\n\
                   \tx() //mapvet:ignore MV006,MV001\n\
                   \ty() //nolint:mapvet\n\
                   \tz() //mapvet:ignore MV006\n\
                   }\n";
        let arena = Bump::new();
        let p = parse_file(&arena, src.as_bytes());
        let mut s = FileSuppressions::parse(src.as_bytes(), p.file, &p.comments);
        assert!(s.suppresses(&diag("MV006", 3)));
        assert!(!s.suppresses(&diag("MV005", 3)));
        assert!(s.suppresses(&diag("MV005", 4)));
        assert!(!s.suppresses(&diag("MV006", 6)));
        assert!(!s.suppresses(&diag("MV000", 4)), "syntax errors stay");
        let sel = Selection::new(None, None).unwrap();
        let unused: Vec<String> = s
            .unused("a.go", &sel)
            .into_iter()
            .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.message))
            .collect();
        assert_eq!(
            unused,
            [
                "3:6 unused `//mapvet:ignore`: no MV001 diagnostic on the line it covers",
                "5:6 unused `//mapvet:ignore`: no MV006 diagnostic on the line it covers",
            ]
        );
        // Rules that did not run are not reported as unused.
        let only5 = Selection::new(Some(&["MV005".to_owned()]), None).unwrap();
        assert!(s.unused("a.go", &only5).is_empty());
    }
}
