//! Directory → packages (`go/build.Context.Import` for one directory).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::header::{read_go_header, strip_bom, GoHeader};
use super::memo::{text_digest, HeadFacts, Known, Stamp};
use super::{clean_path, constraint, name_matches, Loader, PackageSource};

/// Bytes read first; enough for the header of nearly every file.
const HEAD: usize = 8 * 1024;

/// One file that passed the name rules and constraints.
struct FileInfo {
    name: String,
    package: String,
    is_test: bool,
    cgo: bool,
    /// The whole file, when [`read_head`] read it whole.
    text: Option<Vec<u8>>,
    /// The digest of the whole file, when known (read whole with a memo, or from the memo:
    /// then `text` is `None`, the file was not read).
    digest: Option<u128>,
    /// Its size, when known (0: not known).
    size: u64,
    /// The import paths of its header.
    imports: Vec<String>,
}

/// Files up to this size are read whole at once: the loader's caller reads every file it
/// keeps anyway, and one read is cheaper than two.
const WHOLE: u64 = 256 * 1024;

/// The start of a Go file as read: the header, and the whole file when it was read whole.
struct Head {
    /// The bytes read, a byte order mark included.
    buf: Vec<u8>,
    /// The length of the byte order mark at the start of `buf` (0 or 3).
    bom: usize,
    header: GoHeader,
    /// `buf` is the whole file.
    whole: bool,
    /// The file's stamp when it was opened.
    stamp: Option<Stamp>,
}

/// Reads the head of a Go file: package clause and imports, plus whatever constraint matching
/// needs. Small files are read whole; otherwise more than [`HEAD`] bytes are read only when
/// the header is longer (or malformed, when go/build reads the whole file too).
fn read_head(path: &Path) -> std::io::Result<Head> {
    let mut f = File::open(path)?;
    let meta = f.metadata().ok();
    let stamp = meta.as_ref().and_then(Stamp::of);
    let size = meta.map_or(u64::MAX, |m| m.len());
    if size <= WHOLE {
        let mut buf = Vec::with_capacity(size as usize + 1);
        f.read_to_end(&mut buf)?;
        let src = strip_bom(&buf);
        let bom = buf.len() - src.len();
        let header = read_go_header(src);
        return Ok(Head {
            buf,
            bom,
            header,
            whole: true,
            stamp,
        });
    }
    let mut buf = vec![0u8; HEAD];
    let mut n = 0;
    let mut complete = false;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => {
                complete = true;
                break;
            }
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(n);
    loop {
        let src = strip_bom(&buf);
        let h = read_go_header(src);
        if complete || (!h.hit_end && !h.syntax_error) {
            let bom = buf.len() - src.len();
            return Ok(Head {
                buf,
                bom,
                header: h,
                whole: complete,
                stamp,
            });
        }
        f.read_to_end(&mut buf)?;
        complete = true;
    }
}

impl Loader {
    /// The packages of one directory: none, the package, and/or its external test package
    /// (`package x_test`, when tests are on). Files are those the go tool would compile for
    /// the build context: `.go` files passing the name rules and constraints, not `package
    /// documentation`, not cgo files when cgo is off, `_test.go` files only when tests are on.
    /// Files whose package clause disagrees with the directory's package (the first non-test
    /// file's, by name) are skipped with a note; unreadable files too.
    pub fn packages_in_dir(&self, dir: &Path) -> Vec<PackageSource> {
        self.scan_dir(dir, self.ctx.tests)
    }

    /// The package an import of `dir` sees: non-test files only. None when the directory
    /// has no such files.
    pub fn packages_in_dir_for_import(&self, dir: &Path) -> Option<PackageSource> {
        self.scan_dir(dir, false).into_iter().find(|p| !p.is_xtest)
    }

