//! `go.mod` and `go.work` files (the subset the loader needs), module-cache path encoding and
//! semantic-version ordering.
//!
//! The lexer follows `golang.org/x/mod/modfile`: `//` comments, `"..."` and `` `...` `` strings,
//! `(`/`)` blocks, `=>`; anything else is an identifier token. Malformed lines are skipped.

use std::cmp::Ordering;

use super::header::unquote;

/// A `require` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Require {
    pub path: String,
    pub version: String,
}

/// A `replace` directive: `old [old_version] => new [new_version]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replace {
    pub old_path: String,
    pub old_version: Option<String>,
    /// A local directory (relative to the file's directory, or absolute) when `new_version`
    /// is None, a module path otherwise.
    pub new_path: String,
    pub new_version: Option<String>,
}

impl Replace {
    /// Whether the replacement is a directory on disk.
    pub fn is_local(&self) -> bool {
        self.new_version.is_none()
    }
}

/// A parsed `go.mod`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoMod {
    /// The `module` path (empty when missing).
    pub module: String,
    /// The `go` version line, if any.
    pub go: Option<String>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
}

/// A parsed `go.work`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoWork {
    pub go: Option<String>,
    /// `use` directories, as written (relative to the go.work directory, or absolute).
    pub uses: Vec<String>,
    pub replaces: Vec<Replace>,
}

#[derive(Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    LParen,
    RParen,
    Arrow,
}

fn is_ident_char(c: char) -> bool {
    !matches!(c, ' ' | '(' | ')' | '[' | ']' | '{' | '}' | ',' | '"' | '`')
        && !c.is_whitespace()
        && !c.is_control()
}

/// Splits the file into lines of tokens. Strings spanning lines are malformed and end the
/// line.
fn lex_lines(src: &str) -> Vec<Vec<Tok>> {
    let mut lines = Vec::new();
    for line in src.lines() {
        let mut toks = Vec::new();
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c == b' ' || c == b'\t' || c == b'\r' {
                i += 1;
                continue;
            }
            if line[i..].starts_with("//") {
                break;
            }
            match c {
                b'(' => {
                    toks.push(Tok::LParen);
                    i += 1;
                }
                b')' => {
                    toks.push(Tok::RParen);
                    i += 1;
                }
                b'"' | b'`' => {
                    let mut j = i + 1;
                    while j < b.len() && b[j] != c {
                        if c == b'"' && b[j] == b'\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                    if j >= b.len() {
                        break; // unterminated
                    }
                    match unquote(&b[i..=j]) {
                        Some(s) => toks.push(Tok::Word(s)),
                        None => break,
                    }
                    i = j + 1;
                }
                _ => {
                    let start = i;
                    let rest = &line[i..];
                    let mut end = rest.len();
                    for (k, ch) in rest.char_indices() {
                        if !is_ident_char(ch) || rest[k..].starts_with("//") {
                            end = k;
                            break;
                        }
                    }
                    if end == 0 {
                        i += rest.chars().next().map_or(1, char::len_utf8);
                        continue;
                    }
                    i = start + end;
                    let w = &line[start..i];
                    if w == "=>" {
                        toks.push(Tok::Arrow);
                    } else {
                        toks.push(Tok::Word(w.to_string()));
                    }
                }
            }
        }
        lines.push(toks);
    }
    lines
}

/// Calls `f(verb, args)` for every directive, expanding blocks (`verb ( ... )`).
fn for_each_directive(src: &str, mut f: impl FnMut(&str, &[Tok])) {
    let mut block: Option<String> = None;
    for toks in lex_lines(src) {
        if toks.is_empty() {
            continue;
        }
        if let Some(verb) = &block {
            if toks[0] == Tok::RParen {
                block = None;
                continue;
            }
            f(verb, &toks);
            continue;
        }
        let Tok::Word(verb) = &toks[0] else { continue };
        match &toks[1..] {
            [Tok::LParen] => block = Some(verb.clone()),
            [Tok::LParen, Tok::RParen] => {}
            args => f(verb, args),
        }
    }
}

fn words(args: &[Tok]) -> Option<Vec<&str>> {
    args.iter()
        .map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect()
}

