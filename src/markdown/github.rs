//! What GitHub adds to CommonMark's text that pulldown-cmark does not: bare URLs (`https://…`,
//! `www.…`, e-mail addresses) become links, as GFM's autolink extension makes them, and
//! `:shortcode:`s become their emoji. Done once on the event list, before any other step, so
//! the outline, the search text, the counts and the HTML all see the same text.
//!
//! One difference from GitHub, on purpose: Hangul written right after an address is the
//! sentence going on, not the address (`https://example.com에서` links `https://example.com`;
//! GitHub links `…com에서` and the link is broken). See docs/quirks.md, "url-particle".

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::text::is_hangul;

type Events<'e> = Vec<(Event<'e>, Range<usize>)>;

/// Particles and endings that follow an address in Korean prose.
const PARTICLES: [&str; 24] = [
    "에서",
    "에서는",
    "에서도",
    "에",
    "에는",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "의",
    "로",
    "으로",
    "와",
    "과",
    "도",
    "만",
    "이다",
    "입니다",
    "처럼",
    "까지",
    "부터",
    "참고",
];

/// Schemes a `<scheme:…>` autolink is a link with; any other (`<int:pk>`, Django's URL
/// patterns) is the author's text, shown as written.
const LINK_SCHEMES: [&str; 9] = [
    "http", "https", "ftp", "mailto", "tel", "ssh", "git", "irc", "sftp",
];

/// Whether an autolink `<…>` is a placeholder in angle brackets, not an address.
pub fn is_text_in_brackets(link_type: LinkType, destination: &str) -> bool {
    link_type == LinkType::Autolink
        && !destination
            .split_once(':')
            .is_some_and(|(scheme, _)| LINK_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()))
}

/// The events with bare URLs linked and shortcodes written as emoji.
pub(super) fn extend<'e>(events: Events<'e>, source: &'e str) -> Events<'e> {
    let events = bracketed_text(events, source);
    let may_change = source.contains(':') || source.contains("www.") || source.contains('@');
    if !may_change {
        return events;
    }
    let mut extended = Vec::with_capacity(events.len());
    let mut verbatim: Option<Range<usize>> = None;
    let mut held: Events<'e> = Vec::new();
    let mut code = 0usize;
    let mut links = 0usize;
    for (event, range) in events {
        let is_plain_text = matches!(&event, Event::Text(text)
            if code == 0 && source.get(range.clone()) == Some(&**text));
        if is_plain_text {
            // Runs of text pulldown-cmark cut at stray delimiters are read as one.
            match &mut verbatim {
                Some(run) if run.end == range.start => run.end = range.end,
                _ => {
                    flush(&mut extended, &mut held, verbatim.take(), source, links > 0);
                    verbatim = Some(range.clone());
                }
            }
            held.push((event, range));
            continue;
        }
        flush(&mut extended, &mut held, verbatim.take(), source, links > 0);
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                code = code.saturating_sub(1)
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => links = links.saturating_sub(1),
            _ => {}
        }
        extended.push((event, range));
    }
    flush(&mut extended, &mut held, verbatim, source, links > 0);
    extended
}

/// `<int:pk>` as the text it is: CommonMark reads any `<letters:…>` as an address.
fn bracketed_text<'e>(events: Events<'e>, source: &'e str) -> Events<'e> {
    let has_any = events.iter().any(|(event, _)| {
        matches!(event, Event::Start(Tag::Link { link_type, dest_url, .. }) if is_text_in_brackets(*link_type, dest_url))
    });
    if !has_any {
        return events;
    }
    let mut output = Vec::with_capacity(events.len());
    let mut inside = false;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if is_text_in_brackets(*link_type, dest_url) => {
                inside = true;
                output.push((Event::Text(CowStr::Borrowed(&source[range.clone()])), range));
            }
            Event::End(TagEnd::Link) if inside => inside = false,
            _ if inside => {}
            _ => output.push((event, range)),
        }
    }
    output
}

/// Writes a run of text: as it was, or cut around its URLs and shortcodes.
fn flush<'e>(
    extended: &mut Events<'e>,
    held: &mut Events<'e>,
    run: Option<Range<usize>>,
    source: &'e str,
    in_link: bool,
) {
    let Some(run) = run else {
        extended.append(held);
        return;
    };
    let text = &source[run.clone()];
    let mut pieces: Vec<(Range<usize>, Piece)> = crate::emoji::shortcodes(text)
        .into_iter()
        .map(|(range, emoji)| (range, Piece::Emoji(emoji)))
        .collect();
    if !in_link {
        pieces.extend(
            urls(text)
                .into_iter()
                .map(|(range, url)| (range, Piece::Url(url))),
        );
    }
    if pieces.is_empty() {
        extended.append(held);
        return;
    }
    held.clear();
    pieces.sort_by_key(|(range, _)| range.start);
    let at = |range: &Range<usize>| run.start + range.start..run.start + range.end;
    let mut copied = 0;
    for (range, piece) in pieces {
        if range.start < copied {
            continue; // a shortcode inside a URL is the URL's
        }
        if range.start > copied {
            let plain = copied..range.start;
            extended.push((
                Event::Text(CowStr::Borrowed(&text[plain.clone()])),
                at(&plain),
            ));
        }
        let span = at(&range);
        match piece {
            Piece::Emoji(emoji) => extended.push((Event::Text(CowStr::Borrowed(emoji)), span)),
            Piece::Url(destination) => {
                let link = Tag::Link {
                    link_type: LinkType::Autolink,
                    dest_url: destination.into(),
                    title: "".into(),
                    id: "".into(),
                };
                extended.push((Event::Start(link), span.clone()));
                let shown = CowStr::Borrowed(&text[range.clone()]);
                extended.push((Event::Text(shown), span.clone()));
                extended.push((Event::End(TagEnd::Link), span));
            }
        }
        copied = range.end;
    }
    if copied < text.len() {
        let rest = copied..text.len();
        extended.push((
            Event::Text(CowStr::Borrowed(&text[rest.clone()])),
            at(&rest),
        ));
    }
}

