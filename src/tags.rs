//! AWS service tags: the catalogue (which services exist and how people write them), finding
//! them in prose, and the rule that makes a mention a primary tag.
//!
//! Nobody puts front matter on a daily note, so tags come from the text. The catalogue is data
//! (`catalogue/aws.toml`, embedded); a journal can extend or replace it. Matching is one
//! Aho-Corasick pass per text run, leftmost-longest so `Lambda@Edge` beats `Lambda` and
//! `EC2 Auto Scaling` beats `EC2`, with word boundaries on the ASCII side only, so Korean
//! particles (`S3를`, `VPC에서`) never block a match while `S3Client` and `ECSTATIC` do not match.

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, line_of};

const BUILTIN: &str = include_str!("../catalogue/aws.toml");
const STACK: &str = include_str!("../catalogue/stack.toml");

/// Which catalogue a name comes from: AWS's services, or the rest of a learner's stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    #[default]
    Aws,
    Stack,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ServiceId(pub usize);

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Service {
    pub slug: String,
    pub name: String,
    pub short: String,
    pub aliases: Vec<String>,
    /// A key of the catalogue's categories.
    pub category: String,
    pub description: String,
    pub strict: bool,
    pub family: Family,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    /// `"stack"` for names beyond AWS; AWS's by default.
    #[serde(default)]
    family: Family,
    #[serde(default)]
    categories: toml::Table,
    #[serde(default)]
    services: Vec<ServiceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    slug: String,
    name: String,
    short: String,
    #[serde(default)]
    aliases: Vec<String>,
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    strict: bool,
}

struct Term {
    service: ServiceId,
    text: String,
    /// Must match with this exact case.
    exact_case: bool,
    /// Counts only in entries that are about AWS (see `Catalogue::detect`).
    needs_context: bool,
    /// An unambiguous AWS name: the entry is about AWS.
    names_aws: bool,
}

pub struct Catalogue {
    pub services: Vec<Service>,
    /// (key, label) in the order categories first appear in the file.
    pub categories: Vec<(String, String)>,
    terms: Vec<Term>,
    matcher: AhoCorasick,
    /// Every slug, short name, name and alias in lower case: what `lookup` finds.
    names: HashMap<String, ServiceId>,
}

/// A catalogue file as read: its services, and its categories as (key, label).
type Listing = (Vec<Service>, Vec<(String, String)>);

/// One service written in a text run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub service: ServiceId,
    /// Written only in a way that is also an ordinary word (`Lambda`, `Shield`).
    pub needs_context: bool,
    /// An AWS name no other word is written like: the text is about AWS.
    pub names_aws: bool,
}

impl Catalogue {
    /// AWS's services first (browsing by service is what haru is for), then the stack.
    pub fn builtin() -> Catalogue {
        let (mut services, mut categories) =
            Catalogue::read(BUILTIN, Path::new("catalogue/aws.toml"))
                .expect("the built-in catalogue is valid");
        let (stack, stack_categories) = Catalogue::read(STACK, Path::new("catalogue/stack.toml"))
            .expect("the built-in stack catalogue is valid");
        services.extend(stack);
        categories.extend(stack_categories);
        // One automaton for both: building it is the costly part.
        Catalogue::from_services(services, categories)
    }

    /// Reads a catalogue file, naming the file and line of any problem.
    pub fn parse(text: &str, path: &Path) -> Result<Catalogue, Diagnostic> {
        let (services, categories) = Catalogue::read(text, path)?;
        Ok(Catalogue::from_services(services, categories))
    }

