//! `geo_types::Point` read from a Neo4j point (feature `geo`): `x` and `y`
//! of a 2D point, WGS-84 (`x` the longitude, `y` the latitude) or
//! Cartesian alike, since a `Point` does not say which; read a
//! `neo_runtime::types::Point2D` to keep the SRID. A 3D point is a
//! mapping error (its `z` would be lost). Writing one is
//! `Value::from(point)`: a WGS-84 point.
//!
//! ```
//! use neo_runtime::{FromValue, Value};
//!
//! let rome = geo_types::Point::new(12.4964, 41.9028);
//! assert_eq!(geo_types::Point::from_value(Value::from(rome))?, rome);
//! # Ok::<(), neo_runtime::Error>(())
//! ```

use geo_types::Point;
use neo_bolt::Value;
use neo_bolt::packstream::Point2D;

use crate::error::Error;
use crate::from_value::{FromValue, mismatch};
use crate::value_kinds::ValueKinds;

impl FromValue for Point<f64> {
    const ACCEPTS: ValueKinds = ValueKinds::POINT;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Point2D(Point2D { x, y, .. }) => Ok(Point::new(x, y)),
            Value::Point3D(_) => Err(Error::mapping(format!(
                "{value} is a 3D point, whose `z` a `geo_types::Point` cannot hold; \
                 read it into `neo_runtime::types::Point3D`"
            ))),
            other => Err(mismatch("Point", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use neo_bolt::packstream::Point3D;

    use super::*;

    #[test]
    fn two_dimensions_of_either_system_but_not_three() {
        let cartesian = Value::Point2D(Point2D {
            srid: Point2D::CARTESIAN,
            x: 1.0,
            y: -2.0,
        });
        assert_eq!(Point::from_value(cartesian).unwrap(), Point::new(1.0, -2.0));
        let error = Point::<f64>::from_value(Value::Point3D(Point3D {
            srid: Point3D::WGS84,
            x: 1.0,
            y: 2.0,
            z: 3.0,
        }))
        .unwrap_err();
        assert!(error.to_string().contains("is a 3D point"), "{error}");
    }
}
