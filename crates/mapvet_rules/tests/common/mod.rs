//! Shared by the fixture and runtime-proof tests: `// want` annotations.

use regex::Regex;
use std::collections::BTreeMap;

pub struct Want {
    pub code: String,
    pub regexps: Vec<Regex>,
    pub matched: bool,
}

/// Parses `// want` annotations of `files`: (file name, line) → expectations.
pub fn wants_in(files: &[std::path::PathBuf]) -> BTreeMap<(String, u32), Vec<Want>> {
    let mut out: BTreeMap<(String, u32), Vec<Want>> = BTreeMap::new();
    let re_str = Regex::new(r#""((?:[^"\\]|\\.)*)""#).unwrap();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let Some(pos) = line.find("// want ") else {
                continue;
            };
            let spec = &line[pos + 8..];
            let regexps: Vec<Regex> = re_str
                .captures_iter(spec)
                .map(|c| Regex::new(&c[1].replace("\\\"", "\"")).expect("bad want regexp"))
                .collect();
            let codes_part = spec.split('"').next().unwrap_or("");
            for code in codes_part.split_whitespace() {
                out.entry((name.clone(), i as u32 + 1))
                    .or_default()
                    .push(Want {
                        code: code.to_string(),
                        regexps: regexps.clone(),
                        matched: false,
                    });
            }
        }
    }
    out
}
