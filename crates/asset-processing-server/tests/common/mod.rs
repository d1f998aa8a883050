//! A real server on a loopback port with its own temporary repository and data folder.

#![allow(dead_code)]

use std::path::PathBuf;

use asset_processing_server::{start, Config, Running};

pub struct TestServer {
    pub base: String,
    pub repository: PathBuf,
    pub data: PathBuf,
    running: Option<Running>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server over an empty repository.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `prepare` has filled the repository folder.
    pub async fn start_with(prepare: impl FnOnce(&std::path::Path)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let repository = dir.path().join("dam");
        let data = dir.path().join("data");
        std::fs::create_dir_all(&repository).unwrap();
        prepare(&repository);
        let running = start(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            repository: repository.clone(),
            data: data.clone(),
            console: None,
            workers: 2,
        })
        .await
        .unwrap();
        TestServer {
            base: format!("http://{}", running.addr),
            repository,
            data,
            running: Some(running),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
    }
}

/// GET and return (status, JSON body).
pub async fn get_json(url: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}
