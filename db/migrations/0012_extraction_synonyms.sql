-- Names health articles use for seeded terms, found while teaching extraction to read them (issue 13): general English
-- any article might write. A term change counts as a catalogue change (0008), so every instance sees it at once.
update conditions set synonyms = synonyms || array['inflammatory disorders', 'inflammatory conditions', 'inflammatory diseases']
where slug = 'inflammatory-pain';
update conditions set synonyms = synonyms || array['arthritic conditions']
where slug = 'arthritis';
update conditions set synonyms = synonyms || array['chemotherapy nausea', 'chemotherapy-related nausea', 'chemotherapy-related nausea and vomiting']
where slug = 'chemotherapy-induced-nausea-vomiting';
