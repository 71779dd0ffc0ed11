"""The claims app's pages: `public` reads the public record, `desk` is the team's workspace."""

from claims.views.desk import (
    claim_create,
    claim_edit,
    claim_transition,
    desk_claim,
    desk_home,
    link_decision,
    link_propose,
    review_queue,
)
from claims.views.public import (
    claim_detail,
    claim_history,
    claim_list,
    claimreview_feed,
    claimreview_json,
    claims_csv,
    corrections,
    document_detail,
    home,
    links_csv,
    methodology,
    robots_txt,
    search,
    source_detail,
    vocabulary,
)

__all__ = [
    "claim_create", "claim_detail", "claim_edit", "claim_history", "claim_list", "claim_transition",
    "claimreview_feed", "claimreview_json", "claims_csv", "corrections", "desk_claim", "desk_home",
    "document_detail", "home", "link_decision", "link_propose", "links_csv", "methodology", "review_queue",
    "robots_txt", "search", "source_detail", "vocabulary",
]
