-- Sources arrive over the API: metadata editors can change (with a version and revisions), the normalised text that
-- never changes once stored (so every offset into it stays valid) and its sections. Candidates are the claims the
-- service proposes from a source; an editor accepts (it becomes a claim), or dismisses each one.

alter table sources
    add column kind          text not null default 'other' check (kind in ('news', 'blog', 'marketing', 'review', 'report', 'other')),
    add column format        text not null default 'text' check (format in ('text', 'markdown', 'html')),
    add column doi           text check (doi ~ '^10\.[0-9]{4,9}/\S+$'),
    add column publisher     text check (length(publisher) <= 300),
    add column authors       text[] not null default '{}',
    add column published_on  date,
    -- [{"heading": "…", "start": 0, "end": 120}], code-point offsets into text; derived once, when the text is stored
    add column sections      jsonb not null default '[]' check (jsonb_typeof(sections) = 'array'),
    add column added_by      uuid references editors (id),
    add column retired_at    timestamptz,
    add column retired_reason text,
    add column version       integer not null default 1 check (version >= 1),
    add column updated_at    timestamptz not null default now(),
    add check ((retired_at is null) = (retired_reason is null));

-- the text itself never changes after insert
create function sources_text_is_immutable() returns trigger language plpgsql as $$
begin
    -- sections may be filled in once, for sources stored before they were derived
    if new.text is distinct from old.text or new.sha256 is distinct from old.sha256
       or (new.sections is distinct from old.sections and old.sections <> '[]') then
        raise exception 'the text of source % never changes', old.id using errcode = 'check_violation';
    end if;
    return new;
end $$;
create trigger sources_text_is_immutable before update on sources
    for each row execute function sources_text_is_immutable();

create index sources_title_search on sources using gin (to_tsvector('english', title));
create index sources_by_kind on sources (kind, created_at, id);

create table source_revisions (
    source_id   uuid not null references sources (id),
    version     integer not null,
    change      text not null,
    editor_id   uuid references editors (id),
    changed_at  timestamptz not null default now(),
    snapshot    jsonb not null,
    primary key (source_id, version)
);

create table candidates (
    id                uuid primary key,
    source_id         uuid not null references sources (id),
    quote             text not null check (length(quote) > 0),
    position_start    integer not null check (position_start >= 0),
    position_end      integer not null,
    section           text not null,
    conditions        text[] not null default '{}',
    cannabinoids      text[] not null default '{}',
    routes            text[] not null default '{}',
    population        text not null,
    comparator        text,
    outcome           text not null,
    direction         text not null check (direction in ('benefit', 'harm', 'no-effect', 'mixed')),
    claimed_strength  text not null check (claimed_strength in ('asserted', 'suggested', 'speculative')),
    -- per proposed field, the words of the text that led to it
    evidence          jsonb not null default '{}',
    score             real not null check (score between 0 and 1),
    state             text not null default 'open' check (state in ('open', 'accepted', 'dismissed')),
    dismissal         text check (dismissal in ('not-a-claim', 'duplicate', 'out-of-scope')),
    dismissal_note    text,
    claim_id          uuid references claims (id),
    version           integer not null default 1 check (version >= 1),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    check (position_end > position_start),
    check ((state = 'dismissed') = (dismissal is not null)),
    check ((state = 'accepted') = (claim_id is not null)),
    -- extraction proposes one candidate per span and outcome: a re-run adds only what is new
    unique (source_id, position_start, position_end, outcome)
);
create index candidates_by_source on candidates (source_id, state, position_start, id);

create table candidate_revisions (
    candidate_id  uuid not null references candidates (id),
    version       integer not null,
    change        text not null,
    editor_id     uuid references editors (id),
    changed_at    timestamptz not null default now(),
    snapshot      jsonb not null,
    primary key (candidate_id, version)
);
