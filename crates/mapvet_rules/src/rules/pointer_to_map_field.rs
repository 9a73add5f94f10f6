//! `MP002` `pointer-to-map-field`.

use crate::context::FileCx;
use crate::params::{is_builtin_call, is_nil, obj_in, Targets, UseKind, UseWalker};
use mapvet_semantic::check::Checker;
use mapvet_semantic::objects::{Builtin, ObjId};
use mapvet_semantic::types::TypeId;
use mapvet_syntax::ast::{self, Decl, Expr, Spec};
use mapvet_syntax::token::Tok;
use mapvet_syntax::visit::{self, Visitor};

declare_rule! {
    /// ## What it does
    /// Finds a struct field of type `*map[K]V` (also through defined types) that the package
    /// only ever dereferences to index, range over or take the length of.
    ///
    /// ## Why is this bad?
    /// A map value already refers to a shared hash table: copies of the struct, and everyone
    /// holding the map, see the same entries. The pointer adds an indirection, a possible nil
    /// pointer dereference (`panic: runtime error: invalid memory address or nil pointer
    /// dereference`) and `(*s.f)[k]` noise at every use.
    ///
    /// The pointer is needed, and nothing is reported, when: the map is replaced as a whole
    /// through it (`*s.f = ...`); the field is set to the address of another variable or field
    /// (`s.f = &cfg.m`, aliasing on purpose, e.g. to follow a map replaced on reload) or to any
    /// pointer that comes from elsewhere; the pointer is compared with another pointer, passed
    /// on, returned or stored elsewhere; or the field has an encoding tag (`json`, `yaml`,
    /// `toml`, `xml`, `bson`, `msgpack`, `mapstructure`, `protobuf`, `hcl`, `ini`, `csv`,
    /// `cbor`, `avro`, `asn1`, `db`: for encoders a nil pointer means "absent", unlike an empty
    /// map). Other tags (`validate:"required"`, `help:"..."`) do not make the pointer needed.
    /// Setting the field to a fresh `new(map[K]V)` or `&map[K]V{}` and comparing it with nil
    /// are fine.
    ///
    /// Exported fields of exported types may be used by other packages, which mapvet does not
    /// see: they are not reported (a field is reported when it is unexported, or its struct
    /// type is unexported, or the package is `main`). Every file of the package is searched for
    /// uses. Struct types in `type` declarations and in the types of `var` declarations are
    /// inspected, at package level and inside function bodies (where the same rule about
    /// exported fields holds: reflection-based code such as encoders may set them); anonymous
    /// struct types elsewhere (literals, signatures) are not.
    ///
    /// ## Example
    /// ```go
    /// type cache struct {
    ///     entries *map[string][]byte
    /// }
    ///
    /// func (c *cache) get(k string) []byte { return (*c.entries)[k] }
    /// func (c *cache) put(k string, v []byte) { (*c.entries)[k] = v }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// type cache struct {
    ///     entries map[string][]byte
    /// }
    ///
    /// func (c *cache) get(k string) []byte { return c.entries[k] }
    /// func (c *cache) put(k string, v []byte) { c.entries[k] = v }
    /// ```
    META { code: "MP002", name: "pointer-to-map-field", severity: Hint,
           summary: "pointer-to-map struct field only used to index, range or take the length: store the map",
           fixable: false }
}

struct Candidate<'a> {
    field: ObjId,
    name: &'a ast::Ident<'a>,
    owner: Option<&'a str>,
    ty: TypeId,
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    let cands = candidates(cx);
    if cands.is_empty() {
        return;
    }
    let fields: Vec<ObjId> = cands.iter().map(|c| c.field).collect();
    let needed = needed_fields(cx.c, cx.file, &fields);
    for (i, c) in cands.iter().enumerate() {
        if needed[i] {
            continue;
        }
        let ty = cx.type_string(c.ty);
        let elem = cx.c.types.pointer_elem(c.ty).unwrap_or(TypeId::UNKNOWN);
        let elem_s = cx.type_string(elem);
        let name = c.name.name;
        let owner = c.owner.map_or_else(String::new, |o| format!(" of `{o}`"));
        let msg = format!(
            "field `{name}`{owner} has type `{ty}`, but the package only dereferences it to \
             index, range over or take the length of the map, never replaces the map through it \
             nor shares the pointer: a field of type `{elem_s}` does the same (a map value already \
             refers to a shared table) without the indirection and the possible nil dereference"
        );
        cx.report(c.name.span(), msg).help(format!(
            "declare `{name} {elem_s}` and write `x.{name}[k]` instead of `(*x.{name})[k]`"
        ));
    }
}

