//! Parsing exactly as mdBook renders, and the small helpers every pass needs.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, OffsetIter, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

/// A pulldown-cmark parser with mdBook 0.5's own options (smart punctuation,
/// definition lists and GFM admonitions on, as in `book.toml`'s defaults),
/// yielding events with their byte ranges in `text`.
pub fn parse(text: &str) -> OffsetIter<'_> {
    new_cmark_parser(text, &MarkdownOptions::default()).into_offset_iter()
}

/// The id mdBook 0.5 gives a heading without an explicit `{#id}`: its text,
/// trimmed and lower-cased, keeping letters, digits, `_` and `-`, with
/// white space turned into `-` and everything else dropped
/// (`mdbook-html/src/utils.rs::id_from_content`).
pub(crate) fn derived_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The id mdBook 0.5 gives each heading of a page written without
/// `{#id}`, by the byte offset where the heading starts: [`derived_id`] of
/// its text, made unique on the page as mdBook-html's `add_header_links`
/// does. That pass numbers headings and the terms of definition lists
/// (`<dt>`) together, in page order, with `-1`, `-2` … for a repeat; it
/// leaves out headings with an explicit id (which take no number, and hold
/// none back) and raw HTML. So a second `Bound` is `bound-1`, and so is a
/// `Bound` after a definition list's term `Bound`.
///
/// (Not modelled: a heading inside a footnote, which mdBook moves to the
/// end of the page, and a footnote mark in a heading, whose number is text.)
pub(crate) fn page_ids(text: &str) -> HashMap<usize, String> {
    let mut used = HashSet::new();
    let mut out = HashMap::new();
    let mut events = parse(text);
    while let Some((event, range)) = events.next() {
        let explicit = match event {
            Event::Start(Tag::Heading { id, .. }) => id.is_some(),
            Event::Start(Tag::DefinitionListTitle) => false,
            _ => continue,
        };
        let content = node_text(&mut events);
        if !explicit {
            out.insert(range.start, unique_id(derived_id(&content), &mut used));
        }
    }
    out
}

