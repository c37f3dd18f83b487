//! Cross-references: `[text](xref:id)` or `<xref:id>` links to any chapter,
//! heading, glossary entry, claim or source of the book (`xref.html`), and
//! each chapter's "Referenced from" list of the places that refer to it or
//! to its sections (`backlinks.html`, after the chapter's content). The
//! index resolves the ids and keeps the backlinks.
//!
//! ```markdown
//! see <xref:stability>.
//! ```
//! becomes
//! ```markdown
//! see <a class="gloss-xref" id="gloss-xref-stability-1" href="decision-1/stability.html">Decision 1 › The stability argument</a>.
//! ```

use crate::book::{Book, LinkOut};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;

/// The edits for cross-reference `ri` of chapter `ci`.
pub(crate) fn link(
    book: &Book<'_>,
    ci: usize,
    ri: usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let r = &book.scans[ci].refs[ri];
    let target = &book.index.targets[&r.target];
    let out = LinkOut {
        template: "xref.html",
        href: book.href(ci, target.chapter, target.fragment.as_deref()),
        fill: &target.title,
        short: None,
    };
    book.link_edits(ci, ri, &out, edits)
}

/// Chapter `ci`'s "Referenced from": the places that refer to the chapter
/// or to any of its headings, grouped by the chapter they are in, or `None`
/// when nothing does. The glossary and references pages list what refers to
/// each entry in the entry, so theirs counts the page's title alone; a
/// claim's card lists its own.
///
/// It goes after the chapter's content, not under the title: there it was
/// the first thing a reader met, above the first paragraph (six links in the
/// IsoFLOP chapter), and moved the text down when the fonts arrived.
pub(crate) fn referenced_from(book: &Book<'_>, ci: usize) -> Result<Option<String>, Diagnostic> {
    let own_entries = Some(ci) == book.glossary_chapter || Some(ci) == book.references_chapter;
    let ids: Vec<&str> = book.scans[ci]
        .headings
        .iter()
        .enumerate()
        .filter(|&(hi, h)| {
            if own_entries && hi > 0 {
                return false;
            }
            hi == 0 && h.level == 1
                || h.explicit
                || book
                    .index
                    .targets
                    .get(&h.id)
                    .is_some_and(|t| t.chapter == ci)
        })
        .map(|(_, h)| h.id.as_str())
        .collect();
    let list = book.referenced_from(ci, &ids);
    if list.is_empty() {
        return Ok(None);
    }
    list.render(book)
}
