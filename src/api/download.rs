//! What the log download answered: a ZIP (the contract), or the other documented form,
//! JSON `{"logFilePaths": [...]}` naming log files, which the console then lists as links
//! resolved against the API's origin. Pure.

use asset_processing_api::LogFilePaths;

/// The download's answer, as the console acts on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownloadAnswer {
    /// An archive (or any file): let the browser download it.
    Archive,
    /// Log files named by the server: absolute URLs to offer as links.
    Files(Vec<String>),
}

/// Decides from a 2xx answer's content type and, for JSON, its body.
pub fn download_answer(api_base: &str, content_type: &str, body: &str) -> DownloadAnswer {
    if !content_type.to_ascii_lowercase().contains("json") {
        return DownloadAnswer::Archive;
    }
    let paths = serde_json::from_str::<LogFilePaths>(body)
        .map(|l| l.log_file_paths)
        .unwrap_or_default();
    DownloadAnswer::Files(paths.iter().map(|p| resolve(api_base, p)).collect())
}

/// A path from the server as a URL: absolute URLs as they are, paths against the API origin
/// ("" = the page's own).
pub fn resolve(api_base: &str, path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return path.to_string();
    }
    let base = api_base.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// The file name a link shows: the last segment of the path.
pub fn file_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_is_an_archive_and_json_names_files() {
        assert_eq!(
            download_answer("", "application/zip", ""),
            DownloadAnswer::Archive
        );
        assert_eq!(
            download_answer(
                "https://author.example.com",
                "application/json;charset=utf-8",
                r#"{"logFilePaths":["/var/dxml/logs/a.log","b.log","https://cdn.example.com/c.log"]}"#
            ),
            DownloadAnswer::Files(vec![
                "https://author.example.com/var/dxml/logs/a.log".into(),
                "https://author.example.com/b.log".into(),
                "https://cdn.example.com/c.log".into(),
            ])
        );
        assert_eq!(
            download_answer("", "application/json", "{}"),
            DownloadAnswer::Files(vec![])
        );
        assert_eq!(resolve("", "/var/x.log"), "/var/x.log");
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name("/var/dxml/logs/a.log"), "a.log");
        assert_eq!(file_name("https://x/y/z.log?token=1"), "z.log");
        assert_eq!(file_name("plain"), "plain");
    }
}
