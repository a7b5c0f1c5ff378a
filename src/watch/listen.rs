//! `acrt watch --listen ADDR`: the distribution registry's notification webhook. Push events
//! name a repository and tag; the watcher checks those at once. Polling stays the backstop.

use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::metrics::Metrics;
use super::wake::Alarm;
use crate::error::{Result, invalid};
use crate::model::image::ImageRef;

/// (registry host, repository, tag) of a push.
pub type PushedRef = (String, String, String);

/// At most this many distinct pushed tags wait for the watcher; past it, one flag stands for
/// the rest (every base is checked), so a flood of notifications costs this set at most.
pub const MAX_PENDING_PUSHES: usize = 4096;

/// The pushes heard of since the watcher last looked, coalesced by registry, repository and
/// tag: a tag pushed a thousand times while a build runs is checked once after it.
#[derive(Debug, Default)]
pub struct Inbox {
    pending: Mutex<Pending>,
    /// Rung when a push arrives: the watcher's wait between cycles ends.
    alarm: Option<Arc<Alarm>>,
}

#[derive(Debug, Default, PartialEq)]
pub struct Pending {
    pub pushes: BTreeSet<PushedRef>,
    /// More distinct tags were pushed than the set holds: some are not in `pushes`.
    pub overflowed: bool,
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.pushes.is_empty() && !self.overflowed
    }
}

impl Inbox {
    /// An inbox that rings `alarm` for each notification.
    pub fn ringing(alarm: Arc<Alarm>) -> Inbox {
        Inbox {
            alarm: Some(alarm),
            ..Inbox::default()
        }
    }

    /// Takes in the pushes of one notification at once: the watcher wakes once for it.
    pub fn add(&self, pushes: Vec<PushedRef>) {
        if pushes.is_empty() {
            return;
        }
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        for pushed in pushes {
            if pending.pushes.len() < MAX_PENDING_PUSHES || pending.pushes.contains(&pushed) {
                pending.pushes.insert(pushed);
            } else {
                pending.overflowed = true;
            }
        }
        if let Some(alarm) = &self.alarm {
            alarm.ring();
        }
    }

    /// Whether a push is waiting.
    pub fn has_pending(&self) -> bool {
        self.pending.lock().is_ok_and(|p| !p.is_empty())
    }

    /// Everything waiting, leaving the inbox empty.
    pub fn take(&self) -> Pending {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }
}

/// At most this many connections at once; more are closed at once (a registry sends one
/// notification at a time per endpoint).
const MAX_CONNECTIONS: usize = 64;
/// A notification body larger than this is refused (413).
const MAX_BODY_BYTES: usize = 1 << 20;
/// The most time a connection may take from its first byte to its last: a client that
/// sends half a request and waits is dropped, never waited for.
const CONNECTION_DEADLINE: Duration = Duration::from_secs(10);

/// Listens on `addr` in a thread of its own (one small async runtime: idle connections cost
/// no thread each); each push of a notification goes to `inbox`. Returns the bound address.
pub fn start(addr: &str, inbox: Arc<Inbox>, metrics: Arc<Metrics>) -> Result<String> {
    let cannot = |e: std::io::Error| {
        invalid(format!(
            "cannot listen on {addr}: {e}; give a free host:port, e.g. 127.0.0.1:8089"
        ))
    };
    let listener = std::net::TcpListener::bind(addr).map_err(cannot)?;
    listener.set_nonblocking(true).map_err(cannot)?;
    let bound = listener.local_addr().map_err(cannot)?.to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                serve(listener, inbox, metrics).await;
            }
        });
    });
    Ok(bound)
}

async fn serve(listener: tokio::net::TcpListener, inbox: Arc<Inbox>, metrics: Arc<Metrics>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let inbox = inbox.clone();
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                respond(request, inbox.clone(), metrics.clone())
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(5))
                .max_buf_size(64 * 1024)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_DEADLINE, connection).await;
            drop(slot);
        });
    }
}

