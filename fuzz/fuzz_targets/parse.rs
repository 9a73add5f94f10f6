//! Fuzz target: parsing arbitrary bytes must never panic (nor overflow, nor recurse out of
//! stack), every error offset must lie inside the input, and the canonical dump of whatever tree
//! came back must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The canonical dump indents every line by its depth, so a tree `d` levels deep dumps to ~d²
/// bytes: a 64 KiB input of `(((...` would allocate gigabytes and trip libFuzzer's memory limit.
/// Larger inputs are parsed but not dumped.
const MAX_DUMP_INPUT: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    // A fresh arena per input: a leak or a stale pointer cannot hide behind reuse.
    let arena = mapvet_syntax::Bump::new();
    let parsed = mapvet_syntax::parse_file(&arena, data);
    for e in &parsed.errors {
        assert!(
            e.offset as usize <= data.len(),
            "error offset {} past the end ({} bytes): {}",
            e.offset,
            data.len(),
            e.msg
        );
    }
    if data.len() <= MAX_DUMP_INPUT {
        std::hint::black_box(mapvet_syntax::dump::dump(parsed.file, data));
    }
});
