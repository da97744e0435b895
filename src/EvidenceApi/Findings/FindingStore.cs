using System.Text.Json;
using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Findings;

/// <summary>Reads findings and writes their revisions.</summary>
public static class FindingStore
{
    public const string Select = """
        select f.id, f.synthesis_doi, f.synthesis_title, f.synthesis_year, f.locator, f.statement, f.conditions, f.interventions,
               f.population, f.outcome, f.direction, f.level_scheme, f.level, f.note, f.verified_in, f.retired_reason, f.version, f.created_at, f.updated_at
        from findings f
        """;

    public sealed class FindingRow
    {
        public Guid Id { get; init; }
        public string SynthesisDoi { get; init; } = "";
        public string SynthesisTitle { get; init; } = "";
        public int SynthesisYear { get; init; }
        public string Locator { get; init; } = "";
        public string Statement { get; init; } = "";
        public string[] Conditions { get; init; } = [];
        public string[] Interventions { get; init; } = [];
        public string Population { get; init; } = "";
        public string Outcome { get; init; } = "";
        public string Direction { get; init; } = "";
        public string LevelScheme { get; init; } = "";
        public string Level { get; init; } = "";
        public string? Note { get; init; }
        public string[] VerifiedIn { get; init; } = [];
        public string? RetiredReason { get; init; }
        public int Version { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }

        public FindingResponse ToResponse() => new(Id, new SynthesisResponse(SynthesisDoi, SynthesisTitle, SynthesisYear), Locator, Statement,
            Conditions, Interventions, Population, Outcome, Slugs.Parse<Direction>(Direction),
            new CitationGrade(Slugs.Parse<GradeScheme>(LevelScheme), Level), Note, VerifiedIn, RetiredReason is not null, RetiredReason, Version,
            DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }

    public static async Task<FindingResponse?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken ct,
        NpgsqlTransaction? transaction = null, bool forUpdate = false) =>
        (await connection.QuerySingleOrDefaultAsync<FindingRow>(new CommandDefinition(
            $"{Select} where f.id = @id{(forUpdate ? " for update" : "")}", new { id }, transaction, cancellationToken: ct)))?.ToResponse();

    /// <summary>
    /// Adds a finding as version 1 (its revision is the caller's); false when one with this id, or of the same synthesis at
    /// the same locator, exists. `clock_timestamp()`: findings added in one transaction keep the order they were added in.
    /// </summary>
    public static async Task<bool> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        CreateFindingRequest finding, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into findings (id, synthesis_doi, synthesis_title, synthesis_year, locator, statement, conditions, interventions,
                                  population, outcome, direction, level_scheme, level, note, verified_in, created_at, updated_at)
            values (@id, @doi, @Title, @Year, @locator, @statement, @conditions, @interventions, @population, @Outcome, @direction,
                    @scheme, @Value, @Note, @verifiedIn, clock_timestamp(), clock_timestamp())
            on conflict do nothing
            """, new
        {
            id,
            doi = CitationIdentifiers.Normalise(CitationKind.Doi, finding.Synthesis.Doi),
            finding.Synthesis.Title,
            finding.Synthesis.Year,
            locator = finding.Locator.Trim(),
            statement = finding.Statement.Trim(),
            conditions = (finding.Conditions ?? []).Distinct().ToArray(),
            interventions = finding.Cannabinoids.Distinct().ToArray(),
            population = finding.Population ?? "unspecified",
            finding.Outcome,
            direction = Slugs.Of(finding.Direction),
            scheme = Slugs.Of(finding.Level.Scheme),
            finding.Level.Value,
            finding.Note,
            verifiedIn = (finding.VerifiedIn ?? []).ToArray(),
        }, transaction, cancellationToken: ct)) > 0;

    /// <summary>Writes the revision for the finding's current version and returns the finding as it now is.</summary>
    public static async Task<FindingResponse> RecordRevisionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        string change, Guid? editorId, CancellationToken ct)
    {
        var finding = (await GetAsync(connection, id, ct, transaction))!;
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into finding_revisions (finding_id, version, change, editor_id, changed_at, snapshot)
            values (@id, @Version, @change, @editorId, @UpdatedAt, @snapshot::jsonb)
            """, new { id, finding.Version, change, editorId, finding.UpdatedAt, snapshot = JsonSerializer.Serialize(finding, ApiJson.Options) },
            transaction, cancellationToken: ct));
        return finding;
    }

    public static async Task<IReadOnlyList<FindingRevisionResponse>> HistoryAsync(NpgsqlConnection connection, Guid id, int afterVersion,
        int limit, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(int Version, string Change, string? Editor, DateTime ChangedAt, string Snapshot)>(
            new CommandDefinition("""
                select r.version, r.change, e.name, r.changed_at, r.snapshot::text
                from finding_revisions r left join editors e on e.id = r.editor_id
                where r.finding_id = @id and r.version > @afterVersion
                order by r.version
                limit @limit
                """, new { id, afterVersion, limit }, cancellationToken: ct));
        return rows.Select(r => new FindingRevisionResponse(r.Version, r.Change, r.Editor, DateTime.SpecifyKind(r.ChangedAt, DateTimeKind.Utc),
            JsonSerializer.Deserialize<FindingResponse>(r.Snapshot, ApiJson.Options)!)).ToList();
    }
}
