//! The whole-book index, built before any chapter changes: every id a
//! cross-reference can name, every use of one, and every aggregate the
//! rendering reads (backlinks, where each term appears, figure numbers), each
//! computed once. It knows the features only through what they register:
//! targets (claims) and the ids each kind of link can name.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::chapter::Chapter;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::references::sections::{Section, sections_in};
use crate::scan::{RefKind, Scan};

/// Something a cross-reference can point at.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Index of its chapter.
    pub chapter: usize,
    /// Its fragment in the page; `None` for a whole chapter.
    pub fragment: Option<String>,
    /// The text a link with no text of its own shows.
    pub title: String,
    /// Where it is defined: chapter and byte range, for duplicate errors.
    origin: (usize, Range<usize>),
}

impl Target {
    /// A target in chapter `chapter`, defined at `origin` in its source.
    pub(crate) fn new(
        chapter: usize,
        fragment: Option<String>,
        title: String,
        origin: Range<usize>,
    ) -> Target {
        Target {
            chapter,
            fragment,
            title,
            origin: (chapter, origin),
        }
    }
}

impl Target {
    /// Where its definition (a heading, a claim's marker) ends in its
    /// chapter's source: a preview starts with the text after it.
    pub(crate) fn defined_end(&self) -> usize {
        self.origin.1.end
    }
}

/// The ids that `cite:`, glossary and `figure:` links can name, as the
/// features that own them list them (in their files' order, which is the
/// order suggestions are offered in).
#[derive(Debug, Default)]
pub(crate) struct Ids<'a> {
    /// The references' ids.
    pub cite: Vec<&'a str>,
    /// The glossary entries' ids.
    pub term: Vec<&'a str>,
    /// The figures' names.
    pub figure: Vec<&'a str>,
}

/// The chapters that are the glossary and the references pages, if the book has them.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct EntryPages {
    /// The glossary page.
    pub glossary: Option<usize>,
    /// The references page.
    pub references: Option<usize>,
}

impl EntryPages {
    fn contains(&self, chapter: usize) -> bool {
        self.glossary == Some(chapter) || self.references == Some(chapter)
    }
}

/// Where a term appears: a chapter and the section there (a position in
/// the chapter's scan's headings; [`NO_SECTION`] before the first), in book
/// order, each once. Positions rather than copies of ids and titles, and one
/// flat list rather than one per chapter: a term of a large book appears in
/// thousands of sections, and the lists are rendered only up to a cap.
pub(crate) type Appearance = (u32, u32);

/// An [`Appearance`] before the chapter's first section.
pub(crate) const NO_SECTION: u32 = u32::MAX;

/// A place that refers to a target.
#[derive(Debug, Clone)]
pub(crate) struct Backlink {
    /// Index of the referring chapter.
    pub chapter: usize,
    /// The HTML id of the referring link.
    pub anchor: String,
    /// Title of the section the link stands in, if not the chapter's own.
    pub section: Option<String>,
    /// Where the link starts in the referring chapter's source: the order
    /// of backlinks to several targets merged into one list.
    pub at: usize,
}

/// The index.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Targets by id.
    pub targets: HashMap<String, Target>,
    /// For each chapter, for each of its refs: the anchor of the rendered link.
    pub anchors: Vec<Vec<String>>,
    /// For each xref target id: who refers to it, in book order.
    pub referenced_from: HashMap<String, Vec<Backlink>>,
    /// For each reference id: who cites it, in book order.
    pub cited_in: HashMap<String, Vec<Backlink>>,
    /// For each reference id: the numbered sections its citations name
    /// (`[§3.2.1](cite:l3)`), each once, in order of number.
    pub sections_cited: HashMap<String, BTreeSet<Section>>,
    /// For each glossary term (by position): the chapters and sections that
    /// mention it or link to it, the glossary and references pages left out.
    pub appears_in: HashMap<usize, Vec<Appearance>>,
    /// For each chapter, for each of its refs: the figure's number in the
    /// book, counting from 1 (0 for a ref that is not a figure).
    pub figure_numbers: Vec<Vec<usize>>,
    /// The glossary's term positions by id (the first entry with that id).
    terms: HashMap<String, usize>,
    /// The glossary and references chapters, which check their own ids.
    pub pages: EntryPages,
}

