using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Flags;

/// <summary>How a flag is closed.</summary>
/// <param name="Resolution">fixed (the claim was corrected) or dismissed (the flag was wrong).</param>
/// <param name="Note">Why.</param>
[RequestExample("""{ "resolution": "fixed", "note": "Claimed strength corrected." }""")]
public sealed record ResolveFlagRequest(FlagResolution Resolution, string? Note = null);

public sealed class ResolveFlagRequestValidator : AbstractValidator<ResolveFlagRequest>
{
    public ResolveFlagRequestValidator()
    {
        RuleFor(f => f.Resolution).IsInEnum();
        RuleFor(f => f.Note).MaximumLength(4000);
    }
}

public static class ResolveFlag
{
    /// <summary>Resolving changes the flagged claim's status, so If-Match carries the claim's ETag.</summary>
    public static async Task<Results<Ok<FlagResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ResolveFlagRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        // a flag never moves to another claim, so its claim can be read before the claim is locked
        FlagResponse? flag;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
            flag = await FlagReader.GetAsync(connection, id, ct);
        if (flag is null) return Problems.NotFound($"There is no flag {id}.");

        return await ClaimChange.RunAsync(http, dataSource, flag.ClaimId,
            async change =>
            {
                var resolved = await change.ExecuteAsync("""
                    update flags set resolution = @resolution, resolution_note = @Note, resolved_by = @EditorId, resolved_at = now()
                    where id = @id and resolution is null
                    """, new { id, resolution = Slugs.Of(request.Resolution), request.Note, change.EditorId });
                return resolved == 0
                    ? ClaimChangeStep.Refuse(Problems.Conflict("Flag already resolved.",
                        $"Flag {id} was already resolved.{(flag.Resolution is { } r ? $" ({Slugs.Of(r)})" : "")}"))
                    : ClaimChangeStep.Done("flag-resolved", openFlagDelta: -1,
                        detail: new { flag = new { id, reason = flag.Reason, resolution = request.Resolution, request.Note } });
            },
            async (change, _) => TypedResults.Ok((await FlagReader.GetAsync(change.Connection, id, ct, change.Transaction))!), ct);
    }
}
