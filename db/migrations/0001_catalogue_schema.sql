-- The catalogue: sources, claims and the vocabularies they use.
-- Enum-like columns are text with CHECK constraints (Dapper sends strings; PostgreSQL enums would need casts everywhere).

create table sources (
    id          uuid primary key,
    title       text not null check (length(title) between 1 and 500),
    url         text check (url ~ '^https?://'),
    text        text not null check (length(text) > 0),
    sha256      text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz not null default now()
);

create table conditions (
    slug         text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    label        text not null,
    description  text not null,
    -- conditions form a hierarchy: neuropathic-pain is narrower than chronic-pain
    parent_slug  text references conditions (slug),
    check (parent_slug is distinct from slug)
);

create table cannabinoids (
    slug         text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    label        text not null,
    description  text not null
);

create table outcomes (
    slug         text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    label        text not null,
    description  text not null
);

create table editors (
    id          uuid primary key,
    name        text not null unique check (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    role        text not null check (role in ('editor', 'admin')),
    -- only a SHA-256 of the key is kept; the key itself is shown once
    key_hash    bytea not null unique check (length(key_hash) = 32),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create table claims (
    id                uuid primary key,
    source_id         uuid not null references sources (id),
    quote             text not null check (length(quote) > 0),
    position_start    integer not null check (position_start >= 0),
    position_end      integer not null,
    section           text not null,
    routes            text[] not null default '{}'
                      check (routes <@ array['inhaled', 'oral', 'oromucosal', 'topical', 'transdermal']),
    population        text not null default 'unspecified'
                      check (population in ('adults', 'children-adolescents', 'older-adults', 'cancer-patients', 'unspecified')),
    comparator        text check (comparator in ('placebo', 'opioids', 'nsaids', 'conventional-care')),
    effect            text not null check (length(effect) between 1 and 300),
    outcome           text not null references outcomes (slug),
    direction         text not null check (direction in ('benefit', 'harm', 'no-effect', 'mixed')),
    claimed_strength  text not null check (claimed_strength in ('asserted', 'suggested', 'speculative')),
    evidence_level    text not null default 'unassessed'
                      check (evidence_level in ('conclusive', 'substantial', 'moderate', 'limited', 'insufficient', 'unassessed')),
    -- counts kept by the same transaction that changes citations or flags, so status is a plain column to filter on
    citation_count    integer not null default 0 check (citation_count >= 0),
    open_flag_count   integer not null default 0 check (open_flag_count >= 0),
    status            text not null generated always as (
                          case when open_flag_count > 0 then 'flagged'
                               when citation_count = 0 then 'needs-citation'
                               else 'cited' end) stored,
    overclaim         boolean generated always as (
                          case when evidence_level = 'unassessed' then null
                               else (claimed_strength = 'asserted' and evidence_level in ('limited', 'insufficient'))
                                 or (claimed_strength = 'suggested' and evidence_level = 'insufficient') end) stored,
    retired_at        timestamptz,
    retired_reason    text,
    version           integer not null default 1 check (version >= 1),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    search            tsvector not null generated always as (
                          setweight(to_tsvector('english', effect), 'A') ||
                          setweight(to_tsvector('english', quote), 'B')) stored,
    check (position_end > position_start),
    check ((retired_at is null) = (retired_reason is null))
);

create table claim_conditions (
    claim_id        uuid not null references claims (id),
    condition_slug  text not null references conditions (slug),
    primary key (claim_id, condition_slug)
);
create index claim_conditions_by_condition on claim_conditions (condition_slug, claim_id);

create table claim_cannabinoids (
    claim_id          uuid not null references claims (id),
    cannabinoid_slug  text not null references cannabinoids (slug),
    primary key (claim_id, cannabinoid_slug)
);
create index claim_cannabinoids_by_cannabinoid on claim_cannabinoids (cannabinoid_slug, claim_id);

create index claims_by_source on claims (source_id, id);
create index claims_by_status on claims (status, id);
create index claims_by_created_at on claims (created_at, id);
create index claims_by_updated_at on claims (updated_at, id);
create index claims_search on claims using gin (search);

create table citations (
    id            uuid primary key,
    claim_id      uuid not null references claims (id),
    kind          text not null check (kind in ('doi', 'pmid', 'url')),
    identifier    text not null check (length(identifier) between 1 and 2000),
    title         text not null check (length(title) between 1 and 1000),
    year          integer not null check (year between 1600 and 2200),
    stance        text not null check (stance in ('supports', 'refutes', 'mixed', 'background')),
    grade_scheme  text check (grade_scheme in ('nasem-2017', 'grade')),
    grade_value   text,
    note          text,
    added_by      uuid not null references editors (id),
    added_at      timestamptz not null default now(),
    -- citations are withdrawn, never deleted
    removed_by    uuid references editors (id),
    removed_at    timestamptz,
    check ((grade_scheme is null) = (grade_value is null)),
    check (grade_scheme is distinct from 'nasem-2017'
           or grade_value in ('conclusive', 'substantial', 'moderate', 'limited', 'insufficient')),
    check (grade_scheme is distinct from 'grade' or grade_value in ('high', 'moderate', 'low', 'very-low')),
    check ((removed_by is null) = (removed_at is null))
);
-- one live citation per identifier on a claim, compared case-insensitively
create unique index citations_unique_identifier on citations (claim_id, kind, lower(identifier)) where removed_at is null;

create table flags (
    id               uuid primary key,
    claim_id         uuid not null references claims (id),
    reason           text not null check (reason in ('unsupported', 'overstated', 'contradicted', 'misquoted', 'outdated', 'other')),
    note             text not null default '',
    raised_by        uuid not null references editors (id),
    raised_at        timestamptz not null default now(),
    resolution       text check (resolution in ('fixed', 'dismissed')),
    resolution_note  text,
    resolved_by      uuid references editors (id),
    resolved_at      timestamptz,
    check ((resolution is null) = (resolved_by is null) and (resolution is null) = (resolved_at is null))
);
create index flags_open on flags (id) where resolution is null;
create index flags_by_claim on flags (claim_id, id);

-- every change to a claim, its citations or its flags: the claim as it was after the change
create table claim_revisions (
    claim_id    uuid not null references claims (id),
    version     integer not null,
    change      text not null,
    editor_id   uuid references editors (id),
    changed_at  timestamptz not null default now(),
    snapshot    jsonb not null,
    primary key (claim_id, version)
);

-- Idempotency-Key replay store, shared by every instance
create table idempotency_keys (
    editor_id      uuid not null references editors (id),
    scope          text not null,
    key            text not null,
    request_hash   bytea not null,
    status_code    integer not null,
    response_body  text,
    headers        jsonb,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    primary key (editor_id, scope, key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);
