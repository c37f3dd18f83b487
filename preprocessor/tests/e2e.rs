//! End to end, in-process: fixture books built by mdBook 0.5 with the
//! preprocessor registered, asserting on the HTML a reader gets and on the
//! exact diagnostics a writer gets.
//!
//! Failure fixtures keep their expected diagnostics in `expected.txt`;
//! `BLESS=1 cargo test -p mdbook-gloss --test e2e` rewrites them.

mod common;

use common::{build, build_with};

#[test]
fn callouts_follow_the_matching_rules() {
    let b = build("basic");
    b.result.as_ref().unwrap();
    let intro = b.main("intro.html");
    // First mention in the chapter only: "mixture of experts" and "MoE" are one term.
    assert_eq!(
        intro.matches("data-gloss-term=\"moe\"").count(),
        1,
        "{intro}"
    );
    assert!(intro.contains(">mixture of experts</a>"), "{intro}");
    // Longest wins; self-attention is not attention; attention is still found later.
    assert!(intro.contains(">Grouped-query attention</a>"), "{intro}");
    assert!(
        intro.contains(">attention</a>, and self-attention"),
        "{intro}"
    );
    // Never in code, links or headings.
    assert!(intro.contains("<code>MoE</code>"), "{intro}");
    assert!(intro.contains(">a MoE link</a>"), "{intro}");
    assert!(intro.contains("MoE in a heading</a></h2>"), "{intro}");
    // Suppressed mention, then an acronym in a compound.
    assert!(intro.contains("DPO stays plain"), "{intro}");
    assert!(
        intro.contains("data-gloss-term=\"dpo\">DPO</a>-tuned"),
        "{intro}"
    );
    // The callout carries no definition of its own: the page's list of
    // terms holds each one once, for print and for gloss.js.
    assert!(
        intro.contains(
            "<a class=\"gloss-term\" href=\"glossary.html#moe\" data-gloss-term=\"moe\">"
        ),
        "{intro}"
    );
    assert!(
        !intro.contains("title=\"A layer with many experts"),
        "{intro}"
    );
    assert!(intro.contains("Terms in this chapter"));
    assert!(intro.contains("data-gloss-entry=\"moe\" data-definition=\"A layer with many experts, of which few work on each token. Unlike attention.\""), "{intro}");
    assert_eq!(
        intro.matches("of which few work on each token").count(),
        1,
        "the definition is on the page once"
    );
}

#[test]
fn forced_callouts_and_citations() {
    let b = build("basic");
    let dense = b.main("part/dense.html");
    assert!(
        dense.contains("class=\"gloss-term\" href=\"../glossary.html#moe\""),
        "{dense}"
    );
    assert!(dense.contains(">mixture</a> of experts"), "{dense}");
    assert!(
        dense.contains("href=\"../references.html#l3\">(Llama Team 2024, §3.2, Table 3)</a>"),
        "{dense}"
    );
    assert!(dense.contains(">(Llama Team 2024)</a>"), "{dense}");
}

#[test]
fn cross_references_fill_titles_and_link_back() {
    let b = build("basic");
    let intro = b.main("intro.html");
    assert!(
        intro.contains("href=\"part/dense.html\">Decision 1 › Dense or sparse</a>"),
        "{intro}"
    );
    assert!(
        intro.contains("href=\"part/dense.html#dense-why\">Dense or sparse › Why dense</a>"),
        "{intro}"
    );
    assert!(
        intro.contains("id=\"gloss-xref-c06-1\" href=\"part/dense.html#claim-c06\">the claim</a>"),
        "{intro}"
    );
    let dense = b.main("part/dense.html");
    // One "Referenced from" after the content, before the terms list: the
    // introduction refers to the chapter and to its section, and is listed
    // once, linking to the first of its links.
    let squashed = squash(&dense);
    assert!(
        squashed.contains(
            "<p class=\"gloss-backrefs-label\">Referenced from 1 chapter:</p><ul class=\"gloss-backrefs-list\"><li><a href=\"../intro.html#gloss-xref-dense-1\">Introduction</a></li></ul>"
        ),
        "{dense}"
    );
    // (The claim card's own list comes earlier, inside the card.)
    let list = dense.rfind("gloss-referenced-from").unwrap();
    assert!(
        dense.find("gloss-referenced-from").unwrap() > dense.find("<p>").unwrap(),
        "{dense}"
    );
    assert!(
        dense.find("mdBook renders this one itself").unwrap() < list,
        "{dense}"
    );
    assert!(list < dense.find("gloss-terms-list").unwrap(), "{dense}");
}

