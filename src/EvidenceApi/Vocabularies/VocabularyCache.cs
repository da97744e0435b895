using System.Text;
using System.Text.Json;
using Dapper;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Vocabularies;

/// <summary>
/// Every vocabulary's terms as claim filters need them (slugs, hierarchy, codes, names), held in memory so that widening
/// a filter or finding a synonym costs no more than reading one number. Each use reads `vocabulary_version`, which every
/// change to a term bumps (db/migrations/0008), and reloads when it differs: a request never sees terms older than its
/// own view of the database, and each instance stays stateless.
/// </summary>
public sealed class VocabularyCache
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile VocabularySnapshot? _snapshot;

    /// <summary>
    /// The terms last loaded, without asking whether they are current: enough to check that a slug exists (slugs are
    /// never deleted), not for anything a term's edits change (hierarchy, codes, synonyms). Null before the first load.
    /// </summary>
    public VocabularySnapshot? Loaded => _snapshot;

    public async Task<VocabularySnapshot> GetAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select version from vocabulary_version", cancellationToken: ct));
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Version >= version) return snapshot;

        // One load at a time, on the connection the request already holds: a burst of requests after a change to a term
        // waits for one load instead of each taking a second connection from the pool for its own.
        await _loading.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            if (snapshot is null || snapshot.Version < version) _snapshot = snapshot = await LoadAsync(connection, ct);
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private static async Task<VocabularySnapshot> LoadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // one snapshot of the database for the version and every vocabulary
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select version from vocabulary_version", transaction: transaction, cancellationToken: ct));
        var terms = new Dictionary<Vocabulary, IReadOnlyList<CachedTerm>>();
        foreach (var vocabulary in Vocabulary.All)
        {
            var rows = await connection.QueryAsync<TermRow>(
                new CommandDefinition($"select slug, label, synonyms, broader, codings::text as codings, retired_at is not null as retired from {vocabulary.Name}",
                    transaction: transaction, cancellationToken: ct));
            terms[vocabulary] = rows.Select(r => new CachedTerm(r.Slug, r.Label, r.Synonyms, r.Broader,
                JsonSerializer.Deserialize<Coding[]>(r.Codings, ApiJson.Options) ?? [], r.Retired)).ToList();
        }
        await transaction.CommitAsync(ct);
        return new VocabularySnapshot(version, terms);
    }

    private sealed class TermRow
    {
        public string Slug { get; init; } = "";
        public string Label { get; init; } = "";
        public string[] Synonyms { get; init; } = [];
        public string[] Broader { get; init; } = [];
        public string Codings { get; init; } = "[]";
        public bool Retired { get; init; }
    }
}

public sealed record CachedTerm(string Slug, string Label, string[] Synonyms, string[] Broader, Coding[] Codings, bool Retired);

/// <summary>The terms of every vocabulary at one version of them.</summary>
public sealed class VocabularySnapshot
{
    private readonly Dictionary<Vocabulary, Dictionary<string, CachedTerm>> _terms;
    private readonly Dictionary<Vocabulary, ILookup<string, string>> _narrower;
    private readonly Dictionary<(Vocabulary, string System, string Code), string[]> _codes;
    // synonyms of the hierarchical vocabularies' terms, normalised, longest first
    private readonly List<(string Name, Vocabulary Vocabulary, string Slug)> _names;

    public long Version { get; }

