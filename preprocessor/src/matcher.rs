//! Finding term mentions in text: one Aho-Corasick automaton over every term
//! and alias, built once per run, then the book's matching rules applied to
//! each candidate.
//!
//! The rules, in the order they are checked:
//!
//! 1. Case: a pattern with a capital letter after its first character, or a
//!    capital first letter followed by anything but a lower-case letter
//!    (`MoE`, `DPO`, `H100`, `RoPE`), matches only as written. Any other
//!    pattern (`attention`, `Mixture of experts`) matches in any case.
//! 2. Whole words, by Unicode word boundaries (UAX #29), so text in scripts
//!    written without spaces still bounds a term. A simple plural or
//!    possessive (`s`, `es`, `'s`, `s'`, with straight or curly apostrophes)
//!    may follow and is covered by the callout.
//! 3. Compounds: a case-insensitive pattern preceded or followed by a hyphen
//!    joined to a letter is part of a compound word and is not a mention
//!    (`self-attention` is not `attention`); a case-sensitive one is
//!    (`DPO-tuned`).
//! 4. Among the mentions left, the leftmost wins, and at one position the
//!    longest (`grouped-query attention` over `attention`).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use unicode_segmentation::UnicodeSegmentation;

/// One string to look for, and the term it stands for.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The text, white space collapsed to single spaces.
    pub text: String,
    /// Index of the term in the glossary.
    pub term: usize,
}

/// A mention found in a haystack: byte range (including any plural or
/// possessive suffix) and the term it mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset, past any suffix.
    pub end: usize,
    /// Index of the term.
    pub term: usize,
}

/// The compiled matcher.
#[derive(Debug)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    patterns: Vec<(Pattern, bool)>,
}

const SUFFIXES: [&str; 8] = ["s", "es", "'s", "’s", "s'", "s’", "es'", "es’"];

/// Whether a pattern must match exactly as written (rule 1).
pub fn is_case_sensitive(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: Vec<char> = chars.collect();
    if rest.iter().any(|c| c.is_uppercase()) {
        return true;
    }
    first.is_uppercase() && !rest.first().is_some_and(|c| c.is_lowercase())
}

/// Collapses runs of white space to one space, as the haystack does.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Matcher {
    /// Builds the automaton. Empty patterns are ignored.
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
        let patterns: Vec<(Pattern, bool)> = patterns
            .into_iter()
            .filter(|p| !p.text.is_empty())
            .map(|p| {
                let cs = is_case_sensitive(&p.text);
                (p, cs)
            })
            .collect();
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    .build(patterns.iter().map(|(p, _)| p.text.as_str()))
                    .expect("patterns are plain strings; the automaton fits in memory"),
            )
        };
        Matcher {
            automaton,
            patterns,
        }
    }

    /// Whether there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every mention in `hay`, non-overlapping, leftmost-longest.
    pub fn find(&self, hay: &str) -> Vec<Found> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut boundaries: Option<Vec<usize>> = None;
        let mut candidates: Vec<Found> = Vec::new();
        for m in ac.find_overlapping_iter(hay) {
            let (pattern, case_sensitive) = &self.patterns[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if *case_sensitive && hay[start..end] != pattern.text {
                continue;
            }
            let bounds = boundaries.get_or_insert_with(|| word_boundaries(hay));
            let is_boundary = |i: usize| bounds.binary_search(&i).is_ok();
            if !is_boundary(start) {
                continue;
            }
            // The longest of: no suffix, or a plural/possessive suffix, that
            // ends on a word boundary.
            let Some(end) = std::iter::once(end)
                .chain(
                    SUFFIXES
                        .iter()
                        .filter(|s| hay[end..].starts_with(**s))
                        .map(|s| end + s.len()),
                )
                .filter(|&e| is_boundary(e))
                .max()
            else {
                continue;
            };
            if !*case_sensitive && in_compound(hay, start, end) {
                continue;
            }
            candidates.push(Found {
                start,
                end,
                term: pattern.term,
            });
        }
        candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<Found> = Vec::with_capacity(candidates.len());
        for c in candidates {
            if out.last().is_none_or(|last| c.start >= last.end) {
                out.push(c);
            }
        }
        out
    }
}

/// Rule 3: joined to a letter by a hyphen on either side.
fn in_compound(hay: &str, start: usize, end: usize) -> bool {
    let mut before = hay[..start].chars().rev();
    if before.next() == Some('-') && before.next().is_some_and(char::is_alphanumeric) {
        return true;
    }
    let mut after = hay[end..].chars();
    after.next() == Some('-') && after.next().is_some_and(char::is_alphanumeric)
}

/// Byte offsets where a UAX #29 word boundary falls, sorted, including the end.
fn word_boundaries(hay: &str) -> Vec<usize> {
    let mut out: Vec<usize> = hay.split_word_bound_indices().map(|(i, _)| i).collect();
    out.push(hay.len());
    out
}

#[cfg(test)]
mod tests;
