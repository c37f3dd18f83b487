use super::axis::{linear_ticks, log_ticks};
use super::format::{Piece, format_value, plain_number, rich, smart, wrap};
use super::*;
use crate::scan::{ScanContext, scan};

fn parse_one(text: &str) -> (Option<Figure>, Vec<String>) {
    let mut diags = Diagnostics::default();
    let figure = Figure::parse("test", "src/data/test.toml", text, &mut diags);
    (
        figure,
        diags.items().iter().map(Diagnostic::short).collect(),
    )
}

const LINE: &str = r#"kind = "line"
title = "A title"
caption = "A caption"
description = "What it shows."
source = "[§3.2.1](cite:l3)"

[x]
label = "Compute"
scale = "log"
min = 1e18
max = 1e26

[y]
label = "Tokens"
scale = "log"
min = 1e9
max = 1e14

[[series]]
label = "Fit"
power-law = { a = 0.299, alpha = 0.537 }
source = "[Fig. 3](cite:l3)"
"#;

#[test]
fn log_axes_tick_at_powers_of_ten() {
    let ticks = log_ticks(1e18, 1e26, 5);
    assert_eq!(
        ticks.iter().map(|t| t.exp).collect::<Vec<_>>(),
        (18..=26).collect::<Vec<_>>()
    );
    let labelled: Vec<i32> = ticks.iter().filter(|t| t.labelled).map(|t| t.exp).collect();
    assert_eq!(labelled, vec![18, 20, 22, 24, 26]);
    // Bounds that are not powers of ten: only the powers inside.
    let ticks = log_ticks(6e18, 3.8e25, 10);
    assert_eq!(ticks.first().map(|t| t.exp), Some(19));
    assert_eq!(ticks.last().map(|t| t.exp), Some(25));
    assert!(ticks.iter().all(|t| t.labelled));
}

#[test]
fn linear_axes_tick_at_round_steps() {
    assert_eq!(
        linear_ticks(0.0, 405.0, 5),
        vec![0.0, 100.0, 200.0, 300.0, 400.0]
    );
    assert_eq!(linear_ticks(0.0, 150.0, 5), vec![0.0, 50.0, 100.0, 150.0]);
    assert_eq!(linear_ticks(0.0, 1.0, 4), vec![0.0, 0.5, 1.0]);
}

#[test]
fn values_are_written_in_their_axis_format() {
    let text = |pieces: Vec<Piece>| {
        pieces
            .iter()
            .map(|p| match &p.sup {
                Some(s) => format!("{}^{s}", p.text),
                None => p.text.clone(),
            })
            .collect::<String>()
    };
    assert_eq!(
        text(format_value(3.8e25, Format::Power, "", 4)),
        "3.8 × 10^25"
    );
    assert_eq!(text(format_value(1e22, Format::Power, "", 4)), "10^22");
    assert_eq!(text(format_value(16.55e12, Format::Si, "", 4)), "16.55T");
    assert_eq!(text(format_value(1.3846e9, Format::Si, "", 3)), "1.38B");
    assert_eq!(text(format_value(405.0, Format::Plain, "B", 4)), "405B");
    assert_eq!(plain_number(0.537), "0.537");
    assert_eq!(plain_number(6e18), "6e18");
}

#[test]
fn carets_make_superscripts_and_quotes_curl() {
    let r = rich("from 6 × 10^18 to 10^22 FLOPs.");
    assert_eq!(r.len(), 3);
    assert_eq!(
        (r[0].text.as_str(), r[0].sup.as_deref()),
        ("from 6 × 10", Some("18"))
    );
    assert_eq!(
        (r[1].text.as_str(), r[1].sup.as_deref()),
        (" to 10", Some("22"))
    );
    assert_eq!(r[2].text, " FLOPs.");
    let r = rich("0.299 · C^0.537");
    assert_eq!(r[0].sup.as_deref(), Some("0.537"));
    assert_eq!(rich("no caret")[0].text, "no caret");
    assert_eq!(
        smart(r#"the text's "rounded" constants"#),
        "the text’s “rounded” constants"
    );
    assert_eq!(smart("'quoted'"), "‘quoted’");
}

#[test]
fn text_wraps_to_width() {
    let lines = wrap("Rejection sampling", 100.0, FONT, true);
    assert_eq!(lines, vec!["Rejection", "sampling"]);
    assert_eq!(wrap("SFT", 100.0, FONT, true), vec!["SFT"]);
}

#[test]
fn a_valid_line_chart_reads() {
    let (figure, errors) = parse_one(LINE);
    assert!(errors.is_empty(), "{errors:?}");
    let figure = figure.unwrap();
    let Chart::Line(line) = &figure.chart else {
        panic!("not a line chart")
    };
    assert!(line.x.log && line.y.log);
    assert_eq!(
        figure.source.parts,
        vec![Part::Cite {
            id: "l3".into(),
            locator: "§3.2.1".into()
        }]
    );
    // A power law on log-log axes is drawn as one straight segment.
    let (geometry, height) = line.layout();
    let geometry = serde_json::to_value(&geometry).unwrap();
    let d = geometry["series"][0]["d"].as_str().unwrap();
    assert_eq!(d.matches('M').count(), 1);
    assert_eq!(d.matches('L').count(), 1);
    assert!(height > 240.0);
}

/// A wrong type is reported by serde at the value: file, line and column.
#[test]
fn a_bad_value_is_reported_at_its_line_and_column() {
    let bad = LINE.replace("min = 1e18", "min = \"ten\"");
    let (figure, errors) = parse_one(&bad);
    assert!(figure.is_none());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "src/data/test.toml:10:7: invalid figure data: invalid type: string \"ten\""
        ),
        "{errors:?}"
    );
}

