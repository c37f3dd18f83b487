//! The whole-book index, built before any chapter changes: every id a
//! cross-reference can name, every use of one, and so the backlinks.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::Range;

use crate::claims::Claim;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::figures::Figures;
use crate::references::References;
use crate::scan::{RefKind, Scan};
use crate::terms::Glossary;

/// A chapter of the book, in book order.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Path inside `src/`, with `/`.
    pub path: String,
    /// Path as a writer knows it, for diagnostics: `src/…`.
    pub display: String,
    /// Its name in SUMMARY.md.
    pub name: String,
    /// The part it belongs to, if any.
    pub part: Option<String>,
    /// Its Markdown, after mdBook's `links` preprocessor.
    pub content: String,
}

impl Chapter {
    /// "Decision 2 › The two-step forecast": the part's short name (up to a
    /// colon) and the chapter's name.
    pub fn long_title(&self) -> String {
        match &self.part {
            Some(part) => format!(
                "{} › {}",
                part.split(':').next().unwrap_or(part).trim(),
                self.name
            ),
            None => self.name.clone(),
        }
    }
}

/// Something a cross-reference can point at.
#[derive(Debug, Clone)]
pub struct Target {
    /// Index of its chapter.
    pub chapter: usize,
    /// Its fragment in the page; `None` for a whole chapter.
    pub fragment: Option<String>,
    /// The text a link with no text of its own shows.
    pub title: String,
    /// Where it is defined: chapter and byte range, for duplicate errors.
    origin: (usize, Range<usize>),
}

/// A place that refers to a target.
#[derive(Debug, Clone)]
pub struct Backlink {
    /// Index of the referring chapter.
    pub chapter: usize,
    /// The HTML id of the referring link.
    pub anchor: String,
    /// Title of the section the link stands in, if not the chapter's own.
    pub section: Option<String>,
}

/// The index.
#[derive(Debug, Default)]
pub struct Index {
    /// Targets by id.
    pub targets: HashMap<String, Target>,
    /// For each chapter, for each of its refs: the anchor of the rendered link.
    pub anchors: Vec<Vec<String>>,
    /// For each xref target id: who refers to it, in book order.
    pub referenced_from: HashMap<String, Vec<Backlink>>,
    /// For each reference id: who cites it, in book order.
    pub cited_in: HashMap<String, Vec<Backlink>>,
    /// The glossary and references chapters, which check their own ids.
    entry_pages: Vec<usize>,
}

impl Index {
    /// Collects targets, reporting duplicate ids, then resolves every use.
    #[allow(
        clippy::too_many_arguments,
        reason = "the book's parts, each read once"
    )]
    pub fn build(
        chapters: &[Chapter],
        scans: &[Scan],
        claims: &[Vec<Claim>],
        glossary: &Glossary,
        references: &References,
        figures: &Figures,
        entry_pages: &[usize],
        diags: &mut Diagnostics,
    ) -> Index {
        let mut index = Index {
            entry_pages: entry_pages.to_vec(),
            ..Index::default()
        };
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
            for claim in &claims[ci] {
                let target = Target {
                    chapter: ci,
                    fragment: Some(claim.anchor()),
                    title: format!("Claim {}", claim.id),
                    origin: (ci, claim.marker.clone()),
                };
                index.add(&claim.xref_id(), target, chapters, diags);
            }
        }
        for (id, target) in derived {
            if let Some(target) = target {
                index.targets.entry(id).or_insert(target);
            }
        }
        index.resolve(chapters, scans, glossary, references, figures, diags);
        index
    }

    fn add(&mut self, id: &str, target: Target, chapters: &[Chapter], diags: &mut Diagnostics) {
        match self.targets.get(id) {
            // Two entries of the glossary or the references with one id: that
            // page's own check has said so, in its own words.
            Some(first)
                if first.origin.0 == target.origin.0
                    && self.entry_pages.contains(&first.origin.0) => {}
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
        glossary: &Glossary,
        references: &References,
        figures: &Figures,
        diags: &mut Diagnostics,
    ) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (ci, (chapter, scan)) in chapters.iter().zip(scans).enumerate() {
            let mut anchors = Vec::with_capacity(scan.refs.len());
            for r in &scan.refs {
                let at = || Location::new(&chapter.display, &chapter.content, r.range.clone());
                let section = r
                    .section
                    .filter(|&s| scan.headings[s].level > 1)
                    .map(|s| scan.headings[s].title.clone());
                let (known, prefix) = match r.kind {
                    RefKind::Xref => (self.targets.contains_key(&r.target), "xref"),
                    RefKind::Cite => (references.position(&r.target).is_some(), "cite"),
                    RefKind::Term => (glossary.position(&r.target).is_some(), "term"),
                    RefKind::Figure => (figures.position(&r.target).is_some(), "figure"),
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
                            references.refs.iter().map(|r| r.id.as_str()).collect(),
                        ),
                        RefKind::Term => (
                            "glossary entry",
                            "the glossary has no entry with this id",
                            glossary.terms.iter().map(|t| t.id.as_str()).collect(),
                        ),
                        RefKind::Figure => (
                            "figure",
                            "no data file `src/data/<name>.toml` has this name",
                            figures.names().collect(),
                        ),
                    };
                    let mut d = Diagnostic::error(format!("unknown {what} `{}`", r.target))
                        .at(at())
                        .label(label);
                    if let Some(s) = suggest(&r.target, known_ids) {
                        d = d.help(s);
                    }
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
                };
                match r.kind {
                    RefKind::Xref => self
                        .referenced_from
                        .entry(r.target.clone())
                        .or_default()
                        .push(backlink),
                    RefKind::Cite => self
                        .cited_in
                        .entry(r.target.clone())
                        .or_default()
                        .push(backlink),
                    RefKind::Term | RefKind::Figure => {}
                }
                anchors.push(anchor);
            }
            self.anchors.push(anchors);
        }
    }
}
