//! What the OpenAPI document says beyond the handlers' annotations, added in one place so it
//! agrees with the server: the errors any operation can answer with (a path that does not
//! parse, signing in, access, a body over the limit…), always the JSON error body; and the text
//! limits of [`ladder_core::limits`] (`maxLength`, `maxItems`), which the services enforce.

use ladder_core::limits::*;
use serde_json::{json, Value};

/// Errors every operation may answer with: a malformed id or query (400 from the path, 422 from
/// the query or body), no or a stale sign-in (401), the access rules or the CSRF check (403),
/// something that is not there (404), and a failure on our side (500).
const EVERY_OPERATION: &[(&str, &str)] = &[
    ("400", "A path parameter that does not parse"),
    ("401", "Not signed in, or the session or token is no longer valid"),
    ("403", "Not allowed, or a missing CSRF token on a cookie-signed write"),
    ("404", "Not found"),
    ("422", "A field that is malformed or out of range, named in `field`"),
    ("500", "A failure on our side"),
];

/// And those with a body: too large (413) or not JSON (415).
const WITH_BODY: &[(&str, &str)] =
    &[("413", "The body is too large"), ("415", "The body is not of the content type asked for")];

/// (schema, property, most characters) of every text field the API takes.
const TEXT_FIELDS: &[(&str, &str, usize)] = &[
    ("AccomplishmentInput", "title", TITLE),
    ("AccomplishmentInput", "details", TEXT),
    ("AccomplishmentInput", "impact_unit", LINE),
    ("TrainingInput", "kind", KEY),
    ("TrainingInput", "title", TITLE),
    ("TrainingInput", "provider", LINE),
    ("TrainingInput", "status", KEY),
    ("TrainingInput", "skill_id", KEY),
    ("CertificationInput", "certification_id", KEY),
    ("CertificationInput", "status", KEY),
    ("CheckinInput", "month", MONTH),
    ("CheckinInput", "highlights", TEXT),
    ("CheckinInput", "blockers", TEXT),
    ("CheckinInput", "asks", TEXT),
    ("CoachingInput", "metric", KEY),
    ("CoachingInput", "note", TEXT),
    ("AcknowledgeInput", "comment", TEXT),
    ("CareerPlanInput", "target_role", KEY),
    ("KraPlanInput", "name", NAME),
    ("KraPlanInput", "currency", CURRENCY),
    ("KraPlanInput", "variable_pay", AMOUNT),
    ("KraLineInput", "metric", KEY),
    ("Invite", "email", EMAIL),
    ("Invite", "name", NAME),
    ("Invite", "access", KEY),
    ("NewToken", "name", NAME),
    ("AcceptInvitation", "token", SECRET),
    ("AcceptInvitation", "password", PASSWORD),
    ("JoinAsSupervisor", "token", SECRET),
    ("JoinAsSupervisor", "name", NAME),
    ("JoinAsSupervisor", "email", EMAIL),
    ("JoinAsSupervisor", "password", PASSWORD),
    ("PasswordChange", "current_password", PASSWORD),
    ("PasswordChange", "new_password", PASSWORD),
    ("SignIn", "email", EMAIL),
    ("SignIn", "password", PASSWORD),
    ("IdentityInput", "identifier", ladder_core::identity::MAX_IDENTIFIER),
];

/// (schema, property, most items, most characters an item) of every list the API takes.
const LIST_FIELDS: &[(&str, &str, usize, Option<usize>)] = &[
    ("AccomplishmentInput", "tags", TAGS, Some(TAG)),
    ("AccomplishmentInput", "kras", KEYS, Some(KEY)),
    ("AccomplishmentInput", "skills", KEYS, Some(KEY)),
    ("CheckinInput", "accomplishment_ids", PICKED, None),
    ("KraPlanInput", "kras", KEYS, None),
    ("Invite", "sites", MANAGER_SCOPES, None),
    ("Invite", "accounts", MANAGER_SCOPES, None),
];

/// The document as served: the generated one, completed.
pub fn complete(doc: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).expect("an OpenAPI document serialises");
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut().filter(|o| o.get("responses").is_some()) {
                let with_body = operation.get("requestBody").is_some();
                let responses = operation["responses"].as_object_mut().expect("responses");
                let extra = EVERY_OPERATION.iter().chain(if with_body { WITH_BODY } else { &[] });
                for (status, description) in extra {
                    responses.entry(*status).or_insert_with(|| error_response(description));
                }
            }
        }
    }
    let schemas = &mut doc["components"]["schemas"];
    for (schema, property, max) in TEXT_FIELDS {
        let field = &mut schemas[*schema]["properties"][*property];
        assert!(field.is_object(), "{schema}.{property} is in the document");
        field["maxLength"] = json!(max);
    }
    for (schema, property, items, each) in LIST_FIELDS {
        let field = &mut schemas[*schema]["properties"][*property];
        assert!(field.is_object(), "{schema}.{property} is in the document");
        field["maxItems"] = json!(items);
        if let Some(each) = each {
            field["items"]["maxLength"] = json!(each);
        }
    }
    doc
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}
