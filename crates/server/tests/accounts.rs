//! Accounts over HTTP on loopback: every data route is scoped to the signed-in account,
//! refresh tokens rotate and a reused one ends the sign-in, sign-out revokes, failed sign-ins
//! are limited, and the answers carry the headers that keep browsers out.

#![allow(clippy::unwrap_used)]

use std::net::{Ipv4Addr, SocketAddr};

use chrono::{DateTime, Utc};
use greenmile_api::{BillPage, CarbonPage, Me, OfferPage, Problem, ProblemCode, TokenPair};
use greenmile_server::bulk::Volume;
use greenmile_server::{Collection, RunningServer, Store, UserId};
use serde_json::{Value, json};

const B_EMAIL: &str = "Bea@Example.org";
const B_PASSWORD: &str = "a long enough password";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z").unwrap().to_utc()
}

/// A store with two accounts: A is the demo household (1,817 bills), B a small account of
/// generated data whose ids may well equal some of A's.
struct Two {
    _dir: tempfile::TempDir,
    server: RunningServer,
    a: UserId,
    b: UserId,
}

async fn two_accounts() -> Two {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
    store.seed_demo(now()).await.unwrap();
    let a = store.demo_user().await.unwrap().unwrap();
    let b = store.add_user(B_EMAIL, B_PASSWORD, now()).await.unwrap();
    store.seed_bulk(b, Volume { bills: 3, offers: 2, carbon: 1 }, now()).await.unwrap();
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = greenmile_server::start(listen, store).await.unwrap();
    Two { _dir: dir, server, a, b }
}

async fn login(server: &RunningServer, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}v1/auth/login", server.url()))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn sign_in_b(server: &RunningServer) -> TokenPair {
    let response = login(server, B_EMAIL, B_PASSWORD).await;
    assert_eq!(response.status(), 200, "B signs in with the right password");
    response.json().await.unwrap()
}

async fn get(server: &RunningServer, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}{path}", server.url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn post(
    server: &RunningServer,
    token: Option<&str>,
    path: &str,
    key: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(format!("{}{path}", server.url())).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

async fn problem(response: reqwest::Response) -> (u16, ProblemCode) {
    let status = response.status().as_u16();
    let problem: Problem = response.json().await.unwrap();
    (status, problem.code)
}

async fn refresh(server: &RunningServer, token: &str) -> reqwest::Response {
    post(server, None, "v1/auth/refresh", None, json!({"refresh_token": token})).await
}

fn setting(key: &str, value: &str) -> Value {
    json!({"kind": "setting", "payload": {"key": key, "value": value}})
}

fn attempt(id: &str, choice: &str) -> Value {
    json!({"kind": "quiz_attempt", "payload": {
        "attempt_id": id,
        "lesson_id": "ev-charging",
        "answers": [
            {"question_id": "grid-value", "choices": [choice]},
            {"question_id": "ten-kwh", "choices": ["a"]},
            {"question_id": "cleaner-grid", "choices": ["true"]},
            {"question_id": "connector-standard", "choices": ["a"]},
            {"question_id": "tailpipe-only", "choices": ["false"]},
            {"question_id": "depends-on", "choices": ["a", "b", "c"]}
        ],
        "started_at": "2026-12-04T08:00:00Z",
        "finished_at": "2026-12-04T08:03:00Z",
        "time_zone": "Asia/Shanghai"
    }})
}

/// Every row of a feed, read to its end with `token`.
async fn read_all<P: serde::de::DeserializeOwned>(
    server: &RunningServer,
    token: &str,
    route: &str,
    ids: impl Fn(&P) -> (Vec<String>, bool, String),
) -> Vec<String> {
    let mut cursor = String::new();
    let mut all = Vec::new();
    loop {
        let response =
            get(server, Some(token), &format!("{route}?limit=1000&cursor={cursor}")).await;
        assert_eq!(response.status(), 200, "{route} answers its owner");
        let page: P = response.json().await.unwrap();
        let (page_ids, more, next) = ids(&page);
        all.extend(page_ids);
        cursor = next;
        if !more {
            return all;
        }
    }
}

