"""Small endpoints that exist only in the test URLconf, to exercise the shared API plumbing."""

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.permissions import ScopeOrRolePermission, scopes
from contactcentre.errors import RuleViolation
from contactcentre.registry.models import Organisation


class OrganisationInSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)


class OrganisationOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name"]


class ScopedOrganisationsView(ListAPIView, APIView):
    """GET needs cases:read (clients) or registry.view_organisation (people); POST needs cases:write."""

    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="cases:read", write="cases:write")
    required_perms = {"GET": ("registry.view_organisation",), "POST": ("registry.change_organisation",)}
    serializer_class = OrganisationOutSerializer
    queryset = Organisation.objects.order_by("id")

    def post(self, request):
        data = OrganisationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = Organisation.objects.create(kind="other", **data.validated_data)
        return Response(OrganisationOutSerializer(org).data, status=201)


class RuleViolationView(APIView):
    def get(self, request):
        raise RuleViolation("Dit gegeven beheert de Belastingdienst.", code="not_first_line_changeable")


class CrashView(APIView):
    def get(self, request):
        raise RuntimeError("SELECT secret FROM internals")  # must never reach the caller
