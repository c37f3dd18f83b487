//! Citations: `[§3.2.1](cite:l3)` or `<cite:l3>` links to a source on the
//! references page (`cite.html`), shown as "(Llama Team 2024, §3.2.1)". The
//! sources are read by [`crate::references`]; the index resolves the ids and
//! keeps "Cited in", which the references page lists.

use crate::book::{Book, LinkOut};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::references::References;

/// The edits for citation `ri` of chapter `ci`. A book without a references
/// page leaves its citations as written (the index has reported them).
pub(crate) fn link(
    book: &Book<'_>,
    references: &References,
    ci: usize,
    ri: usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let Some(rc) = book.references_chapter else {
        return Ok(());
    };
    let r = &book.scans[ci].refs[ri];
    let source = &references.refs[references.position(&r.target).expect("resolved")];
    let out = LinkOut {
        template: "cite.html",
        href: book.href(ci, rc, Some(&source.id)),
        fill: &source.cite_as,
        short: Some(&source.cite_as),
    };
    book.link_edits(ci, ri, &out, edits)
}
