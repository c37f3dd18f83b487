//! The shape shared by `glossary.md` and `references.md`: entries that are
//! level-2 headings with an explicit id, an optional field list, a first
//! paragraph and a free body.
//!
//! ```markdown
//! ## Mixture of experts {#moe}
//!
//! - Aliases: MoE, mixture-of-experts
//! - See also: [Router](#router)
//!
//! The first paragraph.
//!
//! Anything else, up to the next `##` heading.
//! ```

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown::{derived_id, parse, plain_text, setext_underline, unsafe_html, unsafe_url};

/// One entry of an entries file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The explicit id.
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
    /// Byte offset where the entry ends (the next entry's heading, or the end).
    pub end: usize,
}

/// Reads the entries of `text`. `path` is only used in diagnostics.
pub(crate) fn parse_entries(path: &str, text: &str, diags: &mut Diagnostics) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut events = parse(text).peekable();
    // What the parser is inside of, at the top level of an entry.
    let mut depth = 0usize;
    let mut expect_fields = false;
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
                // Under an entry, a line of `===` or `---` turns the text above
                // it into a heading: its definition is gone.
                if let (Some(entry), Some(underline)) =
                    (entries.last(), setext_underline(text, range.clone()))
                {
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
                    if let Some(entry) = entries.last_mut()
                        && entry.first_paragraph.is_none()
                    {
                        entry.first_paragraph = Some((range.clone(), title));
                    }
                    continue;
                }
                if level == HeadingLevel::H1 {
                    continue;
                }
                if level != HeadingLevel::H2 {
                    continue;
                }
                if let Some(last) = entries.last_mut() {
                    last.end = range.start;
                }
                let Some(id) = id else {
                    diags.push(
                        Diagnostic::error(format!("entry `{title}` has no id"))
                            .at(Location::new(path, text, range.clone()))
                            .label("every entry needs an explicit, stable id")
                            .help(format!(
                                "add one at the end of the heading: `## {title} {{#{}}}`",
                                derived_id(&title)
                            )),
                    );
                    expect_fields = false;
                    continue;
                };
                entries.push(Entry {
                    id: id.to_string(),
                    title,
                    heading: range.clone(),
                    fields: Vec::new(),
                    fields_range: None,
                    first_paragraph: None,
                    end: text.len(),
                });
                expect_fields = true;
            }
            Event::Start(Tag::List(None)) if depth == 0 && expect_fields && !entries.is_empty() => {
                expect_fields = false;
                let entry = entries.last_mut().expect("checked above");
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
                let entry = entries.last_mut().expect("checked above");
                if entry.first_paragraph.is_none() {
                    entry.first_paragraph = Some((range.start..end, plain_text(inner)));
                    // A block on the very next line (a list item, a quote, a
                    // heading, a comment …) ends the paragraph where the
                    // author may not have meant it to end.
                    // (The paragraph's range ends after its last newline.)
                    let next = if text[..end].ends_with('\n') {
                        end
                    } else {
                        crate::markdown::line_end(text, end) + 1
                    };
                    let next = next.min(text.len());
                    let line = &text[next..crate::markdown::line_end(text, next)];
                    if !line.trim().is_empty() {
                        diags.push(
                            Diagnostic::error("the short definition runs straight into a block")
                                .at(Location::new(path, text, next..next + line.len()))
                                .label("this line ends the first paragraph, so callouts show only the lines above it")
                                .help("leave a blank line before it"),
                        );
                    }
                }
            }
            Event::Start(tag) => {
                if !entries.is_empty() {
                    check_url(path, text, &tag, range.clone(), diags);
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
    entries
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
