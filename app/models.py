"""Every table, imported in one place so Alembic and the tests see the whole metadata."""
from sqlmodel import SQLModel

from app.assessments.models import Answer, Assessment
from app.campaigns.models import Campaign, CampaignEvent, CampaignShare
from app.escalations.models import Escalation, EscalationNote
from app.network.models import Centre
from app.reports.models import Org, Unit
from app.sessions.models import EmployeeSession, Message
from app.staff.models import AuditEvent, StaffToken, StaffUser

metadata = SQLModel.metadata

__all__ = ["Answer", "Assessment", "AuditEvent", "Campaign", "CampaignEvent", "CampaignShare", "Centre",
           "EmployeeSession", "Escalation", "EscalationNote", "Message", "Org", "StaffToken", "StaffUser", "Unit",
           "metadata"]
