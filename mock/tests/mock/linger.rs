//! A refused body is drained before the connection closes (a lingering close), so a client
//! that writes its whole body before reading, as Python's urllib and `requests` do, reads the
//! 413 instead of a connection reset. The race the drain closes is timing-dependent (2 of 3
//! urllib tries failed before it), so each case runs several times.

use std::time::Duration;

use kyc_mock::builtin::{JOHN_TESTMAN, JOHN_TESTMAN_LICENSE_FRONT};
use kyc_mock::{JSON_BODY_LIMIT, RunningMock, UPLOAD_BODY_LIMIT, spawn};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::harness::{Answer, TOKEN, deterministic_config};

/// How many times each case runs.
const TRIES: usize = 8;

/// One oversized request: where it goes, how its body is framed, and how big it is.
struct Case {
    name: &'static str,
    path: String,
    content_type: &'static str,
    framing: Framing,
    size: usize,
}

#[derive(Clone, Copy)]
enum Framing {
    /// `Content-Length`: the mock can refuse before reading.
    Declared,
    /// Chunked: the mock refuses once it has read past the limit.
    Chunked,
}

fn cases() -> Vec<Case> {
    let json = "/customer/kyc/init".to_owned();
    let upload = format!("/customer/kyc/upload/{JOHN_TESTMAN}/{JOHN_TESTMAN_LICENSE_FRONT}");
    let multipart = "multipart/form-data; boundary=X";
    vec![
        Case {
            name: "2 MiB of JSON, declared (urllib's request)",
            path: json.clone(),
            content_type: "application/json",
            framing: Framing::Declared,
            size: 2 << 20,
        },
        Case {
            name: "2 MiB of JSON, chunked",
            path: json,
            content_type: "application/json",
            framing: Framing::Chunked,
            size: 2 * JSON_BODY_LIMIT,
        },
        Case {
            name: "an upload 2 MiB over its limit, declared",
            path: upload.clone(),
            content_type: multipart,
            framing: Framing::Declared,
            size: UPLOAD_BODY_LIMIT + (2 << 20),
        },
        Case {
            name: "an upload 2 MiB over its limit, chunked",
            path: upload,
            content_type: multipart,
            framing: Framing::Chunked,
            size: UPLOAD_BODY_LIMIT + (2 << 20),
        },
    ]
}

/// The whole request, headers and body, as one buffer: the client writes it all before
/// reading a byte. `Connection: close`, as urllib sends it, so the answer ends at EOF.
fn request(case: &Case) -> Vec<u8> {
    let body = vec![b'a'; case.size];
    let framing = match case.framing {
        Framing::Declared => format!("content-length: {}", body.len()),
        Framing::Chunked => "transfer-encoding: chunked".to_owned(),
    };
    let mut out = format!(
        "POST {} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-connectfi-token: {TOKEN}\r\ncontent-type: {}\r\n{framing}\r\nconnection: close\r\n\r\n",
        case.path, case.content_type
    )
    .into_bytes();
    match case.framing {
        Framing::Declared => out.extend_from_slice(&body),
        Framing::Chunked => {
            for chunk in body.chunks(64 * 1024) {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        }
    }
    out
}

/// Writes everything, then reads to EOF. Unlike a forgiving client, a failed write is a
/// failure: that broken pipe is the bug.
async fn write_then_read(mock: &RunningMock, bytes: &[u8]) -> Result<String, String> {
    let mut stream = tokio::net::TcpStream::connect(mock.addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .write_all(bytes)
        .await
        .map_err(|e| format!("writing the body: {e}"))?;
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut out))
        .await
        .map_err(|_| "no EOF within 10 s".to_owned())?
        .map_err(|e| format!("reading the answer: {e}"))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn a_client_that_writes_its_whole_body_first_reads_its_413() {
    let mock = spawn(deterministic_config())
        .await
        .expect("the mock starts");
    for case in cases() {
        let bytes = request(&case);
        for attempt in 1..=TRIES {
            let what = format!("{} (try {attempt} of {TRIES})", case.name);
            let response = write_then_read(&mock, &bytes)
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let (head, body) = response
                .split_once("\r\n\r\n")
                .unwrap_or_else(|| panic!("{what}: no header end in {response:?}"));
            assert!(head.starts_with("HTTP/1.1 413 "), "{what}: {head}");
            let body: Value = serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("{what}: body is not JSON ({e}): {body}"));
            let content_type = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-type")
                        .then(|| value.trim().to_owned())
                })
                .unwrap_or_default();
            let answer = Answer {
                status: 413,
                content_type,
                body,
            };
            answer.assert_valid();
            assert_eq!(answer.body["code"], "payloadTooLarge", "{what}");
        }
    }
}
