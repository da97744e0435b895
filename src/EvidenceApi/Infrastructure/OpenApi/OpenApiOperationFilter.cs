using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace EvidenceApi.Infrastructure;

/// <summary>Adds to each operation what its endpoint metadata says: the editor key, If-Match, Idempotency-Key.</summary>
public sealed class OpenApiOperationFilter : IOperationFilter
{
    public const string SecurityScheme = "editorKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Parameters ??= [];
        DescribeRequestBody(operation, context, metadata);

        if (metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, context.Document)] = [] });
        }

        if (metadata.OfType<RequiresIfMatch>().Any())
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = true,
                Description = "The current ETag of what the request changes (from its GET; for a claim also `Claim-ETag` of the last change). " +
                              "428 without it, 412 when it is stale.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = System.Text.Json.Nodes.JsonValue.Create("\"1\""),
            });

        foreach (var alternative in metadata.OfType<AlternativeRepresentation>())
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[alternative.MediaType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = alternative.Description },
                };
            }

        if (metadata.OfType<IdempotentEndpoint>().Any())
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Idempotency.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any unique string (a UUID, say). A retry with the same key and body returns the first response and changes nothing; " +
                              "the same key with another body is 422. Keys last 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            });
    }

    // A body bound as raw JSON (the merge patch) is described by its Accepts metadata; every body gets its example.
    private static void DescribeRequestBody(OpenApiOperation operation, OperationFilterContext context, IList<object> metadata)
    {
        if (operation.RequestBody?.Content is not { } content) return;
        // any body can be too large or of the wrong media type
        foreach (var status in new[] { StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType })
        {
            operation.Responses ??= [];
            if (operation.Responses.ContainsKey(status.ToString())) continue;
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = status == 413 ? "Payload Too Large" : "Unsupported Media Type",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository) },
                },
            };
        }
        var declared = metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().LastOrDefault(a => a.RequestType is not null)?.RequestType;
        var bodyType = declared ?? context.ApiDescription.ParameterDescriptions
            .FirstOrDefault(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body)?.Type;
        if (bodyType is null) return;

        var schema = declared is null ? null : context.SchemaGenerator.GenerateSchema(declared, context.SchemaRepository);
        foreach (var mediaType in content.Values)
        {
            if (schema is not null) mediaType.Schema = schema;
            mediaType.Example = bodyType.GetCustomAttributes(typeof(RequestExampleAttribute), false).OfType<RequestExampleAttribute>().FirstOrDefault()?.Example;
        }
    }
}

/// <summary>Another media type the endpoint answers with when `Accept` asks for it, beside its JSON.</summary>
public sealed record AlternativeRepresentation(string MediaType, string Description);

/// <summary>Marks endpoints that change an existing versioned resource and so need If-Match.</summary>
public sealed class RequiresIfMatch;