#[tokio::test]
async fn each_account_reads_and_changes_only_its_own_data_through_every_route() {
    let t = two_accounts().await;
    let a = t.server.demo_tokens().await.unwrap();
    let b = sign_in_b(&t.server).await;
    let store = t.server.store();

    // The feeds: each account reads exactly the rows it owns, however the cursor is set.
    let bills = |p: &BillPage| {
        (p.upserts.iter().map(|x| x.id.clone()).collect(), p.has_more, p.next_cursor.clone())
    };
    let offers = |p: &OfferPage| {
        (p.upserts.iter().map(|x| x.id.clone()).collect(), p.has_more, p.next_cursor.clone())
    };
    let carbon = |p: &CarbonPage| {
        (p.upserts.iter().map(|x| x.id.clone()).collect(), p.has_more, p.next_cursor.clone())
    };
    for (user, token) in [(t.a, &a.access_token), (t.b, &b.access_token)] {
        let owned = |c| async move {
            let rows = store.rows(user, c).await.unwrap();
            rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
        };
        let read = read_all(&t.server, token, "v1/bills", bills).await;
        assert_eq!(read, owned(Collection::Bills).await, "bills: the owner's rows, only");
        let read = read_all(&t.server, token, "v1/offers", offers).await;
        assert_eq!(read, owned(Collection::Offers).await, "offers: the owner's rows, only");
        let read = read_all(&t.server, token, "v1/carbon", carbon).await;
        assert_eq!(read, owned(Collection::Carbon).await, "carbon: the owner's rows, only");
    }
    let b_bills = read_all(&t.server, &b.access_token, "v1/bills", bills).await;
    assert_eq!(b_bills.len(), 3, "B sees its 3 bills and none of A's 1,817");
    // A cursor from far into A's feed shows B nothing of A's.
    let late = get(&t.server, Some(&b.access_token), "v1/bills?cursor=s0&limit=1000").await;
    let late: BillPage = late.json().await.unwrap();
    assert_eq!(late.upserts.len(), 3, "a cursor never reaches into another account's rows");

    // A's writes change A's feed state, never B's.
    let b_tag = get(&t.server, Some(&b.access_token), "v1/bills").await.headers()["etag"].clone();
    store.put_bill(t.a, &store.bill(t.a, &a_first_bill(&t).await).await.unwrap()).await.unwrap();
    let again = reqwest::Client::new()
        .get(format!("{}v1/bills", t.server.url()))
        .bearer_auth(&b.access_token)
        .header("If-None-Match", b_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304, "a change to A's bills leaves B's feed as it was");

    // Writes: the same idempotency key from two accounts is two writes, not a conflict.
    let ok = post(
        &t.server,
        Some(&a.access_token),
        "v1/writes",
        Some("k-1"),
        setting("locale", "zh-CN"),
    );
    assert_eq!(ok.await.status(), 200, "A's write");
    let ok =
        post(&t.server, Some(&b.access_token), "v1/writes", Some("k-1"), setting("locale", "en"));
    assert_eq!(ok.await.status(), 200, "B's write under the same key is B's own");
    assert_eq!(store.settings(t.a).await.unwrap(), [("locale".to_owned(), "zh-CN".to_owned())]);
    assert_eq!(store.settings(t.b).await.unwrap(), [("locale".to_owned(), "en".to_owned())]);
    assert_eq!(store.writes(t.a).await.unwrap().len(), 1, "A's writes hold A's only");
    assert_eq!(store.writes(t.b).await.unwrap().len(), 1, "B's writes hold B's only");

    // Quiz attempts under one id from both accounts are both recorded.
    for token in [&a.access_token, &b.access_token] {
        let sent = post(&t.server, Some(token), "v1/writes", Some("att-1"), attempt("att-1", "a"));
        assert_eq!(sent.await.status(), 200, "each account's attempt is its own");
    }
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM quiz_attempts WHERE attempt_id = 'att-1'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(n, 2, "one attempt per account");

    // Who am I: each token names its own account.
    let me: Me = get(&t.server, Some(&b.access_token), "v1/me").await.json().await.unwrap();
    assert_eq!((me.user_id, me.email.as_str()), (t.b.0, "bea@example.org"));
    let me: Me = get(&t.server, Some(&a.access_token), "v1/me").await.json().await.unwrap();
    assert_eq!(me.user_id, t.a.0, "A's token is A's");

    // B signing out ends B's sign-in only.
    let out = post(&t.server, Some(&b.access_token), "v1/auth/logout", None, json!({})).await;
    assert_eq!(out.status(), 204, "signed out");
    let (status, code) = problem(get(&t.server, Some(&b.access_token), "v1/bills").await).await;
    assert_eq!((status, code), (401, ProblemCode::Unauthenticated), "B's token stopped working");
    assert_eq!(get(&t.server, Some(&a.access_token), "v1/bills").await.status(), 200, "A's works");
    t.server.stop().await;
}

