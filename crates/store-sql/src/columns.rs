//! Column lists shared by several statements, as macros so `concat!` can join them to statement
//! text at compile time (a `const` cannot be spliced into a literal). The backends use them in
//! their dialect statements, so the two spellings of a statement select the same columns.

/// A bank transaction, in the order the shared code reads them by position.
#[macro_export]
macro_rules! transaction_columns {
    () => {
        "id, date, description, amount, balance, transaction_type, counterparty, reference"
    };
}

/// A source account, read by name.
#[macro_export]
macro_rules! account_columns {
    () => {
        "connection_id, id, shape, account_name, account_type, account_number, sort_code, \
         currency, balance, routing_info, account_info, modified_date, status, feed_start_date, \
         last_pulled, linked_credential, created, feed_mark"
    };
}

/// Selects claimed deliveries: each delivery (`d`) with its event's type and body (`o`) and its
/// endpoint (`e`), read by name; the dialect adds which ones.
#[macro_export]
macro_rules! select_claimed {
    () => {
        concat!(
            "SELECT ",
            $crate::delivery_columns!(),
            ", o.body AS body, ",
            $crate::endpoint_columns!(),
            " FROM webhook_deliveries d JOIN outbox_events o ON o.id = d.event_id \
             JOIN webhook_endpoints e ON e.id = d.endpoint_id"
        )
    };
}

/// A delivery of `webhook_deliveries d` with the event type of `outbox_events o`, read by name.
#[macro_export]
macro_rules! delivery_columns {
    () => {
        "d.id AS d_id, d.event_id AS d_event_id, o.event_type AS d_event_type, \
         d.endpoint_id AS d_endpoint_id, d.status AS d_status, d.attempts AS d_attempts, \
         d.next_attempt AS d_next_attempt, d.last_attempt AS d_last_attempt, \
         d.last_status_code AS d_last_status_code, d.last_error AS d_last_error, \
         d.created AS d_created"
    };
}

/// An endpoint of `webhook_endpoints e`, read by name.
#[macro_export]
macro_rules! endpoint_columns {
    () => {
        "e.id, e.client_id, e.url, e.event_types, e.description, e.secret, e.previous_secret, \
         e.previous_until, e.created"
    };
}
