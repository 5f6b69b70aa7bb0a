"""search.results: the shapes every backend answers, and the facet ordering they share."""

from search.results import FacetValue, facet_values


def test_facet_values_put_the_most_documents_first_then_labels_ignoring_case_and_accents():
    rows = [("b", "zebra", 2), ("c", "Émeraude", 5), ("a", "apple", 2), ("d", "eau", 5)]

    assert [v.value for v in facet_values("topic", rows, ())] == ["d", "c", "a", "b"]


def test_years_are_newest_first_whatever_their_counts():
    rows = [("2021", "2021", 9), ("2024", "2024", 1), ("2023", "2023", 4)]

    assert [v.value for v in facet_values("year", rows, ())] == ["2024", "2023", "2021"]


def test_a_selected_value_without_documents_is_kept_with_zero_and_marked():
    values = facet_values("channel", [("radio", "Radio", 3)], ["radio", "carrier-pigeon"])

    assert values == (
        FacetValue(value="radio", label="Radio", count=3, selected=True),
        FacetValue(value="carrier-pigeon", label="carrier-pigeon", count=0, selected=True),
    )
