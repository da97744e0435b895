namespace EvidenceApi.Infrastructure;

public static class ProblemEndpoints
{
    /// <summary>Serves what each problem `type` means, so that the type URIs problems carry can be followed.</summary>
    public static IEndpointRouteBuilder MapProblemTypes(this IEndpointRouteBuilder app)
    {
        var problems = app.MapGroup("/problems").WithTags("Problems");

        problems.MapGet("/", () => Cached.Ok(new Page<ProblemKind>(ProblemKinds.All, null), HttpCaching.VocabularyCacheControl))
            .WithName("ListProblemTypes")
            .WithSummary("The kinds of problem the API answers with")
            .WithDescription("Every error is an RFC 9457 problem whose `type` is one of these (`/problems/{slug}`).");

        problems.MapGet("/{slug}", (string slug) => ProblemKinds.All.FirstOrDefault(k => k.Slug == slug) is { } kind
                ? (IResult)Cached.Ok(kind, HttpCaching.VocabularyCacheControl)
                : Problems.NotFound($"There is no problem type {slug}."))
            .WithName("GetProblemType")
            .WithSummary("What one kind of problem means")
            .Produces<ProblemKind>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
