fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut o = mapvet_escape::Options::new(std::env::current_dir().unwrap());
    let mut pats = Vec::new();
    for a in args {
        if a == "--text" { o.force_text = true; } else if a == "--tests" { o.tests = true; } else if a == "--json" { o.tags = Some(vec![]); } else if let Some(g) = a.strip_prefix("--go=") { o.go = Some(g.into()); } else { pats.push(a); }
    }
    let json = o.tags.take().is_some();
    o.patterns = pats;
    match mapvet_escape::run(&o) {
        Ok(r) => {
            let mut out = std::io::stdout();
            if json { mapvet_escape::report::write_json(&r, Default::default(), &mut out).unwrap(); }
            else { mapvet_escape::report::write_text(&r, Default::default(), &mut out).unwrap(); }
        }
        Err(e) => { eprintln!("error: {e}"); std::process::exit(2); }
    }
}
