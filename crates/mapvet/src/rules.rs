//! The CLI side of the rules: selection (`--select`/`--ignore`), running them on the walked
//! packages, converting their diagnostics for output, `mapvet rules` and `mapvet explain`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use mapvet_rules::{RuleMeta, RULES};
use mapvet_semantic::load::{clean_path, BuildContext};
use mapvet_semantic::program;
use mapvet_syntax::LineIndex;

use crate::diagnostic::{Diagnostic, Kind, Position, Severity};
use crate::walk::Entry;
use crate::Failure;

/// Which rules run.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: Vec<&'static str>,
}

fn matches(pattern: &str, m: &RuleMeta) -> bool {
    let p = pattern.trim();
    !p.is_empty()
        && (m.name == p
            || m.code.eq_ignore_ascii_case(p)
            || m.code
                .to_ascii_uppercase()
                .starts_with(&p.to_ascii_uppercase()))
}

impl Selection {
    pub fn new(select: Option<&[String]>, ignore: Option<&[String]>) -> Result<Selection, String> {
        for p in select.into_iter().chain(ignore).flatten() {
            if !RULES.iter().any(|r| matches(p, r.meta)) {
                return Err(format!(
                    "unknown rule {p:?} (expected a code such as MV001, a name such as \
                     nil-map-write, or a prefix such as MV); `mapvet rules` lists them"
                ));
            }
        }
        let enabled = RULES
            .iter()
            .filter(|r| select.is_none_or(|s| s.iter().any(|p| matches(p, r.meta))))
            .filter(|r| !ignore.is_some_and(|s| s.iter().any(|p| matches(p, r.meta))))
            .map(|r| r.meta.code)
            .collect();
        Ok(Selection { enabled })
    }

    pub fn any(&self) -> bool {
        !self.enabled.is_empty()
    }

    pub fn is_enabled(&self, m: &RuleMeta) -> bool {
        self.enabled.contains(&m.code)
    }
}

fn severity(s: mapvet_rules::Severity) -> Severity {
    match s {
        mapvet_rules::Severity::Error => Severity::Error,
        mapvet_rules::Severity::Warning => Severity::Warning,
        mapvet_rules::Severity::Hint => Severity::Hint,
    }
}

fn absolute(p: &std::path::Path) -> PathBuf {
    clean_path(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// Loads, type-checks and runs the selected rules on the packages of the walked files.
/// Diagnostics are kept only for walked files (a file named on the command line brings its
/// package along for typing, but only its own findings are shown).
pub fn run(entries: &[Entry], ctx: &BuildContext, selection: &Selection) -> Vec<Diagnostic> {
    let mut display: HashMap<PathBuf, String> = HashMap::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for e in entries.iter().filter(|e| e.is_file()) {
        let abs = absolute(&e.path);
        if let Some(d) = abs.parent() {
            dirs.push(d.to_path_buf());
        }
        display.insert(abs, e.display.clone());
    }
    dirs.sort();
    dirs.dedup();
    if dirs.is_empty() {
        return Vec::new();
    }
    let sources = program::load_sources(&dirs, ctx);
    program::with_checked_program(sources, |c| {
        let found = mapvet_rules::run(c, &|m| selection.is_enabled(m));
        let mut indexes: HashMap<u32, LineIndex> = HashMap::new();
        let mut pos = |c: &mapvet_semantic::check::Checker<'_>, file: u32, off: u32| {
            let li = indexes
                .entry(file)
                .or_insert_with(|| LineIndex::new(c.files[file as usize].src));
            Position::at(li, off)
        };
        let mut out = Vec::new();
        for d in found {
            let path = &c.files[d.loc.file as usize].path;
            let Some(shown) = display.get(path) else {
                continue;
            };
            let start = pos(c, d.loc.file, d.loc.span.start);
            let end = pos(c, d.loc.file, d.loc.span.end.max(d.loc.span.start));
            let kind = Kind {
                code: d.code,
                name: d.name,
                severity: severity(d.severity),
            };
            let mut diag = Diagnostic::new(kind, shown, start, end, d.message);
            for l in d.labels {
                let lp = &c.files[l.loc.file as usize].path;
                let lshown = display
                    .get(lp)
                    .cloned()
                    .unwrap_or_else(|| lp.display().to_string());
                let p = pos(c, l.loc.file, l.loc.span.start);
                diag.labels.push((lshown, p, l.message));
            }
            diag.help = d.help;
            out.push(diag);
        }
        out
    })
}

/// `mapvet rules`.
pub fn list(out: &mut dyn Write) -> std::io::Result<()> {
    for r in RULES {
        let m = r.meta;
        writeln!(
            out,
            "{:<6} {:<26} {:<8} {}{}",
            m.code,
            m.name,
            m.severity.as_str(),
            m.summary,
            if m.fixable { " (fix available)" } else { "" }
        )?;
    }
    Ok(())
}

/// `mapvet explain CODE|NAME`.
pub fn explain(rule: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let Some(r) = mapvet_rules::find(rule) else {
        return Err(Failure::Usage(format!(
            "unknown rule {rule:?}; `mapvet rules` lists them"
        )));
    };
    let m = r.meta;
    let text = format!(
        "# {} {} ({})\n\n{}\n",
        m.code,
        m.name,
        m.severity.as_str(),
        m.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
    );
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::Internal(e.to_string()))
}
