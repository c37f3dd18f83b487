//! The article's claims: `CLAIM`, `VERDICT` and `EVIDENCE` blocks, checked
//! for shape and grouped into one [`Claim`] each.
//!
//! ```markdown
//! > [!CLAIM C17 ¶7]
//! > The researchers "claim this makes the model more stable during its training."
//!
//! > [!VERDICT accurate]
//! > Meta gives stability as its reason [§1](cite:l3).
//!
//! > [!EVIDENCE]
//! > The longer discussion.
//! ```
//!
//! The claims register their cards as cross-reference targets in the index
//! ([`targets`]); [`cards`] renders each claim's card, [`ledger`] the
//! claims ledger, and [`summary`] the tally and each chapter's strip of the
//! claims it settles.
//!
//! To add a verdict: add it to [`VERDICTS`], give it a label and an icon in
//! `preprocessor/templates/block.html`, a colour in `preprocessor/assets/gloss.css`, and a count row
//! in `preprocessor/templates/ledger.html`.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::index::Target;
use crate::markdown::quoted_passages;
use crate::scan::{BlockKind, RefKind, Scan};

pub(crate) mod cards;
pub(crate) mod ledger;
pub(crate) mod summary;

/// The verdicts a claim can get.
pub(crate) const VERDICTS: [&str; 4] = ["accurate", "simplified", "inaccurate", "unverifiable"];

/// Longest quotation from the article, in words.
pub(crate) const MAX_QUOTE_WORDS: usize = 25;

/// One annotated claim.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    /// `C17`.
    pub id: String,
    /// Its number, for article order.
    pub number: u32,
    /// The article paragraph.
    pub paragraph: u32,
    /// One of [`VERDICTS`].
    pub verdict: String,
    /// The claim block's plain text.
    pub text: String,
    /// Indices into the scan's blocks: claim, verdict and maybe evidence.
    pub blocks: Vec<usize>,
    /// Byte range of the claim's marker, for diagnostics.
    pub marker: Range<usize>,
}

impl Claim {
    /// The xref id: `c17`.
    pub(crate) fn xref_id(&self) -> String {
        self.id.to_ascii_lowercase()
    }

    /// The HTML id of its card: `claim-c17`.
    pub(crate) fn anchor(&self) -> String {
        format!("claim-{}", self.xref_id())
    }
}

