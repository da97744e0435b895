using Microsoft.OpenApi;

namespace EvidenceApi.Infrastructure;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";

    private static readonly string ProblemSlugs = string.Join(", ", ProblemKinds.All.Select(k => k.Slug));

    public static IServiceCollection AddApiOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "EvidenceApi",
                Version = "v1",
                Description = $$"""
                    A structured catalogue of the health claims made by articles on medical cannabis for chronic pain.
                    Every claim is anchored to the exact words of its source and carries the citations editors attach;
                    a claim without a citation is visibly unsupported (`status: needs-citation`).

                    Reads are anonymous. JSON is camelCase, enum values are kebab-case strings, times are ISO 8601 UTC.
                    Errors are RFC 9457 problem details (`application/problem+json`) with a `traceId`. Every problem's `type` is
                    `/problems/{slug}`, one of: {{ProblemSlugs}}; `GET /problems/{slug}` says what each means and what to do.
                    Every list answers `{items, nextCursor}`; pass `nextCursor` back as `cursor` for the next page.
                    """,
            });
            options.IncludeXmlComments(typeof(Program).Assembly);
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.UseAllOfToExtendReferenceSchemas();
            // Nested record names (ListClaims.Foo) would collide across features; our names are unique top-level types.
            options.CustomSchemaIds(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Page<>)
                ? type.GetGenericArguments()[0].Name.Replace("Response", "") + "Page"
                : type.Name);
            options.AddSecurityDefinition(OpenApiOperationFilter.SecurityScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An editor's API key (from `EvidenceApi editors add <name>`): sent as `Authorization: Bearer <key>`. Reads need none.",
            });
            options.OperationFilter<OpenApiOperationFilter>();
        });
        return services;
    }

    public static WebApplication UseApiOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "EvidenceApi v1");
            options.DocumentTitle = "EvidenceApi";
            options.EnableTryItOutByDefault();
            options.DisplayRequestDuration();
        });
        return app;
    }
}