fn parse_replace(args: &[Tok]) -> Option<Replace> {
    let arrow = args.iter().position(|t| *t == Tok::Arrow)?;
    let old = words(&args[..arrow])?;
    let new = words(&args[arrow + 1..])?;
    let (old_path, old_version) = match old.as_slice() {
        [p] => (p.to_string(), None),
        [p, v] => (p.to_string(), Some(v.to_string())),
        _ => return None,
    };
    let (new_path, new_version) = match new.as_slice() {
        [p] => (p.to_string(), None),
        [p, v] => (p.to_string(), Some(v.to_string())),
        _ => return None,
    };
    Some(Replace {
        old_path,
        old_version,
        new_path,
        new_version,
    })
}

/// Parses a `go.mod` file. Never fails: malformed directives are skipped.
pub fn parse_go_mod(src: &str) -> GoMod {
    let mut m = GoMod::default();
    for_each_directive(src, |verb, args| match verb {
        "module" => {
            if let Some([p]) = words(args).as_deref() {
                m.module = p.to_string();
            }
        }
        "go" => {
            if let Some([v]) = words(args).as_deref() {
                m.go = Some(v.to_string());
            }
        }
        "require" => {
            if let Some([p, v]) = words(args).as_deref() {
                m.requires.push(Require {
                    path: p.to_string(),
                    version: v.to_string(),
                });
            }
        }
        "replace" => {
            if let Some(r) = parse_replace(args) {
                m.replaces.push(r);
            }
        }
        _ => {}
    });
    m
}

/// Parses a `go.work` file. Never fails: malformed directives are skipped.
pub fn parse_go_work(src: &str) -> GoWork {
    let mut w = GoWork::default();
    for_each_directive(src, |verb, args| match verb {
        "go" => {
            if let Some([v]) = words(args).as_deref() {
                w.go = Some(v.to_string());
            }
        }
        "use" => {
            if let Some([p]) = words(args).as_deref() {
                w.uses.push(p.to_string());
            }
        }
        "replace" => {
            if let Some(r) = parse_replace(args) {
                w.replaces.push(r);
            }
        }
        _ => {}
    });
    w
}

/// Whether a `replace` target is a directory path (`modfile.IsDirectoryPath`).
pub fn is_directory_path(p: &str) -> bool {
    p == "."
        || p == ".."
        || p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || (p.len() >= 2 && p.as_bytes()[1] == b':' && p.as_bytes()[0].is_ascii_alphabetic())
}

/// Module-cache case encoding (`module.EscapePath`/`EscapeVersion`): every uppercase letter
/// becomes `!` followed by its lowercase form.
pub fn escape_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Inverse of [`escape_path`]; None when the text is not a valid encoding.
pub fn unescape_path(p: &str) -> Option<String> {
    let mut out = String::with_capacity(p.len());
    let mut bang = false;
    for c in p.chars() {
        if bang {
            if !c.is_ascii_lowercase() {
                return None;
            }
            out.push(c.to_ascii_uppercase());
            bang = false;
        } else if c == '!' {
            bang = true;
        } else if c.is_ascii_uppercase() {
            return None;
        } else {
            out.push(c);
        }
    }
    if bang {
        None
    } else {
        Some(out)
    }
}

/// Compares two module versions by semantic-version precedence (`golang.org/x/mod/semver`).
/// Invalid versions sort before valid ones (and equal among themselves by text).
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    match (parse_semver(a), parse_semver(b)) {
        (None, None) => a.cmp(b),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => {
            let c = (x.major, x.minor, x.patch).cmp(&(y.major, y.minor, y.patch));
            if c != Ordering::Equal {
                return c;
            }
            match (x.pre, y.pre) {
                ("", "") => Ordering::Equal,
                ("", _) => Ordering::Greater,
                (_, "") => Ordering::Less,
                (p, q) => compare_prerelease(p, q),
            }
        }
    }
}

struct Semver<'a> {
    major: u64,
    minor: u64,
    patch: u64,
    pre: &'a str,
}

