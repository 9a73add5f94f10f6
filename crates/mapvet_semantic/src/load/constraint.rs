//! Build constraints as the go tool applies them: `//go:build` expressions, legacy `// +build`
//! lines, the file-header rule that decides which comments count, tag matching and the
//! `_GOOS`/`_GOARCH` file-name rules.
//!
//! Ported one for one from `go/build/constraint/expr.go` (parser), `go/build/build.go`
//! (`parseFileHeader`, `shouldBuild`, `matchTag`, `goodOSArchFile`) and `internal/syslist`.

use std::fmt;

use super::BuildContext;

// ---------------------------------------------------------------------------------------------
// Known operating systems and architectures (internal/syslist, Go 1.26)
// ---------------------------------------------------------------------------------------------

/// `syslist.KnownOS`: past, present and future GOOS values, used for file-name matching.
pub const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// `syslist.UnixOS`: the GOOS values matched by the `unix` build tag.
pub const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// `syslist.KnownArch`: past, present and future GOARCH values, used for file-name matching.
pub const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

pub fn is_known_os(s: &str) -> bool {
    KNOWN_OS.contains(&s)
}

pub fn is_known_arch(s: &str) -> bool {
    KNOWN_ARCH.contains(&s)
}

pub fn is_unix_os(s: &str) -> bool {
    UNIX_OS.contains(&s)
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/// A build-constraint expression (`go/build/constraint.Expr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Tag(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates the expression; `ok(tag)` says whether a tag is satisfied.
    pub fn eval(&self, ok: &mut dyn FnMut(&str) -> bool) -> bool {
        match self {
            Expr::Tag(t) => ok(t),
            Expr::Not(x) => !x.eval(ok),
            Expr::And(x, y) => {
                let a = x.eval(ok);
                let b = y.eval(ok);
                a && b
            }
            Expr::Or(x, y) => {
                let a = x.eval(ok);
                let b = y.eval(ok);
                a || b
            }
        }
    }

    fn tag(s: &str) -> Expr {
        Expr::Tag(s.to_string())
    }
    fn not(x: Expr) -> Expr {
        Expr::Not(Box::new(x))
    }
    fn and(x: Expr, y: Expr) -> Expr {
        Expr::And(Box::new(x), Box::new(y))
    }
    fn or(x: Expr, y: Expr) -> Expr {
        Expr::Or(Box::new(x), Box::new(y))
    }
}

/// Prints in `//go:build` syntax, parenthesised like `constraint.Expr.String`.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Tag(t) => f.write_str(t),
            Expr::Not(x) => match **x {
                Expr::And(..) | Expr::Or(..) => write!(f, "!({x})"),
                _ => write!(f, "!{x}"),
            },
            Expr::And(x, y) => {
                let arg = |e: &Expr| match e {
                    Expr::Or(..) => format!("({e})"),
                    _ => e.to_string(),
                };
                write!(f, "{} && {}", arg(x), arg(y))
            }
            Expr::Or(x, y) => {
                let arg = |e: &Expr| match e {
                    Expr::And(..) => format!("({e})"),
                    _ => e.to_string(),
                };
                write!(f, "{} || {}", arg(x), arg(y))
            }
        }
    }
}

/// A constraint that does not parse (`constraint.SyntaxError` and friends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintError {
    /// Byte offset in the expression text (0 when not applicable).
    pub offset: usize,
    pub msg: String,
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

fn err<T>(offset: usize, msg: impl Into<String>) -> Result<T, ConstraintError> {
    Err(ConstraintError {
        offset,
        msg: msg.into(),
    })
}

/// `constraint.Parse`: parses one `//go:build ...` or `// +build ...` line.
pub fn parse(line: &str) -> Result<Expr, ConstraintError> {
    if let Some(text) = split_go_build(line) {
        return parse_expr(text);
    }
    if let Some(text) = split_plus_build(line) {
        return parse_plus_build_expr(text);
    }
    err(0, "not a build constraint")
}

