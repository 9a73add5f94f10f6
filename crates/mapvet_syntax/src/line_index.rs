//! Offsets to 1-based line and byte column, as `go/token` reports them (without `//line`).

/// Start offsets of every line of a file.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(src: &[u8]) -> LineIndex {
        let mut starts = Vec::with_capacity(src.len() / 32 + 1);
        starts.push(0);
        let mut i = 0;
        while let Some(p) = memchr_nl(&src[i..]) {
            i += p + 1;
            starts.push(i as u32);
        }
        LineIndex { starts }
    }

    /// Number of lines (a final line without `\n` counts; an empty file has one line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based byte column of `offset`.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line as u32 + 1, offset - self.starts[line] + 1)
    }

    /// Offset of the start of 1-based `line`.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.starts.get(line.checked_sub(1)? as usize).copied()
    }
}

#[inline]
fn memchr_nl(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col() {
        let idx = LineIndex::new(b"ab\ncd\n\nx");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(2), (1, 3));
        assert_eq!(idx.line_col(3), (2, 1));
        assert_eq!(idx.line_col(6), (3, 1));
        assert_eq!(idx.line_col(7), (4, 1));
        assert_eq!(idx.line_count(), 4);
    }
}