/// The `*map[K]V` fields declared in this file that other packages cannot use.
fn candidates<'a>(cx: &FileCx<'_, 'a>) -> Vec<Candidate<'a>> {
    struct Finder<'x, 'c, 'a> {
        c: &'x Checker<'c>,
        file: u32,
        exported: bool,
        owner: Option<&'a str>,
        out: Vec<Candidate<'a>>,
    }
    impl<'a> Visitor<'a> for Finder<'_, '_, 'a> {
        fn visit_expr(&mut self, e: Expr<'a>) -> bool {
            let Expr::StructType(st) = e else { return true };
            for f in st.fields.list {
                if f.tag.is_some_and(|t| has_encoding_tag(t.value)) {
                    continue;
                }
                for &n in f.names {
                    if n.is_blank() || (self.exported && ast_exported(n.name)) {
                        continue;
                    }
                    let Some(o) = obj_in(self.c, self.file, n) else {
                        continue;
                    };
                    let t = self.c.obj(o).ty;
                    if t.is_unknown() || !self.c.types.is_ptr_to_map(t) {
                        continue;
                    }
                    self.out.push(Candidate {
                        field: o,
                        name: n,
                        owner: self.owner,
                        ty: t,
                    });
                }
            }
            true
        }
    }
    let main = cx.ast.name.name == "main";
    let mut f = Finder {
        c: &*cx.c,
        file: cx.file,
        exported: false,
        owner: None,
        out: Vec::new(),
    };
    /// The `type` and `var` declarations inside function bodies (function literals
    /// included): their types are never visible outside the package.
    struct Local<'x, 'y, 'c, 'a> {
        f: &'x mut Finder<'y, 'c, 'a>,
    }
    impl<'a> Visitor<'a> for Local<'_, '_, '_, 'a> {
        fn visit_stmt(&mut self, s: ast::Stmt<'a>) -> bool {
            if let ast::Stmt::Decl(d) = s {
                if let Decl::Gen(g) = d.decl {
                    // Exported fields of an exported-looking local type are left alone like
                    // those of package-level types: code that sees the value only through
                    // reflection (encoders, `FillNil(&v)` helpers) may set them.
                    gen_decl(self.f, g, true);
                }
            }
            true
        }
    }
    fn gen_decl<'a>(f: &mut Finder<'_, '_, 'a>, g: &'a ast::GenDecl<'a>, visible: bool) {
        for spec in g.specs {
            match spec {
                Spec::Import(_) => {}
                Spec::Type(ts) => {
                    f.exported = visible && ast_exported(ts.name.name);
                    f.owner = Some(ts.name.name);
                    visit::walk_expr(f, ts.ty);
                }
                Spec::Value(vs) => {
                    f.exported = visible && vs.names.iter().any(|n| ast_exported(n.name));
                    f.owner = None;
                    if let Some(t) = vs.ty {
                        visit::walk_expr(f, t);
                    }
                }
            }
        }
    }
    for d in cx.ast.decls {
        match *d {
            // Anonymous structs in signatures are not inspected.
            Decl::Bad(_) => {}
            Decl::Func(fd) => {
                if let Some(b) = fd.body {
                    visit::walk_stmt(&mut Local { f: &mut f }, ast::Stmt::Block(b));
                }
            }
            Decl::Gen(g) => {
                gen_decl(&mut f, g, !main);
                // Function literals in package-level initializers.
                for spec in g.specs {
                    if let Spec::Value(vs) = spec {
                        for &v in vs.values {
                            visit::walk_expr(&mut Local { f: &mut f }, v);
                        }
                    }
                }
            }
        }
    }
    f.out
}

