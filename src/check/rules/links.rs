use crate::check::finding::{Checked, ExternalLink, Finding, Rule, events};
use crate::{markdown, slug};
use pulldown_cmark::{Event, LinkType, Tag};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(in crate::check) fn links(
    file: &Checked,
    content: &Path,
    known: &HashSet<String>,
    anchors: &HashMap<&str, HashSet<&str>>,
    found: &mut Vec<Finding>,
    external: &mut Vec<ExternalLink>,
) {
    let folder = file
        .relative
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    for (event, range) in events(file, markdown::parser_options()) {
        let (destination, image) = match &event {
            // `[[note]]` finds its file by name: the build says when it names none.
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { .. },
                    ..
                },
            ) => continue,
            // `<int:pk>` is shown as written, not linked.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if markdown::is_text_in_brackets(*link_type, dest_url) => continue,
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        if destination.starts_with("http://") || destination.starts_with("https://") {
            // Placed now, asked later (with --external): a finding waiting for its answer.
            let place = file.at(Rule::BrokenExternalLink, range.start, String::new(), "");
            external.push((destination.clone(), place));
            continue;
        }
        if destination.is_empty()
            || destination.contains("://")
            || destination.starts_with("mailto:")
            || destination.starts_with("//")
            || destination.starts_with("data:")
            || destination.starts_with("attachment:")
        {
            continue;
        }
        let (path, fragment) = match destination.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (destination.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or("");
        let target = if path.is_empty() {
            file.relative.to_string()
        } else {
            let decoded = slug::decode_percent(path);
            let joined = match decoded.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None if folder.is_empty() => decoded,
                None => format!("{folder}/{decoded}"),
            };
            match markdown::normalize_path(&joined) {
                Some(target) => target,
                None => {
                    found.push(
                        file.at(
                            Rule::BrokenLink,
                            range.start,
                            format!("`{destination}` leads above the journal"),
                            "link to a file inside the journal",
                        )
                        .ko(
                            format!("`{destination}`은(는) 일지 바깥 위쪽을 가리킵니다"),
                            "일지 안의 파일에 링크하세요",
                        ),
                    );
                    continue;
                }
            }
        };
        let exists = known.contains(&target)
            || known.contains(&format!("{target}.md"))
            || content.join(&target).exists();
        if !exists {
            let (rule, what) = if image {
                (Rule::MissingImage, "image")
            } else {
                (Rule::BrokenLink, "file")
            };
            found.push(
                file.at(
                    rule,
                    range.start,
                    format!("no {what} `{target}` in the journal"),
                    "fix the path (it is relative to this file's folder), or add the file",
                )
                .ko(
                    format!(
                        "일지에 {} `{target}`이(가) 없습니다",
                        if what == "image" { "그림" } else { "파일" }
                    ),
                    "경로를 고치거나(이 파일의 폴더 기준 상대 경로입니다) 파일을 넣으세요",
                ),
            );
            continue;
        }
        if let Some(fragment) = fragment.filter(|fragment| !fragment.is_empty()) {
            let target_file = if known.contains(&target) {
                target.clone()
            } else {
                format!("{target}.md")
            };
            let Some(headings) = anchors.get(target_file.as_str()) else {
                continue;
            };
            // Hangul anchors compare as slugs: `#네트워킹-Part.2` and `#네트워킹-part2` are one.
            let wanted = slug::heading_slug(&slug::decode_percent(fragment));
            let decoded = slug::decode_percent(fragment);
            if !headings.contains(decoded.as_str()) && !headings.contains(wanted.as_str()) {
                found.push(file.at(
                    Rule::BrokenAnchor,
                    range.start,
                    format!("no heading `#{fragment}` in {target_file}"),
                    "link to a heading that is there (anchors are the heading's words, lower case, spaces as -)",
                )
.ko(format!("{target_file}에 `#{fragment}` 제목이 없습니다"), "있는 제목에 링크하세요(앵커는 제목의 낱말을 소문자로, 띄어쓰기를 -로 바꾼 것입니다)"));
            }
        }
    }
}
