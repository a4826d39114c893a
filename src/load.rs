//! Finding and reading the journal's files: walkdir over the content folder.
//!
//! Owns what counts as a journal file (markdown, including the extensionless dated files the
//! cohort template ships), what is skipped (dotfiles, editor temp files, `_drafts`, the output
//! folder), what is copied as an asset, and the safety rules: symlinks must stay inside the
//! content folder, loops are errors, and text must be UTF-8 (EUC-KR exists in Korean repos).

use std::path::{Path, PathBuf};

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, display_path};

pub struct LoadOptions<'a> {
    pub content: &'a Path,
    /// Left out of the walk when it lies inside the content folder.
    pub output: &'a Path,
    pub drafts: bool,
    /// Folders at the content root that belong to haru, not the journal (when the content
    /// folder is the repository root: `templates`, `static`).
    pub reserved: &'a [&'a str],
    /// For messages: paths are shown relative to this.
    pub display_base: &'a Path,
}

/// A journal file found by the walk, not read yet: files are read where they are parsed, in
/// parallel, so reading overlaps parsing and the whole journal's text is never in memory.
#[derive(Clone, Debug)]
pub struct SourcePath {
    /// Relative to the content folder, `/`-separated.
    pub relative: String,
    pub absolute: PathBuf,
    /// Under a `_drafts` folder.
    pub in_drafts: bool,
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the content folder, `/`-separated.
    pub relative: String,
    pub absolute: PathBuf,
    /// NFC-normalised, `\n` line endings, no BOM.
    pub text: String,
    /// Under a `_drafts` folder.
    pub in_drafts: bool,
    /// What reading found and repaired (control characters removed), for the build to report.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Clone, Debug)]
pub struct Asset {
    pub relative: String,
    pub absolute: PathBuf,
}

#[derive(Default)]
pub struct Loaded {
    pub sources: Vec<SourcePath>,
    pub assets: Vec<Asset>,
}

pub fn is_markdown_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return true;
    }
    // The cohort template ships `2025-12/2025-12-22` without an extension.
    !name.contains('.') && !matches!(crate::date::in_file_stem(name), crate::date::Found::Nothing)
}

pub(crate) fn is_skipped_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        // JetBrains' safe write: the new text, then the old file, beside the real one.
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "node_modules"
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

pub fn load(options: &LoadOptions) -> (Loaded, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut loaded = Loaded::default();
    let content_root = match options.content.canonicalize() {
        Ok(root) => root,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    display_path(options.content, options.display_base),
                    format!("cannot open the content folder: {error}"),
                )
                .ko(format!("콘텐츠 폴더를 열 수 없습니다: {error}"))
                .ko_hint("--content에 마크다운 파일이 있는 폴더를 주세요")
                .with_hint("point --content at the folder holding your markdown files"),
            );
            return (loaded, diagnostics);
        }
    };
    let walk = WalkFilter {
        options,
        content_root: &content_root,
        output: options.output.canonicalize().ok(),
        outside: Default::default(),
    };
    let walker = WalkDir::new(&content_root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| walk.keeps(entry));
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(error) => {
                diagnostics.push(walk_error(&error, options.display_base));
                continue;
            }
        };
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        if let Some(skipped) = not_a_journal_file(&entry, &content_root, options.display_base) {
            diagnostics.push(skipped);
            continue;
        }
        let path = entry.path();
        let Ok(relative) = path.strip_prefix(&content_root) else {
            continue;
        };
        let relative_text = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let in_drafts = relative.components().any(|c| c.as_os_str() == "_drafts");
        if in_drafts && !options.drafts {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if is_markdown_name(&name) {
            loaded.sources.push(SourcePath {
                relative: relative_text,
                absolute: path.to_path_buf(),
                in_drafts,
            });
        } else {
            loaded.assets.push(Asset {
                relative: relative_text,
                absolute: path.to_path_buf(),
            });
        }
    }
    for link in walk.outside.into_inner() {
        diagnostics.push(
            Diagnostic::warning(
                display_path(&link, options.display_base),
                "symbolic link to a folder outside the content folder; skipped",
            )
            .ko("콘텐츠 폴더 밖의 폴더를 가리키는 심볼릭 링크라서 건너뜁니다")
            .ko_hint("링크 대신 폴더를 일지 안으로 복사하세요")
            .with_hint("copy the folder into the journal instead of linking to it"),
        );
    }
    (loaded, diagnostics)
}

/// Which folders and files the walk enters: not editors' and systems' leftovers, not the
/// site's reserved folders or the output, not folder links leading out of the content folder.
struct WalkFilter<'a> {
    options: &'a LoadOptions<'a>,
    content_root: &'a Path,
    output: Option<PathBuf>,
    /// Folder links leading out of the content folder, found while walking (the filter cannot
    /// push to the diagnostics while the walk holds it).
    outside: std::cell::RefCell<Vec<PathBuf>>,
}

