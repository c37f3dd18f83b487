//! Splicing by byte range: every change to a chapter is an [`Edit`] on its
//! original source, so every byte outside an edit stays exactly as written.

/// Replace `start..end` with `text`. An insertion has `start == end`.
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// The replacement.
    pub text: String,
}

impl Edit {
    /// Inserts `text` at `at`.
    pub(crate) fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            start: at,
            end: at,
            text: text.into(),
        }
    }

    /// Replaces `start..end` with `text`.
    pub(crate) fn replace(start: usize, end: usize, text: impl Into<String>) -> Edit {
        Edit {
            start,
            end,
            text: text.into(),
        }
    }
}

/// Applies non-overlapping edits to `source`. Edits at the same offset keep
/// the order they were given in; edits are sorted stably by start.
///
/// Returns the new text and a map from old offsets to new ones (see
/// [`OffsetMap::map`]).
pub(crate) fn apply(source: &str, mut edits: Vec<Edit>) -> (String, OffsetMap) {
    edits.sort_by_key(|e| e.start);
    let extra: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(source.len() + extra);
    let mut pos = 0;
    let mut shifts = Vec::with_capacity(edits.len());
    for e in edits {
        debug_assert!(
            e.start >= pos,
            "overlapping edits at {}..{}",
            e.start,
            e.end
        );
        let start = e.start.max(pos);
        out.push_str(&source[pos..start]);
        out.push_str(&e.text);
        pos = e.end.max(start);
        shifts.push((pos, out.len()));
    }
    out.push_str(&source[pos..]);
    (out, OffsetMap { shifts })
}

/// Maps offsets of the old text to the new text.
#[derive(Debug, Default)]
pub(crate) struct OffsetMap {
    /// After each edit: (old offset past it, new offset past it).
    shifts: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The new offset of old offset `at`, which must not fall strictly inside an edit.
    /// An offset at an insertion point maps to before the inserted text when
    /// `before`, after it otherwise.
    pub(crate) fn map(&self, at: usize, before: bool) -> usize {
        let idx = if before {
            self.shifts.partition_point(|&(old, _)| old < at)
        } else {
            self.shifts.partition_point(|&(old, _)| old <= at)
        };
        match idx.checked_sub(1) {
            Some(i) => {
                let (old, new) = self.shifts[i];
                new + (at - old)
            }
            None => at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_in_order() {
        let (out, map) = apply(
            "abc def",
            vec![
                Edit::replace(4, 7, "XYZW"),
                Edit::insert(0, "<"),
                Edit::insert(3, ">"),
            ],
        );
        assert_eq!(out, "<abc> XYZW");
        assert_eq!(map.map(3, true), 4);
        assert_eq!(map.map(3, false), 5);
        assert_eq!(map.map(7, false), 10);
    }
}
