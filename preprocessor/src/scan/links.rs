//! Our links as the scan reads them: which destinations are ours
//! (`xref:`, `cite:`, `figure:`, or a link to an entry of the glossary page),
//! and where a `figure:` link may stand.

use std::ops::Range;

use super::{RefKind, RefUse, ScanContext};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::links::resolve_relative;

/// Whether a link destination is one of our schemes.
pub(super) fn is_ours(dest: &str) -> bool {
    dest.starts_with("xref:") || dest.starts_with("cite:") || dest.starts_with("figure:")
}

/// `xref:id`, `cite:id`, or a link to an entry of the glossary page.
pub(super) fn classify_link(cx: &ScanContext<'_>, dest: &str) -> Option<(RefKind, String)> {
    if let Some(id) = dest.strip_prefix("xref:") {
        return Some((RefKind::Xref, id.to_string()));
    }
    if let Some(id) = dest.strip_prefix("cite:") {
        return Some((RefKind::Cite, id.to_string()));
    }
    if let Some(name) = dest.strip_prefix("figure:") {
        return Some((RefKind::Figure, name.to_string()));
    }
    if dest.contains("://") || dest.starts_with('#') {
        return None;
    }
    let (path, fragment) = dest.split_once('#')?;
    let resolved = resolve_relative(cx.chapter_path, path)?;
    let glossary_html = cx
        .glossary_path
        .strip_suffix(".md")
        .map(|p| format!("{p}.html"));
    (resolved == cx.glossary_path || Some(&resolved) == glossary_html.as_ref())
        .then(|| (RefKind::Term, fragment.to_string()))
}

/// Checks where a `figure:` link stands: it must be the whole of a
/// top-level paragraph, since the figure replaces that paragraph.
/// `paragraph` is that paragraph's range, or `None` when the link is not
/// directly in a top-level paragraph.
pub(super) fn figure_placement(
    path: &str,
    text: &str,
    link: &Range<usize>,
    paragraph: Option<&Range<usize>>,
    diags: &mut Diagnostics,
) {
    let alone = paragraph.is_some_and(|p| text[p.clone()].trim() == text[link.clone()].trim());
    if !alone {
        diags.push(
            Diagnostic::error("a figure must be a paragraph of its own")
                .at(Location::new(path, text, link.clone()))
                .label("this `figure:` link shares its paragraph, or stands in a list, quote or table")
                .help("put `[Caption](figure:name)` alone on its line, with a blank line before and after, at the top level of the chapter"),
        );
    }
}

/// Whether an HTML block's source is raw text to Markdown as well as to
/// us (a comment, a declaration, `<pre>`, `<script>` …), where `](cite:` is
/// only text; unlike a `<div>` block, which link text broken by a `<div>` on
/// its own line lands in.
pub(super) fn raw_block(source: &str) -> bool {
    let start = source.trim_start().to_ascii_lowercase();
    ["<!", "<?", "<pre", "<script", "<style", "<textarea"]
        .iter()
        .any(|p| start.starts_with(p))
}

/// Reports `](cite:`, `](xref:` and `](figure:` that Markdown did not read
/// as one of our links: link text that runs into a block on its next line,
/// or holds an unbalanced `[` or `]`, leaves the reference as plain text,
/// and it would vanish from the page without a word. `refs` and `verbatim`
/// (code and raw HTML) are in document order.
pub(super) fn unlinked_refs(
    path: &str,
    text: &str,
    refs: &[RefUse],
    verbatim: &[Range<usize>],
    html_blocks: &[Range<usize>],
    diags: &mut Diagnostics,
) {
    // One of the last ranges starting at or before `at` holds it, if any does.
    fn held(at: usize, ranges: &[Range<usize>]) -> bool {
        let i = ranges.partition_point(|r| r.start <= at);
        ranges[..i].iter().rev().take(2).any(|r| at < r.end)
    }
    let mut found = text.match_indices("](").peekable();
    if found.peek().is_none() {
        return;
    }
    let link_ranges: Vec<Range<usize>> = refs.iter().map(|r| r.range.clone()).collect();
    for (at, _) in found {
        let dest = &text[at + 2..];
        let Some(scheme) = ["cite:", "xref:", "figure:"]
            .into_iter()
            .find(|s| dest.starts_with(s))
        else {
            continue;
        };
        if held(at, &link_ranges) || held(at, verbatim) {
            continue;
        }
        // In a `<div>` block refused already (in a card, an entry): once is enough.
        let line = |at: usize| text[..at].matches('\n').count() + 1;
        if let Some(block) = html_blocks.iter().find(|b| b.contains(&at))
            && diags.has_error_within(path, line(block.start)..=line(block.end))
        {
            continue;
        }
        diags.push(
            Diagnostic::error(format!("`]({scheme}` that Markdown does not read as a link"))
                .at(Location::new(path, text, at..at + 2 + scheme.len()))
                .label("the reference would show as plain text")
                .help("keep the link text free of line breaks that start a block (a list item, quote, heading, fence …) and of unbalanced brackets; write a literal bracket as `\\[` or `\\]`"),
        );
    }
}
