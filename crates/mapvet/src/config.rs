//! Settings: the config file (`mapvet.toml` or `.mapvet.toml`), its discovery, and how it
//! combines with the command line into the [`Settings`] of a run.
//!
//! Discovery: for each path given to `mapvet check`, the nearest config file in that path's
//! directory (a file's directory for a file) or any parent. `--config FILE` names one
//! explicitly; `--no-config` ignores config files.
//!
//! Precedence: command-line flags win over the file, the file wins over the environment
//! (`$GOOS`, `$GOARCH`, the `-tags` of `$GOFLAGS`). Rule selection is layered the way ruff
//! layers it: `--select` replaces the file's `select` and `ignore`; without it, `--ignore`
//! adds to the file's `ignore`. `--exclude` adds to the file's `exclude`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use mapvet_rules::RULES;
use mapvet_semantic::load::{clean_path, BuildContext};
use serde::Deserialize;
use toml::Spanned;

use crate::cli::{ConfigArgs, SettingsArgs};
use crate::diagnostic::{Severity, SourceText};
use crate::rules::{rule_pattern_error, Selection};
use crate::Failure;

/// The config file names looked for in each directory, in order of preference.
pub const CONFIG_NAMES: [&str; 2] = ["mapvet.toml", ".mapvet.toml"];

/// At which severity a diagnostic fails the run (exit status 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Only errors fail the run.
    Error,
    /// Errors and warnings fail the run (the default).
    Warning,
    /// Any diagnostic fails the run.
    Hint,
    /// Nothing fails the run (report only).
    Never,
}

impl FailOn {
    pub const VALUES: [(&'static str, FailOn); 4] = [
        ("error", FailOn::Error),
        ("warning", FailOn::Warning),
        ("hint", FailOn::Hint),
        ("never", FailOn::Never),
    ];

    pub fn as_str(self) -> &'static str {
        FailOn::VALUES.iter().find(|v| v.1 == self).unwrap().0
    }

    /// Whether a diagnostic of severity `s` fails the run.
    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s == Severity::Error,
            FailOn::Warning => s <= Severity::Warning,
            FailOn::Hint => true,
            FailOn::Never => false,
        }
    }
}

/// The file as written. Unknown keys are errors (a typo must not silently do nothing).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    tests: Option<bool>,
    tags: Option<Vec<String>>,
    goos: Option<String>,
    goarch: Option<String>,
    fail_on: Option<Spanned<String>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// A parsed and validated config file.
#[derive(Debug, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    pub tests: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub goos: Option<String>,
    pub goarch: Option<String>,
    pub fail_on: Option<FailOn>,
    /// Per-rule severity overrides, by code.
    pub severity: BTreeMap<&'static str, Severity>,
}

