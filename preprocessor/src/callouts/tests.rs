use super::*;

/// The diagnostics `check_templates` gives with `files` in place of the
/// built-in templates of the same names.
fn check(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("a template written");
    }
    let mut diags = Diagnostics::default();
    let t = Templates::load(Some((dir.path(), "theme/gloss")), &mut diags)
        .expect("the templates compile");
    check_templates(&t, &mut diags);
    diags.render(false)
}

#[test]
fn the_built_in_templates_keep_the_contract() {
    assert_eq!(check(&[]), "");
}

#[test]
fn a_terms_list_item_without_the_definition_is_a_warning() {
    let out = check(&[(
        "terms-list-item.html",
        "<li><a href=\"{{ href }}\">{{ name }}</a></li>",
    )]);
    assert!(
        out.contains(
            "warning: template `theme/gloss/terms-list-item.html` gives gloss.js no definitions"
        ),
        "{out}"
    );
}

#[test]
fn a_terms_list_that_drops_or_escapes_its_items_is_a_warning() {
    for list in ["<ul>{{ count }}</ul>", "<ul>\n{{ items }}</ul>"] {
        let out = check(&[("terms-list.html", list)]);
        assert!(
            out.contains(
                "warning: template `theme/gloss/terms-list.html` does not print its items"
            ),
            "{list}: {out}"
        );
    }
}
