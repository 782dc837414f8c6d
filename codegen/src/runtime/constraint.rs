// The error of every checked newtype: which type and which constraint. The variants after
// `OutOfRange` are emitted only into modules with a type that can fail that way (see
// `runtime::constraint_error`), so modules without those constraints do not grow.

/// A value that breaks a schema constraint of the named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintError {
    type_name: &'static str,
    violation: Violation,
}

impl ConstraintError {
    fn new(type_name: &'static str, violation: Violation) -> Self {
        Self {
            type_name,
            violation,
        }
    }

    /// The generated type whose constraint failed.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// Which constraint failed.
    pub fn violation(&self) -> &Violation {
        &self.violation
    }
}

/// The constraint a value breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// Fewer characters (code points) than `minLength`.
    TooShort { min: usize, actual: usize },
    /// More characters (code points) than `maxLength`.
    TooLong { max: usize, actual: usize },
    /// No match for the ECMA-262 `pattern`.
    PatternMismatch { pattern: &'static str },
    /// Fewer items than `minItems`.
    TooFewItems { min: usize, actual: usize },
    /// More items than `maxItems`.
    TooManyItems { max: usize, actual: usize },
    /// Outside `minimum`/`maximum`; `expected` reads like `>= 0`.
    OutOfRange { expected: &'static str },
    /// Only white space, where connectFi's `isNotOnlyWhitespace` wants a character.
    OnlyWhitespace,
    /// Not valid in the `format`, as ajv-formats checks it.
    FormatMismatch { format: &'static str },
    /// Two equal items under `uniqueItems` (their positions).
    DuplicateItems { first: usize, second: usize },
    /// Fewer members than `minProperties`.
    TooFewMembers { min: usize, actual: usize },
    /// More members than `maxProperties`.
    TooManyMembers { max: usize, actual: usize },
    /// A member name given as matching that no `patternProperties` pattern matches.
    NameMismatch { key: String },
    /// A member name given as not matching that a `patternProperties` pattern matches.
    NameMatches { key: String },
}

impl std::fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.type_name;
        match &self.violation {
            Violation::TooShort { min, actual } => {
                write!(f, "{name}: {actual} characters, at least {min} required")
            }
            Violation::TooLong { max, actual } => {
                write!(f, "{name}: {actual} characters, at most {max} allowed")
            }
            Violation::PatternMismatch { pattern } => {
                write!(f, "{name}: does not match the pattern {pattern}")
            }
            Violation::TooFewItems { min, actual } => {
                write!(f, "{name}: {actual} items, at least {min} required")
            }
            Violation::TooManyItems { max, actual } => {
                write!(f, "{name}: {actual} items, at most {max} allowed")
            }
            Violation::OutOfRange { expected } => {
                write!(f, "{name}: out of range, expected {expected}")
            }
            Violation::OnlyWhitespace => write!(
                f,
                "{name}: only whitespace, where isNotOnlyWhitespace wants a character"
            ),
            Violation::FormatMismatch { format } => write!(f, "{name}: not a valid {format}"),
            Violation::DuplicateItems { first, second } => write!(
                f,
                "{name}: items {first} and {second} are equal, all must be unique"
            ),
            Violation::TooFewMembers { min, actual } => {
                write!(f, "{name}: {actual} members, at least {min} required")
            }
            Violation::TooManyMembers { max, actual } => {
                write!(f, "{name}: {actual} members, at most {max} allowed")
            }
            Violation::NameMismatch { key } => write!(
                f,
                "{name}: member name {key:?} matches no `patternProperties` pattern"
            ),
            Violation::NameMatches { key } => write!(
                f,
                "{name}: member name {key:?} matches a `patternProperties` pattern"
            ),
        }
    }
}

impl std::error::Error for ConstraintError {}

#[cfg(test)]
mod constraint_tests {
    use super::*;

    #[test]
    fn the_message_names_the_type_and_the_constraint() {
        let error = ConstraintError::new("Name", Violation::TooLong { max: 3, actual: 5 });
        assert_eq!(error.to_string(), "Name: 5 characters, at most 3 allowed");
        assert_eq!(error.type_name(), "Name");
        let error = ConstraintError::new(
            "Tags",
            Violation::DuplicateItems {
                first: 0,
                second: 2,
            },
        );
        assert_eq!(
            error.to_string(),
            "Tags: items 0 and 2 are equal, all must be unique"
        );
    }
}
