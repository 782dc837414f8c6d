//! The `format` checks of ajv-formats 3.0.1 in its default ("full") mode, which the Ajv
//! oracle registers. Regex-based formats use ajv-formats' own regular expressions (copied
//! verbatim and run by the ECMAScript engine, which gives their plain `i` flag JavaScript's
//! non-unicode meaning: see `ecma_regex`); the others port its small functions.

use std::sync::OnceLock;

use super::ecma_regex::Pattern;
use super::js_space::is_js_whitespace;

/// Which JSON type a format applies to: Ajv runs a format only on data of its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatType {
    /// Checked on strings (most formats).
    String,
    /// Checked on numbers (`int32`, `int64`, `float`, `double`).
    Number,
}

/// One supported format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    name: &'static str,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Regex(usize),
    Date,
    Time {
        strict_zone: bool,
    },
    DateTime {
        strict_zone: bool,
    },
    Uri,
    Regexp,
    Int32,
    Int64,
    AnyNumber,
    /// `password`, `binary`: registered as `true`, i.e. never checked.
    Unchecked,
    /// connectFi's `dateISO` (not in ajv-formats; DECISIONS.md): an ISO 8601 date or date-time
    /// that JavaScript's `Date.parse` reads.
    DateIso,
}

/// ajv-formats' regular expressions: name, source, flags.
const REGEXES: &[(&str, &str, &str)] = &[
    (
        "duration",
        r##"^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$"##,
        "",
    ),
    (
        "uri-reference",
        r##"^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$"##,
        "i",
    ),
    (
        "uri-template",
        r##"^(?:(?:[^\x00-\x20"'<>%\\^`{|}]|%[0-9a-f]{2})|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*$"##,
        "i",
    ),
    (
        "url",
        r##"^(?:https?|ftp):\/\/(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$"##,
        "iu",
    ),
    (
        "email",
        r##"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"##,
        "i",
    ),
    (
        "hostname",
        r##"^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$"##,
        "i",
    ),
    (
        "ipv4",
        r##"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"##,
        "",
    ),
    (
        "ipv6",
        r##"^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$"##,
        "i",
    ),
    (
        "uuid",
        r##"^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$"##,
        "i",
    ),
    ("json-pointer", r##"^(?:\/(?:[^~/]|~0|~1)*)*$"##, ""),
    (
        "json-pointer-uri-fragment",
        r##"^#(?:\/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*$"##,
        "i",
    ),
    (
        "relative-json-pointer",
        r##"^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$"##,
        "",
    ),
    (
        "uri",
        r##"^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$"##,
        "i",
    ),
    (
        "byte",
        r##"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"##,
        "m",
    ),
];

const NAMES: &[(&str, Kind)] = &[
    ("date", Kind::Date),
    ("time", Kind::Time { strict_zone: true }),
    ("date-time", Kind::DateTime { strict_zone: true }),
    ("iso-time", Kind::Time { strict_zone: false }),
    ("iso-date-time", Kind::DateTime { strict_zone: false }),
    ("uri", Kind::Uri),
    ("regex", Kind::Regexp),
    ("int32", Kind::Int32),
    ("int64", Kind::Int64),
    ("float", Kind::AnyNumber),
    ("double", Kind::AnyNumber),
    ("password", Kind::Unchecked),
    ("binary", Kind::Unchecked),
    ("dateISO", Kind::DateIso),
];

fn compiled() -> &'static [Pattern] {
    static COMPILED: OnceLock<Vec<Pattern>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        REGEXES
            .iter()
            .map(|(name, source, flags)| {
                Pattern::new(source, flags)
                    .unwrap_or_else(|e| panic!("ajv-formats regex for {name} must compile: {e}"))
            })
            .collect()
    })
}

fn regex(name: &str) -> &'static Pattern {
    let i = REGEXES
        .iter()
        .position(|(n, _, _)| *n == name)
        .unwrap_or_else(|| panic!("{name} is in REGEXES"));
    &compiled()[i]
}

