-- The statements GET /v1/claims?condition=fibromyalgia&status=needs-citation&limit=50 issues, with its parameters
-- written in (Claims/ClaimFilterValidation.cs, Claims/ClaimReader.cs, Claims/ListClaims.cs). :page_ids is filled
-- in by run.sh with the ids of the first page, for the citations statement.
select 'condition' as field, v as value from unnest('{fibromyalgia}'::text[]) v where not exists (select 1 from conditions where slug = v)
union all
select 'cannabinoid', v from unnest(null::text[]) v where not exists (select 1 from cannabinoids where slug = v)
union all
select 'outcome', v from unnest(null::text[]) v where not exists (select 1 from outcomes where slug = v);

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
order by c.created_at, c.id
limit 51;

select ci.id, ci.claim_id, ci.kind, ci.identifier, ci.title, ci.year, ci.stance, ci.grade_scheme, ci.grade_value,
       ci.note, e.name as added_by, ci.added_at
from citations ci
join editors e on e.id = ci.added_by
where ci.claim_id = any(:page_ids) and ci.removed_at is null
order by ci.added_at, ci.id;
