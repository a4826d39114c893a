use crate::check::finding::{Checked, Finding, Rule, events};
use crate::markdown;
use pulldown_cmark::{Event, Options, Tag};
use std::collections::HashSet;
use std::ops::Range;

/// Where GitHub's renderer (CommonMark with GitHub's extensions, no CJK-friendly emphasis)
/// shows something else than the author meant, and haru does not.
pub(in crate::check) fn github_surprises(file: &Checked, found: &mut Vec<Finding>) {
    let github_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let github = events(file, github_options);
    let friendly = events(file, github_options | Options::ENABLE_CJK_FRIENDLY_EMPHASIS);
    let opened_on_github: HashSet<usize> = github
        .iter()
        .filter(|(event, _)| {
            matches!(
                event,
                Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong)
            )
        })
        .map(|(_, range)| range.start)
        .collect();
    for (event, range) in &friendly {
        if matches!(
            event,
            Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong)
        ) && !opened_on_github.contains(&range.start)
        {
            found.push(file.at(
                Rule::GithubLiteralEmphasis,
                range.start,
                "GitHub shows these asterisks as they are (next to Hangul); haru renders the emphasis"
                    .into(),
                "fine on haru; for GitHub too, put a space or punctuation outside the closing marks",
            )
.ko("GitHub는 한글 옆의 이 별표를 그대로 보여 줍니다. haru는 강조로 그립니다", "haru에서는 괜찮습니다. GitHub에서도 되게 하려면 닫는 기호 바깥에 공백이나 문장 부호를 두세요"));
        }
    }
    tilde_ranges(file, &github, found);
    for (event, range) in &github {
        if matches!(event, Event::Start(Tag::Strong)) && file.text[range.start..].starts_with("__")
        {
            let inner = file.text[range.clone()].trim_matches('_');
            // A Python name (lower case) is what haru keeps; `__ACID__` is bold in both.
            let python_name = inner.starts_with(|c: char| c.is_ascii_lowercase())
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if python_name {
                found.push(file.at(
                    Rule::GithubDunderBold,
                    range.start,
                    format!("GitHub shows `__{inner}__` as bold `{inner}`; haru keeps the name"),
                    "put the name in backticks (`__init__`)",
                )
.ko(format!("GitHub는 `__{inner}__`을(를) 굵은 `{inner}`(으)로 보여 줍니다. haru는 이름 그대로 둡니다"), "이름을 백틱으로 감싸세요(`__init__`)"));
            }
        }
    }
    addresses(file, &github, found);
    for (event, range) in &github {
        match event {
            Event::InlineHtml(html) if !markdown::is_known_html(html) => {
                found.push(file.at(
                    Rule::GithubSwallowedHtml,
                    range.start,
                    format!("GitHub hides `{html}` as an unknown HTML tag; haru shows it as text"),
                    "put it in backticks (`List<String>`) so it shows everywhere",
                )
.ko(format!("GitHub는 `{html}`을(를) 모르는 HTML 태그로 보고 숨깁니다. haru는 글자로 보여 줍니다"), "어디서나 보이도록 백틱으로 감싸세요(`List<String>`)"));
            }
            _ => {}
        }
    }
}

/// GitHub (cmark-gfm) strikes text between two single tildes even inside words
/// (`리전~리전 간 OK / 계정~계정`); pulldown-cmark, like haru, does not, so the pairs are found
/// here: in each paragraph's text (code left out), a `~` that can open (not before a space)
/// and the next that can close (not after one).
pub(in crate::check) fn tilde_ranges(
    file: &Checked,
    github: &[(Event, Range<usize>)],
    found: &mut Vec<Finding>,
) {
    let mut open: Option<usize> = None;
    let mut in_code = false;
    for (event, range) in github {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(pulldown_cmark::TagEnd::Paragraph) => {
                open = None;
            }
            // A code block's tildes are code: GitHub strikes nothing there.
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if !in_code => {
                let text = &file.text[range.clone()];
                let bytes = text.as_bytes();
                for (index, _) in text.match_indices('~') {
                    let single = (index == 0 || bytes[index - 1] != b'~')
                        && bytes.get(index + 1) != Some(&b'~');
                    if !single {
                        continue;
                    }
                    let before = text[..index].chars().next_back();
                    let after = text[index + 1..].chars().next();
                    match open {
                        Some(start) if before.is_some_and(|c| !c.is_whitespace()) => {
                            found.push(file.at(
                                Rule::GithubTildeStrikethrough,
                                start,
                                "GitHub strikes through the text between these single `~` (a range?); haru shows the tildes"
                                    .into(),
                                "write ranges with `-` (리전-리전), or `\\~` to keep GitHub from striking",
                            )
.ko("GitHub는 이 홑 `~` 사이의 글자에 취소선을 긋습니다(범위를 뜻했나요?). haru는 물결표를 그대로 보여 줍니다", "범위는 `-`로 쓰거나(리전-리전), GitHub가 긋지 않게 `\\~`로 쓰세요"));
                            open = None;
                        }
                        None if after.is_some_and(|c| !c.is_whitespace()) => {
                            open = Some(range.start + index);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// Addresses GitHub reads otherwise: Hangul written onto a bare URL (`https://example.com에서`)
/// becomes part of GitHub's link, which then leads nowhere; `<int:pk>` becomes a link to
/// `int:pk`. haru ends the link before the particle and shows the placeholder as text.
fn addresses(file: &Checked, github: &[(Event, Range<usize>)], found: &mut Vec<Finding>) {
    let mut in_code_or_link = 0usize;
    for (event, range) in github {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. }) => {
                in_code_or_link += 1;
                if let Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) = event
                {
                    if markdown::is_text_in_brackets(*link_type, dest_url) {
                        found.push(file.at(
                            Rule::GithubBracketLink,
                            range.start,
                            format!("GitHub shows `<{dest_url}>` as a link to `{dest_url}`; haru shows the text"),
                            "put it in backticks (`<int:pk>`) so it shows as written everywhere",
                        )
.ko(format!("GitHub는 `<{dest_url}>`을(를) `{dest_url}`(으)로 가는 링크로 보여 줍니다. haru는 글자로 보여 줍니다"), "어디서나 쓴 그대로 보이도록 백틱으로 감싸세요(`<int:pk>`)"));
                    }
                }
            }
            Event::End(
                pulldown_cmark::TagEnd::CodeBlock
                | pulldown_cmark::TagEnd::Link
                | pulldown_cmark::TagEnd::Image,
            ) => in_code_or_link = in_code_or_link.saturating_sub(1),
            Event::Text(text) if in_code_or_link == 0 => {
                for (offset, particle) in markdown::particles_after_urls(text) {
                    found.push(file.at(
                        Rule::GithubUrlParticle,
                        range.start + offset,
                        format!("GitHub links `{particle}` into the address before it, and the link leads nowhere; haru ends the link before it"),
                        "put a space after the address, or write it as [text](url)",
                    )
.ko(format!("GitHub는 `{particle}`까지 앞 주소에 넣어 링크해서 링크가 깨집니다. haru는 그 앞에서 링크를 끝냅니다"), "주소 뒤에 공백을 두거나 [글자](url)로 쓰세요"));
                }
            }
            _ => {}
        }
    }
}
