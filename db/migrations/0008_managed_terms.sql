-- Terms become managed data. Five vocabularies (conditions, interventions, outcomes, comparators, populations)
-- share one shape: a slug that never changes; label, definition, synonyms, standard codings and broader terms
-- that admins edit through the API with a version and revisions; retired rather than deleted. Claims keep
-- referencing terms by slug, so every claim's tags stay valid whatever is edited. Routes stay a fixed list.
-- `broader` is a list, not one parent: terms form a directed acyclic graph (the API refuses cycles). Its entries
-- and the uniqueness of synonyms within a vocabulary are checked by the API while it holds the vocabulary's
-- write lock, since PostgreSQL cannot hold a foreign key or a unique index over array elements.

alter table cannabinoids rename to interventions;

alter table conditions rename column description to definition;
alter table interventions rename column description to definition;
alter table outcomes rename column description to definition;

create table comparators (like outcomes including constraints);
alter table comparators add primary key (slug);
create table populations (like outcomes including constraints);
alter table populations add primary key (slug);

do $$
declare
    vocabulary text;
begin
    foreach vocabulary in array array['conditions', 'interventions', 'outcomes', 'comparators', 'populations'] loop
        execute format($sql$
            alter table %1$I
                add column synonyms text[] not null default '{}',
                add column codings jsonb not null default '[]' check (jsonb_typeof(codings) = 'array'),
                add column broader text[] not null default '{}' check (not slug = any(broader)),
                add column retired_at timestamptz,
                add column retired_reason text,
                add column version integer not null default 1 check (version >= 1),
                add column created_at timestamptz not null default now(),
                add column updated_at timestamptz not null default now(),
                add check (length(label) between 1 and 200),
                add check (length(definition) <= 2000),
                add check ((retired_at is null) = (retired_reason is null))
            $sql$, vocabulary);
    end loop;
end $$;

update conditions set broader = array[parent_slug] where parent_slug is not null;
alter table conditions drop column parent_slug;

-- every change to a term: the term as it was after the change
create table term_revisions (
    vocabulary  text not null check (vocabulary in ('conditions', 'interventions', 'outcomes', 'comparators', 'populations')),
    slug        text not null,
    version     integer not null,
    change      text not null,
    editor_id   uuid references editors (id),
    changed_at  timestamptz not null default now(),
    snapshot    jsonb not null,
    primary key (vocabulary, slug, version)
);

-- Comparator and population become references to their vocabularies.
insert into comparators (slug, label, definition) values
    ('placebo', 'Placebo', 'An inactive substance or sham treatment.'),
    ('opioids', 'Opioids', 'Opioid analgesics.'),
    ('nsaids', 'NSAIDs', 'Non-steroidal anti-inflammatory drugs.'),
    ('conventional-care', 'Conventional care', 'Usual or standard treatment, not otherwise named.');
insert into populations (slug, label, definition) values
    ('adults', 'Adults', 'People aged 18 or over.'),
    ('children-adolescents', 'Children and adolescents', 'People under 18.'),
    ('older-adults', 'Older adults', 'People aged 65 or over.'),
    ('cancer-patients', 'People with cancer', 'People living with cancer or treated for it.'),
    ('unspecified', 'Unspecified', 'The source does not say whom the claim is about.');

alter table claims drop constraint claims_population_check;
alter table claims drop constraint claims_comparator_check;
alter table claims add foreign key (population) references populations (slug);
alter table claims add foreign key (comparator) references comparators (slug);

-- The audit of the seeded terms (issue 12). Conditions: several broader terms where a condition belongs under
-- several; osteoarthritis (degenerative) no longer under inflammatory pain; cancer pain (acute or chronic) and
-- chronic pain both under pain.
insert into conditions (slug, label, definition) values
    ('pain', 'Pain', 'Pain of any duration or cause.');
