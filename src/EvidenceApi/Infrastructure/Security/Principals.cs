using System.Security.Claims;

namespace EvidenceApi.Infrastructure;

public static class Principals
{
    /// <summary>The id of the authenticated editor.</summary>
    public static Guid EditorId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    /// <summary>Who a request comes from, for per-client limits: the authenticated editor, else the client's address.</summary>
    public static string ClientKey(this HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } editor ? "editor:" + editor : "address:" + http.Connection.RemoteIpAddress;
}
