//! Cross-references: `[text](xref:id)` or `<xref:id>` links to any chapter,
//! heading, glossary entry, claim or source of the book (`xref.html`), and
//! each chapter's "Referenced from" list of the places that refer to it or
//! to its sections (`backlinks.html`, after the chapter's content). The
//! index resolves the ids and keeps the backlinks. Each page also carries,
//! once per distinct target, a preview of it (`xref-previews.html`: its part
//! and chapter, title and first paragraph) that gloss.js shows on hover,
//! focus or tap with the glossary callouts' popover.
//!
//! ```markdown
//! see <xref:stability>.
//! ```
//! becomes
//! ```markdown
//! see <a class="gloss-xref" id="gloss-xref-stability-1" href="decision-1/stability.html">Decision 1 › The stability argument</a>.
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};

use mdbook_markdown::pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use serde::Serialize;

use crate::book::{Book, LinkOut};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::markdown::parse;
use crate::scan::RefKind;

/// The edits for cross-reference `ri` of chapter `ci`.
pub(crate) fn link(
    book: &Book<'_>,
    ci: usize,
    ri: usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let r = &book.scans[ci].refs[ri];
    let target = &book.index.targets[&r.target];
    let out = LinkOut {
        template: "xref.html",
        href: book.href(ci, target.chapter, target.fragment.as_deref()),
        fill: &target.title,
        short: None,
    };
    book.link_edits(ci, ri, &out, edits)
}

/// Chapter `ci`'s "Referenced from": the places that refer to the chapter
/// or to any of its headings, grouped by the chapter they are in, or `None`
/// when nothing does. The glossary and references pages list what refers to
/// each entry in the entry, so theirs counts the page's title alone; a
/// claim's card lists its own.
///
/// It goes after the chapter's content, not under the title: there it was
/// the first thing a reader met, above the first paragraph (six links in the
/// IsoFLOP chapter), and moved the text down when the fonts arrived.
pub(crate) fn referenced_from(book: &Book<'_>, ci: usize) -> Result<Option<String>, Diagnostic> {
    let own_entries = Some(ci) == book.glossary_chapter || Some(ci) == book.references_chapter;
    let ids: Vec<&str> = book.scans[ci]
        .headings
        .iter()
        .enumerate()
        .filter(|&(hi, h)| {
            if own_entries && hi > 0 {
                return false;
            }
            hi == 0 && h.level == 1
                || h.explicit
                || book
                    .index
                    .targets
                    .get(&h.id)
                    .is_some_and(|t| t.chapter == ci)
        })
        .map(|(_, h)| h.id.as_str())
        .collect();
    let list = book.referenced_from(ci, &ids);
    if list.is_empty() {
        return Ok(None);
    }
    list.render(book)
}

/// How much of a target's first paragraph a preview shows, in characters:
/// about seven lines of the popover on a 320 px phone. A whole paragraph
/// (some run past 1,000 characters) covered the text the reader was in.
const PREVIEW_CHARS: usize = 280;

/// What a cross-reference's preview shows of its target: where it is (the
/// part and chapter), its own title, and the start of its first paragraph,
/// as plain text. The templates' escaping seals it like any author text.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Preview {
    /// "Decision 1 › Dense transformer or mixture of experts"; the part
    /// alone for a chapter, empty for a chapter in no part.
    pub context: String,
    /// The heading, chapter name or "Claim C16".
    pub title: String,
    /// The first paragraph after the target's heading or marker.
    pub text: String,
}

/// The previews of every target the book's cross-references name, each
/// computed once for the book (a target is named from many pages).
#[derive(Default)]
pub(crate) struct Previews {
    by_id: HashMap<String, Preview>,
}

/// What `xref-previews.html` receives: each distinct target the page's
/// cross-references name, once, keyed by the `href` its links carry.
#[derive(Serialize)]
struct PreviewList<'a> {
    previews: Vec<PreviewItem<'a>>,
}

#[derive(Serialize)]
struct PreviewItem<'a> {
    href: String,
    #[serde(flatten)]
    preview: &'a Preview,
}

