//! The one backlink list the book writes, wherever it lists the places that
//! point at something: a glossary entry's "Appears in" and "Referenced
//! from", a source's "Cited in", a chapter's and a claim card's "Referenced
//! from". All of them are `backlinks.html` rendering a [`BacklinkList`].
//!
//! The places are grouped by chapter, in book order: one link per chapter
//! (its name), then the sections in it as short links, each section once.
//! The first [`OPEN`] chapters are shown (all of them, up to two more); the
//! next ones, up to [`CAP`] in all, sit in a `<details>` that opens without JavaScript; past the cap the
//! list says how many chapters it leaves out. So the Llama 3 paper's "Cited
//! in" is one line per chapter instead of one link per citation (it was 617
//! links with 224 distinct labels), and a term that appears in 2,000
//! chapters of a synthetic book costs 30 lines, not 2,000.
//!
//! ```html
//! <div class="gloss-backrefs gloss-cited-in">
//! <p class="gloss-backrefs-label">Cited in 7 chapters:</p>
//! <ul class="gloss-backrefs-list">
//! <li><a href="frame.html#gloss-cite-l3-7">The article and its frame</a>: <a href="frame.html#gloss-cite-l3-7">The release</a>, …</li>
//! …
//! </ul>
//! <details class="gloss-backrefs-more"><summary>2 more chapters</summary>
//! <ul class="gloss-backrefs-list">…</ul>
//! </details>
//! </div>
//! ```

use serde::Serialize;

use crate::book::{Book, Link};
use crate::diagnostics::Diagnostic;
use crate::index::{Appearance, Backlink, NO_SECTION};

/// How many chapters a list shows before the rest goes into `<details>`:
/// five lines keep an entry within a phone screen.
pub(crate) const OPEN: usize = 5;

/// How many chapters a list names at most: more than this book has (29;
/// the Llama 3 paper is cited in 27 of them, and `real_book.rs` fails if a
/// list of the book ever reaches the cap, so that none hides a place a
/// reader checks), and few enough that a term mentioned in every chapter of
/// a 2,000-chapter book lists 30 lines, not 2,000 (issue 17's 18 MB
/// glossary page). The chapters left out are found by searching for the
/// term or the source.
pub(crate) const CAP: usize = 30;

/// How many chapter lines a glossary's "Appears in" lists hold together:
/// each entry's list is capped at this divided by the number of entries
/// (at most [`CAP`], at least one chapter). A glossary of up to 100 entries
/// (this book has 96) keeps the cap of 30, one of 1,000 lists 3 chapters
/// per entry, and one of 2,000 the first chapter each term appears in, so
/// that the page stays one a browser opens at once: under 2 MB at issue
/// 17's headline size (2,000 chapters, 2,000 terms), where it was 18 MB.
pub(crate) const APPEARS_IN_LINES: usize = 3_000;

/// The cap on each "Appears in" list of a glossary of `entries` entries.
pub(crate) fn appears_in_cap(entries: usize) -> usize {
    (APPEARS_IN_LINES / entries.max(1)).clamp(1, CAP)
}

/// What a list is of: its class (`gloss-appears-in` …), its label, and the
/// words for an empty list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Where a glossary term appears.
    AppearsIn,
    /// Where a source is cited.
    CitedIn,
    /// Where a chapter, section, entry or claim is cross-referenced.
    ReferencedFrom,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::AppearsIn => "appears-in",
            Kind::CitedIn => "cited-in",
            Kind::ReferencedFrom => "referenced-from",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::AppearsIn => "Appears in",
            Kind::CitedIn => "Cited in",
            Kind::ReferencedFrom => "Referenced from",
        }
    }

    fn none(self) -> &'static str {
        match self {
            Kind::AppearsIn => "no chapter yet",
            Kind::CitedIn | Kind::ReferencedFrom => "nowhere yet",
        }
    }
}

/// One chapter of a list: a link to it, and its sections.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct ChapterLinks {
    /// To the chapter, or to the first place in it.
    pub href: String,
    /// The chapter's name.
    pub title: String,
    /// Its sections, in order, each once: to the section, or to the first
    /// place in it.
    pub sections: Vec<Link>,
}

/// What `backlinks.html` receives.
#[derive(Debug, Serialize)]
pub(crate) struct BacklinkList {
    /// `appears-in`, `cited-in` or `referenced-from`, for the class name.
    kind: &'static str,
    /// "Appears in", "Cited in", "Referenced from".
    label: &'static str,
    /// What an empty list says ("no chapter yet").
    none: &'static str,
    /// How many chapters, listed or not.
    count: usize,
    /// How many are shown before the `<details>`.
    open: usize,
    /// How many the `<details>` summary counts (listed in it or not).
    more: usize,
    /// How many are left out past the cap.
    rest: usize,
    /// The chapters listed, at most [`CAP`].
    chapters: Vec<ChapterLinks>,
}

impl BacklinkList {
    /// The list of `chapters` (grouped, in book order), capped at `cap`.
    pub(crate) fn new(kind: Kind, chapters: Vec<ChapterLinks>, cap: usize) -> BacklinkList {
        let count = chapters.len();
        BacklinkList::counted(kind, chapters, count, cap)
    }

