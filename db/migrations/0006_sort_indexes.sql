-- Every documented sort of GET /v1/claims reads an index in its own order, so that a page costs the same at any
-- catalogue size. createdAt and updatedAt have theirs since 0001; these expressions are exactly the ones
-- ClaimSort orders by, which is what lets the planner use them.
create index claims_by_evidence_level on claims (
    (array_position(array['conclusive','substantial','moderate','limited','insufficient','unassessed'], evidence_level)), id);
create index claims_by_claimed_strength on claims (
    (array_position(array['asserted','suggested','speculative'], claimed_strength)), id);
create index claims_by_position on claims (position_start, id);
