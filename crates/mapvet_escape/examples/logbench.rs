fn main() {
    let a: Vec<String> = std::env::args().collect();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let mut files: Vec<_> = std::fs::read_dir(&a[1]).unwrap().flatten().flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten().map(|e| e.path())).collect();
        files.sort();
        let texts: Vec<String> = files.iter().map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned()).collect();
        let t1 = t.elapsed();
        let mut n = 0;
        for tx in &texts { n += mapvet_escape::json_log::parse_file(tx).0.len(); }
        let t2 = t.elapsed();
        eprintln!("read {:?} parse {:?} {n}", t1, t2 - t1);
    }
}
