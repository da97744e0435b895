-- Standard codes for the seeded terms, only those verified against two stored public copies of the code system
-- (README, "Standard codes"); a code that could not be verified is left out, never written from memory.

update conditions set codings = case slug
    when 'pain' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D010146", "display": "Pain"}]'
    when 'chronic-pain' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D059350", "display": "Chronic Pain"},
                               {"system": "http://snomed.info/sct", "code": "82423001", "display": "Chronic pain (finding)"},
                               {"system": "http://id.who.int/icd/release/11/mms", "code": "MG30", "display": "Chronic pain"}]'
    when 'neuropathic-pain' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D009437", "display": "Neuralgia"},
                                   {"system": "http://id.who.int/icd/release/11/mms", "code": "MG30.5", "display": "Chronic neuropathic pain"}]'
    when 'rheumatoid-arthritis' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D001172", "display": "Arthritis, Rheumatoid"},
                                       {"system": "http://snomed.info/sct", "code": "69896004", "display": "Rheumatoid arthritis (disorder)"}]'
    when 'osteoarthritis' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D010003", "display": "Osteoarthritis"},
                                 {"system": "http://snomed.info/sct", "code": "396275006", "display": "Osteoarthritis"}]'
    when 'fibromyalgia' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D005356", "display": "Fibromyalgia"},
                               {"system": "http://snomed.info/sct", "code": "203082005", "display": "Fibromyalgia (disorder)"}]'
    else codings end::jsonb;

update interventions set codings = case slug
    when 'thc' then '[{"system": "http://fdasis.nlm.nih.gov", "code": "7J8897W37S", "display": "DRONABINOL"}]'
    when 'cbd' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D002185", "display": "Cannabidiol"},
                      {"system": "http://www.whocc.no/atc", "code": "N03AX24", "display": "cannabidiol"},
                      {"system": "http://fdasis.nlm.nih.gov", "code": "19GBJ60SN5", "display": "CANNABIDIOL"}]'
    when 'dronabinol' then '[{"system": "http://www.whocc.no/atc", "code": "A04AD10", "display": "dronabinol"},
                             {"system": "http://fdasis.nlm.nih.gov", "code": "7J8897W37S", "display": "DRONABINOL"}]'
    when 'nabilone' then '[{"system": "http://www.whocc.no/atc", "code": "A04AD11", "display": "nabilone"}]'
    when 'nabiximols' then '[{"system": "http://www.whocc.no/atc", "code": "N02BG10", "display": "cannabinoids"}]'
    else codings end::jsonb;

update outcomes set codings = case slug
    when 'pain' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D010146", "display": "Pain"}]'
    when 'nausea-vomiting' then '[{"system": "http://id.nlm.nih.gov/mesh", "code": "D009325", "display": "Nausea"},
                                  {"system": "http://id.nlm.nih.gov/mesh", "code": "D014839", "display": "Vomiting"}]'
    else codings end::jsonb;
