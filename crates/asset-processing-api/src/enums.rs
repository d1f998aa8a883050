//! String enums of the wire format. Each keeps values it does not know in `Other`, so a newer
//! or different server never makes the console fail to parse a job.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know, kept exactly as it came.
            Other(String),
        }

        impl $name {
            /// Every value the contract names, in its order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(s) => s,
                }
            }

            /// Parses a wire value; never fails (unknown values become `Other`).
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                // The reference server only ever sends (and accepts) the known values; a
                // client must still keep unknown ones (see the module comment).
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some($name::KNOWN.iter().map(|v| v.as_str().to_string())))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::from_wire(&s))
            }
        }
    };
}

wire_enum! {
    /// A job's state (contract: "Job").
    #[derive(Default)]
    Status {
        /// Queued, not started.
        #[default]
        Waiting = "WAITING",
        Running = "RUNNING",
        Success = "SUCCESS",
        Failed = "FAILED",
        Cancelled = "CANCELLED",
    }
}

impl Status {
    /// A job in a final state never changes again by itself: polling can stop.
    /// Unknown values are not final: a console keeps watching them.
    pub fn is_final(&self) -> bool {
        matches!(self, Status::Success | Status::Failed | Status::Cancelled)
    }

    /// Waiting or running: work is pending.
    pub fn is_active(&self) -> bool {
        matches!(self, Status::Waiting | Status::Running)
    }
}

wire_enum! {
    /// The counting phase before processing (`migrationSet.calculationStatus`).
    #[derive(Default)]
    CalculationStatus {
        #[default]
        Waiting = "WAITING",
        Running = "RUNNING",
        Success = "SUCCESS",
        Failed = "FAILED",
    }
}

wire_enum! {
    /// The unit of `eta.value`.
    #[derive(Default)]
    EtaUnit {
        #[default]
        Seconds = "SECONDS",
        Minutes = "MINUTES",
        Hours = "HOURS",
    }
}

impl EtaUnit {
    /// Seconds in one unit, when the unit is known.
    pub fn seconds(&self) -> Option<u64> {
        match self {
            EtaUnit::Seconds => Some(1),
            EtaUnit::Minutes => Some(60),
            EtaUnit::Hours => Some(3_600),
            EtaUnit::Other(_) => None,
        }
    }
}

wire_enum! {
    /// The kind of processing requested. The contract knows one.
    #[derive(Default)]
    ProcessingType {
        #[default]
        AssetProcessing = "ASSET_PROCESSING",
    }
}

wire_enum! {
    /// One asset's latest processing outcome in the per-asset status API.
    #[derive(Default)]
    AssetOutcome {
        Success = "SUCCESS",
        Failure = "FAILURE",
        /// A job that includes the asset is running and has not handled it yet.
        Processing = "PROCESSING",
        /// Never processed.
        #[default]
        Pending = "PENDING",
    }
}

wire_enum! {
    /// A file-type category of the start request's `filter.fileTypes` (the later revision of
    /// the published page lists these six; categories, not extensions).
    FileCategory {
        DitaTopic = "DITATOPIC",
        DitaMap = "DITAMAP",
        Markdown = "MARKDOWN",
        HtmlCss = "HTML/CSS",
        Ditaval = "DITAVAL",
        Others = "OTHERS",
    }
}

impl FileCategory {
    /// The category of a file by its name, as the contract maps it: `.dita`/`.xml` topics,
    /// `.ditamap`/`.bookmap` maps, `.md`, `.html`/`.htm`/`.css`, `.ditaval`, the rest OTHERS.
    /// Extensions compare without regard to ASCII case (`Intro.DITA` is a topic).
    pub fn of_path(path: &str) -> FileCategory {
        let name = path.rsplit('/').next().unwrap_or(path);
        let extension = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
            _ => return FileCategory::Others,
        };
        match extension.as_str() {
            "dita" | "xml" => FileCategory::DitaTopic,
            "ditamap" | "bookmap" => FileCategory::DitaMap,
            "md" => FileCategory::Markdown,
            "html" | "htm" | "css" => FileCategory::HtmlCss,
            "ditaval" => FileCategory::Ditaval,
            _ => FileCategory::Others,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_to_their_category() {
        let cases = [
            ("/content/dam/a/intro.dita", FileCategory::DitaTopic),
            ("/content/dam/a/Intro.DITA", FileCategory::DitaTopic),
            ("/content/dam/a/topic.xml", FileCategory::DitaTopic),
            ("/content/dam/a/guide.ditamap", FileCategory::DitaMap),
            ("/content/dam/a/book.bookmap", FileCategory::DitaMap),
            ("/content/dam/a/readme.md", FileCategory::Markdown),
            ("/content/dam/a/page.html", FileCategory::HtmlCss),
            ("/content/dam/a/page.htm", FileCategory::HtmlCss),
            ("/content/dam/a/site.css", FileCategory::HtmlCss),
            ("/content/dam/a/print.ditaval", FileCategory::Ditaval),
            ("/content/dam/a/logo.png", FileCategory::Others),
            ("/content/dam/a/Makefile", FileCategory::Others),
            ("/content/dam/a/.dita", FileCategory::Others),
            ("/content/dam/a.dita/file", FileCategory::Others),
        ];
        for (path, want) in cases {
            assert_eq!(FileCategory::of_path(path), want, "{path}");
        }
    }

    #[test]
    fn categories_keep_the_wire_names_and_unknown_ones() {
        assert_eq!(FileCategory::HtmlCss.as_str(), "HTML/CSS");
        assert_eq!(FileCategory::KNOWN.len(), 6);
        let parsed: Vec<FileCategory> =
            serde_json::from_str(r#"["DITAMAP","dita","HTML/CSS"]"#).unwrap();
        assert_eq!(
            parsed,
            vec![
                FileCategory::DitaMap,
                FileCategory::Other("dita".into()),
                FileCategory::HtmlCss
            ]
        );
    }
}
