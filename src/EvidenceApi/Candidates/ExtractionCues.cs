using System.Text.RegularExpressions;

namespace EvidenceApi.Candidates;

/// <summary>
/// The words extraction reads, beside the vocabularies' labels and synonyms: how health articles say that something
/// helps, harms or works, how sure they sound, and to whom and by what route. General English, never one article's
/// sentences.
/// </summary>
public static partial class ExtractionCues
{
    /// <summary>Words for cannabis and its compounds that no single term owns.</summary>
    [GeneratedRegex(@"\b(cannabis|cannabinoids?|cannabinoid-based|marijuana|marihuana|endocannabinoids?|endocannabinoid system|ECS|CB[12]( receptors?)?|phytocannabinoids?|strains|cultivars)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Cannabis { get; }

    /// <summary>A reference back to something named before (the plant, the compounds, the treatment).</summary>
    [GeneratedRegex(@"\b(it|its|this|these|such|they|their|them|this plant|this remedy|this treatment|this medicine|this therapy|these compounds)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Reference { get; }

    /// <summary>
    /// That a treatment does something to health, said with a verb or an adjective of effect ("reduces", "can help",
    /// "is effective", "possesses analgesic properties"). A noun alone ("treatment", "management", "dosing") names a topic,
    /// not a claim.
    /// </summary>
    [GeneratedRegex(@"\b(reliev(e|es|ed|ing)|relief|alleviat\w*|reduc(e|es|ed|ing)|decreas(e|es|ed|ing)|lower(s|ed|ing)?|improv(e|es|ed|ing)|enhanc(e|es|ed|ing)|eas(e|es|ed|ing)|mitigat(e|es|ed|ing)|sooth\w*|help(s|ed|ing)?|benefits?|beneficial|effective(ly)?|efficacious|analgesic|anti-?inflammatory|caus(e|es|ed|ing)|lead(s)? to|increas(e|es|ed|ing)|worsen\w*|risks?|side[- ]effects?|adverse|addictive|dependency|impair\w*|possess\w*|exhibit\w*|manag(e|es|ed|ing)|treat(s|ed|ing)?|work(s|ed)?|bind(s|ing)?|activat(e|es|ed|ing)|inhibit(s|ed|ing)?|modulat(e|es|ed|ing)|interact(s|ing)?|counteract\w*|combat\w*|target(s|ing)?|suppress\w*|block(s|ed|ing)?|regulat(e|es|ed|ing)|outperform\w*|superior|safer|well[- ]tolerated|promising results|shows? promise|restor(e|es|ed|ing)|heal(s|ed|ing)?|cur(e|es|ed)|prevent(s|ed|ing)?|protect(s|ed|ing)?|deliver(s|ed|ing)?|bypass\w*|provid(e|es|ed|ing)|offer(s|ed|ing)?|achiev(e|es|ed|ing)|ensur(e|es|ed|ing)|minimi[sz](e|es|ed|ing)|promot(e|es|ed|ing)|synerg\w*|viable|suited|serve|prove|yield|linked (to|with)|associated with|cut(s|ting)?|(more|less) likely|feel(s|ing)? (less|more|better)|as (well|effective) as|injur\w*)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Effect { get; }

    /// <summary>Sentences about the article, the debate or the law rather than about what cannabis does.</summary>
    [GeneratedRegex(@"\b(this (article|section|post|guide|review|chapter)|will be (discussed|explored|examined|covered)|having (discussed|explored|examined|considered)|it (is|becomes|remains) (essential|crucial|important|imperative|vital|necessary|critical) to|(further|more|additional) (research|studies|investigation|trials) (is|are|will be) (needed|necessary|required|warranted)|to understand how|aims? to|policy|policymakers|regulatory|destigmati\w*|misconceptions?|public perception|stigma|attitudes?|advocat\w*|resources are available|garner\w* (significant )?attention|topic of interest|area of (active )?research|future (research|explorations|studies) will)\b", RegexOptions.IgnoreCase)]
    public static partial Regex AboutTheText { get; }

    /// <summary>What a claim is not: law, trade, service; and questions.</summary>
    [GeneratedRegex(@"\b(legal\w*|laws?|legislat\w*|jurisdictions?|dispensar\w*|purchas\w*|buy\w*|prices?|costs?|insurance|customer|shipping|subscribe|newsletter|cookies?|copyright|disclaimer)\b", RegexOptions.IgnoreCase)]
    public static partial Regex OutOfScope { get; }

    [GeneratedRegex(@"\b(could|potential(ly)?|promis(e|es|ing)|hope\w*|holds? (the )?key|emerg\w* as|poised|paves? the way|remains? to be seen|there is potential|opportunit\w*|possib(le|ly|ility)|imagine|envision\w*|unprecedented|uncertain|unclear|unknown)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Speculative { get; }

    /// <summary>Words that make pain itself the outcome, not only part of a condition's name.</summary>
    [GeneratedRegex(@"\b(analgesi\w*|pain[- ]reliev\w*|pain relief|relief|reliev\w*|alleviat\w*|(reduc\w*|eas\w*|lower\w*|manag\w*|treat\w*) (the )?(\w+ )?pain)\b", RegexOptions.IgnoreCase)]
    public static partial Regex PainRelief { get; }

    [GeneratedRegex(@"\b(show(s|n|ing)? (some )?promise|holds? promise)\b", RegexOptions.IgnoreCase)]
    public static partial Regex ShownPromise { get; }

    [GeneratedRegex(@"\b(may|might|suggest\w*|indicat\w*|appears?|seems?|likely|preliminary|early (evidence|studies|research)|some (studies|research)|anecdotal\w*|firsthand|personal accounts|testimonials?|believed?|thought to|tends? to)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Suggested { get; }

    [GeneratedRegex(@"\b(demonstrat(ed|es)|(has|have) been (shown|found|observed|proven|established|demonstrated)|(has|have) shown|shown to|proven|established|(is|are) known to|research (shows|has shown|confirms)|studies (show|have shown|confirm)|clinical trials (show|have shown)|evidence (shows|confirms)|it has been (found|observed|shown))\b", RegexOptions.IgnoreCase)]
    public static partial Regex Asserted { get; }

    [GeneratedRegex(@"\b(side[- ]effects?|adverse|risks?|harm\w*|danger\w*|impair\w*|addict\w*|dependen\w*|abuse|misuse|psychosis|psychotic|psychoactive|psychotropic|intoxicat\w*|toxic\w*|dizz\w*|drowsi\w*|paranoi\w*|worsen\w*|negative (effects?|consequences?)|long-term effects?|injur\w*|diarrh\w*|grogg\w*|overuse|use disorder|lung (damage|injury))\b", RegexOptions.IgnoreCase)]
    public static partial Regex Harm { get; }

    /// <summary>A harm the sentence says is avoided or small, which makes the claim a benefit.</summary>
    [GeneratedRegex(@"\b(minimi[sz]\w*|minimal|fewer|less|lower|reduc\w*|mitigat\w*|without|free (of|from)|avoid\w*|bypass\w*|no (notable|significant|serious)|well[- ]tolerated|low risk|safer|only mild|(does|do|did) not( appear to| seem to)? (cause|lead to|increase))\b", RegexOptions.IgnoreCase)]
    public static partial Regex Mitigated { get; }

    [GeneratedRegex(@"\b(no (significant |notable |measurable )?(effect|difference|benefit|improvement)|not (effective|significantly)|did not (improve|reduce|help)|no better than|ineffective)\b", RegexOptions.IgnoreCase)]
    public static partial Regex NoEffect { get; }

    /// <summary>Routes of administration: the route list is fixed, so are its words.</summary>
    public static readonly (string Route, Regex Words)[] Routes =
    [
        ("inhaled", new(@"\b(inhal\w*|smok\w*|vap(e|es|ing|ed|ori[sz]\w*|our|or)|bongs?)\b", RegexOptions.IgnoreCase)),
        ("oral", new(@"\b(oral(ly)?|edibles?|capsules?|tablets?|pills?|ingest\w*|swallow\w*|by mouth|tinctures?)\b", RegexOptions.IgnoreCase)),
        ("oromucosal", new(@"\b(oromucosal|sublingual(ly)?|buccal|mouth sprays?|oral sprays?|under the tongue)\b", RegexOptions.IgnoreCase)),
        ("topical", new(@"\b(topical(ly)?|creams?|lotions?|balms?|salves?|ointments?|applied to the skin)\b", RegexOptions.IgnoreCase)),
        ("transdermal", new(@"\b(transdermal(ly)?|patch(es)?)\b", RegexOptions.IgnoreCase)),
    ];

    /// <summary>Outcome cues beside the outcome vocabulary's own names; the first that matches, in this order, is the outcome.</summary>
    public static readonly (string Outcome, Regex Words)[] Outcomes =
    [
        ("dependence", new(@"\b(addict\w*|dependen\w*|abuse|misuse|use disorder|withdrawal|habit-forming)\b", RegexOptions.IgnoreCase)),
        ("adverse-effects", new(@"\b(side[- ]effects?|adverse|psychoactive|psychotropic|intoxicat\w*|impair\w*|dizz\w*|drowsi\w*|dry mouth|diarrh\w*|grogg\w*|injur\w*|long-term effects?|safety|safe|risks?)\b", RegexOptions.IgnoreCase)),
        ("opioid-use", new(@"\b(opioids?|opiates?|painkillers?|conventional (medications?|analgesics?|painkillers?)|reliance on|dosages? of (conventional|other)|nsaids?)\b", RegexOptions.IgnoreCase)),
        ("nausea-vomiting", new(@"\b(nause\w*|vomit\w*|emesis|antiemetic)\b", RegexOptions.IgnoreCase)),
        ("sleep", new(@"\b(sleep\w*|insomnia|rest(ful)?)\b", RegexOptions.IgnoreCase)),
        ("mental-health", new(@"\b(anxiety|depress\w*|mood|mental health|psychiatric|ptsd)\b", RegexOptions.IgnoreCase)),
        ("relaxation", new(@"\b(relax\w*|calm\w*|stress)\b", RegexOptions.IgnoreCase)),
        ("inflammation", new(@"\b(\w*inflammat\w*|anti-?inflammator\w*|swelling)\b", RegexOptions.IgnoreCase)),
        ("physical-function", new(@"\b(mobility|joint (function|care|health)|stiffness|flexibility|range of motion|physical function\w*)\b", RegexOptions.IgnoreCase)),
        ("quality-of-life", new(@"\b(quality of life|well-?being|daily (life|activities|functioning)|overall health)\b", RegexOptions.IgnoreCase)),
        ("pharmacokinetics", new(@"\b(dos(e|es|age|ages|ing)|titrat\w*|onset|bioavailab\w*|absor\w*|sustained release|deliver\w*|administ\w*|metaboli[sz]\w*)\b", RegexOptions.IgnoreCase)),
        ("mechanism", new(@"\b(receptors?|bind\w*|modulat\w*|pathways?|mechanisms?|signal\w*|neurotransmi\w*|nociception|endocannabinoid system|interact\w*)\b", RegexOptions.IgnoreCase)),
        ("pain", new(@"\b(pain\w*|analgesi\w*|aches?|relief|reliev\w*|discomfort|soreness)\b", RegexOptions.IgnoreCase)),
    ];

    public static readonly (string Population, Regex Words)[] Populations =
    [
        ("children-adolescents", new(@"\b(child(ren)?|adolescen\w*|teen\w*|youth|paediatric|pediatric|minors?|kids?)\b", RegexOptions.IgnoreCase)),
        ("older-adults", new(@"\b(older (adults|people|patients)|elderly|seniors?|aged 65|geriatric)\b", RegexOptions.IgnoreCase)),
        ("cancer-patients", new(@"\b(cancer patients?|patients with cancer|oncology|chemotherap\w*|tumou?rs?|cancer)\b", RegexOptions.IgnoreCase)),
        ("adults", new(@"\b(adults?)\b", RegexOptions.IgnoreCase)),
    ];

    public static readonly (string Comparator, Regex Words)[] Comparators =
    [
        ("placebo", new(@"\b(placebo\w*|sham)\b", RegexOptions.IgnoreCase)),
        ("opioids", new(@"\b(opioids?|opiates?)\b", RegexOptions.IgnoreCase)),
        ("nsaids", new(@"\b(nsaids?|non-?steroidal anti-?inflammator\w*|ibuprofen|naproxen)\b", RegexOptions.IgnoreCase)),
        ("conventional-care", new(@"\b(conventional (treatments?|options|medications?|therap\w*|care)|standard (care|treatments?)|usual care|traditional (treatments?|medications?|pharmaceuticals?))\b", RegexOptions.IgnoreCase)),
    ];

    /// <summary>Words that make a comparison: without one, a named comparator is only mentioned.</summary>
    [GeneratedRegex(@"\b(compar\w*|than|difference (from|between|with)|as (well|effective|good) as|similar to|unlike|versus|vs\.?|instead of|alternative to|replac\w*|substitut\w*|alongside|combined with|in combination|reduc\w* (the )?(need|reliance|use|dosages?)|outperform\w*|superior|inferior)\b", RegexOptions.IgnoreCase)]
    public static partial Regex Comparison { get; }
}
