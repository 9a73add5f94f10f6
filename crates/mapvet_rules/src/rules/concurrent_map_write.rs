//! `MV005` `concurrent-map-write` — being written (see ../shared/RULES.md).

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// (documentation being written)
    META { code: "MV005", name: "concurrent-map-write", severity: Error, summary: "(being written)", fixable: false }
}

pub(crate) fn check(_cx: &mut FileCx<'_, '_>) {}