impl Format {
    /// Every format the validator knows: `kyc-codegen`'s tests hold its table equal to this.
    pub fn all() -> impl Iterator<Item = Format> {
        let named = NAMES.iter().map(|(name, _)| *name);
        let regexes = REGEXES
            .iter()
            .map(|(name, _, _)| *name)
            .filter(|name| !NAMES.iter().any(|(n, _)| n == name));
        named.chain(regexes).filter_map(Format::by_name)
    }

    /// The format's name, as a schema writes it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The ajv-formats regular expression (source, flags) the format is checked with, alone
    /// (a `Regex` format) or after another test (`uri`); `None` for the formats that are code.
    pub fn regex(&self) -> Option<(&'static str, &'static str)> {
        let name = match self.kind {
            Kind::Regex(i) => REGEXES[i].0,
            Kind::Uri => "uri",
            _ => return None,
        };
        REGEXES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, source, flags)| (*source, *flags))
    }

    /// Looks a format up by name; `None` for formats ajv-formats does not define.
    pub fn by_name(name: &str) -> Option<Format> {
        let (name, kind) = NAMES
            .iter()
            .map(|(n, k)| (*n, *k))
            .chain(
                REGEXES
                    .iter()
                    .enumerate()
                    .map(|(i, (n, _, _))| (*n, Kind::Regex(i))),
            )
            .find(|(n, _)| *n == name)?;
        if let Kind::Regex(_) = kind {
            // Compile eagerly so a broken table fails at schema compilation, not mid-request.
            let _ = compiled();
        }
        Some(Format { name, kind })
    }

    /// The JSON type the format checks; `None` for formats that check nothing.
    pub fn applies_to(&self) -> Option<FormatType> {
        match self.kind {
            Kind::Unchecked => None,
            Kind::Int32 | Kind::Int64 | Kind::AnyNumber => Some(FormatType::Number),
            _ => Some(FormatType::String),
        }
    }

    /// Checks a string (formats of type string only; others accept).
    pub fn check_str(&self, s: &str) -> bool {
        match self.kind {
            Kind::Regex(i) => compiled()[i].test(s),
            Kind::Date => date(s),
            Kind::Time { strict_zone } => time(s, strict_zone),
            Kind::DateTime { strict_zone } => date_time(s, strict_zone),
            Kind::Uri => (s.contains('/') || s.contains(':')) && regex("uri").test(s),
            Kind::Regexp => regexp(s),
            Kind::DateIso => date_iso(s),
            Kind::Int32 | Kind::Int64 | Kind::AnyNumber | Kind::Unchecked => true,
        }
    }

    /// Checks a number (formats of type number only; others accept).
    pub fn check_number(&self, x: f64) -> bool {
        let integer = x.is_finite() && x.fract() == 0.0;
        match self.kind {
            Kind::Int32 => integer && (-2_147_483_648.0..=2_147_483_647.0).contains(&x),
            Kind::Int64 => integer,
            _ => true,
        }
    }
}

