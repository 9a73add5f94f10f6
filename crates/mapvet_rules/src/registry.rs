//! The rule registry: one line per rule, code → metadata and check function.

use crate::context::FileCx;
use crate::diagnostic::Severity;
use crate::rules;

/// A rule's identity and documentation (the doc is the rule file's doc comment, printed by
/// `mapvet explain`).
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
    /// The rule can offer a fix.
    pub fixable: bool,
}

/// A rule's check: runs once per target file.
pub type CheckFn = fn(&mut FileCx<'_, '_>);

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: CheckFn,
    /// Every finding of the rule is about an expression or identifier of map or
    /// pointer-to-map type in the file it is reported in, so files without one are skipped
    /// (`false` for rules that follow maps into callees: MV001, MV005).
    pub needs_map_names: bool,
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    Rule {
        meta: &rules::nil_map_write::META,
        check: rules::nil_map_write::check,
        needs_map_names: false,
    },
    Rule {
        meta: &rules::nil_map_pointer_deref::META,
        check: rules::nil_map_pointer_deref::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::lost_map_param_assign::META,
        check: rules::lost_map_param_assign::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::lost_map_pointer_assign::META,
        check: rules::lost_map_pointer_assign::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::concurrent_map_write::META,
        check: rules::concurrent_map_write::check,
        needs_map_names: false,
    },
    Rule {
        meta: &rules::unchecked_map_assertion::META,
        check: rules::unchecked_map_assertion::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::insert_during_range::META,
        check: rules::insert_during_range::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::pointer_to_map_param::META,
        check: rules::pointer_to_map_param::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::pointer_to_map_field::META,
        check: rules::pointer_to_map_field::check,
        needs_map_names: true,
    },
    Rule {
        meta: &rules::map_size_hint::META,
        check: rules::map_size_hint::check,
        needs_map_names: true,
    },
];

/// Finds a rule by code (`MV001`) or name (`nil-map-write`), case-insensitively for codes.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}