    public VocabularySnapshot(long version, IReadOnlyDictionary<Vocabulary, IReadOnlyList<CachedTerm>> terms)
    {
        Version = version;
        _terms = terms.ToDictionary(t => t.Key, t => t.Value.ToDictionary(term => term.Slug));
        _narrower = terms.ToDictionary(t => t.Key, t => t.Value.SelectMany(term => term.Broader.Select(b => (Broader: b, term.Slug)))
            .ToLookup(p => p.Broader, p => p.Slug));
        _codes = terms.SelectMany(t => t.Value.SelectMany(term => term.Codings.Select(c => (Key: (t.Key, c.System, c.Code), term.Slug))))
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => p.Slug).Order(StringComparer.Ordinal).ToArray());
        _names = terms.Where(t => t.Key.Hierarchical)
            .SelectMany(t => t.Value.SelectMany(term => term.Synonyms.Select(n => (Name: Normalise(n), t.Key, term.Slug))))
            .Where(n => n.Name.Length > 0).Distinct().OrderByDescending(n => n.Name.Length).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    public bool Contains(Vocabulary vocabulary, string slug) => _terms[vocabulary].ContainsKey(slug);

    /// <summary>The terms of a vocabulary that are not retired.</summary>
    public IEnumerable<CachedTerm> Terms(Vocabulary vocabulary) => _terms[vocabulary].Values.Where(t => !t.Retired);

    /// <summary>Every term above <paramref name="slug"/>, by every path.</summary>
    public HashSet<string> Ancestors(Vocabulary vocabulary, string slug)
    {
        var all = new HashSet<string>();
        var pending = new Stack<string>(_terms[vocabulary].TryGetValue(slug, out var term) ? term.Broader : []);
        while (pending.TryPop(out var broader))
            if (all.Add(broader) && _terms[vocabulary].TryGetValue(broader, out var above))
                foreach (var next in above.Broader) pending.Push(next);
        return all;
    }

    /// <summary>
    /// The slugs that filter <paramref name="values"/> (slugs, or codes as `prefix:code`, e.g. `mesh:D005356`) mean, widened to
    /// every narrower term when asked and the vocabulary is hierarchical; an error per value that names nothing.
    /// </summary>
    public string[] Resolve(Vocabulary vocabulary, string[] values, bool includeNarrower, List<string> errors)
    {
        var slugs = new List<string>();
        foreach (var value in values)
        {
            if (CodeSystems.TryParseReference(value, out var system, out var code))
            {
                if (_codes.TryGetValue((vocabulary, system.Uri, code), out var coded)) slugs.AddRange(coded);
                else errors.Add($"No {vocabulary.Singular} has the {system.Name} code '{code}'; see GET /v1/{vocabulary.Name}.");
            }
            else if (_terms[vocabulary].ContainsKey(value)) slugs.Add(value);
            else errors.Add($"'{value}' is not a known {vocabulary.Singular}; see GET /v1/{vocabulary.Name}.");
        }
        return includeNarrower && vocabulary.Hierarchical ? WithNarrower(vocabulary, slugs) : slugs.Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The terms and every term beneath them, by every path.</summary>
    public string[] WithNarrower(Vocabulary vocabulary, IEnumerable<string> slugs)
    {
        var all = new HashSet<string>();
        var pending = new Stack<string>(slugs);
        while (pending.TryPop(out var slug))
            if (all.Add(slug))
                foreach (var child in _narrower[vocabulary][slug]) pending.Push(child);
        return all.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The condition and intervention terms a search names by a synonym (as whole words; a label is a word the claims use anyway), each widened to its
    /// narrower terms, and the words of the search left over once those names are taken out. Null when it names none, or
    /// when it uses exclusions or `or`, whose meaning a substitution could turn around.
    /// </summary>
    public SearchTerms? TermsNamedIn(string query)
    {
        var words = query.Replace("\"", " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(w => w.StartsWith('-') || w.Equals("or", StringComparison.OrdinalIgnoreCase))) return null;
        var normalised = " " + Normalise(query) + " ";
        var rest = normalised;
        var named = new List<(Vocabulary Vocabulary, string Slug)>();
        foreach (var (name, vocabulary, slug) in _names)
        {
            var padded = " " + name + " ";
            // every vocabulary that has the name gets it, whatever another took first
            if (!normalised.Contains(padded, StringComparison.Ordinal)) continue;
            named.Add((vocabulary, slug));
            while (rest.Contains(padded, StringComparison.Ordinal)) rest = rest.Replace(padded, "  ", StringComparison.Ordinal);
        }
        if (named.Count == 0) return null;
        string[]? Of(Vocabulary v) => named.Any(n => n.Vocabulary == v) ? WithNarrower(v, named.Where(n => n.Vocabulary == v).Select(n => n.Slug)) : null;
        var left = string.Join(' ', rest.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return new SearchTerms(Of(Vocabulary.Conditions), Of(Vocabulary.Interventions), left.Length == 0 ? null : left);
    }

    /// <summary>Lower case, and every run of characters other than letters and digits one space.</summary>
    public static string Normalise(string text)
    {
        var normalised = new StringBuilder(text.Length);
        // compatibility forms fold (fullwidth letters, ligatures), so that look-alike names compare equal
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c)) normalised.Append(char.ToLowerInvariant(c));
            else if (normalised.Length > 0 && normalised[^1] != ' ') normalised.Append(' ');
        }
        return normalised.ToString().TrimEnd();
    }
}

/// <summary>What a search names: claims tagged with these terms match it when they also contain <see cref="Rest"/>.</summary>
public sealed record SearchTerms(string[]? Conditions, string[]? Interventions, string? Rest);
