//! Running text as the matcher sees it: adjacent text events joined into a
//! [`Run`] that maps back to the source, and the places in it where no
//! callout may go (inside raw HTML that could still open, bare URLs, mdBook
//! `{{#…}}` directives, inline `<code>` and friends, and where a callout's
//! tags would change what mdBook makes of the text), and [`flush`], which
//! turns a run into mentions.

use std::ops::Range;

use super::emphasis::{Leaf, after_backslash, keeps_emphasis};
use super::{Mention, Scan, ScanContext};

/// A run of adjacent text: the text as rendered (soft breaks as spaces) and,
/// for each piece, where it sits in the source.
#[derive(Default)]
pub(super) struct Run {
    pub(super) text: String,
    /// (offset in `text`, source range, whether the source is the text verbatim)
    pub(super) pieces: Vec<(usize, Range<usize>, bool)>,
    /// Ranges of `text` already called out by an earlier run: context for
    /// the mentions around them, never a mention.
    pub(super) taken: Vec<Range<usize>>,
}

impl Run {
    pub(super) fn push(&mut self, text: &str, source: &str, range: Range<usize>) {
        let verbatim = &source[range.clone()] == text;
        self.pieces.push((self.text.len(), range, verbatim));
        self.text.push_str(text);
    }

    /// The whole source lines the run's pieces sit on.
    pub(super) fn lines(&self, source: &str) -> Range<usize> {
        let first = self.pieces.first().map_or(0, |p| p.1.start);
        let last = self.pieces.last().map_or(0, |p| p.1.end);
        let start = source[..first].rfind('\n').map_or(0, |i| i + 1);
        let end = source[last..].find('\n').map_or(source.len(), |i| last + i);
        start..end
    }

    /// Maps an offset in `text` to one in the source. `end` says whether the
    /// offset closes a range (and so belongs to the piece before it).
    /// `None` inside a piece the source does not spell verbatim (`--`
    /// rendered `–`, a smart quote, an entity): no tag can go there, and a
    /// range cut there would be empty or hold other text (the fuzzer found
    /// a term `–` called out inside `-----` as an empty `<a></a>`).
    pub(super) fn to_source(&self, offset: usize, end: bool) -> Option<usize> {
        let idx = match self.pieces.binary_search_by(|p| p.0.cmp(&offset)) {
            Ok(i) if end && i > 0 => i - 1,
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let (start, range, verbatim) = &self.pieces[idx];
        let piece_end = self
            .pieces
            .get(idx + 1)
            .map_or(self.text.len(), |next| next.0);
        if *verbatim {
            Some(range.start + (offset - start))
        } else if offset == *start && !end {
            Some(range.start)
        } else if offset == piece_end && end {
            Some(range.end)
        } else {
            None
        }
    }
}

/// Inline HTML elements whose content is never a mention.
pub(super) const SKIP_TAGS: [&str; 6] = ["a", "code", "kbd", "pre", "script", "style"];

/// The term id of a callout's opening tag (`<a … data-gloss-term="id">`),
/// as an earlier run wrote it.
pub(super) fn callout_opening(html: &str) -> Option<String> {
    let (false, _) = html_tag(html).filter(|(_, name)| name == "a")? else {
        return None;
    };
    let id = html.split("data-gloss-term=\"").nth(1)?;
    // As the template printed it: escaped.
    Some(crate::templates::unescape(
        id.split('"').next().unwrap_or_default(),
    ))
}

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

/// Ends a run of text: finds the mentions in it (not in a directive or a
/// bare URL, not after a `<` that could still open raw HTML, not where a
/// callout's tags would change what mdBook makes of the block `leaf`).
pub(super) fn flush(
    cx: &ScanContext<'_>,
    text: &str,
    run: &mut Run,
    out: &mut Scan,
    suppress_at: &mut Option<usize>,
    angle_open: &mut bool,
    leaf: &Leaf,
) {
    if run.pieces.is_empty() {
        return;
    }
    let cut = if *angle_open {
        0
    } else {
        risky_angle(&run.text).unwrap_or(usize::MAX)
    };
    *angle_open |= cut != usize::MAX;
    if let Some(matcher) = cx.matcher {
        let directives = directive_spans(&run.text);
        for found in matcher.find(&run.text) {
            // Overlapping at all, not only starting inside: a callout on
            // `r{` in `r{{#…` would split the `{{#` and leave text that is
            // no longer a directive, which a second run then calls out.
            let in_directive = directives
                .iter()
                .any(|d| d.start < found.end && found.start < d.end);
            // A mention that reaches the risky `<` is left alone too: its
            // `</a>` would supply the `>` (a term `<!K` becomes `<!K</a>`,
            // an HTML declaration; the fuzzer's).
            // In order, so looked up: a run may hold a million callouts.
            let next = run.taken.partition_point(|t| t.end <= found.start);
            let taken = run.taken.get(next).is_some_and(|t| t.start < found.end);
            if taken || in_directive || in_url(&run.text, found.start) || found.end > cut {
                continue;
            }
            let (Some(start), Some(end)) = (
                run.to_source(found.start, false),
                run.to_source(found.end, true),
            ) else {
                continue;
            };
            if start >= end {
                continue;
            }
            let range = start..end;
            // The block the run sits in, or (where none holds it) the
            // run's own lines.
            let block = if leaf.range.contains(&range.start) && range.end <= leaf.range.end {
                leaf.range.clone()
            } else {
                run.lines(text)
            };
            // Either tag's `<` after an unescaped backslash would be escaped,
            // the closing one too where the mention ends in one (`A\`).
            if after_backslash(text, range.start)
                || after_backslash(text, range.end)
                || !keeps_emphasis(text, block, &range, leaf)
            {
                continue;
            }
            let suppressed = *suppress_at == Some(range.start);
            out.mentions.push(Mention {
                term: found.term,
                range,
                section: out.headings.len().checked_sub(1),
                suppressed,
            });
        }
    }
    *suppress_at = None;
    *run = Run::default();
}
