using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>Reads terms. Every SQL text names a table from <see cref="Vocabulary"/>, never request input.</summary>
public static class TermStore
{
    private sealed class TermRow
    {
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string Definition { get; init; } = "";
        public string[] Synonyms { get; init; } = [];
        public string Codings { get; init; } = "[]";
        public string[] Broader { get; init; } = [];
        public string[] Narrower { get; init; } = [];
        public DateTime? RetiredAt { get; init; }
        public string? RetiredReason { get; init; }
        public int Version { get; init; }
        public DateTime UpdatedAt { get; init; }

        public TermResponse ToResponse() => new(Slug, Label, Definition, Definition, Synonyms,
            JsonSerializer.Deserialize<Coding[]>(Codings, ApiJson.Options) ?? [], Broader, Narrower, RetiredAt is not null, RetiredReason,
            Version, DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Utc));
    }

    private static string Select(Vocabulary vocabulary) => $"""
        select t.slug, t.label, t.definition, t.synonyms, t.codings::text as codings, t.broader,
               array(select n.slug from {vocabulary.Name} n where n.broader @> array[t.slug] order by n.slug collate "C") as narrower,
               t.retired_at, t.retired_reason, t.version, t.updated_at
        from {vocabulary.Name} t
        """;

    public static async Task<TermResponse?> GetAsync(NpgsqlConnection connection, Vocabulary vocabulary, string slug, CancellationToken ct,
        NpgsqlTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<TermRow>(new CommandDefinition(
            $"{Select(vocabulary)} where t.slug = @slug", new { slug }, transaction, cancellationToken: ct)))?.ToResponse();

    /// <summary>
    /// Terms in slug order after <paramref name="after"/>; <paramref name="match"/> keeps those whose slug, label or a synonym
    /// contains it (case-insensitive).
    /// </summary>
    public static async Task<IReadOnlyList<TermResponse>> ListAsync(NpgsqlConnection connection, Vocabulary vocabulary, string? match,
        bool includeRetired, string? after, int limit, CancellationToken ct)
    {
        var pattern = match is null ? null : "%" + match.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        var rows = await connection.QueryAsync<TermRow>(new CommandDefinition($"""
            {Select(vocabulary)}
            where (@pattern::text is null or t.slug ilike @pattern or t.label ilike @pattern
                   or exists (select from unnest(t.synonyms) s where s ilike @pattern))
              and (@includeRetired or t.retired_at is null)
              and (@after::text is null or t.slug collate "C" > @after)
            order by t.slug collate "C"
            limit @limit
            """, new { pattern, includeRetired, after, limit }, cancellationToken: ct));
        return rows.Select(r => r.ToResponse()).ToList();
    }

    /// <summary>Writes the revision for a term's current version: the term as GET returns it after the change.</summary>
    public static async Task<TermResponse> RecordRevisionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Vocabulary vocabulary, string slug, string change, Guid? editorId, CancellationToken ct)
    {
        var term = (await GetAsync(connection, vocabulary, slug, ct, transaction))!;
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into term_revisions (vocabulary, slug, version, change, editor_id, changed_at, snapshot)
            values (@vocabulary, @slug, @Version, @change, @editorId, @UpdatedAt, @snapshot::jsonb)
            """, new
        {
            vocabulary = vocabulary.Name,
            slug,
            term.Version,
            change,
            editorId,
            term.UpdatedAt,
            snapshot = JsonSerializer.Serialize(term, ApiJson.Options),
        }, transaction, cancellationToken: ct));
        return term;
    }

    public static async Task<IReadOnlyList<TermRevisionResponse>> HistoryAsync(NpgsqlConnection connection, Vocabulary vocabulary, string slug,
        int afterVersion, int limit, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(int Version, string Change, string? Editor, DateTime ChangedAt, string Snapshot)>(
            new CommandDefinition("""
                select r.version, r.change, e.name, r.changed_at, r.snapshot::text
                from term_revisions r
                left join editors e on e.id = r.editor_id
                where r.vocabulary = @vocabulary and r.slug = @slug and r.version > @afterVersion
                order by r.version
                limit @limit
                """, new { vocabulary = vocabulary.Name, slug, afterVersion, limit }, cancellationToken: ct));
        return rows.Select(r => new TermRevisionResponse(r.Version, r.Change, r.Editor, DateTime.SpecifyKind(r.ChangedAt, DateTimeKind.Utc),
            JsonSerializer.Deserialize<TermResponse>(r.Snapshot, ApiJson.Options)!)).ToList();
    }
}
