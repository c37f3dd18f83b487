use super::*;

#[test]
fn location_counts_lines_and_characters() {
    let text = "first\nsé <xref:x> end\n";
    let start = text.find("<xref").unwrap();
    let loc = Location::new("src/a.md", text, start..start + 9);
    assert_eq!((loc.line, loc.column), (2, 4));
}

#[test]
fn renders_like_rustc() {
    let text = "See <xref:two-step-forcast>.\n";
    let d = Diagnostic::error("unknown cross-reference id `two-step-forcast`")
        .at(Location::new("src/a.md", text, 4..27))
        .label("no chapter, heading, term, claim or reference has this id")
        .help("did you mean `two-step-forecast`?");
    let out = d.render();
    assert!(
        out.starts_with("error: unknown cross-reference id `two-step-forcast`"),
        "{out}"
    );
    assert!(out.contains("src/a.md:1:5"), "{out}");
    assert!(out.contains("^^^^^^^^^^^^^^^^^^^^^^^ no chapter"), "{out}");
    assert!(
        out.contains("help: did you mean `two-step-forecast`?"),
        "{out}"
    );
}

#[test]
fn suggests_close_names_only() {
    let known = ["two-step-forecast", "isoflop", "dpo"];
    assert_eq!(
        suggest("two-step-forcast", known).unwrap(),
        "did you mean `two-step-forecast`?"
    );
    assert_eq!(suggest("zzz", known), None);
}

#[test]
fn workflow_commands_are_escaped_as_github_requires() {
    assert_eq!(
        escape_data("100% done,\r\nnext: yes"),
        "100%25 done,%0D%0Anext: yes"
    );
    assert_eq!(escape_property("a: b, 5%\n"), "a%3A b%2C 5%25%0A");
    let text = "See <xref:two-step-forcast>.\n";
    let d = Diagnostic::error("unknown id `a,b:c` at 100%")
        .at(Location::new("src/a, b.md", text, 4..27))
        .label("no chapter has this id")
        .help("did you mean `x`?");
    assert_eq!(
        d.workflow_command("docs/"),
        "::error file=docs/src/a%2C b.md,line=1,col=5,title=unknown id `a%2Cb%3Ac` at 100%25\
         ::no chapter has this id%0Ahelp: did you mean `x`?"
    );
    // No label or help: the reason is the message. No place: no file.
    assert_eq!(
        Diagnostic::warning("odd: 50%").workflow_command(""),
        "::warning title=odd%3A 50%25::odd: 50%25"
    );
    let mut all = Diagnostics::default();
    all.push(Diagnostic::warning("w").at(Location::file("book.toml", 1, 1)));
    all.push(Diagnostic::error("e"));
    assert_eq!(
        all.workflow_commands(""),
        "::warning file=book.toml,line=1,col=1,title=w::w\n::error title=e::e\n"
    );
}
