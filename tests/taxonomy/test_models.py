"""The taxonomy's model rules (design.md section 3)."""

import pytest
from django.core.exceptions import ValidationError

from taxonomy.models import Topic


@pytest.mark.django_db
def test_topics_have_two_levels_only():
    child = Topic.objects.get(slug="social-media")
    nested = Topic(name="Nested", slug="nested", parent=child)
    with pytest.raises(ValidationError):
        nested.full_clean()
    parent = Topic.objects.get(slug="digital-channels")
    parent.parent = Topic.objects.get(slug="tariffs-and-investment")
    with pytest.raises(ValidationError):
        parent.full_clean()
