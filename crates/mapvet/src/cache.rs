//! The result cache of `mapvet check`: what checking a group of packages (or parsing the
//! walked files no package holds) produced, stored under a key that covers everything the
//! result depends on, so that a run over unchanged code replays it instead of parsing,
//! type-checking and running the rules again.
//!
//! **Keys are content, never timestamps.** The package loader always runs (it is what
//! decides which files make up which package, through build constraints, go.mod, vendor
//! directories, GOPATH ...), and a key is made of what it found: the mapvet binary (version,
//! size and modification time of the executable, so a rebuilt mapvet never reads an older
//! one's results), the build context, the rules selected, and for every package the result
//! can depend on (the group's own and everything they import, transitively) its import
//! path, name, directory, imports, and each file's path, displayed name and a 128-bit hash
//! of its text as it will be analysed (the overlay's text for standard input and fixed
//! files). A stale entry is therefore never found: whatever changed, the key changed.
//!
//! **Not reading unchanged files.** To know a file's digest without reading it, each run
//! keeps a *file memo* ([`Cache::memo`], one per build context and paths given): the digest
//! and header facts of each file under its stamp (size, modification and status-change
//! times, inode, device), recorded only once the file's times are older than the run by a
//! margin, so that no later change can keep the stamp (see
//! [`mapvet_semantic::load::memo`]). The keys stay content: the memo only says what the
//! content of an unchanged file is.
//!
//! **Best effort.** A cache that cannot be created, read or written is no cache: the run
//! goes on and checks everything. An entry that fails its checksum or does not decode is a
//! miss. Entries are written whole (temporary file + rename), so a concurrent reader sees
//! either the old state or the new entry.
//!
//! **Location**: `$MAPVET_CACHE_DIR` (`off` or empty: no cache), else the user cache
//! directory (`$XDG_CACHE_HOME/mapvet` or `~/.cache/mapvet`; `~/Library/Caches/mapvet` on
//! macOS; `%LOCALAPPDATA%\mapvet` on Windows). `mapvet check --no-cache` neither reads nor
//! writes it. Entries not used for [`TRIM_AGE`] are deleted, at most once a day, at the end
//! of a run (like the go build cache).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use mapvet_semantic::load::memo::{self, FileMemo};
use mapvet_semantic::load::BuildContext;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::Serialize;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// The format of the entries; bumped when their layout changes (older ones are then
/// ignored and trimmed away).
const LAYOUT: &str = "v1";
/// The first line of every entry.
const MAGIC: &[u8] = b"mapvet-cache v1\n";
/// Entries unused this long are deleted.
pub const TRIM_AGE: Duration = Duration::from_secs(5 * 24 * 3600);
/// How often trimming runs at most.
const TRIM_INTERVAL: Duration = Duration::from_secs(24 * 3600);
/// An entry's modification time is its last use, updated at most this often (a read does
/// not write every time).
const TOUCH_INTERVAL: Duration = Duration::from_secs(3600);

/// A cache key: a 128-bit hash of everything the result depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub u128);

impl Key {
    fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// The 128-bit hash of a file's text (the loader's memo keeps the same digest).
pub fn hash_text(text: &[u8]) -> u128 {
    mapvet_semantic::load::memo::text_digest(text)
}

/// Builds a [`Key`] from fields written one after the other. Every field is written with
/// its length (or a tag), so two different sequences of fields never write the same bytes.
pub struct KeyBuilder(Xxh3);

impl KeyBuilder {
    /// A key of the kind `domain` (each kind of entry has its own), for the running mapvet
    /// binary. `None` when the binary cannot be identified (then nothing is cached).
    pub fn new(domain: &str) -> Option<KeyBuilder> {
        let tool = tool_id()?;
        let mut k = KeyBuilder(Xxh3::new());
        k.str(LAYOUT).str(domain).u128(tool);
        Some(k)
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    pub fn path(&mut self, p: &Path) -> &mut Self {
        self.bytes(p.as_os_str().as_encoded_bytes())
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.0.update(&v.to_le_bytes());
        self
    }

    pub fn u128(&mut self, v: u128) -> &mut Self {
        self.0.update(&v.to_le_bytes());
        self
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.0.update(&[u8::from(v)]);
        self
    }

    pub fn opt_str(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.bool(true).str(s),
            None => self.bool(false),
        }
    }

