using System.Text.Json;
using Dapper;
using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>A term's writable state: what a create gives, or a term merged with an update.</summary>
public sealed record TermState(string Label, string Definition, string[] Synonyms, Coding[] Codings, string[] Broader)
{
    public static TermState Of(TermResponse t) => new(t.Label, t.Definition, [.. t.Synonyms], [.. t.Codings], [.. t.Broader]);

    public TermState With(ITermFields change) => new(change.Label?.Trim() ?? Label, change.Definition ?? Definition,
        change.Synonyms?.Select(s => s.Trim()).ToArray() ?? Synonyms, change.Codings?.ToArray() ?? Codings,
        change.Broader?.Distinct().ToArray() ?? Broader);

    public bool SameAs(TermState other) =>
        JsonSerializer.Serialize(this, ApiJson.Options) == JsonSerializer.Serialize(other, ApiJson.Options);
}

/// <summary>
/// The one way to change a term, in one transaction: take the vocabulary's write lock (terms of one vocabulary change one
/// at a time, which is what makes the checks of broader terms, cycles and synonyms hold; reads and claim writes do not
/// wait), check If-Match and the rules, write the term and its revision, record an `Idempotency-Key` response, commit.
/// </summary>
public static class TermWrites
{
    private sealed class VocabularyRow
    {
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string[] Synonyms { get; init; } = [];
        public string[] Broader { get; init; } = [];
        public bool Retired { get; init; }
    }

    public static async Task<Results<Created<TermResponse>, ProblemHttpResult>> CreateAsync(HttpContext http, NpgsqlDataSource dataSource,
        Vocabulary vocabulary, CreateTermRequest request, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var terms = await LockAsync(connection, transaction, vocabulary, ct);
        if (terms.ContainsKey(request.Slug))
            return Problems.Conflict($"The {vocabulary.Singular} exists.", $"There is already a {vocabulary.Singular} '{request.Slug}' (GET /v1/{vocabulary.Name}/{request.Slug}); slugs never change or come back.");

        var state = new TermState(request.Label.Trim(), request.Definition, [], [], []).With(request);
        var problem = Check(vocabulary, request.Slug, state, null, terms);
        if (problem is not null) return problem;

        await connection.ExecuteAsync(new CommandDefinition($"""
            insert into {vocabulary.Name} (slug, label, definition, synonyms, codings, broader)
            values (@slug, @Label, @Definition, @Synonyms, @codings::jsonb, @Broader)
            """, new { slug = request.Slug, state.Label, state.Definition, state.Synonyms, codings = Json(state.Codings), state.Broader },
            transaction, cancellationToken: ct));
        var term = await TermStore.RecordRevisionAsync(connection, transaction, vocabulary, request.Slug, "created", http.User.EditorId(), ct);
        var location = $"/v1/{vocabulary.Name}/{term.Slug}";
        await AnswerAsync(http, connection, transaction, StatusCodes.Status201Created, term, location, ct);
        return TypedResults.Created(location, term);
    }

    public static Task<Results<Ok<TermResponse>, ProblemHttpResult>> UpdateAsync(HttpContext http, NpgsqlDataSource dataSource,
        Vocabulary vocabulary, string slug, UpdateTermRequest request, CancellationToken ct) =>
        ChangeAsync(http, dataSource, vocabulary, slug, ct, async (connection, transaction, current, terms) =>
        {
            var before = TermState.Of(current);
            var after = before.With(request);
            if (after.SameAs(before)) return null;
            var problem = Check(vocabulary, slug, after, before, terms);
            if (problem is not null) return problem;
            await connection.ExecuteAsync(new CommandDefinition($"""
                update {vocabulary.Name}
                set label = @Label, definition = @Definition, synonyms = @Synonyms, codings = @codings::jsonb, broader = @Broader,
                    version = version + 1, updated_at = clock_timestamp()
                where slug = @slug
                """, new { slug, after.Label, after.Definition, after.Synonyms, codings = Json(after.Codings), after.Broader },
                transaction, cancellationToken: ct));
            return "updated";
        });

    public static Task<Results<Ok<TermResponse>, ProblemHttpResult>> RetireAsync(HttpContext http, NpgsqlDataSource dataSource,
        Vocabulary vocabulary, string slug, RetireTermRequest request, CancellationToken ct) =>
        ChangeAsync(http, dataSource, vocabulary, slug, ct, async (connection, transaction, _, _) =>
        {
            await connection.ExecuteAsync(new CommandDefinition($"""
                update {vocabulary.Name}
                set retired_at = clock_timestamp(), retired_reason = @Reason, version = version + 1, updated_at = clock_timestamp()
                where slug = @slug
                """, new { slug, request.Reason }, transaction, cancellationToken: ct));
            return "retired";
        });

    /// <summary>Runs a change to an existing term; <paramref name="change"/> answers a problem, the kind of revision it wrote, or null for no change.</summary>
    private static async Task<Results<Ok<TermResponse>, ProblemHttpResult>> ChangeAsync(HttpContext http, NpgsqlDataSource dataSource,
        Vocabulary vocabulary, string slug, CancellationToken ct,
        Func<NpgsqlConnection, NpgsqlTransaction, TermResponse, IReadOnlyDictionary<string, VocabularyRow>, Task<object?>> change)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var terms = await LockAsync(connection, transaction, vocabulary, ct);
        var current = await TermStore.GetAsync(connection, vocabulary, slug, ct, transaction);
        if (current is null) return Problems.NotFound($"There is no {vocabulary.Singular} '{slug}'; see GET /v1/{vocabulary.Name}.");
        var precondition = Preconditions.CheckIfMatch(http.Request, TermETags.Of(current), vocabulary.Singular);
        if (precondition is not null) return precondition;
        if (current.Retired)
            return Problems.Conflict($"The {vocabulary.Singular} is retired.", $"'{slug}' is retired; retired terms are kept as they were.");

