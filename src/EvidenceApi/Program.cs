using EvidenceApi.Candidates;
using EvidenceApi.Changes;
using EvidenceApi.Citations;
using EvidenceApi.Claims;
using EvidenceApi.Cli;
using EvidenceApi.Editors;
using EvidenceApi.Findings;
using EvidenceApi.Flags;
using EvidenceApi.Health;
using EvidenceApi.Infrastructure;
using EvidenceApi.Review;
using EvidenceApi.Sources;
using EvidenceApi.Vocabularies;

var builder = WebApplication.CreateBuilder(args);
builder.AddRequestLimits();
builder.AddObservability();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Shutdown:GracePeriodSeconds", 30)));

builder.Services.AddDatabase();
builder.Services.AddApiProblemDetails();
builder.Services.AddApiJson();
builder.Services.AddApiValidation();
builder.Services.AddApiOpenApi();
builder.Services.AddApiCors(builder.Configuration);
builder.Services.AddApiRateLimiting(builder.Configuration);

builder.Services.AddHealth();
builder.Services.AddEditors();
builder.Services.AddVocabularies();
builder.Services.AddClaims();
builder.Services.AddCandidates();
builder.Services.AddFindings();

var app = builder.Build();

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

app.UseHttpLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseHeadAsGet();

app.UseApiOpenApi();
app.UseRouting();
app.UseReadReplicas();
app.UseRequestLimits();
app.UseCors();
app.UseKnownQueryParametersOnly();
// Limits before authentication: a request over its limit must cost no database work.
app.UseApiRateLimiting();
app.UseRequestDeadlines();
app.UseAuthentication();
app.UseRefusalOfInvalidKeys();
app.UseEditorRateLimits();
app.UseAuthorization();
app.UseIdempotencyBuffering();

app.MapHealth();
app.MapProblemTypes();
app.MapClaims();
app.MapCitations();
app.MapFlags();
app.MapSources();
app.MapCandidates();
app.MapVocabularies();
app.MapFindings();
app.MapReview();
app.MapChanges();
app.MapEditors();

await app.RunAsync();
return 0;