    pub fn finish(&self) -> Key {
        Key(self.0.digest128())
    }
}

/// The identity of the running binary: its version and its executable's size and
/// modification time (a rebuilt binary is another tool, even at the same version).
fn tool_id() -> Option<u128> {
    static ID: OnceLock<Option<u128>> = OnceLock::new();
    *ID.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        let meta = fs::metadata(&exe).ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?;
        let mut h = Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&[0]);
        h.update(exe.as_os_str().as_encoded_bytes());
        h.update(&[0]);
        h.update(&meta.len().to_le_bytes());
        h.update(&mtime.as_nanos().to_le_bytes());
        Some(h.digest128())
    })
}

/// An open cache directory.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    /// The cache to use, if any (see the module doc for where it lives). `Err` says why an
    /// explicitly chosen one cannot be used (for `--verbose`); `Ok(None)` means no cache.
    pub fn open(disabled: bool) -> Result<Option<Cache>, String> {
        if disabled {
            return Ok(None);
        }
        let root = match std::env::var_os("MAPVET_CACHE_DIR") {
            Some(v) if v.is_empty() || v == "off" => return Ok(None),
            // A relative directory is taken from the working directory once, here.
            Some(v) => crate::config::absolute(Path::new(&v)),
            None => match default_dir() {
                Some(d) => d,
                None => return Ok(None),
            },
        };
        Cache::at(root)
    }

    /// The cache in `root`, created if needed.
    pub fn at(root: PathBuf) -> Result<Option<Cache>, String> {
        if tool_id().is_none() {
            return Err("cannot identify the mapvet executable; results are not cached".into());
        }
        let entries = root.join(LAYOUT);
        if let Err(e) = fs::create_dir_all(&entries) {
            return Err(format!(
                "cannot create the cache directory {}: {e}; results are not cached",
                entries.display()
            ));
        }
        let tag = root.join("CACHEDIR.TAG");
        if !tag.exists() {
            // Backup tools skip directories tagged so (https://bford.info/cachedir/).
            let _ = write_atomic(
                &root,
                &tag,
                b"Signature: 8a477f597d28d172789f06886806bc55\n\
                  # This directory holds mapvet's result cache; it can be deleted at any time.\n",
            );
        }
        Ok(Some(Cache { root }))
    }

    fn entry_path(&self, key: Key) -> PathBuf {
        let hex = key.hex();
        self.root.join(LAYOUT).join(&hex[..2]).join(hex)
    }

    /// The value stored under `key`, if there is one that decodes.
    pub fn get<T: DeserializeOwned>(&self, key: Key) -> Option<T> {
        self.get_with(key, |payload| serde_json::from_slice(payload).ok())
    }

    /// The value stored under `key` as `decode` makes it of the stored bytes, if it can.
    pub fn get_with<T>(&self, key: Key, decode: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        let path = self.entry_path(key);
        let data = fs::read(&path).ok()?;
        let payload = decode_entry(&data, key)?;
        let value = decode(payload)?;
        touch(&path);
        Some(value)
    }

    /// Stores `value` under `key` (errors are ignored: the next run checks again).
    pub fn put<T: Serialize>(&self, key: Key, value: &T) {
        let Ok(payload) = serde_json::to_vec(value) else {
            return;
        };
        self.put_bytes(key, &payload);
    }

    /// Stores `payload` under `key` (errors are ignored).
    pub fn put_bytes(&self, key: Key, payload: &[u8]) {
        let path = self.entry_path(key);
        let Some(dir) = path.parent() else { return };
        if fs::create_dir_all(dir).is_err() {
            return;
        }
        let _ = write_atomic(dir, &path, &encode_entry(key, payload));
    }

    /// Deletes the entries unused for [`TRIM_AGE`], if that was last done more than a day
    /// ago. Errors are ignored.
    pub fn trim(&self) {
        self.trim_at(SystemTime::now());
    }

    fn trim_at(&self, now: SystemTime) {
        let stamp = self.root.join("trim.txt");
        let last = fs::read_to_string(&stamp)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        if last.is_some_and(|t| now.duration_since(t).is_ok_and(|d| d < TRIM_INTERVAL)) {
            return;
        }
        let secs = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let _ = write_atomic(&self.root, &stamp, format!("{secs}\n").as_bytes());
        let old = |p: &Path, age: Duration| {
            fs::metadata(p)
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d > age))
        };
        let Ok(dirs) = fs::read_dir(self.root.join(LAYOUT)) else {
            return;
        };
        for d in dirs.flatten() {
            let Ok(files) = fs::read_dir(d.path()) else {
                continue;
            };
            for f in files.flatten() {
                let p = f.path();
                let is_entry = f.file_name().len() == 32;
                // Temporary files of a run that died are cleaned up after a day.
                let age = if is_entry { TRIM_AGE } else { TRIM_INTERVAL };
                if old(&p, age) {
                    let _ = fs::remove_file(&p);
                }
            }
        }
    }
}

