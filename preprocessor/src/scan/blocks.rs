//! Annotation blocks: a top-level block quote that starts with `[!KIND …]`.
//! mdBook renders its own five kinds (`[!NOTE]` …). When the book turns
//! claims on, the scan reads ours and reports lower-case kinds, blocks nested
//! in others and near misses of our kinds (`[!VERDIKT]`); every other kind is
//! the book's own convention and passes through untouched.

use std::ops::Range;

use super::{Scan, ScanContext};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::markdown::{line_end, parse, plain_text, runs_on, setext_underline};

/// The book's own annotation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `> [!CLAIM C17 ¶7]`
    Claim,
    /// `> [!VERDICT accurate]`
    Verdict,
    /// `> [!EVIDENCE]`
    Evidence,
}

/// The kinds mdBook renders itself, left alone.
pub(crate) const NATIVE_KINDS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
/// Our kinds, as written.
pub(crate) const OWN_KINDS: [&str; 3] = ["CLAIM", "VERDICT", "EVIDENCE"];

/// An annotation block: a top-level block quote starting with `[!KIND …]`.
#[derive(Debug, Clone)]
pub struct Block {
    /// Which kind.
    pub kind: BlockKind,
    /// What follows the kind inside the brackets, trimmed.
    pub args: String,
    /// Byte range of the whole block quote.
    pub range: Range<usize>,
    /// Byte range of `[!KIND …]`.
    pub marker: Range<usize>,
    /// Plain text of the block, without the marker.
    pub text: String,
}

