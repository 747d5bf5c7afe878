-- One row per call; every event of the call references it. Columns arrive from different events (and maybe
-- different recorder nodes), so writers upsert and never overwrite a known value with NULL.
CREATE TABLE conversation_calls (
    call_id      uuid PRIMARY KEY,
    model        text,
    provider     text,
    api          text,
    stream       boolean,
    status       integer,
    created_at   timestamptz NOT NULL,
    completed_at timestamptz
);
CREATE INDEX conversation_calls_created_at_idx ON conversation_calls (created_at DESC, call_id DESC);
CREATE INDEX conversation_calls_model_idx ON conversation_calls (model, created_at DESC);

CREATE TABLE conversation_events (
    id         bigserial PRIMARY KEY,
    call_id    uuid        NOT NULL REFERENCES conversation_calls (call_id) ON DELETE CASCADE,
    event_type text        NOT NULL,
    sequence   integer     NOT NULL,
    payload    jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    -- the idempotent key: a redelivered event is a no-op, never a second row
    CONSTRAINT conversation_events_once UNIQUE (call_id, event_type, sequence)
);
CREATE INDEX conversation_events_call_sequence_idx ON conversation_events (call_id, sequence);
CREATE INDEX conversation_events_created_at_idx ON conversation_events (created_at);
CREATE INDEX conversation_events_event_type_idx ON conversation_events (event_type);
