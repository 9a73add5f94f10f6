//! The CLI side of the rules: selection (`--select`/`--ignore`), running them on the walked
//! packages, converting their diagnostics (labels, help, fixes) for output, `mapvet rules` and
//! `mapvet explain`.

use rustc_hash::FxHashMap as HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mapvet_rules::{RuleMeta, RULES};
use mapvet_semantic::check::{Checker, PackageDesc};
use mapvet_semantic::load::memo::FileMemo;
use mapvet_semantic::load::{header, BuildContext};
use mapvet_semantic::program::{self, Sources};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache::{hash_text, Cache, Key, KeyBuilder};
use crate::check::{file_report, FileReport};
use crate::config::absolute;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Kind, Label, SourceText};
use crate::progress::Progress;
use crate::source::{read_source, Overlay};
use crate::walk::Entry;
use crate::Failure;

/// Which rules run.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: Vec<&'static str>,
}

/// Whether `pattern` (a code, a name or a code prefix, case-insensitive for codes) selects
/// the rule `m`.
pub fn matches(pattern: &str, m: &RuleMeta) -> bool {
    let p = pattern.trim();
    !p.is_empty()
        && (m.name == p
            || m.code
                .to_ascii_uppercase()
                .starts_with(&p.to_ascii_uppercase()))
}

/// Why `pattern` selects no rule at all, if it does not.
pub fn rule_pattern_error(pattern: &str) -> Option<String> {
    (!RULES.iter().any(|r| matches(pattern, r.meta))).then(|| {
        format!(
            "unknown rule {pattern:?} (expected a code such as MV001, a name such as \
             nil-map-write, or a prefix such as MV); `mapvet rules` lists them"
        )
    })
}

