//! Spatial points.

/// A point in two dimensions of a coordinate reference system.
///
/// ```
/// use neo_bolt::packstream::Point2D;
/// let p = Point2D { srid: Point2D::CARTESIAN, x: 1.0, y: 2.0 };
/// assert_eq!(p.srid, 7203);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point2D {
    /// The coordinate reference system id.
    pub srid: i64,
    /// The x coordinate (longitude for WGS-84).
    pub x: f64,
    /// The y coordinate (latitude for WGS-84).
    pub y: f64,
}

impl Point2D {
    /// Cartesian 2D.
    pub const CARTESIAN: i64 = 7203;
    /// WGS-84 2D (longitude, latitude).
    pub const WGS84: i64 = 4326;
}

/// A point in three dimensions of a coordinate reference system.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point3D {
    /// The coordinate reference system id.
    pub srid: i64,
    /// The x coordinate (longitude for WGS-84).
    pub x: f64,
    /// The y coordinate (latitude for WGS-84).
    pub y: f64,
    /// The z coordinate (height for WGS-84).
    pub z: f64,
}

impl Point3D {
    /// Cartesian 3D.
    pub const CARTESIAN: i64 = 9157;
    /// WGS-84 3D (longitude, latitude, height).
    pub const WGS84: i64 = 4979;
}
