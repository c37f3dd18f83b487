//! Deep links into a source: a reference's `Section URL:` is a pattern such
//! as `https://arxiv.org/html/2407.21783v3#S{1}.SS{2}.SSS{3}`, and a citation
//! whose text names a section (`[§3.2.1, Fig. 2](cite:l3)`) can then link to
//! that section of the source rather than to its first page.
//!
//! `{1}`, `{2}`, … stand for the parts of a section number, each once and in
//! order. A section with fewer parts than the pattern has placeholders ends
//! the address at its last part (§3.2 gives `…#S3.SS2`); a section with more
//! parts links to the deepest section the pattern can name (§3.2.1.4 with
//! the pattern above gives `…#S3.SS2.SSS1`). Only numbered sections link: an
//! appendix letter or a licence clause such as §1.b.i names no number the
//! pattern could fill, so such a citation links to the references page alone.
//!
//! `gloss.js` expands the same pattern for a citation's preview: keep the two
//! in step (`sectionUrl` there).

use std::fmt;

/// A section number, compared part by part (so §3.10 follows §3.9).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Section(Vec<u32>);

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("§")?;
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

/// The sections a citation's text names, in the order written:
/// `§4.1.3, §4.2.2` names two, `Table 2` none. A number is digits separated
/// by single dots, each part at most nine digits; a dot that ends it (the end
/// of a sentence) is not part of it, nor is a letter after it (`§1.b.i` is
/// §1).
pub(crate) fn sections_in(text: &str) -> Vec<Section> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('§') {
        let rest = text[at + '§'.len_utf8()..].trim_start_matches([' ', '\u{a0}']);
        let mut parts = Vec::new();
        for part in rest.split('.') {
            let digits = part.bytes().take_while(u8::is_ascii_digit).count();
            // Ten digits is no section number anyone writes (and gloss.js
            // reads at most nine).
            if !(1..=9).contains(&digits) {
                break;
            }
            let n: u32 = part[..digits].parse().expect("one to nine ASCII digits");
            parts.push(n);
            if digits < part.len() {
                break;
            }
        }
        if !parts.is_empty() {
            out.push(Section(parts));
        }
    }
    out
}

/// Why `pattern` is not a usable `Section URL:`, if it is not. The address
/// itself is checked as any `URL:` is, by the caller.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    let mut expected = 1u32;
    let mut rest = pattern;
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open..];
        if after.starts_with('}') {
            return Err("a `}` without its `{`".into());
        }
        let Some(close) = after.find('}') else {
            return Err("a `{` that is not closed".into());
        };
        let inside = &after[1..close];
        if inside != expected.to_string() {
            return Err(format!(
                "`{{{inside}}}` where `{{{expected}}}` was expected: the placeholders are {{1}}, {{2}}, … in order, each once"
            ));
        }
        expected += 1;
        rest = &after[close + 1..];
    }
    if expected == 1 {
        return Err("no `{1}` for the section number to fill".into());
    }
    Ok(())
}

/// The address of `section` in a source whose `Section URL:` is `pattern`
/// (already [`check`]ed).
pub(crate) fn link(pattern: &str, section: &Section) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut rest = pattern;
    for (i, part) in section.0.iter().enumerate() {
        let placeholder = format!("{{{}}}", i + 1);
        let Some(at) = rest.find(&placeholder) else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(&part.to_string());
        rest = &rest[at + placeholder.len()..];
    }
    // What follows the last placeholder filled belongs to the deeper parts,
    // unless no deeper part is left in the pattern.
    if !rest.contains('{') {
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARXIV: &str = "https://arxiv.org/html/2407.21783v3#S{1}.SS{2}.SSS{3}";

    fn names(text: &str) -> Vec<String> {
        sections_in(text).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_the_sections_a_citation_names() {
        assert_eq!(names("§3.2.1"), ["§3.2.1"]);
        assert_eq!(names("§3.2.1, Fig. 2"), ["§3.2.1"]);
        assert_eq!(names("§4.1.3, §4.2.2"), ["§4.1.3", "§4.2.2"]);
        assert_eq!(names("§\u{a0}10."), ["§10"]);
        assert_eq!(names("§1.b.i"), ["§1"]);
        assert_eq!(names("Table 2"), Vec::<String>::new());
        assert_eq!(names("§A.1, §, §x"), Vec::<String>::new());
        assert_eq!(names("§1234567890"), Vec::<String>::new());
        assert_eq!(names("§3.1234567890"), ["§3"]);
        assert_eq!(names("§007.1"), ["§7.1"]);
    }

    #[test]
    fn sections_sort_by_number() {
        let mut s = sections_in("§3.10 §3.9 §3 §10 §3.2.1");
        s.sort();
        let s: Vec<String> = s.iter().map(ToString::to_string).collect();
        assert_eq!(s, ["§3", "§3.2.1", "§3.9", "§3.10", "§10"]);
    }

    #[test]
    fn links_to_the_deepest_section_the_pattern_names() {
        let at = |t: &str| link(ARXIV, &sections_in(t)[0]);
        assert_eq!(
            at("§3.3.4"),
            "https://arxiv.org/html/2407.21783v3#S3.SS3.SSS4"
        );
        assert_eq!(at("§3.2"), "https://arxiv.org/html/2407.21783v3#S3.SS2");
        assert_eq!(at("§6"), "https://arxiv.org/html/2407.21783v3#S6");
        assert_eq!(
            at("§3.2.1.4"),
            "https://arxiv.org/html/2407.21783v3#S3.SS2.SSS1"
        );
        // A suffix after the last placeholder stays when every part is filled.
        let page = "https://example.org/ch{1}/s{2}.html";
        assert_eq!(
            link(page, &sections_in("§2.5")[0]),
            "https://example.org/ch2/s5.html"
        );
        assert_eq!(link(page, &sections_in("§2")[0]), "https://example.org/ch2");
    }

    #[test]
    fn a_pattern_has_numbered_placeholders_in_order() {
        assert_eq!(check(ARXIV), Ok(()));
        assert_eq!(check("https://e.org/s{1}.html"), Ok(()));
        for bad in [
            "https://e.org/",
            "https://e.org/#{2}",
            "https://e.org/#{1}.{1}",
            "https://e.org/#{1}.{3}",
            "https://e.org/#{section}",
            "https://e.org/#{1",
            "https://e.org/#1}",
            "https://e.org/#{1}}",
        ] {
            assert!(check(bad).is_err(), "{bad} passed");
        }
    }
}
