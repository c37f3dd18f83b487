//! Whether a callout's tags would change what mdBook makes of the text
//! around a mention: the block it sits in is parsed alone, with and without
//! the tags, and compared ([`keeps_emphasis`]); [`Leaf`] tracks that block
//! through the scan.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};

/// Whether wrapping `source[range]` in `<a …>` and `</a>` leaves the
/// emphasis, strikethrough, smart quotes, code spans and brackets around it
/// as they were.
/// CommonMark pairs `*`, `_` and `~` runs (and mdBook's smart punctuation
/// picks `“` or `”`) from the characters on either side of them; the tag puts
/// a `<` or `>` where a letter was, so in `_MoE]_MoE_` a callout on the
/// second `MoE` would pair the first `_` with the last (found by the fuzzer).
/// Only a mention beside such a character, or with one at its own edge,
/// can change anything, and
/// for those the `block` it sits in (a paragraph, or the lines of the run)
/// is parsed with and without the tags and compared.
///
/// Parsed alone, a block would not see the link reference definitions
/// elsewhere in the chapter (`[path]` is a link only if `[path]: …` is
/// defined), so they are appended (`definitions`); footnote references
/// cannot be resolved that way, so a block with `[^` keeps no such mention
/// (the fuzzer found a `~` paired across a footnote reference).
pub(super) fn keeps_emphasis(
    source: &str,
    block: Range<usize>,
    range: &Range<usize>,
    leaf: &Leaf,
) -> bool {
    let delimiter =
        |c: Option<char>| matches!(c, Some('*' | '_' | '~' | '"' | '\'' | '`' | '[' | ']'));
    // The characters either side of each tag: the mention's own first and
    // last count too (a possessive plural `As'` ends in a quote, which the
    // `</a>` after it would turn from closing to opening; the fuzzer's).
    let mention = &source[range.clone()];
    // A vertical tab or form feed is white space to pulldown-cmark, not to
    // CommonMark, and a line of them is read one way in a paragraph with
    // inline HTML and another way without: `a x\` then a line holding a
    // vertical tab ends in a line break, `a <b>x</b>\` in a backslash (the
    // fuzzer's, through a callout's tags). Such a block is always parsed.
    // Looked up, not scanned: a line of a million mentions would scan its
    // block once per mention.
    let next_odd = leaf.odd_spaces.partition_point(|&at| at < block.start);
    let odd_space = leaf
        .odd_spaces
        .get(next_odd)
        .is_some_and(|&at| at < block.end);
    if !odd_space
        && !delimiter(source[..range.start].chars().next_back())
        && !delimiter(source[range.end..].chars().next())
        && !delimiter(mention.chars().next())
        && !delimiter(mention.chars().next_back())
    {
        return true;
    }
    // Judged against the block without the callouts of an earlier run, so
    // that a second run decides as the first did (the fuzzer found a `*`
    // that a callout after it had made unable to pair), and without the
    // quote markers and indentation its containers put at each line's
    // start: parsed alone, a `>` there opens a quote the block is not in,
    // and smart quotes after it turn the other way (also the fuzzer's).
    let text = &source[block.clone()];
    if text.contains("[^") {
        return false;
    }
    let mut cuts = callout_tags(text);
    cuts.extend(container_prefixes(text));
    cuts.sort_by_key(|cut| cut.start);
    let (original, s, e) = without(
        text,
        &cuts,
        range.start - block.start,
        range.end - block.start,
    );
    // What does not depend on the mention is judged once a block: a
    // paragraph of many emphasised mentions was parsed five times each.
    let mut judged = leaf.judged.borrow_mut();
    if judged.as_ref().is_none_or(|j| j.block != block) {
        *judged = Some(Judged::new(block.clone(), &original, &leaf.definitions));
    }
    let judged = judged.as_mut().expect("judged above");
    // Alone, the block could still parse as several (a lazy line of a
    // quote that starts with `: ` makes a definition list; the fuzzer
    // found it), and pairing would then be judged in pieces the page does
    // not have: leave such a mention alone.
    if !judged.one_inline_run {
        return false;
    }
    // A paragraph's range starts after the link reference definitions it
    // began with, so alone its first line can read as a block of its own
    // (`[a]: b` CR `-` is a definition and the paragraph `-`; alone, `-`
    // opens a list, and the mention on the next line sits in a definition
    // either way; the fuzzer's): it must still be one paragraph from its
    // first byte to its last.
    if leaf.paragraph
        && block == leaf.range
        && !*judged
            .one_paragraph
            .get_or_insert_with(|| one_paragraph(&original))
    {
        return false;
    }
    let definitions = &leaf.definitions;
    // Whatever the block, the judgement means something only where the
    // mention, alone, is still text: inside what alone reads as a link
    // reference definition (or any non-text), with and without the tags
    // would compare equal however the page pairs them.
    if !judged.is_text(s..e) {
        return false;
    }
    if between_runs(&original, s, e) {
        return true;
    }
    let wrapped = format!(
        "{}<a>{}</a>{}\n\n{definitions}",
        &original[..s],
        &original[s..e],
        &original[e..]
    );
    *judged.shape.get_or_init(|| shape(&judged.alone)) == shape(&wrapped)
}

