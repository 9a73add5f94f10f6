//! Reading the head of a Go file cheaply: package clause and import paths, like
//! `go/build`'s `readGoInfo` (an `importReader` that stops after the import section).

/// What the head of a Go file says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GoHeader {
    /// The package clause's name, `None` when the clause is malformed.
    pub package: Option<String>,
    /// Import paths in source order (unquoted).
    pub imports: Vec<String>,
    /// Number of bytes of the input the reader consumed (the header for constraint matching).
    pub len: usize,
    /// The reader stopped on a syntax error.
    pub syntax_error: bool,
    /// The reader stopped on a NUL byte (go/build reports the file as unreadable).
    pub nul: bool,
    /// The reader needed bytes beyond the input (only meaningful for a partial read).
    pub hit_end: bool,
}

impl GoHeader {
    /// Whether the file imports "C" (cgo).
    pub fn imports_c(&self) -> bool {
        self.imports.iter().any(|p| p == "C")
    }
}

/// Strips a leading UTF-8 byte-order mark (go/build ignores it).
pub fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Err {
    Syntax,
    Nul,
}

struct Reader<'a> {
    b: &'a [u8],
    /// Bytes consumed so far (go/build's `len(r.buf)`).
    pos: usize,
    /// A byte already consumed but not yet used (0 = none).
    peek: u8,
    err: Option<Err>,
    eof: bool,
    nerr: u32,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

impl<'a> Reader<'a> {
    fn syntax_error(&mut self) {
        if self.err.is_none() {
            self.err = Some(Err::Syntax);
        }
    }

    fn read_byte(&mut self) -> u8 {
        if self.pos < self.b.len() {
            let c = self.b[self.pos];
            self.pos += 1;
            if c == 0 && self.err.is_none() {
                self.err = Some(Err::Nul);
            }
            c
        } else {
            self.eof = true;
            0
        }
    }

    fn peek_byte(&mut self, skip_space: bool) -> u8 {
        if self.err.is_some() {
            self.nerr += 1;
            return 0;
        }
        let mut c = self.peek;
        if c == 0 {
            c = self.read_byte();
        }
        while self.err.is_none() && !self.eof {
            if skip_space {
                match c {
                    b' ' | b'\x0C' | b'\t' | b'\r' | b'\n' | b';' => {
                        c = self.read_byte();
                        continue;
                    }
                    b'/' => {
                        c = self.read_byte();
                        if c == b'/' {
                            while c != b'\n' && self.err.is_none() && !self.eof {
                                c = self.read_byte();
                            }
                        } else if c == b'*' {
                            let mut c1 = 0u8;
                            while (c != b'*' || c1 != b'/') && self.err.is_none() {
                                if self.eof {
                                    self.syntax_error();
                                }
                                c = c1;
                                c1 = self.read_byte();
                            }
                        } else {
                            self.syntax_error();
                        }
                        c = self.read_byte();
                        continue;
                    }
                    _ => {}
                }
            }
            break;
        }
        self.peek = c;
        c
    }

    fn next_byte(&mut self, skip_space: bool) -> u8 {
        let c = self.peek_byte(skip_space);
        self.peek = 0;
        c
    }

    fn read_keyword(&mut self, kw: &[u8]) {
        self.peek_byte(true);
        for &k in kw {
            if self.next_byte(false) != k {
                self.syntax_error();
                return;
            }
        }
        if is_ident(self.peek_byte(false)) {
            self.syntax_error();
        }
    }

    /// Reads an identifier; returns its byte range.
    fn read_ident(&mut self) -> Option<(usize, usize)> {
        let c = self.peek_byte(true);
        if !is_ident(c) {
            self.syntax_error();
            return None;
        }
        // The peeked byte is at pos-1.
        let start = self.pos - 1;
        while is_ident(self.peek_byte(false)) {
            self.peek = 0;
        }
        // Now a non-ident byte is peeked (at pos-1) unless we hit EOF.
        let end = if self.eof || self.err.is_some() {
            self.pos
        } else {
            self.pos - 1
        };
        Some((start, end))
    }

    /// Reads a quoted string; returns the range of the literal including quotes.
    fn read_string(&mut self) -> Option<(usize, usize)> {
        let q = self.next_byte(true);
        let start = self.pos.saturating_sub(1);
        match q {
            b'`' => {
                while self.err.is_none() {
                    if self.next_byte(false) == b'`' {
                        break;
                    }
                    if self.eof {
                        self.syntax_error();
                    }
                }
            }
            b'"' => {
                while self.err.is_none() {
                    let c = self.next_byte(false);
                    if c == b'"' {
                        break;
                    }
                    if self.eof || c == b'\n' {
                        self.syntax_error();
                    }
                    if c == b'\\' {
                        self.next_byte(false);
                    }
                }
            }
            _ => {
                self.syntax_error();
                return None;
            }
        }
        if self.err.is_some() {
            return None;
        }
        Some((start, self.pos))
    }

