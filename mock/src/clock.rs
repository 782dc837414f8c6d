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
    let mut out = Vec::with_capacity(TIMESTAMP_LEN);
    write_timestamp(&mut out, at);
    // Only ASCII digits and separators are written.
    String::from_utf8(out).unwrap_or_default()
}

/// Length of a timestamp before the year 10000.
const TIMESTAMP_LEN: usize = 24;

/// Appends [`format_timestamp`]'s text to `out` without formatting machinery: every answer
/// carries one, and `format!`'s padding cost more than the rest of the envelope's fields.
pub(crate) fn write_timestamp(out: &mut Vec<u8>, at: Millis) {
    let millis = at % 1000;
    let secs = at / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (hour, minute, second) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let (year, month, day) =
        kyc_spec::calendar::civil_from_days(i64::try_from(days).unwrap_or(i64::MAX));
    let Ok(year4 @ 0..=9999) = u64::try_from(year) else {
        // Past the year 9999 the year takes more digits; `format!` pads the same way.
        let text =
            format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z");
        out.extend_from_slice(text.as_bytes());
        return;
    };
    let mut text = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, digits: usize, mut value: u64| {
        for i in (0..digits).rev() {
            text[at + i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year4);
    put(5, 2, month);
    put(8, 2, day);
    put(11, 2, hour);
    put(14, 2, minute);
    put(17, 2, second);
    put(20, 3, millis);
    out.extend_from_slice(&text);
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

    /// The hand-written digits agree with `format!`'s padding, before and after the year 10000
    /// (where the year grows a fifth digit) and at every field's edges.
    #[test]
    fn timestamps_are_written_like_format() {
        let reference = |at: Millis| {
            let (days, rem) = (at / 1000 / 86_400, at / 1000 % 86_400);
            let (y, mo, d) = kyc_spec::calendar::civil_from_days(days as i64);
            format!(
                "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                rem / 3600,
                rem % 3600 / 60,
                rem % 60,
                at % 1000
            )
        };
        let mut at: Millis = 0;
        let mut samples = vec![
            0,
            999,
            1000,
            86_399_999,
            MANUAL_CLOCK_START,
            253_402_300_799_999,
        ];
        samples.push(253_402_300_800_000); // 10000-01-01T00:00:00.000Z
        samples.push(u64::MAX / 1_000_000);
        for _ in 0..10_000 {
            at = at
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            samples.push(at % 300_000_000_000_000);
        }
        for at in samples {
            assert_eq!(format_timestamp(at), reference(at), "at {at} ms");
        }
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
