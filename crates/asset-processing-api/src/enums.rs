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
    Status {
        /// Queued, not started.
        Waiting = "WAITING",
        Running = "RUNNING",
        Success = "SUCCESS",
        Failed = "FAILED",
        Cancelled = "CANCELLED",
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::Waiting
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
    CalculationStatus {
        Waiting = "WAITING",
        Running = "RUNNING",
        Success = "SUCCESS",
        Failed = "FAILED",
    }
}

impl Default for CalculationStatus {
    fn default() -> Self {
        CalculationStatus::Waiting
    }
}

wire_enum! {
    /// The unit of `eta.value`.
    EtaUnit {
        Seconds = "SECONDS",
        Minutes = "MINUTES",
        Hours = "HOURS",
    }
}

impl Default for EtaUnit {
    fn default() -> Self {
        EtaUnit::Seconds
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
    ProcessingType {
        AssetProcessing = "ASSET_PROCESSING",
    }
}

impl Default for ProcessingType {
    fn default() -> Self {
        ProcessingType::AssetProcessing
    }
}