impl ConfigFile {
    /// The directory the file's relative `exclude` patterns start from.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// `path:line:col: message`, then the offending line with a caret under the span.
fn located_error(path: &Path, text: &str, span: std::ops::Range<usize>, message: &str) -> String {
    let st = SourceText::new(text.as_bytes());
    let pos = st.position(span.start as u32);
    let line = st.line_text(pos.line);
    let room = line.len().saturating_sub(pos.column as usize - 1).max(1);
    let width = span.len().clamp(1, room);
    let gutter = pos.line.to_string().len();
    let mut out = format!(
        "{}:{}:{}: {message}\n{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
        path.display(),
        pos.line,
        pos.column,
        "",
        pos.line,
        line,
        "",
        " ".repeat(pos.column as usize - 1),
        "^".repeat(width),
    );
    out.push('\n');
    out
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<ConfigFile, Failure> {
    let text = fs::read_to_string(path).map_err(|e| {
        Failure::Config(format!(
            "cannot read config file {}: {}",
            path.display(),
            crate::source::io_message(&e)
        ))
    })?;
    parse(path, &text)
}

/// Parses and validates the text of a config file; errors carry the file, line and column.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Failure> {
    let fail = |span: std::ops::Range<usize>, msg: &str| {
        Failure::Config(located_error(path, text, span, msg))
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim_end().to_owned();
        match e.span() {
            Some(span) => fail(span, &msg),
            None => Failure::Config(format!("{}: {msg}", path.display())),
        }
    })?;
    let rules = |list: Option<Vec<Spanned<String>>>, key: &str| {
        list.map(|l| {
            l.into_iter()
                .map(|p| match rule_pattern_error(p.get_ref()) {
                    Some(err) => Err(fail(p.span(), &format!("in `{key}`: {err}"))),
                    None => Ok(p.into_inner()),
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()
    };
    let select = rules(raw.select, "select")?;
    let ignore = rules(raw.ignore, "ignore")?.unwrap_or_default();
    let mut exclude = Vec::new();
    for p in raw.exclude.unwrap_or_default() {
        if let Err(e) = Exclude::build(Path::new("."), std::slice::from_ref(p.get_ref())) {
            return Err(fail(p.span(), &format!("in `exclude`: {e}")));
        }
        exclude.push(p.into_inner());
    }
    let fail_on = match raw.fail_on {
        None => None,
        Some(v) => match FailOn::VALUES.iter().find(|f| f.0 == v.get_ref()) {
            Some(f) => Some(f.1),
            None => {
                return Err(fail(
                    v.span(),
                    &format!(
                        "invalid `fail-on` value {:?}, expected one of \"error\", \"warning\", \"hint\", \"never\"",
                        v.get_ref()
                    ),
                ))
            }
        },
    };
    let mut severity = BTreeMap::new();
    for (k, v) in raw.severity.unwrap_or_default() {
        let Some(rule) = mapvet_rules::find(k.get_ref()) else {
            return Err(fail(
                k.span(),
                &format!(
                    "in `[severity]`: unknown rule {:?}, expected a rule code such as MV001 or a \
                     name such as nil-map-write",
                    k.get_ref()
                ),
            ));
        };
        let Some(s) = Severity::parse(v.get_ref()) else {
            return Err(fail(
                v.span(),
                &format!(
                    "invalid severity {:?} for {}, expected one of \"error\", \"warning\", \"hint\"",
                    v.get_ref(),
                    rule.meta.code
                ),
            ));
        };
        severity.insert(rule.meta.code, s);
    }
    Ok(ConfigFile {
        path: path.to_path_buf(),
        select,
        ignore,
        exclude,
        tests: raw.tests,
        tags: raw.tags,
        goos: raw.goos,
        goarch: raw.goarch,
        fail_on,
        severity,
    })
}

/// The config file that applies to `path`: the nearest one in its directory or a parent.
/// Two candidates in one directory are an error (which one wins would be a surprise).
pub fn discover(path: &Path) -> Result<Option<PathBuf>, Failure> {
    let abs = absolute(path);
    let start = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent().unwrap_or(Path::new("/"))
    };
    for dir in start.ancestors() {
        let found: Vec<PathBuf> = CONFIG_NAMES
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.is_file())
            .collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(Some(one.clone())),
            [a, b, ..] => {
                return Err(Failure::Config(format!(
                    "both {} and {} exist; keep one of them",
                    a.display(),
                    b.display()
                )))
            }
        }
    }
    Ok(None)
}

pub fn absolute(p: &Path) -> PathBuf {
    clean_path(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// `exclude` globs, relative to a base directory, with gitignore-like meaning: a pattern
/// without `/` matches a file or directory name at any depth (`*_gen.go`, `generated`); a
/// pattern with `/` matches the path from the base (`internal/gen/**`, `api/*.pb.go`). A
/// directory that matches excludes everything below it. `*` does not cross `/`; `**` does.
#[derive(Debug, Clone)]
pub struct Exclude {
    base: PathBuf,
    set: GlobSet,
}

impl Exclude {
    pub fn build(base: &Path, patterns: &[String]) -> Result<Exclude, String> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            let p = p.trim();
            let p = p.strip_prefix("./").unwrap_or(p);
            let p = p.strip_suffix('/').unwrap_or(p);
            if p.is_empty() {
                return Err("empty pattern".into());
            }
            let anchored = p.contains('/');
            let p = p.strip_prefix('/').unwrap_or(p);
            let forms = if anchored {
                vec![p.to_owned(), format!("{p}/**")]
            } else {
                vec![format!("**/{p}"), format!("**/{p}/**")]
            };
            for f in forms {
                let g = GlobBuilder::new(&f)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| format!("invalid glob {p:?}: {}", e.kind()))?;
                b.add(g);
            }
        }
        let set = b.build().map_err(|e| e.to_string())?;
        Ok(Exclude {
            base: absolute(base),
            set,
        })
    }

