from forum.models.categories import Category
from forum.models.follows import FOLLOW_TARGETS, Follow
from forum.models.moderation import Flag, ThreadRedirect
from forum.models.posts import BODY_MAX_LENGTH, Post, PostMention, PostRevision
from forum.models.reads import CategoryRead, ThreadRead
from forum.models.submissions import SubmissionReceipt
from forum.models.threads import TITLE_MAX_LENGTH, Thread
from forum.models.votes import Vote

__all__ = [
    "BODY_MAX_LENGTH",
    "FOLLOW_TARGETS",
    "TITLE_MAX_LENGTH",
    "Category",
    "CategoryRead",
    "Flag",
    "Follow",
    "Post",
    "PostMention",
    "PostRevision",
    "SubmissionReceipt",
    "Thread",
    "ThreadRead",
    "ThreadRedirect",
    "Vote",
]