/// The `dateISO` format: the plugin's regular expression, then `!isNaN(Date.parse(s))` as V8
/// answers it for the strings that expression admits. V8 reads every one of them with its
/// ES5 ISO parser, which checks each field's range on its own (month 1–12, day 1–31 in any
/// month, so `2023-02-30` is accepted and rolls over; hour 0–24, where 24 needs zero minutes,
/// seconds and fraction; minutes and seconds 0–59, no leap second; a zone of at most 23:59).
/// A date alone that fails those checks is read again by V8's legacy parser, which takes
/// `YYYY-MM-DD` as month-day-year when the "year" is a possible day (1 to 31): so
/// `0001-13-01` and `0007-31-31` are dates, `2023-13-01` is not. Four-digit years always land
/// inside the representable time range, with any offset.
fn date_iso(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    // `\d{4}-\d{2}-\d{2}`
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let iso = (1..=12).contains(&month) && (1..=31).contains(&day);
    if b.len() == 10 {
        // A date alone that the ISO parser refuses goes to V8's legacy parser, which reads
        // `0001-13-01` as month 1, day 13 of (20)01 whenever the first number could be a day.
        return iso || ((1..=12).contains(&year) && (1..=31).contains(&month));
    }
    if !iso {
        return false;
    }
    // `T\d{2}:\d{2}`
    let (Some(hour), Some(minute)) = (digits(11..13), digits(14..16)) else {
        return false;
    };
    if b[10] != b'T' || b.get(13) != Some(&b':') {
        return false;
    }
    let mut at = 16;
    // `(:\d{2}(\.\d+)?)?`
    let mut second = 0;
    let mut fraction_zero = true;
    if b.get(at) == Some(&b':') {
        let Some(s) = digits(at + 1..at + 3) else {
            return false;
        };
        second = s;
        at += 3;
        if b.get(at) == Some(&b'.') {
            let start = at + 1;
            at = start;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return false;
            }
            fraction_zero = b[start..at].iter().all(|d| *d == b'0');
        }
    }
    // `(Z|[+-]\d{2}:?\d{2})?$`
    match b.get(at) {
        None => {}
        Some(b'Z') if at + 1 == b.len() => {}
        Some(b'+' | b'-') => {
            let Some(zone_hour) = digits(at + 1..at + 3) else {
                return false;
            };
            let minutes_at = if b.get(at + 3) == Some(&b':') {
                at + 4
            } else {
                at + 3
            };
            let Some(zone_minute) = digits(minutes_at..minutes_at + 2) else {
                return false;
            };
            if minutes_at + 2 != b.len() || zone_hour > 23 || zone_minute > 59 {
                return false;
            }
        }
        Some(_) => return false,
    }
    minute <= 59
        && second <= 59
        && (hour <= 23 || (hour == 24 && minute == 0 && second == 0 && fraction_zero))
}

fn is_leap_year(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn digits(s: &str) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// ajv-formats `date`: `^(\d\d\d\d)-(\d\d)-(\d\d)$` plus calendar checks.
fn date(s: &str) -> bool {
    const DAYS: [u32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&s[..4]), digits(&s[5..7]), digits(&s[8..]))
    else {
        return false;
    };
    (1..=12).contains(&month)
        && day >= 1
        && day
            <= if month == 2 && is_leap_year(year) {
                29
            } else {
                DAYS[month as usize]
            }
}

/// ajv-formats `time` / `iso-time`.
fn time(s: &str, strict_zone: bool) -> bool {
    static TIME: OnceLock<Pattern> = OnceLock::new();
    let re = TIME.get_or_init(|| {
        Pattern::new(
            r"^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$",
            "i",
        )
        .expect("ajv-formats TIME regex compiles")
    });
    let Some(m) = re.exec(s) else {
        return false;
    };
    let group = |i: usize| m.group(i).map(|r| &s[r]);
    let num = |i: usize| group(i).and_then(|g| g.parse::<f64>().ok()).unwrap_or(0.0);
    let (hr, min, sec) = (num(1), num(2), num(3));
    let tz = group(4).is_some();
    let tz_sign = if group(5) == Some("-") { -1.0 } else { 1.0 };
    let (tz_h, tz_m) = (num(6), num(7));
    if tz_h > 23.0 || tz_m > 59.0 || (strict_zone && !tz) {
        return false;
    }
    if hr <= 23.0 && min <= 59.0 && sec < 60.0 {
        return true;
    }
    let utc_min = min - tz_m * tz_sign;
    let utc_hr = hr - tz_h * tz_sign - if utc_min < 0.0 { 1.0 } else { 0.0 };
    (utc_hr == 23.0 || utc_hr == -1.0) && (utc_min == 59.0 || utc_min == -1.0) && sec < 61.0
}

/// ajv-formats `date-time`: `str.split(/t|\s/i)` must give exactly two parts.
fn date_time(s: &str, strict_zone: bool) -> bool {
    let mut separators = s
        .char_indices()
        .filter(|(_, c)| *c == 't' || *c == 'T' || is_js_whitespace(*c));
    let Some((at, sep)) = separators.next() else {
        return false;
    };
    if separators.next().is_some() {
        return false;
    }
    date(&s[..at]) && time(&s[at + sep.len_utf8()..], strict_zone)
}

/// ajv-formats `regex`: rejects `\Z` anchors, then asks the engine (no flags).
fn regexp(s: &str) -> bool {
    static Z_ANCHOR: OnceLock<Pattern> = OnceLock::new();
    let z = Z_ANCHOR.get_or_init(|| Pattern::new(r"[^\\]\\Z", "").expect("Z anchor regex"));
    !z.test(s) && Pattern::new(s, "").is_ok()
}

