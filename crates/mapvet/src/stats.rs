//! `--stats`: counts and wall time per phase, printed to stderr as a small aligned table.

use std::io::{self, Write};
use std::time::{Duration, Instant};

pub struct Stats {
    start: Instant,
    mark: Instant,
    phases: Vec<(&'static str, Duration)>,
    pub threads: usize,
    pub files: u64,
    pub bytes: u64,
    pub lines: u64,
}

impl Stats {
    pub fn start(threads: usize) -> Stats {
        let now = Instant::now();
        Stats {
            start: now,
            mark: now,
            phases: Vec::new(),
            threads,
            files: 0,
            bytes: 0,
            lines: 0,
        }
    }

    /// Ends the current phase, naming it.
    pub fn phase(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.mark));
        self.mark = now;
    }

    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("threads", self.threads.to_string()),
            ("files", self.files.to_string()),
            ("bytes", self.bytes.to_string()),
            ("lines", self.lines.to_string()),
        ];
        for &(name, d) in &self.phases {
            rows.push((name, ms(d)));
        }
        rows.push(("total", ms(self.mark - self.start)));
        rows
    }

    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows = self.rows();
        let lw = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        let vw = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
        for (label, value) in rows {
            writeln!(out, "{label:<lw$}  {value:>vw$}")?;
        }
        Ok(())
    }

    pub fn print(&self) {
        let _ = self.write(&mut io::stderr().lock());
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned() {
        let mut s = Stats::start(2);
        s.files = 3;
        s.bytes = 12345;
        s.phase("walk");
        s.phase("read+parse");
        let mut out = Vec::new();
        s.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 7);
        assert!(lines.iter().all(|l| l.len() == lines[0].len()), "{text}");
        assert!(lines[5].starts_with("read+parse  ") && lines[5].ends_with(" ms"));
    }
}
