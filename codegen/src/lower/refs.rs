//! `$ref`s made canonical: every reference becomes `document-name#/pointer`, so lowering never
//! has to remember which document a merged or inlined schema came from.

use serde_json::Value;

use crate::Document;
use crate::error::Error;
use crate::schema::{escape, is_annotation};

/// A document whose `$ref`s have been rewritten to `name#pointer` of the target.
pub(super) struct Doc {
    pub(super) name: String,
    pub(super) value: Value,
}

/// Rewrites every `$ref` to the canonical `document-name#/pointer` form, so lowering never has
/// to remember which document a merged or inlined schema came from.
pub(super) fn canonicalize(documents: &[Document]) -> Result<Vec<Doc>, Error> {
    let mut parsed = Vec::new();
    for doc in documents {
        let value: Value = serde_json::from_str(&doc.text).map_err(|source| Error::Json {
            document: doc.name.clone(),
            source,
        })?;
        let id = value.get("$id").and_then(Value::as_str).map(str::to_owned);
        parsed.push((doc.name.clone(), id, value));
    }
    let index: Vec<(String, Option<String>)> = parsed
        .iter()
        .map(|(n, id, _)| (n.clone(), id.clone()))
        .collect();
    parsed
        .into_iter()
        .map(|(name, id, mut value)| {
            rewrite_refs(
                &mut value,
                &name,
                id.as_deref(),
                &index,
                &format!("{name}#"),
            )?;
            Ok(Doc { name, value })
        })
        .collect()
}

pub(super) fn rewrite_refs(
    value: &mut Value,
    doc: &str,
    base: Option<&str>,
    index: &[(String, Option<String>)],
    pointer: &str,
) -> Result<(), Error> {
    let Value::Object(map) = value else {
        if let Value::Array(list) = value {
            for (i, item) in list.iter_mut().enumerate() {
                rewrite_refs(item, doc, base, index, &format!("{pointer}/{i}"))?;
            }
        }
        return Ok(());
    };
    if let Some(Value::String(reference)) = map.get_mut("$ref") {
        let resolved =
            resolve_reference(reference, doc, base, index).map_err(|why| Error::Unresolved {
                pointer: pointer.to_owned(),
                reference: reference.clone(),
                why,
            })?;
        *reference = resolved;
    }
    if let Some(Value::Object(mapping)) = map
        .get_mut("discriminator")
        .and_then(|d| d.get_mut("mapping"))
    {
        // A value with `#` or `/` is a reference; anything else names a component.
        for (tag, target) in mapping.iter_mut() {
            if let Value::String(target) = target
                && target.contains(['#', '/'])
            {
                let resolved = resolve_reference(target, doc, base, index).map_err(|why| {
                    Error::Unresolved {
                        pointer: format!("{pointer}/discriminator/mapping/{}", escape(tag)),
                        reference: target.clone(),
                        why,
                    }
                })?;
                *target = resolved;
            }
        }
    }
    for (key, child) in map.iter_mut() {
        let at = format!("{pointer}/{}", escape(key));
        // Instances and annotations, not schemas: a `$ref` member in an example is data.
        if matches!(key.as_str(), "const" | "enum") || is_annotation(key) {
            continue;
        }
        // Maps from names to schemas: a name is not a keyword (a property may be `default`).
        let named = matches!(
            key.as_str(),
            "properties" | "patternProperties" | "$defs" | "definitions"
        );
        match child {
            Value::Object(schemas) if named => {
                for (name, schema) in schemas.iter_mut() {
                    rewrite_refs(schema, doc, base, index, &format!("{at}/{}", escape(name)))?;
                }
            }
            _ => rewrite_refs(child, doc, base, index, &at)?,
        }
    }
    Ok(())
}

pub(super) fn resolve_reference(
    reference: &str,
    doc: &str,
    base: Option<&str>,
    index: &[(String, Option<String>)],
) -> Result<String, String> {
    let (uri, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err("only JSON pointer fragments are supported (no anchors)".to_owned());
    }
    let target = if uri.is_empty() {
        doc.to_owned()
    } else {
        let absolute = if uri.contains("://") {
            uri.to_owned()
        } else {
            match base.and_then(|b| b.rsplit_once('/')) {
                Some((dir, _)) => format!("{dir}/{uri}"),
                None => uri.to_owned(),
            }
        };
        let by_id = index
            .iter()
            .find(|(_, id)| id.as_deref() == Some(absolute.as_str()));
        let last = uri.rsplit('/').next().unwrap_or(uri);
        let by_file = || {
            index
                .iter()
                .find(|(name, _)| name.rsplit('/').next() == Some(last))
        };
        match by_id.or_else(by_file) {
            Some((name, _)) => name.clone(),
            None => return Err(format!("no given document has $id {absolute:?}")),
        }
    };
    Ok(format!("{target}#{fragment}"))
}

/// The last reference token of a `$ref`'s pointer, unescaped: a definition's own name.
pub(super) fn last_segment(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    crate::schema::unescape(last)
}

pub(super) fn file_stem(name: &str) -> &str {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.strip_suffix(".schema.json")
        .or_else(|| file.strip_suffix(".json"))
        .unwrap_or(file)
}
