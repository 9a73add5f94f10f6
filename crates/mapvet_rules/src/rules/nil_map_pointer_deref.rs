//! `MV002` `nil-map-pointer-deref`.
//!
//! The analysis (shared with MV001) lives in `crate::nilness`.

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// Finds dereferences of a pointer to a map (`*map[K]V`, through defined types too) that
    /// is nil on a path reaching the dereference: `*p = m`, `(*p)[k] = v`, `v := (*p)[k]`,
    /// `len(*p)`, `range *p`. The nil pointer comes from `var p *map[K]V` without a value,
    /// `p = nil`, a named result that is never assigned, a `*map[K]V` field of a zero struct,
    /// an unexported package-level pointer nothing assigns, or a `nil` argument to a function
    /// of the analysed code that dereferences its parameter on every path.
    ///
    /// Path feasibility works as for MV001 (`nil-map-write`): guards such as
    /// `if p == nil { p = new(map[string]int) }` or `if p != nil { ... }` are respected,
    /// and pointers whose nil-ness is unknown (parameters, call results) are never reported.
    /// A store through a non-nil pointer to a nil map (`p := new(map[string]int);
    /// (*p)["a"] = 1`) is MV001, not MV002.
    ///
    /// ## Why is this bad?
    /// Dereferencing a nil pointer panics:
    /// `panic: runtime error: invalid memory address or nil pointer dereference`.
    /// Unlike a nil map, which can still be read, a nil map pointer cannot even be read
    /// through or asked for its length.
    ///
    /// ## Example
    /// ```go
    /// func collect(words []string) map[string]int {
    ///     var counts *map[string]int
    ///     for _, w := range words {
    ///         (*counts)[w]++ // panics: counts is nil
    ///     }
    ///     return *counts
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func collect(words []string) map[string]int {
    ///     counts := make(map[string]int)
    ///     for _, w := range words {
    ///         counts[w]++
    ///     }
    ///     return counts
    /// }
    /// ```
    META { code: "MV002", name: "nil-map-pointer-deref", severity: Error,
           summary: "dereference of a map pointer that is nil on some path: panics with a nil pointer dereference",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    crate::nilness::report(cx, crate::nilness::MV002);
}