/// Reads `[!KIND args]` at the start of a block quote, if it is there.
pub(super) fn block_of(
    cx: &ScanContext<'_>,
    text: &str,
    range: Range<usize>,
    top_level: bool,
    out: &mut Scan,
    diags: &mut Diagnostics,
) {
    let first_line_end = line_end(text, range.start).min(range.end);
    let line = &text[range.start..first_line_end];
    let after_gt = line
        .trim_start()
        .strip_prefix('>')
        .unwrap_or(line.trim_start());
    let body = after_gt.trim_start();
    let Some(rest) = body.strip_prefix("[!") else {
        return;
    };
    let Some(close) = rest.find(']') else { return };
    let inner = &rest[..close];
    let marker_start = range.start + (line.len() - body.len());
    let marker = marker_start..marker_start + 2 + close + 1;
    let (kind_word, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let upper = kind_word.to_ascii_uppercase();
    if NATIVE_KINDS.contains(&upper.as_str()) {
        return;
    }
    if !cx.claims {
        return;
    }
    let kind = match upper.as_str() {
        "CLAIM" => BlockKind::Claim,
        "VERDICT" => BlockKind::Verdict,
        "EVIDENCE" => BlockKind::Evidence,
        _ => {
            // Another book's `[!EXAMPLE]` is its own; only a near miss of
            // one of ours (`VERDIKT`, `EVIDENCES`) is a mistake to report.
            if let Some(s) = near_miss(&upper) {
                diags.push(
                    Diagnostic::error(format!("unknown annotation kind `{kind_word}`"))
                        .at(Location::new(cx.display_path, text, marker.clone()))
                        .label("close to one of this book's kinds: CLAIM, VERDICT, EVIDENCE")
                        .help(s),
                );
            }
            return;
        }
    };
    if kind_word != upper {
        diags.push(
            Diagnostic::error(format!(
                "annotation kind `{kind_word}` must be written in capitals"
            ))
            .at(Location::new(cx.display_path, text, marker.clone()))
            .help(format!(
                "write `[!{upper}{}{args}]`",
                if args.is_empty() { "" } else { " " }
            )),
        );
    }
    if !top_level {
        diags.push(
            Diagnostic::error(format!("`[!{upper}]` block inside another block"))
                .at(Location::new(cx.display_path, text, marker))
                .label("annotation blocks must stand at the top level of the chapter")
                .help("move the block quote out of its list or quote"),
        );
        return;
    }
    let body = format!(
        "{}{}",
        &text[range.start..marker.start],
        &text[marker.end.min(range.end)..range.end]
    );
    let unquoted = unquote(&body);
    // The block quote closes whatever its text leaves open; the card it
    // becomes does not, and the rest of the chapter would run into it.
    if let Some(what) = runs_on(&unquoted) {
        diags.push(
            Diagnostic::error(format!("`[!{upper}]` block holds {what}"))
                .at(Location::new(cx.display_path, text, marker.clone()))
                .label("its card would swallow the rest of the chapter")
                .help("close the fence or the HTML inside the block quote"),
        );
    }
    let plain = plain_text(parse(&unquoted).map(|(e, _)| e));
    out.blocks.push(Block {
        kind,
        args: args.trim().to_string(),
        range,
        marker,
        text: plain,
    });
}

/// "did you mean …?" when `kind` is one or two letters away from one of our
/// kinds. Closer than `suggest`'s own threshold, which also finds ids by
/// shape: `EXAMPLE` must not be taken for `EVIDENCE`.
fn near_miss(kind: &str) -> Option<String> {
    let close = OWN_KINDS
        .iter()
        .copied()
        .filter(|own| strsim::damerau_levenshtein(kind, own) <= 2);
    suggest(kind, close)
}

/// A fence or an HTML block (a comment, `<pre>` …) at the top level that
/// never closes turns the rest of the chapter into code or raw HTML: every
/// reference and term after it would vanish without a word. `range` is the
/// block's; only one that reaches the end of the chapter can be open.
pub(super) fn never_closed(
    cx: &ScanContext<'_>,
    text: &str,
    range: Range<usize>,
    diags: &mut Diagnostics,
) {
    if !text[range.end..].trim().is_empty() {
        return;
    }
    let Some(what) = runs_on(&text[range.clone()]) else {
        return;
    };
    // Not again where its opening is refused already (`<pre>` in an entry).
    let line = text[..range.start].matches('\n').count() + 1;
    if diags.has_error_within(cx.display_path, line..=line) {
        return;
    }
    diags.push(
        Diagnostic::error(format!("{what} runs to the end of the chapter"))
            .at(Location::new(
                cx.display_path,
                text,
                range.start..line_end(text, range.start),
            ))
            .label("everything after this line is inside it")
            .help(if what.contains("fence") {
                "close it with a line of the same fence where the code should end"
            } else {
                "close it (`-->`, `</pre>` …) where it should end"
            }),
    );
}

/// A heading in an annotation block lands inside its card, with an id no
/// cross-reference checks; written with `---` or `===` under a line, it is
/// usually not meant as one. `range` is the heading's.
pub(super) fn heading_in_block(
    cx: &ScanContext<'_>,
    text: &str,
    range: Range<usize>,
    kind: BlockKind,
    diags: &mut Diagnostics,
) {
    let kind = match kind {
        BlockKind::Claim => "CLAIM",
        BlockKind::Verdict => "VERDICT",
        BlockKind::Evidence => "EVIDENCE",
    };
    let (message, at, help) = match setext_underline(text, range.clone()) {
        Some(u) => (
            format!(
                "`{}` under a line of the `[!{kind}]` block makes it a heading",
                &text[u.start..u.end.min(u.start + 3)]
            ),
            u,
            "remove the line, or leave a blank `>` line before it",
        ),
        None => (
            format!("a heading inside the `[!{kind}]` block"),
            range,
            "write the text as a paragraph; the card has its own label",
        ),
    };
    diags.push(
        Diagnostic::error(message)
            .at(Location::new(cx.display_path, text, at))
            .label("annotation blocks hold paragraphs, lists and quotes")
            .help(help),
    );
}

/// Strips one level of block-quote markers (`> `) from each line.
pub(crate) fn unquote(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent.min(3)..];
        match rest.strip_prefix('>') {
            Some(r) => out.push_str(r.strip_prefix(' ').unwrap_or(r)),
            None => out.push_str(line),
        }
    }
    out
}

/// A marker that something made from every claim replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimMarker {
    /// `<!-- gloss:ledger -->`: the claims ledger.
    Ledger,
    /// `<!-- gloss:tally -->`: the count of claims by verdict, with a link
    /// to the ledger (for a home page).
    Tally,
}

impl ClaimMarker {
    pub(super) fn parse(html: &str) -> Option<(ClaimMarker, &'static str)> {
        match html {
            "<!-- gloss:ledger -->" => Some((ClaimMarker::Ledger, "claims ledger")),
            "<!-- gloss:tally -->" => Some((ClaimMarker::Tally, "claims tally")),
            _ => None,
        }
    }
}
