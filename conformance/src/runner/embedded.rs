//! The default replay target: the crate's own mock, started in-process on a loopback port.

use std::net::SocketAddr;

/// A running embedded mock; stops when dropped.
#[derive(Debug)]
pub struct EmbeddedMock {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl EmbeddedMock {
    /// Starts the mock on `127.0.0.1` with an ephemeral port.
    pub async fn start() -> std::io::Result<EmbeddedMock> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app = crate::mock::app(crate::mock::MockState::default());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(EmbeddedMock { addr, task })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Credentials the mock accepts at `/auth/get-token`, if it has a login.
    pub fn credentials(&self) -> Option<(&'static str, &'static str)> {
        None
    }
}

impl Drop for EmbeddedMock {
    fn drop(&mut self) {
        self.task.abort();
    }
}
