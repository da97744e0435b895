using Dapper;
using EvidenceApi.Claims;
using EvidenceApi.Findings;
using EvidenceApi.Infrastructure;
using EvidenceApi.Vocabularies;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EvidenceApi.Citations;

/// <summary>A citation for a claim: either the cited work's fields, or `findingId` alone (with an optional stance and note),
/// which fills identifier, title, year, stance and grade from that finding.</summary>
/// <param name="Kind">doi, pmid or url.</param>
/// <param name="Identifier">The DOI (`10.NNNN/...`, a doi.org link is accepted), PMID (digits) or absolute http(s) URL.</param>
/// <param name="Title">Title of the cited work.</param>
/// <param name="Year">Year of publication.</param>
/// <param name="Stance">supports, refutes, mixed or background. From a finding: by default the stance its suggestion gives
/// (GET /v1/claims/{id}/suggestions).</param>
/// <param name="Grade">The grade the cited work itself gives, if any.</param>
/// <param name="Note">Editor's note. From a finding: by default its locator and statement.</param>
/// <param name="FindingId">Cite this finding (GET /v1/findings): its synthesis's DOI, title and year, and its level as the grade.</param>
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
public sealed record AddCitationRequest(CitationKind? Kind = null, string? Identifier = null, string? Title = null, int? Year = null,
    Stance? Stance = null, CitationGrade? Grade = null, string? Note = null, Guid? FindingId = null);

public sealed class AddCitationRequestValidator : AbstractValidator<AddCitationRequest>
{
    private const string FromFinding = "Comes from the finding; leave it out when citing with `findingId`.";

    public AddCitationRequestValidator()
    {
        When(c => c.FindingId is null, () =>
        {
            RuleFor(c => c.Kind).NotNull().IsInEnum();
            RuleFor(c => c.Identifier).NotEmpty().MaximumLength(2000)
                .Must((c, id) => c.Kind is null || CitationIdentifiers.Normalise(c.Kind.Value, id!) is not null)
                .WithMessage(c => $"'{c.Identifier}' is not {CitationIdentifiers.Expected(c.Kind!.Value)}.");
            RuleFor(c => c.Title).NotEmpty().MaximumLength(1000);
            RuleFor(c => c.Year).NotNull().InclusiveBetween(1600, DateTime.UtcNow.Year + 1);
            RuleFor(c => c.Stance).NotNull();
        }).Otherwise(() =>
        {
            RuleFor(c => c.Kind).Null().WithMessage(FromFinding);
            RuleFor(c => c.Identifier).Null().WithMessage(FromFinding);
            RuleFor(c => c.Title).Null().WithMessage(FromFinding);
            RuleFor(c => c.Year).Null().WithMessage(FromFinding);
            RuleFor(c => c.Grade).Null().WithMessage(FromFinding);
        });
        RuleFor(c => c.Stance).IsInEnum();
        RuleFor(c => c.Note).MaximumLength(4000);
        When(c => c.Grade is not null, () =>
        {
            RuleFor(c => c.Grade!.Scheme).IsInEnum().OverridePropertyName("grade.scheme");
            RuleFor(c => c.Grade!.Value).MustBeValueOf(c => c.Grade!.Scheme).OverridePropertyName("grade.value");
        });
    }
}

public static class AddCitation
{
    private sealed record CitedWork(CitationKind Kind, string Identifier, string Title, int Year, Stance Stance, CitationGrade? Grade,
        string? Note, Guid? FindingId);

    public static Task<Results<Created<CitationResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, AddCitationRequest request, NpgsqlDataSource dataSource, VocabularyCache vocabularies, HttpContext http, CancellationToken ct)
    {
        var citationId = Guid.CreateVersion7();
        return ClaimChange.RunAsync(http, dataSource, id,
            async change =>
            {
                var work = request.FindingId is { } findingId ? await FromFindingAsync(change, vocabularies, findingId, request)
                    : new CitedWork(request.Kind!.Value, CitationIdentifiers.Normalise(request.Kind.Value, request.Identifier!)!, request.Title!,
                        request.Year!.Value, request.Stance!.Value, request.Grade, request.Note, null);
                if (work is null)
                    return ClaimChangeStep.Refuse(Problems.CannotProcess("Unknown finding.", $"There is no finding {request.FindingId} that can be cited.",
                        "findingId", "No finding has this id, or it is retired (GET /v1/findings)."));
                // Partial unique indexes refuse a second live citation of the same identifier (whatever its case) made by
                // hand, or of the same finding.
                var inserted = await change.ExecuteAsync($"""
                    insert into citations (id, claim_id, kind, identifier, title, year, stance, grade_scheme, grade_value, note, added_by, finding_id)
                    values (@citationId, @ClaimId, @kind, @Identifier, @Title, @Year, @stance, @gradeScheme, @gradeValue, @Note, @EditorId, @FindingId)
                    on conflict {(work.FindingId is null
                        ? "(claim_id, kind, lower(identifier)) where removed_at is null and finding_id is null"
                        : "(claim_id, finding_id) where removed_at is null and finding_id is not null")} do nothing
                    """,
                    new
                    {
                        citationId,
                        change.ClaimId,
                        kind = Slugs.Of(work.Kind),
                        work.Identifier,
                        work.Title,
                        work.Year,
                        stance = Slugs.Of(work.Stance),
                        gradeScheme = work.Grade is null ? null : Slugs.Of(work.Grade.Scheme),
                        gradeValue = work.Grade?.Value,
                        work.Note,
                        change.EditorId,
                        work.FindingId,
                    });
                return inserted == 0
                    ? ClaimChangeStep.Refuse(Problems.Conflict("Duplicate citation.", work.FindingId is null
                        ? $"The claim already cites {Slugs.Of(work.Kind)} {work.Identifier}."
                        : $"The claim already cites finding {work.FindingId}."))
                    : ClaimChangeStep.Done("cited", citationDelta: 1, detail: new
                    {
                        citation = new { id = citationId, kind = work.Kind, work.Identifier, work.Title, work.Year, stance = work.Stance, work.FindingId },
                    });
            },
            (_, claim) => Task.FromResult(TypedResults.Created($"/v1/claims/{id}/citations/{citationId}",
                claim.Citations.Single(c => c.Id == citationId))), ct);
    }

    private static async Task<CitedWork?> FromFindingAsync(ClaimChangeScope change, VocabularyCache vocabularies, Guid findingId,
        AddCitationRequest request)
    {
        var finding = await FindingStore.GetAsync(change.Connection, findingId, change.Cancellation, change.Transaction);
        if (finding is null || finding.Retired) return null;
        var claim = await change.ReadClaimAsync();
        var snapshot = await vocabularies.GetAsync(change.Connection, change.Cancellation);
        // the whole locator and statement (the note's request limit is for what editors write)
        var note = request.Note ?? $"{finding.Locator}: {finding.Statement}";
        return new CitedWork(CitationKind.Doi, finding.Synthesis.Doi, finding.Synthesis.Title, finding.Synthesis.Year,
            request.Stance ?? Suggestions.Match(snapshot, claim, finding).Stance, finding.Level, note, finding.Id);
    }
}
