//! Light and dark in CSS: the reader's choice of scheme, and text colours readable in each.
//!
//! The reader's light/dark choice in CSS. The theme and the syntax colours are written for
//! `prefers-color-scheme`; the toggle on every page sets `data-theme` on the root element
//! (kept in `localStorage`), and that choice must win over the system's either way.
//!
//! So each `@media (prefers-color-scheme: dark) { … }` block of the syntax colours is written
//! twice: inside the query, its rules apply unless the reader chose light; outside it,
//! whenever the reader chose dark. The theme's `static/style.css` is written in that form by
//! hand, so a journal that replaces it sees what it gets.

const QUERY: &str = "@media (prefers-color-scheme: dark)";
const UNLESS_LIGHT: &str = ":root:not([data-theme=\"light\"])";
const CHOSE_DARK: &str = ":root[data-theme=\"dark\"]";

/// `css` with every dark-scheme block made to follow the reader's choice.
pub(crate) fn follow_choice(css: &str) -> String {
    let mut out = String::with_capacity(css.len() + css.len() / 2);
    let mut rest = css;
    while let Some(at) = rest.find(QUERY) {
        let Some(open) = rest[at..].find('{').map(|index| at + index) else {
            break;
        };
        let Some(close) = matching_brace(rest, open) else {
            break;
        };
        let rules = &rest[open + 1..close];
        out.push_str(&rest[..at]);
        out.push_str(QUERY);
        out.push_str(" {\n");
        out.push_str(&scoped(rules, UNLESS_LIGHT));
        out.push_str("}\n");
        out.push_str(&scoped(rules, CHOSE_DARK));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The brace closing the one at `open`.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, character) in text[open..].char_indices() {
        match character {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + index);
                }
            }
            _ => {}
        }
    }
    None
}

/// Plain rules (`selectors { declarations }`) with every selector under `scope`.
fn scoped(rules: &str, scope: &str) -> String {
    let mut out = String::new();
    let mut rest = rules;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|index| open + index) else {
            break;
        };
        let selectors: Vec<String> = without_comments(&rest[..open])
            .split(',')
            .map(str::trim)
            .filter(|selector| !selector.is_empty())
            .map(|selector| match selector.strip_prefix(":root") {
                Some(tail) => format!("{scope}{tail}"),
                None => format!("{scope} {selector}"),
            })
            .collect();
        if !selectors.is_empty() {
            out.push_str(&format!(
                "{} {{{}}}\n",
                selectors.join(", "),
                &rest[open + 1..close]
            ));
        }
        rest = &rest[close + 1..];
    }
    out
}

fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// The contrast WCAG asks of body text (AA), which every highlighted token must reach too:
/// a dark theme's grey quotes and comments are text the reader came for.
pub(crate) const READABLE: f64 = 4.5;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rgb(pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Rgb {
    /// `self` drawn with `alpha` (0–255) over `background`.
    pub(crate) fn over(self, alpha: u8, background: Rgb) -> Rgb {
        let mix = |front: u8, back: u8| {
            ((front as u32 * alpha as u32 + back as u32 * (255 - alpha as u32) + 127) / 255) as u8
        };
        Rgb(
            mix(self.0, background.0),
            mix(self.1, background.1),
            mix(self.2, background.2),
        )
    }

    fn luminance(self) -> f64 {
        let channel = |value: u8| {
            let value = value as f64 / 255.0;
            if value <= 0.04045 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG's contrast ratio, 1 to 21.
    pub(crate) fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The colour nearest `self` in its own hue that reads on `background`: mixed step by
    /// step toward black or white, whichever stands out more on that background.
    pub(crate) fn readable_on(self, background: Rgb) -> Rgb {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        let toward = if black.contrast(background) >= white.contrast(background) {
            black
        } else {
            white
        };
        let mut colour = self;
        let mut step = 0u32;
        while colour.contrast(background) < READABLE && step < 20 {
            step += 1;
            colour = toward.over((step * 255 / 20) as u8, self);
        }
        colour
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_wcag_s_and_readable_colours_reach_it() {
        assert!((Rgb(0, 0, 0).contrast(Rgb(255, 255, 255)) - 21.0).abs() < 0.01);
        let grey = Rgb(0x5c, 0x63, 0x70);
        let dark = Rgb(0x15, 0x1b, 0x23);
        assert!(grey.contrast(dark) < READABLE);
        let fixed = grey.readable_on(dark);
        assert!(fixed.contrast(dark) >= READABLE, "{fixed:?}");
        assert!(fixed.0 > grey.0, "lighter on a dark background");
        let fine = Rgb(0xcf, 0x22, 0x2e);
        assert_eq!(
            fine.readable_on(Rgb(0xf6, 0xf8, 0xfa)),
            fine,
            "readable already: kept"
        );
    }

    #[test]
    fn dark_rules_follow_the_choice_and_the_system_unless_light_was_chosen() {
        let css = "a { color: blue; }\n@media (prefers-color-scheme: dark) {\n  :root { --text: #eee; }\n  /* marks */ .x mark, .y { background: #333; }\n}\nb { color: red; }\n";
        assert_eq!(
            follow_choice(css),
            "a { color: blue; }\n@media (prefers-color-scheme: dark) {\n\
             :root:not([data-theme=\"light\"]) { --text: #eee; }\n\
             :root:not([data-theme=\"light\"]) .x mark, :root:not([data-theme=\"light\"]) .y { background: #333; }\n}\n\
             :root[data-theme=\"dark\"] { --text: #eee; }\n\
             :root[data-theme=\"dark\"] .x mark, :root[data-theme=\"dark\"] .y { background: #333; }\n\
             \nb { color: red; }\n"
        );
    }

    #[test]
    fn css_without_a_dark_block_or_with_a_broken_one_is_left_as_it_is() {
        assert_eq!(follow_choice("a { b: c; }"), "a { b: c; }");
        let broken = "@media (prefers-color-scheme: dark) { a { b: c; }";
        assert_eq!(follow_choice(broken), broken);
    }
}
