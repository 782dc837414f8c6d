//! The sandbox triggers of customers created with `POST /customer/init`: the one place that
//! says which first and last names choose what a created customer's KYC asks for and how it
//! ends (DECISIONS.md D31). `mock/MOCK.md` lists the same table for people, with the built-in
//! customer each combination reproduces.
//!
//! `lastName: "WaitReview"` is connectFi's documented sandbox trigger; the other names are the
//! mock's own. A name that is no trigger chooses the default, so ordinary customers behave like
//! John Testman, the customer of connectFi's own example.

use super::kyc::{AttributeCode, DocumentSide, DocumentSpec, DocumentType, KycStatus};

/// What a KYC process asks for before it can move on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wants {
    /// The document slots, in order: kind and side.
    pub documents: &'static [(DocumentType, Option<DocumentSide>)],
    /// The attribute groups to send with add-attributes.
    pub attributes: &'static [AttributeCode],
}

const LICENSE: &[(DocumentType, Option<DocumentSide>)] = &[
    (DocumentType::License, Some(DocumentSide::Front)),
    (DocumentType::License, Some(DocumentSide::Back)),
];
const CARD: &[AttributeCode] = &[AttributeCode::CardAttributes];

/// Without a first-name trigger: both sides of a driver's licence and the card attributes.
pub(crate) const DEFAULT_WANTS: Wants = Wants {
    documents: LICENSE,
    attributes: CARD,
};

/// First names that choose what the KYC asks for.
pub(crate) const FIRST_NAMES: &[(&str, Wants)] = &[
    (
        "LicenseOnly",
        Wants {
            documents: LICENSE,
            attributes: &[],
        },
    ),
    (
        "PassportUtility",
        Wants {
            documents: &[
                (DocumentType::Passport, None),
                (DocumentType::Utility, None),
            ],
            attributes: &[],
        },
    ),
    (
        "IdCardContract",
        Wants {
            documents: &[(DocumentType::IdCard, None), (DocumentType::Contract, None)],
            attributes: &[],
        },
    ),
    (
        "CardOnly",
        Wants {
            documents: &[],
            attributes: CARD,
        },
    ),
    (
        "NothingNeeded",
        Wants {
            documents: &[],
            attributes: &[],
        },
    ),
];

/// Without a last-name trigger: PENDING, then APPROVED.
pub(crate) const DEFAULT_PATH: &[KycStatus] = &[KycStatus::Pending, KycStatus::Approved];

/// Last names that choose the statuses walked once every document and attribute is in.
pub(crate) const LAST_NAMES: &[(&str, &[KycStatus])] = {
    use KycStatus::{Approved, Declined, Pending, Review};
    &[
        // connectFi's documented trigger: manual review, which never ends on its own.
        ("WaitReview", &[Review]),
        ("PendingThenDeclined", &[Pending, Declined]),
        ("ReviewThenApproved", &[Review, Approved]),
        ("ReviewThenDeclined", &[Review, Declined]),
        ("PendingReviewApproved", &[Pending, Review, Approved]),
        ("PendingReviewDeclined", &[Pending, Review, Declined]),
        ("ApprovedAtOnce", &[Approved]),
        ("DeclinedAtOnce", &[Declined]),
    ]
};

/// Every trigger name, first names then last names: invented words, which is how the
/// cassette lint tells them from personal data.
pub fn names() -> impl Iterator<Item = &'static str> {
    FIRST_NAMES
        .iter()
        .map(|(name, _)| *name)
        .chain(LAST_NAMES.iter().map(|(name, _)| *name))
}

/// The KYC a created customer gets, from the names of the people on it (an individual: one; a
/// business: its representatives in order). Each table is searched for the first name that is
/// a trigger, independently, so one representative may carry the first-name trigger and
/// another the last-name trigger.
pub(crate) fn choose<'a>(
    first_names: impl IntoIterator<Item = &'a str>,
    last_names: impl IntoIterator<Item = &'a str>,
) -> (Vec<DocumentSpec>, Vec<AttributeCode>, Vec<KycStatus>) {
    let wants = first_names
        .into_iter()
        .find_map(|name| lookup(FIRST_NAMES, name))
        .unwrap_or(DEFAULT_WANTS);
    let path = last_names
        .into_iter()
        .find_map(|name| lookup(LAST_NAMES, name))
        .unwrap_or(DEFAULT_PATH);
    let documents = wants
        .documents
        .iter()
        .map(|(kind, side)| DocumentSpec {
            id: None,
            kind: *kind,
            document_side: *side,
            label: None,
        })
        .collect();
    (documents, wants.attributes.to_vec(), path.to_vec())
}

fn lookup<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    table.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_paths_end_where_the_state_machine_allows() {
        for (i, (name, _)) in FIRST_NAMES.iter().enumerate() {
            assert!(!FIRST_NAMES[..i].iter().any(|(n, _)| n == name), "{name}");
        }
        for (i, (name, path)) in LAST_NAMES.iter().enumerate() {
            assert!(!LAST_NAMES[..i].iter().any(|(n, _)| n == name), "{name}");
            assert!(!path.is_empty() && !path.contains(&KycStatus::WaitingData));
            let finals = path.iter().filter(|s| s.is_final()).count();
            assert!(finals <= 1 && (finals == 0 || path.last().is_some_and(|s| s.is_final())));
        }
    }

    #[test]
    fn the_first_trigger_of_each_kind_wins_and_others_fall_back_to_the_default() {
        let (docs, attrs, path) = choose(
            ["Ann", "CardOnly"],
            ["Smith", "WaitReview", "ApprovedAtOnce"],
        );
        assert!(docs.is_empty());
        assert_eq!(attrs, [AttributeCode::CardAttributes]);
        assert_eq!(path, [KycStatus::Review]);
        let (docs, attrs, path) = choose(["Janice"], ["Sample"]);
        assert_eq!(docs.len(), 2);
        assert_eq!(attrs, DEFAULT_WANTS.attributes);
        assert_eq!(path, DEFAULT_PATH);
    }
}
