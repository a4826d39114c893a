//! Obsidian's links by file name: `[[노트]]`, `[[노트|별칭]]`, `[[노트#제목]]`, `[[#제목]]` link
//! to that note wherever it sits in the journal; `![[그림.png]]` and `![[그림.png|300]]` embed
//! the image (300 px wide); `![[노트]]` links to the note. Found once on the event list and
//! rewritten as ordinary links to the file's path, which `links` then resolves like any other.
//! One that names no file of the journal stays as written (as GitHub shows it), with a warning.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::document::{Links, Note};
use super::links::resolve_link;
use crate::slug::heading_slug;
use crate::text::escape_html;

type Events<'e> = Vec<(Event<'e>, Range<usize>)>;

/// The journal's files by name, as Obsidian finds a link's target: the file name, and for
/// markdown its name without the extension, in any case.
#[derive(Clone, Debug, Default)]
pub struct FileNames {
    by_name: HashMap<String, Vec<String>>,
}

impl FileNames {
    /// From every file of the journal (relative to the content folder, `/`-separated).
    pub fn new<'a>(files: impl IntoIterator<Item = &'a str>) -> FileNames {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for relative in files {
            let name = relative
                .rsplit('/')
                .next()
                .unwrap_or(relative)
                .to_lowercase();
            if let Some(stem) = name
                .strip_suffix(".md")
                .or_else(|| name.strip_suffix(".markdown"))
            {
                by_name
                    .entry(stem.to_string())
                    .or_default()
                    .push(relative.to_string());
            }
            by_name.entry(name).or_default().push(relative.to_string());
        }
        for paths in by_name.values_mut() {
            paths.sort_by_key(|path| (path.matches('/').count(), path.clone()));
            paths.dedup();
        }
        FileNames { by_name }
    }

    /// The file `[[target]]` names, seen from the folder `from`: one in that folder first,
    /// else the one nearest the root (Obsidian's "shortest path").
    fn find(&self, target: &str, from: &str) -> Option<&str> {
        let target = target.trim().trim_start_matches('/');
        let name = target.rsplit('/').next().unwrap_or(target).to_lowercase();
        let candidates = self.by_name.get(&name)?;
        let lower = target.to_lowercase();
        let matches_path = |path: &&String| {
            !target.contains('/') || {
                let path = path.to_lowercase();
                path.strip_suffix(".md").unwrap_or(&path).ends_with(&lower)
                    || path.ends_with(&lower)
            }
        };
        let folder_of = |path: &str| {
            path.rsplit_once('/')
                .map_or("", |(folder, _)| folder)
                .to_string()
        };
        candidates
            .iter()
            .filter(matches_path)
            .find(|path| folder_of(path) == from)
            .or_else(|| candidates.iter().find(matches_path))
            .map(String::as_str)
    }
}

/// The events with each wikilink rewritten; the warnings for those that name no file.
pub(super) fn resolve<'e>(
    events: Events<'e>,
    source: &'e str,
    links: &Links,
    line_of: impl Fn(usize) -> usize,
) -> (Events<'e>, Vec<Note>) {
    let has_wikilinks = events.iter().any(|(event, _)| is_wikilink(event));
    if !has_wikilinks {
        return (events, Vec::new());
    }
    let mut notes = Vec::new();
    let mut output = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some((event, range)) = events.next() {
        if !is_wikilink(&event) {
            output.push((event, range));
            continue;
        }
        let is_image = matches!(event, Event::Start(Tag::Image { .. }));
        let Event::Start(
            Tag::Link {
                dest_url,
                link_type,
                ..
            }
            | Tag::Image {
                dest_url,
                link_type,
                ..
            },
        ) = event
        else {
            unreachable!("a wikilink starts a link or an image");
        };
        let inner: Events = events
            .by_ref()
            .take_while(|(event, _)| !matches!(event, Event::End(TagEnd::Link | TagEnd::Image)))
            .collect();
        let piped = matches!(link_type, LinkType::WikiLink { has_pothole: true });
        let (file, heading) = match dest_url.split_once('#') {
            Some((file, heading)) => (file, Some(heading)),
            None => (&*dest_url, None),
        };
        let fragment = heading
            .map(|heading| format!("#{}", heading_slug(heading.trim())))
            .unwrap_or_default();
        let target = if file.trim().is_empty() {
            Some(String::new())
        } else {
            links
                .names
                .and_then(|names| names.find(file, links.source_dir))
                .map(|path| format!("/{path}"))
        };
        let Some(target) = target else {
            notes.push(Note {
                line: line_of(range.start),
                message: format!(
                    "`{}` names no file of the journal; shown as written",
                    &source[range.clone()]
                ),
                korean: format!(
                    "`{}`에 해당하는 파일이 일지에 없어서 쓴 그대로 보여 줍니다",
                    &source[range.clone()]
                ),
            });
            output.push((Event::Text(CowStr::Borrowed(&source[range.clone()])), range));
            continue;
        };
        let destination = format!("{target}{fragment}");
        let is_markdown =
            target.is_empty() || target.ends_with(".md") || target.ends_with(".markdown");
        if is_image && !is_markdown {
            let width = piped.then(|| plain_text(&inner)).filter(|text| {
                !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'x')
            });
            output.push((
                Event::Html(image_html(&destination, file, width.as_deref(), links).into()),
                range,
            ));
            continue;
        }
        let link = Tag::Link {
            link_type: LinkType::Inline,
            dest_url: destination.into(),
            title: "".into(),
            id: "".into(),
        };
        output.push((Event::Start(link), range.clone()));
        output.extend(inner);
        output.push((Event::End(TagEnd::Link), range));
    }
    (output, notes)
}

fn is_wikilink(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Link {
                link_type: LinkType::WikiLink { .. },
                ..
            } | Tag::Image {
                link_type: LinkType::WikiLink { .. },
                ..
            }
        )
    )
}

fn plain_text(events: &Events) -> String {
    events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Text(text) => Some(&**text),
            _ => None,
        })
        .collect()
}

/// `![[그림.png|300]]` as an image 300 px wide (`300x200`: that width and height).
fn image_html(destination: &str, file: &str, size: Option<&str>, links: &Links) -> String {
    let url = resolve_link(destination, links).unwrap_or_default();
    let alt = file.rsplit('/').next().unwrap_or(file);
    let size = match size.map(|size| size.split_once('x').unwrap_or((size, ""))) {
        Some((width, "")) => format!(" width=\"{width}\""),
        Some((width, height)) => format!(" width=\"{width}\" height=\"{height}\""),
        None => String::new(),
    };
    format!(
        "<img src=\"{}\" alt=\"{}\"{size}>",
        escape_html(&url),
        escape_html(alt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wikilink_finds_its_file_by_name_nearest_first() {
        let names = FileNames::new([
            "notes/Attention.md",
            "deep/notes/attention.md",
            "img/그림.png",
            "a/b/그림.png",
        ]);
        assert_eq!(
            names.find("Attention", "elsewhere"),
            Some("notes/Attention.md")
        );
        assert_eq!(
            names.find("attention", "deep/notes"),
            Some("deep/notes/attention.md")
        );
        assert_eq!(names.find("그림.png", ""), Some("img/그림.png"));
        assert_eq!(names.find("b/그림.png", ""), Some("a/b/그림.png"));
        assert_eq!(names.find("없는 노트", ""), None);
    }
}
