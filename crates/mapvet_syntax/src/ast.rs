//! The typed Go AST. Nodes live in a bump arena and refer to each other by `&'a` reference;
//! the shapes mirror `go/ast` node for node (so the canonical dump can be compared with
//! go/parser's). Every expression node and identifier carries a [`NodeId`], dense per file, that
//! the semantic model uses to index side tables (types, objects).

use crate::token::Tok;
use crate::Span;

/// Per-file node id of an expression (identifiers included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An identifier: 24 bytes (the most common node by far), its end is `pos + name.len()`.
#[derive(Debug)]
pub struct Ident<'a> {
    pub id: NodeId,
    /// Offset of its first byte.
    pub pos: u32,
    pub name: &'a str,
}

impl Ident<'_> {
    #[inline]
    pub fn is_blank(&self) -> bool {
        self.name == "_"
    }

    /// Its span, `pos .. pos + name.len()` (as go/ast's `Ident.End()`).
    #[inline]
    pub fn span(&self) -> Span {
        Span::new(self.pos, self.pos + self.name.len() as u32)
    }
}

#[derive(Debug)]
pub struct BadExpr {
    pub id: NodeId,
    pub span: Span,
}

/// INT, FLOAT, IMAG, CHAR or STRING literal; `value` is the source text.
#[derive(Debug)]
pub struct BasicLit<'a> {
    pub id: NodeId,
    pub span: Span,
    pub kind: Tok,
    pub value: &'a str,
}

#[derive(Debug)]
pub struct CompositeLit<'a> {
    pub id: NodeId,
    pub span: Span,
    pub ty: Option<Expr<'a>>,
    pub lbrace: u32,
    pub elts: &'a [Expr<'a>],
}

#[derive(Debug)]
pub struct FuncLit<'a> {
    pub id: NodeId,
    pub span: Span,
    pub ty: &'a FuncType<'a>,
    pub body: &'a BlockStmt<'a>,
}

#[derive(Debug)]
pub struct ParenExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
}

#[derive(Debug)]
pub struct SelectorExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
    pub sel: &'a Ident<'a>,
}

/// `x[index]` (go/ast `IndexExpr`).
#[derive(Debug)]
pub struct IndexExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
    pub lbrack: u32,
    pub index: Expr<'a>,
}

/// `x[a, b, ...]`: an instantiation with several type arguments (go/ast `IndexListExpr`).
#[derive(Debug)]
pub struct IndexListExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
    pub lbrack: u32,
    pub indices: &'a [Expr<'a>],
}

#[derive(Debug)]
pub struct SliceExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
    pub lbrack: u32,
    pub low: Option<Expr<'a>>,
    pub high: Option<Expr<'a>>,
    pub max: Option<Expr<'a>>,
    pub slice3: bool,
}

/// `x.(T)`; `ty` is `None` for `x.(type)` in a type switch guard.
#[derive(Debug)]
pub struct TypeAssertExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
    pub ty: Option<Expr<'a>>,
}

#[derive(Debug)]
pub struct CallExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub fun: Expr<'a>,
    pub lparen: u32,
    pub args: &'a [Expr<'a>],
    /// Offset of a trailing `...` (`f(xs...)`).
    pub ellipsis: Option<u32>,
}

/// `*x`: a dereference or a pointer type.
#[derive(Debug)]
pub struct StarExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
}

/// Unary `+ - ! ^ & <- ~` (and `range x` only inside the parser).
#[derive(Debug)]
pub struct UnaryExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub op: Tok,
    pub x: Expr<'a>,
}

#[derive(Debug)]
pub struct BinaryExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub x: Expr<'a>,
    pub op_pos: u32,
    pub op: Tok,
    pub y: Expr<'a>,
}

#[derive(Debug)]
pub struct KeyValueExpr<'a> {
    pub id: NodeId,
    pub span: Span,
    pub key: Expr<'a>,
    pub value: Expr<'a>,
}

/// `...T` in a parameter list, or `...` as an array length (`elt` is `None`).
#[derive(Debug)]
pub struct Ellipsis<'a> {
    pub id: NodeId,
    pub span: Span,
    pub elt: Option<Expr<'a>>,
}

