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

-- The parent key of the (case, person, organisation) foreign key.
CREATE UNIQUE INDEX cases_id_person_id_org_id ON cases (id, person_id, org_id);

CREATE TABLE documents (
    id            uuid        NOT NULL PRIMARY KEY,
    org_id        uuid        NOT NULL,
    person_id     uuid        NOT NULL,
    case_id       uuid,
    kind          text        NOT NULL,
    content_type  text        NOT NULL,
    size          bigint      NOT NULL CHECK (size > 0),
    meta          bytea       NOT NULL,
    uploaded_by   uuid,
    uploaded_at   timestamptz NOT NULL,
    version       bigint      NOT NULL,
    content       bytea       NOT NULL,
    FOREIGN KEY (person_id, org_id) REFERENCES persons (id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (case_id, person_id, org_id) REFERENCES cases (id, person_id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (uploaded_by, org_id) REFERENCES users (id, org_id)
);
-- The file is ciphertext: compressing it is wasted work. Kept out of line (TOAST), so that
-- listing, which never selects it, never reads it either.
ALTER TABLE documents ALTER COLUMN content SET STORAGE EXTERNAL;
-- A person's documents, newest first (also the cascade on erasure).
CREATE INDEX documents_person_id ON documents (person_id, uploaded_at);
-- A case's documents, newest first (also the cascade when a case goes).
CREATE INDEX documents_case_id ON documents (case_id, uploaded_at);
