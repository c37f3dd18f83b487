//! Writing the book back to mdBook. The output is about three times the
//! input (callouts, lists, previews), so it is not held whole: once pass 1
//! has found nothing fatal, each chapter's new text goes out as soon as it
//! is rewritten, into the JSON of the rest of the book.
//!
//! [`crate::chapter::take_chapters`] leaves in each chapter it takes a
//! [`placeholder`] naming its place in book order. The book serialised with
//! those placeholders is the skeleton of the output: small (names, numbers,
//! paths), and each chapter's text is written where its placeholder's JSON
//! string stands. The bytes are those of serialising the finished book.

use std::io::{self, Write};

use mdbook_preprocessor::book::Book;
#[cfg(test)]
use mdbook_preprocessor::book::BookItem;

/// What chapter `i`'s content holds between pass 1 and its new text. The NUL
/// characters cannot come from mdBook (which reads chapters as UTF-8 text
/// and would pass a NUL through, but in its own content, which this
/// replaces), and the JSON key in front of it cannot be forged from inside a
/// string, so a placeholder is found only where a chapter's content is.
pub(crate) fn placeholder(i: usize) -> String {
    format!("\u{0}gloss-chapter:{i}\u{0}")
}

/// The chapter a placeholder names, if `content` is one.
fn placeholder_index(content: &str) -> Option<usize> {
    content
        .strip_prefix("\u{0}gloss-chapter:")?
        .strip_suffix('\u{0}')?
        .parse()
        .ok()
}

/// Puts each chapter's new text in place of its placeholder (the in-process
/// [`mdbook_preprocessor::Preprocessor`] returns a book, not bytes).
pub(crate) fn fill(book: &mut Book, mut texts: Vec<String>) {
    book.for_each_chapter_mut(|ch| {
        if let Some(text) = placeholder_index(&ch.content).and_then(|i| texts.get_mut(i)) {
            ch.content = std::mem::take(text);
        }
    });
}

/// The output of a book whose chapters arrive one by one.
pub(crate) struct Stream<W: Write> {
    skeleton: Vec<u8>,
    /// Where, in the skeleton, each chapter's placeholder string stands.
    slots: Vec<std::ops::Range<usize>>,
    /// How much of the skeleton is written.
    written: usize,
    out: W,
    /// The first write error: later chapters are not written, and
    /// [`Stream::finish`] returns it.
    error: Option<io::Error>,
}

impl<W: Write> Stream<W> {
    /// The output of `book`, whose `chapters` chapters hold placeholders.
    pub(crate) fn new(book: &Book, chapters: usize, out: W) -> io::Result<Stream<W>> {
        let skeleton = serde_json::to_vec(book)?;
        let mut slots = Vec::with_capacity(chapters);
        let mut from = 0;
        for i in 0..chapters {
            let key = b"\"content\":";
            let needle = [&key[..], &serde_json::to_vec(&placeholder(i))?].concat();
            let at = find(&skeleton[from..], &needle)
                .map(|at| from + at)
                .ok_or_else(|| {
                    io::Error::other(format!("internal: chapter {i} has no place in the output"))
                })?;
            slots.push(at + key.len()..at + needle.len());
            from = at + needle.len();
        }
        Ok(Stream {
            skeleton,
            slots,
            written: 0,
            out,
            error: None,
        })
    }

    /// Writes the book up to chapter `i` and its text. Chapters come in
    /// book order.
    pub(crate) fn chapter(&mut self, i: usize, text: &str) {
        if self.error.is_some() {
            return;
        }
        let slot = self.slots[i].clone();
        debug_assert!(slot.start >= self.written, "chapters out of order");
        let result = self
            .out
            .write_all(&self.skeleton[self.written..slot.start])
            .and_then(|()| serde_json::to_writer(&mut self.out, text).map_err(io::Error::from));
        self.written = slot.end;
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    /// Writes the rest of the book and flushes.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.out.write_all(&self.skeleton[self.written..])?;
        self.out.flush()
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The chapters of `book` that hold placeholders, for tests.
#[cfg(test)]
fn placeholders(book: &Book) -> Vec<usize> {
    book.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => placeholder_index(&ch.content),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