/// `[N]T`, `[...]T`, or `[]T` (`len` is `None`).
#[derive(Debug)]
pub struct ArrayType<'a> {
    pub id: NodeId,
    pub span: Span,
    pub len: Option<Expr<'a>>,
    pub elt: Expr<'a>,
}

#[derive(Debug)]
pub struct StructType<'a> {
    pub id: NodeId,
    pub span: Span,
    pub fields: &'a FieldList<'a>,
}

/// A function signature. `span` starts at `func` when there is one (function types,
/// literals and declarations), at the parameters otherwise (interface methods).
#[derive(Debug)]
pub struct FuncType<'a> {
    pub id: NodeId,
    pub span: Span,
    pub type_params: Option<&'a FieldList<'a>>,
    pub params: &'a FieldList<'a>,
    pub results: Option<&'a FieldList<'a>>,
}

#[derive(Debug)]
pub struct InterfaceType<'a> {
    pub id: NodeId,
    pub span: Span,
    pub methods: &'a FieldList<'a>,
}

#[derive(Debug)]
pub struct MapType<'a> {
    pub id: NodeId,
    pub span: Span,
    pub key: Expr<'a>,
    pub value: Expr<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

#[derive(Debug)]
pub struct ChanType<'a> {
    pub id: NodeId,
    pub span: Span,
    pub arrow: Option<u32>,
    pub dir: ChanDir,
    pub value: Expr<'a>,
}

#[derive(Clone, Copy, Debug)]
pub enum Expr<'a> {
    Bad(&'a BadExpr),
    Ident(&'a Ident<'a>),
    BasicLit(&'a BasicLit<'a>),
    CompositeLit(&'a CompositeLit<'a>),
    FuncLit(&'a FuncLit<'a>),
    Paren(&'a ParenExpr<'a>),
    Selector(&'a SelectorExpr<'a>),
    Index(&'a IndexExpr<'a>),
    IndexList(&'a IndexListExpr<'a>),
    Slice(&'a SliceExpr<'a>),
    TypeAssert(&'a TypeAssertExpr<'a>),
    Call(&'a CallExpr<'a>),
    Star(&'a StarExpr<'a>),
    Unary(&'a UnaryExpr<'a>),
    Binary(&'a BinaryExpr<'a>),
    KeyValue(&'a KeyValueExpr<'a>),
    Ellipsis(&'a Ellipsis<'a>),
    ArrayType(&'a ArrayType<'a>),
    StructType(&'a StructType<'a>),
    FuncType(&'a FuncType<'a>),
    InterfaceType(&'a InterfaceType<'a>),
    MapType(&'a MapType<'a>),
    ChanType(&'a ChanType<'a>),
}

impl<'a> Expr<'a> {
    #[inline]
    pub fn span(&self) -> Span {
        match self {
            Expr::Bad(x) => x.span,
            Expr::Ident(x) => x.span(),
            Expr::BasicLit(x) => x.span,
            Expr::CompositeLit(x) => x.span,
            Expr::FuncLit(x) => x.span,
            Expr::Paren(x) => x.span,
            Expr::Selector(x) => x.span,
            Expr::Index(x) => x.span,
            Expr::IndexList(x) => x.span,
            Expr::Slice(x) => x.span,
            Expr::TypeAssert(x) => x.span,
            Expr::Call(x) => x.span,
            Expr::Star(x) => x.span,
            Expr::Unary(x) => x.span,
            Expr::Binary(x) => x.span,
            Expr::KeyValue(x) => x.span,
            Expr::Ellipsis(x) => x.span,
            Expr::ArrayType(x) => x.span,
            Expr::StructType(x) => x.span,
            Expr::FuncType(x) => x.span,
            Expr::InterfaceType(x) => x.span,
            Expr::MapType(x) => x.span,
            Expr::ChanType(x) => x.span,
        }
    }

