//! The whole pipeline (walk, parse, load, type-check, every rule) never panics on real and
//! deliberately broken code: GOROOT/test is full of ill-typed, invalid and odd programs,
//! GOROOT/src is two million lines of real code. Exit status must be 0 or 1 (2 would mean an
//! internal error, 101 a panic).

mod goenv;

use std::process::Command;

const MAPVET: &str = env!("CARGO_BIN_EXE_mapvet");

fn run_on(sub: &str) {
    let Some(root) = goenv::goroot("the robustness test") else {
        return;
    };
    let dir = root.join(sub);
    let out = Command::new(MAPVET)
        .args(["check", "--format", "json"])
        .env(
            "MAPVET_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/mapvet-cache-robustness"),
        )
        .arg(&dir)
        .output()
        .expect("run mapvet");
    let code = out.status.code();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(code, Some(0) | Some(1)),
        "mapvet check {} exited with {code:?}:\n{}",
        dir.display(),
        stderr.lines().take(30).collect::<Vec<_>>().join("\n")
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("mapvet printed valid JSON");
    let n = json["diagnostics"].as_array().map_or(0, Vec::len);
    println!("{}: {n} diagnostics", dir.display());
}

#[test]
fn whole_pipeline_on_goroot_test() {
    run_on("test");
}

#[test]
fn whole_pipeline_on_goroot_src() {
    run_on("src");
}
