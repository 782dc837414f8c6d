//! Checked newtypes: a plain type with constraints (`pattern`, bounds, `format`...) that the
//! generator can check, or a secret string.

use crate::error::Error;
use crate::formats::{self, Applies, Check};
use crate::ir::{Newtype, Ty, TypeId};
use crate::schema::Schema;

use super::lowerer::Lowerer;

impl Lowerer<'_> {
    pub(super) fn lower_newtype(
        &mut self,
        schema: &Schema<'_>,
        id: TypeId,
    ) -> Result<Newtype, Error> {
        let checks = &schema.checks;
        let wrong = |what: &str| {
            Err(Error::unsupported(
                &schema.pointer,
                format!("{what} constraints need a single matching `type`"),
            ))
        };
        let format = match &checks.format {
            None => None,
            Some(name) => Some(formats::by_name(name).ok_or_else(|| {
                Error::unsupported(
                    &schema.child(&["format"]),
                    format!(
                        "format {name:?} is neither an ajv-formats format nor connectFi's `dateISO`"
                    ),
                )
            })?),
        };
        let applies = |kind: Applies| format.is_none_or(|f| f.applies == kind);
        if let Some(f) = format {
            let fits = match schema.types.as_slice() {
                ["string"] => f.applies == Applies::String,
                ["integer"] => f.applies == Applies::Integer,
                _ => false,
            };
            if !fits {
                return Err(Error::unsupported(
                    &schema.child(&["format"]),
                    format!(
                        "format {:?} applies to {} values, not to this schema's `type`",
                        f.name,
                        match f.applies {
                            Applies::String => "string",
                            Applies::Integer => "integer",
                            Applies::Number => "number",
                        }
                    ),
                ));
            }
            if let Check::EcmaRegex | Check::Regex(..) | Check::Uri = f.check {
                let (source, flags) = match f.check {
                    Check::Regex(source, flags) => (source, flags),
                    Check::Uri => formats::uri_regex(),
                    _ => ("", ""),
                };
                regress::Regex::with_flags(source, flags)
                    .expect("ajv-formats' expressions are ECMA-262");
            }
        }
        if checks.has_object_checks() && !matches!(schema.types.as_slice(), ["object"]) {
            return wrong("`minProperties`/`maxProperties`");
        }
        let inner = match schema.types.as_slice() {
            ["string"]
                if !checks.has_array_checks()
                    && !checks.has_number_checks()
                    && !checks.has_object_checks()
                    && applies(Applies::String) =>
            {
                if let Some(pattern) = &checks.pattern {
                    regress::Regex::with_flags(pattern, "u").map_err(|e| {
                        Error::unsupported(
                            &schema.child(&["pattern"]),
                            format!("not an ECMA-262 regular expression: {e}"),
                        )
                    })?;
                }
                Ty::String
            }
            ["array"]
                if !checks.has_string_checks()
                    && !checks.has_number_checks()
                    && !checks.has_object_checks()
                    && format.is_none() =>
            {
                let name = self.name(id);
                Ty::Vec(Box::new(self.lower_items(schema, &name, id)?))
            }
            ["object"]
                if !checks.has_string_checks()
                    && !checks.has_number_checks()
                    && !checks.has_array_checks()
                    && format.is_none() =>
            {
                let name = self.name(id);
                self.lower_plain(schema, &name, id)?
            }
            ["integer"]
                if !checks.has_string_checks()
                    && !checks.has_array_checks()
                    && !checks.has_object_checks()
                    && applies(Applies::Integer) =>
            {
                let bounds: Vec<&serde_json::Number> = [
                    &checks.minimum,
                    &checks.maximum,
                    &checks.exclusive_minimum,
                    &checks.exclusive_maximum,
                ]
                .into_iter()
                .flatten()
                .collect();
                if bounds.iter().all(|b| b.as_i64().is_some()) {
                    Ty::Integer
                } else {
                    // Bounds beyond `i64::MAX` need `u64`, which only fits a range that starts
                    // at zero or above.
                    let lower = checks
                        .minimum
                        .as_ref()
                        .or(checks.exclusive_minimum.as_ref());
                    if bounds.iter().all(|b| b.as_u64().is_some())
                        && lower.is_some()
                        && format.is_none()
                    {
                        Ty::Unsigned
                    } else {
                        return Err(Error::unsupported(
                            &schema.pointer,
                            "integer bounds must be integers within i64, or within u64 with a non-negative minimum",
                        ));
                    }
                }
            }
            ["number"]
                if !checks.has_string_checks()
                    && !checks.has_array_checks()
                    && !checks.has_object_checks()
                    && format.is_none() =>
            {
                Ty::Number
            }
            [_] => return wrong("these"),
            _ => return wrong("value"),
        };
        let mut constraint_docs = Vec::new();
        super::docs::constraint_docs(schema, &mut constraint_docs);
        Ok(Newtype {
            inner,
            checks: checks.clone(),
            constraint_docs,
            // `format: password` says what `x-secret` says: keep it out of logs.
            secret: schema.docs.secret || format.is_some_and(|f| f.name == "password"),
        })
    }
}
