//! `haru new`: today's entry, from the journal's template, where the journal keeps entries.
//!
//! The place follows the layout the journal already uses, read off its newest dated entry:
//! `2026-03-09.md`, `2026-03/2026-03-09.md`, `2026/03_March/…`, `2026/3월/…`, `TIL/AWS/2026.03.09.md`,
//! `20260309_TIL.md` — the same folders and file-name form with the new date. A journal with no
//! entry yet gets `YYYY-MM-DD.md`; `[new] path` in haru.toml says it outright. Never overwrites.

use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::config::Config;
use crate::date::MONTHS_EN;
use crate::diagnostic::Diagnostic;
use crate::load::{LoadOptions, load};

/// The cohort's five sections, with the date in the heading.
const DEFAULT_TEMPLATE: &str = "# [{date}]

## ☀️ 오늘의 목표 (Scrum)

- [ ] 

## 📝 배운 내용 (Today I Learned)

## 🔥 도전 과제 & 해결 (Challenge & Solution)

- **과제/문제**: 
- **시도 및 해결**: 

## 💭 오늘의 회고 (Retrospective)

- **Keep (좋았던 점)**: 
- **Problem (아쉬웠던 점)**: 
- **Try (시도할 점)**: 

## 🔗 참고 자료 (References)
";

pub struct NewOptions<'a> {
    pub root: &'a Path,
    /// `today`, `yesterday` or `YYYY-MM-DD`.
    pub date: &'a str,
    /// A topic folder (`TIL/<topic>/` in a journal kept by topic).
    pub topic: Option<&'a str>,
    /// What "today" is (the caller's clock).
    pub today: Date,
}

/// `today`, `yesterday`, `2026-01-30`.
pub fn parse_day(text: &str, today: Date) -> Result<Date, Diagnostic> {
    match text {
        "today" | "오늘" => Ok(today),
        "yesterday" | "어제" => Ok(today.checked_sub(1.day()).unwrap_or(today)),
        other => match crate::date::in_text(other) {
            (crate::date::Found::Date(date, crate::date::Precision::Day), Some(range))
                if range == (0..other.len()) =>
            {
                Ok(date)
            }
            _ => Err(Diagnostic::error(None, format!("`{other}` is no date"))
                .ko(format!("`{other}`은(는) 날짜가 아닙니다"))
                .ko_hint("today, yesterday 또는 2026-01-30 같은 날짜를 쓰세요")
                .with_hint("write today, yesterday or a date like 2026-01-30")),
        },
    }
}

/// Creates the entry and returns its path. The file is new: an existing one is an error.
pub fn new_entry(options: &NewOptions) -> Result<PathBuf, Diagnostic> {
    // Said in the journal's language; Korean when its configuration cannot be read.
    let config = Config::load(options.root).map_err(|mut diagnostic| {
        diagnostic.localize(crate::config::Language::default());
        diagnostic
    })?;
    write_entry(options, &config).map_err(|mut diagnostic| {
        diagnostic.localize(config.language);
        diagnostic
    })
}

fn write_entry(options: &NewOptions, config: &Config) -> Result<PathBuf, Diagnostic> {
    let date = parse_day(options.date, options.today)?;
    let content = options.root.join(&config.content_dir);
    let relative = match &config.new.path {
        Some(pattern) => fill(pattern, date, options.topic),
        None => follow_layout(&content, options.root, date, options.topic),
    };
    let path = content.join(&relative);
    if path.exists() {
        return Err(Diagnostic::error(
            path,
            "an entry is already there; haru new never overwrites",
        )
        .ko("이미 기록이 있습니다. haru new는 덮어쓰지 않습니다")
        .ko_hint("열어서 이어 쓰거나 다른 날짜를 주세요")
        .with_hint("open it to keep writing, or pass another date"));
    }
    let template = match &config.new.template {
        Some(file) => std::fs::read_to_string(options.root.join(file)).map_err(|error| {
            Diagnostic::error(
                file.clone(),
                format!("cannot read the entry template: {error}"),
            )
            .ko(format!("기록 템플릿을 읽을 수 없습니다: {error}"))
        })?,
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let text = fill(&template, date, options.topic);
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes a new file (and its folders); a file that is there already is never replaced, even
/// one that appeared since the caller looked.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|error| {
            Diagnostic::error(
                parent.to_path_buf(),
                format!("cannot create the folder: {error}"),
            )
            .ko(format!("폴더를 만들 수 없습니다: {error}"))
        })?;
    }
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|error| {
            Diagnostic::error(path.to_path_buf(), format!("cannot write: {error}"))
                .ko(format!("쓸 수 없습니다: {error}"))
        })
}

