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

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::{Builder, NFA};
use aho_corasick::{Anchored, MatchKind};
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
///
/// A mention starts on a word boundary (rule 2), so the automaton is walked
/// from word starts only, anchored there: from each position where a word
/// can start and some pattern begins with the byte found there, it follows
/// the text until no pattern can continue, which is a byte or two for most
/// words. Every pattern that ends on the way is a candidate starting at that
/// position: the same candidates as an unanchored search that reports every
/// overlapping match, without walking the automaton through the inside of
/// every word or checking the boundaries of matches that start inside one.
#[derive(Debug)]
pub struct Matcher {
    /// The automaton over every pattern. A contiguous NFA: with walks of a
    /// byte or two from word starts, it finds as fast as a DFA (faster from
    /// about 2,000 terms, whose DFA no longer fits in the cache) and builds
    /// several times faster.
    automaton: Option<NFA>,
    /// Each pattern, with whether it matches only as written (rule 1 or
    /// [`Pattern::exact`]) and whether it is a mention inside a compound (rule 3).
    patterns: Vec<(Pattern, Rules)>,
    /// Which pairs of bytes some pattern starts with, in any ASCII case
    /// (bit `256 * first + second`), and for a one-byte pattern every pair
    /// it starts: most words begin with a pair no name does, and are passed
    /// over without walking the automaton.
    starts: Box<[u64; 1024]>,
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

/// Whether an ASCII byte continues a word on both sides of itself: no word
/// boundary falls between two of these (UAX #29 WB5, WB8 to WB10, WB13a and
/// WB13b), so no mention starts after one and on another.
fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// [`is_word_byte`] as a table: the matcher asks it of every byte.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

impl Matcher {
    /// Builds the automaton. Empty patterns are ignored.
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
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
        let automaton = (!patterns.is_empty()).then(|| {
            Builder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(patterns.iter().map(|(p, _)| p.text.as_str()))
                .expect("patterns are plain strings; the automaton fits in memory")
        });
        let mut starts = Box::new([0u64; 1024]);
        for (p, _) in &patterns {
            let bytes = p.text.as_bytes();
            let cases = |b: u8| [b.to_ascii_lowercase(), b.to_ascii_uppercase()];
            let seconds: Vec<u8> = match bytes.get(1) {
                Some(&b) => cases(b).to_vec(),
                None => (0..=255).collect(),
            };
            for first in cases(bytes[0]) {
                for &second in &seconds {
                    let bit = usize::from(first) << 8 | usize::from(second);
                    starts[bit / 64] |= 1 << (bit % 64);
                }
            }
        }
        Matcher {
            automaton,
            patterns,
            starts,
        }
    }

