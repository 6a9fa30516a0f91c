//! Deterministic synthetic chains for tests and benchmarks.

use std::collections::HashSet;

use chainchief_domain::chain_map::{MapEdge, MapGraph, MapNode, NodeRating, Stage};

/// Linear congruential generator (Knuth's MMIX constants); the high bits are used.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform-ish integer in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const MATERIALS: [&str; 16] =
    ["铜", "铝", "锂", "硅", "钢", "锌", "镍", "钴", "稀土", "石墨", "玻璃纤维", "树脂", "铜箔", "PCB", "光伏", "电池"];
const PROCESSES: [&str; 16] = [
    "精矿",
    "冶炼",
    "电解",
    "压延加工",
    "线缆",
    "合金材料",
    "精深加工",
    "回收利用",
    "零部件",
    "模组",
    "封装测试",
    "电机",
    "整车配套",
    "储能系统",
    "新型显示面板",
    "Smart Grid 装备",
];
const FIRMS: [&str; 8] = ["江西", "岳阳", "湘江", "洞庭", "汨罗", "长沙", "华中", "南方"];
const TRADES: [&str; 6] = ["铜业", "新材料", "再生资源", "电气", "科技", "精密制造"];

/// A synthetic chain with `nodes` nodes spread over the three stages (about 30/40/30%) and up to
/// `edges` distinct edges: most run one or two stages to the right, about one in eight stays
/// inside its stage (a few of those close cycles), and a few run back upstream (recycling).
pub fn synthetic(nodes: usize, edges: usize, seed: u64) -> MapGraph {
    let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
    let stage_of = |i: usize| {
        let f = i * 10 / nodes.max(1);
        if f < 3 {
            Stage::Upstream
        } else if f < 7 {
            Stage::Midstream
        } else {
            Stage::Downstream
        }
    };
    let mut by_stage: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut list = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let stage = stage_of(i);
        by_stage[stage.index()].push(i);
        let name = format!(
            "{}{}{}",
            MATERIALS[rng.below(MATERIALS.len())],
            PROCESSES[rng.below(PROCESSES.len())],
            if rng.chance(20) { "及配套服务" } else { "" }
        );
        let firms = (0..rng.below(5))
            .map(|_| {
                format!(
                    "{}{}{}有限公司",
                    FIRMS[rng.below(FIRMS.len())],
                    MATERIALS[rng.below(MATERIALS.len())],
                    TRADES[rng.below(TRADES.len())]
                )
            })
            .collect();
        let rating = NodeRating::ALL[rng.below(4)];
        let local = if rating == NodeRating::Blank { 0 } else { rng.below(60) as u32 + 1 };
        list.push(MapNode {
            id: format!("n{i}"),
            name: format!("{name}{}", i + 1),
            stage,
            key: rng.chance(20),
            local_enterprises: local,
            key_enterprises: firms,
            rating: Some(rating),
            rating_note: format!("本地企业 {local} 家，规上产值 {} 亿元，链主企业 {} 家", rng.below(500), rng.below(3)),
            marks: Vec::new(),
        });
    }
    let earlier = [&by_stage[0][..], &by_stage[1][..]].concat();
    let later = [&by_stage[1][..], &by_stage[2][..]].concat();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(edges);
    let mut attempts = 0;
    while out.len() < edges && attempts < edges.saturating_mul(50) && nodes >= 2 {
        attempts += 1;
        let roll = rng.below(100);
        let (from, target_stage) = if roll < 12 {
            let from = rng.below(nodes);
            (from, stage_of(from).index())
        } else if roll < 15 {
            // Back upstream, e.g. recycling feeding smelting.
            if later.is_empty() {
                continue;
            }
            let from = later[rng.below(later.len())];
            (from, rng.below(stage_of(from).index()))
        } else {
            if earlier.is_empty() {
                continue;
            }
            let from = earlier[rng.below(earlier.len())];
            let s = stage_of(from).index();
            (from, if s == 0 && rng.chance(15) { 2 } else { s + 1 })
        };
        let s = stage_of(from).index();
        let pool = &by_stage[target_stage];
        if pool.is_empty() {
            continue;
        }
        let mut to = pool[rng.below(pool.len())];
        // Inside a stage, edges mostly run from earlier to later nodes; a few close cycles.
        if target_stage == s && to < from && !rng.chance(10) {
            to = pool[rng.below(pool.len())].max(from);
        }
        if to == from || !seen.insert((from, to)) {
            continue;
        }
        out.push(MapEdge { from: format!("n{from}"), to: format!("n{to}") });
    }
    MapGraph { title: format!("合成产业链（{nodes} 个环节）"), nodes: list, edges: out }
}
