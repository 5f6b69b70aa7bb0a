from kb.models.pages import HomePage
from kb.models.taxonomy import Audience, Channel, Country, GlossaryTerm, Region, Topic

__all__ = ["Audience", "Channel", "Country", "GlossaryTerm", "HomePage", "Region", "Topic"]
