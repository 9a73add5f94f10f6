//! `MV003` `lost-map-param-assign` — being written (see ../shared/RULES.md).

use crate::context::FileCx;

declare_rule! {
    /// ## What it does
    /// (documentation being written)
    META { code: "MV003", name: "lost-map-param-assign", severity: Warning, summary: "(being written)", fixable: false }
}

pub(crate) fn check(_cx: &mut FileCx<'_, '_>) {}