/// `{date}` 2026-03-09, `{dotted}` 2026.03.09, `{compact}` 20260309, `{yyyy}`, `{mm}` 03, `{m}` 3,
/// `{dd}`, `{month}` March, `{topic}`.
pub fn fill(pattern: &str, date: Date, topic: Option<&str>) -> String {
    let (year, month, day) = (date.year(), date.month(), date.day());
    pattern
        .replace("{date}", &format!("{year:04}-{month:02}-{day:02}"))
        .replace("{dotted}", &format!("{year:04}.{month:02}.{day:02}"))
        .replace("{compact}", &format!("{year:04}{month:02}{day:02}"))
        .replace("{yyyy}", &format!("{year:04}"))
        .replace("{mm}", &format!("{month:02}"))
        .replace("{m}", &month.to_string())
        .replace("{dd}", &format!("{day:02}"))
        .replace("{month}", MONTHS_EN[month as usize - 1])
        .replace("{topic}", topic.unwrap_or(""))
}

/// The newest day-dated entry's path, with its date swapped for `date` in every form it takes.
fn follow_layout(content: &Path, root: &Path, date: Date, topic: Option<&str>) -> String {
    let fallback = || match topic {
        Some(topic) => format!("{topic}/{}", fill("{date}.md", date, None)),
        None => fill("{date}.md", date, None),
    };
    let output = root.join("public");
    let (loaded, _) = load(&LoadOptions {
        content,
        output: &output,
        drafts: false,
        reserved: &[],
        display_base: root,
    });
    // The newest file whose name carries a day: that is how the journal names entries.
    let newest = loaded
        .sources
        .iter()
        .filter_map(|source| {
            let name = source
                .relative
                .rsplit('/')
                .next()
                .unwrap_or(&source.relative);
            let stem = name.strip_suffix(".md").unwrap_or(name);
            match crate::date::in_file_stem(stem) {
                crate::date::Found::Date(day, _) => Some((day, source.relative.clone())),
                _ => None,
            }
        })
        .max();
    let Some((old, relative)) = newest else {
        return fallback();
    };
    let mut parts: Vec<String> = relative.split('/').map(str::to_string).collect();
    let file = parts.pop().unwrap_or_default();
    let swap = |text: &str| -> String {
        let forms = |d: Date, separator: &str| {
            format!(
                "{:04}{separator}{:02}{separator}{:02}",
                d.year(),
                d.month(),
                d.day()
            )
        };
        let mut swapped = text.to_string();
        for separator in ["-", ".", "_", ""] {
            swapped = swapped.replace(&forms(old, separator), &forms(date, separator));
        }
        swapped
    };
    let mut new_file = swap(&file);
    // `20250610-7_TIL.md`: a day's second entry keeps the name form, not the number.
    if let Some(dash) = new_file
        .find('-')
        .filter(|&dash| dash == 8 && new_file[..8].bytes().all(|b| b.is_ascii_digit()))
    {
        let rest: String = new_file[dash + 1..]
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .to_string();
        new_file = format!("{}{rest}", &new_file[..dash]);
    }
    let folders: Vec<String> = parts
        .iter()
        .map(|folder| {
            let year_month =
                |separator: &str| format!("{:04}{separator}{:02}", old.year(), old.month());
            if folder == &format!("{:04}", old.year()) {
                format!("{:04}", date.year())
            } else if let Some(rest) = ["-", "."].iter().find_map(|s| {
                folder
                    .strip_prefix(&year_month(s))
                    .filter(|r| r.is_empty())
                    .map(|_| *s)
            }) {
                format!("{:04}{rest}{:02}", date.year(), date.month())
            } else if *folder == format!("{}월", old.month()) {
                format!("{}월", date.month())
            } else if *folder
                == format!("{:02}_{}", old.month(), MONTHS_EN[old.month() as usize - 1])
            {
                format!(
                    "{:02}_{}",
                    date.month(),
                    MONTHS_EN[date.month() as usize - 1]
                )
            } else {
                folder.clone()
            }
        })
        .collect();
    let mut folders = folders;
    if let Some(topic) = topic {
        // A topic goes where the newest entry's topic folder is (`TIL/AWS` → `TIL/<topic>`).
        match folders.last_mut() {
            Some(last) => *last = topic.to_string(),
            None => folders.push(topic.to_string()),
        }
    }
    folders.push(new_file);
    folders.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    /// A journal with one entry at `existing`, and where `haru new` puts 2026-04-01's.
    fn placed(existing: &str, topic: Option<&str>) -> String {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("content").join(existing);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "# 기록\n\n본문\n").unwrap();
        let options = NewOptions {
            root: temp.path(),
            date: "2026-04-01",
            topic,
            today: day(2026, 4, 1),
        };
        let created = new_entry(&options).unwrap();
        created
            .strip_prefix(temp.path().join("content"))
            .unwrap()
            .to_string_lossy()
            .to_string()
    }

    #[test]
    fn follows_the_layout_of_the_newest_entry() {
        assert_eq!(placed("2026-03-09.md", None), "2026-04-01.md");
        assert_eq!(
            placed("2026-03/2026-03-09.md", None),
            "2026-04/2026-04-01.md"
        );
        assert_eq!(
            placed("2025/11월/2025-11-18.md", None),
            "2026/4월/2026-04-01.md"
        );
        assert_eq!(
            placed("2025/10_October/2025-10-23-redis.md", None),
            "2026/04_April/2026-04-01-redis.md"
        );
        assert_eq!(
            placed("TIL/AWS/2026.03.09.md", None),
            "TIL/AWS/2026.04.01.md"
        );
        assert_eq!(
            placed("TIL/AWS/2026.03.09.md", Some("Network")),
            "TIL/Network/2026.04.01.md"
        );
        assert_eq!(placed("JS/20250610-7_TIL.md", None), "JS/20260401_TIL.md");
        assert_eq!(
            placed("2025.12/2025.12.01.md", None),
            "2026.04/2026.04.01.md"
        );
    }

    #[test]
    fn an_empty_journal_gets_a_dated_file_with_the_cohort_template() {
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(temp.path().join("content")).unwrap();
        let options = NewOptions {
            root: temp.path(),
            date: "today",
            topic: None,
            today: day(2026, 1, 30),
        };
        let path = new_entry(&options).unwrap();
        assert!(path.ends_with("content/2026-01-30.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# [2026-01-30]\n"));
        for section in [
            "오늘의 목표",
            "배운 내용",
            "도전 과제",
            "오늘의 회고",
            "참고 자료",
        ] {
            assert!(text.contains(section), "{section}");
        }
    }

    #[test]
    fn never_overwrites_and_reads_dates() {
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(temp.path().join("content")).unwrap();
        std::fs::write(temp.path().join("content/2026-01-29.md"), "내 글").unwrap();
        let options = NewOptions {
            root: temp.path(),
            date: "yesterday",
            topic: None,
            today: day(2026, 1, 30),
        };
        let error = new_entry(&options).unwrap_err();
        assert!(
            error.message.contains("덮어쓰지 않습니다"),
            "{}",
            error.message
        );
        assert_eq!(
            std::fs::read_to_string(temp.path().join("content/2026-01-29.md")).unwrap(),
            "내 글"
        );
        assert!(parse_day("2026-13-01", day(2026, 1, 30)).is_err());
        assert!(parse_day("tomorrow-ish", day(2026, 1, 30)).is_err());
    }

    #[test]
    fn config_sets_path_and_template() {
        let temp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(temp.path().join("content")).unwrap();
        std::fs::write(
            temp.path().join("haru.toml"),
            "[new]\npath = \"{yyyy}/{m}월/{date}.md\"\ntemplate = \"my.md\"\n",
        )
        .unwrap();
        std::fs::write(temp.path().join("my.md"), "# {date} 오늘 배운 것\n").unwrap();
        let options = NewOptions {
            root: temp.path(),
            date: "2026-02-03",
            topic: None,
            today: day(2026, 2, 3),
        };
        let path = new_entry(&options).unwrap();
        assert!(
            path.ends_with("content/2026/2월/2026-02-03.md"),
            "{}",
            path.display()
        );
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            "# 2026-02-03 오늘 배운 것\n"
        );
    }
}
