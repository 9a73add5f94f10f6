//! Recursive-descent Go parser.
//!
//! The grammar decisions follow go/parser's (Go 1.26) one for one, so that mapvet accepts
//! exactly the files go/parser accepts and builds the same tree: the same composite-literal
//! restriction in control clauses (`expr_lev`), the same `=`-in-rhs handling (`in_rhs`), the
//! same nesting limit (`MAX_NEST_LEV`, counted at the same places), the same post-parse checks
//! on parameter lists and type parameters.
//!
//! Error handling differs on purpose: the first parser error stops the parse (the token stream
//! then reads as EOF, so every loop ends and every production returns a placeholder). Lexer
//! errors do not stop it. The caller gets the partial tree and every error found.

use crate::ast::*;
use crate::lexer::Lexer;
use crate::token::Tok;
use crate::{Comment, ParsedFile, Span, SyntaxError};
use bumpalo::collections::Vec as BVec;
use bumpalo::Bump;

/// go/parser's `maxNestLev`.
const MAX_NEST_LEV: u32 = 100_000;

/// Stack headroom kept free before recursing (see `grow`).
const RED_ZONE: usize = 1024 * 1024;
const STACK_SEGMENT: usize = 16 * 1024 * 1024;

impl Parser<'_, '_> {
    /// Runs `f`, first making sure enough stack is left. The fast path compares the address of
    /// a local with the stack budget measured when the parser was created (no call, no
    /// thread-local); only near the limit, or once running on a segment stacker allocated, is
    /// stacker asked (it then switches to a fresh heap-allocated segment).
    #[inline(always)]
    fn grow<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let probe = 0u8;
        let here = std::ptr::addr_of!(probe) as usize;
        if here <= self.stack_start && self.stack_start - here < self.stack_budget {
            f(self)
        } else {
            stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || f(self))
        }
    }
}

/// Parses `src` into `arena`. With `borrow` (the same bytes as `src`, living as long as the
/// arena) the tree's identifiers and literals are slices of the source; without, they are
/// copied into the arena, so the tree outlives the source.
pub(crate) fn parse<'a>(
    arena: &'a Bump,
    src: &[u8],
    borrow: Option<&'a [u8]>,
    skip_bodies: bool,
) -> ParsedFile<'a> {
    if src.len() >= u32::MAX as usize {
        let name = arena.alloc(Ident {
            id: NodeId(0),
            pos: 0,
            name: "_",
        });
        let file = arena.alloc(File {
            span: Span::default(),
            package: 0,
            name,
            decls: &[],
            node_count: 1,
            bodies_skipped: skip_bodies,
        });
        return ParsedFile {
            file,
            comments: Vec::new(),
            errors: vec![SyntaxError {
                offset: 0,
                msg: "file too large (4 GiB or more)".into(),
            }],
        };
    }
    let mut p = Parser::new(arena, src, borrow);
    p.skip_bodies = skip_bodies;
    let file = p.parse_file();
    let mut errors = p.lx.take_errors();
    errors.extend(p.errors);
    errors.sort_by_key(|e| e.offset);
    let comments: Vec<Comment> = p.lx.take_comments();
    ParsedFile {
        file,
        comments,
        errors,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum StmtMode {
    Basic,
    LabelOk,
    RangeOk,
}

/// A parameter as parsed, before the list is grouped into fields.
#[derive(Clone, Copy)]
struct PField<'a> {
    name: Option<&'a Ident<'a>>,
    typ: Option<Expr<'a>>,
}

struct Parser<'a, 's> {
    arena: &'a Bump,
    src: &'s [u8],
    /// `src`, when the tree may borrow it (see [`parse`]).
    borrow: Option<&'a [u8]>,
    lx: Lexer<'s>,
    tok: Tok,
    pos: u32,
    end: u32,
    /// End of the previous token.
    prev_end: u32,
    expr_lev: i32,
    in_rhs: bool,
    nest_lev: u32,
    errors: Vec<SyntaxError>,
    bailed: bool,
    next_id: u32,
    /// Scratch stacks for lists under construction (copied into the arena when complete).
    expr_stack: Vec<Expr<'a>>,
    stmt_stack: Vec<Stmt<'a>>,
    /// Stack address when the parser was created and the bytes usable below it (see `grow`).
    stack_start: usize,
    stack_budget: usize,
    /// Declarations-only mode: function bodies and the contents of composite literals
    /// are skipped unparsed (see [`crate::parse_file_decls`]).
    skip_bodies: bool,
}

/// A token's text (valid UTF-8 unless the lexer reported it; then empty).
#[inline]
fn as_str(bytes: &[u8]) -> &str {
    if bytes.is_ascii() {
        // SAFETY: ASCII bytes are valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    } else {
        std::str::from_utf8(bytes).unwrap_or("")
    }
}

fn same(a: Expr<'_>, b: Expr<'_>) -> bool {
    a.id() == b.id()
}

impl<'a, 's> Parser<'a, 's> {
    fn new(arena: &'a Bump, src: &'s [u8], borrow: Option<&'a [u8]>) -> Parser<'a, 's> {
        let mut p = Parser {
            arena,
            src,
            borrow,
            lx: Lexer::new(src),
            tok: Tok::Eof,
            pos: 0,
            end: 0,
            prev_end: 0,
            expr_lev: 0,
            in_rhs: false,
            nest_lev: 0,
            errors: Vec::new(),
            bailed: false,
            next_id: 0,
            expr_stack: Vec::with_capacity(64),
            stmt_stack: Vec::with_capacity(64),
            stack_start: 0,
            stack_budget: 0,
            skip_bodies: false,
        };
        let probe = 0u8;
        p.stack_start = std::ptr::addr_of!(probe) as usize;
        p.stack_budget = stacker::remaining_stack().map_or(0, |r| r.saturating_sub(2 * RED_ZONE));
        p.next();
        p
    }

    // -----------------------------------------------------------------------------------------
    // Tokens and errors

    #[inline]
    fn next(&mut self) {
        self.prev_end = self.end;
        if self.bailed {
            self.tok = Tok::Eof;
            self.pos = self.src.len() as u32;
            self.end = self.pos;
            return;
        }
        let t = self.lx.next_token();
        self.tok = t.tok;
        self.pos = t.start;
        self.end = t.end;
    }

    /// An inserted semicolon (newline or EOF), i.e. go/parser's `lit == "\n"`.
    #[inline]
    fn implicit_semi(&self) -> bool {
        self.tok == Tok::Semicolon && self.end == self.pos
    }

