//! The context a rule works in: one target file of a checked program.

use crate::diagnostic::{Diagnostic, Fix, Label, Loc};
use crate::registry::RuleMeta;
use mapvet_semantic::cfg::{self, Cfg, FuncBody};
use mapvet_semantic::check::Checker;
use mapvet_semantic::objects::{ObjId, ObjKind, VarKind};
use mapvet_semantic::types::TypeId;
use mapvet_syntax::ast::{self, Expr};
use mapvet_syntax::Span;

pub struct FileCx<'c, 'a> {
    /// The checked program (types, objects, every file).
    pub c: &'c mut Checker<'a>,
    /// Index of the file being checked in `c.files`.
    pub file: u32,
    pub ast: &'a ast::File<'a>,
    pub src: &'a [u8],
    /// The rule running now (diagnostics take their code, name and severity from it).
    pub current: &'static RuleMeta,
    pub diagnostics: Vec<Diagnostic>,
    funcs: Option<Vec<FuncBody<'a>>>,
}

impl<'c, 'a> FileCx<'c, 'a> {
    pub fn new(c: &'c mut Checker<'a>, file: u32) -> FileCx<'c, 'a> {
        let ast = c.files[file as usize].ast;
        let src = c.files[file as usize].src;
        FileCx {
            c,
            file,
            ast,
            src,
            current: crate::RULES[0].meta,
            diagnostics: Vec::new(),
            funcs: None,
        }
    }

    // -- Types and objects ---------------------------------------------------------------

    /// The type the checker recorded for `e` (Unknown if none).
    pub fn type_of(&self, e: Expr<'_>) -> TypeId {
        self.type_of_id(e.id())
    }

    pub fn type_of_id(&self, id: ast::NodeId) -> TypeId {
        self.c.infos[self.file as usize]
            .expr_types
            .get(id.index())
            .copied()
            .unwrap_or(TypeId::UNKNOWN)
    }

    /// The object an identifier denotes (definition or use).
    pub fn obj_of(&self, id: &ast::Ident<'_>) -> Option<ObjId> {
        self.c.infos[self.file as usize]
            .ident_objs
            .get(id.id.index())
            .copied()
            .filter(|o| !o.is_none())
    }

    /// The object `e` denotes when it is an identifier or a selector `x.f` (field, method or
    /// package member), through parentheses.
    pub fn obj_of_expr(&self, e: Expr<'_>) -> Option<ObjId> {
        match e.unparen() {
            Expr::Ident(i) => self.obj_of(i),
            Expr::Selector(s) => self.obj_of(s.sel),
            _ => None,
        }
    }

    pub fn obj_type(&mut self, o: ObjId) -> TypeId {
        self.c.obj_type_pub(o)
    }

    pub fn obj_name(&self, o: ObjId) -> &str {
        self.c.obj(o).name
    }

    /// A local variable, parameter, result or receiver (not a field, not package-level).
    pub fn is_local_var(&self, o: ObjId) -> bool {
        let ob = self.c.obj(o);
        ob.is_var() && !ob.package_level && ob.kind != ObjKind::Var(VarKind::Field)
    }

    pub fn var_kind(&self, o: ObjId) -> Option<VarKind> {
        match self.c.obj(o).kind {
            ObjKind::Var(k) => Some(k),
            _ => None,
        }
    }

    /// The map type's or a type whose core type is a map.
    pub fn is_map(&self, t: TypeId) -> bool {
        self.c.types.is_map(t)
    }

    pub fn is_ptr_to_map(&self, t: TypeId) -> bool {
        self.c.types.is_ptr_to_map(t)
    }

    /// Renders a type for a message (`map[string]int`, `Config`, ...).
    pub fn type_string(&self, t: TypeId) -> String {
        let c = &*self.c;
        c.types.display(t, &|o| c.obj_name(o))
    }

    // -- Source text ---------------------------------------------------------------------

    pub fn text(&self, span: Span) -> &'a str {
        let s = self.src;
        std::str::from_utf8(&s[span.start as usize..(span.end as usize).min(s.len())]).unwrap_or("")
    }

    /// The source text of an expression, shortened for messages.
    pub fn expr_text(&self, e: Expr<'_>) -> String {
        let t = self.text(e.span());
        if t.len() > 60 {
            format!(
                "{}…",
                &t[..t.char_indices().nth(57).map_or(t.len(), |(i, _)| i)]
            )
        } else {
            t.to_string()
        }
    }

    pub fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    // -- Functions and control flow --------------------------------------------------------

    /// Every function body of the file (declarations and literals), see
    /// `cfg::file_functions`.
    pub fn functions(&mut self) -> &[FuncBody<'a>] {
        if self.funcs.is_none() {
            self.funcs = Some(cfg::file_functions(self.ast));
        }
        self.funcs.as_deref().unwrap_or(&[])
    }

    /// Builds the CFG of a function body (calls that never return are recognised
    /// syntactically).
    pub fn cfg(&self, body: &'a ast::BlockStmt<'a>) -> Cfg<'a> {
        Cfg::build_default(body)
    }

    // -- Reporting -----------------------------------------------------------------------

    /// Reports a diagnostic of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let m = self.current;
        self.diagnostics.push(Diagnostic {
            code: m.code,
            name: m.name,
            severity: m.severity,
            loc: self.loc(span),
            message: message.into(),
            labels: Vec::new(),
            help: None,
            fix: None,
        });
        self.diagnostics.last_mut().expect("just pushed")
    }
}

impl Diagnostic {
    pub fn label(&mut self, loc: Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.labels.push(Label {
            loc,
            message: message.into(),
        });
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Diagnostic {
        self.fix = Some(fix);
        self
    }
}