/// Groups and checks the annotation blocks of one chapter.
pub(crate) fn collect(path: &str, text: &str, scan: &Scan, diags: &mut Diagnostics) -> Vec<Claim> {
    let at = |r: &Range<usize>| Location::new(path, text, r.clone());
    let mut claims = Vec::new();
    let blocks = &scan.blocks;
    let adjacent = |a: usize, b: usize| {
        blocks.get(b).is_some_and(|next| {
            text[blocks[a].range.end..next.range.start]
                .trim()
                .is_empty()
        })
    };
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        match block.kind {
            BlockKind::Claim => {
                let claim = parse_claim_args(&block.args);
                let Some((id, number, paragraph)) = claim else {
                    diags.push(
                        Diagnostic::error(format!(
                            "malformed claim marker `[!CLAIM {}]`",
                            block.args
                        ))
                        .at(at(&block.marker))
                        .label("expected a claim id and an article paragraph")
                        .help("write it as `[!CLAIM C17 ¶7]` (or `p7`): a number from 1 in digits, then the article's paragraph from 1"),
                    );
                    // Its verdict and evidence belong to it: one error, not three.
                    i += 1;
                    while i < blocks.len()
                        && blocks[i].kind != BlockKind::Claim
                        && adjacent(i - 1, i)
                    {
                        i += 1;
                    }
                    continue;
                };
                for passage in quoted_passages(&block.text) {
                    let words = block.text[passage].split_whitespace().count();
                    if words > MAX_QUOTE_WORDS {
                        diags.push(
                            Diagnostic::error(format!(
                                "claim {id} quotes {words} words of the article in one passage"
                            ))
                            .at(at(&block.marker))
                            .label(format!(
                                "quotations are limited to {MAX_QUOTE_WORDS} words each"
                            ))
                            .help("shorten the quotation, or paraphrase it"),
                        );
                    }
                }
                if !adjacent(i, i + 1) || blocks[i + 1].kind != BlockKind::Verdict {
                    diags.push(
                        Diagnostic::error(format!("claim {id} has no verdict"))
                            .at(at(&block.marker))
                            .label("a `[!VERDICT …]` block must follow this claim directly")
                            .help(format!(
                                "add `> [!VERDICT accurate]` (or {}) after it",
                                VERDICTS[1..].join(", ")
                            )),
                    );
                    i += 1;
                    continue;
                }
                let verdict_block = &blocks[i + 1];
                let verdict = verdict_block.args.trim().to_string();
                let mut members = vec![i, i + 1];
                if adjacent(i + 1, i + 2) && blocks[i + 2].kind == BlockKind::Evidence {
                    members.push(i + 2);
                }
                // An error already reported in the verdict or evidence (raw
                // HTML, an unclosed fence) can hide a citation from the parse:
                // "no citation" would then only repeat it.
                let line = |at: usize| text[..at].matches('\n').count() + 1;
                let lines = line(blocks[i + 1].range.start)
                    ..=line(blocks[*members.last().unwrap_or(&i)].range.end);
                let earlier_errors = diags.has_error_within(path, lines);
                if !VERDICTS.contains(&verdict.as_str()) {
                    let mut d =
                        Diagnostic::error(format!("unknown verdict `{verdict}` for claim {id}"))
                            .at(at(&verdict_block.marker))
                            .label(format!("expected one of {}", VERDICTS.join(", ")));
                    d = d.help(match suggest(&verdict.to_ascii_lowercase(), VERDICTS) {
                        Some(s) => s,
                        None => format!(
                            "write `[!VERDICT accurate]` or one of {}",
                            VERDICTS[1..].join(", ")
                        ),
                    });
                    diags.push(d);
                }
                let cited = scan.refs.iter().any(|r| {
                    r.kind == RefKind::Cite
                        && members[1..].iter().any(|&m| {
                            blocks[m].range.start <= r.range.start
                                && r.range.end <= blocks[m].range.end
                        })
                });
                if !cited && !earlier_errors {
                    diags.push(
                        Diagnostic::error(format!("claim {id} has a verdict without a citation"))
                            .at(at(&verdict_block.marker))
                            .label("the verdict or its evidence must cite a source")
                            .help("cite the passage that settles it, e.g. `[§3.2.1](cite:l3)`"),
                    );
                }
                for &m in &members {
                    // Nothing but the quote markers after the marker (raw
                    // HTML has no plain text, and is checked on its own).
                    let body =
                        &text[blocks[m].marker.end.min(blocks[m].range.end)..blocks[m].range.end];
                    if body.chars().all(|c| c.is_whitespace() || c == '>') {
                        diags.push(
                            Diagnostic::error(format!(
                                "claim {id}: the `[!{}]` block is empty",
                                match blocks[m].kind {
                                    BlockKind::Claim => "CLAIM",
                                    BlockKind::Verdict => "VERDICT",
                                    BlockKind::Evidence => "EVIDENCE",
                                }
                            ))
                            .at(at(&blocks[m].marker))
                            .label("nothing follows the marker")
                            .help("write the text on the lines after the marker, each starting with `> `"),
                        );
                    }
                }
                i = members[members.len() - 1] + 1;
                claims.push(Claim {
                    id,
                    number,
                    paragraph,
                    verdict,
                    text: block.text.clone(),
                    blocks: members,
                    marker: block.marker.clone(),
                });
            }
            BlockKind::Verdict => {
                diags.push(
                    Diagnostic::error("verdict without a claim")
                        .at(at(&block.marker))
                        .label("a `[!VERDICT …]` block must directly follow a `[!CLAIM …]` block")
                        .help("put the claim right before it, with only a blank line between"),
                );
                i += 1;
            }
            BlockKind::Evidence => {
                diags.push(
                    Diagnostic::error("evidence without a verdict")
                        .at(at(&block.marker))
                        .label("an `[!EVIDENCE]` block must directly follow a `[!VERDICT …]` block")
                        .help("put it right after the verdict it supports"),
                );
                i += 1;
            }
        }
    }
    claims
}

