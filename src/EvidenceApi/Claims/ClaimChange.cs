using Dapper;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>What a change found it had to do, told to the frame that runs it.</summary>
public abstract record ClaimChangeStep
{
    /// <summary>Nothing to change (the claim already is what was asked): answer with it as it is, no new version.</summary>
    public static readonly ClaimChangeStep Unchanged = new UnchangedStep();

    /// <summary>The change is refused; nothing it did is kept.</summary>
    public static ClaimChangeStep Refuse(ProblemHttpResult problem) => new RefusedStep(problem);

    /// <summary>The change is made: a new version with a revision of <paramref name="kind"/> (and <paramref name="detail"/>, what
    /// it did that the claim's fields do not show), and the kept counts moved.</summary>
    public static ClaimChangeStep Done(string kind, int citationDelta = 0, int openFlagDelta = 0, object? detail = null) =>
        new DoneStep(kind, citationDelta, openFlagDelta, detail);

    internal sealed record UnchangedStep : ClaimChangeStep;
    internal sealed record RefusedStep(ProblemHttpResult Problem) : ClaimChangeStep;
    internal sealed record DoneStep(string Kind, int CitationDelta, int OpenFlagDelta, object? Detail) : ClaimChangeStep;
}

/// <summary>The open transaction a change works in, on the claim it holds locked.</summary>
public sealed record ClaimChangeScope(NpgsqlConnection Connection, NpgsqlTransaction Transaction, Guid ClaimId, Guid EditorId,
    CancellationToken Cancellation)
{
    /// <summary>The claim as it is inside this transaction.</summary>
    public async Task<ClaimResponse> ReadClaimAsync() =>
        (await ClaimReader.GetAsync(Connection, ClaimId, Cancellation, Transaction))!;

    public Task<int> ExecuteAsync(string sql, object parameters) =>
        Connection.ExecuteAsync(new CommandDefinition(sql, parameters, Transaction, cancellationToken: Cancellation));
}

/// <summary>
/// The one way to change an existing claim, in one transaction: lock the row, check If-Match (428/412) and that the
/// claim is not retired (409), run the change, bump the version and write the revision, record the response of an
/// `Idempotency-Key` request, commit, and send the claim's new ETag (`ETag` when the answer is the claim, else
/// `Claim-ETag`). Holding the row lock from the check to the bump is what makes a lost update impossible.
/// A handler gives only its own logic: the change, and the answer it makes of the claim after.
/// </summary>
public static class ClaimChange
{
    public static async Task<Results<TAnswer, ProblemHttpResult>> RunAsync<TAnswer>(HttpContext http, NpgsqlDataSource dataSource,
        Guid claimId, Func<ClaimChangeScope, Task<ClaimChangeStep>> change, Func<ClaimChangeScope, ClaimResponse, Task<TAnswer>> answer,
        CancellationToken ct)
        where TAnswer : IResult, IStatusCodeHttpResult, IValueHttpResult
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var scope = new ClaimChangeScope(connection, transaction, claimId, http.User.EditorId(), ct);

        var refusal = await LockAsync(scope, http.Request);
        if (refusal is not null) return refusal;

        ClaimResponse claim;
        switch (await change(scope))
        {
            case ClaimChangeStep.RefusedStep refused:
                return refused.Problem;
            case ClaimChangeStep.DoneStep done:
                await scope.ExecuteAsync("""
                    update claims
                    set version = version + 1, updated_at = clock_timestamp(),
                        citation_count = citation_count + @CitationDelta,
                        open_flag_count = open_flag_count + @OpenFlagDelta
                    where id = @claimId
                    """, new { claimId, done.CitationDelta, done.OpenFlagDelta });
                claim = await ClaimRevisions.RecordAsync(connection, transaction, claimId, done.Kind, scope.EditorId, ct, done.Detail);
                break;
            default:
                claim = await scope.ReadClaimAsync();
                break;
        }

        var result = await answer(scope, claim);
        var (etagHeader, etag) = (result.Value is ClaimResponse ? "ETag" : ClaimHeaders.ClaimETag, ETags.ForVersion(claim.Version));
        var replayHeaders = new Dictionary<string, string> { [etagHeader] = etag };
        // Created<T> sets Location itself when it runs; a replay must send it too
        if (result.GetType().GetProperty("Location")?.GetValue(result) is string location) replayHeaders["Location"] = location;
        await Idempotency.RecordAsync(http, connection, transaction, result.StatusCode ?? StatusCodes.Status200OK, result.Value!, replayHeaders, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers[etagHeader] = etag;
        return result;
    }

    private static async Task<ProblemHttpResult?> LockAsync(ClaimChangeScope scope, HttpRequest request)
    {
        var row = await scope.Connection.QuerySingleOrDefaultAsync<(int Version, bool Retired)>(new CommandDefinition(
            "select version, retired_at is not null from claims where id = @ClaimId for update",
            new { scope.ClaimId }, scope.Transaction, cancellationToken: scope.Cancellation));
        if (row.Version == 0) return Problems.NotFound($"There is no claim {scope.ClaimId}.");

        var precondition = Preconditions.CheckIfMatch(request, ETags.ForVersion(row.Version), "claim");
        if (precondition is not null) return precondition;
        if (row.Retired)
            return Problems.Conflict("The claim is retired.", "The claim is retired; retired claims are kept as they were.");
        return null;
    }
}
