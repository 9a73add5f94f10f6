/// Declares a rule's metadata from its doc comment:
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     META { code: "MV001", name: "nil-map-write", severity: Error,
///            summary: "store into a nil map", fixable: false }
/// }
/// ```
/// The doc comment lines become `META.doc` (what `mapvet explain` prints).
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* META { code: $code:literal, name: $name:literal, severity: $sev:ident, summary: $summary:literal, fixable: $fixable:literal $(,)? }) => {
        $(#[doc = $doc])*
        pub static META: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            fixable: $fixable,
        };
    };
}
