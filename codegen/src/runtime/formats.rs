// The ajv-formats checks that are code rather than one regular expression: calendar dates,
// times with their leap second, and `regex`.

/// ajv-formats `date`: `YYYY-MM-DD`, a real calendar day (leap years included).
fn format_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &bytes[range];
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0, |n, digit| n * 10 + u32::from(digit - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// ajv-formats `time` (`strict_zone`) and `iso-time`:
/// `HH:MM:SS[.fraction][z|±HH[[:]MM]]`, a leap second only at 23:59 UTC.
fn format_time(text: &str, strict_zone: bool) -> bool {
    let bytes = text.as_bytes();
    let two = |at: usize| -> Option<u32> {
        match bytes.get(at..at + 2) {
            Some([a, b]) if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            }
            _ => None,
        }
    };
    let (Some(hour), Some(minute), Some(second)) = (two(0), two(3), two(6)) else {
        return false;
    };
    if bytes.get(2) != Some(&b':') || bytes.get(5) != Some(&b':') {
        return false;
    }
    let mut at = 8;
    if bytes.get(at) == Some(&b'.') {
        let digits = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return false;
        }
        at += 1 + digits;
    }
    let (sign, zone_hour, zone_minute) = match &bytes[at..] {
        [] if strict_zone => return false,
        [] => (0, 0, 0),
        [b'z' | b'Z'] => (0, 0, 0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            let Some(zone_hour) = two(at + 1) else {
                return false;
            };
            let zone_minute = match rest.len() {
                2 => Some(0),
                4 => two(at + 3),
                5 if rest[2] == b':' => two(at + 4),
                _ => None,
            };
            let Some(zone_minute) = zone_minute else {
                return false;
            };
            (sign, zone_hour, zone_minute)
        }
        _ => return false,
    };
    if zone_hour > 23 || zone_minute > 59 {
        return false;
    }
    if hour <= 23 && minute <= 59 && second < 60 {
        return true;
    }
    // A leap second: 23:59:60 in UTC, whatever the offset.
    let utc_minute = i64::from(minute) - i64::from(zone_minute) * sign;
    let utc_hour = i64::from(hour) - i64::from(zone_hour) * sign - i64::from(utc_minute < 0);
    (utc_hour == 23 || utc_hour == -1) && (utc_minute == 59 || utc_minute == -1) && second < 61
}

/// ajv-formats `date-time` (`strict_zone`) and `iso-date-time`: a date and a time
/// split by the only `T`, `t` or whitespace.
fn format_date_time(text: &str, strict_zone: bool) -> bool {
    let mut separators = text.char_indices().filter(|(_, c)| {
        // JavaScript's `\s`: Unicode white space without U+0085, with U+FEFF.
        matches!(c, 't' | 'T' | '\u{feff}') || (c.is_whitespace() && *c != '\u{85}')
    });
    let (Some((at, separator)), None) = (separators.next(), separators.next()) else {
        return false;
    };
    format_date(&text[..at]) && format_time(&text[at + separator.len_utf8()..], strict_zone)
}

/// ajv-formats `regex`: an ECMAScript regular expression without a `\Z` anchor.
fn format_regex(text: &str) -> bool {
    // Ajv tests `/[^\\]\\Z/`: a `\Z` after any character but a backslash.
    let z_anchor = text
        .as_bytes()
        .windows(3)
        .any(|w| w[0] != b'\\' && w[1] == b'\\' && w[2] == b'Z');
    !z_anchor && regress::Regex::new(text).is_ok()
}

#[cfg(test)]
mod formats_tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(format_date("2024-02-29"));
        assert!(!format_date("2023-02-29"));
        assert!(!format_date("2024-13-01"));
        assert!(!format_date("2024-1-01"));
    }

    #[test]
    fn times_take_zones_and_a_leap_second_only_at_the_end_of_a_utc_day() {
        assert!(format_time("23:59:60Z", true));
        assert!(format_time("00:59:60+01:00", true));
        assert!(!format_time("12:00:60Z", true));
        assert!(!format_time("12:00:00", true));
        assert!(format_time("12:00:00", false));
        assert!(format_time("12:00:00.5+0130", true));
    }

    #[test]
    fn a_date_time_splits_on_one_t_or_space() {
        assert!(format_date_time("2024-01-01T12:00:00Z", true));
        assert!(format_date_time("2024-01-01 12:00:00Z", true));
        assert!(!format_date_time("2024-01-01T12:00:00ZT", true));
    }

    #[test]
    fn a_regex_is_ecmascript_without_a_z_anchor() {
        assert!(format_regex("^[a-z]+$"));
        assert!(!format_regex("a\\Z"));
        assert!(!format_regex("("));
    }
}
