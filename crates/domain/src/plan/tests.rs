use super::*;

const MINIMAL: &str = r#"
[city]
code = "demo"
name = "示范县"

[plan]
title = "示范县产业链实施方案"
start_year = 2023
target_year = 2027

[[parks]]
code = "p1"
name = "示范园区"

[[units]]
code = "gxj"
name = "示范县工信局"
short = "工信局"
kind = "department"

[[units]]
code = "office-a"
name = "甲产业链办公室"
kind = "chain_office"

[[chains]]
code = "a"
name = "甲产业链"
level = "city_leading"
chief = "副县长"
office = "office-a"
parks = ["p1"]

[[indicators]]
code = "output"
name = "甲产业产值"
unit = "亿元"
scope = "chain"
chain = "a"
targets = [{ year = 2027, value = 12.5 }]

[[measures]]
code = "1"
title = "招商"
lead = ["gxj"]
co = ["office-a"]
  [[measures.quotas]]
  code = "trips"
  name = "外出招商"
  min = 4
  unit = "次"
"#;

#[test]
fn minimal_plan_parses() {
    let p = parse(MINIMAL).expect("valid plan");
    assert_eq!(p.city.code.get_ref(), "demo");
    assert_eq!(p.chains.len(), 1);
    let t = &p.indicators[0].targets[0];
    let q = target_quantity(t.value.get_ref(), Unit::HundredMillionYuan).expect("number");
    assert_eq!(q.to_string(), "12.5亿元");
    assert_eq!(*p.measures[0].quotas[0].min.get_ref(), 4);
}

fn errors_of(src: &str) -> Vec<String> {
    match parse(src) {
        Ok(_) => vec![],
        Err(e) => e.iter().map(|x| x.to_string()).collect(),
    }
}

#[test]
fn unknown_reference_names_line_and_reason() {
    let bad = MINIMAL.replace("co = [\"office-a\"]", "co = [\"office-x\"]");
    let line = bad.lines().position(|l| l.contains("office-x")).expect("line") + 1;
    assert_eq!(errors_of(&bad), vec![format!("第{line}行：没有代码为“office-x”的责任单位")]);
}

#[test]
fn target_without_unit_is_refused() {
    let bad = MINIMAL.replace("unit = \"亿元\"", "unit = \"\"");
    let errs = errors_of(&bad);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("没有单位"), "{errs:?}");
}

#[test]
fn syntax_error_names_line() {
    let bad = MINIMAL.replace("min = 4", "min = ");
    let line = bad.lines().position(|l| l.trim() == "min =").expect("line") + 1;
    let errs = errors_of(&bad);
    assert!(errs[0].starts_with(&format!("第{line}行：格式错误")), "{errs:?}");
}

#[test]
fn duplicates_unknown_keys_and_bad_values() {
    let dup =
        MINIMAL.replace("code = \"p1\"", "code = \"gxj\"").replace("code = \"office-a\"\nname", "code = \"gxj\"\nname");
    assert!(errors_of(&dup).iter().any(|e| e.contains("单位代码“gxj”重复")), "{:?}", errors_of(&dup));
    let unknown = MINIMAL.replace("chief = \"副县长\"", "chef = \"副县长\"");
    assert!(errors_of(&unknown)[0].contains("格式错误"));
    let bad_value = MINIMAL.replace("value = 12.5", "value = \"3.5万吨\"");
    assert!(errors_of(&bad_value)[0].contains("不是数字"));
    let bad_kind = MINIMAL.replace("level = \"city_leading\"", "level = \"national\"");
    assert!(errors_of(&bad_kind)[0].contains("格式错误"));
}

#[test]
fn office_must_be_a_chain_office() {
    let bad = MINIMAL.replace("office = \"office-a\"", "office = \"gxj\"");
    assert!(errors_of(&bad)[0].contains("链条办类单位"));
}

/// The minimal plan with an enterprise indicator rolling up into the chain's output.
fn with_roll_up() -> String {
    MINIMAL.replace(
        "[[indicators]]\ncode = \"output\"",
        "[status_rules]\ngreen_from = 100\namber_from = 85\n\n[[indicators]]\ncode = \"ent-output\"\nname = \"企业产值\"\nunit = \"万元\"\nscope = \"enterprise\"\nchain = \"a\"\ndue_day = 5\n\n[[indicators]]\nrolls_up_from = \"ent-output\"\ncode = \"output\"",
    )
}

