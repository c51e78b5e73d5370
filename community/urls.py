"""URLs of the community of practice. Each has a row in tests/matrix_rows/community.py."""

from django.urls import include, path

from community.answers import views as answers
from community.mentions import views as mentions
from community.moderation import views as moderation
from community.resources import views as resources
from community.saved import views as saved
from community.sessions import views as sessions
from community.spaces import facilitator_views as facilitators
from community.spaces import views as spaces
from community.threads import views as threads

urlpatterns = [
    path("community/", spaces.community_index, name="community_index"),
    path("community/my-posts/", spaces.community_my_posts, name="community_my_posts"),
    path("community/saved/", saved.community_saved, name="community_saved"),
    path("", include("community.search.urls")),
    path("community/moderation/", moderation.community_moderation, name="community_moderation"),
    path(
        "community/moderation/log/",
        moderation.community_moderation_log,
        name="community_moderation_log",
    ),
    path(
        "community/moderation/posts/<id:post_id>/",
        moderation.community_moderation_post,
        name="community_moderation_post",
    ),
    path(
        "community/moderation/flags/<id:flag_id>/escalate/",
        moderation.community_moderation_flag_escalate,
        name="community_moderation_flag_escalate",
    ),
    path(
        "community/moderation/threads/<id:thread_id>/",
        moderation.community_moderation_thread,
        name="community_moderation_thread",
    ),
    path(
        "community/moderation/reveals/<id:request_id>/",
        moderation.community_reveal_request,
        name="community_reveal_request",
    ),
    path(
        "community/moderation/facilitators/",
        facilitators.community_facilitators,
        name="community_facilitators",
    ),
    path(
        "community/moderation/facilitators/<slug:space>/",
        facilitators.community_space_facilitators,
        name="community_space_facilitators",
    ),
    path("community/<slug:space>/", spaces.community_space, name="community_space"),
    path("community/<slug:space>/join/", spaces.community_join, name="community_join"),
    path(
        "community/<slug:space>/guidelines/",
        spaces.community_guidelines,
        name="community_guidelines",
    ),
    path("community/<slug:space>/members/", spaces.community_members, name="community_members"),
    path("community/<slug:space>/new/", threads.community_thread_new, name="community_thread_new"),
    path(
        "community/<slug:space>/<id:thread_id>/",
        threads.community_thread,
        name="community_thread",
    ),
    path(
        "community/<slug:space>/<id:thread_id>/follow/",
        threads.community_follow,
        name="community_follow",
    ),
    path(
        "community/<slug:space>/<id:thread_id>/save/",
        saved.community_thread_save,
        name="community_thread_save",
    ),
    path(
        "community/<slug:space>/posts/<id:post_id>/edit/",
        threads.community_post_edit,
        name="community_post_edit",
    ),
    path(
        "community/<slug:space>/posts/<id:post_id>/report/",
        threads.community_post_flag,
        name="community_post_flag",
    ),
    path(
        "community/<slug:space>/posts/<id:post_id>/helped/",
        answers.community_post_helped,
        name="community_post_helped",
    ),
    path(
        "community/<slug:space>/posts/<id:post_id>/answer/",
        answers.community_post_accept,
        name="community_post_accept",
    ),
    path(
        "community/<slug:space>/mentions/",
        mentions.community_mention_suggestions,
        name="community_mention_suggestions",
    ),
    path(
        "community/<slug:space>/resources/",
        resources.community_resources,
        name="community_resources",
    ),
    path(
        "community/<slug:space>/resources/manage/",
        resources.community_resources_manage,
        name="community_resources_manage",
    ),
    path(
        "community/<slug:space>/sessions/",
        sessions.community_sessions,
        name="community_sessions",
    ),
    path(
        "community/<slug:space>/sessions/<id:session_id>/",
        sessions.community_session,
        name="community_session",
    ),
    path(
        "community/<slug:space>/sessions/<id:session_id>/withdraw/",
        sessions.community_session_withdraw,
        name="community_session_withdraw",
    ),
    path(
        "community/<slug:space>/sessions/<id:session_id>/edit/",
        sessions.community_session_edit,
        name="community_session_edit",
    ),
    path(
        "community/<slug:space>/sessions/<id:session_id>/cancel/",
        sessions.community_session_cancel,
        name="community_session_cancel",
    ),
    path(
        "community/<slug:space>/sessions/<id:session_id>/attendance/",
        sessions.community_session_attendance,
        name="community_session_attendance",
    ),
]
