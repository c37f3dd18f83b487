use super::*;

fn config(toml: &str) -> Result<Config, Diagnostic> {
    let c: mdbook_preprocessor::config::Config = toml.parse().unwrap();
    Config::from_mdbook(&c, Some(toml))
}

#[test]
fn defaults_and_mdbook_keys() {
    let c = config(
        "[preprocessor.gloss]\ncommand = \"x\"\nafter = [\"links\"]\ncallouts = \"every\"\n",
    )
    .unwrap();
    assert_eq!(c.callouts, Policy::Every);
    assert_eq!(c.glossary, "glossary.md");
    assert!(c.terms_list);
}

#[test]
fn unknown_key_names_it_and_its_line() {
    let e = config(
        "[book]\ntitle = \"t\"\n\n[preprocessor.gloss]\ncommand = \"x\"\ncallout = \"every\"\n",
    )
    .unwrap_err();
    assert!(
        e.message.contains("unknown field `callout`"),
        "{}",
        e.message
    );
    assert_eq!(e.short().split(": ").next(), Some("book.toml:6:1"));
    assert!(e.help.unwrap().contains("callouts"));
}

#[test]
fn wrong_types_name_the_key_what_it_accepts_and_the_line() {
    for (toml, at, accepts) in [
        (
            "[preprocessor.gloss]\ncallouts = 1\n",
            "book.toml:2:12",
            "`first-in-chapter`",
        ),
        (
            "[preprocessor.gloss]\nterms-list = \"yes\"\n",
            "book.toml:2:14",
            "`true` or `false`",
        ),
        (
            "[preprocessor.gloss]\nclaim-count = -1\n",
            "book.toml:2:15",
            "a whole number",
        ),
        (
            "[book]\n\n[preprocessor.gloss]\nglossary = 3\n",
            "book.toml:4:12",
            "the glossary chapter",
        ),
    ] {
        let e = config(toml).unwrap_err();
        assert_eq!(
            e.short().split(": ").next(),
            Some(at),
            "{toml}: {}",
            e.short()
        );
        assert!(
            e.help.as_deref().unwrap_or("").contains(accepts),
            "{toml}: {:?}",
            e.help
        );
    }
}

#[test]
fn bad_policy_value() {
    let e = config("[preprocessor.gloss]\ncallouts = \"sometimes\"\n").unwrap_err();
    assert!(
        e.message.contains("unknown variant `sometimes`"),
        "{}",
        e.message
    );
}

#[test]
fn entry_level_is_a_heading_level() {
    assert_eq!(config("").unwrap().entry_level.get(), 2);
    let c = config("[preprocessor.gloss]\nentry-level = 3\n").unwrap();
    assert_eq!(c.entry_level.get(), 3);
    for (value, reason) in [
        ("7", "`7` is not a heading level"),
        ("0", "`0` is not a heading level"),
        ("-1", "`-1` is not a heading level"),
        ("\"3\"", "invalid type"),
        ("2.5", "invalid type"),
    ] {
        let toml = format!("[book]\n\n[preprocessor.gloss]\nentry-level = {value}\n");
        let e = config(&toml).unwrap_err();
        assert_eq!(
            e.short().split(": ").next(),
            Some("book.toml:4:15"),
            "{value}"
        );
        assert!(e.message.contains(reason), "{value}: {}", e.message);
        assert!(
            e.help.as_deref().unwrap_or("").contains("from 1 to 6"),
            "{value}: {:?}",
            e.help
        );
    }
}
