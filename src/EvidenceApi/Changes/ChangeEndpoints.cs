using EvidenceApi.Infrastructure;

namespace EvidenceApi.Changes;

public static class ChangeEndpoints
{
    public static IEndpointRouteBuilder MapChanges(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/changes", ChangeFeed.HandleAsync)
            .WithTags("Changes")
            .WithName("ListChanges")
            .WithSummary("Every revision, in commit order")
            .WithDescription("The change feed: each revision of a claim (with its citations and flags), term, source, candidate or " +
                             "finding, with the entity as it was after the change. Read from the start without `cursor`, then keep " +
                             "`nextCursor` and ask again: it is always present, and `more` says whether to ask at once. A revision " +
                             "is shown only once no transaction that started before it is still running, so a reader holding a " +
                             "cursor never misses one that commits later.")
            .Validate<ChangeFeedQuery>();
        return app;
    }
}
