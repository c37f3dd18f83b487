use super::*;

fn templates() -> Templates {
    Templates::defaults()
}

#[test]
fn the_built_in_templates_compile() {
    let mut diags = Diagnostics::default();
    assert!(
        Templates::load(None, &mut diags).is_some(),
        "{}",
        diags.render(false)
    );
    assert_eq!(diags.items().len(), 0, "{}", diags.render(false));
}

#[test]
fn a_book_s_file_replaces_one_template_and_a_stray_file_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("xref.html"), "<b>{{ text }}</b>").unwrap();
    std::fs::write(dir.path().join("trem.html"), "x").unwrap();
    let mut diags = Diagnostics::default();
    let t = Templates::load(Some((dir.path(), "theme/gloss")), &mut diags).unwrap();
    assert_eq!(t.shown("xref.html"), "theme/gloss/xref.html");
    assert_eq!(t.shown("term.html"), "(built-in)/term.html");
    let out = diags.render(false);
    assert!(
        out.contains("`theme/gloss/trem.html` is not a template"),
        "{out}"
    );
    assert!(out.contains("term.html"), "{out}");
    assert!(!diags.is_fatal(false), "{out}");
}

#[test]
fn an_unknown_variable_is_found_in_a_tag_not_in_the_markup() {
    let text = "<a id=\"x\" class=\"nope\">\n{% if ok %}\n{{ a.nope }}\n{{ nope | upper }}\n";
    let at = find_variable(text, "nope").unwrap();
    assert_eq!(
        &text[..at].lines().count(),
        &4,
        "line 4, not the class on line 1"
    );
    assert_eq!(
        find_variable(text, "a.nope").map(|i| &text[i..i + 6]),
        Some("a.nope")
    );
}

#[test]
fn values_keep_no_markdown_syntax_and_no_line_break() {
    let value = "[Llama](javascript:alert(1)) *a* _b_ `c` \\ ~d~ |e| $f$\n\nnext";
    let out = escape(value);
    for c in [
        '[', ']', '*', '_', '`', '\\', '~', '|', '$', '\n', '<', '>', '"',
    ] {
        assert!(!out.contains(c), "{c:?} left in {out}");
    }
    assert_eq!(
        escape("a/b & 'c'"),
        "a/b &amp; &#x27;c&#x27;",
        "Tera's escaping, byte for byte"
    );
}

#[test]
fn unescape_reads_back_what_escape_wrote() {
    let all: String = (0u8..128)
        .map(char::from)
        .chain("é “x” 🦀".chars())
        .collect();
    assert_eq!(unescape(&escape(&all)), all);
    assert_eq!(
        unescape("a &unknown; &#xZZ; & b &#10"),
        "a &unknown; &#xZZ; & b &#10"
    );
}

#[test]
fn a_citation_s_short_form_stays_text() {
    #[derive(Serialize)]
    struct Cite {
        href: &'static str,
        anchor: &'static str,
        short: &'static str,
        locator: bool,
    }
    let data = Cite {
        href: "references.html#l3",
        anchor: "gloss-cite-l3-1",
        short: "[Llama Team](javascript:alert(1))\n\n2024",
        locator: true,
    };
    let (open, close) = templates().wrap("cite.html", &data).unwrap();
    let html = format!("{open}§1{close}");
    assert!(!html.contains("](") && !html.contains("\n\n"), "{html}");
    assert!(
        html.contains("&#91;Llama Team&#93;(javascript:alert(1))&#10;&#10;2024"),
        "{html}"
    );
}

#[test]
fn a_reference_with_a_doi_links_it_in_place_of_its_url() {
    #[derive(Serialize)]
    struct Fields {
        source: crate::references::Reference,
    }
    let source = crate::references::Reference {
        id: "x".into(),
        title: "T".into(),
        authors: "A".into(),
        cite_as: "A 2020".into(),
        year: "2020".into(),
        doi: Some("10.1000/abc".into()),
        url: Some("https://example.org/x".into()),
        ..Default::default()
    };
    let html = templates()
        .render("reference-fields.html", &Fields { source })
        .unwrap();
    assert_eq!(
        html,
        "<p class=\"gloss-reference\">A (2020). <cite>T</cite>. \
         DOI:<a href=\"https://doi.org/10.1000/abc\">10.1000/abc</a>. \
         <span class=\"gloss-cite-as\">Cited as A 2020.</span></p>"
    );
}
