namespace EvidenceApi.Infrastructure;

public static class HttpCaching
{
    // Shared caches may keep a claim briefly but must revalidate with the ETag after that.
    public const string ClaimCacheControl = "public, max-age=0, must-revalidate";
    public const string ListCacheControl = "public, max-age=0, must-revalidate";
    public const string VocabularyCacheControl = "public, max-age=300";
}
