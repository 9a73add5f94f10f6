//! The compiler's `-m` text output, as the go command prints it: `# pkg` headers, then
//! `path:line:col: message` lines. `-m=1` gives the decisions (`... escapes to heap`,
//! `... does not escape`, `moved to heap: x`, `leaking param: x`); `-m=2` adds the explanation
//! of each escape (`X escapes to heap [in F]:` followed by `flow:` and `from ... at POS` lines),
//! the same chains the JSON log holds. Every supported Go (1.18+) prints these forms; older
//! ones print `=` where newer print `←` and omit the `in F`.

use std::path::{Path, PathBuf};

use crate::model::{
    split_flow, split_leak, split_note, CompilerLog, ExplKind, Explanation, Pos, RawDecision,
    RawVerdict,
};

/// Splits `path:line:col: rest` (or `path:line: rest`). Relative paths are joined to `cwd`.
pub(crate) fn split_pos<'s>(line: &'s str, cwd: &Path) -> Option<(Pos, &'s str)> {
    let mut from = 0;
    while let Some(i) = line[from..].find(": ") {
        let at = from + i;
        if let Some(pos) = parse_pos(&line[..at], cwd) {
            return Some((pos, &line[at + 2..]));
        }
        from = at + 2;
    }
    // A position alone at the end of the line (`... at ./x.go:3:4`) is parsed by `parse_pos`.
    None
}

/// Parses `path:line:col` or `path:line`.
pub(crate) fn parse_pos(s: &str, cwd: &Path) -> Option<Pos> {
    let (head, last) = s.rsplit_once(':')?;
    let last: u32 = digits(last)?;
    let (file, line, col) = match head.rsplit_once(':') {
        Some((file, line)) if digits(line).is_some() && !file.is_empty() => {
            (file, digits(line)?, last)
        }
        _ => (head, last, 0),
    };
    if file.is_empty() {
        return None;
    }
    Some(Pos {
        file: resolve(file, cwd),
        line,
        col,
    })
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn resolve(file: &str, cwd: &Path) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() || file.starts_with('<') {
        p.to_path_buf()
    } else {
        mapvet_semantic::load::clean_path(&cwd.join(p))
    }
}

/// Optimization notes that are not about escapes: recognised so that they are not taken for
/// compiler errors.
fn is_other_note(msg: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "can inline ",
        "cannot inline ",
        "inlining call to ",
        "leaking closure reference ",
        "mutates param: ",
        "calls param: ",
        "assuming ",
        "marking ",
        "devirtualizing ",
        "stack frame too large",
        "found loop ",
    ];
    PREFIXES.iter().any(|p| msg.starts_with(p))
        || msg.contains(" capturing by value: ")
        || msg.contains(" capturing by ref: ")
        || msg.ends_with(" does not escape, mutate, or call")
        || msg.starts_with("warning: truncated explanation")
}

