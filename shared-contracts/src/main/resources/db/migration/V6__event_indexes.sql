-- Every query reads a call's events by call_id, which the conversation_events_once key (call_id, event_type,
-- sequence) already serves, deletions by cascade included. These three indexes were only written, two or more
-- times per call, and never read.
DROP INDEX IF EXISTS conversation_events_call_sequence_idx;
DROP INDEX IF EXISTS conversation_events_created_at_idx;
DROP INDEX IF EXISTS conversation_events_event_type_idx;
