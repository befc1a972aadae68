"""The elements of the two crimes: do the facts of a case meet the TIP definition, the SOM
definition, both, or neither? A plain function, separate from any widget.

The tests follow the definitions in the Protocols:

- Trafficking in persons (TIP Protocol art. 3(a)): an act (recruitment, transportation,
  transfer, harbouring or receipt of persons), by one of the listed means, for the purpose of
  exploitation. For a child, a person under eighteen (art. 3(d)), no means is needed
  (art. 3(c)). Where a means was used, the victim's consent is irrelevant (art. 3(b)).
  No border crossing is needed: domestic offences must not require a transnational element
  (UNTOC art. 34(2)).
- Smuggling of migrants (SOM Protocol art. 3(a)): the procurement of the illegal entry of a
  person into a State of which that person is not a national or permanent resident, in order
  to obtain, directly or indirectly, a financial or other material benefit. Illegal entry is
  crossing borders without complying with the requirements for legal entry (art. 3(b)).
  Endangering the migrants' lives or safety, or inhuman or degrading treatment, are aggravating
  circumstances (art. 6(3)).
- Enabling illegal stay (SOM Protocol art. 6(1)(c)): for a financial or other material benefit
  (the chapeau of art. 6(1)), enabling a person who is not a national or permanent resident to
  remain in the State without complying with the requirements for legally remaining, by
  fraudulent documents or any other illegal means. It is a separate offence the Protocol
  requires, whether or not anyone procured an illegal entry; art. 5 and art. 6(3) apply to it
  as they do to smuggling.

The classification counts an offence of the SOM Protocol as "smuggling": the smuggling of
migrants as defined (art. 3(a), the offence of art. 6(1)(a)), or enabling illegal stay
(art. 6(1)(c)). The reasons say which, so a case of illegal stay alone is never presented as
meeting the definition of art. 3(a).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workshop_lib.i18n.catalog import N_, _

TRAFFICKING = "trafficking"
SMUGGLING = "smuggling"
BOTH = "both"
NEITHER = "neither"
CLASSIFICATIONS = (TRAFFICKING, SMUGGLING, BOTH, NEITHER)


@dataclass(frozen=True)
class CaseFacts:
    """What happened, as a participant ticks it. Every field defaults to 'no'."""

    act: bool = False  # recruitment, transportation, transfer, harbouring or receipt
    means: bool = False  # threat, force, coercion, abduction, fraud, deception, abuse of ...
    exploitation_purpose: bool = False  # for the purpose of exploitation
    child: bool = False  # under eighteen
    consented: bool = False  # the person agreed (to the move or to the work)
    illegal_entry_procured: bool = False  # someone arranged an entry without legal requirements
    not_national_or_resident: bool = False  # of the State entered
    material_benefit: bool = False  # the facilitator sought a financial or other material benefit
    endangered_or_degrading: bool = False  # lives or safety endangered, inhuman treatment
    crossed_border: bool = False  # the person was moved across an international border
    # for a benefit, someone enabled a non-national to remain without meeting the legal
    # requirements, by fraudulent documents or other illegal means (SOM art. 6(1)(c))
    illegal_stay_enabled: bool = False


@dataclass(frozen=True)
class Reason:
    """One step of the reasoning, with the provision it rests on (both in English, marked for
    translation: `shown()` gives them in the current language)."""

    text: str
    source: str

    def shown(self) -> tuple[str, str]:
        """The text and the source in the current language."""
        return _(self.text), _(self.source)


@dataclass(frozen=True)
class Assessment:
    """The outcome: does each definition apply, the classification, and why.

    `smuggling` is the definition of smuggling of migrants (SOM art. 3(a)); `illegal_stay` the
    separate offence of enabling illegal stay (SOM art. 6(1)(c)). Either one makes the
    classification "smuggling" (or "both", with trafficking)."""

    trafficking: bool
    smuggling: bool
    classification: str
    reasons: tuple[Reason, ...] = field(default=())
    illegal_stay: bool = False

    @property
    def som_offence(self) -> bool:
        """Whether an offence of the SOM Protocol applies: smuggling, or enabling illegal stay."""
        return self.smuggling or self.illegal_stay

    def explain(self) -> str:
        """The reasoning as plain text, one line per step."""
        return "\n".join("- {} ({})".format(*r.shown()) for r in self.reasons)


R = Reason
REASONS = {
    "no_act": R(
        N_(
            "No act: nobody recruited, moved, transferred, harboured or received the person, "
            "so the trafficking definition is not met."
        ),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "no_purpose": R(
        N_("No purpose of exploitation, so the trafficking definition is not met."),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "child_no_means": R(
        N_(
            "The person is a child (under eighteen), so no means is needed: the act and the "
            "purpose of exploitation are enough."
        ),
        N_("TIP Protocol, art. 3(c) and (d)"),
    ),
    "means": R(
        N_(
            "A means was used (such as coercion, deception or abuse of a position of "
            "vulnerability)."
        ),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "adult_no_means": R(
        N_(
            "The person is an adult and no means was used, so the trafficking definition is "
            "not met."
        ),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "consent_means": R(
        N_(
            "The person's consent does not change this: consent is irrelevant once any of the "
            "means was used."
        ),
        N_("TIP Protocol, art. 3(b)"),
    ),
    "consent_child": R(
        N_("The child's consent does not change this: for a child no means is needed at all."),
        N_("TIP Protocol, art. 3(c)"),
    ),
    "tip_met": R(
        N_(
            "Act, means (or a child victim) and purpose are all present: this meets the "
            "definition of trafficking in persons. The exploitation itself need not have "
            "happened yet; the purpose is enough."
        ),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "tip_domestic": R(
        N_(
            "No border was crossed, which does not matter: trafficking can happen inside one "
            "country, and domestic offences must not depend on a transnational element."
        ),
        N_("UNTOC, art. 34(2)"),
    ),
    "no_procurement": R(
        N_(
            "Nobody procured an illegal entry into another State, so the smuggling definition "
            "is not met."
        ),
        N_("SOM Protocol, art. 3(a) and (b)"),
    ),
    "national": R(
        N_(
            "The person entered a State of which they are a national or permanent resident: "
            "that is not smuggling of migrants."
        ),
        N_("SOM Protocol, art. 3(a)"),
    ),
    "no_benefit": R(
        N_(
            "No financial or other material benefit was sought: help given only for family or "
            "humanitarian reasons falls outside the Protocol's definition."
        ),
        N_("SOM Protocol, art. 3(a)"),
    ),
    "som_met": R(
        N_(
            "Procurement of illegal entry into a State of which the person is not a national or "
            "permanent resident, for a financial or other material benefit: this meets the "
            "definition of smuggling of migrants."
        ),
        N_("SOM Protocol, art. 3(a)"),
    ),
    "som_consent": R(
        N_(
            "The migrant agreed to be smuggled; that is usual and changes nothing, and the "
            "migrant is not to be prosecuted under the Protocol for having been smuggled."
        ),
        N_("SOM Protocol, art. 5"),
    ),
    "stay_enabled": R(
        N_(
            "For a financial or other material benefit, someone enabled a person who is not a "
            "national or permanent resident to remain in the State without complying with the "
            "requirements for legally remaining, by illegal means: this is the offence of enabling "
            "illegal stay, which States must establish alongside smuggling."
        ),
        N_("SOM Protocol, art. 6(1)(c)"),
    ),
    "stay_only": R(
        N_(
            "So an offence of the Smuggling of Migrants Protocol applies although the "
            "definition of smuggling of migrants is not met: enabling illegal stay does not "
            "depend on how the person entered."
        ),
        N_("SOM Protocol, art. 6(1)(c)"),
    ),
    "stay_consent": R(
        N_(
            "The migrant agreed; that changes nothing, and migrants are not liable to prosecution "
            "under the Protocol for having been the object of this conduct."
        ),
        N_("SOM Protocol, art. 5"),
    ),
    "aggravating": R(
        N_(
            "The migrants' lives or safety were endangered, or they were treated inhumanly or "
            "degradingly: these are aggravating circumstances."
        ),
        N_("SOM Protocol, art. 6(3)"),
    ),
}


def _trafficking(f: CaseFacts) -> tuple[bool, list[str]]:
    keys = [
        k
        for k, missing in (("no_act", not f.act), ("no_purpose", not f.exploitation_purpose))
        if missing
    ]
    if f.means:
        keys.append("means")
    elif f.child:
        keys.append("child_no_means")
    else:
        keys.append("adult_no_means")
    met = f.act and f.exploitation_purpose and (f.means or f.child)
    if met:
        if f.consented:
            keys.append("consent_means" if f.means else "consent_child")
        keys.append("tip_met")
        if not f.crossed_border:
            keys.append("tip_domestic")
    return met, keys


def _smuggling(f: CaseFacts) -> tuple[bool, bool, list[str]]:
    """(definition met, illegal stay enabled, reason keys). Without a procured illegal entry
    the other two elements of the definition are not discussed: the benefit or the nationality
    of a person whose entry nobody procured says nothing about smuggling."""
    if not f.illegal_entry_procured:
        keys = ["no_procurement"]
    else:
        checks = (
            ("national", f.not_national_or_resident),
            ("no_benefit", f.material_benefit),
        )
        keys = [key for key, present in checks if not present]
    met = not keys
    stay = f.illegal_stay_enabled
    if met:
        keys.append("som_met")
        if f.consented:
            keys.append("som_consent")
    if stay:
        keys.append("stay_enabled")
        if not met:
            keys.append("stay_only")
            if f.consented:
                keys.append("stay_consent")
    if (met or stay) and f.endangered_or_degrading:
        keys.append("aggravating")
    return met, stay, keys


def assess(facts: CaseFacts) -> Assessment:
    """Apply both definitions to `facts` and return the classification with its reasons."""
    trafficking, tip_keys = _trafficking(facts)
    smuggling, illegal_stay, som_keys = _smuggling(facts)
    classification = {
        (True, True): BOTH,
        (True, False): TRAFFICKING,
        (False, True): SMUGGLING,
        (False, False): NEITHER,
    }[(trafficking, smuggling or illegal_stay)]
    reasons = tuple(REASONS[k] for k in tip_keys + som_keys)
    return Assessment(trafficking, smuggling, classification, reasons, illegal_stay)


# What a participant ticks for each element, and the provision it comes from.
TIP_ELEMENTS = {
    "act": (
        N_("Act: recruitment, transportation, transfer, harbouring or receipt of a person"),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "means": (
        N_(
            "Means: threat or use of force, coercion, abduction, fraud, deception, abuse of "
            "power or of a position of vulnerability, or payments to a person in control"
        ),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "exploitation_purpose": (
        N_(
            "Purpose of exploitation (sexual exploitation, forced labour or "
            "services, slavery, servitude, removal of organs...)"
        ),
        N_("TIP Protocol, art. 3(a)"),
    ),
    "child": (N_("The victim is a child (under 18)"), N_("TIP Protocol, art. 3(c) and (d)")),
}
SOM_ELEMENTS = {
    "illegal_entry_procured": (
        N_(
            "Procurement of illegal entry: someone arranged an entry "
            "without the requirements for legal entry"
        ),
        N_("SOM Protocol, art. 3(a) and (b)"),
    ),
    "material_benefit": (
        N_("The person arranging the entry sought a financial or other material benefit"),
        N_("SOM Protocol, art. 3(a)"),
    ),
    "not_national_or_resident": (
        N_("Entry into a State of which the person is not a national or permanent resident"),
        N_("SOM Protocol, art. 3(a)"),
    ),
    "illegal_stay_enabled": (
        N_(
            "Enabling illegal stay: for a financial or other material benefit, someone enabled a "
            "person who is not a national or permanent resident to remain in the State without "
            "complying with the requirements for legally remaining, by fraudulent documents or "
            "other illegal means"
        ),
        N_("SOM Protocol, art. 6(1)(c)"),
    ),
}
OTHER_FACTS = {
    "consented": (N_("The person agreed to what was proposed"), N_("TIP Protocol, art. 3(b)")),
    "crossed_border": (N_("The person crossed an international border"), N_("UNTOC, art. 34(2)")),
    "endangered_or_degrading": (
        N_("Lives or safety endangered, or inhuman or degrading treatment"),
        N_("SOM Protocol, art. 6(3)"),
    ),
}


def element_words(key: str) -> tuple[str, str]:
    """The label and the source of an element or other fact, in the current language."""
    label, source = {**TIP_ELEMENTS, **SOM_ELEMENTS, **OTHER_FACTS}[key]
    return _(label), _(source)