#[test]
fn values_are_checked_after_reading() {
    // A logarithmic axis from zero, at the `min` value.
    let (_, errors) = parse_one(&LINE.replace("min = 1e9", "min = 0"));
    assert_eq!(
        errors,
        vec!["src/data/test.toml:16:7: a logarithmic `y` axis must start above zero"]
    );
    // A marker off the axis, at the value.
    let marker = format!(
        "{LINE}\n[[marker]]\nlabel = \"M\"\nx = 1e27\ny = 1e12\nsource = \"[§1](cite:l3)\"\n"
    );
    let (_, errors) = parse_one(&marker);
    assert_eq!(
        errors,
        vec!["src/data/test.toml:26:5: x 1e27 is outside its axis"]
    );
    // An unknown field, with the closest name suggested.
    let (_, errors) = parse_one(&LINE.replace("power-law", "power-lw"));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .starts_with("src/data/test.toml:21:1: invalid figure data: unknown field `power-lw`")
    );
}

#[test]
fn unknown_kinds_and_series_keys_suggest_the_right_one() {
    let mut diags = Diagnostics::default();
    Figure::parse(
        "t",
        "src/data/t.toml",
        &LINE.replace("\"line\"", "\"lines\""),
        &mut diags,
    );
    let d = &diags.items()[0];
    assert_eq!(
        d.short(),
        "src/data/t.toml:1:8: unknown figure kind `lines`"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `line`?"));

    let bar = r#"kind = "bar"
title = "T"
caption = "C"
description = "D"
source = "[§1](cite:l3)"
layout = "grouped"

[value]
label = "Parameters"

[[series]]
key = "total"
label = "Total"

[[series]]
key = "active"
label = "Active"

[[bar]]
label = "Mixtral 8x7B"
values = { total = 47, activ = 13 }
source = "[abstract](cite:mix)"
"#;
    let mut diags = Diagnostics::default();
    assert!(Figure::parse("t", "src/data/t.toml", bar, &mut diags).is_none());
    let d = &diags.items()[0];
    assert_eq!(d.short(), "src/data/t.toml:21:24: unknown series `activ`");
    assert_eq!(d.help.as_deref(), Some("did you mean `active`?"));
}

#[test]
fn flows_check_their_step_ids() {
    let flow = r#"kind = "flow"
title = "T"
caption = "C"
description = "D"
source = "[§4.1](cite:l3)"

[[step]]
id = "a"
label = "A"
detail = "First."
source = "[§1](cite:l3)"

[[step]]
id = "b"
label = "B"
detail = "Second."
source = "[§2](cite:l3)"

[loop]
from = "bb"
to = "a"
label = "Again"
detail = "And again."
source = "[§3](cite:l3)"
"#;
    let (_, errors) = parse_one(flow);
    assert_eq!(errors, vec!["src/data/test.toml:20:8: unknown step `bb`"]);
    let (figure, errors) = parse_one(&flow.replace("\"bb\"", "\"b\""));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(figure.unwrap().table().rows.len(), 3);
}

#[test]
fn sources_must_cite_known_references() {
    let mut figures = Figures::default();
    let mut diags = Diagnostics::default();
    figures.add(
        "test",
        "src/data/test.toml",
        &LINE.replace("cite:l3)\"\n\n[x]", "cite:l33)\"\n\n[x]"),
        &mut diags,
    );
    assert_eq!(diags.error_count(), 0);
    let refs_md = "# References {#references}\n\n## The Llama 3 Herd of Models {#l3}\n\n- Authors: Llama Team\n- Cite as: Llama Team 2024\n- Year: 2024\n\nRead.\n";
    let references = References::parse("src/references.md", refs_md, &mut diags);
    figures.check(&references, &[], &mut diags);
    let shorts: Vec<String> = diags.items().iter().map(Diagnostic::short).collect();
    assert_eq!(
        shorts,
        vec![
            "src/data/test.toml:5:10: unknown reference id `l33`",
            "src/data/test.toml:1:1: figure `test` is not placed in any chapter",
        ]
    );
    assert_eq!(diags.items()[0].help.as_deref(), Some("did you mean `l3`?"));
}

/// Every data file of the real book reads, and every source it cites is in
/// the book's references.
#[test]
fn every_data_file_of_the_book_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut diags = Diagnostics::default();
    let figures = Figures::load(&root.join("src/data"), "src/data", &mut diags);
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    assert!(figures.iter().count() >= 4, "the book has four figures");
    let refs_md = std::fs::read_to_string(root.join("src/references.md")).unwrap();
    let references = References::parse("src/references.md", &refs_md, &mut diags);
    figures.check(&references, &[], &mut diags);
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    for f in figures.iter() {
        let (_, height) = f.layout();
        assert!(
            height > 100.0 && height < 600.0,
            "{}: height {height}",
            f.name
        );
        assert!(!f.table().rows.is_empty(), "{}", f.name);
    }
}

