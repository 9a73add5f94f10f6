//! `MV001` `nil-map-write` — being written (see ../shared/RULES.md).

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// (documentation being written)
    META { code: "MV001", name: "nil-map-write", severity: Error, summary: "(being written)", fixable: false }
}

pub(crate) fn check(_cx: &mut FileCx<'_, '_>) {}
