use super::*;
use mdbook_preprocessor::book::Chapter as BookChapter;

use crate::chapter::take_chapters;

/// A book of nested chapters, a draft, a part title and a separator.
fn book() -> Book {
    let chapter = |name: &str, content: &str, sub: Vec<BookItem>| {
        BookItem::Chapter(BookChapter::new(
            name,
            content.to_string(),
            format!("{name}.md"),
            vec![],
        ))
        .tap_sub(sub)
    };
    let mut draft = BookChapter::new_draft("Draft", vec![]);
    draft.content = String::new();
    let mut book = Book::new();
    book.items = vec![
        chapter("intro", "# Intro \"quoted\" \u{0}\n", vec![]),
        BookItem::PartTitle("Part".into()),
        chapter(
            "one",
            "# One\n",
            vec![
                chapter("one-a", "# One A\n", vec![]),
                BookItem::Chapter(draft),
            ],
        ),
        BookItem::Separator,
        chapter("two", "# Two\n\n\\u0000gloss-chapter:0\\u0000\n", vec![]),
    ];
    book
}

trait TapSub {
    fn tap_sub(self, sub: Vec<BookItem>) -> BookItem;
}

impl TapSub for BookItem {
    fn tap_sub(mut self, sub: Vec<BookItem>) -> BookItem {
        if let BookItem::Chapter(ch) = &mut self {
            ch.sub_items = sub;
        }
        self
    }
}

/// What serialising the book with each chapter's text replaced gives.
fn expected(book: &Book, texts: &[String]) -> Vec<u8> {
    let mut book = book.clone();
    fill(&mut book, texts.to_vec());
    serde_json::to_vec(&book).unwrap()
}

#[test]
fn streamed_chapters_give_the_bytes_of_the_finished_book() {
    let mut book = book();
    let chapters = take_chapters(&mut book, "src");
    assert_eq!(
        placeholders(&book),
        [0, 1, 2, 3],
        "a placeholder per chapter with a path, in book order"
    );
    // New texts that hold what JSON escapes, and the placeholder's own text.
    let texts: Vec<String> = chapters
        .iter()
        .map(|c| {
            format!(
                "{}<a href=\"x\">\"\\\n\t\u{0}gloss-chapter:1\u{0}</a>",
                c.content
            )
        })
        .collect();
    let mut out = Vec::new();
    let mut stream = Stream::new(&book, chapters.len(), &mut out).unwrap();
    for (i, text) in texts.iter().enumerate() {
        stream.chapter(i, text);
    }
    stream.finish().unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        String::from_utf8(expected(&book, &texts)).unwrap()
    );
    // And it reads back as the book with those texts.
    let read: Book = serde_json::from_slice(&expected(&book, &texts)).unwrap();
    let contents: Vec<String> = take_chapters(&mut read.clone(), "src")
        .into_iter()
        .map(|c| c.content)
        .collect();
    assert_eq!(contents, texts);
}

#[test]
fn the_book_returned_in_process_has_each_text_in_its_chapter() {
    let original = book();
    let mut book = original.clone();
    let chapters = take_chapters(&mut book, "src");
    let texts: Vec<String> = chapters.iter().map(|c| c.content.to_uppercase()).collect();
    fill(&mut book, texts.clone());
    let mut again = book.clone();
    let back: Vec<String> = take_chapters(&mut again, "src")
        .into_iter()
        .map(|c| c.content)
        .collect();
    assert_eq!(back, texts);
    // Everything but the contents is as it was.
    let mut a = original.clone();
    take_chapters(&mut a, "src");
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&again).unwrap()
    );
}

#[test]
fn a_write_error_is_returned_and_stops_the_output() {
    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut book = book();
    let chapters = take_chapters(&mut book, "src");
    let mut stream = Stream::new(&book, chapters.len(), Full).unwrap();
    stream.chapter(0, "x");
    stream.chapter(1, "y");
    assert_eq!(stream.finish().unwrap_err().to_string(), "disk full");
}
