"""Referral: any red flag or guideline trigger means refer before training.

Safety first: a referral always wins. While ``Referral.needed`` is true the
engine gives no phase and no exercise. This is a screening prompt for a
trainer, never a diagnosis.

>>> from lbp_workbook.record import validate_record
>>> rec = validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"},
...     "screening": {"red_flags": ["saddle_numbness"], "trainer_unsure": True}})
>>> ref = assess_referral(rec)
>>> ref.needed, ref.urgency, [r.id for r in ref.reasons]
(True, 'emergency', ['saddle_numbness', 'trainer_unsure'])
"""

from __future__ import annotations

from lbp_workbook import reference
from lbp_workbook.record import Record
from lbp_workbook.result import URGENCY_ORDER, Referral, ReferralReason


def highest_urgency(urgencies: list[str]) -> str:
    """The most pressing urgency in ``urgencies`` (``"none"`` when empty).

    Order: emergency > urgent > before_training > routine > none.

    >>> highest_urgency(["routine", "urgent", "before_training"])
    'urgent'
    >>> highest_urgency([])
    'none'
    """
    return max(urgencies, key=URGENCY_ORDER.index, default="none")


def assess_referral(record: Record) -> Referral:
    """Decide whether the client must be referred, how urgently, and why.

    Parameters
    ----------
    record : Record
        A validated ``lbp-assessment/1`` record.

    Returns
    -------
    Referral
        ``needed`` when any red flag or unreleased trigger is present;
        ``urgency`` the highest present; ``reasons`` sorted most urgent
        first; ``released`` the triggers that medical clearance released
        (still shown); ``action`` and ``contact`` in plain words.

    Notes
    -----
    Each red flag refers with its catalogue urgency (``data/red_flags.json``).
    ``symptoms_increasing`` refers before training and is never released;
    ``considerable_lbp_history``, ``lower_back_injury`` and
    ``trainer_unsure`` refer before training unless ``medical_clearance``
    is true. Red flags are weak diagnostic tests on their own: they are a
    reason to hand over to a medical provider, not a conclusion.

    References
    ----------
    Finucane LM et al. 2020, International framework for red flags for
    potential serious spinal pathologies, JOSPT 50:350-372.
    NHS Gloucestershire low back pain pathway,
    https://g-care.glos.nhs.uk/pathway/71/resource/3.
    """
    screening = record.screening
    reasons: list[ReferralReason] = []
    released: list[ReferralReason] = []
    for flag_id in screening.red_flags:
        flag = reference.red_flag(flag_id)
        reasons.append(
            ReferralReason(
                id=flag.id,
                kind="red_flag",
                label=f"{flag.label}: {flag.description}",
                condition=flag.condition,
                urgency=flag.urgency,
                rule=f"referral.red_flag: any red flag refers ({flag.urgency})",
                inputs={"screening.red_flags": flag.id},
                source=flag.source,
                evidence=flag.evidence,
            )
        )
    rules = reference.rules()
    for trigger in rules.triggers:
        if not getattr(screening, trigger.id):
            continue
        releasable = trigger.released_by_clearance
        inputs = {f"screening.{trigger.id}": True}
        if releasable or screening.medical_clearance:
            inputs["screening.medical_clearance"] = screening.medical_clearance
        rule = (
            f"referral.{trigger.id}: refer before training"
            + (", released by medical clearance" if releasable else ", not released by clearance")
        )
        reason = ReferralReason(
            id=trigger.id,
            kind="guideline_trigger",
            label=trigger.label,
            condition=None,
            urgency=trigger.urgency,
            rule=rule,
            inputs=inputs,
            source=trigger.source,
            evidence=trigger.evidence,
        )
        if releasable and screening.medical_clearance:
            released.append(reason)
        else:
            reasons.append(reason)
    reasons.sort(key=lambda r: -URGENCY_ORDER.index(r.urgency))  # stable: keeps record order
    urgency = highest_urgency([r.urgency for r in reasons])
    if urgency == "none":
        return Referral(False, "none", (), tuple(released), "", "")
    act = rules.action(urgency)
    return Referral(True, urgency, tuple(reasons), tuple(released), act.action, act.contact)