    /// The list of `count` chapters of which `chapters` are the first (at
    /// least as many as `cap`, or all of them).
    fn counted(
        kind: Kind,
        mut chapters: Vec<ChapterLinks>,
        count: usize,
        cap: usize,
    ) -> BacklinkList {
        if count > cap {
            chapters.truncate(cap);
            // A cut list is a sample of where to look, not an account of
            // every place: one line per chapter, without its sections,
            // which made each line of a common term a paragraph.
            for c in &mut chapters {
                c.sections.clear();
            }
        }
        // A `<details>` that would hide one or two lines costs the reader a
        // click to save nothing: up to two more than [`OPEN`], all show.
        let open = if count <= OPEN + 2 { count } else { OPEN };
        BacklinkList {
            kind: kind.class(),
            label: kind.label(),
            none: kind.none(),
            count,
            open,
            more: count - open,
            rest: count - chapters.len(),
            chapters,
        }
    }

    /// Whether it lists nothing.
    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The list as HTML, from `backlinks.html`; `None` without templates.
    pub(crate) fn render(&self, book: &Book<'_>) -> Result<Option<String>, Diagnostic> {
        book.templates()
            .map(|t| t.render("backlinks.html", self))
            .transpose()
    }
}

/// Places as one line per chapter: `places` are (chapter, link to the
/// place, section title), in book order; each chapter links to its first
/// place, each section (named once) to its first place.
/// `name` gives a chapter's name.
pub(crate) fn group<'a>(
    name: impl Fn(usize) -> String,
    places: impl IntoIterator<Item = (usize, String, Option<&'a str>)>,
) -> Vec<ChapterLinks> {
    let mut out: Vec<(usize, ChapterLinks)> = Vec::new();
    for (chapter, href, section) in places {
        if out.last().is_none_or(|(c, _)| *c != chapter) {
            out.push((
                chapter,
                ChapterLinks {
                    href: href.clone(),
                    title: name(chapter),
                    sections: Vec::new(),
                },
            ));
        }
        let sections = &mut out.last_mut().expect("pushed above").1.sections;
        if let Some(title) = section
            && !sections.iter().any(|s| s.text == title)
        {
            sections.push(Link {
                href,
                text: title.to_string(),
            });
        }
    }
    out.into_iter().map(|(_, c)| c).collect()
}

impl Book<'_> {
    /// The places in `list` (citations or cross-references), in book order,
    /// as a list written in chapter `from`.
    pub(crate) fn backlink_list<'a>(
        &self,
        from: usize,
        kind: Kind,
        list: impl IntoIterator<Item = &'a Backlink>,
    ) -> BacklinkList {
        let places = list.into_iter().map(|b| {
            (
                b.chapter,
                self.href(from, b.chapter, Some(&b.anchor)),
                b.section.as_deref(),
            )
        });
        let name = |c: usize| self.chapters[c].name.clone();
        BacklinkList::new(kind, group(name, places), CAP)
    }

    /// Where a term appears (its chapters and their sections), as a list
    /// written in chapter `from`: each chapter and section links to its
    /// heading, mentions having no anchor of their own.
    /// `cap` is [`appears_in_cap`] of the glossary's size.
    pub(crate) fn appears_in(&self, from: usize, list: &[Appearance], cap: usize) -> BacklinkList {
        let by_chapter = list.chunk_by(|a, b| a.0 == b.0);
        let count = by_chapter.clone().count();
        // Only the chapters listed are rendered: a common term of a large
        // book appears in thousands.
        let chapters = by_chapter
            .take(cap)
            .map(|places| {
                let cj = places[0].0 as usize;
                let page = self.href(from, cj, None);
                ChapterLinks {
                    sections: places
                        .iter()
                        .filter(|&&(_, s)| s != NO_SECTION && count <= cap)
                        .map(|&(_, s)| {
                            let h = &self.scans[cj].headings[s as usize];
                            Link {
                                href: format!("{page}#{}", h.id),
                                text: h.title.clone(),
                            }
                        })
                        .collect(),
                    href: page,
                    title: self.chapters[cj].name.clone(),
                }
            })
            .collect();
        BacklinkList::counted(Kind::AppearsIn, chapters, count, cap)
    }

    /// The places that cross-reference any of `ids`, in book order, as a
    /// list written in chapter `from`; empty when the book turned
    /// "Referenced from" off.
    pub(crate) fn referenced_from(&self, from: usize, ids: &[&str]) -> BacklinkList {
        let mut places: Vec<&Backlink> = if self.config.referenced_from {
            ids.iter()
                .filter_map(|id| self.index.referenced_from.get(*id))
                .flatten()
                .collect()
        } else {
            Vec::new()
        };
        // Several targets' backlinks, each list in book order: merged.
        places.sort_by_key(|b| (b.chapter, b.at));
        places.dedup_by_key(|b| (b.chapter, b.at));
        self.backlink_list(from, Kind::ReferencedFrom, places)
    }
}

#[cfg(test)]
mod tests;
