//! The committed OpenAPI document must be what the code generates.

use std::path::PathBuf;

#[test]
fn committed_document_matches_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = greenmile_api::openapi::document_json();

    if std::env::var_os("GREENMILE_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write openapi.json");
    }

    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "crates/api/openapi.json is out of date with the wire types; \
         run `GREENMILE_UPDATE_OPENAPI=1 cargo test -p greenmile-api` and commit the result"
    );
}

#[test]
fn document_is_openapi_3_1_with_every_feed() {
    let doc: serde_json::Value =
        serde_json::from_str(&greenmile_api::openapi::document_json()).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0", "the contract is published as OpenAPI 3.1");
    for path in ["/v1/bills", "/v1/offers", "/v1/carbon", "/v1/health"] {
        assert!(doc["paths"][path]["get"].is_object(), "the document describes GET {path}");
    }
    let problem = &doc["paths"]["/v1/bills"]["get"]["responses"]["400"]["content"];
    assert!(
        problem["application/problem+json"].is_object(),
        "errors are described as application/problem+json"
    );
}
