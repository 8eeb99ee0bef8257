"""Referral: any red flag or guideline trigger means refer before training.

Safety first: a referral always wins. While ``Referral.needed`` is true the
engine gives no phase and no exercise. This is a screening prompt for a
trainer, never a diagnosis.

A red flag is a **sign** (present now) or a **risk factor** (a history or a
condition). Written medical clearance releases a risk factor, as it releases
the history triggers: the client trains within the clinician's written
guidance. It never releases a sign (Finucane et al. 2020).

>>> from lbp_workbook.engine.record import validate_record
>>> rec = validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"},
...     "screening": {"red_flags": ["saddle_numbness"], "trainer_unsure": True}})
>>> ref = assess_referral(rec)
>>> ref.needed, ref.urgency, [r.id for r in ref.reasons]
(True, 'emergency', ['saddle_numbness', 'trainer_unsure'])
>>> cleared = validate_record({"schema": "lbp-assessment/1", "client": {"id": "a"},
...     "screening": {"red_flags": ["cancer_history"], "medical_clearance": True}})
>>> ref = assess_referral(cleared)
>>> ref.needed, [r.id for r in ref.released], ref.released_guidance
(False, ['cancer_history'], "Train within the clinician's written guidance.")
"""

from __future__ import annotations

from lbp_workbook.engine import reference
from lbp_workbook.engine.record import Record
from lbp_workbook.engine.result import URGENCY_ORDER, Referral, ReferralReason


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
        ``needed`` when any sign, unreleased risk factor or unreleased
        trigger is present; ``urgency`` the highest present; ``reasons``
        sorted most urgent first; ``released`` the risk factors and
        triggers that medical clearance released (still shown), with
        ``released_guidance`` in plain words; ``action`` and ``contact``
        in plain words.

    Notes
    -----
    Each red flag refers with its catalogue urgency (``data/red_flags.json``).
    A flag of kind ``sign`` (present now: every cauda equina flag, a
    worsening deficit, weight loss, fever, constant night pain, a recent
    significant injury, no improvement after 4-6 weeks) refers whatever
    clearance was given. A flag of kind ``risk_factor`` (a past cancer,
    immunosuppression, osteoporosis or steroids, injecting drug use, a
    recent infection, a known deformity, a first episode after 50, an
    inflammatory pattern) refers unless ``medical_clearance`` is true.
    ``symptoms_increasing`` and ``symptoms_spread_to_leg`` refer before
    training and are never released; ``considerable_lbp_history``,
    ``lower_back_injury`` and ``trainer_unsure`` refer before training
    unless ``medical_clearance`` is true (``data/rules.json``). Red flags
    are weak diagnostic tests on their own: they are a reason to hand over
    to a medical provider, not a conclusion.

    References
    ----------
    Finucane LM et al. 2020, International framework for red flags for
    potential serious spinal pathologies, JOSPT 50:350-372 (history items
    are risk factors for a clinician to weigh).
    NHS Gloucestershire low back pain pathway,
    https://g-care.glos.nhs.uk/pathway/71/resource/3.
    """
    screening = record.screening
    reasons: list[ReferralReason] = []
    released: list[ReferralReason] = []
    for flag_id in screening.red_flags:
        flag = reference.red_flag(flag_id)
        releasable = flag.kind == "risk_factor"
        inputs: dict[str, object] = {"screening.red_flags": flag.id}
        if releasable:
            inputs["screening.medical_clearance"] = screening.medical_clearance
            rule = (f"referral.red_flag: a risk factor refers ({flag.urgency}), "
                    "released by medical clearance")
        else:
            rule = (f"referral.red_flag: a sign present now refers ({flag.urgency}), "
                    "not released by clearance")
        reason = ReferralReason(
            id=flag.id,
            kind="red_flag",
            label=f"{flag.label}: {flag.description}",
            condition=flag.condition,
            urgency=flag.urgency,
            rule=rule,
            inputs=inputs,
            source=flag.source,
            evidence=flag.evidence,
            flag_kind=flag.kind,
        )
        if releasable and screening.medical_clearance:
            released.append(reason)
        else:
            reasons.append(reason)
    rules = reference.rules()
    for trigger in rules.triggers:
        if not getattr(screening, trigger.id, None):  # None: an optional answer not given
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
    guidance = rules.released_guidance if released else ""
    if urgency == "none":
        return Referral(False, "none", (), tuple(released), "", "", guidance)
    act = rules.action(urgency)
    return Referral(True, urgency, tuple(reasons), tuple(released), act.action, act.contact,
                    guidance)