#[test]
fn claims_become_cards_and_fill_the_ledger() {
    let b = build("basic");
    let dense = b.main("part/dense.html");
    assert!(
        dense.contains("<section class=\"gloss-claim gloss-verdict-accurate\" id=\"claim-c06\""),
        "{dense}"
    );
    assert!(dense.contains("Verdict: Accurate"), "{dense}");
    assert!(!dense.contains("[!CLAIM"), "{dense}");
    assert!(!dense.contains("[!VERDICT"), "{dense}");
    // mdBook's own admonitions are left to mdBook.
    assert!(dense.contains("blockquote-tag-note"), "{dense}");
    let ledger = b.main("ledger.html");
    assert!(
        ledger.contains("1 claims annotated") || ledger.contains("claims annotated"),
        "{ledger}"
    );
    assert!(
        ledger.contains("<tr id=\"ledger-c06\"><td><a href=\"part/dense.html#claim-c06\">C06</a>"),
        "{ledger}"
    );
}

#[test]
fn glossary_and_references_pages_list_backlinks() {
    let b = build("basic");
    let glossary = squash(&b.main("glossary.html"));
    assert!(
        glossary.contains("<p>Lets each token look at others.</p><div class=\"gloss-backrefs gloss-appears-in\"><p class=\"gloss-backrefs-label\">Appears in 1 chapter:</p><ul class=\"gloss-backrefs-list\"><li><a href=\"intro.html\">Introduction</a></li></ul></div>"),
        "{glossary}"
    );
    // The definition first, then the aliases and see-also, then where the
    // term appears.
    assert!(
        glossary.contains("<p>Learning from preference pairs without a reward model.</p><dl class=\"gloss-fields\"><dt>Also called</dt><dd>DPO</dd></dl><div class=\"gloss-backrefs gloss-appears-in\">"),
        "{glossary}"
    );
    assert!(
        glossary.contains("<dt>Also called</dt><dd>MoE</dd>"),
        "{glossary}"
    );
    assert!(
        glossary.contains("<dt>See also</dt><dd><a href=\"#attention\">Attention</a></dd>"),
        "{glossary}"
    );
    // Not in the term's own entry: "attention" inside the MoE entry is called out, not MoE.
    assert!(
        glossary.contains("Unlike <a class=\"gloss-term\" href=\"glossary.html#attention\""),
        "{glossary}"
    );
    let refs = squash(&b.main("references.html"));
    assert!(
        refs.contains(
            "Cited in 1 chapter:</p><ul class=\"gloss-backrefs-list\"><li><a href=\"part/dense.html#gloss-cite-l3-1\">Dense or sparse</a>: <a href=\"part/dense.html#gloss-cite-l3-2\">Why dense</a></li></ul>"
        ),
        "{refs}"
    );
    assert!(
        refs.contains("arXiv:<a href=\"https://arxiv.org/abs/2407.21783\">2407.21783</a>"),
        "{refs}"
    );
}

#[test]
fn print_page_keeps_definitions_readable() {
    let b = build("basic");
    let print = b.page("print.html");
    assert!(
        print.contains("data-definition=\"A layer with many experts"),
        "print page lists term definitions"
    );
}

#[test]
fn markdown_renderer_gets_no_html_fragments() {
    let b = build_with("basic", |book| {
        book.with_renderer(mdbook_driver::builtin_renderers::MarkdownRenderer::new());
    });
    b.result.as_ref().unwrap();
    let md = std::fs::read_to_string(b.dir.path().join("book/markdown/part/dense.md")).unwrap();
    assert!(!md.contains("gloss-"), "{md}");
    assert!(
        md.contains("[(Llama Team 2024, §3.2, Table 3)](../references.md#l3)"),
        "{md}"
    );
    assert!(md.contains("**Claim C06** (the article, ¶6):"), "{md}");
}

/// mdBook re-serialises raw HTML with new lines between block tags.
fn squash(html: &str) -> String {
    html.replace(">\n<", "><").replace(">\n\n<", "><")
}

fn check_failure(case: &str) {
    let b = build(case);
    let error = b.error().to_string();
    assert!(
        !b.out().exists(),
        "nothing may be written when the build fails"
    );
    let expected_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/books")
        .join(case)
        .join("expected.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected_path, &error).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        error, expected,
        "diagnostics for {case} changed; rerun with BLESS=1 to accept"
    );
}

