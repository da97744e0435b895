using System.Text;
using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Claims;

public sealed record ExportClaimsQuery : ClaimFilterQuery
{
    /// <summary>csv (RFC 4180, with a header row) or jsonl (one JSON object per line).</summary>
    /// <example>csv</example>
    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}

public sealed class ExportClaimsQueryValidator : AbstractValidator<ExportClaimsQuery>
{
    public ExportClaimsQueryValidator()
    {
        Include(new ClaimFilterQueryValidator());
        RuleFor(q => q.Format).Must(f => f is null or "csv" or "jsonl").WithMessage("Allowed formats: csv, jsonl.");
    }
}

/// <summary>One exported claim, flat enough for a spreadsheet: lists are joined with `;` in CSV.</summary>
public sealed class ClaimExportRow
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
    public int CitationCount { get; init; }
    public string[] Citations { get; init; } = [];
    public int OpenFlags { get; init; }
    public bool Retired { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}

public static class ExportClaims
{
    private const string Columns = """
        c.id, c.source_id, s.title as source_title, c.quote, c.position_start, c.position_end, c.section,
        array(select cc.condition_slug from claim_conditions cc where cc.claim_id = c.id order by 1) as conditions,
        array(select ca.cannabinoid_slug from claim_cannabinoids ca where ca.claim_id = c.id order by 1) as cannabinoids,
        c.routes, c.population, c.comparator, c.effect, c.outcome, c.direction, c.claimed_strength, c.evidence_level,
        c.overclaim, c.status, c.citation_count,
        array(select ci.kind || ':' || ci.identifier from citations ci
              where ci.claim_id = c.id and ci.removed_at is null order by ci.added_at, ci.id) as citations,
        c.open_flag_count as open_flags, c.retired_at is not null as retired, c.version, c.created_at, c.updated_at
        """;

    private static readonly string[] CsvHeader =
    [
        "id", "sourceId", "sourceTitle", "quote", "positionStart", "positionEnd", "section", "conditions", "cannabinoids", "routes",
        "population", "comparator", "effect", "outcome", "direction", "claimedStrength", "evidenceLevel", "overclaim", "status",
        "citationCount", "citations", "openFlags", "retired", "version", "createdAt", "updatedAt",
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> HandleAsync(
        [AsParameters] ExportClaimsQuery query, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var format = query.Format ?? "csv";
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            (filter, var unknown) = await filter.ResolveAsync(connection, ct);
            if (unknown.Count > 0) return TypedResults.ValidationProblem(unknown, title: "Unknown vocabulary terms.");
        }

        var fileName = $"claims-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.{format}";
        var contentType = format == "csv" ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8";
        return TypedResults.Stream(body => WriteAsync(body, filter, format, dataSource, ct), contentType, fileName);
    }

    // Rows go from PostgreSQL to the client as they are read: nothing holds the whole result.
    private static async Task WriteAsync(Stream body, ClaimFilter filter, string format, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var sql = $"""
            select {Columns}
            {ClaimReader.From}
            {filter.WhereClause}
            order by c.created_at, c.id
            """;
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        if (format == "csv") await writer.WriteAsync(string.Join(',', CsvHeader) + "\r\n");

        // no command timeout: a large export legitimately reads for minutes; the request's cancellation still stops it
        var rows = connection.QueryUnbufferedAsync<ClaimExportRow>(sql, filter, commandTimeout: 0);
        var written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            await writer.WriteAsync(format == "csv" ? ToCsv(row) : JsonSerializer.Serialize(row, ApiJson.Options) + "\n");
            if (++written % 1000 == 0) await writer.FlushAsync(ct);
        }
    }

    private static string ToCsv(ClaimExportRow r) => string.Join(',', new[]
    {
        r.Id.ToString(), r.SourceId.ToString(), r.SourceTitle, r.Quote, r.PositionStart.ToString(), r.PositionEnd.ToString(), r.Section,
        string.Join(';', r.Conditions), string.Join(';', r.Cannabinoids), string.Join(';', r.Routes), r.Population, r.Comparator ?? "",
        r.Effect, r.Outcome, r.Direction, r.ClaimedStrength, r.EvidenceLevel, r.Overclaim switch { true => "true", false => "false", null => "" },
        r.Status, r.CitationCount.ToString(), string.Join(';', r.Citations), r.OpenFlags.ToString(), r.Retired ? "true" : "false",
        r.Version.ToString(), r.CreatedAt.ToString("O"), r.UpdatedAt.ToString("O"),
    }.Select(Csv.Escape)) + "\r\n";
}

/// <summary>RFC 4180 fields: quoted when they hold a comma, a quote or a line break; quotes doubled.</summary>
public static class Csv
{
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
