from typing import Any

from django.contrib.auth.models import Group

from factcheck.roles import Role, is_editor, is_fact_checker, role_of


def test_the_migration_creates_both_groups_with_permissions(db: Any) -> None:
    fact_checkers = Group.objects.get(name="fact-checkers")
    editors = Group.objects.get(name="editors")
    fc_codenames = set(fact_checkers.permissions.values_list("codename", flat=True))
    editor_codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_claim", "change_claim", "add_snapshot", "add_claimlink", "view_historicalclaim"} <= fc_codenames
    assert "change_claimlink" not in fc_codenames
    assert fc_codenames < editor_codenames
    assert "change_claimlink" in editor_codenames
    assert not any(code.startswith("delete_") for code in editor_codenames)


def test_roles(alice: Any, bob: Any, dave: Any, erin: Any, django_user_model: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    root = django_user_model.objects.create_superuser("root", password="x")
    assert role_of(AnonymousUser()) == Role.ANONYMOUS
    assert role_of(erin) == Role.READER
    assert role_of(dave) == Role.STAFF
    assert role_of(alice) == Role.FACT_CHECKER
    assert role_of(bob) == Role.EDITOR
    assert role_of(root) == Role.EDITOR
    assert is_fact_checker(bob) and not is_editor(alice)


def test_an_inactive_editor_has_no_role(bob: Any) -> None:
    bob.is_active = False
    assert role_of(bob) == Role.ANONYMOUS
