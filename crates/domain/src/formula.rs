//! Formulas of derived indicators [T1] (e.g. 本地配套率 = local_procurement / oem_procurement * 100):
//! one parser and one exact evaluator (rational arithmetic, rounded once at the end), and the
//! check that no formula refers to itself through others.

use std::collections::{HashMap, HashSet};

/// Figures a formula may use besides other indicators: (name, meaning), computed from the
/// enterprise library for the indicator's chain.
pub const MEASURES: [(&str, &str); 2] = [
    ("local_procurement", "本地供应商向本链非本地企业（所跟踪的主机企业）的年供货额，单位万元，取自企业供应关系"),
    (
        "supply_to_oems",
        "本指标范围（园区或产业链）内的本地企业向非本地企业（主机企业）的年供货额，单位万元，取自企业供应关系",
    ),
];

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number, scaled by 10⁴.
    Number(i64),
    /// Another indicator by code (`name` or `{code-with-dashes}`).
    Var(String),
    /// A binary operation.
    Op(Box<Expr>, char, Box<Expr>),
    /// Unary minus.
    Neg(Box<Expr>),
}

/// Why a formula cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormulaError {
    /// Bad syntax at a character position.
    #[error("公式第{pos}个字符处有误：{what}")]
    Syntax {
        /// 1-based character position.
        pos: usize,
        /// What was expected.
        what: String,
    },
    /// A variable with no value.
    #[error("公式引用的指标“{0}”没有数值")]
    Missing(String),
    /// Division by zero.
    #[error("公式中除数为零（{0}）")]
    DivisionByZero(String),
    /// A number too large.
    #[error("公式计算结果超出范围")]
    Overflow,
    /// The formula refers to itself, directly or through others.
    #[error("指标“{0}”的公式引用了自身（{1}）")]
    Cycle(String, String),
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    _src: &'a str,
}

impl Parser<'_> {
    fn err<T>(&self, what: &str) -> Result<T, FormulaError> {
        Err(FormulaError::Syntax { pos: self.pos + 1, what: what.into() })
    }

    fn skip(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip();
        self.chars.get(self.pos).copied()
    }

    fn expr(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.term()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            left = Expr::Op(Box::new(left), op, Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.factor()?;
        while let Some(op @ ('*' | '/' | '×' | '÷')) = self.peek() {
            self.pos += 1;
            let op = match op {
                '×' => '*',
                '÷' => '/',
                o => o,
            };
            left = Expr::Op(Box::new(left), op, Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, FormulaError> {
        match self.peek() {
            Some('-') => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some('(' | '（') => {
                self.pos += 1;
                let e = self.expr()?;
                match self.peek() {
                    Some(')' | '）') => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => self.err("缺少右括号"),
                }
            }
            Some('{') => {
                let start = self.pos + 1;
                let end = self.chars[start..].iter().position(|c| *c == '}').map(|i| start + i);
                let Some(end) = end else { return self.err("缺少 }") };
                let name: String = self.chars[start..end].iter().collect();
                if name.trim().is_empty() {
                    return self.err("{} 中缺少指标代码");
                }
                self.pos = end + 1;
                Ok(Expr::Var(name.trim().to_string()))
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.pos;
                while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                crate::quantity::parse_scaled(&text)
                    .map(Expr::Number)
                    .or_else(|_| self.err(&format!("“{text}”不是有效的数字")))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    self.pos += 1;
                }
                Ok(Expr::Var(self.chars[start..self.pos].iter().collect()))
            }
            Some(c) => self.err(&format!("不认识的字符“{c}”")),
            None => self.err("公式不完整"),
        }
    }
}

/// Parses a formula.
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    let mut p = Parser { chars: src.chars().collect(), pos: 0, _src: src };
    let e = p.expr()?;
    match p.peek() {
        None => Ok(e),
        Some(c) => p.err(&format!("多余的“{c}”")),
    }
}

/// The indicators a formula refers to.
pub fn variables(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(e: &Expr, out: &mut Vec<String>) {
        match e {
            Expr::Var(v) if !out.contains(v) => out.push(v.clone()),
            Expr::Op(a, _, b) => {
                walk(a, out);
                walk(b, out);
            }
            Expr::Neg(a) => walk(a, out),
            _ => {}
        }
    }
    walk(e, &mut out);
    out
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs().max(1) } else { gcd(b, a % b) }
}

/// An exact rational number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio(i128, i128);

impl Ratio {
    fn new(n: i128, d: i128) -> Ratio {
        let g = gcd(n, d);
        let s = if d < 0 { -1 } else { 1 };
        Ratio(s * n / g, s * d / g)
    }
}

