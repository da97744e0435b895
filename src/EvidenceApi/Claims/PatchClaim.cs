using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Claims;

/// <summary>
/// A JSON merge patch (RFC 7396) of a claim's editable fields: give only what changes; `null` clears `comparator`.
/// Server-owned fields (id, source, status, overclaim, citations, openFlags, retired, version, timestamps) cannot be set.
/// </summary>
/// <param name="Quote">New quote; must equal the source text at the (new) position.</param>
/// <param name="Position">New code-point offsets.</param>
/// <param name="Section">Section heading.</param>
/// <param name="Conditions">Condition slugs (replaces the list).</param>
/// <param name="Cannabinoids">Cannabinoid slugs (replaces the list).</param>
/// <param name="Routes">Routes (replaces the list).</param>
/// <param name="Population">Population.</param>
/// <param name="Comparator">Comparator, or null for none.</param>
/// <param name="Effect">Effect phrase.</param>
/// <param name="Outcome">Outcome slug.</param>
/// <param name="Direction">Direction.</param>
/// <param name="ClaimedStrength">Claimed strength.</param>
/// <param name="EvidenceLevel">The editors' grade; above `insufficient` only once the claim has a citation.</param>
[RequestExample("""{ "effect": "reduces pain intensity", "comparator": "placebo", "evidenceLevel": "limited" }""")]
public sealed record PatchClaimRequest(
    string? Quote = null, TextPosition? Position = null, string? Section = null, IReadOnlyList<string>? Conditions = null,
    IReadOnlyList<string>? Cannabinoids = null, IReadOnlyList<AdministrationRoute>? Routes = null, string? Population = null,
    string? Comparator = null, string? Effect = null, string? Outcome = null, Direction? Direction = null,
    ClaimedStrength? ClaimedStrength = null, EvidenceLevel? EvidenceLevel = null);

/// <summary>A claim's editable state after a patch is merged into it.</summary>
public sealed record ClaimEdit(
    string Quote, TextPosition Position, string Section, IReadOnlyList<string> Conditions, IReadOnlyList<string> Cannabinoids,
    IReadOnlyList<AdministrationRoute> Routes, string Population, string? Comparator, string Effect, string Outcome,
    Direction Direction, ClaimedStrength ClaimedStrength, EvidenceLevel EvidenceLevel) : IClaimFields
{
    IReadOnlyList<AdministrationRoute>? IClaimFields.Routes => Routes;

    public static ClaimEdit From(ClaimResponse c) => new(c.Quote, c.Position, c.Section, c.Conditions, c.Cannabinoids, c.Routes,
        c.Population, c.Comparator, c.Effect, c.Outcome, c.Direction, c.ClaimedStrength, c.EvidenceLevel);

    public bool SameAs(ClaimEdit other) =>
        JsonSerializer.Serialize(this, ApiJson.Options) == JsonSerializer.Serialize(other, ApiJson.Options);
}

public sealed class ClaimEditValidator : AbstractValidator<ClaimEdit>
{
    public ClaimEditValidator()
    {
        Include(new ClaimFieldsValidator());
        RuleFor(c => c.EvidenceLevel).IsInEnum();
    }
}

public static class PatchClaim
{
    private static readonly HashSet<string> Editable = typeof(PatchClaimRequest).GetProperties()
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();

    private static readonly HashSet<string> ServerOwned = typeof(ClaimResponse).GetProperties()
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Where(n => !Editable.Contains(n)).ToHashSet();

