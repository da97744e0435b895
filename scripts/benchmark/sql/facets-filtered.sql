-- GET /v1/claims/facets?by=condition,status&condition=fibromyalgia&cannabinoid=terpenes&population=older-adults
select 'total', null, count(*)::int from claims c where c.retired_at is null
  and exists (select 1 from claim_conditions cc where cc.claim_id = c.id and cc.condition_slug = any('{fibromyalgia}'))
  and exists (select 1 from claim_cannabinoids ca where ca.claim_id = c.id and ca.cannabinoid_slug = any('{terpenes}'))
  and c.population = any('{older-adults}')
union all
select 'condition', value, count::int from (select cc.condition_slug, count(*) from claims c join claim_conditions cc on cc.claim_id = c.id
  where c.retired_at is null
  and exists (select 1 from claim_conditions cc where cc.claim_id = c.id and cc.condition_slug = any('{fibromyalgia}'))
  and exists (select 1 from claim_cannabinoids ca where ca.claim_id = c.id and ca.cannabinoid_slug = any('{terpenes}'))
  and c.population = any('{older-adults}') group by 1) as facet (value, count)
union all
select 'status', value, count::int from (select c.status, count(*) from claims c
  where c.retired_at is null
  and exists (select 1 from claim_conditions cc where cc.claim_id = c.id and cc.condition_slug = any('{fibromyalgia}'))
  and exists (select 1 from claim_cannabinoids ca where ca.claim_id = c.id and ca.cannabinoid_slug = any('{terpenes}'))
  and c.population = any('{older-adults}') group by 1) as facet (value, count);
