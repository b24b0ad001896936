"""Read-only share links of one campaign's participation view, for unit leaders without an account.

Whoever may read the campaign (HR or an org admin of its org, an admin whose scope holds it) creates, lists and
revokes them; anyone holding a link reads the same released participation figures until it is revoked or the
campaign has been closed SHARE_DAYS days. A token is 256 random bits shown once; only its keyed hash (HMAC-SHA256
with the pepper, as for session and staff tokens) is stored, so neither the database nor the list gives out a link."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.campaigns.models import Campaign, CampaignShare
from app.campaigns.service import CampaignError, org_today
from app.sessions.tokens import hash_token, new_id, new_token
from app.staff.models import StaffUser
from app.staff.service import audit
from app.timeutil import utcnow

SHARE_DAYS = 31  # participation is counted up to a month after closing (service.grace_end): the link lasts as long
MAX_ACTIVE = 20  # live links per campaign: enough for every group of leaders, few enough to keep track of
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # new_token(): 32 bytes, URL-safe base64 without padding


def share_link(base_url: str, token: str) -> str:
    """The page unit leaders open; built from XINAN_PUBLIC_BASE_URL like every other link, never from a Host."""
    return f"{base_url.rstrip('/')}/hr/shared/{token}"


def expires_on(c: Campaign) -> date:
    return c.closes_on + timedelta(days=SHARE_DAYS)


def is_active(share: CampaignShare, today: date) -> bool:
    return share.revoked_at is None and today <= share.expires_on


def create_share(db: Session, pepper: bytes, c: Campaign, user: StaffUser,
                 label: str | None) -> tuple[CampaignShare, str]:
    """A new link (its token returned once); refused when it would already be expired or too many are live."""
    today = org_today(db, c.org_id)
    if today > expires_on(c):
        raise CampaignError(422, f"the campaign closed on {c.closes_on}: a share link opens for at most "
                                 f"{SHARE_DAYS} days after it closes")
    live = db.exec(select(func.count()).select_from(CampaignShare).where(
        col(CampaignShare.campaign_id) == c.id, col(CampaignShare.revoked_at).is_(None))).one()
    if live >= MAX_ACTIVE:
        raise CampaignError(422, f"this campaign already has {MAX_ACTIVE} live share links: revoke one first")
    token = new_token()
    share = CampaignShare(id=new_id(), campaign_id=c.id, token_hash=hash_token(pepper, token),
                          label=(label or "").strip() or None, expires_on=expires_on(c), created_by=user.id)
    db.add(share)
    audit(db, user, "campaign.share", "campaign_share", share.id)
    db.flush()
    return share, token


def list_shares(db: Session, c: Campaign) -> list[CampaignShare]:
    stmt = select(CampaignShare).where(col(CampaignShare.campaign_id) == c.id)
    return list(db.exec(stmt.order_by(col(CampaignShare.created_at).desc(), col(CampaignShare.id))))


def revoke_share(db: Session, c: Campaign, share_id: str, user: StaffUser) -> CampaignShare:
    """Revoked at once for every holder; revoking again changes nothing. Another campaign's link is 404."""
    share = db.get(CampaignShare, share_id) if re.fullmatch(r"[0-9a-f]{32}", share_id) else None
    if share is None or share.campaign_id != c.id:
        raise CampaignError(404, f"no share link {share_id[:100]!r} of this campaign")
    if share.revoked_at is None:
        share.revoked_at = utcnow()
        db.add(share)
        audit(db, user, "campaign.unshare", "campaign_share", share.id)
        db.flush()
    return share


def shared_campaign(db: Session, pepper: bytes, token: str) -> Campaign | None:
    """The campaign a live link shows, or None (malformed, unknown, revoked or expired: all look the same)."""
    if TOKEN.fullmatch(token) is None:
        return None
    share = db.exec(select(CampaignShare).where(col(CampaignShare.token_hash) == hash_token(pepper, token))).first()
    if share is None:
        return None
    c = db.get(Campaign, share.campaign_id)
    return c if c is not None and is_active(share, org_today(db, c.org_id)) else None
