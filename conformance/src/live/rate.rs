//! `--rate N/s`: a ceiling on requests per second, shared by every concurrent job.
//!
//! Requests are spaced evenly (`1/N` seconds apart) rather than allowed in bursts: a
//! sandbox that rate-limits typically counts per second, and a burst at the start of each
//! second is exactly what trips it. Retries go through the limiter too.

use std::str::FromStr;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// A requests-per-second ceiling as given on the command line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    per_second: f64,
}

/// A `--rate` value that is not a positive number of requests per second or minute.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "--rate must be a positive number of requests per second (`5`, `5/s`) or minute (`90/m`), not {0:?}"
)]
pub struct RateError(String);

impl FromStr for Rate {
    type Err = RateError;

    fn from_str(text: &str) -> Result<Rate, RateError> {
        let bad = || RateError(text.to_string());
        let (n, unit) = text.split_once('/').unwrap_or((text, "s"));
        let n: f64 = n.trim().parse().map_err(|_| bad())?;
        let seconds = match unit.trim() {
            "s" | "sec" | "second" => 1.0,
            "m" | "min" | "minute" => 60.0,
            _ => return Err(bad()),
        };
        let per_second = n / seconds;
        if !(per_second.is_finite() && per_second > 0.0) {
            return Err(bad());
        }
        Ok(Rate { per_second })
    }
}

impl Rate {
    /// Time between two requests.
    pub fn interval(self) -> Duration {
        Duration::from_secs_f64(1.0 / self.per_second)
    }
}

/// Hands out evenly spaced send slots.
#[derive(Debug)]
pub struct Limiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Limiter {
    /// A limiter for `rate`.
    pub fn new(rate: Rate) -> Limiter {
        Limiter {
            interval: rate.interval(),
            next: Mutex::new(None),
        }
    }

    /// Waits for the next free slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rates() {
        assert_eq!(
            "4/s".parse::<Rate>().unwrap().interval(),
            Duration::from_millis(250)
        );
        assert_eq!(
            "4".parse::<Rate>().unwrap().interval(),
            Duration::from_millis(250)
        );
        assert_eq!(
            "120/m".parse::<Rate>().unwrap().interval(),
            Duration::from_millis(500)
        );
        for bad in ["0", "-1/s", "x/s", "3/h", "inf", "NaN/s"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn spaces_requests_evenly() {
        let limiter = Limiter::new("50/s".parse().unwrap());
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // Slots at 0, 20, 40, 60, 80 ms: the fifth cannot start before 80 ms.
        assert!(
            start.elapsed() >= Duration::from_millis(80),
            "{:?}",
            start.elapsed()
        );
    }
}