#[test]
fn failure_unknown_id() {
    check_failure("fail-unknown-id");
}
#[test]
fn failure_unknown_kind() {
    check_failure("fail-unknown-kind");
}
#[test]
fn failure_unknown_verdict() {
    check_failure("fail-unknown-verdict");
}
#[test]
fn failure_unknown_citation() {
    check_failure("fail-unknown-citation");
}
#[test]
fn failure_duplicate_id() {
    check_failure("fail-duplicate-id");
}
#[test]
fn failure_glossary_see_also() {
    check_failure("fail-glossary-see-also");
}
#[test]
fn failure_config_key() {
    check_failure("fail-config-key");
}
#[test]
fn failure_claim_without_verdict() {
    check_failure("fail-claim-no-verdict");
}

#[test]
fn failed_build_leaves_the_previous_site_in_place() {
    let b = build("basic");
    b.result.as_ref().unwrap();
    let before = std::fs::read(b.out().join("intro.html")).unwrap();
    std::fs::write(
        b.dir.path().join("src/intro.md"),
        "# Introduction {#intro}\n\n<xref:nowhere>\n",
    )
    .unwrap();
    let mut book = mdbook_driver::MDBook::load(b.dir.path()).unwrap();
    book.with_preprocessor(mdbook_gloss::Gloss);
    assert!(book.build().is_err());
    assert_eq!(std::fs::read(b.out().join("intro.html")).unwrap(), before);
}

/// Every tag in serialised HTML (mdBook escapes `<` in text, so each `<`
/// followed by a letter opens one): its name and its attribute text.
fn tags(html: &str) -> Vec<(String, String)> {
    html.match_indices('<')
        .filter_map(|(i, _)| {
            let rest = &html[i + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            (!name.is_empty()).then(|| {
                (
                    name.to_ascii_lowercase(),
                    rest[..rest.find('>').unwrap_or(rest.len())].to_string(),
                )
            })
        })
        .collect()
}

/// The attribute names of a tag's text (what stands outside quotes before `=`).
fn attribute_names(attrs: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut quote: Option<char> = None;
    let mut word = String::new();
    for c in attrs.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '=') => names.push(std::mem::take(&mut word)),
            (None, c) if c.is_whitespace() => word.clear(),
            (None, c) => word.push(c),
        }
    }
    names
}

/// Markup and template syntax in every field we copy into generated HTML
/// comes out as text: no element, attribute or script of the payloads'.
#[test]
fn injection_payloads_come_out_inert() {
    let b = build("injection");
    b.result.as_ref().unwrap();
    for page in [
        "chapter.html",
        "glossary.html",
        "references.html",
        "ledger.html",
        "print.html",
    ] {
        let html = b.main(page);
        for (name, attrs) in tags(&html) {
            assert!(
                !["script", "img", "svg", "iframe", "object"].contains(&name.as_str()),
                "{page}: a <{name}> element:\n{html}"
            );
            let handler = attribute_names(&attrs)
                .iter()
                .any(|a| a.to_ascii_lowercase().starts_with("on"));
            assert!(!handler, "{page}: an event handler in <{name} {attrs}>");
            assert!(
                !attrs.contains("javascript:"),
                "{page}: a javascript: URL in <{name} {attrs}>"
            );
        }
    }
    let chapter = b.main("chapter.html");
    assert!(
        chapter.contains(
            "data-definition=\"A definition with “&gt;&lt;img src=x onerror=alert(7)&gt; escaped"
        ),
        "{chapter}"
    );
    assert!(
        chapter.contains("&lt;script&gt;alert(1)&lt;/script&gt;)</a>"),
        "{chapter}"
    );
    let refs = b.main("references.html");
    assert!(
        refs.contains("href=\"https://example.com/?q=&#39;onmouseover=&#39;alert(12)\""),
        "{refs}"
    );
    let ledger = b.main("ledger.html");
    assert!(
        ledger.contains("&lt;img src=x onerror=alert(4)&gt;"),
        "{ledger}"
    );
}

