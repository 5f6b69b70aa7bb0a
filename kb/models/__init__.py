from kb.models.pages import (
    CaseStudyPage,
    HomePage,
    KnowledgeIndexPage,
    KnowledgePage,
    MethodGuideCaseStudy,
    MethodGuidePage,
)
from kb.models.submissions import Submission

__all__ = [
    "CaseStudyPage",
    "HomePage",
    "KnowledgeIndexPage",
    "KnowledgePage",
    "MethodGuideCaseStudy",
    "MethodGuidePage",
    "Submission",
]
