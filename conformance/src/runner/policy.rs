//! What fails a case: the run's policy over the deviations found, and the identity that lets
//! a team accept known differences and watch for new ones.
//!
//! A deviation's fingerprint is a hash of where it is and what kind it is (case, step name,
//! operation, pointer, kind), never of a value: a sandbox that hands out a new id on every
//! run still produces the same fingerprint for the same difference, and the fingerprint
//! survives redaction. `replay --accept FILE` takes a set of fingerprints, like Pact's pending
//! pacts: accepted deviations are shown but do not fail, new ones do, and accepted ones that no
//! longer occur are reported as resolved.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::deviation::{Deviation, Severity};

/// How a run judges its deviations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Additive deviations (`unexpected_field`, `unknown_enum_value`) fail too.
    pub strict: bool,
    /// Fingerprints of known differences, which never fail.
    pub accepted: BTreeSet<String>,
}

impl Policy {
    /// Whether `deviation` fails its case under this policy (ignores its own `mark`).
    pub fn fails(&self, deviation: &Deviation) -> bool {
        if self.accepted.contains(&deviation.mark.fingerprint) {
            return false;
        }
        match deviation.severity {
            Severity::Breaking => true,
            Severity::Additive => self.strict,
            Severity::Info => false,
        }
    }

    /// Stamps `deviation` with its fingerprint and this policy's verdict.
    pub fn mark(&self, deviation: &mut Deviation, case: &str, operation: &str) {
        let step = deviation.step.as_ref().map_or("", |s| s.name.as_str());
        deviation.mark.fingerprint = fingerprint(
            case,
            step,
            operation,
            &deviation.path,
            deviation.kind.as_str(),
        );
        deviation.mark.accepted = self.accepted.contains(&deviation.mark.fingerprint);
        deviation.mark.fails = self.fails(deviation);
    }
}

/// The fingerprint of a deviation: 16 hex digits of SHA-256 over its identity, each part
/// ended by a NUL so that no two identities run together.
pub fn fingerprint(case: &str, step: &str, operation: &str, pointer: &str, kind: &str) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [case, step, operation, pointer, kind] {
        ctx.update(part.as_bytes());
        ctx.update(&[0]);
    }
    let digest = ctx.finish();
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An accept file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// The file could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not one of the accepted shapes.
    #[error("{}: at \"{pointer}\": {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// JSON pointer into the file.
        pointer: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads the fingerprints of an accept file. Three shapes are taken: a replay report (every
/// deviation in it is accepted: "what the sandbox does today is known"), an object
/// `{"accepted": [{"fingerprint": "…", "note"?: "…"}, …]}` a team writes and comments by hand,
/// or a plain array of fingerprints.
pub fn read_accepted(path: &Path) -> Result<BTreeSet<String>, AcceptError> {
    let text = std::fs::read_to_string(path).map_err(|source| AcceptError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |pointer: &str, message: &str| AcceptError::Invalid {
        path: path.to_path_buf(),
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| invalid("", &format!("not JSON: {e}")))?;
    let mut out = BTreeSet::new();
    match &value {
        Value::Object(map) if map.contains_key("cases") => {
            for (pointer, d) in report_deviations(&value) {
                let fp = d
                    .get("fingerprint")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        invalid(
                            &format!("{pointer}/fingerprint"),
                            "a deviation without a fingerprint (a report from an older version: replay again to get one)",
                        )
                    })?;
                out.insert(fp.to_owned());
            }
        }
        Value::Object(map) => {
            let Some(list) = map.get("accepted").and_then(Value::as_array) else {
                return Err(invalid(
                    "",
                    "expected a replay report, {\"accepted\": [...]} or an array of fingerprints",
                ));
            };
            for (i, item) in list.iter().enumerate() {
                let fp = item
                    .as_str()
                    .or_else(|| item.get("fingerprint").and_then(Value::as_str))
                    .ok_or_else(|| {
                        invalid(
                            &format!("/accepted/{i}"),
                            "must be a fingerprint or an object with one",
                        )
                    })?;
                out.insert(checked(fp).map_err(|m| invalid(&format!("/accepted/{i}"), m))?);
            }
        }
        Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                let fp = item
                    .as_str()
                    .ok_or_else(|| invalid(&format!("/{i}"), "must be a fingerprint string"))?;
                out.insert(checked(fp).map_err(|m| invalid(&format!("/{i}"), m))?);
            }
        }
        _ => {
            return Err(invalid(
                "",
                "expected a replay report, {\"accepted\": [...]} or an array of fingerprints",
            ));
        }
    }
    Ok(out)
}

fn checked(fp: &str) -> Result<String, &'static str> {
    if fp.len() == 16 && fp.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(fp.to_ascii_lowercase())
    } else {
        Err("a fingerprint is 16 hex digits")
    }
}

