namespace EvidenceApi.Claims;

public static class ClaimHeaders
{
    /// <summary>On responses about a citation or flag: the ETag of the claim after the change, for the next If-Match.</summary>
    public const string ClaimETag = "Claim-ETag";
}
