"""Review before publishing.

Content editors write and revise pages but do not publish them. This migration creates the
"Content reviewers" group (Wagtail admin access, publish permission on Wagtail's root page, and
the same image and document permissions as the editors) and the "Module review" workflow, whose
one task is an approval by a content reviewer, and assigns it to the root page so that every page
goes through review. It also lets content editors add and change topics and audiences (snippets).
"""

from django.db import migrations

REVIEWERS = "Content reviewers"
EDITORS = "Content editors"
WORKFLOW_NAME = "Module review"
TASK_NAME = "Review by a content reviewer"

REVIEWER_PAGE_PERMISSIONS = ("publish_page",)
COLLECTION_MODELS = (("wagtailimages", "image"), ("wagtaildocs", "document"))
COLLECTION_ACTIONS = ("add", "change", "choose")
SNIPPET_MODELS = ("topic", "audience")
SNIPPET_ACTIONS = ("add", "change")


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    # Content editors manage the taxonomies as snippets.
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    for model in SNIPPET_MODELS:
        for action in SNIPPET_ACTIONS:
            editors.permissions.add(
                _permission(apps, "modules", model, f"{action}_{model}", f"Can {action} {model}")
            )

    # Content reviewers: into the admin, publish anywhere, use images and documents.
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    )
    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page is not None:
        for codename in REVIEWER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=reviewers,
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", codename, codename),
            )
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for app_label, model in COLLECTION_MODELS:
            for action in COLLECTION_ACTIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=reviewers,
                    collection=root_collection,
                    permission=_permission(
                        apps, app_label, model, f"{action}_{model}", f"Can {action} {model}"
                    ),
                )

    # The workflow: one approval task for the reviewers, on the root page (so every page).
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(reviewers)

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    if root_page is not None:
        # A page has one workflow; this replaces Wagtail's default "Moderators approval".
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    Workflow.objects.filter(name=WORKFLOW_NAME).delete()  # cascades to WorkflowPage and tasks
    GroupApprovalTask.objects.filter(name=TASK_NAME).delete()
    Group.objects.filter(name=REVIEWERS).delete()
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="modules",
                codename__in=[
                    f"{action}_{model}" for model in SNIPPET_MODELS for action in SNIPPET_ACTIONS
                ],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0003_modules_lessons_progress"),
        ("learning", "0002_platform_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
