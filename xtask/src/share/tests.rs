use super::text::DESCRIPTION_MAX;
use super::*;

fn settings() -> Settings {
    Settings::new(
        "https://owner.github.io",
        "/repo/",
        "A & B",
        "The book, described.",
    )
    .unwrap()
}

/// A page as mdBook's index.hbs lays out its head, with `main` as content.
fn page(title: &str, main: &str) -> String {
    format!(
        "<!DOCTYPE HTML>\n<html>\n    <head>\n        <meta charset=\"UTF-8\">\n        \
         <title>{title}</title>\n        <meta name=\"description\" content=\"The book, described.\">\n        \
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n    </head>\n    \
         <body><main>{main}</main></body>\n</html>\n"
    )
}

#[test]
fn settings_want_an_origin_and_a_site_url_between_slashes() {
    let s = settings();
    assert_eq!(s.root_url(), "https://owner.github.io/repo/");
    assert_eq!(
        s.url("a b/c.html"),
        "https://owner.github.io/repo/a%20b/c.html"
    );
    for bad in [
        "owner.github.io",
        "https://owner.github.io/",
        "https://owner.github.io/repo",
        "ftp://owner.github.io",
        "https://",
    ] {
        let err = Settings::new(bad, "/repo/", "", "").unwrap_err();
        assert!(
            format!("{err}").contains("is not an origin"),
            "{bad}: {err}"
        );
    }
    assert!(Settings::new("https://o.github.io", "/repo", "", "").is_err());
    assert!(Settings::new("http://localhost:8000", "/", "", "").is_ok());
}

#[test]
fn the_description_is_the_first_paragraph_directly_in_main() {
    let html = page(
        "T",
        "<h1>T</h1><div class=\"card\"><p>In a card</p></div><p class=\"strip\">Settles C01</p>\
         <!-- <p>not this</p> --><img src=\"x.png\" alt=\"\">\
         <p>Meta trained a <a href=\"g.html#moe\"><em>dense</em></a> model &amp; said &quot;why&quot;.</p><p>Second.</p>",
    );
    assert_eq!(
        first_paragraph(&html).as_deref(),
        Some("Meta trained a dense model & said \"why\".")
    );
    assert_eq!(
        first_paragraph(&page("T", "<ul><li><p>x</p></li></ul>")),
        None
    );
    assert_eq!(first_paragraph(&page("T", "<p> </p>")), None);
    // Powers keep their meaning: not "3.8 × 1025 FLOPs".
    assert_eq!(
        first_paragraph(&page(
            "T",
            "<p>3.8 × 10<sup>25</sup> FLOPs, 10<sup>−4</sup>, C<sup>0.53</sup>, H<sub>2</sub>O</p>"
        ))
        .as_deref(),
        Some("3.8 × 10²⁵ FLOPs, 10⁻⁴, C^0.53, H₂O")
    );
}

#[test]
fn a_long_description_is_cut_at_a_word() {
    let long = "word ".repeat(60);
    let cut = trim_description(&long);
    assert!(cut.chars().count() <= DESCRIPTION_MAX, "{cut}");
    assert!(cut.ends_with("word…"), "{cut}");
    let comma = format!("{}, tail", "x".repeat(158));
    assert_eq!(trim_description(&comma), format!("{}…", "x".repeat(158)));
    assert_eq!(trim_description(" short  text "), "short text");
}

#[test]
fn apply_writes_the_metadata_after_the_description_and_again_the_same() {
    let html = page("Ch &amp; co - A &amp; B", "<p>First <b>para</b>.</p>");
    let url = "https://owner.github.io/repo/ch.html";
    let out = apply(&html, url, "card-00000000.png", &settings()).unwrap();
    let expected = "        <meta name=\"description\" content=\"The book, described.\">\n        \
        <link rel=\"canonical\" href=\"https://owner.github.io/repo/ch.html\">\n        \
        <meta property=\"og:type\" content=\"article\">\n        \
        <meta property=\"og:site_name\" content=\"A &amp; B\">\n        \
        <meta property=\"og:title\" content=\"Ch &amp; co - A &amp; B\">\n        \
        <meta property=\"og:description\" content=\"First para.\">\n        \
        <meta property=\"og:url\" content=\"https://owner.github.io/repo/ch.html\">\n        \
        <meta property=\"og:image\" content=\"https://owner.github.io/repo/card-00000000.png\">\n        \
        <meta property=\"og:image:width\" content=\"1200\">\n        \
        <meta property=\"og:image:height\" content=\"630\">\n        \
        <meta property=\"og:image:alt\" content=\"A &amp; B: The book, described.\">\n        \
        <meta name=\"twitter:card\" content=\"summary_large_image\">\n        \
        <meta name=\"viewport\"";
    assert!(out.contains(expected), "{out}");
    assert_eq!(
        apply(&out, url, "card-00000000.png", &settings()).unwrap(),
        out
    );
    assert_eq!(strip(&out), html);
    // Without a paragraph: the book's description.
    let bare = apply(&page("T", "<h1>T</h1>"), url, "c.png", &settings()).unwrap();
    assert!(bare.contains("og:description\" content=\"The book, described.\""));
    assert!(apply("<html><head></head></html>", url, "c.png", &settings()).is_err());
}

