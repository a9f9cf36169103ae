"""Operating the platform: process roles and the supervisor of ``make run``, the beat singleton,
health and readiness, metrics, structured logs, the replica router, backup and restore.

It sits on top with the project's modules (``urls``, ``views``): it reads other apps only
through their service functions, and no app imports it (settings name it by path).
"""
