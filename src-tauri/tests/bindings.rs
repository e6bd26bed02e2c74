//! The committed TypeScript bindings must be what the Rust types generate.

use std::path::PathBuf;

#[test]
fn committed_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let generated = greenmile_desktop::bindings::render();

    if std::env::var_os("GREENMILE_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write ui/src/bindings.ts");
    }

    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/bindings.ts is out of date with the Rust IPC types; run \
         `GREENMILE_UPDATE_BINDINGS=1 cargo test -p greenmile-desktop --test bindings` and commit it"
    );
}

#[test]
fn money_and_counts_are_numbers_in_typescript() {
    let ts = greenmile_desktop::bindings::render();
    assert!(
        ts.contains("\nminor: number, "),
        "Money.minor crosses IPC as a JSON number, so its TypeScript type is number: {ts}"
    );
    assert!(!ts.contains("bigint"), "no field is typed bigint: JSON carries numbers");
}