/// Parses the combined output of a `go build`/`go test -c` run with `-m` or `-m=2`.
/// Paths are resolved against `cwd` (the directory the go command ran in).
pub fn parse(output: &str, cwd: &Path) -> CompilerLog {
    let mut log = CompilerLog::default();
    let mut package = String::new();
    let mut block = 0u32;
    // The explanation being read (`-m=2`), with the position its lines repeat.
    let mut current: Option<Explanation> = None;

    let finish = |cur: &mut Option<Explanation>, log: &mut CompilerLog| {
        if let Some(e) = cur.take() {
            log.explanations.push(e);
        }
    };

    for line in output.lines() {
        if let Some(p) = line.strip_prefix("# ") {
            finish(&mut current, &mut log);
            package = p.split(" [").next().unwrap_or(p).trim().to_string();
            block += 1;
            continue;
        }
        let Some((pos, msg)) = split_pos(line, cwd) else {
            finish(&mut current, &mut log);
            if !line.trim().is_empty() {
                log.other.push(line.to_string());
            }
            continue;
        };
        let trimmed = msg.trim_start();
        let indented = trimmed.len() != msg.len();

        // Continuation lines of an explanation.
        if indented {
            if let Some(cur) = current.as_mut() {
                if let Some(f) = trimmed.strip_prefix("flow: ") {
                    if let Some(flow) = split_flow(f) {
                        cur.flows.push(flow);
                    }
                    continue;
                }
                if let Some(n) = trimmed.strip_prefix("from ") {
                    let (body, at) = match n.rfind(" at ") {
                        Some(i) => match parse_pos(&n[i + 4..], cwd) {
                            Some(p) => (&n[..i], Some(p)),
                            None => (n, None),
                        },
                        None => (n, None),
                    };
                    if let (Some((what, why)), Some(flow)) =
                        (split_note(body), cur.flows.last_mut())
                    {
                        flow.notes.push(crate::model::Note { what, why, pos: at });
                    }
                    continue;
                }
                if trimmed.starts_with("warning: ") {
                    continue;
                }
            }
        }
        finish(&mut current, &mut log);

        // Explanation headers (`-m=2`).
        if let Some(head) = trimmed.strip_suffix(':') {
            if let Some(i) = head.find(" escapes to heap") {
                current = Some(Explanation {
                    pos,
                    subject: head[..i].to_string(),
                    kind: ExplKind::Escape,
                    flows: Vec::new(),
                    lazy: None,
                });
                continue;
            }
            if let Some((name, to, derefs)) = split_leak(head) {
                current = Some(Explanation {
                    pos,
                    subject: name,
                    kind: ExplKind::Leak { to, derefs },
                    flows: Vec::new(),
                    lazy: None,
                });
                continue;
            }
        }

        // Decisions.
        let decision = |subject: &str, verdict: RawVerdict| RawDecision {
            pos: pos.clone(),
            subject: subject.to_string(),
            verdict,
            package: package.clone(),
            block,
            derived: false,
        };
        if let Some(name) = trimmed.strip_prefix("moved to heap: ") {
            log.decisions.push(decision(name, RawVerdict::Moved));
        } else if let Some(s) = trimmed.strip_suffix(" escapes to heap") {
            log.decisions.push(decision(s, RawVerdict::Escapes));
        } else if let Some(s) = trimmed.strip_suffix(" does not escape") {
            log.decisions.push(decision(s, RawVerdict::NoEscape));
        } else if let Some(name) = trimmed.strip_prefix("leaking param content: ") {
            log.decisions.push(decision(name, RawVerdict::LeaksContent));
        } else if let Some(rest) = trimmed.strip_prefix("leaking param: ") {
            match rest.split_once(" to result ") {
                Some((name, r)) => {
                    let result = r.split(" level=").next().unwrap_or(r);
                    log.decisions.push(decision(
                        name,
                        RawVerdict::Leaks {
                            to_result: Some(result.to_string()),
                        },
                    ));
                }
                None => log
                    .decisions
                    .push(decision(rest, RawVerdict::Leaks { to_result: None })),
            }
        } else if !is_other_note(trimmed) {
            log.other.push(line.to_string());
        }
    }
    finish(&mut current, &mut log);
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    const M2: &str = "\
# example.com/esc
./esc.go:10:6: can inline Build with cost 13 as: func() map[string]int { m := make(map[string]int); m[\"a\"] = 1; return m }
./esc.go:11:11: make(map[string]int) escapes to heap in Build:
./esc.go:11:11:   flow: m ← &{storage for make(map[string]int)}:
./esc.go:11:11:     from make(map[string]int) (spill) at ./esc.go:11:11
./esc.go:11:11:     from m := make(map[string]int) (assign) at ./esc.go:11:4
./esc.go:11:11:   flow: ~r0 ← m:
./esc.go:11:11:     from return m (return) at ./esc.go:13:2
./esc.go:11:11: make(map[string]int) escapes to heap
./esc.go:60:11: parameter m leaks to ~r0 with derefs=0:
./esc.go:60:11:   flow: ~r0 = m:
./esc.go:60:11:     from return m (return) at ./esc.go:61:2
./esc.go:60:11: leaking param: m to result ~r0 level=0
./esc.go:17:2: moved to heap: m
./esc.go:49:11: make(map[string]int) does not escape
<autogenerated>:1: inlining call to reflect.flag.kind
# example.com/esc [example.com/esc.test]
./esc_test.go:5:12: leaking param: t
./broken.go:3:19: too many return values
\thave (number)
";

    #[test]
    fn parses_m2() {
        let log = parse(M2, Path::new("/w"));
        let d: Vec<String> = log
            .decisions
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} {:?} {}",
                    d.pos.file.display(),
                    d.pos.line,
                    d.pos.col,
                    d.subject,
                    d.verdict,
                    d.package
                )
            })
            .collect();
        assert_eq!(
            d,
            [
                "/w/esc.go:11:11 make(map[string]int) Escapes example.com/esc",
                "/w/esc.go:60:11 m Leaks { to_result: Some(\"~r0\") } example.com/esc",
                "/w/esc.go:17:2 m Moved example.com/esc",
                "/w/esc.go:49:11 make(map[string]int) NoEscape example.com/esc",
                "/w/esc_test.go:5:12 t Leaks { to_result: None } example.com/esc",
            ]
        );
        assert_eq!(log.explanations.len(), 2);
        let e = &log.explanations[0];
        assert_eq!(e.subject, "make(map[string]int)");
        assert_eq!(e.flows.len(), 2);
        assert_eq!(e.flows[0].notes.len(), 2);
        assert_eq!(e.flows[1].dst, "~r0");
        let n = &e.flows[1].notes[0];
        assert_eq!((n.what.as_str(), n.why.as_str()), ("return m", "return"));
        assert_eq!(n.pos.as_ref().map(|p| (p.line, p.col)), Some((13, 2)));
        let l = &log.explanations[1];
        assert_eq!(
            l.kind,
            ExplKind::Leak {
                to: "~r0".into(),
                derefs: 0
            }
        );
        assert_eq!(
            log.other,
            [
                "./broken.go:3:19: too many return values",
                "\thave (number)"
            ]
        );
    }

    #[test]
    fn positions() {
        let cwd = Path::new("/w");
        let (p, rest) = split_pos("/a b/x.go:3:4: undefined: x", cwd).unwrap();
        assert_eq!((p.file.to_str(), p.line, p.col), (Some("/a b/x.go"), 3, 4));
        assert_eq!(rest, "undefined: x");
        let (p, _) = split_pos("<autogenerated>:1: inlining call to f", cwd).unwrap();
        assert_eq!((p.line, p.col), (1, 0));
        assert!(split_pos("go: cannot find main module", cwd).is_none());
    }
}
