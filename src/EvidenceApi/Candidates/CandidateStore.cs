using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Candidates;

public static class CandidateStore
{
    public const string Columns = """
        c.id, c.source_id, c.quote, c.position_start, c.position_end, c.section, c.conditions, c.cannabinoids, c.routes, c.population,
        c.comparator, c.outcome, c.direction, c.claimed_strength, c.evidence::text as evidence, c.score, c.state, c.dismissal,
        c.dismissal_note, c.claim_id, c.version, c.created_at, c.updated_at
        """;

    /// <summary>Stores proposed claims as open candidates; one the source already has (same span and outcome, in any state) is
    /// not added again. Returns how many were added.</summary>
    public static async Task<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sourceId,
        IReadOnlyList<ProposedClaim> proposed, CancellationToken ct)
    {
        if (proposed.Count == 0) return 0;
        // one statement for any number of candidates: a long article proposes thousands
        var rows = JsonSerializer.Serialize(proposed.Select(p => new
        {
            id = Guid.CreateVersion7(),
            quote = p.Quote,
            start = p.Start,
            end = p.End,
            section = p.Section,
            conditions = p.Conditions,
            cannabinoids = p.Cannabinoids,
            routes = p.Routes,
            population = p.Population,
            comparator = p.Comparator,
            outcome = p.Outcome,
            direction = p.Direction,
            strength = p.ClaimedStrength,
            evidence = p.Evidence,
            score = p.Score,
        }));
        return await connection.ExecuteAsync(new CommandDefinition("""
            insert into candidates (id, source_id, quote, position_start, position_end, section, conditions, cannabinoids, routes,
                                    population, comparator, outcome, direction, claimed_strength, evidence, score)
            select r.id, @sourceId, r.quote, r.start, r."end", r.section, r.conditions, r.cannabinoids, r.routes,
                   r.population, r.comparator, r.outcome, r.direction, r.strength, r.evidence, r.score
            from jsonb_to_recordset(@rows::jsonb) as r (id uuid, quote text, start int, "end" int, section text, conditions text[],
                 cannabinoids text[], routes text[], population text, comparator text, outcome text, direction text, strength text,
                 evidence jsonb, score real)
            on conflict (source_id, position_start, position_end, outcome) do nothing
            """, new { sourceId, rows }, transaction, cancellationToken: ct));
    }

    public static async Task<CandidateResponse?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken ct,
        NpgsqlTransaction? transaction = null, bool forUpdate = false) =>
        (await connection.QuerySingleOrDefaultAsync<CandidateRow>(new CommandDefinition(
            $"select {Columns} from candidates c where c.id = @id {(forUpdate ? "for update" : "")}", new { id }, transaction,
            cancellationToken: ct)))?.ToResponse();

    /// <summary>A source's candidates in text order, after (position, id).</summary>
    public static async Task<IReadOnlyList<CandidateResponse>> ListAsync(NpgsqlConnection connection, Guid sourceId, string? state,
        (int Position, Guid Id)? after, int limit, CancellationToken ct) =>
        (await connection.QueryAsync<CandidateRow>(new CommandDefinition($"""
            select {Columns} from candidates c
            where c.source_id = @sourceId and (@state::text is null or c.state = @state)
              {(after is null ? "" : "and (c.position_start, c.id) > (@position, @id)")}
            order by c.position_start, c.id
            limit @limit
            """, new { sourceId, state, position = after?.Position, id = after?.Id, limit }, cancellationToken: ct)))
        .Select(r => r.ToResponse()).ToList();

    /// <summary>Writes the revision for a candidate's current version.</summary>
    public static async Task<CandidateResponse> RecordRevisionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        string change, Guid? editorId, CancellationToken ct)
    {
        var candidate = (await GetAsync(connection, id, ct, transaction))!;
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into candidate_revisions (candidate_id, version, change, editor_id, changed_at, snapshot)
            values (@id, @Version, @change, @editorId, @UpdatedAt, @snapshot::jsonb)
            """, new { id, candidate.Version, change, editorId, candidate.UpdatedAt, snapshot = JsonSerializer.Serialize(candidate, ApiJson.Options) },
            transaction, cancellationToken: ct));
        return candidate;
    }
}
