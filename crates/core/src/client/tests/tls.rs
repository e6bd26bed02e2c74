//! The client against TLS servers on 127.0.0.1 with certificates made here: one it has no
//! reason to trust (self-signed) and one for another host name (issued by a CA the client is
//! made to trust for the test) are refused before any request is sent; the same server under
//! its own name, with that CA trusted, answers, which shows the refusals come from the
//! certificate checks and not from a broken server.

use std::net::SocketAddr;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedKey, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::super::*;
use crate::ErrorCode;

/// Serves `/v1/health` over TLS with `chain` and `key` on a free port of 127.0.0.1.
async fn tls_server(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> SocketAddr {
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut request = [0u8; 4096];
                let _ = tls.read(&mut request).await;
                let body = r#"{"status":"ok","api":"v1","demo":false,"server_id":"tls"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

fn key_der(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()))
}

/// A CA, and a certificate it issued for `green.example.com`.
fn issued() -> (CertificateDer<'static>, CertificateDer<'static>, KeyPair) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["green.example.com".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    (ca.der().clone(), leaf.der().clone(), leaf_key)
}

/// A client that trusts `ca` besides the usual roots and finds `green.example.com` at `addr`.
fn trusting(base: &str, ca: &CertificateDer<'static>, addr: SocketAddr) -> GreenApi {
    let root = reqwest::Certificate::from_der(ca).unwrap();
    let http =
        reqwest::Client::builder().add_root_certificate(root).resolve("green.example.com", addr);
    GreenApi::build(base, RetryPolicy::fast(), 1, http).unwrap()
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused_and_not_retried() {
    let CertifiedKey { cert, key_pair } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let addr = tls_server(vec![cert.der().clone()], key_der(&key_pair)).await;
    let api = GreenApi::with_retry(
        &format!("https://localhost:{}/", addr.port()),
        RetryPolicy::fast(),
        1,
    )
    .unwrap();

    let error = api.health().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::CertificateRefused, "{error}");
    assert!(error.to_string().contains("UnknownIssuer"), "the reason is named: {error}");
    assert_eq!(api.requests(), 1, "a refused certificate is final, never retried");
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused_even_from_a_trusted_issuer() {
    let (ca, leaf, key) = issued();
    let addr = tls_server(vec![leaf], key_der(&key)).await;

    // The same server under the name its certificate is for answers: it works.
    let right = trusting(&format!("https://green.example.com:{}/", addr.port()), &ca, addr);
    let health = right.health().await.expect("the trusted name is accepted");
    assert_eq!(health.server_id, "tls");

    // Under another name it is refused, though its issuer is trusted.
    let wrong = trusting(&format!("https://localhost:{}/", addr.port()), &ca, addr);
    let error = wrong.health().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::CertificateRefused, "{error}");
    assert!(error.to_string().to_lowercase().contains("not valid for"), "{error}");
}
