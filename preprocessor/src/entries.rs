//! The shape shared by `glossary.md` and `references.md`: entries that are
//! headings of one level (2 unless the glossary's `entry-level` says
//! otherwise), with an id, an optional field list, a first paragraph and a
//! free body.
//!
//! ```markdown
//! ## Mixture of experts {#moe}
//!
//! - Aliases: MoE, mixture-of-experts
//! - See also: [Router](#router)
//!
//! The first paragraph.
//!
//! Anything else, up to the next heading of the entry's level or above.
//! ```
//!
//! A heading above the level is a section heading (`## A` over `### Term`
//! entries): it ends the entry before it and starts none; but `#`, the
//! page's title, ends none. A deeper one is part of the entry's body.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown::{
    derived_id, page_ids, parse, plain_text, setext_underline, unsafe_html, unsafe_url,
};

/// How an entries file is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Format {
    /// The heading level of an entry, 1 to 6.
    pub level: u8,
    /// Whether an entry without `{#id}` takes the id mdBook gives its
    /// heading. The glossary's do, so that another book's glossary reads as
    /// written; a source's may not: writers type its id in `cite:` links,
    /// and one derived from a title would change with the title.
    pub derived_ids: bool,
    /// The field that, when an entry has it, holds the short definition in
    /// place of the first paragraph (the glossary's `Short:`).
    pub short_field: Option<&'static str>,
}

impl Format {
    /// The references: `## Title {#id}`.
    pub(crate) const REFERENCES: Format = Format {
        level: 2,
        derived_ids: false,
        short_field: None,
    };
}

/// One entry of an entries file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The id of its heading on the page: the explicit one, or the one
    /// mdBook derives.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// Byte range of the heading.
    pub heading: Range<usize>,
    /// The field list, if any, and its byte range.
    pub fields: Vec<Field>,
    /// Byte range of the field list.
    pub fields_range: Option<Range<usize>>,
    /// The first paragraph: its byte range and plain text.
    pub first_paragraph: Option<(Range<usize>, String)>,
    /// Byte offset where the entry ends (the next heading of its level or
    /// above, or the end).
    pub end: usize,
    /// The level of the first heading in its body, if any (deeper than its own).
    pub subheading: Option<u8>,
    /// Whether its heading has an explicit `{#id}`.
    pub explicit_id: bool,
}

