use super::*;

#[test]
fn derived_ids_follow_mdbook() {
    assert_eq!(derived_id("The two-step forecast"), "the-two-step-forecast");
    assert_eq!(
        derived_id("  Why 405B? (and not 402B)  "),
        "why-405b-and-not-402b"
    );
    assert_eq!(derived_id("Überblick & Ziele"), "überblick--ziele");
}

#[test]
fn plain_text_drops_markup() {
    assert_eq!(
        plain_text_of("A *small* `router` sends\neach token."),
        "A small router sends each token."
    );
}

#[test]
fn quoted_passages_are_found_with_either_quote_marks() {
    let text = r#"They wrote "one two three" and “four five”."#;
    let passages: Vec<&str> = quoted_passages(text)
        .into_iter()
        .map(|r| &text[r])
        .collect();
    assert_eq!(passages, ["one two three", "four five"]);
}

#[test]
fn only_plain_presentational_html_is_safe() {
    assert_eq!(unsafe_html("<sup>"), None);
    assert_eq!(unsafe_html("</sup>"), None);
    assert_eq!(unsafe_html("<!-- note -->"), None);
    assert_eq!(unsafe_html("<!-- a --> <sup>2</sup> <!-- b -->"), None);
    assert_eq!(
        unsafe_html("<!-- a comment on"),
        None,
        "closed on a later line"
    );
    // A browser ends these comments where CommonMark does not.
    for walk_around in [
        "<!-- x --!><img src=x onerror=alert(1)> -->",
        "<!--><img src=x onerror=alert(1)>-->",
        "<!---><img src=x onerror=alert(1)>-->",
        "<!-- on two lines --!><img src=x onerror=alert(1)>",
    ] {
        assert!(unsafe_html(walk_around).is_some(), "{walk_around}");
    }
    // What follows a comment is checked like the rest.
    assert_eq!(
        unsafe_html("<!-- ok --> <img src=x onerror=alert(1)>").as_deref(),
        Some("raw HTML `<img>` is not allowed here")
    );
    assert_eq!(
        unsafe_html("<script>").as_deref(),
        Some("raw HTML `<script>` is not allowed here")
    );
    assert_eq!(
        unsafe_html("<img src=x onerror=alert(1)>").as_deref(),
        Some("raw HTML `<img>` is not allowed here")
    );
    assert_eq!(
        unsafe_html("<span onclick=\"x()\">").as_deref(),
        Some("raw HTML attributes (`<span onclick=\"x()\">`) are not allowed here")
    );
}

#[test]
fn what_runs_on_past_its_end() {
    use super::runs_on;
    for sealed in [
        "Text.",
        "- a\n- b",
        "```\ncode\n```",
        "<!-- c -->",
        "| a |\n|---|\n| b |",
        "    indented",
        "",
    ] {
        assert_eq!(runs_on(sealed), None, "{sealed:?}");
    }
    assert_eq!(
        runs_on("```\ncode"),
        Some("a code fence that is not closed")
    );
    assert_eq!(runs_on("~~~"), Some("a code fence that is not closed"));
    assert_eq!(
        runs_on("<!-- open"),
        Some("an HTML block that is not closed")
    );
    assert_eq!(
        runs_on("<pre>\nx"),
        Some("an HTML block that is not closed")
    );
    assert_eq!(
        runs_on("<script>"),
        Some("an HTML block that is not closed")
    );
}

#[test]
fn a_line_end_from_inside_a_character_is_that_character_s_line() {
    let text = "## Café\nnext";
    let inside = "## Caf".len() + 1;
    assert!(!text.is_char_boundary(inside));
    assert_eq!(line_end(text, inside), "## Café\n".len());
    assert_eq!(line_end("é", 1), 2);
}

#[test]
fn page_ids_number_repeats_as_mdbook_does() {
    let text = "# Glossary\n\n## Bound {#explicit}\n\n### Bound\n\nx\n\nBound\n: a term of a definition list\n\n### Bound\n\n### Bound 1\n\n### A  `b` ![img](i.png)\n\n### ???\n";
    let ids = page_ids(text);
    let at = |needle: &str| ids.get(&text.find(needle).unwrap()).cloned();
    assert_eq!(at("# Glossary"), Some("glossary".into()));
    // An explicit id is the author's, and holds no number back.
    assert_eq!(at("## Bound {#explicit}"), None);
    assert_eq!(at("### Bound\n\nx"), Some("bound".into()));
    // The definition list's term takes the next number, and the heading after it the one after.
    assert_eq!(at("Bound\n:"), Some("bound-1".into()));
    assert_eq!(at("### Bound\n\n### Bound 1"), Some("bound-2".into()));
    // `bound-1` is taken: mdBook tries the next suffix.
    assert_eq!(at("### Bound 1"), Some("bound-1-1".into()));
    // Spaces are kept one for one, code is text, an image is not.
    assert_eq!(at("### A  `b`"), Some("a--b".into()));
    assert_eq!(at("### ???"), Some(String::new()));
}
