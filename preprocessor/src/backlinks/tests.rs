use super::*;
use crate::templates::Templates;

fn chapters(n: usize) -> Vec<ChapterLinks> {
    (0..n)
        .map(|i| ChapterLinks {
            href: format!("c{i}.html"),
            title: format!("Chapter {i}"),
            sections: vec![Link {
                href: format!("c{i}.html#s"),
                text: "Section".into(),
            }],
        })
        .collect()
}

fn render(list: &BacklinkList) -> String {
    Templates::defaults()
        .render("backlinks.html", list)
        .expect("backlinks.html renders")
}

#[test]
fn places_group_by_chapter_each_section_once_linking_to_its_first_place() {
    let places = [
        (0, "a.html#x-1".to_string(), None),
        (0, "a.html#x-2".to_string(), Some("Setup")),
        (0, "a.html#x-3".to_string(), Some("Setup")),
        (0, "a.html#x-4".to_string(), Some("Results")),
        (2, "c.html#x-5".to_string(), Some("Setup")),
    ];
    let grouped = group(|c| format!("Chapter {c}"), places);
    let link = |href: &str, text: &str| Link {
        href: href.into(),
        text: text.into(),
    };
    assert_eq!(
        grouped,
        [
            ChapterLinks {
                href: "a.html#x-1".into(),
                title: "Chapter 0".into(),
                sections: vec![link("a.html#x-2", "Setup"), link("a.html#x-4", "Results")],
            },
            ChapterLinks {
                href: "c.html#x-5".into(),
                title: "Chapter 2".into(),
                sections: vec![link("c.html#x-5", "Setup")],
            },
        ]
    );
}

#[test]
fn a_short_list_shows_every_chapter_as_a_list_item() {
    let html = render(&BacklinkList::new(Kind::CitedIn, chapters(7), CAP));
    assert!(html.starts_with("<div class=\"gloss-backrefs gloss-cited-in\">\n<p class=\"gloss-backrefs-label\">Cited in 7 chapters:</p>\n<ul class=\"gloss-backrefs-list\">\n<li><a href=\"c0.html\">Chapter 0</a>: <a href=\"c0.html#s\">Section</a></li>\n"), "{html}");
    assert_eq!(html.matches("<li>").count(), 7, "{html}");
    assert!(
        !html.contains("<details"),
        "two more than five are not hidden: {html}"
    );
    assert!(html.ends_with("</ul>\n</div>"), "{html}");
}

#[test]
fn past_five_chapters_the_rest_is_in_details_that_open_without_script() {
    let html = render(&BacklinkList::new(Kind::AppearsIn, chapters(8), CAP));
    let (open, more) = html.split_once("<details").expect("a details element");
    assert_eq!(open.matches("<li>").count(), 5, "{html}");
    assert!(more.starts_with(" class=\"gloss-backrefs-more\"><summary>3 more chapters</summary>\n<ul class=\"gloss-backrefs-list\">\n"), "{html}");
    assert_eq!(more.matches("<li>").count(), 3, "{html}");
    assert!(more.ends_with("</ul>\n</details>\n</div>"), "{html}");
    assert!(!html.contains("not listed"), "{html}");
}

#[test]
fn past_the_cap_the_list_says_how_many_it_leaves_out() {
    let list = BacklinkList::new(Kind::AppearsIn, chapters(CAP + 12), CAP);
    let html = render(&list);
    assert!(html.starts_with("<div class=\"gloss-backrefs gloss-appears-in\">\n<p class=\"gloss-backrefs-label\">Appears in 42 chapters:</p>"), "{html}");
    assert_eq!(html.matches("<li>").count(), CAP, "{html}");
    assert!(
        html.contains("<summary>37 more chapters</summary>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"gloss-backrefs-rest\">And 12 more chapters, not listed: search the book for them.</p>\n</details>"),
        "{html}"
    );
}

#[test]
fn one_chapter_is_singular_and_none_says_so() {
    let one = render(&BacklinkList::new(Kind::ReferencedFrom, chapters(1), CAP));
    assert!(one.contains("Referenced from 1 chapter:</p>"), "{one}");
    let none = BacklinkList::new(Kind::AppearsIn, Vec::new(), CAP);
    assert!(none.is_empty());
    assert_eq!(
        render(&none),
        "<div class=\"gloss-backrefs gloss-appears-in\">\n<p><span class=\"gloss-backrefs-label\">Appears in:</span> <span class=\"gloss-none\">no chapter yet</span></p>\n</div>"
    );
}

#[test]
fn the_list_is_one_html_block_and_its_titles_are_escaped() {
    let mut list = chapters(12);
    list[0].title = "<b>[x](javascript:1)</b>\n\nnext".into();
    let html = render(&BacklinkList::new(Kind::CitedIn, list, CAP));
    // A blank line would end mdBook's HTML block and let the rest run on
    // as Markdown.
    assert!(!html.contains("\n\n"), "{html}");
    assert!(!html.contains("<b>") && !html.contains("[x]"), "{html}");
}
