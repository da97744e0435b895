using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>The fields of a new claim, already validated.</summary>
public sealed record NewClaim(
    Guid SourceId, string Quote, int Start, int End, string Section, IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Cannabinoids, IReadOnlyList<AdministrationRoute> Routes, string Population, string? Comparator,
    string Effect, string Outcome, Direction Direction, ClaimedStrength ClaimedStrength);

public static class ClaimWriter
{
    /// <summary>Inserts a claim with its first revision (with <paramref name="detail"/>, e.g. the candidate it came from), inside the caller's transaction.</summary>
    public static async Task<ClaimResponse> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        NewClaim claim, Guid? editorId, CancellationToken ct, object? detail = null)
    {
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into claims (id, source_id, quote, position_start, position_end, section, routes, population,
                                comparator, effect, outcome, direction, claimed_strength)
            values (@id, @SourceId, @Quote, @Start, @End, @Section, @routes, @population,
                    @comparator, @Effect, @Outcome, @direction, @claimedStrength);
            insert into claim_conditions (claim_id, condition_slug) select @id, unnest(@conditions);
            insert into claim_cannabinoids (claim_id, cannabinoid_slug) select @id, unnest(@cannabinoids);
            """,
            new
            {
                id,
                claim.SourceId,
                claim.Quote,
                claim.Start,
                claim.End,
                claim.Section,
                routes = claim.Routes.Select(Slugs.Of).ToArray(),
                population = claim.Population,
                comparator = claim.Comparator,
                claim.Effect,
                claim.Outcome,
                direction = Slugs.Of(claim.Direction),
                claimedStrength = Slugs.Of(claim.ClaimedStrength),
                conditions = claim.Conditions.Distinct().ToArray(),
                cannabinoids = claim.Cannabinoids.Distinct().ToArray(),
            },
            transaction, cancellationToken: ct));
        return await ClaimRevisions.RecordAsync(connection, transaction, id, "created", editorId, ct, detail);
    }
}