    /// Whether `path` (absolute or relative to the working directory) is excluded.
    pub fn matches(&self, path: &Path) -> bool {
        if self.set.is_empty() {
            return false;
        }
        let abs = absolute(path);
        match abs.strip_prefix(&self.base) {
            Ok(rel) => self.set.is_match(rel),
            // Outside the base: only unanchored patterns can match (they start with `**/`).
            Err(_) => self.set.is_match(&abs),
        }
    }
}

/// Everything a run of `mapvet check` needs to know that is not a path.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file used, if any.
    pub config: Option<PathBuf>,
    /// The effective `select` (None: every rule) and `ignore` patterns, for `mapvet config`.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub selection: Selection,
    /// Config-file excludes (relative to its directory) and command-line ones (relative to
    /// the working directory).
    pub exclude: Vec<Exclude>,
    pub exclude_patterns: Vec<String>,
    pub build: BuildContext,
    pub fail_on: FailOn,
    pub severity: BTreeMap<&'static str, Severity>,
}

impl Settings {
    /// The settings for the paths whose config file is `config` (None: no file).
    pub fn resolve(args: &SettingsArgs, config: Option<&ConfigFile>) -> Result<Settings, Failure> {
        let empty = ConfigFile::default();
        let file = config.unwrap_or(&empty);
        let (select, ignore) = match &args.select {
            Some(s) => (Some(s.clone()), args.ignore.clone().unwrap_or_default()),
            None => {
                let mut ignore = file.ignore.clone();
                ignore.extend(args.ignore.iter().flatten().cloned());
                (file.select.clone(), ignore)
            }
        };
        let selection = Selection::new(select.as_deref(), Some(&ignore)).map_err(Failure::Usage)?;

        let mut exclude = Vec::new();
        if !file.exclude.is_empty() {
            exclude.push(Exclude::build(file.dir(), &file.exclude).map_err(Failure::Config)?);
        }
        if !args.exclude.is_empty() {
            exclude.push(
                Exclude::build(Path::new("."), &args.exclude)
                    .map_err(|e| Failure::Usage(format!("--exclude: {e}")))?,
            );
        }
        let mut exclude_patterns = file.exclude.clone();
        exclude_patterns.extend(args.exclude.iter().cloned());

        let b = &args.build;
        let mut build = BuildContext::host();
        let goos = b.goos.clone().or_else(|| file.goos.clone());
        let goarch = b.goarch.clone().or_else(|| file.goarch.clone());
        if goos.is_some() || goarch.is_some() {
            let goos = goos.unwrap_or_else(|| build.goos.clone());
            let goarch = goarch.unwrap_or_else(|| build.goarch.clone());
            build.set_target(&goos, &goarch);
        }
        if let Some(tags) = b.tags.as_ref().or(file.tags.as_ref()) {
            build.tags = tags
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
        }
        build.tests = b.tests.or(file.tests).unwrap_or(true);

        Ok(Settings {
            config: config.map(|c| c.path.clone()),
            select,
            ignore,
            selection,
            exclude,
            exclude_patterns,
            build,
            fail_on: args.fail_on.or(file.fail_on).unwrap_or(FailOn::Warning),
            severity: file.severity.clone(),
        })
    }

