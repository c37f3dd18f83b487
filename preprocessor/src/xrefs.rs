//! Cross-references: `[text](xref:id)` or `<xref:id>` links to any chapter,
//! heading, glossary entry, claim or source of the book (`xref.html`), and the
//! "Referenced from" list under each heading that is referred to
//! (`backrefs.html`). The index resolves the ids and keeps the backlinks.
//!
//! ```markdown
//! see <xref:stability>.
//! ```
//! becomes
//! ```markdown
//! see <a class="gloss-xref" id="gloss-xref-stability-1" href="decision-1/stability.html">Decision 1 › The stability argument</a>.
//! ```

use serde::Serialize;

use crate::book::{Book, Link, LinkOut};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::markdown::line_end;

/// What `backrefs.html` receives: "Referenced from" or "Cited in".
#[derive(Serialize)]
pub(crate) struct Backrefs<'a> {
    /// `referenced-from` or `cited-in`, for the class name.
    pub kind: &'static str,
    /// The list's label.
    pub label: &'static str,
    /// The backlinks.
    pub links: &'a [Link],
}

impl<'a> Backrefs<'a> {
    /// "Referenced from: …".
    pub(crate) fn referenced_from(links: &'a [Link]) -> Self {
        Backrefs {
            kind: "referenced-from",
            label: "Referenced from",
            links,
        }
    }
}

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

/// "Referenced from" under every referenced heading of chapter `ci` (whose
/// text after the inline edits is `text`; `m` maps offsets into it), but the
/// entries of the glossary and references pages, which list them in their
/// own sections.
pub(crate) fn referenced_from(
    book: &Book<'_>,
    ci: usize,
    text: &str,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let Some(t) = book.templates() else {
        return Ok(());
    };
    let own_entries = Some(ci) == book.glossary_chapter || Some(ci) == book.references_chapter;
    for (hi, h) in book.scans[ci].headings.iter().enumerate() {
        if own_entries && hi > 0 {
            continue;
        }
        let referable = hi == 0 && h.level == 1
            || h.explicit
            || book
                .index
                .targets
                .get(&h.id)
                .is_some_and(|t| t.chapter == ci);
        if !referable {
            continue;
        }
        let links = book.referenced_from(ci, &h.id);
        if links.is_empty() {
            continue;
        }
        let html = t.render("backrefs.html", &Backrefs::referenced_from(&links))?;
        let end = m(h.range.end, false);
        let at = line_end(text, end.saturating_sub(1));
        let lead = if text[..at].ends_with('\n') { "" } else { "\n" };
        edits.push(Edit::insert(at, format!("{lead}\n{html}\n\n")));
    }
    Ok(())
}
