-- What a revision changed besides the claim's own fields, which its snapshot cannot show: the citation added or
-- withdrawn, the flag raised or resolved, the reason for retiring. Older revisions have none.
alter table claim_revisions add column detail jsonb;
