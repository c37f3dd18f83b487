//! Finding term mentions in text: one Aho-Corasick automaton over every term
//! and alias, built once per run, then the book's matching rules applied to
//! each candidate.
//!
//! The rules, in the order they are checked:
//!
//! 1. Case: a pattern with a capital letter after its first character, or a
//!    capital first letter followed by anything but a lower-case letter
//!    (`MoE`, `DPO`, `H100`, `RoPE`), matches only as written, and so does
//!    every name of a term marked `Match: case-sensitive`. Any other
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

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use unicode_segmentation::UnicodeSegmentation;

/// One string to look for, and the term it stands for.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The text, white space collapsed to single spaces.
    pub text: String,
    /// Index of the term in the glossary.
    pub term: usize,
    /// Whether it matches only as written, whatever its shape (a term's
    /// `Match: case-sensitive`); otherwise rule 1 decides.
    pub exact: bool,
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
    /// Each pattern, with whether it matches only as written (rule 1 or
    /// [`Pattern::exact`]) and whether it is a mention inside a compound (rule 3).
    patterns: Vec<(Pattern, Rules)>,
}

/// How one pattern is matched.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// Only as written (rule 1).
    case_sensitive: bool,
    /// Also inside a hyphenated compound (rule 3): by the name's shape alone,
    /// so that `Match: case-sensitive` on `Scope` does not make `Scope-based`
    /// a mention.
    in_compounds: bool,
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
pub(crate) fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text bytes per pattern above which a DFA pays for itself (see
/// [`Matcher::for_text`]).
const DFA_BYTES_PER_PATTERN: usize = 2048;

impl Matcher {
    #[cfg(any(test, feature = "testing"))]
    /// Builds the automaton. Empty patterns are ignored.
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
        Matcher::build(patterns, None)
    }

    /// Builds the automaton best suited to searching `text_len` bytes.
    ///
    /// A DFA finds mentions about twice as fast as the default NFA (divan,
    /// 2,000-word chapter: 115 against 62 MB/s with 1,000 terms) but takes
    /// about 12 µs more per pattern to build (1,000 terms: 11.5 against
    /// 3.4 ms). It pays once the text is a few kilobytes per pattern.
    pub fn for_text(patterns: Vec<Pattern>, text_len: usize) -> Matcher {
        let dfa = text_len / DFA_BYTES_PER_PATTERN > patterns.len();
        Matcher::build(patterns, dfa.then_some(AhoCorasickKind::DFA))
    }

    fn build(patterns: Vec<Pattern>, kind: Option<AhoCorasickKind>) -> Matcher {
        let patterns: Vec<(Pattern, Rules)> = patterns
            .into_iter()
            .filter(|p| !p.text.is_empty())
            .map(|p| {
                let shape = is_case_sensitive(&p.text);
                let rules = Rules {
                    case_sensitive: shape || p.exact,
                    in_compounds: shape,
                };
                (p, rules)
            })
            .collect();
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .kind(kind)
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

    #[cfg(any(test, feature = "testing"))]
    /// Whether there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every mention in `hay`, non-overlapping, leftmost-longest.
    pub fn find(&self, hay: &str) -> Vec<Found> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut bounds = Boundaries::new(hay);
        let mut candidates: Vec<Found> = Vec::new();
        for m in ac.find_overlapping_iter(hay) {
            let (pattern, rules) = &self.patterns[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if rules.case_sensitive && hay[start..end] != pattern.text {
                continue;
            }
            if !bounds.is_boundary(start) {
                continue;
            }
            // The longest of: no suffix, or a plural/possessive suffix, that
            // ends on a word boundary.
            let mut best = None;
            for e in std::iter::once(end).chain(
                SUFFIXES
                    .iter()
                    .filter(|s| hay[end..].starts_with(**s))
                    .map(|s| end + s.len()),
            ) {
                if best.is_none_or(|b| e > b) && bounds.is_boundary(e) {
                    best = Some(e);
                }
            }
            let Some(end) = best else {
                continue;
            };
            if !rules.in_compounds && in_compound(hay, start, end) {
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

/// Answers "is there a UAX #29 word boundary at byte `i`?" for one
/// haystack, segmenting only the stretch of text around `i`.
///
/// Segmenting a whole paragraph to check the two ends of each candidate cost
/// about three Markdown parses of the book. Boundaries are decided by at
/// most a few characters of context, and that context never reaches across
/// ASCII white space: no rule joins a space to the letter, digit or
/// punctuation beside it, and every rule that looks further (WB6, WB7, WB11,
/// WB12, regional indicators) needs letters, digits, marks or indicators all
/// the way. So the text from the white space before `i` to the white space
/// after it, both included, segments as it does inside the whole haystack.
/// A stretch longer than [`Boundaries::WINDOW`] (text written without
/// spaces) falls back to segmenting the whole haystack once, so the cost
/// stays linear.
struct Boundaries<'h> {
    hay: &'h str,
    /// The last stretch segmented: its range and its boundaries.
    window: std::ops::Range<usize>,
    in_window: Vec<usize>,
    /// Every boundary of the haystack, once a long stretch needed them.
    all: Option<Vec<usize>>,
}

impl<'h> Boundaries<'h> {
    const WINDOW: usize = 256;

    fn new(hay: &'h str) -> Self {
        Boundaries {
            hay,
            window: 0..0,
            in_window: Vec::new(),
            all: None,
        }
    }

    fn is_boundary(&mut self, i: usize) -> bool {
        let hay = self.hay;
        if i == 0 || i == hay.len() {
            return true;
        }
        if !hay.is_char_boundary(i) {
            return false;
        }
        if let Some(all) = &self.all {
            return all.binary_search(&i).is_ok();
        }
        if !(self.window.start < i && i < self.window.end) {
            let bytes = hay.as_bytes();
            let lo = i.saturating_sub(Self::WINDOW);
            let hi = (i + Self::WINDOW).min(hay.len());
            // Start at the white space before `i`, end past the one after it.
            let start = bytes[lo..i].iter().rposition(u8::is_ascii_whitespace);
            let end = bytes[i..hi].iter().position(u8::is_ascii_whitespace);
            let (start, end) = match (start, end) {
                (Some(s), Some(e)) => (lo + s, i + e + 1),
                (None, Some(e)) if lo == 0 => (0, i + e + 1),
                (Some(s), None) if hi == hay.len() => (lo + s, hay.len()),
                (None, None) if lo == 0 && hi == hay.len() => (0, hay.len()),
                _ => {
                    let all = word_boundaries(hay);
                    let found = all.binary_search(&i).is_ok();
                    self.all = Some(all);
                    return found;
                }
            };
            self.window = start..end;
            self.in_window.clear();
            self.in_window.extend(
                hay[start..end]
                    .split_word_bound_indices()
                    .map(|(at, _)| start + at),
            );
        }
        self.in_window.binary_search(&i).is_ok()
    }
}

/// Byte offsets where a UAX #29 word boundary falls, sorted, including the end.
fn word_boundaries(hay: &str) -> Vec<usize> {
    let mut out: Vec<usize> = hay.split_word_bound_indices().map(|(i, _)| i).collect();
    out.push(hay.len());
    out
}

#[cfg(test)]
mod tests;
