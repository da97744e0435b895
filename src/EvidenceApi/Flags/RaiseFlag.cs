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
[RequestExample("""{ "reason": "overstated", "note": "The cited review grades this evidence as limited." }""")]
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
    public static Task<Results<Created<FlagResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, RaiseFlagRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        var flagId = Guid.CreateVersion7();
        return ClaimChange.RunAsync(http, dataSource, id,
            async change =>
            {
                await change.ExecuteAsync("""
                    insert into flags (id, claim_id, reason, note, raised_by) values (@flagId, @ClaimId, @reason, @note, @EditorId)
                    """, new { flagId, change.ClaimId, reason = Slugs.Of(request.Reason), note = request.Note ?? "", change.EditorId });
                return ClaimChangeStep.Done("flagged", openFlagDelta: 1, detail: new { flag = new { id = flagId, reason = request.Reason, request.Note } });
            },
            async (change, _) => TypedResults.Created($"/v1/flags/{flagId}",
                (await FlagReader.GetAsync(change.Connection, flagId, ct, change.Transaction))!), ct);
    }
}