    fn read_import(&mut self) -> Option<(usize, usize)> {
        let c = self.peek_byte(true);
        if c == b'.' {
            self.peek = 0;
        } else if is_ident(c) {
            self.read_ident();
        }
        self.read_string()
    }
}

/// Scans the package clause and import declarations at the start of `src` (BOM already
/// stripped). `src` may be a prefix of the file: `hit_end` then says whether more is needed.
pub fn read_go_header(src: &[u8]) -> GoHeader {
    let mut r = Reader {
        b: src,
        pos: 0,
        peek: 0,
        err: None,
        eof: false,
        nerr: 0,
    };
    let mut h = GoHeader::default();
    r.read_keyword(b"package");
    let name = r.read_ident();
    if r.err.is_none() {
        if let Some((s, e)) = name {
            h.package = Some(String::from_utf8_lossy(&src[s..e]).into_owned());
        }
    }
    let mut lits = Vec::new();
    while r.peek_byte(true) == b'i' {
        r.read_keyword(b"import");
        if r.peek_byte(true) == b'(' {
            r.next_byte(false);
            while r.peek_byte(true) != b')' && r.err.is_none() {
                if let Some(l) = r.read_import() {
                    lits.push(l);
                }
            }
            r.next_byte(false);
        } else if let Some(l) = r.read_import() {
            lits.push(l);
        }
        if r.nerr > 10000 {
            break;
        }
    }
    if r.err.is_none() {
        for (s, e) in lits {
            if let Some(p) = unquote(&src[s..e]) {
                h.imports.push(p);
            }
        }
    }
    h.len = r.pos;
    h.syntax_error = r.err == Some(Err::Syntax);
    h.nul = r.err == Some(Err::Nul);
    h.hit_end = r.eof;
    h
}

/// Unquotes a Go string literal (interpreted or raw). Returns None on malformed input.
pub fn unquote(lit: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(lit).ok()?;
    if s.len() < 2 {
        return None;
    }
    if let Some(inner) = s.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Some(inner.replace('\r', ""));
    }
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(inner.to_string());
    }
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = it.next()?;
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0C'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0B'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => return None,
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = it.by_ref().take(n).collect();
                if hex.len() != n {
                    return None;
                }
                let v = u32::from_str_radix(&hex, 16).ok()?;
                out.push(char::from_u32(v)?);
            }
            '0'..='7' => {
                let rest: String = it.by_ref().take(2).collect();
                let v = u32::from_str_radix(&format!("{e}{rest}"), 8).ok()?;
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_and_imports() {
        let h = read_go_header(
            b"// Copyright\n\n/* x */ package foo // c\n\nimport \"fmt\"\nimport (\n\tx \"a/b\"\n\t. `c`\n\t_ \"C\";\"d\"\n)\n\nfunc main() {}\n",
        );
        assert_eq!(h.package.as_deref(), Some("foo"));
        assert_eq!(h.imports, ["fmt", "a/b", "c", "C", "d"]);
        assert!(h.imports_c());
        assert!(!h.syntax_error && !h.hit_end);
        let h = read_go_header(b"package main");
        assert_eq!(h.package.as_deref(), Some("main"));
        assert!(h.hit_end);
        let h = read_go_header(b"package main\nimport \"fmt\"\nvar x = 1\n");
        assert_eq!(h.imports, ["fmt"]);
        assert!(!h.hit_end);
        // Partial input: the reader reports it needs more.
        let h = read_go_header(b"package main\nimport (\n\t\"fm");
        assert!(h.hit_end);
        let h = read_go_header(b"packagex main");
        assert!(h.package.is_none() && h.syntax_error);
        let h = read_go_header(b"/* unterminated");
        assert!(h.package.is_none() && h.syntax_error);
        let h = read_go_header("package héllo\n".as_bytes());
        assert_eq!(h.package.as_deref(), Some("héllo"));
        let h = read_go_header(b"package a\x00");
        assert!(h.nul);
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(br#""a\x41\u00e9\101""#).as_deref(), Some("aAéA"));
        assert_eq!(unquote(b"`C`").as_deref(), Some("C"));
        assert_eq!(unquote(b"\"C"), None);
    }
}
