-- Which documents a batch upload created: the batch's progress and its cancel read them. A document's rows
-- go with it, so a batch is what is left of it.
CREATE TABLE batch_documents (
    collection  text NOT NULL,
    batch_id    text NOT NULL,
    document_id text NOT NULL,
    PRIMARY KEY (collection, batch_id, document_id),
    FOREIGN KEY (collection, document_id) REFERENCES documents (collection, id) ON DELETE CASCADE
);
CREATE INDEX batch_documents_by_document ON batch_documents (collection, document_id);