enum Piece {
    Emoji(&'static str),
    Url(String),
}

/// Where `text` writes Hangul onto a bare address that GitHub would link with it: each
/// particle's byte offset and the particle.
pub fn particles_after_urls(text: &str) -> Vec<(usize, String)> {
    if !(text.contains("://") || text.contains("www.")) {
        return Vec::new();
    }
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder
        .links(text)
        .filter(|link| *link.kind() == linkify::LinkKind::Url)
        .filter_map(|link| {
            let found = link.as_str();
            let shown = without_sentence(found, false);
            (shown.len() < found.len() && web_address(shown).is_some())
                .then(|| (link.start() + shown.len(), found[shown.len()..].to_string()))
        })
        .collect()
}

/// The bare addresses in `text` as GFM links them, with where each link goes.
fn urls(text: &str) -> Vec<(Range<usize>, String)> {
    if !(text.contains("://") || text.contains("www.") || text.contains('@')) {
        return Vec::new();
    }
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder
        .links(text)
        .filter_map(|link| {
            let found = link.as_str();
            let shown = without_sentence(found, *link.kind() == linkify::LinkKind::Email);
            let range = link.start()..link.start() + shown.len();
            let destination = match link.kind() {
                linkify::LinkKind::Email => Some(format!("mailto:{shown}")),
                _ => web_address(shown),
            };
            destination.map(|destination| (range, destination))
        })
        .collect()
}

/// Where a bare address GFM links leads: `http(s)://` and `ftp://` as written, `www.` over
/// http; any other scheme (`file://`, `app://`) is not linked.
fn web_address(shown: &str) -> Option<String> {
    let lower = shown.to_ascii_lowercase();
    let has_host = |scheme: &str| {
        lower
            .strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty())
    };
    if ["http://", "https://", "ftp://"].into_iter().any(has_host) {
        Some(shown.to_string())
    } else if has_host("www.") {
        Some(format!("http://{shown}"))
    } else {
        None
    }
}

/// The address without the Korean sentence written onto it: Hangul in the host ends it there
/// (`https://example.com에서`), and a particle ending the path is left out
/// (`https://aws.amazon.com/ko/를`).
fn without_sentence(found: &str, email: bool) -> &str {
    let host_start = if email {
        found.find('@').map_or(0, |at| at + 1)
    } else {
        found.find("://").map_or(0, |at| at + 3)
    };
    let host_end = found[host_start..]
        .find(['/', '?', '#'])
        .map_or(found.len(), |at| host_start + at);
    if let Some(hangul) = found[host_start..host_end].find(is_hangul) {
        return &found[..host_start + hangul];
    }
    let trailing = found
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_hangul(*c))
        .last()
        .map(|(at, _)| at);
    match trailing {
        Some(at) if PARTICLES.contains(&&found[at..]) => &found[..at],
        _ => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(text: &str) -> Vec<(String, String)> {
        urls(text)
            .into_iter()
            .map(|(range, destination)| (text[range].to_string(), destination))
            .collect()
    }

    #[test]
    fn bare_urls_are_linked_as_github_links_them() {
        let one = |shown: &str, to: &str| vec![(shown.to_string(), to.to_string())];
        assert_eq!(
            linked("(https://docs.djangoproject.com/ko/)."),
            one(
                "https://docs.djangoproject.com/ko/",
                "https://docs.djangoproject.com/ko/"
            )
        );
        assert_eq!(
            linked("www.djangoproject.com 에서"),
            one("www.djangoproject.com", "http://www.djangoproject.com")
        );
        assert_eq!(
            linked("https://a.com/x_(y)_z."),
            one("https://a.com/x_(y)_z", "https://a.com/x_(y)_z")
        );
        assert_eq!(
            linked("https://a.com/?q=1&b=2,"),
            one("https://a.com/?q=1&b=2", "https://a.com/?q=1&b=2")
        );
        assert_eq!(
            linked("http://localhost:8000/admin 접속"),
            one("http://localhost:8000/admin", "http://localhost:8000/admin")
        );
        assert_eq!(
            linked("메일 me@example.com으로"),
            one("me@example.com", "mailto:me@example.com")
        );
        assert_eq!(linked("file.txt와 foo.bar, app.py"), vec![]);
    }

    #[test]
    fn hangul_after_an_address_is_the_sentence_not_the_address() {
        let shown = |text: &str| {
            linked(text)
                .into_iter()
                .map(|(shown, _)| shown)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shown("https://example.com에서 받았다"),
            ["https://example.com"]
        );
        assert_eq!(
            shown("https://aws.amazon.com/ko/에서 봤다"),
            ["https://aws.amazon.com/ko/"]
        );
        assert_eq!(
            shown("https://ko.wikipedia.org/wiki/대한민국 문서"),
            ["https://ko.wikipedia.org/wiki/대한민국"]
        );
    }
}