impl Selection {
    pub fn new(select: Option<&[String]>, ignore: Option<&[String]>) -> Result<Selection, String> {
        for p in select.into_iter().chain(ignore).flatten() {
            if let Some(err) = rule_pattern_error(p) {
                return Err(err);
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

    pub fn is_code_enabled(&self, code: &str) -> bool {
        self.enabled.contains(&code)
    }
}

/// What running the rules produced.
#[derive(Default)]
pub struct RulesOutput {
    pub diagnostics: Vec<Diagnostic>,
    /// The loader's notes (unresolved imports, unreadable directories), for `--verbose`.
    pub notes: Vec<String>,
    /// Per walk entry, in entry order: the report of the file as the loader read and parsed
    /// it (`None` for entries it did not load).
    pub reports: Vec<Option<FileReport>>,
}

/// Loads, type-checks and runs the selected rules on the packages of the walked files, with
/// the contents of `overlay` in place of the files on disk.
///
/// Diagnostics are kept only for walked files (a file named on the command line brings its
/// package along for typing, but only its own findings are shown).
pub fn run(
    entries: &[Entry],
    ctx: &BuildContext,
    selection: &Selection,
    overlay: &Overlay,
    progress: &Progress,
    cache: Option<&Cache>,
    memo: Option<&Arc<FileMemo>>,
) -> RulesOutput {
    let mut display: HashMap<PathBuf, String> = HashMap::default();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut abs_paths: Vec<Option<PathBuf>> = Vec::with_capacity(entries.len());
    for e in entries {
        if !e.is_file() {
            abs_paths.push(None);
            continue;
        }
        let abs = absolute(&e.path);
        if let Some(d) = abs.parent() {
            // A file that exists only in the overlay (an editor's unsaved buffer in a new
            // directory) has no package on disk to load. (Walked files come directory by
            // directory: one look per directory.)
            if dirs.last().map(PathBuf::as_path) != Some(d) && d.is_dir() {
                dirs.push(d.to_path_buf());
            }
        }
        display.insert(abs.clone(), e.display.clone());
        abs_paths.push(Some(abs));
    }
    dirs.sort();
    dirs.dedup();
    if display.is_empty() {
        return RulesOutput {
            reports: entries.iter().map(|_| None).collect(),
            ..RulesOutput::default()
        };
    }
    let mut sources = match memo {
        Some(m) => program::load_sources_with_memo(&dirs, ctx, Arc::clone(m)),
        None => program::load_sources(&dirs, ctx),
    };
    apply_overlay(&mut sources, overlay);
    let notes = std::mem::take(&mut sources.notes);
    let by_path: HashMap<&Path, u32> = sources
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.0.as_path(), i as u32))
        .collect();
    // The walk entries of each loaded file (two spellings of one path are two entries).
    let mut entries_of: HashMap<u32, Vec<usize>> = HashMap::default();
    for (k, abs) in abs_paths.iter().enumerate() {
        if let Some(&i) = abs.as_deref().and_then(|a| by_path.get(a)) {
            entries_of.entry(i).or_default().push(k);
        }
    }
    let mut reports: Vec<Option<FileReport>> = entries.iter().map(|_| None).collect();
    let mut diagnostics = Vec::new();
    let plan = program::GroupPlan::new(&sources);
    // The cache: a key per group; the groups found there are replayed, not checked.
    let t_cache = std::time::Instant::now();
    // Digests the loader knows (with a memo: all but the overlay's), the others computed.
    let hashes: Option<Vec<u128>> = cache.map(|_| {
        sources
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                sources
                    .digests
                    .get(i)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| hash_text(&f.1))
            })
            .collect()
    });
    let keys: Vec<(Option<Key>, bool)> = match &hashes {
        Some(h) => KeyCx {
            sources: &sources,
            hashes: h,
            ctx,
            selection,
            entries,
            entries_of: &entries_of,
            display: &display,
        }
        .group_keys(&plan),
        None => vec![(None, true); plan.len()],
    };
    let cached: Vec<Option<GroupResult>> = keys
        .par_iter()
        .enumerate()
        .map(|(g, (k, _))| {
            let r = cache?.get::<GroupResult>((*k)?)?;
            // The entry's reports are for the group's walked files (always, unless the
            // entry is not what it claims to be: then it is a miss).
            let fits = r.reports.iter().all(|&(pos, j, _)| {
                plan.group_files[g]
                    .get(pos as usize)
                    .and_then(|i| entries_of.get(i))
                    .is_some_and(|ks| (j as usize) < ks.len())
            });
            fits.then_some(r)
        })
        .collect();
    let run_group: Vec<bool> = cached.iter().map(Option::is_none).collect();
    let hits = run_group.iter().filter(|r| !**r).count();
    if program::trace_on() && cache.is_some() {
        eprintln!(
            "cache: {hits} of {} groups replayed (hashes, keys and look-ups {:?})",
            plan.len(),
            t_cache.elapsed()
        );
    }
    let checked = program::check_planned(&mut sources, &plan, &run_group, false, |c, own| {
        // The walked files' own reports (syntax errors, directives), from the group's parse.
        let mut file_reports = Vec::new();
        for (pos, &i) in own.iter().enumerate() {
            for (j, &k) in entries_of
                .get(&i)
                .map_or(&[][..], |v| v.as_slice())
                .iter()
                .enumerate()
            {
                let f = &c.files[i as usize];
                progress.inc();
                file_reports.push((
                    pos as u32,
                    j as u32,
                    file_report(&entries[k].display, f.src, f.ast, &f.comments, &f.errors),
                ));
            }
        }
        let found = mapvet_rules::run(c, &|m| selection.is_enabled(m));
        let disk = mapvet_syntax::Bump::new();
        let mut conv = Converter {
            c,
            display: &display,
            texts: HashMap::default(),
            disk: &disk,
        };
        let diagnostics = found
            .into_iter()
            .filter_map(|d| conv.diagnostic(d))
            .collect::<Vec<_>>();
        // The texts checked are the ones the key was made of, unless a file changed on disk
        // since it was loaded (its text is read again when the group starts): then the
        // result is not stored.
        let unchanged = hashes.as_ref().is_some_and(|h| {
            own.iter()
                .all(|&i| hash_text(c.files[i as usize].src) == h[i as usize])
        });
        let result = GroupResult {
            reports: file_reports,
            diagnostics,
        };
        (result, unchanged)
    });
    if program::trace_on() {
        let times: Vec<String> = mapvet_rules::rule_times()
            .into_iter()
            .map(|(code, d)| format!("{code} {:.1?}", d))
            .collect();
        eprintln!("rules (cpu, all threads): {}", times.join(", "));
    }
    // Files read for their declarations that were not what the memo said (changed on disk
    // during the run): the groups that see them are not stored.
    let changed_under = |g: usize| {
        !sources.changed.is_empty()
            && plan.reach(&sources.packages, g).iter().any(|&p| {
                sources.packages[p as usize]
                    .files
                    .iter()
                    .any(|i| sources.changed.contains(i))
            })
    };
    for (g, (hit, fresh)) in cached.into_iter().zip(checked).enumerate() {
        let result = match (hit, fresh) {
            (Some(r), _) => {
                for _ in &r.reports {
                    progress.inc();
                }
                r
            }
            (None, Some((r, unchanged))) => {
                let unchanged = unchanged && !changed_under(g);
                if let (Some(cache), (Some(key), false), true) = (cache, keys[g], unchanged) {
                    cache.put(key, &r);
                }
                r
            }
            (None, None) => unreachable!("a group neither replayed nor checked"),
        };
        let own = &plan.group_files[g];
        for (pos, j, r) in result.reports {
            let k = entries_of[&own[pos as usize]][j as usize];
            reports[k] = Some(r);
        }
        diagnostics.extend(result.diagnostics);
    }
    // A loaded file outside every target package (none is expected): its report from a
    // parse of its own.
    for (&i, ks) in &entries_of {
        for &k in ks {
            if reports[k].is_none() {
                let src = sources.text(i);
                let src: &[u8] = &src;
                let arena = mapvet_syntax::Bump::new();
                let p = mapvet_syntax::parse_file(&arena, src);
                progress.inc();
                reports[k] = Some(file_report(
                    &entries[k].display,
                    src,
                    p.file,
                    &p.comments,
                    &p.errors,
                ));
            }
        }
    }
    RulesOutput {
        diagnostics,
        notes,
        reports,
    }
}

