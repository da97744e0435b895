#!/bin/sh
# Run once by the postgres image when it creates the primary's data folder (docker-entrypoint-initdb.d):
# the standby connects for replication as the same user, with its password.
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
