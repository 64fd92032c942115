-- Compressed-segment results shared by every process (Rag:Storage:SegmentCache = Postgres).
CREATE TABLE segment_cache (
    key        text        PRIMARY KEY,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
