-- A term's narrower terms are the terms that name it as broader: found through an index, not a scan of the vocabulary.
create index conditions_broader on conditions using gin (broader);
create index interventions_broader on interventions using gin (broader);
create index outcomes_broader on outcomes using gin (broader);
create index comparators_broader on comparators using gin (broader);
create index populations_broader on populations using gin (broader);
