from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


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
        if principal.is_organisation:
            data = {
                "kind": "api_client",
                "name": principal.client.name,
                "organisation": principal.organisation_code,
                "roles": [],
                "scopes": sorted(principal.scopes),
            }
        else:
            data = {
                "kind": "person",
                "name": principal.user.get_username() if principal.is_staff else "",
                "organisation": None,
                "roles": sorted(principal.roles),
                "scopes": [],
            }
        return Response(WhoAmISerializer(data).data)