/// The cards of one chapter's claims, as cross-reference targets (`xref:c17`).
pub(crate) fn targets(chapter: usize, claims: &[Claim]) -> Vec<(String, Target)> {
    claims
        .iter()
        .map(|claim| {
            let target = Target::new(
                chapter,
                Some(claim.anchor()),
                format!("Claim {}", claim.id),
                claim.marker.clone(),
            );
            (claim.xref_id(), target)
        })
        .collect()
}

/// `C17 ¶7` → (`C17`, 17, 7). Also accepts `p7`. The number is written in
/// digits only (no sign) and is at least 1, as is the paragraph.
fn parse_claim_args(args: &str) -> Option<(String, u32, u32)> {
    let mut words = args.split_whitespace();
    let id = words.next()?;
    let para = words.next()?;
    if words.next().is_some() {
        return None;
    }
    let digits = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|&n| n >= 1)
    };
    let number = digits(id.strip_prefix('C')?)?;
    let paragraph = digits(para.strip_prefix('¶').or_else(|| para.strip_prefix('p'))?)?;
    Some((id.to_string(), number, paragraph))
}

/// What needs every chapter's claims: each number annotated once, every id
/// written one way (`C` and the number zero-padded to one width: that of
/// `claim-count` when the book sets it, else of the widest id written, `C07`
/// beside `C46`), and, when the book says how many claims the
/// article has (`claim-count`), every number in range. `chapters` gives each
/// chapter's path for diagnostics and its text.
pub(crate) fn check_book(
    chapters: &[(&str, &str)],
    claims: &[Vec<Claim>],
    count: Option<u32>,
    diags: &mut Diagnostics,
) {
    // The widest id written sets the width, and no id may be narrower than
    // the largest number (or the configured count) needs.
    let written = claims
        .iter()
        .flatten()
        .map(|c| c.id.len() - 1)
        .max()
        .unwrap_or(0);
    let largest = claims.iter().flatten().map(|c| c.number).max().unwrap_or(0);
    let width = match count {
        // The book says how many: that fixes the width (`C01` … `C46`).
        Some(n) => n.max(largest).to_string().len(),
        None => written.max(largest.to_string().len()),
    };
    let mut seen: HashMap<u32, (usize, &Claim)> = HashMap::new();
    for (ci, list) in claims.iter().enumerate() {
        let (path, text) = chapters[ci];
        for claim in list {
            let at = Location::new(path, text, claim.marker.clone());
            let canonical = format!("C{:0width$}", claim.number);
            if claim.id != canonical {
                diags.push(
                    Diagnostic::error(format!(
                        "claim id `{}` is not written as `{canonical}`",
                        claim.id
                    ))
                    .at(at.clone())
                    .label(format!(
                        "claim ids are `C` and the number in {width} digits"
                    ))
                    .help(format!("write `[!CLAIM {canonical} ¶{}]`", claim.paragraph)),
                );
            }
            if let Some(n) = count.filter(|&n| claim.number > n) {
                diags.push(
                    Diagnostic::error(format!(
                        "claim {} is past the article's last claim",
                        claim.id
                    ))
                    .at(at.clone())
                    .label(format!(
                        "`claim-count` in book.toml says the article has {n} claims"
                    ))
                    .help(format!(
                        "number it between C{:0width$} and C{n:0width$}, or raise `claim-count`",
                        1
                    )),
                );
            }
            let Some((cj, first)) = seen.get(&claim.number) else {
                seen.insert(claim.number, (ci, claim));
                continue;
            };
            // The same id twice is the index's duplicate-id error.
            if first.id != claim.id {
                let first_at =
                    Location::new(chapters[*cj].0, chapters[*cj].1, first.marker.clone());
                diags.push(
                    Diagnostic::error(format!("claim {} is annotated twice", claim.number))
                        .at(at)
                        .label(format!(
                            "`{}` is the same claim as `{}` at {}:{}:{}",
                            claim.id, first.id, first_at.path, first_at.line, first_at.column
                        ))
                        .help("annotate each claim once; give this one its own number"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
