//! Running text as the matcher sees it: adjacent text events joined into a
//! [`Run`] that maps back to the source, and the places in it where no
//! callout may go (inside raw HTML that could still open, bare URLs, mdBook
//! `{{#…}}` directives, inline `<code>` and friends).

use std::ops::Range;

/// A run of adjacent text: the text as rendered (soft breaks as spaces) and,
/// for each piece, where it sits in the source.
#[derive(Default)]
pub(super) struct Run {
    pub(super) text: String,
    /// (offset in `text`, source range, whether the source is the text verbatim)
    pub(super) pieces: Vec<(usize, Range<usize>, bool)>,
}

impl Run {
    pub(super) fn push(&mut self, text: &str, source: &str, range: Range<usize>) {
        let verbatim = &source[range.clone()] == text;
        self.pieces.push((self.text.len(), range, verbatim));
        self.text.push_str(text);
    }

    /// Maps an offset in `text` to one in the source. `end` says whether the
    /// offset closes a range (and so belongs to the piece before it).
    pub(super) fn to_source(&self, offset: usize, end: bool) -> usize {
        let idx = match self.pieces.binary_search_by(|p| p.0.cmp(&offset)) {
            Ok(i) if end && i > 0 => i - 1,
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let (start, range, verbatim) = &self.pieces[idx];
        if *verbatim {
            range.start + (offset - start)
        } else if offset == *start && !end {
            range.start
        } else {
            range.end
        }
    }
}

/// Inline HTML elements whose content is never a mention.
pub(super) const SKIP_TAGS: [&str; 6] = ["a", "code", "kbd", "pre", "script", "style"];

pub(super) fn html_tag(html: &str) -> Option<(bool, String)> {
    let rest = html.trim().strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || rest.trim_end().ends_with("/>") {
        None
    } else {
        Some((closing, name))
    }
}

/// Where `text` has a `<` that could begin raw HTML (a tag, a declaration,
/// a comment or a processing instruction) if a `>` came later.
pub(super) fn risky_angle(text: &str) -> Option<usize> {
    text.match_indices('<')
        .find(|(i, _)| {
            text[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '!' | '?' | '/'))
        })
        .map(|(i, _)| i)
}

/// A bare URL around `at`: not a mention. Looks only at the
/// white-space-delimited word around `at`.
pub(super) fn in_url(text: &str, at: usize) -> bool {
    // Past the white space before the word, which may be more than one byte
    // (a thin space, U+2009, is three).
    let token_start = text[..at]
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let token_end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    let token = &text[token_start..token_end];
    token.contains("://") || token.starts_with("www.")
}

/// The spans of mdBook `{{#…}}` directives left in the text (one pass).
pub(super) fn directive_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{#").map(|i| from + i) {
        let close = text[open..].find("}}").map_or(text.len(), |i| open + i + 2);
        out.push(open..close);
        from = close;
    }
    out
}
