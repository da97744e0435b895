namespace EvidenceApi.Claims;

// The fixed vocabularies of a claim. JSON and the database spell each member in kebab-case
// (ChildrenAdolescents is "children-adolescents"); see Infrastructure/Slugs.cs.

/// <summary>Route of administration named by the claim.</summary>
public enum AdministrationRoute { Inhaled, Oral, Oromucosal, Topical, Transdermal }

/// <summary>Direction of the claimed effect.</summary>
public enum Direction { Benefit, Harm, NoEffect, Mixed }

/// <summary>How strongly the source words the claim: `asserted` ("research has demonstrated"),
/// `suggested` ("studies suggest", "may"), `speculative` ("could potentially", "shows promise").</summary>
public enum ClaimedStrength { Asserted, Suggested, Speculative }

/// <summary>Editors' grade of the cited evidence on the National Academies (2017) scale, strongest first;
/// `unassessed` until an editor grades it.</summary>
public enum EvidenceLevel { Conclusive, Substantial, Moderate, Limited, Insufficient, Unassessed }

/// <summary>Derived: `flagged` if any flag is open, else `needs-citation` if the claim has no citation, else `cited`.</summary>
public enum ClaimStatus { Flagged, NeedsCitation, Cited }