    #[cfg(any(test, feature = "testing"))]
    /// Whether there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every mention in `hay`, non-overlapping, leftmost-longest.
    pub fn find(&self, hay: &str) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let bytes = hay.as_bytes();
        let mut bounds = Boundaries::new(hay);
        let start_state = automaton
            .start_state(Anchored::Yes)
            .expect("a contiguous NFA supports anchored searches");
        let mut out: Vec<Found> = Vec::new();
        let mut next = 0;
        while next < bytes.len() {
            let i = next;
            next += 1;
            if is_word_byte(bytes[i]) {
                // No mention starts inside a run of ASCII letters, digits
                // and `_`: pass over the rest of it.
                while next < bytes.len() && is_word_byte(bytes[next]) {
                    next += 1;
                }
            }
            // Rule 4: nothing starts inside the mention before; a pattern
            // starts on the first byte of a character, and the table holds
            // only the pairs of bytes some pattern begins with.
            let pair = usize::from(bytes[i]) << 8 | usize::from(*bytes.get(i + 1).unwrap_or(&0));
            if out.last().is_some_and(|last| i < last.end)
                || self.starts[pair / 64] & (1 << (pair % 64)) == 0
            {
                continue;
            }
            if let Some(found) = self.longest_at(automaton, start_state, hay, i, &mut bounds) {
                out.push(found);
            }
        }
        out
    }

    /// The longest mention that starts at byte `i` (the first found among
    /// equals): a pattern that starts there on a word boundary and ends on
    /// one, with or without a plural or possessive suffix, and keeps rules 1
    /// and 3.
    fn longest_at(
        &self,
        automaton: &NFA,
        start_state: StateID,
        hay: &str,
        i: usize,
        bounds: &mut Boundaries<'_>,
    ) -> Option<Found> {
        let bytes = hay.as_bytes();
        let mut best: Option<Found> = None;
        let mut sid = start_state;
        for (at, &c) in bytes.iter().enumerate().skip(i) {
            sid = automaton.next_state(Anchored::Yes, sid, c);
            if automaton.is_dead(sid) {
                break;
            }
            if !automaton.is_match(sid) {
                continue;
            }
            let end = at + 1;
            for k in 0..automaton.match_len(sid) {
                let id = automaton.match_pattern(sid, k);
                // Only the patterns that start here (a match state may also
                // hold shorter patterns that end here).
                if automaton.pattern_len(id) != end - i {
                    continue;
                }
                let (pattern, rules) = &self.patterns[id.as_usize()];
                if rules.case_sensitive && hay[i..end] != pattern.text {
                    continue;
                }
                // Asked once, and only of a place where a name matches.
                if best.is_none() && !bounds.is_boundary(i) {
                    return None;
                }
                // The longest of: no suffix, or a plural/possessive suffix,
                // that ends on a word boundary.
                let mut longest = None;
                for e in std::iter::once(end).chain(
                    SUFFIXES
                        .iter()
                        .filter(|s| hay[end..].starts_with(**s))
                        .map(|s| end + s.len()),
                ) {
                    if longest.is_none_or(|l| e > l) && bounds.is_boundary(e) {
                        longest = Some(e);
                    }
                }
                let Some(end) = longest else {
                    continue;
                };
                if !rules.in_compounds && in_compound(hay, i, end) {
                    continue;
                }
                if best.is_none_or(|b| end > b.end) {
                    best = Some(Found {
                        start: i,
                        end,
                        term: pattern.term,
                    });
                }
            }
        }
        best
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
        if let Some(known) = ascii_boundary(hay.as_bytes(), i) {
            return known;
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

/// Whether a UAX #29 word boundary falls at byte `i` (inside the text), when
/// the characters its rules would look at are ASCII; `None` otherwise. For
/// ASCII the rules come down to: no break in CR LF or between two spaces,
/// a break around any other line break, none inside a run of letters,
/// digits and `_`, none around one `:`, `.` or `'` between letters (WB6,
/// WB7) or one `,`, `;`, `.` or `'` between digits (WB11, WB12), and a break
/// everywhere else. A non-ASCII character where a rule looks (a combining
/// mark after the punctuation, a curly apostrophe) leaves it to the
/// segmenter. The property test holds the two to the same answers.
fn ascii_boundary(bytes: &[u8], i: usize) -> Option<bool> {
    let (a, b) = (bytes[i - 1], bytes[i]);
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let line_break = |c: u8| matches!(c, b'\n' | b'\r' | 0x0b | 0x0c);
    if a == b'\r' && b == b'\n' {
        return Some(false);
    }
    if line_break(a) || line_break(b) {
        return Some(true);
    }
    if a == b' ' && b == b' ' || is_word_byte(a) && is_word_byte(b) {
        return Some(false);
    }
    let mid_letter = |c: u8| matches!(c, b':' | b'.' | b'\'');
    let mid_number = |c: u8| matches!(c, b',' | b';' | b'.' | b'\'');
    // One punctuation mark between two letters or two digits: the character
    // on its far side decides, if it is ASCII (the end of the text breaks).
    let far = |at: Option<usize>| -> Option<Option<u8>> {
        match at.and_then(|at| bytes.get(at)) {
            None => Some(None),
            Some(&c) if c.is_ascii() => Some(Some(c)),
            Some(_) => None,
        }
    };
    if a.is_ascii_alphabetic() && mid_letter(b) {
        return Some(!far(Some(i + 1))?.is_some_and(|c| c.is_ascii_alphabetic()));
    }
    if a.is_ascii_digit() && mid_number(b) {
        return Some(!far(Some(i + 1))?.is_some_and(|c| c.is_ascii_digit()));
    }
    if mid_letter(a) && b.is_ascii_alphabetic() {
        return Some(!far(i.checked_sub(2))?.is_some_and(|c| c.is_ascii_alphabetic()));
    }
    if mid_number(a) && b.is_ascii_digit() {
        return Some(!far(i.checked_sub(2))?.is_some_and(|c| c.is_ascii_digit()));
    }
    Some(true)
}

/// Byte offsets where a UAX #29 word boundary falls, sorted, including the end.
fn word_boundaries(hay: &str) -> Vec<usize> {
    let mut out: Vec<usize> = hay.split_word_bound_indices().map(|(i, _)| i).collect();
    out.push(hay.len());
    out
}

#[cfg(test)]
mod tests;
