//! `POST /customer/init`: what a created customer is. The request becomes the customer record
//! the answer carries and a [`Template`] the KYC endpoints run like a built-in customer's
//! (DECISIONS.md D26 to D31).

use kyc_spec::generated::{
    self as wire, BusinessCustomer, CustomerId, CustomerInitRequest, IndividualCustomer,
    NewIdentificationDocument, NonSsnDocumentType,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::clock::{Millis, format_timestamp};
use super::error::ApiError;
use super::kyc::Template;
use super::triggers;

/// Whether the new customer is a person or a business: which id prefix it gets and which
/// document is its duplicate key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// `cstap_…`; found again by its SSN.
    Individual,
    /// `cstab_…`; found again by its FEIN.
    Business,
}

impl Kind {
    /// The prefix of its ids (DECISIONS.md D28).
    pub(crate) fn id_prefix(self) -> &'static str {
        match self {
            Kind::Individual => "cstap_",
            Kind::Business => "cstab_",
        }
    }
}

/// The parts of a valid request the duplicate checks read, before anything is created.
#[derive(Debug)]
pub(crate) struct Keys {
    /// Individual or business.
    pub kind: Kind,
    /// `customerReference`.
    pub reference: String,
    /// The SSN of an individual or the FEIN of a business, if the request carries one.
    pub identity: Option<String>,
}

/// The duplicate keys of a request that passed the schema.
pub(crate) fn keys(request: &CustomerInitRequest) -> Result<Keys, ApiError> {
    Ok(match request {
        CustomerInitRequest::Individual(i) => Keys {
            kind: Kind::Individual,
            reference: i.customer_reference.as_str().to_owned(),
            identity: i
                .customer
                .identification_documents
                .iter()
                .flatten()
                .find_map(|d| match d {
                    NewIdentificationDocument::NewSsnDocument(ssn) => {
                        Some(ssn.value.as_str().to_owned())
                    }
                    NewIdentificationDocument::NewOtherDocument(_) => None,
                }),
        },
        CustomerInitRequest::Business(b) => Keys {
            kind: Kind::Business,
            reference: b.customer_reference.as_str().to_owned(),
            identity: b
                .customer
                .identification_documents
                .iter()
                .flatten()
                .find_map(|d| match d {
                    NewIdentificationDocument::NewOtherDocument(other)
                        if other.r#type == NonSsnDocumentType::Fein =>
                    {
                        other.value.as_ref().map(|v| v.as_str().to_owned())
                    }
                    _ => None,
                }),
        },
    })
}

/// A created customer: the record the answer carries and the template its KYC runs on.
#[derive(Debug)]
pub(crate) struct Created {
    /// `data` of the answer.
    pub record: wire::Customer,
    /// What the KYC endpoints know about the customer.
    pub template: Template,
}

