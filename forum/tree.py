"""Materialised paths for nested replies.

Every post stores ``path``: the concatenation of one fixed-width, zero-padded base-36 segment
per tree level (the opening post is the root, with a single segment). Ordering a thread's
posts by ``path`` therefore yields depth-first tree order, and a post's descendants are the
posts whose path starts with its own. Width 4 allows 36**4 = 1,679,616 replies per post.

``MAX_TREE_DEPTH`` bounds the path length (``Post.path`` is 255 characters): a reply to a post
at that depth is stored as a sibling of the post it answers (its ``parent`` still names the
post replied to, so pages show "in reply to").
"""

PATH_SEGMENT_WIDTH = 4
PATH_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_CHILDREN = len(PATH_ALPHABET) ** PATH_SEGMENT_WIDTH
MAX_TREE_DEPTH = 60  # (60 + 1) * 4 = 244 characters, inside Post.path's 255.


def path_segment(index: int) -> str:
    """The zero-based ``index``-th child's segment, e.g. 0 -> "0000", 37 -> "0011"."""
    if not 0 <= index < MAX_CHILDREN:
        raise ValueError(f"a post can have at most {MAX_CHILDREN} direct replies")
    digits = []
    for _ in range(PATH_SEGMENT_WIDTH):
        index, remainder = divmod(index, len(PATH_ALPHABET))
        digits.append(PATH_ALPHABET[remainder])
    return "".join(reversed(digits))


ROOT_PATH = path_segment(0)


def child_path(parent_path: str, index: int) -> str:
    return parent_path + path_segment(index)


def parent_path(path: str) -> str:
    return path[:-PATH_SEGMENT_WIDTH]


def depth_of(path: str) -> int:
    """0 for the opening post, 1 for a direct reply to it, and so on."""
    return len(path) // PATH_SEGMENT_WIDTH - 1
