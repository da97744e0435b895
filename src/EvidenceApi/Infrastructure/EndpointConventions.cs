namespace EvidenceApi.Infrastructure;

public static class EndpointConventions
{
    public static RouteHandlerBuilder RequireEditor(this RouteHandlerBuilder builder) => builder
        .RequireAuthorization(EditorAuthentication.EditorPolicy)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

    public static RouteHandlerBuilder RequireAdmin(this RouteHandlerBuilder builder) => builder
        .RequireAuthorization(EditorAuthentication.AdminPolicy)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>What a change to an existing claim can answer besides success.</summary>
    public static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) => builder
        .WithMetadata(new RequiresIfMatch())
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
