-- The vocabularies the seeded claims use. Later migrations may add terms; slugs never change.

insert into conditions (slug, label, description, parent_slug) values
    ('chronic-pain', 'Chronic pain', 'Pain lasting or recurring for more than three months, of any cause.', null),
    ('neuropathic-pain', 'Neuropathic pain', 'Pain caused by a lesion or disease of the somatosensory nervous system.', 'chronic-pain'),
    ('inflammatory-pain', 'Inflammatory pain', 'Chronic pain associated with inflammatory disorders.', 'chronic-pain'),
    ('arthritis', 'Arthritis', 'Conditions affecting joints and connective tissue: joint pain, stiffness, swelling.', 'inflammatory-pain'),
    ('rheumatoid-arthritis', 'Rheumatoid arthritis', 'Autoimmune inflammatory arthritis.', 'arthritis'),
    ('psoriatic-arthritis', 'Psoriatic arthritis', 'Inflammatory arthritis associated with psoriasis.', 'arthritis'),
    ('osteoarthritis', 'Osteoarthritis', 'Degenerative joint disease.', 'arthritis'),
    ('fibromyalgia', 'Fibromyalgia', 'Chronic widespread musculoskeletal pain with fatigue, sleep disturbance and tenderness.', 'chronic-pain'),
    ('musculoskeletal-pain', 'Musculoskeletal pain', 'Chronic pain of muscles, bones, ligaments or tendons.', 'chronic-pain'),
    ('cancer-pain', 'Cancer pain', 'Pain caused by cancer or its treatment.', 'chronic-pain'),
    ('chemotherapy-induced-nausea-vomiting', 'Chemotherapy-induced nausea and vomiting', 'Nausea and vomiting caused by chemotherapeutic agents.', null);

insert into cannabinoids (slug, label, description) values
    ('thc', 'THC', 'Delta-9-tetrahydrocannabinol, the main psychoactive cannabinoid, or THC-dominant products.'),
    ('cbd', 'CBD', 'Cannabidiol, a non-intoxicating cannabinoid, or CBD-dominant products.'),
    ('whole-plant-cannabis', 'Whole-plant cannabis', 'Medical cannabis or marijuana as a plant product, strains and varieties.'),
    ('cannabinoids', 'Cannabinoids (unspecified)', 'Cannabinoids as a class, without naming a compound.'),
    ('cannabinoid-receptor-agonists', 'Cannabinoid receptor agonists', 'Compounds that activate CB1 and/or CB2 receptors.'),
    ('ecs-modulators', 'Endocannabinoid-system modulators', 'Agents that selectively modulate endocannabinoid-system pathways.'),
    ('terpenes', 'Terpenes', 'Aromatic compounds of the cannabis plant said to shape a strain''s effects.');

insert into outcomes (slug, label, description) values
    ('pain', 'Pain', 'Pain intensity, relief or analgesia.'),
    ('inflammation', 'Inflammation', 'Inflammation or inflammatory processes.'),
    ('sleep', 'Sleep', 'Sleep quality or disturbance.'),
    ('nausea-vomiting', 'Nausea and vomiting', 'Nausea and vomiting.'),
    ('quality-of-life', 'Quality of life', 'Overall quality of life or well-being.'),
    ('opioid-use', 'Opioid and analgesic use', 'Use of, reliance on or doses of opioids and other conventional analgesics.'),
    ('adverse-effects', 'Adverse effects', 'Side effects and harms, psychoactive effects included.'),
    ('mental-health', 'Mental health', 'Anxiety, depression and other mental-health outcomes.'),
    ('dependence', 'Dependence', 'Addiction, dependence or misuse.'),
    ('mechanism', 'Mechanism', 'Pharmacological or physiological mechanism of action.'),
    ('physical-function', 'Physical function', 'Joint or muscle function, mobility.'),
    ('relaxation', 'Relaxation', 'Relaxation and stress relief.'),
    ('pharmacokinetics', 'Pharmacokinetics', 'Dosing, onset, duration, bioavailability and delivery.');