fn parse_semver(v: &str) -> Option<Semver<'_>> {
    let v = v.strip_prefix('v')?;
    let v = v.split('+').next().unwrap_or(v); // build metadata (+incompatible) is ignored
    let (core, pre) = match v.find('-') {
        Some(i) => (&v[..i], &v[i + 1..]),
        None => (v, ""),
    };
    let mut it = core.split('.');
    let num = |s: Option<&str>| -> Option<u64> {
        let s = s?;
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let major = num(it.next())?;
    let minor = match it.next() {
        Some(s) => num(Some(s))?,
        None => 0,
    };
    let patch = match it.next() {
        Some(s) => num(Some(s))?,
        None => 0,
    };
    if it.next().is_some() {
        return None;
    }
    Some(Semver {
        major,
        minor,
        patch,
        pre,
    })
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let pn = !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
                let qn = !q.is_empty() && q.bytes().all(|c| c.is_ascii_digit());
                let c = match (pn, qn) {
                    (true, true) => p.len().cmp(&q.len()).then_with(|| p.cmp(q)),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => p.cmp(q),
                };
                if c != Ordering::Equal {
                    return c;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_mod_forms() {
        let src = r#"
// leading comment
module "example.com/Foo" // trailing

go 1.22
toolchain go1.22.3

require golang.org/x/text v0.14.0
require (
	github.com/BurntSushi/toml v1.3.2 // indirect
	// a comment line
	"example.com/quoted" v1.0.0

	gopkg.in/yaml.v3 v3.0.1
)
require ()

replace example.com/old => ../old
replace (
	example.com/a v1.0.0 => example.com/b v1.1.0
	example.com/c => /abs/c
	example.com/d v1.2.3 => ./d // comment
)
exclude example.com/bad v0.1.0
retract [v1.0.0, v1.0.1]
"#;
        let m = parse_go_mod(src);
        assert_eq!(m.module, "example.com/Foo");
        assert_eq!(m.go.as_deref(), Some("1.22"));
        let reqs: Vec<_> = m
            .requires
            .iter()
            .map(|r| format!("{} {}", r.path, r.version))
            .collect();
        assert_eq!(
            reqs,
            [
                "golang.org/x/text v0.14.0",
                "github.com/BurntSushi/toml v1.3.2",
                "example.com/quoted v1.0.0",
                "gopkg.in/yaml.v3 v3.0.1"
            ]
        );
        assert_eq!(m.replaces.len(), 4);
        assert_eq!(
            m.replaces[0],
            Replace {
                old_path: "example.com/old".into(),
                old_version: None,
                new_path: "../old".into(),
                new_version: None
            }
        );
        assert_eq!(m.replaces[1].old_version.as_deref(), Some("v1.0.0"));
        assert_eq!(m.replaces[1].new_path, "example.com/b");
        assert_eq!(m.replaces[1].new_version.as_deref(), Some("v1.1.0"));
        assert!(!m.replaces[1].is_local());
        assert_eq!(m.replaces[2].new_path, "/abs/c");
        assert_eq!(m.replaces[3].new_path, "./d");
        assert!(m.replaces[3].is_local());
    }

    #[test]
    fn go_mod_malformed_is_skipped() {
        let m =
            parse_go_mod("module\nrequire x\nreplace a =>\nmodule ok/path\nrequire (\n  y v1\n");
        assert_eq!(m.module, "ok/path");
        assert_eq!(
            m.requires,
            [Require {
                path: "y".into(),
                version: "v1".into()
            }]
        );
        assert!(m.replaces.is_empty());
        assert_eq!(parse_go_mod("module a/b//c\n").module, "a/b");
    }

    #[test]
    fn go_work_forms() {
        let w = parse_go_work(
            "go 1.22\n\nuse ./a\nuse (\n\t./b // x\n\t\"./c d\"\n)\nreplace x => ../x\n",
        );
        assert_eq!(w.uses, ["./a", "./b", "./c d"]);
        assert_eq!(w.replaces.len(), 1);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_path("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
        assert_eq!(escape_path("v1.0.0-RC1"), "v1.0.0-!r!c1");
        assert_eq!(
            unescape_path("github.com/!burnt!sushi/toml").unwrap(),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(unescape_path("github.com/Bad"), None);
        assert_eq!(unescape_path("x!"), None);
        assert_eq!(unescape_path("x!1"), None);
    }

    #[test]
    fn versions() {
        let mut v = vec![
            "v1.10.0",
            "v1.2.0",
            "v1.2.0-rc.1",
            "v1.2.0-beta",
            "v0.0.0-20200101000000-abcdef",
            "v2.0.0+incompatible",
            "bad",
            "v1.2.0-rc.10",
            "v1.2.0-rc.2",
        ];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            v,
            [
                "bad",
                "v0.0.0-20200101000000-abcdef",
                "v1.2.0-beta",
                "v1.2.0-rc.1",
                "v1.2.0-rc.2",
                "v1.2.0-rc.10",
                "v1.2.0",
                "v1.10.0",
                "v2.0.0+incompatible"
            ]
        );
    }
}
