-- GET /v1/claims/facets?by=condition,status&condition=fibromyalgia&cannabinoid=terpenes&population=older-adults:
-- the change count, then one pass over the filtered claims counting every requested facet (Claims/ClaimFacets.cs);
-- the counts are kept in memory until the change count moves. This is the path without the in-memory claim index
-- (ClaimIndex:Enabled=false, or while the index is built after a change): with it, only the change count is read.
select coalesce(sum(changes), 0)::bigint from catalogue_changes;
select f.facet, f.value, count(*)::int
from claims c
cross join lateral (select 'total', null
    union all select 'condition', s from unnest(c.conditions) s
    union all select 'status', c.status) as f (facet, value)
where c.retired_at is null and c.conditions && '{fibromyalgia}' and c.cannabinoids && '{terpenes}' and c.population = any('{older-adults}')
group by 1, 2;
