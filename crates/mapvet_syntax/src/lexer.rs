//! The Go lexer: a byte-level re-implementation of `go/scanner` (mode `ScanComments`).
//!
//! It produces exactly the tokens `go/scanner` produces (comments are recorded instead of
//! returned), with automatic semicolon insertion, and reports exactly the errors `go/scanner`
//! reports, at the same byte offsets, with the same messages and in the same order (this includes
//! the errors of `//line` directives, which go/scanner checks while scanning comments).
//!
//! Positions are plain byte offsets; line directives are not applied.
//!
//! Implementation notes on matching `go/scanner` exactly:
//! - go/scanner decodes the source one character at a time and reports `illegal character NUL`,
//!   `illegal UTF-8 encoding` and `illegal byte order mark` when a character is read. It reads
//!   one character ahead, so for a few errors reported at the end of a token (e.g. `illegal rune
//!   literal`, number errors, `illegal character U+0023 '#'`) the error of the *following*
//!   character comes first. `Lexer::precheck` reproduces that order: it reports the following
//!   character's error early and remembers its offset so it is not reported twice.
//! - Every ASCII byte is a character boundary (invalid UTF-8 decodes one byte at a time and valid
//!   multi-byte sequences hold no ASCII byte), so ASCII delimiters can be searched byte-wise.

use std::borrow::Cow;

use crate::{token::Tok, Comment, Span, SyntaxError};

/// A token: its kind and its byte range in the source.
///
/// - `Semicolon`: an explicit `;` has `end == start + 1`; one inserted at a newline (at the
///   newline's offset, or at the first newline inside a `/*...*/` comment) or at EOF has
///   `end == start`.
/// - `Eof`: `start == end == src.len()`.
/// - Identifiers, keywords and literals: `src[start..end]` is the literal text (raw strings
///   included; go/scanner's literal value additionally has `\r` removed, see [`strip_cr`]).
/// - `Illegal`: the offending character (one byte for invalid UTF-8; the whole file for a file
///   starting with a UTF-16 byte order mark, which go/scanner consumes at once).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: u32,
    pub end: u32,
}

impl Token {
    #[inline]
    pub fn span(self) -> Span {
        Span::new(self.start, self.end)
    }
}

const NONE: usize = usize::MAX;
const BOM: u32 = 0xFEFF;
/// The character value used for end of file in messages/escapes (like go/scanner's `eof`).
const EOF_CH: u32 = u32::MAX;

/// The lexer. See the module documentation.
pub struct Lexer<'s> {
    src: &'s [u8],
    /// Offset of the next unread byte.
    pos: usize,
    /// go/scanner's `insertSemi`.
    insert_semi: bool,
    /// Offset of a character whose decoding errors were already reported out of order (see
    /// [`Lexer::precheck`]), or `NONE`.
    prechecked: usize,
    /// The file starts with a UTF-16 byte order mark: go/scanner consumes the whole input.
    utf16: bool,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
}

// Byte classes for the hot loops.
const C_IDENT: u8 = 1; // [A-Za-z0-9_]
const C_STR: u8 = 2; // stops a "..." scan: '"' '\\' '\n' NUL non-ASCII
const C_LINE: u8 = 4; // stops a //-comment scan: '\n' NUL non-ASCII
const C_BLOCK: u8 = 8; // stops a /*-comment scan: '*' '\n' NUL non-ASCII
const C_RAW: u8 = 16; // stops a `...` scan: '`' NUL non-ASCII
const C_WS: u8 = 32; // ' ' '\t' '\r'
const C_NUM: u8 = 64; // may continue a number literal: [0-9._eEpPixXoObB]
const C_SKIP: u8 = 128; // white space or '/' (maybe a comment)

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if b.is_ascii_alphanumeric() || b == b'_' {
            c |= C_IDENT;
        }
        if b == 0 || b >= 0x80 {
            c |= C_STR | C_LINE | C_BLOCK | C_RAW;
        }
        if b == b'"' || b == b'\\' || b == b'\n' {
            c |= C_STR;
        }
        if b == b'\n' {
            c |= C_LINE | C_BLOCK;
        }
        if b == b'*' {
            c |= C_BLOCK;
        }
        if b == b'`' {
            c |= C_RAW;
        }
        if b == b' ' || b == b'\t' || b == b'\r' {
            c |= C_WS;
        }
        if b.is_ascii_digit() || matches!(b | 0x20, b'e' | b'p' | b'i' | b'x' | b'o' | b'b') {
            c |= C_NUM;
        }
        if b == b'.' || b == b'_' {
            c |= C_NUM;
        }
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/') {
            c |= C_SKIP;
        }
        t[i] = c;
        i += 1;
    }
    t
};

#[inline(always)]
fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

