//! Checks of the plan's indicators: units, scope, targets, roll-ups from enterprise figures,
//! formulas of derived indicators (no unknown names, no cycles), due days and status rules.

use super::{Checker, IndicatorDef, PlanFile};
use crate::counting::{Counting, CountsFile};
use crate::formula::{self, MEASURES};
use crate::org::Aggregation;
use crate::org::Scope;
use crate::quantity::{Unit, parse_scaled};
use std::collections::{HashMap, HashSet};

impl Checker<'_> {
    pub(super) fn check_indicators(
        &mut self,
        p: &PlanFile,
        chains: &HashSet<String>,
        parks: &HashSet<String>,
        start: i32,
        target: i32,
    ) {
        let by_code: HashMap<&str, &IndicatorDef> =
            p.indicators.iter().map(|i| (i.code.get_ref().as_str(), i)).collect();
        let mut formulas = Vec::new();
        for ind in &p.indicators {
            self.check_indicator(ind, chains, parks, start, target);
            if let Some(d) = &ind.due_day
                && !(1..=28).contains(d.get_ref())
            {
                self.err(d, format!("指标“{}”的报送截止日（due_day）应在1到28之间", ind.name));
            }
            if let Some(src) = &ind.rolls_up_from {
                self.check_roll_up(ind, src, &by_code);
            }
            if let Some(counts) = &ind.counts {
                self.check_counts(ind, counts);
            }
            if !ind.formula.trim().is_empty() {
                if ind.scope == Scope::Enterprise || ind.rolls_up_from.is_some() {
                    self.err(&ind.code, format!("指标“{}”有公式，不能是企业指标，也不能再写 rolls_up_from", ind.name));
                }
                match formula::parse(&ind.formula) {
                    Err(e) => self.err(&ind.code, format!("指标“{}”的公式有误：{e}", ind.name)),
                    Ok(expr) => {
                        for v in formula::variables(&expr) {
                            if !by_code.contains_key(v.as_str()) && !MEASURES.iter().any(|(m, _)| *m == v) {
                                self.err(&ind.code, format!("指标“{}”的公式引用了不存在的指标或数据项“{v}”", ind.name));
                            }
                        }
                        formulas.push((ind.code.get_ref().clone(), expr));
                    }
                }
            }
        }
        if let Err(e) = formula::check_cycles(&formulas) {
            let at = match &e {
                formula::FormulaError::Cycle(code, _) => by_code.get(code.as_str()).map(|i| &i.code),
                _ => None,
            };
            if let Some(at) = at.or_else(|| p.indicators.first().map(|i| &i.code)) {
                self.err(at, e.to_string());
            }
        }
        if let Some(rule) = &p.status_rules {
            let r = rule.get_ref();
            if !(1..=200).contains(&r.amber_from) || !(1..=200).contains(&r.green_from) || r.amber_from > r.green_from {
                self.err(rule, "状态规则（status_rules）应满足 1 ≤ amber_from ≤ green_from ≤ 200（均为目标的百分比）");
            }
        }
    }

    /// A goal counted in the enterprise library: one counting, in 家, of the city, a park or a
    /// chain, neither a formula nor a roll-up; enterprises gained add up over the year (`sum`), the
    /// others are a level at the period's end (`latest`).
    fn check_counts(&mut self, ind: &IndicatorDef, counts: &toml::Spanned<CountsFile>) {
        let counting = match counts.get_ref().counting() {
            Ok(c) => c,
            Err(e) => return self.err(counts, format!("指标“{}”的计数口径（counts）有误：{e}", ind.name)),
        };
        if ind.scope == Scope::Enterprise || !ind.formula.trim().is_empty() || ind.rolls_up_from.is_some() {
            let msg =
                format!("指标“{}”按企业库计数（counts），不能是企业指标，也不能再写公式或 rolls_up_from", ind.name);
            self.err(counts, msg);
        }
        if Unit::parse(ind.unit.get_ref()) != Some(Unit::Enterprises) {
            self.err(&ind.unit, format!("指标“{}”按企业库计数，单位应为“家”", ind.name));
        }
        let want = if matches!(counting, Counting::Gained(_)) { Aggregation::Sum } else { Aggregation::Latest };
        if ind.aggregation != want {
            let msg = format!("指标“{}”按企业库计数，aggregation 应为“{}”（{}）", ind.name, want.code(), want.label());
            self.err(counts, msg);
        }
    }

    fn check_roll_up(
        &mut self,
        ind: &IndicatorDef,
        src: &toml::Spanned<String>,
        by_code: &HashMap<&str, &IndicatorDef>,
    ) {
        let Some(from) = by_code.get(src.get_ref().as_str()) else {
            self.err(src, format!("指标“{}”的 rolls_up_from 指向不存在的指标“{}”", ind.name, src.get_ref()));
            return;
        };
        if from.scope != Scope::Enterprise || ind.scope == Scope::Enterprise {
            self.err(src, format!("指标“{}”只能由企业指标汇总而来，且自身不能是企业指标", ind.name));
        }
        let (a, b) = (Unit::parse(ind.unit.get_ref()), Unit::parse(from.unit.get_ref()));
        if let (Some(a), Some(b)) = (a, b)
            && a.dimension() != b.dimension()
        {
            self.err(src, format!("指标“{}”（{a}）不能由单位为{b}的指标“{}”汇总", ind.name, from.name));
        }
        if let (Some(c), Some(d)) = (&ind.chain, &from.chain)
            && c.get_ref() != d.get_ref()
        {
            self.err(src, format!("指标“{}”与其汇总来源“{}”属于不同的产业链", ind.name, from.name));
        }
    }

    fn check_indicator(
        &mut self,
        ind: &IndicatorDef,
        chains: &HashSet<String>,
        parks: &HashSet<String>,
        start: i32,
        target: i32,
    ) {
        let unit = Unit::parse(ind.unit.get_ref());
        if unit.is_none() {
            let msg = if ind.unit.get_ref().trim().is_empty() {
                format!("指标“{}”没有单位，请填写 unit（如 万吨、亿元、%）", ind.name)
            } else {
                format!(
                    "指标“{}”的单位“{}”无法识别，可用：吨、万吨、元、万元、亿元、%、家、次、个、人、项",
                    ind.name,
                    ind.unit.get_ref()
                )
            };
            self.err(&ind.unit, msg);
        }
        match (ind.scope, &ind.chain, &ind.park) {
            (Scope::Chain, None, _) => self.err(&ind.code, format!("产业链指标“{}”须注明 chain", ind.name)),
            (Scope::Park, _, None) => self.err(&ind.code, format!("园区指标“{}”须注明 park", ind.name)),
            _ => {}
        }
        if let Some(c) = &ind.chain {
            self.refers("产业链", chains, c);
        }
        if let Some(pk) = &ind.park {
            self.refers("园区", parks, pk);
        }
        let mut years = HashSet::new();
        for t in ind.targets.iter().chain(ind.baseline.iter()) {
            let y = *t.year.get_ref();
            if y < start - 10 || y > target + 10 {
                self.err(&t.year, format!("指标“{}”的年份{y}超出规划期", ind.name));
            }
            if parse_scaled(&t.value.get_ref().0).is_err() {
                self.err(
                    &t.value,
                    format!("指标“{}”的数值“{}”不是数字（最多4位小数，不带单位）", ind.name, t.value.get_ref().0),
                );
            }
        }
        for t in &ind.targets {
            if !years.insert(*t.year.get_ref()) {
                self.err(&t.year, format!("指标“{}”的{}年目标重复", ind.name, t.year.get_ref()));
            }
        }
    }
}