impl Previews {
    /// The previews of the targets of `book`'s cross-references (none for
    /// Markdown output, which has no popovers). Each chapter with a target
    /// is parsed once.
    pub(crate) fn new(book: &Book<'_>) -> Previews {
        let mut previews = Previews::default();
        if !book.html() {
            return previews;
        }
        let mut by_chapter: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for id in book.index.referenced_from.keys() {
            if let Some(t) = book.index.targets.get(id) {
                by_chapter.entry(t.chapter).or_default().push(id);
            }
        }
        let title_of = |id: &str| book.index.targets.get(id).map(|t| t.title.as_str());
        for (chapter, ids) in by_chapter {
            let ch = &book.chapters[chapter];
            let ats: Vec<usize> = ids
                .iter()
                .map(|id| book.index.targets[*id].defined_end())
                .collect();
            // Each paragraph alone where that reads as the chapter does;
            // the chapter parsed again only for the targets left.
            let scan = &book.scans[chapter];
            let mut texts: Vec<Option<String>> = ats
                .iter()
                .map(|&at| first_paragraph_alone(&ch.content, scan, at, &title_of))
                .collect();
            // Debug builds (the tests, the fuzz target) hold each short way
            // to the whole chapter's reading.
            #[cfg(debug_assertions)]
            for (k, full) in first_paragraphs(&ch.content, &ats, &title_of)
                .into_iter()
                .enumerate()
            {
                if let Some(alone) = &texts[k] {
                    assert_eq!(
                        alone, &full,
                        "{}: the paragraph after {} read alone",
                        ch.display, ats[k]
                    );
                }
            }
            let left: Vec<usize> = (0..ats.len()).filter(|&k| texts[k].is_none()).collect();
            if !left.is_empty() {
                let at_left: Vec<usize> = left.iter().map(|&k| ats[k]).collect();
                for (k, text) in
                    left.into_iter()
                        .zip(first_paragraphs(&ch.content, &at_left, &title_of))
                {
                    texts[k] = Some(text);
                }
            }
            let texts = texts.into_iter().map(Option::unwrap_or_default);
            for (id, text) in ids.into_iter().zip(texts) {
                let t = &book.index.targets[id];
                let (context, title) = match &t.fragment {
                    None => (
                        ch.short_part().unwrap_or_default().to_string(),
                        ch.name.clone(),
                    ),
                    Some(_) => (
                        ch.long_title(),
                        t.title
                            .strip_prefix(&format!("{} › ", ch.name))
                            .unwrap_or(&t.title)
                            .to_string(),
                    ),
                };
                let text = shorten(&text);
                previews.by_id.insert(
                    id.to_string(),
                    Preview {
                        context,
                        title,
                        text,
                    },
                );
            }
        }
        previews
    }

    /// The page's store of previews (`xref-previews.html`): one entry per
    /// distinct target its cross-references name, in order of first use,
    /// or `None` when it has none. gloss.js finds a link's entry by its
    /// `href`; the text sits in attributes, out of mdBook's search index
    /// (which reads text nodes) and out of print.
    pub(crate) fn render(&self, book: &Book<'_>, ci: usize) -> Result<Option<String>, Diagnostic> {
        let Some(t) = book.templates() else {
            return Ok(None);
        };
        let mut seen = HashSet::new();
        let mut previews = Vec::new();
        for r in book.scans[ci]
            .refs
            .iter()
            .filter(|r| r.kind == RefKind::Xref)
        {
            let (Some(target), Some(preview)) =
                (book.index.targets.get(&r.target), self.by_id.get(&r.target))
            else {
                continue;
            };
            let href = book.href(ci, target.chapter, target.fragment.as_deref());
            if seen.insert(href.clone()) {
                previews.push(PreviewItem { href, preview });
            }
        }
        if previews.is_empty() {
            return Ok(None);
        }
        t.render("xref-previews.html", &PreviewList { previews })
            .map(Some)
    }
}

/// For each offset in `ats`, the plain text of the first paragraph that
/// follows it in the chapter `text` (a claim's text starts in the paragraph
/// of its marker, so only what follows the offset counts), in one parse of
/// the chapter however many targets it holds. Paragraphs in list items are
/// passed over (a glossary entry's fields). A citation or figure inside it
/// is left out, as a reader skips a parenthesis; `<xref:id>` reads as its
/// target's title.
fn first_paragraphs<'t>(
    text: &str,
    ats: &[usize],
    title_of: &dyn Fn(&str) -> Option<&'t str>,
) -> Vec<String> {
    let mut readings: Vec<Reading> = ats.iter().map(|&at| Reading::new(at)).collect();
    let mut left = readings.len();
    // Where the text is, which every reading shares: it depends on the
    // events alone.
    let (mut items, mut in_paragraph) = (0usize, false);
    for (event, range) in parse(text) {
        if left == 0 {
            break;
        }
        match &event {
            Event::Start(Tag::Item) => items += 1,
            Event::End(TagEnd::Item) => items = items.saturating_sub(1),
            Event::Start(Tag::Paragraph) if items == 0 => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if in_paragraph => {
                in_paragraph = false;
                for r in readings.iter_mut().filter(|r| !r.done) {
                    if !r.out.trim().is_empty() {
                        r.done = true;
                        left -= 1;
                    }
                }
            }
            _ if !in_paragraph => {}
            _ => {
                for r in readings
                    .iter_mut()
                    .filter(|r| !r.done && range.start >= r.at)
                {
                    r.read(&event, title_of);
                }
            }
        }
    }
    readings.into_iter().map(|r| tidy(&r.out)).collect()
}

