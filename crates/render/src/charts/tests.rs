use super::*;

fn sample_trend(n: usize) -> Trend {
    let line = |label: &str, f: fn(f64) -> f64, dashed| Series {
        label: label.into(),
        values: (0..n).map(|i| Some(f(i as f64))).collect(),
        dashed,
    };
    Trend {
        title: "规上工业产值".into(),
        unit: "亿元".into(),
        x_labels: (0..n).map(|i| format!("{}-{:02}", 2022 + i / 12, i % 12 + 1)).collect(),
        series: vec![line("实际", |i| 40.0 + 3.0 * i, false), line("序时进度", |i| 4.0 * i, true)],
        target: Some((200.0, "年度目标".into())),
    }
}

fn bar(label: &str, actual: f64) -> Progress {
    let (href, note) = (Some("/targets/1?a=1&b=2".into()), "累计 100 亿元".into());
    Progress { label: label.into(), actual, schedule: Some(0.5), status: Status::Green, href, note }
}

fn all_charts(label: &str, v: f64) -> Vec<String> {
    let series = vec![Series { label: label.into(), values: vec![Some(v), None, Some(v)], dashed: false }];
    let (title, unit, x_labels, target) = (label.into(), label.into(), vec![label.into(); 3], Some((v, label.into())));
    let b = Bar { label: label.into(), value: v, status: Status::Red, href: Some(label.into()) };
    vec![
        trend(&Trend { title, unit, x_labels, series, target }),
        progress(label, &[bar(label, v)]),
        comparison(label, "%", &[b]),
    ]
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"))
}

fn attr(n: roxmltree::Node, name: &str) -> f64 {
    n.attribute(name).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

fn of_class<'a>(doc: &'a roxmltree::Document, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|d| d.attribute("class") == Some(class)).collect()
}

#[test]
fn outputs_parse_as_svg_for_normal_and_empty_inputs() {
    let empty_trend =
        Trend { title: "空".into(), unit: String::new(), x_labels: vec![], series: vec![], target: None };
    let mut svgs = all_charts("新能源汽车", 0.76);
    svgs.extend([trend(&sample_trend(14)), trend(&empty_trend), progress("空", &[]), comparison("空", "亿元", &[])]);
    for (i, svg) in svgs.iter().enumerate() {
        let doc = parse(svg);
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
        assert_eq!((root.tag_name().name(), root.attribute("width")), ("svg", Some("100%")));
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").is_some() && root.attribute("aria-label").is_some());
        assert!(root.children().any(|c| c.has_tag_name("title")));
        assert_eq!(svg.contains("暂无数据"), i >= 4, "{svg}");
    }
}

#[test]
fn long_trends_label_at_most_thirteen_ticks_without_overlap() {
    for n in [1, 2, 12, 24, 60, 61, 120] {
        let svg = trend(&sample_trend(n));
        let doc = parse(&svg);
        let labels: Vec<_> = of_class(&doc, "x-labels")[0].children().filter(|c| c.has_tag_name("text")).collect();
        assert!(!labels.is_empty() && labels.len() <= 13, "{n} points: {} labels", labels.len());
        let xs: Vec<f64> = labels.iter().map(|l| attr(*l, "x")).collect();
        assert!(xs.windows(2).all(|w| w[1] - w[0] > 50.0), "{n} points: labels too close: {xs:?}");
    }
}