impl WalkFilter<'_> {
    fn keeps(&self, entry: &walkdir::DirEntry) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        let name = entry.file_name().to_string_lossy();
        if is_skipped_name(&name) {
            return false;
        }
        if entry.depth() == 1
            && entry.file_type().is_dir()
            && self.options.reserved.contains(&name.as_ref())
        {
            return false;
        }
        if self.output.as_deref() == Some(entry.path()) {
            return false;
        }
        if entry.path_is_symlink() && entry.file_type().is_dir() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(self.content_root));
            if !inside {
                self.outside.borrow_mut().push(entry.path().to_path_buf());
                return false;
            }
        }
        true
    }
}

/// A folder the walk could not enter or read: a link loop, no permission, or gone.
fn walk_error(error: &walkdir::Error, display_base: &Path) -> Diagnostic {
    let path = error.path().map(|p| display_path(p, display_base));
    let denied = error
        .io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if error.loop_ancestor().is_some() {
        Diagnostic::error(
            path,
            "symbolic link loop: this link points back at a folder above it",
        )
        .with_hint("remove or fix the link")
        .ko("심볼릭 링크가 맴돕니다: 이 링크는 자기 위 폴더를 가리킵니다")
        .ko_hint("링크를 지우거나 고치세요")
    } else if denied {
        Diagnostic::error(path, "cannot read: permission denied")
            .with_hint("make it readable (chmod -R u+rX) or move it out of the content folder")
            .ko("읽을 수 없습니다: 권한이 없습니다")
            .ko_hint("읽을 수 있게 하거나(chmod -R u+rX) 콘텐츠 폴더 밖으로 옮기세요")
    } else {
        let reason = error
            .io_error()
            .map_or_else(|| error.to_string(), |e| e.to_string());
        Diagnostic::error(path, format!("cannot read: {reason}"))
            .with_hint("check that it exists and is readable, or move it out of the content folder")
            .ko(format!("읽을 수 없습니다: {reason}"))
            .ko_hint("파일이 있고 읽을 수 있는지 확인하거나, 콘텐츠 폴더 밖으로 옮기세요")
    }
}

/// Why a file is skipped, if it is: not a regular file, or a link leading out of the content
/// folder or nowhere.
fn not_a_journal_file(
    entry: &walkdir::DirEntry,
    content_root: &Path,
    display_base: &Path,
) -> Option<Diagnostic> {
    let path = entry.path();
    let shown = || display_path(path, display_base);
    if !entry.file_type().is_file() {
        // A FIFO would block the build forever; a device or socket is no journal file.
        return Some(
            Diagnostic::warning(
                shown(),
                "not a regular file (a pipe, socket or device); skipped",
            )
            .ko("일반 파일이 아니라서(파이프, 소켓, 장치) 건너뜁니다")
            .ko_hint("일지에서 지우세요")
            .with_hint("remove it from the journal"),
        );
    }
    if !entry.path_is_symlink() {
        return None;
    }
    match path.canonicalize() {
        Ok(target) if target.starts_with(content_root) => None,
        Ok(_) => Some(
            Diagnostic::warning(
                shown(),
                "symbolic link points outside the content folder; skipped",
            )
            .ko("콘텐츠 폴더 밖을 가리키는 심볼릭 링크라서 건너뜁니다")
            .ko_hint("링크 대신 파일을 일지 안으로 복사하세요")
            .with_hint("copy the file into the journal instead of linking to it"),
        ),
        Err(error) => Some(
            Diagnostic::warning(shown(), format!("broken symbolic link; skipped ({error})"))
                .ko(format!("끊어진 심볼릭 링크라서 건너뜁니다 ({error})")),
        ),
    }
}

