//! Status-change callbacks: which destinations are allowed, and delivery (one attempt, 5 s
//! timeout, no redirects, no proxies) on a background task that never blocks a request.
//!
//! Delivery speaks plain HTTP/1.1 over one tokio socket per callback (hyper's connection API),
//! so that embedding the mock does not pull an HTTP client stack and TLS into users' tests.
//! The allowlist therefore admits `http` only: a callback over `https` could not be sent.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{Request, StatusCode};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use tokio::sync::mpsc;
use url::Url;

/// How long one delivery may take.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries waiting beyond this many are dropped (and logged) rather than piling up.
const QUEUE_DEPTH: usize = 1024;

/// One destination rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowRule {
    /// 127.0.0.0/8, ::1 and `localhost`.
    Loopback,
    /// Exactly this host name or IP literal (as written in URLs, lower case).
    Host(String),
}

/// Where webhooks may be sent. The default allows loopback only, so a mock reachable by
/// others cannot be used to make requests to other hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAllowlist {
    rules: Vec<AllowRule>,
}

impl Default for WebhookAllowlist {
    fn default() -> WebhookAllowlist {
        WebhookAllowlist {
            rules: vec![AllowRule::Loopback],
        }
    }
}

/// Why a webhook destination was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not an absolute URL.
    #[error("not an absolute URL: {0}")]
    NotAUrl(String),
    /// Only plain http is spoken (see the module docs).
    #[error("scheme {0:?} is not http (the mock delivers webhooks over plain HTTP only)")]
    Scheme(String),
    /// The host is not on the allowlist.
    #[error("host {0:?} is not on the webhook allowlist")]
    Host(String),
}

impl WebhookAllowlist {
    /// An allowlist of exactly these rules (empty: no webhook is ever sent).
    pub fn new(rules: Vec<AllowRule>) -> WebhookAllowlist {
        WebhookAllowlist { rules }
    }

    /// The decision: the parsed URL when `url` may receive webhooks.
    pub fn check(&self, url: &str) -> Result<Url, Refusal> {
        let parsed = Url::parse(url).map_err(|e| Refusal::NotAUrl(e.to_string()))?;
        if parsed.scheme() != "http" {
            return Err(Refusal::Scheme(parsed.scheme().to_owned()));
        }
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let allowed = self.rules.iter().any(|rule| match rule {
            AllowRule::Loopback => is_loopback(&parsed),
            AllowRule::Host(name) => name.eq_ignore_ascii_case(&host),
        });
        if allowed {
            Ok(parsed)
        } else {
            Err(Refusal::Host(host))
        }
    }
}

/// True when `url` names this machine: `localhost`, 127.0.0.0/8 or `[::1]`. The one
/// definition of "loopback" the mock's allowlist and the runner's proxy bypass share.
pub fn is_loopback_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| is_loopback(&u))
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 literals come bracketed; the url parser has already normalised every IP literal.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// One queued callback.
#[derive(Debug)]
struct Delivery {
    url: Url,
    body: Vec<u8>,
}

/// The delivery queue. Deliveries go out one after another so a receiver sees a customer's
/// status changes in order.
#[derive(Debug, Default)]
pub(crate) struct Webhooks {
    queue: OnceLock<Option<mpsc::Sender<Delivery>>>,
}

impl Webhooks {
    /// Queues a callback; never waits. Needs a tokio runtime (the mock always runs in one).
    pub(crate) fn send(&self, url: Url, body: Vec<u8>) {
        let queue = self.queue.get_or_init(start_worker);
        let Some(queue) = queue else {
            tracing::warn!(%url, "webhook dropped: no HTTP client");
            return;
        };
        if let Err(e) = queue.try_send(Delivery { url, body }) {
            let url = match &e {
                mpsc::error::TrySendError::Full(d) | mpsc::error::TrySendError::Closed(d) => {
                    d.url.to_string()
                }
            };
            tracing::warn!(%url, "webhook dropped: delivery queue full or closed");
        }
    }
}

