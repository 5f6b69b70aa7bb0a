from kb.models.pages import (
    CaseStudyPage,
    HomePage,
    KnowledgeIndexPage,
    KnowledgePage,
    MethodGuideCaseStudy,
    MethodGuidePage,
)
from kb.models.submissions import Submission
from kb.models.taxonomy import Audience, Channel, Country, GlossaryTerm, Region, Topic

__all__ = [
    "Audience",
    "CaseStudyPage",
    "Channel",
    "Country",
    "GlossaryTerm",
    "HomePage",
    "KnowledgeIndexPage",
    "KnowledgePage",
    "MethodGuideCaseStudy",
    "MethodGuidePage",
    "Region",
    "Submission",
    "Topic",
]
