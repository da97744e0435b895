using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace EvidenceApi.Editors;

/// <summary>
/// API keys look like `evk_{editor id}_{secret}`: the id finds the editor's row, and the SHA-256 of the whole key
/// is compared in constant time with the stored hash. Only the hash is kept.
/// </summary>
public static class EditorKeys
{
    private const string Prefix = "evk_";

    public static string New(Guid editorId) =>
        $"{Prefix}{editorId:N}_{WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32))}";

    public static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    public static bool TryGetEditorId(string key, out Guid editorId)
    {
        editorId = default;
        return key.Length is > 40 and < 200 && key.StartsWith(Prefix, StringComparison.Ordinal) && key[36] == '_'
               && Guid.TryParseExact(key[Prefix.Length..36], "N", out editorId);
    }

    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
