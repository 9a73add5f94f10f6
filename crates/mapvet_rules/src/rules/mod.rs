//! One module per rule, named after the pattern it finds.

pub mod concurrent_map_write;
pub mod insert_during_range;
pub mod lost_map_param_assign;
pub mod lost_map_pointer_assign;
pub mod map_size_hint;
pub mod nil_map_pointer_deref;
pub mod nil_map_write;
pub mod pointer_to_map_field;
pub mod pointer_to_map_param;
pub mod unchecked_map_assertion;
