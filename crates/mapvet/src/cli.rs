//! Command-line surface (clap derive) and dispatch.

use std::io::{self, BufWriter};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;
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
    /// the command line is always checked.
    ///
    /// Exit status: 0 when there is no diagnostic, 1 when there is any, 2 on usage or
    /// internal errors.
    Check(CheckArgs),
    /// Developer tools: parser checks and AST dumps.
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
            Command::Check(args) => check::run(&args.paths, args.format, &mut out, &mut stats),
            Command::Debug(DebugCommand::Parse { paths }) => {
                debug::parse(paths, &mut out, &mut stats)?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Debug(DebugCommand::Ast { hash: true, paths }) => {
                debug::ast_hashes(paths, &mut out, &mut stats)?;
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