#[test]
fn roll_ups_formulas_due_days_and_status_rules_are_checked() {
    let good = with_roll_up();
    let p = parse(&good).expect("valid plan");
    assert_eq!(p.status_rules.as_ref().map(|r| r.get_ref().amber_from), Some(85));
    assert_eq!(p.indicators[0].due_day.as_ref().map(|d| *d.get_ref()), Some(5));

    let tonnes = good.replace("unit = \"万元\"", "unit = \"吨\"");
    assert!(errors_of(&tonnes).iter().any(|e| e.contains("不能由单位为吨")), "{:?}", errors_of(&tonnes));
    let unknown = good.replace("rolls_up_from = \"ent-output\"", "rolls_up_from = \"nothing\"");
    assert!(errors_of(&unknown).iter().any(|e| e.contains("不存在的指标“nothing”")));
    let late = good.replace("due_day = 5", "due_day = 31");
    assert!(errors_of(&late).iter().any(|e| e.contains("1到28")));
    let rules = good.replace("amber_from = 85", "amber_from = 120");
    assert!(errors_of(&rules).iter().any(|e| e.contains("status_rules")));

    let formula = |f: &str| {
        good.replace("rolls_up_from = \"ent-output\"\n", "").replace(
            "scope = \"chain\"\nchain = \"a\"\ntargets",
            &format!("scope = \"chain\"\nchain = \"a\"\nformula = \"{f}\"\ntargets"),
        )
    };
    assert!(parse(&formula("{ent-output} / 10000")).is_ok());
    let own = errors_of(&formula("output * 2"));
    assert!(own.iter().any(|e| e.contains("引用了自身")), "{own:?}");
    let missing = errors_of(&formula("nowhere + 1"));
    assert!(missing.iter().any(|e| e.contains("不存在的指标或数据项“nowhere”")), "{missing:?}");
    let syntax = errors_of(&formula("1 +"));
    assert!(syntax.iter().any(|e| e.contains("公式有误")), "{syntax:?}");
}

#[test]
fn progress_from_names_a_kind_of_report() {
    let with = |v: &str| MINIMAL.replace("[[measures]]\n", &format!("[[measures]]\nprogress_from = \"{v}\"\n"));
    assert!(errors_of(&with("report:monthly")).is_empty());
    let bad = with("report:weekly");
    let line = bad.lines().position(|l| l.contains("report:weekly")).expect("line") + 1;
    assert_eq!(
        errors_of(&bad),
        vec![format!("第{line}行：进展来源（progress_from）“report:weekly”应为 report:monthly 或 report:quarterly")]
    );
}

/// The minimal plan with a goal counted in the library, `counts` and `aggregation` as given.
fn with_goal(unit: &str, aggregation: &str, counts: &str) -> String {
    format!(
        "{MINIMAL}\n[[indicators]]\ncode = \"giants\"\nname = \"国家级小巨人企业\"\nunit = \"{unit}\"\nscope = \"city\"\n\
         aggregation = \"{aggregation}\"\ncounts = {counts}\ntargets = [{{ year = 2027, value = 2 }}]\n"
    )
}

#[test]
fn goals_counted_in_the_library_are_checked() {
    let ok = parse(&with_goal("家", "latest", "{ holding = [\"national_little_giant\"] }")).expect("valid");
    let counts = ok.indicators[1].counts.as_ref().expect("counts").get_ref().counting().expect("counting");
    assert_eq!(counts, crate::counting::Counting::Holding(vec![crate::maps_file::Tier::NationalLittleGiant]));
    assert!(errors_of(&with_goal("家", "sum", "{ gained = [\"above_scale\"] }")).is_empty());
    let refused = [
        (with_goal("家", "latest", "{ holding = [\"金牌\"] }"), "没有梯队“金牌”"),
        (with_goal("亿元", "latest", "{ revenue_at_least = \"100亿元\" }"), "单位应为“家”"),
        (with_goal("家", "latest", "{ gained = [\"above_scale\"] }"), "aggregation 应为“sum”"),
        (with_goal("家", "sum", "{ holding = [\"high_tech\"] }"), "aggregation 应为“latest”"),
        (with_goal("家", "latest", "{ holding = [\"high_tech\"], gained = [\"above_scale\"] }"), "只写"),
    ];
    for (src, needle) in refused {
        let errors = errors_of(&src);
        assert!(errors.iter().any(|e| e.contains(needle) && e.contains("国家级小巨人企业")), "{needle}: {errors:?}");
    }
}

#[test]
fn regions_lie_in_the_grid_and_name_a_known_park() {
    let with =
        |region: &str| MINIMAL.replace("[[units]]\ncode = \"gxj\"", &format!("{region}\n\n[[units]]\ncode = \"gxj\""));
    let good = with("[[regions]]\nname = \"示范园区\"\npark = \"p1\"\narea = [0, 0, 60, 60]");
    assert_eq!(errors_of(&good), Vec::<String>::new());
    assert_eq!(parse(&good).expect("plan").regions[0].get_ref().area, [0, 0, 60, 60]);
    let outside = with("[[regions]]\nname = \"示范园区\"\npark = \"p1\"\narea = [50, 0, 60, 60]");
    let errs = errors_of(&outside);
    assert!(errs.len() == 1 && errs[0].contains("网格"), "{errs:?}");
    let unknown = with("[[regions]]\nname = \"别处\"\npark = \"p9\"\narea = [0, 0, 10, 10]");
    assert!(errors_of(&unknown)[0].contains("没有代码为“p9”的园区"), "{:?}", errors_of(&unknown));
}
