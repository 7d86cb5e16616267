"""Work-queue endpoints for first-line staff: my list, a queue's waiting items, take the next one,
take, give back, finish, a supervisor's reassign, and the queue overview for the boards."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http_status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.permissions import ScopeOrRolePermission
from contactcentre.errors import ValidationFailed
from contactcentre.interactions.api.serializers import (
    WorkItemClaimNextSerializer,
    WorkItemCompleteSerializer,
    WorkItemReassignSerializer,
    WorkItemSerializer,
    WorkQueueOverviewSerializer,
)
from contactcentre.interactions.models import WorkItem
from contactcentre.interactions.selectors import work_items_of_agent, work_items_open, work_queue_overview
from contactcentre.interactions.work_items import (
    work_item_claim,
    work_item_claim_next,
    work_item_complete,
    work_item_reassign,
    work_item_release,
)

VIEW = ("interactions.view_workitem",)
WORK = ("interactions.change_workitem",)


class WorkItemListView(GenericAPIView):
    """GET ?mine=1: the items I hold; otherwise the waiting items of my queues (?queue=code)."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"GET": VIEW}
    serializer_class = WorkItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WorkItem.objects.none()
        params = self.request.query_params
        if params.get("mine") in ("1", "true"):
            return work_items_of_agent(principal=self.request.user)
        queue = params.get("queue")
        if queue is not None and not (queue.isascii() and len(queue) <= 64):
            raise ValidationFailed(field_errors={"queue": [_("Onbekende werkbak.")]})
        return work_items_open(principal=self.request.user, queue_code=queue)

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", bool, description="Only the items I hold"),
            OpenApiParameter("queue", str, description="A queue's code"),
        ]
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WorkItemSerializer(page, many=True).data)


class WorkItemClaimNextView(APIView):
    """Take the most urgent, oldest waiting item of my queues: 200 with it, 204 when none waits."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": WORK}

    @extend_schema(request=WorkItemClaimNextSerializer, responses={200: WorkItemSerializer, 204: None})
    def post(self, request):
        body = WorkItemClaimNextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = work_item_claim_next(principal=request.user, queue_code=body.validated_data.get("queue"))
        if item is None:
            return Response(status=http_status.HTTP_204_NO_CONTENT)
        return Response(WorkItemSerializer(item).data)


class WorkItemClaimView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": WORK}

    @extend_schema(request=None, responses=WorkItemSerializer)
    def post(self, request, item_id: int):
        return Response(WorkItemSerializer(work_item_claim(principal=request.user, item_id=item_id)).data)


class WorkItemReleaseView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": WORK}

    @extend_schema(request=None, responses=WorkItemSerializer)
    def post(self, request, item_id: int):
        return Response(WorkItemSerializer(work_item_release(principal=request.user, item_id=item_id)).data)


class WorkItemCompleteView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": WORK}

    @extend_schema(request=WorkItemCompleteSerializer, responses=WorkItemSerializer)
    def post(self, request, item_id: int):
        body = WorkItemCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = work_item_complete(principal=request.user, item_id=item_id, **body.validated_data)
        return Response(WorkItemSerializer(item).data)


class WorkItemReassignView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_perms = {"POST": ("interactions.reassign_workitem",)}

    @extend_schema(request=WorkItemReassignSerializer, responses=WorkItemSerializer)
    def post(self, request, item_id: int):
        body = WorkItemReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = work_item_reassign(principal=request.user, item_id=item_id, user_id=body.validated_data["user"])
        return Response(WorkItemSerializer(item).data)


class WorkQueueOverviewView(APIView):
    """Per queue: waiting, in progress, longest wait (the supervisor board's figures)."""

    permission_classes = [ScopeOrRolePermission]
    required_perms = {"GET": ("interactions.view_workqueue",)}

    @extend_schema(responses=WorkQueueOverviewSerializer(many=True))
    def get(self, request):
        return Response(WorkQueueOverviewSerializer(work_queue_overview(), many=True).data)
