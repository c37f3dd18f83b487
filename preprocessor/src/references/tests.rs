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

#[test]
fn reads_a_doi_and_rejects_what_is_not_one() {
    let (r, e) = parse(
        "## X {#x}\n\n- Authors: A\n- Cite as: A 2020\n- Year: 2020\n- DOI: 10.18653/v1/2020.acl-main.1\n",
    );
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(
        r.refs[0].doi.as_deref(),
        Some("10.18653/v1/2020.acl-main.1")
    );
    for bad in [
        "https://doi.org/10.1000/x",
        "10.1000",
        "10./x",
        "11.1000/x",
        "10.1000/",
        "10.1000/a b",
        "10.1000/a\"b",
    ] {
        let (r, e) = parse(&format!(
            "## X {{#x}}\n\n- Authors: A\n- Cite as: A 2020\n- Year: 2020\n- DOI: {bad}\n"
        ));
        assert_eq!(
            e,
            vec![format!("src/references.md:6:8: `{bad}` is not a DOI")],
            "{bad}"
        );
        assert_eq!(r.refs[0].doi, None);
    }
    assert!(is_doi("10.1000.12/abc(1)"));
}