    /// The settings for `path`: its config file found and applied (see the module doc).
    pub fn for_path(args: &SettingsArgs, path: &Path) -> Result<Settings, Failure> {
        let file = Self::config_path(args, path)?;
        let config = file.as_deref().map(load).transpose()?;
        Settings::resolve(args, config.as_ref())
    }

    /// Which config file applies to `path` under `args` (`--config`, `--no-config`).
    pub fn config_path(args: &SettingsArgs, path: &Path) -> Result<Option<PathBuf>, Failure> {
        if args.no_config {
            return Ok(None);
        }
        if let Some(c) = &args.config {
            return Ok(Some(c.clone()));
        }
        discover(path)
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.iter().any(|e| e.matches(path))
    }

    /// The severity of a rule's diagnostics after `[severity]` overrides.
    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }

    /// `mapvet config`: the effective settings, as a config file would spell them.
    pub fn describe(&self) -> String {
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
            format!("[{}]", items.join(", "))
        };
        let mut s = String::new();
        match &self.config {
            Some(p) => writeln!(s, "# config file: {}", p.display()),
            None => writeln!(s, "# config file: none"),
        }
        .unwrap();
        match &self.select {
            Some(sel) => writeln!(s, "select = {}", list(sel)),
            None => writeln!(s, "select = [\"MV\", \"MP\"]  # all rules"),
        }
        .unwrap();
        writeln!(s, "ignore = {}", list(&self.ignore)).unwrap();
        writeln!(s, "exclude = {}", list(&self.exclude_patterns)).unwrap();
        writeln!(s, "tests = {}", self.build.tests).unwrap();
        writeln!(s, "tags = {}", list(&self.build.tags)).unwrap();
        writeln!(s, "goos = {:?}", self.build.goos).unwrap();
        writeln!(s, "goarch = {:?}", self.build.goarch).unwrap();
        writeln!(s, "fail-on = {:?}", self.fail_on.as_str()).unwrap();
        writeln!(s, "\n# The rules that run, with their effective severity.").unwrap();
        writeln!(s, "[severity]").unwrap();
        for r in RULES.iter().filter(|r| self.selection.is_enabled(r.meta)) {
            let sev = self.severity_of(r.meta.code, r.meta.severity.into());
            writeln!(s, "{} = {:?}  # {}", r.meta.code, sev.as_str(), r.meta.name).unwrap();
        }
        s
    }
}

