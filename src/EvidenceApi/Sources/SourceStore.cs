using Dapper;
using Npgsql;

namespace EvidenceApi.Sources;

/// <summary>Reads sources.</summary>
public static class SourceStore
{
    public const string SummaryColumns = """
        s.id, s.title, s.url, s.doi, s.publisher, s.authors, s.published_on, s.kind, s.format, s.sha256,
        char_length(s.text) as length, (select count(*)::int from claims c where c.source_id = s.id) as claim_count,
        s.retired_at, s.retired_reason, s.version, s.created_at, s.updated_at, s.sections::text as sections
        """;

    internal static Task<SourceRow?> GetAsync(NpgsqlConnection connection, Guid id, bool withText, CancellationToken ct,
        NpgsqlTransaction? transaction = null, bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<SourceRow>(new CommandDefinition($"""
            select {SummaryColumns}{(withText ? ", s.text" : "")} from sources s where s.id = @id {(forUpdate ? "for update" : "")}
            """, new { id }, transaction, cancellationToken: ct));

    /// <summary>Writes the revision for a source's current version: its metadata as GET shows it.</summary>
    public static async Task<SourceSummary> RecordRevisionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id,
        string change, Guid? editorId, CancellationToken ct)
    {
        var source = (await GetAsync(connection, id, false, ct, transaction))!.ToSummary();
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into source_revisions (source_id, version, change, editor_id, changed_at, snapshot)
            values (@id, @Version, @change, @editorId, @UpdatedAt, @snapshot::jsonb)
            """, new
        {
            id,
            source.Version,
            change,
            editorId,
            source.UpdatedAt,
            snapshot = System.Text.Json.JsonSerializer.Serialize(source, Infrastructure.ApiJson.Options)
        },
            transaction, cancellationToken: ct));
        return source;
    }
}
