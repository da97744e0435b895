-- GET /v1/claims?q=reduces pain&limit=50 (relevance order), main statement.
select c.id, c.source_id, s.title as source_title, c.quote, c.position_start, c.position_end, c.section,
       c.conditions, c.cannabinoids,
       c.routes, c.population, c.comparator, c.effect, c.outcome, c.direction, c.claimed_strength,
       c.evidence_level, c.overclaim, c.status, c.open_flag_count, c.retired_reason, c.version,
       c.created_at, c.updated_at, ts_rank(c.search, websearch_to_tsquery('english', 'reduces pain')) as sort_value
from claims c join sources s on s.id = c.source_id
where c.retired_at is null
  and c.search @@ websearch_to_tsquery('english', 'reduces pain')
order by ts_rank(c.search, websearch_to_tsquery('english', 'reduces pain')) desc, c.id desc
limit 51;
