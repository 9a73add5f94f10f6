//! Command-line surface (clap derive) and dispatch.

use std::io::{self, BufWriter};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use mapvet_semantic::load::BuildContext;

use crate::config::FailOn;
use crate::output::{ColorChoice, Format};
use crate::stats::Stats;
use crate::{check, debug, Failure};

/// mapvet: finds map bugs in Go code (nil-map writes, lost map reassignments, concurrent map
/// writes, ...).
#[derive(Debug, Parser)]
#[command(name = "mapvet", version)]
pub struct Cli {
    /// Print file counts and wall time per phase to stderr.
    #[arg(long, global = true)]
    pub stats: bool,

    /// Number of worker threads [default: all cores].
    #[arg(short = 'j', long, global = true, value_name = "N")]
    pub threads: Option<NonZeroUsize>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Go files and directories.
    ///
    /// Directories are walked like the go tool does: `vendor` and `testdata` directories and
    /// names starting with `.` or `_` are skipped, and .gitignore is honoured. A file named on
    /// the command line is always checked (unless a config `exclude` matches it). `./...` is
    /// the same as `.`; `-` reads one file from standard input (see --stdin-filename).
    ///
    /// Settings come from the nearest mapvet.toml or .mapvet.toml at or above each path;
    /// flags win over the file.
    ///
    /// Exit status: 0 when no diagnostic is at or above --fail-on, 1 when one is, 2 on
    /// usage, config or internal errors.
    Check(CheckArgs),
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Print the effective settings for a path.
    ///
    /// Shows the config file found for PATH and every setting after the flags given are
    /// applied, as a mapvet.toml would spell them, with the rules that run and their
    /// severity.
    Config(ConfigArgs),
    /// Print a rule's documentation (`mapvet explain MV001` or `mapvet explain nil-map-write`).
    Explain {
        #[arg(value_name = "CODE|NAME")]
        rule: String,
    },
    /// Show the Go compiler's escape decisions about maps, explained (runs the go toolchain).
    Escape(crate::escape::EscapeArgs),
    /// Developer tools: parser checks and AST dumps.
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (`-`: standard input).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, help_heading = "Output")]
    pub format: Format,

    /// When to colour text output.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorChoice::Auto,
        help_heading = "Output"
    )]
    pub color: ColorChoice,

    /// Print the number of diagnostics per rule instead of the diagnostics.
    #[arg(long, help_heading = "Output")]
    pub statistics: bool,

    /// Print diagnostics only: no summary line, no progress bar, no warnings.
    #[arg(short, long, conflicts_with = "verbose", help_heading = "Output")]
    pub quiet: bool,

    /// Also print the config file used and the package loader's notes (unresolved imports,
    /// unreadable directories) to stderr.
    #[arg(short, long, help_heading = "Output")]
    pub verbose: bool,

    /// Apply safe fixes in place, then report what is left.
    #[arg(long, conflicts_with = "diff", help_heading = "Fixes")]
    pub fix: bool,

    /// Print the safe fixes as a unified diff instead of applying them (exit 1 if there is
    /// one).
    #[arg(long, help_heading = "Fixes")]
    pub diff: bool,

    /// Report suppression comments (//mapvet:ignore, //nolint) that suppress nothing, as
    /// E002 unused-ignore warnings.
    #[arg(long, help_heading = "Rule selection")]
    pub report_unused_ignores: bool,

    /// With `-` as the path: the file the text on standard input stands for. Its package is
    /// loaded from disk for types, with the standard input in place of the file, and
    /// diagnostics carry this path.
    #[arg(long, value_name = "PATH", help_heading = "Input")]
    pub stdin_filename: Option<PathBuf>,

    /// Neither read nor write the result cache (by default the results of unchanged
    /// packages are replayed from $MAPVET_CACHE_DIR, else the user cache directory, e.g.
    /// ~/.cache/mapvet; MAPVET_CACHE_DIR=off turns it off for good).
    #[arg(long, help_heading = "Cache")]
    pub no_cache: bool,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// `mapvet config [PATH]`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The file or directory whose settings to print.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Everything that can also be set in mapvet.toml (flags win over the file).
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// Rules to run: codes, names or code prefixes, comma-separated (default: all). Replaces
    /// the config file's `select` and `ignore`.
    #[arg(
        long,
        value_name = "RULE,...",
        value_delimiter = ',',
        help_heading = "Rule selection"
    )]
    pub select: Option<Vec<String>>,

    /// Rules not to run: codes, names or code prefixes, comma-separated. Adds to the config
    /// file's `ignore`.
    #[arg(
        long,
        value_name = "RULE,...",
        value_delimiter = ',',
        help_heading = "Rule selection"
    )]
    pub ignore: Option<Vec<String>>,

    /// Files and directories not to check: globs, comma-separated (`*_gen.go`, `api/**`).
    /// Adds to the config file's `exclude`.
    #[arg(
        long,
        value_name = "GLOB,...",
        value_delimiter = ',',
        help_heading = "Configuration"
    )]
    pub exclude: Vec<String>,

    /// The lowest severity that makes the exit status 1 [default: warning].
    #[arg(
        long,
        value_enum,
        value_name = "SEVERITY",
        help_heading = "Configuration"
    )]
    pub fail_on: Option<FailOn>,

    /// Use this config file instead of looking for mapvet.toml / .mapvet.toml.
    #[arg(long, value_name = "FILE", help_heading = "Configuration")]
    pub config: Option<PathBuf>,

    /// Ignore config files.
    #[arg(long, conflicts_with = "config", help_heading = "Configuration")]
    pub no_config: bool,

    #[command(flatten)]
    pub build: BuildArgs,
}

