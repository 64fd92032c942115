-- The lexical index: PostgreSQL full text over chunks (English stemming), kept apart from the
-- chunks like the embedded Lucene index, so it can be rebuilt from the store.
CREATE TABLE lexical_entries (
    collection  text     NOT NULL,
    document_id text     NOT NULL,
    idx         integer  NOT NULL,
    tags        text[]   NOT NULL,
    terms       tsvector NOT NULL,
    PRIMARY KEY (collection, document_id, idx)
);
CREATE INDEX lexical_entries_terms ON lexical_entries USING gin (terms);
CREATE INDEX lexical_entries_tags ON lexical_entries USING gin (tags);
