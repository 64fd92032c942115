-- Documents, their raw bytes and parsed text, and their chunks: the source of truth.
CREATE TABLE documents (
    collection   text             NOT NULL,
    id           text             NOT NULL,
    content_hash text             NOT NULL,
    title        text             NULL,
    file_name    text             NULL,
    kind         text             NOT NULL,
    tags         text[]           NOT NULL,
    size_bytes   bigint           NOT NULL,
    state        text             NOT NULL,
    progress     double precision NOT NULL,
    error        text             NULL,
    chunk_count  integer          NOT NULL DEFAULT 0,
    created_at   timestamptz      NOT NULL,
    updated_at   timestamptz      NOT NULL,
    -- Upload order, for stable paging; an identity is safe under concurrent inserts.
    seq          bigint           GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (collection, id)
);
CREATE UNIQUE INDEX documents_by_seq ON documents (collection, seq);
CREATE INDEX documents_unfinished ON documents (seq) WHERE state NOT IN ('Ready', 'Failed');

CREATE TABLE document_content (
    collection text  NOT NULL,
    id         text  NOT NULL,
    raw        bytea NOT NULL,
    text       text  NULL,
    PRIMARY KEY (collection, id),
    FOREIGN KEY (collection, id) REFERENCES documents (collection, id) ON DELETE CASCADE
);

CREATE TABLE chunks (
    collection  text    NOT NULL,
    document_id text    NOT NULL,
    idx         integer NOT NULL,
    start       integer NOT NULL,
    length      integer NOT NULL,
    token_count integer NOT NULL,
    section     text    NULL,
    text        text    NOT NULL,
    PRIMARY KEY (collection, document_id, idx),
    FOREIGN KEY (collection, document_id) REFERENCES documents (collection, id) ON DELETE CASCADE
);
