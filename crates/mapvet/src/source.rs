//! Reading source files: bytes only (no UTF-8 validation here: the lexer reports invalid UTF-8
//! exactly as go/parser does), with a size limit so offsets fit the parser's `u32`s with room
//! to spare and one huge file cannot exhaust memory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::config::absolute;

/// File contents that stand in for what is on disk: the text read from standard input
/// (`--stdin-filename`), and files being fixed in memory (`--fix`, `--diff`). Keyed by
/// absolute, cleaned path.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Overlay {
    pub fn insert(&mut self, path: &Path, text: Vec<u8>) {
        self.files.insert(absolute(path), text);
    }

    pub fn get(&self, path: &Path) -> Option<&[u8]> {
        if self.files.is_empty() {
            return None;
        }
        self.files.get(&absolute(path)).map(Vec::as_slice)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PathBuf, &[u8])> {
        self.files.iter().map(|(p, t)| (p, t.as_slice()))
    }
}

/// Reads a file through the overlay: its overlay text if it has one, else from disk.
pub fn read_source_in(path: &Path, overlay: &Overlay) -> io::Result<Vec<u8>> {
    match overlay.get(path) {
        Some(text) => Ok(text.to_vec()),
        None => read_source(path),
    }
}

/// Files larger than this (1 GiB) are not read; they get an `E001 io-error` diagnostic.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// Reads a whole file, refusing files larger than [`MAX_FILE_SIZE`].
pub fn read_source(path: &Path) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(too_large(meta.len()));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize + 1);
    // `take` guards against a file that grows while it is read.
    file.take(MAX_FILE_SIZE + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(buf.len() as u64));
    }
    Ok(buf)
}

fn too_large(len: u64) -> io::Error {
    io::Error::other(format!("file is larger than 1 GiB ({len} bytes)"))
}

/// The message of an I/O error without the context some wrappers add: walkdir's errors print
/// `IO error for operation on PATH: ...`, but the path is already the diagnostic's path.
pub fn io_message(err: &io::Error) -> String {
    if let Some(inner) = err.get_ref() {
        if let Some(source) = inner.source() {
            return source.to_string();
        }
    }
    err.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_message() {
        let err = read_source(Path::new("/nonexistent/mapvet/x.go")).unwrap_err();
        assert_eq!(io_message(&err), "No such file or directory (os error 2)");
    }
}
