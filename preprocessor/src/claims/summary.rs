//! What points a reader at the claims from elsewhere: the tally, which
//! replaces `<!-- gloss:tally -->` (the count by verdict and a link to the
//! ledger, for a home page; `tally.html`), and the strip under a chapter's
//! title that lists the claims the chapter settles (`claims-strip.html`).

use serde::Serialize;

use super::{Claim, VERDICTS};
use crate::book::Book;
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::scan::ClaimMarker;

/// A verdict and how many claims received it.
#[derive(Serialize)]
pub(super) struct Count {
    pub(super) verdict: &'static str,
    pub(super) count: usize,
}

/// Every verdict, in [`VERDICTS`] order, with its count over `claims`.
pub(super) fn counts(claims: &[Vec<Claim>]) -> Vec<Count> {
    VERDICTS
        .iter()
        .map(|&verdict| Count {
            verdict,
            count: claims
                .iter()
                .flatten()
                .filter(|c| c.verdict == verdict)
                .count(),
        })
        .collect()
}

/// The chapter that holds the ledger (its first marker), if any.
pub(crate) fn ledger_chapter(book: &Book<'_>) -> Option<usize> {
    book.scans.iter().position(|s| {
        s.claim_markers
            .iter()
            .any(|(kind, _)| *kind == ClaimMarker::Ledger)
    })
}

/// What `tally.html` receives.
#[derive(Serialize)]
struct Tally<'a> {
    total: usize,
    counts: Vec<Count>,
    /// The ledger, from this page; empty on the ledger's own page or where
    /// the book has none.
    ledger_href: String,
    ledger_title: &'a str,
}

/// The tally as written in chapter `ci`; `claims` are every chapter's.
pub(crate) fn tally(
    book: &Book<'_>,
    claims: &[Vec<Claim>],
    ci: usize,
) -> Result<String, Diagnostic> {
    let total = claims.iter().map(Vec::len).sum();
    let counts = counts(claims);
    let ledger = ledger_chapter(book).filter(|&l| l != ci);
    let Some(t) = book.templates() else {
        let counts: Vec<String> = counts
            .iter()
            .map(|c| format!("{} {}", c.count, c.verdict))
            .collect();
        let link = ledger.map_or_else(String::new, |l| {
            format!(
                " Every claim with its verdict: [{}]({}).",
                crate::markdown::md_escape(&book.chapters[l].name),
                book.href(ci, l, None)
            )
        });
        return Ok(format!(
            "{total} claim{} annotated: {}.{link}",
            if total == 1 { "" } else { "s" },
            counts.join(", ")
        ));
    };
    t.render(
        "tally.html",
        &Tally {
            total,
            counts,
            ledger_href: ledger.map_or_else(String::new, |l| book.href(ci, l, None)),
            ledger_title: ledger.map_or("", |l| &book.chapters[l].name),
        },
    )
}

/// A claim as `claims-strip.html` sees it.
#[derive(Serialize)]
struct Settled<'a> {
    id: &'a str,
    anchor: String,
    verdict: &'a str,
}

/// The strip under the title of chapter `ci` listing its `claims`, in
/// article order, each linking to its card: inserted after the chapter's
/// first heading when that is its title (level 1), else at its start.
pub(crate) fn strip(
    book: &Book<'_>,
    claims: &[Claim],
    ci: usize,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    if claims.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<&Claim> = claims.iter().collect();
    sorted.sort_by_key(|c| c.number);
    let html = match book.templates() {
        Some(t) => {
            #[derive(Serialize)]
            struct Strip<'a> {
                claims: Vec<Settled<'a>>,
            }
            let claims = sorted
                .iter()
                .map(|c| Settled {
                    id: &c.id,
                    anchor: c.anchor(),
                    verdict: &c.verdict,
                })
                .collect();
            t.render("claims-strip.html", &Strip { claims })?
        }
        None => {
            let list: Vec<String> = sorted
                .iter()
                .map(|c| format!("[{}](#{}) ({})", c.id, c.anchor(), c.verdict))
                .collect();
            format!("Claims settled here: {}.", list.join(", "))
        }
    };
    let text = &book.chapters[ci].content;
    let at = match book.scans[ci].headings.first() {
        Some(h) if h.level == 1 => crate::markdown::line_end(text, h.range.end.max(1) - 1),
        _ => 0,
    };
    // Its own block, with one blank line either side: the text after the
    // title usually brings its own.
    let before = if at == 0 { "" } else { "\n" };
    let after = if text[at..].starts_with(['\n', '\r']) || at == text.len() {
        "\n"
    } else {
        "\n\n"
    };
    edits.push(Edit::insert(
        m(at, true),
        format!("{before}{}{after}", html.trim_end()),
    ));
    Ok(())
}
