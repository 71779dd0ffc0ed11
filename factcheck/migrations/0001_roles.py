"""Create the two editorial groups with their model permissions.

The permissions decide what each group may open in the admin; what a person may do to a
given object (four eyes, workflow states) is decided by factcheck/permissions.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACT_CHECKER_PERMISSIONS = {
    "sources": {
        "source": ["add", "change", "view"],
        "document": ["add", "change", "view"],
        "snapshot": ["add", "view"],
        "annotation": ["add", "change", "view"],
        "historicalsource": ["view"],
        "historicaldocument": ["view"],
        "historicalsnapshot": ["view"],
        "historicalannotation": ["view"],
    },
    "claims": {
        "claim": ["add", "change", "view"],
        "claimlink": ["add", "view"],
        "reviewevent": ["view"],
        "historicalclaim": ["view"],
        "historicalclaimlink": ["view"],
        "historicalreviewevent": ["view"],
    },
}
EDITOR_EXTRA_PERMISSIONS = {
    "claims": {"claimlink": ["change"]},
}


def _grant(apps, group, spec):
    Permission = apps.get_model("auth", "Permission")
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                )


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    fact_checkers, _ = Group.objects.get_or_create(name="fact-checkers")
    editors, _ = Group.objects.get_or_create(name="editors")
    _grant(apps, fact_checkers, FACT_CHECKER_PERMISSIONS)
    _grant(apps, editors, FACT_CHECKER_PERMISSIONS)
    _grant(apps, editors, EDITOR_EXTRA_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["fact-checkers", "editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