impl Cache {
    /// The loader's file memo for one settings group of a run: what earlier runs with the
    /// same build context over the same paths learned of files (see
    /// [`mapvet_semantic::load::memo`]), and the key to keep it under. A memo that cannot be
    /// read is an empty one.
    pub fn memo(&self, ctx: &BuildContext, roots: &[PathBuf]) -> Option<(Key, Arc<FileMemo>)> {
        let mut k = KeyBuilder::new("memo")?;
        k.str(&format!("{ctx:?}"));
        k.u64(roots.len() as u64);
        for r in roots {
            k.path(r);
        }
        let key = k.finish();
        let entries = self.get_with(key, memo::decode).unwrap_or_default();
        Some((key, Arc::new(FileMemo::new(entries))))
    }

    /// Keeps `memo` under `key` for the next run, when it differs from the one read.
    pub fn keep_memo(&self, key: Key, memo: Arc<FileMemo>) {
        let Ok(memo) = Arc::try_unwrap(memo) else {
            return;
        };
        if memo.changed() {
            self.put_bytes(key, &memo::encode(&memo.into_entries()));
        }
    }
}

/// The user cache directory for mapvet.
fn default_dir() -> Option<PathBuf> {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if cfg!(windows) {
        return env_dir("LOCALAPPDATA").map(|d| d.join("mapvet"));
    }
    if cfg!(target_os = "macos") {
        return env_dir("HOME").map(|d| d.join("Library/Caches/mapvet"));
    }
    env_dir("XDG_CACHE_HOME")
        .or_else(|| env_dir("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("mapvet"))
}

/// An entry's bytes: the magic line, the key, the payload's checksum, the payload.
fn encode_entry(key: Key, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 100);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(format!("{}\n{:032x}\n", key.hex(), xxh3_128(payload)).as_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of an entry, if it is one for `key` and its checksum holds.
fn decode_entry(data: &[u8], key: Key) -> Option<&[u8]> {
    let rest = data.strip_prefix(MAGIC)?;
    let (k, rest) = split_line(rest)?;
    let (sum, payload) = split_line(rest)?;
    (k == key.hex().as_bytes() && sum == format!("{:032x}", xxh3_128(payload)).as_bytes())
        .then_some(payload)
}

fn split_line(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = memchr::memchr(b'\n', b)?;
    Some((&b[..i], &b[i + 1..]))
}

/// Writes `path` whole: a temporary file in `dir`, then a rename.
fn write_atomic(dir: &Path, path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Marks an entry as used now (its modification time), unless that was done recently.
fn touch(path: &Path) {
    let now = SystemTime::now();
    let recent = fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d < TOUCH_INTERVAL));
    if !recent {
        if let Ok(f) = fs::File::options().write(true).open(path) {
            let _ = f.set_modified(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_mtime(path: &Path, t: SystemTime) {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    fn key(s: &str) -> Key {
        let mut k = KeyBuilder::new("test").expect("tool id");
        k.str(s);
        k.finish()
    }

    #[test]
    fn round_trip_and_miss() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path().to_path_buf()).unwrap().unwrap();
        assert_eq!(c.get::<Vec<String>>(key("a")), None);
        c.put(key("a"), &vec!["x".to_owned(), "y".to_owned()]);
        assert_eq!(
            c.get::<Vec<String>>(key("a")),
            Some(vec!["x".to_owned(), "y".to_owned()])
        );
        assert_eq!(c.get::<Vec<String>>(key("b")), None);
        assert!(dir.path().join("CACHEDIR.TAG").is_file());
    }

    #[test]
    fn fields_are_delimited() {
        let k = |parts: &[&str]| {
            let mut b = KeyBuilder::new("test").unwrap();
            for p in parts {
                b.str(p);
            }
            b.finish()
        };
        assert_ne!(k(&["ab", "c"]), k(&["a", "bc"]));
        assert_ne!(k(&["ab"]), k(&["ab", ""]));
        assert_ne!(
            KeyBuilder::new("x").unwrap().finish(),
            KeyBuilder::new("y").unwrap().finish()
        );
    }

    #[test]
    fn corrupt_or_foreign_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path().to_path_buf()).unwrap().unwrap();
        c.put(key("a"), &vec![1u32, 2, 3]);
        let path = c.entry_path(key("a"));
        let good = fs::read(&path).unwrap();
        // A flipped payload byte fails the checksum.
        let mut bad = good.clone();
        let n = bad.len();
        bad[n - 2] = b'9';
        fs::write(&path, &bad).unwrap();
        assert_eq!(c.get::<Vec<u32>>(key("a")), None);
        // Truncated.
        fs::write(&path, &good[..good.len() - 3]).unwrap();
        assert_eq!(c.get::<Vec<u32>>(key("a")), None);
        // Another key's entry at this path.
        fs::write(&path, encode_entry(key("b"), b"[1,2,3]")).unwrap();
        assert_eq!(c.get::<Vec<u32>>(key("a")), None);
        // The right shape but another type.
        fs::write(&path, encode_entry(key("a"), b"{\"x\":1}")).unwrap();
        assert_eq!(c.get::<Vec<u32>>(key("a")), None);
        fs::write(&path, good).unwrap();
        assert_eq!(c.get::<Vec<u32>>(key("a")), Some(vec![1, 2, 3]));
    }

    #[test]
    fn unusable_directory_is_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, b"").unwrap();
        // A path under a regular file cannot be created.
        assert!(Cache::at(file.join("cache")).is_err());
    }

    #[test]
    fn trim_deletes_old_entries_once_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path().to_path_buf()).unwrap().unwrap();
        c.put(key("old"), &1u32);
        c.put(key("new"), &2u32);
        let old = c.entry_path(key("old"));
        let long_ago = SystemTime::now() - TRIM_AGE - Duration::from_secs(60);
        set_mtime(&old, long_ago);
        c.trim();
        assert!(!old.exists());
        assert_eq!(c.get::<u32>(key("new")), Some(2));
        // Within a day of the last trim nothing is looked at.
        c.put(key("old"), &1u32);
        set_mtime(&old, long_ago);
        c.trim();
        assert!(old.exists());
        // A day later it goes.
        c.trim_at(SystemTime::now() + TRIM_INTERVAL + Duration::from_secs(60));
        assert!(!old.exists());
    }

    #[test]
    fn a_read_marks_the_entry_used() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path().to_path_buf()).unwrap().unwrap();
        c.put(key("a"), &1u32);
        let path = c.entry_path(key("a"));
        let long_ago = SystemTime::now() - Duration::from_secs(3 * 3600);
        set_mtime(&path, long_ago);
        assert_eq!(c.get::<u32>(key("a")), Some(1));
        let m = fs::metadata(&path).unwrap().modified().unwrap();
        assert!(m > long_ago + Duration::from_secs(3600));
    }
}
