//! Fails when the desktop shell's security settings drift from the rules the app is built on:
//! a strict content security policy, a frozen prototype, no global Tauri object, one
//! capability for the main window that grants our own commands and the event listener and
//! nothing else, no file system, shell or HTTP plugin anywhere, and one UI module that talks to
//! Tauri. Each rule names the file to look at when it breaks.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path))
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn config() -> Value {
    json(&crate_dir().join("tauri.conf.json"))
}

/// The policy as directive name → sources.
fn csp_directives(csp: &str) -> BTreeMap<String, Vec<String>> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace();
            let name = parts.next().unwrap_or_default().to_ascii_lowercase();
            (name, parts.map(str::to_owned).collect())
        })
        .collect()
}

/// Every quoted string in `source` between `start` and the first `end` after it.
fn quoted_between(source: &str, start: &str, end: &str) -> Vec<String> {
    let from = source.find(start).unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &source[from + start.len()..];
    let to = rest.find(end).unwrap_or_else(|| panic!("`{end}` not found after `{start}`"));
    rest[..to].split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The commands `lib.rs` registers, by their function names.
fn registered_commands() -> BTreeSet<String> {
    let lib = read(&crate_dir().join("src/lib.rs"));
    let from = lib.find("generate_handler![").expect("lib.rs registers commands");
    let rest = &lib[from + "generate_handler![".len()..];
    let list = &rest[..rest.find(']').expect("the handler list ends")];
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_owned())
        .collect()
}

/// The commands `build.rs` generates permissions for.
fn manifest_commands() -> BTreeSet<String> {
    let build = read(&crate_dir().join("build.rs"));
    quoted_between(&build, "const COMMANDS: &[&str] = &[", "];").into_iter().collect()
}

#[test]
fn the_content_security_policy_allows_no_remote_code_eval_or_frames() {
    let config = config();
    let csp = config["app"]["security"]["csp"]
        .as_str()
        .expect("tauri.conf.json: app.security.csp must be a policy string");
    let directives = csp_directives(csp);
    let sources = |name: &str| -> Vec<String> {
        directives
            .get(name)
            .unwrap_or_else(|| panic!("tauri.conf.json: the CSP must set {name}"))
            .clone()
    };

    assert_eq!(sources("default-src"), ["'self'"], "default-src is the app itself only");
    assert_eq!(sources("script-src"), ["'self'"], "scripts come only from the app's bundle");
    assert_eq!(sources("frame-src"), ["'none'"], "no frames");
    assert_eq!(sources("object-src"), ["'none'"], "no plugins or embedded objects");
    for (name, list) in &directives {
        for source in list {
            assert!(
                !matches!(source.as_str(), "*" | "'unsafe-eval'" | "'wasm-unsafe-eval'"),
                "tauri.conf.json: {name} must not allow {source}"
            );
            let remote = source.starts_with("http:") || source.starts_with("https:");
            assert!(
                !remote || source == "http://ipc.localhost",
                "tauri.conf.json: {name} names a remote origin {source}; the UI loads nothing \
                 from the network"
            );
        }
    }
    let scripts = sources("script-src");
    assert!(!scripts.iter().any(|s| s == "'unsafe-inline'"), "no inline scripts");
    assert!(
        sources("connect-src").iter().all(|s| s == "ipc:" || s == "http://ipc.localhost"),
        "the UI connects to the IPC channel only"
    );
}

#[test]
fn the_window_gets_a_frozen_prototype_and_no_global_tauri_object() {
    let config = config();
    let app = &config["app"];
    let security = &app["security"];

    assert_eq!(security["freezePrototype"], Value::Bool(true), "freezePrototype must stay on");
    assert_eq!(app["withGlobalTauri"], Value::Bool(false), "window.__TAURI__ must stay off");
    for key in ["dangerousDisableAssetCspModification", "dangerousRemoteDomainIpcAccess"] {
        assert!(security.get(key).is_none(), "tauri.conf.json: {key} must not be set");
    }
    assert!(
        security["assetProtocol"]["enable"].as_bool() != Some(true),
        "the asset protocol would expose files on disk to the UI"
    );
    let capabilities = &security["capabilities"];
    assert!(
        capabilities.is_null() || capabilities.as_array().is_some_and(Vec::is_empty),
        "capabilities live in capabilities/*.json only, where this test reads them"
    );

    let windows = app["windows"].as_array().expect("tauri.conf.json lists its windows");
    let labels: Vec<&str> = windows.iter().filter_map(|w| w["label"].as_str()).collect();
    assert_eq!(labels, ["main"], "one window, labelled main");
    assert!(windows[0].get("url").is_none(), "the window loads the bundled UI, not a URL");
}

#[test]
fn the_only_capability_grants_the_main_window_our_commands_and_events() {
    let dir = crate_dir().join("capabilities");
    let files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("src-tauri/capabilities exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .collect();
    assert_eq!(files.len(), 1, "one capability file, main.json: {files:?}");

    let capability = json(&files[0]);
    assert_eq!(capability["windows"], serde_json::json!(["main"]), "it names the main window");
    assert!(capability.get("remote").is_none(), "no remote origin may reach the IPC layer");
    assert!(capability.get("webviews").is_none(), "no other webview is granted anything");

    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("main.json lists its permissions")
        .iter()
        .map(|p| p.as_str().expect("permissions are plain identifiers, no scopes").to_owned())
        .collect();
    let manifest = manifest_commands();
    let mut expected: BTreeSet<String> =
        manifest.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    expected.insert("core:event:default".to_owned());
    assert_eq!(
        granted, expected,
        "capabilities/main.json grants exactly core:event:default and allow-<command> for each \
         command in build.rs"
    );
    assert_eq!(
        manifest,
        registered_commands(),
        "build.rs's COMMANDS and lib.rs's generate_handler! list the same commands"
    );
}

#[test]
fn no_file_system_shell_or_http_plugin_is_a_dependency() {
    let manifest = read(&crate_dir().join("Cargo.toml"));
    let plugins: BTreeSet<String> = manifest
        .lines()
        .filter_map(|line| line.trim().split(['=', ' ', '.']).next())
        .filter(|name| name.starts_with("tauri-plugin-"))
        .map(str::to_owned)
        .collect();
    // Each is used from Rust only; none of their permissions is granted to the UI.
    let allowed: BTreeSet<String> = [
        "tauri-plugin-dialog",
        "tauri-plugin-notification",
        "tauri-plugin-single-instance",
        "tauri-plugin-window-state",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert!(
        plugins.is_subset(&allowed),
        "src-tauri/Cargo.toml: every plugin is reviewed here first; new: {:?}",
        plugins.difference(&allowed).collect::<Vec<_>>()
    );

    let package = json(&crate_dir().join("../ui/package.json"));
    for section in ["dependencies", "devDependencies"] {
        let names = package[section].as_object().into_iter().flat_map(|deps| deps.keys());
        for name in names {
            assert!(
                !name.starts_with("@tauri-apps/plugin-"),
                "ui/package.json: {name}: plugins are used from Rust, the UI gets none"
            );
        }
    }
}

#[test]
fn one_ui_module_talks_to_tauri() {
    let src = crate_dir().join("../ui/src");
    let mut importers = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("ui/src is readable") {
            let path = entry.expect("a readable directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "tsx")
                && !path.to_string_lossy().contains(".test.")
                && read(&path).contains("@tauri-apps/")
            {
                let relative = path.strip_prefix(&src).expect("under ui/src").to_owned();
                importers.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    importers.sort();
    assert_eq!(importers, ["ipc.ts"], "only ui/src/ipc.ts may import @tauri-apps/*");
}
