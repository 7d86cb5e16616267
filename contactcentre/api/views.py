from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from contactcentre.api.permissions import is_api_client


class WhoAmISerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "api_client"])
    name = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    scopes = serializers.ListField(child=serializers.CharField())


class WhoAmIView(APIView):
    """Who the caller is, as the API sees it: for a client its organisation and scopes."""

    @extend_schema(responses=WhoAmISerializer)
    def get(self, request):
        principal = request.user
        if is_api_client(principal):
            data = {
                "kind": "api_client",
                "name": principal.name,
                "organisation": principal.organisation.code,
                "roles": [],
                "scopes": principal.scopes,
            }
        else:
            data = {
                "kind": "person",
                "name": principal.get_username(),
                "organisation": None,
                "roles": sorted(principal.groups.values_list("name", flat=True)),
                "scopes": [],
            }
        return Response(WhoAmISerializer(data).data)