    /// A catalogue file's services and categories, checked.
    fn read(text: &str, path: &Path) -> Result<Listing, Diagnostic> {
        let file: CatalogueFile = toml::from_str(text).map_err(|error| {
            let mut diagnostic = Diagnostic::error(path.to_path_buf(), format!("tag catalogue: {}", error.message().trim_end()))
.ko(format!("태그 목록: {}", error.message().trim_end()))
.ko_hint("[[services]]마다 slug, name, short, category가 필요하고 aliases, description, strict는 고를 수 있습니다")
                .with_hint("each [[services]] needs slug, name, short, category; optional aliases, description, strict");
            if let Some(span) = error.span() {
                diagnostic = diagnostic.at_line(line_of(text, span.start));
            }
            diagnostic
        })?;
        let services: Vec<Service> = file
            .services
            .into_iter()
            .map(|entry| Service {
                slug: entry.slug,
                name: entry.name,
                short: entry.short,
                aliases: entry.aliases,
                category: entry.category,
                description: entry.description,
                strict: entry.strict,
                family: file.family,
            })
            .collect();
        let mut categories: Vec<(String, String)> = Vec::new();
        for service in &services {
            if !categories.iter().any(|(key, _)| *key == service.category) {
                let label = file
                    .categories
                    .get(&service.category)
                    .and_then(|value| value.as_str())
                    .unwrap_or(&service.category)
                    .to_string();
                categories.push((service.category.clone(), label));
            }
        }
        let mut seen = HashMap::new();
        for (index, service) in services.iter().enumerate() {
            // The slug is a folder of the site (`tags/{slug}/`): only a plain segment will do.
            if crate::slug::path_segment(&service.slug) != service.slug {
                return Err(Diagnostic::error(
                    path.to_path_buf(),
                    format!(
                        "tag catalogue: slug `{}` (service {}) is not a plain URL segment",
                        service.slug.escape_debug(),
                        index + 1
                    ),
                )
                .ko(format!(
                    "태그 목록: slug `{}`({}번째 서비스)는 주소에 그대로 쓸 수 없습니다",
                    service.slug.escape_debug(),
                    index + 1
                ))
                .with_hint(format!(
                    "use letters, digits and `-`, e.g. slug = \"{}\"",
                    crate::slug::path_segment(&service.slug.to_lowercase())
                ))
                .ko_hint(format!(
                    "글자, 숫자, `-`만 쓰세요. 예: slug = \"{}\"",
                    crate::slug::path_segment(&service.slug.to_lowercase())
                )));
            }
            if let Some(previous) = seen.insert(service.slug.clone(), index) {
                return Err(Diagnostic::error(
                    path.to_path_buf(),
                    format!(
                        "tag catalogue: slug `{}` is used twice (services {} and {})",
                        service.slug,
                        previous + 1,
                        index + 1
                    ),
                )
                .ko(format!(
                    "태그 목록: slug `{}`가 두 번 쓰였습니다({}번째와 {}번째 서비스)",
                    service.slug,
                    previous + 1,
                    index + 1
                )));
            }
        }
        Ok((services, categories))
    }

    fn from_services(services: Vec<Service>, categories: Vec<(String, String)>) -> Catalogue {
        let mut terms: Vec<Term> = Vec::new();
        let mut push = |service: usize, text: &str, strict: bool, family: Family| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            // Short letter-only forms (`ALB`, `DX`) collide with ordinary words in other cases.
            let exact_case =
                strict || (text.chars().count() <= 3 && !text.chars().any(|c| c.is_ascii_digit()));
            let mut variants = vec![text.to_string()];
            // `Auto Scaling` is also written `Auto-Scaling` and `AutoScaling`.
            if text.contains(' ') && text.split(' ').count() <= 3 && text.is_ascii() {
                variants.push(text.replace(' ', "-"));
                variants.push(text.replace(' ', ""));
            }
            for variant in variants {
                if !terms
                    .iter()
                    .any(|term| term.text == variant && term.service.0 == service)
                {
                    let aws = family == Family::Aws;
                    terms.push(Term {
                        service: ServiceId(service),
                        text: variant,
                        exact_case,
                        needs_context: strict && aws,
                        names_aws: !strict && aws,
                    });
                }
            }
        };
        for (index, service) in services.iter().enumerate() {
            let family = service.family;
            push(index, &service.short, service.strict, family);
            push(index, &service.name, false, family);
            for alias in &service.aliases {
                push(index, alias, false, family);
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // A few hundred names make a small DFA, and every text run of a build is searched.
            .kind(Some(AhoCorasickKind::DFA))
            .build(terms.iter().map(|term| term.text.as_str()))
            .expect("the catalogue's terms build an automaton");
        let mut names = HashMap::new();
        for (index, service) in services.iter().enumerate() {
            let written = [&service.slug, &service.short, &service.name].into_iter();
            for name in written.chain(&service.aliases) {
                names.entry(name.to_lowercase()).or_insert(ServiceId(index));
            }
        }
        Catalogue {
            services,
            categories,
            terms,
            matcher,
            names,
        }
    }

    /// This catalogue with `other`'s services added (a service with the same slug is replaced).
    pub fn extended(self, other: Catalogue) -> Catalogue {
        let mut services = self.services;
        let mut categories = self.categories;
        for service in other.services {
            match services
                .iter_mut()
                .find(|existing| existing.slug == service.slug)
            {
                Some(existing) => *existing = service,
                None => services.push(service),
            }
        }
        for category in other.categories {
            match categories.iter_mut().find(|(key, _)| *key == category.0) {
                Some(existing) => existing.1 = category.1,
                None => categories.push(category),
            }
        }
        Catalogue::from_services(services, categories)
    }

    pub fn service(&self, id: ServiceId) -> &Service {
        &self.services[id.0]
    }

    pub fn category_label<'a>(&'a self, key: &'a str) -> &'a str {
        self.categories
            .iter()
            .find(|(category, _)| category == key)
            .map_or(key, |(_, label)| label.as_str())
    }

    /// The service a front-matter tag or a folder names (by slug, short name, name or alias),
    /// if any.
    pub fn lookup(&self, tag: &str) -> Option<ServiceId> {
        self.names.get(&tag.trim().to_lowercase()).copied()
    }

    /// Every service written in `text`, left to right. URLs inside the text are skipped.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        if text.len() < 2 {
            return found;
        }
        let mut urls: Option<Vec<(usize, usize)>> = None;
        let bytes = text.as_bytes();
        for matched in self.matcher.find_iter(text) {
            let term = &self.terms[matched.pattern().as_usize()];
            let (start, end) = (matched.start(), matched.end());
            if term.exact_case && text[start..end] != term.text {
                continue;
            }
            // Word boundaries on the ASCII side: `S3를` matches, `S3Client` and `xS3` do not.
            let first = term.text.as_bytes()[0];
            let last = term.text.as_bytes()[term.text.len() - 1];
            if first.is_ascii_alphanumeric() && start > 0 && is_word_byte(bytes[start - 1]) {
                continue;
            }
            if last.is_ascii_alphanumeric() && end < bytes.len() && is_word_byte(bytes[end]) {
                continue;
            }
            // URLs are looked for only once a name turns up: most text has none.
            if urls
                .get_or_insert_with(|| url_spans(text))
                .iter()
                .any(|url| start < url.1 && end > url.0)
            {
                continue;
            }
            found.push(Found {
                start,
                end,
                service: term.service,
                needs_context: term.needs_context,
                names_aws: term.names_aws,
            });
        }
        found
    }
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Byte spans of `http://…`/`https://…`/`www.…` runs, up to whitespace.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    // Most text has neither; `contains(char)` is a fast byte search.
    if !text.contains(':') && !text.contains('w') {
        return spans;
    }
    for prefix in ["http://", "https://", "www."] {
        let mut from = 0;
        while let Some(offset) = text[from..].find(prefix) {
            let start = from + offset;
            let end = text[start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |space| start + space);
            spans.push((start, end));
            from = end.max(start + prefix.len());
        }
    }
    spans
}

