use crate::check::finding::{Checked, Finding, Rule, line_starts};
use crate::markdown;
use pulldown_cmark::{Event, Parser, Tag};

/// Lines haru reads differently from GitHub because it repairs them (`markdown::prepare`): a
/// bullet indented 2 spaces under `1.` (GitHub does not nest it), a bullet indented 4+ spaces
/// after a paragraph line (GitHub shows `- ` as text), a fence or quote indented 4+ spaces
/// (GitHub shows it as indented code). Also fences never closed and prose that became an
/// indented code block, which both render as code.
pub(in crate::check) fn repairs(file: &Checked, found: &mut Vec<Finding>) {
    let body = &file.text[file.body_start..];
    let repaired = markdown::prepare(body);
    moved_lines(file, body, &repaired, found);
    code_blocks(file, body, &repaired, found);
}

/// Lines `prepare` moved where GitHub would read them another way.
fn moved_lines(file: &Checked, body: &str, repaired: &str, found: &mut Vec<Finding>) {
    let mut offset = file.body_start;
    let mut in_shifted_fence = false;
    let mut current_move: Option<(i64, usize)> = None;
    let mut previous_blank = true;
    for (line, fixed) in body
        .split_inclusive('\n')
        .zip(repaired.split_inclusive('\n'))
    {
        let indent = |text: &str| text.len() - text.trim_start().len();
        let content = line.trim();
        let is_fence = content.starts_with("```") || content.starts_with("~~~");
        let shift = indent(fixed) as i64 - indent(line) as i64;
        // Items change meaning, and a paragraph after a blank line (GitHub ends the list there);
        // a shifted continuation line reads the same on GitHub.
        let item = (previous_blank && shift > 0)
            || content.starts_with(['-', '*', '+'])
            || content.split_once(['.', ')']).is_some_and(|(number, _)| {
                !number.is_empty()
                    && number.len() <= 9
                    && number.bytes().all(|b| b.is_ascii_digit())
            });
        // A repair moves a line with the more indented lines under it (an item's children, a
        // quote's next lines): report where a move starts.
        let inherited =
            current_move.is_some_and(|(moved, from)| shift == moved && indent(line) >= from);
        let starts_a_move = shift != 0 && !inherited && !in_shifted_fence;
        if !content.is_empty() && !inherited {
            current_move = (shift != 0).then_some((shift, indent(line)));
        }
        previous_blank = content.is_empty();
        let starts_a_move = starts_a_move && (item || is_fence || content.starts_with('>'));
        if starts_a_move && !in_shifted_fence {
            // Moved right: GitHub leaves it outside the item above. Moved left: GitHub reads the
            // extra spaces as indented code or paragraph text.
            let (rule, [message, hint, korean, korean_hint]) =
                move_finding(shift, is_fence, content);
            found.push(
                file.at(rule, offset + indent(line), message.into(), hint)
                    .ko(korean, korean_hint),
            );
        }
        if is_fence {
            in_shifted_fence = !in_shifted_fence && indent(line) != indent(fixed);
        }
        offset += line.len();
    }
}

/// Code blocks as haru reads them (after the repairs), placed on the original lines: a fence
/// never closed, and Korean prose that became indented code.
fn code_blocks(file: &Checked, body: &str, repaired: &str, found: &mut Vec<Finding>) {
    let body_starts = line_starts(body);
    let repaired_starts = line_starts(repaired);
    let place = |repaired_offset: usize| -> usize {
        let line = repaired_starts.partition_point(|&start| start <= repaired_offset) - 1;
        let start = body_starts.get(line).copied().unwrap_or(body.len());
        let text = &body[start..];
        file.body_start + start + (text.len() - text.trim_start_matches(' ').len())
    };
    for (event, range) in Parser::new_ext(repaired, markdown::parser_options()).into_offset_iter() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            continue;
        };
        let block = &repaired[range.clone()];
        match kind {
            pulldown_cmark::CodeBlockKind::Fenced(_) => {
                let opening = block.trim_start();
                let marks: String = opening
                    .chars()
                    .take_while(|c| *c == '`' || *c == '~')
                    .collect();
                let closed = block
                    .trim_end()
                    .lines()
                    .skip(1)
                    .last()
                    .is_some_and(|last| last.trim().starts_with(marks.as_str()));
                if !closed && range.end >= repaired.trim_end().len() {
                    found.push(file.at(
                        Rule::UnclosedFence,
                        place(range.start),
                        format!(
                            "this `{marks}` fence is never closed: the rest of the file is code"
                        ),
                        &format!("close it with {marks} on a line of its own"),
                    )
.ko(format!("이 `{marks}` 코드 블록이 닫히지 않아 파일의 나머지가 모두 코드가 됩니다"), &format!("{marks}만 있는 줄로 닫으세요")));
                }
            }
            pulldown_cmark::CodeBlockKind::Indented => {
                if block.chars().any(crate::text::is_syllable) {
                    found.push(file.at(
                        Rule::IndentedCode,
                        place(range.start),
                        "Korean prose indented 4+ spaces after a blank line shows as a code block".into(),
                        "remove the indent if it is text; fence it with ``` if it is code",
                    )
.ko("빈 줄 뒤에 네 칸 이상 들여 쓴 한글 문장은 코드 블록으로 보입니다", "글이라면 들여쓰기를 지우고, 코드라면 ```로 감싸세요"));
                }
            }
        }
    }
}

/// What a moved line means on GitHub. Moved right: GitHub leaves it outside the item above.
/// Moved left: GitHub reads the extra spaces as indented code or paragraph text.
/// A moved line's finding: its rule, then the message and hint in English and in Korean.
type Moved = (Rule, [&'static str; 4]);

fn move_finding(shift: i64, is_fence: bool, content: &str) -> Moved {
    if shift > 0 {
        (
            Rule::ListIndent,
            [
                "GitHub does not put this inside the list item above (too few spaces); haru does",
                "indent it to the text of the item above (3 spaces under `1. `)",
                "GitHub는 이 줄을 위 목록 항목 안에 넣지 않습니다(공백이 모자랍니다). haru는 넣습니다",
                "위 항목의 글자 위치까지 들여 쓰세요(`1. ` 아래는 세 칸)",
            ],
        )
    } else if is_fence {
        (
            Rule::IndentedFence,
            [
                "GitHub shows this fence as indented code (4+ spaces); haru reads the fence",
                "start the fence at the margin (or under its list item's text)",
                "GitHub는 이 코드 울타리를 들여 쓴 코드로 보여 줍니다(네 칸 이상). haru는 울타리로 읽습니다",
                "울타리를 줄 맨 앞에서(또는 목록 항목의 글자 아래에서) 시작하세요",
            ],
        )
    } else if content.starts_with('>') {
        (
            Rule::IndentedQuote,
            [
                "GitHub shows this quote as indented code (4+ spaces); haru reads the quote",
                "start the quote at the margin",
                "GitHub는 이 인용을 들여 쓴 코드로 보여 줍니다(네 칸 이상). haru는 인용으로 읽습니다",
                "인용을 줄 맨 앞에서 시작하세요",
            ],
        )
    } else {
        (
            Rule::OverIndentedBullet,
            [
                "GitHub shows this `- ` as text in the paragraph above (4+ spaces more); haru makes it a list item",
                "indent it like the list it belongs to, or leave a blank line before it",
                "GitHub는 이 `- `를 위 문단의 글자로 보여 줍니다(네 칸 이상 더). haru는 목록 항목으로 만듭니다",
                "속한 목록처럼 들여 쓰거나, 앞에 빈 줄을 두세요",
            ],
        )
    }
}