    fn scan_dir(&self, dir: &Path, tests: bool) -> Vec<PackageSource> {
        let dir = clean_path(dir);
        let mut names: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| {
                    let e = e.ok()?;
                    let name = e.file_name().into_string().ok()?;
                    if !name_matches(&self.ctx, &name, tests) {
                        return None;
                    }
                    let ft = e.file_type().ok()?;
                    if ft.is_dir() || (ft.is_symlink() && e.path().is_dir()) {
                        return None;
                    }
                    Some(name)
                })
                .collect(),
            Err(e) => {
                self.note(format!("{}: cannot read directory: {e}", dir.display()));
                return Vec::new();
            }
        };
        names.sort();

        let mut files = Vec::new();
        for name in names {
            let path = dir.join(&name);
            let is_test = name.ends_with("_test.go");
            // What an earlier run learned of this version of the file, instead of reading it.
            let remembered = self.memo.as_deref().and_then(|memo| {
                let stamp = Stamp::of_path(&path)?;
                let k = memo.lookup(&path, &stamp)?;
                Some((k.head.clone()?, k.digest, stamp.size))
            });
            if let Some((h, digest, size)) = remembered {
                if h.builds && h.package != "documentation" {
                    files.push(FileInfo {
                        cgo: !is_test && h.imports.iter().any(|p| p == "C"),
                        name,
                        package: h.package,
                        is_test,
                        imports: h.imports,
                        text: None,
                        digest,
                        size,
                    });
                }
                continue;
            }
            let head = match read_head(&path) {
                Ok(x) => x,
                Err(e) => {
                    self.note(format!("{}: skipped: {e}", path.display()));
                    continue;
                }
            };
            let h = &head.header;
            if h.nul {
                self.note(format!(
                    "{}: skipped: unexpected NUL in input",
                    path.display()
                ));
                continue;
            }
            let builds = match constraint::should_build(&self.ctx, &head.buf[head.bom..]) {
                Ok(b) => b,
                Err(e) => {
                    self.note(format!("{}: skipped: {e}", path.display()));
                    continue;
                }
            };
            if builds && h.package.is_none() {
                self.note(format!(
                    "{}: skipped: no valid package clause",
                    path.display()
                ));
                continue;
            }
            let digest = match (&self.memo, head.whole) {
                (Some(_), true) => Some(text_digest(&head.buf)),
                _ => None,
            };
            if let (Some(memo), Some(stamp)) = (&self.memo, head.stamp) {
                memo.record(
                    &path,
                    Known {
                        stamp,
                        digest,
                        head: Some(HeadFacts {
                            builds,
                            package: h.package.clone().unwrap_or_default(),
                            imports: h.imports.clone(),
                        }),
                    },
                );
            }
            let Some(package) = h.package.clone().filter(|_| builds) else {
                continue;
            };
            if package == "documentation" {
                continue;
            }
            let size = head.buf.len() as u64;
            files.push(FileInfo {
                cgo: !is_test && h.imports_c(),
                name,
                package,
                is_test,
                imports: h.imports.clone(),
                text: head.whole.then_some(head.buf),
                digest,
                size: if head.whole { size } else { 0 },
            });
        }

        // The directory's package: the first non-test file's, else (only test files) the
        // first test file's, `_test` stripped as go/build does.
        let pkg_name = match files.iter().find(|f| !f.is_test) {
            Some(f) => f.package.clone(),
            None => match files.first() {
                Some(f) => f
                    .package
                    .strip_suffix("_test")
                    .unwrap_or(&f.package)
                    .to_string(),
                None => return Vec::new(),
            },
        };
        let xtest_name = format!("{pkg_name}_test");

        let (mut pkg, mut xtest) = (FileList::default(), FileList::default());
        for f in files {
            let path = dir.join(&f.name);
            if f.package == pkg_name {
                if f.cgo && !self.ctx.cgo {
                    continue;
                }
                pkg.push(path, f);
            } else if f.is_test && f.package == xtest_name {
                xtest.push(path, f);
            } else {
                self.note(format!(
                    "{}: skipped: found packages {} and {} in {}",
                    path.display(),
                    pkg_name,
                    f.package,
                    dir.display()
                ));
            }
        }

        let mut out = Vec::new();
        if pkg.files.is_empty() && xtest.files.is_empty() {
            return out;
        }
        let import_path = self.import_path_of(&dir);
        if !pkg.files.is_empty() {
            out.push(pkg.into_source(dir.clone(), import_path.clone(), pkg_name, false));
        }
        if !xtest.files.is_empty() {
            out.push(xtest.into_source(dir, format!("{import_path}_test"), xtest_name, true));
        }
        out
    }
}

/// The files of one package being gathered, in [`PackageSource`]'s parallel vectors.
#[derive(Default)]
struct FileList {
    files: Vec<std::path::PathBuf>,
    texts: Vec<Option<Vec<u8>>>,
    digests: Vec<Option<u128>>,
    sizes: Vec<u64>,
    imports: Vec<Vec<String>>,
}

impl FileList {
    fn push(&mut self, path: std::path::PathBuf, f: FileInfo) {
        self.files.push(path);
        self.texts.push(f.text);
        self.digests.push(f.digest);
        self.sizes.push(f.size);
        self.imports.push(f.imports);
    }

