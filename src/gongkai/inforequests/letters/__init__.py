"""答复书 and notices (补正、延期、收费): letters generated from a template per outcome or kind,
edited by the officer, approved by a legal reviewer, sent and delivered (送达).

- `constants`: kinds, states, delivery methods
- `models`: `Letter`, `LetterTemplate` (an organisation's override of a default), `Delivery`,
  `LetterSequence` (文号 per organisation and year)
- `rules`: the statutory texts a letter must carry (remedies, legal basis per outcome)
- `templating`: the default templates, the documented placeholders, validation and rendering
- `render`: DOCX and PDF
- `services` / `selectors`: every write (audited, permission-checked) and the reads
"""
