-- The main statement of the same list, 900,000 claims deep in the keyset chain (:deep_time, :deep_id filled in by run.sh).
select c.id, c.source_id, s.title as source_title, c.quote, c.position_start, c.position_end, c.section,
       array(select cc.condition_slug from claim_conditions cc where cc.claim_id = c.id order by 1) as conditions,
       array(select ca.cannabinoid_slug from claim_cannabinoids ca where ca.claim_id = c.id order by 1) as cannabinoids,
       c.routes, c.population, c.comparator, c.effect, c.outcome, c.direction, c.claimed_strength,
       c.evidence_level, c.overclaim, c.status, c.open_flag_count, c.retired_reason, c.version,
       c.created_at, c.updated_at, c.created_at as sort_value
from claims c join sources s on s.id = c.source_id
where c.retired_at is null
  and exists (select 1 from claim_conditions cc where cc.claim_id = c.id and cc.condition_slug = any('{fibromyalgia}'))
  and c.status = any('{needs-citation}')
  and (c.created_at, c.id) > (:deep_time, :deep_id)
order by c.created_at, c.id
limit 51;
