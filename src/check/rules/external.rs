use crate::check::finding::{ExternalLink, Finding};
use std::collections::HashMap;

/// How external links are asked after.
#[derive(Clone, Copy, Debug)]
pub struct External {
    /// How long one request may take, redirects included.
    pub timeout: std::time::Duration,
    /// At most this many requests to one host at a time.
    pub per_host: usize,
}

/// Asks each linked server (each URL once) whether the page is there: HEAD, then GET where
/// HEAD is refused; redirects followed. Hosts are asked in parallel, each by at most
/// `per_host` requests at a time. Every place a failing URL is linked from is a finding.
pub(in crate::check) fn check_external(
    links: Vec<ExternalLink>,
    options: External,
) -> Vec<Finding> {
    let mut by_url: HashMap<String, Vec<Finding>> = HashMap::new();
    for (url, place) in links {
        by_url.entry(url).or_default().push(place);
    }
    let mut by_host: HashMap<String, Vec<String>> = HashMap::new();
    for url in by_url.keys() {
        let host = url
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .unwrap_or("")
            .to_lowercase();
        by_host.entry(host).or_default().push(url.clone());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("haru-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let ask = |url: &str| -> Option<String> {
        let answer = |result: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match result {
            Ok(response) => Ok(response.status().as_u16()),
            Err(ureq::Error::Timeout(_)) => Err(format!(
                "no answer within {} s",
                options.timeout.as_secs_f32()
            )),
            Err(error) => Err(error.to_string()),
        };
        let status = match answer(agent.head(url).call()) {
            Ok(405 | 501) => answer(agent.get(url).call()),
            other => other,
        };
        match status {
            Ok(status) if status < 400 => None,
            Ok(status) => Some(format!("the server answers {status}")),
            Err(error) => Some(error),
        }
    };
    let failures: std::sync::Mutex<HashMap<String, String>> = Default::default();
    let mut hosts: Vec<Vec<String>> = by_host.into_values().collect();
    hosts.sort();
    // A few hosts at a time, each with its own small queue.
    for group in hosts.chunks(8) {
        let queues: Vec<std::sync::Mutex<Vec<String>>> = group
            .iter()
            .map(|urls| std::sync::Mutex::new(urls.clone()))
            .collect();
        std::thread::scope(|scope| {
            for (queue, urls) in queues.iter().zip(group) {
                for _ in 0..options.per_host.max(1).min(urls.len()) {
                    let failures = &failures;
                    let ask = &ask;
                    scope.spawn(move || {
                        loop {
                            let Some(url) = queue.lock().expect("no checker panicked").pop() else {
                                return;
                            };
                            if let Some(why) = ask(&url) {
                                failures
                                    .lock()
                                    .expect("no checker panicked")
                                    .insert(url, why);
                            }
                        }
                    });
                }
            }
        });
    }
    let failures = failures.into_inner().expect("no checker panicked");
    let mut found = Vec::new();
    for (url, why) in failures {
        for place in by_url.remove(&url).unwrap_or_default() {
            found.push(
                Finding {
                    message: format!("{url}: {why}"),
                    hint: Some("fix or remove the link, or link an archived copy".into()),
                    ..place
                }
                .ko(
                    format!("{url}: {why}"),
                    "링크를 고치거나 지우세요. 보관된 사본(archive)에 링크해도 됩니다",
                ),
            );
        }
    }
    found
}
