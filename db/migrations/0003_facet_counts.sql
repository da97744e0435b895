-- Facet counts over the claims lists show by default (not retired), so that unfiltered facets need not scan
-- every claim. Triggers only append deltas (no shared row is updated, so writers never wait on each other or
-- deadlock); `compact_facet_counts()` folds the deltas into the totals, and readers add both.

create table facet_counts (
    facet   text not null,
    value   text not null,
    claims  bigint not null,
    primary key (facet, value)
);

create table facet_count_deltas (
    facet   text not null,
    value   text not null,
    delta   integer not null
);

-- The facet values a claim row contributes (conditions and cannabinoids live in their link tables).
create function claim_facet_values(c claims) returns table (facet text, value text)
language sql stable as $$
    select 'total', ''
    union all select 'status', c.status
    union all select 'population', c.population
    union all select 'comparator', coalesce(c.comparator, 'none')
    union all select 'outcome', c.outcome
    union all select 'direction', c.direction
    union all select 'claimedStrength', c.claimed_strength
    union all select 'evidenceLevel', c.evidence_level
    union all select 'source', c.source_id::text
    union all select 'route', r from unnest(c.routes) r
$$;

create function claim_link_values(claim uuid) returns table (facet text, value text)
language sql stable as $$
    select 'condition', condition_slug from claim_conditions where claim_id = claim
    union all
    select 'cannabinoid', cannabinoid_slug from claim_cannabinoids where claim_id = claim
$$;

create function claims_count_facets() returns trigger language plpgsql as $$
begin
    insert into facet_count_deltas (facet, value, delta)
    select facet, value, sum(delta) from (
        select v.facet, v.value, -1 as delta from claim_facet_values(old) v
        where tg_op <> 'INSERT' and old.retired_at is null
        union all
        select v.facet, v.value, 1 from claim_facet_values(new) v
        where tg_op <> 'DELETE' and new.retired_at is null
        union all
        -- retiring a claim takes its conditions and cannabinoids out of the counts too
        select l.facet, l.value, case when new.retired_at is null then 1 else -1 end from claim_link_values(new.id) l
        where tg_op = 'UPDATE' and (old.retired_at is null) <> (new.retired_at is null)
    ) changes
    group by facet, value
    having sum(delta) <> 0;
    return null;
end $$;

create trigger claims_count_facets after insert or update or delete on claims
    for each row execute function claims_count_facets();

-- tg_argv[0]: the facet; tg_argv[1]: the link table's slug column
create function claim_links_count_facets() returns trigger language plpgsql as $$
declare
    link jsonb := to_jsonb(coalesce(new, old));
begin
    if exists (select 1 from claims where id = (link ->> 'claim_id')::uuid and retired_at is null) then
        insert into facet_count_deltas (facet, value, delta)
        values (tg_argv[0], link ->> tg_argv[1], case tg_op when 'INSERT' then 1 else -1 end);
    end if;
    return null;
end $$;

create trigger claim_conditions_count_facets after insert or delete on claim_conditions
    for each row execute function claim_links_count_facets('condition', 'condition_slug');
create trigger claim_cannabinoids_count_facets after insert or delete on claim_cannabinoids
    for each row execute function claim_links_count_facets('cannabinoid', 'cannabinoid_slug');

-- Folds the deltas into the totals. Safe to run from several instances at once: the deltas a run deletes are
-- exactly the ones it adds.
create function compact_facet_counts() returns void language sql as $$
    with folded as (
        delete from facet_count_deltas returning facet, value, delta
    )
    insert into facet_counts (facet, value, claims)
    select facet, value, sum(delta) from folded group by facet, value
    on conflict (facet, value) do update set claims = facet_counts.claims + excluded.claims;
    delete from facet_counts where claims = 0;
$$;

-- Recounts everything from the claims themselves: after a bulk load that bypassed the triggers.
create function rebuild_facet_counts() returns void language sql as $$
    lock table facet_count_deltas in exclusive mode;
    delete from facet_count_deltas;
    delete from facet_counts;
    -- one pass over the claims; the same values as claim_facet_values(), spelled out because PostgreSQL 15 cannot
    -- plan that function over a whole-row reference in a lateral join
    insert into facet_counts (facet, value, claims)
    select v.facet, v.value, count(*) from claims c
    cross join lateral (values ('total', ''), ('status', c.status), ('population', c.population),
                               ('comparator', coalesce(c.comparator, 'none')), ('outcome', c.outcome), ('direction', c.direction),
                               ('claimedStrength', c.claimed_strength), ('evidenceLevel', c.evidence_level),
                               ('source', c.source_id::text)) as v (facet, value)
    where c.retired_at is null group by 1, 2;
    insert into facet_counts (facet, value, claims)
    select 'route', r, count(*) from claims c cross join unnest(c.routes) r where c.retired_at is null group by 2;
    insert into facet_counts (facet, value, claims)
    select 'condition', cc.condition_slug, count(*) from claim_conditions cc join claims c on c.id = cc.claim_id
    where c.retired_at is null group by 2;
    insert into facet_counts (facet, value, claims)
    select 'cannabinoid', ca.cannabinoid_slug, count(*) from claim_cannabinoids ca join claims c on c.id = ca.claim_id
    where c.retired_at is null group by 2;
$$;

select rebuild_facet_counts();
