//! Typed accessors on `format` newtypes ([`Options::typed_access`]): methods that parse the
//! kept text with a well-kept crate each time they are called. The newtype keeps holding the
//! text as received; nothing here changes what is read, compared or written.
//!
//! Which type each format gets, and why (`spec/DECISIONS.md` D25):
//!
//! - `date-time` (an offset is always written): `to_jiff()` is the instant (`jiff::Timestamp`),
//!   `to_jiff_zoned()` the same instant in a fixed-offset zone, which keeps the wall clock and
//!   offset as written (`jiff::ZonedDateTime`).
//! - `iso-date-time`, `time`, `iso-time` (an offset may be missing, and a time of day with an
//!   offset is no instant): `to_jiff()` is the civil value as written (`civil::DateTime`,
//!   `civil::Time`), `to_jiff_offset()` the offset (`Option` where the format allows none).
//! - `date`: `civil::Date`; `duration`: `jiff::Span` (its units as written, not balanced).
//! - `uuid`: `uuid::Uuid`; `ipv4`, `ipv6`: `std::net` addresses. These cannot fail: every
//!   value the format check admits is one the parser reads.
//! - `uri`, `url`: `url::Url` (WHATWG parsing, which normalizes and can refuse an RFC 3986 URI).
//! - Nothing for formats without a value type worth a dependency (`email`, `hostname`,
//!   `regex`, the pointers, `byte`) or without a base to resolve against (`uri-reference`).
//!
//! [`Options::typed_access`]: crate::Options::typed_access

use proc_macro2::TokenStream;
use quote::quote;

use crate::{Crate, Options};

/// Which module-level helpers the accessors need.
#[derive(Default)]
pub struct Needs {
    jiff_date_time: bool,
    jiff_time: bool,
}

/// The `#[cfg(feature = "...")]` for `krate`'s items, or nothing.
fn gate(krate: Crate, options: &Options) -> TokenStream {
    if options.feature_gates && krate != Crate::Std {
        let feature = krate.name();
        quote!(#[cfg(feature = #feature)])
    } else {
        TokenStream::new()
    }
}

/// The accessor `impl` block for a newtype `name` over the text of `format`, or nothing.
pub fn accessors(
    name: &proc_macro2::Ident,
    format: &str,
    options: &Options,
    needs: &mut Needs,
) -> TokenStream {
    let mut own = Needs::default();
    let Some((krate, methods)) = methods(format, &mut own) else {
        return TokenStream::new();
    };
    if !options.typed_access.contains(&krate) {
        return TokenStream::new();
    }
    needs.jiff_date_time |= own.jiff_date_time;
    needs.jiff_time |= own.jiff_time;
    let gate = gate(krate, options);
    quote! {
        #gate
        impl #name {
            #methods
        }
    }
}

