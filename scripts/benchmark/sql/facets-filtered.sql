-- GET /v1/claims/facets?by=condition,status&condition=fibromyalgia&cannabinoid=terpenes&population=older-adults:
-- one pass over the filtered claims counts every requested facet (Claims/ClaimFacets.cs).
select f.facet, f.value, count(*)::int
from claims c
cross join lateral (select 'total', null
    union all select 'condition', s from unnest(c.conditions) s
    union all select 'status', c.status) as f (facet, value)
where c.retired_at is null and c.conditions && '{fibromyalgia}' and c.cannabinoids && '{terpenes}' and c.population = any('{older-adults}')
group by 1, 2;
