"""The system admin's console pages (系统管理员): users and the settings view.

Not a Django app (no models): its pages use ``core.accounts`` actions, and its
``wagtail_hooks`` is imported by ``core.permissions.wagtail_hooks``.
"""