/// Whether the mention `text[s..e]` is all that a run of `*` or of `_`
/// on each side holds, with white space (or the text's ends) outside the
/// runs: `… *GQA* …`, `__DPO__`. The tags would stand between each run and
/// the mention, where a `<` or `>` in place of the mention's first or last
/// character flanks the runs (CommonMark 6.2) as that character did: with
/// white space on its outer side, the opening run is left-flanking and not
/// right-flanking, the closing run the reverse, whatever is inside. So the
/// pairing cannot change, and the block need not be parsed again: the
/// commonest slow case (emphasised terms were a sixth of the time of a
/// large synthetic book). `emphasis_runs_agree_with_parsing` checks this
/// against the parse.
fn between_runs(text: &str, s: usize, e: usize) -> bool {
    let b = text.as_bytes();
    let Some(&d) = b.get(e).filter(|&&d| d == b'*' || d == b'_') else {
        return false;
    };
    let edge = |c: u8| {
        !matches!(
            c,
            b'*' | b'_' | b'~' | b'"' | b'\'' | b'`' | b'[' | b']' | b'\\' | b'<' | b'>' | b'&'
        )
    };
    if s >= e || !edge(b[s]) || !edge(b[e - 1]) {
        return false;
    }
    let before = b[..s].iter().rev().take_while(|&&c| c == d).count();
    let after = b[e..].iter().take_while(|&&c| c == d).count();
    let outside = |at: Option<&u8>| at.is_none_or(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
    before > 0 && outside(b[..s - before].last()) && outside(b.get(e + after))
}

/// What [`keeps_emphasis`] learns of a block, whatever the mention: the
/// block parsed alone, without callout tags and container markers, with
/// the chapter's link reference definitions after it.
#[derive(Debug)]
pub(super) struct Judged {
    /// Its range in the chapter.
    block: Range<usize>,
    /// Whether, alone, it keeps its inline content together.
    one_inline_run: bool,
    /// Whether, alone, it is one paragraph from its first byte to its
    /// last; asked only of a whole paragraph.
    one_paragraph: Option<bool>,
    /// The block and the definitions, as parsed alone.
    alone: String,
    /// Its [`shape`], once a mention needs it: most mentions in a block
    /// that is parsed at all are decided without it ([`between_runs`]).
    shape: std::cell::OnceCell<String>,
    /// The ranges of its text events, in order.
    texts: Vec<Range<usize>>,
}

impl Judged {
    fn new(block: Range<usize>, original: &str, definitions: &str) -> Judged {
        use mdbook_markdown::pulldown_cmark::Event;
        let alone = format!("{original}\n\n{definitions}");
        let events: Vec<_> = crate::markdown::parse(&alone).collect();
        let texts = events
            .iter()
            .filter(|(event, _)| matches!(event, Event::Text(_)))
            .map(|(_, r)| r.clone())
            .collect();
        // The block's structure, from the same parse when the definitions
        // after it read as nothing (no event reaches past the block): a
        // blank line ends whatever the block left open, and resolving its
        // references turns text into links, both inline. Otherwise (an
        // unclosed fence or comment takes the definitions in), the block
        // is parsed without them.
        let (one_inline_run, one_paragraph) = if events.iter().all(|(_, r)| r.end <= original.len())
        {
            (
                inline_run_of(&events),
                Some(paragraph_of(&events, original)),
            )
        } else {
            (one_inline_run(original), None)
        };
        Judged {
            block,
            one_inline_run,
            one_paragraph,
            alone,
            shape: std::cell::OnceCell::new(),
            texts,
        }
    }

    /// Whether every byte of `range` lies in text events of the block
    /// parsed alone.
    fn is_text(&self, range: Range<usize>) -> bool {
        let mut covered = range.start;
        for r in &self.texts {
            if r.start <= covered && covered < r.end {
                covered = r.end;
                if covered >= range.end {
                    return true;
                }
            }
        }
        range.is_empty()
    }
}

/// The innermost block that holds inline text, and the chapter's link
/// reference definitions as lines (`[label]: x`), for [`keeps_emphasis`].
pub(super) struct Leaf {
    pub(super) range: Range<usize>,
    /// Whether the block is a paragraph (not a list item, table cell or
    /// definition-list part, whose range holds their own markers).
    pub(super) paragraph: bool,
    /// The blocks that hold this one (a list item around a nested list),
    /// innermost last: text after the nested block ends is the outer
    /// one's again (the fuzzer's).
    outer: Vec<(Range<usize>, bool)>,
    pub(super) definitions: String,
    /// Where the chapter has a vertical tab or form feed, in order.
    odd_spaces: Vec<usize>,
    /// The last block [`keeps_emphasis`] parsed, judged.
    judged: std::cell::RefCell<Option<Judged>>,
}

impl Leaf {
    /// No block yet, in the chapter `source` whose parse is `events`.
    pub(super) fn new(
        events: &mdbook_markdown::pulldown_cmark::OffsetIter<'_>,
        source: &str,
    ) -> Leaf {
        let mut labels: Vec<&str> = events
            .reference_definitions()
            .iter()
            .map(|(l, _)| l)
            .collect();
        // In order, so that two runs build the same text.
        labels.sort_unstable();
        let mut definitions = String::new();
        for label in labels {
            definitions.push('[');
            definitions.push_str(label);
            definitions.push_str("]: x\n");
        }
        Leaf {
            range: 0..0,
            paragraph: false,
            outer: Vec::new(),
            definitions,
            odd_spaces: source
                .bytes()
                .enumerate()
                .filter(|(_, b)| matches!(b, 0x0b | 0x0c))
                .map(|(at, _)| at)
                .collect(),
            judged: std::cell::RefCell::new(None),
        }
    }
}

impl Leaf {
    /// A block that holds inline text starts at `range`.
    pub(super) fn enter(&mut self, range: Range<usize>, paragraph: bool) {
        let outer = std::mem::replace(&mut self.range, range);
        self.outer.push((outer, self.paragraph));
        self.paragraph = paragraph;
    }

    /// It ends: the block around it, if any, holds the text again.
    pub(super) fn leave(&mut self) {
        if let Some((range, paragraph)) = self.outer.pop() {
            self.range = range;
            self.paragraph = paragraph;
        }
    }
}

/// Whether a block of this kind holds inline text itself (besides a
/// paragraph): a tight list item, a table cell, a definition-list part.
pub(super) fn holds_inline(tag: &mdbook_markdown::pulldown_cmark::Tag<'_>) -> bool {
    use mdbook_markdown::pulldown_cmark::Tag;
    matches!(
        tag,
        Tag::Item | Tag::TableCell | Tag::DefinitionListTitle | Tag::DefinitionListDefinition
    )
}

/// Where our callout tags (`<a class="gloss-term" …>` and its `</a>`) sit
/// in `text`.
fn callout_tags(text: &str) -> Vec<Range<usize>> {
    const OPEN: &str = "<a class=\"gloss-term\"";
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find(OPEN).map(|i| at + i) {
        let Some(open_end) = text[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let Some(close) = text[open_end..].find("</a>").map(|i| open_end + i) else {
            break;
        };
        tags.extend([open..open_end, close..close + 4]);
        at = close + 4;
    }
    tags
}

/// The `>` markers, spaces and tabs at the start of each line of `text`.
/// Inside a leaf block none of them is content: a line of a paragraph
/// that began with `>` would have opened a quote instead, and the
/// paragraph strips a line's leading white space itself.
fn container_prefixes(text: &str) -> Vec<Range<usize>> {
    let mut prefixes = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let kept = line.trim_start_matches([' ', '\t', '>']);
        let end = start + line.len() - kept.len();
        if end > start {
            prefixes.push(start..end);
        }
        start += line.len();
    }
    prefixes
}

/// Whether `text`, parsed alone, keeps all its inline content together:
/// once inline content has begun, no block opens (blocks may only close).
/// A fence line after the text opens an empty code block, with no inline
/// event after it, and still splits it (the fuzzer's).
fn one_inline_run(text: &str) -> bool {
    inline_run_of(&crate::markdown::parse(text).collect::<Vec<_>>())
}

/// [`one_inline_run`] of a parse's events.
fn inline_run_of(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let mut inline_seen = false;
    for (event, _) in events {
        match event {
            Event::Start(tag) if !crate::markdown::is_inline(tag) => {
                if inline_seen {
                    return false;
                }
            }
            Event::End(_) => {}
            Event::Html(_) | Event::Rule => {
                if inline_seen {
                    return false;
                }
            }
            _ => inline_seen = true,
        }
    }
    true
}

/// Whether `text`, parsed alone, is a single paragraph that starts at its
/// first byte and runs to its end (trailing white space aside).
fn one_paragraph(text: &str) -> bool {
    paragraph_of(&crate::markdown::parse(text).collect::<Vec<_>>(), text)
}

/// [`one_paragraph`] of the events of `text`'s parse.
fn paragraph_of(events: &[(Event<'_>, Range<usize>)], text: &str) -> bool {
    let mut events = events.iter();
    let Some((Event::Start(Tag::Paragraph), first)) = events.next() else {
        return false;
    };
    if first.start != 0 || first.end < text.trim_end().len() {
        return false;
    }
    // Its end, then nothing more: any later block means it split.
    events.any(|(event, _)| *event == Event::End(TagEnd::Paragraph)) && events.next().is_none()
}

/// `text` without the sorted, disjoint `cuts`, and the offsets `s` and `e`
/// moved to match.
fn without(text: &str, cuts: &[Range<usize>], s: usize, e: usize) -> (String, usize, usize) {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    // Bytes removed before `s` and before `e`.
    let (mut before_s, mut before_e) = (0, 0);
    for cut in cuts {
        let from = cut.start.max(at);
        if cut.end <= from {
            continue;
        }
        out.push_str(&text[at..from]);
        before_s += cut.end.min(s).saturating_sub(from);
        before_e += cut.end.min(e).saturating_sub(from);
        at = cut.end;
    }
    out.push_str(&text[at..]);
    (out, s - before_s, e - before_e)
}

/// Whether `source[..at]` ends in an unescaped backslash: the `<` of a tag
/// put at `at` would be escaped, and the whole tag literal text (found by
/// the fuzzer: `[\MoE`).
pub(super) fn after_backslash(source: &str, at: usize) -> bool {
    let before = &source[..at];
    (before.len() - before.trim_end_matches('\\').len()) % 2 == 1
}

/// The inline structure of `text` with our two tags left out: its text, and
/// where emphasis and every other element open and close.
fn shape(text: &str) -> String {
    use mdbook_markdown::pulldown_cmark::Event;
    use std::fmt::Write;
    let mut out = String::new();
    for (event, _) in crate::markdown::parse(text) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::InlineHtml(h) if &*h == "<a>" || &*h == "</a>" => {}
            other => {
                let _ = write!(out, "\u{1}{other:?}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
