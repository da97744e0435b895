-- GET /v1/claims/facets?by=condition,status (no filter but the hidden retired claims).
select 'total', null, count(*)::int from claims c where c.retired_at is null
union all
select 'condition', value, count::int from (select cc.condition_slug, count(*) from claims c join claim_conditions cc on cc.claim_id = c.id where c.retired_at is null group by 1) as facet (value, count)
union all
select 'status', value, count::int from (select c.status, count(*) from claims c where c.retired_at is null group by 1) as facet (value, count);
