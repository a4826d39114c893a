use super::fragment::*;
use super::index::*;
use super::terms::*;
use crate::markdown::Passage;
use crate::model::fingerprint;
use std::borrow::Cow;
use std::collections::HashMap;

fn all_terms(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    terms(text, |term| found.push(term.into_owned()));
    found
}

#[test]
fn particles_stay_on_the_word_but_its_bigrams_match() {
    assert_eq!(all_terms("서버리스를"), ["서버", "버리", "리스", "스를"]);
    // A query's bigrams are a subset of the word's with its particle.
    let query = all_terms("서버리스");
    let word = all_terms("서버리스를");
    assert!(query.iter().all(|pair| word.contains(pair)));
    let query = all_terms("엔드포인트");
    let word = all_terms("엔드포인트는");
    assert!(query.iter().all(|pair| word.contains(pair)));
}

#[test]
fn mixed_hangul_and_ascii_split_at_the_script() {
    assert_eq!(all_terms("S3를"), ["s3"]);
    assert_eq!(all_terms("VPC에서 EC2로"), ["vpc", "에서", "ec2"]);
    assert_eq!(all_terms("CloudFront-배포"), ["cloudfront", "배포"]);
    assert_eq!(all_terms("snake_case"), ["snake", "case"]);
}

#[test]
fn decomposed_hangul_is_not_a_syllable_until_normalised() {
    use unicode_normalization::UnicodeNormalization;
    let decomposed: String = "서버".nfd().collect();
    assert!(all_terms(&decomposed).is_empty());
    let composed: String = decomposed.nfc().collect();
    assert_eq!(all_terms(&composed), ["서버"]);
}

#[test]
fn initials_of_hangul_runs() {
    let mut found = Vec::new();
    initials("서버리스 입문: AWS람다", |key| {
        found.push(key.to_string())
    });
    assert_eq!(found, ["ㅅㅂㄹㅅ", "ㅇㅁ", "ㄹㄷ"]);
    assert_eq!(initial('까'), Some('ㄲ'));
    assert_eq!(initial('힣'), Some('ㅎ'));
    assert_eq!(initial('a'), None);
}

#[test]
fn weights_keep_the_best_place_and_the_count() {
    let passages = [
        Passage {
            heading: Some("큐 설계".into()),
            anchor: Some("큐-설계".into()),
            text: "SQS 큐를 설계했다. SQS 폴링.".into(),
            code: "aws sqs send-message".into(),
        },
        Passage {
            heading: None,
            anchor: None,
            text: String::new(),
            code: "terraform apply".into(),
        },
    ];
    let terms = document_terms(&DocumentText {
        title: "메시지 큐",
        tags: vec![("sqs", "SQS", true)],
        passages: &passages,
    })
    .list();
    let weight = |term: &str| {
        terms
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, w)| *w)
            .unwrap()
    };
    let class = |term: &str| weight(term) >> 6;
    let amount = |term: &str| weight(term) & 63;
    assert_eq!(class("#sqs"), TITLE);
    // In the tag label, in the body and in code: the best place counts.
    assert_eq!(class("sqs"), TITLE);
    assert_eq!(class("설계"), HEADING);
    assert_eq!(class("terraform"), CODE);
    assert_eq!(class("ㅁㅅㅈ"), TITLE);
    // Said four times weighs more than once, but not four times as much.
    assert!(amount("sqs") > amount("terraform"));
    assert!(amount("sqs") < 4 * amount("terraform"));
}

#[test]
fn an_entrys_terms_are_the_terms_of_its_text() {
    let text = "S3를 VPC에서 쓰고 CloudFront-배포, snake_case 😀 서버리스를 ㅋㅋ é 람다";
    let mut expected: Vec<String> = Vec::new();
    terms(text, |term| expected.push(term.into_owned()));
    expected.sort();
    expected.dedup();
    let mut found: Vec<String> = document(text)
        .list()
        .into_iter()
        .map(|(term, _)| term)
        .collect();
    found.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_word_weighs_less_in_a_long_entry() {
    let short = document("람다 함수를 만들었다");
    let long = document(&format!(
        "람다 함수를 만들었다 {}",
        "다른 이야기 ".repeat(2000)
    ));
    let weight = |terms: &DocumentTerms| {
        terms
            .list()
            .into_iter()
            .find(|(t, _)| t == "람다")
            .unwrap()
            .1
    };
    assert!(
        weight(&short) > weight(&long),
        "{} {}",
        weight(&short),
        weight(&long)
    );
}

fn document(words: &str) -> DocumentTerms<'static> {
    let passages = [Passage {
        text: words.to_string(),
        ..Passage::default()
    }];
    let terms = document_terms(&DocumentText {
        title: "",
        tags: Vec::new(),
        passages: &passages,
    });
    DocumentTerms {
        pairs: terms.pairs,
        words: terms
            .words
            .into_iter()
            .map(|(word, weight)| (Cow::Owned(word.into_owned()), weight))
            .collect(),
    }
}

