//! Go syntax for mapvet: spans and line index, a lexer with automatic semicolon insertion,
//! an arena-allocated typed AST and a hand-written recursive-descent parser.
//!
//! **Architecture invariant:** parsing never fails and never panics. [`parse_file`] always
//! returns a tree plus the list of syntax errors (empty when go/parser would accept the file).

pub mod ast;
pub mod dump;
pub mod lexer;
pub mod line_index;
mod parser;
pub mod token;
pub mod visit;

pub use bumpalo::Bump;
pub use line_index::LineIndex;

/// A half-open byte range `[start, end)` in one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    #[inline]
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }
    #[inline]
    pub fn len(self) -> u32 {
        self.end - self.start
    }
    #[inline]
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    #[inline]
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start, other.end)
    }
}

/// A syntax error at a byte offset, with go/parser's wording where it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: u32,
    pub msg: String,
}

/// A comment: `//...` (without the line end) or `/*...*/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
}

/// The result of parsing one file. The tree lives in the arena passed to [`parse_file`].
pub struct ParsedFile<'a> {
    pub file: &'a ast::File<'a>,
    /// Every comment of the file, in source order.
    pub comments: Vec<Comment>,
    /// Syntax errors sorted by offset (lexer and parser errors together). Empty means the file
    /// is valid Go, exactly when go/parser accepts it.
    pub errors: Vec<SyntaxError>,
}

/// Parses one Go source file. Never fails and never panics.
pub fn parse_file<'a>(arena: &'a Bump, src: &'a [u8]) -> ParsedFile<'a> {
    parser::parse(arena, src, Some(src), false)
}

/// Parses one Go source file's declarations only, for the dependencies of the code being
/// checked (nothing looks at their statements): a fraction of the memory and time of
/// [`parse_file`]. Skipped unparsed, their braces matched past strings, runes and comments:
/// - the bodies of function declarations (every `FuncDecl::body` is `None`, whether the
///   function has one or not; [`ast::File::bodies_skipped`] says so);
/// - the bodies of function literals (an empty `BlockStmt` with the body's span);
/// - the elements of composite literals (empty `elts`; a `[...]T{...}` literal's too: the
///   checker does not compute array lengths).
///
/// Everything else (imports, types, signatures, constants, package-level variables and their
/// initializers' other expressions) is parsed exactly as by [`parse_file`]. Syntax errors,
/// comments and node ids are those of what was parsed.
///
/// The tree does not borrow `src`: identifiers and literals are copied into the arena (a
/// declarations-only tree names a small part of its source), so the source can be freed
/// as soon as the parse returns.
pub fn parse_file_decls<'a>(arena: &'a Bump, src: &[u8]) -> ParsedFile<'a> {
    parser::parse(arena, src, None, true)
}