/// Reads one journal file as text: UTF-8 or UTF-16 with its byte-order mark (anything else is
/// an error naming the line and the fix), NFC, `\n` line endings. An empty file is a warning;
/// a file over `max_bytes`, or one that is no longer a regular file, is an error.
pub fn read(
    source: &SourcePath,
    display_base: &Path,
    max_bytes: u64,
) -> Result<SourceFile, Diagnostic> {
    let SourcePath {
        relative,
        absolute,
        in_drafts,
    } = source.clone();
    let shown = display_path(&absolute, display_base);
    let cannot_read = |error: std::io::Error| {
        Diagnostic::error(shown.clone(), format!("cannot read: {error}"))
            .ko(format!("읽을 수 없습니다: {error}"))
    };
    let metadata = std::fs::metadata(&absolute).map_err(cannot_read)?;
    if !metadata.is_file() {
        // Swapped for a pipe since the walk: reading it could block forever.
        return Err(
            Diagnostic::error(shown, "not a regular file (a pipe, socket or device)")
                .with_hint("remove it from the journal")
                .ko("일반 파일이 아닙니다(파이프, 소켓, 장치)")
                .ko_hint("일지에서 지우세요"),
        );
    }
    if metadata.len() > max_bytes {
        return Err(too_large(shown, metadata.len(), max_bytes));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    {
        use std::io::Read;
        let file = std::fs::File::open(&absolute).map_err(cannot_read)?;
        // It may have grown since: read one byte past the limit to tell.
        file.take(max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot_read)?;
    }
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(shown, bytes.len() as u64, max_bytes));
    }
    let text = decode(bytes).map_err(|not_text| not_text.diagnostic(shown.clone()))?;
    if text.trim().is_empty() {
        return Err(Diagnostic::warning(shown, "empty file; skipped")
            .with_hint("write the entry or delete the file")
            .ko("빈 파일이라서 건너뜁니다")
            .ko_hint("기록을 쓰거나 파일을 지우세요"));
    }
    let (text, removed) = crate::text::remove_forbidden(text);
    let warnings = removed
        .map(|(line, count)| {
            Diagnostic::warning(
                shown,
                format!("{count} control character(s) removed (NUL, ESC, backspace …): HTML and feeds cannot hold them"),
            )
.ko(format!("제어 문자 {count}개를 지웠습니다(NUL, ESC, 백스페이스 …): HTML과 피드에 넣을 수 없습니다"))
.ko_hint("파일에서 지우세요(터미널에서 붙여 넣은 것일 수 있습니다)")
            .at_line(line)
            .with_hint("delete them from the file (a paste from a terminal, perhaps)")
        })
        .into_iter()
        .collect();
    Ok(SourceFile {
        relative,
        absolute,
        text: normalize_text(text),
        in_drafts,
        warnings,
    })
}

fn too_large(shown: PathBuf, size: u64, max_bytes: u64) -> Diagnostic {
    let megabytes = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    Diagnostic::error(
        shown,
        format!(
            "file is {:.1} MB, over the limit of {:.0} MB",
            megabytes(size),
            megabytes(max_bytes)
        ),
    )
    .ko(format!(
        "파일이 {:.1} MB로 한도 {:.0} MB를 넘습니다",
        megabytes(size),
        megabytes(max_bytes)
    ))
    .with_hint("split it into smaller entries, or raise max_file_mb in haru.toml")
    .ko_hint("작은 기록 여러 개로 나누거나, haru.toml의 max_file_mb를 늘리세요")
}

/// A file's bytes as text, or (message, hint, line) saying why they are not.
/// Why a file's bytes are not text haru can read.
enum NotText {
    InvalidUtf16,
    Utf16WithoutMark,
    /// Not UTF-8, first going wrong on this line.
    NotUtf8(usize),
}

impl NotText {
    fn diagnostic(self, shown: PathBuf) -> Diagnostic {
        match self {
            NotText::InvalidUtf16 => Diagnostic::error(shown, "UTF-16 text with invalid characters")
                .with_hint("save it again as UTF-8")
                .ko("UTF-16 텍스트에 잘못된 문자가 있습니다")
                .ko_hint("UTF-8로 다시 저장하세요"),
            NotText::Utf16WithoutMark => Diagnostic::error(
                shown,
                "UTF-16 text without a byte-order mark, not UTF-8",
            )
            .with_hint("save it as UTF-8 (iconv -f utf-16le -t utf-8 FILE > FILE.utf8 && mv FILE.utf8 FILE)")
            .ko("바이트 순서 표시 없는 UTF-16 텍스트입니다(UTF-8이 아닙니다)")
            .ko_hint("UTF-8로 저장하세요 (iconv -f utf-16le -t utf-8 FILE > FILE.utf8 && mv FILE.utf8 FILE)"),
            NotText::NotUtf8(line) => Diagnostic::error(shown, "not UTF-8 text (EUC-KR or CP949, perhaps)")
                .at_line(line)
                .with_hint("convert it: iconv -f cp949 -t utf-8 FILE > FILE.utf8 && mv FILE.utf8 FILE")
                .ko("UTF-8 텍스트가 아닙니다(EUC-KR이나 CP949일 수 있습니다)")
                .ko_hint("변환하세요: iconv -f cp949 -t utf-8 FILE > FILE.utf8 && mv FILE.utf8 FILE"),
        }
    }
}