/// Reads the entries of `text` in `format`. `path` is only used in diagnostics.
pub(crate) fn parse_entries(
    path: &str,
    text: &str,
    format: Format,
    diags: &mut Diagnostics,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    // Only the glossary needs the page's ids, and only once.
    let ids = if format.derived_ids {
        page_ids(text)
    } else {
        Default::default()
    };
    let hashes = "#".repeat(usize::from(format.level));
    let mut events = parse(text).peekable();
    // What the parser is inside of, at the top level of an entry.
    let mut depth = 0usize;
    let mut expect_fields = false;
    // The entry whose body this is: none before the first, under a section
    // heading, or under a heading refused as an entry.
    let mut current: Option<usize> = None;
    // Where every entry-level heading starts, and what holds no stray id
    // (headings, whose `{#id}` is theirs, and code).
    let mut entry_headings: Vec<usize> = Vec::new();
    let mut not_text: Vec<Range<usize>> = Vec::new();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) if depth == 0 => {
                let mut inner = Vec::new();
                for (e, r) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::Heading(_))) {
                        break;
                    }
                    check_html(path, text, &e, r, diags);
                    inner.push(e);
                }
                let title = plain_text(inner);
                not_text.push(range.clone());
                // Under an entry, a line of `===` or `---` turns the text above
                // it into a heading: its definition is gone.
                if let (Some(entry), Some(underline)) = (
                    current.and_then(|i| entries.get_mut(i)),
                    setext_underline(text, range.clone()),
                ) {
                    let mark = &text[underline.clone()];
                    diags.push(
                        Diagnostic::error(format!(
                            "`{}` under a line of the entry `{}` makes it a heading",
                            &mark[..mark.len().min(3)],
                            entry.id
                        ))
                        .at(Location::new(path, text, underline))
                        .label("a setext underline")
                        .help("remove the line, or leave a blank line before it"),
                    );
                    // Read on as if it were the paragraph it was meant to be.
                    if entry.first_paragraph.is_none() {
                        entry.first_paragraph = Some((range.clone(), title));
                    }
                    continue;
                }
                let level = level as u8;
                // An `#` heading is the page's title: it starts no section and
                // ends no entry (the glossary has always read it so).
                if level == 1 && format.level > 1 {
                    continue;
                }
                if level == format.level {
                    entry_headings.push(range.start);
                }
                if level > format.level {
                    if let Some(entry) = current.and_then(|i| entries.get_mut(i)) {
                        entry.subheading.get_or_insert(level);
                    }
                    continue;
                }
                if let Some(entry) = current.and_then(|i| entries.get_mut(i)) {
                    entry.end = range.start;
                }
                current = None;
                expect_fields = false;
                if level < format.level {
                    continue;
                }
                let explicit_id = id.is_some();
                let id = match id {
                    Some(id) => id.to_string(),
                    None if format.derived_ids => {
                        ids.get(&range.start).cloned().unwrap_or_default()
                    }
                    None => {
                        diags.push(
                            Diagnostic::error(format!("entry `{title}` has no id"))
                                .at(Location::new(path, text, range.clone()))
                                .label("every entry needs an explicit, stable id")
                                .help(format!(
                                    "add one at the end of the heading: `{hashes} {title} {{#{}}}`",
                                    derived_id(&title)
                                )),
                        );
                        continue;
                    }
                };
                if id.is_empty() {
                    diags.push(
                        Diagnostic::error(format!("entry `{title}` has no id"))
                            .at(Location::new(path, text, range.clone()))
                            .label("mdBook derives an id from a heading's letters and digits, and this one has none")
                            .help(format!("add one at the end of the heading: `{hashes} {title} {{#some-id}}`")),
                    );
                    continue;
                }
                entries.push(Entry {
                    id,
                    title,
                    heading: range.clone(),
                    fields: Vec::new(),
                    fields_range: None,
                    first_paragraph: None,
                    end: text.len(),
                    subheading: None,
                    explicit_id,
                });
                current = Some(entries.len() - 1);
                expect_fields = true;
            }
            Event::Start(Tag::List(None))
                if depth == 0
                    && expect_fields
                    && let Some(entry) = current.and_then(|i| entries.get_mut(i)) =>
            {
                expect_fields = false;
                entry.fields_range = Some(range.clone());
                entry.fields = fields::read(path, text, &mut events, diags);
            }
            Event::Start(Tag::Paragraph) if depth == 0 && !entries.is_empty() => {
                expect_fields = false;
                let mut inner = Vec::new();
                let mut end = range.end;
                for (e, r) in events.by_ref() {
                    if matches!(e, Event::End(TagEnd::Paragraph)) {
                        end = r.end;
                        break;
                    }
                    if let Event::Start(tag) = &e {
                        check_url(path, text, tag, r.clone(), diags);
                    }
                    check_html(path, text, &e, r, diags);
                    inner.push(e);
                }
                // An entry without an id (new with `entry-level`, so no
                // glossary that read before reads otherwise) has its
                // definition before any sub-heading: under `## A` read at
                // level 2, the first `### Term`'s paragraph is not A's.
                if let Some(entry) = current.and_then(|i| entries.get_mut(i))
                    && entry.first_paragraph.is_none()
                    && (entry.explicit_id || entry.subheading.is_none())
                {
                    entry.first_paragraph = Some((range.start..end, plain_text(inner)));
                    // A block on the very next line (a list item, a quote, a
                    // heading, a comment …) ends the paragraph where the
                    // author may not have meant it to end; unless the short
                    // definition is a field of its own, which callouts show instead.
                    // (The paragraph's range ends after its last newline.)
                    let short = format.short_field;
                    if short.is_some_and(|k| entry.fields.iter().any(|f| f.key == k)) {
                        continue;
                    }
                    // (A line ends at `\n`, `\r\n` or `\r`: the fuzzer
                    // found a `\r` that put the next line one byte inside
                    // a character.)
                    let next = if text[..end].ends_with(['\n', '\r']) {
                        end
                    } else {
                        text[end..]
                            .find(['\n', '\r'])
                            .map_or(text.len(), |i| end + i + 1)
                    };
                    let next = next
                        + usize::from(
                            text[..next].ends_with('\r') && text[next..].starts_with('\n'),
                        );
                    let line = &text[next..text[next..]
                        .find(['\n', '\r'])
                        .map_or(text.len(), |i| next + i)];
                    if !line.trim().is_empty() {
                        diags.push(
                            Diagnostic::error("the short definition runs straight into a block")
                                .at(Location::new(path, text, next..next + line.len()))
                                .label("this line ends the first paragraph, so callouts show only the lines above it")
                                .help(match short {
                                    Some(k) => format!("leave a blank line before it, or write the short definition in a `- {k}:` field under the heading"),
                                    None => "leave a blank line before it".to_string(),
                                }),
                        );
                    }
                }
            }
            Event::Start(tag) => {
                if !entries.is_empty() {
                    check_url(path, text, &tag, range.clone(), diags);
                }
                if matches!(tag, Tag::Heading { .. } | Tag::CodeBlock(_)) {
                    not_text.push(range.clone());
                }
                expect_fields = false;
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            // The rest of an entry stays on its page, between the lists the
            // preprocessor writes into it: raw HTML there must be as harmless.
            e @ (Event::Html(_) | Event::InlineHtml(_)) if !entries.is_empty() => {
                check_html(path, text, &e, range, diags);
            }
            _ => {}
        }
    }
    stray_ids(path, text, &entries, &entry_headings, &not_text, diags);
    entries
}

