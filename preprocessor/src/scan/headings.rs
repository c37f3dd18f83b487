//! A heading as the scan reads it: its plain-text title and id, with the
//! references and unsafe HTML that cannot stand in it reported once.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{CowStr, Event, HeadingLevel, OffsetIter, Tag, TagEnd};

use super::links::is_ours;
use super::{Heading, ScanContext};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::markdown::{derived_id, plain_text, unsafe_html};

/// Reads the heading that starts at `range` (its level and written id
/// given) up to its end from `events`; our links in it go to `verbatim`.
pub(super) fn read(
    cx: &ScanContext<'_>,
    text: &str,
    (level, id): (HeadingLevel, Option<CowStr<'_>>),
    range: Range<usize>,
    events: &mut OffsetIter<'_>,
    verbatim: &mut Vec<Range<usize>>,
    diags: &mut Diagnostics,
) -> Heading {
    let mut inner = Vec::new();
    for (e, r) in events.by_ref() {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Start(Tag::Link { dest_url, .. }) if is_ours(&dest_url) => {
                // Reported here, once: not also as an unread link.
                verbatim.push(r.clone());
                diags.push(
                    Diagnostic::error("cross-references and citations cannot stand in a heading")
                        .at(Location::new(cx.display_path, text, r))
                        .label("mdBook makes the whole heading a link to itself")
                        .help("move the reference into the text below the heading"),
                )
            }
            // mdBook wraps the heading's content in a link to
            // itself, and cross-references repeat its text: a
            // `<div>` there closes mdBook's link and heading.
            // (The title of a glossary or references entry has
            // been refused already, at the same place.)
            Event::InlineHtml(ref html) if unsafe_html(html).is_some() => {
                let at = Location::new(cx.display_path, text, r);
                let reported = diags.items().iter().any(|d| {
                    d.location.as_deref().is_some_and(|l| {
                        (&l.path, l.line, l.column) == (&at.path, at.line, at.column)
                    })
                });
                if !reported {
                    diags.push(
                        Diagnostic::error(
                            unsafe_html(html).unwrap_or_default().replace(" here", " in a heading"),
                        )
                        .at(at)
                        .label("mdBook makes the whole heading a link to itself")
                        .help("write the heading as text; <sup>, <sub>, <em>, <strong>, <code> and <abbr> without attributes are allowed"),
                    );
                }
            }
            e => inner.push(e),
        }
    }
    let title = plain_text(inner);
    let (id, explicit) = match id {
        Some(id) => (id.to_string(), true),
        None => (derived_id(&title), false),
    };
    Heading {
        level: level as u8,
        id,
        explicit,
        title,
        range,
    }
}
