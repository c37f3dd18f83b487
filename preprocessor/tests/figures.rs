//! Figures drawn from data: snapshots of the HTML (inline SVG, legend,
//! caption, data table) for each kind of chart, and of the Markdown that
//! other renderers get. `INSTA_UPDATE=always` (or `cargo insta review`)
//! accepts a change.

use mdbook_gloss::testing::Chapter;
use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::Diagnostics;
use mdbook_gloss::testing::Figures;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::transform_with;

mod common;

const REFERENCES: &str = "# References {#references}\n\n## The Llama 3 Herd of Models {#l3}\n\n\
- Authors: Llama Team, AI @ Meta\n- Cite as: Llama Team 2024\n- Year: 2024\n\nThe paper.\n";

const CHAPTER: &str = "# Figures {#figures}\n\nA line chart:\n\n[Tokens against compute, 10^18 to 10^26](figure:line)\n\n\
A bar chart, with the data file's caption:\n\n[](figure:bar)\n\nA flow:\n\n[The *loop*](figure:flow)\n";

fn figures(diags: &mut Diagnostics) -> Figures {
    let mut figures = Figures::default();
    for name in ["line", "bar", "flow"] {
        let path = common::repo().join(format!("preprocessor/tests/figures/{name}.toml"));
        let text = std::fs::read_to_string(path).unwrap();
        figures.add(name, &format!("src/data/{name}.toml"), &text, diags);
    }
    figures
}

/// The chapter, transformed for HTML (with the templates) or not.
fn render(html: bool) -> String {
    let chapter = |path: &str, content: &str| Chapter {
        path: path.to_string(),
        display: format!("src/{path}"),
        name: path.to_string(),
        part: None,
        content: content.to_string(),
    };
    let chapters = [
        chapter("part/figures.md", CHAPTER),
        chapter("references.md", REFERENCES),
    ];
    let mut diags = Diagnostics::default();
    let figures = figures(&mut diags);
    let templates = Templates::defaults();
    let out = transform_with(
        &chapters,
        &Config::default(),
        html.then_some(&templates),
        &figures,
        &mut diags,
    );
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    out.into_iter().next().unwrap()
}

/// The `n`th `<figure>` of the output.
fn figure(out: &str, n: usize) -> String {
    let start = out.match_indices("<figure").nth(n).unwrap().0;
    let end = start + out[start..].find("</figure>").unwrap() + 9;
    out[start..end].to_string()
}

#[test]
fn line_chart_with_log_axes() {
    let out = render(true);
    let html = figure(&out, 0);
    assert!(html.contains("role=\"img\""));
    assert!(
        html.contains("aria-labelledby=\"gloss-figure-line-1-title gloss-figure-line-1-desc\"")
    );
    // Powers of ten on both axes; text escaped.
    assert!(html.contains(">10<tspan font-size=\"16\" dy=\"-8\">26</tspan>"));
    assert!(html.contains("Measured &lt;points&gt; &amp; more"));
    // The caption is the directive's link text, with its superscripts.
    assert!(
        html.contains(
            "Figure 1.</span> Tokens against compute, 10<sup>18</sup> to 10<sup>26</sup>."
        )
    );
    insta::assert_snapshot!("line_chart", html);
}

#[test]
fn grouped_bar_chart() {
    let out = render(true);
    let html = figure(&out, 1);
    assert!(html.contains("Figure 2.</span> Two bars per model."));
    assert!(html.contains("total: not checked") || html.contains("active per token: not checked"));
    insta::assert_snapshot!("bar_chart", html);
}

#[test]
fn flow_diagram_with_a_loop() {
    let out = render(true);
    let html = figure(&out, 2);
    assert!(html.contains("↺ six rounds"));
    assert!(html.contains("Figure 3.</span> The loop."));
    insta::assert_snapshot!("flow_diagram", html);
}

/// No blank line inside a figure: it must stay one HTML block.
#[test]
fn each_figure_is_one_html_block() {
    let out = render(true);
    for n in 0..3 {
        assert!(!figure(&out, n).contains("\n\n"));
    }
    assert!(out.contains("</figure>\n\nA bar chart"));
}

#[test]
fn other_renderers_get_a_caption_and_a_table() {
    let out = render(false);
    assert!(!out.contains("<svg"));
    insta::assert_snapshot!("figures_markdown", out);
}