    #[inline]
    pub fn id(&self) -> NodeId {
        match self {
            Expr::Bad(x) => x.id,
            Expr::Ident(x) => x.id,
            Expr::BasicLit(x) => x.id,
            Expr::CompositeLit(x) => x.id,
            Expr::FuncLit(x) => x.id,
            Expr::Paren(x) => x.id,
            Expr::Selector(x) => x.id,
            Expr::Index(x) => x.id,
            Expr::IndexList(x) => x.id,
            Expr::Slice(x) => x.id,
            Expr::TypeAssert(x) => x.id,
            Expr::Call(x) => x.id,
            Expr::Star(x) => x.id,
            Expr::Unary(x) => x.id,
            Expr::Binary(x) => x.id,
            Expr::KeyValue(x) => x.id,
            Expr::Ellipsis(x) => x.id,
            Expr::ArrayType(x) => x.id,
            Expr::StructType(x) => x.id,
            Expr::FuncType(x) => x.id,
            Expr::InterfaceType(x) => x.id,
            Expr::MapType(x) => x.id,
            Expr::ChanType(x) => x.id,
        }
    }

    /// The expression with all enclosing parentheses removed (`ast.Unparen`).
    pub fn unparen(self) -> Expr<'a> {
        let mut e = self;
        while let Expr::Paren(p) = e {
            e = p.x;
        }
        e
    }

    pub fn as_ident(&self) -> Option<&'a Ident<'a>> {
        match *self {
            Expr::Ident(i) => Some(i),
            _ => None,
        }
    }
}

/// A parameter, result, struct field, or interface element.
#[derive(Debug)]
pub struct Field<'a> {
    pub span: Span,
    pub names: &'a [&'a Ident<'a>],
    pub ty: Expr<'a>,
    pub tag: Option<&'a BasicLit<'a>>,
}

/// A list of fields; `opening`/`closing` are the offsets of the delimiters when present.
#[derive(Debug)]
pub struct FieldList<'a> {
    pub span: Span,
    pub opening: Option<u32>,
    pub list: &'a [&'a Field<'a>],
    pub closing: Option<u32>,
}

impl FieldList<'_> {
    /// Number of parameters/fields, counting each name.
    pub fn num_fields(&self) -> usize {
        self.list.iter().map(|f| f.names.len().max(1)).sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Statements

#[derive(Debug)]
pub struct BadStmt {
    pub span: Span,
}

#[derive(Debug)]
pub struct DeclStmt<'a> {
    pub span: Span,
    pub decl: Decl<'a>,
}

#[derive(Debug)]
pub struct EmptyStmt {
    pub span: Span,
    /// The semicolon was inserted (newline / before `}`), not written.
    pub implicit: bool,
}

#[derive(Debug)]
pub struct LabeledStmt<'a> {
    pub span: Span,
    pub label: &'a Ident<'a>,
    pub stmt: Stmt<'a>,
}

#[derive(Debug)]
pub struct ExprStmt<'a> {
    pub span: Span,
    pub x: Expr<'a>,
}

#[derive(Debug)]
pub struct SendStmt<'a> {
    pub span: Span,
    pub chan: Expr<'a>,
    pub arrow: u32,
    pub value: Expr<'a>,
}

#[derive(Debug)]
pub struct IncDecStmt<'a> {
    pub span: Span,
    pub x: Expr<'a>,
    pub tok: Tok,
}

#[derive(Debug)]
pub struct AssignStmt<'a> {
    pub span: Span,
    pub lhs: &'a [Expr<'a>],
    pub tok_pos: u32,
    pub tok: Tok,
    pub rhs: &'a [Expr<'a>],
}

#[derive(Debug)]
pub struct GoStmt<'a> {
    pub span: Span,
    pub call: &'a CallExpr<'a>,
}

#[derive(Debug)]
pub struct DeferStmt<'a> {
    pub span: Span,
    pub call: &'a CallExpr<'a>,
}

#[derive(Debug)]
pub struct ReturnStmt<'a> {
    pub span: Span,
    pub results: &'a [Expr<'a>],
}

