//! How Justap's server really encodes values (grpc-gateway + protojson), and the tolerance the SDK needs
//! to read it: 64-bit integers arrive as JSON strings, any integer may arrive as a string or a number,
//! floats may be `"NaN"`/`"Infinity"`, unset fields arrive as `null`, enum values may be unknown or
//! numeric. The model types' serde impls call the codecs here.
//!
//! Each scalar codec (`str_int`, `num_int`, `float`) comes with `opt`, `vec` and `map` sub-modules for
//! `Option<T>`, `Vec<T>` and `BTreeMap<String, T>` fields. Decoding `null` gives the default (zero,
//! empty, `None`), like protojson does for an unset field.
//!
//! The model structs' serde impls are two small functions each ([`Object`]) driven by
//! [`decode_object`] and [`encode_object`] here, rather than serde's derives: the derives' visitors,
//! field enums and per-field `with` wrappers were most of this crate's build time.

// Which codecs a spec needs varies by release; this file is the same for all of them, so the
// ones (and the macros) a given spec does not use are expected to be dead.
#![allow(dead_code, unused_imports, unused_macros)]

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Unexpected, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A model struct as a JSON object: what to do with each key, and which keys to send. Starts
/// decoding from `Default`, so an absent field keeps its zero value.
pub trait Object: Default {
    /// Decodes the value of `key` (the next value of `map`) into its field; keys the struct does
    /// not name are skipped, or kept in its map of extra keys.
    fn decode_field<'de, A: MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;

    /// Sends every field that holds something to send.
    fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// Decodes a JSON object into `T` (`Deserialize` of every model struct).
pub fn decode_object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a JSON object ({})", std::any::type_name::<T>())
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut value = T::default();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                value.decode_field(key, &mut map)?;
            }
            Ok(value)
        }
    }

    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Encodes `T` as a JSON object (`Serialize` of every model struct).
pub fn encode_object<T: Object, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.encode_fields(&mut map)?;
    map.end()
}

/// An object key, borrowed from the input when it can be (no escapes), so decoding allocates
/// nothing for the keys it matches.
pub enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The next value of `map` as `T`, `null` as `T::default()`.
pub fn or_default<'de, A: MapAccess<'de>, T: Deserialize<'de> + Default>(map: &mut A) -> Result<T, A::Error> {
    Ok(map.next_value::<Option<T>>()?.unwrap_or_default())
}

/// Skips the next value of `map` (a key the struct does not name).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Decodes `null` as `T::default()`; any other value as `T` does.
pub fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Decodes an enum value sent as its name or, by a server that does not know the name, as a number.
/// `from_wire` maps the text to the enum (unknown text to its catch-all variant).
pub fn enum_value<'de, D, E>(deserializer: D, from_wire: fn(&str) -> E) -> Result<E, D::Error>
where
    D: Deserializer<'de>,
{
    struct EnumVisitor<E>(fn(&str) -> E);

    impl<E> Visitor<'_> for EnumVisitor<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum value name or number")
        }

        fn visit_str<Er: de::Error>(self, v: &str) -> Result<E, Er> {
            Ok((self.0)(v))
        }

        fn visit_i64<Er: de::Error>(self, v: i64) -> Result<E, Er> {
            Ok((self.0)(&v.to_string()))
        }

        fn visit_u64<Er: de::Error>(self, v: u64) -> Result<E, Er> {
            Ok((self.0)(&v.to_string()))
        }
    }

    deserializer.deserialize_any(EnumVisitor(from_wire))
}

/// Sends an enum value: its name or, for a value that arrived as a number, that number again.
/// Protobuf enum names are identifiers, so a name that is exactly a number's digits can only have
/// come from a number; protojson reads a number as the enum value, but not its digits as a string.
pub fn encode_enum<S: Serializer>(name: &str, serializer: S) -> Result<S::Ok, S::Error> {
    match name.parse::<i32>() {
        // Only when the number prints back as `name`: "+7" or "07" are sent as they are.
        Ok(number) if number.to_string() == name => serializer.serialize_i32(number),
        _ => serializer.serialize_str(name),
    }
}

