//! The progress bar on standard error: shown only when standard error is a terminal, the
//! run is long enough to need one ([`MIN_FILES`]), `--quiet` is off and the run is not in CI
//! (`$CI`) or on a dumb terminal. Otherwise every method does nothing, so the output of
//! redirected, piped and CI runs never contains progress noise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs on fewer files end before a bar would help.
pub const MIN_FILES: usize = 200;

#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// A bar if the conditions in the module doc hold.
    pub fn new(quiet: bool, files: usize) -> Progress {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        if quiet || ci || dumb || files < MIN_FILES || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<24} [{bar:30}] {pos}/{len} files")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message("parsing");
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar: Some(bar) }
    }

    /// One more file parsed.
    pub fn inc(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// A phase without a count (loading and type-checking packages, running rules).
    pub fn spin(&self, message: &'static str) {
        if let Some(b) = &self.bar {
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("valid template"),
            );
            b.set_message(message);
        }
    }

    /// Removes the bar before the results are printed.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
