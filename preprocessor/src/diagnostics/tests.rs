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
