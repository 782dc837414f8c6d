//! Conversions between the two spellings of a connectFi id that the schemas keep apart.
//!
//! `CustomerId` (the customer API's and the deprecated KYC endpoints' id) allows `-`;
//! `CommonId` (connectFi's `common-id`, which the akepa endpoints take, also as `AkepaId`)
//! does not. Their validity differs, so they stay two types; every `CommonId` is a valid
//! `CustomerId`, and a `CustomerId` is a `CommonId` when it has no `-`.

use crate::generated::{CommonId, ConstraintError, CustomerId};

impl From<CommonId> for CustomerId {
    fn from(id: CommonId) -> Self {
        CustomerId::new(id.into_inner())
            .expect("common-id's letters, digits and `_` are a customer id's too")
    }
}

impl TryFrom<CustomerId> for CommonId {
    type Error = ConstraintError;

    /// Fails for the hyphen spelling (`csta-…`), which the akepa endpoints refuse.
    fn try_from(id: CustomerId) -> Result<Self, Self::Error> {
        CommonId::new(id.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_id_goes_to_the_akepa_endpoints_unless_it_has_a_hyphen() {
        let underscore = CustomerId::new("csta_6clNH3W2pBehujY8mpTCU8").expect("valid");
        let common = CommonId::try_from(underscore.clone()).expect("no hyphen");
        assert_eq!(CustomerId::from(common), underscore);
        let hyphen = CustomerId::new("csta-6TqoA6HtSItCANO1KT0W7u").expect("valid");
        assert!(CommonId::try_from(hyphen).is_err());
    }
}
