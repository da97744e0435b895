using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Citations;

/// <summary>A citation for a claim.</summary>
/// <param name="Kind">doi, pmid or url.</param>
/// <param name="Identifier">The DOI (`10.NNNN/...`, a doi.org link is accepted), PMID (digits) or absolute http(s) URL.</param>
/// <param name="Title">Title of the cited work.</param>
/// <param name="Year">Year of publication.</param>
/// <param name="Stance">supports, refutes, mixed or background.</param>
/// <param name="Grade">The grade the cited work itself gives, if any.</param>
/// <param name="Note">Editor's note.</param>
[RequestExample("""
    {
      "kind": "doi",
      "identifier": "10.1001/jama.2015.6358",
      "title": "Cannabinoids for Medical Use: A Systematic Review and Meta-analysis",
      "year": 2015,
      "stance": "mixed",
      "grade": { "scheme": "grade", "value": "moderate" },
      "note": "Moderate-quality evidence for chronic neuropathic pain; not specific to cancer pain."
    }
    """)]
public sealed record AddCitationRequest(CitationKind Kind, string Identifier, string Title, int Year, Stance Stance,
    CitationGrade? Grade = null, string? Note = null);

public sealed class AddCitationRequestValidator : AbstractValidator<AddCitationRequest>
{
    private static readonly string[] NasemGrades = ["conclusive", "substantial", "moderate", "limited", "insufficient"];
    private static readonly string[] GradeGrades = ["high", "moderate", "low", "very-low"];

    public AddCitationRequestValidator()
    {
        RuleFor(c => c.Kind).IsInEnum();
        RuleFor(c => c.Identifier).NotEmpty().MaximumLength(2000)
            .Must((c, id) => CitationIdentifiers.Normalise(c.Kind, id) is not null)
            .WithMessage(c => $"'{c.Identifier}' is not {CitationIdentifiers.Expected(c.Kind)}.");
        RuleFor(c => c.Title).NotEmpty().MaximumLength(1000);
        RuleFor(c => c.Year).InclusiveBetween(1600, DateTime.UtcNow.Year + 1);
        RuleFor(c => c.Stance).IsInEnum();
        RuleFor(c => c.Note).MaximumLength(4000);
        When(c => c.Grade is not null, () =>
        {
            RuleFor(c => c.Grade!.Scheme).IsInEnum().OverridePropertyName("grade.scheme");
            RuleFor(c => c.Grade!.Value)
                .Must((c, value) => (c.Grade!.Scheme == GradeScheme.Nasem2017 ? NasemGrades : GradeGrades).Contains(value))
                .WithMessage(c => $"Allowed values for {Slugs.Of(c.Grade!.Scheme)}: " +
                                  string.Join(", ", c.Grade!.Scheme == GradeScheme.Nasem2017 ? NasemGrades : GradeGrades) + ".")
                .OverridePropertyName("grade.value");
        });
    }
}

public static class AddCitation
{
    public static Task<Results<Created<CitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, AddCitationRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        var identifier = CitationIdentifiers.Normalise(request.Kind, request.Identifier)!;
        var citationId = Guid.CreateVersion7();
        return ClaimChange.RunAsync(http, dataSource, id,
            async change =>
            {
                // The partial unique index refuses a second live citation of the same identifier, whatever its case.
                var inserted = await change.ExecuteAsync("""
                    insert into citations (id, claim_id, kind, identifier, title, year, stance, grade_scheme, grade_value, note, added_by)
                    values (@citationId, @ClaimId, @kind, @identifier, @Title, @Year, @stance, @gradeScheme, @gradeValue, @Note, @EditorId)
                    on conflict (claim_id, kind, lower(identifier)) where removed_at is null do nothing
                    """,
                    new
                    {
                        citationId,
                        change.ClaimId,
                        kind = Slugs.Of(request.Kind),
                        identifier,
                        request.Title,
                        request.Year,
                        stance = Slugs.Of(request.Stance),
                        gradeScheme = request.Grade is null ? null : Slugs.Of(request.Grade.Scheme),
                        gradeValue = request.Grade?.Value,
                        request.Note,
                        change.EditorId,
                    });
                return inserted == 0
                    ? ClaimChangeStep.Refuse(Problems.Conflict("Duplicate citation.", $"The claim already cites {Slugs.Of(request.Kind)} {identifier}."))
                    : ClaimChangeStep.Done("cited", citationDelta: 1, detail: new
                    {
                        citation = new { id = citationId, kind = request.Kind, identifier, request.Title, request.Year, stance = request.Stance },
                    });
            },
            (_, claim) => Task.FromResult(TypedResults.Created($"/v1/claims/{id}/citations/{citationId}",
                claim.Citations.Single(c => c.Id == citationId))), ct);
    }
}
