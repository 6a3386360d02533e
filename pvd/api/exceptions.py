"""One exception handler for the API: a service's refusal becomes JSON with its French
message — `NotAllowed` 403, `ConflictError` 409, another `DomainError` 400; a
stale version (`pvd.api.concurrence`) answers 412 with the current `ETag`."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pvd.exceptions import DomainError, NotAllowed
from pvd.workflows import ConflictError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotAllowed):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, ConflictError):
            code = status.HTTP_409_CONFLICT
        return Response({"detail": str(exc)}, status=code)
    response = drf_exception_handler(exc, context)
    if response is not None and getattr(exc, "etag", None):
        response["ETag"] = exc.etag  # a 412: the current version, to read again
    return response
