//! Rust names from JSON names: PascalCase types and variants, snake_case fields, and the names
//! the generated module reserves for itself.

/// Names the generated module defines or relies on; a schema may not take them.
pub const RESERVED: &[&str] = &[
    "Tristate",
    "UnknownValue",
    "UnknownObject",
    "UnknownJson",
    "ConstraintError",
    "Violation",
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "JsonSchema",
    "Self",
];

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Splits `webhookURL`, `DRIVING LICENSE`, `x-connectfi-token`, `addressLine1` into words.
fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_uppercase() && p.is_lowercase() => true,
            Some(p) if c.is_uppercase() && p.is_uppercase() => next.is_some_and(char::is_lowercase),
            Some(p) if c.is_alphabetic() && p.is_numeric() => true,
            _ => false,
        };
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `kyc-init.request` → `KycInitRequest`, `ID_CARD` → `IdCard`.
pub fn pascal(text: &str) -> String {
    words(text)
        .iter()
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + &chars.as_str().to_lowercase()
        })
        .collect()
}

/// `addressLine1` → `address_line1`, `content-type` → `content_type`.
pub fn snake(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Whether `name` can be a Rust identifier as written (ASCII, not starting with a digit).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `name` needs the `r#` prefix.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_json_names_into_rust_names() {
        assert_eq!(pascal("webhookURL"), "WebhookUrl");
        assert_eq!(pascal("DRIVING LICENSE"), "DrivingLicense");
        assert_eq!(pascal("RE-ISSUE"), "ReIssue");
        assert_eq!(pascal("kyc-init.request"), "KycInitRequest");
        assert_eq!(pascal("KycStatus"), "KycStatus");
        assert_eq!(pascal("URLParser"), "UrlParser");
        assert_eq!(snake("addressLine1"), "address_line1");
        assert_eq!(snake("countryCodeA3"), "country_code_a3");
        assert_eq!(snake("productID"), "product_id");
        assert_eq!(snake("x-connectfi-token"), "x_connectfi_token");
        assert!(!is_identifier("0"));
        assert!(is_keyword("type"));
    }
}
