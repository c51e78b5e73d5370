"""Content editors write and revise every page, image and document; publishing is left to the
review workflow. Granted on Wagtail's root page and root collection so that a fresh deployment
works without the demo data."""

from django.db import migrations

PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
COLLECTION_PERMISSIONS = (("wagtailimages", "image"), ("wagtaildocs", "document"))


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    editors, _ = Group.objects.get_or_create(name="Content editors")
    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page is not None:
        page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
        for codename in PAGE_PERMISSIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=codename, defaults={"name": codename}
            )
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=permission
            )
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for app_label, model in COLLECTION_PERMISSIONS:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for action in ("add", "change", "choose"):
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=editors, collection=root_collection, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0001_landing_page"),
        ("learning", "0002_platform_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
