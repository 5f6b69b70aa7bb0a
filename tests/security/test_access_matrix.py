"""The access-control matrix, generated from the URL configuration (issue 15, item 2).

Every URL pattern is walked (``access_world.routes()``); each project pattern is requested as
every role of design.md section 2 plus a suspended member, a member of the group a category is
restricted to, and the author of the content (``access_world.ROLES``), on concrete URLs built
from a world of real objects. ``GET_EXPECTED`` holds the status for each URL case x role, in
the column order of ``ROLES``: V(isitor) M(ember) G(uest) Mo(derator) E(ditor) A(dmin)
S(uspended) Gm (group member) O(wner). A pattern without an entry fails the suite, so a new
URL cannot be forgotten. POSTs (with a CSRF token, empty form, rolled back) follow
``POST_EXPECTED``; a case missing there must refuse POST (405, or the sign-in redirect for
visitors). The Wagtail and Django admins are checked for every one of their patterns: no role
without admin rights gets anything but the sign-in redirect.

Every response is searched for the marker words of members-only, group-only, draft and
submission content (``access_world.MARKERS``): a role outside ``marker_readers`` must never
see one, whatever the status.
"""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.conf import settings
from django.db import transaction

from tests.security import summary
from tests.security.access_world import (
    MARKERS,
    ROLES,
    build_world,
    example_path,
    marker_readers,
    project_cases,
    routes,
)

pytestmark = pytest.mark.django_db

