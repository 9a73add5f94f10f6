//! Fixture tests: every folder `tests/fixtures/<CODE>_<name>/` is a Go package checked with
//! rule CODE alone. `// want CODE [CODE...] ["message regexp"...]` at the end of a line
//! expects those diagnostics on that line. Matching is both ways: every expectation must be
//! met and every diagnostic expected. A `x.go.golden` file next to `x.go` holds the file after
//! applying the rule's safe fixes; the fixed text must re-parse without errors, and applying
//! the fixes again must change nothing.

mod common;

use mapvet_rules::{Applicability, Diagnostic, RULES};
use mapvet_semantic::load::BuildContext;
use mapvet_semantic::program;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn go_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "go"))
        .collect();
    v.sort();
    v
}

/// Diagnostics of `code` on the package in `dir`, with (file name, line), plus the fixed text
/// of each file that has safe fixes.
struct Run {
    diags: Vec<(String, u32, Diagnostic)>,
    fixed: BTreeMap<String, String>,
}

fn run_rule(dir: &Path, code: &str) -> Run {
    let mut ctx = BuildContext::host();
    ctx.tests = false;
    let sources = program::load_sources(&[dir.to_path_buf()], &ctx);
    program::with_checked_program(sources, |c| {
        let diags = mapvet_rules::run(c, &|m| m.code == code);
        let mut out = Vec::new();
        let mut edits: BTreeMap<u32, Vec<(u32, u32, String)>> = BTreeMap::new();
        for d in diags {
            let f = &c.files[d.loc.file as usize];
            let li = mapvet_syntax::LineIndex::new(f.src);
            let (line, _) = li.line_col(d.loc.span.start);
            let name = f.path.file_name().unwrap().to_string_lossy().to_string();
            if let Some(fix) = &d.fix {
                if fix.applicability == Applicability::Safe {
                    for e in &fix.edits {
                        edits.entry(e.loc.file).or_default().push((
                            e.loc.span.start,
                            e.loc.span.end,
                            e.replacement.clone(),
                        ));
                    }
                }
            }
            out.push((name, line, d));
        }
        let mut fixed = BTreeMap::new();
        for (file, mut es) in edits {
            let f = &c.files[file as usize];
            es.sort_by_key(|e| std::cmp::Reverse(e.0));
            let mut text = f.src.to_vec();
            for (s, e, r) in es {
                text.splice(s as usize..e as usize, r.into_bytes());
            }
            let name = f.path.file_name().unwrap().to_string_lossy().to_string();
            fixed.insert(name, String::from_utf8(text).unwrap());
        }
        Run { diags: out, fixed }
    })
}

fn check_dir(dir: &Path, code: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut wants = common::wants_in(&go_files(dir));
    let run = run_rule(dir, code);
    for (file, line, d) in &run.diags {
        let key = (file.clone(), *line);
        let ok = wants.get_mut(&key).and_then(|ws| {
            ws.iter_mut().find(|w| {
                !w.matched && w.code == d.code && w.regexps.iter().all(|r| r.is_match(&d.message))
            })
        });
        match ok {
            Some(w) => w.matched = true,
            None => problems.push(format!(
                "{}:{line}: unexpected {} diagnostic: {}",
                dir.join(file).display(),
                d.code,
                d.message
            )),
        }
    }
    for ((file, line), ws) in &wants {
        for w in ws {
            if !w.matched && w.code == code {
                problems.push(format!(
                    "{}:{line}: expected {} diagnostic{} not reported",
                    dir.join(file).display(),
                    w.code,
                    if w.regexps.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " matching {:?}",
                            w.regexps.iter().map(|r| r.as_str()).collect::<Vec<_>>()
                        )
                    }
                ));
            }
        }
    }
    // Goldens.
    for f in go_files(dir) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let golden = dir.join(format!("{name}.golden"));
        let fixed = run.fixed.get(&name);
        match (golden.exists(), fixed) {
            (true, Some(text)) => {
                let want = std::fs::read_to_string(&golden).unwrap();
                if &want != text {
                    problems.push(format!(
                        "{}: fixed text differs from {}:\n--- got ---\n{text}",
                        f.display(),
                        golden.display()
                    ));
                }
                let arena = mapvet_syntax::Bump::new();
                let parsed = mapvet_syntax::parse_file(&arena, text.as_bytes());
                if !parsed.errors.is_empty() {
                    problems.push(format!(
                        "{}: fixed text does not parse: {:?}",
                        f.display(),
                        parsed.errors[0]
                    ));
                }
            }
            (true, None) => {
                let want = std::fs::read_to_string(&golden).unwrap();
                let orig = std::fs::read_to_string(&f).unwrap();
                if want != orig {
                    problems.push(format!(
                        "{}: golden exists but no fix was offered",
                        f.display()
                    ));
                }
            }
            (false, Some(_)) => problems.push(format!(
                "{}: fixes were offered but there is no {name}.golden",
                f.display()
            )),
            (false, None) => {}
        }
    }
    problems
}

#[test]
fn fixtures_match_both_ways() {
    let root = fixtures_dir();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let code = name.split('_').next().unwrap_or("").to_string();
        let Some(rule) = mapvet_rules::find(&code) else {
            problems.push(format!("{}: no rule with code {code}", dir.display()));
            continue;
        };
        let expected_name = format!("{}_{}", rule.meta.code, rule.meta.name.replace('-', "_"));
        if name != expected_name {
            problems.push(format!(
                "{}: folder should be named {expected_name}",
                dir.display()
            ));
        }
        problems.extend(check_dir(dir, rule.meta.code));
        checked += 1;
    }
    println!("{checked} fixture folders checked");
    assert!(
        problems.is_empty(),
        "{} fixture problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_rule_has_fixtures() {
    let root = fixtures_dir();
    let mut missing = Vec::new();
    for r in RULES {
        let dir = root.join(format!("{}_{}", r.meta.code, r.meta.name.replace('-', "_")));
        if !dir.is_dir() {
            missing.push(format!(
                "{}: no fixture folder {}",
                r.meta.code,
                dir.display()
            ));
            continue;
        }
        let text: String = go_files(&dir)
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        if !text.contains(&format!("// want {}", r.meta.code)) {
            missing.push(format!("{}: no positive (// want) case", r.meta.code));
        }
        if r.meta.fixable
            && !std::fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .any(|e| e.path().to_string_lossy().ends_with(".golden"))
        {
            missing.push(format!(
                "{}: fixable rule without a .golden file",
                r.meta.code
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
