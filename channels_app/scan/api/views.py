"""The post/scan door's API: the post room (staff with the permission) or an organisation's system
(scope scans:write) delivers a scan, and reads where it is. The scan is read after commit, not in the
request: the answer is 202 with the letter's id."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status as http_status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from channels_app.models import ScannedLetter
from channels_app.scan.api.serializers import ScannedLetterStatusSerializer, ScanUploadSerializer
from channels_app.scan.selectors import scanned_letters_visible
from channels_app.scan.services import scanned_letter_receive
from contactcentre.api.permissions import ScopeOrRolePermission, scopes
from contactcentre.errors import Conflict, NotFound, TooLarge

# Room for the multipart envelope around the file before the body as a whole counts as too large.
MULTIPART_OVERHEAD = 64 * 1024
TOO_LARGE = OpenApiResponse(description="Het bestand is groter dan SCAN_MAX_BYTES.")
UNSUPPORTED = OpenApiResponse(description="Geen PDF, PNG of TIFF (aan de inhoud bepaald), of geen multipart-verzoek.")


class ScannedLetterListView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(write="scans:write")
    required_perms = {"POST": ("channels_app.add_scannedletter",)}
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ScanUploadSerializer},
        responses={
            202: ScannedLetterStatusSerializer,
            200: ScannedLetterStatusSerializer,
            409: OpenApiResponse(description="Deze scan is al door een ander aangeleverd."),
            413: TOO_LARGE,
            415: UNSUPPORTED,
        },
    )
    def post(self, request):
        """Deliver a scan: 202 with the new letter; the same scan again answers 200 with the same letter."""
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.SCAN_MAX_BYTES + MULTIPART_OVERHEAD:  # refused before the body is read
            raise TooLarge(_("Het bestand is groter dan %(max)s bytes.") % {"max": settings.SCAN_MAX_BYTES})
        body = ScanUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > settings.SCAN_MAX_BYTES:
            raise TooLarge(_("Het bestand is groter dan %(max)s bytes.") % {"max": settings.SCAN_MAX_BYTES})
        letter, created = scanned_letter_receive(
            content=upload.read(), source=ScannedLetter.Source.API, actor=request.user
        )
        visible = scanned_letters_visible(principal=request.user).filter(pk=letter.pk).first()
        if visible is None:  # someone else's letter: do not reveal it
            raise Conflict(_("Deze scan is al aangeleverd."), code="duplicate_scan")
        return Response(
            ScannedLetterStatusSerializer(visible).data,
            status=http_status.HTTP_202_ACCEPTED if created else http_status.HTTP_200_OK,
        )


class ScannedLetterDetailView(APIView):
    permission_classes = [ScopeOrRolePermission]
    required_scopes = scopes(read="scans:read")
    required_perms = {"GET": ("channels_app.view_scannedletter",)}

    @extend_schema(responses=ScannedLetterStatusSerializer)
    def get(self, request, letter_id: int):
        """Where a letter is: received, processed (to which queue, and why to triage) or failed."""
        letter = scanned_letters_visible(principal=request.user).filter(pk=letter_id).first()
        if letter is None:
            raise NotFound(_("Brief niet gevonden."))
        return Response(ScannedLetterStatusSerializer(letter).data)
