from keguan.audit.context import actor_for, client_address, current_actor


class AuditContextMiddleware:
    """Make the requesting user and address the actor of every event this request records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = client_address(request)
        token = current_actor.set(actor_for(request.user, request.client_address))
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(token)
