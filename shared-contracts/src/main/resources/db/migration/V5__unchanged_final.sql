-- A request or response event whose `final` equals its `original` (no policy changed it: most calls) is stored
-- without `final`, which halves what PostgreSQL parses and writes for it. Readers see the payload whole through
-- luthien_payload(payload); a `final` that is null (a blocked request, a failed call) is stored as null.
CREATE FUNCTION luthien_payload(payload jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT CASE WHEN payload ? 'original' AND NOT payload ? 'final'
                    THEN payload || jsonb_build_object('final', payload -> 'original')
                    ELSE payload END
    $$;
