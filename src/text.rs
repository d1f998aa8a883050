//! Every sentence the console shows, in one place so it can be translated.

use crate::api::ClientError;

pub const APP_TITLE: &str = "Asset processing";
pub const APP_SUBTITLE: &str = "Bulk processing of AEM Guides assets";
pub const SKIP_TO_CONTENT: &str = "Skip to content";

pub const HISTORY_TITLE: &str = "Recent runs";
pub const HISTORY_LOADING: &str = "Loading the recent runs…";
pub const HISTORY_EMPTY_TITLE: &str = "No processing runs yet";
pub const HISTORY_EMPTY_BODY: &str =
    "Start a job to process every asset under a folder; its progress and logs will show here.";
pub const REFRESH: &str = "Refresh";
pub const TRY_AGAIN: &str = "Try again";
pub const SIGN_IN: &str = "Sign in";

pub const COL_STATUS: &str = "Status";
pub const COL_ID: &str = "Execution ID";
pub const COL_TYPE: &str = "Feature type";
pub const COL_FOLDER: &str = "Folder";
pub const COL_EXCLUDED: &str = "Excluded folders";
pub const COL_CREATED_BY: &str = "Created by";
pub const COL_STARTED: &str = "Start time";
pub const COL_ENDED: &str = "End time";
pub const COL_DURATION: &str = "Duration";
pub const COL_PROGRESS: &str = "Progress";
pub const NOT_YET: &str = "—";
pub const NONE: &str = "none";

pub const NOT_FOUND_TITLE: &str = "Page not found";
pub const NOT_FOUND_BODY: &str = "This address is not a page of the console.";
pub const BACK_TO_HISTORY: &str = "Back to the recent runs";

/// A one-line explanation of a failed call, for a person.
pub fn client_error(error: &ClientError) -> String {
    let with = |general: &str, server: &str| {
        if server.trim().is_empty() {
            general.to_string()
        } else {
            format!("{general}: {server}")
        }
    };
    match error {
        ClientError::Network(_) => {
            "The server could not be reached. Check your connection; the console retries when you ask it to.".into()
        }
        ClientError::SessionExpired => "Your session has ended. Sign in again; what you typed stays here.".into(),
        ClientError::Forbidden(m) => with("The server refused this request", m),
        ClientError::NotFound(m) => with("Not found", m),
        ClientError::Conflict(m) => with("The job's state does not allow this now", m),
        ClientError::Rejected { status, message } => with(&format!("The server rejected the request ({status})"), message),
        ClientError::Server { status, message } => {
            with(&format!("The server failed ({status}). Try again in a moment", ), message)
        }
        ClientError::BadJson(m) => format!("The server's answer could not be read ({m})."),
    }
}

/// "12 of 40 assets" and friends.
pub fn progress(handled: u64, total: Option<u64>) -> String {
    match total {
        Some(total) => format!("{handled} of {total}"),
        None => format!("{handled} so far"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages_are_kept_and_general_ones_stand_alone() {
        assert_eq!(
            client_error(&ClientError::Rejected {
                status: 400,
                message: "path is empty".into()
            }),
            "The server rejected the request (400): path is empty"
        );
        assert_eq!(
            client_error(&ClientError::NotFound(String::new())),
            "Not found"
        );
        assert!(client_error(&ClientError::SessionExpired).contains("Sign in"));
    }
}
