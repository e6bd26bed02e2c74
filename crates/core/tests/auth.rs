//! The client's sign-in against the reference server on loopback: a request with a stale
//! access token is refreshed once and sent again, each new refresh token reaches the save
//! hook before the request goes on, and a sign-in the server ended is a coded error.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use greenmile_core::auth::{SaveRefresh, Session};
use greenmile_core::{ErrorCode, GreenApi};
use greenmile_server::RunningServer;
use secrecy::{ExposeSecret, SecretString};

const EMAIL: &str = "ana@example.org";
const PASSWORD: &str = "a long enough password";

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let store = greenmile_server::Store::open(&dir.path().join("s.sqlite")).await.unwrap();
    store.add_user(EMAIL, PASSWORD, chrono::Utc::now()).await.unwrap();
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    (dir, greenmile_server::start(listen, store).await.unwrap())
}

/// A save hook that records every refresh token it is given.
fn recorder() -> (SaveRefresh, Arc<Mutex<Vec<String>>>) {
    let saved = Arc::new(Mutex::new(Vec::new()));
    let sink = saved.clone();
    let save: SaveRefresh = Arc::new(move |token: SecretString| {
        sink.lock().unwrap().push(token.expose_secret().to_owned());
        Box::pin(async { Ok(()) })
    });
    (save, saved)
}

#[tokio::test]
async fn a_stale_access_token_is_refreshed_once_and_the_new_refresh_token_saved() {
    let (_dir, server) = server().await;
    let plain = GreenApi::new(&server.url()).unwrap();
    let session = plain.login(EMAIL, &SecretString::from(PASSWORD)).await.unwrap();
    let first_refresh = session.refresh.as_ref().unwrap().expose_secret().to_owned();

    // The access token is one the server does not know (as after it expired).
    let stale = Session { access: Some(SecretString::from("gma_stale")), ..session };
    let (save, saved) = recorder();
    let api = GreenApi::new(&server.url()).unwrap().with_session(stale, Some(save));

    let me = api.me().await.expect("refreshed and sent again");
    assert_eq!(me.email, EMAIL);
    let saved_now = saved.lock().unwrap().clone();
    assert_eq!(saved_now.len(), 1, "one refresh, its token saved once");
    assert_ne!(saved_now[0], first_refresh, "the saved token is the new one");
    assert_eq!(
        api.refresh_token().await.unwrap().expose_secret(),
        saved_now[0],
        "the client holds what it saved"
    );

    // Further requests use the new access token: no more refreshes.
    api.me().await.unwrap();
    assert_eq!(saved.lock().unwrap().len(), 1, "no refresh while the access token works");
    server.stop().await;
}

#[tokio::test]
async fn a_resumed_sign_in_refreshes_before_its_first_request() {
    let (_dir, server) = server().await;
    let plain = GreenApi::new(&server.url()).unwrap();
    let session = plain.login(EMAIL, &SecretString::from(PASSWORD)).await.unwrap();
    let (save, saved) = recorder();
    let resumed = Session::resume(session.refresh.clone().unwrap());
    let api = GreenApi::new(&server.url()).unwrap().with_session(resumed, Some(save));

    assert_eq!(api.me().await.unwrap().email, EMAIL);
    assert_eq!(saved.lock().unwrap().len(), 1, "the resumed token was traded and saved");
    server.stop().await;
}

#[tokio::test]
async fn a_sign_in_ended_elsewhere_is_sign_in_required_and_forgotten() {
    let (_dir, server) = server().await;
    let plain = GreenApi::new(&server.url()).unwrap();
    let session = plain.login(EMAIL, &SecretString::from(PASSWORD)).await.unwrap();

    // A copy of the same sign-in signs out (another device, or a thief's copy revoked).
    let other = GreenApi::new(&server.url()).unwrap().with_session(session.clone(), None);
    other.logout().await.unwrap();

    let api = GreenApi::new(&server.url()).unwrap().with_session(session, None);
    let error = api.me().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::SignInRequired, "{error}");
    assert!(api.refresh_token().await.is_none(), "a dead refresh token is not kept");
    server.stop().await;
}

#[tokio::test]
async fn wrong_passwords_and_too_many_of_them_have_their_own_codes() {
    let (_dir, server) = server().await;
    let api = GreenApi::new(&server.url()).unwrap();
    for _ in 0..5 {
        let error = api.login(EMAIL, &SecretString::from("wrong one")).await.unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidCredentials, "{error}");
    }
    let error = api.login(EMAIL, &SecretString::from(PASSWORD)).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::RateLimited, "{error}");
    assert!(error.to_string().contains("seconds"), "it says how long to wait: {error}");
    assert_eq!(api.requests(), 6, "sign-ins are never retried on their own");
    server.stop().await;
}
