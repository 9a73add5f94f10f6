//! `parse_file_decls` against `parse_file`: on every file the full parse accepts, the
//! declarations-only parse must give exactly the full tree pruned as documented (function
//! bodies gone, function literal bodies empty, composite literal elements gone), compared
//! on the canonical dump, and no syntax errors. Runs over inline snippets with braces hidden in
//! strings, runes, raw strings and comments, and over every `.go` file of
//! `$(go env GOROOT)/src` when Go is installed.

use std::path::{Path, PathBuf};

use mapvet_syntax::ast::Decl;
use mapvet_syntax::{dump::dump, parse_file, parse_file_decls, Bump};

/// A node of the canonical dump: its line (kind, span, extra) and its children.
struct Node {
    line: String,
    children: Vec<Node>,
}

impl Node {
    fn kind(&self) -> &str {
        self.line.split(' ').next().unwrap_or("")
    }
    fn start(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or("")
    }
}

fn tree(dump: &str) -> Node {
    let mut stack: Vec<(usize, Node)> = vec![(
        0,
        Node {
            line: String::new(),
            children: Vec::new(),
        },
    )];
    for l in dump.lines() {
        let depth = (l.len() - l.trim_start().len()) / 2 + 1;
        while stack.len() > depth {
            let (_, n) = stack.pop().expect("stack");
            stack.last_mut().expect("root").1.children.push(n);
        }
        stack.push((
            depth,
            Node {
                line: l.trim_start().to_string(),
                children: Vec::new(),
            },
        ));
    }
    while stack.len() > 1 {
        let (_, n) = stack.pop().expect("stack");
        stack.last_mut().expect("root").1.children.push(n);
    }
    stack.pop().expect("root").1
}

fn print(n: &Node, depth: usize, out: &mut String) {
    if !n.line.is_empty() {
        out.push_str(&"  ".repeat(depth - 1));
        out.push_str(&n.line);
        out.push('\n');
    }
    for c in &n.children {
        print(c, depth + 1, out);
    }
}

/// The pruning `parse_file_decls` documents, applied to the full parse's dump.
fn prune(n: &mut Node) {
    match n.kind() {
        "FuncDecl" if n.children.last().is_some_and(|c| c.kind() == "BlockStmt") => {
            n.children.pop();
        }
        "FuncLit" => {
            if let Some(b) = n.children.last_mut() {
                b.children.clear();
            }
        }
        "CompositeLit" => {
            let typed = n.children.first().is_some_and(|c| c.start() == n.start());
            n.children.truncate(usize::from(typed));
            return;
        }
        _ => {}
    }
    for c in &mut n.children {
        prune(c);
    }
}

/// `Err` describes the difference, `Ok(false)` means the full parse rejected the file (not
/// compared).
fn compare(src: &[u8]) -> Result<bool, String> {
    let a = Bump::new();
    let full = parse_file(&a, src);
    if !full.errors.is_empty() {
        return Ok(false);
    }
    let b = Bump::new();
    let decls = parse_file_decls(&b, src);
    if !decls.errors.is_empty() {
        return Err(format!(
            "declarations-only parse errors: {:?}",
            decls.errors
        ));
    }
    if !decls.file.bodies_skipped {
        return Err("bodies_skipped not set".into());
    }
    for d in decls.file.decls {
        if let Decl::Func(fd) = d {
            if fd.body.is_some() {
                return Err(format!("{} kept its body", fd.name.name));
            }
        }
    }
    let mut t = tree(&dump(full.file, src));
    prune(&mut t);
    let mut want = String::new();
    print(&t, 0, &mut want);
    let got = dump(decls.file, src);
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        return Err(format!(
            "dumps differ at line {line}:\n  full:  {:?}\n  decls: {:?}",
            want.lines().nth(line),
            got.lines().nth(line)
        ));
    }
    Ok(true)
}

const SNIPPETS: &[&str] = &[
    "package p\n\nfunc f() { s := \"}\"; _ = s }\n\nvar x = 1\n",
    "package p\n\nfunc f() { r := '}'; q := '\\''; b := '{'; _, _, _ = r, q, b }\n\ntype T struct{ a int }\n",
    "package p\n\nfunc f() {\n\t_ = `}\n{{`\n}\n\nfunc g() int { return 1 }\n",
    "package p\n\nfunc f() {\n\t// }\n\t/* } { */\n\tif true {\n\t}\n}\n\nconst c = 2\n",
    "package p\n\nfunc f() { s := \"\\\"}\\\\\"; _ = s }\nfunc (T) m() {}\n\ntype T int\n",
    "package p\n\nvar f = func() int { return 1 }\n\nfunc g[T any](x T) T { return x }\n",
    "package p\n\nfunc f()\n\nfunc g() {}\n",
    "package p\n\nfunc f() { for { select {} } }\n\nvar m = map[string]func(){\"a\": func() {}}\n",
    "package p\n\nvar t = [...]struct{ a, b int }{{1, 2}, 5: {a: 3}}\nvar u = []T{{\"}\"}, {'{'}}\nvar n = len([...]int{1, 2, 3})\n",
    "package p\n\nvar f = func() int { x := map[int]int{1: 2}; return x[1] }()\n\ntype T struct{ s string }\n",
];

#[test]
fn snippets_match_full_parse() {
    for s in SNIPPETS {
        match compare(s.as_bytes()) {
            Ok(true) => {}
            Ok(false) => panic!("snippet has syntax errors: {s:?}"),
            Err(e) => panic!("{e}\nin {s:?}"),
        }
    }
}

#[test]
fn unterminated_body_ends_the_file() {
    let src = b"package p\n\nfunc f() { if x {\n";
    let a = Bump::new();
    let p = parse_file_decls(&a, src);
    let Some(Decl::Func(fd)) = p.file.decls.first() else {
        panic!("no func decl");
    };
    assert!(fd.body.is_none());
    assert_eq!(fd.span.end as usize, src.len());
}

fn goroot_src() -> Option<PathBuf> {
    let out = std::process::Command::new("go")
        .args(["env", "GOROOT"])
        .env("GOTOOLCHAIN", "local")
        .output()
        .ok()?;
    let root = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).join("src");
    root.is_dir().then_some(root)
}

fn go_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(t) = e.file_type() else { continue };
        let p = e.path();
        if t.is_dir() {
            go_files(&p, out);
        } else if t.is_file() && p.extension().is_some_and(|x| x == "go") {
            out.push(p);
        }
    }
}

#[test]
fn goroot_matches_full_parse() {
    let Some(root) = goroot_src() else {
        eprintln!("decls_only: GOROOT not found, skipped");
        return;
    };
    let mut files = Vec::new();
    go_files(&root, &mut files);
    files.sort();
    let mut compared = 0;
    let mut failures = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read(f) else { continue };
        match compare(&src) {
            Ok(true) => compared += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    eprintln!("decls_only: {compared} of {} files compared", files.len());
    assert!(compared > 1000, "too few files compared: {compared}");
    assert!(
        failures.is_empty(),
        "{} files differ:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}
