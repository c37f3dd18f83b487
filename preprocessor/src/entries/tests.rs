use super::*;

const SAMPLE: &str = "# Glossary\n\nIntro.\n\n## Mixture of experts {#moe}\n\n- Aliases: MoE, mixture-of-experts\n- See also: [Router](#router)\n\nA layer of *many* experts.\n\nMore.\n\n## Router {#router}\n\nPicks experts.\n";

#[test]
fn reads_entries_fields_and_first_paragraph() {
    let mut d = Diagnostics::default();
    let entries = parse_entries("g.md", SAMPLE, &mut d);
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
fn entry_without_id_is_an_error_with_a_suggestion() {
    let mut d = Diagnostics::default();
    parse_entries("g.md", "## Key-value cache\n\nText.\n", &mut d);
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
    parse_entries("src/r.md", text, &mut d);
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
