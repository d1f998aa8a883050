//! Configuration of one console instance, read from the host element's data attributes
//! (`data-api-base`, `data-base`, `data-history-size`), with defaults for the standalone page.

/// How this console instance talks to the server and where its routes live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Prefix of every request: "" for same origin, or e.g. "https://author.example.com".
    pub api_base: String,
    /// Router base: "" standalone, or the page path inside AEM
    /// (`/apps/guides/asset-processing.html`).
    pub route_base: String,
    /// How many runs the history shows.
    pub history_size: u32,
    /// How often a running job is asked for its status, in milliseconds.
    pub poll_interval_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base: String::new(),
            route_base: String::new(),
            history_size: 10,
            poll_interval_ms: 1_000,
        }
    }
}

impl Config {
    /// A console route as a link's URL: under the route base
    /// (`/apps/…/asset-processing.html/jobs/x`). The router prefixes its base when it
    /// navigates (`use_navigate("/jobs/x")`), but not in the `href` of an absolute `<A>`.
    pub fn href(&self, route: &str) -> String {
        join_base(&self.route_base, route)
    }

    /// Builds the configuration from attribute values; missing or unusable ones keep their
    /// default.
    pub fn from_attributes(get: impl Fn(&str) -> Option<String>) -> Config {
        let default = Config::default();
        let trim_slash = |s: String| s.trim().trim_end_matches('/').to_string();
        Config {
            api_base: get("data-api-base")
                .map(trim_slash)
                .unwrap_or(default.api_base),
            route_base: get("data-base")
                .map(trim_slash)
                .unwrap_or(default.route_base),
            history_size: get("data-history-size")
                .and_then(|s| s.trim().parse().ok())
                .filter(|n| (1..=asset_processing_api::HISTORY_LIMIT_MAX).contains(n))
                .unwrap_or(default.history_size),
            poll_interval_ms: get("data-poll-interval")
                .and_then(|s| s.trim().parse().ok())
                .filter(|n| (250..=60_000).contains(n))
                .unwrap_or(default.poll_interval_ms),
        }
    }
}

/// `base` + `route`, with exactly one slash between them; the base alone for "/".
pub fn join_base(base: &str, route: &str) -> String {
    let base = base.trim_end_matches('/');
    let route = route.trim_start_matches('/');
    match (base.is_empty(), route.is_empty()) {
        (true, _) => format!("/{route}"),
        (false, true) => base.to_string(),
        (false, false) => format!("{base}/{route}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_under_a_base() {
        assert_eq!(join_base("", "/jobs/1"), "/jobs/1");
        assert_eq!(join_base("", "/"), "/");
        let page = "/apps/asset-processing-console/content/asset-processing.html";
        assert_eq!(join_base(page, "/jobs/1"), format!("{page}/jobs/1"));
        assert_eq!(join_base(&format!("{page}/"), "/"), page);
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        assert_eq!(Config::from_attributes(|_| None), Config::default());
    }

    #[test]
    fn reads_and_cleans_attributes() {
        let c = Config::from_attributes(|name| match name {
            "data-api-base" => Some("https://author.example.com/".into()),
            "data-base" => Some("/apps/guides/asset-processing.html".into()),
            "data-history-size" => Some("25".into()),
            "data-poll-interval" => Some("2000".into()),
            _ => None,
        });
        assert_eq!(c.api_base, "https://author.example.com");
        assert_eq!(c.route_base, "/apps/guides/asset-processing.html");
        assert_eq!(c.history_size, 25);
        assert_eq!(c.poll_interval_ms, 2_000);
    }

    #[test]
    fn unusable_history_size_keeps_the_default() {
        for bad in ["0", "500", "many"] {
            let c = Config::from_attributes(|n| (n == "data-history-size").then(|| bad.into()));
            assert_eq!(c.history_size, 10, "{bad}");
        }
    }
}
