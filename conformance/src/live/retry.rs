//! `--retries N`: try again, with exponential back-off, only when trying again is safe and
//! likely to help.
//!
//! Retried: connection errors (nothing reached the server), `429 Too Many Requests` and
//! `503 Service Unavailable` (the server said "later"). A `Retry-After` header (seconds or
//! an HTTP date) is honoured; one asking for more than [`Policy::max_wait`] ends the
//! retries instead of stalling the run. Not retried: timeouts (a POST that timed out may
//! have been processed, and `kyc/init` is not idempotent), other statuses, and anything a
//! second try would only repeat. A case that needed a retry to pass is reported `flaky`.

use std::future::Future;
use std::time::{Duration, SystemTime};

use super::rate::Limiter;

/// How many times to retry and how long to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Longest back-off, and longest `Retry-After` that is waited for.
    pub max_wait: Duration,
}

impl Policy {
    /// `retries` retries with the default back-off (0.5 s, doubling, at most 30 s).
    pub fn with_retries(retries: u32) -> Policy {
        Policy {
            retries,
            base_delay: Duration::from_millis(500),
            max_wait: Duration::from_secs(30),
        }
    }

    /// The wait before retry number `retry` (0 for the first), or `None` to stop.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if retry >= self.retries {
            return None;
        }
        match retry_after {
            Some(asked) if asked > self.max_wait => None,
            Some(asked) => Some(asked),
            None => {
                let factor = 2u32.saturating_pow(retry.min(16));
                Some(self.base_delay.saturating_mul(factor).min(self.max_wait))
            }
        }
    }
}

/// Whether an attempt's result is final or worth another try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Keep this result.
    Final,
    /// Try again, after the server's `Retry-After` if it gave one.
    Retry(Option<Duration>),
}

/// The verdict for an answer with `status` and its `Retry-After` header.
pub fn verdict_for_status(status: u16, retry_after_header: Option<&str>) -> Verdict {
    match status {
        429 | 503 => {
            Verdict::Retry(retry_after_header.and_then(|v| retry_after(v, SystemTime::now())))
        }
        _ => Verdict::Final,
    }
}

/// The last result and how many attempts it took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempted<T> {
    /// The final attempt's result.
    pub result: T,
    /// Attempts made, at least 1.
    pub attempts: u32,
}

/// Runs `attempt` until `verdict` calls its result final or the policy says stop. Every
/// attempt waits for a slot from `limiter` first.
pub async fn run<T, F, Fut>(
    policy: &Policy,
    limiter: Option<&Limiter>,
    mut attempt: F,
    verdict: impl Fn(&T) -> Verdict,
) -> Attempted<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let mut attempts = 0;
    loop {
        if let Some(limiter) = limiter {
            limiter.acquire().await;
        }
        let result = attempt().await;
        attempts += 1;
        let wait = match verdict(&result) {
            Verdict::Final => None,
            Verdict::Retry(after) => policy.delay(attempts - 1, after),
        };
        match wait {
            None => return Attempted { result, attempts },
            Some(wait) => {
                tracing::debug!(
                    attempt = attempts,
                    ?wait,
                    "retrying after a transient failure"
                );
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, or
/// one of the two obsolete forms every recipient must read) relative to `now` (a date in the
/// past means "now").
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for obsolete in ["Sunday, 06-Nov-94 08:49:47 GMT", "Sun Nov  6 08:49:47 1994"] {
            assert_eq!(
                retry_after(obsolete, now),
                Some(Duration::from_secs(10)),
                "{obsolete}"
            );
        }
        for bad in [
            "soon",
            "-1",
            "Sun, 06 Nov 1994 08:49:47 CET",
            "Sun, 32 Nov 1994 08:49:47 GMT",
        ] {
            assert_eq!(retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn back_off_doubles_honours_retry_after_and_stops() {
        let p = Policy::with_retries(3);
        assert_eq!(p.delay(0, None), Some(Duration::from_millis(500)));
        assert_eq!(p.delay(2, None), Some(Duration::from_secs(2)));
        assert_eq!(p.delay(3, None), None);
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(p.delay(0, Some(Duration::from_secs(31))), None);
        assert_eq!(
            Policy::with_retries(100).delay(40, None),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn only_429_and_503_are_retried() {
        assert_eq!(
            verdict_for_status(429, Some("2")),
            Verdict::Retry(Some(Duration::from_secs(2)))
        );
        assert_eq!(verdict_for_status(503, None), Verdict::Retry(None));
        for status in [200, 400, 401, 500, 502, 504] {
            assert_eq!(
                verdict_for_status(status, Some("1")),
                Verdict::Final,
                "{status}"
            );
        }
    }

    #[tokio::test]
    async fn runs_until_final_or_out_of_retries() {
        let policy = Policy {
            retries: 2,
            base_delay: Duration::from_millis(1),
            max_wait: Duration::from_secs(1),
        };
        let calls = AtomicU32::new(0);
        let flaky = run(
            &policy,
            None,
            || async { calls.fetch_add(1, Ordering::SeqCst) },
            |n| {
                if *n == 0 {
                    Verdict::Retry(None)
                } else {
                    Verdict::Final
                }
            },
        )
        .await;
        assert_eq!(
            flaky,
            Attempted {
                result: 1,
                attempts: 2
            }
        );
        let down = run(
            &policy,
            None,
            || async { 503 },
            |s| verdict_for_status(*s, None),
        )
        .await;
        assert_eq!(down.attempts, 3);
    }
}