/// `constraint.IsGoBuild`: whether the line is a `//go:build` line (prefix check only).
pub fn is_go_build(line: &str) -> bool {
    split_go_build(line).is_some()
}

/// `constraint.IsPlusBuild`: whether the line is a `// +build` line (prefix check only).
pub fn is_plus_build(line: &str) -> bool {
    split_plus_build(line).is_some()
}

fn strip_one_newline(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    if line.contains('\n') {
        None
    } else {
        Some(line)
    }
}

fn split_go_build(line: &str) -> Option<&str> {
    let line = strip_one_newline(line)?;
    if !line.starts_with("//go:build") {
        return None;
    }
    let line = go_trim_space(line);
    let line = &line["//go:build".len()..];
    let trim = go_trim_space(line);
    if line.len() == trim.len() && !line.is_empty() {
        return None;
    }
    Some(trim)
}

fn split_plus_build(line: &str) -> Option<&str> {
    let line = strip_one_newline(line)?;
    let line = line.strip_prefix("//")?;
    let line = go_trim_space(line);
    let line = line.strip_prefix("+build")?;
    let trim = go_trim_space(line);
    if line.len() == trim.len() && !line.is_empty() {
        return None;
    }
    Some(trim)
}

/// `strings.TrimSpace` (Unicode White_Space, which is what `unicode.IsSpace` tests).
fn go_trim_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

const MAX_SIZE: usize = 1000;

struct ExprParser<'s> {
    s: &'s str,
    i: usize,
    tok: &'s str,
    is_tag: bool,
    pos: usize,
    size: usize,
}

/// Parses a `//go:build` expression (the text after the prefix).
pub fn parse_expr(text: &str) -> Result<Expr, ConstraintError> {
    let mut p = ExprParser {
        s: text,
        i: 0,
        tok: "",
        is_tag: false,
        pos: 0,
        size: 0,
    };
    let x = p.or()?;
    if !p.tok.is_empty() {
        return err(p.pos, format!("unexpected token {}", p.tok));
    }
    Ok(x)
}

impl<'s> ExprParser<'s> {
    fn or(&mut self) -> Result<Expr, ConstraintError> {
        let mut x = self.and()?;
        while self.tok == "||" {
            x = Expr::or(x, self.and()?);
        }
        Ok(x)
    }

    fn and(&mut self) -> Result<Expr, ConstraintError> {
        let mut x = self.not()?;
        while self.tok == "&&" {
            x = Expr::and(x, self.not()?);
        }
        Ok(x)
    }