/// `break`, `continue`, `goto`, `fallthrough`.
#[derive(Debug)]
pub struct BranchStmt<'a> {
    pub span: Span,
    pub tok: Tok,
    pub label: Option<&'a Ident<'a>>,
}

#[derive(Debug)]
pub struct BlockStmt<'a> {
    pub span: Span,
    pub list: &'a [Stmt<'a>],
}

#[derive(Debug)]
pub struct IfStmt<'a> {
    pub span: Span,
    pub init: Option<Stmt<'a>>,
    pub cond: Expr<'a>,
    pub body: &'a BlockStmt<'a>,
    pub else_: Option<Stmt<'a>>,
}

/// A `case`/`default` clause of an expression or type switch; `list` is empty for `default`.
#[derive(Debug)]
pub struct CaseClause<'a> {
    pub span: Span,
    pub is_default: bool,
    pub list: &'a [Expr<'a>],
    pub colon: u32,
    pub body: &'a [Stmt<'a>],
}

#[derive(Debug)]
pub struct SwitchStmt<'a> {
    pub span: Span,
    pub init: Option<Stmt<'a>>,
    pub tag: Option<Expr<'a>>,
    /// A block of `Stmt::CaseClause`.
    pub body: &'a BlockStmt<'a>,
}

#[derive(Debug)]
pub struct TypeSwitchStmt<'a> {
    pub span: Span,
    pub init: Option<Stmt<'a>>,
    /// `x := y.(type)` (an `AssignStmt`) or `y.(type)` (an `ExprStmt`).
    pub assign: Stmt<'a>,
    pub body: &'a BlockStmt<'a>,
}

/// A `case`/`default` clause of a select; `comm` is `None` for `default`.
#[derive(Debug)]
pub struct CommClause<'a> {
    pub span: Span,
    pub comm: Option<Stmt<'a>>,
    pub colon: u32,
    pub body: &'a [Stmt<'a>],
}

#[derive(Debug)]
pub struct SelectStmt<'a> {
    pub span: Span,
    /// A block of `Stmt::CommClause`.
    pub body: &'a BlockStmt<'a>,
}

#[derive(Debug)]
pub struct ForStmt<'a> {
    pub span: Span,
    pub init: Option<Stmt<'a>>,
    pub cond: Option<Expr<'a>>,
    pub post: Option<Stmt<'a>>,
    pub body: &'a BlockStmt<'a>,
}

/// `for k, v := range x`. `tok` is `Define`, `Assign`, or `Illegal` when there is no key.
#[derive(Debug)]
pub struct RangeStmt<'a> {
    pub span: Span,
    pub key: Option<Expr<'a>>,
    pub value: Option<Expr<'a>>,
    pub tok_pos: u32,
    pub tok: Tok,
    pub range_pos: u32,
    pub x: Expr<'a>,
    pub body: &'a BlockStmt<'a>,
}

#[derive(Clone, Copy, Debug)]
pub enum Stmt<'a> {
    Bad(&'a BadStmt),
    Decl(&'a DeclStmt<'a>),
    Empty(&'a EmptyStmt),
    Labeled(&'a LabeledStmt<'a>),
    Expr(&'a ExprStmt<'a>),
    Send(&'a SendStmt<'a>),
    IncDec(&'a IncDecStmt<'a>),
    Assign(&'a AssignStmt<'a>),
    Go(&'a GoStmt<'a>),
    Defer(&'a DeferStmt<'a>),
    Return(&'a ReturnStmt<'a>),
    Branch(&'a BranchStmt<'a>),
    Block(&'a BlockStmt<'a>),
    If(&'a IfStmt<'a>),
    CaseClause(&'a CaseClause<'a>),
    Switch(&'a SwitchStmt<'a>),
    TypeSwitch(&'a TypeSwitchStmt<'a>),
    CommClause(&'a CommClause<'a>),
    Select(&'a SelectStmt<'a>),
    For(&'a ForStmt<'a>),
    Range(&'a RangeStmt<'a>),
}

impl Stmt<'_> {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Bad(s) => s.span,
            Stmt::Decl(s) => s.span,
            Stmt::Empty(s) => s.span,
            Stmt::Labeled(s) => s.span,
            Stmt::Expr(s) => s.span,
            Stmt::Send(s) => s.span,
            Stmt::IncDec(s) => s.span,
            Stmt::Assign(s) => s.span,
            Stmt::Go(s) => s.span,
            Stmt::Defer(s) => s.span,
            Stmt::Return(s) => s.span,
            Stmt::Branch(s) => s.span,
            Stmt::Block(s) => s.span,
            Stmt::If(s) => s.span,
            Stmt::CaseClause(s) => s.span,
            Stmt::Switch(s) => s.span,
            Stmt::TypeSwitch(s) => s.span,
            Stmt::CommClause(s) => s.span,
            Stmt::Select(s) => s.span,
            Stmt::For(s) => s.span,
            Stmt::Range(s) => s.span,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Declarations

#[derive(Debug)]
pub struct ImportSpec<'a> {
    pub span: Span,
    /// Local name: an identifier, `.` or `_`.
    pub name: Option<&'a Ident<'a>>,
    pub path: &'a BasicLit<'a>,
}

