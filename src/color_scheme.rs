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

#[cfg(test)]
mod tests {
    use super::*;

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
