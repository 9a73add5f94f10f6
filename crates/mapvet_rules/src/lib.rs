//! mapvet rules. Built by the rules issue.
