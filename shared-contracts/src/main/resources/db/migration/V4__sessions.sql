-- Who and which agent session each call belongs to, and whether a policy stepped in, so the history API can
-- list sessions, filter them by user and intervention, and search their text.
ALTER TABLE conversation_calls
    ADD COLUMN session_id     text,
    ADD COLUMN user_id        text,
    ADD COLUMN policy_changed boolean NOT NULL DEFAULT false,
    ADD COLUMN policy_blocked boolean NOT NULL DEFAULT false,
    ADD COLUMN policy_judged  boolean NOT NULL DEFAULT false,
    -- the call's (final) user messages and assistant answer, bounded; filled by the recorder
    ADD COLUMN search_text    tsvector;
CREATE INDEX conversation_calls_session_idx ON conversation_calls (session_id, created_at)
    WHERE session_id IS NOT NULL;
CREATE INDEX conversation_calls_user_idx ON conversation_calls (user_id, created_at DESC)
    WHERE user_id IS NOT NULL;
CREATE INDEX conversation_calls_search_idx ON conversation_calls USING gin (search_text);

-- A human-readable name for an opaque user id (a hashed credential, a header value).
CREATE TABLE user_labels (
    user_id    text PRIMARY KEY,
    label      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
