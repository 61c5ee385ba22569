"""Knowledge-base upkeep by departments (issue 13 item 5; seed 000 §7(3), §9(4)).

    service.py      Editorial: propose, review (approve publishes, refuse with a reason), entries with
                    owner and review-by date, their history, stale entries
    writer.py       a published entry written back into its YAML file under knowledge/, atomically
    owners.py       owner (department of settings/departments.yml) and review-by of an entry; settings
    drafts.py       a proposal's fields checked like the source loader checks the files
    unanswered.py   questions the assistant could not answer, grouped by meaning, with the nearest entry
    from_seat.py    a seat's answer in a conversation as a draft entry
    models.py       tables kb_proposals and kb_versions (migration *_knowledge_upkeep)
"""
from .models import APPROVED, PENDING, REFUSED, KBProposal, KBVersion
from .service import Editor, Editorial, EditorialError, sync_index

__all__ = ["APPROVED", "PENDING", "REFUSED", "KBProposal", "KBVersion", "Editor", "Editorial", "EditorialError",
           "sync_index"]