fn fresh(texts: &[&str]) -> Index {
    let mut index = Index::default();
    let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
    index.update(&keys, |number| document(texts[number]), Vec::new());
    index
}

#[test]
fn an_update_equals_a_fresh_index() {
    let mut texts = vec!["서버리스 람다", "VPC 서브넷", "람다 함수 VPC", "S3 버킷"];
    let mut index = fresh(&texts);
    for edit in [
        vec![
            "서버리스 람다",
            "VPC 서브넷 라우팅",
            "람다 함수 VPC",
            "S3 버킷",
        ],
        vec!["서버리스", "VPC 서브넷 라우팅", "람다 함수 VPC"],
        vec![
            "새 글",
            "서버리스",
            "VPC 서브넷 라우팅",
            "람다 함수 VPC",
            "더 새 글",
        ],
        vec!["EC2"; 70],
    ] {
        texts = edit;
        let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
        index.update(&keys, |number| document(texts[number]), Vec::new());
        assert_eq!(index.dump(), fresh(&texts).dump(), "after {texts:?}");
    }
    // An entry put before a hundred others renumbers them all.
    let many: Vec<String> = (0..100).map(|n| format!("글{n} 공통 word{n}")).collect();
    let shifted: Vec<String> = std::iter::once("맨 앞 글".to_string())
        .chain(many.iter().cloned())
        .collect();
    for edit in [
        many.iter().map(String::as_str).collect::<Vec<_>>(),
        shifted.iter().map(String::as_str).collect(),
    ] {
        texts = edit;
        let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
        index.update(&keys, |number| document(texts[number]), Vec::new());
        assert_eq!(index.dump(), fresh(&texts).dump(), "after {texts:?}");
    }
}

#[test]
fn a_changed_entry_changes_only_the_chunks_of_its_terms() {
    let texts: Vec<String> = (0..6000)
        .map(|number| format!("word{number} other{number} common 공통 단어{}", number % 97))
        .collect();
    let mut index = Index::default();
    let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
    index.update(&keys, |number| document(&texts[number]), Vec::new());
    let before = index.chunks();
    assert!(before.len() > 3, "{} chunks", before.len());
    let mut texts = texts;
    texts[1500] = "word1500 other1500 common 공통 단어4 새말".to_string();
    let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
    index.update(&keys, |number| document(&texts[number]), Vec::new());
    let after = index.chunks();
    let old: HashMap<&str, u64> = before.iter().map(|c| (c.name.as_str(), c.key)).collect();
    let rewritten = after
        .iter()
        .filter(|chunk| old.get(chunk.name.as_str()) != Some(&chunk.key))
        .count();
    // The terms it lost and gained, and the ones all entries share.
    assert!(
        rewritten <= 6,
        "{rewritten} of {} chunks rewritten",
        after.len()
    );
}

#[test]
fn chunks_encode_every_posting() {
    let index = fresh(&["서버리스 람다", "VPC 서브넷", "람다 함수 VPC"]);
    let chunks = index.chunks();
    let bytes: Vec<u8> = chunks
        .iter()
        .flat_map(|chunk| index.encode(chunk))
        .collect();
    // Decode and compare with the dump.
    let mut decoded = Vec::new();
    let mut at = 0;
    let read = |at: &mut usize| -> u32 {
        let mut value = 0u32;
        let mut shift = 0;
        loop {
            let byte = bytes[*at];
            *at += 1;
            value |= ((byte & 0x7f) as u32) << shift;
            if byte < 0x80 {
                return value;
            }
            shift += 7;
        }
    };
    while at < bytes.len() {
        let length = read(&mut at) as usize;
        let text = String::from_utf8(bytes[at..at + length].to_vec()).unwrap();
        at += length;
        let count = read(&mut at);
        let mut number = 0;
        let mut postings = Vec::new();
        for _ in 0..count {
            number += read(&mut at);
            postings.push((number, bytes[at]));
            at += 1;
        }
        decoded.push((text, postings));
    }
    assert_eq!(decoded, index.dump());
}

#[test]
fn an_entrys_text_file_is_gzip_of_its_json_and_the_same_every_time() {
    use std::io::Read;
    let passages = vec![Passage {
        heading: Some("네트워킹 Part.2".into()),
        anchor: Some("네트워킹-part2".into()),
        text: "두 VPC를 피어링으로 연결한다. ".repeat(200),
        code: "aws ec2 describe-vpcs".into(),
    }];
    let fragment = Fragment {
        url: "/til/2026-01-30/".into(),
        title: "VPC 피어링",
        date: "2026-01-30".into(),
        tags: vec!["vpc"],
        passages: &passages,
    };
    let gzip = fragment.to_gzip_json();
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut json)
        .expect("a gzip stream");
    assert_eq!(json, serde_json::to_vec(&fragment).unwrap());
    assert!(gzip.len() * 10 < json.len(), "repeated text compresses");
    assert_eq!(gzip, fragment.to_gzip_json());
}
