-- Documents attached to a person or to one of their cases: scans, photos and PDFs.
--
-- In clear: what reports and access decisions need (kind, the media type found in the
-- bytes, size, dates, who uploaded). Sealed by the application with the person's data key:
-- `meta` (JSON: title and original file name) and `content` (the file, after its metadata
-- was stripped), each bound to this table, its column and the row's id.
--
-- A document goes with its person on erasure and with its case if the case is deleted
-- (ON DELETE CASCADE). A case-attached document must name the case's own person and
-- organisation: the foreign key below checks all three together.
--
-- `content` is the last column: listing reads the columns before it and never pulls the
-- file's overflow pages.

-- The parent key of the (case, person, organisation) foreign key.
CREATE UNIQUE INDEX cases_id_person_id_org_id ON cases (id, person_id, org_id);

CREATE TABLE documents (
    id            BLOB    NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    org_id        BLOB    NOT NULL,
    person_id     BLOB    NOT NULL,
    case_id       BLOB,
    kind          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    meta          BLOB    NOT NULL,
    uploaded_by   BLOB,
    uploaded_at   INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    content       BLOB    NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (case_id, person_id, org_id) REFERENCES cases (id, person_id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (uploaded_by, org_id) REFERENCES users (id, org_id)
) STRICT;
-- A person's documents, newest first (also the cascade on erasure).
CREATE INDEX documents_person_id ON documents (person_id, uploaded_at);
-- A case's documents, newest first (also the cascade when a case goes).
CREATE INDEX documents_case_id ON documents (case_id, uploaded_at);
