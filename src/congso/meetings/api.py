"""Briefings API, mounted under ``/api/v1/``: meetings (list, create, detail, transitions),
attendance (roll call and check-in) and follow-up tasks (list, detail, transitions).
Everything goes through ``services``; this module only translates HTTP to calls and back.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.accounts.services import officials
from congso.org.services import units

from . import lifecycle, services
from .models import AgendaItem, Attendance, Invitation, Meeting, Task, VideoProvider


class AgendaSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter"]


class InvitationSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "unit", "unit_name", "response", "delegate_name", "responded_at"]


class AttendanceSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["unit", "unit_name", "status", "checked_in_at"]


class MeetingSerializer(serializers.ModelSerializer):
    chair_name = serializers.CharField(source="chair.get_full_name", read_only=True)
    host_unit_name = serializers.CharField(source="host_unit.name", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "host_unit",
            "host_unit_name",
            "chair",
            "chair_name",
            "secretary",
            "start",
            "end",
            "state",
            "video_provider",
            "series",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaSerializer(many=True, read_only=True)
    invitations = InvitationSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda",
            "invitations",
            "attendance",
            "allowed_actions",
        ]

    def get_allowed_actions(self, meeting) -> list[str]:
        user = self.context["request"].user
        if not services.may_manage(user, meeting):
            return []
        return lifecycle.allowed("meeting", meeting.state)


class MeetingInput(serializers.Serializer):
    host_unit = serializers.PrimaryKeyRelatedField(queryset=units())
    title = serializers.CharField(max_length=300)
    chair = serializers.PrimaryKeyRelatedField(queryset=officials())
    secretary = serializers.PrimaryKeyRelatedField(
        queryset=officials(), required=False, allow_null=True
    )
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    video_provider = serializers.ChoiceField(choices=VideoProvider.choices, default="jitsi")
    units = serializers.PrimaryKeyRelatedField(queryset=units(), many=True, required=False)
    all_communes = serializers.BooleanField(default=False)
    agenda = AgendaSerializer(many=True, required=False)
    weeks = serializers.IntegerField(min_value=1, max_value=104, default=1)
    accept_conflicts = serializers.BooleanField(default=False)
    publish = serializers.BooleanField(default=False)


class ActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(lifecycle.MEETING_ACTIONS))


class CheckInInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=units())


class TaskSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    conclusion = serializers.CharField(source="conclusion.text", read_only=True)
    meeting = serializers.IntegerField(source="conclusion.meeting_id", read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "meeting",
            "conclusion",
            "unit",
            "unit_name",
            "due_date",
            "state",
            "completed_at",
            "on_time",
        ]


class TaskActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["report", "complete", "reopen"])
    text = serializers.CharField()
    evidence = serializers.FileField(required=False)


def _meeting(request, pk) -> Meeting:
    meeting = services.visible_meetings(request.user).filter(pk=pk).first()
    if meeting is None:
        raise exceptions.NotFound(_("Không tìm thấy cuộc họp."))
    return meeting


class MeetingListCreate(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MeetingSerializer

    def get_queryset(self):
        queryset = services.visible_meetings(self.request.user).select_related("chair", "host_unit")
        state = self.request.query_params.get("state")
        if state in lifecycle.MeetingState.values:
            queryset = queryset.filter(state=state)
        return queryset.order_by("-start")

    @extend_schema(request=MeetingInput, responses={201: MeetingSerializer(many=True)})
    def post(self, request):
        from congso.org.services import communes_of

        data = MeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        units = list(fields.pop("units", []))
        if fields.pop("all_communes"):
            picked = {u.pk for u in units}
            units += [u for u in communes_of(fields["host_unit"]) if u.pk not in picked]
        agenda = [(item["title"], item.get("presenter", "")) for item in fields.pop("agenda", [])]
        weeks, publish = fields.pop("weeks"), fields.pop("publish")
        if weeks > 1:
            created, _notes = services.schedule_recurring(
                weeks=weeks,
                actor=request.user,
                units=units,
                agenda=agenda,
                publish=publish,
                **fields,
            )
        else:
            meeting = services.create_meeting(
                actor=request.user, units=units, agenda=agenda, **fields
            )
            if publish:
                meeting = services.transition(meeting, actor=request.user, action="schedule")
            created = [meeting]
        return Response(MeetingSerializer(created, many=True).data, status=status.HTTP_201_CREATED)


class MeetingDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeetingDetailSerializer)
    def get(self, request, pk: int):
        meeting = _meeting(request, pk)
        return Response(MeetingDetailSerializer(meeting, context={"request": request}).data)


class MeetingTransitions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ActionInput, responses=MeetingDetailSerializer)
    def post(self, request, pk: int):
        meeting = _meeting(request, pk)
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = data.validated_data["action"]
        if action == "approve_minutes":
            services.approve_minutes(meeting, actor=request.user)
            meeting.refresh_from_db()
        else:
            meeting = services.transition(meeting, actor=request.user, action=action)
        return Response(MeetingDetailSerializer(meeting, context={"request": request}).data)


class MeetingAttendance(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AttendanceSerializer(many=True))
    def get(self, request, pk: int):
        meeting = _meeting(request, pk)
        return Response(
            AttendanceSerializer(meeting.attendance.select_related("unit"), many=True).data
        )

    @extend_schema(request=CheckInInput, responses={201: AttendanceSerializer})
    def post(self, request, pk: int):
        meeting = _meeting(request, pk)
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = services.check_in(meeting, data.validated_data["unit"], actor=request.user)
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class TaskList(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer

    def get_queryset(self):
        queryset = services.visible_tasks(self.request.user).select_related("unit", "conclusion")
        state = self.request.query_params.get("state")
        if state in lifecycle.TaskState.values:
            queryset = queryset.filter(state=state)
        return queryset.order_by("due_date", "pk")


def _task(request, pk) -> Task:
    task = (
        services.visible_tasks(request.user)
        .filter(pk=pk)
        .select_related("unit", "conclusion")
        .first()
    )
    if task is None:
        raise exceptions.NotFound(_("Không tìm thấy nhiệm vụ."))
    return task


class TaskDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TaskSerializer)
    def get(self, request, pk: int):
        return Response(TaskSerializer(_task(request, pk)).data)


class TaskTransitions(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=TaskActionInput, responses=TaskSerializer)
    def post(self, request, pk: int):
        task = _task(request, pk)
        data = TaskActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        action, text = data.validated_data["action"], data.validated_data["text"]
        if action == "reopen":
            services.reopen_task(task, actor=request.user, reason=text)
        else:
            services.report_progress(
                task,
                actor=request.user,
                text=text,
                evidence=data.validated_data.get("evidence"),
                complete=action == "complete",
            )
        task.refresh_from_db()
        return Response(TaskSerializer(task).data)


urlpatterns = [
    path("meetings/", MeetingListCreate.as_view(), name="api-meetings"),
    path("meetings/<int:pk>/", MeetingDetail.as_view(), name="api-meeting"),
    path(
        "meetings/<int:pk>/transitions/",
        MeetingTransitions.as_view(),
        name="api-meeting-transitions",
    ),
    path(
        "meetings/<int:pk>/attendance/", MeetingAttendance.as_view(), name="api-meeting-attendance"
    ),
    path("meeting-tasks/", TaskList.as_view(), name="api-meeting-tasks"),
    path("meeting-tasks/<int:pk>/", TaskDetail.as_view(), name="api-meeting-task"),
    path(
        "meeting-tasks/<int:pk>/transitions/",
        TaskTransitions.as_view(),
        name="api-meeting-task-transitions",
    ),
]
