-- A count of the statements that have changed claims, readable in any snapshot: the sum of `changes`. API instances
-- keep results that are costly to compute and depend only on the claims (relevance rankings, filtered facet counts)
-- in memory under the count they were computed at; a different count means the claims changed, and the result is
-- computed again. Like the facet deltas (0003), triggers only append rows, so writers never wait on each other, and
-- `compact_catalogue_changes()` folds the rows into one.

create table catalogue_changes (
    changes bigint not null
);
insert into catalogue_changes values (0);

create function count_catalogue_change() returns trigger language plpgsql as $$
begin
    insert into catalogue_changes values (1);
    return null;
end $$;

create trigger claims_catalogue_change after insert or update or delete or truncate on claims
    for each statement execute function count_catalogue_change();
create trigger claim_conditions_catalogue_change after insert or update or delete or truncate on claim_conditions
    for each statement execute function count_catalogue_change();
create trigger claim_cannabinoids_catalogue_change after insert or update or delete or truncate on claim_cannabinoids
    for each statement execute function count_catalogue_change();

-- Safe to run from several instances at once: the rows a run deletes are exactly the ones it sums.
create function compact_catalogue_changes() returns void language sql as $$
    with folded as (
        delete from catalogue_changes returning changes
    )
    insert into catalogue_changes select sum(changes) from folded having count(*) > 0;
$$;
