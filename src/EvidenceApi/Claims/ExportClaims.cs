using System.Text;
using System.Text.Json;
using Dapper;
using EvidenceApi.Citations;
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

    public const int ChunkSize = 1000;

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> HandleAsync(
        [AsParameters] ExportClaimsQuery query, NpgsqlDataSource dataSource, Vocabularies.VocabularyCache vocabularies,
        ExportSlots slots, IConfiguration configuration, HttpContext http, CancellationToken ct)
    {
        var filter = ClaimFilter.From(query);
        var format = query.Format ?? "csv";
        Dictionary<string, string[]> unknown;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
            (filter, unknown) = await filter.ResolveAsync(vocabularies, connection, ct);
        if (unknown.Count > 0) return Problems.Validation(unknown, "Unknown vocabulary terms.");

        var fileName = $"claims-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.{format}";
        var contentType = format == "csv" ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8";
        // HEAD gets the headers GET would, without running the export
        if (http.IsHead()) return TypedResults.Stream(_ => Task.CompletedTask, contentType, fileName);

        var (slot, refusal) = slots.TryTake(http);
        if (slot is null) return (ProblemHttpResult)refusal!;
        http.Response.RegisterForDispose(slot);

        var deadline = TimeSpan.FromSeconds(configuration.GetValue("Limits:ExportDeadlineSeconds", 600));
        var chunkBudget = RequestDeadlines.Budget(configuration, http);
        var stall = TimeSpan.FromSeconds(configuration.GetValue("Limits:ExportStallSeconds", 30));
        return TypedResults.Stream(body => WriteAsync(body, filter, format, dataSource, deadline, chunkBudget, stall, http), contentType, fileName);
    }

    // Claims are read in chunks of ChunkSize, each by its own short statement on a connection that goes back to the
    // pool before the chunk is written: a client that reads slowly holds no connection while it makes the server wait.
    private static async Task WriteAsync(Stream body, ClaimFilter filter, string format, NpgsqlDataSource dataSource,
        TimeSpan deadline, TimeSpan chunkBudget, TimeSpan stall, HttpContext http)
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        overall.CancelAfter(deadline);
        var ct = overall.Token;
        var parameters = new DynamicParameters(filter);
        parameters.Add("ChunkSize", ChunkSize);
        var firstChunk = $"{ClaimReader.SelectClaims}\n{filter.WhereClause}\norder by c.created_at, c.id\nlimit @ChunkSize";
        var nextChunk = $"{ClaimReader.SelectClaims}\n{filter.WhereClause}\n  and (c.created_at, c.id) > (@AfterCreatedAt, @AfterId)\n" +
                        "order by c.created_at, c.id\nlimit @ChunkSize";

        // Not disposed: disposing flushes, which would start a response that should still be a problem.
        var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        var streaming = false;
        try
        {
            var sql = firstChunk;
            while (true)
            {
                IReadOnlyList<(ClaimRow Row, ClaimResponse Claim)> chunk;
                using (var statement = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    statement.CancelAfter(chunkBudget);
                    await using var connection = await dataSource.OpenConnectionAsync(statement.Token);
                    chunk = await ClaimReader.ReadAsync<ClaimRow>(connection, sql, parameters, statement.Token);
                }
                streaming = true;
                // a client that does not take a whole chunk within `stall` gives up its export slot: the download is cut
                using (var taken = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    taken.CancelAfter(stall);
                    if (sql == firstChunk && format == "csv") await writer.WriteAsync((string.Join(',', CsvHeader) + "\r\n").AsMemory(), taken.Token);
                    foreach (var (_, claim) in chunk)
                        await writer.WriteAsync((format == "csv" ? ToCsv(claim) : JsonSerializer.Serialize(claim, ApiJson.Options) + "\n").AsMemory(), taken.Token);
                    await writer.FlushAsync(taken.Token);
                }
                if (chunk.Count < ChunkSize) return;
                var last = chunk[^1].Row;
                parameters.Add("AfterCreatedAt", last.CreatedAt);
                parameters.Add("AfterId", last.Id);
                sql = nextChunk;
            }
        }
        catch (Exception e) when (streaming && (e is OperationCanceledException || DatabaseUnavailableExceptionHandler.IsUnavailable(e)))
        {
            // The status line went out long ago: all that is left to say is that the file is incomplete, by not ending it well.
            http.Abort();
        }
    }

    private static string ToCsv(ClaimResponse c) => string.Join(',', new[]
    {
        c.Id.ToString(), c.Source.Id.ToString(), c.Source.Title, c.Quote, c.Position.Start.ToString(), c.Position.End.ToString(), c.Section,
        string.Join(';', c.Conditions), string.Join(';', c.Cannabinoids), string.Join(';', c.Routes.Select(Slugs.Of)), c.Population,
        c.Comparator ?? "", c.Effect, c.Outcome, Slugs.Of(c.Direction), Slugs.Of(c.ClaimedStrength), Slugs.Of(c.EvidenceLevel),
        c.Overclaim switch { true => "true", false => "false", null => "" }, Slugs.Of(c.Status), c.Citations.Count.ToString(),
        string.Join(';', c.Citations.Select(ci => $"{Slugs.Of(ci.Kind)}:{ci.Identifier}")), c.OpenFlags.ToString(), c.Retired ? "true" : "false",
        c.RetiredReason ?? "", c.Version.ToString(), Timestamps.Of(c.CreatedAt), Timestamps.Of(c.UpdatedAt),
    }.Select(Csv.Escape)) + "\r\n";
}

/// <summary>
/// RFC 4180 fields: quoted when they hold a comma, a quote or a line break; quotes doubled. A field that a spreadsheet
/// would run as a formula (it begins with =, +, -, @, tab or carriage return) gets a leading single quote inside
/// quotes, as OWASP's CSV-injection guidance says, so that it opens as text.
/// </summary>
public static class Csv
{
    public static string Escape(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            return "\"'" + field.Replace("\"", "\"\"") + "\"";
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
    }
}
