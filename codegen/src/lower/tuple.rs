//! Tuples: array `items` (draft-07) or `prefixItems` (2020-12).

use serde_json::Value;

use crate::error::Error;
use crate::ir::{Tuple, Ty, TypeId};
use crate::schema::Schema;

use super::lowerer::Lowerer;
use super::shape::wrap_nullable;

impl Lowerer<'_> {
    /// `items: [..]` (draft-07, with `additionalItems`) or `prefixItems` (2020-12, with
    /// `items`), bounded by `minItems`/`maxItems`.
    pub(super) fn lower_tuple(&mut self, schema: &Schema<'_>, id: TypeId) -> Result<Tuple, Error> {
        let (prefix, rest, prefix_key) = match (schema.items, schema.prefix_items) {
            (Some(Value::Array(items)), None) => (items, schema.additional_items, "items"),
            (items, Some(Value::Array(prefix))) if !matches!(items, Some(Value::Array(_))) => {
                (prefix, items, "prefixItems")
            }
            _ => {
                return Err(Error::unsupported(
                    &schema.pointer,
                    "a tuple needs either `items` as an array or `prefixItems`, not both",
                ));
            }
        };
        let c = &schema.checks;
        if c.unique_items
            || c.has_string_checks()
            || c.has_number_checks()
            || c.has_object_checks()
            || c.format.is_some()
        {
            return Err(Error::unsupported(
                &schema.pointer,
                "a tuple takes only `minItems` and `maxItems` as constraints",
            ));
        }
        let name = self.name(id);
        let mut items = Vec::new();
        for (i, item) in prefix.iter().enumerate() {
            let item = Schema::parse(item, schema.child(&[prefix_key, &i.to_string()]))?;
            let nullable = self.is_nullable(&item)?;
            let ty = self.lower_ty(&item, &format!("{name}Item{i}"), id)?;
            items.push(wrap_nullable(ty, nullable));
        }
        let rest_key = if prefix_key == "items" {
            "additionalItems"
        } else {
            "items"
        };
        let rest = match rest {
            None | Some(Value::Bool(true)) => Some(Ty::Json),
            Some(Value::Bool(false)) => None,
            Some(value) => {
                let item = Schema::parse(value, schema.child(&[rest_key]))?;
                let nullable = self.is_nullable(&item)?;
                let ty = self.lower_ty(&item, &format!("{name}Rest"), id)?;
                Some(wrap_nullable(ty, nullable))
            }
        };
        let min = usize::try_from(c.min_items.unwrap_or(0)).unwrap_or(usize::MAX);
        let n = items.len();
        let refuse = |why: &str| Err(Error::unsupported(&schema.pointer, why));
        if rest.is_some() {
            if c.max_items.is_some_and(|m| m as usize != n) || min > n {
                return refuse(
                    "a tuple with further items takes `minItems`/`maxItems` only equal to its length",
                );
            }
            if min < n && c.max_items.is_none() {
                return refuse(
                    "a tuple with further items needs `minItems` equal to its length (optional items would have no fixed position)",
                );
            }
            let rest = if c.max_items.is_some() { None } else { rest };
            return Ok(Tuple {
                items,
                required: n,
                rest,
            });
        }
        if c.max_items.is_some_and(|m| (m as usize) < n) || min > n {
            return refuse("`minItems`/`maxItems` must lie within the tuple's length");
        }
        Ok(Tuple {
            items,
            required: min,
            rest: None,
        })
    }
}