async fn respond(
    request: hyper::Request<hyper::body::Incoming>,
    inbox: Arc<Inbox>,
    metrics: Arc<Metrics>,
) -> std::result::Result<
    hyper::Response<http_body_util::Full<bytes::Bytes>>,
    std::convert::Infallible,
> {
    use http_body_util::BodyExt as _;
    if request.method() == hyper::Method::GET && request.uri().path() == "/metrics" {
        let mut response = hyper::Response::new(http_body_util::Full::new(bytes::Bytes::from(
            metrics.render(),
        )));
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/plain; version=0.0.4"),
        );
        return Ok(response);
    }
    let status = if request.method() != hyper::Method::POST {
        405
    } else {
        match http_body_util::Limited::new(request.into_body(), MAX_BODY_BYTES)
            .collect()
            .await
        {
            Ok(body) => {
                inbox.add(pushed_refs(&String::from_utf8_lossy(&body.to_bytes())));
                200
            }
            Err(_) => 413,
        }
    };
    let mut response = hyper::Response::new(http_body_util::Full::new(bytes::Bytes::new()));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
    Ok(response)
}

/// The pushes in a notification body (`application/vnd.docker.distribution.events.v2+json`).
/// A push that is no valid image reference (a name too long, say) names no base acrt
/// watches, and is left out.
pub fn pushed_refs(body: &str) -> Vec<PushedRef> {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return Vec::new();
    };
    value["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "push")
        .filter_map(|e| {
            let target = &e["target"];
            let host = e["request"]["host"].as_str().or_else(|| {
                target["url"]
                    .as_str()
                    .and_then(|u| u.split("://").nth(1))
                    .and_then(|r| r.split('/').next())
            })?;
            Some((
                host.to_ascii_lowercase(),
                target["repository"].as_str()?.to_string(),
                target["tag"].as_str()?.to_string(),
            ))
        })
        .filter(|(host, repository, tag)| {
            ImageRef::parse(&format!("{host}/{repository}:{tag}")).is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_push_events_with_tags() {
        let body = r#"{"events": [
            {"action": "push", "target": {"repository": "base/node", "tag": "9", "digest": "sha256:x",
             "url": "http://127.0.0.1:5000/v2/base/node/manifests/sha256:x"}, "request": {"host": "127.0.0.1:5000"}},
            {"action": "push", "target": {"repository": "base/node", "digest": "sha256:y"}, "request": {"host": "127.0.0.1:5000"}},
            {"action": "pull", "target": {"repository": "base/node", "tag": "9"}, "request": {"host": "127.0.0.1:5000"}}
        ]}"#;
        assert_eq!(
            pushed_refs(body),
            [(
                "127.0.0.1:5000".to_string(),
                "base/node".to_string(),
                "9".to_string()
            )]
        );
        assert!(pushed_refs("not json").is_empty());
        let long = format!(
            r#"{{"events": [{{"action": "push", "target": {{"repository": "{}", "tag": "9"}},
            "request": {{"host": "127.0.0.1:5000"}}}}]}}"#,
            "a".repeat(300)
        );
        assert!(pushed_refs(&long).is_empty());
    }

    fn push(tag: usize) -> PushedRef {
        ("r:5000".into(), "base".into(), tag.to_string())
    }

    #[test]
    fn the_inbox_coalesces_and_past_its_cap_says_so() {
        let inbox = Inbox::default();
        assert!(!inbox.has_pending());
        for _ in 0..3 {
            inbox.add((0..MAX_PENDING_PUSHES).map(push).collect());
        }
        assert!(inbox.has_pending());
        let pending = inbox.take();
        assert_eq!(pending.pushes.len(), MAX_PENDING_PUSHES);
        assert!(!pending.overflowed);
        assert!(inbox.take().is_empty());
        inbox.add((0..=MAX_PENDING_PUSHES).map(push).collect());
        // A tag already waiting is still taken in; a new one past the cap is the flag.
        inbox.add(vec![push(0)]);
        let pending = inbox.take();
        assert_eq!(pending.pushes.len(), MAX_PENDING_PUSHES);
        assert!(pending.overflowed);
    }
}
