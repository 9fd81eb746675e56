-- Search reads one token's persons in id order and stops at the page size: the index must
-- carry the person id after the token (a million-case search otherwise grouped every match).
DROP INDEX person_search_tokens_org_id_token;
CREATE INDEX person_search_tokens_org_token_person ON person_search_tokens (org_id, token, person_id);
