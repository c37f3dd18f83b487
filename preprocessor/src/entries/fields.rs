//! An entry's field list: the `- Key: value` items right under its heading,
//! each one line (or one paragraph) of text.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown::is_inline;

/// Reads the items of the list whose `Start` event `events` has just
/// yielded, up to and including its end.
pub(super) fn read<'a>(
    path: &str,
    text: &str,
    events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    diags: &mut Diagnostics,
) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut item_depth = 0usize;
    for (e, r) in events.by_ref() {
        match e {
            Event::Start(Tag::Item) => {
                item_depth += 1;
                if item_depth == 1 {
                    fields.extend(field_of(path, text, r, diags));
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
                    && fields.last().is_some_and(|f| f.value.contains('\n')) =>
            {
                let key = fields.last().map_or(String::new(), |f| f.key.clone());
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
                if let Some(f) = fields.last_mut() {
                    let first = f.value.lines().next().unwrap_or("").trim_end().to_string();
                    f.value_range = f.value_range.start..f.value_range.start + first.len();
                    f.value = first;
                }
                diags.push(
                    Diagnostic::error(format!("the `{key}:` field holds {what}"))
                        .at(Location::new(path, text, at))
                        .label("a field's value is one line of text")
                        .help("keep `Key: value` on one line, and put anything else in the entry's paragraphs"),
                );
            }
            Event::End(TagEnd::Item) => item_depth = item_depth.saturating_sub(1),
            Event::End(TagEnd::List(_)) if item_depth == 0 => break,
            _ => {}
        }
    }
    fields
}

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
    if matches!(
        key.as_str(),
        "URL" | "Section URL" | "arXiv" | "DOI" | "Year" | "Cite as"
    ) && let Some(nl) = value.find('\n')
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