/// Struct tag keys of encoders for which a nil map pointer ("absent") differs from an empty
/// map. `db` covers sqlx-like row scanners.
const ENCODING_TAGS: &[&str] = &[
    "json",
    "yaml",
    "toml",
    "xml",
    "bson",
    "msgpack",
    "mapstructure",
    "protobuf",
    "protobuf_key",
    "protobuf_val",
    "hcl",
    "ini",
    "csv",
    "cbor",
    "avro",
    "asn1",
    "db",
];

/// Does the tag literal (as written, quoted) hold a key of an encoder? A tag that cannot be
/// read in the conventional `key:"value"` form counts as one (it may be meant for an encoder).
fn has_encoding_tag(lit: &str) -> bool {
    let Some(tag) = mapvet_semantic::load::header::unquote(lit.as_bytes()) else {
        return true;
    };
    let mut rest = tag.as_str();
    loop {
        rest = rest.trim_start_matches(' ');
        if rest.is_empty() {
            return false;
        }
        // As reflect.StructTag.Lookup: a key up to ':', then a quoted value.
        let key_end = rest
            .find(|c: char| c <= ' ' || c == ':' || c == '"' || c == '\x7f')
            .unwrap_or(rest.len());
        if key_end == 0 || !rest[key_end..].starts_with(":\"") {
            return true;
        }
        let key = &rest[..key_end];
        let value = &rest[key_end + 2..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in value.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return true;
        };
        if ENCODING_TAGS.contains(&key) {
            return true;
        }
        rest = &value[end + 1..];
    }
}

fn ast_exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// For each field: whether some use in the package needs the pointer (or there is no
/// dereference at all, or the package could not be walked completely).
fn needed_fields(c: &Checker<'_>, file: u32, fields: &[ObjId]) -> Vec<bool> {
    let mut needed = vec![false; fields.len()];
    let mut derefs = vec![0u32; fields.len()];
    let pkg = c.obj(fields[0]).pkg.map(|p| p.0 as usize);
    let files: Vec<u32> = match pkg.and_then(|p| c.pkgs.get(p)) {
        Some(p) => p.desc.files.clone(),
        None => vec![file],
    };
    for f in files {
        let info = &c.infos[f as usize];
        if !info.recording {
            continue;
        }
        let sf = &c.files[f as usize];
        if sf.has_errors {
            // A partial tree may hide uses.
            return vec![true; fields.len()];
        }
        let mut w = UseWalker::new(c, f, Targets::Fields(fields));
        for d in sf.ast.decls {
            match *d {
                Decl::Bad(_) => {}
                Decl::Func(fd) => {
                    if let Some(b) = fd.body {
                        w.block(b);
                    }
                }
                Decl::Gen(g) => {
                    for spec in g.specs {
                        if let Spec::Value(vs) = spec {
                            for &v in vs.values {
                                w.expr(v);
                            }
                        }
                    }
                }
            }
        }
        if w.overflow {
            return vec![true; fields.len()];
        }
        for u in &w.uses {
            let ok = match (u.deref, u.kind) {
                (true, UseKind::Store | UseKind::Read | UseKind::Len | UseKind::NilCmp) => {
                    derefs[u.target] += 1;
                    true
                }
                (false, UseKind::NilCmp) => true,
                (false, UseKind::Assign { rhs: Some(v), .. }) => fresh_pointer(c, f, v),
                _ => false,
            };
            if !ok {
                needed[u.target] = true;
            }
        }
    }
    for (i, n) in needed.iter_mut().enumerate() {
        if derefs[i] == 0 {
            *n = true;
        }
    }
    needed
}

/// `new(map[K]V)`, `&map[K]V{...}` or `nil`: a pointer nobody else holds.
fn fresh_pointer(c: &Checker<'_>, file: u32, v: Expr<'_>) -> bool {
    match v.unparen() {
        Expr::Unary(u) if u.op == Tok::And => matches!(u.x.unparen(), Expr::CompositeLit(_)),
        Expr::Call(_) => is_builtin_call(c, file, v, Builtin::New),
        _ => is_nil(c, file, v),
    }
}
