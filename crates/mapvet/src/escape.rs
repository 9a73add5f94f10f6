//! `mapvet escape`: its arguments and its output. The work (running the compiler, reading its
//! logs, explaining the decisions) is done by the `mapvet_escape` crate.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mapvet_escape::{Error, Options, TextOptions};

use crate::Failure;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EscapeFormat {
    /// Each decision with its explanation, then per-function and per-package counts.
    Text,
    /// One JSON object: packages, their functions and decisions, and the counts.
    Json,
}

#[derive(Debug, Args)]
pub struct EscapeArgs {
    /// Packages to compile: directories (a file stands for its directory; `dir/...` for the
    /// tree) or go package patterns (`./...`, `example.com/m/p`) [default: ./...].
    #[arg(value_name = "PATH|PATTERN")]
    pub patterns: Vec<String>,

    /// The go command to run: a `go` binary or a GOROOT directory [default: `go` on PATH].
    #[arg(long, value_name = "PATH")]
    pub go: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EscapeFormat::Text)]
    pub format: EscapeFormat,

    /// List only what escapes (heap allocations, variables moved to the heap, leaking
    /// parameters); the counts still include what stays on the stack.
    #[arg(long)]
    pub only_escaping: bool,

    /// Include _test.go files (compiles with `go test -c` instead of `go build`).
    #[arg(long, help_heading = "Build")]
    pub tests: bool,

    /// Build tags, comma-separated (the go command's -tags).
    #[arg(
        long,
        value_name = "TAG,...",
        value_delimiter = ',',
        help_heading = "Build"
    )]
    pub tags: Option<Vec<String>>,

    /// Target operating system (GOOS for the go command) [default: $GOOS, else the host's].
    #[arg(long, value_name = "GOOS", help_heading = "Build")]
    pub goos: Option<String>,

    /// Target architecture (GOARCH for the go command) [default: $GOARCH, else the host's].
    #[arg(long, value_name = "GOARCH", help_heading = "Build")]
    pub goarch: Option<String>,

    /// Read the reason chains from `-gcflags=-m=2` text instead of the JSON log (the path
    /// taken for compilers without the JSON log).
    #[arg(long, hide = true)]
    pub text_log: bool,
}

/// `mapvet escape`. Exit status 0 with a report; 2 when there is no Go toolchain or the
/// packages do not build (the compiler's errors are printed).
pub fn run(args: &EscapeArgs, out: &mut dyn Write) -> Result<ExitCode, Failure> {
    let cwd = std::env::current_dir()
        .map_err(|e| Failure::Internal(format!("cannot read the working directory: {e}")))?;
    let opts = Options {
        patterns: args.patterns.clone(),
        go: args.go.clone(),
        tests: args.tests,
        tags: args.tags.clone(),
        goos: args.goos.clone(),
        goarch: args.goarch.clone(),
        force_text: args.text_log,
        ..Options::new(cwd)
    };
    let report = mapvet_escape::run(&opts).map_err(|e| match e {
        Error::NoToolchain(_) | Error::BuildFailed { .. } => Failure::Usage(e.to_string()),
        Error::Io(m) => Failure::Internal(m),
    })?;
    for w in &report.warnings {
        eprintln!("mapvet: {w}");
    }
    let topts = TextOptions {
        only_escaping: args.only_escaping,
    };
    let r = match args.format {
        EscapeFormat::Text => mapvet_escape::report::write_text(&report, topts, out),
        EscapeFormat::Json => mapvet_escape::report::write_json(&report, topts, out),
    };
    crate::ignore_broken_pipe(r.and_then(|()| out.flush()))?;
    Ok(ExitCode::SUCCESS)
}
