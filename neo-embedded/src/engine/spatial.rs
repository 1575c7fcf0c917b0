//! Spatial points in Neo4j's four coordinate reference systems, with
//! `point()`, `point.distance()` and `point.withinBBox()`.

use std::collections::BTreeMap;
use std::fmt;

use super::error::{EngineError, Result};
use super::value::{Value, format_float};

/// Mean radius Neo4j uses for geographic distances, in metres.
const EARTH_RADIUS_METERS: f64 = 6_378_140.0;

/// A coordinate reference system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Crs {
    Cartesian,
    Cartesian3D,
    Wgs84,
    Wgs843D,
}

impl Crs {
    pub(crate) fn srid(self) -> i64 {
        match self {
            Crs::Cartesian => 7203,
            Crs::Cartesian3D => 9157,
            Crs::Wgs84 => 4326,
            Crs::Wgs843D => 4979,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Crs::Cartesian => "cartesian",
            Crs::Cartesian3D => "cartesian-3d",
            Crs::Wgs84 => "wgs-84",
            Crs::Wgs843D => "wgs-84-3d",
        }
    }

    pub(crate) fn from_srid(srid: i64) -> Option<Crs> {
        Some(match srid {
            7203 => Crs::Cartesian,
            9157 => Crs::Cartesian3D,
            4326 => Crs::Wgs84,
            4979 => Crs::Wgs843D,
            _ => return None,
        })
    }

    fn from_name(name: &str) -> Option<Crs> {
        Some(match name.to_ascii_lowercase().as_str() {
            "cartesian" => Crs::Cartesian,
            "cartesian-3d" => Crs::Cartesian3D,
            "wgs-84" => Crs::Wgs84,
            "wgs-84-3d" => Crs::Wgs843D,
            _ => return None,
        })
    }

    pub(crate) fn is_geographic(self) -> bool {
        matches!(self, Crs::Wgs84 | Crs::Wgs843D)
    }

    pub(crate) fn is_3d(self) -> bool {
        matches!(self, Crs::Cartesian3D | Crs::Wgs843D)
    }
}

/// A point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub(crate) crs: Crs,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) z: Option<f64>,
}

impl Point {
    /// A point from a Bolt SRID and coordinates.
    pub(crate) fn from_srid(srid: i64, x: f64, y: f64, z: Option<f64>) -> Result<Point> {
        let crs = Crs::from_srid(srid).ok_or_else(|| {
            EngineError::argument(format!("Unknown coordinate reference system SRID: {srid}"))
        })?;
        if crs.is_3d() != z.is_some() {
            return Err(EngineError::argument(format!(
                "Cannot create point with {}D coordinate reference system and {} coordinates",
                if crs.is_3d() { 3 } else { 2 },
                if z.is_some() { 3 } else { 2 }
            )));
        }
        Ok(Point { crs, x, y, z })
    }

