use super::*;
use crate::chapter::Chapter;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::pipeline::transform;
use crate::templates::Templates;

fn titles(id: &str) -> Option<&'static str> {
    (id == "other").then_some("Part › Other chapter")
}

#[test]
fn the_first_paragraph_after_a_heading_passes_over_lists_and_citations() {
    let text = "# Title\n\n## Section {#s}\n\n- Aliases: A\n- Short: B\n\n\
                It is *stable* [§3](cite:l3), see <xref:other> and [the figure](figure:f),\n\
                or [that](xref:other).\n\nA second paragraph.\n";
    let at = text.find("{#s}").unwrap() + 4;
    assert_eq!(
        first_paragraphs(text, &[at], &titles)[0],
        "It is stable, see Part › Other chapter and, or that."
    );
}

#[test]
fn a_claim_preview_is_the_text_after_its_marker() {
    let text = "# T\n\n> [!CLAIM C16 ¶7]\n> The article calls it \"old\".\n\n> [!VERDICT accurate]\n> Yes.\n";
    let at = text.find("¶7]").unwrap() + "¶7]".len();
    assert_eq!(
        first_paragraphs(text, &[at], &titles)[0],
        "The article calls it “old”."
    );
    // A heading right above a claim: its marker is left out.
    let at = text.find("# T").unwrap() + 3;
    assert_eq!(
        first_paragraphs(text, &[at], &titles)[0],
        "The article calls it “old”."
    );
}

#[test]
fn a_long_paragraph_is_cut_at_a_word_with_an_ellipsis() {
    let long = "word, ".repeat(100);
    let short = shorten(long.trim());
    assert!(short.ends_with("word…"), "{short}");
    assert!(short.chars().count() <= PREVIEW_CHARS + 1);
    assert_eq!(shorten("A short one."), "A short one.");
}

fn chapter(path: &str, name: &str, part: Option<&str>, content: &str) -> Chapter {
    Chapter {
        path: path.into(),
        display: format!("src/{path}"),
        name: name.into(),
        part: part.map(str::to_string),
        content: content.into(),
    }
}

/// The page's store holds each target once however often it is named, in
/// order of first use, keyed by the links' own `href`, its text sealed
/// (and with mdBook's smart punctuation, as the page shows it).
#[test]
fn each_page_carries_each_target_once_escaped() {
    let chapters = [
        chapter(
            "a.md",
            "A",
            Some("Decision 1: dense"),
            "# A\n\nSee <xref:s>, <xref:s> again, and [B](xref:b).\n",
        ),
        chapter(
            "d/b.md",
            "B chapter",
            Some("Decision 1: dense"),
            "# B {#b}\n\nOpening <b>bold</b> & \"quoted\" [x](javascript:alert(1)).\n\n\
             ## The section {#s}\n\nIts first paragraph.\n",
        ),
    ];
    let mut diags = Diagnostics::default();
    let t = Templates::defaults();
    let out = transform(&chapters, &Config::default(), Some(&t), &mut diags);
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    let store = out[0]
        .split("<div class=\"gloss-previews\">\n")
        .nth(1)
        .expect("a store");
    assert_eq!(
        store,
        "<span data-gloss-preview=\"d/b.html#s\" data-context=\"Decision 1 › B chapter\" data-title=\"The section\" data-text=\"Its first paragraph.\"></span>\n\
         <span data-gloss-preview=\"d/b.html\" data-context=\"Decision 1\" data-title=\"B chapter\" data-text=\"Opening bold &amp; “quoted” x.\"></span>\n\
         </div>\n"
    );
    // A page without cross-references has no store.
    assert!(!out[1].contains("gloss-previews"), "{}", out[1]);
}

#[test]
fn a_citation_left_out_leaves_no_gap_or_empty_parenthesis() {
    let text = "# T\n\nStable [§3](cite:l3). Dense ([§1](cite:l3)), and (see [](cite:w)) so.\n";
    assert_eq!(
        first_paragraphs(text, &[3], &titles)[0],
        "Stable. Dense, and (see) so."
    );
}

/// Read together in one parse, the paragraphs of many targets are those
/// each finds alone: headings, a claim's marker, targets whose paragraphs
/// are the same one, a list between, and a target with nothing after it.
#[test]
fn one_parse_reads_each_target_as_alone() {
    let text = "# T {#t}\n\n## A {#a}\n\n## B {#b}\n\n- item\n\nFirst *para* [§1](cite:l3) and <xref:other>.\n\n\
                > [!CLAIM C1 ¶2]\n> Claimed [here](xref:other) `x`.\n\n## C {#c}\n\nSecond\nline.\n\n## D {#d}\n";
    let ats: Vec<usize> = ["{#t}", "{#a}", "{#b}", "¶2]", "{#c}", "{#d}"]
        .iter()
        .map(|m| text.find(m).unwrap() + m.len())
        .chain([0, 5, text.len()])
        .collect();
    let together = first_paragraphs(text, &ats, &titles);
    let alone: Vec<String> = ats
        .iter()
        .map(|&at| first_paragraphs(text, &[at], &titles).remove(0))
        .collect();
    assert_eq!(together, alone);
    assert_eq!(
        together[..6],
        [
            "First para and Part › Other chapter.",
            "First para and Part › Other chapter.",
            "First para and Part › Other chapter.",
            "Claimed here x.",
            "Second line.",
            "",
        ]
    );
}

/// Every offset after which a preview could start in `text`: each heading's
/// end and each line's, as the scan sees the chapter.
fn every_reading(text: &str) -> (crate::scan::Scan, Vec<usize>) {
    let cx = crate::scan::ScanContext::for_test("a.md", "src/a.md");
    let mut d = Diagnostics::default();
    let scan = crate::scan::scan(&cx, text, &mut d);
    let mut ats: Vec<usize> = scan.headings.iter().map(|h| h.range.end).collect();
    ats.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    ats.push(0);
    (scan, ats)
}

#[test]
fn a_paragraph_read_alone_reads_as_in_its_chapter() {
    let chapters = [
        "# T\n\n## A {#a}\n\nPlain *text* with [a link][ref] and [§3][c].\n\n## B\n\n[§1](cite:l3)\n\nAfter an empty one.\n\n[ref]: https://example.org\n[c]: cite:l3\n",
        "# T\n\n## A\n\n> Quoted first.\n\nThen plain.\n\n## B\n\n- a list\n\n  with a paragraph\n\nLast <xref:other> here.\n",
        "# T\n\n## A\n\nA footnote[^1] here.\n\n[^1]: The note.\n\n## B\n\nSetext\n===\n\nBody \"quoted\" text.\n",
        "# T\n\nIntro.\n\n## Table\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n```\n\n<div>html</div>\n\nText after `code` and <b>tags</b>.\n\n## Empty\n",
        "# T\n\n> [!CLAIM C1 ¶2]\n> The claim.\n\n## After\n\n  Indented start\n      lazy line\nend.\n\nTerm\n: its definition\n\nThe end [x].\n\n[x]:\n  https://two.lines\n",
    ];
    let mut fast = 0;
    for text in chapters {
        let (scan, ats) = every_reading(text);
        let full = first_paragraphs(text, &ats, &titles);
        for (at, expected) in ats.iter().zip(&full) {
            if let Some(alone) = first_paragraph_alone(text, &scan, *at, &titles) {
                assert_eq!(&alone, expected, "{text:?} from {at}");
                fast += 1;
            }
        }
    }
    // Most readings take the short way.
    assert!(fast > 40, "{fast}");
}
