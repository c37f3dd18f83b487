//! A claim's card: one `claim.html` section around its claim, verdict and
//! evidence, each block quote turned into a plain block (`block.html`) whose
//! label says what it is. For Markdown output the markers become bold labels.

use serde::Serialize;

use crate::book::Book;
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::links::correction_url;
use crate::rewrite::Features;
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
    /// The claim's row in the ledger; empty where the book has none.
    ledger_href: &'a str,
    /// The annotated work (`claims-source`), at the words the claim quotes
    /// where it quotes some; empty where the book names no source.
    article_href: &'a str,
}

/// The cards of chapter `ci`, whose text after the inline edits is `text`
/// (`m` maps offsets of the source into it).
pub(crate) fn edits(
    book: &Book<'_>,
    features: &Features<'_>,
    ci: usize,
    text: &str,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let scan = &book.scans[ci];
    let ledger = super::summary::ledger_chapter(book);
    // The annotated work's address; the pipeline has checked the id.
    let source = book
        .config
        .claims_source
        .as_deref()
        .and_then(|id| features.references.refs.iter().find(|r| r.id == id))
        .and_then(|r| r.url.as_deref());
    for claim in &features.claims[ci] {
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
        let ledger_href = ledger.map_or_else(String::new, |l| {
            book.href(ci, l, Some(&format!("ledger-{}", claim.xref_id())))
        });
        let article_href =
            source.map_or_else(String::new, |url| match text_fragment(&claim.text) {
                Some(fragment) => format!(
                    "{}#:~:text={fragment}",
                    url.split('#').next().unwrap_or(url)
                ),
                None => url.to_string(),
            });
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
                ledger_href: &ledger_href,
                article_href: &article_href,
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

/// A text fragment (`#:~:text=…`) for the words a claim quotes, so that its
/// link opens the article there (the article has no paragraph anchors).
/// From the first quoted passage of two words or more: words with a quote
/// mark in them are left out, as the article may curl what we wrote
/// straight (`'zero-shot'`), and the rest become `start,end` around them;
/// trailing punctuation is dropped, as the article may punctuate otherwise.
/// `None` where the claim quotes nothing usable.
pub(super) fn text_fragment(claim: &str) -> Option<String> {
    let passage = crate::markdown::quoted_passages(claim)
        .into_iter()
        .map(|r| &claim[r])
        .find(|p| p.split_whitespace().count() >= 2)?;
    let clean = |w: &&str| !w.contains(['\'', '’', '‘', '"', '“', '”', '…']);
    let words: Vec<&str> = passage.split_whitespace().collect();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for chunk in words.split(|w| !clean(w)) {
        if !chunk.is_empty() {
            runs.push(chunk.to_vec());
        }
    }
    let encode = |run: &[&str]| {
        let text = run.join(" ");
        let text = text.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let mut out = String::new();
        for b in text.bytes() {
            // Unreserved characters as they are; everything else, the
            // fragment's own syntax (`-`, `,`, `&`) included, escaped.
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    };
    match runs.as_slice() {
        [] => None,
        [one] if one.len() < 2 => None,
        [one] => Some(encode(one)),
        [first, .., last] => Some(format!("{},{}", encode(first), encode(last))),
    }
}
