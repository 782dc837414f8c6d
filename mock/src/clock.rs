//! The mock's sense of time: the wall clock, or a manual clock that tests move by hand so
//! state transitions and timestamps are reproducible.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, the unit every timestamp of the mock is kept in.
pub type Millis = u64;

/// The instant a manual clock starts at unless told otherwise: 2024-01-01T00:00:00.000Z.
pub const MANUAL_CLOCK_START: Millis = 1_704_067_200_000;

/// A clock shared by the mock and whoever controls it; clones see the same time.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicU64>>,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that stands still at `start` until [`Clock::advance`] or [`Clock::set`] moves it.
    pub fn manual(start: Millis) -> Clock {
        Clock {
            manual: Some(Arc::new(AtomicU64::new(start))),
        }
    }

    /// Whether this clock only moves when told to.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The current time.
    pub fn now(&self) -> Millis {
        match &self.manual {
            Some(at) => at.load(Ordering::SeqCst),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        }
    }

    /// Moves a manual clock forward; the wall clock cannot be moved and ignores this.
    /// Prefer [`crate::MockState::advance`], which also applies the transitions that
    /// became due.
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.manual {
            let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
            at.fetch_add(by, Ordering::SeqCst);
        }
    }

    /// Sets a manual clock to an instant (ignored by the wall clock).
    pub fn set(&self, to: Millis) {
        if let Some(at) = &self.manual {
            at.store(to, Ordering::SeqCst);
        }
    }
}

/// Formats an instant the way connectFi does: ISO 8601 UTC with milliseconds, e.g.
/// `2022-10-07T17:18:56.424Z`.
pub fn format_timestamp(at: Millis) -> String {
    let millis = at % 1000;
    let secs = at / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (hour, minute, second) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let (year, month, day) =
        kyc_spec::calendar::civil_from_days(i64::try_from(days).unwrap_or(i64::MAX));
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
}

/// Parses the format [`format_timestamp`] writes (fraction optional, any number of digits).
pub fn parse_timestamp(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> { text.get(r)?.parse().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let frac = &text[19..text.len() - 1];
    let millis = if frac.is_empty() {
        0
    } else {
        let digits = frac.strip_prefix('.')?;
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut three: String = digits.chars().take(3).collect();
        while three.len() < 3 {
            three.push('0');
        }
        three.parse().ok()?
    };
    let days = kyc_spec::calendar::days_from_civil(i64::try_from(year).ok()?, month, day);
    let secs = u64::try_from(days).ok()? * 86_400 + hour * 3600 + minute * 60 + second;
    Some(secs * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_through_connectfi_format() {
        let at = parse_timestamp("2022-10-07T17:18:56.424Z").expect("valid timestamp");
        assert_eq!(format_timestamp(at), "2022-10-07T17:18:56.424Z");
        assert_eq!(
            format_timestamp(MANUAL_CLOCK_START),
            "2024-01-01T00:00:00.000Z"
        );
        assert_eq!(
            format_timestamp(951_782_400_000),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(
            parse_timestamp("2024-01-01T00:00:00Z"),
            Some(MANUAL_CLOCK_START)
        );
        assert_eq!(parse_timestamp("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = Clock::manual(MANUAL_CLOCK_START);
        let other = clock.clone();
        assert_eq!(clock.now(), MANUAL_CLOCK_START);
        other.advance(Duration::from_millis(1500));
        assert_eq!(clock.now(), MANUAL_CLOCK_START + 1500);
    }
}
