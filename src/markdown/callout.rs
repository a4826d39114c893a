//! Callouts: GitHub's alerts (`> [!NOTE]`) and Obsidian's callouts (`> [!tip] 제목`,
//! `> [!faq]-` folded, `> [!info]+` open), found once on the event list. The marker line leaves
//! the events (so neither the search text nor a summary begins with `[!note]`) and the quote's
//! start carries what the renderer needs: kind, title, fold.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use super::document::FastMap;
use crate::config::Language;

type Events<'e> = Vec<(Event<'e>, Range<usize>)>;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Kind {
    Note,
    Abstract,
    Info,
    Todo,
    Tip,
    Success,
    Question,
    Warning,
    Failure,
    Danger,
    Bug,
    Example,
    Quote,
    Important,
    Caution,
}

/// Obsidian's names for each kind, aliases included, and GitHub's five.
const NAMES: [(&str, Kind); 28] = [
    ("note", Kind::Note),
    ("abstract", Kind::Abstract),
    ("summary", Kind::Abstract),
    ("tldr", Kind::Abstract),
    ("info", Kind::Info),
    ("todo", Kind::Todo),
    ("tip", Kind::Tip),
    ("hint", Kind::Tip),
    ("success", Kind::Success),
    ("check", Kind::Success),
    ("done", Kind::Success),
    ("question", Kind::Question),
    ("help", Kind::Question),
    ("faq", Kind::Question),
    ("warning", Kind::Warning),
    ("attention", Kind::Warning),
    ("failure", Kind::Failure),
    ("fail", Kind::Failure),
    ("missing", Kind::Failure),
    ("danger", Kind::Danger),
    ("error", Kind::Danger),
    ("bug", Kind::Bug),
    ("example", Kind::Example),
    ("quote", Kind::Quote),
    ("cite", Kind::Quote),
    ("important", Kind::Important),
    ("caution", Kind::Caution),
    ("warn", Kind::Warning),
];

impl Kind {
    fn named(name: &str) -> Option<Kind> {
        let name = name.to_ascii_lowercase();
        NAMES
            .iter()
            .find(|(written, _)| *written == name)
            .map(|(_, kind)| *kind)
    }

    /// The class the theme styles (`callout-tip`).
    pub(super) fn class(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Abstract => "abstract",
            Kind::Info => "info",
            Kind::Todo => "todo",
            Kind::Tip => "tip",
            Kind::Success => "success",
            Kind::Question => "question",
            Kind::Warning => "warning",
            Kind::Failure => "failure",
            Kind::Danger => "danger",
            Kind::Bug => "bug",
            Kind::Example => "example",
            Kind::Quote => "quote",
            Kind::Important => "important",
            Kind::Caution => "caution",
        }
    }

    /// The title a callout shows when its author wrote none.
    pub(super) fn label(self, language: Language) -> &'static str {
        let (korean, english) = match self {
            Kind::Note => ("참고", "Note"),
            Kind::Abstract => ("요약", "Summary"),
            Kind::Info => ("정보", "Info"),
            Kind::Todo => ("할 일", "To do"),
            Kind::Tip => ("팁", "Tip"),
            Kind::Success => ("완료", "Success"),
            Kind::Question => ("질문", "Question"),
            Kind::Warning => ("경고", "Warning"),
            Kind::Failure => ("실패", "Failure"),
            Kind::Danger => ("위험", "Danger"),
            Kind::Bug => ("버그", "Bug"),
            Kind::Example => ("예시", "Example"),
            Kind::Quote => ("인용", "Quote"),
            Kind::Important => ("중요", "Important"),
            Kind::Caution => ("주의", "Caution"),
        };
        match language {
            Language::Ko => korean,
            Language::En => english,
        }
    }

    fn of_alert(kind: BlockQuoteKind) -> Kind {
        match kind {
            BlockQuoteKind::Note => Kind::Note,
            BlockQuoteKind::Tip => Kind::Tip,
            BlockQuoteKind::Important => Kind::Important,
            BlockQuoteKind::Warning => Kind::Warning,
            BlockQuoteKind::Caution => Kind::Caution,
        }
    }
}

/// Whether a callout folds: `-` shut, `+` open; none is a box that does not fold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Fold {
    None,
    Open,
    Shut,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Callout {
    pub(super) kind: Kind,
    /// The author's title, as plain text.
    pub(super) title: Option<String>,
    pub(super) fold: Fold,
}

