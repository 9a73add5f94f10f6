//! What an earlier run learned about files, valid while a file's [`Stamp`] is unchanged: the
//! digest of its text and what its header told the loader. With a [`FileMemo`], the loader
//! takes these facts from the memo instead of reading the file, so a run over unchanged code
//! reads directories and file metadata, not texts (the CLI's result cache then needs only
//! the digests).
//!
//! **When a stamp can be trusted.** A stamp is the file's size, modification and status-change
//! times (nanoseconds), inode and device. Editing a file changes its modification time, and
//! even a tool that puts an old modification time back (`touch -d`, `tar -x`) changes the
//! status-change time, which no program can set; replacing a file (rename over it) changes
//! the inode. What a stamp cannot show is a change within the same clock tick as the read
//! (file systems keep times at a granularity of milliseconds to seconds). So, like git's
//! "racily clean" entries, a file is remembered only when both of its times are more than
//! [`SETTLE`] older than the start of the run that read it; a younger file is simply read
//! again next time.
//!
//! The facts about a header are those of one build context: the CLI keeps one memo per
//! build context (and per set of target directories).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use rustc_hash::FxHashMap;

/// The 128-bit digest of a file's text (xxh3-128): what the memo remembers and the CLI's
/// result cache keys are made of.
pub fn text_digest(text: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text)
}

/// How much older than the run a file's times must be for the file to be remembered.
pub const SETTLE: Duration = Duration::from_secs(2);

/// What identifies one version of a file on disk (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i128,
    /// Status-change time, nanoseconds since the Unix epoch (0 where there is none).
    pub ctime: i128,
    pub ino: u64,
    pub dev: u64,
}

impl Stamp {
    /// The stamp of a file's metadata (`None` for anything but a regular file, or when the
    /// platform gives no modification time).
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        if !meta.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
            Some(Stamp {
                size: meta.len(),
                mtime: ns(meta.mtime(), meta.mtime_nsec()),
                ctime: ns(meta.ctime(), meta.ctime_nsec()),
                ino: meta.ino(),
                dev: meta.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let t = meta.modified().ok()?;
            let mtime = match t.duration_since(SystemTime::UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i128,
                Err(e) => -(e.duration().as_nanos() as i128),
            };
            Some(Stamp {
                size: meta.len(),
                mtime,
                ctime: 0,
                ino: 0,
                dev: 0,
            })
        }
    }

    /// The stamp of the file at `path` (following symbolic links).
    pub fn of_path(path: &Path) -> Option<Stamp> {
        Stamp::of(&std::fs::metadata(path).ok()?)
    }
}

/// What a file's header told the loader, under the memo's build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadFacts {
    /// The file's build constraints are satisfied.
    pub builds: bool,
    /// The package clause's name.
    pub package: String,
    /// The import paths of the header, in order.
    pub imports: Vec<String>,
}

/// What is known of one version of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub stamp: Stamp,
    /// [`text_digest`] of the whole file, when it was read whole.
    pub digest: Option<u128>,
    /// Its header's facts, when the loader looked at it (and found nothing to note: files
    /// skipped with a note are read every time, to note it again).
    pub head: Option<HeadFacts>,
}

impl Known {
    /// Adds what `other`, learned of the same version of the file, knows and this does not.
    fn merge(&mut self, other: Known) {
        if self.digest.is_none() {
            self.digest = other.digest;
        }
        if self.head.is_none() {
            self.head = other.head;
        }
    }
}

/// The facts of an earlier run (looked up by path and stamp) and those learned in this one
/// (recorded), shared by the loader's threads.
pub struct FileMemo {
    old: FxHashMap<PathBuf, (Known, AtomicBool)>,
    fresh: Mutex<FxHashMap<PathBuf, Known>>,
    /// Files with both times before this (nanoseconds since the epoch) can be recorded.
    settled_before: i128,
}

impl FileMemo {
    /// A memo holding `entries` (from an earlier run), for a run starting now.
    pub fn new(entries: Vec<(PathBuf, Known)>) -> FileMemo {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        FileMemo::starting_at(entries, now)
    }

    fn starting_at(entries: Vec<(PathBuf, Known)>, now_ns: i128) -> FileMemo {
        FileMemo {
            old: entries
                .into_iter()
                .map(|(p, k)| (p, (k, AtomicBool::new(false))))
                .collect(),
            fresh: Mutex::default(),
            settled_before: now_ns - SETTLE.as_nanos() as i128,
        }
    }

    /// What is known of the file at `path` in the version `stamp`.
    pub fn lookup(&self, path: &Path, stamp: &Stamp) -> Option<&Known> {
        let (k, used) = self.old.get(path)?;
        if k.stamp != *stamp {
            return None;
        }
        used.store(true, Ordering::Relaxed);
        Some(k)
    }

