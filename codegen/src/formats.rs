//! The formats a schema may name, and how generated code checks each one: the way ajv-formats
//! 3.0.1 checks it in its default ("full") mode, which is what the contract's Ajv oracle runs
//! (`kyc-spec`'s validator ports the same table). The regular expressions are ajv-formats' own,
//! run by `regress` (ECMAScript semantics); the calendar formats are small functions emitted
//! into the generated module.

/// How generated code checks one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A regular expression: source and `regress` flags.
    Regex(&'static str, &'static str),
    /// `date`: `YYYY-MM-DD` with calendar checks.
    Date,
    /// `time` (`strict_zone`) and `iso-time`.
    Time { strict_zone: bool },
    /// `date-time` (`strict_zone`) and `iso-date-time`.
    DateTime { strict_zone: bool },
    /// `uri`: contains `/` or `:`, and matches the `uri` expression.
    Uri,
    /// `regex`: compiles as an ECMAScript regular expression and has no `\Z` anchor.
    EcmaRegex,
    /// `int32`: an integer within `i32`.
    Int32,
    /// Checked by the Rust type alone (`int64` is `i64`; `float`, `double` are `f64`) or not at
    /// all (`password`, `binary`, connectFi's unpublished `dateISO`).
    Nothing,
}

/// The JSON type a format belongs to; Ajv applies a format only to data of its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    String,
    Integer,
    Number,
}

/// One format the generator knows.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    pub name: &'static str,
    pub applies: Applies,
    pub check: Check,
}

/// The formats that are not one regular expression of [`REGEXES`].
const NAMED: &[Format] = &[
    named("date", Applies::String, Check::Date),
    named("time", Applies::String, Check::Time { strict_zone: true }),
    named(
        "iso-time",
        Applies::String,
        Check::Time { strict_zone: false },
    ),
    named(
        "date-time",
        Applies::String,
        Check::DateTime { strict_zone: true },
    ),
    named(
        "iso-date-time",
        Applies::String,
        Check::DateTime { strict_zone: false },
    ),
    named("uri", Applies::String, Check::Uri),
    named("regex", Applies::String, Check::EcmaRegex),
    named("int32", Applies::Integer, Check::Int32),
    named("int64", Applies::Integer, Check::Nothing),
    named("float", Applies::Number, Check::Nothing),
    named("double", Applies::Number, Check::Nothing),
    named("password", Applies::String, Check::Nothing),
    named("binary", Applies::String, Check::Nothing),
    // connectFi's own format (the /akepa schemas use it for dates of birth). Its rules are
    // not published, so generated code keeps the text and checks nothing.
    named("dateISO", Applies::String, Check::Nothing),
];

const fn named(name: &'static str, applies: Applies, check: Check) -> Format {
    Format {
        name,
        applies,
        check,
    }
}

/// Every format the generator knows.
pub fn all() -> impl Iterator<Item = Format> {
    let regexes = REGEXES
        .iter()
        .filter(|(name, _, _)| !NAMED.iter().any(|f| f.name == *name))
        .map(|(name, source, flags)| named(name, Applies::String, Check::Regex(source, flags)));
    NAMED.iter().copied().chain(regexes)
}

/// Looks `name` up; `None` for a format neither ajv-formats nor connectFi defines.
pub fn by_name(name: &str) -> Option<Format> {
    all().find(|f| f.name == name)
}

/// The expression of the `uri` format (used with the `/`-or-`:` precondition).
pub fn uri_regex() -> (&'static str, &'static str) {
    let (_, source, flags) = REGEXES
        .iter()
        .find(|(n, _, _)| *n == "uri")
        .expect("uri is in REGEXES");
    (source, flags)
}

/// ajv-formats' regular expressions, copied verbatim: name, source, flags.
pub const REGEXES: &[(&str, &str, &str)] = &[
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

#[cfg(test)]
mod tests {
    use kyc_spec::ajv::formats::{Format as SpecFormat, FormatType};

    use super::*;

    /// The generator checks a format the way the contract's validator does: the same names,
    /// the same JSON type, the same ajv-formats expression.
    #[test]
    fn the_table_is_kyc_specs() {
        let ours: Vec<&str> = all().map(|f| f.name).collect();
        let theirs: Vec<&str> = SpecFormat::all().map(|f| f.name()).collect();
        let (mut a, mut b) = (ours.clone(), theirs.clone());
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "the formats each side knows");
        for spec in SpecFormat::all() {
            let format = by_name(spec.name()).expect("known to both");
            let regex = match format.check {
                Check::Regex(source, flags) => Some((source, flags)),
                Check::Uri => Some(uri_regex()),
                _ => None,
            };
            assert_eq!(regex, spec.regex(), "{}", format.name);
            let applies = match format.applies {
                Applies::String => FormatType::String,
                Applies::Integer | Applies::Number => FormatType::Number,
            };
            // The validator checks `password` and `binary` nowhere; generated code keeps them
            // as strings, unchecked.
            if let Some(theirs) = spec.applies_to() {
                assert_eq!(applies, theirs, "{}", format.name);
            } else {
                assert_eq!(format.check, Check::Nothing, "{}", format.name);
            }
        }
    }
}
