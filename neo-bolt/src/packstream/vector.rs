//! The value types of Bolt 6: vectors, and the placeholder a server sends
//! for a value the negotiated version cannot carry.

use std::fmt;

use super::marker;
use crate::{BoltVersion, Error, ErrorKind};

/// The type of a [`Vector`]'s elements, named on the wire by the PackStream
/// marker of that type (`FLOAT_32` is a marker of vectors only).
///
/// ```
/// use neo_bolt::packstream::VectorType;
///
/// assert_eq!(VectorType::F32.marker(), 0xC6);
/// assert_eq!(VectorType::from_marker(0xC9), Some(VectorType::I16));
/// assert_eq!(VectorType::I64.size(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VectorType {
    /// 8-bit signed integers.
    I8,
    /// 16-bit signed integers.
    I16,
    /// 32-bit signed integers.
    I32,
    /// 64-bit signed integers.
    I64,
    /// 32-bit floats.
    F32,
    /// 64-bit floats.
    F64,
}

/// The marker of 32-bit floats, used only in vectors.
const FLOAT_32: u8 = 0xC6;

impl VectorType {
    /// The wire marker.
    pub fn marker(self) -> u8 {
        match self {
            VectorType::I8 => marker::INT_8,
            VectorType::I16 => marker::INT_16,
            VectorType::I32 => marker::INT_32,
            VectorType::I64 => marker::INT_64,
            VectorType::F32 => FLOAT_32,
            VectorType::F64 => marker::FLOAT_64,
        }
    }

    /// The type a wire marker names.
    pub fn from_marker(marker: u8) -> Option<Self> {
        Some(match marker {
            marker::INT_8 => VectorType::I8,
            marker::INT_16 => VectorType::I16,
            marker::INT_32 => VectorType::I32,
            marker::INT_64 => VectorType::I64,
            FLOAT_32 => VectorType::F32,
            marker::FLOAT_64 => VectorType::F64,
            _ => return None,
        })
    }

    /// The bytes of one element.
    pub fn size(self) -> usize {
        match self {
            VectorType::I8 => 1,
            VectorType::I16 => 2,
            VectorType::I32 | VectorType::F32 => 4,
            VectorType::I64 | VectorType::F64 => 8,
        }
    }

    /// The name Cypher gives it, such as `FLOAT32`.
    pub fn cypher_name(self) -> &'static str {
        match self {
            VectorType::I8 => "INTEGER8",
            VectorType::I16 => "INTEGER16",
            VectorType::I32 => "INTEGER32",
            VectorType::I64 => "INTEGER",
            VectorType::F32 => "FLOAT32",
            VectorType::F64 => "FLOAT",
        }
    }
}

/// A vector of numbers of one type (Bolt 6.0): an embedding, say. On the
/// wire its elements are one block of big-endian bytes.
///
/// ```
/// use neo_bolt::packstream::{Vector, VectorType};
///
/// let embedding = Vector::from(vec![0.25_f32, -1.5, 3.0]);
/// assert_eq!(embedding.element_type(), VectorType::F32);
/// assert_eq!(embedding.len(), 3);
/// assert_eq!(embedding.as_f32(), Some(&[0.25_f32, -1.5, 3.0][..]));
/// let (marker, bytes) = (embedding.element_type().marker(), embedding.to_be_bytes());
/// assert_eq!(Vector::from_be_bytes(marker, &bytes)?, embedding);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Vector {
    /// 8-bit integers.
    I8(Vec<i8>),
    /// 16-bit integers.
    I16(Vec<i16>),
    /// 32-bit integers.
    I32(Vec<i32>),
    /// 64-bit integers.
    I64(Vec<i64>),
    /// 32-bit floats.
    F32(Vec<f32>),
    /// 64-bit floats.
    F64(Vec<f64>),
}

