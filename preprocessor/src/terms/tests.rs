use super::*;

fn errors(text: &str) -> Vec<String> {
    let mut d = Diagnostics::default();
    Glossary::parse("src/glossary.md", text, &mut d);
    d.items().iter().map(|d| d.short()).collect()
}

#[test]
fn reads_terms_aliases_and_parenthetical_abbreviations() {
    let text = "# Glossary\n\n## Supervised fine-tuning (SFT) {#sft}\n\n- Aliases: instruction tuning\n- See also: [DPO](#dpo)\n\nTraining on examples.\n\n## DPO {#dpo}\n\nA loss.\n";
    let mut d = Diagnostics::default();
    let g = Glossary::parse("g.md", text, &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    assert_eq!(g.terms[0].name, "Supervised fine-tuning");
    assert_eq!(g.terms[0].aliases, vec!["SFT", "instruction tuning"]);
    assert_eq!(g.terms[0].see_also, vec!["dpo"]);
    assert_eq!(g.terms[0].definition, "Training on examples.");
}

#[test]
fn duplicate_id() {
    assert_eq!(
        errors("## A {#a}\n\nx.\n\n## B {#a}\n\ny.\n"),
        vec!["src/glossary.md:5:1: duplicate glossary id `a`"]
    );
}

#[test]
fn colliding_alias() {
    let e = errors(
        "## Mixture of experts {#moe}\n\n- Aliases: MoE\n\nx.\n\n## Sparse {#sparse}\n\n- Aliases: MoE\n\ny.\n",
    );
    assert_eq!(
        e,
        vec!["src/glossary.md:9:1: `MoE` names two glossary entries, `moe` and `sparse`"]
    );
}

#[test]
fn lower_case_names_collide_ignoring_case() {
    let e = errors(
        "## Attention {#attention}\n\nx.\n\n## Other {#other}\n\n- Aliases: attention\n\ny.\n",
    );
    assert_eq!(e.len(), 1);
}

#[test]
fn empty_definition() {
    assert_eq!(
        errors("## A {#a}\n\n## B {#b}\n\nx.\n"),
        vec!["src/glossary.md:1:1: glossary entry `a` has no short definition"]
    );
}

#[test]
fn unknown_see_also_suggests() {
    let mut d = Diagnostics::default();
    Glossary::parse(
        "g.md",
        "## Router {#router}\n\n- See also: [M](#moee)\n\nx.\n\n## M {#moe}\n\ny.\n",
        &mut d,
    );
    assert_eq!(
        d.items()[0].short(),
        "g.md:3:17: see-also to unknown glossary id `moee`"
    );
    assert_eq!(d.items()[0].help.as_deref(), Some("did you mean `moe`?"));
}

#[test]
fn malformed_field_lines() {
    let e = errors("## A {#a}\n\n- Alias: x\n\nx.\n");
    assert_eq!(
        e,
        vec!["src/glossary.md:3:1: unknown field `Alias` in glossary entry `a`"]
    );
    let e = errors("## A {#a}\n\n- Aliases: x,, y\n\nx.\n");
    assert_eq!(
        e,
        vec!["src/glossary.md:3:1: empty alias in glossary entry `a`"]
    );
    let e = errors("## A {#a}\n\n- Aliases x\n\nx.\n");
    assert_eq!(
        e,
        vec!["src/glossary.md:3:1: malformed field: expected `Key: value`"]
    );
}

#[test]
fn names_that_differ_only_in_case_or_normalisation_collide() {
    let nfc = "Caf\u{e9}";
    let nfd = "Cafe\u{301}";
    let text = format!("# Glossary\n\n## {nfc} {{#a}}\n\nA.\n\n## {nfd} {{#b}}\n\nB.\n");
    assert_eq!(
        errors(&text),
        vec![format!(
            "src/glossary.md:7:1: `{nfd}` names two glossary entries, `a` and `b`"
        )]
    );
    let text = "# Glossary\n\n## MoE {#a}\n\nA.\n\n## Moe {#b}\n\nB.\n";
    assert_eq!(
        errors(text),
        vec!["src/glossary.md:7:1: `Moe` names two glossary entries, `a` and `b`"]
    );
}

#[test]
fn a_short_field_is_the_definition() {
    let text = "## Scope {#scope}\n\n- Short: The *region* of a program where a name means one thing.\n\nA scope can affect:\n- names,\n- lifetimes.\n";
    let mut d = Diagnostics::default();
    let g = Glossary::parse("g.md", text, &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    assert_eq!(
        g.terms[0].definition,
        "The region of a program where a name means one thing."
    );
    // Without a first paragraph too.
    let g = Glossary::parse("g.md", "## Scope\n\n- Short: A region.\n", &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    assert_eq!(
        (g.terms[0].id.as_str(), g.terms[0].definition.as_str()),
        ("scope", "A region.")
    );
}

#[test]
fn short_field_misuse() {
    assert_eq!(
        errors("## A\n\n- Short:\n\nx.\n"),
        ["src/glossary.md:3:1: the `Short:` field of glossary entry `a` is empty"]
    );
    assert_eq!(
        errors("## A\n\n- Short: One.\n- Short: Two.\n\nx.\n"),
        ["src/glossary.md:4:1: glossary entry `a` has a second `Short:` field"]
    );
    assert_eq!(
        errors("## A\n\n- Short: One.\n\n  Two.\n\nx.\n"),
        ["src/glossary.md:3:10: the `Short:` field runs into a second paragraph"]
    );
    assert_eq!(
        errors("## A\n\n- Short: One <div>x</div>.\n\nx.\n")[0],
        "src/glossary.md:3:14: raw HTML `<div>` is not allowed here"
    );
    assert_eq!(
        errors("## A\n\n- Short: <div>One.</div>\n\nx.\n"),
        ["src/glossary.md:3:10: the `Short:` field is not a paragraph of text"]
    );
    assert_eq!(
        errors("## A\n\n- Short: # One.\n\nx.\n"),
        ["src/glossary.md:3:10: the `Short:` field is not a paragraph of text"]
    );
}

#[test]
fn match_field_sets_how_mentions_are_found() {
    let text = "## Bound\n\n- Match: case-sensitive\n\nA constraint.\n\n## Scope\n\n- Aliases: scopes\n- Match: linked-only\n\nA region.\n\n## Index\n\n- Aliases: indices\n\nA position.\n";
    let mut d = Diagnostics::default();
    let g = Glossary::parse("g.md", text, &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    assert_eq!(g.terms[0].matching, Matching::CaseSensitive);
    assert_eq!(g.terms[1].matching, Matching::LinkedOnly);
    let patterns: Vec<(String, usize, bool)> = g
        .patterns()
        .into_iter()
        .map(|p| (p.text, p.term, p.exact))
        .collect();
    assert_eq!(
        patterns,
        [
            ("Bound".to_string(), 0, true),
            ("Index".to_string(), 2, false),
            ("indices".to_string(), 2, false),
        ]
    );
}

#[test]
fn match_field_misuse() {
    let mut d = Diagnostics::default();
    Glossary::parse("g.md", "## A\n\n- Match: case sensitive\n\nx.\n", &mut d);
    let e = &d.items()[0];
    assert_eq!(
        e.short(),
        "g.md:3:10: unknown `Match:` value `case sensitive` in glossary entry `a`"
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `case-sensitive`?"));
    assert!(
        e.label
            .as_deref()
            .unwrap()
            .contains("`case-sensitive` or `linked-only`")
    );
    assert_eq!(
        errors("## A\n\n- Match:\n\nx.\n"),
        ["src/glossary.md:3:1: unknown `Match:` value `` in glossary entry `a`"]
    );
    assert_eq!(
        errors("## A\n\n- Match: linked-only\n- Match: linked-only\n\nx.\n"),
        ["src/glossary.md:4:1: glossary entry `a` has a second `Match:` field"]
    );
}

#[test]
fn entries_at_level_3_without_ids() {
    let text = "# Glossary\n\n## B\n\n### Bound\n\nA constraint.\n\n### Bound check\n\nA test.\n\n## S\n\n### Scope\n\nA region.\n";
    let mut d = Diagnostics::default();
    let g = Glossary::parse_at("g.md", text, 3, &mut d);
    assert!(d.items().is_empty(), "{:?}", d.items());
    let ids: Vec<&str> = g.terms.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["bound", "bound-check", "scope"]);
    // Read at level 2, the letter groups are entries, and the error says
    // where the entries are.
    let mut d = Diagnostics::default();
    let text = "# Glossary\n\n## B\n\n### Bound\n\nA constraint.\n";
    Glossary::parse("g.md", text, &mut d);
    assert_eq!(
        d.items()[0].short(),
        "g.md:3:1: glossary entry `b` has no short definition"
    );
    assert!(
        d.items()[0]
            .help
            .as_deref()
            .unwrap()
            .contains("set `entry-level = 3`"),
        "{:?}",
        d.items()[0].help
    );
}
