from registries import ProviderRegistry


def first(request):
    return "first"


def second(request):
    return "second"


def test_providers_are_called_in_registration_order_and_kept_once():
    registry = ProviderRegistry()
    registry.register(second)
    registry.register(first)
    registry.register(second)

    assert [provider(None) for provider in registry] == ["second", "first"]


def test_register_returns_the_provider_so_it_works_as_a_decorator():
    registry = ProviderRegistry()

    @registry.register
    def provider(request):
        return "decorated"

    assert provider(None) == "decorated"
    assert list(registry) == [provider]


def test_unregistering_removes_a_provider_and_ignores_an_unknown_one():
    registry = ProviderRegistry()
    registry.register(first)
    registry.unregister(first)
    registry.unregister(second)

    assert list(registry) == []


def test_a_provider_may_unregister_itself_while_the_registry_is_iterated():
    registry = ProviderRegistry()

    def once(request):
        registry.unregister(once)
        return "once"

    registry.register(once)
    registry.register(first)

    assert [provider(None) for provider in registry] == ["once", "first"]
    assert list(registry) == [first]
