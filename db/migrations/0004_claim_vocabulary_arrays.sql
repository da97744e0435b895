-- Each claim's condition and cannabinoid slugs, also as arrays on the claim itself, kept equal to the link
-- tables by triggers. Filters can then combine GIN bitmaps across fields, and a claim reads without subqueries.
-- The link tables stay the source of truth: they carry the foreign keys to the vocabularies.

alter table claims
    add column conditions text[] not null default '{}',
    add column cannabinoids text[] not null default '{}';

update claims c set
    conditions = array(select condition_slug from claim_conditions where claim_id = c.id order by 1),
    cannabinoids = array(select cannabinoid_slug from claim_cannabinoids where claim_id = c.id order by 1);

create index claims_conditions on claims using gin (conditions);
create index claims_cannabinoids on claims using gin (cannabinoids);

create function claim_conditions_sync() returns trigger language plpgsql as $$
declare
    claim uuid := coalesce(new.claim_id, old.claim_id);
begin
    update claims set conditions = array(select condition_slug from claim_conditions where claim_id = claim order by 1)
    where id = claim;
    return null;
end $$;

create function claim_cannabinoids_sync() returns trigger language plpgsql as $$
declare
    claim uuid := coalesce(new.claim_id, old.claim_id);
begin
    update claims set cannabinoids = array(select cannabinoid_slug from claim_cannabinoids where claim_id = claim order by 1)
    where id = claim;
    return null;
end $$;

create trigger claim_conditions_sync after insert or delete on claim_conditions
    for each row execute function claim_conditions_sync();
create trigger claim_cannabinoids_sync after insert or delete on claim_cannabinoids
    for each row execute function claim_cannabinoids_sync();