#[test]
fn the_sitemap_escapes_and_has_limits() {
    let map = sitemap(&[
        "https://o.io/r/".into(),
        "https://o.io/r/a.html?x=1&y=2".into(),
    ])
    .unwrap();
    assert_eq!(
        map,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
         <url><loc>https://o.io/r/</loc></url>\n  \
         <url><loc>https://o.io/r/a.html?x=1&amp;y=2</loc></url>\n</urlset>\n"
    );
    assert!(sitemap(&[format!("https://o.io/{}", "a".repeat(2048))]).is_err());
}

#[test]
fn robots_only_names_the_sitemap_at_the_origins_root() {
    let root = Settings::new("https://example.org", "/", "", "").unwrap();
    assert_eq!(
        robots(&root),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n"
    );
}

/// The whole step on a fixture book built by `cargo xtask build`'s own
/// function: metadata, sitemap and card, the same bytes twice.
#[test]
fn a_build_with_an_origin_writes_the_sitemap_the_card_and_the_metadata_the_same_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book-src");
    let root = crate::tools::root();
    site::copy_dir(&root.join("preprocessor/tests/books/basic"), &book).unwrap();
    site::copy_dir(&root.join("theme"), &book.join("theme")).unwrap();
    let toml = book.join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "[preprocessor.gloss]\n",
        "[preprocessor.gloss]\nsite-origin = \"https://owner.github.io\"\n",
    ) + "site-url = \"/repo/\"\n";
    std::fs::write(&toml, text).unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    site::build_book_at(&book, &a).unwrap();
    site::build_book_at(&book, &b).unwrap();
    assert_eq!(site::snapshot(&a).unwrap(), site::snapshot(&b).unwrap());
    let map = std::fs::read_to_string(a.join("sitemap.xml")).unwrap();
    assert!(
        map.contains("<url><loc>https://owner.github.io/repo/</loc></url>\n"),
        "{map}"
    );
    assert!(!map.contains("print.html") && !map.contains("404.html") && !map.contains("toc.html"));
    assert!(
        !a.join("robots.txt").exists(),
        "no robots.txt under a sub-path"
    );
    let cards: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("card-") && n.ends_with(".png"))
        .collect();
    let [card] = cards.as_slice() else {
        panic!("one card expected: {cards:?}")
    };
    let png = std::fs::read(a.join(card)).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    assert_eq!(&png[16..24], &[0, 0, 4, 176, 0, 0, 2, 118], "1200×630");
    assert_eq!(crate::card::file_name(&png), *card);
    // Text is drawn (a blank card would pass everything above), and all of it
    // within the margins: the title is sized to fit, the description wrapped.
    let pixmap = tiny_skia::Pixmap::decode_png(&png).unwrap();
    let background = pixmap.pixel(600, 600).unwrap();
    let (mut ink, mut left, mut right) = (0, u32::MAX, 0);
    for y in 16..crate::card::HEIGHT {
        for x in 0..crate::card::WIDTH {
            if pixmap.pixel(x, y).unwrap() != background {
                ink += 1;
                left = left.min(x);
                right = right.max(x);
            }
        }
    }
    // "Basic" at 88 px and the address: about 9,000 pixels.
    assert!(ink > 5_000, "{ink} pixels of text");
    assert!(
        left >= 78 && right <= 1200 - 78,
        "text from x={left} to x={right}"
    );
    let index = std::fs::read_to_string(a.join("index.html")).unwrap();
    assert!(index.contains("<link rel=\"canonical\" href=\"https://owner.github.io/repo/\">"));
    assert!(index.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(index.contains(&format!(
        "<meta property=\"og:image\" content=\"https://owner.github.io/repo/{card}\">"
    )));
    let print = std::fs::read_to_string(a.join("print.html")).unwrap();
    assert!(!print.contains("og:"), "print.html is noindex: no metadata");
}