fn scan_errors(chapter: &str) -> Vec<String> {
    let cx = ScanContext::for_test("chapter.md", "src/chapter.md");
    let mut diags = Diagnostics::default();
    let s = scan(&cx, chapter, &mut diags);
    assert!(s.refs.iter().any(|r| r.kind == RefKind::Figure));
    diags.items().iter().map(Diagnostic::short).collect()
}

#[test]
fn a_figure_is_a_paragraph_of_its_own() {
    assert!(scan_errors("# T\n\n[Caption](figure:x)\n\nText.\n").is_empty());
    assert!(scan_errors("# T\n\n[](figure:x)\n").is_empty());
    assert!(scan_errors("# T\n## Under a heading\n[Caption](figure:x)\n").is_empty());
    let alone = "a figure must be a paragraph of its own";
    assert_eq!(
        scan_errors("# T\n\nSee [Caption](figure:x) here.\n"),
        vec![format!("src/chapter.md:3:5: {alone}")]
    );
    assert_eq!(
        scan_errors("# T\n\n- [Caption](figure:x)\n"),
        vec![format!("src/chapter.md:3:3: {alone}")]
    );
    assert_eq!(
        scan_errors("# T\n\n> [Caption](figure:x)\n"),
        vec![format!("src/chapter.md:3:3: {alone}")]
    );
    assert_eq!(
        scan_errors("# T\n\n*[Caption](figure:x)*\n"),
        vec![format!("src/chapter.md:3:2: {alone}")]
    );
}

const ALL_ZERO_BAR: &str = r#"kind = "bar"
title = "T"
caption = "C"
description = "D"
source = "[§1](cite:l3)"

[value]
label = "Incidents"

[[series]]
key = "n"
label = "Incidents"

[[bar]]
label = "A"
values = { n = 0 }
source = "[§1](cite:l3)"

[[bar]]
label = "B"
values = { n = 0 }
source = "[§1](cite:l3)"
"#;

#[test]
fn an_all_zero_bar_chart_draws_on_an_axis_from_0_to_1() {
    let (figure, errors) = parse_one(ALL_ZERO_BAR);
    assert!(errors.is_empty(), "{errors:?}");
    let Some(Figure {
        chart: Chart::Bar(bar),
        ..
    }) = figure
    else {
        panic!("not a bar chart");
    };
    assert_eq!((bar.axis.min, bar.axis.max), (0.0, 1.0));
}

#[test]
fn every_way_a_figure_is_not_read_says_why() {
    // An explicit axis end at zero is the only way left to get no chart.
    let text = ALL_ZERO_BAR.replacen("label = \"Incidents\"", "label = \"Incidents\"\nmax = 0", 1);
    let (figure, errors) = parse_one(&text);
    assert!(figure.is_none());
    assert_eq!(
        errors,
        vec!["src/data/test.toml:9:7: the value axis must end above zero"]
    );
}

#[test]
fn infinity_and_nan_are_refused_wherever_they_are_written() {
    for (value, column) in [("nan", 7), ("+inf", 7), ("-inf", 7), ("-nan", 7)] {
        let text = LINE.replace("min = 1e18", &format!("min = {value}"));
        let (figure, errors) = parse_one(&text);
        assert!(figure.is_none());
        assert_eq!(
            errors,
            vec![format!(
                "src/data/test.toml:10:{column}: `{value}` is not a number a figure can draw"
            )]
        );
    }
    let text = LINE.replace("alpha = 0.537", "alpha = inf");
    assert_eq!(parse_one(&text).1.len(), 1);
    // The words in strings and comments are not values.
    let text = LINE.replace("label = \"Compute\"", "label = \"= inf\" # = nan");
    assert!(parse_one(&text).1.is_empty(), "{:?}", parse_one(&text).1);
}
