//! `geo_types::Point` as a value (feature `geo`): a WGS-84 point
//! (SRID 4326), `x` the longitude and `y` the latitude, the convention of
//! `geo` and GeoJSON. A Cartesian point is a
//! [`Point2D`](crate::packstream::Point2D) with
//! [`Point2D::CARTESIAN`](crate::packstream::Point2D::CARTESIAN).
//!
//! ```
//! use neo_bolt::Value;
//! use neo_bolt::packstream::Point2D;
//!
//! let rome = geo_types::Point::new(12.4964, 41.9028);
//! assert_eq!(
//!     Value::from(rome),
//!     Value::Point2D(Point2D { srid: Point2D::WGS84, x: 12.4964, y: 41.9028 })
//! );
//! ```

use geo_types::Point;

use crate::packstream::{Point2D, Value};

/// A WGS-84 `Point2D`.
impl From<Point<f64>> for Value {
    fn from(point: Point<f64>) -> Self {
        Value::Point2D(Point2D {
            srid: Point2D::WGS84,
            x: point.x(),
            y: point.y(),
        })
    }
}