    #[inline]
    fn lit(&self) -> &'a str {
        let range = self.pos as usize..self.end as usize;
        match self.borrow {
            Some(src) => as_str(&src[range]),
            None => self.arena.alloc_str(as_str(&self.src[range])),
        }
    }

    /// Records the first parser error and stops the parse.
    fn error(&mut self, pos: u32, msg: impl Into<String>) {
        if self.bailed {
            return;
        }
        self.errors.push(SyntaxError {
            offset: pos,
            msg: msg.into(),
        });
        self.bailed = true;
        self.tok = Tok::Eof;
        self.pos = self.src.len() as u32;
        self.end = self.pos;
    }

    fn error_expected(&mut self, pos: u32, what: &str) {
        let mut msg = format!("expected {what}");
        if pos == self.pos {
            if self.implicit_semi() {
                msg.push_str(", found newline");
            } else if self.tok.is_literal() {
                msg.push_str(", found ");
                msg.push_str(self.lit());
            } else {
                msg.push_str(", found '");
                msg.push_str(self.tok.as_str());
                msg.push('\'');
            }
        }
        self.error(pos, msg);
    }

    fn expect(&mut self, tok: Tok) -> u32 {
        let pos = self.pos;
        if self.tok != tok {
            self.error_expected(pos, &format!("'{}'", tok.as_str()));
        }
        self.next();
        pos
    }

    /// Like `expect` but `None` when the token is missing.
    fn expect2(&mut self, tok: Tok) -> Option<u32> {
        let r = if self.tok == tok {
            Some(self.pos)
        } else {
            let pos = self.pos;
            self.error_expected(pos, &format!("'{}'", tok.as_str()));
            None
        };
        self.next();
        r
    }

    fn expect_closing(&mut self, tok: Tok, context: &str) -> u32 {
        if self.tok != tok && self.implicit_semi() {
            let pos = self.pos;
            self.error(pos, format!("missing ',' before newline in {context}"));
            self.next();
        }
        self.expect(tok)
    }

    fn expect_semi(&mut self) {
        match self.tok {
            Tok::RParen | Tok::RBrace => {}
            Tok::Semicolon => self.next(),
            Tok::Comma => {
                let pos = self.pos;
                self.error_expected(pos, "';'");
            }
            _ => {
                let pos = self.pos;
                self.error_expected(pos, "';'");
            }
        }
    }

    fn at_comma(&mut self, context: &str, follow: Tok) -> bool {
        if self.tok == Tok::Comma {
            return true;
        }
        if self.tok != follow {
            let mut msg = String::from("missing ','");
            if self.implicit_semi() {
                msg.push_str(" before newline");
            }
            msg.push_str(" in ");
            msg.push_str(context);
            let pos = self.pos;
            self.error(pos, msg);
            return true;
        }
        false
    }

    #[inline]
    fn inc_nest(&mut self) {
        self.nest_lev += 1;
        if self.nest_lev > MAX_NEST_LEV {
            let pos = self.pos;
            self.error(pos, "exceeded max nesting depth");
        }
    }

    #[inline]
    fn dec_nest(&mut self) {
        self.nest_lev -= 1;
    }

    // -----------------------------------------------------------------------------------------
    // Node construction

    #[inline]
    fn id(&mut self) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        id
    }

    #[inline]
    fn alloc<T>(&self, v: T) -> &'a T {
        self.arena.alloc(v)
    }

    #[inline]
    fn vec<T>(&self) -> BVec<'a, T> {
        BVec::new_in(self.arena)
    }

    fn bad_expr(&mut self, start: u32, end: u32) -> Expr<'a> {
        let id = self.id();
        Expr::Bad(self.alloc(BadExpr {
            id,
            span: Span::new(start, end.max(start)),
        }))
    }

    /// An identifier whose text `name` is at `span` (its end is implied: `name` is the
    /// token's text, or one byte of placeholder where the source has none).
    fn new_ident(&mut self, span: Span, name: &'a str) -> &'a Ident<'a> {
        let id = self.id();
        self.alloc(Ident {
            id,
            pos: span.start,
            name,
        })
    }

    fn field_list(
        &self,
        opening: Option<u32>,
        list: &'a [&'a Field<'a>],
        closing: Option<u32>,
    ) -> &'a FieldList<'a> {
        let start = match (opening, list.first()) {
            (Some(o), _) => o,
            (None, Some(f)) => f.span.start,
            (None, None) => closing.unwrap_or(0),
        };
        let end = match (closing, list.last()) {
            (Some(c), _) => c + 1,
            (None, Some(f)) => f.span.end,
            (None, None) => start,
        };
        self.alloc(FieldList {
            span: Span::new(start, end),
            opening,
            list,
            closing,
        })
    }

    fn field(
        &self,
        names: &'a [&'a Ident<'a>],
        ty: Expr<'a>,
        tag: Option<&'a BasicLit<'a>>,
    ) -> &'a Field<'a> {
        let start = names.first().map_or(ty.span().start, |n| n.pos);
        let end = tag.map_or(ty.span().end, |t| t.span.end);
        self.alloc(Field {
            span: Span::new(start, end),
            names,
            ty,
            tag,
        })
    }

    fn pack_index_expr(
        &mut self,
        x: Expr<'a>,
        lbrack: u32,
        exprs: &[Expr<'a>],
        rbrack: u32,
    ) -> Expr<'a> {
        let span = Span::new(x.span().start, rbrack + 1);
        let id = self.id();
        if exprs.len() == 1 {
            Expr::Index(self.alloc(IndexExpr {
                id,
                span,
                x,
                lbrack,
                index: exprs[0],
            }))
        } else {
            let indices = self.arena.alloc_slice_copy(exprs);
            Expr::IndexList(self.alloc(IndexListExpr {
                id,
                span,
                x,
                lbrack,
                indices,
            }))
        }
    }

    // -----------------------------------------------------------------------------------------
    // Identifiers and lists

    fn parse_ident(&mut self) -> &'a Ident<'a> {
        let pos = self.pos;
        if self.tok == Tok::Ident {
            let name = self.lit();
            let span = Span::new(pos, self.end);
            self.next();
            self.new_ident(span, name)
        } else {
            self.expect(Tok::Ident);
            self.new_ident(Span::new(pos, pos + 1), "_")
        }
    }

    fn parse_ident_list(&mut self) -> &'a [&'a Ident<'a>] {
        let mut list = self.vec();
        list.push(self.parse_ident());
        while self.tok == Tok::Comma {
            self.next();
            list.push(self.parse_ident());
        }
        list.into_bump_slice()
    }

    /// Moves the expressions pushed on the scratch stack since `base` into the arena.
    fn take_exprs(&mut self, base: usize) -> &'a [Expr<'a>] {
        let s = self.arena.alloc_slice_copy(&self.expr_stack[base..]);
        self.expr_stack.truncate(base);
        s
    }

    fn parse_expr_list(&mut self) -> &'a [Expr<'a>] {
        let base = self.expr_stack.len();
        let e = self.parse_expr();
        self.expr_stack.push(e);
        while self.tok == Tok::Comma {
            self.next();
            let e = self.parse_expr();
            self.expr_stack.push(e);
        }
        self.take_exprs(base)
    }

    fn parse_list(&mut self, in_rhs: bool) -> &'a [Expr<'a>] {
        let old = self.in_rhs;
        self.in_rhs = in_rhs;
        let list = self.parse_expr_list();
        self.in_rhs = old;
        list
    }

    // -----------------------------------------------------------------------------------------
    // Types

    fn parse_type(&mut self) -> Expr<'a> {
        match self.try_ident_or_type() {
            Some(t) => t,
            None => {
                let pos = self.pos;
                self.error_expected(pos, "type");
                self.bad_expr(pos, pos)
            }
        }
    }

    fn parse_qualified_ident(&mut self, ident: Option<&'a Ident<'a>>) -> Expr<'a> {
        let typ = self.parse_type_name(ident);
        if self.tok == Tok::LBrack {
            return self.parse_type_instance(typ);
        }
        typ
    }

    fn parse_type_name(&mut self, ident: Option<&'a Ident<'a>>) -> Expr<'a> {
        let ident = match ident {
            Some(i) => i,
            None => self.parse_ident(),
        };
        if self.tok == Tok::Period {
            self.next();
            let sel = self.parse_ident();
            let id = self.id();
            return Expr::Selector(self.alloc(SelectorExpr {
                id,
                span: Span::new(ident.pos, sel.span().end),
                x: Expr::Ident(ident),
                sel,
            }));
        }
        Expr::Ident(ident)
    }

    fn parse_array_type(&mut self, lbrack: u32, len: Option<Expr<'a>>) -> Expr<'a> {
        let mut len = len;
        if len.is_none() {
            self.expr_lev += 1;
            if self.tok == Tok::Ellipsis {
                let id = self.id();
                len = Some(Expr::Ellipsis(self.alloc(Ellipsis {
                    id,
                    span: Span::new(self.pos, self.pos + 3),
                    elt: None,
                })));
                self.next();
            } else if self.tok != Tok::RBrack {
                len = Some(self.parse_rhs());
            }
            self.expr_lev -= 1;
        }
        if self.tok == Tok::Comma {
            let pos = self.pos;
            self.error(pos, "unexpected comma; expecting ]");
            self.next();
        }
        self.expect(Tok::RBrack);
        let elt = self.parse_type();
        let id = self.id();
        Expr::ArrayType(self.alloc(ArrayType {
            id,
            span: Span::new(lbrack, elt.span().end),
            len,
            elt,
        }))
    }

    fn parse_array_field_or_type_instance(
        &mut self,
        x: &'a Ident<'a>,
    ) -> (Option<&'a Ident<'a>>, Expr<'a>) {
        let lbrack = self.expect(Tok::LBrack);
        let mut trailing_comma = None;
        let mut args: BVec<'a, Expr<'a>> = self.vec();
        if self.tok != Tok::RBrack {
            self.expr_lev += 1;
            args.push(self.parse_rhs());
            while self.tok == Tok::Comma {
                let comma = self.pos;
                self.next();
                if self.tok == Tok::RBrack {
                    trailing_comma = Some(comma);
                    break;
                }
                args.push(self.parse_rhs());
            }
            self.expr_lev -= 1;
        }
        let rbrack = self.expect(Tok::RBrack);
        if args.is_empty() {
            // x []E
            let elt = self.parse_type();
            let id = self.id();
            let t = Expr::ArrayType(self.alloc(ArrayType {
                id,
                span: Span::new(lbrack, elt.span().end),
                len: None,
                elt,
            }));
            return (Some(x), t);
        }
        if args.len() == 1 {
            if let Some(elt) = self.try_ident_or_type() {
                // x [P]E
                if let Some(c) = trailing_comma {
                    self.error(c, "unexpected comma; expecting ]");
                }
                let id = self.id();
                let t = Expr::ArrayType(self.alloc(ArrayType {
                    id,
                    span: Span::new(lbrack, elt.span().end),
                    len: Some(args[0]),
                    elt,
                }));
                return (Some(x), t);
            }
        }
        // x[P], x[P1, P2], ...
        let t = self.pack_index_expr(Expr::Ident(x), lbrack, &args, rbrack);
        (None, t)
    }

    fn parse_field_decl(&mut self) -> &'a Field<'a> {
        let mut names: &'a [&'a Ident<'a>] = &[];
        let typ: Expr<'a>;
        match self.tok {
            Tok::Ident => {
                let name = self.parse_ident();
                if matches!(
                    self.tok,
                    Tok::Period | Tok::String | Tok::Semicolon | Tok::RBrace
                ) {
                    // embedded type
                    typ = if self.tok == Tok::Period {
                        self.parse_qualified_ident(Some(name))
                    } else {
                        Expr::Ident(name)
                    };
                } else {
                    // name1, name2, ... T
                    let mut list = self.vec();
                    list.push(name);
                    while self.tok == Tok::Comma {
                        self.next();
                        list.push(self.parse_ident());
                    }
                    // Careful dance: we don't know yet if we have an embedded instantiated
                    // type T[P1, P2, ...] or a field T of array type []E or [P]E.
                    if list.len() == 1 && self.tok == Tok::LBrack {
                        let (n, t) = self.parse_array_field_or_type_instance(name);
                        typ = t;
                        if n.is_some() {
                            names = list.into_bump_slice();
                        }
                    } else {
                        names = list.into_bump_slice();
                        typ = self.parse_type();
                    }
                }
            }
            Tok::Mul => {
                let star = self.pos;
                self.next();
                let x = if self.tok == Tok::LParen {
                    let pos = self.pos;
                    self.error(pos, "cannot parenthesize embedded type");
                    self.next();
                    self.parse_qualified_ident(None)
                } else {
                    self.parse_qualified_ident(None)
                };
                let id = self.id();
                typ = Expr::Star(self.alloc(StarExpr {
                    id,
                    span: Span::new(star, x.span().end),
                    x,
                }));
            }
            Tok::LParen => {
                let pos = self.pos;
                self.error(pos, "cannot parenthesize embedded type");
                typ = self.bad_expr(pos, pos);
            }
            _ => {
                let pos = self.pos;
                self.error_expected(pos, "field name or embedded type");
                typ = self.bad_expr(pos, pos);
            }
        }
        let mut tag = None;
        if self.tok == Tok::String {
            let id = self.id();
            let value = self.lit();
            tag = Some(self.alloc(BasicLit {
                id,
                span: Span::new(self.pos, self.end),
                kind: Tok::String,
                value,
            }));
            self.next();
        }
        self.expect_semi();
        self.field(names, typ, tag)
    }

    fn parse_struct_type(&mut self) -> Expr<'a> {
        let pos = self.expect(Tok::Struct);
        let lbrace = self.expect(Tok::LBrace);
        let mut list = self.vec();
        while matches!(self.tok, Tok::Ident | Tok::Mul | Tok::LParen) {
            list.push(self.parse_field_decl());
        }
        let rbrace = self.expect(Tok::RBrace);
        let fields = self.field_list(Some(lbrace), list.into_bump_slice(), Some(rbrace));
        let id = self.id();
        Expr::StructType(self.alloc(StructType {
            id,
            span: Span::new(pos, rbrace + 1),
            fields,
        }))
    }

    fn parse_pointer_type(&mut self) -> Expr<'a> {
        let star = self.expect(Tok::Mul);
        let x = self.parse_type();
        let id = self.id();
        Expr::Star(self.alloc(StarExpr {
            id,
            span: Span::new(star, x.span().end),
            x,
        }))
    }

    fn parse_dots_type(&mut self) -> Expr<'a> {
        let pos = self.expect(Tok::Ellipsis);
        let elt = self.parse_type();
        let id = self.id();
        Expr::Ellipsis(self.alloc(Ellipsis {
            id,
            span: Span::new(pos, elt.span().end),
            elt: Some(elt),
        }))
    }

    fn parse_param_decl(&mut self, name: Option<&'a Ident<'a>>, type_sets_ok: bool) -> PField<'a> {
        let mut f = PField {
            name: None,
            typ: None,
        };
        if name.is_none() && type_sets_ok && self.tok == Tok::Tilde {
            // "~" ...
            return PField {
                name: None,
                typ: Some(self.embedded_elem(None)),
            };
        }
        if name.is_some() || self.tok == Tok::Ident {
            let n = match name {
                Some(n) => n,
                None => self.parse_ident(),
            };
            f.name = Some(n);
            match self.tok {
                Tok::Ident
                | Tok::Mul
                | Tok::Arrow
                | Tok::Func
                | Tok::Chan
                | Tok::Map
                | Tok::Struct
                | Tok::Interface
                | Tok::LParen => {
                    // name type
                    f.typ = Some(self.parse_type());
                }
                Tok::LBrack => {
                    // name "[" type1, ..., typeN "]" or name "[" n "]" type
                    let (n2, t) = self.parse_array_field_or_type_instance(n);
                    f.name = n2;
                    f.typ = Some(t);
                }
                Tok::Ellipsis => {
                    // name "..." type
                    f.typ = Some(self.parse_dots_type());
                    return f; // don't allow ...type "|" ...
                }
                Tok::Period => {
                    // name "." ...
                    f.typ = Some(self.parse_qualified_ident(Some(n)));
                    f.name = None;
                }
                Tok::Tilde if type_sets_ok => {
                    f.typ = Some(self.embedded_elem(None));
                    return f;
                }
                Tok::Or if type_sets_ok => {
                    f.typ = Some(self.embedded_elem(Some(Expr::Ident(n))));
                    f.name = None;
                    return f;
                }
                _ => {}
            }
        } else {
            match self.tok {
                Tok::Mul
                | Tok::Arrow
                | Tok::Func
                | Tok::LBrack
                | Tok::Chan
                | Tok::Map
                | Tok::Struct
                | Tok::Interface
                | Tok::LParen => {
                    f.typ = Some(self.parse_type());
                }
                Tok::Ellipsis => {
                    f.typ = Some(self.parse_dots_type());
                    return f;
                }
                _ => {
                    // Go's own error message for an unexpected token in a parameter list.
                    let pos = self.pos;
                    self.error_expected(pos, "')'");
                }
            }
        }
        // [name] type "|"
        if type_sets_ok && self.tok == Tok::Or {
            if let Some(t) = f.typ {
                f.typ = Some(self.embedded_elem(Some(t)));
            }
        }
        f
    }

    fn parse_parameter_list(
        &mut self,
        name0: Option<&'a Ident<'a>>,
        typ0: Option<Expr<'a>>,
        closing: Tok,
        dddok: bool,
    ) -> &'a [&'a Field<'a>] {
        let tparams = closing == Tok::RBrack;
        let pos0 = match (name0, typ0) {
            (Some(n), _) => n.pos,
            (None, Some(t)) => t.span().start,
            _ => self.pos,
        };
        let mut name0 = name0;
        let mut typ0 = typ0;
        let mut list: Vec<PField<'a>> = Vec::new();
        let mut named = 0usize;
        let mut typed = 0usize;
        while name0.is_some() || (self.tok != closing && self.tok != Tok::Eof) {
            let par = if let Some(t) = typ0 {
                let t = if tparams {
                    self.embedded_elem(Some(t))
                } else {
                    t
                };
                PField {
                    name: name0,
                    typ: Some(t),
                }
            } else {
                self.parse_param_decl(name0, tparams)
            };
            name0 = None;
            typ0 = None;
            if par.name.is_some() || par.typ.is_some() {
                list.push(par);
                if par.name.is_some() && par.typ.is_some() {
                    named += 1;
                }
                if par.typ.is_some() {
                    typed += 1;
                }
            }
            if !self.at_comma("parameter list", closing) {
                break;
            }
            self.next();
        }
        if list.is_empty() {
            return &[];
        }

        // Distribute parameter types (len(list) > 0).
        if named == 0 {
            // All unnamed => found names are type names.
            for par in list.iter_mut() {
                if let Some(n) = par.name.take() {
                    par.typ = Some(Expr::Ident(n));
                }
            }
            if tparams {
                // This is the same error handling as below, adjusted for type parameters only.
                let (err_pos, msg) = if named == typed {
                    (self.pos, String::from("missing type constraint"))
                } else {
                    let mut m = String::from("missing type parameter name");
                    if list.len() == 1 {
                        m.push_str(" or invalid array length");
                    }
                    (pos0, m)
                };
                self.error(err_pos, msg);
            }
        } else if named != list.len() {
            // Some named or we're in a type parameter list => all must be named.
            let mut err_pos: Option<u32> = None;
            let mut typ: Option<Expr<'a>> = None;
            for i in (0..list.len()).rev() {
                let par = &mut list[i];
                if let Some(t) = par.typ {
                    typ = Some(t);
                    if par.name.is_none() {
                        err_pos = Some(t.span().start);
                        let start = t.span().start;
                        let id = NodeId(self.next_id);
                        self.next_id += 1;
                        par.name = Some(self.arena.alloc(Ident {
                            id,
                            pos: start,
                            name: "_",
                        }));
                    }
                } else if let Some(t) = typ {
                    par.typ = Some(t);
                } else {
                    // par.typ == nil && typ == nil => we only have a par.name
                    let start = par.name.map_or(0, |n| n.pos);
                    err_pos = Some(start);
                    let id = NodeId(self.next_id);
                    self.next_id += 1;
                    par.typ = Some(Expr::Bad(self.arena.alloc(BadExpr {
                        id,
                        span: Span::new(start, self.pos.max(start)),
                    })));
                }
            }
            if let Some(mut ep) = err_pos {
                let msg;
                if named == typed {
                    ep = self.pos; // position error at closing token ) or ]
                    msg = if tparams {
                        String::from("missing type constraint")
                    } else {
                        String::from("missing parameter type")
                    };
                } else if tparams {
                    let mut m = String::from("missing type parameter name");
                    if list.len() == 1 {
                        m.push_str(" or invalid array length");
                    }
                    msg = m;
                } else {
                    msg = String::from("missing parameter name");
                }
                self.error(ep, msg);
            }
        }

        // Check use of "..." (only the first occurrence is reported).
        let n = list.len();
        for (i, f) in list.iter().enumerate() {
            if let Some(Expr::Ellipsis(t)) = f.typ {
                if t.elt.is_some() && (!dddok || i + 1 < n) {
                    let msg = if dddok {
                        "can only use ... with final parameter"
                    } else {
                        "invalid use of ..."
                    };
                    self.error(t.span.start, msg);
                    break;
                }
            }
        }

        // Convert list to []*ast.Field.
        let mut params = self.vec();
        if named == 0 {
            // parameter list consists of types only
            for par in &list {
                if let Some(t) = par.typ {
                    params.push(self.field(&[], t, None));
                }
            }
            return params.into_bump_slice();
        }
        // parameter list consists of named parameters with types
        let mut names: BVec<'a, &'a Ident<'a>> = self.vec();
        let mut typ: Option<Expr<'a>> = None;
        for par in &list {
            let (Some(pn), Some(pt)) = (par.name, par.typ) else {
                continue;
            };
            if typ.is_none_or(|t| !same(t, pt)) {
                if let Some(t) = typ {
                    if !names.is_empty() {
                        let ns = std::mem::replace(&mut names, BVec::new_in(self.arena));
                        params.push(self.field(ns.into_bump_slice(), t, None));
                    }
                }
                typ = Some(pt);
            }
            names.push(pn);
        }
        if let Some(t) = typ {
            if !names.is_empty() {
                params.push(self.field(names.into_bump_slice(), t, None));
            }
        }
        params.into_bump_slice()
    }

    fn parse_type_parameters(&mut self) -> Option<&'a FieldList<'a>> {
        let lbrack = self.expect(Tok::LBrack);
        let mut list: &'a [&'a Field<'a>] = &[];
        if self.tok != Tok::RBrack {
            list = self.parse_parameter_list(None, None, Tok::RBrack, false);
        }
        let rbrack = self.expect(Tok::RBrack);
        if list.is_empty() {
            self.error(rbrack, "empty type parameter list");
            return None;
        }
        Some(self.field_list(Some(lbrack), list, Some(rbrack)))
    }

    fn parse_parameters(&mut self, result: bool) -> Option<&'a FieldList<'a>> {
        if !result || self.tok == Tok::LParen {
            let lparen = self.expect(Tok::LParen);
            let mut list: &'a [&'a Field<'a>] = &[];
            if self.tok != Tok::RParen {
                list = self.parse_parameter_list(None, None, Tok::RParen, !result);
            }
            let rparen = self.expect(Tok::RParen);
            return Some(self.field_list(Some(lparen), list, Some(rparen)));
        }
        if let Some(typ) = self.try_ident_or_type() {
            let f = self.field(&[], typ, None);
            let list = self.arena.alloc_slice_copy(&[f]);
            return Some(self.field_list(None, list, None));
        }
        None
    }

    fn func_type_node(
        &mut self,
        start: u32,
        type_params: Option<&'a FieldList<'a>>,
        params: &'a FieldList<'a>,
        results: Option<&'a FieldList<'a>>,
    ) -> &'a FuncType<'a> {
        let end = results.map_or(params.span.end, |r| r.span.end);
        let id = self.id();
        self.alloc(FuncType {
            id,
            span: Span::new(start, end),
            type_params,
            params,
            results,
        })
    }

    fn empty_params(&self) -> &'a FieldList<'a> {
        let p = self.pos;
        self.alloc(FieldList {
            span: Span::new(p, p),
            opening: None,
            list: &[],
            closing: None,
        })
    }

    fn parse_params_or_empty(&mut self) -> &'a FieldList<'a> {
        match self.parse_parameters(false) {
            Some(p) => p,
            None => self.empty_params(),
        }
    }

    fn parse_func_type(&mut self) -> &'a FuncType<'a> {
        let pos = self.expect(Tok::Func);
        if self.tok == Tok::LBrack {
            if let Some(tp) = self.parse_type_parameters() {
                self.error(
                    tp.opening.unwrap_or(tp.span.start),
                    "function type must have no type parameters",
                );
            }
        }
        let params = self.parse_params_or_empty();
        let results = self.parse_parameters(true);
        self.func_type_node(pos, None, params, results)
    }

    /// Returns the names and type of an interface element starting with an identifier.
    fn parse_method_spec(&mut self) -> (&'a [&'a Ident<'a>], Expr<'a>) {
        let x = self.parse_type_name(None);
        if let Expr::Ident(ident) = x {
            match self.tok {
                Tok::LBrack => {
                    // generic method or embedded instantiated type
                    let lbrack = self.pos;
                    self.next();
                    self.expr_lev += 1;
                    let x2 = self.parse_expr();
                    self.expr_lev -= 1;
                    if let (Expr::Ident(name0), true) =
                        (x2, self.tok != Tok::Comma && self.tok != Tok::RBrack)
                    {
                        // generic method m[T any]
                        self.parse_parameter_list(Some(name0), None, Tok::RBrack, false);
                        self.expect(Tok::RBrack);
                        self.error(lbrack, "interface method must have no type parameters");
                        let b = self.bad_expr(lbrack, lbrack);
                        return (&[], b);
                    }
                    // embedded instantiated type
                    let mut list = self.vec();
                    list.push(x2);
                    if self.at_comma("type argument list", Tok::RBrack) {
                        self.expr_lev += 1;
                        self.next();
                        while self.tok != Tok::RBrack && self.tok != Tok::Eof {
                            list.push(self.parse_type());
                            if !self.at_comma("type argument list", Tok::RBrack) {
                                break;
                            }
                            self.next();
                        }
                        self.expr_lev -= 1;
                    }
                    let rbrack = self.expect_closing(Tok::RBrack, "type argument list");
                    let t = self.pack_index_expr(Expr::Ident(ident), lbrack, &list, rbrack);
                    (&[], t)
                }
                Tok::LParen => {
                    // ordinary method
                    let params = self.parse_params_or_empty();
                    let results = self.parse_parameters(true);
                    let ft = self.func_type_node(params.span.start, None, params, results);
                    let names = self.arena.alloc_slice_copy(&[ident]);
                    (names, Expr::FuncType(ft))
                }
                _ => (&[], x), // embedded type
            }
        } else {
            // embedded, possibly instantiated type
            let mut typ = x;
            if self.tok == Tok::LBrack {
                typ = self.parse_type_instance(typ);
            }
            (&[], typ)
        }
    }

    fn embedded_elem(&mut self, x: Option<Expr<'a>>) -> Expr<'a> {
        let mut x = match x {
            Some(x) => x,
            None => self.embedded_term(),
        };
        while self.tok == Tok::Or {
            let op_pos = self.pos;
            self.next();
            let y = self.embedded_term();
            let id = self.id();
            x = Expr::Binary(self.alloc(BinaryExpr {
                id,
                span: Span::new(x.span().start, y.span().end),
                x,
                op_pos,
                op: Tok::Or,
                y,
            }));
        }
        x
    }

    fn embedded_term(&mut self) -> Expr<'a> {
        if self.tok == Tok::Tilde {
            let pos = self.pos;
            self.next();
            let x = self.parse_type();
            let id = self.id();
            return Expr::Unary(self.alloc(UnaryExpr {
                id,
                span: Span::new(pos, x.span().end),
                op: Tok::Tilde,
                x,
            }));
        }
        match self.try_ident_or_type() {
            Some(t) => t,
            None => {
                let pos = self.pos;
                self.error_expected(pos, "~ term or type");
                self.bad_expr(pos, pos)
            }
        }
    }

    fn parse_interface_type(&mut self) -> Expr<'a> {
        let pos = self.expect(Tok::Interface);
        let lbrace = self.expect(Tok::LBrace);
        let mut list = self.vec();
        loop {
            match self.tok {
                Tok::Ident => {
                    let (names, mut typ) = self.parse_method_spec();
                    if names.is_empty() {
                        typ = self.embedded_elem(Some(typ));
                    }
                    self.expect_semi();
                    list.push(self.field(names, typ, None));
                }
                Tok::Tilde => {
                    let typ = self.embedded_elem(None);
                    self.expect_semi();
                    list.push(self.field(&[], typ, None));
                }
                _ => {
                    if let Some(t) = self.try_ident_or_type() {
                        let typ = self.embedded_elem(Some(t));
                        self.expect_semi();
                        list.push(self.field(&[], typ, None));
                    } else {
                        break;
                    }
                }
            }
        }
        let rbrace = self.expect(Tok::RBrace);
        let methods = self.field_list(Some(lbrace), list.into_bump_slice(), Some(rbrace));
        let id = self.id();
        Expr::InterfaceType(self.alloc(InterfaceType {
            id,
            span: Span::new(pos, rbrace + 1),
            methods,
        }))
    }

    fn parse_map_type(&mut self) -> Expr<'a> {
        let pos = self.expect(Tok::Map);
        self.expect(Tok::LBrack);
        let key = self.parse_type();
        self.expect(Tok::RBrack);
        let value = self.parse_type();
        let id = self.id();
        Expr::MapType(self.alloc(MapType {
            id,
            span: Span::new(pos, value.span().end),
            key,
            value,
        }))
    }

    fn parse_chan_type(&mut self) -> Expr<'a> {
        let pos = self.pos;
        let mut dir = ChanDir::Both;
        let mut arrow = None;
        if self.tok == Tok::Chan {
            self.next();
            if self.tok == Tok::Arrow {
                arrow = Some(self.pos);
                self.next();
                dir = ChanDir::Send;
            }
        } else {
            arrow = Some(self.expect(Tok::Arrow));
            self.expect(Tok::Chan);
            dir = ChanDir::Recv;
        }
        let value = self.parse_type();
        let id = self.id();
        Expr::ChanType(self.alloc(ChanType {
            id,
            span: Span::new(pos, value.span().end),
            arrow,
            dir,
            value,
        }))
    }

    fn parse_type_instance(&mut self, typ: Expr<'a>) -> Expr<'a> {
        let opening = self.expect(Tok::LBrack);
        self.expr_lev += 1;
        let mut list = self.vec();
        while self.tok != Tok::RBrack && self.tok != Tok::Eof {
            list.push(self.parse_type());
            if !self.at_comma("type argument list", Tok::RBrack) {
                break;
            }
            self.next();
        }
        self.expr_lev -= 1;
        let closing = self.expect_closing(Tok::RBrack, "type argument list");
        if list.is_empty() {
            self.error_expected(closing, "type argument list");
            let b = self.bad_expr(opening + 1, closing);
            return self.pack_index_expr(typ, opening, &[b], closing);
        }
        self.pack_index_expr(typ, opening, &list, closing)
    }

    fn try_ident_or_type(&mut self) -> Option<Expr<'a>> {
        self.grow(|p| {
            p.inc_nest();
            let r = p.try_ident_or_type_inner();
            p.dec_nest();
            r
        })
    }

    fn try_ident_or_type_inner(&mut self) -> Option<Expr<'a>> {
        Some(match self.tok {
            Tok::Ident => {
                let typ = self.parse_type_name(None);
                if self.tok == Tok::LBrack {
                    self.parse_type_instance(typ)
                } else {
                    typ
                }
            }
            Tok::LBrack => {
                let lbrack = self.expect(Tok::LBrack);
                self.parse_array_type(lbrack, None)
            }
            Tok::Struct => self.parse_struct_type(),
            Tok::Mul => self.parse_pointer_type(),
            Tok::Func => Expr::FuncType(self.parse_func_type()),
            Tok::Interface => self.parse_interface_type(),
            Tok::Map => self.parse_map_type(),
            Tok::Chan | Tok::Arrow => self.parse_chan_type(),
            Tok::LParen => {
                let lparen = self.pos;
                self.next();
                let x = self.parse_type();
                let rparen = self.expect(Tok::RParen);
                let id = self.id();
                Expr::Paren(self.alloc(ParenExpr {
                    id,
                    span: Span::new(lparen, rparen + 1),
                    x,
                }))
            }
            _ => return None,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Blocks

    fn parse_stmt_list(&mut self) -> &'a [Stmt<'a>] {
        let base = self.stmt_stack.len();
        while !matches!(self.tok, Tok::Case | Tok::Default | Tok::RBrace | Tok::Eof) {
            let st = self.parse_stmt();
            self.stmt_stack.push(st);
        }
        let s = self.arena.alloc_slice_copy(&self.stmt_stack[base..]);
        self.stmt_stack.truncate(base);
        s
    }

    fn parse_block_stmt(&mut self) -> &'a BlockStmt<'a> {
        let lbrace = self.expect(Tok::LBrace);
        let list = self.parse_stmt_list();
        let rbrace = self.expect2(Tok::RBrace);
        let end = match rbrace {
            Some(r) => r + 1,
            None => list.last().map_or(lbrace + 1, |s| s.span().end),
        };
        self.alloc(BlockStmt {
            span: Span::new(lbrace, end),
            list,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Expressions

    fn parse_func_type_or_lit(&mut self) -> Expr<'a> {
        let typ = self.parse_func_type();
        if self.tok != Tok::LBrace {
            // function type only
            return Expr::FuncType(typ);
        }
        let body = if self.skip_bodies {
            let lbrace = self.pos;
            let end = self.skip_body();
            self.alloc(BlockStmt {
                span: Span::new(lbrace, end),
                list: &[],
            })
        } else {
            self.expr_lev += 1;
            let body = self.parse_block_stmt();
            self.expr_lev -= 1;
            body
        };
        let id = self.id();
        Expr::FuncLit(self.alloc(FuncLit {
            id,
            span: Span::new(typ.span.start, body.span.end),
            ty: typ,
            body,
        }))
    }

    fn parse_operand(&mut self) -> Expr<'a> {
        match self.tok {
            Tok::Ident => return Expr::Ident(self.parse_ident()),
            Tok::Int | Tok::Float | Tok::Imag | Tok::Char | Tok::String => {
                let id = self.id();
                let value = self.lit();
                let x = Expr::BasicLit(self.alloc(BasicLit {
                    id,
                    span: Span::new(self.pos, self.end),
                    kind: self.tok,
                    value,
                }));
                self.next();
                return x;
            }
            Tok::LParen => {
                let lparen = self.pos;
                self.next();
                self.expr_lev += 1;
                let x = self.parse_rhs(); // types may be parenthesized: (some type)
                self.expr_lev -= 1;
                let rparen = self.expect(Tok::RParen);
                let id = self.id();
                return Expr::Paren(self.alloc(ParenExpr {
                    id,
                    span: Span::new(lparen, rparen + 1),
                    x,
                }));
            }
            Tok::Func => return self.parse_func_type_or_lit(),
            _ => {}
        }
        if let Some(t) = self.try_ident_or_type() {
            return t;
        }
        let pos = self.pos;
        self.error_expected(pos, "operand");
        self.bad_expr(pos, pos)
    }

    fn parse_selector(&mut self, x: Expr<'a>) -> Expr<'a> {
        let sel = self.parse_ident();
        let id = self.id();
        Expr::Selector(self.alloc(SelectorExpr {
            id,
            span: Span::new(x.span().start, sel.span().end),
            x,
            sel,
        }))
    }

    fn parse_type_assertion(&mut self, x: Expr<'a>) -> Expr<'a> {
        self.expect(Tok::LParen);
        let ty = if self.tok == Tok::Type {
            // type switch: typ == nil
            self.next();
            None
        } else {
            Some(self.parse_type())
        };
        let rparen = self.expect(Tok::RParen);
        let id = self.id();
        Expr::TypeAssert(self.alloc(TypeAssertExpr {
            id,
            span: Span::new(x.span().start, rparen + 1),
            x,
            ty,
        }))
    }

    fn parse_index_or_slice_or_instance(&mut self, x: Expr<'a>) -> Expr<'a> {
        let lbrack = self.expect(Tok::LBrack);
        if self.tok == Tok::RBrack {
            // empty index, slice or index expressions are not permitted;
            // accept them for parsing tolerance, but complain
            let pos = self.pos;
            self.error_expected(pos, "operand");
            let b = self.bad_expr(pos, pos);
            return self.pack_index_expr(x, lbrack, &[b], pos);
        }
        self.expr_lev += 1;
        let mut args: BVec<'a, Expr<'a>> = self.vec();
        let mut index: [Option<Expr<'a>>; 3] = [None, None, None];
        let mut colons = [0u32; 2];
        if self.tok != Tok::Colon {
            index[0] = Some(self.parse_rhs());
        }
        let mut ncolons = 0;
        match self.tok {
            Tok::Colon => {
                // slice expression
                while self.tok == Tok::Colon && ncolons < colons.len() {
                    colons[ncolons] = self.pos;
                    ncolons += 1;
                    self.next();
                    if self.tok != Tok::Colon && self.tok != Tok::RBrack && self.tok != Tok::Eof {
                        index[ncolons] = Some(self.parse_rhs());
                    }
                }
            }
            Tok::Comma => {
                // instance expression
                if let Some(i0) = index[0] {
                    args.push(i0);
                }
                while self.tok == Tok::Comma {
                    self.next();
                    if self.tok != Tok::RBrack && self.tok != Tok::Eof {
                        args.push(self.parse_type());
                    }
                }
            }
            _ => {}
        }
        self.expr_lev -= 1;
        let rbrack = self.expect(Tok::RBrack);

        if ncolons > 0 {
            // slice expression
            let mut slice3 = false;
            if ncolons == 2 {
                slice3 = true;
                // Check presence of middle and final index here rather than during type-checking
                // to prevent erroneous programs from passing through gofmt (was go.dev/issue/7305).
                if index[1].is_none() {
                    self.error(colons[0], "middle index required in 3-index slice");
                } else if index[2].is_none() {
                    self.error(colons[1], "final index required in 3-index slice");
                }
            }
            let id = self.id();
            return Expr::Slice(self.alloc(SliceExpr {
                id,
                span: Span::new(x.span().start, rbrack + 1),
                x,
                lbrack,
                low: index[0],
                high: index[1],
                max: index[2],
                slice3,
            }));
        }
        if args.is_empty() {
            // index expression
            let idx = match index[0] {
                Some(i) => i,
                None => self.bad_expr(lbrack, rbrack),
            };
            return self.pack_index_expr(x, lbrack, &[idx], rbrack);
        }
        // instance expression
        self.pack_index_expr(x, lbrack, &args, rbrack)
    }

    fn parse_call_or_conversion(&mut self, fun: Expr<'a>) -> &'a CallExpr<'a> {
        let lparen = self.expect(Tok::LParen);
        self.expr_lev += 1;
        let base = self.expr_stack.len();
        let mut ellipsis = None;
        while self.tok != Tok::RParen && self.tok != Tok::Eof && ellipsis.is_none() {
            let arg = self.parse_rhs(); // builtins may expect a type: make(some type, ...)
            self.expr_stack.push(arg);
            if self.tok == Tok::Ellipsis {
                ellipsis = Some(self.pos);
                self.next();
            }
            if !self.at_comma("argument list", Tok::RParen) {
                break;
            }
            self.next();
        }
        self.expr_lev -= 1;
        let rparen = self.expect_closing(Tok::RParen, "argument list");
        let args = self.take_exprs(base);
        let id = self.id();
        self.alloc(CallExpr {
            id,
            span: Span::new(fun.span().start, rparen + 1),
            fun,
            lparen,
            args,
            ellipsis,
        })
    }

    fn parse_value(&mut self) -> Expr<'a> {
        if self.tok == Tok::LBrace {
            return self.parse_literal_value(None);
        }
        self.parse_expr()
    }

    fn parse_element(&mut self) -> Expr<'a> {
        let x = self.parse_value();
        if self.tok == Tok::Colon {
            self.next();
            let value = self.parse_value();
            let id = self.id();
            return Expr::KeyValue(self.alloc(KeyValueExpr {
                id,
                span: Span::new(x.span().start, value.span().end),
                key: x,
                value,
            }));
        }
        x
    }

    fn parse_literal_value(&mut self, typ: Option<Expr<'a>>) -> Expr<'a> {
        if self.skip_bodies && self.tok == Tok::LBrace {
            // Declarations only: a literal's elements do not change its type (the checker
            // does not compute array lengths, `[...]T` included).
            let lbrace = self.pos;
            let end = self.skip_body();
            return self.composite_lit(typ, lbrace, &[], end);
        }
        self.parse_literal_value_elements(typ)
    }

    fn parse_literal_value_elements(&mut self, typ: Option<Expr<'a>>) -> Expr<'a> {
        self.grow(|p| {
            p.inc_nest();
            let lbrace = p.expect(Tok::LBrace);
            let base = p.expr_stack.len();
            p.expr_lev += 1;
            if p.tok != Tok::RBrace {
                while p.tok != Tok::RBrace && p.tok != Tok::Eof {
                    let e = p.parse_element();
                    p.expr_stack.push(e);
                    if !p.at_comma("composite literal", Tok::RBrace) {
                        break;
                    }
                    p.next();
                }
            }
            p.expr_lev -= 1;
            let rbrace = p.expect_closing(Tok::RBrace, "composite literal");
            let elts = p.take_exprs(base);
            p.dec_nest();
            p.composite_lit(typ, lbrace, elts, rbrace + 1)
        })
    }

    /// The literal node, from its type (if written) to `end`.
    fn composite_lit(
        &mut self,
        typ: Option<Expr<'a>>,
        lbrace: u32,
        elts: &'a [Expr<'a>],
        end: u32,
    ) -> Expr<'a> {
        let id = self.id();
        let start = typ.map_or(lbrace, |t| t.span().start);
        Expr::CompositeLit(self.alloc(CompositeLit {
            id,
            span: Span::new(start, end),
            ty: typ,
            lbrace,
            elts,
        }))
    }

    fn parse_primary_expr(&mut self, x: Option<Expr<'a>>) -> Expr<'a> {
        let mut x = match x {
            Some(x) => x,
            None => self.parse_operand(),
        };
        let mut n = 0;
        loop {
            n += 1;
            self.inc_nest();
            match self.tok {
                Tok::Period => {
                    self.next();
                    match self.tok {
                        Tok::Ident => x = self.parse_selector(x),
                        Tok::LParen => x = self.parse_type_assertion(x),
                        _ => {
                            let pos = self.pos;
                            self.error_expected(pos, "selector or type assertion");
                            let sel = self.new_ident(Span::new(pos, pos + 1), "_");
                            let id = self.id();
                            x = Expr::Selector(self.alloc(SelectorExpr {
                                id,
                                span: Span::new(x.span().start, sel.span().end),
                                x,
                                sel,
                            }));
                        }
                    }
                }
                Tok::LBrack => x = self.parse_index_or_slice_or_instance(x),
                Tok::LParen => x = Expr::Call(self.parse_call_or_conversion(x)),
                Tok::LBrace => {
                    // operand may have returned a parenthesized complit
                    // type; accept it but complain if we have a complit
                    let t = x.unparen();
                    // determine if '{' belongs to a composite literal or a block statement
                    match t {
                        Expr::Bad(_)
                        | Expr::Ident(_)
                        | Expr::Selector(_)
                        | Expr::Index(_)
                        | Expr::IndexList(_) => {
                            if self.expr_lev < 0 {
                                break; // x is possibly a composite literal type
                            }
                        }
                        Expr::ArrayType(_) | Expr::StructType(_) | Expr::MapType(_) => {}
                        _ => break,
                    }
                    if !same(t, x) {
                        self.error(
                            t.span().start,
                            "cannot parenthesize type in composite literal",
                        );
                    }
                    x = self.parse_literal_value(Some(x));
                }
                _ => break,
            }
        }
        self.nest_lev -= n;
        x
    }

    fn parse_unary_expr(&mut self) -> Expr<'a> {
        self.grow(|p| {
            p.inc_nest();
            let r = p.parse_unary_expr_inner();
            p.dec_nest();
            r
        })
    }

    fn parse_unary_expr_inner(&mut self) -> Expr<'a> {
        match self.tok {
            Tok::Add | Tok::Sub | Tok::Not | Tok::Xor | Tok::And | Tok::Tilde => {
                let (pos, op) = (self.pos, self.tok);
                self.next();
                let x = self.parse_unary_expr();
                let id = self.id();
                Expr::Unary(self.alloc(UnaryExpr {
                    id,
                    span: Span::new(pos, x.span().end),
                    op,
                    x,
                }))
            }
            Tok::Arrow => {
                // channel type or receive expression
                let arrow = self.pos;
                self.next();
                // If the next token is token.CHAN we still don't know if it is a channel
                // type or a receive operation - we only know once we have found the end of
                // the unary expression. There are two cases:
                //
                //   <- type  => (<-type) must be channel type
                //   <- expr  => <-(expr) is a receive from an expression
                let x = self.parse_unary_expr();
                if let Expr::ChanType(_) = x {
                    return self.reassociate_recv_chan(arrow, x);
                }
                let id = self.id();
                Expr::Unary(self.alloc(UnaryExpr {
                    id,
                    span: Span::new(arrow, x.span().end),
                    op: Tok::Arrow,
                    x,
                }))
            }
            Tok::Mul => {
                // pointer type or unary "*" expression
                let pos = self.pos;
                self.next();
                let x = self.parse_unary_expr();
                let id = self.id();
                Expr::Star(self.alloc(StarExpr {
                    id,
                    span: Span::new(pos, x.span().end),
                    x,
                }))
            }
            _ => self.parse_primary_expr(None),
        }
    }

    /// `<-` followed by a channel type: re-associate `<-(chan T)` as `(<-chan T)`,
    /// `<-(chan<- E)` as `(<-chan (<-E))`, and so on, as go/parser does.
    fn reassociate_recv_chan(&mut self, arrow0: u32, x: Expr<'a>) -> Expr<'a> {
        let mut chain: Vec<(&'a ChanType<'a>, u32)> = Vec::new();
        let mut arrow = Some(arrow0);
        let mut dir = ChanDir::Send;
        let mut cur = x;
        while let Expr::ChanType(typ) = cur {
            if dir != ChanDir::Send {
                break;
            }
            if typ.dir == ChanDir::Recv {
                // error: (<-type) is (<-(<-chan T))
                self.error_expected(typ.arrow.unwrap_or(typ.span.start), "'chan'");
            }
            let begin = arrow.unwrap_or(typ.span.start);
            chain.push((typ, begin));
            arrow = typ.arrow;
            dir = typ.dir;
            cur = typ.value;
        }
        if dir == ChanDir::Send {
            self.error_expected(arrow.unwrap_or(arrow0), "channel type");
        }
        // Rebuild the chain from the innermost rewritten channel type outwards.
        let mut value: Option<Expr<'a>> = None;
        for &(typ, begin) in chain.iter().rev() {
            let v = value.unwrap_or(typ.value);
            value = Some(Expr::ChanType(self.alloc(ChanType {
                id: typ.id,
                span: Span::new(begin, typ.span.end),
                arrow: Some(begin),
                dir: ChanDir::Recv,
                value: v,
            })));
        }
        value.unwrap_or(x)
    }

    #[inline]
    fn tok_prec(&self) -> (Tok, u8) {
        let mut tok = self.tok;
        if self.in_rhs && tok == Tok::Assign {
            tok = Tok::Eql;
        }
        (tok, tok.precedence())
    }

    fn parse_binary_expr(&mut self, x: Option<Expr<'a>>, prec1: u8) -> Expr<'a> {
        let mut x = match x {
            Some(x) => x,
            None => self.parse_unary_expr(),
        };
        let mut n = 0;
        loop {
            n += 1;
            self.inc_nest();
            let (op, oprec) = self.tok_prec();
            if oprec < prec1 {
                break;
            }
            let op_pos = self.expect(op);
            let y = self.parse_binary_expr(None, oprec + 1);
            let id = self.id();
            x = Expr::Binary(self.alloc(BinaryExpr {
                id,
                span: Span::new(x.span().start, y.span().end),
                x,
                op_pos,
                op,
                y,
            }));
        }
        self.nest_lev -= n;
        x
    }

    fn parse_expr(&mut self) -> Expr<'a> {
        self.parse_binary_expr(None, 1)
    }

    fn parse_rhs(&mut self) -> Expr<'a> {
        let old = self.in_rhs;
        self.in_rhs = true;
        let x = self.parse_expr();
        self.in_rhs = old;
        x
    }

    // -----------------------------------------------------------------------------------------
    // Statements

    fn range_unary(&mut self, pos: u32) -> Expr<'a> {
        let x = self.parse_rhs();
        let id = self.id();
        Expr::Unary(self.alloc(UnaryExpr {
            id,
            span: Span::new(pos, x.span().end),
            op: Tok::Range,
            x,
        }))
    }

    fn assign_stmt(
        &self,
        lhs: &'a [Expr<'a>],
        tok_pos: u32,
        tok: Tok,
        rhs: &'a [Expr<'a>],
    ) -> Stmt<'a> {
        let start = lhs.first().map_or(tok_pos, |e| e.span().start);
        let end = rhs.last().map_or(tok_pos, |e| e.span().end);
        Stmt::Assign(self.alloc(AssignStmt {
            span: Span::new(start, end),
            lhs,
            tok_pos,
            tok,
            rhs,
        }))
    }

    /// Returns the statement and whether it is a range clause (an `AssignStmt` whose single rhs
    /// is a `range` unary expression).
    fn parse_simple_stmt(&mut self, mode: StmtMode) -> (Stmt<'a>, bool) {
        let x = self.parse_list(false);
        match self.tok {
            Tok::Define
            | Tok::Assign
            | Tok::AddAssign
            | Tok::SubAssign
            | Tok::MulAssign
            | Tok::QuoAssign
            | Tok::RemAssign
            | Tok::AndAssign
            | Tok::OrAssign
            | Tok::XorAssign
            | Tok::ShlAssign
            | Tok::ShrAssign
            | Tok::AndNotAssign => {
                // assignment statement, possibly part of a range clause
                let (pos, tok) = (self.pos, self.tok);
                self.next();
                let is_range;
                let y: &'a [Expr<'a>] = if mode == StmtMode::RangeOk
                    && self.tok == Tok::Range
                    && (tok == Tok::Define || tok == Tok::Assign)
                {
                    let rpos = self.pos;
                    self.next();
                    is_range = true;
                    let u = self.range_unary(rpos);
                    self.arena.alloc_slice_copy(&[u])
                } else {
                    is_range = false;
                    self.parse_list(true)
                };
                return (self.assign_stmt(x, pos, tok, y), is_range);
            }
            _ => {}
        }
        if x.len() > 1 {
            self.error_expected(x[0].span().start, "1 expression");
            // continue with first expression
        }
        let x0 = x[0];
        match self.tok {
            Tok::Colon => {
                // labeled statement
                let colon = self.pos;
                self.next();
                if let (Expr::Ident(label), StmtMode::LabelOk) = (x0, mode) {
                    // Go spec: The scope of a label is the body of the function
                    // in which it is declared and excludes the body of any nested
                    // function.
                    let stmt = self.parse_stmt();
                    return (
                        Stmt::Labeled(self.alloc(LabeledStmt {
                            span: Span::new(label.pos, stmt.span().end),
                            label,
                            stmt,
                        })),
                        false,
                    );
                }
                self.error(colon, "illegal label declaration");
                (
                    Stmt::Bad(self.alloc(BadStmt {
                        span: Span::new(x0.span().start, colon + 1),
                    })),
                    false,
                )
            }
            Tok::Arrow => {
                // send statement
                let arrow = self.pos;
                self.next();
                let y = self.parse_rhs();
                (
                    Stmt::Send(self.alloc(SendStmt {
                        span: Span::new(x0.span().start, y.span().end),
                        chan: x0,
                        arrow,
                        value: y,
                    })),
                    false,
                )
            }
            Tok::Inc | Tok::Dec => {
                // increment or decrement
                let s = Stmt::IncDec(self.alloc(IncDecStmt {
                    span: Span::new(x0.span().start, self.pos + 2),
                    x: x0,
                    tok: self.tok,
                }));
                self.next();
                (s, false)
            }
            _ => (
                // expression
                Stmt::Expr(self.alloc(ExprStmt {
                    span: x0.span(),
                    x: x0,
                })),
                false,
            ),
        }
    }

    fn parse_call_expr(&mut self, call_type: &str) -> Option<&'a CallExpr<'a>> {
        let x = self.parse_rhs(); // could be a conversion: (some type)(x)
        let t = x.unparen();
        if !same(t, x) {
            self.error(
                x.span().start,
                format!("expression in {call_type} must not be parenthesized"),
            );
        }
        if let Expr::Call(call) = t {
            return Some(call);
        }
        if !matches!(t, Expr::Bad(_)) {
            // only report error if it's a new one
            self.error(
                t.span().end,
                format!("expression in {call_type} must be function call"),
            );
        }
        None
    }

    fn parse_go_or_defer_stmt(&mut self, tok: Tok) -> Stmt<'a> {
        let pos = self.expect(tok);
        let call = self.parse_call_expr(tok.as_str());
        self.expect_semi();
        let Some(call) = call else {
            return Stmt::Bad(self.alloc(BadStmt {
                span: Span::new(pos, pos + tok.as_str().len() as u32),
            }));
        };
        let span = Span::new(pos, call.span.end);
        if tok == Tok::Go {
            Stmt::Go(self.alloc(GoStmt { span, call }))
        } else {
            Stmt::Defer(self.alloc(DeferStmt { span, call }))
        }
    }

    fn parse_return_stmt(&mut self) -> Stmt<'a> {
        let pos = self.pos;
        self.expect(Tok::Return);
        let mut results: &'a [Expr<'a>] = &[];
        if self.tok != Tok::Semicolon && self.tok != Tok::RBrace {
            results = self.parse_list(true);
        }
        self.expect_semi();
        let end = results.last().map_or(pos + 6, |e| e.span().end);
        Stmt::Return(self.alloc(ReturnStmt {
            span: Span::new(pos, end),
            results,
        }))
    }

    fn parse_branch_stmt(&mut self, tok: Tok) -> Stmt<'a> {
        let pos = self.expect(tok);
        let mut label = None;
        if tok == Tok::Goto
            || ((tok == Tok::Continue || tok == Tok::Break) && self.tok == Tok::Ident)
        {
            label = Some(self.parse_ident());
        }
        self.expect_semi();
        let end = label.map_or(pos + tok.as_str().len() as u32, |l| l.span().end);
        Stmt::Branch(self.alloc(BranchStmt {
            span: Span::new(pos, end),
            tok,
            label,
        }))
    }

    fn make_expr(&mut self, s: Option<Stmt<'a>>, want: &str) -> Option<Expr<'a>> {
        let s = s?;
        if let Stmt::Expr(es) = s {
            return Some(es.x);
        }
        let found = if matches!(s, Stmt::Assign(_)) {
            "assignment"
        } else {
            "simple statement"
        };
        let span = s.span();
        self.error(
            span.start,
            format!(
                "expected {want}, found {found} (missing parentheses around composite literal?)"
            ),
        );
        Some(self.bad_expr(span.start, span.end))
    }

    fn parse_if_header(&mut self) -> (Option<Stmt<'a>>, Expr<'a>) {
        if self.tok == Tok::LBrace {
            let pos = self.pos;
            self.error(pos, "missing condition in if statement");
            return (None, self.bad_expr(pos, pos));
        }
        // p.tok != token.LBRACE
        let prev_lev = self.expr_lev;
        self.expr_lev = -1;
        let mut init = None;
        if self.tok != Tok::Semicolon {
            // accept potential variable declaration but complain
            if self.tok == Tok::Var {
                self.next();
                let pos = self.pos;
                self.error(pos, "var declaration not allowed in if initializer");
            }
            init = Some(self.parse_simple_stmt(StmtMode::Basic).0);
        }
        let mut cond_stmt = None;
        let mut semi: Option<(u32, bool)> = None;
        if self.tok != Tok::LBrace {
            if self.tok == Tok::Semicolon {
                semi = Some((self.pos, self.implicit_semi()));
                self.next();
            } else {
                self.expect(Tok::Semicolon);
            }
            if self.tok != Tok::LBrace {
                cond_stmt = Some(self.parse_simple_stmt(StmtMode::Basic).0);
            }
        } else {
            cond_stmt = init;
            init = None;
        }
        let mut cond = None;
        if cond_stmt.is_some() {
            cond = self.make_expr(cond_stmt, "boolean expression");
        } else if let Some((pos, newline)) = semi {
            if newline {
                self.error(pos, "unexpected newline, expecting { after if clause");
            } else {
                self.error(pos, "missing condition in if statement");
            }
        }
        // make sure we have a valid AST
        let cond = match cond {
            Some(c) => c,
            None => {
                let p = self.pos;
                self.bad_expr(p, p)
            }
        };
        self.expr_lev = prev_lev;
        (init, cond)
    }

    fn parse_if_stmt(&mut self) -> &'a IfStmt<'a> {
        self.grow(|p| {
            p.inc_nest();
            let pos = p.expect(Tok::If);
            let (init, cond) = p.parse_if_header();
            let body = p.parse_block_stmt();
            let mut else_ = None;
            if p.tok == Tok::Else {
                p.next();
                match p.tok {
                    Tok::If => else_ = Some(Stmt::If(p.parse_if_stmt())),
                    Tok::LBrace => {
                        else_ = Some(Stmt::Block(p.parse_block_stmt()));
                        p.expect_semi();
                    }
                    _ => {
                        let pos = p.pos;
                        p.error_expected(pos, "if statement or block");
                        else_ = Some(Stmt::Bad(p.alloc(BadStmt {
                            span: Span::new(pos, pos),
                        })));
                    }
                }
            } else {
                p.expect_semi();
            }
            p.dec_nest();
            let end = else_.map_or(body.span.end, |e| e.span().end);
            p.alloc(IfStmt {
                span: Span::new(pos, end),
                init,
                cond,
                body,
                else_,
            })
        })
    }

    fn parse_case_clause(&mut self) -> Stmt<'a> {
        let pos = self.pos;
        let mut list: &'a [Expr<'a>] = &[];
        let is_default = self.tok != Tok::Case;
        if self.tok == Tok::Case {
            self.next();
            list = self.parse_list(true);
        } else {
            self.expect(Tok::Default);
        }
        let colon = self.expect(Tok::Colon);
        let body = self.parse_stmt_list();
        let end = body.last().map_or(colon + 1, |s| s.span().end);
        Stmt::CaseClause(self.alloc(CaseClause {
            span: Span::new(pos, end),
            is_default,
            list,
            colon,
            body,
        }))
    }

    fn is_type_switch_guard(&mut self, s: Option<Stmt<'a>>) -> bool {
        fn is_type_switch_assert(x: Expr<'_>) -> bool {
            matches!(x, Expr::TypeAssert(a) if a.ty.is_none())
        }
        match s {
            Some(Stmt::Expr(t)) => is_type_switch_assert(t.x),
            Some(Stmt::Assign(t))
                if t.lhs.len() == 1 && t.rhs.len() == 1 && is_type_switch_assert(t.rhs[0]) =>
            {
                match t.tok {
                    Tok::Assign => {
                        // permit v = x.(type) but complain
                        self.error(t.tok_pos, "expected ':=', found '='");
                        true
                    }
                    Tok::Define => true,
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn parse_switch_stmt(&mut self) -> Stmt<'a> {
        let pos = self.expect(Tok::Switch);
        let mut s1 = None;
        let mut s2 = None;
        if self.tok != Tok::LBrace {
            let prev_lev = self.expr_lev;
            self.expr_lev = -1;
            if self.tok != Tok::Semicolon {
                s2 = Some(self.parse_simple_stmt(StmtMode::Basic).0);
            }
            if self.tok == Tok::Semicolon {
                self.next();
                s1 = s2;
                s2 = None;
                if self.tok != Tok::LBrace {
                    // A TypeSwitchGuard may declare a variable in addition
                    // to the variable declared in the initial SimpleStmt.
                    // Introduce extra scope to avoid redeclaration errors:
                    //
                    //	switch t := 0; t := x.(T) { ... }
                    //
                    // (this code is not valid Go because the first t
                    // cannot be accessed and thus is never used, the extra
                    // scope is needed for the correct error message).
                    //
                    // If we don't have a type switch, s2 must be an expression.
                    // Having the extra nested but empty scope won't affect it.
                    s2 = Some(self.parse_simple_stmt(StmtMode::Basic).0);
                }
            }
            self.expr_lev = prev_lev;
        }
        let type_switch = self.is_type_switch_guard(s2);
        let lbrace = self.expect(Tok::LBrace);
        let mut list = self.vec();
        while self.tok == Tok::Case || self.tok == Tok::Default {
            list.push(self.parse_case_clause());
        }
        let rbrace = self.expect(Tok::RBrace);
        self.expect_semi();
        let body = self.alloc(BlockStmt {
            span: Span::new(lbrace, rbrace + 1),
            list: list.into_bump_slice(),
        });
        let span = Span::new(pos, body.span.end);
        if type_switch {
            if let Some(assign) = s2 {
                return Stmt::TypeSwitch(self.alloc(TypeSwitchStmt {
                    span,
                    init: s1,
                    assign,
                    body,
                }));
            }
        }
        let tag = self.make_expr(s2, "switch expression");
        Stmt::Switch(self.alloc(SwitchStmt {
            span,
            init: s1,
            tag,
            body,
        }))
    }

    fn parse_comm_clause(&mut self) -> Stmt<'a> {
        let pos = self.pos;
        let mut comm = None;
        if self.tok == Tok::Case {
            self.next();
            let lhs = self.parse_list(false);
            if self.tok == Tok::Arrow {
                // SendStmt
                if lhs.len() > 1 {
                    self.error_expected(lhs[0].span().start, "1 expression");
                    // continue with first expression
                }
                let arrow = self.pos;
                self.next();
                let rhs = self.parse_rhs();
                comm = Some(Stmt::Send(self.alloc(SendStmt {
                    span: Span::new(lhs[0].span().start, rhs.span().end),
                    chan: lhs[0],
                    arrow,
                    value: rhs,
                })));
            } else {
                // RecvStmt
                let tok = self.tok;
                if tok == Tok::Assign || tok == Tok::Define {
                    // RecvStmt with assignment
                    if lhs.len() > 2 {
                        self.error_expected(lhs[0].span().start, "1 or 2 expressions");
                        // continue with first two expressions
                    }
                    let tok_pos = self.pos;
                    self.next();
                    let rhs = self.parse_rhs();
                    let lhs = &lhs[..lhs.len().min(2)];
                    let rhs = self.arena.alloc_slice_copy(&[rhs]);
                    comm = Some(self.assign_stmt(lhs, tok_pos, tok, rhs));
                } else {
                    // lhs must be single receive operation
                    if lhs.len() > 1 {
                        self.error_expected(lhs[0].span().start, "1 expression");
                        // continue with first expression
                    }
                    comm = Some(Stmt::Expr(self.alloc(ExprStmt {
                        span: lhs[0].span(),
                        x: lhs[0],
                    })));
                }
            }
        } else {
            self.expect(Tok::Default);
        }
        let colon = self.expect(Tok::Colon);
        let body = self.parse_stmt_list();
        let end = body.last().map_or(colon + 1, |s| s.span().end);
        Stmt::CommClause(self.alloc(CommClause {
            span: Span::new(pos, end),
            comm,
            colon,
            body,
        }))
    }

    fn parse_select_stmt(&mut self) -> Stmt<'a> {
        let pos = self.expect(Tok::Select);
        let lbrace = self.expect(Tok::LBrace);
        let mut list = self.vec();
        while self.tok == Tok::Case || self.tok == Tok::Default {
            list.push(self.parse_comm_clause());
        }
        let rbrace = self.expect(Tok::RBrace);
        self.expect_semi();
        let body = self.alloc(BlockStmt {
            span: Span::new(lbrace, rbrace + 1),
            list: list.into_bump_slice(),
        });
        Stmt::Select(self.alloc(SelectStmt {
            span: Span::new(pos, body.span.end),
            body,
        }))
    }

    fn parse_for_stmt(&mut self) -> Stmt<'a> {
        let pos = self.expect(Tok::For);
        let mut s1 = None;
        let mut s2 = None;
        let mut s3 = None;
        let mut is_range = false;
        if self.tok != Tok::LBrace {
            let prev_lev = self.expr_lev;
            self.expr_lev = -1;
            if self.tok != Tok::Semicolon {
                if self.tok == Tok::Range {
                    // "for range x" (nil lhs in assignment)
                    let rpos = self.pos;
                    self.next();
                    let u = self.range_unary(rpos);
                    let rhs = self.arena.alloc_slice_copy(&[u]);
                    s2 = Some(self.assign_stmt(&[], rpos, Tok::Illegal, rhs));
                    is_range = true;
                } else {
                    let (s, r) = self.parse_simple_stmt(StmtMode::RangeOk);
                    s2 = Some(s);
                    is_range = r;
                }
            }
            if !is_range && self.tok == Tok::Semicolon {
                self.next();
                s1 = s2;
                s2 = None;
                if self.tok != Tok::Semicolon {
                    s2 = Some(self.parse_simple_stmt(StmtMode::Basic).0);
                }
                self.expect_semi();
                if self.tok != Tok::LBrace {
                    s3 = Some(self.parse_simple_stmt(StmtMode::Basic).0);
                }
            }
            self.expr_lev = prev_lev;
        }
        let body = self.parse_block_stmt();
        self.expect_semi();

        if is_range {
            if let Some(Stmt::Assign(a)) = s2 {
                let (key, value) = match a.lhs.len() {
                    0 => (None, None),
                    1 => (Some(a.lhs[0]), None),
                    2 => (Some(a.lhs[0]), Some(a.lhs[1])),
                    _ => {
                        let last = a.lhs[a.lhs.len() - 1].span().start;
                        self.error_expected(last, "at most 2 expressions");
                        return Stmt::Bad(self.alloc(BadStmt {
                            span: Span::new(pos, body.span.end),
                        }));
                    }
                };
                // parseSimpleStmt returned a right-hand side that
                // is a single unary expression of the form "range x"
                if let Expr::Unary(u) = a.rhs[0] {
                    let tok = if key.is_some() { a.tok } else { Tok::Illegal };
                    return Stmt::Range(self.alloc(RangeStmt {
                        span: Span::new(pos, body.span.end),
                        key,
                        value,
                        tok_pos: a.tok_pos,
                        tok,
                        range_pos: u.span.start,
                        x: u.x,
                        body,
                    }));
                }
            }
        }
        // regular for statement
        let cond = self.make_expr(s2, "boolean or range expression");
        Stmt::For(self.alloc(ForStmt {
            span: Span::new(pos, body.span.end),
            init: s1,
            cond,
            post: s3,
            body,
        }))
    }

    fn parse_stmt(&mut self) -> Stmt<'a> {
        self.grow(|p| {
            p.inc_nest();
            let s = p.parse_stmt_inner();
            p.dec_nest();
            s
        })
    }

    fn parse_stmt_inner(&mut self) -> Stmt<'a> {
        match self.tok {
            Tok::Const | Tok::Type | Tok::Var => {
                let decl = self.parse_decl();
                Stmt::Decl(self.alloc(DeclStmt {
                    span: decl.span(),
                    decl,
                }))
            }
            // tokens that may start an expression: operands, composite types, unary operators
            Tok::Ident
            | Tok::Int
            | Tok::Float
            | Tok::Imag
            | Tok::Char
            | Tok::String
            | Tok::Func
            | Tok::LParen
            | Tok::LBrack
            | Tok::Struct
            | Tok::Map
            | Tok::Chan
            | Tok::Interface
            | Tok::Add
            | Tok::Sub
            | Tok::Mul
            | Tok::And
            | Tok::Xor
            | Tok::Arrow
            | Tok::Not => {
                let (s, _) = self.parse_simple_stmt(StmtMode::LabelOk);
                // because of the required look-ahead, labeled statements are
                // parsed by parseSimpleStmt - don't expect a semicolon after
                // them
                if !matches!(s, Stmt::Labeled(_)) {
                    self.expect_semi();
                }
                s
            }
            Tok::Go => self.parse_go_or_defer_stmt(Tok::Go),
            Tok::Defer => self.parse_go_or_defer_stmt(Tok::Defer),
            Tok::Return => self.parse_return_stmt(),
            Tok::Break | Tok::Continue | Tok::Goto | Tok::Fallthrough => {
                let tok = self.tok;
                self.parse_branch_stmt(tok)
            }
            Tok::LBrace => {
                let b = self.parse_block_stmt();
                self.expect_semi();
                Stmt::Block(b)
            }
            Tok::If => Stmt::If(self.parse_if_stmt()),
            Tok::Switch => self.parse_switch_stmt(),
            Tok::Select => self.parse_select_stmt(),
            Tok::For => self.parse_for_stmt(),
            Tok::Semicolon => {
                // Is it ever possible to have an implicit semicolon
                // producing an empty statement in a valid program?
                // (handle correctly anyway)
                let implicit = self.implicit_semi();
                let end = if implicit { self.pos } else { self.pos + 1 };
                let s = Stmt::Empty(self.alloc(EmptyStmt {
                    span: Span::new(self.pos, end),
                    implicit,
                }));
                self.next();
                s
            }
            Tok::RBrace => {
                // a semicolon may be omitted before a closing "}"
                Stmt::Empty(self.alloc(EmptyStmt {
                    span: Span::new(self.pos, self.pos),
                    implicit: true,
                }))
            }
            _ => {
                // no statement found
                let pos = self.pos;
                self.error_expected(pos, "statement");
                Stmt::Bad(self.alloc(BadStmt {
                    span: Span::new(pos, pos),
                }))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Declarations

    fn parse_import_spec(&mut self) -> Spec<'a> {
        let name = match self.tok {
            Tok::Ident => Some(self.parse_ident()),
            Tok::Period => {
                let span = Span::new(self.pos, self.pos + 1);
                let i = self.new_ident(span, ".");
                self.next();
                Some(i)
            }
            _ => None,
        };
        let pos = self.pos;
        let mut end = self.pos;
        let mut value = "";
        if self.tok == Tok::String {
            value = self.lit();
            end = self.end;
            self.next();
        } else if self.tok.is_literal() {
            self.error(pos, "import path must be a string");
        } else {
            self.error(pos, "missing import path");
        }
        self.expect_semi();
        let id = self.id();
        let path = self.alloc(BasicLit {
            id,
            span: Span::new(pos, end),
            kind: Tok::String,
            value,
        });
        let start = name.map_or(pos, |n| n.pos);
        Spec::Import(self.alloc(ImportSpec {
            span: Span::new(start, end),
            name,
            path,
        }))
    }

    fn parse_value_spec(&mut self, keyword: Tok) -> Spec<'a> {
        let names = self.parse_ident_list();
        let mut ty = None;
        let mut values: &'a [Expr<'a>] = &[];
        if keyword == Tok::Const {
            // always permit optional type and initialization for more tolerant parsing
            if self.tok != Tok::Eof && self.tok != Tok::Semicolon && self.tok != Tok::RParen {
                ty = self.try_ident_or_type();
                if self.tok == Tok::Assign {
                    self.next();
                    values = self.parse_list(true);
                }
            }
        } else {
            if self.tok != Tok::Assign {
                ty = Some(self.parse_type());
            }
            if self.tok == Tok::Assign {
                self.next();
                values = self.parse_list(true);
            }
        }
        self.expect_semi();
        let start = names[0].pos;
        let end = match (values.last(), ty) {
            (Some(v), _) => v.span().end,
            (None, Some(t)) => t.span().end,
            (None, None) => names[names.len() - 1].span().end,
        };
        Spec::Value(self.alloc(ValueSpec {
            span: Span::new(start, end),
            names,
            ty,
            values,
        }))
    }

    fn parse_type_spec(&mut self) -> Spec<'a> {
        let name = self.parse_ident();
        let mut type_params = None;
        let mut assign = None;
        let ty;
        if self.tok == Tok::LBrack {
            // spec.Name "["
            let lbrack = self.pos;
            self.next();
            if self.tok == Tok::Ident {
                // We may have an array type or a type parameter list.
                // In either case we expect an expression x (which may
                // just be a name, or a more complex expression) which we
                // can analyze further.
                //
                // A type parameter list may have a type bound starting
                // with a "[" as in: P []E. In that case, simply parsing
                // an expression would lead to an error: P[] is invalid.
                // But since index or slice expressions are never constant
                // and thus invalid array length expressions, if the name
                // is followed by "[" it must be the start of an array or
                // slice constraint. Only if we don't see a "[" do we
                // need to parse a full expression. Notably, name <- x
                // is not a concern because name <- x is a statement and
                // not an expression.
                let mut x = Expr::Ident(self.parse_ident());
                if self.tok != Tok::LBrack {
                    // To parse the expression starting with name, expand
                    // the call sequence we would get by passing in name
                    // to parser.expr, and pass in name to parsePrimaryExpr.
                    self.expr_lev += 1;
                    let lhs = self.parse_primary_expr(Some(x));
                    x = self.parse_binary_expr(Some(lhs), 1);
                    self.expr_lev -= 1;
                }
                // Analyze expression x. If we can split x into a type parameter
                // name, possibly followed by a type parameter type, we consider
                // this the start of a type parameter list, with some caveats:
                // a single name followed by "]" tilts the decision towards an
                // array declaration; a type parameter type that could also be
                // an ordinary expression but which is followed by a comma tilts
                // the decision towards a type parameter list.
                let force = self.tok == Tok::Comma;
                let (pname, ptype) = self.extract_name(x, force);
                match pname {
                    Some(pname) if ptype.is_some() || self.tok != Tok::RBrack => {
                        // spec.Name "[" pname ...
                        // spec.Name "[" pname ptype ...
                        // spec.Name "[" pname ptype "," ...
                        let list =
                            self.parse_parameter_list(Some(pname), ptype, Tok::RBrack, false);
                        let close = self.expect(Tok::RBrack);
                        type_params = Some(self.field_list(Some(lbrack), list, Some(close)));
                        if self.tok == Tok::Assign {
                            // type alias
                            assign = Some(self.pos);
                            self.next();
                        }
                        ty = self.parse_type();
                    }
                    _ => {
                        // spec.Name "[" px ...
                        ty = self.parse_array_type(lbrack, Some(x));
                    }
                }
            } else {
                // array type
                ty = self.parse_array_type(lbrack, None);
            }
        } else {
            // no type parameters
            if self.tok == Tok::Assign {
                // type alias
                assign = Some(self.pos);
                self.next();
            }
            ty = self.parse_type();
        }
        self.expect_semi();
        Spec::Type(self.alloc(TypeSpec {
            span: Span::new(name.pos, ty.span().end),
            name,
            type_params,
            assign,
            ty,
        }))
    }

    /// extractName splits the expression x into (name, expr) if syntactically x can be written
    /// as name expr. The split only happens if expr is a type element (per the isTypeElem
    /// predicate) or if force is set. If x is just a name, the result is (name, nil). If the
    /// split succeeds, the result is (name, expr). Otherwise the result is (nil, x).
    fn extract_name(
        &mut self,
        x: Expr<'a>,
        force: bool,
    ) -> (Option<&'a Ident<'a>>, Option<Expr<'a>>) {
        match x {
            Expr::Ident(i) => return (Some(i), None),
            Expr::Binary(b) => match b.op {
                Tok::Mul => {
                    if let Expr::Ident(name) = b.x {
                        if force || is_type_elem(b.y) {
                            // x = name *b.Y
                            let id = self.id();
                            let star = Expr::Star(self.alloc(StarExpr {
                                id,
                                span: Span::new(b.op_pos, b.y.span().end),
                                x: b.y,
                            }));
                            return (Some(name), Some(star));
                        }
                    }
                }
                Tok::Or => {
                    let (name, lhs) = self.extract_name(b.x, force || is_type_elem(b.y));
                    if let (Some(name), Some(lhs)) = (name, lhs) {
                        // x = name lhs|b.Y
                        let id = self.id();
                        let op = Expr::Binary(self.alloc(BinaryExpr {
                            id,
                            span: Span::new(lhs.span().start, b.y.span().end),
                            x: lhs,
                            op_pos: b.op_pos,
                            op: Tok::Or,
                            y: b.y,
                        }));
                        return (Some(name), Some(op));
                    }
                }
                _ => {}
            },
            Expr::Call(c) => {
                if let Expr::Ident(name) = c.fun {
                    if c.args.len() == 1
                        && c.ellipsis.is_none()
                        && (force || is_type_elem(c.args[0]))
                    {
                        // x = name (x.Args[0])
                        // (Note that the cmd/compile/internal/syntax parser does not care
                        // about syntax tree fidelity and does not preserve parentheses here.)
                        let id = self.id();
                        let paren = Expr::Paren(self.alloc(ParenExpr {
                            id,
                            span: Span::new(c.lparen, c.span.end),
                            x: c.args[0],
                        }));
                        return (Some(name), Some(paren));
                    }
                }
            }
            _ => {}
        }
        (None, Some(x))
    }

    fn parse_gen_decl(&mut self, keyword: Tok) -> &'a GenDecl<'a> {
        let pos = self.expect(keyword);
        let mut lparen = None;
        let mut rparen = None;
        let mut list = self.vec();
        if self.tok == Tok::LParen {
            lparen = Some(self.pos);
            self.next();
            while self.tok != Tok::RParen && self.tok != Tok::Eof {
                list.push(self.parse_spec(keyword));
            }
            rparen = Some(self.expect(Tok::RParen));
            self.expect_semi();
        } else {
            list.push(self.parse_spec(keyword));
        }
        let specs = list.into_bump_slice();
        let end = match (rparen, specs.first()) {
            (Some(r), _) => r + 1,
            (None, Some(Spec::Import(s))) => s.span.end,
            (None, Some(Spec::Value(s))) => s.span.end,
            (None, Some(Spec::Type(s))) => s.span.end,
            (None, None) => pos,
        };
        self.alloc(GenDecl {
            span: Span::new(pos, end),
            tok: keyword,
            lparen,
            specs,
        })
    }

    fn parse_spec(&mut self, keyword: Tok) -> Spec<'a> {
        match keyword {
            Tok::Import => self.parse_import_spec(),
            Tok::Type => self.parse_type_spec(),
            _ => self.parse_value_spec(keyword),
        }
    }

    fn parse_func_decl(&mut self) -> &'a FuncDecl<'a> {
        let pos = self.expect(Tok::Func);
        let mut recv = None;
        if self.tok == Tok::LParen {
            recv = self.parse_parameters(false);
        }
        let name = self.parse_ident();
        let mut type_params = None;
        if self.tok == Tok::LBrack {
            type_params = self.parse_type_parameters();
            if let (Some(_), Some(tp)) = (recv, type_params) {
                // Method declarations do not have type parameters. We parse them for a
                // better error message and improved error recovery.
                self.error(
                    tp.opening.unwrap_or(tp.span.start),
                    "method must have no type parameters",
                );
                type_params = None;
            }
        }
        let params = self.parse_params_or_empty();
        let results = self.parse_parameters(true);
        let mut body = None;
        let mut skipped_end = None;
        match self.tok {
            Tok::LBrace if self.skip_bodies => {
                skipped_end = Some(self.skip_body());
                self.expect_semi();
            }
            Tok::LBrace => {
                body = Some(self.parse_block_stmt());
                self.expect_semi();
            }
            Tok::Semicolon => {
                self.next();
                if self.tok == Tok::LBrace {
                    // opening { of function declaration on next line
                    let p = self.pos;
                    self.error(p, "unexpected semicolon or newline before {");
                    body = Some(self.parse_block_stmt());
                    self.expect_semi();
                }
            }
            _ => self.expect_semi(),
        }
        let ty = self.func_type_node(pos, type_params, params, results);
        let end = skipped_end.unwrap_or_else(|| body.map_or(ty.span.end, |b| b.span.end));
        self.alloc(FuncDecl {
            span: Span::new(pos, end),
            recv,
            name,
            ty,
            body,
        })
    }

    /// Declarations-only mode: skips a function body (the current token is its `{`) and
    /// returns the end of its `}` (of the input when it is missing).
    fn skip_body(&mut self) -> u32 {
        let end = match self.lx.skip_block() {
            Some(rbrace) => rbrace + 1,
            None => self.src.len() as u32,
        };
        self.next();
        end
    }

    fn parse_decl(&mut self) -> Decl<'a> {
        match self.tok {
            Tok::Import | Tok::Const | Tok::Type | Tok::Var => {
                let tok = self.tok;
                Decl::Gen(self.parse_gen_decl(tok))
            }
            Tok::Func => Decl::Func(self.parse_func_decl()),
            _ => {
                let pos = self.pos;
                self.error_expected(pos, "declaration");
                Decl::Bad(Span::new(pos, pos))
            }
        }
    }

    fn parse_file(&mut self) -> &'a File<'a> {
        // package clause
        let package = self.expect(Tok::Package);
        let name = self.parse_ident();
        self.expect_semi();

        let mut decls = self.vec();
        while self.tok == Tok::Import {
            decls.push(Decl::Gen(self.parse_gen_decl(Tok::Import)));
        }
        let mut prev = Tok::Import;
        while self.tok != Tok::Eof {
            // Continue to accept import declarations for error tolerance, but complain.
            if self.tok == Tok::Import && prev != Tok::Import {
                let p = self.pos;
                self.error(p, "imports must appear before other declarations");
            }
            prev = self.tok;
            decls.push(self.parse_decl());
        }
        let decls = decls.into_bump_slice();
        let end = decls.last().map_or(name.span().end, |d| d.span().end);
        self.alloc(File {
            span: Span::new(package, end.max(package)),
            package,
            name,
            decls,
            node_count: self.next_id,
            bodies_skipped: self.skip_bodies,
        })
    }
}

fn is_type_elem(x: Expr<'_>) -> bool {
    match x {
        Expr::ArrayType(_)
        | Expr::StructType(_)
        | Expr::FuncType(_)
        | Expr::InterfaceType(_)
        | Expr::MapType(_)
        | Expr::ChanType(_) => true,
        Expr::Binary(b) => is_type_elem(b.x) || is_type_elem(b.y),
        Expr::Unary(u) => u.op == Tok::Tilde,
        Expr::Paren(p) => is_type_elem(p.x),
        _ => false,
    }
}
