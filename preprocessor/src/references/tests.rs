use super::*;

fn parse(text: &str) -> (References, Vec<String>) {
    let mut d = Diagnostics::default();
    let r = References::parse("src/references.md", text, &mut d);
    (r, d.items().iter().map(|d| d.short()).collect())
}

#[test]
fn reads_a_reference() {
    let (r, e) = parse(
        "# References\n\n## The Llama 3 Herd of Models {#l3}\n\n- Authors: Llama Team\n- Cite as: Llama Team 2024\n- Year: 2024\n- arXiv: 2407.21783\n- URL: https://arxiv.org/abs/2407.21783\n\nRead in full.\n",
    );
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(r.refs[0].cite_as, "Llama Team 2024");
    assert_eq!(r.refs[0].arxiv.as_deref(), Some("2407.21783"));
}

#[test]
fn rejects_script_urls_and_missing_fields() {
    let (_, e) = parse(
        "## X {#x}\n\n- Authors: A\n- Cite as: A 2024\n- Year: 2024\n- URL: javascript:alert(1)\n",
    );
    assert_eq!(
        e,
        vec!["src/references.md:6:8: reference `x` has an unsafe or malformed URL"]
    );
    let (_, e) = parse("## X {#x}\n\n- Authors: A\n");
    assert_eq!(e.len(), 2);
}

#[test]
fn unknown_field_suggests() {
    let mut d = Diagnostics::default();
    References::parse(
        "r.md",
        "## X {#x}\n\n- Author: A\n- Cite as: A\n- Year: 1\n- Authors: A\n",
        &mut d,
    );
    assert_eq!(
        d.items()[0].help.as_deref(),
        Some("did you mean `Authors`?")
    );
}
