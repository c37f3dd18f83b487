//! Pass 1 over one chapter: everything the rewrite needs to know, read from
//! the same pulldown-cmark parse mdBook renders from, with byte ranges into
//! the chapter's source. Nothing here changes the text.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown::{is_container, is_inline, parse, unsafe_html, unsafe_url};
use crate::matcher::Matcher;

mod blocks;
mod emphasis;
mod headings;
mod links;
mod paragraphs;
mod text;

pub(crate) use blocks::ClaimMarker;
pub(crate) use blocks::{Block, BlockKind, unquote};
use blocks::{block_of, heading_in_block, never_closed};
use links::{classify_link, figure_placement, raw_block, unlinked_refs};
pub(crate) use paragraphs::Paragraphs;
use text::{Run, SKIP_TAGS, callout_opening, flush, html_tag, risky_angle};

/// A heading of the chapter.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The explicit `{#id}`, or the id mdBook derives from the text.
    pub id: String,
    /// Whether the id was written by the author.
    pub explicit: bool,
    /// The heading's plain text.
    pub title: String,
    /// Byte range of the heading.
    pub range: Range<usize>,
}

/// What a link of ours points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    /// `xref:id`: any target in the book.
    Xref,
    /// `cite:id`: a source in the references.
    Cite,
    /// A plain link to a glossary entry: a forced callout.
    Term,
    /// `figure:name`: a figure drawn from `src/data/name.toml`.
    Figure,
}

/// One of our links.
#[derive(Debug, Clone)]
pub struct RefUse {
    /// Which kind.
    pub kind: RefKind,
    /// The id it names.
    pub target: String,
    /// Byte range of the whole link.
    pub range: Range<usize>,
    /// Byte range of the link text; `None` when empty or an autolink.
    pub text: Option<Range<usize>>,
    /// Index of the heading whose section holds it.
    pub section: Option<usize>,
}

/// A mention of a glossary term in running text.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Index of the term.
    pub term: usize,
    /// Byte range in the chapter.
    pub range: Range<usize>,
    /// Index of the heading whose section holds it.
    pub section: Option<usize>,
    /// Written right after `<!-- no-gloss -->`.
    pub suppressed: bool,
}

/// Everything pass 1 learns about a chapter.
#[derive(Debug, Default)]
pub struct Scan {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Our links in order.
    pub refs: Vec<RefUse>,
    /// Annotation blocks in order.
    pub blocks: Vec<Block>,
    /// Term mentions in order.
    pub mentions: Vec<Mention>,
    /// `<!-- gloss:ledger -->` and `<!-- gloss:tally -->` markers, in order.
    pub(crate) claim_markers: Vec<(ClaimMarker, Range<usize>)>,
    /// Callouts already in the text (`<a … data-gloss-term="id">`), as
    /// written by an earlier run: the term id and where it starts.
    pub existing: Vec<(String, usize)>,
    /// Where its paragraphs are, for previews that read one alone.
    pub(crate) paragraphs: Paragraphs,
}

const NO_GLOSS: &str = "<!-- no-gloss -->";

/// What a chapter scan needs to know about the book.
pub struct ScanContext<'a> {
    /// The chapter's path in `src/` (e.g. `decision-1/stability.md`).
    pub chapter_path: &'a str,
    /// Path shown in diagnostics (e.g. `src/decision-1/stability.md`).
    pub display_path: &'a str,
    /// The glossary chapter's path in `src/`.
    pub glossary_path: &'a str,
    /// The term matcher; `None` to skip mentions.
    pub matcher: Option<&'a Matcher>,
    /// Whether the book turned claims on (`claims = true`).
    pub claims: bool,
}

#[cfg(test)]
impl<'a> ScanContext<'a> {
    /// A chapter at `src/{chapter_path}` of a book whose glossary is
    /// `glossary.md`, scanned without a matcher (set `matcher` to find mentions).
    pub fn for_test(chapter_path: &'a str, display_path: &'a str) -> Self {
        ScanContext {
            chapter_path,
            display_path,
            glossary_path: "glossary.md",
            matcher: None,
            claims: true,
        }
    }
}

