//! The hand-written schema files, embedded at compile time so that every consumer (the mock,
//! the runner, the generator's freshness check) sees exactly the files in `spec/schema/`.

/// One of the schema documents in `spec/schema/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Document {
    /// `kyc-init.request.schema.json`: body of `POST /customer/kyc/init`.
    Request,
    /// `kyc-init.headers.schema.json`: request headers.
    Headers,
    /// `kyc-init.response.schema.json`: the 200 body.
    Response,
    /// `error.schema.json`: every error body.
    Error,
    /// `webhook.schema.json`: the status-change callback body.
    Webhook,
    /// `common.schema.json`: shared definitions.
    Common,
    /// `cassette.schema.json`: the conformance runner's recording format.
    Cassette,
    /// `kyc-add-attributes.request.schema.json`: body of `POST /customer/kyc/add-attributes`.
    AddAttributesRequest,
    /// `auth-token.request.schema.json`: body of `POST /auth/get-token`.
    AuthTokenRequest,
    /// `auth-token.response.schema.json`: the 200 body of `POST /auth/get-token`.
    AuthTokenResponse,
}

/// The base every `$id` in `spec/schema/` shares. `.example` never resolves, so nothing is
/// ever fetched from it: all references are served from the embedded copies.
pub const ID_BASE: &str = "https://kyc-spec.example/schema/";

impl Document {
    /// Every document, in a fixed order.
    pub const ALL: [Document; 10] = [
        Document::Request,
        Document::Headers,
        Document::Response,
        Document::Error,
        Document::Webhook,
        Document::Common,
        Document::Cassette,
        Document::AddAttributesRequest,
        Document::AuthTokenRequest,
        Document::AuthTokenResponse,
    ];

    /// File name inside `spec/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Document::Request => "kyc-init.request.schema.json",
            Document::Headers => "kyc-init.headers.schema.json",
            Document::Response => "kyc-init.response.schema.json",
            Document::Error => "error.schema.json",
            Document::Webhook => "webhook.schema.json",
            Document::Common => "common.schema.json",
            Document::Cassette => "cassette.schema.json",
            Document::AddAttributesRequest => "kyc-add-attributes.request.schema.json",
            Document::AuthTokenRequest => "auth-token.request.schema.json",
            Document::AuthTokenResponse => "auth-token.response.schema.json",
        }
    }

    /// The document's `$id`.
    pub fn id(self) -> String {
        format!("{ID_BASE}{}", self.file_name())
    }

    /// The document's text as committed.
    pub fn source(self) -> &'static str {
        match self {
            Document::Request => include_str!("../schema/kyc-init.request.schema.json"),
            Document::Headers => include_str!("../schema/kyc-init.headers.schema.json"),
            Document::Response => include_str!("../schema/kyc-init.response.schema.json"),
            Document::Error => include_str!("../schema/error.schema.json"),
            Document::Webhook => include_str!("../schema/webhook.schema.json"),
            Document::Common => include_str!("../schema/common.schema.json"),
            Document::Cassette => include_str!("../schema/cassette.schema.json"),
            Document::AddAttributesRequest => {
                include_str!("../schema/kyc-add-attributes.request.schema.json")
            }
            Document::AuthTokenRequest => include_str!("../schema/auth-token.request.schema.json"),
            Document::AuthTokenResponse => {
                include_str!("../schema/auth-token.response.schema.json")
            }
        }
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
        Document::ALL.into_iter().find(|d| d.file_name() == file)
    }
}
