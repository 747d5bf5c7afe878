-- A policy's model call (a judge's) is a call of its own, recorded as a child of the call it was made for.
ALTER TABLE conversation_calls ADD COLUMN parent_call_id uuid;
CREATE INDEX conversation_calls_parent_idx ON conversation_calls (parent_call_id) WHERE parent_call_id IS NOT NULL;
