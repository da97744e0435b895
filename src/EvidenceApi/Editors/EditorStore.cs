using Dapper;
using Npgsql;

namespace EvidenceApi.Editors;

public enum EditorRole { Editor, Admin }

/// <summary>An editor as the API shows it; the key is never shown again after creation.</summary>
/// <param name="Id">Editor id.</param>
/// <param name="Name">Unique name (letters, digits, dot, dash, underscore).</param>
/// <param name="Role">editor (cite, grade, flag, edit claims) or admin (also manages editors).</param>
/// <param name="CreatedAt">When the editor was added (UTC).</param>
/// <param name="RevokedAt">When the key was revoked (UTC); null while it is valid.</param>
public sealed record EditorResponse(Guid Id, string Name, EditorRole Role, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>A new editor and their key. Store the key now: it is never stored or shown again.</summary>
/// <param name="Editor">The editor.</param>
/// <param name="Key">The API key, shown this once. Send it as `Authorization: Bearer {key}`. Null in an idempotent replay
/// (`Idempotent-Replayed: true`) of the request that created the editor.</param>
/// <param name="KeyNotice">What to do with the key, or why a replay does not show it.</param>
public sealed record CreatedEditorResponse(EditorResponse Editor, string? Key, string KeyNotice)
{
    public const string ShownOnce = "Store this key now: only its hash is kept, and it is never shown again.";

    public const string NotReplayed = "This is a replay of the request that created the editor. The key was shown only in the " +
                                      "first response and is not stored; if it was lost, revoke this editor and add a new one.";

    /// <summary>What an idempotent replay returns: everything but the key.</summary>
    public CreatedEditorResponse WithoutKey() => this with { Key = null, KeyNotice = NotReplayed };
}

public static class EditorStore
{
    private const string Columns = "id, name, role, created_at, revoked_at";

    public static async Task<CreatedEditorResponse?> AddAsync(NpgsqlConnection connection, string name, EditorRole role,
        CancellationToken ct, NpgsqlTransaction? transaction = null)
    {
        var id = Guid.CreateVersion7();
        var key = EditorKeys.New(id);
        // A taken name inserts nothing: the caller answers 409.
        var row = await connection.QuerySingleOrDefaultAsync<EditorRow>(new CommandDefinition($"""
            insert into editors (id, name, role, key_hash) values (@id, @name, @role, @hash)
            on conflict (name) do nothing
            returning {Columns}
            """, new { id, name, role = Infrastructure.Slugs.Of(role), hash = EditorKeys.Hash(key) }, transaction, cancellationToken: ct));
        return row is null ? null : new CreatedEditorResponse(row.ToResponse(), key, CreatedEditorResponse.ShownOnce);
    }

    public static async Task<EditorResponse?> RevokeAsync(NpgsqlConnection connection, string name, CancellationToken ct,
        NpgsqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<EditorRow>(new CommandDefinition($"""
            update editors set revoked_at = coalesce(revoked_at, now()) where name = @name returning {Columns}
            """, new { name }, transaction, cancellationToken: ct));
        return row?.ToResponse();
    }

    public static async Task<IReadOnlyList<EditorResponse>> ListAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (await connection.QueryAsync<EditorRow>(new CommandDefinition($"select {Columns} from editors order by name", cancellationToken: ct)))
        .Select(r => r.ToResponse()).ToList();

    public static async Task<EditorResponse?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken ct,
        NpgsqlTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<EditorRow>(new CommandDefinition(
            $"select {Columns} from editors where id = @id", new { id }, transaction, cancellationToken: ct)))?.ToResponse();

    private sealed class EditorRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? RevokedAt { get; init; }

        public EditorResponse ToResponse() => new(Id, Name, Infrastructure.Slugs.Parse<EditorRole>(Role), CreatedAt, RevokedAt);
    }
}
