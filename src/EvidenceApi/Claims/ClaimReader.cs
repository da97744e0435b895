using System.Text.Json;
using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>Reads claims, with their citations, into <see cref="ClaimResponse"/>s.</summary>
public static class ClaimReader
{
    /// <summary>The columns every claim read selects.</summary>
    public const string Columns = """
        c.id, c.source_id, s.title as source_title, c.quote, c.position_start, c.position_end, c.section,
               c.conditions, c.cannabinoids,
               c.routes, c.population, c.comparator, c.effect, c.outcome, c.direction, c.claimed_strength,
               c.evidence_level, c.overclaim, c.status, c.open_flag_count, c.retired_reason, c.version,
               c.created_at, c.updated_at,
               (select coalesce(json_agg(json_build_object(
                           'id', ci.id, 'kind', ci.kind, 'identifier', ci.identifier, 'title', ci.title, 'year', ci.year,
                           'stance', ci.stance, 'gradeScheme', ci.grade_scheme, 'gradeValue', ci.grade_value, 'note', ci.note,
                           'addedBy', e.name, 'addedAt', ci.added_at, 'findingId', ci.finding_id) order by ci.added_at, ci.id), '[]')
                from citations ci join editors e on e.id = ci.added_by
                where ci.claim_id = c.id and ci.removed_at is null) as citations
        """;

    public const string From = "from claims c join sources s on s.id = c.source_id";

    /// <summary>Selects claims; callers add their own where/order clauses.</summary>
    public const string SelectClaims = "select " + Columns + " " + From;

    public static async Task<ClaimResponse?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken ct,
        NpgsqlTransaction? transaction = null)
    {
        var claims = await ReadAsync<ClaimRow>(connection, SelectClaims + " where c.id = @id", new { id }, ct, transaction);
        return claims.Count == 0 ? null : claims[0].Claim;
    }

    /// <summary>Runs <paramref name="sql"/>, which must select at least <see cref="Columns"/>; one round trip brings
    /// each claim with its live citations.</summary>
    public static async Task<IReadOnlyList<(TRow Row, ClaimResponse Claim)>> ReadAsync<TRow>(NpgsqlConnection connection,
        string sql, object parameters, CancellationToken ct, NpgsqlTransaction? transaction = null) where TRow : ClaimRow
    {
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));
        return rows.Select(row => (row, row.ToResponse())).ToList();
    }

    public static readonly JsonSerializerOptions CitationJson = new(JsonSerializerDefaults.Web);

    public sealed class CitationRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Identifier { get; init; } = "";
        public string Title { get; init; } = "";
        public int Year { get; init; }
        public string Stance { get; init; } = "";
        public string? GradeScheme { get; init; }
        public string? GradeValue { get; init; }
        public string? Note { get; init; }
        public string AddedBy { get; init; } = "";
        public DateTimeOffset AddedAt { get; init; }
        public Guid? FindingId { get; init; }

        public CitationResponse ToResponse() => new(Id, Slugs.Parse<CitationKind>(Kind), Identifier, Title, Year,
            Slugs.Parse<Stance>(Stance),
            GradeScheme is null ? null : new CitationGrade(Slugs.Parse<GradeScheme>(GradeScheme), GradeValue!),
            Note, AddedBy, AddedAt.UtcDateTime, FindingId);
    }
}

/// <summary>A claims row as <see cref="ClaimReader.SelectClaims"/> selects it.</summary>
public class ClaimRow
{
    public Guid Id { get; init; }
    public Guid SourceId { get; init; }
    public string SourceTitle { get; init; } = "";
    public string Quote { get; init; } = "";
    public int PositionStart { get; init; }
    public int PositionEnd { get; init; }
    public string Section { get; init; } = "";
    public string[] Conditions { get; init; } = [];
    public string[] Cannabinoids { get; init; } = [];
    public string[] Routes { get; init; } = [];
    public string Population { get; init; } = "";
    public string? Comparator { get; init; }
    public string Effect { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string Direction { get; init; } = "";
    public string ClaimedStrength { get; init; } = "";
    public string EvidenceLevel { get; init; } = "";
    public bool? Overclaim { get; init; }
    public string Status { get; init; } = "";
    public int OpenFlagCount { get; init; }
    public string? RetiredReason { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>The live citations as a JSON array.</summary>
    public string Citations { get; init; } = "[]";

    public ClaimResponse ToResponse() => ToResponse(Citations == "[]" ? []
        : JsonSerializer.Deserialize<ClaimReader.CitationRow[]>(Citations, ClaimReader.CitationJson)!.Select(c => c.ToResponse()).ToList());

    private ClaimResponse ToResponse(IReadOnlyList<CitationResponse> citations) => new(
        Id, new SourceReference(SourceId, SourceTitle), Quote, new TextPosition(PositionStart, PositionEnd), Section,
        Conditions, Cannabinoids, Routes.Select(Slugs.Parse<AdministrationRoute>).ToArray(), Population,
        Comparator, Effect, Outcome, Slugs.Parse<Direction>(Direction),
        Slugs.Parse<ClaimedStrength>(ClaimedStrength), Slugs.Parse<EvidenceLevel>(EvidenceLevel), Overclaim, citations,
        Slugs.Parse<ClaimStatus>(Status), OpenFlagCount, RetiredReason is not null, RetiredReason, Version,
        CreatedAt, UpdatedAt);
}