/// Integer types a field can have.
pub trait WireInt: Copy + Default + fmt::Display + std::str::FromStr + TryFrom<i64> + TryFrom<u64> {
    /// Writes the value as a JSON number.
    fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

macro_rules! wire_int {
    ($($t:ty => $method:ident),*) => {$(
        impl WireInt for $t {
            fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.$method(self)
            }
        }
    )*};
}
wire_int!(i32 => serialize_i32, i64 => serialize_i64, u32 => serialize_u32, u64 => serialize_u64);

/// Float types a field can have.
pub trait WireFloat: Copy + Default + Into<f64> + std::str::FromStr {
    /// Narrows a decoded `f64` (a no-op for `f64`).
    fn from_f64(v: f64) -> Self;

    /// Writes a finite value as a JSON number, with the shortest digits that read back as this
    /// type: an `f32` widened to `f64` first would send `0.01` as `0.009999999776482582`.
    fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl WireFloat for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }

    fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self)
    }
}

impl WireFloat for f32 {
    #[allow(clippy::cast_possible_truncation)] // protojson sends float fields with f32 precision
    fn from_f64(v: f64) -> Self {
        v as f32
    }

    fn serialize_number<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f32(self)
    }
}

struct IntVisitor<T>(PhantomData<T>);

impl<T: WireInt> Visitor<'_> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, as a JSON number or a string of digits")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    #[allow(clippy::cast_possible_truncation)] // only integral values inside the i64 range get here
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // `1e3` or `5.0` are integers written as floats; anything fractional is not an integer.
        if v.fract() == 0.0 && v >= i64::MIN as f64 && v < i64::MAX as f64 {
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.trim().parse().map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
}

struct FloatVisitor<T>(PhantomData<T>);

impl<T: WireFloat> Visitor<'_> for FloatVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    #[allow(clippy::cast_precision_loss)] // a JSON integer in a float field is read like JSON does
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::from_f64(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::from_f64(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::from_f64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        match v {
            "NaN" => Ok(T::from_f64(f64::NAN)),
            "Infinity" => Ok(T::from_f64(f64::INFINITY)),
            "-Infinity" => Ok(T::from_f64(f64::NEG_INFINITY)),
            // Parsed as `T` itself: through `f64` the decimal would be rounded twice.
            _ => v.trim().parse::<T>().map_err(|_| E::invalid_value(Unexpected::Str(v), &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
}

/// An integer sent as a JSON string (`int64`/`uint64` with `type: string`).
struct StrInt<T>(T);
/// An integer sent as a JSON number.
struct NumInt<T>(T);
/// A float; non-finite values are sent as protojson's strings.
struct Float<T>(T);

impl<T: WireInt> Serialize for StrInt<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<T: WireInt> Serialize for NumInt<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_number(serializer)
    }
}

impl<T: WireFloat> Serialize for Float<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Widening keeps NaN and the infinities, so it only serves to classify the value.
        let v: f64 = self.0.into();
        if v.is_nan() {
            serializer.serialize_str("NaN")
        } else if v.is_infinite() {
            serializer.serialize_str(if v > 0.0 { "Infinity" } else { "-Infinity" })
        } else {
            self.0.serialize_number(serializer)
        }
    }
}

impl<'de, T: WireInt> Deserialize<'de> for StrInt<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntVisitor(PhantomData)).map(StrInt)
    }
}

impl<'de, T: WireInt> Deserialize<'de> for NumInt<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntVisitor(PhantomData)).map(NumInt)
    }
}

impl<'de, T: WireFloat> Deserialize<'de> for Float<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatVisitor(PhantomData)).map(Float)
    }
}

