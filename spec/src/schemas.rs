//! The hand-written schema files, embedded at compile time so that every consumer (the mock,
//! the runner, the generator's freshness check) sees exactly the files in `spec/schema/`.

// The enum and its file table are generated from the directory by `cargo xtask codegen`
// (checked fresh in CI), so adding a schema file needs no edit here.
#[rustfmt::skip]
mod files;

pub use files::Document;

/// The base every `$id` in `spec/schema/` shares. `.example` never resolves, so nothing is
/// ever fetched from it: all references are served from the embedded copies.
pub const ID_BASE: &str = "https://kyc-spec.example/schema/";

/// The short names tools have always taken for the deprecated endpoint's documents (`cargo
/// xtask validate request …`, the golden corpus `request.jsonl`).
pub const SHORT_NAMES: [(&str, Document); 4] = [
    ("request", Document::KycInitRequest),
    ("response", Document::KycInitResponse),
    ("error", Document::Error),
    ("webhook", Document::Webhook),
];

impl Document {
    /// The file name without `.schema.json`: `akepa-identification.request`.
    pub fn stem(self) -> &'static str {
        let name = self.file_name();
        name.strip_suffix(".schema.json").unwrap_or(name)
    }

    /// A document by the name tools take: a short name (`request`), its stem
    /// (`akepa-identification.request`), or the stem with `-` for `.` (the golden corpus
    /// `customer-init-request.jsonl`).
    pub fn from_stem(name: &str) -> Option<Document> {
        SHORT_NAMES
            .iter()
            .find(|(short, _)| *short == name)
            .map(|(_, d)| *d)
            .or_else(|| {
                Document::ALL
                    .into_iter()
                    .find(|d| d.stem() == name || d.stem().replace('.', "-") == name)
            })
    }

    /// The document's `$id`.
    pub fn id(self) -> String {
        match self.parsed().get("$id").and_then(serde_json::Value::as_str) {
            Some(id) => id.to_owned(),
            None => format!("{ID_BASE}{}", self.file_name()),
        }
    }

    /// The documents this one `$ref`s into, directly or through them, in the order they are
    /// first referenced (itself excluded). A validator is built with exactly these: the
    /// `jsonschema` crate's reference resolution costs more with every unrelated document it
    /// is handed, and depends on their order (a replay of 10k cases took 0.58 s instead of
    /// 0.38 s when all files were passed in file-name order).
    pub fn referenced(self) -> Vec<Document> {
        let mut out: Vec<Document> = Vec::new();
        let mut i = 0;
        let mut next = Some(self);
        while let Some(doc) = next {
            let mut found = Vec::new();
            collect_refs(doc.parsed(), &mut found);
            for d in found {
                if d != self && !out.contains(&d) {
                    out.push(d);
                }
            }
            next = out.get(i).copied();
            i += 1;
        }
        out
    }

    /// The document parsed, as an owned copy (for callers that rewrite it).
    pub fn json(self) -> serde_json::Value {
        self.parsed().clone()
    }

    /// The document parsed once for the whole process: the one cache every reader of the
    /// schemas shares.
    ///
    /// # Panics
    ///
    /// When an embedded file is not JSON. The crate's tests parse every one, so this means the
    /// binary was built from a broken checkout.
    pub fn parsed(self) -> &'static serde_json::Value {
        static CELLS: [std::sync::OnceLock<serde_json::Value>; Document::ALL.len()] =
            [const { std::sync::OnceLock::new() }; Document::ALL.len()];
        CELLS[self as usize].get_or_init(|| {
            serde_json::from_str(self.source())
                .unwrap_or_else(|e| panic!("embedded {} is not JSON: {e}", self.file_name()))
        })
    }

    /// Looks a document up by file name or `$id`.
    pub fn from_name(name: &str) -> Option<Document> {
        let file = name.strip_prefix(ID_BASE).unwrap_or(name);
        Document::ALL.into_iter().find(|d| {
            // connectFi's fragments keep their own `$id`s (`common-id`), which is what a
            // `$ref` to them names; every other document is named by its file.
            d.file_name() == file
                || d.parsed()
                    .get("$id")
                    .and_then(serde_json::Value::as_str)
                    .and_then(|id| id.strip_prefix(ID_BASE))
                    == Some(file)
        })
    }
}

/// Every embedded document a `$ref` in `schema` names by file, in document order.
fn collect_refs(schema: &serde_json::Value, out: &mut Vec<Document>) {
    match schema {
        serde_json::Value::Object(obj) => {
            if let Some(serde_json::Value::String(r)) = obj.get("$ref") {
                let file = r.split('#').next().unwrap_or_default();
                out.extend(Document::from_name(file));
            }
            obj.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
