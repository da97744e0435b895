-- GET /v1/claims/facets?by=condition,status (no filter): the trigger-kept counts plus pending deltas (Claims/ClaimFacets.cs).
select facet, nullif(value, ''), sum(claims)::int
from (select facet, value, claims from facet_counts where facet = any('{condition,status,total}')
      union all
      select facet, value, delta from facet_count_deltas where facet = any('{condition,status,total}')) as counts
group by facet, value
having sum(claims) <> 0;
