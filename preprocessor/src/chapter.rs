//! The book model: its chapters in book order, each with its path, name,
//! part and Markdown, moved out of mdBook's book and put back after pass 2.

use mdbook_preprocessor::book::{Book as MdBook, BookItem};

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
        match self.short_part() {
            Some(part) => format!("{part} › {}", self.name),
            None => self.name.clone(),
        }
    }

    /// "Decision 2": the part's name up to a colon, if the chapter is in one.
    pub fn short_part(&self) -> Option<&str> {
        let part = self.part.as_deref()?;
        Some(part.split(':').next().unwrap_or(part).trim())
    }
}

#[cfg(any(test, feature = "testing"))]
/// The chapters in book order (pre-order, drafts left out), with their parts.
pub fn collect_chapters(book: &MdBook, src: &str) -> Vec<Chapter> {
    take_chapters(&mut book.clone(), src)
}

/// [`collect_chapters`], moving each chapter's text out of `book` instead of
/// copying it: a large book is then held once, not twice.
pub(crate) fn take_chapters(book: &mut MdBook, src: &str) -> Vec<Chapter> {
    fn walk(items: &mut [BookItem], part: &mut Option<String>, src: &str, out: &mut Vec<Chapter>) {
        for item in items {
            match item {
                BookItem::PartTitle(t) => *part = Some(t.clone()),
                BookItem::Chapter(ch) => {
                    if let Some(path) = &ch.path {
                        let path = path.to_string_lossy().replace('\\', "/");
                        let source = ch
                            .source_path
                            .as_ref()
                            .map_or(path.clone(), |p| p.to_string_lossy().replace('\\', "/"));
                        out.push(Chapter {
                            path,
                            display: format!("{src}/{source}"),
                            name: ch.name.clone(),
                            // Prefix and suffix chapters (before the first
                            // numbered one, after the last) belong to no part,
                            // though a part title came before them; mdBook
                            // gives them no number.
                            part: ch.number.as_ref().and(part.clone()),
                            // The chapter keeps a placeholder that says
                            // where its new text goes (crate::stream).
                            content: std::mem::replace(
                                &mut ch.content,
                                crate::stream::placeholder(out.len()),
                            ),
                        });
                    }
                    walk(&mut ch.sub_items, part, src, out);
                }
                BookItem::Separator => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&mut book.items, &mut None, src, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::book::{Chapter as BookChapter, SectionNumber};

    #[test]
    fn suffix_chapters_belong_to_no_part() {
        let chapter = |name: &str, number: Option<u32>| {
            let mut ch = BookChapter::new(name, String::new(), format!("{name}.md"), vec![]);
            ch.number = number.map(|n| SectionNumber::new(vec![n]));
            BookItem::Chapter(ch)
        };
        let mut book = MdBook::new();
        book.items = vec![
            chapter("intro", None),
            BookItem::PartTitle("Part one".into()),
            chapter("one", Some(1)),
            BookItem::Separator,
            chapter("ledger", None),
        ];
        let parts: Vec<_> = collect_chapters(&book, "src")
            .into_iter()
            .map(|c| (c.name, c.part))
            .collect();
        assert_eq!(
            parts,
            [
                ("intro".to_string(), None),
                ("one".to_string(), Some("Part one".to_string())),
                ("ledger".to_string(), None),
            ]
        );
    }
}