async fn a_first_bill(t: &Two) -> String {
    t.server.store().rows(t.a, Collection::Bills).await.unwrap()[0].id.clone()
}

#[tokio::test]
async fn every_route_of_the_contract_but_the_public_ones_needs_a_token() {
    let t = two_accounts().await;
    let public = [
        "/v1/health",
        "/v1/openapi.json",
        "/v1/learn/catalog",
        "/v1/auth/login",
        "/v1/auth/refresh",
    ];
    let doc: Value = serde_json::from_str(&greenmile_api::openapi::document_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut checked = 0;
    for (path, methods) in paths {
        if public.contains(&path.as_str()) {
            for (method, operation) in methods.as_object().unwrap() {
                assert!(
                    operation.get("security").is_none(),
                    "{method} {path} is documented public"
                );
            }
            continue;
        }
        for (method, operation) in methods.as_object().unwrap() {
            assert_eq!(
                operation["security"],
                serde_json::json!([{"bearer": []}]),
                "{method} {path}: the contract says it needs the bearer token"
            );
            let url = format!("{}{}", t.server.url(), path.trim_start_matches('/'));
            let client = reqwest::Client::new();
            let request = match method.as_str() {
                "get" => client.get(&url),
                "post" => client.post(&url).header("Idempotency-Key", "k").json(&setting("a", "b")),
                other => panic!("a route with {other}: add it to this test"),
            };
            for token in [None, Some("gma_not-a-token")] {
                let mut request = request.try_clone().unwrap();
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.unwrap();
                assert_eq!(
                    response.headers().get("www-authenticate").map(|v| v.to_str().unwrap()),
                    Some("Bearer"),
                    "{method} {path} names the scheme it wants"
                );
                let (status, code) = problem(response).await;
                assert_eq!((status, code), (401, ProblemCode::Unauthenticated), "{method} {path}");
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked, 7,
        "bills, offers, carbon, quiz attempts, writes, logout and me are guarded"
    );
    assert!(t.server.store().writes(t.a).await.unwrap().is_empty(), "nothing was written");
    t.server.stop().await;
}

#[tokio::test]
async fn a_refresh_token_works_once_and_its_reuse_ends_the_whole_sign_in() {
    let t = two_accounts().await;
    let first = sign_in_b(&t.server).await;

    let response = refresh(&t.server, &first.refresh_token).await;
    assert_eq!(response.status(), 200, "the first use of a refresh token works");
    assert_eq!(response.headers()["cache-control"], "no-store", "tokens are never cached");
    let second: TokenPair = response.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token, "the refresh token rotates");
    assert_eq!(second.user.user_id, t.b.0, "the same account");
    let (status, _) = problem(get(&t.server, Some(&first.access_token), "v1/me").await).await;
    assert_eq!(status, 401, "the spent pair's access token stopped working");
    assert_eq!(get(&t.server, Some(&second.access_token), "v1/me").await.status(), 200);

    // Someone replays the first refresh token: the whole family ends.
    let (status, code) = problem(refresh(&t.server, &first.refresh_token).await).await;
    assert_eq!((status, code), (401, ProblemCode::InvalidRefreshToken), "a spent token");
    let (status, _) = problem(get(&t.server, Some(&second.access_token), "v1/me").await).await;
    assert_eq!(status, 401, "the newest access token of the family is revoked too");
    let (status, code) = problem(refresh(&t.server, &second.refresh_token).await).await;
    assert_eq!((status, code), (401, ProblemCode::InvalidRefreshToken), "and its refresh token");

    // Another sign-in of the same account is a family of its own, untouched.
    let other = sign_in_b(&t.server).await;
    assert_eq!(get(&t.server, Some(&other.access_token), "v1/me").await.status(), 200);
    t.server.stop().await;
}

#[tokio::test]
async fn signing_out_revokes_both_tokens() {
    let t = two_accounts().await;
    let pair = sign_in_b(&t.server).await;
    let out = post(&t.server, Some(&pair.access_token), "v1/auth/logout", None, json!({})).await;
    assert_eq!(out.status(), 204);
    let (status, _) = problem(get(&t.server, Some(&pair.access_token), "v1/me").await).await;
    assert_eq!(status, 401, "the access token is revoked");
    let (status, code) = problem(refresh(&t.server, &pair.refresh_token).await).await;
    assert_eq!((status, code), (401, ProblemCode::InvalidRefreshToken), "so is the refresh token");
    t.server.stop().await;
}

#[tokio::test]
async fn failed_sign_ins_are_limited_and_say_when_to_try_again() {
    let t = two_accounts().await;
    // An unknown address and a wrong password look the same.
    let (status, code) = problem(login(&t.server, "nobody@example.org", B_PASSWORD).await).await;
    assert_eq!((status, code), (401, ProblemCode::InvalidCredentials));
    for _ in 0..4 {
        let (status, code) = problem(login(&t.server, B_EMAIL, "wrong password!").await).await;
        assert_eq!((status, code), (401, ProblemCode::InvalidCredentials));
    }

    // Five failures from this address: even the right password waits now.
    let response = login(&t.server, B_EMAIL, B_PASSWORD).await;
    let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=300).contains(&wait), "Retry-After within the window: {wait}");
    let (status, code) = problem(response).await;
    assert_eq!((status, code), (429, ProblemCode::RateLimited));
    t.server.stop().await;
}