    fn not(&mut self) -> Result<Expr, ConstraintError> {
        self.size += 1;
        if self.size > MAX_SIZE {
            return err(self.pos, "build expression too large");
        }
        self.lex()?;
        if self.tok == "!" {
            self.lex()?;
            if self.tok == "!" {
                return err(self.pos, "double negation not allowed");
            }
            return Ok(Expr::not(self.atom()?));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ConstraintError> {
        if self.tok == "(" {
            let pos = self.pos;
            let x = match self.or() {
                Ok(x) => x,
                Err(mut e) => {
                    if e.msg == "unexpected end of expression" {
                        e.msg = "missing close paren".into();
                    }
                    return Err(e);
                }
            };
            if self.tok != ")" {
                return err(pos, "missing close paren");
            }
            self.lex()?;
            return Ok(x);
        }
        if !self.is_tag {
            if self.tok.is_empty() {
                return err(self.pos, "unexpected end of expression");
            }
            return err(self.pos, format!("unexpected token {}", self.tok));
        }
        let tok = self.tok;
        self.lex()?;
        Ok(Expr::tag(tok))
    }

    fn lex(&mut self) -> Result<(), ConstraintError> {
        self.is_tag = false;
        let b = self.s.as_bytes();
        while self.i < b.len() && (b[self.i] == b' ' || b[self.i] == b'\t') {
            self.i += 1;
        }
        if self.i >= b.len() {
            self.tok = "";
            self.pos = self.i;
            return Ok(());
        }
        match b[self.i] {
            b'(' | b')' | b'!' => {
                self.pos = self.i;
                self.i += 1;
                self.tok = &self.s[self.pos..self.i];
                return Ok(());
            }
            c @ (b'&' | b'|') => {
                if self.i + 1 >= b.len() || b[self.i + 1] != c {
                    return err(self.i, format!("invalid syntax at {}", c as char));
                }
                self.pos = self.i;
                self.i += 2;
                self.tok = &self.s[self.pos..self.i];
                return Ok(());
            }
            _ => {}
        }
        let rest = &self.s[self.i..];
        let n = rest
            .char_indices()
            .find(|&(_, c)| !is_tag_char(c))
            .map_or(rest.len(), |(i, _)| i);
        if n == 0 {
            let c = rest.chars().next().unwrap_or('\u{FFFD}');
            return err(self.i, format!("invalid syntax at {c}"));
        }
        self.pos = self.i;
        self.i += n;
        self.tok = &self.s[self.pos..self.i];
        self.is_tag = true;
        Ok(())
    }
}

/// Letters, digits, `_` and `.` (`unicode.IsLetter`/`unicode.IsDigit`, as Go defines them).
fn is_tag_char(c: char) -> bool {
    c == '.'
        || mapvet_syntax::lexer::is_letter(c as u32)
        || mapvet_syntax::lexer::is_digit(c as u32)
}

fn is_valid_tag(word: &str) -> bool {
    !word.is_empty() && word.chars().all(is_tag_char)
}

/// Parses a legacy `// +build` expression (the text after the prefix): space = OR,
/// comma = AND, `!` = NOT.
pub fn parse_plus_build_expr(text: &str) -> Result<Expr, ConstraintError> {
    const MAX_OLD_SIZE: usize = 100;
    let mut size = 0;
    let mut x: Option<Expr> = None;
    for clause in text.split(char::is_whitespace).filter(|s| !s.is_empty()) {
        let mut y: Option<Expr> = None;
        for lit in clause.split(',') {
            let z = if lit.starts_with("!!") || lit == "!" {
                Expr::tag("ignore")
            } else {
                let (neg, lit) = match lit.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, lit),
                };
                let z = if is_valid_tag(lit) {
                    Expr::tag(lit)
                } else {
                    Expr::tag("ignore")
                };
                if neg {
                    Expr::not(z)
                } else {
                    z
                }
            };
            y = Some(match y {
                None => z,
                Some(y) => {
                    size += 1;
                    if size > MAX_OLD_SIZE {
                        return err(0, "expression too complex for // +build lines");
                    }
                    Expr::and(y, z)
                }
            });
        }
        let y = y.expect("split yields at least one item");
        x = Some(match x {
            None => y,
            Some(x) => {
                size += 1;
                if size > MAX_OLD_SIZE {
                    return err(0, "expression too complex for // +build lines");
                }
                Expr::or(x, y)
            }
        });
    }
    Ok(x.unwrap_or_else(|| Expr::tag("ignore")))
}

// ---------------------------------------------------------------------------------------------
// File header (go/build parseFileHeader / shouldBuild)
// ---------------------------------------------------------------------------------------------

/// `bytes.TrimSpace`: trims Unicode white space; invalid UTF-8 is never space.
pub(crate) fn trim_space(mut b: &[u8]) -> &[u8] {
    loop {
        match b.first() {
            Some(&c) if c < 0x80 => {
                if matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
                    b = &b[1..];
                    continue;
                }
                break;
            }
            Some(_) => {
                let n = b.len().min(4);
                match first_char(&b[..n]) {
                    Some((c, len)) if c.is_whitespace() => b = &b[len..],
                    _ => break,
                }
            }
            None => break,
        }
    }
    loop {
        match b.last() {
            Some(&c) if c < 0x80 => {
                if matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
                    b = &b[..b.len() - 1];
                    continue;
                }
                break;
            }
            Some(_) => {
                let start = b.len().saturating_sub(4);
                match last_char(&b[start..]) {
                    Some((c, len)) if c.is_whitespace() => b = &b[..b.len() - len],
                    _ => break,
                }
            }
            None => break,
        }
    }
    b
}

