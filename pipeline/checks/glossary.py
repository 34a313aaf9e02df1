"""Glossary check: a term in the Arabic must come out as the glossary says in the English.

The terms file and its matching rules are pipeline/glossary.py's; while translating, the model's
hypotheses were already chosen for the terms (translate/base.py), so a flag here means no
hypothesis had the term, the term is not enforced, or the English came from elsewhere.
"""

from __future__ import annotations

from ..glossary import Glossary, glossary_form
from ..model import Flag, Paragraph
from .base import Params


class GlossaryParams(Params):
    model_config = {**Params.model_config, "arbitrary_types_allowed": True}
    glossary: Glossary = Glossary()


def glossary(paragraph: Paragraph, params: GlossaryParams) -> list[Flag]:
    if not paragraph.target.strip():
        return []
    flags, said = [], set()
    for term in params.glossary.found_in(paragraph.source):
        # A termbase lists an Arabic term and its vocalised form («بوتين», «بُوتِين») as synonyms: one
        # term to the matching (tashkeel aside), one flag, not one per spelling
        same = (term.keep, term.source if term.keep else glossary_form(term.source),
                frozenset(r.lower() for r in term.renderings))
        if same in said:
            continue
        said.add(same)
        if not term.in_target(paragraph.target):
            expected = " / ".join(term.renderings)
            message = (f"«{term.source}» must stay «{term.source}» in the English" if term.keep
                       else f"«{term.source}» should be rendered as {expected}")
            flags.append(Flag("glossary", "warning", message,
                              {"term": term.source, "expected": list(term.renderings), "keep": term.keep}))
    return flags
