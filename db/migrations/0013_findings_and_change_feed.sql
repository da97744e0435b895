-- Findings: conclusions of evidence syntheses (a report's numbered conclusion, a review's rated outcome), what a claim
-- is checked against. Structured with the vocabularies so suggestions can match them to claims through the hierarchy.
-- A finding with no conditions is about an effect of cannabis on anyone (most harms), not about one condition.
create table findings (
    id               uuid primary key,
    synthesis_doi    text not null check (synthesis_doi ~ '^10\.[0-9]{4,9}/\S+$'),
    synthesis_title  text not null check (length(synthesis_title) between 1 and 1000),
    synthesis_year   integer not null check (synthesis_year between 1900 and 2200),
    -- where in the synthesis: a conclusion number ("4-1"), or a review's section and outcome
    locator          text not null check (length(locator) between 1 and 200),
    statement        text not null check (length(statement) between 1 and 4000),
    conditions       text[] not null default '{}',
    interventions    text[] not null check (cardinality(interventions) between 1 and 20),
    population       text not null default 'unspecified' references populations (slug),
    outcome          text not null references outcomes (slug),
    direction        text not null check (direction in ('benefit', 'harm', 'no-effect', 'mixed')),
    level_scheme     text not null check (level_scheme in ('nasem-2017', 'grade')),
    level            text not null,
    note             text check (length(note) <= 4000),
    -- where the finding was checked against its synthesis (public copies, addresses)
    verified_in      text[] not null default '{}' check (cardinality(verified_in) <= 20),
    retired_at       timestamptz,
    retired_reason   text,
    version          integer not null default 1 check (version >= 1),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    search           tsvector not null generated always as (
                         to_tsvector('english', statement || ' ' || synthesis_title || ' ' || locator)) stored,
    check (cardinality(conditions) <= 20),
    check (level_scheme <> 'nasem-2017' or level in ('conclusive', 'substantial', 'moderate', 'limited', 'insufficient')),
    check (level_scheme <> 'grade' or level in ('high', 'moderate', 'low', 'very-low')),
    check ((retired_at is null) = (retired_reason is null))
);
-- one finding per place in a synthesis; a conclusion stated at two levels is two findings with qualified locators
create unique index findings_by_locator on findings (lower(synthesis_doi), locator);
create index findings_by_conditions on findings using gin (conditions);
create index findings_by_interventions on findings using gin (interventions);
create index findings_search on findings using gin (search);

-- every change to a finding: the finding as it was after the change
create table finding_revisions (
    finding_id  uuid not null references findings (id),
    version     integer not null,
    change      text not null,
    editor_id   uuid references editors (id),
    changed_at  timestamptz not null default now(),
    snapshot    jsonb not null,
    primary key (finding_id, version)
);

-- A citation made from a finding remembers it. A claim may cite several conclusions of one report (all share its DOI):
-- one live citation per identifier among the citations made by hand, one per finding among those made from findings.
alter table citations add column finding_id uuid references findings (id);
drop index citations_unique_identifier;
create unique index citations_unique_identifier on citations (claim_id, kind, lower(identifier)) where removed_at is null and finding_id is null;
create unique index citations_unique_finding on citations (claim_id, finding_id) where removed_at is null and finding_id is not null;
-- what every claim read looks up: its live citations (the unique indexes above each hold only some of them)
create index citations_live_by_claim on citations (claim_id) where removed_at is null;

-- The review queue's tier, from the claim's own columns (a generated column may not read another one):
-- 1 open flags, 2 overclaimed, 3 asserted without a citation, 4 suggested without one, 5 speculative without one.
alter table claims add column review_tier smallint generated always as (
    case when open_flag_count > 0 then 1
         when evidence_level <> 'unassessed'
              and ((claimed_strength = 'asserted' and evidence_level in ('limited', 'insufficient'))
                   or (claimed_strength = 'suggested' and evidence_level = 'insufficient')) then 2
         when citation_count = 0 and claimed_strength = 'asserted' then 3
         when citation_count = 0 and claimed_strength = 'suggested' then 4
         when citation_count = 0 then 5 end) stored;
create index claims_review_queue on claims (review_tier, created_at, id) where retired_at is null and review_tier is not null;

-- The change feed: one row per revision of anything versioned, written by the transaction that writes the revision.
-- Read in (xact, seq) order and only below the reader's snapshot xmin: every transaction with a lower id has ended,
-- so no revision can later appear before a position a reader has passed (see Changes/ChangeFeed.cs).
create table revision_log (
    xact        xid8 not null default pg_current_xact_id(),
    seq         bigint generated always as identity,
    entity      text not null check (entity in ('claim', 'term', 'source', 'candidate', 'finding')),
    entity_id   uuid,
    vocabulary  text,
    slug        text,
    version     integer not null,
    primary key (xact, seq),
    check ((entity = 'term') = (entity_id is null))
);

-- Statement-level, from the rows the statement inserted: a bulk load of a million revisions logs them in one pass.
create function log_revisions() returns trigger language plpgsql as $$
begin
    case tg_table_name
        when 'claim_revisions' then
            insert into revision_log (entity, entity_id, version) select 'claim', claim_id, version from added order by claim_id, version;
        when 'term_revisions' then
            insert into revision_log (entity, vocabulary, slug, version) select 'term', vocabulary, slug, version from added order by vocabulary, slug, version;
        when 'source_revisions' then
            insert into revision_log (entity, entity_id, version) select 'source', source_id, version from added order by source_id, version;
        when 'candidate_revisions' then
            insert into revision_log (entity, entity_id, version) select 'candidate', candidate_id, version from added order by candidate_id, version;
        when 'finding_revisions' then
            insert into revision_log (entity, entity_id, version) select 'finding', finding_id, version from added order by finding_id, version;
    end case;
    return null;
end $$;

do $$
declare
    revisions text;
begin
    foreach revisions in array array['claim_revisions', 'term_revisions', 'source_revisions', 'candidate_revisions', 'finding_revisions'] loop
        execute format('create trigger %1$s_logged after insert on %1$I referencing new table as added
                        for each statement execute function log_revisions()', revisions);
    end loop;
end $$;

-- Revisions written before the feed existed, in the order they were made (one transaction: one xact, seq in order).
insert into revision_log (entity, entity_id, vocabulary, slug, version)
select entity, entity_id, vocabulary, slug, version
from (
    select 'claim' as entity, claim_id as entity_id, null as vocabulary, null as slug, version, changed_at from claim_revisions
    union all select 'term', null, vocabulary, slug, version, changed_at from term_revisions
    union all select 'source', source_id, null, null, version, changed_at from source_revisions
    union all select 'candidate', candidate_id, null, null, version, changed_at from candidate_revisions
) earlier
order by changed_at, entity, version;
