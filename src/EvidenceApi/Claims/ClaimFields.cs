using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>The fields of a claim an editor writes, on create and on patch.</summary>
public interface IClaimFields
{
    string Quote { get; }
    TextPosition Position { get; }
    string Section { get; }
    IReadOnlyList<string> Conditions { get; }
    IReadOnlyList<string> Cannabinoids { get; }
    IReadOnlyList<AdministrationRoute>? Routes { get; }
    Population Population { get; }
    Comparator? Comparator { get; }
    string Effect { get; }
    string Outcome { get; }
    Direction Direction { get; }
    ClaimedStrength ClaimedStrength { get; }
}

/// <summary>Shape rules (400): sizes, formats, lists. What needs the database is <see cref="ClaimFieldChecks"/>.</summary>
public sealed class ClaimFieldsValidator : AbstractValidator<IClaimFields>
{
    public const int MaxQuoteLength = 5000;

    public ClaimFieldsValidator()
    {
        RuleFor(c => c.Quote).NotEmpty().MaximumLength(MaxQuoteLength);
        RuleFor(c => c.Position).NotNull();
        RuleFor(c => c.Position.Start).GreaterThanOrEqualTo(0).When(c => c.Position is not null).OverridePropertyName("position.start");
        RuleFor(c => c.Position.End).GreaterThan(c => c.Position.Start).When(c => c.Position is not null).OverridePropertyName("position.end");
        RuleFor(c => c.Section).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Conditions).NotEmpty().Must(l => l.Count <= 10).WithMessage("At most 10 conditions.");
        RuleForEach(c => c.Conditions).Matches("^[a-z0-9]+(-[a-z0-9]+)*$").MaximumLength(100);
        RuleFor(c => c.Cannabinoids).NotEmpty().Must(l => l.Count <= 10).WithMessage("At most 10 cannabinoids.");
        RuleForEach(c => c.Cannabinoids).Matches("^[a-z0-9]+(-[a-z0-9]+)*$").MaximumLength(100);
        RuleFor(c => c.Routes).Must(r => r is null || r.Count <= 5).WithMessage("At most 5 routes.");
        RuleFor(c => c.Population).IsInEnum();
        RuleFor(c => c.Comparator).IsInEnum();
        RuleFor(c => c.Effect).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Outcome).NotEmpty().Matches("^[a-z0-9]+(-[a-z0-9]+)*$").MaximumLength(100);
        RuleFor(c => c.Direction).IsInEnum();
        RuleFor(c => c.ClaimedStrength).IsInEnum();
    }
}

/// <summary>Rules that need the database (422): the quote is the source's text at its position, the vocabularies exist.</summary>
public static class ClaimFieldChecks
{
    public static async Task<ProblemHttpResult?> CheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        Vocabularies.VocabularyCache vocabularies, Guid sourceId, IClaimFields fields, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var text = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select text from sources where id = @sourceId", new { sourceId }, transaction, cancellationToken: ct));
        if (text is null)
        {
            errors["sourceId"] = [$"There is no source {sourceId}."];
        }
        else
        {
            var slice = TextPositions.Slice(text, fields.Position.Start, fields.Position.End);
            if (slice is null)
                errors["position"] = [$"The position is outside the source text ({TextPositions.Length(text)} code points)."];
            else if (slice != fields.Quote)
                errors["quote"] = [$"The quote is not the source's text at {fields.Position.Start}–{fields.Position.End}, which reads: \"{Shorten(slice)}\"."];
        }

        string[] conditions = [.. fields.Conditions], cannabinoids = [.. fields.Cannabinoids], outcomes = [fields.Outcome];
        var snapshot = await vocabularies.GetAsync(conditions, cannabinoids, outcomes, ct);
        var unknown = snapshot.UnknownErrors(conditions, cannabinoids, outcomes);
        foreach (var (field, messages) in unknown) errors[field == "outcome" ? "outcome" : field + "s"] = messages;

        return errors.Count == 0 ? null
            : Problems.CannotProcess("The claim cannot be accepted.", "The claim does not fit its source or the vocabularies.", errors);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