/// [`first_paragraphs`] for one target, from the paragraphs the scan
/// found, each parsed alone: `None` where that might read otherwise than the
/// whole chapter, which is then parsed. A paragraph that no block holds
/// reads alone as in its chapter, given the chapter's link reference
/// definitions; one in a quote or a footnote does not (its lines carry the
/// quote's `>`), nor one with a footnote reference, nor the paragraph a
/// claim's marker (the target) stands in.
fn first_paragraph_alone<'t>(
    text: &str,
    scan: &crate::scan::Scan,
    at: usize,
    title_of: &dyn Fn(&str) -> Option<&'t str>,
) -> Option<String> {
    let definitions = scan.paragraphs.definitions.as_deref()?;
    let from = scan
        .paragraphs
        .list
        .partition_point(|p| (p.start as usize) < at);
    // The target inside a paragraph: its reading starts mid-paragraph.
    if from > 0 && scan.paragraphs.list[from - 1].end as usize > at {
        return None;
    }
    let mut reading = Reading::new(0);
    for p in &scan.paragraphs.list[from..] {
        let source = &text[p.range()];
        if !p.plain || source.contains("[^") {
            return None;
        }
        let alone = format!("{source}\n\n{definitions}");
        let mut events = parse(&alone);
        // Alone it must still be one paragraph, the whole of it.
        match events.next() {
            Some((Event::Start(Tag::Paragraph), r)) if r.start == 0 => {}
            _ => return None,
        }
        for (event, r) in events {
            match event {
                Event::End(TagEnd::Paragraph) if r.end >= source.trim_end().len() => break,
                _ if r.end > source.len() => return None,
                Event::Start(tag) if !crate::markdown::is_inline(&tag) => return None,
                Event::End(TagEnd::Paragraph) => return None,
                event => reading.read(&event, title_of),
            }
        }
        if !reading.out.trim().is_empty() {
            return Some(tidy(&reading.out));
        }
    }
    Some(tidy(&reading.out))
}

/// One target's paragraph, as it is read.
struct Reading {
    /// Where the target ends: only what follows counts.
    at: usize,
    out: String,
    skipped_links: usize,
    done: bool,
}

impl Reading {
    fn new(at: usize) -> Reading {
        Reading {
            at,
            out: String::new(),
            skipped_links: 0,
            done: false,
        }
    }

    /// One event of a paragraph.
    fn read<'t>(&mut self, event: &Event<'_>, title_of: &dyn Fn(&str) -> Option<&'t str>) {
        match event {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                let dest = dest_url.to_ascii_lowercase();
                if self.skipped_links > 0
                    || dest.starts_with("cite:")
                    || dest.starts_with("figure:")
                {
                    self.skipped_links += 1;
                } else if let (Some(id), LinkType::Autolink) =
                    (dest_url.strip_prefix("xref:"), link_type)
                {
                    self.out.push_str(title_of(id).unwrap_or(id));
                    self.skipped_links += 1;
                }
            }
            Event::End(TagEnd::Link) if self.skipped_links > 0 => self.skipped_links -= 1,
            _ if self.skipped_links > 0 => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => self.out.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.out.push(' '),
            _ => {}
        }
    }
}

/// A paragraph's text as a preview shows it: white space collapsed, no gap
/// where a citation was left out, no claim marker.
fn tidy(out: &str) -> String {
    let mut text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // Where a citation was left out: "training [§3](cite:l3)." and
    // "design ([§1](cite:l3))" leave a space before the stop and an empty
    // parenthesis.
    for (gap, closed) in [("( ", "("), (" )", ")"), (" ()", ""), ("()", "")]
        .into_iter()
        .chain([" .", " ,", " ;", " :"].map(|p| (p, &p[1..])))
    {
        text = text.replace(gap, closed);
    }
    // A claim's or verdict's marker, `[!CLAIM C16 ¶7]`, when the target
    // is the heading right above it.
    match text
        .strip_prefix("[!")
        .and_then(|rest| rest.split_once(']'))
    {
        Some((_, rest)) => rest.trim_start().to_string(),
        None => text,
    }
}

/// `text`, cut at a word before [`PREVIEW_CHARS`] characters with an
/// ellipsis, when it is longer.
fn shorten(text: &str) -> String {
    if text.chars().count() <= PREVIEW_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(PREVIEW_CHARS).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', ' ', '(', '—', '–'])
    )
}

#[cfg(test)]
mod tests;
