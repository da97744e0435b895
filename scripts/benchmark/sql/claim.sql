-- GET /v1/claims/{id}: the claim (its citations follow in a second statement, as in list.sql).
select c.id, c.source_id, s.title as source_title, c.quote, c.position_start, c.position_end, c.section,
       array(select cc.condition_slug from claim_conditions cc where cc.claim_id = c.id order by 1) as conditions,
       array(select ca.cannabinoid_slug from claim_cannabinoids ca where ca.claim_id = c.id order by 1) as cannabinoids,
       c.routes, c.population, c.comparator, c.effect, c.outcome, c.direction, c.claimed_strength,
       c.evidence_level, c.overclaim, c.status, c.open_flag_count, c.retired_reason, c.version,
       c.created_at, c.updated_at
from claims c join sources s on s.id = c.source_id
where c.id = :claim_id;