/// What checking one group produced, as stored in the cache: the reports of the walked files
/// (by position in the group's files and by the file's walk entries in order) and the
/// diagnostics.
#[derive(Serialize, Deserialize)]
struct GroupResult {
    reports: Vec<(u32, u32, FileReport)>,
    diagnostics: Vec<Diagnostic>,
}

/// What the cache keys of the groups are made of.
struct KeyCx<'x> {
    sources: &'x Sources,
    /// The hash of every file's text.
    hashes: &'x [u128],
    ctx: &'x BuildContext,
    selection: &'x Selection,
    entries: &'x [Entry],
    entries_of: &'x HashMap<u32, Vec<usize>>,
    display: &'x HashMap<PathBuf, String>,
}

impl KeyCx<'_> {
    /// A digest of package `p`: its description, its imports (the packages they resolved
    /// to), and its files (path, how the walk displays it, text).
    fn package_digest(&self, p: usize) -> Option<u128> {
        let packages = &self.sources.packages;
        let desc = &packages[p];
        let mut k = KeyBuilder::new("package")?;
        k.str(&desc.import_path).str(&desc.name).path(&desc.dir);
        let mut imports: Vec<(&String, &u32)> = desc.imports.iter().collect();
        imports.sort();
        k.u64(imports.len() as u64);
        for (path, &dep) in imports {
            let d = &packages[dep as usize];
            k.str(path).str(&d.import_path).path(&d.dir).str(&d.name);
        }
        k.u64(desc.files.len() as u64);
        for &i in &desc.files {
            let path = &self.sources.files[i as usize].0;
            k.path(path)
                .u128(self.hashes[i as usize])
                .opt_str(self.display.get(path).map(String::as_str));
            let walked = self.entries_of.get(&i).map_or(&[][..], |v| v.as_slice());
            k.u64(walked.len() as u64);
            for &e in walked {
                k.str(&self.entries[e].display);
            }
        }
        Some(k.finish().0)
    }

    /// The keys of the groups of `plan`, and whether each is transient. A group's key is
    /// made of the binary, the build context, the rules, whether the group is the whole
    /// program, and the digest of every package the group's checker can see
    /// ([`program::GroupPlan::reach`]), the group's own marked. A group that sees a file of
    /// the overlay (an editor's buffer on standard input, a file being fixed) is transient:
    /// such texts seldom come back, so its result is looked up (a buffer equal to the file
    /// on disk finds the result of the file) but not stored.
    fn group_keys(&self, plan: &program::GroupPlan) -> Vec<(Option<Key>, bool)> {
        let digests: Vec<Option<u128>> = (0..self.sources.packages.len())
            .into_par_iter()
            .map(|p| self.package_digest(p))
            .collect();
        let ctx = format!("{:?}", self.ctx);
        let packages = &self.sources.packages;
        (0..plan.len())
            .into_par_iter()
            .map(|g| {
                let reach = plan.reach(packages, g);
                let transient = reach.iter().any(|&p| {
                    packages[p as usize]
                        .files
                        .iter()
                        .any(|i| self.sources.pinned.contains(i))
                });
                let key = (|| {
                    let mut k = KeyBuilder::new("group")?;
                    k.str(&ctx);
                    k.u64(self.selection.enabled.len() as u64);
                    for code in &self.selection.enabled {
                        k.str(code);
                    }
                    k.bool(plan.len() == 1);
                    for &p in &reach {
                        k.bool(plan.groups[g].binary_search(&p).is_ok())
                            .u128(digests[p as usize]?);
                    }
                    Some(k.finish())
                })();
                (key, transient)
            })
            .collect()
    }
}