impl Index {
    /// Collects targets (headings, then what each chapter's features
    /// registered in `registered`), reporting duplicate ids, then resolves
    /// every use.
    pub(crate) fn build(
        chapters: &[Chapter],
        scans: &[Scan],
        registered: Vec<Vec<(String, Target)>>,
        ids: &Ids<'_>,
        pages: EntryPages,
        diags: &mut Diagnostics,
    ) -> Index {
        let mut index = Index {
            pages,
            ..Index::default()
        };
        for (i, id) in ids.term.iter().enumerate() {
            index.terms.entry((*id).to_string()).or_insert(i);
        }
        let mut registered = registered.into_iter();
        let mut derived: HashMap<String, Option<Target>> = HashMap::new();
        for (ci, (chapter, scan)) in chapters.iter().zip(scans).enumerate() {
            for (hi, h) in scan.headings.iter().enumerate() {
                let is_title = hi == 0 && h.level == 1;
                let target = Target {
                    chapter: ci,
                    fragment: (!is_title).then(|| h.id.clone()),
                    title: if is_title {
                        chapter.long_title()
                    } else {
                        format!("{} › {}", chapter.name, h.title)
                    },
                    origin: (ci, h.range.clone()),
                };
                if h.explicit {
                    index.add(&h.id, target, chapters, diags);
                } else if h.id.is_empty() {
                    // A heading of punctuation alone derives no id; `<xref:>`
                    // must stay an unknown id, not find it (fuzz crash
                    // `empty-xref-to-a-heading-without-id`).
                } else {
                    // A derived id is a target only while no other heading derives it too.
                    match derived.entry(h.id.clone()) {
                        Entry::Occupied(mut e) => {
                            e.insert(None);
                        }
                        Entry::Vacant(e) => {
                            e.insert(Some(target));
                        }
                    }
                }
            }
            for (id, target) in registered.next().unwrap_or_default() {
                index.add(&id, target, chapters, diags);
            }
        }
        for (id, target) in derived {
            if let Some(target) = target {
                index.targets.entry(id).or_insert(target);
            }
        }
        index.resolve(chapters, scans, ids, diags);
        index.appears_in = index.appearances(scans);
        index
    }

    /// The position of the glossary term with this id.
    pub(crate) fn term(&self, id: &str) -> Option<usize> {
        self.terms.get(id).copied()
    }

    /// Mentions and forced callouts by term: chapter → sections, in book
    /// order, the entry pages left out. A term's "Appears in" is where the
    /// book uses it. The glossary is where it is defined; the references
    /// page mentions terms only in its sources' titles and in its notes on
    /// what each source is ("the chapters on pre-training data"): listed
    /// under 45 terms, it was a place a reader went to and found a
    /// bibliography.
    fn appearances(&self, scans: &[Scan]) -> HashMap<usize, Vec<Appearance>> {
        let mut appears: HashMap<usize, Vec<Appearance>> = HashMap::new();
        for (cj, scan) in scans.iter().enumerate() {
            if self.pages.contains(cj) {
                continue;
            }
            let forced = scan
                .refs
                .iter()
                .filter(|r| r.kind == RefKind::Term)
                .filter_map(|r| Some((self.term(&r.target)?, r.section)));
            for (term, section) in scan
                .mentions
                .iter()
                .map(|m| (m.term, m.section))
                .chain(forced)
            {
                let list = appears.entry(term).or_default();
                let chapter = u32::try_from(cj).expect("fewer than 2^32 chapters");
                let section = section
                    .filter(|&s| scan.headings[s].level > 1)
                    .map_or(NO_SECTION, |s| {
                        u32::try_from(s).expect("fewer than 2^32 headings")
                    });
                // In the chapter already, in this section or without one.
                let seen = list
                    .iter()
                    .rev()
                    .take_while(|(c, _)| *c == chapter)
                    .any(|&(_, o)| {
                        section == NO_SECTION
                            || o == section
                            || (o != NO_SECTION
                                && scan.headings[o as usize].id
                                    == scan.headings[section as usize].id)
                    });
                if !seen {
                    list.push((chapter, section));
                }
            }
        }
        appears
    }

    fn add(&mut self, id: &str, target: Target, chapters: &[Chapter], diags: &mut Diagnostics) {
        match self.targets.get(id) {
            // Two entries of the glossary or the references with one id: that
            // page's own check has said so, in its own words.
            Some(first)
                if first.origin.0 == target.origin.0 && self.pages.contains(first.origin.0) => {}
            Some(first) => {
                let (fc, fr) = &first.origin;
                let first_at =
                    Location::new(&chapters[*fc].display, &chapters[*fc].content, fr.clone());
                let (ci, range) = &target.origin;
                diags.push(
                    Diagnostic::error(format!("duplicate id `{id}`"))
                        .at(Location::new(&chapters[*ci].display, &chapters[*ci].content, range.clone()))
                        .label(format!("already used at {}:{}:{}", first_at.path, first_at.line, first_at.column))
                        .help("ids are shared by the whole book: chapters, headings, glossary entries, claims and references"),
                );
            }
            None => {
                self.targets.insert(id.to_string(), target);
            }
        }
    }