    fn into_source(
        self,
        dir: std::path::PathBuf,
        import_path: String,
        name: String,
        is_xtest: bool,
    ) -> PackageSource {
        PackageSource {
            dir,
            import_path,
            name,
            files: self.files,
            texts: self.texts,
            digests: self.digests,
            sizes: self.sizes,
            imports: self.imports,
            is_xtest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BuildContext, GoEnv};
    use super::*;
    use std::fs;

    fn write(dir: &Path, name: &str, src: &str) {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, src).unwrap();
    }

    fn loader(tests: bool, cgo: bool) -> Loader {
        let mut c = BuildContext::new("linux", "amd64");
        c.tests = tests;
        c.cgo = cgo;
        Loader::with_env(c, GoEnv::default())
    }

    fn names(p: &PackageSource) -> Vec<String> {
        p.files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn groups_files() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        write(
            d,
            "a.go",
            "// Copyright\n\n// Package foo.\npackage foo\n\nimport \"fmt\"\n",
        );
        write(d, "b_linux.go", "package foo\n");
        write(d, "b_windows.go", "package foo\n");
        write(d, "c.go", "//go:build ignore\n\npackage main\n");
        write(d, "d.go", "package documentation\n");
        write(d, "e.go", "package foo\n\nimport \"C\"\n");
        write(d, "f.go", "// +build windows\n\npackage foo\n");
        write(d, "a_test.go", "package foo\n");
        write(d, "x_test.go", "package foo_test\n");
        write(d, "_g.go", "package foo\n");
        write(d, ".h.go", "package foo\n");
        write(d, "i.go", "\u{FEFF}//go:build linux\n\npackage foo\n");
        write(d, "j.go", "package bar\n");
        write(
            d,
            "k.go",
            "//go:build linux\n//go:build amd64\n\npackage foo\n",
        );
        fs::create_dir(d.join("sub.go")).unwrap();

        let l = loader(true, false);
        let pkgs = l.packages_in_dir(d);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].name, "foo");
        assert!(!pkgs[0].is_xtest);
        assert_eq!(names(&pkgs[0]), ["a.go", "a_test.go", "b_linux.go", "i.go"]);
        assert_eq!(pkgs[1].name, "foo_test");
        assert!(pkgs[1].is_xtest);
        assert_eq!(names(&pkgs[1]), ["x_test.go"]);
        assert_eq!(pkgs[1].import_path, format!("{}_test", pkgs[0].import_path));
        let notes = l.notes().join("\n");
        assert!(
            notes.contains("j.go: skipped: found packages foo and bar"),
            "{notes}"
        );
        assert!(
            notes.contains("k.go: skipped: multiple //go:build comments"),
            "{notes}"
        );

        // cgo on: e.go joins; tests off: no test files.
        let l = loader(false, true);
        let pkgs = l.packages_in_dir(d);
        assert_eq!(pkgs.len(), 1);
        assert_eq!(names(&pkgs[0]), ["a.go", "b_linux.go", "e.go", "i.go"]);
        assert_eq!(l.packages_in_dir_for_import(d).unwrap(), pkgs[0]);
        let l = loader(true, true);
        assert_eq!(
            names(&l.packages_in_dir_for_import(d).unwrap()),
            ["a.go", "b_linux.go", "e.go", "i.go"]
        );
    }

    #[test]
    fn only_tests_and_empty() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        write(d, "a_test.go", "package foo_test\n");
        write(d, "b_test.go", "package foo\n");
        let l = loader(true, false);
        let pkgs = l.packages_in_dir(d);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(
            (pkgs[0].name.as_str(), names(&pkgs[0])),
            ("foo", vec!["b_test.go".to_string()])
        );
        assert_eq!(
            (pkgs[1].name.as_str(), names(&pkgs[1])),
            ("foo_test", vec!["a_test.go".to_string()])
        );
        assert!(l.packages_in_dir_for_import(d).is_none());
        assert!(loader(false, false).packages_in_dir(d).is_empty());
        assert!(l.packages_in_dir(&d.join("missing")).is_empty());
        assert!(l
            .notes()
            .iter()
            .any(|n| n.contains("cannot read directory")));
    }

    #[test]
    fn long_header() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        let mut src = String::new();
        for i in 0..2000 {
            src.push_str(&format!("// comment line {i}\n"));
        }
        src.push_str("\n//go:build ignore\n\npackage foo\n");
        write(d, "a.go", &src);
        let mut src2 = String::from("package foo\n\nimport (\n");
        for i in 0..2000 {
            src2.push_str(&format!("\t_ \"p{i}\"\n"));
        }
        src2.push_str("\t\"C\"\n)\n");
        write(d, "b.go", &src2);
        write(d, "c.go", "package foo\n");
        let l = loader(false, false);
        let pkgs = l.packages_in_dir(d);
        assert_eq!(names(&pkgs[0]), ["c.go"]);
    }
}
