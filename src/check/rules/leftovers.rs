use crate::check::finding::{Checked, Finding, Rule};
use crate::model::SectionKind;

/// Text from the cohort template that was meant to be replaced.
pub(in crate::check) const PLACEHOLDERS: [(&str, &str, &str); 3] = [
    (
        "제목을 적어주세요",
        "write the entry's title here",
        "여기에 기록의 제목을 쓰세요",
    ),
    (
        "https://www.google.com/search?q=URL",
        "put the page you learned from here, or remove the line",
        "배운 곳의 주소를 넣거나 이 줄을 지우세요",
    ),
    (
        "[링크 제목]",
        "give the link the page's title",
        "링크에 그 페이지의 제목을 붙이세요",
    ),
];

pub(in crate::check) fn leftovers(file: &Checked, found: &mut Vec<Finding>) {
    if file.parsed.blank {
        // One finding says it all: the rest would list every placeholder of the template.
        found.push(
            file.at_line(
                Rule::BlankEntry,
                1,
                "holds nothing but template text and placeholders, so it is not published".into(),
                "write today's entry in it, or delete the file",
            )
            .ko(
                "템플릿 글과 자리 표시자뿐이라서 싣지 않습니다",
                "오늘의 기록을 쓰거나 파일을 지우세요",
            ),
        );
        return;
    }
    for (placeholder, hint, korean_hint) in PLACEHOLDERS {
        for (offset, _) in file.text.match_indices(placeholder) {
            found.push(
                file.at(
                    Rule::TemplateLeftover,
                    offset,
                    format!("template text `{placeholder}` left in"),
                    hint,
                )
                .ko(
                    format!("템플릿 글 `{placeholder}`이(가) 남아 있습니다"),
                    korean_hint,
                ),
            );
        }
    }
    for section in file.parsed.entry.sections.iter() {
        // `X` or `없음` is the author saying "nothing today"; only untouched sections count.
        if section.is_empty
            && section.kind != SectionKind::Body
            && untouched(file.text, section.line)
        {
            found.push(
                file.at_line(
                    Rule::EmptySection,
                    section.line,
                    format!(
                        "the section `{}` has nothing in it",
                        section.heading.as_deref().unwrap_or("")
                    ),
                    "fill it in, or delete the heading (haru hides it; GitHub shows it empty)",
                )
                .ko(
                    format!(
                        "`{}` 섹션이 비어 있습니다",
                        section.heading.as_deref().unwrap_or("")
                    ),
                    "채우거나 제목을 지우세요(haru는 숨기지만 GitHub는 빈 채로 보여 줍니다)",
                ),
            );
        }
    }
}

/// Whether the section whose heading is on `line` holds nothing but the template's empty
/// labels (`- **Keep (좋았던 점)**:`), empty bullets and task boxes, up to the next heading of
/// its level or above.
pub(in crate::check) fn untouched(text: &str, line: usize) -> bool {
    let mut lines = text.lines().skip(line.saturating_sub(1));
    let Some(heading) = lines.next() else {
        return false;
    };
    let level = heading.chars().take_while(|c| *c == '#').count().max(1);
    for line in lines {
        let trimmed = line.trim();
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if hashes > 0 && hashes <= level && trimmed[hashes..].starts_with(' ') {
            break;
        }
        let item = trimmed
            .trim_start_matches(['-', '*', '+'])
            .trim_start()
            .trim_start_matches("[ ]")
            .trim();
        // `**Keep (좋았던 점)**:` or `**Keep:**` with nothing after it.
        let empty_label = item.ends_with(':') || item.ends_with(":**");
        if !(item.is_empty() || empty_label) {
            return false;
        }
    }
    true
}
