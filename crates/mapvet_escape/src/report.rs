//! The result of `mapvet escape`: map-related decisions with explanations, and summaries per
//! function and per package; rendered as text or JSON.

use std::io::{self, Write};

use serde::Serialize;

/// Everything one run found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The compiler's version (`go1.26.1`) when the JSON log gave it.
    pub go_version: Option<String>,
    /// Where the chains came from: `json` (the JSON optimization log) or `m=2` (the text of
    /// `-gcflags=-m=2`, for compilers without the JSON log).
    pub log: String,
    pub packages: Vec<PackageReport>,
    /// Totals over all packages.
    pub summary: Summary,
    /// Warnings of the go command (`matched no packages`, ...), for stderr.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PackageReport {
    pub import_path: String,
    pub dir: String,
    pub summary: Summary,
    /// Functions with at least one decision, in source order.
    pub functions: Vec<FunctionSummary>,
    /// Sorted by file, line, column.
    pub decisions: Vec<Decision>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FunctionSummary {
    /// `F`, `T.M`, `(*T).M`, or `(package initialization)`.
    pub name: String,
    pub file: String,
    pub line: u32,
    pub summary: Summary,
}

/// Counts of decisions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Map allocations (`make`, literals, `new`, including ones inlined from calls) that
    /// escape to the heap.
    pub heap: u32,
    /// Map allocations that stay on the stack.
    pub stack: u32,
    /// Variables of map or pointer-to-map type moved to the heap.
    pub moved: u32,
    /// Parameters of map or pointer-to-map type that leak (to the heap or to a result).
    pub leaking_params: u32,
    /// Closures, struct or slice literals and struct variables that carry a map and escape
    /// (or are moved to the heap).
    pub carriers_heap: u32,
    /// The same that stay on the stack.
    pub carriers_stack: u32,
}

impl Summary {
    pub fn add(&mut self, o: &Summary) {
        self.heap += o.heap;
        self.stack += o.stack;
        self.moved += o.moved;
        self.leaking_params += o.leaking_params;
        self.carriers_heap += o.carriers_heap;
        self.carriers_stack += o.carriers_stack;
    }

    pub fn count(&mut self, d: &Decision) {
        use Kind::*;
        use Outcome::*;
        match (d.kind, d.outcome) {
            (Make | Literal | New | Inlined, Heap) => self.heap += 1,
            (Make | Literal | New | Inlined, Stack) => self.stack += 1,
            (Variable, Moved) => self.moved += 1,
            (Parameter, Leaks) => self.leaking_params += 1,
            (Closure | Composite | StructVariable, Heap | Moved) => self.carriers_heap += 1,
            (Closure | Composite | StructVariable, Stack) => self.carriers_stack += 1,
            _ => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Summary::default()
    }
}

/// What the decision is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `make(map[K]V[, hint])`.
    Make,
    /// A map composite literal.
    Literal,
    /// `new(map[K]V)` or `&map[K]V{...}`: a pointer to a map.
    New,
    /// A map allocation inside a call that the compiler inlined here.
    Inlined,
    /// A variable (or parameter) of map or pointer-to-map type.
    Variable,
    /// A parameter of map or pointer-to-map type.
    Parameter,
    /// A function literal that captures a map.
    Closure,
    /// A struct, array or slice literal that holds a map.
    Composite,
    /// A variable of a struct or array type that holds a map.
    StructVariable,
}

/// What the compiler decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Allocated on the heap.
    Heap,
    /// Allocated on the stack.
    Stack,
    /// A variable moved to the heap.
    Moved,
    /// A parameter that leaks (to the heap or to a result).
    Leaks,
    /// A parameter that does not escape.
    NoLeak,
}

impl Outcome {
    pub fn escapes(self) -> bool {
        matches!(self, Outcome::Heap | Outcome::Moved | Outcome::Leaks)
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::Heap => "heap",
            Outcome::Stack => "stack",
            Outcome::Moved => "moved to heap",
            Outcome::Leaks => "leaks",
            Outcome::NoLeak => "does not escape",
        }
    }
}

