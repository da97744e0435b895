using System.Text.Json;
using Dapper;
using EvidenceApi.Citations;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Findings;

/// <summary>Adds, edits and retires findings (admins), each with a revision, If-Match on changes and Idempotency-Key.</summary>
public static class FindingWrites
{
    public static string ETagOf(FindingResponse finding) => ETags.ForVersion(finding.Version);

    public static async Task<Results<Created<FindingResponse>, ProblemHttpResult>> CreateAsync(CreateFindingRequest request,
        NpgsqlDataSource dataSource, VocabularyCache vocabularies, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var refusal = CheckTerms(await vocabularies.GetAsync(connection, ct), request, kept: null);
        if (refusal is not null) return refusal;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = Guid.CreateVersion7();
        var inserted = await FindingStore.InsertAsync(connection, transaction, id, request, ct);
        if (!inserted)
            return Problems.Conflict("Duplicate finding.", $"The synthesis {request.Synthesis.Doi} already has a finding at '{request.Locator.Trim()}'.");

        var finding = await FindingStore.RecordRevisionAsync(connection, transaction, id, "created", http.User.EditorId(), ct);
        var location = $"/v1/findings/{id}";
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status201Created, finding,
            new Dictionary<string, string> { ["Location"] = location, ["ETag"] = ETagOf(finding) }, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers.ETag = ETagOf(finding);
        return TypedResults.Created(location, finding);
    }

    public static Task<Results<Ok<FindingResponse>, ProblemHttpResult>> EditAsync(Guid id, EditFindingRequest request,
        NpgsqlDataSource dataSource, VocabularyCache vocabularies, HttpContext http, CancellationToken ct) =>
        ChangeAsync(http, dataSource, id, ct, async (connection, transaction, current) =>
        {
            if (request == new EditFindingRequest()) return null; // nothing to change: no new version
            var refusal = CheckTerms(await vocabularies.GetAsync(connection, ct), request, current);
            if (refusal is not null) return refusal;
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update findings
                set synthesis_doi = coalesce(@doi, synthesis_doi), synthesis_title = coalesce(@title, synthesis_title),
                    synthesis_year = coalesce(@year, synthesis_year), locator = coalesce(@locator, locator),
                    statement = coalesce(@statement, statement), conditions = coalesce(@conditions, conditions),
                    interventions = coalesce(@interventions, interventions), population = coalesce(@Population, population),
                    outcome = coalesce(@Outcome, outcome), direction = coalesce(@direction, direction),
                    level_scheme = coalesce(@scheme, level_scheme), level = coalesce(@level, level), note = coalesce(@Note, note),
                    verified_in = coalesce(@verifiedIn, verified_in),
                    version = version + 1, updated_at = clock_timestamp()
                where id = @id
                  and not exists (select from findings o where o.id <> @id
                                  and lower(o.synthesis_doi) = lower(coalesce(@doi, findings.synthesis_doi))
                                  and o.locator = coalesce(@locator, findings.locator))
                """, new
            {
                id,
                doi = request.Synthesis is null ? null : CitationIdentifiers.Normalise(CitationKind.Doi, request.Synthesis.Doi),
                title = request.Synthesis?.Title,
                year = request.Synthesis?.Year,
                locator = request.Locator?.Trim(),
                statement = request.Statement?.Trim(),
                conditions = request.Conditions?.Distinct().ToArray(),
                interventions = request.Cannabinoids?.Distinct().ToArray(),
                request.Population,
                request.Outcome,
                direction = Slugs.OfNullable(request.Direction),
                scheme = request.Level is null ? null : Slugs.Of(request.Level.Scheme),
                level = request.Level?.Value,
                request.Note,
                verifiedIn = request.VerifiedIn?.ToArray(),
            }, transaction, cancellationToken: ct));
            return updated == 0
                ? Problems.Conflict("Duplicate finding.", "Another finding of that synthesis already has that locator.")
                : (object)"updated";
        });

    public static Task<Results<Ok<FindingResponse>, ProblemHttpResult>> RetireAsync(Guid id, RetireFindingRequest request,
        NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct) =>
        ChangeAsync(http, dataSource, id, ct, async (connection, transaction, _) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update findings set retired_at = clock_timestamp(), retired_reason = @Reason, version = version + 1, updated_at = clock_timestamp()
                where id = @id
                """, new { id, request.Reason }, transaction, cancellationToken: ct));
            return "retired";
        });

    /// <summary>
    /// Lock the finding, check If-Match (428/412) and that it is not retired (409), make the change (which answers null for
    /// "nothing to change", a problem to refuse, or the revision's kind), write the revision, record an Idempotency-Key
    /// answer, commit.
    /// </summary>
    private static async Task<Results<Ok<FindingResponse>, ProblemHttpResult>> ChangeAsync(HttpContext http, NpgsqlDataSource dataSource,
        Guid id, CancellationToken ct, Func<NpgsqlConnection, NpgsqlTransaction, FindingResponse, Task<object?>> change)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await FindingStore.GetAsync(connection, id, ct, transaction, forUpdate: true);
        if (current is null) return Problems.NotFound($"There is no finding {id}.");
        var precondition = Preconditions.CheckIfMatch(http.Request, ETagOf(current), "finding");
        if (precondition is not null) return precondition;
        if (current.Retired) return Problems.Conflict("The finding is retired.", "The finding is retired; retired findings are kept as they were.");

        object? outcome;
        try
        {
            outcome = await change(connection, transaction, current);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "findings_by_locator")
        {
            // another change gave a finding of the same synthesis this locator between our check and our write
            return Problems.Conflict("Duplicate finding.", "Another finding of that synthesis already has that locator.");
        }
        if (outcome is ProblemHttpResult refused) return refused;
        var finding = outcome is string kind
            ? await FindingStore.RecordRevisionAsync(connection, transaction, id, kind, http.User.EditorId(), ct)
            : current;
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status200OK, finding,
            new Dictionary<string, string> { ["ETag"] = ETagOf(finding) }, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers.ETag = ETagOf(finding);
        return TypedResults.Ok(finding);
    }

    /// <summary>422 when a field names a term the vocabularies lack, or one that is retired and not already on the finding.</summary>
    private static ProblemHttpResult? CheckTerms(VocabularySnapshot snapshot, IFindingFields fields, FindingResponse? kept)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(string field, Vocabulary vocabulary, IEnumerable<string>? slugs, IEnumerable<string> keptSlugs)
        {
            if (slugs is null) return;
            var problems = slugs.Distinct()
                .Where(s => !keptSlugs.Contains(s))
                .Select(s => !snapshot.Contains(vocabulary, s) ? $"'{s}' is not one of the {vocabulary.Name} (GET /v1/{vocabulary.Name})."
                    : snapshot.Terms(vocabulary).Any(t => t.Slug == s) ? null : $"'{s}' is retired.")
                .OfType<string>().ToArray();
            if (problems.Length > 0) errors[field] = problems;
        }
        Check("conditions", Vocabulary.Conditions, fields.Conditions, kept?.Conditions ?? []);
        Check("cannabinoids", Vocabulary.Interventions, fields.Cannabinoids, kept?.Cannabinoids ?? []);
        Check("population", Vocabulary.Populations, fields.Population is null ? null : [fields.Population], kept is null ? [] : [kept.Population]);
        Check("outcome", Vocabulary.Outcomes, fields.Outcome is null ? null : [fields.Outcome], kept is null ? [] : [kept.Outcome]);
        return errors.Count == 0 ? null : Problems.CannotProcess("The finding cannot be accepted.", "A field names a term the vocabularies do not have.", errors);
    }
}
