-- wrk: the list page of list-first (condition fibromyalgia, needs citation, 50 oldest, with source and live
-- citations) asked of PostGraphile v4 as GraphQL, on the same database with the same pool size.
local query = [[{ allClaims(first: 50, orderBy: [CREATED_AT_ASC, ID_ASC], filter: { conditions: { contains: ["fibromyalgia"] }, status: { equalTo: "needs-citation" }, retiredAt: { isNull: true } }) { nodes { id quote positionStart positionEnd section conditions cannabinoids routes population comparator effect outcome direction claimedStrength evidenceLevel overclaim status openFlagCount retiredReason version createdAt updatedAt sourceBySourceId { id title } citationsByClaimId(condition: { removedAt: null }) { nodes { id kind identifier title year stance gradeScheme gradeValue note addedAt findingId } } } } }]]
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":' .. string.format("%q", query):gsub("\\\n", "\\n") .. '}'
