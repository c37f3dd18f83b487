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
use crate::markdown::{
    derived_id, is_inline, parse, plain_text, setext_underline, unsafe_html, unsafe_url,
};

/// One `Key: value` item of an entry's field list.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key as written, e.g. `Aliases`.
    pub key: String,
    /// The value's source text, trimmed.
    pub value: String,
    /// Byte range of the value in the file.
    pub value_range: Range<usize>,
    /// Byte range of the whole item.
    pub range: Range<usize>,
}

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
                let mut item_depth = 0usize;
                for (e, r) in events.by_ref() {
                    match e {
                        Event::Start(Tag::Item) => {
                            item_depth += 1;
                            if item_depth == 1 {
                                entry.fields.extend(field_of(path, text, r, diags));
                            }
                        }
                        // A field is a line of text: a fence, quote, list or
                        // heading underline under it would be copied into
                        // every place the field is shown.
                        // (A one-line field has said so already, and kept its first line.)
                        Event::Start(ref tag)
                            if item_depth == 1
                                && !is_inline(tag)
                                && !matches!(tag, Tag::Paragraph)
                                && entry.fields.last().is_some_and(|f| f.value.contains('\n')) =>
                        {
                            let key = entry.fields.last().map_or(String::new(), |f| f.key.clone());
                            let (what, at) = match tag {
                                Tag::CodeBlock(_) => ("a code block", r.clone()),
                                Tag::BlockQuote(_) => ("a block quote", r.clone()),
                                Tag::List(_) => ("a list", r.clone()),
                                Tag::HtmlBlock => ("an HTML block", r.clone()),
                                // A setext heading: point at its underline.
                                Tag::Heading { .. } => {
                                    let body = text[r.clone()].trim_end();
                                    let last = body.rfind('\n').map_or(0, |i| i + 1);
                                    let underline = &body[last..];
                                    let lead = underline.len() - underline.trim_start().len();
                                    (
                                        "a heading underline",
                                        r.start + last + lead..r.start + body.len(),
                                    )
                                }
                                _ => ("a block", r.clone()),
                            };
                            // Read on with its first line: one error, not one per check.
                            if let Some(f) = entry.fields.last_mut() {
                                let first =
                                    f.value.lines().next().unwrap_or("").trim_end().to_string();
                                f.value_range =
                                    f.value_range.start..f.value_range.start + first.len();
                                f.value = first;
                            }
                            diags.push(
                                Diagnostic::error(format!("the `{key}:` field holds {what}"))
                                    .at(Location::new(path, text, at))
                                    .label("a field's value is one line of text")
                                    .help("keep `Key: value` on one line, and put anything else in the entry's paragraphs"),
                            );
                        }
                        Event::End(TagEnd::Item) => item_depth -= 1,
                        Event::End(TagEnd::List(_)) if item_depth == 0 => break,
                        _ => {}
                    }
                }
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

/// Reads one `- Key: value` item.
fn field_of(path: &str, text: &str, item: Range<usize>, diags: &mut Diagnostics) -> Option<Field> {
    let raw = &text[item.clone()];
    // Skip the list marker and the space after it.
    let body_start = raw
        .find(|c: char| !matches!(c, '-' | '*' | '+' | ' ' | '\t'))
        .unwrap_or(raw.len());
    let body = &raw[body_start..];
    let Some(colon) = body.find(':') else {
        diags.push(
            Diagnostic::error("malformed field: expected `Key: value`")
                .at(Location::new(
                    path,
                    text,
                    item.start..item.start + raw.trim_end().len(),
                ))
                .label("this item has no `:`")
                .help("write it as, for example, `- Aliases: MoE, mixture-of-experts`"),
        );
        return None;
    };
    let key = body[..colon].trim().to_string();
    let value_raw = &body[colon + 1..];
    let lead = value_raw.len() - value_raw.trim_start().len();
    let value = value_raw.trim().to_string();
    let value_start = item.start + body_start + colon + 1 + lead;
    // Fields that are one word or one short form are one line: a second
    // line (a lazy continuation) would be read as part of the value.
    if matches!(key.as_str(), "URL" | "arXiv" | "Year" | "Cite as")
        && let Some(nl) = value.find('\n')
    {
        let second = value_start + nl + 1;
        let lead = text[second..].len() - text[second..].trim_start().len();
        let end = crate::markdown::line_end(text, second).min(value_start + value.len());
        diags.push(
            Diagnostic::error(format!("the `{key}:` field runs onto a second line"))
                .at(Location::new(path, text, second + lead..end))
                .label("this line is read as part of the value")
                .help("keep `Key: value` on one line, and put anything else in the entry's paragraphs"),
        );
        let value = value[..nl].trim_end().to_string();
        return Some(Field {
            key,
            value_range: value_start..value_start + value.len(),
            value,
            range: item,
        });
    }
    // A value is one paragraph: a blank line in it means text indented under
    // the item, which would be copied into the page as part of the value.
    if let Some(blank) = value
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .skip(1)
        .find(|(_, line)| line.trim().is_empty())
        .map(|(at, _)| at)
    {
        diags.push(
            Diagnostic::error(format!("the `{key}:` field runs into a second paragraph"))
                .at(Location::new(path, text, value_start..value_start + blank))
                .label("a field's value is one paragraph")
                .help("keep the value on its line; text indented under a field belongs to it, so unindent it or remove the blank line"),
        );
        // Read on with the first paragraph, so that the entry's other
        // checks do not report the field as missing.
        let value = value[..blank].trim_end().to_string();
        return Some(Field {
            key,
            value_range: value_start..value_start + value.len(),
            value,
            range: item,
        });
    }
    Some(Field {
        key,
        value_range: value_start..value_start + value.len(),
        value,
        range: item,
    })
}

/// Splits a comma-separated field value, keeping each part's byte range.
pub(crate) fn split_list(value: &str, start: usize) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut part_start = 0usize;
    for (i, ch) in value
        .char_indices()
        .chain(std::iter::once((value.len(), ',')))
    {
        match ch {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            // The end always closes the last part: an unbalanced `[` or
            // `(` must not swallow it (it is then reported as not plain).
            ',' if depth <= 0 || i == value.len() => {
                let part = &value[part_start..i];
                let lead = part.len() - part.trim_start().len();
                let trimmed = part.trim();
                let s = start + part_start + lead;
                out.push((trimmed.to_string(), s..s + trimmed.len()));
                part_start = i + 1;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
