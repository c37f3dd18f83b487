use super::*;

const SAMPLE: &str = "# Glossary\n\nIntro.\n\n## Mixture of experts {#moe}\n\n- Aliases: MoE, mixture-of-experts\n- See also: [Router](#router)\n\nA layer of *many* experts.\n\nMore.\n\n## Router {#router}\n\nPicks experts.\n";

#[test]
fn reads_entries_fields_and_first_paragraph() {
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", SAMPLE, Format::REFERENCES, &mut d);
    assert_eq!(d.items().len(), 0);
    assert_eq!(entries.len(), 2);
    let moe = &entries[0];
    assert_eq!(
        (moe.id.as_str(), moe.title.as_str()),
        ("moe", "Mixture of experts")
    );
    assert_eq!(moe.fields.len(), 2);
    assert_eq!(moe.fields[0].key, "Aliases");
    assert_eq!(
        &SAMPLE[moe.fields[0].value_range.clone()],
        "MoE, mixture-of-experts"
    );
    assert_eq!(
        moe.first_paragraph.as_ref().unwrap().1,
        "A layer of many experts."
    );
    assert_eq!(moe.end, SAMPLE.find("## Router").unwrap());
    assert_eq!(entries[1].fields.len(), 0);
}

#[test]
fn source_without_id_is_an_error_with_a_suggestion() {
    let mut d = Diagnostics::default();
    parse_entries(
        "g.md",
        "## Key-value cache\n\nText.\n",
        Format::REFERENCES,
        &mut d,
    );
    assert_eq!(
        d.items()[0].short(),
        "g.md:1:1: entry `Key-value cache` has no id"
    );
    assert!(
        d.items()[0]
            .help
            .as_deref()
            .unwrap()
            .contains("{#key-value-cache}")
    );
}

#[test]
fn split_list_keeps_ranges() {
    let parts = split_list("MoE,  sparse MoE", 10);
    assert_eq!(parts[1].0, "sparse MoE");
    assert_eq!(parts[1].1, 16..26);
}

#[test]
fn a_field_that_runs_into_a_second_paragraph_is_an_error() {
    let text = "# R\n\n## Source {#s}\n\n- Authors: A\n\n  B\n- Year: 2024\n\nBody.\n";
    let mut d = Diagnostics::default();
    parse_entries("src/r.md", text, Format::REFERENCES, &mut d);
    assert_eq!(
        d.items().iter().map(|d| d.short()).collect::<Vec<_>>(),
        vec!["src/r.md:5:12: the `Authors:` field runs into a second paragraph"]
    );
}

#[test]
fn split_list_keeps_a_part_with_an_unclosed_bracket() {
    // The last part used to vanish, and with it the alias, silently.
    let parts = split_list("MoE, yak [x", 0);
    assert_eq!(
        parts.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["MoE", "yak [x"]
    );
    assert_eq!(parts[1].1, 5..11);
}

fn glossary(level: u8) -> Format {
    Format {
        level,
        derived_ids: true,
        short_field: Some("Short"),
    }
}

/// The Rust Reference's shape: letter groups at `##`, entries at `###`
/// without ids, sub-headings in an entry's body.
const LEVEL_3: &str = "# Glossary\n\n## A\n\nTerms under A.\n\n### Abstract syntax tree\n\nA tree.\n\n#### Example\n\nMore.\n\n### Alignment {#align}\n\nA multiple.\n\n## B\n\n### Bound\n\nA constraint.\n";

#[test]
fn entries_at_level_3_under_section_headings() {
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", LEVEL_3, glossary(3), &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["abstract-syntax-tree", "align", "bound"]);
    // A section heading ends the entry before it; a deeper heading does not.
    assert_eq!(entries[0].end, LEVEL_3.find("### Alignment").unwrap());
    assert_eq!(entries[1].end, LEVEL_3.find("## B").unwrap());
    assert_eq!(entries[2].end, LEVEL_3.len());
    assert_eq!(entries[0].subheading, Some(4));
    // The text under `## A` belongs to no entry.
    assert_eq!(entries[0].first_paragraph.as_ref().unwrap().1, "A tree.");
}

