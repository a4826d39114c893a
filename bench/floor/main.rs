//! The floor of haru's stack: only what any build of a journal with this stack must do, so
//! `bench/build.py` can say how much of haru's time is haru's own work.
//!
//! For every `.md` file under the content folder, in parallel on rayon's threads as haru
//! runs: read it, parse it with pulldown-cmark and haru's options, highlight its labelled
//! code blocks with syntect (the same syntaxes and class style), write one HTML file, and
//! gzip its text with libdeflate's level 1 as haru's search fragments are. No templates,
//! tags, index pages, search terms or checks: those are what haru adds.
//!
//!     cargo run --release --example floor -- CONTENT OUTPUT

use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [content, output] = arguments.as_slice() else {
        eprintln!("usage: floor CONTENT OUTPUT");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    let syntaxes = two_face::syntax::extra_newlines();
    let output = Path::new(output);
    fs::create_dir_all(output).expect("the output folder can be made");
    let bytes: usize = files
        .par_iter()
        .map(|file| build(file, output, &syntaxes))
        .sum();
    println!("{} files, {bytes} bytes written", files.len());
}

/// One file: its HTML page and its gzipped text. Returns the bytes written.
fn build(file: &Path, output: &Path, syntaxes: &SyntaxSet) -> usize {
    let source = fs::read_to_string(file).expect("a journal file is UTF-8");
    let (page, text) = render(&source, syntaxes);
    let folder = output.join(file.file_stem().expect("a file has a name"));
    fs::create_dir_all(&folder).expect("a page's folder can be made");
    fs::write(folder.join("index.html"), &page).expect("a page can be written");
    let gzip = compress(text.as_bytes());
    fs::write(folder.join("text.json.gz"), &gzip).expect("a text can be written");
    page.len() + gzip.len()
}

/// The page's HTML and its plain text.
fn render(source: &str, syntaxes: &SyntaxSet) -> (String, String) {
    let mut page = String::with_capacity(source.len() * 2);
    let mut text = String::with_capacity(source.len());
    let mut events = Vec::new();
    let mut code: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(source, haru::markdown::parser_options()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let label = match kind {
                    CodeBlockKind::Fenced(label) if !label.is_empty() => Some(label.to_string()),
                    _ => None,
                };
                code = Some((label, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                let (label, body) = code.take().expect("a code block was opened");
                text.push_str(&body);
                html::push_html(&mut page, events.drain(..));
                page.push_str(&highlight(&body, label.as_deref(), syntaxes));
            }
            Event::Text(run) if code.is_some() => code.as_mut().expect("open").1.push_str(&run),
            event => {
                if let Event::Text(run) | Event::Code(run) = &event {
                    text.push_str(run);
                    text.push(' ');
                }
                events.push(event);
            }
        }
    }
    html::push_html(&mut page, events.into_iter());
    (page, text)
}

fn highlight(code: &str, label: Option<&str>, syntaxes: &SyntaxSet) -> String {
    let syntax = label.and_then(|label| syntaxes.find_syntax_by_token(label));
    let Some(syntax) = syntax else {
        let mut escaped = String::from("<pre><code>");
        pulldown_cmark_escape::escape_html(&mut escaped, code).expect("a String takes writes");
        escaped.push_str("</code></pre>\n");
        return escaped;
    };
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, style);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .expect("the grammars parse the corpus");
    }
    format!("<pre><code>{}</code></pre>\n", generator.finalize())
}

fn compress(text: &[u8]) -> Vec<u8> {
    thread_local! {
        // As haru keeps it: a compressor's tables are hundreds of KB, one per thread.
        static COMPRESSOR: std::cell::RefCell<libdeflater::Compressor> =
            std::cell::RefCell::new(libdeflater::Compressor::new(
                libdeflater::CompressionLvl::new(1).expect("level 1 exists"),
            ));
    }
    COMPRESSOR.with_borrow_mut(|compressor| {
        let mut gzip = vec![0; compressor.gzip_compress_bound(text.len())];
        let length = compressor
            .gzip_compress(text, &mut gzip)
            .expect("the bound leaves room");
        gzip.truncate(length);
        gzip
    })
}