/// Builds the customer `customer_id` from a request that passed the schema: representatives
/// sent without an id get one from `new_representative_id`.
pub(crate) fn create(
    request: CustomerInitRequest,
    customer_id: &str,
    created_at: Millis,
    asks: Option<&str>,
    mut new_representative_id: impl FnMut() -> String,
) -> Result<Created, ApiError> {
    let id = CustomerId::new(customer_id).map_err(|e| gap(&e))?;
    let (record, customer_type, person, first_names, last_names, representatives) = match request {
        CustomerInitRequest::Individual(i) => {
            let person: wire::Person = convert(&i.customer)?;
            let first = vec![i.customer.first_name.as_str().to_owned()];
            let last = vec![i.customer.last_name.as_str().to_owned()];
            let record = wire::Customer::Individual(IndividualCustomer {
                reference: i.customer_reference,
                customer_id: id,
                customer: person.clone(),
                additional_properties: Map::new(),
            });
            // The envelope's person has both business arrays, empty for an individual, like the
            // built-in customers and the seed page's example; the record stays as sent (D30).
            let person = wire::Person {
                business_addresses: Some(person.business_addresses.unwrap_or_default()),
                business_phones: Some(person.business_phones.unwrap_or_default()),
                ..person
            };
            (record, "individual", person, first, last, vec![])
        }
        CustomerInitRequest::Business(mut b) => {
            let mut representatives = b.customer.business_representatives.into_inner();
            for rep in &mut representatives {
                if rep.id.is_none() {
                    rep.id = Some(CustomerId::new(new_representative_id()).map_err(|e| gap(&e))?);
                }
            }
            let ids = representatives
                .iter()
                .filter_map(|r| r.id.as_ref().map(|id| id.as_str().to_owned()))
                .collect();
            let first = representatives
                .iter()
                .map(|r| r.first_name.as_str().to_owned())
                .collect();
            let last = representatives
                .iter()
                .map(|r| r.last_name.as_str().to_owned())
                .collect();
            b.customer.business_representatives =
                wire::NewBusinessBusinessRepresentatives::new(representatives)
                    .map_err(|e| gap(&e))?;
            let business: wire::Business = convert(&b.customer)?;
            let person = representative_person(&business)?;
            let record = wire::Customer::Business(BusinessCustomer {
                reference: b.customer_reference,
                customer_id: id,
                customer: business,
                additional_properties: Map::new(),
            });
            (record, "business", person, first, last, ids)
        }
    };
    let reference = match &record {
        wire::Customer::Individual(c) => c.reference.as_str(),
        wire::Customer::Business(c) => c.reference.as_str(),
        wire::Customer::Unknown(_) => return Err(unreachable_type()),
    };
    // A configured choice stands in for every first name (MockConfig::kyc_asks).
    let first_names = asks.map_or(first_names, |name| vec![name.to_owned()]);
    let (documents, attribute_codes, after_data) = triggers::choose(
        first_names.iter().map(String::as_str),
        last_names.iter().map(String::as_str),
    );
    let Value::Object(customer) = serde_json::to_value(&person).map_err(|e| gap(&e))? else {
        return Err(gap(&"a Person is not a JSON object"));
    };
    let template = Template {
        customer_type: customer_type.to_owned(),
        dts_created_at: Some(format_timestamp(created_at)),
        documents,
        attribute_codes,
        representatives,
        ..Template::new(customer_id, reference, customer, &after_data)
    };
    template.check().map_err(|e| gap(&e))?;
    Ok(Created { record, template })
}

/// The person the KYC envelope shows for a business: its first representative (without the
/// representative's id, which `Person` does not have), with the business's addresses and
/// phones in the arrays `Person` keeps for them (DECISIONS.md D31).
fn representative_person(business: &wire::Business) -> Result<wire::Person, ApiError> {
    let first = business
        .business_representatives
        .first()
        .ok_or_else(|| gap(&"a business without representatives passed the schema"))?;
    let Value::Object(mut person) = serde_json::to_value(first).map_err(|e| gap(&e))? else {
        return Err(gap(&"a representative is not a JSON object"));
    };
    person.remove("id");
    let addresses =
        serde_json::to_value(business.business_addresses.as_deref().unwrap_or_default());
    let phones = serde_json::to_value(business.business_phones.as_deref().unwrap_or_default());
    person.insert(
        "businessAddresses".to_owned(),
        addresses.map_err(|e| gap(&e))?,
    );
    person.insert("businessPhones".to_owned(), phones.map_err(|e| gap(&e))?);
    serde_json::from_value(Value::Object(person)).map_err(|e| gap(&e))
}

/// A request type into the answer's type of the same shape, through JSON: the request's
/// objects are strict versions of the answer's tolerant ones.
fn convert<T: DeserializeOwned>(from: &impl Serialize) -> Result<T, ApiError> {
    let value = serde_json::to_value(from).map_err(|e| gap(&e))?;
    serde_json::from_value(value).map_err(|e| gap(&e))
}

/// A disagreement between the request schema and the types built from it: not the client's
/// fault, but answered as a readable 400 rather than a panic, like `MockState::decode` does.
fn gap(e: &dyn std::fmt::Display) -> ApiError {
    ApiError::InvalidBody(format!(
        "the body passed the schema but the mock could not build the customer: {e}"
    ))
}

fn unreachable_type() -> ApiError {
    gap(&"a customerType the schema does not list")
}