impl<'s> Lexer<'s> {
    pub fn new(src: &'s [u8]) -> Lexer<'s> {
        let mut lx = Lexer {
            src,
            pos: 0,
            insert_semi: false,
            prechecked: NONE,
            utf16: false,
            comments: Vec::new(),
            errors: Vec::new(),
        };
        if src.len() >= 2 && matches!((src[0], src[1]), (0xFF, 0xFE) | (0xFE, 0xFF)) {
            // go.dev/issue/71950: go/scanner reports this and consumes all input.
            lx.error(0, "illegal UTF-8 encoding (got UTF-16)");
            lx.utf16 = true;
        } else if src.starts_with(b"\xEF\xBB\xBF") {
            lx.pos = 3; // a BOM is ignored at the very start only
        }
        lx
    }

    /// Comments seen so far, in source order. A `//` comment's span excludes the line end
    /// (`\n`, and a `\r` right before it or before EOF); a `/*` comment's span includes `*/`.
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    pub fn take_comments(&mut self) -> Vec<Comment> {
        std::mem::take(&mut self.comments)
    }

    /// Errors reported so far, in the order go/scanner reports them.
    pub fn take_errors(&mut self) -> Vec<SyntaxError> {
        std::mem::take(&mut self.errors)
    }

    #[cold]
    #[inline(never)]
    fn error(&mut self, offset: usize, msg: impl Into<String>) {
        self.errors.push(SyntaxError {
            offset: offset as u32,
            msg: msg.into(),
        });
    }

    #[inline(always)]
    fn at(&self, p: usize) -> u8 {
        match self.src.get(p) {
            Some(&b) => b,
            None => 0,
        }
    }

    /// Decodes the character at `p < len` (NUL or non-ASCII) and reports go/scanner's
    /// character-level errors for it, unless `precheck` already did.
    #[cold]
    #[inline(never)]
    fn check_char(&mut self, p: usize) -> (u32, usize) {
        let (c, w) = decode_utf8(&self.src[p..]);
        if p != self.prechecked {
            if c == 0 {
                self.error(p, "illegal character NUL");
            } else if c == 0xFFFD && w == 1 {
                self.error(p, "illegal UTF-8 encoding");
            } else if c == BOM && p > 0 {
                self.error(p, "illegal byte order mark");
            }
        }
        (c, w)
    }

    /// Reports the character-level error of the character at `p` now (go/scanner has already
    /// read it as its look-ahead character when it reports the error that follows).
    fn precheck(&mut self, p: usize) -> u32 {
        match self.src.get(p) {
            None => EOF_CH,
            Some(&b) if b != 0 && b < 0x80 => b as u32,
            Some(_) => {
                let (c, _) = self.check_char(p);
                self.prechecked = p;
                c
            }
        }
    }

    /// Skips the rest of a block whose `{` was the last token returned: moves past the
    /// matching `}` (strings, raw strings, runes and comments are skipped whole, so braces in
    /// them do not count) and returns the `}`'s offset, or `None` when the input ends first
    /// (the lexer is then at the end). Nothing inside is lexed, checked or recorded: no
    /// comments, no errors. The next token follows the `}`, with semicolon insertion as after
    /// any `}`.
    pub fn skip_block(&mut self) -> Option<u32> {
        let src = self.src;
        let len = src.len();
        let mut p = self.pos;
        let mut depth = 1u32;
        while p < len {
            // Most bytes of a body are none of the ones that matter here.
            while p < len && !BLOCK_SPECIAL[src[p] as usize] {
                p += 1;
            }
            if p >= len {
                break;
            }
            match src[p] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = p + 1;
                        self.insert_semi = true;
                        return Some(p as u32);
                    }
                }
                q @ (b'"' | b'\'') => {
                    // Interpreted string or rune: ends at its quote or, unterminated, at the
                    // line end.
                    p += 1;
                    while p < len && src[p] != q && src[p] != b'\n' {
                        if src[p] == b'\\' && p + 1 < len && src[p + 1] != b'\n' {
                            p += 1;
                        }
                        p += 1;
                    }
                    if p < len && src[p] == b'\n' {
                        continue;
                    }
                }
                b'`' => {
                    p = memchr::memchr(b'`', &src[p + 1..]).map_or(len, |k| p + 1 + k);
                }
                b'/' if p + 1 < len && src[p + 1] == b'/' => {
                    p = memchr::memchr(b'\n', &src[p..]).map_or(len, |k| p + k);
                    continue;
                }
                b'/' if p + 1 < len && src[p + 1] == b'*' => {
                    p += 2;
                    while p + 1 < len && !(src[p] == b'*' && src[p + 1] == b'/') {
                        p += 1;
                    }
                    p += 1;
                }
                _ => {}
            }
            p += 1;
        }
        self.pos = len;
        self.insert_semi = false;
        None
    }

    /// Returns the next token; comments are recorded (see [`Lexer::comments`]), not returned.
    /// After `Eof`, keeps returning `Eof`.
    pub fn next_token(&mut self) -> Token {
        let src = self.src;
        let len = src.len();
        let mut p = self.pos;

        // Skip white space and comments.
        let b = loop {
            let Some(&b) = src.get(p) else {
                self.pos = len;
                if self.insert_semi {
                    self.insert_semi = false;
                    return tok(Tok::Semicolon, len, len);
                }
                return tok(Tok::Eof, len, len);
            };
            let c = class(b);
            if c & C_SKIP == 0 {
                break b;
            }
            if c & C_WS != 0 {
                p += 1;
                while p < len && class(src[p]) & C_WS != 0 {
                    p += 1;
                }
            } else if b == b'\n' {
                if self.insert_semi {
                    self.insert_semi = false;
                    self.pos = p + 1;
                    return tok(Tok::Semicolon, p, p);
                }
                p += 1;
            } else if matches!(self.at(p + 1), b'/' | b'*') {
                // b == b'/'
                let (next, nl) = self.scan_comment(p);
                p = next;
                if self.insert_semi && nl != 0 {
                    // A /*...*/ comment containing a newline acts like a newline.
                    self.insert_semi = false;
                    self.pos = p;
                    return tok(Tok::Semicolon, nl, nl);
                }
            } else {
                break b;
            }
        };

        let start = p;
        let mut semi = false;
        let kind = match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                p += 1;
                while p < len && class(src[p]) & C_IDENT != 0 {
                    p += 1;
                }
                if p < len && src[p] >= 0x80 {
                    p = self.scan_ident_slow(p);
                }
                let kind = if b.is_ascii_lowercase() {
                    keyword(&src[start..p])
                } else {
                    Tok::Ident
                };
                semi = matches!(
                    kind,
                    Tok::Ident | Tok::Break | Tok::Continue | Tok::Fallthrough | Tok::Return
                );
                kind
            }
            b'0'..=b'9' => {
                semi = true;
                // Fast path: a plain decimal integer (or `0`) not followed by anything that
                // could continue a number literal.
                p += 1;
                if b != b'0' {
                    while p < len && src[p].is_ascii_digit() {
                        p += 1;
                    }
                }
                if p < len && class(src[p]) & C_NUM != 0 {
                    let (kind, end) = self.scan_number(start);
                    p = end;
                    kind
                } else {
                    Tok::Int
                }
            }
            b'.' => {
                if self.at(p + 1).is_ascii_digit() {
                    semi = true;
                    let (kind, end) = self.scan_number(start);
                    p = end;
                    kind
                } else if self.at(p + 1) == b'.' && self.at(p + 2) == b'.' {
                    p += 3;
                    Tok::Ellipsis
                } else {
                    p += 1;
                    Tok::Period
                }
            }
            b'"' => {
                semi = true;
                p = self.scan_string(start);
                Tok::String
            }
            b'\'' => {
                semi = true;
                p = self.scan_rune(start);
                Tok::Char
            }
            b'`' => {
                semi = true;
                p = self.scan_raw_string(start);
                Tok::String
            }
            b'(' => {
                p += 1;
                Tok::LParen
            }
            b')' => {
                p += 1;
                semi = true;
                Tok::RParen
            }
            b'[' => {
                p += 1;
                Tok::LBrack
            }
            b']' => {
                p += 1;
                semi = true;
                Tok::RBrack
            }
            b'{' => {
                p += 1;
                Tok::LBrace
            }
            b'}' => {
                p += 1;
                semi = true;
                Tok::RBrace
            }
            b',' => {
                p += 1;
                Tok::Comma
            }
            b';' => {
                p += 1;
                Tok::Semicolon
            }
            b':' => self.op2(&mut p, Tok::Colon, Tok::Define),
            b'+' => match self.at(p + 1) {
                b'=' => {
                    p += 2;
                    Tok::AddAssign
                }
                b'+' => {
                    p += 2;
                    semi = true;
                    Tok::Inc
                }
                _ => {
                    p += 1;
                    Tok::Add
                }
            },
            b'-' => match self.at(p + 1) {
                b'=' => {
                    p += 2;
                    Tok::SubAssign
                }
                b'-' => {
                    p += 2;
                    semi = true;
                    Tok::Dec
                }
                _ => {
                    p += 1;
                    Tok::Sub
                }
            },
            b'*' => self.op2(&mut p, Tok::Mul, Tok::MulAssign),
            b'/' => self.op2(&mut p, Tok::Quo, Tok::QuoAssign),
            b'%' => self.op2(&mut p, Tok::Rem, Tok::RemAssign),
            b'^' => self.op2(&mut p, Tok::Xor, Tok::XorAssign),
            b'=' => self.op2(&mut p, Tok::Assign, Tok::Eql),
            b'!' => self.op2(&mut p, Tok::Not, Tok::Neq),
            b'<' => match self.at(p + 1) {
                b'-' => {
                    p += 2;
                    Tok::Arrow
                }
                b'=' => {
                    p += 2;
                    Tok::Leq
                }
                b'<' => {
                    p += 1;
                    self.op2(&mut p, Tok::Shl, Tok::ShlAssign)
                }
                _ => {
                    p += 1;
                    Tok::Lss
                }
            },
            b'>' => match self.at(p + 1) {
                b'=' => {
                    p += 2;
                    Tok::Geq
                }
                b'>' => {
                    p += 1;
                    self.op2(&mut p, Tok::Shr, Tok::ShrAssign)
                }
                _ => {
                    p += 1;
                    Tok::Gtr
                }
            },
            b'&' => match self.at(p + 1) {
                b'^' => {
                    p += 1;
                    self.op2(&mut p, Tok::AndNot, Tok::AndNotAssign)
                }
                b'=' => {
                    p += 2;
                    Tok::AndAssign
                }
                b'&' => {
                    p += 2;
                    Tok::LAnd
                }
                _ => {
                    p += 1;
                    Tok::And
                }
            },
            b'|' => match self.at(p + 1) {
                b'=' => {
                    p += 2;
                    Tok::OrAssign
                }
                b'|' => {
                    p += 2;
                    Tok::LOr
                }
                _ => {
                    p += 1;
                    Tok::Or
                }
            },
            b'~' => {
                p += 1;
                Tok::Tilde
            }
            _ => {
                // Non-ASCII (a letter starts an identifier) or an illegal ASCII byte.
                let (kind, end, s) = self.scan_other(start);
                p = end;
                semi = s;
                kind
            }
        };
        self.insert_semi = semi;
        self.pos = p;
        tok(kind, start, p)
    }

    #[cold]
    fn utf16_token(&mut self) -> Token {
        // go/scanner: the current character is U+FFFD at offset 0 and the input is consumed.
        self.utf16 = false;
        self.pos = self.src.len();
        self.error(0, "illegal character U+FFFD '\u{FFFD}'");
        tok(Tok::Illegal, 0, self.src.len())
    }

    /// `tok0`, or `tok1` if followed by `=`; `*p` is at the operator's last-but-`=` character.
    #[inline(always)]
    fn op2(&self, p: &mut usize, tok0: Tok, tok1: Tok) -> Tok {
        if self.at(*p + 1) == b'=' {
            *p += 2;
            tok1
        } else {
            *p += 1;
            tok0
        }
    }

    /// Continues an identifier at a non-ASCII byte `p`.
    #[cold]
    #[inline(never)]
    fn scan_ident_slow(&self, mut p: usize) -> usize {
        let src = self.src;
        while p < src.len() {
            let b = src[p];
            if b < 0x80 {
                if class(b) & C_IDENT != 0 {
                    p += 1;
                    continue;
                }
                break;
            }
            let (c, w) = decode_utf8(&src[p..]);
            if is_letter(c) || is_digit(c) {
                p += w;
            } else {
                break; // reported (if invalid) when scanned as the next token
            }
        }
        p
    }

    /// A token starting with a non-ASCII byte or an illegal ASCII byte.
    #[cold]
    #[inline(never)]
    fn scan_other(&mut self, start: usize) -> (Tok, usize, bool) {
        if self.utf16 {
            return (self.utf16_token().tok, self.src.len(), false);
        }
        let b = self.src[start];
        let (c, w) = if b == 0 || b >= 0x80 {
            self.check_char(start)
        } else {
            (b as u32, 1)
        };
        if b >= 0x80 && is_letter(c) {
            let end = self.scan_ident_slow(start + w);
            return (Tok::Ident, end, true);
        }
        let end = start + w;
        self.precheck(end);
        if c != BOM {
            if c == 0x201C || c == 0x201D {
                let ch = char::from_u32(c).unwrap();
                self.error(
                    start,
                    format!("curly quotation mark '{ch}' (use neutral '\"')"),
                );
            } else {
                self.error(start, format!("illegal character {}", fmt_unicode(c)));
            }
        }
        (Tok::Illegal, end, self.insert_semi)
    }

    /// Scans a comment at `start` (`//` or `/*`), records it and returns the offset after it
    /// and the offset of its first newline (0 if none; only `/*` comments hold newlines).
    #[inline(never)]
    fn scan_comment(&mut self, start: usize) -> (usize, usize) {
        let src = self.src;
        let len = src.len();
        let mut p = start + 2;
        if src[start + 1] == b'/' {
            loop {
                while p < len && class(src[p]) & C_LINE == 0 {
                    p += 1;
                }
                if p >= len || src[p] == b'\n' {
                    break;
                }
                let (_, w) = self.check_char(p);
                p += w;
            }
            let mut text_end = p;
            if p > start + 2 && src[p - 1] == b'\r' {
                text_end -= 1;
            }
            self.comments.push(Comment {
                span: Span::new(start as u32, text_end as u32),
            });
            // //line directives must start at the beginning of the line
            if (start == 0 || src[start - 1] == b'\n')
                && src[start + 2..text_end].starts_with(b"line ")
            {
                self.line_directive(start, text_end, false);
            }
            return (p, 0);
        }
        let mut nl = 0;
        loop {
            while p < len && class(src[p]) & C_BLOCK == 0 {
                p += 1;
            }
            if p >= len {
                self.error(start, "comment not terminated");
                self.comments.push(Comment {
                    span: Span::new(start as u32, len as u32),
                });
                return (len, nl);
            }
            match src[p] {
                b'*' => {
                    if self.at(p + 1) == b'/' {
                        p += 2;
                        break;
                    }
                    p += 1;
                }
                b'\n' => {
                    if nl == 0 {
                        nl = p;
                    }
                    p += 1;
                }
                _ => {
                    let (_, w) = self.check_char(p);
                    p += w;
                }
            }
        }
        self.comments.push(Comment {
            span: Span::new(start as u32, p as u32),
        });
        if src[start + 2..p].starts_with(b"line ") {
            self.line_directive(start, p, true);
        }
        (p, nl)
    }

    /// go/scanner's `updateLineInfo`, for its errors only (positions are not remapped).
    /// `src[start..end]` is the comment text (a `//` comment without a final `\r`).
    #[cold]
    #[inline(never)]
    fn line_directive(&mut self, start: usize, end: usize, block: bool) {
        const MAX_LINE_COL: i64 = 1 << 30;
        let src = self.src;
        let text_end = if block { end - 2 } else { end };
        let offs = start + 7; // after "//line " or "/*line "
        let mut text = &src[offs..text_end];
        let (mut i, n, ok) = trailing_digits(text);
        if i == 0 {
            return; // not a line directive
        }
        if !ok {
            self.precheck(end);
            let msg = format!("invalid line number: {}", lossy(&text[i..]));
            self.error(offs + i, msg);
            return;
        }
        let (i2, n2, ok2) = trailing_digits(&text[..i - 1]);
        let line;
        if ok2 {
            // filename:line:col; Go converts with int(n), so huge values wrap negative
            let col = n as i64;
            line = n2 as i64;
            if col == 0 || col > MAX_LINE_COL {
                self.precheck(end);
                let msg = format!("invalid column number: {}", lossy(&text[i..]));
                self.error(offs + i, msg);
                return;
            }
            text = &text[..i - 1];
            i = i2;
        } else {
            line = n as i64;
        }
        if line == 0 || line > MAX_LINE_COL {
            self.precheck(end);
            let msg = format!("invalid line number: {}", lossy(&text[i..]));
            self.error(offs + i, msg);
        }
    }

    /// Scans an identifier-free number literal at `start` (a digit, or `.` and a digit).
    fn scan_number(&mut self, start: usize) -> (Tok, usize) {
        let mut p = start;
        let mut kind = Tok::Illegal;
        let mut base = 10u8;
        let mut prefix = 0u8; // 0 (decimal), b'0' (0-octal), b'x', b'o' or b'b'
        let mut digsep = 0u8; // bit 0: digit present, bit 1: '_' present
        let mut invalid = NONE; // offset of an invalid digit

        // integer part
        if self.at(p) != b'.' {
            kind = Tok::Int;
            if self.at(p) == b'0' {
                p += 1;
                match self.at(p) | 0x20 {
                    b'x' => {
                        p += 1;
                        base = 16;
                        prefix = b'x';
                    }
                    b'o' => {
                        p += 1;
                        base = 8;
                        prefix = b'o';
                    }
                    b'b' => {
                        p += 1;
                        base = 2;
                        prefix = b'b';
                    }
                    _ => {
                        base = 8;
                        prefix = b'0';
                        digsep = 1; // leading 0
                    }
                }
            }
            digsep |= self.digits(&mut p, base, &mut invalid);
        }

        // fractional part
        if self.at(p) == b'.' {
            kind = Tok::Float;
            if prefix == b'o' || prefix == b'b' {
                self.error(p, format!("invalid radix point in {}", litname(prefix)));
            }
            p += 1;
            digsep |= self.digits(&mut p, base, &mut invalid);
        }

        if digsep & 1 == 0 {
            self.precheck(p);
            self.error(p, format!("{} has no digits", litname(prefix)));
        }

        // exponent
        let e = self.at(p) | 0x20;
        if e == b'e' || e == b'p' {
            let ch = self.at(p) as char;
            if e == b'e' && prefix != 0 && prefix != b'0' {
                self.error(p, format!("'{ch}' exponent requires decimal mantissa"));
            } else if e == b'p' && prefix != b'x' {
                self.error(p, format!("'{ch}' exponent requires hexadecimal mantissa"));
            }
            p += 1;
            kind = Tok::Float;
            if matches!(self.at(p), b'+' | b'-') {
                p += 1;
            }
            let mut unused = NONE;
            let ds = self.digits(&mut p, 10, &mut unused);
            digsep |= ds;
            if ds & 1 == 0 {
                self.precheck(p);
                self.error(p, "exponent has no digits");
            }
        } else if prefix == b'x' && kind == Tok::Float {
            self.precheck(p);
            self.error(p, "hexadecimal mantissa requires a 'p' exponent");
        }

        // suffix 'i'
        if self.at(p) == b'i' {
            kind = Tok::Imag;
            p += 1;
        }

        if kind == Tok::Int && invalid != NONE {
            self.precheck(p);
            let d = self.src[invalid] as char;
            self.error(
                invalid,
                format!("invalid digit '{d}' in {}", litname(prefix)),
            );
        }
        if digsep & 2 != 0 {
            if let Some(i) = invalid_sep(&self.src[start..p]) {
                self.precheck(p);
                self.error(start + i, "'_' must separate successive digits");
            }
        }
        (kind, p)
    }

    /// go/scanner's `digits`: accepts `{ digit | '_' }` and returns bit 0 = digits seen,
    /// bit 1 = '_' seen. For `base <= 10` any decimal digit is accepted and the first one
    /// `>= base` is recorded in `invalid`.
    #[inline]
    fn digits(&self, p: &mut usize, base: u8, invalid: &mut usize) -> u8 {
        let src = self.src;
        let mut q = *p;
        let mut digsep = 0;
        if base <= 10 {
            let max = b'0' + base;
            while q < src.len() {
                let b = src[q];
                if b == b'_' {
                    digsep |= 2;
                } else if b.is_ascii_digit() {
                    digsep |= 1;
                    if b >= max && *invalid == NONE {
                        *invalid = q;
                    }
                } else {
                    break;
                }
                q += 1;
            }
        } else {
            while q < src.len() {
                let b = src[q];
                if b == b'_' {
                    digsep |= 2;
                } else if b.is_ascii_hexdigit() {
                    digsep |= 1;
                } else {
                    break;
                }
                q += 1;
            }
        }
        *p = q;
        digsep
    }

    /// go/scanner's `scanEscape`; `p` is just after the backslash. Returns the offset where
    /// scanning continues (an offending character is not consumed) and whether it was valid.
    fn scan_escape(&mut self, mut p: usize, quote: u8) -> (usize, bool) {
        let offs = p;
        let (mut n, base, max): (u32, u32, u32) = match self.src.get(p) {
            None => {
                self.error(offs, "escape sequence not terminated");
                return (p, false);
            }
            Some(&c)
                if matches!(c, b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\')
                    || c == quote =>
            {
                return (p + 1, true);
            }
            Some(b'0'..=b'7') => (3, 8, 255),
            Some(b'x') => {
                p += 1;
                (2, 16, 255)
            }
            Some(b'u') => {
                p += 1;
                (4, 16, 0x10FFFF)
            }
            Some(b'U') => {
                p += 1;
                (8, 16, 0x10FFFF)
            }
            Some(_) => {
                self.precheck(p);
                self.error(offs, "unknown escape sequence");
                return (p, false);
            }
        };
        let mut x: u32 = 0;
        while n > 0 {
            let d = match self.at(p) {
                c @ b'0'..=b'9' => (c - b'0') as u32,
                c @ (b'a'..=b'f' | b'A'..=b'F') => ((c | 0x20) - b'a' + 10) as u32,
                _ => 16,
            };
            if d >= base {
                let c = self.precheck(p);
                if c == EOF_CH {
                    self.error(p, "escape sequence not terminated");
                } else {
                    let msg = format!("illegal character {} in escape sequence", fmt_unicode(c));
                    self.error(p, msg);
                }
                return (p, false);
            }
            x = x.wrapping_mul(base).wrapping_add(d);
            p += 1;
            n -= 1;
        }
        if x > max || (0xD800..0xE000).contains(&x) {
            self.precheck(p);
            self.error(offs, "escape sequence is invalid Unicode code point");
            return (p, false);
        }
        (p, true)
    }

    fn scan_string(&mut self, start: usize) -> usize {
        let src = self.src;
        let len = src.len();
        let mut p = start + 1;
        loop {
            while p < len && class(src[p]) & C_STR == 0 {
                p += 1;
            }
            if p >= len {
                self.error(start, "string literal not terminated");
                return p;
            }
            match src[p] {
                b'"' => return p + 1,
                b'\\' => p = self.scan_escape(p + 1, b'"').0,
                b'\n' => {
                    self.error(start, "string literal not terminated");
                    return p;
                }
                _ => p += self.check_char(p).1,
            }
        }
    }

    fn scan_rune(&mut self, start: usize) -> usize {
        let src = self.src;
        let mut p = start + 1;
        let mut valid = true;
        let mut n = 0;
        loop {
            let b = match src.get(p) {
                Some(&b) if b != b'\n' => b,
                _ => {
                    if valid {
                        self.error(start, "rune literal not terminated");
                        valid = false;
                    }
                    break;
                }
            };
            if b == 0 || b >= 0x80 {
                p += self.check_char(p).1;
            } else {
                p += 1;
            }
            if b == b'\'' {
                break;
            }
            n += 1;
            if b == b'\\' {
                let (q, ok) = self.scan_escape(p, b'\'');
                p = q;
                if !ok {
                    valid = false;
                }
            }
        }
        if valid && n != 1 {
            self.precheck(p);
            self.error(start, "illegal rune literal");
        }
        p
    }

    fn scan_raw_string(&mut self, start: usize) -> usize {
        let src = self.src;
        let len = src.len();
        let mut p = start + 1;
        loop {
            while p < len && class(src[p]) & C_RAW == 0 {
                p += 1;
            }
            if p >= len {
                self.error(start, "raw string literal not terminated");
                return p;
            }
            if src[p] == b'`' {
                return p + 1;
            }
            p += self.check_char(p).1;
        }
    }
}

