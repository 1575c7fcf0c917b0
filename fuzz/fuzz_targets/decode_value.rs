//! Decodes arbitrary bytes as one PackStream value in every dialect.
//!
//! Decoding must never panic; `skip_value` must accept exactly the inputs
//! that `read_value` accepts; and a decoded value must re-encode to bytes
//! that decode and re-encode to the very same bytes. Strings and lists of
//! strings read through serde must match what `read_value` reads.

#![no_main]

use libfuzzer_sys::fuzz_target;
use neo_bolt::Value;
use neo_bolt::packstream::{self, Dialect, Unpacker};

const DIALECTS: [Dialect; 3] = [
    Dialect::LATEST,
    Dialect::V4_4,
    Dialect {
        element_ids: false,
        utc_datetime: true,
    },
];

fuzz_target!(|data: &[u8]| {
    for dialect in DIALECTS {
        let decoded = packstream::from_slice(data, dialect);

        let mut skipper = Unpacker::new(data, dialect);
        let skipped = skipper.skip_value().and_then(|()| skipper.finish());
        assert_eq!(
            decoded.is_ok(),
            skipped.is_ok(),
            "read_value {decoded:?} but skip_value {skipped:?} in {dialect:?}"
        );

        let as_string = packstream::from_bytes::<String>(data, dialect).ok();
        let as_strings = packstream::from_bytes::<Vec<String>>(data, dialect).ok();
        match &decoded {
            Ok(Value::String(s)) => assert_eq!(as_string.as_ref(), Some(s)),
            Ok(Value::List(items)) if items.iter().all(|i| matches!(i, Value::String(_))) => {
                let strings: Vec<String> = items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect();
                assert_eq!(as_strings, Some(strings));
            }
            _ => {
                assert_eq!(as_string, None, "serde read a String that read_value refused");
            }
        }

        if let Ok(value) = decoded {
            let bytes = packstream::to_vec(&value, dialect).expect("a decoded value re-encodes");
            let again = packstream::from_slice(&bytes, dialect).expect("re-encoded bytes decode");
            let bytes_again = packstream::to_vec(&again, dialect).expect("re-encodes again");
            assert_eq!(bytes, bytes_again, "re-encoding is not stable in {dialect:?}");
            // Without NaNs (which never equal themselves) the values match too.
            if !format!("{value:?}").contains("NaN") {
                assert_eq!(value, again);
            }
            // The re-encoded form is never longer: the encoder picks the
            // smallest widths and a repeated map key is written once.
            assert!(bytes.len() <= data.len());
        }
    }
});