/// `mapvet config [PATH]`.
pub fn print(args: &ConfigArgs, out: &mut dyn std::io::Write) -> Result<(), Failure> {
    if let Err(e) = fs::symlink_metadata(&args.path) {
        return Err(Failure::Usage(format!(
            "cannot access '{}': {}",
            args.path.display(),
            crate::source::io_message(&e)
        )));
    }
    let s = Settings::for_path(&args.settings, &args.path)?;
    crate::ignore_broken_pipe(
        out.write_all(s.describe().as_bytes())
            .and_then(|()| out.flush()),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse(Path::new("mapvet.toml"), text) {
            Err(Failure::Config(m)) => m,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn parses_every_key() {
        let c = parse(
            Path::new("/p/mapvet.toml"),
            r#"
select = ["MV", "map-size-hint"]
ignore = ["MV007"]
exclude = ["gen/**", "*_gen.go"]
tests = false
tags = ["integration"]
goos = "windows"
goarch = "arm64"
fail-on = "error"

[severity]
MV007 = "warning"
pointer-to-map-param = "error"
"#,
        )
        .unwrap();
        assert_eq!(c.select.unwrap(), ["MV", "map-size-hint"]);
        assert_eq!(c.ignore, ["MV007"]);
        assert_eq!(c.exclude, ["gen/**", "*_gen.go"]);
        assert_eq!(c.tests, Some(false));
        assert_eq!(c.tags.unwrap(), ["integration"]);
        assert_eq!(c.goos.as_deref(), Some("windows"));
        assert_eq!(c.fail_on, Some(FailOn::Error));
        assert_eq!(c.severity.get("MV007"), Some(&Severity::Warning));
        assert_eq!(c.severity.get("MP001"), Some(&Severity::Error));
    }

    #[test]
    fn errors_have_file_line_column_and_expectation() {
        let e = err("select = [\"MV\"]\nselct = 1\n");
        assert!(
            e.starts_with("mapvet.toml:2:1: unknown field `selct`, expected one of"),
            "{e}"
        );
        assert!(e.contains("2 | selct = 1\n  | ^^^^^"), "{e}");

        let e = err("tests = \"yes\"\n");
        assert!(
            e.starts_with("mapvet.toml:1:9: invalid type: string \"yes\", expected a boolean"),
            "{e}"
        );

        let e = err("select = [\"MV\", \"XX9\"]\n");
        assert!(
            e.starts_with("mapvet.toml:1:17: in `select`: unknown rule \"XX9\""),
            "{e}"
        );

        let e = err("fail-on = \"sometimes\"\n");
        assert!(
            e.starts_with("mapvet.toml:1:11: invalid `fail-on` value \"sometimes\""),
            "{e}"
        );

        let e = err("[severity]\nMV001 = \"fatal\"\n");
        assert!(
            e.starts_with("mapvet.toml:2:9: invalid severity \"fatal\" for MV001"),
            "{e}"
        );

        let e = err("[severity]\nnope = \"hint\"\n");
        assert!(
            e.starts_with("mapvet.toml:2:1: in `[severity]`: unknown rule \"nope\""),
            "{e}"
        );

        let e = err("exclude = [\"a/[b\"]\n");
        assert!(
            e.starts_with("mapvet.toml:1:12: in `exclude`: invalid glob"),
            "{e}"
        );

        let e = err("select = [\n");
        assert!(e.starts_with("mapvet.toml:"), "{e}");
    }

    /// The sample config in README.md is valid and means what its comments say.
    #[test]
    fn readme_sample_parses() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("# mapvet.toml —")
            .expect("README has the sample");
        let text = &readme[start..];
        let text = &text[..text.find("```").unwrap()];
        let c = parse(Path::new("mapvet.toml"), text).unwrap();
        assert_eq!(
            c.select.as_deref(),
            Some(&["MV".to_owned(), "map-size-hint".to_owned()][..])
        );
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.severity.get("MV003"), Some(&Severity::Error));
    }

    #[test]
    fn exclude_patterns() {
        let ex = Exclude::build(
            Path::new("/r"),
            &[
                "*_gen.go".into(),
                "generated".into(),
                "api/*.pb.go".into(),
                "/tools/".into(),
            ],
        )
        .unwrap();
        for (p, want) in [
            ("/r/a_gen.go", true),
            ("/r/x/y/a_gen.go", true),
            ("/r/x/generated/a.go", true),
            ("/r/api/v.pb.go", true),
            ("/r/api/sub/v.pb.go", false),
            ("/r/x/api/v.pb.go", false),
            ("/r/tools/a.go", true),
            ("/r/x/tools/a.go", false),
            ("/r/a.go", false),
            ("/elsewhere/b_gen.go", true),
        ] {
            assert_eq!(ex.matches(Path::new(p)), want, "{p}");
        }
    }

    #[test]
    fn fail_on_thresholds() {
        use Severity::*;
        assert!(FailOn::Warning.fails(Error) && FailOn::Warning.fails(Warning));
        assert!(!FailOn::Warning.fails(Hint));
        assert!(FailOn::Error.fails(Error) && !FailOn::Error.fails(Warning));
        assert!(FailOn::Hint.fails(Hint));
        assert!(!FailOn::Never.fails(Error));
    }
}
