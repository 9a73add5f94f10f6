//! `MV007` `insert-during-range` — being written (see ../shared/RULES.md).

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// (documentation being written)
    META { code: "MV007", name: "insert-during-range", severity: Hint, summary: "(being written)", fixable: false }
}

pub(crate) fn check(_cx: &mut FileCx<'_, '_>) {}