update conditions set broader = case slug
    when 'chronic-pain' then array['pain']
    when 'cancer-pain' then array['pain']
    when 'neuropathic-pain' then array['chronic-pain']
    when 'inflammatory-pain' then array['chronic-pain']
    when 'musculoskeletal-pain' then array['chronic-pain']
    when 'arthritis' then array['musculoskeletal-pain']
    when 'rheumatoid-arthritis' then array['arthritis', 'inflammatory-pain']
    when 'psoriatic-arthritis' then array['arthritis', 'inflammatory-pain']
    when 'osteoarthritis' then array['arthritis']
    when 'fibromyalgia' then array['chronic-pain', 'musculoskeletal-pain']
    else broader end;
update conditions set definition = 'Conditions of the joints: pain, stiffness, swelling; inflammatory (rheumatoid, psoriatic) or degenerative (osteoarthritis).'
where slug = 'arthritis';

-- Interventions: class → substance → product. A product's broader terms are its classes and its active
-- constituents, so a filter on THC with narrower terms finds dronabinol and nabiximols.
update interventions set label = 'Cannabinoids', definition = 'Cannabinoids as a class, without naming a compound.'
where slug = 'cannabinoids';
update interventions set label = 'Cannabis', definition = 'The cannabis plant or its unprocessed products (flower, resin) used as medicine: medical cannabis, marijuana, strains and varieties.'
where slug = 'whole-plant-cannabis';
update interventions set definition = 'Terpenes of the cannabis plant, said to shape a strain''s effects. Not cannabinoids.'
where slug = 'terpenes';
update interventions set definition = 'Agents that act on the endocannabinoid system (its receptors, ligands or enzymes). A pharmacological class, not a substance.'
where slug = 'ecs-modulators';
update interventions set definition = 'Compounds that activate CB1 and/or CB2 cannabinoid receptors. A pharmacological class.'
where slug = 'cannabinoid-receptor-agonists';
insert into interventions (slug, label, definition) values
    ('synthetic-cannabinoids', 'Synthetic cannabinoids', 'Cannabinoids made by chemical synthesis rather than extracted from the plant.'),
    ('cannabis-based-products', 'Cannabis-based products', 'Medicines and products made from the cannabis plant: the plant itself, its extracts and oils.'),
    ('dronabinol', 'Dronabinol', 'Synthetic delta-9-tetrahydrocannabinol (THC) as a medicine, taken by mouth.'),
    ('nabilone', 'Nabilone', 'A synthetic cannabinoid, an analogue of THC, taken by mouth.'),
    ('nabiximols', 'Nabiximols', 'A cannabis extract with THC and CBD in about equal parts, sprayed in the mouth (oromucosal).');
update interventions set broader = case slug
    when 'thc' then array['cannabinoids', 'cannabinoid-receptor-agonists']
    when 'cbd' then array['cannabinoids']
    when 'synthetic-cannabinoids' then array['cannabinoids']
    when 'cannabinoid-receptor-agonists' then array['ecs-modulators']
    when 'whole-plant-cannabis' then array['cannabis-based-products']
    when 'dronabinol' then array['thc', 'synthetic-cannabinoids']
    when 'nabilone' then array['synthetic-cannabinoids', 'cannabinoid-receptor-agonists']
    when 'nabiximols' then array['cannabis-based-products', 'thc', 'cbd']
    else broader end;

-- Synonyms: what sources and searchers call the terms.
update conditions set synonyms = case slug
    when 'neuropathic-pain' then array['nerve pain', 'neuropathy', 'neuralgia']
    when 'chronic-pain' then array['persistent pain', 'long-term pain', 'long-lasting pain']
    when 'inflammatory-pain' then array['pain from inflammation']
    when 'arthritis' then array['arthritic disorders', 'joint disease', 'arthritic pain']
    when 'rheumatoid-arthritis' then array['RA']
    when 'psoriatic-arthritis' then array['PsA']
    when 'osteoarthritis' then array['degenerative joint disease', 'OA']
    when 'fibromyalgia' then array['fibromyalgia syndrome', 'FMS']
    when 'musculoskeletal-pain' then array['muscle pain', 'back pain', 'joint pain']
    when 'cancer-pain' then array['cancer-related pain', 'cancer-associated pain', 'tumour pain', 'tumor pain']
    when 'chemotherapy-induced-nausea-vomiting' then array['CINV', 'chemotherapy-induced nausea', 'chemotherapy-induced vomiting']
    else synonyms end;
