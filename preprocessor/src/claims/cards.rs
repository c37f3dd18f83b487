//! A claim's card: one `claim.html` section around its claim, verdict and
//! evidence, each block quote turned into a plain block (`block.html`) whose
//! label says what it is. For Markdown output the markers become bold labels.

use serde::Serialize;

use super::Claim;
use crate::book::Book;
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::links::correction_url;
use crate::scan::{BlockKind, unquote};

/// What `claim.html` receives.
#[derive(Serialize)]
struct Card<'a> {
    id: &'a str,
    anchor: &'a str,
    paragraph: u32,
    verdict: &'a str,
    /// "Referenced from", rendered by `backlinks.html`; empty when nothing
    /// refers to the claim.
    backlinks: String,
    /// The issue form "Suggest a correction", prefilled; empty without
    /// `git-repository-url`.
    correction: String,
}

/// What `block.html` receives.
#[derive(Serialize)]
struct BlockView<'a> {
    kind: &'static str,
    id: &'a str,
    anchor: &'a str,
    paragraph: u32,
    verdict: &'a str,
}

/// The cards of chapter `ci`, whose text after the inline edits is `text`
/// (`m` maps offsets of the source into it).
pub(crate) fn edits(
    book: &Book<'_>,
    claims: &[Claim],
    ci: usize,
    text: &str,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let scan = &book.scans[ci];
    for claim in claims {
        let blocks: Vec<_> = claim.blocks.iter().map(|&b| &scan.blocks[b]).collect();
        let Some(t) = book.templates() else {
            for b in &blocks {
                let label = match b.kind {
                    BlockKind::Claim => format!(
                        "**Claim {}** (the article, ¶{}):",
                        claim.id, claim.paragraph
                    ),
                    BlockKind::Verdict => format!("**Verdict: {}.**", claim.verdict),
                    BlockKind::Evidence => "**Evidence.**".to_string(),
                };
                edits.push(Edit::replace(
                    m(b.marker.start, false),
                    m(b.marker.end, true),
                    label,
                ));
            }
            continue;
        };
        let anchor = claim.anchor();
        let card = Card {
            id: &claim.id,
            anchor: &anchor,
            paragraph: claim.paragraph,
            verdict: &claim.verdict,
            backlinks: {
                let list = book.referenced_from(ci, &[claim.xref_id().as_str()]);
                if list.is_empty() {
                    String::new()
                } else {
                    list.render(book)?.unwrap_or_default()
                }
            },
            correction: book
                .config
                .repository
                .as_deref()
                .map(|repo| {
                    let chapter = &book.chapters[ci];
                    correction_url(repo, Some(&claim.id), &chapter.name, &chapter.display)
                })
                .unwrap_or_default(),
        };
        let (card_open, card_close) = t.wrap("claim.html", &card)?;
        let first = m(blocks[0].range.start, false);
        edits.push(Edit::insert(first, card_open));
        for b in &blocks {
            let view = BlockView {
                kind: match b.kind {
                    BlockKind::Claim => "claim",
                    BlockKind::Verdict => "verdict",
                    BlockKind::Evidence => "evidence",
                },
                id: &claim.id,
                anchor: &anchor,
                paragraph: claim.paragraph,
                verdict: &claim.verdict,
            };
            let (open, close) = t.wrap("block.html", &view)?;
            let (start, end) = (m(b.range.start, false), m(b.range.end, true));
            let (ms, me) = (m(b.marker.start, false), m(b.marker.end, true));
            let body = format!("{}{}", &text[start..ms], &text[me..end]);
            let body = unquote(&body);
            let body = body.trim_matches('\n');
            edits.push(Edit::replace(start, end, format!("{open}{body}{close}")));
        }
        let last = m(blocks[blocks.len() - 1].range.end, true);
        // Markdown may follow directly: end the HTML block with a blank line.
        edits.push(Edit::insert(last, format!("{card_close}\n\n")));
    }
    Ok(())
}
