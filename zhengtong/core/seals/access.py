"""Who besides the uploader may download a signed document's file: signers in scope."""

from __future__ import annotations

from zhengtong.core.files.access import register_download_rule
from zhengtong.core.permissions.checks import has_perm


@register_download_rule("seals.signeddocument")
def signers_in_scope(user, attachment) -> bool:
    from zhengtong.core.seals.models import SignedDocument

    document = (SignedDocument.objects.select_related("seal__department__region")
                .filter(attachment=attachment).first())
    return document is not None and has_perm(user, "seals.document.sign", department=document.seal.department)
