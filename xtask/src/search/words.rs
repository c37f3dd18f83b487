//! Words as mdBook's indexer splits them, and numbers in both their written
//! forms (see the parent module).

use std::borrow::Cow;

/// mdBook's limit: longer words are not indexed.
const MAX_WORD_LENGTH_TO_INDEX: usize = 80;

/// mdBook's tokenizer: words split at whitespace and hyphens, lower-cased,
/// those over [`MAX_WORD_LENGTH_TO_INDEX`] bytes dropped.
pub(super) fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().to_lowercase())
        .filter(|s| s.len() <= MAX_WORD_LENGTH_TO_INDEX)
        .collect()
}

/// [`tokenize`], with each number also in its other written form: `16,000`
/// also as `16000`, and `405000000` (five digits or more, so not a year) also
/// as `405,000,000`. The extra word follows the one it comes from.
pub(super) fn tokenize_with_numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in tokenize(text) {
        let other = other_number_form(&word);
        out.push(word);
        out.extend(other);
    }
    out
}

/// The other written form of the number in `word`, if it has one: see
/// [`tokenize_with_numbers`]. Punctuation around the number is kept, for
/// elasticlunr's trimmer to take off as it does from the word itself.
pub(super) fn other_number_form(word: &str) -> Option<String> {
    let start = word.find(|c: char| c.is_ascii_digit())?;
    let end = word.rfind(|c: char| c.is_ascii_digit())? + 1;
    let number = &word[start..end];
    let (before, after) = (&word[..start], &word[end..]);
    if !number.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    let groups: Vec<&str> = number.split(',').collect();
    let other = if groups.len() > 1 {
        // Only a real thousands grouping: 1 to 3 digits, then groups of 3.
        let first = groups[0].len();
        if !(1..=3).contains(&first) || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
        groups.concat()
    } else if number.len() >= 5 && !number.starts_with('0') {
        let head = number.len() % 3;
        let mut grouped = String::from(&number[..head]);
        for (i, chunk) in number.as_bytes()[head..].chunks(3).enumerate() {
            if head > 0 || i > 0 {
                grouped.push(',');
            }
            grouped.push_str(std::str::from_utf8(chunk).ok()?);
        }
        grouped
    } else {
        return None;
    };
    let other = format!("{before}{other}{after}");
    (other.len() <= MAX_WORD_LENGTH_TO_INDEX).then_some(other)
}

/// mdBook's: runs of two or more whitespace characters become one space.
pub(super) fn collapse_whitespace(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut out = String::new();
    let mut changed = false;
    while let Some(c) = chars.next() {
        if c.is_whitespace() && chars.peek().is_some_and(|n| n.is_whitespace()) {
            while chars.next_if(|n| n.is_whitespace()).is_some() {}
            out.push(' ');
            changed = true;
        } else {
            out.push(c);
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}