        var term = current;
        switch (await change(connection, transaction, current, terms))
        {
            case ProblemHttpResult problem:
                return problem;
            case string kind:
                term = await TermStore.RecordRevisionAsync(connection, transaction, vocabulary, slug, kind, http.User.EditorId(), ct);
                break;
        }
        await AnswerAsync(http, connection, transaction, StatusCodes.Status200OK, term, null, ct);
        return TypedResults.Ok(term);
    }

    private static async Task<IReadOnlyDictionary<string, VocabularyRow>> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Vocabulary vocabulary, CancellationToken ct)
    {
        // conflicts only with itself and with writes to this table: FK checks of claims (ROW SHARE) and reads go on
        await connection.ExecuteAsync(new CommandDefinition($"lock table {vocabulary.Name} in share row exclusive mode",
            transaction: transaction, cancellationToken: ct));
        var rows = await connection.QueryAsync<VocabularyRow>(new CommandDefinition(
            $"select slug, label, synonyms, broader, retired_at is not null as retired from {vocabulary.Name}",
            transaction: transaction, cancellationToken: ct));
        return rows.ToDictionary(r => r.Slug);
    }

    /// <summary>Codings valid for their systems, broader terms that exist, are not retired (unless kept) and make no cycle (422);
    /// a label and synonyms no other term of the vocabulary has (409).</summary>
    private static ProblemHttpResult? Check(Vocabulary vocabulary, string slug, TermState state, TermState? before,
        IReadOnlyDictionary<string, VocabularyRow> terms)
    {
        var errors = new Dictionary<string, string[]>();
        var codingErrors = state.Codings.Select((c, i) => (i, Problem: CodeSystems.Problem(c))).Where(e => e.Problem is not null).ToList();
        foreach (var (i, problem) in codingErrors) errors[$"codings[{i}]"] = [problem!];

        var broaderErrors = new List<string>();
        foreach (var broader in state.Broader)
        {
            if (broader == slug) broaderErrors.Add($"'{slug}' cannot be broader than itself.");
            else if (!terms.TryGetValue(broader, out var row)) broaderErrors.Add($"'{broader}' is not a known {vocabulary.Singular}.");
            else if (row.Retired && before?.Broader.Contains(broader) != true) broaderErrors.Add($"'{broader}' is retired and cannot be used.");
        }
        if (broaderErrors.Count == 0 && FindCycle(slug, state.Broader, terms) is { } cycle)
            broaderErrors.Add($"This would make a cycle: {string.Join(" → ", cycle)}.");
        if (broaderErrors.Count > 0) errors["broader"] = [.. broaderErrors];
        if (errors.Count > 0)
            return Problems.CannotProcess($"The {vocabulary.Singular} cannot be accepted.", $"The {vocabulary.Singular} does not fit its vocabulary.", errors);

        // the names this change gives the term (a name it already has stays, even if another term took it since)
        var kept = before is null ? [] : before.Synonyms.Append(before.Label).Select(VocabularySnapshot.Normalise).ToHashSet();
        var taken = terms.Values.Where(t => t.Slug != slug)
            .SelectMany(t => t.Synonyms.Append(t.Label).Select(name => (Name: VocabularySnapshot.Normalise(name), t.Slug)))
            .GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First().Slug);
        var clashes = state.Synonyms.Append(state.Label).Select(name => (Name: name, Normalised: VocabularySnapshot.Normalise(name)))
            .Where(n => !kept.Contains(n.Normalised) && taken.ContainsKey(n.Normalised)).DistinctBy(n => n.Normalised)
            .Select(n => $"'{n.Name}' already names {vocabulary.Singular} '{taken[n.Normalised]}'.").ToArray();
        return clashes.Length == 0 ? null
            : Problems.Of(ProblemKinds.Conflict, string.Join(" ", clashes) + " A label or synonym names one term of a vocabulary.", "Name taken.",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["synonyms"] = clashes } });
    }

    /// <summary>The path from <paramref name="slug"/> up through broader terms back to itself, if the new broader terms make one.
    /// Breadth first, each term once: the work grows with the number of terms, however deep the hierarchy.</summary>
    private static List<string>? FindCycle(string slug, string[] broader, IReadOnlyDictionary<string, VocabularyRow> terms)
    {
        var reachedFrom = new Dictionary<string, string>();
        var pending = new Queue<string>();
        foreach (var parent in broader)
            if (reachedFrom.TryAdd(parent, slug)) pending.Enqueue(parent);
        while (pending.TryDequeue(out var term))
        {
            if (term == slug)
            {
                var path = new List<string> { slug };
                for (var at = reachedFrom[slug]; at != slug; at = reachedFrom[at]) path.Add(at);
                path.Add(slug);
                path.Reverse();
                return path;
            }
            if (!terms.TryGetValue(term, out var row)) continue;
            foreach (var parent in row.Broader)
                if (reachedFrom.TryAdd(parent, term)) pending.Enqueue(parent);
        }
        return null;
    }

    private static async Task AnswerAsync(HttpContext http, NpgsqlConnection connection, NpgsqlTransaction transaction, int status,
        TermResponse term, string? location, CancellationToken ct)
    {
        var etag = TermETags.Of(term);
        var headers = new Dictionary<string, string> { ["ETag"] = etag };
        if (location is not null) headers["Location"] = location;
        await Idempotency.RecordAsync(http, connection, transaction, status, term, headers, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        http.Response.Headers.ETag = etag;
    }

    private static string Json(Coding[] codings) => JsonSerializer.Serialize(codings, ApiJson.Options);
}
