using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Flags;

/// <summary>A flag on a claim.</summary>
/// <param name="Reason">unsupported, overstated, contradicted, misquoted, outdated or other.</param>
/// <param name="Note">What is wrong; required for `other`.</param>
public sealed record RaiseFlagRequest(FlagReason Reason, string? Note = null);

public sealed class RaiseFlagRequestValidator : AbstractValidator<RaiseFlagRequest>
{
    public RaiseFlagRequestValidator()
    {
        RuleFor(f => f.Reason).IsInEnum();
        RuleFor(f => f.Note).MaximumLength(4000);
        RuleFor(f => f.Note).NotEmpty().When(f => f.Reason == FlagReason.Other).WithMessage("Say what is wrong when the reason is `other`.");
    }
}

public static class RaiseFlag
{
    public static async Task<Results<Created<FlagResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, RaiseFlagRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var locked = await ClaimLock.AcquireAsync(connection, transaction, id, http.Request, ct);
        if (locked is not null) return locked;

        var flagId = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into flags (id, claim_id, reason, note, raised_by) values (@flagId, @id, @reason, @note, @editorId)
            """, new { flagId, id, reason = Slugs.Of(request.Reason), note = request.Note ?? "", editorId = http.User.EditorId() },
            transaction, cancellationToken: ct));
        var claim = await ClaimLock.CommitChangeAsync(connection, transaction, id, "flagged", http.User.EditorId(), ct, openFlagDelta: 1);
        var flag = (await FlagReader.GetAsync(connection, flagId, ct, transaction))!;

        var location = $"/v1/flags/{flagId}";
        var claimEtag = ETags.ForVersion(claim.Version);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status201Created, flag,
            new Dictionary<string, string> { ["Location"] = location, [ClaimHeaders.ClaimETag] = claimEtag }, ct);
        await transaction.CommitAsync(ct);
        http.Response.Headers[ClaimHeaders.ClaimETag] = claimEtag;
        return TypedResults.Created(location, flag);
    }
}