/// Runs pass 1 over `text`.
pub fn scan(cx: &ScanContext<'_>, text: &str, diags: &mut Diagnostics) -> Scan {
    let mut out = Scan::default();
    let mut stack: Vec<Tag<'_>> = Vec::new();
    let mut skip_html: Vec<String> = Vec::new();
    let mut run = Run::default();
    let mut suppress_at: Option<usize> = None;
    let mut paragraph: Range<usize> = 0..0;
    // Open links of ours: index into `out.refs` and the range of the text seen so far.
    let mut open_links: Vec<(Option<usize>, Option<Range<usize>>)> = Vec::new();
    let mut events = parse(text);
    // The innermost block that holds inline text (a paragraph, a tight list
    // item, a table cell, a definition list's term or definition): what
    // emphasis can pair across.
    let mut leaf = emphasis::Leaf::new(&events, text);
    out.paragraphs = Paragraphs::new(&events, text);
    // Inside a callout of an earlier run: where its text starts in `run`.
    let mut in_callout: Option<usize> = None;

    // Whether the current leaf block has shown a `<` that could start raw
    // HTML: a `>` we insert after it could complete it (CommonMark lets raw
    // HTML run across the rest of the paragraph), so no callout goes there.
    let mut angle_open = false;

    // Code, comments and inline HTML, where `](cite:` is only text. Not a
    // `<div>` block: link text broken by one on its own line lands there.
    let mut verbatim: Vec<Range<usize>> = Vec::new();
    let mut html_blocks: Vec<Range<usize>> = Vec::new();
    while let Some((event, range)) = events.next() {
        match &event {
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) => {
                verbatim.push(range.clone())
            }
            Event::Start(Tag::HtmlBlock) if raw_block(&text[range.clone()]) => {
                verbatim.push(range.clone())
            }
            Event::Start(Tag::HtmlBlock) => html_blocks.push(range.clone()),
            _ => {}
        }
        if stack.is_empty() && matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)) {
            never_closed(cx, text, range.clone(), diags);
        }
        let eligible = stack.iter().all(|t| {
            !matches!(
                t,
                Tag::Heading { .. }
                    | Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::CodeBlock(_)
                    | Tag::MetadataBlock(_)
            )
        }) && skip_html.is_empty();
        match &event {
            Event::Text(t) if eligible => {
                run.push(t, text, range.clone());
                continue;
            }
            Event::SoftBreak if eligible && !run.pieces.is_empty() => {
                run.push(" ", text, range.clone());
                continue;
            }
            // A callout of an earlier run stays in the run as text nothing
            // may match, so that the mentions around it are judged as they
            // were when it was still text: `r-DPO` keeps `r` out of the
            // compound whether or not `DPO` is already a callout (fuzzer).
            Event::InlineHtml(html) if eligible && in_callout.is_none() => {
                if let Some(id) = callout_opening(html) {
                    out.existing.push((id, range.start));
                    in_callout = Some(run.text.len());
                    continue;
                }
            }
            Event::InlineHtml(html) if in_callout.is_some() && html.trim() == "</a>" => {
                if let Some(start) = in_callout.take() {
                    run.taken.push(start..run.text.len());
                }
                continue;
            }
            _ => {}
        }
        // Anything else inside such a callout ends the run there; the
        // callout's text after it is still not matched.
        if let Some(start) = &mut in_callout {
            if *start < run.text.len() {
                run.taken.push(*start..run.text.len());
            }
            *start = 0;
        }
        flush(
            cx,
            text,
            &mut run,
            &mut out,
            &mut suppress_at,
            &mut angle_open,
            &leaf,
        );
        // Track the text range of open links of ours.
        if let Some((_, text_range)) = open_links.last_mut()
            && !matches!(event, Event::End(TagEnd::Link))
        {
            *text_range = Some(match text_range.take() {
                Some(r) => r.start..range.end.max(r.end),
                None => range.clone(),
            });
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                if let Some(b) = out.blocks.last().filter(|b| b.range.contains(&range.start)) {
                    heading_in_block(cx, text, range.clone(), b.kind, diags);
                }
                let heading = headings::read(
                    cx,
                    text,
                    (level, id),
                    range,
                    &mut events,
                    &mut verbatim,
                    diags,
                );
                out.headings.push(heading);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if let Some(reason) = out
                    .blocks
                    .last()
                    .filter(|b| b.range.contains(&range.start))
                    .and_then(|_| unsafe_url(&dest_url))
                {
                    diags.push(
                        Diagnostic::error(reason)
                            .at(Location::new(cx.display_path, text, range.clone()))
                            .label(
                                "annotation blocks are copied into the claims ledger and its cards",
                            )
                            .help("link with `https:`, `mailto:` or a relative path"),
                    );
                }
                let kind_target = classify_link(cx, &dest_url);
                if let Some((RefKind::Figure, _)) = kind_target {
                    let alone = matches!(stack.last(), Some(Tag::Paragraph))
                        && !stack.iter().any(is_container);
                    let para = alone.then_some(&paragraph);
                    figure_placement(cx.display_path, text, &range, para, diags);
                }
                let idx = kind_target.map(|(kind, target)| {
                    out.refs.push(RefUse {
                        kind,
                        target,
                        range: range.clone(),
                        text: None,
                        section: out.headings.len().checked_sub(1),
                    });
                    out.refs.len() - 1
                });
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                open_links.push((idx.filter(|_| !autolink), None));
                stack.push(Tag::Link {
                    link_type,
                    dest_url,
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                });
            }
            Event::End(TagEnd::Link) => {
                if let Some((Some(idx), text_range)) = open_links.pop() {
                    // The text starts right after `[`: the first event's range
                    // can start later, after a backslash escape it leaves out.
                    let link = &out.refs[idx].range;
                    let text_range = text_range.map(|r| match text.as_bytes().get(link.start) {
                        Some(b'[') => link.start + 1..r.end,
                        _ => r,
                    });
                    out.refs[idx].text = text_range;
                }
                stack.pop();
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                angle_open = false;
                let top_level = !stack.iter().any(is_container);
                if kind.is_none() {
                    block_of(cx, text, range.clone(), top_level, &mut out, diags);
                }
                stack.push(Tag::BlockQuote(kind));
            }
            Event::Start(Tag::Paragraph) => {
                out.paragraphs.enter(&range, &stack);
                paragraph = range.clone();
                leaf.enter(range, true);
                stack.push(Tag::Paragraph);
            }
            Event::Start(tag) => {
                if emphasis::holds_inline(&tag) {
                    // A definition-list title is a paragraph turned title:
                    // it too starts after any link reference definitions.
                    leaf.enter(range, matches!(tag, Tag::DefinitionListTitle));
                }
                angle_open &= is_inline(&tag);
                stack.push(tag);
            }
            Event::End(_) => {
                if let Some(tag) = stack.pop() {
                    angle_open &= is_inline(&tag);
                    if matches!(tag, Tag::Paragraph) || emphasis::holds_inline(&tag) {
                        leaf.leave();
                    }
                }
            }
            Event::Text(_)
                if !stack
                    .iter()
                    .any(|t| matches!(t, Tag::CodeBlock(_) | Tag::MetadataBlock(_))) =>
            {
                // Judged on the source with the character after it:
                // pulldown-cmark splits text at a `<` that opens nothing, so
                // `[<!a]()` gives `<` and `!a`, and a callout's `>` after
                // the link would make `<!a…>` a declaration (fuzzer).
                let next = text[range.end..].chars().next().map_or(0, char::len_utf8);
                angle_open |= risky_angle(&text[range.start..range.end + next]).is_some();
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                // The text of a link of ours is wrapped in our own `<a>`.
                let in_our_link = open_links.iter().any(|(idx, _)| idx.is_some());
                if in_our_link && let Some(reason) = unsafe_html(&html) {
                    diags.push(
                        Diagnostic::error(reason)
                            .at(Location::new(cx.display_path, text, range.clone()))
                            .label("the text of a cross-reference, citation or figure link goes into our markup")
                            .help("write plain Markdown; <sup>, <sub>, <em>, <strong>, <code> and <abbr> without attributes are allowed"),
                    );
                } else if let Some(reason) = out
                    .blocks
                    .last()
                    .filter(|b| b.range.contains(&range.start))
                    .and_then(|_| unsafe_html(&html))
                {
                    diags.push(
                        Diagnostic::error(reason)
                            .at(Location::new(cx.display_path, text, range.clone()))
                            .label("annotation blocks are copied into the claims ledger and its cards")
                            .help("write plain Markdown; <sup>, <sub>, <em>, <strong>, <code> and <abbr> without attributes are allowed"),
                    );
                }
                let trimmed = html.trim();
                if trimmed == NO_GLOSS {
                    suppress_at = Some(range.end);
                } else if let Some((marker, what)) = ClaimMarker::parse(trimmed) {
                    if !cx.claims {
                        diags.push(
                            Diagnostic::error(format!("the {what} needs claims turned on"))
                                .at(Location::new(cx.display_path, text, range.clone()))
                                .label("this book has not turned claims on")
                                .help("add `claims = true` to `[preprocessor.gloss]` in book.toml"),
                        );
                    }
                    out.claim_markers.push((marker, range));
                } else if let Some((closing, name)) = html_tag(&html) {
                    if let Some(id) = callout_opening(&html) {
                        out.existing.push((id, range.start));
                    }
                    if SKIP_TAGS.contains(&name.as_str()) {
                        if closing {
                            if let Some(pos) = skip_html.iter().rposition(|n| *n == name) {
                                skip_html.truncate(pos);
                            }
                        } else {
                            skip_html.push(name);
                        }
                    }
                }
                continue;
            }
            _ => {}
        }
    }
    flush(
        cx,
        text,
        &mut run,
        &mut out,
        &mut suppress_at,
        &mut angle_open,
        &leaf,
    );
    unlinked_refs(
        cx.display_path,
        text,
        &out.refs,
        &verbatim,
        &html_blocks,
        diags,
    );
    // Every chapter's scan is held until pass 2 ends: without the room the
    // vectors grew into, a large book's scans take a third less memory.
    out.headings.shrink_to_fit();
    out.refs.shrink_to_fit();
    out.blocks.shrink_to_fit();
    out.mentions.shrink_to_fit();
    out.paragraphs.list.shrink_to_fit();
    out
}

#[cfg(test)]
mod tests;