/// The crate and methods for `format`; marks the helpers they call.
fn methods(format: &str, needs: &mut Needs) -> Option<(Crate, TokenStream)> {
    const KEPT: &str = " Parsed on each call; [`as_str`](Self::as_str) stays the text as received.";
    let methods = match format {
        "date-time" => {
            needs.jiff_date_time = true;
            quote! {
                /// The instant, read by jiff.
                #[doc = #KEPT]
                ///
                /// Fails only where jiff is narrower than the format: more than nine fractional
                /// digits, or a year-9999 instant past `jiff::Timestamp::MAX`. A leap second
                /// (`23:59:60Z`) reads as `23:59:59`.
                pub fn to_jiff(&self) -> Result<jiff::Timestamp, jiff::Error> {
                    let (datetime, offset) = jiff_date_time(&self.0)?;
                    // A `date-time` always has an offset; `Z` and `-00:00` are UTC.
                    offset.unwrap_or(jiff::tz::Offset::UTC).to_timestamp(datetime)
                }

                /// The instant in a fixed-offset zone: the date, time of day and offset as
                /// written (`+02:00` stays `+02:00`). Fails as [`to_jiff`](Self::to_jiff) does.
                pub fn to_jiff_zoned(&self) -> Result<jiff::ZonedDateTime, jiff::Error> {
                    let (datetime, offset) = jiff_date_time(&self.0)?;
                    let offset = offset.unwrap_or(jiff::tz::Offset::UTC);
                    Ok(offset.to_timestamp(datetime)?.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset)))
                }
            }
        }
        "iso-date-time" => {
            needs.jiff_date_time = true;
            quote! {
                /// The date and time of day as written, without the offset (which an
                /// `iso-date-time` may lack: see [`to_jiff_offset`](Self::to_jiff_offset)).
                #[doc = #KEPT]
                ///
                /// Fails only on more than nine fractional digits. A leap second reads as `:59`.
                pub fn to_jiff(&self) -> Result<jiff::civil::DateTime, jiff::Error> {
                    Ok(jiff_date_time(&self.0)?.0)
                }

                /// The offset as written (`Z` and `-00:00` are UTC), `None` if there is none.
                /// Fails as [`to_jiff`](Self::to_jiff) does.
                pub fn to_jiff_offset(&self) -> Result<Option<jiff::tz::Offset>, jiff::Error> {
                    Ok(jiff_date_time(&self.0)?.1)
                }
            }
        }
        "time" | "iso-time" => {
            needs.jiff_date_time = true;
            needs.jiff_time = true;
            let offset = if format == "time" {
                quote! {
                    /// The offset as written (`Z` and `-00:00` are UTC). Fails as
                    /// [`to_jiff`](Self::to_jiff) does.
                    pub fn to_jiff_offset(&self) -> Result<jiff::tz::Offset, jiff::Error> {
                        // A `time` always has an offset.
                        Ok(jiff_time(&self.0)?.1.unwrap_or(jiff::tz::Offset::UTC))
                    }
                }
            } else {
                quote! {
                    /// The offset as written (`Z` and `-00:00` are UTC), `None` if there is
                    /// none. Fails as [`to_jiff`](Self::to_jiff) does.
                    pub fn to_jiff_offset(&self) -> Result<Option<jiff::tz::Offset>, jiff::Error> {
                        Ok(jiff_time(&self.0)?.1)
                    }
                }
            };
            quote! {
                /// The time of day as written, without the offset (a time with an offset is no
                /// instant: see [`to_jiff_offset`](Self::to_jiff_offset)).
                #[doc = #KEPT]
                ///
                /// Fails only on more than nine fractional digits. A leap second reads as `:59`.
                pub fn to_jiff(&self) -> Result<jiff::civil::Time, jiff::Error> {
                    Ok(jiff_time(&self.0)?.0)
                }

                #offset
            }
        }
        "date" => quote! {
            /// The calendar date, read by jiff.
            #[doc = #KEPT]
            pub fn to_jiff(&self) -> jiff::civil::Date {
                self.0.parse().expect("a checked `date` is a date jiff reads")
            }
        },
        "duration" => quote! {
            /// The duration with its units as written (`PT36H` stays 36 hours), read by jiff.
            #[doc = #KEPT]
            ///
            /// Fails only where a unit is beyond jiff's range (e.g. more than 19,998 years).
            pub fn to_jiff(&self) -> Result<jiff::Span, jiff::Error> {
                self.0.parse()
            }
        },
        "uuid" => {
            return Some((
                Crate::Uuid,
                quote! {
                    /// The UUID (an `urn:uuid:` prefix, in either case, is not part of it).
                    #[doc = #KEPT]
                    pub fn to_uuid(&self) -> uuid::Uuid {
                        // Checked: ASCII, ending in the 36 hyphenated hex digits.
                        let hex = &self.0[self.0.len() - 36..];
                        uuid::Uuid::parse_str(hex).expect("a checked `uuid` ends in a hyphenated UUID")
                    }
                },
            ));
        }
        "ipv4" => {
            return Some((
                Crate::Std,
                quote! {
                    /// The address.
                    #[doc = #KEPT]
                    pub fn to_ipv4(&self) -> std::net::Ipv4Addr {
                        self.0.parse().expect("a checked `ipv4` is an address std reads")
                    }
                },
            ));
        }
        "ipv6" => {
            return Some((
                Crate::Std,
                quote! {
                    /// The address (`Display` writes it canonically: `::0:1` as `::1`).
                    #[doc = #KEPT]
                    pub fn to_ipv6(&self) -> std::net::Ipv6Addr {
                        self.0.parse().expect("a checked `ipv6` is an address std reads")
                    }
                },
            ));
        }
        "uri" | "url" => {
            return Some((
                Crate::Url,
                quote! {
                    /// The URL as the `url` crate parses it (WHATWG rules: the scheme and host
                    /// are lower-cased, an empty path becomes `/`, hosts go to punycode).
                    #[doc = #KEPT]
                    ///
                    /// Fails where WHATWG parsing refuses what the format admits (e.g. an
                    /// invalid internationalized host).
                    pub fn to_url(&self) -> Result<url::Url, url::ParseError> {
                        url::Url::parse(&self.0)
                    }
                },
            ));
        }
        _ => return None,
    };
    Some((Crate::Jiff, methods))
}

/// The module-level helpers the accessors call.
pub fn helpers(needs: &Needs, options: &Options) -> TokenStream {
    let mut out = TokenStream::new();
    let gate = gate(Crate::Jiff, options);
    if needs.jiff_date_time {
        out.extend(quote! {
            /// A checked `date-time` or `iso-date-time` read by jiff's Temporal parser: the civil
            /// date and time, and the offset if one is written. The date is the first ten bytes;
            /// the separator ajv-formats allows after it (`T`, `t` or any white space) becomes
            /// the `T` jiff expects.
            #gate
            fn jiff_date_time(
                text: &str,
            ) -> Result<(jiff::civil::DateTime, Option<jiff::tz::Offset>), jiff::Error> {
                let (date, rest) = text.split_at(10);
                let separator = rest.chars().next().map_or(0, char::len_utf8);
                let time = &rest[separator..];
                let text = format!("{date}T{time}");
                let pieces = jiff::fmt::temporal::Pieces::parse(&text)?;
                let time = pieces.time().unwrap_or_default();
                Ok((pieces.date().to_datetime(time), pieces.to_numeric_offset()))
            }
        });
    }
    if needs.jiff_time {
        out.extend(quote! {
            /// A checked `time` or `iso-time` read by jiff: the time of day, and the offset if
            /// one is written.
            #gate
            fn jiff_time(
                text: &str,
            ) -> Result<(jiff::civil::Time, Option<jiff::tz::Offset>), jiff::Error> {
                let (datetime, offset) = jiff_date_time(&format!("1970-01-01T{text}"))?;
                Ok((datetime.time(), offset))
            }
        });
    }
    out
}