#[tokio::test]
async fn bodies_are_limited_and_answers_keep_browsers_out() {
    let t = two_accounts().await;
    let b = sign_in_b(&t.server).await;
    let huge = setting("note", &"x".repeat(greenmile_api::MAX_REQUEST_BYTES));
    let response = post(&t.server, Some(&b.access_token), "v1/writes", Some("k-big"), huge).await;
    assert_eq!(problem(response).await, (413, ProblemCode::PayloadTooLarge));

    let response = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}v1/bills", t.server.url()))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert!(headers.get("access-control-allow-origin").is_none(), "no CORS: {headers:?}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    t.server.stop().await;
}

#[tokio::test]
async fn the_store_keeps_hashes_of_tokens_and_passwords_never_the_values() {
    let t = two_accounts().await;
    let pair = sign_in_b(&t.server).await;
    let path = t._dir.path().join("s.sqlite");
    t.server.stop().await;

    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(path.with_extension("sqlite-wal")).unwrap_or_default());
    for secret in [pair.access_token.as_str(), pair.refresh_token.as_str(), B_PASSWORD] {
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "a secret is stored as it is");
    }
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_refuses_a_second_account_per_address() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.sqlite");
    let add = |email: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_greenmile-server"))
            .args(["user", "add", "--store", store.to_str().unwrap(), "--email", email])
            .arg("--password-stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let added = add("Cy@Example.org", B_PASSWORD);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let again = add("cy@example.org", B_PASSWORD);
    assert!(!again.status.success(), "one account per address, whatever its case");
    let short = add("dee@example.org", "short");
    assert!(!short.status.success(), "a short password is refused");

    let store = Store::open(&store).await.unwrap();
    let user = store.user_by_email("cy@example.org").await.unwrap().unwrap();
    let me = store.check_password("CY@example.org", B_PASSWORD).await.unwrap().unwrap();
    assert_eq!(me.user_id, user.0, "the password signs the account in");
    assert!(store.check_password("cy@example.org", "wrong one").await.unwrap().is_none());
}