/// The build configuration flags shared by every command that loads packages (flatten into the
/// command's arguments). CGO_ENABLED is read from the environment.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// Target operating system for build constraints [default: $GOOS, else the host's].
    #[arg(long, value_name = "GOOS", help_heading = "Build")]
    pub goos: Option<String>,

    /// Target architecture for build constraints [default: $GOARCH, else the host's].
    #[arg(long, value_name = "GOARCH", help_heading = "Build")]
    pub goarch: Option<String>,

    /// Build tags, comma-separated; replaces the -tags of $GOFLAGS, like the go tool's -tags.
    #[arg(
        long,
        value_name = "TAG,...",
        value_delimiter = ',',
        help_heading = "Build"
    )]
    pub tags: Option<Vec<String>>,

    /// Analyse _test.go files too (`--tests=false` to skip them) [default: true].
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set,
        help_heading = "Build"
    )]
    pub tests: Option<bool>,
}

impl BuildArgs {
    /// The build context of the environment ([`BuildContext::host`]: $GOOS/$GOARCH or the host,
    /// CGO_ENABLED, $GOFLAGS tags, GOROOT) with the flags applied.
    pub fn context(&self) -> BuildContext {
        let mut ctx = BuildContext::host();
        if self.goos.is_some() || self.goarch.is_some() {
            let goos = self.goos.clone().unwrap_or_else(|| ctx.goos.clone());
            let goarch = self.goarch.clone().unwrap_or_else(|| ctx.goarch.clone());
            ctx.set_target(&goos, &goarch);
        }
        if let Some(tags) = &self.tags {
            ctx.tags = tags
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect();
        }
        ctx.tests = self.tests.unwrap_or(true);
        ctx
    }
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Parse every *.go file under the paths (nothing skipped) and list the rejected ones.
    Parse {
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the canonical AST dump of FILE (docs/AST_DUMP.md), or with --hash the dump hash of
    /// every accepted *.go file under the paths.
    Ast {
        /// Print `<path> <fnv1a64 of the dump>` per file instead of the dump.
        #[arg(long)]
        hash: bool,
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
    /// Type-check the packages under the paths and print every identifier (definition or use)
    /// whose object is a variable, parameter, result, receiver or struct field of map or
    /// pointer-to-map type: `relpath:line:col map|ptrmap NAME`, sorted by path, line, column
    /// (the go/types oracle `tools/gotypes map-idents` prints the same).
    MapIdents {
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,

        #[command(flatten)]
        build: BuildArgs,
    },
}

/// Runs the parsed command line and returns the exit status.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cli.threads.map_or(0, NonZeroUsize::get))
        // The parser guards against deep nesting itself; a large stack is a second line.
        .stack_size(64 << 20)
        .thread_name(|i| format!("mapvet-{i}"))
        .build()
        .map_err(|e| Failure::Internal(format!("cannot start worker threads: {e}")))?;
    let mut stats = Stats::start(pool.current_num_threads());
    // Everything runs on a pool thread, so that even single-file commands get the big stack.
    let code = pool.install(|| -> Result<ExitCode, Failure> {
        let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
        match &cli.command {
            Command::Check(args) => check::run(args, &mut out, &mut stats),
            Command::Config(args) => {
                crate::config::print(args, &mut out)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Rules => {
                crate::rules::list(&mut out).map_err(|e| Failure::Internal(e.to_string()))?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Explain { rule } => {
                crate::rules::explain(rule, &mut out)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Escape(args) => crate::escape::run(args, &mut out),
            Command::Debug(DebugCommand::Parse { paths }) => {
                debug::parse(paths, &mut out, &mut stats)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Debug(DebugCommand::Ast { hash: true, paths }) => {
                debug::ast_hashes(paths, &mut out, &mut stats)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Debug(DebugCommand::MapIdents { paths, build }) => {
                debug::map_idents(paths, &build.context(), &mut out, &mut stats)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Debug(DebugCommand::Ast { hash: false, paths }) => match paths.as_slice() {
                [file] => {
                    debug::ast(file, &mut out, &mut stats)?;
                    Ok(ExitCode::SUCCESS)
                }
                _ => Err(Failure::Usage(
                    "`debug ast` takes one FILE (or --hash PATH...)".into(),
                )),
            },
        }
    })?;
    if cli.stats {
        stats.print();
    }
    Ok(code)
}