fn start_worker() -> Option<mpsc::Sender<Delivery>> {
    let runtime = match tokio::runtime::Handle::try_current() {
        Ok(runtime) => runtime,
        Err(_) => {
            tracing::warn!("webhooks disabled: the mock is not running inside a tokio runtime");
            return None;
        }
    };
    let (tx, mut rx) = mpsc::channel::<Delivery>(QUEUE_DEPTH);
    runtime.spawn(async move {
        while let Some(delivery) = rx.recv().await {
            match tokio::time::timeout(DELIVERY_TIMEOUT, deliver(&delivery)).await {
                Ok(Ok(status)) => {
                    tracing::debug!(url = %delivery.url, %status, "webhook delivered");
                }
                Ok(Err(e)) => tracing::warn!(url = %delivery.url, error = %e, "webhook failed"),
                Err(_) => tracing::warn!(url = %delivery.url, "webhook timed out"),
            }
        }
    });
    Some(tx)
}

/// Why one delivery failed.
#[derive(Debug, thiserror::Error)]
enum DeliveryError {
    #[error("the URL has no host")]
    NoHost,
    #[error("cannot connect")]
    Connect(#[source] std::io::Error),
    #[error("HTTP exchange failed")]
    Http(#[source] hyper::Error),
    #[error("cannot build the request")]
    Request(#[source] axum::http::Error),
}

/// One POST of the callback body; the receiver's status comes back. Redirects are not
/// followed (a 3xx is just a status) and no proxy is consulted, so the callback reaches
/// exactly the host the allowlist admitted.
async fn deliver(delivery: &Delivery) -> Result<StatusCode, DeliveryError> {
    let url = &delivery.url;
    let host = url.host_str().ok_or(DeliveryError::NoHost)?;
    let port = url.port_or_known_default().unwrap_or(80);
    // IPv6 literals come bracketed in URLs and bare in socket addresses.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let stream = tokio::net::TcpStream::connect((bare, port))
        .await
        .map_err(DeliveryError::Connect)?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(DeliveryError::Http)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "webhook connection closed with an error");
        }
    });
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let request = Request::post(target)
        .header(HOST, authority)
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(delivery.body.clone())))
        .map_err(DeliveryError::Request)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(DeliveryError::Http)?;
    Ok(response.status())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_allowlist_admits_loopback_only() {
        let allow = WebhookAllowlist::default();
        for ok in [
            "http://127.0.0.1:9000/hook?ref=1",
            "http://127.8.9.10/",
            "http://localhost:8443/x",
            "http://[::1]:9000/",
        ] {
            assert!(allow.check(ok).is_ok(), "{ok}");
        }
        for (bad, refusal) in [
            (
                "http://sample.com/mywebhook",
                Refusal::Host("sample.com".into()),
            ),
            ("http://10.0.0.1/", Refusal::Host("10.0.0.1".into())),
            (
                "http://169.254.169.254/latest",
                Refusal::Host("169.254.169.254".into()),
            ),
            (
                "http://[::ffff:10.0.0.1]/",
                Refusal::Host("[::ffff:a00:1]".into()),
            ),
            (
                "http://127.0.0.1.nip.io/",
                Refusal::Host("127.0.0.1.nip.io".into()),
            ),
            ("file:///etc/passwd", Refusal::Scheme("file".into())),
            ("ftp://127.0.0.1/", Refusal::Scheme("ftp".into())),
            // No TLS stack in the mock: an https callback could not be delivered.
            ("https://localhost:8443/x", Refusal::Scheme("https".into())),
        ] {
            assert_eq!(allow.check(bad).map(|_| ()), Err(refusal), "{bad}");
        }
        assert!(matches!(allow.check("/relative"), Err(Refusal::NotAUrl(_))));
        assert!(matches!(allow.check(""), Err(Refusal::NotAUrl(_))));
    }

    #[test]
    fn named_hosts_can_be_added_and_everything_can_be_refused() {
        let allow = WebhookAllowlist::new(vec![
            AllowRule::Loopback,
            AllowRule::Host("hooks.test".into()),
        ]);
        assert!(allow.check("http://HOOKS.test/cb").is_ok());
        assert!(allow.check("http://evil.hooks.test/cb").is_err());
        let none = WebhookAllowlist::new(vec![]);
        assert!(none.check("http://127.0.0.1/").is_err());
    }
}
