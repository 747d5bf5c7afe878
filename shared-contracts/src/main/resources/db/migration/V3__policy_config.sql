-- The policy set at run time (POST /api/admin/policy/set), with its history: one row per change, the active one
-- flagged. luthien-proxy's table and column names, so its scripts read it; previous_id links a change to the
-- chain it replaced.
CREATE TABLE policy_config (
    id               bigserial PRIMARY KEY,
    policy_class_ref text        NOT NULL,
    config           jsonb       NOT NULL DEFAULT '{}',
    enabled_at       timestamptz NOT NULL DEFAULT now(),
    enabled_by       text,
    is_active        boolean     NOT NULL DEFAULT false,
    previous_id      bigint REFERENCES policy_config (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
-- at most one active policy, whatever writers race
CREATE UNIQUE INDEX policy_config_one_active ON policy_config (is_active) WHERE is_active;
CREATE INDEX policy_config_enabled_at_idx ON policy_config (enabled_at DESC, id DESC);