    public static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, [FromBody] JsonElement patch, NpgsqlDataSource dataSource, IValidator<ClaimEdit> validator, HttpContext http, CancellationToken ct)
    {
        Dictionary<string, string[]> shapeErrors;
        try
        {
            shapeErrors = CheckShape(patch);
        }
        catch (InvalidOperationException)
        {
            shapeErrors = new() { ["body"] = ["The patch must be valid Unicode text (no invalid UTF-8, no lone surrogate escapes such as \\ud800)."] };
        }
        if (shapeErrors.Count > 0) return Problems.Validation(shapeErrors, "The patch is not valid.");

        return await ClaimChange.RunAsync(http, dataSource, id,
            async change =>
            {
                var current = await change.ReadClaimAsync();
                ClaimEdit edit;
                try
                {
                    edit = Merge(ClaimEdit.From(current), patch);
                }
                catch (JsonException e)
                {
                    return ClaimChangeStep.Refuse(Problems.InvalidField(e.Path?.TrimStart('$', '.') ?? "body", ProblemText.WithoutPositions(e.Message),
                        "The patch is not valid."));
                }
                var validation = await validator.ValidateAsync(edit, ct);
                if (!validation.IsValid) return ClaimChangeStep.Refuse(Problems.Validation(validation.ToDictionary(), "The patch is not valid."));
                if (edit.SameAs(ClaimEdit.From(current))) return ClaimChangeStep.Unchanged;

                var problem = await ClaimFieldChecks.CheckAsync(change.Connection, change.Transaction, current.Source.Id, edit, ClaimEdit.From(current), ct)
                              ?? CheckGrade(edit.EvidenceLevel, current.Citations.Count);
                if (problem is not null) return ClaimChangeStep.Refuse(problem);

                await change.ExecuteAsync("""
                    update claims
                    set quote = @Quote, position_start = @start, position_end = @end, section = @Section, routes = @routes,
                        population = @population, comparator = @comparator, effect = @Effect, outcome = @Outcome,
                        direction = @direction, claimed_strength = @claimedStrength, evidence_level = @evidenceLevel
                    where id = @id;
                    delete from claim_conditions where claim_id = @id;
                    insert into claim_conditions (claim_id, condition_slug) select @id, unnest(@conditions);
                    delete from claim_cannabinoids where claim_id = @id;
                    insert into claim_cannabinoids (claim_id, cannabinoid_slug) select @id, unnest(@cannabinoids);
                    """,
                    new
                    {
                        id,
                        edit.Quote,
                        start = edit.Position.Start,
                        end = edit.Position.End,
                        edit.Section,
                        routes = edit.Routes.Distinct().Select(Slugs.Of).ToArray(),
                        population = edit.Population,
                        comparator = edit.Comparator,
                        edit.Effect,
                        edit.Outcome,
                        direction = Slugs.Of(edit.Direction),
                        claimedStrength = Slugs.Of(edit.ClaimedStrength),
                        evidenceLevel = Slugs.Of(edit.EvidenceLevel),
                        conditions = edit.Conditions.Distinct().ToArray(),
                        cannabinoids = edit.Cannabinoids.Distinct().ToArray(),
                    });
                return ClaimChangeStep.Done((edit with { EvidenceLevel = current.EvidenceLevel }).SameAs(ClaimEdit.From(current)) ? "graded" : "updated");
            },
            (_, claim) => Task.FromResult(TypedResults.Ok(claim)), ct);
    }

    /// <summary>An uncited claim has no evidence to grade: it may be at most `insufficient`.</summary>
    public static ProblemHttpResult? CheckGrade(EvidenceLevel level, int citations) =>
        citations == 0 && level is not (EvidenceLevel.Unassessed or EvidenceLevel.Insufficient)
            ? Problems.CannotProcess("Evidence level needs a citation.",
                $"A claim with no citation cannot be graded above `insufficient`: cite the evidence first, then grade it `{Slugs.Of(level)}`.",
                "evidenceLevel", "Needs a citation first.")
            : null;

    private static Dictionary<string, string[]> CheckShape(JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
            return new() { ["body"] = ["A merge patch is a JSON object of the fields to change."] };
        ReadEveryString(patch);
        var errors = new Dictionary<string, string[]>();
        // at most 10 named, so that a large patch cannot make a much larger answer
        foreach (var property in patch.EnumerateObject().Take(10 + Editable.Count))
        {
            if (errors.Count == 10) break;
            if (ServerOwned.Contains(property.Name))
                errors[property.Name] = [$"'{property.Name}' is set by the server and cannot be changed."];
            else if (!Editable.Contains(property.Name))
                errors[property.Name] = [$"'{property.Name}' is not a field of a claim. Editable fields: {string.Join(", ", Editable)}."];
        }
        return errors;
    }

    /// <summary>Reads every name and string of the patch, which throws <see cref="InvalidOperationException"/> on text that is
    /// not Unicode (invalid UTF-8, a lone surrogate escape): the element was parsed without decoding them.</summary>
    private static void ReadEveryString(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) ReadEveryString(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadEveryString(property.Value);
                }
                break;
        }
    }

    internal static ClaimEdit Merge(ClaimEdit current, JsonElement patch)
    {
        var merged = JsonSerializer.SerializeToNode(current, ApiJson.Options)!.AsObject();
        MergeInto(merged, patch);
        return merged.Deserialize<ClaimEdit>(ApiJson.Options) ?? throw new JsonException("The patch is empty.");
    }

    /// <summary>RFC 7396: an object merges into the object it replaces, member by member; anything else replaces.</summary>
    private static void MergeInto(JsonObject target, JsonElement patch)
    {
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object && target[property.Name] is JsonObject inner) MergeInto(inner, property.Value);
            else target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
    }
}
