-- GET /v1/claims/{id}: its only statement.
select c.id, c.source_id, s.title as source_title, c.quote, c.position_start, c.position_end, c.section,
       c.conditions, c.cannabinoids,
       c.routes, c.population, c.comparator, c.effect, c.outcome, c.direction, c.claimed_strength,
       c.evidence_level, c.overclaim, c.status, c.open_flag_count, c.retired_reason, c.version,
       c.created_at, c.updated_at,
       (select coalesce(json_agg(json_build_object(
                   'id', ci.id, 'kind', ci.kind, 'identifier', ci.identifier, 'title', ci.title, 'year', ci.year,
                   'stance', ci.stance, 'gradeScheme', ci.grade_scheme, 'gradeValue', ci.grade_value, 'note', ci.note,
                   'addedBy', e.name, 'addedAt', ci.added_at, 'findingId', ci.finding_id) order by ci.added_at, ci.id), '[]')
        from citations ci join editors e on e.id = ci.added_by
        where ci.claim_id = c.id and ci.removed_at is null) as citations
from claims c join sources s on s.id = c.source_id
where c.id = :claim_id;