fn eval_ratio(e: &Expr, values: &HashMap<String, i64>) -> Result<Ratio, FormulaError> {
    let over = || FormulaError::Overflow;
    Ok(match e {
        Expr::Number(s) => Ratio::new(i128::from(*s), 10_000),
        Expr::Var(v) => Ratio::new(i128::from(*values.get(v).ok_or_else(|| FormulaError::Missing(v.clone()))?), 10_000),
        Expr::Neg(a) => {
            let r = eval_ratio(a, values)?;
            Ratio(-r.0, r.1)
        }
        Expr::Op(a, op, b) => {
            let (x, y) = (eval_ratio(a, values)?, eval_ratio(b, values)?);
            match op {
                '+' | '-' => {
                    let n1 = x.0.checked_mul(y.1).ok_or_else(over)?;
                    let n2 = y.0.checked_mul(x.1).ok_or_else(over)?;
                    let n = if *op == '+' { n1.checked_add(n2) } else { n1.checked_sub(n2) }.ok_or_else(over)?;
                    Ratio::new(n, x.1.checked_mul(y.1).ok_or_else(over)?)
                }
                '*' => Ratio::new(x.0.checked_mul(y.0).ok_or_else(over)?, x.1.checked_mul(y.1).ok_or_else(over)?),
                _ => {
                    if y.0 == 0 {
                        return Err(FormulaError::DivisionByZero(format!("{b:?}")));
                    }
                    Ratio::new(x.0.checked_mul(y.1).ok_or_else(over)?, x.1.checked_mul(y.0).ok_or_else(over)?)
                }
            }
        }
    })
}

/// Evaluates a formula over values scaled by 10⁴; the result is scaled by 10⁴, rounded half away from zero.
pub fn evaluate(e: &Expr, values: &HashMap<String, i64>) -> Result<i64, FormulaError> {
    let r = eval_ratio(e, values)?;
    let scaled = r.0.checked_mul(10_000).ok_or(FormulaError::Overflow)?;
    let (q, rem) = (scaled / r.1, scaled % r.1);
    let rounded = if rem.abs() * 2 >= r.1 { q + scaled.signum() } else { q };
    i64::try_from(rounded).map_err(|_| FormulaError::Overflow)
}

/// Checks that no formula refers to itself directly or through other formulas.
pub fn check_cycles(formulas: &[(String, Expr)]) -> Result<(), FormulaError> {
    let deps: HashMap<&str, Vec<String>> = formulas.iter().map(|(c, e)| (c.as_str(), variables(e))).collect();
    for (code, _) in formulas {
        let mut stack = vec![(code.clone(), vec![code.clone()])];
        let mut seen = HashSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in deps.get(node.as_str()).into_iter().flatten() {
                let mut p = path.clone();
                p.push(next.clone());
                if next == code {
                    return Err(FormulaError::Cycle(code.clone(), p.join(" → ")));
                }
                if seen.insert(next.clone()) {
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(pairs: &[(&str, &str)]) -> HashMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), crate::quantity::parse_scaled(v).expect("number"))).collect()
    }

    #[test]
    fn local_supporting_rate_is_exact() {
        let e = parse("local_procurement / oem_procurement * 100").expect("parse");
        let v = vals(&[("local_procurement", "49500"), ("oem_procurement", "199500")]);
        // 49500 / 199500 * 100 = 24.8120300… → 24.8120
        assert_eq!(crate::quantity::format_scaled(evaluate(&e, &v).expect("eval")), "24.812");
        let third = parse("1 / 3").expect("parse");
        assert_eq!(evaluate(&third, &HashMap::new()), Ok(3333));
        let braces = parse("({a-b} - 2.5) × 2").expect("parse");
        assert_eq!(evaluate(&braces, &vals(&[("a-b", "10")])), Ok(150_000));
        assert_eq!(evaluate(&parse("-1/3").expect("parse"), &HashMap::new()), Ok(-3333));
    }

    #[test]
    fn errors_are_named() {
        assert!(matches!(parse("a +"), Err(FormulaError::Syntax { .. })));
        assert!(matches!(parse("(a + b"), Err(FormulaError::Syntax { .. })));
        assert!(matches!(parse("a $ b"), Err(FormulaError::Syntax { pos: 3, .. })));
        let e = parse("a / b").expect("parse");
        assert_eq!(evaluate(&e, &vals(&[("a", "1")])), Err(FormulaError::Missing("b".into())));
        assert!(matches!(evaluate(&e, &vals(&[("a", "1"), ("b", "0")])), Err(FormulaError::DivisionByZero(_))));
    }

    #[test]
    fn self_reference_is_refused() {
        let f = |c: &str, s: &str| (c.to_string(), parse(s).expect("parse"));
        assert!(check_cycles(&[f("a", "b + 1"), f("b", "c * 2")]).is_ok());
        assert!(matches!(check_cycles(&[f("a", "a + 1")]), Err(FormulaError::Cycle(..))));
        let err = check_cycles(&[f("a", "b + 1"), f("b", "a * 2")]).expect_err("cycle");
        assert!(err.to_string().contains("a → b → a"), "{err}");
    }
}