    fn resolve(
        &mut self,
        chapters: &[Chapter],
        scans: &[Scan],
        ids: &Ids<'_>,
        diags: &mut Diagnostics,
    ) {
        let cites: std::collections::HashSet<&str> = ids.cite.iter().copied().collect();
        let figure_names: std::collections::HashSet<&str> = ids.figure.iter().copied().collect();
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut figures = 0;
        for (ci, (chapter, scan)) in chapters.iter().zip(scans).enumerate() {
            let mut anchors = Vec::with_capacity(scan.refs.len());
            let mut numbers = Vec::with_capacity(scan.refs.len());
            for r in &scan.refs {
                numbers.push(match r.kind {
                    RefKind::Figure => {
                        figures += 1;
                        figures
                    }
                    _ => 0,
                });
                let at = || Location::new(&chapter.display, &chapter.content, r.range.clone());
                let section = r
                    .section
                    .filter(|&s| scan.headings[s].level > 1)
                    .map(|s| scan.headings[s].title.clone());
                let (known, prefix) = match r.kind {
                    RefKind::Xref => (self.targets.contains_key(&r.target), "xref"),
                    RefKind::Cite => (cites.contains(r.target.as_str()), "cite"),
                    RefKind::Term => (self.terms.contains_key(&r.target), "term"),
                    RefKind::Figure => (figure_names.contains(r.target.as_str()), "figure"),
                };
                if !known {
                    let (what, label, known_ids): (&str, &str, Vec<&str>) = match r.kind {
                        RefKind::Xref => (
                            "cross-reference id",
                            "no chapter, heading, glossary entry, claim or reference has this id",
                            self.targets.keys().map(String::as_str).collect(),
                        ),
                        RefKind::Cite => (
                            "reference id",
                            "no entry in the references chapter has this id",
                            ids.cite.clone(),
                        ),
                        RefKind::Term => (
                            "glossary entry",
                            "the glossary has no entry with this id",
                            ids.term.clone(),
                        ),
                        RefKind::Figure => (
                            "figure",
                            "no data file `src/data/<name>.toml` has this name",
                            ids.figure.clone(),
                        ),
                    };
                    if r.target.is_empty() {
                        diags.push(
                            Diagnostic::error(format!("a {what} is missing"))
                                .at(at())
                                .label(format!("nothing follows `{prefix}:`"))
                                .help(format!(
                                    "write it after the colon, as in `{prefix}:{}`",
                                    if r.kind == RefKind::Figure {
                                        "name"
                                    } else {
                                        "some-id"
                                    }
                                )),
                        );
                        anchors.push(String::new());
                        continue;
                    }
                    let mut d = Diagnostic::error(format!("unknown {what} `{}`", r.target))
                        .at(at())
                        .label(label);
                    d = d.help(match suggest(&r.target, known_ids) {
                        Some(s) => s,
                        None => match r.kind {
                            RefKind::Xref => "give the target an id (`## Heading {#id}`), or name a glossary entry, claim (`c17`) or reference by its id".to_string(),
                            RefKind::Cite => "add the source to the references chapter as `## Title {#id}`, or use an id listed there".to_string(),
                            RefKind::Term => "link to an entry of the glossary by the id in its heading (`## Term {#id}`)".to_string(),
                            RefKind::Figure => "add the data file `src/data/<name>.toml`, or use the name of one that exists".to_string(),
                        },
                    });
                    diags.push(d);
                    anchors.push(String::new());
                    continue;
                }
                let n = counts.entry(format!("{prefix}:{}", r.target)).or_insert(0);
                *n += 1;
                let anchor = format!("gloss-{prefix}-{}-{n}", r.target);
                let backlink = Backlink {
                    chapter: ci,
                    anchor: anchor.clone(),
                    section,
                    at: r.range.start,
                };
                match r.kind {
                    RefKind::Xref => self
                        .referenced_from
                        .entry(r.target.clone())
                        .or_default()
                        .push(backlink),
                    RefKind::Cite => {
                        if let Some(text) = &r.text {
                            let named = sections_in(&chapter.content[text.clone()]);
                            if !named.is_empty() {
                                self.sections_cited
                                    .entry(r.target.clone())
                                    .or_default()
                                    .extend(named);
                            }
                        }
                        self.cited_in
                            .entry(r.target.clone())
                            .or_default()
                            .push(backlink);
                    }
                    RefKind::Term | RefKind::Figure => {}
                }
                anchors.push(anchor);
            }
            self.anchors.push(anchors);
            self.figure_numbers.push(numbers);
        }
    }
}