macro_rules! for_each_type {
    ($vector:expr, $items:ident => $body:expr) => {
        match $vector {
            Vector::I8($items) => $body,
            Vector::I16($items) => $body,
            Vector::I32($items) => $body,
            Vector::I64($items) => $body,
            Vector::F32($items) => $body,
            Vector::F64($items) => $body,
        }
    };
}

impl Vector {
    /// The type of the elements.
    pub fn element_type(&self) -> VectorType {
        match self {
            Vector::I8(_) => VectorType::I8,
            Vector::I16(_) => VectorType::I16,
            Vector::I32(_) => VectorType::I32,
            Vector::I64(_) => VectorType::I64,
            Vector::F32(_) => VectorType::F32,
            Vector::F64(_) => VectorType::F64,
        }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        for_each_type!(self, items => items.len())
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements, if they are 32-bit floats.
    pub fn as_f32(&self) -> Option<&[f32]> {
        match self {
            Vector::F32(items) => Some(items),
            _ => None,
        }
    }

    /// The elements, if they are 64-bit floats.
    pub fn as_f64(&self) -> Option<&[f64]> {
        match self {
            Vector::F64(items) => Some(items),
            _ => None,
        }
    }

    /// The elements widened to 64-bit floats (integers of 64 bits may lose
    /// precision beyond 2^53).
    #[allow(clippy::cast_precision_loss)]
    pub fn to_f64_vec(&self) -> Vec<f64> {
        match self {
            Vector::I8(items) => items.iter().map(|&x| f64::from(x)).collect(),
            Vector::I16(items) => items.iter().map(|&x| f64::from(x)).collect(),
            Vector::I32(items) => items.iter().map(|&x| f64::from(x)).collect(),
            Vector::I64(items) => items.iter().map(|&x| x as f64).collect(),
            Vector::F32(items) => items.iter().map(|&x| f64::from(x)).collect(),
            Vector::F64(items) => items.clone(),
        }
    }

    /// The elements as 64-bit integers, if they are integers.
    pub fn to_i64_vec(&self) -> Option<Vec<i64>> {
        Some(match self {
            Vector::I8(items) => items.iter().map(|&x| i64::from(x)).collect(),
            Vector::I16(items) => items.iter().map(|&x| i64::from(x)).collect(),
            Vector::I32(items) => items.iter().map(|&x| i64::from(x)).collect(),
            Vector::I64(items) => items.clone(),
            Vector::F32(_) | Vector::F64(_) => return None,
        })
    }

    /// The elements as the wire carries them: big-endian, one after the
    /// other.
    pub fn to_be_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.len() * self.element_type().size());
        for_each_type!(self, items => {
            for item in items {
                bytes.extend_from_slice(&item.to_be_bytes());
            }
        });
        bytes
    }

    /// A vector from its wire form: the element type's marker and the
    /// big-endian elements. An unknown marker, or bytes that are not a
    /// whole number of elements, are errors.
    pub fn from_be_bytes(marker: u8, bytes: &[u8]) -> Result<Vector, Error> {
        let element = VectorType::from_marker(marker).ok_or_else(|| {
            Error::new(ErrorKind::Protocol(format!(
                "0x{marker:02X} is not the marker of a vector element type"
            )))
        })?;
        if !bytes.len().is_multiple_of(element.size()) {
            return Err(Error::new(ErrorKind::Protocol(format!(
                "a vector of {} has {} bytes, not a whole number of {}-byte elements",
                element.cypher_name(),
                bytes.len(),
                element.size()
            ))));
        }
        macro_rules! elements {
            ($ty:ty, $n:literal) => {
                bytes
                    .chunks_exact($n)
                    .map(|chunk| {
                        let mut array = [0u8; $n];
                        array.copy_from_slice(chunk);
                        <$ty>::from_be_bytes(array)
                    })
                    .collect()
            };
        }
        Ok(match element {
            VectorType::I8 => Vector::I8(elements!(i8, 1)),
            VectorType::I16 => Vector::I16(elements!(i16, 2)),
            VectorType::I32 => Vector::I32(elements!(i32, 4)),
            VectorType::I64 => Vector::I64(elements!(i64, 8)),
            VectorType::F32 => Vector::F32(elements!(f32, 4)),
            VectorType::F64 => Vector::F64(elements!(f64, 8)),
        })
    }
}