/// A heading is one line: `## Zebu\nstriped {#zebu}` is the heading `Zebu`
/// and a paragraph. With an id the entry would have been refused for the
/// lack of it; deriving one, it would read on with the id and the text
/// that the author wrote for it in its body. So under an entry without an
/// id, up to the next entry, a line that ends in `{#…}` outside a heading or
/// code is an error.
fn stray_ids(
    path: &str,
    text: &str,
    entries: &[Entry],
    entry_headings: &[usize],
    not_text: &[Range<usize>],
    diags: &mut Diagnostics,
) {
    for entry in entries.iter().filter(|e| !e.explicit_id) {
        let end = entry_headings
            .iter()
            .find(|&&h| h > entry.heading.start)
            .map_or(text.len(), |&h| h);
        let mut at = entry.heading.end.min(end);
        for line in text[at..end].split_inclusive('\n') {
            let start = at;
            at += line.len();
            let t = line.trim_end();
            let Some(open) = t.rfind("{#").filter(|_| t.ends_with('}')) else {
                continue;
            };
            if t[open + 2..t.len() - 1].trim().is_empty()
                || not_text.iter().any(|r| r.contains(&start))
            {
                continue;
            }
            let attr = &t[open..];
            diags.push(
                Diagnostic::error(format!("`{attr}` ends a line that is not a heading"))
                    .at(Location::new(path, text, start + open..start + t.len()))
                    .label(format!(
                        "a heading is one line, so this belongs to no heading, and the entry `{}` above has the id `{}`",
                        entry.title, entry.id
                    ))
                    .help(format!("put `{attr}` at the end of the heading's line, or remove it")),
            );
        }
    }
}

/// The plain text of a field whose value is a paragraph of Markdown (the
/// glossary's `Short:`), checked as a first paragraph is: no unsafe HTML or
/// link. `None`, with an error, when the value alone is not one paragraph:
/// it starts a quote, a list, a heading, a fence or an HTML block. (One that
/// runs on into a second paragraph has been cut to its first and reported
/// by [`fields::read`].)
pub(crate) fn paragraph_field(
    path: &str,
    text: &str,
    field: &Field,
    diags: &mut Diagnostics,
) -> Option<String> {
    let start = field.value_range.start;
    let mut events = parse(&field.value);
    let mut inner = Vec::new();
    let one_paragraph = matches!(events.next(), Some((Event::Start(Tag::Paragraph), _)))
        && events.by_ref().any(|(e, r)| {
            let done = matches!(e, Event::End(TagEnd::Paragraph));
            if let Event::Start(tag) = &e {
                check_url(path, text, tag, start + r.start..start + r.end, diags);
            }
            check_html(path, text, &e, start + r.start..start + r.end, diags);
            inner.push(e);
            done
        })
        && events.next().is_none();
    if !one_paragraph {
        diags.push(
            Diagnostic::error(format!(
                "the `{}:` field is not a paragraph of text",
                field.key
            ))
            .at(Location::new(path, text, field.value_range.clone()))
            .label("read alone, this value is a block (a quote, list, heading, fence or HTML)")
            .help("write the short definition as plain sentences, starting with a word"),
        );
        return None;
    }
    Some(plain_text(inner))
}

/// A link in an entry must not run script (`javascript:` …).
fn check_url(path: &str, text: &str, tag: &Tag<'_>, range: Range<usize>, diags: &mut Diagnostics) {
    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = tag
        && let Some(reason) = unsafe_url(dest_url)
    {
        diags.push(
            Diagnostic::error(reason)
                .at(Location::new(path, text, range))
                .label("entries are shown on their page, and in callouts and lists")
                .help("link with `https:`, `mailto:` or a relative path"),
        );
    }
}

/// Titles and first paragraphs are copied into generated markup (callouts,
/// the references list): raw HTML there must be harmless.
fn check_html(
    path: &str,
    text: &str,
    event: &Event<'_>,
    range: Range<usize>,
    diags: &mut Diagnostics,
) {
    if let Event::InlineHtml(html) | Event::Html(html) = event
        && let Some(reason) = unsafe_html(html)
    {
        diags.push(
            Diagnostic::error(reason)
                .at(Location::new(path, text, range))
                .label("entries are shown on their page between generated lists, and in callouts")
                .help("write plain text; <sup>, <sub>, <em>, <strong>, <code> and <abbr> without attributes are allowed"),
        );
    }
}

mod fields;
#[cfg(test)]
mod tests;

pub(crate) use fields::{Field, split_list};
