//! The regions of a city's 区域分布图: parks and towns laid out as rectangles on a 100 × 100 grid
//! by the plan file (no online map), each holding the enterprises of its park or town.

use serde::{Deserialize, Serialize};

/// A region: a park (by its code) or a town (by its name as the enterprise library writes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Name shown.
    pub name: String,
    /// The park it draws, by code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub park: Option<String>,
    /// The town it draws, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// x, y, width, height on the 100 × 100 grid (y grows downward).
    pub area: [u32; 4],
}

/// Side of the grid regions are laid out on.
pub const GRID: u32 = 100;

impl Region {
    /// What is wrong with the region, in Chinese, if anything: it names exactly one park or town
    /// and lies within the grid with a width and height of at least 5.
    pub fn problem(&self) -> Option<String> {
        let [x, y, w, h] = self.area;
        if self.name.trim().is_empty() {
            return Some("区域名称不能为空".into());
        }
        if self.park.is_some() == self.town.is_some() {
            return Some(format!("区域“{}”应指定一个园区（park）或一个乡镇（town）", self.name));
        }
        if w < 5 || h < 5 || x + w > GRID || y + h > GRID {
            return Some(format!(
                "区域“{}”的范围 [{x}, {y}, {w}, {h}] 应在 {GRID}×{GRID} 的网格内，宽和高不小于5",
                self.name
            ));
        }
        None
    }

    /// Whether an enterprise of park code `park` or town `town` lies in the region.
    pub fn holds(&self, park: Option<&str>, town: &str) -> bool {
        match (&self.park, &self.town) {
            (Some(p), _) => park == Some(p.as_str()),
            (_, Some(t)) => !town.is_empty() && t == town,
            _ => false,
        }
    }
}

/// Reads the stored regions of a city (an empty or damaged value is no regions).
pub fn read(json: &str) -> Vec<Region> {
    serde_json::from_str(json).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(park: Option<&str>, town: Option<&str>, area: [u32; 4]) -> Region {
        Region { name: "区".into(), park: park.map(String::from), town: town.map(String::from), area }
    }

    #[test]
    fn a_region_names_one_park_or_town_and_fits_the_grid() {
        assert_eq!(region(Some("gxq"), None, [0, 0, 50, 50]).problem(), None);
        assert!(region(Some("gxq"), Some("镇"), [0, 0, 50, 50]).problem().is_some());
        assert!(region(None, None, [0, 0, 50, 50]).problem().is_some());
        assert!(region(None, Some("镇"), [60, 0, 50, 50]).problem().expect("outside").contains("网格"));
        assert!(region(None, Some("镇"), [0, 0, 4, 50]).problem().is_some());
        assert!(region(Some("gxq"), None, [0, 0, 5, 5]).holds(Some("gxq"), ""));
        assert!(region(None, Some("罗江镇"), [0, 0, 5, 5]).holds(None, "罗江镇"));
        assert!(!region(None, Some("罗江镇"), [0, 0, 5, 5]).holds(None, ""));
        let json = serde_json::to_string(&vec![region(Some("gxq"), None, [1, 2, 30, 40])]).expect("json");
        assert_eq!(read(&json), vec![region(Some("gxq"), None, [1, 2, 30, 40])]);
        assert!(read("not json").is_empty());
    }
}