    /// Remembers what was learned of the file at `path`, unless its stamp is too recent to
    /// be trusted (see the module doc). Facts recorded twice for one version are merged.
    pub fn record(&self, path: &Path, known: Known) {
        let s = &known.stamp;
        if s.mtime >= self.settled_before || s.ctime >= self.settled_before {
            return;
        }
        let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        match fresh.get_mut(path) {
            Some(k) if k.stamp == known.stamp => k.merge(known),
            _ => {
                fresh.insert(path.to_path_buf(), known);
            }
        }
    }

    /// Whether the memo to keep differs from the one this run started with: something was
    /// learned, or an old fact was not used (its file changed or is gone).
    pub fn changed(&self) -> bool {
        !self
            .fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
            || self
                .old
                .values()
                .any(|(_, used)| !used.load(Ordering::Relaxed))
    }

    /// The facts to keep for the next run: the old ones this run used and the new ones
    /// (merged where both speak of one version), sorted by path.
    pub fn into_entries(self) -> Vec<(PathBuf, Known)> {
        let mut fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        for (p, (k, used)) in self.old {
            if !used.into_inner() {
                continue;
            }
            match fresh.get_mut(&p) {
                Some(f) if f.stamp == k.stamp => f.merge(k),
                Some(_) => {}
                None => {
                    fresh.insert(p, k);
                }
            }
        }
        let mut out: Vec<(PathBuf, Known)> = fresh.into_iter().collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// The first bytes of an encoded memo.
const MAGIC: &[u8] = b"mapvet-memo 1\n";

/// The bytes of `entries` (sorted by path): each directory once, then its files' names and
/// facts. Paths that are not valid UTF-8 are stored as their bytes (`as_encoded_bytes`).
pub fn encode(entries: &[(PathBuf, Known)]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 + entries.len() * 160));
    w.0.extend_from_slice(MAGIC);
    // Runs of entries in one directory: (directory, [(file name, facts)]).
    type Run<'e> = (&'e [u8], Vec<(&'e [u8], &'e Known)>);
    let mut runs: Vec<Run<'_>> = Vec::new();
    for (path, k) in entries {
        let bytes = path.as_os_str().as_encoded_bytes();
        let cut = bytes
            .iter()
            .rposition(|&b| b == b'/' || (cfg!(windows) && b == b'\\'))
            .map_or(0, |i| i + 1);
        let (dir, name) = bytes.split_at(cut);
        match runs.last_mut() {
            Some((d, files)) if *d == dir => files.push((name, k)),
            _ => runs.push((dir, vec![(name, k)])),
        }
    }
    w.u64(runs.len() as u64);
    for (dir, files) in runs {
        w.bytes(dir);
        w.u64(files.len() as u64);
        for (name, k) in files {
            w.bytes(name);
            let s = &k.stamp;
            w.u64(s.size);
            w.i128(s.mtime);
            w.i128(s.ctime);
            w.u64(s.ino);
            w.u64(s.dev);
            match k.digest {
                Some(d) => {
                    w.u8(1);
                    w.0.extend_from_slice(&d.to_le_bytes());
                }
                None => w.u8(0),
            }
            match &k.head {
                Some(h) => {
                    w.u8(if h.builds { 2 } else { 1 });
                    w.bytes(h.package.as_bytes());
                    w.u64(h.imports.len() as u64);
                    for i in &h.imports {
                        w.bytes(i.as_bytes());
                    }
                }
                None => w.u8(0),
            }
        }
    }
    w.0
}

/// The entries of an encoded memo; `None` when the bytes are not one (any damage).
pub fn decode(data: &[u8]) -> Option<Vec<(PathBuf, Known)>> {
    let mut r = Reader(data.strip_prefix(MAGIC)?);
    let dirs = r.u64()?;
    let mut out = Vec::new();
    for _ in 0..dirs {
        let dir = r.bytes()?;
        let n = r.u64()?;
        for _ in 0..n {
            let name = r.bytes()?;
            let mut path = Vec::with_capacity(dir.len() + name.len());
            path.extend_from_slice(dir);
            path.extend_from_slice(name);
            let stamp = Stamp {
                size: r.u64()?,
                mtime: r.i128()?,
                ctime: r.i128()?,
                ino: r.u64()?,
                dev: r.u64()?,
            };
            let digest = match r.u8()? {
                0 => None,
                1 => Some(u128::from_le_bytes(r.take(16)?.try_into().ok()?)),
                _ => return None,
            };
            let head = match r.u8()? {
                0 => None,
                t @ (1 | 2) => {
                    let package = r.string()?;
                    let count = r.u64()?;
                    let mut imports = Vec::with_capacity(count.min(1024) as usize);
                    for _ in 0..count {
                        imports.push(r.string()?);
                    }
                    Some(HeadFacts {
                        builds: t == 2,
                        package,
                        imports,
                    })
                }
                _ => return None,
            };
            out.push((
                path_from_bytes(path)?,
                Known {
                    stamp,
                    digest,
                    head,
                },
            ));
        }
    }
    r.0.is_empty().then_some(out)
}

#[cfg(unix)]
fn path_from_bytes(b: Vec<u8>) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(b)))
}

