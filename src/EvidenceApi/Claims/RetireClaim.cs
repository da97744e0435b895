using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>Why a claim is retired.</summary>
/// <param name="Reason">Shown on the claim and kept in its history.</param>
[RequestExample("""{ "reason": "Duplicate of another claim quoting the same sentence." }""")]
public sealed record RetireClaimRequest(string Reason);

public sealed class RetireClaimRequestValidator : AbstractValidator<RetireClaimRequest>
{
    public RetireClaimRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public static class RetireClaim
{
    public static Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, RetireClaimRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
        ClaimChange.RunAsync(http, dataSource, id,
            async change =>
            {
                await change.ExecuteAsync("update claims set retired_at = now(), retired_reason = @Reason where id = @ClaimId",
                    new { change.ClaimId, request.Reason });
                return ClaimChangeStep.Done("retired", detail: new { reason = request.Reason });
            },
            (_, claim) => Task.FromResult(TypedResults.Ok(claim)), ct);
}
