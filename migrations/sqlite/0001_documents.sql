-- The embedded document store (rag.db): documents, their bytes and parsed text, chunks, batch membership.
-- Written IF NOT EXISTS: a data folder made before schema versions existed (user_version 0) already has
-- these tables, and this script only marks it as version 1.
CREATE TABLE IF NOT EXISTS documents (
    collection   TEXT NOT NULL,
    id           TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title        TEXT NULL,
    file_name    TEXT NULL,
    kind         TEXT NOT NULL,
    tags         TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    state        TEXT NOT NULL,
    progress     REAL NOT NULL,
    error        TEXT NULL,
    chunk_count  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (collection, id)
);
CREATE INDEX IF NOT EXISTS documents_by_state ON documents (state);
CREATE INDEX IF NOT EXISTS documents_by_seq ON documents (collection, seq);
CREATE TABLE IF NOT EXISTS document_content (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    raw        BLOB NOT NULL,
    text       TEXT NULL,
    PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS chunks (
    collection  TEXT NOT NULL,
    document_id TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    length      INTEGER NOT NULL,
    token_count INTEGER NOT NULL,
    section     TEXT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (collection, document_id, idx)
);
CREATE TABLE IF NOT EXISTS batch_documents (
    collection  TEXT NOT NULL,
    batch_id    TEXT NOT NULL,
    document_id TEXT NOT NULL,
    PRIMARY KEY (collection, batch_id, document_id)
);
CREATE INDEX IF NOT EXISTS batch_documents_by_document ON batch_documents (collection, document_id);