#[test]
fn the_same_file_at_level_2_reads_the_letter_groups() {
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", LEVEL_3, glossary(2), &mut d);
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(entries[0].subheading, Some(3));
    // A deeper heading is part of the body; an entry without an id has no
    // definition after it.
    assert_eq!(entries[1].first_paragraph, None);
    // One with an id reads as it always has: the paragraph is its definition.
    let text = LEVEL_3.replace("## B", "## B {#b}");
    let entries = parse_entries("g.md", &text, glossary(2), &mut d);
    assert_eq!(
        entries[1].first_paragraph.as_ref().unwrap().1,
        "A constraint."
    );
}

#[test]
fn derived_ids_are_the_pages() {
    let text = "# Bound\n\n## Bound\n\nOne.\n\n## Bound {#b2}\n\nTwo.\n\n## Bound!\n\nThree.\n";
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", text, glossary(2), &mut d);
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    // The title took `bound`; an explicit id takes no number.
    assert_eq!(ids, ["bound-1", "b2", "bound-2"]);
}

#[test]
fn a_heading_that_derives_no_id_is_an_error() {
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", "### ???\n\nText.\n", glossary(3), &mut d);
    assert!(entries.is_empty());
    assert_eq!(d.items()[0].short(), "g.md:1:1: entry `???` has no id");
    assert!(
        d.items()[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`### ??? {#some-id}`")
    );
}

#[test]
fn a_short_field_lets_the_first_paragraph_run_into_a_list() {
    let text = "## Scope\n\nA region that can affect:\n- names,\n- lifetimes.\n";
    let mut d = Diagnostics::default();
    parse_entries("g.md", text, glossary(2), &mut d);
    assert_eq!(
        d.items()[0].short(),
        "g.md:4:1: the short definition runs straight into a block"
    );
    assert!(
        d.items()[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`- Short:` field")
    );
    let text = "## Scope\n\n- Short: A region of the program.\n\nA region that can affect:\n- names,\n- lifetimes.\n";
    let mut d = Diagnostics::default();
    parse_entries("g.md", text, glossary(2), &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
}

#[test]
fn a_paragraph_field_is_checked_as_a_paragraph() {
    let read = |value: &str| {
        let text = format!("## T\n\n- Short: {value}\n\nBody.\n");
        let mut d = Diagnostics::default();
        let entries = parse_entries("g.md", &text, glossary(2), &mut d);
        let out = paragraph_field("g.md", &text, &entries[0].fields[0], &mut d);
        (out, d.items().iter().map(|d| d.short()).collect::<Vec<_>>())
    };
    assert_eq!(
        read("A *small* [link](https://x.org)."),
        (Some("A small link.".to_string()), vec![])
    );
    assert_eq!(
        read("> quoted"),
        (
            None,
            vec!["g.md:3:10: the `Short:` field is not a paragraph of text".to_string()]
        )
    );
    assert_eq!(
        read("a <script>x</script>").1[0],
        "g.md:3:12: raw HTML `<script>` is not allowed here"
    );
    assert_eq!(
        read("[x](javascript:alert(1))").1,
        ["g.md:3:10: a `javascript:` link is not allowed here"]
    );
}

#[test]
fn an_id_on_the_line_below_a_heading_is_an_error() {
    let text = "## Zebu\nstriped {#zebu}\n\nA cattle.\n\n```md\n## Example\ncode {#not-an-id}\n```\n\n### Sub {#sub}\n\n## Next\n\nMore.\n";
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", text, glossary(2), &mut d);
    assert_eq!(entries[0].id, "zebu");
    assert_eq!(
        d.items().iter().map(|d| d.short()).collect::<Vec<_>>(),
        ["g.md:2:9: `{#zebu}` ends a line that is not a heading"]
    );
    // An entry with an id reads as it always has.
    let mut d = Diagnostics::default();
    parse_entries(
        "g.md",
        &text.replace("## Zebu", "## Zebu {#z}"),
        glossary(2),
        &mut d,
    );
    assert!(d.items().is_empty(), "{:?}", d.items());
}

#[test]
fn a_title_heading_ends_no_entry() {
    let text =
        "# Glossary\n\n## A {#a}\n\nDefined.\n\n# Appendix\n\nStill A's.\n\n## B {#b}\n\nB.\n";
    for level in [2, 3] {
        let text = text.replace("## ", &format!("{} ", "#".repeat(level)));
        let mut d = Diagnostics::default();
        let entries = parse_entries("g.md", &text, glossary(level as u8), &mut d);
        assert_eq!(
            entries[0].end,
            text.find(&format!("{} B", "#".repeat(level))).unwrap()
        );
    }
}
