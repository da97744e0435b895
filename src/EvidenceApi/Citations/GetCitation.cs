using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Citations;

public static class GetCitation
{
    public static async Task<Results<CachedOk<CitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, Guid citationId, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var claim = await ClaimReader.GetAsync(connection, id, ct);
        var citation = claim?.Citations.SingleOrDefault(c => c.Id == citationId);
        return citation is null ? Problems.NotFound($"Claim {id} has no citation {citationId}.") : Cached.Ok(citation, HttpCaching.ClaimCacheControl);
    }
}