/// Every deviation of a JSON replay report, with its JSON pointer.
pub fn report_deviations(report: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let cases = report.get("cases").and_then(Value::as_array);
    for (c, case) in cases.into_iter().flatten().enumerate() {
        let devs = case.get("deviations").and_then(Value::as_array);
        for (i, d) in devs.into_iter().flatten().enumerate() {
            out.push((format!("/cases/{c}/deviations/{i}"), d));
        }
    }
    out
}

/// Accepted fingerprints that no deviation of this run carried: known differences the target
/// no longer shows.
pub fn resolved<'a>(accepted: &'a BTreeSet<String>, seen: &BTreeSet<&str>) -> Vec<&'a str> {
    accepted
        .iter()
        .map(String::as_str)
        .filter(|fp| !seen.contains(fp))
        .collect()
}

/// One deviation as `diff` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Listed {
    /// Its fingerprint.
    pub fingerprint: String,
    /// The case.
    pub case: String,
    /// The step, for a scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The kind.
    pub kind: String,
    /// The pointer.
    pub path: String,
    /// The message.
    pub message: String,
}

/// Two replay reports compared by fingerprint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// In the new report only.
    pub new: Vec<Listed>,
    /// In the old report only.
    pub resolved: Vec<Listed>,
    /// In both.
    pub unchanged: Vec<Listed>,
}

/// Compares two JSON replay reports; `Err` names the first deviation without a fingerprint.
pub fn diff_reports(old: &Value, new: &Value) -> Result<Drift, String> {
    let old = listed(old)?;
    let new = listed(new)?;
    let old_set: BTreeSet<&str> = old.iter().map(|l| l.fingerprint.as_str()).collect();
    let new_set: BTreeSet<&str> = new.iter().map(|l| l.fingerprint.as_str()).collect();
    let mut drift = Drift::default();
    let mut once = BTreeSet::new();
    for l in &new {
        if !once.insert(("n", l.fingerprint.clone())) {
            continue;
        }
        if old_set.contains(l.fingerprint.as_str()) {
            drift.unchanged.push(l.clone());
        } else {
            drift.new.push(l.clone());
        }
    }
    for l in &old {
        if !new_set.contains(l.fingerprint.as_str()) && once.insert(("o", l.fingerprint.clone())) {
            drift.resolved.push(l.clone());
        }
    }
    Ok(drift)
}

fn listed(report: &Value) -> Result<Vec<Listed>, String> {
    let mut out = Vec::new();
    let cases = report.get("cases").and_then(Value::as_array);
    for (c, case) in cases.into_iter().flatten().enumerate() {
        let name = case.get("name").and_then(Value::as_str).unwrap_or_default();
        let devs = case.get("deviations").and_then(Value::as_array);
        for (i, d) in devs.into_iter().flatten().enumerate() {
            let text = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default();
            let fingerprint = text("fingerprint");
            if fingerprint.is_empty() {
                return Err(format!(
                    "/cases/{c}/deviations/{i} has no fingerprint (a report from an older version: replay again to get one)"
                ));
            }
            out.push(Listed {
                fingerprint: fingerprint.to_owned(),
                case: name.to_owned(),
                step: d
                    .pointer("/step/name")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                kind: text("kind").to_owned(),
                path: text("path").to_owned(),
                message: text("message").to_owned(),
            });
        }
    }
    if report.get("cases").is_none() {
        return Err("not a replay report: no \"cases\"".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_name_identity_not_values() {
        let a = fingerprint("c", "s", "kycInit", "/data/x", "missing_field");
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            fingerprint("c", "s", "kycInit", "/data/x", "missing_field")
        );
        // Parts never run together: moving a character from one part to the next changes it.
        assert_ne!(
            a,
            fingerprint("c", "skycInit", "", "/data/x", "missing_field")
        );
        assert_ne!(
            a,
            fingerprint("c", "s", "kycInit", "/data/y", "missing_field")
        );
        assert_ne!(
            a,
            fingerprint("c", "s", "kycInit", "/data/x", "type_mismatch")
        );
    }

    #[test]
    fn additive_fails_only_when_strict_and_accepted_never() {
        let mut d = Deviation {
            kind: super::super::deviation::Kind::UnexpectedField,
            path: "/x".into(),
            severity: Severity::Additive,
            expected: Value::Null,
            actual: Value::Null,
            message: String::new(),
            step: None,
            mark: Default::default(),
        };
        let lenient = Policy::default();
        lenient.mark(&mut d, "c", "op");
        assert!(!d.mark.fails);
        let strict = Policy {
            strict: true,
            ..Policy::default()
        };
        strict.mark(&mut d, "c", "op");
        assert!(d.mark.fails);
        let accepting = Policy {
            strict: true,
            accepted: [d.mark.fingerprint.clone()].into(),
        };
        accepting.mark(&mut d, "c", "op");
        assert!(d.mark.accepted && !d.mark.fails);
    }
}