#[test]
fn target_line_lies_above_smaller_points() {
    let svg = trend(&sample_trend(12));
    let doc = parse(&svg);
    let y_target = attr(of_class(&doc, "target")[0], "y1");
    let tip = |d: &roxmltree::Node| d.children().any(|c| c.text() == Some("实际 2022-01: 40 亿元"));
    let point = doc.descendants().find(|d| d.has_tag_name("circle") && tip(d));
    assert!(point.is_some_and(|p| y_target < attr(p, "cy")), "target {y_target} not above the point");
    assert!(svg.contains(r##"stroke="#c0392b" stroke-width="1.5" stroke-dasharray"##));
}

#[test]
fn progress_widths_are_proportional_and_capped_and_labels_cut() {
    let svg = progress("目标", &[bar("半", 0.5), bar("满", 1.0), bar("超", 3.0)]);
    let doc = parse(&svg);
    let widths: Vec<f64> = of_class(&doc, "bar").iter().map(|d| attr(*d, "width")).collect();
    assert_eq!(widths.len(), 3);
    assert!((widths[0] * 2.0 - widths[1]).abs() < 0.2, "{widths:?}");
    assert!((widths[2] - widths[1] * 1.2).abs() < 0.2, "overflow not capped at 120%: {widths:?}");
    assert_eq!((of_class(&doc, "overflow").len(), of_class(&doc, "schedule").len()), (1, 3));
    assert!(svg.contains("300.0%") && svg.contains("50.0%"));
    assert_eq!(doc.descendants().filter(|d| d.has_tag_name("a")).count(), 3);
    assert!(svg.contains(r#"href="/targets/1?a=1&amp;b=2""#));
    let long = "新一代信息技术产业链核心零部件配套项目";
    let svg = progress("目标", &[bar(long, 0.3)]);
    assert!(svg.contains(">新一代信息技术产业链核心零部…<"));
    assert!(svg.contains(&format!("<title>{long}：完成 30.0%")));
}

#[test]
fn labels_are_escaped() {
    for svg in all_charts("<script>alert('x')</script> & co", 0.5) {
        parse(&svg);
        assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;") && svg.contains("&amp; co"), "{svg}");
    }
}

#[test]
fn nan_negative_and_extreme_values_do_not_panic() {
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.3, -1e300, 0.0, 1e300, 1e-300] {
        all_charts("值", v).iter().for_each(|svg| drop(parse(svg)));
    }
    let nan = all_charts("值", f64::NAN);
    assert!(nan[0].contains("暂无数据") && nan[2].contains("暂无数据") && nan[1].contains(">—<"));
    let neg = comparison("对比", "亿元", &[Bar { label: "甲".into(), value: -20.0, status: Status::Red, href: None }]);
    let doc = parse(&neg);
    assert!(attr(of_class(&doc, "bar")[0], "width") > 0.0);
}

#[test]
fn comparison_has_a_reference_line_for_percentages_only() {
    let bars = [Bar { label: "甲".into(), value: 50.0, status: Status::Amber, href: None }];
    let pct = comparison("达成率", "%", &bars);
    let doc = parse(&pct);
    let (line, bar) = (of_class(&doc, "reference")[0], of_class(&doc, "bar")[0]);
    assert!((attr(line, "x1") - attr(bar, "x") - 2.0 * attr(bar, "width")).abs() < 0.2);
    assert!(!comparison("产值", "亿元", &bars).contains("reference"));
}

#[test]
fn nice_scales_have_four_to_six_ticks() {
    for hi in [0.0, 0.3, 1.0, 7.0, 9.9, 10.0, 12.5, 99.0, 101.0, 137.0, 480.0, 1234.5, 98765.0] {
        let s = nice_scale(0.0, hi);
        assert!((4..=6).contains(&s.ticks().len()) && s.hi >= hi && s.lo == 0.0, "{hi}: {s:?}");
        let m = s.step / 10f64.powf(s.step.log10().floor());
        assert!([1.0, 2.0, 2.5, 5.0].iter().any(|n| (n - m).abs() < 1e-9), "{hi}: step {}", s.step);
    }
    assert_eq!((nice_scale(0.0, 1.0).label(0.6), nice_scale(0.0, 12.0).label(7.5)), ("0.6".into(), "7.5".into()));
    assert_eq!((fmt_value(1.50), fmt_value(-0.001), fmt_pct(0.7634)), ("1.5".into(), "0".into(), "76.3%".into()));
}