fn decode(bytes: Vec<u8>) -> Result<String, NotText> {
    // simdutf8 checks Korean text (3-byte sequences) many times faster than std; std runs
    // only on failure, for the position of the first bad byte.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just validated these bytes as UTF-8.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    // Windows editors save "Unicode" as UTF-16 with a byte-order mark.
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
        _ => None,
    };
    if let Some((rest, unit)) = utf16 {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|pair| unit([pair[0], *pair.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16(&units).map_err(|_| NotText::InvalidUtf16);
    }
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(error) => error,
    };
    let bytes = error.as_bytes();
    let valid_up_to = error.utf8_error().valid_up_to();
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count() + 1;
    // UTF-16 without a mark: every other byte of ASCII text is zero.
    let zeros = bytes.iter().take(4096).filter(|&&b| b == 0).count();
    if zeros * 4 >= bytes.len().min(4096) {
        return Err(NotText::Utf16WithoutMark);
    }
    Err(NotText::NotUtf8(line))
}

/// NFC, `\n` line endings, no BOM: what every later stage assumes.
pub fn normalize_text(text: String) -> String {
    let mut text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if !is_nfc(&text) {
        text = text.nfc().collect();
    }
    text
}

/// The NFC quick check, fast for Korean text: characters below U+0300 and precomposed Hangul
/// syllables are NFC starters as they stand, so only the rest is looked up, one by one, with
/// the combining class of the character before (the quick-check algorithm's only state).
/// The starters are told by their bytes without decoding them (this runs over every byte of
/// the journal): ASCII, the lead bytes C2..=CB of the two-byte characters below U+0300, the
/// continuation bytes of any character passed that way, and the lead bytes of Hangul
/// syllables: EA from the next byte B0 on (U+AC00..), EB and EC, and ED, whose characters past
/// the syllables (Hangul Jamo Extended-B) are starters as well.
fn is_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut previous_class = 0;
    let mut place = 0;
    while place < bytes.len() {
        let starter = match bytes[place] {
            ..0xCC | 0xEB..=0xED => true,
            0xEA => bytes[place + 1] >= 0xB0,
            _ => false,
        };
        if starter {
            place += 1;
            previous_class = 0;
            continue;
        }
        let (point, width) = crate::text::code_point_at(bytes, place);
        place += width;
        let character = char::from_u32(point).expect("valid UTF-8 decodes to a char");
        let class = unicode_normalization::char::canonical_combining_class(character);
        if class != 0 && previous_class > class {
            return false;
        }
        if is_nfc_quick(std::iter::once(character)) != IsNormalized::Yes {
            return false;
        }
        previous_class = class;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_hangul_becomes_nfc() {
        let decomposed: String = "서버리스".nfd().collect();
        assert_ne!(decomposed, "서버리스");
        assert_eq!(normalize_text(decomposed), "서버리스");
    }

    #[test]
    fn nfc_check_agrees_with_the_full_check() {
        for text in [
            "서버리스 → 람다 ※ 참고",
            "e\u{301}",
            "\u{1100}\u{1161}",
            "Å",
            "\u{212B}",
            "a\u{323}\u{302}",
            "a\u{302}\u{323}",
            "☀️ 목표",
        ]
        .into_iter()
        .map(String::from)
        // Every character after a syllable, and before a combining mark.
        .chain(('\0'..=char::MAX).map(|character| format!("가{character}\u{301}")))
        // Every character before a mark of a lower combining class (out of order if the
        // character is a mark the byte test passed over), and alone after ASCII.
        .chain(
            ('\0'..=char::MAX)
                .flat_map(|character| [format!("{character}\u{316}"), format!("a{character}")]),
        )
        // The first and last syllables of lead bytes EA and ED, and characters of ED past them.
        .chain(
            ['\u{AC00}', '\u{AFFF}', '\u{D7A3}', '\u{D7B0}', '\u{D7FB}']
                .into_iter()
                .flat_map(|syllable| {
                    ['\u{11A8}', '\u{316}'].map(|next| format!("{syllable}{next}"))
                }),
        ) {
            let text = text.as_str();
            assert_eq!(
                is_nfc(text),
                is_nfc_quick(text.chars()) == IsNormalized::Yes,
                "{text:?}"
            );
        }
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        assert_eq!(normalize_text("\u{FEFF}a\r\nb\r\n".into()), "a\nb\n");
    }

    #[test]
    fn markdown_names() {
        assert!(is_markdown_name("2026.01.30.md"));
        assert!(is_markdown_name("README.MD"));
        assert!(is_markdown_name("2025-12-22"));
        assert!(!is_markdown_name("LICENSE"));
        assert!(!is_markdown_name("image.png"));
    }

    #[test]
    fn temp_files_are_skipped() {
        for name in [
            ".git",
            ".2026-01-30.md.swp",
            "2026-01-30.md~",
            "#2026-01-30.md#",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_skipped_name(name), "{name}");
        }
        assert!(!is_skipped_name("2026-01-30.md"));
    }
}