update interventions set synonyms = case slug
    when 'thc' then array['tetrahydrocannabinol', 'delta-9-tetrahydrocannabinol', 'delta-9-THC', 'Δ9-THC']
    when 'cbd' then array['cannabidiol']
    when 'whole-plant-cannabis' then array['marijuana', 'marihuana', 'weed', 'medical marijuana', 'medical cannabis', 'cannabis flower']
    when 'cannabinoids' then array['cannabinoid compounds', 'phytocannabinoids']
    when 'synthetic-cannabinoids' then array['synthetic cannabinoid']
    when 'cannabinoid-receptor-agonists' then array['CB1 agonists', 'CB2 agonists', 'cannabinoid agonists']
    when 'ecs-modulators' then array['endocannabinoid system modulators', 'ECS modulation']
    when 'terpenes' then array['terpenoids']
    when 'dronabinol' then array['Marinol', 'Syndros']
    when 'nabilone' then array['Cesamet']
    when 'nabiximols' then array['Sativex']
    when 'cannabis-based-products' then array['cannabis-based medicines', 'cannabis extracts', 'cannabis oil']
    else synonyms end;
update outcomes set synonyms = case slug
    when 'pain' then array['analgesia', 'pain relief']
    when 'sleep' then array['insomnia', 'sleep quality']
    when 'nausea-vomiting' then array['nausea', 'vomiting', 'emesis']
    when 'quality-of-life' then array['well-being', 'wellbeing']
    when 'opioid-use' then array['opioid consumption', 'opioid sparing']
    when 'adverse-effects' then array['side effects', 'adverse events', 'harms']
    when 'mental-health' then array['anxiety', 'depression']
    when 'dependence' then array['addiction', 'cannabis use disorder', 'misuse']
    when 'mechanism' then array['mechanism of action']
    when 'physical-function' then array['mobility', 'joint function']
    when 'relaxation' then array['stress relief']
    when 'pharmacokinetics' then array['bioavailability', 'dosing', 'onset']
    else synonyms end;
update comparators set synonyms = case slug
    when 'placebo' then array['sham', 'dummy treatment']
    when 'opioids' then array['opioid analgesics', 'opiates']
    when 'nsaids' then array['non-steroidal anti-inflammatory drugs', 'anti-inflammatories']
    when 'conventional-care' then array['usual care', 'standard care', 'conventional treatment']
    else synonyms end;
update populations set synonyms = case slug
    when 'children-adolescents' then array['children', 'adolescents', 'paediatric', 'pediatric', 'minors']
    when 'older-adults' then array['elderly', 'seniors']
    when 'cancer-patients' then array['cancer patients', 'oncology patients']
    else synonyms end;

-- Every change to a term counts as a catalogue change (0005), so results kept under the count are computed
-- again; `vocabulary_version` tells API instances to reload the terms they hold in memory.
create table vocabulary_version (
    version bigint not null
);
insert into vocabulary_version values (1);

create function count_vocabulary_change() returns trigger language plpgsql as $$
begin
    update vocabulary_version set version = version + 1;
    insert into catalogue_changes values (1);
    return null;
end $$;

do $$
declare
    vocabulary text;
begin
    foreach vocabulary in array array['conditions', 'interventions', 'outcomes', 'comparators', 'populations'] loop
        execute format('create trigger %1$s_vocabulary_change after insert or update or delete or truncate on %1$I
                        for each statement execute function count_vocabulary_change()', vocabulary);
    end loop;
end $$;
