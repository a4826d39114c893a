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

/// `text` with each `{open}…{close}` span (`{% … %}`, `{{ … }}`) replaced by what `replace`
/// makes of it (given the whole span), or kept when it makes nothing.
fn rewrite_spans<'t>(
    text: &'t str,
    (open, close): (&str, &str),
    replace: impl Fn(&'t str) -> Option<&'t str>,
) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let Some(end) = rest[start..].find(close).map(|at| start + at + close.len()) else {
            break;
        };
        output.push_str(&rest[..start]);
        let span = &rest[start..end];
        output.push_str(replace(span).unwrap_or(span));
        rest = &rest[end..];
    }
    output.push_str(rest);
    output
}

const TAG: (&str, &str) = ("{%", "%}");
const VARIABLE: (&str, &str) = ("{{", "}}");

/// `{% raw %}` → ``.
fn remove_tag(text: &str, marker: &str) -> String {
    rewrite_spans(text, TAG, |span| same_tag(span, marker).then_some(""))
}

/// `{{ site.baseurl }}` → ``.
fn remove_variable(text: &str, name: &str) -> String {
    rewrite_spans(text, VARIABLE, |span| {
        (span[2..span.len() - 2].trim() == name).then_some("")
    })
}

/// `{{ "/assets/a.png" | relative_url }}` → `/assets/a.png`.
fn unwrap_url_filters(text: &str) -> String {
    rewrite_spans(text, VARIABLE, |span| {
        let (value, filter) = span[2..span.len() - 2].trim().split_once('|')?;
        let (filter, value) = (filter.trim(), value.trim());
        let quoted = value.len() >= 2
            && (value.starts_with('"') && value.ends_with('"')
                || value.starts_with('\'') && value.ends_with('\''));
        (quoted && matches!(filter, "relative_url" | "absolute_url"))
            .then(|| &value[1..value.len() - 1])
    })
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