/// Puts the overlay's contents in place of what was read from disk. A file that does not
/// exist on disk joins the target package of its directory with the same package name (or
/// forms a package of its own); its imports resolve to the packages already loaded. A file
/// that exists on disk but was not loaded (build constraints) stays out, like on disk.
pub fn apply_overlay(sources: &mut Sources, overlay: &Overlay) {
    for (path, text) in overlay.iter() {
        if let Some(i) = sources.files.iter().position(|f| f.0 == *path) {
            sources.replace_text(i as u32, text.to_vec());
            continue;
        }
        if path.exists() {
            continue;
        }
        let h = header::read_go_header(text);
        let Some(name) = h.package else { continue };
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let idx = sources.push_file(path.clone(), text.to_vec());
        let pkg = match sources
            .packages
            .iter()
            .position(|p| p.is_target && p.dir == dir && p.name == name)
        {
            Some(p) => p,
            None => {
                sources.packages.push(PackageDesc {
                    import_path: dir.to_string_lossy().into_owned(),
                    name,
                    dir,
                    files: Vec::new(),
                    is_target: true,
                    imports: Default::default(),
                });
                sources.packages.len() - 1
            }
        };
        sources.packages[pkg].files.push(idx);
        for ip in h.imports {
            if sources.packages[pkg].imports.contains_key(&ip) {
                continue;
            }
            if let Some(dep) = sources
                .packages
                .iter()
                .position(|p| p.import_path == ip && !p.name.ends_with("_test"))
            {
                if dep != pkg {
                    sources.packages[pkg].imports.insert(ip, dep as u32);
                }
            }
        }
    }
}

/// Turns the rules' diagnostics (file indices and byte spans) into output diagnostics.
struct Converter<'x, 'a> {
    c: &'x Checker<'a>,
    display: &'x HashMap<PathBuf, String>,
    texts: HashMap<u32, SourceText<'x>>,
    /// Texts read again from disk: a label in a file whose text the checker released
    /// (a declaration in a package of another group).
    disk: &'x mapvet_syntax::Bump,
}

impl<'x> Converter<'x, '_> {
    fn text(&mut self, file: u32) -> &SourceText<'x> {
        let f = &self.c.files[file as usize];
        let (released, path, src) = (f.text_released, &f.path, f.src);
        let disk = self.disk;
        self.texts.entry(file).or_insert_with(|| {
            if released {
                SourceText::new(disk.alloc_slice_copy(&read_source(path).unwrap_or_default()))
            } else {
                SourceText::new(src)
            }
        })
    }

    fn shown(&self, file: u32) -> String {
        let p = &self.c.files[file as usize].path;
        self.display
            .get(p)
            .cloned()
            .unwrap_or_else(|| p.display().to_string())
    }

    fn diagnostic(&mut self, d: mapvet_rules::Diagnostic) -> Option<Diagnostic> {
        let path = self.display.get(&self.c.files[d.loc.file as usize].path)?;
        let path = path.clone();
        let span = d.loc.span;
        let text = self.text(d.loc.file);
        let start = text.position(span.start);
        let end = text.position(span.end.max(span.start));
        let line_text = text.line_text(start.line);
        let kind = Kind {
            code: d.code,
            name: d.name,
            severity: d.severity.into(),
            summary: "",
        };
        let mut diag = Diagnostic::new(kind, &path, start, end, d.message);
        diag.line_text = line_text;
        for l in d.labels {
            let lpath = self.shown(l.loc.file);
            let t = self.text(l.loc.file);
            let start = t.position(l.loc.span.start);
            let end = t.position(l.loc.span.end.max(l.loc.span.start));
            diag.labels.push(Label {
                path: lpath,
                start,
                end,
                message: l.message,
                line_text: t.line_text(start.line),
            });
        }
        diag.help = d.help;
        diag.fix = d.fix.map(|f| Fix {
            title: f.title,
            applicability: match f.applicability {
                mapvet_rules::Applicability::Safe => Applicability::Safe,
                mapvet_rules::Applicability::DisplayOnly => Applicability::DisplayOnly,
            },
            edits: f
                .edits
                .into_iter()
                .map(|e| {
                    let epath = self.shown(e.loc.file);
                    let t = self.text(e.loc.file);
                    let (s, en) = (e.loc.span.start, e.loc.span.end.max(e.loc.span.start));
                    Edit {
                        path: epath,
                        start: t.position(s),
                        end: t.position(en),
                        start_offset: s,
                        end_offset: en,
                        replacement: e.replacement,
                    }
                })
                .collect(),
        });
        Some(diag)
    }
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

/// A rule's documentation without the one-space indent of doc comments.
pub fn doc_text(m: &RuleMeta) -> String {
    m.doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
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
        doc_text(m)
    );
    out.write_all(text.as_bytes())?;
    Ok(())
}