#[inline(always)]
fn tok(tok: Tok, start: usize, end: usize) -> Token {
    Token {
        tok,
        start: start as u32,
        end: end as u32,
    }
}

/// Keyword lookup for an identifier starting with a lowercase ASCII letter.
#[inline]
fn keyword(s: &[u8]) -> Tok {
    use Tok::*;
    match s.len() {
        2 => match s {
            b"if" => If,
            b"go" => Go,
            _ => Ident,
        },
        3 => match s {
            b"for" => For,
            b"var" => Var,
            b"map" => Map,
            _ => Ident,
        },
        4 => match s {
            b"func" => Func,
            b"type" => Type,
            b"case" => Case,
            b"else" => Else,
            b"chan" => Chan,
            b"goto" => Goto,
            _ => Ident,
        },
        5 => match s {
            b"const" => Const,
            b"range" => Range,
            b"break" => Break,
            b"defer" => Defer,
            _ => Ident,
        },
        6 => match s {
            b"return" => Return,
            b"struct" => Struct,
            b"import" => Import,
            b"switch" => Switch,
            b"select" => Select,
            _ => Ident,
        },
        7 => match s {
            b"package" => Package,
            b"default" => Default,
            _ => Ident,
        },
        8 => match s {
            b"continue" => Continue,
            _ => Ident,
        },
        9 => match s {
            b"interface" => Interface,
            _ => Ident,
        },
        11 => match s {
            b"fallthrough" => Fallthrough,
            _ => Ident,
        },
        _ => Ident,
    }
}

fn litname(prefix: u8) -> &'static str {
    match prefix {
        b'x' => "hexadecimal literal",
        b'o' | b'0' => "octal literal",
        b'b' => "binary literal",
        _ => "decimal literal",
    }
}

/// go/scanner's `invalidSep`: the index of the first invalid `_` separator in a number literal.
fn invalid_sep(x: &[u8]) -> Option<usize> {
    let mut x1 = b' '; // prefix char, we only care if it's 'x'
    let mut d = b'.'; // digit, one of '_', '0' (a digit), or '.' (anything else)
    let mut i = 0;
    // a prefix counts as a digit
    if x.len() >= 2 && x[0] == b'0' {
        x1 = x[1] | 0x20;
        if x1 == b'x' || x1 == b'o' || x1 == b'b' {
            d = b'0';
            i = 2;
        }
    }
    // mantissa and exponent
    while i < x.len() {
        let p = d; // previous digit
        d = x[i];
        if d == b'_' {
            if p != b'0' {
                return Some(i);
            }
        } else if d.is_ascii_digit() || (x1 == b'x' && d.is_ascii_hexdigit()) {
            d = b'0';
        } else {
            if p == b'_' {
                return Some(i - 1);
            }
            d = b'.';
        }
        i += 1;
    }
    if d == b'_' {
        return Some(x.len() - 1);
    }
    None
}

/// go/scanner's `trailingDigits`: for `text` = `...:digits`, the index after the last `:`, the
/// value of the digits and whether they parsed (as `strconv.ParseUint(s, 10, 64)`).
fn trailing_digits(text: &[u8]) -> (usize, u64, bool) {
    let Some(i) = text.iter().rposition(|&b| b == b':') else {
        return (0, 0, false);
    };
    let digits = &text[i + 1..];
    let mut n: u64 = 0;
    let mut ok = !digits.is_empty();
    for &b in digits {
        if !b.is_ascii_digit() {
            ok = false;
            break;
        }
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add((b - b'0') as u64))
        {
            Some(v) => n = v,
            None => {
                ok = false;
                break;
            }
        }
    }
    (i + 1, n, ok)
}

/// Decodes one character like Go's `utf8.DecodeRune`: invalid encodings give `(0xFFFD, 1)`.
/// `s` must not be empty.
#[inline]
fn decode_utf8(s: &[u8]) -> (u32, usize) {
    const BAD: (u32, usize) = (0xFFFD, 1);
    let b0 = s[0];
    if b0 < 0x80 {
        return (b0 as u32, 1);
    }
    let cont = |i: usize, lo: u8, hi: u8| -> Option<u32> {
        match s.get(i) {
            Some(&b) if (lo..=hi).contains(&b) => Some((b & 0x3F) as u32),
            _ => None,
        }
    };
    match b0 {
        0xC2..=0xDF => match cont(1, 0x80, 0xBF) {
            Some(c1) => (((b0 & 0x1F) as u32) << 6 | c1, 2),
            None => BAD,
        },
        0xE0..=0xEF => {
            let (lo, hi) = match b0 {
                0xE0 => (0xA0, 0xBF),
                0xED => (0x80, 0x9F),
                _ => (0x80, 0xBF),
            };
            match (cont(1, lo, hi), cont(2, 0x80, 0xBF)) {
                (Some(c1), Some(c2)) => (((b0 & 0x0F) as u32) << 12 | c1 << 6 | c2, 3),
                _ => BAD,
            }
        }
        0xF0..=0xF4 => {
            let (lo, hi) = match b0 {
                0xF0 => (0x90, 0xBF),
                0xF4 => (0x80, 0x8F),
                _ => (0x80, 0xBF),
            };
            match (cont(1, lo, hi), cont(2, 0x80, 0xBF), cont(3, 0x80, 0xBF)) {
                (Some(c1), Some(c2), Some(c3)) => {
                    (((b0 & 0x07) as u32) << 18 | c1 << 12 | c2 << 6 | c3, 4)
                }
                _ => BAD,
            }
        }
        _ => BAD,
    }
}

/// The bytes as a string, each byte of an invalid UTF-8 sequence replaced by U+FFFD (as Go's
/// `for range` over a string decodes it). Go keeps such bytes raw in its error messages.
fn lossy(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let (c, w) = decode_utf8(&b[i..]);
        s.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
        i += w;
    }
    s
}

/// Formats a character like Go's `%#U`: `U+0023 '#'`, or `U+0000` when not printable.
fn fmt_unicode(c: u32) -> String {
    match char::from_u32(c) {
        Some(ch) if is_print(c) => format!("U+{c:04X} '{ch}'"),
        _ => format!("U+{c:04X}"),
    }
}

/// Removes `\r` like go/scanner's `stripCR`, which it applies to raw string literals and to
/// comment text (`comment` = the text is a `/*...*/` comment, where a `\r` between `*` and `/`
/// is kept). Returns the input unchanged when it holds no `\r`.
pub fn strip_cr(b: &[u8], comment: bool) -> Cow<'_, [u8]> {
    if !b.contains(&b'\r') {
        return Cow::Borrowed(b);
    }
    let mut c: Vec<u8> = Vec::with_capacity(b.len());
    for (j, &ch) in b.iter().enumerate() {
        if ch != b'\r'
            || (comment && c.len() > 2 && c[c.len() - 1] == b'*' && b.get(j + 1) == Some(&b'/'))
        {
            c.push(ch);
        }
    }
    Cow::Owned(c)
}

fn in_table(table: &[(u32, u32)], c: u32) -> bool {
    let i = table.partition_point(|&(_, hi)| hi < c);
    i < table.len() && table[i].0 <= c
}

/// Go's `isLetter` in go/scanner: ASCII letters, `_` and `unicode.IsLetter` (category L).
pub fn is_letter(c: u32) -> bool {
    if c < 0x80 {
        (c as u8).is_ascii_alphabetic() || c == b'_' as u32
    } else {
        in_table(&LETTER, c)
    }
}

/// Go's `isDigit` in go/scanner: ASCII digits and `unicode.IsDigit` (category Nd).
pub fn is_digit(c: u32) -> bool {
    if c < 0x80 {
        (c as u8).is_ascii_digit()
    } else {
        in_table(&DIGIT, c)
    }
}

/// Go's `strconv.IsPrint`.
fn is_print(c: u32) -> bool {
    in_table(&PRINT, c)
}