/// One map-related decision of the compiler.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    /// Path relative to the working directory when below it, else absolute.
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// The declared function it is in (`(package initialization)` at package level).
    pub function: String,
    pub kind: Kind,
    pub outcome: Outcome,
    /// The source line.
    pub code: String,
    /// The node as the compiler names it (`make(map[string]int)`, `m`, `func literal`).
    pub expr: String,
    /// The explanation, in plain words.
    pub message: String,
    /// The reason chain, one step per entry.
    pub reasons: Vec<Reason>,
    /// The compiler's own words: its decision line and its flow chain.
    pub compiler: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Reason {
    pub text: String,
    /// The source line the step happens on (same file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 map allocations escape to the heap, 2 stay on the stack; ...`.
pub fn summary_sentence(s: &Summary) -> String {
    let mut parts = vec![format!(
        "{} to the heap, {} on the stack",
        plural(s.heap, "map allocation escapes", "map allocations escape"),
        plural(s.stack, "stays", "stay")
    )];
    if s.moved > 0 {
        parts.push(format!(
            "{} moved to the heap",
            plural(s.moved, "map variable", "map variables")
        ));
    }
    if s.leaking_params > 0 {
        parts.push(plural(
            s.leaking_params,
            "map parameter leaks",
            "map parameters leak",
        ));
    }
    if s.carriers_heap + s.carriers_stack > 0 {
        parts.push(format!(
            "closures and values holding a map: {} on the heap, {} on the stack",
            s.carriers_heap, s.carriers_stack
        ));
    }
    parts.join("; ")
}

/// Options of the text rendering.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Leave out the decisions that keep things on the stack (summaries still count them).
    pub only_escaping: bool,
}

/// The text format: per package, every decision (`file:line:col: outcome (function)`, then
/// the explanation, indented), the per-function table, and the package's totals.
pub fn write_text(r: &Report, opts: TextOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut shown_packages = 0;
    for p in &r.packages {
        let decisions: Vec<&Decision> = p
            .decisions
            .iter()
            .filter(|d| !opts.only_escaping || d.outcome.escapes())
            .collect();
        if p.summary.is_empty() {
            continue;
        }
        if shown_packages > 0 {
            writeln!(out)?;
        }
        shown_packages += 1;
        writeln!(out, "package {} ({})", p.import_path, p.dir)?;
        for d in &decisions {
            writeln!(
                out,
                "{}:{}:{}: {} ({})",
                d.file,
                d.line,
                d.column,
                d.outcome.label(),
                d.function
            )?;
            for l in wrap(&d.message, 96) {
                writeln!(out, "    {l}")?;
            }
        }
        let width = p
            .functions
            .iter()
            .map(|f| f.name.chars().count())
            .max()
            .unwrap_or(8)
            .max(8);
        writeln!(out)?;
        writeln!(
            out,
            "  {:<width$}  {:>5} {:>5} {:>5} {:>6}",
            "function", "heap", "stack", "moved", "leaks"
        )?;
        for f in &p.functions {
            let s = &f.summary;
            writeln!(
                out,
                "  {:<width$}  {:>5} {:>5} {:>5} {:>6}",
                f.name, s.heap, s.stack, s.moved, s.leaking_params
            )?;
        }
        writeln!(out, "  {}: {}", p.import_path, summary_sentence(&p.summary))?;
    }
    if shown_packages == 0 {
        writeln!(
            out,
            "No map allocation decisions in {}.",
            plural(r.packages.len() as u32, "package", "packages")
        )?;
    } else if r.packages.len() > 1 {
        writeln!(out)?;
        writeln!(
            out,
            "Total ({}): {}",
            plural(r.packages.len() as u32, "package", "packages"),
            summary_sentence(&r.summary)
        )?;
    }
    Ok(())
}

/// The JSON format: the whole report as one object (`--only-escaping` drops the stack
/// decisions from the lists, not from the counts).
pub fn write_json(r: &Report, opts: TextOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut r = r.clone();
    if opts.only_escaping {
        for p in &mut r.packages {
            p.decisions.retain(|d| d.outcome.escapes());
        }
    }
    serde_json::to_writer_pretty(&mut *out, &r)?;
    writeln!(out)
}

/// Greedy word wrap; code spans in backquotes are not broken.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in split_words(text) {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Words separated by spaces, keeping `code spans` whole.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_code = false;
    for ch in text.chars() {
        if ch == '`' {
            in_code = !in_code;
        }
        // `(line 12)` stays on one line.
        if ch == ' ' && !in_code && !cur.ends_with("(line") {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(ch);
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_without_breaking_code() {
        let w = wrap(
            "it is passed to `fmt.Println` (line 35), which takes `...any`",
            31,
        );
        assert_eq!(
            w,
            [
                "it is passed to `fmt.Println`",
                "(line 35), which takes `...any`"
            ]
        );
    }

    #[test]
    fn sentence() {
        let s = Summary {
            heap: 1,
            stack: 2,
            moved: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_sentence(&s),
            "1 map allocation escapes to the heap, 2 stay on the stack; 1 map variable moved to the heap"
        );
    }
}
