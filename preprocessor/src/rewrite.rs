//! Pass 2: the edits to each chapter, gathered from every feature, then
//! spliced into the original source by byte range.
//!
//! Inline edits (callouts, cross-references, citations, figures) come first;
//! block edits (the claims strip, claim cards, the entry pages, the ledger
//! and tally, and what follows the content) are applied on the result, with
//! the block ranges mapped through the first splice. The order below is the order edits at one
//! offset keep.
//!
//! A chapter page carries, in this order:
//!
//! 1. under its title, the strip of the claims it settles
//!    (`claims-strip.html`);
//! 2. the chapter's content, with its claim cards, each card ending with
//!    its own "Suggest a correction" and "Referenced from";
//! 3. "Suggest a correction to this page" (with `git-repository-url`);
//! 4. "Referenced from": the places that refer to the chapter or its
//!    sections, grouped by chapter (`backlinks.html`);
//! 5. "Terms in this chapter";
//! 6. the previews of the page's cross-references and citations
//!    (`xref-previews.html`, `cite-previews.html`): attributes of empty
//!    elements, for gloss.js, not displayed.
//!
//! So the content starts the page, the page's own correction link stays
//! next to what it corrects, and the generated lists follow, the terms list
//! (a glossary in small, for the popovers and for a chapter printed alone)
//! last. No list sits above the content, where it pushed the first
//! paragraph down.

use crate::book::Book;
use crate::callouts::Callouts;
use crate::claims::{self, Claim};
use crate::diagnostics::Diagnostic;
use crate::edits::{Edit, apply};
use crate::figures::{self, Figures};
use crate::links::correction_url;
use crate::references::References;
use crate::scan::{ClaimMarker, RefKind};
use crate::terms::Glossary;
use crate::{citations, entry_pages, xrefs};

/// Each feature's own data, read in pass 1.
pub(crate) struct Features<'a> {
    /// The glossary entries.
    pub glossary: &'a Glossary,
    /// The callouts to them.
    pub callouts: Callouts<'a>,
    /// The sources.
    pub references: &'a References,
    /// Each chapter's claims.
    pub claims: &'a [Vec<Claim>],
    /// The figures' data.
    pub figures: &'a Figures,
    /// What cross-references' popovers show of their targets.
    pub xref_previews: xrefs::Previews,
}

/// The new text of chapter `ci`.
pub(crate) fn rewrite(
    book: &Book<'_>,
    features: &Features<'_>,
    ci: usize,
) -> Result<String, Diagnostic> {
    let scan = &book.scans[ci];
    let mut inline = Vec::new();
    let called_out = features.callouts.edits(book, ci, &mut inline)?;
    for (ri, r) in scan.refs.iter().enumerate() {
        match r.kind {
            RefKind::Term => {}
            RefKind::Figure => {
                let figure = figures::render(book, features.figures, features.references, ci, ri)?;
                inline.push(Edit::replace(r.range.start, r.range.end, figure));
            }
            RefKind::Xref => xrefs::link(book, ci, ri, &mut inline)?,
            RefKind::Cite => citations::link(book, features.references, ci, ri, &mut inline)?,
        }
    }
    let (text, map) = apply(&book.chapters[ci].content, inline);

    let mut blocks = Vec::new();
    let m = |at: usize, before: bool| map.map(at, before);
    claims::summary::strip(book, &features.claims[ci], ci, &m, &mut blocks)?;
    claims::cards::edits(book, features, ci, &text, &m, &mut blocks)?;
    if Some(ci) == book.glossary_chapter {
        entry_pages::glossary(book, features.glossary, ci, &m, &mut blocks)?;
    }
    if Some(ci) == book.references_chapter {
        entry_pages::references(book, features.references, ci, &text, &m, &mut blocks)?;
    }
    for (kind, marker) in &scan.claim_markers {
        let html = match kind {
            ClaimMarker::Ledger => claims::ledger::render(book, features.claims, ci)?,
            ClaimMarker::Tally => claims::summary::tally(book, features.claims, ci)?,
        };
        blocks.push(Edit::replace(
            m(marker.start, false),
            m(marker.end, true),
            html,
        ));
    }
    let mut tail = Vec::new();
    if let (Some(t), Some(repo)) = (book.templates(), book.config.repository.as_deref()) {
        let chapter = &book.chapters[ci];
        #[derive(serde::Serialize)]
        struct Correction {
            href: String,
        }
        tail.push(t.render(
            "correction.html",
            &Correction {
                href: correction_url(repo, None, &chapter.name, &chapter.display),
            },
        )?);
    }
    tail.extend(xrefs::referenced_from(book, ci)?);
    tail.extend(features.callouts.terms_list(book, ci, &called_out)?);
    tail.extend(features.xref_previews.render(book, ci)?);
    tail.extend(citations::previews(book, features.references, ci)?);
    if !tail.is_empty() {
        // Each its own HTML block, after a blank line. What the first
        // follows: the last insertion at the end (a claim card's end), or
        // the text.
        let last = blocks
            .iter()
            .rev()
            .find(|e| e.start == text.len() && !e.text.is_empty())
            .map_or(text.as_str(), |e| e.text.as_str());
        let gap = if last.is_empty() || last.ends_with("\n\n") {
            ""
        } else if last.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        blocks.push(Edit::insert(
            text.len(),
            format!("{gap}{}\n", tail.join("\n\n")),
        ));
    }
    Ok(apply(&text, blocks).0)
}
