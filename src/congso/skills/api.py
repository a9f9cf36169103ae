"""REST endpoints of the skills app, mounted under ``/api/v1/``: teams, programmes and sessions,
listed for the units the caller may see (``?unit=<id>`` narrows to a unit and its subtree) and
created through ``services``."""

from django.urls import path
from rest_framework import serializers

from congso.api.lists import UnitScopedList

from . import services
from .models import Attendee, Programme, Session, Team, TeamMember


class SkillsMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "hamlet", "name", "role", "phone"]


class SkillsTeamSerializer(serializers.ModelSerializer):
    members = SkillsMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "unit", "name", "established_on", "members"]


class SkillsProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "unit", "name", "start", "end", "target", "description"]


class SkillsAttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendee
        fields = ["name", "birth_year"]


class SkillsSessionSerializer(serializers.ModelSerializer):
    attendees = SkillsAttendeeSerializer(many=True, required=False)

    class Meta:
        model = Session
        fields = [
            "id",
            "programme",
            "unit",
            "topic",
            "date",
            "place",
            "trainer",
            "attendance",
            "notes",
            "attendees",
        ]


class SkillsList(UnitScopedList):
    visible_rows = staticmethod(services.visible)


class TeamList(SkillsList):
    """Community digital teams."""

    model = Team
    serializer_class = SkillsTeamSerializer

    def save(self, actor, fields):
        return services.create_team(actor=actor, **fields)


class ProgrammeList(SkillsList):
    """Digital-skills programmes."""

    model = Programme
    serializer_class = SkillsProgrammeSerializer

    def save(self, actor, fields):
        return services.create_programme(actor=actor, **fields)


class SessionList(SkillsList):
    """Training sessions with their head count and optional attendance list."""

    model = Session
    serializer_class = SkillsSessionSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendees")

    def save(self, actor, fields):
        attendees = [(a["name"], a.get("birth_year")) for a in fields.pop("attendees", [])]
        return services.record_session(actor=actor, attendees=attendees, **fields)


urlpatterns = [
    path("skills/teams/", TeamList.as_view(), name="api-skills-teams"),
    path("skills/programmes/", ProgrammeList.as_view(), name="api-skills-programmes"),
    path("skills/sessions/", SessionList.as_view(), name="api-skills-sessions"),
]