#[derive(Debug)]
pub struct ValueSpec<'a> {
    pub span: Span,
    pub names: &'a [&'a Ident<'a>],
    pub ty: Option<Expr<'a>>,
    pub values: &'a [Expr<'a>],
}

#[derive(Debug)]
pub struct TypeSpec<'a> {
    pub span: Span,
    pub name: &'a Ident<'a>,
    pub type_params: Option<&'a FieldList<'a>>,
    /// Offset of `=` for an alias declaration.
    pub assign: Option<u32>,
    pub ty: Expr<'a>,
}

#[derive(Clone, Copy, Debug)]
pub enum Spec<'a> {
    Import(&'a ImportSpec<'a>),
    Value(&'a ValueSpec<'a>),
    Type(&'a TypeSpec<'a>),
}

/// `import`, `const`, `type` or `var` declaration, parenthesized or not.
#[derive(Debug)]
pub struct GenDecl<'a> {
    pub span: Span,
    pub tok: Tok,
    pub lparen: Option<u32>,
    pub specs: &'a [Spec<'a>],
}

#[derive(Debug)]
pub struct FuncDecl<'a> {
    pub span: Span,
    pub recv: Option<&'a FieldList<'a>>,
    pub name: &'a Ident<'a>,
    /// Signature; its span starts at `func`, its `type_params` are the function's.
    pub ty: &'a FuncType<'a>,
    pub body: Option<&'a BlockStmt<'a>>,
}

#[derive(Clone, Copy, Debug)]
pub enum Decl<'a> {
    Bad(Span),
    Gen(&'a GenDecl<'a>),
    Func(&'a FuncDecl<'a>),
}

impl Decl<'_> {
    pub fn span(&self) -> Span {
        match self {
            Decl::Bad(s) => *s,
            Decl::Gen(d) => d.span,
            Decl::Func(d) => d.span,
        }
    }
}

/// A source file. When the package clause itself is broken, `name` is `_` and `decls` empty.
#[derive(Debug)]
pub struct File<'a> {
    /// From `package` to the end of the last declaration.
    pub span: Span,
    pub package: u32,
    pub name: &'a Ident<'a>,
    pub decls: &'a [Decl<'a>],
    /// Number of node ids handed out in this file (ids are `0..node_count`).
    pub node_count: u32,
    /// Parsed by [`crate::parse_file_decls`]: function bodies and composite literal contents
    /// were skipped (every function declaration's `body` is `None` whether it has one or
    /// not), and only what was parsed was checked for syntax errors.
    pub bodies_skipped: bool,
}

impl<'a> File<'a> {
    /// The import declarations' specs, in order.
    pub fn imports(&self) -> impl Iterator<Item = &'a ImportSpec<'a>> + '_ {
        self.decls
            .iter()
            .filter_map(|d| match d {
                Decl::Gen(g) if g.tok == Tok::Import => Some(g.specs),
                _ => None,
            })
            .flatten()
            .filter_map(|s| match s {
                Spec::Import(i) => Some(*i),
                _ => None,
            })
    }
}
