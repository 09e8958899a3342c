"""Certificates at the counter: who may ask for which certificate, decided by the law.

The kinds, their statutes, who may ask and what one copy covers are data
(``data/certificates.toml``, read by ``kinds``); the city's fees, hours and printed
options are its profile. ``decide`` applies them to one request — a household, the
person asking and the certificates asked for — and says of each line 交付できる /
できない / 要確認, why, where and against which documents. The screens, ``counter
certificates`` and the outreach laptop all decide through it.
"""

from counter.certificates.decide import decide, kinship
from counter.certificates.kinds import (
    CertificateDataError,
    CertificateKind,
    CertificateOption,
    CertificateRules,
    latest_tax_year,
    load_certificate_rules,
    nendo_label,
)
from counter.certificates.model import (
    REQUESTERS,
    VERDICTS,
    CertificateDecision,
    CertificateLine,
    CertificateRequest,
    Requester,
)

__all__ = [
    "REQUESTERS",
    "VERDICTS",
    "CertificateDataError",
    "CertificateDecision",
    "CertificateKind",
    "CertificateLine",
    "CertificateOption",
    "CertificateRequest",
    "CertificateRules",
    "Requester",
    "decide",
    "kinship",
    "latest_tax_year",
    "load_certificate_rules",
    "nendo_label",
]
