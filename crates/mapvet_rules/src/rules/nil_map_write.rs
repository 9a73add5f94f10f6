//! `MV001` `nil-map-write`.
//!
//! The analysis (shared with MV002) lives in `crate::nilness`: a path-sensitive forward
//! dataflow of nil-ness over each function's CFG, with closures run where they run and
//! callees summarised on demand.

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// Finds stores into a map that is nil on a path reaching the store: `m[k] = v`,
    /// `m[k] op= v`, `m[k]++`, `m[k]--`, and the same through a pointer (`(*p)[k] = v`,
    /// with `p := new(map[K]V)`, or `p := &m` / `p := &s.f` pointing at a local map that is
    /// nil; a pointer that is copied, passed on, reassigned or used in a closure is not
    /// followed). The nil map can come from:
    /// - `var m map[K]V` without a value, `m = nil`, or a named result that is never assigned;
    /// - the zero value of a struct whose map field is not set before the store:
    ///   `var s S`, `S{}` / `&S{}` literals that omit the field, `new(S)` (a method called on
    ///   it that only sets other fields, like a setter or `s.mu.Lock()`, does not set it;
    ///   one that may set the map or lets the receiver escape makes it unknown);
    /// - an inner map read out of a map of maps that nothing is ever stored into
    ///   (`outer := map[string]map[string]int{}; outer[a][b] = 1`, also through
    ///   `inner, ok := outer[a]`), at any depth
    ///   (`outer[a][b][c] = 1`: `outer[a][b]` is read out of the nil `outer[a]`) unless the
    ///   function creates some deeper level itself;
    /// - a variable captured by a closure (a deferred one included) that runs while it is
    ///   still nil;
    /// - an unexported package-level `var m map[K]V` that nothing in the package assigns;
    /// - a call that passes a nil map (a `nil` argument, or a nil receiver as in
    ///   `var s Set; s.Add(k)` or `Set.Add(s, k)`, a method promoted from a nil embedded field, a method called
    ///   on an inner map of a never-populated map of maps) to a function of the analysed code
    ///   that stores into it on
    ///   every path (reported at the call, with a label on the callee's store); for a
    ///   deferred call (`defer s.Add(k)`), the map as it is at the `defer` statement, since
    ///   that is when a receiver or argument passed by value is evaluated; a deferred method
    ///   with a pointer receiver (`var c Counter; defer c.Inc(k)`) sees the struct as it is
    ///   at function exit, when it runs.
    ///
    /// Only paths that are feasible by local reasoning count: a branch on the same unchanged
    /// condition, a branch on a boolean constant (`const debug = false; if debug { ... }`
    /// never runs), a nil check on a map allocated together with this one, a read that proves
    /// the map non-nil (`if m[k] > 0`, `if _, ok := m[k]; ok`), closures that run only after
    /// the assignment, and stores guarded by `if m == nil { m = make(...) }` are not
    /// reported. Maps whose nil-ness is unknown (parameters, call results, fields of values
    /// from elsewhere) are never reported, and neither are reads, `len`, `range` or `delete`,
    /// which are all fine on a nil map.
    ///
    /// ## Why is this bad?
    /// A nil map behaves like an empty map when read, but storing into it panics:
    /// `panic: assignment to entry in nil map`.
    ///
    /// ## Example
    /// ```go
    /// type Config struct {
    ///     items map[string]int
    /// }
    ///
    /// func load(keys []string) Config {
    ///     var cfg Config
    ///     for _, k := range keys {
    ///         cfg.items[k]++ // panics: cfg.items is nil
    ///     }
    ///     return cfg
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```go
    /// func load(keys []string) Config {
    ///     cfg := Config{items: make(map[string]int)}
    ///     for _, k := range keys {
    ///         cfg.items[k]++
    ///     }
    ///     return cfg
    /// }
    /// ```
    META { code: "MV001", name: "nil-map-write", severity: Error,
           summary: "store into a map that is nil on some path: panics with \"assignment to entry in nil map\"",
           fixable: false }
}

pub(crate) fn check(cx: &mut FileCx<'_, '_>) {
    crate::nilness::report(cx, crate::nilness::MV001);
}