/// Stamps out the field-level module of one scalar codec and its container variants: `next`
/// decodes a field's value from the object being decoded, `Ser` sends it.
macro_rules! codec_module {
    ($(#[$doc:meta])* $module:ident, $wrapper:ident, $bound:ident) => {
        $(#[$doc])*
        pub mod $module {
            use super::*;

            pub fn next<'de, T: $bound, A: MapAccess<'de>>(map: &mut A) -> Result<T, A::Error> {
                map.next_value::<$wrapper<T>>().map(|w| w.0)
            }

            pub struct Ser<'a, T>(pub &'a T);

            impl<T: $bound> Serialize for Ser<'_, T> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    $wrapper(*self.0).serialize(serializer)
                }
            }

            /// For `Option<T>` fields: `null` or absent is `None` (a `Some` is sent with `Ser`).
            pub mod opt {
                use super::super::*;

                pub fn next<'de, T: $bound, A: MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
                    Ok(map.next_value::<Option<$wrapper<T>>>()?.map(|w| w.0))
                }
            }

            /// For `Vec<T>` fields: `null` is empty.
            pub mod vec {
                use super::super::*;

                pub fn next<'de, T: $bound, A: MapAccess<'de>>(map: &mut A) -> Result<Vec<T>, A::Error> {
                    let items = map.next_value::<Option<Vec<$wrapper<T>>>>()?;
                    Ok(items.unwrap_or_default().into_iter().map(|w| w.0).collect())
                }

                pub struct Ser<'a, T>(pub &'a Vec<T>);

                impl<T: $bound> Serialize for Ser<'_, T> {
                    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.collect_seq(self.0.iter().map(|x| $wrapper(*x)))
                    }
                }
            }

            /// For `BTreeMap<String, T>` fields: `null` is empty.
            pub mod map {
                use super::super::*;

                pub fn next<'de, T: $bound, A: MapAccess<'de>>(
                    map: &mut A,
                ) -> Result<BTreeMap<String, T>, A::Error> {
                    let entries = map.next_value::<Option<BTreeMap<String, $wrapper<T>>>>()?;
                    Ok(entries.unwrap_or_default().into_iter().map(|(k, w)| (k, w.0)).collect())
                }

                pub struct Ser<'a, T>(pub &'a BTreeMap<String, T>);

                impl<T: $bound> Serialize for Ser<'_, T> {
                    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.collect_map(self.0.iter().map(|(k, x)| (k, $wrapper(*x))))
                    }
                }
            }
        }
    };
}

codec_module!(
    /// Integers sent as JSON strings; decoded from a string or a number.
    str_int, StrInt, WireInt
);
codec_module!(
    /// Integers sent as JSON numbers; decoded from a number or a string.
    num_int, NumInt, WireInt
);
codec_module!(
    /// Floats sent as JSON numbers (`"NaN"`, `"Infinity"`, `"-Infinity"` when not finite).
    float, Float, WireFloat
);

/// `Object`, `Serialize` and `Deserialize` of a model struct, from its wire table: one line per
/// field, `field: "json key" => shape(codec)`, then `extra: field` when unknown keys are kept.
/// Shapes (the type rules of the crate docs): `required` (a plain `T`, always sent), `optional`
/// (`Option<T>`, sent when `Some`), `container` (`Vec`/`BTreeMap`, sent when not empty), `json`
/// (`serde_json::Value`, sent when not `null`). Codecs: `plain` (serde's own) or a codec module of
/// this file (`float`, `str_int::vec`, ...).
macro_rules! object {
    ($name:ident {}) => {
        impl $crate::codec::Object for $name {
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                _key: $crate::codec::Key<'de>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                $crate::codec::skip(map)
            }

            fn encode_fields<M: serde::ser::SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
                Ok(())
            }
        }

        $crate::codec::object_serde!($name);
    };
    ($name:ident { $($field:ident: $wire:literal => $shape:ident $codec:tt,)* } $(extra: $extra:ident)?) => {
        impl $crate::codec::Object for $name {
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: $crate::codec::Key<'de>,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match key.as_str() {
                    $($wire => self.$field = $crate::codec::decode_value!(map, $shape $codec),)*
                    _ => $crate::codec::unknown_key!(self, key, map $(, $extra)?),
                }
                Ok(())
            }

            fn encode_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                $($crate::codec::encode_entry!(map, $wire, &self.$field, $shape $codec);)*
                $(for (key, value) in &self.$extra {
                    map.serialize_entry(key, value)?;
                })?
                Ok(())
            }
        }

        $crate::codec::object_serde!($name);
    };
}

