//! What a cross-reference's preview needs of a chapter's scan so that it
//! can read a target's first paragraph alone ([`crate::xrefs`]): where the
//! paragraphs are, and the chapter's link reference definitions as written.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{OffsetIter, Tag};

/// A chapter's paragraphs outside list items, in order, and its link
/// reference definitions: where a cross-reference's preview finds its
/// target's first paragraph, and what it reads alone with.
#[derive(Debug, Default)]
pub(crate) struct Paragraphs {
    pub list: Vec<Paragraph>,
    /// The definitions as written, one a line; `None` when one spans lines,
    /// or when a paragraph could not be listed: then no preview relies on
    /// the list.
    pub definitions: Option<String>,
}

impl Paragraphs {
    /// None yet, in the chapter `text` whose parse is `events`.
    pub(super) fn new(events: &OffsetIter<'_>, text: &str) -> Paragraphs {
        Paragraphs {
            list: Vec::new(),
            definitions: definitions_as_written(events, text),
        }
    }

    /// A paragraph starts at `range`, inside the blocks of `stack`.
    pub(super) fn enter(&mut self, range: &Range<usize>, stack: &[Tag<'_>]) {
        if stack.iter().any(|t| matches!(t, Tag::Item)) {
            return;
        }
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) => self.list.push(Paragraph {
                start,
                end,
                plain: stack.is_empty(),
            }),
            _ => self.definitions = None,
        }
    }
}

/// A paragraph outside list items: its byte range, and whether no block
/// holds it. Offsets as `u32` (a chapter is under 4 GiB): the scans of a
/// large book hold tens of thousands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paragraph {
    pub start: u32,
    pub end: u32,
    pub plain: bool,
}

impl Paragraph {
    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The link reference definitions of the chapter whose parse is `events`,
/// as written, one a line (in source order); `None` when one spans lines,
/// which alone might read otherwise (a quote's `>` on its next line).
fn definitions_as_written(events: &OffsetIter<'_>, text: &str) -> Option<String> {
    let mut spans: Vec<Range<usize>> = events
        .reference_definitions()
        .iter()
        .map(|(_, def)| def.span.clone())
        .collect();
    spans.sort_by_key(|r| r.start);
    let mut out = String::new();
    for span in spans {
        let line = text.get(span)?.trim_end();
        if line.contains(['\n', '\r']) {
            return None;
        }
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}