    /// `point({x, y[, z][, crs|srid]})` or `point({longitude, latitude[,
    /// height][, crs|srid]})`.
    pub(crate) fn from_map(map: &BTreeMap<String, Value>) -> Result<Point> {
        let get = |key: &str| -> Result<Option<f64>> {
            match map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
            {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value.as_number().map(Some).ok_or_else(|| {
                    EngineError::type_error(format!(
                        "Cannot assign {} to a point coordinate `{key}`",
                        value.type_name()
                    ))
                }),
            }
        };
        let geographic_keys = get("longitude")?.is_some() || get("latitude")?.is_some();
        let (x, y, z) = if geographic_keys {
            (get("longitude")?, get("latitude")?, get("height")?)
        } else {
            (get("x")?, get("y")?, get("z")?)
        };
        let (Some(x), Some(y)) = (x, y) else {
            return Err(EngineError::argument(
                "A point must contain either 'x' and 'y', or 'latitude' and 'longitude'",
            ));
        };
        let named = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("crs"))
            .map(|(_, v)| v);
        let srid = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("srid"))
            .map(|(_, v)| v);
        let crs = match (named, srid) {
            (Some(Value::String(name)), _) => Crs::from_name(name).ok_or_else(|| {
                EngineError::argument(format!("Unknown coordinate reference system: {name}"))
            })?,
            (_, Some(Value::Int(srid))) => Crs::from_srid(*srid).ok_or_else(|| {
                EngineError::argument(format!("Unknown coordinate reference system SRID: {srid}"))
            })?,
            _ => match (geographic_keys, z.is_some()) {
                (true, false) => Crs::Wgs84,
                (true, true) => Crs::Wgs843D,
                (false, false) => Crs::Cartesian,
                (false, true) => Crs::Cartesian3D,
            },
        };
        if crs.is_3d() != z.is_some() {
            return Err(EngineError::argument(format!(
                "Cannot create point with {}D coordinate reference system and {} coordinates",
                if crs.is_3d() { 3 } else { 2 },
                if z.is_some() { 3 } else { 2 }
            )));
        }
        if crs.is_geographic() && !(-90.0..=90.0).contains(&y) {
            return Err(EngineError::argument(
                "Cannot create WGS84 point with invalid coordinate: latitude must be between -90 and 90",
            ));
        }
        Ok(Point { crs, x, y, z })
    }

    /// A component (`x`, `latitude`, `crs`, …).
    pub(crate) fn component(&self, name: &str) -> Option<Value> {
        Some(match name {
            "x" => Value::Float(self.x),
            "y" => Value::Float(self.y),
            "z" => self.z.map_or(Value::Null, Value::Float),
            "longitude" if self.crs.is_geographic() => Value::Float(self.x),
            "latitude" if self.crs.is_geographic() => Value::Float(self.y),
            "height" if self.crs.is_geographic() => self.z.map_or(Value::Null, Value::Float),
            "crs" => Value::string(self.crs.name()),
            "srid" => Value::Int(self.crs.srid()),
            _ => return None,
        })
    }

    /// The distance to `other` in the same system, `None` across systems.
    pub(crate) fn distance(&self, other: &Point) -> Option<f64> {
        if self.crs != other.crs {
            return None;
        }
        if self.crs.is_geographic() {
            let (lat1, lat2) = (self.y.to_radians(), other.y.to_radians());
            let dlat = lat2 - lat1;
            let dlon = (other.x - self.x).to_radians();
            let a =
                (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
            let c = 2.0 * a.sqrt().atan2((1.0 - a).sqrt());
            let ground = EARTH_RADIUS_METERS * c;
            match (self.z, other.z) {
                (Some(h1), Some(h2)) => Some((ground * ground + (h2 - h1).powi(2)).sqrt()),
                _ => Some(ground),
            }
        } else {
            let dz = match (self.z, other.z) {
                (Some(a), Some(b)) => b - a,
                _ => 0.0,
            };
            Some(((other.x - self.x).powi(2) + (other.y - self.y).powi(2) + dz * dz).sqrt())
        }
    }

    /// Whether the point lies in the box from `lower_left` to `upper_right`;
    /// `None` across systems.
    pub(crate) fn within_bbox(&self, lower_left: &Point, upper_right: &Point) -> Option<bool> {
        if self.crs != lower_left.crs || self.crs != upper_right.crs {
            return None;
        }
        let in_x = if self.crs.is_geographic() && lower_left.x > upper_right.x {
            // The box crosses the date line.
            self.x >= lower_left.x || self.x <= upper_right.x
        } else {
            (lower_left.x..=upper_right.x).contains(&self.x)
        };
        let in_y = (lower_left.y..=upper_right.y).contains(&self.y);
        let in_z = match (self.z, lower_left.z, upper_right.z) {
            (Some(z), Some(lo), Some(hi)) => (lo..=hi).contains(&z),
            _ => true,
        };
        Some(in_x && in_y && in_z)
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b, c) = if self.crs.is_geographic() {
            ("longitude", "latitude", "height")
        } else {
            ("x", "y", "z")
        };
        write!(
            f,
            "point({{{a}: {}, {b}: {}",
            format_float(self.x),
            format_float(self.y)
        )?;
        if let Some(z) = self.z {
            write!(f, ", {c}: {}", format_float(z))?;
        }
        write!(f, ", crs: '{}'}})", self.crs.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let a = Point::from_srid(7203, 0.0, 0.0, None).unwrap();
        let b = Point::from_srid(7203, 3.0, 4.0, None).unwrap();
        assert_eq!(a.distance(&b), Some(5.0));
        let g = Point::from_srid(4326, 12.0, 56.0, None).unwrap();
        assert_eq!(a.distance(&g), None);
        assert_eq!(a.to_string(), "point({x: 0.0, y: 0.0, crs: 'cartesian'})");
    }
}
