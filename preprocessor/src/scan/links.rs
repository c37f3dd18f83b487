//! Our links as the scan reads them: which destinations are ours
//! (`xref:`, `cite:`, `figure:`, or a link to an entry of the glossary page),
//! and where a `figure:` link may stand.

use std::ops::Range;

use super::{RefKind, ScanContext};
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