/// `Serialize` and `Deserialize` of an [`Object`].
macro_rules! object_serde {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::codec::encode_object(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::codec::decode_object(deserializer)
            }
        }
    };
}

/// The next value of the map, decoded as a field of that shape and codec ([`object!`]).
macro_rules! decode_value {
    ($map:ident, required(plain)) => { $crate::codec::or_default($map)? };
    ($map:ident, required($($codec:ident)::+)) => { $crate::codec::$($codec)::+::next($map)? };
    ($map:ident, optional(plain)) => { $map.next_value()? };
    ($map:ident, optional($($codec:ident)::+)) => { $crate::codec::$($codec)::+::opt::next($map)? };
    ($map:ident, container(plain)) => { $crate::codec::or_default($map)? };
    ($map:ident, container($($codec:ident)::+)) => { $crate::codec::$($codec)::+::next($map)? };
    ($map:ident, json(plain)) => { $map.next_value()? };
}

/// Sends a field of that shape and codec, unless it holds nothing to send ([`object!`]).
macro_rules! encode_entry {
    ($map:ident, $wire:literal, $value:expr, required(plain)) => {
        $map.serialize_entry($wire, $value)?
    };
    ($map:ident, $wire:literal, $value:expr, required($($codec:ident)::+)) => {
        $map.serialize_entry($wire, &$crate::codec::$($codec)::+::Ser($value))?
    };
    ($map:ident, $wire:literal, $value:expr, optional(plain)) => {
        if let Some(value) = $value {
            $map.serialize_entry($wire, value)?;
        }
    };
    ($map:ident, $wire:literal, $value:expr, optional($($codec:ident)::+)) => {
        if let Some(value) = $value {
            $map.serialize_entry($wire, &$crate::codec::$($codec)::+::Ser(value))?;
        }
    };
    ($map:ident, $wire:literal, $value:expr, container(plain)) => {
        if !$value.is_empty() {
            $map.serialize_entry($wire, $value)?;
        }
    };
    ($map:ident, $wire:literal, $value:expr, container($($codec:ident)::+)) => {
        if !$value.is_empty() {
            $map.serialize_entry($wire, &$crate::codec::$($codec)::+::Ser($value))?;
        }
    };
    ($map:ident, $wire:literal, $value:expr, json(plain)) => {
        if !$value.is_null() {
            $map.serialize_entry($wire, $value)?;
        }
    };
}

/// A key the struct does not name: skipped, or kept in its map of extra keys.
macro_rules! unknown_key {
    ($object:ident, $key:ident, $map:ident) => {
        $crate::codec::skip($map)?
    };
    ($object:ident, $key:ident, $map:ident, $extra:ident) => {{
        $object.$extra.insert($key.into_string(), $map.next_value()?);
    }};
}

/// `Display`, `FromStr`, `Serialize` and `Deserialize` of a model enum, through its `as_str` and
/// `from_wire`: sent as its name, decoded from a name or a number, unknown names and numbers kept
/// and sent back as they came.
macro_rules! string_enum {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::codec::encode_enum(self.as_str(), serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::codec::enum_value(deserializer, Self::from_wire)
            }
        }
    };
}

// Path-scoped, so models.rs names them `crate::codec::object!` like the functions they call.
pub(crate) use {decode_value, encode_entry, object, object_serde, string_enum, unknown_key};