#                                   V   M   G   Mo  E   A   S   Gm  O
GET_EXPECTED = {
    "wagtaildocs_serve missing": "404 404 404 404 404 404 404 404 404",
    "wagtaildocs_authenticate_with_password missing": "404 404 404 404 404 404 404 404 404",
    "account_login": "200 302 302 302 302 302 302 302 302",
    "account_logout": "302 200 200 200 200 200 200 200 200",
    "account_inactive": "200 200 200 200 200 200 200 200 200",
    "account_signup": "200 302 302 302 302 302 302 302 302",
    "account_reauthenticate": "302 200 200 200 200 200 200 200 200",
    "account_request_reauthentication_code": "302 200 200 200 200 200 200 200 200",
    "account_confirm_reauthentication_code": "302 302 302 302 302 302 302 302 302",
    "account_email": "302 200 200 200 200 200 200 200 200",
    "account_email_verification_sent": "200 200 200 200 200 200 200 200 200",
    "account_change_password": "302 200 200 200 200 200 200 200 200",
    "account_set_password": "302 302 302 302 302 302 302 302 302",
    "account_reset_password": "200 200 200 200 200 200 200 200 200",
    "account_confirm_login_code": "302 302 302 302 302 302 302 302 302",
    "account_confirm_email": "200 200 200 200 200 200 200 200 200",
    "account_reset_password_from_key_done": "200 200 200 200 200 200 200 200 200",
    "account_reset_password_from_key": "200 200 200 200 200 200 200 200 200",
    "account_reset_password_done": "200 200 200 200 200 200 200 200 200",
    "mfa_index": "302 200 200 200 200 200 200 200 200",
    "mfa_authenticate": "302 302 302 302 302 302 302 302 302",
    "mfa_reauthenticate": "302 302 302 200 200 200 302 302 302",
    "mfa_activate_totp": "302 302 302 302 302 302 302 302 302",
    "mfa_deactivate_totp": "302 404 404 302 302 302 404 404 404",
    "mfa_view_recovery_codes": "302 404 404 404 404 404 404 404 404",
    "mfa_generate_recovery_codes": "302 302 302 302 302 302 302 302 302",
    "mfa_download_recovery_codes": "302 404 404 404 404 404 404 404 404",
    "socialaccount_login_cancelled": "200 200 200 200 200 200 200 200 200",
    "socialaccount_login_error": "401 401 401 401 401 401 401 401 401",
    "socialaccount_signup": "302 302 302 302 302 302 302 302 302",
    "socialaccount_connections": "302 200 200 200 200 200 200 200 200",
    "accounts/social/login/cancelled/": "301 301 301 301 301 301 301 301 301",
    "accounts/social/login/error/": "301 301 301 301 301 301 301 301 301",
    "accounts/social/signup/": "301 301 301 301 301 301 301 301 301",
    "accounts/social/connections/": "301 301 301 301 301 301 301 301 301",
    "openid_connect_login": "404 404 404 404 404 404 404 404 404",
    "openid_connect_callback": "404 404 404 404 404 404 404 404 404",
    "members:directory": "302 200 200 200 200 200 200 200 200",
    "members:profile owner": "200 200 200 200 200 200 200 200 200",
    "members:profile other": "200 200 200 200 200 200 200 200 200",
    "members:welcome": "302 302 302 302 302 302 302 302 302",
    "members:profile_edit": "302 200 200 200 200 200 200 200 200",
    "members:notifications": "302 200 200 200 200 200 200 200 200",
    "members:notification_read owner's": "302 405 405 405 405 405 405 405 405",
    "members:notification_read other's": "302 405 405 405 405 405 405 405 405",
    "members:notifications_read_all": "302 405 405 405 405 405 405 405 405",
    "members:suspension": "302 200 200 200 200 200 200 200 200",
    "members:unsubscribe valid": "200 200 200 200 200 200 200 200 200",
    "members:unsubscribe forged": "400 400 400 400 400 400 400 400 400",
    "members:privacy": "302 200 200 200 200 200 200 200 200",
    "members:data_export": "302 405 405 405 405 405 405 405 405",
    "members:account_delete": "302 200 200 200 200 200 200 200 200",
    "members:verification_resend": "200 200 200 200 200 200 200 200 200",
    "forum:home": "200 200 200 200 200 200 200 200 200",
    "forum:preview": "302 405 405 405 405 405 405 405 405",
    "forum:category pub": "200 200 200 200 200 200 200 200 200",
    "forum:category mem": "404 200 200 200 200 200 200 200 200",
    "forum:category grp": "404 404 404 200 404 200 404 200 404",
    "forum:thread_new pub": "302 200 403 200 200 200 403 200 200",
    "forum:thread_new mem": "302 200 403 200 200 200 403 200 200",
    "forum:thread_new grp": "302 404 404 200 404 200 404 200 404",
    "forum:category_mark_read pub": "302 405 405 405 405 405 405 405 405",
    "forum:category_mark_read mem": "302 405 405 405 405 405 405 405 405",
    "forum:category_mark_read grp": "302 405 405 405 405 405 405 405 405",
    "forum:thread_unread pub": "302 302 302 302 302 302 302 302 302",
    "forum:thread_unread mem": "404 302 302 302 302 302 302 302 302",
    "forum:thread_unread grp": "404 404 404 302 404 302 404 302 404",
    "forum:thread_short pub": "301 301 301 301 301 301 301 301 301",
    "forum:thread_short mem": "404 301 301 301 301 301 301 301 301",
    "forum:thread_short grp": "404 404 404 301 404 301 404 301 404",
    "forum:reply pub": "302 200 403 200 200 200 403 200 200",
    "forum:reply mem": "302 200 403 200 200 200 403 200 200",
    "forum:reply grp": "302 404 404 200 404 200 404 200 404",
    "forum:unaccept question": "302 405 405 405 405 405 405 405 405",
    "forum:thread_moderate pub": "302 403 403 200 403 200 403 403 403",
    "forum:thread_moderate mem": "302 403 403 200 403 200 403 403 403",
    "forum:thread_moderate grp": "302 403 403 200 403 200 403 403 403",
    "forum:thread_state pub": "302 405 405 405 405 405 405 405 405",
    "forum:thread_state mem": "302 405 405 405 405 405 405 405 405",
    "forum:thread_state grp": "302 405 405 405 405 405 405 405 405",
    "forum:thread_promote pub": "302 403 403 400 400 400 403 403 403",
    "forum:thread_promote mem": "302 403 403 400 400 400 403 403 403",
    "forum:thread_promote grp": "302 404 404 400 404 400 404 403 404",
    "forum:thread pub": "200 200 200 200 200 200 200 200 200",
    "forum:thread mem": "404 200 200 200 200 200 200 200 200",
    "forum:thread grp": "404 404 404 200 404 200 404 200 404",
    "forum:post pub": "302 302 302 302 302 302 302 302 302",
    "forum:post mem": "404 302 302 302 302 302 302 302 302",
    "forum:post grp": "404 404 404 302 404 302 404 302 404",
    "forum:post_edit pub": "302 403 403 200 403 200 403 403 200",
    "forum:post_edit mem": "302 403 403 200 403 200 403 403 200",
    "forum:post_edit grp": "302 404 404 200 404 200 404 200 404",
    "forum:post_revisions pub": "403 403 403 200 403 200 403 403 200",
    "forum:post_revisions mem": "404 403 403 200 403 200 403 403 200",
    "forum:post_revisions grp": "404 404 404 200 404 200 404 200 404",
    "forum:post_quote pub": "302 200 200 200 200 200 200 200 200",
    "forum:post_quote mem": "302 200 200 200 200 200 200 200 200",
    "forum:post_quote grp": "302 404 404 200 404 200 404 200 404",
    "forum:vote pub": "302 405 405 405 405 405 405 405 405",
    "forum:vote mem": "302 405 405 405 405 405 405 405 405",
    "forum:vote grp": "302 405 405 405 405 405 405 405 405",
    "forum:accept answer": "302 405 405 405 405 405 405 405 405",
    "forum:category_feed pub": "200 200 200 200 200 200 200 200 200",
    "forum:category_feed mem": "404 404 404 404 404 404 404 404 404",
    "forum:category_feed grp": "404 404 404 404 404 404 404 404 404",
    "forum:topic_feed members topic": "200 200 200 200 200 200 200 200 200",
    "forum:region_feed members region": "200 200 200 200 200 200 200 200 200",
    "forum:region_feed group region": "200 200 200 200 200 200 200 200 200",
    "forum:thread_feed pub": "200 200 200 200 200 200 200 200 200",
    "forum:thread_feed mem": "404 404 404 404 404 404 404 404 404",
    "forum:thread_feed grp": "404 404 404 404 404 404 404 404 404",
    "forum:post_flag pub": "302 200 200 200 200 200 200 200 200",
    "forum:post_flag mem": "302 200 200 200 200 200 200 200 200",
    "forum:post_flag grp": "302 404 404 200 404 200 404 200 404",
    "forum:post_moderate pub": "302 403 403 200 403 200 403 403 403",
    "forum:post_moderate mem": "302 403 403 200 403 200 403 403 403",
    "forum:post_moderate grp": "302 403 403 200 403 200 403 403 403",
    "forum:review_queue": "302 403 403 200 403 200 403 403 403",
    "forum:moderation_log": "302 403 403 200 403 200 403 403 403",
    "forum:member_moderate other": "302 403 403 200 403 200 403 403 403",
    "forum:following": "302 200 200 200 200 200 200 200 200",
    "forum:following_settings": "302 405 405 405 405 405 405 405 405",
    "forum:thread_mute pub": "302 405 405 405 405 405 405 405 405",
    "forum:thread_mute mem": "302 405 405 405 405 405 405 405 405",
    "forum:thread_mute grp": "302 405 405 405 405 405 405 405 405",
    "forum:thread_unmute pub": "302 405 405 405 405 405 405 405 405",
    "forum:thread_unmute mem": "302 405 405 405 405 405 405 405 405",
    "forum:thread_unmute grp": "302 405 405 405 405 405 405 405 405",
    "forum:follow pub": "302 405 405 405 405 405 405 405 405",
    "forum:follow mem": "302 405 405 405 405 405 405 405 405",
    "forum:follow grp": "302 405 405 405 405 405 405 405 405",
    "forum:follow grp category": "302 405 405 405 405 405 405 405 405",
    "forum:unfollow pub": "302 405 405 405 405 405 405 405 405",
    "forum:unfollow grp": "302 405 405 405 405 405 405 405 405",
    "search:search members marker": "200 200 200 200 200 200 200 200 200",
    "search:search group marker": "200 200 200 200 200 200 200 200 200",
    "search:search kb marker": "200 200 200 200 200 200 200 200 200",
    "search:search tariff": "200 200 200 200 200 200 200 200 200",
    "search:search everything": "200 200 200 200 200 200 200 200 200",
    "search:opensearch": "200 200 200 200 200 200 200 200 200",
    "search_api:search members marker": "200 200 200 200 200 200 200 200 200",
    "search_api:search group marker": "200 200 200 200 200 200 200 200 200",
    "search_api:search kb marker": "200 200 200 200 200 200 200 200 200",
    "search_api:search tariff": "200 200 200 200 200 200 200 200 200",
    "search_api:search everything": "200 200 200 200 200 200 200 200 200",
    "search_api:suggest members prefix": "200 200 200 200 200 200 200 200 200",
    "search_api:suggest group prefix": "200 200 200 200 200 200 200 200 200",
    "search_api:suggest kb prefix": "200 200 200 200 200 200 200 200 200",
    "search_api:suggest title words": "200 200 200 200 200 200 200 200 200",
    "search_api:related pub thread": "200 200 200 200 200 200 200 200 200",
    "search_api:related mem thread": "200 200 200 200 200 200 200 200 200",
    "search_api:related grp thread": "200 200 200 200 200 200 200 200 200",
    "search_api:related mem page": "200 200 200 200 200 200 200 200 200",
    "search_api:schema": "200 200 200 200 200 200 200 200 200",
    "kb:submission_list": "302 200 403 200 200 200 200 200 200",
    "kb:submission_new case study": "302 200 403 200 200 200 200 200 200",
    "kb:submission_edit owner's": "302 404 403 404 404 404 404 404 200",
    "kb:submission_preview owner's": "302 404 403 404 404 404 404 404 200",
    "sitemap": "200 200 200 200 200 200 200 200 200",
    "health": "200 200 200 200 200 200 200 200 200",
    "javascript-catalog": "200 200 200 200 200 200 200 200 200",
    "wagtailcore_authenticate_with_password members page": "404 404 404 404 404 404 404 404 404",
    "wagtailcore_login": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve home": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve kb index": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve public page": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve members page": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve draft page": "404 404 404 404 404 404 404 404 404",
    "wagtail_serve submission draft": "404 404 404 404 404 404 404 404 404",
    "wagtail_serve missing": "404 404 404 404 404 404 404 404 404",
}

