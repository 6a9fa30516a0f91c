use super::*;

const SHIPPED: &str = include_str!("../../../../plans/recommendation-weights.toml");

fn weights() -> Weights {
    parse_weights(SHIPPED).expect("shipped weights are valid")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn gap() -> Gap {
    Gap {
        node_id: "n-cu".into(),
        node_name: "电解/阴极铜".into(),
        products: strings(&["阴极铜", "电解铜"]),
        industry_codes: strings(&["3211"]),
    }
}

fn cand(id: &str, name: &str) -> Candidate {
    Candidate { id: id.into(), name: name.into(), status: TargetStatus::New, ..Candidate::default() }
}

fn listed(id: &str, name: &str) -> Candidate {
    Candidate { node_ids: strings(&["n-other", "n-cu"]), ..cand(id, name) }
}

fn reasons(r: &Ranked) -> Vec<&str> {
    r.parts.iter().map(|p| p.reason.as_str()).collect()
}

fn ids(list: &[Ranked]) -> Vec<&str> {
    list.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn shipped_weights_parse_to_the_documented_values() {
    let w = weights();
    assert_eq!(w.node_listed, 40);
    assert_eq!(w.node_related, 20);
    assert_eq!(w.tie_each, 10);
    assert_eq!(w.ties_max, 3);
    assert_eq!(w.follows_oem, 15);
    assert_eq!(w.given_up_penalty, 30);
    let cats: Vec<(&str, i64)> = w.categories.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let mut expected = vec![
        ("全球行业领军", 30),
        ("世界500强", 25),
        ("中国500强", 20),
        ("中国民营500强", 15),
        ("上市公司", 10),
        ("外资企业", 5),
    ];
    expected.sort();
    assert_eq!(cats, expected);
}

fn field() -> Vec<Candidate> {
    vec![
        Candidate {
            categories: strings(&["上市公司", "中国500强"]),
            local_ties: strings(&["展威", "万容"]),
            ..listed("t1", "江西铜业")
        },
        Candidate {
            products: strings(&["阴极铜", "金锭"]),
            categories: strings(&["世界500强", "中国500强", "上市公司"]),
            oems_followed: strings(&["三一集团"]),
            status: TargetStatus::Contacted,
            ..cand("t2", "紫金矿业")
        },
        Candidate {
            products: strings(&["高纯阴极铜板"]),
            industry_codes: strings(&["3211"]),
            categories: strings(&["外资企业", "未收录的类别"]),
            local_ties: strings(&["展威", "万容", "金龙", " 华鑫 ", "新阳", "展威", ""]),
            status: TargetStatus::Negotiating,
            ..cand("t3", "某外资铜箔")
        },
        Candidate {
            categories: strings(&["全球行业领军"]), status: TargetStatus::GivenUp, ..listed("t4", "弃标铜业")
        },
        // Already won: left out however good.
        Candidate {
            categories: strings(&["世界500强"]), status: TargetStatus::Signed, ..listed("t5", "已签铜业")
        },
        // No fit with the node at all: left out despite its category and ties.
        Candidate {
            products: strings(&["芯片"]),
            industry_codes: strings(&["3973"]),
            categories: strings(&["世界500强"]),
            local_ties: strings(&["展威"]),
            ..cand("t6", "无关电子")
        },
        // Related (+20) but given up (−30): scores −10, left out.
        Candidate { products: strings(&["电解铜"]), status: TargetStatus::GivenUp, ..cand("t7", "弃而无分") },
        // A one-character product is too short to match anything.
        Candidate { products: strings(&["铜"]), categories: strings(&["上市公司"]), ..cand("t8", "单字铜") },
    ]
}

#[test]
fn candidates_are_ordered_with_exact_scores_and_reasons() {
    let list = rank(&gap(), &field(), &weights());
    assert_eq!(ids(&list), vec!["t1", "t2", "t3", "t4"]);
    assert_eq!(list.iter().map(|r| r.rank).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert_eq!(list.iter().map(|r| r.score).collect::<Vec<_>>(), vec![80, 60, 55, 40]);
    for r in &list {
        assert_eq!(r.score, r.parts.iter().map(|p| p.points).sum::<i64>());
    }
    assert_eq!(list[0].name, "江西铜业");
    assert_eq!(
        reasons(&list[0]),
        vec![
            "可填补本环节“电解/阴极铜”（已登记）+40",
            "属中国500强（另属上市公司，只计最高一项）+20",
            "本地企业展威、万容是其客户或供应商（以商招商）+20",
        ]
    );
    assert_eq!(
        reasons(&list[1]),
        vec![
            "与本环节“电解/阴极铜”相关：主要产品“阴极铜”与本环节产品相同 +20",
            "属世界500强（另属中国500强、上市公司，只计最高一项）+25",
            "为本链主机企业三一集团配套（配套式招商）+15",
        ]
    );
    assert_eq!(
        reasons(&list[2]),
        vec![
            "与本环节“电解/阴极铜”相关：产品“高纯阴极铜板”与本环节产品“阴极铜”相近；同属国民经济行业小类3211 +20",
            "属外资企业 +5",
            "本地企业展威、万容、金龙、华鑫、新阳是其客户或供应商（以商招商，最多计3家）+30",
        ]
    );
    assert_eq!(
        reasons(&list[3]),
        vec!["可填补本环节“电解/阴极铜”（已登记）+40", "属全球行业领军 +30", "已标记放弃 −30"]
    );
    assert_eq!(list[3].parts.iter().map(|p| p.points).collect::<Vec<_>>(), vec![40, 30, -30]);
}

#[test]
fn ranking_does_not_depend_on_input_order() {
    let mut reversed = field();
    reversed.reverse();
    for c in &mut reversed {
        c.categories.reverse();
    }
    assert_eq!(rank(&gap(), &reversed, &weights()), rank(&gap(), &field(), &weights()));
}

#[test]
fn only_the_best_category_counts() {
    let all = strings(&["外资企业", "上市公司", "中国民营500强", "中国500强", "世界500强", "全球行业领军"]);
    let list = rank(&gap(), &[Candidate { categories: all, ..listed("t", "全能集团") }], &weights());
    assert_eq!(list[0].score, 40 + 30);
    assert_eq!(list[0].parts[1].points, 30);
    assert!(list[0].parts[1].reason.starts_with("属全球行业领军（另属世界500强、"), "{}", list[0].parts[1].reason);
    // Unknown labels count nothing and add no part.
    let list = rank(&gap(), &[Candidate { categories: strings(&["省级龙头"]), ..listed("t", "甲") }], &weights());
    assert_eq!(list[0].score, 40);
    assert_eq!(list[0].parts.len(), 1);
}

#[test]
fn ties_are_capped_and_deduplicated() {
    let w = Weights { tie_each: 7, ties_max: 2, ..weights() };
    let four = Candidate { local_ties: strings(&["甲", "乙", "甲", "丙", "丁"]), ..listed("t", "某企业") };
    let list = rank(&gap(), &[four], &w);
    assert_eq!(list[0].score, 40 + 14);
    assert_eq!(list[0].parts[1].reason, "本地企业甲、乙、丙、丁是其客户或供应商（以商招商，最多计2家）+14");
    let one = Candidate { local_ties: strings(&["甲", " 甲 "]), ..listed("t", "某企业") };
    assert_eq!(rank(&gap(), &[one], &w)[0].score, 40 + 7);
    // No ties counted at all: no part.
    let none = Candidate { local_ties: strings(&["甲"]), ..listed("t", "某企业") };
    let list = rank(&gap(), &[none], &Weights { ties_max: 0, ..weights() });
    assert_eq!(list[0].parts.len(), 1);
}

#[test]
fn given_up_targets_lose_the_penalty() {
    let keen = Candidate { categories: strings(&["上市公司"]), ..listed("t1", "甲") };
    let dropped = Candidate { status: TargetStatus::GivenUp, ..keen.clone() };
    let w = weights();
    assert_eq!(rank(&gap(), &[keen], &w)[0].score, 50);
    let list = rank(&gap(), std::slice::from_ref(&dropped), &w);
    assert_eq!(list[0].score, 20);
    assert_eq!(list[0].parts.last().map(|p| (p.points, p.reason.as_str())), Some((-30, "已标记放弃 −30")));
    // A penalty that takes the score to 0 leaves the target out.
    assert!(rank(&gap(), &[dropped], &Weights { given_up_penalty: 50, ..weights() }).is_empty());
}

#[test]
fn signed_and_unfit_candidates_are_left_out() {
    let w = weights();
    let signed =
        Candidate { status: TargetStatus::Signed, categories: strings(&["世界500强"]), ..listed("t1", "甲") };
    let other_node =
        Candidate { node_ids: strings(&["n-al"]), categories: strings(&["世界500强"]), ..cand("t2", "乙") };
    let blank_products =
        Candidate { products: strings(&["", " "]), industry_codes: strings(&["32"]), ..cand("t3", "丙") };
    assert!(rank(&gap(), &[signed, other_node, blank_products], &w).is_empty());
    // A listed target scoring 0 is left out too.
    assert!(rank(&gap(), &[listed("t4", "丁")], &Weights { node_listed: 0, ..weights() }).is_empty());
}

#[test]
fn related_by_code_or_by_product_either_way() {
    let w = weights();
    let by_code = Candidate { industry_codes: strings(&[" 3211 ", "3212"]), ..cand("t1", "甲") };
    assert_eq!(
        rank(&gap(), &[by_code], &w)[0].parts[0].reason,
        "与本环节“电解/阴极铜”相关：同属国民经济行业小类3211 +20"
    );
    // The node's product contained in the target's, and the target's contained in the node's.
    let wider = Gap { products: strings(&["高纯阴极铜"]), ..gap() };
    let inside = Candidate { products: strings(&["阴极铜"]), ..cand("t2", "乙") };
    let list = rank(&wider, &[inside], &w);
    assert_eq!(list[0].parts[0].reason, "与本环节“电解/阴极铜”相关：产品“阴极铜”与本环节产品“高纯阴极铜”相近 +20");
    // Listed beats related: only node_listed counts.
    let both = Candidate { products: strings(&["阴极铜"]), ..listed("t3", "丙") };
    assert_eq!(rank(&gap(), &[both], &w)[0].score, 40);
}

#[test]
fn equal_scores_are_ordered_by_name_then_id() {
    let list = rank(&gap(), &[listed("t-b", "甲铜业"), listed("t-z", "乙铜业"), listed("t-a", "甲铜业")], &weights());
    // 乙 (U+4E59) sorts before 甲 (U+7532).
    assert_eq!(ids(&list), vec!["t-z", "t-a", "t-b"]);
    assert_eq!(list.iter().map(|r| (r.rank, r.score)).collect::<Vec<_>>(), vec![(1, 40), (2, 40), (3, 40)]);
}

#[test]
fn reasons_name_the_node_and_the_enterprises() {
    let c = Candidate {
        local_ties: strings(&["展威"]),
        oems_followed: strings(&["三一集团", "中联重科"]),
        ..listed("t1", "某配套企业")
    };
    let list = rank(&gap(), &[c], &weights());
    let all = reasons(&list[0]).join("\n");
    assert!(all.contains("电解/阴极铜"), "{all}");
    assert!(all.contains("本地企业展威是其客户或供应商（以商招商）+10"), "{all}");
    assert!(all.contains("为本链主机企业三一集团、中联重科配套（配套式招商）+15"), "{all}");
    assert_eq!(list[0].score, 40 + 10 + 15);
}

#[test]
fn bad_weights_files_are_refused_naming_the_key() {
    let cases: Vec<(String, &str)> = vec![
        (format!("bonus = 5\n{SHIPPED}"), "bonus"),
        (SHIPPED.replace("follows_oem = 15\n", ""), "follows_oem"),
        (SHIPPED.replace("node_listed = 40", "node_listed = 120"), "node_listed"),
        (SHIPPED.replace("given_up_penalty = 30", "given_up_penalty = -30"), "given_up_penalty"),
        (SHIPPED.replace("ties_max = 3", "ties_max = 11"), "ties_max"),
        (SHIPPED.replace("\"世界500强\" = 25", "\"世界500强\" = 101"), "世界500强"),
        (SHIPPED.replace("\"上市公司\" = 10", "\" 上市公司\" = 10"), "上市公司"),
        (SHIPPED.replace("node_related = 20", "node_related = \"二十\""), "node_related"),
        (SHIPPED.split("[categories]").next().unwrap_or_default().to_string() + "[categories]\n", "categories"),
    ];
    for (text, key) in cases {
        let err = parse_weights(&text).expect_err(key);
        assert!(err.contains(key) && err.contains("推荐权重文件"), "{key}: {err}");
    }
    assert!(parse_weights("node_listed = ").is_err());
    // At the limits is fine.
    let edge = SHIPPED.replace("node_listed = 40", "node_listed = 100").replace("ties_max = 3", "ties_max = 0");
    assert_eq!(parse_weights(&edge).map(|w| (w.node_listed, w.ties_max)), Ok((100, 0)));
}
