using EvidenceApi.Claims;
using EvidenceApi.Cli;
using EvidenceApi.Health;
using EvidenceApi.Infrastructure;
using EvidenceApi.Sources;
using EvidenceApi.Vocabularies;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDatabase();
builder.Services.AddApiProblemDetails();
builder.Services.AddApiJson();
builder.Services.AddApiValidation();
builder.Services.AddApiOpenApi();
builder.Services.AddApiHealthChecks();

var app = builder.Build();

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

app.UseExceptionHandler();
app.UseStatusCodePages();

app.UseApiOpenApi();
app.MapHealthEndpoints();
app.MapClaimEndpoints();
app.MapSourceEndpoints();
app.MapVocabularyEndpoints();

await app.RunAsync();
return 0;
