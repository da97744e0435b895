using EvidenceApi.Editors;
using EvidenceApi.Infrastructure;
using Npgsql;

namespace EvidenceApi.Cli;

/// <summary>
/// One-shot commands that share the API's configuration:
/// `migrate`, `editors add &lt;name&gt; [--role editor|admin]`, `editors revoke &lt;name&gt;`, `seed-synthetic --claims N [--seed S]`.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["migrate", "editors", "sources", "seed-synthetic", "evaluate-extraction", "help", "--help", "-h"];

    private const string Usage = """
        EvidenceApi — the evidence catalogue's API server and its commands.

        Usage:
          EvidenceApi [--urls http://127.0.0.1:5080]            run the API (migrates and seeds the database first)
          EvidenceApi migrate                                   apply migrations and the seed, then exit
          EvidenceApi editors add <name> [--role editor|admin]  create an editor; the key is the last line printed
          EvidenceApi editors revoke <name>                     revoke an editor's key at once
          EvidenceApi sources add --title T [--url U] [--kind K] --file F.(txt|md|html)
                                                                add a source and propose its candidate claims; prints
                                                                its id and the number of candidates
          EvidenceApi seed-synthetic --claims N [--seed S]      add N deterministic synthetic claims (load tests)
          EvidenceApi evaluate-extraction [--details]           extract the seed article's claims as if it were new and
                                                                compare with the curated ones (exit 1 below the targets);
                                                                --details lists every miss and disagreement
          EvidenceApi help                                      print this

        The database is `ConnectionStrings__Evidence` (e.g. "Host=127.0.0.1;Port=55432;Username=postgres;Database=evidence").
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return 0;
        }
        try
        {
            return await RunCommandAsync(app, args);
        }
        catch (Exception e) when (e is InvalidOperationException && e.Message.StartsWith("Connection string"))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (DatabaseUnavailableExceptionHandler.IsUnavailable(e) || e is NpgsqlException)
        {
            var target = new NpgsqlConnectionStringBuilder(app.Configuration.GetConnectionString(Database.ConnectionStringName));
            Console.Error.WriteLine(e is PostgresException refused
                ? $"error: the server at {target.Host}:{target.Port} refused: {refused.MessageText} ({refused.SqlState})."
                : $"error: cannot reach the database at {target.Host}:{target.Port} ({e.Message.Split('\n')[0]}).");
            return 3;
        }
    }

    private static async Task<int> RunCommandAsync(WebApplication app, string[] args)
    {
        var services = app.Services;
        var ct = CancellationToken.None;
        await DatabaseStartup.MigrateAndSeedAsync(services.GetRequiredService<MigrationRunner>(),
            services.GetServices<IDatabaseSeed>(), app.Configuration, ct);
        if (args[0] == "migrate")
        {
            Console.WriteLine("Database is up to date.");
            return 0;
        }
        if (args[0] == "seed-synthetic") return await SeedSyntheticAsync(app, args[1..], ct);

        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        if (args[0] == "sources") return await AddSourceAsync(services, connection, args[1..], ct);
        if (args[0] == "evaluate-extraction")
        {
            var vocabularies = await services.GetRequiredService<Vocabularies.VocabularyCache>().GetAsync(connection, ct);
            var evaluation = Candidates.ExtractionEvaluation.Run(Path.Combine(Database.DbFolder(app.Configuration), "seed"), vocabularies);
            Console.WriteLine(evaluation.Table());
            if (args.Contains("--details")) foreach (var line in evaluation.Disagreements) Console.WriteLine(line);
            return evaluation.MeetsTargets ? 0 : 1;
        }
        switch (args.Skip(1).ToArray())
        {
            case ["add", var name, .. var options] when TryParseRole(options, out var role):
                var created = await EditorStore.AddAsync(connection, name, role, ct);
                if (created is null)
                {
                    Console.Error.WriteLine($"There is already an editor named {name}.");
                    return 1;
                }
                Console.WriteLine($"Created {Slugs.Of(role)} {name} ({created.Editor.Id}). Their API key, shown only now:");
                Console.WriteLine(created.Key);
                return 0;
            case ["revoke", var name]:
                var revoked = await EditorStore.RevokeAsync(connection, name, ct);
                Console.WriteLine(revoked is null ? $"There is no editor named {name}." : $"Revoked the key of {name}.");
                return revoked is null ? 1 : 0;
            default:
                Console.Error.WriteLine("Usage: EvidenceApi editors add <name> [--role editor|admin] | editors revoke <name>");
                return 2;
        }
    }

    private static async Task<int> AddSourceAsync(IServiceProvider services, NpgsqlConnection connection, string[] args, CancellationToken ct)
    {
        const string usage = "Usage: EvidenceApi sources add --title T [--url U] [--kind news|blog|marketing|review|report|other] --file F.(txt|md|html)";
        var options = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2) options[args[i]] = args[i + 1];
        if (args.Length == 0 || args[0] != "add" || args.Length % 2 != 1 || !options.TryGetValue("--title", out var title)
            || !options.TryGetValue("--file", out var file) || options.Keys.Except(["--title", "--url", "--kind", "--file"]).Any()
            || !Slugs.TryParse(options.GetValueOrDefault("--kind", "other"), out Sources.SourceKind kind))
        {
            Console.Error.WriteLine(usage);
            return 2;
        }
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"error: there is no file {file}.");
            return 2;
        }
        var bytes = await File.ReadAllBytesAsync(file, ct);
        string content;
        try
        {
            content = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (System.Text.DecoderFallbackException)
        {
            Console.Error.WriteLine($"error: {file} is not UTF-8 text.");
            return 1;
        }
        var request = new Sources.AddSourceRequest(title, Sources.AddSource.FormatOf(file), content, kind, options.GetValueOrDefault("--url"));
        var validation = await services.GetRequiredService<FluentValidation.IValidator<Sources.AddSourceRequest>>().ValidateAsync(request, ct);
        if (bytes.Length > Sources.AddSource.MaxContentBytes || !validation.IsValid)
        {
            Console.Error.WriteLine(bytes.Length > Sources.AddSource.MaxContentBytes
                ? $"error: {file} is over {Sources.AddSource.MaxContentBytes:N0} bytes."
                : "error: " + string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
            return 1;
        }
        var (document, problem) = Sources.SourceDocument.TryRead(content, request.Format);
        if (document is null)
        {
            Console.Error.WriteLine($"error: {file}: {problem}");
            return 1;
        }
        var extracted = Candidates.ClaimExtractor.For(await services.GetRequiredService<Vocabularies.VocabularyCache>().GetAsync(connection, ct))
            .Extract(document);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (id, added) = await Sources.AddSource.StoreAsync(connection, transaction, request, document, extracted, null, ct);
        if (added is null)
        {
            Console.Error.WriteLine($"Source {id} has this very text; nothing was stored.");
            return 1;
        }
        await transaction.CommitAsync(ct);
        Console.WriteLine($"Added source {id} with {added.CandidateCount} candidate claims (GET /v1/sources/{id}/candidates).");
        Console.WriteLine(id);
        return 0;
    }

    private static async Task<int> SeedSyntheticAsync(WebApplication app, string[] args, CancellationToken ct)
    {
        int? claims = null;
        var seed = 1;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--claims" && int.TryParse(args[i + 1], out var n) && n > 0) claims = n;
            else if (args[i] == "--seed" && int.TryParse(args[i + 1], out var s)) seed = s;
            else claims = null;
        }
        if (claims is null || args.Length % 2 != 0)
        {
            Console.Error.WriteLine("Usage: EvidenceApi seed-synthetic --claims N [--seed S]");
            return 2;
        }
        var took = await new Synthetic.SyntheticLoader(app.Services.GetRequiredKeyedService<NpgsqlDataSource>(Database.Maintenance),
            app.Services.GetRequiredService<ILogger<Synthetic.SyntheticLoader>>()).LoadAsync(claims.Value, seed, ct);
        Console.WriteLine($"Loaded {claims} synthetic claims (seed {seed}) in {took.TotalSeconds:F1} s.");
        return 0;
    }

    private static bool TryParseRole(string[] options, out EditorRole role)
    {
        role = EditorRole.Editor;
        return options switch
        {
            [] => true,
            ["--role", var value] => Slugs.TryParse(value, out role),
            _ => false,
        };
    }
}