/// The text mdBook derives a heading's id from (`text_in_node`): the text
/// nodes it builds from the heading's content, up to the heading's end,
/// which this consumes. Text and code as written, a soft break as a line
/// break; nothing of an image (its text becomes `alt`), a hard break
/// (`<br>`) or an HTML tag.
fn node_text<'a>(events: &mut impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>) -> String {
    let mut out = String::new();
    let (mut depth, mut image) = (0usize, 0usize);
    for (event, _) in events {
        match event {
            Event::Start(tag) => {
                depth += 1;
                image += usize::from(matches!(tag, Tag::Image { .. }));
            }
            Event::End(_) if depth == 0 => break,
            Event::End(end) => {
                depth -= 1;
                image -= usize::from(end == TagEnd::Image);
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
                if image == 0 =>
            {
                out.push_str(&t)
            }
            Event::SoftBreak if image == 0 => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// `id`, or the first of `id-1`, `id-2` … not in `used` (mdBook-html's
/// `unique_id`); recorded in `used`.
fn unique_id(id: String, used: &mut HashSet<String>) -> String {
    if used.insert(id.clone()) {
        return id;
    }
    (1u32..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(id)
}

/// The plain text of a run of events: text, code and line breaks, without
/// markup. Used for titles and for the definitions shown in callouts.
pub(crate) fn plain_text<'a>(events: impl IntoIterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) if !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    let collapsed: Vec<&str> = out.split_whitespace().collect();
    collapsed.join(" ")
}

/// The plain text of a Markdown fragment.
pub(crate) fn plain_text_of(markdown: &str) -> String {
    plain_text(parse(markdown).map(|(e, _)| e))
}

/// Whether a tag opens a container inside which a block is not "top level".
pub(crate) fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionListDefinition
    )
}

/// The underline of a setext heading (`===` or `---` under a line of text)
/// whose source range is `range`, or `None` for an ATX (`#`) heading.
pub(crate) fn setext_underline(
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let body = text[range.clone()].trim_end();
    let last = body.rfind('\n')? + 1;
    let line = &body[last..];
    let mark = line.trim_start().trim_start_matches('>').trim_start();
    if mark.is_empty() || !(mark.bytes().all(|b| b == b'=') || mark.bytes().all(|b| b == b'-')) {
        return None;
    }
    let start = range.start + last + (line.len() - mark.len());
    Some(start..start + mark.len())
}

/// Inline tags: they do not end a leaf block.
pub(crate) fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// Byte offset just past the end of the line holding `offset` (past its `\n`).
/// An offset inside a character (a caller's `end - 1` before a multi-byte
/// last character) counts as that character's.
pub(crate) fn line_end(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// The quoted passages of `text` ("…" or “…”), without their quote marks.
pub(crate) fn quoted_passages(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, ch) in text.char_indices() {
        match (open, ch) {
            (None, '"') => open = Some((i + 1, '"')),
            (None, '“') => open = Some((i + ch.len_utf8(), '”')),
            (Some((start, close)), c) if c == close => {
                out.push(start..i);
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Inline HTML allowed where the preprocessor copies the author's text into
/// generated markup (short definitions, reference titles, annotation blocks):
/// a few presentational tags without attributes, and comments.
const SAFE_TAGS: [&str; 14] = [
    "sup", "sub", "em", "strong", "b", "i", "code", "kbd", "abbr", "br", "small", "mark", "s",
    "span",
];

/// Why a piece of raw HTML is not allowed there, or `None` if it is.
pub(crate) fn unsafe_html(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open..];
        if tag.starts_with("<!--") {
            // A comment ends, for CommonMark, at the first `-->`; for a
            // browser also at `--!>`, and `<!-->` and `<!--->` are whole
            // comments. Where the two disagree, what CommonMark keeps inside
            // the comment is live markup in the page.
            // An HTML block arrives line by line: a comment may close on a
            // later line, which is checked on its own.
            let end = tag.find("-->").unwrap_or(tag.len());
            if tag.starts_with("<!-->") || tag.starts_with("<!--->") || tag[..end].contains("--!>")
            {
                return Some("an HTML comment that a browser ends early (`--!>`, `<!-->`) is not allowed here".into());
            }
            rest = &tag[(end + 3).min(tag.len())..];
            continue;
        }
        // A processing instruction, a CDATA section or a declaration: none
        // is ever harmless text in a page.
        let named = if tag.starts_with("<?") {
            Some((
                "a processing instruction",
                tag.split_whitespace().next().unwrap_or("<?"),
            ))
        } else if tag.starts_with("<![CDATA[") {
            Some(("a CDATA section", "<![CDATA["))
        } else if tag.starts_with("<!") {
            Some((
                "a declaration",
                &tag[..tag.find('>').map_or(tag.len(), |i| i + 1)],
            ))
        } else {
            None
        };
        if let Some((what, shown)) = named {
            return Some(format!("{what} (`{shown}`) is not allowed here"));
        }
        let tag = &tag[1..];
        let end = tag.find('>').unwrap_or(tag.len());
        let inner = tag[..end]
            .trim_start_matches('/')
            .trim_end_matches('/')
            .trim();
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if !SAFE_TAGS.contains(&name.as_str()) {
            return Some(format!("raw HTML `<{name}>` is not allowed here"));
        }
        if inner.len() > name.len() {
            return Some(format!(
                "raw HTML attributes (`<{inner}>`) are not allowed here"
            ));
        }
        rest = &tag[end.min(tag.len())..];
    }
    None
}

/// Why a link or image destination is not allowed where the preprocessor
/// copies or wraps the author's text, or `None` if it is: `http(s):`,
/// `mailto:`, our own `xref:`, `cite:` and `figure:`, or a relative link.
pub(crate) fn unsafe_url(dest: &str) -> Option<String> {
    let d = dest.trim_start();
    let scheme_end = d.find(':')?;
    if d[..scheme_end].contains(['/', '?', '#']) {
        return None;
    }
    let scheme = d[..scheme_end].to_ascii_lowercase();
    match scheme.as_str() {
        "http" | "https" | "mailto" | "xref" | "cite" | "figure" => None,
        _ => Some(format!("a `{scheme}:` link is not allowed here")),
    }
}

/// Whether `markdown`, set on its own between blank lines in a page, would
/// run on past its end, and what would carry it: a code fence or an HTML
/// block (a comment, `<pre>`, `<script>` …) left open, which the block quote
/// it was written in closed. `None` when a paragraph after it starts afresh
/// at the top level, which is what every card and entry the preprocessor
/// builds around an author's blocks relies on.
pub(crate) fn runs_on(markdown: &str) -> Option<&'static str> {
    const AFTER: &str = "GLOSSAFTER7f3a9c";
    let text = format!("{markdown}\n\n{AFTER}\n");
    let mut stack: Vec<Tag<'_>> = Vec::new();
    for (event, _) in parse(&text) {
        match event {
            Event::Start(tag) => stack.push(tag),
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) if t.contains(AFTER) => {
                return match stack.first() {
                    Some(Tag::Paragraph) if stack.len() == 1 => None,
                    Some(Tag::CodeBlock(_)) => Some("a code fence that is not closed"),
                    Some(Tag::HtmlBlock) => Some("an HTML block that is not closed"),
                    _ => Some("a list, quote or table that does not end"),
                };
            }
            Event::Html(h) | Event::InlineHtml(h) if h.contains(AFTER) => {
                return Some("an HTML block that is not closed");
            }
            _ => {}
        }
    }
    Some("something that is not closed")
}

/// Text that must stay text when mdBook parses it as Markdown: HTML special
/// characters as entities, Markdown punctuation escaped.
pub(crate) fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '{' | '}' | '#' | '!' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