/// Whether the words "AWS" or "Amazon" appear: the context that lets ordinary-word service
/// names (`Lambda`, `Shield`) count.
pub fn names_aws(text: &str) -> bool {
    text.contains("AWS") || text.contains("Amazon") || text.contains("아마존")
}

/// A primary tag is one the entry is about: its title, a heading or a list-item title names
/// it, or it is mentioned at least this often.
pub const PRIMARY_MENTIONS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    fn slugs(text: &str) -> Vec<String> {
        let catalogue = Catalogue::builtin();
        catalogue
            .find(text)
            .iter()
            .map(|found| catalogue.service(found.service).slug.clone())
            .collect()
    }

    #[test]
    fn catalogue_slug_that_leaves_the_tags_folder_is_an_error() {
        for slug in ["../x", "..", "a/b", ""] {
            let text = format!(
                "[[services]]\nslug = \"{slug}\"\nname = \"X\"\nshort = \"X\"\ncategory = \"c\"\n"
            );
            let Err(error) = Catalogue::parse(&text, Path::new("own.toml")) else {
                panic!("{slug} was accepted");
            };
            assert!(
                error.message.contains("plain URL segment"),
                "{slug}: {}",
                error.message
            );
        }
    }

    #[test]
    fn builtin_catalogue_is_large_and_categorised() {
        let catalogue = Catalogue::builtin();
        assert!(
            catalogue.services.len() >= 150,
            "{}",
            catalogue.services.len()
        );
        for service in &catalogue.services {
            assert!(
                catalogue
                    .categories
                    .iter()
                    .any(|(key, _)| *key == service.category),
                "{} has no category",
                service.slug
            );
            assert!(
                !service.description.is_empty(),
                "{} has no description",
                service.slug
            );
        }
        assert_eq!(
            catalogue.category_label("networking"),
            "네트워킹 및 콘텐츠 전송"
        );
    }

    #[test]
    fn korean_particles_do_not_block_a_match() {
        assert_eq!(
            slugs("S3를 쓰고 VPC에서 CloudFront의 캐시를 본다"),
            ["s3", "vpc", "cloudfront"]
        );
    }

    #[test]
    fn names_inside_longer_words_do_not_match() {
        assert!(slugs("ECSTATIC한 기분").is_empty());
        assert!(
            slugs("S3Client를 만든다").is_empty(),
            "an identifier is code, not the service"
        );
        assert!(slugs("myS3 버킷").is_empty());
    }

    #[test]
    fn spellings_and_aliases() {
        assert_eq!(slugs("Route 53과 Route53"), ["route-53", "route-53"]);
        assert_eq!(slugs("Simple Queue Service(SQS)"), ["sqs", "sqs"]);
        assert_eq!(slugs("cloudfront, Dynamodb"), ["cloudfront", "dynamodb"]);
        assert_eq!(
            slugs("Auto-Scaling과 EC2 Auto Scaling"),
            ["ec2-auto-scaling", "ec2-auto-scaling"]
        );
        assert_eq!(slugs("StepFunction으로"), ["step-functions"]);
    }

    #[test]
    fn longest_name_wins() {
        assert_eq!(
            slugs("Lambda@Edge는 Lambda와 다르다"),
            ["lambda-edge", "lambda"]
        );
        assert_eq!(
            slugs("EC2 Auto Scaling 그룹의 EC2"),
            ["ec2-auto-scaling", "ec2"]
        );
        assert_eq!(
            slugs("Kinesis Data Firehose와 Kinesis"),
            ["firehose", "kinesis"]
        );
    }

    #[test]
    fn ordinary_words_need_their_case_and_short_forms_their_case() {
        assert!(slugs("the shield wall").is_empty());
        assert_eq!(slugs("Shield Advanced"), ["shield"]);
        assert!(slugs("alb라는 단어").is_empty());
        assert_eq!(slugs("ALB와 NLB"), ["elb", "elb"]);
        let catalogue = Catalogue::builtin();
        let lambda = catalogue.find("Lambda 표현식");
        assert!(
            lambda[0].needs_context,
            "bare Lambda counts only in an AWS entry"
        );
        assert!(!catalogue.find("AWS Lambda")[0].needs_context);
    }

    #[test]
    fn urls_are_skipped() {
        assert!(slugs("https://docs.aws.amazon.com/AmazonS3/latest/ 참고").is_empty());
        assert_eq!(slugs("S3 문서: https://aws.amazon.com/s3/"), ["s3"]);
    }

    #[test]
    fn front_matter_tags_find_their_service() {
        let catalogue = Catalogue::builtin();
        let sqs = catalogue.lookup("sqs").unwrap();
        assert_eq!(catalogue.lookup("Simple Queue Service"), Some(sqs));
        assert_eq!(catalogue.lookup("SQS"), Some(sqs));
        assert_eq!(
            catalogue
                .lookup("spring")
                .map(|id| catalogue.service(id).family),
            Some(Family::Stack)
        );
        assert_eq!(catalogue.lookup("부트캠프"), None);
    }

    /// Beyond AWS: the stack's names tag entries, with particles, and never unlock AWS's
    /// ordinary-word names.
    #[test]
    fn stack_names_tag_entries_without_making_them_about_aws() {
        let catalogue = Catalogue::builtin();
        let slugs = |text: &str| -> Vec<String> {
            catalogue
                .find(text)
                .iter()
                .map(|found| catalogue.service(found.service).slug.clone())
                .collect()
        };
        assert_eq!(
            slugs("도커를 깔고 쿠버네티스에서 돌렸다"),
            ["docker", "kubernetes"]
        );
        assert_eq!(slugs("리눅스에서 MySQL을 쓴다"), ["linux", "sql"]);
        assert_eq!(slugs("자바스크립트와 자바"), ["javascript", "java"]);
        assert_eq!(slugs("spring is here"), Vec::<String>::new(), "the season");
        let docker = catalogue.find("Docker")[0];
        assert!(!docker.names_aws && !docker.needs_context);
        assert!(catalogue.find("Amazon EKS")[0].names_aws);
        assert!(
            catalogue.find("PRISMAproduction IVS")[0].needs_context,
            "IVS needs an entry about AWS"
        );
    }

    #[test]
    fn journal_catalogue_extends_and_bad_file_is_named() {
        let extra = Catalogue::parse(
            "[categories]\nk8s = \"쿠버네티스\"\n\n[[services]]\nslug = \"kubernetes\"\nname = \"Kubernetes\"\nshort = \"K8s\"\naliases = [\"쿠버네티스\"]\ncategory = \"k8s\"\n",
            Path::new("tags.toml"),
        )
        .unwrap();
        let catalogue = Catalogue::builtin().extended(extra);
        let found = catalogue.find("K8s와 쿠버네티스, 그리고 EKS");
        let names: Vec<&str> = found
            .iter()
            .map(|f| catalogue.service(f.service).slug.as_str())
            .collect();
        assert_eq!(names, ["kubernetes", "kubernetes", "eks"]);
        let error = Catalogue::parse(
            "[[services]]\nslug = \"x\"\nname = \"X\"\n",
            Path::new("tags.toml"),
        )
        .err()
        .unwrap();
        assert!(
            error.message.contains("short") || error.message.contains("category"),
            "{}",
            error.message
        );
    }
}
