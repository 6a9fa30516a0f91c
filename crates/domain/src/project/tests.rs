use super::*;

fn fen(n: i64) -> Money {
    Money::from_fen(n)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn today() -> NaiveDate {
    d(2025, 6, 15)
}

fn full_facts() -> Facts {
    Facts {
        planned: Money::from_wan(50_000),
        signed_amount: Money::from_wan(30_000),
        signed_on: Some(d(2025, 1, 10)),
        land_or_approval_on: Some(d(2025, 2, 10)),
        started_on: Some(d(2025, 3, 10)),
        producing_on: Some(d(2025, 6, 1)),
        node_id: Some("node-1".to_string()),
    }
}

fn fields(errs: &[FieldError]) -> Vec<&str> {
    errs.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn codes_labels_and_order() {
    assert_eq!(Stage::ALL.len(), 6);
    assert_eq!(Stage::ALL[0], Stage::Lead);
    assert_eq!(Stage::Approval.label(), "供地/审批");
    assert_eq!(Stage::from_code("construction"), Some(Stage::Construction));
    assert_eq!(Stage::Lead.next(), Some(Stage::Negotiating));
    assert_eq!(Stage::Construction.next(), Some(Stage::Production));
    assert_eq!(Stage::Production.next(), None);
    assert_eq!(Stage::Lead.prev(), None);
    assert_eq!(Stage::Signed.prev(), Some(Stage::Negotiating));
    assert_eq!(Kind::Expansion.label(), "扩产扩能");
    assert_eq!(Kind::from_code("continued"), Some(Kind::Continued));
    assert_eq!(Method::ViaBusiness.label(), "以商招商");
    assert_eq!(Method::Supporting.code(), "supporting");
    assert_eq!(ProgressStatus::Behind.label(), "滞后");
    assert_eq!(MilestoneState::LateDone.code(), "late_done");
    assert_eq!(serde_json::to_string(&Stage::Signed).expect("json"), "\"signed\"");
}

#[test]
fn one_step_forward_needs_target_facts() {
    let none = Facts::default();
    let errs = check_move(Stage::Lead, Stage::Negotiating, &none, today()).expect_err("no plan");
    assert_eq!(fields(&errs), vec!["planned_fen"]);
    assert_eq!(errs[0].message, "进入“洽谈”须填写计划投资（万元）");
    let facts = Facts { planned: Money::from_wan(1), ..Facts::default() };
    assert_eq!(check_move(Stage::Lead, Stage::Negotiating, &facts, today()), Ok(()));
}

#[test]
fn signed_without_amount_is_refused_naming_the_field() {
    let facts = Facts { signed_amount: None, ..full_facts() };
    let errs = check_move(Stage::Negotiating, Stage::Signed, &facts, today()).expect_err("no amount");
    assert_eq!(errs, vec![FieldError::new("signed_fen", "进入“签约”须填写签约金额（万元）")]);

    let facts = Facts { signed_amount: Some(Money::ZERO), ..full_facts() };
    let errs = check_move(Stage::Negotiating, Stage::Signed, &facts, today()).expect_err("zero amount");
    assert_eq!(fields(&errs), vec!["signed_fen"]);
    assert!(errs[0].message.contains("大于0"));

    let facts = Facts { signed_on: None, ..full_facts() };
    let errs = check_move(Stage::Negotiating, Stage::Signed, &facts, today()).expect_err("no date");
    assert_eq!(fields(&errs), vec!["signed_on"]);
    assert_eq!(errs[0].message, "进入“签约”须填写签约日期");
}

#[test]
fn skipping_stages_needs_every_skipped_stage_facts() {
    // With all data, 线索 straight to 在建 is allowed.
    assert_eq!(check_move(Stage::Lead, Stage::Construction, &full_facts(), today()), Ok(()));
    assert_eq!(check_move(Stage::Lead, Stage::Production, &full_facts(), today()), Ok(()));

    // Without the data of the skipped stages, each missing fact is named.
    let facts = Facts { started_on: Some(d(2025, 3, 10)), ..Facts::default() };
    let errs = check_move(Stage::Lead, Stage::Construction, &facts, today()).expect_err("skips");
    assert_eq!(fields(&errs), vec!["planned_fen", "signed_fen", "signed_on", "land_or_approval_on"]);
    assert_eq!(errs[0].message, "跳过“洽谈”进入“在建”须填写计划投资（万元）");
    assert_eq!(errs[3].message, "跳过“供地/审批”进入“在建”须填写供地/审批日期");

    // The target stage's own fact is also required.
    let facts = Facts { started_on: None, ..full_facts() };
    let errs = check_move(Stage::Signed, Stage::Construction, &facts, today()).expect_err("no start");
    assert_eq!(errs, vec![FieldError::new("started_on", "进入“在建”须填写开工日期")]);
}

#[test]
fn dates_out_of_order_are_refused() {
    let facts = Facts { started_on: Some(d(2025, 1, 5)), ..full_facts() };
    let errs = check_move(Stage::Approval, Stage::Construction, &facts, today()).expect_err("order");
    assert_eq!(errs, vec![FieldError::new("started_on", "开工日期不能早于供地/审批日期")]);

    // A missing date in between is skipped over: producing before signing is caught.
    let facts =
        Facts { land_or_approval_on: None, started_on: None, producing_on: Some(d(2024, 12, 1)), ..full_facts() };
    let errs = check_dates(&facts, today());
    assert_eq!(errs, vec![FieldError::new("producing_on", "投产日期不能早于签约日期")]);

    // Equal dates are in order.
    let same = Some(d(2025, 3, 1));
    let facts =
        Facts { signed_on: same, land_or_approval_on: same, started_on: same, producing_on: same, ..full_facts() };
    assert!(check_dates(&facts, today()).is_empty());
}

#[test]
fn future_date_is_refused() {
    let facts = Facts { signed_on: Some(d(2025, 6, 16)), ..full_facts() };
    let errs = check_move(Stage::Negotiating, Stage::Signed, &facts, today()).expect_err("future");
    assert!(errs.contains(&FieldError::new("signed_on", "签约日期不能晚于今天")));
    // Today itself is fine.
    let facts = Facts {
        signed_on: Some(today()),
        land_or_approval_on: None,
        started_on: None,
        producing_on: None,
        ..full_facts()
    };
    assert_eq!(check_move(Stage::Negotiating, Stage::Signed, &facts, today()), Ok(()));
}

#[test]
fn same_stage_and_backward_moves() {
    let errs = check_move(Stage::Signed, Stage::Signed, &full_facts(), today()).expect_err("same");
    assert_eq!(errs, vec![FieldError::new("stage", "项目已处于该阶段")]);

    // Back one stage is allowed even without facts.
    assert_eq!(check_move(Stage::Construction, Stage::Approval, &Facts::default(), today()), Ok(()));
    assert_eq!(check_move(Stage::Negotiating, Stage::Lead, &Facts::default(), today()), Ok(()));

    // Back two is refused.
    let errs = check_move(Stage::Construction, Stage::Signed, &full_facts(), today()).expect_err("back two");
    assert_eq!(fields(&errs), vec!["stage"]);
    assert_eq!(errs[0].message, "只能退回上一阶段“供地/审批”，不能跨阶段退回");
}

#[test]
fn status_boundaries() {
    let r = StatusRule::default();
    assert_eq!(r, StatusRule { behind_below: 90, ahead_above: 110 });
    assert_eq!(progress_status(fen(100), fen(89), r), ProgressStatus::Behind);
    assert_eq!(progress_status(fen(100), fen(90), r), ProgressStatus::Normal);
    assert_eq!(progress_status(fen(100), fen(100), r), ProgressStatus::Normal);
    assert_eq!(progress_status(fen(100), fen(110), r), ProgressStatus::Normal);
    assert_eq!(progress_status(fen(100), fen(111), r), ProgressStatus::Ahead);
    // Scaled 万元 values: 8,999.9999 of 10,000 is just behind.
    assert_eq!(progress_status(fen(10_000 * 10_000), fen(9_000 * 10_000 - 1), r), ProgressStatus::Behind);
    assert_eq!(progress_status(fen(0), fen(1), r), ProgressStatus::Ahead);
    assert_eq!(progress_status(fen(0), fen(0), r), ProgressStatus::Normal);
    // Large values do not overflow.
    assert_eq!(progress_status(fen(i64::MAX), fen(i64::MAX), r), ProgressStatus::Normal);
    let strict = StatusRule { behind_below: 100, ahead_above: 100 };
    assert_eq!(progress_status(fen(100), fen(99), strict), ProgressStatus::Behind);
    assert_eq!(progress_status(fen(100), fen(101), strict), ProgressStatus::Ahead);
}

#[test]
fn rule_text_and_parsing() {
    assert_eq!(rule_text(StatusRule::default()), "累计完成投资低于计划的90%为滞后，高于110%为超前，其余为正常");
    assert_eq!(
        parse_status_rule("behind_below = 85\nahead_above = 120\n"),
        Ok(StatusRule { behind_below: 85, ahead_above: 120 })
    );
    assert_eq!(parse_status_rule(""), Ok(StatusRule::default()));
    assert!(parse_status_rule("behind_below = 120\nahead_above = 110\n").is_err());
    assert!(parse_status_rule("behind = 90\n").is_err());
}

#[test]
fn milestone_states() {
    let planned = d(2025, 6, 10);
    assert_eq!(check_milestone(planned, None, d(2025, 6, 9)), Ok(MilestoneState::Pending));
    assert_eq!(check_milestone(planned, None, planned), Ok(MilestoneState::Pending));
    assert_eq!(check_milestone(planned, None, d(2025, 6, 11)), Ok(MilestoneState::Overdue));
    assert_eq!(check_milestone(planned, Some(d(2025, 6, 1)), today()), Ok(MilestoneState::OnTime));
    assert_eq!(check_milestone(planned, Some(planned), today()), Ok(MilestoneState::OnTime));
    assert_eq!(check_milestone(planned, Some(d(2025, 6, 11)), today()), Ok(MilestoneState::LateDone));
    assert_eq!(
        check_milestone(planned, Some(d(2025, 6, 16)), today()),
        Err(FieldError::new("actual_on", "实际完成日期不能晚于今天"))
    );
}

#[test]
fn board_score_values() {
    let w = BoardWeights::default();
    assert_eq!(w, BoardWeights { investment: 70, milestones: 30 });
    // 100% investment, 3 of 4 milestones: 70.00 + 22.50.
    assert_eq!(board_score(fen(1000), fen(1000), 4, 3, &w), 9250);
    // 50% investment, all milestones: 35.00 + 30.00.
    assert_eq!(board_score(fen(1000), fen(500), 2, 2, &w), 6500);
    // 150% investment is capped at 120%: 84.00 + 0.
    assert_eq!(board_score(fen(1000), fen(1500), 3, 0, &w), 8400);
    // Nothing due counts as full: 84.00 + 30.00.
    assert_eq!(board_score(fen(1000), fen(2000), 0, 0, &w), 11400);
    // 1 of 3 on time: 10.00; 1/3 of plan: 23.33 (rounded down).
    assert_eq!(board_score(fen(3), fen(1), 3, 1, &w), 2333 + 1000);
    // No plan: nothing done counts 100%, something done counts 120%.
    assert_eq!(board_score(fen(0), fen(0), 1, 1, &w), 10000);
    assert_eq!(board_score(fen(0), fen(5), 1, 0, &w), 8400);
    // Negative actual counts as 0; on-time beyond due counts as due.
    assert_eq!(board_score(fen(1000), fen(-5), 2, 5, &w), 3000);
    let even = BoardWeights { investment: 50, milestones: 50 };
    assert_eq!(board_score(fen(1000), fen(900), 4, 1, &even), 4500 + 1250);
}

#[test]
fn board_weights_parsing() {
    assert_eq!(
        parse_board_weights("investment = 60\nmilestones = 40\n"),
        Ok(BoardWeights { investment: 60, milestones: 40 })
    );
    assert_eq!(parse_board_weights(""), Ok(BoardWeights::default()));
    assert_eq!(
        parse_board_weights("investment = 80\nmilestones = 30\n"),
        Err("龙虎榜权重之和须为100（现为110）".into())
    );
    // Missing key takes its default: 80 + 30.
    assert!(parse_board_weights("investment = 80\n").is_err());
    assert!(parse_board_weights("investment = 110\nmilestones = -10\n").is_err());
    assert!(parse_board_weights("investment = 70\nmilestone = 30\n").is_err());
    assert!(parse_board_weights("investment = \"70\"\n").is_err());
}

#[test]
fn quota_behind_schedule() {
    // 15 June: 5 whole months elapsed; 12 × 5 / 12 = 5 expected.
    let s = quota_state(12, 4, 2025, d(2025, 6, 15));
    assert_eq!(s, QuotaState { behind: true, expected: 5, remaining: 8 });
    assert!(!quota_state(12, 5, 2025, d(2025, 6, 15)).behind);
    // 10 × 5 / 12 = 4 (rounded down).
    assert_eq!(quota_state(10, 4, 2025, d(2025, 6, 30)), QuotaState { behind: false, expected: 4, remaining: 6 });
    assert!(quota_state(10, 3, 2025, d(2025, 6, 1)).behind);
    // January: nothing expected yet.
    assert!(!quota_state(12, 0, 2025, d(2025, 1, 31)).behind);
    // 31 December: 11 months elapsed.
    assert_eq!(quota_state(12, 10, 2025, d(2025, 12, 31)).expected, 11);
    // Past year: behind unless the whole quota is done.
    assert!(quota_state(12, 11, 2024, d(2025, 1, 5)).behind);
    assert!(!quota_state(12, 12, 2024, d(2025, 1, 5)).behind);
    // Future year: never behind.
    assert_eq!(quota_state(12, 0, 2026, d(2025, 12, 31)), QuotaState { behind: false, expected: 0, remaining: 12 });
    // Done beyond required leaves nothing remaining.
    assert_eq!(quota_state(3, 5, 2025, d(2025, 6, 15)).remaining, 0);
    // A once-a-year quota: not due in February, due from July, behind in December with nothing done.
    assert!(!quota_state(1, 0, 2026, d(2026, 2, 15)).behind);
    assert!(quota_state(1, 0, 2026, d(2026, 7, 1)).behind);
    assert_eq!(quota_state(1, 0, 2026, d(2026, 12, 20)), QuotaState { behind: true, expected: 1, remaining: 1 });
    assert!(!quota_state(1, 1, 2026, d(2026, 12, 20)).behind);
    assert_eq!(quota_state(u32::MAX, 0, 2024, d(2025, 1, 1)).expected, u32::MAX);
}