POST_EXPECTED = {
    "wagtaildocs_serve missing": "404 404 404 404 404 404 404 404 404",
    "wagtaildocs_authenticate_with_password missing": "404 404 404 404 404 404 404 404 404",
    "account_login": "200 302 302 302 302 302 302 302 302",
    "account_logout": "302 302 302 302 302 302 302 302 302",
    "account_signup": "200 302 302 302 302 302 302 302 302",
    "account_reauthenticate": "302 200 200 200 200 200 200 200 200",
    "account_request_reauthentication_code": "302 200 200 200 200 200 200 200 200",
    "account_confirm_reauthentication_code": "302 302 302 302 302 302 302 302 302",
    "account_email": "302 302 302 302 302 302 302 302 302",
    "account_change_password": "302 200 200 200 200 200 200 200 200",
    "account_set_password": "302 302 302 302 302 302 302 302 302",
    "account_reset_password": "200 200 200 200 200 200 200 200 200",
    "account_confirm_login_code": "302 302 302 302 302 302 302 302 302",
    "account_confirm_email": "404 404 404 404 404 404 404 404 404",
    "account_reset_password_from_key": "200 200 200 200 200 200 200 200 200",
    "mfa_authenticate": "302 302 302 302 302 302 302 302 302",
    "mfa_reauthenticate": "302 302 302 200 200 200 302 302 302",
    "mfa_activate_totp": "302 302 302 302 302 302 302 302 302",
    "mfa_deactivate_totp": "302 404 404 302 302 302 404 404 404",
    "mfa_generate_recovery_codes": "302 302 302 302 302 302 302 302 302",
    "mfa_download_recovery_codes": "302 404 404 404 404 404 404 404 404",
    "socialaccount_signup": "302 302 302 302 302 302 302 302 302",
    "socialaccount_connections": "302 200 200 200 200 200 200 200 200",
    "accounts/social/login/cancelled/": "301 301 301 301 301 301 301 301 301",
    "accounts/social/login/error/": "301 301 301 301 301 301 301 301 301",
    "accounts/social/signup/": "301 301 301 301 301 301 301 301 301",
    "accounts/social/connections/": "301 301 301 301 301 301 301 301 301",
    "openid_connect_login": "404 404 404 404 404 404 404 404 404",
    "openid_connect_callback": "404 404 404 404 404 404 404 404 404",
    "members:welcome": "302 200 200 200 200 200 200 200 200",
    "members:profile_edit": "302 200 200 200 200 200 200 200 200",
    "members:notification_read owner's": "302 404 404 404 404 404 404 404 302",
    "members:notification_read other's": "302 404 404 404 404 404 404 404 404",
    "members:notifications_read_all": "302 302 302 302 302 302 302 302 302",
    "members:unsubscribe valid": "200 200 200 200 200 200 200 200 200",
    "members:unsubscribe forged": "400 400 400 400 400 400 400 400 400",
    "members:data_export": "302 200 200 200 200 200 200 200 200",
    "members:account_delete": "302 200 200 200 200 200 200 200 200",
    "members:verification_resend": "200 200 200 200 200 200 200 200 200",
    "forum:preview": "302 200 200 200 200 200 200 200 200",
    "forum:thread_new pub": "302 200 403 200 200 200 403 200 200",
    "forum:thread_new mem": "302 200 403 200 200 200 403 200 200",
    "forum:thread_new grp": "302 404 404 200 404 200 404 200 404",
    "forum:category_mark_read pub": "302 302 302 302 302 302 302 302 302",
    "forum:category_mark_read mem": "302 302 302 302 302 302 302 302 302",
    "forum:category_mark_read grp": "302 404 404 302 404 302 404 302 404",
    "forum:reply pub": "302 200 403 200 200 200 403 200 200",
    "forum:reply mem": "302 200 403 200 200 200 403 200 200",
    "forum:reply grp": "302 404 404 200 404 200 404 200 404",
    "forum:unaccept question": "302 403 403 302 403 302 403 403 302",
    "forum:thread_moderate pub": "302 403 403 400 403 400 403 403 403",
    "forum:thread_moderate mem": "302 403 403 400 403 400 403 403 403",
    "forum:thread_moderate grp": "302 403 403 400 403 400 403 403 403",
    "forum:thread_state pub": "302 403 403 400 403 400 403 403 403",
    "forum:thread_state mem": "302 403 403 400 403 400 403 403 403",
    "forum:thread_state grp": "302 403 403 400 403 400 403 403 403",
    "forum:thread_promote pub": "302 403 403 400 400 400 403 403 403",
    "forum:thread_promote mem": "302 403 403 400 400 400 403 403 403",
    "forum:thread_promote grp": "302 404 404 400 404 400 404 403 404",
    "forum:post_edit pub": "302 403 403 200 403 200 403 403 200",
    "forum:post_edit mem": "302 403 403 200 403 200 403 403 200",
    "forum:post_edit grp": "302 404 404 200 404 200 404 200 404",
    "forum:vote pub": "302 302 403 302 302 302 403 302 400",
    "forum:vote mem": "302 302 403 302 302 302 403 302 400",
    "forum:vote grp": "302 404 404 302 404 302 404 400 404",
    "forum:accept answer": "302 403 403 302 403 302 403 403 302",
    "forum:category_feed pub": "200 200 200 200 200 200 200 200 200",
    "forum:category_feed mem": "404 404 404 404 404 404 404 404 404",
    "forum:category_feed grp": "404 404 404 404 404 404 404 404 404",
    "forum:topic_feed members topic": "200 200 200 200 200 200 200 200 200",
    "forum:region_feed members region": "200 200 200 200 200 200 200 200 200",
    "forum:region_feed group region": "200 200 200 200 200 200 200 200 200",
    "forum:thread_feed pub": "200 200 200 200 200 200 200 200 200",
    "forum:thread_feed mem": "404 404 404 404 404 404 404 404 404",
    "forum:thread_feed grp": "404 404 404 404 404 404 404 404 404",
    "forum:post_flag pub": "302 200 200 200 200 200 200 200 200",
    "forum:post_flag mem": "302 200 200 200 200 200 200 200 200",
    "forum:post_flag grp": "302 404 404 200 404 200 404 200 404",
    "forum:post_moderate pub": "302 403 403 200 403 200 403 403 403",
    "forum:post_moderate mem": "302 403 403 200 403 200 403 403 403",
    "forum:post_moderate grp": "302 403 403 200 403 200 403 403 403",
    "forum:member_moderate other": "302 403 403 400 403 400 403 403 403",
    "forum:following_settings": "302 302 302 302 302 302 302 302 302",
    "forum:thread_mute pub": "302 302 302 302 302 302 302 302 302",
    "forum:thread_mute mem": "302 302 302 302 302 302 302 302 302",
    "forum:thread_mute grp": "302 404 404 302 404 302 404 302 404",
    "forum:thread_unmute pub": "302 302 302 302 302 302 302 302 302",
    "forum:thread_unmute mem": "302 302 302 302 302 302 302 302 302",
    "forum:thread_unmute grp": "302 404 404 302 404 302 404 302 404",
    "forum:follow pub": "302 302 302 302 302 302 302 302 302",
    "forum:follow mem": "302 302 302 302 302 302 302 302 302",
    "forum:follow grp": "302 404 404 302 404 302 404 302 404",
    "forum:follow grp category": "302 404 404 302 404 302 404 302 404",
    "forum:unfollow pub": "302 302 302 302 302 302 302 302 302",
    "forum:unfollow grp": "302 404 404 302 404 302 404 302 404",
    "kb:submission_list": "302 200 403 200 200 200 200 200 200",
    "kb:submission_new case study": "302 200 403 200 200 200 200 200 200",
    "kb:submission_edit owner's": "302 404 403 404 404 404 404 404 200",
    "kb:submission_preview owner's": "302 404 403 404 404 404 404 404 200",
    "sitemap": "200 200 200 200 200 200 200 200 200",
    "health": "200 200 200 200 200 200 200 200 200",
    "wagtailcore_authenticate_with_password members page": "404 404 404 404 404 404 404 404 404",
    "wagtailcore_login": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve home": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve kb index": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve public page": "200 200 200 200 200 200 200 200 200",
    "wagtail_serve members page": "302 200 200 200 200 200 200 200 200",
    "wagtail_serve draft page": "404 404 404 404 404 404 404 404 404",
    "wagtail_serve submission draft": "404 404 404 404 404 404 404 404 404",
    "wagtail_serve missing": "404 404 404 404 404 404 404 404 404",
}

