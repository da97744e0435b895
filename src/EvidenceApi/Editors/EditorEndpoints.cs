using EvidenceApi.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EvidenceApi.Editors;

/// <summary>A new editor.</summary>
/// <param name="Name">Unique name: letters, digits, dot, dash or underscore, at most 64.</param>
/// <param name="Role">editor (default) or admin.</param>
[RequestExample("""{ "name": "jane.doe", "role": "editor" }""")]
public sealed record CreateEditorRequest(string Name, EditorRole Role = EditorRole.Editor);

public sealed class CreateEditorRequestValidator : AbstractValidator<CreateEditorRequest>
{
    public CreateEditorRequestValidator()
    {
        RuleFor(e => e.Name).NotEmpty().Matches("^[A-Za-z0-9._-]{1,64}$")
            .WithMessage("Use 1–64 letters, digits, dots, dashes or underscores.");
        RuleFor(e => e.Role).IsInEnum();
    }
}

public static class EditorEndpoints
{
    public static IEndpointRouteBuilder MapEditors(this IEndpointRouteBuilder app)
    {
        var editors = app.MapGroup("/v1/editors").WithTags("Editors");

        editors.MapGet("/", ListAsync)
            .WithName("ListEditors")
            .WithSummary("List editors (admin)")
            .WithDescription("By name.")
            .RequireAdmin()
            .Validate<PageQuery>();

        editors.MapPost("/", CreateAsync)
            .WithName("CreateEditor")
            .WithSummary("Add an editor (admin)")
            .WithDescription("Returns the new editor's API key once; only its hash is stored. A retry with the same " +
                             "`Idempotency-Key` replays the response without the key (`key` is null, `keyNotice` says why).")
            .RequireAdmin()
            .Validate<CreateEditorRequest>()
            .Idempotent()
            .ProducesProblem(StatusCodes.Status409Conflict);

        editors.MapPost("/{id}/revoke", RevokeAsync)
            .WithName("RevokeEditor")
            .WithSummary("Revoke an editor's key (admin)")
            .WithDescription("The key stops working at once. The editor stays listed, with `revokedAt`, as the author of past changes.")
            .RequireAdmin()
            .Idempotent()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<Page<EditorResponse>>, ProblemHttpResult>> ListAsync([AsParameters] PageQuery page,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var slice = Paging.Slice(await EditorStore.ListAsync(connection, ct), page, "name", e => e.Name);
        return slice is null ? PageQuery.BadCursor() : TypedResults.Ok(slice);
    }

    private static async Task<Results<Created<CreatedEditorResponse>, ProblemHttpResult>> CreateAsync(
        CreateEditorRequest request, NpgsqlDataSource dataSource, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var created = await EditorStore.AddAsync(connection, request.Name, request.Role, ct, transaction);
        if (created is null)
            return Problems.Conflict("Name taken.", $"There is already an editor named {request.Name}.");
        var location = $"/v1/editors/{created.Editor.Id}";
        // a replay must never show the key again, so it is not part of what is kept
        await Idempotency.RecordAsync(http, connection, transaction, StatusCodes.Status201Created, created.WithoutKey(),
            new Dictionary<string, string> { ["Location"] = location }, ct);
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        return TypedResults.Created(location, created);
    }

    private static async Task<Results<Ok<EditorResponse>, ProblemHttpResult>> RevokeAsync(Guid id, NpgsqlDataSource dataSource,
        HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var editor = await EditorStore.GetAsync(connection, id, ct, transaction);
        if (editor is null) return Problems.NotFound($"There is no editor {id}.");
        var revoked = (await EditorStore.RevokeAsync(connection, editor.Name, ct, transaction))!;
        await transaction.CommitUnlessAnsweredAsync(http, ct);
        return TypedResults.Ok(revoked);
    }
}
