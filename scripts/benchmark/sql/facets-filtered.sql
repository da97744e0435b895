-- GET /v1/claims/facets?by=condition,status&condition=fibromyalgia&cannabinoid=terpenes&population=older-adults
select 'total', null, count(*)::int from claims c
where c.retired_at is null and c.conditions && '{fibromyalgia}' and c.cannabinoids && '{terpenes}' and c.population = any('{older-adults}')
union all
select 'condition', value, count::int from (select s, count(*) from claims c cross join unnest(c.conditions) s
  where c.retired_at is null and c.conditions && '{fibromyalgia}' and c.cannabinoids && '{terpenes}' and c.population = any('{older-adults}')
  group by 1) as facet (value, count)
union all
select 'status', value, count::int from (select c.status, count(*) from claims c
  where c.retired_at is null and c.conditions && '{fibromyalgia}' and c.cannabinoids && '{terpenes}' and c.population = any('{older-adults}')
  group by 1) as facet (value, count);
