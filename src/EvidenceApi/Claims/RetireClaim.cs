using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>Why a claim is retired.</summary>
/// <param name="Reason">Shown on the claim and kept in its history.</param>
public sealed record RetireClaimRequest(string Reason);

public sealed class RetireClaimRequestValidator : AbstractValidator<RetireClaimRequest>
{
    public RetireClaimRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public static class RetireClaim
{
    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, RetireClaimRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var locked = await ClaimLock.AcquireAsync(connection, transaction, id, http.Request, ct);
        if (locked is not null) return locked;

        await connection.ExecuteAsync(new CommandDefinition(
            "update claims set retired_at = now(), retired_reason = @Reason where id = @id",
            new { id, request.Reason }, transaction, cancellationToken: ct));
        var claim = await ClaimLock.CommitChangeAsync(connection, transaction, id, "retired", http.User.EditorId(), ct);
        var etag = ETags.ForVersion(claim.Version);
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status200OK, claim,
            new Dictionary<string, string> { ["ETag"] = etag }, ct);
        await transaction.CommitAsync(ct);
        http.Response.Headers.ETag = etag;
        return TypedResults.Ok(claim);
    }
}
