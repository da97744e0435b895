-- Terms the shipped findings (db/seed/findings.json) need: the conditions of the National Academies' therapeutic
-- conclusions and the outcomes of its conclusions on harms. Labels only, no synonyms: extraction reads labels and synonyms,
-- and these were added for the findings, not taught from articles. Harms sit under mental health and/or adverse effects, so a
-- claim about "side effects" finds the findings on psychosis or crashes through the hierarchy.
insert into conditions (slug, label, definition) values
    ('cancer', 'Cancer', 'Malignant tumours of any kind, as a disease to treat (not the pain or nausea that comes with it).'),
    ('hiv-aids', 'HIV/AIDS', 'Infection with the human immunodeficiency virus and the acquired immunodeficiency syndrome.'),
    ('anorexia-cachexia', 'Anorexia and cachexia', 'Loss of appetite and of weight and muscle: cancer-associated anorexia-cachexia syndrome, anorexia nervosa.'),
    ('irritable-bowel-syndrome', 'Irritable bowel syndrome', 'A functional disorder of the bowel: pain, bloating, altered bowel habits.'),
    ('epilepsy', 'Epilepsy', 'Recurrent unprovoked seizures.'),
    ('multiple-sclerosis', 'Multiple sclerosis', 'A demyelinating disease of the central nervous system; spasticity is among its symptoms.'),
    ('amyotrophic-lateral-sclerosis', 'Amyotrophic lateral sclerosis', 'A progressive disease of the motor neurons.'),
    ('parkinsons-disease', 'Parkinson''s disease', 'A progressive disorder of movement; includes levodopa-induced dyskinesia.'),
    ('glaucoma', 'Glaucoma', 'Damage to the optic nerve, usually with raised intraocular pressure.'),
    ('sleep-disturbance', 'Sleep disturbance', 'Trouble falling or staying asleep, or poor sleep, alone or with another condition.'),
    ('posttraumatic-stress-disorder', 'Posttraumatic stress disorder', 'A disorder that follows a traumatic event: intrusions, avoidance, arousal.'),
    ('bipolar-disorder', 'Bipolar disorder', 'A mood disorder with episodes of mania or hypomania and of depression.');

insert into outcomes (slug, label, definition) values
    ('spasticity', 'Spasticity', 'Muscle stiffness and spasms, reported by patients or measured by clinicians.'),
    ('appetite-weight', 'Appetite and weight', 'Appetite, food intake, and weight gained or lost.'),
    ('seizures', 'Seizures', 'How often seizures happen and how severe they are.'),
    ('disease-symptoms', 'Symptoms of the condition', 'The symptoms a condition causes, where no narrower outcome is named.'),
    ('tumour-growth', 'Tumour growth', 'Growth, spread or regression of a cancer.'),
    ('intraocular-pressure', 'Intraocular pressure', 'The fluid pressure inside the eye.'),
    ('psychosis', 'Psychosis', 'Schizophrenia and other psychoses: developing one, or its symptoms.'),
    ('depression', 'Depression', 'Depressive disorders and depressive symptoms.'),
    ('suicidality', 'Suicidality', 'Suicidal ideation, suicide attempts and suicide.'),
    ('anxiety', 'Anxiety', 'Anxiety disorders (such as social anxiety disorder) and anxiety symptoms.'),
    ('mania', 'Mania', 'Symptoms of mania and hypomania.'),
    ('cognitive-impairment', 'Cognitive impairment', 'Impaired learning, memory or attention.'),
    ('respiratory-symptoms', 'Respiratory symptoms', 'Cough, phlegm, wheeze, and episodes of chronic bronchitis.'),
    ('motor-vehicle-crashes', 'Motor vehicle crashes', 'Crashes, and injuries in them, of drivers who used cannabis.'),
    ('other-substance-use', 'Use disorders of other substances', 'Dependence on or abuse of alcohol, tobacco or other drugs.');

update outcomes set broader = case slug
    when 'psychosis' then array['mental-health', 'adverse-effects']
    when 'depression' then array['mental-health', 'adverse-effects']
    when 'suicidality' then array['mental-health', 'adverse-effects']
    when 'anxiety' then array['mental-health', 'adverse-effects']
    when 'mania' then array['mental-health', 'adverse-effects']
    when 'cognitive-impairment' then array['adverse-effects']
    when 'respiratory-symptoms' then array['adverse-effects']
    when 'motor-vehicle-crashes' then array['adverse-effects']
    when 'other-substance-use' then array['dependence', 'adverse-effects']
    else broader end
where slug in ('psychosis', 'depression', 'suicidality', 'anxiety', 'mania', 'cognitive-impairment', 'respiratory-symptoms',
               'motor-vehicle-crashes', 'other-substance-use');