ADMIN_SIGN_IN = {"admin/": "/accounts/login/", "django-admin/": "/django-admin/login/"}
# Roles without rights in the admins, and the admin pages anyone may load (the sign-in page,
# its static sprite and translations) or that answer the same to everyone.
NO_ADMIN_RIGHTS = ("visitor", "member", "guest", "moderator", "suspended", "group_member", "owner")
ADMIN_OPEN = {
    "wagtailadmin_sprite": "200",
    "wagtailadmin_login": "200",
    "wagtailadmin_javascript_catalog": "200",
    "wagtailadmin_password_reset": "404",
    "wagtailadmin_password_reset_done": "404",
    "wagtailadmin_password_reset_confirm": "404",
    "wagtailadmin_password_reset_complete": "404",
    "admin/^.*/$": "302",  # Wagtail's catch-all sends to its sign-in page
    "admin:logout": "302",
}
PRIVATE = set(MARKERS)


def _leaks(response, path: str, role: str) -> list[str]:
    """Markers in ``response`` that ``role`` must not see. The request's own path and query
    (a slug, a search query echoed back) are taken out first: they are what was asked."""
    body = response.content.decode(errors="replace").lower()
    split = urlsplit(path)
    for echoed in (unquote(split.path), split.path):
        body = body.replace(echoed.lower(), "")
    for values in parse_qs(split.query).values():
        for value in values:
            body = body.replace(value.lower(), "")
    return [m for m in MARKERS if m in body and role not in marker_readers(m)]


