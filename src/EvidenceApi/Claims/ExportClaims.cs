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
    /// <summary>csv (RFC 4180, with a header row; lists joined with `;`) or jsonl (one claim per line, as GET /v1/claims/{id} shows it).</summary>
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

public static class ExportClaims
{
    private static readonly string[] CsvHeader =
    [
        "id", "sourceId", "sourceTitle", "quote", "positionStart", "positionEnd", "section", "conditions", "cannabinoids", "routes",
        "population", "comparator", "effect", "outcome", "direction", "claimedStrength", "evidenceLevel", "overclaim", "status",
        "citationCount", "citations", "openFlags", "retired", "retiredReason", "version", "createdAt", "updatedAt",
    ];

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> HandleAsync(
        [AsParameters] ExportClaimsQuery query, NpgsqlDataSource dataSource, Vocabularies.VocabularyCache vocabularies, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var format = query.Format ?? "csv";
        (filter, var unknown) = await filter.ResolveAsync(vocabularies, ct);
        if (unknown.Count > 0) return TypedResults.ValidationProblem(unknown, title: "Unknown vocabulary terms.");

        var fileName = $"claims-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.{format}";
        var contentType = format == "csv" ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8";
        return TypedResults.Stream(body => WriteAsync(body, filter, format, dataSource, ct), contentType, fileName);
    }

    // Rows go from PostgreSQL to the client as they are read: nothing holds the whole result.
    private static async Task WriteAsync(Stream body, ClaimFilter filter, string format, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var sql = $"""
            select {ClaimReader.Columns}
            {ClaimReader.From}
            {filter.WhereClause}
            order by c.created_at, c.id
            """;
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        if (format == "csv") await writer.WriteAsync(string.Join(',', CsvHeader) + "\r\n");

        // no command timeout: a large export legitimately reads for minutes; the request's cancellation still stops it
        var rows = connection.QueryUnbufferedAsync<ClaimRow>(sql, filter, commandTimeout: 0);
        var written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            var claim = row.ToResponse();
            await writer.WriteAsync(format == "csv" ? ToCsv(claim) : JsonSerializer.Serialize(claim, ApiJson.Options) + "\n");
            if (++written % 1000 == 0) await writer.FlushAsync(ct);
        }
    }

    private static string ToCsv(ClaimResponse c) => string.Join(',', new[]
    {
        c.Id.ToString(), c.Source.Id.ToString(), c.Source.Title, c.Quote, c.Position.Start.ToString(), c.Position.End.ToString(), c.Section,
        string.Join(';', c.Conditions), string.Join(';', c.Cannabinoids), string.Join(';', c.Routes.Select(Slugs.Of)), Slugs.Of(c.Population),
        Slugs.OfNullable(c.Comparator) ?? "", c.Effect, c.Outcome, Slugs.Of(c.Direction), Slugs.Of(c.ClaimedStrength), Slugs.Of(c.EvidenceLevel),
        c.Overclaim switch { true => "true", false => "false", null => "" }, Slugs.Of(c.Status), c.Citations.Count.ToString(),
        string.Join(';', c.Citations.Select(ci => $"{Slugs.Of(ci.Kind)}:{ci.Identifier}")), c.OpenFlags.ToString(), c.Retired ? "true" : "false",
        c.RetiredReason ?? "", c.Version.ToString(), c.CreatedAt.ToString("O"), c.UpdatedAt.ToString("O"),
    }.Select(Csv.Escape)) + "\r\n";
}

/// <summary>RFC 4180 fields: quoted when they hold a comma, a quote or a line break; quotes doubled.</summary>
public static class Csv
{
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
