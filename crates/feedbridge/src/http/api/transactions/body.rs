//! `CreateBankTransactions`: the body of a push, read field by field so that a well-formed body
//! with unusable fields becomes validation findings (a Failed operation) rather than a 400.

use serde_json::{Map, Value};

use crate::domain::push::input::{FieldProblem, PushInput, TransactionInput};
use crate::domain::push::rules::Validator;
use crate::http::api::accounts::body::exact_decimal;

/// Reads the body; only a body that is not `{accountId, transactions: [...]}` at all is refused.
pub fn parse_push(body: &Value) -> Result<PushInput, String> {
    let map = body
        .as_object()
        .ok_or("The body must be a JSON object {\"accountId\": ..., \"transactions\": [...]}.")?;
    let account_id = match map.get("accountId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("`accountId` must be a string.".into()),
    };
    let transactions = match map.get("transactions") {
        Some(Value::Array(items)) => items.iter().map(transaction).collect(),
        _ => return Err("`transactions` must be an array of bank transactions.".into()),
    };
    Ok(PushInput {
        account_id,
        transactions,
    })
}

fn transaction(value: &Value) -> TransactionInput {
    let mut problems = Vec::new();
    let Some(map) = value.as_object() else {
        problems.push(FieldProblem {
            field: "id",
            validator: Validator::InvalidField,
            message: "A transaction must be a JSON object.".into(),
        });
        return TransactionInput {
            problems,
            ..TransactionInput::default()
        };
    };
    let mut text = |field| text(map, field, &mut problems);
    let (id, date, description) = (text("id"), text("date"), text("description"));
    let (transaction_type, counterparty, reference) = (
        text("transactionType"),
        text("counterparty"),
        text("reference"),
    );
    TransactionInput {
        id,
        date,
        description,
        amount: money(map, "amount", &mut problems),
        balance: money(map, "balance", &mut problems),
        transaction_type,
        counterparty,
        reference,
        problems,
    }
}

fn text(
    map: &Map<String, Value>,
    field: &'static str,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    match map.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            problems.push(FieldProblem {
                field,
                validator: Validator::InvalidField,
                message: format!("`{field}` must be a string."),
            });
            None
        }
    }
}

/// A money field read from the JSON number's own text (or a numeric string), never via a float.
fn money(
    map: &Map<String, Value>,
    field: &'static str,
    problems: &mut Vec<FieldProblem>,
) -> Option<rust_decimal::Decimal> {
    let text = match map.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => String::new(),
    };
    if written_places(&text) > 2 {
        problems.push(FieldProblem {
            field,
            validator: Validator::DecimalPlaces,
            message: format!(
                "`{field}` {text} has more than 2 decimal places; send amounts in whole cents."
            ),
        });
        return None;
    }
    let value = exact_decimal(&text);
    if value.is_none() {
        let shown: String = text.chars().take(40).collect();
        problems.push(FieldProblem {
            field,
            validator: Validator::InvalidAmount,
            message: format!(
                "`{field}` {shown:?} is not a decimal amount: send a number such as -12.34, \
                 with at most 2 decimal places and 26 digits before the point."
            ),
        });
    }
    value
}

/// Significant digits written after the point, so text too precise to hold is refused before
/// parsing could round it (exponent forms are checked once parsed).
fn written_places(text: &str) -> usize {
    if text.contains(['e', 'E']) {
        return 0;
    }
    text.split_once('.').map_or(0, |(_, fraction)| {
        fraction.trim().trim_end_matches('0').len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(json: &str) -> TransactionInput {
        let body: Value = serde_json::from_str(json).unwrap();
        let input = parse_push(&body).unwrap();
        input.transactions.into_iter().next().unwrap()
    }

    #[test]
    fn amounts_are_read_from_the_number_text() {
        let t = one(r#"{"accountId":"a","transactions":[{"amount":4002.0,"balance":-0.10}]}"#);
        assert_eq!(t.amount.unwrap().to_string(), "4002.0");
        assert_eq!(t.balance.unwrap().to_string(), "-0.10");
        let t = one(r#"{"accountId":"a","transactions":[{"amount":1e2,"balance":"12.5"}]}"#);
        assert_eq!(t.amount.unwrap(), rust_decimal::Decimal::from(100));
        assert_eq!(t.balance.unwrap().to_string(), "12.5");
        assert!(t.problems.is_empty());
    }

    #[test]
    fn unholdable_amounts_are_problems_not_floats() {
        for (text, validator) in [
            (
                "1.0000000000000000000000000000001",
                Validator::DecimalPlaces,
            ),
            ("0.001", Validator::DecimalPlaces),
            ("1e400", Validator::InvalidAmount),
            (
                "123456789012345678901234567890123",
                Validator::InvalidAmount,
            ),
            ("\"NaN\"", Validator::InvalidAmount),
            ("true", Validator::InvalidAmount),
        ] {
            let t = one(&format!(
                r#"{{"accountId":"a","transactions":[{{"amount":{text}}}]}}"#
            ));
            assert_eq!(t.amount, None, "{text}");
            assert_eq!(t.problems.len(), 1, "{text}");
            assert_eq!(t.problems[0].validator, validator, "{text}");
        }
    }

    #[test]
    fn only_a_body_without_a_transactions_array_is_refused() {
        for body in [
            r#"[]"#,
            r#"{"accountId":"a"}"#,
            r#"{"transactions":{}}"#,
            r#"{"accountId":1,"transactions":[]}"#,
        ] {
            assert!(
                parse_push(&serde_json::from_str(body).unwrap()).is_err(),
                "{body}"
            );
        }
        let odd = one(r#"{"transactions":[{"id":7,"description":null}]}"#);
        assert_eq!(odd.problems.len(), 1);
        assert_eq!(odd.problems[0].field, "id");
    }
}
