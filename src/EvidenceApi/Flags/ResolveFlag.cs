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
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var flag = await FlagReader.GetAsync(connection, id, ct, transaction);
        if (flag is null) return Problems.NotFound($"There is no flag {id}.");

        var locked = await ClaimLock.AcquireAsync(connection, transaction, flag.ClaimId, http.Request, ct);
        if (locked is not null) return locked;

        var resolved = await connection.ExecuteAsync(new CommandDefinition("""
            update flags set resolution = @resolution, resolution_note = @Note, resolved_by = @editorId, resolved_at = now()
            where id = @id and resolution is null
            """, new { id, resolution = Slugs.Of(request.Resolution), request.Note, editorId = http.User.EditorId() },
            transaction, cancellationToken: ct));
        if (resolved == 0)
            return TypedResults.Problem($"Flag {id} was already resolved ({Slugs.OfNullable(flag.Resolution)}).",
                statusCode: StatusCodes.Status409Conflict, title: "Flag already resolved.");

        var claim = await ClaimLock.CommitChangeAsync(connection, transaction, flag.ClaimId, "flag-resolved", http.User.EditorId(), ct,
            openFlagDelta: -1);
        var result = (await FlagReader.GetAsync(connection, id, ct, transaction))!;
        var claimEtag = ETags.ForVersion(claim.Version);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status200OK, result,
            new Dictionary<string, string> { [ClaimHeaders.ClaimETag] = claimEtag }, ct);
        await transaction.CommitAsync(ct);
        http.Response.Headers[ClaimHeaders.ClaimETag] = claimEtag;
        return TypedResults.Ok(result);
    }
}