fn first_char(b: &[u8]) -> Option<(char, usize)> {
    for len in 2..=b.len() {
        if let Ok(s) = std::str::from_utf8(&b[..len]) {
            return s.chars().next().map(|c| (c, len));
        }
    }
    None
}

fn last_char(b: &[u8]) -> Option<(char, usize)> {
    for len in 2..=b.len() {
        if let Ok(s) = std::str::from_utf8(&b[b.len() - len..]) {
            return s.chars().next_back().map(|c| (c, len));
        }
    }
    None
}

fn is_go_build_comment(line: &[u8]) -> bool {
    const P: &[u8] = b"//go:build";
    if !line.starts_with(P) {
        return false;
    }
    let line = trim_space(line);
    let rest = &line[P.len()..];
    rest.is_empty() || trim_space(rest).len() < rest.len()
}

/// The result of scanning a file header (`parseFileHeader`).
#[derive(Debug, PartialEq, Eq)]
pub struct FileHeader<'a> {
    /// The leading run of `//` comments and blank lines that ends with a blank line: the only
    /// place where `// +build` lines count.
    pub trimmed: &'a [u8],
    /// The `//go:build` line, if any (it counts anywhere before the first non-comment text).
    pub go_build: Option<&'a [u8]>,
}

/// `go/build.parseFileHeader`. Errors when there are several `//go:build` lines.
pub fn parse_file_header(content: &[u8]) -> Result<FileHeader<'_>, ConstraintError> {
    let mut end = 0;
    let mut p = content;
    let mut ended = false;
    let mut in_slash_star = false;
    let mut go_build: Option<&[u8]> = None;

    'lines: while !p.is_empty() {
        let mut line;
        match p.iter().position(|&c| c == b'\n') {
            Some(i) => {
                line = &p[..i];
                p = &p[i + 1..];
            }
            None => {
                line = p;
                p = &p[p.len()..];
            }
        }
        line = trim_space(line);
        if line.is_empty() && !ended {
            end = content.len() - p.len();
            continue 'lines;
        }
        if !line.starts_with(b"//") {
            ended = true;
        }
        if !in_slash_star && is_go_build_comment(line) {
            if go_build.is_some() {
                return err(0, "multiple //go:build comments");
            }
            go_build = Some(line);
        }
        loop {
            if line.is_empty() {
                break;
            }
            if in_slash_star {
                if let Some(i) = find(line, b"*/") {
                    in_slash_star = false;
                    line = trim_space(&line[i + 2..]);
                    continue;
                }
                continue 'lines;
            }
            if line.starts_with(b"//") {
                continue 'lines;
            }
            if line.starts_with(b"/*") {
                in_slash_star = true;
                line = trim_space(&line[2..]);
                continue;
            }
            break 'lines;
        }
    }
    Ok(FileHeader {
        trimmed: &content[..end],
        go_build,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `go/build.shouldBuild`: whether the header's constraints accept the build context.
/// `content` is the file (or at least its header), without a leading byte-order mark.
/// An error (several `//go:build` lines, a `//go:build` line that does not parse) means the
/// go tool rejects the file.
pub fn should_build(ctx: &BuildContext, content: &[u8]) -> Result<bool, ConstraintError> {
    let header = parse_file_header(content)?;
    if let Some(gb) = header.go_build {
        let text = String::from_utf8_lossy(gb);
        let x = parse(&text).map_err(|e| ConstraintError {
            offset: e.offset,
            msg: format!("parsing //go:build line: {}", e.msg),
        })?;
        return Ok(eval(ctx, &x));
    }
    let mut ok = true;
    for line in header.trimmed.split(|&c| c == b'\n') {
        let line = trim_space(line);
        if !line.starts_with(b"//") || find(line, b"+build").is_none() {
            continue;
        }
        let text = String::from_utf8_lossy(line);
        if !is_plus_build(&text) {
            continue;
        }
        if let Ok(x) = parse(&text) {
            if !eval(ctx, &x) {
                ok = false;
            }
        }
    }
    Ok(ok)
}

/// Evaluates an expression against the build context.
pub fn eval(ctx: &BuildContext, x: &Expr) -> bool {
    x.eval(&mut |tag| match_tag(ctx, tag))
}

/// `go/build.Context.matchTag`: whether one tag is satisfied.
pub fn match_tag(ctx: &BuildContext, name: &str) -> bool {
    if ctx.cgo && name == "cgo" {
        return true;
    }
    if name == ctx.goos || name == ctx.goarch || name == "gc" {
        return true;
    }
    match (ctx.goos.as_str(), name) {
        ("android", "linux") | ("illumos", "solaris") | ("ios", "darwin") => return true,
        _ => {}
    }
    if name == "unix" && is_unix_os(&ctx.goos) {
        return true;
    }
    let name = if name == "boringcrypto" {
        "goexperiment.boringcrypto"
    } else {
        name
    };
    ctx.tags.iter().any(|t| t == name)
        || is_release_tag(ctx.go_minor, name)
        || (name.contains('.') && ctx.tool_tags().iter().any(|t| t == name))
}

/// `go1.1` ... `go1.<go_minor>`, spelled exactly so (no leading zeros).
fn is_release_tag(go_minor: u32, name: &str) -> bool {
    let Some(rest) = name.strip_prefix("go1.") else {
        return false;
    };
    if rest.is_empty() || !rest.bytes().all(|c| c.is_ascii_digit()) || rest.starts_with('0') {
        return false;
    }
    matches!(rest.parse::<u32>(), Ok(n) if n >= 1 && n <= go_minor)
}

/// `go/build.Context.goodOSArchFile`: false when the name has a `_GOOS`, `_GOARCH` or
/// `_GOOS_GOARCH` suffix (optionally followed by `_test`) that does not match.
pub fn good_os_arch_file(ctx: &BuildContext, name: &str) -> bool {
    let name = name.split('.').next().unwrap_or("");
    let Some(i) = name.find('_') else { return true };
    let name = &name[i..];
    let mut l: Vec<&str> = name.split('_').collect();
    if l.last() == Some(&"test") {
        l.pop();
    }
    let n = l.len();
    if n >= 2 && is_known_os(l[n - 2]) && is_known_arch(l[n - 1]) {
        return match_tag(ctx, l[n - 1]) && match_tag(ctx, l[n - 2]);
    }
    if n >= 1 && (is_known_os(l[n - 1]) || is_known_arch(l[n - 1])) {
        return match_tag(ctx, l[n - 1]);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(goos: &str, goarch: &str) -> BuildContext {
        let mut c = BuildContext::new(goos, goarch);
        c.cgo = false;
        c
    }

    fn ev(c: &BuildContext, line: &str) -> bool {
        eval(c, &parse(line).unwrap())
    }

    #[test]
    fn parse_go_build_expressions() {
        let cases = [
            ("//go:build x", "x"),
            ("//go:build x && y || z", "(x && y) || z"),
            ("//go:build x || y && z", "x || (y && z)"),
            ("//go:build (x || y) && z", "(x || y) && z"),
            ("//go:build !(x && y)", "!(x && y)"),
            ("//go:build !x&&!y", "!x && !y"),
            ("//go:build  \t a.b_c1 ", "a.b_c1"),
            ("//go:build !!x", ""),
            ("//go:build x &", ""),
            ("//go:build x ||", ""),
            ("//go:build (x", ""),
            ("//go:build x)", ""),
            ("//go:build", ""),
            ("//go:build x y", ""),
            ("//go:build x-y", ""),
        ];
        for (line, want) in cases {
            let got = parse(line);
            if want.is_empty() {
                assert!(got.is_err(), "{line}: {got:?}");
            } else {
                assert_eq!(got.unwrap().to_string(), want, "{line}");
            }
        }
        assert_eq!(
            parse("//go:build (x").unwrap_err().msg,
            "missing close paren"
        );
        assert_eq!(
            parse("//go:build !!x").unwrap_err().msg,
            "double negation not allowed"
        );
        assert_eq!(
            parse("//go:build x y").unwrap_err().msg,
            "unexpected token y"
        );
        assert!(!is_go_build("//go:buildx"));
        assert!(is_go_build("//go:build"));
        assert!(parse("//go:buildx y").is_err());
        // Precedence: && binds tighter than ||.
        assert_eq!(
            parse("//go:build a || b && c").unwrap(),
            Expr::or(Expr::tag("a"), Expr::and(Expr::tag("b"), Expr::tag("c")))
        );
        // Too large.
        let big = format!("//go:build {}", vec!["x"; 1001].join(" && "));
        assert!(parse(&big).is_err());
    }

    #[test]
    fn parse_plus_build_lines() {
        let cases = [
            ("// +build x y", "x || y"),
            ("// +build x,y", "x && y"),
            ("// +build x,!y z", "(x && !y) || z"),
            ("//+build x", "x"),
            ("// +build !!x", "ignore"),
            ("// +build !", "ignore"),
            ("// +build x-y", "ignore"),
            ("// +build", "ignore"),
            ("// +build\tlinux\tdarwin", "linux || darwin"),
        ];
        for (line, want) in cases {
            assert_eq!(parse(line).unwrap().to_string(), want, "{line}");
        }
        assert!(!is_plus_build("// +buildx"));
        assert!(!is_plus_build("/* +build x */"));
    }

    #[test]
    fn eval_tags() {
        let c = ctx("linux", "amd64");
        assert!(ev(&c, "//go:build linux && amd64"));
        assert!(ev(&c, "//go:build unix && gc && go1.1 && go1.26"));
        assert!(!ev(&c, "//go:build go1.27"));
        assert!(!ev(&c, "//go:build go1.01"));
        assert!(!ev(&c, "//go:build cgo"));
        assert!(!ev(&c, "//go:build ignore"));
        assert!(!ev(&c, "//go:build gccgo"));
        assert!(ev(&c, "//go:build !windows"));
        assert!(ev(&c, "// +build darwin linux"));
        assert!(!ev(&c, "// +build linux,386"));
        assert!(ev(&c, "//go:build amd64.v1"));
        assert!(!ev(&c, "//go:build amd64.v3"));
        assert!(ev(&c, "//go:build goexperiment.regabiargs"));
        let mut c2 = c.clone();
        c2.cgo = true;
        c2.tags.push("foo".into());
        assert!(ev(&c2, "//go:build cgo && foo"));
        assert!(ev(&ctx("android", "arm64"), "//go:build linux && unix"));
        assert!(ev(&ctx("illumos", "amd64"), "//go:build solaris"));
        assert!(ev(&ctx("ios", "arm64"), "//go:build darwin"));
        assert!(!ev(&ctx("linux", "amd64"), "//go:build android"));
        assert!(!ev(&ctx("windows", "amd64"), "//go:build unix"));
        assert!(!ev(&ctx("js", "wasm"), "//go:build unix"));
    }

    #[test]
    fn file_names() {
        let c = ctx("linux", "amd64");
        for (name, want) in [
            ("x.go", true),
            ("linux.go", true),
            ("windows.go", true),
            ("x_linux.go", true),
            ("x_windows.go", false),
            ("x_linux_amd64.go", true),
            ("x_linux_arm64.go", false),
            ("x_windows_amd64.go", false),
            ("x_amd64.go", true),
            ("x_386.go", false),
            ("x_test.go", true),
            ("x_windows_test.go", false),
            ("x_linux_test.go", true),
            ("x_amd64_test.go", true),
            ("x_arm_test.go", false),
            ("_windows.go", false),
            ("x_windows.s", false),
            ("x_windows.pb.go", false),
            ("x_foo_windows.go", false),
            ("x_windows_foo.go", true),
            ("x_amd64_linux.go", true), // only the last element counts: "linux"
            ("x_arm64_linux.go", true),
            ("x_linux_windows.go", false),
            ("x_unix.go", true),
        ] {
            assert_eq!(good_os_arch_file(&c, name), want, "{name}");
        }
        assert!(good_os_arch_file(&ctx("android", "arm"), "x_linux.go"));
        assert!(!good_os_arch_file(&ctx("linux", "arm"), "x_android.go"));
    }

    fn sb(c: &BuildContext, src: &str) -> Result<bool, ConstraintError> {
        should_build(c, src.as_bytes())
    }

    #[test]
    fn headers() {
        let c = ctx("linux", "amd64");
        // //go:build counts without a following blank line.
        assert!(!sb(&c, "//go:build ignore\npackage main\n").unwrap());
        assert!(!sb(&c, "//go:build ignore\n\npackage main\n").unwrap());
        assert!(!sb(&c, "// Copyright\n\n//go:build windows\n\npackage main\n").unwrap());
        // ... but not after code.
        assert!(sb(&c, "package main\n//go:build ignore\n").unwrap());
        assert!(sb(&c, "package main\n\n//go:build ignore\n").unwrap());
        // +build needs a blank line after it.
        assert!(sb(&c, "// +build ignore\npackage main\n").unwrap());
        assert!(!sb(&c, "// +build ignore\n\npackage main\n").unwrap());
        // +build lines: each line must match (AND of lines).
        assert!(!sb(&c, "// +build linux\n// +build 386\n\npackage main\n").unwrap());
        assert!(sb(
            &c,
            "// +build linux darwin\n// +build amd64\n\npackage main\n"
        )
        .unwrap());
        // //go:build controls when present.
        assert!(sb(&c, "//go:build linux\n// +build ignore\n\npackage main\n").unwrap());
        // Inside /* */: not a directive.
        assert!(sb(&c, "/*\n//go:build ignore\n*/\n\npackage main\n").unwrap());
        // After a /* */ comment line, a //go:build line still counts (go/build quirk) ...
        assert!(!sb(&c, "/* x */\n//go:build ignore\n\npackage main\n").unwrap());
        // ... but a +build line does not (the header ended).
        assert!(sb(&c, "/* x */\n// +build ignore\n\npackage main\n").unwrap());
        // Multiple //go:build lines, or a bad one, are errors.
        assert!(sb(&c, "//go:build linux\n//go:build amd64\n\npackage main\n").is_err());
        assert!(sb(&c, "//go:build linux &&\n\npackage main\n").is_err());
        // Not a //go:build line.
        assert!(sb(&c, "//go:buildignore\n\npackage main\n").unwrap());
        assert!(sb(&c, "// go:build ignore\n\npackage main\n").unwrap());
        // Indented directives and CRLF line ends.
        assert!(!sb(&c, "  //go:build ignore\r\n\r\npackage main\r\n").unwrap());
        assert!(!sb(&c, "// +build ignore\r\n\r\npackage main\r\n").unwrap());
        // Code on the same line as a comment ends the header.
        assert!(sb(&c, "/* x */ package main\n//go:build ignore\n").unwrap());
        // Empty file.
        assert!(sb(&c, "").unwrap());
    }

    #[test]
    fn trim_space_unicode() {
        assert_eq!(trim_space(b" \t x \r\n"), b"x");
        assert_eq!(trim_space("\u{a0}x\u{3000}".as_bytes()), b"x");
        assert_eq!(trim_space(b"\xffx\xff"), b"\xffx\xff");
        assert_eq!(trim_space(b""), b"");
    }
}
