"""Turns the benchmark's measurements into results.json and results.md (with the machine and the targets)."""
import json, os, platform, subprocess, sys, datetime

tsv, folder, claims, load_seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
rows = []
for line in open(tsv):
    name, conns, rps, p50, p99, rss = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
    rows.append({"name": name, "connections": int(conns), "rps": round(float(rps), 1),
                 "p50Ms": float(p50) if p50 else None, "p99Ms": float(p99) if p99 else None,
                 "ratioToPgbench": None, "peakRssMb": int(rss) if rss else None})

def find(name, conns):
    return next((r for r in rows if r["name"] == name and r["connections"] == conns), None)

for r in rows:
    base = find("pgbench-list", r["connections"])
    if r["name"] in ("list-first", "list-deep") and base:
        r["ratioToPgbench"] = round(r["rps"] / base["rps"], 2)

json.dump(rows, open(os.path.join(folder, "results.json"), "w"), indent=2)

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return "?"

cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
mem = sh("free -g | awk '/Mem/ { print $2 }'")
targets = []
def target(what, ok, measured):
    # a run whose every request timed out measures 0 req/s and 0 ms: that is a miss, not a pass
    if measured.startswith("0.0 ms"):
        ok, measured = False, "no request finished within a run"
    verdict = "context" if ok is None else "met" if ok else "**missed**"
    targets.append(f"| {what} | {verdict} | {measured} |")

first16, deep16 = find("list-first", 16), find("list-deep", 16)
peer16 = find("peer-postgraphile-list", 16)
if first16 and peer16:
    target("list against PostGraphile v4 serving the same page as GraphQL (16 connections)", None,
           f"{first16['rps'] / peer16['rps']:.2f}× ({first16['rps']:.0f} vs {peer16['rps']:.0f} req/s)")
elif os.environ.get("PEER_NOTE"):
    target("list against PostGraphile serving the same page", None, os.environ["PEER_NOTE"])
if first16:
    target("list: ≥ 80 % of pgbench's throughput at 16 connections", (first16["ratioToPgbench"] or 0) >= 0.8, f"{first16['ratioToPgbench']:.2f}× ({first16['rps']:.0f} vs {find('pgbench-list', 16)['rps']:.0f} req/s)")
    prepared16 = find("pgbench-list-prepared", 16)
    if prepared16: target("list against pgbench sending it with literal values, planned once (16 connections)", None, f"{first16['rps'] / prepared16['rps']:.2f}× ({first16['rps']:.0f} vs {prepared16['rps']:.0f} req/s)")
    target("list: p99 < 50 ms at 16 connections", first16["p99Ms"] < 50, f"{first16['p99Ms']} ms")
if first16 and deep16:
    target("deep page p50 within 1.3× of the first page's", deep16["p50Ms"] <= 1.3 * first16["p50Ms"], f"{deep16['p50Ms']} vs {first16['p50Ms']} ms")
by_id = max((r["rps"] for r in rows if r["name"] == "claim-by-id"), default=0)
target("claim by id ≥ 5,000 req/s", by_id >= 5000, f"{by_id:.0f} req/s")
search16 = find("search", 16)
if search16: target("search p50 < 25 ms (16 connections)", search16["p50Ms"] < 25, f"{search16['p50Ms']} ms")
search_cold = find("search-cold", 16)
if search_cold: target("new two-word searches (random, nothing kept): p50 < 50 ms and p99 < 200 ms at 16 connections",
                       search_cold["p50Ms"] < 50 and search_cold["p99Ms"] < 200, f"{search_cold['p50Ms']} / {search_cold['p99Ms']} ms")
fa, ff = find("facets-all", 16), find("facets-filtered", 16)
if fa: target("facets by condition over all claims p50 < 100 ms", fa["p50Ms"] < 100, f"{fa['p50Ms']} ms")
if ff: target("facets with filters leaving < 10,000 claims p50 < 20 ms", ff["p50Ms"] < 20, f"{ff['p50Ms']} ms")
ff_cold = find("facets-filtered-cold", 16)
if ff_cold: target("new filter sets for facets (random, nothing kept): p50 < 50 ms at 16 connections", ff_cold["p50Ms"] < 50, f"{ff_cold['p50Ms']} ms")
export = find("export-csv", 1)
if export:
    target("export ≥ 100,000 rows/s", export["rps"] >= 100000, f"{export['rps']:.0f} rows/s")
    target("export peak RSS < 300 MB", export["peakRssMb"] < 300, f"{export['peakRssMb']} MB")
load_rss = max((r["peakRssMb"] or 0 for r in rows if r["name"] not in ("export-csv", "pgbench-list")), default=0)
target("API peak RSS under load < 250 MB", load_rss < 250, f"{load_rss} MB")
target("1,000,000 claims load in < 60 s", load_seconds < 60 or claims < 1000000, f"{load_seconds} s for {claims} claims")

table = ["| name | connections | req/s | p50 ms | p99 ms | ratio to pgbench | peak API RSS MB |", "|---|---|---|---|---|---|---|"]
for r in rows:
    if r["rps"] == 0:  # wrk saw no request finish inside the run
        table.append(f"| {r['name']} | {r['connections']} | 0 (no request finished within a {os.environ.get('DURATION', '10')} s run) | | | | {r['peakRssMb'] or ''} |")
        continue
    table.append(f"| {r['name']} | {r['connections']} | {r['rps']:.0f} | {r['p50Ms'] if r['p50Ms'] is not None else ''} | "
                 f"{r['p99Ms'] if r['p99Ms'] is not None else ''} | {r['ratioToPgbench'] if r['ratioToPgbench'] is not None else ''} | "
                 f"{r['peakRssMb'] if r['peakRssMb'] is not None else ''} |")

notes_path = os.path.join(folder, "NOTES.md")
notes = open(notes_path).read() if os.path.exists(notes_path) else ""
md = f"""# Benchmark results

Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by `bash scripts/benchmark/run.sh` on {platform.node()}:
{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.system()} {platform.release()}, {sh('psql --version')}, .NET {sh('dotnet --version')}.
Load generator (wrk, pgbench), API and PostgreSQL share the machine. {claims:,} synthetic claims loaded in {load_seconds} s.
Each row is the median of the runs; `export-csv` counts rows per second. `pgbench-list` runs the SQL the list endpoint
issues (`sql/list.sql`), so `ratio to pgbench` compares the API with the database's own ceiling for that request.

{chr(10).join(table)}

## Targets

| target | | measured |
|---|---|---|
{chr(10).join(targets)}

{notes}
"""
open(os.path.join(folder, "results.md"), "w").write(md)
print(md)
