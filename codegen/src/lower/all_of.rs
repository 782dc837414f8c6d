//! `allOf`: the branches (following `$ref`s) merged with the node's own keywords into one schema.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::schema::{Schema, is_annotation};

use super::lowerer::Lowerer;
use super::shape::check_ref_siblings;

impl Lowerer<'_> {
    /// Merges `allOf` branches (following `$ref`s) with the node's own keywords into one schema.
    pub(super) fn merge_all_of(&self, schema: &Schema<'_>) -> Result<Value, Error> {
        let mut merged = schema.raw.clone();
        merged.remove("allOf");
        for (i, branch) in schema.all_of.iter().enumerate() {
            let pointer = schema.child(&["allOf", &i.to_string()]);
            let mut branch = Schema::parse(branch, pointer.clone())?;
            if let Some(reference) = branch.reference {
                check_ref_siblings(&branch)?;
                branch = self.deref(Schema::parse(
                    self.lookup(reference)?,
                    reference.to_owned(),
                )?)?;
            }
            let value = if branch.all_of.is_empty() {
                branch.raw.clone()
            } else {
                match self.merge_all_of(&branch)? {
                    Value::Object(map) => map,
                    _ => Map::new(),
                }
            };
            merge_into(&mut merged, value, &pointer)?;
        }
        Ok(Value::Object(merged))
    }
}

pub(super) fn merge_into(
    merged: &mut Map<String, Value>,
    branch: Map<String, Value>,
    pointer: &str,
) -> Result<(), Error> {
    for (key, value) in branch {
        if is_annotation(&key) && key != "deprecated" {
            merged.entry(key).or_insert(value);
            continue;
        }
        match (key.as_str(), merged.get_mut(&key)) {
            (_, None) => {
                merged.insert(key, value);
            }
            ("properties", Some(Value::Object(existing))) => {
                let Value::Object(new) = value else {
                    return Err(Error::unsupported(
                        pointer,
                        "`properties` must be an object",
                    ));
                };
                for (name, schema) in new {
                    match existing.get(&name) {
                        Some(old) if *old != schema => {
                            return Err(Error::unsupported(
                                pointer,
                                format!("allOf branches give property {name:?} different schemas"),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            existing.insert(name, schema);
                        }
                    }
                }
            }
            ("required", Some(Value::Array(existing))) => {
                if let Value::Array(new) = value {
                    for name in new {
                        if !existing.contains(&name) {
                            existing.push(name);
                        }
                    }
                }
            }
            (_, Some(old)) if *old == value => {}
            (_, Some(_)) => {
                return Err(Error::unsupported(
                    pointer,
                    format!("allOf branches disagree on `{key}`"),
                ));
            }
        }
    }
    Ok(())
}