/// The events without callout markers, and each callout by its quote's start offset.
pub(super) fn find(events: Events<'_>) -> (Events<'_>, FastMap<usize, Callout>) {
    let mut callouts = FastMap::default();
    let starts: Vec<usize> = (events.iter().enumerate())
        .filter(|(_, (event, _))| matches!(event, Event::Start(Tag::BlockQuote(_))))
        .map(|(index, _)| index)
        .collect();
    if starts.is_empty() {
        return (events, callouts);
    }
    let mut dropped = vec![false; events.len()];
    for start in starts {
        let (event, range) = &events[start];
        if let Event::Start(Tag::BlockQuote(Some(alert))) = event {
            let callout = Callout {
                kind: Kind::of_alert(*alert),
                title: None,
                fold: Fold::None,
            };
            callouts.insert(range.start, callout);
        } else if let Some((callout, marker)) = marker_line(&events, start) {
            callouts.insert(range.start, callout);
            for index in marker {
                dropped[index] = true;
            }
        }
    }
    let kept = events
        .into_iter()
        .zip(dropped)
        .filter(|(_, dropped)| !dropped)
        .map(|(event, _)| event)
        .collect();
    (kept, callouts)
}

/// `[!tip]- 제목` opening the quote at `start`: the callout, and the events of its line.
fn marker_line(events: &Events, start: usize) -> Option<(Callout, Range<usize>)> {
    if !matches!(
        events.get(start + 1),
        Some((Event::Start(Tag::Paragraph), _))
    ) {
        return None;
    }
    let first = start + 2;
    let mut line = String::new();
    let mut end = first;
    while let Some((event, _)) = events.get(end) {
        match event {
            Event::Text(text) | Event::Code(text) => line.push_str(text),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => break,
            Event::Start(_) | Event::End(_) => {}
            _ => return None,
        }
        end += 1;
    }
    let rest = line.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let name = &rest[..close];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let after = &rest[close + 1..];
    let (fold, title) = match after.chars().next() {
        Some('-') => (Fold::Shut, &after[1..]),
        Some('+') => (Fold::Open, &after[1..]),
        _ => (Fold::None, after),
    };
    let title = title.trim();
    let kind = Kind::named(name);
    // Obsidian shows an unknown kind as a note titled with its name.
    let title = match (title.is_empty(), kind) {
        (false, _) => Some(title.to_string()),
        (true, None) => Some(name.to_string()),
        (true, Some(_)) => None,
    };
    // The line break after the marker goes with it; a marker alone leaves no empty paragraph.
    let mut marker = first..end;
    match events.get(end) {
        Some((Event::SoftBreak | Event::HardBreak, _)) => marker.end += 1,
        Some((Event::End(TagEnd::Paragraph), _)) => marker = first - 1..end + 1,
        _ => {}
    }
    let callout = Callout {
        kind: kind.unwrap_or(Kind::Note),
        title,
        fold,
    };
    Some((callout, marker))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn callouts_of(markdown: &str) -> Vec<Callout> {
        let events: Events = Parser::new_ext(markdown, Options::ENABLE_GFM)
            .into_offset_iter()
            .collect();
        let (kept, found) = find(events);
        for (event, _) in &kept {
            if let Event::Text(text) = event {
                assert!(!text.contains("[!"), "marker left in {markdown:?}");
            }
        }
        let mut found: Vec<(usize, Callout)> = found.into_iter().collect();
        found.sort_by_key(|(at, _)| *at);
        found.into_iter().map(|(_, callout)| callout).collect()
    }

    #[test]
    fn obsidian_callouts_and_github_alerts_are_found_with_title_and_fold() {
        let callout = |kind, title: Option<&str>, fold| Callout {
            kind,
            title: title.map(str::to_string),
            fold,
        };
        assert_eq!(
            callouts_of("> [!NOTE]\n> 본문\n"),
            [callout(Kind::Note, None, Fold::None)]
        );
        assert_eq!(
            callouts_of("> [!tip]- 접어 둔 팁\n> 본문\n"),
            [callout(Kind::Tip, Some("접어 둔 팁"), Fold::Shut)]
        );
        assert_eq!(
            callouts_of("> [!faq]+\n> 본문\n"),
            [callout(Kind::Question, None, Fold::Open)]
        );
        assert_eq!(
            callouts_of("> [!회고]\n> 본문\n"),
            Vec::<Callout>::new(),
            "not a callout name: the quote as written"
        );
        assert_eq!(
            callouts_of("> [!custom] \n> 본문\n"),
            [callout(Kind::Note, Some("custom"), Fold::None)]
        );
        assert_eq!(callouts_of("> 그냥 인용 [!note]\n"), Vec::<Callout>::new());
    }
}
