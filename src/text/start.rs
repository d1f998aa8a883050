//! The start form: its fields, checks and pre-flight.

pub const START_TITLE: &str = "Start a processing job";
pub const START_INTRO: &str = "Every asset under the folder is processed: checked, hashed, and for DITA and XML, its references verified.";
pub const FIELD_PATH: &str = "Folder or asset";
pub const FIELD_PATH_HELP: &str = "A path under /content/dam. Type to search, or browse.";
pub const BROWSE: &str = "Browse…";
pub const USE_THIS_FOLDER: &str = "Use this folder";
pub const UP_ONE_FOLDER: &str = "Up one folder";
pub const FOLDER_EMPTY: &str = "No sub-folders here.";
pub const FIELD_EXCLUDED: &str = "Excluded folders";
pub const FIELD_EXCLUDED_HELP: &str = "Folders below the chosen one that are left out.";
pub const ADD_EXCLUDED: &str = "Add";
pub const NEW_EXCLUDED: &str = "Folder to exclude";
pub const REMOVE: &str = "Remove";
pub const FIELD_TYPE: &str = "Processing type";
pub const FIELD_FILE_TYPES: &str = "File types";
pub const FIELD_FILE_TYPES_HELP: &str = "None ticked: every file type.";
pub const FIELD_CREATED: &str = "Created";
pub const FIELD_CREATED_HELP: &str =
    "Only assets created in this window (your local time). Empty: no limit.";
pub const FIELD_CREATED_AFTER: &str = "Created after";
pub const FIELD_CREATED_BEFORE: &str = "Created before";
pub const PREFLIGHT_INTRO: &str = "A run on these assets has not finished yet:";
pub const PREFLIGHT_START_ANYWAY: &str =
    "You can still start this one; the assets in both would be processed twice.";

/// How a run overlaps the folder about to be started (`pages::start::form::Overlap::words`).
pub const OVERLAP_SAME: &str = "this folder";
pub const OVERLAP_CONTAINS: &str = "contains this folder";
pub const OVERLAP_INSIDE: &str = "inside this folder";

/// One run named by the pre-flight check: "RUNNING on /content/dam/guides (contains this
/// folder)"; `how` is one of the `OVERLAP_` words.
pub fn preflight_run(status: &str, path: &str, how: &str) -> String {
    format!("{status} on {path} ({how})")
}
pub const CHOOSE_PATH: &str = "Choose the folder (or asset) to process.";
pub const TIME_NOT_A_TIME: &str = "Enter a date and time, or leave it empty.";
pub const TIME_BEFORE_1970: &str = "Choose a time after 1 January 1970.";
pub const CREATED_BEFORE_IS_EARLIER: &str =
    "\"Created before\" is earlier than \"Created after\": no asset could match. Swap them or change one.";

/// A file-type category in words; unknown categories are shown as they came.
pub fn category_label(category: &asset_processing_api::FileCategory) -> &str {
    use asset_processing_api::FileCategory as C;
    match category {
        C::DitaTopic => "DITA topics",
        C::DitaMap => "DITA maps",
        C::Markdown => "Markdown",
        C::HtmlCss => "HTML and CSS",
        C::Ditaval => "DITAVAL",
        C::Others => "Other files",
        C::Other(name) => name,
    }
}

/// What a category's box covers, under its label.
pub fn category_hint(category: &asset_processing_api::FileCategory) -> &'static str {
    use asset_processing_api::FileCategory as C;
    match category {
        C::DitaTopic => ".dita, .xml",
        C::DitaMap => ".ditamap, .bookmap",
        C::Markdown => ".md",
        C::HtmlCss => ".html, .htm, .css",
        C::Ditaval => ".ditaval",
        C::Others => "images, PDFs, everything else",
        C::Other(_) => "",
    }
}
pub const FIELD_SKIP: &str = "Skip assets processed before and unchanged since then";
pub const SUBMIT: &str = "Start processing";
pub const SUBMITTING: &str = "Starting…";
pub const DRAFT_KEPT: &str = "Your entries are kept in this tab while you sign in.";
/// While the start form's code is fetched (a split build loads it on demand).
pub const START_LOADING: &str = "Loading the form…";