macro_rules! from_vec {
    ($($ty:ty => $variant:ident),*) => {$(
        impl From<Vec<$ty>> for Vector {
            fn from(items: Vec<$ty>) -> Self {
                Vector::$variant(items)
            }
        }

        impl From<&[$ty]> for Vector {
            fn from(items: &[$ty]) -> Self {
                Vector::$variant(items.to_vec())
            }
        }
    )*};
}

from_vec!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, f32 => F32, f64 => F64);

/// What a Bolt 6 server sends in place of a value of a type the negotiated
/// protocol version cannot carry: the type's name, the version that can,
/// and possibly a message.
///
/// ```
/// use neo_bolt::packstream::UnsupportedType;
/// use neo_bolt::BoltVersion;
///
/// let placeholder = UnsupportedType::new("FUTURE_TYPE", BoltVersion::new(6, 5), None);
/// assert_eq!(placeholder.to_string(), "a value of type FUTURE_TYPE, which needs Bolt 6.5");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnsupportedType {
    name: String,
    minimum_protocol_version: BoltVersion,
    message: Option<String>,
}

impl UnsupportedType {
    /// A placeholder for a value of type `name`, which needs
    /// `minimum_protocol_version`.
    pub fn new(
        name: impl Into<String>,
        minimum_protocol_version: BoltVersion,
        message: Option<String>,
    ) -> Self {
        UnsupportedType {
            name: name.into(),
            minimum_protocol_version,
            message,
        }
    }

    /// The type's name, as the server calls it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first Bolt version that carries values of the type.
    pub fn minimum_protocol_version(&self) -> BoltVersion {
        self.minimum_protocol_version
    }

    /// What the server says about it, if anything.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for UnsupportedType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a value of type {}, which needs Bolt {}",
            self.name, self.minimum_protocol_version
        )?;
        if let Some(message) = &self.message {
            write!(f, " ({message})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_type_survives_its_wire_form() {
        let vectors = [
            Vector::from(vec![i8::MIN, -1, 0, 1, i8::MAX]),
            Vector::from(vec![i16::MIN, 0, i16::MAX]),
            Vector::from(vec![i32::MIN, 7, i32::MAX]),
            Vector::from(vec![i64::MIN, 7, i64::MAX]),
            Vector::from(vec![f32::MIN, -0.5, f32::INFINITY]),
            Vector::from(vec![f64::MAX, 1e-300, f64::NEG_INFINITY]),
            Vector::F64(Vec::new()),
        ];
        for vector in vectors {
            let bytes = vector.to_be_bytes();
            assert_eq!(bytes.len(), vector.len() * vector.element_type().size());
            let back = Vector::from_be_bytes(vector.element_type().marker(), &bytes).unwrap();
            assert_eq!(back, vector);
        }
        assert_eq!(Vector::from(vec![1i16, 2]).to_be_bytes(), [0, 1, 0, 2]);
    }

    #[test]
    fn malformed_wire_forms_are_refused() {
        assert!(Vector::from_be_bytes(0xC0, &[]).is_err());
        let err = Vector::from_be_bytes(VectorType::I32.marker(), &[0, 0, 0]).unwrap_err();
        assert!(err.to_string().contains("whole number"), "{err}");
    }

    #[test]
    fn conversions_widen_or_refuse() {
        let ints = Vector::from(vec![1i8, -2]);
        assert_eq!(ints.to_i64_vec(), Some(vec![1, -2]));
        assert_eq!(ints.to_f64_vec(), [1.0, -2.0]);
        assert_eq!(Vector::from(vec![0.5f32]).to_i64_vec(), None);
        assert!(Vector::I8(vec![]).is_empty());
    }
}