def _session(client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie and cookie.value else None


def test_every_url_pattern_has_an_expectation_for_every_role():
    """A new project URL without a row here fails; third-party admins are checked below."""
    keys = {route.key for route in routes() if not route.is_third_party_admin}
    missing = sorted(
        key for key in keys if not any(c == key or c.startswith(key + " ") for c in GET_EXPECTED)
    )
    assert not missing, f"URL patterns with no row in GET_EXPECTED: {missing}"
    for case, row in {**GET_EXPECTED, **POST_EXPECTED}.items():
        assert len(row.split()) == len(ROLES), case


def _matrix(method: str, table: dict[str, str]) -> tuple[list[str], int]:
    world = build_world()
    failures: list[str] = []
    checked = 0
    seen_cases = set()
    for _key, case, path in project_cases(world):
        seen_cases.add(case)
        row = table.get(case)
        got = []
        for role in ROLES:
            client = world.client(role)
            before = _session(client)
            if method == "get":
                response = client.get(path)
            else:
                with transaction.atomic():
                    response = client.post(path, {})
                    transaction.set_rollback(True)
                if before:  # a POST may sign the user out (rolled back with the session row)
                    client.cookies[settings.SESSION_COOKIE_NAME] = before
            got.append(str(response.status_code))
            checked += 1
            leaks = _leaks(response, path, role)
            if leaks:
                failures.append(f"{method.upper()} {path} as {role}: shows {leaks}")
            if method == "get" and before and _session(client) != before:
                failures.append(f"GET {path} as {role} ended the session")
                client.force_login(world.users[role])
        if row is None:
            refused = all(s == "405" or (r == "visitor" and s == "302") for r, s in zip(ROLES, got))
            if method == "post" and refused:
                continue
            failures.append(f'no {method.upper()} expectation: "{case}": "{" ".join(got)}",')
        elif got != row.split():
            failures.append(
                f"{method.upper()} {case} ({path}): expected {row}, got {' '.join(got)}"
            )
    stale = sorted(set(table) - seen_cases)
    failures += [
        f"{method.upper()} expectation for a case that no longer exists: {c}" for c in stale
    ]
    return failures, checked


def test_get_of_every_project_url_as_every_role():
    failures, checked = _matrix("get", GET_EXPECTED)
    summary.add("URL x role pairs checked (GET, project URLs)", checked)
    assert not failures, "\n".join(failures)


def test_post_to_every_project_url_as_every_role():
    failures, checked = _matrix("post", POST_EXPECTED)
    summary.add("URL x role pairs checked (POST, project URLs)", checked)
    assert not failures, "\n".join(failures)


def test_no_role_without_admin_rights_gets_into_any_admin_page():
    world = build_world()
    failures = []
    checked = 0
    admin_routes = [route for route in routes() if route.is_third_party_admin]
    assert len(admin_routes) > 300
    for route in admin_routes:
        path = example_path(route, ints=world.members_page.pk)
        sign_in = next(v for k, v in ADMIN_SIGN_IN.items() if route.route.startswith(k))
        for role in NO_ADMIN_RIGHTS:
            client = world.client(role)
            response = client.get(path)
            checked += 1
            status = str(response.status_code)
            if route.key in ADMIN_OPEN:
                ok = status == ADMIN_OPEN[route.key]
            elif route.key == "admin:login":  # allauth's secure_admin_login
                ok = status == ("302" if role == "visitor" else "403")
            else:
                ok = status == "302" and response["Location"].startswith(sign_in)
            if not ok:
                failures.append(f"{path} ({route.key}) as {role}: {status}")
            leaks = _leaks(response, path, role)
            if leaks:
                failures.append(f"{path} as {role}: shows {leaks}")
    summary.add("URL x role pairs checked (admin URLs, roles without admin rights)", checked)
    assert not failures, "\n".join(failures)