/// "Appears in" and "Referenced from" can each be turned off, as
/// `terms-list` can; an entry that is referred to keeps its "Referenced
/// from" when only "Appears in" is off.
#[test]
fn generated_sections_can_be_turned_off() {
    let on = build("basic");
    assert!(on.main("glossary.html").contains("gloss-appears-in"));
    assert!(
        on.main("part/dense.html")
            .contains("Referenced from 1 chapter:")
    );

    let b = build_with("basic", |book| {
        book.config
            .set("preprocessor.gloss.appears-in", false)
            .unwrap();
    });
    b.result.as_ref().unwrap();
    let glossary = b.main("glossary.html");
    assert!(!glossary.contains("gloss-appears-in"), "{glossary}");
    assert!(
        b.main("part/dense.html")
            .contains("Referenced from 1 chapter:")
    );

    let b = build_with("basic", |book| {
        book.config
            .set("preprocessor.gloss.referenced-from", false)
            .unwrap();
    });
    b.result.as_ref().unwrap();
    for page in [
        "intro.html",
        "part/dense.html",
        "glossary.html",
        "references.html",
        "ledger.html",
    ] {
        assert!(!b.main(page).contains("Referenced from"), "{page}");
    }
    assert!(b.main("glossary.html").contains("gloss-appears-in"));
}

/// Another book's glossary, read as written (issue 16): `###` entries
/// without ids under `##` letter groups (`entry-level = 3`). Each entry
/// takes the id mdBook gives its heading, numbered where the page repeats
/// one (the letter group `C`, then the entries `C` and `C++`; the
/// introduction's definition-list term `Entry`, then the entry), and every
/// callout links to the heading that really has it.
#[test]
fn another_books_glossary_at_level_3_without_ids() {
    let b = build("reference-glossary");
    b.result.as_ref().unwrap();
    let types = b.main("types.html");
    let glossary = b.main("glossary.html");
    let callouts: Vec<(String, String)> = types
        .split("<a class=\"gloss-term\" href=\"glossary.html#")
        .skip(1)
        .map(|rest| {
            let id = rest[..rest.find('"').unwrap()].to_string();
            let text = rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()].to_string();
            (id, text)
        })
        .collect();
    let expect = |id: &str, text: &str| (id.to_string(), text.to_string());
    assert_eq!(
        callouts,
        [
            expect("bound", "Bound"),
            expect("c-2", "C++"),
            expect("c-1", "C"),
            expect("bounds-check", "bounds check"),
            expect("index", "indices"),
            expect("entry-1", "entry"),
            expect("scope", "its scope"),
        ],
        "{types}"
    );
    // Each id is the one mdBook gave the entry's heading.
    for (id, name) in [
        ("bound", "Bound"),
        ("c-1", "C"),
        ("c-2", "C++"),
        ("bounds-check", "Bounds check"),
        ("index", "Index"),
        ("entry-1", "Entry"),
        ("scope", "Scope"),
    ] {
        let heading = format!("<h3 id=\"{id}\"><a class=\"header\" href=\"#{id}\">{name}</a></h3>");
        assert!(glossary.contains(&heading), "{heading}\n{glossary}");
    }
    assert!(glossary.contains("<h2 id=\"c\">"), "{glossary}");
    assert!(
        types.contains("id=\"gloss-xref-c-2-1\" href=\"glossary.html#c-2\">Glossary › C++</a>"),
        "{types}"
    );
    assert!(glossary.contains("<dt id=\"entry\">"), "{glossary}");
    // `Match: case-sensitive`: "bound" is not "Bound"; `linked-only`: the
    // word "scope" is no callout, the link is.
    assert!(types.contains("a bound in the everyday sense"), "{types}");
    assert!(types.contains("The scope of a name"), "{types}");
    // `Short:` is the definition callouts show; the page keeps the body,
    // list and all, and not the field.
    assert!(
        types.contains("data-gloss-entry=\"scope\" data-definition=\"The region of a program in which a name refers to one thing.\""),
        "{types}"
    );
    assert!(glossary.contains("A scope can affect:"), "{glossary}");
    assert!(
        glossary.contains("<li>when values are dropped.</li>"),
        "{glossary}"
    );
    assert!(!glossary.contains("Short:"), "{glossary}");
    // An entry ends at the next letter group: "Appears in" comes after the
    // entry's own sub-heading and before `## C`.
    let appears = glossary[glossary.find("id=\"bounds-check\"").unwrap()..]
        .find("gloss-appears-in")
        .unwrap();
    let example = glossary[glossary.find("id=\"bounds-check\"").unwrap()..]
        .find("id=\"example\"")
        .unwrap();
    let next_group = glossary[glossary.find("id=\"bounds-check\"").unwrap()..]
        .find("<h2 id=\"c\">")
        .unwrap();
    assert!(example < appears && appears < next_group, "{glossary}");
}
