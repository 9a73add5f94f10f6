//! `MP001` `pointer-to-map-param` — being written (see ../shared/RULES.md).

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// (documentation being written)
    META { code: "MP001", name: "pointer-to-map-param", severity: Hint, summary: "(being written)", fixable: false }
}

pub(crate) fn check(_cx: &mut FileCx<'_, '_>) {}
