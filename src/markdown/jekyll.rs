//! The Liquid a Jekyll blog's posts carry that means nothing outside Jekyll: `{% raw %}` and
//! `{% endraw %}` (written so Jekyll leaves `{{ }}` in code alone) and the site's own address
//! in links (`{{ site.baseurl }}/assets/a.png`, `{{ "/a.png" | relative_url }}`). Posts are
//! read as Jekyll would publish them; every other `{{ }}` and `{% %}` is the author's text.

use std::borrow::Cow;

const RAW_MARKERS: [&str; 2] = ["{% raw %}", "{% endraw %}"];

/// Whether the line is nothing but a raw marker.
pub(super) fn is_raw_marker_line(line: &str) -> bool {
    let trimmed = line.trim();
    RAW_MARKERS.iter().any(|marker| same_tag(trimmed, marker))
}

/// The line without raw markers and with the site's address resolved to the journal's root.
pub(super) fn without_liquid(line: &str) -> Cow<'_, str> {
    if !line.contains("{%") && !line.contains("{{") {
        return Cow::Borrowed(line);
    }
    let mut text = line.to_string();
    for marker in RAW_MARKERS {
        text = remove_tag(&text, marker);
    }
    for address in ["site.url", "site.baseurl"] {
        text = remove_variable(&text, address);
    }
    text = unwrap_url_filters(&text);
    if text == line {
        Cow::Borrowed(line)
    } else {
        Cow::Owned(text)
    }
}

/// `{%raw%}`, `{%- raw -%}` and `{% raw %}` are one tag.
fn same_tag(written: &str, marker: &str) -> bool {
    let squeeze = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
    };
    written.starts_with("{%") && written.ends_with("%}") && squeeze(written) == squeeze(marker)
}

fn remove_tag(text: &str, marker: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let Some(close) = rest[open..].find("%}").map(|at| open + at + 2) else {
            break;
        };
        output.push_str(&rest[..open]);
        if !same_tag(&rest[open..close], marker) {
            output.push_str(&rest[open..close]);
        }
        rest = &rest[close..];
    }
    output.push_str(rest);
    output
}

/// `{{ site.baseurl }}` → ``.
fn remove_variable(text: &str, name: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|at| open + at + 2) else {
            break;
        };
        output.push_str(&rest[..open]);
        let inner = rest[open + 2..close - 2].trim();
        if inner != name {
            output.push_str(&rest[open..close]);
        }
        rest = &rest[close..];
    }
    output.push_str(rest);
    output
}

/// `{{ "/assets/a.png" | relative_url }}` → `/assets/a.png`.
fn unwrap_url_filters(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|at| open + at + 2) else {
            break;
        };
        output.push_str(&rest[..open]);
        let inner = rest[open + 2..close - 2].trim();
        let unwrapped = inner.split_once('|').and_then(|(value, filter)| {
            let filter = filter.trim();
            let value = value.trim();
            let quoted = value.len() >= 2
                && (value.starts_with('"') && value.ends_with('"')
                    || value.starts_with('\'') && value.ends_with('\''));
            (quoted && matches!(filter, "relative_url" | "absolute_url"))
                .then(|| &value[1..value.len() - 1])
        });
        output.push_str(unwrapped.unwrap_or(&rest[open..close]));
        rest = &rest[close..];
    }
    output.push_str(rest);
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_markers_and_the_site_address_are_jekylls_not_the_authors() {
        assert!(is_raw_marker_line("{% raw %}"));
        assert!(is_raw_marker_line("  {%- endraw -%} "));
        assert!(!is_raw_marker_line("{% if x %}"));
        assert_eq!(without_liquid("{% raw %}{{ x }}{% endraw %}"), "{{ x }}");
        assert_eq!(
            without_liquid("![a]({{ site.baseurl }}/assets/a.png)"),
            "![a](/assets/a.png)"
        );
        assert_eq!(
            without_liquid("[b]({{ site.url }}{{site.baseurl}}/b/)"),
            "[b](/b/)"
        );
        assert_eq!(
            without_liquid("![c]({{ \"/img/c.png\" | relative_url }})"),
            "![c](/img/c.png)"
        );
        assert_eq!(
            without_liquid("{% for post in site.posts %}{{ post.title }}{% endfor %}"),
            "{% for post in site.posts %}{{ post.title }}{% endfor %}"
        );
    }
}
