//! `$…$` and `$$…$$` as MathML, written at build time: a learner's notes on algorithms and
//! machine learning read as formulas in every current browser, with no script and no web font.
//!
//! pulldown-cmark finds the math (by GitHub's rules: `$5 and $10` is not math); pulldown-latex
//! turns its LaTeX into MathML Core. LaTeX it cannot read stays on the page as the author's
//! source, in code, and `haru check` says why.

use crate::text::escape_html;
use pulldown_latex::config::{DisplayMode, RenderConfig};
use pulldown_latex::{Parser, Storage, push_mathml};

/// Where a formula sits: in a line of text, or on a line of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Placement {
    Inline,
    Block,
}

/// The MathML of `latex`, or what pulldown-latex could not read in it.
pub(super) fn to_mathml(latex: &str, placement: Placement) -> Result<String, String> {
    let storage = Storage::new();
    let events = Parser::new(latex, &storage)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| first_line(&error.to_string()))?;
    // pulldown-latex writes the annotation as it is given: escaped here, or `</annotation><img
    // onerror=…>` in a formula would be markup.
    let annotation = escape_html(latex.trim());
    let config = RenderConfig {
        display_mode: match placement {
            Placement::Inline => DisplayMode::Inline,
            Placement::Block => DisplayMode::Block,
        },
        // The source rides along, so copying a formula gives its LaTeX.
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut mathml = String::with_capacity(latex.len() * 8);
    push_mathml(
        &mut mathml,
        events.into_iter().map(Ok::<_, pulldown_latex::ParserError>),
        config,
    )
    .map_err(|error| error.to_string())?;
    // pulldown-latex 0.8 writes a sized delimiter (`\big(`) as `stretchy="true"minsize=…`,
    // which HTML parsers take but the HTML checker rejects.
    if mathml.contains("\"minsize=") {
        mathml = mathml.replace("\"minsize=", "\" minsize=");
    }
    Ok(mathml)
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_becomes_mathml_with_its_source() {
        let mathml = to_mathml(r"\frac{a}{b}", Placement::Inline).unwrap();
        assert!(mathml.starts_with("<math"), "{mathml}");
        assert!(mathml.contains("<mfrac>"), "{mathml}");
        assert!(mathml.contains(r"\frac{a}{b}"), "{mathml}");
        assert!(!mathml.contains("display=\"block\""), "{mathml}");
    }

    #[test]
    fn display_math_is_a_block() {
        let mathml = to_mathml(r"x^2", Placement::Block).unwrap();
        assert!(mathml.contains("display=\"block\""), "{mathml}");
    }

    #[test]
    fn sized_delimiters_have_a_space_between_attributes() {
        let mathml = to_mathml(r"\big( x \big)", Placement::Inline).unwrap();
        assert!(mathml.contains("\" minsize="), "{mathml}");
        assert!(!mathml.contains("\"minsize="), "{mathml}");
    }

    #[test]
    fn unreadable_latex_is_an_error_not_a_page() {
        let error = to_mathml(r"\frac{a", Placement::Inline).unwrap_err();
        assert!(!error.is_empty());
    }

    #[test]
    fn markup_inside_math_text_stays_text() {
        for latex in [
            r#"\text{"><script>alert(1)</script>}"#,
            r"\text{<img src=x onerror=alert(1)>}",
            r"x</annotation><img src=x onerror=alert(1)>",
        ] {
            let Ok(mathml) = to_mathml(latex, Placement::Inline) else {
                continue;
            };
            assert!(!mathml.contains("<script"), "{mathml}");
            assert_eq!(mathml.matches("</annotation>").count(), 1, "{mathml}");
            assert!(!mathml.contains("<img"), "{mathml}");
        }
    }
}