// Tables generated from Go 1.26's `unicode` package (Unicode 15.0.0) by iterating over all
// code points: `unicode.IsLetter` (>= 0x80), `unicode.IsDigit` (>= 0x80), `unicode.IsPrint`.
#[rustfmt::skip]
static LETTER: [(u32, u32); 657] = [
    (0xAA, 0xAA), (0xB5, 0xB5), (0xBA, 0xBA), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2C1),
    (0x2C6, 0x2D1), (0x2E0, 0x2E4), (0x2EC, 0x2EC), (0x2EE, 0x2EE), (0x370, 0x374), (0x376, 0x377),
    (0x37A, 0x37D), (0x37F, 0x37F), (0x386, 0x386), (0x388, 0x38A), (0x38C, 0x38C), (0x38E, 0x3A1),
    (0x3A3, 0x3F5), (0x3F7, 0x481), (0x48A, 0x52F), (0x531, 0x556), (0x559, 0x559), (0x560, 0x588),
    (0x5D0, 0x5EA), (0x5EF, 0x5F2), (0x620, 0x64A), (0x66E, 0x66F), (0x671, 0x6D3), (0x6D5, 0x6D5),
    (0x6E5, 0x6E6), (0x6EE, 0x6EF), (0x6FA, 0x6FC), (0x6FF, 0x6FF), (0x710, 0x710), (0x712, 0x72F),
    (0x74D, 0x7A5), (0x7B1, 0x7B1), (0x7CA, 0x7EA), (0x7F4, 0x7F5), (0x7FA, 0x7FA), (0x800, 0x815),
    (0x81A, 0x81A), (0x824, 0x824), (0x828, 0x828), (0x840, 0x858), (0x860, 0x86A), (0x870, 0x887),
    (0x889, 0x88E), (0x8A0, 0x8C9), (0x904, 0x939), (0x93D, 0x93D), (0x950, 0x950), (0x958, 0x961),
    (0x971, 0x980), (0x985, 0x98C), (0x98F, 0x990), (0x993, 0x9A8), (0x9AA, 0x9B0), (0x9B2, 0x9B2),
    (0x9B6, 0x9B9), (0x9BD, 0x9BD), (0x9CE, 0x9CE), (0x9DC, 0x9DD), (0x9DF, 0x9E1), (0x9F0, 0x9F1),
    (0x9FC, 0x9FC), (0xA05, 0xA0A), (0xA0F, 0xA10), (0xA13, 0xA28), (0xA2A, 0xA30), (0xA32, 0xA33),
    (0xA35, 0xA36), (0xA38, 0xA39), (0xA59, 0xA5C), (0xA5E, 0xA5E), (0xA72, 0xA74), (0xA85, 0xA8D),
    (0xA8F, 0xA91), (0xA93, 0xAA8), (0xAAA, 0xAB0), (0xAB2, 0xAB3), (0xAB5, 0xAB9), (0xABD, 0xABD),
    (0xAD0, 0xAD0), (0xAE0, 0xAE1), (0xAF9, 0xAF9), (0xB05, 0xB0C), (0xB0F, 0xB10), (0xB13, 0xB28),
    (0xB2A, 0xB30), (0xB32, 0xB33), (0xB35, 0xB39), (0xB3D, 0xB3D), (0xB5C, 0xB5D), (0xB5F, 0xB61),
    (0xB71, 0xB71), (0xB83, 0xB83), (0xB85, 0xB8A), (0xB8E, 0xB90), (0xB92, 0xB95), (0xB99, 0xB9A),
    (0xB9C, 0xB9C), (0xB9E, 0xB9F), (0xBA3, 0xBA4), (0xBA8, 0xBAA), (0xBAE, 0xBB9), (0xBD0, 0xBD0),
    (0xC05, 0xC0C), (0xC0E, 0xC10), (0xC12, 0xC28), (0xC2A, 0xC39), (0xC3D, 0xC3D), (0xC58, 0xC5A),
    (0xC5D, 0xC5D), (0xC60, 0xC61), (0xC80, 0xC80), (0xC85, 0xC8C), (0xC8E, 0xC90), (0xC92, 0xCA8),
    (0xCAA, 0xCB3), (0xCB5, 0xCB9), (0xCBD, 0xCBD), (0xCDD, 0xCDE), (0xCE0, 0xCE1), (0xCF1, 0xCF2),
    (0xD04, 0xD0C), (0xD0E, 0xD10), (0xD12, 0xD3A), (0xD3D, 0xD3D), (0xD4E, 0xD4E), (0xD54, 0xD56),
    (0xD5F, 0xD61), (0xD7A, 0xD7F), (0xD85, 0xD96), (0xD9A, 0xDB1), (0xDB3, 0xDBB), (0xDBD, 0xDBD),
    (0xDC0, 0xDC6), (0xE01, 0xE30), (0xE32, 0xE33), (0xE40, 0xE46), (0xE81, 0xE82), (0xE84, 0xE84),
    (0xE86, 0xE8A), (0xE8C, 0xEA3), (0xEA5, 0xEA5), (0xEA7, 0xEB0), (0xEB2, 0xEB3), (0xEBD, 0xEBD),
    (0xEC0, 0xEC4), (0xEC6, 0xEC6), (0xEDC, 0xEDF), (0xF00, 0xF00), (0xF40, 0xF47), (0xF49, 0xF6C),
    (0xF88, 0xF8C), (0x1000, 0x102A), (0x103F, 0x103F), (0x1050, 0x1055), (0x105A, 0x105D), (0x1061, 0x1061),
    (0x1065, 0x1066), (0x106E, 0x1070), (0x1075, 0x1081), (0x108E, 0x108E), (0x10A0, 0x10C5), (0x10C7, 0x10C7),
    (0x10CD, 0x10CD), (0x10D0, 0x10FA), (0x10FC, 0x1248), (0x124A, 0x124D), (0x1250, 0x1256), (0x1258, 0x1258),
    (0x125A, 0x125D), (0x1260, 0x1288), (0x128A, 0x128D), (0x1290, 0x12B0), (0x12B2, 0x12B5), (0x12B8, 0x12BE),
    (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12D6), (0x12D8, 0x1310), (0x1312, 0x1315), (0x1318, 0x135A),
    (0x1380, 0x138F), (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1401, 0x166C), (0x166F, 0x167F), (0x1681, 0x169A),
    (0x16A0, 0x16EA), (0x16F1, 0x16F8), (0x1700, 0x1711), (0x171F, 0x1731), (0x1740, 0x1751), (0x1760, 0x176C),
    (0x176E, 0x1770), (0x1780, 0x17B3), (0x17D7, 0x17D7), (0x17DC, 0x17DC), (0x1820, 0x1878), (0x1880, 0x1884),
    (0x1887, 0x18A8), (0x18AA, 0x18AA), (0x18B0, 0x18F5), (0x1900, 0x191E), (0x1950, 0x196D), (0x1970, 0x1974),
    (0x1980, 0x19AB), (0x19B0, 0x19C9), (0x1A00, 0x1A16), (0x1A20, 0x1A54), (0x1AA7, 0x1AA7), (0x1B05, 0x1B33),
    (0x1B45, 0x1B4C), (0x1B83, 0x1BA0), (0x1BAE, 0x1BAF), (0x1BBA, 0x1BE5), (0x1C00, 0x1C23), (0x1C4D, 0x1C4F),
    (0x1C5A, 0x1C7D), (0x1C80, 0x1C88), (0x1C90, 0x1CBA), (0x1CBD, 0x1CBF), (0x1CE9, 0x1CEC), (0x1CEE, 0x1CF3),
    (0x1CF5, 0x1CF6), (0x1CFA, 0x1CFA), (0x1D00, 0x1DBF), (0x1E00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D),
    (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3),
    (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC), (0x2071, 0x2071), (0x207F, 0x207F),
    (0x2090, 0x209C), (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D),
    (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D), (0x212F, 0x2139), (0x213C, 0x213F),
    (0x2145, 0x2149), (0x214E, 0x214E), (0x2183, 0x2184), (0x2C00, 0x2CE4), (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3),
    (0x2D00, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D), (0x2D30, 0x2D67), (0x2D6F, 0x2D6F), (0x2D80, 0x2D96),
    (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE), (0x2DB0, 0x2DB6), (0x2DB8, 0x2DBE), (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE),
    (0x2DD0, 0x2DD6), (0x2DD8, 0x2DDE), (0x2E2F, 0x2E2F), (0x3005, 0x3006), (0x3031, 0x3035), (0x303B, 0x303C),
    (0x3041, 0x3096), (0x309D, 0x309F), (0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E),
    (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0xA48C), (0xA4D0, 0xA4FD), (0xA500, 0xA60C),
    (0xA610, 0xA61F), (0xA62A, 0xA62B), (0xA640, 0xA66E), (0xA67F, 0xA69D), (0xA6A0, 0xA6E5), (0xA717, 0xA71F),
    (0xA722, 0xA788), (0xA78B, 0xA7CA), (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D9), (0xA7F2, 0xA801),
    (0xA803, 0xA805), (0xA807, 0xA80A), (0xA80C, 0xA822), (0xA840, 0xA873), (0xA882, 0xA8B3), (0xA8F2, 0xA8F7),
    (0xA8FB, 0xA8FB), (0xA8FD, 0xA8FE), (0xA90A, 0xA925), (0xA930, 0xA946), (0xA960, 0xA97C), (0xA984, 0xA9B2),
    (0xA9CF, 0xA9CF), (0xA9E0, 0xA9E4), (0xA9E6, 0xA9EF), (0xA9FA, 0xA9FE), (0xAA00, 0xAA28), (0xAA40, 0xAA42),
    (0xAA44, 0xAA4B), (0xAA60, 0xAA76), (0xAA7A, 0xAA7A), (0xAA7E, 0xAAAF), (0xAAB1, 0xAAB1), (0xAAB5, 0xAAB6),
    (0xAAB9, 0xAABD), (0xAAC0, 0xAAC0), (0xAAC2, 0xAAC2), (0xAADB, 0xAADD), (0xAAE0, 0xAAEA), (0xAAF2, 0xAAF4),
    (0xAB01, 0xAB06), (0xAB09, 0xAB0E), (0xAB11, 0xAB16), (0xAB20, 0xAB26), (0xAB28, 0xAB2E), (0xAB30, 0xAB5A),
    (0xAB5C, 0xAB69), (0xAB70, 0xABE2), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xF900, 0xFA6D),
    (0xFA70, 0xFAD9), (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFB1D, 0xFB1D), (0xFB1F, 0xFB28), (0xFB2A, 0xFB36),
    (0xFB38, 0xFB3C), (0xFB3E, 0xFB3E), (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBB1), (0xFBD3, 0xFD3D),
    (0xFD50, 0xFD8F), (0xFD92, 0xFDC7), (0xFDF0, 0xFDFB), (0xFE70, 0xFE74), (0xFE76, 0xFEFC), (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A), (0xFF66, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC),
    (0x10000, 0x1000B), (0x1000D, 0x10026), (0x10028, 0x1003A), (0x1003C, 0x1003D), (0x1003F, 0x1004D), (0x10050, 0x1005D),
    (0x10080, 0x100FA), (0x10280, 0x1029C), (0x102A0, 0x102D0), (0x10300, 0x1031F), (0x1032D, 0x10340), (0x10342, 0x10349),
    (0x10350, 0x10375), (0x10380, 0x1039D), (0x103A0, 0x103C3), (0x103C8, 0x103CF), (0x10400, 0x1049D), (0x104B0, 0x104D3),
    (0x104D8, 0x104FB), (0x10500, 0x10527), (0x10530, 0x10563), (0x10570, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592),
    (0x10594, 0x10595), (0x10597, 0x105A1), (0x105A3, 0x105B1), (0x105B3, 0x105B9), (0x105BB, 0x105BC), (0x10600, 0x10736),
    (0x10740, 0x10755), (0x10760, 0x10767), (0x10780, 0x10785), (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x10800, 0x10805),
    (0x10808, 0x10808), (0x1080A, 0x10835), (0x10837, 0x10838), (0x1083C, 0x1083C), (0x1083F, 0x10855), (0x10860, 0x10876),
    (0x10880, 0x1089E), (0x108E0, 0x108F2), (0x108F4, 0x108F5), (0x10900, 0x10915), (0x10920, 0x10939), (0x10980, 0x109B7),
    (0x109BE, 0x109BF), (0x10A00, 0x10A00), (0x10A10, 0x10A13), (0x10A15, 0x10A17), (0x10A19, 0x10A35), (0x10A60, 0x10A7C),
    (0x10A80, 0x10A9C), (0x10AC0, 0x10AC7), (0x10AC9, 0x10AE4), (0x10B00, 0x10B35), (0x10B40, 0x10B55), (0x10B60, 0x10B72),
    (0x10B80, 0x10B91), (0x10C00, 0x10C48), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2), (0x10D00, 0x10D23), (0x10E80, 0x10EA9),
    (0x10EB0, 0x10EB1), (0x10F00, 0x10F1C), (0x10F27, 0x10F27), (0x10F30, 0x10F45), (0x10F70, 0x10F81), (0x10FB0, 0x10FC4),
    (0x10FE0, 0x10FF6), (0x11003, 0x11037), (0x11071, 0x11072), (0x11075, 0x11075), (0x11083, 0x110AF), (0x110D0, 0x110E8),
    (0x11103, 0x11126), (0x11144, 0x11144), (0x11147, 0x11147), (0x11150, 0x11172), (0x11176, 0x11176), (0x11183, 0x111B2),
    (0x111C1, 0x111C4), (0x111DA, 0x111DA), (0x111DC, 0x111DC), (0x11200, 0x11211), (0x11213, 0x1122B), (0x1123F, 0x11240),
    (0x11280, 0x11286), (0x11288, 0x11288), (0x1128A, 0x1128D), (0x1128F, 0x1129D), (0x1129F, 0x112A8), (0x112B0, 0x112DE),
    (0x11305, 0x1130C), (0x1130F, 0x11310), (0x11313, 0x11328), (0x1132A, 0x11330), (0x11332, 0x11333), (0x11335, 0x11339),
    (0x1133D, 0x1133D), (0x11350, 0x11350), (0x1135D, 0x11361), (0x11400, 0x11434), (0x11447, 0x1144A), (0x1145F, 0x11461),
    (0x11480, 0x114AF), (0x114C4, 0x114C5), (0x114C7, 0x114C7), (0x11580, 0x115AE), (0x115D8, 0x115DB), (0x11600, 0x1162F),
    (0x11644, 0x11644), (0x11680, 0x116AA), (0x116B8, 0x116B8), (0x11700, 0x1171A), (0x11740, 0x11746), (0x11800, 0x1182B),
    (0x118A0, 0x118DF), (0x118FF, 0x11906), (0x11909, 0x11909), (0x1190C, 0x11913), (0x11915, 0x11916), (0x11918, 0x1192F),
    (0x1193F, 0x1193F), (0x11941, 0x11941), (0x119A0, 0x119A7), (0x119AA, 0x119D0), (0x119E1, 0x119E1), (0x119E3, 0x119E3),
    (0x11A00, 0x11A00), (0x11A0B, 0x11A32), (0x11A3A, 0x11A3A), (0x11A50, 0x11A50), (0x11A5C, 0x11A89), (0x11A9D, 0x11A9D),
    (0x11AB0, 0x11AF8), (0x11C00, 0x11C08), (0x11C0A, 0x11C2E), (0x11C40, 0x11C40), (0x11C72, 0x11C8F), (0x11D00, 0x11D06),
    (0x11D08, 0x11D09), (0x11D0B, 0x11D30), (0x11D46, 0x11D46), (0x11D60, 0x11D65), (0x11D67, 0x11D68), (0x11D6A, 0x11D89),
    (0x11D98, 0x11D98), (0x11EE0, 0x11EF2), (0x11F02, 0x11F02), (0x11F04, 0x11F10), (0x11F12, 0x11F33), (0x11FB0, 0x11FB0),
    (0x12000, 0x12399), (0x12480, 0x12543), (0x12F90, 0x12FF0), (0x13000, 0x1342F), (0x13441, 0x13446), (0x14400, 0x14646),
    (0x16800, 0x16A38), (0x16A40, 0x16A5E), (0x16A70, 0x16ABE), (0x16AD0, 0x16AED), (0x16B00, 0x16B2F), (0x16B40, 0x16B43),
    (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E7F), (0x16F00, 0x16F4A), (0x16F50, 0x16F50), (0x16F93, 0x16F9F),
    (0x16FE0, 0x16FE1), (0x16FE3, 0x16FE3), (0x17000, 0x187F7), (0x18800, 0x18CD5), (0x18D00, 0x18D08), (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122), (0x1B132, 0x1B132), (0x1B150, 0x1B152), (0x1B155, 0x1B155),
    (0x1B164, 0x1B167), (0x1B170, 0x1B2FB), (0x1BC00, 0x1BC6A), (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88), (0x1BC90, 0x1BC99),
    (0x1D400, 0x1D454), (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2), (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC),
    (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB), (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A), (0x1D50D, 0x1D514),
    (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E), (0x1D540, 0x1D544), (0x1D546, 0x1D546), (0x1D54A, 0x1D550),
    (0x1D552, 0x1D6A5), (0x1D6A8, 0x1D6C0), (0x1D6C2, 0x1D6DA), (0x1D6DC, 0x1D6FA), (0x1D6FC, 0x1D714), (0x1D716, 0x1D734),
    (0x1D736, 0x1D74E), (0x1D750, 0x1D76E), (0x1D770, 0x1D788), (0x1D78A, 0x1D7A8), (0x1D7AA, 0x1D7C2), (0x1D7C4, 0x1D7CB),
    (0x1DF00, 0x1DF1E), (0x1DF25, 0x1DF2A), (0x1E030, 0x1E06D), (0x1E100, 0x1E12C), (0x1E137, 0x1E13D), (0x1E14E, 0x1E14E),
    (0x1E290, 0x1E2AD), (0x1E2C0, 0x1E2EB), (0x1E4D0, 0x1E4EB), (0x1E7E0, 0x1E7E6), (0x1E7E8, 0x1E7EB), (0x1E7ED, 0x1E7EE),
    (0x1E7F0, 0x1E7FE), (0x1E800, 0x1E8C4), (0x1E900, 0x1E943), (0x1E94B, 0x1E94B), (0x1EE00, 0x1EE03), (0x1EE05, 0x1EE1F),
    (0x1EE21, 0x1EE22), (0x1EE24, 0x1EE24), (0x1EE27, 0x1EE27), (0x1EE29, 0x1EE32), (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39),
    (0x1EE3B, 0x1EE3B), (0x1EE42, 0x1EE42), (0x1EE47, 0x1EE47), (0x1EE49, 0x1EE49), (0x1EE4B, 0x1EE4B), (0x1EE4D, 0x1EE4F),
    (0x1EE51, 0x1EE52), (0x1EE54, 0x1EE54), (0x1EE57, 0x1EE57), (0x1EE59, 0x1EE59), (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D),
    (0x1EE5F, 0x1EE5F), (0x1EE61, 0x1EE62), (0x1EE64, 0x1EE64), (0x1EE67, 0x1EE6A), (0x1EE6C, 0x1EE72), (0x1EE74, 0x1EE77),
    (0x1EE79, 0x1EE7C), (0x1EE7E, 0x1EE7E), (0x1EE80, 0x1EE89), (0x1EE8B, 0x1EE9B), (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9),
    (0x1EEAB, 0x1EEBB), (0x20000, 0x2A6DF), (0x2A700, 0x2B739), (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0),
    (0x2F800, 0x2FA1D), (0x30000, 0x3134A), (0x31350, 0x323AF),
];
#[rustfmt::skip]
static DIGIT: [(u32, u32); 63] = [
    (0x660, 0x669), (0x6F0, 0x6F9), (0x7C0, 0x7C9), (0x966, 0x96F), (0x9E6, 0x9EF), (0xA66, 0xA6F),
    (0xAE6, 0xAEF), (0xB66, 0xB6F), (0xBE6, 0xBEF), (0xC66, 0xC6F), (0xCE6, 0xCEF), (0xD66, 0xD6F),
    (0xDE6, 0xDEF), (0xE50, 0xE59), (0xED0, 0xED9), (0xF20, 0xF29), (0x1040, 0x1049), (0x1090, 0x1099),
    (0x17E0, 0x17E9), (0x1810, 0x1819), (0x1946, 0x194F), (0x19D0, 0x19D9), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
    (0x1B50, 0x1B59), (0x1BB0, 0x1BB9), (0x1C40, 0x1C49), (0x1C50, 0x1C59), (0xA620, 0xA629), (0xA8D0, 0xA8D9),
    (0xA900, 0xA909), (0xA9D0, 0xA9D9), (0xA9F0, 0xA9F9), (0xAA50, 0xAA59), (0xABF0, 0xABF9), (0xFF10, 0xFF19),
    (0x104A0, 0x104A9), (0x10D30, 0x10D39), (0x11066, 0x1106F), (0x110F0, 0x110F9), (0x11136, 0x1113F), (0x111D0, 0x111D9),
    (0x112F0, 0x112F9), (0x11450, 0x11459), (0x114D0, 0x114D9), (0x11650, 0x11659), (0x116C0, 0x116C9), (0x11730, 0x11739),
    (0x118E0, 0x118E9), (0x11950, 0x11959), (0x11C50, 0x11C59), (0x11D50, 0x11D59), (0x11DA0, 0x11DA9), (0x11F50, 0x11F59),
    (0x16A60, 0x16A69), (0x16AC0, 0x16AC9), (0x16B50, 0x16B59), (0x1D7CE, 0x1D7FF), (0x1E140, 0x1E149), (0x1E2F0, 0x1E2F9),
    (0x1E4F0, 0x1E4F9), (0x1E950, 0x1E959), (0x1FBF0, 0x1FBF9),
];
#[rustfmt::skip]
static PRINT: [(u32, u32); 711] = [
    (0x20, 0x7E), (0xA1, 0xAC), (0xAE, 0x377), (0x37A, 0x37F), (0x384, 0x38A), (0x38C, 0x38C),
    (0x38E, 0x3A1), (0x3A3, 0x52F), (0x531, 0x556), (0x559, 0x58A), (0x58D, 0x58F), (0x591, 0x5C7),
    (0x5D0, 0x5EA), (0x5EF, 0x5F4), (0x606, 0x61B), (0x61D, 0x6DC), (0x6DE, 0x70D), (0x710, 0x74A),
    (0x74D, 0x7B1), (0x7C0, 0x7FA), (0x7FD, 0x82D), (0x830, 0x83E), (0x840, 0x85B), (0x85E, 0x85E),
    (0x860, 0x86A), (0x870, 0x88E), (0x898, 0x8E1), (0x8E3, 0x983), (0x985, 0x98C), (0x98F, 0x990),
    (0x993, 0x9A8), (0x9AA, 0x9B0), (0x9B2, 0x9B2), (0x9B6, 0x9B9), (0x9BC, 0x9C4), (0x9C7, 0x9C8),
    (0x9CB, 0x9CE), (0x9D7, 0x9D7), (0x9DC, 0x9DD), (0x9DF, 0x9E3), (0x9E6, 0x9FE), (0xA01, 0xA03),
    (0xA05, 0xA0A), (0xA0F, 0xA10), (0xA13, 0xA28), (0xA2A, 0xA30), (0xA32, 0xA33), (0xA35, 0xA36),
    (0xA38, 0xA39), (0xA3C, 0xA3C), (0xA3E, 0xA42), (0xA47, 0xA48), (0xA4B, 0xA4D), (0xA51, 0xA51),
    (0xA59, 0xA5C), (0xA5E, 0xA5E), (0xA66, 0xA76), (0xA81, 0xA83), (0xA85, 0xA8D), (0xA8F, 0xA91),
    (0xA93, 0xAA8), (0xAAA, 0xAB0), (0xAB2, 0xAB3), (0xAB5, 0xAB9), (0xABC, 0xAC5), (0xAC7, 0xAC9),
    (0xACB, 0xACD), (0xAD0, 0xAD0), (0xAE0, 0xAE3), (0xAE6, 0xAF1), (0xAF9, 0xAFF), (0xB01, 0xB03),
    (0xB05, 0xB0C), (0xB0F, 0xB10), (0xB13, 0xB28), (0xB2A, 0xB30), (0xB32, 0xB33), (0xB35, 0xB39),
    (0xB3C, 0xB44), (0xB47, 0xB48), (0xB4B, 0xB4D), (0xB55, 0xB57), (0xB5C, 0xB5D), (0xB5F, 0xB63),
    (0xB66, 0xB77), (0xB82, 0xB83), (0xB85, 0xB8A), (0xB8E, 0xB90), (0xB92, 0xB95), (0xB99, 0xB9A),
    (0xB9C, 0xB9C), (0xB9E, 0xB9F), (0xBA3, 0xBA4), (0xBA8, 0xBAA), (0xBAE, 0xBB9), (0xBBE, 0xBC2),
    (0xBC6, 0xBC8), (0xBCA, 0xBCD), (0xBD0, 0xBD0), (0xBD7, 0xBD7), (0xBE6, 0xBFA), (0xC00, 0xC0C),
    (0xC0E, 0xC10), (0xC12, 0xC28), (0xC2A, 0xC39), (0xC3C, 0xC44), (0xC46, 0xC48), (0xC4A, 0xC4D),
    (0xC55, 0xC56), (0xC58, 0xC5A), (0xC5D, 0xC5D), (0xC60, 0xC63), (0xC66, 0xC6F), (0xC77, 0xC8C),
    (0xC8E, 0xC90), (0xC92, 0xCA8), (0xCAA, 0xCB3), (0xCB5, 0xCB9), (0xCBC, 0xCC4), (0xCC6, 0xCC8),
    (0xCCA, 0xCCD), (0xCD5, 0xCD6), (0xCDD, 0xCDE), (0xCE0, 0xCE3), (0xCE6, 0xCEF), (0xCF1, 0xCF3),
    (0xD00, 0xD0C), (0xD0E, 0xD10), (0xD12, 0xD44), (0xD46, 0xD48), (0xD4A, 0xD4F), (0xD54, 0xD63),
    (0xD66, 0xD7F), (0xD81, 0xD83), (0xD85, 0xD96), (0xD9A, 0xDB1), (0xDB3, 0xDBB), (0xDBD, 0xDBD),
    (0xDC0, 0xDC6), (0xDCA, 0xDCA), (0xDCF, 0xDD4), (0xDD6, 0xDD6), (0xDD8, 0xDDF), (0xDE6, 0xDEF),
    (0xDF2, 0xDF4), (0xE01, 0xE3A), (0xE3F, 0xE5B), (0xE81, 0xE82), (0xE84, 0xE84), (0xE86, 0xE8A),
    (0xE8C, 0xEA3), (0xEA5, 0xEA5), (0xEA7, 0xEBD), (0xEC0, 0xEC4), (0xEC6, 0xEC6), (0xEC8, 0xECE),
    (0xED0, 0xED9), (0xEDC, 0xEDF), (0xF00, 0xF47), (0xF49, 0xF6C), (0xF71, 0xF97), (0xF99, 0xFBC),
    (0xFBE, 0xFCC), (0xFCE, 0xFDA), (0x1000, 0x10C5), (0x10C7, 0x10C7), (0x10CD, 0x10CD), (0x10D0, 0x1248),
    (0x124A, 0x124D), (0x1250, 0x1256), (0x1258, 0x1258), (0x125A, 0x125D), (0x1260, 0x1288), (0x128A, 0x128D),
    (0x1290, 0x12B0), (0x12B2, 0x12B5), (0x12B8, 0x12BE), (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12D6),
    (0x12D8, 0x1310), (0x1312, 0x1315), (0x1318, 0x135A), (0x135D, 0x137C), (0x1380, 0x1399), (0x13A0, 0x13F5),
    (0x13F8, 0x13FD), (0x1400, 0x167F), (0x1681, 0x169C), (0x16A0, 0x16F8), (0x1700, 0x1715), (0x171F, 0x1736),
    (0x1740, 0x1753), (0x1760, 0x176C), (0x176E, 0x1770), (0x1772, 0x1773), (0x1780, 0x17DD), (0x17E0, 0x17E9),
    (0x17F0, 0x17F9), (0x1800, 0x180D), (0x180F, 0x1819), (0x1820, 0x1878), (0x1880, 0x18AA), (0x18B0, 0x18F5),
    (0x1900, 0x191E), (0x1920, 0x192B), (0x1930, 0x193B), (0x1940, 0x1940), (0x1944, 0x196D), (0x1970, 0x1974),
    (0x1980, 0x19AB), (0x19B0, 0x19C9), (0x19D0, 0x19DA), (0x19DE, 0x1A1B), (0x1A1E, 0x1A5E), (0x1A60, 0x1A7C),
    (0x1A7F, 0x1A89), (0x1A90, 0x1A99), (0x1AA0, 0x1AAD), (0x1AB0, 0x1ACE), (0x1B00, 0x1B4C), (0x1B50, 0x1B7E),
    (0x1B80, 0x1BF3), (0x1BFC, 0x1C37), (0x1C3B, 0x1C49), (0x1C4D, 0x1C88), (0x1C90, 0x1CBA), (0x1CBD, 0x1CC7),
    (0x1CD0, 0x1CFA), (0x1D00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57),
    (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FC4),
    (0x1FC6, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FDD, 0x1FEF), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFE), (0x2010, 0x2027),
    (0x2030, 0x205E), (0x2070, 0x2071), (0x2074, 0x208E), (0x2090, 0x209C), (0x20A0, 0x20C0), (0x20D0, 0x20F0),
    (0x2100, 0x218B), (0x2190, 0x2426), (0x2440, 0x244A), (0x2460, 0x2B73), (0x2B76, 0x2B95), (0x2B97, 0x2CF3),
    (0x2CF9, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D), (0x2D30, 0x2D67), (0x2D6F, 0x2D70), (0x2D7F, 0x2D96),
    (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE), (0x2DB0, 0x2DB6), (0x2DB8, 0x2DBE), (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE),
    (0x2DD0, 0x2DD6), (0x2DD8, 0x2DDE), (0x2DE0, 0x2E5D), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5),
    (0x2FF0, 0x2FFB), (0x3001, 0x303F), (0x3041, 0x3096), (0x3099, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E),
    (0x3190, 0x31E3), (0x31F0, 0x321E), (0x3220, 0xA48C), (0xA490, 0xA4C6), (0xA4D0, 0xA62B), (0xA640, 0xA6F7),
    (0xA700, 0xA7CA), (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D9), (0xA7F2, 0xA82C), (0xA830, 0xA839),
    (0xA840, 0xA877), (0xA880, 0xA8C5), (0xA8CE, 0xA8D9), (0xA8E0, 0xA953), (0xA95F, 0xA97C), (0xA980, 0xA9CD),
    (0xA9CF, 0xA9D9), (0xA9DE, 0xA9FE), (0xAA00, 0xAA36), (0xAA40, 0xAA4D), (0xAA50, 0xAA59), (0xAA5C, 0xAAC2),
    (0xAADB, 0xAAF6), (0xAB01, 0xAB06), (0xAB09, 0xAB0E), (0xAB11, 0xAB16), (0xAB20, 0xAB26), (0xAB28, 0xAB2E),
    (0xAB30, 0xAB6B), (0xAB70, 0xABED), (0xABF0, 0xABF9), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB),
    (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFB1D, 0xFB36), (0xFB38, 0xFB3C),
    (0xFB3E, 0xFB3E), (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBC2), (0xFBD3, 0xFD8F), (0xFD92, 0xFDC7),
    (0xFDCF, 0xFDCF), (0xFDF0, 0xFE19), (0xFE20, 0xFE52), (0xFE54, 0xFE66), (0xFE68, 0xFE6B), (0xFE70, 0xFE74),
    (0xFE76, 0xFEFC), (0xFF01, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC),
    (0xFFE0, 0xFFE6), (0xFFE8, 0xFFEE), (0xFFFC, 0xFFFD), (0x10000, 0x1000B), (0x1000D, 0x10026), (0x10028, 0x1003A),
    (0x1003C, 0x1003D), (0x1003F, 0x1004D), (0x10050, 0x1005D), (0x10080, 0x100FA), (0x10100, 0x10102), (0x10107, 0x10133),
    (0x10137, 0x1018E), (0x10190, 0x1019C), (0x101A0, 0x101A0), (0x101D0, 0x101FD), (0x10280, 0x1029C), (0x102A0, 0x102D0),
    (0x102E0, 0x102FB), (0x10300, 0x10323), (0x1032D, 0x1034A), (0x10350, 0x1037A), (0x10380, 0x1039D), (0x1039F, 0x103C3),
    (0x103C8, 0x103D5), (0x10400, 0x1049D), (0x104A0, 0x104A9), (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10500, 0x10527),
    (0x10530, 0x10563), (0x1056F, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592), (0x10594, 0x10595), (0x10597, 0x105A1),
    (0x105A3, 0x105B1), (0x105B3, 0x105B9), (0x105BB, 0x105BC), (0x10600, 0x10736), (0x10740, 0x10755), (0x10760, 0x10767),
    (0x10780, 0x10785), (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x10800, 0x10805), (0x10808, 0x10808), (0x1080A, 0x10835),
    (0x10837, 0x10838), (0x1083C, 0x1083C), (0x1083F, 0x10855), (0x10857, 0x1089E), (0x108A7, 0x108AF), (0x108E0, 0x108F2),
    (0x108F4, 0x108F5), (0x108FB, 0x1091B), (0x1091F, 0x10939), (0x1093F, 0x1093F), (0x10980, 0x109B7), (0x109BC, 0x109CF),
    (0x109D2, 0x10A03), (0x10A05, 0x10A06), (0x10A0C, 0x10A13), (0x10A15, 0x10A17), (0x10A19, 0x10A35), (0x10A38, 0x10A3A),
    (0x10A3F, 0x10A48), (0x10A50, 0x10A58), (0x10A60, 0x10A9F), (0x10AC0, 0x10AE6), (0x10AEB, 0x10AF6), (0x10B00, 0x10B35),
    (0x10B39, 0x10B55), (0x10B58, 0x10B72), (0x10B78, 0x10B91), (0x10B99, 0x10B9C), (0x10BA9, 0x10BAF), (0x10C00, 0x10C48),
    (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2), (0x10CFA, 0x10D27), (0x10D30, 0x10D39), (0x10E60, 0x10E7E), (0x10E80, 0x10EA9),
    (0x10EAB, 0x10EAD), (0x10EB0, 0x10EB1), (0x10EFD, 0x10F27), (0x10F30, 0x10F59), (0x10F70, 0x10F89), (0x10FB0, 0x10FCB),
    (0x10FE0, 0x10FF6), (0x11000, 0x1104D), (0x11052, 0x11075), (0x1107F, 0x110BC), (0x110BE, 0x110C2), (0x110D0, 0x110E8),
    (0x110F0, 0x110F9), (0x11100, 0x11134), (0x11136, 0x11147), (0x11150, 0x11176), (0x11180, 0x111DF), (0x111E1, 0x111F4),
    (0x11200, 0x11211), (0x11213, 0x11241), (0x11280, 0x11286), (0x11288, 0x11288), (0x1128A, 0x1128D), (0x1128F, 0x1129D),
    (0x1129F, 0x112A9), (0x112B0, 0x112EA), (0x112F0, 0x112F9), (0x11300, 0x11303), (0x11305, 0x1130C), (0x1130F, 0x11310),
    (0x11313, 0x11328), (0x1132A, 0x11330), (0x11332, 0x11333), (0x11335, 0x11339), (0x1133B, 0x11344), (0x11347, 0x11348),
    (0x1134B, 0x1134D), (0x11350, 0x11350), (0x11357, 0x11357), (0x1135D, 0x11363), (0x11366, 0x1136C), (0x11370, 0x11374),
    (0x11400, 0x1145B), (0x1145D, 0x11461), (0x11480, 0x114C7), (0x114D0, 0x114D9), (0x11580, 0x115B5), (0x115B8, 0x115DD),
    (0x11600, 0x11644), (0x11650, 0x11659), (0x11660, 0x1166C), (0x11680, 0x116B9), (0x116C0, 0x116C9), (0x11700, 0x1171A),
    (0x1171D, 0x1172B), (0x11730, 0x11746), (0x11800, 0x1183B), (0x118A0, 0x118F2), (0x118FF, 0x11906), (0x11909, 0x11909),
    (0x1190C, 0x11913), (0x11915, 0x11916), (0x11918, 0x11935), (0x11937, 0x11938), (0x1193B, 0x11946), (0x11950, 0x11959),
    (0x119A0, 0x119A7), (0x119AA, 0x119D7), (0x119DA, 0x119E4), (0x11A00, 0x11A47), (0x11A50, 0x11AA2), (0x11AB0, 0x11AF8),
    (0x11B00, 0x11B09), (0x11C00, 0x11C08), (0x11C0A, 0x11C36), (0x11C38, 0x11C45), (0x11C50, 0x11C6C), (0x11C70, 0x11C8F),
    (0x11C92, 0x11CA7), (0x11CA9, 0x11CB6), (0x11D00, 0x11D06), (0x11D08, 0x11D09), (0x11D0B, 0x11D36), (0x11D3A, 0x11D3A),
    (0x11D3C, 0x11D3D), (0x11D3F, 0x11D47), (0x11D50, 0x11D59), (0x11D60, 0x11D65), (0x11D67, 0x11D68), (0x11D6A, 0x11D8E),
    (0x11D90, 0x11D91), (0x11D93, 0x11D98), (0x11DA0, 0x11DA9), (0x11EE0, 0x11EF8), (0x11F00, 0x11F10), (0x11F12, 0x11F3A),
    (0x11F3E, 0x11F59), (0x11FB0, 0x11FB0), (0x11FC0, 0x11FF1), (0x11FFF, 0x12399), (0x12400, 0x1246E), (0x12470, 0x12474),
    (0x12480, 0x12543), (0x12F90, 0x12FF2), (0x13000, 0x1342F), (0x13440, 0x13455), (0x14400, 0x14646), (0x16800, 0x16A38),
    (0x16A40, 0x16A5E), (0x16A60, 0x16A69), (0x16A6E, 0x16ABE), (0x16AC0, 0x16AC9), (0x16AD0, 0x16AED), (0x16AF0, 0x16AF5),
    (0x16B00, 0x16B45), (0x16B50, 0x16B59), (0x16B5B, 0x16B61), (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E9A),
    (0x16F00, 0x16F4A), (0x16F4F, 0x16F87), (0x16F8F, 0x16F9F), (0x16FE0, 0x16FE4), (0x16FF0, 0x16FF1), (0x17000, 0x187F7),
    (0x18800, 0x18CD5), (0x18D00, 0x18D08), (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122),
    (0x1B132, 0x1B132), (0x1B150, 0x1B152), (0x1B155, 0x1B155), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB), (0x1BC00, 0x1BC6A),
    (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88), (0x1BC90, 0x1BC99), (0x1BC9C, 0x1BC9F), (0x1CF00, 0x1CF2D), (0x1CF30, 0x1CF46),
    (0x1CF50, 0x1CFC3), (0x1D000, 0x1D0F5), (0x1D100, 0x1D126), (0x1D129, 0x1D172), (0x1D17B, 0x1D1EA), (0x1D200, 0x1D245),
    (0x1D2C0, 0x1D2D3), (0x1D2E0, 0x1D2F3), (0x1D300, 0x1D356), (0x1D360, 0x1D378), (0x1D400, 0x1D454), (0x1D456, 0x1D49C),
    (0x1D49E, 0x1D49F), (0x1D4A2, 0x1D4A2), (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9), (0x1D4BB, 0x1D4BB),
    (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A), (0x1D50D, 0x1D514), (0x1D516, 0x1D51C), (0x1D51E, 0x1D539),
    (0x1D53B, 0x1D53E), (0x1D540, 0x1D544), (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A5), (0x1D6A8, 0x1D7CB),
    (0x1D7CE, 0x1DA8B), (0x1DA9B, 0x1DA9F), (0x1DAA1, 0x1DAAF), (0x1DF00, 0x1DF1E), (0x1DF25, 0x1DF2A), (0x1E000, 0x1E006),
    (0x1E008, 0x1E018), (0x1E01B, 0x1E021), (0x1E023, 0x1E024), (0x1E026, 0x1E02A), (0x1E030, 0x1E06D), (0x1E08F, 0x1E08F),
    (0x1E100, 0x1E12C), (0x1E130, 0x1E13D), (0x1E140, 0x1E149), (0x1E14E, 0x1E14F), (0x1E290, 0x1E2AE), (0x1E2C0, 0x1E2F9),
    (0x1E2FF, 0x1E2FF), (0x1E4D0, 0x1E4F9), (0x1E7E0, 0x1E7E6), (0x1E7E8, 0x1E7EB), (0x1E7ED, 0x1E7EE), (0x1E7F0, 0x1E7FE),
    (0x1E800, 0x1E8C4), (0x1E8C7, 0x1E8D6), (0x1E900, 0x1E94B), (0x1E950, 0x1E959), (0x1E95E, 0x1E95F), (0x1EC71, 0x1ECB4),
    (0x1ED01, 0x1ED3D), (0x1EE00, 0x1EE03), (0x1EE05, 0x1EE1F), (0x1EE21, 0x1EE22), (0x1EE24, 0x1EE24), (0x1EE27, 0x1EE27),
    (0x1EE29, 0x1EE32), (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39), (0x1EE3B, 0x1EE3B), (0x1EE42, 0x1EE42), (0x1EE47, 0x1EE47),
    (0x1EE49, 0x1EE49), (0x1EE4B, 0x1EE4B), (0x1EE4D, 0x1EE4F), (0x1EE51, 0x1EE52), (0x1EE54, 0x1EE54), (0x1EE57, 0x1EE57),
    (0x1EE59, 0x1EE59), (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D), (0x1EE5F, 0x1EE5F), (0x1EE61, 0x1EE62), (0x1EE64, 0x1EE64),
    (0x1EE67, 0x1EE6A), (0x1EE6C, 0x1EE72), (0x1EE74, 0x1EE77), (0x1EE79, 0x1EE7C), (0x1EE7E, 0x1EE7E), (0x1EE80, 0x1EE89),
    (0x1EE8B, 0x1EE9B), (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9), (0x1EEAB, 0x1EEBB), (0x1EEF0, 0x1EEF1), (0x1F000, 0x1F02B),
    (0x1F030, 0x1F093), (0x1F0A0, 0x1F0AE), (0x1F0B1, 0x1F0BF), (0x1F0C1, 0x1F0CF), (0x1F0D1, 0x1F0F5), (0x1F100, 0x1F1AD),
    (0x1F1E6, 0x1F202), (0x1F210, 0x1F23B), (0x1F240, 0x1F248), (0x1F250, 0x1F251), (0x1F260, 0x1F265), (0x1F300, 0x1F6D7),
    (0x1F6DC, 0x1F6EC), (0x1F6F0, 0x1F6FC), (0x1F700, 0x1F776), (0x1F77B, 0x1F7D9), (0x1F7E0, 0x1F7EB), (0x1F7F0, 0x1F7F0),
    (0x1F800, 0x1F80B), (0x1F810, 0x1F847), (0x1F850, 0x1F859), (0x1F860, 0x1F887), (0x1F890, 0x1F8AD), (0x1F8B0, 0x1F8B1),
    (0x1F900, 0x1FA53), (0x1FA60, 0x1FA6D), (0x1FA70, 0x1FA7C), (0x1FA80, 0x1FA88), (0x1FA90, 0x1FABD), (0x1FABF, 0x1FAC5),
    (0x1FACE, 0x1FADB), (0x1FAE0, 0x1FAE8), (0x1FAF0, 0x1FAF8), (0x1FB00, 0x1FB92), (0x1FB94, 0x1FBCA), (0x1FBF0, 0x1FBF9),
    (0x20000, 0x2A6DF), (0x2A700, 0x2B739), (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D),
    (0x30000, 0x3134A), (0x31350, 0x323AF), (0xE0100, 0xE01EF),
];