#[cfg(not(unix))]
fn path_from_bytes(b: Vec<u8>) -> Option<PathBuf> {
    String::from_utf8(b).ok().map(PathBuf::from)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    /// LEB128.
    fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n)
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(mtime: i128) -> Stamp {
        Stamp {
            size: 10,
            mtime,
            ctime: mtime,
            ino: 7,
            dev: 1,
        }
    }

    fn known(mtime: i128, digest: Option<u128>, head: Option<HeadFacts>) -> Known {
        Known {
            stamp: stamp(mtime),
            digest,
            head,
        }
    }

    fn head(builds: bool) -> HeadFacts {
        HeadFacts {
            builds,
            package: "foo".into(),
            imports: vec!["fmt".into(), "example.com/ü".into()],
        }
    }

    const NOW: i128 = 1_000_000_000_000_000_000;
    const OLD: i128 = NOW - 10_000_000_000;

    #[test]
    fn encode_decode_round_trip() {
        let entries = vec![
            (
                PathBuf::from("/a/b/x.go"),
                known(OLD, Some(u128::MAX - 3), Some(head(true))),
            ),
            (
                PathBuf::from("/a/b/y.go"),
                known(-5, None, Some(head(false))),
            ),
            (PathBuf::from("/a/c.go"), known(OLD, Some(1), None)),
            (PathBuf::from("rel.go"), known(OLD, None, None)),
        ];
        let bytes = encode(&entries);
        assert_eq!(decode(&bytes), Some(entries.clone()));
        // Any truncation, extra byte or foreign header is no memo.
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        assert_eq!(decode(b"mapvet-memo 0\n\0"), None);
        assert_eq!(decode(&encode(&[])), Some(vec![]));
    }

    #[test]
    fn lookup_needs_the_same_stamp() {
        let p = PathBuf::from("/a/x.go");
        let m = FileMemo::starting_at(vec![(p.clone(), known(OLD, Some(9), None))], NOW);
        assert!(m.lookup(&p, &stamp(OLD + 1)).is_none());
        let mut other_inode = stamp(OLD);
        other_inode.ino = 8;
        assert!(m.lookup(&p, &other_inode).is_none());
        assert!(m.lookup(Path::new("/a/y.go"), &stamp(OLD)).is_none());
        assert!(m.changed(), "an unused fact is dropped");
        assert_eq!(m.lookup(&p, &stamp(OLD)).and_then(|k| k.digest), Some(9));
        assert!(!m.changed(), "every fact used, nothing learned");
        assert_eq!(m.into_entries().len(), 1);
    }

    #[test]
    fn recent_files_are_not_recorded_and_facts_merge() {
        let m = FileMemo::starting_at(Vec::new(), NOW);
        // Modified (or its status changed) less than SETTLE before the run: racy.
        m.record(
            Path::new("/r.go"),
            known(NOW - 1_000_000_000, Some(1), None),
        );
        let mut k = known(OLD, Some(1), None);
        k.stamp.ctime = NOW;
        m.record(Path::new("/c.go"), k);
        assert!(!m.changed());
        m.record(Path::new("/x.go"), known(OLD, None, Some(head(true))));
        m.record(Path::new("/x.go"), known(OLD, Some(5), None));
        assert!(m.changed());
        assert_eq!(
            m.into_entries(),
            vec![(
                PathBuf::from("/x.go"),
                known(OLD, Some(5), Some(head(true)))
            )]
        );
    }

    #[test]
    fn kept_facts_are_the_used_and_the_new() {
        let (a, b, c) = (
            PathBuf::from("/a.go"),
            PathBuf::from("/b.go"),
            PathBuf::from("/c.go"),
        );
        let m = FileMemo::starting_at(
            vec![
                (a.clone(), known(OLD, Some(1), None)),
                (b.clone(), known(OLD, Some(2), None)),
            ],
            NOW,
        );
        assert!(m.lookup(&a, &stamp(OLD)).is_some());
        // a's header learned now joins its old digest; b unused; c new.
        m.record(&a, known(OLD, None, Some(head(false))));
        m.record(&c, known(OLD - 1, Some(3), None));
        assert_eq!(
            m.into_entries(),
            vec![
                (a, known(OLD, Some(1), Some(head(false)))),
                (c, known(OLD - 1, Some(3), None)),
            ]
        );
    }

    #[test]
    fn stamps_of_real_files() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("a.go");
        std::fs::write(&p, "package a\n").unwrap();
        let s = Stamp::of_path(&p).unwrap();
        assert_eq!(s.size, 10);
        assert_eq!(Stamp::of_path(&p), Some(s));
        std::fs::write(&p, "package b\n").unwrap();
        let s2 = Stamp::of_path(&p).unwrap();
        // Same size; rewritten: the times moved or, within one clock tick, nothing shows
        // (which is why young files are never recorded).
        assert_eq!(s2.size, 10);
        assert!(
            Stamp::of_path(t.path()).is_none(),
            "a directory has no stamp"
        );
        assert!(Stamp::of_path(&t.path().join("missing.go")).is_none());
    }
}
