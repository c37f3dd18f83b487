use super::*;
use crate::scan::{ScanContext, scan};

fn claims(text: &str) -> (Vec<Claim>, Vec<String>) {
    let cx = ScanContext::for_test("a.md", "src/a.md");
    let mut d = Diagnostics::default();
    let s = scan(&cx, text, &mut d);
    let c = collect("src/a.md", text, &s, &mut d);
    (c, d.items().iter().map(|d| d.short()).collect())
}

#[test]
fn a_complete_claim() {
    let (c, e) = claims(
        "> [!CLAIM C17 ¶7]\n> It is \"more stable\".\n\n> [!VERDICT accurate]\n> Yes [§1](cite:l3).\n\n> [!EVIDENCE]\n> More.\n",
    );
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(c[0].id, "C17");
    assert_eq!((c[0].number, c[0].paragraph), (17, 7));
    assert_eq!(c[0].verdict, "accurate");
    assert_eq!(c[0].blocks, vec![0, 1, 2]);
    assert_eq!(c[0].text, "It is \u{201c}more stable\u{201d}.");
}

#[test]
fn missing_verdict_and_citation() {
    let (_, e) = claims("> [!CLAIM C01 p1]\n> Text.\n\nA paragraph.\n");
    assert_eq!(e, vec!["src/a.md:1:3: claim C01 has no verdict"]);
    let (_, e) = claims("> [!CLAIM C01 p1]\n> Text.\n\n> [!VERDICT accurate]\n> No source.\n");
    assert_eq!(
        e,
        vec!["src/a.md:4:3: claim C01 has a verdict without a citation"]
    );
}

#[test]
fn unknown_verdict_suggests() {
    let (_, e) = claims("> [!CLAIM C01 p1]\n> T.\n\n> [!VERDICT acurate]\n> [x](cite:l3)\n");
    assert_eq!(
        e,
        vec!["src/a.md:4:3: unknown verdict `acurate` for claim C01"]
    );
}

#[test]
fn malformed_marker_and_orphans() {
    let (_, e) = claims("> [!CLAIM 17]\n> T.\n");
    assert_eq!(
        e,
        vec!["src/a.md:1:3: malformed claim marker `[!CLAIM 17]`"]
    );
    let (_, e) = claims("> [!VERDICT accurate]\n> T.\n\n> [!EVIDENCE]\n> E.\n");
    assert_eq!(
        e,
        vec![
            "src/a.md:1:3: verdict without a claim",
            "src/a.md:4:3: evidence without a verdict"
        ]
    );
}

#[test]
fn long_quotes_are_rejected() {
    let quote = (0..26)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let (_, e) = claims(&format!(
        "> [!CLAIM C02 p1]\n> \"{quote}\"\n\n> [!VERDICT accurate]\n> [x](cite:l3)\n"
    ));
    assert_eq!(
        e,
        vec!["src/a.md:1:3: claim C02 quotes 26 words of the article in one passage"]
    );
}

fn book_errors(chapters: &[&str], count: Option<u32>) -> Vec<String> {
    let mut d = Diagnostics::default();
    let paths: Vec<String> = (0..chapters.len()).map(|i| format!("src/{i}.md")).collect();
    let mut all = Vec::new();
    for (path, text) in paths.iter().zip(chapters) {
        let cx = ScanContext::for_test("a.md", path);
        let s = scan(&cx, text, &mut d);
        all.push(collect(path, text, &s, &mut d));
    }
    let texts: Vec<(&str, &str)> = paths
        .iter()
        .map(String::as_str)
        .zip(chapters.iter().copied())
        .collect();
    check_book(&texts, &all, count, &mut d);
    d.items().iter().map(|d| d.short()).collect()
}

fn card(id: &str, para: &str) -> String {
    format!("> [!CLAIM {id} {para}]\n> T.\n\n> [!VERDICT accurate]\n> [x](cite:l3)\n")
}

#[test]
fn claim_ids_are_written_one_way_and_in_range() {
    assert!(book_errors(&[&card("C01", "¶1"), &card("C46", "¶9")], Some(46)).is_empty());
    assert_eq!(
        book_errors(&[&card("C1", "¶1"), &card("C46", "¶9")], None),
        vec!["src/0.md:1:3: claim id `C1` is not written as `C01`"]
    );
    assert!(
        book_errors(&[&card("C01", "¶1")], None).is_empty(),
        "one width, chosen by the book"
    );
    assert_eq!(
        book_errors(&[&card("C99", "¶1")], Some(46)),
        vec!["src/0.md:1:3: claim C99 is past the article's last claim"]
    );
    assert_eq!(
        book_errors(
            &[&card("C01", "¶1"), &card("C001", "¶2"), &card("C10", "¶3")],
            None
        ),
        vec![
            "src/0.md:1:3: claim id `C01` is not written as `C001`",
            "src/1.md:1:3: claim 1 is annotated twice",
            "src/2.md:1:3: claim id `C10` is not written as `C010`",
        ]
    );
}

#[test]
fn signs_zeros_and_empty_blocks_are_errors() {
    for bad in [
        "C+5 ¶1", "C0 ¶1", "C05 ¶0", "C05 p-1", "C ¶1", "C05 ¶", "Cx ¶1",
    ] {
        let (c, e) = claims(&format!("> [!CLAIM {bad}]\n> T.\n"));
        assert!(c.is_empty(), "{bad}");
        assert_eq!(e.len(), 1, "{bad}: {e:?}");
        assert!(e[0].contains("malformed claim marker"), "{bad}: {e:?}");
    }
    let (_, e) = claims("> [!CLAIM C01 ¶1]\n\n> [!VERDICT accurate]\n> [x](cite:l3)\n");
    assert_eq!(
        e,
        vec!["src/a.md:1:3: claim C01: the `[!CLAIM]` block is empty"]
    );
}

#[test]
fn a_text_fragment_comes_from_the_first_quote_of_two_words_or_more() {
    use super::cards::text_fragment;
    // Spaces and the fragment's own syntax escaped; a final stop dropped.
    assert_eq!(
        text_fragment("It says \"405B\" and \"a tour de force, of sorts.\"").as_deref(),
        Some("a%20tour%20de%20force%2C%20of%20sorts")
    );
    // A word with a quote mark in it (the article may curl it) splits the
    // passage into a start and an end.
    assert_eq!(
        text_fragment("“much better 'zero-shot' tool use”").as_deref(),
        Some("much%20better,tool%20use")
    );
    // Nothing usable: no quote, or one word only.
    assert_eq!(text_fragment("A paraphrase."), None);
    assert_eq!(text_fragment("The \"405B\" model."), None);
    assert_eq!(text_fragment("\"'so-called' experts\""), None);
}