/// The bytes [`Lexer::skip_block`] stops at: braces, quotes, and `/` (comments).
static BLOCK_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'`' as usize] = true;
    t[b'/' as usize] = true;
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Comment;
    use std::string::String;
    use Tok::*;

    type Cases<'a> = &'a [(&'a [u8], &'a [(u32, &'a str)])];

    fn lex(src: &[u8]) -> (Vec<Token>, Vec<Comment>, Vec<(u32, String)>) {
        let mut lx = Lexer::new(src);
        let mut toks = Vec::new();
        loop {
            let t = lx.next_token();
            toks.push(t);
            if t.tok == Eof {
                break;
            }
            assert!(toks.len() <= src.len() + 2, "no progress");
        }
        // Eof is sticky.
        assert_eq!(lx.next_token(), tok(Eof, src.len(), src.len()));
        let errs = lx
            .take_errors()
            .into_iter()
            .map(|e| (e.offset, e.msg))
            .collect();
        (toks, lx.take_comments(), errs)
    }

    /// Tokens as (kind, start, end).
    fn toks(src: &str) -> Vec<(Tok, u32, u32)> {
        lex(src.as_bytes())
            .0
            .iter()
            .map(|t| (t.tok, t.start, t.end))
            .collect()
    }

    fn kinds(src: &[u8]) -> Vec<Tok> {
        lex(src).0.iter().map(|t| t.tok).collect()
    }

    fn errs(src: &[u8]) -> Vec<(u32, String)> {
        lex(src).2
    }

    fn err1(src: &[u8]) -> (u32, String) {
        let e = errs(src);
        assert_eq!(e.len(), 1, "{:?}: {e:?}", String::from_utf8_lossy(src));
        e.into_iter().next().unwrap()
    }

    fn comment_spans(src: &str) -> Vec<(u32, u32)> {
        lex(src.as_bytes())
            .1
            .iter()
            .map(|c| (c.span.start, c.span.end))
            .collect()
    }

    #[test]
    fn semicolon_insertion() {
        assert_eq!(toks(""), vec![(Eof, 0, 0)]);
        assert_eq!(
            toks("x"),
            vec![(Ident, 0, 1), (Semicolon, 1, 1), (Eof, 1, 1)]
        );
        assert_eq!(
            toks("x\n"),
            vec![(Ident, 0, 1), (Semicolon, 1, 1), (Eof, 2, 2)]
        );
        assert_eq!(
            toks("x;"),
            vec![(Ident, 0, 1), (Semicolon, 1, 2), (Eof, 2, 2)]
        );
        assert_eq!(
            toks("x\r\ny"),
            vec![
                (Ident, 0, 1),
                (Semicolon, 2, 2),
                (Ident, 3, 4),
                (Semicolon, 4, 4),
                (Eof, 4, 4)
            ]
        );
        assert_eq!(
            toks("a +\nb"),
            vec![
                (Ident, 0, 1),
                (Add, 2, 3),
                (Ident, 4, 5),
                (Semicolon, 5, 5),
                (Eof, 5, 5)
            ]
        );
        assert_eq!(
            toks("\n\nf(\n)\n"),
            vec![
                (Ident, 2, 3),
                (LParen, 3, 4),
                (RParen, 5, 6),
                (Semicolon, 6, 6),
                (Eof, 7, 7)
            ]
        );
        for (src, k) in [
            ("break\n", Break),
            ("continue\n", Continue),
            ("fallthrough\n", Fallthrough),
            ("return\n", Return),
            ("1\n", Int),
            ("1.5\n", Float),
            ("1i\n", Imag),
            ("'a'\n", Char),
            ("\"s\"\n", Tok::String),
            ("`r`\n", Tok::String),
        ] {
            let n = src.len() as u32 - 1;
            assert_eq!(
                toks(src),
                vec![(k, 0, n), (Semicolon, n, n), (Eof, n + 1, n + 1)],
                "{src:?}"
            );
        }
        for (src, k) in [
            ("x++\n", Inc),
            ("x--\n", Dec),
            ("x)\n", RParen),
            ("x]\n", RBrack),
            ("x}\n", RBrace),
        ] {
            assert_eq!(
                kinds(src.as_bytes()),
                vec![Ident, k, Semicolon, Eof],
                "{src:?}"
            );
        }
        // No semicolon after other tokens or keywords.
        for src in [
            "func\n", "x +\n", "x(\n", "x,\n", "x.\n", "var\n", "x =\n", "x ~\n", "x;\n",
        ] {
            assert_ne!(
                kinds(src.as_bytes())
                    .iter()
                    .filter(|&&k| k == Semicolon)
                    .count(),
                2,
                "{src:?}"
            );
            assert!(
                !toks(src).iter().any(|&(k, s, e)| k == Semicolon && s == e),
                "{src:?}"
            );
        }
    }

    #[test]
    fn semicolons_and_comments() {
        // A //-comment: the semicolon is at the newline.
        assert_eq!(
            toks("x // c\n"),
            vec![(Ident, 0, 1), (Semicolon, 6, 6), (Eof, 7, 7)]
        );
        assert_eq!(comment_spans("x // c\n"), vec![(2, 6)]);
        // A /*...*/ comment holding a newline: the semicolon is at its first newline.
        assert_eq!(
            toks("x /* a\nb\n */ y"),
            vec![
                (Ident, 0, 1),
                (Semicolon, 6, 6),
                (Ident, 13, 14),
                (Semicolon, 14, 14),
                (Eof, 14, 14)
            ]
        );
        assert_eq!(comment_spans("x /* a\nb\n */ y"), vec![(2, 12)]);
        // ... but only when a semicolon is due.
        assert_eq!(
            toks("+ /* a\nb */ y"),
            vec![
                (Add, 0, 1),
                (Ident, 12, 13),
                (Semicolon, 13, 13),
                (Eof, 13, 13)
            ]
        );
        // A /*...*/ comment without newline keeps the state.
        assert_eq!(
            toks("x /* a */\n"),
            vec![(Ident, 0, 1), (Semicolon, 9, 9), (Eof, 10, 10)]
        );
        assert_eq!(
            toks("x /* a */ y"),
            vec![
                (Ident, 0, 1),
                (Ident, 10, 11),
                (Semicolon, 11, 11),
                (Eof, 11, 11)
            ]
        );
        // Comment at EOF.
        assert_eq!(
            toks("x // c"),
            vec![(Ident, 0, 1), (Semicolon, 6, 6), (Eof, 6, 6)]
        );
        assert_eq!(
            toks("x /* c */"),
            vec![(Ident, 0, 1), (Semicolon, 9, 9), (Eof, 9, 9)]
        );
        // CRLF: the //-comment span excludes the final \r.
        assert_eq!(comment_spans("// c\r\n/* d\r\n*/"), vec![(0, 4), (6, 14)]);
        assert_eq!(comment_spans("// c\r"), vec![(0, 4)]);
        assert_eq!(comment_spans("//\r\n"), vec![(0, 2)]);
        assert_eq!(comment_spans("/*/ */"), vec![(0, 6)]);
        // Comments are recorded in order.
        assert_eq!(
            comment_spans("//a\n/*b*/ x //c"),
            vec![(0, 3), (4, 9), (12, 15)]
        );
    }

    #[test]
    fn operators() {
        let src = "+ - * / % & | ^ << >> &^ += -= *= /= %= &= |= ^= <<= >>= &^= && || <- ++ -- == < > = ! != <= >= := ... ( [ { , . ) ] } ; : ~";
        let ks: Vec<Tok> = kinds(src.as_bytes());
        let expected = [
            Add,
            Sub,
            Mul,
            Quo,
            Rem,
            And,
            Or,
            Xor,
            Shl,
            Shr,
            AndNot,
            AddAssign,
            SubAssign,
            MulAssign,
            QuoAssign,
            RemAssign,
            AndAssign,
            OrAssign,
            XorAssign,
            ShlAssign,
            ShrAssign,
            AndNotAssign,
            LAnd,
            LOr,
            Arrow,
            Inc,
            Dec,
            Eql,
            Lss,
            Gtr,
            Assign,
            Not,
            Neq,
            Leq,
            Geq,
            Define,
            Ellipsis,
            LParen,
            LBrack,
            LBrace,
            Comma,
            Period,
            RParen,
            RBrack,
            RBrace,
            Semicolon,
            Colon,
            Tilde,
            Eof,
        ];
        assert_eq!(ks, expected);
        for t in lex(src.as_bytes()).0 {
            if t.tok != Eof {
                assert_eq!(&src[t.start as usize..t.end as usize], t.tok.as_str());
            }
        }
        assert_eq!(
            kinds(b"a..b"),
            vec![Ident, Period, Period, Ident, Semicolon, Eof]
        );
        assert_eq!(kinds(b"<-x"), vec![Arrow, Ident, Semicolon, Eof]);
        assert_eq!(kinds(b"a/b"), vec![Ident, Quo, Ident, Semicolon, Eof]);
    }

    #[test]
    fn identifiers_and_keywords() {
        let src = "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var";
        let ks = kinds(src.as_bytes());
        assert_eq!(ks.len(), 26);
        for (t, w) in lex(src.as_bytes()).0.iter().zip(src.split(' ')) {
            assert!(t.tok.is_keyword());
            assert_eq!(t.tok.as_str(), w);
            assert_eq!(Tok::keyword(w.as_bytes()), Some(t.tok));
        }
        for w in [
            "_",
            "x",
            "X1",
            "_x_",
            "Break",
            "iff",
            "fo",
            "typ",
            "types",
            "goo",
            "Ch",
            "interfaces",
            "héllo",
            "ǅx",
            "ʰ",
            "x١",
            "日本語",
            "x𝟘",
        ] {
            let (t, _, e) = lex(w.as_bytes());
            assert_eq!(t[0], tok(Ident, 0, w.len()), "{w}");
            assert!(e.is_empty(), "{w}");
        }
        // Non-letters do not start identifiers (Nd, Nl) or continue them (Mn).
        assert_eq!(
            err1("x١ ١".as_bytes()),
            (4, "illegal character U+0661 '١'".into())
        );
        assert_eq!(
            err1("Ⅰ".as_bytes()),
            (0, "illegal character U+2160 'Ⅰ'".into())
        );
        assert_eq!(
            err1("e\u{301}".as_bytes()),
            (1, "illegal character U+0301 '\u{301}'".into())
        );
        assert_eq!(
            kinds("e\u{301}".as_bytes()),
            vec![Ident, Illegal, Semicolon, Eof]
        );
    }

    #[test]
    fn literals() {
        let cases: &[(&str, Tok)] = &[
            ("0", Int),
            ("123", Int),
            ("1_000", Int),
            ("0x1F", Int),
            ("0XaBc", Int),
            ("0o17", Int),
            ("0O17", Int),
            ("0b101", Int),
            ("0B1_0", Int),
            ("017", Int),
            ("0_17", Int),
            ("0x_1", Int),
            ("1.5", Float),
            ("1.", Float),
            (".5", Float),
            ("1e10", Float),
            ("1E+10", Float),
            ("1e-1_0", Float),
            ("0x1p-2", Float),
            ("0x1.8p3", Float),
            ("0X.8P0", Float),
            ("09.5", Float),
            ("0e0", Float),
            ("1i", Imag),
            ("1.5i", Imag),
            ("0x1p2i", Imag),
            ("017i", Imag),
            ("09i", Imag),
            (".5e3i", Imag),
            ("'a'", Char),
            ("'\\n'", Char),
            ("'\\''", Char),
            ("'\\\\'", Char),
            ("'\\x7f'", Char),
            ("'\\377'", Char),
            ("'\\u00e9'", Char),
            ("'\\U0010FFFF'", Char),
            ("'é'", Char),
            ("'\\a'", Char),
            ("'\\b'", Char),
            ("'\\f'", Char),
            ("'\\r'", Char),
            ("'\\t'", Char),
            ("'\\v'", Char),
            ("\"\"", Tok::String),
            ("\"a\\\"b\"", Tok::String),
            ("\"\\x00\\u1234\\U00012345\\000\"", Tok::String),
            ("\"日本\"", Tok::String),
            ("`raw\n\\x`", Tok::String),
            ("``", Tok::String),
            ("`a\r\nb`", Tok::String),
        ];
        for &(src, k) in cases {
            let (t, _, e) = lex(src.as_bytes());
            assert_eq!(t[0], tok(k, 0, src.len()), "{src:?}");
            assert!(e.is_empty(), "{src:?}: {e:?}");
            assert_eq!(t[1], tok(Semicolon, src.len(), src.len()));
        }
        assert_eq!(kinds(b"1..2"), vec![Float, Float, Semicolon, Eof]);
        assert_eq!(kinds(b"x.5"), vec![Ident, Float, Semicolon, Eof]);
        assert_eq!(kinds(b"12x"), vec![Int, Ident, Semicolon, Eof]);
        assert_eq!(strip_cr(b"`a\r\nb`", false).as_ref(), b"`a\nb`");
        assert_eq!(strip_cr(b"/*\r*\r/", true).as_ref(), b"/**\r/");
    }

    #[test]
    fn number_errors() {
        let cases: &[(&str, u32, &str)] = &[
            ("0x", 2, "hexadecimal literal has no digits"),
            ("0b", 2, "binary literal has no digits"),
            ("0o", 2, "octal literal has no digits"),
            ("0xp1", 2, "hexadecimal literal has no digits"),
            ("0b102", 4, "invalid digit '2' in binary literal"),
            ("0o8", 2, "invalid digit '8' in octal literal"),
            ("09", 1, "invalid digit '9' in octal literal"),
            ("0_9", 2, "invalid digit '9' in octal literal"),
            ("1__0", 2, "'_' must separate successive digits"),
            ("1_", 1, "'_' must separate successive digits"),
            ("1e+_1", 3, "'_' must separate successive digits"),
            ("0b1.0", 3, "invalid radix point in binary literal"),
            ("0o1.0", 3, "invalid radix point in octal literal"),
            ("0o1e2", 3, "'e' exponent requires decimal mantissa"),
            ("0x1.0", 5, "hexadecimal mantissa requires a 'p' exponent"),
            ("1e", 2, "exponent has no digits"),
            ("1e+", 3, "exponent has no digits"),
            ("1p2", 1, "'p' exponent requires hexadecimal mantissa"),
            ("1P2", 1, "'P' exponent requires hexadecimal mantissa"),
        ];
        for &(src, off, msg) in cases {
            assert_eq!(err1(src.as_bytes()), (off, msg.to_string()), "{src:?}");
            // The literal is still one token.
            let t = lex(src.as_bytes()).0;
            assert_eq!((t[0].start, t[0].end), (0, src.len() as u32), "{src:?}");
        }
        assert_eq!(kinds(b"0x"), vec![Int, Semicolon, Eof]);
        assert_eq!(kinds(b"1e"), vec![Float, Semicolon, Eof]);
    }

    #[test]
    fn string_and_rune_errors() {
        let cases: Cases = &[
            (
                b"'\\x4g'",
                &[(4, "illegal character U+0067 'g' in escape sequence")],
            ),
            (
                // The escape error makes the literal invalid: no second error.
                b"'\\x4\n",
                &[(4, "illegal character U+000A in escape sequence")],
            ),
            (b"\"\\q\"", &[(2, "unknown escape sequence")]),
            (b"\"\\'\"", &[(2, "unknown escape sequence")]),
            (b"'\\\"'", &[(2, "unknown escape sequence")]),
            (b"'\\8'", &[(2, "unknown escape sequence")]),
            (
                b"'\\400'",
                &[(2, "escape sequence is invalid Unicode code point")],
            ),
            (
                b"'\\uD800'",
                &[(2, "escape sequence is invalid Unicode code point")],
            ),
            (
                b"'\\U00110000'",
                &[(2, "escape sequence is invalid Unicode code point")],
            ),
            (
                b"\"\\",
                &[
                    (2, "escape sequence not terminated"),
                    (0, "string literal not terminated"),
                ],
            ),
            (
                b"\"\\x",
                &[
                    (3, "escape sequence not terminated"),
                    (0, "string literal not terminated"),
                ],
            ),
            (b"'ab'", &[(0, "illegal rune literal")]),
            (b"''", &[(0, "illegal rune literal")]),
            (b"'\n", &[(0, "rune literal not terminated")]),
            (b"'a", &[(0, "rune literal not terminated")]),
            (b"'\\'", &[(0, "rune literal not terminated")]),
            (
                b"\"a\nb\"",
                &[
                    (0, "string literal not terminated"),
                    (4, "string literal not terminated"),
                ],
            ),
            (b"`abc", &[(0, "raw string literal not terminated")]),
            (b"/* x", &[(0, "comment not terminated")]),
            (b"x /* a\n", &[(2, "comment not terminated")]),
        ];
        for &(src, want) in cases {
            let want: Vec<(u32, String)> = want.iter().map(|&(o, m)| (o, m.to_string())).collect();
            assert_eq!(errs(src), want, "{:?}", String::from_utf8_lossy(src));
        }
        assert_eq!(
            kinds(b"\"a\nb\""),
            vec![Tok::String, Semicolon, Ident, Tok::String, Semicolon, Eof]
        );
        assert_eq!(
            toks("x /* a\n"),
            vec![(Ident, 0, 1), (Semicolon, 6, 6), (Eof, 7, 7)]
        );
    }

    #[test]
    fn character_errors() {
        let cases: Cases = &[
            (b"#", &[(0, "illegal character U+0023 '#'")]),
            (b"x $ y", &[(2, "illegal character U+0024 '$'")]),
            (b"\x7f", &[(0, "illegal character U+007F")]),
            ("\u{a0}".as_bytes(), &[(0, "illegal character U+00A0")]),
            (
                "\u{201c}x\u{201d}".as_bytes(),
                &[
                    (0, "curly quotation mark '\u{201c}' (use neutral '\"')"),
                    (4, "curly quotation mark '\u{201d}' (use neutral '\"')"),
                ],
            ),
            (
                b"\x00",
                &[
                    (0, "illegal character NUL"),
                    (0, "illegal character U+0000"),
                ],
            ),
            // go/scanner reads one character ahead: the NUL's error comes first.
            (
                b"#\x00",
                &[
                    (1, "illegal character NUL"),
                    (0, "illegal character U+0023 '#'"),
                    (1, "illegal character U+0000"),
                ],
            ),
            (
                b"0b\x00",
                &[
                    (2, "illegal character NUL"),
                    (2, "binary literal has no digits"),
                    (2, "illegal character U+0000"),
                ],
            ),
            (
                b"\"\\q\x00\"",
                &[(2, "unknown escape sequence"), (3, "illegal character NUL")],
            ),
            (
                b"'ab'\xff",
                &[
                    (4, "illegal UTF-8 encoding"),
                    (0, "illegal rune literal"),
                    (4, "illegal character U+FFFD '\u{fffd}'"),
                ],
            ),
            (
                b"\"\x00\xff\"",
                &[(1, "illegal character NUL"), (2, "illegal UTF-8 encoding")],
            ),
            (
                b"// \xc0\xaf\n",
                &[(3, "illegal UTF-8 encoding"), (4, "illegal UTF-8 encoding")],
            ),
            (
                b"a\xe2\x82",
                &[
                    (1, "illegal UTF-8 encoding"),
                    (2, "illegal UTF-8 encoding"),
                    (1, "illegal character U+FFFD '\u{fffd}'"),
                    (2, "illegal character U+FFFD '\u{fffd}'"),
                ],
            ),
            (
                b"\xed\xa0\x80",
                &[
                    (0, "illegal UTF-8 encoding"),
                    (1, "illegal UTF-8 encoding"),
                    (0, "illegal character U+FFFD '\u{fffd}'"),
                    (2, "illegal UTF-8 encoding"),
                    (1, "illegal character U+FFFD '\u{fffd}'"),
                    (2, "illegal character U+FFFD '\u{fffd}'"),
                ],
            ),
            (
                b"\xef\xbf\xbd",
                &[(0, "illegal character U+FFFD '\u{fffd}'")],
            ),
            // BOM: ignored at offset 0 only.
            (b"\xef\xbb\xbfx", &[]),
            (b"x\xef\xbb\xbfy", &[(1, "illegal byte order mark")]),
            (b"/*\xef\xbb\xbf*/", &[(2, "illegal byte order mark")]),
            (
                b"\xff\xfe\x00x",
                &[
                    (0, "illegal UTF-8 encoding (got UTF-16)"),
                    (0, "illegal character U+FFFD '\u{fffd}'"),
                ],
            ),
            (
                b"\xfe\xff",
                &[
                    (0, "illegal UTF-8 encoding (got UTF-16)"),
                    (0, "illegal character U+FFFD '\u{fffd}'"),
                ],
            ),
        ];
        for &(src, want) in cases {
            let want: Vec<(u32, String)> = want.iter().map(|&(o, m)| (o, m.to_string())).collect();
            assert_eq!(errs(src), want, "{:?}", String::from_utf8_lossy(src));
        }
        assert_eq!(
            toks("\u{feff}x"),
            vec![(Ident, 3, 4), (Semicolon, 4, 4), (Eof, 4, 4)]
        );
        assert_eq!(
            kinds(b"x\xef\xbb\xbfy"),
            vec![Ident, Illegal, Ident, Semicolon, Eof]
        );
        // An illegal character keeps the semicolon state.
        assert_eq!(
            toks("x#\n"),
            vec![
                (Ident, 0, 1),
                (Illegal, 1, 2),
                (Semicolon, 2, 2),
                (Eof, 3, 3)
            ]
        );
        assert_eq!(
            toks("+#\n"),
            vec![(Add, 0, 1), (Illegal, 1, 2), (Eof, 3, 3)]
        );
        assert_eq!(kinds(b"\xff\xfe x y"), vec![Illegal, Eof]);
    }

    #[test]
    fn line_directives() {
        let cases: &[(&str, &[(u32, &str)])] = &[
            ("//line :0\n", &[(8, "invalid line number: 0")]),
            ("//line a:x\n", &[(9, "invalid line number: x")]),
            ("//line a:1:0\n", &[(11, "invalid column number: 0")]),
            (
                "//line a:1073741825\n",
                &[(9, "invalid line number: 1073741825")],
            ),
            ("//line a:0:5\n", &[(9, "invalid line number: 0")]),
            ("/*line a:5:0*/", &[(11, "invalid column number: 0")]),
            ("x\n//line a:0", &[(11, "invalid line number: 0")]),
            ("//line a:0\r\n", &[(9, "invalid line number: 0")]),
            // Not directives: not at the start of a line, no colon, unterminated, wrapping values.
            ("a //line x:0\n", &[]),
            (" //line x:0\n", &[]),
            ("//line x\n", &[]),
            ("//linex:0\n", &[]),
            ("//line a:1:1\n//line a:1\n/*line :1:1*/", &[]),
            ("//line a:18446744073709551615:1\n", &[]),
        ];
        for &(src, want) in cases {
            let want: Vec<(u32, String)> = want.iter().map(|&(o, m)| (o, m.to_string())).collect();
            assert_eq!(errs(src.as_bytes()), want, "{src:?}");
        }
        assert_eq!(
            errs(b"/*line a:0"),
            vec![(0, "comment not terminated".to_string())]
        );
    }

    #[test]
    fn unicode_tables() {
        assert!(
            is_letter('é' as u32)
                && is_letter('ǅ' as u32)
                && is_letter('ʰ' as u32)
                && is_letter('日' as u32)
        );
        assert!(
            !is_letter('Ⅰ' as u32)
                && !is_letter(0x301)
                && !is_letter('١' as u32)
                && !is_letter(0xFFFD)
        );
        assert!(is_digit('١' as u32) && is_digit('𝟘' as u32) && !is_digit('Ⅰ' as u32));
        assert!(
            is_print(b' ' as u32)
                && !is_print(0xA0)
                && !is_print(0x7F)
                && is_print(0xFFFD)
                && !is_print(0x10FFFF)
        );
        assert_eq!(fmt_unicode(0x23), "U+0023 '#'");
        assert_eq!(fmt_unicode(0), "U+0000");
        assert_eq!(fmt_unicode(0x1F600), "U+1F600 '\u{1F600}'");
        for (s, w) in [
            (&b"\xc2\x80"[..], 2),
            (b"\xe0\xa0\x80", 3),
            (b"\xf0\x90\x80\x80", 4),
            (b"\xf4\x8f\xbf\xbf", 4),
        ] {
            assert_eq!(decode_utf8(s).1, w);
        }
        for s in [
            &b"\xc1\xbf"[..],
            b"\xe0\x80\x80",
            b"\xf4\x90\x80\x80",
            b"\xf5",
            b"\x80",
            b"\xe2\x82",
        ] {
            assert_eq!(decode_utf8(s), (0xFFFD, 1));
        }
    }
}
