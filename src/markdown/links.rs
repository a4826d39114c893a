//! Where a link written in an entry points on the built site: relative paths resolve from the
//! entry's folder as on GitHub, `.md` targets become their pages, unsafe schemes never pass.

use super::document::Links;
use crate::slug::{decode_percent, encode_path};

/// Where a link in an entry points on the built site. `None` for a scheme that must never
/// reach the page (`javascript:`, `vbscript:`, `data:` other than images).
pub fn resolve_link(destination: &str, links: &Links) -> Option<String> {
    let destination = destination.trim();
    if destination.is_empty() || destination.starts_with('#') {
        return Some(destination.to_string());
    }
    if let Some(colon) = destination.find(':') {
        let scheme = &destination[..colon];
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !destination[..colon].contains('/')
        {
            let scheme = scheme.to_ascii_lowercase();
            return match scheme.as_str() {
                "javascript" | "vbscript" | "file" => None,
                "data" if !destination[colon + 1..].trim_start().starts_with("image/") => None,
                _ => Some(destination.to_string()),
            };
        }
    }
    if destination.starts_with("//") {
        return Some(destination.to_string());
    }
    let Some((normalized, suffix)) = content_path(destination, links.source_dir) else {
        return Some(destination.to_string());
    };
    let with_extension = format!("{normalized}.md");
    if let Some(looked_up) = links.looked_up {
        looked_up
            .lock()
            .expect("no parser panicked")
            .extend([normalized.clone(), with_extension.clone()]);
    }
    let target = match links.pages.get(&normalized) {
        Some(page) => page.clone(),
        None => match links.pages.get(&with_extension) {
            Some(page) => page.clone(),
            None => normalized,
        },
    };
    Some(format!(
        "{}{}{}",
        links.base_path,
        encode_path(&target),
        suffix
    ))
}

/// The file of the journal a scheme-less `destination` names, relative to the content folder,
/// and what follows the path (`#…`, `?…`); `None` when it climbs above the root.
pub(super) fn content_path<'d>(
    destination: &'d str,
    source_dir: &str,
) -> Option<(String, &'d str)> {
    let (path_part, suffix) = match destination.find(['#', '?']) {
        Some(split) => (&destination[..split], &destination[split..]),
        None => (destination, ""),
    };
    let decoded = decode_percent(path_part);
    let joined = if let Some(absolute) = decoded.strip_prefix('/') {
        absolute.to_string()
    } else if source_dir.is_empty() {
        decoded
    } else {
        format!("{source_dir}/{decoded}")
    };
    Some((normalize_path(&joined)?, suffix))
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the root.
pub(crate) fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let trailing = path.ends_with('/') && !parts.is_empty();
    let mut joined = parts.join("/");
    if trailing {
        joined.push('/');
    }
    Some(joined)
}