#[cfg(test)]
mod tests {
    use super::Format;

    fn check(name: &str, s: &str) -> bool {
        Format::by_name(name).expect("known format").check_str(s)
    }

    #[test]
    fn formats_behave_like_ajv_formats() {
        assert!(check("date", "2024-02-29"));
        assert!(!check("date", "2023-02-29"));
        assert!(check("date-time", "2022-10-07T17:18:56.424Z"));
        assert!(check("date-time", "2022-10-07t17:18:56z"));
        assert!(!check("date-time", "2022-10-07T17:18:56"));
        assert!(check("date-time", "2016-12-31T23:59:60Z"));
        assert!(check("email", "aa@aa.aa"));
        assert!(!check("email", "a@b"));
        assert!(check(
            "uuid",
            "urn:uuid:3eb38da0-b798-11ed-877e-9cb46042ed12"
        ));
        assert!(check("ipv4", "127.0.0.1"));
        assert!(!check("ipv4", "256.0.0.1"));
        assert!(check("uri", "http://127.0.0.1:9000/x?y=1"));
        assert!(!check("uri", "noscheme"));
        // JavaScript's non-unicode `i` never folds KELVIN SIGN into `k` nor LONG S into `s`;
        // `url` is compiled with `iu` and allows U+00A1..U+FFFF anyway.
        assert!(check("hostname", "kelvin.example"));
        assert!(!check("hostname", "\u{212a}elvin.example"));
        assert!(!check("email", "\u{17f}@example.com"));
        assert!(!check("uri", "http://\u{212a}.example/"));
        assert!(check("uri-template", "\u{212a}"));
        assert!(check("url", "http://\u{212a}.example.com/"));
        // connectFi's dateISO, as V8's Date.parse reads the plugin's shape.
        for ok in [
            "2023-01-15",
            "2023-02-30",
            "2023-01-15T24:00",
            "2023-01-15T00:00+0100",
            "2023-01-15T00:00:00.0011111Z",
            "2099-01-17T19:59:59.999Z",
            "2023-01-15T24:00:00.000Z",
        ] {
            assert!(check("dateISO", ok), "{ok}");
        }
        for bad in [
            "2023-13-01",
            "2023-01-32",
            "2023-01-15T24:01",
            "2023-01-15T23:59:60",
            "2023-01-15T00:00+24:00",
            "2023-01-15T24:00:00.001Z",
            "2023-1-15",
            "2023-01-15T",
            "2023-01-15 00:00",
            "20230115",
        ] {
            assert!(!check("dateISO", bad), "{bad}");
        }
        assert!(
            !Format::by_name("int32")
                .expect("known")
                .check_number(2_147_483_648.0)
        );
    }
    #[test]
    fn date_iso_answers_like_the_plugin_on_v8() {
        // Each answer was printed by node 22 for the plugin's check.
        for (s, ok) in [
            ("2023-01-15", true),
            ("2023-02-30", true),
            ("2023-01-32", false),
            ("0001-01-32", true),
            ("0001-13-01", true),
            ("0007-31-31", true),
            ("0031-12-32", false),
            ("0001-00-01", false),
            ("0001-13-01T10:00", false),
            ("2023-13-01", false),
            ("2023-00-01", false),
            ("2023-01-15T00:00", true),
            ("2023-01-15T24:00:00.000", true),
            ("2023-01-15T24:00:00.0001", false),
            ("2023-01-15T24:01", false),
            ("2023-01-15T23:59:60", false),
            ("2023-01-15T00:00+0100", true),
            ("2023-01-15T00:00+24:00", false),
            ("2023-01-15T00:00+23:59", true),
            ("2023-01-15T12:34:56+00:60", false),
            ("2099-01-17T19:59:59.999Z", true),
            ("2023-01-15T00:00:00.", false),
            ("2023-01-15Z", false),
            ("yesterday", false),
            ("275760-09-13", false),
        ] {
            assert_eq!(super::date_iso(s), ok, "{s}");
        }
    }
}
